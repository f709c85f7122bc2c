"""The app's import screen on an export with the amounts before tax (a Pilot at 80x24, keys only):
the Columns tab maps "Before tax", the Read as tab reads it, the dry run says which column the
amounts come from, and the import stores the amounts excl. btw (the advice compares revenue,
before VAT, with the costs)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Select, Static, TabbedContent

from tui_advisor import paths
from tui_advisor.store import Store
from tui_advisor.ui.app import AdvisorApp
from tui_advisor.workspace import Workspace, load_rulebook, read_document

AS_OF = date(2026, 11, 26)
SIZE = (80, 24)
EXPORT = (
    "Factuurnummer;Contact;Factuurdatum;Vervaldatum;Totaalbedrag excl. btw;Totaalbedrag incl. btw;Status\n"
    "2026-0101;ACME [Ltd];01-09-2026;15-09-2026;1.000,00;1.210,00;Open\n"
    "2026-0102;ACME [Ltd];01-10-2026;15-10-2026;2.500,00;3.025,00;Open\n"
)


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _app(folder: Path) -> AdvisorApp:
    folder.mkdir(parents=True, exist_ok=True)
    store = Store(folder / "agency.json")
    store.import_document(read_document(paths.sample_file("demo")), replace=True)
    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    return AdvisorApp(ws)


def _plain(value: object) -> str:
    return getattr(value, "plain", None) or str(value)


def _screen(ui):
    from tui_advisor.ui.screens.importing import ImportScreen

    return ui.screen if isinstance(ui.screen, ImportScreen) else None


def _text(ui, wid: str) -> str:
    return _plain(_screen(ui).query_one(f"#{wid}", Static).render())


def _table(ui, wid: str) -> list[list[str]]:
    table = _screen(ui).query_one(f"#{wid}", DataTable)
    return [[_plain(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def _pick(ui, wid: str, search: str) -> None:
    select = _screen(ui).query_one(f"#{wid}", Select)
    select.focus()
    await ui.wait_until(lambda: select.has_focus, f"#{wid} to have the focus")
    await ui.pilot.press("enter")
    await ui.wait_until(lambda: select.expanded, f"the list of #{wid} to open")
    await ui.pilot.press(*search, "enter")
    await ui.wait_until(lambda: not select.expanded, f"the list of #{wid} to close")
    await ui.pilot.pause()


async def _tab(ui, tab: str) -> None:
    tabs = _screen(ui).query_one("#imp-tabs", TabbedContent)
    for _ in range(4):
        if tabs.active == f"tab-{tab}":
            return
        await ui.pilot.press("ctrl+n")
        await ui.pilot.pause()
    assert tabs.active == f"tab-{tab}", tabs.active


async def test_the_amounts_before_tax_are_mapped_read_said_and_imported(tmp_path, driver):
    from tui_advisor.ui.screens.dialogs import ConfirmScreen

    csv = tmp_path / "facturen.csv"
    csv.write_text(EXPORT, encoding="utf-8")
    app = _app(tmp_path / "a")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        await pilot.press("i")
        await ui.wait_until(lambda: _screen(ui) is not None, "the import screen")
        await ui.wait_until(lambda: ui.app.focused is not None and ui.app.focused.id == "imp-path", "the path")
        await pilot.press(*os.path.relpath(csv), "enter")
        await ui.wait_until(lambda: bool(_table(ui, "imp-rows")), "the file read")
        await _pick(ui, "imp-profile", "moneybird")

        net = _screen(ui).query_one("#map-net", Select).query_one("#label", Static)
        assert _plain(net.render()) == "Totaalbedrag excl. btw  e.g. 1.000,00"
        await _tab(ui, "readas")
        read = {(row[0], row[1]): row[3] for row in _table(ui, "imp-readas")}
        assert read[("2", "Before tax")] == "1.000,00 EUR" and read[("2", "Amount")] == "1.210,00 EUR"

        before = ui.file_bytes()
        await pilot.press("ctrl+t")
        await ui.wait_until(lambda: "Dry run" in _text(ui, "imp-summary"), "the dry run")
        summary = _text(ui, "imp-summary")
        assert summary.count("amounts before tax: 'Totaalbedrag excl. btw'") == 1
        assert "overstate revenue" not in summary
        assert ui.file_bytes() == before

        await pilot.press("ctrl+s")
        await ui.wait_until(lambda: isinstance(ui.screen, ConfirmScreen), "the question before the import")
        await pilot.press("y")
        await ui.wait_until(lambda: _screen(ui) is not None, "back on the import screen")
        await ui.changes_stored()
        await ui.wait_until(lambda: "Imported" in _text(ui, "imp-status"), "the import")
        stored = {inv.id: inv.amount for inv in ui.stored().invoices}
        assert stored["2026-0101"] == 1000.0 and stored["2026-0102"] == 2500.0  # excl. btw
