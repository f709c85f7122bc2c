"""The dashboard's trends and overdue steps (Pilot): each pillar card says its change since the last
month end (as `advise --as-of` that month end says, run as a subprocess) and since the last closed
review (its stored scores; the closing time shown in the local zone); overdue steps are listed."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from textual.widgets import Static

from tui_advisor import paths
from tui_advisor.engine.advise import INDEPENDENCE
from tui_advisor.store import Store
from tui_advisor.ui.app import AdvisorApp
from tui_advisor.workspace import Workspace, load_rulebook, read_document

from .conftest import plain

SIZE = (120, 40)
TODAY = date(2026, 12, 5)


def _app(tmp_path, doc=None, as_of=TODAY) -> AdvisorApp:
    store = Store(tmp_path / "agency.json")
    store.import_document(doc or read_document(paths.sample_file("demo")), replace=True)
    ws = Workspace(store, load_rulebook(), as_of=as_of)
    ws.load()
    return AdvisorApp(ws)


def _card(app, pillar) -> str:
    return plain(app.screen.query_one(f"#card-{pillar}", Static).render())


def _pillars_as_of(day: date) -> dict[str, int | None]:
    proc = subprocess.run(
        [sys.executable, "-m", "tui_advisor", "advise", "--demo", "--as-of", day.isoformat(), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return {p: v["score"] for p, v in json.loads(proc.stdout)["pillars"].items()}


def _words(now: int | None, then: int | None, since: str) -> str:
    if now is None or then is None:
        return f"? since {since}"
    d = now - then
    return f"{'▲' if d > 0 else '▼' if d < 0 else '='} {'+' if d > 0 else '−' if d < 0 else ''}{abs(d)} since {since}"


async def test_each_card_shows_its_change_since_the_last_month_end(tmp_path, driver) -> None:
    then = _pillars_as_of(date(2026, 11, 30))
    now = _pillars_as_of(TODAY)
    assert any(now[p] != then[p] for p in INDEPENDENCE)  # the demo's numbers moved: a real trend to show
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.wait_until(lambda: "since Nov" in _card(app, "cash"), "the trends after the first frame", 15)
        for pillar in INDEPENDENCE:
            assert _words(now[pillar], then[pillar], "Nov") in _card(app, pillar), (pillar, _card(app, pillar))
        note = plain(app.screen.query_one("#trend-note", Static).render())
        assert "the month end 2026-11-30 (Nov)" in note
        assert "since review" not in _card(app, "cash")  # no closed review yet


async def test_a_change_is_followed_by_new_trends(tmp_path, driver) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.wait_until(lambda: "since Nov" in _card(app, "cash"), "the trends", 15)
        before = _card(app, "cash").splitlines()[-1]
        ws = app.workspace
        from tui_advisor import model

        # almost no cash left today: the cash score falls, the month end's stays
        ws.plan_save("cash", model.CashEntry(date=date(2026, 12, 4), balance=1000)).now()
        app.data_changed()

        def trend() -> str:
            last = _card(app, "cash").splitlines()[-1]
            return last if last.endswith("since Nov") and last != before else ""

        await ui.wait_until(trend, "the trends recomputed", 15)
        then = _pillars_as_of(date(2026, 11, 30))["cash"]
        now = app.workspace.advice.pillars["cash"].score
        assert now < then
        assert trend() == _words(now, then, "Nov")


async def test_a_closed_review_gives_a_change_since_review_and_its_local_time(tmp_path, driver, local_zone) -> None:
    local_zone("America/New_York")
    doc = json.loads(paths.sample_file("demo").read_text(encoding="utf-8"))
    doc["reviews"] = [
        {
            "id": "rv-0001",
            "started": "2026-11-16T14:00:00Z",
            "by": "eva",
            "leader": "eva",
            "as_of": "2026-11-16",
            "closed": "2026-11-16T15:30:00Z",
            "attendees": ["eva", "daan"],
            "score": 50,
            "pillars": {"cash": 30.4, "key_client": 99, "busy": None, "inquiries": 20, "recurring": 48},
        }
    ]
    src = tmp_path / "with-review.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    app = _app(tmp_path, read_document(src))
    now = _pillars_as_of(TODAY)
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.wait_until(lambda: "since Nov" in _card(app, "cash"), "the trends", 15)
        assert _words(now["cash"], 30, "review") in _card(app, "cash")
        assert _words(now["key_client"], 99, "review") in _card(app, "key_client")
        assert "? since review" in _card(app, "busy")  # not known at the review: no change, never 0
        note = plain(app.screen.query_one("#trend-note", Static).render())
        assert "the review rv-0001 of 2026-11-16 (closed 2026-11-16 10:30 EST)" in note


async def test_overdue_steps_on_the_dashboard(tmp_path, driver, monkeypatch) -> None:
    monkeypatch.setenv("LOGNAME", "eva")
    monkeypatch.setenv("USER", "eva")
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await pilot.pause()
        panel = app.screen.query_one("#overdue", Static)
        assert panel.display
        text = plain(panel.render())
        lines = text.splitlines()
        assert lines[0].startswith("Overdue steps: 4, 4 of them yours")
        assert lines[1].strip() == "2026-11-27 Eva, 8 days late  Send the first proposal"  # who and how late first
        assert lines[3].strip() == "2026-12-04 Eva, 1 day late  Review and adjust"
        assert lines[4].strip() == "and 1 more"
        # ticking them off (done) empties the panel
        ws = app.workspace
        from dataclasses import replace

        for action in list(ws.data.actions):
            steps = [replace(s, done=s.done or TODAY) for s in action.steps]
            ws.plan_save("actions", replace(action, steps=steps), original=action).now()
        app.data_changed()
        await ui.wait_until(lambda: not panel.display, "the overdue panel to go")


async def test_no_overdue_panel_on_the_demos_own_date(tmp_path, driver) -> None:
    app = _app(tmp_path, as_of=date(2026, 11, 26))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#overdue", Static).display


async def test_a_dismissed_critical_is_counted_on_the_dashboard(tmp_path, driver) -> None:
    doc = json.loads(paths.sample_file("cash_strapped").read_text(encoding="utf-8"))
    doc["dismissals"] = [{"rule": "CASH001", "reason": "loan signed", "severity": "critical", "distance": 1.0}]
    src = tmp_path / "dismissed.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    app = _app(tmp_path, read_document(src), as_of=date(2026, 11, 26))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        top = plain(app.screen.query_one("#top", Static).render()).splitlines()[0]
        assert "1 dismissed or snoozed, 1 critical: h there" in top, top
        assert [r.rule for r in app.workspace.advice.hidden] == ["CASH001"]


async def test_overdue_steps_are_one_line_each_at_80_columns(tmp_path, driver, monkeypatch) -> None:
    """A long step title is cut at the edge (not wrapped); who and how late come first, so they stay in
    view; the cards are not pushed down."""
    monkeypatch.setenv("LOGNAME", "eva")
    monkeypatch.setenv("USER", "eva")
    doc = read_document(paths.sample_file("demo"))
    step = next(s for a in doc["actions"] for s in a["steps"] if s["title"] == "Send the first proposal")
    step["title"] = "Send the first proposal " + "and follow it up by phone " * 6
    app = _app(tmp_path, doc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("#overdue", Static)
        assert panel.display
        assert panel.region.height == 5  # the heading, three steps, "and 1 more"
        first = [line for line in plain(panel.render()).splitlines() if "Send the first proposal" in line][0]
        assert first.startswith(" 2026-11-27 Eva, 8 days late  ")  # who and how late before the long title
