"""Keys that arrive in one burst land where they would have landed typed one by one.

The problem (Textual 8.2.8; docs/upstream/keys-after-tab-go-to-the-old-widget.md has a
bare reproduction): the terminal driver parses everything one read of the terminal
holds -- a paste, fast type-ahead, keys a laggy SSH link delivers together -- into Key
events and posts them all to the App's message queue at once. ``App.on_event`` routes
each Key to ``self.focused`` with ``_forward_event``, which only *posts* it to that
widget's queue. A non-priority binding such as the Screen's ``tab`` ->
``app.focus_next`` runs when the Key has bubbled back up (one queue per ancestor) to
``App._on_key``; Input's ``enter`` -> ``Submitted`` -> a form's ``focus_next`` is one
more round of messages; a key that opens a screen focuses its first field when the new
screen handles ``ScreenResume``. Meanwhile the App has already taken the following keys
from its queue and forwarded them to the widget that had the focus before. So
"Burst Name<TAB>Retail" in one write types "Burst NameRetail" into the first field. And
a priority binding (the form's ``ctrl+s``) runs at once in ``App.on_event``, before the
keys forwarded ahead of it were typed: the form is saved half filled in.

The fix, for every screen and form of the app: ``SettledKeys`` (a mixin of the App)
takes one input event at a time, and routes it only when the app is idle. An input event
that arrives while the effects of the one before (a key, a paste, a mouse button) are
still being handled anywhere on the current screens, or while the app is busy with
anything else (starting up, opening a screen), waits, in order, in a line of its own; a
small task watches the app, and when every message pump is idle (and, after a change of
screen or focus, the screen has refreshed once, so that work put off until after the
refresh has run too) it hands the next event back to the App's queue, where it is
handled as if it had just arrived. A key typed by a person, with the app idle, passes
at once; keys that arrive while the app is busy wait, a few milliseconds each. The
workers of screens and widgets count as busy (the command palette searches in one); the
App's own workers do not (a save that waits for the data file's lock does not hold the
keyboard). If the app does not settle within ``SETTLE_LIMIT`` seconds (of its event loop
running: work that blocks the loop does not count) the next event goes on regardless
(Textual's own behaviour), so a screen that is never idle cannot swallow the keyboard.

One question has no public answer in Textual: has a message pump messages waiting?
``_idle`` asks ``textual_fixes.pump_has_messages``, which reads Textual's private
``MessagePump._message_queue`` (the one private name, kept in ui/textual_fixes.py with the
app's other Textual workarounds; tests/ui/test_textual_fixes.py and test_key_burst.py check
it against the installed Textual, so a release that changes it fails there, not silently).
(A version with public API only -- a ``call_later`` barrier to every pump, counting handled
messages through ``message_signal`` -- worked too, but cost about 0.1 s of CPU per key:
the Pilot tests of the forms took 93 s of CPU, not 38 s.) Everything else is public:
``App.on_event``, ``post_message``, ``screen_stack``, ``walk_children``, ``is_running``,
``is_mounted``, ``call_after_refresh``, ``App.workers``.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

from textual import events
from textual.message_pump import MessagePump

from .textual_fixes import pump_has_messages

SETTLE_LIMIT = 5.0  # seconds of the app running (not blocked) that an input event waits for it to settle

# Events after which the app must settle before the next input event is routed: they can
# move the focus or change the screen. Every other input event (mouse moves, scrolls) only
# keeps its place in the line while something is held.
_SETTLE_AFTER = (events.Key, events.Paste, events.MouseDown, events.MouseUp)
_GATED = (events.InputEvent, events.Paste)  # keys, mouse, and a paste (Textual's Paste is no InputEvent)
_REFRESH_WAIT = 0.5  # seconds: the longest wait for a screen to refresh (one that is closed meanwhile never does)


def _idle(pump: MessagePump) -> bool:
    """True when nothing waits in the pump's queue and, for a widget, it has mounted.

    A widget still composing and mounting is busy outside its queue. A pump busy handling
    a message has taken it off its queue; the watcher never runs in the middle of that
    (one thread), except while the handler awaits something, and what it awaits is
    another pump's work (mounting, removing): that pump shows as busy.
    """
    if not getattr(pump, "is_mounted", True) and pump.is_attached:
        return False
    return not pump_has_messages(pump)


def _screen_of(node: Any) -> Any:
    try:
        return node.screen
    except Exception:  # not on a screen (any more)
        return None


class SettledKeys:
    """Mixin for the App (before ``App`` in the bases): one input event at a time.

    ``on_event`` is Textual's public entry point for every event the App receives; the
    input events the driver posts (not yet forwarded to a widget) pass through here.
    """

    _burst_held: deque[events.Event]
    _burst_busy: bool = False  # an input event is being handled, or the app is settling after it
    _burst_dispatching: bool = False  # the App itself is inside on_event for that event
    _burst_released: events.Event | None = None
    _burst_task: asyncio.Task | None = None
    burst_settles: int = 0  # how many input events the app was watched after (tests, benchmarks)
    burst_waited: int = 0  # how many input events had to wait their turn
    burst_timeouts: int = 0  # how many waits gave up after SETTLE_LIMIT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._burst_held = deque()

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, _GATED) or event.is_forwarded:
            await super().on_event(event)  # type: ignore[misc]
            return
        if event is self._burst_released:  # the next one in line, handed back by the watcher
            self._burst_released = None
        elif self._burst_busy or self._burst_held or not self._burst_idle():
            # Its turn comes when the app has settled: after the input events before it, and
            # after whatever else the app is doing (starting up, opening a screen).
            self._burst_held.append(event)
            self.burst_waited += 1
            if not self._burst_busy:
                self._burst_busy = True
                self._burst_task = asyncio.get_running_loop().create_task(self._burst_settle(self._burst_state()))
            return
        settle = isinstance(event, _SETTLE_AFTER)
        self._burst_busy = True
        if settle:  # the state before the event is what "changed" is measured against
            self._burst_task = asyncio.get_running_loop().create_task(self._burst_settle(self._burst_state()))
        self._burst_dispatching = True
        try:
            await super().on_event(event)  # type: ignore[misc]
        finally:
            self._burst_dispatching = False
            if not settle:  # nothing to wait for: the next one in line, if any, goes on
                self._release_next()

    def _release_next(self) -> None:
        """Hand the next held event back to the App's queue (it is handled as it arrived)."""
        if self._burst_held:
            self._burst_busy = True
            self._burst_released = self._burst_held.popleft()
            if not self.post_message(self._burst_released):  # type: ignore[attr-defined]
                self._burst_held.clear()  # the app is closing
                self._burst_busy = False
        else:
            self._burst_busy = False

    # ------------------------------------------------------------------ waiting for the app

    def _burst_idle(self) -> bool:
        if self._burst_dispatching or not _idle(self):  # type: ignore[arg-type]
            return False
        try:
            stack = self.screen_stack  # type: ignore[attr-defined]
        except Exception:  # no screen stack yet (starting) or any more (closing)
            return False
        for screen in stack:
            for pump in screen.walk_children(with_self=True):
                if not _idle(pump):
                    return False
        # A worker of a screen or widget (the command palette searches in one) is part of what
        # a key set going; the App's own workers (saving, reading the data file) are not waited for.
        for worker in self.workers:  # type: ignore[attr-defined]
            if not worker.is_finished and worker.node is not self and _screen_of(worker.node) in stack:
                return False
        return True

    def _burst_state(self) -> tuple[Any, Any]:
        try:
            screen = self.screen  # type: ignore[attr-defined]
        except Exception:  # no screen: the app is closing
            return None, None
        return screen, screen.focused

    async def _burst_settle(self, start: tuple[Any, Any]) -> None:
        """Wait until the app is idle after the event being handled, then release the next."""
        self.burst_settles += 1
        deadline = time.monotonic() + SETTLE_LIMIT
        refreshed: tuple[Any, Any] | None = None
        idle_looks = spins = 0
        last = time.monotonic()
        try:
            while time.monotonic() < deadline and self.is_running:  # type: ignore[attr-defined]
                # Let the others run: at once at first, then in 2 ms steps (a long wait spins less).
                spins += 1
                await asyncio.sleep(0 if spins < 200 else 0.002)
                now = time.monotonic()
                if now - last > 0.1:  # the loop was blocked (work on the UI thread): not time waited
                    deadline += now - last
                last = now
                if not self._burst_idle():
                    idle_looks = 0
                    continue
                idle_looks += 1
                if idle_looks < 2:  # idle twice in a row, with the loop turned in between
                    continue
                state = self._burst_state()
                if state[0] is None:  # no screen: the mode's first screen is on its way
                    idle_looks = 0
                    continue
                if state == refreshed or (refreshed is None and state == start):
                    return  # idle, and the screen and focus are what the last refresh left
                # The screen or the focus changed: let the screen refresh once, so work put off
                # until after the refresh (e.g. opening a form on a screen just switched to) runs.
                refreshed, idle_looks = state, 0
                done = asyncio.Event()
                if state[0].call_after_refresh(done.set):
                    try:
                        await asyncio.wait_for(done.wait(), max(0.0, min(_REFRESH_WAIT, deadline - time.monotonic())))
                    except TimeoutError:
                        pass
                last = time.monotonic()
            if self.is_running:  # type: ignore[attr-defined]
                self.burst_timeouts += 1
        finally:
            self._burst_task = None
            self._release_next()
