"""The agency data file: a TinyDB database, read fresh and written under a lock.

Layout of the file (TinyDB's JSON: one object per table, documents by doc id)::

    {"_meta":    {"1": {"format": "tui-advisor/store", "version": 1, "revision": 12}},
     "agency":   {"1": {"name": ..., "currency": ..., ...}},
     "settings": {"1": {"disable": [...], "params": {...}}},
     "clients":  {"1": {"id": "c-acme", "name": "ACME", ..., "_m": {"rev": 7, "by": "sam", "at": "..."}}},
     "engagements": ..., "invoices": ..., "inquiries": ..., "cash": ...,
     "journey": ..., "actions": ..., "dismissals": ...,
     "_deleted": {"1": {"kind": "clients", "key": "c-old", "by": "sam", "at": "...", "rev": 9}}}

Every record is stored in its interchange form (model.record_to_json, sparse: an empty
note is left out, so records without one cost the file nothing) plus ``_m``:
the revision of the file that last changed it, who and when. An edit carries the
revision the editor saw; when the stored one differs, the write is refused with a
Conflict that says who changed it and when (a deleted record is reported from the
``_deleted`` tombstones, never resurrected).

Every change is one transaction: take the writers' lock, open a *fresh* TinyDB
(never a long-lived one: its tables cache queries), ``TinyDB(storage=OneWrite(...))``
on the Store's DataFile (storage.py), read, change, append the change to the audit
log, keep a backup when one is due, write once (OneWrite.commit), release. The
DataFile holds the tables it last read or wrote while the file keeps their change
token, so a save into a file nobody changed since parses nothing. Readers need no
lock: the file is only ever replaced by rename.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Document

from .. import model
from ..fastclass import dataclass
from ..readfile import no_gc as no_gc  # the cyclic GC off around a big read or write (store.no_gc as before)
from .files import StoreError, encode, exclusive_lock, open_regular, parse_json, read_regular, share_like, write_error
from .storage import MAX_REVISION, ChangeToken, DataFile, OneWrite, Tables, check_store_layout, header
from .storage import revision_of as _revision_of

SINGLETONS = ("agency", "settings")
META = "_m"
TOMBSTONES_KEPT = 1000
OVERWRITES_READ = 4 << 20  # bytes of the audit log's end read at most for the entries since a revision


class Stale(StoreError):
    """The file changed since the revision a change was planned on (``import_document``'s
    ``expected_revision``): nothing was written; plan again on the file as it is."""


class Conflict(StoreError):
    """The record changed (or was deleted) since the editor read it."""

    def __init__(
        self,
        path: Path,
        kind: str,
        key: Any,
        *,
        by: str,
        at: str,
        deleted: bool,
        current: dict[str, Any] | None = None,
        rev: int = 0,
        file_rev: int = 0,
    ):
        self.kind, self.key, self.by, self.at, self.deleted, self.current = kind, key, by, at, deleted, current
        self.rev = rev  # the stored record's revision (a save merged onto it expects this one: workspace/merge.py)
        self.file_rev = file_rev  # the file's revision when the conflict was found
        what = "deleted" if deleted else "changed"
        super().__init__(path, f"{by or 'someone'} {what} this record ({kind} {key!r}) {ago(at)}")


@dataclass(frozen=True)
class Removed:
    """In :meth:`Store.update`'s other records: remove the stored record with this key, if any."""

    key: Any


@dataclass(frozen=True)
class RecordMeta:
    """Who last changed a stored record, when, and at which revision of the file."""

    rev: int = 0
    by: str = ""
    at: str = ""


class MetaIndex:
    """Every record's revision, author and time, by ``(kind, key)``.

    Built on first use: a snapshot of a large file holds tens of thousands of records,
    and the first frame of the app needs none of their revisions (a form needs one).
    """

    def __init__(self, sources: list[tuple[str, list[Any], list[Any]]] | None = None):
        self._sources = sources or []  # (kind, model records, their "_m" dicts or (rev, by, at), aligned)
        self._index: dict[tuple[str, Any], Any] | None = None

    def _built(self) -> dict[tuple[str, Any], Any]:
        if self._index is None:
            index: dict[tuple[str, Any], Any] = {}
            for kind, records, metas in self._sources:
                for record, m in zip(records, metas):
                    if m:
                        index[(kind, key_of(kind, record))] = m
            self._index, self._sources = index, []
        return self._index

    def aligned_metas(self) -> dict[str, list[Any]]:
        """Per collection, the revision data of each record in the snapshot's order (to rebuild
        this index elsewhere, e.g. in another process)."""
        if self._index is None:
            return {kind: list(metas) for kind, _records, metas in self._sources}
        raise RuntimeError("the index is built already: take the metas before using it")

    def get(self, key: tuple[str, Any], default: RecordMeta | None = None) -> RecordMeta | None:
        m = self._built().get(key)
        if m is None:
            return default
        if isinstance(m, RecordMeta):
            return m
        if type(m) is tuple:  # (rev, by, at), as workspace/prefetch.py passes them
            return RecordMeta(*m)
        return RecordMeta(m.get("rev", 0), m.get("by", ""), m.get("at", ""))

    def __setitem__(self, key: tuple[str, Any], value: RecordMeta) -> None:
        self._built()[key] = value


@dataclass
class Snapshot:
    """The stored agency as read at one revision, with every record's revision."""

    data: model.AgencyData
    revision: int
    meta: MetaIndex
    token: ChangeToken | None  # the file's change token when it was read (storage.file_token)


@dataclass
class ImportResult:
    """What an import added and updated, per collection."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    agency: bool = False
    settings: bool = False
    # what the file may leave out but the app's forms ask for (model.Problem: a won inquiry's date)
    notes: list[Any] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            name + " profile set" if name == "agency" else "rule settings set"
            for name in ("agency", "settings")
            if getattr(self, name)
        ]
        for kind in model.COLLECTIONS:
            a, u = self.added.get(kind, 0), self.updated.get(kind, 0)
            if a or u:
                parts.append(f"{kind}: {a} added, {u} updated")
        return "; ".join(parts) if parts else "no records"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def ago(at: str) -> str:
    """'2 minutes ago' for an ISO timestamp of now_iso()."""
    try:
        then = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return "recently"
    seconds = max(0, int((datetime.now(UTC) - then).total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n > 1 else ''} ago"
    return "just now" if seconds < 5 else f"{seconds} seconds ago"


def _sorted_docs(table: dict[str, Any]) -> list[Any]:
    try:
        return [table[k] for k in sorted(table, key=int)]
    except ValueError:
        return list(table.values())


def _clean(doc: Any) -> Any:
    if isinstance(doc, dict) and META in doc:
        return {k: v for k, v in doc.items() if k != META}
    return doc


def _document_head(raw: dict[str, Any]) -> dict[str, Any]:
    """An interchange document holding a raw store's format, version, agency and settings."""
    doc: dict[str, Any] = {"format": model.FORMAT, "version": model.VERSION}
    for name in SINGLETONS:
        docs = _sorted_docs(raw.get(name) or {})
        if docs:
            doc[name] = _clean(docs[0])
    return doc


def raw_to_document(raw: dict[str, Any]) -> dict[str, Any]:
    """The interchange document held in a raw store (not yet validated)."""
    doc = _document_head(raw)
    for kind in model.COLLECTIONS:
        doc[kind] = [_clean(d) for d in _sorted_docs(raw.get(kind) or {})]
    return doc


FAST_FROM = 1000  # records: a store this big is read by the fast decode (below that, the validator is as quick)


def _fast_parts(doc: dict[str, Any]) -> dict[str, Any] | None:
    """``model.validate_document(doc)`` of a big valid document by the fast decode of its JSON
    (model.fastdecode: the same records, a third of the time on the M store, the app's start-up
    on a big file waits for it in the prefetch child), or None: a small document, or any doubt
    (then the complete validator decides and words every problem)."""
    if sum(len(doc.get(kind) or ()) for kind in model.COLLECTIONS) < FAST_FROM:
        return None
    from ..model.fastdecode import decode_document  # its Structs are made on the first big read

    try:
        raw = encode(doc)
    except Exception:  # noqa: BLE001 - a value msgspec cannot write (a huge integer): the validator decides
        return None
    return decode_document(raw)


def _take_document(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Like :func:`raw_to_document`, without a copy: each record's ``_m`` is taken out of it in
    place, and returned per kind, aligned (:func:`_put_back_metas` puts them back)."""
    doc = _document_head(raw)
    metas: dict[str, list[Any]] = {}
    for kind in model.COLLECTIONS:
        docs = _sorted_docs(raw.get(kind) or {})
        metas[kind] = [d.pop(META, None) if type(d) is dict else None for d in docs]
        doc[kind] = docs
    return doc, metas


def _put_back_metas(doc: dict[str, Any], metas: dict[str, list[Any]]) -> None:
    """Undo :func:`_take_document`: the raw store is as it was read."""
    for kind in model.COLLECTIONS:
        for d, m in zip(doc[kind], metas[kind]):
            if m is not None:
                d[META] = m


def json_key(kind: str, js: dict[str, Any]) -> Any:
    """The key of a stored record: its id; a cash entry's date; (stage, activity); (rule, subject)."""
    return model.KINDS[kind].json_key(js)


def key_of(kind: str, record: Any) -> Any:
    """The stored key of a model record (dates as ISO text)."""
    return model.KINDS[kind].key_of(record)


def _key_query(kind: str, key: Any) -> Any:
    names = model.KINDS[kind].key
    values = (key,) if len(names) == 1 else tuple(key)
    query = None
    for name, value in zip(names, values, strict=True):
        test = Query()[name] == value
        query = test if query is None else query & test
    return query


class Tx:
    """One transaction: a fresh TinyDB under the lock, and the changes it made (for the audit log)."""

    def __init__(self, db: TinyDB, raw: dict[str, Any], user: str, action: str):
        self.db = db
        self.raw = raw  # the tables as this transaction changes them (TinyDB's, through OneWrite)
        self.user = user
        self.action = action
        self.revision = _revision_of(raw) + 1
        self.at = now_iso()
        self.meta = {"rev": self.revision, "by": self.user, "at": self.at}
        self.changes: list[dict[str, Any]] = []
        # teammates whose changes this one replaced, as the editor chose: [{"user", "kind", "key", "fields"}]
        self.overwrote: list[dict[str, Any]] = []

    def stamp(self, js: dict[str, Any]) -> dict[str, Any]:
        """The document of a record changed by this transaction: the record and its ``_m`` (one
        object for every record of the transaction: nothing changes an ``_m`` in place)."""
        return {**js, META: self.meta}

    def changed(self, kind: str, key: Any, before: Any, after: Any) -> None:
        self.changes.append({"kind": kind, "key": key, "before": _clean(before), "after": _clean(after)})

    def table_docs(self, name: str) -> list[dict[str, Any]]:
        """The raw documents of a table (no TinyDB wrapping: fast on large files)."""
        return list((self.db.storage.read() or {}).get(name, {}).values())

    def known_ids(self, referring: Iterable[str] | None = None) -> dict[str, Any]:
        """What the stored records offer references to (see model.known_ids)."""
        return model.known_ids(self.db.storage.read() or {}, referring)

    def tombstone(self, kind: str, key: Any) -> dict[str, Any] | None:
        """The newest record of the deletion of ``(kind, key)``, if any (a key of two parts is
        stored as a list)."""
        q = Query()
        found = self.db.table("_deleted").search((q.kind == kind) & q.key.test(lambda k: _as_key(k) == key))
        return found[-1] if found else None


def _as_key(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class Store:
    """The only code that opens the data file."""

    def __init__(
        self,
        path: Path | str,
        lock_timeout: float = 30.0,
        *,
        backups: int = 10,
        backup_minutes: float = 10,
        user: str | None = None,
        on_wait: Callable[[str], None] | None = None,
    ):
        self.path = _own_links_followed(Path(path).expanduser())
        self.lock_timeout = lock_timeout
        # called (from the writing thread) when a write has to wait for the lock, with who holds it
        self.on_wait = on_wait
        self.backups = backups
        self.backup_minutes = backup_minutes
        self.user = user or _os_user()
        self.last_revision = 0  # the revision written by this object's last transaction
        self._file = DataFile(self.path)  # the TinyDB storage of every transaction (and snapshot)

    # ------------------------------------------------------------------ paths

    @property
    def log_path(self) -> Path:
        return self.path.with_name(self.path.name + ".audit.jsonl")

    @property
    def backup_dir(self) -> Path:
        return self.path.with_name(self.path.name + ".backups")

    # ------------------------------------------------------------------ reading

    def exists(self) -> bool:
        return self.path.exists()

    def writable(self) -> bool:
        """Can this user change the file (and make the temporary file next to it)?"""
        directory = self.path.parent
        if self.path.exists() and not os.access(self.path, os.W_OK):
            return False
        return os.access(directory, os.W_OK | os.X_OK) if directory.exists() else True

    def change_token(self) -> ChangeToken | None:
        """Cheap (a stat): changes whenever the file is replaced (every write renames a new file
        in) or changed in place (see storage.py)."""
        return self._file.token()

    def revision(self) -> int:
        tables, token = self._file.read_with_token()
        if tables is None:
            return 0
        self._file.hold(tables, token)  # only looked at
        return _revision_of(tables)

    def load(self) -> model.AgencyData:
        """The stored agency (an empty one when the file does not exist yet)."""
        return self.snapshot().data

    def snapshot(self) -> Snapshot:
        """The stored agency, its revision and every record's revision, from one read."""
        with no_gc():
            raw, token = self._file.read_with_token()  # no read when the file is as this Store left it
            if raw is None:
                return Snapshot(model.AgencyData(), 0, MetaIndex(), None)
            snap = self._snapshot_of(self.path, raw, token, keep=True)
            self._file.hold(raw, token)
            return snap

    @staticmethod
    def _snapshot_of(path: Path, raw: Tables, token: ChangeToken | None, *, keep: bool = False) -> Snapshot:
        """A snapshot of a raw store (its layout checked already). ``raw`` is used up, or with
        ``keep`` left as it was (the DataFile holds it then: the next save into an unchanged
        file reads nothing)."""
        revision = _revision_of(raw)
        doc, metas = _take_document(raw)
        if not keep:
            del raw
        partial = "agency" not in doc  # no profile yet (a new file, or one started over): the empty one
        parts = None if partial else _fast_parts(doc)
        try:
            if parts is None:
                parts = model.validate_document(doc, partial=partial)
        except model.ValidationError as exc:
            raise StoreError(
                path,
                "holds invalid records (was it edited by hand?):\n" + "\n".join(f"  {p}" for p in exc.problems),
                damaged=True,
            ) from None
        data = model.build(parts)
        # validate_document raises on any problem, so every collection's records are
        # aligned with its stored documents and their "_m" (copies of the lists: the
        # workspace changes its own lists before the index may be built)
        meta = MetaIndex([(kind, list(getattr(data, kind)), metas[kind]) for kind in model.COLLECTIONS])
        if keep:
            # the records share only immutable values with the documents (text, numbers;
            # dates, steps and settings are new objects), so the documents can be kept
            _put_back_metas(doc, metas)
        return Snapshot(data, revision, meta, token)

    def export_document(self) -> dict[str, Any]:
        return model.to_document(self.load())

    # ------------------------------------------------------------------ writing

    @contextmanager
    def transaction(self, action: str = "change") -> Iterator[Tx]:
        """A fresh TinyDB on the file, under the lock; logged and written once on success.

        If the body raises, nothing is written.
        """
        if not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.writable():
            raise StoreError(
                self.path,
                "you may not change this file (permission denied): ask its owner to "
                "add you to its group and make it group-writable (see README, 'On a shared server')",
            )
        with exclusive_lock(self.path, self.lock_timeout, self.on_wait), no_gc():
            self._remove_stale_temp_files()
            # the DataFile hands over the tables it holds when nobody changed the file since this
            # Store read or wrote it, else reads it; if the body raises, they are dropped
            storage = OneWrite(lambda: self._file)
            db = TinyDB(storage=storage)
            tx = Tx(db, storage.read(), self.user, action)
            yield tx
            appended = self._append_log(tx.revision, tx.at, tx.action, tx.changes, overwrote=tx.overwrote)
            try:
                self._backup_if_due()
                storage.commit(tx.revision)  # the one write
            except BaseException:
                appended.undo()  # the data was not written: its audit entry goes too
                raise
            appended.close()
            self.last_revision = tx.revision

    def _remove_stale_temp_files(self) -> None:
        """Under the lock no write is under way: a temporary file left next to the data file
        is from a writer that was killed mid-write; it holds nothing anyone acknowledged.
        (Removing a name never follows a link: a planted link goes, its target stays.)"""
        prefix = f".{self.path.name}."
        try:
            names = os.listdir(self.path.parent)
        except OSError:
            return
        for name in names:
            if name.startswith(prefix) and name.endswith(".tmp"):
                try:
                    os.unlink(self.path.parent / name)
                except OSError:
                    pass

    def import_document(
        self,
        doc: Any,
        *,
        replace: bool = False,
        consume: bool = False,
        expected_revision: int | None = None,
        action: str | None = None,
    ) -> ImportResult:
        """Merge (or with ``replace``, swap in) an interchange document, in one write.

        Merging: records are matched by id (cash by date, journey by stage and
        activity); new ones are added, existing ones replaced by the incoming
        version; collections the document leaves out are untouched.
        Raises model.ValidationError (nothing written) when the document is invalid.
        With ``consume``, ``doc`` (a dict) is emptied once it is validated: a large import
        then holds its records once (as model records), not twice.
        ``expected_revision``: the revision the document was made on (a CSV import's plan);
        when the file is at another one, Stale is raised and nothing is written.
        ``action``: what the audit log calls the change (default: import).
        """
        result = ImportResult()
        with self.transaction(action or ("import --replace" if replace else "import")) as tx:
            if expected_revision is not None and tx.revision - 1 != expected_revision:
                raise Stale(
                    self.path, f"changed since it was read (revision {tx.revision - 1}, not {expected_revision})"
                )
            db = tx.db
            if not replace:
                self._check_stored(tx)
            if replace:
                parts = model.validate_document(doc, notes=result.notes)
            else:
                has_agency = bool(tx.table_docs("agency"))
                parts = model.validate_document(doc, partial=has_agency, known_ids=tx.known_ids(), notes=result.notes)
            if consume and isinstance(doc, dict):
                doc.clear()
            if parts.get("agency") is not None:
                result.agency = True
                before = next(iter(tx.table_docs("agency")), None)
                after = model.agency_to_json(parts["agency"])
                db.table("agency").truncate()
                db.table("agency").insert(Document(after, doc_id=1))
                if before != after:
                    tx.changed("agency", None, before, after)
            if parts.get("settings") is not None or replace:
                result.settings = parts.get("settings") is not None
                settings = model.settings_to_json(parts.get("settings") or model.Settings())
                before = next(iter(tx.table_docs("settings")), None)
                db.table("settings").truncate()
                db.table("settings").insert(Document(settings, doc_id=1))
                if before != settings:
                    tx.changed("settings", None, before, settings)
            for kind in model.COLLECTIONS:
                incoming = parts.pop(kind, None)  # its model records go once they are stored
                if incoming is None and not replace:
                    continue
                self._merge(tx, kind, incoming or [], replace, result)
        return result

    def _merge(self, tx: Tx, kind: str, incoming: list[Any], replace: bool, result: ImportResult) -> None:
        table = tx.db.table(kind)
        existing = tx.raw.get(kind, {})
        by_key = {json_key(kind, d): int(doc_id) for doc_id, d in existing.items()}
        merged = {int(doc_id): d for doc_id, d in existing.items()}
        new_docs = []
        seen: set[Any] = set()
        track = replace and bool(by_key)  # only a replace removes the stored records not seen
        changes, to_json = tx.changes, model.record_to_json
        frozen = model.KINDS[kind].frozen is not None  # a closed review never changes
        for r in incoming:
            js = to_json(kind, r, sparse=True)  # an empty note is left out: the file does not grow
            key = json_key(kind, js)
            if track:
                seen.add(key)
            doc_id = by_key.get(key)
            if doc_id is None:
                new_docs.append(js)
                changes.append({"kind": kind, "key": key, "before": None, "after": js})  # tx.changed, inline
            elif _clean(merged[doc_id]) != js:
                if frozen:
                    self._refuse_frozen(tx, kind, key, merged[doc_id], js)
                tx.changed(kind, key, merged[doc_id], js)
                merged[doc_id] = tx.stamp(js)
                result.updated[kind] = result.updated.get(kind, 0) + 1
        if replace:
            for key, doc_id in by_key.items():
                if key not in seen:
                    if frozen:
                        self._refuse_frozen(tx, kind, key, merged[doc_id], None)
                    tx.changed(kind, key, merged.pop(doc_id), None)
        result.added[kind] = len(new_docs)
        table.truncate()
        if merged:  # the stored documents keep their ids
            table.insert_multiple(Document(v, doc_id=k) for k, v in merged.items())
        # the new ones get the next ids from TinyDB, each stamped as TinyDB copies it in (no list of copies)
        table.insert_multiple(tx.stamp(js) for js in new_docs)

    def _refuse_frozen(self, tx: Tx, kind: str, key: Any, before: Any, after: Any) -> None:
        """StoreError (nothing written) when a record that never changes (a closed review) would change
        or (``after`` None) go."""
        for problem in model.frozen_problems(kind, key, before, after):
            raise StoreError(self.path, f"{describe(tx, kind, key)} {problem.message}; nothing was changed")

    def update(
        self, kind: str, key: Any, change: Callable[[Any, Callable[[str], list[Any]]], Any], *, action: str = "save"
    ) -> Any:
        """Read-modify-write of one stored record under the lock: ``change(record, read)`` gets the
        stored record of ``key`` (a model record; None when there is none, or ``key`` is None) as it
        is now, and ``read(kind)``, the stored records of a kind; it returns ``(record, also,
        result)``: the record to store (None: none), other records to store in the same write (a
        list of ``(kind, record)``, each added or replacing the one with its key) and what this
        returns; an ``also`` record that is :class:`Removed` removes the stored one with its key (as
        ``delete`` does). If ``change`` raises, nothing is written. Each record is validated as ``put`` does,
        and a record that never changes (a closed review) is refused."""
        key = _norm_key(key)
        with self.transaction(action) as tx:

            def read(name: str) -> list[Any]:
                docs = [_clean(d) for d in tx.table_docs(name)]
                doc = {"format": model.FORMAT, "version": model.VERSION, name: docs}
                return list(model.validate_document(doc, partial=True)[name]) if docs else []

            current = tx.db.table(kind).get(_key_query(kind, key)) if key is not None else None
            stored = None
            if current is not None:
                partial = {"format": model.FORMAT, "version": model.VERSION, kind: [_clean(dict(current))]}
                stored = model.validate_document(partial, partial=True)[kind][0]
            record, also, result = change(stored, read)
            for k, r in ([(kind, record)] if record is not None else []) + list(also):
                if isinstance(r, Removed):
                    self._remove_in(tx, k, _norm_key(r.key))
                else:
                    self._put_in(tx, k, r)
            return result

    def _put_in(self, tx: Tx, kind: str, record: Any) -> None:
        """Add one record, or replace the stored one with its key, inside a transaction (``update``)."""
        js = model.record_to_json(kind, record, sparse=True)
        key = json_key(kind, js)
        partial = {"format": model.FORMAT, "version": model.VERSION, kind: [js]}
        model.validate_document(partial, partial=True, known_ids=tx.known_ids([kind]))
        table = tx.db.table(kind)
        target = table.get(_key_query(kind, key))
        if target is None:
            table.insert(tx.stamp(js))
            tx.changed(kind, key, None, js)
            return
        for problem in model.change_problems(kind, key, target, js, tx.table_docs):
            raise StoreError(self.path, f"{describe(tx, kind, key)} {problem.message}")
        if _clean(dict(target)) == js:
            return
        stamped = tx.stamp(js)

        def replace_doc(doc: MutableMapping[str, Any]) -> None:
            doc.clear()
            doc.update(stamped)

        table.update(replace_doc, doc_ids=[target.doc_id])
        tx.changed(kind, key, dict(target), js)

    def _check_stored(self, tx: Tx) -> None:
        """Refuse to merge into a data file whose records are invalid (edited by hand)."""
        stored = raw_to_document(tx.raw)
        if "agency" not in stored:
            stored["agency"] = {"name": "(unnamed agency)"}
        try:
            model.validate_document(stored)
        except model.ValidationError as exc:
            raise StoreError(
                self.path,
                "holds invalid records (was it edited by hand?); nothing was imported:\n"
                + "\n".join(f"  {p}" for p in exc.problems),
            ) from None

    def put(
        self,
        kind: str,
        record: Any,
        replace_key: Any = None,
        *,
        expected_rev: int | None = None,
        must_be_new: bool = False,
        overwrote: list[dict[str, Any]] | None = None,
        on_conflict: Callable[[Conflict], Any] | None = None,
    ) -> int:
        """Add or replace one record (matched by its key), validating it and its references.

        ``replace_key``: the key the record had when it was read, for an edit that changed
        it (a cash entry's date, a journey activity's text); that record is replaced.
        ``expected_rev``: the record's revision when it was read; if it changed since, or
        the record was deleted, Conflict is raised and nothing is written.
        ``must_be_new``: refuse when a record with this key exists already.
        ``overwrote``: [{"user", "fields"}]: teammates whose changes to those fields this save
        replaces (the editor chose theirs over ours): written into the audit entry, so their
        apps tell them (``overwrites_since``).
        ``on_conflict``: called under the lock with the Conflict of a record a teammate changed
        since ``expected_rev`` (not deleted); it returns the record to store instead (the editor's
        merged with theirs: workspace/merge.py), with the same key, or raises (nothing written).
        Returns the revision of the file that holds the change.
        """
        js = model.record_to_json(kind, record, sparse=True)
        key = json_key(kind, js)
        old = _norm_key(replace_key) if replace_key is not None else key
        with self.transaction("save") as tx:
            known = tx.known_ids([kind])
            partial = {"format": model.FORMAT, "version": model.VERSION, kind: [js]}
            model.validate_document(partial, partial=True, known_ids=known)
            table = tx.db.table(kind)
            target = table.get(_key_query(kind, old))
            clash = table.get(_key_query(kind, key)) if key != old else None
            if must_be_new and (target is not None or clash is not None):
                found: dict[str, Any] = target or clash or {}
                m = found.get(META, {})
                raise StoreError(
                    self.path,
                    f"there is already {describe(tx, kind, key)}"
                    + (f" (added by {m.get('by')} {ago(m.get('at', ''))})" if m else ""),
                )
            if clash is not None and target is not None:
                raise StoreError(
                    self.path, f"there is already {describe(tx, kind, key)}: change that one, or pick another key"
                )
            if expected_rev is not None:
                try:
                    self._check_expected(tx, kind, old, target, expected_rev)
                except Conflict as exc:
                    if on_conflict is None or exc.deleted:
                        raise
                    merged = model.record_to_json(kind, on_conflict(exc), sparse=True)
                    if json_key(kind, merged) != key:
                        raise
                    partial = {"format": model.FORMAT, "version": model.VERSION, kind: [merged]}
                    model.validate_document(partial, partial=True, known_ids=known)
                    js = merged
            if old != key and model.KINDS[kind].referenced_by:
                refs = _references_to(tx, kind, old)
                if refs:
                    raise StoreError(self.path, f"the id {old!r} is used by {refs}; it cannot change")
            if target is not None:
                for problem in model.change_problems(kind, key, target, js, tx.table_docs):
                    raise StoreError(self.path, f"{describe(tx, kind, key)} {problem.message}")
            existing = target if target is not None else clash
            if existing is None:
                table.insert(tx.stamp(js))
                tx.changed(kind, key, None, js)
            else:
                stamped = tx.stamp(js)

                def replace_doc(doc: MutableMapping[str, Any]) -> None:  # the whole record: a field left out (an
                    doc.clear()  # emptied note, a client no longer archived) is gone, not kept from before
                    doc.update(stamped)

                table.update(replace_doc, doc_ids=[existing.doc_id])
                tx.changed(kind, key, dict(existing), js)
            for o in overwrote or ():
                tx.overwrote.append({"user": str(o["user"]), "kind": kind, "key": key, "fields": list(o["fields"])})
            return tx.revision

    def _check_expected(self, tx: Tx, kind: str, key: Any, current: Any, expected_rev: int) -> None:
        if current is None:
            dead = tx.tombstone(kind, key)
            raise Conflict(
                self.path, kind, key, by=(dead or {}).get("by", ""), at=(dead or {}).get("at", ""), deleted=True
            )
        m = current.get(META) or {}
        if int(m.get("rev", 0)) != expected_rev:
            raise Conflict(
                self.path,
                kind,
                key,
                by=m.get("by", ""),
                at=m.get("at", ""),
                deleted=False,
                current=_clean(dict(current)),
                rev=int(m.get("rev", 0)),
                file_rev=tx.revision - 1,
            )

    def set_agency(self, agency: model.Agency) -> None:
        with self.transaction("save") as tx:
            after = model.agency_to_json(agency)
            model.validate_document({"format": model.FORMAT, "version": model.VERSION, "agency": after})
            before = next(iter(tx.table_docs("agency")), None)
            tx.db.table("agency").truncate()
            tx.db.table("agency").insert(Document(after, doc_id=1))
            tx.changed("agency", None, before, after)

    def delete(self, kind: str, key: Any, *, expected_rev: int | None = None) -> bool:
        """Remove one record by key; refuse when other records still refer to it.

        With ``expected_rev``, a record changed or deleted since it was read raises Conflict."""
        key = _norm_key(key)
        with self.transaction("delete") as tx:
            if expected_rev is not None:
                self._check_expected(tx, kind, key, tx.db.table(kind).get(_key_query(kind, key)), expected_rev)
            return self._remove_in(tx, kind, key)

    def _remove_in(self, tx: Tx, kind: str, key: Any) -> bool:
        """Remove one record inside a transaction (``delete``, ``update``'s :class:`Removed`), with its
        tombstone; refused when it never changes or other records still refer to it."""
        table = tx.db.table(kind)
        current = table.get(_key_query(kind, key))
        if current is None:
            return False
        self._refuse_frozen(tx, kind, key, current, None)
        refs = _references_to(tx, kind, key)
        if refs:
            raise StoreError(self.path, f"{describe(tx, kind, key)} is still used by {refs}; {in_use_hint(kind)}")
        table.remove(doc_ids=[current.doc_id])
        tx.changed(kind, key, dict(current), None)
        dead = tx.db.table("_deleted")
        dead.insert({"kind": kind, "key": key, "by": tx.user, "at": tx.at, "rev": tx.revision})
        if len(dead) > TOMBSTONES_KEPT:
            dead.remove(doc_ids=sorted(d.doc_id for d in dead.all())[: len(dead) - TOMBSTONES_KEPT])
        return True

    # ------------------------------------------------------------------ audit log

    def _append_log(
        self,
        revision: int,
        at: str,
        action: str,
        changes: list[dict[str, Any]],
        *,
        overwrote: list[dict[str, Any]] | None = None,
    ) -> _LogAppend:
        """Append a transaction to the audit log before the data is written; the result takes
        the entry out again (``undo``) if the data then cannot be written, else is ``close``d.

        The line is written whole or not at all (a partial write is cut off again), on a line
        of its own (after a line torn by a crash, a newline comes first). The log may have been
        planted by a teammate: it is opened without following a link or blocking on a FIFO,
        must be a regular file with one link, and is chmod-ed only when this call created it.
        """
        entry: dict[str, Any] = {"rev": revision, "at": at, "by": self.user, "action": action, "changes": changes}
        if overwrote:
            entry["overwrote"] = overwrote
        line = encode(entry) + b"\n"
        try:
            st = os.stat(self.path, follow_symlinks=False)
            mode, gid = stat.S_IMODE(st.st_mode), st.st_gid
        except FileNotFoundError:
            mode, gid = None, -1
        try:
            fd, created = open_regular(
                self.log_path, os.O_RDWR | os.O_APPEND, create_mode=mode if mode is not None else 0o666
            )
        except PermissionError:
            raise StoreError(
                self.log_path,
                "cannot write the audit log (permission denied); nothing was "
                "changed. Its owner can fix it with `chmod g+w` and `chgrp` to the team's group",
            ) from None
        except OSError as exc:
            raise StoreError(
                self.log_path, f"cannot open the audit log ({exc.strerror}); nothing was changed"
            ) from None
        try:
            if created and mode is not None:
                share_like(fd, mode, gid)
            size = _cut_uncommitted_tail(fd, revision)
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line  # the last line is not ours to cut: start on a fresh one
            try:
                written = 0
                while written < len(line):
                    n = os.write(fd, line[written:])
                    if n <= 0:
                        raise OSError(errno.ENOSPC, "nothing was written")
                    written += n
                os.fsync(fd)
            except OSError as exc:
                try:
                    os.ftruncate(fd, size)  # no half line stays behind
                except OSError:
                    pass
                raise write_error(self.log_path, exc) from None
        except BaseException:
            os.close(fd)
            raise

        return _LogAppend(fd, size)

    def read_history(self, kind: str | None = None, key: Any = None) -> History:
        """Committed audit entries, oldest first, read tolerantly: lines that are not whole JSON
        entries of the right shape (torn by a crash, bad bytes, hand-made) are skipped and
        counted; two entries that claim one revision are both kept and flagged ``duplicate``.
        With ``kind``/``key``, only the changes of that record."""
        try:
            current = self.revision() if self.exists() else 0
        except StoreError:
            current = MAX_REVISION
        try:
            raw = read_regular(self.log_path, single_link=True)
        except FileNotFoundError:
            return History([], 0)
        except OSError as exc:
            raise StoreError(self.log_path, f"cannot read the audit log ({exc.strerror})") from None
        by_rev: dict[int, list[dict[str, Any]]] = {}
        skipped = 0
        for line in raw.split(b"\n"):
            if not line.strip():
                continue
            entry = _audit_entry(line)
            if entry is None:
                skipped += 1
            elif entry["rev"] <= current:
                by_rev.setdefault(entry["rev"], []).append(entry)
        entries = []
        for rev in sorted(by_rev):
            claims = by_rev[rev]
            for entry in claims:
                if len(claims) > 1:
                    entry["duplicate"] = len(claims)
                entries.append(entry)
        if kind is None:
            return History(entries, skipped)
        key = _norm_key(key)
        out = []
        for e in entries:
            changes = [
                c for c in e["changes"] if c.get("kind") == kind and (key is None or _as_key(c.get("key")) == key)
            ]
            if changes:
                out.append({**e, "changes": changes})
        return History(out, skipped)

    def history(self, kind: str | None = None, key: Any = None) -> list[dict[str, Any]]:
        """:meth:`read_history`'s entries (without the count of skipped lines)."""
        return self.read_history(kind, key).entries

    def last_entry(self) -> dict[str, Any] | None:
        """The newest audit entry (read from the end of the log: cheap on a long log)."""
        try:
            fd, _ = open_regular(self.log_path, os.O_RDONLY, single_link=False)
        except (OSError, StoreError):
            return None
        try:
            size = os.fstat(fd).st_size
            tail = os.pread(fd, 65536, max(0, size - 65536)).split(b"\n")
        except OSError:
            return None
        finally:
            os.close(fd)
        for line in reversed(tail):
            entry = _audit_entry(line)
            if entry is not None:
                return entry
        return None

    def entries_since(
        self, revision: int, *, upto: int | None = None, limit: int = OVERWRITES_READ
    ) -> list[dict[str, Any]]:
        """The committed audit entries of revisions after ``revision`` (up to ``upto``, by default
        the file's revision), oldest first, read from the end of the log backwards (cheap: what a
        poll brings in is a few lines), at most ``limit`` bytes of it (a huge import's entry ends
        the reading: what is before it is left out)."""
        current = upto if upto is not None else (self.revision() if self.exists() else 0)
        try:
            fd, _ = open_regular(self.log_path, os.O_RDONLY, single_link=True)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StoreError(self.log_path, f"cannot read the audit log ({exc.strerror})") from None
        found: list[dict[str, Any]] = []
        try:
            end = os.fstat(fd).st_size
            rest = b""  # the start of a line whose beginning is not read yet
            while end > 0 and limit > 0:
                size = min(65536, end, limit)
                chunk = os.pread(fd, size, end - size) + rest
                end -= size
                limit -= size
                lines = chunk.split(b"\n")
                rest = lines.pop(0) if end > 0 else b""
                done = False
                for line in reversed(lines):
                    entry = _audit_entry(line) if line.strip() else None
                    if entry is None or entry["rev"] > current:
                        continue
                    if entry["rev"] <= revision:
                        done = True
                        break
                    found.append(entry)
                if done:
                    break
        finally:
            os.close(fd)
        found.reverse()
        return found

    def overwrites_since(
        self, revision: int, user: str | None = None, *, upto: int | None = None
    ) -> list[dict[str, Any]]:
        """What teammates' saves after ``revision`` overwrote of ``user``'s changes (by default this
        Store's user), as the saver chose in a clash: [{"by", "at", "rev", "kind", "key", "fields"}],
        oldest first. Only well-formed notes of others' entries (the log is shared: any member can
        write anything into it); at most 20 fields a note."""
        user = self.user if user is None else user
        out = []
        for entry in self.entries_since(revision, upto=upto):
            notes = entry.get("overwrote")
            if entry["by"] == user or type(notes) is not list:
                continue
            for note in notes[:50]:
                if type(note) is not dict or note.get("user") != user or type(note.get("kind")) is not str:
                    continue
                fields = note.get("fields")
                if note["kind"] not in model.KINDS or type(fields) is not list:
                    continue
                names = [f for f in fields if type(f) is str][:20]
                if names:
                    out.append(
                        {
                            "by": entry["by"],
                            "at": entry["at"],
                            "rev": entry["rev"],
                            "kind": note["kind"],
                            "key": _as_key(note.get("key")),
                            "fields": names,
                        }
                    )
        return out

    # ------------------------------------------------------------------ backups

    def _backup_name_re(self) -> re.Pattern[str]:
        return re.compile(re.escape(self.path.stem) + r"-\d{8}-\d{6}-\d{6}(-before-restore|-before-start-over)?\.json")

    def _open_backup_dir(self, *, create: bool) -> int | None:
        """The backups folder, opened without following a link; created (shared like the data
        file's directory) when ``create`` and missing; None when missing. A link or a file in
        its place is refused with a message."""
        flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
        for _attempt in range(3):
            try:
                return os.open(self.backup_dir, flags)
            except FileNotFoundError:
                if not create:
                    return None
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    what = "a symbolic link" if os.path.islink(self.backup_dir) else "not a folder"
                    raise StoreError(
                        self.backup_dir,
                        f"is {what}, not the backups folder tui-advisor made; it "
                        "was not used and nothing was changed (someone may have planted it). "
                        "Remove it and save again",
                    ) from None
                raise StoreError(self.backup_dir, f"cannot open the backups folder ({exc.strerror})") from None
            try:
                os.mkdir(self.backup_dir, 0o700)
            except FileExistsError:
                continue
            except OSError as exc:
                raise StoreError(self.backup_dir, f"cannot make the backups folder ({exc.strerror})") from None
            fd = os.open(self.backup_dir, flags)
            try:  # our own new folder: shared like the data file's directory, in its group
                os.fchmod(fd, stat.S_IMODE(os.stat(self.path.parent).st_mode) | 0o700)
                os.fchown(fd, -1, os.stat(self.path, follow_symlinks=False).st_gid)
            except OSError:
                pass
            return fd
        raise StoreError(self.backup_dir, "keeps changing while it is opened; try again")

    def _backup_entries(self, dfd: int) -> list[tuple[str, float]]:
        """(name, time kept) of the backups this tool made in the open folder, newest first:
        regular files named as it names them (links, FIFOs and other names are left alone)."""
        pattern = self._backup_name_re()
        found = []
        with os.scandir(dfd) as it:
            for entry in it:
                if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                    try:
                        found.append((entry.name, entry.stat(follow_symlinks=False).st_mtime))
                    except OSError:
                        pass
        return sorted(found, reverse=True)

    def list_backups(self) -> list[Path]:
        """Backups, newest first."""
        try:
            dfd = self._open_backup_dir(create=False)
        except StoreError:
            return []
        if dfd is None:
            return []
        try:
            return [self.backup_dir / name for name, _ in self._backup_entries(dfd)]
        finally:
            os.close(dfd)

    def _backup_if_due(self, force: bool = False, label: str = "") -> Path | None:
        """Keep the current file as a backup (a hard link: no copy) when the newest backup is
        older than ``backup_minutes``; keep the newest ``backups`` of them. Only regular files
        named as this tool names its backups are ever removed, inside the real folder."""
        if self.backups <= 0 or not os.path.lexists(self.path):
            return None
        dfd = self._open_backup_dir(create=False)
        try:
            existing = self._backup_entries(dfd) if dfd is not None else []
            if existing and not force and time.time() - existing[0][1] < self.backup_minutes * 60:
                return None
            if dfd is None:
                dfd = self._open_backup_dir(create=True)
            assert dfd is not None
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            name = f"{self.path.stem}-{stamp}{label}.json"
            try:
                os.link(self.path, name, dst_dir_fd=dfd, follow_symlinks=False)
            except FileExistsError:
                raise StoreError(self.backup_dir / name, "a backup of this name exists already; save again") from None
            except OSError:
                self._copy_into(dfd, name)
            os.utime(name, dir_fd=dfd, follow_symlinks=False)  # its time is when it was kept
            for old, _ in self._backup_entries(dfd)[self.backups :]:
                try:
                    os.unlink(old, dir_fd=dfd)
                except OSError:
                    pass
            return self.backup_dir / name
        finally:
            if dfd is not None:
                os.close(dfd)

    def _copy_into(self, dfd: int, name: str) -> None:
        """Copy the data file into the backups folder as a new file (when it cannot be linked)."""
        data = read_regular(self.path)
        try:
            st = os.stat(self.path, follow_symlinks=False)
            fd = os.open(
                name,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                stat.S_IMODE(st.st_mode),
                dir_fd=dfd,
            )
        except OSError as exc:
            raise StoreError(
                self.backup_dir / name, f"cannot keep a backup ({exc.strerror}); nothing was changed"
            ) from None
        try:
            share_like(fd, stat.S_IMODE(st.st_mode), st.st_gid)
            os.write(fd, data)
            os.fsync(fd)
        except OSError as exc:
            os.close(fd)
            os.unlink(name, dir_fd=dfd)
            raise StoreError(
                self.backup_dir / name, f"cannot keep a backup ({exc.strerror}); nothing was changed"
            ) from None
        os.close(fd)

    def _read_backup(self, backup: Path) -> bytes:
        """The bytes of a backup, from one open file: a backup in the backups folder is opened
        through the real folder, never through a link; any other file must be a regular file."""
        try:
            if backup.parent == self.backup_dir:
                dfd = self._open_backup_dir(create=False)
                if dfd is None:
                    raise FileNotFoundError
                try:
                    return read_regular(backup.name, dir_fd=dfd)
                finally:
                    os.close(dfd)
            return read_regular(backup)
        except FileNotFoundError:
            raise StoreError(
                backup,
                "the backup is not there (any more): a teammate's save may have rotated "
                "it away; `tui-advisor restore` lists the backups there are. Nothing was changed",
            ) from None
        except PermissionError:
            raise StoreError(backup, "you may not read this backup (permission denied); nothing was changed") from None
        except OSError as exc:
            raise StoreError(backup, f"cannot read this backup ({exc.strerror}); nothing was changed") from None

    def backup_snapshot(self, backup: Path) -> Snapshot:
        """A backup's content (from one read), validated like the data file."""
        raw = parse_json(backup, self._read_backup(backup), what="backup")
        check_store_layout(backup, raw)
        return self._snapshot_of(backup, raw, None)

    def start_over(self) -> Path:
        """Empty the data file (no agency, no records, the default settings), after keeping it
        whole as a backup whatever the backup interval; returns that backup. One logged write
        ('start over', every record's removal in the audit log). Refused, nothing changed, when
        backups are turned off or the file holds nothing to keep."""
        if self.backups <= 0:
            raise StoreError(
                self.path, "backups are turned off (backups = 0), so it is not emptied: nothing was changed"
            )
        if not os.path.lexists(self.path):
            raise StoreError(self.path, "does not exist yet: there is nothing to start over from")
        with self.transaction("start over") as tx:
            backup = self._backup_if_due(force=True, label="-before-start-over")
            if backup is None:  # pragma: no cover - refused above
                raise StoreError(self.path, "no backup could be kept; nothing was changed")
            for kind in model.COLLECTIONS:
                for js in tx.table_docs(kind):
                    tx.changed(kind, json_key(kind, js), js, None)
                tx.db.table(kind).truncate()
            for name in ("agency", "settings"):  # as in a new file: no profile, the default settings
                before = next(iter(tx.table_docs(name)), None)
                tx.db.drop_table(name)
                if before is not None:
                    tx.changed(name, None, before, None)
        return backup

    def restore(self, backup: Path) -> int:
        """Make a backup the current data, all or nothing: the backup is read from one open file
        and validated under the lock; a missing, unreadable or damaged one is refused and nothing
        is written. The current file is kept as a backup too; logged; the revision keeps
        counting up. Works when the current file is damaged."""
        with exclusive_lock(self.path, self.lock_timeout, self.on_wait):
            payload = self._read_backup(backup)
            raw = parse_json(backup, payload, what="backup")
            del payload
            check_store_layout(backup, raw)
            try:
                self._snapshot_of(backup, raw, None, keep=True)
            except StoreError as exc:
                raise StoreError(
                    backup, f"{exc.message}\nThe backup was not restored; nothing was changed", damaged=True
                ) from None
            try:
                current_rev = self.revision()
            except StoreError:
                current_rev = 0
            if os.path.lexists(self.path):
                self._backup_if_due(force=True, label="-before-restore")
            revision = max(current_rev, _revision_of(raw)) + 1
            raw["_meta"] = {"1": header(revision)}
            appended = self._append_log(revision, now_iso(), f"restore {backup.name}", [])
            try:
                self._file.write(raw)
            except BaseException:
                appended.undo()
                raise
            appended.close()
            self.last_revision = revision
        return revision


def _cut_uncommitted_tail(fd: int, revision: int) -> int:
    """Cut off the end of the audit log that no committed write made: a line torn by a writer
    killed while writing it, and whole entries of revision ``revision`` or later (a writer
    killed after its entry, before its data was written; the lock is held, so no write of
    that revision is under way). Returns the log's size after."""
    size = os.fstat(fd).st_size
    while size:
        start = max(0, size - 65536)
        tail = os.pread(fd, size - start, start)
        body = tail[:-1] if tail.endswith(b"\n") else tail
        cut = body.rfind(b"\n")
        if cut < 0 and start > 0:
            return size  # a last line longer than 64 KiB: leave it alone
        line = body[cut + 1 :]
        if tail.endswith(b"\n"):
            entry = _audit_entry(line)
            if entry is None or entry["rev"] < revision:
                return size
        new_size = start + cut + 1
        os.ftruncate(fd, new_size)
        size = new_size
    return size


class _LogAppend:
    """An audit entry just appended: kept (``close``) once the data is written, else cut off
    again (``undo``): the log never holds an entry for a write that did not happen."""

    def __init__(self, fd: int, size: int):
        self.fd, self.size = fd, size

    def undo(self) -> None:
        try:
            os.ftruncate(self.fd, self.size)
        except OSError:
            pass
        finally:
            self.close()

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


@dataclass
class History:
    """The audit entries read, and how many lines of the log could not be read as entries."""

    entries: list[dict[str, Any]]
    skipped: int


def _audit_entry(line: bytes) -> dict[str, Any] | None:
    """One line of the audit log as an entry of the right shape, or None."""
    try:
        entry = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if type(entry) is not dict or type(entry.get("rev")) is not int or entry["rev"] < 0:
        return None
    for name in ("at", "by", "action"):
        if type(entry.get(name, "")) is not str:
            return None
    changes = entry.get("changes", [])
    if type(changes) is not list or any(type(c) is not dict for c in changes):
        return None
    for c in changes:
        if type(c.get("kind", "")) is not str:
            return None
        for side in ("before", "after"):
            if c.get(side) is not None and type(c.get(side)) is not dict:
                return None
    entry.setdefault("at", "")
    entry.setdefault("by", "")
    entry.setdefault("action", "")
    entry["changes"] = changes
    return entry


def _norm_key(key: Any) -> Any:
    if hasattr(key, "isoformat"):
        return key.isoformat()
    if isinstance(key, list):
        return tuple(key)
    return key


def describe(tx: Tx, kind: str, key: Any) -> str:
    """A record as a person names it: "client 'ACME Ltd' (c-acme)", 'a cash balance for 2026-11-30'."""
    k = model.KINDS[kind]
    doc = next((d for d in tx.table_docs(kind) if d.get("id") == key), None) if k.name_field else None
    return k.describe_key(key, doc)


def in_use_hint(kind: str) -> str:
    """What to do with a record still in use instead of deleting it: a client is archived (a former
    client stays in the history and leaves the pickers and the advice ahead)."""
    if model.KINDS[kind].by_name.get("archived") is not None:
        return (
            "archive it instead (x in the table, or its 'Archived on' date): a former client stays in the "
            "history and leaves the pickers and the advice ahead"
        )
    return "delete or move those first"


def _references_to(tx: Tx, kind: str, key: Any) -> str:
    """The stored records that refer to a record ('3 engagements and 12 invoices'), empty if none."""
    counts = model.referrers(kind, key, tx.table_docs)
    return " and ".join(f"{n} {other}" for other, n in counts)


def _own_links_followed(path: Path) -> Path:
    """``path``, with symbolic links that the user (or root) made followed: a user may point
    the data file's path at the shared file. A link someone else made is left as it is, and
    the data file's reads refuse it (a teammate may not redirect anyone's data file)."""
    uid = os.getuid()
    for _hop in range(16):
        try:
            st = os.lstat(path)
        except OSError:
            return path
        if not stat.S_ISLNK(st.st_mode) or st.st_uid not in (uid, 0):
            return path
        try:
            path = path.parent / os.readlink(path)
        except OSError:
            return path
    return path


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:
        return str(os.getuid())
