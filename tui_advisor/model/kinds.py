"""One definition per kind of record: the single description the whole program reads.

Each :class:`Kind` (``KINDS["clients"]``) says what a record of that kind is: its record
class, its fields (type, bounds, nullable and default, choices, label, help, the text of
the data format's documentation), its key, the kinds it refers to, the id of a new record,
how it is named in a message, and its domain rules. The validator, the canonical export,
the store, the forms and the JSON Schema (``python -m tui_advisor.model.schema``) all read
it: a new field or kind is added here, once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from operator import attrgetter
from typing import Any

from . import checks
from .checks import Checker
from .problems import Problem
from .records import (
    ActionItem,
    Agency,
    CashEntry,
    Client,
    Decision,
    Dismissal,
    Engagement,
    Inquiry,
    Invoice,
    JourneyActivity,
    Review,
    ReviewItem,
    Step,
)

ENGAGEMENT_KINDS = ("retainer", "project")
BILLING = ("monthly", "milestones", "upfront", "on_completion")
INQUIRY_STATUSES = ("new", "proposal_sent", "won", "lost", "declined")
OPEN_STATUSES = ("new", "proposal_sent")
JOURNEY_STAGES = ("discovery", "education", "decision")
SEVERITIES = ("critical", "warning", "info")
DECISION_KINDS = ("accept", "dismiss", "snooze", "park")  # what a review decides about an item
NUMBER_STYLES = ("1.234,56", "1,234.56")  # the agency's number_style: numbers.STYLES

# The types of value a field holds (each has its checker, its form input and its JSON Schema):
#   name   one line of text, not empty         text   one line of text, may be empty
#   date   'YYYY-MM-DD' from 1900 to 2199      money  a number >= 0 (fees, hours, percents)
#   number a number, may be negative           days   a whole number >= 0
#   score  a whole number 1 to 5               choice one of the field's choices
#   bool   true or false
#   time   a moment in UTC, 'YYYY-MM-DDTHH:MM:SSZ'    rating a whole number 1 to 10
#   names  a list of names (people, ids)              scores an object of name -> number or null
#   values an object of name -> number, text, true/false or null (metrics as they were)
TYPES = (
    "name",
    "text",
    "date",
    "money",
    "number",
    "days",
    "score",
    "choice",
    "bool",
    "time",
    "rating",
    "names",
    "scores",
    "values",
)
CONTAINERS = ("names", "scores", "values")  # the types whose value is a list or an object

END_HINT = " (leave it empty for no end)"  # an end, a deadline: people write 9999-12-31 for "none"
UNTIL_HINT = " (leave it empty to dismiss it for good)"
_DATE_CHECKS = {"": checks.check_date, END_HINT: checks.check_end_date, UNTIL_HINT: checks.check_until_date}
_CHECKS: dict[str, Checker] = {
    "name": checks.check_nonempty_str,
    "text": checks.check_str,
    "money": checks.check_money,
    "number": checks.check_number,
    "days": checks.check_nonneg_int,
    "score": checks.check_score,
    "bool": checks.check_bool,
    "time": checks.check_time,
    "rating": checks.check_rating,
    "names": checks.check_names,
    "scores": checks.check_scores,
    "values": checks.check_values,
}
# the validator's inline path for the common values of a type (see validate._check_record)
_FAST = {"date": "date", "name": "nestr", "text": "str", "money": "money", "number": "num"}
SCORE_HELP = "1 (not at all) to 5 (very much)"


class Field:
    """One field of a kind of record.

    ``type``: one of TYPES; ``required``: a document must hold it; ``default``: the value
    when it is left out (a field that is neither required nor has a default may be null);
    ``choices``: a choice's options; ``references``: the kind whose key (id) it holds;
    ``agrees``: for a reference, a field the referenced record shares with this one (an
    invoice's engagement is of the invoice's client); ``date_hint``: what to do instead of
    a date out of range; ``unit``: ``"%"`` for a percent. ``label``, ``help``, ``example``:
    what a form shows; ``doc``: the data format's description of the field. ``max_length``:
    a text's longest value (``checks.MAX_NAME`` for every text unless given); ``sparse``:
    the data file leaves the field out of a record while it holds its default (a note: a
    file of records without notes does not grow); ``picks``: ``"rules"`` for a rule id, which
    a form offers from the rules in force (the format does not check it against them).
    """

    __slots__ = (
        "agrees",
        "check",
        "choices",
        "date_hint",
        "default",
        "doc",
        "example",
        "fast",
        "help",
        "label",
        "max_length",
        "maximum",
        "name",
        "nullable",
        "picks",
        "references",
        "required",
        "sparse",
        "type",
        "unit",
    )

    def __init__(
        self,
        name: str,
        type: str,
        *,
        required: bool = False,
        default: Any = None,
        choices: tuple[str, ...] = (),
        references: str | None = None,
        agrees: str | None = None,
        date_hint: str = "",
        unit: str = "",
        label: str = "",
        help: str = "",
        example: str = "",
        doc: str = "",
        max_length: int | None = None,
        sparse: bool = False,
        picks: str = "",
        maximum: int | None = None,
    ):
        if type not in TYPES:  # pragma: no cover - a mistake in a definition below
            raise ValueError(f"unknown field type {type!r}")
        self.name = name
        self.type = type
        self.required = required
        self.default = default
        self.nullable = not required and default is None
        self.choices = choices
        self.references = references
        self.agrees = agrees
        self.date_hint = date_hint
        self.unit = unit
        self.label = label or name.replace("_", " ").capitalize()
        self.help = help
        self.example = example
        self.doc = doc
        # a text's longest value in characters (names and ids: MAX_NAME unless the field says)
        self.max_length = max_length if max_length is not None or type not in ("name", "text") else checks.MAX_NAME
        self.sparse = sparse  # left out of a stored record while it holds its default (a note)
        self.picks = picks  # "rules": a rule id, picked from the rules in force (a form's picker)
        self.maximum = maximum  # a whole number of days: its largest value (a payment term)
        check = (
            checks.one_of(choices)
            if type == "choice"
            else (_DATE_CHECKS[date_hint] if type == "date" else _CHECKS[type])
        )
        if self.max_length is not None:
            check = checks.at_most(check, self.max_length)
        if maximum is not None:
            check = checks.no_more_than(check, maximum)
        self.check: Checker = checks.nullable(check) if self.nullable else check
        self.fast = _FAST.get(type, "")

    @property
    def form_required(self) -> bool:
        """Whether a form must have a value: a required field, or one whose default is a text the
        form starts from (a choice such as billing 'monthly', the currency 'EUR')."""
        return self.required or (isinstance(self.default, str) and self.default != "")

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {self.type!r})"


# --------------------------------------------------------------------------- domain rules of one record


def _loop(test: str) -> Callable[[Sequence[Any]], list[int]]:
    """A function giving the positions of the records that pass ``test`` (code reading fields by
    name, as a rule of a definition writes it): compiled on first use, it reads the attributes
    as inline code does, three to four times faster on 200,000 invoices than getattr or a
    comprehension over columns (validate_document must not get slower for being generic)."""
    source = (
        f"def find(records):\n    found = []\n    for i, r in enumerate(records):\n        {test}\n"
        "            found.append(i)\n    return found\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # noqa: S102 - field names of the definitions, checked to be identifiers
    return namespace["find"]


class NotBefore:
    """A date of the record is not before another of its dates (an end not before the start)."""

    strict = True

    def __init__(self, field: str, anchor: str, said: str):
        if not (field.isidentifier() and anchor.isidentifier()):  # pragma: no cover - a definition's mistake
            raise ValueError(f"not field names: {field!r}, {anchor!r}")
        self.field, self.anchor, self.said = field, anchor, said  # said: 'the start {}'
        self._find: Callable[[Sequence[Any]], list[int]] | None = None

    def find(self, records: Sequence[Any]) -> list[int]:
        """The positions of the records that break the rule."""
        if self._find is None:
            self._find = _loop(f"v = r.{self.field}\n        if v is not None and v < r.{self.anchor}:")
        return self._find(records)

    def message(self, record: Any) -> str:
        return f"{getattr(record, self.field)} is before {self.said.format(getattr(record, self.anchor))}"


class NeededWhen:
    """A field is needed when another holds a value (a retainer's monthly fee).

    ``strict``: the data format requires it (the validator refuses the record); otherwise
    a file may leave it out (other tools may not know it) but the app's forms ask for it,
    and the import notes it."""

    def __init__(self, field: str, when: str, value: str, message: str, *, strict: bool = True):
        if not (field.isidentifier() and when.isidentifier() and type(value) is str):  # pragma: no cover
            raise ValueError(f"not field names and a text: {field!r}, {when!r}, {value!r}")
        self.field, self.when, self.value, self.said, self.strict = field, when, value, message, strict
        self._find: Callable[[Sequence[Any]], list[int]] | None = None

    def find(self, records: Sequence[Any]) -> list[int]:
        """The positions of the records that break the rule (a blank text is no value either)."""
        if self._find is None:
            self._find = _loop(
                f"if r.{self.when} == {self.value!r} and ((v := r.{self.field}) is None"
                " or (type(v) is str and not v.strip())):"
            )
        return self._find(records)

    def message(self, record: Any) -> str:
        return self.said


Rule = NotBefore | NeededWhen


class Frozen:
    """A record that never changes once ``field`` holds a value (a closed review): the store
    refuses to change or delete it, from any path (a save, an import, a delete)."""

    def __init__(self, field: str, said: str):
        self.field, self.said = field, said  # said: 'was closed on {}: a closed review never changes'

    def problem(self, before: dict[str, Any] | None, after: dict[str, Any] | None) -> str | None:
        """Why changing the stored JSON ``before`` into ``after`` (None: deleting it) is refused, or None."""
        if before is None or before.get(self.field) is None or before == after:
            return None
        return self.said.format(before.get(self.field))


# --------------------------------------------------------------------------- kinds


def slug(text: str) -> str:
    """A piece of an id from a name: 'ACME Ltd.' -> 'acme-ltd' (at most 24 characters)."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:24].strip("-") or "x"


def _id_twice(value: Any, first: int, kind: str) -> tuple[str | None, str]:
    return "id", f"{value!r} is used twice (also {kind}[{first}])"


class Kind:
    """One kind of record: its fields, key, references, naming and rules (see the module)."""

    def __init__(
        self,
        name: str,
        record: type,
        fields: tuple[Field, ...],
        *,
        singular: str,
        label: str,
        plural: str,
        doc: str,
        collection_doc: str = "",
        key: tuple[str, ...] = ("id",),
        id_prefix: str = "",
        id_from: str | None = None,
        name_field: str | None = None,
        describe: Callable[[Any, dict[str, str]], str] | None = None,
        describe_key: Callable[[Any], str] | None = None,
        twice: Callable[[Any, int, str], tuple[str | None, str]] = _id_twice,
        rules: tuple[Rule, ...] = (),
        nested: dict[str, Kind] | None = None,
        frozen: Frozen | None = None,
    ):
        self.name = name
        self.record = record
        self.fields = fields
        self.singular = singular  # the JSON Schema's name of one record ('client')
        self.label = label  # singular, as people say it: 'Add client', 'no client with id ...'
        self.plural = plural  # a title: 'Clients'
        self.doc = doc
        self.collection_doc = collection_doc
        self.key = key
        self.id_prefix = id_prefix
        self.id_from = id_from
        self.name_field = name_field
        self._describe = describe
        self._describe_key = describe_key
        self.twice = twice  # (key value or record, index of the first, kind) -> (field, message)
        self.rules = rules
        self.frozen = frozen  # once closed, never changed (a review)
        self.nested = nested or {}
        self.by_name = {f.name: f for f in fields}
        self.references = {f.name: f.references for f in fields if f.references}
        self.agrees = {f.name: f.agrees for f in fields if f.agrees}
        self._key_get = attrgetter(*key) if key else None

    def __repr__(self) -> str:
        return f"Kind({self.name!r})"

    @property
    def has_ids(self) -> bool:
        """Records are keyed by an id (not by a date or a pair of fields)."""
        return self.key == ("id",)

    @property
    def referenced_by(self) -> list[tuple[Kind, str]]:
        """The (kind, field) pairs that refer to records of this kind, in the order of KINDS."""
        return [(k, f) for k in KINDS.values() for f, target in k.references.items() if target == self.name]

    def record_key(self, record: Any) -> Any:
        """The identity of a record for merging: its id, a cash entry's date, (stage, activity)..."""
        assert self._key_get is not None
        return self._key_get(record)

    def key_of(self, record: Any) -> Any:
        """The stored key of a record (dates as ISO text), as ``json_key`` gives it of its JSON."""
        key = self.record_key(record)
        return key.isoformat() if isinstance(key, date) else key

    def json_key(self, js: dict[str, Any]) -> Any:
        """The key of a record's JSON object (a stored document)."""
        if len(self.key) == 1:
            return js.get(self.key[0])
        return tuple(js.get(k) for k in self.key)

    def describe(self, record: Any, names: dict[str, str]) -> str:
        """A short, human name of a record ('client ACME Ltd'); ``names``: client id -> name."""
        if self._describe is not None:
            return self._describe(record, names)
        client = names.get(getattr(record, "client", ""), getattr(record, "client", ""))
        return f"{self.label} {record.id} ({client})"

    def describe_key(self, key: Any, doc: dict[str, Any] | None = None) -> str:
        """A record as a person names it from its key (and its stored JSON): "client 'ACME Ltd'
        (c-acme)", 'a cash balance for 2026-11-30'."""
        if self._describe_key is not None:
            return self._describe_key(key)
        name = (doc or {}).get(self.name_field) if self.name_field else None
        return f"{self.label} {name!r} ({key})" if name else f"{self.label} {key!r}"

    def new_id(self, values: dict[str, Any], existing: set[str]) -> str:
        """A readable, unique id for a new record: 'c-acme-ltd', 'inv-0042'."""
        if self.id_from is not None:
            base = f"{self.id_prefix}-{slug(str(values.get(self.id_from) or self.label))}"
            candidate, n = base, 2
            while candidate in existing:
                candidate, n = f"{base}-{n}", n + 1
            return candidate
        n = len(existing) + 1
        while f"{self.id_prefix}-{n:04d}" in existing:
            n += 1
        return f"{self.id_prefix}-{n:04d}"

    def rule_problems(self, record: Any, *, strict_only: bool = False, index: int | None = None) -> list[Problem]:
        """The domain rules one record breaks (date order, a retainer's fee, a won inquiry's date)."""
        return [
            Problem(
                self.name,
                r.field,
                r.message(record),
                index=index,
                key=None if index is not None or not self.key else self.key_of(record),
            )
            for r in self.rules
            if (r.strict or not strict_only) and r.find((record,))
        ]


def new_id(kind: Kind, values: dict[str, Any], existing: set[str]) -> str:
    """A readable, unique id for a new record of ``kind``: 'c-acme-ltd', 'inv-0042'."""
    return kind.new_id(values, existing)


def _after(name: str) -> str:
    return f"'YYYY-MM-DD', not before `{name}`"


_MERGE_KEY = "The key for merging imports."


def _note(what: str) -> Field:
    """The note a record a person edits can carry: the last field of its form, never in a table."""
    return Field(
        "note",
        "text",
        default="",
        max_length=checks.MAX_NOTE,
        sparse=True,
        label="Note",
        help="anything worth remembering about it",
        doc=f"A note on the {what} (one line of free text, at most {checks.MAX_NOTE:,} characters); empty: "
        "none. The data file leaves an empty note out.",
    )


PROFILE = Kind(
    "agency",
    Agency,
    (
        Field(
            "name",
            "name",
            required=True,
            label="Agency name",
            example="Northwind Studio",
            doc="The agency's name (not empty).",
        ),
        Field(
            "currency",
            "name",
            default="EUR",
            label="Currency",
            example="EUR",
            doc="Currency code or symbol used for all money in the document, e.g. 'EUR'. Shown next to amounts; "
            "never converted.",
        ),
        Field(
            "monthly_operating_costs",
            "money",
            label="Monthly operating costs",
            example="62000",
            help="salaries, rent, tools: everything a month costs",
            doc="All costs of a month (salaries, rent, tools), in the currency. null or 0: not entered; the cash "
            "and key-client checks that need it report 'data needed'.",
        ),
        Field(
            "weekly_capacity_hours",
            "money",
            label="Weekly capacity (hours)",
            example="240",
            help="billable hours the whole team can deliver in a week",
            doc="Billable hours the whole team can deliver in a week. null or 0: not entered; the 'busy already' "
            "(G2) checks report 'data needed'.",
        ),
        Field(
            "normal_lead_time_days",
            "days",
            default=14,
            label="Normal lead time (days)",
            example="14",
            help="days of notice you normally need before starting work",
            doc="Days of notice the agency normally needs before starting work; a requested start or deadline "
            "sooner than this is a rush (G7). A whole number (14.0 is accepted as 14).",
        ),
        Field(
            "credit_line",
            "money",
            default=0,
            label="Credit line",
            example="50000",
            help="arranged with the bank; 0 if none",
            doc="Credit line arranged with the bank, in the currency; 0: none.",
        ),
        Field(
            "payment_term_days",
            "days",
            default=30,
            maximum=checks.MAX_TERM_DAYS,
            label="Payment term (days)",
            example="30",
            help="days a client has to pay; fills an invoice's due date",
            doc="Days a client has to pay an invoice: a new invoice's due date is its issue date plus this, "
            "when none is given (the forms, an import without due dates). A whole number from 0 to "
            f"{checks.MAX_TERM_DAYS:,}; 30 by default.",
        ),
        Field(
            "number_style",
            "choice",
            choices=NUMBER_STYLES,
            label="Number style",
            help="how amounts are typed: 1.234,56 or 1,234.56; empty: from the currency (EUR: 1.234,56)",
            doc="How the forms read and show amounts: '1.234,56' (the decimal mark is a comma) or '1,234.56' "
            "(a point). null or left out: from `currency`, 'EUR' (or '€') reads '1.234,56', any other "
            "'1,234.56'. Only typed text is read this way; the data file's numbers are JSON numbers.",
        ),
    ),
    singular="agency",
    label="agency profile",
    plural="Agency",
    key=(),
    doc="The agency's profile: one object. Money is in `currency`, without currency symbols.",
    collection_doc="The agency's profile. Required, except in a merging import into a data file that already has one.",
)

STEP = Kind(
    "steps",
    Step,
    (
        Field(
            "title",
            "name",
            required=True,
            label="Step",
            example="Draft the first case study",
            max_length=checks.MAX_SENTENCE,
            doc="What the step delivers.",
        ),
        Field(
            "due",
            "date",
            label="Due",
            help="a week or less away: ship something every week",
            doc="Due date, 'YYYY-MM-DD'; null: none.",
        ),
        Field("done", "date", label="Done", doc="The date the step was finished, 'YYYY-MM-DD'; null: not done."),
        Field(
            "owner",
            "text",
            default="",
            sparse=True,
            label="Owner",
            help="who does this step (an OS user name); empty: the action's owner",
            example="sam",
            doc="Who does the step (free text: the OS user name makes it theirs in 'my actions'); empty: the "
            "action's owner. The data file leaves an empty owner out.",
        ),
    ),
    singular="step",
    label="step",
    plural="Steps",
    key=(),
    doc="One step of an action item, small enough to finish in a week (G9).",
    collection_doc="The steps, in order; missing or null: none.",
)

# "RULE001:subject": a rule id, ':' and a subject (a per-item rule's may name several records)
_LONG_KEY = checks.MAX_NAME + 1 + checks.MAX_NOTE

REVIEW_ITEM = Kind(
    "items",
    ReviewItem,
    (
        Field(
            "key",
            "name",
            required=True,
            max_length=_LONG_KEY,
            label="Item",
            doc="What the item is: a recommendation's dismissal key, the rule id ('CASH001') or 'rule:subject' "
            "('INQ003:Globex'), or an off-track pillar, 'pillar:<pillar>' ('pillar:cash').",
        ),
        Field(
            "title",
            "name",
            required=True,
            max_length=checks.MAX_SENTENCE,
            label="Title",
            doc="The recommendation's title (or the pillar's) as the review showed it.",
        ),
        Field(
            "severity",
            "choice",
            required=True,
            choices=SEVERITIES,
            label="Severity",
            doc="'critical', 'warning' or 'info', as shown (an off-track pillar: 'critical' below 25, else 'warning').",
        ),
        Field("pillar", "text", default="", label="Pillar", doc="The pillar it belongs to ('cash')."),
        Field("rule", "text", default="", label="Rule", doc="The rule's id; empty for an off-track pillar."),
        Field(
            "subject",
            "text",
            default="",
            max_length=checks.MAX_NOTE,
            label="Subject",
            doc="What the recommendation was about (an inquiry, a project); empty for agency-wide advice.",
        ),
        Field(
            "message",
            "text",
            default="",
            max_length=checks.MAX_NOTE,
            label="Message",
            doc="The recommendation's message as shown (the numbers of that day).",
        ),
    ),
    singular="review_item",
    label="review item",
    plural="Items",
    key=(),
    doc="One item of a review's issues list, as it was shown: a recommendation, or a pillar that was off track.",
    collection_doc="The issues list as it was shown, in priority order.",
)

DECISION = Kind(
    "decisions",
    Decision,
    (
        Field(
            "item",
            "name",
            required=True,
            max_length=_LONG_KEY,
            label="Item",
            doc="The `key` of the item decided (one of the review's `items`, or a recommendation's key).",
        ),
        Field(
            "kind",
            "choice",
            required=True,
            choices=DECISION_KINDS,
            label="Decision",
            help="accept: an action item; dismiss: with a reason; snooze: until a date; park: later",
            doc="'accept' (an action item with an owner and weekly steps, `action`), 'dismiss' (hidden until the "
            "numbers get worse; needs a `reason`), 'snooze' (hidden until `until`) or 'park' (nothing but the "
            "decision: talked about later).",
        ),
        Field("by", "name", required=True, label="By", doc="Who decided it (the OS user)."),
        Field("at", "time", required=True, label="At", doc="When it was decided, UTC: 'YYYY-MM-DDTHH:MM:SSZ'."),
        Field(
            "note",
            "text",
            default="",
            max_length=checks.MAX_SENTENCE,
            sparse=True,
            label="Note",
            doc="A note on the item; empty: none.",
        ),
        Field(
            "reason",
            "text",
            default="",
            max_length=checks.MAX_SENTENCE,
            sparse=True,
            label="Reason",
            help="why it is dismissed or snoozed",
            doc="Why it was dismissed or snoozed (a dismissal needs one).",
        ),
        Field(
            "until",
            "date",
            sparse=True,
            label="Until",
            help="snoozed until this date",
            doc="A snooze's date, 'YYYY-MM-DD' (a snooze needs one); null otherwise.",
        ),
        Field(
            "owner",
            "text",
            default="",
            sparse=True,
            label="Owner",
            help="who owns the action (accept)",
            doc="An accepted item's owner (the action item's); empty otherwise.",
        ),
        Field(
            "action",
            "text",
            default="",
            sparse=True,
            label="Action",
            doc="The id of the action item an accept made; empty otherwise.",
        ),
    ),
    singular="decision",
    label="decision",
    plural="Decisions",
    key=(),
    doc="What a review decided about one item, who and when.",
    collection_doc="The decisions, one per item at most.",
    rules=(
        NeededWhen("until", "kind", "snooze", "is needed for a snooze: the date it shows again"),
        NeededWhen("reason", "kind", "dismiss", "is needed to dismiss: say why, for the minutes"),
    ),
)

_STATUS_DATE = "is needed for a {} inquiry: the win rate {} by this date"

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "cash",
            CashEntry,
            (
                Field(
                    "date",
                    "date",
                    required=True,
                    label="Date",
                    example="2026-11-26",
                    doc="The date of the balance, 'YYYY-MM-DD'. The key of the entry: importing an entry with the "
                    "same date replaces it.",
                ),
                Field(
                    "balance",
                    "number",
                    required=True,
                    label="Balance",
                    help="the bank balance on that date",
                    example="48000",
                    doc="Bank balance on that date, in the currency. May be negative (overdrawn).",
                ),
                _note("cash balance"),
            ),
            singular="cash",
            label="cash balance",
            plural="Cash",
            key=("date",),
            doc="A bank balance on a date. At most one entry per date.",
            collection_doc="Bank balances over time, one per date.",
            describe=lambda r, names: f"the cash balance of {r.date.isoformat()}",
            describe_key=lambda key: f"a cash balance for {key}",
            twice=lambda v, first, kind: (
                "date",
                f"{v if isinstance(v, date) else checks._show(v)} has a balance already (also {kind}[{first}])",
            ),
        ),
        Kind(
            "clients",
            Client,
            (
                Field(
                    "id",
                    "name",
                    required=True,
                    label="Id",
                    doc="Unique id of the client within the document, chosen by you (e.g. 'c-acme'); engagements and "
                    f"invoices refer to it. {_MERGE_KEY}",
                ),
                Field(
                    "name",
                    "name",
                    required=True,
                    label="Name",
                    example="ACME Ltd",
                    doc="The client's name, as shown in the advice.",
                ),
                Field(
                    "industry",
                    "text",
                    default="",
                    label="Industry",
                    example="Retail",
                    doc="The client's industry (free text; may be empty).",
                ),
                Field(
                    "enjoy",
                    "score",
                    label="Enjoy working with them",
                    help=SCORE_HELP,
                    doc="How much the team enjoys working for the client: a whole number 1 (not at all) to 5 (very "
                    "much); null: not scored.",
                ),
                Field(
                    "industry_fit",
                    "score",
                    label="Industry fit",
                    help="does their industry suit what the agency is good at: 1 (not at all) to 5 (exactly)",
                    doc="How well the client's industry fits the agency: a whole number 1 to 5; null: not scored.",
                ),
                Field(
                    "archived",
                    "date",
                    label="Archived on",
                    sparse=True,
                    help="a former client: out of the pickers and the advice ahead, kept in the history",
                    doc="The day the client became a former client, 'YYYY-MM-DD'; null: a current client. From that "
                    "day it is left out of the forms' pickers and of the revenue shares ahead (key-client risk, "
                    "client fit); its invoices stay in the history and the trailing metrics.",
                ),
                _note("client"),
            ),
            singular="client",
            label="client",
            plural="Clients",
            id_prefix="c",
            id_from="name",
            name_field="name",
            doc="A client of the agency.",
            collection_doc="The clients.",
            describe=lambda r, names: f"client {r.name}",
        ),
        Kind(
            "engagements",
            Engagement,
            (
                Field(
                    "id",
                    "name",
                    required=True,
                    label="Id",
                    doc=f"Unique id of the engagement within the document; invoices refer to it. {_MERGE_KEY}",
                ),
                Field(
                    "client",
                    "name",
                    required=True,
                    references="clients",
                    label="Client",
                    doc="The id of the client (a `clients[].id` in this document, or already stored when merging).",
                ),
                Field(
                    "kind",
                    "choice",
                    required=True,
                    choices=ENGAGEMENT_KINDS,
                    label="Kind",
                    help="retainer: ongoing work at a monthly fee; project: a fixed price",
                    doc="'retainer': recurring work at a monthly fee; 'project': fixed-price work.",
                ),
                Field(
                    "start",
                    "date",
                    required=True,
                    label="Start",
                    example="2026-01-01",
                    doc="First day of the engagement, 'YYYY-MM-DD'.",
                ),
                Field(
                    "end",
                    "date",
                    date_hint=END_HINT,
                    label="End",
                    help="the last day of the work; empty: open-ended (a project: its deadline)",
                    doc=f"Last day of the engagement, {_after('start')}; null: no end date (a retainer is then "
                    "open-ended; a project runs until its `deadline`, or without one for default_project_months, "
                    "3 by default).",
                ),
                Field(
                    "monthly_fee",
                    "money",
                    label="Monthly fee",
                    help="retainers",
                    example="8000",
                    doc="Retainers: the monthly fee, in the currency. Required (not null) when `kind` is 'retainer'.",
                ),
                Field(
                    "price",
                    "money",
                    label="Fixed price",
                    help="projects",
                    example="12500",
                    doc="Projects: the fixed price, in the currency. Required (not null) when `kind` is 'project'.",
                ),
                Field(
                    "hours_per_week",
                    "money",
                    default=0,
                    label="Hours per week",
                    help="the team's hours it takes each week while it runs",
                    example="20",
                    doc="Hours per week the engagement books from the team's capacity while it runs.",
                ),
                Field(
                    "billing",
                    "choice",
                    default="monthly",
                    choices=BILLING,
                    label="Billing",
                    help="how it is invoiced; anything but monthly arrives as lump sums",
                    doc="How the engagement is billed: 'monthly', 'milestones', 'upfront' or 'on_completion'. "
                    "Projects not billed monthly are 'lump sum' (G4).",
                ),
                Field(
                    "deadline",
                    "date",
                    date_hint=END_HINT,
                    label="Deadline",
                    help="projects: the delivery date promised (End: the last day of work, if later)",
                    doc="Projects: the delivery deadline, 'YYYY-MM-DD'; null: none. Used as the project's end when "
                    "`end` is null, and for rush detection (G7).",
                ),
                Field(
                    "rush_fee_pct",
                    "money",
                    default=0,
                    unit="%",
                    label="Rush fee %",
                    help="extra charged for rushed work: 25 means 25%",
                    example="25",
                    doc="Surcharge for expedited work, in percent of the price (25 means 25%); 0: none.",
                ),
                Field(
                    "name",
                    "name",
                    label="Name",
                    help="optional: what the advice calls it",
                    example="Website relaunch",
                    doc="Optional: what the advice calls the engagement ('Website relaunch'); null: 'the CLIENT "
                    "retainer' or 'the CLIENT project, Oct-Jan'.",
                ),
                _note("engagement"),
            ),
            singular="engagement",
            label="engagement",
            plural="Engagements",
            id_prefix="e",
            name_field="name",
            # by its name where it has one ('engagement Website relaunch (ACME)'), else its id
            describe=lambda r, names: f"engagement {r.name or r.id} ({names.get(r.client, r.client)})",
            doc="A retainer (monthly fee) or a fixed-price project for a client. A retainer needs `monthly_fee`, a "
            "project needs `price` (not null).",
            collection_doc="Retainers and projects.",
            rules=(
                NotBefore("end", "start", "the start {}"),
                NeededWhen("monthly_fee", "kind", "retainer", "is required for a retainer"),
                NeededWhen("price", "kind", "project", "is required for a project"),
                NotBefore("deadline", "start", "the start {}"),
            ),
        ),
        Kind(
            "invoices",
            Invoice,
            (
                Field(
                    "id",
                    "name",
                    required=True,
                    label="Id",
                    doc=f"Unique id of the invoice within the document (e.g. the invoice number). {_MERGE_KEY}",
                ),
                Field(
                    "client",
                    "name",
                    required=True,
                    references="clients",
                    label="Client",
                    doc="The id of the invoiced client.",
                ),
                Field(
                    "engagement",
                    "name",
                    references="engagements",
                    agrees="client",
                    label="Engagement",
                    help="optional: the engagement it bills",
                    doc="The id of the engagement the invoice bills, which must belong to the same client; null: none "
                    "(the amount then counts as neither recurring nor monthly-billed revenue).",
                ),
                Field(
                    "issued",
                    "date",
                    required=True,
                    label="Issued",
                    example="2026-11-26",
                    doc="Issue date, 'YYYY-MM-DD'.",
                ),
                Field(
                    "amount",
                    "number",
                    required=True,
                    label="Amount",
                    example="8000",
                    doc="Invoiced amount, in the currency, before tax (VAT, sales tax): the revenue. May be "
                    "negative (a credit note).",
                ),
                Field(
                    "total",
                    "number",
                    label="Total incl. tax",
                    sparse=True,
                    help="what the client pays, VAT included; empty: the amount",
                    doc="What the client owes, VAT included, in the currency: the open and overdue receivables "
                    "and the cash to come in count it, the revenue counts `amount` (before tax); null: the "
                    "amount (no tax, or none recorded). The data file leaves a null total out.",
                ),
                Field(
                    "due",
                    "date",
                    label="Due",
                    help="empty: the issue date + the payment term (Agency profile)",
                    doc=f"Due date, {_after('issued')}; null: no due date (never counts as overdue). The app's form "
                    "fills an empty one from the issue date and the agency's `payment_term_days`.",
                ),
                Field(
                    "paid",
                    "date",
                    label="Paid",
                    help="empty: still open",
                    doc=f"Date the invoice was paid, {_after('issued')}; null: still open.",
                ),
                _note("invoice"),
            ),
            singular="invoice",
            label="invoice",
            plural="Invoices",
            id_prefix="inv",
            doc="An invoice sent to a client. Revenue is measured from the invoices of the last 12 months when there "
            "are any.",
            collection_doc="Invoices sent.",
            rules=(NotBefore("due", "issued", "the issue date {}"), NotBefore("paid", "issued", "the issue date {}")),
        ),
        Kind(
            "inquiries",
            Inquiry,
            (
                Field(
                    "id",
                    "name",
                    required=True,
                    label="Id",
                    doc=f"Unique id of the inquiry within the document. {_MERGE_KEY}",
                ),
                Field(
                    "received",
                    "date",
                    required=True,
                    label="Received",
                    example="2026-11-20",
                    doc="Date the inquiry arrived, 'YYYY-MM-DD'.",
                ),
                Field(
                    "prospect",
                    "name",
                    required=True,
                    label="Prospect",
                    example="Globex",
                    doc="Name of the prospect (a client id is not needed).",
                ),
                Field(
                    "source",
                    "text",
                    default="",
                    label="Source",
                    help="where it came from: a referral, the website, an event...",
                    example="referral",
                    doc="Where the inquiry came from (free text, e.g. 'referral').",
                ),
                Field(
                    "status",
                    "choice",
                    default="new",
                    choices=INQUIRY_STATUSES,
                    label="Status",
                    help="lost: they chose someone else; declined: you said no",
                    doc="'new' and 'proposal_sent' are open; 'won', 'lost' (the prospect chose otherwise) and "
                    "'declined' (you said no) are decided.",
                ),
                Field(
                    "proposal_sent",
                    "date",
                    label="Proposal sent",
                    help="the day you sent the proposal; empty: none yet",
                    doc=f"Date the proposal was sent, {_after('received')}; null: no proposal (yet). Counts toward "
                    "the proposal targets (G6).",
                ),
                Field(
                    "decided",
                    "date",
                    label="Decided",
                    help="the day it was won, lost or declined; empty while it is open",
                    doc=f"Date of the decision (won, lost or declined), {_after('received')}; null: not decided.",
                ),
                Field(
                    "estimated_value",
                    "money",
                    label="Estimated value",
                    help="what the work would bring in, in the currency",
                    example="30000",
                    doc="Estimated value of the work, in the currency; null: not estimated.",
                ),
                Field(
                    "requested_start",
                    "date",
                    label="Requested start",
                    help="when they want you to start; sooner than your lead time is a rush",
                    doc="When the prospect wants to start, 'YYYY-MM-DD'; null: not known. Sooner than the normal lead "
                    "time after `received` is a rush (G7).",
                ),
                Field(
                    "deadline",
                    "date",
                    date_hint=END_HINT,
                    label="Deadline",
                    help="when they need the work delivered; empty: no deadline",
                    doc="The prospect's deadline, 'YYYY-MM-DD'; null: none.",
                ),
                Field(
                    "rush_fee_pct",
                    "money",
                    default=0,
                    unit="%",
                    label="Rush fee %",
                    help="the surcharge you quoted for the rush: 25 means 25%",
                    example="25",
                    doc="Rush surcharge quoted, in percent; 0: none.",
                ),
                Field(
                    "enjoy",
                    "score",
                    label="Enjoy",
                    help="would the team enjoy the work: " + SCORE_HELP,
                    doc="Would the team enjoy this client: a whole number 1 to 5; null: not scored (G1).",
                ),
                Field(
                    "industry_fit",
                    "score",
                    label="Industry fit",
                    help="does the project or its industry suit the agency: 1 (not at all) to 5 (exactly)",
                    doc="Does the project or industry attract the agency: a whole number 1 to 5; null: not scored "
                    "(G1).",
                ),
                Field(
                    "budget_ok",
                    "bool",
                    label="Budget ok",
                    help="is their budget enough to do the work well and at a profit; empty: not judged",
                    doc="Is the budget enough to make the work viable: true or false; null: not judged (G1).",
                ),
                _note("inquiry"),
            ),
            singular="inquiry",
            label="inquiry",
            plural="Inquiries",
            id_prefix="q",
            id_from="prospect",
            name_field="prospect",
            doc="A request for a proposal from a prospect, and what became of it.",
            collection_doc="Inquiries (requests for proposals) and their outcome.",
            describe=lambda r, names: f"the inquiry from {r.prospect}",
            rules=(
                NotBefore("proposal_sent", "received", "the inquiry was received ({})"),
                NotBefore("requested_start", "received", "the inquiry was received ({})"),
                NotBefore("decided", "received", "the inquiry was received ({})"),
                # An inquiry's status and the date the metrics read for it: without that date the inquiry
                # is left out of them without a word (a won proposal with no decision date is not in the win
                # rate or the sales cycle; a sent one with no date is not in the proposals per week).
                NeededWhen(
                    "proposal_sent",
                    "status",
                    "proposal_sent",
                    "is needed when the status is proposal_sent: "
                    "the proposals per week count sent proposals by this date",
                    strict=False,
                ),
                NeededWhen(
                    "decided", "status", "won", _STATUS_DATE.format("won", "and the sales cycle count it"), strict=False
                ),
                NeededWhen("decided", "status", "lost", _STATUS_DATE.format("lost", "counts it"), strict=False),
                NeededWhen(
                    "decided",
                    "status",
                    "declined",
                    "is needed for a declined inquiry: the date you said no",
                    strict=False,
                ),
            ),
        ),
        Kind(
            "journey",
            JourneyActivity,
            (
                Field(
                    "stage",
                    "choice",
                    required=True,
                    choices=JOURNEY_STAGES,
                    label="Stage",
                    help="discovery: how they find you; education: learn about you; decision: choose you",
                    doc="'discovery' (how clients look for solutions and find you), 'education' (how they learn about "
                    "you) or 'decision' (how they choose an agency).",
                ),
                Field(
                    "activity",
                    "name",
                    required=True,
                    label="Activity",
                    example="Clients search Google for 'shopify agency'",
                    max_length=checks.MAX_SENTENCE,
                    doc="What the agency does at that stage, e.g. 'talks at industry meetups'.",
                ),
                _note("journey activity"),
            ),
            singular="journey",
            label="journey activity",
            plural="Journey",
            key=("stage", "activity"),
            doc="One activity on the customer journey (G8). Its key is the pair (stage, activity).",
            collection_doc="The customer journey: activities per stage.",
            describe=lambda r, names: f"the {r.stage} activity {r.activity!r}",
            describe_key=lambda key: f"the {key[0]} activity {key[1]!r}",
            twice=lambda r, first, kind: (
                "activity",
                f"{r.activity!r} is already mapped for the {r.stage} stage ({kind}[{first}])",
            ),
        ),
        Kind(
            "actions",
            ActionItem,
            (
                Field(
                    "id",
                    "name",
                    required=True,
                    label="Id",
                    doc=f"Unique id of the action item within the document. {_MERGE_KEY}",
                ),
                Field(
                    "title",
                    "name",
                    required=True,
                    label="Title",
                    example="Publish three case studies",
                    max_length=checks.MAX_SENTENCE,
                    doc="What the action achieves.",
                ),
                Field(
                    "rule",
                    "name",
                    label="From rule",
                    help="the recommendation it answers; empty: none",
                    picks="rules",
                    doc="Id of the rule this action answers (e.g. 'CASH001'); null: none. Not checked against the "
                    "rules (the app's form picks it from the rules in force).",
                ),
                Field(
                    "owner",
                    "text",
                    default="",
                    label="Owner",
                    help="who makes sure it gets done",
                    example="Sam",
                    doc="Who is responsible (free text).",
                ),
                Field(
                    "review",
                    "text",
                    default="",
                    sparse=True,
                    label="From review",
                    doc="The id of the review that decided it ('rv-0001'); empty: made outside a review. The data "
                    "file leaves it out while empty.",
                ),
                Field(
                    "due",
                    "date",
                    sparse=True,
                    label="Due",
                    help="when it is to be done; empty: no date",
                    doc="When the action is to be done, 'YYYY-MM-DD' (a review's accepted action: its last step's "
                    "due date); null or left out: no date.",
                ),
                Field(
                    "dropped",
                    "date",
                    sparse=True,
                    label="Dropped",
                    doc="The day a review dropped the action instead of carrying it over, 'YYYY-MM-DD'; null or "
                    "left out: not dropped.",
                ),
                _note("action item"),
            ),
            singular="action",
            label="action item",
            plural="Actions",
            id_prefix="a",
            id_from="title",
            name_field="title",
            doc="An item of the action plan, split into weekly steps (G9).",
            collection_doc="The action plan.",
            describe=lambda r, names: f"the action {r.title!r}",
            nested={"steps": STEP},
        ),
        Kind(
            "dismissals",
            Dismissal,
            (
                Field(
                    "rule",
                    "name",
                    required=True,
                    label="Rule",
                    doc="The id of the rule whose recommendation was dismissed, e.g. 'KEY003'.",
                ),
                Field(
                    "subject",
                    "text",
                    default="",
                    label="Subject",
                    max_length=checks.MAX_SENTENCE,
                    doc="What the recommendation was about (an inquiry, a project); empty for agency-wide advice.",
                ),
                Field(
                    "reason",
                    "text",
                    default="",
                    label="Reason",
                    max_length=checks.MAX_SENTENCE,
                    doc="Why it was dismissed or snoozed.",
                ),
                Field(
                    "until",
                    "date",
                    date_hint=UNTIL_HINT,
                    label="Until",
                    doc="Snoozed until this date, 'YYYY-MM-DD'; null: dismissed until the numbers get worse.",
                ),
                Field(
                    "severity",
                    "choice",
                    default="info",
                    choices=SEVERITIES,
                    label="Severity",
                    doc="The severity when it was dismissed: a higher severity shows it again.",
                ),
                Field(
                    "distance",
                    "money",
                    default=0,
                    label="Distance",
                    doc="How far past its threshold the number was when dismissed: further shows it again.",
                ),
                Field("by", "text", default="", label="By", doc="Who dismissed it (the OS user)."),
                Field("on", "date", label="On", doc="When it was dismissed, 'YYYY-MM-DD'."),
            ),
            singular="dismissal",
            label="dismissal",
            plural="Dismissals",
            key=("rule", "subject"),
            doc="A recommendation the team dismissed or snoozed. Its key is the pair (rule, subject). It stays hidden "
            "while the numbers are no worse than when it was dismissed and, when snoozed, until the `until` date.",
            collection_doc="Recommendations the team dismissed or snoozed, per rule and subject.",
            describe=lambda r, names: f"the dismissal of {r.rule}" + (f" for {r.subject}" if r.subject else ""),
            describe_key=lambda key: f"a dismissal of {key[0]}" + (f" for {key[1]}" if key[1] else ""),
            twice=lambda r, first, kind: (
                None,
                f"rule {r.rule!r} with subject {r.subject!r} is already dismissed ({kind}[{first}])",
            ),
        ),
        Kind(
            "reviews",
            Review,
            (
                Field("id", "name", required=True, label="Id", doc="Unique id of the review ('rv-0001')."),
                Field("started", "time", required=True, label="Started", doc="When it started, UTC."),
                Field("by", "name", required=True, label="Started by", doc="Who started it (the OS user)."),
                Field("leader", "text", default="", label="Leader", doc="Who leads it (the others' apps follow)."),
                Field(
                    "as_of",
                    "date",
                    required=True,
                    label="As of",
                    doc="The date the review looked at the numbers as of, 'YYYY-MM-DD'.",
                ),
                Field(
                    "closed",
                    "time",
                    label="Closed",
                    doc="When it was closed, UTC; null: under way. A closed review never changes: the program "
                    "refuses to change or delete it (a save, an import, a delete).",
                ),
                Field("attendees", "names", default=[], label="Attendees", doc="Who attended (OS user names)."),
                Field(
                    "notes",
                    "text",
                    default="",
                    max_length=checks.MAX_NOTE,
                    sparse=True,
                    label="Notes",
                    doc="The meeting's notes (one line); empty: none.",
                ),
                Field("rating", "rating", label="Rating", doc="The meeting's rating, 1 to 10; null: not rated."),
                Field("score", "number", label="Score", doc="The independence score when it closed; null: unknown."),
                Field(
                    "pillars",
                    "scores",
                    default={},
                    label="Pillar scores",
                    doc="Each pillar's score when it closed: pillar -> 0 to 100, or null (unknown).",
                ),
                Field(
                    "metrics",
                    "values",
                    default={},
                    label="Metrics",
                    doc="The core metrics when it closed (those of `tui-advisor history`): name -> value, or null "
                    "(unknown).",
                ),
                Field(
                    "carried",
                    "names",
                    default=[],
                    label="Carried over",
                    doc="The ids of the last review's actions carried over into this one.",
                ),
                Field(
                    "dropped",
                    "names",
                    default=[],
                    label="Dropped",
                    doc="The ids of the last review's actions dropped.",
                ),
            ),
            singular="review",
            label="review",
            plural="Reviews",
            id_prefix="rv",
            doc="A team review (a meeting): what was shown, every decision with who and when, attendees, notes. "
            "Once `closed`, it never changes.",
            collection_doc="The team's reviews, oldest first.",
            describe=lambda r, names: f"the review {r.id} of {r.as_of.isoformat()}",
            describe_key=lambda key: f"the review {key!r}",
            nested={"items": REVIEW_ITEM, "decisions": DECISION},
            frozen=Frozen("closed", "was closed at {}: a closed review never changes"),
        ),
    )
}

COLLECTIONS = tuple(KINDS)


def known_ids(tables: dict[str, Any], referring: Iterable[str] | None = None) -> dict[str, Any]:
    """What stored records a merging import or a save may refer to, from the raw tables of a
    data file (``{kind: {doc_id: json}}``): the ids of every kind a reference points at, and for
    each reference that must agree (an invoice's engagement and client), the stored values of
    the referenced records (``"engagements.client": {id: client}``).

    ``referring``: only what records of these kinds can refer to (a save of one client reads
    no invoice ids; on a file of 200,000 invoices that is most of the work of a save)."""
    sources = KINDS.values() if referring is None else [KINDS[name] for name in referring]
    known: dict[str, Any] = {}
    for kind in sources:
        for name, target in kind.references.items():
            docs = (tables.get(target) or {}).values()
            if target not in known:
                known[target] = {d.get("id") for d in docs}
            shared = kind.agrees.get(name)
            if shared is not None:
                known[f"{target}.{shared}"] = {d.get("id"): d.get(shared) for d in docs}
    return known
