"""A data file that is not ours: every command refuses it (exit 2, the path named) and leaves it alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def _newer_store(template: Path) -> bytes:
    raw = json.loads(template.read_text(encoding="utf-8"))
    raw["_meta"]["1"]["version"] = 2
    return json.dumps(raw).encode()


FOREIGN = {
    "other-program": (
        lambda demo: json.dumps(
            {"name": "my-app", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0"}}, indent=2
        ).encode(),
        ["not a tui-advisor data file"],
    ),
    "json-list": (lambda demo: b"[1, 2, 3]\n", ["not a tui-advisor data file"]),
    "empty": (lambda demo: b"", ["empty"]),
    "whitespace": (lambda demo: b"  \n\n", ["empty"]),
    "truncated": (lambda demo: demo.read_bytes()[: len(demo.read_bytes()) // 2], ["not valid JSON"]),
    "binary": (lambda demo: bytes(range(256)), []),
    "interchange-file": (lambda demo: (SAMPLES / "demo.json").read_bytes(), ["interchange file", "import"]),
    "newer-store": (_newer_store, ["newer", "upgrade"]),
    "damaged-table": (
        lambda demo: json.dumps(
            {"_meta": {"1": {"format": "tui-advisor/store", "version": 1, "revision": 3}}, "clients": [1, 2]}
        ).encode(),
        ["clients"],
    ),
}

COMMANDS = {
    "advise": lambda sample: ["advise", "--as-of", "2026-11-26"],
    "advise-json": lambda sample: ["advise", "--format", "json"],
    "export": lambda sample: ["export"],
    "export-o": lambda sample: ["export", "-o", "out.json"],
    "import": lambda sample: ["import", sample],
    "import-replace": lambda sample: ["import", "--replace", sample],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("kind", list(FOREIGN))
def test_foreign_data_file_is_refused_and_unchanged(kind, command, run, cli, tmp_path, demo_store):
    make, fragments = FOREIGN[kind]
    content = make(demo_store)
    data = tmp_path / "theirs.json"
    data.write_bytes(content)
    proc = run(*COMMANDS[command](cli.sample("firm_a")), "--data", data)
    err = cli.usage_error(proc)
    assert str(data) in err
    for fragment in fragments:
        assert fragment in err
    assert data.read_bytes() == content
    assert not (tmp_path / "out.json").exists()
    assert "Imported" not in proc.stdout and "Replaced" not in proc.stdout


def test_interchange_file_as_data_says_how_to_use_it(run, cli, tmp_path):
    data = tmp_path / "agency-export.json"
    data.write_bytes(cli.sample("demo").read_bytes())
    err = cli.usage_error(run("advise", "--data", data))
    assert f"tui-advisor import {data}" in err
    assert f"advise --input {data}" in err
    assert data.read_bytes() == cli.sample("demo").read_bytes()


def test_directory_as_data_file(run, cli, tmp_path):
    data = tmp_path / "a-directory"
    data.mkdir()
    (data / "keep.txt").write_text("x", encoding="utf-8")
    for args in (["advise"], ["export"], ["import", cli.sample("firm_a")]):
        err = cli.usage_error(run(*args, "--data", data))
        assert str(data) in err
        assert "directory" in err
    assert [p.name for p in data.iterdir()] == ["keep.txt"]


def test_foreign_file_via_the_env_var(run, cli, tmp_path):
    data = tmp_path / "settings.json"
    content = b'{"theme": "dark", "fontSize": 14}\n'
    data.write_bytes(content)
    env = {"TUI_ADVISOR_DATA": str(data)}
    for args in (["advise"], ["export"], ["import", cli.sample("firm_a")]):
        err = cli.usage_error(run(*args, env=env))
        assert str(data) in err
    assert data.read_bytes() == content
