"""An invoice's optional ``total`` (what the client owes, VAT included): the receivables count it,
the revenue counts the amount (before tax); a null total is the amount, and the data file leaves
it out. Expected values are worked out by hand next to them."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from tui_advisor import model, paths
from tui_advisor.metrics import compute
from tui_advisor.model.fastdecode import decode_document

AS_OF = date(2026, 12, 1)


def day(offset: int) -> date:
    return AS_OF + timedelta(days=offset)


def data_with(invoices: list[model.Invoice]) -> model.AgencyData:
    data = model.AgencyData(agency=model.Agency(name="Studio", monthly_operating_costs=20000))
    data.clients = [model.Client(id="a", name="Acme"), model.Client(id="b", name="Brik")]
    data.invoices = invoices
    return data


def inv(n: int, amount: float, total: float | None = None, **kw: Any) -> model.Invoice:
    kw.setdefault("issued", day(-60))
    return model.Invoice(id=f"inv{n}", client=kw.pop("client", "a"), amount=amount, total=total, **kw)


def test_overdue_receivables_are_what_the_clients_owe_incl_tax() -> None:
    data = data_with(
        [
            inv(1, 10000, 12100, due=day(-10)),  # overdue: owes 12,100 (10,000 + 21% VAT)
            inv(2, 2000, 2420, due=day(-1), client="b"),  # overdue: owes 2,420
            inv(3, 5000, 6050, due=day(-20), paid=day(-5)),  # paid: owes nothing
            inv(4, 3000, 3630, due=AS_OF),  # due today: not yet overdue
        ]
    )
    v = compute(data, AS_OF).values
    assert v["overdue_receivables"] == pytest.approx(14520)  # 12,100 + 2,420
    assert v["overdue_invoices"] == 2
    assert v["overdue_text"] == "2 invoices are overdue, together 14,520 EUR"
    assert compute(data, AS_OF, decimal=",").values["overdue_text"] == "2 invoices are overdue, together 14.520 EUR"


def test_without_a_total_the_amount_is_owed() -> None:
    data = data_with([inv(1, 10000, due=day(-10)), inv(2, 2000, 2420, due=day(-1))])
    v = compute(data, AS_OF).values
    assert v["overdue_receivables"] == pytest.approx(12420)  # 10,000 (no total) + 2,420
    assert v["overdue_invoices"] == 2


def test_a_credit_note_is_not_money_to_collect_by_its_total() -> None:
    # a credit note: amount -1,000 before tax, -1,210 incl.; and an invoice whose total is 0
    data = data_with([inv(1, -1000, -1210, due=day(-10)), inv(2, 500, 0.0, due=day(-10)), inv(3, 800, due=day(-3))])
    v = compute(data, AS_OF).values
    assert v["overdue_receivables"] == pytest.approx(800)  # only the 800 without a total
    assert v["overdue_invoices"] == 1


def test_the_revenue_counts_the_amount_not_the_total() -> None:
    invoices = [
        inv(i, 10000, 12100, issued=day(-30 * i), due=day(-30 * i + 30), paid=day(-30 * i + 20)) for i in range(1, 7)
    ]
    with_total = compute(data_with(invoices), AS_OF).values
    without = compute(data_with([replace(i, total=None) for i in invoices]), AS_OF).values
    assert isinstance(with_total["trailing_monthly_revenue"], float)
    for name in ("trailing_monthly_revenue", "monthly_revenue", "annual_revenue", "monthly_burn"):
        assert with_total[name] == without[name], name
    # and the revenue is the amounts': 6 x 10,000 over the months the history covers, never 6 x 12,100
    assert with_total["trailing_monthly_revenue"] * with_total["trailing_months"] == pytest.approx(60000)


def _demo() -> dict[str, Any]:
    return json.loads(paths.sample_file("demo").read_bytes())


def test_a_null_total_stays_out_of_the_stored_record() -> None:
    bare = inv(1, 10000)
    assert "total" not in model.record_to_json("invoices", bare, sparse=True)
    assert model.record_to_json("invoices", bare)["total"] is None  # an export writes every field
    stored = model.record_to_json("invoices", replace(bare, total=12100.0), sparse=True)
    assert stored["total"] == 12100.0


def test_a_file_with_totals_and_one_without_take_the_fast_path() -> None:
    doc = _demo()
    assert all("total" not in i for i in doc["invoices"])  # the demo has none
    plain = decode_document(json.dumps(doc).encode())
    assert plain is not None and all(i.total is None for i in plain["invoices"])
    some = copy.deepcopy(doc)
    some["invoices"][0]["total"] = 12100.5
    some["invoices"][1]["total"] = None
    fast = decode_document(json.dumps(some).encode())
    assert fast is not None  # taken, not left to the complete path
    complete = model.validate_document(json.loads(json.dumps(some)))
    assert [i.total for i in fast["invoices"]] == [i.total for i in complete["invoices"]]
    assert fast["invoices"][0].total == 12100.5 and fast["invoices"][1].total is None


@pytest.mark.parametrize("bad", ["12100", True, float("inf")])
def test_a_total_that_is_not_a_number_is_refused(bad: Any) -> None:
    doc = _demo()
    doc["invoices"][0]["total"] = bad
    raw = json.dumps(doc).encode()
    assert decode_document(raw) is None
    with pytest.raises(model.ValidationError) as caught:
        model.validate_document(json.loads(raw))
    assert any(str(p).startswith("invoices[0].total") for p in caught.value.problems)
