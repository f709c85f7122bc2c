"""Who is here: the sessions' files beside the data file (tui_advisor/workspace/presence.py).

Two Presence objects on one data file are two app sessions: they see each other, a
session that stops its heartbeat is left out after STALE_SECONDS (the clock is moved
on, nothing sleeps), leaving removes the file. Every file of the presence folder may be
crafted by a teammate: links, FIFOs, huge files, bad JSON, control characters, a file
owned by someone else: none of them hangs, crashes or shows a name it may not.
"""

from __future__ import annotations

import json
import os
import pwd
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui_advisor.workspace import presence
from tui_advisor.workspace.presence import (
    HEARTBEAT_SECONDS,
    MAX_FILES,
    STALE_SECONDS,
    Presence,
    presence_dir,
    read_sessions,
)


class Clock:
    """The time a Presence sees: the real time plus an offset the test moves on."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "agency.json"
    path.write_text("{}", encoding="utf-8")
    return path


def crafted(data: Path, name: str, doc: object | bytes) -> Path:
    """A file a teammate put into the presence folder."""
    folder = presence_dir(data)
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(doc if isinstance(doc, bytes) else json.dumps(doc).encode())
    return path


def session_doc(user: str = "mallory", **fields: object) -> dict[str, object]:
    return {"user": user, "since": presence.utc_iso(time.time()), **fields}


def test_two_sessions_on_one_file_see_each_other(data: Path) -> None:
    ann = Presence(data, "ann")
    bob = Presence(data, "bob", read_only=True)
    ann.announce(review="rv-0001", page="issues", item="CASH001", leading=True)
    bob.heartbeat()  # the app's poll: bob's first heartbeat writes his file

    [seen_by_bob] = bob.others()
    assert (seen_by_bob.user, seen_by_bob.session) == ("ann", ann.session)
    assert (seen_by_bob.review, seen_by_bob.page, seen_by_bob.item) == ("rv-0001", "issues", "CASH001")
    assert seen_by_bob.leading and seen_by_bob.following and not seen_by_bob.read_only
    [seen_by_ann] = ann.others()
    assert (seen_by_ann.user, seen_by_ann.read_only, seen_by_ann.review, seen_by_ann.leading) == (
        "bob",
        True,
        "",
        False,
    )
    assert {h.user for h in ann.sessions()} == {"ann", "bob"}  # everyone, by start
    assert presence_dir(data) == data.with_name("agency.json.presence")
    assert sorted(p.name for p in presence_dir(data).iterdir()) == sorted(
        [f"{ann.session}.json", f"{bob.session}.json"]
    )


def test_the_heartbeat_rewrites_the_last_state_and_a_silent_session_goes_stale(data: Path) -> None:
    clock = Clock()
    ann = Presence(data, "ann", clock=clock)
    bob = Presence(data, "bob", clock=clock)
    ann.announce(review="rv-0002", page="scorecard", leading=True)
    file = presence_dir(data) / f"{ann.session}.json"
    first = file.stat().st_ino

    ann.heartbeat()  # too soon: nothing written
    assert file.stat().st_ino == first
    clock.offset += HEARTBEAT_SECONDS
    ann.heartbeat()  # due: the same state written again (a new file renamed in)
    assert file.stat().st_ino != first
    [here] = bob.others()
    assert (here.review, here.page, here.leading) == ("rv-0002", "scorecard", True)

    clock.offset += STALE_SECONDS + 1  # ann's app stopped (suspended, killed): no heartbeat since
    assert bob.others() == []
    assert bob.skipped == 0  # an ended session is not a crafted file
    ann.heartbeat()
    assert [h.user for h in bob.others()] == ["ann"]


def test_leave_removes_the_file_and_the_heartbeat_does_not_bring_it_back(data: Path) -> None:
    ann, bob = Presence(data, "ann"), Presence(data, "bob")
    ann.announce()
    bob.announce()
    ann.leave()
    assert not (presence_dir(data) / f"{ann.session}.json").exists()
    assert bob.others() == []
    ann.heartbeat()
    assert bob.others() == []
    ann.announce(page="")  # announcing again (the app opened again) is here again
    assert [h.user for h in bob.others()] == ["ann"]


def test_a_session_whose_process_is_gone_is_left_out_at_once(data: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(proc.stdout)
    crafted(data, "crashed.json", session_doc("carol", pid=dead, host=presence._HOST))
    crafted(data, "elsewhere.json", session_doc("dave", pid=dead, host="another-host"))
    crafted(data, "alive.json", session_doc("erin", pid=os.getpid(), host=presence._HOST))
    assert sorted(h.user for h in Presence(data, "ann").others()) == ["dave", "erin"]


def test_hostile_files_are_skipped_and_counted_never_followed_or_shown(data: Path, tmp_path: Path) -> None:
    ann = Presence(data, "ann")
    ann.announce()
    folder = presence_dir(data)
    secret = tmp_path / "secret.json"  # a valid session file elsewhere, linked in
    secret.write_text(json.dumps(session_doc("linked")), encoding="utf-8")
    os.symlink(secret, folder / "link.json")
    os.mkfifo(folder / "fifo.json")  # opening it blocking would hang the app
    crafted(data, "huge.json", json.dumps(session_doc("huge", item="x" * (1 << 20))).encode())
    crafted(data, "bad.json", b'{"user": "bad", ')
    crafted(data, "list.json", [1, 2])
    crafted(data, "types.json", session_doc("typed", leading="yes"))
    crafted(data, "long.json", session_doc("long", review="r" * 500))
    crafted(data, "binary.json", b"\xff\xfe{}")
    crafted(data, "deep.json", b"[" * 3000 + b"]" * 3000)
    crafted(data, "not a session name.json", session_doc("named"))
    crafted(data, "evil.json", session_doc("\x1b]0;pwned\x07eve\u202e", review="rv-\x1b[2J", item="\x9b31m"))
    os.mkdir(folder / "folder.json")
    hard = crafted(data, "hard.json", session_doc("hardlinked"))
    os.link(hard, tmp_path / "elsewhere.json")  # a file with two links: maybe a teammate's

    bob = Presence(data, "bob")
    started = time.monotonic()
    others = bob.others()
    assert time.monotonic() - started < 5  # the FIFO was not opened for reading (that would block)
    users = sorted(h.user for h in others)
    assert users == ["\\x1b]0;pwned\\x07eve\\u202e", "ann"], users
    evil = next(h for h in others if h.user.startswith("\\x1b"))
    assert (evil.review, evil.item) == ("rv-\\x1b[2J", "\\x9b31m")
    assert bob.skipped == 12  # link, fifo, huge, bad, list, types, long, binary, deep, name, folder, hard
    assert secret.read_text(encoding="utf-8")  # the link's target untouched
    assert not any(c in h.user + h.review + h.item + h.page + h.since for h in others for c in "\x1b\x07\x9b\u202e")


def test_a_crafted_page_or_start_shows_nothing_it_may_not(data: Path) -> None:
    future = presence.utc_iso(time.time() + 86400)
    crafted(data, "x.json", session_doc("sam", page="\x1b[31mscorecard", since=future, leading=True))
    [here] = Presence(data, "ann").others()
    assert here.page == "" and here.since == here.seen  # an unknown page; a start after its last heartbeat
    assert here.leading is False  # leading nothing: no review named


def test_a_file_dated_in_the_future_is_not_here_forever(data: Path) -> None:
    path = crafted(data, "x.json", session_doc("sam"))
    later = time.time() + 3600
    os.utime(path, (later, later))
    assert Presence(data, "ann").others() == []


def test_at_most_max_files_are_read(data: Path) -> None:
    for i in range(MAX_FILES + 50):
        crafted(data, f"s{i}.json", session_doc(f"u{i}"))
    bob = Presence(data, "bob")
    assert len(bob.others()) == MAX_FILES
    assert bob.skipped == 50


def test_the_name_comes_from_the_files_owner_unless_that_is_us(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crafted(data, "x.json", session_doc("the-boss"))
    assert [h.user for h in Presence(data, "ann").others()] == ["the-boss"]  # our own account: the claim
    owner = pwd.getpwuid(os.geteuid()).pw_name
    monkeypatch.setattr(presence, "_uid", lambda: os.geteuid() + 1)  # we are someone else now
    assert [h.user for h in Presence(data, "ann").others()] == [owner]  # the owner, whatever it claims


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_file_owned_by_another_user_shows_that_user(data: Path) -> None:
    path = crafted(data, "x.json", session_doc("root-pretender"))
    os.chown(path, 65534, -1)
    os.chown(crafted(data, "y.json", session_doc("ghost")), 424242, -1)  # a uid without a name
    names = sorted(h.user for h in Presence(data, "ann").others())
    assert names == sorted([pwd.getpwuid(65534).pw_name, "uid 424242"])


def test_the_folder_may_not_be_a_planted_link_or_file(data: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    crafted_there = elsewhere / "x.json"
    crafted_there.write_text(json.dumps(session_doc("linked")), encoding="utf-8")
    os.symlink(elsewhere, presence_dir(data))
    ann = Presence(data, "ann")
    ann.announce()  # never raises: the app works on
    assert "symbolic link" in ann.problem and "teammates do not see" in ann.problem
    assert sorted(p.name for p in elsewhere.iterdir()) == ["x.json"]  # nothing written through the link
    assert ann.others() == [] and "symbolic link" in ann.read_problem
    ann.leave()
    assert crafted_there.exists()

    os.unlink(presence_dir(data))
    presence_dir(data).write_text("not a folder", encoding="utf-8")
    ann.announce()
    assert "not a folder" in ann.problem
    seen = read_sessions(data)
    assert seen.sessions == [] and "not a folder" in seen.problem


def test_the_files_are_shared_like_the_data_file_readable_not_writable_by_the_group(data: Path) -> None:
    os.chmod(data.parent, 0o2775)
    os.chmod(data, 0o660)
    ann = Presence(data, "ann")
    ann.announce()
    folder = presence_dir(data)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o2775
    assert stat.S_IMODE((folder / f"{ann.session}.json").stat().st_mode) == 0o640
    assert folder.stat().st_gid == data.stat().st_gid
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_this_users_long_ended_sessions_are_removed_teammates_files_are_not(data: Path) -> None:
    old = crafted(data, "old.json", session_doc("ann"))
    recent = crafted(data, "recent.json", session_doc("ann"))
    link = presence_dir(data) / "link.json"
    os.symlink(old, link)
    long_ago = time.time() - presence.REMOVE_OWN_AFTER - 60
    for p in (old, recent):
        os.utime(p, (long_ago, long_ago) if p is old else None)
    Presence(data, "ann").announce()
    assert not old.exists() and recent.exists() and link.is_symlink()


def test_a_session_id_must_be_a_plain_name(data: Path) -> None:
    with pytest.raises(ValueError, match="session id"):
        Presence(data, "ann", session="../../etc/passwd")
    assert Presence(data, "ann", session="s-1").file_name == "s-1.json"
