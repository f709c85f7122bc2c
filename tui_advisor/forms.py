"""What the app's forms and tables show for each kind of record, and how typed text
becomes a value. Headless: the screens build widgets from these definitions, and
the parsing is tested without a terminal. Labels, help, types, choices and bounds
are the core's (model.KINDS); only screen matters (the form's field order, the
table's columns, a new record's starting values) are here.

A value typed by a person is parsed leniently (``12,500``, ``26-11-2026``), checked
strictly, and every problem is said in words: "price must be a number, e.g. 12500".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from . import model, numbers
from .safetext import control_problem, visible

# --------------------------------------------------------------------------- parsing text


class FieldError(ValueError):
    """A value a person typed that cannot be used; the message is shown next to the field."""


_DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})$"),
)


# a month by its name: '1 sep 2026', '1 september 2026', '1-mrt-2026', '1e mei 2026', 'sep 1, 2026'
@cache
def _named_dates() -> tuple[re.Pattern[str], ...]:
    return (
        re.compile(
            r"^(?P<d>\d{1,2})(?:st|nd|rd|th|e)?\.?(?:[ \-/]+|(?=[^\W\d_]))(?P<mon>[^\W\d_]+)\.?[ \-/,]+(?P<y>\d{4})$"
        ),
        re.compile(r"^(?P<mon>[^\W\d_]+)\.?[ \-/]+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?[ \-/]+(?P<y>\d{4})$"),
    )


# the month names, English and Dutch (full names; their abbreviations below); a name is also read
# from its first two letters or more when they begin one month only ('ja', 'sept', 'augus')
_MONTH_NAMES = (
    ("january", "januari"),
    ("february", "februari"),
    ("march", "maart"),
    ("april",),
    ("may", "mei"),
    ("june", "juni"),
    ("july", "juli"),
    ("august", "augustus"),
    ("september",),
    ("october", "oktober"),
    ("november",),
    ("december",),
)
_MONTH_ABBREVIATIONS = {"mrt": 3, "okt": 10, "sept": 9}
_MONTH_LABELS = "January February March April May June July August September October November December".split()


def month_number(name: str, label: str = "date") -> int:
    """The month (1-12) of an English or Dutch month name or abbreviation, any case ('sep', 'Mrt',
    'oktober'); an unknown or ambiguous one ('ma': March or May) is a FieldError saying so."""
    token = name.lower()
    if token in _MONTH_ABBREVIATIONS:
        return _MONTH_ABBREVIATIONS[token]
    found = sorted(
        {n for n, names in enumerate(_MONTH_NAMES, 1) for full in names if len(token) >= 2 and full.startswith(token)}
    )
    if len(found) == 1:
        return found[0]
    shown = visible(name)
    if found:
        which = " or ".join(_MONTH_LABELS[n - 1] for n in found)
        raise FieldError(f"{label}: {shown} could be {which}: write more of the month, e.g. 1 sep 2026")
    raise FieldError(f"{label}: {shown} is not a month name (English or Dutch), e.g. 1 sep 2026 or 1 mrt 2026")


def parse_date(text: str, label: str = "date") -> date:
    """ISO (2026-11-26), day-month-year (26-11-2026, 26/11/2026, 26.11.2026), or with the month's
    name in English or Dutch, any case (1 sep 2026, 1 september 2026, 1 mrt 2026, 1-mrt-2026,
    sep 1, 2026)."""
    t = text.strip()
    for pattern in _DATE_FORMATS:
        m = pattern.match(t)
        if m:
            try:
                return date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                raise FieldError(f"{label}: {t} is not a real date") from None
    for pattern in _named_dates():
        m = pattern.match(t)
        if m:
            month = month_number(m["mon"], label)
            try:
                return date(int(m["y"]), month, int(m["d"]))
            except ValueError:
                raise FieldError(f"{label}: {visible(t)} is not a real date") from None
    raise FieldError(f"{label} must be a date, e.g. 2026-11-26 or 26-11-2026")


def parse_number(
    text: str,
    label: str = "value",
    *,
    minimum: float | None = None,
    whole: bool = False,
    maximum: float | None = None,
    example: str = "12500",
    decimal: str = ".",
    currency: str | None = None,
) -> float | int:
    """A number as people type it, in the number style whose decimal mark is ``decimal``
    (numbers.read_amount): 12500, 12,500, 12 500, 12500.50, -300, € 1.234,56 in the ',' style.
    A text that fits only the other style is refused with both readings."""
    try:
        reading = numbers.read(text, decimal, label=label, currency=currency, example=example)
    except numbers.NumberError as exc:
        raise FieldError(str(exc)) from None
    value: float | int = reading.value
    if whole:
        if not reading.value.is_integer():
            raise FieldError(f"{label} must be a whole number, e.g. {example}")
        value = int(reading.value)
    elif reading.value.is_integer() and not reading.pointed:
        value = int(reading.value)
    if minimum is not None and value < minimum:
        raise FieldError(f"{label} must be at least {numbers.show_decimal(minimum, decimal)}")
    if maximum is not None and value > maximum:
        raise FieldError(f"{label} must be at most {numbers.show_decimal(maximum, decimal)}")
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


def format_amount(value: Any, decimal: str) -> str:
    """An amount as a table shows it, in the number style of ``decimal`` (numbers.show_money):
    12500 -> '12.500' (',') or '12,500' ('.'), 131250.5 -> '131.250,50'; anything else as format_value."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return numbers.show_money(value, decimal)
    return format_value(value)


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
    max_length: int | None = None  # a text's longest value, in characters (the core's bound)
    maximum: int | None = None  # a whole number of days: its largest (the core's bound)
    decimal: str = "."  # the number style of typed numbers: its decimal mark (numbers.style_for)
    currency: str = ""  # the agency's currency: an amount typed with another one's sign is refused

    def parse(self, raw: Any) -> Any:
        """The value of the field from what a widget holds (text, or a Select value)."""
        if self.type in ("score", "choice", "client", "engagement", "yesno", "rule"):
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
        mark, money = self.decimal, self.currency or None  # the agency's number style and currency
        if self.type in ("number", "percent"):
            example = self.example or "12500"
            return parse_number(text, self.label, minimum=0, example=example, decimal=mark, currency=money)
        if self.type == "signed":
            return parse_number(text, self.label, example=self.example or "48000", decimal=mark, currency=money)
        if self.type == "days":
            example = self.example or "14"
            return parse_number(
                text,
                self.label,
                minimum=0,
                whole=True,
                example=example,
                decimal=mark,
                currency=money,
                maximum=self.maximum,
            )
        if self.type == "text":
            value = text.strip()  # a newline or tab pasted at either end goes, like spaces
            problem = control_problem(value, first=len(text) - len(text.lstrip()) + 1)  # counted in what was typed
            if problem:  # ESC, BEL, a bidi override...: a terminal would obey them
                raise FieldError(f"{self.label} {problem}")
            if self.max_length is not None and len(value) > self.max_length:
                raise FieldError(f"{self.label} {model.too_long(value, self.max_length)}")
            return value
        raise ValueError(f"unknown field type {self.type}")  # pragma: no cover

    def show(self, value: Any) -> str:
        if value is None:
            return ""
        if self.type == "yesno":
            return "yes" if value else "no"
        if self.type in ("number", "signed", "percent", "days") and isinstance(value, (int, float)):
            if isinstance(value, float):  # the shortest text that reads back as the same number, no exponent
                text = repr(value) if "e" not in repr(value) else format(Decimal(repr(value)), "f")
            else:
                text = str(value)
            if self.is_amount:  # grouped, as the tables show it: 12.500, 131.250,50 (reads back exactly)
                cents = isinstance(value, float) and float(f"{value:.2f}") == value  # 131.250,50; else every digit
                return numbers.show_money(value, self.decimal) if cents else numbers.write_digits(text, self.decimal)
            return text.replace(".", self.decimal)  # hours, a percent, days: ungrouped, in the style the field reads
        return format_value(value)

    @property
    def is_amount(self) -> bool:
        """Money in the agency's currency (not hours, a percent or days)."""
        return self.type in ("number", "signed") and "hours" not in self.name

    def reading(self, value: Any) -> str | None:
        """How a parsed number reads, in the field's style: 'read as 97.250,00 EUR',
        'read as 37,5 hours', 'read as 12,5%'; None for a value of another kind (or none)."""
        if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        if self.type not in ("number", "signed", "percent"):
            return None
        if self.type == "percent":
            return f"read as {numbers.show_decimal(value, self.decimal)}%"
        if not self.is_amount:
            return f"read as {numbers.show_decimal(value, self.decimal)} hours"
        text = f"read as {numbers.show_amount(value, self.decimal)}"  # the cents said: 97.250,00 is no 97,25
        return f"{text} {visible(self.currency)}" if self.currency else text

    def in_style(self, decimal: str, currency: str = "") -> FieldDef:
        """This field reading and showing numbers in the style of ``decimal`` (an agency's)."""
        if self.type not in ("number", "signed", "percent", "days"):
            return self
        return replace(self, decimal=decimal, currency=currency)


def in_style(fields: tuple[FieldDef, ...], agency: Any) -> tuple[FieldDef, ...]:
    """The fields reading and showing numbers in the agency's number style (numbers.style_for),
    an amount in its currency."""
    decimal = numbers.style_for(agency)
    currency = str(getattr(agency, "currency", "") or "")
    return tuple(f.in_style(decimal, currency) for f in fields)


# The form's input for each type of value of the core's fields (model.kinds.TYPES); a reference
# to a client or an engagement is picked from a list, and so is a rule id (``picks="rules"``).
_INPUT = {
    "name": "text",
    "text": "text",
    "date": "date",
    "money": "number",
    "number": "signed",
    "days": "days",
    "score": "score",
    "choice": "choice",
    "bool": "yesno",
}


def field_def(f: model.Field) -> FieldDef:
    """The form field of a field of the core's definition: its label, help, example, choices, bounds."""
    if f.references:
        kind = model.KINDS[f.references].label  # 'client', 'engagement'
    elif f.picks == "rules":
        kind = "rule"
    elif f.unit == "%":
        kind = "percent"
    else:
        kind = _INPUT[f.type]
    return FieldDef(
        f.name,
        f.label,
        kind,
        required=f.form_required,
        options=f.choices,
        help=f.help,
        example=f.example,
        max_length=f.max_length,
        maximum=f.maximum,
    )


def _fields(kind: model.Kind, names: tuple[str, ...]) -> tuple[FieldDef, ...]:
    return tuple(field_def(kind.by_name[n]) for n in names)


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    render: Callable[[Any, dict[str, str]], Any] | None = None  # (record, client names) -> value
    optional: int = 0  # 0: always in the table; n: left out when the terminal is too narrow (1 first)
    amount: bool = False  # money shown in the agency's style (a column of an amount field is one by itself)


class KindDef:
    """What the screens show of one kind of record: the form's fields (in the form's order), the
    table's columns, the values a new record's form starts with. Everything else (labels, help,
    types, the key, ids, names) is the core's definition, ``kind`` (a model.Kind)."""

    def __init__(
        self,
        name: str,
        fields: tuple[str, ...],
        columns: tuple[Column, ...],
        defaults: dict[str, Any] | None = None,
        fills: dict[str, tuple[str, str, str]] | None = None,
    ):
        self.kind = model.KINDS[name]
        self.name = name
        self.fields = _fields(self.kind, fields)
        self.columns = columns
        by_field = {
            f.name: f for f in _fields(self.kind, tuple(c.name for c in columns if c.name in self.kind.by_name))
        }
        # the columns of money, written in the agency's number style (numbers.show_money): 12.500 in EUR
        self.amounts = frozenset(
            c.name for c in columns if c.amount or (c.name in by_field and by_field[c.name].is_amount)
        )
        self.defaults = dict(defaults or {})
        # a new record's date field filled while empty: target -> (the date it counts from, the agency's
        # setting of days to add, what the form says it did)
        self.fills = dict(fills or {})
        self.label = self.kind.label  # singular, for "Add client"
        self.plural = self.kind.plural
        self.id_prefix = self.kind.id_prefix

    def __repr__(self) -> str:
        return f"KindDef({self.name!r})"

    @property
    def title_field(self) -> str:
        """The field a new record's id is made from (the last field of the key when it has no id)."""
        return self.kind.id_from or self.kind.key[-1]

    def record_key(self, record: Any) -> Any:
        return self.kind.record_key(record)

    def describe(self, record: Any, names: dict[str, str]) -> str:
        """A short, human name of a record ('client ACME Ltd')."""
        return self.kind.describe(record, names)

    def new_id(self, values: dict[str, Any], existing: set[str]) -> str:
        return self.kind.new_id(values, existing)


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


SCORE_HELP = model.SCORE_HELP

KINDS: dict[str, KindDef] = {
    k.name: k
    for k in (
        KindDef("cash", ("date", "balance", "note"), (Column("date", "Date"), Column("balance", "Balance"))),
        KindDef(
            "clients",
            ("name", "industry", "enjoy", "industry_fit", "archived", "note"),
            (
                Column("name", "Name"),
                Column("industry", "Industry"),
                Column("enjoy", "Enjoy"),
                Column("industry_fit", "Fit"),
                Column("id", "Id"),
                Column("archived", "Archived"),
            ),
        ),
        KindDef(
            "engagements",
            (
                "client",
                "kind",
                "start",
                "end",
                "monthly_fee",
                "price",
                "hours_per_week",
                "billing",
                "deadline",
                "rush_fee_pct",
                "name",
                "note",
            ),
            (
                Column("id", "Id", optional=1),
                Column("name", "Name", optional=2),
                Column("client", "Client", _client),
                Column("kind", "Kind"),
                Column("start", "Start"),
                Column("end", "End"),
                Column("fee", "Fee/price", _fee, amount=True),
                Column("hours_per_week", "h/week"),
                Column("billing", "Billing"),
            ),
            defaults={"kind": "retainer", "billing": "monthly"},
        ),
        KindDef(
            "invoices",
            ("client", "engagement", "issued", "amount", "total", "due", "paid", "note"),
            (
                Column("id", "Id"),
                Column("client", "Client", _client),
                Column("issued", "Issued"),
                Column("amount", "Amount"),
                Column("due", "Due"),
                Column("paid", "Paid"),
            ),
            fills={"due": ("issued", "payment_term_days", "due filled from the payment term")},
        ),
        KindDef(
            "inquiries",
            (
                "prospect",
                "received",
                "source",
                "status",
                "proposal_sent",
                "decided",
                "estimated_value",
                "requested_start",
                "deadline",
                "rush_fee_pct",
                "enjoy",
                "industry_fit",
                "budget_ok",
                "note",
            ),
            (
                Column("prospect", "Prospect"),
                Column("received", "Received"),
                Column("status", "Status"),
                Column("proposal_sent", "Proposal"),
                Column("estimated_value", "Value"),
                Column("requested_start", "Start wanted"),
                Column("source", "Source", optional=1),
            ),
            defaults={"status": "new"},
        ),
        KindDef("journey", ("stage", "activity", "note"), (Column("stage", "Stage"), Column("activity", "Activity"))),
        KindDef(
            "actions",
            ("title", "owner", "rule", "note"),
            (
                Column("title", "Title"),
                Column("owner", "Owner"),
                Column("steps", "Steps done", _steps),
                Column("next", "Next step", _next_step),
                Column("rule", "Rule"),
            ),
        ),
    )
}

PROFILE_FIELDS = tuple(field_def(f) for f in model.PROFILE.fields)
STEP_FIELDS = _fields(model.STEP, ("title", "due"))  # a new step of an action item (done: ticked off later)

slug = model.slug


def new_id(kind: KindDef | model.Kind, values: dict[str, Any], existing: set[str]) -> str:
    """A readable, unique id for a new record: 'c-acme-ltd', 'inv-0042' (see model.Kind.new_id)."""
    return kind.new_id(values, existing)


def build_record(kind: KindDef, values: dict[str, Any], original: Any | None, existing_ids: set[str]) -> Any:
    """A record of the kind from parsed form values; keeps what the form does not show."""
    core = kind.kind
    cls = core.record
    base: dict[str, Any] = {}
    if original is not None:
        base = {f: getattr(original, f) for f in original.__dataclass_fields__}
    base.update({k: v for k, v in values.items()})
    for spec in core.fields:
        if base.get(spec.name) is None and spec.default is not None:
            base[spec.name] = spec.default
    if core.has_ids and not base.get("id"):
        base["id"] = core.new_id(values, existing_ids)
    return cls(**base)
