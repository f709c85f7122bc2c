"""`tui-advisor advise --format text|markdown` writes the advice's amounts in the agency's number
style, the one its forms read: the demo (EUR, no style set: 1.234,56) reads "136.000 EUR", the
same agency in USD "136,000 USD"; `--format json` keeps the numbers JSON numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

GROUPED_EN = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")  # 136,000
GROUPED_NL = re.compile(r"\b\d{1,3}(?:\.\d{3})+\b")  # 136.000


def _demo_input(tmp_path: Path, cli, **agency) -> Path:
    doc = cli.sample_doc("demo")
    doc["agency"].update(agency)
    path = tmp_path / "agency-in.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_eur_agency_reads_its_amounts_in_its_style(run, cli, tmp_path, fmt) -> None:
    path = _demo_input(tmp_path, cli)
    out = cli.ok(run("advise", "--input", path, "--as-of", cli.SAMPLE_AS_OF, "--format", fmt)).stdout
    assert "136.000 EUR" in out, "the cash balance, as the agency writes it"
    assert "74.500 EUR" in out, "a metric's own text (the proposals out) too"
    assert GROUPED_NL.search(out)
    assert not GROUPED_EN.search(out), GROUPED_EN.findall(out)


@pytest.mark.parametrize("agency", [{"currency": "USD"}, {"number_style": "1,234.56"}])
def test_an_english_style_agency_reads_them_the_english_way(run, cli, tmp_path, agency) -> None:
    path = _demo_input(tmp_path, cli, **agency)
    out = cli.ok(run("advise", "--input", path, "--as-of", cli.SAMPLE_AS_OF, "--format", "text")).stdout
    currency = agency.get("currency", "EUR")
    assert f"136,000 {currency}" in out
    assert not GROUPED_NL.search(out), GROUPED_NL.findall(out)


def test_json_keeps_numbers_as_numbers(run, cli, tmp_path) -> None:
    eur = json.loads(
        cli.ok(
            run("advise", "--input", _demo_input(tmp_path, cli), "--as-of", cli.SAMPLE_AS_OF, "--format", "json")
        ).stdout
    )
    assert eur["metrics"]["cash_balance"] == 136000 and isinstance(eur["metrics"]["cash_balance"], int)
    usd_path = tmp_path / "usd"
    usd_path.mkdir()
    usd = json.loads(
        cli.ok(
            run(
                "advise",
                "--input",
                _demo_input(usd_path, cli, currency="USD"),
                "--as-of",
                cli.SAMPLE_AS_OF,
                "--format",
                "json",
            )
        ).stdout
    )
    assert {k: v for k, v in eur["metrics"].items() if not isinstance(v, str)} == {
        k: v for k, v in usd["metrics"].items() if not isinstance(v, str)
    }, "the numbers do not depend on the style"
