"""The "who is here" line: the teammates who have the data file open, by their OS user names.

``Here: ann (leading the review), bob (in the review), carol (read-only)``, under the
header of every screen, shown only when someone else is here. The sessions come from
the app (``AdvisorApp.here``, read from the presence folder at every poll: see
workspace/presence.py); every name is already shown safely there (safetext.visible).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from ...workspace.presence import Here

MAX_SHOWN = 12  # sessions named on the line; the rest are counted


def what_doing(here: Here) -> str:
    """'leading the review', 'in the review, stepped out', 'read-only'... ('' when nothing to say)."""
    parts = []
    if here.review:
        if here.leading:
            parts.append("leading the review")
        else:
            parts.append("in the review" + ("" if here.following else ", stepped out"))
    if here.read_only:
        parts.append("read-only")
    return ", ".join(parts)


def describe(here: Here) -> str:
    """'ann (leading the review)', 'carol (read-only)', 'dave'."""
    doing = what_doing(here)
    return f"{here.user} ({doing})" if doing else here.user


def presence_line(others: list[Here], problem: str = "", unreadable: str = "") -> str:
    """The line for the other sessions ('' when nobody else is here). The same user with the
    same state twice (two terminals) is named once, with a count: 'bob ×2 (in the review)'.
    ``problem``: why this session cannot announce itself (the others then do not see it);
    ``unreadable``: why the presence folder cannot be read (a planted link): said even alone."""
    if unreadable:
        return f"Who else is here cannot be told: {unreadable}"
    if not others:
        return ""
    counts: dict[str, int] = {}
    for h in others:
        text = describe(h)
        counts[text] = counts.get(text, 0) + 1
    named = []
    for text, n in counts.items():
        if n > 1:
            user, _, rest = text.partition(" (")
            text = f"{user} ×{n}" + (f" ({rest}" if rest else "")
        named.append(text)
    shown = ", ".join(named[:MAX_SHOWN])
    if len(named) > MAX_SHOWN:
        shown += f" and {len(named) - MAX_SHOWN} more"
    line = f"Here: {shown}"
    if problem:
        line += " · they cannot see you (your session cannot write its presence file: `tui-advisor who` says why)"
    return line


class PresenceBar(Static):
    """One line under the header: who else has the data file open (hidden when nobody)."""

    DEFAULT_CSS = """
    PresenceBar {
        display: none;
        height: 1;
        padding: 0 1;
        background: $boost;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        app = self.app
        presence = getattr(app, "presence", None)
        self.show(
            list(getattr(app, "here", [])),
            getattr(presence, "problem", ""),
            getattr(presence, "read_problem", ""),
        )

    def show(self, others: list[Here], problem: str = "", unreadable: str = "") -> None:
        line = presence_line(others, problem, unreadable)
        self.display = bool(line)
        self.update(Text(line))  # a Text: never parsed as markup
