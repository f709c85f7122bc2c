"""`tui-advisor who [--format text|json]`: the app sessions open on the data file, as a subprocess.

The sessions are Presence objects of this test process (what each app writes beside the
data file) and, for one that crashed, a child process that announced itself and died
without leaving. One OS account: the names shown are the ones each session claims.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tui_advisor.workspace.presence import Presence, presence_dir, utc_iso

from .conftest import no_traceback


def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "agency.json"
    path.write_text("{}", encoding="utf-8")
    return path


def test_nobody_here(run, tmp_path: Path) -> None:
    data = data_file(tmp_path)
    proc = run("who", "--data", data)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"Nobody has {data} open.\n"
    proc = run("who", "--data", data, "--format", "json")
    assert json.loads(proc.stdout) == {"data": str(data), "sessions": [], "skipped": 0}


def test_who_lists_the_sessions_with_what_they_do(run, tmp_path: Path) -> None:
    data = data_file(tmp_path)
    ann = Presence(data, "ann")
    ann.announce(review="rv-0001", page="issues", item="CASH001", leading=True)
    bob = Presence(data, "bob")
    bob.announce(review="rv-0001", page="scorecard", following=False)
    carol = Presence(data, "carol", read_only=True)
    carol.announce()
    gone = Presence(data, "dave")
    gone.announce()
    gone.leave()

    proc = run("who", "--data", data, env={"TZ": "Europe/Amsterdam"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"3 sessions on {data}:"
    by_user = {line.split()[0]: line for line in lines[1:]}
    assert set(by_user) == {"ann", "bob", "carol"}
    assert by_user["ann"].endswith("leading the review rv-0001 (issues)")
    assert by_user["bob"].endswith("in the review rv-0001 (scorecard), stepped out")
    assert by_user["carol"].endswith("read-only")
    assert " CET" in by_user["ann"] and "since 2026-" in by_user["ann"]  # the local time, not UTC
    assert proc.stderr == ""

    doc = json.loads(run("who", "--data", data, "--format", "json").stdout)
    sessions = {s["user"]: s for s in doc["sessions"]}
    assert set(sessions) == {"ann", "bob", "carol"}
    assert sessions["ann"] | {"since": None, "seen": None} == {
        "user": "ann",
        "session": ann.session,
        "since": None,
        "seen": None,
        "review": "rv-0001",
        "page": "issues",
        "item": "CASH001",
        "leading": True,
        "following": True,
        "read_only": False,
    }
    assert sessions["carol"]["read_only"] is True and sessions["bob"]["following"] is False
    assert sessions["ann"]["since"].endswith("Z") and sessions["ann"]["seen"] >= sessions["ann"]["since"]


def test_a_session_that_crashed_is_not_listed(run, tmp_path: Path) -> None:
    data = data_file(tmp_path)
    code = (
        "import os, sys; from tui_advisor.workspace.presence import Presence; "
        f"Presence({str(data)!r}, 'erin').announce(); os._exit(9)"  # killed: never left
    )
    subprocess.run([sys.executable, "-c", code], check=False, timeout=60)
    assert len(list(presence_dir(data).glob("*.json"))) == 1  # its file is still there
    proc = run("who", "--data", data)
    assert proc.stdout == f"Nobody has {data} open.\n", proc.stdout


def test_crafted_files_are_skipped_and_counted_and_names_escaped(run, tmp_path: Path) -> None:
    data = data_file(tmp_path)
    folder = presence_dir(data)
    folder.mkdir()
    (folder / "bad.json").write_text("{not json", encoding="utf-8")
    (folder / "big.json").write_bytes(b" " * 10_000)
    os.symlink("/etc/passwd", folder / "link.json")
    doc = {"user": "\x1b]52;c;cHduZWQ=\x07eve", "review": "rv-\x1b[2J", "since": utc_iso(time.time())}
    (folder / "evil.json").write_text(json.dumps(doc), encoding="utf-8")

    proc = run("who", "--data", data)
    no_traceback(proc)
    assert proc.returncode == 0
    assert "\x1b" not in proc.stdout + proc.stderr and "\x07" not in proc.stdout
    assert "\\x1b]52;c;cHduZWQ=\\x07eve" in proc.stdout and "in the review rv-\\x1b[2J" in proc.stdout
    assert proc.stderr == f"{folder}: 3 files that are not a session (written by hand, or planted) skipped\n"
    doc = json.loads(run("who", "--data", data, "--format", "json").stdout)
    assert doc["skipped"] == 3 and [s["user"] for s in doc["sessions"]] == ["\\x1b]52;c;cHduZWQ=\\x07eve"]


def test_a_planted_link_for_the_folder_is_refused(run, tmp_path: Path) -> None:
    data = data_file(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, presence_dir(data))
    proc = run("who", "--data", data)
    no_traceback(proc)
    assert proc.returncode == 2
    assert str(presence_dir(data)) in proc.stderr and "symbolic link" in proc.stderr, proc.stderr
