"""The interchange validator on large collections: the column-wise fast path and the
per-record path must report the same problems at the right positions."""

from __future__ import annotations

import copy

import pytest

from tui_advisor import model


def doc_with_invoices(n: int) -> dict:
    return {
        "format": model.FORMAT,
        "version": 1,
        "agency": {"name": "A"},
        "clients": [{"id": "c1", "name": "One"}],
        "invoices": [
            {
                "id": f"i{k}",
                "client": "c1",
                "engagement": None,
                "issued": f"2026-{1 + k % 12:02d}-{1 + k % 28:02d}",
                "amount": 100 + k,
                "due": None,
                "paid": None,
            }
            for k in range(n)
        ],
    }


def problems_of(doc: dict) -> list[str]:
    with pytest.raises(model.ValidationError) as info:
        model.validate_document(doc)
    return info.value.problems


def test_a_valid_large_collection_builds_every_record_in_order() -> None:
    parts = model.validate_document(doc_with_invoices(1000))
    invoices = parts["invoices"]
    assert [i.id for i in invoices[:3]] == ["i0", "i1", "i2"] and len(invoices) == 1000
    assert invoices[999].amount == 1099 and invoices[999].issued.isoformat() == "2026-04-20"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "12k", "invoices[500].amount: must be a number, got a string '12k'"),
        ("issued", "2026-02-30", "invoices[500].issued: is not a real date: '2026-02-30'"),
        ("issued", ["2026-01-01"], "invoices[500].issued: must be a date as 'YYYY-MM-DD', got a list"),
        ("client", "nobody", "invoices[500].client: no client with id 'nobody'"),
        ("id", "i3", "invoices[500].id: 'i3' is used twice (also invoices[3])"),
        ("amount", float("inf"), "invoices[500].amount: must be a finite number, got inf"),
    ],
)
def test_one_bad_record_among_many_is_reported_at_its_position(field: str, value: object, message: str) -> None:
    doc = doc_with_invoices(1000)
    doc["invoices"][500][field] = value
    assert message in problems_of(doc)


def test_an_unknown_field_is_found_when_every_known_field_is_there_too() -> None:
    doc = doc_with_invoices(50)
    doc["invoices"][7]["amout"] = 5
    assert "invoices[7]: unknown field 'amout' (did you mean 'amount'?)" in problems_of(doc)


def test_a_missing_field_and_an_unknown_one_in_the_same_record_are_both_reported() -> None:
    doc = doc_with_invoices(50)
    del doc["invoices"][7]["amount"]
    doc["invoices"][7]["amout"] = 5  # same number of keys as a complete record
    problems = problems_of(doc)
    assert "invoices[7].amount: is required" in problems
    assert "invoices[7]: unknown field 'amout' (did you mean 'amount'?)" in problems


def test_every_problem_of_many_records_is_reported_at_once() -> None:
    doc = doc_with_invoices(300)
    for k in (10, 20, 30):
        doc["invoices"][k]["amount"] = None
    doc["invoices"][40] = "not an object"
    problems = problems_of(doc)
    assert [p for p in problems if p.endswith("must be a number, got null None")] == [
        f"invoices[{k}].amount: must be a number, got null None" for k in (10, 20, 30)
    ]
    assert "invoices[40]: must be an object, got a string" in problems


def test_optional_fields_may_be_left_out_in_a_large_collection() -> None:
    doc = doc_with_invoices(200)
    short = copy.deepcopy(doc)
    for inv in short["invoices"]:
        del inv["due"], inv["paid"], inv["engagement"]
    a = model.validate_document(doc)["invoices"]
    b = model.validate_document(short)["invoices"]
    assert a == b


def test_two_balances_on_an_invalid_date_name_the_text_they_share() -> None:
    """Found by the mutation property: the text of a date that did not validate is quoted, so
    the problem never reads 'cash[1].date:  has a balance already' with nothing named."""
    doc = {
        "format": model.FORMAT,
        "version": model.VERSION,
        "agency": {"name": "A"},
        "cash": [{"date": "", "balance": 1}, {"date": "", "balance": 2}],
    }
    with pytest.raises(model.ValidationError) as exc:
        model.validate_document(doc)
    assert "cash[1].date: '' has a balance already (also cash[0])" in exc.value.problems
    assert "cash[0].date: must be a date as 'YYYY-MM-DD', got ''" in exc.value.problems
