"""The metrics of issue 10, part "revenue": the two revenue bases (running engagements and the
trailing invoices over the months they cover), departed clients, the key-client ruin test, the
recurring share against costs, unlinked invoices, ending retainers, the burn and the runway,
credit notes, and the words the messages use (docs/metrics.md, "Revenue" and "Cash").

Every expected value is worked out by hand in the test, never by calling the code under test.
"""

from __future__ import annotations

from datetime import date

import pytest

from tui_advisor import model
from tui_advisor.metrics import compute
from tui_advisor.metrics.revenue import engagement_label

AS_OF = date(2026, 11, 26)


def make(costs: float | None = 30000, credit_line: float = 0, **collections) -> model.AgencyData:
    data = model.AgencyData(agency=model.Agency(name="T", monthly_operating_costs=costs, credit_line=credit_line))
    data.clients = [
        model.Client(id=c, name=n) for c, n in (("w", "Waterweg"), ("b", "Bakkerij"), ("f", "Ferro"), ("k", "Kestrel"))
    ]
    for name, records in collections.items():
        setattr(data, name, list(records))
    return data


def inv(n, client, issued, amount, **kw) -> model.Invoice:
    return model.Invoice(id=f"i{n}", client=client, issued=issued, amount=amount, **kw)


def retainer(eid, client, fee, start, end=None, **kw) -> model.Engagement:
    return model.Engagement(id=eid, client=client, kind="retainer", start=start, end=end, monthly_fee=fee, **kw)


def project(eid, client, price, start, end=None, **kw) -> model.Engagement:
    return model.Engagement(id=eid, client=client, kind="project", start=start, end=end, price=price, **kw)


def cash(balance, on=date(2026, 11, 20)) -> model.CashEntry:
    return model.CashEntry(date=on, balance=balance)


# ------------------------------------------------------------------ the trailing basis


def test_three_months_of_invoices_are_averaged_over_three_months_not_twelve():
    # the case: a short history. Waterweg 3 x 15,000; Bakkerij and Ferro 3 x 4,000 each;
    # no engagements entered, so the invoices are the basis.
    invoices = []
    for i, d in enumerate((date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1))):
        invoices += [inv(f"w{i}", "w", d, 15000), inv(f"b{i}", "b", d, 4000), inv(f"f{i}", "f", d, 4000)]
    r = compute(make(invoices=invoices), AS_OF)
    v = r.values
    assert v["revenue_basis"] == "invoices"
    assert v["trailing_months"] == 3  # September, October, November
    assert v["revenue_basis_text"] == "on 3 months of invoices"
    assert v["trailing_basis_text"] == "on 3 months of invoices"
    assert v["trailing_monthly_revenue"] == pytest.approx(23000)  # (45,000 + 12,000 + 12,000) / 3
    assert v["monthly_revenue"] == pytest.approx(23000)
    assert v["annual_revenue"] == pytest.approx(276000)  # 23,000 x 12
    assert v["top_client_share"] == pytest.approx(15000 / 23000)  # 65%
    # without Waterweg: 8,000 a month against 30,000 = 26.7% (over twelve months it read 6.7%)
    assert v["revenue_without_largest_vs_costs"] == pytest.approx(8000 / 30000)
    assert v["revenue_vs_costs"] == pytest.approx(23000 / 30000)
    assert r.findings["client_shares"][0]["monthly"] == pytest.approx(15000)
    assert r.findings["client_shares"][0]["revenue"] == pytest.approx(180000)  # per year
    # no engagements entered: nothing runs, and nothing can be said to have ended
    assert v["running_monthly_revenue"] is None and "Engagements" in r.unknown["running_monthly_revenue"]
    assert (
        v["lost_monthly_revenue"] is None and "running work from work that ended" in r.unknown["lost_monthly_revenue"]
    )
    assert v["trailing_note"] == "" and v["largest_client_work"] == ""


@pytest.mark.parametrize(
    ("first", "months"),
    [
        (date(2026, 11, 26), 1),  # issued on the as-of date: 1 month
        (date(2026, 11, 1), 1),
        (date(2026, 10, 31), 2),  # October and November
        (date(2026, 9, 30), 3),  # September to November, though only 57 days
        (date(2026, 1, 1), 11),
        (date(2025, 11, 27), 12),  # the window's first day: November 2025 to November 2026 touch 13 months: capped
        (date(2024, 1, 1), 12),  # a history older than the window: the whole window
    ],
)
def test_trailing_months_are_the_calendar_months_from_the_first_invoice(first, months):
    invoices = [inv(0, "b", first, 1200)]
    if first < date(2025, 11, 27):
        invoices.append(inv(1, "b", date(2026, 6, 1), 1200))  # the only one in the window
    v = compute(make(invoices=invoices), AS_OF).values
    assert v["trailing_months"] == months
    assert v["trailing_monthly_revenue"] == pytest.approx(1200 / months)  # one invoice of 1,200 in the window


def test_one_month_of_invoices_reads_1_month():
    v = compute(make(invoices=[inv(0, "b", date(2026, 11, 2), 500)]), AS_OF).values
    assert v["revenue_basis_text"] == "on 1 month of invoices"


def test_twelve_months_read_the_invoices_of_the_last_12_months():
    v = compute(make(invoices=[inv(0, "b", date(2025, 12, 1), 500)]), AS_OF).values
    assert v["trailing_months"] == 12
    assert v["revenue_basis_text"] == "on the invoices of the last 12 months"


# ------------------------------------------------------------------ the running basis


def test_running_engagements_are_the_basis_and_the_trailing_year_stands_beside_them():
    engagements = [
        retainer("e-w", "w", 10000, date(2024, 1, 1)),  # 10,000 a month, open-ended
        project("e-b", "b", 24000, date(2026, 10, 1), date(2027, 1, 31)),  # Oct-Jan: 4 months: 6,000
        retainer("e-f", "f", 4000, date(2025, 1, 1), date(2026, 10, 31)),  # ended: Ferro left
    ]
    invoices = [inv(m, "f", date(2025, 12 + m, 1) if m == 0 else date(2026, m, 1), 4000) for m in range(0, 11)]
    invoices += [inv(f"w{m}", "w", date(2026, m, 1), 1000) for m in range(1, 12)]  # 11 x 1,000
    data = make(engagements=engagements, invoices=invoices, cash=[cash(60000)])
    r = compute(data, AS_OF)
    v = r.values
    assert v["revenue_basis"] == "engagements"
    assert v["revenue_basis_text"] == "on the engagements running today"
    assert v["running_monthly_revenue"] == pytest.approx(16000)  # 10,000 + 6,000
    assert v["monthly_revenue"] == pytest.approx(16000)
    assert v["largest_client"] == "Waterweg"
    assert v["top_client_share"] == pytest.approx(10000 / 16000)
    # the trailing year: Ferro 11 x 4,000 = 44,000, Waterweg 11 x 1,000 = 11,000; from Dec 2025: 12 months
    assert v["trailing_months"] == 12
    assert v["trailing_monthly_revenue"] == pytest.approx(55000 / 12)
    assert v["trailing_largest_client"] == "Ferro"
    assert v["trailing_top_client_share"] == pytest.approx(0.8)  # 44,000 / 55,000
    assert v["trailing_note"] == ("; on the invoices of the last 12 months, 20%, and the largest was Ferro at 80%")
    assert v["largest_client_work"] == " Running today: the Waterweg retainer (no end date)."
    # Ferro's work ended: lost revenue to replace, not the largest client
    assert v["lost_monthly_revenue"] == pytest.approx(44000 / 12)
    assert v["lost_revenue_share"] == pytest.approx(0.8)
    departed = r.findings["departed_clients"]
    assert [d["name"] for d in departed] == ["Ferro"]
    assert departed[0]["ended"] == "2026-10-31"
    assert departed[0]["days_ago"] == 26  # 2026-10-31 to 2026-11-26
    assert departed[0]["engagement"] == "the Ferro retainer"
    assert departed[0]["monthly"] == pytest.approx(44000 / 12)
    assert departed[0]["share"] == pytest.approx(0.8)
    # the ruin test: without Waterweg 6,000 a month against 30,000: 24,000 short; 60,000 lasts 2.5 months
    assert v["shortfall_without_largest"] == pytest.approx(24000)
    assert v["months_without_largest"] == pytest.approx(2.5)
    # recurring: the Waterweg retainer of the running 16,000
    assert v["recurring_share"] == pytest.approx(10000 / 16000)
    assert v["recurring_monthly_revenue"] == pytest.approx(10000)
    assert v["recurring_vs_costs"] == pytest.approx(10000 / 30000)
    assert v["monthly_billed_share"] == pytest.approx(1.0)  # the project bills monthly (the default)
    assert v["billing_text"].startswith("all of it is billed monthly, so cash flow already feels recurring")
    assert "lumpy" not in v["billing_text"]


def test_the_same_largest_client_on_both_bases_gets_a_short_note():
    data = make(
        engagements=[retainer("e-w", "w", 7000, date(2024, 1, 1)), retainer("e-b", "b", 3000, date(2024, 1, 1))],
        invoices=[inv(1, "w", date(2026, 3, 1), 7000), inv(2, "b", date(2026, 3, 1), 1000)],
    )
    v = compute(data, AS_OF).values
    assert v["trailing_note"] == "; on 9 months of invoices: 88%"  # March to November; 7,000 / 8,000 = 87.5%


def test_a_client_with_work_to_come_or_without_engagements_has_not_left():
    engagements = [
        retainer("e-w", "w", 5000, date(2024, 1, 1), date(2026, 9, 30)),  # ended...
        project("e-w2", "w", 9000, date(2027, 1, 4), date(2027, 3, 31)),  # ...but more is coming
        retainer("e-b", "b", 2000, date(2024, 1, 1), date(2026, 11, 25)),  # ended yesterday: left
        retainer("e-k", "k", 1000, date(2024, 1, 1)),  # runs
    ]
    invoices = [
        inv(1, "w", date(2026, 9, 1), 5000),
        inv(2, "b", date(2026, 9, 1), 2000),
        inv(3, "f", date(2026, 9, 1), 3000),  # Ferro: no engagement on record
        inv(4, "k", date(2026, 9, 1), 1000),
    ]
    r = compute(make(engagements=engagements, invoices=invoices), AS_OF)
    assert [d["name"] for d in r.findings["departed_clients"]] == ["Bakkerij"]
    assert r.values["lost_monthly_revenue"] == pytest.approx(2000 / 3)  # September to November
    assert r.values["lost_revenue_share"] == pytest.approx(2000 / 11000)


def test_engagements_entered_but_none_running_is_a_real_zero_and_the_invoices_are_the_basis():
    data = make(
        engagements=[retainer("e-w", "w", 5000, date(2024, 1, 1), date(2026, 10, 31))],
        invoices=[inv(1, "w", date(2026, 10, 1), 5000)],
    )
    v = compute(data, AS_OF).values
    assert v["running_monthly_revenue"] == 0
    assert v["revenue_basis"] == "invoices"
    assert v["lost_revenue_share"] == pytest.approx(1.0)
    assert v["monthly_burn"] == pytest.approx(30000 - 2500)  # 5,000 over October and November


# ------------------------------------------------------------------ key client: ruin


def test_months_without_largest_is_capped_and_needs_cash():
    engagements = [retainer("e-w", "w", 20000, date(2024, 1, 1)), retainer("e-b", "b", 35000, date(2024, 1, 1))]
    covered = compute(make(engagements=engagements, cash=[cash(10000)]), AS_OF).values
    # without Bakkerij, Waterweg's 20,000 against 30,000: 10,000 short; 10,000 of cash: 1 month
    assert covered["shortfall_without_largest"] == pytest.approx(10000)
    assert covered["months_without_largest"] == pytest.approx(1.0)
    rich = compute(make(engagements=engagements, cash=[cash(2_000_000)]), AS_OF).values
    assert rich["months_without_largest"] == 120  # 200 months, capped
    carried = compute(make(costs=15000, engagements=engagements, cash=[cash(10000)]), AS_OF).values
    assert carried["shortfall_without_largest"] == pytest.approx(-5000)  # 15,000 - 20,000: covered
    assert carried["months_without_largest"] == 120
    overdrawn = compute(make(engagements=engagements, cash=[cash(-5000)]), AS_OF).values
    assert overdrawn["months_without_largest"] == 0
    r = compute(make(engagements=engagements), AS_OF)
    assert r.values["months_without_largest"] is None
    assert "cash balance" in r.unknown["months_without_largest"]
    r = compute(make(costs=None, engagements=engagements, cash=[cash(10000)]), AS_OF)
    for name in ("shortfall_without_largest", "months_without_largest", "recurring_vs_costs"):
        assert r.values[name] is None and "operating costs" in r.unknown[name]


# ------------------------------------------------------------------ recurring: unlinked invoices


def test_an_all_retainer_firm_with_unlinked_invoices_is_not_zero_percent_recurring():
    # no engagement runs on the as-of date (both retainers ended this week) so the invoices are the
    # basis; every invoice lacks its engagement, and each client had one retainer: inferred
    engagements = [
        retainer("e-w", "w", 6000, date(2025, 1, 1), date(2026, 11, 23)),
        retainer("e-b", "b", 4000, date(2025, 1, 1), date(2026, 11, 23)),
    ]
    invoices = [inv(f"{c}{m}", c, date(2026, m, 1), fee) for m in range(1, 12) for c, fee in (("w", 6000), ("b", 4000))]
    v = compute(make(engagements=engagements, invoices=invoices), AS_OF).values
    assert v["revenue_basis"] == "invoices"
    assert v["unlinked_invoices"] == 0
    assert v["recurring_share"] == pytest.approx(1.0)
    assert v["billing_text"] == "all of it comes from retainers"


def test_the_engagement_running_on_the_invoice_date_is_inferred_and_ambiguity_is_said():
    engagements = [
        retainer("e-w1", "w", 6000, date(2025, 1, 1), date(2026, 6, 30)),
        project("e-w2", "w", 12000, date(2026, 7, 1), date(2026, 10, 31), billing="milestones"),
        retainer("e-b1", "b", 1000, date(2025, 1, 1), date(2026, 10, 31)),
        retainer("e-b2", "b", 1000, date(2025, 1, 1), date(2026, 10, 31)),  # two at once: ambiguous
    ]
    invoices = [
        inv(1, "w", date(2026, 3, 1), 6000),  # runs then: e-w1 (retainer)
        inv(2, "w", date(2026, 8, 1), 12000),  # runs then: e-w2 (milestones)
        inv(3, "b", date(2026, 3, 1), 2000),
    ]  # e-b1 or e-b2: not inferred
    v = compute(make(engagements=engagements, invoices=invoices), AS_OF).values
    assert v["unlinked_invoices"] == 1
    assert v["trailing_months"] == 9  # March to November
    # the unlinked 2,000 is 10% of 20,000 (under a quarter): the share is of the linked 18,000
    assert v["recurring_share"] == pytest.approx(6000 / 18000)
    assert v["monthly_billed_share"] == pytest.approx(6000 / 18000)
    assert "lumpy" in v["billing_text"]


def test_mostly_unlinked_invoices_make_the_recurring_share_unknown_with_what_to_enter():
    engagements = [
        retainer("e-b1", "b", 1000, date(2025, 1, 1), date(2026, 10, 31)),
        retainer("e-b2", "b", 1000, date(2025, 1, 1), date(2026, 10, 31)),
    ]
    r = compute(make(engagements=engagements, invoices=[inv(1, "b", date(2026, 10, 1), 2000)]), AS_OF)
    assert r.values["unlinked_invoices"] == 1
    for name in (
        "recurring_share",
        "recurring_monthly_revenue",
        "recurring_vs_costs",
        "monthly_billed_share",
        "billing_text",
    ):
        assert r.values[name] is None
        assert r.unknown[name].startswith("1 invoice of the last 12 months has no engagement: link each invoice")


def test_billing_text_for_partly_monthly_revenue():
    engagements = [
        retainer("e-w", "w", 2000, date(2024, 1, 1)),
        project("e-b", "b", 6000, date(2026, 10, 1), date(2026, 12, 31), billing="monthly"),  # 2,000
        project("e-f", "f", 12000, date(2026, 10, 1), date(2026, 12, 31), billing="on_completion"),
    ]
    v = compute(make(engagements=engagements), AS_OF).values
    assert v["recurring_share"] == pytest.approx(2000 / 8000)
    assert v["monthly_billed_share"] == pytest.approx(4000 / 8000)
    assert v["billing_text"] == (
        "50% is billed monthly; the rest arrives as lump sums (milestones, on completion "
        "or up front), which makes cash flow lumpy"
    )


# ------------------------------------------------------------------ recurring: ending retainers


def test_retainers_ending_within_a_year_are_listed_and_those_within_90_days_counted():
    engagements = [
        retainer("e-w", "w", 4000, date(2024, 1, 1), date(2026, 12, 31), name="Waterweg support"),  # 35 days
        retainer("e-b", "b", 2500, date(2024, 1, 1), date(2027, 2, 24)),  # 90 days: counted
        retainer("e-f", "f", 1500, date(2024, 1, 1), date(2027, 2, 25)),  # 91 days
        retainer("e-k", "k", 1000, date(2024, 1, 1)),  # open-ended: never
        retainer("e-x", "k", 1000, date(2024, 1, 1), date(2028, 1, 1)),  # more than a year
    ]
    r = compute(make(engagements=engagements), AS_OF)
    assert r.values["retainers_ending_90d"] == 2
    items = r.findings["ending_retainers"]
    assert [(i["name"], i["days_left"], i["days_left_text"]) for i in items] == [
        ("Waterweg support", 35, "35 days"),
        ("the Bakkerij retainer", 90, "90 days"),
        ("the Ferro retainer", 91, "91 days"),
    ]
    assert items[0]["client"] == "Waterweg" and items[0]["end"] == "2026-12-31" and items[0]["monthly_fee"] == 4000


# ------------------------------------------------------------------ cash: burn, runway, credit notes


def test_the_burn_and_the_runway_on_the_running_basis():
    data = make(engagements=[retainer("e-w", "w", 22000, date(2024, 1, 1))], cash=[cash(48000)])
    v = compute(data, AS_OF).values
    assert v["monthly_burn"] == pytest.approx(8000)  # 30,000 - 22,000
    assert v["runway_months"] == pytest.approx(6.0)  # 48,000 / 8,000
    assert v["cash_months"] == pytest.approx(1.6)


def test_no_burn_caps_the_runway_and_missing_data_is_unknown():
    earning = compute(make(engagements=[retainer("e-w", "w", 40000, date(2024, 1, 1))], cash=[cash(1000)]), AS_OF)
    assert earning.values["monthly_burn"] == 0
    assert earning.values["runway_months"] == 120
    no_cash = compute(make(engagements=[retainer("e-w", "w", 20000, date(2024, 1, 1))]), AS_OF)
    assert no_cash.values["monthly_burn"] == pytest.approx(10000)
    assert no_cash.values["runway_months"] is None and "cash balance" in no_cash.unknown["runway_months"]
    for r in (compute(make(costs=0, cash=[cash(1000)]), AS_OF), compute(make(costs=None, cash=[cash(1000)]), AS_OF)):
        for name in ("monthly_burn", "runway_months", "cash_months", "cash_surplus"):
            assert r.values[name] is None, name  # never infinite months
            assert "operating costs" in r.unknown[name]
    no_revenue = compute(make(cash=[cash(1000)]), AS_OF)
    assert no_revenue.values["monthly_burn"] is None and "no revenue yet" in no_revenue.unknown["monthly_burn"]


def test_a_credit_note_made_overdue_is_not_money_to_collect():
    invoices = [
        inv(1, "w", date(2026, 9, 1), 20000, due=date(2026, 10, 1)),  # overdue
        inv(2, "w", date(2026, 9, 15), -68000, due=date(2026, 10, 15)),  # a credit note "overdue"
        inv(3, "b", date(2026, 10, 1), 5000, due=date(2026, 11, 1), paid=date(2026, 11, 20)),  # paid
        inv(4, "b", date(2026, 10, 1), 4000, due=date(2026, 11, 25)),  # overdue by a day
    ]
    v = compute(make(invoices=invoices), AS_OF).values
    assert v["overdue_receivables"] == pytest.approx(24000)  # 20,000 + 4,000; the -68,000 left out
    assert v["overdue_invoices"] == 2
    assert v["overdue_invoices_text"] == "2 invoices"
    assert v["overdue_text"] == "2 invoices are overdue, together 24,000 EUR"


def test_words_for_one_overdue_invoice_none_and_the_credit_line():
    one = compute(
        make(credit_line=50000, invoices=[inv(1, "w", date(2026, 9, 1), 1500, due=date(2026, 10, 1))]), AS_OF
    ).values
    assert one["overdue_invoices_text"] == "1 invoice"
    assert one["overdue_text"] == "1 invoice is overdue, 1,500 EUR"
    assert one["credit_line_text"] == "a credit line of 50,000 EUR is arranged"
    none = compute(make(), AS_OF).values
    assert none["overdue_invoices_text"] == "0 invoices"
    assert none["overdue_text"] == "no invoice is overdue"
    assert none["credit_line_text"] == "no credit line is arranged"


# ------------------------------------------------------------------ engagements by name


@pytest.mark.parametrize(
    ("eng", "label"),
    [
        (retainer("e", "w", 1, date(2024, 1, 1), name="Website care"), "Website care"),
        (retainer("e", "w", 1, date(2024, 1, 1)), "the Waterweg retainer"),
        (project("e", "w", 1, date(2026, 10, 1), date(2027, 1, 31)), "the Waterweg project, Oct-Jan"),
        (project("e", "w", 1, date(2026, 10, 1), date(2026, 10, 20)), "the Waterweg project, Oct 2026"),
        (project("e", "w", 1, date(2026, 3, 2), deadline=date(2026, 8, 28)), "the Waterweg project, Mar-Aug"),
        (project("e", "w", 1, date(2026, 1, 15)), "the Waterweg project, Jan-Apr"),  # 3 months: to 2026-04-14
        (project("e", "w", 1, date(2025, 10, 1), date(2026, 12, 31)), "the Waterweg project, Oct 2025-Dec 2026"),
    ],
)
def test_engagement_labels_never_show_the_id(eng, label):
    assert engagement_label(eng, "Waterweg") == label


# ------------------------------------------------------------------ "The numbers" in words


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        ("top_client_share", 0.357, "top client share 36%"),  # a metric: its unit from the registry
        ("alarm_share", 0.35, "alarm share 35%"),  # a parameter: its unit from its name
        ("months_without_largest", 2.5, "months without largest 2.5 months"),
        ("alarm_months", 3, "alarm months 3 months"),
        ("cash_balance", 60000, "cash balance 60,000 EUR"),
        ("runway_months", 120.0, "runway months 120 months"),
        ("hhi", 2500.0, "hhi 2500 of 10000"),
        ("largest_client", "Acme", "largest client Acme"),
        ("cash_months", None, "cash months unknown"),
        ("booked_share_31_60d", 0.457, "booked share days 31-60 46%"),
        ("booked_share_30d", 0.74, "booked share next 30 days 74%"),
        ("proposals_last_52w", 30, "proposals last 52 weeks 30"),
    ],
)
def test_the_numbers_read_with_labels_and_units(name, value, text):
    from tui_advisor.report import number_text

    assert number_text(name, value, "EUR") == text
