"""A team on one data file: conflicts, tombstones, the audit log, backups and restore."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tui_advisor import model, paths
from tui_advisor.store import Conflict, Store, StoreError
from tui_advisor.workspace import ReadOnly, Workspace, load_rulebook, read_document

AS_OF = date(2026, 11, 26)


def session(path: Path, user: str) -> Workspace:
    ws = Workspace(Store(path, user=user, backup_minutes=0), load_rulebook(), as_of=AS_OF)
    ws.load()
    return ws


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    path = tmp_path / "agency.json"
    Store(path, user="owner").import_document(read_document(paths.sample_file("demo")), replace=True)
    return path


def client(ws: Workspace, cid: str = "c-lumen") -> model.Client:
    return next(c for c in ws.records("clients") if c.id == cid)


def test_an_edit_of_a_record_a_teammate_changed_is_a_conflict_naming_them(shared: Path) -> None:
    sam, ann = session(shared, "sam"), session(shared, "ann")
    sam.save("clients", replace(client(sam), industry="Biotech"), original=client(sam))
    stale = client(ann)
    with pytest.raises(Conflict) as info:
        ann.save("clients", replace(stale, industry="Media"), original=stale)
    c = info.value
    assert (c.by, c.deleted) == ("sam", False)
    assert c.current["industry"] == "Biotech"
    assert "sam changed this record" in c.message and "ago" in c.message or "just now" in c.message
    assert client(session(shared, "x")).industry == "Biotech"  # nothing overwritten
    ann.save("clients", replace(stale, industry="Media"), original=stale, force=True)  # "overwrite"
    assert client(session(shared, "x")).industry == "Media"


def test_a_record_a_teammate_deleted_is_reported_not_resurrected(shared: Path) -> None:
    sam, ann = session(shared, "sam"), session(shared, "ann")
    journey = sam.records("journey")[0]
    sam.delete("journey", journey)
    with pytest.raises(Conflict) as info:
        ann.save("journey", replace(journey, activity=journey.activity + " (more)"), original=journey)
    assert info.value.deleted and info.value.by == "sam"
    assert journey.activity not in {j.activity for j in session(shared, "x").records("journey")}
    with pytest.raises(Conflict):
        ann.delete("journey", journey)


def test_a_write_after_a_teammates_write_brings_in_their_change_too(shared: Path) -> None:
    sam, ann = session(shared, "sam"), session(shared, "ann")
    sam.save("clients", replace(client(sam, "c-maple"), industry="Bakery"), original=client(sam, "c-maple"))
    ann.save("clients", replace(client(ann), industry="Optics"), original=client(ann))
    assert client(ann, "c-maple").industry == "Bakery"  # ann's session read the whole file again
    assert client(ann).industry == "Optics"


def test_adding_a_key_a_teammate_just_added_is_refused(shared: Path) -> None:
    sam, ann = session(shared, "sam"), session(shared, "ann")
    entry = model.CashEntry(date=AS_OF, balance=1000)
    sam.save("cash", entry)
    with pytest.raises(StoreError, match="already a cash balance for 2026-11-26 .added by sam"):
        ann.save("cash", replace(entry, balance=2000))


def test_every_change_is_in_the_audit_log_with_who_and_the_fields(shared: Path) -> None:
    sam = session(shared, "sam")
    before = client(sam)
    sam.save("clients", replace(before, enjoy=1), original=before)
    history, skipped = sam.history("clients", client(sam))
    assert skipped == 0
    last = history[-1]
    assert last["by"] == "sam" and last["action"] == "save"
    change = last["changes"][0]
    assert change["before"]["enjoy"] == before.enjoy and change["after"]["enjoy"] == 1
    assert history[0]["action"] == "import --replace" and history[0]["by"] == "owner"


def test_a_log_entry_the_data_file_never_reached_is_ignored(shared: Path) -> None:
    store = Store(shared, user="sam")
    revision = store.revision()
    store._append_log(revision + 1, "2026-11-26T10:00:00Z", "save", [{"kind": "clients", "key": "ghost"}])
    assert all(e["rev"] <= revision for e in store.history())
    session(shared, "ann").save("clients", model.Client(id="c-real", name="Real"))
    entries = store.history()
    assert entries[-1]["by"] == "ann" and entries[-1]["changes"][0]["key"] == "c-real"


def test_backups_rotate_and_restore_brings_back_an_earlier_state(shared: Path) -> None:
    store = Store(shared, user="sam", backups=3, backup_minutes=0)
    for i in range(5):
        store.put("clients", model.Client(id=f"c-{i}", name=f"Client {i}"))
    backups = store.list_backups()
    assert len(backups) == 3
    oldest_kept = Store(backups[-1]).load()
    shared.write_text("{ damaged")  # a truncated file
    with pytest.raises(StoreError):
        store.load()
    store.restore(backups[-1])
    assert {c.id for c in store.load().clients} == {c.id for c in oldest_kept.clients}
    assert any("before-restore" in b.name for b in store.list_backups())
    assert store.history()[-1]["action"].startswith("restore ")


def test_a_backup_keeps_the_file_mode_and_group(shared: Path) -> None:
    import os
    import stat

    os.chmod(shared, 0o660)
    store = Store(shared, user="sam", backup_minutes=0)
    log_mode = stat.S_IMODE(os.stat(store.log_path).st_mode)
    store.put("clients", model.Client(id="c-x", name="X"))
    newest = store.list_backups()[0]
    assert stat.S_IMODE(os.stat(newest).st_mode) == 0o660
    assert stat.S_IMODE(os.stat(shared).st_mode) == 0o660
    # a file that was there already is never chmod-ed (it may be a teammate's, linked in) ...
    assert stat.S_IMODE(os.stat(store.log_path).st_mode) == log_mode
    # ... a log this process creates gets the data file's mode
    store.log_path.unlink()
    store.put("clients", model.Client(id="c-y", name="Y"))
    assert stat.S_IMODE(os.stat(store.log_path).st_mode) == 0o660


def test_a_read_only_session_refuses_changes_and_keeps_the_file(shared: Path, monkeypatch) -> None:
    monkeypatch.setattr(Store, "writable", lambda self: False)
    ws = session(shared, "guest")
    assert ws.read_only
    before = shared.read_bytes()
    with pytest.raises(ReadOnly, match="read-only"):
        ws.save("clients", model.Client(id="c-new", name="New"))
    with pytest.raises(ReadOnly):
        ws.delete("journey", ws.records("journey")[0])
    assert shared.read_bytes() == before


def test_restore_refuses_a_backup_that_is_not_a_data_file(shared: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.json"
    bogus.write_text(json.dumps({"users": []}))
    before = shared.read_bytes()
    with pytest.raises(StoreError, match="not a tui-advisor data file"):
        Store(shared).restore(bogus)
    assert shared.read_bytes() == before
