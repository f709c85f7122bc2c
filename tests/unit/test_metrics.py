"""Unit tests for every metric and finding in tui_advisor.metrics.

Every expected value is worked out by hand in the test (the arithmetic is in a
comment next to it), never by calling the code under test. All tests go through
the public entry point ``compute(data, as_of)``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tui_advisor import model
from tui_advisor.metrics import FINDINGS, METRICS, compute

AS_OF = date(2024, 6, 15)
APPROX = dict(rel=1e-9, abs=1e-9)


def day(offset: int, base: date = AS_OF) -> date:
    """The as-of date plus ``offset`` days."""
    return base + timedelta(days=offset)


def agency(**kw) -> model.Agency:
    kw.setdefault("name", "Test Agency")
    return model.Agency(**kw)


def make(agency_kw: dict | None = None, **collections) -> model.AgencyData:
    data = model.AgencyData(agency=agency(**(agency_kw or {})))
    for name, records in collections.items():
        setattr(data, name, list(records))
    return data


def clients(*ids: str) -> list[model.Client]:
    return [model.Client(id=i, name=f"Client {i.upper()}") for i in ids]


def invoice(n: int | str, client: str, issued: date, amount: float, **kw) -> model.Invoice:
    return model.Invoice(id=f"inv{n}", client=client, issued=issued, amount=amount, **kw)


def retainer(eid: str, client: str, fee: float, start: date, end: date | None = None, **kw) -> model.Engagement:
    return model.Engagement(id=eid, client=client, kind="retainer", start=start, end=end, monthly_fee=fee, **kw)


def project(eid: str, client: str, price: float, start: date, end: date | None = None, **kw) -> model.Engagement:
    return model.Engagement(id=eid, client=client, kind="project", start=start, end=end, price=price, **kw)


def work(eid: str, hours: float, start: date, end: date | None = None, kind: str = "retainer", **kw):
    """An engagement that only matters for its booked hours."""
    if kind == "retainer":
        return retainer(eid, "c", 1000, start, end, hours_per_week=hours, **kw)
    return project(eid, "c", 1000, start, end, hours_per_week=hours, **kw)


def inquiry(qid: str, received: date, status: str = "new", **kw) -> model.Inquiry:
    return model.Inquiry(id=qid, received=received, prospect=f"Prospect {qid}", status=status, **kw)


REVENUE_METRICS = (
    "revenue_basis",
    "annual_revenue",
    "monthly_revenue",
    "client_count",
    "top_client_share",
    "largest_client",
    "top5_share",
    "hhi",
    "effective_clients",
    "revenue_without_largest_vs_costs",
    "revenue_vs_costs",
    "recurring_share",
    "monthly_billed_share",
)
BUSY_METRICS = ("booked_share_30d", "booked_share_31_60d", "booked_days", "booked_load_now")
CASH_METRICS = ("cash_balance", "cash_date", "cash_age_days", "cash_months", "cash_surplus")
SALES_METRICS = (
    "proposals_last_52w",
    "proposals_last_13w",
    "proposals_per_week_13w",
    "inquiries_last_52w",
    "win_rate",
    "median_sales_cycle_days",
    "open_pipeline_value",
    "open_inquiry_count",
    "inquiries_without_dates",
)
SPAN_METRICS = ("data_starts", "first_record", "days_before_data")
# the two revenue bases, ruin, burn and words (issue 10, part "revenue"): unknown without data; the
# others are known (0 or words) even then. Tested in tests/unit/test_revenue_basis.py
REVENUE_BASIS_UNKNOWN_WHEN_EMPTY = {
    "revenue_basis_text",
    "running_monthly_revenue",
    "trailing_monthly_revenue",
    "trailing_months",
    "trailing_top_client_share",
    "trailing_largest_client",
    "trailing_basis_text",
    "trailing_note",
    "largest_client_work",
    "shortfall_without_largest",
    "months_without_largest",
    "lost_monthly_revenue",
    "lost_revenue_share",
    "recurring_monthly_revenue",
    "recurring_vs_costs",
    "billing_text",
    "monthly_burn",
    "runway_months",
    # key-client work ending within the horizon: tests/unit/test_key_client_ending.py
    "largest_running_client",
    "largest_running_client_end",
    "ending_share",
}
REVENUE_BASIS_METRICS = (
    *REVENUE_BASIS_UNKNOWN_WHEN_EMPTY,
    "unlinked_invoices",
    "retainers_ending_90d",
    "overdue_invoices_text",
    "overdue_text",
    "credit_line_text",
)
# unknown without data (no capacity, no inquiries); the others are known: test_pipeline_metrics.py
PIPELINE_UNKNOWN_WHEN_EMPTY = {
    "booked_summary",
    "inquiries_summary",
    "inquiries_last_13w",
    "inquiries_per_week_13w",
    "declined_last_52w",
    "proposals_out",
    "proposals_out_value",
    "proposals_out_weighted",
    "tentative_work",
    "average_deal_value",
    "weekly_value_to_sell",
    "proposals_needed_per_week",
}
# tested in tests/unit/test_pipeline_metrics.py
PIPELINE_METRICS = (
    "booked_summary",
    "engagements_without_hours",
    "inquiries_summary",
    "inquiries_last_13w",
    "inquiries_per_week_13w",
    "declined_last_52w",
    "proposals_out",
    "proposals_out_value",
    "proposals_out_weighted",
    "tentative_work",
    "sales_cycle_days",
    "sales_cycle_basis",
    "average_deal_value",
    "weekly_value_to_sell",
    "proposals_needed_per_week",
    "proposals_fill_from",
    "rushed_inquiries_52w",
    "rush_sample",
)


# =========================================================================== registry


# Every metric and finding this file tests. When a metric is added to the
# registry, this test fails until a test for it is written here.
TESTED_METRICS = {
    *REVENUE_METRICS,
    *BUSY_METRICS,
    "full_load",
    *CASH_METRICS,
    "monthly_operating_costs",
    "credit_line",
    "ideal_cash_months",
    "overdue_receivables",
    "overdue_invoices",
    *SALES_METRICS,
    "rushed_open_inquiries",
    "rushed_share",
    "normal_lead_time_days",
    "lump_sum_projects",
    "journey_stages_covered",
    "journey_activities",
    "open_action_items",
    *SPAN_METRICS,  # tested in tests/unit/test_data_starts.py
    *PIPELINE_METRICS,
    *REVENUE_BASIS_METRICS,
}
TESTED_FINDINGS = {
    "client_shares",
    "cash_history",
    "proposals_by_week",
    "open_inquiries",
    "projects",
    "journey_stages",
    "open_actions",
    "client_fit",  # client_fit: tests/unit/test_pipeline_metrics.py
    "departed_clients",
    "ending_retainers",  # tests/unit/test_revenue_basis.py
    "ending_clients",
}  # tests/unit/test_key_client_ending.py


def test_every_registered_metric_and_finding_is_covered_here():
    assert set(METRICS) == TESTED_METRICS
    assert set(FINDINGS) == TESTED_FINDINGS


def test_result_has_a_value_for_every_metric_and_every_finding():
    result = compute(make(), AS_OF)
    assert result.as_of == AS_OF
    assert set(result.values) == set(METRICS)
    assert set(result.findings) == set(FINDINGS)
    # unknown holds exactly the metrics whose value is None, each with a reason to show the user
    assert set(result.unknown) == {n for n, v in result.values.items() if v is None}
    assert all(isinstance(r, str) and r.strip() for r in result.unknown.values())


def test_empty_data_lacking_metrics_are_none_never_zero():
    result = compute(make(), AS_OF)
    lacking = (
        set(REVENUE_METRICS)
        | set(BUSY_METRICS)
        | set(CASH_METRICS)
        | set(SALES_METRICS)
        | {"rushed_share", "monthly_operating_costs"}
        | set(SPAN_METRICS)
        | PIPELINE_UNKNOWN_WHEN_EMPTY
        | REVENUE_BASIS_UNKNOWN_WHEN_EMPTY
    )
    for name in lacking:
        assert result.values[name] is None, name
        assert name in result.unknown, name
    # what is genuinely known without data: defaults and true zero counts
    assert result.values["full_load"] == 0.8
    assert result.values["credit_line"] == 0
    assert result.values["normal_lead_time_days"] == 14
    for name in (
        "overdue_receivables",
        "overdue_invoices",
        "rushed_open_inquiries",
        "lump_sum_projects",
        "journey_stages_covered",
        "journey_activities",
        "open_action_items",
    ):
        assert result.values[name] == 0, name
        assert name not in result.unknown
    assert set(result.unknown) == lacking


# =========================================================================== revenue basis (G3, G4)


def test_revenue_from_invoices_window_edges():
    # as-of 2024-06-15: the window is issued > 2023-06-15 and <= 2024-06-15
    data = make(
        {"monthly_operating_costs": 500},
        clients=clients("a", "b", "c"),
        invoices=[
            invoice(1, "a", date(2023, 6, 15), 1000),  # exactly 12 months back: excluded
            invoice(2, "a", date(2023, 6, 16), 6000),  # first day inside
            invoice(3, "b", date(2024, 6, 15), 3000),  # on the as-of date: included
            invoice(4, "c", date(2024, 6, 16), 5000),  # after the as-of date: excluded
            invoice(5, "c", date(2024, 1, 1), 1000),
        ],
    )
    r = compute(data, AS_OF)
    v = r.values
    assert v["revenue_basis"] == "invoices"
    assert v["annual_revenue"] == pytest.approx(10000)  # 6000 + 3000 + 1000
    assert v["monthly_revenue"] == pytest.approx(10000 / 12)  # 833.33
    assert v["client_count"] == 3
    assert v["top_client_share"] == pytest.approx(0.6)  # 6000 / (6000+3000+1000)
    assert v["largest_client"] == "Client A"
    assert v["top5_share"] == pytest.approx(1.0)  # only three clients
    assert v["hhi"] == pytest.approx(4600)  # 60^2 + 30^2 + 10^2 = 3600 + 900 + 100
    assert v["effective_clients"] == pytest.approx(10000 / 4600)  # 2.17
    assert v["revenue_vs_costs"] == pytest.approx(10000 / 12 / 500)  # 1.67
    assert v["revenue_without_largest_vs_costs"] == pytest.approx(4000 / 12 / 500)  # (10000-6000)/12/500 = 0.67
    # invoices without an engagement, and no engagement to link them to: the recurring share is
    # unknown (never 0%), and the reason says what to enter
    assert v["unlinked_invoices"] == 3  # inv2, inv3, inv5
    for name in ("recurring_share", "monthly_billed_share"):
        assert v[name] is None
        assert "3 invoices of the last 12 months have no engagement" in r.unknown[name]
    assert not (set(REVENUE_METRICS) - {"recurring_share", "monthly_billed_share"}) & set(r.unknown)

    shares = r.findings["client_shares"]
    assert [s["client"] for s in shares] == ["a", "b", "c"]  # largest first
    assert [s["name"] for s in shares] == ["Client A", "Client B", "Client C"]
    assert [s["share"] for s in shares] == pytest.approx([0.6, 0.3, 0.1])
    assert [s["revenue"] for s in shares] == pytest.approx([6000, 3000, 1000])
    assert all(s["subject"] for s in shares)


def test_revenue_window_with_leap_day_as_of():
    # as-of 2024-02-29: 12 months back is 2023-02-28 (excluded), 2023-03-01 is inside
    data = make(
        clients=clients("a", "b"),
        invoices=[
            invoice(1, "a", date(2023, 2, 28), 500),
            invoice(2, "a", date(2023, 3, 1), 300),
            invoice(3, "b", date(2024, 2, 29), 100),
        ],
    )
    v = compute(data, date(2024, 2, 29)).values
    assert v["annual_revenue"] == pytest.approx(400)  # 300 + 100
    assert v["top_client_share"] == pytest.approx(0.75)  # 300 / 400


def test_recurring_and_monthly_billed_share_from_invoices():
    data = make(
        clients=clients("a", "b", "c"),
        engagements=[
            # none runs on the as-of date, so the basis is the invoices
            retainer("r1", "a", 1000, date(2023, 1, 1), date(2024, 6, 1)),
            project("p1", "b", 9000, date(2024, 1, 1), billing="monthly"),  # 3 months: to 2024-03-31
            project("p2", "c", 3000, date(2024, 1, 1), billing="milestones"),
        ],
        invoices=[
            invoice(1, "a", date(2024, 5, 1), 5000, engagement="r1"),
            invoice(2, "b", date(2024, 5, 1), 3000, engagement="p1"),
            invoice(3, "c", date(2024, 5, 1), 1500, engagement="p2"),
            invoice(4, "c", date(2024, 5, 2), 500),  # no engagement: c's only one, p2, is inferred
        ],
    )
    v = compute(data, AS_OF).values
    assert v["revenue_basis"] == "invoices"
    assert v["unlinked_invoices"] == 0
    # the history covers May and June 2024: 2 months, not 12
    assert v["trailing_months"] == 2
    assert v["monthly_revenue"] == pytest.approx(5000)  # (5000 + 3000 + 1500 + 500) / 2
    assert v["recurring_share"] == pytest.approx(0.5)  # retainer invoices 5000 / 10000
    assert v["monthly_billed_share"] == pytest.approx(0.8)  # (5000 retainer + 3000 monthly project) / 10000
    assert v["top_client_share"] == pytest.approx(0.5)  # a: 5000 / 10000


def test_revenue_falls_back_to_engagements_active_on_the_as_of_date():
    data = make(
        clients=clients("a", "b", "c", "d", "e"),
        invoices=[invoice(1, "e", date(2023, 1, 1), 99999)],  # older than 12 months: not a basis
        engagements=[
            retainer("r1", "a", 4000, date(2024, 1, 1)),  # open-ended: 4000 / month
            # 2024-05-01 .. 2024-07-31 = 2 months 30 days -> 3 months: 6000 / 3 = 2000 / month
            project("p1", "b", 6000, date(2024, 5, 1), date(2024, 7, 31), billing="monthly"),
            # starts on the as-of date, no end nor deadline: default 3 months: 3000 / 3 = 1000 / month
            project("p2", "c", 3000, AS_OF, billing="upfront"),
            retainer("r2", "d", 1000, date(2023, 1, 1), AS_OF),  # ends on the as-of date: still active
            retainer("r3", "e", 9999, date(2023, 1, 1), day(-1)),  # ended the day before
            project("p3", "e", 9999, day(1)),  # starts the day after
            project("p4", "e", 9999, date(2024, 1, 1), deadline=day(-1)),  # ended at its deadline
        ],
    )
    r = compute(data, AS_OF)
    v = r.values
    assert v["revenue_basis"] == "engagements"
    # monthly: a 4000 + b 2000 + c 1000 + d 1000 = 8000
    assert v["monthly_revenue"] == pytest.approx(8000)
    assert v["annual_revenue"] == pytest.approx(96000)  # 8000 x 12
    assert v["client_count"] == 4
    assert v["top_client_share"] == pytest.approx(0.5)  # 4000 / 8000
    assert v["largest_client"] == "Client A"
    assert v["top5_share"] == pytest.approx(1.0)
    assert v["hhi"] == pytest.approx(3437.5)  # 50^2 + 25^2 + 12.5^2 + 12.5^2 = 2500 + 625 + 156.25 + 156.25
    assert v["effective_clients"] == pytest.approx(10000 / 3437.5)  # 2.91
    assert v["recurring_share"] == pytest.approx(0.625)  # retainers (4000 + 1000) / 8000
    assert v["monthly_billed_share"] == pytest.approx(0.875)  # (4000 + 1000 + 2000 monthly project) / 8000
    shares = r.findings["client_shares"]
    assert [s["client"] for s in shares] == ["a", "b", "c", "d"]  # c and d tie: by id
    assert [s["revenue"] for s in shares] == pytest.approx([48000, 24000, 12000, 12000])  # per year
    assert "e" not in {s["client"] for s in shares}


def test_project_value_is_spread_over_its_months_up_to_the_deadline():
    data = make(
        clients=clients("a", "b"),
        engagements=[
            # no end: runs to the deadline; 2024-04-01 .. 2024-09-30 = 5 months 29 days -> 6 months
            project("p1", "a", 12000, date(2024, 4, 1), deadline=date(2024, 9, 30)),  # 12000 / 6 = 2000 / month
            # the end wins over the deadline: 2024-06-01 .. 2024-06-30 -> 1 month
            project("p2", "b", 2000, date(2024, 6, 1), date(2024, 6, 30), deadline=date(2024, 12, 31)),
        ],
    )
    v = compute(data, AS_OF).values
    assert v["monthly_revenue"] == pytest.approx(4000)  # 2000 + 2000
    assert v["top_client_share"] == pytest.approx(0.5)
    assert v["recurring_share"] == 0.0  # projects only
    assert v["monthly_billed_share"] == pytest.approx(1.0)  # both bill monthly (the default)


def test_default_project_months_parameter():
    data = make(
        clients=clients("a", "b"),
        engagements=[
            project("p1", "a", 6000, date(2024, 6, 1)),  # no end, no deadline
            retainer("r1", "b", 1000, date(2024, 1, 1)),
        ],
    )
    v = compute(data, AS_OF, {"default_project_months": 6}).values
    # 6000 / 6 = 1000 / month, plus the retainer 1000 = 2000
    assert v["monthly_revenue"] == pytest.approx(2000)
    assert v["top_client_share"] == pytest.approx(0.5)
    v3 = compute(data, AS_OF).values  # default 3 months: 6000 / 3 = 2000, total 3000
    assert v3["monthly_revenue"] == pytest.approx(3000)
    assert v3["largest_running_client"] == "Client A"
    # p1 ends 2024-08-31, 77 days on, within 90: revenue to replace (ending_clients), so the key-client
    # share judges b, whose retainer continues: 1000 / 3000
    assert v3["top_client_share"] == pytest.approx(1000 / 3000)


def test_running_engagements_win_over_invoices_and_the_trailing_basis_stands_beside_them():
    data = make(
        clients=clients("a", "b"),
        engagements=[retainer("r1", "a", 50000, date(2024, 1, 1))],
        invoices=[invoice(1, "b", date(2024, 6, 1), 1200)],
    )
    v = compute(data, AS_OF).values
    assert v["revenue_basis"] == "engagements"
    assert v["revenue_basis_text"] == "on the engagements running today"
    assert v["monthly_revenue"] == pytest.approx(50000)
    assert v["largest_client"] == "Client A"
    assert v["top_client_share"] == pytest.approx(1.0)
    # beside it: one month of invoices (June 2024), all of them Client B's
    assert v["trailing_months"] == 1
    assert v["trailing_basis_text"] == "on 1 month of invoices"
    assert v["trailing_monthly_revenue"] == pytest.approx(1200)
    assert v["trailing_largest_client"] == "Client B"
    assert v["trailing_top_client_share"] == pytest.approx(1.0)
    assert v["trailing_note"] == "; on 1 month of invoices, 0%, and the largest was Client B at 100%"
    # b has no engagement on record: its work may go on, so it is not counted as lost
    assert v["lost_monthly_revenue"] == 0


def test_largest_client_without_a_client_record_is_named_by_id():
    data = make(invoices=[invoice(1, "ghost", date(2024, 6, 1), 100)])
    assert compute(data, AS_OF).values["largest_client"] == "ghost"


def test_credit_note_client_with_no_net_revenue_is_left_out_of_the_shares():
    data = make(
        clients=clients("a", "b", "c"),
        invoices=[
            invoice(1, "a", date(2024, 5, 1), 3000),
            invoice(2, "b", date(2024, 5, 1), 1000),
            invoice(3, "c", date(2024, 5, 1), 500),
            invoice(4, "c", date(2024, 5, 2), -500),  # credit note: c nets to 0
        ],
    )
    r = compute(data, AS_OF)
    assert r.values["client_count"] == 2
    assert r.values["monthly_revenue"] == pytest.approx(2000)  # (3000 + 1000) over May and June
    assert r.values["top_client_share"] == pytest.approx(0.75)  # 3000 / 4000
    assert [s["client"] for s in r.findings["client_shares"]] == ["a", "b"]


# --------------------------------------------------------------------------- the guide's worked cases (G3)


def test_guide_firm_a_two_clients_at_half_each():
    data = make(
        {"monthly_operating_costs": 5000},
        clients=clients("a", "b"),
        invoices=[
            invoice(1, "a", date(2024, 3, 1), 60000),
            invoice(2, "b", date(2024, 3, 1), 60000),
        ],
    )
    v = compute(data, AS_OF).values
    assert v["top_client_share"] == pytest.approx(0.5)
    assert v["top5_share"] == pytest.approx(1.0)
    assert v["hhi"] == pytest.approx(5000)  # 50^2 + 50^2
    assert v["effective_clients"] == pytest.approx(2)  # 10000 / 5000
    # the invoices cover March to June 2024: 4 months. Losing one: 60000 / 4 = 15000 a month
    assert v["revenue_without_largest_vs_costs"] == pytest.approx(3.0)  # 15000 / 5000
    assert v["revenue_vs_costs"] == pytest.approx(6.0)  # 120000 / 4 / 5000


def test_guide_firm_b_fifteen_clients():
    big = [invoice(f"b{i}", f"big{i}", date(2024, 2, 1), 10000) for i in range(5)]  # 5 x 10%
    small = [invoice(f"s{i}", f"small{i:02d}", date(2024, 2, 1), 5000) for i in range(10)]  # 10 x 5%
    data = make({"monthly_operating_costs": 5000}, invoices=big + small)
    v = compute(data, AS_OF).values
    assert v["client_count"] == 15
    assert v["monthly_revenue"] == pytest.approx(20000)  # (5 x 10000 + 10 x 5000) over Feb to Jun: 5 months
    assert v["top_client_share"] == pytest.approx(0.10)
    assert v["top5_share"] == pytest.approx(0.5)  # 5 x 10%
    assert v["hhi"] == pytest.approx(750)  # 5 x 10^2 + 10 x 5^2 = 500 + 250
    assert v["effective_clients"] == pytest.approx(13.333333333)  # 10000 / 750
    assert v["revenue_without_largest_vs_costs"] == pytest.approx(90000 / 5 / 5000)  # 3.6


def test_guide_one_client_at_seventy_percent():
    data = make(
        clients=clients("a", "b", "c"),
        invoices=[
            invoice(1, "a", date(2024, 4, 1), 7000),
            invoice(2, "b", date(2024, 4, 1), 2000),
            invoice(3, "c", date(2024, 4, 1), 1000),
        ],
    )
    v = compute(data, AS_OF).values
    assert v["top_client_share"] == pytest.approx(0.7)  # 7000 / 10000
    assert v["hhi"] == pytest.approx(5400)  # 70^2 + 20^2 + 10^2 = 4900 + 400 + 100


def test_top5_share_counts_only_the_five_largest():
    # 6 clients: 30, 20, 20, 10, 10, 10 (total 100)
    amounts = {"a": 30, "b": 20, "c": 20, "d": 10, "e": 10, "f": 10}
    data = make(invoices=[invoice(c, c, date(2024, 5, 1), a) for c, a in amounts.items()])
    v = compute(data, AS_OF).values
    assert v["top5_share"] == pytest.approx(0.9)  # (30+20+20+10+10) / 100
    assert v["hhi"] == pytest.approx(2000)  # 900 + 400 + 400 + 100 + 100 + 100


# --------------------------------------------------------------------------- revenue unknowns


def test_no_revenue_makes_every_revenue_metric_unknown():
    data = make(
        {"monthly_operating_costs": 5000}, clients=clients("a"), invoices=[invoice(1, "a", date(2022, 1, 1), 1000)]
    )  # outside the window, no engagements
    r = compute(data, AS_OF)
    for name in REVENUE_METRICS:
        assert r.values[name] is None, name
        assert "invoices" in r.unknown[name] and "engagements" in r.unknown[name].lower()
    assert r.findings["client_shares"] == []


def test_no_costs_leaves_only_cost_ratios_unknown():
    data = make(clients=clients("a"), invoices=[invoice(1, "a", date(2024, 5, 1), 1000)])
    r = compute(data, AS_OF)
    for name in ("revenue_without_largest_vs_costs", "revenue_vs_costs"):
        assert r.values[name] is None
        assert "operating costs" in r.unknown[name]
    assert r.values["top_client_share"] == pytest.approx(1.0)
    assert "top_client_share" not in r.unknown


# =========================================================================== busy (G2)


def test_booked_shares_with_partial_overlaps():
    # capacity 70 h/week -> 70 x 30 / 7 = 300 hours in each 30-day window
    data = make(
        {"weekly_capacity_hours": 70},
        engagements=[
            work("e1", 35, date(2024, 1, 1)),  # open-ended: 35 x 30 / 7 = 150 h in each window
            # project without end: runs to its deadline, day +10 -> days 1..10: 14 x 10 / 7 = 20 h
            work("e2", 14, date(2024, 6, 1), kind="project", deadline=day(10)),
            # days 21..40: 10 days in the first window, 10 in the second: 7 x 10 / 7 = 10 h each
            work("e3", 7, day(21), day(40)),
            work("e4", 70, date(2024, 1, 1), AS_OF),  # ends on the as-of date: nothing ahead
            work("e5", 0, date(2024, 1, 1), day(-1)),  # no hours, but ended: it does not matter
            work("e6", 70, day(61)),  # after both windows
        ],
    )
    v = compute(data, AS_OF).values
    assert v["booked_share_30d"] == pytest.approx(0.6)  # (150 + 20 + 10) / 300
    assert v["booked_share_31_60d"] == pytest.approx(160 / 300)  # (150 + 10) / 300 = 0.533
    assert v["booked_load_now"] == pytest.approx(0.7)  # tomorrow: (35 + 14) / 70
    assert v["booked_days"] == 0  # 49 h < 0.8 x 70 = 56 h from tomorrow on
    assert v["full_load"] == 0.8


def test_window_edges_day_30_and_day_31():
    # capacity 7 h/week -> 30 hours per window; one 7 h/week engagement on exactly day 30, another on day 31
    data = make(
        {"weekly_capacity_hours": 7},
        engagements=[
            work("e1", 7, day(30), day(30)),  # 7 x 1 / 7 = 1 h in the first window
            work("e2", 14, day(31), day(31)),  # 14 x 1 / 7 = 2 h in the second window
            work("e3", 21, day(60), day(61)),  # only day 60 is inside: 21 x 1 / 7 = 3 h
        ],
    )
    v = compute(data, AS_OF).values
    assert v["booked_share_30d"] == pytest.approx(1 / 30)
    assert v["booked_share_31_60d"] == pytest.approx(5 / 30)  # (2 + 3) / 30


def test_booked_days_the_hand_case():
    # capacity 100 h/week, full_load 0.8 -> booked means >= 80 h/week
    # e1 50 h until day 10, e2 40 h open-ended: days 1..10 carry 90 h, from day 11 only 40 h
    data = make(
        {"weekly_capacity_hours": 100},
        engagements=[
            work("e1", 50, date(2024, 5, 1), day(10)),
            work("e2", 40, date(2024, 5, 1)),
        ],
    )
    v = compute(data, AS_OF).values
    assert v["booked_days"] == 10
    assert v["booked_load_now"] == pytest.approx(0.9)  # 90 / 100
    # (50 x 10 / 7 + 40 x 30 / 7) / (100 x 30 / 7) = (500 + 1200) / 3000
    assert v["booked_share_30d"] == pytest.approx(1700 / 3000)


def test_booked_days_is_capped_at_the_horizon():
    data = make({"weekly_capacity_hours": 100}, engagements=[work("e1", 100, date(2024, 1, 1))])
    assert compute(data, AS_OF).values["booked_days"] == 365
    assert compute(data, AS_OF, {"horizon_days": 90}).values["booked_days"] == 90


@pytest.mark.parametrize(
    "last_day, expected",
    [
        (364, 364),  # booked on days 1..364: one short of the horizon
        (365, 365),  # booked on days 1..365: the whole horizon
        (500, 365),  # booked beyond the horizon: capped
    ],
)
def test_booked_days_near_the_horizon(last_day, expected):
    data = make({"weekly_capacity_hours": 100}, engagements=[work("e1", 80, date(2024, 1, 1), day(last_day))])
    assert compute(data, AS_OF).values["booked_days"] == expected


def test_booked_shares_with_no_engagements_at_all_are_unknown_not_zero():
    # a new file, or invoices imported before the work was entered: how busy the team is is not
    # known, which is not "0% booked" (that would be a critical "no work ahead" on missing data)
    data = make({"weekly_capacity_hours": 100})
    result = compute(data, AS_OF)
    for name in ("booked_days", "booked_share_30d", "booked_share_31_60d", "booked_load_now"):
        assert result.values[name] is None
        assert "no engagements entered" in result.unknown[name]


def test_booked_shares_are_zero_when_every_engagement_has_ended():
    ended = work("e1", 80, date(2024, 1, 1), AS_OF - timedelta(days=10))
    v = compute(make({"weekly_capacity_hours": 100}, engagements=[ended]), AS_OF).values
    assert v["booked_days"] == 0
    assert v["booked_share_30d"] == 0
    assert v["booked_share_31_60d"] == 0
    assert v["booked_load_now"] == 0


def test_booked_days_stops_at_a_gap_and_continues_over_back_to_back_work():
    gap = make(
        {"weekly_capacity_hours": 100},
        engagements=[
            work("e1", 90, date(2024, 1, 1), day(10)),
            work("e2", 90, day(12)),  # day 11 is empty
        ],
    )
    assert compute(gap, AS_OF).values["booked_days"] == 10
    chain = make(
        {"weekly_capacity_hours": 100},
        engagements=[
            work("e1", 90, date(2024, 1, 1), day(10)),
            work("e2", 90, day(11), day(20)),  # picks up the next day
        ],
    )
    assert compute(chain, AS_OF).values["booked_days"] == 20


def test_booked_days_when_work_starts_later_is_zero():
    data = make({"weekly_capacity_hours": 100}, engagements=[work("e1", 100, day(5))])
    assert compute(data, AS_OF).values["booked_days"] == 0


def test_booked_days_load_exactly_at_full_load_counts_as_booked():
    # 80 h = 0.8 x 100 h exactly; two engagements 30 + 50 for 20 days
    data = make(
        {"weekly_capacity_hours": 100},
        engagements=[
            work("e1", 30, date(2024, 1, 1), day(20)),
            work("e2", 50, date(2024, 1, 1), day(20)),
        ],
    )
    assert compute(data, AS_OF).values["booked_days"] == 20


def test_booked_days_projects_end_at_their_deadline_and_end_wins_over_deadline():
    by_deadline = make(
        {"weekly_capacity_hours": 100},
        engagements=[work("p1", 100, date(2024, 6, 1), kind="project", deadline=day(15))],
    )
    assert compute(by_deadline, AS_OF).values["booked_days"] == 15
    by_end = make(
        {"weekly_capacity_hours": 100},
        engagements=[work("p1", 100, date(2024, 6, 1), day(5), kind="project", deadline=day(15))],
    )
    assert compute(by_end, AS_OF).values["booked_days"] == 5
    # a retainer's deadline is not an end: it stays open-ended
    retainer_deadline = make(
        {"weekly_capacity_hours": 100}, engagements=[work("r1", 100, date(2024, 6, 1), deadline=day(15))]
    )
    assert compute(retainer_deadline, AS_OF).values["booked_days"] == 365


def test_full_load_parameter():
    data = make({"weekly_capacity_hours": 100}, engagements=[work("e1", 50, date(2024, 1, 1))])
    assert compute(data, AS_OF).values["booked_days"] == 0  # 50 < 80
    v = compute(data, AS_OF, {"full_load": 0.5}).values
    assert v["full_load"] == 0.5
    assert v["booked_days"] == 365  # 50 >= 0.5 x 100


@pytest.mark.parametrize("capacity", [None, 0])
def test_no_capacity_makes_bookings_unknown(capacity):
    data = make({"weekly_capacity_hours": capacity}, engagements=[work("e1", 40, date(2024, 1, 1))])
    r = compute(data, AS_OF)
    for name in BUSY_METRICS:
        assert r.values[name] is None, name
        assert "capacity" in r.unknown[name]
    assert r.values["full_load"] == 0.8  # the parameter is known regardless


# =========================================================================== cash (G5)


def test_cash_uses_the_latest_balance_on_or_before_the_as_of_date():
    data = make(
        {"monthly_operating_costs": 8000, "credit_line": 20000},
        cash=[
            model.CashEntry(date(2024, 5, 31), 30000),
            model.CashEntry(AS_OF, 24000),  # on the as-of date: the latest
            model.CashEntry(day(5), 99999),  # later: ignored
        ],
    )
    v = compute(data, AS_OF).values
    assert v["cash_balance"] == 24000
    assert v["cash_date"] == "2024-06-15"
    assert v["cash_age_days"] == 0
    assert v["cash_months"] == pytest.approx(3.0)  # 24000 / 8000
    assert v["cash_surplus"] == pytest.approx(-24000)  # 24000 - 6 x 8000
    assert v["ideal_cash_months"] == 6  # the default of the [metrics] parameter
    assert v["monthly_operating_costs"] == 8000
    assert v["credit_line"] == 20000


def test_cash_age_and_entry_order_do_not_matter():
    data = make(
        {"monthly_operating_costs": 1000},
        cash=[
            model.CashEntry(date(2024, 6, 5), 5000),
            model.CashEntry(date(2024, 1, 1), 1000),
            model.CashEntry(date(2024, 6, 11), 7000),  # after the as-of date 2024-06-10
        ],
    )
    v = compute(data, date(2024, 6, 10)).values
    assert v["cash_balance"] == 5000
    assert v["cash_date"] == "2024-06-05"
    assert v["cash_age_days"] == 5  # 2024-06-10 - 2024-06-05
    assert v["cash_months"] == pytest.approx(5.0)  # 5000 / 1000


def test_guide_cash_two_months_and_eight_months():
    two = make({"monthly_operating_costs": 8000}, cash=[model.CashEntry(AS_OF, 16000)])
    v = compute(two, AS_OF).values
    assert v["cash_months"] == pytest.approx(2.0)  # 16000 / 8000
    assert v["cash_surplus"] == pytest.approx(-32000)  # 16000 - 48000: the shortfall
    eight = make({"monthly_operating_costs": 8000}, cash=[model.CashEntry(AS_OF, 64000)])
    v = compute(eight, AS_OF).values
    assert v["cash_months"] == pytest.approx(8.0)  # 64000 / 8000
    assert v["cash_surplus"] == pytest.approx(16000)  # 64000 - 6 x 8000
    assert compute(eight, AS_OF, {"ideal_cash_months": 3}).values["cash_surplus"] == pytest.approx(40000)  # -24000
    assert compute(eight, AS_OF, {"ideal_cash_months": 3}).values["ideal_cash_months"] == 3


def test_negative_balance_gives_negative_months():
    data = make({"monthly_operating_costs": 4000}, cash=[model.CashEntry(AS_OF, -2000)])
    assert compute(data, AS_OF).values["cash_months"] == pytest.approx(-0.5)  # -2000 / 4000


def test_no_costs_makes_cash_months_unknown():
    data = make(cash=[model.CashEntry(AS_OF, 10000)])
    r = compute(data, AS_OF)
    assert r.values["cash_balance"] == 10000
    for name in ("cash_months", "cash_surplus", "monthly_operating_costs"):
        assert r.values[name] is None, name
        assert "operating costs" in r.unknown[name]


@pytest.mark.parametrize("entries", [[], [model.CashEntry(date(2024, 6, 16), 5000)]], ids=["none", "only-later"])
def test_no_cash_entry_up_to_the_as_of_date_makes_cash_unknown(entries):
    data = make({"monthly_operating_costs": 1000}, cash=entries)
    r = compute(data, AS_OF)
    for name in CASH_METRICS:
        assert r.values[name] is None, name
        assert "cash balance" in r.unknown[name]
    assert r.values["monthly_operating_costs"] == 1000


def test_cash_history_finding_is_the_last_12_months_oldest_first():
    data = make(
        cash=[
            model.CashEntry(date(2024, 3, 1), 300),
            model.CashEntry(date(2023, 6, 15), 100),  # exactly 12 months back: excluded
            model.CashEntry(date(2023, 6, 16), 200),
            model.CashEntry(AS_OF, 400),
            model.CashEntry(day(1), 500),  # later: excluded
        ]
    )
    history = compute(data, AS_OF).findings["cash_history"]
    assert [h["date"] for h in history] == ["2023-06-16", "2024-03-01", "2024-06-15"]
    assert [h["balance"] for h in history] == [200, 300, 400]
    assert [h["subject"] for h in history] == ["2023-06-16", "2024-03-01", "2024-06-15"]


def test_overdue_receivables():
    data = make(
        clients=clients("a"),
        invoices=[
            invoice(1, "a", day(-40), 1000, due=day(-1)),  # unpaid, due yesterday: overdue
            invoice(2, "a", day(-40), 2000, due=AS_OF),  # due today: not yet overdue
            invoice(3, "a", day(-60), 3000, due=day(-30), paid=day(-20)),  # paid
            invoice(4, "a", day(-60), 4000),  # no due date
            invoice(5, "a", day(-20), 500, due=day(-5)),  # overdue
            invoice(6, "a", day(1), 700, due=day(1)),  # issued later
        ],
    )
    v = compute(data, AS_OF).values
    assert v["overdue_receivables"] == pytest.approx(1500)  # 1000 + 500
    assert v["overdue_invoices"] == 2


def test_overdue_receivables_counts_invoices_paid_only_after_the_as_of_date():
    # due 2024-06-01, paid 2024-06-30; on 2024-06-15 it was unpaid and 14 days overdue
    data = make(
        clients=clients("a"),
        invoices=[
            invoice(1, "a", date(2024, 5, 1), 1000, due=date(2024, 6, 1), paid=date(2024, 6, 30)),
        ],
    )
    v = compute(data, AS_OF).values
    assert v["overdue_receivables"] == 1000
    assert v["overdue_invoices"] == 1


# =========================================================================== inquiries (G6)


def test_proposal_windows_are_364_and_91_days():
    # 52 weeks: sent > as-of - 364 days and <= as-of; 13 weeks: sent > as-of - 91 days
    sent = {"q1": -364, "q2": -363, "q3": -91, "q4": -90, "q5": 0, "q6": 1}
    data = make(
        inquiries=[inquiry(q, day(off - 1), "proposal_sent", proposal_sent=day(off)) for q, off in sent.items()]
    )
    v = compute(data, AS_OF).values
    assert v["proposals_last_52w"] == 4  # q2, q3, q4, q5
    assert v["proposals_last_13w"] == 2  # q4, q5
    assert v["proposals_per_week_13w"] == pytest.approx(2 / 13)
    # received one day before each proposal: q1 at -365 (out), q2 -364 (out), q3..q5 in, q6 at 0 (in)
    assert v["inquiries_last_52w"] == 4


def test_inquiries_last_52w_counts_received_dates_not_proposals():
    data = make(
        inquiries=[
            inquiry("a", day(-364)),  # out
            inquiry("b", day(-363)),  # in
            inquiry("c", AS_OF),  # in
            inquiry("d", day(1)),  # out: later
            inquiry("e", day(-30), "lost", decided=day(-10)),  # in, no proposal
        ]
    )
    v = compute(data, AS_OF).values
    assert v["inquiries_last_52w"] == 3  # b, c, e
    assert v["proposals_last_52w"] == 0  # known zero, not unknown
    assert v["proposals_last_13w"] == 0
    assert v["proposals_per_week_13w"] == 0


def test_win_rate_leaves_out_declined_and_old_decisions():
    data = make(
        inquiries=[
            inquiry("w1", day(-130), "won", decided=day(-100)),
            inquiry("w2", day(-80), "won", decided=day(-20)),
            inquiry("w3", day(-100), "won", decided=AS_OF),
            inquiry("l1", day(-50), "lost", decided=day(-40)),
            inquiry("d1", day(-50), "declined", decided=day(-45)),  # declined: not a lost pitch
            inquiry("d2", day(-60), "declined", decided=day(-55)),
            inquiry("w4", day(-400), "won", decided=day(-364)),  # decided outside the 52 weeks
            inquiry("l2", day(-400), "lost", decided=day(-370)),  # outside
            inquiry("l3", day(-10), "lost"),  # no decision date
            inquiry("o1", day(-10), "proposal_sent", proposal_sent=day(-5)),  # still open
        ]
    )
    v = compute(data, AS_OF).values
    assert v["win_rate"] == pytest.approx(0.75)  # won 3 / (won 3 + lost 1)
    # cycles of the won ones: 30, 60, 100 days -> median 60
    assert v["median_sales_cycle_days"] == 60


def test_median_sales_cycle_with_an_even_count():
    data = make(
        inquiries=[
            inquiry("w1", day(-40), "won", decided=day(-10)),  # 30 days
            inquiry("w2", day(-70), "won", decided=day(-10)),  # 60 days
            inquiry("w3", day(-100), "won", decided=day(-10)),  # 90 days
            inquiry("w4", day(-110), "won", decided=day(-10)),  # 100 days
        ]
    )
    v = compute(data, AS_OF).values
    assert v["median_sales_cycle_days"] == pytest.approx(75)  # (60 + 90) / 2
    assert v["win_rate"] == pytest.approx(1.0)


def test_open_pipeline_and_open_inquiries():
    data = make(
        inquiries=[
            inquiry("a", day(-5), "new", estimated_value=10000),
            inquiry("b", day(-20), "proposal_sent", proposal_sent=day(-10), estimated_value=5000),
            inquiry("c", day(-3), "proposal_sent", proposal_sent=day(-1)),  # no estimate
            inquiry("d", day(-90), "won", decided=day(-30), estimated_value=99999),
            inquiry("e", day(-90), "lost", decided=day(-30), estimated_value=99999),
            inquiry("f", day(-90), "declined", decided=day(-30), estimated_value=99999),
        ]
    )
    v = compute(data, AS_OF).values
    assert v["open_pipeline_value"] == pytest.approx(15000)  # 10000 + 5000
    assert v["open_inquiry_count"] == 3  # a, b, c


def test_inquiries_without_the_date_their_status_needs_are_counted():
    data = make(
        inquiries=[
            inquiry("w", day(-30), "won"),  # no decision date: not in the win rate
            inquiry("l", day(-30), "lost"),
            inquiry("s", day(-30), "proposal_sent"),  # no proposal date: not in the proposals per week
            inquiry("d", day(-30), "declined"),  # counts nowhere by date: not missing anything
            inquiry("n", day(-30), "new"),
            inquiry("ok", day(-30), "won", decided=day(-5), proposal_sent=day(-20)),
        ]
    )
    v = compute(data, AS_OF).values
    assert v["inquiries_without_dates"] == 3
    assert v["win_rate"] == 1.0 and v["proposals_last_52w"] == 1  # what they are left out of


def test_no_inquiries_makes_every_sales_metric_unknown():
    r = compute(make(), AS_OF)
    for name in SALES_METRICS:
        assert r.values[name] is None, name
        assert "inquiries" in r.unknown[name].lower()
    assert r.findings["proposals_by_week"] == []


def test_inquiries_without_decisions_leave_win_rate_and_cycle_unknown():
    data = make(inquiries=[inquiry("a", day(-5), "new")])
    r = compute(data, AS_OF)
    assert r.values["win_rate"] is None and "won or lost" in r.unknown["win_rate"]
    assert r.values["median_sales_cycle_days"] is None and "won" in r.unknown["median_sales_cycle_days"]
    assert r.values["proposals_last_52w"] == 0
    assert r.values["open_inquiry_count"] == 1
    assert r.values["open_pipeline_value"] == 0


def test_lost_only_gives_a_zero_win_rate_and_unknown_cycle():
    data = make(inquiries=[inquiry("l", day(-30), "lost", decided=day(-1))])
    v = compute(data, AS_OF).values
    assert v["win_rate"] == 0  # 0 / (0 + 1): known
    assert v["median_sales_cycle_days"] is None


def test_proposals_by_week_finding():
    # 26 weeks; week i starts at as-of - 182 + 1 + 7 i
    data = make(
        inquiries=[
            inquiry("a", day(-200), "proposal_sent", proposal_sent=day(-182)),  # just before week 0: not counted
            inquiry("b", day(-200), "proposal_sent", proposal_sent=day(-181)),  # first day of week 0
            inquiry("c", day(-200), "proposal_sent", proposal_sent=day(-175)),  # last day of week 0
            inquiry("d", day(-200), "proposal_sent", proposal_sent=day(-174)),  # week 1
            inquiry("e", day(-10), "proposal_sent", proposal_sent=AS_OF),  # last week (days -6..0)
            inquiry("f", day(-10), "proposal_sent", proposal_sent=day(-6)),  # last week
            inquiry("g", day(-10), "proposal_sent", proposal_sent=day(1)),  # later: not counted
        ]
    )
    weeks = compute(data, AS_OF).findings["proposals_by_week"]
    assert len(weeks) == 26
    assert weeks[0]["week_start"] == day(-181).isoformat() == "2023-12-17"
    assert weeks[-1]["week_start"] == day(-6).isoformat()  # -181 + 7 x 25 = -6
    assert [w["count"] for w in weeks] == [2, 1] + [0] * 23 + [2]
    assert weeks[0]["subject"] == "week of 2023-12-17"


# =========================================================================== deals (G1, G7, G4)


def test_open_inquiries_finding_and_rush_metrics():
    # normal lead time 14 days; rushed = notice (requested start - received) < 14
    data = make(
        inquiries=[
            inquiry(
                "a",
                day(-10),
                "new",
                requested_start=day(-3),
                budget_ok=True,
                enjoy=4,
                industry_fit=2,
                estimated_value=8000,
            ),  # notice 7: rushed, no fee
            inquiry(
                "b", day(-20), "proposal_sent", proposal_sent=day(-15), requested_start=day(-13), rush_fee_pct=25
            ),  # notice 7: rushed, with a fee
            inquiry("c", day(-5), "new", requested_start=day(9), budget_ok=False),  # notice 14: not rushed
            inquiry("d", day(-5), "new"),  # no requested start: rushed unknown
            inquiry("e", day(-100), "lost", decided=day(-90), requested_start=day(-97)),  # notice 3, decided
            inquiry("f", day(-364), "won", decided=day(-300), requested_start=day(-363)),  # received too long ago
        ]
    )
    r = compute(data, AS_OF)
    v = r.values
    assert v["rushed_open_inquiries"] == 1  # a only (b has a rush fee; e is not open)
    # received in the last 52 weeks with a requested start: a, b, c, e; rushed: a, b, e
    assert v["rushed_share"] == pytest.approx(0.75)  # 3 / 4
    assert v["normal_lead_time_days"] == 14
    items = {i["id"]: i for i in r.findings["open_inquiries"]}
    assert list(items) == ["a", "b", "c", "d"]
    a = items["a"]
    assert a == {
        "subject": "inquiry Prospect a (received 2024-06-05)",
        "id": "a",
        "prospect": "Prospect a",
        "status": "new",
        "status_words": "new",
        "received": "2024-06-05",
        "notice_days": 7,
        "notice_text": "want to start 7 days after asking",
        "lead_time_days": 14,
        "rushed": 1,
        "rush_fee_pct": 0,
        "enjoy": 4,
        "industry_fit": 2,
        "enjoy_words": "4/5",
        "fit_words": "2/5",
        "budget_ok": 1,
        "budget_words": "yes",
        "scores_missing": 0,
        "missing_scores": "",
        "estimated_value": 8000,
    }
    assert items["b"]["rushed"] == 1 and items["b"]["rush_fee_pct"] == 25 and items["b"]["status"] == "proposal_sent"
    assert items["c"]["notice_days"] == 14 and items["c"]["rushed"] == 0 and items["c"]["budget_ok"] == 0
    assert items["d"]["notice_days"] is None and items["d"]["rushed"] is None and items["d"]["budget_ok"] is None
    assert items["d"]["enjoy"] is None and items["d"]["estimated_value"] is None


def test_lead_time_setting_changes_what_is_rushed():
    data = make(
        {"normal_lead_time_days": 30},
        inquiries=[
            inquiry("a", day(-5), "new", requested_start=day(15)),  # notice 20 < 30: rushed
            inquiry("b", day(-5), "new", requested_start=day(25)),  # notice 30: not rushed
        ],
    )
    v = compute(data, AS_OF).values
    assert v["normal_lead_time_days"] == 30
    assert v["rushed_open_inquiries"] == 1
    assert v["rushed_share"] == pytest.approx(0.5)  # 1 / 2


def test_rushed_share_unknown_without_requested_starts():
    data = make(inquiries=[inquiry("a", day(-5), "new")])
    r = compute(data, AS_OF)
    assert r.values["rushed_share"] is None
    assert "requested start" in r.unknown["rushed_share"]
    assert r.values["rushed_open_inquiries"] == 0


def test_projects_finding_and_lump_sum_projects():
    data = make(
        clients=clients("a"),
        engagements=[
            # running, milestones: lump sum; 90 days from start to deadline, but no inquiry: rush unknown
            project("p1", "a", 20000, day(-30), billing="milestones", deadline=day(60)),
            # monthly billing, open: not lump sum; no deadline -> notice unknown
            project("p2", "a", 9000, day(-30), billing="monthly"),
            project("p3", "a", 5000, day(-60), day(-1), billing="upfront"),  # ended yesterday: left out
            # deadline on the as-of date: not ended yet; it started 10 days after its won inquiry: rushed
            project("p4", "a", 3000, day(-10), billing="on_completion", deadline=AS_OF),
            retainer("r1", "a", 1000, day(-100)),  # not a project
        ],
        inquiries=[
            # won on day -15, received on day -20: after p1 and p2 started (day -30), before p4 (day -10)
            model.Inquiry(id="w", received=day(-20), prospect="Client A", status="won", decided=day(-15)),
        ],
    )
    r = compute(data, AS_OF)
    assert r.values["lump_sum_projects"] == 2  # p1, p4
    items = {i["id"]: i for i in r.findings["projects"]}
    assert list(items) == ["p1", "p2", "p4"]
    assert items["p1"] == {
        "subject": "the Client A project, May-Aug",
        "id": "p1",
        "client": "Client A",
        "label": "the Client A project, May-Aug",
        "billing": "milestones",
        "billing_words": "in milestones",
        "lump_sum": 1,
        "price": 20000,
        "notice_days": None,
        "notice_text": None,
        "lead_time_days": 14,
        "rushed": None,
        "rush_fee_pct": 0,
    }
    assert items["p2"]["lump_sum"] == 0 and items["p2"]["notice_days"] is None and items["p2"]["rushed"] is None
    # p4's won inquiry arrived on day -20: it started 10 days later, under the lead time of 14
    assert items["p4"]["lump_sum"] == 1 and items["p4"]["notice_days"] == 10 and items["p4"]["rushed"] == 1
    assert items["p4"]["billing_words"] == "on completion"
    assert items["p4"]["notice_text"] == "started 10 days after the inquiry"


# =========================================================================== journey (G8) and actions (G9)


def test_journey_metrics_and_stages_finding():
    data = make(
        journey=[
            model.JourneyActivity("discovery", "blog"),
            model.JourneyActivity("discovery", "talks"),
            model.JourneyActivity("decision", "case studies"),
        ]
    )
    r = compute(data, AS_OF)
    assert r.values["journey_stages_covered"] == 2  # discovery, decision
    assert r.values["journey_activities"] == 3
    stages = r.findings["journey_stages"]
    assert [(s["stage"], s["activities"]) for s in stages] == [("discovery", 2), ("education", 0), ("decision", 1)]
    assert [s["subject"] for s in stages] == ["the discovery stage", "the education stage", "the decision stage"]


def test_empty_journey_has_three_empty_stages():
    r = compute(make(), AS_OF)
    assert r.values["journey_stages_covered"] == 0
    assert [(s["stage"], s["activities"]) for s in r.findings["journey_stages"]] == [
        ("discovery", 0),
        ("education", 0),
        ("decision", 0),
    ]


def test_open_actions_finding():
    S = model.Step
    data = make(
        actions=[
            model.ActionItem(
                "a1",
                "Mixed",
                owner="Ann",
                steps=[
                    S("s1", due=day(-5), done=day(-3)),
                    S("s2", due=day(4)),
                    S("s3", due=day(10)),
                    S("s4"),
                ],
            ),
            model.ActionItem("a2", "Overdue", steps=[S("s1", due=day(-2)), S("s2", due=day(6))]),
            model.ActionItem("a3", "Not started", steps=[S("s1", due=day(5))]),
            model.ActionItem("a4", "Finished", steps=[S("s1", due=day(-9), done=day(-8)), S("s2", done=day(-1))]),
            model.ActionItem("a5", "No steps"),
            model.ActionItem("a6", "No dates", steps=[S("s1"), S("s2")]),
            # the latest done step counts, even when an earlier open step has no due date
            model.ActionItem("a7", "Two done", steps=[S("s1", done=day(-10)), S("s2", done=day(-1)), S("s3")]),
            # a done step's due date is not 'next due'
            model.ActionItem("a8", "Done early", steps=[S("s1", due=day(2), done=day(-4)), S("s2", due=day(9))]),
        ]
    )
    r = compute(data, AS_OF)
    items = {i["id"]: i for i in r.findings["open_actions"]}
    assert list(items) == ["a1", "a2", "a3", "a5", "a6", "a7", "a8"]  # a4 is finished
    assert r.values["open_action_items"] == 7
    assert items["a1"] == {
        "subject": "action Mixed",
        "id": "a1",
        "title": "Mixed",
        "owner": "Ann",
        "steps": 4,
        "open_steps": 3,
        "done_steps": 1,
        "days_to_next_due": 4,  # earliest open due: +4
        "days_since_progress": 3,  # last done 3 days ago
        "days_to_last_due": 10,
        "months_to_last_due": pytest.approx(10 / 30.44),  # latest open due: +10
        "owner_words": "Ann",
        "open_steps_text": "3 open steps",
        "next_due_text": "the next is due in 4 days",
        "progress_text": "the last step was done 3 days ago",
    }
    # no step done: since the earliest due date (-2) -> 2; next due is overdue: -2
    assert (items["a2"]["days_to_next_due"], items["a2"]["days_since_progress"]) == (-2, 2)
    # not started: earliest due in 5 days -> since = -5
    assert (items["a3"]["days_to_next_due"], items["a3"]["days_since_progress"]) == (5, -5)
    assert (items["a5"]["steps"], items["a5"]["open_steps"]) == (0, 0)
    assert (items["a5"]["days_to_next_due"], items["a5"]["days_since_progress"]) == (None, None)
    assert (items["a6"]["days_to_next_due"], items["a6"]["days_since_progress"]) == (None, None)
    assert (items["a7"]["days_to_next_due"], items["a7"]["days_since_progress"]) == (None, 1)
    assert (items["a8"]["days_to_next_due"], items["a8"]["days_since_progress"]) == (9, 4)


def test_no_actions():
    r = compute(make(), AS_OF)
    assert r.values["open_action_items"] == 0
    assert r.findings["open_actions"] == []
