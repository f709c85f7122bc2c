"""A large data file read by a child process (workspace/prefetch.py) gives exactly what a direct
read gives: the same records, revisions, advice and errors; when the child fails, nothing is
lost (the caller reads the file itself)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tui_advisor import model
from tui_advisor.store import Store, StoreError, key_of
from tui_advisor.workspace import Workspace, load_rulebook, prefetch

AS_OF = date(2026, 11, 26)


def workspace_on(path: Path, user: str = "ann") -> Workspace:
    return Workspace(Store(path, user=user), load_rulebook(), as_of=AS_OF)


@pytest.fixture
def agency_file(tmp_path: Path, synthetic_agency: Callable[[str], Any]) -> Path:
    """The synthetic S agency (1,345 records), then edits by a teammate: revisions differ."""
    path = tmp_path / "agency.json"
    Store(path, user="ann").import_document(synthetic_agency("S"), replace=True)
    sam = workspace_on(path, "sam")
    sam.load()
    for client in sam.records("clients")[:3]:
        sam.save("clients", replace(client, enjoy=1), original=client)
    invoice = sam.records("invoices")[0]
    sam.delete("invoices", invoice)
    return path


def test_a_prefetched_snapshot_is_the_one_a_direct_read_gives(agency_file: Path) -> None:
    pending = prefetch.start(workspace_on(agency_file), threshold=0)
    assert pending is not None
    snap, advice, seconds = pending.result()
    direct, direct_advice = workspace_on(agency_file).fetch()

    assert snap.data == direct.data
    assert len(snap.data.invoices) == len(direct.data.invoices) > 900
    assert (snap.revision, snap.token) == (direct.revision, direct.token)
    authors = set()
    for kind in model.COLLECTIONS:
        for record in getattr(direct.data, kind):
            key = (kind, key_of(kind, record))
            assert snap.meta.get(key) == direct.meta.get(key), key
            authors.add(snap.meta.get(key).by)
    assert authors == {"ann", "sam"}
    assert advice == direct_advice
    assert [r.title for r in advice.recommendations] == [r.title for r in direct_advice.recommendations]
    assert seconds > 0


def test_the_child_sends_each_distinct_date_once(agency_file: Path) -> None:
    """The fast decode of a big file makes a date object per record; what the child sends holds
    one per distinct date (pickle writes each object once: a smaller, quicker hand-over), and the
    parent's records are the same values either way."""
    pending = prefetch.start(workspace_on(agency_file), threshold=0)
    assert pending is not None
    snap, _, _ = pending.result()
    issued = [inv.issued for inv in snap.data.invoices]
    assert len({id(d) for d in issued}) == len(set(issued)) < len(issued)
    direct, _ = workspace_on(agency_file).fetch()
    assert [inv.issued for inv in direct.data.invoices] == issued


def test_a_workspace_on_a_prefetched_snapshot_saves_with_conflict_checks(agency_file: Path) -> None:
    ws = workspace_on(agency_file)
    pending = prefetch.start(ws, threshold=0)
    assert pending is not None
    snap, advice, _ = pending.result()
    ws.adopt(snap, advice)
    client = ws.records("clients")[0]
    assert ws.meta_of("clients", client).by == "sam"  # the teammate's edit, with its revision
    ws.save("clients", replace(client, enjoy=5), original=client)
    assert next(c for c in Store(agency_file).load().clients if c.id == client.id).enjoy == 5


def test_a_damaged_file_gives_the_error_a_direct_read_gives(tmp_path: Path, agency_file: Path) -> None:
    damaged = tmp_path / "damaged.json"
    damaged.write_bytes(agency_file.read_bytes()[: agency_file.stat().st_size // 2])
    pending = prefetch.start(workspace_on(damaged), threshold=0)
    assert pending is not None
    with pytest.raises(StoreError) as prefetched:
        pending.result()
    with pytest.raises(StoreError) as direct:
        workspace_on(damaged).fetch()
    assert str(prefetched.value) == str(direct.value)
    assert prefetched.value.damaged and prefetched.value.path == damaged


def test_when_the_child_dies_the_caller_is_told_to_read_the_file_itself(
    agency_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Workspace, "fetch", lambda self: os._exit(3))  # runs in the child only
    pending = prefetch.start(workspace_on(agency_file), threshold=0)
    assert pending is not None
    with pytest.raises(prefetch.Unavailable):
        pending.result()


def test_small_and_missing_files_are_read_directly(tmp_path: Path, agency_file: Path) -> None:
    assert agency_file.stat().st_size < prefetch.LARGE
    assert prefetch.start(workspace_on(agency_file)) is None
    assert prefetch.start(workspace_on(tmp_path / "none.json"), threshold=0) is None
