"""The bounds of the data and the checkers of its values: a JSON value in, (python value,
None) or (None, what is wrong) out. The kinds of record (kinds.py) pick one per field."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ..safetext import control_problem

# The bounds of every value the data may hold, so that whatever validates also computes:
# sums of a year of invoices, shares, dates a year ahead or back never overflow.
MAX_MAGNITUDE = 1e15  # numbers: below a thousand trillion either way (the forms refuse the same)
NUMBER_RANGE = f"between -{MAX_MAGNITUDE:.0e} and {MAX_MAGNITUDE:.0e}".replace("e+", "e")  # for messages
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)
# The longest text a field holds, in characters: a name or an id, a sentence (a journey activity,
# an action's title, a dismissal's reason), a note. What is longer is a paste gone wrong; the
# validator, the import and the forms refuse it, naming the field and the limit.
MAX_NAME = 120
MAX_SENTENCE = 300
MAX_NOTE = 2000
MAX_TERM_DAYS = 3650  # a payment term: ten years at most (a due date must stay a date the data holds)


# --------------------------------------------------------------------------- field checkers
# A checker takes a JSON value and returns (python value, None) or (None, message).

Checker = Callable[[Any], tuple[Any, str | None]]


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


def _show_number(v: int | float) -> str:
    """A number for a message: a huge integer by its size, not its 400 digits."""
    if type(v) is int and abs(v) >= 10**18:
        return f"a number of {len(str(abs(v)))} digits" if abs(v) < 10**4000 else "a number of over 4000 digits"
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


def check_rating(v: Any) -> tuple[Any, str | None]:
    """A meeting's rating: a whole number from 1 to 10 (as EOS meetings rate themselves)."""
    if type(v) is int and 1 <= v <= 10:
        return v, None
    if type(v) is float and v.is_integer() and 1 <= v <= 10:
        return int(v), None
    return None, f"must be a whole number from 1 to 10, got {_show(v)}"


_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|\+00:00)")


def check_time(v: Any) -> tuple[Any, str | None]:
    """A moment in UTC as ISO 8601 text ('2026-12-01T17:22:05Z'), from 1900 to 2199; kept as text."""
    if type(v) is not str:
        return None, f"must be a time as 'YYYY-MM-DDTHH:MM:SSZ' (UTC), got {_type_name(v)}"
    if not _TIME.fullmatch(v):
        return None, f"must be a time as 'YYYY-MM-DDTHH:MM:SSZ' (UTC), got {_show(v)}"
    try:
        moment = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None, f"is not a real time: {_show(v)}"
    err = out_of_range(moment.date())
    return (None, err) if err else (v, None)


MAX_LIST = 500  # the entries of a list of names (attendees, action ids) or an object of numbers


def check_names(v: Any) -> tuple[Any, str | None]:
    """A list of names (people, ids): each one line of text, not empty, at most MAX_NAME characters."""
    if type(v) is not list:
        return None, f"must be a list of names, got {_type_name(v)}"
    if len(v) > MAX_LIST:
        return None, f"has too many entries: at most {MAX_LIST:,}, got {len(v):,}"
    for i, x in enumerate(v):
        if type(x) is not str:
            return None, f"entry {i + 1} must be a string, got {_type_name(x)}"
        if not x.strip():
            return None, f"entry {i + 1} must not be empty"
        if len(x) > MAX_NAME:
            return None, f"entry {i + 1} {too_long(x, MAX_NAME)}"
        err = control_problem(x)
        if err:
            return None, f"entry {i + 1} {err}"
    return list(v), None


def _check_object(v: Any, what: str, value: Checker) -> tuple[Any, str | None]:
    if type(v) is not dict:
        return None, f"must be an object of name -> {what}, got {_type_name(v)}"
    if len(v) > MAX_LIST:
        return None, f"has too many entries: at most {MAX_LIST:,}, got {len(v):,}"
    out: dict[str, Any] = {}
    for k, x in v.items():
        err = control_problem(k) if k.strip() else "must not be empty"
        if err is None and len(k) > MAX_NAME:
            err = too_long(k, MAX_NAME)
        if err is not None:
            return None, f"name {_show(k)} {err}"
        out[k], err = (None, None) if x is None else value(x)
        if err is not None:
            return None, f"{_show(k)} {err}"
    return out, None


def check_scores(v: Any) -> tuple[Any, str | None]:
    """An object of name -> number or null (pillar scores: null is unknown)."""
    return _check_object(v, "number or null", check_number)


def _scalar(v: Any) -> tuple[Any, str | None]:
    if type(v) is bool:
        return v, None
    if type(v) is str:
        if len(v) > MAX_SENTENCE:
            return None, too_long(v, MAX_SENTENCE)
        return check_str(v)
    return check_number(v)


def check_values(v: Any) -> tuple[Any, str | None]:
    """An object of name -> number, text, true/false or null (metrics as they were: null is unknown)."""
    return _check_object(v, "number, text, boolean or null", _scalar)


def one_of(options: tuple[str, ...]) -> Checker:
    """One of ``options`` (the validator adds the suggestion of a close one to the problem)."""
    allowed = ", ".join(repr(o) for o in options)

    def check(v: Any) -> tuple[Any, str | None]:
        if v in options and type(v) is str:
            return v, None
        return None, f"must be one of {allowed}, got {_show(v)}"

    check.options = options  # type: ignore[attr-defined]
    return check


def too_long(v: str, limit: int) -> str:
    """The problem of a text over ``limit`` characters (a field's message: 'is too long: ...')."""
    return f"is too long: at most {limit:,} characters, got {len(v):,}"


def at_most(check: Checker, limit: int) -> Checker:
    """``check``, and a text of at most ``limit`` characters."""

    def inner(v: Any) -> tuple[Any, str | None]:
        if type(v) is str and len(v) > limit:
            return None, too_long(v, limit)
        return check(v)

    inner.__name__ = getattr(check, "__name__", "check")
    return inner


def no_more_than(check: Checker, limit: int) -> Checker:
    """``check``, and a number of at most ``limit`` (days)."""

    def inner(v: Any) -> tuple[Any, str | None]:
        value, err = check(v)
        if err is None and value is not None and value > limit:
            return None, f"is too large: at most {limit:,} days, got {_show_number(value)}"
        return value, err

    inner.__name__ = getattr(check, "__name__", "check")
    return inner


def nullable(check: Checker) -> Checker:
    def inner(v: Any) -> tuple[Any, str | None]:
        if v is None:
            return None, None
        return check(v)

    inner.__name__ = f"nullable_{getattr(check, '__name__', 'check')}"
    inner.wrapped = check  # type: ignore[attr-defined]
    return inner
