"""Saving a record that a teammate changed meanwhile: a field-level, three-way merge.

``base`` is the record as the editor read it (the form opened on it), ``theirs`` the one
stored now, ``mine`` the editor's. A field only one side changed takes that side's
value; a field both changed to the same value is no clash; a field both changed to
different values is a :class:`FieldClash`, which the editor settles (theirs or mine).
A list (an action item's steps) is one value: changed as a whole, compared as a whole.

:func:`merge_records` is pure (records of the model in, a :class:`MergeResult` out).
:class:`MergingSave` is the save the workspace runs in its writing thread: it puts the
record with the revision it was read at; when the store finds that a teammate changed it
(store.Conflict, under the lock, in the same transaction), it merges onto the stored
record, checks the merged one with the model's domain rules, and the store validates and
writes that one instead (their change kept), or it raises :class:`MergeClash` (nothing
written) for the editor to choose. A record the teammate deleted stays a plain Conflict. The fields of theirs a save replaces are
written into its audit entry (``overwrote``), so the teammate is told.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import model
from ..safetext import visible
from ..store import Conflict, Store, StoreError

THEIRS, MINE = "theirs", "mine"


def merge_fields(kind: str) -> tuple[str, ...]:
    """The fields compared, in the kind's order: every field, then the nested lists (steps)."""
    k = model.KINDS[kind]
    return tuple(f.name for f in k.fields) + tuple(k.nested)


def label_of(kind: str, name: str) -> str:
    """What a person calls a field ('Hourly rate', 'Steps')."""
    spec = model.KINDS[kind].by_name.get(name)
    return spec.label if spec is not None else name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class FieldClash:
    """One field both sides changed, to different values; ``by``/``at``: who made their change, when."""

    field: str
    label: str
    base: Any
    theirs: Any
    mine: Any
    by: str = ""
    at: str = ""


@dataclass(frozen=True)
class MergeResult:
    """What a three-way merge of one record found.

    ``record``: theirs with the fields only I changed (a clash holds their value until
    chosen: :meth:`resolve`); ``problems``: the domain rules the merged record breaks (the
    model's, as a form's save checks them), which make it no clean merge either."""

    kind: str
    base: Any
    theirs: Any
    mine: Any
    record: Any
    theirs_changed: tuple[str, ...]
    mine_changed: tuple[str, ...]
    clashes: tuple[FieldClash, ...]
    problems: tuple[model.Problem, ...] = ()

    @property
    def clean(self) -> bool:
        """Stored as merged, without asking."""
        return not self.clashes and not self.problems

    @property
    def choosable(self) -> tuple[str, ...]:
        """The fields the editor chooses for: the clashes; when the merged record breaks a rule,
        every field either side changed (any of them may be the one to give up)."""
        if not self.problems:
            return tuple(c.field for c in self.clashes)
        changed = {c.field for c in self.clashes} | set(self.theirs_changed) | set(self.mine_changed)
        return tuple(f for f in merge_fields(self.kind) if f in changed)

    def resolve(self, choices: Mapping[str, str]) -> Any:
        """The record with every clash settled by ``choices`` (field -> THEIRS or MINE); a field
        changed by one side only keeps that side's value unless ``choices`` names it too.
        ValueError when a clash has no choice."""
        missing = [c.label for c in self.clashes if choices.get(c.field) not in (THEIRS, MINE)]
        if missing:
            raise ValueError(f"choose theirs or yours for {', '.join(missing)}")
        mine = {f for f in self.mine_changed if choices.get(f, MINE) == MINE}
        mine |= {f for f, choice in choices.items() if choice == MINE and f in merge_fields(self.kind)}
        mine -= {f for f, choice in choices.items() if choice == THEIRS}
        return _with(self.theirs, {f: getattr(self.mine, f) for f in mine})

    def problems_of(self, choices: Mapping[str, str]) -> list[model.Problem]:
        """The domain rules the record settled by ``choices`` breaks (``model.record_problems``)."""
        return model.record_problems(self.kind, self.resolve(choices))

    def overwritten(self, choices: Mapping[str, str]) -> list[str]:
        """The fields of theirs that ``choices`` replace with mine (their change is lost)."""
        return [
            f
            for f in merge_fields(self.kind)
            if choices.get(f) == MINE
            and getattr(self.theirs, f) != getattr(self.base, f)
            and getattr(self.theirs, f) != getattr(self.mine, f)
        ]


def _with(record: Any, values: Mapping[str, Any]) -> Any:
    return dataclasses.replace(record, **values) if values else record


def merge_records(
    kind: str,
    base: Any,
    theirs: Any,
    mine: Any,
    *,
    who: Mapping[str, tuple[str, str]] | None = None,
) -> MergeResult:
    """The three-way merge of one record (see the module); ``who``: field -> (by, at) of their
    change, for the clashes. The merged record is checked with ``model.record_problems``."""
    theirs_changed, mine_changed, clashes = [], [], []
    for name in merge_fields(kind):
        b, t, m = getattr(base, name), getattr(theirs, name), getattr(mine, name)
        if t == m:
            continue  # nobody changed it, or both to the same value
        if t == b:
            mine_changed.append(name)
        elif m == b:
            theirs_changed.append(name)
        else:
            by, at = (who or {}).get(name, ("", ""))
            clashes.append(FieldClash(name, label_of(kind, name), b, t, m, by, at))
    record = _with(theirs, {f: getattr(mine, f) for f in mine_changed})
    problems = tuple(model.record_problems(kind, record)) if not clashes else ()
    return MergeResult(
        kind, base, theirs, mine, record, tuple(theirs_changed), tuple(mine_changed), tuple(clashes), problems
    )


class MergeClash(Conflict):
    """A teammate changed the same field(s) as the editor (or the merged record breaks a rule):
    nothing was written. ``merge``: what was found; ``rev``: the stored record's revision."""

    def __init__(self, conflict: Conflict, merge: MergeResult, who: Mapping[str, tuple[str, str]] | None = None):
        super().__init__(
            conflict.path,
            conflict.kind,
            conflict.key,
            by=conflict.by,
            at=conflict.at,
            deleted=False,
            current=conflict.current,
            rev=conflict.rev,
            file_rev=conflict.file_rev,
        )
        self.merge = merge
        self.who = dict(who or {})  # field -> (who, when) of their change, from the audit log


@dataclass(frozen=True)
class Merged:
    """A teammate's change a save kept: who, when, the fields."""

    by: str
    at: str
    fields: tuple[str, ...]
    labels: tuple[str, ...]


def record_of(kind: str, js: dict[str, Any]) -> Any:
    """A stored record's JSON as a model record (validated), or None when it does not validate.
    Its references are taken as they are (the store checked them when it was stored)."""
    doc = {"format": model.FORMAT, "version": model.VERSION, kind: [js]}
    k = model.KINDS[kind]
    known: dict[str, Any] = {}
    for name, target in k.references.items():
        known.setdefault(target, set()).add(js.get(name))
        shared = k.agrees.get(name)
        if shared is not None:
            known.setdefault(f"{target}.{shared}", {})[js.get(name)] = js.get(shared)
    try:
        parts = model.validate_document(doc, partial=True, known_ids=known)
    except model.ValidationError:
        return None
    found = parts.get(kind) or []
    return found[0] if found else None


def field_authors(
    store: Store, kind: str, key: Any, since: int, *, upto: int | None = None
) -> dict[str, tuple[str, str]]:
    """Field -> (who, when) of the newest change to it after revision ``since`` (up to ``upto``),
    from the tail of the audit log (empty when it cannot be read: only for what the editor is shown)."""
    out: dict[str, tuple[str, str]] = {}
    try:
        entries = store.entries_since(since, upto=upto)
    except (StoreError, OSError):
        return out
    for entry in entries:
        for change in entry["changes"]:
            if change.get("kind") != kind or _as_key(change.get("key")) != key:
                continue
            before, after = change.get("before") or {}, change.get("after") or {}
            for name in set(before) | set(after):
                if before.get(name) != after.get(name):
                    out[name] = (str(entry.get("by", "")), str(entry.get("at", "")))
    return out


def _as_key(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class MergingSave:
    """One save of a record read at revision ``expected`` as ``base`` (see the module). Runs in
    the writing thread (it touches only the store). ``record``: what it stores (merged, once
    run); ``merged``: the teammates' changes it kept; ``overwrote``: [{"user", "fields"}] of
    teammates whose changes the editor chose to replace (written into the audit entry)."""

    def __init__(
        self,
        store: Store,
        kind: str,
        record: Any,
        base: Any | None,
        *,
        replace_key: Any,
        expected: int | None,
        must_be_new: bool,
        merging: bool,
    ):
        self.store = store
        self.kind = kind
        self.record = record
        self.base = base
        self.replace_key = replace_key
        self.expected = expected
        self.must_be_new = must_be_new
        self.merging = merging and base is not None and expected is not None
        self.merged: list[Merged] = []
        self.overwrote: list[dict[str, Any]] = []
        self.clash: MergeClash | None = None  # the last clash raised, until resolved

    def run(self) -> int:
        """Put the record; a teammate's change of it meanwhile is merged in, under the store's lock
        (one transaction: nobody writes between the merge and the put), or raises MergeClash."""
        return self.store.put(
            self.kind,
            self.record,
            replace_key=self.replace_key,
            expected_rev=self.expected,
            must_be_new=self.must_be_new,
            overwrote=self.overwrote or None,
            on_conflict=self._merge if self.merging else None,
        )

    def _merge(self, exc: Conflict) -> Any:
        """The record merged onto the stored one of the Conflict (called by the store, under the
        lock); MergeClash when it cannot be merged without asking, the Conflict itself when the
        stored record cannot be read as a record."""
        theirs = record_of(self.kind, exc.current) if exc.current is not None else None
        if theirs is None:
            raise exc
        who = field_authors(self.store, self.kind, exc.key, self.expected or 0, upto=exc.file_rev or None)
        result = merge_records(self.kind, self.base, theirs, self.record, who=who)
        if not result.clean:
            self.clash = MergeClash(exc, result, who)
            raise self.clash
        kept = result.theirs_changed
        if kept:
            by = {who.get(f, (exc.by, exc.at)) for f in kept}
            for b, at in sorted(by):
                fields = tuple(f for f in kept if who.get(f, (exc.by, exc.at)) == (b, at))
                self.merged.append(Merged(b, at, fields, tuple(label_of(self.kind, f) for f in fields)))
        self.base, self.record, self.expected = theirs, result.record, exc.rev
        return result.record

    def resolve(self, choices: Mapping[str, str]) -> None:
        """Settle the last clash: the next run stores its record with ``choices`` (onto the stored
        record, at its revision), and says in the audit log whose change it replaced."""
        clash = self.clash
        if clash is None:
            raise RuntimeError("no clash to resolve")
        merge = clash.merge
        self.record = merge.resolve(choices)
        self.base, self.expected = merge.theirs, clash.rev
        lost = merge.overwritten(choices)
        by_user: dict[str, list[str]] = {}
        for f in lost:
            user = clash.who.get(f, (clash.by, ""))[0] or clash.by
            if user and user != self.store.user:
                by_user.setdefault(user, []).append(f)
        for user, fields in by_user.items():
            self.overwrote.append({"user": user, "fields": fields})
        self.clash = None

    def said(self) -> str:
        """'merged with bob's change to Hourly rate' (empty when nothing was merged)."""
        parts = [f"{m.by or 'a teammate'}'s change to {', '.join(m.labels)}" for m in self.merged]
        return "merged with " + " and ".join(parts) if parts else ""


def overwrote_lines(entry: Any, *, which: bool = True) -> list[str]:
    """What an audit entry says its save overwrote, one line a teammate: "overwrote sam's change
    to industry (clients c-acme)" (``which``: the record named too), escaped through safetext. The
    log is shared: a malformed note is left out, at most 10 notes of 20 fields are shown."""
    notes = entry.get("overwrote") if isinstance(entry, dict) else None
    out = []
    for note in notes[:10] if isinstance(notes, list) else []:
        if not isinstance(note, dict) or not isinstance(note.get("user"), str):
            continue
        fields = note.get("fields")
        if not isinstance(fields, list) or not fields:
            continue
        line = f"overwrote {note['user'] or 'someone'}'s change to {', '.join(str(f) for f in fields[:20])}"
        if which and note.get("kind") is not None:
            line += f" ({note.get('kind')} {note.get('key')})"
        out.append(visible(line))
    return out
