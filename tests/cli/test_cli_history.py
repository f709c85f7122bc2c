"""`tui-advisor history`: every format through the command line, every point equal to
`advise --as-of` that date, unknown numbers null, bad arguments exit 2."""

from __future__ import annotations

import calendar
import json
from datetime import date

import pytest

# the core metrics of a point, as README "History" lists them
CORE = {
    "cash_balance",
    "cash_months",
    "monthly_revenue",
    "top_client_share",
    "booked_share_30d",
    "recurring_share",
    "proposals_per_week_13w",
    "open_inquiry_count",
    "win_rate",
    "journey_stages_covered",
    "open_action_items",
}


def history_json(run, cli, *args) -> dict:
    return json.loads(cli.ok(run("history", "--format", "json", *args)).stdout)


def advise_json(run, cli, *args) -> dict:
    return json.loads(cli.ok(run("advise", "--format", "json", *args)).stdout)


def is_month_end(d: date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def check_dates(points: list[dict], as_of: str, months: int) -> None:
    dates = [date.fromisoformat(p["as_of"]) for p in points]
    assert len(points) == months + 1
    assert dates[-1] == date.fromisoformat(as_of)
    assert dates == sorted(set(dates)), "oldest first, no date twice"
    assert all(is_month_end(d) for d in dates[:-1])
    # consecutive month ends, the newest in the month before the as-of date's
    last = dates[-2]
    assert (last.year * 12 + last.month) + 1 == dates[-1].year * 12 + dates[-1].month
    for a, b in zip(dates[:-2], dates[1:-1]):
        assert a.year * 12 + a.month + 1 == b.year * 12 + b.month


def check_equal_to_advise(run, cli, points: list[dict], *source: str) -> None:
    """Every point says what `advise --as-of` its date says: score, pillar scores, metrics."""
    for p in points:
        doc = advise_json(run, cli, *source, "--as-of", p["as_of"])
        assert p["score"] == doc["score"], p["as_of"]
        assert p["pillars"] == {k: v["score"] for k, v in doc["pillars"].items()}, p["as_of"]
        assert set(p["metrics"]) == CORE
        for m, v in p["metrics"].items():
            assert v == doc["metrics"].get(m), (p["as_of"], m, v, doc["metrics"].get(m))
        assert p["review"] is None


def test_every_point_of_the_demo_equals_advise_as_of(run, cli):
    doc = history_json(run, cli, "--demo")  # default: 12 months, as of the demo's own date
    points = doc["points"]
    check_dates(points, cli.SAMPLE_AS_OF, 12)
    assert set(points[0]) == {"as_of", "score", "pillars", "metrics", "review"}
    assert len({p["score"] for p in points}) > 1, "the demo's score moves over the year"
    check_equal_to_advise(run, cli, points, "--demo")


def test_every_point_of_a_generated_file_equals_advise_as_of(run, cli, synthetic_agency, tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(synthetic_agency("S", seed=3)), encoding="utf-8")
    as_of = "2026-10-31"  # a month end as the as-of date: the newest point, the 6 before it month ends
    points = history_json(run, cli, "--input", path, "--months", "6", "--as-of", as_of)["points"]
    check_dates(points, as_of, 6)
    assert points[-2]["as_of"] == "2026-09-30"
    check_equal_to_advise(run, cli, points, "--input", str(path))


def test_the_data_file_as_advise_reads_it(run, cli, demo_store):
    points = history_json(run, cli, "--data", demo_store, "--months", "3", "--as-of", "2026-11-26")["points"]
    check_dates(points, "2026-11-26", 3)
    check_equal_to_advise(run, cli, points, "--data", str(demo_store))


def test_unknown_stays_null(run, cli, tmp_path):
    doc = cli.sample_doc("demo")
    doc["cash"] = []  # no balance on record at any date
    path = tmp_path / "nocash.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    points = history_json(run, cli, "--input", path, "--months", "2", "--as-of", cli.SAMPLE_AS_OF)["points"]
    for p in points:
        assert p["metrics"]["cash_balance"] is None
        assert p["metrics"]["cash_months"] is None
        assert p["pillars"]["cash"] is None
    check_equal_to_advise(run, cli, points, "--input", str(path))
    text = cli.ok(run("history", "--input", path, "--months", "2", "--as-of", cli.SAMPLE_AS_OF)).stdout
    row = [line for line in text.splitlines() if line.startswith(cli.SAMPLE_AS_OF)][0]
    assert row.split()[2] == "-", row  # the cash column: unknown, not 0


def test_text_is_a_table_at_80_columns(run, cli):
    js = history_json(run, cli, "--demo", "--months", "4")["points"]
    text = cli.ok(run("history", "--demo", "--months", "4")).stdout
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert "Northwind Studio" in lines[0]
    head = lines[1].split()
    assert head[:2] == ["date", "score"] and len(head) == 2 + len(cli.PILLARS)
    rows = [line.split() for line in lines if line[:4].isdigit()]
    assert [r[0] for r in rows] == [p["as_of"] for p in js]
    order = list(js[0]["pillars"])
    for r, p in zip(rows, js):
        assert r[1] == str(p["score"])
        assert r[2:] == ["-" if p["pillars"][k] is None else str(p["pillars"][k]) for k in order]


def test_markdown_is_a_table(run, cli):
    js = history_json(run, cli, "--demo", "--months", "3")["points"]
    md = cli.ok(run("history", "--demo", "--months", "3", "--format", "markdown")).stdout
    rows = [line for line in md.splitlines() if line.startswith("| 2")]
    assert md.startswith("# History of Northwind Studio")
    assert "| date | score |" in md and "|---|---:|" in md
    assert len(rows) == 4
    for line, p in zip(rows, js):
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[0] == p["as_of"] and cells[1] == str(p["score"])
        assert len(cells) == 2 + len(cli.PILLARS)


def test_a_hostile_agency_name(run, cli, tmp_path):
    doc = cli.sample_doc("demo")
    doc["agency"]["name"] = "Evil\x1b[2J"
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    for fmt in ("text", "markdown", "json"):
        proc = run("history", "--input", path, "--months", "1", "--format", fmt)
        assert "agency.name" in cli.usage_error(proc)  # refused, as advise refuses it
        assert "\x1b" not in proc.stdout + proc.stderr
    doc["agency"]["name"] = "A|*x*" + "n" * 110  # markdown's characters, a long name (120 at most)
    path.write_text(json.dumps(doc), encoding="utf-8")
    md = cli.ok(run("history", "--input", path, "--months", "1", "--format", "markdown")).stdout
    assert md.splitlines()[0].startswith("# History of A\\|\\*x\\*nnn")
    assert len(md.splitlines()[2].strip("|").split("|")) == 2 + len(cli.PILLARS)
    text = cli.ok(run("history", "--input", path, "--months", "1")).stdout
    assert all(len(line) <= 80 for line in text.splitlines())


def test_24_months_on_m_gives_25_points(run, cli, synthetic_agency, tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(synthetic_agency("M")), encoding="utf-8")
    points = history_json(run, cli, "--input", path, "--months", "24", "--as-of", "2026-11-26")["points"]
    check_dates(points, "2026-11-26", 24)
    assert points[0]["as_of"] == "2024-11-30"
    # the oldest and the newest against advise (all 25 would take half a minute more)
    check_equal_to_advise(run, cli, [points[0], points[-1]], "--input", str(path))


@pytest.mark.parametrize("months", ["0", "-1", "121", "twelve", "1.5", "", "+5", "\u0661\u0662", "1" * 5000])
def test_a_bad_number_of_months_is_exit_2(run, cli, months):
    err = cli.usage_error(run("history", "--demo", f"--months={months}"))
    assert "--months" in err and "1 to 120" in err


def test_bad_sources_and_dates_are_exit_2(run, cli, tmp_path):
    assert "--as-of" in cli.usage_error(run("history", "--demo", "--as-of", "2026-13-01"))
    assert "one of --input and --demo" in cli.usage_error(run("history", "--demo", "--input", "x.json"))
    missing = tmp_path / "none.json"
    assert "no data file yet" in cli.usage_error(run("history", "--data", missing))
    assert not missing.exists()
    assert "nope.json" in cli.usage_error(run("history", "--input", tmp_path / "nope.json"))


def test_help_names_the_options(run, cli):
    out = cli.ok(run("history", "--help")).stdout
    for opt in ("--months", "--format", "--as-of", "--input", "--demo", "--data"):
        assert opt in out


@pytest.mark.parametrize("content", [bytes(range(256)), b'{"clients": [1, 2]}'])
def test_a_foreign_data_file_is_refused_and_unchanged(run, cli, tmp_path, content):
    data = tmp_path / "theirs.json"
    data.write_bytes(content)
    assert str(data) in cli.usage_error(run("history", "--data", data, "--months", "2"))
    assert data.read_bytes() == content
