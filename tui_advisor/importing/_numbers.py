"""A stand-in for ``tui_advisor.numbers.read_amount`` (owner: the "numbers" part) until it is in
git: the same signature and error, for the CSV import to code against. Deleted once it lands."""

from __future__ import annotations

import re

_CURRENCY = re.compile(r"^(?:€|\$|£|EUR|USD|GBP)\s*|\s*(?:€|\$|£|EUR|USD|GBP)$", re.IGNORECASE)


class NumberError(ValueError):
    def __init__(self, message: str, other: float | None = None):
        super().__init__(message)
        self.other = other


def _strict(text: str, decimal: str) -> float | None:
    group = "." if decimal == "," else ","
    g, d = re.escape(group), re.escape(decimal)
    if re.fullmatch(rf"\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?|\d+(?:{d}\d+)?|{d}\d+", text):
        return float(text.replace(group, "").replace(decimal, "."))
    return None


def read_amount(text: str, decimal: str = ".", *, label: str = "amount") -> float:
    s = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s.startswith("-") or s.startswith("\u2212"):
        negative, s = not negative, s[1:].strip()
    s = _CURRENCY.sub("", s).strip()
    if s.startswith("-"):
        negative, s = not negative, s[1:].strip()
    s = s.replace(" ", "") if re.fullmatch(r"[\d ]+(?:[.,]\d+)?", s) else s
    value = _strict(s, decimal)
    style = "1.234,56" if decimal == "," else "1,234.56"
    if value is None:
        other = _strict(s, "." if decimal == "," else ",")
        if other is not None:
            o = -other if negative else other
            raise NumberError(
                f"{text.strip()!r} is not an amount in the style {style}; read with "
                f"{'.' if decimal == ',' else ','!r} as the decimal mark it would be {o:g}",
                o,
            )
        raise NumberError(f"{text.strip()!r} is not an amount (expected a number like {style})", None)
    # an amount with one group separator and three digits fits both readings only in form; the
    # strict reading (the profile's) wins, and a lone group of three after the decimal mark is fine
    return -value if negative else value
