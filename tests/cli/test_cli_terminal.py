"""The app on a real (pseudo-)terminal: the console path that Pilot tests do not take.

Pilot runs the app headless; here ``python -m tui_advisor`` runs on a pty of 100x30,
as a person starts it: the dashboard (or, on a new data file, the welcome) must be
drawn on the terminal, ``q`` must quit with exit code 0 and leave the terminal as it
was (alternate screen off).
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

COLS, ROWS = 100, 30


def _read_until(
    master: int,
    proc: subprocess.Popen,
    wanted: list[bytes],
    timeout: float,
    until: Callable[[bytes], bool] | None = None,
) -> bytes:
    """What the app writes until every ``wanted`` text has come (and ``until`` holds), or ``timeout``."""
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not (all(w in seen for w in wanted) and (until is None or until(seen))):
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


def _spawn_on_pty(args: list[str], cwd: Path, size: tuple[int, int] = (COLS, ROWS)) -> tuple[subprocess.Popen, int]:
    """``python -m tui_advisor ARGS`` on a new pseudo-terminal (100x30 unless ``size``); (process, master fd)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    env = dict(os.environ, TERM="xterm-256color", PYTHONIOENCODING="utf-8")
    for name in ("NO_COLOR", "TEXTUAL", "COLUMNS", "LINES"):
        env.pop(name, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui_advisor", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    return proc, master


def _quit(proc: subprocess.Popen, master: int) -> bytes:
    """Press q; the app must leave the alternate screen and exit 0. Returns what it wrote last."""
    os.write(master, b"q")
    rest = _read_until(master, proc, [b"\x1b[?1049l"], 30)
    assert proc.wait(timeout=30) == 0
    return rest


def _close(proc: subprocess.Popen, master: int) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    os.close(master)


def test_the_app_draws_the_dashboard_on_a_terminal_and_q_quits(tmp_path: Path) -> None:
    proc, master = _spawn_on_pty(["--demo"], tmp_path, size=(120, 40))  # wide: the whole dashboard in view
    try:
        shown = _read_until(
            master,
            proc,
            [
                b"Independence score",
                b"Cash (G5)",
                b"Recurring (G4)",
                b"Largest clients, share of the work running today",
                b"Proposals per week",
            ],
            60,
        )
        text = shown.decode("utf-8", "replace")
        assert "Independence score" in text, f"no dashboard on the terminal; it showed: {text[-800:]!r}"
        for part in (
            "Cash (G5)",
            "Key client (G3)",
            "Busy (G2)",
            "Inquiries (G6)",
            "Recurring (G4)",
            "Largest clients, share of the work running today",
            "Proposals per week",
            "Northwind Studio",
        ):
            assert part in text, part
        assert "\x1b[?1049h" in text  # the app took the alternate screen
        assert b"\x1b[?1049l" in _quit(proc, master)  # and gave it back
    finally:
        _close(proc, master)


def _screen_rows(output: str) -> dict[int, str]:
    """The text on each screen row once ``output`` is written: each run of text at the column its
    cursor move names (colours dropped), a later write over an earlier one, as on the terminal
    (a frame may be a whole screen, one cursor move a row, or partial updates, several a row)."""
    rows: dict[int, list[str]] = {}
    for match in re.finditer(r"\x1b\[(\d+);(\d+)H((?:(?!\x1b\[\d+;\d+H).)*)", output, re.S):
        text = re.sub(r"\x1b\[[0-9;?<>=$]*[A-Za-z]|\x1b\][^\x07]*\x07|[\r\n]", "", match[3])
        row, col = rows.setdefault(int(match[1]), []), int(match[2]) - 1
        row.extend(" " * (col + len(text) - len(row)))
        row[col : col + len(text)] = text
    return {number: "".join(cells).rstrip() for number, cells in sorted(rows.items())}


def test_a_narrow_terminal_gets_the_two_column_cards_from_the_first_frame(tmp_path: Path) -> None:
    """Below 110 columns the pillar cards stand two by two, from the first frame on (it once
    showed all five in a row for a moment, then jumped)."""
    proc, master = _spawn_on_pty(["--demo"], tmp_path, size=(100, 30))
    try:
        shown = _read_until(master, proc, [b"Cash (G5)", b"Key client (G3)"], 60).decode("utf-8", "replace")
        cash_row = next((text for text in _screen_rows(shown).values() if "Cash (G5)" in text), None)
        assert cash_row is not None, shown[-800:]
        assert "Key client (G3)" in cash_row and "Busy (G2)" not in cash_row, cash_row
        _quit(proc, master)
    finally:
        _close(proc, master)


def test_the_first_run_welcome_shows_on_a_terminal_and_d_loads_the_demo(tmp_path: Path) -> None:
    data = tmp_path / "new-agency.json"
    proc, master = _spawn_on_pty(["--data", str(data)], tmp_path)
    try:
        shown = _read_until(master, proc, [b"Welcome to tui-advisor", b"Start from the demo"], 60)
        assert b"Welcome to tui-advisor" in shown, shown[-800:]
        os.write(master, b"d")
        shown = _read_until(master, proc, [b"Northwind Studio", b"DEMO"], 30)
        assert b"Northwind Studio" in shown  # the demo agency, in a temporary copy
        _quit(proc, master)
        assert not data.exists()  # the user's own file was never written
    finally:
        _close(proc, master)


@pytest.fixture
def large_agency(tmp_path: Path, synthetic_agency: Callable[[str], Any]) -> Path:
    """The M synthetic agency (25,538 records) as a data file: read by a child process."""
    from tui_advisor.store import Store
    from tui_advisor.workspace import prefetch

    path = tmp_path / "large.json"
    Store(path).import_document(synthetic_agency("M"), replace=True)
    assert path.stat().st_size > prefetch.LARGE
    return path


def test_a_large_data_file_opens_on_a_terminal(tmp_path: Path, large_agency: Path) -> None:
    from tui_advisor.store import Store

    data = large_agency
    proc, master = _spawn_on_pty(["--data", str(data), "--as-of", "2026-11-26"], tmp_path)
    try:
        shown = _read_until(master, proc, [b"Independence score", b"Recurring (G4)"], 60)
        assert b"Independence score" in shown and b"Recurring (G4)" in shown, shown[-800:]
        os.write(master, b"5")  # the clients table: the records are there too
        names = [c.name.encode() for c in Store(data).load().clients]
        # the table may come in more than one update of the screen: wait for its rows
        shown = _read_until(master, proc, [b"Clients"], 30, until=lambda s: sum(n in s for n in names) >= 10)
        assert b"Clients" in shown and sum(name in shown for name in names) >= 10, shown[-800:]
        _quit(proc, master)
    finally:
        _close(proc, master)


def test_a_damaged_large_data_file_is_reported_and_left_as_it_is(tmp_path: Path, large_agency: Path) -> None:
    data = large_agency
    data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])
    before = data.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "tui_advisor", "--data", str(data)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert f"tui-advisor: {data}: is not valid JSON" in proc.stderr
    assert "Nothing was changed" in proc.stderr or "nothing was changed" in proc.stderr
    assert data.read_bytes() == before
