"""Inquiries and proposals (G6): at least one proposal a week, selling while busy.

"One proposal a week or fifty-two requests for proposals a year" is one target, stated two
ways: the rules meet it when either count holds. Declined inquiries count as requests (declining
poor fits is selectivity, G1), never as lost proposals. Proposals still out are tentative work,
weighted by the win rate, and never counted as booked.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from ..model import OPEN_STATUSES
from .base import Context, Unknown, finding, metric
from .revenue import engagement_end, monthly_value

metric("proposals_last_52w", "inquiries", "count", "proposals sent in the 52 weeks (364 days) up to the as-of date")
metric("proposals_last_13w", "inquiries", "count", "proposals sent in the 13 weeks (91 days) up to the as-of date")
metric("proposals_per_week_13w", "inquiries", "per_week", "proposals_last_13w / 13")
metric("inquiries_last_52w", "inquiries", "count", "inquiries received in the 52 weeks up to the as-of date")
metric(
    "win_rate",
    "inquiries",
    "share",
    "won / (won + lost) among inquiries decided in the last 52 weeks (declined ones are left out)",
)
metric(
    "median_sales_cycle_days",
    "inquiries",
    "days",
    "median days from receipt to decision of the inquiries won in the last 52 weeks",
)
metric("open_pipeline_value", "inquiries", "money", "estimated value of the open inquiries (new or proposal sent)")
metric("open_inquiry_count", "inquiries", "count", "inquiries with status new or proposal sent")
metric("inquiries_last_13w", "inquiries", "count", "inquiries received in the 13 weeks up to the as-of date")
metric("inquiries_per_week_13w", "inquiries", "per_week", "inquiries_last_13w / 13")
metric(
    "inquiries_summary",
    "inquiries",
    "text",
    "the one target's two counts in words: '33 proposals and 60 requests in 52 weeks'",
)
metric(
    "declined_last_52w",
    "inquiries",
    "count",
    "inquiries received in the last 52 weeks that the agency declined (selectivity, G1)",
)
metric("proposals_out", "inquiries", "count", "open inquiries with status proposal sent: tentative work")
metric("proposals_out_value", "inquiries", "money", "their estimated value (null counts as 0)")
metric("proposals_out_weighted", "inquiries", "money", "proposals_out_value x win_rate: the tentative work to expect")
metric(
    "tentative_work",
    "inquiries",
    "text",
    "the proposals still out, in words: '2 proposals out worth 45,000 EUR, 18,000 EUR at your 40% win rate'",
)
metric(
    "sales_cycle_days",
    "inquiries",
    "days",
    "median_sales_cycle_days when known, else the guide's two to three months (guide_sales_cycle_days)",
)
metric("sales_cycle_basis", "inquiries", "text", "where sales_cycle_days comes from, in words")
metric(
    "average_deal_value",
    "inquiries",
    "money",
    "mean estimated value of the inquiries won in the last 52 weeks that have one",
)
metric(
    "weekly_value_to_sell",
    "inquiries",
    "money",
    "the value of a week of work at full load that is not held by an open-ended retainer: "
    "(full_load x weekly capacity - hours of open-ended retainers running on the as-of date) x the "
    "value of an hour of the work running on the as-of date",
)
metric(
    "proposals_needed_per_week",
    "inquiries",
    "per_week",
    "weekly_value_to_sell / (win_rate x average_deal_value): the proposals a week that keep the team booked",
)
metric(
    "proposals_fill_from",
    "inquiries",
    "date",
    "the as-of date + sales_cycle_days: proposals sent now fill the weeks from about this date",
)
metric(
    "inquiries_without_dates",
    "inquiries",
    "count",
    "inquiries won or lost without a decision date, or sent without a proposal date: "
    "the counts by date above leave them out",
)
finding(
    "proposals_by_week",
    "inquiries",
    "proposals sent per week over the last 26 weeks, oldest first",
    week_start="first day of the week",
    count="proposals sent that week",
)

NEED_INQUIRIES = "enter the inquiries and proposals of the last year (Inquiries)"


# statistics.median and statistics.mean, to the bit, without importing statistics (it imports
# fractions and decimal: about 8 ms of every advise)


def _median(values: list[int]) -> float:
    """The middle value, or the mean of the two middle ones (statistics.median's own steps)."""
    ordered = sorted(values)
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


def _mean(values: list[float]) -> float:
    """The exact sum over the count, correctly rounded, as statistics.mean gives it: a whole mean of
    whole numbers stays an int. Anything but ints and finite floats: statistics.mean itself."""
    if not all(type(v) is int or (type(v) is float and math.isfinite(v)) for v in values):
        from statistics import mean

        return mean(values)
    n = len(values)
    if all(type(v) is int for v in values):
        total = sum(values)
        return total // n if total % n == 0 else total / n
    num, den = 0, 1  # the exact sum: every float is a whole number over a power of two
    for v in values:
        top, bottom = v.as_integer_ratio()
        if bottom > den:
            num, den = num * (bottom // den) + top, bottom
        else:
            num += top * (den // bottom)
    return num / (den * n)  # int / int: correctly rounded, as float(Fraction) is


def compute(ctx: Context, out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    inquiries, as_of = ctx.data.inquiries, ctx.as_of
    if not inquiries:
        for n in (
            "proposals_last_52w",
            "proposals_last_13w",
            "proposals_per_week_13w",
            "inquiries_last_52w",
            "win_rate",
            "median_sales_cycle_days",
            "open_pipeline_value",
            "open_inquiry_count",
            "inquiries_without_dates",
            "inquiries_summary",
            "inquiries_last_13w",
            "inquiries_per_week_13w",
            "declined_last_52w",
            "proposals_out",
            "proposals_out_value",
            "proposals_out_weighted",
            "tentative_work",
            "average_deal_value",
            "proposals_needed_per_week",
        ):
            out[n] = Unknown(f"no inquiries entered yet: {NEED_INQUIRIES}")
        _cycle(ctx, out, [])
        out["weekly_value_to_sell"] = _weekly_value_to_sell(ctx)
        return {"proposals_by_week": []}
    start52 = as_of - timedelta(days=364)
    start13 = as_of - timedelta(days=91)
    start26 = as_of - timedelta(days=182)
    p52 = p13 = q52 = q13 = declined = won = lost = undated = 0
    cycles: list[int] = []
    deal_values: list[float] = []
    pipeline = out_value = 0.0
    n_open = n_out = 0
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
            if q.received > start13:
                q13 += 1
            if q.status == "declined":
                declined += 1
        status = q.status
        if (q.decided is None and status in ("won", "lost")) or (sent is None and status == "proposal_sent"):
            undated += 1
        if status in OPEN_STATUSES:
            if q.received > as_of:
                continue
            n_open += 1
            if q.estimated_value:
                pipeline += q.estimated_value
            if status == "proposal_sent" and (sent is None or sent <= as_of):
                n_out += 1
                out_value += q.estimated_value or 0
        elif q.decided is not None and start52 < q.decided <= as_of:
            if status == "won":
                won += 1
                cycles.append((q.decided - q.received).days)
                if q.estimated_value:
                    deal_values.append(q.estimated_value)
            elif status == "lost":
                lost += 1
    out["proposals_last_52w"] = p52
    out["proposals_last_13w"] = p13
    out["proposals_per_week_13w"] = p13 / 13
    out["inquiries_last_52w"] = q52
    out["win_rate"] = (
        won / (won + lost)
        if won + lost
        else Unknown(
            "no inquiry was won or lost in the last 52 weeks: record the outcome and decision date of your proposals"
        )
    )
    out["median_sales_cycle_days"] = (
        _median(cycles)
        if cycles
        else Unknown("no inquiry was won in the last 52 weeks: record the decision date of won proposals")
    )
    out["open_pipeline_value"] = pipeline
    out["open_inquiry_count"] = n_open
    out["inquiries_without_dates"] = undated
    out["inquiries_summary"] = (
        f"{p52} proposal{'s' if p52 != 1 else ''} and {q52} request{'s' if q52 != 1 else ''} in 52 weeks"
    )
    out["inquiries_last_13w"] = q13
    out["inquiries_per_week_13w"] = q13 / 13
    out["declined_last_52w"] = declined
    win = out["win_rate"]
    out["proposals_out"] = n_out
    out["proposals_out_value"] = out_value
    out["proposals_out_weighted"] = win if isinstance(win, Unknown) else out_value * win
    out["tentative_work"] = _tentative(n_out, out_value, win, ctx.data.agency.currency, ctx)
    _cycle(ctx, out, cycles)
    out["average_deal_value"] = (
        _mean(deal_values)
        if deal_values
        else Unknown(
            "no inquiry won in the last 52 weeks has an estimated value: record the value of won proposals (Inquiries)"
        )
    )
    out["weekly_value_to_sell"] = to_sell = _weekly_value_to_sell(ctx)
    out["proposals_needed_per_week"] = _needed(to_sell, win, out["average_deal_value"])
    items = []
    for i, count in enumerate(weekly):
        ws = start26 + timedelta(days=1 + 7 * i)
        items.append({"subject": f"week of {ws.isoformat()}", "week_start": ws.isoformat(), "count": count})
    return {"proposals_by_week": items}


def _tentative(n: int, value: float, win: Any, currency: str, ctx: Context) -> str:
    """``ctx.money``: the amounts in the agency's style, 74.500 EUR in the ',' style."""
    if n == 0:
        return "no proposal is out"
    head = f"{n} proposal{'s' if n != 1 else ''} out worth {ctx.money(value)} {currency}"
    if isinstance(win, Unknown):
        return head + " (no win rate yet to weigh them by)"
    return head + f", {ctx.money(value * win)} {currency} at your {win:.0%} win rate"


def _cycle(ctx: Context, out: dict[str, Any], cycles: list[int]) -> None:
    if cycles:
        days = _median(cycles)
        n = len(cycles)
        basis = f"the median of your {n} won deal{'s' if n != 1 else ''} of the last 52 weeks"
    else:
        days = ctx.params["guide_sales_cycle_days"]
        basis = "the guide's two to three months: no deal was won in the last 52 weeks to measure yours"
    out["sales_cycle_days"] = days
    out["sales_cycle_basis"] = basis
    out["proposals_fill_from"] = (ctx.as_of + timedelta(days=round(days))).isoformat()


def _weekly_value_to_sell(ctx: Context) -> Any:
    """A week of work at full load, less what open-ended retainers hold, at the value of an hour
    of the work running on the as-of date."""
    cap = ctx.data.agency.weekly_capacity_hours
    if not cap:
        return Unknown("enter the team's weekly capacity in hours (Agency profile)")
    as_of, months = ctx.as_of, ctx.params["default_project_months"]
    value = hours = held = 0.0
    for e in ctx.data.engagements:
        end = engagement_end(e, months)
        if not (e.start <= as_of and (end is None or as_of <= end)) or not e.hours_per_week:
            continue
        value += monthly_value(e, months)
        hours += e.hours_per_week
        if end is None:
            held += e.hours_per_week
    if hours <= 0 or value <= 0:
        return Unknown(
            "enter the engagements running today with their fee or price and hours per week "
            "(Engagements): they give the value of an hour of work"
        )
    per_hour = value * 12 / 52 / hours
    return max(0.0, ctx.params["full_load"] * cap - held) * per_hour


def _needed(weekly: Any, win: Any, deal: Any) -> Any:
    for v in (weekly, win):
        if isinstance(v, Unknown):
            return v
    if win <= 0:
        return Unknown(
            "no proposal was won in the last 52 weeks: the proposals needed cannot be worked out until one is"
        )
    if isinstance(deal, Unknown):
        return deal
    return weekly / (win * deal)
