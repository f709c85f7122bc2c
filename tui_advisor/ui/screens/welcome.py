"""First run on an empty data file: what the app does, and where to start."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ...safetext import visible


class WelcomeScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("d", "demo", "Start from the demo (a temporary copy)", id="welcome_demo"),
        Binding("o", "own", "Enter my own", id="welcome_own"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome", classes="dialog"):
            yield Label("Welcome to tui-advisor", id="welcome-title")
            yield Static(
                Text(
                    "Enter your agency's numbers (clients, retainers and projects, invoices, cash, costs, capacity, "
                    "inquiries) and tui-advisor checks them against the Agency Success Guide. It tells you, most "
                    "urgent first, what to do to become independent: able to say no to work you do not want."
                )
            )
            yield Static(Text(f"Your data file: {visible(self.app.workspace.path)}", style="dim"))  # type: ignore[attr-defined]
            yield Static(
                Text(
                    "Start from the demo: look around a made-up agency, Northwind Studio, in a temporary copy "
                    "(nothing you change there is kept; your data file stays empty). Enter my own: your agency's "
                    "profile first, then clients, engagements, invoices.",
                    style="dim",
                ),
                id="welcome-choices",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start from the demo (a temporary copy)  d", variant="primary", id="demo")
                yield Button("Enter my own  o", id="own")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "demo":
            self.action_demo()
        else:
            self.action_own()

    def action_demo(self) -> None:
        """A temporary copy of the demo, as ``tui-advisor --demo`` opens: the data file is not written."""
        from ..startover import open_demo

        if open_demo(self.app):  # type: ignore[arg-type]
            self.dismiss(None)

    def action_own(self) -> None:
        self.dismiss(None)
        self.app.switch_mode("profile")
        # the profile screen itself, whatever is on top of it while the mode switches
        self.app.call_after_refresh(lambda: self.app.screen_stack[0].action_edit())  # type: ignore[attr-defined]
