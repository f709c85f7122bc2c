"""The metric registry: names, units, docs, and what to enter when one is unknown.

A metric is a named number (or a short text) computed from the agency data and
an as-of date. A *finding* is a named list of items (one per inquiry, project,
journey stage or action) that rules can run over one by one.

A metric that lacks the data it needs is *unknown* (``None`` in the output),
never zero, and carries a reason that tells the user what to enter.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date
from operator import attrgetter
from typing import Any

from ..fastclass import dataclass
from ..model import AgencyData
from ..numbers import english_in_style


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """A named metric: its pillar, unit and documentation."""

    name: str
    pillar: str
    unit: str  # share, months, days, count, money, ratio, per_week, text, date, hhi
    doc: str


@dataclass(frozen=True, slots=True)
class FindingSpec:
    """A named list of items (one per inquiry, project, stage...) that rules can run over."""

    name: str
    pillar: str
    doc: str
    fields: dict[str, str]


@dataclass(slots=True)
class Unknown:
    """Why a metric could not be computed, phrased as what to enter."""

    reason: str


# Parameters of the metrics themselves (config file section [metrics]).
METRIC_PARAMS: dict[str, tuple[float, str]] = {
    "full_load": (0.8, "share of weekly capacity that counts as 'booked' for booked_days"),
    "ideal_cash_months": (6, "months of operating costs in the ideal reserve, for cash_surplus"),
    "default_project_months": (3, "months a project without an end or deadline is spread over"),
    "horizon_days": (365, "how far ahead booked_days looks"),
    "ending_within_days": (
        90,
        "a running client whose work all ends within this many days is revenue to replace "
        "(ending_clients), not the largest client the key-client risk is judged on",
    ),
    "guide_sales_cycle_days": (
        75,
        "days a deal takes to close when no won deal gives a cycle: the guide's two to three months",
    ),
}


_NOT_YET = object()


@dataclass
class Context:
    """What every metric is computed from: the data, the as-of date, the metric parameters."""

    data: AgencyData
    as_of: date
    params: dict[str, float]
    decimal: str = "."  # the agency's decimal mark (numbers.style_for): the texts' amounts, 4.000 EUR with ','
    _first_invoice: Any = field(default=_NOT_YET, init=False, repr=False, compare=False)

    def money(self, value: float) -> str:
        """An amount in a metric's text, whole, grouped in the agency's style: 4,000 or 4.000."""
        return english_in_style(f"{value:,.0f}", self.decimal)

    def first_invoice(self) -> Any:
        """The invoice issued first (of several on that day, the first in the data), None when there
        is none: worked out once per run (span and revenue both ask; L holds 200,000 invoices)."""
        if self._first_invoice is _NOT_YET:
            invoices = self.data.invoices
            self._first_invoice = min(invoices, key=attrgetter("issued")) if invoices else None
        return self._first_invoice


@dataclass
class MetricResult:
    """The metrics of one agency on one date: values, unknowns (with reasons), findings."""

    as_of: date
    values: dict[str, Any]
    unknown: dict[str, str]
    findings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        return self.values.get(name)


METRICS: dict[str, MetricSpec] = {}
FINDINGS: dict[str, FindingSpec] = {}


def metric(name: str, pillar: str, unit: str, doc: str) -> None:
    METRICS[name] = MetricSpec(name, pillar, unit, doc)


def finding(finding_name: str, pillar: str, doc: str, **fields: str) -> None:
    FINDINGS[finding_name] = FindingSpec(finding_name, pillar, doc, {"subject": "what the item is about", **fields})
