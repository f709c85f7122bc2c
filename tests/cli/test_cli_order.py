"""The order of urgency, the independence score's basis and an as-of date before the data,
through the program: ``tui-advisor advise --input FILE --as-of DATE`` as a subprocess, on
agencies built for each case (tests/guide_firms.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from guide_firms import AS_OF, firm, shifted, write

AS_OF_TEXT = AS_OF.isoformat()
DATED = ("cash", "key_client", "busy", "inquiries", "recurring", "deals", "execution")


def advise_json(run: Callable[..., Any], cli: SimpleNamespace, path: Path, as_of: str = AS_OF_TEXT) -> dict:
    proc = cli.ok(run("advise", "--input", path, "--as-of", as_of, "--format", "json"))
    return json.loads(proc.stdout)


def test_cash_for_2_months_comes_first_through_the_cli(run, cli, tmp_path: Path) -> None:
    """The guide's worked case that failed: cash at 2 months, nothing booked, nothing recurring.
    The busy and recurring criticals lie further past their thresholds; cash still comes first."""
    path = write(firm(name="Two Months Left", cash_months=2, work="projects"), tmp_path / "two_months.json")
    doc = advise_json(run, cli, path)
    recs = [r for r in doc["recommendations"] if not r["rule"].startswith("DATA")]
    assert recs[0]["pillar"] == "cash" and recs[0]["severity"] == "critical", [r["title"] for r in recs]
    assert recs[0]["priority"] == 1 and "2.0 months" in recs[0]["title"]
    criticals = [r for r in recs if r["severity"] == "critical"]
    assert {"busy", "recurring"} <= {r["pillar"] for r in criticals}
    assert max(min(1, r["distance"]) for r in criticals[1:]) > min(1, recs[0]["distance"])
    # the critical pillars cap the score
    assert doc["score"] <= 49
    assert set(doc["score_basis"]["critical"]) >= {"cash", "busy", "recurring"}
    text = cli.ok(run("advise", "--input", path, "--as-of", AS_OF_TEXT)).stdout
    lines = text.splitlines()
    first = next(line for line in lines if line.startswith("  1. "))
    assert first == f"  1. [CRITICAL] {recs[0]['title']}"


def test_firm_a_scores_below_50_and_the_headline_says_its_basis(run, cli, tmp_path: Path) -> None:
    path = write(firm(name="Firm A", shares={"Alpha Foods": 0.5, "Beta Logistics": 0.5}), tmp_path / "a.json")
    doc = advise_json(run, cli, path)
    assert doc["score"] == 49
    assert doc["score_line"] == "49/100 on 5 of 5 pillars"
    assert doc["score_basis"]["critical"] == ["key_client"]
    assert doc["recommendations"][0]["pillar"] == "key_client"
    text = cli.ok(run("advise", "--input", path, "--as-of", AS_OF_TEXT)).stdout
    assert "Independence score: 49/100 on 5 of 5 pillars" in text
    md = cli.ok(run("advise", "--input", path, "--as-of", AS_OF_TEXT, "--format", "markdown")).stdout
    assert "**Independence score: 49/100** on 5 of 5 pillars" in md


def test_an_unknown_pillar_shows_in_the_headline(run, cli, tmp_path: Path) -> None:
    path = write(firm(name="No Cash Entered", cash_months=None), tmp_path / "nocash.json")
    doc = advise_json(run, cli, path)
    assert doc["pillars"]["cash"]["score"] is None and doc["pillars"]["cash"]["status"] == "unknown"
    assert doc["score_basis"]["pillars"] == ["key_client", "busy", "inquiries", "recurring"]
    text = cli.ok(run("advise", "--input", path, "--as-of", AS_OF_TEXT)).stdout
    assert f"Independence score: {doc['score']}/100 on 4 of 5 pillars" in text


# ------------------------------------------------------------------ before the data starts


def test_as_of_before_the_data_says_so_and_builds_no_claim_on_zeros(run, cli, tmp_path: Path) -> None:
    """Every record moved 800 days later: the first (a retainer that started two years before
    the as-of date, 2024-11-26) now starts on 2027-02-04, 70 days after 2026-11-26."""
    doc = shifted(firm(name="Later Start"), 800)
    path = write(doc, tmp_path / "later.json")
    out = advise_json(run, cli, path)
    assert out["metrics"]["days_before_data"] == 70
    starts = out["metrics"]["data_starts"]
    assert starts == "2027-02-04"
    recs = out["recommendations"]
    assert recs[0]["rule"] == "DATA001" and recs[0]["priority"] == 1
    assert f"before the agency's data starts ({starts})" in recs[0]["title"]
    assert recs[0]["actions"][0] == f"Choose an as-of date on or after {starts}."
    # no claim built on zeros: nothing from a pillar of dated records but the notice
    assert [r["rule"] for r in recs if r["pillar"] in DATED] == ["DATA001"], [r["title"] for r in recs]
    for pillar in DATED:
        assert out["pillars"][pillar]["score"] is None and out["pillars"][pillar]["status"] == "unknown", pillar
        assert out["pillars"][pillar]["key_number"] == f"before the data starts ({starts})"
    assert out["score"] is None and out["score_line"] == "unknown"
    assert "before the agency's data starts" in out["score_why"]
    text = cli.ok(run("advise", "--input", path, "--as-of", AS_OF_TEXT)).stdout
    assert "Independence score: unknown" in text
    assert f"[WARNING] The as-of date {AS_OF_TEXT} is before the agency's data starts ({starts})" in text
    for zero in (r"\b0 days", r"\b0 proposals", r"\b0%", r"\b0 inquiries"):
        assert not re.search(zero, text), zero


def test_as_of_the_first_day_of_the_data_is_not_before_it(run, cli, tmp_path: Path) -> None:
    """A one-record agency: a cash balance dated on the as-of date. Not before the data: the
    cash is judged (2 months: critical), no DATA001."""
    doc = firm(name="Day One", cash_months=2)
    doc.update(clients=[], engagements=[], invoices=[], inquiries=[])
    doc["cash"] = [{"date": AS_OF_TEXT, "balance": 60000}]
    path = write(doc, tmp_path / "dayone.json")
    out = advise_json(run, cli, path)
    assert out["metrics"]["data_starts"] == AS_OF_TEXT and out["metrics"]["days_before_data"] == 0
    rules = [r["rule"] for r in out["recommendations"]]
    assert "DATA001" not in rules
    assert out["recommendations"][0]["pillar"] == "cash" and out["recommendations"][0]["severity"] == "critical"
    # the day before: before the data, and the cash is not judged
    before = advise_json(run, cli, path, "2026-11-25")
    assert before["metrics"]["days_before_data"] == 1
    assert before["recommendations"][0]["rule"] == "DATA001"
    assert "1 day after 2026-11-25" in before["recommendations"][0]["message"]
    assert not [r for r in before["recommendations"] if r["pillar"] == "cash" and r["rule"] != "DATA001"]


def test_as_of_before_the_data_of_the_demo(run, cli) -> None:
    """The demo's first record is a retainer start in 2024; as of 2020-01-01 nothing is judged."""
    proc = cli.ok(run("advise", "--demo", "--as-of", "2020-01-01", "--format", "json"))
    out = json.loads(proc.stdout)
    assert out["recommendations"][0]["rule"] == "DATA001"
    assert out["metrics"]["first_record"].startswith("the ")
    assert "retainer" in out["metrics"]["first_record"]
    assert all(r["rule"] == "DATA001" or r["pillar"] == "journey" for r in out["recommendations"])
