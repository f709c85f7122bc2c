"""A working session on one agency: the data, the advice, and every change.

The app talks to this, never to the store: it saves or deletes a record, undoes
the last delete, dismisses a recommendation or turns it into an action item, and
gets the recomputed advice at once. Headless (no Textual), so it is tested directly.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from . import model, service
from .engine.advise import Advice, Recommendation
from .store import MetaIndex, RecordMeta, Snapshot, Store, StoreError, key_of


class ReadOnly(StoreError):
    """This user may not change the data file."""


class Workspace:
    def __init__(self, store: Store, settings: service.Settings, *, as_of: date | None = None):
        self.store = store
        self.settings = settings
        self.fixed_as_of = as_of
        self.data = model.AgencyData()
        self.revision = 0
        self.meta: MetaIndex = MetaIndex()
        self.token: tuple[int, int, int] | None = None
        self.advice: Advice | None = None
        self.last_deleted: tuple[str, Any] | None = None
        self.recompute_seconds = 0.0
        self.user = store.user
        self.read_only = not store.writable()

    @property
    def as_of(self) -> date:
        return self.fixed_as_of or date.today()

    @property
    def is_new(self) -> bool:
        """No agency profile yet: the first run on an empty file."""
        return not self.data.agency.name

    # ------------------------------------------------------------------ reading

    def load(self) -> None:
        self.adopt(*self.fetch())

    def fetch(self) -> tuple[Snapshot, Advice]:
        """Read the file and compute its advice, changing nothing here (safe in a worker thread)."""
        snap = self.store.snapshot()
        start = time.perf_counter()
        advice = service.run_advice(snap.data, self.as_of, self.settings)
        self.recompute_seconds = time.perf_counter() - start
        return snap, advice

    def adopt(self, snap: Snapshot, advice: Advice) -> None:
        self.data, self.revision, self.meta, self.token = snap.data, snap.revision, snap.meta, snap.token
        self.advice = advice
        self.read_only = not self.store.writable()

    def changed_on_disk(self) -> bool:
        """Has anyone replaced the file since it was read here? (a stat, no read)"""
        return self.store.change_token() != self.token

    def meta_of(self, coll: str, record: Any) -> RecordMeta:
        return self.meta.get((coll, key_of(coll, record)), RecordMeta())

    def history(self, coll: str, record: Any) -> list[dict[str, Any]]:
        return self.store.history(coll, key_of(coll, record))

    def recompute(self) -> Advice:
        start = time.perf_counter()
        self.advice = service.run_advice(self.data, self.as_of, self.settings)
        self.recompute_seconds = time.perf_counter() - start
        return self.advice

    def records(self, coll: str) -> list[Any]:
        return getattr(self.data, coll)

    def client_names(self) -> dict[str, str]:
        return self.data.client_names()

    def ids(self, coll: str) -> set[str]:
        return {r.id for r in self.records(coll)}

    # ------------------------------------------------------------------ changing

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnly(self.store.path, "this session is read-only: you may not change the data file "
                           "(ask its owner for group write access)")

    def save(self, coll: str, record: Any, original: Any | None = None, *, force: bool = False,
             seen_rev: int | None = None) -> None:
        """Add a record, or replace ``original`` with it (its key may change). Raises
        model.ValidationError or StoreError, and store.Conflict when a teammate changed or
        deleted ``original`` since it was read (``force`` overwrites); nothing changes then.

        ``seen_rev``: the record's revision when the user opened it (a form stays open while
        teammates' changes are read in); by default, its revision as read now."""
        self._writable()
        old_key = model.record_key(coll, original) if original is not None else None
        if force or original is None:
            expected = None
        else:
            expected = seen_rev if seen_rev is not None else self.meta_of(coll, original).rev
        revision = self.store.put(coll, record, replace_key=old_key, expected_rev=expected,
                                  must_be_new=original is None and not force)
        self.meta[(coll, key_of(coll, record))] = RecordMeta(revision, self.user, "")
        records = self.records(coll)
        new_key = model.record_key(coll, record)
        keys = [model.record_key(coll, r) for r in records]
        if old_key is not None and old_key in keys:
            records[keys.index(old_key)] = record
            if new_key != old_key and new_key in keys:  # it took the place of another record
                records.pop(keys.index(new_key))
        elif new_key in keys:
            records[keys.index(new_key)] = record
        else:
            records.append(record)
        self._changed()

    def delete(self, coll: str, record: Any, *, force: bool = False, seen_rev: int | None = None) -> None:
        """Delete a record; store.Conflict when a teammate changed or deleted it since it was read
        (``seen_rev``: its revision when the user chose to delete it)."""
        self._writable()
        key = model.record_key(coll, record)
        expected = None if force else (seen_rev if seen_rev is not None else self.meta_of(coll, record).rev)
        self.store.delete(coll, key, expected_rev=expected)
        records = self.records(coll)
        records[:] = [r for r in records if model.record_key(coll, r) != key]
        self.last_deleted = (coll, record)
        self._changed()

    def undo_delete(self) -> tuple[str, Any] | None:
        """Put back the last deleted record; returns it, or None when there is nothing to undo."""
        if self.last_deleted is None:
            return None
        coll, record = self.last_deleted
        self.save(coll, record)
        self.last_deleted = None
        return coll, record

    def set_agency(self, agency: model.Agency) -> None:
        self._writable()
        self.store.set_agency(agency)
        self.data.agency = agency
        self._changed()

    def start_from_demo(self) -> None:
        """Fill an empty data file with the demo agency (the sample file is only read)."""
        from . import paths

        doc = service.read_document(paths.sample_file("demo"))
        self.store.import_document(doc, replace=True)
        self.load()

    def dismiss(self, rec: Recommendation, reason: str, until: date | None = None) -> None:
        """Hide a recommendation until its numbers get worse (or until a date: a snooze)."""
        d = model.Dismissal(rule=rec.rule, subject=rec.subject or "", reason=reason, until=until,
                            severity=rec.severity, distance=min(1.0, rec.distance), by=self.user, on=self.as_of)
        self.save("dismissals", d, force=True)  # dismissing again replaces the earlier one

    def action_from(self, rec: Recommendation, owner: str = "", title: str | None = None) -> model.ActionItem:
        """An action item answering a recommendation: one step per suggested action, a week apart."""
        steps = [model.Step(title=a, due=self.as_of + timedelta(days=7 * (i + 1)))
                 for i, a in enumerate(rec.actions)]
        from .forms import KINDS, new_id

        action = model.ActionItem(id=new_id(KINDS["actions"], {"title": title or rec.title}, self.ids("actions")),
                                  title=title or rec.title, rule=rec.rule, owner=owner, steps=steps)
        self.save("actions", action)
        return action

    def toggle_step(self, action: model.ActionItem, index: int) -> model.ActionItem:
        steps = list(action.steps)
        s = steps[index]
        steps[index] = replace(s, done=None if s.done else self.as_of)
        updated = replace(action, steps=steps)
        self.save("actions", updated, original=action)
        return updated

    def _changed(self) -> None:
        """After one of our writes: when it was the only one since we read, the change made in
        memory is the file's state; when teammates wrote in between, read it all again."""
        if self.store.last_revision != self.revision + 1:
            self.load()
            return
        self.revision += 1
        self.token = self.store.change_token()
        self.recompute()
