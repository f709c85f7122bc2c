"""Pilot tests: the tables and the edit forms write amounts in the agency's number style, the
one its forms read: a EUR agency (the demo, no number style set: 1.234,56) sees 12.500 in the
Amount column and in the field it opens to edit, and saving that unchanged keeps 12500; a USD
agency sees 12,500. Amounts with cents show both of them (131.250,50), as the "read as" echo does.
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


def _app(tmp_path: Path, amounts: dict[str, float], **agency: Any) -> AdvisorApp:
    """The demo agency with some invoices' amounts and its profile changed."""
    doc = read_document(paths.sample_file("demo"))
    doc["agency"].update(agency)
    for inv in doc["invoices"]:
        if inv["id"] in amounts:
            inv["amount"] = amounts[inv["id"]]
    store = Store(tmp_path / "agency.json")
    store.import_document(doc, replace=True)
    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    return AdvisorApp(ws)


def _amount_cell(ui: Any, key: str) -> str:
    i = ui.row_keys().index(repr(key))
    column = [c.key.value for c in ui.table.ordered_columns].index("amount")
    return ui.rows()[i][column]


def _invoice(data: Any, key: str) -> Any:
    return next(i for i in data.invoices if i.id == key)


async def test_a_eur_agency_sees_and_edits_12_500(tmp_path, driver) -> None:
    app = _app(tmp_path, {"inv-0001": 12500, "inv-0002": 131250.5, "inv-0003": -1250.5})
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        assert _amount_cell(ui, "inv-0001") == "12.500"
        assert _amount_cell(ui, "inv-0002") == "131.250,50"
        assert _amount_cell(ui, "inv-0003") == "-1.250,50"
        assert _amount_cell(ui, "inv-0004") == "1.500"
        ui.select_row("invoices", "inv-0001")
        await ui.open_form("e")
        assert ui.widget("amount").value == "12.500"
        before = _invoice(ui.stored(), "inv-0001")
        await ui.save()
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to close")
        after = _invoice(ui.stored(), "inv-0001")
        assert after.amount == 12500 and isinstance(after.amount, int)
        assert after == before, "saved unchanged: the same invoice"
        assert _amount_cell(ui, "inv-0001") == "12.500"

        ui.select_row("invoices", "inv-0002")
        await ui.open_form("e")
        assert ui.widget("amount").value == "131.250,50"
        await ui.fill("amount", "131.250,75")  # an edit in the shown style is read in it
        assert ui.hint("amount") == "read as 131.250,75 EUR"
        await ui.save_ok()
        assert _invoice(ui.stored(), "inv-0002").amount == 131250.75
        await ui.wait_until(lambda: _amount_cell(ui, "inv-0002") == "131.250,75", "the table to show the edit")


async def test_a_usd_agency_sees_12_500_the_english_way(tmp_path, driver) -> None:
    app = _app(tmp_path, {"inv-0001": 12500, "inv-0002": 131250.5}, currency="USD")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        assert _amount_cell(ui, "inv-0001") == "12,500"
        assert _amount_cell(ui, "inv-0002") == "131,250.50"
        ui.select_row("invoices", "inv-0001")
        await ui.open_form("e")
        assert ui.widget("amount").value == "12,500"
        await ui.save()
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to close")
        assert _invoice(ui.stored(), "inv-0001").amount == 12500


async def test_the_style_setting_wins_over_the_currency(tmp_path, driver) -> None:
    app = _app(tmp_path, {"inv-0001": 12500}, currency="USD", number_style="1.234,56")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        assert _amount_cell(ui, "inv-0001") == "12.500"


async def test_every_money_column_of_a_eur_agency_is_in_its_style(demo_app, driver) -> None:
    """Cash Balance, engagements' Fee/price, inquiries' Value: 1.234 grouped with '.';
    hours a week (not money) stay as they are."""
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        for mode, column in (("cash", "balance"), ("engagements", "fee"), ("inquiries", "estimated_value")):
            await ui.goto(mode)
            index = [c.key.value for c in ui.table.ordered_columns].index(column)
            cells = [row[index] for row in ui.rows() if row[index]]
            assert cells, f"{mode}: no {column} shown"
            big = [c for c in cells if len(c.replace(".", "").replace(",", "").lstrip("-")) > 3]
            assert big, f"{mode}: no amount of 1.000 or more to look at"
            assert all("." in c and "," not in c for c in big), (mode, big)  # the demo's amounts are whole
        await ui.goto("engagements")
        index = [c.key.value for c in ui.table.ordered_columns].index("hours_per_week")
        assert all("." not in row[index] for row in ui.rows())


def _advice_detail(ui: Any) -> str:
    from textual.widgets import Static

    return str(ui.screen.query_one("#detail", Static).render())


@pytest.mark.parametrize("agency, balance", [({}, "136.000 EUR"), ({"currency": "USD"}, "136,000 USD")])
async def test_the_advice_is_in_the_agencys_style(tmp_path, driver, agency, balance) -> None:
    """The demo's first recommendation (cash covers 4.0 months): its message writes the balance
    136.000 EUR in a EUR agency, 136,000 USD in a USD one."""
    app = _app(tmp_path, {}, **agency)
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("advice")
        await ui.wait_until(lambda: "The numbers:" in _advice_detail(ui), "the first recommendation's detail")
        text = _advice_detail(ui)
        assert text.startswith("Cash covers 4.0 months of costs"), text[:80]
        assert f"The bank balance of {balance} covers" in text
