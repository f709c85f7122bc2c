"""The Textual app: modes (one per screen), app-wide bindings, the command palette.

Screens get their data from the Workspace (headless) and re-read it after every
change; no screen computes a metric or opens the data file.
"""

from __future__ import annotations

import gc
from functools import partial
from typing import Any, Callable, Iterable

from textual._compositor import LayoutUpdate
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

from ..safetext import visible, visible_lines
from ..workspace import Workspace
from .guard import clean_update
from .keyburst import SettledKeys

# mode name -> (title, key)
SCREENS: dict[str, tuple[str, str]] = {
    "dashboard": ("Dashboard", "1"),
    "advice": ("Advice", "2"),
    "profile": ("Agency profile", "3"),
    "cash": ("Cash", "4"),
    "clients": ("Clients", "5"),
    "engagements": ("Engagements", "6"),
    "invoices": ("Invoices", "7"),
    "inquiries": ("Inquiries", "8"),
    "journey": ("Journey", "9"),
    "actions": ("Actions", "0"),
}


def _make_screen(mode: str) -> Screen:
    if mode == "dashboard":
        from .screens.dashboard import DashboardScreen

        return DashboardScreen()
    if mode == "advice":
        from .screens.advice import AdviceScreen

        return AdviceScreen()
    if mode == "profile":
        from .screens.profile import ProfileScreen

        return ProfileScreen()
    from ..forms import KINDS  # the forms and the table screens load when first opened
    from .screens.records import RecordsScreen

    return RecordsScreen(KINDS[mode])


class AdvisorStylesheet(Stylesheet):
    """Textual's stylesheet, without parsing the same CSS with the same variables again.

    Textual parses all the app's CSS (``app.tcss`` and every widget's default CSS) once, then
    again from scratch when a mode's screen first shows (``refresh_css`` sets the variables,
    which empties the parse cache, and re-parses in a fresh stylesheet), and a third time
    when the screen's widgets mount: three passes of ~5 ms where one does. Here setting the
    variables to what they already are keeps the cache, and a re-parse with unchanged
    variables uses it. A theme change (other variables) still clears the cache and parses
    everything anew. (Textual is pinned: see test_cli_terminal.)
    """

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables != self._variables:
            super().set_variables(variables)

    def reparse(self) -> None:
        # The parse cache only holds rules parsed with the current variables (set_variables
        # empties it when they change). CSS that failed before is parsed again by Textual's
        # own re-parse, which reports the error.
        if self._invalid_css:
            super().reparse()
        else:
            self.parse()

    def copy(self) -> Stylesheet:
        stylesheet = AdvisorStylesheet(variables=self._variables.copy())
        stylesheet.source = self.source.copy()
        return stylesheet


class AdvisorApp(SettledKeys, App[None]):  # SettledKeys: a burst of keys lands where typed (keyburst.py)
    """tui-advisor: your agency's numbers against the guide, and what to do first."""

    CSS_PATH = "app.tcss"
    TITLE = "tui-advisor"
    MODES = {mode: partial(_make_screen, mode) for mode in SCREENS}
    DEFAULT_MODE = "dashboard"  # the first screen is the dashboard: no default screen built and thrown away
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        *[Binding(key, f"go('{mode}')", title, id=f"go_{mode}", tooltip=f"Go to {title.lower()}",
                  show=mode in ("dashboard", "advice"))
          for mode, (title, key) in SCREENS.items()],
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key of this screen"),
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit tui-advisor"),
        Binding("ctrl+r", "reload", "Reload", id="reload", show=False, tooltip="Read the data file again"),
    ]

    def __init__(self, workspace: Workspace, keymap: dict[str, str] | None = None, title: str | None = None,
                 poll_seconds: float = 1.0, resume_gc: bool = False):
        super().__init__()
        self.stylesheet = AdvisorStylesheet(variables=self.stylesheet._variables)  # nothing added to it yet
        self.workspace = workspace
        self._resume_gc = resume_gc
        self._held_frames: list[tuple[Screen, Any]] = []
        self._after_batch: list[Callable[[], Any]] = []
        self.poll_seconds = poll_seconds
        self._fetching = False
        self._keymap_config = dict(keymap or {})
        if title:
            self.sub_title = visible(title)  # the data file's path: any name a teammate gave it

    # ------------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        if self._keymap_config:  # only the entries that take no other binding's key (ui/keymap.py)
            from .keymap import check_keymap

            keymap, problems = check_keymap(self._keymap_config)
            if problems:
                self.notify("\n".join(problems), title="Config file: [keys]", severity="warning", timeout=20,
                            markup=False)
            self.set_keymap(keymap)
        self._show_warnings()
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self.poll)
        if self.workspace.is_new:
            from .screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen())

    def on_ready(self) -> None:
        """The first frame is on the screen. The command line pauses the cyclic garbage collector
        while it starts the app (start-up makes many long-lived objects and no garbage worth a
        full collection): resume it, with what exists now set aside as permanent."""
        if self._resume_gc:
            self._resume_gc = False
            gc.freeze()
            gc.enable()

    def notify(self, message: str, *, title: str = "", **kwargs: Any) -> None:
        """Textual's notify (every screen's notify comes here), with the control characters of
        the message and the title shown as escapes: a message may quote a name, a file name or
        an audit entry, which a teammate could have filled with terminal escapes."""
        super().notify(visible_lines(str(message)), title=visible(title), **kwargs)

    def _show_warnings(self) -> None:
        advice = self.workspace.advice
        for w in (advice.warnings if advice else [])[:3]:
            self.notify(w, title="Rules", severity="warning", timeout=8, markup=False)

    # ------------------------------------------------------------------ the first frame on a terminal

    def _display(self, screen: Screen, renderable: Any) -> None:
        # Textual renders the dashboard's first frame while its start-up batch is still open
        # and drops it there, yet its compositor counts it as shown: the terminal stayed blank
        # until the next full layout, 40-80 ms later. Keep what is dropped during a batch (the
        # last whole frame and the updates after it) and write it when the batch closes
        # (Textual is pinned: see test_cli_terminal).
        renderable = clean_update(renderable)  # no control character of a text reaches the terminal (guard.py)
        if renderable is not None and self._batch_count and not self.is_headless:
            if isinstance(renderable, LayoutUpdate):  # a whole screen: what came before is covered
                self._held_frames.clear()
            self._held_frames.append((screen, renderable))
        super()._display(screen, renderable)

    def _end_batch(self) -> None:
        super()._end_batch()
        if self._batch_count:
            return
        if self._held_frames:
            held, self._held_frames = self._held_frames, []
            for screen, renderable in held:
                if screen is self.screen:
                    super()._display(screen, renderable)
        if self._after_batch:
            callbacks, self._after_batch = self._after_batch, []
            for callback in callbacks:
                self.call_later(callback)

    def after_batch(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` when the open batch of updates closes (soon, when none is open):
        work that only changes what is shown waits until something can be shown."""
        if self._batch_count:
            self._after_batch.append(callback)
        else:
            self.call_later(callback)

    # ------------------------------------------------------------------ data changes

    def data_changed(self) -> None:
        """Every screen that is alive re-reads the workspace (the advice is already recomputed)."""
        for screen in self._live_screens():
            for name in ("show_banner", "refresh_data"):
                method = getattr(screen, name, None)
                if method is not None and screen.is_mounted:
                    method()

    # ------------------------------------------------------------------ teammates' changes

    def poll(self) -> None:
        """A stat of the data file; when a teammate replaced it, read it in a thread."""
        if self._fetching or not self.workspace.changed_on_disk():
            return
        self._fetching = True
        self.run_worker(self._fetch, thread=True, exclusive=True, group="reload", exit_on_error=False)

    def _fetch(self) -> None:
        from ..store import StoreError

        try:
            snap, advice = self.workspace.fetch()
        except StoreError as exc:
            self.call_from_thread(self._fetch_failed, exc)
            return
        self.call_from_thread(self._adopt, snap, advice)

    def _fetch_failed(self, exc: Exception) -> None:
        self._fetching = False
        self.workspace.token = self.workspace.store.change_token()  # say it once, not every second
        self.notify(f"The data file could not be read: {exc}. Showing what was read before.",
                    title="Data file", severity="error", timeout=15, markup=False)

    def _adopt(self, snap: Any, advice: Any) -> None:
        self._fetching = False
        ws = self.workspace
        if snap.revision < ws.revision:  # older than what we wrote meanwhile
            return
        news = snap.revision > ws.revision
        ws.adopt(snap, advice)
        if news:
            self.data_changed()
            entry = ws.store.last_entry() or {}
            who = entry.get("by") or "a teammate"
            self.notify(f"{who} changed the data ({entry.get('action', 'a change')}); every screen shows it now.",
                        title="Updated", timeout=4, markup=False)

    def _live_screens(self) -> Iterable[Screen]:
        seen = set()
        for stack in self._screen_stacks.values():
            for screen in stack:
                if id(screen) not in seen:
                    seen.add(id(screen))
                    yield screen

    # ------------------------------------------------------------------ actions

    def action_go(self, mode: str) -> None:
        if mode in SCREENS and self.current_mode != mode:
            self.switch_mode(mode)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_reload(self) -> None:
        self.workspace.load()
        self.data_changed()
        self.notify("Data file read again.", timeout=3)

    def add_record(self, kind: str) -> None:
        """From the palette: go to the kind's screen and open its add form."""
        self.switch_mode(kind)

        def open_form() -> None:
            base = self.screen_stack[0]  # the kind's table, even when a dialog is open over it
            action = getattr(base, "action_add", None)
            if action is not None:
                action()

        self.call_after_refresh(open_form)

    def explain_rule(self, rule_id: str) -> None:
        from .screens.help import RuleScreen

        rule = self.workspace.settings.ruleset.by_id().get(rule_id)
        if rule is not None:
            self.push_screen(RuleScreen(rule))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for mode, (title, key) in SCREENS.items():
            yield SystemCommand(f"Go to {title.lower()}", f"Open the {title.lower()} screen (key {key})",
                                lambda m=mode: self.action_go(m))
        from ..forms import KINDS

        for kind in KINDS.values():
            yield SystemCommand(f"Add {kind.label}", f"Open the form for a new {kind.label}",
                                lambda k=kind.coll: self.add_record(k))
        for rule in sorted(self.workspace.settings.ruleset.rules, key=lambda r: r.id):
            rid, name, source = visible(rule.id), visible(rule.name), visible(rule.source)  # a rule file's texts
            yield SystemCommand(f"Explain rule {rid} {name}", f"{source}: what {rid} checks and why",
                                lambda r=rule.id: self.explain_rule(r))
        yield SystemCommand("Help", "Every key of this screen", self.action_help)
        yield SystemCommand("Reload", "Read the data file again", self.action_reload)
        yield SystemCommand("Quit", "Quit tui-advisor", self.action_quit)


def make_app(workspace: Workspace, keymap: dict[str, str] | None = None, title: str | None = None, *,
             resume_gc: bool = False) -> AdvisorApp:
    return AdvisorApp(workspace, keymap, title, resume_gc=resume_gc)


def run_app(workspace: Workspace, keymap: dict[str, str] | None = None, title: str | None = None, *,
            resume_gc: bool = False) -> Any:
    return make_app(workspace, keymap, title, resume_gc=resume_gc).run()
