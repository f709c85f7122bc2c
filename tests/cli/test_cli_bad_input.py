"""Bad interchange files: exit 2, the file and the record/field named, no traceback, nothing changed."""

from __future__ import annotations

import json

import pytest

HEAD = '"format": "tui-advisor/agency", "version": 1'


def doc(body: str) -> str:
    return "{" + HEAD + (", " + body if body else "") + "}"


# (id, file content, fragments stderr must contain)
CASES = [
    ("top-level-list", "[1, 2, 3]\n", ["document: must be a JSON object, got a list"]),
    ("top-level-string", '"tui-advisor"\n', ["document: must be a JSON object"]),
    (
        "wrong-format",
        '{"format": "acme/agency", "version": 1, "agency": {"name": "X"}}',
        ["format:", "'tui-advisor/agency'", "'acme/agency'"],
    ),
    ("missing-format", '{"version": 1, "agency": {"name": "X"}}', ["format: is required"]),
    (
        "newer-version",
        '{"format": "tui-advisor/agency", "version": 2, "agency": {"name": "X"}}',
        ["version: 2 is newer", "upgrade"],
    ),
    (
        "version-as-string",
        '{"format": "tui-advisor/agency", "version": "1", "agency": {"name": "X"}}',
        ["version: must be a whole number"],
    ),
    (
        "amount-12k",
        doc('"invoices": [{"id": "inv-x", "client": "c-acme", "issued": "2026-11-01", "amount": "12k"}]'),
        ["invoices[0].amount", "'12k'", "must be a number"],
    ),
    ("enjoy-out-of-range", doc('"clients": [{"id": "c-x", "name": "X", "enjoy": 9}]'), ["clients[0].enjoy", "1 to 5"]),
    ("collection-not-a-list", doc('"clients": {"id": "c-x"}'), ["clients: must be a list"]),
    (
        "unknown-client",
        doc(
            '"engagements": [{"id": "e-x", "client": "acme", "kind": "retainer", "start": "2026-01-01", '
            '"monthly_fee": 1000}]'
        ),
        ["engagements[0].client: no client with id 'acme'"],
    ),
    (
        "unknown-engagement",
        doc(
            '"invoices": [{"id": "inv-x", "client": "c-acme", "engagement": "e-nope", "issued": "2026-11-01", '
            '"amount": 10}]'
        ),
        ["invoices[0].engagement: no engagement with id 'e-nope'"],
    ),
    (
        "feb-30",
        doc('"cash": [{"date": "2026-02-30", "balance": 1}]'),
        ["cash[0].date: is not a real date: '2026-02-30'"],
    ),
    (
        "month-13",
        doc('"cash": [{"date": "2026-02-27", "balance": 1}, {"date": "2026-13-01", "balance": 2}]'),
        ["cash[1].date: is not a real date: '2026-13-01'"],
    ),
    (
        "date-wrong-shape",
        doc('"cash": [{"date": "26/11/2026", "balance": 1}]'),
        ["cash[0].date: must be a date as 'YYYY-MM-DD'"],
    ),
    (
        "end-before-start",
        doc(
            '"engagements": [{"id": "e-x", "client": "c-acme", "kind": "retainer", "start": "2026-05-01", '
            '"end": "2026-01-31", "monthly_fee": 1000}]'
        ),
        ["engagements[0].end: 2026-01-31 is before the start 2026-05-01"],
    ),
    (
        "paid-before-issued",
        doc(
            '"invoices": [{"id": "inv-x", "client": "c-acme", "issued": "2026-11-01", "amount": 5, '
            '"paid": "2026-10-01"}]'
        ),
        ["invoices[0].paid: 2026-10-01 is before the issue date 2026-11-01"],
    ),
    (
        "duplicate-ids",
        doc('"clients": [{"id": "c-x", "name": "A"}, {"id": "c-x", "name": "B"}]'),
        ["clients[1].id: 'c-x' is used twice (also clients[0])"],
    ),
    (
        "duplicate-cash-date",
        doc('"cash": [{"date": "2026-11-01", "balance": 1}, {"date": "2026-11-01", "balance": 2}]'),
        ["cash[1].date: 2026-11-01 has a balance already"],
    ),
    ("unknown-top-level-field", doc('"clinets": []'), ["document: unknown field 'clinets'", "did you mean 'clients'"]),
    (
        "unknown-record-field",
        doc('"clients": [{"id": "c-x", "name": "X", "industy": "Retail"}]'),
        ["clients[0]: unknown field 'industy'", "did you mean 'industry'"],
    ),
    (
        "unknown-agency-field",
        doc('"agency": {"name": "X", "curency": "USD"}'),
        ["agency: unknown field 'curency'", "did you mean 'currency'"],
    ),
    (
        "unknown-step-field",
        doc('"actions": [{"id": "a-x", "title": "T", "steps": [{"title": "S", "dnoe": "2026-11-01"}]}]'),
        ["actions[0].steps[0]: unknown field 'dnoe'", "did you mean 'done'"],
    ),
    ("missing-required", doc('"clients": [{"id": "c-x"}]'), ["clients[0].name: is required"]),
]


@pytest.mark.parametrize("replace", [False, True], ids=["merge", "replace"])
@pytest.mark.parametrize("content, fragments", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_file_is_refused_and_the_data_file_is_unchanged(
    content, fragments, replace, run, cli, tmp_path, demo_store
):
    before = demo_store.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    args = ["import", bad, "--data", demo_store] + (["--replace"] if replace else [])
    proc = run(*args)
    err = cli.usage_error(proc)
    assert "bad.json" in err
    for fragment in fragments:
        assert fragment in err
    assert "nothing was imported" in err
    assert "Imported" not in proc.stdout and "Replaced" not in proc.stdout
    assert demo_store.read_bytes() == before


@pytest.mark.parametrize(
    "content, fragments",
    [
        c[1:]
        for c in CASES
        if c[0]
        not in (
            # these refer to the demo's records, which an --input file does not have
            "amount-12k",
            "unknown-client",
            "unknown-engagement",
            "end-before-start",
            "paid-before-issued",
        )
    ],
    ids=[
        c[0]
        for c in CASES
        if c[0] not in ("amount-12k", "unknown-client", "unknown-engagement", "end-before-start", "paid-before-issued")
    ],
)
def test_bad_file_as_advise_input(content, fragments, run, cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    proc = run("advise", "--input", bad, "--as-of", cli.SAMPLE_AS_OF)
    err = cli.usage_error(proc)
    assert "bad.json" in err
    for fragment in fragments:
        assert fragment in err
    assert proc.stdout == ""


def test_unknown_reference_suggests_a_stored_id(run, cli, tmp_path, demo_store):
    """A merging import checks references against the stored records, and suggests the closest."""
    before = demo_store.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text(
        doc(
            '"engagements": [{"id": "e-x", "client": "acme", "kind": "retainer", '
            '"start": "2026-01-01", "monthly_fee": 1000}]'
        ),
        encoding="utf-8",
    )
    err = cli.usage_error(run("import", bad, "--data", demo_store))
    assert "engagements[0].client: no client with id 'acme' (did you mean 'c-acme'?)" in err
    assert demo_store.read_bytes() == before


def test_invalid_json_names_line_and_column(run, cli, tmp_path, demo_store):
    before = demo_store.read_bytes()
    text = '{\n  "format": "tui-advisor/agency",\n  "version": 1,,\n  "clients": []\n}\n'
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{exc.lineno}:{exc.colno}"
    assert where.startswith("3:")
    bad = tmp_path / "broken.json"
    bad.write_text(text, encoding="utf-8")
    err = cli.usage_error(run("import", bad, "--data", demo_store))
    assert f"broken.json:{where}" in err
    assert "not valid JSON" in err
    assert demo_store.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe\x00garbage", b'{"format": "tui-advisor/agency", "vers'],
    ids=["empty", "binary", "truncated"],
)
def test_unreadable_import_files(content, run, cli, tmp_path, demo_store):
    before = demo_store.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    err = cli.usage_error(run("import", bad, "--data", demo_store))
    assert "bad.json" in err
    assert demo_store.read_bytes() == before


def test_missing_import_file(run, cli, tmp_path, demo_store):
    before = demo_store.read_bytes()
    err = cli.usage_error(run("import", "nope.json", "--data", demo_store))
    assert "nope.json" in err and "no such file" in err
    assert demo_store.read_bytes() == before


def test_bad_import_into_a_new_data_file_creates_nothing(run, cli, tmp_path):
    data = tmp_path / "fresh.json"
    bad = tmp_path / "bad.json"
    bad.write_text(doc('"agency": {"name": "X"}, "cash": [{"date": "2026-02-30", "balance": 1}]'), encoding="utf-8")
    cli.usage_error(run("import", bad, "--data", data))
    assert not data.exists()


def test_every_problem_is_reported_at_once(run, cli, tmp_path, demo_store):
    before = demo_store.read_bytes()
    bad = tmp_path / "three.json"
    bad.write_text(
        json.dumps(
            {
                "format": "tui-advisor/agency",
                "version": 1,
                "cash": [{"date": "2026-02-30", "balance": 100}],
                "clients": [{"id": "c-x", "name": "X", "enjoy": 9}],
                "engagements": [
                    {"id": "e-x", "client": "nobody", "kind": "retainer", "start": "2026-01-01", "monthly_fee": 500}
                ],
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    err = cli.usage_error(run("import", bad, "--data", demo_store))
    lines = err.splitlines()
    assert "three.json" in lines[0]
    assert "3 problem(s)" in lines[0]
    problems = [line.strip() for line in lines[1:] if line.strip()]
    assert len(problems) == 3, problems
    assert any(p.startswith("cash[0].date:") and "2026-02-30" in p for p in problems)
    assert any(p.startswith("clients[0].enjoy:") for p in problems)
    assert any(p.startswith("engagements[0].client: no client with id 'nobody'") for p in problems)
    assert demo_store.read_bytes() == before
