"""Where the agency's data starts: its first dated record, and whether the as-of date is before it.

As of a date before the first invoice, engagement, cash balance and inquiry, every count and
amount reads zero for lack of records: the engine does not run the checks of dated records
then (docs/rules.md, "Before the data starts").
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from .base import Context, Unknown, metric

metric(
    "data_starts",
    "data",
    "date",
    "the date of the agency's first record: the earliest invoice issued, engagement start, cash balance "
    "or inquiry received",
)
metric("first_record", "data", "text", 'that record, in words ("an invoice to Acme, issued 2025-08-01")')
metric(
    "days_before_data",
    "data",
    "days",
    "days from the as-of date to data_starts when the as-of date is before it; 0 when it is not",
)

NEED_RECORDS = (
    "no dated records yet: enter invoices (Invoices), engagements (Engagements), a cash balance "
    "(Cash) or inquiries (Inquiries)"
)


def compute(ctx: Context, out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    data = ctx.data
    names = {c.id: c.name for c in data.clients}
    # (date, rank, words): on one date, the order below decides which record is named
    candidates = []
    if data.invoices:
        inv = ctx.first_invoice()
        candidates.append(
            (inv.issued, 0, f"an invoice to {names.get(inv.client, 'a client')}, issued {inv.issued.isoformat()}")
        )
    if data.engagements:
        eng = min(data.engagements, key=attrgetter("start"))
        what = getattr(eng, "name", None) or f"{names.get(eng.client, 'a client')} {eng.kind}"
        candidates.append((eng.start, 1, f"the {what}, starting {eng.start.isoformat()}"))
    if data.cash:
        c = min(data.cash, key=attrgetter("date"))
        candidates.append((c.date, 2, f"a cash balance dated {c.date.isoformat()}"))
    if data.inquiries:
        q = min(data.inquiries, key=attrgetter("received"))
        candidates.append((q.received, 3, f"an inquiry from {q.prospect}, received {q.received.isoformat()}"))
    if not candidates:
        for name in ("data_starts", "first_record", "days_before_data"):
            out[name] = Unknown(NEED_RECORDS)
        return {}
    first, _, words = min(candidates, key=lambda c: (c[0], c[1]))
    out["data_starts"] = first.isoformat()
    out["first_record"] = words
    out["days_before_data"] = max(0, (first - ctx.as_of).days)
    return {}
