"""Every path the program uses, in one place, with its environment override.

- the data file: ``--data PATH``, else ``TUI_ADVISOR_DATA``, else ``agency.json`` in the
  user's data directory (platformdirs: ``~/.local/share/tui-advisor`` on Linux);
- the config file: ``--config PATH``, else ``TUI_ADVISOR_CONFIG``, else ``config.toml`` in
  the user's config directory (``~/.config/tui-advisor`` on Linux);
- the cache of parsed rule files: ``TUI_ADVISOR_CACHE`` (empty: no cache), else the user's
  cache directory (``~/.cache/tui-advisor``);
- the built-in rules and the sample agencies, shipped inside the package.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tui-advisor"
_PACKAGE = Path(__file__).resolve().parent


def _packaged(name: str) -> Path:
    """A data directory of the installed package, or of the source checkout."""
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def rules_dir() -> Path:
    return _packaged("rules")


def sample_data_dir() -> Path:
    return _packaged("sample_data")


def sample_file(name: str) -> Path:
    stem = name.removesuffix(".json")
    return sample_data_dir() / f"{stem}.json"


def default_data_file() -> Path:
    env = os.environ.get("TUI_ADVISOR_DATA")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME) / "agency.json"


def default_config_file() -> Path:
    env = os.environ.get("TUI_ADVISOR_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def rules_cache_file() -> Path | None:
    """Where parsed rule files are kept between runs (None: parse them every time)."""
    env = os.environ.get("TUI_ADVISOR_CACHE")
    if env is not None:
        return Path(env).expanduser() / "parsed-rules.marshal" if env else None
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME) / "parsed-rules.marshal"
