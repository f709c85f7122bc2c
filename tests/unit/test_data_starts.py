"""Where the agency's data starts (metrics/span.py): data_starts, first_record, days_before_data.

Every expected value is worked out by hand next to it.
"""

from __future__ import annotations

from datetime import date

import pytest

from tui_advisor import model
from tui_advisor.metrics import compute

AS_OF = date(2024, 6, 15)


def data(**collections) -> model.AgencyData:
    d = model.AgencyData(agency=model.Agency(name="Test Agency"))
    d.clients = [model.Client(id="c1", name="Bakkerij Jansen"), model.Client(id="c2", name="Polder Telecom")]
    for name, records in collections.items():
        setattr(d, name, list(records))
    return d


def test_no_dated_record_leaves_all_three_unknown_with_what_to_enter() -> None:
    r = compute(data(), AS_OF)
    for name in ("data_starts", "first_record", "days_before_data"):
        assert r.values[name] is None
        assert "enter invoices" in r.unknown[name]


def test_the_earliest_of_the_four_kinds_of_record_is_the_start() -> None:
    d = data(
        invoices=[
            model.Invoice(id="i1", client="c1", issued=date(2024, 3, 1), amount=100),
            model.Invoice(id="i2", client="c2", issued=date(2024, 2, 10), amount=100),
        ],
        engagements=[model.Engagement(id="e1", client="c2", kind="retainer", start=date(2024, 4, 1), monthly_fee=1)],
        cash=[model.CashEntry(date(2024, 2, 20), 5000)],
        inquiries=[model.Inquiry(id="q1", received=date(2024, 2, 15), prospect="Brightwave")],
    )
    r = compute(d, AS_OF)
    # the earliest: invoice i2 on 2024-02-10 (before the inquiry 02-15, the cash 02-20, the engagement 04-01)
    assert r.values["data_starts"] == "2024-02-10"
    assert r.values["first_record"] == "an invoice to Polder Telecom, issued 2024-02-10"
    assert r.values["days_before_data"] == 0  # the as-of date 2024-06-15 is after it


@pytest.mark.parametrize(
    "kind, expected_words",
    [
        ("engagements", "the Bakkerij Jansen project, starting 2024-07-01"),
        ("cash", "a cash balance dated 2024-07-01"),
        ("inquiries", "an inquiry from Brightwave, received 2024-07-01"),
        ("invoices", "an invoice to Bakkerij Jansen, issued 2024-07-01"),
    ],
)
def test_each_kind_alone_sets_the_start_and_the_days_before(kind: str, expected_words: str) -> None:
    first = date(2024, 7, 1)
    record = {
        "engagements": model.Engagement(id="e1", client="c1", kind="project", start=first, price=9000),
        "cash": model.CashEntry(first, 1000),
        "inquiries": model.Inquiry(id="q1", received=first, prospect="Brightwave"),
        "invoices": model.Invoice(id="i1", client="c1", issued=first, amount=500),
    }[kind]
    r = compute(data(**{kind: [record]}), AS_OF)
    assert r.values["data_starts"] == "2024-07-01"
    assert r.values["first_record"] == expected_words
    # 2024-06-15 -> 2024-07-01: 15 days left in June + 1 = 16 days
    assert r.values["days_before_data"] == 16


def test_as_of_on_the_first_day_is_not_before() -> None:
    d = data(cash=[model.CashEntry(AS_OF, 1000)])
    assert compute(d, AS_OF).values["days_before_data"] == 0
    # one day earlier: 1 day before
    assert compute(d, date(2024, 6, 14)).values["days_before_data"] == 1


def test_same_day_records_name_the_invoice_first() -> None:
    same = date(2024, 7, 1)
    d = data(cash=[model.CashEntry(same, 1000)], invoices=[model.Invoice(id="i1", client="c2", issued=same, amount=1)])
    assert compute(d, AS_OF).values["first_record"] == "an invoice to Polder Telecom, issued 2024-07-01"


def test_of_two_invoices_on_the_first_day_the_first_in_the_data_is_named() -> None:
    first, later = date(2024, 2, 10), date(2024, 3, 1)
    d = data(
        invoices=[
            model.Invoice(id="i1", client="c1", issued=later, amount=100),
            model.Invoice(id="i2", client="c2", issued=first, amount=100),  # the first of the two on 02-10
            model.Invoice(id="i3", client="c1", issued=first, amount=100),
        ]
    )
    assert compute(d, AS_OF).values["first_record"] == "an invoice to Polder Telecom, issued 2024-02-10"
    d.invoices[1], d.invoices[2] = d.invoices[2], d.invoices[1]  # the other one first in the data
    assert compute(d, AS_OF).values["first_record"] == "an invoice to Bakkerij Jansen, issued 2024-02-10"


# ============================================================ the engine: no claim built on zeros

from tui_advisor import paths  # noqa: E402
from tui_advisor.engine.advise import evaluate  # noqa: E402
from tui_advisor.engine.rules import load_rules  # noqa: E402
from tui_advisor.metrics import FINDINGS, METRICS, MetricResult  # noqa: E402

CASE_AS_OF = date(2026, 11, 26)
# cash at 2 months, nothing booked, nothing recurring: three criticals when the numbers are facts
ZEROS = {
    "cash_months": 2.0,
    "cash_balance": 60000,
    "cash_date": "2026-11-20",
    "cash_age_days": 6,
    "cash_surplus": -120000,
    "monthly_operating_costs": 30000,
    "credit_line": 0,
    "overdue_receivables": 0,
    "overdue_invoices": 0,
    "booked_share_30d": 0.0,
    "booked_share_31_60d": 0.0,
    "recurring_share": 0.0,
    "monthly_billed_share": 0.0,
    "proposals_last_52w": 0,
    "inquiries_last_52w": 0,
}


@pytest.fixture(scope="module")
def ruleset():
    return load_rules(paths.rules_dir())


def result_with(values: dict, journey_gap: bool = False) -> MetricResult:
    vals = {n: values.get(n) for n in METRICS}
    findings = {f: [] for f in FINDINGS}
    if journey_gap:
        findings["journey_stages"] = [{"subject": "the education stage", "stage": "education", "activities": 0}]
    return MetricResult(
        as_of=CASE_AS_OF, values=vals, unknown={n: "not given" for n, v in vals.items() if v is None}, findings=findings
    )


def test_before_the_data_only_the_notice_and_no_score(ruleset) -> None:
    before = {
        **ZEROS,
        "days_before_data": 30,
        "data_starts": "2026-12-26",
        "first_record": "a cash balance dated 2026-12-26",
    }
    a = evaluate(result_with(before), ruleset)
    assert [r.rule for r in a.recommendations] == ["DATA001"]
    notice = a.recommendations[0]
    assert notice.severity == "warning" and notice.priority == 1 and notice.name == "as-of-before-data"
    assert "2026-11-26 is before the agency's data starts (2026-12-26)" in notice.title
    assert "a cash balance dated 2026-12-26, 30 days after 2026-11-26" in notice.message
    assert notice.actions[0] == "Choose an as-of date on or after 2026-12-26."
    assert a.score is None and a.score_basis == []
    for p in ("cash", "key_client", "busy", "inquiries", "recurring", "deals", "execution"):
        assert a.pillars[p].status == "unknown" and a.pillars[p].score is None, p
        assert "before the agency's data starts (2026-12-26)" in a.pillars[p].why[0]


def test_the_same_numbers_on_the_first_day_are_judged(ruleset) -> None:
    """days_before_data 0 (or unknown): the rules run; the three criticals show, no notice."""
    for extra in ({"days_before_data": 0, "data_starts": "2026-11-26"}, {}):
        a = evaluate(result_with({**ZEROS, **extra}), ruleset)
        rules = [r.rule for r in a.recommendations]
        assert "DATA001" not in rules
        assert {r.pillar for r in a.recommendations if r.severity == "critical"} >= {"cash", "busy", "recurring"}


def test_before_the_data_the_journey_is_still_checked(ruleset) -> None:
    """The journey map has no dates: a stage with no activity is a gap whatever the as-of date."""
    a = evaluate(
        result_with(
            {
                "days_before_data": 5,
                "data_starts": "2026-12-01",
                "first_record": "an inquiry from Brightwave, received 2026-12-01",
            },
            journey_gap=True,
        ),
        ruleset,
    )
    assert [r.rule for r in a.recommendations] == ["DATA001", "JRN001"]
    assert "5 days after" in a.recommendations[0].message
    assert a.pillars["journey"].score is not None
