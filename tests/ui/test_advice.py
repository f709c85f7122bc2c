"""The advice screen: the recommendations most urgent first, the detail behind one, and
what the team does with it: an action item with weekly steps, a dismissal with a reason
(until the numbers get worse), a snooze until a date.

What the app stores is checked in the data file itself (a fresh Store on its path),
not only in the app's memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from textual.widgets import DataTable, Input, Static

from tui_advisor import model
from tui_advisor.engine.advise import Recommendation
from tui_advisor.engine.rules import PILLARS, SEVERITIES
from tui_advisor.report import number_text
from tui_advisor.store import Store
from tui_advisor.ui.app import AdvisorApp
from tui_advisor.ui.screens.advice import AdviceScreen
from tui_advisor.ui.screens.dialogs import ReasonScreen
from tui_advisor.ui.screens.form import FormScreen
from tui_advisor.ui.screens.records import RecordsScreen
from waiting import wait_until

AS_OF = date(2026, 11, 26)
SIZE = (120, 40)
RUSH = "DEAL001|inquiry Brightwave Telecom (received 2026-11-23)"  # the demo's rush-fee warning
CASH = "CASH002|"  # "Cash covers 4.0 months of costs: build toward 6", the first


# --------------------------------------------------------------------------- helpers


async def open_advice(pilot: Any) -> AdviceScreen:
    await pilot.press("2")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, AdviceScreen), "the advice screen")
    return pilot.app.screen


def table(screen: AdviceScreen) -> DataTable:
    return screen.query_one("#advice", DataTable)


def rows(screen: AdviceScreen) -> list[list[str]]:
    t = table(screen)
    return [[str(cell) for cell in t.get_row_at(i)] for i in range(t.row_count)]


def row_keys(screen: AdviceScreen) -> list[str]:
    t = table(screen)
    return [t.coordinate_to_cell_key((i, 0)).row_key.value for i in range(t.row_count)]


def detail(screen: AdviceScreen) -> str:
    return str(screen.query_one("#detail", Static).render())


def info(screen: AdviceScreen) -> str:
    return str(screen.query_one("#advice-info", Static).render())


def key_of(rec: Recommendation) -> str:
    return f"{rec.rule}|{rec.subject or ''}"


async def select(pilot: Any, screen: AdviceScreen, key: str) -> Recommendation:
    """Move the cursor with the arrow keys to the recommendation ``key``."""
    keys = row_keys(screen)
    assert key in keys, f"{key} is not listed"
    await pilot.press("home")
    for _ in range(keys.index(key)):
        await pilot.press("down")
    await pilot.pause()
    rec = screen.selected()
    assert rec is not None and key_of(rec) == key
    return rec


def stored(app: AdvisorApp) -> model.AgencyData:
    """What the data file holds now (read fresh, as another process would)."""
    return Store(app.workspace.store.path).load()


async def answer_reason(pilot: Any, reason: str) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, ReasonScreen), "the reason dialog")
    assert app.focused is app.screen.query_one("#reason", Input)
    await pilot.press(*reason)
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen), "the dialog to close")
    await pilot.pause()
    await wait_until(pilot, lambda: not app.writing, "the dismissal to be stored (in a thread)")


# --------------------------------------------------------------------------- the list and the detail


async def test_recommendations_are_listed_in_priority_order(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        screen = await open_advice(pilot)
        recs = pilot.app.workspace.advice.recommendations
        shown = rows(screen)
        n = len(recs)
        assert len(shown) == n >= 10
        assert [r[0] for r in shown] == [str(i) for i in range(1, n + 1)]
        assert [r[3] for r in shown] == [rec.title for rec in recs]
        assert row_keys(screen) == [key_of(rec) for rec in recs]
        # most severe first; within a severity the guide's order of urgency (cash, key client, busy,
        # recurring, inquiries, deals, journey, execution); within a pillar farthest past the threshold
        assert {r[1] for r in shown} == {"WARNING", "INFO"}
        ranks = [(-SEVERITIES[r.severity], -PILLARS[r.pillar]["weight"], -min(1.0, r.distance)) for r in recs]
        assert ranks == sorted(ranks)
        # the demo's warnings: cash first, then its key client, whose work (36% of the work running
        # today) ends on 2026-12-31: revenue to replace, not a critical "reduce key-client risk"
        assert [r[2] for r in shown[:2]] == ["Cash", "Key client"]
        assert shown[0][1:] == ["WARNING", "Cash", "Cash covers 4.0 months of costs: build toward 6"]
        assert shown[1][1:] == [
            "WARNING",
            "Key client",
            "Kestrel Aviation Training's work ends on 2026-12-31: 36% of the running work to replace",
        ]
        assert f"{n} recommendations, most urgent first" in info(screen)
        assert "h dismissed (0)" in info(screen)


async def test_critical_comes_before_warning_and_info(make_app: Callable[[str], AdvisorApp]) -> None:
    async with make_app("cash_strapped").run_test(size=SIZE) as pilot:
        screen = await open_advice(pilot)
        ranks = [SEVERITIES[r[1].lower()] for r in rows(screen)]
        assert ranks == sorted(ranks, reverse=True)
        assert rows(screen)[0][1] == "CRITICAL"
        assert rows(screen)[0][2] == "Cash"


async def test_moving_the_cursor_shows_the_detail(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        screen = await open_advice(pilot)
        recs = pilot.app.workspace.advice.recommendations
        assert pilot.app.focused is table(screen)
        assert detail(screen).startswith(recs[0].title + "\n")

        at = [key_of(r) for r in recs].index(RUSH)  # after the cash, key-client, busy, ... warnings
        assert at >= 2
        await pilot.press(*["down"] * at)
        await pilot.pause()
        rec = recs[at]
        assert key_of(rec) == RUSH
        text = detail(screen)
        lines = text.split("\n")
        assert lines[0] == "Charge a rush fee on Brightwave Telecom: they want to start 8 days after asking"
        assert lines[1] == "WARNING  DEAL001 charge-rush-fee · Deals: decline and rush fees · guide G7"
        assert rec.message in text
        # the numbers, the guide item, the rationale, the actions
        # labels and units, not variable names
        assert "The numbers: lead time days 14 days, notice days 8 days, rush fee pct 0, rushed 1" in text
        assert "Why: " + rec.rationale in text
        assert "What to do:" in text
        for action in rec.actions:
            assert f" • {action}" in text
        assert text.rstrip().endswith(rec.actions[-1])

        await pilot.press("up")
        await pilot.pause()
        above = recs[at - 1]
        assert detail(screen).startswith(above.title + "\n")
        assert f"{above.rule} {above.name} · " in detail(screen)
        assert f"guide {above.source}" in detail(screen)


# --------------------------------------------------------------------------- to action


async def test_t_turns_a_recommendation_into_an_action_item_with_weekly_steps(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        screen = await open_advice(pilot)
        rec = await select(pilot, screen, CASH)
        assert len(rec.actions) == 3
        before = len(stored(app).actions)

        await pilot.press("t")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, FormScreen) and len(app.screen.query(".field-row")) == len(app.screen.fields)
            ),
            "the action form",
        )
        form = app.screen
        assert form.query_one("#f-title", Input).value == rec.title == "Cash covers 4.0 months of costs: build toward 6"
        assert form.query_one("#f-owner", Input).value == ""
        form.query_one("#f-owner", Input).focus()
        await pilot.press(*"Sam")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen), "the form to close")

        actions = stored(app).actions
        assert len(actions) == before + 1
        item = next(a for a in actions if a.rule == "CASH002")
        assert item.title == rec.title
        assert item.owner == "Sam"
        assert [s.title for s in item.steps] == rec.actions
        assert [s.due for s in item.steps] == [
            AS_OF + timedelta(weeks=1),
            AS_OF + timedelta(weeks=2),
            AS_OF + timedelta(weeks=3),
        ]
        assert [s.due.isoformat() for s in item.steps] == ["2026-12-03", "2026-12-10", "2026-12-17"]
        assert all(s.done is None for s in item.steps)
        # and the raw file says the same (one week apart, in the interchange form)
        raw = json.loads(app.workspace.store.path.read_text(encoding="utf-8"))
        raw_item = next(a for a in raw["actions"].values() if a["rule"] == "CASH002")
        assert [s["due"] for s in raw_item["steps"]] == ["2026-12-03", "2026-12-10", "2026-12-17"]

        # the actions screen shows it, with its next step
        await pilot.press("0")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordsScreen), "the actions screen")
        t = app.screen.query_one("#records", DataTable)
        listed = [[str(c) for c in t.get_row_at(i)] for i in range(t.row_count)]
        row = next(r for r in listed if r[0] == rec.title)
        assert row[1:3] == ["Sam", "0/3"]
        assert row[3] == f"2026-12-03 {rec.actions[0]}"


async def test_t_with_a_changed_title_and_escape(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        screen = await open_advice(pilot)
        await select(pilot, screen, RUSH)
        before = len(stored(app).actions)
        # escape: nothing stored
        await pilot.press("t")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, FormScreen) and len(app.screen.query(".field-row")) == len(app.screen.fields)
            ),
            "the action form",
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen), "the form to close")
        assert len(stored(app).actions) == before
        # an emptied title is refused in words, then a new one is kept
        await pilot.press("t")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, FormScreen) and len(app.screen.query(".field-row")) == len(app.screen.fields)
            ),
            "the action form",
        )
        app.screen.query_one("#f-title", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "Action is required" in str(app.screen.query_one("#hint-title", Static).render())
        app.screen.query_one("#f-title", Input).value = "Add a rush fee to the Brightwave proposal"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen), "the form to close")
        item = next(a for a in stored(app).actions if a.rule == "DEAL001")
        assert item.title == "Add a rush fee to the Brightwave proposal"
        assert len(item.steps) == 2


# --------------------------------------------------------------------------- dismiss, show dismissed, undo


async def test_x_dismisses_with_a_reason_and_h_shows_it_again(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        screen = await open_advice(pilot)
        rec = await select(pilot, screen, RUSH)

        # escape on the question: nothing happens
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ReasonScreen), "the reason dialog")
        assert rec.title in str(app.screen.query_one(".dialog-text").render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen), "the dialog to close")
        assert stored(app).dismissals == []
        assert RUSH in row_keys(screen)
        before = len(rows(screen))

        await pilot.press("x")
        await answer_reason(pilot, "they agreed to the normal start date")
        # hidden from the list, the rest renumbered
        assert RUSH not in row_keys(screen)
        n = before - 1
        assert len(rows(screen)) == n >= 9
        assert [r[0] for r in rows(screen)] == [str(i) for i in range(1, n + 1)]
        assert f"{n} recommendations" in info(screen)
        assert "h dismissed (1)" in info(screen)
        # stored in the data file's dismissals
        (d,) = stored(app).dismissals
        assert (d.rule, d.subject) == ("DEAL001", "inquiry Brightwave Telecom (received 2026-11-23)")
        assert d.reason == "they agreed to the normal start date"
        assert d.until is None
        assert d.severity == "warning"
        assert d.distance == rec.distance
        assert d.on == AS_OF
        # the dashboard does not count it either
        assert len(app.workspace.advice.recommendations) == n

        # h: the dismissed ones
        await pilot.press("h")
        await pilot.pause()
        assert row_keys(screen) == [RUSH]
        assert "Dismissed or snoozed: 1" in info(screen)
        assert detail(screen).startswith(rec.title)
        # why, who and when (the reason typed, the OS user, today)
        who = app.workspace.user
        assert f"Dismissed by {who} on {AS_OF.isoformat()}: they agreed to the normal start date" in detail(screen)
        # x there shows it again
        await pilot.press("x")
        await pilot.pause()
        await wait_until(pilot, lambda: not app.writing, "the change to be stored (in a thread)")
        assert stored(app).dismissals == []
        assert row_keys(screen) == []
        assert "Nothing here." in detail(screen)
        await pilot.press("h")
        await pilot.pause()
        assert RUSH in row_keys(screen)
        assert len(rows(screen)) == before
        assert "h dismissed (0)" in info(screen)


async def test_z_snoozes_until_a_date(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        screen = await open_advice(pilot)
        rec = await select(pilot, screen, CASH)

        await pilot.press("z")
        await wait_until(pilot, lambda: isinstance(app.screen, ReasonScreen), "the snooze dialog")
        dialog = app.screen
        until = dialog.query_one("#until", Input)
        assert until.value == "2026-12-10"  # two weeks from today by default
        await pilot.press(*"after the year-end invoices")
        # a date that does not exist is refused in words; the dialog stays
        until.value = "31-02-2027"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "31-02-2027 is not a real date" in str(dialog.query_one("#reason-error", Static).render())
        until.value = "31-12-2026"  # day-month-year is read too
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen), "the dialog to close")
        await pilot.pause()

        assert CASH not in row_keys(screen)
        (d,) = stored(app).dismissals
        assert (d.rule, d.subject, d.reason, d.until) == (
            "CASH002",
            "",
            "after the year-end invoices",
            date(2026, 12, 31),
        )
        await pilot.press("h")
        await pilot.pause()
        assert row_keys(screen) == [CASH]
        who = app.workspace.user
        assert f"Snoozed until 2026-12-31 by {who} on 2026-11-26: after the year-end invoices" in detail(screen)
        await pilot.press("h")
        await pilot.pause()

        # on the snooze's date, it is back (the numbers did not change)
        ws = app.workspace
        ws.fixed_as_of = date(2026, 12, 30)
        ws.recompute()
        app.data_changed()
        await pilot.pause()
        assert CASH not in row_keys(screen)
        ws.fixed_as_of = date(2026, 12, 31)
        ws.recompute()
        app.data_changed()
        await pilot.pause()
        assert CASH in row_keys(screen)
        assert rec.title in [r[3] for r in rows(screen)]


async def test_a_dismissed_recommendation_comes_back_when_its_numbers_get_worse(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        ws = app.workspace
        screen = await open_advice(pilot)
        await select(pilot, screen, CASH)
        await pilot.press("x")
        await answer_reason(pilot, "the big invoice is paid next week")
        assert CASH not in row_keys(screen)
        assert stored(app).dismissals[0].distance == round(2 / 6, 6)  # 4.0 of 6 months

        # a little less cash (3.94 months): not worse enough to show again
        little_less = model.CashEntry(date=AS_OF, balance=134000)
        ws.save("cash", little_less)
        app.data_changed()
        await pilot.pause()
        assert CASH not in row_keys(screen)
        assert len(ws.advice.hidden) == 1

        # clearly less (3.4 months): it is back, with today's numbers
        much_less = model.CashEntry(date=AS_OF, balance=115600)
        ws.save("cash", much_less, original=little_less)
        app.data_changed()
        await pilot.pause()
        assert CASH in row_keys(screen)
        back = next(r for r in rows(screen) if r[3].startswith("Cash covers"))
        assert back[3] == "Cash covers 3.4 months of costs: build toward 6"
        assert ws.advice.hidden == []
        # the dismissal is still stored: it hides the recommendation again if the cash recovers
        assert len(stored(app).dismissals) == 1
        ws.save("cash", model.CashEntry(date=AS_OF, balance=136000), original=much_less)
        app.data_changed()
        await pilot.pause()
        assert CASH not in row_keys(screen)


async def test_a_dismissed_recommendation_comes_back_through_the_forms(demo_app: AdvisorApp) -> None:
    """The same, the way a person does it: a lower balance typed into the cash form."""
    async with demo_app.run_test(size=SIZE) as pilot:
        app = pilot.app
        screen = await open_advice(pilot)
        await select(pilot, screen, CASH)
        await pilot.press("x")
        await answer_reason(pilot, "fine for now")
        await pilot.press("4", "a")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, FormScreen) and len(app.screen.query(".field-row")) == len(app.screen.fields)
            ),
            "the cash form",
        )
        app.screen.query_one("#f-balance", Input).focus()
        await pilot.press(*"110 000")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordsScreen), "the cash table")
        await pilot.press("2")
        await wait_until(pilot, lambda: app.screen is screen, "the advice screen")
        # 110,000 / 34,000 = 3.2 months: further from the six months than when dismissed
        assert CASH in row_keys(screen)
        assert "Cash covers 3.2 months of costs: build toward 6" in [r[3] for r in rows(screen)]


async def test_a_snooze_date_that_has_passed_is_not_taken_for_a_snooze(demo_app: AdvisorApp) -> None:
    async with demo_app.run_test(size=SIZE, notifications=True) as pilot:
        app = pilot.app
        screen = await open_advice(pilot)
        rec = await select(pilot, screen, CASH)
        await pilot.press("z")
        await wait_until(pilot, lambda: isinstance(app.screen, ReasonScreen), "the snooze dialog")
        await pilot.press(*"until last week")
        app.screen.query_one("#until", Input).value = "2026-11-20"
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        said_snoozed = any(n.message == "Snoozed." for n in app._notifications)
        still_listed = key_of(rec) in row_keys(screen)
        assert not (said_snoozed and still_listed), "it says 'Snoozed.' but the recommendation is still listed"
        assert all(d.until is None or d.until > AS_OF for d in stored(app).dismissals)


async def test_the_numbers_read_thresholds_as_thresholds(make_app: Callable[[str], AdvisorApp]) -> None:
    """The cash-strapped sample's most urgent advice is the cash one: its parameters read as the
    guide's thresholds ('minimum 3 months'), not as names ('min months 3 months')."""
    async with make_app("cash_strapped").run_test(size=SIZE) as pilot:
        screen = await open_advice(pilot)
        recs = pilot.app.workspace.advice.recommendations
        cash = next(r for r in recs if r.rule in ("CASH001", "CASH002"))
        await select(pilot, screen, key_of(cash))
        text = detail(screen)
        numbers = next(line for line in text.split("\n") if line.startswith("The numbers: "))
        assert "minimum 3 months" in numbers
        assert "min months" not in numbers
        assert number_text("cash_months", cash.numbers["cash_months"]) in numbers  # a metric keeps its name
