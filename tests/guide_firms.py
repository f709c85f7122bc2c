"""Agencies built for the guide's worked cases (shared/GUIDE.md), as interchange documents.

``firm(...)`` writes a whole agency: clients with the given shares of a year's revenue,
retainers running (billed monthly) or finished lump-sum projects only, a year of invoices,
cash as months of costs, a year of inquiries and proposals, the customer journey mapped.
Everything is in line with the guide unless a parameter says otherwise, so that each test
changes one thing and every other pillar stays quiet or known.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

AS_OF = date(2026, 11, 26)


def _d(x: date) -> str:
    return x.isoformat()


def firm(
    *,
    name: str = "Guide Firm",
    shares: dict[str, float] | None = None,
    costs: float = 30000,
    revenue_vs_costs: float = 1.2,
    cash_months: float | None = 6.5,
    credit_line: float = 50000,
    work: str = "retainers",
    proposals_a_year: int = 60,
    capacity: float = 160,
    as_of: date = AS_OF,
    booked_load: float = 0.9,
) -> dict[str, Any]:
    """An agency document as of ``as_of``.

    shares: client name -> share of the year's revenue (they should add up to 1).
    work: "retainers" (every client on an open-ended monthly retainer, booked at
    ``booked_load`` of capacity) or "projects" (each client had one lump-sum project,
    billed on completion, that ended a month before the as-of date: nothing running, nothing
    booked, nothing recurring).
    cash_months: the latest balance (six days before ``as_of``) in months of costs; None: no
    cash entry at all.
    """
    shares = shares or {f"Client {i + 1:02d}": 1 / 12 for i in range(12)}
    annual = costs * 12 * revenue_vs_costs
    clients, engagements, invoices = [], [], []
    for i, (cname, share) in enumerate(shares.items()):
        cid = f"c-{i + 1:02d}"
        clients.append({"id": cid, "name": cname, "industry": "Retail", "enjoy": 4, "industry_fit": 4})
        if work == "retainers":
            fee = round(annual * share / 12, 2)
            eid = f"e-{cid}-retainer"
            engagements.append(
                {
                    "id": eid,
                    "client": cid,
                    "kind": "retainer",
                    "start": _d(as_of - relativedelta(years=2)),
                    "end": None,
                    "monthly_fee": fee,
                    "price": None,
                    "hours_per_week": round(capacity * booked_load * share, 2),
                    "billing": "monthly",
                    "deadline": None,
                    "rush_fee_pct": 0,
                }
            )
            for m in range(12):  # the 1st of each of the last 12 months
                issued = (as_of - relativedelta(months=m)).replace(day=1)
                invoices.append(
                    {
                        "id": f"inv-{cid}-{m:02d}",
                        "client": cid,
                        "engagement": eid,
                        "issued": _d(issued),
                        "amount": fee,
                        "due": _d(issued + timedelta(days=30)),
                        "paid": _d(issued + timedelta(days=20)) if issued + timedelta(days=20) <= as_of else None,
                    }
                )
        elif work == "projects":
            price = round(annual * share, 2)
            end = as_of - relativedelta(months=1)
            start = end - relativedelta(months=4)
            eid = f"e-{cid}-project"
            engagements.append(
                {
                    "id": eid,
                    "client": cid,
                    "kind": "project",
                    "start": _d(start),
                    "end": _d(end),
                    "monthly_fee": None,
                    "price": price,
                    "hours_per_week": round(capacity * 0.8 * share, 2),
                    "billing": "on_completion",
                    "deadline": _d(end),
                    "rush_fee_pct": 0,
                }
            )
            invoices.append(
                {
                    "id": f"inv-{cid}",
                    "client": cid,
                    "engagement": eid,
                    "issued": _d(end),
                    "amount": price,
                    "due": _d(end + timedelta(days=30)),
                    "paid": _d(end + timedelta(days=14)),
                }
            )
        else:
            raise ValueError(work)
    cash = []
    if cash_months is not None:
        latest = round(cash_months * costs, 2)
        for m in range(11, 0, -1):  # a flat history, then the latest balance
            cash.append({"date": _d((as_of - relativedelta(months=m)).replace(day=20)), "balance": latest})
        cash.append({"date": _d(as_of - timedelta(days=6)), "balance": latest})
    inquiries = []
    step = 364 / max(1, proposals_a_year)
    for k in range(proposals_a_year):  # one proposal every `step` days over the last 52 weeks, decided
        sent = as_of - timedelta(days=int(363 - k * step))
        received = sent - timedelta(days=5)
        decided = sent + timedelta(days=60)
        inquiries.append(
            {
                "id": f"q-{k:03d}",
                "received": _d(received),
                "prospect": f"Prospect {k:03d}",
                "source": "referral",
                "status": ("won" if k % 3 == 0 else "lost") if decided <= as_of else "proposal_sent",
                "proposal_sent": _d(sent),
                "decided": _d(decided) if decided <= as_of else None,
                "estimated_value": 40000,
                "requested_start": _d(received + timedelta(days=90)),
                "deadline": None,
                "rush_fee_pct": 0,
                "enjoy": 4,
                "industry_fit": 4,
                "budget_ok": True,
            }
        )
    journey = [{"stage": s, "activity": f"{s.title()} activity"} for s in ("discovery", "education", "decision")]
    return {
        "format": "tui-advisor/agency",
        "version": 1,
        "agency": {
            "name": name,
            "currency": "EUR",
            "monthly_operating_costs": costs,
            "weekly_capacity_hours": capacity,
            "normal_lead_time_days": 14,
            "credit_line": credit_line,
        },
        "settings": {"disable": [], "params": {}},
        "cash": cash,
        "clients": clients,
        "engagements": engagements,
        "invoices": invoices,
        "inquiries": inquiries,
        "journey": journey,
        "actions": [],
        "dismissals": [],
    }


def write(doc: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


def shifted(doc: dict[str, Any], days: int) -> dict[str, Any]:
    """The same agency with every date moved ``days`` later (to put the as-of date before it)."""

    def move(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: move(v) for k, v in value.items()}
        if isinstance(value, list):
            return [move(v) for v in value]
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            return _d(date.fromisoformat(value) + timedelta(days=days))
        return value

    return move(doc)
