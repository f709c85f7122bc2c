"""Type checkers see the records: ``fastclass.dataclass`` is a ``dataclass_transform``, so mypy
checks a record's fields as it checks a plain dataclass's (before, the decorator returned
``Any`` and so was every record: a wrong field type went unseen).

One mypy run (about a second) on a snippet whose every line says what mypy must say of it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("mypy")

REPO = Path(__file__).resolve().parents[2]

SNIPPET = """\
from datetime import date

from tui_advisor.fastclass import dataclass
from tui_advisor.model import Client, Invoice


@dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: int = 0


ok = Client(id="c1", name="Acme")  # ok
ok_invoice = Invoice(id="i1", client="c1", issued=date(2026, 1, 5), amount=1200.0)  # ok
name: str = ok.name  # ok
p = Point(1)  # ok
bad_name = Client(id="c1", name=3)  # arg-type
bad_date = Invoice(id="i1", client="c1", issued="2026-01-05", amount=1200.0)  # arg-type
unknown = Client(id="c1", name="Acme", colour="red")  # call-arg
typo = ok.nmae  # attr-defined
count: int = ok.name  # assignment
p.x = 2  # misc
"""


def test_mypy_sees_the_fields_of_the_records(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--follow-imports=silent",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            "--show-error-codes",
            "--no-error-summary",
            str(snippet),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr  # 2: mypy itself failed
    found = sorted(
        {(int(m[1]), m[2]) for m in re.finditer(r"^.*snippet\.py:(\d+): error: .*\[([a-z-]+)\]$", proc.stdout, re.M)}
    )
    expected = sorted(
        (n, line.rsplit("# ", 1)[1])
        for n, line in enumerate(SNIPPET.splitlines(), 1)
        if "# " in line and not line.endswith("# ok")
    )
    assert expected, "the snippet names the errors it expects"
    assert found == expected, textwrap.indent(proc.stdout, "  ")
