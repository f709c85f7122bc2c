"""Pilot tests of every data screen, driven by real key presses.

For each kind of record (cash, clients, engagements, invoices, inquiries, journey,
actions) and the agency profile: add through the form, edit, delete with
confirmation and undo, a cancelled delete, a value the form refuses, escape, and
sorting; then the advice following an edit, the refusals (a client still used by
invoices, an engagement before any client) and the steps of an action item.

Every change is checked twice: in the table, and in the data file read again by a
fresh Store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from textual.widgets import DataTable, Select, Static

from tui_advisor import model
from tui_advisor.forms import KINDS
from tui_advisor.model import AgencyData
from tui_advisor.ui.widgets.cards import Trends

AS_OF = date(2026, 11, 26)  # the date the apps of tests/ui/conftest.py run on
SIZE = (80, 24)  # a small terminal: the forms scroll, every key still works
WIDE = (120, 40)


def plain(value: object) -> str:
    return getattr(value, "plain", None) or str(value)


# --------------------------------------------------------------------------- one case per kind of record


@dataclass
class Case:
    coll: str
    # adding: fields typed key by key, then Select fields picked with the keyboard (name, search text)
    typed: list[tuple[str, str]]
    picked: list[tuple[str, str]]
    added: Callable[[AgencyData], bool]  # the new record is in the data
    added_cell: str  # a cell of the new record's row
    # editing an existing record of the demo
    edit_key: Any
    edit: tuple[str, str]  # field, new text
    edited: Callable[[AgencyData], bool]
    delete_key: Any  # a record nothing refers to
    invalid: tuple[str, str, str]  # field, text, what the hint says
    setup: Callable[[Any], None] | None = None  # runs on the workspace before the app starts
    required: dict[str, Any] = field(default_factory=dict)  # values of required Selects without a default


def _one(data: AgencyData, coll: str, key: Any) -> Any:
    return next((r for r in getattr(data, coll) if model.record_key(coll, r) == key), None)


def _orphan_client(ws: Any) -> None:
    """A client with no engagement and no invoice: one that may be deleted."""
    ws.save("clients", model.Client(id="c-orphan", name="Orphan Outfitters"))


def _extra_activity(ws: Any) -> None:
    """A discovery activity that sorts first by text: sorting by activity then differs from by stage."""
    ws.save("journey", model.JourneyActivity(stage="discovery", activity="Awards entries"))


CASES = [
    Case(
        "cash",
        typed=[("balance", "99000")],
        picked=[],
        added=lambda d: any(c.date == AS_OF and c.balance == 99000 for c in d.cash),
        added_cell="99.000",  # the demo's EUR: the agency's style 1.234,56
        edit_key=date(2025, 10, 31),
        edit=("balance", "170000"),
        edited=lambda d: _one(d, "cash", date(2025, 10, 31)).balance == 170000,
        delete_key=date(2025, 10, 31),
        invalid=("balance", "12k", "Balance must be a number, e.g. 48000"),
    ),
    Case(
        "clients",
        typed=[("name", "Zeta")],
        picked=[("enjoy", "4")],
        added=lambda d: any(c.name == "Zeta" and c.id == "c-zeta" and c.enjoy == 4 for c in d.clients),
        added_cell="Zeta",
        edit_key="c-acme",
        edit=("industry", "Retail"),
        edited=lambda d: _one(d, "clients", "c-acme").industry == "Retail",
        delete_key="c-orphan",
        setup=_orphan_client,
        invalid=("name", "", "Name is required"),
    ),
    Case(
        "engagements",
        typed=[("monthly_fee", "5000")],
        picked=[("client", "lumen")],
        added=lambda d: any(
            e.client == "c-lumen"
            and e.monthly_fee == 5000
            and e.start == AS_OF
            and e.kind == "retainer"
            and e.billing == "monthly"
            for e in d.engagements
        ),
        added_cell="Lumen Labs",
        edit_key="e-harbor-retainer",
        edit=("hours_per_week", "15"),
        edited=lambda d: _one(d, "engagements", "e-harbor-retainer").hours_per_week == 15,
        delete_key="e-kestrel-learning-platform",
        required={"client": "c-lumen"},
        invalid=("price", "12k", "Fixed price must be a number, e.g. 12500"),
    ),
    Case(
        "invoices",
        typed=[("amount", "1234")],
        picked=[("client", "pixel")],
        added=lambda d: any(i.client == "c-pixelwerk" and i.amount == 1234 and i.issued == AS_OF for i in d.invoices),
        added_cell="Pixelwerk Games",
        edit_key="inv-0001",
        edit=("amount", "3600"),
        edited=lambda d: _one(d, "invoices", "inv-0001").amount == 3600,
        delete_key="inv-0001",
        required={"client": "c-pixelwerk"},
        invalid=("issued", "31-02-2026", "Issued: 31-02-2026 is not a real date"),
    ),
    Case(
        "inquiries",
        typed=[("prospect", "Globex")],
        picked=[],
        added=lambda d: any(q.prospect == "Globex" and q.received == AS_OF and q.status == "new" for q in d.inquiries),
        added_cell="Globex",
        edit_key="q-0001",
        edit=("source", "event"),
        edited=lambda d: _one(d, "inquiries", "q-0001").source == "event",
        delete_key="q-0001",
        invalid=("estimated_value", "12k", "Estimated value must be a number, e.g. 30000"),
    ),
    Case(
        "journey",
        typed=[("activity", "Webinars")],
        picked=[("stage", "educ")],
        added=lambda d: any(j.stage == "education" and j.activity == "Webinars" for j in d.journey),
        added_cell="Webinars",
        edit_key=("discovery", "Referrals from past clients"),
        edit=("activity", "Referrals"),
        edited=lambda d: (
            _one(d, "journey", ("discovery", "Referrals")) is not None
            and _one(d, "journey", ("discovery", "Referrals from past clients")) is None
        ),
        delete_key=("discovery", "Referrals from past clients"),
        setup=_extra_activity,
        required={"stage": "education"},
        invalid=("activity", "", "Activity is required"),
    ),
    Case(
        "actions",
        typed=[("title", "Hire a PM")],
        picked=[],
        added=lambda d: any(a.title == "Hire a PM" and a.id == "a-hire-a-pm" for a in d.actions),
        added_cell="Hire a PM",
        edit_key="a-01",
        edit=("owner", "Sam"),
        edited=lambda d: _one(d, "actions", "a-01").owner == "Sam",
        delete_key="a-01",
        invalid=("title", "", "Title is required"),
    ),
]
IDS = [c.coll for c in CASES]


async def _start(driver: Any, pilot: Any, case: Case) -> Any:
    ui = driver(pilot)
    await ui.goto(case.coll)
    await ui.wait_until(lambda: ui.table.row_count == len(ui.app.workspace.records(case.coll)), "the table")
    return ui


def _app(make_app: Callable[[str], Any], case: Case) -> Any:
    app = make_app("demo")
    if case.setup is not None:
        case.setup(app.workspace)
    return app


# --------------------------------------------------------------------------- add, edit, delete, undo


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_add_a_record_by_typing(make_app, driver, case: Case) -> None:
    app = _app(make_app, case)
    async with app.run_test(size=SIZE) as pilot:
        ui = await _start(driver, pilot, case)
        before = ui.table.row_count
        await ui.open_form("a")
        assert ui.form.form_title == f"Add {KINDS[case.coll].label}"
        for name, search in case.picked:
            await ui.pick(name, search)
        for name, text in case.typed:
            await ui.fill(name, text)
        await ui.save_ok()

        assert ui.table.row_count == before + 1
        assert any(case.added_cell in row for row in ui.rows())
        # the new row is the selected one
        selected = ui.table.get_row_at(ui.table.cursor_row)
        assert case.added_cell in [plain(c) for c in selected]
        assert case.added(ui.app.workspace.data)
        assert case.added(ui.stored()), "the new record is not in the data file"
        assert any("Saved" in message for _, message, _ in ui.notifications())


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_edit_a_record(make_app, driver, case: Case) -> None:
    app = _app(make_app, case)
    async with app.run_test(size=SIZE) as pilot:
        ui = await _start(driver, pilot, case)
        count = ui.table.row_count
        ui.select_row(case.coll, case.edit_key)
        await ui.open_form("e")
        assert ui.form.form_title.startswith("Edit ")
        name, text = case.edit
        await ui.fill(name, text)
        await ui.save_ok()

        assert ui.table.row_count == count, "an edit must not add or remove a row"
        assert case.edited(ui.app.workspace.data)
        assert case.edited(ui.stored()), "the change is not in the data file"
        assert len(getattr(ui.stored(), case.coll)) == count


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_delete_with_confirmation_then_undo(make_app, driver, case: Case) -> None:
    app = _app(make_app, case)
    async with app.run_test(size=SIZE) as pilot:
        ui = await _start(driver, pilot, case)
        count = ui.table.row_count
        key = repr(case.delete_key)
        ui.select_row(case.coll, case.delete_key)
        await pilot.press("d")
        await ui.confirm("y")

        assert ui.table.row_count == count - 1
        assert key not in ui.row_keys()
        assert _one(ui.stored(), case.coll, case.delete_key) is None, "the record is still in the data file"
        assert any(
            message.startswith("Deleted ") and "Press u to undo" in message for _, message, _ in ui.notifications()
        )

        await pilot.press("u")
        await ui.wait_until(lambda: ui.table.row_count == count, "the record to come back")
        assert key in ui.row_keys()
        assert _one(ui.stored(), case.coll, case.delete_key) is not None, "undo did not put it back in the file"
        assert len(getattr(ui.stored(), case.coll)) == count
        assert any(message.startswith("Put back ") for _, message, _ in ui.notifications())

        # a second undo has nothing left to put back
        await pilot.press("u")
        await pilot.pause()
        assert ui.notifications()[-1][1] == "Nothing to undo."
        assert ui.table.row_count == count


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_delete_answered_no_changes_nothing(make_app, driver, case: Case) -> None:
    app = _app(make_app, case)
    async with app.run_test(size=SIZE) as pilot:
        ui = await _start(driver, pilot, case)
        rows, file_before = ui.rows(), ui.file_bytes()
        ui.select_row(case.coll, case.delete_key)
        await pilot.press("d")
        await ui.confirm("n")

        assert ui.rows() == rows
        assert ui.file_bytes() == file_before
        assert _one(ui.app.workspace.data, case.coll, case.delete_key) is not None
        assert not any(message.startswith("Deleted") for _, message, _ in ui.notifications())


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_a_refused_value_keeps_the_form_open_and_stores_nothing(make_app, driver, case: Case) -> None:
    app = _app(make_app, case)
    async with app.run_test(size=SIZE) as pilot:
        ui = await _start(driver, pilot, case)
        file_before = ui.file_bytes()
        count = ui.table.row_count
        await ui.open_form("a")
        for name, value in case.required.items():
            await ui.set(name, value)
        for name, text in case.typed:
            await ui.set(name, text)
        name, text, says = case.invalid
        await ui.fill(name, text)  # typed, key by key
        if text:  # checked while typing, before saving
            assert says in ui.hint(name)
        await ui.save()

        assert ui.form_is_open(), "the form closed on a value it cannot use"
        assert says in ui.hint(name)
        assert "1 field to fix before saving" in ui.form_errors()
        assert ui.app.focused is ui.widget(name), "the field to fix has the focus"
        assert ui.file_bytes() == file_before, "something was stored"
        assert len(ui.app.workspace.records(case.coll)) == count

        await ui.cancel()  # esc (and d: discard the changes)
        assert ui.file_bytes() == file_before
        assert ui.table.row_count == count


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_escape_cancels_an_edit_and_loses_nothing(make_app, driver, case: Case) -> None:
    app = _app(make_app, case)
    async with app.run_test(size=SIZE) as pilot:
        ui = await _start(driver, pilot, case)
        rows, file_before = ui.rows(), ui.file_bytes()
        original = _one(ui.app.workspace.data, case.coll, case.edit_key)
        ui.select_row(case.coll, case.edit_key)
        await ui.open_form("enter")  # enter edits too
        name, text = case.edit
        await ui.set(name, text)
        assert ui.widget(name).value == text
        await ui.cancel()  # esc (and d: discard the changes)

        assert ui.rows() == rows
        assert ui.file_bytes() == file_before
        assert _one(ui.app.workspace.data, case.coll, case.edit_key) == original
        assert not case.edited(ui.stored())
        assert ui.screen.selected() == original, "the cursor stays on the record"


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_s_sorts_by_the_next_column(make_app, driver, case: Case) -> None:
    app = _app(make_app, case)
    async with app.run_test(size=SIZE) as pilot:
        ui = await _start(driver, pilot, case)
        columns = KINDS[case.coll].columns
        assert f"sorted by {columns[0].label} ▲" in ui.info()
        before = ui.row_keys()
        await pilot.press("s")
        await ui.wait_until(lambda: f"sorted by {columns[1].label} ▲" in ui.info(), "the sort to change")
        after = ui.row_keys()
        assert sorted(after) == sorted(before)
        assert after != before, "sorting by the next column did not change the order"
        assert after == _expected_order(ui, case.coll, 1)
        # r reverses the order of this column
        await pilot.press("r")
        await ui.wait_until(lambda: f"sorted by {columns[1].label} ▼" in ui.info(), "the reverse sort")
        assert ui.row_keys() == _expected_order(ui, case.coll, 1, reverse=True)


def _expected_order(ui: Any, coll: str, column: int, reverse: bool = False) -> list[str]:
    """The row keys sorted by a column as a person expects: numbers as numbers, text ignoring case,
    empty cells last (r reverses all of it); records with equal values keep the order of the data."""
    col = KINDS[coll].columns[column]
    names = ui.app.workspace.client_names()

    def value(rec: Any) -> tuple:
        v = col.render(rec, names) if col.render else getattr(rec, col.name, None)
        if v is None or v == "":
            return (2, "")
        if isinstance(v, (int, float)):
            return (0, v)
        return (1, str(v).lower())

    records = sorted(ui.app.workspace.records(coll), key=value, reverse=reverse)
    return [repr(KINDS[coll].record_key(r)) for r in records]


@pytest.mark.parametrize(
    "coll, values",
    [
        ("cash", {"date": "2026-11-25", "balance": "135000"}),  # plausible: a balance of 1 would be asked about
        ("journey", {"stage": "discovery", "activity": "Referrals from past clients"}),
    ],
    ids=["cash-on-a-date-in-use", "journey-twice"],
)
async def test_adding_a_record_that_is_already_there_is_refused(demo_app, driver, coll, values) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto(coll)
        rows, file_before = ui.rows(), ui.file_bytes()
        await ui.open_form("a")
        for name, value in values.items():
            await ui.set(name, value)
        await ui.save()
        assert ui.form_is_open()
        assert "already" in ui.form_errors()
        assert ui.file_bytes() == file_before
        await ui.cancel()  # esc (and d: discard the changes)
        assert ui.rows() == rows


async def test_moving_a_cash_balance_onto_another_date_in_use_loses_nothing(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("cash")
        count = ui.table.row_count
        other = _one(ui.app.workspace.data, "cash", date(2025, 11, 30))
        ui.select_row("cash", date(2025, 10, 31))
        await ui.open_form("e")
        await ui.fill("date", "30-11-2025")
        await ui.save()
        assert ui.form_is_open(), "the edit was saved over another balance"
        assert ui.form_errors().strip()
        assert len(ui.stored().cash) == count
        assert _one(ui.stored(), "cash", date(2025, 11, 30)) == other


async def test_clicking_a_column_header_sorts_by_it_and_again_reverses(demo_app, driver) -> None:
    async with demo_app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        await ui.goto("clients")
        table = ui.table
        # the middle of the "Industry" header (column 1)
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        x = widths[0] + widths[1] // 2
        await pilot.click("#records", offset=(x, 0))
        await ui.wait_until(lambda: "sorted by Industry ▲" in ui.info(), "the sort by industry")
        industries = [row[1].lower() for row in ui.rows() if row[1]]
        assert industries == sorted(industries)
        await pilot.click("#records", offset=(x, 0))
        await ui.wait_until(lambda: "sorted by Industry ▼" in ui.info(), "the reversed sort")
        industries = [row[1].lower() for row in ui.rows() if row[1]]
        assert industries == sorted(industries, reverse=True)


# --------------------------------------------------------------------------- the agency profile


def _profile_value(ui: Any, name: str) -> str:
    table = ui.screen.query_one("#profile", DataTable)
    return plain(table.get_row(name)[1])


async def test_profile_edit_by_typing_is_stored_and_changes_the_advice(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("profile")
        assert _profile_value(ui, "monthly_operating_costs") == "34.000"  # EUR: the style 1.234,56
        assert "Cash covers 4.0 months of costs: build toward 6" in ui.titles()
        await ui.open_form("e")
        assert ui.widget("name").value == "Northwind Studio"
        await ui.fill("monthly_operating_costs", "40000")
        await ui.save_ok()

        await ui.wait_until(lambda: _profile_value(ui, "monthly_operating_costs") == "40.000", "the new costs")
        assert ui.stored().agency.monthly_operating_costs == 40000
        assert ui.stored().agency.name == "Northwind Studio", "the fields left alone are kept"
        assert "Cash covers 3.4 months of costs: build toward 6" in ui.titles()
        assert "Profile saved. The advice is updated." in [m for _, m, _ in ui.notifications()]


async def test_profile_refuses_a_number_it_cannot_read(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("profile")
        file_before = ui.file_bytes()
        await ui.open_form("e")
        await ui.fill("monthly_operating_costs", "12k")
        assert ui.hint("monthly_operating_costs") == "Monthly operating costs must be a number, e.g. 62000"
        await ui.save()
        assert ui.form_is_open()
        assert ui.hint("monthly_operating_costs") == "Monthly operating costs must be a number, e.g. 62000"
        assert ui.file_bytes() == file_before
        assert ui.app.workspace.data.agency.monthly_operating_costs == 34000


async def test_profile_escape_loses_nothing(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("profile")
        file_before = ui.file_bytes()
        await ui.open_form("enter")  # enter on a row edits too
        await ui.set("name", "Southwind")
        await ui.set("monthly_operating_costs", "1")
        await ui.cancel()  # esc (and d: discard the changes)
        assert _profile_value(ui, "name") == "Northwind Studio"
        assert ui.file_bytes() == file_before


async def test_profile_lead_time_of_zero_days_is_kept(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("profile")
        await ui.open_form("e")
        await ui.fill("normal_lead_time_days", "0")
        assert ui.hint("normal_lead_time_days") == "days of notice you normally need before starting work"
        await ui.save_ok()
        assert ui.stored().agency.normal_lead_time_days == 0


# --------------------------------------------------------------------------- the advice follows the data


def _card(ui: Any, pillar: str) -> str:
    return plain(ui.screen.query_one(f"#card-{pillar}", Static).render())


async def test_a_high_cash_balance_clears_the_cash_warning_everywhere(demo_app, driver) -> None:
    async with demo_app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        await ui.wait_until(lambda: "Cash covers" in _card(ui, "cash"), "the dashboard")
        assert "CASH002" in ui.rules()
        assert "Cash covers 4.0 months of costs: build toward 6" in _card(ui, "cash")
        assert "now 4.0 months of costs" in ui.screen.query_one("#trends", Trends).rows[0][0]

        await ui.goto("cash")
        ui.select_row("cash", date(2026, 11, 25))
        await ui.open_form("e")
        await ui.fill("balance", "400000")
        await ui.save_ok()

        assert "CASH002" not in ui.rules()
        assert ui.rules()["CASH003"] == "info"  # now the other way round: a surplus to put to work
        assert ui.stored().cash[-1].balance == 400000
        count = len(ui.app.workspace.advice.recommendations)
        assert f"Saved. The advice is updated ({count} recommendations)." in [m for _, m, _ in ui.notifications()]
        await ui.goto("advice")
        keys = ui.advice_keys()
        assert "CASH003|" in keys and not any(k.startswith("CASH002|") for k in keys)
        await ui.goto("dashboard")
        await ui.wait_until(lambda: "build toward 6" not in _card(ui, "cash"), "the cash card")
        assert "Cash covers 11.8 months of costs: put the surplus to work" in _card(ui, "cash")
        assert "now 11.8 months of costs" in ui.screen.query_one("#trends", Trends).rows[0][0]


async def test_two_more_large_clients_ease_the_key_client_critical(make_app, driver) -> None:
    app = make_app("one_client_70")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        assert ui.rules()["KEY001"] == "critical"
        await ui.goto("advice")
        assert "KEY001|" in ui.advice_keys()
        assert "CRITICAL" in [plain(ui.screen.query_one("#advice", DataTable).get_row("KEY001|")[1])]

        await ui.goto("clients")
        await ui.open_form("a")
        await ui.fill("name", "Big Fish")  # typed
        await ui.save_ok()
        await ui.open_form("a")
        await ui.set("name", "Second Wave")
        await ui.save_ok()
        await ui.goto("invoices")
        await ui.open_form("a")
        await ui.pick("client", "big f")  # picked with the keyboard
        await ui.fill("amount", "130000")  # typed
        await ui.save_ok()
        await ui.open_form("a")
        await ui.set("client", "c-second-wave")
        await ui.set("amount", "130000")
        await ui.save_ok()

        # key-client risk is judged on the work running today: the two new clients' retainers
        # (12,900 a month each) make Polder Telecom's 14,000 a month a third of 42,000
        await ui.goto("engagements")
        for cid in ("c-big-fish", "c-second-wave"):
            await ui.open_form("a")
            await ui.set("client", cid)
            await ui.set("monthly_fee", "12900")
            await ui.set("hours_per_week", "10")
            await ui.save_ok()

        stored = ui.stored()
        assert {i.client for i in stored.invoices if i.amount == 130000} == {"c-big-fish", "c-second-wave"}
        assert {e.client for e in stored.engagements if e.monthly_fee == 12900} == {"c-big-fish", "c-second-wave"}
        rules = ui.rules()
        assert "KEY001" not in rules
        assert "critical" not in rules.values()
        assert rules["KEY003"] == "warning"  # Polder Telecom is still the largest client, now a third
        await ui.goto("advice")
        keys = ui.advice_keys()
        assert "KEY001|" not in keys and "KEY003|" in keys
        title = plain(ui.screen.query_one("#advice", DataTable).get_row("KEY003|")[3])
        assert title == "Polder Telecom is 33% of revenue: keep it from growing"


# --------------------------------------------------------------------------- refusals


async def test_deleting_a_client_that_has_invoices_explains_the_archive_instead(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("clients")
        rows, file_before = ui.rows(), ui.file_bytes()
        ui.select_row("clients", "c-acme")
        await pilot.press("d")
        await ui.wait_until(lambda: ui.screen.query(".dialog-text"), "the question")
        # the client's name is shown as typed, brackets and all; a client with history is archived, not deleted
        question = plain(ui.screen.query_one(".dialog-text", Static).render())
        assert question.startswith(
            "Client ACME [Ltd] is still used by 1 engagements and 16 invoices, so it cannot be deleted."
        )
        assert "Archive it instead?" in question
        await ui.confirm("n")  # no: nothing changes (tests/ui/test_records_fields.py answers yes)
        assert ui.rows() == rows
        assert ui.file_bytes() == file_before
        assert any(c.id == "c-acme" for c in ui.app.workspace.data.clients)
        await pilot.press("u")
        await pilot.pause()
        assert ui.notifications()[-1][1] == "Nothing to undo."


async def test_deleting_an_engagement_that_is_invoiced_is_refused(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("engagements")
        file_before = ui.file_bytes()
        ui.select_row("engagements", "e-acme-retainer")
        await pilot.press("delete")
        await ui.confirm("y")
        title, message, severity = ui.notifications()[-1]
        assert (title, severity) == ("Not deleted", "error")
        assert "still used by" in message and "invoices" in message
        assert repr("e-acme-retainer") in ui.row_keys()
        assert ui.file_bytes() == file_before


@pytest.mark.parametrize("mode", ["engagements", "invoices"])
async def test_adding_to_a_client_before_any_client_exists_says_add_a_client_first(make_app, driver, mode) -> None:
    app = make_app("empty")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto(mode)
        assert ui.table.row_count == 0
        file_before = ui.file_bytes()
        await pilot.press("a")
        await pilot.pause()
        assert not ui.form_is_open()
        title, message, severity = ui.notifications()[-1]
        assert severity == "warning"
        assert message.startswith("Add a client first (press 5)")
        # nothing to edit or delete either: a hint, no crash
        await pilot.press("e")
        await pilot.pause()
        assert ui.notifications()[-1][1] == "Nothing selected: press a to add one."
        await pilot.press("d")
        await pilot.pause()
        assert not ui.form_is_open() and ui.screen.is_current
        assert ui.file_bytes() == file_before
        if mode == "invoices":
            return
        # once there is a client, the form opens
        await ui.goto("clients")
        await ui.open_form("a")
        await ui.fill("name", "Acme")
        await ui.save_ok()
        await ui.goto(mode)
        await ui.open_form("a")
        assert ui.widget("client").value == Select.NULL


# --------------------------------------------------------------------------- the steps of an action item


async def test_action_steps_add_a_step_and_tick_it_off(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        from tui_advisor.ui.screens.steps import StepsScreen

        await ui.goto("clients")
        await pilot.press("t")  # steps belong to action items only
        await pilot.pause()
        assert not isinstance(ui.screen, StepsScreen)

        await ui.goto("actions")
        await ui.open_form("a")
        await ui.set("title", "Hire a PM")
        await ui.save_ok()
        assert ui.screen.selected().id == "a-hire-a-pm"
        await pilot.press("t")
        await ui.wait_until(lambda: isinstance(ui.screen, StepsScreen), "the steps")
        steps = ui.screen.query_one("#steps-table", DataTable)
        assert steps.row_count == 0

        await ui.open_form("a")
        assert ui.hint("due") == "read as Thursday 26 November 2026"
        await ui.fill("title", "Post the job")
        await ui.save_ok()
        await ui.wait_until(lambda: steps.row_count == 1, "the new step")
        assert [plain(c) for c in steps.get_row_at(0)] == ["", "2026-11-26", "", "Post the job"]  # no owner
        stored = _one(ui.stored(), "actions", "a-hire-a-pm")
        assert [(s.title, s.due, s.done) for s in stored.steps] == [("Post the job", AS_OF, None)]

        await pilot.press("space")
        await ui.wait_until(lambda: plain(steps.get_row_at(0)[0]) == "✓ 2026-11-26", "the step to be done")
        assert _one(ui.stored(), "actions", "a-hire-a-pm").steps[0].done == AS_OF

        await pilot.press("escape")
        await ui.wait_until(lambda: not isinstance(ui.screen, StepsScreen), "the steps to close")
        row = dict(
            zip(
                [c.label.plain for c in ui.table.ordered_columns],
                [plain(c) for c in ui.table.get_row(repr("a-hire-a-pm"))],
            )
        )
        assert row["Steps done"] == "1/1"
        assert row["Next step"] == "(all done)"

        # space again: not done
        await pilot.press("t")
        await ui.wait_until(lambda: isinstance(ui.screen, StepsScreen), "the steps")
        await pilot.press("space")
        await ui.wait_until(
            lambda: _one(ui.stored(), "actions", "a-hire-a-pm").steps[0].done is None, "the step to be open again"
        )


@pytest.mark.parametrize(
    ("status", "date_field", "metric"),
    [
        ("won", "decided", "win_rate"),
        ("lost", "decided", "win_rate"),
        ("proposal_sent", "proposal_sent", "proposals_last_13w"),
    ],
)
async def test_an_inquiry_past_new_needs_the_date_its_metric_counts(
    demo_app, driver, status, date_field, metric
) -> None:
    """A won, lost or sent inquiry without its date would be left out of the win rate or the
    proposals per week without a word: the form asks for the date and saves nothing until then."""
    async with demo_app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        await ui.goto("inquiries")
        before = ui.app.workspace.advice.metrics.values[metric]
        stored = len(ui.stored().inquiries)
        await ui.open_form("a")
        await ui.fill("prospect", "Initech")
        await ui.pick("status", status.replace("_", " ") if status == "proposal_sent" else status)
        assert ui.widget("status").value == status
        await ui.save()
        assert ui.form_is_open()
        label = KINDS["inquiries"].fields[[f.name for f in KINDS["inquiries"].fields].index(date_field)].label
        assert ui.hint(date_field).startswith(f"{label} is needed")
        await ui.wait_until(lambda: ui.widget(date_field).has_focus, "the cursor on the field to fix")
        assert len(ui.stored().inquiries) == stored  # nothing stored
        await ui.fill(date_field, "2026-11-26")
        await ui.save_ok()
        added = next(q for q in ui.stored().inquiries if q.prospect == "Initech")
        assert added.status == status and getattr(added, date_field) == AS_OF
        assert ui.app.workspace.advice.metrics.values[metric] != before  # now it counts
