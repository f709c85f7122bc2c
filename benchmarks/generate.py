"""Synthetic agencies in the interchange format, for benchmarks and tests.

Deterministic (one ``random.Random(seed)`` per document) at three sizes::

    S      20 clients      1,000 invoices      250 inquiries
    M     200 clients     20,000 invoices    5,000 inquiries
    L   2,000 clients    200,000 invoices   50,000 inquiries

plus about 1.5 engagements per client (retainers and projects), a cash balance
per month, journey activities and a few actions with steps. Dates spread over
the three years up to ``AS_OF`` (2026-11-26), denser towards the end (a growing
agency), so the last-12-months windows hold a realistic share of the records.

Usage::

    python benchmarks/generate.py S [M L | all] [-o PATH] [--seed N] [--check]

writes ``benchmarks/data/agency-SIZE.json`` (compact JSON) by default.
``--check`` validates every generated document with
``tui_advisor.model.validate_document`` and prints a few statistics.

Importable: ``generate(size, seed=None) -> dict``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any

AS_OF = date(2026, 11, 26)
SPAN_DAYS = 3 * 365 + 1  # 2023-11-26 .. 2026-11-26 (one leap day)
START = AS_OF - timedelta(days=SPAN_DAYS)

SIZES: dict[str, dict[str, int]] = {
    "S": {"clients": 20, "invoices": 1_000, "inquiries": 250},
    "M": {"clients": 200, "invoices": 20_000, "inquiries": 5_000},
    "L": {"clients": 2_000, "invoices": 200_000, "inquiries": 50_000},
}
DEFAULT_SEEDS = {"S": 1001, "M": 2002, "L": 3003}

DATA_DIR = Path(__file__).resolve().parent / "data"

INDUSTRIES = (
    "software",
    "retail",
    "healthcare",
    "education",
    "finance",
    "hospitality",
    "manufacturing",
    "nonprofit",
    "real estate",
    "media",
    "logistics",
    "energy",
)
NAME_A = (
    "Acme",
    "Blue",
    "North",
    "Bright",
    "Silver",
    "Green",
    "Rapid",
    "Urban",
    "Summit",
    "Cedar",
    "Harbor",
    "Nova",
    "Atlas",
    "Pixel",
    "Granite",
    "Maple",
    "Orbit",
    "Vertex",
    "Coral",
    "Iron",
)
NAME_B = (
    "Labs",
    "Works",
    "Foods",
    "Health",
    "Systems",
    "Studio",
    "Logistics",
    "Partners",
    "Bank",
    "Outfitters",
    "Energy",
    "Media",
    "Academy",
    "Homes",
    "Motors",
    "Goods",
    "Clinic",
    "Travel",
)
NAME_C = ("GmbH", "Ltd", "Inc", "AG", "& Co", "Group", "BV", "SA")
SOURCES = ("referral", "website", "linkedin", "event", "partner", "cold outreach", "newsletter", "")
JOURNEY = (
    ("discovery", "Monthly newsletter with case studies"),
    ("discovery", "Talks at two industry meetups a year"),
    ("discovery", "LinkedIn posts three times a week"),
    ("discovery", "Partner referrals from the hosting provider"),
    ("education", "Free website audit checklist"),
    ("education", "Webinar: planning a relaunch"),
    ("education", "Case study library by industry"),
    ("decision", "Fixed-price discovery workshop"),
    ("decision", "Proposal template with three options"),
    ("decision", "Reference calls with past clients"),
)
ACTIONS = (
    (
        "Raise retainer prices for 2027",
        "pricing",
        (
            "List retainers below the target rate",
            "Draft the price letter",
            "Send letters",
            "Follow up on replies",
        ),
    ),
    (
        "Chase overdue invoices",
        "receivables",
        (
            "Export the overdue list",
            "Call the three largest debtors",
            "Agree on payment plans",
        ),
    ),
    (
        "Reduce dependence on the largest client",
        "concentration",
        (
            "Pick two target industries",
            "Write a case study",
            "Run an outbound campaign",
        ),
    ),
    (
        "Answer new inquiries within two days",
        None,
        (
            "Set up an inquiry inbox",
            "Write a reply template",
        ),
    ),
    (
        "Build a three-month cash reserve",
        "cash",
        (
            "Open a reserve account",
            "Move 10% of each payment",
            "Review monthly",
        ),
    ),
    (
        "Qualify leads before proposals",
        None,
        (
            "Define the budget question",
            "Add a qualification call",
            "Track the win rate",
        ),
    ),
)

# Dates as ISO strings, by day offset from START (there are only ~1,100 of them).
_ISO = [(START + timedelta(days=i)).isoformat() for i in range(SPAN_DAYS + 400)]


def _iso(offset: int) -> str:
    return _ISO[offset]


def _skewed_offset(rng: Random, lo: int = 0, hi: int = SPAN_DAYS) -> int:
    """A day in [lo, hi], denser towards the end (density grows linearly 1 -> 2)."""
    u = rng.random()
    # inverse CDF of f(x) = (1 + x) * 2/3 on [0, 1]: x = sqrt(1 + 3u) - 1
    x = math.sqrt(1.0 + 3.0 * u) - 1.0
    return lo + int(x * (hi - lo))


def _months_between(a: int, b: int) -> float:
    return max(b - a, 1) / 30.44


def generate(size: str, seed: int | None = None) -> dict[str, Any]:
    """One synthetic interchange document of the given size (``S``, ``M`` or ``L``)."""
    size = size.upper()
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}, expected one of {', '.join(SIZES)}")
    counts = SIZES[size]
    rng = Random(DEFAULT_SEEDS[size] if seed is None else seed)
    rand = rng.random
    randint = rng.randint
    today = SPAN_DAYS  # offset of AS_OF

    # ------------------------------------------------------------ clients
    n_clients = counts["clients"]
    width = max(4, len(str(n_clients)))
    clients: list[dict[str, Any]] = []
    for i in range(n_clients):
        name = f"{rng.choice(NAME_A)} {rng.choice(NAME_B)} {rng.choice(NAME_C)}"
        if i >= len(NAME_A) * len(NAME_B):
            name += f" {i}"
        clients.append(
            {
                "id": f"c{i + 1:0{width}d}",
                "name": name,
                "industry": rng.choice(INDUSTRIES),
                "enjoy": randint(1, 5) if rand() < 0.85 else None,
                "industry_fit": randint(1, 5) if rand() < 0.85 else None,
            }
        )

    # ------------------------------------------------------------ engagements
    # Every client has one, half of them a second: ~1.5 per client.
    engagements: list[dict[str, Any]] = []
    windows: list[tuple[int, int]] = []  # active [start, last invoice day] per engagement
    for c in clients:
        for _ in range(2 if rand() < 0.5 else 1):
            eid = f"e{len(engagements) + 1:0{width + 1}d}"
            start = _skewed_offset(rng, 0, today - 14)
            if rand() < 0.55:  # retainer
                fee = float(round(rng.lognormvariate(8.2, 0.5) / 50) * 50 or 500)
                end = None if rand() < 0.6 else min(start + randint(90, 720), today + 180)
                rec = {
                    "id": eid,
                    "client": c["id"],
                    "kind": "retainer",
                    "start": _iso(start),
                    "end": _iso(end) if end is not None else None,
                    "monthly_fee": fee,
                    "price": None,
                    "hours_per_week": float(randint(2, 20)),
                    "billing": "monthly",
                    "deadline": None,
                    "rush_fee_pct": 0,
                }
            else:  # project
                length = randint(21, 240)
                end = start + length
                price = float(round(rng.lognormvariate(9.8, 0.7) / 100) * 100 or 1000)
                rush = rand() < 0.1
                rec = {
                    "id": eid,
                    "client": c["id"],
                    "kind": "project",
                    "start": _iso(start),
                    "end": _iso(end),
                    "monthly_fee": None,
                    "price": price,
                    "hours_per_week": float(randint(5, 35)),
                    "billing": rng.choice(("milestones", "milestones", "upfront", "on_completion", "monthly")),
                    "deadline": _iso(end) if rand() < 0.5 else None,
                    "rush_fee_pct": float(rng.choice((15, 20, 25, 30))) if rush else 0,
                }
            engagements.append(rec)
            last = min(end if end is not None else today, today)
            windows.append((start, max(last, start)))

    # ------------------------------------------------------------ invoices
    n_invoices = counts["invoices"]
    n_loose = n_invoices // 25  # ~4% not tied to an engagement
    n_tied = n_invoices - n_loose
    weights = [w[1] - w[0] + 15 for w in windows]
    picks = rng.choices(range(len(engagements)), weights=weights, k=n_tied)
    per_engagement = [0] * len(engagements)
    for k in picks:
        per_engagement[k] += 1
    # The amount of one invoice: what the engagement bills in its window, shared out.
    unit = []
    for e, (a, b), n in zip(engagements, windows, per_engagement):
        total = e["monthly_fee"] * _months_between(a, b) if e["kind"] == "retainer" else e["price"]
        unit.append(total / n if n else 0.0)

    invoices: list[dict[str, Any]] = []
    iwidth = len(str(n_invoices))
    due_terms = (14, 30, 30, 30, 45)
    loose_every = n_invoices / n_loose if n_loose else 0

    def _payment(issued: int) -> int | None:
        r = rand()
        if r < 0.02:
            return None  # never paid
        if r < 0.72:
            delay = randint(3, 40)
        elif r < 0.92:
            delay = randint(41, 90)
        else:
            delay = randint(91, 200)
        paid = issued + delay
        return paid if paid <= today else None

    tied = iter(picks)
    loose_next = loose_every / 2 if n_loose else float("inf")
    for i in range(n_invoices):
        if i >= loose_next:
            loose_next += loose_every
            c = clients[randint(0, n_clients - 1)]
            issued = _skewed_offset(rng)
            amount = round(rng.lognormvariate(7.0, 0.8), 2)
            client_id, eid = c["id"], None
        else:
            k = next(tied)
            a, b = windows[k]
            issued = randint(a, b)
            amount = round(unit[k] * (0.8 + 0.4 * rand()), 2)
            client_id, eid = engagements[k]["client"], engagements[k]["id"]
        if rand() < 0.005:
            amount = -round(amount * 0.2, 2)  # a credit note
        paid = _payment(issued)
        invoices.append(
            {
                "id": f"INV-{i + 1:0{iwidth}d}",
                "client": client_id,
                "engagement": eid,
                "issued": _iso(issued),
                "amount": amount,
                "due": _iso(issued + due_terms[randint(0, 4)]),
                "paid": _iso(paid) if paid is not None else None,
            }
        )

    # ------------------------------------------------------------ inquiries
    n_inquiries = counts["inquiries"]
    qwidth = len(str(n_inquiries))
    inquiries: list[dict[str, Any]] = []
    for i in range(n_inquiries):
        received = _skewed_offset(rng)
        age = today - received
        proposal = decided = None
        r = rand()
        if age < 21 and r < 0.6:
            status = "new"
        elif r < 0.05:
            status = "new"  # stale: never answered
        elif r < 0.15:
            status = "declined"
            decided = received + randint(0, min(age, 10))
        else:
            proposal = received + randint(1, min(max(age, 1), 14))
            proposal = min(proposal, today)
            wait = today - proposal
            if wait < 30 and rand() < 0.7:
                status = "proposal_sent"
            elif rand() < 0.08:
                status = "proposal_sent"  # stale proposal
            else:
                status = "won" if rand() < 0.35 else "lost"
                decided = proposal + randint(0, min(wait, 45))
        start = received + randint(7, 75)
        deadline = start + randint(30, 150) if rand() < 0.4 else None
        rush = deadline is not None and deadline - received < 60 and rand() < 0.5
        inquiries.append(
            {
                "id": f"Q-{i + 1:0{qwidth}d}",
                "received": _iso(received),
                "prospect": f"{rng.choice(NAME_A)} {rng.choice(NAME_B)}",
                "source": SOURCES[randint(0, len(SOURCES) - 1)],
                "status": status,
                "proposal_sent": _iso(proposal) if proposal is not None else None,
                "decided": _iso(decided) if decided is not None else None,
                "estimated_value": float(round(rng.lognormvariate(9.3, 0.8) / 100) * 100) if rand() < 0.85 else None,
                "requested_start": _iso(start) if rand() < 0.7 else None,
                "deadline": _iso(deadline) if deadline is not None else None,
                "rush_fee_pct": float(rng.choice((10, 20, 25))) if rush else 0,
                "enjoy": randint(1, 5) if rand() < 0.6 else None,
                "industry_fit": randint(1, 5) if rand() < 0.6 else None,
                "budget_ok": (rand() < 0.7) if rand() < 0.6 else None,
            }
        )

    # ------------------------------------------------------------ agency figures
    # Operating costs: ~85-95% of the monthly revenue of the last 12 months.
    year_ago = today - 365
    revenue_12m = sum(inv["amount"] for inv in invoices if inv["issued"] > _ISO[year_ago])
    monthly_costs = round(revenue_12m / 12 * (0.85 + 0.1 * rand()), -2) or 1000.0
    # Capacity: the hours booked today plus some slack.
    booked = sum(
        e["hours_per_week"]
        for e, (a, _b) in zip(engagements, windows)
        if a <= today and (e["end"] is None or e["end"] >= AS_OF.isoformat())
    )
    capacity = float(max(40, round(booked * (1.0 + 0.3 * rand()))))

    # ------------------------------------------------------------ cash: the 26th of each month
    cash: list[dict[str, Any]] = []
    # Mean-reverting around 2.5 months of costs, so the reserve is neither absurd nor empty.
    target = monthly_costs * 2.5
    balance = monthly_costs * 2.0
    d = START
    while d <= AS_OF:
        balance += 0.3 * (target - balance) + monthly_costs * rng.gauss(0.0, 0.4)
        balance = max(balance, -monthly_costs * 0.5)
        cash.append({"date": d.isoformat(), "balance": round(balance, 2)})
        d = date(d.year + (d.month == 12), d.month % 12 + 1, d.day)

    # ------------------------------------------------------------ journey and actions
    journey = [{"stage": s, "activity": a} for s, a in JOURNEY if rand() < 0.8]
    actions: list[dict[str, Any]] = []
    for j, (title, rule, step_titles) in enumerate(ACTIONS[: 3 + randint(0, len(ACTIONS) - 3)]):
        first_due = today - randint(0, 60)
        steps = []
        for k, st in enumerate(step_titles):
            due = first_due + 14 * k
            done = due - randint(0, 5) if due < today - 7 and rand() < 0.7 else None
            steps.append({"title": st, "due": _iso(due), "done": _iso(done) if done is not None else None})
        actions.append(
            {"id": f"a{j + 1}", "title": title, "rule": rule, "owner": rng.choice(("Anna", "Ben", "")), "steps": steps}
        )

    return {
        "format": "tui-advisor/agency",
        "version": 1,
        "agency": {
            "name": f"Synthetic Agency {size}",
            "currency": "EUR",
            "monthly_operating_costs": float(monthly_costs),
            "weekly_capacity_hours": capacity,
            "normal_lead_time_days": 14,
            "credit_line": float(round(monthly_costs, -3)),
        },
        "settings": {"disable": [], "params": {}},
        "cash": cash,
        "clients": clients,
        "engagements": engagements,
        "invoices": invoices,
        "inquiries": inquiries,
        "journey": journey,
        "actions": actions,
    }


def record_count(doc: dict[str, Any]) -> int:
    """All records of a document (steps not counted)."""
    return sum(
        len(doc.get(k) or ()) for k in ("cash", "clients", "engagements", "invoices", "inquiries", "journey", "actions")
    )


def default_path(size: str) -> Path:
    return DATA_DIR / f"agency-{size.upper()}.json"


def write(doc: dict[str, Any], path: Path) -> int:
    """Write compact JSON; return the size in bytes. Atomically (a file of this process's own,
    renamed over ``path``): a benchmark or test generating the same size at the same time, in
    another process or pytest-xdist worker, never reads a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(text.encode("utf-8"))


def ensure(size: str, path: Path | None = None) -> Path:
    """The document of ``size`` on disk, generated when missing."""
    path = path or default_path(size)
    if not path.exists():
        write(generate(size), path)
    return path


def _stats(doc: dict[str, Any]) -> str:
    year_ago = (AS_OF - timedelta(days=365)).isoformat()
    inv = doc["invoices"]
    q = doc["inquiries"]
    recent_inv = sum(1 for x in inv if x["issued"] > year_ago)
    recent_q = sum(1 for x in q if x["received"] > year_ago)
    open_inv = sum(1 for x in inv if x["paid"] is None)
    kinds = sum(1 for e in doc["engagements"] if e["kind"] == "retainer")
    return (
        f"clients {len(doc['clients'])}, engagements {len(doc['engagements'])} ({kinds} retainers), "
        f"invoices {len(inv)} ({recent_inv / len(inv):.0%} in the last 12 months, {open_inv} open), "
        f"inquiries {len(q)} ({recent_q / max(len(q), 1):.0%} in the last 12 months), "
        f"cash {len(doc['cash'])}, journey {len(doc['journey'])}, actions {len(doc['actions'])}; "
        f"costs {doc['agency']['monthly_operating_costs']:.0f}/month, capacity {doc['agency']['weekly_capacity_hours']:.0f} h/week"
    )


def _validate(doc: dict[str, Any]) -> None:
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from tui_advisor.model import validate_document

    validate_document(doc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate synthetic tui-advisor agencies (interchange JSON).")
    parser.add_argument("sizes", nargs="*", metavar="SIZE", help="S, M, L or all (default: S with --check, else all)")
    parser.add_argument("-o", "--output", type=Path, help="output file (only with one size)")
    parser.add_argument("--seed", type=int, help="random seed (default: fixed per size)")
    parser.add_argument(
        "--check", action="store_true", help="validate each document with validate_document and print statistics"
    )
    args = parser.parse_args(argv)

    sizes = [s.upper() for s in args.sizes] or (["S"] if args.check else list(SIZES))
    if sizes == ["ALL"]:
        sizes = list(SIZES)
    for s in sizes:
        if s not in SIZES:
            parser.error(f"unknown size {s!r}, expected S, M, L or all")
    if args.output and len(sizes) != 1:
        parser.error("-o/--output needs exactly one size")

    for s in sizes:
        t0 = time.perf_counter()
        doc = generate(s, args.seed)
        t1 = time.perf_counter()
        path = args.output or default_path(s)
        nbytes = write(doc, path)
        t2 = time.perf_counter()
        print(
            f"{s}: {record_count(doc):,} records, generated in {t1 - t0:.2f} s, written in {t2 - t1:.2f} s, "
            f"{nbytes / 1e6:.1f} MB -> {path}"
        )
        if args.check:
            t3 = time.perf_counter()
            _validate(doc)
            print(f"   valid (validate_document in {time.perf_counter() - t3:.2f} s); {_stats(doc)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
