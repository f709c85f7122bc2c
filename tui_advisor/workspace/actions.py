"""The open steps of the action items: whose they are, which are overdue ("my actions").

A step belongs to its own ``owner``; a step without one belongs to its action's owner (and a
step of an action without owner to nobody: "unassigned"). A user is matched by name with case
and spacing ignored (``model.name_key``: the OS user ``eva`` owns the steps of "Eva").

A step is **open** when it is not done and its action was not dropped by a review; it is
**overdue** when it is open and its due date is before today. Steps are listed by due date
(undated last), then by action and place.

Headless: ``tui-advisor actions`` prints these, the app's "my actions" screen and the
dashboard's overdue line show them. Every text is made visible (``safetext``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .. import model
from ..fastclass import dataclass
from ..safetext import json_dumps, visible


@dataclass
class OpenStep:
    """One open step, with what the lists show of its action."""

    action: str  # the action item's id
    action_title: str
    index: int  # its place among the action's steps (0 first)
    title: str
    due: date | None
    owner: str  # whose it is: the step's owner, else the action's ("" nobody)
    own: bool  # True: the step names its owner itself; False: it is the action's owner's
    overdue: bool
    review: str = ""  # the review that made the action, if any


def current_user() -> str:
    """The user "my actions" are of: the OS user name, as the store records who changed what."""
    from ..store.store import _os_user  # the store's own reading of it (getpass, else the uid)

    return _os_user()


def owner_of(action: model.ActionItem, step: model.Step) -> str:
    """Whose step it is: its own owner, else its action's."""
    return getattr(step, "owner", "") or action.owner or ""


def is_user(owner: str, user: str) -> bool:
    """Is ``owner`` (a name typed on a step or an action) the user ``user``? Case and spacing ignored."""
    return bool(user.strip()) and model.name_key(owner) == model.name_key(user)


def open_steps(data: model.AgencyData, today: date, *, user: str | None = None) -> list[OpenStep]:
    """The open steps of every action not dropped, of ``user`` only when given."""
    out: list[OpenStep] = []
    for action in data.actions:
        if getattr(action, "dropped", None) is not None:
            continue
        for i, step in enumerate(action.steps):
            if step.done is not None:
                continue
            owner = owner_of(action, step)
            if user is not None and not is_user(owner, user):
                continue
            out.append(
                OpenStep(
                    action=action.id,
                    action_title=action.title,
                    index=i,
                    title=step.title,
                    due=step.due,
                    owner=owner,
                    own=bool(getattr(step, "owner", "")),
                    overdue=step.due is not None and step.due < today,
                    review=getattr(action, "review", "") or "",
                )
            )
    out.sort(key=lambda s: (s.due is None, s.due or date.min, s.action, s.index))
    return out


def overdue_steps(data: model.AgencyData, today: date, *, user: str | None = None) -> list[OpenStep]:
    """The open steps due before ``today`` (oldest first)."""
    return [s for s in open_steps(data, today, user=user) if s.overdue]


def owners(data: model.AgencyData) -> list[str]:
    """Every name that owns an action or a step, as typed (the first spelling of each), sorted."""
    seen: dict[str, str] = {}
    for action in data.actions:
        for name in (action.owner, *(getattr(s, "owner", "") for s in action.steps)):
            if name and model.name_key(name) not in seen:
                seen[model.name_key(name)] = name
    return sorted(seen.values(), key=model.name_key)


def days_late(step: OpenStep, today: date) -> int:
    return (today - step.due).days if step.due is not None and step.overdue else 0


# ------------------------------------------------------------------ output


def to_json(steps: list[OpenStep], today: date, user: str | None = None) -> dict[str, Any]:
    return {
        "as_of": today.isoformat(),
        "user": user,
        "steps": [
            {
                "action": s.action,
                "action_title": s.action_title,
                "step": s.index + 1,
                "title": s.title,
                "due": s.due.isoformat() if s.due else None,
                "owner": s.owner or None,
                "overdue": s.overdue,
                "days_late": days_late(s, today),
                "review": s.review or None,
            }
            for s in steps
        ],
    }


def render_json(steps: list[OpenStep], today: date, user: str | None = None) -> str:
    return json_dumps(to_json(steps, today, user), indent=2) + "\n"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _heading(steps: list[OpenStep], today: date, user: str | None) -> str:
    whose = f"Open steps of {visible(user)}" if user is not None else "Open steps"
    late = sum(s.overdue for s in steps)
    return f"{whose} as of {today.isoformat()}: {len(steps)}" + (f", {late} overdue" if late else "")


def render_text(steps: list[OpenStep], today: date, user: str | None = None) -> str:
    """One line a step (80 columns): due date, overdue mark, owner, the step, its action."""
    lines = [_cut(_heading(steps, today, user), 80), ""]
    if not steps:
        lines.append("Nothing open." if user is None else f"Nothing open for {visible(user)}.")
        return "\n".join(lines) + "\n"
    for s in steps:
        due = s.due.isoformat() if s.due else "no date"
        mark = f"{days_late(s, today)}d late" if s.overdue else ""
        who = "" if user is not None else f"{_cut(visible(s.owner) or 'unassigned', 12):<12} "
        head = f"{due:<10} {mark:>9}  {who}"
        lines.append(_cut(head + visible(s.title), 80))
        lines.append(_cut(f"{'':<22}step {s.index + 1} of {visible(s.action)}: {visible(s.action_title)}", 80))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>|" else ch for ch in visible(text))


def render_markdown(steps: list[OpenStep], today: date, user: str | None = None) -> str:
    out = [f"# {_md(_heading(steps, today, user))}", ""]
    if not steps:
        out.append("Nothing open.")
        return "\n".join(out) + "\n"
    out.append("| due | step | owner | action |")
    out.append("|---|---|---|---|")
    for s in steps:
        due = s.due.isoformat() if s.due else "-"
        if s.overdue:
            late = days_late(s, today)
            due = f"**{due}** ({late} day{'s' if late != 1 else ''} late)"
        out.append(
            f"| {due} | {_md(s.title)} | {_md(s.owner) or '*unassigned*'} | "
            f"step {s.index + 1} of {_md(s.action)}: {_md(s.action_title)} |"
        )
    return "\n".join(out) + "\n"
