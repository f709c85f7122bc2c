"""Deal-level findings: work to decline (G1), rush fees (G7), monthly billing of projects (G4)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..model import OPEN_STATUSES
from .base import Context, Unknown, finding, metric
from .revenue import engagement_end

finding("open_inquiries", "deals", "inquiries with status new or proposal sent",
        id="inquiry id", prospect="prospect name", status="new or proposal_sent",
        notice_days="days between receipt and the requested start (unknown without a requested start)",
        lead_time_days="the agency's normal lead time in days",
        rushed="1 when notice_days < lead_time_days, else 0",
        rush_fee_pct="surcharge in percent (0: none)",
        enjoy="1 to 5 (unknown if not scored)", industry_fit="1 to 5 (unknown if not scored)",
        budget_ok="1 yes, 0 no (unknown if not judged)", estimated_value="estimated value")
finding("projects", "deals", "fixed-price projects that have not ended on the as-of date (running or still to start)",
        id="engagement id", client="client name", billing="monthly, milestones, upfront or on_completion",
        lump_sum="1 when not billed monthly", price="the fixed price",
        notice_days="days from start to deadline (unknown without a deadline)",
        lead_time_days="the agency's normal lead time in days",
        rushed="1 when notice_days < lead_time_days", rush_fee_pct="surcharge in percent")
metric("rushed_open_inquiries", "deals", "count", "open inquiries that are rushed and carry no rush fee")
metric("rushed_share", "deals", "share",
       "share of the inquiries received in the last 52 weeks with a requested start sooner than "
       "the normal lead time after receipt (among those with a requested start)")
metric("normal_lead_time_days", "deals", "days", "the agency's normal lead time (Agency profile)")
metric("lump_sum_projects", "recurring", "count",
       "fixed-price projects not ended on the as-of date (running or still to start) that are not billed monthly")


def compute(ctx: Context, out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    data, as_of = ctx.data, ctx.as_of
    lead = data.agency.normal_lead_time_days
    out["normal_lead_time_days"] = lead
    open_items = []
    rushed_no_fee = 0
    start52 = as_of - timedelta(days=364)
    recent = rushed_recent = 0
    for q in data.inquiries:
        notice = (q.requested_start - q.received).days if q.requested_start is not None else None
        rushed = None if notice is None else int(notice < lead)
        if start52 < q.received <= as_of and rushed is not None:
            recent += 1
            rushed_recent += rushed
        if q.status not in OPEN_STATUSES or q.received > as_of:
            continue
        if rushed and not q.rush_fee_pct:
            rushed_no_fee += 1
        open_items.append({
            "subject": f"inquiry {q.prospect} ({q.id})", "id": q.id, "prospect": q.prospect, "status": q.status,
            "notice_days": notice, "lead_time_days": lead, "rushed": rushed, "rush_fee_pct": q.rush_fee_pct,
            "enjoy": q.enjoy, "industry_fit": q.industry_fit,
            "budget_ok": None if q.budget_ok is None else int(q.budget_ok),
            "estimated_value": q.estimated_value,
        })
    out["rushed_open_inquiries"] = rushed_no_fee
    out["rushed_share"] = rushed_recent / recent if recent else Unknown(
        "no inquiry of the last 52 weeks has a requested start date: record when prospects want to start")
    names = data.client_names()
    projects = []
    lump = 0
    for e in data.engagements:
        if e.kind != "project":
            continue
        end = engagement_end(e, ctx.params["default_project_months"])
        if end is not None and end < as_of:
            continue
        notice = (e.deadline - e.start).days if e.deadline is not None else None
        is_lump = int(e.billing != "monthly")
        lump += is_lump
        projects.append({
            "subject": f"project {e.id} for {names.get(e.client, e.client)}", "id": e.id,
            "client": names.get(e.client, e.client), "billing": e.billing, "lump_sum": is_lump,
            "price": e.price, "notice_days": notice, "lead_time_days": lead,
            "rushed": None if notice is None else int(notice < lead), "rush_fee_pct": e.rush_fee_pct,
        })
    out["lump_sum_projects"] = lump
    return {"open_inquiries": open_items, "projects": projects}
