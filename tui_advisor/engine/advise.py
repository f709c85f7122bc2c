"""From metrics to prioritized, explained recommendations, pillar scores and the independence score.

Priority (documented in docs/rules.md): recommendations are sorted by

1. severity (critical, then warning, then info);
2. the pillar's weight, the guide's order of urgency: a cash shortage first, then key-client
   risk, then the rest in the guide's order: cash 8, key_client 7, busy 6, recurring 5,
   inquiries 4, deals 3, journey 2, execution 1;
3. distance, within a pillar: how far past the threshold, as the rule's ``distance``
   expression computes it (relative to the threshold; 0 when it has none; capped at 1),
   larger first;
4. the rule id, then the subject, so the order is stable.

``priority`` in the output is the 1-based position in that order.

The independence score (docs/rules.md, "The independence score") rests only on the pillars of
independence whose key number is known (KEY_METRICS), says how many, and is capped at
CRITICAL_CAP while one of them has a critical recommendation. When the as-of date is before the
agency's data starts (the metric ``days_before_data``), the checks of dated records do not run:
one notice (DATA001) says so, and nothing is scored.
"""

from __future__ import annotations

import heapq
from collections import ChainMap
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import field
from datetime import date
from typing import Any

from .. import metrics as metrics_mod
from ..fastclass import dataclass
from ..model import AgencyData, did_you_mean, suggest
from ..numbers import style_for
from . import expr
from .rules import MAX_RENDERED, NUMBER_STYLE, PILLARS, SEVERITIES, Rule, RuleSet, matches, render

PENALTY = {"critical": 60, "warning": 30, "info": 10}
MAX_ITEMS = 10
INDEPENDENCE = tuple(p for p, meta in PILLARS.items() if meta["independence"])
# A critical recommendation on a pillar of independence caps the independence score here: a firm
# one cancellation from ruin (the guide's firm A) or two months from running out of cash is not
# "half independent", however good its other pillars are. A parameter: evaluate(critical_cap=).
CRITICAL_CAP = 49
# The key number of each pillar of independence: the pillar is scored only when one of these is
# known; otherwise it is unknown and the score says it is not counted (no credit for the unknown).
KEY_METRICS: dict[str, tuple[tuple[str, ...], str]] = {
    "cash": (("cash_months",), "the cash reserve in months of costs"),
    "key_client": (("top_client_share",), "the largest client's share of revenue"),
    "busy": (("booked_share_30d", "booked_share_31_60d"), "the booked share of the next 60 days"),
    "inquiries": (
        ("proposals_last_52w", "inquiries_last_52w"),
        "the count of proposals and inquiries of the last year",
    ),
    "recurring": (("recurring_share",), "the recurring share of revenue"),
}
# Pillars whose rules read no dated record: they still run when the as-of date is before the data.
UNDATED_PILLARS = frozenset({"journey"})


@dataclass
class Recommendation:
    """One piece of advice: the rule, its numbers, message, rationale and actions."""

    rule: str
    name: str
    pillar: str
    source: str
    severity: str
    title: str
    message: str
    rationale: str
    actions: list[str]
    subject: str | None = None
    distance: float = 0.0
    numbers: dict[str, Any] = field(default_factory=dict)
    priority: int = 0
    more: int = 0  # per-item rules: cases found but not shown
    kind: str = "problem"  # "confirmation": confirms a good state, costs no points (rules.KINDS)
    thresholds: dict[str, str] = field(default_factory=dict)  # param -> the comparison that fires (Rule)

    def sort_key(self) -> tuple:
        return (
            -SEVERITIES[self.severity],
            -PILLARS[self.pillar]["weight"],
            -min(1.0, self.distance),
            self.rule,
            self.subject or "",
        )


@dataclass
class PillarScore:
    """A pillar's score and status, and why."""

    pillar: str
    score: int | None
    status: str  # good, watch, act, unknown, off (all its rules disabled)
    why: list[str]


@dataclass
class Advice:
    """The whole advice for one agency on one date: recommendations, pillar scores, metrics."""

    as_of: date
    agency: str
    currency: str
    metrics: metrics_mod.MetricResult
    recommendations: list[Recommendation]
    pillars: dict[str, PillarScore]
    score: int | None
    score_why: str
    warnings: list[str]
    hidden: list[Recommendation] = field(default_factory=list)  # dismissed or snoozed
    # (rule, subject) of each hidden one -> its model.Dismissal (the reason, who, when, until)
    dismissals: dict[tuple[str, str], Any] = field(default_factory=dict)
    score_basis: list[str] = field(default_factory=list)  # the pillars of independence the score rests on
    score_capped_by: list[str] = field(default_factory=list)  # pillars of independence with a critical rec
    score_cap: int = CRITICAL_CAP


def effective_params(rule: Rule, *overrides: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """The rule's parameters with the override layers applied in order. Only parameters the
    rule declares are taken: an override can never shadow a metric (check_overrides warns)."""
    params = dict(rule.params)
    for layer in overrides:
        for k, v in layer.get(rule.id, {}).items():
            if k in params:
                params[k] = v
    return params


def check_overrides(
    rules: Iterable[Rule], where: str, disable: Iterable[str], params: Mapping[str, Mapping[str, float]]
) -> list[str]:
    """Warnings for overrides that name no rule or no parameter (with suggestions)."""
    by_id = {r.id: r for r in rules}
    out = []
    for sel in disable:
        if not any(rid.startswith(sel) for rid in by_id):
            out.append(f"{where}: disable {sel!r} matches no rule{did_you_mean(suggest(sel, by_id))}")
    for rid, values in params.items():
        rule = by_id.get(rid)
        if rule is None:
            out.append(f"{where}: params for unknown rule {rid!r}{did_you_mean(suggest(rid, by_id))}")
            continue
        for p in values:
            if p not in rule.params:
                out.append(
                    f"{where}: rule {rid} has no parameter {p!r}; its parameters: {', '.join(rule.params) or 'none'}"
                )
    return out


def advise(
    data: AgencyData,
    as_of: date,
    ruleset: RuleSet,
    *,
    disable: Iterable[str] = (),
    params: Mapping[str, Mapping[str, float]] | None = None,
    metric_params: Mapping[str, float] | None = None,
) -> Advice:
    """Compute the metrics of the data as of a date, and evaluate every active rule on them."""
    agency_settings = data.settings
    decimal = style_for(data.agency)  # the texts' amounts as the agency writes them: 136.000 EUR
    result = metrics_mod.compute(data, as_of, metric_params, decimal)
    advice = evaluate(
        result,
        ruleset,
        agency=data.agency.name,
        currency=data.agency.currency,
        decimal=decimal,
        disable=list(disable) + list(agency_settings.disable),
        params=[params or {}, agency_settings.params],
    )
    advice.warnings += check_overrides(
        ruleset.rules, "agency settings", agency_settings.disable, agency_settings.params
    )
    if data.dismissals:
        advice.recommendations, advice.hidden = apply_dismissals(advice.recommendations, data.dismissals, as_of)
        by_key = {(d.rule, d.subject): d for d in data.dismissals}
        advice.dismissals = {(r.rule, r.subject or ""): by_key[(r.rule, r.subject or "")] for r in advice.hidden}
    return advice


def dismissal_of(advice: Advice, rec: Recommendation) -> Any | None:
    """The dismissal (or snooze) that hides ``rec`` in ``advice``: its reason, by, on and until."""
    return advice.dismissals.get((rec.rule, rec.subject or ""))


WORSE_BY = 0.05  # a dismissed recommendation shows again when its distance grows by more than this


def is_worse(rec: Recommendation, dismissal: Any) -> bool:
    """Have the numbers got worse since the recommendation was dismissed?"""
    if SEVERITIES[rec.severity] > SEVERITIES.get(dismissal.severity, 0):
        return True
    return (
        SEVERITIES[rec.severity] == SEVERITIES.get(dismissal.severity, 0)
        and min(1.0, rec.distance) > min(1.0, dismissal.distance) + WORSE_BY
    )


def apply_dismissals(
    recs: list[Recommendation], dismissals: Iterable[Any], as_of: date
) -> tuple[list[Recommendation], list[Recommendation]]:
    """Split recommendations into shown and hidden (dismissed, or snoozed until a later date,
    and not worse than when that was done); renumber the shown ones."""
    by_key = {(d.rule, d.subject): d for d in dismissals}
    shown: list[Recommendation] = []
    hidden: list[Recommendation] = []
    for rec in recs:
        d = by_key.get((rec.rule, rec.subject or ""))
        snoozed_over = d is not None and d.until is not None and as_of >= d.until
        if d is not None and not snoozed_over and not is_worse(rec, d):
            hidden.append(rec)
        else:
            shown.append(rec)
    for i, rec in enumerate(shown, 1):
        rec.priority = i
    return shown, hidden


def evaluate(
    result: metrics_mod.MetricResult,
    ruleset: RuleSet,
    *,
    agency: str = "",
    currency: str = "",
    decimal: str = ".",
    disable: Iterable[str] = (),
    params: Iterable[Mapping[str, Mapping[str, float]]] = (),
    max_items: int = MAX_ITEMS,
    critical_cap: int = CRITICAL_CAP,
) -> Advice:
    """Evaluate the rules on computed metrics: recommendations, pillar scores, overall score.

    ``params`` are override layers (config, then agency settings), later ones win.
    ``decimal``: the decimal mark the texts write amounts with (',' : 136.000 EUR; advise() gives
    the agency's, numbers.style_for).
    ``max_items``: a rule that runs per item shows its most urgent ``max_items`` cases; the
    last one shown says how many more there are.
    ``critical_cap``: the most the independence score can be while a pillar of independence
    has a critical recommendation.
    """
    selectors = list(disable)
    layers = list(params)
    warnings = [str(p) for p in ruleset.problems]
    base: dict[str, Any] = dict(result.values)
    base["currency"] = currency
    base["agency"] = agency
    base["as_of"] = result.as_of.isoformat()
    base[NUMBER_STYLE] = decimal

    fired: list[Recommendation] = []
    blocked: dict[str, list[Rule]] = {}  # unknown metric -> rules it blocked
    evaluated: dict[str, list[bool]] = {p: [] for p in PILLARS}  # pillar -> known outcomes
    before = _days_before_data(result)
    not_run: list[Rule] = []  # rules of dated records, as of a date before the data starts
    item_keys: dict[str, frozenset[str]] = {}  # finding -> the keys its items have
    for rule in ruleset.rules:
        if matches(rule.id, selectors):
            continue
        if before and rule.pillar not in UNDATED_PILLARS:
            not_run.append(rule)
            continue
        try:
            _run_rule(
                rule, effective_params(rule, *layers), base, result, fired, blocked, evaluated, max_items, item_keys
            )
        except Exception as exc:  # a rule must never take the whole advice down
            warnings.append(
                f"{rule.file}: rule {rule.id}: could not be evaluated ({type(exc).__name__}: {exc}); skipped"
            )

    shown = _most_severe_per_group(fired, ruleset)
    shown.extend(_data_needed(blocked, result.unknown))
    if not_run:
        shown.append(_before_data_notice(result, not_run))
    shown.sort(key=Recommendation.sort_key)
    for i, rec in enumerate(shown, 1):
        rec.priority = i
    active = {r.pillar for r in ruleset.rules if not matches(r.id, selectors)}
    not_checked = {r.pillar for r in not_run}
    pillars = _pillar_scores(shown, evaluated, blocked, active, result, not_checked)
    critical = [
        p
        for p in INDEPENDENCE
        if any(r.pillar == p and r.severity == "critical" and not r.rule.startswith("DATA") for r in shown)
    ]
    score, why, basis = _independence_score(pillars, result, critical, critical_cap, bool(not_checked))
    return Advice(
        as_of=result.as_of,
        agency=agency,
        currency=currency,
        metrics=result,
        recommendations=shown,
        pillars=pillars,
        score=score,
        score_why=why,
        warnings=warnings,
        score_basis=basis,
        score_capped_by=critical,
        score_cap=critical_cap,
    )


def _title(pillar: str) -> str:
    return PILLARS[pillar]["title"].lower()


def _and(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _independence_score(
    pillars: Mapping[str, PillarScore],
    result: metrics_mod.MetricResult,
    critical: list[str],
    cap: int,
    before_data: bool,
) -> tuple[int | None, str, list[str]]:
    """The independence score, its explanation and the pillars it rests on.

    ``round((mean + min) / 2)`` of the pillars of independence with a score (their key number is
    known), at most ``cap`` while one of them (scored or not) has a critical recommendation.
    Every pillar left out is named, with why."""
    basis = [p for p in INDEPENDENCE if pillars[p].score is not None]
    left_out = []
    for p in INDEPENDENCE:
        ps = pillars[p]
        if ps.status == "off":
            left_out.append(f"{_title(p)} (its rules are disabled)")
        elif ps.score is None:
            left_out.append(f"{_title(p)} ({_unknown_why(p, ps, result)})")
    if before_data:
        return (
            None,
            (
                f"unknown: the as-of date {result.as_of.isoformat()} is before the agency's data starts "
                f"({result.values.get('data_starts')}), so there is nothing to score yet"
            ),
            basis,
        )
    if not basis:
        names = ", ".join(_title(p) for p in INDEPENDENCE if pillars[p].status != "off")
        return (
            None,
            (
                "unknown: none of the five components of independence can be scored yet"
                + (
                    f" ({names}: their key numbers are unknown); enter the data the advice asks for"
                    if names
                    else ": all of their rules are disabled"
                )
            ),
            basis,
        )
    known = [value for p in basis if (value := pillars[p].score) is not None]  # basis: the scored ones
    raw = round((sum(known) / len(known) + min(known)) / 2)
    score = min(raw, cap) if critical else raw
    parts = ", ".join(
        f"{_title(p)} {pillars[p].score if pillars[p].score is not None else 'unknown'}" for p in INDEPENDENCE
    )
    n = len(basis)
    why = (
        "the average of the mean and the weakest of "
        + (
            "the five components"
            if n == len(INDEPENDENCE)
            else f"the {n} component{'s' if n > 1 else ''} of {len(INDEPENDENCE)} that can be scored"
        )
        + " of independence (G2 to G6), because independence is only as strong as its weakest part: "
        + parts
    )
    if left_out:
        why += "; not counted, so it gives no credit: " + "; ".join(left_out)
    if critical:
        names = _and([_title(p) for p in critical])
        why += f"; at most {cap} while a pillar is critical ({names}" + (
            f"; {raw} without the cap)" if raw > cap else ")"
        )
    return score, why, basis


def _unknown_why(pillar: str, ps: PillarScore, result: metrics_mod.MetricResult) -> str:
    """Why a pillar of independence has no score, in words: its key number and what to enter."""
    names, label = KEY_METRICS.get(pillar, ((), "its key number"))
    reasons = sorted({result.unknown[n] for n in names if n in result.unknown})
    if reasons:
        return f"{label} is unknown: {'; '.join(reasons)}"
    return ps.why[-1] if ps.why else "its data is missing"


def _days_before_data(result: metrics_mod.MetricResult) -> float:
    """How many days the as-of date is before the agency's first dated record (0: not before,
    or unknown)."""
    days = result.values.get("days_before_data")
    return float(days) if isinstance(days, (int, float)) and not isinstance(days, bool) and days > 0 else 0.0


def _before_data_notice(result: metrics_mod.MetricResult, rules: list[Rule]) -> Recommendation:
    """DATA001: the as-of date is before the data starts; the checks of dated records did not run."""
    rules = sorted(rules, key=lambda r: -PILLARS[r.pillar]["weight"])
    as_of = result.as_of.isoformat()
    starts = result.values.get("data_starts")
    first = result.values.get("first_record")
    days = int(_days_before_data(result))
    pillars = []
    for r in rules:
        if PILLARS[r.pillar]["short"].lower() not in pillars:
            pillars.append(PILLARS[r.pillar]["short"].lower())
    sources = sorted(
        {s.strip() for r in rules for s in r.source.split(",")}, key=lambda s: int(s[1:]) if s[1:].isdigit() else 99
    )
    n = len(rules)
    return Recommendation(
        rule="DATA001",
        name="as-of-before-data",
        pillar=rules[0].pillar,
        source=", ".join(sources),
        severity="warning",
        title=f"The as-of date {as_of} is before the agency's data starts ({starts}): nothing to judge yet",
        message=(
            f"The agency's first record is {first}, {days} day{'s' if days != 1 else ''} after {as_of}. "
            f"No invoice, engagement, cash balance or inquiry is dated on or before {as_of}, so every "
            "number would read zero for lack of records, not because nothing happened. The "
            f"{n} check{'s' if n != 1 else ''} that read them ({', '.join(pillars)}) did not run, "
            "and the independence score is not given."
        ),
        rationale="A claim built on records that did not exist yet would be false: the advisor does not make one.",
        actions=[
            f"Choose an as-of date on or after {starts}.",
            "If the agency has older records (invoices, cash balances, inquiries, engagements), enter them.",
        ],
        numbers={"as_of": as_of, "data_starts": starts, "first_record": first, "days_before_data": days},
    )


def _run_rule(
    rule: Rule,
    p: dict[str, float],
    base: dict[str, Any],
    result: metrics_mod.MetricResult,
    fired: list[Recommendation],
    blocked: dict[str, list[Rule]],
    evaluated: dict[str, list[bool]],
    max_items: int,
    item_keys: dict[str, frozenset[str]] | None = None,
) -> None:
    """Evaluate one rule: on the metrics, or once per item of its finding.

    A per-item rule's condition is bound to the metrics and parameters once (expr.Expression.bind):
    what reads no field of the items is worked out once, not once per item (thousands of open
    inquiries). ``item_keys`` caches the keys the items of each finding have."""
    if rule.each:
        items = result.findings.get(rule.each, [])
        if not items:
            return
        keys = None if item_keys is None else item_keys.get(rule.each)
        if keys is None:
            keys = frozenset().union(*items)
            if item_keys is not None:
                item_keys[rule.each] = keys
        scope = {**base, **p}
        when = _bound(rule.when_fn, scope, keys)
        hits: list[Mapping[str, Any]] = []
        for item in items:
            outcome = when(item)
            if outcome is expr.UNKNOWN:
                # unknown because of a metric (not an unscored item field): say what to enter
                for name in sorted(rule.names):
                    if name in result.unknown and name not in item and rule not in blocked.get(name, ()):
                        blocked.setdefault(name, []).append(rule)
                continue
            if not outcome:
                continue
            hits.append(item)
        fired.extend(_most_urgent_items(rule, hits, scope, max_items, keys))
        return
    env = ChainMap(p, base)
    assert rule.when_fn is not None  # every loaded rule has its condition compiled
    outcome = expr.evaluate(rule.when_fn, env)
    if outcome is expr.UNKNOWN:
        for name in sorted(rule.names):
            if name in result.unknown:
                blocked.setdefault(name, []).append(rule)
        return
    evaluated[rule.pillar].append(bool(outcome))
    if outcome:
        fired.append(_recommend(rule, env, None))


def _bound(fn: Any, scope: Mapping[str, Any], keys: frozenset[str]) -> expr.Compiled:
    """``fn`` bound to a per-item rule's scope (see expr.Expression.bind): item -> value."""
    if isinstance(fn, expr.Expression):
        return fn.bind(scope, keys)
    return lambda item: fn(_ItemEnv(item, scope))  # a compiled function of another kind: as it is


class _ItemEnv(Mapping[str, Any]):
    """The names a per-item rule sees: the item's fields, then the rule's params and the metrics."""

    __slots__ = ("item", "scope")

    def __init__(self, item: Mapping[str, Any], scope: Mapping[str, Any]):
        self.item = item
        self.scope = scope

    def get(self, name: str, default: Any = None) -> Any:
        item = self.item
        if name in item:
            return item[name]
        return self.scope.get(name, default)

    def __getitem__(self, name: str) -> Any:
        if name in self.item:
            return self.item[name]
        return self.scope[name]

    def __iter__(self) -> Iterator[str]:
        return iter({**self.scope, **self.item})

    def __len__(self) -> int:
        return len({**self.scope, **self.item})


def _most_urgent_items(
    rule: Rule, hits: list[Mapping[str, Any]], scope: Mapping[str, Any], limit: int, keys: frozenset[str] = frozenset()
) -> list[Recommendation]:
    """The ``limit`` most urgent cases, in the order ``Recommendation.sort_key`` gives them (within
    one rule only the distance and the subject differ); only those are worded."""
    if len(hits) <= limit:
        return [_recommend(rule, _ItemEnv(item, scope), item.get("subject")) for item in hits]
    if rule.distance_fn is None:
        distances = [0.0] * len(hits)
    else:
        distance = _bound(rule.distance_fn, scope, keys)
        distances = [_distance_value(distance(item)) for item in hits]
    # heapq.nsmallest is sorted(...)[:limit] (the same ties), without sorting every case
    order = heapq.nsmallest(
        limit, range(len(hits)), key=lambda i: (-min(1.0, distances[i]), hits[i].get("subject") or "")
    )
    shown = [_recommend(rule, _ItemEnv(hits[i], scope), hits[i].get("subject"), distances[i]) for i in order]
    more = len(hits) - limit
    last = shown[-1]
    last.message += f" ({more} more like this are not shown; the {rule.id} rule found {len(hits)} in all.)"
    last.more = more
    return shown


def _distance(rule: Rule, env: Mapping[str, Any]) -> float:
    """How far past its threshold the rule fired (0 when it has no distance or it is unknown)."""
    if rule.distance_fn is None:
        return 0.0
    return _distance_value(expr.evaluate(rule.distance_fn, env))


def _distance_value(d: Any) -> float:
    distance = 0.0
    if d is not expr.UNKNOWN and type(d) in (int, float):
        distance = max(0.0, float(d))
    return round(distance, 6)


def _recommend(
    rule: Rule, env: Mapping[str, Any], subject: str | None, distance: float | None = None
) -> Recommendation:
    if distance is None:
        distance = _distance(rule, env)
    numbers = {n: env.get(n) for n in sorted(rule.names)}
    decimal = env.get(NUMBER_STYLE) or "."
    return Recommendation(
        rule=rule.id,
        name=rule.name,
        pillar=rule.pillar,
        source=rule.source,
        severity=rule.severity,
        title=render(rule.title, env, MAX_RENDERED["title"], decimal),
        message=render(rule.message, env, MAX_RENDERED["message"], decimal),
        rationale=rule.rationale,
        actions=list(rule.actions),
        subject=subject,
        distance=distance,
        numbers=numbers,
        kind=rule.kind,
        thresholds=dict(rule.thresholds),
    )


def _most_severe_per_group(fired: list[Recommendation], ruleset: RuleSet) -> list[Recommendation]:
    """Graded thresholds on one metric: keep only the most severe level per group and subject."""
    groups = {r.id: r.group for r in ruleset.rules}
    best: dict[tuple[str, str | None], Recommendation] = {}
    out: list[Recommendation] = []
    for rec in fired:
        group = groups.get(rec.rule)
        if not group:
            out.append(rec)
            continue
        key = (group, rec.subject)
        cur = best.get(key)
        if cur is None or rec.sort_key() < cur.sort_key():
            best[key] = rec
    return out + list(best.values())


def _data_needed(blocked: dict[str, list[Rule]], unknown: Mapping[str, str]) -> list[Recommendation]:
    """One 'enter this data' recommendation per distinct reason, naming the rules it blocks."""
    by_reason: dict[str, tuple[list[str], list[Rule]]] = {}
    for name, rules in blocked.items():
        reason = unknown[name]
        names, rs = by_reason.setdefault(reason, ([], []))
        names.append(name)
        for r in rules:
            if r not in rs:
                rs.append(r)
    out = []
    for reason, (names, rules) in by_reason.items():
        rules.sort(key=lambda r: -PILLARS[r.pillar]["weight"])
        pillar = rules[0].pillar
        sources = sorted({r.source for r in rules}, key=lambda s: int(s[1:]))
        checks = ", ".join(f"{r.id} {r.name}" for r in rules)
        text = reason[0].upper() + reason[1:]
        out.append(
            Recommendation(
                rule="DATA000",
                name="data-needed",
                pillar=pillar,
                source=", ".join(sources),
                severity="info",
                title=f"Data needed: {text}",
                message=f"These checks cannot run until then: {checks}. Unknown: {', '.join(sorted(names))}.",
                rationale="A number the advisor does not have is unknown, not zero: it does not guess.",
                actions=[text + "."],
                subject=", ".join(sorted(names)),
            )
        )
    return out


def _pillar_scores(
    recs: list[Recommendation],
    evaluated: dict[str, list[bool]],
    blocked: dict[str, list[Rule]],
    active: set[str],
    result: metrics_mod.MetricResult | None = None,
    not_checked: Container[str] = frozenset(),
) -> dict[str, PillarScore]:
    """100 minus a penalty: each rule that fired (but a confirmation, which is free) costs its worst recommendation's weight (critical 60,
    warning 30, info 10, plus up to 20 for the distance past the threshold) and 5 per extra subject;
    the pillar pays the costliest rule in full and 10 for every other rule that fired (floor 0).

    A pillar of independence whose key number (KEY_METRICS) is unknown has no score: it is
    unknown, whatever else could be checked (no credit for what is not known). A pillar in
    ``not_checked`` (its rules did not run: the as-of date is before the data) is unknown."""
    blocked_pillars = {r.pillar for rules in blocked.values() for r in rules}
    values = result.values if result is not None else {}
    per_rule: dict[tuple[str, str], list[Recommendation]] = {}
    for rec in recs:
        if rec.rule.startswith("DATA"):
            continue
        per_rule.setdefault((rec.pillar, rec.rule), []).append(rec)
    out: dict[str, PillarScore] = {}
    for pillar in PILLARS:
        if pillar not in active:
            out[pillar] = PillarScore(pillar, None, "off", ["all of its rules are disabled"])
            continue
        if pillar in not_checked:
            starts = values.get("data_starts")
            out[pillar] = PillarScore(
                pillar, None, "unknown", [f"not checked: the as-of date is before the agency's data starts ({starts})"]
            )
            continue
        costs: list[int] = []
        why: list[str] = []
        for (p, rid), items in sorted(per_rule.items()):
            if p != pillar:
                continue
            worst = items[0]
            if worst.kind == "confirmation":  # "keep it there": a good state is free
                why.append(f"0 {rid} {worst.name} (confirms a good state)")
                continue
            cost = PENALTY[worst.severity]
            if worst.severity != "info":
                cost += round(20 * min(1.0, max(r.distance for r in items)))
            cost += 5 * (len(items) - 1)
            costs.append(cost)
            why.append(
                f"-{cost} {rid} {worst.name} ({worst.severity}"
                + (f", {len(items)} cases" if len(items) > 1 else "")
                + ")"
            )
        if not evaluated[pillar] and not why:
            status = "unknown" if pillar in blocked_pillars or pillar in INDEPENDENCE else "good"
            if status == "unknown":
                out[pillar] = PillarScore(pillar, None, "unknown", ["its data is missing"])
                continue
        keys = KEY_METRICS.get(pillar)
        if result is not None and keys and all(values.get(n) is None for n in keys[0]):
            out[pillar] = PillarScore(pillar, None, "unknown", why + [f"not scored: {keys[1]} is unknown"])
            continue
        costs.sort(reverse=True)
        penalty = (costs[0] + 10 * (len(costs) - 1)) if costs else 0
        score = max(0, 100 - penalty)
        status = "good" if score >= 80 else "watch" if score >= 50 else "act"
        if pillar in blocked_pillars:
            why.append("some checks could not run: data missing")
        out[pillar] = PillarScore(pillar, score, status, why or ["no rule fired"])
    return out
