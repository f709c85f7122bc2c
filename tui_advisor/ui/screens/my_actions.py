"""My actions: the open steps of the current user (the OS user name), overdue ones first in red.

A step is the user's when its owner is the user, or when it has no owner and its action's
owner is the user (workspace/actions.py; case and spacing ignored). `m` shows everyone's open
steps instead, `enter` opens the selected step's action on that step (to tick it off, give it
an owner), `space` marks it done.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from ...workspace import StoreError, describe_error
from ...workspace.actions import OpenStep, days_late, open_steps
from .base import cursor_key, lit


class MyActionsScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    MyActionsScreen { align: center middle; }
    #my-actions { width: 100; max-width: 100%; height: 80%; border: thick $primary; background: $surface;
                  padding: 0 1; }
    #my-actions-title { text-style: bold; width: 100%; }
    """
    BINDINGS = [
        Binding("enter", "open_step", "Open", id="mine_open", tooltip="The steps of the selected step's action"),
        Binding("space,x", "done", "Done", id="mine_done", tooltip="Mark the selected step done"),
        Binding("m", "toggle_everyone", "Mine / everyone's", id="mine_everyone", tooltip="Everyone's open steps"),
        Binding("escape,q", "close", "Close", id="mine_close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.everyone = False
        self._steps: dict[str, OpenStep] = {}

    @property
    def workspace(self) -> Any:
        return self.app.workspace  # type: ignore[attr-defined]

    @property
    def user(self) -> str:
        return str(self.workspace.user)

    def compose(self) -> ComposeResult:
        with Vertical(id="my-actions"):
            yield Label("", id="my-actions-title")
            yield Static(
                Text("enter open · space done · m mine/everyone's · esc close", style="dim"), id="my-actions-keys"
            )
            table: DataTable = DataTable(id="my-actions-table", cursor_type="row")
            table.add_column("Due", key="due")
            table.add_column("Late", key="late")
            table.add_column("Step", key="step")
            table.add_column("Owner", key="owner")
            table.add_column("Action", key="action")
            yield table

    def on_mount(self) -> None:
        self.refresh_data()

    def steps(self) -> list[OpenStep]:
        ws = self.workspace
        return open_steps(ws.data, ws.as_of, user=None if self.everyone else self.user)

    def refresh_data(self) -> None:
        table = self.query_one("#my-actions-table", DataTable)
        keep = cursor_key(table)
        row = table.cursor_row
        table.clear()
        self._steps = {}
        today = self.workspace.as_of
        steps = self.steps()
        for s in steps:
            key = f"{s.action}|{s.index}"
            self._steps[key] = s
            late = days_late(s, today)
            style = "bold red" if s.overdue else ""
            table.add_row(
                Text(s.due.isoformat() if s.due else "", style=style),
                Text(f"{late}d" if late else "", style=style, justify="right"),
                lit(s.title),
                lit(s.owner or "unassigned", "" if s.own else "dim"),
                lit(f"{s.action}: {s.action_title}"),
                key=key,
            )
        if keep in self._steps:
            table.move_cursor(row=table.get_row_index(keep))
        elif steps:
            table.move_cursor(row=min(row, len(steps) - 1))
        overdue = sum(s.overdue for s in steps)
        title = Text()
        whose = "Everyone's open steps" if self.everyone else f"My actions: the open steps of {self.user}"
        title.append(lit(whose))
        title.append(f"  {len(steps)} open")
        if overdue:
            title.append(f", {overdue} overdue", style="bold red")
        if not steps:
            title.append("  (nothing open" + ("" if self.everyone else ": m shows everyone's") + ")", style="dim")
        self.query_one("#my-actions-title", Label).update(title)

    def selected(self) -> OpenStep | None:
        return self._steps.get(cursor_key(self.query_one("#my-actions-table", DataTable)) or "")

    def _action(self, step: OpenStep) -> Any:
        return next((a for a in self.workspace.records("actions") if a.id == step.action), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # enter on the table (the table takes the key before the screen's binding)
        self.action_open_step()

    def action_toggle_everyone(self) -> None:
        self.everyone = not self.everyone
        self.refresh_data()

    def action_open_step(self) -> None:
        step = self.selected()
        action = self._action(step) if step else None
        if step is None or action is None:
            return
        from .steps import StepsScreen

        self.app.push_screen(StepsScreen(action, step.index), lambda _: self.refresh_data())

    def action_done(self) -> None:
        step = self.selected()
        action = self._action(step) if step else None
        if step is None or action is None:
            return
        ws = self.workspace

        def plan() -> Any:  # run when the save is made: on the action as it is then
            current = self._action(step)
            steps = list(current.steps) if current is not None else []
            if not 0 <= step.index < len(steps) or steps[step.index].title != step.title:
                raise StoreError(ws.path, "that step is gone (the steps changed meanwhile)")
            steps[step.index] = replace(steps[step.index], done=ws.as_of)
            seen = ws.meta_of("actions", current).rev
            return ws.plan_save("actions", replace(current, steps=steps), original=current, seen_rev=seen)

        def done(_: Any) -> None:
            self.app.data_changed()  # type: ignore[attr-defined]
            self.notify(f"Done: {step.title}", timeout=3, markup=False)

        def failed(exc: Exception) -> None:
            self.notify(describe_error(exc), title="Not saved", severity="error", markup=False)

        self.app.write(plan, done, failed)  # type: ignore[attr-defined]

    def action_close(self) -> None:
        self.dismiss(None)
