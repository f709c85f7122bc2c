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
        Binding("d", "demo", "Start from the demo", id="welcome_demo"),
        Binding("o", "own", "Enter my own", id="welcome_own"),
    ]
    _storing = False  # the demo is being stored (it may wait for a teammate's lock)

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
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start from the demo data  d", variant="primary", id="demo")
                yield Button("Enter my own  o", id="own")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "demo":
            self.action_demo()
        else:
            self.action_own()

    def action_demo(self) -> None:
        if self._storing:  # d again while the demo is being stored (it may wait for the lock)
            return
        self._storing = True
        app = self.app

        def done(_: object) -> None:
            if self.is_current:
                self.dismiss(None)
            app.data_changed()  # type: ignore[attr-defined]
            app.notify("The demo agency is in your data file: change anything, the advice follows.", timeout=5)

        def failed(exc: Exception) -> None:
            from ...workspace import describe_error

            self._storing = False
            app.notify(describe_error(exc), title="The demo was not stored", severity="error", markup=False)

        # in the background: it may wait for a teammate's lock (the banner says so)
        app.write(app.workspace.plan_start_from_demo, done, failed)  # type: ignore[attr-defined]

    def action_own(self) -> None:
        self.dismiss(None)
        self.app.switch_mode("profile")
        # the profile screen itself, whatever is on top of it while the mode switches
        self.app.call_after_refresh(lambda: self.app.screen_stack[0].action_edit())  # type: ignore[attr-defined]
