"""The review's small dialogs: a decision on an item, a teammate's decision met, closing.

Each returns what was typed (checked) and changes nothing itself: the review screen makes
the change (ui/screens/review.py), so a clash with a teammate's decision is met there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ... import model
from ...forms import FieldError, parse_date
from ...safetext import control_problem, visible, visible_lines

VERB = {"accept": "accepted", "dismiss": "dismissed", "snooze": "snoozed", "park": "parked"}


@dataclass
class Field:
    name: str
    label: str
    value: str = ""
    required: bool = False
    kind: str = "text"  # "text" | "date" | "rating" | "names"
    limit: int = model.MAX_NAME
    placeholder: str = ""


def _check(f: Field, raw: str, today: date) -> Any:
    """The value of a field as typed, or FieldError saying what is wrong with it."""
    text = raw.strip()
    if not text:
        if f.required:
            raise FieldError(f"{f.label} is required")
        return None
    problem = control_problem(text)
    if problem:
        raise FieldError(f"{f.label} {problem}")
    if f.kind == "date":
        value = parse_date(text, f.label)
        if value <= today:
            raise FieldError(f"{f.label} must be after today ({today.isoformat()})")
        return value
    if f.kind == "rating":
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 10:
            raise FieldError(f"{f.label} must be a whole number from 1 to 10, or empty")
        return int(text)
    if f.kind == "names":
        names = [" ".join(n.split()) for n in text.split(",")]
        names = list(dict.fromkeys(n for n in names if n))
        long = next((n for n in names if len(n) > model.MAX_NAME), None)
        if long is not None:
            raise FieldError(f"{f.label}: a name holds at most {model.MAX_NAME} characters")
        return names
    if len(text) > f.limit:
        raise FieldError(f"{f.label} holds at most {f.limit} characters ({len(text)} typed)")
    return text


class FieldsDialog(ModalScreen["dict[str, Any] | None"]):
    """A question and a few fields; ctrl+s (or enter in the last field) checks and returns
    ``{name: value}`` (None for an empty optional field); esc returns None."""

    BINDINGS = [
        Binding("ctrl+s", "ok", "OK", id="review_dialog_ok", priority=True),
        Binding("escape", "cancel", "Cancel", id="review_dialog_cancel"),
    ]
    AUTO_FOCUS = "Input"

    def __init__(self, question: str, fields: list[Field], today: date, *, ok: str = "OK"):
        super().__init__()
        self.question = question
        self.fields = fields
        self.today = today
        self.ok_label = ok

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog review-dialog"):
            yield Label(Text(visible_lines(self.question)), classes="dialog-text")
            for f in self.fields:
                yield Label(Text(f.label + (" *" if f.required else "")), classes="review-field-label")
                yield Input(value=f.value, placeholder=f.placeholder, id=f"rf-{f.name}", compact=True)
            yield Static("", id="review-dialog-error", classes="hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.ok_label}  ctrl+s", variant="primary", id="ok")
                yield Button("Cancel  esc", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.action_ok()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: the next field, or OK in the last one."""
        ids = [f"rf-{f.name}" for f in self.fields]
        at = ids.index(event.input.id) if event.input.id in ids else len(ids) - 1
        if at + 1 < len(ids):
            self.query_one(f"#{ids[at + 1]}", Input).focus()
        else:
            self.action_ok()

    def values(self) -> dict[str, Any]:
        """What the fields hold, checked; FieldError for the first one that is wrong."""
        out: dict[str, Any] = {}
        for f in self.fields:
            widget = self.query_one(f"#rf-{f.name}", Input)
            try:
                out[f.name] = _check(f, widget.value, self.today)
            except FieldError:
                widget.focus()
                raise
        return out

    def action_ok(self) -> None:
        try:
            values = self.values()
        except FieldError as exc:
            self.query_one("#review-dialog-error", Static).update(Text(visible(str(exc)), style="bold red"))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


def decision_fields(kind: str, *, user: str, today: date, note: str = "") -> list[Field]:
    """The fields a decision of ``kind`` asks for (``note``: only the note of the item)."""
    from datetime import timedelta

    note_field = Field("note", "Note (for the minutes)", note, limit=model.MAX_NOTE, placeholder="optional")
    if kind == "accept":
        return [
            Field("owner", "Owner", user, required=True, placeholder="who does it"),
            Field("due", "First step due", (today + timedelta(days=7)).isoformat(), required=True, kind="date"),
            note_field,
        ]
    if kind == "dismiss":
        reason = Field("reason", "Reason", required=True, limit=model.MAX_SENTENCE, placeholder="why not now")
        return [reason, note_field]
    if kind == "snooze":
        until = Field("until", "Until (date)", (today + timedelta(days=14)).isoformat(), required=True, kind="date")
        return [until, Field("reason", "Reason", limit=model.MAX_SENTENCE, placeholder="optional"), note_field]
    return [note_field]  # park, or a note only


def describe_decision(d: Any, when: str = "") -> str:
    """'dismissed by bob 2026-12-01 18:22 CET: “not now”': a decision in words, every text
    a teammate typed shown with its controls as escapes."""
    who = visible(d.by) or "someone"
    verb = VERB.get(d.kind, visible(d.kind))
    text = f"{verb} by {who}" + (f" {when}" if when else "")
    if d.kind == "snooze" and d.until:
        text = f"snoozed until {d.until.isoformat()} by {who}" + (f" {when}" if when else "")
    if d.kind == "accept" and getattr(d, "owner", ""):
        text += f": owner {visible(d.owner)}"
    if getattr(d, "reason", ""):
        text += f": “{visible(' '.join(d.reason.split()))}”"
    return text


class ClashScreen(ModalScreen["str | None"]):
    """'bob dismissed it 20 seconds ago: “not now”': keep theirs (k, esc) or replace it with
    mine (r). Returns 'keep' or 'replace'."""

    BINDINGS = [
        Binding("k,escape", "choose('keep')", "Keep theirs", id="review_clash_keep"),
        Binding("r", "choose('replace')", "Replace with mine", id="review_clash_replace"),
    ]

    def __init__(self, theirs_text: str, mine_text: str):
        super().__init__()
        self.theirs_text = theirs_text
        self.mine_text = mine_text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="review-clash"):
            yield Label(Text("Decided meanwhile by a teammate", style="bold"), classes="dialog-text")
            yield Static(Text(visible_lines(self.theirs_text)), id="clash-theirs", classes="dialog-text")
            yield Static(Text(visible_lines(f"Yours: {self.mine_text}"), style="dim"), id="clash-mine")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep theirs  k", variant="primary", id="keep")
                yield Button("Replace with mine  r", variant="warning", id="replace")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
