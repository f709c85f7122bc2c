"""My actions (Pilot): the open steps of the OS user, from the actions table (y) and ctrl+p; a step's
owner set on the steps screen (o); a step marked done from the list; everyone's (m)."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Label

from tui_advisor.ui.screens.my_actions import MyActionsScreen
from tui_advisor.ui.screens.steps import StepsScreen

from .conftest import plain

SIZE = (100, 30)
TODAY = date(2026, 12, 5)  # Eva's steps due 2026-11-27, -30, 12-04 and 12-04 are overdue


@pytest.fixture
def eva_app(make_app, monkeypatch):
    """The demo, opened by the OS user eva (Eva owns the actions a-01 and a-03), on 2026-12-05."""
    monkeypatch.setenv("LOGNAME", "eva")
    monkeypatch.setenv("USER", "eva")
    app = make_app("demo")
    app.workspace.fixed_as_of = TODAY
    app.workspace.recompute()
    assert app.workspace.user == "eva"
    return app


def _rows(screen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[plain(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def _title(screen) -> str:
    return plain(screen.query_one("#my-actions-title", Label).render())


async def _open_mine(ui, pilot) -> MyActionsScreen:
    await ui.goto("actions")
    assert "y my actions" in ui.info()
    await pilot.press("y")
    await ui.wait_until(lambda: isinstance(ui.screen, MyActionsScreen), "my actions")
    await pilot.pause()
    return ui.screen


async def test_my_open_steps_overdue_first_and_everyones(eva_app, driver) -> None:
    async with eva_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        screen = await _open_mine(ui, pilot)
        rows = _rows(screen)
        assert [r[2] for r in rows] == [
            "Send the first proposal",
            "Call Kestrel's finance lead",
            "Review and adjust",
            "Send the amended payment schedule",
            "Issue the first instalment invoice",
        ]
        assert [r[0] for r in rows] == ["2026-11-27", "2026-11-30", "2026-12-04", "2026-12-04", "2026-12-11"]
        assert [r[1] for r in rows] == ["8d", "5d", "1d", "1d", ""]
        assert {r[3] for r in rows} == {"Eva"}  # the steps have no owner: their action's (Eva)
        assert rows[0][4] == "a-01: Win two new retainer clients"
        assert "My actions: the open steps of eva" in _title(screen) and "5 open, 4 overdue" in _title(screen)

        await pilot.press("m")  # everyone's: Daan's three too
        await ui.wait_until(lambda: len(_rows(screen)) == 8, "everyone's open steps")
        assert "Everyone's open steps" in _title(screen)
        assert {r[3] for r in _rows(screen)} == {"Eva", "Daan"}
        await pilot.press("m")
        await ui.wait_until(lambda: len(_rows(screen)) == 5, "mine again")

        await pilot.press("escape")
        await ui.wait_until(lambda: not isinstance(ui.screen, MyActionsScreen), "the list to close")


async def test_space_marks_a_step_done(eva_app, driver) -> None:
    async with eva_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        screen = await _open_mine(ui, pilot)
        await pilot.press("space")  # the first: "Send the first proposal"
        await ui.changes_stored()
        await ui.wait_until(lambda: len(_rows(screen)) == 4, "the step done to leave the list")
        a01 = next(a for a in ui.stored().actions if a.id == "a-01")
        assert a01.steps[4].title == "Send the first proposal" and a01.steps[4].done == TODAY
        assert "Send the first proposal" not in [r[2] for r in _rows(screen)]


async def test_a_step_given_to_someone_else_leaves_my_list(eva_app, driver) -> None:
    async with eva_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        screen = await _open_mine(ui, pilot)
        table = screen.query_one(DataTable)
        table.move_cursor(row=1)  # "Call Kestrel's finance lead": step 1 of a-03
        await pilot.pause()
        await pilot.press("enter")
        await ui.wait_until(lambda: isinstance(ui.screen, StepsScreen), "the steps of a-03")
        steps = ui.screen
        assert steps.action_item.id == "a-03"
        steps_table = steps.query_one("#steps-table", DataTable)
        assert steps_table.cursor_row == 0
        assert [plain(c) for c in steps_table.get_row_at(0)] == [
            "",
            "2026-11-30",
            "(Eva)",
            "Call Kestrel's finance lead",
        ]

        await ui.open_form("o")
        await ui.fill("owner", "daan")
        await ui.save_ok()
        await ui.changes_stored()
        await ui.wait_until(lambda: plain(steps_table.get_row_at(0)[2]) == "daan", "the step's owner shown")
        a03 = next(a for a in ui.stored().actions if a.id == "a-03")
        assert [s.owner for s in a03.steps] == ["daan", "", ""]
        assert a03.owner == "Eva"  # the action's owner unchanged

        await pilot.press("escape")
        await ui.wait_until(lambda: isinstance(ui.screen, MyActionsScreen), "my actions again")
        await ui.wait_until(lambda: len(_rows(screen)) == 4, "the step given away to leave my list")
        assert "Call Kestrel's finance lead" not in [r[2] for r in _rows(screen)]
        await pilot.press("m")
        await ui.wait_until(lambda: len(_rows(screen)) == 8, "everyone's")
        given = next(r for r in _rows(screen) if r[2] == "Call Kestrel's finance lead")
        assert given[3] == "daan"


async def test_a_new_step_takes_an_owner(eva_app, driver) -> None:
    async with eva_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("actions")
        ui.select_row("actions", "a-02")  # Daan's
        await pilot.press("t")
        await ui.wait_until(lambda: isinstance(ui.screen, StepsScreen), "the steps of a-02")
        await ui.open_form("a")
        await ui.fill("title", "Send Eva the draft")
        await ui.fill("owner", "Eva")
        await ui.save_ok()
        await ui.changes_stored()
        a02 = next(a for a in ui.stored().actions if a.id == "a-02")
        assert (a02.steps[-1].title, a02.steps[-1].owner) == ("Send Eva the draft", "Eva")
        await pilot.press("escape")
        await ui.wait_until(lambda: not isinstance(ui.screen, StepsScreen), "the steps to close")
        screen = await _open_mine(ui, pilot)
        mine = [r for r in _rows(screen) if r[2] == "Send Eva the draft"]
        assert mine and mine[0][4] == "a-02: Publish three case studies"


async def test_the_command_palette_opens_my_actions(eva_app, driver) -> None:
    async with eva_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"My actions", "enter")
        await ui.wait_until(lambda: isinstance(ui.screen, MyActionsScreen), "my actions from the palette")
        await pilot.pause()
        assert len(_rows(ui.screen)) == 5


def test_the_new_keys_can_be_remapped() -> None:
    from tui_advisor.ui.keymap import check_keymap

    entries = {"actions_mine": "f6", "mine_everyone": "e", "step_owner": "w"}
    assert check_keymap(entries) == (entries, [])
    keymap, problems = check_keymap({"mine_everyone": "escape"})  # taken by close there
    assert keymap == {} and problems and "mine_everyone" in problems[0]
