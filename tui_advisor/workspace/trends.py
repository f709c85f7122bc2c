"""The dashboard's trends: each pillar's score now against the last month end and the last
closed review ("Cash 62 ▲ +8 since Oct").

The month end's scores are a point of ``history`` (``history.point``: the advice as of that
date on the data as it is, exactly what ``tui-advisor history`` and ``advise --as-of`` say);
a closed review's are the scores it stored when it was closed (never recomputed). A score not
known then or now gives no change ("unknown"), never 0.

The point costs one advice: the app computes it after its first frame, in a thread, on
:func:`snapshot` of the data (the lists copied, so that a change saved meanwhile does not
change them under it).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from .. import model
from ..fastclass import dataclass
from ..safetext import visible
from ..timeshow import local_date, local_time
from . import history
from .rulebook import Rulebook


@dataclass
class Change:
    """One pillar's score now and at a past point."""

    now: int | None
    then: int | None

    @property
    def delta(self) -> int | None:
        return None if self.now is None or self.then is None else self.now - self.then

    def arrow(self) -> str:
        d = self.delta
        return "?" if d is None else "▲" if d > 0 else "▼" if d < 0 else "="

    def words(self, since: str) -> str:
        """'▲ +8 since Oct', '▼ −5 since review', '= 0 since Oct', '? since Oct' (not known then or now)."""
        d = self.delta
        if d is None:
            return f"? since {since}"
        sign = "+" if d > 0 else "−" if d < 0 else ""
        return f"{self.arrow()} {sign}{abs(d)} since {since}"


def last_month_end(as_of: date) -> date:
    """The last day of the month before ``as_of``'s (the month end the dashboard compares with):
    the newest of history's month ends, so the card's 'since Oct' is history's October point."""
    return history.month_ends(as_of, 1)[0]


def month_label(day: date) -> str:
    return f"{day:%b}"  # "Oct": the C locale's month names (the app's texts are English)


def snapshot(data: model.AgencyData) -> model.AgencyData:
    """The data with each collection's list copied (the records are replaced, never changed, by a save)."""
    lists: dict[str, Any] = {
        f.name: list(v) for f in dataclasses.fields(data) if isinstance(v := getattr(data, f.name), list)
    }
    return dataclasses.replace(data, **lists)


def month_end_scores(rulebook: Rulebook, data: model.AgencyData, as_of: date) -> tuple[date, dict[str, int | None]]:
    """The pillar scores at the last month end before ``as_of``: (that date, pillar -> score)."""
    end = last_month_end(as_of)
    return end, dict(history.point(rulebook, data, end).pillars)


def changes(now: dict[str, int | None], then: dict[str, Any]) -> dict[str, Change]:
    """pillar -> Change, for the pillars of ``now``; a score of ``then`` rounded to a whole number."""
    out = {}
    for pillar, score in now.items():
        past = then.get(pillar)
        past_score = round(past) if isinstance(past, (int, float)) and not isinstance(past, bool) else None
        out[pillar] = Change(score, past_score)
    return out


def review_label(review: Any) -> str:
    """What the dashboard says of a closed review: 'the review rv-0003 of 2026-11-15 (closed 2026-11-15
    18:02 CET)' (the closing time in the local zone)."""
    rid = getattr(review, "id", "")
    as_of = getattr(review, "as_of", None)
    closed = getattr(review, "closed", None)
    text = f"the review {visible(rid)}" + (f" of {as_of.isoformat()}" if isinstance(as_of, date) else "")
    if closed:
        text += f" (closed {local_time(closed)})"
    return text


def review_day(review: Any) -> date | None:
    """The local day a review was closed on, or None."""
    try:
        return local_date(getattr(review, "closed", None))
    except ValueError:
        return None
