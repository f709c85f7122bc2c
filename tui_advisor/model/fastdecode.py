"""The fast path for a valid interchange file: its bytes decoded once, straight into typed values.

msgspec decodes the bytes into Structs generated from the kinds (kinds.py: each field's
type, its bounds, choices and longest text, whether it is required or may be null, a name
not empty; unknown fields forbidden). A kind's columns are slices of one flat list of its
Structs' values (``astuple``, in C). The checks msgspec cannot express run over whole
columns (names not blank, dates 1900..2199, no control character, no key twice in an
object, a date not before the one it may not precede), and the records are built as the
validator builds them, by one loop generated per record class (what its dataclass
``__init__`` does, inline); the unique ids and references are the validator's own code
(``validate._check_consistency``) run on those columns.

Tried and left (benchmarks/README.md): decoding straight into the record classes (msgspec
decodes dataclasses, here "twins" with the records' slots, then ``__class__`` set to the
record) executes more than this on M and is no faster on L: msgspec sets each field through
the generic setattr and asks for every field it did not set (one AttributeError each).

``decode_document(raw)`` returns exactly what ``validate_document(loads_strict(raw))``
returns for a valid file, or None at the least doubt (anything msgspec refuses, any check
failing, an escaped ':'): the caller then takes the complete path,
which words every problem. tests/unit/test_fast_decode.py holds the two to each other.
"""

from __future__ import annotations

import dataclasses
import operator
import re
from collections.abc import Callable
from datetime import date
from itertools import chain
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType
from msgspec.structs import astuple

from ..safetext import _OTHERS, CONTROL
from .checks import MAX_DATE, MAX_MAGNITUDE, MIN_DATE
from .kinds import KINDS, PROFILE, Field, Kind, NotBefore
from .problems import Problem, ValidationError
from .validate import FORMAT, VERSION, _check_consistency, _check_settings, _rule_problems, validate_document

_TOP = int(MAX_MAGNITUDE)
# the decoder's type of each type of field, with the bounds of checks.py (a choice: its Literal)
_TYPES: dict[str, Any] = {
    "name": str,
    "text": str,
    "date": date,
    "bool": bool,
    "money": Annotated[int, Meta(ge=0, lt=_TOP)] | Annotated[float, Meta(ge=0, lt=MAX_MAGNITUDE)],
    "number": Annotated[int, Meta(gt=-_TOP, lt=_TOP)] | Annotated[float, Meta(gt=-MAX_MAGNITUDE, lt=MAX_MAGNITUDE)],
    "days": Annotated[int, Meta(ge=0, lt=_TOP)],
    "score": Annotated[int, Meta(ge=1, le=5)],
    "rating": Annotated[int, Meta(ge=1, le=10)],
    # a kind holding these is read as plain JSON and checked completely (see _DECLINED)
    "time": str,
    "names": Any,
    "scores": Any,
    "values": Any,
}
# the kinds whose records the decoder reads as plain JSON and the complete validator checks (a
# review's times, lists and objects of values: a few records, whose members and texts are counted
# as the settings' are)
_DECLINED = {
    kind.name
    for kind in KINDS.values()
    for f in (*kind.fields, *(g for n in kind.nested.values() for g in n.fields))
    if f.type in ("time", "names", "scores", "values")
}


def _type(f: Field) -> Any:
    """The decoder's type of one field (without its null or UNSET); a text with its longest length."""
    if f.type == "choice":
        return Literal[f.choices]
    if f.type == "name":  # not empty (whether blank, _column asks)
        return Annotated[str, Meta(min_length=1, max_length=f.max_length)]
    if f.max_length is not None:
        return Annotated[str, Meta(max_length=f.max_length)]
    if f.maximum is not None:  # a payment term
        return Annotated[int, Meta(ge=0, le=f.maximum)]
    return _TYPES[f.type]


def _struct(kind: Kind) -> type[msgspec.Struct]:
    """The msgspec type of one record of ``kind``, from its fields (a field left out is UNSET,
    so that the members present can be counted and the defaults put in as the validator does)."""
    fields: list[Any] = []
    for f in kind.fields:
        t = _type(f)
        if f.required:
            fields.append((f.name, t))
        elif f.nullable:
            fields.append((f.name, t | None | UnsetType, UNSET))
        else:
            fields.append((f.name, t | UnsetType, UNSET))
    for name, nested in kind.nested.items():
        fields.append((name, list[_struct(nested)] | None | UnsetType, UNSET))  # type: ignore[misc]
    return msgspec.defstruct(f"Fast_{kind.name}", fields, kw_only=True, forbid_unknown_fields=True, gc=False)


_COLLECTION_TYPES = {name: Any if name in _DECLINED else _struct(kind) for name, kind in KINDS.items()}
_Document = msgspec.defstruct(
    "Fast_document",
    [
        ("format", str),
        ("version", int),
        ("agency", _struct(PROFILE)),
        ("settings", Any, UNSET),
        *((name, list[t] | None | UnsetType, UNSET) for name, t in _COLLECTION_TYPES.items()),  # type: ignore[valid-type]
    ],
    kw_only=True,
    forbid_unknown_fields=True,
    gc=False,
)
_decode = msgspec.json.Decoder(_Document).decode
# the fields of each kind the consistency checks read as whole columns: keys, references, what they share
_READ = {name: {*kind.key, *kind.references, *kind.agrees.values()} & set(kind.by_name) for name, kind in KINDS.items()}
_CONTROL_ABOVE_ASCII = re.compile(f"[{_OTHERS}]")  # below: the decoder refuses them inside a string


class _Doubt(Exception):
    """The fast path cannot vouch for the file: the complete path decides."""


class _Count:
    """What the text must hold if no object holds a key twice: ``members``, the members of every
    object decoded; ``texts``, the columns of text (a ':' inside a string counts as well): the
    ids (``ids``, by kind), the references to them (``refs``, by the kind referred to) and the
    others. ``distinct``: the distinct values of each reference, for the consistency checks.
    ``keep``: decode_document's (what is not freed); ``nulls``: the date columns holding a null."""

    __slots__ = ("columns", "distinct", "ids", "keep", "members", "nulls", "refs", "texts")

    def __init__(self, keep: list[Any] | None = None) -> None:
        self.keep = keep
        self.nulls: set[tuple[str, str]] = set()  # (kind, field) of the date columns holding a null
        self.members = 0
        self.texts: list[Any] = []
        self.ids: dict[str, Any] = {}
        self.refs: list[tuple[str, Any]] = []
        self.columns: dict[tuple[str, str], Any] = {}
        self.distinct: dict[tuple[str, str], set[Any]] = {}

    def colons_are(self, extra: int) -> bool:
        """Whether the strings decoded hold ``extra`` ':' (the field names, known, hold none): the
        text's ':' beyond one per member. They hold at most that many unless an object holds a key
        twice, so they are counted column by column, the shortest first, until they make ``extra``
        (one ':' in a journey activity: not a join of 200,000 invoice ids). A reference holds none
        when the ids it refers to hold none (it is one of them, or the consistency checks refuse
        the file anyway)."""
        referred = {kind for kind, _ in self.refs}
        in_ids = {kind: "".join(self.ids[kind]).count(":") for kind in referred if kind in self.ids}
        found = sum(in_ids.values())
        rest = [col for kind, col in self.ids.items() if kind not in in_ids] + self.texts
        rest += [list(filter(None, col)) for kind, col in self.refs if in_ids.get(kind) != 0]
        for col in sorted(rest, key=len):
            if found >= extra:
                break
            found += "".join(col).count(":")
        return found == extra

    def all_texts(self) -> list[Any]:
        """Every column of text (a reference's without its nulls)."""
        return [*self.texts, *self.ids.values(), *(list(filter(None, col)) for _, col in self.refs)]


def _column(kind: str, f: Field, col: Any, count: _Count) -> Any:
    """One field of every record, its defaults put in and the checks the decoder's type cannot
    make (_Doubt if one fails): a name not blank, a date from 1900 to 2199 (its first and last,
    or with a null or a date left out among them, the distinct dates: a few hundred in 200,000
    invoices). Bounds and choices the decoder checked."""
    t = f.type
    if t == "date":  # a column with no null and no date left out: its first and last, in C
        try:  # (a null or UNSET among the dates makes a comparison raise; a column of one compares none)
            first, last = min(col), max(col)
        except TypeError:
            first = last = None
        if type(first) is date and type(last) is date:
            _in_calendar(first, last)
            return col
    reference = f.references is not None and t == "name"
    # the distinct values of a date or a reference (a few hundred dates, 2,000 clients in 200,000
    # invoices), which also say at once whether a record left the field out
    distinct: Any = set(col) if t == "date" or reference else None
    if not f.required and (UNSET in distinct if distinct is not None else UNSET in col):
        absent = col.count(UNSET)
        count.members -= absent
        default = f.default
        # in no record (a note, which most records leave out): the default throughout, at once
        col = [default] * absent if absent == len(col) else [default if v is UNSET else v for v in col]
        if distinct is not None:
            distinct = set(col)
    dates = distinct if t == "date" else None
    if f.references is not None and t == "name":  # blank ones looked for among the distinct values
        count.distinct[(kind, f.name)] = distinct
        distinct.discard(None)  # null only where the field may be null (the decoder's type says so)
        count.refs.append((f.references, col))
        if any(map(str.isspace, distinct)):  # '' the decoder's type refused
            raise _Doubt
        return col
    if t == "name" or t == "text":
        values = [v for v in col if v is not None] if f.nullable and None in col else col
        if f.name == "id" and kind in KINDS:
            count.ids[kind] = values
        else:
            count.texts.append(values)
        if t == "name" and any(map(str.isspace, values)):  # '' the decoder's type refused
            raise _Doubt
    elif dates is not None:
        if None in dates:  # null only where the field may be null (the decoder's type says so)
            dates.discard(None)
            count.nulls.add((kind, f.name))
        if dates:
            _in_calendar(min(dates), max(dates))
    return col


def _in_calendar(first: date, last: date) -> None:
    """_Doubt unless the dates from ``first`` to ``last`` lie in 1900..2199 (checks.py's bounds)."""
    if first < MIN_DATE or last > MAX_DATE:
        raise _Doubt


def _records(kind: Kind, structs: list[Any], count: _Count) -> list[Any]:
    """The records of ``kind`` from its decoded Structs, as the validator builds them."""
    if not structs:
        return []
    n_fields = len(kind.fields) + len(kind.nested)
    count.members += n_fields * len(structs)
    # every field of every record in one pass (astuple, in C), then each field's column a slice of
    # that: a fifth faster on 200,000 invoices than reading each field with its own pass
    flat = list(chain.from_iterable(map(astuple, structs)))
    columns = [flat[i::n_fields] for i in range(n_fields)]
    if count.keep is not None:
        count.keep.append((flat, columns))  # not freed one by one (1.8M values on L): os._exit does
    by_name: dict[str, Any] = {f.name: _column(kind.name, f, columns[i], count) for i, f in enumerate(kind.fields)}
    if kind.name in KINDS:  # the columns the consistency checks read (ids, references)
        count.columns.update({(kind.name, f): by_name[f] for f in _READ[kind.name]})
    for j, (name, nested) in enumerate(kind.nested.items()):
        col = columns[len(kind.fields) + j]
        count.members -= col.count(UNSET)  # the inner records count their own members
        by_name[name] = [[] if v is UNSET or v is None else _records(nested, v, count) for v in col]
    records = _maker(kind.record)([by_name[f] for f in kind.record.__dataclass_fields__])  # type: ignore[attr-defined]
    _check_rules(kind, by_name, records, count.nulls)
    return records


_MAKERS: dict[type, Callable[[list[Any]], list[Any]]] = {}


def _maker(record: type) -> Callable[[list[Any]], list[Any]]:
    """A function building the records of a class from its columns (in the order of its fields):
    what its __init__ does (a dataclass's sets each field), inline in one loop, a sixth faster on
    200,000 invoices than calling the class for each. Any other class: called for each."""
    make = _MAKERS.get(record)
    if make is None:
        fields = dataclasses.fields(record)
        params = record.__dataclass_params__  # type: ignore[attr-defined]
        plain = not params.frozen and not hasattr(record, "__post_init__") and all(f.init for f in fields)
        if plain and all(f.name.isidentifier() for f in fields):
            names = [f"v{i}" for i in range(len(fields))]
            source = (
                f"def make(columns):\n    out = []\n    append = out.append\n"
                f"    for {', '.join(names)}, in zip(*columns):\n        r = new(record)\n"
                + "".join(f"        r.{f.name} = {v}\n" for f, v in zip(fields, names, strict=True))
                + "        append(r)\n    return out\n"
            )
            namespace: dict[str, Any] = {"new": object.__new__, "record": record}
            exec(source, namespace)  # noqa: S102 - the field names of a record class, identifiers
            make = namespace["make"]
        else:  # pragma: no cover - every record class is a plain dataclass

            def make(columns: list[Any]) -> list[Any]:
                return list(map(record, *columns))

        _MAKERS[record] = make
    return make


# .get(d, d): the date itself, or for None the last day there is
_NO_DATE_LAST: Callable[[Any, Any], Any] = {None: date.max}.get


def _check_rules(kind: Kind, columns: dict[str, Any], records: list[Any], nulls: set[tuple[str, str]]) -> None:
    """_Doubt if a record breaks a strict domain rule of its kind: a date before the one it may not
    precede (an end before the start) over whole columns, in C (a null date is none: read as the
    last day there is, only in a column that holds one); the other rules by their own test,
    record by record (validate's, for the complete report)."""
    for rule in kind.rules:
        if not rule.strict:
            continue
        if isinstance(rule, NotBefore) and kind.by_name[rule.anchor].required:
            later, anchor = columns[rule.field], columns[rule.anchor]
            if (kind.name, rule.field) in nulls:
                later = map(_NO_DATE_LAST, later, later)
            if any(map(operator.lt, later, anchor)):
                raise _Doubt
        elif rule.find(records):
            raise _Doubt


def _count_keys(value: Any, texts: list[Any]) -> int:
    """The members of every object in a decoded JSON value (settings); its strings go to ``texts``."""
    if type(value) is dict:
        texts.append(list(value))
        return len(value) + sum(_count_keys(v, texts) for v in value.values())
    if type(value) is list:
        return sum(_count_keys(v, texts) for v in value)
    if type(value) is str:
        texts.append((value,))
    return 0


def decode_document(
    raw: bytes, *, notes: list[Problem] | None = None, keep: list[Any] | None = None
) -> dict[str, Any] | None:
    """``validate_document(loads_strict(raw))`` of a valid file, or None when the complete path
    must decide (see the module). ``notes``: as validate_document's. ``keep``: a list that takes
    what the decode made on the way (the decoded Structs, the columns) instead of freeing it: a
    one-shot command that ends with ``os._exit`` spares freeing 250,000 Structs (L: 20-40 ms)."""
    escaped = b"\\" in raw  # then the texts decoded are searched for control characters too
    if escaped and b"\\u003" in raw:  # '\u003a' is a ':' the count of them below would not see
        return None
    if not raw.isascii():
        try:  # a byte that is not UTF-8: the complete path says which
            if _CONTROL_ABOVE_ASCII.search(raw.decode("utf-8")):
                return None
        except UnicodeDecodeError:
            return None
    if b"\x7f" in raw:
        return None
    try:
        doc = _decode(raw)
    except (msgspec.DecodeError, RecursionError):  # msgspec.ValidationError is a DecodeError
        return None
    try:
        return _build(doc, raw, escaped, notes, keep)
    except _Doubt:
        return None


def _build(doc: Any, raw: bytes, escaped: bool, notes: list[Problem] | None, keep: list[Any] | None) -> dict[str, Any]:
    if doc.format != FORMAT or not 1 <= doc.version <= VERSION:
        raise _Doubt
    count = _Count(keep)
    if keep is not None:
        keep += (doc, count)
    count.members = 2 + 1  # format, version, agency
    out: dict[str, Any] = {"agency": _records(PROFILE, [doc.agency], count)[0]}
    if doc.settings is not UNSET:
        count.members += 1 + _count_keys(doc.settings, count.texts)
        if doc.settings is not None:
            problems: list[Problem] = []
            out["settings"] = _check_settings(doc.settings, problems)
            if problems:
                raise _Doubt
    for name, kind in KINDS.items():
        structs = getattr(doc, name)
        if structs is UNSET:
            continue
        count.members += 1
        if structs is None:
            continue
        if name in _DECLINED:  # a review's times, lists and objects: this collection checked completely
            count.members += _count_keys(structs, count.texts)
            try:
                out[name] = validate_document({"format": FORMAT, "version": VERSION, name: structs}, partial=True)[name]
            except ValidationError:
                raise _Doubt from None
            continue
        out[name] = _records(kind, structs, count)
        if keep is None:
            setattr(doc, name, None)  # the Structs of a kind go as soon as its records are built
    # Every ':' of the text is a member's or inside a string (written as itself: '\u003a' declined
    # above), so the text holds as many as the members and the strings decoded iff no object holds
    # a key twice (the decoder keeps the last one; a key twice holds one ':' more at least).
    # A quick "yes" first: the text holds a ':' per member decoded (no string holds one).
    colons = raw.count(b":")
    if colons != count.members and (colons < count.members or not count.colons_are(colons - count.members)):
        raise _Doubt
    if escaped and any(CONTROL.search("".join(col)) for col in count.all_texts()):
        raise _Doubt
    positions = {name: range(len(out[name])) for name in KINDS if name in out}  # each record where it is
    problems = []
    consistency = {name: out[name] for name in positions}  # the domain rules: checked with the records
    refs = count.distinct
    _check_consistency(
        consistency, out, positions, problems, {}, count.columns, rules=False, distinct_refs=refs, keep=count.keep
    )
    if problems:
        raise _Doubt
    if notes is not None:
        notes.extend(_rule_problems(out, positions, strict=False))
    return out
