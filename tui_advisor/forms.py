"""What the app's forms and tables show for each kind of record, and how typed text
becomes a value. Headless: the screens build widgets from these definitions, and
the parsing is tested without a terminal.

A value typed by a person is parsed leniently (``12,500``, ``26-11-2026``), checked
strictly, and every problem is said in words: "price must be a number, e.g. 12500".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from . import model
from .safetext import control_problem

# --------------------------------------------------------------------------- parsing text


class FieldError(ValueError):
    """A value a person typed that cannot be used; the message is shown next to the field."""


_DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})$"),
)


def parse_date(text: str, label: str = "date") -> date:
    """ISO (2026-11-26) or day-month-year (26-11-2026, 26/11/2026, 26.11.2026)."""
    t = text.strip()
    for pattern in _DATE_FORMATS:
        m = pattern.match(t)
        if m:
            try:
                return date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                raise FieldError(f"{label}: {t} is not a real date") from None
    raise FieldError(f"{label} must be a date, e.g. 2026-11-26 or 26-11-2026")


_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}([ ,_']\d{3})+)(\.\d+)?$")


def parse_number(text: str, label: str = "value", *, minimum: float | None = None, whole: bool = False,
                 maximum: float | None = None, example: str = "12500") -> float | int:
    """A number as people type it: 12500, 12,500, 12 500, 12500.50, -300."""
    t = text.strip().replace("\u00a0", " ")
    if not _NUMBER.match(t):
        raise FieldError(f"{label} must be a number, e.g. {example}")
    value = float(re.sub(r"[ ,_']", "", t))
    if not math.isfinite(value) or abs(value) >= model.MAX_MAGNITUDE:  # the data's own bound
        raise FieldError(f"{label} is too large: it must be below {model.MAX_MAGNITUDE:,.0f}")
    if whole:
        if not value.is_integer():
            raise FieldError(f"{label} must be a whole number, e.g. {example}")
        value = int(value)
    elif value.is_integer() and "." not in t:
        value = int(value)
    if minimum is not None and value < minimum:
        raise FieldError(f"{label} must be at least {minimum:g}")
    if maximum is not None and value > maximum:
        raise FieldError(f"{label} must be at most {maximum:g}")
    return value


def format_value(value: Any) -> str:
    """How a stored value is shown in a table or put into a form field."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return str(value)


# --------------------------------------------------------------------------- field and kind definitions

# Field types: text, number (money, hours: >= 0), signed (a balance), days (whole >= 0), percent,
# date, score (1-5), choice (options), client (a client picked from a list), engagement, yesno.


@dataclass(frozen=True)
class FieldDef:
    name: str
    label: str
    type: str
    required: bool = False
    options: tuple[str, ...] = ()
    help: str = ""
    example: str = ""

    def parse(self, raw: Any) -> Any:
        """The value of the field from what a widget holds (text, or a Select value)."""
        if self.type in ("score", "choice", "client", "engagement", "yesno"):
            if raw in (None, ""):
                if self.required:
                    raise FieldError(f"{self.label} is required: pick one")
                return None
            if self.type == "score":
                if str(raw).strip() not in ("1", "2", "3", "4", "5"):
                    raise FieldError(f"{self.label} must be a whole number from 1 to 5")
                return int(str(raw).strip())
            if self.type == "yesno":
                return raw == "yes"
            return raw
        text = "" if raw is None else str(raw)
        if not text.strip():
            if self.required:
                raise FieldError(f"{self.label} is required" + (f", e.g. {self.example}" if self.example else ""))
            return None
        if self.type == "date":
            return parse_date(text, self.label)
        if self.type in ("number", "percent"):
            return parse_number(text, self.label, minimum=0, example=self.example or "12500")
        if self.type == "signed":
            return parse_number(text, self.label, example=self.example or "48000")
        if self.type == "days":
            return parse_number(text, self.label, minimum=0, whole=True, example=self.example or "14")
        if self.type == "text":
            value = text.strip()  # a newline or tab pasted at either end goes, like spaces
            problem = control_problem(value, first=len(text) - len(text.lstrip()) + 1)  # counted in what was typed
            if problem:  # ESC, BEL, a bidi override...: a terminal would obey them
                raise FieldError(f"{self.label} {problem}")
            return value
        raise ValueError(f"unknown field type {self.type}")  # pragma: no cover

    def show(self, value: Any) -> str:
        if value is None:
            return ""
        if self.type == "yesno":
            return "yes" if value else "no"
        if self.type in ("number", "signed", "percent") and isinstance(value, (int, float)):
            if isinstance(value, float):
                text = repr(value)  # the shortest text that reads back as the same number
                return text if "e" not in text else f"{value:.2f}"
            return str(value)
        return format_value(value)


def _F(name: str, label: str, type: str = "text", **kw: Any) -> FieldDef:
    return FieldDef(name, label, type, **kw)


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    render: Callable[[Any, dict[str, str]], Any] | None = None  # (record, client names) -> value


@dataclass(frozen=True)
class KindDef:
    """One kind of record: its collection, labels, table columns and form fields."""

    coll: str
    label: str  # singular, for "Add client"
    plural: str
    key: str  # the binding / palette id
    fields: tuple[FieldDef, ...]
    columns: tuple[Column, ...]
    id_prefix: str = ""
    title_field: str = "name"
    defaults: dict[str, Any] = field(default_factory=dict)

    def record_key(self, record: Any) -> Any:
        return model.record_key(self.coll, record)

    def describe(self, record: Any, names: dict[str, str]) -> str:
        """A short, human name of a record ('client ACME [Ltd]')."""
        if self.coll == "clients":
            return f"client {record.name}"
        if self.coll == "cash":
            return f"the cash balance of {record.date.isoformat()}"
        if self.coll == "journey":
            return f"the {record.stage} activity {record.activity!r}"
        if self.coll == "inquiries":
            return f"the inquiry from {record.prospect}"
        if self.coll == "actions":
            return f"the action {record.title!r}"
        client = names.get(getattr(record, "client", ""), getattr(record, "client", ""))
        return f"{self.label} {record.id} ({client})"


def _client(rec: Any, names: dict[str, str]) -> str:
    return names.get(rec.client, rec.client)


def _fee(rec: Any, names: dict[str, str]) -> Any:
    return rec.monthly_fee if rec.kind == "retainer" else rec.price


def _steps(rec: Any, names: dict[str, str]) -> str:
    done = sum(1 for s in rec.steps if s.done is not None)
    return f"{done}/{len(rec.steps)}"


def _next_step(rec: Any, names: dict[str, str]) -> str:
    open_steps = sorted((s for s in rec.steps if s.done is None), key=lambda s: (s.due is None, s.due))
    if not open_steps:
        return "(all done)" if rec.steps else "(no steps)"
    s = open_steps[0]
    return f"{s.due.isoformat() if s.due else '-'} {s.title}"


SCORE_HELP = "1 (not at all) to 5 (very much)"

KINDS: dict[str, KindDef] = {
    "cash": KindDef(
        "cash", "cash balance", "Cash", "cash",
        fields=(
            _F("date", "Date", "date", required=True, example="2026-11-26"),
            _F("balance", "Balance", "signed", required=True, help="the bank balance on that date",
               example="48000"),
        ),
        columns=(Column("date", "Date"), Column("balance", "Balance")),
        title_field="date",
    ),
    "clients": KindDef(
        "clients", "client", "Clients", "clients",
        fields=(
            _F("name", "Name", required=True, example="ACME Ltd"),
            _F("industry", "Industry", example="Retail"),
            _F("enjoy", "Enjoy working with them", "score", help=SCORE_HELP),
            _F("industry_fit", "Industry fit", "score", help=SCORE_HELP),
        ),
        columns=(Column("name", "Name"), Column("industry", "Industry"), Column("enjoy", "Enjoy"),
                 Column("industry_fit", "Fit"), Column("id", "Id")),
        id_prefix="c",
    ),
    "engagements": KindDef(
        "engagements", "engagement", "Engagements", "engagements",
        fields=(
            _F("client", "Client", "client", required=True),
            _F("kind", "Kind", "choice", required=True, options=model.ENGAGEMENT_KINDS),
            _F("start", "Start", "date", required=True, example="2026-01-01"),
            _F("end", "End", "date", help="empty: open-ended"),
            _F("monthly_fee", "Monthly fee", "number", help="retainers", example="8000"),
            _F("price", "Fixed price", "number", help="projects", example="12500"),
            _F("hours_per_week", "Hours per week", "number", example="20"),
            _F("billing", "Billing", "choice", required=True, options=model.BILLING),
            _F("deadline", "Deadline", "date"),
            _F("rush_fee_pct", "Rush fee %", "percent", example="25"),
            _F("name", "Name", help="optional: what the advice calls it", example="Website relaunch"),
        ),
        columns=(Column("id", "Id"), Column("client", "Client", _client), Column("kind", "Kind"),
                 Column("start", "Start"), Column("end", "End"), Column("fee", "Fee / price", _fee),
                 Column("hours_per_week", "h/week"), Column("billing", "Billing")),
        id_prefix="e", title_field="id", defaults={"kind": "retainer", "billing": "monthly"},
    ),
    "invoices": KindDef(
        "invoices", "invoice", "Invoices", "invoices",
        fields=(
            _F("client", "Client", "client", required=True),
            _F("engagement", "Engagement", "engagement", help="optional: the engagement it bills"),
            _F("issued", "Issued", "date", required=True, example="2026-11-26"),
            _F("amount", "Amount", "signed", required=True, example="8000"),
            _F("due", "Due", "date"),
            _F("paid", "Paid", "date", help="empty: still open"),
        ),
        columns=(Column("id", "Id"), Column("client", "Client", _client), Column("issued", "Issued"),
                 Column("amount", "Amount"), Column("due", "Due"), Column("paid", "Paid")),
        id_prefix="inv", title_field="id",
    ),
    "inquiries": KindDef(
        "inquiries", "inquiry", "Inquiries", "inquiries",
        fields=(
            _F("prospect", "Prospect", required=True, example="Globex"),
            _F("received", "Received", "date", required=True, example="2026-11-20"),
            _F("source", "Source", example="referral"),
            _F("status", "Status", "choice", required=True, options=model.INQUIRY_STATUSES),
            _F("proposal_sent", "Proposal sent", "date"),
            _F("decided", "Decided", "date"),
            _F("estimated_value", "Estimated value", "number", example="30000"),
            _F("requested_start", "Requested start", "date"),
            _F("deadline", "Deadline", "date"),
            _F("rush_fee_pct", "Rush fee %", "percent", example="25"),
            _F("enjoy", "Enjoy", "score", help=SCORE_HELP),
            _F("industry_fit", "Industry fit", "score", help=SCORE_HELP),
            _F("budget_ok", "Budget ok", "yesno"),
        ),
        columns=(Column("prospect", "Prospect"), Column("received", "Received"), Column("status", "Status"),
                 Column("proposal_sent", "Proposal"), Column("estimated_value", "Value"),
                 Column("requested_start", "Start wanted"), Column("source", "Source")),
        id_prefix="q", title_field="prospect", defaults={"status": "new"},
    ),
    "journey": KindDef(
        "journey", "journey activity", "Journey", "journey",
        fields=(
            _F("stage", "Stage", "choice", required=True, options=model.JOURNEY_STAGES),
            _F("activity", "Activity", required=True, example="Clients search Google for 'shopify agency'"),
        ),
        columns=(Column("stage", "Stage"), Column("activity", "Activity")),
        title_field="activity",
    ),
    "actions": KindDef(
        "actions", "action item", "Actions", "actions",
        fields=(
            _F("title", "Title", required=True, example="Publish three case studies"),
            _F("owner", "Owner", example="Sam"),
            _F("rule", "From rule", help="the rule id it answers, e.g. KEY001"),
        ),
        columns=(Column("title", "Title"), Column("owner", "Owner"), Column("steps", "Steps done", _steps),
                 Column("next", "Next step", _next_step), Column("rule", "Rule")),
        id_prefix="a", title_field="title",
    ),
}

PROFILE_FIELDS = (
    _F("name", "Agency name", required=True, example="Northwind Studio"),
    _F("currency", "Currency", required=True, example="EUR"),
    _F("monthly_operating_costs", "Monthly operating costs", "number", example="62000",
       help="salaries, rent, tools: everything a month costs"),
    _F("weekly_capacity_hours", "Weekly capacity (hours)", "number", example="240",
       help="billable hours the whole team can deliver in a week"),
    _F("normal_lead_time_days", "Normal lead time (days)", "days", example="14",
       help="days of notice you normally need before starting work"),
    _F("credit_line", "Credit line", "number", example="50000", help="arranged with the bank; 0 if none"),
)


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:24].strip("-") or "x"


def new_id(kind: KindDef, values: dict[str, Any], existing: set[str]) -> str:
    """A readable, unique id for a new record: 'c-acme-ltd', 'inv-0042'."""
    if kind.coll in ("clients", "inquiries", "actions"):
        base = f"{kind.id_prefix}-{slug(str(values.get(kind.title_field) or kind.label))}"
        candidate, n = base, 2
        while candidate in existing:
            candidate, n = f"{base}-{n}", n + 1
        return candidate
    n = len(existing) + 1
    while f"{kind.id_prefix}-{n:04d}" in existing:
        n += 1
    return f"{kind.id_prefix}-{n:04d}"


# An inquiry's status and the date the metrics read for it: without that date the inquiry
# is left out of them without a word (a won proposal with no decision date is not in the win
# rate or the sales cycle; a sent one with no date is not in the proposals per week).
_STATUS_DATES = {
    "proposal_sent": ("proposal_sent", "is needed when the status is proposal_sent: the proposals per week "
                      "count sent proposals by this date"),
    "won": ("decided", "is needed for a won inquiry: the win rate and the sales cycle count it by this date"),
    "lost": ("decided", "is needed for a lost inquiry: the win rate counts it by this date"),
    "declined": ("decided", "is needed for a declined inquiry: the date you said no"),
}


def form_problems(kind: KindDef, values: dict[str, Any]) -> list[str]:
    """What the form must not save although the data file would take it (files written
    elsewhere may leave these dates out; the form asks for them): ``"coll.field: message"``."""
    if kind.coll != "inquiries":
        return []
    needed = _STATUS_DATES.get(values.get("status") or "")
    if needed is not None and values.get(needed[0]) is None:
        return [f"inquiries.{needed[0]}: {needed[1]}, e.g. 2026-11-20"]
    return []


def build_record(kind: KindDef, values: dict[str, Any], original: Any | None, existing_ids: set[str]) -> Any:
    """A record of the kind from parsed form values; keeps what the form does not show."""
    cls = model.RECORD_TYPES[kind.coll]
    base: dict[str, Any] = {}
    if original is not None:
        base = {f: getattr(original, f) for f in cls.__dataclass_fields__}  # type: ignore[attr-defined]
    base.update({k: v for k, v in values.items()})
    for spec in model.SPECS[kind.coll]:
        if base.get(spec.name) is None and spec.default is not None:
            base[spec.name] = spec.default
    if "id" in cls.__dataclass_fields__ and not base.get("id"):  # type: ignore[attr-defined]
        base["id"] = new_id(kind, values, existing_ids)
    return cls(**base)
