"""What every screen of the app shares: header, footer, the workspace, literal text."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ...safetext import visible, visible_lines
from ..widgets.presence import PresenceBar

if TYPE_CHECKING:
    from ...workspace import Workspace
    from ..app import AdvisorApp


SEVERITY_STYLE = {"critical": "bold red", "warning": "yellow", "info": "cyan"}


def cursor_key(table: Any) -> str | None:
    """The row key under a DataTable's cursor, or None when the table is empty."""
    if not table.row_count:
        return None
    try:
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except Exception:  # the cursor is past the rows while the table is being refilled
        return None


def one_line(value: Any) -> str:
    """A text of a rule file (or the data) on one line: runs of whitespace (a rule's message
    is often written over several lines) as one space, every control shown as its escape."""
    return visible(" ".join(str(value).split()))


def lit(value: Any, style: str = "") -> Text:
    """User text, shown exactly as typed: never parsed as markup, never an action; a control
    character (ESC, a bidi override...) shown as its escape, ``\\x1b`` (safetext.visible)."""
    return Text("" if value is None else visible(value), style=style, no_wrap=False)


class AdvisorFooter(Footer):
    """Textual's footer, rebuilt once however many times the bindings changed meanwhile.

    Textual's footer rebuilds all its keys on every change of the bindings: while a screen
    starts (mount, focus, the keymap) that is three rebuilds in a row, and they hold up the
    first frame on the terminal. Here the changes are coalesced: the first change asks for
    one rebuild after the next refresh, and not before the app's first frame is out
    (``AdvisorApp.after_start``); it is Textual's own ``bindings_changed``, which reads the
    bindings as they are by then. The changes until then ask for nothing more.
    """

    _rebuild_pending = False
    WIDE = 100  # columns: a narrower terminal gets the compact footer, without the palette's key
    # (ctrl+p still opens it; the help screen says so): every key of a record screen fits on 80

    def on_resize(self) -> None:
        self.fit_width()

    def fit_width(self) -> None:
        narrow = self.app.size.width < self.WIDE
        if narrow != self.compact:
            self.compact = narrow
            self.show_command_palette = not narrow
            self.bindings_changed(self.screen)  # rebuilt once, as for a change of the bindings

    def bindings_changed(self, screen: Screen) -> None:
        if not self._rebuild_pending:
            self._rebuild_pending = True
            # (the rebuild runs as the footer's own message: Textual composes it in its own context)
            self.call_after_refresh(self.app.after_start, partial(self.call_next, self._rebuild, screen))  # type: ignore[attr-defined]

    def _rebuild(self, screen: Screen) -> None:
        self._rebuild_pending = False
        if self.is_attached:
            super().bindings_changed(screen)


class AdvisorScreen(Screen):
    """A screen of the app. Subclasses fill ``compose_body`` and ``refresh_data``."""

    @property
    def advisor(self) -> AdvisorApp:
        return self.app  # type: ignore[return-value]

    @property
    def workspace(self) -> Workspace:
        return self.advisor.workspace

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="banner")
        yield PresenceBar(id="presence")  # who else has the data file open (hidden when nobody)
        yield from self.compose_body()
        narrow = self.app.size.width < AdvisorFooter.WIDE
        yield AdvisorFooter(compact=narrow, show_command_palette=not narrow)

    def compose_body(self) -> ComposeResult:  # pragma: no cover - overridden
        yield from ()

    def on_mount(self) -> None:
        self.show_banner()
        self.refresh_data()

    def on_screen_resume(self) -> None:
        """Back on top (a dialog closed, a mode switched to): the terminal may have been resized meanwhile."""
        for footer in self.query(AdvisorFooter):
            footer.fit_width()

    def show_banner(self) -> None:
        """A visible line when this session cannot change the data file."""
        banner = self.query_one("#banner", Static)
        ws = self.workspace
        lines = []
        if ws.read_only:
            lines.append(
                f"READ-ONLY: you may look but not change {ws.path} (no write permission; ask for group write access)"
            )
        # the app's own state: the data file cannot be read, a change waits for the lock
        lines += getattr(self.app, "banner_lines", list)()
        banner.display = bool(lines)
        if lines:
            banner.update(Text(visible_lines("\n".join(lines))))  # a path or a message may hold controls

    def refresh_data(self) -> None:
        """Show the workspace's current data and advice."""

    def changed(self) -> None:
        """After this screen changed the data: every screen shows it."""
        self.advisor.data_changed()
