"""Absurd values are refused at the door, by name, with exit 2; values at the bounds run.

An interchange file (``advise --input``, ``import``) or a hand-edited data file holding
1e300, a 400-digit integer (a JSON literal), -1e16, 9999-12-31 ... is refused with a message
naming the field and nothing is stored; a number of 5,000 digits (more than Python converts)
is refused naming the file, line and column; ``--as-of`` out of 1900-01-01..2199-12-31 is a
usage error. A document with every number and date at the bounds advises in every format.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

RANGE = "use a date from 1900-01-01 to 2199-12-31"
TOO_LARGE = "is too large: must be between -1e15 and 1e15, got "

# (what is changed in the demo, the JSON text it gets, the problem the program reports)
ABSURD = [
    ("cash", 0, "balance", "1e300", f"cash[0].balance: {TOO_LARGE}1e+300"),
    ("cash", 0, "balance", "1" + "0" * 400, f"cash[0].balance: {TOO_LARGE}a number of 401 digits"),
    ("cash", 0, "balance", "-1e16", f"cash[0].balance: {TOO_LARGE}-1e+16"),
    ("cash", 0, "balance", "1e15", f"cash[0].balance: {TOO_LARGE}1000000000000000.0"),
    ("invoices", 3, "amount", "-1" + "0" * 400, f"invoices[3].amount: {TOO_LARGE}a number of 401 digits"),
    ("engagements", 0, "monthly_fee", "-1e16", "engagements[0].monthly_fee: must not be negative, got -1e+16"),
    ("engagements", 0, "hours_per_week", "1e300", f"engagements[0].hours_per_week: {TOO_LARGE}1e+300"),
    (
        "engagements",
        0,
        "end",
        '"9999-12-31"',
        f"engagements[0].end: 9999-12-31 is out of range: {RANGE} (leave it empty for no end)",
    ),
    (
        "engagements",
        1,
        "deadline",
        '"9999-12-31"',
        f"engagements[1].deadline: 9999-12-31 is out of range: {RANGE} (leave it empty for no end)",
    ),
    ("invoices", 0, "issued", '"0001-01-01"', f"invoices[0].issued: 0001-01-01 is out of range: {RANGE}"),
    ("inquiries", 0, "received", '"2200-01-01"', f"inquiries[0].received: 2200-01-01 is out of range: {RANGE}"),
    (
        "agency",
        None,
        "normal_lead_time_days",
        "100000000000000000000",
        f"agency.normal_lead_time_days: {TOO_LARGE}a number of 21 digits",
    ),
    (
        "agency",
        None,
        "monthly_operating_costs",
        "1e400",
        "agency.monthly_operating_costs: must be a finite number, got inf",
    ),
]
IDS = [f"{coll}.{name}={text[:12]}" for coll, _, name, text, _ in ABSURD]
MARK = "__ABSURD__"


def absurd_text(doc: dict[str, Any], coll: str, i: int | None, name: str, text: str) -> str:
    """The document as JSON text with one field's value written as ``text`` (a literal JSON cannot
    hold as a Python value: a 400-digit number stays that number)."""
    rec = doc[coll] if i is None else doc[coll][i]
    rec[name] = MARK
    return json.dumps(doc, indent=1).replace(json.dumps(MARK), text)


@pytest.mark.parametrize(("coll", "i", "name", "text", "problem"), ABSURD, ids=IDS)
def test_an_absurd_value_in_an_interchange_file_is_refused_by_name(
    cli: SimpleNamespace,
    run: Callable[..., Any],
    tmp_path: Path,
    coll: str,
    i: int | None,
    name: str,
    text: str,
    problem: str,
) -> None:
    path = tmp_path / "absurd.json"
    path.write_text(absurd_text(cli.sample_doc("demo"), coll, i, name, text), encoding="utf-8")
    err = cli.usage_error(run("advise", "--input", path, "--as-of", cli.SAMPLE_AS_OF))
    assert f"  {problem}\n" in err, err
    assert "nothing was read" in err
    data = tmp_path / "store" / "agency.json"
    err = cli.usage_error(run("import", path, "--data", data))
    assert problem in err, err
    assert not data.exists(), "a refused import wrote the data file"


@pytest.mark.parametrize(("coll", "i", "name", "text", "problem"), ABSURD[:2] + ABSURD[7:8], ids=IDS[:2] + IDS[7:8])
def test_an_absurd_value_in_a_hand_edited_data_file_is_refused_by_name_and_kept(
    cli: SimpleNamespace,
    run: Callable[..., Any],
    demo_store: Path,
    coll: str,
    i: int | None,
    name: str,
    text: str,
    problem: str,
) -> None:
    """A teammate edits the shared data file by hand: advise says what is wrong and where, and the
    file is left as it is (for them to fix or restore)."""
    stored = json.loads(demo_store.read_text(encoding="utf-8"))
    key = sorted(stored[coll], key=int)[i]
    stored[coll][key][name] = MARK
    edited = json.dumps(stored).replace(json.dumps(MARK), text)
    demo_store.write_text(edited, encoding="utf-8")
    err = cli.usage_error(run("advise", "--data", demo_store, "--as-of", cli.SAMPLE_AS_OF))
    assert f"  {problem}\n" in err, err
    assert demo_store.read_text(encoding="utf-8") == edited


def test_a_number_of_5000_digits_is_refused_naming_the_file_line_and_column(
    cli: SimpleNamespace, run: Callable[..., Any], tmp_path: Path
) -> None:
    """Python refuses to convert an integer of more than 4300 digits (ValueError inside json)."""
    path = tmp_path / "digits.json"
    text = absurd_text(cli.sample_doc("demo"), "cash", 0, "balance", "9" * 5000)
    path.write_text(text, encoding="utf-8")
    offset = text.index("9" * 5000)
    line = text.count("\n", 0, offset) + 1
    col = offset - text.rfind("\n", 0, offset)
    for args in (("advise", "--input", path), ("import", path, "--data", tmp_path / "d" / "agency.json")):
        err = cli.usage_error(run(*args))
        assert err.startswith(
            f"tui-advisor: {path}:{line}:{col}: a number is too large (numbers must be between -1e15 and 1e15)"
        ), err
        assert len(err) < 300
    assert not (tmp_path / "d" / "agency.json").exists()


def test_json_nested_too_deeply_in_an_interchange_file_is_refused(
    cli: SimpleNamespace, run: Callable[..., Any], tmp_path: Path
) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    err = cli.usage_error(run("advise", "--input", path))
    assert f"{path}: not valid JSON: nested too deeply" in err, err


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_as_of_out_of_range_is_a_usage_error(cli: SimpleNamespace, run: Callable[..., Any], day: str) -> None:
    err = cli.usage_error(run("advise", "--demo", "--as-of", day))
    assert err == f"tui-advisor: --as-of {day} is out of range: {RANGE}\n", err
    # the app checks it before it touches the terminal or the data
    err = cli.usage_error(run("--demo", "--as-of", day))
    assert f"--as-of {day} is out of range" in err, err


@pytest.mark.parametrize("day", ["1900-01-01", "2199-12-31"])
def test_as_of_at_the_ends_of_the_range_advises(cli: SimpleNamespace, run: Callable[..., Any], day: str) -> None:
    proc = cli.ok(run("advise", "--demo", "--as-of", day, "--format", "json"))
    assert json.loads(proc.stdout)["as_of"] == day


def bounds_document(day: str, amount: Any, signed: Any) -> dict[str, Any]:
    return {
        "format": "tui-advisor/agency",
        "version": 1,
        "agency": {
            "name": "Edge",
            "monthly_operating_costs": amount,
            "weekly_capacity_hours": amount,
            "normal_lead_time_days": 999999999999999,
            "credit_line": amount,
        },
        "settings": {"disable": [], "params": {"CASH002": {"ideal_months": signed}}},
        "cash": [{"date": day, "balance": signed}],
        "clients": [{"id": "c", "name": "C"}],
        "engagements": [
            {
                "id": "r",
                "client": "c",
                "kind": "retainer",
                "start": day,
                "monthly_fee": amount,
                "hours_per_week": amount,
            },
            {
                "id": "p",
                "client": "c",
                "kind": "project",
                "start": day,
                "end": day,
                "deadline": day,
                "price": amount,
                "hours_per_week": amount,
                "billing": "upfront",
                "rush_fee_pct": amount,
            },
        ],
        "invoices": [{"id": "i", "client": "c", "engagement": "r", "issued": day, "amount": signed, "due": day}],
        "inquiries": [
            {
                "id": "q",
                "received": day,
                "prospect": "P",
                "requested_start": day,
                "deadline": day,
                "estimated_value": amount,
            }
        ],
        "actions": [{"id": "a", "title": "T", "steps": [{"title": "s", "due": day}]}],
        "dismissals": [{"rule": "CASH001", "until": day, "distance": amount}],
    }


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize(
    ("day", "amount", "signed"),
    [
        ("2199-12-31", math.nextafter(1e15, 0), -999999999999999),
        ("1900-01-01", 0, 999999999999999),
        ("2199-12-31", 5e-324, math.nextafter(1e15, 0)),
    ],
    ids=["top", "zero", "tiny"],
)
def test_a_document_at_the_bounds_advises_in_every_format_and_imports(
    cli: SimpleNamespace, run: Callable[..., Any], tmp_path: Path, day: str, amount: Any, signed: Any, fmt: str
) -> None:
    path = tmp_path / "edge.json"
    path.write_text(json.dumps(bounds_document(day, amount, signed)), encoding="utf-8")
    proc = cli.ok(run("advise", "--input", path, "--as-of", day, "--format", fmt))
    assert proc.stdout.strip()
    if fmt == "json":

        def refuse(name: str) -> Any:
            raise AssertionError(f"not strict JSON: {name}")

        out = json.loads(proc.stdout, parse_constant=refuse)
        assert out["as_of"] == day
        assert all(v is None or not isinstance(v, float) or math.isfinite(v) for v in out["metrics"].values())
    data = tmp_path / "store" / "agency.json"
    cli.ok(run("import", path, "--data", data))
    cli.ok(run("advise", "--data", data, "--as-of", day, "--format", fmt))
