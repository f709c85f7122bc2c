"""Is a value typed into a form plausible? The questions a form asks once before saving.

A typed number can be valid and still a slip: ``97.25`` for a balance of 97,250, a missing
or extra group of zeros. Before saving, the form asks :func:`questions` about the values it
is about to save; each :class:`Question` names its field and says what looks wrong, in the
agency's number style. The form shows them and saves on a second ctrl+s, as typed (the
data is the user's: nothing here refuses anything). What is asked:

* a cash balance more than 90% below the balance before it (by date), or more than a
  hundred times it;
* an invoice amount a hundred times the client's usual (the median of the client's
  other invoices, two or more), or a hundredth of it;
* a retainer's monthly fee, a project's price, an inquiry's estimated value a hundred
  times the others' median (two or more others), or a hundredth of it;
* an engagement's hours per week above the whole team's weekly capacity;
* the agency's weekly capacity above 10,000 hours (250 people at 40 hours), or its
  monthly costs, credit line or capacity a hundred times the stored value, or a
  hundredth of it.

Headless: reads the model's records only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import model
from .numbers import show_amount, show_decimal
from .safetext import visible

FACTOR = 100  # "a hundred times" either way
DROP = 0.9  # a balance this much below the previous one
MAX_WEEKLY_HOURS = 10_000  # a team's weekly capacity above this: 250 people at 40 hours


@dataclass(frozen=True)
class Question:
    """One "is this right?" about a field's value."""

    field: str
    text: str


def median(values: list[float]) -> float:
    """The middle value (the mean of the two middle ones); statistics.median costs 16 ms of start-up."""
    ordered = sorted(values)
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


def _far(value: float, usual: float) -> str | None:
    """'100 times' or 'a hundredth of' when ``value`` is that far from ``usual`` (> 0), else None."""
    if usual <= 0 or value <= 0:
        return None
    if value >= usual * FACTOR:
        return f"{show_amount(value / usual, '.', 0).replace(',', '')} times"
    if value * FACTOR <= usual:
        return "less than a hundredth of"
    return None


class _Style:
    def __init__(self, decimal: str, currency: str):
        self.decimal = decimal
        self.currency = currency

    def money(self, value: float) -> str:
        text = show_amount(value, self.decimal)
        return f"{text} {self.currency}" if self.currency else text

    def number(self, value: float) -> str:
        return show_decimal(value, self.decimal)


def _others(records: Iterable[Any], attr: str, skip: Any = None) -> list[float]:
    return [v for r in records if r is not skip and isinstance(v := getattr(r, attr, None), (int, float)) and v > 0]


def questions(
    kind: str,
    values: dict[str, Any],
    data: model.AgencyData,
    *,
    original: Any = None,
    decimal: str = ".",
    currency: str = "",
) -> list[Question]:
    """The questions about the ``values`` a form is about to save as a record of ``kind``
    ('cash', 'invoices', 'engagements', 'inquiries', 'agency'); ``original``: the record
    being edited (left out of what it is compared with). Empty: nothing looks wrong."""
    style = _Style(decimal, currency)
    asked: list[Question] = []
    if kind == "cash":
        asked += _cash(values, data, original, style)
    elif kind == "invoices":
        asked += _invoice(values, data, original, style)
    elif kind == "engagements":
        asked += _engagement(values, data, original, style)
    elif kind == "inquiries":
        asked += _usual(values, "estimated_value", data.inquiries, original, "estimated value", "inquiries", style)
    elif kind == "agency":
        asked += _agency(values, data.agency, style)
    return asked


def _cash(values: dict[str, Any], data: model.AgencyData, original: Any, style: _Style) -> list[Question]:
    balance, day = values.get("balance"), values.get("date")
    if not isinstance(balance, (int, float)) or not isinstance(day, date):
        return []
    before = [c for c in data.cash if c.date < day and c is not original]
    if not before:
        return []
    previous = max(before, key=lambda c: c.date)
    if previous.balance <= 0:
        return []
    if balance < previous.balance * (1 - DROP):
        if balance < 0:  # "101% below" says nothing a person can check: say what it means
            said = f"Balance {style.money(balance)} means the account is overdrawn"
            return [
                Question("balance", f"{said}; on {previous.date.isoformat()} it held {style.money(previous.balance)}.")
            ]
        drop = math.floor((previous.balance - balance) / previous.balance * 100)  # 99.9% is 99%, not 100%
        return [
            Question(
                "balance",
                f"Balance {style.money(balance)} is {drop}% below the balance of {previous.date.isoformat()} "
                f"({style.money(previous.balance)}).",
            )
        ]
    far = _far(balance, previous.balance)
    if far is not None:
        return [
            Question(
                "balance",
                f"Balance {style.money(balance)} is {far} the balance of {previous.date.isoformat()} "
                f"({style.money(previous.balance)}).",
            )
        ]
    return []


def _invoice(values: dict[str, Any], data: model.AgencyData, original: Any, style: _Style) -> list[Question]:
    amount, client = values.get("amount"), values.get("client")
    if not isinstance(amount, (int, float)) or amount <= 0 or not client:
        return []
    others = _others((i for i in data.invoices if i.client == client), "amount", original)
    if len(others) < 2:
        return []
    usual = median(others)
    far = _far(amount, usual)
    if far is None:
        return []
    name = visible(data.client_names().get(client, client))
    return [
        Question(
            "amount",
            f"Amount {style.money(amount)} is {far} {name}'s usual invoice ({style.money(usual)}, the median of "
            f"{len(others)}).",
        )
    ]


def _usual(
    values: dict[str, Any], field: str, records: Iterable[Any], original: Any, label: str, plural: str, style: _Style
) -> list[Question]:
    value = values.get(field)
    if not isinstance(value, (int, float)) or value <= 0:
        return []
    others = _others(records, field, original)
    if len(others) < 2:
        return []
    usual = median(others)
    far = _far(value, usual)
    if far is None:
        return []
    return [
        Question(
            field,
            f"{label.capitalize()} {style.money(value)} is {far} the usual of the other {plural} "
            f"({style.money(usual)}, the median of {len(others)}).",
        )
    ]


def _engagement(values: dict[str, Any], data: model.AgencyData, original: Any, style: _Style) -> list[Question]:
    asked: list[Question] = []
    kind = values.get("kind")
    if kind == "retainer":
        retainers = [e for e in data.engagements if e.kind == "retainer"]
        asked += _usual(values, "monthly_fee", retainers, original, "monthly fee", "retainers", style)
    elif kind == "project":
        projects = [e for e in data.engagements if e.kind == "project"]
        asked += _usual(values, "price", projects, original, "price", "projects", style)
    hours, capacity = values.get("hours_per_week"), data.agency.weekly_capacity_hours
    if isinstance(hours, (int, float)) and capacity and hours > capacity:
        asked.append(
            Question(
                "hours_per_week",
                f"{style.number(hours)} hours a week is more than the whole team's weekly capacity "
                f"({style.number(capacity)} hours).",
            )
        )
    return asked


_PROFILE_AMOUNTS = (
    ("monthly_operating_costs", "Monthly operating costs", True),
    ("credit_line", "Credit line", True),
    ("weekly_capacity_hours", "Weekly capacity", False),
)


def _agency(values: dict[str, Any], stored: model.Agency, style: _Style) -> list[Question]:
    asked: list[Question] = []
    capacity = values.get("weekly_capacity_hours")
    if isinstance(capacity, (int, float)) and capacity > MAX_WEEKLY_HOURS:
        people = capacity / 40
        asked.append(
            Question(
                "weekly_capacity_hours",
                f"A weekly capacity of {style.number(capacity)} hours is {style.number(round(people))} people "
                "working 40 hours a week.",
            )
        )
    for name, label, money in _PROFILE_AMOUNTS:
        value, before = values.get(name), getattr(stored, name, None)
        if any(q.field == name for q in asked) or not isinstance(value, (int, float)):
            continue
        if not isinstance(before, (int, float)):
            continue
        far = _far(value, before)
        if far is not None:
            shown = style.money if money else (lambda v: f"{style.number(v)} hours")
            asked.append(Question(name, f"{label} {shown(value)} is {far} the stored {shown(before)}."))
    return asked
