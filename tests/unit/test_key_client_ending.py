"""Key-client risk on work that is about to end (G3, issue 10): a running client whose work all
ends within ``ending_within_days`` (90) is revenue to replace (the finding ``ending_clients``),
and the dominance metrics judge the largest client whose work continues past that horizon.

Every expected value is worked out by hand in the test, never by calling the code under test.
"""

from __future__ import annotations

from datetime import date

import pytest

from tui_advisor import model
from tui_advisor.metrics import compute

AS_OF = date(2026, 11, 26)


def make(**collections) -> model.AgencyData:
    data = model.AgencyData(agency=model.Agency(name="T", monthly_operating_costs=30000))
    data.clients = [
        model.Client(id=c, name=n) for c, n in (("k", "Kestrel"), ("w", "Waterweg"), ("b", "Bakkerij"), ("f", "Ferro"))
    ]
    data.cash = [model.CashEntry(date=date(2026, 11, 20), balance=60000)]
    for name, records in collections.items():
        setattr(data, name, list(records))
    return data


def retainer(eid, client, fee, start, end=None) -> model.Engagement:
    return model.Engagement(id=eid, client=client, kind="retainer", start=start, end=end, monthly_fee=fee)


def project(eid, client, price, start, end) -> model.Engagement:
    return model.Engagement(id=eid, client=client, kind="project", start=start, end=end, price=price)


def demo_like() -> model.AgencyData:
    # Kestrel: a project Oct-Dec, 45,000 over 3 months = 15,000 a month, ends 2026-12-31 (35 days on);
    # Waterweg: an open retainer of 10,000; Bakkerij: a retainer of 9,000 to 2027-06-30 (216 days);
    # Ferro: a retainer of 6,000 to 2027-02-24, exactly 90 days on (ending, the horizon counts).
    return make(
        engagements=[
            project("k1", "k", 45000, date(2026, 10, 1), date(2026, 12, 31)),
            retainer("w1", "w", 10000, date(2025, 1, 1)),
            retainer("b1", "b", 9000, date(2026, 1, 1), date(2027, 6, 30)),
            retainer("f1", "f", 6000, date(2026, 3, 1), date(2027, 2, 24)),
        ]
    )


def test_a_client_whose_work_ends_within_90_days_is_revenue_to_replace_not_the_largest_client():
    r = compute(demo_like(), AS_OF)
    v = r.values
    total = 15000 + 10000 + 9000 + 6000  # 40,000 running a month
    assert v["monthly_revenue"] == pytest.approx(total)
    assert v["largest_running_client"] == "Kestrel"
    assert v["largest_running_client_end"] == "2026-12-31"
    # the dominance metrics judge Waterweg, the largest whose work goes on past 2027-02-24
    assert v["largest_client"] == "Waterweg"
    assert v["top_client_share"] == pytest.approx(10000 / 40000)  # 25%
    assert v["revenue_without_largest_vs_costs"] == pytest.approx(30000 / 30000)  # 40,000 - 10,000
    assert v["shortfall_without_largest"] == pytest.approx(0)
    # the concentration of today's work is unchanged: 37.5^2 + 25^2 + 22.5^2 + 15^2
    assert v["hhi"] == pytest.approx(1406.25 + 625 + 506.25 + 225)
    assert v["ending_share"] == pytest.approx((15000 + 6000) / 40000)  # 52.5%
    ending = r.findings["ending_clients"]
    assert [i["name"] for i in ending] == ["Kestrel", "Ferro"]
    assert ending[0] == {
        "subject": "client Kestrel",
        "name": "Kestrel",
        "share": pytest.approx(0.375),
        "monthly": pytest.approx(15000),
        "end": "2026-12-31",
        "days_left": 35,
        "days_left_text": "35 days",
        "engagement": "the Kestrel project, Oct-Dec",
        "within_days": 90,
    }
    assert ending[1]["days_left"] == 90 and ending[1]["engagement"] == "the Ferro retainer"
    assert "Waterweg" in v["largest_client_work"] and "Kestrel" not in v["largest_client_work"]


def test_a_follow_on_engagement_past_the_horizon_keeps_the_client_as_the_largest():
    data = demo_like()
    data.engagements.append(project("k2", "k", 30000, date(2027, 1, 4), date(2027, 3, 31)))  # still to start
    r = compute(data, AS_OF)
    assert r.values["largest_client"] == "Kestrel"
    assert r.values["top_client_share"] == pytest.approx(15000 / 40000)  # k2 does not run today
    assert r.values["largest_running_client_end"] == "2027-03-31"
    assert [i["name"] for i in r.findings["ending_clients"]] == ["Ferro"]
    assert r.values["ending_share"] == pytest.approx(6000 / 40000)


def test_the_horizon_is_a_parameter_and_one_day_past_it_the_work_continues():
    data = demo_like()
    r = compute(data, AS_OF, params={"ending_within_days": 89})
    assert [i["name"] for i in r.findings["ending_clients"]] == ["Kestrel"]  # Ferro: 90 days > 89
    r = compute(data, AS_OF, params={"ending_within_days": 30})
    assert r.findings["ending_clients"] == [] and r.values["ending_share"] == 0
    assert r.values["largest_client"] == "Kestrel" and r.values["top_client_share"] == pytest.approx(0.375)


def test_when_all_the_work_ends_within_the_horizon_nothing_is_split_off():
    # a project shop: every project ends within 90 days; the dominance metrics judge the largest as before
    data = make(
        engagements=[
            project("k1", "k", 45000, date(2026, 10, 1), date(2026, 12, 31)),
            project("w1", "w", 20000, date(2026, 11, 1), date(2027, 1, 31)),
        ]
    )
    r = compute(data, AS_OF)
    assert r.findings["ending_clients"] == [] and r.values["ending_share"] == 0
    assert r.values["largest_client"] == "Kestrel"
    # 15,000 against 20,000 / 3 months = 6,666.67: Kestrel is 15,000 / 21,666.67 = 69.2%
    assert r.values["top_client_share"] == pytest.approx(15000 / (15000 + 20000 / 3))
    assert r.values["largest_running_client_end"] == "2026-12-31"


def test_on_the_invoice_basis_the_running_client_is_unknown():
    data = make(invoices=[model.Invoice(id="i1", client="k", issued=date(2026, 11, 1), amount=9000)])
    r = compute(data, AS_OF)
    assert r.values["revenue_basis"] == "invoices"
    for name in ("largest_running_client", "largest_running_client_end", "ending_share"):
        assert r.values[name] is None and "Engagements" in r.unknown[name]
    assert r.findings["ending_clients"] == []
    assert r.values["largest_client"] == "Kestrel"
