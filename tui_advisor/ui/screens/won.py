"""A won inquiry becomes a client and an engagement, from what the inquiry holds.

When an inquiry is saved as won and no client has the prospect's name (case and spacing
ignored), the app asks "Create client 'X' and an engagement from this inquiry?". Yes opens
the client's form filled in (the prospect as the name, how much the team would enjoy it,
the industry fit) and, once that is saved, the engagement's (that client, a project at the
estimated value, the requested start, the deadline, the rush fee): the user checks and
changes both before anything is saved; esc on either stops there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ... import model
from .dialogs import ConfirmScreen

if TYPE_CHECKING:
    from .records import RecordsScreen


def _same_name(a: str, b: str) -> bool:
    return model.name_key(a) == model.name_key(b)


def client_values(inquiry: Any) -> dict[str, Any]:
    """The new client's form, from the inquiry."""
    return {"name": " ".join(inquiry.prospect.split()), "enjoy": inquiry.enjoy, "industry_fit": inquiry.industry_fit}


def engagement_values(inquiry: Any, client_id: str) -> dict[str, Any]:
    """The new engagement's form, from the inquiry: a project at its estimated value (the form
    lets the user make it a retainer, the value then its monthly fee)."""
    return {
        "client": client_id,
        "kind": "project",
        "price": inquiry.estimated_value,
        "start": inquiry.requested_start,
        "deadline": inquiry.deadline,
        "rush_fee_pct": inquiry.rush_fee_pct or None,
    }


def offer_from_inquiry(screen: RecordsScreen, inquiry: Any) -> None:
    """After an inquiry is saved: when it is won and its prospect is no client yet, offer both forms."""
    if getattr(inquiry, "status", None) != "won":
        return
    name = " ".join(inquiry.prospect.split())
    ws = screen.workspace
    if not name or any(_same_name(c.name, name) for c in ws.data.clients):
        return
    app = screen.app

    def answer(yes: bool | None) -> None:
        if yes:
            _open(app, "clients", client_values(inquiry), lambda client: _then_engagement(app, inquiry, client))

    app.push_screen(
        ConfirmScreen(
            f"Create client '{name}' and an engagement from this inquiry?\n"
            "Both forms open filled in from the inquiry: check them, then save (esc stops).",
            yes="Create",
        ),
        answer,
    )


def _then_engagement(app: Any, inquiry: Any, client: Any) -> None:
    if client is None:
        return

    def saved(engagement: Any) -> None:
        if engagement is not None:
            app.notify(
                f"Client {client.name} and its engagement are saved, from the won inquiry.", timeout=5, markup=False
            )

    _open(app, "engagements", engagement_values(inquiry, client.id), saved)


def _open(app: Any, mode: str, values: dict[str, Any], after: Any) -> None:
    """The kind's table, and its add form filled with ``values`` on top of it."""
    app.switch_mode(mode)

    def open_form() -> None:
        base = app.screen_stack[0]  # the kind's table, even while the mode switches
        base.open_form(None, prefill=values, after=after)

    app.call_after_refresh(open_form)
