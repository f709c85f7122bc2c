"""`tui-advisor log` says when a save overwrote a teammate's change (workspace/merge.py).

Ann keeps her industry over Sam's in a clash (through the workspace, as the app's
side-by-side dialog does); the log, run as a subprocess, prints the entry's note in text
and keeps it in JSON. A note crafted into the shared log is shown escaped, a malformed one
left out, and the command does not fail.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tui_advisor.store import Store
from tui_advisor.workspace import Workspace, load_rulebook
from tui_advisor.workspace.merge import MINE, MergeClash


def session(path: Path, user: str) -> Workspace:
    ws = Workspace(Store(path, user=user), load_rulebook(), as_of=date(2026, 11, 26))
    ws.load()
    return ws


def acme(ws: Workspace):
    return next(c for c in ws.records("clients") if c.id == "c-acme")


def test_log_shows_whose_change_a_save_overwrote(demo_store: Path, run, cli) -> None:
    sam, ann = session(demo_store, "sam"), session(demo_store, "ann")
    opened, seen = acme(ann), ann.meta_of("clients", acme(ann)).rev
    sam.save("clients", replace(acme(sam), industry="Robotics"), original=acme(sam))
    w = ann.plan_save("clients", replace(opened, industry="Energy"), original=opened, seen_rev=seen)
    with pytest.raises(MergeClash):
        w.now()
    w.merging.resolve({"industry": MINE})
    w.now()

    text = cli.ok(run("log", "--data", demo_store, "--limit", "1")).stdout
    lines = text.splitlines()
    assert "  ann  save  (1 change)" in lines[0]
    assert lines[1] == "    ~ clients c-acme: industry: 'Robotics' -> 'Energy'"
    assert lines[2] == "    ! overwrote sam's change to industry (clients c-acme)"
    entries = json.loads(cli.ok(run("log", "--data", demo_store, "--limit", "1", "--format", "json")).stdout)
    assert entries[0]["overwrote"] == [{"user": "sam", "kind": "clients", "key": "c-acme", "fields": ["industry"]}]


def test_a_crafted_overwrite_note_is_shown_escaped(demo_store: Path, run, cli) -> None:
    Store(demo_store, user="ann").put("clients", replace(acme(session(demo_store, "ann")), note="x"))
    log = demo_store.with_name(demo_store.name + ".audit.jsonl")
    lines = log.read_text().splitlines()
    entry = json.loads(lines[-1])
    entry["overwrote"] = [7, {"user": 3, "fields": ["a"]}, {"user": "sam\x1b]0;owned\x07", "fields": ["note\x1b[2J"]}]
    log.write_text("\n".join([*lines[:-1], json.dumps(entry)]) + "\n")
    text = cli.ok(run("log", "--data", demo_store, "--limit", "1")).stdout
    notes = [line for line in text.splitlines() if line.startswith("    ! ")]
    assert notes == ["    ! overwrote sam\\x1b]0;owned\\x07's change to note\\x1b[2J"]
    assert "\x1b" not in text
