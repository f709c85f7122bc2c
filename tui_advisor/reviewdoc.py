"""The minutes of a team review: Markdown for the meeting notes, JSON for tools.

``minutes_markdown(review, agency)`` and ``minutes_json(review)`` read only the stored review
(what it showed and decided), so the minutes of a closed review are the same every time they
are made. Times are shown in the local time zone (``timeshow.local_time``); the JSON keeps
the stored UTC times. Every text of the data goes through ``safetext.visible`` and Markdown's
special characters are escaped: a crafted name cannot format the notes or reach a terminal raw.
"""

from __future__ import annotations

from typing import Any

from . import model
from .safetext import visible
from .timeshow import local_time

DECIDED = {"accept": "accepted", "dismiss": "dismissed", "snooze": "snoozed", "park": "parked"}


def _md(text: Any) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>|#" else ch for ch in visible(text))


def _num(v: Any) -> str:
    if v is None:
        return "unknown"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".")
    return visible(v)


def decision_text(d: model.Decision) -> str:
    """'accepted: action a-x, owner sam', 'dismissed: because ...', 'snoozed until 2027-01-01'."""
    said = DECIDED.get(d.kind, d.kind)
    if d.kind == "accept":
        said += f": action {d.action or '?'}, owner {d.owner or d.by}"
    elif d.kind == "dismiss":
        said += f": {d.reason}"
    elif d.kind == "snooze":
        said += f" until {d.until.isoformat() if d.until else '?'}" + (f": {d.reason}" if d.reason else "")
    return said


def minutes_markdown(review: model.Review, agency: model.Agency | None = None) -> str:
    """The minutes as Markdown: when, who, the scorecard, the decisions item by item, the notes."""
    name = agency.name if agency is not None else ""
    title = f"# Review {_md(review.id)}" + (f" of {_md(name)}" if name else "")
    out = [title, ""]
    out.append(f"- Numbers as of: {review.as_of.isoformat()}")
    out.append(f"- Started: {_md(local_time(review.started))} by {_md(review.by)}")
    out.append(f"- Closed: {_md(local_time(review.closed)) if review.closed else 'not yet (under way)'}")
    out.append(f"- Led by: {_md(review.leader or review.by)}")
    out.append(f"- Attendees: {', '.join(_md(a) for a in review.attendees) or 'none recorded'}")
    out.append(f"- Rating: {review.rating}/10" if review.rating is not None else "- Rating: not rated")
    out.append(f"- Score: {_num(review.score)}")
    out.append("")
    if review.pillars:
        out += ["## Scorecard", "", "| pillar | score |", "|---|---:|"]
        out += [f"| {_md(p)} | {_num(s)} |" for p, s in review.pillars.items()]
        out.append("")
    by_item = {d.item: d for d in review.decisions}
    out += ["## Issues and decisions", ""]
    if not review.items and not review.decisions:
        out.append("No issues were on the list.")
    for item in review.items:
        d = by_item.pop(item.key, None)
        line = f"- **{_md(item.title)}** ({_md(item.severity)}, {_md(item.key)})"
        if d is None:
            line += ": not decided"
        else:
            line += f": {_md(decision_text(d))} — {_md(d.by)}, {_md(local_time(d.at))}"
            if d.note:
                line += f". Note: {_md(d.note)}"
        out.append(line)
    for d in by_item.values():  # decided, but not among the items as shown
        out.append(f"- {_md(d.item)}: {_md(decision_text(d))} — {_md(d.by)}, {_md(local_time(d.at))}")
    out.append("")
    if review.carried or review.dropped:
        out += ["## Last review's actions", ""]
        out += [f"- carried over: {_md(a)}" for a in review.carried]
        out += [f"- dropped: {_md(a)}" for a in review.dropped]
        out.append("")
    if review.notes:
        out += ["## Notes", "", _md(review.notes), ""]
    return "\n".join(out)


def minutes_json(review: model.Review) -> dict[str, Any]:
    """The minutes as JSON: the stored review as the data format writes it (times in UTC)."""
    return model.record_to_json("reviews", review)
