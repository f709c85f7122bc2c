"""`advise --input` imports what it needs: neither the store nor TinyDB (issue 11, "Fast on years
of history": about 15 ms of every run). The imports are read from `python -X importtime`, as the
command runs; advising on the data file (the store) imports them, and a damaged data file is
still reported as the store words it (its error class is imported only when one is raised).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from types import SimpleNamespace

STORE_MODULES = ("tinydb", "tui_advisor.store")


def imported(proc: subprocess.CompletedProcess) -> set[str]:
    """The modules a `python -X importtime` run imported (its stderr)."""
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def store_modules(names: set[str]) -> set[str]:
    return {n for n in names if n.split(".")[0] == "tinydb" or n.startswith(STORE_MODULES[1])}


def test_advise_on_a_file_imports_no_store(cli: SimpleNamespace, tmp_path: Path) -> None:
    for args in (
        ("--input", cli.sample("demo"), "--as-of", cli.SAMPLE_AS_OF, "--format", "json"),
        ("--input", cli.sample("healthy"), "--as-of", cli.SAMPLE_AS_OF, "--format", "text"),
        ("--demo", "--format", "markdown"),
    ):
        proc = cli.ok(cli.run_cli("advise", *args, cwd=tmp_path, env={"PYTHONPROFILEIMPORTTIME": "1"}))
        names = imported(proc)
        assert "tui_advisor.model.fastdecode" in names  # the list is read right
        assert store_modules(names) == set(), args
    assert json.loads(
        cli.ok(cli.run_cli("advise", "--input", cli.sample("demo"), "--format", "json", cwd=tmp_path)).stdout
    )


def test_advise_on_the_data_file_imports_the_store(cli: SimpleNamespace, tmp_path: Path) -> None:
    data = tmp_path / "agency.json"
    cli.ok(cli.run_cli("import", cli.sample("demo"), "--data", data, cwd=tmp_path))
    proc = cli.ok(
        cli.run_cli("advise", "--data", data, "--format", "json", cwd=tmp_path, env={"PYTHONPROFILEIMPORTTIME": "1"})
    )
    assert {"tinydb", "tui_advisor.store.store"} <= store_modules(imported(proc))


def test_a_damaged_data_file_is_still_reported(cli: SimpleNamespace, tmp_path: Path) -> None:
    data = tmp_path / "agency.json"
    data.write_text('{"not": "a data file"', encoding="utf-8")
    err = cli.usage_error(cli.run_cli("advise", "--data", data, cwd=tmp_path))
    assert str(data) in err
