"""The agency domain model and the interchange format's validation.

Plain, typed records (dataclasses with slots) and one strict, complete validator
that turns an interchange document (``{"format": "tui-advisor/agency", ...}``)
into an :class:`AgencyData`, or reports every problem at once, each naming the
record and field (``engagements[3].client: no client with id 'acme'``).

The field tables below (``SPECS``) are the single description of the format:
the validator, the canonical export and the store all read them.
"""

from __future__ import annotations

import difflib
import math
import operator
from dataclasses import field
from datetime import date
from typing import Any, Callable, Iterable, Sequence

from .fastclass import dataclass
from .safetext import CONTROL, control_problem, visible

FORMAT = "tui-advisor/agency"
VERSION = 1

COLLECTIONS = ("cash", "clients", "engagements", "invoices", "inquiries", "journey", "actions", "dismissals")
ENGAGEMENT_KINDS = ("retainer", "project")
BILLING = ("monthly", "milestones", "upfront", "on_completion")
INQUIRY_STATUSES = ("new", "proposal_sent", "won", "lost", "declined")
OPEN_STATUSES = ("new", "proposal_sent")
JOURNEY_STAGES = ("discovery", "education", "decision")

# The bounds of every value the data may hold, so that whatever validates also computes:
# sums of a year of invoices, shares, dates a year ahead or back never overflow.
MAX_MAGNITUDE = 1e15  # numbers: below a thousand trillion either way (the forms refuse the same)
NUMBER_RANGE = f"between -{MAX_MAGNITUDE:.0e} and {MAX_MAGNITUDE:.0e}".replace("e+", "e")  # for messages
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)


class ValidationError(Exception):
    """Every problem found in a document, each ``path: what is wrong``."""

    def __init__(self, problems: list[str], source: str | None = None):
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + f"{len(problems)} problem(s):\n" + "\n".join(f"  {p}" for p in problems))


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


@dataclass(slots=True)
class CashEntry:
    """The bank balance on one date."""

    date: date
    balance: float


@dataclass(slots=True)
class Client:
    """A client, with how much the team enjoys the work and how well it fits."""

    id: str
    name: str
    industry: str = ""
    enjoy: int | None = None
    industry_fit: int | None = None


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


@dataclass(slots=True)
class JourneyActivity:
    """What the agency does at one stage of the customer journey."""

    stage: str
    activity: str


@dataclass(slots=True)
class Step:
    """One weekly step of an action item."""

    title: str
    due: date | None = None
    done: date | None = None


@dataclass(slots=True)
class ActionItem:
    """Something the team decided to do, with weekly steps."""

    id: str
    title: str
    rule: str | None = None
    owner: str = ""
    steps: list[Step] = field(default_factory=list)


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
    settings: Settings = field(default_factory=Settings)

    def client_names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.clients}


# --------------------------------------------------------------------------- field checkers
# A checker takes a JSON value and returns (python value, None) or (None, message).

Checker = Callable[[Any], tuple[Any, str | None]]
_MISSING = object()


def _type_name(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float)):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    return type(v).__name__


def _show(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


def out_of_range(d: date, hint: str = "") -> str | None:
    """Why a date is outside ``MIN_DATE``..``MAX_DATE`` (None: it is inside)."""
    if MIN_DATE <= d <= MAX_DATE:
        return None
    return f"{d.isoformat()} is out of range: use a date from {MIN_DATE} to {MAX_DATE}{hint}"


def parse_iso_date(v: Any) -> date:
    """Parse strict ``YYYY-MM-DD`` within ``MIN_DATE``..``MAX_DATE``; raise ValueError with a
    readable message."""
    if not isinstance(v, str):
        raise ValueError(f"must be a date as 'YYYY-MM-DD', got {_type_name(v)}")
    if len(v) != 10 or v[4] != "-" or v[7] != "-":
        raise ValueError(f"must be a date as 'YYYY-MM-DD', got {_show(v)}")
    try:
        d = date.fromisoformat(v)
    except ValueError:
        raise ValueError(f"is not a real date: {_show(v)}") from None
    err = out_of_range(d)
    if err:
        raise ValueError(err)
    return d


_DATE_CACHE: dict[str, date] = {}  # dates repeat a lot in a year of invoices; only dates in range


def _date_checker(hint: str = "") -> Checker:
    """A date field's checker; ``hint`` ends the message of a date out of range (what to do instead)."""

    def check_date(v: Any) -> tuple[Any, str | None]:
        if type(v) is str and len(v) == 10 and v[4] == "-" and v[7] == "-":
            known = _DATE_CACHE.get(v)  # read before (another date field, an earlier read)
            if known is not None:
                return known, None
            try:
                d = date.fromisoformat(v)
            except ValueError:
                return None, f"is not a real date: {_show(v)}"
            err = out_of_range(d, hint)
            if err:
                return None, err
            if len(_DATE_CACHE) < 100_000:
                _DATE_CACHE[v] = d
            return d, None
        try:
            return parse_iso_date(v), None
        except ValueError as exc:
            return None, str(exc)

    return check_date


check_date = _date_checker()
# an end, a deadline: people write 9999-12-31 for "none"
check_end_date = _date_checker(" (leave it empty for no end)")
check_until_date = _date_checker(" (leave it empty to dismiss it for good)")


def check_str(v: Any) -> tuple[Any, str | None]:
    """A text, without control characters (ESC, BEL, C1, bidi controls, newline and tab too:
    every text of the format is one line; see safetext)."""
    if type(v) is str:
        err = control_problem(v)
        return (None, err) if err else (v, None)
    return None, f"must be a string, got {_type_name(v)}"


def check_nonempty_str(v: Any) -> tuple[Any, str | None]:
    if type(v) is str:
        if v.strip():
            err = control_problem(v)
            return (None, err) if err else (v, None)
        return None, "must not be empty"
    return None, f"must be a string, got {_type_name(v)}"


def _mark_controls(column: list[Any]) -> list[Any]:
    """A column of texts with _BAD where one holds a control character: one search over the
    whole column when none does (the common case), so that the checker words the problem."""
    try:
        text = "".join(column)
    except TypeError:  # None or a default among the texts
        text = "".join([v for v in column if type(v) is str])
    if text.isprintable() or CONTROL.search(text) is None:  # isprintable: a quick "yes" for most text
        return column
    return [_BAD if type(v) is str and CONTROL.search(v) else v for v in column]


def _show_number(v: int | float) -> str:
    """A number for a message: a huge integer by its size, not its 400 digits."""
    if type(v) is int and abs(v) >= 10 ** 18:
        return f"a number of {len(str(abs(v)))} digits" if abs(v) < 10 ** 4000 else "a number of over 4000 digits"
    return _show(v)


def check_number(v: Any) -> tuple[Any, str | None]:
    t = type(v)
    if t is int or t is float:
        if t is float and not math.isfinite(v):
            return None, f"must be a finite number, got {v}"
        if not -MAX_MAGNITUDE < v < MAX_MAGNITUDE:
            return None, f"is too large: must be {NUMBER_RANGE}, got {_show_number(v)}"
        return v, None
    return None, f"must be a number, got {_type_name(v)} {_show(v)}"


def check_money(v: Any) -> tuple[Any, str | None]:
    t = type(v)
    if (t is int or t is float) and v < 0 and v - v == 0:  # finite and negative (too large or not)
        return None, f"must not be negative, got {_show_number(v)}"
    return check_number(v)


def check_nonneg_int(v: Any) -> tuple[Any, str | None]:
    if type(v) is float and v.is_integer():
        v = int(v)
    if type(v) is int:
        if v < 0:
            return None, f"must not be negative, got {_show_number(v)}"
        if v >= MAX_MAGNITUDE:
            return None, f"is too large: must be {NUMBER_RANGE}, got {_show_number(v)}"
        return v, None
    return None, f"must be a whole number of days, got {_type_name(v)} {_show(v)}"


def check_score(v: Any) -> tuple[Any, str | None]:
    if type(v) is int and 1 <= v <= 5:
        return v, None
    if type(v) is float and v.is_integer() and 1 <= v <= 5:
        return int(v), None
    return None, f"must be a whole number from 1 to 5, got {_show(v)}"


def check_bool(v: Any) -> tuple[Any, str | None]:
    if type(v) is bool:
        return v, None
    return None, f"must be true or false, got {_type_name(v)} {_show(v)}"


def one_of(options: tuple[str, ...]) -> Checker:
    allowed = ", ".join(repr(o) for o in options)

    def check(v: Any) -> tuple[Any, str | None]:
        if v in options and type(v) is str:
            return v, None
        hint = ""
        if isinstance(v, str):
            close = difflib.get_close_matches(v, options, n=1)
            if close:
                hint = f" (did you mean {close[0]!r}?)"
        return None, f"must be one of {allowed}, got {_show(v)}{hint}"

    return check


def nullable(check: Checker) -> Checker:
    def inner(v: Any) -> tuple[Any, str | None]:
        if v is None:
            return None, None
        return check(v)

    inner.__name__ = f"nullable_{getattr(check, '__name__', 'check')}"
    inner.wrapped = check  # type: ignore[attr-defined]
    return inner


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a record: its name, kind, whether it is required, its checker."""

    name: str
    check: Checker
    required: bool = False
    default: Any = None
    doc: str = ""
    nullable: bool = False
    kind: str = ""  # the fast path of _check_record: date, nestr, str, money, num


def F(name: str, check: Checker, required: bool = False, default: Any = None, doc: str = "") -> FieldSpec:
    base = getattr(check, "wrapped", check)
    kind = {check_date: "date", check_end_date: "date", check_until_date: "date", check_nonempty_str: "nestr",
            check_str: "str", check_money: "money", check_number: "num"}.get(base, "")
    return FieldSpec(name, check, required, default, doc, nullable=base is not check, kind=kind)


_date_or_null = nullable(check_date)
_end_or_null = nullable(check_end_date)
_score_or_null = nullable(check_score)
_money_or_null = nullable(check_money)
_str_or_null = nullable(check_nonempty_str)

AGENCY_FIELDS = (
    F("name", check_nonempty_str, required=True, doc="the agency's name"),
    F("currency", check_nonempty_str, default="EUR", doc="currency code or symbol used for all money"),
    F("monthly_operating_costs", _money_or_null, doc="all costs of a month: salaries, rent, tools"),
    F("weekly_capacity_hours", _money_or_null, doc="billable hours the whole team can deliver in a week"),
    F("normal_lead_time_days", check_nonneg_int, default=14, doc="days of notice the agency normally needs"),
    F("credit_line", check_money, default=0, doc="credit line arranged with the bank"),
)

SPECS: dict[str, tuple[FieldSpec, ...]] = {
    "cash": (
        F("date", check_date, required=True),
        F("balance", check_number, required=True, doc="bank balance on that date"),
    ),
    "clients": (
        F("id", check_nonempty_str, required=True),
        F("name", check_nonempty_str, required=True),
        F("industry", check_str, default=""),
        F("enjoy", _score_or_null, doc="how much the team enjoys the client, 1 to 5"),
        F("industry_fit", _score_or_null, doc="how well the industry fits the agency, 1 to 5"),
    ),
    "engagements": (
        F("id", check_nonempty_str, required=True),
        F("client", check_nonempty_str, required=True),
        F("kind", one_of(ENGAGEMENT_KINDS), required=True),
        F("start", check_date, required=True),
        F("end", _end_or_null, doc="null: open-ended"),
        F("monthly_fee", _money_or_null, doc="retainers: the monthly fee"),
        F("price", _money_or_null, doc="projects: the fixed price"),
        F("hours_per_week", check_money, default=0),
        F("billing", one_of(BILLING), default="monthly"),
        F("deadline", _end_or_null),
        F("rush_fee_pct", check_money, default=0, doc="surcharge for expedited work, in percent"),
        F("name", _str_or_null, doc="optional: what the advice calls it ('Website relaunch'); null: 'the CLIENT "
          "retainer' or 'the CLIENT project, Oct-Jan'"),
    ),
    "invoices": (
        F("id", check_nonempty_str, required=True),
        F("client", check_nonempty_str, required=True),
        F("engagement", _str_or_null),
        F("issued", check_date, required=True),
        F("amount", check_number, required=True),
        F("due", _date_or_null),
        F("paid", _date_or_null, doc="null: still open"),
    ),
    "inquiries": (
        F("id", check_nonempty_str, required=True),
        F("received", check_date, required=True),
        F("prospect", check_nonempty_str, required=True),
        F("source", check_str, default=""),
        F("status", one_of(INQUIRY_STATUSES), default="new"),
        F("proposal_sent", _date_or_null),
        F("decided", _date_or_null),
        F("estimated_value", _money_or_null),
        F("requested_start", _date_or_null),
        F("deadline", _end_or_null),
        F("rush_fee_pct", check_money, default=0),
        F("enjoy", _score_or_null),
        F("industry_fit", _score_or_null),
        F("budget_ok", nullable(check_bool)),
    ),
    "journey": (
        F("stage", one_of(JOURNEY_STAGES), required=True),
        F("activity", check_nonempty_str, required=True),
    ),
    "actions": (
        F("id", check_nonempty_str, required=True),
        F("title", check_nonempty_str, required=True),
        F("rule", _str_or_null, doc="id of the rule this action answers"),
        F("owner", check_str, default=""),
        # steps are checked by _check_steps
    ),
    "dismissals": (
        F("rule", check_nonempty_str, required=True, doc="the rule id of the recommendation"),
        F("subject", check_str, default="", doc="what it was about (empty for agency-wide advice)"),
        F("reason", check_str, default="", doc="why it was dismissed or snoozed"),
        F("until", nullable(check_until_date), doc="snoozed until this date; null: dismissed"),
        F("severity", one_of(("critical", "warning", "info")), default="info",
          doc="the severity when dismissed: a higher one shows it again"),
        F("distance", check_money, default=0, doc="how far past the threshold when dismissed: more shows it again"),
        F("by", check_str, default="", doc="who dismissed it"),
        F("on", _date_or_null, doc="when"),
    ),
}

STEP_FIELDS = (
    F("title", check_nonempty_str, required=True),
    F("due", _date_or_null),
    F("done", _date_or_null, doc="the date the step was finished; null: not done"),
)

RECORD_TYPES: dict[str, type] = {
    "cash": CashEntry,
    "clients": Client,
    "engagements": Engagement,
    "invoices": Invoice,
    "inquiries": Inquiry,
    "journey": JourneyActivity,
    "actions": ActionItem,
    "dismissals": Dismissal,
}

TOP_LEVEL_KEYS = ("format", "version", "agency", "settings") + COLLECTIONS


def _did_you_mean(key: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_record(
    rec: Any, specs: tuple[FieldSpec, ...], path: str, problems: list[str], extra_keys: tuple[str, ...] = ()
) -> dict[str, Any] | None:
    """Check one record against its field specs; return python values or None.

    The common, valid values are accepted inline (this runs for every field of
    every record: 200,000 invoices must validate in well under a second); anything
    else goes through the field's checker, which words the problem.
    """
    if type(rec) is not dict:
        problems.append(f"{path}: must be an object, got {_type_name(rec)}")
        return None
    out: dict[str, Any] = {}
    ok = True
    present = 0
    get = rec.get
    dates = _DATE_CACHE
    control = CONTROL.search
    for spec in specs:
        name = spec.name
        v = get(name, _MISSING)
        if v is _MISSING:
            if spec.required:
                problems.append(f"{path}.{name}: is required")
                ok = False
            else:
                out[name] = spec.default
            continue
        present += 1
        if v is None and spec.nullable:
            out[name] = None
            continue
        kind = spec.kind
        t = type(v)
        if kind == "date":
            if t is str:
                d = dates.get(v)
                if d is not None:
                    out[name] = d
                    continue
        elif kind == "nestr":
            if t is str and v and not v.isspace() and not control(v):
                out[name] = v
                continue
        elif kind == "money":
            if (t is int or t is float) and 0 <= v < MAX_MAGNITUDE:  # also: not NaN
                out[name] = v
                continue
        elif kind == "num":
            if (t is int or t is float) and -MAX_MAGNITUDE < v < MAX_MAGNITUDE:
                out[name] = v
                continue
        elif kind == "str":
            if t is str and not control(v):
                out[name] = v
                continue
        value, err = spec.check(v)
        if err is not None:
            problems.append(f"{path}.{name}: {err}")
            ok = False
        else:
            out[name] = value
    if present != len(rec):
        known = {s.name for s in specs} | set(extra_keys)
        for key in rec:
            if key not in known:
                problems.append(f"{path}: unknown field {key!r}{_did_you_mean(str(key), known)}")
                ok = False
    return out if ok else None


_BAD = object()


def _fast_column(spec: FieldSpec, col: Sequence[Any]) -> list[Any]:
    """Convert one field of every record at once; _BAD where the field's checker must look.

    List comprehensions over a column are several times faster than a loop per
    record, which is what lets a 200,000-invoice file validate in well under a second.
    """
    kind, nullable, default, required, missing = spec.kind, spec.nullable, spec.default, spec.required, _MISSING
    bad = _BAD

    def tail(v: Any) -> Any:
        if v is None and nullable:
            return None
        if v is missing and not required:
            return default
        return bad

    if kind == "date":
        parsed: dict[str, date] = {}
        try:
            distinct = set(col)  # a year of invoices has a few hundred distinct dates
        except TypeError:  # an unhashable value (a list, an object): the checker will say so
            distinct = {v for v in col if type(v) is str}
        for v in distinct:
            if type(v) is not str:
                continue
            d, err = check_date(v)
            if err is None:
                parsed[v] = d
        get = parsed.get
        return [get(v, bad) if type(v) is str else tail(v) for v in col]
    if kind == "nestr":
        return _mark_controls([v if type(v) is str and v and not v.isspace() else tail(v) for v in col])
    if kind == "str":
        return _mark_controls([v if type(v) is str else tail(v) for v in col])
    top = MAX_MAGNITUDE
    if kind == "money":
        return [v if (type(v) is int or type(v) is float) and 0 <= v < top else tail(v) for v in col]
    if kind == "num":
        return [v if (type(v) is int or type(v) is float) and -top < v < top else tail(v) for v in col]
    check = spec.check
    out = []
    for v in col:
        t = tail(v) if v is None or v is missing else bad
        if t is bad:
            value, err = check(v)
            t = bad if err is not None else value
        out.append(t)
    return out


def _check_collection(
    coll: str, raw: list[Any], specs: tuple[FieldSpec, ...], cls: type, problems: list[str]
) -> tuple[list[Any], list[int]]:
    """Validate a collection column by column; records with a problem get the per-record check,
    which words every problem. Returns the records and their positions in ``raw``."""
    if raw and set(map(type, raw)) != {dict}:
        slow = range(len(raw))
        columns: list[list[Any]] = []
    else:
        names = frozenset(s.name for s in specs)
        try:  # records with every field (an export, a generated file): one C-level pass
            columns = [_fast_column(s, c)  # c: a tuple, one field of every record
                       for s, c in zip(specs, zip(*map(operator.itemgetter(*(s.name for s in specs)), raw)))]
            every_field = bool(columns)
        except KeyError:
            every_field = False
        if not every_field:
            columns = [_fast_column(s, [r.get(s.name, _MISSING) for r in raw]) for s in specs]
        if every_field and set(map(len, raw)) == {len(specs)}:
            flagged: set[int] = set()  # every record has exactly the known fields
        else:
            flagged = {i for i, r in enumerate(raw) if not r.keys() <= names}
        for c in columns:
            if _BAD in c:
                flagged.update(i for i, v in enumerate(c) if v is _BAD)
        slow = sorted(flagged)
    for i in slow:
        _check_record(raw[i], specs, f"{coll}[{i}]", problems)
    if not columns:
        return [], []
    order = [s.name for s in specs]
    by_field = [columns[order.index(f)] for f in cls.__dataclass_fields__]  # type: ignore[attr-defined]
    skip = set(slow)
    if not skip:
        return list(map(cls, *by_field)), list(range(len(raw)))
    rows = [(i, vals) for i, vals in enumerate(zip(*by_field)) if i not in skip]
    return [cls(*vals) for _, vals in rows], [i for i, _ in rows]


def _check_steps(raw: Any, path: str, problems: list[str]) -> list[Step] | None:
    if raw is _MISSING or raw is None:
        return []
    if type(raw) is not list:
        problems.append(f"{path}.steps: must be a list, got {_type_name(raw)}")
        return None
    steps: list[Step] = []
    ok = True
    for j, s in enumerate(raw):
        vals = _check_record(s, STEP_FIELDS, f"{path}.steps[{j}]", problems)
        if vals is None:
            ok = False
        else:
            steps.append(Step(**vals))
    return steps if ok else None


def _check_settings(raw: Any, problems: list[str]) -> Settings:
    settings = Settings()
    if raw is _MISSING or raw is None:
        return settings
    if type(raw) is not dict:
        problems.append(f"settings: must be an object, got {_type_name(raw)}")
        return settings
    for key in raw:
        if key not in ("disable", "params"):
            problems.append(f"settings: unknown field {key!r}{_did_you_mean(str(key), ('disable', 'params'))}")
    disable = raw.get("disable", [])
    if type(disable) is not list or not all(type(x) is str and x for x in disable):
        problems.append("settings.disable: must be a list of rule ids or prefixes")
    elif any(CONTROL.search(x) for x in disable):
        i, err = next((i, control_problem(x)) for i, x in enumerate(disable) if CONTROL.search(x))
        problems.append(f"settings.disable: entry {i + 1} {err}")
    else:
        settings.disable = list(disable)
    params = raw.get("params", {})
    if type(params) is not dict:
        problems.append(f"settings.params: must be an object of rule id -> {{parameter: number}}")
        return settings
    for rule_id, values in params.items():
        err = control_problem(rule_id) or next(  # a rule id or a parameter name: no control characters
            (f"parameter '{visible(k)}' {control_problem(k)}" for k in (values if type(values) is dict else ())
             if CONTROL.search(k)), None)
        if err:
            problems.append(f"settings.params.{visible(rule_id)}: {err}")
            continue
        if type(values) is not dict:
            problems.append(f"settings.params.{rule_id}: must be an object of parameter -> number")
            continue
        clean: dict[str, float] = {}
        for pname, pval in values.items():
            num, err = check_number(pval)
            if err:
                problems.append(f"settings.params.{rule_id}.{pname}: {err}")
            else:
                clean[pname] = num
        settings.params[rule_id] = clean
    return settings


def validate_document(doc: Any, *, partial: bool = False, known_ids: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """Check a whole interchange document; raise :class:`ValidationError` with every problem.

    Returns ``{"agency": Agency | None, "settings": Settings | None, collection: [records]}``
    holding only the parts present in ``doc`` (a missing collection is absent, so a
    merging import leaves it untouched).

    ``partial``: the agency section may be left out (a merging import).
    ``known_ids``: ids already stored, which references may point to (a merging import).
    """
    problems: list[str] = []
    if type(doc) is not dict:
        raise ValidationError([f"document: must be a JSON object, got {_type_name(doc)}"])
    fmt = doc.get("format", _MISSING)
    if fmt is _MISSING:
        problems.append(f"format: is required and must be {FORMAT!r}")
    elif fmt != FORMAT:
        problems.append(f"format: must be {FORMAT!r}, got {_show(fmt)} (is this a tui-advisor file?)")
    version = doc.get("version", _MISSING)
    if version is _MISSING:
        problems.append(f"version: is required (this program reads version {VERSION})")
    elif type(version) is not int:
        problems.append(f"version: must be a whole number, got {_show(version)}")
    elif version > VERSION:
        problems.append(f"version: {_show_number(version)} is newer than this program understands ({VERSION}); "
                        "upgrade tui-advisor")
    elif version < 1:
        problems.append(f"version: must be {VERSION}, got {_show_number(version)}")
    for key in doc:
        if key not in TOP_LEVEL_KEYS:
            problems.append(f"document: unknown field {key!r}{_did_you_mean(str(key), TOP_LEVEL_KEYS)}")

    out: dict[str, Any] = {}
    positions: dict[str, list[int]] = {}
    raw_agency = doc.get("agency", _MISSING)
    if raw_agency is _MISSING:
        if not partial:
            problems.append("agency: is required (at least {\"name\": ...})")
    else:
        vals = _check_record(raw_agency, AGENCY_FIELDS, "agency", problems)
        if vals is not None:
            out["agency"] = Agency(**vals)
    if doc.get("settings") is not None:
        out["settings"] = _check_settings(doc["settings"], problems)

    for coll in COLLECTIONS:
        raw = doc.get(coll, _MISSING)
        if raw is _MISSING or raw is None:
            continue
        if type(raw) is not list:
            problems.append(f"{coll}: must be a list, got {_type_name(raw)}")
            continue
        specs = SPECS[coll]
        cls = RECORD_TYPES[coll]
        if coll != "actions":
            out[coll], positions[coll] = _check_collection(coll, raw, specs, cls, problems)
            continue
        records = []
        where: list[int] = []
        extra = ("steps",)
        for i, rec in enumerate(raw):
            path = f"{coll}[{i}]"
            vals = _check_record(rec, specs, path, problems, extra)
            if vals is None:
                continue
            steps = _check_steps(rec.get("steps", _MISSING), path, problems)
            if steps is None:
                continue
            vals["steps"] = steps
            records.append(cls(**vals))
            where.append(i)
        out[coll] = records
        positions[coll] = where

    _check_consistency(doc, out, positions, problems, known_ids or {})
    if problems:
        raise ValidationError(problems)
    return out


def _check_consistency(
    doc: dict, out: dict[str, Any], positions: dict[str, list[int]], problems: list[str], known: dict[str, Any]
) -> None:
    """Unique ids, references between records, and dates in a sensible order."""

    def column(coll: str, name: str) -> list[Any]:
        """One field of every record, aligned with the raw list: from the validated records
        when all of them validated (fast), else from the raw ones, None where not a string."""
        raw = doc.get(coll)
        if type(raw) is not list:
            return []
        records = out.get(coll, [])
        if len(records) == len(raw):
            return list(map(operator.attrgetter(name), records))
        return [v if type(r) is dict and type(v := r.get(name)) is str else None for r in raw]

    ids: dict[str, dict[str, int]] = {}
    for coll, key in (("clients", "id"), ("engagements", "id"), ("invoices", "id"), ("inquiries", "id"),
                      ("actions", "id"), ("cash", "date")):
        values = column(coll, key)
        present = [v for v in values if v is not None]
        if len(set(present)) != len(present):
            seen: dict[Any, int] = {}
            for i, v in enumerate(values):
                if v is None:
                    continue
                if v in seen:
                    if key == "id":
                        what = f"{v!r} is used twice"
                    else:  # a date, or the text of one that did not validate (its own problem says so)
                        what = f"{v if isinstance(v, date) else _show(v)} has a balance already"
                    problems.append(f"{coll}[{i}].{key}: {what} (also {coll}[{seen[v]}])")
                else:
                    seen[v] = i
        if coll != "cash":
            ids[coll] = {v: 0 for v in present}

    # records keyed by two fields: one record per key
    paired = {
        "journey": lambda a: f".activity: {a.activity!r} is already mapped for the {a.stage} stage",
        "dismissals": lambda d: f": rule {d.rule!r} with subject {d.subject!r} is already dismissed",
    }
    for coll, said in paired.items():
        first: dict[Any, int] = {}
        for i, rec in zip(positions.get(coll, ()), out.get(coll, ())):
            key = record_key(coll, rec)
            if key in first:
                problems.append(f"{coll}[{i}]{said(rec)} ({coll}[{first[key]}])")
            else:
                first[key] = i

    def known_set(coll: str) -> set[str] | dict[str, int]:
        mine = ids.get(coll, {})
        extra = known.get(coll)
        if extra:
            return set(mine) | extra
        return mine

    client_ids = known_set("clients")
    engagement_ids = known_set("engagements")
    # stored engagements first, so that an imported engagement may move to another client
    engagement_client = dict(known.get("engagement_client", {}))
    engagement_client.update({e.id: e.client for e in out.get("engagements", [])})

    for i, cid in enumerate(column("engagements", "client")):
        if cid and cid not in client_ids and cid.strip():
            problems.append(f"engagements[{i}].client: no client with id {cid!r}{_did_you_mean(cid, client_ids)}")
    inv_clients = column("invoices", "client")
    for i in [i for i, c in enumerate(inv_clients) if c not in client_ids]:
        cid = inv_clients[i]
        if cid and cid.strip():
            problems.append(f"invoices[{i}].client: no client with id {cid!r}{_did_you_mean(cid, client_ids)}")
    inv_engs = column("invoices", "engagement")
    for i in [i for i, e in enumerate(inv_engs) if e is not None and (e not in engagement_client or
                                                                       engagement_client[e] != inv_clients[i])]:
        eid, cid = inv_engs[i], inv_clients[i]
        if not eid.strip():
            continue
        if eid not in engagement_ids:
            problems.append(f"invoices[{i}].engagement: no engagement with id {eid!r}"
                            f"{_did_you_mean(eid, engagement_ids)}")
        elif cid and engagement_client.get(eid) not in (None, cid):
            problems.append(
                f"invoices[{i}].engagement: {eid!r} is an engagement of client "
                f"{engagement_client[eid]!r}, not of {cid!r}"
            )

    for e, i in zip(out.get("engagements", ()), positions.get("engagements", ())):
        p = f"engagements[{i}]"
        if e.end is not None and e.end < e.start:
            problems.append(f"{p}.end: {e.end} is before the start {e.start}")
        if e.kind == "retainer" and e.monthly_fee is None:
            problems.append(f"{p}.monthly_fee: is required for a retainer")
        if e.kind == "project" and e.price is None:
            problems.append(f"{p}.price: is required for a project")
        if e.deadline is not None and e.deadline < e.start:
            problems.append(f"{p}.deadline: {e.deadline} is before the start {e.start}")
    for inv, i in zip(out.get("invoices", ()), positions.get("invoices", ())):
        if inv.due is not None and inv.due < inv.issued:
            problems.append(f"invoices[{i}].due: {inv.due} is before the issue date {inv.issued}")
        if inv.paid is not None and inv.paid < inv.issued:
            problems.append(f"invoices[{i}].paid: {inv.paid} is before the issue date {inv.issued}")
    for q, i in zip(out.get("inquiries", ()), positions.get("inquiries", ())):
        p = f"inquiries[{i}]"
        if q.proposal_sent is not None and q.proposal_sent < q.received:
            problems.append(f"{p}.proposal_sent: {q.proposal_sent} is before the inquiry was received ({q.received})")
        if q.requested_start is not None and q.requested_start < q.received:
            problems.append(f"{p}.requested_start: {q.requested_start} is before the inquiry was received "
                            f"({q.received})")
        if q.decided is not None and q.decided < q.received:
            problems.append(f"{p}.decided: {q.decided} is before the inquiry was received ({q.received})")


# --------------------------------------------------------------------------- export


def _json_value(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    return v


def record_to_json(coll: str, rec: Any) -> dict[str, Any]:
    out = {spec.name: _json_value(getattr(rec, spec.name)) for spec in SPECS[coll]}
    if coll == "actions":
        out["steps"] = [{s.name: _json_value(getattr(st, s.name)) for s in STEP_FIELDS} for st in rec.steps]
    return out


def agency_to_json(agency: Agency) -> dict[str, Any]:
    return {spec.name: getattr(agency, spec.name) for spec in AGENCY_FIELDS}


def settings_to_json(settings: Settings) -> dict[str, Any]:
    return {"disable": list(settings.disable), "params": {k: dict(v) for k, v in settings.params.items()}}


def to_document(data: AgencyData) -> dict[str, Any]:
    """The canonical interchange document: every field, in the order of the specs."""
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "agency": agency_to_json(data.agency)}
    doc["settings"] = settings_to_json(data.settings)
    for coll in COLLECTIONS:
        doc[coll] = [record_to_json(coll, r) for r in getattr(data, coll)]
    return doc


def from_document(doc: Any) -> AgencyData:
    """Validate a complete document and build the model (raises ValidationError)."""
    parts = validate_document(doc)
    return build(parts)


def build(parts: dict[str, Any]) -> AgencyData:
    data = AgencyData()
    if parts.get("agency") is not None:
        data.agency = parts["agency"]
    if parts.get("settings") is not None:
        data.settings = parts["settings"]
    for coll in COLLECTIONS:
        if coll in parts:
            setattr(data, coll, parts[coll])
    return data


def record_key(coll: str, rec: Any) -> Any:
    """The identity of a record for merging: its id, the date of a cash entry,
    or (stage, activity) for a journey activity."""
    if coll == "cash":
        return rec.date
    if coll == "journey":
        return (rec.stage, rec.activity)
    if coll == "dismissals":
        return (rec.rule, rec.subject)
    return rec.id
