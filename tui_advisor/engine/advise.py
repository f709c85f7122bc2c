"""From metrics to prioritized, explained recommendations, pillar scores and the independence score.

Priority (documented in docs/rules.md): recommendations are sorted by

1. severity (critical, then warning, then info);
2. distance: how far past the threshold, as the rule's ``distance`` expression
   computes it (relative to the threshold; 0 when it has none; capped at 1), larger first;
3. the pillar's weight, the guide's order of urgency: cash 8, key_client 7,
   busy 6, inquiries 5, recurring 4, deals 3, execution 2, journey 1;
4. the rule id, then the subject, so the order is stable.

``priority`` in the output is the 1-based position in that order.
"""

from __future__ import annotations

import difflib
from collections import ChainMap
from dataclasses import field
from datetime import date
from typing import Any, Iterable, Mapping

from .. import metrics as metrics_mod
from ..fastclass import dataclass
from ..model import AgencyData
from . import expr
from .rules import MAX_RENDERED, PILLARS, SEVERITIES, Rule, RuleSet, matches, render

PENALTY = {"critical": 60, "warning": 30, "info": 10}
MAX_ITEMS = 10
INDEPENDENCE = tuple(p for p, meta in PILLARS.items() if meta["independence"])


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

    def sort_key(self) -> tuple:
        return (-SEVERITIES[self.severity], -min(1.0, self.distance), -PILLARS[self.pillar]["weight"], self.rule,
                self.subject or "")


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


def effective_params(rule: Rule, *overrides: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """The rule's parameters with the override layers applied in order. Only parameters the
    rule declares are taken: an override can never shadow a metric (check_overrides warns)."""
    params = dict(rule.params)
    for layer in overrides:
        for k, v in layer.get(rule.id, {}).items():
            if k in params:
                params[k] = v
    return params


def check_overrides(rules: Iterable[Rule], where: str, disable: Iterable[str],
                    params: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Warnings for overrides that name no rule or no parameter (with suggestions)."""
    by_id = {r.id: r for r in rules}
    out = []
    for sel in disable:
        if not any(rid.startswith(sel) for rid in by_id):
            close = difflib.get_close_matches(sel, list(by_id), n=1)
            out.append(f"{where}: disable {sel!r} matches no rule" + (f" (did you mean {close[0]!r}?)" if close else ""))
    for rid, values in params.items():
        rule = by_id.get(rid)
        if rule is None:
            close = difflib.get_close_matches(rid, list(by_id), n=1)
            out.append(f"{where}: params for unknown rule {rid!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            continue
        for p in values:
            if p not in rule.params:
                out.append(f"{where}: rule {rid} has no parameter {p!r}; its parameters: "
                           f"{', '.join(rule.params) or 'none'}")
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
    result = metrics_mod.compute(data, as_of, metric_params)
    advice = evaluate(
        result, ruleset, agency=data.agency.name, currency=data.agency.currency,
        disable=list(disable) + list(agency_settings.disable),
        params=[params or {}, agency_settings.params],
    )
    advice.warnings += check_overrides(ruleset.rules, "agency settings", agency_settings.disable,
                                       agency_settings.params)
    if data.dismissals:
        advice.recommendations, advice.hidden = apply_dismissals(advice.recommendations, data.dismissals, as_of)
    return advice


WORSE_BY = 0.05  # a dismissed recommendation shows again when its distance grows by more than this


def is_worse(rec: Recommendation, dismissal: Any) -> bool:
    """Have the numbers got worse since the recommendation was dismissed?"""
    if SEVERITIES[rec.severity] > SEVERITIES.get(dismissal.severity, 0):
        return True
    return SEVERITIES[rec.severity] == SEVERITIES.get(dismissal.severity, 0) and \
        min(1.0, rec.distance) > min(1.0, dismissal.distance) + WORSE_BY


def apply_dismissals(recs: list[Recommendation], dismissals: Iterable[Any],
                     as_of: date) -> tuple[list[Recommendation], list[Recommendation]]:
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
    disable: Iterable[str] = (),
    params: Iterable[Mapping[str, Mapping[str, float]]] = (),
    max_items: int = MAX_ITEMS,
) -> Advice:
    """Evaluate the rules on computed metrics: recommendations, pillar scores, overall score.

    ``params`` are override layers (config, then agency settings), later ones win.
    ``max_items``: a rule that runs per item shows its most urgent ``max_items`` cases; the
    last one shown says how many more there are.
    """
    selectors = list(disable)
    layers = list(params)
    warnings = [str(p) for p in ruleset.problems]
    base: dict[str, Any] = dict(result.values)
    base["currency"] = currency
    base["agency"] = agency
    base["as_of"] = result.as_of.isoformat()

    fired: list[Recommendation] = []
    blocked: dict[str, list[Rule]] = {}  # unknown metric -> rules it blocked
    evaluated: dict[str, list[bool]] = {p: [] for p in PILLARS}  # pillar -> known outcomes
    for rule in ruleset.rules:
        if matches(rule.id, selectors):
            continue
        try:
            _run_rule(rule, effective_params(rule, *layers), base, result, fired, blocked, evaluated, max_items)
        except Exception as exc:  # a rule must never take the whole advice down
            warnings.append(f"{rule.file}: rule {rule.id}: could not be evaluated ({type(exc).__name__}: {exc}); "
                            "skipped")

    shown = _most_severe_per_group(fired, ruleset)
    shown.extend(_data_needed(blocked, result.unknown))
    shown.sort(key=Recommendation.sort_key)
    for i, rec in enumerate(shown, 1):
        rec.priority = i
    active = {r.pillar for r in ruleset.rules if not matches(r.id, selectors)}
    pillars = _pillar_scores(shown, evaluated, blocked, active)
    known = [pillars[p].score for p in INDEPENDENCE if pillars[p].score is not None]
    if known:
        score = round((sum(known) / len(known) + min(known)) / 2)
        parts = ", ".join(f"{PILLARS[p]['title'].lower()} {pillars[p].score if pillars[p].score is not None else '?'}"
                          for p in INDEPENDENCE)
        off = sum(1 for p in INDEPENDENCE if pillars[p].status == "off")
        missing = len(INDEPENDENCE) - len(known) - off
        why = ("the average of the mean and the weakest of the five components of independence "
               f"(G2 to G6), because independence is only as strong as its weakest part: {parts}"
               + (f"; {missing} unknown, left out until its data is entered" if missing else "")
               + (f"; {off} left out because its rules are disabled" if off else ""))
    else:
        score, why = None, "unknown: enter the agency's data to score its independence"
    return Advice(as_of=result.as_of, agency=agency, currency=currency, metrics=result,
                  recommendations=shown, pillars=pillars, score=score, score_why=why, warnings=warnings)


def _run_rule(rule: Rule, p: dict[str, float], base: dict[str, Any], result: metrics_mod.MetricResult,
              fired: list[Recommendation], blocked: dict[str, list[Rule]], evaluated: dict[str, list[bool]],
              max_items: int) -> None:
    """Evaluate one rule: on the metrics, or once per item of its finding."""
    if rule.each:
        scope = {**base, **p}
        hits = []
        for item in result.findings.get(rule.each, []):
            env = _ItemEnv(item, scope)
            outcome = expr.evaluate(rule.when_fn, env)
            if outcome is expr.UNKNOWN:
                # unknown because of a metric (not an unscored item field): say what to enter
                for name in sorted(rule.names):
                    if name in result.unknown and name not in item and rule not in blocked.get(name, ()):
                        blocked.setdefault(name, []).append(rule)
                continue
            if not outcome:
                continue
            hits.append((item, env))
        fired.extend(_most_urgent_items(rule, hits, max_items))
        return
    env = ChainMap(p, base)
    outcome = expr.evaluate(rule.when_fn, env)
    if outcome is expr.UNKNOWN:
        for name in sorted(rule.names):
            if name in result.unknown:
                blocked.setdefault(name, []).append(rule)
        return
    evaluated[rule.pillar].append(bool(outcome))
    if outcome:
        fired.append(_recommend(rule, env, None))


class _ItemEnv:
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


def _most_urgent_items(rule: Rule, hits: list[tuple[Mapping[str, Any], _ItemEnv]],
                       limit: int) -> list[Recommendation]:
    """The ``limit`` most urgent cases, in the order ``Recommendation.sort_key`` gives them (within
    one rule only the distance and the subject differ); only those are worded."""
    if len(hits) <= limit:
        return [_recommend(rule, env, item.get("subject")) for item, env in hits]
    distances = [_distance(rule, env) for _, env in hits]
    order = sorted(range(len(hits)), key=lambda i: (-min(1.0, distances[i]), hits[i][0].get("subject") or ""))
    shown = [_recommend(rule, hits[i][1], hits[i][0].get("subject"), distances[i]) for i in order[:limit]]
    more = len(hits) - limit
    last = shown[-1]
    last.message += f" ({more} more like this are not shown; the {rule.id} rule found {len(hits)} in all.)"
    last.more = more
    return shown


def _distance(rule: Rule, env: Mapping[str, Any]) -> float:
    """How far past its threshold the rule fired (0 when it has no distance or it is unknown)."""
    distance = 0.0
    if rule.distance_fn is not None:
        d = expr.evaluate(rule.distance_fn, env)
        if d is not expr.UNKNOWN and type(d) in (int, float):
            distance = max(0.0, float(d))
    return round(distance, 6)


def _recommend(rule: Rule, env: Mapping[str, Any], subject: str | None,
               distance: float | None = None) -> Recommendation:
    if distance is None:
        distance = _distance(rule, env)
    numbers = {n: env.get(n) for n in sorted(rule.names)}
    return Recommendation(
        rule=rule.id, name=rule.name, pillar=rule.pillar, source=rule.source, severity=rule.severity,
        title=render(rule.title, env, MAX_RENDERED["title"]),
        message=render(rule.message, env, MAX_RENDERED["message"]), rationale=rule.rationale,
        actions=list(rule.actions), subject=subject, distance=distance, numbers=numbers,
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
        out.append(Recommendation(
            rule="DATA000", name="data-needed", pillar=pillar, source=", ".join(sources), severity="info",
            title=f"Data needed: {text}",
            message=f"These checks cannot run until then: {checks}. Unknown: {', '.join(sorted(names))}.",
            rationale="A number the advisor does not have is unknown, not zero: it does not guess.",
            actions=[text + "."], subject=", ".join(sorted(names)),
        ))
    return out


def _pillar_scores(recs: list[Recommendation], evaluated: dict[str, list[bool]],
                   blocked: dict[str, list[Rule]], active: set[str]) -> dict[str, PillarScore]:
    """100 minus a penalty: each rule that fired costs its worst recommendation's weight (critical 60,
    warning 30, info 10, plus up to 20 for the distance past the threshold) and 5 per extra subject;
    the pillar pays the costliest rule in full and 10 for every other rule that fired (floor 0)."""
    blocked_pillars = {r.pillar for rules in blocked.values() for r in rules}
    per_rule: dict[tuple[str, str], list[Recommendation]] = {}
    for rec in recs:
        if rec.rule == "DATA000":
            continue
        per_rule.setdefault((rec.pillar, rec.rule), []).append(rec)
    out: dict[str, PillarScore] = {}
    for pillar in PILLARS:
        if pillar not in active:
            out[pillar] = PillarScore(pillar, None, "off", ["all of its rules are disabled"])
            continue
        costs: list[int] = []
        why: list[str] = []
        for (p, rid), items in sorted(per_rule.items()):
            if p != pillar:
                continue
            worst = items[0]
            cost = PENALTY[worst.severity]
            if worst.severity != "info":
                cost += round(20 * min(1.0, max(r.distance for r in items)))
            cost += 5 * (len(items) - 1)
            costs.append(cost)
            why.append(f"-{cost} {rid} {worst.name} ({worst.severity}"
                       + (f", {len(items)} cases" if len(items) > 1 else "") + ")")
        if not evaluated[pillar] and not why:
            status = "unknown" if pillar in blocked_pillars or pillar in INDEPENDENCE else "good"
            if status == "unknown":
                out[pillar] = PillarScore(pillar, None, "unknown", ["its data is missing"])
                continue
        costs.sort(reverse=True)
        penalty = (costs[0] + 10 * (len(costs) - 1)) if costs else 0
        score = max(0, 100 - penalty)
        status = "good" if score >= 80 else "watch" if score >= 50 else "act"
        if pillar in blocked_pillars:
            why.append("some checks could not run: data missing")
        out[pillar] = PillarScore(pillar, score, status, why or ["no rule fired"])
    return out
