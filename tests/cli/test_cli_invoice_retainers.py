"""`tui-advisor invoice-retainers --month YYYY-MM`: one invoice per running retainer, once per month."""

from __future__ import annotations

import json
from pathlib import Path

HEAD = {"format": "tui-advisor/agency", "version": 1}


def _agency(
    tmp_path: Path, run, cli, *, payment_term_days: int | None = 14, invoices=(), currency: str = "EUR"
) -> Path:
    """A data file with retainers that run, ended, have not started, start mid-month, are billed
    otherwise, and a running project."""
    agency = {"name": "Test Studio", "currency": currency, "monthly_operating_costs": 20000}
    if payment_term_days is not None:
        agency["payment_term_days"] = payment_term_days
    doc = {
        **HEAD,
        "agency": agency,
        "clients": [
            {"id": "c-acme", "name": "Acme"},
            {"id": "c-bolt", "name": "Bolt"},
            {"id": "c-cedar", "name": "Cedar"},
            {"id": "c-dune", "name": "Dune"},
            {"id": "c-elm", "name": "Elm"},
            {"id": "c-fir", "name": "Fir"},
        ],
        "engagements": [
            # runs (open-ended)
            {"id": "e-acme", "client": "c-acme", "kind": "retainer", "start": "2025-01-01", "monthly_fee": 4000},
            # runs, ends within the month
            {
                "id": "e-bolt",
                "client": "c-bolt",
                "kind": "retainer",
                "start": "2026-06-01",
                "end": "2026-10-15",
                "monthly_fee": 2500,
            },
            # ended before the month
            {
                "id": "e-cedar",
                "client": "c-cedar",
                "kind": "retainer",
                "start": "2025-01-01",
                "end": "2026-09-30",
                "monthly_fee": 3000,
            },
            # starts after the month
            {"id": "e-dune", "client": "c-dune", "kind": "retainer", "start": "2026-11-01", "monthly_fee": 1000},
            # starts within the month (after its first day)
            {"id": "e-elm", "client": "c-elm", "kind": "retainer", "start": "2026-10-12", "monthly_fee": 1800},
            # a project running in the month, billed monthly: never invoiced here
            {
                "id": "e-fir",
                "client": "c-fir",
                "kind": "project",
                "start": "2026-09-01",
                "end": "2026-12-31",
                "price": 40000,
            },
        ],
        "invoices": list(invoices),
    }
    src = tmp_path / "agency-in.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    data = tmp_path / "store" / "agency.json"
    cli.ok(run("import", src, "--data", data))
    return data


def _invoices(run, cli, data: Path) -> list[dict]:
    return json.loads(cli.ok(run("export", "--data", data)).stdout)["invoices"]


def test_a_past_month_invoices_every_running_retainer_once(run, cli, tmp_path):
    data = _agency(tmp_path, run, cli)
    proc = cli.ok(run("invoice-retainers", "--month", "2026-10", "--as-of", "2026-12-01", "--data", data))
    out = proc.stdout
    assert "created 3 retainer invoices of 2026-10 (8.300,00 EUR), 3 skipped" in out
    by_id = {inv["id"]: inv for inv in _invoices(run, cli, data)}
    assert set(by_id) == {"ret-e-acme-2026-10", "ret-e-bolt-2026-10", "ret-e-elm-2026-10"}
    acme = by_id["ret-e-acme-2026-10"]
    # a past month: issued on its first day; due after the agency's payment term (14 days)
    expected = {
        "id": "ret-e-acme-2026-10",
        "client": "c-acme",
        "engagement": "e-acme",
        "issued": "2026-10-01",
        "amount": 4000,
        "due": "2026-10-15",
        "paid": None,
    }
    assert {k: acme.get(k) for k in expected} == expected
    assert by_id["ret-e-bolt-2026-10"]["amount"] == 2500  # it ends in the month: still its month's invoice
    assert by_id["ret-e-elm-2026-10"]["issued"] == "2026-10-12"  # started in the month: issued on its start
    assert by_id["ret-e-elm-2026-10"]["due"] == "2026-10-26"
    # what it skips, and why
    assert "Cedar retainer: ended 2026-09-30, before 2026-10" in out
    assert "Dune retainer: starts 2026-11-01, after 2026-10" in out
    assert "Fir project" in out and "not a retainer" in out

    again = cli.ok(run("invoice-retainers", "--month", "2026-10", "--as-of", "2026-12-01", "--data", data))
    assert "nothing to invoice for 2026-10" in again.stdout
    assert "Acme retainer: already invoiced for 2026-10 (ret-e-acme-2026-10)" in again.stdout
    assert len(_invoices(run, cli, data)) == 3  # twice is once
    log = json.loads(cli.ok(run("log", "--format", "json", "--data", data)).stdout)
    assert [e["action"] for e in log] == ["import", "invoice-retainers"]  # the second run wrote nothing
    assert sorted(c["key"] for c in log[-1]["changes"]) == sorted(by_id)


def test_the_current_month_is_issued_today_and_the_term_defaults_to_30_days(run, cli, tmp_path):
    data = _agency(tmp_path, run, cli, payment_term_days=None)
    proc = cli.ok(run("invoice-retainers", "--month", "2026-11", "--as-of", "2026-11-20", "--data", data))
    by_id = {inv["id"]: inv for inv in _invoices(run, cli, data)}
    # Bolt ended in October, Cedar in September; Elm and Acme run; Dune started 2026-11-01
    assert set(by_id) == {"ret-e-acme-2026-11", "ret-e-dune-2026-11", "ret-e-elm-2026-11"}
    for inv in by_id.values():
        assert (inv["issued"], inv["due"]) == ("2026-11-20", "2026-12-20")
    assert "Bolt retainer: ended 2026-10-15, before 2026-11" in proc.stdout


def test_a_retainer_starting_later_this_month_waits_until_it_has_started(run, cli, tmp_path):
    data = _agency(tmp_path, run, cli)
    proc = cli.ok(run("invoice-retainers", "--month", "2026-10", "--as-of", "2026-10-05", "--data", data))
    assert "Elm retainer: starts 2026-10-12, after today: invoice it once it has started" in proc.stdout
    ids = {inv["id"] for inv in _invoices(run, cli, data)}
    assert ids == {"ret-e-acme-2026-10", "ret-e-bolt-2026-10"}
    later = cli.ok(run("invoice-retainers", "--month", "2026-10", "--as-of", "2026-10-12", "--data", data))
    assert "created 1 retainer invoice of 2026-10" in later.stdout
    assert {inv["id"] for inv in _invoices(run, cli, data)} == ids | {"ret-e-elm-2026-10"}


def test_an_invoice_already_there_for_the_month_counts(run, cli, tmp_path):
    invoices = [
        # typed by hand, linked to the engagement
        {"id": "inv-7", "client": "c-acme", "engagement": "e-acme", "issued": "2026-10-03", "amount": 4100},
        # imported from the accounting system: no engagement, the monthly fee
        {"id": "2026-0311", "client": "c-bolt", "issued": "2026-10-02", "amount": 2500},
        # the same client another month, and another amount this month: not this month's retainer
        {"id": "2026-0200", "client": "c-elm", "issued": "2026-09-02", "amount": 1800},
        {"id": "2026-0312", "client": "c-elm", "issued": "2026-10-20", "amount": 99},
    ]
    data = _agency(tmp_path, run, cli, invoices=invoices)
    proc = cli.ok(run("invoice-retainers", "--month", "2026-10", "--as-of", "2026-12-01", "--data", data))
    assert "Acme retainer: already invoiced for 2026-10 (inv-7, issued 2026-10-03)" in proc.stdout
    assert "Bolt retainer: already invoiced for 2026-10? 2026-0311" in proc.stdout
    ids = {inv["id"] for inv in _invoices(run, cli, data)}
    assert ids == {inv["id"] for inv in invoices} | {"ret-e-elm-2026-10"}


def test_dry_run_writes_nothing(run, cli, tmp_path):
    data = _agency(tmp_path, run, cli)
    before = data.read_bytes()
    proc = cli.ok(run("invoice-retainers", "--month", "2026-10", "--dry-run", "--as-of", "2026-12-01", "--data", data))
    assert "Dry run, nothing written" in proc.stdout
    assert "would create 3 retainer invoices of 2026-10" in proc.stdout
    assert "+ ret-e-acme-2026-10: the Acme retainer, 4.000,00 EUR, issued 2026-10-01, due 2026-10-15" in proc.stdout
    assert data.read_bytes() == before
    assert _invoices(run, cli, data) == []


def test_bad_months_are_exit_2_and_write_nothing(run, cli, tmp_path):
    data = _agency(tmp_path, run, cli)
    before = data.read_bytes()
    for month, expected in [
        ("2026-13", "'2026-13' is not a month: the month is 01 to 12"),
        ("december", "'december' is not a month: write it as YYYY-MM, e.g. 2026-12"),
        ("2026-12-01", "is not a month"),
        ("2027-01", "2027-01 has not begun yet (today is 2026-12-01)"),
    ]:
        err = cli.usage_error(run("invoice-retainers", "--month", month, "--as-of", "2026-12-01", "--data", data))
        assert "--month" in err and expected in err, err
    assert data.read_bytes() == before


def test_no_data_file_is_exit_2(run, cli, tmp_path):
    err = cli.usage_error(run("invoice-retainers", "--month", "2026-10", "--data", tmp_path / "none.json"))
    assert "no data file yet" in err
    assert not (tmp_path / "none.json").exists()


def test_two_runs_at_once_invoice_each_retainer_once(run, cli, tmp_path):
    import subprocess
    import sys

    data = _agency(tmp_path, run, cli)
    args = [sys.executable, "-m", "tui_advisor", "invoice-retainers", "--month", "2026-10", "--as-of", "2026-12-01"]
    procs = [
        subprocess.Popen([*args, "--data", str(data)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    assert sorted(inv["id"] for inv in _invoices(run, cli, data)) == [
        "ret-e-acme-2026-10",
        "ret-e-bolt-2026-10",
        "ret-e-elm-2026-10",
    ]
    created = [out for out, _ in outs if b"created 3 retainer invoices" in out]
    assert len(created) == 1, outs  # one of them made them; the others found them under the lock


def test_a_former_clients_retainer_is_not_invoiced(run, cli, tmp_path):
    data = _agency(tmp_path, run, cli)
    doc = json.loads(cli.ok(run("export", "--data", data)).stdout)
    for c in doc["clients"]:
        if c["id"] == "c-acme":
            c["archived"] = "2026-10-01"  # archived on the month's first day: a former client for October
    src = tmp_path / "archived.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    cli.ok(run("import", src, "--replace", "--data", data))
    proc = cli.ok(run("invoice-retainers", "--month", "2026-10", "--as-of", "2026-12-01", "--data", data))
    assert "Acme retainer: its client was archived on 2026-10-01" in proc.stdout
    assert {inv["id"] for inv in _invoices(run, cli, data)} == {"ret-e-bolt-2026-10", "ret-e-elm-2026-10"}
    # September: Acme was still a client
    proc = cli.ok(run("invoice-retainers", "--month", "2026-09", "--as-of", "2026-12-01", "--data", data))
    assert "ret-e-acme-2026-09" in proc.stdout


def test_amounts_are_shown_in_the_agencys_number_style(run, cli, tmp_path):
    data = _agency(tmp_path, run, cli, currency="USD")
    proc = cli.ok(run("invoice-retainers", "--month", "2026-10", "--dry-run", "--as-of", "2026-12-01", "--data", data))
    assert "would create 3 retainer invoices of 2026-10 (8,300.00 USD)" in proc.stdout
    assert "the Acme retainer, 4,000.00 USD" in proc.stdout


def test_it_runs_without_the_user_interface_library(run, cli, tmp_path):
    import os

    blocked = tmp_path / "no-textual" / "textual"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text('raise ImportError("textual is blocked")\n', encoding="utf-8")
    env = {
        "PYTHONPATH": str(blocked.parent)
        + (os.pathsep + os.environ["PYTHONPATH"] if "PYTHONPATH" in os.environ else "")
    }
    data = _agency(tmp_path, run, cli)
    proc = cli.ok(run("invoice-retainers", "--month", "2026-10", "--as-of", "2026-12-01", "--data", data, env=env))
    assert "created 3 retainer invoices of 2026-10" in proc.stdout
    import subprocess
    import sys

    control = subprocess.run(
        [sys.executable, "-c", "import textual"], env={**os.environ, **env}, capture_output=True, text=True, timeout=60
    )
    assert control.returncode != 0 and "textual is blocked" in control.stderr  # the blocker works


def test_an_engagement_with_a_long_id_gets_an_invoice_id_that_fits(run, cli, tmp_path):
    long_id = "e-" + "x" * 110  # ret-<id>-<yyyy-mm> would be longer than an id may be
    doc = {
        **HEAD,
        "agency": {"name": "Test Studio", "currency": "EUR"},
        "clients": [{"id": "c-acme", "name": "Acme"}],
        "engagements": [
            {"id": long_id, "client": "c-acme", "kind": "retainer", "start": "2025-01-01", "monthly_fee": 100}
        ],
    }
    src = tmp_path / "in.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    data = tmp_path / "agency.json"
    cli.ok(run("import", src, "--data", data))
    for _ in range(2):
        cli.ok(run("invoice-retainers", "--month", "2026-10", "--as-of", "2026-12-01", "--data", data))
    (inv,) = _invoices(run, cli, data)  # once, however often it runs
    assert inv["engagement"] == long_id and inv["id"].startswith("ret-2026-10-") and len(inv["id"]) <= 120
