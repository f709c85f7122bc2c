"""Fixtures for the CLI tests: every test runs the program as a subprocess.

The subprocess inherits ``os.environ``, so the autouse isolation fixture of
tests/conftest.py (HOME, TUI_ADVISOR_DATA, TUI_ADVISOR_CONFIG) applies to it, and
runs in ``tmp_path`` so nothing depends on the directory pytest was started from.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_data"
RULES_DIR = REPO / "rules"
SAMPLE_AS_OF = "2026-11-26"  # the date the sample agencies describe
SAMPLE_NAMES = sorted(p.stem for p in SAMPLES.glob("*.json"))
PILLARS = ("cash", "key_client", "busy", "inquiries", "recurring", "deals", "execution", "journey")
SEVERITIES = {"critical": 3, "warning": 2, "info": 1}


def sample(name: str) -> Path:
    return SAMPLES / f"{name}.json"


def sample_doc(name: str) -> Any:
    return json.loads(sample(name).read_text(encoding="utf-8"))


def run_cli(
    *args: Any,
    cwd: Path,
    input: str | None = None,
    env: dict[str, str] | None = None,
    unset: tuple[str, ...] = (),
    timeout: float = 120,
    **popen: Any,
) -> subprocess.CompletedProcess:
    """``python -m tui_advisor ARGS`` with the current environment (plus ``env``, minus ``unset``)."""
    full_env = dict(os.environ)
    for name in unset:
        full_env.pop(name, None)
    full_env.update(env or {})
    full_env.setdefault("PYTHONIOENCODING", "utf-8")
    return subprocess.run(
        [sys.executable, "-m", "tui_advisor", *map(str, args)],
        cwd=cwd,
        env=full_env,
        input=input,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        **popen,
    )


@pytest.fixture
def run(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """``run("advise", "--demo")``: the program in a subprocess, cwd = tmp_path."""

    def _run(*args: Any, cwd: Path | None = None, **kw: Any) -> subprocess.CompletedProcess:
        return run_cli(*args, cwd=cwd or tmp_path, **kw)

    return _run


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout


def ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    no_traceback(proc)
    return proc


def usage_error(proc: subprocess.CompletedProcess) -> str:
    """Exit 2 with a message and no traceback; returns stderr."""
    assert proc.returncode == 2, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    no_traceback(proc)
    assert proc.stderr.strip(), "exit 2 without a message"
    return proc.stderr


@pytest.fixture
def cli() -> SimpleNamespace:
    """The helpers and constants above, for the test modules (conftest is not importable)."""
    return SimpleNamespace(
        REPO=REPO,
        SAMPLES=SAMPLES,
        RULES_DIR=RULES_DIR,
        SAMPLE_AS_OF=SAMPLE_AS_OF,
        SAMPLE_NAMES=SAMPLE_NAMES,
        PILLARS=PILLARS,
        SEVERITIES=SEVERITIES,
        sample=sample,
        sample_doc=sample_doc,
        run_cli=run_cli,
        ok=ok,
        usage_error=usage_error,
        no_traceback=no_traceback,
        IMPORT_AGENCY=IMPORT_AGENCY,
    )


IMPORT_AGENCY = {  # the agency the CSV import tests import into (before the invoices)
    "format": "tui-advisor/agency",
    "version": 1,
    "agency": {
        "name": "Studio Noord",
        "currency": "EUR",
        "monthly_operating_costs": 20000,
        "weekly_capacity_hours": 120,
        "payment_term_days": 14,
    },
    "cash": [{"date": "2026-11-20", "balance": 60000}],
    "clients": [{"id": "c-acme", "name": "ACME Ltd"}, {"id": "c-globex", "name": "Globex"}],
}


def _import_store(tmp_path: Path, run: Callable[..., subprocess.CompletedProcess], currency: str) -> Path:
    src = tmp_path / f"agency-{currency}.json"
    src.write_text(
        json.dumps(IMPORT_AGENCY | {"agency": IMPORT_AGENCY["agency"] | {"currency": currency}}), encoding="utf-8"
    )
    data = tmp_path / f"store-{currency}" / "agency.json"
    ok(run("import", src, "--data", data))
    return data


@pytest.fixture
def store(tmp_path: Path, run: Callable[..., subprocess.CompletedProcess]) -> Path:
    """An agency in EUR (the Dutch systems, Xero in an EUR organisation)."""
    return _import_store(tmp_path, run, "EUR")


@pytest.fixture
def store_usd(tmp_path: Path, run: Callable[..., subprocess.CompletedProcess]) -> Path:
    """An agency in USD (QuickBooks Online, FreshBooks)."""
    return _import_store(tmp_path, run, "USD")


@pytest.fixture(scope="session")
def _demo_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo imported once through the CLI (import reads no config or user directory)."""
    base = tmp_path_factory.mktemp("demo-store")
    path = base / "agency.json"
    isolated = {
        "HOME": str(base / "home"),
        "XDG_DATA_HOME": str(base / "home" / "data"),
        "XDG_CONFIG_HOME": str(base / "home" / "config"),
        "TUI_ADVISOR_DATA": str(base / "unused.json"),
        "TUI_ADVISOR_CONFIG": str(base / "unused.toml"),
    }
    ok(run_cli("import", sample("demo"), "--data", path, cwd=base, env=isolated))
    assert path.is_file()
    return path


@pytest.fixture
def demo_store(tmp_path: Path, _demo_store_template: Path) -> Path:
    """A data file of this test holding the demo agency."""
    path = tmp_path / "store" / "agency.json"
    path.parent.mkdir()
    shutil.copyfile(_demo_store_template, path)
    return path
