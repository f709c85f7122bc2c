"""The forms' side of numbers and dates as people write them (headless): dates with English
and Dutch month names, fields reading and showing numbers in the agency's number style
(a stored value put into a form reads back as the same value), the 'read as' text."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_advisor import model
from tui_advisor.forms import KINDS, PROFILE_FIELDS, FieldError, in_style, month_number, parse_date

# --------------------------------------------------------------------------- month names


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 sep 2026", date(2026, 9, 1)),
        ("1 september 2026", date(2026, 9, 1)),
        ("1 September 2026", date(2026, 9, 1)),
        ("1 SEPT 2026", date(2026, 9, 1)),
        ("1 sep. 2026", date(2026, 9, 1)),
        ("1 mrt 2026", date(2026, 3, 1)),
        ("1 maart 2026", date(2026, 3, 1)),
        ("1 mar 2026", date(2026, 3, 1)),
        ("1-mrt-2026", date(2026, 3, 1)),
        ("1/okt/2026", date(2026, 10, 1)),
        ("15 mei 2026", date(2026, 5, 15)),
        ("15 May 2026", date(2026, 5, 15)),
        ("1e mei 2026", date(2026, 5, 1)),
        ("31 december 2026", date(2026, 12, 31)),
        ("sep 1, 2026", date(2026, 9, 1)),
        ("September 1st, 2026", date(2026, 9, 1)),
        ("oct 3 2026", date(2026, 10, 3)),
        ("29 feb 2028", date(2028, 2, 29)),
        ("  1 juli 2026  ", date(2026, 7, 1)),
        ("1 jun 2026", date(2026, 6, 1)),
        ("1 jul 2026", date(2026, 7, 1)),
        ("1 augustus 2026", date(2026, 8, 1)),
        ("1 januari 2026", date(2026, 1, 1)),
    ],
)
def test_a_date_with_a_month_name(text, expected):
    assert parse_date(text, "Issued") == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("1 sepp 2026", "Issued: sepp is not a month name (English or Dutch), e.g. 1 sep 2026 or 1 mrt 2026"),
        ("1 foo 2026", "Issued: foo is not a month name (English or Dutch), e.g. 1 sep 2026 or 1 mrt 2026"),
        ("1 m 2026", "Issued: m is not a month name (English or Dutch), e.g. 1 sep 2026 or 1 mrt 2026"),
        ("1 ma 2026", "Issued: ma could be March or May: write more of the month, e.g. 1 sep 2026"),
        ("1 ju 2026", "Issued: ju could be June or July: write more of the month, e.g. 1 sep 2026"),
        ("31 feb 2026", "Issued: 31 feb 2026 is not a real date"),
        ("30 februari 2026", "Issued: 30 februari 2026 is not a real date"),
        ("1 sep 26", "Issued must be a date, e.g. 2026-11-26 or 26-11-2026"),
        ("sep 2026", "Issued must be a date, e.g. 2026-11-26 or 26-11-2026"),
        ("1 s\x1bp 2026", "Issued must be a date, e.g. 2026-11-26 or 26-11-2026"),
    ],
)
def test_an_unknown_or_ambiguous_month_is_said(text, message):
    with pytest.raises(FieldError) as exc:
        parse_date(text, "Issued")
    assert str(exc.value) == message


def test_a_month_name_with_a_control_character_is_not_echoed_raw():
    with pytest.raises(FieldError) as exc:
        month_number("s\u202eep")
    assert "\u202e" not in str(exc.value)


def test_every_month_by_its_names():
    english = "january february march april may june july august september october november december".split()
    dutch = "januari februari maart april mei juni juli augustus september oktober november december".split()
    for n, (en, nl) in enumerate(zip(english, dutch, strict=True), 1):
        assert month_number(en) == month_number(nl) == month_number(en[:3].upper()) == n
    assert month_number("mrt") == 3 and month_number("okt") == 10 and month_number("mei") == 5


# --------------------------------------------------------------------------- fields in a style

EUR = model.Agency(name="x", currency="EUR")
USD = model.Agency(name="x", currency="USD")
NUMBER_FIELDS = [
    f
    for fields in [k.fields for k in KINDS.values()] + [PROFILE_FIELDS]
    for f in fields
    if f.type in ("number", "signed", "percent", "days")
]


def test_in_style_sets_the_style_of_the_number_fields_only():
    fields = in_style(KINDS["engagements"].fields, EUR)
    assert {f.decimal for f in fields if f.type in ("number", "signed", "percent", "days")} == {","}
    assert {f.decimal for f in fields if f.type not in ("number", "signed", "percent", "days")} == {"."}
    assert {f.decimal for f in in_style(KINDS["engagements"].fields, USD)} == {"."}
    styled = in_style(KINDS["cash"].fields, SimpleNamespace(currency="USD", number_style="1.234,56"))
    assert [f.decimal for f in styled if f.name == "balance"] == [","]


@pytest.mark.parametrize(
    "kind, name, typed, agency, value, reading",
    [
        ("cash", "balance", "97.250", EUR, 97250, "read as 97.250,00 EUR"),
        ("cash", "balance", "97.250", USD, 97.25, "read as 97.25 USD"),
        ("cash", "balance", "(1.250,5)", EUR, -1250.5, "read as -1.250,50 EUR"),
        ("engagements", "hours_per_week", "37,5", EUR, 37.5, "read as 37,5 hours"),
        ("engagements", "rush_fee_pct", "12,5", EUR, 12.5, "read as 12,5%"),
        ("invoices", "amount", "€ 8.000", EUR, 8000, "read as 8.000,00 EUR"),
    ],
)
def test_a_field_reads_in_the_agencys_style_and_says_how(kind, name, typed, agency, value, reading):
    (f,) = [f for f in in_style(KINDS[kind].fields, agency) if f.name == name]
    parsed = f.parse(typed)
    assert parsed == value
    assert f.reading(parsed) == reading


def test_days_are_whole_in_either_style():
    (f,) = [f for f in in_style(PROFILE_FIELDS, EUR) if f.name == "payment_term_days"]
    assert f.parse("1.000") == 1000
    with pytest.raises(FieldError, match="whole number"):
        f.parse("14,5")
    assert f.reading(14) is None  # days need no 'read as'


@given(
    st.sampled_from(NUMBER_FIELDS),
    st.sampled_from([EUR, USD]),
    st.one_of(
        st.integers(min_value=0, max_value=10**14),
        st.floats(min_value=0, max_value=1e14, allow_nan=False, allow_infinity=False),
        st.integers(min_value=0, max_value=10**16).map(lambda c: c / 100),
    ),
)
def test_a_stored_value_put_into_a_form_reads_back_the_same(field, agency, value):
    """An edit form holds f.show(stored value): saving it unchanged must store the same value, in
    either style (1250.5 is shown '1250,5' in a EUR agency, which reads 1250.5 there)."""
    (f,) = in_style((field,), agency)
    if f.type == "days":
        value = int(value)
        if f.maximum is not None:  # a payment term: at most 3,650 days
            value %= f.maximum + 1
    shown = f.show(value)
    assert f.parse(shown) == value
