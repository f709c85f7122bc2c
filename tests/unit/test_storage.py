"""The data file through TinyDB (store/storage.py): a save into a file nobody changed since this
Store read or wrote it parses nothing, and any other change of the file -- a teammate's save, a
file renamed over it, an edit in place that keeps its size and modification time -- is read."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from tinydb import Query, TinyDB

from tui_advisor import model, paths
from tui_advisor.store import Store, StoreError
from tui_advisor.store import files as store_files
from tui_advisor.store.storage import DataFile, OneWrite
from tui_advisor.workspace import read_document


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "agency.json"
    Store(path, user="owner", backups=0).import_document(read_document(paths.sample_file("demo")), replace=True)
    return path


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every parse of a data file (DataFile reads through files.read_json_stat)."""
    seen: list[Path] = []
    real = store_files.read_json_stat

    def counting(p: Path):  # type: ignore[no-untyped-def]
        seen.append(p)
        return real(p)

    monkeypatch.setattr(store_files, "read_json_stat", counting)
    return seen


def renamed(store: Store, cid: str, name: str) -> model.Client:
    return replace(next(c for c in store.load().clients if c.id == cid), name=name)


def test_saves_into_a_file_nobody_changed_read_nothing(path: Path, reads: list[Path]) -> None:
    store = Store(path, user="sam", backups=0)
    snap = store.snapshot()
    assert len(reads) == 1
    lumen = next(c for c in snap.data.clients if c.id == "c-lumen")
    store.put("clients", replace(lumen, name="Lumen One"))
    store.put("clients", replace(lumen, name="Lumen Two"))
    assert len(reads) == 1  # the snapshot's tables, then the ones each save wrote
    assert store.snapshot().revision == snap.revision + 2 and len(reads) == 1
    fresh = Store(path).load()  # what is on disk, read by another Store
    assert next(c.name for c in fresh.clients if c.id == "c-lumen") == "Lumen Two"


def test_a_teammates_save_is_read_and_kept(path: Path, reads: list[Path]) -> None:
    sam, ann = Store(path, user="sam", backups=0), Store(path, user="ann", backups=0)
    sam.snapshot()
    ann.put("clients", renamed(ann, "c-lumen", "Lumen by Ann"))
    sam.put("clients", renamed(Store(path), "c-juniper", "Juniper by Sam"))
    names = {c.id: c.name for c in Store(path).load().clients}
    assert (names["c-lumen"], names["c-juniper"]) == ("Lumen by Ann", "Juniper by Sam")


def test_a_file_renamed_over_the_data_file_is_read(path: Path) -> None:
    store = Store(path, user="sam", backups=0)
    store.snapshot()
    theirs = json.loads(path.read_text(encoding="utf-8"))
    doc = next(d for d in theirs["clients"].values() if d["id"] == "c-lumen")
    doc["name"] = "Planted"
    other = path.with_name("theirs.json")
    other.write_text(json.dumps(theirs), encoding="utf-8")
    os.replace(other, path)
    store.put("clients", renamed(Store(path), "c-juniper", "Nordwind"))
    names = {c.id: c.name for c in Store(path).load().clients}
    assert (names["c-lumen"], names["c-juniper"]) == ("Planted", "Nordwind")


def test_an_edit_in_place_keeping_size_and_mtime_is_read(path: Path) -> None:
    """Only the status-change time tells this one: nobody can set it back."""
    store = Store(path, user="sam", backups=0)
    store.snapshot()
    before = os.stat(path)
    text = path.read_bytes()
    assert b'"Lumen Labs"' in text
    with open(path, "r+b") as fh:  # same inode, same size
        fh.write(text.replace(b'"Lumen Labs"', b'"Lumen Bats"'))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the modification time set back
    assert (os.stat(path).st_size, os.stat(path).st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    store.put("clients", renamed(Store(path), "c-juniper", "Nordwind"))
    names = {c.id: c.name for c in Store(path).load().clients}
    assert (names["c-lumen"], names["c-juniper"]) == ("Lumen Bats", "Nordwind")


def test_a_refused_save_leaves_nothing_behind_in_the_tables_held(path: Path, reads: list[Path]) -> None:
    store = Store(path, user="sam", backups=0)
    store.snapshot()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="already"), store.transaction() as tx:
        tx.db.table("clients").update({"name": "Half done"}, Query().id == "c-lumen")
        raise StoreError(path, "already there")  # the body fails after changing the tables
    assert path.read_bytes() == before
    store.put("clients", renamed(Store(path), "c-juniper", "Nordwind"))
    names = {c.id: c.name for c in Store(path).load().clients}
    assert names["c-lumen"] == "Lumen Labs" and names["c-juniper"] == "Nordwind"


def test_tinydb_reads_and_writes_the_data_file_through_the_storage(path: Path) -> None:
    """The storage and middleware are TinyDB's extension points: plain TinyDB code works on them."""
    storage = OneWrite(lambda: DataFile(path))
    db = TinyDB(storage=storage)
    assert db.table("clients").get(Query().id == "c-lumen")["name"] == "Lumen Labs"
    revision = storage.revision
    db.table("clients").update({"name": "Lumen via TinyDB"}, Query().id == "c-lumen")
    assert "Lumen via TinyDB" not in path.read_text(encoding="utf-8")  # nothing written before commit
    storage.commit(revision + 1)
    data = Store(path).snapshot()
    assert data.revision == revision + 1
    assert next(c.name for c in data.data.clients if c.id == "c-lumen") == "Lumen via TinyDB"


def test_the_data_file_is_compact_json_tinydb_reads(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert json.loads(text)["_meta"]["1"]["format"] == "tui-advisor/store"
    assert ", " not in text[:200] and '": ' not in text[:200]
    assert json.loads(text) == TinyDB(path, access_mode="r").storage.read()


def test_an_import_after_a_delete_keeps_the_stored_ids_and_appends_the_new(path: Path) -> None:
    store = Store(path, user="sam", backups=0)
    store.put("clients", model.Client(id="c-gone", name="Gone"))
    store.put("clients", model.Client(id="c-last", name="Last"))
    before = json.loads(path.read_text(encoding="utf-8"))["clients"]
    gone = next(cid for cid in before if before[cid]["id"] == "c-gone")
    store.delete("clients", "c-gone")  # a hole below the highest id
    doc = {"format": model.FORMAT, "version": model.VERSION, "clients": [{"id": "c-new", "name": "New"}]}
    store.import_document(doc)
    after = json.loads(path.read_text(encoding="utf-8"))["clients"]
    kept = {doc_id: d["id"] for doc_id, d in before.items() if doc_id != gone}
    assert {doc_id: after[doc_id]["id"] for doc_id in kept} == kept
    assert [d["id"] for doc_id, d in after.items() if doc_id not in kept] == ["c-new"]
    assert int(next(k for k, d in after.items() if d["id"] == "c-new")) == max(map(int, before)) + 1
    assert [c.id for c in store.load().clients][-1] == "c-new"
