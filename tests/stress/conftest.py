"""Stress tests of the shared data file: many processes, kill -9, Unix permissions.

The workers are real processes (``sys.executable`` running a small script written
to the test's temporary directory), so they go through the same code as the app:
``Workspace``/``Store`` on one file, with the environment the repository's
conftest isolates (HOME, XDG dirs, TUI_ADVISOR_DATA, TUI_ADVISOR_CONFIG).
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from stress.test_permissions import team  # noqa: F401 - the Unix users of test_permissions, for test_hostile_files too
from tui_advisor import paths
from tui_advisor.store import Store
from tui_advisor.workspace import read_document

ROOT = Path(__file__).resolve().parents[2]


def _agency_file(tmp_path: Path, sample: str) -> Path:
    path = tmp_path / "shared" / "agency.json"
    path.parent.mkdir()
    Store(path, user="owner").import_document(read_document(paths.sample_file(sample)), replace=True)
    return path


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    """A data file holding the demo agency (12 clients, 108 invoices, ~50 KB)."""
    return _agency_file(tmp_path, "demo")


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    """A data file holding only an agency profile (sample_data/empty.json, ~1 KB)."""
    return _agency_file(tmp_path, "empty")


@pytest.fixture
def script(tmp_path: Path) -> Callable[[str, str], list[str]]:
    """Write a worker script; returns the command that runs it (add its arguments)."""

    def write(name: str, source: str) -> list[str]:
        path = tmp_path / f"{name}.py"
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return [sys.executable, "-u", str(path)]

    return write
