"""Amounts as people write them, read strictly in a number style.

Two number styles, named by how they write one thousand two hundred thirty-four and
56 cents: ``"1.234,56"`` (the decimal mark is ``,``: Dutch, German, most of Europe) and
``"1,234.56"`` (the decimal mark is ``.``: English). A style is passed around as its
decimal mark, ``","`` or ``"."``.

What is read (:func:`read_amount`):

* digits, with the style's decimal mark and at most one kind of group separator: the
  other style's mark (``.`` in the ``,`` style, ``,`` in the ``.`` style), a space, a
  no-break space (U+00A0), a narrow no-break space (U+202F), a thin space (U+2009), an
  apostrophe (``'`` or ``’``, as in 1'234.56) or an underscore; the first group has one to
  three digits, every other group exactly three; decimals are digits, not grouped;
* a currency sign or code before or after the number: ``€ 1.234,56``, ``1.234,56 EUR``,
  ``$1,234.56``, ``£ 12``; with ``currency=`` given, a sign or code of another currency is
  refused (amounts are never converted);
* a sign: a leading ``-`` (or the minus sign U+2212, or an en dash) or ``+``, before or
  after the currency sign (``-€ 300``, ``€ -300``); credit notes as accounting exports
  write them: a trailing minus (``300-``) or parentheses (``(300)``, ``(€ 1.234,56)``)
  mean a negative amount. Only one of these per amount.

Strict, never guessing: ``97.250`` in the ``,`` style is 97250 (the ``.`` groups
thousands) and in the ``.`` style 97.25; a text that fits only the other style
(``97.25`` in the ``,`` style, ``1,234.56`` in the ``,`` style) is refused with
:class:`NumberError`, whose message gives both readings in the style asked for (read
with the other decimal mark, and with that mark grouping thousands) and whose ``.other``
holds the other style's value. The value is the float nearest to the decimal text
(converted once, from the text: an amount with two decimals reads back exactly what
:func:`show_amount` wrote).

Headless: no terminal, no model import beyond the magnitude bound.

Why not Babel (``babel.numbers.parse_decimal(text, locale, strict=True)``), measured
2026-12-01: its import costs 15 ms and the first locale's data 14 ms more (the start-up
budget is a ratio of a bare Textual app's), and it does not read what this module must:
no currency signs, no space, narrow no-break space or apostrophe groups in the nl
locale, no credit notes; its strict suggestions for ``97.25`` in nl are ``9.725`` and
``97,25`` (useful) but for ``12500.50`` ``1.250.050``. Two fixed styles are a small,
exact grammar; it is here, with property tests (tests/unit/test_numbers.py).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from .model.checks import MAX_MAGNITUDE
from .safetext import visible

__all__ = [
    "MAX_MAGNITUDE",
    "STYLES",
    "NumberError",
    "Reading",
    "read",
    "read_amount",
    "show_amount",
    "show_decimal",
    "show_money",
    "style_for",
    "style_name",
]

# a style's name (the agency's number_style setting) -> its decimal mark
STYLES = {"1.234,56": ",", "1,234.56": "."}
_NAMES = {mark: name for name, mark in STYLES.items()}

# the currencies whose amounts are written in the "," style when the agency sets no style
_COMMA_CURRENCIES = frozenset({"EUR", "€"})

_SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY"}  # "$" is any dollar (USD, CAD, AUD, ...)
_CODES = frozenset(
    "EUR USD GBP CHF CAD AUD NZD SEK NOK DKK ISK PLN CZK HUF RON BGN JPY CNY INR ZAR SGD HKD MXN BRL".split()
)
_SPACES = " \u00a0\u202f\u2009"
_GROUP_MARKS = frozenset(_SPACES + "'’_.,")
_MINUS = "-\u2212\u2013"

_CUR = r"[€$£¥]|[A-Za-z]{3}"


@cache
def _amount() -> re.Pattern[str]:
    """The shape of an amount: signs, currency, the number (compiled on first use: 3 ms of start-up)."""
    return re.compile(
        rf"(?P<s1>[-+\u2212\u2013])?[{_SPACES}]*(?P<c1>{_CUR})?[{_SPACES}]*(?P<s2>[-+\u2212\u2013])?[{_SPACES}]*"
        rf"(?P<num>[0-9](?:[0-9.,'’_{_SPACES}]*[0-9])?)"
        rf"[{_SPACES}]*(?P<c2>{_CUR})?[{_SPACES}]*(?P<s3>-)?"
    )


class NumberError(ValueError):
    """A text that is not an amount in the style asked for. ``other``: its value read in the
    other style (with the other decimal mark), or None when it is no number in either;
    ``grouped``: its value when the mark is taken as a (misplaced) group separator, or None."""

    def __init__(
        self,
        message: str,
        *,
        text: str = "",
        decimal: str = ".",
        other: float | None = None,
        grouped: float | None = None,
    ):
        super().__init__(message)
        self.text = text
        self.decimal = decimal
        self.other = other
        self.grouped = grouped


class Reading:
    """What :func:`read` made of a text: ``digits`` the exact decimal text ('-1234.50', a
    '.' as the point, no grouping), ``value`` its float, ``currency`` the sign or code
    written (None: none), ``pointed`` whether a decimal mark was typed."""

    __slots__ = ("currency", "digits", "pointed", "value")

    def __init__(self, digits: str, currency: str | None):
        self.digits = digits
        self.value = float(digits)
        self.currency = currency
        self.pointed = "." in digits

    def __repr__(self) -> str:
        return f"Reading({self.digits!r}, currency={self.currency!r})"


def _mark(decimal: str) -> str:
    if decimal not in _NAMES:
        raise ValueError(f"a decimal mark is ',' or '.', not {decimal!r}")
    return decimal


def style_name(decimal: str) -> str:
    """'1.234,56' for the ',' style, '1,234.56' for the '.' style."""
    return _NAMES[_mark(decimal)]


def style_for(agency: Any) -> str:
    """The decimal mark of the agency's amounts: its ``number_style`` setting ('1.234,56' ->
    ',', '1,234.56' -> '.'), else from its currency: EUR -> ',', anything else -> '.'."""
    setting = getattr(agency, "number_style", None)
    if setting in STYLES:
        return STYLES[setting]
    currency = str(getattr(agency, "currency", "") or "").strip().upper()
    return "," if currency in _COMMA_CURRENCIES else "."


def _body(num: str, decimal: str) -> str | None:
    """The decimal text ('1234.56') of ``num`` in the style of ``decimal``, or None."""
    group = "." if decimal == "," else ","
    whole, point, frac = num.partition(decimal)
    if point and not (frac and frac.isascii() and frac.isdigit()):
        return None  # '5,' or a second mark or a group in the decimals
    if not whole:
        return None
    marks = {(" " if ch in _SPACES else ch) for ch in whole if not ("0" <= ch <= "9")}
    if marks:
        if len(marks) > 1:
            return None
        (sep,) = marks
        if sep not in _GROUP_MARKS or sep == decimal or (sep in ".," and sep != group):
            return None
        groups = re.split(f"[{_SPACES}]" if sep == " " else re.escape(sep), whole)
        if not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]):
            return None
        whole = "".join(groups)
    return whole + ("." + frac if point else "")


def write_digits(digits: str, decimal: str) -> str:
    """A decimal text ('-1234.5') written in the style: '-1.234,5' or '-1,234.5' (the decimals as given)."""
    sign, rest = ("-", digits[1:]) if digits.startswith("-") else ("", digits)
    whole, point, frac = rest.partition(".")
    group = "." if _mark(decimal) == "," else ","
    whole = whole.lstrip("0") or "0"
    parts: list[str] = []
    while len(whole) > 3:
        parts.insert(0, whole[-3:])
        whole = whole[:-3]
    parts.insert(0, whole)
    return sign + group.join(parts) + (decimal + frac if point else "")


_SWAP_MARKS = str.maketrans(",.", ".,")


def english_in_style(text: str, decimal: str) -> str:
    """A number text written the English way (',' groups, '.' the decimal point: ``f"{x:,.0f}"``) in
    the style of ``decimal``: '136,000.5' -> '136.000,5' with ','; unchanged with '.'. The one swap of
    marks the metrics' texts, the rules' templates and the report's numbers share."""
    return text.translate(_SWAP_MARKS) if decimal == "," else text


def show_amount(value: float, decimal: str, places: int = 2) -> str:
    """``value`` written in the style with ``places`` decimals: 97250 -> '97.250,00' (',') or '97,250.00' ('.')."""
    text = f"{value:.{places}f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")  # no '-0,00'
    return write_digits(text, decimal)


def show_money(value: float, decimal: str) -> str:
    """An amount as a table, a card or the advice shows it, in the style: a whole amount without
    decimals (12500 -> '12.500' or '12,500'), one with cents with both of them (131250.5 ->
    '131.250,50'), one finer than cents with the decimals it has (exactly what it is)."""
    value = float(value)
    if value.is_integer():
        return show_amount(value, decimal, 0)
    if float(f"{value:.2f}") == value:
        return show_amount(value, decimal)
    return show_decimal(value, decimal)


def show_decimal(value: float, decimal: str) -> str:
    """``value`` in the style with the decimals it has (none for a whole number): 12.5 -> '12,5', 40 -> '40'."""
    if float(value).is_integer():
        return write_digits(f"{value:.0f}", decimal)
    text = repr(float(value))
    if "e" in text:
        text = f"{value:.6f}".rstrip("0")
    return write_digits(text, decimal)


def _currency_matches(written: str, currency: str) -> bool:
    want = currency.strip().upper()
    got = written.upper()
    if got == want or _SYMBOLS.get(got) == want or _SYMBOLS.get(want) == got:
        return True
    return got == "$" and (want == "$" or (len(want) == 3 and want.endswith("D")))


def read(
    text: str,
    decimal: str = ".",
    *,
    label: str = "amount",
    currency: str | None = None,
    example: str | None = None,
) -> Reading:
    """``text`` read strictly in the style whose decimal mark is ``decimal`` (see the module's
    description); raises :class:`NumberError` (a ValueError) saying why, with both readings
    when it fits only the other style."""
    _mark(decimal)
    shown = visible(text.strip())
    name = style_name(decimal)
    nothing = NumberError(
        f"{label} must be a number, e.g. {example or ('1.234,56' if decimal == ',' else '1,234.56')}",
        text=text,
        decimal=decimal,
    )
    t = text.strip()
    parens = len(t) >= 2 and t[0] == "(" and t[-1] == ")"
    if parens:
        t = t[1:-1].strip()
    m = _amount().fullmatch(t)
    if m is None:
        raise nothing
    signs = [s for s in (m["s1"], m["s2"], m["s3"]) if s]
    if len(signs) > 1 or (parens and signs) or (m["c1"] and m["c2"]):
        raise nothing
    written = m["c1"] or m["c2"]
    if written is not None and written.isalpha():
        if written.upper() not in _CODES and not (currency and written.upper() == currency.strip().upper()):
            raise nothing  # '12 nan', '5 abc': no currency this reads
        written = written.upper()
    if written is not None and currency and not _currency_matches(written, currency):
        raise NumberError(
            f"{label}: {shown} is in {written}, but the agency's amounts are in {visible(currency)}; "
            "amounts are not converted: type it without the sign, in "
            f"{visible(currency)}",
            text=text,
            decimal=decimal,
        )
    negative = parens or bool(signs and signs[0] in _MINUS)
    num = m["num"]
    digits = _body(num, decimal)
    if digits is None:
        other_mark = "." if decimal == "," else ","
        other = _body(num, other_mark)
        if other is None:
            raise nothing
        grouped = None
        lead = re.match(r"[0-9]*", num)
        if decimal not in num and lead is not None and len(lead.group()) <= 3:
            # '97.25' in the ',' style: the '.' may be a misplaced group separator (9.725)
            plain = "".join(ch for ch in num if "0" <= ch <= "9")
            grouped = plain.lstrip("0") or "0"
        sign = "-" if negative else ""
        message = (
            f"{label}: {shown} is not a number in the style {name}; read with '{other_mark}' as the decimal mark "
            f"it would be {write_digits(sign + other, decimal)}"
        )
        if grouped is not None:
            message += f", with '{other_mark}' grouping thousands {write_digits(sign + grouped, decimal)}"
        raise NumberError(
            message,
            text=text,
            decimal=decimal,
            other=float(sign + other),
            grouped=None if grouped is None else float(sign + grouped),
        )
    if negative and digits.strip("0.") != "":
        digits = "-" + digits
    reading = Reading(digits, written)
    if not abs(reading.value) < MAX_MAGNITUDE:
        raise NumberError(f"{label} is too large: it must be below {MAX_MAGNITUDE:,.0f}", text=text, decimal=decimal)
    return reading


def read_amount(
    text: str,
    decimal: str = ".",
    *,
    label: str = "amount",
    currency: str | None = None,
    example: str | None = None,
) -> float:
    """The amount ``text`` holds, read strictly in the style whose decimal mark is ``decimal``
    ("," reads '1.234,56', "." reads '1,234.56'); see :func:`read`. Raises
    :class:`NumberError`: no number, too large, another currency, or a text that fits only
    the other style (``.other`` its value there, the message giving both readings)."""
    return read(text, decimal, label=label, currency=currency, example=example).value
