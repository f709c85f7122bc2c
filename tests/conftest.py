"""Keep the user's real config and data out of every test; the synthetic agencies of benchmarks/."""

import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
STRESS = Path(__file__).resolve().parent / "stress"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/stress/ is a stress test (marker ``stress``: `make test` leaves them
    to `make test-stress`); a long test elsewhere says so with ``@pytest.mark.stress``."""
    for item in items:
        if item.path.is_relative_to(STRESS):
            item.add_marker(pytest.mark.stress)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("TUI_ADVISOR_CACHE", raising=False)
    monkeypatch.setenv("TUI_ADVISOR_DATA", str(home / "data" / "tui-advisor" / "agency.json"))
    monkeypatch.setenv("TUI_ADVISOR_CONFIG", str(home / "config" / "tui-advisor" / "config.toml"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield


@pytest.fixture
def local_zone() -> Iterator[Callable[[str], None]]:
    """``local_zone("Europe/Amsterdam")``: this process's local time zone (TZ and time.tzset())
    for the test; the zone before it is back afterwards. A subprocess takes it from TZ too."""
    before = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def synthetic_agency() -> Callable[[str], Any]:
    """``synthetic_agency("M")``: a synthetic agency of that size from benchmarks/generate.py,
    as an interchange document."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import generate
    finally:
        sys.path.remove(str(BENCHMARKS))
    return generate.generate
