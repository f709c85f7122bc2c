"""The field-level three-way merge (workspace/merge.py), pure and through the workspace.

Pure: base (as the form opened it), theirs (stored now), mine (the form's): disjoint fields
merge, the same field changed to the same value is no clash, to different values a clash
to choose, a list (an action's steps) is one value, a field cleared by one side is a change
like any other, and a merged record that breaks a domain rule is no clean merge.

Through the workspace, with two Stores (two users) on one file: a save that meets a
teammate's change to other fields stores both and says whose it kept; the same field raises
MergeClash (a Conflict) and writes nothing, and its resolution stores the chosen values,
writing into the audit entry whose change it replaced, which the teammate's workspace
then reads (once: only the entries after a revision), and nobody else's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tui_advisor import model
from tui_advisor.paths import sample_file
from tui_advisor.store import Conflict, Store
from tui_advisor.workspace import Workspace, load_rulebook, read_document
from tui_advisor.workspace.merge import MINE, THEIRS, MergeClash, merge_records

AS_OF = date(2026, 11, 26)

ACME = model.Client(id="c-acme", name="ACME", industry="Manufacturing", enjoy=4, note="call on mondays")


def test_fields_changed_on_either_side_only_merge() -> None:
    theirs = replace(ACME, industry="Robotics")
    mine = replace(ACME, enjoy=2, note="email first")
    m = merge_records("clients", ACME, theirs, mine)
    assert m.clean and not m.clashes
    assert m.record == replace(ACME, industry="Robotics", enjoy=2, note="email first")
    assert m.theirs_changed == ("industry",)
    assert m.mine_changed == ("enjoy", "note")


def test_the_same_field_changed_to_the_same_value_is_no_clash() -> None:
    theirs = replace(ACME, industry="Robotics", note="x")
    mine = replace(ACME, industry="Robotics")
    m = merge_records("clients", ACME, theirs, mine)
    assert m.clean
    assert m.record == replace(ACME, industry="Robotics", note="x")
    assert m.theirs_changed == ("note",) and m.mine_changed == ()


def test_the_same_field_changed_to_different_values_is_a_clash_settled_per_field() -> None:
    theirs = replace(ACME, industry="Robotics", enjoy=5)
    mine = replace(ACME, industry="Energy", enjoy=1, note="new note")
    m = merge_records("clients", ACME, theirs, mine, who={"industry": ("sam", "2026-12-01T10:00:00Z")})
    assert not m.clean
    assert [(c.field, c.label, c.base, c.theirs, c.mine) for c in m.clashes] == [
        ("industry", "Industry", "Manufacturing", "Robotics", "Energy"),
        ("enjoy", "Enjoy working with them", 4, 5, 1),
    ]
    assert (m.clashes[0].by, m.clashes[0].at) == ("sam", "2026-12-01T10:00:00Z")
    assert (m.clashes[1].by, m.clashes[1].at) == ("", "")
    with pytest.raises(ValueError, match="Enjoy working with them"):
        m.resolve({"industry": MINE})
    # my note (changed by me only) is kept whatever the clashes' choices
    assert m.resolve({"industry": MINE, "enjoy": THEIRS}) == replace(ACME, industry="Energy", enjoy=5, note="new note")
    assert m.resolve({"industry": THEIRS, "enjoy": THEIRS}) == replace(theirs, note="new note")
    assert m.overwritten({"industry": MINE, "enjoy": THEIRS}) == ["industry"]
    assert m.overwritten({"industry": THEIRS, "enjoy": THEIRS}) == []


def test_a_list_field_is_one_value() -> None:
    steps = [model.Step("call", date(2026, 12, 3)), model.Step("write", date(2026, 12, 10))]
    base = model.ActionItem(id="a-1", title="Raise prices", steps=steps)
    ticked = [replace(steps[0], done=date(2026, 12, 1)), steps[1]]
    added = [*steps, model.Step("send", date(2026, 12, 17))]
    # they ticked a step off, I renamed the action: both kept
    m = merge_records("actions", base, replace(base, steps=ticked), replace(base, title="Raise prices 10%"))
    assert m.clean and m.record == replace(base, title="Raise prices 10%", steps=ticked)
    # both changed the steps (they ticked one, I added one): a clash of the whole list, not a mix
    m = merge_records("actions", base, replace(base, steps=ticked), replace(base, steps=added))
    assert [(c.field, c.label) for c in m.clashes] == [("steps", "Steps")]
    assert m.resolve({"steps": MINE}).steps == added
    assert m.resolve({"steps": THEIRS}).steps == ticked


def test_a_field_cleared_by_one_side_is_a_change() -> None:
    # they cleared the note: it stays cleared, my other change is kept
    m = merge_records("clients", ACME, replace(ACME, note=""), replace(ACME, enjoy=5))
    assert m.clean and m.record == replace(ACME, note="", enjoy=5)
    # I cleared the industry (None), they changed it: a clash, the empty value is mine
    m = merge_records("clients", ACME, replace(ACME, industry="Robotics"), replace(ACME, industry=None))
    assert [(c.field, c.theirs, c.mine) for c in m.clashes] == [("industry", "Robotics", None)]
    assert m.resolve({"industry": MINE}).industry is None


def test_a_merged_record_that_breaks_a_domain_rule_is_no_clean_merge() -> None:
    base = model.Engagement(
        id="e-1", client="c-acme", kind="project", start=date(2026, 1, 1), end=date(2026, 6, 30), price=10000
    )
    theirs = replace(base, end=date(2026, 3, 1))  # they moved the end forward
    mine = replace(base, start=date(2026, 4, 1))  # I moved the start past it
    assert model.record_problems("engagements", theirs) == [] and model.record_problems("engagements", mine) == []
    m = merge_records("engagements", base, theirs, mine)
    assert not m.clashes and m.problems and not m.clean
    assert {p.field for p in m.problems} & {"start", "end"}
    assert m.choosable == ("start", "end")  # every field either side changed: one of them gives way
    assert m.resolve({"start": THEIRS}) == theirs
    assert m.resolve({"end": MINE}) == mine


# --------------------------------------------------------------------------- through the workspace


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "agency.json"
    Store(p).import_document(read_document(sample_file("demo")), replace=True)
    return p


def session(path: Path, user: str) -> Workspace:
    ws = Workspace(Store(path, user=user), load_rulebook(), as_of=AS_OF)
    ws.load()
    return ws


def client(ws: Workspace, cid: str = "c-acme") -> model.Client:
    return next(c for c in ws.records("clients") if c.id == cid)


def on_file(path: Path, cid: str = "c-acme") -> model.Client:
    return next(c for c in Store(path).load().clients if c.id == cid)


def test_a_save_meeting_a_teammates_change_to_other_fields_keeps_both(path: Path) -> None:
    sam, ann = session(path, "sam"), session(path, "ann")
    opened = client(ann)  # Ann opens ACME's form
    seen = ann.meta_of("clients", opened).rev
    sam.save("clients", replace(client(sam), industry="Robotics"), original=client(sam))
    after_sam = Store(path).revision()
    w = ann.plan_save("clients", replace(opened, enjoy=1), original=opened, seen_rev=seen)
    w.now()
    assert on_file(path) == replace(opened, industry="Robotics", enjoy=1)
    assert Store(path).revision() == after_sam + 1  # merged and stored in one write (under the lock)
    assert client(ann) == replace(opened, industry="Robotics", enjoy=1)  # her workspace holds the merged one
    assert w.merging is not None and w.merging.said() == "merged with sam's change to Industry"
    entry = Store(path).last_entry()
    assert entry["by"] == "ann" and "overwrote" not in entry


def test_the_same_field_raises_a_clash_and_its_resolution_tells_the_teammate_once(path: Path) -> None:
    sam, ann, bob = session(path, "sam"), session(path, "ann"), session(path, "bob")
    opened = client(ann)
    seen = ann.meta_of("clients", opened).rev
    sam.save("clients", replace(client(sam), industry="Robotics", enjoy=5), original=client(sam))
    before = path.read_bytes()
    w = ann.plan_save("clients", replace(opened, industry="Energy", note="n"), original=opened, seen_rev=seen)
    with pytest.raises(MergeClash) as info:
        w.now()
    assert isinstance(info.value, Conflict) and not info.value.deleted
    assert path.read_bytes() == before  # nothing written
    clash = info.value.merge.clashes
    assert [(c.field, c.theirs, c.mine, c.by) for c in clash] == [("industry", "Robotics", "Energy", "sam")]
    assert clash[0].at.endswith("Z")

    sam_rev = sam.revision
    w.merging.resolve({"industry": MINE})
    w.now()
    # mine for the industry, his enjoy kept, my note kept
    assert on_file(path) == replace(opened, industry="Energy", enjoy=5, note="n")
    entry = Store(path).last_entry()
    assert entry["overwrote"] == [{"user": "sam", "kind": "clients", "key": "c-acme", "fields": ["industry"]}]

    sam.load()
    assert sam.overwrites_since(sam_rev) == ["ann overwrote your change to Industry of client ACME [Ltd]"]
    assert sam.overwrites_since(sam.revision) == []  # told once: only what came after what was read
    assert bob.overwrites_since(sam_rev) == []  # only the teammate whose change it was
    assert ann.overwrites_since(sam_rev) == []  # nor the one who overwrote it


def test_a_teammates_deletion_stays_a_conflict(path: Path) -> None:
    Store(path, user="sam").put("clients", model.Client(id="c-zephyr", name="Zephyr"))
    sam, ann = session(path, "sam"), session(path, "ann")
    opened = client(ann, "c-zephyr")
    sam.delete("clients", client(sam, "c-zephyr"))
    with pytest.raises(Conflict) as info:
        ann.save("clients", replace(opened, industry="Games"), original=opened, seen_rev=1)
    assert info.value.deleted and not isinstance(info.value, MergeClash)


def test_a_toggled_step_merges_with_a_teammates_new_title(path: Path) -> None:
    sam, ann = session(path, "sam"), session(path, "ann")
    action = next(a for a in ann.records("actions") if a.steps)
    theirs = replace(action, title="Renamed by Sam")
    sam.save("actions", theirs, original=next(a for a in sam.records("actions") if a.id == action.id))
    updated = ann.toggle_step(action, 0)
    assert updated.title == "Renamed by Sam" and updated.steps[0].done != action.steps[0].done
    stored = next(a for a in Store(path).load().actions if a.id == action.id)
    assert stored == updated


def test_overwrite_notes_from_a_crafted_log_are_read_safely(path: Path) -> None:
    """Any member can write anything into the shared audit log: malformed notes are skipped,
    names are shown escaped, nothing raises."""
    sam = session(path, "sam")
    rev = sam.revision
    ann = Store(path, user="ann")
    ann.put("clients", replace(client(sam), note="x"))
    log = path.with_name(path.name + ".audit.jsonl")
    text = log.read_text()
    crafted = text.rstrip("\n").rsplit("\n", 1)
    import json

    entry = json.loads(crafted[1])
    entry["by"] = "ann\x1b[2J"
    entry["overwrote"] = [
        "junk",
        {"user": "sam", "kind": "nope", "key": "c-acme", "fields": ["industry"]},
        {"user": "sam", "kind": "clients", "key": "c-acme", "fields": "industry"},
        {"user": "sam", "kind": "clients", "key": "c-acme", "fields": ["industry", 3, "made\x07up"]},
    ]
    log.write_text(crafted[0] + "\n" + json.dumps(entry) + "\n")
    assert sam.overwrites_since(rev) == []  # not read in here yet: nothing to tell of it
    sam.load()
    lines = sam.overwrites_since(rev)
    assert lines == ["ann\\x1b[2J overwrote your change to Industry, made\\x07up of client ACME [Ltd]"]
