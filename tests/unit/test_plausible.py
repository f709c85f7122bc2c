"""plausible.questions: the "is this right?" a form asks once before saving a value that looks
like a slip, and the plausible values it lets through without a word."""

from __future__ import annotations

from datetime import date

import pytest

from tui_advisor import model, paths
from tui_advisor.plausible import Question, questions
from tui_advisor.workspace import read_document

D = date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo() -> model.AgencyData:
    return model.from_document(read_document(paths.sample_file("demo")))


def _ask(kind, values, data, **kw):
    return questions(kind, values, data, decimal=",", currency="EUR", **kw)


def test_a_balance_90_percent_below_the_previous_one(demo):
    # the demo's last balance before 2026-11-26: 136,000 on 2026-11-25
    assert _ask("cash", {"date": D, "balance": 97.25}, demo) == [
        Question("balance", "Balance 97,25 EUR is 99% below the balance of 2026-11-25 (136.000,00 EUR).")
    ]
    assert _ask("cash", {"date": D, "balance": -5000}, demo)[0].text == (
        "Balance -5.000,00 EUR means the account is overdrawn; on 2026-11-25 it held 136.000,00 EUR."
    )
    assert _ask("cash", {"date": D, "balance": 13600}, demo) == [], "exactly 90% below is not asked"
    assert _ask("cash", {"date": D, "balance": 97250}, demo) == []
    assert _ask("cash", {"date": D, "balance": 13_600_000}, demo) == [
        Question("balance", "Balance 13.600.000,00 EUR is 100 times the balance of 2026-11-25 (136.000,00 EUR).")
    ]


def test_a_balance_is_compared_with_the_one_before_its_own_date(demo):
    first = min(demo.cash, key=lambda c: c.date)
    assert _ask("cash", {"date": first.date, "balance": 1}, demo) == [], "nothing before it: nothing to compare"
    editing = max(demo.cash, key=lambda c: c.date)
    asked = _ask("cash", {"date": editing.date, "balance": 1}, demo, original=editing)
    assert [q.field for q in asked] == ["balance"]
    assert "balance of 2026-10-31" in asked[0].text, "compared with the one before, not with itself"


def test_an_invoice_a_hundred_times_the_clients_usual(demo):
    asked = _ask("invoices", {"client": "c-acme", "amount": 350000}, demo)
    assert asked == [
        Question(
            "amount",
            "Amount 350.000,00 EUR is 100 times ACME [Ltd]'s usual invoice (3.500,00 EUR, the median of 16).",
        )
    ]
    assert _ask("invoices", {"client": "c-acme", "amount": 35}, demo)[0].text.startswith(
        "Amount 35,00 EUR is less than a hundredth of ACME [Ltd]'s usual invoice"
    )
    assert _ask("invoices", {"client": "c-acme", "amount": 3500}, demo) == []
    assert _ask("invoices", {"client": "c-acme", "amount": 340000}, demo) == [], "97 times: not asked"
    assert _ask("invoices", {"client": "c-acme", "amount": -350000}, demo) == [], "a credit note is not compared"
    assert _ask("invoices", {"client": "c-kestrel", "amount": 10**9}, demo) == [], "one invoice is no usual"


def test_a_fee_or_price_a_hundred_times_the_others(demo):
    asked = _ask("engagements", {"kind": "retainer", "client": "c-lumen", "monthly_fee": 350000}, demo)
    assert [q.field for q in asked] == ["monthly_fee"]
    assert asked[0].text.startswith("Monthly fee 350.000,00 EUR is 100 times the usual of the other retainers")
    asked = _ask("engagements", {"kind": "project", "client": "c-lumen", "price": 12.5}, demo)
    assert [q.field for q in asked] == ["price"], "'12,500' typed the English way into a EUR agency"
    assert _ask("engagements", {"kind": "project", "client": "c-lumen", "price": 12500}, demo) == []
    asked = _ask("inquiries", {"estimated_value": 5}, demo)
    assert [q.field for q in asked] == ["estimated_value"]


def test_hours_above_the_teams_capacity(demo):
    assert demo.agency.weekly_capacity_hours == 105
    asked = _ask("engagements", {"kind": "retainer", "monthly_fee": 3000, "hours_per_week": 400}, demo)
    assert asked == [
        Question("hours_per_week", "400 hours a week is more than the whole team's weekly capacity (105 hours).")
    ]
    assert _ask("engagements", {"kind": "retainer", "monthly_fee": 3000, "hours_per_week": 40}, demo) == []


def test_the_agency_profile(demo):
    values = {f: getattr(demo.agency, f) for f in demo.agency.__dataclass_fields__}
    assert _ask("agency", values, demo) == [], "the stored profile is plausible"
    asked = _ask("agency", {**values, "weekly_capacity_hours": 100000}, demo)
    assert asked == [
        Question("weekly_capacity_hours", "A weekly capacity of 100.000 hours is 2.500 people working 40 hours a week.")
    ]
    asked = _ask("agency", {**values, "monthly_operating_costs": 340}, demo)
    assert asked == [
        Question(
            "monthly_operating_costs",
            "Monthly operating costs 340,00 EUR is less than a hundredth of the stored 34.000,00 EUR.",
        )
    ]
    assert _ask("agency", {**values, "monthly_operating_costs": None}, demo) == [], "emptied: not a slip"


def test_nothing_to_compare_with_is_never_a_question():
    empty = model.AgencyData()
    for kind, values in [
        ("cash", {"date": D, "balance": 1}),
        ("invoices", {"client": "c", "amount": 10**12}),
        ("engagements", {"kind": "retainer", "monthly_fee": 10**12, "hours_per_week": 10**6}),
        ("clients", {"name": "x"}),
    ]:
        assert questions(kind, values, empty) == []


def test_in_the_english_style():
    data = model.from_document(read_document(paths.sample_file("demo")))
    asked = questions("cash", {"date": D, "balance": 97.25}, data, decimal=".", currency="USD")
    assert asked[0].text == "Balance 97.25 USD is 99% below the balance of 2026-11-25 (136,000.00 USD)."
