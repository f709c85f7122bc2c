"""Pilot tests of "who is here": two and three apps on one data file see each other.

Ann, Bob and Carol open the same agency file, as three SSH sessions would (each their own
Store with their own user name: one OS account here, so each presence file's claimed
name is shown; tests/unit/test_presence.py covers the owner's name). Each app's poll
writes its heartbeat beside the data file and reads the others'; the line under the
header says who else is here. Carol may not write the file: she is shown read-only.
Whoever quits (q) disappears from the others' line. Nothing sleeps a fixed time: every
step waits for what it causes.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
from textual._context import active_app
from textual.pilot import Pilot

from tui_advisor import paths
from tui_advisor.store import Store
from tui_advisor.ui.app import AdvisorApp
from tui_advisor.ui.screens.base import AdvisorScreen
from tui_advisor.ui.widgets.presence import PresenceBar
from tui_advisor.workspace import Workspace, load_rulebook, read_document
from tui_advisor.workspace.presence import presence_dir, read_sessions
from waiting import wait_until

from .conftest import AS_OF, MODE_KEYS, plain

SIZE = (120, 40)


@pytest.fixture
def shared_file(tmp_path: Path) -> Path:
    path = tmp_path / "agency.json"
    Store(path).import_document(read_document(paths.sample_file("demo")), replace=True)
    return path


def app_for(path: Path, user: str, *, writable: bool = True) -> AdvisorApp:
    """One teammate's session on the shared file (their own Store: their user name)."""
    store = Store(path, user=user)
    if not writable:  # a member without write permission on the data file
        store.writable = lambda: False  # type: ignore[method-assign]
    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    return AdvisorApp(ws, poll_seconds=0.1)


class Member:
    """One teammate's app under Pilot: every step makes it the active app first (Textual finds
    "the app" through a context variable that the app entered last would otherwise answer)."""

    def __init__(self, pilot: Pilot) -> None:
        self.pilot = pilot
        self.app: AdvisorApp = pilot.app  # type: ignore[assignment]

    async def wait_until(self, condition: Callable[[], object], what: str, timeout: float = 8.0) -> None:
        def check() -> object:
            active_app.set(self.app)
            return condition()

        try:
            await wait_until(self.pilot, check, what, timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the line reads {self.line()!r}") from None

    async def press(self, *keys: str) -> None:
        active_app.set(self.app)
        await self.pilot.press(*keys)

    def line(self) -> str:
        """The "who is here" line of the screen shown ('' when it is hidden)."""
        active_app.set(self.app)
        bar = self.app.screen.query_one(PresenceBar)
        return plain(bar.render()) if bar.display else ""

    async def shows(self, line: str) -> None:
        await self.wait_until(lambda: self.line() == line, f"{self.app.workspace.user}'s line to read {line!r}")

    async def goto(self, mode: str) -> None:
        await self.press(MODE_KEYS[mode])
        await self.wait_until(
            lambda: self.app.current_mode == mode and isinstance(self.app.screen, AdvisorScreen), f"the {mode} screen"
        )


async def test_alone_the_line_is_hidden(shared_file: Path) -> None:
    app = app_for(shared_file, "ann")
    async with app.run_test(size=SIZE) as pilot:
        ann = Member(pilot)
        await ann.wait_until(lambda: len(read_sessions(shared_file).sessions) == 1, "ann's presence file")
        [me] = read_sessions(shared_file).sessions
        assert me.user == "ann" and not me.read_only and me.review == ""
        for _ in range(5):
            await pilot.pause(0.1)  # a few polls: still nobody else
        assert ann.line() == ""
    assert read_sessions(shared_file).sessions == []  # quitting removed the file
    assert [p.name for p in presence_dir(shared_file).iterdir()] == []


async def test_two_apps_see_each_other_and_the_one_that_quits_disappears(shared_file: Path) -> None:
    a, b = app_for(shared_file, "ann"), app_for(shared_file, "bob")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        ann, bob = Member(pa), Member(pb)
        await ann.shows("Here: bob")
        await bob.shows("Here: ann")

        await bob.goto("clients")  # the line is on every screen, also one opened later
        await bob.shows("Here: ann")

        started = time.monotonic()
        await bob.press("q")
        await ann.shows("")  # bob left: ann is alone again, the line hidden
        assert time.monotonic() - started < 5
        assert [h.user for h in read_sessions(shared_file).sessions] == ["ann"]


async def test_three_apps_a_read_only_member_and_one_leading_the_review(shared_file: Path) -> None:
    async with AsyncExitStack() as stack:
        members: dict[str, Member] = {}
        for user, writable in (("ann", True), ("bob", True), ("carol", False)):
            app = app_for(shared_file, user, writable=writable)
            members[user] = Member(await stack.enter_async_context(app.run_test(size=SIZE)))
        ann, bob, carol = members["ann"], members["bob"], members["carol"]

        def names(member: Member) -> set[str]:
            line = member.line()
            return set(re.split(r", (?![^()]*\))", line.removeprefix("Here: "))) if line else set()

        await ann.wait_until(lambda: names(ann) == {"bob", "carol (read-only)"}, "ann to see bob and carol")
        await bob.wait_until(lambda: names(bob) == {"ann", "carol (read-only)"}, "bob to see ann and carol")
        await carol.wait_until(lambda: names(carol) == {"ann", "bob"}, "carol to see ann and bob")
        assert carol.app.workspace.read_only and carol.app.presence.read_only

        # what the review screens do on a page turn: ann leads, bob follows, carol follows read-only
        active_app.set(ann.app)
        ann.app.announce(review="rv-0001", page="scorecard", leading=True)
        active_app.set(bob.app)
        bob.app.announce(review="rv-0001", page="scorecard")
        active_app.set(carol.app)
        carol.app.announce(review="rv-0001", page="scorecard")
        await carol.wait_until(
            lambda: names(carol) == {"ann (leading the review)", "bob (in the review)"}, "carol to see the review"
        )
        await ann.wait_until(
            lambda: names(ann) == {"bob (in the review)", "carol (in the review, read-only)"}, "ann to see the review"
        )
        [leader] = [h for h in carol.app.here if h.leading]
        assert (leader.user, leader.review, leader.page) == ("ann", "rv-0001", "scorecard")
        assert next(h for h in ann.app.here if h.user == "carol").read_only  # reviewui disables deciding on this

        await carol.press("q")
        await ann.wait_until(lambda: names(ann) == {"bob (in the review)"}, "carol to disappear from ann's line")
        await bob.wait_until(lambda: names(bob) == {"ann (leading the review)"}, "carol to disappear from bob's line")


async def test_a_hostile_presence_file_shows_escaped_and_crashes_nothing(shared_file: Path) -> None:
    folder = presence_dir(shared_file)
    folder.mkdir()
    (folder / "evil.json").write_text(
        '{"user": "\\u001b]0;owned\\u0007mallory", "review": "rv-1", "leading": true}', encoding="utf-8"
    )
    (folder / "junk.json").write_bytes(b"\x00" * 5000)
    app = app_for(shared_file, "ann")
    async with app.run_test(size=SIZE) as pilot:
        ann = Member(pilot)
        await ann.shows("Here: \\x1b]0;owned\\x07mallory (leading the review)")
        evil: Any = folder / "evil.json"
        evil.unlink()
        await ann.shows("")


async def test_an_app_that_fails_leaves_too(shared_file: Path) -> None:
    app = app_for(shared_file, "ann")
    with pytest.raises(RuntimeError, match="a bug"):
        async with app.run_test(size=SIZE) as pilot:
            ann = Member(pilot)
            await ann.wait_until(lambda: [h.user for h in read_sessions(shared_file).sessions] == ["ann"], "ann here")

            def bug() -> None:
                raise RuntimeError("a bug in a handler")

            app.call_later(bug)  # Textual ends the app on it, as on the terminal
            await ann.wait_until(lambda: not app.is_running, "the app to end")
    assert read_sessions(shared_file).sessions == []


async def test_a_member_who_cannot_write_the_folder_sees_the_others_and_is_told(
    shared_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui_advisor.workspace import StoreError
    from tui_advisor.workspace.presence import Presence

    real = Presence._dir_for_writing

    def refused(self: Presence, *args: Any) -> int:
        if self.user == "bob":  # bob may not write in the presence folder (no group write permission)
            raise StoreError(self.directory, "cannot be written (permission denied)")
        return real(self, *args)

    monkeypatch.setattr(Presence, "_dir_for_writing", refused)
    a, b = app_for(shared_file, "ann"), app_for(shared_file, "bob")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        ann, bob = Member(pa), Member(pb)
        await bob.wait_until(lambda: bob.line().startswith("Here: ann · they cannot see you"), "bob to be told")
        assert "permission denied" in b.presence.problem and str(presence_dir(shared_file)) in b.presence.problem
        assert ann.line() == ""  # bob is not shown: his app could not say he is here
        assert [h.user for h in read_sessions(shared_file).sessions] == ["ann"]
        await bob.goto("clients")  # his app works on


async def test_a_planted_link_for_the_presence_folder_is_said_and_not_followed(
    shared_file: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    presence_dir(shared_file).symlink_to(elsewhere)
    app = app_for(shared_file, "ann")
    async with app.run_test(size=SIZE) as pilot:
        ann = Member(pilot)
        await ann.wait_until(lambda: ann.line().startswith("Who else is here cannot be told: "), "the line to say so")
        assert str(presence_dir(shared_file)) in ann.line() and "symbolic link" in ann.line()
        assert list(elsewhere.iterdir()) == []  # nothing written through the link
        presence_dir(shared_file).unlink()  # removed, as the line asks: back to normal
        await ann.shows("")
        await ann.wait_until(lambda: [h.user for h in read_sessions(shared_file).sessions] == ["ann"], "ann here")


async def test_one_user_in_two_terminals_is_named_once_with_a_count(shared_file: Path) -> None:
    a, b1, b2 = app_for(shared_file, "ann"), app_for(shared_file, "bob"), app_for(shared_file, "bob")
    async with a.run_test(size=SIZE) as pa, b1.run_test(size=SIZE) as pb1, b2.run_test(size=SIZE):
        ann, bob = Member(pa), Member(pb1)
        await ann.shows("Here: bob ×2")
        await bob.shows("Here: ann, bob")  # bob's other terminal is another session
        active_app.set(b1)
        b1.announce(review="rv-0001", page="actions")
        await ann.wait_until(
            lambda: ann.line() in ("Here: bob (in the review), bob", "Here: bob, bob (in the review)"), "two bobs"
        )
