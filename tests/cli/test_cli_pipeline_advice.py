"""`tui-advisor advise` on agencies built for the pipeline cases of issue 10: busy (G2),
inquiries (G6), deals (G1, G7) and execution (G9), as a subprocess.

Each agency is otherwise sound (cash for five months, six clients, retainers billed monthly),
so the advice shows what the case changes and nothing it should not.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

AS_OF = date(2026, 11, 26)


def d(n: int) -> str:
    return (AS_OF + timedelta(days=n)).isoformat()


CLIENTS = [
    ("c-bak", "Bakkerij Brood"),
    ("c-oak", "Oak Legal"),
    ("c-pine", "Pine Health"),
    ("c-elm", "Elm Energy"),
    ("c-ash", "Ash Foods"),
    ("c-fir", "Fir Travel"),
]


def retainers(hours: list[float]) -> list[dict[str, Any]]:
    """One open-ended retainer per client, 5,000 a month, with these hours a week."""
    return [
        {
            "id": f"e-{cid}",
            "client": cid,
            "kind": "retainer",
            "start": "2025-01-01",
            "monthly_fee": 5000,
            "hours_per_week": h,
            "billing": "monthly",
        }
        for (cid, _), h in zip(CLIENTS, hours)
    ]


def inquiries_spread(n_a_year: int, declined_every: int = 0) -> list[dict[str, Any]]:
    """n inquiries over the last 52 weeks, evenly spread, each with a proposal and an outcome
    (won or lost by turns) unless it is declined (every `declined_every`-th, if set)."""
    out = []
    decided = 0
    for i in range(n_a_year):
        received = AS_OF - timedelta(days=int(364 * (i + 0.5) / n_a_year))
        q: dict[str, Any] = {
            "id": f"q-{i:03d}",
            "received": received.isoformat(),
            "prospect": f"Prospect {i}",
            "enjoy": 4,
            "industry_fit": 4,
            "budget_ok": True,
            "estimated_value": 20000,
            "requested_start": (received + timedelta(days=40)).isoformat(),
        }
        if declined_every and i % declined_every == 0:
            q.update(status="declined", decided=(received + timedelta(days=2)).isoformat())
        elif received + timedelta(days=60) <= AS_OF:
            decided += 1
            q.update(
                status="won" if decided % 2 else "lost",
                proposal_sent=(received + timedelta(days=5)).isoformat(),
                decided=(received + timedelta(days=60)).isoformat(),
            )
        else:
            q.update(status="proposal_sent", proposal_sent=min(received + timedelta(days=5), AS_OF).isoformat())
        out.append(q)
    return out


def agency(
    *,
    hours: list[float] | None = None,
    engagements: list | None = None,
    inquiries: list | None = None,
    actions: list | None = None,
    capacity: float = 100,
) -> dict[str, Any]:
    return {
        "format": "tui-advisor/agency",
        "version": 1,
        "agency": {
            "name": "Pipeline Test",
            "currency": "EUR",
            "monthly_operating_costs": 30000,
            "weekly_capacity_hours": capacity,
            "normal_lead_time_days": 14,
            "credit_line": 50000,
        },
        "cash": [{"date": d(-6), "balance": 150000}],
        "clients": [{"id": cid, "name": name, "enjoy": 4, "industry_fit": 4} for cid, name in CLIENTS],
        "engagements": (retainers(hours if hours is not None else [14, 14, 14, 14, 12, 12]) + (engagements or [])),
        "invoices": [],
        "inquiries": inquiries if inquiries is not None else inquiries_spread(60),
        "journey": [{"stage": s, "activity": "talks"} for s in ("discovery", "education", "decision")],
        "actions": actions or [],
    }


def advise(run, cli, tmp_path: Path, doc: dict[str, Any], fmt: str = "json") -> Any:
    path = tmp_path / "agency.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    proc = cli.ok(run("advise", "--input", path, "--as-of", AS_OF.isoformat(), "--format", fmt))
    return json.loads(proc.stdout) if fmt == "json" else proc.stdout


def recs(doc: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [r for r in doc["recommendations"] if r["rule"] == rule]


def rules_shown(doc: dict[str, Any]) -> set[str]:
    return {r["rule"] for r in doc["recommendations"]}


# ------------------------------------------------------------------------------ busy (G2)


def test_hours_not_entered_ask_for_the_hours_never_0_days_critical(run, cli, tmp_path):
    # the Bakkerij project runs Oct-Jan without hours per week
    project = {
        "id": "e-bak-site",
        "client": "c-bak",
        "kind": "project",
        "start": "2026-10-01",
        "deadline": "2027-01-31",
        "price": 40000,
        "billing": "monthly",
    }
    doc = advise(run, cli, tmp_path, agency(engagements=[project]))
    assert doc["metrics"]["booked_share_30d"] is None
    assert not {"BUSY001", "BUSY002", "BUSY004"} & rules_shown(doc)
    (data,) = [r for r in doc["recommendations"] if r["rule"] == "DATA000" and "booked_share_30d" in r["subject"]]
    assert data["title"].startswith("Data needed: Enter the hours per week of the Bakkerij Brood project, Oct-Jan")
    assert doc["pillars"]["busy"]["status"] == "unknown"
    assert doc["pillars"]["busy"]["key_number"] == "bookings: unknown"
    text = advise(run, cli, tmp_path, agency(engagements=[project]), "text")
    assert "booked for 0 days" not in text.lower() and "e-bak-site" not in text


def test_load_of_79_percent_just_under_the_full_load_mark_is_booked(run, cli, tmp_path):
    # 14 + 14 + 14 + 14 + 12 + 11 = 79 h of 100 h a week, every day ahead
    doc = advise(run, cli, tmp_path, agency(hours=[14, 14, 14, 14, 12, 11]))
    assert doc["metrics"]["booked_days"] == 0  # under 80% every day: the old "0 days, critical"
    assert doc["metrics"]["booked_share_30d"] == 0.79
    assert not {"BUSY001", "BUSY002", "BUSY004"} & rules_shown(doc)
    assert doc["pillars"]["busy"]["status"] == "good"
    assert doc["pillars"]["busy"]["key_number"] == "79% booked for the next 30 days, 79% for days 31-60"


def test_thin_second_month_with_tentative_work_beside_it(run, cli, tmp_path):
    # 80 h a week until day 30, then only 20 h: a project of 60 h a week ends on day 30
    project = {
        "id": "e-oak-p",
        "client": "c-oak",
        "kind": "project",
        "start": "2026-09-01",
        "deadline": d(30),
        "price": 30000,
        "hours_per_week": 60,
        "billing": "monthly",
    }
    doc = advise(run, cli, tmp_path, agency(hours=[10, 10, 0.5, 0.5, 0.5, 0.5], engagements=[project]))
    m = doc["metrics"]
    # days 1-30: 82 h a week -> 82%; days 31-60: 22 h -> 22%
    assert round(m["booked_share_30d"], 4) == 0.82 and round(m["booked_share_31_60d"], 4) == 0.22
    (rec,) = recs(doc, "BUSY004")
    assert rec["title"] == "82% booked for the next 30 days, 22% for days 31-60: line up the second month"
    # the proposals still out are shown beside the booked work, weighted by the win rate, never as booked
    assert "Tentative, not counted as booked: " in rec["message"]
    assert m["tentative_work"] in rec["message"] and "at your 50% win rate" in m["tentative_work"]
    assert not {"BUSY001", "BUSY002"} & rules_shown(doc)


# ------------------------------------------------------------------------- inquiries (G6)


def test_a_selective_firm_that_declines_half_its_requests_meets_the_target(run, cli, tmp_path):
    # 60 requests in the year, every second one declined: 30 proposals, 60 requests
    inquiries = inquiries_spread(60, declined_every=2)
    doc = advise(run, cli, tmp_path, agency(inquiries=inquiries))
    m = doc["metrics"]
    assert m["proposals_last_52w"] == 30 and m["inquiries_last_52w"] == 60 and m["declined_last_52w"] == 30
    assert not {"INQ001", "INQ002"} & rules_shown(doc)
    # declined ones are not lost proposals: 25 decided (those received 60 days or more ago), 13 won
    won = sum(q["status"] == "won" for q in inquiries)
    lost = sum(q["status"] == "lost" for q in inquiries)
    assert (won, lost) == (13, 12) and m["win_rate"] == 0.52
    for rec in doc["recommendations"]:
        if rec["pillar"] == "inquiries":
            assert "decline" not in rec["title"].lower()


def test_a_firm_under_the_one_target_gets_one_recommendation(run, cli, tmp_path):
    doc = advise(run, cli, tmp_path, agency(inquiries=inquiries_spread(20)))
    shown = [r["rule"] for r in doc["recommendations"] if r["rule"] in ("INQ001", "INQ002", "INQ006")]
    assert len(shown) == 1, shown  # one target, not counted twice
    (rec,) = [r for r in doc["recommendations"] if r["rule"] in shown]
    assert "requests" in rec["title"] and "proposals" in rec["title"]


def test_no_inquiries_ever_asks_for_them(run, cli, tmp_path):
    doc = advise(run, cli, tmp_path, agency(inquiries=[]))
    assert not {"INQ001", "INQ002", "INQ006"} & rules_shown(doc)
    titles = [r["title"] for r in doc["recommendations"] if r["rule"] == "DATA000"]
    assert any(t.startswith("Data needed: No inquiries entered yet") for t in titles), titles
    assert doc["pillars"]["inquiries"]["status"] == "unknown"
    assert doc["pillars"]["inquiries"]["score"] is None


def test_only_old_inquiries_are_a_real_zero(run, cli, tmp_path):
    old = [
        {
            "id": "q-old",
            "received": d(-500),
            "prospect": "Old Co",
            "status": "won",
            "proposal_sent": d(-495),
            "decided": d(-450),
            "estimated_value": 10000,
        }
    ]
    doc = advise(run, cli, tmp_path, agency(inquiries=old))
    assert doc["metrics"]["proposals_last_52w"] == 0 and doc["metrics"]["inquiries_last_52w"] == 0
    inq = [r for r in doc["recommendations"] if r["rule"] in ("INQ001", "INQ002")]
    assert len(inq) == 1
    assert doc["pillars"]["inquiries"]["score"] is not None
    # no won deal in the last year: the guide's two to three months stand in for the cycle
    assert doc["metrics"]["sales_cycle_days"] == 75
    assert "the guide's two to three months" in doc["metrics"]["sales_cycle_basis"]


# ----------------------------------------------------------------------- deals (G1, G7)


def test_one_rush_inquiry_gets_a_rush_fee_but_no_not_sustainable(run, cli, tmp_path):
    rush = [
        {
            "id": "q-r",
            "received": d(-2),
            "prospect": "Hasty BV",
            "status": "new",
            "requested_start": d(3),
            "enjoy": 4,
            "industry_fit": 4,
            "budget_ok": True,
        }
    ]
    doc = advise(run, cli, tmp_path, agency(inquiries=rush))
    assert doc["metrics"]["rushed_share"] == 1.0 and doc["metrics"]["rush_sample"] == 1
    assert "DEAL004" not in rules_shown(doc)
    (rec,) = recs(doc, "DEAL001")
    assert rec["title"] == "Charge a rush fee on Hasty BV: they want to start 5 days after asking"
    assert rec["subject"] == f"inquiry Hasty BV (received {d(-2)})"
    assert "q-r" not in rec["title"] + rec["message"] + rec["subject"]
    assert "Hasty BV (new)" in rec["message"]


def test_a_short_project_planned_months_ahead_is_no_rush(run, cli, tmp_path):
    # a one-week project starting in ten days, won from an inquiry received four months ago
    won = [
        {
            "id": "q-w",
            "received": d(-120),
            "prospect": "Pine Health",
            "status": "won",
            "proposal_sent": d(-110),
            "decided": d(-90),
            "estimated_value": 8000,
        }
    ]
    short = {
        "id": "e-pine-sprint",
        "client": "c-pine",
        "kind": "project",
        "start": d(10),
        "deadline": d(17),
        "price": 8000,
        "hours_per_week": 10,
        "billing": "on_completion",
    }
    doc = advise(run, cli, tmp_path, agency(inquiries=inquiries_spread(60) + won, engagements=[short]))
    assert "DEAL005" not in rules_shown(doc)  # the next test shows it firing on a real rush
    assert not any("e-pine-sprint" in r["title"] + r["message"] + (r["subject"] or "") for r in doc["recommendations"])


def test_a_project_started_days_after_its_inquiry_is_a_rush(run, cli, tmp_path):
    won = [
        {
            "id": "q-w",
            "received": d(-9),
            "prospect": "Pine Health",
            "status": "won",
            "proposal_sent": d(-8),
            "decided": d(-7),
            "estimated_value": 8000,
        }
    ]
    fast = {
        "id": "e-pine-fast",
        "client": "c-pine",
        "kind": "project",
        "start": d(-4),
        "deadline": d(60),
        "price": 8000,
        "hours_per_week": 10,
        "billing": "monthly",
    }
    doc = advise(run, cli, tmp_path, agency(inquiries=inquiries_spread(60) + won, engagements=[fast]))
    (rec,) = recs(doc, "DEAL005")
    assert rec["title"] == "Charge a rush fee on the Pine Health project, Nov-Jan: it started 5 days after the inquiry"
    assert "e-pine-fast" not in rec["title"] + rec["message"] + rec["subject"]


def test_an_unscored_inquiry_is_asked_to_be_scored(run, cli, tmp_path):
    q = [
        {
            "id": "q-u",
            "received": d(-3),
            "prospect": "Unknown Fit",
            "status": "proposal_sent",
            "proposal_sent": d(-1),
            "industry_fit": 4,
        }
    ]
    doc = advise(run, cli, tmp_path, agency(inquiries=inquiries_spread(60) + q))
    (rec,) = recs(doc, "DEAL006")
    assert rec["title"] == "Score the inquiry from Unknown Fit: enjoyment and budget not judged yet"
    assert "(proposal sent," in rec["message"] and "proposal_sent" not in rec["message"]


def test_a_large_client_the_team_does_not_enjoy_gets_the_right_clients_advice(run, cli, tmp_path):
    doc = agency()
    doc["clients"][0]["enjoy"] = 1  # Bakkerij Brood: one of six equal retainers, 17%: not large
    doc["engagements"][0]["monthly_fee"] = 20000  # now 20,000 of 45,000: 44%
    out = advise(run, cli, tmp_path, doc)
    (rec,) = recs(out, "DEAL007")
    assert rec["title"] == "Bakkerij Brood is 44% of the work running today and scores low on fit"
    assert "enjoyment 1/5, industry fit 4/5" in rec["message"]


# ------------------------------------------------------------------------- execution (G9)


def test_a_plan_with_its_first_weekly_step_ticked_is_not_stalled(run, cli, tmp_path):
    steps = [{"title": "Step 1", "due": d(7), "done": d(0)}] + [
        {"title": f"Step {i}", "due": d(7 * i + 7)} for i in range(1, 5)
    ]  # next due in 14 days
    doc = advise(
        run, cli, tmp_path, agency(actions=[{"id": "a-1", "title": "Price list", "owner": "Ann", "steps": steps}])
    )
    assert not {"EXE001", "EXE002", "EXE003"} & rules_shown(doc)


def test_a_plan_of_nine_months_is_too_long_for_a_small_organisation(run, cli, tmp_path):
    steps = [{"title": f"Phase {i}", "due": d(30 * i + 4)} for i in range(1, 10)]  # the last on day 274
    doc = advise(
        run, cli, tmp_path, agency(actions=[{"id": "a-9", "title": "New website", "owner": "", "steps": steps}])
    )
    (rec,) = recs(doc, "EXE003")
    assert rec["title"] == "New website runs 9 months: too long for a small organisation"
    assert "(owner: no owner yet)" in rec["message"] and "due in 274 days" in rec["message"]
    assert rec["subject"] == "action New website"
