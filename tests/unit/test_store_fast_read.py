"""A big store is read by the fast decode (store._fast_parts: the document's JSON through
model.fastdecode), a small one and any doubtful one by the complete validator; either way
the snapshot holds exactly the same records, revisions and authors, and an invalid store is
refused with every problem worded, as before.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typed_values import typed

from tui_advisor import model, paths
from tui_advisor.store import Store, StoreError
from tui_advisor.store import store as store_mod


def _no_validator(m: pytest.MonkeyPatch) -> None:
    """From here on, the complete validator fails the test if it runs."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the complete validator ran")

    m.setattr(model, "validate_document", refuse)


def _snapshot(path: Path, monkeypatch: pytest.MonkeyPatch, *, fast: bool) -> Any:
    """A fresh Store's snapshot of ``path``, by the fast decode only (the validator would fail the
    test) or by the complete validator only."""
    with monkeypatch.context() as m:
        if fast:
            m.setattr(store_mod, "FAST_FROM", 0)
            _no_validator(m)
        else:
            m.setattr(store_mod, "FAST_FROM", 10**9)
        return Store(path).snapshot()


def _same(a: Any, b: Any) -> None:
    assert typed(a.data) == typed(b.data)
    assert a.revision == b.revision
    assert a.meta.aligned_metas() == b.meta.aligned_metas()  # each record's revision, author and time


@pytest.mark.parametrize("sample", ["demo", "healthy", "firm_a"])
def test_a_sample_store_reads_the_same_both_ways(sample: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = paths.sample_file("demo").parent / f"{sample}.json"
    if not source.exists():
        pytest.skip(f"no sample {sample}")
    path = tmp_path / "agency.json"
    Store(path).import_document(json.loads(source.read_text(encoding="utf-8")))
    fast = _snapshot(path, monkeypatch, fast=True)
    complete = _snapshot(path, monkeypatch, fast=False)
    _same(fast, complete)
    assert fast.data.invoices  # a sample with records, not an empty store


def test_a_generated_agency_over_the_threshold_takes_the_fast_decode(
    synthetic_agency: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = synthetic_agency("S")
    assert sum(len(doc.get(k) or ()) for k in model.COLLECTIONS) >= store_mod.FAST_FROM
    path = tmp_path / "agency.json"
    Store(path).import_document(doc)
    complete = _snapshot(path, monkeypatch, fast=False)
    _no_validator(monkeypatch)  # the default threshold: the fast decode alone
    _same(Store(path).snapshot(), complete)


def _edit_stored(path: Path, kind: str, change: Any) -> None:
    """Change the first stored record of ``kind`` by hand, as a teammate's editor would."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    table = raw[kind]
    first = table[sorted(table, key=int)[0]]
    change(first)
    path.write_text(json.dumps(raw), encoding="utf-8")


@pytest.mark.parametrize(
    "kind, change, words",
    [
        ("invoices", lambda r: r.update(amount="many"), "amount"),
        ("invoices", lambda r: r.update(paid="1999-01-01"), "is before"),
        ("invoices", lambda r: r.update(client="nobody"), "no client with id 'nobody'"),
        ("clients", lambda r: r.update(name="   "), "name"),
    ],
)
def test_an_invalid_big_store_is_refused_with_its_problem(
    kind: str, change: Any, words: str, synthetic_agency: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast decode declines; the complete validator words the problem, as for a small store."""
    path = tmp_path / "agency.json"
    Store(path).import_document(synthetic_agency("S"))
    _edit_stored(path, kind, change)
    monkeypatch.setattr(store_mod, "FAST_FROM", 0)
    with pytest.raises(StoreError) as caught:
        Store(path).snapshot()
    assert "holds invalid records" in caught.value.message
    assert words in caught.value.message
