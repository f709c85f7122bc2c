#!/usr/bin/env python3
"""Generate the sample agencies in ``sample_data/`` (interchange JSON).

Deterministic: every sample uses its own ``random.Random`` with a fixed seed, so
rerunning this script gives byte-identical files.  All samples describe the
situation as of 2026-11-26 (the tests run with ``--as-of 2026-11-26``).

    .venv/bin/python scripts/make_samples.py            # write the files
    .venv/bin/python scripts/make_samples.py --check    # only verify the files on disk

Each file is validated with ``tui_advisor.model.validate_document`` and written in
canonical form (``to_document(build(validate_document(doc)))``).  At the end the
script prints an independent computation of the headline numbers of each sample
and fails loudly when a sample misses the targets it was designed for.
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui_advisor.model import (  # noqa: E402
    FORMAT,
    VERSION,
    build,
    to_document,
    validate_document,
)

OUT_DIR = ROOT / "sample_data"
AS_OF = date(2026, 11, 26)
SEED = 20261126
HISTORY_START = date(2025, 8, 1)  # first invoice month of the samples (16 months)
INQUIRY_WEEKS = 66  # weeks of inquiry history (about 15 months)
D = timedelta

# Dates on or next to a metric boundary are nudged away from it, so that "> x" and
# ">= x" readings of a window give the same result.
_B52 = AS_OF - D(days=364)
_B13 = AS_OF - D(days=91)
_BOUNDARY = {b + D(days=k) for b in (_B52, _B13, AS_OF - D(days=30), AS_OF - D(days=7)) for k in (-1, 0, 1)}


def nudge(d: date) -> date:
    while d in _BOUNDARY:
        d += D(days=1)
    return d


# --------------------------------------------------------------------------- calendar helpers


def first_weekday(y: int, m: int) -> date:
    d = date(y, m, 1)
    while d.weekday() >= 5:
        d += D(days=1)
    return d


def last_weekday(y: int, m: int) -> date:
    d = date(y, m, calendar.monthrange(y, m)[1])
    while d.weekday() >= 5:
        d -= D(days=1)
    return d


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def months(start: date, end: date) -> list[tuple[int, int]]:
    """(year, month) of every month from start's month to end's month inclusive."""
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append((y, m))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def weekday_on_or_after(d: date) -> date:
    while d.weekday() >= 5:
        d += D(days=1)
    return d


def iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


# --------------------------------------------------------------------------- sample specification


@dataclass
class Eng:
    key: str  # engagement id suffix: e-<client>-<key>
    kind: str  # retainer | project
    start: date
    end: date | None = None
    monthly_fee: int | None = None
    price: int | None = None
    hours: float = 0
    billing: str = "monthly"
    deadline: date | None = None
    rush_fee_pct: int = 0


def retainer(key: str, start: date, fee: int, hours: float, end: date | None = None) -> Eng:
    return Eng(key, "retainer", start, end, monthly_fee=fee, hours=hours)


def project(
    key: str, start: date, end: date, price: int, hours: float, billing: str = "monthly", rush_fee_pct: int = 0
) -> Eng:
    return Eng(
        key, "project", start, end, price=price, hours=hours, billing=billing, deadline=end, rush_fee_pct=rush_fee_pct
    )


@dataclass
class ClientSpec:
    slug: str  # client id: c-<slug>
    name: str
    industry: str
    enjoy: int
    fit: int
    engagements: list[Eng]
    pay_days: tuple[int, int] = (10, 28)  # payment delay range after issue
    terms: int = 30  # days until due
    unpaid_from: date | None = None  # invoices issued on/after this stay unpaid


@dataclass
class InquiryPlan:
    rates: list[tuple[int, int, float]]  # (weeks ago from, weeks ago to (excl.), inquiries per week)
    p_lowfit: float = 0.12
    p_win: float = 0.3
    p_rush: float = 0.08
    rush_fees: tuple[int, ...] = (0, 15, 20, 25)
    value: tuple[int, int] = (8_000, 60_000)
    sources: tuple[tuple[str, int], ...] = (
        ("referral", 5),
        ("website", 4),
        ("LinkedIn", 3),
        ("conference", 1),
        ("partner agency", 1),
    )


@dataclass
class Sample:
    file: str
    name: str
    costs: int
    capacity: float
    lead_time: int
    credit_line: int
    cash_path: tuple[float, float]  # months of costs a year ago, months of costs now (latest)
    clients: list[ClientSpec]
    inquiries: InquiryPlan
    journey: list[tuple[str, str]]
    actions: list[dict[str, Any]]
    extra_inquiries: list[dict[str, Any]] = field(default_factory=list)
    currency: str = "EUR"
    cash_dips: dict[int, float] = field(default_factory=dict)  # month index -> extra months of costs
    targets: Callable[[dict[str, Any]], list[str]] | None = None


# --------------------------------------------------------------------------- builders


def build_engagements(sample: Sample) -> list[dict[str, Any]]:
    out = []
    for c in sample.clients:
        for e in c.engagements:
            out.append(
                {
                    "id": f"e-{c.slug}-{e.key}",
                    "client": f"c-{c.slug}",
                    "kind": e.kind,
                    "start": iso(e.start),
                    "end": iso(e.end),
                    "monthly_fee": e.monthly_fee,
                    "price": e.price,
                    "hours_per_week": e.hours,
                    "billing": e.billing,
                    "deadline": iso(e.deadline),
                    "rush_fee_pct": e.rush_fee_pct,
                }
            )
    return out


def split(total: int, n: int) -> list[int]:
    base = total // n
    parts = [base] * n
    parts[-1] += total - base * n
    return parts


def engagement_bills(e: Eng) -> list[tuple[date, int]]:
    """(issue date, amount) of every invoice the engagement produces up to AS_OF."""
    bills: list[tuple[date, int]] = []
    if e.kind == "retainer":
        last = min(e.end or AS_OF, AS_OF)
        for y, m in months(e.start, last):
            d = first_weekday(y, m)
            if d < e.start or d < HISTORY_START or d > AS_OF or (e.end and d > e.end):
                continue
            bills.append((d, e.monthly_fee))
    else:
        assert e.end is not None and e.price is not None
        if e.billing == "monthly":
            ms = months(e.start, e.end)
            for (y, m), amount in zip(ms, split(e.price, len(ms))):
                bills.append((last_weekday(y, m), amount))
        elif e.billing == "milestones":
            mid = e.start + (e.end - e.start) / 2
            parts = [e.price * 4 // 10, e.price * 3 // 10]
            parts.append(e.price - sum(parts))
            for d, amount in zip((e.start, mid, e.end), parts):
                bills.append((weekday_on_or_after(d), amount))
        elif e.billing == "upfront":
            bills.append((weekday_on_or_after(e.start), e.price))
        elif e.billing == "on_completion":
            bills.append((weekday_on_or_after(e.end), e.price))
        bills = [(d, a) for d, a in bills if HISTORY_START <= d <= AS_OF]
    return bills


def build_invoices(sample: Sample, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for c in sample.clients:
        for e in c.engagements:
            for issued, amount in engagement_bills(e):
                rows.append((issued, f"c-{c.slug}", f"e-{c.slug}-{e.key}", amount, c))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    out = []
    for n, (issued, cid, eid, amount, c) in enumerate(rows, 1):
        due = issued + D(days=c.terms)
        paid: date | None = issued + D(days=rng.randint(*c.pay_days))
        if c.unpaid_from is not None and issued >= c.unpaid_from:
            paid = None
        elif paid > AS_OF:
            if due < AS_OF:
                # would be overdue by accident: it was paid, a little late, before today
                paid = issued + D(days=rng.randint(min(c.terms, (AS_OF - issued).days - 1), (AS_OF - issued).days - 1))
            else:
                paid = None  # open, not yet due
        out.append(
            {
                "id": f"inv-{n:04d}",
                "client": cid,
                "engagement": eid,
                "issued": iso(issued),
                "amount": amount,
                "due": iso(due),
                "paid": iso(paid),
            }
        )
    return out


def build_cash(sample: Sample, rng: random.Random) -> list[dict[str, Any]]:
    """Month-end balances for the last year plus the latest balance (the day before AS_OF)."""
    dates = [month_end(y, m) for y, m in months(date(2025, 10, 1), date(2026, 10, 1))]
    dates.append(AS_OF - D(days=1))
    first, last = sample.cash_path
    n = len(dates) - 1
    out = []
    for i, d in enumerate(dates):
        if i == n:
            m = last
        else:
            m = first + (last - first) * i / n + rng.uniform(-0.25, 0.25) + sample.cash_dips.get(i, 0.0)
        out.append({"date": iso(d), "balance": int(round(m * sample.costs / 10.0)) * 10})
    return out


FIRST = (
    "Aster",
    "Beacon",
    "Birch",
    "Cobalt",
    "Copper",
    "Crescent",
    "Delta",
    "Ember",
    "Falcon",
    "Fennel",
    "Flint",
    "Garnet",
    "Glacier",
    "Harvest",
    "Heron",
    "Horizon",
    "Ivy",
    "Jade",
    "Keystone",
    "Lantern",
    "Linden",
    "Lotus",
    "Magnolia",
    "Marble",
    "Mosaic",
    "Nova",
    "Oak",
    "Onyx",
    "Opal",
    "Osprey",
    "Pebble",
    "Prism",
    "Quarry",
    "Raven",
    "Redwood",
    "Saffire",
    "Sequoia",
    "Silverline",
    "Sparrow",
    "Summit",
    "Tandem",
    "Thistle",
    "Topaz",
    "Trident",
    "Tulip",
    "Vertex",
    "Wren",
    "Yarrow",
    "Zenith",
    "Zinnia",
)
SECOND = (
    ("Logistics", "Logistics"),
    ("Health", "Healthcare"),
    ("Legal", "Legal"),
    ("Foods", "Food & beverage"),
    ("Capital", "Finance"),
    ("Labs", "Software"),
    ("Energy", "Energy"),
    ("Retail", "Retail"),
    ("Studios", "Media"),
    ("Robotics", "Manufacturing"),
    ("Academy", "Education"),
    ("Travel", "Travel"),
    ("Cycles", "Retail"),
    ("Coffee", "Food & beverage"),
    ("Architects", "Architecture"),
    ("Insurance", "Insurance"),
    ("Pharma", "Healthcare"),
    ("Housing", "Real estate"),
    ("Games", "Gaming"),
    ("Analytics", "Software"),
    ("Fitness", "Sports"),
    ("Hotels", "Hospitality"),
    ("Motors", "Automotive"),
    ("Foundation", "Non-profit"),
    ("Apparel", "Fashion"),
)
SUFFIX = ("", "", "", " B.V.", " GmbH", " Ltd", " Inc.", " & Co", " AB", " Oy")
SPECIAL = (
    "Bäckerei Krüger",
    "Søndergaard Møbler",
    "Café Noël",
    "Høgberg & Dahl",
    "Ζήτα Consulting",
    "Müller Präzisionstechnik",
    "Ostrava Kávovar",
    "Château Lévêque",
    "Łódź Design Week",
    "Núñez Abogados",
)

PROJECTS = (
    "website relaunch",
    "brand refresh",
    "webshop",
    "app redesign",
    "SEO programme",
    "product launch campaign",
    "design system",
    "customer portal",
    "booking platform",
    "content strategy",
)


def prospect_names(rng: random.Random, n: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    specials = list(SPECIAL)
    rng.shuffle(specials)
    while len(names) < n:
        if specials and rng.random() < 0.08:
            name = specials.pop()
        else:
            second, _ = rng.choice(SECOND)
            name = f"{rng.choice(FIRST)} {second}{rng.choice(SUFFIX)}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def build_inquiries(sample: Sample, rng: random.Random) -> list[dict[str, Any]]:
    plan = sample.inquiries
    lead = sample.lead_time
    client_names = [c.name for c in sample.clients]
    rows: list[dict[str, Any]] = []

    def retainer_clients(day: date) -> list[tuple[int, str]]:
        return [
            (e.monthly_fee, c.name)
            for c in sample.clients
            for e in c.engagements
            if e.kind == "retainer" and e.start <= day and (e.end is None or day <= e.end)
        ]

    def good_scores() -> tuple[int, int, bool]:
        return rng.choice((3, 4, 4, 5, 5)), rng.choice((3, 4, 4, 5)), True

    def base(received: date, prospect: str) -> dict[str, Any]:
        return {
            "received": received,
            "prospect": prospect,
            "source": weighted(rng, plan.sources),
            "status": "new",
            "proposal_sent": None,
            "decided": None,
            "estimated_value": rng.randrange(plan.value[0], plan.value[1] + 1, 500),
            "requested_start": None,
            "deadline": None,
            "rush_fee_pct": 0,
            "enjoy": None,
            "industry_fit": None,
            "budget_ok": None,
        }

    # 1. The deals that brought in the engagements started during the history.
    for c in sample.clients:
        for e in c.engagements:
            if e.start < AS_OF - D(weeks=INQUIRY_WEEKS) + D(days=80) or e.start > AS_OF + D(days=60):
                continue
            decided = nudge(e.start - D(days=rng.randint(8, 21)))
            if decided > AS_OF:
                continue
            received = nudge(decided - D(days=rng.randint(55, 85)))
            q = base(received, c.name)
            q["source"] = "existing client" if e is not c.engagements[0] else q["source"]
            q.update(
                status="won",
                proposal_sent=nudge(received + D(days=rng.randint(4, 12))),
                decided=decided,
                estimated_value=e.price if e.price else e.monthly_fee * 12,
                requested_start=e.start,
                deadline=e.deadline,
                rush_fee_pct=e.rush_fee_pct,
                enjoy=c.enjoy,
                industry_fit=c.fit,
                budget_ok=True,
            )
            rows.append(q)

    # 2. The general stream of inquiries, week by week.
    received_dates: list[date] = []
    for w in range(INQUIRY_WEEKS):
        rate = next((r for a, b, r in plan.rates if a <= w < b), 0.0)
        count = int(rate * (w + 1) + 0.5) - int(rate * w + 0.5)
        for _k in range(count):
            day = AS_OF - D(days=7 * w + rng.randint(0, 6))
            received_dates.append(nudge(day) if nudge(day) <= AS_OF else day - D(days=3))
    received_dates.sort()
    names = prospect_names(rng, len(received_dates), set(client_names))
    for received, prospect in zip(received_dates, names):
        q = base(received, prospect)
        lowfit = rng.random() < plan.p_lowfit
        if lowfit and rng.random() < 0.8 and received + D(days=4) <= AS_OF:
            q["status"] = "declined"
            q["decided"] = nudge(received + D(days=rng.randint(1, 4)))
        else:
            sent = nudge(received + D(days=rng.randint(2, 8)))
            if sent > AS_OF:
                q["status"] = "new"
            else:
                q["proposal_sent"] = sent
                won = rng.random() < plan.p_win
                if won:
                    decided = nudge(received + D(days=rng.randint(50, 88)))
                else:
                    decided = nudge(sent + D(days=rng.randint(12, 55)))
                if decided > AS_OF:
                    q["status"] = "proposal_sent"
                else:
                    q["decided"] = decided
                    q["status"] = "won" if won else "lost"
                    if won:  # repeat business: extra scope from a retainer client, billed in its retainer
                        fee, name = rng.choice(retainer_clients(decided))
                        q["prospect"] = name
                        q["source"] = "existing client"
                        q["estimated_value"] = fee * rng.choice((2, 3, 4))
        status = q["status"]
        if status in ("new", "proposal_sent"):
            q["enjoy"], q["industry_fit"], q["budget_ok"] = good_scores()
            q["requested_start"] = max(
                received + D(days=rng.randint(lead + 10, lead + 60)), AS_OF + D(days=rng.randint(lead + 5, 60))
            )
        else:
            if status == "declined":
                enjoy, fit, ok = good_scores()
                which = rng.choice(("enjoy", "fit", "budget"))
                if which == "enjoy":
                    enjoy = rng.choice((1, 2))
                elif which == "fit":
                    fit = rng.choice((1, 2))
                else:
                    ok = False
                q["enjoy"], q["industry_fit"], q["budget_ok"] = enjoy, fit, ok
            elif status == "won":
                q["enjoy"], q["industry_fit"], q["budget_ok"] = good_scores()
                q["requested_start"] = q["decided"] + D(days=rng.randint(7, 28))
                q["deadline"] = q["requested_start"] + D(days=rng.randint(30, 120))
                rows.append(q)
                continue
            else:
                q["enjoy"] = rng.choice((2, 3, 3, 4, 4, 5))
                q["industry_fit"] = rng.choice((2, 3, 3, 4, 5))
                q["budget_ok"] = rng.choice((True, True, True, False, None))
            if rng.random() < plan.p_rush:
                q["requested_start"] = received + D(days=rng.randint(4, max(5, lead - 4)))
                q["rush_fee_pct"] = rng.choice(plan.rush_fees)
            else:
                q["requested_start"] = received + D(days=rng.randint(lead + 7, lead + 75))
        if rng.random() < 0.5:
            q["deadline"] = q["requested_start"] + D(days=rng.randint(45, 180))
        rows.append(q)

    # 3. Sample-specific inquiries.
    for extra in sample.extra_inquiries:
        q = base(extra["received"], extra["prospect"])
        q.update(extra)
        rows.append(q)

    rows.sort(key=lambda q: (q["received"], q["prospect"]))
    out = []
    for n, q in enumerate(rows, 1):
        rec = {"id": f"q-{n:04d}"}
        for k, v in q.items():
            rec[k] = iso(v) if isinstance(v, date) else v
        out.append(rec)
    return out


def build_document(sample: Sample, index: int) -> dict[str, Any]:
    rng = random.Random(SEED + index)
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "agency": {
            "name": sample.name,
            "currency": sample.currency,
            "monthly_operating_costs": sample.costs,
            "weekly_capacity_hours": sample.capacity,
            "normal_lead_time_days": sample.lead_time,
            "credit_line": sample.credit_line,
        },
        "settings": {"disable": [], "params": {}},
        "cash": build_cash(sample, rng),
        "clients": [
            {"id": f"c-{c.slug}", "name": c.name, "industry": c.industry, "enjoy": c.enjoy, "industry_fit": c.fit}
            for c in sample.clients
        ],
        "engagements": build_engagements(sample),
        "invoices": build_invoices(sample, rng),
        "inquiries": build_inquiries(sample, rng),
        "journey": [{"stage": s, "activity": a} for s, a in sample.journey],
        "actions": sample.actions,
    }
    return doc


# --------------------------------------------------------------------------- actions


def step(title: str, due: date | None, done: date | None = None) -> dict[str, Any]:
    return {"title": title, "due": iso(due), "done": iso(done)}


def weekly_action(
    aid: str, title: str, owner: str, titles: list[str], first_due: date, done_until: date
) -> dict[str, Any]:
    """Steps due weekly from first_due; those due on or before done_until are done (on time)."""
    steps = []
    for i, t in enumerate(titles):
        due = first_due + D(weeks=i)
        done = due - D(days=i % 2) if due <= done_until else None
        steps.append(step(t, due, done))
    return {"id": aid, "title": title, "rule": None, "owner": owner, "steps": steps}


# Healthy weekly actions: done on Fridays 6, 13, 20 November, next due Friday 27 November.
W1 = date(2026, 10, 30)
W_DONE = date(2026, 11, 20)


# --------------------------------------------------------------------------- independent metrics


def _d(s: str | None) -> date | None:
    return None if s is None else date.fromisoformat(s)


def compute(doc: dict[str, Any]) -> dict[str, Any]:
    """The headline numbers, computed from the JSON alone (independently of tui_advisor)."""
    ag = doc["agency"]
    costs = ag["monthly_operating_costs"]
    cap = ag["weekly_capacity_hours"]
    lo12 = date(AS_OF.year - 1, AS_OF.month, AS_OF.day)
    kinds = {e["id"]: e["kind"] for e in doc["engagements"]}
    per_client: dict[str, float] = {}
    recurring = 0.0
    for inv in doc["invoices"]:
        issued = _d(inv["issued"])
        if lo12 < issued <= AS_OF:
            per_client[inv["client"]] = per_client.get(inv["client"], 0) + inv["amount"]
            if kinds.get(inv["engagement"]) == "retainer":
                recurring += inv["amount"]
    total = sum(per_client.values())
    m: dict[str, Any] = {}
    if total:
        top_id, top = max(per_client.items(), key=lambda kv: kv[1])
        m["top_share"] = top / total
        m["top_client"] = next(c["name"] for c in doc["clients"] if c["id"] == top_id)
        m["shares"] = sorted((v / total for v in per_client.values()), reverse=True)
        m["n_clients_billed"] = len(per_client)
        m["monthly_revenue"] = total / 12
        m["without_top_vs_costs"] = (total - top) / 12 / costs if costs else None
        m["recurring_share"] = recurring / total
    else:
        m.update(top_share=None, recurring_share=None, monthly_revenue=0, without_top_vs_costs=None)
    cash = sorted((c for c in doc["cash"] if _d(c["date"]) <= AS_OF), key=lambda c: c["date"])
    m["cash_months"] = cash[-1]["balance"] / costs if cash and costs else None

    def in_last(s: str | None, days: int) -> bool:
        d = _d(s)
        return d is not None and AS_OF - D(days=days) < d <= AS_OF

    qs = doc["inquiries"]
    m["proposals_52w"] = sum(in_last(q["proposal_sent"], 364) for q in qs)
    m["proposals_13w"] = sum(in_last(q["proposal_sent"], 91) for q in qs)
    m["inquiries_52w"] = sum(in_last(q["received"], 364) for q in qs)
    dec = [q for q in qs if in_last(q["decided"], 364) and q["status"] in ("won", "lost")]
    won = [q for q in dec if q["status"] == "won"]
    m["win_rate"] = len(won) / len(dec) if dec else None
    m["sales_cycle_days"] = sum((_d(q["decided"]) - _d(q["received"])).days for q in won) / len(won) if won else None
    lead = ag["normal_lead_time_days"]
    open_qs = [q for q in qs if q["status"] in ("new", "proposal_sent")]
    m["open_inquiries"] = len(open_qs)
    m["open_rushed"] = sum(
        1
        for q in open_qs
        if q["requested_start"]
        and (_d(q["requested_start"]) - _d(q["received"])).days < lead
        and q["rush_fee_pct"] == 0
    )
    m["open_lowfit"] = sum(
        1
        for q in open_qs
        if (q["enjoy"] is not None and q["enjoy"] <= 2)
        or (q["industry_fit"] is not None and q["industry_fit"] <= 2)
        or q["budget_ok"] is False
    )

    def booked(day: date) -> float:
        h = 0.0
        for e in doc["engagements"]:
            start = _d(e["start"])
            end = _d(e["end"]) if e["kind"] == "retainer" else _d(e["end"] or e["deadline"])
            if start <= day and (end is None or day <= end):
                h += e["hours_per_week"]
        return h

    if cap:
        days30 = [booked(AS_OF + D(days=i)) / cap for i in range(1, 31)]
        days60 = [booked(AS_OF + D(days=i)) / cap for i in range(31, 61)]
        m["booked_30"] = sum(days30) / 30
        m["booked_31_60"] = sum(days60) / 30
        n = 0
        while n < 400 and booked(AS_OF + D(days=n + 1)) >= 0.8 * cap:
            n += 1
        m["booked_days"] = n
    else:
        m.update(booked_30=None, booked_31_60=None, booked_days=None)
    m["journey_gaps"] = [
        s for s in ("discovery", "education", "decision") if s not in {j["stage"] for j in doc["journey"]}
    ]
    stalled = []
    for a in doc["actions"]:
        open_steps = [s for s in a["steps"] if s["done"] is None]
        if not open_steps:
            continue
        soon = any(s["due"] and _d(s["due"]) <= AS_OF + D(days=7) for s in open_steps)
        done = [_d(s["done"]) for s in a["steps"] if s["done"]]
        if done:
            recent = max(done) > AS_OF - D(days=30)
        else:
            dues = [_d(s["due"]) for s in a["steps"] if s["due"]]
            recent = bool(dues) and min(dues) >= AS_OF - D(days=30)
        if not soon or not recent:
            stalled.append(a["id"])
    m["stalled_actions"] = stalled
    m["lump_sum_active"] = sum(
        1
        for e in doc["engagements"]
        if e["kind"] == "project"
        and e["billing"] != "monthly"
        and ((_d(e["end"] or e["deadline"]) or AS_OF + D(days=1)) > AS_OF)
    )
    m["overdue_unpaid"] = sum(1 for i in doc["invoices"] if i["paid"] is None and i["due"] and _d(i["due"]) < AS_OF)
    m["invoice_months"] = len({i["issued"][:7] for i in doc["invoices"]})
    m["inquiry_months"] = len({q["received"][:7] for q in qs})
    return m


def require(cond: bool, what: str, problems: list[str]) -> None:
    if not cond:
        problems.append(what)


def common_targets(m: dict[str, Any], p: list[str]) -> None:
    require(m["invoice_months"] >= 13, f"invoices span {m['invoice_months']} months, want >= 13", p)
    require(m["inquiry_months"] >= 13, f"inquiries span {m['inquiry_months']} months, want >= 13", p)


def healthy_rest(m: dict[str, Any], p: list[str]) -> None:
    """Everything but the key-client numbers is healthy."""
    require(6.0 <= m["cash_months"] <= 7.0, f"cash {m['cash_months']:.2f} months", p)
    require(m["booked_30"] >= 0.8 and m["booked_31_60"] >= 0.8, "bookings", p)
    require(m["booked_days"] >= 60, f"booked_days {m['booked_days']}", p)
    require(m["proposals_52w"] >= 52, f"proposals_52w {m['proposals_52w']}", p)
    require(m["proposals_13w"] >= 13, f"proposals_13w {m['proposals_13w']}", p)
    require(m["inquiries_52w"] >= 52, f"inquiries_52w {m['inquiries_52w']}", p)
    require(not m["journey_gaps"], "journey gaps", p)
    require(not m["stalled_actions"], f"stalled actions {m['stalled_actions']}", p)
    require(m["open_rushed"] == 0 and m["open_lowfit"] == 0, "open rushed/low-fit inquiries", p)
    require(m["lump_sum_active"] == 0, "lump-sum projects", p)
    require(m["overdue_unpaid"] == 0, "overdue invoices", p)
    require(m["recurring_share"] >= 0.5, f"recurring {m['recurring_share']:.2f}", p)


def t_firm_a(m: dict[str, Any]) -> list[str]:
    p: list[str] = []
    common_targets(m, p)
    healthy_rest(m, p)
    require(5.5 <= m["cash_months"] <= 6.5, "cash 5.5-6.5", p)
    require(len(m["shares"]) == 2 and all(0.48 <= s <= 0.52 for s in m["shares"]), f"shares {m['shares']}", p)
    return p


def t_firm_b(m: dict[str, Any]) -> list[str]:
    p: list[str] = []
    common_targets(m, p)
    healthy_rest(m, p)
    s = m["shares"]
    require(len(s) == 15, f"{len(s)} clients billed", p)
    require(all(abs(x - 0.10) <= 0.005 for x in s[:5]), f"top five {s[:5]}", p)
    require(all(abs(x - 0.05) <= 0.005 for x in s[5:]), f"other ten {s[5:]}", p)
    require(m["top_share"] < 0.20 and m["without_top_vs_costs"] >= 1, "key-client warning", p)
    return p


def t_one_client_70(m: dict[str, Any]) -> list[str]:
    p: list[str] = []
    common_targets(m, p)
    require(0.68 <= m["top_share"] <= 0.72, f"top share {m['top_share']:.3f}", p)
    require(5 <= m["n_clients_billed"] <= 6, "4-5 small clients", p)
    require(m["cash_months"] >= 3, "cash not alarming", p)
    require(m["booked_30"] >= 0.5, "bookings not alarming", p)
    require(m["recurring_share"] >= 0.25, "recurring not alarming", p)
    return p


def t_cash_strapped(m: dict[str, Any]) -> list[str]:
    p: list[str] = []
    common_targets(m, p)
    require(1.9 <= m["cash_months"] <= 2.1, f"cash {m['cash_months']:.2f}", p)
    require(m["top_share"] <= 0.30, "top share <= 30%", p)
    require(m["without_top_vs_costs"] >= 1, "losing the top client keeps revenue above costs", p)
    require(m["booked_30"] >= 0.5, "bookings not alarming", p)
    require(m["recurring_share"] >= 0.25, "recurring not alarming", p)
    return p


def t_healthy(m: dict[str, Any]) -> list[str]:
    p: list[str] = []
    common_targets(m, p)
    healthy_rest(m, p)
    require(18 <= m["n_clients_billed"] <= 22, "~20 clients", p)
    require(m["top_share"] < 0.15, f"top {m['top_share']:.3f}", p)
    require(m["without_top_vs_costs"] >= 1, "revenue without top >= costs", p)
    require(m["recurring_share"] >= 0.70, f"recurring {m['recurring_share']:.3f}", p)
    require(6.3 <= m["cash_months"] <= 6.9, "cash ~6.5", p)
    require(m["booked_30"] >= 0.85 and m["booked_31_60"] >= 0.85, "booked >= 85%", p)
    require(m["proposals_52w"] >= 60 and m["inquiries_52w"] >= 60, "60+ proposals and inquiries", p)
    return p


def t_demo(m: dict[str, Any]) -> list[str]:
    p: list[str] = []
    common_targets(m, p)
    require(0.26 <= m["top_share"] <= 0.30, f"top {m['top_share']:.3f}", p)
    require(m["without_top_vs_costs"] >= 1, f"warning not alarm: {m['without_top_vs_costs']:.3f}", p)
    require(0.36 <= m["recurring_share"] <= 0.44, f"recurring {m['recurring_share']:.3f}", p)
    require(3.8 <= m["cash_months"] <= 4.2, "cash ~4", p)
    require(
        m["booked_30"] >= 0.5 and m["booked_31_60"] < 0.5, f"booked {m['booked_30']:.2f}/{m['booked_31_60']:.2f}", p
    )
    require(m["booked_days"] >= 30, f"booked_days {m['booked_days']}", p)
    require(30 <= m["proposals_52w"] <= 40, f"proposals_52w {m['proposals_52w']}", p)
    require(m["proposals_13w"] <= 4, f"proposals_13w {m['proposals_13w']}", p)
    require(m["open_rushed"] == 1 and m["open_lowfit"] == 1, f"rushed {m['open_rushed']} lowfit {m['open_lowfit']}", p)
    require(m["journey_gaps"] == ["education"], "journey gap education", p)
    require(m["stalled_actions"] == ["a-02"], f"stalled {m['stalled_actions']}", p)
    require(m["lump_sum_active"] == 1, "one active lump-sum project", p)
    require(m["overdue_unpaid"] == 2, f"overdue {m['overdue_unpaid']}", p)
    require(10 <= m["n_clients_billed"] <= 13, "~12 clients", p)
    return p


# --------------------------------------------------------------------------- the samples

JOURNEY_FULL = [
    ("discovery", "Referrals from past clients, asked for at every project close"),
    ("discovery", "Talks at two industry conferences a year"),
    ("discovery", "Search: ranking for our niche's key terms"),
    ("education", "Case studies on the website, one per quarter"),
    ("education", "Monthly newsletter with lessons from our projects"),
    ("decision", "Proposal with three reference clients to call"),
    ("decision", "Paid discovery workshop before large projects"),
]


def healthy_actions(topic: str, owner: str, second: str, owner2: str) -> list[dict[str, Any]]:
    return [
        weekly_action(
            "a-01",
            topic,
            owner,
            [
                "List candidates",
                "Draft the outreach",
                "Send the first five",
                "Book two calls",
                "Follow up",
                "Review results",
            ],
            W1 + D(weeks=1),
            W_DONE,
        ),
        weekly_action(
            "a-02",
            second,
            owner2,
            ["Outline", "Interview a client", "First draft", "Review with the team", "Publish", "Share on LinkedIn"],
            W1,
            W_DONE,
        ),
    ]


def firm_a() -> Sample:
    return Sample(
        file="firm_a.json",
        name="Firm A",
        costs=24_000,
        capacity=70,
        lead_time=14,
        credit_line=50_000,
        cash_path=(5.8, 6.2),
        clients=[
            ClientSpec(
                "acme", "Acme Logistics", "Logistics", 4, 4, [retainer("retainer", date(2023, 3, 1), 14_000, 32)]
            ),
            ClientSpec(
                "brightwater",
                "Brightwater Health",
                "Healthcare",
                4,
                5,
                [retainer("retainer", date(2022, 9, 1), 13_600, 32)],
                pay_days=(12, 25),
            ),
        ],
        inquiries=InquiryPlan(rates=[(0, 13, 1.35), (13, INQUIRY_WEEKS, 1.3)], p_win=0.12, value=(10_000, 80_000)),
        journey=JOURNEY_FULL,
        actions=healthy_actions(
            "Find a third anchor client in logistics", "Sanne", "Write the Brightwater case study", "Joris"
        ),
        targets=t_firm_a,
    )


def firm_b() -> Sample:
    s = date(2024, 2, 1)
    clients = [
        ClientSpec("northpeak", "Northpeak Outdoor", "Retail", 4, 4, [retainer("retainer", s, 6_000, 14)]),
        ClientSpec(
            "verdant",
            "Verdant Energy",
            "Energy",
            5,
            4,
            [
                retainer("retainer", date(2023, 6, 1), 4_500, 10),
                project("dashboard", date(2026, 3, 2), date(2026, 8, 28), 18_000, 9),
            ],
        ),
        ClientSpec(
            "lindqvist",
            "Lindqvist & Berg Legal",
            "Legal",
            3,
            4,
            [retainer("retainer", date(2024, 9, 1), 6_000, 14)],
            pay_days=(20, 29),
        ),
        ClientSpec(
            "orbital",
            "Orbital Robotics",
            "Manufacturing",
            5,
            5,
            [
                retainer("retainer", date(2025, 1, 1), 3_500, 8),
                project("platform", date(2026, 6, 1), date(2027, 3, 31), 60_000, 14),
            ],
        ),
        ClientSpec(
            "saffron",
            "Saffron Foods",
            "Food & beverage",
            4,
            3,
            [
                project("launch", date(2025, 8, 4), date(2025, 10, 31), 15_000, 8),
                retainer("retainer", date(2025, 11, 1), 5_000, 12),
                project("packaging", date(2026, 4, 1), date(2026, 6, 30), 12_000, 7),
            ],
        ),
        ClientSpec(
            "harborview", "Harborview Hotels", "Hospitality", 4, 4, [retainer("retainer", date(2024, 5, 1), 3_000, 7)]
        ),
        ClientSpec(
            "kite",
            "Kite Insurance",
            "Insurance",
            3,
            3,
            [
                retainer("retainer", date(2024, 11, 1), 2_000, 5),
                project("claims-app", date(2026, 2, 2), date(2026, 7, 31), 12_000, 6),
            ],
        ),
        ClientSpec(
            "moss",
            "Moss & Tide Architects",
            "Architecture",
            5,
            4,
            [project("portfolio", date(2026, 1, 5), date(2026, 12, 31), 43_200, 8)],
        ),
        ClientSpec("quill", "Quill Publishing", "Media", 4, 4, [retainer("retainer", date(2023, 10, 1), 3_000, 7)]),
        ClientSpec(
            "ferro",
            "Ferro Bikes",
            "Retail",
            5,
            4,
            [
                retainer("retainer", date(2025, 4, 1), 1_500, 4),
                project("webshop", date(2026, 9, 1), date(2027, 2, 26), 54_000, 21),
            ],
        ),
        ClientSpec(
            "bluebird", "Bluebird Dental", "Healthcare", 3, 4, [retainer("retainer", date(2024, 3, 1), 3_000, 7)]
        ),
        ClientSpec(
            "gemini",
            "Gemini Fintech",
            "Finance",
            4,
            3,
            [
                retainer("retainer", date(2024, 7, 1), 2_500, 6),
                project("onboarding", date(2026, 5, 4), date(2026, 6, 30), 6_000, 6),
            ],
        ),
        ClientSpec(
            "pinecone", "Pinecone Education", "Education", 4, 4, [retainer("retainer", date(2025, 2, 1), 3_000, 7)]
        ),
        ClientSpec("atlas", "Atlas Freight", "Logistics", 4, 5, [retainer("retainer", date(2025, 12, 1), 3_000, 7)]),
        ClientSpec(
            "tandem",
            "Tandem Coffee Roasters",
            "Food & beverage",
            5,
            4,
            [retainer("retainer", date(2024, 1, 1), 3_000, 7)],
        ),
    ]
    return Sample(
        file="firm_b.json",
        name="Firm B",
        costs=51_000,
        capacity=175,
        lead_time=14,
        credit_line=75_000,
        cash_path=(6.0, 6.3),
        clients=clients,
        inquiries=InquiryPlan(rates=[(0, 13, 1.4), (13, INQUIRY_WEEKS, 1.3)], p_win=0.25, value=(10_000, 70_000)),
        journey=JOURNEY_FULL,
        actions=healthy_actions(
            "Raise retainer fees with the 2027 contracts", "Lena", "Publish the Ferro Bikes case study", "Pieter"
        ),
        targets=t_firm_b,
    )


def one_client_70() -> Sample:
    clients = [
        ClientSpec(
            "polder",
            "Polder Telecom",
            "Telecom",
            3,
            4,
            [
                project("app", date(2025, 8, 4), date(2025, 11, 28), 24_000, 14),
                retainer("retainer", date(2025, 9, 1), 9_000, 22),
                project("portal", date(2026, 1, 5), date(2026, 12, 31), 60_000, 12),
            ],
            pay_days=(25, 45),
            terms=45,
        ),
        ClientSpec(
            "kaasboer",
            "Kaasboer de Vries",
            "Food & beverage",
            5,
            4,
            [retainer("retainer", date(2025, 6, 1), 1_200, 3)],
            terms=14,
            pay_days=(5, 14),
        ),
        ClientSpec(
            "fietsfabriek",
            "De Fietsfabriek",
            "Retail",
            5,
            5,
            [project("webshop", date(2026, 2, 2), date(2026, 5, 29), 16_000, 9)],
        ),
        ClientSpec(
            "zonnig",
            "Zonnig Solar",
            "Energy",
            4,
            4,
            [project("site", date(2026, 6, 1), date(2026, 9, 30), 15_000, 7, billing="milestones")],
        ),
        ClientSpec("hygge", "Hygge Interiors", "Design", 4, 3, [retainer("retainer", date(2025, 10, 1), 1_000, 2.5)]),
        ClientSpec(
            "lisboa",
            "Café Lisboa",
            "Hospitality",
            5,
            3,
            [project("brand", date(2026, 9, 1), date(2026, 10, 30), 10_000, 6, billing="upfront")],
        ),
    ]
    return Sample(
        file="one_client_70.json",
        name="Mäd (early days)",
        costs=16_500,
        capacity=48,
        lead_time=14,
        credit_line=0,
        cash_path=(3.8, 4.5),
        clients=clients,
        inquiries=InquiryPlan(
            rates=[(0, 13, 0.75), (13, INQUIRY_WEEKS, 0.8)], p_win=0.2, value=(4_000, 30_000), p_lowfit=0.15
        ),
        journey=[
            ("discovery", "Word of mouth in the Amsterdam start-up scene"),
            ("discovery", "Dribbble and Behance portfolio"),
            ("education", "Founder's blog about design process"),
            ("decision", "Free first workshop with the founders"),
        ],
        actions=healthy_actions(
            "Win two clients outside telecom", "Ngoc", "Publish the Fietsfabriek case study", "Ngoc"
        ),
        targets=t_one_client_70,
    )


def cash_strapped() -> Sample:
    clients = [
        ClientSpec(
            "vela",
            "Vela Cosmetics",
            "Beauty",
            4,
            4,
            [
                retainer("retainer", date(2024, 10, 1), 4_000, 9),
                project("campaign", date(2026, 1, 5), date(2026, 4, 30), 20_000, 10),
            ],
        ),
        ClientSpec(
            "ironbridge",
            "Ironbridge Manufacturing",
            "Manufacturing",
            2,
            3,
            [retainer("retainer", date(2024, 6, 1), 3_500, 8)],
            pay_days=(35, 55),
            unpaid_from=date(2026, 8, 1),
        ),
        ClientSpec(
            "sunday",
            "Sunday Supply Co",
            "Retail",
            4,
            4,
            [project("webshop", date(2026, 3, 2), date(2026, 8, 31), 60_000, 18, billing="milestones")],
            unpaid_from=date(2026, 8, 31),
        ),
        ClientSpec(
            "greenway",
            "Greenway Transit Authority",
            "Public sector",
            3,
            3,
            [project("journey-planner", date(2025, 9, 1), date(2026, 2, 27), 60_000, 16)],
            pay_days=(45, 70),
            terms=45,
            unpaid_from=date(2026, 1, 30),
        ),
        ClientSpec("ponder", "Ponder Learning", "Education", 4, 4, [retainer("retainer", date(2025, 3, 1), 3_000, 7)]),
        ClientSpec(
            "rookery",
            "Rookery Games",
            "Gaming",
            5,
            3,
            [project("launch-site", date(2026, 7, 1), date(2027, 1, 29), 63_000, 18)],
        ),
        ClientSpec(
            "marlow",
            "Marlow Estates",
            "Real estate",
            3,
            4,
            [retainer("retainer", date(2025, 1, 1), 2_500, 6, end=date(2026, 12, 31))],
            pay_days=(25, 40),
        ),
        ClientSpec(
            "tallis",
            "Tallis Music School",
            "Education",
            5,
            4,
            [project("portal", date(2026, 10, 1), date(2027, 3, 31), 36_000, 12)],
        ),
        ClientSpec("quartz", "Quartz Analytics", "Software", 4, 5, [retainer("retainer", date(2026, 4, 1), 3_000, 7)]),
        ClientSpec(
            "nimbus",
            "Nimbus Events",
            "Events",
            3,
            3,
            [project("festival", date(2026, 4, 1), date(2026, 6, 12), 22_000, 9, billing="upfront")],
        ),
    ]
    return Sample(
        file="cash_strapped.json",
        name="Copperleaf Digital",
        costs=24_000,
        capacity=82,
        lead_time=14,
        credit_line=0,
        cash_path=(4.6, 2.0),
        cash_dips={6: -0.6},  # the corporate tax bill in April
        clients=clients,
        inquiries=InquiryPlan(rates=[(0, 13, 0.75), (13, INQUIRY_WEEKS, 0.95)], p_win=0.25, value=(6_000, 50_000)),
        journey=[
            ("discovery", "Referrals from past clients"),
            ("discovery", "Agency directory listings (Clutch, Sortlist)"),
            ("education", "Case studies on the website"),
            ("decision", "Proposal with fixed-price options"),
        ],
        actions=[
            weekly_action(
                "a-01",
                "Collect the overdue invoices",
                "Femke",
                [
                    "List overdue invoices",
                    "Call Ironbridge's finance team",
                    "Send formal reminders",
                    "Agree a payment plan with Greenway",
                    "Escalate what is still open",
                ],
                W1 + D(weeks=2),
                W_DONE,
            ),
            {
                "id": "a-02",
                "title": "Move retainers to payment in advance",
                "rule": None,
                "owner": "Bas",
                "steps": [
                    step("Draft new payment terms", date(2026, 9, 18), date(2026, 9, 17)),
                    step("Send the new terms to all retainer clients", date(2026, 12, 11)),
                ],
            },
        ],
        targets=t_cash_strapped,
    )


def healthy() -> Sample:
    R = retainer
    P = project
    clients = [
        ClientSpec("aurora", "Aurora Bikes", "Retail", 5, 5, [R("retainer", date(2023, 4, 1), 6_500, 14)]),
        ClientSpec(
            "baltic",
            "Baltic Freight",
            "Logistics",
            4,
            5,
            [
                R("retainer", date(2022, 11, 1), 6_000, 13),
                P("tracking", date(2026, 9, 1), date(2027, 3, 31), 49_000, 10),
            ],
        ),
        ClientSpec("cedar", "Cedar Dental Group", "Healthcare", 4, 4, [R("retainer", date(2024, 2, 1), 5_500, 12)]),
        ClientSpec("dunmore", "Dunmore Insurance", "Insurance", 3, 4, [R("retainer", date(2023, 9, 1), 5_000, 11)]),
        ClientSpec(
            "elmstead",
            "Elmstead College",
            "Education",
            5,
            4,
            [
                R("retainer", date(2024, 8, 1), 5_000, 11),
                P("admissions", date(2026, 1, 5), date(2026, 6, 30), 42_000, 10),
            ],
        ),
        ClientSpec(
            "fernhill", "Fernhill Organics", "Food & beverage", 5, 4, [R("retainer", date(2025, 1, 1), 4_500, 10)]
        ),
        ClientSpec("granite", "Granite Legal", "Legal", 3, 4, [R("retainer", date(2023, 1, 1), 4_500, 10)]),
        ClientSpec(
            "halcyon",
            "Halcyon Travel",
            "Travel",
            4,
            4,
            [R("retainer", date(2024, 5, 1), 4_000, 9), P("booking", date(2026, 8, 3), date(2027, 4, 30), 54_000, 9)],
        ),
        ClientSpec("indigo", "Indigo Payments", "Finance", 4, 5, [R("retainer", date(2025, 6, 1), 4_000, 9)]),
        ClientSpec(
            "jasper", "Jasper & Vine Wines", "Food & beverage", 5, 3, [R("retainer", date(2024, 10, 1), 3_500, 8)]
        ),
        ClientSpec(
            "kaleido",
            "Kaleido Toys",
            "Retail",
            5,
            4,
            [R("retainer", date(2023, 6, 1), 3_500, 8), P("webshop", date(2026, 3, 2), date(2026, 8, 31), 36_000, 9)],
        ),
        ClientSpec("larkspur", "Larkspur Hotels", "Hospitality", 4, 4, [R("retainer", date(2024, 1, 1), 3_000, 7)]),
        ClientSpec("meridian", "Meridian Water", "Utilities", 3, 4, [R("retainer", date(2025, 3, 1), 3_000, 7)]),
        ClientSpec(
            "nordhavn",
            "Nordhavn Shipping",
            "Logistics",
            4,
            5,
            [
                R("retainer", date(2023, 11, 1), 3_000, 7),
                P("fleet-portal", date(2026, 10, 1), date(2027, 5, 31), 48_000, 9),
            ],
        ),
        ClientSpec("orchard", "Orchard Lane Homes", "Real estate", 4, 3, [R("retainer", date(2024, 4, 1), 2_500, 6)]),
        ClientSpec("parcel", "Parcel Pigeon", "Logistics", 5, 5, [R("retainer", date(2025, 9, 1), 2_500, 6)]),
        ClientSpec(
            "quayside",
            "Quayside Museum",
            "Culture",
            5,
            3,
            [
                R("retainer", date(2024, 6, 1), 2_000, 5),
                P("exhibition", date(2025, 10, 1), date(2026, 2, 27), 25_000, 8),
            ],
        ),
        ClientSpec("rivermark", "Rivermark Bank", "Finance", 3, 4, [R("retainer", date(2023, 2, 1), 2_000, 5)]),
        ClientSpec("stellar", "Stellar Solar", "Energy", 5, 5, [R("retainer", date(2025, 12, 1), 1_500, 4)]),
        ClientSpec(
            "tessellate", "Tessellate Architects", "Architecture", 4, 4, [R("retainer", date(2024, 9, 1), 1_500, 4)]
        ),
    ]
    return Sample(
        file="healthy.json",
        name="Lighthouse Digital",
        costs=70_000,
        capacity=205,
        lead_time=21,
        credit_line=100_000,
        cash_path=(6.3, 6.5),
        clients=clients,
        inquiries=InquiryPlan(
            rates=[(0, 13, 1.6), (13, INQUIRY_WEEKS, 1.35)],
            p_win=0.3,
            p_rush=0.04,
            rush_fees=(20, 25),
            value=(15_000, 90_000),
        ),
        journey=JOURNEY_FULL + [("education", "Webinar series with partner platforms")],
        actions=healthy_actions(
            "Add two retainers in the energy niche", "Maud", "Launch the quarterly client survey", "Tom"
        ),
        targets=t_healthy,
    )


def demo() -> Sample:
    clients = [
        ClientSpec(
            "harbor",
            "Harbor & Lane Outfitters",
            "E-commerce",
            4,
            5,
            [
                retainer("retainer", date(2024, 3, 1), 6_500, 13),
                project("replatform", date(2026, 2, 2), date(2026, 9, 30), 88_000, 22),
            ],
        ),
        ClientSpec(
            "acme",
            "ACME [Ltd]",
            "Manufacturing",
            3,
            4,
            [retainer("retainer", date(2024, 9, 1), 3_500, 7)],
            pay_days=(20, 29),
            unpaid_from=date(2026, 9, 1),
        ),
        ClientSpec(
            "fjordline",
            "Fjordline Ferries",
            "Travel",
            5,
            4,
            [project("booking", date(2026, 3, 2), date(2026, 7, 31), 72_000, 18, billing="milestones")],
        ),
        ClientSpec(
            "juniper", "Juniper Health Clinics", "Healthcare", 4, 4, [retainer("retainer", date(2025, 4, 1), 5_500, 11)]
        ),
        ClientSpec(
            "oakridge",
            "Oakridge Capital",
            "Finance",
            3,
            3,
            [project("investor-portal", date(2025, 10, 1), date(2026, 1, 30), 40_000, 14)],
            pay_days=(28, 40),
            terms=45,
        ),
        ClientSpec(
            "lumen", "Lumen Labs", "Software", 5, 5, [project("app", date(2026, 4, 1), date(2026, 12, 31), 63_000, 20)]
        ),
        ClientSpec(
            "maple",
            "Maple & Rye Bakery",
            "Food & beverage",
            5,
            3,
            [retainer("retainer", date(2025, 5, 1), 1_500, 3)],
            terms=14,
            pay_days=(3, 12),
        ),
        ClientSpec(
            "solstice",
            "Solstice Festival",
            "Events",
            4,
            3,
            [project("tickets", date(2026, 5, 4), date(2026, 8, 14), 32_000, 12, billing="upfront")],
        ),
        ClientSpec(
            "kestrel",
            "Kestrel Aviation Training",
            "Education",
            4,
            4,
            [
                project("discovery", date(2026, 9, 1), date(2026, 9, 25), 8_000, 10, billing="upfront"),
                project(
                    "learning-platform", date(2026, 10, 1), date(2026, 12, 31), 45_000, 28, billing="on_completion"
                ),
            ],
        ),
        ClientSpec(
            "bergmann", "Bergmann & Söhne", "Industrial", 4, 4, [retainer("retainer", date(2026, 1, 1), 3_000, 6)]
        ),
        ClientSpec(
            "tidewater",
            "Tidewater Museum",
            "Culture",
            5,
            3,
            [project("exhibition-site", date(2025, 12, 1), date(2026, 3, 31), 36_000, 12)],
        ),
        ClientSpec(
            "pixelwerk",
            "Pixelwerk Games",
            "Gaming",
            5,
            4,
            [project("launch", date(2026, 6, 1), date(2026, 10, 30), 35_000, 12)],
        ),
    ]
    return Sample(
        file="demo.json",
        name="Northwind Studio",
        costs=34_000,
        capacity=105,
        lead_time=14,
        credit_line=25_000,
        cash_path=(4.6, 4.0),
        clients=clients,
        inquiries=InquiryPlan(
            rates=[(0, 13, 0.2), (13, 52, 0.72), (52, INQUIRY_WEEKS, 0.8)],
            p_win=0.12,
            p_lowfit=0.15,
            value=(8_000, 90_000),
            sources=(
                ("referral", 5),
                ("website", 3),
                ("LinkedIn", 3),
                ("conference", 2),
                ("Dribbble", 1),
                ("partner agency", 1),
            ),
        ),
        extra_inquiries=[
            {
                "received": date(2026, 11, 23),
                "prospect": "Brightwave Telecom",
                "source": "LinkedIn",
                "status": "new",
                "estimated_value": 24_000,
                "requested_start": date(2026, 12, 1),
                "deadline": date(2027, 1, 29),
                "rush_fee_pct": 0,
                "enjoy": 4,
                "industry_fit": 4,
                "budget_ok": True,
            },
            {
                "received": date(2026, 11, 16),
                "prospect": "Gold Rush Crypto Exchange",
                "source": "website",
                "status": "new",
                "estimated_value": 9_500,
                "requested_start": date(2027, 1, 11),
                "deadline": None,
                "rush_fee_pct": 0,
                "enjoy": 2,
                "industry_fit": 3,
                "budget_ok": False,
            },
        ],
        journey=[
            ("discovery", "Referrals from past clients"),
            ("discovery", "Talks at Dutch Design Week and Frontend Amsterdam"),
            ("discovery", "The founders' posts on LinkedIn"),
            ("decision", "Case-study deck sent with every proposal"),
            ("decision", "Paid discovery sprint before big projects"),
        ],
        actions=[
            weekly_action(
                "a-01",
                "Win two new retainer clients",
                "Eva",
                [
                    "List twenty target companies",
                    "Write the outreach email",
                    "Send the first ten",
                    "Book three intro calls",
                    "Send the first proposal",
                    "Review and adjust",
                ],
                W1,
                W_DONE,
            ),
            {
                "id": "a-02",
                "title": "Publish three case studies",
                "rule": None,
                "owner": "Daan",
                "steps": [
                    step("Pick the three projects", date(2026, 9, 18), date(2026, 9, 18)),
                    step("Interview Harbor & Lane", date(2026, 9, 25), date(2026, 9, 24)),
                    step("Write the Harbor & Lane case study", date(2026, 12, 17)),
                    step("Write the Fjordline case study", date(2027, 1, 7)),
                    step("Publish all three", date(2027, 1, 21)),
                ],
            },
            {
                "id": "a-03",
                "title": "Bill the Kestrel project in monthly instalments",
                "rule": None,
                "owner": "Eva",
                "steps": [
                    step("Call Kestrel's finance lead", date(2026, 11, 30)),
                    step("Send the amended payment schedule", date(2026, 12, 4)),
                    step("Issue the first instalment invoice", date(2026, 12, 11)),
                ],
            },
        ],
        targets=t_demo,
    )


def empty_document() -> dict[str, Any]:
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "agency": {"name": "New Agency"}}
    doc["settings"] = {"disable": [], "params": {}}
    for coll in ("cash", "clients", "engagements", "invoices", "inquiries", "journey", "actions"):
        doc[coll] = []
    return doc


SAMPLES: list[Callable[[], Sample]] = [firm_a, firm_b, one_client_70, cash_strapped, healthy, demo]


# --------------------------------------------------------------------------- main


def canonical(doc: dict[str, Any]) -> dict[str, Any]:
    return to_document(build(validate_document(doc)))


def dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def fmt(v: Any, spec: str) -> str:
    width = int("".join(ch for ch in spec.split(".")[0] if ch.isdigit()) or 0)
    return "-".rjust(width) if v is None else format(v, spec)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="do not write; verify the files on disk")
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output directory (default: sample_data/)")
    args = ap.parse_args(argv)

    docs: list[tuple[str, dict[str, Any], Callable | None]] = []
    for i, make in enumerate(SAMPLES):
        sample = make()
        docs.append((sample.file, canonical(build_document(sample, i)), sample.targets))
    docs.append(("empty.json", canonical(empty_document()), None))

    failures: list[str] = []
    args.out.mkdir(parents=True, exist_ok=True)
    for name, doc, _ in docs:
        path = args.out / name
        text = dump(doc)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                failures.append(f"{name}: differs from what the generator produces")
        else:
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)

    # Verify what is on disk: valid, canonical, on target.
    rows = []
    for name, _, targets in docs:
        path = args.out / name
        raw = json.loads(path.read_text(encoding="utf-8"))
        try:
            canon = canonical(raw)
        except Exception as exc:  # ValidationError: report every problem
            failures.append(f"{name}: does not validate: {exc}")
            continue
        if dump(canon) != dump(raw):
            failures.append(f"{name}: not in canonical form")
        m = compute(raw)
        if targets is not None:
            failures.extend(f"{name}: {p}" for p in targets(m))
        rows.append((name, m))

    head = (
        f"{'file':<20} {'top':>6} {'recur':>6} {'cash_m':>6} {'prop52':>6} {'prop13':>6} {'inq52':>6}"
        f" {'book30':>6} {'b31-60':>6} {'bdays':>5} {'win':>5} {'w/o top':>7} {'rush':>4} {'lowfit':>6} {'stall':>5} {'lump':>4} {'overdue':>7}"
    )
    print(head)
    print("-" * len(head))
    for name, m in rows:
        print(
            f"{name:<20} {fmt(m['top_share'], '6.1%')} {fmt(m['recurring_share'], '6.1%')} {fmt(m['cash_months'], '6.2f')}"
            f" {m['proposals_52w']:>6} {m['proposals_13w']:>6} {m['inquiries_52w']:>6}"
            f" {fmt(m['booked_30'], '6.0%')} {fmt(m['booked_31_60'], '6.0%')} {('400+' if m['booked_days'] == 400 else fmt(m['booked_days'], 'd')):>5}"
            f" {fmt(m['win_rate'], '5.0%')} {fmt(m['without_top_vs_costs'], '7.2f')}"
            f" {m['open_rushed']:>4} {m['open_lowfit']:>6} {len(m['stalled_actions']):>5} {m['lump_sum_active']:>4} {m['overdue_unpaid']:>7}"
        )
    print()
    for name, m in rows:
        if m.get("shares"):
            shares = " ".join(f"{s:.1%}" for s in m["shares"])
            print(f"{name:<20} top: {m['top_client']}; shares: {shares}")
    if failures:
        print("\nFAILED:", file=sys.stderr)
        for f in failures:
            print(f"  {f}", file=sys.stderr)
        return 1
    print(f"\n{len(rows)} files OK in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
