"""One screen per kind of record: a sortable table with add, edit, delete and undo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from ... import model, numbers
from ...forms import KINDS, Column, KindDef, build_record, format_amount, format_value
from ...safetext import visible
from ...workspace import Conflict, StoreError, describe_error
from .base import AdvisorScreen, cursor_key, lit
from .dialogs import ConfirmScreen
from .form import FormScreen
from .tablefit import SCROLLBAR, fit, fold, matches


def _cell(value: Any) -> Text:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Text(format_value(value), justify="right")
    return lit(format_value(value))


def _shown(value: Any, text: str) -> Text:
    """_cell, from the text format_value made already."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Text(text, justify="right")
    return lit(text)


def _fitted(cell: Text) -> Text:
    """A cell on one line, cut with an ellipsis when its column is narrower (tablefit)."""
    cell.no_wrap = True
    cell.overflow = "ellipsis"
    return cell


class FilterInput(Input):
    """The `/` filter over a table: typing filters the rows, esc clears it, enter goes back to the table."""

    BINDINGS = [Binding("escape", "clear_filter", "Clear the filter")]

    def action_clear_filter(self) -> None:
        self.screen.action_clear_filter()  # type: ignore[attr-defined]


def _days_after(day: Any, days: int) -> Any:
    """``day`` + ``days``, or None past the calendar's end (a payment term of a billion days)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def _sort_value(value: Any) -> tuple:
    """Sort None last, numbers as numbers, text case-insensitively."""
    if value is None or value == "":
        return (2, "")
    if isinstance(value, (int, float)):
        return (0, value)
    return (1, str(value).lower())


class RecordsScreen(AdvisorScreen):
    AUTO_FOCUS = "#records"  # the table, not the hidden filter box
    BINDINGS = [
        Binding("a", "add", "Add", id="record_add", tooltip="Add a record"),
        Binding("e,enter", "edit", "Edit", id="record_edit", tooltip="Edit the selected record"),
        Binding("d,delete", "delete", "Delete", id="record_delete", tooltip="Delete the selected record"),
        Binding("u", "undo", "Undo", id="record_undo", show=False, tooltip="Put back the last deleted record"),
        Binding("x", "archive", "Archive", id="record_archive", tooltip="Archive a former client, or bring it back"),
        Binding("s", "sort", "Sort", id="record_sort", show=False, tooltip="Sort by the next column"),
        Binding("slash", "filter", "Filter", id="record_filter", tooltip="Show only the rows that hold a text"),
        Binding("escape", "clear_filter", "Clear filter", id="record_unfilter", show=False, tooltip="Show every row"),
        Binding("r", "reverse", "Reverse", id="record_reverse", show=False, tooltip="Reverse the sort order"),
        Binding("t", "steps", "Steps", id="record_steps", show=False, tooltip="The steps of an action item"),
        Binding("y", "my_actions", "My actions", id="actions_mine", show=False, tooltip="Your open steps"),
        Binding("l", "history", "History", id="record_history", show=False, tooltip="History: who changed what, when"),
        Binding(
            "m",
            "invoice_retainers",
            "Retainers",
            id="invoices_retainers",
            show=False,  # in the info line: the footer's keys fit 80 columns
            tooltip="Invoice the running retainers",
        ),
        Binding(
            "i", "import_file", "Import", id="invoices_import", show=False, tooltip="Import invoices from a CSV export"
        ),
    ]

    def __init__(self, kind: KindDef):
        super().__init__(name=kind.name, id=f"screen-{kind.name}")
        self.kind = kind
        self.title = kind.plural
        self.sort_column = 0
        self.sort_reverse = False
        self._rows: dict[str, Any] = {}
        self.filter_text = ""  # what the `/` filter holds: only the rows holding it are shown
        self._shown_columns: tuple[int, ...] = tuple(range(len(kind.columns)))  # those that fit
        self._hidden_columns: tuple[int, ...] = ()
        self._fitted_to = 0  # the width the columns were fitted to
        self._filter_timer: Any = None  # a large table is filtered once the typing pauses

    def compose_body(self) -> ComposeResult:
        yield Static(id="records-info", classes="info")
        filter_input = FilterInput(
            placeholder="filter: type to show the rows that hold it · enter: back to the table · esc: clear",
            id="records-filter",
            compact=True,
        )
        filter_input.display = False
        yield filter_input
        table: DataTable = DataTable(id="records", cursor_type="row", zebra_stripes=True)
        for col in self.kind.columns:
            table.add_column(col.label, key=col.name)
        yield table

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("steps", "my_actions"):
            return "steps" in self.kind.kind.nested
        if action == "archive":  # a kind whose records can be archived: the clients
            return "archived" in self.kind.kind.by_name
        if action in ("invoice_retainers", "import_file"):  # the invoices table's own keys
            return self.kind.name == "invoices"
        if action == "clear_filter":  # esc on the table: only while a filter is on
            return bool(self.filter_text)
        return True

    # ------------------------------------------------------------------ showing

    def _value(self, col: Column, rec: Any, names: dict[str, str]) -> Any:
        if col.render is not None:
            return col.render(rec, names)
        return getattr(rec, col.name, None)

    def refresh_data(self) -> None:
        table = self.query_one("#records", DataTable)
        selected = self._selected_key()
        everything = self.workspace.records(self.kind.name)
        names = self.workspace.client_names()
        columns = self.kind.columns
        col = columns[self.sort_column]
        needle = fold(self.filter_text)
        decimal = numbers.style_for(self.workspace.data.agency)  # amounts as the agency's forms read them
        shows = [
            (lambda v: format_amount(v, decimal)) if c.name in self.kind.amounts else format_value for c in columns
        ]
        rows = []  # (record, the values of its cells, as shown)
        for rec in everything:
            values = [self._value(c, rec, names) for c in columns]
            texts = [show(v) for show, v in zip(shows, values)]
            if needle and not matches(needle, texts):
                continue
            rows.append((rec, values, texts))
        rows.sort(key=lambda row: _sort_value(row[1][self.sort_column]), reverse=self.sort_reverse)
        self._fit_columns(table, rows)
        table.clear()
        self._rows = {}
        shown = self._shown_columns
        for rec, values, texts in rows:
            key = repr(self.kind.record_key(rec))
            self._rows[key] = rec
            cells = [_fitted(_shown(values[i], texts[i])) for i in shown]
            if getattr(rec, "archived", None) is not None:  # a former client: dimmed, still listed
                for cell in cells:
                    cell.stylize("dim")
            table.add_row(*cells, key=key)
        if selected in self._rows:
            table.move_cursor(row=table.get_row_index(selected))
        arrow = "▼" if self.sort_reverse else "▲"
        info = Text()
        if needle:
            counted = f"{len(rows)} of {len(everything)} shown"
            info.append(f"{self.kind.plural}: {counted}", style="bold")
            info.append(" (filter: ", style="dim")
            info.append(visible(" ".join(self.filter_text.split())), style="bold")
            info.append(")", style="dim")
            self.title = f"{self.kind.plural}: {counted}"
        else:
            info.append(f"{self.kind.plural}: {len(everything)}", style="bold")
            self.title = self.kind.plural
        info.append(f"   sorted by {col.label} {arrow}", style="dim")
        if self._hidden_columns:
            hidden = ", ".join(columns[i].label for i in self._hidden_columns)
            info.append(f"   {hidden}: not shown, the terminal is too narrow", style="dim")
        info.append("   s sort · u undo · l history", style="dim")  # the keys the footer leaves out
        if "steps" in self.kind.kind.nested:
            info.append(" · t steps · y my actions", style="dim")
        if self.kind.name == "invoices":
            info.append(f" · m invoice {self.workspace.as_of:%Y-%m}'s retainers · i import CSV", style="dim")
        self.query_one("#records-info", Static).update(info)

    def _fit_columns(self, table: DataTable, rows: list[tuple[Any, list[Any], list[str]]]) -> None:
        """Columns that fit the terminal's width (tablefit.fit): the long texts give way, cut with
        an ellipsis; an optional column (an id) is left out when nothing else makes them fit."""
        columns = self.kind.columns
        room = self.size.width or self.app.size.width
        self._fitted_to = room
        height = table.size.height or max(self.app.size.height - 6, 1)
        if len(rows) + 1 > height:  # the rows scroll: the scrollbar takes its columns
            room -= SCROLLBAR
        shrinkable = [
            any(isinstance(values[i], str) and values[i] for _, values, _ in rows) for i in range(len(columns))
        ]
        layout = fit(
            [c.label for c in columns],
            [texts for _, _, texts in rows],
            shrinkable,
            [getattr(c, "optional", False) for c in columns],
            room,
        )
        if (layout.shown, layout.widths) != (self._shown_columns, getattr(self, "_widths", None)):
            table.clear(columns=True)
            for i, width in zip(layout.shown, layout.widths):
                table.add_column(columns[i].label, key=columns[i].name, width=width)
        self._shown_columns, self._widths, self._hidden_columns = layout.shown, layout.widths, layout.hidden

    def on_resize(self) -> None:
        if (self.size.width or self.app.size.width) != self._fitted_to:
            self.refresh_data()

    def on_screen_resume(self) -> None:  # resized while a form or another mode was in front
        self.on_resize()

    # ------------------------------------------------------------------ the `/` filter

    def action_filter(self) -> None:
        box = self.query_one("#records-filter", FilterInput)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#records-filter", FilterInput)
        self.filter_text = ""
        box.value = ""
        box.display = False
        self.query_one("#records", DataTable).focus()
        self.refresh_data()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "records-filter" or event.value == self.filter_text:
            return
        self.filter_text = event.value
        if self._filter_timer is not None:
            self._filter_timer.stop()
        if len(self.workspace.records(self.kind.name)) < 2000:  # at once; a large table once typing pauses
            self.refresh_data()
        else:
            self._filter_timer = self.set_timer(0.25, self.refresh_data)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "records-filter":
            return
        if not self.filter_text.strip():  # nothing to filter by: the box goes
            self.action_clear_filter()
            return
        self.query_one("#records", DataTable).focus()  # the filter stays, shown in its box

    def _selected_key(self) -> str | None:
        return cursor_key(self.query_one("#records", DataTable))

    def selected(self) -> Any | None:
        key = self._selected_key()
        return self._rows.get(key) if key else None

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        index = self._shown_columns[event.column_index]  # the table may leave an optional column out
        if index == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = index, False
        self.refresh_data()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    # ------------------------------------------------------------------ actions

    def action_sort(self) -> None:
        self.sort_column = (self.sort_column + 1) % len(self.kind.columns)
        self.sort_reverse = False
        self.refresh_data()

    def action_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.refresh_data()

    def _choices(self, original: Any | None = None) -> dict[str, list[tuple[str, str]]]:
        """What the pickers offer: the current clients (a former client only to the record that
        has it already, marked so) and their engagements by name, the rules in force."""
        ws = self.workspace
        names = ws.client_names()
        former = ws.data.former_clients(ws.as_of)
        keep = {getattr(original, "client", None), getattr(original, "engagement", None)} - {None}
        clients = sorted(
            (
                (c.name + (" (archived)" if c.id in former else ""), c.id)
                for c in ws.data.clients
                if c.id not in former or c.id in keep
            ),
            key=lambda x: x[0].lower(),
        )
        shown = [e for e in ws.data.engagements if e.client not in former or e.id in keep]
        labels = [f"{names.get(e.client, e.client)}: {e.name or f'{e.kind} {e.id}'}" for e in shown]
        twice = {label for label in labels if labels.count(label) > 1}  # two of one name: the ids tell them apart
        engagements = [(f"{label} ({e.id})" if label in twice else label, e.id) for label, e in zip(labels, shown)]
        rules = ws.rule_choices()
        current_rule = getattr(original, "rule", None)
        if current_rule and current_rule not in {v for _, v in rules}:
            rules.append((f"{current_rule} (not among the rules in force)", current_rule))
        return {
            "client": clients,
            "engagement": sorted(engagements, key=lambda x: x[0].lower()),
            "engagement_client": [(e.id, e.client) for e in shown],
            "rule": rules,
        }

    def _fills(self) -> dict[str, tuple[str, Any, str]]:
        """A new record's fields filled from another and an agency setting (an invoice's due date:
        the issue date + the payment term), while they are empty."""
        agency = self.workspace.data.agency
        out: dict[str, tuple[str, Any, str]] = {}
        for target, (source, setting, said) in self.kind.fills.items():
            days = int(getattr(agency, setting, 0) or 0)
            out[target] = (source, lambda d, n=days: _days_after(d, n), f"{said} ({days} days)")
        return out

    def open_form(
        self,
        original: Any | None,
        prefill: dict[str, Any] | None = None,
        after: Callable[[Any], Any] | None = None,
    ) -> None:
        """The form of a record (None: a new one, its fields from ``prefill`` where given);
        ``after(record)`` once it is saved (a won inquiry's client, then its engagement)."""
        kind = self.kind
        if original is None:
            values = dict(kind.defaults)
            if "date" in {f.type for f in kind.fields}:
                for f in kind.fields:
                    if f.type == "date" and f.required:
                        values.setdefault(f.name, self.workspace.as_of)
            values.update({k: v for k, v in (prefill or {}).items() if v is not None})
            title = f"Add {kind.label}"
        else:
            values = {f.name: getattr(original, f.name) for f in kind.fields}
            title = f"Edit {kind.describe(original, self.workspace.client_names())}"
        seen_rev = self.workspace.meta_of(kind.name, original).rev if original is not None else None
        needed = {target for name, target in kind.kind.references.items() if kind.kind.by_name[name].required}
        if any(not list(self.workspace.records(target)) for target in needed):  # an engagement needs its client
            self.notify(
                "Add a client first (press 5): engagements and invoices belong to a client.", severity="warning"
            )
            return

        def save(form_values: dict[str, Any], force: bool = False, base: tuple[Any, int] | None = None) -> Any:
            """The problems, or the Write that stores the record (the form runs it in the background).
            ``base``: the record (and its revision) reloaded under the typed changes, saved onto."""
            ws = self.workspace
            existing = ws.ids(kind.name) if kind.kind.has_ids else set()
            opened, opened_rev = base if base is not None and original is not None else (original, seen_rev)
            try:
                record = build_record(kind, form_values, opened, existing)
                problems = model.record_problems(kind.name, record)  # the core's rules (a won inquiry's date)
                if problems:
                    return problems
                write = ws.plan_save(kind.name, record, original=opened, force=force, seen_rev=opened_rev)
            except model.ValidationError as exc:
                return exc.items
            except StoreError as exc:
                return [exc.message]
            except (TypeError, ValueError) as exc:
                return [str(exc)]

            def stored(_: Any) -> None:
                saved = write.merging.record if write.merging is not None else record  # merged with a teammate's
                self._select_after_save = repr(kind.record_key(saved))
                self._saved_record = saved

            write.always = stored
            return write

        def done(saved: bool | None) -> None:
            if saved:
                self.changed()
                key = getattr(self, "_select_after_save", None)
                table = self.query_one("#records", DataTable)
                if key in self._rows:
                    table.move_cursor(row=table.get_row_index(key))
                advice = self.workspace.advice
                if advice is not None:
                    self.notify(
                        f"Saved. The advice is updated ({len(advice.recommendations)} recommendations).", timeout=3
                    )
                else:
                    self.notify("Saved.", timeout=3)
                record = getattr(self, "_saved_record", None)
                if after is not None:
                    after(record)
                elif kind.name == "inquiries" and record is not None:  # a won one: its client and engagement?
                    from .won import offer_from_inquiry

                    offer_from_inquiry(self, record)

        what = f"this {kind.label}" if original is not None else f"this new {kind.label}"
        form = FormScreen(
            title,
            kind.fields,
            values,
            self._choices(original),
            save,
            what=what,
            fills=self._fills() if original is None else None,
            kind=kind.name,
        )
        self.app.push_screen(form, done)

    def action_add(self) -> None:
        self.open_form(None)

    def action_edit(self) -> None:
        rec = self.selected()
        if rec is None:
            self.notify("Nothing selected: press a to add one.", timeout=3)
            return
        self.open_form(rec)

    def action_archive(self) -> None:
        """x: archive the selected client (a former client from today: out of the pickers and the advice
        ahead, kept in the tables and the history), or bring an archived one back."""
        rec = self.selected()
        if rec is None or "archived" not in self.kind.kind.by_name:
            return
        what = self.kind.describe(rec, self.workspace.client_names())
        seen_rev = self.workspace.meta_of(self.kind.name, rec).rev
        back = rec.archived is not None

        def done(_: Any) -> None:
            self.changed()
            if back:
                self.notify(f"{what} is a current client again.", timeout=5, markup=False)
            else:
                self.notify(
                    f"Archived {what}: out of the pickers and the advice ahead, kept in the history. "
                    "x again brings it back.",
                    timeout=6,
                    markup=False,
                )

        def failed(exc: Exception) -> None:
            title = "Not brought back" if back else "Not archived"
            self.notify(describe_error(exc), title=title, severity="error", markup=False)
            if isinstance(exc, Conflict):
                self.advisor.action_reload()

        self.advisor.write(lambda: self.workspace.plan_archive(rec, seen_rev=seen_rev), done, failed)

    def action_delete(self) -> None:
        rec = self.selected()
        if rec is None:
            return
        what = self.kind.describe(rec, self.workspace.client_names())
        seen_rev = self.workspace.meta_of(self.kind.name, rec).rev
        used = self.workspace.used_by(self.kind.name, rec) if "archived" in self.kind.kind.by_name else ""
        if used and rec.archived is not None:
            self.notify(
                f"Not deleted: {what} is still used by {used}. It stays archived: in the history, out of the "
                "pickers and the advice ahead.",
                title="Archived already",
                markup=False,
                timeout=6,
            )
            return
        if used:  # a client with history: archived, not deleted

            def archive_instead(yes: bool | None) -> None:
                if yes:
                    self.action_archive()

            self.app.push_screen(
                ConfirmScreen(
                    f"{what[0].upper()}{what[1:]} is still used by {used}, so it cannot be deleted.\n"
                    "Archive it instead? A former client stays in the tables and the history (its invoices "
                    "count in the past), and leaves the pickers and the advice ahead.",
                    yes="Archive",
                ),
                archive_instead,
            )
            return

        def deleted(_: Any) -> None:
            self.changed()
            self.notify(f"Deleted {what}. Press u to undo.", timeout=5, markup=False)

        def failed(exc: Exception) -> None:
            if isinstance(exc, Conflict):
                self.notify(
                    f"Not deleted: {exc.message}. The screen now shows the current data.",
                    title="Changed by a teammate",
                    severity="warning",
                    markup=False,
                    timeout=8,
                )
                self.advisor.action_reload()
            else:
                self.notify(describe_error(exc), title="Not deleted", severity="error", markup=False)

        def answer(yes: bool | None) -> None:
            if yes:  # in the background: it may wait for a teammate's lock
                self.advisor.write(
                    lambda: self.workspace.plan_delete(self.kind.name, rec, seen_rev=seen_rev), deleted, failed
                )

        self.app.push_screen(ConfirmScreen(f"Delete {what}?", yes="Delete"), answer)

    def action_undo(self) -> None:
        if self.workspace.last_deleted is None:
            self.notify("Nothing to undo.", timeout=3)
            return

        def restored(result: tuple[str, Any]) -> None:
            kind, rec = result
            self.changed()
            self.notify(
                f"Put back {KINDS[kind].describe(rec, self.workspace.client_names())}.", timeout=3, markup=False
            )

        def failed(exc: Exception) -> None:
            self.notify(describe_error(exc), title="Cannot undo", severity="error", markup=False)

        def plan() -> Any:
            write = self.workspace.plan_undo_delete()
            if write is None:  # u twice quickly: the first one put it back
                raise StoreError(self.workspace.path, "nothing to undo: it is back already")
            return write

        self.advisor.write(plan, restored, failed)

    def action_history(self) -> None:
        rec = self.selected()
        if rec is None:
            return
        from .help import HistoryScreen

        what = self.kind.describe(rec, self.workspace.client_names())
        try:
            entries, skipped = self.workspace.history(self.kind.name, rec)
        except Exception as exc:  # the log and the data file are shared: say what is wrong, never crash
            self.notify(describe_error(exc), title="The history could not be read", severity="error", markup=False)
            return
        self.app.push_screen(HistoryScreen(what, entries, skipped))

    def action_invoice_retainers(self) -> None:
        from .retainers import invoice_retainers

        invoice_retainers(self)

    def action_import_file(self) -> None:
        from .importing import ImportScreen

        self.app.push_screen(ImportScreen())

    def action_my_actions(self) -> None:
        from .my_actions import MyActionsScreen

        self.app.push_screen(MyActionsScreen())

    def action_steps(self) -> None:
        rec = self.selected()
        if rec is None:
            return
        from .steps import StepsScreen

        self.app.push_screen(StepsScreen(rec))
