"""Forms and tables a newcomer gets right (issue 12, section 3), driven by key presses.

Esc on a changed form asks before discarding it (on an unchanged one it closes at once);
a refused save (a problem in the values, a teammate's conflicting change, a store error,
an error nobody expected) keeps everything typed in the form.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Input, Label, Select

from tui_advisor.store import Store
from tui_advisor.ui.screens.dialogs import DiscardScreen, MergeScreen
from tui_advisor.ui.screens.form import FormScreen
from tui_advisor.workspace import StoreError

SIZE = (120, 40)


def plain(value: object) -> str:
    return getattr(value, "plain", None) or str(value)


def question(screen: object) -> str:
    return " ".join(plain(label.render()) for label in screen.query(Label))  # type: ignore[attr-defined]


async def edit_invoice(ui, key: str = "inv-0003") -> None:
    await ui.goto("invoices")
    ui.select_row("invoices", key)
    await ui.open_form("e")


# --------------------------------------------------------------------------- Esc on a form


async def test_esc_on_an_unchanged_form_closes_it_at_once(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await edit_invoice(ui)
        await pilot.press("escape")
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to close")
        assert not isinstance(ui.screen, DiscardScreen)
        await ui.open_form("a")  # a new record's form, untouched: the same
        await pilot.press("escape")
        await ui.wait_until(lambda: not ui.form_is_open(), "the new form to close")
        assert not isinstance(ui.screen, DiscardScreen)


async def test_esc_on_a_changed_form_asks_and_keeps_editing_or_discards(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = ui.file_bytes()
        await edit_invoice(ui)
        await ui.fill("amount", "9999")
        await pilot.press("escape")
        await ui.wait_until(lambda: isinstance(ui.screen, DiscardScreen), "the question")
        assert question(ui.screen) == "Discard your changes to this invoice?"
        await pilot.press("escape")  # esc again: keep editing, nothing lost
        await ui.wait_until(ui.form_is_open, "the form again")
        assert ui.widget("amount").value == "9999"
        await pilot.press(*"1")  # the cursor is back in the field it was in
        assert ui.widget("amount").value == "99991"
        await pilot.press("escape")
        await ui.wait_until(lambda: isinstance(ui.screen, DiscardScreen), "the question again")
        await pilot.press("d")
        await ui.wait_until(lambda: not ui.form_is_open() and not isinstance(ui.screen, DiscardScreen), "the close")
        assert ui.file_bytes() == before  # discarded: nothing was stored
        # typing a change back to what it was leaves the form unchanged: esc closes it at once
        await ui.open_form("e")
        await ui.fill("amount", "12")
        await ui.fill("amount", ui.form._opened_with["amount"])
        await pilot.press("escape")
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to close")
        assert not isinstance(ui.screen, DiscardScreen)


async def test_a_new_record_with_a_picked_value_asks_too(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("engagements")
        await ui.open_form("a")
        await ui.pick("client", "Lumen")
        await pilot.press("escape")
        await ui.wait_until(lambda: isinstance(ui.screen, DiscardScreen), "the question")
        assert question(ui.screen) == "Discard your changes to this new engagement?"
        await pilot.press("k")
        await ui.wait_until(ui.form_is_open, "the form again")
        assert ui.widget("client").value == "c-lumen"


# --------------------------------------------------------------------------- a refused save keeps the input


def typed(ui) -> dict[str, object]:
    return {name: value for name, value in ui.form.typed().items()}


async def test_a_save_refused_for_its_values_keeps_what_was_typed(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = ui.file_bytes()
        await edit_invoice(ui)
        await ui.fill("amount", "4321")
        await ui.fill("paid", "2020-01-01")  # before the issue date: the core's rule refuses it
        shown = typed(ui)
        await ui.save()
        assert ui.form_is_open()
        assert "issue date" in ui.hint("paid")
        assert typed(ui) == shown
        assert ui.file_bytes() == before


async def test_a_save_refused_by_the_store_keeps_what_was_typed(demo_app, driver, monkeypatch) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = ui.file_bytes()
        store = ui.app.workspace.store

        def refuse(*args, **kwargs):
            raise StoreError(store.path, "the disk is full")

        monkeypatch.setattr(store, "put", refuse)
        await edit_invoice(ui)
        await ui.fill("amount", "4321")
        shown = typed(ui)
        await ui.save()
        await ui.changes_stored()
        assert ui.form_is_open()
        assert "the disk is full" in ui.form_errors() and "still here" in ui.form_errors()
        assert typed(ui) == shown
        assert ui.file_bytes() == before
        monkeypatch.undo()
        await ui.save_ok()  # ctrl+s again, now it can be stored: what was typed is stored
        assert next(i for i in ui.stored().invoices if i.id == "inv-0003").amount == 4321


async def test_an_unexpected_error_while_checking_keeps_what_was_typed(demo_app, driver, monkeypatch) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await edit_invoice(ui)
        await ui.fill("amount", "4321")
        shown = typed(ui)

        def broken(*args, **kwargs):
            raise KeyError("something nobody expected")

        monkeypatch.setattr(ui.form, "save_function", broken)
        await ui.save()
        assert ui.form_is_open() and ui.app.is_running
        assert "KeyError" in ui.form_errors()
        assert typed(ui) == shown


async def test_a_teammates_change_in_between_keeps_what_was_typed(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await edit_invoice(ui)
        await ui.fill("amount", "4321")
        shown = typed(ui)
        teammate = Store(ui.app.workspace.store.path)
        old = next(i for i in teammate.load().invoices if i.id == "inv-0003")
        teammate.put("invoices", replace(old, amount=1111))
        await ui.save()
        # the same field (the amount) changed by both: theirs and yours side by side (test_merge.py)
        await ui.wait_until(lambda: isinstance(ui.screen, MergeScreen), "the side-by-side dialog")
        await pilot.press("escape")  # keep editing
        await ui.wait_until(ui.form_is_open, "the form again")
        assert typed(ui) == shown
        assert isinstance(ui.screen, FormScreen) and isinstance(ui.widget("amount"), Input)


# --------------------------------------------------------------------------- the `/` filter


def shown_keys(ui) -> set[str]:
    return set(ui.row_keys())


def acme_invoices(ui) -> set[str]:
    """The invoices whose client's name holds 'acme', from the file itself."""
    data = ui.stored()
    names = data.client_names()
    return {repr(i.id) for i in data.invoices if "acme" in names.get(i.client, i.client).lower()}


async def filter_by(ui, text: str) -> None:
    from tui_advisor.ui.screens.records import FilterInput

    await ui.pilot.press("slash")
    box = ui.screen.query_one("#records-filter", FilterInput)
    await ui.wait_until(lambda: box.display and box.has_focus, "the filter box")
    await ui.pilot.press(*text)
    await ui.wait_until(lambda: ui.screen.filter_text == text, "the filter to hold what was typed")


async def test_slash_filters_the_rows_as_typed_and_counts_them(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        total = ui.table.row_count
        expected = acme_invoices(ui)
        assert 0 < len(expected) < total
        await filter_by(ui, "aC")  # live: after two letters, the rows holding 'ac' anywhere shown
        assert all("ac" in " ".join(row).lower() for row in ui.rows())
        await pilot.press(*"Me")  # case does not matter; a client column is searched by the client's name
        await ui.wait_until(lambda: shown_keys(ui) == expected, "only ACME's invoices")
        assert f"Invoices: {len(expected)} of {total} shown" in ui.info()
        assert f"{len(expected)} of {total} shown" in ui.screen.title
        await pilot.press("enter")  # the filter stays, the table has the keys again
        await ui.wait_until(lambda: ui.table.has_focus, "the table to have the focus")
        assert shown_keys(ui) == expected
        await pilot.press("escape")  # esc on the table clears the filter too
        await ui.wait_until(lambda: ui.table.row_count == total, "every row again")
        assert "shown" not in ui.info()
        await filter_by(ui, "no such thing anywhere")
        await ui.wait_until(lambda: ui.table.row_count == 0, "no row")
        assert f"0 of {total} shown" in ui.info()
        await pilot.press("escape")  # esc in the box: cleared and closed, back on the table
        await ui.wait_until(lambda: ui.table.row_count == total and ui.table.has_focus, "every row, the table")
        assert not ui.screen.query_one("#records-filter").display


async def test_edit_sort_delete_and_undo_act_on_the_filtered_record(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        expected = acme_invoices(ui)
        await filter_by(ui, "acme")
        await pilot.press("enter")
        await ui.wait_until(lambda: ui.table.has_focus and shown_keys(ui) == expected, "the filtered table")
        await pilot.press("s", "s", "s")  # sort by Amount (Id, Client, Issued, Amount): the filter stays
        await ui.wait_until(lambda: "sorted by Amount" in ui.info(), "the sort")
        await pilot.press("r")
        await ui.wait_until(lambda: "▼" in ui.info(), "the sort reversed")
        assert shown_keys(ui) == expected
        # the third row: edit it, and it is that invoice that changes
        await pilot.press("down", "down")
        third = ui.row_keys()[2]
        await ui.wait_until(lambda: repr(ui.screen.selected().id) == third, "the cursor on the third row")
        await ui.open_form("e")
        assert third.strip("'") in ui.form.form_title
        await ui.fill("amount", "3456")
        await ui.save_ok()
        stored = {i.id: i for i in ui.stored().invoices}
        assert stored[third.strip("'")].amount == 3456
        await ui.wait_until(lambda: shown_keys(ui) == expected, "the filter still on after the save")
        # delete the first row shown, then undo: that one goes and comes back
        table = ui.table
        table.move_cursor(row=0)
        first = ui.row_keys()[0]
        await ui.wait_until(lambda: repr(ui.screen.selected().id) == first, "the cursor on the first row")
        await pilot.press("d")
        await ui.confirm("y")
        assert first.strip("'") not in {i.id for i in ui.stored().invoices}
        assert len(ui.stored().invoices) == len(stored) - 1
        await ui.wait_until(lambda: shown_keys(ui) == expected - {first}, "the deleted row gone from the filtered rows")
        await pilot.press("u")
        await ui.changes_stored()
        assert {i.id: i for i in ui.stored().invoices}.keys() == stored.keys()
        await ui.wait_until(lambda: shown_keys(ui) == expected, "the row back, the filter still on")


# --------------------------------------------------------------------------- 80x24 and 120x40


def screen_lines(app) -> list[str]:
    from ui.test_markup import screen_text  # the terminal's text as the user sees it

    return screen_text(app).splitlines()


def header_line(app, kind) -> str:
    """The line of the screen that holds the table's header (the first column's label)."""
    table = app.screen.query_one("#records")
    y = table.region.y  # the header is the table's first line
    return screen_lines(app)[y]


RECORD_MODES = ["cash", "clients", "engagements", "invoices", "inquiries", "journey", "actions"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_every_column_header_is_on_the_screen(demo_app, driver, size) -> None:
    """At 80x24 every column but the optional ones (ids the form shows, an inquiry's source) is on
    the screen, whole; the info line names any left out. At 120x40, every column."""
    from tui_advisor.forms import KINDS

    async with demo_app.run_test(size=size) as pilot:
        ui = driver(pilot)
        for mode in RECORD_MODES:
            await ui.goto(mode)
            await pilot.pause()
            header = header_line(ui.app, KINDS[mode])
            assert len(header) <= size[0]
            labels = [c.label for c in KINDS[mode].columns]
            wanted = [c.label for c in KINDS[mode].columns if size[0] >= 120 or not c.optional]
            for label in wanted:
                assert f" {label} " in f"{header} ", f"{mode}: {label!r} not in the header {header!r}"
            left_out = [label for label in labels if f" {label} " not in f"{header} "]
            if left_out:
                assert f"{', '.join(left_out)}: not shown, the terminal is too narrow" in ui.info()
            # the footer: the keys end with Help and Quit, nothing cut off
            footer = screen_lines(ui.app)[size[1] - 1]
            assert "? Help" in footer and "q Quit" in footer, f"{mode}: the footer {footer!r}"


async def test_the_paid_dates_are_whole_at_80x24(demo_app, driver) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        await pilot.pause()
        lines = screen_lines(ui.app)
        paid = {i.id: i.paid for i in ui.stored().invoices}
        rows = [line for line in lines if line.strip().startswith("inv-")]
        assert len(rows) >= 10
        for line in rows:
            key = line.split()[0]
            if paid[key] is not None:
                assert line.rstrip(" ▁▂▃▄▅▆▇█▏▕").endswith(paid[key].isoformat()), line


async def test_a_long_name_is_cut_with_an_ellipsis_and_whole_in_the_form(demo_app, driver) -> None:
    """A 500-character client name (more than a file may hold now, so put into the open data)
    is cut in every table at 80x24, the other columns stay; its form shows it whole."""
    long_name = "Very Long Client Name " * 22 + "END"  # 487 + 3 characters
    long_name = long_name[:497] + "END"
    async with demo_app.run_test(size=(80, 24)) as pilot:
        ui = driver(pilot)
        ws = ui.app.workspace
        ws.data.clients[:] = [replace(c, name=long_name) if c.id == "c-acme" else c for c in ws.data.clients]
        ui.app.data_changed()
        for mode, first in [("invoices", "inv-0001"), ("clients", None), ("engagements", None)]:
            await ui.goto(mode)
            await pilot.pause()
            lines = screen_lines(ui.app)
            header = header_line(ui.app, None)
            for label in ("Paid", "Due", "Amount") if mode == "invoices" else ():
                assert label in header
            row = next(line for line in lines if "Very Long" in line)
            assert "…" in row and "END" not in row, row
            if first:
                assert row.strip().startswith(first)
                assert "2025-08-24" in row  # inv-0001's paid date, after the cut name
        await ui.goto("clients")
        ui.select_row("clients", "c-acme")
        await ui.open_form("e")
        assert ui.widget("name").value == long_name


async def test_a_long_name_in_a_file_fits_at_120x40(tmp_path, driver) -> None:
    """The longest name a file may hold (model.MAX_NAME characters) at 120x40: cut, every column shown."""
    from tui_advisor import model, paths
    from tui_advisor.ui.app import AdvisorApp
    from tui_advisor.workspace import Workspace, load_rulebook, read_document

    doc = read_document(paths.sample_file("demo"))
    long_name = ("Long Name " * 30)[: model.MAX_NAME - 3] + "END"
    for c in doc["clients"]:
        if c["id"] == "c-acme":
            c["name"] = long_name
    store = Store(tmp_path / "agency.json")
    store.import_document(doc, replace=True)
    from ui.conftest import AS_OF

    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    async with AdvisorApp(ws).run_test(size=(120, 40)) as pilot:
        ui = driver(pilot)
        await ui.goto("engagements")
        await pilot.pause()
        header = header_line(ui.app, None)
        for label in ("Id", "Client", "Kind", "Start", "End", "Billing"):
            assert f" {label} " in f"{header} ", header
        row = next(line for line in screen_lines(ui.app) if "Long Name" in line)
        assert "…" in row and "monthly" in row, row


# --------------------------------------------------------------------------- the welcome's demo, start over


def banner(app) -> str:
    return plain(app.screen.query_one("#banner").render())


async def test_the_welcome_demo_is_a_temporary_copy_and_never_written_to_the_data_file(tmp_path, driver) -> None:
    from tui_advisor.ui.app import AdvisorApp
    from tui_advisor.ui.screens.dashboard import DashboardScreen
    from tui_advisor.ui.screens.welcome import WelcomeScreen
    from tui_advisor.workspace import Workspace, load_rulebook
    from ui.conftest import AS_OF

    path = tmp_path / "agency.json"
    store = Store(path)
    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    async with AdvisorApp(ws).run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.wait_until(lambda: isinstance(ui.screen, WelcomeScreen), "the welcome")
        shown = " ".join(plain(s.render()) for s in ui.screen.query("Static, Button"))
        assert "temporary copy" in shown and "your data file stays empty" in shown
        await pilot.press("d")
        await ui.wait_until(lambda: isinstance(ui.screen, DashboardScreen), "the dashboard")
        demo = ui.app.workspace
        assert demo.is_demo and demo.path != path and demo.data.agency.name == "Northwind Studio"
        assert "DEMO, a temporary copy" in banner(ui.app) and "Enter my own agency" in banner(ui.app)
        assert str(path) in banner(ui.app)
        assert not path.exists()
        # change something in the demo: stored in the copy only
        await ui.goto("clients")
        assert "DEMO" in banner(ui.app)
        ui.select_row("clients", "c-acme")
        await ui.open_form("e")
        await ui.fill("name", "Changed in the demo")
        await ui.save_ok()
        assert Store(demo.path).load().clients[0].name == "Changed in the demo" or any(
            c.name == "Changed in the demo" for c in Store(demo.path).load().clients
        )
        assert not path.exists()
        # leave the demo (the palette's 'Enter my own agency'): the welcome again, on the empty file
        from tui_advisor.ui.startover import leave_demo

        assert any(c.title == "Enter my own agency" for c in ui.app.get_system_commands(ui.screen))
        leave_demo(ui.app)
        await ui.wait_until(lambda: isinstance(ui.screen, WelcomeScreen), "the welcome again")
        assert ui.app.workspace is ws and not ws.is_demo and ws.is_new
        await pilot.press("o")  # enter my own: the profile form, and only now is the file written
        await ui.wait_until(lambda: ui.form_is_open(), "the profile form")
        await ui.fill("name", "Acme Studio")
        await ui.save_ok()
        assert Store(path).load().agency.name == "Acme Studio"
        assert not Store(path).load().clients


async def test_the_demo_file_bytes_are_untouched_when_the_file_exists_already(tmp_path, driver) -> None:
    """A data file with settings but no profile yet (is_new): the demo leaves its bytes as they are."""
    from tui_advisor.ui.app import AdvisorApp
    from tui_advisor.ui.screens.dashboard import DashboardScreen
    from tui_advisor.ui.screens.welcome import WelcomeScreen
    from tui_advisor.workspace import Workspace, load_rulebook
    from ui.conftest import AS_OF

    path = tmp_path / "agency.json"
    Store(path).import_document({"format": "tui-advisor/agency", "version": 1, "agency": {"name": "X"}}, replace=True)
    Store(path).start_over()  # an emptied file: it exists, with no profile
    before = path.read_bytes()
    ws = Workspace(Store(path), load_rulebook(), as_of=AS_OF)
    ws.load()
    assert ws.is_new
    async with AdvisorApp(ws).run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.wait_until(lambda: isinstance(ui.screen, WelcomeScreen), "the welcome")
        await pilot.press("d")
        await ui.wait_until(lambda: isinstance(ui.screen, DashboardScreen), "the dashboard")
        await pilot.pause(0.3)
        assert path.read_bytes() == before


async def test_start_over_keeps_a_backup_then_empties_the_file(demo_app, driver) -> None:
    from tui_advisor.ui.screens.dialogs import ConfirmScreen
    from tui_advisor.ui.screens.welcome import WelcomeScreen

    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        path = ui.app.workspace.path
        before = ui.file_bytes()
        await pilot.press("N")  # on the dashboard
        await ui.wait_until(lambda: isinstance(ui.screen, ConfirmScreen), "the question")
        asked = question(ui.screen)
        assert f"empty the data file {path}" in asked
        assert "12 clients" in asked and "108 invoices" in asked and "Northwind Studio" in asked
        assert str(ui.app.workspace.backup_dir) in asked and "tui-advisor restore" in asked
        await ui.confirm("n")  # no: nothing changes, no backup made for it
        assert ui.file_bytes() == before
        assert not Store(path).list_backups() or all("start-over" not in b.name for b in Store(path).list_backups())

        await pilot.press("N")
        await ui.confirm("y")
        backups = [b for b in Store(path).list_backups() if "before-start-over" in b.name]
        assert len(backups) == 1
        assert backups[0].read_bytes() == before  # the file as it was, whole
        emptied = Store(path).load()
        assert not emptied.agency.name and not emptied.clients and not emptied.invoices
        title, message, severity = ui.notifications()[-1]
        assert title == "Started over" and str(backups[0]) in message and "tui-advisor restore" in message
        await ui.wait_until(lambda: isinstance(ui.screen, WelcomeScreen), "the welcome: a new agency")
        assert Store(path).history()[-1]["action"] == "start over"
        # and `restore` puts it back
        Store(path).restore(backups[0])
        assert len(Store(path).load().clients) == 12


# --------------------------------------------------------------------------- a won inquiry


async def add_won_inquiry(ui, prospect: str) -> None:
    await ui.goto("inquiries")
    await ui.open_form("a")
    await ui.fill("prospect", prospect)
    await ui.set("status", "won")
    await ui.fill("decided", "2026-11-20")
    await ui.fill("received", "2026-10-01")
    await ui.fill("estimated_value", "40000")
    await ui.fill("requested_start", "2027-01-04")
    await ui.fill("deadline", "2027-03-31")
    await ui.fill("rush_fee_pct", "10")
    await ui.set("enjoy", "4")
    await ui.set("industry_fit", "3")
    await ui.save_ok()


async def test_a_won_inquiry_offers_its_client_and_engagement_filled_in(demo_app, driver) -> None:
    from tui_advisor.ui.screens.dialogs import ConfirmScreen

    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = ui.stored()
        await add_won_inquiry(ui, "Hooli  Labs")
        await ui.wait_until(lambda: isinstance(ui.screen, ConfirmScreen), "the offer")
        assert question(ui.screen).startswith("Create client 'Hooli Labs' and an engagement from this inquiry?")
        await pilot.press("y")
        await ui.wait_until(lambda: ui.form_is_open() and ui.app.current_mode == "clients", "the client's form")
        assert ui.form.form_title == "Add client"
        assert ui.widget("name").value == "Hooli Labs"
        assert (ui.widget("enjoy").value, ui.widget("industry_fit").value) == ("4", "3")
        assert len(ui.stored().clients) == len(before.clients)  # nothing saved before the user saves
        await ui.fill("industry", "Software")  # the user checks and completes it
        await pilot.press("ctrl+s")  # saved: the engagement's form follows at once
        await ui.wait_until(
            lambda: (
                ui.form_is_open()
                and ui.app.current_mode == "engagements"
                and bool(ui.form.query("#f-client"))  # pushed is not yet mounted: its fields come a moment later
                and ui.widget("client").value not in (None, "", Select.BLANK)
            ),
            "the engagement's form, filled in",
        )
        client = next(c for c in ui.stored().clients if c.name == "Hooli Labs")
        assert (client.industry, client.enjoy, client.industry_fit) == ("Software", 4, 3)
        assert ui.widget("client").value == client.id
        assert ui.widget("kind").value == "project"
        assert ui.widget("start").value == "2027-01-04" and ui.widget("deadline").value == "2027-03-31"
        assert ui.widget("rush_fee_pct").value.startswith("10")
        assert ui.widget("price").value.replace(".", "").replace(",", "").startswith("40000")
        await ui.save_ok()
        engagement = next(e for e in ui.stored().engagements if e.client == client.id)
        assert (engagement.kind, engagement.price, engagement.rush_fee_pct) == ("project", 40000, 10)
        assert engagement.start.isoformat() == "2027-01-04" and engagement.deadline.isoformat() == "2027-03-31"


async def test_no_offer_when_declined_or_the_client_exists(demo_app, driver) -> None:
    from tui_advisor.ui.screens.dialogs import ConfirmScreen

    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = ui.stored()
        await add_won_inquiry(ui, "Initech")
        await ui.wait_until(lambda: isinstance(ui.screen, ConfirmScreen), "the offer")
        await ui.confirm("n", then_wait=False)
        await pilot.pause(0.3)
        assert not ui.form_is_open() and ui.app.current_mode == "inquiries"
        assert len(ui.stored().clients) == len(before.clients)
        # a prospect already a client (case and spacing aside): no question
        await add_won_inquiry(ui, "acme   [LTD]")
        await pilot.pause(0.3)
        assert not isinstance(ui.screen, ConfirmScreen)
        assert len(ui.stored().clients) == len(before.clients)


@pytest.mark.parametrize("mode", ["cash", "clients", "engagements", "invoices", "inquiries", "journey", "actions"])
async def test_every_field_of_a_form_can_be_reached_whole_at_80x24(demo_app, driver, mode) -> None:
    """Tab through the add form at 80x24: every field, its label and its hint come into view
    inside the form (the form scrolls; nothing sticks out or stays cut); the title is one line;
    a field without a hint takes no empty line."""
    from textual.widgets import Static

    async with demo_app.run_test(size=(80, 24)) as pilot:
        ui = driver(pilot)
        await ui.goto(mode)
        await ui.open_form("a")
        form = ui.form
        box = form.query_one("#form")
        fields = form.query_one("#form-fields")
        assert box.region.right <= 80 and box.region.bottom <= 24
        assert form.query_one("#form-title").region.height == 1
        for f in form.fields:
            await ui.focus(f.name)
            await pilot.pause()
            widget = ui.widget(f.name)
            await ui.wait_until(lambda w=widget: fields.region.contains_region(w.region), f"{f.name} in view")
            hint = form.query_one(f"#hint-{f.name}", Static)
            if plain(hint.render()).strip():
                assert hint.region.right <= box.region.right
            else:
                assert not hint.display, f"{f.name}: an empty hint takes a line"
        for button in ("#save", "#cancel"):
            assert box.region.contains_region(form.query_one(button).region)


async def test_the_help_screen_documents_start_over_and_the_filter(demo_app, driver) -> None:
    from textual.widgets import DataTable

    from tui_advisor.ui.screens.help import HelpScreen

    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)

        async def help_rows() -> list[str]:
            await pilot.press("question_mark")
            await ui.wait_until(lambda: isinstance(ui.screen, HelpScreen), "the help")
            table = ui.screen.query_one("#help-keys", DataTable)
            rows = [" ".join(plain(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
            await pilot.press("escape")
            await ui.wait_until(lambda: not isinstance(ui.screen, HelpScreen), "the help to close")
            return rows

        assert any(r.startswith("N ") and "Start over" in r and "backup" in r for r in await help_rows())
        await ui.goto("invoices")
        assert any(r.startswith("/ ") and "rows" in r for r in await help_rows())
