"""Pilot tests of a team review with two and three apps on one data file.

Ann, Bob and Carol each have the agency's file open, as three SSH sessions on the team's
server would. Ann starts the review (``r``) and leads; Bob joins. What one does shows in
the others' apps without a key pressed there:

* the leader's page and item, through the presence files beside the data file: the others
  follow unless they step out (a page of their own; ``f`` follows again); ``L`` takes the lead;
* a decision anyone makes, through the data file (each app polls it): the time it takes is
  measured and printed (``pytest -s``), as benchmarks/bench_review_latency.py does at the
  default poll of a second;
* the same item decided twice: the second sees the first's decision ("ann dismissed it ...:
  'not now'") and keeps it or replaces it; nothing is overwritten without that question;
* a read-only member follows and reads, and every key that would decide says why it cannot,
  writing nothing.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

from tui_advisor.ui.screens.review_dialogs import ClashScreen, FieldsDialog
from ui.review_pilot import Member, app_for, demo_file

SIZE = (120, 40)
SHOWS_WITHIN = 2.5  # seconds: a teammate's decision is on screen within this at a poll of 0.1 s (loaded machine)
DELAYS: list[tuple[str, float]] = []  # printed at the end of the module (pytest -s)


@pytest.fixture(scope="module", autouse=True)
def _report_delays():
    yield
    if DELAYS:
        print("\nteammate's review step on screen after (s):")
        for what, delay in DELAYS:
            print(f"  {delay:5.2f}  {what}")
        shown = [d for what, d in DELAYS if what.startswith("a decision")]
        if shown:
            print(f"  decisions: median {statistics.median(shown):.2f} s, max {max(shown):.2f} s over {len(shown)}")


@pytest.fixture
def shared_file(tmp_path: Path) -> Path:
    return demo_file(tmp_path)


async def timed(m: Member, since: float, condition, what: str) -> float:
    """Wait, pressing nothing, until ``condition`` holds in ``m``'s app; the seconds since ``since``."""
    await m.wait_until(condition, what, timeout=SHOWS_WITHIN + 8)
    delay = time.monotonic() - since
    DELAYS.append((what, delay))
    assert delay < SHOWS_WITHIN + 8
    return delay


def recommendations(m: Member) -> list[str]:
    return [k for k in m.keys("issues") if not k.startswith("pillar:")]


async def test_the_others_follow_the_leaders_page_and_item_step_out_and_take_the_lead(shared_file: Path) -> None:
    a, b = app_for(shared_file, "ann"), app_for(shared_file, "bob")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        ann, bob = Member(pa), Member(pb)
        await ann.open_review()
        await bob.open_review()  # joins the one under way
        assert [r.id for r in bob.stored().reviews] == ["rv-0001"]
        assert bob.stored_review().attendees == ["ann", "bob"]
        await bob.wait_until(lambda: "following ann" in bob.head(), "bob follows ann")
        assert "You lead" in ann.head()

        # ann turns to the issues and moves to the third: bob's app goes there by itself
        await ann.goto_page("issues")
        third = ann.keys("issues")[2]
        started = time.monotonic()
        await ann.cursor_to(third)
        await timed(bob, started, lambda: bob.page == "issues" and bob.cursor() == third, "the leader's page and item")

        # bob steps out (a page of his own): ann's moves no longer move him
        await bob.goto_page("scorecard")
        await bob.wait_until(lambda: "not following: f to follow" in bob.head(), "bob stepped out")
        await ann.wait_until(
            lambda: any(h.user == "bob" and not h.following for h in ann.app.here), "ann's app sees bob stepped out"
        )
        await ann.goto_page("conclude")
        await pb.pause(0.5)
        assert bob.page == "scorecard"
        # f: he follows again, and is on ann's page at once
        await bob.press("f")
        await bob.wait_until(lambda: bob.page == "conclude" and "following ann" in bob.head(), "bob follows again")

        # L: bob takes the lead; ann's app follows his page now
        await bob.press("L")
        await bob.settled()
        assert bob.stored_review().leader == "bob"
        await bob.wait_until(lambda: "You lead" in bob.head(), "bob leads")
        await ann.wait_until(lambda: "following bob" in ann.head(), "ann follows bob")
        started = time.monotonic()
        await bob.goto_page("actions")
        await timed(ann, started, lambda: ann.page == "actions", "the new leader's page")


async def test_a_decision_anyone_makes_appears_in_the_others_app(shared_file: Path) -> None:
    a, b = app_for(shared_file, "ann"), app_for(shared_file, "bob")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        ann, bob = Member(pa), Member(pb)
        await ann.open_review()
        await bob.open_review()
        await ann.goto_page("issues")
        await bob.wait_until(lambda: bob.page == "issues", "bob on the issues")
        recs = recommendations(ann)
        steps = [("x", {"reason": "covered by the renewal"}, "dismissed by ann"), ("p", {}, "parked by ann")]
        steps += [("a", {"owner": "bob"}, "accepted (bob)"), ("z", {"until": "2027-01-15"}, "snoozed to 2027-01-15")]
        for key, (press, fields, shown) in zip(recs, steps, strict=False):
            await ann.cursor_to(key)
            await ann.open_dialog(press)
            for name, text in fields.items():
                await ann.fill(name, text)
            started = time.monotonic()  # from the key that stores it
            await ann.press("ctrl+s")
            await ann.settled()
            await timed(
                bob, started, lambda key=key, shown=shown: bob.decision_cell(key) == shown, f"a decision ({shown})"
            )
        # and the other way round: bob's decision in ann's app, who and when in the detail
        await bob.goto_page("issues")
        key = recs[len(steps)]
        await bob.cursor_to(key)
        await bob.open_dialog("x")
        await bob.fill("reason", "not now")
        started = time.monotonic()
        await bob.press("ctrl+s")
        await bob.settled()
        await timed(ann, started, lambda: ann.decision_cell(key) == "dismissed by bob", "a decision (dismissed by bob)")
        await ann.cursor_to(key)
        assert "dismissed by bob" in ann.detail() and "“not now”" in ann.detail()
        assert "5 decided" in ann.info("conclude")


async def test_the_same_item_decided_twice_asks_the_second_keep_theirs_or_replace(shared_file: Path) -> None:
    a, b = app_for(shared_file, "ann"), app_for(shared_file, "bob")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        ann, bob = Member(pa), Member(pb)
        await ann.open_review()
        await bob.open_review()
        await ann.goto_page("issues")
        await bob.goto_page("issues")
        key = recommendations(ann)[0]
        await ann.cursor_to(key)
        await bob.cursor_to(key)

        # both open a dialog on the item; ann stores first, then bob
        await ann.open_dialog("x")
        await bob.open_dialog("z")
        await ann.fill("reason", "not now")
        await ann.ok()
        await bob.press("ctrl+s")
        await bob.wait_until(lambda: isinstance(bob.screen, ClashScreen), "the clash dialog")
        text = bob.clash_text()
        assert "ann dismissed it" in text and "ago" in text or "just now" in text
        assert "'not now'" in text and "Yours: snoozed until" in text
        d = bob.stored_review().decision(key)
        assert (d.kind, d.by, d.reason) == ("dismiss", "ann", "not now")  # nothing overwritten yet

        # k keeps theirs: nothing is written
        before = shared_file.read_bytes()
        await bob.press("k")
        await bob.wait_until(lambda: not isinstance(bob.screen, (ClashScreen, FieldsDialog)), "the dialog closed")
        await bob.settled()
        assert shared_file.read_bytes() == before
        await bob.wait_until(lambda: bob.decision_cell(key) == "dismissed by ann", "bob's app shows ann's decision")

        # again, and r replaces it with his (on top of hers: no silent overwrite of a third one); both
        # cursors on the item (bob's follows ann's)
        await ann.cursor_to(key)
        await bob.wait_until(lambda: bob.cursor() == key, "bob's cursor follows ann's onto the item")
        await ann.open_dialog("p")
        await bob.open_dialog("a")
        await ann.ok()
        await bob.press("ctrl+s")
        await bob.wait_until(lambda: isinstance(bob.screen, ClashScreen), "the clash dialog, again")
        assert "ann parked it" in bob.clash_text()
        await bob.press("r")
        await bob.wait_until(lambda: not isinstance(bob.screen, ClashScreen), "the clash dialog closed")
        await bob.settled()
        d = bob.stored_review().decision(key)
        assert (d.kind, d.by, d.owner) == ("accept", "bob", "bob")
        await ann.wait_until(lambda: ann.decision_cell(key) == "accepted (bob)", "ann's app shows bob's decision")


async def test_a_read_only_member_follows_and_reads_but_every_decide_key_says_why_not(shared_file: Path) -> None:
    a, b = app_for(shared_file, "ann"), app_for(shared_file, "bob")
    c = app_for(shared_file, "carol", writable=False)
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb, c.run_test(size=(80, 24)) as pc:
        ann, bob, carol = Member(pa), Member(pb), Member(pc)
        await ann.open_review()
        await bob.open_review()
        before = shared_file.read_bytes()
        await carol.open_review()  # joins without writing: she may not
        assert shared_file.read_bytes() == before
        assert "READ-ONLY" in carol.head()
        await carol.wait_until(lambda: "following ann" in carol.head(), "carol follows ann")
        await ann.wait_until(
            lambda: any(h.user == "carol" and h.read_only and h.review == "rv-0001" for h in ann.app.here),
            "ann's app sees carol, read-only, in the review",
        )

        # she follows the leader onto the issues, and sees bob's decision
        await ann.goto_page("issues")
        key = recommendations(ann)[0]
        await ann.cursor_to(key)
        await carol.wait_until(lambda: carol.page == "issues" and carol.cursor() == key, "carol on ann's item")
        await bob.goto_page("issues")
        await bob.cursor_to(key)
        await bob.decide("x", reason="not now")
        await carol.wait_until(lambda: carol.decision_cell(key) == "dismissed by bob", "bob's decision at carol's")

        # every key that would decide: a message saying why, nothing written
        before = shared_file.read_bytes()
        for press in ("a", "x", "z", "p", "n", "L"):
            count = len(carol.notifications())
            await carol.press(press)
            await carol.wait_until(lambda count=count: len(carol.notifications()) > count, f"{press}: why not")
            message = carol.notifications()[-1]
            assert "read-only" in message and "you can follow and read the review, but not" in message, message
            assert not isinstance(carol.screen, FieldsDialog)
        await ann.goto_page("actions")
        await carol.wait_until(lambda: carol.page == "actions", "carol on the actions")
        await ann.goto_page("conclude")
        await carol.wait_until(lambda: carol.page == "conclude", "carol on the conclusion")
        count = len(carol.notifications())
        await carol.press("C")
        await carol.wait_until(lambda: len(carol.notifications()) > count, "C: why not")
        assert "not close the review" in carol.notifications()[-1]
        assert shared_file.read_bytes() == before


async def test_closing_in_one_app_shows_the_review_closed_in_the_others(shared_file: Path) -> None:
    a, b = app_for(shared_file, "ann"), app_for(shared_file, "bob")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        ann, bob = Member(pa), Member(pb)
        await ann.open_review()
        await bob.open_review()
        await ann.goto_page("conclude")
        await bob.wait_until(lambda: bob.page == "conclude", "bob follows onto the conclusion")
        await ann.open_dialog("C")
        assert set(ann.field("attendees").split(", ")) == {"ann", "bob"}  # from who is in the review
        await ann.press("ctrl+s")
        started = time.monotonic()
        await ann.confirm("y")
        await timed(bob, started, lambda: bob.review_screen.closed, "the review closed in the other app")
        assert "Closed" in bob.head() and "tui-advisor review show rv-0001" in bob.head()
        assert {"C", "a", "x"}.isdisjoint(bob.footer_keys())
        assert bob.stored_review().attendees == ["ann", "bob"]


async def test_a_session_claiming_to_lead_is_not_followed_unless_it_is_the_leader(shared_file: Path) -> None:
    from tui_advisor.workspace.presence import Presence

    a = app_for(shared_file, "ann")
    async with a.run_test(size=SIZE) as pa:
        ann = Member(pa)
        await ann.open_review()  # ann leads, then leaves the review screen (the review goes on)
        await ann.press("escape")
    b = app_for(shared_file, "bob")
    async with b.run_test(size=SIZE) as pb:
        bob = Member(pb)
        await bob.open_review()
        assert "ann leads, not in the review now" in bob.head()
        # mallory's session says it leads this review, on the conclusion, at a crafted item
        mallory = Presence(shared_file, "mallory")
        mallory.announce(review="rv-0001", page="conclude", item="\x1b]0;x\x07", leading=True)
        await bob.wait_until(lambda: any(h.user == "mallory" for h in bob.app.here), "bob's app sees mallory")
        await pb.pause(0.5)
        assert bob.page == "scorecard" and "ann leads, not in the review now" in bob.head()
        mallory.leave()
