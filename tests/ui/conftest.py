"""Fixtures for the Pilot tests of the terminal app.

Every test builds the app on its own copy of a sample agency (in ``tmp_path``),
with the date fixed to the one the samples describe, so the advice is the same
on every run. The repo-level conftest already keeps HOME, XDG and the app's data
and config paths away from the user's real files.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from textual.widgets import DataTable, Input, Select, Static

from tui_advisor import paths
from tui_advisor.forms import KINDS
from tui_advisor.model import AgencyData
from tui_advisor.store import Store
from tui_advisor.ui.app import AdvisorApp
from tui_advisor.workspace import Workspace, load_rulebook, read_document
from waiting import wait_until

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from tui_advisor.ui.screens.form import FormScreen

AS_OF = date(2026, 11, 26)  # the date the sample agencies describe (a Thursday)


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Freeze the Input cursor: no 0.5 s blink timer flipping the screen under the tests.

    ``Input.cursor_blink`` is a reactive whose per-instance default is read from the
    descriptor's ``_default`` when a widget is created, so patching that default turns
    the blink off for every Input the app builds (forms, dialogs).
    """
    monkeypatch.setattr(Input.cursor_blink, "_default", False)


@pytest.fixture(autouse=True)
def _quicker_idle_checks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """After every key, Pilot waits until the process is idle, checking in 20 ms slices
    (textual._wait): about 90 ms a key. 5 ms slices, with the same 5% CPU threshold,
    halve the time of a typed word. Nothing relies on the idle wait alone: every step
    of the Driver below polls for the state it expects. Snapshot tests keep Textual's
    own timing (what they capture must not depend on it)."""
    import textual._wait as wait

    if "snap_compare" in request.fixturenames:
        return
    monkeypatch.setattr(wait, "SLEEP_GRANULARITY", 0.005, raising=False)
    monkeypatch.setattr(wait, "SLEEP_IDLE", 0.005 / 20, raising=False)


def build_app(tmp_path: Path, sample_name: str) -> AdvisorApp:
    """The app on a fresh data file holding ``sample_name`` (a file of sample_data/)."""
    store = Store(tmp_path / "agency.json")
    store.import_document(read_document(paths.sample_file(sample_name)), replace=True)
    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    return AdvisorApp(ws)


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[[str], AdvisorApp]:
    """``make_app("one_client_70")``: a factory; each call gets its own data file."""
    count = 0

    def make(sample_name: str = "demo") -> AdvisorApp:
        nonlocal count
        count += 1
        folder = tmp_path / f"app{count}-{sample_name}"
        folder.mkdir()
        return build_app(folder, sample_name)

    return make


@pytest.fixture
def demo_app(make_app: Callable[[str], AdvisorApp]) -> AdvisorApp:
    """The app on a copy of the demo agency (Northwind Studio)."""
    return make_app("demo")


# --------------------------------------------------------------------------- driving the app

MODE_KEYS = {
    "dashboard": "1",
    "advice": "2",
    "profile": "3",
    "cash": "4",
    "clients": "5",
    "engagements": "6",
    "invoices": "7",
    "inquiries": "8",
    "journey": "9",
    "actions": "0",
}


def plain(value: object) -> str:
    """The text of a cell, a label or a Static, without styles."""
    return getattr(value, "plain", None) or str(value)


class Driver:
    """Small, readable steps over a Pilot: go to a screen, open a form, type, save, read the table.

    Every step waits for the state it causes (polling, never sleeping a fixed time).
    """

    def __init__(self, pilot: Pilot) -> None:
        self.pilot = pilot
        self.app: AdvisorApp = pilot.app  # type: ignore[assignment]

    # ------------------------------------------------------------------ waiting

    async def wait_until(self, condition: Callable[[], object], what: str, timeout: float = 5.0) -> None:
        await wait_until(self.pilot, condition, what, timeout)

    # ------------------------------------------------------------------ screens

    @property
    def screen(self):
        return self.app.screen

    async def goto(self, mode: str) -> None:
        """Press the screen's number key and wait until the screen shows."""
        await self.pilot.press(MODE_KEYS[mode])
        await self.pilot.pause()  # Textual 8 delays a mode switch a little
        from tui_advisor.ui.screens.base import AdvisorScreen

        await self.wait_until(
            lambda: self.app.current_mode == mode and isinstance(self.screen, AdvisorScreen) and self.screen.is_current,
            f"the {mode} screen",
        )

    # ------------------------------------------------------------------ tables

    @property
    def table(self) -> DataTable:
        return self.screen.query_one("#records", DataTable)

    def rows(self) -> list[tuple[str, ...]]:
        table = self.table
        return [tuple(plain(c) for c in table.get_row_at(i)) for i in range(table.row_count)]

    def row_keys(self) -> list[str]:
        return [row.key.value for row in self.table.ordered_rows]  # type: ignore[misc]

    def select_row(self, coll: str, key: object) -> None:
        """Put the table's cursor on the record with this key (the row keys are repr(record key))."""
        table = self.table
        table.move_cursor(row=table.get_row_index(repr(key)))
        assert self.screen.selected() is not None and KINDS[coll].record_key(self.screen.selected()) == key

    def info(self) -> str:
        return plain(self.screen.query_one("#records-info", Static).render())

    # ------------------------------------------------------------------ forms

    @property
    def form(self) -> FormScreen:
        from tui_advisor.ui.screens.form import FormScreen

        screen = self.screen
        assert isinstance(screen, FormScreen), f"expected the form, the screen is {type(screen).__name__}"
        return screen

    def form_is_open(self) -> bool:
        from tui_advisor.ui.screens.form import FormScreen

        return isinstance(self.screen, FormScreen)

    async def open_form(self, key: str = "a") -> None:
        await self.pilot.press(key)
        await self.wait_until(self.form_is_open, "the form to open")
        await self.wait_until(
            lambda: self.app.focused is not None and self.app.focused.screen is self.screen,
            "a field of the form to have the focus",
        )

    def widget(self, name: str) -> Input | Select:
        return self.form.query_one(f"#f-{name}")  # type: ignore[return-value]

    def hint(self, name: str) -> str:
        return plain(self.form.query_one(f"#hint-{name}", Static).render())

    def form_errors(self) -> str:
        return plain(self.form.query_one("#form-errors", Static).render())

    async def focus(self, name: str) -> None:
        widget = self.widget(name)
        widget.focus()
        await self.wait_until(lambda: widget.has_focus, f"#f-{name} to have the focus")

    async def fill(self, name: str, text: str) -> None:
        """Replace what an Input holds by typing: home, delete to the end, then the text, key by key."""
        await self.focus(name)
        if self.widget(name).value:
            await self.pilot.press("ctrl+a", "ctrl+k")
        if text:
            await self.pilot.press(*text)
        widget = self.widget(name)
        assert widget.value == text, f"#f-{name} holds {widget.value!r}, typed {text!r}"

    async def pick(self, name: str, search: str) -> None:
        """Choose an option of a Select with the keyboard: enter opens it, typing searches, enter picks."""
        select = self.widget(name)
        assert isinstance(select, Select)
        await self.focus(name)
        await self.pilot.press("enter")
        await self.wait_until(lambda: select.expanded, f"the list of #f-{name} to open")
        await self.pilot.press(*search, "enter")
        await self.wait_until(lambda: not select.expanded, f"the list of #f-{name} to close")

    async def set(self, name: str, value: object) -> None:
        """Set a field without typing (for tests that are not about typing); the form sees the change."""
        self.widget(name).value = value  # type: ignore[assignment]
        await self.pilot.pause()

    async def save(self) -> None:
        """ctrl+s; waits until the form closed (saved) or says what is wrong."""
        await self.pilot.press("ctrl+s")
        await self.pilot.pause()
        await self.wait_until(
            lambda: not self.form_is_open() or self.form_errors().strip(), "the form to save or complain"
        )

    async def save_ok(self) -> None:
        await self.save()
        assert not self.form_is_open(), f"the form did not save: {self.form_errors()!r}"

    async def cancel(self) -> None:
        """Esc on the form, and when it holds changes, d to the question 'Discard your changes ...?';
        waits until the form is closed."""
        from tui_advisor.ui.screens.dialogs import DiscardScreen

        changed = self.form.changed
        await self.pilot.press("escape")
        if changed:
            await self.wait_until(lambda: isinstance(self.screen, DiscardScreen), "the question before discarding")
            await self.pilot.press("d")
        await self.wait_until(
            lambda: not self.form_is_open() and not isinstance(self.screen, DiscardScreen), "the form to close"
        )

    async def confirm(self, answer: str, *, then_wait: bool = True) -> None:
        """Answer the confirmation; then wait until the change it asked for is stored or refused
        (unless ``then_wait`` is false: a test of what the app does while the change waits)."""
        from tui_advisor.ui.screens.dialogs import ConfirmScreen

        await self.wait_until(lambda: isinstance(self.screen, ConfirmScreen), "the confirmation dialog")
        await self.pilot.press(answer)
        await self.wait_until(lambda: not isinstance(self.screen, ConfirmScreen), "the dialog to close")
        if then_wait:
            await self.changes_stored()
        else:
            await self.pilot.pause()

    async def changes_stored(self) -> None:
        """Wait until the change asked for (stored in a thread by the app) is done or refused."""
        await self.pilot.pause()
        await self.wait_until(lambda: not self.app.writing, "the change to be stored or refused", 15)

    # ------------------------------------------------------------------ the data

    def stored(self) -> AgencyData:
        """What the data file holds now, read by a fresh Store (not the app's workspace)."""
        return Store(self.app.workspace.store.path).load()

    def file_bytes(self) -> bytes:
        return Path(self.app.workspace.store.path).read_bytes()

    def notifications(self) -> list[tuple[str, str, str]]:
        """(title, message, severity) of every notification so far."""
        return [(n.title, n.message, n.severity) for n in self.app._notifications]

    def titles(self) -> list[str]:
        """The titles of the workspace's current recommendations."""
        return [rec.title for rec in self.app.workspace.advice.recommendations]

    def advice_keys(self) -> list[str]:
        """The row keys ('RULE|subject') of the Advice screen's table."""
        table = self.screen.query_one("#advice", DataTable)
        return [row.key.value for row in table.ordered_rows]  # type: ignore[misc]

    def rules(self) -> dict[str, str]:
        """rule id -> severity of the workspace's current recommendations (the highest per rule)."""
        out: dict[str, str] = {}
        order = {"info": 0, "warning": 1, "critical": 2}
        for rec in self.app.workspace.advice.recommendations:
            if order[rec.severity] >= order.get(out.get(rec.rule, "info"), 0):
                out[rec.rule] = rec.severity
        return out


@pytest.fixture
def driver() -> type[Driver]:
    """``ui = driver(pilot)``: the Driver class, to wrap the Pilot of a running app."""
    return Driver
