"""Cash in the bank (G5): months of operating costs covered, the surplus, the burn and the runway."""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from .base import Context, Unknown, finding, metric

metric("cash_balance", "cash", "money", "the latest cash balance on or before the as-of date")
metric("cash_date", "cash", "date", "the date of that balance")
metric("cash_age_days", "cash", "days", "days between that balance and the as-of date")
metric("cash_months", "cash", "months", "cash_balance / monthly operating costs")
metric(
    "cash_surplus",
    "cash",
    "money",
    "cash_balance - ideal_cash_months x monthly operating costs (negative: the shortfall)",
)
metric("ideal_cash_months", "cash", "months", "the ideal reserve in months of costs ([metrics] ideal_cash_months)")
metric("monthly_operating_costs", "cash", "money", "the agency's monthly operating costs")
metric("credit_line", "cash", "money", "the credit line arranged with the bank (0: none)")
metric(
    "overdue_receivables",
    "cash",
    "money",
    "unpaid invoices past their due date on the as-of date, what the clients owe: the total incl. tax (the "
    "amount when none is recorded); positive ones only: a credit note is not money to collect",
)
metric("overdue_invoices", "cash", "count", "how many invoices those are")
metric("overdue_invoices_text", "cash", "text", "that count in words: '1 invoice', '3 invoices'")
metric(
    "credit_line_text",
    "cash",
    "text",
    "the credit line in words: 'no credit line is arranged', 'a credit line of 50,000 EUR is arranged'",
)
metric(
    "overdue_text",
    "cash",
    "text",
    "the overdue invoices in words: 'no invoice is overdue', '3 invoices are overdue, together 12,000 EUR'",
)
metric(
    "monthly_burn",
    "cash",
    "money",
    "monthly operating costs - monthly revenue on the revenue basis, when revenue is below the costs (else 0)",
)
metric(
    "runway_months",
    "cash",
    "months",
    "cash_balance / monthly_burn: the months until the cash runs out at this burn; at most 120, which is also "
    "its value without a burn",
)
finding(
    "cash_history",
    "cash",
    "cash balances of the 12 months up to the as-of date, oldest first",
    date="date of the balance",
    balance="the balance",
)

NEED_CASH = "enter a cash balance dated on or before the as-of date (Cash)"
NEED_COSTS = "enter the monthly operating costs (Agency profile)"
NEED_REVENUE = (
    "enter the invoices of the last 12 months (Invoices), or the retainers and projects running today (Engagements)"
)
# runway_months and months_without_largest (metrics/revenue.py) are capped here, as booked_days is at
# horizon_days: the cap also stands for "never" (no shortfall: the cash does not run down).
MAX_MONTHS = 120


def latest_cash(entries: list[Any], as_of: date) -> Any:
    best = None
    for c in entries:
        if c.date <= as_of and (best is None or c.date > best.date):
            best = c
    return best


def months_lasting(cash: Any, shortfall: float) -> float | Unknown:
    """How many months the balance ``cash`` (a cash entry, or None) carries a monthly
    ``shortfall``: MAX_MONTHS when there is none."""
    if cash is None:
        return Unknown(NEED_CASH)
    if shortfall <= 0:
        return float(MAX_MONTHS)
    return min(float(MAX_MONTHS), max(0.0, cash.balance) / shortfall)


def owed_by(inv: Any) -> float:
    """What the client owes for an invoice: its total incl. tax, or its amount when it has none
    (the amount is revenue, before tax; a receivable is what comes in)."""
    total = inv.total
    return float(inv.amount if total is None else total)


def compute(ctx: Context, out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    data, as_of = ctx.data, ctx.as_of
    costs = data.agency.monthly_operating_costs
    out["monthly_operating_costs"] = costs if costs else Unknown(NEED_COSTS)
    out["credit_line"] = data.agency.credit_line
    out["ideal_cash_months"] = ctx.params["ideal_cash_months"]
    latest = latest_cash(data.cash, as_of)
    if latest is None:
        for n in ("cash_balance", "cash_date", "cash_age_days", "cash_months", "cash_surplus"):
            out[n] = Unknown(NEED_CASH)
    else:
        out["cash_balance"] = latest.balance
        out["cash_date"] = latest.date.isoformat()
        out["cash_age_days"] = (as_of - latest.date).days
        if costs:
            out["cash_months"] = latest.balance / costs
            out["cash_surplus"] = latest.balance - ctx.params["ideal_cash_months"] * costs
        else:
            out["cash_months"] = Unknown(NEED_COSTS)
            out["cash_surplus"] = Unknown(NEED_COSTS)
    # the burn: costs the revenue (on the basis of metrics/revenue.py, computed before) does not cover
    revenue = out.get("monthly_revenue")
    if not costs:
        out["monthly_burn"] = out["runway_months"] = Unknown(NEED_COSTS)
    elif not isinstance(revenue, (int, float)):
        out["monthly_burn"] = out["runway_months"] = revenue if isinstance(revenue, Unknown) else Unknown(NEED_REVENUE)
    else:
        burn = max(0.0, costs - revenue)
        out["monthly_burn"] = burn
        out["runway_months"] = months_lasting(latest, burn)
    overdue = 0.0
    count = 0
    for inv in data.invoices:
        paid = inv.paid
        if paid is not None and paid <= as_of:
            continue  # paid by then (most invoices: tested first)
        owed = owed_by(inv)
        if owed > 0 and inv.due is not None and inv.due < as_of and inv.issued <= as_of:
            overdue += owed
            count += 1
    out["overdue_receivables"] = overdue
    out["overdue_invoices"] = count
    out["overdue_invoices_text"] = "1 invoice" if count == 1 else f"{count} invoices"
    cur = data.agency.currency
    out["overdue_text"] = (
        "no invoice is overdue"
        if count == 0
        else f"1 invoice is overdue, {ctx.money(overdue)} {cur}"
        if count == 1
        else f"{count} invoices are overdue, together {ctx.money(overdue)} {cur}"
    )
    line = data.agency.credit_line
    out["credit_line_text"] = (
        f"a credit line of {ctx.money(line)} {cur} is arranged" if line > 0 else "no credit line is arranged"
    )
    start = as_of - relativedelta(months=12)
    history = sorted((c for c in data.cash if start < c.date <= as_of), key=lambda c: c.date)
    return {
        "cash_history": [
            {"subject": c.date.isoformat(), "date": c.date.isoformat(), "balance": c.balance} for c in history
        ]
    }
