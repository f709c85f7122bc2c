"""`tui-advisor review list|show|since` in every format, as subprocesses, on a data file holding a
closed review and one under way (made through the workspace, as the app makes them), on an
interchange file (--input) and the demo; `history` with a point at the closed review; bad input
exits 2 naming the field or the ids there are."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tui_advisor import model
from tui_advisor.store import Store
from tui_advisor.workspace import Workspace, load_rulebook
from tui_advisor.workspace.review import item_key

AS_OF = date(2026, 11, 26)


def _ws(path: Path, user: str) -> Workspace:
    ws = Workspace(Store(path, user=user), load_rulebook(), as_of=AS_OF)
    ws.load()
    return ws


def _decide(ws: Workspace, review: str, item: str, kind: str, **kw) -> model.Decision:
    d = model.Decision(item=item, kind=kind, by=ws.user, at="2026-11-26T10:00:00Z", **kw)
    return ws.review.plan_decide(review, d, seen=None).now()


@pytest.fixture
def reviewed(demo_store: Path) -> dict:
    """The demo with review rv-0001 closed (an accept, a dismissal, a park; sam and kim) and then
    kim's changes and review rv-0002 under way."""
    sam = _ws(demo_store, "sam")
    first = sam.review.plan_start().now()
    recs = sam.advice.recommendations
    keys = [item_key(r.rule, r.subject) for r in recs]
    accepted = _decide(sam, first.id, keys[0], "accept", owner="kim")
    _decide(sam, first.id, keys[1], "dismiss", reason="we know | *why*")
    _decide(sam, first.id, keys[2], "park", note="next time")
    sam.load()
    closed, _ = sam.review.plan_close(first.id, attendees=["sam", "kim"], rating=8, notes="a good hour").now()
    kim = _ws(demo_store, "kim")
    kim.save("cash", model.CashEntry(date=AS_OF, balance=12345.0))
    second = kim.review.plan_start().now()
    return {"path": demo_store, "closed": closed, "second": second, "keys": keys, "accepted": accepted}


def test_review_list_text_and_json(run, cli, reviewed) -> None:
    data = reviewed["path"]
    text = cli.ok(run("review", "list", "--data", data)).stdout
    lines = text.splitlines()
    assert lines[0] == "Reviews of Northwind Studio"
    assert lines[1].startswith("rv-0001  2026-11-26  closed ") and "3 decided  sam, kim" in lines[1]
    assert lines[2].startswith("rv-0002") and "under way" in lines[2] and lines[2].endswith("kim")
    assert all(len(line) <= 80 for line in lines)
    got = json.loads(cli.ok(run("review", "list", "--format", "json", "--data", data)).stdout)
    closed = reviewed["closed"]
    assert [r["id"] for r in got["reviews"]] == ["rv-0001", "rv-0002"]
    first = got["reviews"][0]
    assert (first["closed"], first["score"], first["rating"], first["decisions"]) == (closed.closed, closed.score, 8, 3)
    assert got["reviews"][1]["closed"] is None


def test_review_show_in_every_format(run, cli, reviewed, local_zone) -> None:
    local_zone("Europe/Amsterdam")
    data, closed = reviewed["path"], reviewed["closed"]
    js = json.loads(cli.ok(run("review", "show", "rv-0001", "--format", "json", "--data", data)).stdout)
    assert js == model.record_to_json("reviews", closed)
    assert js["closed"].endswith("Z")  # the JSON keeps UTC
    md = cli.ok(run("review", "show", "rv-0001", "--format", "markdown", "--data", data)).stdout
    assert md.startswith("# Review rv-0001 of Northwind Studio\n")
    assert "- Attendees: sam, kim" in md and "- Rating: 8/10" in md
    assert "dismissed: we know \\| \\*why\\*" in md  # the reason's markdown is escaped
    assert "accepted: action " + reviewed["accepted"].action + ", owner kim" in md
    assert "2026-11-26 11:00 CET" in md  # the decision's time, in the local zone
    text = cli.ok(run("review", "show", "rv-0001", "--data", data)).stdout
    assert "State: closed" in text and "not decided" in text and "parked" in text
    assert "Notes: a good hour" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_review_show_an_unknown_id_names_the_ids_there_are(run, cli, reviewed) -> None:
    err = cli.usage_error(run("review", "show", "rv-9", "--data", reviewed["path"]))
    assert "no review 'rv-9'" in err and "rv-0001, rv-0002" in err
    err = cli.usage_error(run("review", "show", "x", "--demo"))
    assert "there are no reviews yet" in err


def test_review_since_in_every_format(run, cli, reviewed) -> None:
    data = reviewed["path"]
    js = json.loads(cli.ok(run("review", "since", "--format", "json", "--data", data)).stdout)
    assert js["review"] == "rv-0001" and js["since"] == reviewed["closed"].closed
    assert [(c["kind"], c["what"], c["by"]) for c in js["changes"]] == [("cash", "added", "kim")]
    assert js["by"] == {"kim": 1}
    deltas = {d["name"]: d for d in js["deltas"]}
    assert deltas["cash_balance"]["now"] == 12345.0
    assert deltas["cash_balance"]["then"] == reviewed["closed"].metrics["cash_balance"]
    assert deltas["score"]["then"] == reviewed["closed"].score
    assert [a["id"] for a in js["actions"]] == [reviewed["accepted"].action]
    assert js["actions"][0]["done"] is False
    text = cli.ok(run("review", "since", "--data", data)).stdout
    assert text.startswith("Since review rv-0001 closed (")
    assert "kim  added cash 2026-11-26" in text and "By: kim 1" in text
    assert "cash_balance" in text and "-> 12345" in text
    md = cli.ok(run("review", "since", "--format", "markdown", "--data", data)).stdout
    assert md.startswith("# Since review rv-0001\n") and "| cash\\_balance |" in md


def test_review_commands_read_an_interchange_file(run, cli, reviewed, tmp_path) -> None:
    exported = tmp_path / "exported.json"
    cli.ok(run("export", "-o", exported, "--data", reviewed["path"]))
    got = json.loads(cli.ok(run("review", "list", "--format", "json", "--input", exported)).stdout)
    assert [r["id"] for r in got["reviews"]] == ["rv-0001", "rv-0002"]
    js = json.loads(cli.ok(run("review", "show", "rv-0001", "--format", "json", "--input", exported)).stdout)
    assert js == model.record_to_json("reviews", reviewed["closed"])
    since = json.loads(cli.ok(run("review", "since", "--format", "json", "--input", exported)).stdout)
    assert since["review"] == "rv-0001" and since["changes"] == [] and since["logged"] is False  # no audit log
    text = cli.ok(run("review", "since", "--input", exported)).stdout
    assert "No audit log" in text


def test_the_demo_has_no_reviews(run, cli) -> None:
    assert "No reviews yet" in cli.ok(run("review", "list", "--demo")).stdout
    assert json.loads(cli.ok(run("review", "list", "--demo", "--format", "json")).stdout) == {"reviews": []}
    since = json.loads(cli.ok(run("review", "since", "--demo", "--format", "json")).stdout)
    assert since["review"] is None and since["deltas"] == []


def test_history_has_the_closed_review_as_a_point(run, cli, reviewed) -> None:
    data, closed = reviewed["path"], reviewed["closed"]
    got = json.loads(
        cli.ok(run("history", "--months", "2", "--as-of", "2026-11-30", "--format", "json", "--data", data)).stdout
    )
    points = got["points"]
    assert [(p["as_of"], p["review"]) for p in points] == [
        ("2026-09-30", None),
        ("2026-10-31", None),
        ("2026-11-26", "rv-0001"),
        ("2026-11-30", None),
    ]
    at = points[2]
    assert (at["score"], at["pillars"], at["metrics"]) == (closed.score, closed.pillars, closed.metrics)
    text = cli.ok(run("history", "--months", "2", "--as-of", "2026-11-30", "--data", data)).stdout
    row = next(line for line in text.splitlines() if line.startswith("2026-11-26"))
    assert row.endswith(" rv-0001") and len(row) <= 80
    md = cli.ok(run("history", "--months", "2", "--as-of", "2026-11-30", "--format", "markdown", "--data", data)).stdout
    assert "| 2026-11-26 (review rv-0001) |" in md


def test_a_closed_review_cannot_be_changed_by_an_import(run, cli, reviewed, tmp_path) -> None:
    data = reviewed["path"]
    doc = json.loads(cli.ok(run("export", "--data", data)).stdout)
    doc["reviews"][0]["notes"] = "rewritten afterwards"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc), encoding="utf-8")
    before = data.read_bytes()
    err = cli.usage_error(run("import", changed, "--data", data))
    assert "the review 'rv-0001' was closed at" in err and "a closed review never changes" in err
    assert data.read_bytes() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r.update(rating=11), "reviews[0].rating"),
        (lambda r: r.update(closed="yesterday"), "reviews[0].closed"),
        (lambda r: r["decisions"][1].update(reason=""), "reviews[0].decisions[1].reason"),
        (lambda r: r.update(attendees=["sam", "\x1b[31mkim"]), "reviews[0].attendees"),
    ],
)
def test_a_bad_review_in_a_file_exits_2_naming_the_field(run, cli, reviewed, tmp_path, change, field) -> None:
    doc = json.loads(cli.ok(run("export", "--data", reviewed["path"])).stdout)
    change(doc["reviews"][0])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    err = cli.usage_error(run("review", "list", "--input", bad))
    assert field in err
    assert "\x1b" not in err
