"""`tui-advisor import FILE.csv --profile NAME|PATH`: each built-in profile on an export in its
system's shape, then `advise` on the result; strictness, idempotence, dry run, --skip-bad."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

AS_OF = "2026-11-26"


def write(path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def stored(run, cli, data: Path) -> dict:
    return json.loads(cli.ok(run("export", "--data", data)).stdout)


def invoices(run, cli, data: Path) -> dict[str, dict]:
    return {i["id"]: i for i in stored(run, cli, data).get("invoices", [])}


def clients(run, cli, data: Path) -> dict[str, str]:
    return {c["name"]: c["id"] for c in stored(run, cli, data)["clients"]}


def advise(run, cli, data: Path) -> dict:
    return json.loads(cli.ok(run("advise", "--data", data, "--as-of", AS_OF, "--format", "json")).stdout)["metrics"]


def imp(run, data: Path, csv: Path, profile: str, *extra, **kw):
    return run("import", csv, "--profile", profile, "--data", data, "--as-of", AS_OF, *extra, **kw)


# ------------------------------------------------------------------ each built-in profile


MONEYBIRD = """Factuurnummer;Contact;Factuurdatum;Vervaldatum;Totaalbedrag incl. btw;Betaald op;Status
2026-0001;ACME Ltd;01-09-2026;15-09-2026;"€ 1.234,56";10-09-2026;Betaald
2026-0002;"Globex; Benelux";05-10-2026;19-10-2026;97.250,00;;Open
2026-0003;acme   LTD;06-10-2026;20-10-2026;-300,00;;Open
2026-0004;ACME Ltd;07-11-2026;;12.000;;Open
2026-0005;ACME Ltd;08-11-2026;22-11-2026;500,00;;Concept
"""


def test_moneybird_dutch_numbers_bom_crlf_credit_note_quoted_semicolon_then_advise(run, cli, tmp_path, store):
    csv = write(tmp_path / "facturen.csv", MONEYBIRD, bom=True, crlf=True)
    proc = cli.ok(imp(run, store, csv, "moneybird"))
    assert "4 new, 0 updated, 0 unchanged, 0 rejected" in proc.stdout
    assert "line 6: status 'Concept'" in proc.stdout  # a draft is left out, and said
    inv = invoices(run, cli, store)
    assert inv["2026-0001"] == {
        "id": "2026-0001",
        "client": "c-acme",
        "engagement": None,
        "issued": "2026-09-01",
        "amount": 1234.56,
        "due": "2026-09-15",
        "paid": "2026-09-10",
    } | ({"note": ""} if "note" in inv["2026-0001"] else {})
    assert inv["2026-0002"]["amount"] == 97250.0  # 97.250,00: ninety-seven thousand, not 97.25
    assert inv["2026-0003"]["amount"] == -300.0 and inv["2026-0003"]["client"] == "c-acme"  # case and spaces
    assert inv["2026-0004"]["due"] == "2026-11-21"  # no due date: the agency's 14 days
    assert "2026-0005" not in inv
    names = clients(run, cli, store)
    assert names["Globex; Benelux"] == "c-globex-benelux"  # the semicolon inside quotes is the name's
    assert "Added clients:\n  Globex; Benelux (c-globex-benelux)" in proc.stdout
    m = advise(run, cli, store)
    # 2026-0002 (due 19-10) and 2026-0004 (due 21-11 by the term); the credit note never counts as overdue
    assert m["overdue_invoices"] == 2
    assert m["overdue_receivables"] == 97250.0 + 12000.0


EXACT = """Factuurnummer;Factuurdatum;Vervaldatum;Code;Naam;Omschrijving;Bedrag;Openstaand
25700001;02-09-2026;02-10-2026;1001;Globex;"Retainer september; uren";8.000,00;0,00
25700002;01-10-2026;31-10-2026;1001;Globex;Retainer oktober;8.000,00;8.000,00
25700003;12-10-2026;11-11-2026;1002;Initech B.V.;Website;4.250,50;4.250,50
"""


def test_exact_online_open_amount_gives_the_paid_state(run, cli, tmp_path, store):
    csv = write(tmp_path / "verkoop.csv", EXACT, crlf=True)
    proc = cli.ok(imp(run, store, csv, "exact-online"))
    assert "3 new" in proc.stdout
    inv = invoices(run, cli, store)
    assert inv["25700001"]["paid"] == AS_OF  # paid per the export, which gives no date: the import's day
    assert inv["25700002"]["paid"] is None and inv["25700003"]["paid"] is None
    assert inv["25700003"]["amount"] == 4250.5
    assert "paid date set to 2026-11-26" in proc.stdout
    m = advise(run, cli, store)
    assert m["overdue_invoices"] == 2 and m["overdue_receivables"] == 12250.5


EBOEK = """Factuurnummer;Datum;Relatie;Totaal excl. BTW;Totaal incl. BTW;Betalingstermijn;Openstaand
F2026-101;03-11-2026;ACME Ltd;1.000,00;1.210,00;7;1.210,00
F2026-102;20-11-2026;Globex;"2.000,00";"2.420,00";;2.420,00
"""


def test_e_boekhouden_payment_term_column_and_the_agency_term(run, cli, tmp_path, store):
    csv = write(tmp_path / "facturen.csv", EBOEK)
    cli.ok(imp(run, store, csv, "e-boekhouden"))
    inv = invoices(run, cli, store)
    assert inv["F2026-101"]["due"] == "2026-11-10"  # its own term: 7 days
    assert inv["F2026-102"]["due"] == "2026-12-04"  # none: the agency's 14 days
    # the amount before tax: the file has "Totaal excl. BTW" (changed on purpose: was the total, 1210)
    assert inv["F2026-101"]["amount"] == 1000.0
    m = advise(run, cli, store)
    # what the client owes is the total incl. BTW (the invoice's total), the revenue the amount excl.
    assert m["overdue_invoices"] == 1 and m["overdue_receivables"] == 1210.0


XERO = """*ContactName,EmailAddress,*InvoiceNumber,Reference,*InvoiceDate,*DueDate,Total,TaxTotal,InvoiceAmountPaid,InvoiceAmountDue,Description,Quantity,UnitAmount,LineAmount,Currency,Type,Sent,Status
ACME Ltd,ap@acme.test,INV-0001,,01/10/2026,15/10/2026,"1,200.00",200.00,1200.00,0.00,Design,1,500.00,500.00,EUR,Sales invoice,Sent,Paid
ACME Ltd,ap@acme.test,INV-0001,,01/10/2026,15/10/2026,"1,200.00",200.00,1200.00,0.00,Build,1,500.00,500.00,EUR,Sales invoice,Sent,Paid
"Wayne, Enterprises",,INV-0002,,02/10/2026,16/10/2026,2500.00,0,0,2500.00,Audit,1,2500.00,2500.00,EUR,Sales invoice,Sent,Awaiting Payment
Globex,,CN-0001,,03/10/2026,17/10/2026,300.00,0,0,300.00,Refund,1,300.00,300.00,EUR,Sales credit note,Sent,Awaiting Payment
Globex,,INV-0003,,04/10/2026,18/10/2026,999.00,0,0,999.00,Draft work,1,999.00,999.00,EUR,Sales invoice,,Draft
"""


def test_xero_repeated_line_rows_status_and_credit_note(run, cli, tmp_path, store):
    csv = write(tmp_path / "Invoices.csv", XERO)
    proc = cli.ok(imp(run, store, csv, "xero"))
    assert "3 new" in proc.stdout
    assert "another line of invoice 'INV-0001' (line 2)" in proc.stdout
    inv = invoices(run, cli, store)
    # Total minus TaxTotal, before tax (changed on purpose: was the Total, 1200)
    assert inv["INV-0001"]["amount"] == 1000.0 and inv["INV-0001"]["paid"] == AS_OF
    assert inv["CN-0001"]["amount"] == -300.0  # a credit note, written positive by Xero
    assert "INV-0003" not in inv  # a draft
    assert clients(run, cli, store)["Wayne, Enterprises"] == inv["INV-0002"]["client"]
    m = advise(run, cli, store)
    assert m["overdue_invoices"] == 1 and m["overdue_receivables"] == 2500.0


QBO = """Invoice List
Northwind Studio LLC
All Dates

Date,Transaction type,Num,Customer full name,Memo/Description,Due date,Amount,Open balance
09/01/2026,Invoice,1001,ACME Ltd,September retainer,10/01/2026,"$5,000.00",0.00
10/01/2026,Invoice,1002,ACME Ltd,October retainer,10/31/2026,"$5,000.00","$5,000.00"
10/15/2026,Credit Memo,1003,Globex,Goodwill,10/15/2026,-250.00,-250.00
TOTAL,,,,,,"$9,750.00","$4,750.00"


Tuesday, December 1, 2026 09:41 AM GMT-05:00
"""


def test_quickbooks_report_title_lines_total_and_footer(run, cli, tmp_path, store_usd):
    store = store_usd
    csv = write(tmp_path / "InvoiceList.csv", QBO)
    proc = cli.ok(imp(run, store, csv, "quickbooks-online"))
    assert "3 new, 0 updated, 0 unchanged, 0 rejected" in proc.stdout
    assert "a total line" in proc.stdout
    inv = invoices(run, cli, store)
    assert inv["1001"]["issued"] == "2026-09-01" and inv["1001"]["due"] == "2026-10-01"
    assert inv["1001"]["paid"] == AS_OF and inv["1002"]["paid"] is None
    assert inv["1003"]["amount"] == -250.0
    m = advise(run, cli, store)
    assert m["overdue_invoices"] == 1 and m["overdue_receivables"] == 5000.0


FRESHBOOKS = """Client Name,Invoice #,Date Issued,Invoice Status,Date Paid,Item Name,Rate,Quantity,Line Subtotal,Tax 1 Type,Tax 1 Amount,Line Total,Currency
ACME Ltd,0000101,2026-10-01,paid,2026-10-20,Design,100.00,10,1000.00,VAT,200.00,1200.00,USD
ACME Ltd,0000101,2026-10-01,paid,2026-10-20,Hosting,50.00,1,50.00,VAT,10.00,60.00,USD
Globex,0000102,2026-10-20,sent,,Strategy,2000.00,1,2000.00,,0,2000.00,USD
Globex,0000103,2026-11-20,draft,,Later,1.00,1,1.00,,0,1.00,USD
"""


def test_freshbooks_lines_summed_and_the_agency_term(run, cli, tmp_path, store_usd):
    store = store_usd
    csv = write(tmp_path / "invoice_details.csv", FRESHBOOKS)
    proc = cli.ok(imp(run, store, csv, "freshbooks"))
    assert "2 new" in proc.stdout
    inv = invoices(run, cli, store)
    # 1000 + 50: the lines' Line Subtotal (before tax) summed (changed on purpose: was Line Total, 1260)
    assert inv["0000101"]["amount"] == 1050.0
    assert inv["0000101"]["paid"] == "2026-10-20"
    assert inv["0000102"]["due"] == "2026-11-03"  # no due date in the export: 14 days
    assert "0000103" not in inv
    m = advise(run, cli, store)
    assert m["overdue_invoices"] == 1 and m["overdue_receivables"] == 2000.0


# ------------------------------------------------------------------ strictness and idempotence


def test_a_bad_row_imports_nothing_and_names_line_column_value_and_the_other_reading(run, cli, tmp_path, store):
    text = MONEYBIRD.replace("12.000;", "97.25;").replace("06-10-2026", "2026-10-06")
    csv = write(tmp_path / "f.csv", text)
    before = store.read_bytes()
    err = cli.usage_error(imp(run, store, csv, "moneybird"))
    proc = imp(run, store, csv, "moneybird")
    assert "nothing was imported" in err
    assert "line 5: column 'Totaalbedrag incl. btw' value '97.25'" in proc.stdout
    assert "read with '.' as the decimal mark it would be" in proc.stdout  # the other reading, offered
    assert "line 4: column 'Factuurdatum' value '2026-10-06': expected the issue date like 31-12-2026" in proc.stdout
    assert store.read_bytes() == before


def test_skip_bad_imports_the_rest_and_lists_the_skipped(run, cli, tmp_path, store):
    csv = write(tmp_path / "f.csv", MONEYBIRD.replace("12.000;", "twelve;"))
    proc = cli.ok(imp(run, store, csv, "moneybird", "--skip-bad"))
    assert "3 new" in proc.stdout and "Rejected rows (skipped)" in proc.stdout and "'twelve'" in proc.stdout
    assert set(invoices(run, cli, store)) == {"2026-0001", "2026-0002", "2026-0003"}


def test_dry_run_writes_nothing_and_reports_each_kind(run, cli, tmp_path, store):
    csv = write(tmp_path / "f.csv", MONEYBIRD)
    cli.ok(imp(run, store, csv, "moneybird"))
    changed = MONEYBIRD.replace("05-10-2026;19-10-2026;97.250,00;;", "05-10-2026;19-10-2026;97.250,00;01-11-2026;")
    changed += "2026-0006;Globex;09-11-2026;23-11-2026;100,00;;Open\n2026-0007;Globex;09-11-2026;23-11-2026;1.5;;Open\n"
    csv2 = write(tmp_path / "f2.csv", changed)
    before = store.read_bytes()
    proc = imp(run, store, csv2, "moneybird", "--dry-run")
    assert proc.returncode == 2  # a rejected row: the import would import nothing
    assert "Dry run, nothing written" in proc.stdout
    assert "1 new, 1 updated, 3 unchanged, 1 rejected" in proc.stdout
    assert "2026-0002: paid (none) -> 2026-11-01" in proc.stdout
    assert store.read_bytes() == before
    ok = cli.ok(imp(run, store, csv2, "moneybird", "--dry-run", "--skip-bad"))
    assert "1 new, 1 updated" in ok.stdout and store.read_bytes() == before


def test_the_same_and_an_overlapping_export_add_nothing_a_changed_paid_date_is_an_update(run, cli, tmp_path, store):
    csv = write(tmp_path / "f.csv", MONEYBIRD)
    cli.ok(imp(run, store, csv, "moneybird"))
    first = invoices(run, cli, store)
    again = cli.ok(imp(run, store, csv, "moneybird"))
    assert "Nothing to import" in again.stdout and "0 new, 0 updated, 4 unchanged" in again.stdout
    lines = MONEYBIRD.splitlines()
    overlap = "\n".join(
        [lines[0], lines[2].replace(";;Open", ";20-11-2026;Betaald"), lines[3]]
        + [
            "2026-0008;ACME Ltd;07-11-2026;21-11-2026;12.000;;Open",
            "2026-0009;ACME Ltd;07-11-2026;21-11-2026;12.000;;Open",
        ]
    )
    proc = cli.ok(imp(run, store, write(tmp_path / "g.csv", overlap + "\n"), "moneybird"))
    assert "2 new, 1 updated, 1 unchanged" in proc.stdout
    after = invoices(run, cli, store)
    assert after["2026-0002"]["paid"] == "2026-11-20"
    assert after["2026-0008"]["amount"] == after["2026-0009"]["amount"] == 12000.0  # equal twins: both kept
    assert len(after) == len(first) + 2
    assert len(clients(run, cli, store)) == 3  # ACME, Globex, Globex; Benelux: no client made twice


def test_a_close_miss_is_suggested_and_a_profile_clients_alias_resolves_it(run, cli, tmp_path, store):
    csv = write(
        tmp_path / "f.csv",
        "InvoiceNumber,ContactName,InvoiceDate,DueDate,Total\nX-1,ACME Ltd.,01/11/2026,15/11/2026,10\n",
    )
    proc = cli.ok(imp(run, store, csv, "xero", "--dry-run"))
    assert "close to the stored client 'ACME Ltd'" in proc.stdout
    profile = tmp_path / "mine.toml"
    profile.write_text(
        '[csv]\ndelimiter = ","\ndecimal = "."\ndate_format = "%d/%m/%Y"\n'
        '[columns]\ninvoice = "InvoiceNumber"\nclient = "ContactName"\nissued = "InvoiceDate"\n'
        'due = "DueDate"\namount = "Total"\n[clients]\n"ACME Ltd." = "ACME Ltd"\n',
        encoding="utf-8",
    )
    proc = cli.ok(imp(run, store, csv, str(profile)))
    assert "New clients" not in proc.stdout and "Added clients" not in proc.stdout
    assert invoices(run, cli, store)["X-1"]["client"] == "c-acme"


def test_a_bad_profile_is_refused_naming_file_and_line(run, cli, tmp_path, store):
    csv = write(tmp_path / "f.csv", MONEYBIRD)
    profile = tmp_path / "bad.toml"
    profile.write_text(
        '[csv]\ndelimiter = ";"\ndecimal = ":"\ndate_format = "%d-%m-%Y"\n[columns]\ninvoice = "Factuurnummer"\n'
        'client = "Contact"\nissued = "Factuurdatum"\n',
        encoding="utf-8",
    )
    err = cli.usage_error(imp(run, store, csv, str(profile)))
    assert f"{profile}: 2 problem(s)" in err
    assert "line 3: [csv] decimal: ':' is not a decimal mark" in err
    assert "[columns] amount is missing" in err
    profile.write_text('[csv]\ndelimiter = ";"\ndecimal = ","\n[columns\n', encoding="utf-8")
    err = cli.usage_error(imp(run, store, csv, str(profile)))
    assert "not a valid TOML file" in err and "line 4" in err


def test_a_missing_column_is_named_with_the_close_headers(run, cli, tmp_path, store):
    csv = write(tmp_path / "f.csv", MONEYBIRD.replace("Factuurdatum;", "Factuur datum x;"))
    err = cli.usage_error(imp(run, store, csv, "moneybird"))
    assert "no column 'Factuurdatum' for issued" in err and "did you mean 'Factuur datum x'" in err


def test_control_characters_in_a_name_are_refused_and_never_printed_raw(run, cli, tmp_path, store):
    csv = write(tmp_path / "f.csv", MONEYBIRD.replace('2026-0002;"Globex; Benelux"', "2026-0002;Evil\x1b[2JCorp"))
    proc = imp(run, store, csv, "moneybird")
    assert proc.returncode == 2
    assert "\x1b" not in proc.stdout + proc.stderr
    assert "control character (U+001B ESC)" in proc.stdout and "Evil\\x1b[2JCorp" in proc.stdout


def test_a_csv_without_profile_says_which_fits_and_list_profiles(run, cli, tmp_path, store):
    csv = write(tmp_path / "f.csv", MONEYBIRD)
    err = cli.usage_error(run("import", csv, "--data", store))
    assert "--profile moneybird" in err
    listing = cli.ok(run("import", "--list-profiles")).stdout
    for name in ("moneybird", "exact-online", "e-boekhouden", "xero", "quickbooks-online", "freshbooks"):
        assert f"{name}: " in listing
    err = cli.usage_error(imp(run, store, csv, "monybird"))
    assert "did you mean 'moneybird'" in err


def test_a_row_with_an_unquoted_delimiter_is_rejected_not_misread(run, cli, tmp_path, store):
    csv = write(
        tmp_path / "f.csv",
        "InvoiceNumber,ContactName,InvoiceDate,DueDate,Total\nA-1,ACME Ltd,01/11/2026,15/11/2026,1,200.00\n",
    )
    proc = imp(run, store, csv, "xero")
    assert proc.returncode == 2 and "has 6 fields but the header has 5" in proc.stdout


def test_another_currency_is_refused_never_converted(run, cli, tmp_path, store):
    xero = XERO.replace("2500.00,GBP", "2500.00,USD").replace(
        "Audit,1,2500.00,2500.00,EUR", "Audit,1,2500.00,2500.00,USD"
    )
    proc = imp(run, store, write(tmp_path / "x.csv", xero), "xero")
    assert proc.returncode == 2
    assert "line 4: column 'Currency' value 'USD': expected EUR, the agency's currency" in proc.stdout
    qbo = imp(run, store, write(tmp_path / "q.csv", QBO), "quickbooks-online")  # "$" amounts, an EUR agency
    assert qbo.returncode == 2 and "line 6: column 'Amount' value '$5,000.00'" in qbo.stdout


def test_a_csv_import_runs_when_textual_cannot_be_imported(run, cli, tmp_path, store):
    blocked = tmp_path / "no-textual" / "textual"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text('raise ImportError("textual is blocked")\n', encoding="utf-8")
    env = {"PYTHONPATH": str(blocked.parent)}
    control = subprocess.run([sys.executable, "-c", "import textual"], env=dict(os.environ, **env), capture_output=True)
    assert control.returncode != 0 and b"textual is blocked" in control.stderr
    proc = cli.ok(imp(run, store, write(tmp_path / "f.csv", MONEYBIRD), "moneybird", env=env))
    assert "4 new" in proc.stdout
    assert set(invoices(run, cli, store)) == {"2026-0001", "2026-0002", "2026-0003", "2026-0004"}


def test_three_teammates_importing_the_same_export_at_once_make_each_invoice_and_client_once(run, cli, tmp_path, store):
    csv = write(tmp_path / "f.csv", MONEYBIRD)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tui_advisor", "import", str(csv), "--profile", "moneybird", "--data", str(store)],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    assert sum("Imported " in out for out, _ in outs) == 1  # one wrote; the others found nothing to import
    assert set(invoices(run, cli, store)) == {"2026-0001", "2026-0002", "2026-0003", "2026-0004"}
    assert sorted(clients(run, cli, store)) == ["ACME Ltd", "Globex", "Globex; Benelux"]
