"""Pilot tests of the team review in one app: start, the four pages, decisions, closing.

Ann opens the demo agency and presses ``r``: a review starts (stored in the data file, Ann
its leader and first attendee). She steps through the pages with 1-4 and tab/shift+tab,
decides items on the issues page with a/x/z/p (each dialog asks what the decision needs:
an owner and a first step's date, a reason, a date) and n (a note), and closes the review
on the last page. Every decision is checked in the data file, read by a fresh Store, and
the closed review through ``tui-advisor review show`` as a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tui_advisor.store import Store
from tui_advisor.ui.screens.dashboard import DashboardScreen
from tui_advisor.ui.screens.review import ReviewScreen
from ui.review_pilot import AS_OF, Member, app_for, demo_file

SIZES = [(80, 24), (120, 40)]


def first_recommendation(m: Member) -> str:
    """The key of the first issue that is a recommendation (not an off-track pillar)."""
    return next(k for k in m.keys("issues") if not k.startswith("pillar:"))


def recommendations(m: Member) -> list[str]:
    return [k for k in m.keys("issues") if not k.startswith("pillar:")]


def tui(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui_advisor", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_r_starts_a_review_and_the_keys_step_through_its_four_pages(tmp_path: Path, size: tuple) -> None:
    path = demo_file(tmp_path)
    app = app_for(path, "ann")
    async with app.run_test(size=size) as pilot:
        ann = Member(pilot)
        await ann.open_review()
        stored = ann.stored_review()
        assert (stored.id, stored.by, stored.leader, stored.attendees, stored.closed) == (
            "rv-0001",
            "ann",
            "ann",
            ["ann"],
            None,
        )
        assert ann.page == "scorecard"
        assert "Review rv-0001" in ann.head() and "You lead" in ann.head()

        # the scorecard: each pillar now, at the last review (none yet: '-'), its status;
        # an off-track one is marked as going onto the issues list, and is the first issue there
        advice = app.workspace.advice
        rows = ann.rows("scorecard")
        assert set(rows) == set(advice.pillars)
        off = [p for p, ps in advice.pillars.items() if ps.score is not None and ps.score < 50]
        assert off, "the demo agency has an off-track pillar"
        for pillar, cells in rows.items():
            score = advice.pillars[pillar].score
            assert cells[1] == (f"{score:.0f}" if score is not None else "unknown")
            assert cells[2] == "-"  # no review before this one: nothing to compare, not an unknown score
            assert ("off track" in cells[4]) == (pillar in off)
            assert ("→ issues" in cells[4]) == (pillar in off)
        assert f"{len(off)} off track" in ann.info("scorecard")
        assert "a" not in ann.footer_keys()  # the issues page's keys are not shown here

        await ann.press("tab")
        await ann.wait_until(lambda: ann.page == "actions", "tab: the actions page")
        assert "this is the first review" in ann.info("actions")
        await ann.press("tab")
        await ann.wait_until(lambda: ann.page == "issues", "tab: the issues page")
        keys = ann.keys("issues")
        assert sorted(keys[: len(off)]) == sorted(f"pillar:{p}" for p in off)  # the off-track pillars first
        recs = [f"{r.rule}:{r.subject}" if r.subject else r.rule for r in advice.recommendations]
        assert [k for k in keys if not k.startswith("pillar:")] == recs  # the advice's priority order
        assert {"a", "x", "z", "p", "n"} <= ann.footer_keys()
        # everything of the page is on the screen, also at 80x24: the head, the pages, the list, the detail
        screen = ann.review_screen
        width, height = size
        parts = ("#review-head", "#review-pages", "#t-issues", "#box-issues")
        await ann.wait_until(lambda: all(screen.query_one(p).region.height for p in parts), "the page laid out")
        for selector in parts:
            region = screen.query_one(selector).region
            assert region.height > 0 and region.y + region.height <= height - 1 and region.right <= width, selector
        assert screen.query_one("#t-issues").region.height >= 5  # a few issues at once
        assert all(cells[-1] == "open" for cells in ann.rows("issues").values())
        await ann.press("j", "j")
        await ann.wait_until(lambda: ann.cursor() == keys[2], "j j: the third issue")
        await ann.press("k")
        await ann.wait_until(lambda: ann.cursor() == keys[1], "k: the second issue")
        await ann.press("shift+tab")
        await ann.wait_until(lambda: ann.page == "actions", "shift+tab: back to the actions")
        await ann.goto_page("conclude")
        assert "C" in ann.footer_keys() and "a" not in ann.footer_keys()
        assert "Attendees: ann" in ann.detail("conclude")
        await ann.goto_page("scorecard")

        # esc leaves the review (it goes on); r joins it again, nothing new is started
        await ann.press("escape")
        await ann.wait_until(lambda: isinstance(ann.screen, DashboardScreen), "the dashboard")
        await ann.open_review()
        assert [r.id for r in ann.stored().reviews] == ["rv-0001"]


async def test_accept_dismiss_snooze_park_and_a_note_are_stored_with_who_and_when(tmp_path: Path, local_zone) -> None:
    local_zone("Europe/Amsterdam")
    path = demo_file(tmp_path)
    app = app_for(path, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        ann = Member(pilot)
        await ann.open_review()
        await ann.goto_page("issues")
        recs = recommendations(ann)
        accept, dismiss, snooze, park = recs[:4]

        # accept: the owner is the current user unless typed; the first step's due date
        await ann.cursor_to(accept)
        await ann.open_dialog("a")
        assert ann.field("owner") == "ann"
        assert ann.field("due") == "2026-12-03"  # a week after the review's date
        await ann.fill("owner", "sam")
        await ann.fill("due", "7-12-2026")
        await ann.fill("note", "Sam calls the top three prospects")
        await ann.ok()
        review = ann.stored_review()
        d = review.decision(accept)
        assert (d.kind, d.by, d.owner, d.note) == ("accept", "ann", "sam", "Sam calls the top three prospects")
        action = next(a for a in ann.stored().actions if a.id == d.action)
        assert (action.owner, action.review) == ("sam", "rv-0001")
        assert action.steps[0].due == date(2026, 12, 7)
        assert all((b.due - a.due).days == 7 for a, b in zip(action.steps, action.steps[1:], strict=False))
        assert ann.decision_cell(accept) == "accepted (sam)"
        text = ann.detail()
        assert "accepted by ann 2026-12-01" in text or "accepted by ann 20" in text
        assert ("CET" in text or "CEST" in text) and "owner sam" in text and "Note: Sam calls" in text
        assert f"Action {action.id}: {len(action.steps)} weekly steps, the first due 2026-12-07" in text

        # dismiss: a reason is required
        await ann.cursor_to(dismiss)
        await ann.open_dialog("x")
        await ann.ok()
        assert "Reason is required" in ann.dialog_error()
        assert ann.stored_review().decision(dismiss) is None
        row = ann.table("issues").cursor_row
        await ann.fill("reason", "the retainer renewal covers it")
        await ann.ok()
        # a dismissed item leaves the advice, not the issues list: it keeps its place, the cursor on it
        assert ann.keys("issues").index(dismiss) == row and ann.cursor() == dismiss
        d = ann.stored_review().decision(dismiss)
        assert (d.kind, d.reason, d.by) == ("dismiss", "the retainer renewal covers it", "ann")
        dismissal = next(
            x for x in ann.stored().dismissals if (x.rule + (":" + x.subject if x.subject else "")) == dismiss
        )
        assert (dismissal.reason, dismissal.by, dismissal.until) == ("the retainer renewal covers it", "ann", None)
        assert ann.decision_cell(dismiss) == "dismissed by ann"
        assert "“the retainer renewal covers it”" in ann.detail()

        # snooze: until a date after today; a date in the past is refused, naming the field
        await ann.cursor_to(snooze)
        await ann.open_dialog("z")
        assert ann.field("until") == "2026-12-10"
        await ann.fill("until", "2026-11-01")
        await ann.ok()
        assert "Until (date) must be after today (2026-11-26)" in ann.dialog_error()
        await ann.fill("until", "15 jan 2027")
        await ann.ok()
        d = ann.stored_review().decision(snooze)
        assert (d.kind, d.until) == ("snooze", date(2027, 1, 15))
        assert ann.decision_cell(snooze) == "snoozed to 2027-01-15"

        # park: stored as a decision only; then a note on it with n
        before = len(ann.stored().dismissals), len(ann.stored().actions)
        await ann.cursor_to(park)
        await ann.decide("p")
        assert ann.stored_review().decision(park).kind == "park"
        assert (len(ann.stored().dismissals), len(ann.stored().actions)) == before
        await ann.decide("n", note="Back to it when the Q1 numbers are in")
        d = ann.stored_review().decision(park)
        assert (d.kind, d.note) == ("park", "Back to it when the Q1 numbers are in")
        assert ann.decision_cell(park) == "parked by ann"
        assert "Note: Back to it when the Q1 numbers are in" in ann.detail()

        # a note on an item not decided yet: says to decide first, stores nothing
        open_item = recs[4]
        await ann.cursor_to(open_item)
        before_file = path.read_bytes()
        await ann.press("n")
        await ann.wait_until(lambda: any("Decide the item first" in n for n in ann.notifications()), "the hint")
        assert path.read_bytes() == before_file
        assert "4 open" not in ann.info("issues") and f"{len(ann.keys('issues')) - 4} open" in ann.info("issues")


async def test_conclude_shows_the_new_actions_and_closing_stores_the_review_for_review_show(tmp_path: Path) -> None:
    path = demo_file(tmp_path)
    minutes = path.with_name(path.name + ".minutes")
    minutes.mkdir()  # the team made the minutes folder: closing writes the minutes there
    app = app_for(path, "ann")
    async with app.run_test(size=(80, 24)) as pilot:
        ann = Member(pilot)
        await ann.open_review()
        await ann.goto_page("issues")
        first, second = recommendations(ann)[:2]
        await ann.cursor_to(first)
        await ann.decide("a", owner="sam", due="2026-12-04")
        await ann.cursor_to(second)
        await ann.decide("x", reason="not now")

        await ann.goto_page("conclude")
        rows = ann.rows("conclude")
        assert list(rows) == [first]
        title, owner, due = rows[first]
        action = next(a for a in ann.stored().actions if a.review == "rv-0001")
        assert owner == "sam" and due == action.due.isoformat()
        assert "2 decided (1 accepted, 1 dismissed)" in ann.info("conclude")

        await ann.open_dialog("C")
        assert ann.field("attendees") == "ann"
        await ann.fill("attendees", "ann, sam")
        await ann.fill("rating", "11")
        await ann.ok()
        assert "Rating 1-10 (optional) must be a whole number from 1 to 10" in ann.dialog_error()
        await ann.fill("rating", "8")
        await ann.fill("notes", "Short and useful")
        await ann.press("ctrl+s")
        await ann.confirm("y")
        await ann.wait_until(lambda: ann.review_screen.closed, "the review shown closed")
        review = ann.stored_review()
        assert review.closed is not None
        assert (review.attendees, review.rating, review.notes) == (["ann", "sam"], 8, "Short and useful")
        assert {d.item for d in review.decisions} == {first, second}
        assert "tui-advisor review show rv-0001" in ann.head()
        assert {"a", "x", "C", "L"}.isdisjoint(ann.footer_keys())  # nothing to decide on a closed review
        assert sorted(p.name for p in minutes.iterdir()) == ["rv-0001.json", "rv-0001.md"]
        head = " ".join(ann.head().split())
        assert f"Minutes: {minutes / 'rv-0001.md'}, {minutes / 'rv-0001.json'}" in head
        assert "Short and useful" in (minutes / "rv-0001.md").read_text()

    # the closed review, as the command line shows it
    shown = tui("review", "show", "rv-0001", "--format", "json", "--data", str(path), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    doc = json.loads(shown.stdout)
    text = json.dumps(doc)
    assert "rv-0001" in text and "Short and useful" in text and "not now" in text and "sam" in text


async def test_the_last_reviews_actions_carry_over_or_drop_with_the_completion_rate(tmp_path: Path) -> None:
    path = demo_file(tmp_path)
    app = app_for(path, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        ann = Member(pilot)
        await ann.open_review()
        await ann.goto_page("issues")
        first, second = recommendations(ann)[:2]
        for key in (first, second):
            await ann.cursor_to(key)
            await ann.decide("a")
        await ann.goto_page("conclude")
        await ann.open_dialog("C")
        await ann.press("ctrl+s")
        await ann.confirm("y")
        await ann.wait_until(lambda: ann.review_screen.closed, "the first review closed")
        made = {d.item: d.action for d in ann.stored_review().decisions}
        await ann.press("escape")
        await ann.wait_until(lambda: isinstance(ann.screen, DashboardScreen), "the dashboard")

        # between the reviews, every step of the first action is done
        store = Store(path, user="ann")
        data = store.load()
        action = next(a for a in data.actions if a.id == made[first])
        store.put("actions", replace(action, steps=[replace(s, done=AS_OF) for s in action.steps]), action.id)
        await ann.wait_until(
            lambda: all(s.done for a in app.workspace.data.actions if a.id == made[first] for s in a.steps),
            "the app to read the ticked steps",
        )

        await ann.open_review()
        assert ann.stored_review().id == "rv-0002"
        await ann.goto_page("actions")
        rows = ann.rows("actions")
        assert set(rows) == {made[first], made[second]}
        assert rows[made[first]][3] == "done" and rows[made[second]][3] == "not done"
        assert "completion 50% (1 of 2 done)" in ann.info("actions")
        await ann.cursor_to(made[second])
        await ann.press("c")
        await ann.settled()
        await ann.wait_until(lambda: ann.rows("actions")[made[second]][4] == "carried over", "carried over")
        assert ann.stored_review().carried == [made[second]]
        await ann.cursor_to(made[first])
        await ann.press("d")
        await ann.settled()
        await ann.wait_until(lambda: ann.rows("actions")[made[first]][4] == "dropped", "dropped")
        assert ann.stored_review().dropped == [made[first]]
        dropped = next(a for a in ann.stored().actions if a.id == made[first])
        assert dropped.dropped == AS_OF
        # the scorecard compares with the first review now, and says what changed since
        await ann.goto_page("scorecard")
        assert all(cells[2] != "unknown" for cells in ann.rows("scorecard").values() if cells[1] != "unknown")
        await ann.wait_until(lambda: "Since rv-0001 closed" in ann.info("scorecard"), "what changed since (a thread)")
        # (two changes of the actions since rv-0001 closed: the ticked steps, the drop)
        await ann.wait_until(lambda: "2 changes (ann 2)" in " ".join(ann.info("scorecard").split()), "the drop counted")


async def test_the_palette_and_the_review_command_open_the_review(tmp_path: Path) -> None:
    path = demo_file(tmp_path)
    app = app_for(path, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        ann = Member(pilot)
        await ann.started()
        await ann.press("2")  # from another screen: the palette goes to the review
        await ann.press("ctrl+p")
        await pilot.pause(0.2)
        await ann.press(*"Start or join the review")
        await pilot.pause(0.3)
        await ann.press("enter")
        await ann.wait_until(lambda: isinstance(ann.screen, ReviewScreen), "the review from the palette")
        assert app.current_mode == "dashboard"
        await ann.settled()
        assert ann.stored_review().id == "rv-0001"

    # tui-advisor review: the app opens straight on the review under way (joined: sam attends)
    app = app_for(path, "sam", review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        sam = Member(pilot)
        await sam.wait_until(lambda: isinstance(sam.screen, ReviewScreen), "the review at start")
        await sam.settled()
        assert sam.stored_review().attendees == ["ann", "sam"]
        assert "Review rv-0001" in sam.head()
        assert "ann leads" in sam.head()  # ann's app has ended: she is not in it now


async def test_a_read_only_member_cannot_start_a_review(tmp_path: Path) -> None:
    path = demo_file(tmp_path)
    app = app_for(path, "carol", writable=False)
    async with app.run_test(size=(80, 24)) as pilot:
        carol = Member(pilot)
        await carol.started()
        before = path.read_bytes()
        await carol.press("r")
        await carol.wait_until(lambda: any("No review is under way" in n for n in carol.notifications()), "why not")
        assert "read-only" in carol.notifications()[-1]
        assert isinstance(carol.screen, DashboardScreen)
        assert path.read_bytes() == before


async def test_a_planted_link_for_the_minutes_folder_closes_the_review_and_says_the_minutes_were_not_written(
    tmp_path: Path,
) -> None:
    path = demo_file(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    path.with_name(path.name + ".minutes").symlink_to(elsewhere)  # a teammate's link
    app = app_for(path, "ann")
    async with app.run_test(size=(120, 40)) as pilot:
        ann = Member(pilot)
        await ann.open_review()
        await ann.goto_page("conclude")
        await ann.open_dialog("C")
        await ann.press("ctrl+s")
        await ann.confirm("y")
        await ann.wait_until(lambda: ann.review_screen.closed, "the review shown closed")
        assert "The minutes were not written" in " ".join(ann.head().split())
        assert "symbolic link" in " ".join(ann.head().split())
        assert ann.stored_review().closed is not None
    assert list(elsewhere.iterdir()) == []
