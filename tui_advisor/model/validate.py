"""The interchange format's validation and the canonical export, read from the kinds.

One strict, complete validator turns an interchange document (``{"format":
"tui-advisor/agency", ...}``) into records, or reports every problem at once, each a
:class:`~.problems.Problem` naming the record and field (``engagements[3].client: no
client with id 'acme'``). What a field may hold, the keys, the references and the
domain rules come from the definition of each kind (kinds.py).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from ..safetext import CONTROL, control_problem, visible
from .checks import (
    _DATE_CACHE as _DATE_CACHE,
)
from .checks import (
    MAX_MAGNITUDE,
    _show,
    _show_number,
    _type_name,
    check_date,
    check_number,
)
from .kinds import COLLECTIONS, CONTAINERS, KINDS, PROFILE, STEP, Field, Kind
from .problems import Problem, ValidationError, suggest
from .records import Agency, AgencyData, Settings

FORMAT = "tui-advisor/agency"
VERSION = 1

FieldSpec = Field  # the validator's name of a field, before the kinds
AGENCY_FIELDS = PROFILE.fields
STEP_FIELDS = STEP.fields
SPECS: dict[str, tuple[Field, ...]] = {name: kind.fields for name, kind in KINDS.items()}
RECORD_TYPES: dict[str, type] = {name: kind.record for name, kind in KINDS.items()}
TOP_LEVEL_KEYS = ("format", "version", "agency", "settings", *COLLECTIONS)
SETTINGS_KEYS = ("disable", "params")
_MISSING = object()
_BAD = object()
_REFERENCED = {target for kind in KINDS.values() for target in kind.references.values()}  # kinds referred to
_CONTAINERS = {name: tuple(f.name for f in kind.fields if f.type in CONTAINERS) for name, kind in KINDS.items()}


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


def _mark_long(column: list[Any], limit: int | None) -> list[Any]:
    """A column of texts with _BAD where one is longer than ``limit``: one pass over the lengths
    when none is (the common case), so that the checker words the problem."""
    if limit is None:
        return column
    try:
        longest = max(map(len, column), default=0)
    except TypeError:  # None, a default or _BAD among the texts
        longest = max((len(v) for v in column if type(v) is str), default=0)
    if longest <= limit:
        return column
    return [_BAD if type(v) is str and len(v) > limit else v for v in column]


def _unknown(kind: str, index: int | None, field: str | None, key: Any, known: Sequence[str] | set[str]) -> Problem:
    return Problem(kind, field, f"unknown field {key!r}", index=index, suggestion=suggest(str(key), known))


def _check_record(
    rec: Any,
    specs: tuple[Field, ...],
    kind: str,
    index: int | None,
    problems: list[Problem],
    extra_keys: tuple[str, ...] = (),
    prefix: str = "",
) -> dict[str, Any] | None:
    """Check one record against its fields; return python values or None.

    ``kind``, ``index``: where the record is (for the problems); ``prefix``: a nested
    record's place in it (``steps[2].``). The common, valid values are accepted inline
    (this runs for every field of every record: 200,000 invoices must validate in well
    under a second); anything else goes through the field's checker, which words the problem.
    """
    whole = prefix[:-1] or None  # the record itself: 'steps[2]', or None for a top-level one
    if type(rec) is not dict:
        problems.append(Problem(kind, whole, f"must be an object, got {_type_name(rec)}", index=index))
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
                problems.append(Problem(kind, prefix + name, "is required", index=index))
                ok = False
            else:
                out[name] = spec.default
            continue
        present += 1
        if v is None and spec.nullable:
            out[name] = None
            continue
        fast = spec.fast
        t = type(v)
        if fast == "date":
            if t is str:
                d = dates.get(v)
                if d is not None:
                    out[name] = d
                    continue
        elif fast == "nestr":
            limit = spec.max_length  # every text has one
            if t is str and v and limit is not None and len(v) <= limit and not v.isspace() and not control(v):
                out[name] = v
                continue
        elif fast == "money":
            if (t is int or t is float) and 0 <= v < MAX_MAGNITUDE:  # also: not NaN
                out[name] = v
                continue
        elif fast == "num":
            if (t is int or t is float) and -MAX_MAGNITUDE < v < MAX_MAGNITUDE:
                out[name] = v
                continue
        elif fast == "str":  # noqa: SIM102 (one branch per type, as above)
            limit = spec.max_length
            if t is str and limit is not None and len(v) <= limit and not control(v):
                out[name] = v
                continue
        value, err = spec.check(v)
        if err is not None:
            close = suggest(v, spec.choices) if spec.choices and isinstance(v, str) else None
            problems.append(Problem(kind, prefix + name, err, index=index, suggestion=close))
            ok = False
        else:
            out[name] = value
    if present != len(rec):
        known = [s.name for s in specs] + list(extra_keys)
        for key in rec:
            if key not in known:
                problems.append(_unknown(kind, index, whole, key, known))
                ok = False
    return out if ok else None


def _fast_column(spec: Field, col: Sequence[Any]) -> list[Any]:
    """Convert one field of every record at once; _BAD where the field's checker must look.

    List comprehensions over a column are several times faster than a loop per
    record, which is what lets a 200,000-invoice file validate in well under a second.
    """
    fast, nullable, default, required, missing = spec.fast, spec.nullable, spec.default, spec.required, _MISSING
    bad = _BAD

    def tail(v: Any) -> Any:
        if v is None and nullable:
            return None
        if v is missing and not required:
            return default
        return bad

    if fast == "date":
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
    if fast == "nestr":
        column = [v if type(v) is str and v and not v.isspace() else tail(v) for v in col]
        return _mark_controls(_mark_long(column, spec.max_length))
    if fast == "str":
        return _mark_controls(_mark_long([v if type(v) is str else tail(v) for v in col], spec.max_length))
    top = MAX_MAGNITUDE
    if fast == "money":
        return [v if (type(v) is int or type(v) is float) and 0 <= v < top else tail(v) for v in col]
    if fast == "num":
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
    kind: str, raw: list[Any], specs: tuple[Field, ...], cls: type, problems: list[Problem]
) -> tuple[list[Any], list[int]]:
    """Validate a collection column by column; records with a problem get the per-record check,
    which words every problem. Returns the records and their positions in ``raw``."""
    slow: Sequence[int]
    if raw and set(map(type, raw)) != {dict}:
        slow = range(len(raw))
        columns: list[list[Any]] = []
    else:
        names = frozenset(s.name for s in specs)
        dense = [s.name for s in specs if not s.sparse]  # a file leaves a sparse one (a note) out while empty
        fields_present: set[int] | None = None  # how many fields every record holds, when that is known
        try:  # records with every field (an export, a generated file): one C-level pass
            got = dict(zip(dense, zip(*map(operator.itemgetter(*dense), raw)))) if dense else {}
            every_field = bool(got)
        except KeyError:
            every_field = False
        if every_field:
            columns = []
            fields_present = {len(dense)}
            for s in specs:
                if not s.sparse:
                    columns.append(_fast_column(s, got[s.name]))  # a tuple, one field of every record
                    continue
                col = [r.get(s.name, _MISSING) for r in raw]
                missing = col.count(_MISSING)
                if missing == len(raw):  # the common case: no record holds it, none a wrong one
                    columns.append([s.default] * len(raw))
                    continue
                columns.append(_fast_column(s, col))
                fields_present = {n + 1 for n in fields_present} if missing == 0 else None
                if fields_present is None:
                    break
            if fields_present is None:
                columns = columns + [
                    _fast_column(s, [r.get(s.name, _MISSING) for r in raw]) for s in specs[len(columns) :]
                ]
        else:
            columns = [_fast_column(s, [r.get(s.name, _MISSING) for r in raw]) for s in specs]
        if every_field and fields_present is not None and set(map(len, raw)) == fields_present:
            flagged: set[int] = set()  # every record has exactly the known fields
        else:
            flagged = {i for i, r in enumerate(raw) if not r.keys() <= names}
        for c in columns:
            if _BAD in c:
                flagged.update(i for i, v in enumerate(c) if v is _BAD)
        slow = sorted(flagged)
    for i in slow:
        _check_record(raw[i], specs, kind, i, problems)
    if not columns:
        return [], []
    order = [s.name for s in specs]
    by_field = [columns[order.index(f)] for f in cls.__dataclass_fields__]  # type: ignore[attr-defined]
    skip = set(slow)
    if not skip:
        return list(map(cls, *by_field)), list(range(len(raw)))
    rows = [(i, vals) for i, vals in enumerate(zip(*by_field)) if i not in skip]
    return [cls(*vals) for _, vals in rows], [i for i, _ in rows]


def _check_nested(
    kind: Kind, name: str, nested: Kind, raw: Any, index: int, problems: list[Problem]
) -> list[Any] | None:
    """A list of nested records (an action's steps); None when one has a problem."""
    if raw is _MISSING or raw is None:
        return []
    if type(raw) is not list:
        problems.append(Problem(kind.name, name, f"must be a list, got {_type_name(raw)}", index=index))
        return None
    records: list[Any] = []
    ok = True
    for j, s in enumerate(raw):
        vals = _check_record(s, nested.fields, kind.name, index, problems, prefix=f"{name}[{j}].")
        if vals is None:
            ok = False
            continue
        record = nested.record(**vals)
        broken = [r for r in nested.rules if r.strict and r.find((record,))]  # a snooze's date, a dismissal's reason
        for r in broken:
            problems.append(Problem(kind.name, f"{name}[{j}].{r.field}", r.message(record), index=index))
        ok = ok and not broken
        records.append(record)
    return records if ok else None


def _check_settings(raw: Any, problems: list[Problem]) -> Settings:
    settings = Settings()
    if raw is _MISSING or raw is None:
        return settings

    def problem(field: str | None, message: str, suggestion: str | None = None) -> None:
        problems.append(Problem("settings", field, message, suggestion=suggestion))

    if type(raw) is not dict:
        problem(None, f"must be an object, got {_type_name(raw)}")
        return settings
    for key in raw:
        if key not in SETTINGS_KEYS:
            problem(None, f"unknown field {key!r}", suggest(str(key), SETTINGS_KEYS))
    disable = raw.get("disable", [])
    if type(disable) is not list or not all(type(x) is str and x for x in disable):
        problem("disable", "must be a list of rule ids or prefixes")
    elif any(CONTROL.search(x) for x in disable):
        i, err = next((i, control_problem(x)) for i, x in enumerate(disable) if CONTROL.search(x))
        problem("disable", f"entry {i + 1} {err}")
    else:
        settings.disable = list(disable)
    params = raw.get("params", {})
    if type(params) is not dict:
        problem("params", "must be an object of rule id -> {parameter: number}")
        return settings
    for rule_id, values in params.items():
        err = control_problem(rule_id) or next(  # a rule id or a parameter name: no control characters
            (
                f"parameter '{visible(k)}' {control_problem(k)}"
                for k in (values if type(values) is dict else ())
                if CONTROL.search(k)
            ),
            None,
        )
        if err:
            problem(f"params.{visible(rule_id)}", err)
            continue
        if type(values) is not dict:
            problem(f"params.{rule_id}", "must be an object of parameter -> number")
            continue
        clean: dict[str, float] = {}
        for pname, pval in values.items():
            num, err = check_number(pval)
            if err:
                problem(f"params.{rule_id}.{pname}", err)
            else:
                clean[pname] = num
        settings.params[rule_id] = clean
    return settings


def validate_document(
    doc: Any, *, partial: bool = False, known_ids: dict[str, Any] | None = None, notes: list[Problem] | None = None
) -> dict[str, Any]:
    """Check a whole interchange document; raise :class:`ValidationError` with every problem.

    Returns ``{"agency": Agency | None, "settings": Settings | None, kind: [records]}``
    holding only the parts present in ``doc`` (a missing collection is absent, so a
    merging import leaves it untouched).

    ``partial``: the agency section may be left out (a merging import).
    ``known_ids``: what is already stored, which references may point to (a merging
    import; see ``kinds.known_ids``).
    ``notes``: when given, gets what the data format allows but the app's forms ask for
    (the domain rules that are not strict: a won inquiry's decision date).
    """
    problems: list[Problem] = []
    if type(doc) is not dict:
        raise ValidationError([Problem("document", None, f"must be a JSON object, got {_type_name(doc)}")])
    fmt = doc.get("format", _MISSING)
    if fmt is _MISSING:
        problems.append(Problem("format", None, f"is required and must be {FORMAT!r}"))
    elif fmt != FORMAT:
        problems.append(Problem("format", None, f"must be {FORMAT!r}, got {_show(fmt)} (is this a tui-advisor file?)"))
    version = doc.get("version", _MISSING)
    if version is _MISSING:
        problems.append(Problem("version", None, f"is required (this program reads version {VERSION})"))
    elif type(version) is not int:
        problems.append(Problem("version", None, f"must be a whole number, got {_show(version)}"))
    elif version > VERSION:
        problems.append(
            Problem(
                "version",
                None,
                f"{_show_number(version)} is newer than this program understands ({VERSION}); upgrade tui-advisor",
            )
        )
    elif version < 1:
        problems.append(Problem("version", None, f"must be {VERSION}, got {_show_number(version)}"))
    for key in doc:
        if key not in TOP_LEVEL_KEYS:
            problems.append(_unknown("document", None, None, key, TOP_LEVEL_KEYS))

    out: dict[str, Any] = {}
    positions: dict[str, list[int]] = {}
    raw_agency = doc.get("agency", _MISSING)
    if raw_agency is _MISSING:
        if not partial:
            problems.append(Problem("agency", None, 'is required (at least {"name": ...})'))
    else:
        vals = _check_record(raw_agency, AGENCY_FIELDS, "agency", None, problems)
        if vals is not None:
            out["agency"] = Agency(**vals)
    if doc.get("settings") is not None:
        out["settings"] = _check_settings(doc["settings"], problems)

    for name, kind in KINDS.items():
        raw = doc.get(name, _MISSING)
        if raw is _MISSING or raw is None:
            continue
        if type(raw) is not list:
            problems.append(Problem(name, None, f"must be a list, got {_type_name(raw)}"))
            continue
        if not kind.nested:
            out[name], positions[name] = _check_collection(name, raw, kind.fields, kind.record, problems)
            continue
        records = []
        where: list[int] = []
        extra = tuple(kind.nested)
        for i, rec in enumerate(raw):
            vals = _check_record(rec, kind.fields, name, i, problems, extra)
            if vals is None:
                continue
            for field in _CONTAINERS[name]:  # a default list or object is the record's own, not shared
                vals[field] = vals[field].copy()
            for field, nested in kind.nested.items():
                inner = _check_nested(kind, field, nested, rec.get(field, _MISSING), i, problems)
                if inner is None:
                    vals = None
                    break
                vals[field] = inner
            if vals is None:
                continue
            records.append(kind.record(**vals))
            where.append(i)
        out[name] = records
        positions[name] = where

    _check_consistency(doc, out, positions, problems, known_ids or {})
    if problems:
        raise ValidationError(problems)
    if notes is not None:
        notes.extend(_rule_problems(out, positions, strict=False))
    return out


def _rule_problems(out: dict[str, Any], positions: Mapping[str, Sequence[int]], *, strict: bool) -> list[Problem]:
    """The domain rules of each record (strict: those of the data format; else those the forms add),
    in the order of the records, each record's in the order of its kind's rules."""
    found: list[tuple[str, int, int, Problem]] = []
    for name, kind in KINDS.items():
        records = out.get(name)
        if not records:
            continue
        where = positions[name]
        for r, rule in enumerate(kind.rules):
            if rule.strict != strict:
                continue
            for i in rule.find(records):
                found.append((name, where[i], r, Problem(name, rule.field, rule.message(records[i]), index=where[i])))
    order = {name: n for n, name in enumerate(KINDS)}
    found.sort(key=lambda hit: (order[hit[0]], hit[1], hit[2]))
    return [p for *_, p in found]


def _check_consistency(
    doc: dict[str, Any],
    out: dict[str, Any],
    positions: Mapping[str, Sequence[int]],
    problems: list[Problem],
    known: dict[str, Any],
    columns: dict[tuple[str, str], Sequence[Any]] | None = None,
    *,
    rules: bool = True,
    distinct_refs: dict[tuple[str, str], set[Any]] | None = None,
    keep: list[Any] | None = None,
) -> None:
    """Unique keys, references between records, and the domain rules of each record.
    ``columns``: (kind, field) -> that field of every record, when the caller has them (fastdecode:
    a key among them holds no null, the decoder's types say so);
    ``rules``: False when the caller has checked the domain rules itself (fastdecode, over columns);
    ``distinct_refs``: (kind, field) -> the distinct values of a reference but null, when the caller has them;
    ``keep``: a list that takes the sets of ids instead of freeing them (see fastdecode.decode_document)."""

    given = frozenset(columns or ())  # the caller's columns: a key column among them holds no null
    columns = {} if columns is None else columns

    def column(kind: str, name: str) -> Sequence[Any]:
        """One field of every record, aligned with the raw list: from the validated records
        when all of them validated (fast), else from the raw ones, None where not a string."""
        known = columns.get((kind, name))
        if known is not None:
            return known
        raw = doc.get(kind)
        if type(raw) is not list:
            return []
        records = out.get(kind, [])
        if len(records) == len(raw):
            values = list(map(operator.attrgetter(name), records))
        else:
            values = [v if type(r) is dict and type(v := r.get(name)) is str else None for r in raw]
        columns[(kind, name)] = values
        return values

    ids: dict[str, dict[str, int]] = {}
    for name, kind in KINDS.items():
        if len(kind.key) != 1:
            continue
        key = kind.key[0]
        values = column(name, key)
        if (name, key) in given:
            present = values
        else:
            present = [v for v in values if v is not None] if None in values else values  # a scan in C first
        # one pass in C: the ids another kind refers to (in order: suggestions read them so), else a set
        # (twice as fast as a dict on 200,000 invoice ids); whether one repeats
        distinct: Any = dict.fromkeys(present, 0) if name in _REFERENCED else set(present)
        if len(distinct) != len(present):
            seen: dict[Any, int] = {}
            for i, v in enumerate(values):
                if v is None:
                    continue
                if v in seen:
                    field, message = kind.twice(v, seen[v], name)  # a date, or the text of one that did not
                    problems.append(Problem(name, field, message, index=i))  # validate (its own problem says so)
                else:
                    seen[v] = i
        if kind.has_ids:
            ids[name] = distinct
        if keep is not None:
            keep.append(distinct)

    # records keyed by two fields: one record per key
    for name, kind in KINDS.items():
        if len(kind.key) < 2:
            continue
        first: dict[Any, int] = {}
        for i, rec in zip(positions.get(name, ()), out.get(name, ()), strict=False):
            key = kind.record_key(rec)
            if key in first:
                field, message = kind.twice(rec, first[key], name)
                problems.append(Problem(name, field, message, index=i))
            else:
                first[key] = i

    def known_set(kind: str) -> set[str] | dict[str, int]:
        mine = ids.get(kind, {})
        extra = known.get(kind)
        if extra:
            return set(mine) | extra
        return mine

    for name, kind in KINDS.items():
        for field, target in kind.references.items():
            targets = known_set(target)
            label = KINDS[target].label
            values = column(name, field)
            shared = kind.agrees.get(field)
            if shared is None:
                # the distinct values first (a few hundred clients in 200,000 invoices): all known, or
                # only null or blank ones not (no problem of a reference: their own problem says so)
                known_values = (distinct_refs or {}).get((name, field))
                if known_values is None:
                    known_values = set(values)
                if all(not v or not v.strip() for v in known_values if v not in targets):
                    continue
                for i in [i for i, v in enumerate(values) if v not in targets]:
                    v = values[i]
                    if v and v.strip():
                        problems.append(
                            Problem(name, field, f"no {label} with id {v!r}", index=i, suggestion=suggest(v, targets))
                        )
                continue
            # the referenced record shares a field with this one (an invoice's engagement is of its client):
            # the stored records first, so that an imported one may change it
            owner = dict(known.get(f"{target}.{shared}", {}))
            owner.update({r.id: getattr(r, shared) for r in out.get(target, [])})
            mine = column(name, shared)
            if type(mine) is not list:
                mine = list(mine)
            distinct_values = (distinct_refs or {}).get((name, field))
            if distinct_values is None:
                distinct_values = set(values)
                distinct_values.discard(None)
            # in C: every value is a known one and its record's field agrees (owner.get(None, m) is m;
            # two lists compared, with no call per item)
            if distinct_values <= owner.keys():
                theirs = list(map(owner.get, values, mine))
                if keep is not None:
                    keep.append(theirs)
                if theirs == mine:
                    continue  # every (engagement, client) agrees
            for i in [i for i, v in enumerate(values) if v is not None and (v not in owner or owner[v] != mine[i])]:
                v, m = values[i], mine[i]
                if not v.strip():
                    continue
                if v not in targets:
                    problems.append(
                        Problem(name, field, f"no {label} with id {v!r}", index=i, suggestion=suggest(v, targets))
                    )
                elif m and owner.get(v) not in (None, m):
                    article = "an" if label[0] in "aeiou" else "a"
                    problems.append(
                        Problem(
                            name, field, f"{v!r} is {article} {label} of {shared} {owner[v]!r}, not of {m!r}", index=i
                        )
                    )

    if rules:
        problems.extend(_rule_problems(out, positions, strict=True))


def record_problems(kind: str, record: Any, known: dict[str, Any] | None = None) -> list[Problem]:
    """Every domain problem of one record about to be saved (a form's): the rules of its kind,
    strict or not (a won inquiry's decision date), and with ``known`` (``kinds.known_ids``, or
    ids of the open data), its references. Problems name the field, and the record by its key."""
    k = KINDS[kind]
    found = k.rule_problems(record)
    for field, target in k.references.items() if known is not None else ():
        value = getattr(record, field)
        targets = (known or {}).get(target) or set()
        if value is not None and value.strip() and value not in targets:
            found.append(
                Problem(
                    kind,
                    field,
                    f"no {KINDS[target].label} with id {value!r}",
                    key=k.key_of(record),
                    suggestion=suggest(value, targets),
                )
            )
    return found


# --------------------------------------------------------------------------- export


def _json_value(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    return v


_SPARSE = {name: tuple(f for f in kind.fields if f.sparse) for name, kind in KINDS.items()}
_NESTED_SPARSE = {
    n.name: tuple(f for f in n.fields if f.sparse) for kind in KINDS.values() for n in kind.nested.values()
}


def record_to_json(kind: str, rec: Any, *, sparse: bool = False) -> dict[str, Any]:
    """A record as the format writes it: every field (an export); with ``sparse``, as the data
    file stores it, without the sparse fields that hold their default (an empty note)."""
    k = KINDS[kind]
    out = {spec.name: _json_value(getattr(rec, spec.name)) for spec in k.fields}
    for field in _CONTAINERS[kind]:  # a copy: the JSON shares no list or object with the record
        out[field] = out[field].copy()
    for name, nested in k.nested.items():
        rows = [{s.name: _json_value(getattr(r, s.name)) for s in nested.fields} for r in getattr(rec, name)]
        if sparse:  # a step without an owner, a decision without a note: left out while empty
            for row in rows:
                for spec in _NESTED_SPARSE[nested.name]:
                    if row[spec.name] == spec.default:
                        del row[spec.name]
        out[name] = rows
    if sparse:
        for spec in _SPARSE[kind]:
            if out[spec.name] == spec.default:
                del out[spec.name]
    return out


def agency_to_json(agency: Agency) -> dict[str, Any]:
    return {spec.name: getattr(agency, spec.name) for spec in AGENCY_FIELDS}


def settings_to_json(settings: Settings) -> dict[str, Any]:
    return {"disable": list(settings.disable), "params": {k: dict(v) for k, v in settings.params.items()}}


def to_document(data: AgencyData) -> dict[str, Any]:
    """The canonical interchange document: every field, in the order of the kinds' fields, but
    a sparse field holding its default (an empty note: an export of 200,000 invoices without
    notes holds no 200,000 empty ones)."""
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "agency": agency_to_json(data.agency)}
    doc["settings"] = settings_to_json(data.settings)
    for kind in COLLECTIONS:
        doc[kind] = [record_to_json(kind, r, sparse=True) for r in getattr(data, kind)]
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
    for kind in COLLECTIONS:
        if kind in parts:
            setattr(data, kind, parts[kind])
    return data


def record_key(kind: str, rec: Any) -> Any:
    """The identity of a record for merging: its id, the date of a cash entry,
    or (stage, activity) for a journey activity (see ``Kind.record_key``)."""
    return KINDS[kind].record_key(rec)


def referrers(kind: str, key: Any, docs: Callable[[str], list[dict[str, Any]]]) -> list[tuple[str, int]]:
    """How many stored records of each kind refer to the record ``key`` of ``kind`` (a record still
    referred to keeps its id and is not deleted); ``docs(kind)``: the stored JSON records."""
    counts = []
    for other, field in KINDS[kind].referenced_by:
        n = sum(1 for d in docs(other.name) if d.get(field) == key)
        if n:
            counts.append((other.name, n))
    return counts


def frozen_problems(kind: str, key: Any, before: Any, after: Any) -> list[Problem]:
    """Why the stored record ``before`` (JSON, its ``_m`` ignored) may not become ``after`` (None: be
    deleted): a kind whose records never change once closed (``Kind.frozen``: a closed review)."""
    rule = KINDS[kind].frozen
    if rule is None or not isinstance(before, dict):
        return []
    clean = {k: v for k, v in before.items() if k != "_m"}
    message = rule.problem(clean, after)
    return [] if message is None else [Problem(kind, rule.field, message, key=key)]


def change_problems(
    kind: str, key: Any, before: dict[str, Any], after: dict[str, Any], docs: Callable[[str], list[dict[str, Any]]]
) -> list[Problem]:
    """What changing a stored record (JSON ``before`` -> ``after``) breaks: a record that never changes
    (a closed review: ``frozen_problems``), or in the records that refer to it, a field they must share
    with it (an invoiced engagement cannot move to another client)."""
    found = frozen_problems(kind, key, before, after)
    label = KINDS[kind].label
    for other, field in KINDS[kind].referenced_by:
        shared = other.agrees.get(field)
        if shared is None or before.get(shared) == after.get(shared):
            continue
        n = sum(1 for d in docs(other.name) if d.get(field) == key)
        if n:
            found.append(
                Problem(
                    kind,
                    shared,
                    f"has {n} {other.name} of its {shared}: it cannot move to another "
                    f"{shared} (add a new {label} instead)",
                    key=key,
                )
            )
    return found
