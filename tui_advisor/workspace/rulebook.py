"""What an agency is judged by: the config and the rules it loaded (a :class:`Rulebook`).

Called a rulebook, not "settings": ``model.Settings`` is the agency's own settings
record inside its data file; this is the other thing, the config file and the rule
files (built-in plus the user's) a session or a command runs with.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date
from pathlib import Path

from .. import model, paths
from ..engine import advise as advise_mod
from ..engine.config import Config, load_config
from ..engine.rules import RuleSet, load_rules
from ..fastclass import dataclass


@dataclass
class Rulebook:
    """The config and the rules loaded with it, and the warnings the config gave."""

    config: Config
    ruleset: RuleSet
    warnings: list[str] = field(default_factory=list)

    def advise(self, data: model.AgencyData, as_of: date) -> advise_mod.Advice:
        """The advice on ``data`` as of a day, with this config's overrides and warnings."""
        cfg = self.config
        advice = advise_mod.advise(
            data, as_of, self.ruleset, disable=cfg.disable, params=cfg.params, metric_params=cfg.metric_params
        )
        advice.warnings = self.warnings + advice.warnings
        return advice


def read_config(config_path: Path | None = None) -> Config:
    """The config file alone (an explicit path must exist), for commands that run no rules."""
    if config_path is not None:
        return load_config(config_path, required=True)
    return load_config(paths.default_config_file())


def load_rulebook(config_path: Path | None = None, extra_rules: list[Path] | None = None) -> Rulebook:
    """Read the config (explicit path: must exist) and the built-in plus user rules."""
    config = read_config(config_path)
    ruleset = load_rules(
        paths.rules_dir(), list(config.rule_paths) + list(extra_rules or []), cache=paths.rules_cache_file()
    )
    warnings = (
        advise_mod.check_overrides(ruleset.rules, f"config {config.path}", config.disable, config.params)
        if config.path
        else []
    )
    return Rulebook(config=config, ruleset=ruleset, warnings=warnings)
