"""The user's config file (TOML), read strictly: every problem at once, with suggestions.

[rules]
disable = ["JRN", "DEAL002"]        # rule ids or prefixes
paths = ["~/team-rules"]            # extra rule files or directories
[rules.params.CASH001]              # override a rule's parameters
min_months = 4
[metrics]
full_load = 0.75                    # parameters of the metrics
[keys]                              # key bindings of the app, by binding id
quit = "ctrl+q"
[store]
backups = 10                        # backups kept next to the data file (0: none)
backup_minutes = 10                 # at most one backup per this many minutes
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from typing import Any

from ..fastclass import dataclass
from ..metrics import METRIC_PARAMS
from ..model import hint
from ..readfile import FileRefused, read_text
from .rules import MAX_PARAM, TomlError, TomlTooComplex, parse_toml, show


class ConfigError(Exception):
    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass
class Config:
    """The config file: rule files, disabled rules, parameters, keys and the store policy."""

    path: Path | None = None
    disable: list[str] = field(default_factory=list)
    rule_paths: list[Path] = field(default_factory=list)
    params: dict[str, dict[str, float]] = field(default_factory=dict)
    metric_params: dict[str, float] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    backups: int = 10
    backup_minutes: float = 10


def _name(key: str) -> str:
    """A section, rule id or key as written, when it is a plain short name; else shortly quoted."""
    return key if _PLAIN.fullmatch(key) else show(key)


def _hint(word: str, options: Any) -> str:
    if len(word) > 100:
        return ""
    return hint(word, options)


_PLAIN = re.compile(r"[A-Za-z0-9_-]{1,40}")
MAX_PROBLEMS = 50


def _is_num(v: Any) -> bool:
    """A number of sane size: not a bool, not inf or nan (TOML has them), below 1e15 either way."""
    return type(v) in (int, float) and abs(v) <= MAX_PARAM


def load_config(path: Path, *, required: bool = False) -> Config:
    """Read the config file; a missing file is an empty config unless ``required``.

    Like a rule file it is read only if it is a regular file (a symlink to one is fine: the
    user may have made it) of at most 256 KiB, and a TOML bomb is a ConfigError, not a hang
    or a traceback (see readfile.py and rules.parse_toml)."""
    try:
        text = read_text(path)
    except FileNotFoundError:
        if required:
            raise ConfigError(path, ["no such file"]) from None
        return Config()
    except FileRefused as exc:
        raise ConfigError(path, [str(exc)]) from None
    try:
        doc = parse_toml(text)
        return _read_config(path, doc)
    except TomlTooComplex as exc:
        raise ConfigError(path, [f"cannot be read: {exc}"]) from None
    except TomlError as exc:
        raise ConfigError(path, [f"not valid TOML: {exc}"]) from None
    except RecursionError:
        raise ConfigError(path, ["cannot be read: nested too deeply"]) from None
    except MemoryError:
        raise ConfigError(path, ["cannot be read: too large to read into memory"]) from None


def _read_config(path: Path, doc: dict[str, Any]) -> Config:
    problems: list[str] = []
    cfg = Config(path=path)
    for key in doc:
        if key not in ("rules", "metrics", "keys", "store"):
            problems.append(f"unknown section [{_name(key)}]{_hint(key, ('rules', 'metrics', 'keys', 'store'))}")
    rules = doc.get("rules", {})
    if not isinstance(rules, dict):
        problems.append("[rules] must be a table")
        rules = {}
    for key in rules:
        if key not in ("disable", "paths", "params"):
            problems.append(f"[rules] unknown key {show(key)}{_hint(key, ('disable', 'paths', 'params'))}")
    disable = rules.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(x, str) and x for x in disable):
        problems.append('[rules] disable must be a list of rule ids or prefixes, like ["JRN", "DEAL002"]')
    else:
        cfg.disable = disable
    paths = rules.get("paths", [])
    if not isinstance(paths, list) or not all(isinstance(x, str) for x in paths):
        problems.append("[rules] paths must be a list of files or directories")
    else:
        base = path.parent
        cfg.rule_paths = [(base / Path(p).expanduser()) for p in paths]
    params = rules.get("params", {})
    if not isinstance(params, dict):
        problems.append("[rules.params] must hold one table per rule id")
        params = {}
    for rid, values in params.items():
        if not isinstance(values, dict):
            problems.append(f"[rules.params.{_name(rid)}] must be a table of name = number")
            continue
        bad = [k for k, v in values.items() if not _is_num(v)]
        for k in bad:
            problems.append(
                f"[rules.params.{_name(rid)}] {_name(k)} must be a number between -1e15 and 1e15, got {show(values[k])}"
            )
        cfg.params[rid] = {k: v for k, v in values.items() if _is_num(v)}
    metrics = doc.get("metrics", {})
    if not isinstance(metrics, dict):
        problems.append("[metrics] must be a table")
        metrics = {}
    for k, v in metrics.items():
        if k not in METRIC_PARAMS:
            problems.append(
                f"[metrics] unknown parameter {show(k)}{_hint(k, METRIC_PARAMS)}; valid: {', '.join(METRIC_PARAMS)}"
            )
        elif not _is_num(v) or v <= 0:
            problems.append(f"[metrics] {k} must be a positive number, got {show(v)}")
        elif k in ("default_project_months", "horizon_days") and not float(v).is_integer():
            problems.append(f"[metrics] {k} must be a whole number, got {show(v)}")
        else:
            cfg.metric_params[k] = v
    store = doc.get("store", {})
    if not isinstance(store, dict):
        problems.append("[store] must be a table")
        store = {}
    for k, v in store.items():
        if k == "backups":
            if type(v) is not int or not 0 <= v <= 1000:
                problems.append(
                    f"[store] backups must be a whole number of backups to keep, from 0 (none) to 1000, got {show(v)}"
                )
            else:
                cfg.backups = v
        elif k == "backup_minutes":
            if not _is_num(v) or not 0 <= v <= 525_600:
                problems.append(
                    f"[store] backup_minutes must be a number of minutes from 0 to 525600 (a year), got {show(v)}"
                )
            else:
                cfg.backup_minutes = v
        else:
            problems.append(f"[store] unknown key {show(k)}{_hint(k, ('backups', 'backup_minutes'))}")
    keys = doc.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        problems.append('[keys] must map binding ids to keys, like quit = "ctrl+q"')
    else:
        cfg.keys = dict(keys)
    if problems:
        if len(problems) > MAX_PROBLEMS:
            problems = problems[:MAX_PROBLEMS] + [f"{len(problems) - MAX_PROBLEMS:,} more problems are not shown"]
        raise ConfigError(path, problems)
    return cfg
