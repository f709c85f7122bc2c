"""User text is shown exactly as typed, everywhere: never parsed as Textual/Rich markup,
never turned into an action.

The clients below are imported into the data file with invoices, so their names reach
every place a name is shown: the dashboard's share bars, cards and top list, the
clients and invoices tables, the advice (the largest client is named in a title), the
delete confirmation and notifications, the forms and the client picker.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import DataTable, Input, Select, Static

from tui_advisor.report import share_basis
from tui_advisor.store import Store
from tui_advisor.ui.app import AdvisorApp
from tui_advisor.ui.screens.advice import AdviceScreen
from tui_advisor.ui.screens.dashboard import DashboardScreen
from tui_advisor.ui.screens.dialogs import ConfirmScreen
from tui_advisor.ui.screens.form import FormScreen
from tui_advisor.ui.screens.records import RecordsScreen
from tui_advisor.ui.widgets.cards import PillarCard, ShareBars
from tui_advisor.workspace import Workspace, load_rulebook
from waiting import wait_until

AS_OF = date(2026, 11, 26)
SIZE = (120, 40)

CLICK = "[@click=app.quit]x"
# largest first: 40%, 25%, 20%, 15% of the revenue
NAMES = [CLICK, "[/]", "ACME [Ltd]", "[bold]ACME[/"]
SOLO = "[@click=app.quit]solo [/]"  # a client without invoices, so it can be deleted
AGENCY = "[red]Studio[/red] & [b]"


def markup_document() -> dict[str, Any]:
    clients = [
        {"id": f"c-{i}", "name": name, "industry": "[i]Retail", "enjoy": 3, "industry_fit": 4}
        for i, name in enumerate(NAMES)
    ]
    clients.append({"id": "c-solo", "name": SOLO})
    invoices = []
    for i, yearly in enumerate([40000, 25000, 20000, 15000]):
        for month in (6, 7, 8, 9):
            invoices.append(
                {
                    "id": f"inv-{len(invoices) + 1:04d}",
                    "client": f"c-{i}",
                    "issued": f"2026-{month:02d}-01",
                    "amount": yearly / 4,
                    "due": f"2026-{month:02d}-30",
                    "paid": f"2026-{month:02d}-20",
                }
            )
    return {
        "format": "tui-advisor/agency",
        "version": 1,
        "agency": {"name": AGENCY, "currency": "EUR", "monthly_operating_costs": 20000, "weekly_capacity_hours": 100},
        "cash": [{"date": "2026-11-20", "balance": 60000}],
        "clients": clients,
        # a running retainer each, in the shares of the invoices: the key-client advice and the
        # share bars (on the work running today) name every client
        "engagements": [
            {
                "id": f"e-{i}",
                "client": f"c-{i}",
                "kind": "retainer",
                "start": "2026-01-01",
                "monthly_fee": fee,
                "hours_per_week": 10,
                "billing": "monthly",
            }
            for i, fee in enumerate([4000, 2500, 2000, 1500])
        ],
        "invoices": invoices,
    }


@pytest.fixture
def markup_app(tmp_path: Path) -> AdvisorApp:
    store = Store(tmp_path / "agency.json")
    store.import_document(markup_document(), replace=True)
    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    return AdvisorApp(ws)


# --------------------------------------------------------------------------- helpers


def screen_text(app: AdvisorApp) -> str:
    """The terminal's text as the user sees it: the same composition export_screenshot()
    renders, as plain text instead of SVG."""
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        record=True,
        force_terminal=True,
        color_system=None,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def flat(text: str) -> str:
    """Screen text with the toasts' gutter and all line breaks and runs of spaces made one
    space: a wrapped message reads as one line."""
    return " ".join(text.replace("▌", " ").split())


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def go(pilot: Any, key: str, screen_type: type) -> Any:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type), screen_type.__name__)
    await pilot.pause()
    return pilot.app.screen


async def select_client(pilot: Any, name: str) -> None:
    """On the clients screen: move the cursor to the client called ``name``."""
    table = pilot.app.screen.query_one("#records", DataTable)
    names = [r[0] for r in cells(table)]
    await pilot.press("home")
    for _ in range(names.index(name)):
        await pilot.press("down")
    await pilot.pause()
    assert pilot.app.screen.selected().name == name


# --------------------------------------------------------------------------- where names are shown


async def test_dashboard_shows_names_literally(markup_app: AdvisorApp) -> None:
    async with markup_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        await pilot.pause()
        title, *bars = str(app.screen.query_one("#shares", ShareBars).render()).split("\n")
        assert title == f"Largest clients, share {share_basis(app.workspace.advice.metrics.values)}"
        assert title.startswith("Largest clients, share of ")
        assert [line[: len(name)] for line, name in zip(bars, NAMES)] == NAMES
        assert [line.split("  ")[0].rstrip() for line in bars] == NAMES
        key_card = str(app.screen.query_one("#card-key_client", PillarCard).render())
        assert f"{CLICK} is 40% of revenue: reduce key-client risk" in key_card
        top = str(app.screen.query_one("#top", Static).render())
        assert f"{CLICK} is 40% of revenue: reduce key-client risk" in top
        assert AGENCY in str(app.screen.query_one("#score", Static).render())
        shown = screen_text(app)
        for name in NAMES:
            assert name in shown
        assert AGENCY in shown


async def test_tables_show_names_literally(markup_app: AdvisorApp) -> None:
    async with markup_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        clients = await go(pilot, "5", RecordsScreen)
        rows = cells(clients.query_one("#records", DataTable))
        assert sorted(r[0] for r in rows) == sorted([*NAMES, SOLO])
        assert {r[1] for r in rows} == {"[i]Retail", ""}
        shown = screen_text(app)
        for name in [*NAMES, SOLO]:
            assert name in shown

        invoices = await go(pilot, "7", RecordsScreen)
        assert invoices.kind.name == "invoices"
        assert {r[1] for r in cells(invoices.query_one("#records", DataTable))} == set(NAMES)
        shown = screen_text(app)
        for name in NAMES:
            assert name in shown

        engagements = await go(pilot, "6", RecordsScreen)
        table = engagements.query_one("#records", DataTable)
        client = [str(c.label) for c in table.columns.values()].index("Client")  # after Id and Name
        assert cells(table)[0][client] == CLICK
        assert CLICK in screen_text(app)


async def test_advice_shows_names_literally(markup_app: AdvisorApp) -> None:
    async with markup_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        screen = await go(pilot, "2", AdviceScreen)
        table = screen.query_one("#advice", DataTable)
        titles = [r[3] for r in cells(table)]
        title = f"{CLICK} is 40% of revenue: reduce key-client risk"
        assert title in titles
        await pilot.press("home")
        for _ in range(titles.index(title)):
            await pilot.press("down")
        await pilot.pause()
        text = str(screen.query_one("#detail", Static).render())
        assert text.startswith(title + "\n")
        shown = screen_text(app)
        assert title in shown

        # the dismiss question names it too
        await pilot.press("x")
        await wait_until(pilot, lambda: not isinstance(app.screen, AdviceScreen), "the dismiss question")
        assert f"Dismiss: {title}" in str(app.screen.query_one(".dialog-text").render())
        assert f"Dismiss: {title}" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "the advice screen")


@pytest.mark.parametrize("name", NAMES)
async def test_delete_confirmation_shows_the_name_literally(markup_app: AdvisorApp, name: str) -> None:
    async with markup_app.run_test(size=SIZE, notifications=True) as pilot:
        app = pilot.app
        clients = await go(pilot, "5", RecordsScreen)
        await select_client(pilot, name)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        question = str(app.screen.query_one(".dialog-text").render())
        # the client has invoices: the question offers the archive instead, naming it as typed
        assert question.startswith(f"Client {name} is still used by ")
        assert f"Client {name} is still used by" in screen_text(app)
        await pilot.press("y")  # archived, not deleted: the app goes on
        await wait_until(pilot, lambda: app.screen is clients, "the clients screen")
        await pilot.pause(0.1)
        assert app.is_running
        assert name in [c.name for c in Store(app.workspace.store.path).load().clients]


async def test_delete_and_undo_notifications_show_the_name_literally(markup_app: AdvisorApp) -> None:
    async with markup_app.run_test(size=SIZE, notifications=True) as pilot:
        app = pilot.app
        clients = await go(pilot, "5", RecordsScreen)
        await select_client(pilot, SOLO)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is clients, "the clients screen")
        await wait_until(pilot, lambda: not app.writing, "the delete to be stored (in a thread)")
        assert SOLO not in [c.name for c in Store(app.workspace.store.path).load().clients]
        await wait_until(
            pilot, lambda: f"Deleted client {SOLO}. Press u to undo." in flat(screen_text(app)), "the deletion toast"
        )
        await pilot.press("u")
        await wait_until(pilot, lambda: f"Put back client {SOLO}." in flat(screen_text(app)), "the undo toast")
        assert SOLO in [c.name for c in Store(app.workspace.store.path).load().clients]
        assert app.is_running


@pytest.mark.parametrize("name", [*NAMES, SOLO])
async def test_edit_form_shows_the_name_literally_and_saves_it_unchanged(markup_app: AdvisorApp, name: str) -> None:
    async with markup_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        clients = await go(pilot, "5", RecordsScreen)
        await select_client(pilot, name)
        await pilot.press("e")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, FormScreen) and len(app.screen.query(".field-row")) == len(app.screen.fields)
            ),
            "the edit form",
        )
        form = app.screen
        assert form.form_title == f"Edit client {name}"
        assert str(form.query_one("#form-title").render()).startswith(f"Edit client {name}    ctrl+s save")
        assert form.query_one("#f-name", Input).value == name
        shown = screen_text(app)
        assert f"Edit client {name}" in shown
        assert name in shown.replace(f"Edit client {name}", "")  # in the name field too
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is clients, "the form to close")
        assert name in [c.name for c in Store(app.workspace.store.path).load().clients]
        assert name in [r[0] for r in cells(clients.query_one("#records", DataTable))]


async def test_typed_markup_is_stored_and_shown_literally(markup_app: AdvisorApp) -> None:
    typed = "[b]New[/b] [@click=app.bell]Co"
    async with markup_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        clients = await go(pilot, "5", RecordsScreen)
        await pilot.press("a")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, FormScreen) and len(app.screen.query(".field-row")) == len(app.screen.fields)
            ),
            "the add form",
        )
        await pilot.press(*typed)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is clients, "the form to close")
        assert typed in [c.name for c in Store(app.workspace.store.path).load().clients]
        assert typed in [r[0] for r in cells(clients.query_one("#records", DataTable))]
        assert typed in screen_text(app)


async def test_client_picker_shows_names_literally(markup_app: AdvisorApp) -> None:
    async with markup_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        await go(pilot, "7", RecordsScreen)
        await pilot.press("a")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, FormScreen) and len(app.screen.query(".field-row")) == len(app.screen.fields)
            ),
            "the invoice form",
        )
        picker = app.screen.query_one("#f-client", Select)
        picker.focus()
        await pilot.press("enter")  # open the list of clients
        await pilot.pause(0.2)
        shown = screen_text(app)
        for name in [*NAMES, SOLO]:
            assert name in shown
        await pilot.press("escape")
        await pilot.pause()
        # pick the [@click] client: the picker shows its name as is
        picker.value = "c-0"
        await pilot.pause()
        assert CLICK in screen_text(app)
        assert app.is_running


# --------------------------------------------------------------------------- clicking a name is no action


def positions(app: AdvisorApp, text: str) -> list[tuple[int, int]]:
    """Screen cells (x, y) where ``text`` is shown."""
    found = []
    for y, line in enumerate(screen_text(app).split("\n")):
        start = line.find(text)
        while start != -1:
            found.extend((x, y) for x in range(start, start + len(text)))
            start = line.find(text, start + 1)
    return found


async def test_clicking_a_click_name_does_not_quit(markup_app: AdvisorApp) -> None:
    async with markup_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        await pilot.pause()
        # the first share bar (under the title line) is the [@click] client's: click along its
        # name (the first cell is where a parsed "[@click=app.quit]x" would put its "x")
        for x in range(0, len(CLICK), 3):
            await pilot.click("#shares", offset=(x, 1))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        # and wherever else the name is shown: the key-client card, the top list
        cells_on_dashboard = positions(app, CLICK)
        assert len({y for _, y in cells_on_dashboard}) >= 3
        for x, y in cells_on_dashboard[::5]:
            await pilot.click(offset=(x, y))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, DashboardScreen)

        # the advice table and detail
        await go(pilot, "2", AdviceScreen)
        for x, y in positions(app, CLICK)[::6]:
            await pilot.click(offset=(x, y))
            await pilot.pause()
        assert app.is_running and app.return_code is None

        # the clients table: a click on the name cell selects the row, a second one opens the
        # edit form; nothing quits
        clients = await go(pilot, "5", RecordsScreen)
        table = clients.query_one("#records", DataTable)
        row = [r[4] for r in cells(table)].index("c-0")
        for x in (0, 1, len(CLICK) - 1):
            await pilot.click("#records", offset=(x, 1 + row))  # below the header
            await pilot.pause()
            assert app.is_running and app.return_code is None
            if isinstance(app.screen, FormScreen):
                assert app.screen.query_one("#f-name", Input).value == CLICK
                await pilot.press("escape")
                await wait_until(pilot, lambda: app.screen is clients, "the form to close")
        assert clients.selected().name == CLICK
