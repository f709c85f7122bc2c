"""`tui-advisor log` shows the stored UTC times in the local time zone (TZ), the JSON keeps them as stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def test_log_shows_local_times_and_json_keeps_utc(tmp_path, run, cli) -> None:
    data = tmp_path / "agency.json"
    cli.ok(run("import", cli.sample("demo"), "--data", data))
    entries = json.loads(cli.ok(run("log", "--format", "json", "--data", data)).stdout)
    assert entries
    at = entries[-1]["at"]
    assert at.endswith("Z")  # stored in UTC
    moment = datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(UTC)
    shown = {}
    for zone in ("Europe/Amsterdam", "America/New_York"):
        out = cli.ok(run("log", "--data", data, env={"TZ": zone})).stdout
        local = moment.astimezone(ZoneInfo(zone))
        expected = f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
        first = out.splitlines()[0]
        assert f"  {expected}  " in first, (zone, first)
        assert at not in out  # not the UTC text
        shown[zone] = first
    assert shown["Europe/Amsterdam"] != shown["America/New_York"]


def test_log_shows_a_crafted_time_escaped(tmp_path, run, cli) -> None:
    data = tmp_path / "agency.json"
    cli.ok(run("import", cli.sample("demo"), "--data", data))
    log = data.with_name(data.name + ".audit.jsonl")
    last = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    forged = {**last, "at": "2026-11-30T10:00:00Z\x1b]0;owned\x07", "by": "mallory"}
    with open(log, "a", encoding="utf-8") as f:
        f.write(json.dumps(forged) + "\n")
    proc = cli.ok(run("log", "--data", data, env={"TZ": "Europe/Amsterdam"}))
    assert "\x1b" not in proc.stdout
    assert "2026-11-30T10:00:00Z\\x1b]0;owned\\x07  mallory" in proc.stdout


def test_history_says_when_a_review_closed_in_local_time(tmp_path, run, cli) -> None:
    doc = cli.sample_doc("demo")
    doc["reviews"] = [
        {
            "id": "rv-0001",
            "started": "2026-11-16T14:00:00Z",
            "by": "eva",
            "leader": "eva",
            "as_of": "2026-11-16",
            "closed": "2026-11-16T15:30:00Z",
            "attendees": ["eva"],
            "score": 50,
            "pillars": {"cash": 30},
        }
    ]
    src = tmp_path / "reviewed.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    args = ("history", "--input", src, "--as-of", "2026-11-30", "--months", "1")
    text = cli.ok(run(*args, env={"TZ": "America/New_York"})).stdout
    assert "rv-0001 closed 2026-11-16 10:30 EST" in text.splitlines()
    md = cli.ok(run(*args, "--format", "markdown", env={"TZ": "Europe/Amsterdam"})).stdout
    assert "- rv-0001 closed 2026-11-16 16:30 CET" in md.splitlines()
    js = json.loads(cli.ok(run(*args, "--format", "json", env={"TZ": "Europe/Amsterdam"})).stdout)
    assert set(js["points"][1]) == {"as_of", "score", "pillars", "metrics", "review"}  # the JSON as before
