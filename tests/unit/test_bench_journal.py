"""The hledger anchor of benchmarks/bench_advise.py measures the same invoices: the journal it
writes from a data file holds one transaction per invoice, and hledger reads it to the same
revenue per client as the data file's invoices."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import defaultdict

import pytest

from tests.conftest import BENCHMARKS


def _bench():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_advise
    finally:
        sys.path.remove(str(BENCHMARKS))
    return bench_advise


def test_account_names_cannot_break_the_journal():
    bench = _bench()
    assert bench._account("Acme: Labs; (EU)  [old]") == "Acme Labs EU old"
    assert bench._account("  ") == ""


@pytest.mark.skipif(shutil.which("hledger") is None, reason="hledger is not installed")
def test_hledger_reads_the_invoices_of_the_data_file(tmp_path, synthetic_agency):
    bench = _bench()
    doc = synthetic_agency("S")
    doc["clients"][1]["name"] = doc["clients"][0]["name"]  # two clients of one name stay two accounts
    doc["clients"][2]["name"] = "Colon: and; semicolon (x)"
    data = tmp_path / "agency.json"
    data.write_text(json.dumps(doc), encoding="utf-8")
    journal = tmp_path / "agency.journal"
    assert bench.write_journal(data, journal) == len(doc["invoices"])

    out = subprocess.run(
        ["hledger", "-f", str(journal), "bal", "revenue", "--flat", "--no-total", "--output-format", "csv"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = [line.split('","') for line in out.strip().splitlines()[1:]]
    got = {account.strip('"'): float(amount.strip('"').split()[0]) for account, amount in rows}

    want: dict[str, float] = defaultdict(float)
    for inv in doc["invoices"]:
        want[inv["client"]] += inv["amount"]
    assert len(got) == len([c for c in want if round(want[c], 2) != 0])  # hledger leaves zero balances out
    names = {c["id"]: c["name"] for c in doc["clients"]}
    for cid, amount in want.items():
        if round(amount, 2) == 0:
            continue
        account = next(
            a
            for a in got
            if a.startswith("revenue:" + bench._account(names[cid]))
            and (a.endswith(cid) or a == "revenue:" + bench._account(names[cid]))
        )
        assert got[account] == pytest.approx(-amount, abs=0.01)  # amounts of two decimals
