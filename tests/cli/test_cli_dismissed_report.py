"""Every report lists the dismissed and snoozed recommendations with their reason, who and when:
`advise --format markdown|text|json`, as a subprocess. A dismissed CRITICAL one never vanishes."""

from __future__ import annotations

import json

import pytest


def _with_dismissals(tmp_path, cli, dismissals):
    doc = cli.sample_doc("cash_strapped")
    doc["dismissals"] = dismissals
    path = tmp_path / "dismissed.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def dismissed(tmp_path, cli):
    """cash_strapped with its critical CASH001 dismissed by sam and CASH008 snoozed by ann."""
    return _with_dismissals(
        tmp_path,
        cli,
        [
            {
                "rule": "CASH001",
                "reason": "bank loan signed, money arrives in January",
                "severity": "critical",
                "distance": 0.5,
                "by": "sam",
                "on": "2026-11-20",
            },
            {
                "rule": "CASH008",
                "reason": "meeting the bank on the 10th",
                "until": "2026-12-15",
                "severity": "warning",
                "distance": 1.0,
                "by": "ann",
                "on": "2026-11-24",
            },
        ],
    )


def _advise(run, cli, path, fmt):
    return cli.ok(run("advise", "--input", path, "--as-of", cli.SAMPLE_AS_OF, "--format", fmt)).stdout


def test_markdown_lists_the_dismissed_critical_with_reason_who_and_when(run, cli, dismissed) -> None:
    out = _advise(run, cli, dismissed, "markdown")
    assert "## Dismissed and snoozed" in out
    section = out.split("## Dismissed and snoozed", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(lines) == 2, section
    critical = next(line for line in lines if "`CASH001`" in line)
    assert critical.startswith("- **CRITICAL** Cash covers 2.0 months of costs: act now")
    assert "dismissed by sam on 2026-11-20" in critical
    assert "Reason: bank loan signed, money arrives in January" in critical
    snoozed = next(line for line in lines if "`CASH008`" in line)
    assert "**WARNING**" in snoozed and "snoozed until 2026-12-15 by ann on 2026-11-24" in snoozed
    assert "Reason: meeting the bank on the 10th" in snoozed
    # not among the recommendations
    recs = out.split("## Recommendations, most urgent first", 1)[1].split("## Dismissed and snoozed", 1)[0]
    assert "act now" not in recs and "talk to the bank" not in recs


def test_text_lists_them(run, cli, dismissed) -> None:
    out = _advise(run, cli, dismissed, "text")
    assert "Dismissed and snoozed (2)" in out
    section = out.split("Dismissed and snoozed (2)", 1)[1]
    assert "[CRITICAL] Cash covers 2.0 months of costs: act now" in section
    assert "dismissed by sam on 2026-11-20: bank loan signed, money arrives in January" in section
    assert "snoozed until 2026-12-15 by ann on 2026-11-24: meeting the bank on the 10th" in section
    head = out.split("Dismissed and snoozed (2)", 1)[0]
    assert "act now" not in head


def test_json_has_them_with_reason_by_on_until(run, cli, dismissed) -> None:
    doc = json.loads(_advise(run, cli, dismissed, "json"))
    assert {r["rule"] for r in doc["recommendations"]}.isdisjoint({"CASH001", "CASH008"})
    by_rule = {d["rule"]: d for d in doc["dismissed"]}
    assert set(by_rule) == {"CASH001", "CASH008"}
    c = by_rule["CASH001"]
    assert (c["severity"], c["status"], c["reason"], c["by"], c["on"], c["until"]) == (
        "critical",
        "dismissed",
        "bank loan signed, money arrives in January",
        "sam",
        "2026-11-20",
        None,
    )
    assert c["title"] == "Cash covers 2.0 months of costs: act now"
    s = by_rule["CASH008"]
    assert (s["status"], s["by"], s["on"], s["until"]) == ("snoozed", "ann", "2026-11-24", "2026-12-15")


def test_a_snooze_that_is_over_is_a_recommendation_again(run, cli, tmp_path) -> None:
    path = _with_dismissals(
        tmp_path,
        cli,
        [{"rule": "CASH001", "reason": "later", "until": "2026-11-25", "severity": "critical", "distance": 1.0}],
    )
    doc = json.loads(_advise(run, cli, path, "json"))
    assert doc["dismissed"] == []
    assert "CASH001" in {r["rule"] for r in doc["recommendations"]}
    assert "Dismissed and snoozed" not in _advise(run, cli, path, "markdown")


def test_no_dismissals_no_section(run, cli) -> None:
    out = cli.ok(
        run("advise", "--input", cli.sample("cash_strapped"), "--as-of", cli.SAMPLE_AS_OF, "--format", "markdown")
    )
    assert "Dismissed and snoozed" not in out.stdout
    doc = json.loads(
        cli.ok(
            run("advise", "--input", cli.sample("cash_strapped"), "--as-of", cli.SAMPLE_AS_OF, "--format", "json")
        ).stdout
    )
    assert doc["dismissed"] == []


def test_unknown_who_and_when_and_a_hostile_reason(run, cli, tmp_path) -> None:
    """A dismissal without by/on (an older file) says so plainly; a reason's markdown and controls are escaped."""
    path = _with_dismissals(tmp_path, cli, [{"rule": "CASH001", "reason": "", "severity": "critical", "distance": 1.0}])
    md = _advise(run, cli, path, "markdown")
    line = next(x for x in md.splitlines() if "`CASH001`" in x)
    assert line.endswith(": dismissed. Reason: *(no reason given)*"), line
    text = _advise(run, cli, path, "text")
    assert "dismissed: (no reason given)" in text
    doc = json.loads(_advise(run, cli, path, "json"))
    assert (doc["dismissed"][0]["by"], doc["dismissed"][0]["on"], doc["dismissed"][0]["reason"]) == ("", None, "")


def test_a_reason_is_shown_escaped(run, cli, tmp_path) -> None:
    doc = cli.sample_doc("cash_strapped")
    doc["dismissals"] = [
        {"rule": "CASH001", "reason": "see *this* | [x](y)", "severity": "critical", "distance": 1.0, "by": "sam"}
    ]
    path = tmp_path / "d.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    md = _advise(run, cli, path, "markdown")
    assert "Reason: see \\*this\\* \\| \\[x\\](y)" in md
