"""Metrics: pure functions of (agency data, as-of date) -> named numbers and findings.

``compute(data, as_of)`` runs every pillar's module and returns a MetricResult:
``values`` (name -> number, text or None when unknown), ``unknown`` (name -> what to
enter) and ``findings`` (name -> items that rules can run over). The formulas are in
docs/metrics.md; every metric and finding is registered in ``METRICS`` / ``FINDINGS``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from ..model import AgencyData
from . import busy, cash, deals, plans, revenue, sales
from .base import FINDINGS, METRIC_PARAMS, METRICS, Context, FindingSpec, MetricResult, MetricSpec, Unknown

_MODULES = (revenue, busy, cash, sales, deals, plans)

__all__ = ["FINDINGS", "METRICS", "METRIC_PARAMS", "FindingSpec", "MetricResult", "MetricSpec", "Unknown", "compute"]


def metric_params(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    params = {k: v for k, (v, _) in METRIC_PARAMS.items()}
    if overrides:
        params.update(overrides)
    return params


def compute(data: AgencyData, as_of: date, params: Mapping[str, float] | None = None) -> MetricResult:
    ctx = Context(data, as_of, metric_params(params))
    raw: dict[str, Any] = {}
    findings: dict[str, list[dict[str, Any]]] = {}
    for module in _MODULES:
        findings.update(module.compute(ctx, raw))
    values: dict[str, Any] = {}
    unknown: dict[str, str] = {}
    for name in METRICS:
        v = raw.get(name)
        if isinstance(v, Unknown):
            values[name] = None
            unknown[name] = v.reason
        else:
            values[name] = v
    return MetricResult(as_of=as_of, values=values, unknown=unknown, findings=findings)
