"""A change made in the app while a teammate's process holds the writers' lock.

The save runs in a thread: the app keeps answering keys (other screens, the form's
own keys), says after half a second what it waits for (the lock, held by whom: the
holder's pid), and stores the record once the lock is free; a lock held past the
store's timeout ends in a message, with everything typed still in the form.

The lock is held by a real second process, through the store's own ``exclusive_lock``
(what every writer takes), until the test tells it to let go. Pilot drives the form, a
delete, a step ticked off; the last tests run ``python -m tui_advisor`` on a real pty
(a delete while the lock is held, and the first run's demo, a temporary copy that waits for no lock).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from cli.test_cli_terminal import _close as _end  # the pty helpers of tests/cli
from cli.test_cli_terminal import _read_until
from cli.test_cli_terminal import _spawn_on_pty as _spawn_100x30
from tui_advisor import paths
from tui_advisor.store import Store
from tui_advisor.workspace import read_document

SIZE = (80, 24)  # a small terminal: the form scrolls
WAIT = 15.0  # seconds: generous, the machine is shared


def plain(value: object) -> str:
    return getattr(value, "plain", None) or str(value)


_HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from tui_advisor.store.files import exclusive_lock

    with exclusive_lock(Path(sys.argv[1]), timeout=30):
        print("locked", flush=True)
        sys.stdin.readline()  # hold it until told (or until the test's end closes the pipe)
""")


class LockHolder:
    """Another process holding the data file's writers' lock until ``release()``."""

    def __init__(self, data: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(data)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line.strip() == "locked", f"the holder did not take the lock: {line!r}"
        self.pid = self.proc.pid

    @property
    def holding(self) -> bool:
        return self.proc.poll() is None

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=10)


@pytest.fixture
def hold_lock() -> Iterator[Callable[[Path], LockHolder]]:
    holders: list[LockHolder] = []

    def hold(data: Path) -> LockHolder:
        holders.append(LockHolder(data))
        return holders[-1]

    yield hold
    for h in holders:
        if h.proc.poll() is None:
            h.proc.kill()
            h.proc.wait()


def status(ui) -> str:
    widget = ui.form.query_one("#form-status", Static)
    return plain(widget.render()) if widget.display else ""


def banner(screen) -> str:
    widget = screen.query_one("#banner", Static)
    return plain(widget.render()) if widget.display else ""


async def test_a_save_waits_for_a_held_lock_without_freezing_the_app(demo_app, driver, hold_lock) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        data = ui.app.workspace.store.path
        await ui.goto("engagements")  # the largest form: it scrolls at 80x24
        count = ui.table.row_count
        await ui.open_form("a")
        await ui.pick("client", "lumen")
        await ui.fill("monthly_fee", "4321")
        await ui.fill("hours_per_week", "12")
        holder = hold_lock(data)
        before = ui.file_bytes()

        pressed = time.monotonic()
        await pilot.press("ctrl+s")
        # after half a second the form says what it waits for, naming the holder's process
        await ui.wait_until(lambda: "waiting for the data file's lock" in status(ui), "the waiting indicator", WAIT)
        shown_after = time.monotonic() - pressed
        assert f"pid {holder.pid}" in status(ui), status(ui)
        assert "your entries are kept" in status(ui)
        assert ui.form_is_open() and ui.form.saving
        assert ui.widget("monthly_fee").value == "4321" and ui.widget("client").value == "c-lumen"
        assert shown_after >= 0.45  # after about half a second: not for the milliseconds of an ordinary save

        # escape does not drop the save; the form stays open until it is done
        await pilot.press("escape")
        await pilot.pause()
        assert ui.form_is_open()
        assert any("Still saving" in message for _, message, _ in ui.notifications())

        # the app answers keys meanwhile: the form scrolls (to read it all), tab moves on
        fields = ui.form.query_one("#form-fields")
        assert fields.has_focus and fields.max_scroll_y > 0
        await pilot.press("end")
        await ui.wait_until(lambda: fields.scroll_y == fields.max_scroll_y, "the form to scroll to its end", WAIT)
        await pilot.press("home")
        await ui.wait_until(lambda: fields.scroll_y == 0, "the form to scroll back", WAIT)
        answered = time.monotonic()
        await pilot.press("tab")
        await ui.wait_until(lambda: not fields.has_focus and ui.app.focused is not None, "tab to move the focus")
        latency = time.monotonic() - answered
        # typing changes nothing while it saves (it would not be in what is saved)
        await pilot.press("x")
        assert ui.widget("monthly_fee").value == "4321"
        assert holder.holding and ui.file_bytes() == before, "the lock was not held all along"
        assert ui.form.saving

        holder.release()
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to close once saved", WAIT)
        assert any(
            e.client == "c-lumen" and e.monthly_fee == 4321 and e.hours_per_week == 12 for e in ui.stored().engagements
        )
        await ui.wait_until(lambda: ui.table.row_count == count + 1, "the new row", WAIT)
        assert banner(ui.screen) == ""
        print(f"\nwaiting indicator after {shown_after:.2f} s; a key during the wait answered in {latency:.2f} s")
        assert latency < 5.0


async def test_a_lock_held_past_the_timeout_keeps_what_was_typed(demo_app, driver, hold_lock) -> None:
    demo_app.workspace.store.lock_timeout = 2.0
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        data = ui.app.workspace.store.path
        await ui.goto("clients")
        await ui.open_form("a")
        await ui.fill("name", "Patient Ltd")
        await ui.fill("industry", "Logistics")
        holder = hold_lock(data)
        before = ui.file_bytes()
        await pilot.press("ctrl+s")
        await ui.wait_until(lambda: "waiting for the data file's lock" in status(ui), "the waiting indicator", WAIT)
        await ui.wait_until(lambda: ui.form_errors().strip(), "the save to give up", WAIT)

        errors = ui.form_errors()
        assert errors.startswith("Not saved: ")
        assert "held the lock for 2 s" in errors and f"pid {holder.pid}" in errors, errors
        assert "Everything you typed is still here" in errors
        assert status(ui) == "" and not ui.form.saving
        assert ui.widget("name").value == "Patient Ltd" and ui.widget("industry").value == "Logistics"
        assert not ui.widget("name").disabled  # editable again
        assert ui.file_bytes() == before
        assert not any(c.name == "Patient Ltd" for c in ui.stored().clients)

        # the lock comes free: ctrl+s again saves what is in the form
        holder.release()
        await ui.focus("name")
        await pilot.press("end", "!")
        await ui.save_ok()
        assert any(c.name == "Patient Ltd!" and c.industry == "Logistics" for c in ui.stored().clients)


async def test_a_delete_waits_for_the_lock_and_the_app_goes_on(demo_app, driver, hold_lock) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        data = ui.app.workspace.store.path
        await ui.goto("journey")
        count = ui.table.row_count
        key = ui.row_keys()[0]
        holder = hold_lock(data)
        await pilot.press("d")
        await ui.confirm("y", then_wait=False)
        await ui.wait_until(lambda: f"pid {holder.pid}" in banner(ui.screen), "the waiting banner", WAIT)
        assert "waiting for the data file's lock (agency.json), held by" in banner(ui.screen)
        assert ui.table.row_count == count  # not deleted yet

        # a second change meanwhile is refused at once, saying why (nothing queued behind the first)
        await pilot.press("down", "d")
        await ui.confirm("y", then_wait=False)
        await ui.wait_until(
            lambda: any("still waiting" in message for _, message, _ in ui.notifications()), "the second change refused"
        )
        assert ui.notifications()[-1][0] == "Not deleted"
        # reading goes on: another screen, and its banner says the same
        await ui.goto("cash")
        assert f"pid {holder.pid}" in banner(ui.screen)
        await ui.goto("journey")

        holder.release()
        await ui.wait_until(lambda: ui.table.row_count == count - 1, "the row to go", WAIT)
        assert key not in ui.row_keys()
        assert len(ui.stored().journey) == count - 1
        await ui.wait_until(lambda: banner(ui.screen) == "", "the banner to go", WAIT)
        # and undo works once the first change is over
        await pilot.press("u")
        await ui.wait_until(lambda: ui.table.row_count == count, "the row back", WAIT)
        assert len(ui.stored().journey) == count


async def test_ticking_off_a_step_waits_for_the_lock_and_says_so(demo_app, driver, hold_lock) -> None:
    from textual.widgets import DataTable

    from tui_advisor.ui.screens.steps import StepsScreen

    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("actions")
        ui.select_row("actions", "a-01")
        before = [s.done for s in next(a for a in ui.stored().actions if a.id == "a-01").steps]
        await pilot.press("t")
        await ui.wait_until(lambda: isinstance(ui.screen, StepsScreen), "the steps")
        steps = ui.screen
        table = steps.query_one("#steps-table", DataTable)
        holder = hold_lock(ui.app.workspace.store.path)
        await pilot.press("space")
        line = steps.query_one("#steps-status", Static)
        await ui.wait_until(
            lambda: line.display and f"pid {holder.pid}" in plain(line.render()), "the waiting line of the steps", WAIT
        )
        # the keys still work: the cursor moves down the steps
        await pilot.press("down")
        await ui.wait_until(lambda: table.cursor_row == 1, "the cursor to move")
        holder.release()
        await ui.wait_until(lambda: not line.display, "the waiting line to go", WAIT)
        after = [s.done for s in next(a for a in ui.stored().actions if a.id == "a-01").steps]
        assert after[1:] == before[1:] and (after[0] is None) != (before[0] is None)


async def test_changes_asked_for_in_quick_succession_are_made_in_order(demo_app, driver) -> None:
    """A key pressed twice quickly: the second change follows the first (planned once the first
    is in, so it sees it), none is refused."""
    from dataclasses import replace

    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        app, ws = ui.app, ui.app.workspace
        acme = next(c for c in ws.data.clients if c.id == "c-acme")
        done: list[object] = []
        failed: list[Exception] = []

        def edit(industry: str):
            def plan():
                current = next(c for c in ws.data.clients if c.id == acme.id)  # as the change before left it
                return ws.plan_save("clients", replace(current, industry=industry), original=current)

            return plan

        app.write(edit("Robotics"), done.append, failed.append)
        app.write(edit("Aerospace"), done.append, failed.append)
        app.write(edit("Games"), done.append, failed.append)
        assert app.writing
        await ui.wait_until(lambda: not app.writing, "the three changes", WAIT)
        assert failed == [] and len(done) == 3
        assert next(c for c in ui.stored().clients if c.id == "c-acme").industry == "Games"
        assert next(c for c in ws.data.clients if c.id == "c-acme").industry == "Games"


async def test_space_twice_ticks_a_step_off_and_on_again(demo_app, driver) -> None:
    """Each change is planned when it is made, after the one before: the second space sees the
    first's result (not the steps as they were when the key was pressed)."""
    from tui_advisor.ui.screens.steps import StepsScreen

    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("actions")
        ui.select_row("actions", "a-01")
        before = next(a for a in ui.stored().actions if a.id == "a-01")
        await pilot.press("t")
        await ui.wait_until(lambda: isinstance(ui.screen, StepsScreen), "the steps")
        revision = ui.app.workspace.revision
        steps = ui.screen
        steps.action_toggle_step()  # two presses before the first is stored
        steps.action_toggle_step()
        await ui.wait_until(lambda: not ui.app.writing, "both changes", WAIT)
        after = next(a for a in ui.stored().actions if a.id == "a-01")
        assert [s.done is None for s in after.steps] == [s.done is None for s in before.steps]
        assert after.steps[1:] == before.steps[1:]
        assert ui.app.workspace.revision == revision + 2
        assert not any(severity == "error" for _, _, severity in ui.notifications())


async def test_quitting_while_a_change_waits_asks_first(demo_app, driver, hold_lock) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("journey")
        holder = hold_lock(ui.app.workspace.store.path)
        await pilot.press("d")
        await ui.confirm("y", then_wait=False)
        await ui.wait_until(lambda: ui.app.writing, "the change under way")
        await pilot.press("q")
        await ui.wait_until(
            lambda: any(title == "Not saved yet" for title, _, _ in ui.notifications()), "the warning", WAIT
        )
        assert ui.app.is_running
        holder.release()
        await ui.wait_until(lambda: not ui.app.writing, "the change to be over", WAIT)


# --------------------------------------------------------------------------- on a real terminal


def _spawn_on_pty(args: list[str], cwd: Path) -> tuple[subprocess.Popen, int]:
    """``python -m tui_advisor ARGS`` on a new 120x40 pseudo-terminal; (process, master fd)."""
    return _spawn_100x30(args, cwd, size=(120, 40))


def _demo_file(tmp_path: Path) -> Path:
    data = tmp_path / "shared" / "agency.json"
    data.parent.mkdir()
    Store(data).import_document(read_document(paths.sample_file("demo")), replace=True)
    return data


def test_on_a_terminal_a_delete_waits_for_the_lock_while_the_keys_still_work(tmp_path: Path, hold_lock) -> None:
    data = _demo_file(tmp_path)
    journey = len(Store(data).load().journey)
    proc, master = _spawn_on_pty(["--data", str(data), "--as-of", "2026-11-26"], tmp_path)
    try:
        shown = _read_until(master, proc, [b"Northwind Studio"], 60)
        assert b"Northwind Studio" in shown, shown[-800:]
        os.write(master, b"9")
        assert b"Journey" in _read_until(master, proc, [b"Journey"], 30)
        holder = hold_lock(data)
        os.write(master, b"d")
        assert b"Delete" in _read_until(master, proc, [b"Delete"], 30)
        os.write(master, b"y")
        wanted = [b"waiting for the data file's lock (agency.json), held by", f"pid {holder.pid}".encode()]
        shown = _read_until(master, proc, wanted, 30)
        assert all(w in shown for w in wanted), shown[-1500:]
        # the app answers keys while it waits: another screen is drawn
        pressed = time.monotonic()
        os.write(master, b"5")
        shown = _read_until(master, proc, [b"Clients: 12"], 30)
        latency = time.monotonic() - pressed
        assert b"Clients: 12" in shown, shown[-1500:]
        assert holder.holding and len(Store(data).load().journey) == journey  # still waiting, nothing written
        holder.release()
        deadline = time.monotonic() + 30
        while len(Store(data).load().journey) != journey - 1 and time.monotonic() < deadline:
            _read_until(master, proc, [b"\x00never"], 0.2)  # keep the terminal drained
        assert len(Store(data).load().journey) == journey - 1, "the delete was not stored once the lock was free"
        os.write(master, b"q")
        _read_until(master, proc, [b"\x1b[?1049l"], 30)
        assert proc.wait(timeout=30) == 0
        print(f"\non a pty, a screen switch while the delete waited for the lock took {latency:.2f} s")
        assert latency < 5.0
    finally:
        _end(proc, master)


def test_on_a_terminal_the_demo_opens_at_once_while_the_lock_is_held(tmp_path: Path, hold_lock) -> None:
    """The welcome's demo is a temporary copy: it waits for no lock on the data file and never writes it."""
    data = tmp_path / "shared" / "new-agency.json"
    data.parent.mkdir()
    proc, master = _spawn_on_pty(["--data", str(data)], tmp_path)
    try:
        shown = _read_until(master, proc, [b"Start from the demo"], 60)
        assert b"Start from the demo" in shown, shown[-800:]
        holder = hold_lock(data)
        os.write(master, b"d")
        shown = _read_until(master, proc, [b"Northwind Studio", b"DEMO"], 30)
        assert b"Northwind Studio" in shown and b"DEMO" in shown, shown[-1500:]
        assert holder.holding  # nobody waited for it
        assert not data.exists()
        holder.release()
        os.write(master, b"q")
        _read_until(master, proc, [b"\x1b[?1049l"], 30)
        assert proc.wait(timeout=30) == 0
        assert not data.exists()  # the demo was never written into the user's file
    finally:
        _end(proc, master)
