"""Loading rule files and the config file: every problem reported with file, line, rule id and a hint."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tui_advisor import paths
from tui_advisor.engine.config import Config, ConfigError, load_config
from tui_advisor.engine.rules import PILLARS, SEVERITIES, SOURCES, RuleProblem, load_file, load_rules
from tui_advisor.metrics import METRIC_PARAMS

BASE: dict[str, Any] = {
    "id": "TEST001",
    "name": "test-rule",
    "source": "G5",
    "severity": "warning",
    "when": "cash_months < min_months",
    "distance": "(min_months - cash_months) / min_months",
    "title": "Cash covers {cash_months:.1f} months",
    "message": "The balance is {cash_balance:,.0f} {currency}.",
    "rationale": "Three months is essential (G5).",
    "actions": ["Cut expenses."],
    "params": {"min_months": 3},
}


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(v)


def rule_toml(pillar: str | None = "cash", **changes: Any) -> str:
    """One [[rule]] table: BASE with changes (a value of None drops the key)."""
    fields = {**BASE, **changes}
    fields = {k: v for k, v in fields.items() if v is not None}
    head = f"pillar = {json.dumps(pillar)}\n\n" if pillar is not None else ""
    return head + rule_table(fields)


def rule_table(fields: dict[str, Any]) -> str:
    lines = ["[[rule]]"]
    params = fields.get("params")
    for k, v in fields.items():
        if k != "params" and v is not None:
            lines.append(f"{k} = {_toml_value(v)}")
    if params is not None:
        if isinstance(params, dict):
            lines.append("[rule.params]")
            lines += [f"{k} = {_toml_value(v)}" for k, v in params.items()]
        else:
            lines.append(f"params = {_toml_value(params)}")
    return "\n".join(lines) + "\n"


def id_line(text: str, rule_id: str) -> int:
    for i, line in enumerate(text.splitlines(), 1):
        if re.match(rf'\s*id\s*=\s*"{rule_id}"', line):
            return i
    raise AssertionError(f"no id line for {rule_id}")


def write(tmp_path: Path, text: str, name: str = "team.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_one_problem(tmp_path: Path, text: str, rule_id: str | None = "TEST001") -> RuleProblem:
    path = write(tmp_path, text)
    rules, problems = load_file(path)
    assert rules == [], "a broken rule must not be loaded"
    assert len(problems) >= 1
    p = problems[0]
    assert p.file == str(path)
    if rule_id is not None:
        assert p.rule == rule_id
        assert p.line == id_line(text, rule_id)
        assert str(p).startswith(f"{path}:{p.line}: rule {rule_id}: ")
    return p


# -------------------------------------------------------------------------- a valid file


def test_the_base_rule_is_valid(tmp_path: Path) -> None:
    path = write(tmp_path, rule_toml())
    rules, problems = load_file(path)
    assert problems == []
    [rule] = rules
    assert (rule.id, rule.pillar, rule.source, rule.severity) == ("TEST001", "cash", "G5", "warning")
    assert rule.file == str(path) and rule.line == 4
    assert rule.params == {"min_months": 3}
    assert {"cash_months", "min_months"} <= rule.names


# ---------------------------------------------------------------------------- `when`


def test_unknown_metric_in_when_suggests_the_close_name(tmp_path: Path) -> None:
    p = load_one_problem(tmp_path, rule_toml(when="cash_month < min_months", distance=None))
    assert "'cash_month'" in p.message
    assert "did you mean" in p.message and "'cash_months'" in p.message
    assert "valid names" in p.message and "min_months" in p.message


def test_unknown_name_in_distance_is_reported_too(tmp_path: Path) -> None:
    p = load_one_problem(tmp_path, rule_toml(distance="(min_month - cash_months) / min_months"))
    assert p.message.startswith("distance:")
    assert "'min_month'" in p.message and "'min_months'" in p.message


def test_unknown_item_field_in_an_each_rule_lists_the_fields(tmp_path: Path) -> None:
    text = rule_toml(
        pillar="deals",
        each="open_inquiries",
        when="rushd == 1",
        distance=None,
        title="Rush fee on {prospect}",
        message="{prospect}",
        params=None,
    )
    p = load_one_problem(tmp_path, text)
    assert "'rushd'" in p.message and "'rushed'" in p.message
    assert "fields of open_inquiries" in p.message and "notice_days" in p.message


@pytest.mark.parametrize(
    "when, hint",
    [
        ("__import__('os')", "only the functions min, max and abs"),
        ("__import__('os').system('touch PWNED')", "only the functions min, max and abs"),
        ("cash_months.__class__", "Attribute is not allowed"),
        ("().__class__.__bases__[0]", "not allowed"),
        ("[c for c in cash_months]", "not allowed"),
        ("(lambda: 1)()", "only the functions min, max and abs"),
        ("open('x')", "only the functions min, max and abs"),
        ("cash_months ** 2 > 9", "not allowed"),
        ("cash_months in (1, 2)", "not allowed"),
        ("cash_months < ", "syntax error"),
    ],
)
def test_unsafe_or_invalid_condition_is_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str, hint: str
) -> None:
    monkeypatch.chdir(tmp_path)
    p = load_one_problem(tmp_path, rule_toml(when=when, distance=None))
    assert p.message.startswith("when:")
    assert hint in p.message
    assert not (tmp_path / "PWNED").exists(), "a condition must never run while loading"


# ------------------------------------------------------------------------- templates


@pytest.mark.parametrize(
    "title, hint",
    [
        ("{x.__class__}", "must be a plain name"),
        ("{cash_months.__class__.__init__.__globals__}", "must be a plain name"),
        ("{cash_months[0]}", "must be a plain name"),
        ("{0}", "must be a plain name"),
        ("{}", "must be a plain name"),
        ("{cash_months!r}", "conversions are not allowed"),
        ("{cash_months:{min_months}}", "nested placeholders are not allowed"),
    ],
)
def test_unsafe_template_placeholder_is_rejected(tmp_path: Path, title: str, hint: str) -> None:
    p = load_one_problem(tmp_path, rule_toml(title=title))
    assert p.message.startswith("title:")
    assert hint in p.message


def test_unknown_placeholder_suggests_the_close_name(tmp_path: Path) -> None:
    p = load_one_problem(tmp_path, rule_toml(message="The balance is {cash_balanse:,.0f} {currency}."))
    assert p.message.startswith("message:")
    assert "{cash_balanse}" in p.message and "'cash_balance'" in p.message


def test_bad_format_spec_is_rejected(tmp_path: Path) -> None:
    p = load_one_problem(tmp_path, rule_toml(title="Cash covers {cash_months:.1q} months"))
    assert "format spec" in p.message and "'.1q'" in p.message


def test_template_may_use_metrics_params_and_extras(tmp_path: Path) -> None:
    text = rule_toml(title="{agency} on {as_of}: {cash_months:.1f} of {min_months} months ({currency})")
    rules, problems = load_file(write(tmp_path, text))
    assert problems == [] and len(rules) == 1


# ---------------------------------------------------------------- keys and their values


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"severity": "urgent"}, ["severity 'urgent'", "critical, warning, info"]),
        ({"severity": "Critical"}, ["severity 'Critical'", "did you mean 'critical'"]),
        ({"pillar": "money"}, ["pillar 'money'", "cash, key_client"]),
        ({"pillar": "cashh"}, ["pillar 'cashh'", "did you mean 'cash'"]),
        ({"source": "G10"}, ["source 'G10'", "G1 to G9"]),
        ({"source": "G0"}, ["source 'G0'", "G1 to G9"]),
        ({"source": "g5"}, ["source 'g5'", "G1 to G9"]),
        ({"id": "cash1"}, ["id 'cash1'", "like 'CASH001'"]),
        ({"name": "Cash Below"}, ["name 'Cash Below'", "kebab-case"]),
        ({"actions": []}, ["actions must be a non-empty list"]),
        ({"title": "  "}, ["title must be a non-empty string"]),
        ({"params": {"min_months": "three"}}, ["parameter 'min_months' must be a number"]),
        ({"params": {"cash_months": 3}}, ["parameter 'cash_months' has the name of a metric"]),
        ({"each": "open_inquiry"}, ["each 'open_inquiry' is not a finding", "did you mean 'open_inquiries'"]),
        ({"group": 3}, ["group must be a string"]),
    ],
)
def test_bad_value_is_reported_with_file_line_and_rule(
    tmp_path: Path, changes: dict[str, Any], words: list[str]
) -> None:
    rid = changes.get("id", "TEST001")
    text = rule_toml(**changes)
    path = write(tmp_path, text)
    rules, problems = load_file(path)
    assert rules == []
    assert problems, "the problem must be reported"
    p = problems[0]
    assert p.file == str(path) and p.line == id_line(text, rid)
    if rid == "TEST001":
        assert p.rule == "TEST001"
    joined = " | ".join(q.message for q in problems)
    for w in words:
        assert w in joined


@pytest.mark.parametrize(
    "key", ["id", "name", "source", "severity", "when", "title", "message", "rationale", "actions"]
)
def test_missing_key_is_reported(tmp_path: Path, key: str) -> None:
    text = rule_toml(**{key: None})
    path = write(tmp_path, text)
    rules, problems = load_file(path)
    assert rules == []
    assert any(f"missing required key {key!r}" in p.message for p in problems), [str(p) for p in problems]
    p = problems[0]
    assert p.file == str(path)
    if key != "id":
        assert p.rule == "TEST001" and p.line == id_line(text, "TEST001")


def test_missing_pillar_is_reported(tmp_path: Path) -> None:
    p = load_one_problem(tmp_path, rule_toml(pillar=None))
    assert "pillar None" in p.message


def test_unknown_key_is_reported_with_a_suggestion(tmp_path: Path) -> None:
    text = rule_toml(severity=None, severty="warning")
    path = write(tmp_path, text)
    rules, problems = load_file(path)
    assert rules == []
    messages = [p.message for p in problems]
    assert "unknown key 'severty' (did you mean 'severity'?)" in messages
    assert "missing required key 'severity'" in messages
    assert all(p.rule == "TEST001" and p.line == id_line(text, "TEST001") for p in problems)


def test_unknown_top_level_key_is_reported(tmp_path: Path) -> None:
    text = 'pillars = "cash"\n' + rule_toml(pillar="cash")
    rules, problems = load_file(write(tmp_path, text))
    assert any(
        "unknown top-level key 'pillars'" in p.message and "did you mean 'pillar'" in p.message for p in problems
    )


def test_rules_must_be_an_array_of_tables(tmp_path: Path) -> None:
    rules, problems = load_file(write(tmp_path, 'pillar = "cash"\nrule = "CASH001"\n'))
    assert rules == [] and any("[[rule]]" in p.message for p in problems)


@pytest.mark.parametrize(
    "text, line",
    [
        ('pillar = "cash"\n\n[[rule]]\nid = "TEST001\nname = "x"\n', 4),
        ('pillar = "cash"\n[[rule]]\nid = "TEST001"\nname "test-rule"\n', 4),
        ('pillar = "cash"\n\n\n\n\n[[rule]\n', 6),
        ('pillar = "cash"\npillar = "busy"\n', 2),
    ],
)
def test_invalid_toml_reports_the_line(tmp_path: Path, text: str, line: int) -> None:
    path = write(tmp_path, text)
    rules, problems = load_file(path)
    assert rules == []
    [p] = problems
    assert p.message.startswith("not valid TOML")
    assert p.file == str(path) and p.line == line
    assert str(p).startswith(f"{path}:{line}: ")


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('title = "caf\xe9"\n'.encode("latin-1"))
    rules, problems = load_file(path)
    assert rules == [] and "cannot read" in problems[0].message


def test_every_problem_of_a_file_is_reported_and_good_rules_still_load(tmp_path: Path) -> None:
    text = (
        'pillar = "cash"\n\n'
        + rule_table({**BASE, "id": "TEST001", "severity": "urgent", "source": "G10"})
        + "\n"
        + rule_table({**BASE, "id": "TEST002"})
        + "\n"
        + rule_table({**BASE, "id": "TEST003", "when": "cash_month < 3", "distance": None})
    )
    path = write(tmp_path, text)
    rules, problems = load_file(path)
    assert [r.id for r in rules] == ["TEST002"]
    by_rule: dict[str | None, list[RuleProblem]] = {}
    for p in problems:
        by_rule.setdefault(p.rule, []).append(p)
    assert set(by_rule) == {"TEST001", "TEST003"}
    assert len(by_rule["TEST001"]) == 2  # severity and source
    assert {p.line for p in by_rule["TEST001"]} == {id_line(text, "TEST001")}
    assert {p.line for p in by_rule["TEST003"]} == {id_line(text, "TEST003")}
    assert id_line(text, "TEST001") < id_line(text, "TEST003")


def test_an_id_used_twice_in_a_file_is_reported(tmp_path: Path) -> None:
    text = 'pillar = "cash"\n\n' + rule_table(dict(BASE)) + "\n" + rule_table(dict(BASE))
    rules, problems = load_file(write(tmp_path, text))
    assert len(rules) == 1
    assert any(p.rule == "TEST001" and "used twice" in p.message for p in problems)


def test_an_id_used_in_two_builtin_files_is_reported(tmp_path: Path) -> None:
    """Two files of the rules directory define the same id: reported, with file, line and id."""
    builtin = tmp_path / "rules"
    builtin.mkdir()
    write(builtin, rule_toml(), "a.toml")
    text_b = rule_toml(title="Another title")
    write(builtin, text_b, "b.toml")
    rs = load_rules(builtin)
    assert len(rs.rules) == 1
    assert rs.replaced == []
    [p] = rs.problems
    assert p.rule == "TEST001" and p.file.endswith("b.toml") and p.line == id_line(text_b, "TEST001")
    assert "a.toml" in p.message


def test_an_id_used_in_two_user_files_is_reported_not_counted_as_replacing(tmp_path: Path) -> None:
    one = write(tmp_path, rule_toml(id="TEAM001"), "one.toml")
    two = write(tmp_path, rule_toml(id="TEAM001", title="Second"), "two.toml")
    rs = load_rules(paths.rules_dir(), [one, two])
    assert rs.replaced == []
    assert [p.rule for p in rs.problems] == ["TEAM001"]
    assert rs.problems[0].file == str(two) and str(one) in rs.problems[0].message


# ------------------------------------------------------------------- built-in + user rules


def test_a_broken_user_file_does_not_stop_the_builtin_rules(tmp_path: Path) -> None:
    builtin_ids = {r.id for r in load_rules(paths.rules_dir()).rules}
    broken = write(tmp_path, rule_toml(when="__import__('os')", distance=None), "broken.toml")
    not_toml = write(tmp_path, "[[rule]\n", "not_toml.toml")
    missing = tmp_path / "missing.toml"
    rs = load_rules(paths.rules_dir(), [broken, not_toml, missing])
    assert {r.id for r in rs.rules} == builtin_ids
    files = {p.file for p in rs.problems}
    assert {str(broken), str(not_toml), str(missing)} <= files
    assert any("no such rule file" in p.message for p in rs.problems if p.file == str(missing))
    assert rs.replaced == []


def test_a_user_rule_with_a_builtin_id_replaces_it(tmp_path: Path) -> None:
    builtin = load_rules(paths.rules_dir())
    user = write(
        tmp_path, rule_toml(id="CASH001", name="cash-below-team-minimum", severity="critical", params={"min_months": 4})
    )
    rs = load_rules(paths.rules_dir(), [user])
    assert rs.problems == []
    assert rs.replaced == ["CASH001"]
    assert len(rs.rules) == len(builtin.rules)
    rule = rs.by_id()["CASH001"]
    assert rule.file == str(user) and rule.name == "cash-below-team-minimum" and rule.params == {"min_months": 4}


def test_a_user_rule_directory_adds_its_rules(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    write(team, rule_toml(id="TEAM001"), "one.toml")
    write(team, rule_toml(id="TEAM002"), "two.toml")
    write(team, "not a rule file", "notes.txt")
    rs = load_rules(paths.rules_dir(), [team])
    assert rs.problems == []
    assert {"TEAM001", "TEAM002"} <= set(rs.by_id())


# ------------------------------------------------------------------------ built-in rules


@pytest.fixture(scope="module")
def builtin():
    rs = load_rules(paths.rules_dir())
    assert rs.problems == [], [str(p) for p in rs.problems]
    return rs


def test_builtin_rules_are_complete(builtin) -> None:
    assert len(builtin.rules) >= 20
    for r in builtin.rules:
        assert re.fullmatch(r"[A-Z]{2,8}[0-9]{3}", r.id), r.id
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", r.name), r.id
        assert r.pillar in PILLARS, r.id
        assert r.source in SOURCES, r.id
        assert r.severity in SEVERITIES, r.id
        assert r.title and r.message and r.rationale and r.actions, r.id
        assert r.source in r.rationale, f"{r.id}: the rationale should cite {r.source}"
        assert r.file.startswith("rules/") and r.line, r.id


def test_builtin_ids_and_names_are_unique_across_files(builtin) -> None:
    per_file = [load_file(p)[0] for p in sorted(paths.rules_dir().glob("*.toml"))]
    ids = [r.id for rules in per_file for r in rules]
    assert len(ids) == len(set(ids))
    names = [r.name for r in builtin.rules]
    assert len(names) == len(set(names))


def test_builtin_rules_cover_every_guide_item(builtin) -> None:
    covered = {r.source for r in builtin.rules}
    assert covered == {f"G{i}" for i in range(1, 10)}


def test_the_independence_pillars_match_the_guide_items(builtin) -> None:
    for pillar, source in (
        ("busy", "G2"),
        ("key_client", "G3"),
        ("recurring", "G4"),
        ("cash", "G5"),
        ("inquiries", "G6"),
    ):
        assert PILLARS[pillar]["independence"] and PILLARS[pillar]["source"] == source
        assert any(r.pillar == pillar and r.source == source for r in builtin.rules), pillar


def test_builtin_rule_files_have_one_pillar_each() -> None:
    for path in sorted(paths.rules_dir().glob("*.toml")):
        rules, problems = load_file(path)
        assert problems == [] and rules, path
        assert len({r.pillar for r in rules}) == 1, path


# ----------------------------------------------------------------------------- config


def config_problems(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text, "config.toml")
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    assert exc.value.path == path
    assert str(path) in str(exc.value)
    return exc.value.problems


def test_config_valid_file(tmp_path: Path) -> None:
    text = (
        '[rules]\ndisable = ["JRN", "DEAL002"]\npaths = ["team-rules"]\n'
        "[rules.params.CASH001]\nmin_months = 4\n"
        "[metrics]\nfull_load = 0.75\n"
        '[keys]\nquit = "ctrl+q"\n'
    )
    cfg = load_config(write(tmp_path, text, "config.toml"))
    assert cfg.disable == ["JRN", "DEAL002"]
    assert cfg.rule_paths == [tmp_path / "team-rules"]
    assert cfg.params == {"CASH001": {"min_months": 4}}
    assert cfg.metric_params == {"full_load": 0.75}
    assert cfg.keys == {"quit": "ctrl+q"}


def test_config_missing_file(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.toml") == Config()
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path / "nope.toml", required=True)
    assert exc.value.problems == ["no such file"]


def test_config_unknown_section_suggests_the_close_one(tmp_path: Path) -> None:
    problems = config_problems(tmp_path, '[rule]\ndisable = ["JRN"]\n[metric]\nfull_load = 0.7\n')
    assert "unknown section [rule] (did you mean 'rules'?)" in problems
    assert "unknown section [metric] (did you mean 'metrics'?)" in problems


def test_config_unknown_key_suggests_the_close_one(tmp_path: Path) -> None:
    problems = config_problems(tmp_path, '[rules]\ndisabled = ["JRN"]\npath = ["x"]\n')
    assert "[rules] unknown key 'disabled' (did you mean 'disable'?)" in problems
    assert "[rules] unknown key 'path' (did you mean 'paths'?)" in problems


def test_config_unknown_metric_parameter_suggests_and_lists(tmp_path: Path) -> None:
    [p] = config_problems(tmp_path, "[metrics]\nfull_loud = 0.7\n")
    assert "unknown parameter 'full_loud'" in p and "did you mean 'full_load'" in p
    for name in METRIC_PARAMS:
        assert name in p


@pytest.mark.parametrize(
    "text, expected",
    [
        ('[rules]\ndisable = "JRN"\n', "[rules] disable must be a list"),
        ('[rules]\ndisable = [""]\n', "[rules] disable must be a list"),
        ("[rules]\npaths = [1]\n", "[rules] paths must be a list"),
        ("[rules]\nparams = 3\n", "[rules.params] must hold one table per rule id"),
        ("[rules.params]\nCASH001 = 4\n", "[rules.params.CASH001] must be a table"),
        ('[rules.params.CASH001]\nmin_months = "four"\n', "[rules.params.CASH001] min_months must be a number"),
        ("[rules.params.CASH001]\nmin_months = true\n", "[rules.params.CASH001] min_months must be a number"),
        ("[metrics]\nfull_load = -0.5\n", "[metrics] full_load must be a positive number"),
        ('[metrics]\nfull_load = "high"\n', "[metrics] full_load must be a positive number"),
        ("[keys]\nquit = 1\n", "[keys] must map binding ids to keys"),
        ('rules = "all"\n', "[rules] must be a table"),
        ("metrics = 1\n", "[metrics] must be a table"),
    ],
)
def test_config_bad_types_are_reported(tmp_path: Path, text: str, expected: str) -> None:
    problems = config_problems(tmp_path, text)
    assert any(p.startswith(expected) for p in problems), problems


def test_config_reports_every_problem_at_once(tmp_path: Path) -> None:
    text = '[rule]\n[rules]\ndisabled = 1\ndisable = "JRN"\n[metrics]\nfull_loud = 1\nfull_load = -1\n'
    problems = config_problems(tmp_path, text)
    assert len(problems) == 5, problems


def test_config_invalid_toml(tmp_path: Path) -> None:
    [p] = config_problems(tmp_path, "[rules\n")
    assert p.startswith("not valid TOML") and "line 1" in p
