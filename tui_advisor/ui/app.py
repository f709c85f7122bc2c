"""The Textual app: modes (one per screen), app-wide bindings, the command palette.

Screens get their data from the Workspace (headless) and re-read it after every
change; no screen computes a metric or opens the data file.
"""

from __future__ import annotations

import gc
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..safetext import visible, visible_lines
from ..workspace import Workspace, describe_error
from .keyburst import SettledKeys
from .textual_fixes import TextualFixes

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


@dataclass
class _PendingWrite:
    change: Any  # workspace.Write
    done: Callable[[Any], Any]
    failed: Callable[[Exception], Any]
    status: Callable[[str | None], Any] | None
    started: float


def _one_line(text: str, limit: int) -> str:
    """Text from a file or another process as one line, its controls shown (safetext), cut at ``limit``."""
    text = visible(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AdvisorApp(SettledKeys, TextualFixes, App[None]):  # keyburst.py: a burst of keys lands where typed;
    # textual_fixes.py: no control character of a text reaches the terminal
    """tui-advisor: your agency's numbers against the guide, and what to do first."""

    open_review = False  # open on the team review (tui-advisor review): make_app
    WAIT_SHOWN_AFTER = 0.5  # seconds: a change of the data file that takes longer says what it waits for

    CSS_PATH = "app.tcss"
    TITLE = "tui-advisor"
    MODES = {mode: partial(_make_screen, mode) for mode in SCREENS}
    DEFAULT_MODE = "dashboard"  # the first screen is the dashboard: no default screen built and thrown away
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        *[
            Binding(
                key,
                f"go('{mode}')",
                title,
                id=f"go_{mode}",
                tooltip=f"Go to {title.lower()}",
                show=mode in ("dashboard", "advice"),
            )
            for mode, (title, key) in SCREENS.items()
        ],
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key of this screen"),
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit tui-advisor"),
        Binding("ctrl+r", "reload", "Reload", id="reload", show=False, tooltip="Read the data file again"),
    ]

    def __init__(
        self,
        workspace: Workspace,
        keymap: dict[str, str] | None = None,
        title: str | None = None,
        poll_seconds: float = 1.0,
        resume_gc: bool = False,
    ):
        super().__init__()
        self.workspace = workspace
        self.own_workspace = workspace  # the data file opened; ``workspace`` may be a demo copy (startover.py)
        self._resume_gc = resume_gc
        self.started = False  # the first frame is out (on_ready)
        self._after_start: list[Callable[[], Any]] = []
        self.poll_seconds = poll_seconds
        self._fetching = False
        self._reload_asked = False
        self.reload_problem: str | None = None  # why the last read of the data file failed
        self._retry_at = 0.0
        self._write: _PendingWrite | None = None  # the change of the data file under way
        self._queued: deque[tuple[Any, ...]] = deque()  # changes asked for while it was being made
        self._write_timer: Any = None
        self._lock_holder: str | None = None  # who holds the lock the change waits for ('' unknown)
        self._quit_anyway = False
        self.write_status: str | None = None  # what the change waits for, once it took a while
        # the workspace and revision up to which teammates' overwrites of our changes were told (merge.py)
        self._overwrites_read: tuple[Any, int] = (workspace, workspace.revision)
        self.presence: Any = None  # workspace.presence.Presence: this session beside the data file (on_mount)
        self.here: list[Any] = []  # the other sessions on the data file (Here), as of the last poll
        self._here_key: Any = None
        workspace.on_lock_wait(self._lock_busy)
        self._keymap_config = dict(keymap or {})
        if title:
            self.sub_title = visible(title)  # the data file's path: any name a teammate gave it

    # ------------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        if self._keymap_config:  # only the entries that take no other binding's key (ui/keymap.py)
            from .keymap import check_keymap

            keymap, problems = check_keymap(self._keymap_config)
            if problems:
                self.notify(
                    "\n".join(problems), title="Config file: [keys]", severity="warning", timeout=20, markup=False
                )
            self.set_keymap(keymap)
        self._show_warnings()
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self.poll)
        self.after_start(self._start_presence)  # who is here: after the first frame (a small file written)
        if self.workspace.is_new:
            from .screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen())
        elif self.open_review:  # tui-advisor review: straight on the team review, started or joined
            self.after_start(self.start_review)

    def on_ready(self) -> None:
        """The first frame is on the screen. The command line pauses the cyclic garbage collector
        while it starts the app (start-up makes many long-lived objects and no garbage worth a
        full collection): resume it, with what exists now set aside as permanent."""
        if self._resume_gc:
            self._resume_gc = False
            gc.freeze()
            gc.enable()
        self.started = True
        callbacks, self._after_start = self._after_start, []
        for callback in callbacks:
            self.call_later(callback)

    def after_start(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` once the first frame is out (soon, when it is already): work that
        only changes what is shown, such as the footer's keys, does not hold the first frame up."""
        if self.started:
            self.call_later(callback)
        else:
            self._after_start.append(callback)

    def notify(self, message: str, *, title: str = "", **kwargs: Any) -> None:
        """Textual's notify (every screen's notify comes here), with the control characters of
        the message and the title shown as escapes: a message may quote a name, a file name or
        an audit entry, which a teammate could have filled with terminal escapes."""
        super().notify(visible_lines(str(message)), title=visible(title), **kwargs)

    def _show_warnings(self) -> None:
        advice = self.workspace.advice
        for w in (advice.warnings if advice else [])[:3]:
            self.notify(w, title="Rules", severity="warning", timeout=8, markup=False)

    # ------------------------------------------------------------------ data changes

    def data_changed(self) -> None:
        """Every screen that is alive re-reads the workspace (the advice is already recomputed)."""
        for screen in self._live_screens():
            for name in ("show_banner", "refresh_data"):
                method = getattr(screen, name, None)
                if method is not None and screen.is_mounted:
                    method()

    def update_banners(self) -> None:
        """Every screen that is alive shows the app's state in its banner line (read-only,
        the data file cannot be read, a change waiting for the lock)."""
        for screen in self._live_screens():
            method = getattr(screen, "show_banner", None)
            if method is not None and screen.is_mounted:
                method()

    def banner_lines(self) -> list[str]:
        """What every screen's banner says besides READ-ONLY (see AdvisorScreen.show_banner)."""
        from .startover import demo_banner

        return [line for line in (demo_banner(self), self.reload_problem, self.write_status) if line]

    def use_workspace(self, workspace: Workspace) -> None:
        """Show another workspace (the demo's temporary copy, or the data file again) on every screen."""
        if workspace.is_demo and not self.workspace.is_demo:
            self._own_sub_title = self.sub_title
        self.workspace = workspace
        self.sub_title = "demo (a temporary copy)" if workspace.is_demo else getattr(self, "_own_sub_title", "")
        workspace.on_lock_wait(self._lock_busy)
        self.reload_problem = None
        self.data_changed()

    def action_start_over(self) -> None:
        """Empty the data file after a backup, once confirmed (ui/startover.py)."""
        from .startover import start_over

        start_over(self)

    # ------------------------------------------------------------------ changes made here

    def write(
        self,
        plan: Callable[[], Any],
        done: Callable[[Any], Any],
        failed: Callable[[Exception], Any],
        *,
        status: Callable[[str | None], Any] | None = None,
    ) -> None:
        """Make a change of the data file without holding up the app.

        ``plan()`` runs here and now and returns the workspace's Write (or raises: read-only,
        invalid). The Write runs in a thread, as it may wait for a teammate's lock (up to the
        store's timeout), while the app goes on answering keys. When it is over, here:
        ``done(result)``, or ``failed(exc)`` with whatever it raised (nothing was changed then).
        After half a second, ``status(text)`` and every screen's banner say what it waits for;
        ``status(None)`` when it is over. One change at a time: a change asked for while another is
        being made follows it (a key pressed twice quickly), but while one waits for the lock (the
        banner says so) another fails at once, saying so."""
        from ..workspace import StoreError

        if self._write is not None:
            if time.monotonic() - self._write.started >= self.WAIT_SHOWN_AFTER:
                failed(
                    StoreError(
                        self.workspace.path,
                        "the previous change is still waiting for the data "
                        "file's lock: try again when it is done (nothing else was changed)",
                    )
                )
            else:
                self._queued.append((plan, done, failed, status))
            return
        try:
            change = plan()
            if change is None:
                raise StoreError(self.workspace.path, "there is nothing to change")
        except Exception as exc:
            failed(exc)
            return
        pending = _PendingWrite(change, done, failed, status, time.monotonic())
        self._write = pending
        self._lock_holder = None
        self._write_timer = self.set_interval(0.25, self._write_tick)
        self.run_worker(partial(self._write_thread, pending), thread=True, group="write", exit_on_error=False)

    @property
    def writing(self) -> bool:
        """Is a change of the data file under way (maybe waiting for the lock)?"""
        return self._write is not None or bool(self._queued)

    def _lock_busy(self, holder: str) -> None:
        """The store's ``on_wait``, called from the write's thread once it has to wait for the lock."""
        self._lock_holder = holder or ""

    def _write_thread(self, pending: _PendingWrite) -> None:
        try:
            pending.change.run()
        except Exception as exc:  # every failure is shown where the change was asked for
            self._from_thread(self._write_over, pending, exc)
            return
        self._from_thread(self._write_over, pending, None)

    def _from_thread(self, callback: Callable[..., Any], *args: Any) -> None:
        try:
            self.call_from_thread(callback, *args)
        except Exception:  # the app has ended meanwhile: nobody is left to tell
            pass

    def _write_tick(self) -> None:
        pending = self._write
        if pending is None:
            return
        waited = time.monotonic() - pending.started
        if waited < self.WAIT_SHOWN_AFTER - 0.02:  # (a timer may fire a little early)
            return
        holder = self._lock_holder
        name = self.workspace.path.name
        if holder is None:  # not told of a busy lock: the file itself is slow
            text = f"Saving… waiting for the data file {name} ({waited:.0f} s)"
        else:
            held = f"held by {_one_line(holder, 80)}" if holder else "held by another writer"
            limit = self.workspace.lock_timeout
            text = f"Saving… waiting for the data file's lock ({name}), {held}: {waited:.0f} s" + (
                f" of at most {limit:.0f} s" if isinstance(limit, (int, float)) else ""
            )
        if text != self.write_status:
            self.write_status = text
            if pending.status is not None:
                pending.status(text)
            self.update_banners()

    def _write_over(self, pending: _PendingWrite, error: Exception | None) -> None:
        if self._write is not pending:
            return
        self._write = None
        self._write_timer.stop()
        shown, self.write_status = self.write_status, None
        if pending.status is not None:
            pending.status(None)
        if shown:
            self.update_banners()
        try:
            if error is not None:
                pending.failed(error)
                return
            try:
                result = pending.change.finish()
            except Exception as exc:  # stored, but not shown: read the file again
                self.notify(
                    f"Saved, but the screens could not be updated: {describe_error(exc)}. Reading the file again.",
                    title="Data file",
                    severity="warning",
                    markup=False,
                    timeout=10,
                )
                self.action_reload()
                return
            pending.done(result)
            self.tell_overwrites()  # a teammate's save read in with ours
        finally:
            while self._queued and self._write is None:  # the next change asked for meanwhile, planned now
                plan, done, failed, status = self._queued.popleft()
                self.write(plan, done, failed, status=status)
            if not self.writing:
                self._quit_anyway = False

    async def action_quit(self) -> None:
        if self.writing and not self._quit_anyway:
            self._quit_anyway = True
            self.notify(
                "A change is still waiting for the data file's lock. Press q again to quit: it is "
                "then saved when the lock comes free (the program ends then), or given up.",
                title="Not saved yet",
                severity="warning",
                markup=False,
                timeout=10,
            )
            return
        await super().action_quit()

    # ------------------------------------------------------------------ who is here

    def _start_presence(self) -> None:
        """Say that this session has the data file open (workspace/presence.py): a file beside it,
        rewritten by every poll. A demo's temporary copy has nobody else: no presence there."""
        ws = self.own_workspace
        if self.presence is not None or ws.is_demo:
            return
        from ..workspace.presence import Presence

        try:
            self.presence = Presence(ws.path, ws.user, read_only=ws.read_only)
        except Exception:  # who is here is never a reason not to work
            return
        self.refresh_presence()

    def announce(self, **state: Any) -> None:
        """Say where this session is, at once (Presence.announce: review, page, item, leading,
        following): the review screens call it on every page turn; read-only comes from the
        workspace. Then the "who is here" line is read again. Nothing once the app is ending."""
        if self.presence is None or self.presence.left:
            return
        if self.workspace is not self.own_workspace:  # a review of the demo's copy is nothing to the team
            state = {}
        state.setdefault("read_only", self.own_workspace.read_only)
        try:
            self.presence.announce(**state)
        except Exception:
            pass
        self.refresh_presence()

    def refresh_presence(self) -> None:
        """The heartbeat of this session's presence file, and the other sessions read again; every
        screen's "who is here" line (and a screen's ``presence_changed(here)``, when it has one) is
        told when they changed."""
        presence = self.presence
        if presence is None:
            return
        try:
            presence.heartbeat(read_only=self.own_workspace.read_only)
            here = presence.others()
        except Exception:  # a presence folder that cannot be read is nobody else here
            here = []
        key = (
            [(h.user, h.session, h.review, h.page, h.item, h.leading, h.following, h.read_only) for h in here],
            presence.problem,
            presence.read_problem,
        )
        if key == self._here_key:
            self.here = here
            return
        self._here_key = key
        self.here = here
        from .widgets.presence import PresenceBar

        for screen in self._live_screens():
            if not screen.is_mounted:
                continue
            for bar in screen.query(PresenceBar):
                bar.show(here, presence.problem, presence.read_problem)
            method = getattr(screen, "presence_changed", None)
            if method is not None:
                method(here)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        """The app is asked to end (q, ctrl+q, the palette's Quit): this session leaves at once,
        before the screens are taken down."""
        self.leave_presence()
        super().exit(*args, **kwargs)

    def on_unmount(self) -> None:
        """The app ends (also on an error Textual ends it on): this session is no longer here."""
        self.leave_presence()

    def leave_presence(self) -> None:
        """Remove this session's presence file (again and again: only the first does anything)."""
        if self.presence is not None and not self.presence.left:
            try:
                self.presence.leave()
            except Exception:
                pass

    # ------------------------------------------------------------------ teammates' changes

    RETRY_SECONDS = 5.0  # while the file cannot be read, read it again this often even if unchanged

    def poll(self) -> None:
        """A stat of the data file; when a teammate replaced it, read it in a thread. While it
        cannot be read, it is tried again every few seconds (a change of permissions, say,
        changes nothing a stat compares). And this session's presence heartbeat, and who else is here."""
        self.refresh_presence()
        if self._fetching:
            return
        retry = self.reload_problem is not None and time.monotonic() >= self._retry_at
        try:
            changed = self.workspace.changed_on_disk()
        except Exception:  # a stat that fails: the read says why
            changed = True
        if changed or retry:
            self._start_fetch()

    def _start_fetch(self, *, asked: bool = False) -> None:
        self._reload_asked = self._reload_asked or asked
        if self._fetching:
            return
        self._fetching = True
        self.run_worker(self._fetch, thread=True, group="reload", exit_on_error=False)

    def _fetch(self) -> None:
        ws = self.workspace
        try:
            snap, advice = ws.fetch()
        except Exception as exc:  # any failure is shown, and the polling goes on
            self._from_thread(self._fetch_failed, exc)
            return
        self._from_thread(self._adopt, snap, advice, ws)

    def _fetch_failed(self, exc: Exception) -> None:
        self._fetching = False
        self._reload_asked = False
        ws = self.workspace
        try:
            ws.skip_unreadable()  # tried again when it changes (or in a few seconds)
        except Exception:
            pass
        self._retry_at = time.monotonic() + self.RETRY_SECONDS
        what = describe_error(exc)
        name = getattr(exc, "path", None) or ws.path
        head = " ".join(line.strip() for line in what.splitlines()[:2]).rstrip(".")  # a message and its first problem
        banner = (
            f"DATA FILE PROBLEM: {_one_line(str(name), 120)}: {_one_line(head, 200)}. Showing what was read "
            "before; it is read again as soon as it changes."
        )
        if banner != self.reload_problem:
            self.reload_problem = banner
            self.update_banners()
            detail = "\n".join(_one_line(line, 200) for line in what.splitlines()[:6])
            self.notify(
                f"{_one_line(str(name), 120)}: {detail}\nShowing what was read before.",
                title="The data file could not be read",
                severity="error",
                timeout=15,
                markup=False,
            )

    def _adopt(self, snap: Any, advice: Any, read_from: Any = None) -> None:
        self._fetching = False
        if read_from is not None and read_from is not self.workspace:  # read before the demo was opened or left
            self._reload_asked = False
            return
        asked, self._reload_asked = self._reload_asked, False
        ws = self.workspace
        recovered = self.reload_problem is not None  # it failed before: show it all again
        if self._write is not None and self._write.change.ran:
            return  # our own change is being put in: it reads the file itself, the next poll the rest
        if snap.revision < ws.revision and not (asked or recovered):  # older than what we wrote meanwhile
            return
        news = snap.revision > ws.revision
        ws.adopt(snap, advice)
        if news or asked or recovered:
            try:
                self.data_changed()
            except Exception as exc:  # a screen that cannot show these data: say so, keep polling
                self._retry_at = time.monotonic() + self.RETRY_SECONDS
                problem = f"DATA FILE PROBLEM: it cannot be shown: {_one_line(describe_error(exc), 200)}"
                if problem != self.reload_problem:
                    self.reload_problem = problem
                    self.update_banners()
                    self.notify(
                        problem, title="The data file could not be shown", severity="error", timeout=15, markup=False
                    )
                return
        if recovered:
            self.reload_problem = None
            self.update_banners()
            self.notify("The data file can be read again; every screen shows it.", title="Data file", timeout=5)
        elif news:
            try:
                entry = ws.last_change() or {}
            except Exception:  # the audit log is only for the message: never a reason to fail
                entry = {}
            by = entry.get("by")
            who = by if isinstance(by, str) and by else "a teammate"
            did = entry.get("action")
            action = did if isinstance(did, str) else "a change"
            self.notify(
                f"{_one_line(who, 40)} changed the data ({_one_line(action, 80)}); every screen shows it now.",
                title="Updated",
                timeout=4,
                markup=False,
            )
            self.tell_overwrites()
        elif asked:
            self.notify("Data file read again.", timeout=3)

    def tell_overwrites(self) -> None:
        """Tell this user, once, when a teammate's save since the last look replaced their change
        (the teammate chose theirs in a clash: 'ann overwrote your change to Industry of client ACME')."""
        ws = self.workspace
        seen_ws, seen = self._overwrites_read
        self._overwrites_read = (ws, max(seen, ws.revision) if seen_ws is ws else ws.revision)
        if seen_ws is not ws or ws.revision <= seen:
            return
        try:
            lines = ws.overwrites_since(seen)
        except Exception:  # the audit log is only for the message: never a reason to fail
            return
        for line in lines[-5:]:
            self.notify(line, title="Your change was overwritten", severity="warning", timeout=15, markup=False)

    def _live_screens(self) -> Iterable[Screen]:
        """The screens of every mode opened so far (each mode's stack, its dialogs included)."""
        seen = set()
        for mode in SCREENS:
            try:
                stack = self.get_screen_stack(mode)
            except KeyError:  # a mode not opened yet
                continue
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
        """Read the data file again (in a thread: it may be large, or damaged)."""
        self._start_fetch(asked=True)

    def add_record(self, kind: str) -> None:
        """From the palette: go to the kind's screen and open its add form."""
        self.switch_mode(kind)

        def open_form() -> None:
            base = self.screen_stack[0]  # the kind's table, even when a dialog is open over it
            action = getattr(base, "action_add", None)
            if action is not None:
                action()

        self.call_after_refresh(open_form)

    def open_import(self) -> None:
        """From the palette: the import screen, over the invoices table (where it returns to)."""
        from .screens.importing import ImportScreen

        self.switch_mode("invoices")
        self.call_after_refresh(lambda: self.push_screen(ImportScreen()))

    def start_review(self) -> None:
        """From the palette (and ``tui-advisor review``): the team review, started or joined (ui/screens/review.py)."""
        from .screens.review import start_or_join

        start_or_join(self)

    def explain_rule(self, rule_id: str) -> None:
        from .screens.help import RuleScreen

        rule = self.workspace.rulebook.ruleset.by_id().get(rule_id)
        if rule is not None:
            self.push_screen(RuleScreen(rule))

    def open_my_actions(self) -> None:
        from .screens.my_actions import MyActionsScreen

        if not isinstance(self.screen, MyActionsScreen):
            self.push_screen(MyActionsScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for mode, (title, key) in SCREENS.items():
            yield SystemCommand(
                f"Go to {title.lower()}",
                f"Open the {title.lower()} screen (key {key})",
                lambda m=mode: self.action_go(m),
            )
        from ..forms import KINDS

        for kind in KINDS.values():
            yield SystemCommand(
                f"Add {kind.label}", f"Open the form for a new {kind.label}", lambda k=kind.name: self.add_record(k)
            )
        for rule in sorted(self.workspace.rulebook.ruleset.rules, key=lambda r: r.id):
            rid, name, source = visible(rule.id), visible(rule.name), visible(rule.source)  # a rule file's texts
            yield SystemCommand(
                f"Explain rule {rid} {name}",
                f"{source}: what {rid} checks and why",
                lambda r=rule.id: self.explain_rule(r),
            )
        yield SystemCommand(
            "My actions",
            "The open steps that are yours (your OS user name), overdue first (key y on the actions)",
            self.open_my_actions,
        )
        yield SystemCommand(
            "Import invoices from a CSV export",
            "An accounting system's export: map its columns, dry run, import (key i on the invoices)",
            self.open_import,
        )
        from .startover import leave_demo

        if getattr(self.workspace, "is_demo", False):
            yield SystemCommand(
                "Enter my own agency", "Leave the temporary demo: back to your own data file", lambda: leave_demo(self)
            )
        yield SystemCommand(
            "Start or join the review",
            "The team review: scorecard, last actions, issues, conclude (key r on the dashboard)",
            self.start_review,
        )
        yield SystemCommand("Start over", "Empty the data file (a backup is kept first)", self.action_start_over)
        yield SystemCommand("Help", "Every key of this screen", self.action_help)
        yield SystemCommand("Reload", "Read the data file again", self.action_reload)
        yield SystemCommand("Quit", "Quit tui-advisor", self.action_quit)


def make_app(
    workspace: Workspace,
    keymap: dict[str, str] | None = None,
    title: str | None = None,
    *,
    resume_gc: bool = False,
    review: bool = False,
) -> AdvisorApp:
    app = AdvisorApp(workspace, keymap, title, resume_gc=resume_gc)
    app.open_review = review
    return app


def run_app(
    workspace: Workspace,
    keymap: dict[str, str] | None = None,
    title: str | None = None,
    *,
    resume_gc: bool = False,
    review: bool = False,
) -> Any:
    app = make_app(workspace, keymap, title, resume_gc=resume_gc, review=review)
    try:
        return app.run()
    finally:
        app.leave_presence()  # also when the app did not end through Textual (an interrupt)
