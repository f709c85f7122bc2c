"""Cash in the bank (G5): months of operating costs covered, and the surplus."""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from .base import Context, Unknown, finding, metric

metric("cash_balance", "cash", "money", "the latest cash balance on or before the as-of date")
metric("cash_date", "cash", "date", "the date of that balance")
metric("cash_age_days", "cash", "days", "days between that balance and the as-of date")
metric("cash_months", "cash", "months", "cash_balance / monthly operating costs")
metric("cash_surplus", "cash", "money", "cash_balance - ideal_cash_months x monthly operating costs "
       "(negative: the shortfall)")
metric("ideal_cash_months", "cash", "months", "the ideal reserve in months of costs ([metrics] ideal_cash_months)")
metric("monthly_operating_costs", "cash", "money", "the agency's monthly operating costs")
metric("credit_line", "cash", "money", "the credit line arranged with the bank (0: none)")
metric("overdue_receivables", "cash", "money", "unpaid invoices past their due date on the as-of date")
metric("overdue_invoices", "cash", "count", "how many invoices those are")
finding("cash_history", "cash", "cash balances of the 12 months up to the as-of date, oldest first",
        date="date of the balance", balance="the balance")

NEED_CASH = "enter a cash balance dated on or before the as-of date (Cash)"
NEED_COSTS = "enter the monthly operating costs (Agency profile)"


def latest_cash(entries: list[Any], as_of: date) -> Any:
    best = None
    for c in entries:
        if c.date <= as_of and (best is None or c.date > best.date):
            best = c
    return best


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
    overdue = 0.0
    count = 0
    for inv in data.invoices:
        unpaid = inv.paid is None or inv.paid > as_of
        if unpaid and inv.due is not None and inv.due < as_of and inv.issued <= as_of:
            overdue += inv.amount
            count += 1
    out["overdue_receivables"] = overdue
    out["overdue_invoices"] = count
    start = as_of - relativedelta(months=12)
    history = sorted((c for c in data.cash if start < c.date <= as_of), key=lambda c: c.date)
    return {"cash_history": [{"subject": c.date.isoformat(), "date": c.date.isoformat(), "balance": c.balance}
                             for c in history]}
