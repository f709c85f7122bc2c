"""Rule unit tests as data: every [[case]] of rule_cases.toml runs the built-in rules.

A case gives metric values (and items of findings); the rules are evaluated with
``engine.advise.evaluate`` on a MetricResult built from it, and the case says which
rules must fire, stay silent, come first, and what the recommendations must say.
The key reference is at the top of rule_cases.toml.
"""

from __future__ import annotations

import random
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tui_advisor import paths
from tui_advisor.engine.advise import INDEPENDENCE, Advice, Recommendation, evaluate
from tui_advisor.engine.rules import PILLARS, Rule, RuleSet, load_rules
from tui_advisor.metrics import FINDINGS, METRICS, MetricResult

AS_OF = date(2026, 11, 26)
CASES_FILE = Path(__file__).with_name("rule_cases.toml")
# cases of one pillar may stand in a file of their own: rule_cases_<pillar>.toml
CASES_FILES = [CASES_FILE, *sorted(CASES_FILE.parent.glob("rule_cases_*.toml"))]
NOT_GIVEN = "not given"
DATA_NEEDED = "DATA000"

CASE_KEYS = {
    "name",
    "note",
    "metrics",
    "unknown",
    "findings",
    "params",
    "disable",
    "fires",
    "silent",
    "top",
    "only",
    "order",
    "count",
    "subjects",
    "title_contains",
    "message_contains",
    "actions_contain",
    "data_needed",
    "no_data_needed",
}
RULE_ID_LISTS = ("fires", "silent", "only", "order")
RULE_ID_TABLES = ("count", "subjects", "title_contains", "message_contains", "actions_contain")


def _load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for f in CASES_FILES:
        with f.open("rb") as fh:
            cases.extend(tomllib.load(fh)["case"])
    return cases


CASES = _load_cases()


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    rs = load_rules(paths.rules_dir())
    assert not rs.problems, [str(p) for p in rs.problems]
    return rs


def metric_result(case: dict[str, Any]) -> MetricResult:
    given = case.get("metrics", {})
    reasons = case.get("unknown", {})
    values = {name: given.get(name) for name in METRICS}
    unknown = {name: reasons.get(name, NOT_GIVEN) for name, v in values.items() if v is None}
    findings = {f: [dict(item) for item in case.get("findings", {}).get(f, [])] for f in FINDINGS}
    return MetricResult(as_of=AS_OF, values=values, unknown=unknown, findings=findings)


def run_case(case: dict[str, Any], ruleset: RuleSet) -> Advice:
    return evaluate(
        metric_result(case),
        ruleset,
        agency="Test Agency",
        currency="EUR",
        disable=case.get("disable", []),
        params=[case.get("params", {})],
    )


def _as_list(v: Any) -> list[str]:
    return [v] if isinstance(v, str) else list(v)


def _describe(recs: list[Recommendation]) -> str:
    return (
        "\n".join(
            f"  {r.priority}. {r.rule} [{r.severity}, d={r.distance}] {r.title}"
            + (f" | {r.subject}" if r.subject else "")
            for r in recs
        )
        or "  (none)"
    )


def _data_subjects(rec: Recommendation) -> set[str]:
    return set((rec.subject or "").split(", "))


# ------------------------------------------------------------------------------ the case file


def test_case_file_is_well_formed(ruleset: RuleSet) -> None:
    """Typos in the case file would make cases pass vacuously: reject them."""
    rules = ruleset.by_id()
    ids = set(rules) | {DATA_NEEDED}
    problems: list[str] = []
    names = [c.get("name") for c in CASES]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"case name used twice: {dup!r}")
    for case in CASES:
        where = f"case {case.get('name')!r}"
        if not isinstance(case.get("name"), str):
            problems.append(f"{where}: needs a name")
        for key in sorted(set(case) - CASE_KEYS):
            problems.append(f"{where}: unknown key {key!r}")
        if not any(k in case for k in ("fires", "silent", "top", "only", "order")):
            problems.append(f"{where}: checks nothing (give fires, silent, top, only or order)")
        for m in (
            list(case.get("metrics", {}))
            + list(case.get("unknown", {}))
            + list(case.get("data_needed", {}))
            + list(case.get("no_data_needed", []))
        ):
            if m not in METRICS:
                problems.append(f"{where}: unknown metric {m!r}")
        for f, items in case.get("findings", {}).items():
            if f not in FINDINGS:
                problems.append(f"{where}: unknown finding {f!r}")
                continue
            for item in items:
                for field in set(item) - set(FINDINGS[f].fields):
                    problems.append(f"{where}: finding {f} has no field {field!r}")
        for key in RULE_ID_LISTS:
            for rid in case.get(key, []):
                if rid not in ids:
                    problems.append(f"{where}: {key} names unknown rule {rid!r}")
        for key in RULE_ID_TABLES:
            for rid in case.get(key, {}):
                if rid not in ids:
                    problems.append(f"{where}: {key} names unknown rule {rid!r}")
        if "top" in case and case["top"] not in ids:
            problems.append(f"{where}: top names unknown rule {case['top']!r}")
        for rid, values in case.get("params", {}).items():
            if rid not in rules:
                problems.append(f"{where}: params for unknown rule {rid!r}")
                continue
            for p in values:
                if p not in rules[rid].params:
                    problems.append(f"{where}: rule {rid} has no parameter {p!r}")
        both = set(case.get("fires", [])) & set(case.get("silent", []))
        if both:
            problems.append(f"{where}: both fires and silent: {sorted(both)}")
        for sel in case.get("disable", []):
            if not any(rid.startswith(sel) for rid in rules):
                problems.append(f"{where}: disable {sel!r} matches no rule")
    assert not problems, "\n".join(problems)


def _metrics_read(rule: Rule) -> set[str]:
    fields = set(FINDINGS[rule.each].fields) if rule.each else set()
    return {n for n in rule.names if n in METRICS and n not in rule.params and n not in fields}


def _silence_is_meaningful(rule: Rule, case: dict[str, Any]) -> bool:
    """The rule ran on known values in this case (so its silence tests its condition)."""
    if any(rule.id.startswith(sel) for sel in case.get("disable", [])):
        return False
    if rule.each and not case.get("findings", {}).get(rule.each):
        return False
    return _metrics_read(rule) <= set(case.get("metrics", {}))


def test_every_rule_has_a_firing_and_a_silent_case(ruleset: RuleSet) -> None:
    """A new built-in rule without cases fails the suite."""
    missing: list[str] = []
    for rule in ruleset.rules:
        if not any(rule.id in c.get("fires", []) or c.get("top") == rule.id for c in CASES):
            missing.append(f"{rule.id} {rule.name}: no case where it fires")
        if not any(rule.id in c.get("silent", []) and _silence_is_meaningful(rule, c) for c in CASES):
            missing.append(
                f"{rule.id} {rule.name}: no case where it stays silent although every metric it "
                f"reads ({', '.join(sorted(_metrics_read(rule))) or 'its finding items'}) is given"
            )
    assert not missing, "add cases to tests/unit/rule_cases.toml:\n" + "\n".join(missing)


# ---------------------------------------------------------------------------------- the cases


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_case(case: dict[str, Any], ruleset: RuleSet) -> None:
    advice = run_case(case, ruleset)
    recs = advice.recommendations
    shown = [r.rule for r in recs]
    by_rule: dict[str, list[Recommendation]] = {}
    for r in recs:
        by_rule.setdefault(r.rule, []).append(r)
    got = f"\nrecommendations:\n{_describe(recs)}"

    for rid in case.get("fires", []):
        assert rid in shown, f"{rid} should fire{got}"
    for rid in case.get("silent", []):
        assert rid not in shown, f"{rid} should stay silent{got}"
    if "top" in case:
        assert recs, f"{case['top']} should come first{got}"
        assert recs[0].rule == case["top"], f"{case['top']} should come first{got}"
    if "only" in case:
        assert set(shown) == set(case["only"]), f"exactly {case['only']} should be shown{got}"
    if "order" in case:
        firsts = [shown.index(rid) for rid in case["order"] if rid in shown]
        assert len(firsts) == len(case["order"]), f"all of {case['order']} should be shown{got}"
        assert firsts == sorted(firsts), f"{case['order']} should appear in this order{got}"
    for rid, n in case.get("count", {}).items():
        assert len(by_rule.get(rid, [])) == n, f"{rid} should appear {n} times{got}"
    for rid, subjects in case.get("subjects", {}).items():
        assert [r.subject for r in by_rule.get(rid, [])] == subjects, f"subjects of {rid}{got}"
    for key, attr in (("title_contains", "title"), ("message_contains", "message")):
        for rid, texts in case.get(key, {}).items():
            assert rid in by_rule, f"{rid} should fire{got}"
            for text in _as_list(texts):
                values = [getattr(r, attr) for r in by_rule[rid]]
                assert any(text in v for v in values), f"no {attr} of {rid} contains {text!r}: {values}"
    for rid, texts in case.get("actions_contain", {}).items():
        assert rid in by_rule, f"{rid} should fire{got}"
        actions = [a.lower() for r in by_rule[rid] for a in r.actions]
        for text in _as_list(texts):
            assert any(text.lower() in a for a in actions), f"no action of {rid} mentions {text!r}: {actions}"
    data = by_rule.get(DATA_NEEDED, [])
    for metric, text in case.get("data_needed", {}).items():
        matching = [r for r in data if metric in _data_subjects(r)]
        assert matching, f"no {DATA_NEEDED} recommendation asks for {metric}{got}"
        assert any(text in r.title for r in matching), f"the {DATA_NEEDED} for {metric} should say {text!r}{got}"
    for metric in case.get("no_data_needed", []):
        assert not any(metric in _data_subjects(r) for r in data), f"{metric} should not be asked for{got}"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_priorities_and_scores(case: dict[str, Any], ruleset: RuleSet) -> None:
    """Priorities are 1..n in sort order; pillar scores 0..100 or None; score None iff no component known."""
    advice = run_case(case, ruleset)
    recs = advice.recommendations
    assert [r.priority for r in recs] == list(range(1, len(recs) + 1))
    assert [r.sort_key() for r in recs] == sorted(r.sort_key() for r in recs)
    severities = [r.severity for r in recs]
    rank = {"critical": 0, "warning": 1, "info": 2}
    assert severities == sorted(severities, key=rank.__getitem__), "severity must rank first"
    assert set(advice.pillars) == set(PILLARS)
    for pillar, ps in advice.pillars.items():
        assert ps.score is None or 0 <= ps.score <= 100, (pillar, ps)
        assert (ps.score is None) == (ps.status in ("unknown", "off")), (pillar, ps)
        if ps.status == "off":  # every rule of the pillar is disabled
            assert all(r.pillar != pillar for r in recs if r.rule != DATA_NEEDED), (pillar, ps)
    all_unknown = all(advice.pillars[p].score is None for p in INDEPENDENCE)
    assert (advice.score is None) == all_unknown
    if advice.score is not None:
        assert 0 <= advice.score <= 100
    # no advice from a rule whose every read metric is unknown: data-needed only
    for r in recs:
        if r.rule != DATA_NEEDED and r.subject is None:
            assert any(v is not None for n, v in r.numbers.items() if n in METRICS), r


# ------------------------------------------------------------------------------ ordering


def _case(name: str) -> dict[str, Any]:
    return next(c for c in CASES if c["name"] == name)


ORDER_CASES = [
    "a critical cash problem ranks above warnings with larger distances and above journey gaps",
    "a critical key-client problem ranks above warnings and above journey gaps",
    "equal severity, distance and pillar: ties are broken by id",
    "equal severity and distance: the pillar's weight decides (key client before busy)",
    "DEAL002 per item: two low-fit inquiries give two recommendations",
    "JRN001: one recommendation per journey stage without activity",
]


@pytest.mark.parametrize("name", ORDER_CASES)
def test_order_is_stable_whatever_the_rule_order(name: str, ruleset: RuleSet) -> None:
    """The order depends on the recommendations only, not on the order the rules were loaded in."""
    case = _case(name)
    expected = [(r.rule, r.subject, r.priority) for r in run_case(case, ruleset).recommendations]
    assert [(r.rule, r.subject, r.priority) for r in run_case(case, ruleset).recommendations] == expected
    rng = random.Random(20261126)
    for _ in range(5):
        rules = list(ruleset.rules)
        rng.shuffle(rules)
        shuffled = RuleSet(rules=rules, problems=[], replaced=[])
        got = [(r.rule, r.subject, r.priority) for r in run_case(case, shuffled).recommendations]
        assert got == expected


def test_critical_cash_or_key_client_outranks_every_warning_and_journey_gap(ruleset: RuleSet) -> None:
    """The ordering rule, with every warning and the journey gap firing at their farthest."""
    metrics = {
        "cash_months": 2.9,
        "cash_balance": 87000,
        "monthly_operating_costs": 30000,
        "credit_line": 0,
        "top_client_share": 0.36,
        "largest_client": "Acme",
        "effective_clients": 6.0,
        "client_count": 9,
        "revenue_without_largest_vs_costs": 1.5,
        "booked_days": 31,
        "booked_share_30d": 0.9,
        "booked_share_31_60d": 0.1,
        "proposals_last_52w": 0,
        "proposals_last_13w": 0,
        "proposals_per_week_13w": 0.0,
        "inquiries_last_52w": 0,
        "recurring_share": 0.26,
        "monthly_billed_share": 0.3,
        "rushed_share": 1.0,
        "median_sales_cycle_days": 90,
        "overdue_receivables": 300000,
        "overdue_invoices": 12,
        "cash_age_days": 400,
    }
    stages = [
        {"subject": f"the {s} stage", "stage": s, "activities": 0} for s in ("discovery", "education", "decision")
    ]
    case = {"metrics": metrics, "findings": {"journey_stages": stages}}
    recs = run_case(case, ruleset).recommendations
    shown = [r.rule for r in recs]
    assert shown[:2] == ["KEY001", "CASH001"] or shown[:2] == ["CASH001", "KEY001"], _describe(recs)
    warnings = [i for i, r in enumerate(recs) if r.severity == "warning"]
    journey = [i for i, r in enumerate(recs) if r.rule == "JRN001"]
    assert warnings and journey
    for rid in ("CASH001", "KEY001"):
        assert shown.index(rid) < min(warnings) and shown.index(rid) < min(journey)


# ---------------------------------------------------------------------------- rendering


def test_message_rendering_shows_the_measured_numbers(ruleset: RuleSet) -> None:
    case = {
        "metrics": {
            "cash_months": 2.1,
            "cash_balance": 63000,
            "monthly_operating_costs": 30000,
            "credit_line": 10000,
            "cash_date": "2026-11-20",
            "credit_line_text": "a credit line of 10,000 EUR is arranged",
        }
    }
    rec = next(r for r in run_case(case, ruleset).recommendations if r.rule == "CASH001")
    assert "2.1 months" in rec.title
    assert "63,000 EUR" in rec.message and "10,000 EUR" in rec.message
    assert rec.numbers["cash_months"] == 2.1
    assert rec.numbers["min_months"] == 3


def test_a_template_value_that_is_unknown_reads_unknown(ruleset: RuleSet) -> None:
    """cash_date is only used in the message: unknown, it reads 'unknown', never 'None'."""
    case = {"metrics": {"cash_months": 2.1, "monthly_operating_costs": 30000, "credit_line": 0}}
    rec = next(r for r in run_case(case, ruleset).recommendations if r.rule == "CASH001")
    assert "(on unknown)" in rec.message
    assert "None" not in rec.message and "None" not in rec.title


def test_param_overrides_are_layers_and_the_later_one_wins(ruleset: RuleSet) -> None:
    case = {"metrics": {"cash_months": 3.5, "monthly_operating_costs": 30000, "credit_line": 50000}}
    result = metric_result(case)

    def shown(*layers: dict[str, dict[str, float]]) -> list[str]:
        return [r.rule for r in evaluate(result, ruleset, params=list(layers)).recommendations]

    assert "CASH002" in shown() and "CASH001" not in shown()
    assert "CASH001" in shown({"CASH001": {"min_months": 4}})
    assert "CASH001" not in shown({"CASH001": {"min_months": 4}}, {"CASH001": {"min_months": 3}})
    assert ruleset.by_id()["CASH001"].params == {"min_months": 3}, "overrides must not change the rule"


def test_data_needed_lists_every_blocked_rule_once(ruleset: RuleSet) -> None:
    advice = run_case({}, ruleset)
    [rec] = advice.recommendations
    assert rec.rule == DATA_NEEDED and rec.name == "data-needed" and rec.severity == "info"
    blocked = [r for r in ruleset.rules if not r.each]
    for r in blocked:
        assert rec.message.count(f"{r.id} {r.name}") == 1, r.id
    for r in ruleset.rules:
        if r.each:
            assert r.id not in rec.message, f"{r.id} runs per item: no items means nothing to check"


def test_low_fit_advice_does_not_claim_facts_it_does_not_know(ruleset: RuleSet) -> None:
    item = {"subject": "inquiry Omega (q-7)", "prospect": "Omega", "enjoy": 1, "industry_fit": 4, "budget_ok": 1}
    case = {"metrics": {"cash_months": 5.0}, "findings": {"open_inquiries": [item]}}
    for rec in run_case(case, ruleset).recommendations:
        assert "not busy enough" not in rec.message, rec.message


def test_per_item_rule_blocked_by_an_unknown_metric_asks_for_the_data(ruleset: RuleSet) -> None:
    """DEAL002 needs the bookings to decide; without capacity, the advice says to enter it."""
    item = {"subject": "inquiry Omega (q-7)", "prospect": "Omega", "enjoy": 1, "industry_fit": 4, "budget_ok": 1}
    case = {"metrics": {"cash_months": 5.0}, "findings": {"open_inquiries": [item]}}
    recs = run_case(case, ruleset).recommendations
    data = [r for r in recs if r.rule == "DATA000" and "booked_share_30d" in (r.subject or "")]
    assert data and "DEAL002 decline-candidate" in data[0].message


def test_a_pillar_whose_rules_are_all_disabled_is_off_not_unknown(ruleset: RuleSet) -> None:
    case = {"metrics": {"top_client_share": 0.6, "cash_months": 4.0}, "disable": ["KEY"]}
    advice = run_case(case, ruleset)
    assert advice.pillars["key_client"].status == "off"
    assert advice.pillars["key_client"].why == ["all of its rules are disabled"]
    assert "rules are disabled" in advice.score_why


# ------------------------------------------------------------------ dismissals


def _advice_with(dismissals, as_of="2026-11-26"):
    from datetime import date as _date

    from tui_advisor import model
    from tui_advisor.engine.advise import advise
    from tui_advisor.paths import sample_file
    from tui_advisor.workspace import load_input

    data = load_input(sample_file("demo"))
    data.dismissals = [
        model.Dismissal(**{k: _date.fromisoformat(v) if k in ("until", "on") else v for k, v in d.items()})
        for d in dismissals
    ]
    return advise(data, _date.fromisoformat(as_of), _builtin_rules())


def _builtin_rules():
    from tui_advisor.engine.rules import load_rules
    from tui_advisor.paths import rules_dir

    return load_rules(rules_dir())


def test_a_dismissed_recommendation_is_hidden_while_the_numbers_are_no_worse() -> None:
    base = _advice_with([])
    # the demo's first key-client card: Kestrel's work ends within 90 days (KEY007)
    key7 = next(r for r in base.recommendations if r.rule == "KEY007")
    advice = _advice_with(
        [{"rule": "KEY007", "subject": key7.subject, "severity": "warning", "distance": key7.distance}]
    )
    assert "KEY007" not in {r.rule for r in advice.recommendations}
    assert [r.rule for r in advice.hidden] == ["KEY007"]
    assert [r.priority for r in advice.recommendations] == list(range(1, len(advice.recommendations) + 1))


def test_a_dismissed_recommendation_shows_again_when_it_gets_worse() -> None:
    base = _advice_with([])
    cash2 = next(r for r in base.recommendations if r.rule == "CASH002")
    # dismissed when the cash was nearer the ideal: now it is clearly further below it
    advice = _advice_with([{"rule": "CASH002", "severity": "warning", "distance": max(0, cash2.distance - 0.2)}])
    assert "CASH002" in {r.rule for r in advice.recommendations}
    # dismissed as info: now a warning
    advice = _advice_with([{"rule": "CASH002", "severity": "info", "distance": 1.0}])
    assert "CASH002" in {r.rule for r in advice.recommendations}


def test_a_snoozed_recommendation_returns_on_its_date() -> None:
    def snoozed_until(day: str) -> list[dict]:
        return [
            {
                "rule": "KEY007",
                "subject": "client Kestrel Aviation Training",
                "severity": "warning",
                "distance": 1.0,
                "until": day,
            }
        ]

    assert "KEY007" not in {r.rule for r in _advice_with(snoozed_until("2026-11-27")).recommendations}
    assert "KEY007" in {r.rule for r in _advice_with(snoozed_until("2026-11-26")).recommendations}
