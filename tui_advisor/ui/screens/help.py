"""Help: every key of the current screen; and the explanation of one rule."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label, Static

from ...engine.rules import PILLARS, Rule
from ...safetext import visible
from ...timeshow import local_time
from ...workspace.merge import overwrote_lines
from .base import one_line


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", id="help_close")]

    def __init__(self, screen: Screen):
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog"):
            yield Label(Text(f"Keys: {self.for_screen.title or 'this screen'}"), id="help-title")
            table: DataTable = DataTable(id="help-keys", cursor_type="row")
            table.add_columns("Key", "What it does", "Id")
            yield table
            yield Static(
                Text(
                    "Id: the name to give a key another under [keys] in the config file.\n"
                    "ctrl+p opens the command palette: go to, add, explain rule, start over. esc closes this.",
                    style="dim",
                ),
                id="help-note",
            )

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        seen = set()
        # the screen's and the app's own keys first (they have ids), then the widgets' generic ones
        ordered = sorted(
            self.for_screen.active_bindings.items(), key=lambda kv: (not kv[1].binding.id, kv[1].node is self.app)
        )
        for _key, active in ordered:
            b = active.binding
            if b.action in seen and not b.id:
                continue
            seen.add(b.action)
            label = self.app.get_key_display(b)
            table.add_row(
                Text(label, style="bold"), Text(b.tooltip or b.description or b.action), Text(b.id or "", style="dim")
            )

    def action_close(self) -> None:
        self.dismiss(None)


class HistoryScreen(ModalScreen[None]):
    """The audit trail of one record: who changed it, when, and which fields.

    The audit log is a file any member of the group can write: an entry may hold anything
    (a number for its changes, a table for its author). Each is shown as well as it can be,
    as plain text, and what cannot be read is counted, never a crash."""

    BINDINGS = [Binding("escape,q,l", "close", "Close", id="history_close")]

    def __init__(self, what: str, entries: list[dict], skipped: int = 0):
        super().__init__()
        self.what = what
        self.entries = entries
        self.skipped = skipped

    def compose(self) -> ComposeResult:
        text = Text()
        odd = self.skipped
        if not self.entries:
            text.append("No change of this record is recorded (it may predate the audit log).", style="dim")
        for e in reversed(self.entries):
            if not isinstance(e, dict):
                odd += 1
                continue
            when = e.get("at")
            shown = _field(when)  # local time, as `log` shows it; local_time shows a bad value escaped already
            if isinstance(when, str):
                shown = local_time(when)
                shown = shown if len(shown) <= 200 else shown[:199] + "…"
            text.append(f"{shown}  {_field(e.get('by'), '?')}  {_field(e.get('action'))}", style="bold")
            if e.get("duplicate"):  # the log is shared: a member can add entries no save wrote
                text.append(
                    f"  [one of {_field(e['duplicate'])} entries claiming revision {_field(e.get('rev'))}: "
                    "all but one were not written by a save]",
                    style="bold yellow",
                )
            text.append("\n")
            changes = e.get("changes")
            for c in changes if isinstance(changes, list) else []:
                before, after = (c.get("before"), c.get("after")) if isinstance(c, dict) else (0, 0)
                if before is None:
                    text.append("  added\n")
                elif after is None:
                    text.append("  deleted\n")
                elif isinstance(before, dict) and isinstance(after, dict):
                    for k in after:
                        if before.get(k) != after.get(k):
                            text.append(f"  {_field(k)}: ")
                            text.append(_field(before.get(k)))
                            text.append(" → ")
                            text.append(_field(after.get(k)))
                            text.append("\n")
                else:
                    text.append("  (a change this version cannot read)\n", style="dim")
            for line in overwrote_lines(e, which=False):  # a teammate's change replaced (merge.py)
                text.append(f"  {line}\n", style="yellow")
        if odd:
            text.append(
                f"\n{odd} line{'s' if odd != 1 else ''} of the audit log could not be read and "
                f"{'are' if odd != 1 else 'is'} left out.",
                style="dim",
            )
        with Vertical(id="history", classes="dialog"):
            yield Label(Text(f"History of {visible(self.what)}"), id="help-title")
            with VerticalScroll():
                yield Static(text)

    def action_close(self) -> None:
        self.dismiss(None)


def _field(value: object, missing: str = "") -> str:
    """One value of an audit entry as one short line of plain text, whatever its type."""
    if value is None:
        return missing
    shown = visible(value if isinstance(value, str) else repr(value))
    return shown if len(shown) <= 200 else shown[:199] + "…"


class RuleScreen(ModalScreen[None]):
    """What a rule checks, its parameters, why, and what to do (like `rules explain`)."""

    BINDINGS = [Binding("escape,q", "close", "Close", id="rule_close")]

    def __init__(self, rule: Rule):
        super().__init__()
        self.rule = rule

    def compose(self) -> ComposeResult:
        r = self.rule
        v = one_line  # a text of the rule file: one line, its controls shown as escapes
        text = Text()
        text.append(f"{v(r.id)} {v(r.name)}\n", style="bold")
        text.append(f"{PILLARS[r.pillar]['title']} · guide {v(r.source)} · {r.severity}\n\n", style="dim")
        if r.each:
            text.append(f"Runs for every item of: {v(r.each)}\n")
        text.append("Fires when: ", style="bold")
        text.append(v(r.when) + "\n")
        if r.params:
            text.append("Parameters: ", style="bold")
            text.append(", ".join(f"{v(k)} = {value}" for k, value in r.params.items()) + "\n")
        text.append("\nWhy: ", style="bold")
        text.append(v(r.rationale) + "\n\nWhat to do:")
        for a in r.actions:
            text.append(f"\n • {v(a)}")
        text.append(f"\n\nFrom {v(r.file)}", style="dim")
        with Vertical(id="rule", classes="dialog"), VerticalScroll():
            yield Static(text)

    def action_close(self) -> None:
        self.dismiss(None)
