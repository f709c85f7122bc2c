"""The config file's [keys]: a key another binding has is refused and reported, so a binding
of one's own can never silently take q from quit; a key name Textual does not know is
reported too. check_keymap (ui/keymap.py) on its own, then the app through a Pilot; and
the app started with hostile files planted in the rules folder (it starts, says so, and
runs every built-in rule)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tui_advisor import paths
from tui_advisor.store import Store
from tui_advisor.ui.app import AdvisorApp
from tui_advisor.ui.keymap import check_keymap, key_problem
from tui_advisor.ui.screens.advice import AdviceScreen
from tui_advisor.workspace import Workspace, load_rulebook, read_document
from waiting import wait_until

AS_OF = date(2026, 11, 26)  # the date the sample agencies describe
SIZE = (120, 40)


def app_with_keys(tmp_path: Path, keymap: dict[str, str]) -> AdvisorApp:
    store = Store(tmp_path / "agency.json")
    store.import_document(read_document(paths.sample_file("demo")), replace=True)
    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    return AdvisorApp(ws, keymap=keymap)


# --------------------------------------------------------------------------- check_keymap


def test_a_key_taken_from_quit_is_refused_and_named() -> None:
    keymap, problems = check_keymap({"go_advice": "q"})
    assert keymap == {}
    assert problems == [
        "[keys] go_advice = 'q': q is already Quit (quit) on the dashboard; this entry is not used: q stays Quit"
    ]


@pytest.mark.parametrize("entries", [{"quit": "ctrl+q", "go_advice": "q"}, {"go_advice": "q", "quit": "ctrl+q"}])
def test_q_may_go_to_another_binding_once_quit_has_another_key(entries: dict[str, str]) -> None:
    assert check_keymap(entries) == (entries, [])


@pytest.mark.parametrize(
    "entries, refused, place",
    [
        ({"quit": "x"}, "quit", "the advice screen"),  # the advice screen's own x (dismiss) would shadow it
        ({"record_add": "s"}, "record_add", "the record screens"),
        ({"record_add": "f5", "record_sort": "f5"}, "record_sort", "the record screens"),  # the later entry
        ({"go_advice": "ctrl+p"}, "go_advice", "the dashboard"),  # Textual's command palette
        ({"go_advice": "tab"}, "go_advice", "the dashboard"),  # Textual's focus keys
        ({"form_save": "escape"}, "form_save", "the record form"),
        ({"quit": "x", "go_advice": "q"}, "quit", "the advice screen"),  # refusing quit's move gives q back to it
    ],
)
def test_a_key_that_another_binding_has_in_the_same_place_is_refused(
    entries: dict[str, str], refused: str, place: str
) -> None:
    keymap, problems = check_keymap(entries)
    assert refused not in keymap
    assert any(p.startswith(f"[keys] {refused} = ") and f"on {place};" in p for p in problems), problems
    if entries == {"quit": "x", "go_advice": "q"}:
        assert keymap == {} and len(problems) == 2


@pytest.mark.parametrize(
    "entries",
    [
        {"go_advice": "f2"},
        {"help": "?"},
        {"form_save": "ctrl+x"},
        {"record_add": "A"},
        {"quit": "ctrl+shift+f12"},
        {"go_cash": "exclamation_mark"},
    ],
)
def test_free_keys_are_applied(entries: dict[str, str]) -> None:
    keymap, problems = check_keymap(entries)
    assert problems == [] and set(keymap) == set(entries)


@pytest.mark.parametrize(
    "spec, message",
    [
        ("spaceship", "'spaceship' is not a key name"),
        (
            "Ctrl+F2",
            "'Ctrl' in 'Ctrl+F2' is not a modifier (ctrl, shift, alt, meta, super, hyper) (did you mean 'ctrl+f2'?)",
        ),
        ("ctrl+ctrl+a", "gives a modifier twice"),
        ("ctrl+?", "after a modifier, write the character's name (ctrl+question_mark)"),
        ("ctrl+/", "(ctrl+slash)"),
        ("", "a key is empty"),
        ("f2,", "a key is empty"),
        ("\x1b]0;owned\x07", "is not a key name"),
    ],
)
def test_bad_key_names_are_reported_and_not_used(spec: str, message: str) -> None:
    keymap, problems = check_keymap({"go_advice": spec})
    assert keymap == {} and len(problems) == 1 and message in problems[0], problems
    assert problems[0].endswith("this entry is not used")
    assert "\x1b" not in problems[0] and "\x07" not in problems[0]


def test_an_id_no_binding_has_is_reported_with_the_nearest() -> None:
    keymap, problems = check_keymap({"go_advise": "f2", "form_sav": "ctrl+x"})
    assert keymap == {}
    assert "[keys] go_advise = 'f2': no binding has this id (did you mean 'go_advice'?)" in problems[0]
    assert "did you mean 'form_save'?" in problems[1]  # a dialog's id: known


@pytest.mark.parametrize("key", ["f2", "ctrl+q", "question_mark", "?", "A", "space", "shift+tab", "slash", "ctrl+up"])
def test_textual_key_names_are_keys(key: str) -> None:
    normalized = check_keymap({"go_advice": key})[0].get("go_advice", key)
    assert key_problem(normalized) is None


# --------------------------------------------------------------------------- the app


async def test_a_binding_mapped_to_q_is_reported_and_q_still_quits(tmp_path: Path) -> None:
    app = app_with_keys(tmp_path, {"go_advice": "q", "go_cash": "f4"})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("go_advice = 'q'" in m and "q stays Quit" in m for m in messages), messages
        await pilot.press("f4")  # the good entry is applied
        await wait_until(pilot, lambda: app.current_mode == "cash", "the cash screen")
        await pilot.press("2")  # go_advice kept its own key
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen), "the advice screen")
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, "q to quit the app")


async def test_quit_moved_frees_q_for_another_binding(tmp_path: Path) -> None:
    app = app_with_keys(tmp_path, {"go_advice": "q", "quit": "ctrl+q"})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert not [n for n in app._notifications if "[keys]" in n.message]
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen), "q to open the advice screen")
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running, "ctrl+q to quit the app")


async def test_a_bad_key_name_is_reported_when_the_app_starts(tmp_path: Path) -> None:
    app = app_with_keys(tmp_path, {"help": "spaceship"})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert any("'spaceship' is not a key name" in n.message for n in app._notifications)
        await pilot.press("question_mark")  # help keeps its key
        from tui_advisor.ui.screens.help import HelpScreen

        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")


# --------------------------------------------------------------------------- planted rule files


async def test_the_app_starts_with_a_fifo_and_a_bomb_in_the_rules_folder_and_says_so(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "team-rules"
    folder.mkdir()
    os.mkfifo(folder / "a-fifo.toml")
    (folder / "b-bomb.toml").write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    store = Store(tmp_path / "agency.json")
    store.import_document(read_document(paths.sample_file("demo")), replace=True)
    ws = Workspace(store, load_rulebook(None, [folder]), as_of=AS_OF)
    ws.load()
    app = AdvisorApp(ws)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(f"{folder / 'a-fifo.toml'}: cannot read the file: it is a FIFO" in m for m in messages), messages
        assert any(f"{folder / 'b-bomb.toml'}: cannot be read" in m and "nested too deeply" in m for m in messages)
        builtin = {r.id for r in load_rulebook().ruleset.rules}
        assert {r.id for r in ws.rulebook.ruleset.rules} == builtin  # every built-in rule runs
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen), "the advice screen")
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, "q to quit the app")
