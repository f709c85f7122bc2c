"""Pilot tests of keys that reach the app all at once (tui_advisor/ui/keyburst.py).

Pilot's ``press`` waits for the app to go idle after every key, which hides the bug: here
the keys are posted to the App's queue together, as the terminal driver posts the keys of
one read. Every form of the app gets a burst that types a value into each of its fields;
a screen that never settles still gets its keys; and the one private Textual hook the
workaround reads is checked against the installed Textual. The same bursts through a
real terminal: tests/cli/test_cli_key_burst.py.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.widgets import Input, Select

from tui_advisor.forms import KINDS, PROFILE_FIELDS
from tui_advisor.ui import keyburst

SIZE = (80, 24)  # a small terminal: the longer forms scroll as the focus moves down
_NAMED = {"\t": "tab", "\r": "enter", " ": "space", "-": "minus", ".": "full_stop", "\x13": "ctrl+s"}

# A value for each type of field typed into an Input (the Selects are tabbed over).
TYPED = {"text": "Burst {n}", "date": "2026-11-2{n}", "number": "1{n}00", "signed": "-{n}50", "percent": "1{n}"}


def _key(char: str) -> events.Key:
    """The Key event the terminal driver makes of one character."""
    return events.Key(_NAMED.get(char, char), None if char == "\x13" else char)


def post_burst(app: App, text: str) -> None:
    """Every key of ``text`` onto the App's queue at once, as one read of the terminal."""
    for char in text:
        app.post_message(_key(char))


def _burst_for(fields: tuple[Any, ...]) -> tuple[str, dict[str, str]]:
    """Keys that fill every Input of a form in order, tabbing over the Selects; what each holds then."""
    keys, expected = "", {}
    for n, f in enumerate(fields):
        if f.type in TYPED:
            value = TYPED[f.type].format(n=n % 10)
            keys += value
            expected[f.name] = value
        keys += "\t"
    return keys, expected


async def _settled(ui: Any, what: str) -> None:
    app = ui.app
    await ui.wait_until(lambda: not app._burst_busy and not app._burst_held and app._burst_idle(), what, timeout=30)


@pytest.mark.parametrize("coll", sorted(KINDS))
async def test_a_burst_fills_every_field_of_every_add_form(make_app, driver, coll) -> None:
    async with make_app("demo").run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto(coll)
        await ui.open_form("a")
        keys, expected = _burst_for(KINDS[coll].fields)
        post_burst(ui.app, keys)
        await _settled(ui, "the burst to be typed")
        assert {name: ui.widget(name).value for name in expected} == expected
        assert ui.app.burst_waited > 0 and ui.app.burst_timeouts == 0  # the keys did wait their turn


async def test_a_burst_fills_the_agency_profile_form(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("profile")
        await ui.open_form("e")
        keys, expected = _burst_for(PROFILE_FIELDS)
        post_burst(ui.app, keys)
        await _settled(ui, "the burst to be typed")
        assert {name: ui.widget(name).value for name in expected} == expected


async def test_one_burst_opens_the_client_form_fills_it_and_saves(demo_app, driver) -> None:
    """From the dashboard: 5 (clients), a (add), the fields, two scores picked from their lists
    (enter opens one, typing finds the option, enter picks it) and ctrl+s, all at once. ctrl+s is
    a priority binding: it must wait until the keys before it are typed."""
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = {c.id for c in ui.stored().clients}
        post_burst(ui.app, "5aBurst Name\tRetail\t\r4\r\t\r3\r\x13")
        await _settled(ui, "the burst to be handled")
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to save and close", timeout=30)
        added = [c for c in ui.stored().clients if c.id not in before]
        assert [(c.name, c.industry, c.enjoy, c.industry_fit) for c in added] == [("Burst Name", "Retail", 4, 3)]


async def test_a_burst_through_the_command_palette_adds_a_client(demo_app, driver) -> None:
    """ctrl+p, a search, enter, and the form it opens filled in and saved: one burst. The
    palette searches in a worker; enter waits until the search is done."""
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = {c.id for c in ui.stored().clients}
        ui.app.post_message(events.Key("ctrl+p", None))
        post_burst(ui.app, "add client\rPalette Name\tRetail\x13")
        await _settled(ui, "the burst to be handled")
        await ui.wait_until(lambda: len(ui.stored().clients) > len(before), "the client to be saved", timeout=30)
        added = [c for c in ui.stored().clients if c.id not in before]
        assert [(c.name, c.industry) for c in added] == [("Palette Name", "Retail")]


async def test_a_burst_answers_the_dialog_it_opens(demo_app, driver) -> None:
    """d (delete, asks first) and y in one burst delete the cash entry under the cursor; then d
    and n keep the next one: each answer reaches the dialog the key before it opened. (Textual
    checks a key's bindings when the key has bubbled back to the App, on the screen on top by
    then, so this holds without the workaround too: here it guards that waiting keeps it.)"""
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("cash")
        first = KINDS["cash"].record_key(ui.screen.selected())
        before = {KINDS["cash"].record_key(c) for c in ui.stored().cash}
        post_burst(ui.app, "dydn")
        await _settled(ui, "the burst to be handled")
        await ui.wait_until(lambda: len(ui.stored().cash) < len(before), "the delete to be stored", timeout=30)
        await _settled(ui, "the rest of the burst")
        assert before - {KINDS["cash"].record_key(c) for c in ui.stored().cash} == {first}
        assert len(ui.app.screen_stack) == 1 and ui.screen.is_current  # the second dialog was answered


async def test_a_paste_after_a_tab_lands_in_the_next_field(demo_app, driver) -> None:
    """A bracketed paste is one Paste event (Textual puts its first line into the focused Input);
    after keys and a tab in the same read it waits its turn like a key."""
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("clients")
        await ui.open_form("a")
        post_burst(ui.app, "Burst Name\t")
        ui.app.post_message(events.Paste("Retail"))
        await _settled(ui, "the keys and the paste to be handled")
        assert (ui.widget("name").value, ui.widget("industry").value) == ("Burst Name", "Retail")


async def test_without_the_workaround_the_burst_lands_in_the_wrong_field(demo_app, driver, monkeypatch) -> None:
    """What Textual 8.2.8 does on its own (docs/upstream/): the keys after the tab go to the name."""

    async def textual_on_event(self: App, event: events.Event) -> None:
        await App.on_event(self, event)

    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("clients")
        await ui.open_form("a")
        monkeypatch.setattr(keyburst.SettledKeys, "on_event", textual_on_event)
        post_burst(ui.app, "Burst Name\tRetail")
        await ui.wait_until(
            lambda: ui.widget("name").value == "Burst NameRetail", "the name to get every key", timeout=30
        )
        assert ui.widget("industry").value == ""


async def test_a_screen_that_never_settles_does_not_swallow_the_keyboard(demo_app, driver, monkeypatch) -> None:
    """If the app never looks idle, each key waits SETTLE_LIMIT and then goes on: none is lost."""
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("clients")
        await ui.open_form("a")
        monkeypatch.setattr(keyburst, "SETTLE_LIMIT", 0.2)
        monkeypatch.setattr(keyburst, "_idle", lambda pump: False)
        post_burst(ui.app, "abc")
        await ui.wait_until(lambda: ui.widget("name").value == "abc", "every key to arrive", timeout=30)
        await ui.wait_until(lambda: not ui.app._burst_busy, "the last wait to end", timeout=30)
        assert ui.app.burst_timeouts == 4  # a waited before it was routed, and each key after it


async def test_a_key_that_blocks_the_app_for_long_does_not_let_the_next_keys_go_astray(
    demo_app, driver, monkeypatch
) -> None:
    """Time the event loop spends blocked (work on the UI thread) is not time waited: keys behind a
    key that blocks longer than SETTLE_LIMIT still wait until its form is open."""
    from tui_advisor.ui.screens.records import RecordsScreen

    add = RecordsScreen.action_add

    def slow_add(self: RecordsScreen) -> None:
        time.sleep(3.0)  # blocks the loop, twice as long as the limit below
        add(self)

    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("clients")
        monkeypatch.setattr(
            keyburst, "SETTLE_LIMIT", 1.5
        )  # roomy: opening the form takes far less, even on a busy host
        monkeypatch.setattr(RecordsScreen, "action_add", slow_add)
        post_burst(ui.app, "aBurst Name\tRetail")
        await _settled(ui, "the burst to be handled")
        assert (ui.widget("name").value, ui.widget("industry").value) == ("Burst Name", "Retail")
        assert ui.app.burst_timeouts == 0


async def test_the_private_hook_reads_a_message_pumps_queue(demo_app, driver) -> None:
    """``keyburst._idle`` asks textual_fixes.pump_has_messages, which reads ``MessagePump._message_queue``."""
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("clients")
        await ui.open_form("a")
        name = ui.widget("name")
        assert isinstance(name, Input)
        await ui.wait_until(lambda: keyburst._idle(name), "the field to be idle")
        assert name._message_queue.empty()
        name.post_message(events.Key("x", "x"))  # queued: nothing ran in between
        assert not keyburst._idle(name) and not ui.app._burst_idle()
        await ui.wait_until(lambda: keyburst._idle(name) and ui.app._burst_idle(), "the key to be handled")
        assert name.value == "x"
        assert isinstance(ui.widget("enjoy"), Select)
