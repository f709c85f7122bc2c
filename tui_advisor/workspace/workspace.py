"""A :class:`Workspace`: one agency open for work: its data, its advice, and every change.

The app talks to this, never to the store: it saves or deletes a record, undoes
the last delete, dismisses a recommendation or turns it into an action item, and
gets the recomputed advice at once (judged by the workspace's :class:`Rulebook`).
Headless (no Textual), so it is tested directly.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import model
from ..engine.advise import Advice, Recommendation
from ..safetext import visible
from ..store import ChangeToken, MetaIndex, RecordMeta, Snapshot, Store, StoreError, key_of
from .inputs import read_document
from .merge import MergingSave, label_of
from .rulebook import Rulebook

if TYPE_CHECKING:
    from .review import Reviews

DEMO_AS_OF = date(2026, 11, 26)  # the date the demo agency describes (the command line's SAMPLE_AS_OF)


def _fit(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut with an ellipsis when longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class ReadOnly(StoreError):
    """This user may not change the data file."""


class AdviceError(StoreError):
    """The data file reads, but computing its advice failed (a value no metric or rule expected)."""


def describe_error(exc: BaseException) -> str:
    """What went wrong, in words for the user: the store's message (StoreError, Conflict), the
    validator's problems, or the kind of error and its text."""
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message:
        return message
    problems = getattr(exc, "problems", None)
    if isinstance(problems, list) and problems:
        return "\n".join(str(p) for p in problems)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class Workspace:
    """One agency open for work: the data file (``store``) as last read here, with its revision and
    record metadata, the advice on it as of ``as_of`` (judged by ``rulebook``), and the changes,
    each a :class:`Write`. One thread owns it (the app's); only a Write's ``run()`` and ``fetch()``
    may run in another."""

    def __init__(self, store: Store, rulebook: Rulebook, *, as_of: date | None = None):
        self.store = store
        self.rulebook = rulebook
        self.fixed_as_of = as_of
        self.data = model.AgencyData()
        self.revision = 0
        self.meta: MetaIndex = MetaIndex()
        self.token: ChangeToken | None = None
        self.advice: Advice | None = None
        self.last_deleted: tuple[str, Any] | None = None
        self.recompute_seconds = 0.0
        self.user = store.user
        self.read_only = not store.writable()
        self.is_demo = False  # a temporary copy of the demo (demo_copy): nothing in it is kept

    @property
    def as_of(self) -> date:
        return self.fixed_as_of or date.today()

    @property
    def is_new(self) -> bool:
        """No agency profile yet: the first run on an empty file."""
        return not self.data.agency.name

    @property
    def path(self) -> Path:
        """The data file."""
        return self.store.path

    @property
    def backup_dir(self) -> Path:
        """The folder the data file's backups are kept in (``tui-advisor restore`` lists them)."""
        return self.store.backup_dir

    @property
    def lock_timeout(self) -> float:
        """The seconds a change waits at most for a teammate's lock on the data file."""
        return self.store.lock_timeout

    @property
    def review(self) -> Reviews:
        """The team reviews of this agency: reading, the agenda, every change (workspace/review.py)."""
        from .review import Reviews

        return Reviews(self)

    def on_lock_wait(self, callback: Callable[[str], None] | None) -> None:
        """Call ``callback(holder)`` (from the writing thread) once a change has to wait for the lock."""
        self.store.on_wait = callback

    # ------------------------------------------------------------------ reading

    def load(self) -> None:
        self.adopt(*self.fetch())

    def fetch(self) -> tuple[Snapshot, Advice]:
        """Read the file and compute its advice, changing nothing here (safe in a worker thread)."""
        snap = self.store.snapshot()
        start = time.perf_counter()
        try:
            advice = self.rulebook.advise(snap.data, self.as_of)
        except Exception as exc:  # a value no metric or rule expected: a message naming the file, not a crash
            raise AdviceError(self.store.path, f"its advice cannot be computed ({type(exc).__name__}: {exc})") from exc
        self.recompute_seconds = time.perf_counter() - start
        return snap, advice

    def adopt(self, snap: Snapshot, advice: Advice) -> None:
        self.data, self.revision, self.meta, self.token = snap.data, snap.revision, snap.meta, snap.token
        self.advice = advice
        self.read_only = not self.store.writable()

    def changed_on_disk(self) -> bool:
        """Has anyone replaced the file since it was read here? (a stat, no read)"""
        return self.store.change_token() != self.token

    def skip_unreadable(self) -> None:
        """A read of the file failed: take the file as it is now as seen, so that
        ``changed_on_disk`` tells when it changes again (the data read before stay)."""
        self.token = self.store.change_token()

    def last_change(self) -> dict[str, Any] | None:
        """The newest entry of the audit log (who changed what), or None."""
        return self.store.last_entry()

    def overwrites_since(self, revision: int) -> list[str]:
        """What teammates' saves after ``revision`` overwrote of this user's changes, choosing
        theirs in a clash (store.overwrites_since), one line each, oldest first: 'ann overwrote
        your change to Industry of client ACME Ltd'. Only up to the revision read here (the data
        the names come from). The names are shown through safetext."""
        lines = []
        for note in self.store.overwrites_since(revision, upto=self.revision):
            kind = model.KINDS[note["kind"]]
            record = next((r for r in self.records(kind.name) if kind.key_of(r) == note["key"]), None)
            what = kind.describe(record, self.client_names()) if record is not None else kind.describe_key(note["key"])
            labels = ", ".join(
                label_of(kind.name, f) if f in kind.by_name or f in kind.nested else f for f in note["fields"]
            )
            lines.append(visible(f"{note['by'] or 'a teammate'} overwrote your change to {labels} of {what}"))
        return lines

    def meta_of(self, kind: str, record: Any) -> RecordMeta:
        found = self.meta.get((kind, key_of(kind, record)))
        return found if found is not None else RecordMeta()

    def history(self, kind: str, record: Any) -> tuple[list[dict[str, Any]], int]:
        """The audit entries of one record, oldest first, and how many lines of the log were
        skipped as malformed (the log is shared: any member can write anything into it)."""
        found = self.store.read_history(kind, key_of(kind, record))  # entries of the right shape only
        return found.entries, found.skipped

    def recompute(self) -> Advice:
        start = time.perf_counter()
        self.advice = self.rulebook.advise(self.data, self.as_of)
        self.recompute_seconds = time.perf_counter() - start
        return self.advice

    def records(self, kind: str) -> list[Any]:
        return getattr(self.data, kind)

    def client_names(self) -> dict[str, str]:
        return self.data.client_names()

    def rule_choices(self) -> list[tuple[str, str]]:
        """The rules in force as a picker offers them: ('KEY001  … is … of revenue: reduce key-client
        risk', 'KEY001'), by id; a title's placeholders shown as '…' (the numbers fill them in)."""
        out = []
        for rule in sorted(self.rulebook.ruleset.rules, key=lambda r: r.id):
            title = " ".join(re.sub(r"\{[^{}]*\}", "…", rule.title).split())
            label = visible(f"{rule.id}  {title}")
            out.append((label if len(label) <= 90 else label[:89] + "…", rule.id))
        return out

    def ids(self, kind: str) -> set[str]:
        return {r.id for r in self.records(kind)}

    # ------------------------------------------------------------------ changing
    #
    # Every change is a Write made in two steps: ``run()`` changes the file (it may wait
    # for the lock, so the app runs it in a thread, where it touches nothing of this
    # object but the store), then ``finish()`` puts the change into the data here and
    # recomputes the advice (in the thread that owns the workspace: the app's). The
    # methods without ``plan_`` do both at once.

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnly(
                self.store.path,
                "this session is read-only: you may not change the data file (ask its owner for group write access)",
            )

    def save(
        self, kind: str, record: Any, original: Any | None = None, *, force: bool = False, seen_rev: int | None = None
    ) -> None:
        """Add a record, or replace ``original`` with it (its key may change). Raises
        model.ValidationError or StoreError, and store.Conflict when a teammate deleted
        ``original`` since it was read (``force`` overwrites); nothing changes then. A teammate's
        change of other fields since is merged with this one (merge.py: both kept, the Write's
        ``merging.merged`` says whose); a change of the same fields raises merge.MergeClash,
        a Conflict, for the editor to choose (``Write.merging.resolve``).

        ``seen_rev``: the record's revision when the user opened it (a form stays open while
        teammates' changes are read in); by default, its revision as read now."""
        self.plan_save(kind, record, original, force=force, seen_rev=seen_rev).now()

    def plan_save(
        self, kind: str, record: Any, original: Any | None = None, *, force: bool = False, seen_rev: int | None = None
    ) -> Write:
        self._writable()
        old_key = model.record_key(kind, original) if original is not None else None
        if force or original is None:
            expected = None
        else:
            expected = seen_rev if seen_rev is not None else self.meta_of(kind, original).rev
        must_be_new = original is None and not force
        save = MergingSave(
            self.store,
            kind,
            record,
            original,
            replace_key=old_key,
            expected=expected,
            must_be_new=must_be_new,
            merging=not force,
        )

        def apply(w: Write) -> None:
            record = save.record  # merged with teammates' changes, when it was
            self.meta[(kind, key_of(kind, record))] = RecordMeta(w.revision, self.user, "")
            records = self.records(kind)
            new_key = model.record_key(kind, record)
            keys = [model.record_key(kind, r) for r in records]
            if old_key is not None and old_key in keys:
                records[keys.index(old_key)] = record
                if new_key != old_key and new_key in keys:  # it took the place of another record
                    records.pop(keys.index(new_key))
            elif new_key in keys:
                records[keys.index(new_key)] = record
            else:
                records.append(record)

        w = Write(self, save.run, apply)
        w.merging = save
        return w

    def delete(self, kind: str, record: Any, *, force: bool = False, seen_rev: int | None = None) -> None:
        """Delete a record; store.Conflict when a teammate changed or deleted it since it was read
        (``seen_rev``: its revision when the user chose to delete it)."""
        self.plan_delete(kind, record, force=force, seen_rev=seen_rev).now()

    def used_by(self, kind: str, record: Any) -> str:
        """The records of the open data that refer to ``record`` ('1 engagements and 16 invoices'), empty
        if none: a record in use is not deleted (the store refuses it too, on the file as it is)."""
        key = model.record_key(kind, record)
        counts = [
            (other.name, sum(1 for r in self.records(other.name) if getattr(r, field) == key))
            for other, field in model.KINDS[kind].referenced_by
        ]
        return " and ".join(f"{n} {name}" for name, n in counts if n)

    def plan_archive(self, record: model.Client, *, seen_rev: int | None = None) -> Write:
        """Archive a client as of the workspace's day (a former client: out of the pickers and the
        advice ahead, kept in the history), or bring an archived one back (``archived`` emptied)."""
        archived = None if record.archived is not None else self.as_of
        return self.plan_save("clients", replace(record, archived=archived), original=record, seen_rev=seen_rev)

    def plan_delete(self, kind: str, record: Any, *, force: bool = False, seen_rev: int | None = None) -> Write:
        self._writable()
        key = model.record_key(kind, record)
        expected = None if force else (seen_rev if seen_rev is not None else self.meta_of(kind, record).rev)

        def run() -> None:
            self.store.delete(kind, key, expected_rev=expected)

        def apply(_: Any) -> None:
            records = self.records(kind)
            records[:] = [r for r in records if model.record_key(kind, r) != key]

        def remember(_: Any) -> None:
            self.last_deleted = (kind, record)

        return Write(self, run, apply, always=remember)

    def undo_delete(self) -> tuple[str, Any] | None:
        """Put back the last deleted record; returns it, or None when there is nothing to undo."""
        w = self.plan_undo_delete()
        return None if w is None else w.now()

    def plan_undo_delete(self) -> Write | None:
        if self.last_deleted is None:
            return None
        kind, record = self.last_deleted
        w = self.plan_save(kind, record)

        def forget(_: Any) -> tuple[str, Any]:
            self.last_deleted = None
            return kind, record

        w.always = forget
        return w

    def set_agency(self, agency: model.Agency) -> None:
        self.plan_set_agency(agency).now()

    def plan_set_agency(self, agency: model.Agency) -> Write:
        self._writable()

        def apply(_: Any) -> None:
            self.data.agency = agency

        return Write(self, lambda: self.store.set_agency(agency), apply)

    def start_from_demo(self) -> None:
        """Fill an empty data file with the demo agency (the sample file is only read)."""
        self.plan_start_from_demo().now()

    def plan_start_from_demo(self) -> Write:
        from .. import paths

        def run() -> None:
            doc = read_document(paths.sample_file("demo"))
            self.store.import_document(doc, replace=True)

        return Write(self, run, None)  # no change to make here: the file is read again

    def demo_copy(self) -> Workspace:
        """A workspace on a temporary copy of the demo agency (what ``tui-advisor --demo`` opens),
        judged by the same rules, as of the demo's date unless this one has a fixed date. This
        workspace's data file is not touched; the copy is removed when the program ends."""
        import shutil
        import tempfile
        import weakref

        from .. import paths

        folder = tempfile.mkdtemp(prefix="tui-advisor-demo-")
        store = Store(Path(folder) / "demo.json")
        store.import_document(read_document(paths.sample_file("demo")), replace=True)
        demo = Workspace(store, self.rulebook, as_of=self.fixed_as_of or DEMO_AS_OF)
        demo.is_demo = True
        weakref.finalize(demo, shutil.rmtree, folder, ignore_errors=True)  # at the latest when the program ends
        demo.load()
        return demo

    def plan_start_over(self) -> Write:
        """Empty the data file after keeping it whole as a backup (store.start_over): the result is
        the backup's path. The agency is then new (the welcome screen's first run)."""
        self._writable()

        def forget(backup: Any) -> Any:
            self.last_deleted = None
            return backup

        return Write(self, self.store.start_over, None, always=forget)  # the file is read again

    def plan_import_csv(self, plan: Any, *, skip_bad: bool = False) -> Write:
        """Write a CSV import's plan (``importing.plan_import``) as the command line does
        (``importing.apply_plan``: planned again under the lock, one audited write); the
        Write's result is the plan that was written."""
        from ..importing import apply_plan

        self._writable()
        return Write(
            self, lambda: apply_plan(self.store, plan, skip_bad=skip_bad), None, always=lambda written: written
        )

    def dismiss(self, rec: Recommendation, reason: str, until: date | None = None) -> None:
        """Hide a recommendation until its numbers get worse (or until a date: a snooze)."""
        self.plan_dismiss(rec, reason, until).now()

    def plan_dismiss(self, rec: Recommendation, reason: str, until: date | None = None) -> Write:
        d = model.Dismissal(
            rule=rec.rule,
            subject=rec.subject or "",
            reason=reason,
            until=until,
            severity=rec.severity,
            distance=min(1.0, rec.distance),
            by=self.user,
            on=self.as_of,
        )
        return self.plan_save("dismissals", d, force=True)  # dismissing again replaces the earlier one

    def action_from(self, rec: Recommendation, owner: str = "", title: str | None = None) -> model.ActionItem:
        """An action item answering a recommendation: one step per suggested action, a week apart."""
        return self.plan_action_from(rec, owner, title).now()

    def plan_action_from(self, rec: Recommendation, owner: str = "", title: str | None = None) -> Write:
        # a rule's texts (a user's rule file may hold long ones) fit the titles' limit, cut with an ellipsis
        steps = [
            model.Step(title=_fit(a, model.MAX_SENTENCE), due=self.as_of + timedelta(days=7 * (i + 1)))
            for i, a in enumerate(rec.actions)
        ]
        title = _fit(title or rec.title, model.MAX_SENTENCE)
        new_id = model.KINDS["actions"].new_id({"title": title}, self.ids("actions"))
        action = model.ActionItem(id=new_id, title=title, rule=rec.rule, owner=owner, steps=steps)
        w = self.plan_save("actions", action)
        w.always = lambda _: action
        return w

    def toggle_step(self, action: model.ActionItem, index: int) -> model.ActionItem:
        return self.plan_toggle_step(action, index).now()

    def plan_toggle_step(self, action: model.ActionItem, index: int) -> Write:
        steps = list(action.steps)
        s = steps[index]
        steps[index] = replace(s, done=None if s.done else self.as_of)
        updated = replace(action, steps=steps)
        w = self.plan_save("actions", updated, original=action)
        saving = w.merging
        w.always = lambda _: saving.record if saving is not None else updated  # merged with a teammate's change
        return w


class Write:
    """One change of the data file, in two steps.

    ``run()`` changes the file: it may wait for the lock (up to the store's timeout), so
    the app calls it in a thread; it touches nothing of the workspace but its store, and
    when teammates wrote since the workspace read the file, it reads the file again too.
    It raises what the store raises (StoreError, Conflict, model.ValidationError ...), and
    then nothing changed. ``finish()``, in the thread that owns the workspace, puts the
    change into the data there (or adopts the file as read), recomputes the advice and
    returns the change's result. ``now()`` does both (the headless callers).

    Only one Write of a workspace runs at a time (its store's ``last_revision`` tells
    which revision the write made).
    """

    def __init__(
        self,
        ws: Workspace,
        run: Callable[[], Any],
        apply: Callable[[Write], Any] | None,
        always: Callable[[Any], Any] | None = None,
    ):
        self.ws = ws
        self._run = run
        self._apply = apply
        self.always = always  # after the change is in, on any path; its return value is the result
        self.read_at = ws.revision  # the revision the change is made on
        self.value: Any = None
        self.revision = 0
        self.token: ChangeToken | None = None
        self.fresh: tuple[Snapshot, Advice] | None = None
        self.ran = False
        self.merging: MergingSave | None = None  # a record's save: its merge with teammates' changes

    def run(self) -> None:
        ws = self.ws
        self.value = self._run()
        self.revision = ws.store.last_revision
        self.token = ws.store.change_token()
        self.ran = True
        if self._apply is None or self.revision != self.read_at + 1:
            # teammates wrote in between (or there is no change to make in memory): the file
            # is the truth, read it all again here, off the app's thread
            self.fresh = ws.fetch()

    def finish(self) -> Any:
        ws = self.ws
        if not self.ran:
            raise RuntimeError("Write.finish() before run()")
        if self.fresh is not None:
            if self.fresh[0].revision >= ws.revision:
                ws.adopt(*self.fresh)
        elif ws.revision >= self.revision:
            pass  # the app already read the file with this change in it (a poll in between)
        elif ws.revision == self.read_at:
            assert self._apply is not None
            self._apply(self)
            ws.revision = self.revision
            ws.token = self.token
            ws.recompute()
        else:  # a teammate's change was read in meanwhile, not the file with ours: read it
            ws.load()
        return self.always(self.value) if self.always is not None else None

    def now(self) -> Any:
        self.run()
        return self.finish()
