"""Keep the user's real config and data out of every test."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("TUI_ADVISOR_DATA", str(home / "data" / "tui-advisor" / "agency.json"))
    monkeypatch.setenv("TUI_ADVISOR_CONFIG", str(home / "config" / "tui-advisor" / "config.toml"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield
