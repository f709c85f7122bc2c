"""tui_advisor.numbers: amounts read strictly in a number style, written back, the agency's style.

The properties: any amount (two decimals, within model.MAX_MAGNITUDE) written in either
style (grouped or not, with a currency sign or code, signed, as a credit note) reads back
exactly in that style; read in the other style it is either the same number (no mark
that could differ), or refused with the first style's value as ``.other``, or (the one
text that fits both: three decimals against a thousands group) a value that the other
style's writing of it would also give, never anything else; any text at all is either
read or refused with NumberError.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tui_advisor import model
from tui_advisor.numbers import (
    STYLES,
    NumberError,
    read,
    read_amount,
    show_amount,
    show_decimal,
    style_for,
    style_name,
)

# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize(
    "text, decimal, expected",
    [
        ("97.250", ",", 97250),
        ("97.250", ".", 97.25),
        ("97,250", ".", 97250),
        ("97,250", ",", 97.25),
        ("1.234,56", ",", 1234.56),
        ("1,234.56", ".", 1234.56),
        ("1234,56", ",", 1234.56),
        ("1 234,56", ",", 1234.56),
        ("1\u00a0234,56", ",", 1234.56),
        ("1\u202f234,56", ",", 1234.56),
        ("1\u2009234.56", ".", 1234.56),
        ("1'234.56", ".", 1234.56),
        ("1’234,56", ",", 1234.56),
        ("1_234", ".", 1234),
        ("1.250.000", ",", 1250000),
        ("€ 1.234,56", ",", 1234.56),
        ("€1.234,56", ",", 1234.56),
        ("1.234,56 €", ",", 1234.56),
        ("EUR 1.234,56", ",", 1234.56),
        ("1.234,56 eur", ",", 1234.56),
        ("$1,234.56", ".", 1234.56),
        ("£ 12", ".", 12),
        ("-300", ",", -300),
        ("+300", ",", 300),
        ("\u2212300", ".", -300),
        ("-€ 300", ",", -300),
        ("€ -300", ",", -300),
        ("300-", ".", -300),
        ("1.234,56-", ",", -1234.56),
        ("(300)", ".", -300),
        ("(€ 1.234,56)", ",", -1234.56),
        ("  42  ", ".", 42),
        ("0", ",", 0),
        ("0,05", ",", 0.05),
        ("-0", ".", 0),
    ],
)
def test_read_amount_as_people_write_it(text, decimal, expected):
    assert read_amount(text, decimal) == expected


@pytest.mark.parametrize(
    "text, decimal, other, grouped",
    [
        ("97.25", ",", 97.25, 9725),
        ("1.2345", ",", 1.2345, 12345),
        ("12500.50", ",", 12500.5, None),
        ("1,234.56", ",", 1234.56, None),
        ("1.234,56", ".", 1234.56, None),
        ("12,50", ".", 12.5, 1250),
        ("-97.25", ",", -97.25, -9725),
        ("(12,50)", ".", -12.5, -1250),
        ("€ 1,234.56", ",", 1234.56, None),
    ],
)
def test_a_text_of_the_other_style_is_refused_with_both_readings(text, decimal, other, grouped):
    with pytest.raises(NumberError) as exc:
        read_amount(text, decimal, label="Balance")
    err = exc.value
    assert isinstance(err, ValueError)
    assert err.other == other and err.grouped == grouped
    message = str(err)
    assert message.startswith(f"Balance: {text.strip()} is not a number in the style {style_name(decimal)}")
    other_mark = "." if decimal == "," else ","
    # both readings, written in the style asked for (what to type instead)
    assert f"read with '{other_mark}' as the decimal mark it would be {show_decimal(other, decimal)}" in message
    if grouped is not None:
        assert f"with '{other_mark}' grouping thousands {show_decimal(grouped, decimal)}" in message


def test_the_agreed_message_names_the_other_reading():
    with pytest.raises(
        NumberError,
        match=r"97\.25 is not a number in the style 1\.234,56; read with '\.' as the "
        r"decimal mark it would be 97,25, with '\.' grouping thousands 9\.725$",
    ):
        read_amount("97.25", ",", label="Balance")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "12k",
        "1e3",
        "1,2,3",
        "1.2.3,4,5",
        ".5",
        "5.",
        "5,",
        "--3",
        "-(3)",
        "(-3)",
        "-3-",
        "12 50",
        "1 2345",
        "12 345.678 9",
        "1.234 567,00",
        "0x10",
        "nan",
        "inf",
        "12 nan",
        "€ 12 €",
        "EUR 12 USD",
        "1_2",
        "١٢٣",  # Arabic-Indic digits: not what a person types into these forms
        "12\x1b[31m",
        "twelve",
    ],
)
@pytest.mark.parametrize("decimal", [",", "."])
def test_what_is_no_number_in_either_style_is_refused(text, decimal):
    with pytest.raises(NumberError) as exc:
        read_amount(text, decimal, label="Price", example="12500")
    assert str(exc.value) == "Price must be a number, e.g. 12500"
    assert exc.value.other is None


def test_a_control_character_is_never_echoed_raw():
    with pytest.raises(NumberError) as exc:
        read_amount("97.25\x1b", ",")
    assert "\x1b" not in str(exc.value)
    with pytest.raises(NumberError) as exc:
        read_amount("\x1b[2J$ 5", ",", currency="EUR")
    assert "\x1b" not in str(exc.value)


def test_another_currency_is_refused_when_the_currency_is_given():
    assert read_amount("€ 5", ",", currency="EUR") == 5
    assert read_amount("EUR 5", ",", currency="€") == 5
    assert read_amount("$5", ".", currency="CAD") == 5
    assert read_amount("CHF 5", ".", currency="CHF") == 5
    with pytest.raises(NumberError, match=r"^amount: \$ 5 is in \$, but the agency's amounts are in EUR"):
        read_amount("$ 5", ",", currency="EUR")
    with pytest.raises(NumberError, match="is in USD"):
        read_amount("USD 5", ",", currency="EUR")
    assert read_amount("USD 5", ",") == 5  # no currency given: any sign or code is taken off


def test_too_large_is_refused():
    with pytest.raises(NumberError, match="too large"):
        read_amount("9" * 400, ".")
    with pytest.raises(NumberError, match="too large"):
        read_amount("1.000.000.000.000.000", ",")
    assert read_amount("999.999.999.999.999", ",") == 999999999999999
    with pytest.raises(NumberError, match="too large"):  # its nearest float is the bound itself
        read_amount("999.999.999.999.999,99", ",")


def test_a_decimal_mark_is_one_of_two():
    with pytest.raises(ValueError):
        read_amount("1", ";")
    with pytest.raises(ValueError):
        show_amount(1, "")


def test_read_keeps_the_exact_digits_and_the_currency():
    r = read("€ 1.234,50", ",")
    assert (r.digits, r.value, r.currency, r.pointed) == ("1234.50", 1234.5, "€", True)
    r = read("97.250", ",")
    assert (r.digits, r.pointed) == ("97250", False)


@pytest.mark.parametrize(
    "value, decimal, places, expected",
    [
        (97250, ",", 2, "97.250,00"),
        (97250, ".", 2, "97,250.00"),
        (-1234.5, ".", 2, "-1,234.50"),
        (-1234.5, ",", 2, "-1.234,50"),
        (0, ",", 2, "0,00"),
        (-0.001, ",", 2, "0,00"),
        (1234567.891, ".", 0, "1,234,568"),
        (999, ",", 2, "999,00"),
        (1000, ",", 2, "1.000,00"),
    ],
)
def test_show_amount(value, decimal, places, expected):
    assert show_amount(value, decimal, places) == expected


@pytest.mark.parametrize(
    "agency, decimal",
    [
        (SimpleNamespace(currency="EUR"), ","),
        (SimpleNamespace(currency="eur"), ","),
        (SimpleNamespace(currency="€"), ","),
        (SimpleNamespace(currency="USD"), "."),
        (SimpleNamespace(currency="GBP"), "."),
        (SimpleNamespace(currency="CHF"), "."),
        (SimpleNamespace(currency="EUR", number_style="1,234.56"), "."),
        (SimpleNamespace(currency="USD", number_style="1.234,56"), ","),
        (SimpleNamespace(currency="USD", number_style=None), "."),
        (model.Agency(name="x"), ","),  # the default currency is EUR
    ],
)
def test_style_for(agency, decimal):
    assert style_for(agency) == decimal


def test_style_names():
    assert STYLES == {"1.234,56": ",", "1,234.56": "."}
    assert style_name(",") == "1.234,56" and style_name(".") == "1,234.56"


# --------------------------------------------------------------------------- properties

# amounts with cents whose float is below model.MAX_MAGNITUDE (the float of 999,999,999,999,999.99 is the bound)
TOP_CENTS = int(model.MAX_MAGNITUDE) * 100 - 13
CENTS = st.integers(min_value=-TOP_CENTS, max_value=TOP_CENTS)
GROUPS = {",": [".", " ", "\u00a0", "\u202f", "'", ""], ".": [",", " ", "\u00a0", "\u202f", "'", ""]}


def _write(cents: int, decimal: str, group: str, places: int, currency: str, negative_as: str) -> str:
    """An amount written the way a person or an export may write it."""
    d = Decimal(abs(cents)).scaleb(-2)
    whole, _, frac = f"{d:.2f}".partition(".")
    frac = frac[:places] if places else ""
    if places < 2 and Decimal(f"{whole}.{frac or 0}") != d:
        frac = f"{d:.2f}".partition(".")[2]  # never drop cents that are there
    parts = []
    while len(whole) > 3:
        parts.insert(0, whole[-3:])
        whole = whole[:-3]
    parts.insert(0, whole)
    text = group.join(parts) + (decimal + frac if frac else "")
    if currency:
        text = f"{currency} {text}" if currency in ("€", "EUR", "$") else f"{text} {currency}"
    if cents < 0:
        text = {"minus": f"-{text}", "trailing": f"{text}-", "parens": f"({text})"}[negative_as]
    return text


@st.composite
def written_amounts(draw):
    cents = draw(CENTS)
    decimal = draw(st.sampled_from([",", "."]))
    group = draw(st.sampled_from(GROUPS[decimal]))
    places = draw(st.sampled_from([0, 1, 2]))
    currency = draw(st.sampled_from(["", "€", "EUR", "$", "USD", "£"]))
    negative_as = draw(st.sampled_from(["minus", "trailing", "parens"]))
    return cents, decimal, _write(cents, decimal, group, places, currency, negative_as)


@given(written_amounts())
@example((9725000, ",", "97.250"))
@example((9725, ".", "97.25"))
@example((TOP_CENTS, ",", "999.999.999.999.999,87"))
def test_an_amount_written_in_a_style_reads_back_exactly_in_it(case):
    cents, decimal, text = case
    assert read_amount(text, decimal) == float(Decimal(cents).scaleb(-2))


@given(written_amounts())
@example((9725000, ",", "97.250"))
@example((9725, ".", "97.25"))
@example((1250000, ".", "12,500"))
def test_read_in_the_other_style_it_is_refused_or_means_what_that_style_says(case):
    cents, decimal, text = case
    meant = float(Decimal(cents).scaleb(-2))
    other = "." if decimal == "," else ","
    try:
        reading = read(text, other)
    except NumberError as exc:
        # refused: the reading in the first style is offered, or no mark could tell (never a guess)
        assert exc.other is None or exc.other == meant
        return
    if reading.value != meant:
        # it fits both styles: only a whole number with one thousands group (97.250) against three decimals
        assert Decimal(reading.digits) * 1000 == Decimal(cents).scaleb(-2)
        assert len([ch for ch in text if ch in ".,"]) == 1


@given(st.text(max_size=30), st.sampled_from([",", "."]))
@example("97.25", ",")
@example("(€ -1)", ",")
def test_any_text_is_read_or_refused_with_number_error(text, decimal):
    try:
        value = read_amount(text, decimal)
    except NumberError as exc:
        assert exc.other is None or abs(exc.other) < model.MAX_MAGNITUDE
        assert all(ch.isprintable() for ch in str(exc)), "a message shows no control character raw"
        return
    assert abs(value) < model.MAX_MAGNITUDE
    # what was read is written back in the style and reads again as the same value
    assert read_amount(show_decimal(value, decimal), decimal) == value


@given(CENTS, st.sampled_from([",", "."]))
def test_show_amount_reads_back_exactly(cents, decimal):
    value = float(Decimal(cents).scaleb(-2))
    assert read_amount(show_amount(value, decimal), decimal) == value


@given(st.text(alphabet="0123456789.,-+() €$'\u00a0\u202fEURusd", max_size=16), st.sampled_from([",", "."]))
@example("97.25", ",")
@example("1.234,56", ".")
@example("12,500", ",")
def test_the_two_styles_differ_only_where_one_mark_can_mean_either(text, decimal):
    """On texts made of what amounts are made of: the other reading a refusal offers is what the
    other style reads; a text both styles read, each its own way, holds a single '.' or ','."""
    other = "." if decimal == "," else ","
    try:
        value = read_amount(text, decimal)
    except NumberError as exc:
        if exc.other is not None:
            assert read_amount(text, other) == exc.other
        return
    try:
        there = read_amount(text, other)
    except NumberError:
        return
    if there != value:
        assert len([ch for ch in text if ch in ".,"]) == 1
