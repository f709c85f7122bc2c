"""Pilot tests of the import screen (key i on the invoices table), driven by key presses at 80x24:
a path typed, a profile or one's own mapping picked, the first rows, every date and amount "read
as", the dry run's counts and rejections (with their lines), the import, the invoices and clients
in the tables; a mapping saved as a profile that the command line then imports the same way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from tui_advisor import paths
from tui_advisor.store import Store
from tui_advisor.ui.app import AdvisorApp
from tui_advisor.workspace import Workspace, load_rulebook, read_document

AS_OF = date(2026, 11, 26)
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # paths are typed as a user in that folder types them


# Moneybird's shape: semicolons, Dutch amounts and dates, a BOM and CRLF, a quoted semicolon, a
# credit note, a draft (left out by the profile), a client typed with other case and spacing
MONEYBIRD = (
    "Factuurnummer;Contact;Factuurdatum;Vervaldatum;Totaalbedrag incl. btw;Betaald op;Status\n"
    '2026-0001;ACME [Ltd];01-09-2026;15-09-2026;"€ 1.234,56";10-09-2026;Betaald\n'
    '2026-0002;"Globex; Benelux";05-10-2026;19-10-2026;97.250,00;;Open\n'
    "2026-0003;acme   [LTD];06-10-2026;20-10-2026;-300,00;;Open\n"
    "2026-0004;Harbor & Lane Outfitters;07-11-2026;;12.000;;Open\n"
    "2026-0005;ACME [Ltd];08-11-2026;22-11-2026;500,00;;Concept\n"
)

# an export no built-in profile knows: English headers of its own, US dates, a decimal point
OWN = (
    "Doc No,Customer Name,Doc Date,Total Gross,Settled\n"
    'A-17,Maple & Rye Bakery,11/02/2026,"1,500.00",11/20/2026\n'
    "A-18,Northwind Traders,11/03/2026,2450.5,\n"
    "A-19,Maple & Rye Bakery,11/16/2026,-150.00,\n"
)


def _write(path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


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


def _status(ui) -> str:
    return _plain(_screen(ui).query_one("#imp-status", Static).render())


def _summary(ui) -> str:
    return _plain(_screen(ui).query_one("#imp-summary", Static).render())


def _table(ui, wid: str) -> list[list[str]]:
    table = _screen(ui).query_one(f"#{wid}", DataTable)
    return [[_plain(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def _open(ui) -> None:
    await ui.goto("invoices")
    await ui.pilot.press("i")
    await ui.wait_until(lambda: _screen(ui) is not None, "the import screen")
    await ui.wait_until(lambda: ui.app.focused is not None and ui.app.focused.id == "imp-path", "the path's focus")


def _typed(path: Path) -> str:
    """What a user in the test's folder (the working directory) types for ``path``."""
    return os.path.relpath(path)


async def _type_path(ui, path: Path) -> None:
    await ui.pilot.press(*_typed(path), "enter")
    await ui.wait_until(
        lambda: _table(ui, "imp-rows") or "red" in str(_screen(ui).query_one("#imp-status").render()), "the file read"
    )


async def _focus(ui, wid: str) -> None:
    widget = _screen(ui).query_one(f"#{wid}")
    widget.focus()
    await ui.wait_until(lambda: widget.has_focus, f"#{wid} to have the focus")


async def _pick(ui, wid: str, search: str) -> None:
    """A Select chosen with the keyboard: enter opens it, typing searches, enter picks."""
    select = _screen(ui).query_one(f"#{wid}", Select)
    await _focus(ui, wid)
    await ui.pilot.press("enter")
    await ui.wait_until(lambda: select.expanded, f"the list of #{wid} to open")
    await ui.pilot.press(*search, "enter")
    await ui.wait_until(lambda: not select.expanded, f"the list of #{wid} to close")
    await ui.pilot.pause()


async def _retype(ui, wid: str, text: str) -> None:
    await _focus(ui, wid)
    await ui.pilot.press("ctrl+a", "ctrl+k", *text)
    assert _screen(ui).query_one(f"#{wid}", Input).value == text


async def _tab(ui, tab: str) -> None:
    """ctrl+n (the next tab) until ``tab`` shows: rows, columns, readas, dryrun."""
    from textual.widgets import TabbedContent

    tabs = _screen(ui).query_one("#imp-tabs", TabbedContent)
    for _ in range(4):
        if tabs.active == f"tab-{tab}":
            return
        await ui.pilot.press("ctrl+n")
        await ui.pilot.pause()
    assert tabs.active == f"tab-{tab}", tabs.active


def _read_as(ui) -> dict[tuple[str, str], str]:
    """(line, field) -> what the value is read as."""
    return {(row[0], row[1]): row[3] for row in _table(ui, "imp-readas")}


async def _import(ui) -> None:
    from tui_advisor.ui.screens.dialogs import ConfirmScreen

    await ui.pilot.press("ctrl+s")
    await ui.wait_until(lambda: isinstance(ui.screen, ConfirmScreen), "the question before the import")
    await ui.pilot.press("y")
    await ui.wait_until(lambda: _screen(ui) is not None, "back on the import screen")
    await ui.changes_stored()
    await ui.wait_until(lambda: "Imported" in _status(ui) or "Nothing was imported" in _status(ui), "the import")


async def test_moneybird_export_read_as_dry_run_import_and_the_tables(tmp_path, driver):
    csv = _write(tmp_path / "facturen.csv", MONEYBIRD, bom=True, crlf=True)
    app = _app(tmp_path / "a")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        invoices_before = len(ui.app.workspace.data.invoices)
        await _open(ui)
        await _type_path(ui, csv)
        assert "facturen.csv: 7 columns" in _status(ui) and "it looks like: moneybird" in _status(ui)
        rows = _table(ui, "imp-rows")
        assert [r[0] for r in rows] == ["2", "3", "4", "5", "6"]  # the first rows, with their lines
        assert rows[1][2] == "Globex; Benelux"  # the quoted semicolon is in its field

        await _pick(ui, "imp-profile", "moneybird")
        assert _screen(ui).base is not None and _screen(ui).base.name == "moneybird"
        # the columns, each offered with a sample value
        shown = _screen(ui).query_one("#map-issued", Select).query_one("#label", Static)
        assert _plain(shown.render()) == "Factuurdatum  e.g. 01-09-2026"

        await _tab(ui, "readas")
        read = _read_as(ui)
        assert read[("2", "Issued")] == "2026-09-01"
        assert read[("2", "Amount")] == "1.234,56 EUR"
        assert read[("3", "Amount")] == "97.250,00 EUR"
        assert read[("4", "Amount")] == "-300,00 EUR"
        assert read[("5", "Amount")] == "12.000,00 EUR"
        assert read[("2", "Client")] == "ACME [Ltd] (a stored client)"
        assert read[("4", "Client")] == "ACME [Ltd] (a stored client)"  # case and spacing ignored
        assert read[("3", "Client")] == "Globex; Benelux (a new client)"
        assert read[("6", "Status")] == "Concept: left out"
        assert read[("3", "Paid on")] == "empty: open"

        before = ui.file_bytes()
        await pilot.press("ctrl+t")
        await ui.wait_until(lambda: "Dry run" in _summary(ui), "the dry run")
        summary = _summary(ui)
        assert "invoices: 4 new, 0 updated, 0 unchanged, 0 rejected; 1 row(s) left out; 1 new client(s)" in summary
        assert "New clients: Globex; Benelux" in summary
        # the export has no excl. btw or btw column: the totals are taken as they are, said once
        assert summary.count("amounts are taken as they are in 'Totaalbedrag incl. btw': if they include VAT") == 1
        assert ui.file_bytes() == before  # a dry run writes nothing

        await _import(ui)
        stored = {inv.id: inv for inv in ui.stored().invoices}
        assert {"2026-0001", "2026-0002", "2026-0003", "2026-0004"} <= set(stored)
        assert "2026-0005" not in stored  # the draft
        assert stored["2026-0002"].amount == 97250
        assert stored["2026-0001"].paid == date(2026, 9, 10)
        assert stored["2026-0004"].due == date(2026, 12, 7)  # no due date: the payment term (30 days)

        await pilot.press("escape")
        await ui.wait_until(lambda: _screen(ui) is None and ui.app.current_mode == "invoices", "the invoices table")
        await ui.wait_until(lambda: len(ui.rows()) == invoices_before + 4, "the imported invoices in the table")
        assert {"'2026-0001'", "'2026-0004'"} <= set(ui.row_keys())
        await ui.goto("clients")
        assert any("Globex; Benelux" in cell for row in ui.rows() for cell in row)

        # the same export again: nothing new
        await ui.goto("invoices")
        await pilot.press("i")
        await ui.wait_until(lambda: _screen(ui) is not None, "the import screen")
        await _type_path(ui, csv)
        await _pick(ui, "imp-profile", "moneybird")
        await pilot.press("ctrl+t")
        await ui.wait_until(lambda: "Dry run" in _summary(ui), "the dry run")
        assert "invoices: 0 new, 0 updated, 4 unchanged, 0 rejected" in _summary(ui)


def _cli(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "tui_advisor", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def _exported_invoices(data: Path, cwd: Path) -> dict[str, dict]:
    proc = _cli("export", "--data", data, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    names = {c["id"]: c["name"] for c in doc["clients"]}
    return {i["id"]: {**i, "client": names[i["client"]]} for i in doc["invoices"]}


async def test_my_own_mapping_saved_as_a_profile_imports_the_same_by_cli(tmp_path, driver):
    csv = _write(tmp_path / "export.csv", OWN)
    app = _app(tmp_path / "a")
    profile_path = tmp_path / "profiles" / "shop.toml"
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _open(ui)
        await _type_path(ui, csv)
        assert "delimiter ','" in _status(ui)
        assert _screen(ui).base is None  # my own: the screen guessed what it could
        await _tab(ui, "columns")
        await _pick(ui, "map-invoice", "Doc No")
        await _pick(ui, "map-client", "Customer")
        await _pick(ui, "map-issued", "Doc Date")
        await _pick(ui, "map-amount", "Total")
        await _pick(ui, "map-paid", "Settled")
        await _pick(ui, "imp-decimal", "1,234")
        # a date format that does not fit: every date says so
        await _retype(ui, "imp-datefmt", "%d-%m-%Y")
        await _tab(ui, "readas")
        await ui.wait_until(lambda: _read_as(ui).get(("2", "Issued"), "").startswith("✗"), "the dates refused")
        assert _read_as(ui)[("2", "Issued")] == "✗ not a date like 31-12-2026 (%d-%m-%Y)"
        await _tab(ui, "columns")
        await _retype(ui, "imp-datefmt", "%m/%d/%Y")
        await _tab(ui, "readas")
        await ui.wait_until(lambda: _read_as(ui).get(("2", "Issued")) == "2026-11-02", "the dates read")
        read = _read_as(ui)
        assert read[("2", "Amount")] == "1.500,00 EUR"  # in the agency's style (EUR: 1.234,56)
        assert read[("3", "Amount")] == "2.450,50 EUR"
        assert read[("4", "Amount")] == "-150,00 EUR"
        assert read[("2", "Paid on")] == "2026-11-20"

        # save the mapping as a profile, where the user says
        from tui_advisor.ui.screens.importing import SaveProfileScreen

        await pilot.press("ctrl+g")
        await ui.wait_until(lambda: isinstance(ui.screen, SaveProfileScreen), "the save dialog")
        field = ui.screen.query_one("#profile-path", Input)
        assert field.value.endswith(".toml") and "tui-advisor" in field.value  # the config dir, by default
        await pilot.press("ctrl+a", "ctrl+k", *_typed(profile_path), "ctrl+s")
        await ui.wait_until(lambda: _screen(ui) is not None and "Saved the profile" in _status(ui), "the profile saved")
        assert profile_path.is_file()
        assert "--profile" in _status(ui)

        await _import(ui)
        assert "3 new" in _status(ui)
    in_app = _exported_invoices(tmp_path / "a" / "agency.json", tmp_path)

    # the command line, with the saved profile, on another copy of the demo
    other = tmp_path / "b"
    _app(other)  # (a data file holding the demo)
    proc = _cli(
        "import", csv, "--profile", profile_path, "--data", other / "agency.json", "--as-of", "2026-11-26", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    by_cli = _exported_invoices(other / "agency.json", tmp_path)
    assert set(in_app) - set(by_cli) == set() and set(by_cli) - set(in_app) == set()
    assert {k: in_app[k] for k in ("A-17", "A-18", "A-19")} == {k: by_cli[k] for k in ("A-17", "A-18", "A-19")}
    assert in_app["A-17"]["client"] == "Maple & Rye Bakery" and in_app["A-17"]["amount"] == 1500


async def test_a_bad_row_is_shown_with_its_line_and_nothing_is_imported_unless_asked(tmp_path, driver):
    bad = MONEYBIRD.replace('"€ 1.234,56"', "1.234,56").replace("97.250,00", "97.25")  # line 3: the other style
    csv = _write(tmp_path / "facturen.csv", bad)
    app = _app(tmp_path / "a")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _open(ui)
        await _type_path(ui, csv)
        await _pick(ui, "imp-profile", "moneybird")
        await _tab(ui, "readas")
        read = _read_as(ui)
        assert read[("3", "Amount")].startswith("✗ ")
        assert "97.25" in read[("3", "Amount")] and "1.234,56" in read[("3", "Amount")]
        before = ui.file_bytes()
        await pilot.press("ctrl+t")
        await ui.wait_until(lambda: "Dry run" in _summary(ui), "the dry run")
        assert "1 rejected" in _summary(ui)
        rejected = _table(ui, "imp-rejected")
        assert len(rejected) == 1
        line, column, value, expected = rejected[0]
        assert (line, column, value) == ("3", "Totaalbedrag incl. btw", "97.25")
        assert "1.234,56" in expected

        from tui_advisor.ui.screens.dialogs import ConfirmScreen

        await pilot.press("ctrl+s")  # asks whether to leave the bad row out; n: nothing is written
        await ui.wait_until(lambda: isinstance(ui.screen, ConfirmScreen), "the question")
        assert "1 row(s) of facturen.csv cannot be imported" in _plain(ui.screen.question)
        await pilot.press("n")
        await ui.wait_until(lambda: _screen(ui) is not None, "back on the import screen")
        await pilot.pause()
        assert ui.file_bytes() == before

        await _import(ui)  # y: the rest goes in, the bad row stays out
        stored = {inv.id for inv in ui.stored().invoices}
        assert {"2026-0001", "2026-0003", "2026-0004"} <= stored and "2026-0002" not in stored


async def test_hostile_paths_are_refused_before_anything_is_read(tmp_path, driver):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "dir.csv"
    folder.mkdir()
    app = _app(tmp_path / "a")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _open(ui)
        await pilot.press(*_typed(fifo), "enter")
        await ui.wait_until(lambda: "FIFO" in _status(ui), "the FIFO refused")
        assert "is a FIFO (named pipe), not a file: nothing was read" in _status(ui)
        await pilot.press("ctrl+a", "ctrl+k", *_typed(folder), "enter")
        await ui.wait_until(lambda: "is a directory" in _status(ui), "the directory refused")
        await pilot.press("ctrl+a", "ctrl+k", *_typed(tmp_path / "none.csv"), "enter")
        await ui.wait_until(lambda: "no such file" in _status(ui), "a missing file said")
        assert _table(ui, "imp-rows") == []


@pytest.mark.skipif(os.geteuid() != 0, reason="a link owned by another user needs root to make")
async def test_a_link_another_user_made_is_not_followed(tmp_path, driver):
    real = _write(tmp_path / "real.csv", MONEYBIRD)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    os.lchown(link, 4242, 4242)
    app = _app(tmp_path / "a")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _open(ui)
        await pilot.press(*_typed(link), "enter")
        await ui.wait_until(lambda: "symbolic link" in _status(ui), "the link refused")
        assert "made by another user (uid 4242)" in _status(ui)
        assert _table(ui, "imp-rows") == []


async def test_saving_a_profile_over_a_file_asks_and_over_a_link_refuses(tmp_path, driver):
    csv = _write(tmp_path / "facturen.csv", MONEYBIRD)
    existing = tmp_path / "mine.toml"
    existing.write_text("# mine\n", encoding="utf-8")
    target = tmp_path / "target.toml"
    target.write_text("# not to be touched\n", encoding="utf-8")
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    app = _app(tmp_path / "a")
    from tui_advisor.ui.screens.dialogs import ConfirmScreen
    from tui_advisor.ui.screens.importing import SaveProfileScreen

    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _open(ui)
        await _type_path(ui, csv)
        await _pick(ui, "imp-profile", "moneybird")

        async def save_as(path: Path) -> None:
            await pilot.press("ctrl+g")
            await ui.wait_until(lambda: isinstance(ui.screen, SaveProfileScreen), "the save dialog")
            await pilot.press("ctrl+a", "ctrl+k", *_typed(path), "ctrl+s")

        await save_as(link)
        await ui.wait_until(lambda: _screen(ui) is not None and "not saved" in _status(ui), "the link refused")
        assert "is a symbolic link" in _status(ui)
        assert target.read_text(encoding="utf-8") == "# not to be touched\n" and link.is_symlink()

        await save_as(existing)
        await ui.wait_until(lambda: isinstance(ui.screen, ConfirmScreen), "the overwrite question")
        await pilot.press("n")
        await ui.wait_until(lambda: _screen(ui) is not None, "back on the import screen")
        assert existing.read_text(encoding="utf-8") == "# mine\n"

        await save_as(existing)
        await ui.wait_until(lambda: isinstance(ui.screen, ConfirmScreen), "the overwrite question")
        await pilot.press("y")
        await ui.wait_until(lambda: _screen(ui) is not None and "Saved the profile" in _status(ui), "saved")
        assert "[columns]" in existing.read_text(encoding="utf-8")


async def test_control_characters_in_a_file_are_shown_escaped_and_refused(tmp_path, driver):
    evil = MONEYBIRD.replace("Harbor & Lane Outfitters", "Evil\x1b[2J\x07 BV")
    csv = _write(tmp_path / "facturen.csv", evil)
    app = _app(tmp_path / "a")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _open(ui)
        await _type_path(ui, csv)
        await _pick(ui, "imp-profile", "moneybird")
        cells = [cell for row in _table(ui, "imp-rows") for cell in row]
        assert "Evil\\x1b[2J\\x07 BV" in cells and not any("\x1b" in c for c in cells)
        await _tab(ui, "readas")
        shown = _read_as(ui)[("5", "Client")]
        assert shown.startswith("✗ ") and "\x1b" not in shown
        await pilot.press("ctrl+t")
        await ui.wait_until(lambda: "Dry run" in _summary(ui), "the dry run")
        assert "1 rejected" in _summary(ui)
        assert [r[0] for r in _table(ui, "imp-rejected")] == ["5"]
        assert not any("\x1b" in c for r in _table(ui, "imp-rejected") for c in r)


async def test_the_command_palette_opens_it_over_the_invoices(tmp_path, driver):
    app = _app(tmp_path / "a")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Import invoices from a CSV", "enter")
        await ui.wait_until(lambda: _screen(ui) is not None, "the import screen")
        assert ui.app.current_mode == "invoices"
        await pilot.press("escape")
        await ui.wait_until(lambda: _screen(ui) is None, "the invoices table again")
        assert ui.app.current_mode == "invoices"


async def test_the_path_is_completed_as_it_is_typed(tmp_path, driver):
    _write(tmp_path / "facturen-november.csv", MONEYBIRD)
    (tmp_path / "exports").mkdir()
    app = _app(tmp_path / "a")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _open(ui)
        field = _screen(ui).query_one("#imp-path", Input)
        await pilot.press(*"fac")
        for _ in range(50):  # right takes the completion once it is offered (it comes as typed, in the background)
            await pilot.press("right")
            if field.value != "fac":
                break
            await pilot.pause(0.05)
        assert field.value == "facturen-november.csv"
        await pilot.press("enter")
        await ui.wait_until(lambda: _table(ui, "imp-rows"), "the file read")
        assert "facturen-november.csv: 7 columns" in _status(ui)


async def test_a_whole_import_by_keys_alone(tmp_path, driver):
    """From the invoices table to the invoices imported, only keys: i, the path (completed), enter,
    tab to the profile, pick it, the dry run, the import, y, esc; the keys are counted."""
    from tui_advisor.ui.screens.dialogs import ConfirmScreen

    _write(tmp_path / "facturen.csv", MONEYBIRD, bom=True)
    app = _app(tmp_path / "a")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        before = len(ui.rows())
        keys = 0

        async def press(*ks: str) -> None:
            nonlocal keys
            keys += len(ks)
            await pilot.press(*ks)

        await press("i")
        await ui.wait_until(lambda: _screen(ui) is not None, "the import screen")
        field = _screen(ui).query_one("#imp-path", Input)
        await press(*"fa")
        while field.value == "fa" and keys < 40:
            await press("right")
            await pilot.pause(0.05)
        assert field.value == "facturen.csv"
        await press("enter")
        await ui.wait_until(lambda: _table(ui, "imp-rows"), "the file read")
        await press("tab")
        await ui.wait_until(lambda: ui.app.focused is not None and ui.app.focused.id == "imp-profile", "the profile")
        await press("enter", "m", "o", "enter")
        await ui.wait_until(lambda: _screen(ui).base is not None, "moneybird picked")
        assert _screen(ui).base.name == "moneybird"
        await press("ctrl+t")
        await ui.wait_until(lambda: "4 new" in _summary(ui), "the dry run")
        await press("ctrl+s")
        await ui.wait_until(lambda: isinstance(ui.screen, ConfirmScreen), "the question")
        await press("y")
        await ui.changes_stored()
        await ui.wait_until(lambda: _screen(ui) is not None and "Imported" in _status(ui), "imported")
        await press("escape")
        await ui.wait_until(lambda: len(ui.rows()) == before + 4, "the invoices in the table")
        assert keys <= 16, keys  # i, f, a, right, enter, tab, enter, m, o, enter, ctrl+t, ctrl+s, y, esc


# ---- the amounts before tax: the Columns tab maps "Before tax", the Read as tab reads it, the dry
# run says which column the amounts come from, and the import stores the amounts excl. btw (the advice
# compares revenue, before VAT, with the costs)

EXCL_AND_INCL = (
    "Factuurnummer;Contact;Factuurdatum;Vervaldatum;Totaalbedrag excl. btw;Totaalbedrag incl. btw;Status\n"
    "2026-0101;ACME [Ltd];01-09-2026;15-09-2026;1.000,00;1.210,00;Open\n"
    "2026-0102;ACME [Ltd];01-10-2026;15-10-2026;2.500,00;3.025,00;Open\n"
)


async def test_the_amounts_before_tax_are_mapped_read_said_and_imported(tmp_path, driver):
    csv = tmp_path / "facturen.csv"
    csv.write_text(EXCL_AND_INCL, encoding="utf-8")
    app = _app(tmp_path / "a")
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await _open(ui)
        await pilot.press(*_typed(csv), "enter")
        await ui.wait_until(lambda: bool(_table(ui, "imp-rows")), "the file read")
        await _pick(ui, "imp-profile", "moneybird")

        net = _screen(ui).query_one("#map-net", Select).query_one("#label", Static)
        assert _plain(net.render()) == "Totaalbedrag excl. btw  e.g. 1.000,00"
        await _tab(ui, "readas")
        read = _read_as(ui)
        assert read[("2", "Before tax")] == "1.000,00 EUR" and read[("2", "Amount")] == "1.210,00 EUR"

        before = ui.file_bytes()
        await pilot.press("ctrl+t")
        await ui.wait_until(lambda: "Dry run" in _summary(ui), "the dry run")
        summary = _summary(ui)
        assert summary.count("amounts before tax: 'Totaalbedrag excl. btw'") == 1
        assert "overstate revenue" not in summary
        assert ui.file_bytes() == before

        await _import(ui)
        stored = {inv.id: inv.amount for inv in ui.stored().invoices}
        assert stored["2026-0101"] == 1000.0 and stored["2026-0102"] == 2500.0  # excl. btw
