"""Pilot tests of the record form (FormScreen): how typed dates and numbers are read,
required fields, clients picked from a list, problems the store finds, and moving
between fields with the keyboard.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets import Button, Input, Label, OptionList, Select

from tui_advisor import model

AS_OF = date(2026, 11, 26)  # the date the apps of tests/ui/conftest.py run on (a Thursday)
SIZE = (80, 24)  # a small terminal: the longer forms scroll
THURSDAY = "read as Thursday 26 November 2026"


def _one(data: Any, coll: str, key: Any) -> Any:
    return next((r for r in getattr(data, coll) if model.record_key(coll, r) == key), None)


def _new(before: Any, after: Any, coll: str) -> list[Any]:
    keys = {model.record_key(coll, r) for r in getattr(before, coll)}
    return [r for r in getattr(after, coll) if model.record_key(coll, r) not in keys]


async def _add_form(ui: Any, mode: str) -> None:
    await ui.goto(mode)
    await ui.open_form("a")


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize("typed", ["2026-11-26", "26-11-2026", "26/11/2026", "26.11.2026"])
async def test_a_date_typed_iso_or_day_month_year_is_read_and_shown_in_words(demo_app, driver, typed) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = ui.stored()
        await _add_form(ui, "cash")
        assert ui.hint("date") == THURSDAY  # the default: the as-of date
        await ui.fill("date", "")
        assert ui.hint("date") == "Date is required, e.g. 2026-11-26"
        await ui.fill("date", typed)
        assert ui.hint("date") == THURSDAY
        await ui.set("balance", "50000")
        await ui.save_ok()
        added = _new(before, ui.stored(), "cash")
        assert [(c.date, c.balance) for c in added] == [(AS_OF, 50000)]


@pytest.mark.parametrize(
    "typed, says",
    [
        ("31-02-2026", "Date: 31-02-2026 is not a real date"),
        ("2026-13-01", "Date: 2026-13-01 is not a real date"),
        ("26 nov", "Date must be a date, e.g. 2026-11-26 or 26-11-2026"),
        ("26-11/2026", "Date must be a date, e.g. 2026-11-26 or 26-11-2026"),  # one separator, not two
    ],
)
async def test_a_date_that_cannot_be_read_is_refused_in_words(demo_app, driver, typed, says) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        file_before = ui.file_bytes()
        await _add_form(ui, "cash")
        await ui.set("balance", "50000")
        await ui.fill("date", typed)
        assert ui.hint("date") == says
        assert "-invalid" in ui.widget("date").classes
        await ui.save()
        assert ui.form_is_open()
        assert ui.hint("date") == says
        assert ui.file_bytes() == file_before


async def test_the_edit_form_says_how_each_stored_date_reads(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        ui.select_row("invoices", "inv-0001")
        await ui.open_form("e")
        assert ui.widget("issued").value == "2025-08-01"
        assert ui.hint("issued") == "read as Friday 01 August 2025"
        assert ui.hint("due") == "read as Sunday 31 August 2025"
        assert ui.hint("paid") == "read as Sunday 24 August 2025"
        await ui.fill("paid", "")  # an optional date left empty: its help again
        assert ui.hint("paid") == "empty: still open"


async def test_a_typed_date_still_reads_right_after_a_refused_save(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _add_form(ui, "invoices")
        await ui.set("client", "c-acme")
        await ui.fill("issued", "01-12-2026")
        assert ui.hint("issued") == "read as Tuesday 01 December 2026"
        await ui.set("amount", "12k")
        await ui.save()
        assert ui.hint("amount") == "Amount must be a number, e.g. 8000"
        assert ui.widget("issued").value == "01-12-2026"
        assert ui.hint("issued") == "read as Tuesday 01 December 2026"


# --------------------------------------------------------------------------- numbers


# The demo agency's currency is EUR, so its forms read the number style 1.234,56 (numbers.style_for):
# '12.500' is 12500 there ('12,500' would be 12.5), and the hint says how the number was read.
@pytest.mark.parametrize(
    "mode, field, typed, coll, attr, value, reading",
    [
        ("engagements", "price", "12.500", "engagements", "price", 12500, "read as 12.500,00 EUR"),
        ("cash", "balance", "131.250,50", "cash", "balance", 131250.5, "read as 131.250,50 EUR"),
    ],
)
async def test_numbers_are_read_as_people_type_them(
    demo_app, driver, mode, field, typed, coll, attr, value, reading
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = ui.stored()
        await _add_form(ui, mode)
        if mode == "engagements":
            await ui.set("client", "c-lumen")
            await ui.set("kind", "project")
        await ui.fill(field, typed[:3] + "k")  # a slip first: said at once
        assert "must be a number" in ui.hint(field)
        await ui.fill(field, typed)
        assert ui.hint(field) == reading, "once the number is readable, the hint says how it was read"
        await ui.save_ok()
        assert [getattr(r, attr) for r in _new(before, ui.stored(), coll)] == [value]


# --------------------------------------------------------------------------- required fields


async def test_required_fields_are_marked_and_said_when_empty(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        file_before = ui.file_bytes()
        await _add_form(ui, "journey")
        labels = [str(lbl.render()) for lbl in ui.form.query(".field-label").results(Label)]
        assert labels == ["Stage *", "Activity *", "Note"]
        assert ui.widget("stage").value == Select.NULL
        await ui.save()
        assert ui.form_is_open()
        assert ui.hint("stage") == "Stage is required: pick one"
        assert ui.hint("activity") == "Activity is required, e.g. Clients search Google for 'shopify agency'"
        assert ui.form_errors() == "2 fields to fix before saving"
        assert ui.app.focused is ui.widget("stage"), "the first field to fix has the focus"
        assert ui.file_bytes() == file_before

        # filling both saves
        await ui.pick("stage", "deci")
        await ui.fill("activity", "Demo")
        await ui.save_ok()
        assert _one(ui.stored(), "journey", ("decision", "Demo")) is not None


async def test_optional_fields_may_stay_empty(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _add_form(ui, "clients")
        labels = [str(lbl.render()) for lbl in ui.form.query(".field-label").results(Label)]
        assert labels == ["Name *", "Industry", "Enjoy working with them", "Industry fit", "Archived on", "Note"]
        await ui.fill("name", "Zed")
        await ui.save_ok()
        client = _one(ui.stored(), "clients", "c-zed")
        assert (client.name, client.industry or None, client.enjoy, client.industry_fit) == ("Zed", None, None, None)


# --------------------------------------------------------------------------- a client is picked, never typed


def _overlay_prompts(select: Select) -> list[str]:
    options = select.query_one(OptionList)
    prompts = [options.get_option_at_index(i).prompt for i in range(options.option_count)]
    return [getattr(p, "plain", None) or str(p) for p in prompts]


@pytest.mark.parametrize("mode", ["engagements", "invoices"])
async def test_the_client_is_picked_from_a_list_of_names(demo_app, driver, mode) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = ui.stored()
        await _add_form(ui, mode)
        client = ui.widget("client")
        assert isinstance(client, Select)
        assert not ui.form.query("Input#f-client"), "a client is never typed"
        assert ui.app.focused is client, "the form starts at its first field, the client"
        assert client.value == Select.NULL

        await pilot.press("enter")
        await ui.wait_until(lambda: client.expanded, "the list of clients")
        names = sorted((c.name for c in before.clients), key=str.lower)
        prompts = _overlay_prompts(client)
        assert prompts[-len(names) :] == names, "every client by name, in alphabetical order"
        assert "ACME [Ltd]" in prompts, "a name is shown exactly as typed"
        await pilot.press(*"acme", "enter")
        await ui.wait_until(lambda: not client.expanded, "the list to close")
        assert client.value == "c-acme"

        await ui.set("amount" if mode == "invoices" else "monthly_fee", "900")
        await ui.save_ok()
        added = _new(before, ui.stored(), mode)
        assert [r.client for r in added] == ["c-acme"]


async def test_the_invoice_edit_form_shows_its_client_and_engagement_by_name(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        ui.select_row("invoices", "inv-0001")
        await ui.open_form("e")
        assert ui.widget("client").value == "c-acme"
        assert ui.widget("engagement").value == "e-acme-retainer"
        await ui.focus("engagement")
        await pilot.press("enter")
        await ui.wait_until(lambda: ui.widget("engagement").expanded, "the list of engagements")
        assert "ACME [Ltd]: retainer e-acme-retainer" in _overlay_prompts(ui.widget("engagement"))
        await pilot.press("escape")  # escape closes the list, not the form
        await ui.wait_until(lambda: not ui.widget("engagement").expanded, "the list to close")
        assert ui.form_is_open()
        await pilot.press("escape")
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to close")


# --------------------------------------------------------------------------- problems the store finds


@pytest.mark.parametrize(
    "mode, values, field, says",
    [
        (
            "engagements",
            {"client": "c-lumen", "monthly_fee": "900", "start": "2026-06-01", "end": "2026-01-01"},
            "end",
            "End 2026-01-01 is before the start 2026-06-01",
        ),
        (
            "engagements",
            {"client": "c-lumen", "kind": "project", "price": "9000", "deadline": "2026-11-01"},
            "deadline",
            "Deadline 2026-11-01 is before the start 2026-11-26",
        ),
        (
            "invoices",
            {"client": "c-acme", "amount": "500", "paid": "01-11-2026"},
            "paid",
            "Paid 2026-11-01 is before the issue date 2026-11-26",
        ),
        (
            "inquiries",
            {"prospect": "Initech", "decided": "2026-11-01"},
            "decided",
            "Decided 2026-11-01 is before the inquiry was received (2026-11-26)",
        ),
    ],
    ids=["end-before-start", "deadline-before-start", "paid-before-issued", "decided-before-received"],
)
async def test_a_problem_found_on_saving_is_shown_next_to_its_field_and_nothing_is_saved(
    demo_app, driver, mode, values, field, says
) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        file_before = ui.file_bytes()
        await _add_form(ui, mode)
        for name, value in values.items():
            await ui.set(name, value)
        assert ui.hint(field).startswith("read as"), "the date on its own is fine"
        await ui.save()
        assert ui.form_is_open()
        assert ui.hint(field) == says
        assert ui.form_errors() == "Not saved: see the fields marked in red"
        assert ui.file_bytes() == file_before
        count = len(ui.app.workspace.records(mode))

        # fixing the date (typed) saves
        await ui.fill(field, "31-12-2026")
        assert ui.hint(field) == "read as Thursday 31 December 2026"
        await ui.save_ok()
        assert len(getattr(ui.stored(), mode)) == count + 1


async def test_a_retainer_needs_a_monthly_fee_and_a_project_a_price(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        file_before = ui.file_bytes()
        await _add_form(ui, "engagements")
        await ui.set("client", "c-lumen")
        assert ui.widget("kind").value == "retainer"
        await ui.save()
        assert ui.hint("monthly_fee") == "Monthly fee is required for a retainer"
        await ui.pick("kind", "proj")
        await ui.save()
        assert ui.hint("price") == "Fixed price is required for a project"
        assert ui.form_is_open() and ui.file_bytes() == file_before
        await ui.fill("price", "4000")
        await ui.save_ok()
        assert [(e.kind, e.price) for e in ui.stored().engagements if e.client == "c-lumen"][-1] == ("project", 4000)


# --------------------------------------------------------------------------- the keyboard


async def test_tab_moves_through_the_fields_in_order_then_the_buttons(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _add_form(ui, "engagements")
        fields = [
            "client",
            "kind",
            "start",
            "end",
            "monthly_fee",
            "price",
            "hours_per_week",
            "billing",
            "deadline",
            "rush_fee_pct",
            "name",
            "note",
        ]
        seen = [ui.app.focused.id]
        for _ in range(len(fields) + 1):
            before = ui.app.focused
            await pilot.press("tab")
            # on a busy machine the focus may move a moment after the key was handled
            await ui.wait_until(lambda b=before: ui.app.focused is not b, f"the focus to leave {before.id}")
            seen.append(ui.app.focused.id)
            # the form scrolls: the field with the focus is on the screen
            await ui.wait_until(
                lambda: ui.app.focused.region.intersection(ui.screen.region).area > 0, "the focused field on the screen"
            )
        assert seen == [f"f-{f}" for f in fields] + ["save", "cancel"]
        await pilot.press("shift+tab", "shift+tab")
        await ui.wait_until(lambda: ui.app.focused.id == "f-note", "shift+tab twice to go back to the note")


async def test_enter_moves_to_the_next_field_and_presses_save(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = ui.stored()
        await _add_form(ui, "cash")
        assert ui.app.focused is ui.widget("date")
        await pilot.press("enter")
        assert ui.app.focused is ui.widget("balance")
        await pilot.press(*"135000", "enter")  # a balance near the last one: no "is this right?" (plausible.py)
        assert ui.app.focused is ui.widget("note")  # the note, last; empty is fine
        await pilot.press("enter")
        assert isinstance(ui.app.focused, Button) and ui.app.focused.id == "save"
        await pilot.press("enter")
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to save")
        assert [(c.date, c.balance) for c in _new(before, ui.stored(), "cash")] == [(AS_OF, 135000)]


async def test_the_buttons_work_with_the_mouse(demo_app, driver) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        ui = driver(pilot)
        before = ui.stored()
        await _add_form(ui, "inquiries")
        await ui.set("prospect", "Hooli")
        await pilot.click("#cancel")  # a changed form asks first: the discard button discards
        from tui_advisor.ui.screens.dialogs import DiscardScreen

        await ui.wait_until(lambda: isinstance(ui.screen, DiscardScreen), "the question before discarding")
        await pilot.click("#discard")
        await ui.wait_until(lambda: not ui.form_is_open() and not isinstance(ui.screen, DiscardScreen), "the close")
        assert not _new(before, ui.stored(), "inquiries")
        await ui.open_form("a")
        await ui.set("prospect", "Hooli")
        await pilot.click("#save")
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to save")
        assert [q.prospect for q in _new(before, ui.stored(), "inquiries")] == ["Hooli"]


async def test_a_score_is_picked_from_one_to_five(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("clients")
        ui.select_row("clients", "c-acme")
        await ui.open_form("e")
        enjoy = ui.widget("enjoy")
        assert isinstance(enjoy, Select) and not isinstance(enjoy, Input)
        await ui.focus("enjoy")
        await pilot.press("enter")
        await ui.wait_until(lambda: enjoy.expanded, "the list of scores")
        assert _overlay_prompts(enjoy)[-5:] == ["1", "2", "3", "4", "5"]
        await pilot.press("5", "enter")
        await ui.wait_until(lambda: not enjoy.expanded, "the list to close")
        await ui.save_ok()
        assert _one(ui.stored(), "clients", "c-acme").enjoy == 5
