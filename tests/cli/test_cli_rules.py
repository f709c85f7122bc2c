"""`tui-advisor rules ...`, user rule files and the config file, as seen from the command line."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


def builtin_rules() -> dict[str, dict]:
    """The built-in rules, read straight from rules/*.toml (with the file-wide pillar applied)."""
    out = {}
    for path in sorted(RULES_DIR.glob("*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        for rule in doc.get("rule", []):
            out[rule["id"]] = {"pillar": doc.get("pillar"), **rule}
    return out


BROKEN = """\
pillar = "cash"

[[rule]]
id = "MY001"
name = "cash-typo"
source = "G5"
severity = "warning"
when = "cash_monthz < 2"
title = "Cash is low"
message = "Cash is low."
rationale = "Because."
actions = ["Do something."]

[[rule]]
id = "MY002"
name = "bad-severity"
source = "G5"
severity = "urgent"
when = "cash_months < 2"
title = "Cash is low"
message = "Cash is low."
rationale = "Because."
actions = ["Do something."]

[[rule]]
id = "MY003"
name = "bad-placeholder"
source = "G5"
severity = "info"
when = "cash_months < 2"
title = "Cash covers {cash_mnths:.1f} months"
message = "Cash is low."
rationale = "Because."
actions = ["Do something."]
"""

OVERRIDE = """\
[[rule]]
id = "CASH002"
name = "cash-below-ideal"
pillar = "cash"
source = "G5"
severity = "critical"
when = "cash_months < 10"
title = "Team policy: {cash_months:.1f} months of cash is not enough"
message = "Our own threshold is ten months."
rationale = "Team policy."
actions = ["Save more."]
"""


def advise_json(run, cli, *args, **kw) -> dict:
    return json.loads(cli.ok(run("advise", "--demo", "--format", "json", *args, **kw)).stdout)


# ------------------------------------------------------------------ list / explain


def test_rules_list_text(run, cli):
    out = cli.ok(run("rules", "list")).stdout
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "SEVERITY", "PILLAR", "GUIDE", "STATUS", "NAME"]
    rows = {line.split()[0]: line.split() for line in lines[1:] if re.match(r"[A-Z]{2,8}\d{3} ", line)}
    expected = builtin_rules()
    assert set(rows) == set(expected)
    for rid, row in rows.items():
        assert row[1] == expected[rid]["severity"]
        assert row[2] == expected[rid]["pillar"]
        assert row[4] == "enabled"
        assert row[5] == expected[rid]["name"]
    assert {row[2] for row in rows.values()} == set(cli.PILLARS)
    assert f"{len(expected)} rules." in out


def test_rules_list_json(run, cli):
    rules = json.loads(cli.ok(run("rules", "list", "--format", "json")).stdout)
    expected = builtin_rules()
    ids = [r["id"] for r in rules]
    assert ids == sorted(expected)
    for r in rules:
        assert r["severity"] in cli.SEVERITIES
        assert r["severity"] == expected[r["id"]]["severity"]
        assert r["pillar"] == expected[r["id"]]["pillar"]
        assert r["status"] == "enabled"
        assert r["params"] == expected[r["id"]].get("params", {})
    assert {r["pillar"] for r in rules} == set(cli.PILLARS)


def test_rules_explain_cash001(run, cli):
    rule = builtin_rules()["CASH001"]
    out = cli.ok(run("rules", "explain", "CASH001")).stdout
    assert out.startswith(f"CASH001 {rule['name']}")
    assert rule["when"].strip() in out  # the condition
    for k, v in rule["params"].items():  # the parameters
        assert f"{k} = {v}" in out
    assert "Why:" in out
    rationale = " ".join(rule["rationale"].split())
    assert rationale[:60] in " ".join(out.split())  # the rationale (wrapped)
    assert "What to do:" in out
    assert "rules/cash.toml" in out


@pytest.mark.parametrize("spelling", ["cash001", "cash-below-minimum"])
def test_rules_explain_by_lower_case_id_or_name(spelling, run, cli):
    assert cli.ok(run("rules", "explain", spelling)).stdout.startswith("CASH001 ")


def test_rules_explain_unknown_id_suggests(run, cli):
    proc = run("rules", "explain", "CASH01")
    err = cli.usage_error(proc)
    assert "CASH01" in err
    assert "did you mean" in err and "CASH001" in err
    assert proc.stdout == ""
    err = cli.usage_error(run("rules", "explain", "NOPE999"))
    assert "NOPE999" in err and "rules list" in err


def test_rules_check_builtins(run, cli):
    proc = cli.ok(run("rules", "check"))
    assert f"{len(builtin_rules())} rules OK" in proc.stdout


def test_rules_metrics_lists_the_metric_names(run, cli):
    out = cli.ok(run("rules", "metrics")).stdout
    for name in ("cash_months", "top_client_share", "booked_days"):
        assert name in out


# ------------------------------------------------------------------ broken and overriding rule files


def test_rules_check_broken_file(run, cli, tmp_path):
    (tmp_path / "broken.toml").write_text(BROKEN, encoding="utf-8")
    proc = run("rules", "check", "broken.toml")
    assert proc.returncode == 1, proc
    cli.no_traceback(proc)
    problems = [line for line in proc.stdout.splitlines() if line.strip()]
    assert len(problems) == 3, problems
    by_rule = {}
    for line in problems:
        m = re.match(r"broken\.toml:(\d+): rule (MY\d{3}): (.+)", line)
        assert m, line
        by_rule[m.group(2)] = (int(m.group(1)), m.group(3))
    assert set(by_rule) == {"MY001", "MY002", "MY003"}
    lines = BROKEN.splitlines()
    for rid, (line, _) in by_rule.items():
        assert lines[line - 1] == f'id = "{rid}"'
    assert "unknown name 'cash_monthz'" in by_rule["MY001"][1]
    assert "did you mean" in by_rule["MY001"][1] and "'cash_months'" in by_rule["MY001"][1]
    assert "severity 'urgent'" in by_rule["MY002"][1]
    assert "{cash_mnths}" in by_rule["MY003"][1] and "cash_months" in by_rule["MY003"][1]
    assert "3 problem(s)" in proc.stderr


def test_rules_check_missing_file(run, cli):
    proc = run("rules", "check", "nowhere.toml")
    assert proc.returncode == 1
    cli.no_traceback(proc)
    assert "nowhere.toml" in proc.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_advise_with_a_broken_rule_file_still_runs_and_warns(fmt, run, cli, tmp_path):
    (tmp_path / "broken.toml").write_text(BROKEN, encoding="utf-8")
    plain = cli.ok(run("advise", "--demo", "--format", fmt))
    proc = cli.ok(run("advise", "--demo", "--format", fmt, "--rules", "broken.toml"))
    assert plain.stderr == ""
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning:")]
    assert warnings, proc.stderr
    assert all("broken.toml" in w for w in warnings)
    assert any("MY001" in w and "cash_monthz" in w for w in warnings)


def test_advise_with_a_broken_rule_file_keeps_the_builtin_advice(run, cli, tmp_path):
    (tmp_path / "broken.toml").write_text(BROKEN, encoding="utf-8")
    plain = advise_json(run, cli)
    broken = advise_json(run, cli, "--rules", "broken.toml")
    assert broken["recommendations"] == plain["recommendations"]
    assert broken["score"] == plain["score"]
    assert any("broken.toml" in w for w in broken["warnings"])
    text = cli.ok(run("advise", "--demo", "--rules", "broken.toml")).stdout
    for r in plain["recommendations"]:
        assert r["title"] in text


def test_user_rule_overrides_a_builtin(run, cli, tmp_path):
    (tmp_path / "team.toml").write_text(OVERRIDE, encoding="utf-8")
    plain = {r["rule"]: r for r in advise_json(run, cli)["recommendations"]}
    assert plain["CASH002"]["severity"] == "warning"
    assert plain["CASH002"]["title"].startswith("Cash covers")
    advice = advise_json(run, cli, "--rules", "team.toml")
    recs = {r["rule"]: r for r in advice["recommendations"]}
    assert recs["CASH002"]["severity"] == "critical"
    assert recs["CASH002"]["title"] == "Team policy: 4.0 months of cash is not enough"
    assert advice["recommendations"][0]["rule"] == "CASH002"  # the only critical one
    assert [r for r in advice["recommendations"] if r["rule"] == "CASH002"] == [recs["CASH002"]]
    # the rule list shows where it comes from, and check notes the replacement
    listed = {
        r["id"]: r for r in json.loads(cli.ok(run("rules", "list", "--format", "json", "--rules", "team.toml")).stdout)
    }
    assert listed["CASH002"]["file"] == "team.toml"
    assert len(listed) == len(builtin_rules())
    proc = cli.ok(run("rules", "check", "--rules", "team.toml"))
    assert "CASH002 replaces the built-in rule" in proc.stdout


def test_rules_directory(run, cli, tmp_path):
    d = tmp_path / "team-rules"
    d.mkdir()
    (d / "override.toml").write_text(OVERRIDE, encoding="utf-8")
    recs = {r["rule"]: r for r in advise_json(run, cli, "--rules", d)["recommendations"]}
    assert recs["CASH002"]["severity"] == "critical"


# ------------------------------------------------------------------ config file


@pytest.mark.parametrize("how", ["env", "option"])
def test_config_disables_key_client_rules(how, run, cli, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[rules]\ndisable = ["KEY"]\n', encoding="utf-8")
    plain = advise_json(run, cli)
    assert any(r["rule"].startswith("KEY") for r in plain["recommendations"])  # the control
    if how == "env":
        advice = advise_json(run, cli, env={"TUI_ADVISOR_CONFIG": str(cfg)})
        listed = json.loads(
            cli.ok(run("rules", "list", "--format", "json", env={"TUI_ADVISOR_CONFIG": str(cfg)})).stdout
        )
    else:
        advice = advise_json(run, cli, "--config", cfg)
        listed = json.loads(cli.ok(run("rules", "list", "--format", "json", "--config", cfg)).stdout)
    assert not any(r["rule"].startswith("KEY") for r in advice["recommendations"])
    assert [r for r in advice["recommendations"] if not r["rule"].startswith("KEY")] != []
    for r in listed:
        assert r["status"] == ("disabled" if r["id"].startswith("KEY") else "enabled"), r["id"]


def test_config_params_change_the_cash002_title(run, cli, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[rules.params.CASH002]\nideal_months = 9\n", encoding="utf-8")
    plain = {r["rule"]: r for r in advise_json(run, cli)["recommendations"]}
    assert plain["CASH002"]["title"] == "Cash covers 4.0 months of costs: build toward 6"
    tuned = {r["rule"]: r for r in advise_json(run, cli, "--config", cfg)["recommendations"]}
    assert tuned["CASH002"]["title"] == "Cash covers 4.0 months of costs: build toward 9"
    via_env = {r["rule"]: r for r in advise_json(run, cli, env={"TUI_ADVISOR_CONFIG": str(cfg)})["recommendations"]}
    assert via_env["CASH002"]["title"] == tuned["CASH002"]["title"]
    explained = cli.ok(run("rules", "explain", "CASH002", "--config", cfg)).stdout
    assert "ideal_months = 9" in explained and "(default 6)" in explained


@pytest.mark.parametrize("how", ["env", "option"])
def test_config_with_an_unknown_section_is_a_usage_error(how, run, cli, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[rulez]\ndisable = ["KEY"]\n\n[metrics]\nfull_lod = 0.8\n', encoding="utf-8")
    args = ["advise", "--demo"]
    proc = run(*args, env={"TUI_ADVISOR_CONFIG": str(cfg)}) if how == "env" else run(*args, "--config", cfg)
    err = cli.usage_error(proc)
    assert str(cfg) in err
    assert "2 problem(s)" in err
    assert "unknown section [rulez]" in err and "did you mean 'rules'" in err
    assert "full_lod" in err and "full_load" in err
    assert proc.stdout == ""


def test_config_that_is_not_toml(run, cli, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[rules\ndisable = \n", encoding="utf-8")
    err = cli.usage_error(run("advise", "--demo", "--config", cfg))
    assert str(cfg) in err and "TOML" in err


def test_missing_config_given_explicitly_is_a_usage_error(run, cli, tmp_path):
    err = cli.usage_error(run("advise", "--demo", "--config", tmp_path / "nope.toml"))
    assert "nope.toml" in err


def test_config_rule_paths_are_relative_to_the_config(run, cli, tmp_path):
    conf_dir = tmp_path / "conf"
    conf_dir.mkdir()
    (conf_dir / "team.toml").write_text(OVERRIDE, encoding="utf-8")
    cfg = conf_dir / "config.toml"
    cfg.write_text('[rules]\npaths = ["team.toml"]\n', encoding="utf-8")
    recs = {r["rule"]: r for r in advise_json(run, cli, "--config", cfg)["recommendations"]}
    assert recs["CASH002"]["severity"] == "critical"
