"""`tui-advisor restore` as a user runs it: list the backups, restore one, and the hint a
damaged data file gets, which names a backup that can be read."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest


@pytest.fixture
def data_file(tmp_path: Path, run, cli) -> Path:
    """The demo agency, written three more times, with a backup kept at every write."""
    config = Path(os.environ["TUI_ADVISOR_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[store]\nbackups = 10\nbackup_minutes = 0\n", encoding="utf-8")
    data = tmp_path / "agency.json"
    cli.ok(run("import", cli.sample("demo"), "--data", data, "--replace"))
    for name in ("one_client_70", "healthy", "demo"):
        cli.ok(run("import", cli.sample(name), "--data", data, "--replace"))
    return data


def test_the_backups_are_listed_newest_first_and_one_is_restored(data_file: Path, run, cli) -> None:
    out = cli.ok(run("restore", "--data", data_file)).stdout
    lines = [line for line in out.splitlines() if re.match(r"\s*\d+\. ", line)]
    assert len(lines) == 3  # one backup before each of the three later imports
    assert "revision 3" in lines[0] and "revision 1" in lines[2]  # newest first
    before = cli.ok(run("advise", "--data", data_file, "--as-of", "2026-11-26", "--format", "json")).stdout
    restored = cli.ok(run("restore", "2", "--data", data_file)).stdout  # the one_client_70 agency
    assert "Restored" in restored and "kept as a backup" in restored
    after = cli.ok(run("advise", "--data", data_file, "--as-of", "2026-11-26", "--format", "json")).stdout
    assert after != before and '"KEY001"' in after


def test_a_damaged_data_file_names_the_newest_backup_that_can_be_read(data_file: Path, run, cli) -> None:
    data_file.write_text('{"_meta": {"1": ', encoding="utf-8")  # cut off mid-write by another program
    err = cli.usage_error(run("advise", "--data", data_file))
    assert "Nothing was changed" in err and f"restore 1 --data {data_file}" in err
    cli.ok(run("restore", "1", "--data", data_file))  # the damaged file is kept as the newest backup
    cli.ok(run("advise", "--data", data_file))
    listing = cli.ok(run("restore", "--data", data_file)).stdout
    assert "before-restore" in listing and "unreadable" in listing
    data_file.write_text("", encoding="utf-8")  # damaged again: backup 1 is the damaged one
    err = cli.usage_error(run("advise", "--data", data_file))
    assert f"restore 2 --data {data_file}" in err and "the newest that can be read" in err
    cli.ok(run("restore", "2", "--data", data_file))
    cli.ok(run("advise", "--data", data_file))


def test_restoring_a_backup_that_is_not_there_is_refused(data_file: Path, run, cli) -> None:
    before = data_file.read_bytes()
    err = cli.usage_error(run("restore", "9", "--data", data_file))
    assert "there is no backup 9" in err and "lists 3" in err
    err = cli.usage_error(run("restore", str(data_file.parent / "nope.json"), "--data", data_file))
    assert "no such backup file" in err
    assert data_file.read_bytes() == before
