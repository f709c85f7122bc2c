"""The TinyDB store: merge semantics, one write per transaction, atomicity, file safety."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from tui_advisor import model
from tui_advisor.paths import sample_file
from tui_advisor.store import Store, StoreError
from tui_advisor.store import files as store_files

DOC = {
    "format": "tui-advisor/agency",
    "version": 1,
    "agency": {"name": "Test Agency", "monthly_operating_costs": 10000},
    "clients": [{"id": "a", "name": "Alpha"}, {"id": "b", "name": "Beta"}],
    "engagements": [{"id": "e1", "client": "a", "kind": "retainer", "start": "2026-01-01", "monthly_fee": 5000}],
    "invoices": [{"id": "i1", "client": "a", "engagement": "e1", "issued": "2026-02-01", "amount": 5000}],
    "cash": [{"date": "2026-10-31", "balance": 30000}],
}


def only(**collections):
    return {"format": "tui-advisor/agency", "version": 1, **collections}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "agency.json")
    s.import_document(DOC)
    return s


def test_import_then_load_gives_the_records(store: Store) -> None:
    data = store.load()
    assert data.agency.name == "Test Agency"
    assert [c.id for c in data.clients] == ["a", "b"]
    assert data.invoices[0].amount == 5000
    assert data.cash[0].balance == 30000


def test_merge_adds_new_ids_updates_existing_and_leaves_other_collections(store: Store) -> None:
    result = store.import_document(only(clients=[{"id": "b", "name": "Beta Renamed"}, {"id": "c", "name": "Gamma"}]))
    assert result.added["clients"] == 1 and result.updated["clients"] == 1
    data = store.load()
    assert [(c.id, c.name) for c in data.clients] == [("a", "Alpha"), ("b", "Beta Renamed"), ("c", "Gamma")]
    assert len(data.invoices) == 1 and len(data.engagements) == 1 and data.agency.name == "Test Agency"


def test_merge_cash_by_date(store: Store) -> None:
    store.import_document(only(cash=[{"date": "2026-10-31", "balance": 1}, {"date": "2026-11-30", "balance": 2}]))
    assert [(c.date.isoformat(), c.balance) for c in store.load().cash] == [("2026-10-31", 1), ("2026-11-30", 2)]


def test_merge_may_reference_stored_records(store: Store) -> None:
    store.import_document(only(invoices=[{"id": "i2", "client": "b", "issued": "2026-03-01", "amount": 10}]))
    assert [i.id for i in store.load().invoices] == ["i1", "i2"]


def test_replace_swaps_everything(store: Store) -> None:
    store.import_document({**only(clients=[{"id": "z", "name": "Zed"}]), "agency": {"name": "Other"}}, replace=True)
    data = store.load()
    assert [c.id for c in data.clients] == ["z"] and data.invoices == [] and data.agency.name == "Other"


def test_invalid_import_writes_nothing(store: Store) -> None:
    before = store.path.read_bytes()
    bad = only(
        engagements=[{"id": "e9", "client": "nobody", "kind": "retainer", "start": "2026-02-30", "monthly_fee": "lots"}]
    )
    with pytest.raises(model.ValidationError) as info:
        store.import_document(bad)
    problems = info.value.problems
    assert "engagements[0].client: no client with id 'nobody'" in problems
    assert any(p.startswith("engagements[0].start: is not a real date") for p in problems)
    assert any(p.startswith("engagements[0].monthly_fee: must be a number") for p in problems)
    assert store.path.read_bytes() == before


def test_bulk_import_is_one_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writes = []
    real = store_files.write_json_atomic
    monkeypatch.setattr(store_files, "write_json_atomic", lambda p, d: (writes.append(p), real(p, d))[1])
    doc = json.loads(sample_file("demo").read_text())
    Store(tmp_path / "a.json").import_document(doc)
    assert len(writes) == 1


def test_export_round_trips_exactly(tmp_path: Path) -> None:
    doc = json.loads(sample_file("demo").read_text())
    a, b = Store(tmp_path / "a.json"), Store(tmp_path / "b.json")
    a.import_document(doc)
    exported = a.export_document()
    assert exported == doc
    b.import_document(exported, replace=True)
    assert json.dumps(b.export_document()) == json.dumps(exported)


def test_put_validates_references_and_delete_refuses_referenced(store: Store) -> None:
    store.put("clients", model.Client(id="c", name="Gamma"))
    with pytest.raises(model.ValidationError):
        store.put(
            "invoices", model.Invoice(id="x", client="nobody", issued=model.parse_iso_date("2026-01-01"), amount=1)
        )
    with pytest.raises(StoreError, match="still used by 1 engagements and 1 invoices"):
        store.delete("clients", "a")
    assert store.delete("clients", "c") is True
    assert [c.id for c in store.load().clients] == ["a", "b"]


def test_revision_counts_transactions(store: Store) -> None:
    r = store.revision()
    store.put("clients", model.Client(id="c", name="Gamma"))
    assert store.revision() == r + 1


def test_write_keeps_file_mode_and_group(store: Store) -> None:
    os.chmod(store.path, 0o664)
    gid = os.stat(store.path).st_gid
    store.put("clients", model.Client(id="c", name="Gamma"))
    st = os.stat(store.path)
    assert stat.S_IMODE(st.st_mode) == 0o664
    assert st.st_gid == gid
    # and no temporary file is left behind
    assert [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_failed_write_leaves_old_file_and_no_temp(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    before = store.path.read_bytes()
    log_before = store.log_path.read_bytes()
    real_fsync = os.fsync

    def full_disk(fd: int) -> None:  # the data file's temporary file cannot be synced: the disk is full
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(StoreError, match="the disk is full"):
        store.put("clients", model.Client(id="c", name="Gamma"))
    assert store.path.read_bytes() == before
    assert store.log_path.read_bytes() == log_before  # the entry of the write that failed is cut off again
    assert [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"", "empty"),
        (b'{"_meta": {"1": {"format": "tui-advisor/store", "version": 1', "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not a text file"),
        (b'{"users": [1, 2, 3]}', "not a tui-advisor data file"),
        (b'{"_meta": {"1": {"format": "tui-advisor/store", "version": 99}}}', "newer tui-advisor"),
        (json.dumps(DOC).encode(), "interchange file"),
    ],
)
def test_bad_data_files_are_reported_and_never_overwritten(tmp_path: Path, content: bytes, phrase: str) -> None:
    path = tmp_path / "agency.json"
    path.write_bytes(content)
    store = Store(path)
    with pytest.raises(StoreError) as info:
        store.load()
    assert phrase in info.value.message and str(path) in str(info.value)
    with pytest.raises(StoreError):
        store.put("clients", model.Client(id="c", name="Gamma"))
    assert path.read_bytes() == content


def _add_clients(path: str, prefix: str, n: int) -> None:
    s = Store(path)
    for i in range(n):
        s.put("clients", model.Client(id=f"{prefix}{i}", name=f"{prefix} {i}"))


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "agency.json"
    Store(path).import_document(only(agency={"name": "Shared"}))
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_add_clients, args=(str(path), f"p{k}-", 25)) for k in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    ids = {c.id for c in Store(path).load().clients}
    assert len(ids) == 100


def test_lock_of_a_dead_process_does_not_block(tmp_path: Path) -> None:
    path = tmp_path / "agency.json"
    Store(path).import_document(only(agency={"name": "Shared"}))
    ctx = multiprocessing.get_context("fork")

    def hold_and_die() -> None:
        import fcntl

        fd = os.open(store_files.lock_path(path), os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os._exit(0)  # dies holding the lock; the kernel releases it

    p = ctx.Process(target=hold_and_die)
    p.start()
    p.join(10)
    s = Store(path, lock_timeout=2)
    s.put("clients", model.Client(id="x", name="X"))
    assert [c.id for c in s.load().clients] == ["x"]


def test_a_temp_file_left_by_a_killed_writer_is_removed_by_the_next_write(store: Store) -> None:
    stale = store.path.parent / f".{store.path.name}.abc123.tmp"
    stale.write_text('{"half": ')
    store.put("clients", model.Client(id="c", name="Gamma"))
    assert not stale.exists()
    assert [c.id for c in store.load().clients] == ["a", "b", "c"]


def test_a_file_without_write_permission_is_refused_before_anything_is_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.path.read_bytes()
    monkeypatch.setattr(Store, "writable", lambda self: False)
    with pytest.raises(StoreError, match="permission denied"):
        store.put("clients", model.Client(id="c", name="Gamma"))
    assert store.path.read_bytes() == before
