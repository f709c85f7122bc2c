"""The import screen: invoices from an accounting system's CSV export (key i on the invoices table).

Pick a file (a path, completed as you type: right arrow takes the completion), choose a built-in
profile or "my own", see the first rows, map each field to a column (each offered with a sample
value), set the delimiter, decimal mark and date format, see how every date and amount of the
first rows is read ("read as", or what is wrong), run a dry run (new, updated, unchanged and
rejected rows, each rejection with its line, column, value and what was expected), import, and
save the mapping as a profile file that ``tui-advisor import FILE --profile PATH`` reads.

Everything is read and planned by the CSV core (``tui_advisor.importing``: the same reader,
profile and plan as the command line) and written through the workspace
(``Workspace.plan_import_csv``: the one locked, audited, atomic write the CLI makes too). A path
is checked before anything opens it (``importing.mapping.check_path``: never a FIFO, a device,
or a symbolic link another user made).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, DataTable, Input, Label, Select, Static, TabbedContent, TabPane

from ...importing import (
    FIELDS,
    REQUIRED,
    CsvFileError,
    ImportPlan,
    Profile,
    ProfileError,
    RowsRejected,
    builtin_profiles,
    plan_import,
    preview,
)
from ...importing.mapping import (
    AMOUNT_FIELDS,
    DATE_FIELDS,
    PathProblem,
    ProfileExists,
    check_path,
    column_label,
    complete_path,
    default_profile_path,
    guess_columns,
    guess_date_format,
    guess_decimal,
    make_profile,
    read_as,
    samples_of,
    save_profile,
)
from ...importing.profiles import date_format_problem
from ...importing.reader import detect_decimal, match_columns
from ...numbers import style_for
from ...safetext import visible
from ...workspace import describe_error
from .base import AdvisorScreen
from .dialogs import ConfirmScreen

OWN = "(own)"  # the profile picker's value for "my own mapping"
DELIMITERS = [("; semicolon", ";"), (", comma", ","), ("tab", "\t"), ("| bar", "|")]
DECIMALS = [
    ("1.234,56  decimal comma", ","),
    ("1,234.56  decimal point", "."),
    ("auto: told from the amounts", "auto"),
]
FIELD_LABELS = {
    "invoice": "Invoice number",
    "client": "Client",
    "issued": "Issued",
    "due": "Due",
    "amount": "Amount",
    "net": "Before tax",
    "tax": "Tax",
    "paid": "Paid on",
    "open": "Open amount",
    "status": "Status",
    "type": "Document type",
    "terms": "Payment term",
    "currency": "Currency",
}
TABS = ("tab-rows", "tab-columns", "tab-readas", "tab-dryrun")


class PathSuggester(Suggester):
    """Completes a typed path with the first matching name in its folder (names only: nothing is opened)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


class ImportScreen(AdvisorScreen):
    """Import invoices from a CSV export: file, profile, columns, read as, dry run, import."""

    DEFAULT_CSS = """
    ImportScreen #imp-top { height: auto; padding: 0 1; }
    ImportScreen .imp-line { height: 1; }
    ImportScreen .imp-label { width: 9; }
    ImportScreen #imp-path { width: 1fr; }
    ImportScreen #imp-profile { width: 1fr; }
    ImportScreen #imp-status { height: auto; max-height: 3; padding: 0 1; }
    ImportScreen #imp-tabs { height: 1fr; }
    ImportScreen TabPane { padding: 0 1; }
    ImportScreen #imp-rows, ImportScreen #imp-readas { height: 1fr; }
    ImportScreen #imp-columns { height: 1fr; }
    ImportScreen .map-row { height: 1; }
    ImportScreen .map-label { width: 16; }
    ImportScreen .map-select { width: 1fr; }
    ImportScreen #imp-datefmt { width: 16; }
    ImportScreen #imp-datefmt-hint { width: 1fr; padding-left: 1; }
    ImportScreen #imp-summary { height: auto; max-height: 8; }
    ImportScreen #imp-rejected { height: 1fr; }
    """

    BINDINGS = [
        Binding("ctrl+o", "read_file", "Read file", id="import_read", priority=True, tooltip="Read the file typed"),
        Binding("ctrl+t", "dry_run", "Dry run", id="import_dry_run", priority=True, tooltip="What it would change"),
        Binding("ctrl+s", "run_import", "Import", id="import_run", priority=True, tooltip="Import the file"),
        Binding("ctrl+g", "save_profile", "Save profile", id="import_save", priority=True, tooltip="Save the mapping"),
        Binding("escape", "close", "Close", id="import_close", tooltip="Back to the invoices"),
        Binding(
            "ctrl+n",
            "next_tab",
            "Next tab",
            id="import_next_tab",
            priority=True,
            tooltip="Rows, columns, read as, dry run",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="screen-import")
        self.title = "Import invoices from a CSV export"
        self.builtins: dict[str, Profile] = builtin_profiles()
        self.path: Any = None  # the file read (a Path), None before
        self.headers: list[str] = []
        self.rows: list[tuple[int, list[str]]] = []
        self.encoding = "utf-8"
        self.base: Profile | None = None  # the built-in profile chosen (None: my own)
        self.columns: dict[str, int] = {}  # field -> column index
        self.delimiter = ";"
        self.decimal = "."
        self.date_format = "%d-%m-%Y"
        self.plan: ImportPlan | None = None
        self.written: ImportPlan | None = None
        self.file_info = ""
        self.looks_like: list[str] = []

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        with Vertical(id="imp-top"):
            with Horizontal(classes="imp-line"):
                yield Label("File", classes="imp-label")
                yield Input(
                    placeholder="path of the CSV export, e.g. ~/Downloads/facturen.csv (enter reads it)",
                    id="imp-path",
                    suggester=PathSuggester(),
                    compact=True,
                )
            with Horizontal(classes="imp-line"):
                yield Label("Profile", classes="imp-label")
                options: list[tuple[Text, str]] = [
                    (Text(self._profile_label(name, p)), name) for name, p in self.builtins.items()
                ]
                options.append((Text("My own: map the columns below"), OWN))
                yield Select(options, value=OWN, allow_blank=False, id="imp-profile", compact=True)
        yield Static(id="imp-status")
        with TabbedContent(id="imp-tabs"):
            with TabPane("Rows", id="tab-rows"):
                yield DataTable(id="imp-rows", zebra_stripes=True, cursor_type="row")
            with TabPane("Columns", id="tab-columns"), VerticalScroll(id="imp-columns"):
                for f in FIELDS:
                    with Horizontal(classes="map-row"):
                        need = "*" if f in REQUIRED else " "
                        yield Label(f"{FIELD_LABELS.get(f, f)}{need}", classes="map-label")
                        yield Select([], prompt="(no column)", id=f"map-{f}", classes="map-select", compact=True)
                with Horizontal(classes="map-row"):
                    yield Label("Delimiter", classes="map-label")
                    yield Select(DELIMITERS, value=";", allow_blank=False, id="imp-delimiter", compact=True)
                with Horizontal(classes="map-row"):
                    yield Label("Decimal mark", classes="map-label")
                    yield Select(DECIMALS, value=".", allow_blank=False, id="imp-decimal", compact=True)
                with Horizontal(classes="map-row"):
                    yield Label("Date format", classes="map-label")
                    yield Input(value="%d-%m-%Y", id="imp-datefmt", compact=True)
                    yield Static(id="imp-datefmt-hint")
                yield Static(Text("* required. Each column is offered with a value from the first rows.", style="dim"))
            with TabPane("Read as", id="tab-readas"):
                yield DataTable(id="imp-readas", zebra_stripes=True, cursor_type="row")
            with TabPane("Dry run", id="tab-dryrun"):
                yield Static(id="imp-summary")
                yield DataTable(id="imp-rejected", zebra_stripes=True, cursor_type="row")

    @staticmethod
    def _profile_label(name: str, profile: Profile) -> str:
        text = visible(f"{name}: {profile.description}" if profile.description else name)
        return text if len(text) <= 60 else text[:59] + "…"

    def on_mount(self) -> None:
        super().on_mount()
        self.decimal = style_for(self.workspace.data.agency)
        self._set_select("imp-decimal", self.decimal)
        readas = self.query_one("#imp-readas", DataTable)
        readas.add_columns("Line", "Field", "Value", "Read as")
        rejected = self.query_one("#imp-rejected", DataTable)
        rejected.add_columns("Line", "Column", "Value", "Expected")
        self._say("Type the path of the CSV file and press enter (→ takes the completion).")
        self._show_date_hint()
        self._show_plan()
        self.query_one("#imp-path", Input).focus()

    def refresh_data(self) -> None:
        """A teammate's change (or ours) read in: a dry run made before is out of date."""
        if self.plan is not None and self.is_mounted:
            self.plan = None
            self._show_plan()

    # ------------------------------------------------------------------ small helpers

    def _say(self, message: str, *, error: bool = False) -> None:
        self.query_one("#imp-status", Static).update(Text(message, style="bold red" if error else ""))

    def _set_select(self, wid: str, value: Any) -> None:
        select = self.query_one(f"#{wid}", Select)
        if select.value != value:
            select.value = value

    def _sample(self, index: int) -> str | None:
        found = samples_of(self.rows, index, 1)
        return found[0] if found else None

    def _header(self, index: int) -> str:
        return self.headers[index].strip() if 0 <= index < len(self.headers) else ""

    def profile(self) -> Profile:
        """The profile the screen's choices make (a built-in one as it is when nothing was changed)."""
        columns = {f: self._header(i) for f, i in self.columns.items() if self._header(i)}
        base = self.base
        if base is not None and self._is_base_unchanged(base, columns):
            return base
        name = f"{base.name}-changed" if base is not None else "my-own"
        return make_profile(
            base,
            name=name,
            columns=columns,
            delimiter=self.delimiter,
            decimal=self.decimal,
            date_format=self.date_format,
            encoding=self.encoding,
        )

    def _is_base_unchanged(self, base: Profile, columns: dict[str, str]) -> bool:
        if (base.delimiter, base.decimal, base.date_format) != (self.delimiter, self.decimal, self.date_format):
            return False
        found, _ = match_columns(self.headers, base)
        return {f: self._header(i) for f, i in found.items()} == columns

    def _stale(self) -> None:
        self.plan = None
        self._show_plan()

    # ------------------------------------------------------------------ the file

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "imp-path":
            self.action_read_file()
        elif event.input.id == "imp-datefmt":
            self._date_format_typed(event.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "imp-datefmt":
            self._date_format_typed(event.value)

    def action_read_file(self) -> None:
        text = self.query_one("#imp-path", Input).value
        try:
            path = check_path(text)
        except PathProblem as exc:
            self._say(str(exc), error=True)
            return
        self.path = path
        self.written = None
        choice = self.query_one("#imp-profile", Select).value
        if choice != OWN and choice in self.builtins:
            self._apply_builtin(self.builtins[str(choice)])
            return
        by_header = {f: self._header(i) for f, i in self.columns.items()}  # the mapping so far, by header
        if not self._read_preview(None):
            return
        index = {h.strip(): i for i, h in reversed(list(enumerate(self.headers)))}
        self.columns = {f: index[h] for f, h in by_header.items() if h in index}
        if not self.columns:  # a new kind of file: guess a mapping, offer a profile that fits
            self._guess()
        else:
            self._fill_column_pickers()
            self._refresh_readas()

    def _read_preview(self, profile: Profile | None) -> bool:
        """Read the file's first rows (with ``profile``'s delimiter and encoding, or detected)."""
        try:
            found = preview(self.path, profile, rows=5)
        except (CsvFileError, ProfileError) as exc:
            problems = getattr(exc, "problems", [])
            self._say("\n".join([str(exc), *problems[:2]]), error=True)
            return False
        self.headers, self.rows, self.encoding = found.headers, found.rows, found.encoding
        if profile is None:
            self.delimiter = found.delimiter
            self._set_select("imp-delimiter", self.delimiter)
        name = visible(self.path.name)
        how = "detected" if found.detected else "the profile's"
        delim = "tab" if self.delimiter == "\t" else repr(self.delimiter)
        fits = f"; it looks like: {', '.join(found.looks_like)}" if found.looks_like else ""
        self.file_info = (
            f"{name}: {len(found.headers)} columns, the first {len(found.rows)} rows; delimiter {delim} ({how}), "
            f"{found.encoding}{fits}"
        )
        self._say(self.file_info)
        self.looks_like = found.looks_like
        self._fill_rows()
        self._fill_column_pickers()
        self._stale()
        self.query_one("#imp-tabs", TabbedContent).active = "tab-rows"
        return True

    def _guess(self) -> None:
        guessed = guess_columns(self.headers)
        index = {h: i for i, h in reversed(list(enumerate(self.headers)))}
        self.columns = {f: index[h] for f, h in guessed.items() if h in index}
        issued = self.columns.get("issued")
        if issued is not None:
            fmt = guess_date_format(samples_of(self.rows, issued, 5))
            if fmt:
                self.date_format = fmt
                self.query_one("#imp-datefmt", Input).value = fmt
        amount = self.columns.get("amount")
        if amount is not None:
            self.decimal = guess_decimal(samples_of(self.rows, amount, 5), self.decimal)
            self._set_select("imp-decimal", self.decimal)
        self._fill_column_pickers()
        self._refresh_readas()
        if self.looks_like:
            self._say(
                f"{self.file_info}: pick that profile above, or check the columns the screen guessed (ctrl+n: the next tab)."
            )

    def _apply_builtin(self, profile: Profile) -> None:
        self.base = profile
        self.delimiter, self.decimal, self.date_format = profile.delimiter, profile.decimal, profile.date_format
        self._set_select("imp-delimiter", profile.delimiter)
        self._set_select("imp-decimal", profile.decimal)
        self.query_one("#imp-datefmt", Input).value = profile.date_format
        if self.path is None:
            return
        if not self._read_preview(profile):
            return
        found, missing = match_columns(self.headers, profile)
        self.columns = dict(found)
        self._fill_column_pickers()
        self._refresh_readas()
        if missing:  # a required column is an error; an optional one the file lacks is left out (and said)
            lacking = [f for f in REQUIRED if f not in found]
            head = f"profile {profile.name}: " + ("" if lacking else "left out: ")
            self._say("\n".join([head + missing[0], *missing[1:2]]), error=bool(lacking))

    def _fill_rows(self) -> None:
        table = self.query_one("#imp-rows", DataTable)
        table.clear(columns=True)
        table.add_column(Text("Line"), key="line")
        for i, h in enumerate(self.headers):
            shown = visible(h.strip()) or f"({i + 1})"
            table.add_column(Text(shown if len(shown) <= 24 else shown[:23] + "…"), key=f"c{i}")
        for line, row in self.rows:
            cells = [Text(str(line), style="dim")]
            for i in range(len(self.headers)):
                value = visible(row[i]) if i < len(row) else ""
                cells.append(Text(value if len(value) <= 30 else value[:29] + "…"))
            table.add_row(*cells, key=str(line))

    def _fill_column_pickers(self) -> None:
        options = [(Text(column_label(h, self._sample(i))), i) for i, h in enumerate(self.headers)]
        for f in FIELDS:
            select = self.query_one(f"#map-{f}", Select)
            select.set_options(options)
            want = self.columns.get(f)
            select.value = want if want is not None and want < len(self.headers) else Select.NULL

    # ------------------------------------------------------------------ the mapping

    def on_select_changed(self, event: Select.Changed) -> None:
        wid = event.select.id or ""
        value = event.value
        if wid == "imp-profile":
            if value == OWN:
                if self.base is not None:
                    self.base = None
                    self._stale()
                    self._refresh_readas()
            elif value in self.builtins and (self.base is None or self.base.name != value):
                self._apply_builtin(self.builtins[str(value)])
            return
        if wid == "imp-delimiter":
            if value != self.delimiter and value is not Select.NULL:
                self.delimiter = str(value)
                if self.path is not None:
                    self._reread_with_delimiter()
            return
        if wid == "imp-decimal":
            if value != self.decimal and value is not Select.NULL:
                self.decimal = str(value)
                self._stale()
                self._refresh_readas()
            return
        if wid.startswith("map-"):
            f = wid.removeprefix("map-")
            current = self.columns.get(f)
            new = value if isinstance(value, int) else None
            if new != current:
                if new is None:
                    self.columns.pop(f, None)
                else:
                    self.columns[f] = new
                self._stale()
                self._refresh_readas()

    def _reread_with_delimiter(self) -> None:
        by_header = {f: self._header(i) for f, i in self.columns.items()}
        probe = Profile(name="probe", delimiter=self.delimiter, encoding=self.encoding)
        try:
            found = preview(self.path, probe, rows=5)
        except (CsvFileError, ProfileError) as exc:
            self._say(str(exc), error=True)
            return
        self.headers, self.rows = found.headers, found.rows
        index = {h.strip(): i for i, h in reversed(list(enumerate(self.headers)))}
        self.columns = {f: index[h] for f, h in by_header.items() if h in index}
        self._fill_rows()
        self._fill_column_pickers()
        self._stale()
        self._refresh_readas()

    def _date_format_typed(self, text: str) -> None:
        problem = date_format_problem(text)
        if problem is None and text != self.date_format:
            self.date_format = text
            self._stale()
            self._refresh_readas()
        self._show_date_hint(problem)

    def _show_date_hint(self, problem: str | None = None) -> None:
        from datetime import date

        hint = self.query_one("#imp-datefmt-hint", Static)
        if problem:
            hint.update(Text(problem, style="bold red"))
        else:
            hint.update(
                Text(f"e.g. {date(2026, 12, 31).strftime(self.date_format)}  (%d day, %m month, %Y year)", style="dim")
            )

    def _refresh_readas(self) -> None:
        table = self.query_one("#imp-readas", DataTable)
        table.clear()
        if not self.rows:
            return
        profile = self.profile()
        data = self.workspace.data
        shown_style, currency = style_for(data.agency), data.agency.currency or ""  # as the forms show readings
        undecided = None  # decimal "auto": the style the first rows' amounts tell, as the import tells it
        if profile.decimal == "auto":
            amounts = [self.columns[f] for f in AMOUNT_FIELDS if f in self.columns]
            mark, why = detect_decimal([row[i] for _, row in self.rows for i in amounts if i < len(row)])
            if mark is not None:
                profile = replace(profile, decimal=mark)
            else:
                undecided = f"auto: the first rows do not tell the style ({why})"
        for line, row in self.rows:
            for f in FIELDS:
                i = self.columns.get(f)
                if i is None:
                    continue
                value = row[i] if i < len(row) else ""
                if undecided and f in AMOUNT_FIELDS and value.strip():
                    shown, ok = undecided, False
                else:
                    shown, ok = read_as(f, value, profile, data, decimal=shown_style, currency=currency)
                style = "" if ok else "bold red"
                if ok and f in DATE_FIELDS + AMOUNT_FIELDS and value.strip():
                    style = "green"
                raw = visible(value.strip())
                table.add_row(
                    Text(str(line), style="dim"),
                    Text(FIELD_LABELS.get(f, f)),
                    Text(raw if len(raw) <= 20 else raw[:19] + "…"),
                    Text(("✗ " if not ok else "") + shown, style=style),
                    key=f"{line}-{f}",
                )

    # ------------------------------------------------------------------ dry run and import

    def _make_plan(self) -> ImportPlan | None:
        if self.path is None:
            self._say("Read a file first: type its path and press enter.", error=True)
            return None
        missing = [FIELD_LABELS[f] for f in REQUIRED if f not in self.columns]
        if missing:
            self._say(f"Choose a column for: {', '.join(missing)} (ctrl+n to the columns).", error=True)
            self.query_one("#imp-tabs", TabbedContent).active = "tab-columns"
            return None
        try:
            ws = self.workspace  # its data are the file at its revision: the write reads it again only if it moved on
            plan = plan_import(self.path, self.profile(), ws.data, ws.as_of, revision=ws.revision)
        except (CsvFileError, ProfileError) as exc:
            problems = getattr(exc, "problems", [])
            self._say("\n".join([str(exc), *problems[:2]]), error=True)
            return None
        except OSError as exc:
            self._say(f"{visible(str(self.path))}: cannot be read ({exc.strerror})", error=True)
            return None
        self.plan = plan
        return plan

    def action_dry_run(self) -> None:
        if self._make_plan() is None:
            return
        self._show_plan()
        self.query_one("#imp-tabs", TabbedContent).active = "tab-dryrun"

    def _show_plan(self) -> None:
        summary = self.query_one("#imp-summary", Static)
        table = self.query_one("#imp-rejected", DataTable)
        table.clear()
        plan = self.plan
        if plan is None:
            text = Text()
            if self.written is not None:
                text.append(f"Imported: {self.written.summary()}\n", style="bold green")
            text.append("ctrl+t: a dry run (nothing is written); ctrl+s: import.", style="dim")
            summary.update(text)
            return
        text = Text()
        text.append("Dry run, nothing written: ", style="bold")
        text.append(plan.summary() + "\n")
        if plan.amounts:  # before tax, or a warning: totals that may include VAT overstate revenue
            text.append(visible(plan.amounts) + "\n", style="yellow" if plan.amounts_warning else "dim")
        if plan.new_clients:
            names = ", ".join(visible(c.name) for c in plan.new_clients[:6])
            more = f" and {len(plan.new_clients) - 6} more" if len(plan.new_clients) > 6 else ""
            text.append(f"New clients: {names}{more}\n")
        for name, close in plan.close_misses[:3]:
            text.append(
                f"'{visible(name)}' is new; did you mean the stored client '{visible(close)}'?\n", style="yellow"
            )
        for note in plan.notes[:3]:
            text.append(visible(note) + "\n", style="dim")
        if plan.rejected:
            text.append(
                f"{len(plan.rejected)} row(s) cannot be imported (below): ctrl+s asks to import the rest, or fix the file.",
                style="bold red",
            )
        elif plan.changes:
            text.append("ctrl+s imports it.", style="dim")
        else:
            text.append("Nothing to import: every invoice is stored already.", style="dim")
        summary.update(text)
        for n, r in enumerate(plan.rejected[:500]):
            table.add_row(
                Text(str(r.line)),
                Text(visible(r.column)),
                Text(visible(r.value)),
                Text(visible(r.expected), style="red"),
                key=str(n),
            )

    def action_run_import(self) -> None:
        if self.workspace.read_only:
            self._say("This session is read-only: nothing can be imported.", error=True)
            return
        plan = self._make_plan()
        if plan is None:
            return
        self._show_plan()
        self.query_one("#imp-tabs", TabbedContent).active = "tab-dryrun"
        if not plan.changes:
            self._say("Nothing to import: every invoice in the file is stored already.")
            return
        new, updated, clients = len(plan.new), len(plan.updated), len(plan.new_clients)
        what = f"{new} new and {updated} updated invoice(s)" + (f" and {clients} new client(s)" if clients else "")
        if plan.rejected:
            question = (
                f"{len(plan.rejected)} row(s) of {visible(self.path.name)} cannot be imported (listed on the dry "
                f"run). Import the rest, {what}, and leave those rows out?"
            )
        else:
            question = f"Import {what} from {visible(self.path.name)} into {visible(str(self.workspace.path))}?"

        def answer(yes: bool | None) -> None:
            if yes:
                self._write(plan, skip_bad=bool(plan.rejected))

        self.app.push_screen(ConfirmScreen(question, yes="Import"), answer)

    def _write(self, plan: ImportPlan, *, skip_bad: bool) -> None:
        def done(written: ImportPlan) -> None:
            self.written = written
            self.plan = None
            self.changed()
            self._show_plan()
            self._say(f"Imported {visible(self.path.name)}: {written.summary()}")
            self.notify(f"Imported: {written.summary()}", title="Import", timeout=6, markup=False)

        def failed(exc: Exception) -> None:
            if isinstance(exc, RowsRejected):
                message = f"{exc}"
            else:
                message = describe_error(exc)
            self._say(f"Nothing was imported: {message}", error=True)
            self.notify(message, title="Nothing was imported", severity="error", markup=False)

        self.advisor.write(lambda: self.workspace.plan_import_csv(plan, skip_bad=skip_bad), done, failed)

    # ------------------------------------------------------------------ saving the mapping

    def action_save_profile(self) -> None:
        missing = [FIELD_LABELS[f] for f in REQUIRED if f not in self.columns]
        if self.path is None or missing:
            self._say(
                "Read a file and choose its columns first"
                + (f" (missing: {', '.join(missing)})" if self.path is not None else "")
                + ": a profile is the mapping of a file's columns.",
                error=True,
            )
            return
        profile = self.profile()
        suggested = default_profile_path(self.base.name + "-mine" if self.base is not None else "my-export")

        def chosen(path: str | None, overwrite: bool = False) -> None:
            if path is None:
                return
            try:
                written = save_profile(profile, path, overwrite=overwrite)
            except ProfileExists:
                self.app.push_screen(
                    ConfirmScreen(f"{visible(path)} exists. Overwrite it with this mapping?", yes="Overwrite"),
                    lambda yes: chosen(path, True) if yes else None,
                )
                return
            except (PathProblem, ProfileError) as exc:
                self._say(f"The profile was not saved: {exc}", error=True)
                return
            shown = visible(str(written))
            self._say(f"Saved the profile {shown}. On the command line: tui-advisor import FILE.csv --profile {shown}")
            self.notify(f"Saved the profile {shown}", title="Profile saved", timeout=6, markup=False)

        self.app.push_screen(SaveProfileScreen(str(suggested)), chosen)

    # ------------------------------------------------------------------ keys

    def action_tab(self, index: int) -> None:
        self.query_one("#imp-tabs", TabbedContent).active = TABS[index]

    def action_next_tab(self) -> None:
        tabs = self.query_one("#imp-tabs", TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + 1) % len(TABS)] if tabs.active in TABS else TABS[0]

    def action_close(self) -> None:
        self.dismiss()


class SaveProfileScreen(ModalScreen["str | None"]):
    """Where to save the mapping as a profile (a .toml file). Returns the path typed, or None."""

    DEFAULT_CSS = """
    SaveProfileScreen { align: center middle; }
    """

    BINDINGS = [
        Binding("ctrl+s", "ok", "Save", id="save_profile_ok", priority=True),
        Binding("escape", "cancel", "Cancel", id="save_profile_cancel"),
    ]

    def __init__(self, suggested: str):
        super().__init__()
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                Text(
                    "Save the mapping as a profile file (TOML). The command line reads it with "
                    "`tui-advisor import FILE.csv --profile PATH`.",
                ),
                classes="dialog-text",
            )
            yield Input(value=self.suggested, id="profile-path")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="ok")
                yield Button("Cancel  esc", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.action_ok()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_ok()

    def action_ok(self) -> None:
        self.dismiss(self.query_one("#profile-path", Input).value)

    def action_cancel(self) -> None:
        self.dismiss(None)
