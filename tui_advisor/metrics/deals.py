"""Deal-level findings: work to decline (G1), rush fees (G7), monthly billing of projects (G4).

A rush is a requested start (or, without one, a deadline) sooner after the inquiry arrived than
the agency's normal lead time. A project's own length (start to deadline) says nothing about a
rush: a short project planned months ahead is not one. A project is judged by the won inquiry
it came from (the client's latest won inquiry received on or before its start); without one its
rush is unknown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from ..model import OPEN_STATUSES
from .base import Context, Unknown, finding, metric
from .revenue import engagement_end, engagement_label, monthly_value

STATUS_WORDS = {"new": "new", "proposal_sent": "proposal sent", "won": "won", "lost": "lost", "declined": "declined"}
BILLING_WORDS = {
    "monthly": "monthly",
    "milestones": "in milestones",
    "upfront": "upfront",
    "on_completion": "on completion",
}

finding(
    "open_inquiries",
    "deals",
    "inquiries with status new or proposal sent",
    id="inquiry id",
    prospect="prospect name",
    status="new or proposal_sent",
    status_words="the status in words: 'new' or 'proposal sent'",
    received="the date the inquiry arrived",
    notice_days="days between receipt and the requested start (without one, the deadline); unknown with neither",
    notice_text="the same in words: 'want to start 7 days after asking'",
    lead_time_days="the agency's normal lead time in days",
    rushed="1 when notice_days < lead_time_days, else 0",
    rush_fee_pct="surcharge in percent (0: none)",
    enjoy="1 to 5 (unknown if not scored)",
    industry_fit="1 to 5 (unknown if not scored)",
    enjoy_words="'4/5' or 'not scored'",
    fit_words="'3/5' or 'not scored'",
    budget_ok="1 yes, 0 no (unknown if not judged)",
    budget_words="'yes', 'no' or 'not judged'",
    scores_missing="how many of enjoyment, industry fit and budget are not judged (0 to 3)",
    missing_scores="which ones, in words: 'enjoyment and budget'",
    estimated_value="estimated value",
)
finding(
    "projects",
    "deals",
    "fixed-price projects that have not ended on the as-of date (running or still to start)",
    id="engagement id",
    client="client name",
    label="the project in words: its name, or 'the Acme project, Oct-Jan'",
    billing="monthly, milestones, upfront or on_completion",
    billing_words="the billing in words: 'monthly', 'in milestones', 'upfront', 'on completion'",
    lump_sum="1 when not billed monthly",
    price="the fixed price",
    notice_days="days from the receipt of the won inquiry it came from to its start (unknown without one)",
    notice_text="the same in words: 'started 5 days after the inquiry'",
    lead_time_days="the agency's normal lead time in days",
    rushed="1 when notice_days < lead_time_days",
    rush_fee_pct="surcharge in percent",
)
finding(
    "client_fit",
    "deals",
    "clients with work running on the as-of date, largest first",
    name="client name",
    share="share of the monthly value of the engagements running on the as-of date",
    monthly_value="their monthly value",
    enjoy="1 to 5 (unknown if not scored)",
    industry_fit="1 to 5 (unknown if not scored)",
    enjoy_words="'4/5' or 'not scored'",
    fit_words="'3/5' or 'not scored'",
)
metric("rushed_open_inquiries", "deals", "count", "open inquiries that are rushed and carry no rush fee")
metric(
    "rushed_share",
    "deals",
    "share",
    "share of the inquiries received in the last 52 weeks with a requested start (or deadline) sooner "
    "than the normal lead time after receipt (among those with either)",
)
metric("rushed_inquiries_52w", "deals", "count", "the rushed ones among them")
metric(
    "rush_sample",
    "deals",
    "count",
    "inquiries received in the last 52 weeks with a requested start or a deadline (what rushed_share is of)",
)
metric("normal_lead_time_days", "deals", "days", "the agency's normal lead time (Agency profile)")
metric(
    "lump_sum_projects",
    "recurring",
    "count",
    "fixed-price projects not ended on the as-of date (running or still to start) that are not billed monthly",
)


def days_text(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def score_words(score: int | None) -> str:
    return "not scored" if score is None else f"{score}/5"


def names_text(names: Iterable[str], most: int = 3) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 2 more'."""
    names = list(names)
    if len(names) > most:
        names = names[:most] + [f"{len(names) - most} more"]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _notice_text(q: Any, n: int | None) -> str | None:
    """The days ``n`` from receipt to the requested start (else the deadline) in words."""
    if n is None:
        return None
    if q.requested_start is not None:
        return "want to start on the day they asked" if n == 0 else f"want to start {days_text(n)} after asking"
    return f"need it delivered {days_text(n)} after asking"


# (enjoy, industry fit, budget unjudged) -> (how many, in words): eight cases, worded once
_MISSING_WORDS: dict[tuple[bool, bool, bool], tuple[int, str]] = {}


def _missing_words(q: Any) -> tuple[int, str]:
    key = (q.enjoy is None, q.industry_fit is None, q.budget_ok is None)
    words = _MISSING_WORDS.get(key)
    if words is None:
        missing = _missing_scores(q)
        words = _MISSING_WORDS[key] = (len(missing), names_text(missing))
    return words


def _missing_scores(q: Any) -> list[str]:
    return [
        w for w, v in (("enjoyment", q.enjoy), ("industry fit", q.industry_fit), ("budget", q.budget_ok)) if v is None
    ]


def _source_inquiry(e: Any, client: str, won: dict[str, list[Any]]) -> Any:
    """The won inquiry a project came from: the client's latest one received on or before its start."""
    best = None
    for q in won.get(client.casefold().strip(), ()):
        if q.received <= e.start and (best is None or q.received > best.received):
            best = q
    return best


def compute(ctx: Context, out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    data, as_of = ctx.data, ctx.as_of
    lead = data.agency.normal_lead_time_days
    out["normal_lead_time_days"] = lead
    open_items = []
    rushed_no_fee = 0
    start52 = as_of - timedelta(days=364)
    recent = rushed_recent = 0
    seen: dict[str, int] = {}
    won: dict[str, list[Any]] = defaultdict(list)
    status_words_of = STATUS_WORDS.get
    for q in data.inquiries:
        received, status = q.received, q.status
        if received > as_of:
            continue  # not received yet on the as-of date: neither recent nor open
        if status == "won":
            won[q.prospect.casefold().strip()].append(q)
        is_recent = received > start52
        is_open = status in OPEN_STATUSES
        if not (is_recent or is_open):
            continue  # older than 52 weeks and decided: only its outcome counted (won, above)
        # days from receipt to the requested start, else the deadline (words only for the open ones)
        if q.requested_start is not None:
            notice: int | None = (q.requested_start - received).days
        elif q.deadline is not None:
            notice = (q.deadline - received).days
        else:
            notice = None
        rushed = None if notice is None else int(notice < lead)
        if rushed is not None and is_recent:
            recent += 1
            rushed_recent += rushed
        if not is_open:
            continue
        if rushed and not q.rush_fee_pct:
            rushed_no_fee += 1
        day = received.isoformat()
        subject = f"inquiry {q.prospect} (received {day})"
        n_seen = seen[subject] = seen.get(subject, 0) + 1
        if n_seen > 1:
            subject += f" #{n_seen}"
        n_missing, missing_text = _missing_words(q)
        enjoy, fit, budget = q.enjoy, q.industry_fit, q.budget_ok
        open_items.append(
            {
                "subject": subject,
                "id": q.id,
                "prospect": q.prospect,
                "status": status,
                "status_words": status_words_of(status, status),
                "received": day,
                "notice_days": notice,
                "notice_text": _notice_text(q, notice),
                "lead_time_days": lead,
                "rushed": rushed,
                "rush_fee_pct": q.rush_fee_pct,
                "enjoy": enjoy,
                "industry_fit": fit,
                "enjoy_words": score_words(enjoy),
                "fit_words": score_words(fit),
                "budget_ok": None if budget is None else int(budget),
                "budget_words": "not judged" if budget is None else "yes" if budget else "no",
                "scores_missing": n_missing,
                "missing_scores": missing_text,
                "estimated_value": q.estimated_value,
            }
        )
    out["rushed_open_inquiries"] = rushed_no_fee
    out["rush_sample"] = recent
    out["rushed_inquiries_52w"] = rushed_recent
    out["rushed_share"] = (
        rushed_recent / recent
        if recent
        else Unknown(
            "no inquiry of the last 52 weeks has a requested start or a deadline: record when prospects want to "
            "start (Inquiries)"
        )
    )
    names = data.client_names()
    months = ctx.params["default_project_months"]
    projects = []
    lump = 0
    for e in data.engagements:
        if e.kind != "project":
            continue
        end = engagement_end(e, months)
        if end is not None and end < as_of:
            continue
        client = names.get(e.client, e.client)
        source = _source_inquiry(e, client, won)
        notice = None if source is None else (e.start - source.received).days
        is_lump = int(e.billing != "monthly")
        lump += is_lump
        label = engagement_label(e, client, months)
        projects.append(
            {
                "subject": label,
                "id": e.id,
                "client": client,
                "label": label,
                "billing": e.billing,
                "billing_words": BILLING_WORDS.get(e.billing, e.billing),
                "lump_sum": is_lump,
                "price": e.price,
                "notice_days": notice,
                "notice_text": None
                if notice is None
                else "started on the day of the inquiry"
                if notice == 0
                else f"started {days_text(notice)} after the inquiry",
                "lead_time_days": lead,
                "rushed": None if notice is None else int(notice < lead),
                "rush_fee_pct": e.rush_fee_pct,
            }
        )
    out["lump_sum_projects"] = lump
    return {"open_inquiries": open_items, "projects": projects, "client_fit": _client_fit(ctx, months)}


def _client_fit(ctx: Context, months: float) -> list[dict[str, Any]]:
    """Clients with work running on the as-of date, by their share of its monthly value."""
    as_of = ctx.as_of
    value: dict[str, float] = defaultdict(float)
    former = ctx.data.former_clients(as_of)  # no longer a client to fit: out of the shares ahead
    for e in ctx.data.engagements:
        if e.client in former:
            continue
        end = engagement_end(e, months)
        if e.start <= as_of and (end is None or as_of <= end):
            value[e.client] += max(0.0, monthly_value(e, months))
    total = sum(value.values())
    if total <= 0:
        return []
    by_id = {c.id: c for c in ctx.data.clients}
    items = []
    for cid, v in sorted(value.items(), key=lambda kv: (-kv[1], kv[0])):
        if v <= 0:
            continue
        c = by_id.get(cid)
        name = c.name if c else cid
        items.append(
            {
                "subject": f"client {name}",
                "name": name,
                "share": v / total,
                "monthly_value": v,
                "enjoy": c.enjoy if c else None,
                "industry_fit": c.industry_fit if c else None,
                "enjoy_words": score_words(c.enjoy if c else None),
                "fit_words": score_words(c.industry_fit if c else None),
            }
        )
    return items
