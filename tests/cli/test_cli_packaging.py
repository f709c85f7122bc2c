"""The built wheel works on its own: the rules and the sample agencies are inside the package."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _pip(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pip", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"),
    )


def _build_wheel(src: Path, dist: Path) -> tuple[Path, str]:
    """Build the wheel as pip and pipx do (an isolated build environment); (wheel, pip's output)."""
    proc = _pip("wheel", "--no-deps", ".", "-w", str(dist), cwd=src)
    assert proc.returncode == 0, f"pip wheel failed:\n{proc.stdout}\n{proc.stderr}"
    wheels = list(dist.glob("tui_advisor-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0], proc.stdout + proc.stderr


def _copy_checkout(tmp_path: Path) -> Path:
    """The checkout's top-level files and package directories (a build must not race with
    people working in, or testing, the repository)."""
    src = tmp_path / "src"
    package_dirs = {"tui_advisor", "rules", "sample_data"}
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info")

    def ignore(directory: str, entries: list[str]) -> set[str]:
        if Path(directory) == REPO:
            return {e for e in entries if (REPO / e).is_dir() and e not in package_dirs}
        return skip(directory, entries)

    shutil.copytree(REPO, src, ignore=ignore)
    return src


@pytest.mark.stress  # builds a wheel and installs it into a fresh venv: 10-40 s
def test_wheel_installs_and_runs_from_elsewhere(tmp_path):
    src = _copy_checkout(tmp_path)
    wheel, built = _build_wheel(src, tmp_path / "dist")
    assert "deprecat" not in built.lower(), built

    names = zipfile.ZipFile(wheel).namelist()
    rule_files = sorted(p.name for p in (REPO / "rules").glob("*.toml"))
    sample_files = sorted(p.name for p in (REPO / "sample_data").glob("*.json"))
    assert (
        sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("tui_advisor/rules/") and n.endswith(".toml"))
        == rule_files
    )
    assert (
        sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("tui_advisor/sample_data/") and n.endswith(".json"))
        == sample_files
    )
    profile_files = sorted(p.name for p in (REPO / "tui_advisor" / "importing" / "profiles").glob("*.toml"))
    assert len(profile_files) >= 6  # the accounting exports' profiles are data files of the package
    assert sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("tui_advisor/importing/profiles/")) == (
        profile_files
    )

    target = tmp_path / "target"
    proc = _pip("install", "--no-deps", "--target", str(target), str(wheel), cwd=tmp_path)
    assert proc.returncode == 0, f"pip install failed:\n{proc.stdout}\n{proc.stderr}"

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target))

    def py(*args: str) -> subprocess.CompletedProcess:
        p = subprocess.run([sys.executable, *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, f"{args}: exit {p.returncode}\n{p.stdout}\n{p.stderr}"
        assert "Traceback" not in p.stderr
        return p

    where = Path(py("-c", "import tui_advisor, sys; print(tui_advisor.__file__)").stdout.strip()).resolve()
    assert where.is_relative_to(target.resolve()), where
    assert not where.is_relative_to(REPO.resolve())

    listed = py("-m", "tui_advisor", "rules", "list").stdout
    for rid in ("CASH001", "KEY001", "BUSY001", "JRN001"):
        assert rid in listed
    checked = py("-m", "tui_advisor", "rules", "check").stdout
    assert "rules OK" in checked
    assert str(target.resolve()) in checked or str(target) in checked  # the packaged rules, not the repo's

    text = py("-m", "tui_advisor", "advise", "--demo").stdout
    assert "Northwind Studio: advice as of 2026-11-26" in text
    doc = json.loads(py("-m", "tui_advisor", "advise", "--demo", "--format", "json").stdout)
    assert doc["agency"] == "Northwind Studio" and doc["recommendations"]
    profiles = py("-m", "tui_advisor", "import", "--list-profiles").stdout
    assert "moneybird: " in profiles and "quickbooks-online: " in profiles


@pytest.mark.stress  # builds a wheel and installs it into a fresh venv: 10-40 s
def test_the_wheel_in_a_fresh_venv_opens_the_app_on_a_terminal(tmp_path: Path) -> None:
    """What an admin does for the team: `pip install` the wheel (not editable) into a new
    environment outside the checkout, then start `tui-advisor`: the dashboard is drawn on a
    real terminal and `q` quits. Every subpackage of the app (screens, widgets) and its
    stylesheets must be in the wheel for this to work."""
    from cli.test_cli_terminal import _close, _quit, _read_until  # the pty helpers of tests/cli

    wheel, built = _build_wheel(_copy_checkout(tmp_path), tmp_path / "dist")
    assert "deprecat" not in built.lower(), built
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
        env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"),
    )
    assert pip.returncode == 0, f"pip install failed:\n{pip.stdout}\n{pip.stderr}"
    assert "deprecat" not in (pip.stdout + pip.stderr).lower(), pip.stderr
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    names = {p["name"].lower() for p in json.loads(installed.stdout)}
    assert "textual" in names and "pytest" not in names and "hypothesis" not in names  # runtime only

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR", "TEXTUAL", "COLUMNS", "LINES")}
    env.update(TERM="xterm-256color", PYTHONIOENCODING="utf-8", HOME=str(tmp_path / "home"))
    proc = subprocess.Popen(
        [str(venv / "bin" / "tui-advisor"), "--demo"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=elsewhere,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    try:
        shown = _read_until(master, proc, [b"Independence score", b"Cash (G5)", b"Recurring (G4)"], 120)
        assert b"Traceback" not in shown and b"ModuleNotFoundError" not in shown, shown[-2000:]
        assert b"Independence score" in shown and b"Cash (G5)" in shown, shown[-2000:]
        _quit(proc, master)
    finally:
        _close(proc, master)
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import tui_advisor.ui.screens as s; print(s.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert Path(where.strip()).resolve().is_relative_to(venv.resolve())
