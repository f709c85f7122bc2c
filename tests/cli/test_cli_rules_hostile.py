"""Hostile rule and config files, from the command line: ``advise`` and ``rules check`` with
a file a teammate planted in the shared rules folder.

Each run is a subprocess with a 60 s timeout, the hang detector (before the caps, a width
of 999,999,999 wrote a gigabyte, a FIFO blocked forever, /dev/zero ate the memory, TOML
nested 100,000 deep was a traceback). ``advise`` prints the advice of every other rule
(exit 0, each problem a warning naming the file, as docs/rules.md says);
``rules check`` names the file and the problem and exits 1 (README, "Exit codes").
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="FIFOs and /dev/zero (Linux)")

HANG = 60  # seconds: a run that takes longer hangs

GOOD = """\
[[rule]]
id = "TEAM001"
name = "team-cash"
pillar = "cash"
source = "G5"
severity = "warning"
when = "cash_balance > 0"
title = "Team check: {cash_months:.1f} months of cash"
message = "The balance is {cash_balance:,.0f} {currency}."
rationale = "Team policy."
actions = ["Look at it."]
"""


def plant_wide(path: Path) -> None:
    path.write_text(GOOD.replace("{cash_months:.1f}", "{cash_months:>999999999}"), encoding="utf-8")


def plant_precise(path: Path) -> None:
    path.write_text(GOOD.replace("{cash_months:.1f}", "{cash_months:.999999999f}"), encoding="utf-8")


def plant_fifo(path: Path) -> None:
    os.mkfifo(path)


def plant_dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def plant_deep(path: Path) -> None:
    path.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")


def plant_dotted(path: Path) -> None:
    path.write_text("[" + "a." * 100_000 + "a]\n", encoding="utf-8")


def plant_big(path: Path) -> None:
    path.write_text(GOOD + "#" * (2 * 1024 * 1024 - len(GOOD) - 1) + "\n", encoding="utf-8")  # 2 MiB


def plant_not_utf8(path: Path) -> None:
    path.write_bytes(GOOD.encode() + b"# caf\xe9\n")


HOSTILE: dict[str, tuple[Callable[[Path], None], str]] = {
    "huge-width": (plant_wide, "TEAM001: title: format spec '>999999999': the width is too large (at most 100)"),
    "huge-precision": (plant_precise, "TEAM001: title: format spec '.999999999f': the precision is too large"),
    "fifo": (plant_fifo, "cannot read the file: it is a FIFO (named pipe), not a regular file"),
    "link-to-dev-zero": (plant_dev_zero, "cannot read the file: it is a character device, not a regular file"),
    "nested-100k-deep": (plant_deep, "cannot be read: arrays or inline tables are nested too deeply to read"),
    "dotted-key-100k-parts": (plant_dotted, "has more than 16 dotted key parts"),
    "2-MB": (plant_big, "cannot read the file: it is too large (2 MiB; at most 256 KiB)"),
    "invalid-utf8": (plant_not_utf8, "cannot read the file: it is not UTF-8 text (byte 0xe9 on line 12)"),
}


@pytest.fixture(scope="module")
def builtin_advice() -> list[str]:
    """The rule ids of the demo's advice with the built-in rules alone (no config file)."""
    from datetime import date

    from tui_advisor import paths
    from tui_advisor.engine.advise import advise
    from tui_advisor.engine.rules import load_rules
    from tui_advisor.workspace import load_input

    data = load_input(paths.sample_file("demo"))
    recs = advise(data, date(2026, 11, 26), load_rules(paths.rules_dir())).recommendations
    assert len(recs) > 5
    return sorted(r.rule for r in recs)


def planted(tmp_path: Path, case: str) -> tuple[Path, Path]:
    """The shared rules folder: a good file, and the hostile one beside it."""
    folder = tmp_path / "team-rules"
    folder.mkdir()
    (folder / "a-good.toml").write_text(GOOD, encoding="utf-8")
    hostile = folder / "b-planted.toml"
    HOSTILE[case][0](hostile)
    return folder, hostile


@pytest.mark.parametrize("case", list(HOSTILE))
def test_advise_with_a_planted_file_prints_the_other_rules_advice(
    case: str, tmp_path: Path, run, cli, builtin_advice: list[str]
) -> None:
    folder, hostile = planted(tmp_path, case)
    proc = cli.ok(run("advise", "--demo", "--format", "json", "--rules", folder, timeout=HANG))
    advice = json.loads(proc.stdout)
    rules = sorted(r["rule"] for r in advice["recommendations"])
    assert rules == sorted(builtin_advice + ["TEAM001"])  # every built-in rule, and the good file's
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning: ")]
    assert [w for w in warnings if str(hostile) in w and HOSTILE[case][1] in w], proc.stderr
    assert len(proc.stdout) < 200_000 and len(proc.stderr) < 10_000


@pytest.mark.parametrize("case", list(HOSTILE))
def test_advise_as_text_with_a_planted_file_stays_small(
    case: str, tmp_path: Path, run, cli, builtin_advice: list[str]
) -> None:
    _, hostile = planted(tmp_path, case)
    proc = cli.ok(run("advise", "--demo", "--rules", hostile, timeout=HANG))
    assert all(f" {rid} " in proc.stdout for rid in builtin_advice)  # the built-in rules' advice
    assert len(proc.stdout) < 100_000
    assert str(hostile) in proc.stderr and HOSTILE[case][1] in proc.stderr


@pytest.mark.parametrize("case", list(HOSTILE))
def test_rules_check_names_the_planted_file_and_exits_1(case: str, tmp_path: Path, run, cli) -> None:
    folder, hostile = planted(tmp_path, case)
    proc = run("rules", "check", folder, timeout=HANG)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    cli.no_traceback(proc)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(str(hostile))]
    assert len(lines) == 1 and HOSTILE[case][1] in lines[0], proc.stdout
    assert "1 problem(s) in the rule files" in proc.stderr
    assert "1 rules are valid" in proc.stderr  # the good file beside it


def test_the_planted_file_in_the_config_paths_is_reported_too(
    tmp_path: Path, run, cli, builtin_advice: list[str]
) -> None:
    folder, hostile = planted(tmp_path, "fifo")
    config = tmp_path / "config.toml"
    config.write_text(f'[rules]\npaths = ["{folder}"]\n', encoding="utf-8")
    proc = run("rules", "check", "--config", config, timeout=HANG)
    assert proc.returncode == 1 and f"{hostile}: cannot read the file: it is a FIFO" in proc.stdout
    proc = cli.ok(run("advise", "--demo", "--format", "json", "--config", config, timeout=HANG))
    assert sorted(r["rule"] for r in json.loads(proc.stdout)["recommendations"]) == sorted(builtin_advice + ["TEAM001"])


@pytest.mark.parametrize(
    "plant, message",
    [
        (plant_fifo, "FIFO (named pipe), not a regular file"),
        (plant_dev_zero, "a character device, not a regular file"),
        (
            lambda p: p.write_text("[keys]\nquit = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8"),
            "nested too deeply",
        ),
        (lambda p: p.write_text("# x\n" * 600_000, encoding="utf-8"), "too large"),
    ],
    ids=["fifo", "dev-zero", "nested", "big"],
)
def test_a_hostile_config_file_is_exit_2_with_a_message(tmp_path: Path, run, cli, plant, message: str) -> None:
    config = tmp_path / "config.toml"
    plant(config)
    for args in (("advise", "--demo"), ("rules", "check")):
        err = cli.usage_error(run(*args, "--config", config, timeout=HANG))
        assert str(config) in err and message in err


def test_rules_check_reports_a_keys_entry_that_takes_q_from_quit(tmp_path: Path, run, cli) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\ngo_advice = "q"\ngo_cash = "f4"\nhelp = "spaceship"\n', encoding="utf-8")
    proc = run("rules", "check", "--config", config, timeout=HANG)
    assert proc.returncode == 1
    cli.no_traceback(proc)
    assert (
        f"config {config}: [keys] go_advice = 'q': q is already Quit (quit) on the dashboard; "
        "this entry is not used: q stays Quit"
    ) in proc.stdout.splitlines()
    assert f"config {config}: [keys] help = 'spaceship': 'spaceship' is not a key name" in proc.stdout
    assert "go_cash" not in proc.stdout
    assert "2 problem(s) in the rule files and the config's [keys]" in proc.stderr
    config.write_text('[keys]\nquit = "ctrl+q"\ngo_advice = "q"\n', encoding="utf-8")
    assert "rules OK" in cli.ok(run("rules", "check", "--config", config, timeout=HANG)).stdout
