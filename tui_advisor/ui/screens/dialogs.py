"""Small modal dialogs: confirm, ask for a reason (and a date), a teammate's change met on save."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Static

from ...forms import FieldError, parse_date
from ...safetext import visible, visible_lines
from ...timeshow import local_time
from ...workspace import Conflict, ago
from ...workspace.merge import MINE, THEIRS, MergeClash, label_of


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


class MergeScreen(ModalScreen["tuple[str, dict[str, str]] | None"]):
    """A teammate changed the same fields as you since you opened the record (or both changes
    together break a rule): each such field with theirs and yours side by side, who changed it
    and when; t or y keeps theirs or yours for the highlighted field, ctrl+s saves the choices
    (every other change of either side is kept), a keeps theirs for all and o yours for all
    (and save), r reloads. Returns ("save", {field: "theirs"|"mine"}), ("reload", {}) or None
    (esc: back to the form, nothing written)."""

    BINDINGS = [
        Binding("t", "keep('theirs')", "Keep theirs", id="merge_theirs"),
        Binding("y", "keep('mine')", "Keep yours", id="merge_mine"),
        Binding("ctrl+s", "save", "Save", id="merge_save", priority=True),
        Binding("a", "all('theirs')", "All theirs", id="merge_all_theirs"),
        Binding("o", "all('mine')", "All yours", id="merge_all_mine"),
        Binding("r", "reload", "Reload", id="merge_reload"),
        Binding("escape", "cancel", "Keep editing", id="merge_keep"),
    ]

    WIDTH = 22  # characters of a value in the table (the line under it shows the whole value)

    def __init__(
        self,
        clash: MergeClash,
        show: Callable[[str, Any], str],
        check: Callable[[dict[str, str]], str | None],
        what: str = "this record",
    ):
        super().__init__()
        self.clash = clash
        self.merge = clash.merge
        self.show = show  # (field, value) -> the value as the form shows it (the agency's number style)
        self.check = check  # choices -> what the record so chosen breaks, or None
        self.what = what
        self.rows = list(self.merge.choosable)
        # a clash starts unchosen; a field one side changed (a rule broken) starts with that side
        self.choices: dict[str, str] = {f: MINE for f in self.merge.mine_changed if f in self.rows}
        self.choices.update({f: THEIRS for f in self.merge.theirs_changed if f in self.rows})

    def _who(self, name: str) -> tuple[str, str]:
        by, at = self.clash.who.get(name, (self.clash.by, self.clash.at))
        return by or self.clash.by, at or self.clash.at

    def _value(self, name: str, value: Any) -> str:
        return visible(self.show(name, value))

    def compose(self) -> ComposeResult:
        c, m = self.clash, self.merge
        who = visible(c.by) if c.by else "Someone"
        head = f"{who} changed {visible(self.what)} {ago(c.at)}, after you opened it."
        if m.problems:
            broken = "; ".join(
                visible(f"{label_of(m.kind, p.field) if p.field else ''} {p.text()}".strip()) for p in m.problems
            )
            head += f" Your changes and theirs together break a rule: {broken}. Choose which to keep:"
        else:
            n = len(m.clashes)
            head += f" You both changed {'this field' if n == 1 else f'these {n} fields'}: keep theirs or yours."
        kept = [label_of(m.kind, f) for f in m.theirs_changed if f not in self.rows]
        mine = [label_of(m.kind, f) for f in m.mine_changed if f not in self.rows]
        also = []
        if kept:
            also.append(f"their change to {', '.join(kept)}")
        if mine:
            also.append(f"your change to {', '.join(mine)}")
        with Vertical(classes="dialog", id="merge"):
            yield Label(Text(head), classes="dialog-text", id="merge-head")
            if also:
                yield Static(Text(f"Kept either way: {' and '.join(also)}.", style="dim"), id="merge-also")
            table: DataTable[Any] = DataTable(id="merge-table", cursor_type="row", zebra_stripes=False)
            table.add_columns("Field", "Theirs", "Yours", "Keep", "Changed by")
            for name in self.rows:
                by, at = self._who(name)
                table.add_row(*self._cells(name, by, at), key=name)
            yield table
            yield Static("", id="merge-detail")
            yield Static("", id="merge-error")
            yield Static(
                Text("t keep theirs · y keep yours · ctrl+s save · a all theirs · o all yours · r reload", style="dim")
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("All theirs  a", id="theirs")
                yield Button("All yours  o", variant="warning", id="mine")
                yield Button("Back  esc", id="keep")  # r reloads: the line above says so (four fit in 80 columns)

    def _cells(self, name: str, by: str, at: str) -> tuple[Text, ...]:
        m = self.merge
        choice = self.choices.get(name)
        keep = {THEIRS: Text("theirs", style="bold"), MINE: Text("yours", style="bold")}.get(
            choice or "", Text("t or y?", style="bold yellow")
        )
        return (
            Text(label_of(m.kind, name)),
            Text(_cut(self._value(name, getattr(m.theirs, name)), self.WIDTH)),
            Text(_cut(self._value(name, getattr(m.mine, name)), self.WIDTH)),
            keep,
            Text("you" if name in m.mine_changed else _cut(f"{visible(by) or 'someone'}, {ago(at)}", 24)),
        )

    def on_mount(self) -> None:
        self.query_one("#merge-table", DataTable).focus()
        self._show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _current(self) -> str | None:
        table = self.query_one("#merge-table", DataTable)
        return self.rows[table.cursor_row] if self.rows and 0 <= table.cursor_row < len(self.rows) else None

    def _show_detail(self) -> None:
        name = self._current()
        if name is None:
            return
        m = self.merge
        by, at = self._who(name)
        text = Text()
        text.append(f"{label_of(m.kind, name)}: ", style="bold")
        if name in m.mine_changed:  # a rule broken: a field only you changed is theirs as you opened it
            text.append("theirs (unchanged): ")
        else:
            text.append(f"theirs ({visible(by) or 'someone'}, {local_time(at) if at else 'recently'}): ")
        text.append(self._value(name, getattr(m.theirs, name)))
        text.append("\n   yours: ")
        text.append(self._value(name, getattr(m.mine, name)))
        text.append("\n   when you opened it: ", style="dim")
        text.append(self._value(name, getattr(m.base, name)), style="dim")
        self.query_one("#merge-detail", Static).update(text)

    def _refresh_row(self, name: str) -> None:
        table = self.query_one("#merge-table", DataTable)
        by, at = self._who(name)
        for column, cell in zip(table.ordered_columns, self._cells(name, by, at)):
            table.update_cell(name, column.key, cell)

    def action_keep(self, side: str) -> None:
        name = self._current()
        if name is None:
            return
        self.choices[name] = side
        self._refresh_row(name)
        self.query_one("#merge-error", Static).update("")
        table = self.query_one("#merge-table", DataTable)
        if table.cursor_row < len(self.rows) - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_all(self, side: str) -> None:
        self.choices = dict.fromkeys(self.rows, side)
        for name in self.rows:
            self._refresh_row(name)
        self.action_save()

    def action_save(self) -> None:
        missing = [label_of(self.merge.kind, f) for f in self.rows if f not in self.choices]
        problem = (
            f"Choose theirs (t) or yours (y) for {', '.join(missing)}" if missing else self.check(dict(self.choices))
        )
        if problem:
            self.query_one("#merge-error", Static).update(Text(visible(problem), style="bold red"))
            return
        self.dismiss(("save", dict(self.choices)))

    def action_reload(self) -> None:
        self.dismiss(("reload", {}))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id
        if button == "save":
            self.action_save()
        elif button == "theirs":
            self.action_all(THEIRS)
        elif button == "mine":
            self.action_all(MINE)
        elif button == "reload":
            self.action_reload()
        else:
            self.action_cancel()


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ReloadScreen(ModalScreen["str | None"]):
    """'Reload sam's version of this client? Your changes to Industry, Note will be lost.'
    d discards them and reloads; k (when offered) keeps them over the reloaded record (the form
    stays open, its other fields now theirs); esc goes back. Returns "discard", "keep" or None."""

    BINDINGS = [
        Binding("d", "answer('discard')", "Discard and reload", id="reload_discard"),
        Binding("k", "answer('keep')", "Keep my changes", id="reload_keep"),
        Binding("escape", "answer(None)", "Back", id="reload_back", show=False),
    ]

    def __init__(self, question: str, *, keep: bool):
        super().__init__()
        self.question = question
        self.keep = keep

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="reload-dialog"):
            yield Label(Text(visible_lines(self.question)), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                if self.keep:
                    yield Button("Keep them over it  k", variant="primary", id="keep")
                yield Button("Discard and reload  d", variant="error", id="discard")
                yield Button("Back  esc", id="back")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(None if event.button.id == "back" else event.button.id)

    def action_answer(self, answer: str | None) -> None:
        if answer == "keep" and not self.keep:
            return
        self.dismiss(answer)
