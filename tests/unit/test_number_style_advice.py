"""The advice's texts write amounts in the agency's number style, in one place: a rule's
template's grouped numbers ({cash_balance:,.0f}) through engine.rules.render, "the numbers"
through report.number_text, the metrics' own texts through metrics.Context.money."""

from __future__ import annotations

from datetime import date

import pytest

from tui_advisor import metrics, paths
from tui_advisor.engine.rules import render
from tui_advisor.report import number_text
from tui_advisor.workspace import load_input


@pytest.mark.parametrize(
    "template, env, decimal, expected",
    [
        ("{b:,.0f} EUR", {"b": 136000}, ",", "136.000 EUR"),
        ("{b:,.0f} EUR", {"b": 136000}, ".", "136,000 EUR"),
        ("{b:,.2f}", {"b": 1234567.5}, ",", "1.234.567,50"),
        ("{b:,.0f}", {"b": -1250.0}, ",", "-1.250"),
        ("{m:.1f} months", {"m": 4.0}, ",", "4.0 months"),  # not an amount: as the rule wrote it
        ("{s:.0%}", {"s": 0.48}, ",", "48%"),
        ("{name:,}", {"name": "A, B. C"}, ",", "A, B. C"),  # a text is never changed
        ("{b:,.0f}", {"b": None}, ",", "unknown"),
    ],
)
def test_render_writes_grouped_numbers_in_the_style(template, env, decimal, expected):
    assert render(template, env, decimal=decimal) == expected


def test_the_numbers_write_money_in_the_style():
    assert number_text("cash_balance", 136000, "EUR", decimal=",") == "cash balance 136.000 EUR"
    assert number_text("cash_balance", 136000, "USD") == "cash balance 136,000 USD"
    assert number_text("cash_months", 4.5, "EUR", decimal=",") == "cash months 4.5 months"


@pytest.mark.parametrize("decimal, grouped", [(",", "74.500 EUR"), (".", "74,500 EUR")])
def test_a_metrics_own_text_writes_its_amount_in_the_style(decimal, grouped):
    data = load_input(paths.sample_file("demo"))
    result = metrics.compute(data, date(2026, 11, 26), None, decimal)
    assert f"out worth {grouped}" in result.values["tentative_work"]
    english = metrics.compute(data, date(2026, 11, 26))
    assert english.values["cash_balance"] == result.values["cash_balance"] == 136000, "the numbers are the same"
