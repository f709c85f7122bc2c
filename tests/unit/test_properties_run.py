"""Every value the validator accepts runs: generated VALID documents, with extreme values
at the bounds (the largest numbers allowed either way, the first and last allowed dates,
zero and tiny costs, zero capacity, empty collections), go through ``advise`` (the metrics,
the rules, every output format of report.py) on any allowed as-of date, and through the
app's load (``Workspace.load`` from a data file), without one exception.

Besides not raising, what comes out is sound: every metric is a finite number, a text, or
unknown with a reason; the JSON output is strict JSON (no NaN or Infinity); no rule was
skipped because it raised.

The documents are built valid by construction (dates in order, references that exist, unique
keys) and the test asserts the validator accepts them, so no example is thrown away. The
documents of test_properties.py's ``well_typed_document`` that validate run here too.
"""

from __future__ import annotations

import json
import math
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st

from tui_advisor import model, report
from tui_advisor.store import Store
from tui_advisor.workspace import Workspace
from unit.test_properties import AS_OF, FAST, RULEBOOK, SLOWER, validate_or_explain, well_typed_document

TOP = model.MAX_MAGNITUDE
BIGGEST_FLOAT = math.nextafter(TOP, 0)
BIGGEST_INT = int(TOP) - 1
FIRST, LAST = model.MIN_DATE, model.MAX_DATE

EXTREME_AMOUNTS = [0, 0.0, 5e-324, 1e-300, 0.01, 1, 14, 12500, 999999.99, BIGGEST_INT, BIGGEST_FLOAT]
AMOUNT = st.one_of(st.sampled_from(EXTREME_AMOUNTS), st.integers(0, BIGGEST_INT), st.floats(0, TOP, exclude_max=True))
SIGNED = st.one_of(AMOUNT, AMOUNT.map(lambda v: -v))
DAYS = st.one_of(st.sampled_from([0, 1, 14, 365, BIGGEST_INT]), st.integers(0, BIGGEST_INT))
EDGE_DATES = [FIRST, FIRST + timedelta(days=1), AS_OF, LAST - timedelta(days=1), LAST]
DATE = st.one_of(st.sampled_from(EDGE_DATES), st.dates(FIRST, LAST))
AS_OF_DATE = DATE
SCORE = st.one_of(st.none(), st.integers(1, 5))
TEXT = st.sampled_from(["A", "Globex", "ACME [Ltd]", "x" * 60, "Bergmann & Söhne", "{cash_months}"])


def later(draw: Any, start: date) -> date:
    """A date on or after ``start`` (often the same day or the last allowed one)."""
    return draw(st.one_of(st.just(start), st.just(LAST), st.dates(start, LAST)))


def maybe(draw: Any, strategy: st.SearchStrategy[Any]) -> Any:
    return draw(strategy) if draw(st.booleans()) else None


@st.composite
def extreme_document(draw: Any) -> dict[str, Any]:
    """A valid document whose values are drawn to lie at the bounds as often as in between."""
    iso = date.isoformat
    agency: dict[str, Any] = {"name": draw(TEXT)}
    for name in ("monthly_operating_costs", "weekly_capacity_hours"):
        agency[name] = draw(st.one_of(st.none(), AMOUNT))
    agency["normal_lead_time_days"] = draw(DAYS)
    agency["credit_line"] = draw(AMOUNT)
    doc: dict[str, Any] = {"format": model.FORMAT, "version": 1, "agency": agency}
    if draw(st.booleans()):
        doc["settings"] = {
            "disable": draw(st.lists(st.sampled_from(["KEY", "CASH001", "BUSY"]), max_size=2)),
            "params": {"CASH002": {"ideal_months": draw(SIGNED)}, "KEY001": {"share": draw(SIGNED)}},
        }
    cash_dates = draw(st.lists(DATE, max_size=4, unique=True))
    doc["cash"] = [{"date": iso(d), "balance": draw(SIGNED)} for d in cash_dates]
    clients = [f"c-{i}" for i in range(draw(st.integers(0, 3)))]
    doc["clients"] = [
        {
            "id": c,
            "name": draw(TEXT),
            "industry": draw(st.sampled_from(["", "Retail"])),
            "enjoy": draw(SCORE),
            "industry_fit": draw(SCORE),
        }
        for c in clients
    ]
    engagements = []
    for i in range(draw(st.integers(0, 4)) if clients else 0):
        kind = draw(st.sampled_from(model.ENGAGEMENT_KINDS))
        start = draw(DATE)
        engagements.append(
            {
                "id": f"e-{i}",
                "client": draw(st.sampled_from(clients)),
                "kind": kind,
                "start": iso(start),
                "end": iso(later(draw, start)) if draw(st.booleans()) else None,
                "monthly_fee": draw(AMOUNT) if kind == "retainer" else maybe(draw, AMOUNT),
                "price": draw(AMOUNT) if kind == "project" else maybe(draw, AMOUNT),
                "hours_per_week": draw(AMOUNT),
                "billing": draw(st.sampled_from(model.BILLING)),
                "deadline": iso(later(draw, start)) if draw(st.booleans()) else None,
                "rush_fee_pct": draw(AMOUNT),
            }
        )
    doc["engagements"] = engagements
    owner = {e["id"]: e["client"] for e in engagements}
    invoices = []
    for i in range(draw(st.integers(0, 4)) if clients else 0):
        eng = draw(st.sampled_from([None, *owner]))
        issued = draw(DATE)
        invoices.append(
            {
                "id": f"inv-{i}",
                "client": owner[eng] if eng else draw(st.sampled_from(clients)),
                "engagement": eng,
                "issued": iso(issued),
                "amount": draw(SIGNED),
                "due": iso(later(draw, issued)) if draw(st.booleans()) else None,
                "paid": iso(later(draw, issued)) if draw(st.booleans()) else None,
            }
        )
    doc["invoices"] = invoices
    inquiries = []
    for i in range(draw(st.integers(0, 4))):
        received = draw(DATE)
        inquiries.append(
            {
                "id": f"q-{i}",
                "received": iso(received),
                "prospect": draw(TEXT),
                "source": "",
                "status": draw(st.sampled_from(model.INQUIRY_STATUSES)),
                **{
                    name: iso(later(draw, received)) if draw(st.booleans()) else None
                    for name in ("proposal_sent", "decided", "requested_start")
                },
                "deadline": iso(draw(DATE)) if draw(st.booleans()) else None,
                "estimated_value": maybe(draw, AMOUNT),
                "rush_fee_pct": draw(AMOUNT),
                "enjoy": draw(SCORE),
                "industry_fit": draw(SCORE),
                "budget_ok": draw(st.sampled_from([None, True, False])),
            }
        )
    doc["inquiries"] = inquiries
    pairs = draw(st.lists(st.tuples(st.sampled_from(model.JOURNEY_STAGES), TEXT), max_size=4, unique=True))
    doc["journey"] = [{"stage": s, "activity": a} for s, a in pairs]
    doc["actions"] = [
        {
            "id": f"a-{i}",
            "title": draw(TEXT),
            "rule": None,
            "owner": "",
            "steps": [
                {"title": draw(TEXT), "due": maybe(draw, DATE.map(iso)), "done": maybe(draw, DATE.map(iso))}
                for _ in range(draw(st.integers(0, 3)))
            ],
        }
        for i in range(draw(st.integers(0, 2)))
    ]
    keys = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["CASH001", "KEY001", "BUSY001", "DEAL001"]), st.sampled_from(["", "client c-0"])
            ),
            max_size=3,
            unique=True,
        )
    )
    doc["dismissals"] = [
        {
            "rule": r,
            "subject": s,
            "reason": "",
            "until": maybe(draw, DATE.map(iso)),
            "severity": draw(st.sampled_from(["critical", "warning", "info"])),
            "distance": draw(AMOUNT),
            "by": "",
            "on": maybe(draw, DATE.map(iso)),
        }
        for r, s in keys
    ]
    return doc


def _no_constant(name: str) -> Any:
    raise AssertionError(f"the JSON output holds {name}")


def check_advice_runs(data: model.AgencyData, as_of: date) -> None:
    """advise on the data, every output format, and what comes out is sound."""
    advice = RULEBOOK.advise(data, as_of)
    result = advice.metrics
    for name, value in result.values.items():
        if value is None:
            assert result.unknown.get(name), f"{name} is None without a reason"
        elif isinstance(value, float):
            assert math.isfinite(value), (name, value)
    for name, items in result.findings.items():
        for item in items:
            for key, value in item.items():
                assert not (isinstance(value, float) and not math.isfinite(value)), (name, key, value)
    skipped = [w for w in advice.warnings if "could not be evaluated" in w]
    assert not skipped, skipped
    parsed = json.loads(report.render_json(advice), parse_constant=_no_constant)
    assert parsed["as_of"] == as_of.isoformat()
    assert report.render_text(advice, color=False, width=80)
    assert report.render_text(advice, color=True, width=40)
    assert report.render_markdown(advice)


EXTREMES = {  # one document with every number at the top, every date on the last day, and its mirror
    "top": dict(amount=BIGGEST_FLOAT, signed=-BIGGEST_INT, day=LAST),
    "bottom": dict(amount=0, signed=BIGGEST_INT, day=FIRST),
}


def corner_document(amount: Any, signed: Any, day: date) -> dict[str, Any]:
    d = day.isoformat()
    return {
        "format": model.FORMAT,
        "version": 1,
        "agency": {
            "name": "A",
            "monthly_operating_costs": amount,
            "weekly_capacity_hours": amount,
            "normal_lead_time_days": BIGGEST_INT,
            "credit_line": amount,
        },
        "settings": {"disable": [], "params": {"CASH002": {"ideal_months": signed}}},
        "cash": [{"date": d, "balance": signed}],
        "clients": [{"id": "c", "name": "C", "enjoy": 5, "industry_fit": 1}],
        "engagements": [
            {
                "id": "r",
                "client": "c",
                "kind": "retainer",
                "start": d,
                "end": d,
                "monthly_fee": amount,
                "hours_per_week": amount,
                "rush_fee_pct": amount,
            },
            {
                "id": "p",
                "client": "c",
                "kind": "project",
                "start": d,
                "price": amount,
                "deadline": d,
                "hours_per_week": amount,
                "billing": "upfront",
                "rush_fee_pct": amount,
            },
            {"id": "o", "client": "c", "kind": "project", "start": d, "price": amount, "hours_per_week": amount},
        ],
        "invoices": [{"id": "i", "client": "c", "engagement": "r", "issued": d, "amount": signed, "due": d}],
        "inquiries": [
            {
                "id": "q",
                "received": d,
                "prospect": "P",
                "status": "won",
                "decided": d,
                "proposal_sent": d,
                "requested_start": d,
                "deadline": d,
                "estimated_value": amount,
                "rush_fee_pct": amount,
            },
            {"id": "q2", "received": d, "prospect": "P", "status": "new", "estimated_value": amount},
        ],
        "journey": [{"stage": "decision", "activity": "x"}],
        "actions": [{"id": "a", "title": "T", "steps": [{"title": "s", "due": d, "done": None}]}],
        "dismissals": [{"rule": "CASH001", "subject": "", "until": d, "distance": amount, "on": d}],
    }


@SLOWER
@given(doc=extreme_document(), as_of=AS_OF_DATE)
@example(doc=corner_document(**EXTREMES["top"]), as_of=LAST)
@example(doc=corner_document(**EXTREMES["top"]), as_of=FIRST)
@example(doc=corner_document(**EXTREMES["bottom"]), as_of=FIRST)
@example(doc=corner_document(**EXTREMES["bottom"]), as_of=LAST)
@example(
    doc={
        "format": model.FORMAT,
        "version": 1,
        "agency": {"name": "A", "monthly_operating_costs": 0, "weekly_capacity_hours": 0},
    },
    as_of=LAST,
)
@example(
    doc={
        "format": model.FORMAT,
        "version": 1,
        "agency": {"name": "A", "monthly_operating_costs": 5e-324, "weekly_capacity_hours": 5e-324},
        "cash": [{"date": "1900-01-01", "balance": BIGGEST_FLOAT}],
    },
    as_of=FIRST,
)
def test_a_valid_document_at_the_bounds_runs_through_advise_in_every_format(doc: dict[str, Any], as_of: date) -> None:
    parts = validate_or_explain(doc)
    assert parts is not None, "the strategy builds valid documents only"
    note(f"as of {as_of}")
    check_advice_runs(model.build(parts), as_of)


@FAST
@given(doc=well_typed_document(), as_of=AS_OF_DATE)
def test_every_valid_well_typed_document_runs_through_advise(doc: dict[str, Any], as_of: date) -> None:
    parts = validate_or_explain(doc)
    if parts is None:
        return  # refused, by name (validate_or_explain checked the problems)
    check_advice_runs(model.build(parts), as_of)


@SLOWER
@given(doc=extreme_document(), as_of=st.one_of(st.none(), AS_OF_DATE))
@example(doc=corner_document(**EXTREMES["top"]), as_of=LAST)
@example(doc=corner_document(**EXTREMES["bottom"]), as_of=FIRST)
def test_a_valid_document_at_the_bounds_loads_in_the_app_workspace(doc: dict[str, Any], as_of: date | None) -> None:
    """What the app does at start and at every reload: a Workspace loads the data file and
    computes the advice (as_of None: today's date, as the app runs by default)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "agency.json"
        Store(path).import_document(doc, replace=True)
        ws = Workspace(Store(path, user="prop"), RULEBOOK, as_of=as_of)
        ws.load()
        assert ws.advice is not None and ws.data == model.build(model.validate_document(doc))
        assert ws.recompute() is not None
        if as_of is not None:
            check_advice_runs(ws.data, as_of)


@pytest.mark.parametrize("as_of", [FIRST, LAST], ids=str)
@pytest.mark.parametrize("corner", sorted(EXTREMES))
async def test_the_app_shows_every_screen_of_a_document_at_the_bounds(tmp_path: Path, corner: str, as_of: date) -> None:
    """The app on the corner documents: every screen (keys 1 to 0) draws its numbers and dates;
    an exception in the app would be raised by run_test."""
    from textual.widgets import Static

    from tui_advisor.ui.app import AdvisorApp
    from waiting import wait_until

    path = tmp_path / "agency.json"
    Store(path).import_document(corner_document(**EXTREMES[corner]), replace=True)
    ws = Workspace(Store(path), RULEBOOK, as_of=as_of)
    ws.load()
    app = AdvisorApp(ws)
    async with app.run_test(size=(100, 40)) as pilot:
        score = str(app.screen.query_one("#score", Static).render())
        assert f"as of {as_of.isoformat()}" in score, score
        for key in "234567890":
            screen = app.screen
            await pilot.press(key)
            await wait_until(
                pilot, lambda screen=screen: app.screen is not screen, f"the screen of key {key}", timeout=30
            )
        await pilot.press("1")
        await wait_until(pilot, lambda: app.screen.query("#score"), "the dashboard again", timeout=30)
    assert app.return_code in (None, 0)
