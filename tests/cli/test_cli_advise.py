"""`tui-advisor advise`: every format, on the sample files and the demo; dates; colour."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
SAMPLE_NAMES = sorted(p.stem for p in SAMPLES.glob("*.json"))
FORMATS = ("text", "json", "markdown")
ANSI = re.compile(r"\x1b\[")
REC_KEYS = {"rule", "name", "pillar", "source", "severity", "priority", "title", "message", "actions", "subject"}


def advise_json(run, cli, *args) -> dict:
    proc = cli.ok(run("advise", "--format", "json", *args))
    return json.loads(proc.stdout)


def check_advice_json(doc: dict, cli) -> None:
    """The documented shape of `advise --format json`."""
    for key in ("as_of", "agency", "metrics", "pillars", "score", "recommendations"):
        assert key in doc, f"missing key {key!r}"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc["as_of"])
    assert isinstance(doc["agency"], str) and doc["agency"]

    assert isinstance(doc["metrics"], dict) and doc["metrics"]
    for name, value in doc["metrics"].items():
        assert isinstance(name, str)
        assert value is None or isinstance(value, (int, float, str)), (name, value)
        assert not isinstance(value, bool), (name, value)

    assert set(doc["pillars"]) == set(cli.PILLARS)
    for pillar, p in doc["pillars"].items():
        assert p["status"] in {"good", "watch", "act", "unknown"}, (pillar, p)
        if p["status"] == "unknown":
            assert p["score"] is None
        else:
            assert isinstance(p["score"], int) and 0 <= p["score"] <= 100, (pillar, p)

    assert doc["score"] is None or (isinstance(doc["score"], int) and 0 <= doc["score"] <= 100)

    recs = doc["recommendations"]
    assert [r["priority"] for r in recs] == list(range(1, len(recs) + 1))
    for r in recs:
        assert set(r) >= REC_KEYS, REC_KEYS - set(r)
        assert r["pillar"] in cli.PILLARS
        assert r["severity"] in cli.SEVERITIES
        assert re.fullmatch(r"[A-Z]{2,8}\d{3}", r["rule"])
        assert isinstance(r["title"], str) and r["title"]
        assert isinstance(r["message"], str) and r["message"]
        assert isinstance(r["actions"], list) and all(isinstance(a, str) and a for a in r["actions"])
        assert r["subject"] is None or isinstance(r["subject"], str)
    # most urgent first: severity never rises further down the list
    ranks = [cli.SEVERITIES[r["severity"]] for r in recs]
    assert ranks == sorted(ranks, reverse=True)


# ------------------------------------------------------------------ formats


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_json_on_every_sample_has_the_documented_shape(name, run, cli):
    doc = advise_json(run, cli, "--input", cli.sample(name), "--as-of", cli.SAMPLE_AS_OF)
    check_advice_json(doc, cli)
    assert doc["as_of"] == cli.SAMPLE_AS_OF
    assert doc["agency"] == cli.sample_doc(name)["agency"]["name"]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_text_and_markdown_show_the_same_advice_as_json(name, run, cli):
    args = ("--input", cli.sample(name), "--as-of", cli.SAMPLE_AS_OF)
    doc = advise_json(run, cli, *args)
    text = cli.ok(run("advise", *args)).stdout
    md = cli.ok(run("advise", "--format", "markdown", *args)).stdout
    # the default format is text
    assert cli.ok(run("advise", "--format", "text", *args)).stdout == text

    assert f"{doc['agency']}: advice as of {cli.SAMPLE_AS_OF}" in text
    assert md.startswith("# ")
    assert f"advice as of {cli.SAMPLE_AS_OF}" in md.splitlines()[0]
    score = "unknown" if doc["score"] is None else f"{doc['score']}/100"
    assert f"Independence score: {score}" in text
    assert f"**Independence score: {score}**" in md
    text_lines = text.splitlines()
    for r in doc["recommendations"]:
        label = r["severity"].upper()
        assert f"{r['priority']:3d}. [{label}] {r['title']}" in text_lines, r["title"]
        assert any(line.startswith(f"### {r['priority']}. ") for line in md.splitlines())
        assert f"`{r['rule']}`" in md
    if not doc["recommendations"]:
        assert "No recommendations" in text
        assert "No recommendations" in md


@pytest.mark.parametrize("fmt", FORMATS)
def test_demo_in_every_format_is_the_demo_sample_as_of_its_date(fmt, run, cli):
    demo = cli.ok(run("advise", "--demo", "--format", fmt))
    same = cli.ok(run("advise", "--input", cli.sample("demo"), "--as-of", cli.SAMPLE_AS_OF, "--format", fmt))
    assert demo.stdout == same.stdout
    assert demo.stdout.strip()
    assert "Northwind Studio" in demo.stdout


def test_demo_json(run, cli):
    doc = advise_json(run, cli, "--demo")
    check_advice_json(doc, cli)
    assert doc["as_of"] == cli.SAMPLE_AS_OF
    assert doc["agency"] == "Northwind Studio"
    assert doc["recommendations"], "the demo agency has advice"
    assert isinstance(doc["score"], int)


def test_as_of_changes_the_result(run, cli):
    now = advise_json(run, cli, "--demo")
    year_earlier = advise_json(run, cli, "--demo", "--as-of", "2025-11-26")
    assert year_earlier["as_of"] == "2025-11-26"
    assert now["as_of"] == cli.SAMPLE_AS_OF
    assert year_earlier["metrics"] != now["metrics"]
    assert [(r["rule"], r["title"]) for r in year_earlier["recommendations"]] != [
        (r["rule"], r["title"]) for r in now["recommendations"]
    ]
    # an explicit --as-of equal to the demo's date is the default
    assert advise_json(run, cli, "--demo", "--as-of", cli.SAMPLE_AS_OF) == now


@pytest.mark.parametrize("bad", ["2026-02-30", "26/11/2026", "2026-13-01", "yesterday", "2026-1-5"])
def test_bad_as_of_is_a_usage_error(bad, run, cli):
    for source in (("--demo",), ("--input", cli.sample("demo"))):
        proc = run("advise", *source, "--as-of", bad)
        err = cli.usage_error(proc)
        assert "--as-of" in err
        assert bad in err
        assert proc.stdout == ""


def test_advise_on_a_missing_data_file(run, cli, tmp_path):
    missing = tmp_path / "nowhere" / "agency.json"
    err = cli.usage_error(run("advise", "--data", missing))
    assert str(missing) in err
    assert "import" in err and "--demo" in err  # it says what to do
    assert not missing.exists()
    assert not missing.parent.exists()


def test_advise_without_data_uses_the_env_data_file(run, cli):
    env_file = os.environ["TUI_ADVISOR_DATA"]
    err = cli.usage_error(run("advise"))
    assert env_file in err
    assert not Path(env_file).exists()


def test_advise_on_the_stored_agency(run, cli, demo_store):
    stored = advise_json(run, cli, "--data", demo_store, "--as-of", cli.SAMPLE_AS_OF)
    assert stored == advise_json(run, cli, "--demo")


def test_input_and_demo_together_is_a_usage_error(run, cli):
    err = cli.usage_error(run("advise", "--demo", "--input", cli.sample("demo")))
    assert "--input" in err and "--demo" in err


def test_advise_input_missing_file(run, cli, tmp_path):
    err = cli.usage_error(run("advise", "--input", "missing.json"))
    assert "missing.json" in err
    assert "no such file" in err


def test_advise_input_invalid_file_lists_the_problems(run, cli, tmp_path):
    bad = tmp_path / "bad.json"
    doc = cli.sample_doc("demo")
    doc["engagements"][0]["client"] = "acme"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    err = cli.usage_error(run("advise", "--input", bad))
    assert "bad.json" in err
    assert "engagements[0].client: no client with id 'acme'" in err


# ------------------------------------------------------------------ colour


@pytest.mark.parametrize("fmt", FORMATS)
def test_piped_output_has_no_ansi_escapes(fmt, run, cli):
    proc = cli.ok(run("advise", "--demo", "--format", fmt))
    assert not ANSI.search(proc.stdout)
    assert not ANSI.search(proc.stderr)


def _run_on_tty(args: list[str], cwd: Path, extra_env: dict[str, str]) -> tuple[int, str]:
    """Run with stdout on a pseudo-terminal; return (exit code, everything written)."""
    env = dict(os.environ, COLUMNS="100", **extra_env)
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui_advisor", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=subprocess.PIPE,
        )
    finally:
        os.close(slave)
    chunks = []
    try:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    proc.stderr.read()
    proc.stderr.close()
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def test_terminal_output_is_coloured(tmp_path):
    """The control for the NO_COLOR test: on a terminal, text output has colour."""
    code, out = _run_on_tty(["advise", "--demo"], tmp_path, {})
    assert code == 0
    assert "Northwind Studio" in out
    assert ANSI.search(out)


def test_no_color_turns_colour_off_on_a_terminal(tmp_path):
    code, out = _run_on_tty(["advise", "--demo"], tmp_path, {"NO_COLOR": "1"})
    assert code == 0
    assert "Northwind Studio" in out
    assert not ANSI.search(out)


def test_inquiries_without_their_dates_are_flagged(tmp_path: Path, run, cli) -> None:
    """A file may hold a won inquiry without its decision date (the app's form asks for it,
    other tools may not): the advice says how many are left out of the proposal counts."""
    doc = cli.sample_doc("demo")
    decided = [q for q in doc["inquiries"] if q["status"] in ("won", "lost")]
    decided[0]["decided"] = None
    decided[1]["decided"] = None
    path = tmp_path / "undated.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    advice = advise_json(run, cli, "--input", path, "--as-of", "2026-11-26")
    assert advice["metrics"]["inquiries_without_dates"] == 2
    rec = next(r for r in advice["recommendations"] if r["rule"] == "INQ005")
    assert rec["severity"] == "info" and rec["source"] == "G6" and ": 2, left out" in rec["title"]
    plain = advise_json(run, cli, "--demo", "--as-of", "2026-11-26")
    assert plain["metrics"]["inquiries_without_dates"] == 0
    assert all(r["rule"] != "INQ005" for r in plain["recommendations"])


def test_the_text_advice_shows_why_as_the_markdown_does() -> None:
    """Issue 10, §5: the text format shows each recommendation's why, as markdown does."""
    import json as _json

    text = subprocess.run(
        [sys.executable, "-m", "tui_advisor", "advise", "--demo"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    doc = _json.loads(
        subprocess.run(
            [sys.executable, "-m", "tui_advisor", "advise", "--demo", "--format", "json"],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
    )
    flat = " ".join(text.split())
    for rec in doc["recommendations"]:
        assert "Why: " + " ".join(rec["rationale"].split()) in flat, rec["rule"]
