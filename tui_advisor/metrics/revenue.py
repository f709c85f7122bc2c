"""Revenue on two bases, key-client risk (G3) and recurring revenue (G4).

Two bases stand side by side (docs/metrics.md, "Revenue"):

* **running**: the monthly value of the engagements running on the as-of date (who pays from
  now on): a retainer's ``monthly_fee``, a project's ``price`` spread over its months;
* **trailing**: the invoices of the last 12 months, averaged over the months the invoice
  history actually covers (three months of invoices are divided by three, not twelve).

Key-client risk and recurring revenue are about the future, so they are judged on the running
engagements when there are any, else on the trailing invoices; ``revenue_basis_text`` says which.
A former client (archived on or before the as-of date) is left out of that basis on either
footing: its engagements do not run for it any more, its invoices are history (the trailing
metrics and the departed clients keep them).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta

from .base import Context, Unknown, finding, metric
from .cash import latest_cash, months_lasting

metric(
    "revenue_basis",
    "key_client",
    "text",
    "what the key-client and recurring metrics are judged on: 'engagements' (the monthly value of the "
    "engagements running on the as-of date) when any run, else 'invoices' (the last 12 months of invoices, "
    "over the months they cover)",
)
metric(
    "revenue_basis_text",
    "key_client",
    "text",
    "that basis in words, for messages: 'on the engagements running today', 'on 3 months of invoices'",
)
metric("annual_revenue", "key_client", "money", "monthly_revenue x 12")
metric("monthly_revenue", "key_client", "money", "monthly revenue on the basis")
metric(
    "running_monthly_revenue",
    "key_client",
    "money",
    "monthly value of the engagements running on the as-of date (0 when none runs)",
)
metric("trailing_monthly_revenue", "key_client", "money", "invoices of the last 12 months / trailing_months")
metric(
    "trailing_months",
    "key_client",
    "months",
    "months the invoice history covers in the last 12: the calendar months from the first invoice on record "
    "(or the window's first day) to the as-of date, both counted, at most 12",
)
metric("trailing_top_client_share", "key_client", "share", "the largest client's share of the trailing invoices")
metric("trailing_largest_client", "key_client", "text", "the largest client of the trailing invoices")
metric(
    "trailing_basis_text",
    "key_client",
    "text",
    "the trailing basis in words: 'on the invoices of the last 12 months', 'on 3 months of invoices'",
)
metric(
    "trailing_note",
    "key_client",
    "text",
    "on the running basis, the largest client on the trailing invoices beside it, as a clause for messages "
    "('; on the invoices of the last 12 months: 71%'); empty otherwise",
)
metric(
    "largest_client_work",
    "key_client",
    "text",
    "on the running basis, the largest client's engagements running today and when they end, as a sentence; "
    "empty otherwise",
)
metric("client_count", "key_client", "count", "clients with revenue on the basis")
metric(
    "top_client_share",
    "key_client",
    "share",
    "the largest client's share of the revenue basis; on the running basis, the largest client whose work "
    "continues past ending_within_days (90 days), when any does",
)
metric(
    "largest_client",
    "key_client",
    "text",
    "the name of the largest client on the basis; on the running basis, the largest whose work continues "
    "past ending_within_days (90 days), when any does: one whose work all ends sooner is in ending_clients",
)
metric(
    "largest_running_client",
    "key_client",
    "text",
    "the largest client on the engagements running today, whenever its work ends",
)
metric(
    "largest_running_client_end",
    "key_client",
    "text",
    "the last day of that client's work (running or still to start), 'no end date' when open-ended",
)
metric(
    "ending_share",
    "key_client",
    "share",
    "share of the running monthly revenue from the clients whose work all ends within ending_within_days "
    "(90 days) while other work continues past it",
)
metric("top5_share", "key_client", "share", "the five largest clients' share of the revenue basis")
metric("hhi", "key_client", "hhi", "Herfindahl-Hirschman index: sum of squared percentage shares (0 to 10000)")
metric(
    "effective_clients", "key_client", "count", "10000 / hhi: the number of equal clients with the same concentration"
)
metric(
    "revenue_without_largest_vs_costs",
    "key_client",
    "ratio",
    "monthly revenue without the largest client / monthly operating costs",
)
metric("revenue_vs_costs", "key_client", "ratio", "monthly revenue / monthly operating costs")
metric(
    "shortfall_without_largest",
    "key_client",
    "money",
    "monthly operating costs - the monthly revenue of every client but the largest (0 or less: covered)",
)
metric(
    "months_without_largest",
    "key_client",
    "months",
    "after losing the largest client: the cash balance / shortfall_without_largest, the months cash and the "
    "remaining revenue carry the costs; at most 120, which is also its value when the rest of the revenue "
    "covers the costs",
)
metric(
    "lost_monthly_revenue",
    "key_client",
    "money",
    "trailing monthly revenue of the clients whose work has ended (every engagement ended before the as-of "
    "date, none to come)",
)
metric("lost_revenue_share", "key_client", "share", "lost_monthly_revenue / trailing_monthly_revenue")
metric("recurring_share", "recurring", "share", "share of the monthly revenue on the basis from retainers")
metric("recurring_monthly_revenue", "recurring", "money", "monthly revenue on the basis from retainers")
metric("recurring_vs_costs", "recurring", "ratio", "recurring_monthly_revenue / monthly operating costs")
metric(
    "monthly_billed_share",
    "recurring",
    "share",
    "share of the revenue basis billed monthly: retainers plus projects with monthly billing",
)
metric("billing_text", "recurring", "text", "how the revenue that is not recurring is billed, in words")
metric(
    "unlinked_invoices",
    "recurring",
    "count",
    "invoices of the last 12 months with no engagement, and none to infer (the client has not one engagement "
    "running on the invoice's date); a former client's are left out (they are not in the basis)",
)
metric("retainers_ending_90d", "recurring", "count", "running retainers whose end is within 90 days")
finding(
    "client_shares",
    "key_client",
    "every client with revenue in the basis, largest first",
    client="client id",
    name="client name",
    share="share of the revenue basis",
    revenue="revenue in the basis, per year",
    monthly="revenue in the basis, per month",
)
finding(
    "departed_clients",
    "key_client",
    "clients invoiced in the last 12 months whose work has ended, the most revenue first",
    name="client name",
    monthly="their trailing monthly revenue",
    share="their share of the trailing monthly revenue",
    ended="the last day of their last engagement",
    engagement="that engagement in words",
    days_ago="days since it ended",
)
finding(
    "ending_clients",
    "key_client",
    "on the running basis, clients whose work (running or still to start) all ends within "
    "ending_within_days (90 days) while other clients' work continues past it, the most revenue first",
    name="client name",
    share="their share of the running monthly revenue",
    monthly="their running monthly revenue",
    end="the last day of their work",
    days_left="days until then",
    days_left_text="the same in words: '35 days'",
    engagement="their running engagements in words",
    within_days="ending_within_days",
)
finding(
    "ending_retainers",
    "recurring",
    "running retainers with an end date within a year, soonest first",
    name="the retainer in words",
    client="client name",
    end="its last day",
    days_left="days until then",
    days_left_text="the same in words: '1 day', '35 days'",
    monthly_fee="its monthly fee",
)

NEED_REVENUE = (
    "enter the invoices of the last 12 months (Invoices), or the retainers and projects running today (Engagements)"
)
NEED_COSTS = "enter the monthly operating costs (Agency profile)"
NEED_ENGAGEMENTS = "enter the retainers and projects (Engagements), to tell running work from work that ended"
# On the invoice basis, the recurring share is unknown when invoices that cannot be linked to an
# engagement hold more than this share of the revenue (a quarter).
MAX_UNLINKED_SHARE = 0.25

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def window_start_12m(as_of: date) -> date:
    """Invoices issued after this date, up to and including as_of, are 'the last 12 months'."""
    return as_of - relativedelta(months=12)


def engagement_end(e: Any, default_project_months: float = 3) -> date | None:
    """The last day an engagement runs: its end; for a project without one, its deadline, else
    ``default_project_months`` after its start; a retainer without an end is open-ended (None)."""
    if e.end is not None:
        return e.end
    if e.kind == "project":
        if e.deadline is not None:
            return e.deadline
        return _months_on(e.start, int(default_project_months))
    return None


@lru_cache(maxsize=4096)
def _months_on(start: date, months: int) -> date:
    """The last day of ``months`` calendar months from ``start`` (relativedelta is slow, and every
    metric module asks again for the same engagements: kept)."""
    return start + relativedelta(months=months) - relativedelta(days=1)


def engagement_label(e: Any, client_name: str, default_project_months: float = 3) -> str:
    """An engagement in words: its ``name``; else "the Bakkerij retainer" or "the Bakkerij project,
    Oct-Jan" (the months it runs; with the years when it runs longer than a year). The one label:
    deals.py, busy.py and every rule message name an engagement with it."""
    name = getattr(e, "name", None)
    if name:
        return name
    if e.kind == "retainer":
        return f"the {client_name} retainer"
    end = engagement_end(e, default_project_months)
    first = MONTHS[e.start.month - 1]
    if end is None or (end.year, end.month) == (e.start.year, e.start.month):
        span = f"{first} {e.start.year}"
    elif (end.year - e.start.year) * 12 + end.month - e.start.month >= 12:
        span = f"{first} {e.start.year}-{MONTHS[end.month - 1]} {end.year}"
    else:
        span = f"{first}-{MONTHS[end.month - 1]}"
    return f"the {client_name} project, {span}"


@lru_cache(maxsize=4096)
def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end, rounded up, at least 1 (kept, as _months_on)."""
    rd = relativedelta(end, start)
    months = rd.years * 12 + rd.months + (1 if rd.days > 0 else 0)
    return max(1, months)


def monthly_value(e: Any, default_months: float) -> float:
    if e.kind == "retainer":
        return float(e.monthly_fee or 0)
    if e.end is None and e.deadline is None:
        return float(e.price or 0) / default_months
    end = engagement_end(e)
    return float(e.price or 0) / months_between(e.start, end)


def _runs_on(e: Any, d: date, default_months: float) -> bool:
    end = engagement_end(e, default_months)
    return e.start <= d and (end is None or d <= end)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _infer_engagement(
    inv: Any,
    by_client: dict[str, list[Any]],
    default_months: float,
    spans: dict[str, list[tuple[date, date | None, Any]]] | None = None,
) -> Any:
    """The engagement an invoice without one belongs to, where that is unambiguous: the client's only
    engagement, or the only one running on the invoice's date (None otherwise). ``spans``: the
    (start, end, engagement) of each client's engagements worked out so far, kept for the next call."""
    mine = by_client.get(inv.client, [])
    if len(mine) == 1:
        return mine[0]
    if spans is None:
        spans = {}
    runs = spans.get(inv.client)
    if runs is None:
        runs = spans[inv.client] = [(e.start, engagement_end(e, default_months), e) for e in mine]
    day = inv.issued
    running = [e for begin, end, e in runs if begin <= day and (end is None or day <= end)]
    return running[0] if len(running) == 1 else None


def _billing_text(monthly_billed_share: float, recurring_share: float) -> str:
    if monthly_billed_share >= 1 - 1e-9:
        if recurring_share >= 1 - 1e-9:
            return "all of it comes from retainers"
        return (
            "all of it is billed monthly, so cash flow already feels recurring; what retainers add is work "
            "that goes on when a project ends"
        )
    if monthly_billed_share > recurring_share + 1e-9:
        return (
            f"{monthly_billed_share:.0%} is billed monthly; the rest arrives as lump sums (milestones, on "
            "completion or up front), which makes cash flow lumpy"
        )
    return "the rest arrives as lump sums (milestones, on completion or up front), which makes cash flow lumpy"


def _spread(per_client: dict[str, float]) -> tuple[list[tuple[str, float]], float]:
    positive = {c: v for c, v in per_client.items() if v > 0}
    ranked = sorted(positive.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked, sum(positive.values())


def compute(ctx: Context, out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    data, as_of = ctx.data, ctx.as_of
    dpm = ctx.params["default_project_months"]
    names = data.client_names()
    former = data.former_clients(as_of)  # out of the basis ahead, kept in the history
    archived_on = {c.id: c.archived for c in data.clients if c.id in former}
    costs = data.agency.monthly_operating_costs
    by_client: dict[str, list[Any]] = defaultdict(list)
    for e in data.engagements:
        by_client[e.client].append(e)

    # ---- running: the engagements running on the as-of date
    run_client: dict[str, float] = defaultdict(float)
    run_retainer = run_monthly_billed = 0.0
    ending: list[dict[str, Any]] = []
    for e in data.engagements:
        if e.client in former or not _runs_on(e, as_of, dpm):
            continue
        value = monthly_value(e, dpm)
        run_client[e.client] += value
        if e.kind == "retainer":
            run_retainer += value
            run_monthly_billed += value
            if e.end is not None and (e.end - as_of).days <= 365:
                cname = names.get(e.client, e.client)
                ending.append(
                    {
                        "subject": engagement_label(e, cname, dpm),
                        "name": engagement_label(e, cname, dpm),
                        "client": cname,
                        "end": e.end.isoformat(),
                        "days_left": (e.end - as_of).days,
                        "days_left_text": _plural((e.end - as_of).days, "day"),
                        "monthly_fee": float(e.monthly_fee or 0),
                    }
                )
        elif e.billing == "monthly":
            run_monthly_billed += value
    ending.sort(key=lambda i: (i["days_left"], i["name"]))
    out["retainers_ending_90d"] = sum(1 for i in ending if i["days_left"] <= 90)
    running_total = sum(run_client.values())
    if data.engagements:
        out["running_monthly_revenue"] = running_total
    else:
        out["running_monthly_revenue"] = Unknown(f"no engagements entered: {NEED_REVENUE}")

    # ---- trailing: the invoices of the last 12 months, over the months they cover
    start = window_start_12m(as_of)
    # the first invoice issued by the as-of date: whenever one is in the window (the only case it is
    # used in), the first of them all is on or before the as-of date too
    first = ctx.first_invoice()
    first_ever = None if first is None else first.issued
    trail_client: dict[str, float] = defaultdict(float)
    trail_retainer = trail_monthly_billed = unlinked_amount = 0.0
    unlinked = 0
    # what an engagement's invoices count for: 2 recurring and billed monthly (a retainer), 1 billed
    # monthly (a project), 0 neither; an invoice whose engagement is not one of these is inferred
    billed: dict[str | None, int] = {
        e.id: 2 if e.kind == "retainer" else 1 if e.billing == "monthly" else 0 for e in data.engagements
    }
    spans: dict[str, list[tuple[date, date | None, Any]]] = {}  # by client: when each engagement runs
    for inv in data.invoices:
        if not start < inv.issued <= as_of:
            continue
        amount = inv.amount
        client = inv.client
        trail_client[client] += amount  # (so trail_client holds a client iff an invoice is in the window)
        if former and client in former:
            continue  # history: not in the recurring share of the basis ahead
        code = billed.get(inv.engagement)  # None: no engagement, or not one of these
        if code is None:
            linked = _infer_engagement(inv, by_client, dpm, spans)
            if linked is None:
                unlinked += 1
                unlinked_amount += amount
                continue
            code = 2 if linked.kind == "retainer" else 1 if linked.billing == "monthly" else 0
        if code == 2:
            trail_retainer += amount
            trail_monthly_billed += amount
        elif code == 1:
            trail_monthly_billed += amount
    out["unlinked_invoices"] = unlinked
    if trail_client and first_ever is not None:
        # the calendar months the history touches, from its first invoice (or the window's first day)
        covered_from = max(first_ever, start + relativedelta(days=1))
        months = min(12, (as_of.year - covered_from.year) * 12 + as_of.month - covered_from.month + 1)
        trail_ranked, trail_total = _spread(trail_client)
    else:
        months, trail_ranked, trail_total = 0, [], 0.0
    trailing_text = (
        "on the invoices of the last 12 months" if months == 12 else f"on {_plural(months, 'month')} of invoices"
    )
    if trail_total > 0:
        out["trailing_basis_text"] = trailing_text
        out["trailing_months"] = months
        out["trailing_monthly_revenue"] = trail_total / months
        out["trailing_top_client_share"] = trail_ranked[0][1] / trail_total
        out["trailing_largest_client"] = names.get(trail_ranked[0][0], trail_ranked[0][0])
    else:
        for n in (
            "trailing_months",
            "trailing_monthly_revenue",
            "trailing_top_client_share",
            "trailing_largest_client",
            "trailing_basis_text",
        ):
            out[n] = Unknown("no invoices in the last 12 months: enter the invoices of the last 12 months (Invoices)")

    # ---- departed clients: invoiced in the window, every engagement ended before the as-of date
    departed: list[dict[str, Any]] = []
    if trail_total > 0 and (data.engagements or former):
        for cid, amount in trail_ranked:
            mine = by_client.get(cid)
            gone = archived_on.get(cid)  # a former client's work ended when it was archived, at the latest
            if not mine and gone is None:
                continue  # no engagement on record: cannot tell whether the work goes on
            cname = names.get(cid, cid)
            if mine:
                ends = [engagement_end(e, dpm) for e in mine]
                if gone is not None:
                    ends = [gone if end is None or end > gone else end for end in ends]
                ended = [end for end in ends if end is not None and end < as_of]
                if len(ended) < len(mine):
                    continue  # running, or still to start
                ended_on, last_i = max(zip(ended, range(len(mine))), key=lambda t: t[0])
                label = engagement_label(mine[last_i], cname, dpm)
            else:
                assert gone is not None
                if not gone < as_of:
                    continue
                ended_on, label = gone, f"the {cname} work"
            departed.append(
                {
                    "subject": f"client {cname}",
                    "name": cname,
                    "monthly": amount / months,
                    "share": amount / trail_total,
                    "ended": ended_on.isoformat(),
                    "engagement": label,
                    "days_ago": (as_of - ended_on).days,
                }
            )
        lost = sum(d["monthly"] for d in departed)
        out["lost_monthly_revenue"] = lost
        out["lost_revenue_share"] = lost / (trail_total / months)
    elif trail_total > 0:
        out["lost_monthly_revenue"] = Unknown(NEED_ENGAGEMENTS)
        out["lost_revenue_share"] = Unknown(NEED_ENGAGEMENTS)
    else:
        out["lost_monthly_revenue"] = out["lost_revenue_share"] = Unknown(
            "no invoices in the last 12 months: enter the invoices of the last 12 months (Invoices)"
        )

    # ---- the basis the key-client and recurring metrics are judged on
    basis_names = (
        "annual_revenue",
        "monthly_revenue",
        "client_count",
        "top_client_share",
        "largest_client",
        "top5_share",
        "hhi",
        "effective_clients",
        "revenue_without_largest_vs_costs",
        "revenue_vs_costs",
        "shortfall_without_largest",
        "months_without_largest",
        "recurring_share",
        "recurring_monthly_revenue",
        "recurring_vs_costs",
        "monthly_billed_share",
        "billing_text",
        "revenue_basis",
        "revenue_basis_text",
    )
    if running_total > 0:
        ranked, total = _spread(run_client)
        gross = running_total
        retainer, monthly_billed = run_retainer, run_monthly_billed
        out["revenue_basis"] = "engagements"
        out["revenue_basis_text"] = "on the engagements running today"
        recurring_unknown = None
    elif trail_total > 0 and any(c not in former for c, _ in trail_ranked):
        ranked = [(c, v / months) for c, v in trail_ranked if c not in former]  # a former client: history
        total = sum(v for _, v in ranked)
        ahead = sum(v for c, v in trail_client.items() if c not in former)
        gross = ahead / months
        retainer, monthly_billed = trail_retainer / months, trail_monthly_billed / months
        out["revenue_basis"] = "invoices"
        left_out = len(ranked) < len(trail_ranked)
        out["revenue_basis_text"] = trailing_text + (", former clients left out" if left_out else "")
        recurring_unknown = None
        linked_gross = gross - unlinked_amount / months
        if unlinked_amount > MAX_UNLINKED_SHARE * ahead or linked_gross <= 0:
            recurring_unknown = Unknown(
                f"{_plural(unlinked, 'invoice')} of the last 12 months {'has' if unlinked == 1 else 'have'} no "
                "engagement: link each invoice to its retainer or project (Invoices), or enter the engagements "
                "running today (Engagements)"
            )
        gross = linked_gross
    else:
        why = (
            "every client invoiced in the last 12 months is a former client (archived): enter the retainers "
            "and projects running today (Engagements)"
            if trail_total > 0
            else f"no revenue yet: {NEED_REVENUE}"
        )
        for n in basis_names + ("trailing_note", "largest_client_work"):
            out[n] = Unknown(why)
        for n in ("largest_running_client", "largest_running_client_end", "ending_share"):
            out[n] = Unknown(why)
        return {"client_shares": [], "departed_clients": departed, "ending_retainers": ending, "ending_clients": []}

    shares = [v / total for _, v in ranked]
    out["trailing_note"] = out["largest_client_work"] = ""
    top_i = 0  # the largest client the dominance metrics judge
    for n in ("largest_running_client", "largest_running_client_end", "ending_share"):
        out[n] = Unknown("no engagement runs today: enter the retainers and projects running today (Engagements)")
    ending_clients: list[dict[str, Any]] = []
    if out["revenue_basis"] == "engagements":
        # a client whose work all ends within the horizon is revenue to replace, not a dominance risk
        within = int(ctx.params["ending_within_days"])
        last_day: dict[str, date | None] = {}
        for cid, _ in ranked:
            ends = [engagement_end(e, dpm) for e in by_client.get(cid, [])]
            # open-ended work (None) has no last day; else the last of the work not ended yet
            last_day[cid] = (
                None if any(d is None for d in ends) else max([d for d in ends if d is not None and d >= as_of])
            )
        ending_ids = {cid for cid, _ in ranked if (day := last_day[cid]) is not None and (day - as_of).days <= within}
        first = ranked[0][0]
        first_end = last_day[first]
        out["largest_running_client"] = names.get(first, first)
        out["largest_running_client_end"] = "no end date" if first_end is None else first_end.isoformat()
        if len(ending_ids) < len(ranked):  # some work continues past the horizon
            top_i = next(i for i, (cid, _) in enumerate(ranked) if cid not in ending_ids)
            for cid, v in ranked:
                if cid not in ending_ids:
                    continue
                cname = names.get(cid, cid)
                end_day = last_day[cid]
                assert end_day is not None
                labels = [engagement_label(e, cname, dpm) for e in by_client[cid] if _runs_on(e, as_of, dpm)]
                ending_clients.append(
                    {
                        "subject": f"client {cname}",
                        "name": cname,
                        "share": v / total,
                        "monthly": v,
                        "end": end_day.isoformat(),
                        "days_left": (end_day - as_of).days,
                        "days_left_text": _plural((end_day - as_of).days, "day"),
                        "engagement": ", ".join(labels),
                        "within_days": within,
                    }
                )
        out["ending_share"] = sum(i["share"] for i in ending_clients)
        top = ranked[top_i][0]
        if trail_total > 0:
            tname = names.get(trail_ranked[0][0], trail_ranked[0][0])
            tshare = trail_ranked[0][1] / trail_total
            top_trailing = trail_client.get(top, 0.0)
            if trail_ranked[0][0] == top:
                out["trailing_note"] = f"; {trailing_text}: {tshare:.0%}"
            else:
                out["trailing_note"] = (
                    f"; {trailing_text}, {max(0.0, top_trailing) / trail_total:.0%}, and the largest "
                    f"was {tname} at {tshare:.0%}"
                )
        work = []
        for e in by_client.get(top, []):
            if _runs_on(e, as_of, dpm):
                end = engagement_end(e, dpm)
                label = engagement_label(e, names.get(top, top), dpm)
                work.append(f"{label} ({'no end date' if end is None else 'to ' + end.isoformat()})")
        out["largest_client_work"] = f" Running today: {', '.join(work)}."
    out["annual_revenue"] = total * 12
    out["monthly_revenue"] = total
    out["client_count"] = len(ranked)
    out["top_client_share"] = shares[top_i]
    out["largest_client"] = names.get(ranked[top_i][0], ranked[top_i][0])
    out["top5_share"] = sum(shares[:5])
    hhi = sum((100 * s) ** 2 for s in shares)
    out["hhi"] = hhi
    out["effective_clients"] = 10000 / hhi
    if costs:
        rest = total - ranked[top_i][1]
        shortfall = costs - rest
        out["revenue_without_largest_vs_costs"] = rest / costs
        out["revenue_vs_costs"] = total / costs
        out["shortfall_without_largest"] = shortfall
        out["months_without_largest"] = months_lasting(latest_cash(data.cash, as_of), shortfall)
        out["recurring_vs_costs"] = (retainer / costs) if recurring_unknown is None else recurring_unknown
    else:
        for n in (
            "revenue_without_largest_vs_costs",
            "revenue_vs_costs",
            "shortfall_without_largest",
            "months_without_largest",
            "recurring_vs_costs",
        ):
            out[n] = Unknown(NEED_COSTS)
    if recurring_unknown is not None:
        for n in ("recurring_share", "recurring_monthly_revenue", "monthly_billed_share", "billing_text"):
            out[n] = recurring_unknown
    else:
        rs = max(0.0, min(1.0, retainer / gross)) if gross > 0 else 0.0
        mb = max(0.0, min(1.0, monthly_billed / gross)) if gross > 0 else 0.0
        out["recurring_share"] = rs
        out["recurring_monthly_revenue"] = retainer
        out["monthly_billed_share"] = mb
        out["billing_text"] = _billing_text(mb, rs)
    items = [
        {
            "subject": f"client {names.get(cid, cid)}",
            "client": cid,
            "name": names.get(cid, cid),
            "share": v / total,
            "revenue": v * 12,
            "monthly": v,
        }
        for cid, v in ranked
    ]
    return {
        "client_shares": items,
        "departed_clients": departed,
        "ending_retainers": ending,
        "ending_clients": ending_clients,
    }
