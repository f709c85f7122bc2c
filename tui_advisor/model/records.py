"""The records of the agency model: plain, typed dataclasses (slots), one per kind of record.

What each field may hold, its label and help, and the rules between fields are in the
definition of the kind (kinds.py); the field order and defaults here are the format's.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date
from typing import Any

from ..fastclass import dataclass

# --------------------------------------------------------------------------- records


@dataclass(slots=True)
class Agency:
    """The agency's profile: name, currency, costs, capacity, lead time, credit line."""

    name: str = ""
    currency: str = "EUR"
    monthly_operating_costs: float | None = None
    weekly_capacity_hours: float | None = None
    normal_lead_time_days: int = 14
    credit_line: float = 0
    payment_term_days: int = 30
    number_style: str | None = None


@dataclass(slots=True)
class CashEntry:
    """The bank balance on one date."""

    date: date
    balance: float
    note: str = ""


@dataclass(slots=True)
class Client:
    """A client, with how much the team enjoys the work and how well it fits; ``archived``: the
    day it became a former client (None: a current one)."""

    id: str
    name: str
    industry: str = ""
    enjoy: int | None = None
    industry_fit: int | None = None
    archived: date | None = None
    note: str = ""


@dataclass(slots=True)
class Engagement:
    """A retainer or a project for a client: fee or price, billing, dates, hours."""

    id: str
    client: str
    kind: str
    start: date
    end: date | None = None
    monthly_fee: float | None = None
    price: float | None = None
    hours_per_week: float = 0
    billing: str = "monthly"
    deadline: date | None = None
    rush_fee_pct: float = 0
    name: str | None = None
    note: str = ""


@dataclass(slots=True)
class Invoice:
    """An invoice: issued, due and paid dates, amount, client and engagement."""

    id: str
    client: str
    issued: date
    amount: float
    engagement: str | None = None
    due: date | None = None
    paid: date | None = None
    total: float | None = None  # what the client pays, VAT included; None: the amount
    note: str = ""


@dataclass(slots=True)
class Inquiry:
    """An inquiry or proposal, from first contact to won, lost or declined."""

    id: str
    received: date
    prospect: str
    source: str = ""
    status: str = "new"
    proposal_sent: date | None = None
    decided: date | None = None
    estimated_value: float | None = None
    requested_start: date | None = None
    deadline: date | None = None
    rush_fee_pct: float = 0
    enjoy: int | None = None
    industry_fit: int | None = None
    budget_ok: bool | None = None
    note: str = ""


@dataclass(slots=True)
class JourneyActivity:
    """What the agency does at one stage of the customer journey."""

    stage: str
    activity: str
    note: str = ""


@dataclass(slots=True)
class Step:
    """One weekly step of an action item."""

    title: str
    due: date | None = None
    done: date | None = None
    owner: str = ""  # who does it (an OS user name or any name); empty: the action's owner


@dataclass(slots=True)
class ActionItem:
    """Something the team decided to do, with weekly steps."""

    id: str
    title: str
    rule: str | None = None
    owner: str = ""
    steps: list[Step] = field(default_factory=list)
    note: str = ""
    review: str = ""  # the id of the review that made it ("rv-0001"); empty: made outside a review
    due: date | None = None  # when it is to be done (a review's accept: its last step's due date)
    dropped: date | None = None  # the day a review dropped it (not carried over); None: not dropped


@dataclass(slots=True)
class Dismissal:
    """A recommendation the team dismissed or snoozed, per rule and subject.

    It stays hidden while the numbers are no worse than when it was dismissed
    (same or lower severity, distance past the threshold not grown) and, when
    snoozed, until the ``until`` date."""

    rule: str
    subject: str = ""
    reason: str = ""
    until: date | None = None
    severity: str = "info"
    distance: float = 0
    by: str = ""
    on: date | None = None


@dataclass(slots=True)
class ReviewItem:
    """One item of a review's issues list, as it was shown: a recommendation (``key``: its dismissal
    key, "RULE001" or "RULE001:subject") or an off-track pillar ("pillar:<pillar>")."""

    key: str
    title: str
    severity: str
    pillar: str
    rule: str = ""
    subject: str = ""
    message: str = ""


@dataclass(slots=True)
class Decision:
    """What the team decided about one item of a review: accept (an action item, ``action`` its
    id), dismiss (with a ``reason``), snooze (until a date) or park; who decided it and when."""

    item: str
    kind: str  # "accept" | "dismiss" | "snooze" | "park"
    by: str
    at: str  # UTC, ISO 8601 ("2026-12-01T17:22:05Z")
    note: str = ""
    reason: str = ""
    until: date | None = None
    owner: str = ""
    action: str = ""


@dataclass(slots=True)
class Review:
    """A team review (a meeting): what was shown, what was decided, by whom; once ``closed``, it
    never changes (the store refuses any change to it)."""

    id: str
    started: str  # UTC, ISO 8601
    by: str
    leader: str
    as_of: date
    closed: str | None = None  # UTC, ISO 8601; None: under way
    attendees: list[str] = field(default_factory=list)
    notes: str = ""
    rating: int | None = None
    score: float | None = None
    pillars: dict[str, float | None] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    carried: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    items: list[ReviewItem] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    def decision(self, item: str) -> Decision | None:
        """The decision stored for an item (its key), if any."""
        return next((d for d in self.decisions if d.item == item), None)


@dataclass(slots=True)
class Settings:
    """Per-agency rule settings: ``disable`` ids or prefixes, ``params`` per rule id."""

    disable: list[str] = field(default_factory=list)
    params: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(slots=True)
class AgencyData:
    """Everything stored about one agency: the profile, its settings and every collection."""

    agency: Agency = field(default_factory=Agency)
    cash: list[CashEntry] = field(default_factory=list)
    clients: list[Client] = field(default_factory=list)
    engagements: list[Engagement] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    inquiries: list[Inquiry] = field(default_factory=list)
    journey: list[JourneyActivity] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    dismissals: list[Dismissal] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)

    def client_names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.clients}

    def former_clients(self, as_of: date) -> set[str]:
        """The ids of the former clients on ``as_of``: archived on that day or before. They are out
        of the pickers and of the shares ahead; their invoices stay in the history."""
        return {c.id for c in self.clients if c.archived is not None and c.archived <= as_of}
