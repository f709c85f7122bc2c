"""A whole team review on a real pseudo-terminal, at 80x24, as a person runs it.

``tui-advisor review`` opens the app straight on the review (started here); the keys go
through the terminal as typed: the issues page (3), a dismissal with its reason (x, the
reason, ctrl+s), a park (p, ctrl+s), the conclusion (4), closing (C, a rating, ctrl+s, y);
q quits with exit 0 and leaves the alternate screen. The closed review is then what
``tui-advisor review show`` prints, and a second ``tui-advisor review`` starts the next one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cli.test_cli_terminal import _close, _read_until, _spawn_on_pty  # the pty helpers of tests/cli
from tui_advisor import paths
from tui_advisor.store import Store
from tui_advisor.workspace import read_document

SIZE = (80, 24)


def _press(master: int, keys: bytes) -> None:
    os.write(master, keys)


def test_a_whole_review_on_a_terminal(tmp_path: Path) -> None:
    data = tmp_path / "agency.json"
    Store(data).import_document(read_document(paths.sample_file("demo")), replace=True)
    proc, master = _spawn_on_pty(["review", "--data", str(data), "--as-of", "2026-11-26"], tmp_path, size=SIZE)
    try:
        out = _read_until(master, proc, [b"Review rv-0001", b"Scorecard", b"You lead"], 60)
        assert b"Review rv-0001" in out and b"You lead" in out, out[-1500:]
        _press(master, b"3")
        out += _read_until(master, proc, [b"in priority order"], 30)
        assert b"in priority order" in out, out[-1500:]
        _press(master, b"jx")  # the second issue (the keys are taken in the order typed), dismissed
        out += _read_until(master, proc, [b"Dismiss:", b"Reason"], 30)
        assert b"Dismiss:" in out, out[-1500:]
        _press(master, b"not now\x13")  # ctrl+s
        out += _read_until(master, proc, [b"dismissed by"], 30)
        assert b"dismissed by" in out, out[-1500:]
        _press(master, b"jp")  # the next one, parked
        out += _read_until(master, proc, [b"Park:"], 30)
        _press(master, b"\x13")
        out += _read_until(master, proc, [b"parked by"], 30)
        assert b"parked by" in out, out[-1500:]
        _press(master, b"4")
        out += _read_until(master, proc, [b"2 decided"], 30)
        assert b"2 decided" in out, out[-1500:]
        _press(master, b"C")
        out += _read_until(master, proc, [b"Close review rv-0001", b"Rating"], 30)
        _press(master, b"\t7\x13")  # the rating, then ctrl+s
        out += _read_until(master, proc, [b"It cannot be changed afterwards"], 30)
        assert b"It cannot be changed" in out, out[-1500:]
        _press(master, b"y")
        out += _read_until(master, proc, [b"review show rv-0001"], 30)
        assert b"review show rv-0001" in out, out[-1500:]
        _press(master, b"q")
        out += _read_until(master, proc, [b"\x1b[?1049l"], 30)
        assert proc.wait(timeout=30) == 0
    finally:
        _close(proc, master)

    review = Store(data).load().reviews[0]
    assert review.closed is not None and review.rating == 7
    assert sorted(d.kind for d in review.decisions) == ["dismiss", "park"]
    shown = subprocess.run(
        [sys.executable, "-m", "tui_advisor", "review", "show", "rv-0001", "--format", "json", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert "not now" in json.dumps(json.loads(shown.stdout))

    # the next `tui-advisor review` starts the next review, the closed one stays as it was
    proc, master = _spawn_on_pty(["review", "--data", str(data), "--as-of", "2026-11-26"], tmp_path, size=SIZE)
    try:
        out = _read_until(master, proc, [b"Review rv-0002"], 60)
        assert b"Review rv-0002" in out, out[-1500:]
        _press(master, b"q")
        _read_until(master, proc, [b"\x1b[?1049l"], 30)
        assert proc.wait(timeout=30) == 0
    finally:
        _close(proc, master)
    reviews = {r.id: r for r in Store(data).load().reviews}
    assert reviews["rv-0001"] == review and reviews["rv-0002"].closed is None
