"""The team review's core (workspace/review.py): start and join, decisions (one per item, read and
written under the lock), the clash of two teammates on one item, accept making an action with weekly
steps, closing (what is stored; afterwards the store refuses any change from any path), the
agenda's scorecard and issues, "since last review", the minutes, history's review points."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from tui_advisor import model, reviewdoc
from tui_advisor.engine.rules import PILLARS
from tui_advisor.paths import sample_file
from tui_advisor.store import Store, StoreError
from tui_advisor.workspace import Rulebook, Workspace, load_rulebook, read_document
from tui_advisor.workspace import history as history_mod
from tui_advisor.workspace.review import OFF_TRACK, OFF_TRACK_BELOW, DecisionClash, ReviewError, item_key

AS_OF = date(2026, 11, 26)  # the demo's date


@pytest.fixture
def rulebook() -> Rulebook:
    return load_rulebook()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "data" / "agency.json"
    Store(p, user="sam").import_document(read_document(sample_file("demo")), replace=True)
    return p


def open_ws(path: Path, rulebook: Rulebook, user: str) -> Workspace:
    ws = Workspace(Store(path, user=user), rulebook, as_of=AS_OF)
    ws.load()
    return ws


@pytest.fixture
def sam(path: Path, rulebook: Rulebook) -> Workspace:
    return open_ws(path, rulebook, "sam")


@pytest.fixture
def kim(path: Path, rulebook: Rulebook) -> Workspace:
    return open_ws(path, rulebook, "kim")


def stored(path: Path) -> model.AgencyData:
    return Store(path).load()


def decision(ws: Workspace, item: str, kind: str, **kw) -> model.Decision:
    return model.Decision(item=item, kind=kind, by=ws.user, at="2026-12-01T17:00:00Z", **kw)


def rec_keys(ws: Workspace) -> list[str]:
    assert ws.advice is not None
    return [item_key(r.rule, r.subject) for r in ws.advice.recommendations]


# ------------------------------------------------------------------ start and join


def test_start_makes_one_review_and_a_teammate_joins_it(sam: Workspace, kim: Workspace, path: Path) -> None:
    first = sam.review.plan_start().now()
    assert first.id == "rv-0001" and first.closed is None and first.by == "sam" and first.leader == "sam"
    assert first.attendees == ["sam"] and first.as_of == AS_OF
    joined = kim.review.plan_start().now()  # kim read the file before sam started: still joins
    assert joined.id == "rv-0001" and joined.attendees == ["sam", "kim"]
    reviews = stored(path).reviews
    assert [r.id for r in reviews] == ["rv-0001"] and reviews[0].attendees == ["sam", "kim"]
    assert sam.review.plan_start().now().attendees == ["sam", "kim"]  # joining again changes nothing
    sam.load()
    assert sam.review.current() is not None and sam.review.current().id == "rv-0001"
    assert sam.review.last_closed() is None


def test_take_lead_and_attend(sam: Workspace, kim: Workspace, path: Path) -> None:
    r = sam.review.plan_start().now()
    kim.load()
    assert kim.review.plan_take_lead(r.id).now().leader == "kim"
    assert sam.review.plan_attend(r.id, "alex").now().attendees == ["sam", "alex"]
    got = stored(path).reviews[0]
    assert got.leader == "kim" and got.attendees == ["sam", "alex"]
    with pytest.raises(model.ValidationError, match="attendees"):
        sam.review.plan_attend(r.id, "al\x1bex")


# ------------------------------------------------------------------ decisions


def test_two_teammates_deciding_different_items_keep_both(sam: Workspace, kim: Workspace, path: Path) -> None:
    r = sam.review.plan_start().now()
    kim.load()
    a, b = rec_keys(sam)[:2]
    sam.review.plan_decide(r.id, decision(sam, a, "park"), seen=None).now()
    kim.review.plan_decide(r.id, decision(kim, b, "park", note="next week"), seen=None).now()  # kim never re-read
    got = stored(path).reviews[0]
    assert {(d.item, d.by) for d in got.decisions} == {(a, "sam"), (b, "kim")}
    assert got.decision(b).note == "next week"


def test_the_same_item_decided_twice_raises_the_clash_with_theirs(sam: Workspace, kim: Workspace, path: Path) -> None:
    r = sam.review.plan_start().now()
    kim.load()
    item = rec_keys(sam)[0]
    mine = sam.review.plan_decide(r.id, decision(sam, item, "park", note="later"), seen=None).now()
    before = path.read_bytes()
    with pytest.raises(DecisionClash) as caught:
        kim.review.plan_decide(r.id, decision(kim, item, "park"), seen=None).now()
    assert caught.value.theirs == mine and caught.value.theirs.by == "sam"
    assert "sam decided this item meanwhile" in str(caught.value)
    assert path.read_bytes() == before  # nothing written
    # seen theirs: deciding on top of it is allowed
    kim.load()
    kim.review.plan_decide(r.id, decision(kim, item, "park", note="kim's"), seen=caught.value.theirs).now()
    assert stored(path).reviews[0].decision(item).by == "kim"


def test_accept_makes_an_action_with_owner_weekly_steps_and_the_review(sam: Workspace, path: Path) -> None:
    r = sam.review.plan_start().now()
    rec = sam.advice.recommendations[0]
    key = item_key(rec.rule, rec.subject)
    d = sam.review.plan_decide(r.id, decision(sam, key, "accept", owner="kim"), seen=None).now()
    data = stored(path)
    action = next(a for a in data.actions if a.id == d.action)
    assert action.owner == "kim" and action.review == r.id and action.rule == rec.rule
    assert [s.title for s in action.steps] == [a[: model.MAX_SENTENCE] for a in rec.actions]
    assert [s.due for s in action.steps] == [AS_OF + timedelta(days=7 * (i + 1)) for i in range(len(rec.actions))]
    assert action.due == action.steps[-1].due
    assert data.reviews[0].decision(key).action == action.id and data.reviews[0].decision(key).owner == "kim"


def test_accepting_again_keeps_the_action_and_its_progress(sam: Workspace, kim: Workspace, path: Path) -> None:
    r = sam.review.plan_start().now()
    key = rec_keys(sam)[0]
    first = sam.review.plan_decide(r.id, decision(sam, key, "accept"), seen=None).now()
    sam.load()
    action = next(a for a in sam.data.actions if a.id == first.action)
    sam.toggle_step(action, 0)
    again = sam.review.plan_decide(r.id, decision(sam, key, "accept", owner="kim"), seen=first).now()
    assert again.action == first.action
    data = stored(path)
    assert [a.id for a in data.actions].count(first.action) == 1
    kept = next(a for a in data.actions if a.id == first.action)
    assert kept.owner == "kim" and kept.steps[0].done == AS_OF


def test_accept_without_owner_is_owned_by_who_decided(sam: Workspace, path: Path) -> None:
    r = sam.review.plan_start().now()
    d = sam.review.plan_decide(r.id, decision(sam, rec_keys(sam)[0], "accept"), seen=None).now()
    assert d.owner == "sam"
    assert next(a for a in stored(path).actions if a.id == d.action).owner == "sam"


def test_dismiss_and_snooze_make_the_dismissal(sam: Workspace, path: Path) -> None:
    r = sam.review.plan_start().now()
    a, b = sam.advice.recommendations[:2]
    sam.review.plan_decide(r.id, decision(sam, item_key(a.rule, a.subject), "dismiss", reason="known"), seen=None).now()
    until = AS_OF + timedelta(days=30)
    sam.review.plan_decide(
        r.id, decision(sam, item_key(b.rule, b.subject), "snooze", until=until, reason="after Q1"), seen=None
    ).now()
    ds = {(d.rule, d.subject): d for d in stored(path).dismissals}
    da, db = ds[(a.rule, a.subject or "")], ds[(b.rule, b.subject or "")]
    assert (da.reason, da.by, da.on, da.until) == ("known", "sam", AS_OF, None)
    assert (db.reason, db.by, db.until) == ("after Q1", "sam", until)
    # the issues list keeps what this review dismissed (the advice hides it now)
    sam.load()
    current = sam.review.current()
    assert item_key(a.rule, a.subject) in [i.key for i in sam.review.issues(current)]


def test_park_stores_only_the_decision(sam: Workspace, path: Path) -> None:
    before = stored(path)
    r = sam.review.plan_start().now()
    sam.review.plan_decide(r.id, decision(sam, rec_keys(sam)[0], "park"), seen=None).now()
    after = stored(path)
    assert after.actions == before.actions and after.dismissals == before.dismissals


@pytest.mark.parametrize(
    ("kind", "extra", "field"),
    [
        ("snooze", {}, "until"),
        ("dismiss", {}, "reason"),
        ("dismiss", {"reason": "  "}, "reason"),
        ("maybe", {}, "kind"),
        ("snooze", {"until": AS_OF}, "until"),
    ],
)
def test_a_bad_decision_names_the_field_and_writes_nothing(
    sam: Workspace, path: Path, kind: str, extra: dict, field: str
) -> None:
    r = sam.review.plan_start().now()
    before = path.read_bytes()
    with pytest.raises(model.ValidationError) as caught:
        sam.review.plan_decide(r.id, decision(sam, rec_keys(sam)[0], kind, **extra), seen=None)
    assert [p.field for p in caught.value.items] == [field], caught.value.problems
    assert path.read_bytes() == before


# ------------------------------------------------------------------ closing


def test_close_stores_what_was_shown_and_decided(sam: Workspace, path: Path, rulebook: Rulebook) -> None:
    r = sam.review.plan_start().now()
    key = rec_keys(sam)[0]
    sam.review.plan_decide(r.id, decision(sam, key, "park"), seen=None).now()
    sam.load()
    shown = sam.review.issues(sam.review.current())
    closed, written = sam.review.plan_close(r.id, attendees=["sam", "kim"], rating=8, notes="good one").now()
    assert written == []
    got = stored(path).reviews[0]
    assert got == closed and got.closed is not None
    assert (got.attendees, got.rating, got.notes) == (["sam", "kim"], 8, "good one")
    point = history_mod.point(rulebook, stored(path), AS_OF)
    assert got.score == point.score and got.pillars == point.pillars and got.metrics == point.metrics
    assert [i.key for i in got.items] == [i.key for i in shown]
    assert got.decision(key).kind == "park"
    sam.load()
    assert sam.review.current() is None and sam.review.last_closed().id == r.id


def test_a_closed_review_is_refused_by_put_import_delete_and_decide(sam: Workspace, path: Path) -> None:
    r = sam.review.plan_start().now()
    sam.review.plan_close(r.id).now()
    sam.load()
    closed = sam.review.get(r.id)
    store = Store(path, user="mallory")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="a closed review never changes"):
        store.put("reviews", replace(closed, notes="rewritten"))
    with pytest.raises(StoreError, match="a closed review never changes"):
        store.delete("reviews", r.id)
    doc = model.to_document(stored(path))
    doc["reviews"][0]["rating"] = 10
    with pytest.raises(StoreError, match="a closed review never changes"):
        store.import_document(doc)
    doc["reviews"] = []
    with pytest.raises(StoreError, match="a closed review never changes"):
        store.import_document(doc, replace=True)
    with pytest.raises(ReviewError, match="closed"):
        sam.review.plan_decide(r.id, decision(sam, rec_keys(sam)[0], "park"), seen=None).now()
    assert path.read_bytes() == before
    # the same closed review imported again (an export's round trip) changes nothing and is fine
    store.import_document(model.to_document(stored(path)))
    assert stored(path).reviews[0] == closed


def test_minutes_written_to_a_folder_never_over_a_file_never_through_a_link(sam: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    folder.mkdir()
    os.chmod(folder, 0o2770)
    (folder / "rv-0001.md").write_text("someone's file")
    (folder / "rv-0001-2.md").symlink_to(tmp_path / "target.md")  # a planted link: not followed, not used
    r = sam.review.plan_start().now()
    closed, written = sam.review.plan_close(r.id, minutes_dir=folder).now()
    assert [p.name for p in written] == ["rv-0001-3.md", "rv-0001.json"]
    assert not (tmp_path / "target.md").exists()
    assert (folder / "rv-0001.md").read_text() == "someone's file"
    assert written[0].read_text(encoding="utf-8") == reviewdoc.minutes_markdown(closed, sam.data.agency)
    assert json.loads(written[1].read_text(encoding="utf-8")) == reviewdoc.minutes_json(closed)
    assert stat.S_IMODE(written[1].stat().st_mode) == 0o660


def test_the_minutes_folder_is_the_one_beside_the_data_file_when_made(sam: Workspace, path: Path) -> None:
    assert sam.review.minutes_dir() is None
    folder = path.with_name(path.name + ".minutes")
    folder.mkdir()
    assert sam.review.minutes_dir() == folder
    r = sam.review.plan_start().now()
    _, written = sam.review.plan_close(r.id, minutes_dir=sam.review.minutes_dir()).now()
    assert sorted(p.name for p in folder.iterdir()) == ["rv-0001.json", "rv-0001.md"] == sorted(p.name for p in written)


def test_minutes_refuse_a_linked_folder_and_the_review_stays_closed(sam: Workspace, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    r = sam.review.plan_start().now()
    with pytest.raises(StoreError, match="symbolic link"):
        sam.review.plan_close(r.id, minutes_dir=link).now()
    assert list(real.iterdir()) == []
    assert Store(sam.store.path).load().reviews[0].closed is not None  # closing is stored first


# ------------------------------------------------------------------ the agenda


def test_scorecard_status_is_unknown_when_the_score_is(sam: Workspace) -> None:
    lines = sam.review.scorecard()
    assert lines
    for line in lines:
        if line.now is None:
            assert line.status == "unknown"
        else:
            assert line.status == (OFF_TRACK if line.now < OFF_TRACK_BELOW else "on track")


def test_off_track_pillars_go_onto_the_issues_list(sam: Workspace) -> None:
    r = sam.review.plan_start().now()
    sam.load()
    off = [line.pillar for line in sam.review.scorecard() if line.status == OFF_TRACK]
    assert off, "the demo has an off-track pillar"
    keys = [i.key for i in sam.review.issues(sam.review.get(r.id))]
    by_urgency = sorted(off, key=lambda p: -PILLARS[p]["weight"])  # the guide's order: cash first
    assert keys[: len(off)] == [f"pillar:{p}" for p in by_urgency]
    assert keys[len(off) :] == rec_keys(sam)


def test_last_actions_trend_and_completion_in_the_next_review(sam: Workspace, path: Path) -> None:
    r = sam.review.plan_start().now()
    keys = rec_keys(sam)
    d1 = sam.review.plan_decide(r.id, decision(sam, keys[0], "accept"), seen=None).now()
    sam.review.plan_decide(r.id, decision(sam, keys[1], "accept"), seen=None).now()
    sam.review.plan_close(r.id).now()
    sam.load()
    action = next(a for a in sam.data.actions if a.id == d1.action)
    for i in range(len(action.steps)):
        action = sam.toggle_step(action, i)
    second = sam.review.plan_start().now()
    sam.load()
    agenda = sam.review.agenda(sam.review.get(second.id))
    assert [(a.action.id, a.done) for a in agenda.last_actions][0] == (d1.action, True)
    assert agenda.completion == 0.5
    last = sam.review.last_closed()
    for line in agenda.scorecard:
        assert line.last == last.pillars.get(line.pillar)
    # carry over the undone one, drop nothing
    undone = agenda.last_actions[1].action.id
    sam.review.plan_carry(second.id, undone, False).now()
    assert next(a for a in stored(path).actions if a.id == undone).dropped == AS_OF
    sam.review.plan_carry(second.id, undone, True).now()
    got = stored(path)
    assert got.reviews[1].carried == [undone] and got.reviews[1].dropped == []
    assert next(a for a in got.actions if a.id == undone).dropped is None


def test_since_last_review_lists_the_changes_by_whom_and_the_deltas(sam: Workspace, kim: Workspace) -> None:
    r = sam.review.plan_start().now()
    sam.review.plan_close(r.id).now()
    kim.load()
    kim.save("cash", model.CashEntry(date=AS_OF, balance=1.0))
    client = kim.data.clients[0]
    kim.save("clients", replace(client, note="changed"), original=client)
    sam.load()
    since = sam.review.since()
    assert since.review == r.id and since.since == sam.review.last_closed().closed
    assert [(c.kind, c.what, c.by) for c in since.changes] == [("cash", "added", "kim"), ("clients", "changed", "kim")]
    assert since.by == {"kim": 2}
    cash = next(d for d in since.deltas if d.name == "cash_balance")
    assert cash.now == 1.0 and cash.then is not None and cash.delta == pytest.approx(1.0 - cash.then)


def test_since_without_a_review_counts_every_change(sam: Workspace) -> None:
    since = sam.review.since()
    assert since.since is None and since.review is None and since.deltas == []
    assert since.changes and all(c.by == "sam" for c in since.changes)


# ------------------------------------------------------------------ history and the data format


def test_history_has_a_point_at_each_closed_review(sam: Workspace, rulebook: Rulebook, path: Path) -> None:
    r = sam.review.plan_start().now()
    closed, _ = sam.review.plan_close(r.id).now()
    points = history_mod.history(rulebook, stored(path), AS_OF, 3)
    at_review = [p for p in points if p.review is not None]
    assert [(p.review, p.as_of, p.score, p.pillars) for p in at_review] == [(r.id, AS_OF, closed.score, closed.pillars)]
    assert [p.as_of for p in points] == sorted(p.as_of for p in points)


def test_a_review_round_trips_through_the_format(sam: Workspace, path: Path) -> None:
    r = sam.review.plan_start().now()
    sam.review.plan_decide(r.id, decision(sam, rec_keys(sam)[0], "accept"), seen=None).now()
    sam.review.plan_close(r.id, rating=7).now()
    data = stored(path)
    doc = json.loads(json.dumps(model.to_document(data)))
    assert model.from_document(doc).reviews == data.reviews


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r.update(started="2026-12-01 17:00"), "started"),
        (lambda r: r.update(rating=11), "rating"),
        (lambda r: r.update(attendees=["ok", ""]), "attendees"),
        (lambda r: r.update(pillars={"cash": "high"}), "pillars"),
        (lambda r: r.update(metrics={"x": [1]}), "metrics"),
        (
            lambda r: r["decisions"].append({"item": "X", "kind": "snooze", "by": "a", "at": "2026-12-01T00:00:00Z"}),
            "decisions[0].until",
        ),
    ],
)
def test_bad_review_fields_are_named(change, field: str) -> None:
    review = {"id": "rv-1", "started": "2026-12-01T17:00:00Z", "by": "sam", "as_of": "2026-11-26", "decisions": []}
    change(review)
    doc = {"format": model.FORMAT, "version": model.VERSION, "agency": {"name": "A"}, "reviews": [review]}
    with pytest.raises(model.ValidationError) as caught:
        model.validate_document(doc)
    assert [p.field for p in caught.value.items] == [field]


def test_a_crafted_review_id_cannot_put_the_minutes_elsewhere(sam: Workspace, path: Path, tmp_path: Path) -> None:
    crafted = model.Review(id="../../evil", started="2026-11-26T09:00:00Z", by="mallory", leader="", as_of=AS_OF)
    Store(path, user="mallory").put("reviews", crafted)
    sam.load()
    folder = tmp_path / "minutes"
    folder.mkdir()
    _, written = sam.review.plan_close(crafted.id, minutes_dir=folder).now()
    assert sorted(p.name for p in folder.iterdir()) == ["______evil.json", "______evil.md"]
    assert all(p.parent == folder for p in written)


def test_the_fast_reader_reads_reviews_as_the_complete_validator(sam: Workspace, path: Path) -> None:
    from tui_advisor.model import fastdecode

    r = sam.review.plan_start().now()
    sam.review.plan_decide(r.id, decision(sam, rec_keys(sam)[0], "dismiss", reason="a: b"), seen=None).now()
    sam.review.plan_close(r.id, attendees=["sam"], rating=6).now()
    raw = json.dumps(model.to_document(stored(path))).encode()
    fast = fastdecode.decode_document(raw)
    assert fast is not None and fast["reviews"] == model.validate_document(json.loads(raw))["reviews"]
    assert fast["reviews"][0].decisions[0].reason == "a: b"
    twice = raw.replace(b'"rating": 6', b'"rating": 6, "rating": 7', 1)  # a key twice: the complete path decides
    assert twice != raw and fastdecode.decode_document(twice) is None
    wrong = raw.replace(b'"rating": 6', b'"rating": 60', 1)
    assert fastdecode.decode_document(wrong) is None


def test_a_rule_text_with_line_breaks_or_controls_is_stored_as_one_line(sam: Workspace, path: Path) -> None:
    r = sam.review.plan_start().now()
    sam.load()

    def crafted():  # what a user's rule file may hold
        rec = sam.advice.recommendations[0]
        rec.title = "Collect\tthe overdue\ninvoices"
        rec.message = "line one\nline two \x1b[31m"
        rec.actions = ["first\nstep"]
        return rec

    rec = crafted()
    d = sam.review.plan_decide(r.id, decision(sam, item_key(rec.rule, rec.subject), "accept"), seen=None).now()
    crafted()  # the advice was computed again after the write
    closed, _ = sam.review.plan_close(r.id).now()
    item = next(i for i in closed.items if i.rule == rec.rule)
    assert item.title == "Collect the overdue invoices"
    assert item.message == "line one line two \\x1b[31m"
    action = next(a for a in stored(path).actions if a.id == d.action)
    assert action.title == "Collect the overdue invoices" and action.steps[0].title == "first step"


def test_teammates_deciding_at_the_same_time_lose_nothing(path: Path, rulebook: Rulebook) -> None:
    import threading

    first = open_ws(path, rulebook, "sam")
    r = first.review.plan_start().now()
    keys = rec_keys(first)[:6]
    people = [open_ws(path, rulebook, user) for user in ("sam", "kim", "alex")]
    errors: list[BaseException] = []

    def decide(ws: Workspace, mine: list[str]) -> None:
        try:
            for key in mine:
                w = ws.review.plan_decide(r.id, decision(ws, key, "park"), seen=None)
                w.run()  # the write only, as the app's worker thread does (finish() is the app thread's)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=decide, args=(ws, keys[i::3])) for i, ws in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    got = stored(path).reviews[0]
    assert sorted((d.item, d.by) for d in got.decisions) == sorted(
        (key, ("sam", "kim", "alex")[i % 3]) for i, key in enumerate(keys)
    )


def test_a_dismissed_item_keeps_its_place_on_the_issues_list(sam: Workspace) -> None:
    """Dismissing hides a recommendation from the advice; on the review's list it stays where it was
    (the priority order), so the list does not jump under the team's eyes."""
    r = sam.review.plan_start().now()
    sam.load()
    before = [i.key for i in sam.review.issues(sam.review.get(r.id))]
    middle = rec_keys(sam)[1]
    sam.review.plan_decide(r.id, decision(sam, middle, "dismiss", reason="not now"), seen=None).now()
    sam.load()
    assert middle not in rec_keys(sam)  # hidden from the advice
    assert [i.key for i in sam.review.issues(sam.review.get(r.id))] == before


def test_a_changed_decision_takes_back_what_the_first_one_did(sam: Workspace, path: Path) -> None:
    """Dismissed, then parked: the dismissal goes, and the recommendation is back in the advice.
    Accepted, then dismissed: the action item it made is dropped (kept, dated), not left open."""
    r = sam.review.plan_start().now()
    sam.load()
    first, second = rec_keys(sam)[:2]
    d = sam.review.plan_decide(r.id, decision(sam, first, "dismiss", reason="not now"), seen=None).now()
    sam.load()
    assert first not in rec_keys(sam) and len(stored(path).dismissals) == 1
    sam.review.plan_decide(r.id, decision(sam, first, "park"), seen=d).now()
    sam.load()
    assert first in rec_keys(sam) and stored(path).dismissals == []
    a = sam.review.plan_decide(r.id, decision(sam, second, "accept"), seen=None).now()
    sam.load()
    sam.review.plan_decide(r.id, decision(sam, second, "dismiss", reason="on second thought"), seen=a).now()
    action = next(x for x in stored(path).actions if x.id == a.action)
    assert action.dropped == AS_OF


def test_the_minutes_list_the_new_actions_with_owner_due_and_steps(sam: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    folder.mkdir()
    r = sam.review.plan_start().now()
    sam.load()
    key = rec_keys(sam)[0]
    d = sam.review.plan_decide(r.id, decision(sam, key, "accept", owner="kim"), seen=None).now()
    closed, written = sam.review.plan_close(r.id, minutes_dir=folder).now()
    text = written[0].read_text(encoding="utf-8")
    action = next(a for a in stored(folder.parent / "data" / "agency.json").actions if a.id == d.action)
    assert "## Actions" in text
    row = next(line for line in text.splitlines() if line.startswith(f"| {action.title} |"))
    assert f"| kim | {action.due.isoformat()} | {len(action.steps)}; next: {action.steps[0].title} |" in row
    assert "## Actions" not in reviewdoc.minutes_markdown(closed, sam.data.agency)  # without the data's actions
