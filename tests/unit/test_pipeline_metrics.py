"""Metrics of the pipeline pillars changed by issue 10: booked shares and their missing hours (G2),
the one inquiry target, tentative work and proposals needed (G6), rushes measured from the
inquiry (G7), client fit and scores (G1), plan length and words (G9).

Every expected value is worked out by hand in a comment next to it.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from tui_advisor import model
from tui_advisor.metrics import compute
from tui_advisor.metrics.deals import names_text
from tui_advisor.metrics.revenue import engagement_label

AS_OF = date(2024, 6, 15)


def day(n: int) -> date:
    return AS_OF + timedelta(days=n)


def make(agency: dict | None = None, **collections) -> model.AgencyData:
    data = model.AgencyData(agency=model.Agency(name="Test", **(agency or {})))
    for name, records in collections.items():
        setattr(data, name, list(records))
    return data


def retainer(eid, client, fee, start, end=None, hours=0, **kw):
    return model.Engagement(
        id=eid, client=client, kind="retainer", start=start, end=end, monthly_fee=fee, hours_per_week=hours, **kw
    )


def project(eid, client, price, start, end=None, hours=0, **kw):
    return model.Engagement(
        id=eid, client=client, kind="project", start=start, end=end, price=price, hours_per_week=hours, **kw
    )


def inquiry(qid, received, status="new", prospect=None, **kw):
    return model.Inquiry(id=qid, received=received, prospect=prospect or f"Prospect {qid}", status=status, **kw)


# ================================================================== busy (G2)


def test_hours_not_entered_make_the_booked_shares_unknown_and_name_the_engagement():
    data = make(
        {"weekly_capacity_hours": 100},
        clients=[model.Client(id="b", name="Bakkerij")],
        engagements=[
            retainer("r1", "b", 5000, date(2024, 1, 1), hours=60),
            # no hours, running Oct-Jan? here: from day 10 to day 100
            project("p1", "b", 9000, day(10), day(100)),
            project("old", "b", 9000, date(2024, 1, 1), day(-1)),  # ended: does not matter
        ],
    )
    r = compute(data, AS_OF)
    for name in ("booked_share_30d", "booked_share_31_60d", "booked_summary", "booked_load_now", "booked_days"):
        assert r.values[name] is None, name
    reason = r.unknown["booked_share_30d"]
    # day 10 = 2024-06-25, day 100 = 2024-09-23: Jun-Sep
    assert reason.startswith("enter the hours per week of the Bakkerij project, Jun-Sep (Engagements)")
    assert r.values["engagements_without_hours"] == 1  # not the ended one


def test_an_engagement_without_hours_after_day_60_leaves_the_shares_known():
    data = make(
        {"weekly_capacity_hours": 100},
        engagements=[
            retainer("r1", "c", 5000, date(2024, 1, 1), hours=70),
            project("p1", "c", 9000, day(61), day(90)),  # no hours, starts on day 61
        ],
    )
    r = compute(data, AS_OF)
    assert r.values["engagements_without_hours"] == 0
    assert r.values["booked_share_30d"] == pytest.approx(0.7)  # 70 / 100
    assert r.values["booked_share_31_60d"] == pytest.approx(0.7)
    # booked_days looks a year ahead, into the engagement without hours: unknown
    assert r.values["booked_days"] is None and "hours per week" in r.unknown["booked_days"]


def test_79_percent_load_is_79_percent_booked_not_0_days():
    # capacity 100 h a week, one open-ended retainer of 79 h: 79 x 30 / 7 over 100 x 30 / 7
    data = make({"weekly_capacity_hours": 100}, engagements=[retainer("r1", "c", 9000, date(2024, 1, 1), hours=79)])
    v = compute(data, AS_OF).values
    assert v["booked_share_30d"] == pytest.approx(0.79)
    assert v["booked_share_31_60d"] == pytest.approx(0.79)
    assert v["booked_days"] == 0  # under the full-load mark of 80 h from tomorrow: the old cliff
    assert v["booked_summary"] == "79% booked for the next 30 days, 79% for days 31-60"


def test_booked_summary_of_two_different_months():
    # capacity 70: r1 35 h open-ended (35 x 30 / 7 = 150 h a window); r2 35 h ends on day 30
    # first window (150 + 150) / 300 = 100%, second 150 / 300 = 50%
    data = make(
        {"weekly_capacity_hours": 70},
        engagements=[
            retainer("r1", "c", 1000, date(2024, 1, 1), hours=35),
            retainer("r2", "c", 1000, date(2024, 1, 1), day(30), hours=35),
        ],
    )
    assert compute(data, AS_OF).values["booked_summary"] == "100% booked for the next 30 days, 50% for days 31-60"


# ============================================================ inquiries (G6)


def _sales_data(**agency):
    return make(
        agency or None,
        inquiries=[
            # decided in the last 52 weeks: 2 won, 3 lost -> win rate 0.4
            inquiry("w1", day(-100), "won", proposal_sent=day(-90), decided=day(-40), estimated_value=12000),  # 60 days
            inquiry(
                "w2", day(-200), "won", proposal_sent=day(-190), decided=day(-110), estimated_value=8000
            ),  # 90 days
            inquiry("l1", day(-50), "lost", proposal_sent=day(-45), decided=day(-20)),
            inquiry("l2", day(-60), "lost", proposal_sent=day(-55), decided=day(-30)),
            inquiry("l3", day(-70), "lost", proposal_sent=day(-65), decided=day(-35)),
            # out: proposals sent, open
            inquiry("o1", day(-20), "proposal_sent", proposal_sent=day(-10), estimated_value=30000),
            inquiry("o2", day(-12), "proposal_sent", proposal_sent=day(-5), estimated_value=15000),
            inquiry("o3", day(-8), "proposal_sent", proposal_sent=day(-2)),  # no value: counts 0
            inquiry("n1", day(-3), "new", estimated_value=99000),  # new: not a proposal out
            # declined: two in the last 52 weeks (one in the last 13), one older
            inquiry("d1", day(-30), "declined", decided=day(-29)),
            inquiry("d2", day(-200), "declined", decided=day(-199)),
            inquiry("d3", day(-400), "declined", decided=day(-399)),
        ],
    )


def test_requests_in_13_weeks_declined_and_tentative_work():
    r = compute(_sales_data(), AS_OF)
    v = r.values
    # received after day -91: l1 (-50), l2 (-60), l3 (-70), o1, o2, o3, n1, d1 -> 8
    assert v["inquiries_last_13w"] == 8
    assert v["inquiries_per_week_13w"] == pytest.approx(8 / 13)
    # received in the last 52 weeks: all but d3 -> 11; declined among them: d1, d2
    assert v["inquiries_last_52w"] == 11
    assert v["declined_last_52w"] == 2
    # proposals sent in the last 52 weeks: w1, w2, l1, l2, l3, o1, o2, o3 -> 8
    assert v["inquiries_summary"] == "8 proposals and 11 requests in 52 weeks"
    assert v["win_rate"] == pytest.approx(0.4)  # declined ones are not lost proposals
    assert v["proposals_out"] == 3
    assert v["proposals_out_value"] == 45000  # 30,000 + 15,000 + 0
    assert v["proposals_out_weighted"] == pytest.approx(18000)  # 45,000 x 0.4
    assert v["tentative_work"] == "3 proposals out worth 45,000 EUR, 18,000 EUR at your 40% win rate"


def test_sales_cycle_average_deal_and_fill_date():
    v = compute(_sales_data(), AS_OF).values
    assert v["median_sales_cycle_days"] == 75  # (60 + 90) / 2
    assert v["sales_cycle_days"] == 75
    assert v["sales_cycle_basis"] == "the median of your 2 won deals of the last 52 weeks"
    assert v["proposals_fill_from"] == "2024-08-29"  # 2024-06-15 + 75 days
    assert v["average_deal_value"] == pytest.approx(10000)  # (12,000 + 8,000) / 2


def test_without_a_won_deal_the_cycle_is_the_guides_two_to_three_months():
    data = make(inquiries=[inquiry("l1", day(-50), "lost", proposal_sent=day(-45), decided=day(-20))])
    r = compute(data, AS_OF)
    assert r.values["median_sales_cycle_days"] is None
    assert r.values["sales_cycle_days"] == 75
    assert "the guide's two to three months" in r.values["sales_cycle_basis"]
    assert compute(data, AS_OF, {"guide_sales_cycle_days": 60}).values["sales_cycle_days"] == 60
    # no inquiries at all: the guide's cycle still holds, the counts are unknown
    empty = compute(make(), AS_OF)
    assert empty.values["sales_cycle_days"] == 75 and empty.values["proposals_out"] is None


def test_tentative_work_without_a_win_rate_and_with_none_out():
    data = make(inquiries=[inquiry("o1", day(-20), "proposal_sent", proposal_sent=day(-10), estimated_value=1000)])
    r = compute(data, AS_OF)
    assert r.values["tentative_work"] == "1 proposal out worth 1,000 EUR (no win rate yet to weigh them by)"
    assert r.values["proposals_out_weighted"] is None
    none_out = compute(make(inquiries=[inquiry("n1", day(-3))]), AS_OF)
    assert none_out.values["tentative_work"] == "no proposal is out"
    assert none_out.values["proposals_out"] == 0


def test_only_old_inquiries_are_a_real_zero():
    data = make(inquiries=[inquiry("x", day(-500), "won", proposal_sent=day(-490), decided=day(-450))])
    r = compute(data, AS_OF)
    for name in (
        "proposals_last_52w",
        "inquiries_last_52w",
        "inquiries_last_13w",
        "declined_last_52w",
        "proposals_out",
    ):
        assert r.values[name] == 0, name
    assert r.values["inquiries_summary"] == "0 proposals and 0 requests in 52 weeks"
    one = make(inquiries=[inquiry("x", day(-5), "proposal_sent", proposal_sent=day(-4))])
    assert compute(one, AS_OF).values["inquiries_summary"] == "1 proposal and 1 request in 52 weeks"
    assert r.values["inquiries_per_week_13w"] == 0


def test_weekly_value_to_sell_and_proposals_needed():
    # capacity 100 h, full load 0.8 -> 80 h a week to keep booked
    # running today: r1 5,200 a month, 30 h, open-ended (held); r2 5,200 a month, 30 h, ends on day 40
    # value 10,400 a month = 10,400 x 12 / 52 = 2,400 a week over 60 h -> 40 an hour
    # to sell: (80 - 30 held) x 40 = 2,000 a week
    # proposals needed: 2,000 / (win rate 0.4 x average deal 10,000) = 0.5 a week
    data = _sales_data(weekly_capacity_hours=100)
    data.engagements = [
        retainer("r1", "c", 5200, date(2024, 1, 1), hours=30),
        retainer("r2", "c", 5200, date(2024, 1, 1), day(40), hours=30),
        retainer("r3", "c", 99999, day(1), hours=50),
    ]  # starts tomorrow: not running today
    v = compute(data, AS_OF).values
    assert v["weekly_value_to_sell"] == pytest.approx(2000)
    assert v["proposals_needed_per_week"] == pytest.approx(0.5)


def test_proposals_needed_unknown_without_capacity_running_work_or_a_win():
    data = _sales_data()
    r = compute(data, AS_OF)
    assert r.values["proposals_needed_per_week"] is None
    assert "weekly capacity" in r.unknown["proposals_needed_per_week"]
    data = _sales_data(weekly_capacity_hours=100)  # no engagements: no value of an hour
    r = compute(data, AS_OF)
    assert r.values["weekly_value_to_sell"] is None and "value of an hour" in r.unknown["weekly_value_to_sell"]
    lost_only = make(
        {"weekly_capacity_hours": 100},
        engagements=[retainer("r1", "c", 5200, date(2024, 1, 1), day(40), hours=30)],
        inquiries=[inquiry("l1", day(-50), "lost", proposal_sent=day(-45), decided=day(-20))],
    )
    r = compute(lost_only, AS_OF)
    assert r.values["win_rate"] == 0
    assert r.values["proposals_needed_per_week"] is None
    assert "no proposal was won" in r.unknown["proposals_needed_per_week"]


# ================================================================ deals (G1, G7)


def test_a_rush_is_measured_from_receipt_by_the_requested_start_or_else_the_deadline():
    # lead time 14 days
    data = make(
        inquiries=[
            inquiry("a", day(-2), requested_start=day(5)),  # 7 days: rushed
            inquiry("b", day(-2), deadline=day(8)),  # no start; deadline 10 days after receipt: rushed
            inquiry("c", day(-2), requested_start=day(60), deadline=day(64)),  # 4-day job, 62 days ahead: not rushed
            inquiry("d", day(-2), requested_start=day(-2)),  # the same day: rushed
            inquiry("e", day(-2)),  # neither: unknown, not in the sample
            inquiry("f", day(-400), requested_start=day(-399)),  # too old for the share
        ]
    )
    r = compute(data, AS_OF)
    items = {i["id"]: i for i in r.findings["open_inquiries"]}
    assert (items["a"]["notice_days"], items["a"]["rushed"]) == (7, 1)
    assert items["a"]["notice_text"] == "want to start 7 days after asking"
    assert (items["b"]["notice_days"], items["b"]["rushed"]) == (10, 1)
    assert items["b"]["notice_text"] == "need it delivered 10 days after asking"
    assert (items["c"]["notice_days"], items["c"]["rushed"]) == (62, 0)
    assert items["d"]["notice_text"] == "want to start on the day they asked"
    assert items["e"]["rushed"] is None
    assert r.values["rush_sample"] == 4  # a, b, c, d
    assert r.values["rushed_inquiries_52w"] == 3  # a, b, d
    assert r.values["rushed_share"] == pytest.approx(0.75)


def test_one_rush_inquiry_is_a_sample_of_one():
    r = compute(make(inquiries=[inquiry("a", day(-2), requested_start=day(1))]), AS_OF)
    assert r.values["rushed_share"] == 1.0
    assert r.values["rush_sample"] == 1  # DEAL004 wants at least 5


def test_a_short_project_planned_months_ahead_is_not_a_rush():
    data = make(
        clients=[model.Client(id="k", name="Kaasboer")],
        engagements=[
            # a one-week project, won from an inquiry received 130 days before its start
            project("p1", "k", 4000, day(10), deadline=day(17)),
            # a project that started 3 days after its inquiry (matched by name, case and spaces aside)
            project("p2", "k", 4000, day(-5), deadline=day(80), billing="upfront"),
        ],
        inquiries=[
            inquiry("q1", day(-120), "won", prospect="Kaasboer", decided=day(-100)),
            inquiry("q2", day(-8), "won", prospect=" kaasboer ", decided=day(-7)),
        ],
    )
    items = {i["id"]: i for i in compute(data, AS_OF).findings["projects"]}
    # p1 starts on day 10: the latest won inquiry received by then is q2 (day -8): 18 days
    assert (items["p1"]["notice_days"], items["p1"]["rushed"]) == (18, 0)
    # p2 starts on day -5: q2 (day -8) -> 3 days, under 14: rushed
    assert (items["p2"]["notice_days"], items["p2"]["rushed"]) == (3, 1)
    assert items["p2"]["billing_words"] == "upfront"
    assert items["p1"]["label"] == "the Kaasboer project, Jun-Jul"  # 2024-06-25 to 2024-07-02
    only_old = make(
        clients=[model.Client(id="k", name="Kaasboer")],
        engagements=[project("p1", "k", 4000, day(10), deadline=day(17))],
        inquiries=[inquiry("q1", day(-120), "won", prospect="Kaasboer", decided=day(-100))],
    )
    (item,) = compute(only_old, AS_OF).findings["projects"]
    assert (item["notice_days"], item["rushed"]) == (130, 0)


def test_scores_words_and_duplicate_subjects():
    data = make(
        inquiries=[
            inquiry("a", day(-2), "proposal_sent", prospect="Acme", proposal_sent=day(-1), industry_fit=3),
            inquiry("b", day(-2), prospect="Acme", enjoy=2, industry_fit=5, budget_ok=False),
            inquiry("c", day(-3), prospect="Beta"),
        ]
    )
    items = {i["id"]: i for i in compute(data, AS_OF).findings["open_inquiries"]}
    assert items["a"]["subject"] == "inquiry Acme (received 2024-06-13)"
    assert items["b"]["subject"] == "inquiry Acme (received 2024-06-13) #2"
    assert items["a"]["status_words"] == "proposal sent"
    assert (items["a"]["scores_missing"], items["a"]["missing_scores"]) == (2, "enjoyment and budget")
    assert (items["b"]["scores_missing"], items["b"]["budget_words"]) == (0, "no")
    assert (items["a"]["enjoy_words"], items["a"]["fit_words"]) == ("not scored", "3/5")
    assert (items["c"]["scores_missing"], items["c"]["missing_scores"]) == (3, "enjoyment, industry fit and budget")


def test_client_fit_shares_of_the_work_running_today():
    data = make(
        clients=[
            model.Client(id="g", name="Grind", enjoy=1, industry_fit=4),
            model.Client(id="h", name="Happy", enjoy=5),
        ],
        engagements=[
            retainer("r1", "g", 6000, date(2024, 1, 1)),  # 6,000 a month
            # 12,000 over 2024-06-01..2024-08-31 = 3 months: 4,000 a month
            project("p1", "h", 12000, date(2024, 6, 1), date(2024, 8, 31)),
            retainer("r2", "h", 9000, date(2023, 1, 1), day(-1)),  # ended: not running
            retainer("r3", "x", 0, date(2024, 1, 1)),  # no value; client not on record
        ],
    )
    items = compute(data, AS_OF).findings["client_fit"]
    assert [i["name"] for i in items] == ["Grind", "Happy"]
    assert items[0]["share"] == pytest.approx(0.6)  # 6,000 / 10,000
    assert items[0]["monthly_value"] == pytest.approx(6000)
    assert (items[0]["enjoy"], items[0]["industry_fit"], items[0]["enjoy_words"]) == (1, 4, "1/5")
    assert items[1]["share"] == pytest.approx(0.4)
    assert items[1]["fit_words"] == "not scored"
    assert compute(make(), AS_OF).findings["client_fit"] == []


def test_engagement_labels_and_names_in_words():
    e = SimpleNamespace(kind="project", start=date(2026, 10, 1), end=None, deadline=date(2027, 1, 31))
    assert engagement_label(e, "Bakkerij") == "the Bakkerij project, Oct-Jan"
    named = SimpleNamespace(name="Website relaunch", kind="project", start=date(2026, 10, 1), end=None, deadline=None)
    assert engagement_label(named, "Bakkerij") == "Website relaunch"
    open_ended = SimpleNamespace(kind="retainer", start=date(2024, 1, 15), end=None, deadline=None)
    assert engagement_label(open_ended, "Acme") == "the Acme retainer"  # the one label (revenue.py) for every use
    one_month = SimpleNamespace(kind="project", start=date(2026, 3, 2), end=date(2026, 3, 20), deadline=None)
    assert engagement_label(one_month, "Acme") == "the Acme project, Mar 2026"
    long = SimpleNamespace(kind="retainer", start=date(2024, 1, 1), end=date(2025, 3, 31), deadline=None)
    assert engagement_label(long, "Acme") == "the Acme retainer"
    year_on = SimpleNamespace(kind="project", start=date(2025, 1, 15), end=date(2026, 1, 10), deadline=None)
    assert engagement_label(year_on, "Acme") == "the Acme project, Jan 2025-Jan 2026"  # never "Jan-Jan"
    assert names_text([]) == ""
    assert names_text(["A"]) == "A"
    assert names_text(["A", "B"]) == "A and B"
    assert names_text(["A", "B", "C", "D", "E"]) == "A, B, C and 2 more"


# ================================================================ execution (G9)


def test_open_actions_plan_length_and_words():
    S = model.Step
    data = make(
        actions=[
            # weekly steps, the first ticked off early today: next due in 14 days, last in 28
            model.ActionItem(
                "a1",
                "Price list",
                owner="Ann",
                steps=[
                    S("s1", due=day(7), done=AS_OF),
                    S("s2", due=day(14)),
                    S("s3", due=day(21)),
                    S("s4", due=day(28)),
                ],
            ),
            # nine months of monthly steps, none done
            model.ActionItem("a2", "New website", steps=[S(f"s{i}", due=day(30 * i + 4)) for i in range(1, 10)]),
            model.ActionItem("a3", "Overdue", steps=[S("s1", due=day(-2))]),
            model.ActionItem("a4", "Price list", steps=[S("s1")]),  # same title: a second subject
        ]
    )
    items = {i["id"]: i for i in compute(data, AS_OF).findings["open_actions"]}
    a1 = items["a1"]
    assert (a1["days_to_next_due"], a1["days_since_progress"], a1["days_to_last_due"]) == (14, 0, 28)
    assert a1["open_steps_text"] == "3 open steps" and a1["done_steps"] == 1
    assert a1["progress_text"] == "the last step was done today"
    a2 = items["a2"]
    assert a2["days_to_last_due"] == 274  # 30 x 9 + 4
    assert a2["months_to_last_due"] == pytest.approx(274 / 30.44)  # 9.0
    assert a2["owner_words"] == "no owner yet"
    assert a2["progress_text"] == "no step is done yet; the first is due in 34 days"
    a3 = items["a3"]
    assert a3["next_due_text"] == "the next was due 2 days ago"
    assert a3["open_steps_text"] == "1 open step"
    assert a3["progress_text"] == "no step is done yet; the first was due 2 days ago"
    assert items["a4"]["subject"] == "action Price list #2"
    assert items["a4"]["next_due_text"] == "no open step has a due date"
    assert items["a4"]["progress_text"] == "no step is done yet"
