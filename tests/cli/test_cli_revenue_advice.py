"""`tui-advisor advise` on agencies built for the revenue cases of issue 10 (key client G3,
recurring G4, cash G5): a short invoice history, a credit note made overdue, unlinked invoices
of an all-retainer firm, a key client who left last month, a loss-making firm with firm B's
spread, exactly 3.0 and 6.0 months of cash, no cash balance, zero operating costs.

Each agency is tests/guide_firms.firm() (everything in line with the guide) with one thing
changed; the program runs as a subprocess, and the expected numbers are worked out here.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from guide_firms import AS_OF, firm, write

FIRM_B = {**{f"Big {i}": 0.10 for i in range(1, 6)}, **{f"Small {i:02d}": 0.05 for i in range(1, 11)}}


def advise(run, cli, doc: dict[str, Any], tmp_path: Path, fmt: str = "json") -> Any:
    path = write(doc, tmp_path / "agency.json")
    proc = cli.ok(run("advise", "--input", path, "--as-of", AS_OF.isoformat(), "--format", fmt))
    return json.loads(proc.stdout) if fmt == "json" else proc.stdout


def recs(doc: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [r for r in doc["recommendations"] if r["rule"] == rule]


def every_text(doc: dict[str, Any]) -> str:
    return "\n".join(r["title"] + "\n" + r["message"] + "\n" + "\n".join(r["actions"]) for r in doc["recommendations"])


# ------------------------------------------------------------------ a short invoice history


def test_three_months_of_invoices_are_averaged_over_three_months(run, cli, tmp_path: Path) -> None:
    # Waterweg 50%, Bakkerij and Ferro 25%: fees 18,000 and 9,000 a month (432,000 a year); only the
    # invoices of September to November are entered, without engagements.
    doc = firm(shares={"Waterweg": 0.5, "Bakkerij": 0.25, "Ferro": 0.25})
    doc["engagements"] = []
    doc["invoices"] = [dict(i, engagement=None) for i in doc["invoices"] if i["issued"] >= "2026-09-01"]
    out = advise(run, cli, doc, tmp_path)
    m = out["metrics"]
    assert m["trailing_months"] == 3
    assert m["monthly_revenue"] == pytest.approx(36000)  # 108,000 / 3 (it read 9,000: / 12)
    # without Waterweg, 18,000 a month against 30,000: 60% (it read 15%)
    assert m["revenue_without_largest_vs_costs"] == pytest.approx(0.6)
    key = recs(out, "KEY001")
    assert key and "on 3 months of invoices" in key[0]["message"]
    assert "cover 60% of your operating costs" in key[0]["message"]
    # no engagement to link the 9 invoices to: the recurring share is unknown, never 0% critical
    assert m["recurring_share"] is None
    assert not recs(out, "REC001") and not recs(out, "REC002")
    data = [r for r in recs(out, "DATA000") if "recurring_share" in (r["subject"] or "")]
    assert data and "9 invoices of the last 12 months have no engagement" in data[0]["title"]
    assert out["pillars"]["recurring"]["status"] == "unknown"


# ------------------------------------------------------------------ credit notes


def test_a_credit_note_made_overdue_does_not_hide_the_overdue_warning(run, cli, tmp_path: Path) -> None:
    doc = firm()
    doc["invoices"] += [
        {
            "id": "cn-1",
            "client": "c-01",
            "engagement": None,
            "issued": "2026-09-15",
            "amount": -68000,
            "due": "2026-10-15",
            "paid": None,
        },
        {
            "id": "late-1",
            "client": "c-02",
            "engagement": None,
            "issued": "2026-09-01",
            "amount": 6000,
            "due": "2026-10-01",
            "paid": None,
        },
        {
            "id": "late-2",
            "client": "c-03",
            "engagement": None,
            "issued": "2026-10-01",
            "amount": 6000,
            "due": "2026-10-31",
            "paid": None,
        },
    ]
    out = advise(run, cli, doc, tmp_path)
    assert out["metrics"]["overdue_receivables"] == pytest.approx(12000)  # it read 12,000 - 68,000 = -56,000
    assert out["metrics"]["overdue_invoices"] == 2
    (late,) = recs(out, "CASH005")  # 12,000 > a quarter of the 30,000 costs
    # the agency's EUR: its amounts in the style 1.234,56, as its forms read them
    assert late["title"] == "2 invoices overdue: collect 12.000 EUR"
    assert "2 invoices are overdue, together 12.000 EUR" in late["message"]
    assert "-" not in late["title"]


# ------------------------------------------------------------------ unlinked invoices


def test_an_all_retainer_firm_with_unlinked_invoices_is_fully_recurring(run, cli, tmp_path: Path) -> None:
    doc = firm()
    doc["invoices"] = [dict(i, engagement=None) for i in doc["invoices"]]
    out = advise(run, cli, doc, tmp_path)
    assert out["metrics"]["revenue_basis"] == "engagements"
    assert out["metrics"]["recurring_share"] == pytest.approx(1.0)
    assert not [r for r in out["recommendations"] if r["rule"] in ("REC001", "REC002")]
    # the retainers ended three days ago: the invoices are the basis, each linked to its client's
    # one retainer
    for e in doc["engagements"]:
        e["end"] = (AS_OF - timedelta(days=3)).isoformat()
    out = advise(run, cli, doc, tmp_path)
    assert out["metrics"]["revenue_basis"] == "invoices"
    assert out["metrics"]["unlinked_invoices"] == 0
    assert out["metrics"]["recurring_share"] == pytest.approx(1.0)
    assert not [r for r in out["recommendations"] if r["rule"] in ("REC001", "REC002")]


# ------------------------------------------------------------------ a key client who left


def test_a_key_client_who_left_last_month_is_revenue_to_replace(run, cli, tmp_path: Path) -> None:
    shares = {"Waterweg": 0.4, **{f"Client {i}": 0.1 for i in range(1, 7)}}
    doc = firm(shares=shares)
    waterweg = doc["engagements"][0]
    waterweg["end"] = "2026-10-31"
    doc["invoices"] = [i for i in doc["invoices"] if not (i["client"] == "c-01" and i["issued"] > "2026-10-31")]
    out = advise(run, cli, doc, tmp_path)
    m = out["metrics"]
    # fees: 432,000 x 0.4 / 12 = 14,400 and 3,600 a month; Waterweg invoiced December to October
    assert m["largest_client"] != "Waterweg"
    assert m["top_client_share"] == pytest.approx(1 / 6, abs=1e-6)  # JSON rounds to 6 decimals
    assert m["running_monthly_revenue"] == pytest.approx(21600)  # 6 x 3,600
    assert m["lost_monthly_revenue"] == pytest.approx(11 * 14400 / 12)  # 13,200
    (lost,) = recs(out, "KEY006")
    assert lost["subject"] == "client Waterweg"
    assert lost["title"] == "Waterweg's work has ended: 13.200 EUR a month to replace"  # EUR: 1.234,56
    assert "its last work, the Waterweg retainer, ended on 2026-10-31" in lost["message"]
    assert "21.600 EUR a month against operating costs of 30.000 EUR" in lost["message"]
    assert "still pays" not in every_text(out)
    assert not [
        r for r in out["recommendations"] if r["rule"] in ("KEY001", "KEY002", "KEY003") and "Waterweg" in r["title"]
    ]
    assert "e-c-01-retainer" not in every_text(out)  # engagements by name, never the id


# ------------------------------------------------------------------ firm B's spread, loss-making


def test_a_loss_making_firm_with_firm_bs_spread_gets_the_burn_not_a_key_client_alarm(run, cli, tmp_path) -> None:
    # revenue 0.8 of the 30,000 costs: 24,000 a month; cash 1.5 months = 45,000
    out = advise(run, cli, firm(shares=FIRM_B, revenue_vs_costs=0.8, cash_months=1.5), tmp_path)
    m = out["metrics"]
    assert m["top_client_share"] == pytest.approx(0.1)
    assert not [r for r in out["recommendations"] if r["rule"].startswith("KEY")]
    assert out["pillars"]["key_client"]["status"] == "good"
    assert m["monthly_burn"] == pytest.approx(6000)
    assert m["runway_months"] == pytest.approx(7.5)  # 45,000 / 6,000
    (burn,) = recs(out, "CASH010")
    assert "burns 6.000 EUR a month" in burn["message"] and "lasts 7.5 months" in burn["message"]
    assert recs(out, "CASH001")
    assert "while the numbers still look good" not in every_text(out)
    # the credit line is arranged (50,000): no credit-line action at all
    assert "credit line" not in " ".join(a.lower() for r in out["recommendations"] for a in r["actions"])


# ------------------------------------------------------------------ exactly 3.0 and 6.0 months


def test_exactly_three_months_is_the_minimum_met(run, cli, tmp_path: Path) -> None:
    out = advise(run, cli, firm(cash_months=3.0, credit_line=0), tmp_path)
    assert out["metrics"]["cash_months"] == 3.0
    assert not recs(out, "CASH001")
    (warn,) = recs(out, "CASH002")
    assert warn["title"] == "Cash covers 3.0 months of costs: build toward 6"
    assert "the essential minimum is 3 months, the ideal reserve 6" in warn["message"]
    (line,) = recs(out, "CASH004")  # no credit line, and the numbers do look good
    assert "while the numbers still look good" in line["actions"][0]
    assert not recs(out, "CASH008")


def test_exactly_six_months_is_the_ideal_keep_it_there(run, cli, tmp_path: Path) -> None:
    out = advise(run, cli, firm(cash_months=6.0), tmp_path, fmt="json")
    assert out["metrics"]["cash_months"] == 6.0
    assert not recs(out, "CASH002") and not recs(out, "CASH003")
    (ideal,) = recs(out, "CASH009")
    assert ideal["title"] == "Cash covers 6.0 months of costs: the ideal reserve, keep it there"
    assert any("tell your team and your clients" in a.lower() for a in ideal["actions"])
    text = advise(run, cli, firm(cash_months=6.0), tmp_path, fmt="text")
    assert "keep it there" in text


# ------------------------------------------------------------------ missing cash, zero costs


def test_no_cash_balance_leaves_the_cash_pillar_unknown(run, cli, tmp_path: Path) -> None:
    out = advise(run, cli, firm(cash_months=None), tmp_path)
    assert out["metrics"]["cash_months"] is None
    assert out["pillars"]["cash"]["status"] == "unknown" and out["pillars"]["cash"]["score"] is None
    data = [r for r in recs(out, "DATA000") if "cash_months" in (r["subject"] or "")]
    assert data and "cash balance" in data[0]["title"]


def test_zero_operating_costs_are_unknown_not_infinite_months(run, cli, tmp_path: Path) -> None:
    doc = firm()
    doc["agency"]["monthly_operating_costs"] = 0
    out = advise(run, cli, doc, tmp_path)
    for name in ("cash_months", "runway_months", "monthly_burn", "months_without_largest", "recurring_vs_costs"):
        assert out["metrics"][name] is None, name
        assert "operating costs" in out["unknown"][name]
    assert out["pillars"]["cash"]["status"] == "unknown"
    text = advise(run, cli, doc, tmp_path, fmt="text")
    assert "inf" not in text.replace("info", "").replace("INFO", "")


# ------------------------------------------------------------------ a key client whose work is about to end


def _ending_kestrel(end: str, months: int, follow_on: bool = False) -> dict[str, Any]:
    # Kestrel 40%, six clients at 10%: fees 432,000 x 0.4 / 12 = 14,400 and 3,600 a month. Kestrel's
    # work today is a project from 2026-10-01 to ``end`` (``months`` calendar months, rounded up) priced
    # 14,400 a month: 43,200 over Oct-Dec, 72,000 over the 5 months to February.
    doc = firm(shares={"Kestrel": 0.4, **{f"Client {i}": 0.1 for i in range(1, 7)}})
    kestrel = doc["engagements"][0]
    kestrel.update(
        kind="project", start="2026-10-01", end=end, monthly_fee=None, price=14400 * months, billing="on_completion"
    )
    if follow_on:
        doc["engagements"].append(dict(kestrel, id="e-c-01-phase-2", start="2027-01-04", end="2027-06-30"))
    return doc


@pytest.mark.parametrize(("end", "months", "days"), [("2026-12-31", 3, 35), ("2027-02-24", 5, 90)])
def test_a_key_client_whose_work_ends_within_90_days_is_revenue_to_replace(
    run, cli, tmp_path, end, months, days
) -> None:
    out = advise(run, cli, _ending_kestrel(end, months), tmp_path)
    m = out["metrics"]
    assert m["largest_running_client"] == "Kestrel" and m["largest_running_client_end"] == end
    # the dominance metrics judge the largest client whose work goes on: a 10% client
    assert m["largest_client"] == "Client 1"
    assert m["top_client_share"] == pytest.approx(0.1)  # 3,600 of 36,000
    assert m["ending_share"] == pytest.approx(0.4)  # 14,400 of 36,000
    (ending,) = recs(out, "KEY007")
    assert ending["subject"] == "client Kestrel"
    assert ending["title"] == f"Kestrel's work ends on {end}: 40% of the running work to replace"
    assert (
        f"14.400 EUR a month, and all of it ends within 90 days: its last day is {end}, {days} days from now"
        in ending["message"]
    )
    assert "running today: the Kestrel project, Oct-" in ending["message"]
    assert "the largest client after Kestrel is Client 1, at 10%" in ending["message"]
    assert not recs(out, "KEY001") and not recs(out, "KEY002") and not recs(out, "KEY005")
    assert not [r for r in out["recommendations"] if "reduce key-client risk" in r["title"]]
    assert "e-c-01-retainer" not in every_text(out)


def test_work_that_continues_past_90_days_keeps_the_dominance_alarm(run, cli, tmp_path: Path) -> None:
    # one day past the horizon: Kestrel's work goes on, so it is the dominant client (40% > 35%)
    out = advise(run, cli, _ending_kestrel("2027-02-25", 5), tmp_path)
    assert not recs(out, "KEY007")
    (key,) = recs(out, "KEY001")
    assert key["title"] == "Kestrel is 40% of revenue: reduce key-client risk"
    assert out["metrics"]["ending_share"] == 0
    # a signed follow-on starting after the project: the work continues, the alarm stands
    out = advise(run, cli, _ending_kestrel("2026-12-31", 3, follow_on=True), tmp_path)
    assert out["metrics"]["largest_running_client_end"] == "2027-06-30"
    assert not recs(out, "KEY007") and recs(out, "KEY001")
