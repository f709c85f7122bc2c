"""`tui-advisor import` takes an invoice's amount BEFORE tax (VAT, sales tax) where the export
has it: a `net` column is the amount, else the total minus a `tax` column; without either the
totals are imported as they are and the report warns once. Driven as a user would: the command
line as a subprocess on exports in each system's shape, then `advise --format json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

AS_OF = "2026-11-26"
WARNING = (
    "amounts are taken as they are in '{col}': if they include VAT, the revenue advice will overstate "
    "revenue; add a net or tax column to the profile"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def invoices(run, cli, data: Path) -> dict[str, dict]:
    doc = json.loads(cli.ok(run("export", "--data", data)).stdout)
    return {i["id"]: i for i in doc.get("invoices", [])}


def imp(run, data: Path, csv: Path, profile: str, *extra):
    return run("import", csv, "--profile", profile, "--data", data, "--as-of", AS_OF, *extra)


def dutch(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


# Moneybird's export per document: the total with btw, the amount without it and the btw itself
MONEYBIRD = """Factuurnummer;Contact;Factuurdatum;Vervaldatum;Totaalbedrag excl. btw;Btw-bedrag;Totaalbedrag incl. btw;Betaald op;Status
2026-0001;ACME Ltd;01-09-2026;15-09-2026;10.000,00;2.100,00;12.100,00;10-09-2026;Betaald
2026-0002;ACME Ltd;01-10-2026;15-10-2026;8.000,00;1.680,00;9.680,00;;Open
2026-0003;Globex;15-10-2026;29-10-2026;4.000,00;840,00;4.840,00;20-10-2026;Betaald
2026-0004;Globex;02-11-2026;16-11-2026;-500,00;-105,00;-605,00;;Open
"""


def _column(text: str, header: str) -> list[str]:
    lines = text.splitlines()
    i = lines[0].split(";").index(header)
    return [line.split(";")[i] for line in lines[1:]]


def test_moneybird_imports_the_amounts_excl_btw_and_advice_uses_them(run, cli, tmp_path, store):
    csv = write(tmp_path / "facturen.csv", MONEYBIRD)
    dry = cli.ok(imp(run, store, csv, "moneybird", "--dry-run"))
    assert dry.stdout.count("amounts before tax: 'Totaalbedrag excl. btw'") == 1
    assert "overstate revenue" not in dry.stdout
    proc = cli.ok(imp(run, store, csv, "moneybird"))
    assert "4 new, 0 updated, 0 unchanged, 0 rejected" in proc.stdout
    assert proc.stdout.count("amounts before tax: 'Totaalbedrag excl. btw'") == 1
    inv = invoices(run, cli, store)
    excl = dict(zip(_column(MONEYBIRD, "Factuurnummer"), map(dutch, _column(MONEYBIRD, "Totaalbedrag excl. btw"))))
    incl = dict(zip(_column(MONEYBIRD, "Factuurnummer"), map(dutch, _column(MONEYBIRD, "Totaalbedrag incl. btw"))))
    assert {k: v["amount"] for k, v in inv.items()} == excl
    assert inv["2026-0004"]["amount"] < 0  # a credit note stays negative before tax

    # the same export again adds and changes nothing
    again = cli.ok(imp(run, store, csv, "moneybird"))
    assert "0 new, 0 updated, 4 unchanged, 0 rejected" in again.stdout
    assert invoices(run, cli, store) == inv

    proc = cli.ok(run("advise", "--data", store, "--as-of", AS_OF, "--format", "json"))
    m = json.loads(proc.stdout)["metrics"]
    months = m["trailing_months"]
    assert m["revenue_basis"] == "invoices"
    assert m["monthly_revenue"] == pytest.approx(sum(excl.values()) / months)
    assert m["revenue_vs_costs"] == pytest.approx(
        sum(excl.values()) / months / cli.IMPORT_AGENCY["agency"]["monthly_operating_costs"]
    )
    assert m["revenue_vs_costs"] != pytest.approx(
        sum(incl.values()) / months / cli.IMPORT_AGENCY["agency"]["monthly_operating_costs"]
    )  # not the totals with btw


XERO = """*ContactName,*InvoiceNumber,*InvoiceDate,*DueDate,Total,TaxTotal,InvoiceAmountPaid,InvoiceAmountDue,Description,LineAmount,TaxAmount,Currency,Type,Status
ACME Ltd,INV-0001,01/10/2026,15/10/2026,"1,210.00",210.00,1210.00,0.00,Design,500.00,105.00,EUR,Sales invoice,Paid
ACME Ltd,INV-0001,01/10/2026,15/10/2026,"1,210.00",210.00,1210.00,0.00,Build,500.00,105.00,EUR,Sales invoice,Paid
Globex,INV-0002,02/10/2026,16/10/2026,2500.00,0.00,0,2500.00,Audit,2500.00,0.00,EUR,Sales invoice,Awaiting Payment
Globex,CN-0001,03/10/2026,17/10/2026,363.00,63.00,0,363.00,Refund,300.00,63.00,EUR,Sales credit note,Awaiting Payment
"""


def test_xero_total_minus_taxtotal_and_a_credit_note_negative_before_tax(run, cli, tmp_path, store):
    csv = write(tmp_path / "Invoices.csv", XERO)
    proc = cli.ok(imp(run, store, csv, "xero"))
    assert "3 new" in proc.stdout
    assert proc.stdout.count("amounts before tax: 'Total' minus 'TaxTotal'") == 1
    inv = invoices(run, cli, store)
    assert inv["INV-0001"]["amount"] == 1210.0 - 210.0  # the two lines of one invoice: one invoice
    assert inv["INV-0002"]["amount"] == 2500.0
    assert inv["CN-0001"]["amount"] == -(363.0 - 63.0)  # Xero writes a credit note positive: both flipped
    again = cli.ok(imp(run, store, csv, "xero"))
    assert "0 new, 0 updated, 3 unchanged" in again.stdout


def test_a_tax_cell_that_is_not_a_number_is_rejected_with_its_line(run, cli, tmp_path, store):
    csv = write(tmp_path / "Invoices.csv", XERO.replace(",363.00,63.00,", ",363.00,63 euro,"))
    before = store.read_bytes()
    err = cli.usage_error(imp(run, store, csv, "xero"))
    assert "nothing was imported" in err
    proc = imp(run, store, csv, "xero", "--dry-run")
    assert "line 5: column 'TaxTotal' value '63 euro': expected the tax in the total" in proc.stdout
    assert store.read_bytes() == before
    skipped = cli.ok(imp(run, store, csv, "xero", "--skip-bad"))
    assert "2 new" in skipped.stdout and "CN-0001" not in invoices(run, cli, store)


FRESHBOOKS = """Client Name,Invoice #,Date Issued,Invoice Status,Date Paid,Item Name,Rate,Quantity,Line Subtotal,Tax 1 Type,Tax 1 Amount,Tax 2 Type,Tax 2 Amount,Line Total,Currency
ACME Ltd,0000101,2026-10-01,paid,2026-10-20,Design,100.00,10,1000.00,VAT,200.00,,0,1200.00,USD
ACME Ltd,0000101,2026-10-01,paid,2026-10-20,Hosting,50.00,1,50.00,VAT,10.00,City,2.50,62.50,USD
ACME Ltd,0000101,2026-10-01,paid,2026-10-20,Discount,-25.00,1,-25.00,VAT,-5.00,,0,-30.00,USD
Globex,0000102,2026-10-20,sent,,Strategy,2000.00,1,2000.00,,0,,0,2000.00,USD
"""


def test_freshbooks_sums_each_lines_subtotal(run, cli, tmp_path, store_usd):
    csv = write(tmp_path / "invoice_details.csv", FRESHBOOKS)
    proc = cli.ok(imp(run, store_usd, csv, "freshbooks"))
    assert "2 new" in proc.stdout
    assert proc.stdout.count("amounts before tax: 'Line Subtotal'") == 1
    inv = invoices(run, cli, store_usd)
    assert inv["0000101"]["amount"] == 1000.0 + 50.0 - 25.0  # the three lines' subtotals, no tax
    assert inv["0000102"]["amount"] == 2000.0
    again = cli.ok(imp(run, store_usd, csv, "freshbooks"))
    assert "0 new, 0 updated, 2 unchanged" in again.stdout


OWN_PROFILE = """[csv]
delimiter = ";"
decimal = ","
date_format = "%d-%m-%Y"
[columns]
invoice = "Nummer"
client = "Klant"
issued = "Datum"
amount = "Totaal"
"""
OWN = """Nummer;Klant;Datum;Totaal
A-1;ACME Ltd;01-10-2026;1.210,00
A-2;Globex;05-10-2026;605,00
"""


def test_a_profile_without_net_or_tax_imports_the_totals_and_warns_once(run, cli, tmp_path, store):
    profile = write(tmp_path / "mine.toml", OWN_PROFILE)  # a user's profile from before: still works
    csv = write(tmp_path / "export.csv", OWN)
    warning = WARNING.format(col="Totaal")
    dry = cli.ok(imp(run, store, csv, str(profile), "--dry-run"))
    assert dry.stdout.count(warning) == 1
    proc = cli.ok(imp(run, store, csv, str(profile)))
    assert "2 new, 0 updated, 0 unchanged, 0 rejected" in proc.stdout
    assert proc.stdout.count(warning) == 1 and proc.stdout.count("overstate revenue") == 1
    inv = invoices(run, cli, store)
    assert inv["A-1"]["amount"] == 1210.0 and inv["A-2"]["amount"] == 605.0  # as they are
    again = cli.ok(imp(run, store, csv, str(profile)))
    assert "0 new, 0 updated, 2 unchanged" in again.stdout


def test_a_built_in_profile_on_an_export_without_the_excl_column_warns(run, cli, tmp_path, store):
    text = "Factuurnummer;Contact;Factuurdatum;Totaalbedrag incl. btw\n2026-0009;ACME Ltd;01-10-2026;1.210,00\n"
    csv = write(tmp_path / "f.csv", text)
    proc = cli.ok(imp(run, store, csv, "moneybird"))
    assert proc.stdout.count(WARNING.format(col="Totaalbedrag incl. btw")) == 1
    assert invoices(run, cli, store)["2026-0009"]["amount"] == 1210.0


def test_a_tax_column_of_ones_own_profile_and_the_plan_the_app_shows(run, cli, tmp_path, store):
    profile = write(tmp_path / "mine.toml", OWN_PROFILE + 'tax = "BTW-bedrag"\n')
    csv = write(
        tmp_path / "export.csv", "Nummer;Klant;Datum;Totaal;BTW-bedrag\nA-1;ACME Ltd;01-10-2026;1.210,00;210,00\n"
    )
    proc = cli.ok(imp(run, store, csv, str(profile)))
    assert "amounts before tax: 'Totaal' minus 'BTW-bedrag'" in proc.stdout
    assert invoices(run, cli, store)["A-1"]["amount"] == 1000.0

    # what the app's import screen shows: the same line on the plan
    from datetime import date

    from tui_advisor.importing import load_profile, plan_import
    from tui_advisor.model import AgencyData

    plan = plan_import(csv, load_profile(str(profile)), AgencyData(), date(2026, 11, 26))
    assert plan.amounts == "amounts before tax: 'Totaal' minus 'BTW-bedrag'" and not plan.amounts_warning
    plain = write(tmp_path / "plain.toml", OWN_PROFILE)
    plan = plan_import(csv, load_profile(str(plain)), AgencyData(), date(2026, 11, 26))
    assert plan.amounts == WARNING.format(col="Totaal") and plan.amounts_warning


def test_a_tax_larger_than_its_total_or_on_the_amounts_column_is_refused(run, cli, tmp_path, store):
    csv = write(tmp_path / "Invoices.csv", XERO.replace("2500.00,0.00,0,2500.00", "2500.00,2600.00,0,2500.00"))
    proc = imp(run, store, csv, "xero", "--dry-run")
    assert proc.returncode == 2
    assert "line 4: column 'TaxTotal' value '2600.00': expected the tax in the total: it is more than the total" in (
        proc.stdout
    )
    profile = write(tmp_path / "same.toml", OWN_PROFILE + 'tax = "Totaal"\n')  # the total as its own tax
    own = write(tmp_path / "export.csv", OWN)
    before = store.read_bytes()
    err = cli.usage_error(imp(run, store, own, str(profile)))
    assert "the tax column 'Totaal' is the amount's column" in err
    assert store.read_bytes() == before


# two invoices open past their due date on 2026-11-26 (12.000 excl., 14.520 incl. btw) and an open credit note
MONEYBIRD_OVERDUE = """Factuurnummer;Contact;Factuurdatum;Vervaldatum;Totaalbedrag excl. btw;Btw-bedrag;Totaalbedrag incl. btw;Betaald op;Status
2026-0101;ACME Ltd;01-09-2026;15-09-2026;20.000,00;4.200,00;24.200,00;10-09-2026;Betaald
2026-0102;ACME Ltd;01-10-2026;15-10-2026;10.000,00;2.100,00;12.100,00;;Open
2026-0103;Globex;15-10-2026;29-10-2026;2.000,00;420,00;2.420,00;;Open
2026-0104;Globex;02-11-2026;16-11-2026;-500,00;-105,00;-605,00;;Open
"""


def test_revenue_from_the_net_amounts_and_overdue_receivables_from_the_totals(run, cli, tmp_path, store):
    """What a client owes is the total incl. btw: the collect advice counts it; the revenue the amount excl."""
    csv = write(tmp_path / "facturen.csv", MONEYBIRD_OVERDUE)
    cli.ok(imp(run, store, csv, "moneybird"))
    numbers = _column(MONEYBIRD_OVERDUE, "Factuurnummer")
    excl = dict(zip(numbers, map(dutch, _column(MONEYBIRD_OVERDUE, "Totaalbedrag excl. btw"))))
    incl = dict(zip(numbers, map(dutch, _column(MONEYBIRD_OVERDUE, "Totaalbedrag incl. btw"))))
    inv = invoices(run, cli, store)
    assert {k: v["amount"] for k, v in inv.items()} == excl
    assert {k: v["total"] for k, v in inv.items()} == incl
    assert store.read_text(encoding="utf-8").count('"total"') == 4  # the data file holds them

    m_out = json.loads(cli.ok(run("advise", "--data", store, "--as-of", AS_OF, "--format", "json")).stdout)
    m = m_out["metrics"]
    assert m["monthly_revenue"] == pytest.approx(sum(excl.values()) / m["trailing_months"])  # excl. btw
    owed = incl["2026-0102"] + incl["2026-0103"]  # 12.100 + 2.420; the credit note is not money to collect
    assert m["overdue_receivables"] == pytest.approx(owed) and owed == 14520
    assert m["overdue_invoices"] == 2
    (late,) = [r for r in m_out["recommendations"] if r["rule"] == "CASH005"]  # 14.520 > a quarter of 20.000
    assert late["title"] == "2 invoices overdue: collect 14.520 EUR"
    assert "2 invoices are overdue, together 14.520 EUR" in late["message"]

    # the same export again: unchanged; an invoice stored before totals were kept: updated once
    assert "0 new, 0 updated, 4 unchanged" in cli.ok(imp(run, store, csv, "moneybird")).stdout
    old = {"format": "tui-advisor/agency", "version": 1, "invoices": [{**inv["2026-0103"], "total": None}]}
    cli.ok(run("import", write(tmp_path / "old.json", json.dumps(old)), "--data", store))
    assert "total" not in invoices(run, cli, store)["2026-0103"]  # export leaves a null total out, too
    assert "0 new, 1 updated, 3 unchanged" in cli.ok(imp(run, store, csv, "moneybird")).stdout
    assert invoices(run, cli, store)["2026-0103"]["total"] == 2420.0
    assert "0 new, 0 updated, 4 unchanged" in cli.ok(imp(run, store, csv, "moneybird")).stdout


def test_totals_without_tax_columns_stay_out_of_the_file(run, cli, tmp_path, store):
    """An export whose amounts are its totals (no net, no tax column): no total is stored."""
    profile = write(tmp_path / "plain.toml", OWN_PROFILE)
    proc = cli.ok(imp(run, store, write(tmp_path / "export.csv", OWN), str(profile)))
    assert "2 new" in proc.stdout
    assert all("total" not in i for i in invoices(run, cli, store).values())
    assert '"total"' not in store.read_text(encoding="utf-8")
