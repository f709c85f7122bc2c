"""The agency's numbers over time: the score, the pillar scores and the core metrics at each
month end of the last N months and now (``tui-advisor history``).

Each point is the advice of :meth:`Rulebook.advise` on the data as it is, as of that date:
the same code path as ``tui-advisor advise --as-of DATE``, so a point's score, pillar
scores and metrics are exactly what ``advise --as-of DATE --format json`` says (floats
rounded to 6 places, as there). Nothing is re-computed here.

The points, oldest first: the last day of each of the N months before the as-of date's
month, then the as-of date itself ("now"). ``months=24`` gives 25 points; no date twice
(a month end as the as-of date is "now", the months before it are the other 24).

A closed team review adds a point of its own at its date (``review``: its id), from what the
review stored when it closed (its score, pillar scores and core metrics: never re-computed, so a
later change of the data or the rules does not rewrite what the team saw), merged in date order
with the month ends (on the same date, after the month end). The other points' ``review`` is
``None`` (null in the JSON).
Headless: text and markdown come out with every text made visible (``safetext``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .. import model
from ..engine.rules import PILLARS
from ..fastclass import dataclass
from ..safetext import json_dumps, visible
from ..timeshow import local_time
from .rulebook import Rulebook

DEFAULT_MONTHS = 12
MAX_MONTHS = 120

# The core metrics of a point: the dashboard's key number of each pillar (report.KEY_NUMBERS,
# the numeric ones) and its two trends (cash, proposals per week), with the revenue and cash
# behind them. A metric the advice does not know at that date is None (null), never 0.
CORE_METRICS: tuple[str, ...] = (
    "cash_balance",
    "cash_months",
    "monthly_revenue",
    "top_client_share",
    "booked_share_30d",
    "recurring_share",
    "proposals_per_week_13w",
    "open_inquiry_count",
    "win_rate",
    "journey_stages_covered",
    "open_action_items",
)


@dataclass
class Point:
    as_of: date
    score: int | None
    pillars: dict[str, int | None]
    metrics: dict[str, Any]
    review: str | None = None
    closed: str | None = None  # a review's point: when it closed (UTC ISO; shown in the local zone)


class HistoryError(ValueError):
    """A bad request (e.g. a number of months out of range), with a message for the user."""


def check_months_ok(months: int) -> bool:
    return 1 <= months <= MAX_MONTHS


def check_months(months: int) -> int:
    if not check_months_ok(months):
        raise HistoryError(f"--months must be a whole number from 1 to {MAX_MONTHS}, not {months}")
    return months


def month_ends(as_of: date, months: int) -> list[date]:
    """The last day of each of the ``months`` months before ``as_of``'s month, oldest first."""
    check_months(months)
    ends: list[date] = []
    end = as_of.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        ends.append(end)
        end = end.replace(day=1) - timedelta(days=1)
    ends.reverse()
    return ends


def dates(as_of: date, months: int) -> list[date]:
    """The dates of the points: the month ends before ``as_of``'s month, then ``as_of``."""
    return [*month_ends(as_of, months), as_of]


def _clean(v: Any) -> Any:  # as report.to_json writes a metric
    if isinstance(v, float):
        return round(v, 6)
    return v


def point(rulebook: Rulebook, data: model.AgencyData, as_of: date) -> Point:
    """The point of one date: the advice as of it, through the one shared path."""
    return point_of(rulebook.advise(data, as_of), as_of)


def point_of(advice: Any, as_of: date) -> Point:
    """The point of an advice already computed as of ``as_of`` (an open workspace's)."""
    values = advice.metrics.values
    return Point(
        as_of=as_of,
        score=advice.score,
        pillars={p: s.score for p, s in advice.pillars.items()},
        metrics={m: _clean(values.get(m)) for m in CORE_METRICS},
    )


def history(rulebook: Rulebook, data: model.AgencyData, as_of: date, months: int = DEFAULT_MONTHS) -> list[Point]:
    """The points of the last ``months`` month ends and of ``as_of`` itself, and of each review
    closed in that time (from the first month end to ``as_of``), oldest first."""
    days = dates(as_of, months)
    points = [point(rulebook, data, d) for d in days]
    reviews = [r for r in data.reviews if r.closed is not None and days[0] <= r.as_of <= as_of]
    if not reviews:
        return points
    at_reviews = [review_point(r) for r in sorted(reviews, key=lambda r: (r.as_of, r.closed or "", r.id))]
    # in date order; on one date, the month end (or "now") first: sorted() keeps that order
    return sorted([*points, *at_reviews], key=lambda p: (p.as_of, p.review is not None))


def review_point(review: model.Review) -> Point:
    """The point of a closed review: what it stored when it closed."""
    score = review.score
    return Point(
        as_of=review.as_of,
        score=int(score) if isinstance(score, float) and score.is_integer() else score,  # type: ignore[arg-type]
        pillars={p: (int(v) if isinstance(v, float) and v.is_integer() else v) for p, v in review.pillars.items()},  # type: ignore[misc]
        metrics={m: review.metrics.get(m) for m in CORE_METRICS},
        review=review.id,
        closed=review.closed,
    )


# ------------------------------------------------------------------ output


def to_json(points: list[Point]) -> dict[str, Any]:
    return {
        "points": [
            {
                "as_of": p.as_of.isoformat(),
                "score": p.score,
                "pillars": dict(p.pillars),
                "metrics": dict(p.metrics),
                "review": p.review,
            }
            for p in points
        ]
    }


def render_json(points: list[Point]) -> str:
    return json_dumps(to_json(points), indent=2) + "\n"


def _pillar_ids(points: list[Point]) -> list[str]:
    ids: list[str] = []
    for p in points:
        ids.extend(k for k in p.pillars if k not in ids)
    return ids


# The text table's column heads (six characters, so that eight pillars fit in 72 columns).
SHORT = {
    "cash": "Cash",
    "key_client": "Client",
    "busy": "Busy",
    "inquiries": "Inq.",
    "recurring": "Recur.",
    "deals": "Deals",
    "execution": "Steps",
    "journey": "Journ.",
}


def _short(pillar: str, width: int) -> str:
    return visible(SHORT.get(pillar, pillar))[:width]


def _score(v: int | None) -> str:
    return "-" if v is None else str(v)


def render_text(points: list[Point], agency: str = "") -> str:
    """A table, one row a date: the score and each pillar's score (``-``: unknown); 72 columns."""
    ids = _pillar_ids(points)
    width = 6
    head = f"{'date':<10} {'score':>5}" + "".join(f" {_short(p, width):>{width}}" for p in ids)
    lines = []
    if agency:
        title = f"History of {visible(agency)}"
        lines.append(title if len(title) <= 80 else title[:79] + "…")
    lines += [head, "-" * len(head)]
    for p in points:
        row = f"{p.as_of.isoformat():<10} {_score(p.score):>5}"
        row += "".join(f" {_score(p.pillars.get(k)):>{width}}" for k in ids)
        if p.review is not None:
            row = (row + f" {visible(p.review)}")[:80]
        lines.append(row)
    lines.append("")
    lines.append("Scores out of 100; - = not known at that date.")
    if any(p.review is not None for p in points):
        lines.append("A row with a review's id is that review, as it closed; the last other row is")
        lines.append("the as-of date, the others month ends.")
        lines.extend(_closed_lines(points, visible))
    else:
        lines.append("The last row is the as-of date, the others month ends.")
    return "\n".join(lines) + "\n"


def _closed_lines(points: list[Point], shown: Any) -> list[str]:
    """'rv-0001 closed 2026-11-26 18:00 CET', one a review point, in the local time zone."""
    return [f"{shown(p.review)} closed {local_time(p.closed)}"[:80] for p in points if p.review and p.closed]


def _md(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>|" else ch for ch in visible(text))


def render_markdown(points: list[Point], agency: str = "") -> str:
    ids = _pillar_ids(points)
    out = [f"# History of {_md(agency)}" if agency else "# History", ""]
    titles = [_md(str(PILLARS.get(p, {}).get("short", p))) for p in ids]
    out.append("| date | score | " + " | ".join(titles) + " |")
    out.append("|---|---:|" + "---:|" * len(ids))
    reviews = any(p.review is not None for p in points)
    for p in points:
        when = p.as_of.isoformat() + (f" (review {_md(p.review)})" if p.review is not None else "")
        cells = [when, _score(p.score), *(_score(p.pillars.get(k)) for k in ids)]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    if reviews:
        out.append(
            "Scores out of 100; - = not known at that date. A row marked review is that review as it closed; "
            "the last other row is the as-of date, the others month ends."
        )
        out.append("")
        out.extend(f"- {line}" for line in _closed_lines(points, _md))
    else:
        out.append(
            "Scores out of 100; - = not known at that date. The last row is the as-of date, the others month ends."
        )
    return "\n".join(out) + "\n"
