"""workspace/retainers.py's plan, headless: which retainers a month invoices, and why the others not."""

from __future__ import annotations

from datetime import date

import pytest

from tui_advisor import model
from tui_advisor.workspace.retainers import MonthError, invoice_id, parse_month, plan_retainer_invoices


def _data(*engagements: model.Engagement, invoices: tuple[model.Invoice, ...] = ()) -> model.AgencyData:
    return model.AgencyData(
        agency=model.Agency(name="T", currency="EUR"),
        clients=[model.Client(id="c-a", name="Acme"), model.Client(id="c-b", name="Bolt")],
        engagements=list(engagements),
        invoices=list(invoices),
    )


def _retainer(eid: str, client: str = "c-a", fee: float = 1000, **kw) -> model.Engagement:
    return model.Engagement(id=eid, client=client, kind="retainer", start=date(2025, 1, 1), monthly_fee=fee, **kw)


def test_one_unlinked_invoice_of_the_fee_stands_for_one_retainer_not_two():
    unlinked = model.Invoice(id="2026-77", client="c-a", issued=date(2026, 10, 3), amount=1000)
    plan = plan_retainer_invoices(
        _data(_retainer("e-1"), _retainer("e-2"), invoices=(unlinked,)), date(2026, 10, 1), date(2026, 12, 1)
    )
    assert [line.engagement for line in plan.create] == ["e-2"]
    (skipped,) = plan.skipped
    assert skipped.engagement == "e-1" and "2026-77" in skipped.reason


def test_a_retainer_not_billed_monthly_is_skipped_saying_how_it_is_billed():
    plan = plan_retainer_invoices(_data(_retainer("e-1", billing="upfront")), date(2026, 10, 1), date(2026, 12, 1))
    assert not plan.create
    assert plan.skipped[0].reason == "billed upfront, not monthly"


def test_the_issue_and_due_dates():
    data = _data(_retainer("e-1"))
    data.agency.payment_term_days = 10
    past = plan_retainer_invoices(data, date(2026, 10, 20), date(2026, 12, 5))  # any day of the month
    assert (past.invoices[0].issued, past.invoices[0].due) == (date(2026, 10, 1), date(2026, 10, 11))
    now = plan_retainer_invoices(data, date(2026, 12, 1), date(2026, 12, 5))
    assert (now.invoices[0].issued, now.invoices[0].due) == (date(2026, 12, 5), date(2026, 12, 15))
    assert now.invoices[0].id == invoice_id("e-1", date(2026, 12, 1)) == "ret-e-1-2026-12"


def test_months_are_read_strictly():
    assert parse_month("2026-12") == date(2026, 12, 1)
    assert parse_month(" 2026-3 ") == date(2026, 3, 1)
    for bad in ("2026-00", "2026-13", "12-2026", "2026/12", "", "1899-12", "2026-12-01"):
        with pytest.raises(MonthError):
            parse_month(bad)


def test_a_payment_term_past_the_calendars_end_gives_no_due_date():
    data = _data(_retainer("e-1"))
    data.agency.payment_term_days = 999_999_999_999
    (inv,) = plan_retainer_invoices(data, date(2026, 10, 1), date(2026, 12, 1)).invoices
    assert inv.due is None and inv.issued == date(2026, 10, 1)
    data.agency.payment_term_days = 70_000  # 2218: past 2199 too
    (inv,) = plan_retainer_invoices(data, date(2026, 10, 1), date(2026, 12, 1)).invoices
    assert inv.due is None
