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
    return subprocess.run([sys.executable, "-m", "pip", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"))


def _build_wheel(src: Path, dist: Path) -> Path:
    proc = _pip("wheel", "--no-deps", "--no-build-isolation", ".", "-w", str(dist), cwd=src)
    if proc.returncode != 0:  # e.g. the venv's setuptools is too old or lacks bdist_wheel
        proc = _pip("wheel", "--no-deps", ".", "-w", str(dist), cwd=src)
    assert proc.returncode == 0, f"pip wheel failed:\n{proc.stdout}\n{proc.stderr}"
    wheels = list(dist.glob("tui_advisor-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.mark.slow
def test_wheel_installs_and_runs_from_elsewhere(tmp_path):
    # Build from a copy of the checkout: setuptools writes build/ and *.egg-info into the source
    # tree, which must not race with other people working in (or testing) the repository.
    # Copied: the top-level files (pyproject.toml, README.md, ...) and the package directories.
    src = tmp_path / "src"
    package_dirs = {"tui_advisor", "rules", "sample_data"}
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info")

    def ignore(directory: str, entries: list[str]) -> set[str]:
        if Path(directory) == REPO:
            return {e for e in entries if (REPO / e).is_dir() and e not in package_dirs}
        return skip(directory, entries)

    shutil.copytree(REPO, src, ignore=ignore)
    wheel = _build_wheel(src, tmp_path / "dist")

    names = zipfile.ZipFile(wheel).namelist()
    rule_files = sorted(p.name for p in (REPO / "rules").glob("*.toml"))
    sample_files = sorted(p.name for p in (REPO / "sample_data").glob("*.json"))
    assert sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("tui_advisor/rules/")
                  and n.endswith(".toml")) == rule_files
    assert sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("tui_advisor/sample_data/")
                  and n.endswith(".json")) == sample_files

    target = tmp_path / "target"
    proc = _pip("install", "--no-deps", "--target", str(target), str(wheel), cwd=tmp_path)
    assert proc.returncode == 0, f"pip install failed:\n{proc.stdout}\n{proc.stderr}"

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target))

    def py(*args: str) -> subprocess.CompletedProcess:
        p = subprocess.run([sys.executable, *args], cwd=elsewhere, env=env, capture_output=True, text=True,
                           timeout=120)
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
