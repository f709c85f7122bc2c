"""The independence score (docs/rules.md, "The independence score"): no credit for what is
unknown, the number of pillars it rests on, and the cap while a pillar of independence is
critical. Through the real engine on agencies built for each case (tests/guide_firms.py).
"""

from __future__ import annotations

import json

import pytest

from guide_firms import AS_OF, firm
from tui_advisor import metrics, paths
from tui_advisor.engine.advise import CRITICAL_CAP, INDEPENDENCE, Advice, advise, evaluate
from tui_advisor.engine.rules import RuleSet, load_rules
from tui_advisor.model import from_document
from tui_advisor.report import render_json, render_markdown, render_text, score_line
from tui_advisor.workspace import load_input


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    rs = load_rules(paths.rules_dir())
    assert not rs.problems, [str(p) for p in rs.problems]
    return rs


def run(ruleset: RuleSet, doc: dict, **kw) -> Advice:
    return advise(from_document(doc), AS_OF, ruleset, **kw)


def formula(scores: list[int]) -> int:
    return round((sum(scores) / len(scores) + min(scores)) / 2)


# ------------------------------------------------------------------ a critical pillar caps it


def test_the_guides_firm_a_sample_scores_below_50(ruleset: RuleSet) -> None:
    """Firm A (sample_data/firm_a.json): two clients at 50%; four other pillars good. Was 59."""
    a = advise(load_input(paths.sample_file("firm_a")), AS_OF, ruleset)
    assert a.pillars["key_client"].status == "act"
    assert a.score is not None and a.score < 50, a.score_why
    assert a.score_capped_by == ["key_client"]
    assert f"at most {CRITICAL_CAP} while a pillar is critical (key-client risk" in a.score_why


def test_a_built_firm_a_scores_below_50_though_everything_else_is_perfect(ruleset: RuleSet) -> None:
    a = run(ruleset, firm(shares={"Alpha Foods": 0.5, "Beta Logistics": 0.5}))
    others = [a.pillars[p].score for p in INDEPENDENCE if p != "key_client"]
    # cash at 6.5 months is the ideal reserve: CASH009 "keep it there" is its only advice, a
    # confirmation of a good state, which costs nothing (it cost 10 before)
    assert others == [100, 100, 100, 100], a.score_why
    assert "0 CASH009 cash-at-ideal (confirms a good state)" in a.pillars["cash"].why
    assert [r.rule for r in a.recommendations if r.pillar == "cash"] == ["CASH009"]
    assert a.score == CRITICAL_CAP == 49
    assert a.score_basis == list(INDEPENDENCE)


def test_one_client_at_60_percent_scores_below_50(ruleset: RuleSet) -> None:
    """One client at 60% of revenue, four at 10%; cash 3.5 months, revenue 1.1 times the costs:
    losing the big client leaves 0.44 of the costs coming in. Was 56 with such a firm."""
    shares = {"Polder Telecom": 0.6, "Bakkerij Jansen": 0.1, "Ferro Bikes": 0.1, "Kestrel": 0.1, "Vela": 0.1}
    a = run(ruleset, firm(shares=shares, cash_months=3.5, revenue_vs_costs=1.1))
    assert a.metrics.values["top_client_share"] == pytest.approx(0.6, abs=0.005)
    assert any(r.pillar == "key_client" and r.severity == "critical" for r in a.recommendations)
    assert a.score is not None and a.score < 50, a.score_why
    assert "key_client" in a.score_capped_by


def test_the_cap_is_a_parameter(ruleset: RuleSet) -> None:
    """evaluate(critical_cap=): 100 takes the cap away (the plain formula), 30 lowers it."""
    doc = firm(shares={"Alpha Foods": 0.5, "Beta Logistics": 0.5})
    result = metrics.compute(from_document(doc), AS_OF)
    free = evaluate(result, ruleset, critical_cap=100)
    scores = [free.pillars[p].score for p in INDEPENDENCE]
    assert free.score == formula(scores) > 49  # four at 100 and key client at 31..40: well above the cap
    low = evaluate(result, ruleset, critical_cap=30)
    assert low.score == 30 and low.score_cap == 30
    assert "at most 30 while a pillar is critical" in low.score_why
    assert f"{free.score} without the cap" in low.score_why


def test_no_critical_pillar_no_cap(ruleset: RuleSet) -> None:
    """A client at 30% is a warning: the score is the plain formula, and says nothing of a cap."""
    shares = {"Harbor & Lane": 0.3, **{f"Client {i}": 0.1 for i in range(7)}}
    a = run(ruleset, firm(shares=shares, revenue_vs_costs=1.6))
    assert not [r for r in a.recommendations if r.severity == "critical"], a.recommendations
    assert a.score_capped_by == []
    assert a.score == formula([a.pillars[p].score for p in INDEPENDENCE])
    assert "at most" not in a.score_why


def test_a_cash_shortage_caps_too(ruleset: RuleSet) -> None:
    a = run(ruleset, firm(cash_months=2))
    assert a.score_capped_by == ["cash"]
    assert a.score <= CRITICAL_CAP


# ------------------------------------------------------------------ no credit for the unknown


def test_no_cash_balance_leaves_the_cash_pillar_unknown_not_good(ruleset: RuleSet) -> None:
    """No cash entry, but overdue invoices can still be checked (they are none): the cash pillar
    used to score 100 'good' on that alone. Now it is unknown and the score rests on 4 pillars."""
    doc = firm(cash_months=None)
    a = run(ruleset, doc)
    assert a.metrics.values["cash_months"] is None
    cash = a.pillars["cash"]
    assert cash.score is None and cash.status == "unknown", cash
    assert any("not scored" in w for w in cash.why), cash.why
    assert a.score_basis == ["key_client", "busy", "inquiries", "recurring"]
    assert score_line(a) == f"{a.score}/100 on 4 of 5 pillars"
    # the pillar does not leave the score silently: it is named, with what to enter
    assert "not counted, so it gives no credit: cash in the bank (" in a.score_why
    assert "enter a cash balance" in a.score_why
    assert "cash in the bank unknown" in a.score_why


def test_no_capacity_leaves_busy_unknown(ruleset: RuleSet) -> None:
    doc = firm()
    doc["agency"]["weekly_capacity_hours"] = None
    a = run(ruleset, doc)
    assert a.pillars["busy"].score is None and a.pillars["busy"].status == "unknown"
    assert "busy" not in a.score_basis and len(a.score_basis) == 4
    assert "busy already (" in a.score_why and "weekly capacity" in a.score_why


def test_two_unknown_pillars_are_both_named_and_the_basis_is_three(ruleset: RuleSet) -> None:
    doc = firm(cash_months=None)
    doc["inquiries"] = []
    a = run(ruleset, doc)
    assert a.score_basis == ["key_client", "busy", "recurring"]
    assert score_line(a).endswith("on 3 of 5 pillars")
    assert "the 3 components of 5 that can be scored" in a.score_why
    for title in ("cash in the bank (", "many inquiries ("):
        assert title in a.score_why


def test_an_unknown_pillar_is_no_credit_the_score_is_the_formula_of_the_known_ones(ruleset: RuleSet) -> None:
    """Cash unknown and a weak pillar known: the score is the formula of the four known ones,
    not pulled up by a 100 for cash (nor down by a 0)."""
    doc = firm(cash_months=None, proposals_a_year=20)
    a = run(ruleset, doc)
    known = [a.pillars[p].score for p in a.score_basis]
    assert a.pillars["inquiries"].score < 100
    assert a.score == formula(known)
    with_cash_100 = formula(known + [100])
    assert a.score != with_cash_100 or min(known) == 100


def test_nothing_known_no_score(ruleset: RuleSet) -> None:
    a = advise(load_input(paths.sample_file("empty")), AS_OF, ruleset)
    assert a.score is None and a.score_basis == []
    assert score_line(a) == "unknown"
    assert a.score_why.startswith("unknown: none of the five components of independence can be scored yet")


def test_a_disabled_pillar_is_named_as_disabled(ruleset: RuleSet) -> None:
    a = run(ruleset, firm(), disable=["REC"])
    assert a.pillars["recurring"].status == "off"
    assert a.score_basis == ["cash", "key_client", "busy", "inquiries"]
    assert "recurring revenue (its rules are disabled)" in a.score_why


# ------------------------------------------------------------------ the headline says the basis


def test_the_headlines_say_how_many_pillars(ruleset: RuleSet) -> None:
    a = run(ruleset, firm(cash_months=None))
    assert f"Independence score: {a.score}/100 on 4 of 5 pillars" in render_text(a)
    assert f"**Independence score: {a.score}/100** on 4 of 5 pillars" in render_markdown(a)
    doc = json.loads(render_json(a))
    assert doc["score"] == a.score
    assert doc["score_line"] == f"{a.score}/100 on 4 of 5 pillars"
    assert doc["score_basis"] == {
        "pillars": ["key_client", "busy", "inquiries", "recurring"],
        "of": 5,
        "critical": [],
        "cap": CRITICAL_CAP,
    }


# ------------------------------------------------------------------ confirmations are free


@pytest.mark.parametrize(("cash_months", "rule"), [(6.0, "CASH009"), (6.5, "CASH009"), (9.0, "CASH003")])
def test_a_confirmed_good_cash_reserve_costs_no_points(ruleset: RuleSet, cash_months: float, rule: str) -> None:
    """Exactly the ideal six months, within it, and a surplus above it: the cash advice ("keep it
    there", "put the surplus to work") confirms a good state; the cash pillar scores 100 (90
    before: a firm with more cash scored lower than one whose advice said nothing)."""
    a = run(ruleset, firm(cash_months=cash_months))
    assert [r.rule for r in a.recommendations if r.pillar == "cash"] == [rule], a.score_why
    assert a.pillars["cash"].score == 100, a.pillars["cash"].why
    assert a.pillars["cash"].status == "good"


def test_a_problem_next_to_a_confirmation_still_costs(ruleset: RuleSet) -> None:
    """5.9 months is under the ideal: CASH002 (warning) costs its points as before."""
    a = run(ruleset, firm(cash_months=5.9))
    assert "CASH002" in [r.rule for r in a.recommendations]
    assert a.pillars["cash"].score < 80, a.pillars["cash"].why


def test_kind_is_checked_in_a_rule_file(tmp_path) -> None:
    base = (
        '[[rule]]\nid = "TEAM00{n}"\nname = "x-{n}"\npillar = "cash"\nsource = "G5"\nseverity = "{sev}"\n'
        'kind = "{kind}"\nwhen = "cash_months > 1"\ntitle = "t"\nmessage = "m"\nrationale = "r"\n'
        'actions = ["a"]\n'
    )
    (tmp_path / "team.toml").write_text(
        base.format(n=1, sev="warning", kind="confirmation")
        + base.format(n=2, sev="info", kind="confirmaton")
        + base.format(n=3, sev="info", kind="confirmation")
    )
    rs = load_rules(None, [tmp_path / "team.toml"])
    problems = [str(p) for p in rs.problems]
    assert any("TEAM001" in p and "kind 'confirmation' is for info rules" in p for p in problems), problems
    assert any("TEAM002" in p and "did you mean 'confirmation'" in p for p in problems), problems
    assert [(r.id, r.kind) for r in rs.rules] == [("TEAM003", "confirmation")]
