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
            yield Label(Text(self.question), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes}  y", variant="error", id="yes")
                yield Button("No  n", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ReasonScreen(ModalScreen["tuple[str, date | None] | None"]):
    """Ask why (and, for a snooze, until when). Returns (reason, until) or None."""

    BINDINGS = [
        Binding("ctrl+s", "ok", "OK", id="reason_ok", priority=True),
        Binding("escape", "cancel", "Cancel", id="reason_cancel"),
    ]

    def __init__(self, question: str, until: date | None = None):
        super().__init__()
        self.question = question
        self.until = until

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.question), classes="dialog-text")
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
            except FieldError as exc:
                self.query_one("#reason-error", Static).update(Text(str(exc), style="bold red"))
                return
        self.dismiss((reason, until))

    def action_cancel(self) -> None:
        self.dismiss(None)
