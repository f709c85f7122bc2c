"""forms.py: how typed text becomes a value (dates, numbers, every field type), the
records built from form values, and new ids. Headless: no terminal, no store."""

from __future__ import annotations

import re
from dataclasses import fields as dc_fields
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tui_advisor import forms, model
from tui_advisor.forms import (
    KINDS,
    PROFILE_FIELDS,
    FieldDef,
    FieldError,
    build_record,
    new_id,
    parse_date,
    parse_number,
)

# No example database in the repository, no deadline on a busy machine.
PROPERTY = settings(database=None, deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])

ALL_FIELDS: list[FieldDef] = [f for k in KINDS.values() for f in k.fields] + list(PROFILE_FIELDS)
TYPES = sorted({f.type for f in ALL_FIELDS})
SELECT_TYPES = ("score", "choice", "client", "engagement", "yesno", "rule")


def field_of(type_: str, required: bool = False, **kw) -> FieldDef:
    return FieldDef(name=f"f_{type_}", label=f"My {type_} field", type=type_, required=required, **kw)


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    "text", ["2026-11-26", "26-11-2026", "26/11/2026", "26.11.2026", " 26.11.2026 ", "2026-11-26\n"]
)
def test_parse_date_accepts_iso_and_day_month_year(text):
    assert parse_date(text) == date(2026, 11, 26)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2026-1-5", date(2026, 1, 5)),
        ("5-1-2026", date(2026, 1, 5)),
        ("5/1/2026", date(2026, 1, 5)),
        ("05.01.2026", date(2026, 1, 5)),
        ("29.02.2028", date(2028, 2, 29)),  # a leap year
    ],
)
def test_parse_date_single_digits_and_leap_day(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["2026-02-30", "30.02.2026", "31/04/2026", "2026-13-01", "00-01-2026", "29-02-2027", "0000-01-01"]
)
def test_parse_date_impossible_dates_say_so(text):
    with pytest.raises(FieldError) as exc:
        parse_date(text, "Due")
    msg = str(exc.value)
    assert msg == f"Due: {text} is not a real date"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "garbage",
        "tomorrow",
        "26-11-26",
        "2026/11/26",
        "11 26 2026",
        "2026-11-26T10:00",
        "20261126",
        "26112026",
        "2026-11",
        "1e3",
    ],
)
def test_parse_date_garbage_shows_the_formats(text):
    with pytest.raises(FieldError) as exc:
        parse_date(text, "Issued")
    assert str(exc.value) == "Issued must be a date, e.g. 2026-11-26 or 26-11-2026"


def test_parse_date_default_label():
    with pytest.raises(FieldError, match=r"^date must be a date"):
        parse_date("nope")


# --------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    "text,expected",
    [
        ("12500", 12500),
        ("12,500", 12500),
        ("12 500", 12500),
        ("12\u00a0500", 12500),  # a no-break space, as some keyboards and spreadsheets give it
        ("12'500", 12500),
        ("12_500", 12500),
        ("1,250,000", 1250000),
        ("12500.50", 12500.5),
        ("12,500.50", 12500.5),
        ("-300", -300),
        ("+300", 300),
        ("  42  ", 42),
        ("0", 0),
        ("€12", 12),  # a currency sign is taken off (numbers.read_amount)
        ("12 €", 12),
        ("(300)", -300),  # a credit note as an export writes it
    ],
)
def test_parse_number_as_people_type_it(text, expected):
    value = parse_number(text, "Price")
    assert value == expected
    assert type(value) is type(expected)


def test_parse_number_keeps_a_typed_decimal_point_as_float():
    assert parse_number("12500.00") == 12500.0
    assert type(parse_number("12500.00")) is float
    assert type(parse_number("12500")) is int


@pytest.mark.parametrize(
    "text",
    [
        "12k",
        "12K",
        "1e3",
        "1,2,3",
        "€ 12 €",
        "12 nan",
        "twelve",
        "",
        "  ",
        ".5",
        "5.",
        "--3",
        "12 50",
        "0x10",
        "nan",
        "inf",
        "1_2",
    ],
)
def test_parse_number_rejects_what_is_not_a_number(text):
    with pytest.raises(FieldError) as exc:
        parse_number(text, "Price")
    assert str(exc.value) == "Price must be a number, e.g. 12500"


@pytest.mark.parametrize(
    "text, decimal, message",
    [
        (
            "12,50",
            ".",
            "Price: 12,50 is not a number in the style 1,234.56; read with ',' as the decimal mark it "
            "would be 12.50, with ',' grouping thousands 1,250",
        ),
        (
            "12.500,00",
            ".",
            "Price: 12.500,00 is not a number in the style 1,234.56; read with ',' as the decimal "
            "mark it would be 12,500.00",
        ),
        (
            "97.25",
            ",",
            "Price: 97.25 is not a number in the style 1.234,56; read with '.' as the decimal mark it "
            "would be 97,25, with '.' grouping thousands 9.725",
        ),
    ],
)
def test_parse_number_refuses_the_other_style_with_both_readings(text, decimal, message):
    with pytest.raises(FieldError) as exc:
        parse_number(text, "Price", decimal=decimal)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    "text, decimal, expected",
    [
        ("97.250", ",", 97250),
        ("97.250", ".", 97.25),
        ("12,5", ",", 12.5),
        ("1.234,56", ",", 1234.56),
        ("14,0", ",", 14.0),
    ],
)
def test_parse_number_in_a_style(text, decimal, expected):
    value = parse_number(text, "Price", decimal=decimal)
    assert value == expected and type(value) is type(expected)


def test_parse_number_in_a_currency():
    assert parse_number("€ 12", "Price", currency="EUR") == 12
    with pytest.raises(FieldError, match=r"^Price: \$ 12 is in \$, but the agency's amounts are in EUR"):
        parse_number("$ 12", "Price", currency="EUR")


def test_parse_number_names_the_example():
    with pytest.raises(FieldError, match=r"^Balance must be a number, e\.g\. 48000$"):
        parse_number("12k", "Balance", example="48000")


def test_parse_number_bounds_and_whole():
    with pytest.raises(FieldError, match=r"^Hours must be at least 0$"):
        parse_number("-1", "Hours", minimum=0)
    with pytest.raises(FieldError, match=r"^Fee must be at most 100$"):
        parse_number("100.5", "Fee", maximum=100)
    with pytest.raises(FieldError, match=r"^Days must be a whole number, e\.g\. 14$"):
        parse_number("14.5", "Days", whole=True, example="14")
    assert parse_number("14.0", "Days", whole=True) == 14
    assert type(parse_number("14.0", "Days", whole=True)) is int
    assert parse_number("0", "Hours", minimum=0) == 0


def test_parse_number_too_large_is_a_field_error():
    with pytest.raises(FieldError, match="Amount"):
        parse_number("9" * 400, "Amount")


# --------------------------------------------------------------------------- FieldDef.parse, per type


def test_every_field_type_is_covered():
    assert set(TYPES) == {
        "text",
        "number",
        "signed",
        "days",
        "percent",
        "date",
        "score",
        "choice",
        "client",
        "engagement",
        "yesno",
        "rule",
    }


@pytest.mark.parametrize(
    "type_,raw,expected",
    [
        ("text", "  ACME Ltd  ", "ACME Ltd"),
        ("text", "[bold]x[/]", "[bold]x[/]"),
        ("number", "12,500", 12500),
        ("number", "0.5", 0.5),
        ("percent", "25", 25),
        ("signed", "-300", -300),
        ("signed", "48 000", 48000),
        ("days", "14", 14),
        ("days", "14.0", 14),
        ("date", "26.11.2026", date(2026, 11, 26)),
        ("date", "2026-11-26", date(2026, 11, 26)),
        ("score", "3", 3),
        ("score", "5", 5),
        ("choice", "retainer", "retainer"),
        ("client", "c-acme", "c-acme"),
        ("engagement", "e-0001", "e-0001"),
        ("rule", "KEY001", "KEY001"),
        ("yesno", "yes", True),
        ("yesno", "no", False),
    ],
)
def test_field_parse_values(type_, raw, expected):
    value = field_of(type_, options=("retainer", "project")).parse(raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    "type_,raw",
    [(t, raw) for t in ("text", "number", "signed", "days", "percent", "date") for raw in (None, "", "   ")]
    + [(t, raw) for t in SELECT_TYPES for raw in (None, "")],
)  # a Select holds no blanks
def test_field_parse_empty_optional_is_none(type_, raw):
    assert field_of(type_).parse(raw) is None


@pytest.mark.parametrize("type_", ["text", "number", "signed", "days", "percent", "date"])
@pytest.mark.parametrize("raw", [None, "", "  \t "])
def test_field_parse_empty_required_typed_field(type_, raw):
    f = field_of(type_, required=True, example="ex-1")
    with pytest.raises(FieldError) as exc:
        f.parse(raw)
    assert str(exc.value) == f"My {type_} field is required, e.g. ex-1"


def test_field_parse_empty_required_without_example():
    with pytest.raises(FieldError) as exc:
        field_of("text", required=True).parse("")
    assert str(exc.value) == "My text field is required"


@pytest.mark.parametrize("type_", SELECT_TYPES)
@pytest.mark.parametrize("raw", [None, ""])
def test_field_parse_empty_required_select(type_, raw):
    with pytest.raises(FieldError) as exc:
        field_of(type_, required=True).parse(raw)
    assert str(exc.value) == f"My {type_} field is required: pick one"


@pytest.mark.parametrize(
    "type_,raw,message",
    [
        ("number", "-5", "My number field must be at least 0"),
        ("percent", "-1", "My percent field must be at least 0"),
        ("days", "-1", "My days field must be at least 0"),
        ("days", "1.5", "My days field must be a whole number, e.g. 14"),
        ("number", "12k", "My number field must be a number, e.g. 12500"),
        ("signed", "12k", "My signed field must be a number, e.g. 48000"),
        ("days", "two weeks", "My days field must be a number, e.g. 14"),
        ("date", "31.02.2026", "My date field: 31.02.2026 is not a real date"),
        ("date", "soon", "My date field must be a date, e.g. 2026-11-26 or 26-11-2026"),
    ],
)
def test_field_parse_errors_name_the_field(type_, raw, message):
    with pytest.raises(FieldError) as exc:
        field_of(type_).parse(raw)
    assert str(exc.value) == message


def test_field_parse_uses_the_fields_example():
    f = KINDS["engagements"].fields[4]  # Monthly fee, example 8000
    assert f.label == "Monthly fee"
    with pytest.raises(FieldError, match=r"^Monthly fee must be a number, e\.g\. 8000$"):
        f.parse("8k")


def test_yesno_only_yes_is_true():
    f = field_of("yesno")
    assert f.parse("yes") is True
    assert f.parse("no") is False


def test_real_fields_parse_their_own_examples():
    for f in ALL_FIELDS:
        if f.example and f.type not in SELECT_TYPES:
            value = f.parse(f.example)
            assert value is not None, f


# --------------------------------------------------------------------------- FieldDef.show -> parse


@pytest.mark.parametrize(
    "type_,value",
    [
        ("signed", 12500.5),
        ("signed", -300),
        ("number", 8000),
        ("number", 0.5),
        ("days", 14),
        ("days", 12000),
        ("date", date(2026, 11, 26)),
        ("text", "ACME"),
        ("percent", 25),
        ("number", 1250000),
    ],
)
def test_show_then_parse_gives_the_value_back(type_, value):
    f = field_of(type_)
    assert f.parse(f.show(value)) == value


@pytest.mark.parametrize("value", [12345.67, 125000.75, 1234567.5])
def test_show_then_parse_keeps_large_amounts(value):
    f = KINDS["invoices"].fields[3]  # Amount, signed
    assert f.parse(f.show(value)) == value


# --------------------------------------------------------------------------- properties: parse never fails otherwise

TYPED = [f for f in ALL_FIELDS if f.type not in SELECT_TYPES]
TYPED += [
    field_of(t, required=r) for t in ("text", "number", "signed", "days", "percent", "date") for r in (False, True)
]
PICKED = [f for f in ALL_FIELDS if f.type in SELECT_TYPES and f.type != "score"]
PICKED += [
    field_of(t, required=r, options=("a", "b"))
    for t in ("choice", "client", "engagement", "yesno")
    for r in (False, True)
]
SCORES = [f for f in ALL_FIELDS if f.type == "score"] + [field_of("score", required=r) for r in (False, True)]

# arbitrary text, and text that looks like numbers and dates (so that the parsers' inner paths run)
TEXT = st.one_of(
    st.text(),
    st.from_regex(r"[ +\-]?[0-9 ,._'\u00a0]{0,14}", fullmatch=True),
    st.from_regex(r"\s?[0-9]{1,4}[-/.][0-9]{1,4}[-/.][0-9]{1,4}\s?", fullmatch=True),
    st.integers(min_value=-(10**30), max_value=10**30).map(lambda n: f"{n:,}"),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)

RIGHT_TYPE = {
    "text": (str,),
    "number": (int, float),
    "percent": (int, float),
    "signed": (int, float),
    "days": (int,),
    "date": (date,),
    "choice": (str,),
    "client": (str,),
    "engagement": (str,),
    "rule": (str,),
    "yesno": (bool,),
    "score": (int,),
}


def _check_parse(f: FieldDef, raw: str) -> None:
    try:
        value = f.parse(raw)
    except FieldError as exc:
        assert f.label in str(exc), (f, raw, str(exc))
        return
    if value is None:
        assert not f.required, (f, raw)
        assert raw.strip() == "" or f.type in SELECT_TYPES, (f, raw)
        return
    assert isinstance(value, RIGHT_TYPE[f.type]), (f, raw, value)
    assert f.type == "yesno" or type(value) is not bool, (f, raw, value)
    if f.type in ("number", "percent", "days"):
        assert value >= 0
    if f.type == "text":
        assert value == value.strip() and value


@PROPERTY
@given(f=st.sampled_from(TYPED), raw=TEXT)
@example(f=field_of("number"), raw="12k")
@example(f=field_of("date"), raw="2026-02-30")
@example(f=field_of("days", required=True), raw=" ")
def test_typed_fields_parse_or_say_which_field(f, raw):
    _check_parse(f, raw)


@PROPERTY
@given(f=st.sampled_from(PICKED), raw=TEXT)
def test_picked_fields_parse_or_say_which_field(f, raw):
    _check_parse(f, raw)


@PROPERTY
@given(f=st.sampled_from(SCORES), raw=TEXT)
@example(f=field_of("score"), raw="abc")
@example(f=field_of("score"), raw="7")
def test_score_fields_parse_or_say_which_field(f, raw):
    _check_parse(f, raw)
    try:
        value = f.parse(raw)
    except FieldError:
        return
    assert value is None or 1 <= value <= 5


@PROPERTY
@given(raw=TEXT)
def test_parse_date_and_number_raise_only_field_errors(raw):
    for fn in (lambda: parse_date(raw, "When"), lambda: parse_number(raw, "How much")):
        try:
            fn()
        except FieldError as exc:
            assert "When" in str(exc) or "How much" in str(exc)


# --------------------------------------------------------------------------- build_record

VALUES = {
    "cash": {"date": date(2026, 11, 26), "balance": 48000, "note": None},
    "clients": {
        "name": "ACME Ltd",
        "industry": None,
        "enjoy": 4,
        "industry_fit": None,
        "archived": None,
        "note": "met at the fair",
    },
    "engagements": {
        "client": "c-acme",
        "kind": "retainer",
        "start": date(2026, 1, 1),
        "end": None,
        "monthly_fee": 8000,
        "price": None,
        "hours_per_week": None,
        "billing": "monthly",
        "deadline": None,
        "rush_fee_pct": None,
        "name": None,
        "note": None,
    },
    "invoices": {
        "client": "c-acme",
        "engagement": None,
        "issued": date(2026, 11, 1),
        "amount": 8000,
        "total": 9680,
        "due": date(2026, 12, 1),
        "paid": None,
        "note": None,
    },
    "inquiries": {
        "prospect": "Globex",
        "received": date(2026, 11, 20),
        "source": None,
        "status": "new",
        "proposal_sent": None,
        "decided": None,
        "estimated_value": 30000,
        "requested_start": None,
        "deadline": None,
        "rush_fee_pct": None,
        "enjoy": None,
        "industry_fit": 3,
        "budget_ok": True,
        "note": None,
    },
    "journey": {"stage": "discovery", "activity": "Monthly newsletter", "note": None},
    "actions": {"title": "Publish three case studies", "owner": None, "rule": None, "note": None},
}


def test_values_cover_every_kind_and_field():
    assert set(VALUES) == set(KINDS)
    for coll, kind in KINDS.items():
        assert set(VALUES[coll]) == {f.name for f in kind.fields}, coll


@pytest.mark.parametrize("coll", list(KINDS))
def test_build_record_new(coll):
    kind = KINDS[coll]
    rec = build_record(kind, dict(VALUES[coll]), None, set())
    assert type(rec) is model.RECORD_TYPES[coll]
    for name, value in VALUES[coll].items():
        spec = next(s for s in model.SPECS[coll] if s.name == name)
        expected = spec.default if value is None and spec.default is not None else value
        assert getattr(rec, name) == expected, name
    if "id" in {f.name for f in dc_fields(rec)}:
        assert rec.id.startswith(kind.id_prefix + "-")
    # it is a valid record of the interchange format
    js = model.record_to_json(coll, rec)
    known = {
        "clients": {"c-acme"},
        "engagements": set(),
        "invoices": set(),
        "inquiries": set(),
        "actions": set(),
        "engagement_client": {},
    }
    model.validate_document(
        {"format": model.FORMAT, "version": model.VERSION, coll: [js]}, partial=True, known_ids=known
    )


def test_build_record_defaults():
    eng = build_record(KINDS["engagements"], dict(VALUES["engagements"]), None, set())
    assert eng.hours_per_week == 0 and eng.rush_fee_pct == 0
    client = build_record(KINDS["clients"], dict(VALUES["clients"]), None, set())
    assert client.industry == "" and client.enjoy == 4 and client.industry_fit is None
    action = build_record(KINDS["actions"], dict(VALUES["actions"]), None, set())
    assert action.owner == "" and action.steps == [] and action.rule is None


@pytest.mark.parametrize(
    "coll,prefix,expected",
    [
        ("clients", "c", "c-acme-ltd"),
        ("inquiries", "q", "q-globex"),
        ("actions", "a", "a-publish-three-case-studi"),
        ("engagements", "e", "e-0001"),
        ("invoices", "inv", "inv-0001"),
    ],
)
def test_build_record_new_ids(coll, prefix, expected):
    rec = build_record(KINDS[coll], dict(VALUES[coll]), None, set())
    assert rec.id == expected
    assert rec.id.startswith(prefix + "-")


def test_build_record_edit_keeps_id_and_unshown_fields():
    original = model.ActionItem(
        id="a-01", title="Old title", rule="KEY001", owner="Sam", steps=[model.Step("Draft", date(2026, 12, 1))]
    )
    values = {"title": "New title", "owner": "Kim", "rule": "KEY001"}
    rec = build_record(KINDS["actions"], values, original, {"a-01"})
    assert rec.id == "a-01"
    assert rec.title == "New title" and rec.owner == "Kim"
    assert rec.steps == original.steps  # the form does not show steps; they stay
    assert original.title == "Old title"  # the original is not changed

    inv = model.Invoice(
        id="inv-0007",
        client="c-acme",
        issued=date(2026, 1, 1),
        amount=100.0,
        engagement="e-0001",
        paid=date(2026, 2, 1),
    )
    edited = build_record(KINDS["invoices"], {"amount": 250}, inv, {"inv-0007"})
    assert edited.id == "inv-0007" and edited.amount == 250 and edited.engagement == "e-0001"
    assert edited.paid == date(2026, 2, 1)


def test_build_record_edit_of_keyless_kinds():
    cash = model.CashEntry(date(2026, 11, 25), 1000)
    rec = build_record(KINDS["cash"], {"date": date(2026, 11, 26), "balance": 2000}, cash, set())
    assert rec == model.CashEntry(date(2026, 11, 26), 2000)


# --------------------------------------------------------------------------- new_id


def test_new_id_readable_and_unique_for_named_kinds():
    clients = KINDS["clients"]
    existing: set[str] = set()
    made = []
    for _ in range(5):
        i = new_id(clients, {"name": "ACME Ltd"}, existing)
        existing.add(i)
        made.append(i)
    assert made == ["c-acme-ltd", "c-acme-ltd-2", "c-acme-ltd-3", "c-acme-ltd-4", "c-acme-ltd-5"]


def test_new_id_numbered_for_other_kinds():
    invoices = KINDS["invoices"]
    assert new_id(invoices, {}, set()) == "inv-0001"
    assert new_id(invoices, {}, {"inv-0001", "inv-0002"}) == "inv-0003"
    assert new_id(invoices, {}, {"inv-0002"}) == "inv-0003"  # n starts at len + 1 = 2, which is taken
    assert new_id(invoices, {}, {"inv-0005", "x"}) == "inv-0003"
    assert new_id(KINDS["engagements"], {}, {"e-0001"}) == "e-0002"


def test_new_id_slug():
    clients = KINDS["clients"]
    assert new_id(clients, {"name": "  Ünïcode & Co!! "}, set()) == "c-n-code-co"
    assert new_id(clients, {"name": "!!!"}, set()) == "c-x"
    assert new_id(clients, {"name": None}, set()) == "c-client"
    long = new_id(clients, {"name": "A very long client name that goes on and on"}, set())
    assert re.fullmatch(r"c-[a-z0-9-]{1,24}", long) and not long.endswith("-")


@PROPERTY
@given(
    coll=st.sampled_from(list(KINDS)),
    titles=st.lists(st.text(max_size=40), min_size=1, max_size=30),
    seed=st.sets(st.text(max_size=12), max_size=10),
)
def test_new_id_never_repeats(coll, titles, seed):
    kind = KINDS[coll]
    existing = set(seed)
    for t in titles:
        i = new_id(kind, {kind.title_field: t}, existing)
        assert i not in existing
        assert i and i == i.strip()
        existing.add(i)


def test_format_value():
    assert forms.format_value(None) == ""
    assert forms.format_value(True) == "yes"
    assert forms.format_value(date(2026, 11, 26)) == "2026-11-26"
    assert forms.format_value(12500) == "12,500"
    assert forms.format_value(9999) == "9999"
    assert forms.format_value(12500.5) == "12,500.5"
    assert forms.format_value(12500.0) == "12,500"
