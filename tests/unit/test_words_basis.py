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
    assert share_basis({"revenue_basis": "invoices", "revenue_basis_text": "on 3 months of invoices"}) == \
        "of revenue, on 3 months of invoices"
