"""Words an owner reads (issue 10, §5): the key numbers say their basis, and "The numbers" read
thresholds as thresholds. Through the real engine on agencies built for each case."""

from __future__ import annotations

import pytest

from guide_firms import AS_OF, firm
from tui_advisor import paths
from tui_advisor.engine.advise import advise
from tui_advisor.engine.rules import load_rules
from tui_advisor.model import from_document
from tui_advisor.report import key_number, render_markdown, render_text, share_basis


@pytest.fixture(scope="module")
def ruleset():
    return load_rules(paths.rules_dir())


def test_the_key_client_number_on_the_work_running_today(ruleset) -> None:
    a = advise(from_document(firm(shares={"Alpha Foods": 0.6, "Beta": 0.2, "Gamma": 0.2})), AS_OF, ruleset)
    assert a.metrics.values["revenue_basis"] == "engagements"
    assert key_number(a, "key_client") == "largest client 60% of the work running today"
    assert "largest client 60% of the work running today" in render_text(a, width=100)
    assert "largest client 60% of the work running today" in render_markdown(a)


def test_the_key_client_number_on_the_invoices_says_how_many_months(ruleset) -> None:
    """Projects that ended a month ago: nothing runs, the share is of the invoices."""
    a = advise(from_document(firm(shares={"Alpha Foods": 0.5, "Beta": 0.5}, work="projects")), AS_OF, ruleset)
    values = a.metrics.values
    assert values["revenue_basis"] == "invoices"
    text = values["revenue_basis_text"]
    assert text.startswith("on ") and text.endswith("invoices")
    assert key_number(a, "key_client") == f"largest client 50% of revenue, {text}"


def test_without_a_basis_the_share_is_of_revenue() -> None:
    assert share_basis({}) == "of revenue"
    assert share_basis({"revenue_basis": "invoices", "revenue_basis_text": None}) == "of revenue"
    assert share_basis({"revenue_basis": "engagements"}) == "of the work running today"
    assert (
        share_basis({"revenue_basis": "invoices", "revenue_basis_text": "on 3 months of invoices"})
        == "of revenue, on 3 months of invoices"
    )


# ------------------------------------------------------------------ thresholds read as thresholds


@pytest.mark.parametrize(
    ("name", "value", "op", "text"),
    [
        ("alarm_days", 30, "<", "alarm under 30 days"),  # 'booked_days < alarm_days'
        ("alarm_share", 0.35, ">", "alarm over 35%"),
        ("alarm_months", 6, ">=", "alarm under 6 months"),  # 'runway >= alarm_months': the alarm's other side
        ("warn_share", 0.2, ">", "warning over 20%"),
        ("target_share", 0.7, "<", "target at least 70%"),  # fires short of the target
        ("target_share", 0.5, ">=", "target at least 50%"),  # fires once it is met
        ("per_year", 52, "<", "target at least 52 a year"),
        ("per_week", 1, "<", "target at least 1.00 a week"),
        ("min_months", 3, "<", "minimum 3 months"),
        ("min_months", 3, ">=", "minimum 3 months"),
        ("max_share", 0.3, ">", "maximum 30%"),
        ("ideal_months", 6, "<", "ideal 6 months"),
        ("low_score", 2, "<=", "low score at most 2"),
        ("thin_share", 0.5, "<", "thin under 50%"),
        ("short_runway", 12, "<", "short runway under 12 months"),
        ("within_days", 90, "<=", "within 90 days"),
        ("stall_days", 30, ">", "stall over 30 days"),
        ("min_months", None, "<", "min months unknown"),  # unknown stays unknown
        ("alarm_share", 0.35, None, "alarm share 35%"),  # not compared: as before
        ("cash_months", 2.5, None, "cash months 2.5 months"),  # a metric: as before
    ],
)
def test_the_numbers_read_thresholds_as_thresholds(name, value, op, text) -> None:
    from tui_advisor.report import number_text

    assert number_text(name, value, "EUR", op) == text


def test_a_rule_knows_the_comparison_of_each_parameter(ruleset) -> None:
    from tui_advisor.engine.rules import thresholds

    assert thresholds("x < alarm_days", ["alarm_days"]) == {"alarm_days": "<"}
    assert thresholds("alarm_days > x", ["alarm_days"]) == {"alarm_days": "<"}  # the parameter on the right
    assert thresholds("a > p * b and c <= q", ["p", "q"]) == {"p": ">", "q": "<="}
    assert thresholds("a > 0", ["p"]) == {}
    rules = ruleset.by_id()
    assert rules["CASH001"].thresholds == {"min_months": "<"}
    assert rules["KEY001"].thresholds == {"alarm_share": ">"}
    assert rules["INQ001"].thresholds == {"per_year": "<"}


def test_the_numbers_of_a_recommendation_say_its_thresholds(ruleset) -> None:
    """A firm with 2 months of cash: CASH001's numbers read 'minimum 3 months'."""
    from tui_advisor.report import numbers_text

    a = advise(from_document(firm(cash_months=2.0)), AS_OF, ruleset)
    rec = next(r for r in a.recommendations if r.rule == "CASH001")
    assert rec.thresholds == {"min_months": "<"}
    text = numbers_text(rec.numbers, "EUR", rec.thresholds)
    assert "minimum 3 months" in text and "min months" not in text
    assert "cash months 2 months" in text
