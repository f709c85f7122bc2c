"""Booked capacity (G2): is the team busy for the next thirty to sixty days?

The booked share of the next 30 days and of days 31 to 60 is judged directly (the rules grade
it); ``booked_days`` (days at full load) is kept for reference only: a single day under the
full-load mark ended it, so a team 79% booked read "0 days". An engagement running in those
windows without hours per week makes the shares unknown: its hours are not zero, they are not
entered.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .base import Context, Unknown, metric
from .deals import names_text
from .revenue import engagement_end, engagement_label

metric(
    "booked_share_30d",
    "busy",
    "share",
    "engagement hours in the next 30 days (as-of + 1 to + 30) / capacity hours in those days",
)
metric("booked_share_31_60d", "busy", "share", "the same for days 31 to 60 after the as-of date")
metric(
    "booked_summary",
    "busy",
    "text",
    "what a person checks, in words: '74% booked for the next 30 days, 74% for days 31-60'",
)
metric(
    "booked_days",
    "busy",
    "days",
    "consecutive days from the day after the as-of date on which the booked hours per week "
    "are at least full_load x weekly capacity (capped at horizon_days); for reference, the rules "
    "judge the booked shares",
)
metric("full_load", "busy", "share", "the full_load parameter: the load that counts as booked")
metric("booked_load_now", "busy", "share", "hours per week booked for tomorrow / weekly capacity")
metric(
    "engagements_without_hours",
    "busy",
    "count",
    "engagements running in the next 60 days without hours per week (they make the booked shares unknown)",
)

NEED_CAPACITY = "enter the team's weekly capacity in hours (Agency profile)"
# no engagement on record at all (a new file, or invoices imported before the work was entered):
# how busy the team is cannot be told, which is not the same as "0% booked"
NEED_WORK = "no engagements entered: enter the retainers and projects and their hours per week (Engagements)"


def _runs_between(e: Any, first: date, last: date, months: float) -> bool:
    end = engagement_end(e, months)
    return e.start <= last and (end is None or end >= first)


def _hours_in_window(engagements: list[Any], first: date, last: date, months: float) -> float:
    """Sum of hours_per_week x overlapping days / 7 over [first, last]."""
    hours = 0.0
    for e in engagements:
        if not e.hours_per_week:
            continue
        end = engagement_end(e, months)
        lo = max(e.start, first)
        hi = last if end is None else min(end, last)
        days = (hi - lo).days + 1
        if days > 0:
            hours += e.hours_per_week * days / 7
    return hours


def booked_days(engagements: list[Any], as_of: date, threshold: float, horizon: int, months: float = 3) -> int:
    """Days from as_of + 1 until the first day whose booked load is under the threshold."""
    first = as_of + timedelta(days=1)
    changes: dict[date, float] = {}
    load = 0.0
    for e in engagements:
        if not e.hours_per_week:
            continue
        end = engagement_end(e, months)
        if end is not None and end < first:
            continue
        start = max(e.start, first)
        changes[start] = changes.get(start, 0.0) + e.hours_per_week
        if end is not None:
            stop = end + timedelta(days=1)
            changes[stop] = changes.get(stop, 0.0) - e.hours_per_week
    limit = first + timedelta(days=horizon)
    day = first
    eps = 1e-9
    for when in sorted(changes):
        if when > day:
            # load is constant on [day, when)
            if load + eps < threshold:
                return (day - first).days
            day = when
            if day >= limit:
                return horizon
        load += changes[when]
    if load + eps < threshold:
        return min((day - first).days, horizon)
    return horizon


def summary(share_30d: float, share_31_60d: float) -> str:
    return f"{share_30d:.0%} booked for the next 30 days, {share_31_60d:.0%} for days 31-60"


def compute(ctx: Context, out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    cap = ctx.data.agency.weekly_capacity_hours
    out["full_load"] = ctx.params["full_load"]
    names = ("booked_share_30d", "booked_share_31_60d", "booked_summary", "booked_days", "booked_load_now")
    as_of = ctx.as_of
    engs = ctx.data.engagements
    d = timedelta(days=1)
    months = ctx.params["default_project_months"]
    horizon = int(ctx.params["horizon_days"])
    clients = ctx.data.client_names()
    # hours not entered (0 is the default of the field): unknown, never zero
    missing = [e for e in engs if not e.hours_per_week and _runs_between(e, as_of + d, as_of + 60 * d, months)]
    out["engagements_without_hours"] = len(missing)
    if not cap:
        for n in names:
            out[n] = Unknown(NEED_CAPACITY)
        return {}
    if not engs:
        for n in names:
            out[n] = Unknown(NEED_WORK)
        return {}
    if missing:
        labels = names_text([engagement_label(e, clients.get(e.client, e.client), months) for e in missing])
        reason = (
            f"enter the hours per week of {labels} (Engagements): without them the booked share "
            "of the next 60 days is unknown"
        )
        for n in names:
            out[n] = Unknown(reason)
        return {}
    s30 = _hours_in_window(engs, as_of + d, as_of + 30 * d, months) / (cap * 30 / 7)
    s60 = _hours_in_window(engs, as_of + 31 * d, as_of + 60 * d, months) / (cap * 30 / 7)
    out["booked_share_30d"] = s30
    out["booked_share_31_60d"] = s60
    out["booked_summary"] = summary(s30, s60)
    out["booked_load_now"] = _hours_in_window(engs, as_of + d, as_of + d, months) * 7 / cap
    later = [e for e in engs if not e.hours_per_week and _runs_between(e, as_of + d, as_of + horizon * d, months)]
    out["booked_days"] = (
        booked_days(engs, as_of, ctx.params["full_load"] * cap, horizon, months)
        if not later
        else Unknown("enter the hours per week of every engagement running in the year ahead (Engagements)")
    )
    return {}
