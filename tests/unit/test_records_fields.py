"""The records' new fields and what they mean (issue 12, "Forms a newcomer gets right"): a former
client (``Client.archived``) is out of the shares ahead and kept in the history; names and notes
have a maximum length that the validator, the fast path and the import refuse with the field and
the limit; a note is kept by the store, the import and the export, and an empty one costs the data
file nothing; the agency's payment term.

Every expected value is worked out by hand in the test, never by calling the code under test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tui_advisor import model, paths
from tui_advisor.engine.advise import advise
from tui_advisor.engine.rules import load_rules
from tui_advisor.metrics import compute
from tui_advisor.model.fastdecode import decode_document
from tui_advisor.store import Store

AS_OF = date(2026, 11, 26)
LAST_YEAR = [date(2026, m, 15) for m in range(1, 12)]  # January to November 2026: 11 months


def agency(**kw) -> model.AgencyData:
    data = model.AgencyData(agency=model.Agency(name="T", monthly_operating_costs=20000))
    data.clients = [
        model.Client(id="g", name="Globex", archived=kw.pop("archived", date(2026, 11, 1))),
        model.Client(id="a", name="Acme"),
        model.Client(id="i", name="Initech"),
    ]
    # Globex 6,000 a month, Acme 2,500, Initech 1,500: Globex is 60% of the year's invoices
    data.invoices = [
        model.Invoice(id=f"{c}{n}", client=c, issued=d, amount=amount)
        for n, d in enumerate(LAST_YEAR)
        for c, amount in (("g", 6000), ("a", 2500), ("i", 1500))
    ]
    for name, records in kw.items():
        setattr(data, name, list(records))
    return data


@pytest.fixture(scope="module")
def ruleset():
    rs = load_rules(paths.rules_dir())
    assert not rs.problems
    return rs


# ------------------------------------------------------------------ former clients: the shares ahead


def test_a_former_client_with_60_percent_of_last_years_invoices_is_not_dominant_going_forward():
    v = compute(agency(), AS_OF).values
    # history keeps it: the trailing invoices are what was billed
    assert v["trailing_largest_client"] == "Globex"
    assert v["trailing_top_client_share"] == pytest.approx(0.6)  # 66,000 of 110,000
    assert v["trailing_monthly_revenue"] == pytest.approx(10000)  # 110,000 over 11 months
    # the basis ahead leaves it out: Acme 2,500 and Initech 1,500 a month
    assert v["revenue_basis"] == "invoices"
    assert v["revenue_basis_text"] == "on 11 months of invoices, former clients left out"
    assert v["largest_client"] == "Acme"
    assert v["top_client_share"] == pytest.approx(2500 / 4000)
    assert v["monthly_revenue"] == pytest.approx(4000)
    assert v["client_count"] == 2
    assert v["revenue_without_largest_vs_costs"] == pytest.approx(1500 / 20000)


def test_before_the_day_it_was_archived_it_was_a_client_like_any_other():
    v = compute(agency(archived=date(2026, 12, 15)), AS_OF).values  # archived after the as-of date
    assert v["largest_client"] == "Globex"
    assert v["top_client_share"] == pytest.approx(0.6)
    assert v["revenue_basis_text"] == "on 11 months of invoices"


def test_the_key_client_advice_names_a_current_client_not_the_former_one(ruleset):
    current = advise(agency(archived=None), AS_OF, ruleset)
    key = [r for r in current.recommendations if r.rule == "KEY001"]
    assert key and "Globex" in key[0].title  # the same data, Globex current: it is the dominant client
    former = advise(agency(), AS_OF, ruleset)
    texts = [r.title + r.message for r in former.recommendations if r.pillar == "key_client"]
    assert not any("Globex is" in t for t in texts), texts
    key = [r for r in former.recommendations if r.rule == "KEY001"]
    assert key and key[0].title.startswith("Acme is 62% of revenue"), [r.title for r in former.recommendations]


def test_a_former_clients_running_engagement_is_out_of_the_running_basis_and_its_revenue_is_lost():
    engagements = [
        model.Engagement(id="e-g", client="g", kind="retainer", start=date(2025, 1, 1), monthly_fee=6000),
        model.Engagement(id="e-a", client="a", kind="retainer", start=date(2025, 1, 1), monthly_fee=2500),
        model.Engagement(id="e-i", client="i", kind="retainer", start=date(2025, 1, 1), monthly_fee=1500),
    ]
    r = compute(agency(engagements=engagements), AS_OF)
    v = r.values
    assert v["revenue_basis"] == "engagements"
    assert v["running_monthly_revenue"] == pytest.approx(4000)  # Globex's retainer stopped with it
    assert v["largest_client"] == "Acme" and v["top_client_share"] == pytest.approx(2500 / 4000)
    assert [c["name"] for c in r.findings["client_fit"]] == ["Acme", "Initech"]
    # its revenue is history to replace: its work ended the day it was archived
    departed = r.findings["departed_clients"]
    assert [d["name"] for d in departed] == ["Globex"]
    assert departed[0]["ended"] == "2026-11-01" and departed[0]["days_ago"] == 25
    assert departed[0]["share"] == pytest.approx(0.6)
    assert v["lost_monthly_revenue"] == pytest.approx(6000)


def test_when_every_invoiced_client_is_former_the_shares_ahead_are_unknown_with_what_to_enter():
    data = agency()
    for c in data.clients:
        c.archived = date(2026, 11, 1)
    r = compute(data, AS_OF)
    assert r.values["top_client_share"] is None
    assert "former client" in r.unknown["top_client_share"] and "Engagements" in r.unknown["top_client_share"]
    assert r.values["trailing_top_client_share"] == pytest.approx(0.6)  # the history is still there


def test_advise_on_a_file_leaves_the_former_client_out_of_the_key_client_advice(tmp_path: Path):
    doc = model.to_document(agency())
    path = tmp_path / "agency.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui_advisor",
            "advise",
            "--input",
            str(path),
            "--as-of",
            "2026-11-26",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    recs = json.loads(proc.stdout)["recommendations"]
    key = [r for r in recs if r["rule"] == "KEY001"]
    assert key and key[0]["title"].startswith("Acme is 62% of revenue"), [r["title"] for r in recs]
    assert "former clients left out" in key[0]["message"]


# ------------------------------------------------------------------ maximum lengths


def _doc(**records) -> dict:
    doc = {"format": model.FORMAT, "version": model.VERSION, "agency": {"name": "T"}}
    doc.update({k: v for k, v in records.items()})
    return doc


@pytest.mark.parametrize(
    ("collection", "record", "field", "limit"),
    [
        ("clients", {"id": "c-x", "name": "N" * 121}, "name", 120),
        ("clients", {"id": "c-x", "name": "X", "note": "n" * 2001}, "note", 2000),
        ("clients", {"id": "i" * 121, "name": "X"}, "id", 120),
        ("journey", {"stage": "discovery", "activity": "a" * 301}, "activity", 300),
        ("inquiries", {"id": "q", "received": "2026-01-01", "prospect": "p" * 121}, "prospect", 120),
        ("cash", {"date": "2026-01-01", "balance": 1, "note": "é" * 2001}, "note", 2000),
    ],
)
def test_a_text_over_its_limit_is_refused_naming_the_field_and_the_limit(collection, record, field, limit):
    doc = _doc(**{collection: [record]})
    with pytest.raises(model.ValidationError) as exc:
        model.validate_document(doc)
    text = str(exc.value)
    assert f"{collection}[0].{field}" in text
    assert f"is too long: at most {limit:,} characters, got {limit + 1:,}" in text
    # the fast path of a file never vouches for it: the complete path words the problem
    assert decode_document(json.dumps(doc).encode()) is None


@pytest.mark.parametrize(("field", "limit"), [("name", 120), ("note", 2000)])
def test_a_text_at_its_limit_is_fine_on_both_paths(field, limit):
    record = {"id": "c-x", "name": "X", field: "é" * limit}  # characters, not bytes
    doc = _doc(clients=[record])
    parts = model.validate_document(doc)
    assert getattr(parts["clients"][0], field) == "é" * limit
    fast = decode_document(json.dumps(doc).encode())
    assert fast is not None and getattr(fast["clients"][0], field) == "é" * limit


def test_the_json_schema_says_the_limits():
    schema = json.loads((Path(model.__file__).parent.parent / "schema" / "agency.schema.json").read_text())
    client = schema["$defs"]["client"]["properties"]
    assert client["name"]["maxLength"] == 120 and client["note"]["maxLength"] == 2000


@pytest.mark.parametrize("name", ["demo", "healthy", "firm_a", "firm_b", "cash_strapped", "one_client_70", "empty"])
def test_the_sample_agencies_validate_within_the_limits(name):
    model.validate_document(json.loads(paths.sample_file(name).read_text(encoding="utf-8")))


def test_an_import_of_a_too_long_name_writes_nothing(tmp_path: Path):
    store = Store(tmp_path / "data.json")
    store.import_document(_doc(clients=[{"id": "c-a", "name": "A"}]))
    before = (tmp_path / "data.json").read_bytes()
    with pytest.raises(model.ValidationError, match=r"clients\[0\]\.name: is too long: at most 120"):
        store.import_document(_doc(clients=[{"id": "c-b", "name": "B" * 500}]))
    assert (tmp_path / "data.json").read_bytes() == before


# ------------------------------------------------------------------ notes, archive and payment term in the file


def test_a_note_is_kept_by_the_store_the_export_and_a_reimport(tmp_path: Path):
    store = Store(tmp_path / "data.json")
    store.import_document(_doc(clients=[{"id": "c-a", "name": "A"}, {"id": "c-b", "name": "B"}]))
    store.put("clients", model.Client(id="c-a", name="A", note="pays late in August; ask for Kim"))
    store.put("clients", model.Client(id="c-b", name="B", archived=date(2026, 6, 30)))
    exported = store.export_document()
    by_id = {c["id"]: c for c in exported["clients"]}
    assert by_id["c-a"]["note"] == "pays late in August; ask for Kim"
    assert by_id["c-b"]["archived"] == "2026-06-30"
    other = Store(tmp_path / "other.json")
    other.import_document(exported)
    clients = {c.id: c for c in other.load().clients}
    assert clients["c-a"].note == "pays late in August; ask for Kim" and clients["c-b"].archived == date(2026, 6, 30)
    assert clients["c-b"].note == "" and clients["c-a"].archived is None


def test_a_record_without_a_note_stores_no_note_field(tmp_path: Path):
    store = Store(tmp_path / "data.json")
    store.import_document(_doc(clients=[{"id": "c-a", "name": "A", "note": ""}], invoices=[]))
    store.put("invoices", model.Invoice(id="i1", client="c-a", issued=date(2026, 1, 1), amount=10))
    raw = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    for table in ("clients", "invoices"):
        (doc,) = raw[table].values()
        assert "note" not in doc and "archived" not in doc, doc
    assert store.load().clients[0].note == ""  # read back as empty


def test_the_payment_term_defaults_to_30_days_and_must_be_a_whole_number_of_days():
    assert model.validate_document(_doc())["agency"].payment_term_days == 30
    assert (
        model.validate_document(_doc(agency={"name": "T", "payment_term_days": 14}))["agency"].payment_term_days == 14
    )
    with pytest.raises(model.ValidationError, match="agency.payment_term_days: must be a whole number of days"):
        model.validate_document(_doc(agency={"name": "T", "payment_term_days": 14.5}))


def test_a_note_emptied_and_a_client_brought_back_are_gone_from_the_stored_record(tmp_path: Path):
    store = Store(tmp_path / "data.json")
    store.import_document(_doc(clients=[{"id": "c-a", "name": "A", "note": "call first", "archived": "2026-06-30"}]))
    store.put("clients", model.Client(id="c-a", name="A"))  # the note emptied, archived taken away
    raw = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    (doc,) = raw["clients"].values()
    assert "note" not in doc and "archived" not in doc, doc
    (client,) = Store(tmp_path / "data.json").load().clients
    assert (client.note, client.archived) == ("", None)


def test_an_action_from_a_rule_with_long_texts_fits_the_titles_limit(tmp_path: Path):
    from tui_advisor.engine.advise import Recommendation
    from tui_advisor.workspace import Workspace, load_rulebook

    store = Store(tmp_path / "data.json")
    store.import_document(_doc())
    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    long_step = "Call " + "every client " * 40  # a user's rule file: 525 characters
    rec = Recommendation("MY001", "mine", "cash", "mine", "info", "T" * 400, "m", "r", [long_step, "Short step"])
    action = ws.action_from(rec)
    assert len(action.title) == 300 and action.title.endswith("…")
    assert len(action.steps[0].title) <= 300 and action.steps[0].title.startswith("Call every client")
    assert action.steps[1].title == "Short step"
    assert Store(tmp_path / "data.json").load().actions[0].title == action.title  # stored, not refused


@pytest.mark.parametrize("term", [3651, 999999999999])
def test_a_payment_term_over_ten_years_is_refused_on_both_paths(term):
    doc = _doc(agency={"name": "T", "payment_term_days": term})
    with pytest.raises(model.ValidationError, match="agency.payment_term_days: is too large: at most 3,650 days"):
        model.validate_document(doc)
    assert decode_document(json.dumps(doc).encode()) is None
    ok = _doc(agency={"name": "T", "payment_term_days": 3650})
    assert decode_document(json.dumps(ok).encode())["agency"].payment_term_days == 3650
