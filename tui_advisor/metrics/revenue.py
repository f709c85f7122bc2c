"""Revenue basis, key-client risk (G3) and recurring revenue (G4)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from .base import Context, Unknown, finding, metric

metric("revenue_basis", "key_client", "text",
       "'invoices' (invoices issued in the 12 months up to the as-of date) or "
       "'engagements' (monthly value of the engagements active on the as-of date)")
metric("annual_revenue", "key_client", "money", "revenue of the basis over a year")
metric("monthly_revenue", "key_client", "money", "annual_revenue / 12")
metric("client_count", "key_client", "count", "clients with revenue in the basis")
metric("top_client_share", "key_client", "share", "the largest client's share of the revenue basis")
metric("largest_client", "key_client", "text", "the name of the largest client")
metric("top5_share", "key_client", "share", "the five largest clients' share of the revenue basis")
metric("hhi", "key_client", "hhi", "Herfindahl-Hirschman index: sum of squared percentage shares (0 to 10000)")
metric("effective_clients", "key_client", "count", "10000 / hhi: the number of equal clients with the same concentration")
metric("revenue_without_largest_vs_costs", "key_client", "ratio",
       "monthly revenue without the largest client / monthly operating costs")
metric("revenue_vs_costs", "key_client", "ratio", "monthly revenue / monthly operating costs")
metric("recurring_share", "recurring", "share", "share of the revenue basis from retainer engagements")
metric("monthly_billed_share", "recurring", "share",
       "share of the revenue basis billed monthly: retainers plus projects with monthly billing")
finding("client_shares", "key_client", "every client with revenue in the basis, largest first",
        client="client id", name="client name", share="share of the revenue basis", revenue="revenue in the basis")

NEED_REVENUE = ("enter the invoices of the last 12 months (Invoices), "
                "or the retainers and projects running today (Engagements)")
NEED_COSTS = "enter the monthly operating costs (Agency profile)"


def window_start_12m(as_of: date) -> date:
    """Invoices issued after this date, up to and including as_of, are 'the last 12 months'."""
    return as_of - relativedelta(months=12)


def engagement_end(e: Any, default_project_months: float = 3) -> date | None:
    """The last day an engagement runs: its end; for a project without one, its deadline, else
    ``default_project_months`` after its start; a retainer without an end is open-ended (None)."""
    if e.end is not None:
        return e.end
    if e.kind == "project":
        if e.deadline is not None:
            return e.deadline
        return e.start + relativedelta(months=int(default_project_months)) - relativedelta(days=1)
    return None


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end, rounded up, at least 1."""
    rd = relativedelta(end, start)
    months = rd.years * 12 + rd.months + (1 if rd.days > 0 else 0)
    return max(1, months)


def monthly_value(e: Any, default_months: float) -> float:
    if e.kind == "retainer":
        return float(e.monthly_fee or 0)
    if e.end is None and e.deadline is None:
        return float(e.price or 0) / default_months
    end = engagement_end(e)
    return float(e.price or 0) / months_between(e.start, end)


def compute(ctx: Context, out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    data, as_of = ctx.data, ctx.as_of
    engagements = {e.id: e for e in data.engagements}
    per_client: dict[str, float] = defaultdict(float)
    retainer = 0.0
    monthly_billed = 0.0
    start = window_start_12m(as_of)
    n_invoices = 0
    for inv in data.invoices:
        if start < inv.issued <= as_of:
            n_invoices += 1
            amount = inv.amount
            per_client[inv.client] += amount
            e = engagements.get(inv.engagement) if inv.engagement else None
            if e is not None:
                if e.kind == "retainer":
                    retainer += amount
                    monthly_billed += amount
                elif e.billing == "monthly":
                    monthly_billed += amount
    if n_invoices:
        basis = "invoices"
        factor = 1.0  # annual amounts
    else:
        basis = "engagements"
        factor = 12.0
        for e in data.engagements:
            end = engagement_end(e, ctx.params["default_project_months"])
            if e.start <= as_of and (end is None or as_of <= end):
                value = monthly_value(e, ctx.params["default_project_months"])
                per_client[e.client] += value
                if e.kind == "retainer":
                    retainer += value
                    monthly_billed += value
                elif e.billing == "monthly":
                    monthly_billed += value
    positive = {c: v * factor for c, v in per_client.items() if v > 0}
    total = sum(positive.values())
    costs = data.agency.monthly_operating_costs
    names = data.client_names()
    if total <= 0:
        for name in ("annual_revenue", "monthly_revenue", "client_count", "top_client_share", "largest_client",
                     "top5_share", "hhi", "effective_clients", "revenue_without_largest_vs_costs",
                     "revenue_vs_costs", "recurring_share", "monthly_billed_share"):
            out[name] = Unknown(f"no revenue yet: {NEED_REVENUE}")
        out["revenue_basis"] = Unknown(f"no revenue yet: {NEED_REVENUE}")
        return {"client_shares": []}
    ranked = sorted(positive.items(), key=lambda kv: (-kv[1], kv[0]))
    shares = [v / total for _, v in ranked]
    out["revenue_basis"] = basis
    out["annual_revenue"] = total
    out["monthly_revenue"] = total / 12
    out["client_count"] = len(ranked)
    out["top_client_share"] = shares[0]
    out["largest_client"] = names.get(ranked[0][0], ranked[0][0])
    out["top5_share"] = sum(shares[:5])
    hhi = sum((100 * s) ** 2 for s in shares)
    out["hhi"] = hhi
    out["effective_clients"] = 10000 / hhi
    if costs:
        out["revenue_without_largest_vs_costs"] = (total - ranked[0][1]) / 12 / costs
        out["revenue_vs_costs"] = total / 12 / costs
    else:
        out["revenue_without_largest_vs_costs"] = Unknown(NEED_COSTS)
        out["revenue_vs_costs"] = Unknown(NEED_COSTS)
    gross = sum(v for v in per_client.values()) * factor
    out["recurring_share"] = max(0.0, min(1.0, retainer * factor / gross)) if gross > 0 else 0.0
    out["monthly_billed_share"] = max(0.0, min(1.0, monthly_billed * factor / gross)) if gross > 0 else 0.0
    items = [
        {"subject": f"client {names.get(cid, cid)}", "client": cid, "name": names.get(cid, cid),
         "share": v / total, "revenue": v}
        for cid, v in ranked
    ]
    return {"client_shares": items}
