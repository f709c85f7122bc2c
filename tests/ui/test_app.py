"""The app as a whole: the dashboard, moving between screens, help, quitting, the command
palette, the keymap, the first run, resizing, colour-less terminals, and live recomputing.

Every test drives the real app through a Pilot on its own copy of a data file (the
``make_app`` / ``demo_app`` fixtures of conftest.py, or ``app_on`` below for the cases
those do not cover: an empty data file, a keymap), with the date fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import textual.constants
from textual.command import CommandList, CommandPalette
from textual.filter import Monochrome, NoColor
from textual.widgets import DataTable, Input, Static

from tui_advisor import model, paths
from tui_advisor.engine.advise import INDEPENDENCE
from tui_advisor.store import Store
from tui_advisor.ui.app import SCREENS, AdvisorApp
from tui_advisor.ui.screens.advice import AdviceScreen
from tui_advisor.ui.screens.dashboard import DashboardScreen
from tui_advisor.ui.screens.dialogs import ConfirmScreen, ReasonScreen
from tui_advisor.ui.screens.form import FormScreen
from tui_advisor.ui.screens.help import HelpScreen, RuleScreen
from tui_advisor.ui.screens.profile import ProfileScreen
from tui_advisor.ui.screens.records import RecordsScreen
from tui_advisor.ui.screens.steps import StepsScreen
from tui_advisor.ui.screens.welcome import WelcomeScreen
from tui_advisor.ui.widgets.cards import PillarCard, ShareBars, Trends
from tui_advisor.workspace import Workspace, load_rulebook, read_document
from waiting import wait_until

AS_OF = date(2026, 11, 26)
SIZE = (120, 40)
STATUS_CLASSES = {"-good", "-watch", "-act", "-unknown", "-off"}


# --------------------------------------------------------------------------- helpers


def app_on(path: Path, *, demo: bool = True, keymap: dict[str, str] | None = None) -> AdvisorApp:
    """The app on the data file ``path``: a copy of the demo, or (demo=False) a file that
    does not exist yet, as on the very first run."""
    store = Store(path)
    if demo:
        store.import_document(read_document(paths.sample_file("demo")), replace=True)
    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    return AdvisorApp(ws, keymap=keymap)


def text_of(widget: Any) -> str:
    """The plain text a Static/Label shows."""
    return str(widget.render())


def card(app: AdvisorApp, pillar: str) -> PillarCard:
    return app.screen.query_one(f"#card-{pillar}", PillarCard)


def status_classes(widget: Any) -> set[str]:
    return set(widget.classes) & STATUS_CLASSES


async def palette_run(pilot: Any, text: str) -> list[str]:
    """Open the command palette, type ``text``, return the commands it lists, run the first."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the command palette")
    await pilot.press(*text)
    commands = app.screen.query_one(CommandList)

    def listed() -> list[str]:
        return [str(commands.get_option_at_index(i).prompt).split("\n")[0] for i in range(commands.option_count)]

    await wait_until(pilot, lambda: any(p.startswith(text) for p in listed()), f"{text!r} in the palette")
    shown = listed()
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette), "the palette to close")
    await pilot.pause()
    return shown


# --------------------------------------------------------------------------- the dashboard


async def test_dashboard_shows_the_five_pillar_cards_with_status_and_key_numbers(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app = pilot.app
        assert isinstance(app.screen, DashboardScreen)
        cards = list(app.screen.query(PillarCard))
        assert [c.id for c in cards] == [f"card-{p}" for p in INDEPENDENCE]
        assert len(cards) == 5
        # Northwind Studio: key client (Kestrel's 36% of the work running today ends on 2026-12-31; the
        # largest client whose work goes on is 15%) and inquiries need action now, the other three are to watch.
        expected = {
            "cash": ("-watch", "Cash (G5)", "watch 63", "cash covers 4.0 months of costs"),
            "key_client": (
                "-act",
                "Key client (G3)",
                "act now 44",
                "largest client 15% of the work running today",
            ),  # its basis said
            "busy": ("-watch", "Busy (G2)", "watch 68", "84% booked for the next 30 days, 46% for days 31-60"),
            "inquiries": ("-act", "Inquiries (G6)", "act now 49", "33 proposals and 39 requests in 52 weeks"),
            "recurring": ("-watch", "Recurring (G4)", "watch 59", "48% of revenue recurring"),
        }
        for pillar, (status, title, subtitle, number) in expected.items():
            c = card(app, pillar)
            assert status_classes(c) == {status}, pillar
            assert c.border_title == title
            assert c.border_subtitle == subtitle
            lines = text_of(c).split("\n")
            assert lines[0] == number
        # the verdict: the pillar's most urgent recommendation
        assert text_of(card(app, "cash")).split("\n")[1] == "Cash covers 4.0 months of costs: build toward 6"
        assert "Kestrel Aviation Training's work ends on 2026-12-31: 36% of the running work to replace" in text_of(
            card(app, "key_client")
        )

        score = text_of(app.screen.query_one("#score", Static))
        assert "Independence score 50/100" in score
        assert "as of 2026-11-26" in score
        assert "Northwind Studio" in score

        recs = app.workspace.advice.recommendations
        top = text_of(app.screen.query_one("#top", Static)).split("\n")
        assert top[0].startswith("Most urgent")
        assert f"({len(recs)} recommendations: press 2)" in top[0]
        assert len(top) == 1 + 5  # the five most urgent, in priority order
        for line, rec in zip(top[1:], recs[:5]):
            assert line.startswith(f"{rec.priority:>2}. {rec.severity.upper()} ")
            assert line.endswith(rec.title)
        assert top[1].endswith("Cash covers 4.0 months of costs: build toward 6")
        assert top[2].endswith(
            "Kestrel Aviation Training's work ends on 2026-12-31: 36% of the running work to replace"
        )

        bars = text_of(app.screen.query_one("#shares", ShareBars)).split("\n")
        assert bars[0] == "Largest clients, share of the work running today"  # the basis of the shares
        assert bars[1].startswith("Kestrel Aviation Training  ███")  # room for the whole name at 120 columns
        (cash_title, cash), (proposal_title, weekly) = app.screen.query_one("#trends", Trends).rows
        assert cash_title == "Cash, last 12 months: now 4.0 months of costs"
        assert len(cash) == len(app.workspace.advice.metrics.findings["cash_history"]) > 1
        assert proposal_title.startswith("Proposals per week, last 26 weeks: ")
        assert len(weekly) == 26


# healthy: 6.5 months of cash is the ideal reserve, whose "keep it there" (CASH009, a confirmation)
# costs nothing (it cost 10 and made the score 94)
@pytest.mark.parametrize(
    ("sample", "status", "score"), [("healthy", "-good", "100/100"), ("empty", "-unknown", "unknown")]
)
async def test_dashboard_status_classes_all_good_or_all_unknown(
    make_app: Callable[[str], AdvisorApp], sample: str, status: str, score: str
) -> None:
    async with make_app(sample).run_test(size=SIZE) as pilot:
        await pilot.pause()
        app = pilot.app
        for pillar in INDEPENDENCE:
            assert status_classes(card(app, pillar)) == {status}, pillar
        assert f"Independence score {score}" in text_of(app.screen.query_one("#score"))
        if sample == "healthy":
            assert "the ideal reserve, keep it there" in text_of(app.screen.query_one("#top"))
        else:
            assert "unknown" in text_of(card(app, "cash")).split("\n")[0]


# --------------------------------------------------------------------------- moving around


async def test_number_keys_switch_screens(demo_app: AdvisorApp) -> None:
    kinds = {"dashboard": DashboardScreen, "advice": AdviceScreen, "profile": ProfileScreen}
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        for mode, (title, key) in [*list(SCREENS.items())[1:], ("dashboard", SCREENS["dashboard"])]:
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == mode
            assert isinstance(app.screen, kinds.get(mode, RecordsScreen))
            if isinstance(app.screen, RecordsScreen):
                assert app.screen.kind.name == mode
                table = app.screen.query_one("#records", DataTable)
                assert table.row_count == len(app.workspace.records(mode))
            assert app.screen.title == title  # each screen names itself in the header
        # the number keys always work, from every screen, and screens are kept (not rebuilt)
        await pilot.press("5")
        await pilot.pause()
        clients = app.screen
        await pilot.press("2", "5")
        await pilot.pause()
        assert app.screen is clients


async def test_help_lists_the_current_screens_keys_and_escape_closes_it(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("5")
        await pilot.pause()
        clients = app.screen
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        help_screen = app.screen
        assert "Keys: Clients" in text_of(help_screen.query_one("#help-title"))
        table = help_screen.query_one("#help-keys", DataTable)
        rows = [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
        for row in [
            ("a", "Add a record", "record_add"),
            ("e", "Edit the selected record", "record_edit"),
            ("d", "Delete the selected record", "record_delete"),
            ("u", "Put back the last deleted record", "record_undo"),
            ("s", "Sort by the next column", "record_sort"),
            ("5", "Go to clients", "go_clients"),
            ("?", "Every key of this screen", "help"),
            ("q", "Quit tui-advisor", "quit"),
        ]:
            assert row in rows
        # the steps key belongs to the actions screen only
        assert not any(r[2] == "record_steps" for r in rows)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), "the help to close")
        assert app.screen is clients

        # on the advice screen, help lists the advice keys
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        table = app.screen.query_one("#help-keys", DataTable)
        rows = [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
        for key, binding_id in [
            ("t", "advice_action"),
            ("x", "advice_dismiss"),
            ("z", "advice_snooze"),
            ("h", "advice_hidden"),
        ]:
            assert any(r[0] == key and r[2] == binding_id for r in rows), key
        assert not any(r[2] == "record_add" for r in rows)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen), "the advice screen")


@pytest.mark.parametrize("mode", ["advice", "clients", "actions"])
async def test_help_at_80x24_shows_every_binding_id_whole_and_what_the_ids_are_for(
    demo_app: AdvisorApp, driver, mode: str
) -> None:
    """The ids are what a user types under [keys] to remap a key: none may be cut off."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await driver(pilot).goto(mode)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        ids = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert [i for i in ids if i]  # the screen's own keys have ids
        shown = "\n".join(table.render_line(y).text for y in range(table.size.height))
        for binding_id in ids[: table.size.height - 1]:  # the rows in view (the header is one line)
            assert binding_id in shown, f"{binding_id} is cut off"
        assert table.virtual_size.width <= table.size.width  # no column runs past the table's edge
        note = app.screen.query_one("#help-note", Static)
        assert "under [keys] in the config file" in text_of(note)
        assert note.region.bottom <= app.screen.query_one("#help").region.bottom  # inside the dialog, on screen
        assert app.screen.query_one("#help").region.bottom <= 24


async def test_q_quits(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await wait_until(pilot, lambda: not demo_app.is_running, "the app to quit")
    assert demo_app.return_code == 0


async def test_q_typed_in_a_form_is_text_not_quit(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("5", "a")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, FormScreen) and len(app.screen.query(".field-row")) == len(app.screen.fields)
            ),
            "the add form",
        )
        await pilot.press("q", "u", "i", "t")
        await pilot.pause()
        assert app.is_running
        assert app.screen.query_one("#f-name", Input).value == "quit"


# --------------------------------------------------------------------------- the command palette


async def test_palette_go_to_clients(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        listed = await palette_run(pilot, "Go to clients")
        assert listed[0] == "Go to clients"
        await wait_until(pilot, lambda: app.current_mode == "clients", "the clients screen")
        assert isinstance(app.screen, RecordsScreen) and app.screen.kind.name == "clients"


async def test_palette_add_invoice_opens_the_invoice_form(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        listed = await palette_run(pilot, "Add invoice")
        assert listed[0] == "Add invoice"
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, FormScreen) and len(app.screen.query(".field-row")) == len(app.screen.fields)
            ),
            "the invoice form",
        )
        assert app.current_mode == "invoices"
        assert app.screen.form_title == "Add invoice"
        assert app.screen.query_one("#f-issued", Input).value == "2026-11-26"


async def test_palette_explain_rule_opens_the_rule(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        listed = await palette_run(pilot, "Explain rule CASH001")
        assert listed[0] == "Explain rule CASH001 cash-below-minimum"
        await wait_until(pilot, lambda: isinstance(app.screen, RuleScreen), "the rule screen")
        assert app.screen.rule.id == "CASH001"
        shown = text_of(app.screen.query_one(Static))
        assert shown.startswith("CASH001 cash-below-minimum")
        assert "Fires when: cash_months < min_months" in shown
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")


async def test_palette_lists_every_kind_of_command(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Go to clients" in titles
        assert "Add invoice" in titles
        assert "Explain rule CASH001 cash-below-minimum" in titles
        assert {f"Go to {t.lower()}" for t, _ in SCREENS.values()} <= set(titles)


@pytest.mark.parametrize("modal_key", ["question_mark", "a"])
async def test_palette_add_over_an_open_modal_does_not_crash(demo_app: AdvisorApp, modal_key: str) -> None:
    """Found by this test (AttributeError: add_record called action_add on the help or form
    screen, and the app crashed); fixed in AdvisorApp.add_record."""
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("5", modal_key)
        await wait_until(pilot, lambda: isinstance(app.screen, (HelpScreen, FormScreen)), "a modal")
        await palette_run(pilot, "Add client")
        await pilot.pause(0.2)
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, FormScreen) and app.screen.form_title == "Add client"


# --------------------------------------------------------------------------- the keymap


async def test_keymap_binds_f2_to_the_advice_screen(tmp_path: Path) -> None:
    app = app_on(tmp_path / "agency.json", keymap={"go_advice": "f2"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.current_mode == "dashboard"
        await pilot.press("f2")
        await wait_until(pilot, lambda: app.current_mode == "advice", "the advice screen")
        assert isinstance(app.screen, AdviceScreen)
        # help shows the key as configured
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        table = app.screen.query_one("#help-keys", DataTable)
        rows = [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
        assert any(r[0] == "f2" and r[2] == "go_advice" for r in rows)


async def test_keymap_with_an_unknown_binding_id_warns(tmp_path: Path) -> None:
    app = app_on(tmp_path / "agency.json", keymap={"go_nowhere": "f3", "go_advice": "f2"})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("go_nowhere" in m and "[keys]" in m for m in messages)
        await pilot.press("f2")
        await wait_until(pilot, lambda: app.current_mode == "advice", "the advice screen")


# --------------------------------------------------------------------------- the first run


async def test_first_run_shows_the_welcome_and_d_starts_from_the_demo(tmp_path: Path) -> None:
    path = tmp_path / "new" / "agency.json"
    app = app_on(path, demo=False)
    assert app.workspace.is_new
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "the welcome")
        shown = " ".join(text_of(s) for s in app.screen.query(Static))
        assert "Welcome to tui-advisor" in shown
        assert str(path) in shown
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        assert not path.exists()  # a temporary copy of the demo: the user's file is never written
        assert app.workspace.is_demo and app.workspace.path != path
        assert len(app.workspace.data.clients) == 12
        assert app.workspace.data.agency.name == "Northwind Studio"
        await wait_until(pilot, lambda: "50/100" in text_of(app.screen.query_one("#score")), "the demo's score")
        assert "Northwind Studio" in text_of(app.screen.query_one("#score"))
        assert text_of(card(app, "cash")).startswith("cash covers 4.0 months of costs")
        # the data screens show it too
        await pilot.press("5")
        await pilot.pause()
        assert app.screen.query_one("#records", DataTable).row_count == 12


async def test_first_run_o_opens_the_profile_form(tmp_path: Path) -> None:
    path = tmp_path / "agency.json"
    app = app_on(path, demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "the welcome")
        await pilot.press("o")
        await wait_until(
            pilot, lambda: isinstance(app.screen, FormScreen) and bool(app.screen.query("#f-name")), "the profile form"
        )
        assert app.current_mode == "profile"
        assert app.screen.form_title == "Agency profile"
        assert app.screen.query_one("#f-name", Input).value == ""
        assert len(Store(path).load().clients) == 0  # nothing was filled in for them
        # fill in the name and currency, save: the profile is stored
        app.screen.query_one("#f-name", Input).focus()
        await pilot.press(*"Acme Studio")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ProfileScreen), "the profile screen")
        assert Store(path).load().agency.name == "Acme Studio"
        assert not app.workspace.is_new


# --------------------------------------------------------------------------- resizing


async def test_at_80_columns_the_urgent_list_and_the_share_bars_keep_one_line_each_and_the_cards_show(
    tmp_path: Path,
) -> None:
    app = app_on(tmp_path / "agency.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, DashboardScreen) and text_of(app.screen.query_one("#top", Static)).strip(),
            "the dashboard",
        )
        await pilot.pause()
        top = app.screen.query_one("#top", Static)
        lines = [top.render_line(y).text.rstrip() for y in range(top.size.height)]
        assert len(lines) == 6 and lines[0].startswith("Most urgent")  # no title wraps onto a second line
        long_title = next(line for line in lines if "84% booked for the next 30 days" in line)
        assert long_title.endswith("…")  # cut, and the advice screen shows it whole
        cash = app.screen.query_one("#card-cash", PillarCard)
        assert cash.region.bottom <= app.size.height - 1  # the first cards are on the first screen
        shares = app.screen.query_one("#shares", ShareBars)
        lines = [shares.render_line(y).text.rstrip() for y in range(shares.size.height)]
        assert len(lines) == 1 + 5  # the title, then one line per client: nothing wraps
        assert all(len(line) <= shares.size.width for line in lines)
        assert lines[0] == "Share of the work running today"  # the basis kept, the words before it not
        # the shares of the work running today
        assert lines[1].startswith("Kestrel Aviation ") and "…" in lines[1] and lines[1].endswith("35.7%")
        assert lines[2].startswith("Lumen Labs  ")  # short names whole


@pytest.mark.parametrize("mode", list(SCREENS))
async def test_every_screen_survives_shrinking_the_terminal(tmp_path: Path, mode: str) -> None:
    app = app_on(tmp_path / "agency.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(SCREENS[mode][1])
        await wait_until(pilot, lambda: app.current_mode == mode, mode)
        screen = app.screen
        for size in [(40, 12), (20, 8), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.size == size
            assert app.export_screenshot()  # the whole screen renders at this size
        assert app.is_running and app.screen is screen
        # and the screen still works: its own keys, and help
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        await pilot.resize_terminal(20, 8)
        await pilot.pause()
        assert app.export_screenshot()
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "help to close")
        assert app.is_running


async def test_dialogs_survive_shrinking_the_terminal(tmp_path: Path) -> None:
    app = app_on(tmp_path / "agency.json")
    openers: list[tuple[tuple[str, ...], type]] = [
        (("6", "a"), FormScreen),  # the engagement form, the largest
        (("5", "d"), ConfirmScreen),
        (("2", "x"), ReasonScreen),
        (("2", "z"), ReasonScreen),
        (("0", "t"), StepsScreen),  # the steps of an action item
    ]
    async with app.run_test(size=(80, 24)) as pilot:
        for keys, kind in openers:
            await pilot.resize_terminal(80, 24)
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(app.screen, kind)
            for size in [(40, 12), (20, 8)]:
                await pilot.resize_terminal(*size)
                await pilot.pause()
                assert app.export_screenshot()
            await pilot.press("escape")
            await pilot.pause()
            assert app.is_running
        # a rule explained from the palette, at 20x8
        await pilot.resize_terminal(80, 24)
        await palette_run(pilot, "Explain rule KEY001")
        await wait_until(pilot, lambda: isinstance(app.screen, RuleScreen), "the rule")
        await pilot.resize_terminal(20, 8)
        await pilot.pause()
        assert app.export_screenshot()
        assert app.is_running


@pytest.mark.parametrize(
    "keys",
    [("5", "a"), ("3", "e"), ("7", "a"), ("6", "a"), ("8", "a")],
    ids=["client", "profile", "invoice", "engagement", "inquiry"],
)
async def test_form_buttons_are_visible_at_80x24(tmp_path: Path, keys: tuple[str, str]) -> None:
    """Found by this test: the engagement and inquiry forms pushed Save/Cancel below their
    bottom border at 80x24; fixed in app.tcss (#form-fields max-height)."""
    app = app_on(tmp_path / "agency.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, FormScreen) and len(app.screen.query(".field-row")) == len(app.screen.fields)
            ),
            "a form",
        )
        await pilot.pause()
        form = app.screen.query_one("#form")
        for button in ("#save", "#cancel"):
            region = app.screen.query_one(button).region
            assert form.region.contains_region(region), f"{button} at {region} is outside the form {form.region}"
            assert app.screen.region.contains_region(region)


async def test_welcome_survives_shrinking_the_terminal(tmp_path: Path) -> None:
    app = app_on(tmp_path / "agency.json", demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "the welcome")
        for size in [(40, 12), (20, 8)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.export_screenshot()
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        assert app.is_running


# --------------------------------------------------------------------------- colours


async def _visit_everything(pilot: Any) -> None:
    app = pilot.app
    for mode, (_, key) in SCREENS.items():
        await pilot.press(key)
        await wait_until(pilot, lambda mode=mode: app.current_mode == mode, mode)
        assert app.export_screenshot()
    await pilot.press("6", "a")
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, FormScreen) and len(app.screen.query(".field-row")) == len(app.screen.fields),
        "a form",
    )
    await pilot.press("ctrl+s")  # shows its errors in red (or not, without colour)
    await pilot.pause()
    assert app.export_screenshot()
    await pilot.press("escape")
    await pilot.press("question_mark")
    await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
    assert app.export_screenshot()
    await pilot.press("escape")
    await pilot.pause()
    assert app.is_running


async def test_runs_with_no_color(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_on(tmp_path / "agency.json")
    assert app.no_color
    assert any(isinstance(f, (Monochrome, NoColor)) for f in app._filters)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # the status of a card is still told in words, not only by colour
        assert card(app, "inquiries").border_subtitle == "act now 49"
        assert card(app, "cash").border_subtitle == "watch 63"
        await _visit_everything(pilot)


async def test_runs_with_16_colours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "standard")
    app = app_on(tmp_path / "agency.json")
    assert app.console.color_system == "standard"
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "ansi-dark"  # the terminal's own 16 colours
        await pilot.pause()
        assert app.native_ansi_color
        await _visit_everything(pilot)


# --------------------------------------------------------------------------- every change recomputes


async def test_a_change_recomputes_the_advice_on_every_live_screen(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        ws = app.workspace
        await pilot.press("2")  # make the advice screen live too
        await pilot.pause()
        advice_table = app.screen.query_one("#advice", DataTable)
        n = advice_table.row_count
        assert n == len(ws.advice.recommendations) >= 10
        await pilot.press("1")
        await pilot.pause()
        assert status_classes(card(app, "cash")) == {"-watch"}

        # six months of costs in the bank (34,000 a month): the cash warning goes, and the ideal
        # reserve's "keep it there" (a confirmation: free) takes its place
        ws.save("cash", model.CashEntry(date=AS_OF, balance=204000))
        app.data_changed()
        await pilot.pause()
        c = card(app, "cash")
        assert text_of(c).startswith("cash covers 6.0 months of costs")
        assert status_classes(c) == {"-good"}
        assert c.border_subtitle == "good 100"
        assert f"({n} recommendations: press 2)" in text_of(app.screen.query_one("#top"))
        assert "now 6.0 months of costs" in app.screen.query_one("#trends", Trends).rows[0][0]
        assert advice_table.row_count == n  # CASH002 gone, CASH009 come
        titles = [str(advice_table.get_row_at(i)[3]) for i in range(advice_table.row_count)]
        assert not any("build toward" in t for t in titles)
        assert "Cash covers 6.0 months of costs: the ideal reserve, keep it there" in titles


async def test_a_change_in_a_form_recomputes_the_dashboard(demo_app: AdvisorApp, tmp_path: Path) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        await pilot.press("4", "a")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, FormScreen) and len(app.screen.query(".field-row")) == len(app.screen.fields)
            ),
            "the cash form",
        )
        assert app.screen.query_one("#f-date", Input).value == "2026-11-26"
        app.screen.query_one("#f-balance", Input).focus()
        await pilot.press(*"68.000")  # two months of costs: critical (the EUR demo reads 1.234,56: 68.000 is 68000)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordsScreen), "the cash table")
        assert any(c.balance == 68000 for c in Store(app.workspace.store.path).load().cash)
        await pilot.press("1")
        await wait_until(
            pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.query("#card-cash"), "the dashboard"
        )  # keys are taken one at a time, once the app has settled
        c = card(app, "cash")
        assert text_of(c).startswith("cash covers 2.0 months of costs")
        assert status_classes(c) == {"-act"}
        assert "Cash covers 2.0 months of costs: act now" in text_of(app.screen.query_one("#top"))
