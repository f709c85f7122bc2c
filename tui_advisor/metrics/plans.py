"""The customer journey (G8) and the action plan in weekly steps (G9)."""

from __future__ import annotations

from typing import Any

from ..model import JOURNEY_STAGES
from .base import Context, finding, metric
from .deals import days_text

metric("journey_stages_covered", "journey", "count", "journey stages (of 3) with at least one activity")
metric("journey_activities", "journey", "count", "activities mapped on the customer journey")
metric("open_action_items", "execution", "count", "action items with a step not done yet, or with no steps")
finding(
    "journey_stages",
    "journey",
    "the three stages of the customer journey",
    stage="discovery, education or decision",
    activities="number of activities mapped for the stage",
)
finding(
    "open_actions",
    "execution",
    "action items that are not finished",
    id="action id",
    title="title",
    owner="owner",
    steps="number of steps",
    open_steps="steps not done",
    days_to_next_due="days from the as-of date to the earliest due date of an open step "
    "(negative: overdue; unknown when no open step has a due date)",
    days_since_progress="days since the last step was done; if none was done, since the earliest "
    "due date (negative: not started yet; unknown without dates)",
    done_steps="steps done on or before the as-of date",
    days_to_last_due="days from the as-of date to the latest due date of an open step (unknown without one)",
    months_to_last_due="the same in months (days / 30.44)",
    owner_words="the owner, or 'no owner yet'",
    open_steps_text="'1 open step', '3 open steps'",
    next_due_text="the next due date in words: 'the next is due in 3 days'",
    progress_text="the last progress in words: 'the last step was done 10 days ago'",
)


def compute(ctx: Context, out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    data, as_of = ctx.data, ctx.as_of
    counts = {s: 0 for s in JOURNEY_STAGES}
    for a in data.journey:
        counts[a.stage] += 1
    out["journey_stages_covered"] = sum(1 for n in counts.values() if n)
    out["journey_activities"] = len(data.journey)
    stages = [{"subject": f"the {s} stage", "stage": s, "activities": n} for s, n in counts.items()]
    actions = []
    seen: dict[str, int] = {}
    for action in data.actions:
        # a step finished after the as-of date was still open on that date
        open_steps = [s for s in action.steps if s.done is None or s.done > as_of]
        if action.steps and not open_steps:
            continue
        dues = [s.due for s in open_steps if s.due is not None]
        done = [s.done for s in action.steps if s.done is not None and s.done <= as_of]
        since: int | None  # days since the last step done, else since the first due date
        if done:
            since = (as_of - max(done)).days
        else:
            all_dues = [s.due for s in action.steps if s.due is not None]
            since = (as_of - min(all_dues)).days if all_dues else None
        subject = f"action {action.title}"
        seen[subject] = seen.get(subject, 0) + 1
        if seen[subject] > 1:
            subject += f" #{seen[subject]}"
        next_due = (min(dues) - as_of).days if dues else None
        last_due = (max(dues) - as_of).days if dues else None
        n_open = len(open_steps)
        actions.append(
            {
                "subject": subject,
                "id": action.id,
                "title": action.title,
                "owner": action.owner,
                "steps": len(action.steps),
                "open_steps": n_open,
                "done_steps": len(done),
                "days_to_next_due": next_due,
                "days_since_progress": since,
                "days_to_last_due": last_due,
                "months_to_last_due": None if last_due is None else last_due / 30.44,
                "owner_words": action.owner or "no owner yet",
                "open_steps_text": f"{n_open} open step{'s' if n_open != 1 else ''}",
                "next_due_text": _next_due_text(next_due),
                "progress_text": _progress_text(since, bool(done)),
            }
        )
    out["open_action_items"] = len(actions)
    return {"journey_stages": stages, "open_actions": actions}


def _next_due_text(days: int | None) -> str:
    if days is None:
        return "no open step has a due date"
    if days == 0:
        return "the next is due today"
    if days < 0:
        return f"the next was due {days_text(-days)} ago"
    return f"the next is due in {days_text(days)}"


def _progress_text(since: int | None, any_done: bool) -> str:
    if any_done and since is not None:  # a step done: since is the days since the last one
        return "the last step was done today" if since == 0 else f"the last step was done {days_text(since)} ago"
    if since is None:
        return "no step is done yet"
    if since < 0:
        return f"no step is done yet; the first is due in {days_text(-since)}"
    return "no step is done yet" + (
        "; the first was due today" if since == 0 else f"; the first was due {days_text(since)} ago"
    )
