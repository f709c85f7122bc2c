"""Driving the team review through Pilot: one member at their terminal, real key presses.

Shared by tests/ui/test_review.py (one app) and tests/ui/test_review_together.py (two and
three apps on one data file), and benchmarks/bench_review_latency.py. Like the Teammate of
tests/ui/test_teamwork.py, each step makes its member's app the active one first: Textual
finds "the app" through a context variable that ``run_test`` sets for the task, so with
two apps the one entered last would otherwise answer for both.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from textual._context import active_app
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from tui_advisor import paths
from tui_advisor.store import Store
from tui_advisor.ui.app import AdvisorApp
from tui_advisor.ui.screens.dialogs import ConfirmScreen
from tui_advisor.ui.screens.review import ReviewScreen
from tui_advisor.ui.screens.review_dialogs import ClashScreen, FieldsDialog
from tui_advisor.workspace import Workspace, load_rulebook, read_document

AS_OF = date(2026, 11, 26)  # the date the sample agencies describe
PAGE_KEYS = {"scorecard": "1", "actions": "2", "issues": "3", "conclude": "4"}


def plain(value: object) -> str:
    return getattr(value, "plain", None) or str(value)


def demo_file(folder: Path, name: str = "agency.json") -> Path:
    """The demo agency in a data file of its own."""
    path = folder / name
    Store(path).import_document(read_document(paths.sample_file("demo")), replace=True)
    return path


def app_for(
    path: Path, user: str, *, poll_seconds: float = 0.1, writable: bool = True, review: bool = False
) -> AdvisorApp:
    """One member's session on the shared file: their own Store (their user name)."""
    store = Store(path, user=user)
    if not writable:  # a member without write permission on the file
        store.writable = lambda: False  # type: ignore[method-assign]
    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    app = AdvisorApp(ws, poll_seconds=poll_seconds)
    app.open_review = review
    return app


class Member:
    """One member of the team at their terminal."""

    def __init__(self, pilot: Pilot) -> None:
        self.pilot = pilot
        self.app: AdvisorApp = pilot.app  # type: ignore[assignment]
        self.said: list[str] = []  # every notification's message, in order (Textual drops expired ones)
        notify = self.app.notify

        def record(message: str, **kwargs: Any) -> None:
            self.said.append(str(message))
            notify(message, **kwargs)

        self.app.notify = record  # type: ignore[method-assign]

    def _active(self) -> None:
        active_app.set(self.app)

    async def wait_until(self, condition: Callable[[], object], what: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            self._active()
            if condition():
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.app.workspace.user}: timed out waiting for {what}")
            await self.pilot.pause()

    async def press(self, *keys: str) -> None:
        self._active()
        await self.pilot.press(*keys)

    @property
    def screen(self) -> Any:
        return self.app.screen

    @property
    def review_screen(self) -> ReviewScreen:
        """The review screen, also under a dialog."""
        return next(s for s in reversed(self.app.screen_stack) if isinstance(s, ReviewScreen))

    def in_review(self) -> bool:
        return any(isinstance(s, ReviewScreen) for s in self.app.screen_stack)

    async def started(self) -> None:
        """The app is up, its presence file written (after the first frame)."""
        await self.wait_until(lambda: self.app.started, "the first frame")
        await self.wait_until(lambda: getattr(self.app, "presence", True) is not None, "the presence file")

    async def open_review(self, key: str = "r") -> None:
        await self.started()
        await self.press(key)
        await self.wait_until(lambda: isinstance(self.screen, ReviewScreen), "the review screen")
        await self.settled()

    async def settled(self) -> None:
        await self.wait_until(lambda: not self.app.writing, "the change to be stored or refused", 20)
        await self.pilot.pause()

    # ------------------------------------------------------------------ reading the screen

    @property
    def page(self) -> str:
        return self.review_screen.page

    def head(self) -> str:
        return plain(self.review_screen.query_one("#review-head", Static).render())

    def info(self, page: str) -> str:
        return plain(self.review_screen.query_one(f"#info-{page}", Static).render())

    def detail(self, page: str = "issues") -> str:
        return plain(self.review_screen.query_one(f"#detail-{page}", Static).render())

    def table(self, page: str) -> DataTable:
        return self.review_screen.query_one(f"#t-{page}", DataTable)

    def rows(self, page: str) -> dict[str, list[str]]:
        """row key -> its cells' texts."""
        table = self.table(page)
        return {row.key.value: [plain(c) for c in table.get_row(row.key)] for row in table.ordered_rows}  # type: ignore[misc]

    def keys(self, page: str) -> list[str]:
        return [row.key.value for row in self.table(page).ordered_rows]  # type: ignore[misc]

    def cursor(self) -> str | None:
        return self.review_screen.selected_key() or None

    def decision_cell(self, key: str) -> str:
        return self.rows("issues").get(key, ["", "", "", ""])[-1]

    def footer_keys(self) -> set[str]:
        """The keys the footer shows now (the screen's active bindings that are shown)."""
        return {k for k, b in self.screen.active_bindings.items() if b.binding.show and b.enabled}

    def notifications(self) -> list[str]:
        return list(self.said)

    def stored(self) -> Any:
        return Store(self.app.workspace.store.path).load()

    def stored_review(self) -> Any:
        reviews = self.stored().reviews
        assert reviews, "no review in the data file"
        return sorted(reviews, key=lambda r: r.started)[-1]

    # ------------------------------------------------------------------ steps

    async def goto_page(self, page: str) -> None:
        await self.press(PAGE_KEYS[page])
        await self.wait_until(lambda: self.page == page, f"the {page} page")

    async def cursor_to(self, key: str, timeout: float = 20.0) -> None:
        """j/k until the cursor is on the row of ``key``, one key at a time, looking again after each:
        a member who follows the leader has the cursor moved by the leader's selection meanwhile
        (a burst of keys counted from where the cursor was would then overshoot)."""
        deadline = time.monotonic() + timeout
        while True:
            self._active()
            if self.cursor() == key:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.app.workspace.user}: timed out moving the cursor to {key}")
            table = self.table(self.page)
            steps = table.get_row_index(key) - table.cursor_row
            if steps:
                await self.press("j" if steps > 0 else "k")
            else:
                await self.pilot.pause()

    def dialog(self) -> FieldsDialog:
        screen = self.screen
        assert isinstance(screen, FieldsDialog), f"expected the review's dialog, the screen is {type(screen).__name__}"
        return screen

    def dialog_text(self) -> str:
        return " ".join(plain(w.render()) for w in self.screen.query(Static))

    def dialog_error(self) -> str:
        return plain(self.dialog().query_one("#review-dialog-error", Static).render())

    async def open_dialog(self, key: str) -> None:
        await self.press(key)
        await self.wait_until(lambda: isinstance(self.screen, FieldsDialog), f"the dialog of {key!r}")
        await self.wait_until(
            lambda: self.app.focused is not None and self.app.focused.screen is self.screen, "a field focused"
        )

    async def fill(self, name: str, text: str) -> None:
        """Replace what a field of the dialog holds by typing."""
        widget = self.dialog().query_one(f"#rf-{name}", Input)
        self._active()
        widget.focus()
        await self.wait_until(lambda: widget.has_focus, f"#rf-{name} focused")
        if widget.value:
            await self.press("ctrl+a", "ctrl+k")
        if text:
            await self.press(*text)
        assert widget.value == text, f"#rf-{name} holds {widget.value!r}, typed {text!r}"

    def field(self, name: str) -> str:
        return self.dialog().query_one(f"#rf-{name}", Input).value

    async def ok(self) -> None:
        """ctrl+s: the dialog closes (and its change is made) or says what is wrong."""
        await self.press("ctrl+s")
        await self.wait_until(
            lambda: not isinstance(self.screen, FieldsDialog) or self.dialog_error().strip(), "the dialog to close"
        )
        if not isinstance(self.screen, FieldsDialog):
            await self.settled()

    async def decide(self, key: str, **fields: str) -> None:
        """A decision on the item under the cursor: its key, the fields typed, ctrl+s."""
        await self.open_dialog(key)
        for name, text in fields.items():
            await self.fill(name, text)
        await self.ok()
        assert not isinstance(self.screen, FieldsDialog), f"the dialog refused: {self.dialog_error()!r}"

    async def confirm(self, answer: str) -> None:
        await self.wait_until(lambda: isinstance(self.screen, ConfirmScreen), "the confirmation")
        await self.press(answer)
        await self.wait_until(lambda: not isinstance(self.screen, ConfirmScreen), "the confirmation to close")
        await self.settled()

    def clash_text(self) -> str:
        assert isinstance(self.screen, ClashScreen), (
            f"expected the clash dialog, the screen is {type(self.screen).__name__}"
        )
        return " ".join(plain(w.render()) for w in self.screen.query(Static))
