"""The weekly steps of one action item (G9): add, tick off, give an owner, delete.

A step's owner is who does it (an OS user name, so that "my actions" finds it); a step
without one is its action's owner's, shown dimmed in brackets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from ... import model
from ...forms import STEP_FIELDS, field_def
from ...workspace import StoreError, describe_error
from .base import lit
from .form import FormScreen

OWNER_FIELD = field_def(model.STEP.by_name["owner"])


class StepsScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("a", "add", "Add step", id="step_add"),
        Binding("space,x", "toggle_step", "Done / not done", id="step_toggle"),
        Binding("o", "owner", "Owner", id="step_owner", tooltip="Who does this step (empty: the action's owner)"),
        Binding("d,delete", "delete", "Delete step", id="step_delete"),
        Binding("escape,q", "close", "Close", id="step_close"),
    ]

    def __init__(self, action: model.ActionItem, step: int = 0):
        super().__init__()
        self.action_item = action
        self.seen_rev: int | None = None
        self.start_row = step  # the step the cursor starts on (from "my actions")

    @property
    def workspace(self) -> Any:
        return self.app.workspace  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical(id="steps"):
            yield Label(lit(f"Steps of: {self.action_item.title}"), id="steps-title")
            yield Static(Text("a add · space done/not done · o owner · d delete · esc close", style="dim"))
            status = Static("", id="steps-status")  # while a change waits (for the lock)
            status.display = False
            yield status
            table: DataTable = DataTable(id="steps-table", cursor_type="row")
            table.add_columns("Done", "Due", "Owner", "Step")
            yield table

    def on_mount(self) -> None:
        self.seen_rev = self.workspace.meta_of("actions", self.action_item).rev
        self.refresh_steps()
        if 0 < self.start_row < len(self.action_item.steps):
            self.query_one("#steps-table", DataTable).move_cursor(row=self.start_row)

    def refresh_steps(self) -> None:
        table = self.query_one("#steps-table", DataTable)
        row = table.cursor_row
        table.clear()
        for i, s in enumerate(self.action_item.steps):
            done = Text("✓ " + s.done.isoformat(), style="green") if s.done else Text("")
            owner = (
                lit(s.owner) if s.owner else lit(f"({self.action_item.owner})" if self.action_item.owner else "", "dim")
            )
            table.add_row(done, lit(s.due.isoformat() if s.due else ""), owner, lit(s.title), key=str(i))
        if self.action_item.steps:
            table.move_cursor(row=min(row, len(self.action_item.steps) - 1))

    def _plan(self, updated: model.ActionItem) -> Any:
        return self.workspace.plan_save("actions", updated, original=self.action_item, seen_rev=self.seen_rev)

    def _form_write(self, updated: model.ActionItem) -> Any:
        """What a step form's save returns: the planned save of the action (read back as stored
        when it is done), or the problem that refused it."""
        try:
            write = self._plan(updated)
        except (StoreError, model.ValidationError) as exc:
            return [describe_error(exc)]
        write.always = lambda _: self._stored(updated)
        return write

    def _stored(self, updated: model.ActionItem) -> None:
        # as stored: merged with a teammate's change to its other fields, when there was one
        self.action_item = next((a for a in self.workspace.records("actions") if a.id == updated.id), updated)
        self.seen_rev = self.workspace.meta_of("actions", updated).rev
        if self.is_mounted:
            self.refresh_steps()
        self.app.data_changed()  # type: ignore[attr-defined]

    def _store(self, change: Callable[[list[model.Step]], list[model.Step]]) -> None:
        """Save the action item with its steps changed by ``change``, in the background (it may wait
        for the lock). ``change`` is applied when the save is made: after any change asked for
        before it (space pressed twice quickly ticks a step off and on again)."""
        made: list[model.ActionItem] = []

        def plan() -> Any:
            made.append(replace(self.action_item, steps=change(list(self.action_item.steps))))
            return self._plan(made[-1])

        def failed(exc: Exception) -> None:
            from ...workspace.merge import MergeClash

            if isinstance(exc, MergeClash) and self.is_mounted:  # a teammate changed the steps too: show theirs
                self.action_item, self.seen_rev = exc.merge.theirs, exc.rev
                self.refresh_steps()
                self.notify(
                    f"{describe_error(exc)}: its steps are shown as stored now; do it again if it is still to do.",
                    title="Not saved",
                    severity="warning",
                    markup=False,
                )
                return
            self.notify(describe_error(exc), title="Not saved", severity="error", markup=False)

        app: Any = self.app
        app.write(plan, lambda _: self._stored(made[-1]), failed, status=self._show_status)

    def _step(self, steps: list[model.Step], i: int) -> model.Step:
        if not 0 <= i < len(steps):
            raise StoreError(self.workspace.path, "that step is gone (the steps changed meanwhile)")
        return steps[i]

    def _show_status(self, text: str | None) -> None:
        if self.is_mounted:
            status = self.query_one("#steps-status", Static)
            status.display = bool(text)
            status.update(Text(text or "", style="bold yellow"))

    def action_add(self) -> None:
        def save(values: dict[str, Any], force: bool = False) -> Any:
            step = model.Step(title=values["title"], due=values.get("due"), owner=values.get("owner") or "")
            updated = replace(self.action_item, steps=[*self.action_item.steps, step])
            return self._form_write(updated)

        self.app.push_screen(
            FormScreen(
                "Add a step (a week or less of work)",
                (*STEP_FIELDS, OWNER_FIELD),
                {"due": self.workspace.as_of},
                {},
                save,
                what="this new step",
            )
        )

    def action_toggle_step(self) -> None:
        table = self.query_one("#steps-table", DataTable)
        if not self.action_item.steps:
            return
        i = table.cursor_row

        def toggle(steps: list[model.Step]) -> list[model.Step]:
            step = self._step(steps, i)
            steps[i] = replace(step, done=None if step.done else self.workspace.as_of)
            return steps

        self._store(toggle)

    def action_owner(self) -> None:
        """Who does the selected step: a name (an OS user name finds it in "my actions"); empty: the
        action's owner. Saved with the other changes of the steps, in the background."""
        table = self.query_one("#steps-table", DataTable)
        if not self.action_item.steps:
            return
        i = table.cursor_row
        step = self.action_item.steps[min(i, len(self.action_item.steps) - 1)]

        def save(values: dict[str, Any], force: bool = False, **_: Any) -> Any:
            steps = list(self.action_item.steps)
            if not 0 <= i < len(steps):
                return ["That step is gone (the steps changed meanwhile)."]
            steps[i] = replace(steps[i], owner=values.get("owner") or "")
            updated = replace(self.action_item, steps=steps)
            return self._form_write(updated)

        self.app.push_screen(
            FormScreen(
                f"Owner of the step: {step.title}"[:120],
                (OWNER_FIELD,),
                {"owner": step.owner},
                {},
                save,
                what="this step's owner",
            )
        )

    def action_delete(self) -> None:
        table = self.query_one("#steps-table", DataTable)
        if not self.action_item.steps:
            return
        i = table.cursor_row

        def delete(steps: list[model.Step]) -> list[model.Step]:
            self._step(steps, i)
            return steps[:i] + steps[i + 1 :]

        self._store(delete)

    def action_close(self) -> None:
        self.dismiss(None)
