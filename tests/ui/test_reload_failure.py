"""A reload that fails is shown in the app, and the app goes on polling.

A teammate (or a crash, or a hand edit) replaces the data file with one that cannot be
read while the app runs: every screen's banner names the file and what is wrong (no
traceback), the screens keep what was read before, and once the file is good again the
app reads it, shows it and the banner goes. The same for a failure that is not the
store's (anything raised while reading or advising), and for an audit log with lines
no entry should hold, on the history screen.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

from textual.widgets import Static

from tui_advisor import model
from tui_advisor.store import Store
from tui_advisor.ui.screens.help import HistoryScreen
from tui_advisor.workspace import Rulebook

SIZE = (120, 40)
WAIT = 20.0  # seconds: the app polls every second, retries a failed read every 5 s; the machine is shared


def plain(value: object) -> str:
    return getattr(value, "plain", None) or str(value)


def history_text(ui) -> str:
    return "\n".join(plain(w.render()) for w in ui.screen.query(Static)) if isinstance(ui.screen, HistoryScreen) else ""


def banner(screen) -> str:
    widget = screen.query_one("#banner", Static)
    return plain(widget.render()) if widget.display else ""


def replace_file(path: Path, content: bytes) -> None:
    """What a teammate's editor or a copy does: a new file renamed over the old one."""
    tmp = path.with_name(path.name + ".new")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def good_copy_with(good: bytes, tmp: Path, name: str) -> bytes:
    """A good data file's bytes with one more client (written through a Store on a copy)."""
    copy = tmp / "copy" / "agency.json"
    copy.parent.mkdir(exist_ok=True)
    copy.write_bytes(good)
    Store(copy, user="ann").put("clients", model.Client(id=f"c-{name.lower()}", name=name))
    return copy.read_bytes()


async def test_a_damaged_file_is_shown_and_a_good_one_is_read_again(demo_app, driver, tmp_path: Path) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        path = Path(ui.app.workspace.store.path)
        await ui.goto("clients")
        rows = ui.rows()
        good = path.read_bytes()

        replace_file(path, good[: len(good) // 2])  # cut in the middle: not JSON
        await ui.wait_until(lambda: "DATA FILE PROBLEM" in banner(ui.screen), "the banner", WAIT)
        text = banner(ui.screen)
        assert text.startswith(f"DATA FILE PROBLEM: {path}: ") and "JSON" in text, text
        print(f"\nthe banner: {text}")
        assert "Traceback" not in text and "Showing what was read before" in text
        assert ui.rows() == rows  # still what was read before
        title, message, severity = ui.notifications()[-1]
        assert (title, severity) == ("The data file could not be read", "error") and str(path) in message
        # every screen says so, not only the one in front
        await ui.goto("dashboard")
        assert "DATA FILE PROBLEM" in banner(ui.screen)

        # another damaged version: still shown, still polling
        replace_file(path, b"\xff\xfe garbage \x00\x1b[2J")
        await ui.wait_until(
            lambda: "UTF-8" in banner(ui.screen) and "\x1b" not in banner(ui.screen),
            "the banner for the second damage",
            WAIT,
        )

        # the file is good again, with a teammate's new client: read, shown, the banner gone
        replace_file(path, good_copy_with(good, tmp_path, "Comeback"))
        await ui.wait_until(lambda: banner(ui.screen) == "", "the banner to go", WAIT)
        await ui.goto("clients")
        await ui.wait_until(lambda: any("Comeback" in row for row in ui.rows()), "the new client", WAIT)
        assert any(
            message == "The data file can be read again; every screen shows it." for _, message, _ in ui.notifications()
        )
        assert ui.app.reload_problem is None


async def test_a_data_file_replaced_by_a_directory_then_restored(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        path = Path(ui.app.workspace.store.path)
        await ui.goto("clients")
        good = path.read_bytes()
        path.rename(path.with_name("saved.json"))
        path.mkdir()
        await ui.wait_until(lambda: "DATA FILE PROBLEM" in banner(ui.screen), "the banner", WAIT)
        assert str(path) in banner(ui.screen)
        path.rmdir()
        path.write_bytes(good)
        await ui.wait_until(lambda: banner(ui.screen) == "", "the banner to go", WAIT)


async def test_any_failure_of_a_reload_is_shown_and_polling_goes_on(demo_app, driver, monkeypatch) -> None:
    """Not only StoreError: whatever the read or the advice raises ends in the banner, and the
    next change of the file is read (the worker did not die silently)."""
    real = Rulebook.advise

    def advice(rulebook, data, as_of):
        if data.agency.name == "Crash Ltd":
            raise ZeroDivisionError("float division by zero")
        return real(rulebook, data, as_of)

    monkeypatch.setattr(Rulebook, "advise", advice)
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        path = Path(ui.app.workspace.store.path)
        await ui.goto("clients")
        teammate = Store(path, user="ann")
        agency = teammate.load().agency
        teammate.set_agency(replace(agency, name="Crash Ltd"))
        await ui.wait_until(lambda: "ZeroDivisionError" in banner(ui.screen), "the banner", WAIT)
        assert f"{path}: its advice cannot be computed (ZeroDivisionError: float division by zero)" in banner(ui.screen)
        assert ui.app.workspace.data.agency.name == agency.name  # what was read before

        teammate.set_agency(agency)
        await ui.wait_until(lambda: banner(ui.screen) == "", "the banner to go", WAIT)
        assert ui.app.workspace.data.agency.name == agency.name

        # a failure that is no StoreError at all, from the read itself
        calls = []

        def broken_snapshot(self):
            calls.append(1)
            raise RuntimeError("something nobody expected")

        monkeypatch.setattr(Store, "snapshot", broken_snapshot)
        teammate_raw = path.read_bytes()
        replace_file(path, teammate_raw)  # a new file: the app reads it
        await ui.wait_until(lambda: "RuntimeError: something nobody expected" in banner(ui.screen), "the banner", WAIT)
        monkeypatch.undo()
        # read again a few seconds later, even without a change (a permission fixed changes no stat)
        await ui.wait_until(lambda: banner(ui.screen) == "", "the retry to succeed", WAIT)
        assert calls


def _log_line(entry: object) -> bytes:
    return json.dumps(entry).encode() + b"\n"


async def test_the_history_screen_reads_a_malformed_audit_log(demo_app, driver, local_zone) -> None:
    local_zone("Europe/Amsterdam")  # the times are shown in the local zone (10:00Z is 11:00 CET)
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        store = ui.app.workspace.store
        rev = store.revision()
        good = {
            "rev": rev,
            "at": "2026-11-26T10:00:00Z",
            "by": "sam",
            "action": "edit client",
            "changes": [{"kind": "clients", "key": "c-acme", "before": {"name": "A"}, "after": {"name": "B"}}],
        }
        with open(store.log_path, "ab") as log:
            log.write(b"\xff\xfe a broken byte\n")
            log.write(b"not json at all\n")
            log.write(_log_line({**good, "changes": 5}))
            log.write(_log_line({**good, "by": {"x": 1}}))
            log.write(_log_line({**good, "changes": ["not a change", 7, None]}))
            log.write(
                _log_line(
                    {**good, "at": 5, "changes": [{"kind": "clients", "key": "c-acme", "before": [1], "after": "x"}]}
                )
            )
            log.write(_log_line(good))
            log.write(_log_line({**good, "by": "mallory", "action": "forged"}))  # a second claim of revision rev
        await ui.goto("clients")
        ui.select_row("clients", "c-acme")
        await pilot.press("l")
        await ui.wait_until(lambda: "History of" in history_text(ui), "the history", WAIT)
        text = history_text(ui)
        claims = f" entries claiming revision {rev}: all but one were not written by a save]"
        lines = text.splitlines()
        assert any(
            line.startswith("2026-11-26 11:00 CET  sam  edit client  [one of ") and line.endswith(claims)
            for line in lines
        ), lines
        assert any(line.startswith("2026-11-26 11:00 CET  mallory  forged  [one of ") for line in lines), lines
        assert "  name: A → B" in text
        assert "of the audit log could not be read" in text
        await pilot.press("escape")
        await ui.wait_until(lambda: not isinstance(ui.screen, HistoryScreen), "the history to close")


async def test_the_history_screen_shows_entries_of_any_shape(demo_app, driver) -> None:
    """Whatever an entry that reaches the screen holds, it is shown as plain text, no crash."""
    entries = [
        {"at": 5, "by": {"x": 1}, "action": ["a"], "changes": 5},
        {"at": "t1", "by": "sam\x1b]0;title\x07", "action": "edit", "changes": ["x", 7, None, {"before": 3}]},
        {"at": "t2", "by": None, "changes": [{"before": {"n": 1}, "after": "str"}, {"before": None}]},
        {"at": "t3", "by": "ann", "action": "edit", "changes": [{"before": {"n": 1}, "after": {"n": 2, 3: [1]}}]},
        "not even a dict",
    ]
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        ui.app.push_screen(HistoryScreen("client X", entries, skipped=2))  # type: ignore[arg-type]
        await ui.wait_until(lambda: "History of" in history_text(ui), "the history", WAIT)
        text = history_text(ui)
        assert "5  {'x': 1}  ['a']" in text
        assert "sam\\x1b]0;title\\x07  edit" in text and "\x1b" not in text
        assert "  n: 1 → 2" in text
        assert "3 lines of the audit log could not be read" in text
