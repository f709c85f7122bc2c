"""Metrics: pure functions of (agency data, as-of date) -> named numbers and findings.

``compute(data, as_of)`` runs every pillar's module and returns a MetricResult:
``values`` (name -> number, text or None when unknown), ``unknown`` (name -> what to
enter) and ``findings`` (name -> items that rules can run over). The formulas are in
docs/metrics.md; every metric and finding is registered in ``METRICS`` / ``FINDINGS``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from itertools import chain, compress, repeat
from operator import is_
from typing import Any

from ..model import AgencyData
from . import busy, cash, deals, plans, revenue, sales, span
from .base import FINDINGS, METRIC_PARAMS, METRICS, Context, FindingSpec, MetricResult, MetricSpec, Unknown

_MODULES = (revenue, busy, cash, sales, deals, plans, span)

__all__ = ["FINDINGS", "METRICS", "METRIC_PARAMS", "FindingSpec", "MetricResult", "MetricSpec", "Unknown", "compute"]


def metric_params(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    params = {k: v for k, (v, _) in METRIC_PARAMS.items()}
    if overrides:
        params.update(overrides)
    return params


# Arithmetic trouble: an overflow, a division by zero, a date out of the calendar (timedelta
# raises OverflowError, relativedelta ValueError), a NaN or infinity turned into an int.
_TROUBLE = (ArithmeticError, ValueError)
TOO_LARGE = (
    "too large to compute, or not a number: look for an extreme amount, a tiny operating cost "
    "or capacity, or an odd [metrics] parameter, and correct it"
)


def _cannot(exc: BaseException) -> str:
    return (
        f"could not be computed from the data as it is ({type(exc).__name__}: {exc}): look for an extreme "
        "amount, a date far in the past or future, or an odd [metrics] parameter, and correct it"
    )


def _finite_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A finding's items with any NaN or infinity made unknown (None). A quick look at all the
    values first, in C (thousands of open inquiries): a NaN or an infinity makes the sum of the
    floats NaN or infinite; the items are copied only then (or when the sum overflowed)."""
    values = list(chain.from_iterable(map(dict.values, items)))
    if math.isfinite(sum(compress(values, map(is_, map(type, values), repeat(float))), 0.0)):
        return items
    return [{k: None if type(v) is float and not math.isfinite(v) else v for k, v in item.items()} for item in items]


def compute(
    data: AgencyData, as_of: date, params: Mapping[str, float] | None = None, decimal: str = "."
) -> MetricResult:
    """Every metric and finding. This is the one place that makes arithmetic trouble "unknown":
    a module that raises it leaves the metrics it had not set yet unknown (with the reason) and
    its findings empty; a result that is NaN or infinite is unknown too. Never an exception.
    (Every module sets each of its metrics, known or Unknown, when it runs through.)
    ``decimal``: the decimal mark of the amounts in the metrics' texts (the agency's, numbers.style_for)."""
    ctx = Context(data, as_of, metric_params(params), decimal)
    raw: dict[str, Any] = {}
    findings: dict[str, list[dict[str, Any]]] = {}
    trouble: Unknown | None = None
    for module in _MODULES:
        try:
            findings.update(module.compute(ctx, raw))
        except _TROUBLE as exc:
            trouble = trouble or Unknown(_cannot(exc))
    values: dict[str, Any] = {}
    unknown: dict[str, str] = {}
    for name in METRICS:
        v = raw.get(name, trouble)  # not set: its module ran into trouble
        if type(v) is float and not math.isfinite(v):
            v = Unknown(TOO_LARGE)
        if isinstance(v, Unknown):
            values[name] = None
            unknown[name] = v.reason
        else:
            values[name] = v
    if trouble is not None:
        for name in FINDINGS:
            findings.setdefault(name, [])
    findings = {name: _finite_items(items) for name, items in findings.items()}
    return MetricResult(as_of=as_of, values=values, unknown=unknown, findings=findings)
