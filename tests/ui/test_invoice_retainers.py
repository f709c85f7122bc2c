"""Pilot tests of 'Invoice the running retainers' (key m on the invoices table): the month it
uses, the confirmation listing what it creates and skips, the invoices appearing, once a month."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Button, Label, Static

from tui_advisor import paths
from tui_advisor.store import Store
from tui_advisor.ui.app import AdvisorApp
from tui_advisor.workspace import Workspace, load_rulebook, read_document

DEMO_RETAINERS = [
    "e-acme-retainer",
    "e-bergmann-retainer",
    "e-harbor-retainer",
    "e-juniper-retainer",
    "e-maple-retainer",
]


def _app(tmp_path: Path, as_of: date) -> AdvisorApp:
    store = Store(tmp_path / "agency.json")
    store.import_document(read_document(paths.sample_file("demo")), replace=True)
    ws = Workspace(store, load_rulebook(), as_of=as_of)
    ws.load()
    return AdvisorApp(ws)


def _plain(widget) -> str:
    rendered = widget.render() if isinstance(widget, Static) else widget.renderable
    return getattr(rendered, "plain", None) or str(rendered)


def _dialog(ui):
    from tui_advisor.ui.screens.retainers import RetainersScreen

    return ui.screen if isinstance(ui.screen, RetainersScreen) else None


async def _open(ui) -> None:
    await ui.pilot.press("m")
    await ui.wait_until(lambda: _dialog(ui) is not None, "the retainers dialog")


def _texts(ui) -> tuple[str, str]:
    screen = _dialog(ui)
    return _plain(screen.query_one("#retainers-question", Label)), _plain(screen.query_one("#retainers-lines", Static))


async def test_m_lists_the_months_retainers_and_y_creates_their_invoices_once(tmp_path, driver):
    app = _app(tmp_path, date(2026, 12, 1))
    async with app.run_test(size=(80, 24)) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        before = len(ui.rows())
        assert "m invoice 2026-12's retainers" in ui.info()  # the month it will use
        await _open(ui)
        question, lines = _texts(ui)
        assert "Invoice the running retainers of 2026-12?" in question
        assert "5 retainer invoices of 2026-12 (20.000,00 EUR), 2 skipped" in question
        assert "+ the ACME [Ltd] retainer: 3.500,00 EUR, issued 2026-12-01, due 2026-12-31" in lines
        assert "Lumen Labs project, Apr-Dec: a project: not a retainer" in lines
        assert ui.stored().invoices.__len__() == 108  # nothing written before the answer
        await pilot.press("y")
        await ui.wait_until(lambda: _dialog(ui) is None, "the dialog to close")
        await ui.changes_stored()
        await ui.wait_until(lambda: len(ui.rows()) == before + 5, "the five new invoices in the table")
        created = {f"ret-{e}-2026-12" for e in DEMO_RETAINERS}
        assert created <= {eval(k) for k in ui.row_keys()}  # row keys are repr(record key)
        stored = {inv.id: inv for inv in ui.stored().invoices}
        assert created <= set(stored)
        assert stored["ret-e-harbor-retainer-2026-12"].amount == 6500
        assert stored["ret-e-harbor-retainer-2026-12"].due == date(2026, 12, 31)
        assert any("Created 5 retainer invoices of 2026-12" in m for _, m, _ in ui.notifications())

        # once a month: the second time lists them as invoiced, and y creates nothing
        await _open(ui)
        question, lines = _texts(ui)
        assert "Nothing to invoice for 2026-12" in question
        assert "already invoiced for 2026-12 (ret-e-acme-retainer-2026-12)" in lines
        assert _dialog(ui).query_one("#yes", Button).disabled
        await pilot.press("y")
        await pilot.pause()
        assert _dialog(ui) is not None  # nothing to confirm: it stays open
        await pilot.press("escape")
        await ui.wait_until(lambda: _dialog(ui) is None, "the dialog to close")
        assert len(ui.stored().invoices) == 113


async def test_left_picks_an_earlier_month_and_n_writes_nothing(tmp_path, driver):
    app = _app(tmp_path, date(2026, 12, 1))
    async with app.run_test(size=(80, 24)) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        await _open(ui)
        await pilot.press("right")  # no later month than the current one
        await pilot.pause()
        assert "2026-12" in _texts(ui)[0]
        await pilot.press("left")
        await ui.wait_until(lambda: "2026-11" in _texts(ui)[0], "November")
        question, lines = _texts(ui)
        assert "Nothing to invoice for 2026-11" in question  # the demo has November's invoices
        assert "already invoiced for 2026-11 (inv-0104, issued 2026-11-02)" in lines
        before = ui.file_bytes()
        await pilot.press("n")
        await ui.wait_until(lambda: _dialog(ui) is None, "the dialog to close")
        await pilot.pause()
        assert ui.file_bytes() == before


async def test_the_key_is_only_on_the_invoices_table(tmp_path, driver):
    app = _app(tmp_path, date(2026, 12, 1))
    async with app.run_test(size=(80, 24)) as pilot:
        ui = driver(pilot)
        await ui.goto("clients")
        await pilot.press("m")
        await pilot.pause()
        assert _dialog(ui) is None
        assert "retainers" not in ui.info()


async def test_a_teammate_invoicing_first_is_found_under_the_lock(tmp_path, driver):
    from tui_advisor.workspace.retainers import write_retainer_invoices

    app = _app(tmp_path, date(2026, 12, 1))
    async with app.run_test(size=(80, 24)) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        before = len(ui.rows())
        await _open(ui)
        assert "This creates 5 retainer invoices" in _texts(ui)[0]
        # a teammate, in their own session, invoices December while the dialog is open
        teammate = write_retainer_invoices(Store(app.workspace.path), date(2026, 12, 1), date(2026, 12, 1))
        assert len(teammate.create) == 5
        await pilot.press("y")
        await ui.wait_until(lambda: _dialog(ui) is None, "the dialog to close")
        await ui.changes_stored()
        await ui.wait_until(
            lambda: any("Nothing created" in m for _, m, _ in ui.notifications()), "the app saying nothing was created"
        )
        assert len(ui.stored().invoices) == 113  # five, not ten
        await ui.wait_until(lambda: len(ui.rows()) == before + 5, "the teammate's invoices in the table")
