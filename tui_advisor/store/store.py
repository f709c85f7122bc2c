"""The agency data file: a TinyDB database, read fresh and written under a lock.

Layout of the file (TinyDB's JSON: one object per table, documents by doc id)::

    {"_meta":    {"1": {"format": "tui-advisor/store", "version": 1, "revision": 12}},
     "agency":   {"1": {"name": ..., "currency": ..., ...}},
     "settings": {"1": {"disable": [...], "params": {...}}},
     "clients":  {"1": {"id": "c-acme", "name": "ACME", ...}, "2": ...},
     "engagements": ..., "invoices": ..., "inquiries": ..., "cash": ...,
     "journey": ..., "actions": ...}

Every record is stored in its interchange form (model.record_to_json), so the
store and the exchange format cannot drift apart.

Every change is one transaction: take the sidecar lock, open a *fresh* TinyDB
(never a long-lived one: its caches hide other processes' writes), read, change,
write once through AtomicJSONStorage, release. Readers need no lock: the file is
only ever replaced by rename.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.table import Document

from .. import model
from .files import AtomicJSONStorage, StoreError, exclusive_lock, read_json

STORE_FORMAT = "tui-advisor/store"
STORE_VERSION = 1
SINGLETONS = ("agency", "settings")


class _OneWrite(CachingMiddleware):
    """Keep every change of a transaction in memory; write once on close."""

    WRITE_CACHE_SIZE = sys.maxsize


@dataclass
class ImportResult:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    agency: bool = False
    settings: bool = False

    def summary(self) -> str:
        parts = [name + " profile set" if name == "agency" else "rule settings set"
                 for name in ("agency", "settings") if getattr(self, name)]
        for coll in model.COLLECTIONS:
            a, u = self.added.get(coll, 0), self.updated.get(coll, 0)
            if a or u:
                parts.append(f"{coll}: {a} added, {u} updated")
        return "; ".join(parts) if parts else "no records"


def check_store_layout(path: Path, raw: Any) -> None:
    """Refuse files that are not ours, or from a newer version, before touching them."""
    if not isinstance(raw, dict):
        raise StoreError(path, "is JSON but not a tui-advisor data file (expected an object of tables)")
    if raw.get("format") == model.FORMAT:
        raise StoreError(path, "is an interchange file, not a data file: load it with "
                         f"`tui-advisor import {path}` or read it with `tui-advisor advise --input {path}`")
    meta_table = raw.get("_meta")
    meta = None
    if isinstance(meta_table, dict) and meta_table:
        meta = next(iter(meta_table.values()))
    if not isinstance(meta, dict) or meta.get("format") != STORE_FORMAT:
        raise StoreError(path, "is JSON but not a tui-advisor data file (no tui-advisor header); "
                         "it was not changed")
    version = meta.get("version")
    if not isinstance(version, int) or version > STORE_VERSION:
        raise StoreError(path, f"was written by a newer tui-advisor (data format version {version}, "
                         f"this program reads {STORE_VERSION}); upgrade tui-advisor. The file was not changed")
    for name, table in raw.items():
        if not isinstance(table, dict):
            raise StoreError(path, f"table {name!r} is damaged (not an object)")


def _sorted_docs(table: dict[str, Any]) -> list[Any]:
    try:
        return [table[k] for k in sorted(table, key=int)]
    except ValueError:
        return list(table.values())


def raw_to_document(raw: dict[str, Any]) -> dict[str, Any]:
    """The interchange document held in a raw store (not yet validated)."""
    doc: dict[str, Any] = {"format": model.FORMAT, "version": model.VERSION}
    for name in SINGLETONS:
        docs = _sorted_docs(raw.get(name) or {})
        if docs:
            doc[name] = docs[0]
    for coll in model.COLLECTIONS:
        doc[coll] = _sorted_docs(raw.get(coll) or {})
    return doc


class Store:
    """The only code that opens the data file."""

    def __init__(self, path: Path | str, lock_timeout: float = 30.0):
        self.path = Path(path).expanduser()
        self.lock_timeout = lock_timeout

    # ------------------------------------------------------------------ reading

    def exists(self) -> bool:
        return self.path.exists()

    def read_raw(self) -> dict[str, Any] | None:
        raw = read_json(self.path)
        if raw is not None:
            check_store_layout(self.path, raw)
        return raw

    def revision(self) -> int:
        raw = self.read_raw()
        if not raw:
            return 0
        return int(next(iter(raw["_meta"].values())).get("revision", 0))

    def load(self) -> model.AgencyData:
        """The stored agency (an empty one when the file does not exist yet)."""
        raw = self.read_raw()
        if raw is None:
            return model.AgencyData()
        doc = raw_to_document(raw)
        if "agency" not in doc:
            doc["agency"] = {"name": "(unnamed agency)"}
        try:
            return model.build(model.validate_document(doc))
        except model.ValidationError as exc:
            raise StoreError(self.path, "holds invalid records (was it edited by hand?):\n"
                             + "\n".join(f"  {p}" for p in exc.problems)) from None

    def export_document(self) -> dict[str, Any]:
        return model.to_document(self.load())

    # ------------------------------------------------------------------ writing

    @contextmanager
    def transaction(self) -> Iterator[TinyDB]:
        """A fresh TinyDB on the file, under the lock; written once on success.

        If the body raises, nothing is written.
        """
        if not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(self.path, self.lock_timeout):
            raw = self.read_raw()
            if raw is None:
                raw = {"_meta": {"1": {"format": STORE_FORMAT, "version": STORE_VERSION, "revision": 0}}}
            db = TinyDB(self.path, storage=lambda p: _OneWrite(AtomicJSONStorage)(p, initial=raw))
            yield db
            meta = db.table("_meta")
            current = meta.get(doc_id=1) or {}
            meta.upsert(Document({"format": STORE_FORMAT, "version": STORE_VERSION,
                                  "revision": int(current.get("revision", 0)) + 1}, doc_id=1))
            db.close()  # the one write

    @staticmethod
    def _known_ids(db: TinyDB) -> dict[str, Any]:
        known: dict[str, Any] = {}
        for coll in ("clients", "engagements", "invoices", "inquiries", "actions"):
            known[coll] = {d.get("id") for d in db.table(coll).all()}
        known["engagement_client"] = {d.get("id"): d.get("client") for d in db.table("engagements").all()}
        return known

    def import_document(self, doc: Any, *, replace: bool = False) -> ImportResult:
        """Merge (or with ``replace``, swap in) an interchange document, in one write.

        Merging: records are matched by id (cash by date, journey by stage and
        activity); new ones are added, existing ones replaced by the incoming
        version; collections the document leaves out are untouched.
        Raises model.ValidationError (nothing written) when the document is invalid.
        """
        result = ImportResult()
        with self.transaction() as db:
            if not replace:
                self._check_stored(db)
            if replace:
                parts = model.validate_document(doc)
            else:
                has_agency = bool(db.table("agency").all())
                parts = model.validate_document(doc, partial=has_agency, known_ids=self._known_ids(db))
            if parts.get("agency") is not None:
                result.agency = True
                db.table("agency").truncate()
                db.table("agency").insert(Document(model.agency_to_json(parts["agency"]), doc_id=1))
            if parts.get("settings") is not None or replace:
                result.settings = parts.get("settings") is not None
                settings = parts.get("settings") or model.Settings()
                db.table("settings").truncate()
                db.table("settings").insert(Document(model.settings_to_json(settings), doc_id=1))
            for coll in model.COLLECTIONS:
                incoming = parts.get(coll)
                if incoming is None and not replace:
                    continue
                incoming = incoming or []
                table = db.table(coll)
                if replace:
                    table.truncate()
                    table.insert_multiple([model.record_to_json(coll, r) for r in incoming])
                    result.added[coll] = len(incoming)
                    continue
                existing = table.all()
                by_key = {}
                for d in existing:
                    by_key[_json_key(coll, d)] = d.doc_id
                merged = {d.doc_id: dict(d) for d in existing}
                new_docs = []
                for r in incoming:
                    js = model.record_to_json(coll, r)
                    doc_id = by_key.get(_json_key(coll, js))
                    if doc_id is None:
                        new_docs.append(js)
                    else:
                        merged[doc_id] = js
                        result.updated[coll] = result.updated.get(coll, 0) + 1
                result.added[coll] = len(new_docs)
                if result.updated.get(coll):
                    table.truncate()
                    table.insert_multiple([Document(v, doc_id=k) for k, v in merged.items()])
                if new_docs:
                    table.insert_multiple(new_docs)
        return result

    def _check_stored(self, db: TinyDB) -> None:
        """Refuse to merge into a data file whose records are invalid (edited by hand)."""
        stored = raw_to_document(db.storage.read() or {})
        if "agency" not in stored:
            stored["agency"] = {"name": "(unnamed agency)"}
        try:
            model.validate_document(stored)
        except model.ValidationError as exc:
            raise StoreError(self.path, "holds invalid records (was it edited by hand?); nothing was imported:\n"
                             + "\n".join(f"  {p}" for p in exc.problems)) from None

    def put(self, coll: str, record: Any, replace_key: Any = None) -> None:
        """Add or replace one record (matched by its key), validating it and its references.

        ``replace_key``: the key the record had before an edit that changed it (a cash
        entry's date, a journey activity's text); that record is replaced, in the same write.
        """
        js = model.record_to_json(coll, record)
        with self.transaction() as db:
            known = self._known_ids(db)
            key = _json_key(coll, js)
            old = _json_key(coll, model.record_to_json(coll, _with_key(coll, record, replace_key))) \
                if replace_key is not None else key
            if coll in known and old != key:
                known[coll] = set(known[coll]) - {old}
            partial = {"format": model.FORMAT, "version": model.VERSION, coll: [js]}
            model.validate_document(partial, partial=True, known_ids=known)
            table = db.table(coll)
            docs = table.all()
            target = next((d.doc_id for d in docs if _json_key(coll, d) == old), None)
            clash = next((d.doc_id for d in docs if _json_key(coll, d) == key and d.doc_id != target), None)
            if clash is not None and target is not None:
                table.remove(doc_ids=[clash])  # the edit moved onto another record's key: one record remains
            if target is None:
                target = clash
            if target is None:
                table.insert(js)
            else:
                table.update(js, doc_ids=[target])

    def set_agency(self, agency: model.Agency) -> None:
        with self.transaction() as db:
            partial = {"format": model.FORMAT, "version": model.VERSION, "agency": model.agency_to_json(agency)}
            model.validate_document(partial)
            db.table("agency").truncate()
            db.table("agency").insert(Document(model.agency_to_json(agency), doc_id=1))

    def delete(self, coll: str, key: Any) -> bool:
        """Remove one record by key; refuse when other records still refer to it."""
        with self.transaction() as db:
            table = db.table(coll)
            hits = [d.doc_id for d in table.all() if _json_key(coll, d) == key]
            if not hits:
                return False
            refs = _references_to(db, coll, key)
            if refs:
                raise StoreError(self.path, f"{coll[:-1]} {key!r} is still used by {refs}; delete or move those first")
            table.remove(doc_ids=hits)
            return True


def _with_key(coll: str, record: Any, key: Any) -> Any:
    """A copy of the record carrying another key (to find the stored version of an edited one)."""
    from dataclasses import replace

    if coll == "cash":
        return replace(record, date=key)
    if coll == "journey":
        return replace(record, stage=key[0], activity=key[1])
    if coll == "dismissals":
        return replace(record, rule=key[0], subject=key[1])
    return replace(record, id=key)


def _json_key(coll: str, js: dict[str, Any]) -> Any:
    if coll == "cash":
        return js.get("date")
    if coll == "journey":
        return (js.get("stage"), js.get("activity"))
    if coll == "dismissals":
        return (js.get("rule"), js.get("subject"))
    return js.get("id")


def _references_to(db: TinyDB, coll: str, key: Any) -> str:
    counts = []
    if coll == "clients":
        for other in ("engagements", "invoices"):
            n = sum(1 for d in db.table(other).all() if d.get("client") == key)
            if n:
                counts.append(f"{n} {other}")
    elif coll == "engagements":
        n = sum(1 for d in db.table("invoices").all() if d.get("engagement") == key)
        if n:
            counts.append(f"{n} invoices")
    return " and ".join(counts)
