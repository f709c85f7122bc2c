"""Pilot tests: the forms read amounts in the agency's number style and say how they read
them, refuse a number of the other style with both readings, read dates with month names,
and ask "is this right?" once about a value that looks like a slip.

The demo agency (Northwind Studio) has the currency EUR and no number style set: its forms
read the style 1.234,56. The "read as" hint writes the amount in the agency's own style,
with the cents ('read as 97.250,00 EUR'): the ',00' is what tells 97,250 from 97.25.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tui_advisor import paths
from tui_advisor.store import Store
from tui_advisor.ui.app import AdvisorApp
from tui_advisor.workspace import Workspace, load_rulebook, read_document

AS_OF = date(2026, 11, 26)  # the date the apps of tests/ui/conftest.py run on
SIZE = (100, 40)


def _app_with(tmp_path: Path, **agency: Any) -> AdvisorApp:
    """The demo agency with its profile changed (``currency="USD"``, ``number_style=...``)."""
    doc = read_document(paths.sample_file("demo"))
    doc["agency"].update(agency)
    store = Store(tmp_path / "agency.json")
    store.import_document(doc, replace=True)
    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    return AdvisorApp(ws)


@pytest.fixture
def usd_app(tmp_path: Path) -> AdvisorApp:
    return _app_with(tmp_path, currency="USD")


def _cash_on(data: Any, day: date) -> Any:
    return next((c for c in data.cash if c.date == day), None)


async def _add(ui: Any, mode: str) -> None:
    await ui.goto(mode)
    await ui.open_form("a")


# --------------------------------------------------------------------------- the number style


async def test_a_eur_agency_reads_97_250_as_ninety_seven_thousand(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _add(ui, "cash")
        assert ui.widget("date").value == "2026-11-26"
        await ui.fill("balance", "97.250")
        assert ui.hint("balance") == "read as 97.250,00 EUR"
        await ui.save_ok()  # plausible (the balance before it is 136.000,00): saved at the first ctrl+s
        assert _cash_on(ui.stored(), AS_OF).balance == 97250


async def test_a_eur_agency_refuses_97_25_with_both_readings(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        file_before = ui.file_bytes()
        await _add(ui, "cash")
        await ui.fill("balance", "97.25")
        refused = (
            "Balance: 97.25 is not a number in the style 1.234,56; read with '.' as the decimal mark it "
            "would be 97,25, with '.' grouping thousands 9.725"
        )
        assert ui.hint("balance") == refused, "said while typing"
        await ui.save()
        assert ui.form_is_open()
        assert "1 field to fix before saving" in ui.form_errors()
        assert ui.hint("balance") == refused
        assert ui.file_bytes() == file_before, "nothing stored"
        await ui.fill("balance", "97.250,00")  # typed the agency's way: read and saved
        assert ui.hint("balance") == "read as 97.250,00 EUR"
        await ui.save_ok()
        assert _cash_on(ui.stored(), AS_OF).balance == 97250


async def test_a_usd_agency_reads_1_234_56(usd_app, driver) -> None:
    async with usd_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = {i.id for i in ui.stored().invoices}
        await _add(ui, "invoices")
        await ui.set("client", "c-acme")
        await ui.fill("amount", "1.234,56")  # the other style: refused, its reading offered
        assert ui.hint("amount") == (
            "Amount: 1.234,56 is not a number in the style 1,234.56; read with ',' as the decimal mark it "
            "would be 1,234.56"
        )
        await ui.fill("amount", "$1,234.56")
        assert ui.hint("amount") == "read as 1,234.56 USD"
        await ui.save_ok()
        new = [i for i in ui.stored().invoices if i.id not in before]
        assert [i.amount for i in new] == [1234.56]


async def test_a_number_style_set_in_the_profile_wins_over_the_currency(tmp_path, driver) -> None:
    app = _app_with(tmp_path, number_style="1,234.56")  # EUR, written the English way
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _add(ui, "cash")
        await ui.fill("balance", "97.250")
        assert ui.hint("balance") == "read as 97.25 EUR"
        await ui.fill("balance", "97,250")
        assert ui.hint("balance") == "read as 97,250.00 EUR"
        await ui.save_ok()
        assert _cash_on(ui.stored(), AS_OF).balance == 97250


async def test_another_currency_sign_is_refused(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _add(ui, "cash")
        await ui.fill("balance", "$ 97.250")
        assert ui.hint("balance").startswith("Balance: $ 97.250 is in $, but the agency's amounts are in EUR")
        await ui.fill("balance", "EUR 97.250")
        assert ui.hint("balance") == "read as 97.250,00 EUR"
        await ui.set("balance", "€ 97.250")  # pasted (the Pilot has no key for €)
        assert ui.hint("balance") == "read as 97.250,00 EUR"
        await ui.save_ok()
        assert _cash_on(ui.stored(), AS_OF).balance == 97250


async def test_a_stored_amount_is_shown_in_the_style_and_saved_unchanged(demo_app, driver) -> None:
    """An edit form shows a stored 131250.5 as '131.250,50' in a EUR agency (as its table does):
    saving it keeps 131250.5."""
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _add(ui, "cash")
        await ui.fill("balance", "131.250,5")
        await ui.save_ok()
        ui.select_row("cash", AS_OF)
        await ui.open_form("e")
        assert ui.widget("balance").value == "131.250,50"
        assert ui.hint("balance") == "the bank balance on that date", "nothing typed: the help"
        await ui.fill("date", "2026-11-27")
        await ui.save_ok()
        assert _cash_on(ui.stored(), date(2026, 11, 27)).balance == 131250.5


# --------------------------------------------------------------------------- dates with month names


@pytest.mark.parametrize(
    "typed, day",
    [
        ("1 sep 2026", date(2026, 9, 1)),
        ("1 September 2026", date(2026, 9, 1)),
        ("1 mrt 2026", date(2026, 3, 1)),
        ("1-MRT-2026", date(2026, 3, 1)),
        ("sep 1, 2026", date(2026, 9, 1)),
        ("3 okt 2026", date(2026, 10, 3)),
    ],
)
async def test_a_date_with_a_month_name_is_read(demo_app, driver, typed, day) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = {i.id for i in ui.stored().invoices}
        await _add(ui, "invoices")
        await ui.set("client", "c-acme")
        await ui.fill("issued", typed)
        assert ui.hint("issued") == f"read as {day:%A %d %B %Y}"
        await ui.fill("amount", "3.500")
        await ui.save_ok()
        assert [i.issued for i in ui.stored().invoices if i.id not in before] == [day]


async def test_an_unknown_or_ambiguous_month_is_said(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _add(ui, "invoices")
        await ui.fill("issued", "1 sepp 2026")
        assert ui.hint("issued") == "Issued: sepp is not a month name (English or Dutch), e.g. 1 sep 2026 or 1 mrt 2026"
        await ui.fill("issued", "1 ma 2026")
        assert ui.hint("issued") == "Issued: ma could be March or May: write more of the month, e.g. 1 sep 2026"
        await ui.fill("issued", "1 mei 2026")
        assert ui.hint("issued") == "read as Friday 01 May 2026"


# --------------------------------------------------------------------------- is this right?


async def test_a_balance_90_percent_below_the_previous_one_is_asked_once(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        file_before = ui.file_bytes()
        await _add(ui, "cash")
        await ui.fill("balance", "97,25")  # meant 97.250: a slip the number style cannot catch
        assert ui.hint("balance") == "read as 97,25 EUR"
        await ui.save()
        assert ui.form_is_open(), "asked, not saved"
        question = "Is this right? Balance 97,25 EUR is 99% below the balance of 2026-11-25 (136.000,00 EUR)."
        assert question in ui.form_errors()
        assert "ctrl+s again saves it as typed" in ui.form_errors()
        assert ui.hint("balance") == question
        assert ui.app.focused is ui.widget("balance"), "the cursor is where the fix is typed"
        assert ui.file_bytes() == file_before
        await ui.pilot.press("ctrl+s")  # the second time: saved as typed
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to save")
        assert _cash_on(ui.stored(), AS_OF).balance == 97.25


async def test_an_answered_question_is_asked_again_for_another_slip(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _add(ui, "cash")
        await ui.fill("balance", "97,25")
        await ui.save()
        assert "Is this right?" in ui.form_errors()
        await ui.fill("balance", "9,72")  # another value: asked about it too
        await ui.save()
        assert ui.form_is_open() and "Balance 9,72 EUR is 99% below" in ui.form_errors()
        await ui.fill("balance", "97.250")  # fixed: saved at once
        await ui.save_ok()
        assert _cash_on(ui.stored(), AS_OF).balance == 97250


async def test_an_invoice_a_hundred_times_the_clients_usual_is_asked(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        data = ui.stored()
        before = {i.id for i in data.invoices}
        await _add(ui, "invoices")
        await ui.set("client", "c-acme")
        await ui.fill("amount", "350.000")
        await ui.save()
        assert ui.form_is_open()
        errors = ui.form_errors()
        assert (
            "Is this right? Amount 350.000,00 EUR is 100 times ACME [Ltd]'s usual invoice (3.500,00 EUR, the median of 16)."
            in errors
        )
        await ui.pilot.press("ctrl+s")
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to save")
        assert [i.amount for i in ui.stored().invoices if i.id not in before] == [350000]


async def test_a_monthly_fee_a_hundred_times_the_others_is_asked(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _add(ui, "engagements")
        await ui.set("client", "c-lumen")
        await ui.set("kind", "retainer")
        await ui.fill("monthly_fee", "350.000")
        await ui.save()
        assert ui.form_is_open()
        assert "Is this right? Monthly fee 350.000,00 EUR is 100 times the usual of the other retainers" in (
            ui.form_errors()
        )
        await ui.fill("monthly_fee", "3.500")  # fixed: saved at the next ctrl+s
        await ui.save_ok()
        assert [e.monthly_fee for e in ui.stored().engagements if e.client == "c-lumen" and e.kind == "retainer"] == [
            3500
        ]


async def test_a_capacity_of_100000_hours_a_week_is_asked(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("profile")
        await ui.open_form("e")
        await ui.fill("weekly_capacity_hours", "100.000")
        assert ui.hint("weekly_capacity_hours") == "read as 100.000 hours"
        await ui.save()
        assert ui.form_is_open()
        assert (
            "Is this right? A weekly capacity of 100.000 hours is 2.500 people working 40 hours a week."
            in ui.form_errors()
        )
        assert ui.stored().agency.weekly_capacity_hours == 105
        await ui.pilot.press("ctrl+s")
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to save")
        assert ui.stored().agency.weekly_capacity_hours == 100000


async def test_a_plausible_profile_saves_at_once(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("profile")
        await ui.open_form("e")
        await ui.fill("weekly_capacity_hours", "120")
        await ui.fill("monthly_operating_costs", "36.500,50")
        assert ui.hint("monthly_operating_costs") == "read as 36.500,50 EUR"
        await ui.save_ok()
        agency = ui.stored().agency
        assert (agency.weekly_capacity_hours, agency.monthly_operating_costs) == (120, 36500.5)
