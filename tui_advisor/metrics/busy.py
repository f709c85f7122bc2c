"""Booked capacity (G2): is the team busy for the next thirty to sixty days?"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .base import Context, Unknown, metric
from .revenue import engagement_end

metric("booked_share_30d", "busy", "share",
       "engagement hours in the next 30 days (as-of + 1 to + 30) / capacity hours in those days")
metric("booked_share_31_60d", "busy", "share", "the same for days 31 to 60 after the as-of date")
metric("booked_days", "busy", "days",
       "consecutive days from the day after the as-of date on which the booked hours per week "
       "are at least full_load x weekly capacity (capped at horizon_days)")
metric("full_load", "busy", "share", "the full_load parameter: the load that counts as booked")
metric("booked_load_now", "busy", "share", "hours per week booked for tomorrow / weekly capacity")

NEED_CAPACITY = "enter the team's weekly capacity in hours (Agency profile)"


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


def compute(ctx: Context, out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    cap = ctx.data.agency.weekly_capacity_hours
    out["full_load"] = ctx.params["full_load"]
    names = ("booked_share_30d", "booked_share_31_60d", "booked_days", "booked_load_now")
    if not cap:
        for n in names:
            out[n] = Unknown(NEED_CAPACITY)
        return {}
    as_of = ctx.as_of
    engs = ctx.data.engagements
    d = timedelta(days=1)
    months = ctx.params["default_project_months"]
    out["booked_share_30d"] = _hours_in_window(engs, as_of + d, as_of + 30 * d, months) / (cap * 30 / 7)
    out["booked_share_31_60d"] = _hours_in_window(engs, as_of + 31 * d, as_of + 60 * d, months) / (cap * 30 / 7)
    out["booked_load_now"] = _hours_in_window(engs, as_of + d, as_of + d, months) * 7 / cap
    out["booked_days"] = booked_days(engs, as_of, ctx.params["full_load"] * cap, int(ctx.params["horizon_days"]),
                                     months)
    return {}
