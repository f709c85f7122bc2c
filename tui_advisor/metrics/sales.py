"""Inquiries and proposals (G6): at least one proposal a week, selling while busy."""

from __future__ import annotations

from datetime import timedelta
from statistics import median
from typing import Any

from ..model import OPEN_STATUSES
from .base import Context, Unknown, finding, metric

metric("proposals_last_52w", "inquiries", "count", "proposals sent in the 52 weeks (364 days) up to the as-of date")
metric("proposals_last_13w", "inquiries", "count", "proposals sent in the 13 weeks (91 days) up to the as-of date")
metric("proposals_per_week_13w", "inquiries", "per_week", "proposals_last_13w / 13")
metric("inquiries_last_52w", "inquiries", "count", "inquiries received in the 52 weeks up to the as-of date")
metric("win_rate", "inquiries", "share",
       "won / (won + lost) among inquiries decided in the last 52 weeks (declined ones are left out)")
metric("median_sales_cycle_days", "inquiries", "days",
       "median days from receipt to decision of the inquiries won in the last 52 weeks")
metric("open_pipeline_value", "inquiries", "money", "estimated value of the open inquiries (new or proposal sent)")
metric("open_inquiry_count", "inquiries", "count", "inquiries with status new or proposal sent")
metric("inquiries_without_dates", "inquiries", "count",
       "inquiries won or lost without a decision date, or sent without a proposal date: "
       "the counts by date above leave them out")
finding("proposals_by_week", "inquiries", "proposals sent per week over the last 26 weeks, oldest first",
        week_start="first day of the week", count="proposals sent that week")

NEED_INQUIRIES = "enter the inquiries and proposals of the last year (Inquiries)"


def compute(ctx: Context, out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    inquiries, as_of = ctx.data.inquiries, ctx.as_of
    if not inquiries:
        for n in ("proposals_last_52w", "proposals_last_13w", "proposals_per_week_13w", "inquiries_last_52w",
                  "win_rate", "median_sales_cycle_days", "open_pipeline_value", "open_inquiry_count",
                  "inquiries_without_dates"):
            out[n] = Unknown(f"no inquiries entered yet: {NEED_INQUIRIES}")
        return {"proposals_by_week": []}
    start52 = as_of - timedelta(days=364)
    start13 = as_of - timedelta(days=91)
    start26 = as_of - timedelta(days=182)
    p52 = p13 = q52 = won = lost = undated = 0
    cycles: list[int] = []
    pipeline = 0.0
    n_open = 0
    weekly = [0] * 26
    for q in inquiries:
        sent = q.proposal_sent
        if sent is not None and start52 < sent <= as_of:
            p52 += 1
            if sent > start13:
                p13 += 1
            if sent > start26:
                weekly[min(25, ((sent - start26).days - 1) // 7)] += 1
        if start52 < q.received <= as_of:
            q52 += 1
        status = q.status
        if (q.decided is None and status in ("won", "lost")) or (sent is None and status == "proposal_sent"):
            undated += 1
        if status in OPEN_STATUSES:
            if q.received > as_of:
                continue
            n_open += 1
            if q.estimated_value:
                pipeline += q.estimated_value
        elif q.decided is not None and start52 < q.decided <= as_of:
            if status == "won":
                won += 1
                cycles.append((q.decided - q.received).days)
            elif status == "lost":
                lost += 1
    out["proposals_last_52w"] = p52
    out["proposals_last_13w"] = p13
    out["proposals_per_week_13w"] = p13 / 13
    out["inquiries_last_52w"] = q52
    out["win_rate"] = won / (won + lost) if won + lost else Unknown(
        "no inquiry was won or lost in the last 52 weeks: record the outcome and decision date of your proposals")
    out["median_sales_cycle_days"] = median(cycles) if cycles else Unknown(
        "no inquiry was won in the last 52 weeks: record the decision date of won proposals")
    out["open_pipeline_value"] = pipeline
    out["open_inquiry_count"] = n_open
    out["inquiries_without_dates"] = undated
    items = []
    for i, n in enumerate(weekly):
        ws = start26 + timedelta(days=1 + 7 * i)
        items.append({"subject": f"week of {ws.isoformat()}", "week_start": ws.isoformat(), "count": n})
    return {"proposals_by_week": items}
