"""A modal form for any kind of record, keyboard first, a validator on every field.

Each field shows its error in words next to it ("price must be a number, e.g.
12500"); a date shows how it was read before saving. Save (ctrl+s) runs the
caller's save function: when it reports problems, they are shown and nothing is
stored; escape cancels and loses nothing already stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.types import NoActiveAppError
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Label, Select, Static

from ... import numbers, plausible
from ...forms import FieldDef, FieldError, in_style
from ...model import Problem
from ...safetext import visible
from ...workspace import Conflict

# (values, force=False[, base=(record, revision)]) -> the problems found (nothing is saved:
# model.Problem, which names its field, or a line of text), or the workspace's Write that saves it
# (the app runs it in a thread; it may fail with store.Conflict, StoreError, ValidationError). A
# function that takes ``base`` saves onto that record as read at that revision instead of the one
# the form opened on (after "keep my changes over the reloaded record")
SaveFunction = Callable[..., Any]


class FieldValidator(Validator):
    def __init__(self, field: FieldDef):
        super().__init__()
        self.field = field

    def validate(self, value: str) -> ValidationResult:
        try:
            self.field.parse(value)
        except FieldError as exc:
            return self.failure(str(exc))
        return self.success()


class Hint(Static):
    """The line under a field (its help, how a value was read, what is wrong), not shown while
    it has nothing to say: an 80x24 terminal shows more fields at once."""

    def __init__(self, content: Text, **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self.display = bool(content.plain)

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        super().update(content, layout=layout)
        self.display = bool(content.plain if isinstance(content, Text) else str(content))


SELECT_TYPES = ("score", "choice", "client", "engagement", "yesno", "rule")
AMOUNT_TYPES = ("number", "signed", "percent")  # a typed number shows how it was read: 'read as 97.250,00 EUR'
# a field filled from another while it is empty (or holds what was filled): target -> (source, the
# target's value from the source's, what the hint says: 'due filled from the payment term (30 days)')
Fills = dict[str, tuple[str, Callable[[Any], Any], str]]


class FormScreen(ModalScreen[bool]):
    """Returns True when saved, False when cancelled."""

    AUTO_FOCUS = "Input, Select"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form_save", priority=True, tooltip="Check every field and save"),
        Binding("escape", "cancel", "Cancel", id="form_cancel", tooltip="Close without saving"),
    ]

    def __init__(
        self,
        title: str,
        fields: tuple[FieldDef, ...],
        values: dict[str, Any],
        choices: dict[str, list[tuple[str, str]]],
        save: SaveFunction,
        what: str = "",
        fills: Fills | None = None,
        kind: str = "",
    ):
        super().__init__()
        self.kind = kind  # the kind of record ('invoices', 'agency'): what plausible.questions asks about
        self._asked: set[tuple[str, str]] = set()  # (field, text) asked "is this right?" about: not again
        fields = self._in_agency_style(fields)  # amounts read and shown in the agency's number style
        self.fills = dict(fills or {})
        self._filled: dict[str, str] = {}  # target -> the text filled in (typed over: no longer filled)
        values = dict(values)
        by_name = {f.name: f for f in fields}
        for target, (source, derive, _note) in self.fills.items():
            derived = derive(values[source]) if values.get(target) is None and values.get(source) is not None else None
            if derived is not None:  # None: nothing to fill (a date past the calendar's end)
                values[target] = derived
                self._filled[target] = by_name[target].show(derived)
        self.form_title = title
        self.what = what  # 'this invoice': what Esc asks before discarding the changes to it
        self._opened_with: dict[str, Any] | None = None  # what the fields held when the form opened
        self.fields = fields
        self.values = values
        self.choices = choices
        self.save_function = save
        self.saving = False  # a save is under way (it may wait for a teammate's lock)
        self._pending: Any = None  # the Write of the last save (its merge with a teammate's change)
        self._base: tuple[Any, int] | None = None  # (record, revision) reloaded under the typed changes
        self._over: dict[str, str] = {}  # field -> the teammate whose change the kept typed value replaces
        self._close_when_shown = False
        self._focus_after: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            title = Text(self.form_title, style="bold")
            title.append("    ctrl+s save · esc cancel · tab next field", style="dim")
            yield Label(title, id="form-title")
            yield Static("", id="form-errors")
            status = Static("", id="form-status")  # while a save waits (for the lock)
            status.display = False
            yield status
            with VerticalScroll(id="form-fields"):
                for f in self.fields:
                    with Horizontal(classes="field-row"):
                        yield Label(Text(f.label + (" *" if f.required else "")), classes="field-label")
                        yield self._widget(f)
                    yield Hint(self._hint(f, None), id=f"hint-{f.name}", classes="hint")
            with Horizontal(id="form-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self._opened_with = self.typed()

    def typed(self) -> dict[str, Any]:
        """What each field holds now, as typed or picked (not parsed)."""
        out: dict[str, Any] = {}
        for f in self.fields:
            raw = self.query_one(f"#f-{f.name}").value  # type: ignore[attr-defined]  # an Input or a Select
            out[f.name] = None if raw is Select.NULL else raw
        return out

    @property
    def changed(self) -> bool:
        """Has anything been typed or picked since the form opened?"""
        return self._opened_with is not None and self.typed() != self._opened_with

    def _widget(self, f: FieldDef) -> Input | Select:
        value = self.values.get(f.name)
        if f.type in SELECT_TYPES:
            if f.type == "score":
                options = [(Text(f"{n}"), str(n)) for n in range(1, 6)]
            elif f.type == "yesno":
                options = [(Text("yes"), "yes"), (Text("no"), "no")]
            elif f.type == "choice":
                options = [(Text(o.replace("_", " ")), o) for o in f.options]
            else:
                options = [(Text(label), v) for label, v in self.choices.get(f.name, [])]
            current = f.show(value) if f.type in ("score", "yesno") else value
            allowed = {v for _, v in options}
            return Select(
                options,
                prompt="(pick one)" if f.required else "(none)",
                allow_blank=not f.required or current not in allowed,
                value=current if current in allowed else Select.NULL,
                id=f"f-{f.name}",
                compact=True,
            )
        return Input(
            value=f.show(value),
            placeholder=f.example and f"e.g. {f.example}",
            compact=True,
            validators=[FieldValidator(f)],
            validate_on=["changed", "submitted"],
            id=f"f-{f.name}",
        )

    def _hint(self, f: FieldDef, error: str | None) -> Text:
        if error:
            return Text(error, style="bold red")
        text = Text(f.help, style="dim")
        if f.type == "date":
            value = self.values.get(f.name)
            if self.is_mounted:  # what the field holds now, not what the form opened with
                try:
                    value = f.parse(self.query_one(f"#f-{f.name}", Input).value)
                except FieldError:
                    value = None
            if value is not None:
                text = Text(f"read as {value:%A %d %B %Y}", style="green")
                text.append(self._fill_note(f.name))
        elif self.is_mounted and f.type in AMOUNT_TYPES:
            typed = self.query_one(f"#f-{f.name}", Input).value
            try:
                reading = self._reading(f, typed, f.parse(typed))
            except FieldError:
                reading = None
            if reading is not None:
                text = Text(reading, style="green")
        return text

    def _reading(self, f: FieldDef, typed: str, value: Any) -> str | None:
        """'read as 97.250,00 EUR': how a number typed into the field was read (in the agency's
        number style), or None while it holds what the form opened with (nothing typed to read)."""
        if typed == f.show(self.values.get(f.name)):
            return None
        return f.reading(value)

    def _workspace_agency(self) -> tuple[Any, Any]:
        """The open agency's data and profile (its number style, its currency), or (None, None)
        outside the app (a form built by a test without one)."""
        try:
            app = self.app  # also while __init__ runs: the app that builds the form is the active one
        except NoActiveAppError:
            return None, None
        data = getattr(getattr(app, "workspace", None), "data", None)
        return data, getattr(data, "agency", None)

    def _in_agency_style(self, fields: tuple[FieldDef, ...]) -> tuple[FieldDef, ...]:
        _data, agency = self._workspace_agency()
        return fields if agency is None else in_style(fields, agency)

    def _ask(self, values: dict[str, Any]) -> bool:
        """Ask "is this right?" about the values that look like a slip (plausible.questions: a balance
        90% below the previous one, an amount a hundred times the client's usual...), once: True when
        asked (nothing is saved; the next ctrl+s saves what is typed as it is)."""
        data, agency = self._workspace_agency()
        if not self.kind or data is None:
            return False
        found = plausible.questions(
            self.kind, values, data, decimal=numbers.style_for(agency), currency=str(agency.currency or "")
        )
        typed = self.typed()
        new = [q for q in found if (q.field, str(typed.get(q.field))) not in self._asked]
        if not new:
            return False
        self._asked.update((q.field, str(typed.get(q.field))) for q in found)
        shown = {f.name for f in self.fields}
        for q in new:
            if q.field in shown:
                self.query_one(f"#hint-{q.field}", Static).update(Text(f"Is this right? {q.text}", style="bold yellow"))
        lines = [f"Is this right? {q.text}" for q in new]
        lines.append("ctrl+s again saves it as typed; or change it and save.")
        box = self.query_one("#form-errors", Static)
        box.update(Text("\n".join(lines), style="bold yellow"))
        box.display = True
        first = next((q.field for q in new if q.field in shown), None)
        if first is not None:
            self.query_one(f"#f-{first}").focus()
        return True

    def _fill_note(self, name: str) -> str:
        """' · due filled from the payment term (30 days)' while the field holds what was filled."""
        filled = self._filled.get(name)
        if filled is None or (self.is_mounted and self.query_one(f"#f-{name}", Input).value != filled):
            return ""
        return f" · {self.fills[name][2]}"

    def _fill_from(self, source: str) -> None:
        """Fill the fields derived from ``source`` (an invoice's due date from its issue date) that are
        empty or still hold what was filled; a field typed over is left alone."""
        by_name = {f.name: f for f in self.fields}
        for target, (src, derive, _note) in self.fills.items():
            if src != source:
                continue
            widget = self.query_one(f"#f-{target}", Input)
            if widget.value.strip() and widget.value != self._filled.get(target):
                continue  # typed by hand
            try:
                value = by_name[src].parse(self.query_one(f"#f-{src}", Input).value)
            except FieldError:
                continue  # still being typed: what was filled stays
            if value is None:
                continue
            derived = derive(value)
            if derived is None:
                continue
            text = by_name[target].show(derived)
            self._filled[target] = text
            if widget.value != text:
                widget.value = text

    # ------------------------------------------------------------------ live checks

    def on_input_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        f = next((x for x in self.fields if x.name == name), None)
        if f is None:
            return
        hint = self.query_one(f"#hint-{name}", Static)
        try:
            value = f.parse(event.value)
        except FieldError as exc:
            hint.update(Text(str(exc), style="bold red"))
            return
        if f.type == "date" and value is not None:
            hint.update(Text(f"read as {value:%A %d %B %Y}", style="green") + Text(self._fill_note(name)))
        elif (reading := self._reading(f, event.value, value)) is not None:
            hint.update(Text(reading, style="green"))  # an amount: 'read as 97.250,00 EUR'
        else:
            hint.update(Text(f.help, style="dim"))
        self._fill_from(name)

    def on_select_changed(self, event: Select.Changed) -> None:
        """An invoice's engagement is picked among the chosen client's engagements only."""
        if event.select.id != "f-client" or not any(f.type == "engagement" for f in self.fields):
            return
        owner: Any = self.choices.get("engagement_client", {})
        client = event.value if event.value is not Select.NULL else None
        options = [
            (Text(label), v)
            for label, v in self.choices.get("engagement", [])
            if client is None or dict(owner).get(v) == client
        ]
        engagement = self.query_one("#f-engagement", Select)
        current = engagement.value
        engagement.set_options(options)
        if current in {v for _, v in options}:
            engagement.value = current

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    # ------------------------------------------------------------------ save / cancel

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for f in self.fields:
            widget = self.query_one(f"#f-{f.name}")
            raw = widget.value  # type: ignore[attr-defined]  # every field's widget is an Input, a Select or a Checkbox
            if isinstance(widget, Select) and (raw is Select.NULL or raw is None):
                raw = None
            try:
                values[f.name] = f.parse(raw)
            except FieldError as exc:
                errors[f.name] = str(exc)
        return values, errors

    def action_save(self) -> None:
        if self.saving:
            self._still_saving()
            return
        values, errors = self.collect()
        for f in self.fields:
            self.query_one(f"#hint-{f.name}", Static).update(self._hint(f, errors.get(f.name)))
        if errors:
            self._show_errors([f"{len(errors)} field{'s' if len(errors) > 1 else ''} to fix before saving"])
            self.query_one(f"#f-{next(iter(errors))}").focus()
            return
        self._submit(values)

    def _submit(self, values: dict[str, Any], force: bool = False) -> None:
        """Check the values, then store them in the background: the form stays open, its fields
        kept as typed (and not editable) until the save is done; the app answers keys meanwhile."""
        try:
            outcome = self.save_function(values, force=force, **({"base": self._base} if self._base else {}))
        except Conflict as exc:
            self._resolve(exc, values)
            return
        except Exception as exc:  # refused in a way the caller did not word: say so, keep every field
            self._failed(values, exc)
            return
        if isinstance(outcome, list):  # refused before anything was written
            self._after_save(outcome)
            return
        if not force and self._ask(values):  # valid, but it looks like a slip: "is this right?", once
            return  # (the planned write is dropped unrun: nothing was written)
        merging = getattr(outcome, "merging", None)
        if self._over and self._base is not None and merging is not None:  # typed changes kept over a reload:
            theirs = self._base[0]  # the teammates whose changes they replace are told (the audit log)
            lost: dict[str, list[str]] = {}
            for name, user in self._over.items():
                if name in values and values[name] != getattr(theirs, name, None):
                    lost.setdefault(user, []).append(name)
            merging.overwrote = [{"user": user, "fields": names} for user, names in lost.items()]
        self._store(outcome, values)

    def _store(self, outcome: Any, values: dict[str, Any]) -> None:
        """Run the save's Write in the background (again, after a clash was settled)."""
        self._pending = outcome
        write = getattr(self.app, "write", None)
        if write is None:  # an app without background writes: save at once
            try:
                outcome.now()
            except Exception as exc:
                self._failed(values, exc)
                return
            self._saved()
            return
        self._saving(True)
        write(
            lambda: outcome,
            lambda _result: self._saved(),
            lambda exc: self._failed(values, exc),
            status=self._show_status,
        )

    def _saved(self) -> None:
        self._saving(False)
        merging = getattr(self._pending, "merging", None)
        said = merging.said() if merging is not None else ""
        if said:  # 'merged with bob's change to Hourly rate'
            self.app.notify(f"Saved, {said}.", title="Merged", timeout=8, markup=False)
        self._after_save([])

    def _failed(self, values: dict[str, Any], exc: Exception) -> None:
        """Nothing was stored: say why; every field still holds what was typed."""
        from ... import model
        from ...workspace import StoreError

        self._saving(False)
        if isinstance(exc, Conflict):
            self._resolve(exc, values)
        elif isinstance(exc, model.ValidationError):
            self._after_save(exc.items)
        elif isinstance(exc, StoreError):
            self._after_save([f"Not saved: {exc.message}", "Everything you typed is still here: ctrl+s tries again."])
        else:
            self._after_save(
                [f"Not saved: {type(exc).__name__}: {exc}", "Everything you typed is still here: ctrl+s tries again."]
            )

    def _saving(self, on: bool) -> None:
        """While a save is under way, the fields keep what was typed and take no key (what is
        typed then would not be in what is saved); the form still scrolls (the keys go to its
        list of fields) and the app answers every key."""
        self.saving = on
        if on:
            focused = self.app.focused
            self._focus_after = focused.id if focused is not None and focused.screen is self else None
        for widget in self.query("#form-fields Input, #form-fields Select"):
            widget.disabled = on
        self.query_one("#save", Button).disabled = on
        if on:
            self.query_one("#form-fields").focus()
        elif self._focus_after and self.is_current:
            self.query_one(f"#{self._focus_after}").focus()

    def _show_status(self, text: str | None) -> None:
        if not self.is_mounted:
            return
        status = self.query_one("#form-status", Static)
        status.display = bool(text)
        if text:
            status.update(
                Text(f"{text}. The form stays open until it is saved; your entries are kept.", style="bold yellow")
            )

    def _still_saving(self) -> None:
        self.notify(
            "Still saving: the form closes when it is saved, or says why not (nothing typed is lost).", timeout=4
        )

    def on_screen_resume(self) -> None:
        if self._close_when_shown:
            self._close_when_shown = False
            self.dismiss(True)

    def _resolve(self, conflict: Conflict, values: dict[str, Any]) -> None:
        """A teammate changed or deleted the record since this form opened: ask what to do. A
        change of the same fields as this one (a clash: a change of other fields was merged
        without asking) shows theirs and yours side by side, to keep one of each."""
        from ...workspace.merge import MergeClash
        from .dialogs import ConflictScreen

        merging = getattr(self._pending, "merging", None)
        if isinstance(conflict, MergeClash) and merging is not None and merging.clash is conflict:
            self._ask_merge(conflict, values)
            return

        def chosen(choice: str | None) -> None:
            if choice == "overwrite":
                self._submit(values, force=True)
            elif choice == "reload":
                self._reload(conflict)

        self.app.push_screen(ConflictScreen(conflict), chosen)

    def _ask_merge(self, clash: Any, values: dict[str, Any]) -> None:
        """Theirs and yours of each field you both changed (MergeScreen); the choices are saved
        onto the stored record, the audit log noting whose change they replace."""
        from .dialogs import MergeScreen

        write = self._pending

        def check(choices: dict[str, str]) -> str | None:
            problems = clash.merge.problems_of(choices)
            return "; ".join(p.text() for p in problems) if problems else None

        def chosen(answer: tuple[str, dict[str, str]] | None) -> None:
            if answer is None:
                return  # back to the form, as typed; nothing written
            action, choices = answer
            if action == "reload":
                self._reload(clash)
                return
            write.merging.resolve(choices)
            self._store(write, values)

        self.app.push_screen(MergeScreen(clash, self._show_value, check, self.what or "this record"), chosen)

    def _typed_changes(self) -> list[str]:
        """The labels of the fields typed or picked since the form opened (or was reloaded)."""
        typed, opened = self.typed(), self._opened_with or {}
        return [f.label for f in self.fields if typed.get(f.name) != opened.get(f.name)]

    def _reload(self, conflict: Conflict) -> None:
        """Drop the typed changes and show the record as stored, saying first what is lost; or keep
        them over the reloaded record (the form stays, its other fields now the stored ones)."""
        from ...workspace.merge import MergeClash
        from .dialogs import ReloadScreen

        def reload() -> None:
            self.app.action_reload()  # type: ignore[attr-defined]
            self.dismiss(False)

        changed = self._typed_changes()
        if not changed:
            reload()
            return
        theirs = conflict.merge.theirs if isinstance(conflict, MergeClash) else None
        keep = theirs is not None and self._takes_base()
        who = visible(conflict.by) if conflict.by else "a teammate"
        what = self.what or "this record"
        if conflict.deleted:
            question = f"Reload without {what} ({who} deleted it)? Your changes to {', '.join(changed)} will be lost."
        else:
            question = f"Reload {who}'s version of {what}? Your changes to {', '.join(changed)} will be lost"
            question += ", unless you keep them over it (k)." if keep else "."

        def answer(choice: str | None) -> None:
            if choice == "discard":
                reload()
            elif choice == "keep" and theirs is not None:
                self._rebase(conflict, who)

        self.app.push_screen(ReloadScreen(question, keep=keep), answer)

    def _takes_base(self) -> bool:
        import inspect

        try:
            params = inspect.signature(self.save_function).parameters.values()
        except (TypeError, ValueError):
            return False
        return any(p.name == "base" or p.kind is inspect.Parameter.VAR_KEYWORD for p in params)

    def _rebase(self, clash: Any, who: str) -> None:
        """The reloaded record (the clash's theirs) under the typed changes: each field not typed in
        shows theirs, a typed one keeps what was typed; the next save is made onto theirs at its
        revision, and tells the teammates whose changes a kept one replaces."""
        theirs, revision = clash.merge.theirs, clash.rev
        typed, opened = self.typed(), dict(self._opened_with or {})
        kept = [f for f in self.fields if typed.get(f.name) != opened.get(f.name)]
        for f in self.fields:
            value = getattr(theirs, f.name, None)
            self.values[f.name] = value
            widget = self.query_one(f"#f-{f.name}")
            shown: Any = f.show(value) if f.type not in SELECT_TYPES or f.type in ("score", "yesno") else value
            if isinstance(widget, Select):
                shown = Select.NULL if shown in (None, "") else shown
                if f not in kept:
                    try:
                        widget.value = shown
                    except Exception:  # not one of its options (an archived client): left as it was
                        shown = widget.value
                opened[f.name] = None if shown is Select.NULL else shown
            else:
                if f not in kept:
                    widget.value = shown  # type: ignore[attr-defined]
                opened[f.name] = shown
        self._opened_with = opened
        self._base = (theirs, revision)
        own = getattr(getattr(self.app, "workspace", None), "user", None)
        self._over = {
            c.field: clash.who.get(c.field, (clash.by, ""))[0] or clash.by
            for c in clash.merge.clashes
            if any(f.name == c.field for f in kept)
        }
        self._over = {name: user for name, user in self._over.items() if user and user != own}
        labels = ", ".join(f.label for f in kept)
        self.app.notify(
            f"Reloaded {who}'s version; your changes to {labels} are kept over it. ctrl+s saves them.",
            title="Reloaded",
            timeout=8,
            markup=False,
        )

    def _show_value(self, name: str, value: Any) -> str:
        """A field's value as the form shows it (numbers in the agency's style), for MergeScreen."""
        f = next((x for x in self.fields if x.name == name), None)
        if f is None and self.kind:
            from ...forms import field_def, in_style
            from ...model import KINDS

            spec = KINDS[self.kind].by_name.get(name) if self.kind in KINDS else None
            if spec is not None:
                _data, agency = self._workspace_agency()
                f = field_def(spec)
                f = in_style((f,), agency)[0] if agency is not None else f
        if isinstance(value, list):
            return _list_text(value)
        if value is None or value == "":
            return "(empty)"
        if f is None:
            return str(value)
        if f.type in ("client", "engagement", "rule"):
            label = next((str(lab) for lab, v in self.choices.get(name, []) if v == value), None)
            return label or str(value)
        if f.type == "choice":
            return str(value).replace("_", " ")
        return f.show(value)

    def _after_save(self, problems: list[Problem] | list[str]) -> None:
        if problems:
            general = []
            marked: list[str] = []
            labels = {f.name: f.label for f in self.fields}
            for p in problems:
                name = p.field if isinstance(p, Problem) else None  # the field the problem is about
                if isinstance(p, Problem) and name in labels:
                    self.query_one(f"#hint-{name}", Static).update(Text(f"{labels[name]} {p.text()}", style="bold red"))
                    marked.append(name)
                else:
                    general.append(str(p))
            self._show_errors(general or ["Not saved: see the fields marked in red"])
            if marked:  # the cursor goes where the fix is to be typed
                self.query_one(f"#f-{marked[0]}").focus()
            return
        if self.is_current:
            self.dismiss(True)
        else:  # saved while another screen is shown (dismiss closes the screen on top): close when back
            self._close_when_shown = True

    def _show_errors(self, lines: list[str]) -> None:
        box = self.query_one("#form-errors", Static)
        box.update(Text("\n".join(lines), style="bold red"))
        box.display = bool(lines)

    def action_cancel(self) -> None:
        if self.saving:  # the save goes on: the form stays until it is over
            self._still_saving()
            return
        if not self.changed:
            self.dismiss(False)
            return
        from .dialogs import DiscardScreen

        def answer(discard: bool | None) -> None:
            if discard and self.is_current:
                self.dismiss(False)

        self.app.push_screen(DiscardScreen(f"Discard your changes to {self.what or 'this form'}?"), answer)


def _list_text(items: list[Any]) -> str:
    """A list field in one line: an action's steps as '2 steps, 1 done: call (2026-12-03) ✓; write (2026-12-10)'."""
    if not items:
        return "(none)"
    parts = []
    done = 0
    for item in items:
        title = getattr(item, "title", None)
        if title is None:
            parts.append(str(item))
            continue
        due = getattr(item, "due", None)
        ticked = getattr(item, "done", None) is not None
        done += ticked
        parts.append(f"{title}" + (f" ({due.isoformat()})" if due else "") + (" ✓" if ticked else ""))
    head = f"{len(items)} step{'s' if len(items) != 1 else ''}, {done} done: " if done or parts else ""
    return head + "; ".join(parts)
