"""Small modal dialogs: confirm, and ask for a reason (and a date)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ...forms import FieldError, parse_date
from ...safetext import visible, visible_lines
from ...workspace import Conflict, ago


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n", "answer(False)", "No", id="confirm_no"),
        Binding("escape", "answer(False)", "No", id="confirm_cancel", show=False),
    ]

    def __init__(self, question: str, yes: str = "Yes"):
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(visible_lines(self.question)), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes}  y", variant="error", id="yes")
                yield Button("No  n", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class DiscardScreen(ModalScreen[bool]):
    """'Discard your changes to this invoice?' Esc (or k) keeps editing, d discards. Returns True to discard."""

    BINDINGS = [
        Binding("d", "answer(True)", "Discard", id="discard_yes"),
        Binding("k,n", "answer(False)", "Keep editing", id="discard_keep"),
        Binding("escape", "answer(False)", "Keep editing", id="discard_cancel", show=False),
    ]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="discard-dialog"):
            yield Label(Text(visible_lines(self.question)), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep editing  esc", variant="primary", id="keep")
                yield Button("Discard  d", variant="error", id="discard")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "discard")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ConflictScreen(ModalScreen["str | None"]):
    """'Sam changed this client 2 minutes ago: reload, or overwrite?' Returns the choice."""

    BINDINGS = [
        Binding("o", "choose('overwrite')", "Overwrite", id="conflict_overwrite"),
        Binding("r", "choose('reload')", "Reload", id="conflict_reload"),
        Binding("escape", "choose(None)", "Keep editing", id="conflict_keep"),
    ]

    def __init__(self, conflict: Conflict):
        super().__init__()
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        c = self.conflict
        who = visible(c.by) if c.by else "Someone"  # from the audit log: any text a teammate wrote
        if c.deleted:
            question = (
                f"{who} deleted this record {ago(c.at) if c.at else 'since you opened it'}. "
                "Add it again with your changes (o), or drop your changes and reload (r)?"
            )
            overwrite = "Add it again  o"
        else:
            question = (
                f"{who} changed this record {ago(c.at)}, after you opened it. "
                "Overwrite their change with yours (o), or reload and see theirs (r)?"
            )
            overwrite = "Overwrite  o"
        with Vertical(classes="dialog", id="conflict"):
            yield Label(Text(question), classes="dialog-text")
            if c.current:
                shown = ", ".join(
                    f"{visible(k)}: {visible(v)}" for k, v in c.current.items() if v not in (None, "", [])
                )
                yield Static(Text(f"Now stored: {shown}", style="dim"))
            with Horizontal(classes="dialog-buttons"):
                yield Button(overwrite, variant="warning", id="overwrite")
                yield Button("Reload  r", variant="primary", id="reload")
                yield Button("Keep editing  esc", id="keep")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "keep" else event.button.id)

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)


class ReasonScreen(ModalScreen["tuple[str, date | None] | None"]):
    """Ask why (and, for a snooze, until when). Returns (reason, until) or None."""

    BINDINGS = [
        Binding("ctrl+s", "ok", "OK", id="reason_ok", priority=True),
        Binding("escape", "cancel", "Cancel", id="reason_cancel"),
    ]

    def __init__(self, question: str, until: date | None = None, today: date | None = None):
        super().__init__()
        self.question = question
        self.until = until
        self.today = today or date.today()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(visible_lines(self.question)), classes="dialog-text")
            yield Input(placeholder="reason, e.g. 'agreed in the review: fine for now'", id="reason")
            if self.until is not None:
                yield Label("Show it again on (date)")
                yield Input(value=self.until.isoformat(), id="until")
            yield Static("", id="reason-error", classes="hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK  ctrl+s", variant="primary", id="ok")
                yield Button("Cancel  esc", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.action_ok()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_ok()

    def action_ok(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        until = None
        if self.until is not None:
            try:
                until = parse_date(self.query_one("#until", Input).value, "the date")
                if until <= self.today:
                    raise FieldError(f"the date must be after today ({self.today.isoformat()})")
            except FieldError as exc:
                self.query_one("#reason-error", Static).update(Text(str(exc), style="bold red"))
                return
        self.dismiss((reason, until))

    def action_cancel(self) -> None:
        self.dismiss(None)
