"""Invoice the running retainers for a month: one invoice per retainer, once per month.

Headless (the command line's ``invoice-retainers`` and the app's key on the invoices table
both come here, and both write the same way: one locked, audited, atomic transaction).

What is invoiced, for the month M (``2026-12``):

- every *retainer* engagement billed *monthly* that runs in M: it started on or before
  M's last day and has no end, or ends on or after M's first day;
- the amount is the monthly fee, whole (a first or last month that is only partly worked
  is not prorated: change the invoice by hand if your contract says otherwise);
- the issue date: for the current month, *today* (the invoice goes out now, and its due
  date counts from the day it is sent); for a past month, the *first of that month*
  (recording the invoices sent then), or the engagement's start when it started later
  in that month. A month that has not begun is refused, and so is an engagement that
  starts later this month (run it again once it has started): no invoice is ever issued
  in the future, where the revenue metrics would not count it yet;
- due: the issue date plus the agency's payment term (``payment_term_days``, 30 days
  when the profile does not say);
- its id is ``ret-<engagement id>-<yyyy-mm>``, with the engagement and its client set.

Once per month: an engagement counts as invoiced for M (and is skipped, saying which
invoice) when an invoice with that id exists, when any invoice *of that engagement* was
issued in M, or when an invoice of *the same client* without an engagement (as an
accounting import makes them) was issued in M for exactly the monthly fee. Running it
twice adds nothing; two teammates running it at once add each invoice once (the check is
made again inside the lock, on the file as it is then).

Projects are never invoiced here (their billing follows milestones or the work done);
a project running in M is listed as skipped, saying so.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .. import model
from ..metrics.revenue import engagement_label
from ..model import checks
from ..numbers import show_amount, style_for
from ..store import RecordMeta, Store, StoreError
from .workspace import Workspace, Write

ACTION = "invoice-retainers"  # the audit log's action
_MAX_ID = getattr(checks, "MAX_NAME", 120)  # an id is a name: at most this many characters
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


class MonthError(ValueError):
    """A month that cannot be invoiced: not a month, or one that has not begun."""


def parse_month(text: str) -> date:
    """The first day of the month written ``YYYY-MM`` (``2026-12``); MonthError otherwise."""
    found = _MONTH.fullmatch(text.strip())
    if found is None:
        raise MonthError(f"{text!r} is not a month: write it as YYYY-MM, e.g. 2026-12")
    year, month = int(found[1]), int(found[2])
    if not 1 <= month <= 12:
        raise MonthError(f"{text!r} is not a month: the month is 01 to 12 (YYYY-MM, e.g. 2026-12)")
    if not model.MIN_DATE.year <= year <= model.MAX_DATE.year - 1:
        raise MonthError(f"{text!r}: the year must be between {model.MIN_DATE.year} and {model.MAX_DATE.year - 1}")
    return date(year, month, 1)


def month_end(first: date) -> date:
    nxt = date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)
    return nxt - timedelta(days=1)


def month_text(first: date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def check_month(first: date, today: date) -> None:
    """MonthError when the month has not begun yet (no invoice is issued in the future)."""
    if first > today:
        raise MonthError(
            f"{month_text(first)} has not begun yet (today is {today.isoformat()}): retainers are invoiced "
            "in their month or after it"
        )


def invoice_id(engagement_id: str, first: date) -> str:
    """``ret-<engagement>-<yyyy-mm>``; for an engagement id too long for that to be an id, the
    month and a digest of the engagement id (the same every time: once a month still holds)."""
    wanted = f"ret-{engagement_id}-{month_text(first)}"
    if len(wanted) <= _MAX_ID:
        return wanted
    digest = hashlib.sha256(engagement_id.encode("utf-8")).hexdigest()[:16]
    return f"ret-{month_text(first)}-{digest}"


@dataclass
class RetainerLine:
    """One engagement considered: the invoice it gets, or why it gets none."""

    engagement: str  # its id
    label: str  # the engagement in words ('the ACME retainer')
    client: str  # the client's name
    invoice: model.Invoice | None = None  # what is (or would be) created
    reason: str = ""  # why it is skipped ('' when it is invoiced)

    @property
    def name(self) -> str:
        """The engagement in words, with its client's name unless the words hold it already."""
        return self.label if self.client in self.label else f"{self.label} ({self.client})"

    def text(self, currency: str = "", decimal: str = ".") -> str:
        """One line for a listing: what is created, or what is skipped and why (amounts in the
        number style whose decimal mark is ``decimal``)."""
        if self.invoice is not None:
            inv = self.invoice
            amount = show_amount(inv.amount, decimal) + (f" {currency}" if currency else "")
            due = f", due {inv.due.isoformat()}" if inv.due else ""
            return f"{inv.id}: {self.name}, {amount}, issued {inv.issued.isoformat()}{due}"
        return f"{self.name}: {self.reason}"


@dataclass
class RetainerPlan:
    """What invoicing the retainers of ``month`` (its first day) creates and skips."""

    month: date
    today: date
    currency: str = ""
    decimal: str = "."  # the agency's number style (numbers.style_for): amounts are shown in it
    create: list[RetainerLine] = field(default_factory=list)
    skipped: list[RetainerLine] = field(default_factory=list)

    @property
    def invoices(self) -> list[model.Invoice]:
        return [line.invoice for line in self.create if line.invoice is not None]

    @property
    def total(self) -> float:
        return sum(inv.amount for inv in self.invoices)

    def summary(self) -> str:
        """'5 retainer invoices of 2026-12 (20.000,00 EUR), 2 skipped'."""
        n = len(self.create)
        what = f"{n} retainer invoice{'s' if n != 1 else ''} of {month_text(self.month)}"
        if n:
            what += f" ({show_amount(self.total, self.decimal)}" + (f" {self.currency})" if self.currency else ")")
        skipped = len(self.skipped)
        return what + (f", {skipped} skipped" if skipped else "")

    def lines(self) -> list[str]:
        """The listing: what is created, then what is skipped and why (texts of the data: show them
        through safetext.visible)."""
        out = [f"  + {line.text(self.currency, self.decimal)}" for line in self.create]
        out += [f"  - {line.text()}" for line in self.skipped]
        return out


def plan_retainer_invoices(
    data: model.AgencyData, month: date, today: date, *, existing_ids: set[str] | None = None
) -> RetainerPlan:
    """What invoicing the running retainers of ``month`` (any day of it) would create, on ``data``
    (pure: nothing is written). ``existing_ids``: every stored invoice id, when ``data.invoices``
    holds only some of them (the invoices of the month)."""
    first = month.replace(day=1)
    last = month_end(first)
    current = (first.year, first.month) == (today.year, today.month)
    term = getattr(data.agency, "payment_term_days", 30)
    term = term if isinstance(term, int) and term >= 0 else 30
    plan = RetainerPlan(first, today, currency=data.agency.currency or "", decimal=style_for(data.agency))
    names = data.client_names()
    ids = existing_ids if existing_ids is not None else {inv.id for inv in data.invoices}
    in_month = [inv for inv in data.invoices if first <= inv.issued <= last]
    by_engagement: dict[str, model.Invoice] = {}
    unlinked: dict[tuple[str, float], list[model.Invoice]] = {}  # each counts for one retainer
    for inv in in_month:
        if inv.engagement:
            by_engagement.setdefault(inv.engagement, inv)
        else:
            unlinked.setdefault((inv.client, float(inv.amount)), []).append(inv)
    # a former client (archived on or before the month's first day) gets no invoice for it
    archived = {c.id: on for c in data.clients if isinstance(on := getattr(c, "archived", None), date) and on <= first}
    taken: set[str] = set()
    for e in sorted(data.engagements, key=lambda e: (names.get(e.client, e.client).lower(), e.id)):
        client = names.get(e.client, e.client)
        line = RetainerLine(e.id, engagement_label(e, client), client)
        runs = e.start <= last and (e.end is None or e.end >= first)
        if e.kind != "retainer":
            if runs:
                line.reason = "a project: not a retainer (invoice its milestones or work yourself)"
                plan.skipped.append(line)
            continue
        if e.start > last:
            line.reason = f"starts {e.start.isoformat()}, after {month_text(first)}"
        elif e.end is not None and e.end < first:
            line.reason = f"ended {e.end.isoformat()}, before {month_text(first)}"
        elif e.billing != "monthly":
            line.reason = f"billed {e.billing.replace('_', ' ')}, not monthly"
        elif e.monthly_fee is None:
            line.reason = "no monthly fee entered"
        elif e.client in archived:
            line.reason = f"its client was archived on {archived[e.client].isoformat()}"
        else:
            inv_id = invoice_id(e.id, first)
            done = by_engagement.get(e.id)
            candidates = unlinked.get((e.client, float(e.monthly_fee))) or []
            same = candidates[0] if candidates and inv_id not in ids and done is None else None
            if same is not None:
                candidates.pop(0)  # one unlinked invoice stands for one retainer, not two of one fee
            if inv_id in ids or inv_id in taken:
                line.reason = f"already invoiced for {month_text(first)} ({inv_id})"
            elif done is not None:
                line.reason = f"already invoiced for {month_text(first)} ({done.id}, issued {done.issued.isoformat()})"
            elif same is not None:
                line.reason = (
                    f"already invoiced for {month_text(first)}? {same.id} (issued {same.issued.isoformat()}) bills "
                    "this client the monthly fee without an engagement"
                )
            else:
                issued = today if current else max(first, e.start)
                if e.start > issued:
                    line.reason = f"starts {e.start.isoformat()}, after today: invoice it once it has started"
                else:
                    line.invoice = model.Invoice(
                        id=inv_id,
                        client=e.client,
                        issued=issued,
                        amount=float(e.monthly_fee),
                        engagement=e.id,
                        due=_due(issued, term),
                        paid=None,
                    )
                    taken.add(inv_id)
        (plan.create if line.invoice is not None else plan.skipped).append(line)
    return plan


def _due(issued: date, term: int) -> date | None:
    """The issue date plus the payment term; None (no due date) when that is past the calendar the
    data format holds (a term of a billion days is a valid setting: never a crash)."""
    try:
        due = issued + timedelta(days=term)
    except OverflowError:
        return None
    return due if due <= model.MAX_DATE else None


class _NothingToWrite(Exception):
    """Inside the transaction: nothing to create, so nothing is written (no empty revision)."""


_RECORD_META = "_m"  # the store's per-record metadata key (never part of a record)


def _clean(doc: Any) -> Any:
    return {k: v for k, v in doc.items() if k != _RECORD_META} if isinstance(doc, dict) else doc


def write_retainer_invoices(store: Store, month: date, today: date) -> RetainerPlan:
    """Create the invoices of the running retainers of ``month`` in the data file, in one
    transaction (locked, audited, atomic), planned again inside the lock on the file as it is
    then. Returns that plan (what was created, what was skipped). Nothing is written when
    there is nothing to create. Raises MonthError (a month not begun), StoreError."""
    first = month.replace(day=1)
    check_month(first, today)
    prefix = month_text(first)
    try:
        with store.transaction(ACTION) as tx:
            invoices = tx.table_docs("invoices")
            ids = {d.get("id") for d in invoices if isinstance(d, dict)}
            doc: dict[str, Any] = {"format": model.FORMAT, "version": model.VERSION}
            agency = tx.table_docs("agency")
            if agency:
                doc["agency"] = _clean(agency[0])
            doc["clients"] = [_clean(d) for d in tx.table_docs("clients")]
            doc["engagements"] = [_clean(d) for d in tx.table_docs("engagements")]
            doc["invoices"] = [  # only the month's: a large file is not validated whole for this
                _clean(d) for d in invoices if isinstance(d, dict) and str(d.get("issued", "")).startswith(prefix)
            ]
            try:
                parts = model.validate_document(doc, partial=True)
            except model.ValidationError as exc:
                raise StoreError(
                    store.path,
                    "holds invalid records (was it edited by hand?); no invoice was created:\n"
                    + "\n".join(f"  {p}" for p in exc.problems[:20]),
                ) from None
            plan = plan_retainer_invoices(model.build(parts), first, today, existing_ids={i for i in ids if i})
            if not plan.create:
                raise _NothingToWrite(plan)
            new = [model.record_to_json("invoices", inv) for inv in plan.invoices]
            model.validate_document(
                {"format": model.FORMAT, "version": model.VERSION, "invoices": new},
                partial=True,
                known_ids=tx.known_ids(["invoices"]),
            )
            table = tx.db.table("invoices")
            for js in new:
                table.insert(tx.stamp(js))
                tx.changed("invoices", js["id"], None, js)
    except _NothingToWrite as nothing:
        return nothing.args[0]
    return plan


def plan_invoice_retainers(ws: Workspace, month: date) -> Write:
    """The Write (see workspace.Write) that invoices the running retainers of ``month`` in the
    workspace's data file; its result is the RetainerPlan as made inside the lock."""
    ws._writable()
    first = month.replace(day=1)
    today = ws.as_of
    check_month(first, today)

    def run() -> RetainerPlan:
        return write_retainer_invoices(ws.store, first, today)

    def apply(w: Write) -> None:
        plan: RetainerPlan = w.value
        for inv in plan.invoices:
            ws.meta[("invoices", inv.id)] = RecordMeta(w.revision, ws.user, "")
            ws.data.invoices.append(inv)

    w = Write(ws, run, apply)
    w.always = lambda plan: plan
    return w
