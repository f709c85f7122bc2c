"""'Invoice the running retainers for this month', from the invoices table (key m).

The dialog shows the month it will use (the month of the app's date; left and right pick an
earlier month, up to the current one), what it creates and what it skips and why, and writes
only on y. The write is the workspace's (workspace/retainers.py: one locked, audited
transaction, planned again inside the lock), in the background like every change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ...numbers import show_amount
from ...safetext import visible
from ...workspace import describe_error
from ...workspace.retainers import RetainerPlan, month_text, plan_invoice_retainers, plan_retainer_invoices


def _shift(first: date, months: int) -> date:
    n = first.year * 12 + first.month - 1 + months
    return date(n // 12, n % 12 + 1, 1)


class RetainersScreen(ModalScreen["date | None"]):
    """Asks before invoicing the retainers of a month; returns the month chosen, or None."""

    DEFAULT_CSS = """
    RetainersScreen { align: center middle; }
    #retainers { width: 90; max-width: 100%; height: auto; max-height: 100%; }
    #retainers-list { height: auto; max-height: 14; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Create them", id="retainers_yes"),
        Binding("n,escape", "answer(False)", "Cancel", id="retainers_no"),
        Binding("left", "month(-1)", "Earlier month", id="retainers_earlier"),
        Binding("right", "month(1)", "Later month", id="retainers_later"),
    ]

    def __init__(self, data: Any, today: date):
        super().__init__()
        self.data = data
        self.today = today
        self.month = today.replace(day=1)
        self.plan: RetainerPlan = plan_retainer_invoices(data, self.month, today)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="retainers"):
            yield Label(id="retainers-question", classes="dialog-text")
            with VerticalScroll(id="retainers-list"):
                yield Static(id="retainers-lines")
            yield Static(
                Text("← → another month (up to this one) · y create them · n or esc cancel", style="dim"),
                classes="hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create  y", variant="primary", id="yes")
                yield Button("Cancel  n", id="no")

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        plan = self.plan
        month = month_text(plan.month)
        if plan.create:
            question = f"Invoice the running retainers of {month}? This creates {plan.summary()}:"
        else:
            question = f"Nothing to invoice for {month}: {plan.summary()}."
        self.query_one("#retainers-question", Label).update(Text(question, style="bold"))
        text = Text()
        for line in plan.create:  # the engagement first: the invoice's id is in the table afterwards
            inv = line.invoice
            assert inv is not None
            due = f", due {inv.due.isoformat()}" if inv.due else ""
            text.append("+ ", style="bold green")
            text.append(
                visible(
                    f"{line.name}: {show_amount(inv.amount, plan.decimal)} {plan.currency}, issued {inv.issued.isoformat()}{due}"
                )
                + "\n"
            )
        for line in plan.skipped:
            text.append("- ", style="bold")
            text.append(visible(f"{line.name}: {line.reason}") + "\n", style="dim")
        if not plan.create and not plan.skipped:
            text.append("(no retainer runs in this month)", style="dim")
        text.rstrip()
        self.query_one("#retainers-lines", Static).update(text)
        self.query_one("#yes", Button).disabled = not plan.create

    def action_month(self, step: int) -> None:
        month = _shift(self.month, step)
        if month > self.today:
            self.notify("Retainers are invoiced in their month or after it: this is the current month.", timeout=3)
            return
        self.month = month
        self.plan = plan_retainer_invoices(self.data, month, self.today)
        self.show()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        if yes and not self.plan.create:
            return
        self.dismiss(self.month if yes else None)


def invoice_retainers(screen: Any) -> None:
    """The invoices table's key: ask (the dialog above), then write in the background."""
    ws = screen.workspace
    if ws.read_only:
        screen.notify("This session is read-only: no invoice can be created.", severity="warning", timeout=5)
        return

    def created(plan: RetainerPlan) -> None:
        screen.changed()
        if plan.create:
            screen.notify(f"Created {plan.summary()}.", title="Retainers invoiced", timeout=6, markup=False)
        else:  # a teammate invoiced them in between: the check inside the lock found them
            screen.notify(
                f"Nothing created: {plan.summary()} (invoiced meanwhile?).", severity="warning", timeout=6, markup=False
            )

    def failed(exc: Exception) -> None:
        screen.notify(describe_error(exc), title="No invoice created", severity="error", markup=False)

    def answer(month: date | None) -> None:
        if month is not None:
            screen.advisor.write(lambda: plan_invoice_retainers(ws, month), created, failed)

    screen.app.push_screen(RetainersScreen(ws.data, ws.as_of), answer)
