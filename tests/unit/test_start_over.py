"""Store.start_over / Workspace.plan_start_over: the data file emptied after a whole backup."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_advisor import paths
from tui_advisor.store import Store, StoreError
from tui_advisor.workspace import Workspace, load_rulebook, read_document


def demo_store(path: Path, **kwargs) -> Store:
    store = Store(path, **kwargs)
    store.import_document(read_document(paths.sample_file("demo")), replace=True)
    return store


def test_start_over_keeps_the_file_whole_then_empties_it(tmp_path: Path) -> None:
    path = tmp_path / "agency.json"
    store = demo_store(path)
    before, revision = path.read_bytes(), store.revision()
    backup = store.start_over()
    assert backup.parent == store.backup_dir and backup in store.list_backups()
    assert backup.read_bytes() == before
    snap = Store(path).snapshot()
    assert snap.revision == revision + 1  # teammates' apps see a newer file and read it
    assert not snap.data.agency.name and all(not getattr(snap.data, k) for k in ("clients", "invoices", "cash"))
    entry = Store(path).history()[-1]
    assert entry["action"] == "start over"
    assert sum(1 for c in entry["changes"] if c["kind"] == "clients" and c["after"] is None) == 12
    store.restore(backup)  # and the backup puts it back
    assert len(Store(path).load().clients) == 12


def test_start_over_is_refused_without_backups_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "agency.json"
    store = demo_store(path, backups=0)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="backups are turned off"):
        store.start_over()
    assert path.read_bytes() == before
    with pytest.raises(StoreError, match="nothing to start over"):
        Store(tmp_path / "none.json").start_over()
    assert not (tmp_path / "none.json").exists()


def test_the_workspace_is_new_after_starting_over(tmp_path: Path) -> None:
    ws = Workspace(demo_store(tmp_path / "agency.json"), load_rulebook())
    ws.load()
    assert not ws.is_new
    backup = ws.plan_start_over().now()
    assert ws.is_new and not ws.data.clients and backup.exists()


def test_the_demo_copy_leaves_the_data_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "agency.json"
    ws = Workspace(Store(path), load_rulebook())
    ws.load()
    demo = ws.demo_copy()
    assert demo.is_demo and demo.path.parent != path.parent and len(demo.data.clients) == 12
    assert demo.as_of.isoformat() == "2026-11-26"  # the date the demo describes, as `--demo`
    assert not path.exists()
    folder = demo.path.parent
    del demo
    import gc

    gc.collect()
    assert not folder.exists()  # the temporary copy goes with its workspace (at the latest at exit)
