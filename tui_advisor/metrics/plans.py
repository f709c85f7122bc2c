"""The customer journey (G8) and the action plan in weekly steps (G9)."""

from __future__ import annotations

from typing import Any

from ..model import JOURNEY_STAGES
from .base import Context, finding, metric

metric("journey_stages_covered", "journey", "count", "journey stages (of 3) with at least one activity")
metric("journey_activities", "journey", "count", "activities mapped on the customer journey")
metric("open_action_items", "execution", "count", "action items with a step not done yet, or with no steps")
finding("journey_stages", "journey", "the three stages of the customer journey",
        stage="discovery, education or decision", activities="number of activities mapped for the stage")
finding("open_actions", "execution", "action items that are not finished",
        id="action id", title="title", owner="owner", steps="number of steps", open_steps="steps not done",
        days_to_next_due="days from the as-of date to the earliest due date of an open step "
                         "(negative: overdue; unknown when no open step has a due date)",
        days_since_progress="days since the last step was done; if none was done, since the earliest "
                            "due date (negative: not started yet; unknown without dates)")


def compute(ctx: Context, out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    data, as_of = ctx.data, ctx.as_of
    counts = {s: 0 for s in JOURNEY_STAGES}
    for a in data.journey:
        counts[a.stage] += 1
    out["journey_stages_covered"] = sum(1 for n in counts.values() if n)
    out["journey_activities"] = len(data.journey)
    stages = [{"subject": f"the {s} stage", "stage": s, "activities": n} for s, n in counts.items()]
    actions = []
    for a in data.actions:
        # a step finished after the as-of date was still open on that date
        open_steps = [s for s in a.steps if s.done is None or s.done > as_of]
        if a.steps and not open_steps:
            continue
        dues = [s.due for s in open_steps if s.due is not None]
        done = [s.done for s in a.steps if s.done is not None and s.done <= as_of]
        if done:
            since = (as_of - max(done)).days
        else:
            all_dues = [s.due for s in a.steps if s.due is not None]
            since = (as_of - min(all_dues)).days if all_dues else None
        actions.append({
            "subject": f"action {a.title} ({a.id})", "id": a.id, "title": a.title, "owner": a.owner,
            "steps": len(a.steps), "open_steps": len(open_steps),
            "days_to_next_due": (min(dues) - as_of).days if dues else None,
            "days_since_progress": since,
        })
    out["open_action_items"] = len(actions)
    return {"journey_stages": stages, "open_actions": actions}
