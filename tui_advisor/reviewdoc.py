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
from .engine.rules import PILLARS
from .safetext import visible
from .timeshow import local_time

DECIDED = {"accept": "accepted", "dismiss": "dismissed", "snooze": "snoozed", "park": "parked"}
# A pillar is off track below this score: the guide's "act" band (docs/rules.md, "Pillar scores":
# good at 80 or more, watch from 50 to 79, act below 50). A pillar whose score is unknown is
# "unknown", never "on track".
OFF_TRACK_BELOW = 50
ON_TRACK, OFF_TRACK, UNKNOWN = "on track", "off track", "unknown"


def pillar_status(score: Any) -> str:
    """'on track', 'off track' (below OFF_TRACK_BELOW) or 'unknown' (no score)."""
    if not isinstance(score, (int, float)) or isinstance(score, bool):
        return UNKNOWN
    return OFF_TRACK if score < OFF_TRACK_BELOW else ON_TRACK


def pillar_title(pillar: str) -> str:
    return str(PILLARS.get(pillar, {}).get("title", pillar))


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


def minutes_markdown(
    review: model.Review, agency: model.Agency | None = None, actions: list[model.ActionItem] | None = None
) -> str:
    """The minutes as Markdown: when, who, the scorecard, the decisions item by item, the notes.
    With ``actions`` (the data's action items), also the actions this review made, with their owners,
    due dates and steps, and the titles of the last review's actions carried over or dropped."""
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
        out += ["## Scorecard", "", "| pillar | score | status |", "|---|---:|---|"]
        out += [f"| {_md(pillar_title(p))} | {_num(s)} | {pillar_status(s)} |" for p, s in review.pillars.items()]
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
    by_id = {a.id: a for a in actions or []}
    made = [a for a in actions or [] if a.review == review.id and a.dropped is None]
    if made:
        out += ["## Actions", "", "| action | owner | due | steps |", "|---|---|---|---|"]
        for a in made:
            due = a.due or max((s.due for s in a.steps if s.due is not None), default=None)
            first = next((s for s in a.steps if s.done is None), None)
            steps = f"{len(a.steps)}" + (f"; next: {_md(first.title)}" if first is not None else "; all done")
            owner = _md(a.owner) or "nobody yet"
            out.append(f"| {_md(a.title)} | {owner} | {due.isoformat() if due else 'no date'} | {steps} |")
        out.append("")
    if review.carried or review.dropped:
        out += ["## Last review's actions", ""]
        for word, ids in (("carried over", review.carried), ("dropped", review.dropped)):
            for aid in ids:
                title = f" ({_md(by_id[aid].title)})" if aid in by_id else ""
                out.append(f"- {word}: {_md(aid)}{title}")
        out.append("")
    if review.notes:
        out += ["## Notes", "", _md(review.notes), ""]
    return "\n".join(out)


def minutes_json(review: model.Review) -> dict[str, Any]:
    """The minutes as JSON: the stored review as the data format writes it (times in UTC)."""
    return model.record_to_json("reviews", review)


# ------------------------------------------------------------------ the command line's listings


def _cut(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _state(review: model.Review) -> str:
    return f"closed {local_time(review.closed)}" if review.closed else "under way"


def list_json(reviews: list[model.Review]) -> dict[str, Any]:
    return {
        "reviews": [
            {
                "id": r.id,
                "as_of": r.as_of.isoformat(),
                "started": r.started,
                "closed": r.closed,
                "by": r.by,
                "leader": r.leader,
                "attendees": list(r.attendees),
                "decisions": len(r.decisions),
                "score": r.score,
                "rating": r.rating,
            }
            for r in reviews
        ]
    }


def list_text(reviews: list[model.Review], agency: str = "") -> str:
    """One line a review: id, date, state, decisions, attendees (80 columns)."""
    lines = [_cut(f"Reviews of {visible(agency)}")] if agency else []
    if not reviews:
        lines.append("No reviews yet: start one with `tui-advisor review` (or r on the dashboard).")
        return "\n".join(lines) + "\n"
    for r in reviews:
        people = ", ".join(visible(a) for a in r.attendees) or "-"
        lines.append(
            _cut(f"{visible(r.id):<8} {r.as_of.isoformat()}  {_state(r)}  {len(r.decisions)} decided  {people}")
        )
    return "\n".join(lines) + "\n"


def show_text(review: model.Review, agency: model.Agency | None = None) -> str:
    """A review as text: when, who, the scorecard, every item and its decision, the notes."""
    out = [_cut(f"Review {visible(review.id)}" + (f" of {visible(agency.name)}" if agency and agency.name else ""))]
    out.append(
        f"Numbers as of {review.as_of.isoformat()}; started {local_time(review.started)} by {visible(review.by)}"
    )
    out.append(f"State: {_state(review)}; led by {visible(review.leader or review.by)}")
    out.append(_cut("Attendees: " + (", ".join(visible(a) for a in review.attendees) or "none recorded")))
    out.append(f"Score: {_num(review.score)}; rating: {review.rating if review.rating is not None else '-'}")
    if review.pillars:
        out.append("")
        out.append("Scorecard:")
        out += [
            _cut(f"  {visible(pillar_title(p)):<30} {_num(s):>7}  {pillar_status(s)}")
            for p, s in review.pillars.items()
        ]
    out.append("")
    out.append("Items:" if review.items or review.decisions else "No items.")
    by_item = {d.item: d for d in review.decisions}
    for item in review.items:
        d = by_item.pop(item.key, None)
        out.append(_cut(f"  [{visible(item.severity)}] {visible(item.title)}"))
        out.append(_cut(f"    {_decided(d)}"))
    for d in by_item.values():
        out.append(_cut(f"  {visible(d.item)}"))
        out.append(_cut(f"    {_decided(d)}"))
    if review.notes:
        out += ["", "Notes: " + visible(review.notes)]
    return "\n".join(out) + "\n"


def _decided(d: model.Decision | None) -> str:
    if d is None:
        return "not decided"
    said = f"{visible(decision_text(d))} ({visible(d.by)}, {local_time(d.at)})"
    return said + (f"; note: {visible(d.note)}" if d.note else "")


def since_json(since: Any) -> dict[str, Any]:
    """ "Since last review" as JSON (``since``: workspace.review.Since); times in UTC as stored."""
    return {
        "since": since.since,
        "review": since.review,
        "changes": [{"kind": c.kind, "key": c.key, "what": c.what, "by": c.by, "at": c.at} for c in since.changes],
        "by": dict(since.by),
        "deltas": [{"name": d.name, "then": d.then, "now": d.now, "delta": d.delta} for d in since.deltas],
        "actions": [
            {"id": a.action.id, "title": a.action.title, "done_steps": a.done_steps, "steps": a.steps, "done": a.done}
            for a in since.actions
        ],
        "skipped": since.skipped,
        "logged": since.logged,
    }


def _key(key: Any) -> str:
    return " / ".join(visible(k) for k in key) if isinstance(key, (list, tuple)) else visible(key)


def _delta_text(d: Any) -> str:
    change = "" if d.delta is None else f" ({d.delta:+g})"
    return f"{_num(d.then)} -> {_num(d.now)}{change}"


def since_text(since: Any) -> str:
    if since.review is None:
        out = ["No review closed yet: every change in the audit log."]
    else:
        out = [f"Since review {visible(since.review)} closed ({local_time(since.since)}):"]
    out.append("")
    if not since.logged:
        out.append("No audit log (an interchange file, or a data file nobody changed): no changes known.")
    else:
        out.append(f"{len(since.changes)} change(s)" + (":" if since.changes else "."))
    for c in since.changes:
        out.append(_cut(f"  {local_time(c.at)}  {visible(c.by) or '?'}  {c.what} {visible(c.kind)} {_key(c.key)}"))
    if since.by:
        out.append(_cut("By: " + ", ".join(f"{visible(u) or '?'} {n}" for u, n in sorted(since.by.items()))))
    if since.skipped:
        out.append(f"({since.skipped} line(s) of the audit log could not be read and were skipped)")
    if since.deltas:
        out += ["", "The numbers then and now:"]
        out += [_cut(f"  {visible(d.name):<24} {_delta_text(d)}") for d in since.deltas]
    if since.actions:
        out += ["", "The last review's actions:"]
        for a in since.actions:
            mark = "done" if a.done else f"{a.done_steps}/{a.steps} steps"
            out.append(_cut(f"  {visible(a.action.id)}  {mark}  {visible(a.action.title)}"))
    return "\n".join(out) + "\n"


def since_markdown(since: Any) -> str:
    if since.review is None:
        out = ["# Since the start", "", "No review closed yet: every change in the audit log.", ""]
    else:
        out = [f"# Since review {_md(since.review)}", "", f"Closed {_md(local_time(since.since))}.", ""]
    out += ["## Changes", ""]
    if not since.logged:
        out.append("No audit log (an interchange file, or a data file nobody changed): no changes known.")
    elif not since.changes:
        out.append("None.")
    out += [
        f"- {_md(local_time(c.at))}: {_md(c.by or '?')} {c.what} {_md(c.kind)} {_md(_key(c.key))}"
        for c in since.changes
    ]
    out.append("")
    if since.deltas:
        out += ["## The numbers", "", "| number | then | now | change |", "|---|---:|---:|---:|"]
        for d in since.deltas:
            change = "" if d.delta is None else f"{d.delta:+g}"
            out.append(f"| {_md(d.name)} | {_md(_num(d.then))} | {_md(_num(d.now))} | {change} |")
        out.append("")
    if since.actions:
        out += ["## The last review's actions", ""]
        for a in since.actions:
            mark = "done" if a.done else f"{a.done_steps} of {a.steps} steps done"
            out.append(f"- {_md(a.action.title)} ({_md(a.action.id)}): {mark}")
        out.append("")
    return "\n".join(out)
