"""The CSV import core (tui_advisor.importing): profiles as TOML and back, preview, a teammate's
write between the plan and the write, the workspace's write, the audit entry."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_advisor import importing, model
from tui_advisor.store import Store

AS_OF = date(2026, 11, 26)
CSV = (
    "Factuurnummer;Contact;Factuurdatum;Vervaldatum;Totaalbedrag incl. btw;Betaald op\n"
    "A-1;Initech;01-11-2026;15-11-2026;1.000,00;\n"
    "A-2;ACME Ltd;02-11-2026;16-11-2026;2.000,00;10-11-2026\n"
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "agency.json", backups=0)
    s.import_document(
        {
            "format": model.FORMAT,
            "version": model.VERSION,
            "agency": {"name": "Studio", "currency": "EUR"},
            "clients": [{"id": "c-acme", "name": "ACME Ltd"}],
        }
    )
    return s


@pytest.fixture
def export(tmp_path: Path) -> Path:
    p = tmp_path / "facturen.csv"
    p.write_text(CSV, encoding="utf-8")
    return p


@pytest.mark.parametrize("name", sorted(importing.builtin_profiles()))
def test_every_builtin_profile_reads_back_from_its_toml(name, tmp_path):
    profile = importing.builtin_profiles()[name]
    path = tmp_path / f"{name}-copy.toml"
    path.write_text(profile.to_toml(), encoding="utf-8")
    again = importing.load_profile(str(path))
    for attr in ("delimiter", "encoding", "decimal", "date_format", "columns", "alternatives", "paid_status"):
        assert getattr(again, attr) == getattr(profile, attr), attr
    assert (again.skip_status, again.credit_type, again.sum_lines) == (
        profile.skip_status,
        profile.credit_type,
        profile.sum_lines,
    )


def test_a_profile_made_in_code_with_odd_headers_round_trips(tmp_path):
    p = importing.Profile(
        name="mine",
        delimiter="\t",
        decimal=",",
        date_format="%d.%m.%Y",
        columns={"invoice": 'Nr "intern"', "client": "Kunde\\Name", "issued": "Datum", "amount": "Betrag"},
        clients={"ACME GmbH": "c-acme"},
    )
    path = tmp_path / "mine.toml"
    path.write_text(p.to_toml(), encoding="utf-8")
    back = importing.load_profile(str(path))
    assert (back.delimiter, back.columns, back.clients) == ("\t", p.columns, p.clients)


def test_preview_detects_the_delimiter_and_names_the_profile_that_fits(export):
    pv = importing.preview(export)
    assert pv.delimiter == ";" and pv.detected and pv.encoding == "utf-8"
    assert pv.headers[0] == "Factuurnummer" and [line for line, _ in pv.rows] == [2, 3]
    assert pv.looks_like == ["moneybird"]
    pv = importing.preview(export, importing.load_profile("moneybird"), rows=1)
    assert pv.columns["amount"] == 4 and len(pv.rows) == 1 and not pv.missing


def test_a_teammate_adding_the_client_between_plan_and_write_is_respected(store, export, tmp_path):
    snap = store.snapshot()
    plan = importing.plan_import(export, importing.load_profile("moneybird"), snap.data, AS_OF, revision=snap.revision)
    assert [c.name for c in plan.new_clients] == ["Initech"]
    teammate = Store(store.path, backups=0)
    teammate.put("clients", model.Client(id="c-initech-bv", name="INITECH"))  # the same client, their id
    written = importing.apply_plan(store, plan)
    assert written.new_clients == []  # planned again: their client is used, none is made twice
    data = store.load()
    assert {c.id for c in data.clients} == {"c-acme", "c-initech-bv"}
    assert {i.id: i.client for i in data.invoices} == {"A-1": "c-initech-bv", "A-2": "c-acme"}


def test_rejected_rows_write_nothing_unless_skip_bad(store, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV + "A-3;ACME Ltd;03-11-2026;;1.0.0;\n", encoding="utf-8")
    before = store.path.read_bytes()
    plan = importing.plan_import(bad, importing.load_profile("moneybird"), store.load(), AS_OF)
    assert [(r.line, r.column, r.value) for r in plan.rejected] == [(4, "Totaalbedrag incl. btw", "1.0.0")]
    with pytest.raises(importing.RowsRejected):
        importing.apply_plan(store, plan)
    assert store.path.read_bytes() == before
    written = importing.apply_plan(store, plan, skip_bad=True)
    assert len(written.new) == 2 and {i.id for i in store.load().invoices} == {"A-1", "A-2"}


def test_the_workspace_writes_a_plan_the_same_way_and_the_log_says_so(store, export):
    from tui_advisor.workspace import Workspace, load_rulebook

    ws = Workspace(store, load_rulebook(None, []), as_of=AS_OF)
    ws.load()
    plan = importing.plan_import(export, importing.load_profile("moneybird"), ws.data, AS_OF)
    written = ws.plan_import_csv(plan).now()
    assert len(written.new) == 2
    assert {i.id for i in ws.data.invoices} == {"A-1", "A-2"}  # the workspace holds the file as written
    entry = store.last_entry()
    assert entry is not None and entry["action"] == "import csv (moneybird)"
    kinds = sorted({c["kind"] for c in entry["changes"]})
    assert kinds == ["clients", "invoices"]


def test_an_agency_without_a_profile_is_refused(tmp_path, export):
    s = Store(tmp_path / "empty.json", backups=0)
    plan = importing.plan_import(export, importing.load_profile("moneybird"), model.AgencyData(), AS_OF)
    with pytest.raises(importing.CsvFileError, match="no profile yet"):
        importing.apply_plan(s, plan)
    assert not s.path.exists()


def test_a_file_in_another_encoding_names_the_line_and_byte(tmp_path):
    p = tmp_path / "win.csv"
    p.write_bytes(CSV.replace("Initech", "Caf\xe9 Noir").encode("cp1252"))
    with pytest.raises(importing.CsvFileError, match=r"line 2: byte 0xe9 is not utf-8 text"):
        importing.read_rows(p, importing.load_profile("moneybird"))
    mine = tmp_path / "win.toml"
    mine.write_text(importing.load_profile("moneybird").to_toml().replace('"utf-8"', '"cp1252"'), encoding="utf-8")
    parsed = importing.read_rows(p, importing.load_profile(str(mine)))
    assert parsed.rows[0].client == "Café Noir"


def test_names_and_numbers_longer_than_the_model_allows_are_refused_by_line(tmp_path):
    p = tmp_path / "long.csv"
    longest = model.KINDS["clients"].by_name["name"].max_length
    assert longest is not None
    p.write_text(CSV + f"A-3;{'N' * (longest + 1)};03-11-2026;;1,00;\n" + f"{'9' * 500};ACME;03-11-2026;;1,00;\n")
    parsed = importing.read_rows(p, importing.load_profile("moneybird"))
    assert [(r.line, r.column, r.expected) for r in parsed.rejected] == [
        (4, "Contact", f"is {longest + 1} characters; at most {longest}"),
        (5, "Factuurnummer", f"is 500 characters; at most {model.KINDS['invoices'].by_name['id'].max_length}"),
    ]
    assert [r.number for r in parsed.rows] == ["A-1", "A-2"]


def _auto(tmp_path: Path, amounts: list[str]) -> Path:
    rows = "".join(f"A-{n};ACME Ltd;01-11-2026;;{a};\n" for n, a in enumerate(amounts))
    p = tmp_path / "auto.csv"
    p.write_text(CSV.splitlines()[0] + "\n" + rows, encoding="utf-8")
    mine = tmp_path / "auto.toml"
    mine.write_text(importing.load_profile("moneybird").to_toml().replace('decimal = ","', 'decimal = "auto"'))
    return p


@pytest.mark.parametrize(
    ("amounts", "mark", "values"),
    [
        (["1.234", "12,50"], ",", [1234.0, 12.5]),  # 12,50 tells: 1.234 is then 1234
        (["1,234", "12.50"], ".", [1234.0, 12.5]),
        (["€ 97.250,00", "100"], ",", [97250.0, 100.0]),
    ],
)
def test_decimal_auto_is_told_from_the_amounts_where_they_tell_it(tmp_path, amounts, mark, values):
    p = _auto(tmp_path, amounts)
    parsed = importing.read_rows(p, importing.load_profile(str(tmp_path / "auto.toml")))
    assert parsed.decimal == mark and [r.amount for r in parsed.rows] == values and not parsed.rejected
    plan = importing.plan_rows(parsed, model.AgencyData(), AS_OF)
    assert any("told from the file" in n for n in plan.notes)


@pytest.mark.parametrize(
    ("amounts", "why"),
    [(["1.234", "100"], "every amount reads the same in both styles"), (["12,50", "12.50"], "mix the two styles")],
)
def test_decimal_auto_refuses_to_guess(tmp_path, amounts, why):
    p = _auto(tmp_path, amounts)
    with pytest.raises(importing.CsvFileError, match=why):
        importing.read_rows(p, importing.load_profile(str(tmp_path / "auto.toml")))


def test_an_update_keeps_what_the_export_does_not_hold(store, export):
    from dataclasses import replace

    importing.apply_plan(store, importing.plan_import(export, importing.load_profile("moneybird"), store.load(), AS_OF))
    stored = next(i for i in store.load().invoices if i.id == "A-1")
    store.put("invoices", replace(stored, note="promised to pay on Friday"), replace_key="A-1")
    export.write_text(CSV.replace("1.000,00;", "1.000,00;20-11-2026"), encoding="utf-8")
    plan = importing.plan_import(export, importing.load_profile("moneybird"), store.load(), AS_OF)
    assert [(c.invoice.id, c.fields) for c in plan.updated] == [("A-1", ("paid",))]
    importing.apply_plan(store, plan)
    after = next(i for i in store.load().invoices if i.id == "A-1")
    assert after.paid == date(2026, 11, 20) and after.note == "promised to pay on Friday"


@pytest.mark.parametrize(
    ("name", "close"),
    [("Initech B.V.", "Initech"), ("ACME Ltd.", "ACME Ltd"), ("Acne Ltd", "ACME Ltd"), ("Globex Benelux", None)],
)
def test_a_new_name_close_to_a_stored_client_is_pointed_out_never_matched(name, close):
    data = model.AgencyData(
        agency=model.Agency(name="Studio"),
        clients=[model.Client(id="c-acme", name="ACME Ltd"), model.Client(id="c-i", name="Initech")],
    )
    parsed = importing.ParsedFile("x.csv", importing.load_profile("moneybird"), [], [], [], [], True, True)
    parsed.rows.append(importing.Row(2, "A-1", name, date(2026, 11, 1), 10.0, None, None, True, False))
    plan = importing.plan_rows(parsed, data, AS_OF)
    assert [c.name for c in plan.new_clients] == [name]  # a new client all the same: the user decides
    assert plan.close_misses == ([(name, close)] if close else [])


# ------------------------------------------------------------------ property: what an export writes reads back

_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"), blacklist_characters="\u00a0\u202f"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() and " ".join(s.split()) == s)  # a name as the report keeps it (spacing collapsed)
_cents = st.integers(min_value=-(10**11), max_value=10**11)
_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2150, 1, 1))


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(_names, _cents, _dates, st.integers(0, 90)), min_size=1, max_size=20),
    decimal=st.sampled_from([",", "."]),
    delimiter=st.sampled_from([";", ",", "\t"]),
)
def test_any_export_written_in_either_style_reads_back_exactly(tmp_path_factory, rows, decimal, delimiter):
    import csv
    import io

    from tui_advisor.numbers import show_amount

    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(["Nr", "Klant", "Datum", "Vervalt", "Bedrag"])
    for n, (name, cents, issued, days) in enumerate(rows):
        due = "" if days == 0 else (issued + timedelta(days=days)).strftime("%d-%m-%Y")  # 0: no due date
        w.writerow([f"F{n}", name, issued.strftime("%d-%m-%Y"), due, show_amount(cents / 100, decimal)])
    d = tmp_path_factory.mktemp("prop")
    (d / "x.csv").write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    profile = importing.Profile(
        name="p",
        delimiter=delimiter,
        decimal=decimal,
        date_format="%d-%m-%Y",
        columns={"invoice": "Nr", "client": "Klant", "issued": "Datum", "due": "Vervalt", "amount": "Bedrag"},
    )
    parsed = importing.read_rows(d / "x.csv", profile)
    assert not parsed.rejected, [str(r) for r in parsed.rejected]
    assert [(r.client, round(r.amount * 100), r.issued) for r in parsed.rows] == [(n, c, i) for n, c, i, _ in rows]
    assert [r.due for r in parsed.rows] == [i + timedelta(days=k) if k else None for _, _, i, k in rows]
    assert all(r.amount == c / 100 for r, (_, c, _, _) in zip(parsed.rows, rows))  # the float nearest the text


def test_a_builtin_name_always_means_the_builtin_even_with_a_file_of_that_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "moneybird").write_text('[csv]\ndecimal = "."\n[columns]\ninvoice = "x"\n', encoding="utf-8")
    assert importing.load_profile("moneybird").builtin
    with pytest.raises(importing.ProfileError) as refused:
        importing.load_profile("./moneybird")
    assert "[columns] amount is missing: the header of the invoice's total" in " ".join(refused.value.problems)


def test_preview_finds_the_header_below_a_reports_title_lines(tmp_path):
    p = tmp_path / "qbo.csv"
    p.write_text(
        "Invoice List\nNorthwind LLC\nAll Dates\n\nDate,Num,Customer,Due date,Amount,Open balance\n"
        "09/01/2026,1001,ACME Ltd,10/01/2026,100.00,0.00\n",
        encoding="utf-8",
    )
    pv = importing.preview(p)
    assert (pv.delimiter, pv.header_line, pv.headers[1], pv.looks_like) == (",", 5, "Num", ["quickbooks-online"])
    assert [line for line, _ in pv.rows] == [6]
    pv = importing.preview(p, importing.load_profile("quickbooks-online"))
    assert pv.header_line == 5 and pv.columns["invoice"] == 1 and not pv.missing


def test_an_id_prefix_keeps_two_systems_numbering_from_one_apart(store, export, tmp_path):
    old = tmp_path / "old-system.toml"
    old.write_text(
        importing.load_profile("moneybird").to_toml().replace("[columns]", 'id_prefix = "OLD-"\n\n[columns]'),
        encoding="utf-8",
    )
    assert importing.load_profile(str(old)).id_prefix == "OLD-"
    for profile in (importing.load_profile("moneybird"), importing.load_profile(str(old))):
        importing.apply_plan(store, importing.plan_import(export, profile, store.load(), AS_OF))
    assert sorted(i.id for i in store.load().invoices) == ["A-1", "A-2", "OLD-A-1", "OLD-A-2"]
    bad = tmp_path / "bad.toml"
    bad.write_text(old.read_text(encoding="utf-8").replace('"OLD-"', '" OLD "'), encoding="utf-8")
    with pytest.raises(importing.ProfileError) as refused:
        importing.load_profile(str(bad))
    assert any("[csv] id_prefix: at most 20 characters, no spaces around it" in p for p in refused.value.problems)
