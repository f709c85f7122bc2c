"""The one definition per kind of record (tui_advisor.model.kinds) and what reads it.

Problems are structured (kind, index or key, field, message, suggestion) and read as
before; one function makes the suggestions; a domain rule is said once, by the core,
for the validator, the store, the import and the forms; the forms' fields are the
definition's (labels, help, types, choices, required).
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tui_advisor import forms, model, paths
from tui_advisor.store import Store
from tui_advisor.store.store import StoreError


def _demo() -> dict[str, Any]:
    return json.loads(paths.sample_file("demo").read_text(encoding="utf-8"))


def _problems(doc: Any) -> list[model.Problem]:
    with pytest.raises(model.ValidationError) as info:
        model.validate_document(doc)
    return info.value.items


# --------------------------------------------------------------------------- problems


def test_a_problem_names_the_kind_the_record_the_field_and_the_suggestion() -> None:
    doc = _demo()
    doc["engagements"][3]["client"] = doc["clients"][0]["id"] + "x"  # a typo of a client's id
    [problem] = [p for p in _problems(doc) if p.kind == "engagements"]  # (its invoices' problems follow)
    assert (problem.kind, problem.index, problem.field) == ("engagements", 3, "client")
    assert problem.message == f"no client with id {doc['engagements'][3]['client']!r}"
    assert problem.suggestion == doc["clients"][0]["id"]
    assert str(problem) == (
        f"engagements[3].client: no client with id {doc['engagements'][3]['client']!r} "
        f"(did you mean {doc['clients'][0]['id']!r}?)"
    )
    assert problem.path == "engagements[3].client" and problem.text() == str(problem).split(": ", 1)[1]


def test_validation_error_keeps_the_problems_and_their_text() -> None:
    doc = _demo()
    doc["engagements"][0]["kind"] = "retainr"
    doc["clients"][1]["colour"] = "red"
    doc["agency"]["name"] = ""
    with pytest.raises(model.ValidationError) as info:
        model.validate_document(doc)
    exc = info.value
    assert exc.problems == [str(p) for p in exc.items]
    by_path = {p.path: p for p in exc.items}
    assert by_path["agency.name"].message == "must not be empty"
    assert by_path["clients[1]"].field is None and by_path["clients[1]"].message == "unknown field 'colour'"
    kind = by_path["engagements[0].kind"]
    assert kind.suggestion == "retainer" and kind.message == "must be one of 'retainer', 'project', got 'retainr'"
    assert (
        "engagements[0].kind: must be one of 'retainer', 'project', got 'retainr' (did you mean 'retainer'?)"
        in exc.problems
    )
    assert str(exc).splitlines()[0] == f"{len(exc.items)} problem(s):"


def test_a_nested_record_s_problem_names_its_place_in_the_field() -> None:
    doc = _demo()
    doc["actions"][0]["steps"] = [{"title": "ok"}, {"title": ""}]
    [problem] = _problems(doc)
    assert (problem.kind, problem.index, problem.field) == ("actions", 0, "steps[1].title")
    assert str(problem) == "actions[0].steps[1].title: must not be empty"


def test_text_problems_still_read_as_problems() -> None:
    exc = model.ValidationError(["something is wrong"])
    assert exc.problems == ["something is wrong"] and exc.items[0].field is None
    assert model.Problem("inquiries", "decided", "is needed") == "inquiries.decided: is needed"


# --------------------------------------------------------------------------- suggestions


def test_one_function_suggests_and_one_words_it() -> None:
    assert model.suggest("retainr", model.ENGAGEMENT_KINDS) == "retainer"
    assert model.suggest("zzzz", model.ENGAGEMENT_KINDS) is None
    assert set(model.suggestions("CASH00", ["CASH001", "CASH002", "KEY001"], 2)) == {"CASH001", "CASH002"}
    assert model.did_you_mean("x") == " (did you mean 'x'?)"
    assert model.did_you_mean(["a", "b"]) == " (did you mean 'a', 'b'?)"
    assert model.did_you_mean(["KEY001"], quote=False) == " (did you mean KEY001?)"
    assert model.did_you_mean(None) == model.did_you_mean([]) == ""
    assert model.hint("projct", model.ENGAGEMENT_KINDS) == " (did you mean 'project'?)"


# --------------------------------------------------------------------------- the definition


def test_the_records_hold_the_kinds_fields() -> None:
    """(The order of the format's fields is the definition's; a record's, its class's: an invoice's
    engagement comes after the amount in the class, before the issue date in the format.)"""
    for name, kind in model.KINDS.items():
        fields = set(kind.record.__dataclass_fields__)
        assert fields == {f.name for f in kind.fields} | set(kind.nested), name
        assert getattr(model.AgencyData(), name) == []
    assert list(model.Agency.__dataclass_fields__) == [f.name for f in model.PROFILE.fields]
    assert list(model.Step.__dataclass_fields__) == [f.name for f in model.STEP.fields]


def test_keys_and_references_come_from_the_definition() -> None:
    kinds = model.KINDS
    assert kinds["cash"].key == ("date",) and kinds["journey"].key == ("stage", "activity")
    assert kinds["invoices"].references == {"client": "clients", "engagement": "engagements"}
    assert kinds["invoices"].agrees == {"engagement": "client"}
    assert [(k.name, f) for k, f in kinds["clients"].referenced_by] == [
        ("engagements", "client"),
        ("invoices", "client"),
    ]
    cash = model.CashEntry(date(2026, 11, 30), 100)
    assert kinds["cash"].key_of(cash) == "2026-11-30" and kinds["cash"].record_key(cash) == date(2026, 11, 30)
    assert kinds["journey"].json_key({"stage": "decision", "activity": "x"}) == ("decision", "x")
    assert kinds["clients"].new_id({"name": "ACME Ltd."}, {"c-acme-ltd"}) == "c-acme-ltd-2"
    assert kinds["invoices"].new_id({}, {"inv-0001"}) == "inv-0002"


def test_the_forms_fields_are_the_definitions() -> None:
    """Every field a form shows has the label, help, example, choices and requirement of the core's field;
    its input type follows the field's type (a reference is picked from a list)."""
    expected_type = {
        "name": "text",
        "text": "text",
        "date": "date",
        "money": "number",
        "number": "signed",
        "days": "days",
        "score": "score",
        "choice": "choice",
        "bool": "yesno",
    }
    shown = [(model.KINDS[k], kd.fields) for k, kd in forms.KINDS.items()] + [
        (model.PROFILE, forms.PROFILE_FIELDS),
        (model.STEP, forms.STEP_FIELDS),
    ]
    for kind, fields in shown:
        assert fields, kind
        for f in fields:
            core = kind.by_name[f.name]
            assert (f.label, f.help, f.example, f.options) == (core.label, core.help, core.example, core.choices)
            assert f.required == (core.required or core.default not in (None, "", 0, 14, 30)), (kind, f.name)
            if core.references:
                assert f.type == model.KINDS[core.references].label
            elif core.picks == "rules":
                assert f.type == "rule"
            elif core.unit == "%":
                assert f.type == "percent"
            else:
                assert f.type == expected_type[core.type], (kind, f.name)
        # a form shows every field a person enters: all but the id and the nested records (and a new
        # step's done date: a step is ticked off on the steps screen)
        # (an action's review, due date and dropped date are a team review's: made by its decisions)
        # (a step's owner: the steps screen's own field, steps.OWNER_FIELD)
        by_review = (
            {"review", "due", "dropped"} if kind.name == "actions" else {"owner"} if kind.name == "steps" else set()
        )
        assert {f.name for f in fields} == {f.name for f in kind.fields} - {"id", "done"} - by_review, kind
    # dismissals are made from the advice, reviews by the review screens
    assert set(forms.KINDS) == set(model.KINDS) - {"dismissals", "reviews"}


# --------------------------------------------------------------------------- one rule, said once


def _won_without_date(doc: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    i = next(i for i, q in enumerate(doc["inquiries"]) if q["status"] == "won")
    doc["inquiries"][i]["decided"] = None
    return i, doc["inquiries"][i]


def test_a_won_inquiry_s_date_is_one_rule_for_the_form_and_the_import(tmp_path: Path) -> None:
    doc = _demo()
    i, raw = _won_without_date(doc)
    # the core's rule, for one record (what the form asks)
    record = model.validate_document({"format": model.FORMAT, "version": 1, "inquiries": [raw]}, partial=True)
    [asked] = model.record_problems("inquiries", record["inquiries"][0])
    assert (asked.kind, asked.field, asked.key) == ("inquiries", "decided", raw["id"])
    assert asked.message.startswith("is needed for a won inquiry")
    # the import takes the file (other tools may leave the date out) and notes the same rule
    notes: list[model.Problem] = []
    model.validate_document(copy.deepcopy(doc), notes=notes)
    assert [(n.index, n.field, n.message) for n in notes] == [(i, "decided", asked.message)]
    result = Store(tmp_path / "agency.json").import_document(copy.deepcopy(doc))
    assert [str(n) for n in result.notes] == [f"inquiries[{i}].decided: {asked.message}"]
    assert model.from_document(copy.deepcopy(doc)).inquiries[i].decided is None  # the data is as it was


def test_a_retainer_s_fee_is_a_strict_rule_of_the_format() -> None:
    doc = _demo()
    e = next(i for i, x in enumerate(doc["engagements"]) if x["kind"] == "retainer")
    doc["engagements"][e]["monthly_fee"] = None
    [problem] = _problems(doc)
    assert str(problem) == f"engagements[{e}].monthly_fee: is required for a retainer"
    rec = model.Engagement(id="e-x", client="c", kind="retainer", start=date(2026, 1, 1))
    assert [str(p) for p in model.record_problems("engagements", rec)] == [
        "engagements.monthly_fee: is required for a retainer"
    ]


def test_an_invoiced_engagement_cannot_move_to_another_client(tmp_path: Path) -> None:
    store = Store(tmp_path / "agency.json")
    store.import_document(_demo())
    data = store.load()
    billed = next(e for e in data.engagements if any(i.engagement == e.id for i in data.invoices))
    other = next(c.id for c in data.clients if c.id != billed.client)
    n = sum(1 for i in data.invoices if i.engagement == billed.id)
    problems = model.change_problems(
        "engagements",
        billed.id,
        {"client": billed.client},
        {"client": other},
        lambda kind: [model.record_to_json(kind, r) for r in getattr(data, kind)],
    )
    assert [(p.field, p.message) for p in problems] == [
        ("client", f"has {n} invoices of its client: it cannot move to another client (add a new engagement instead)")
    ]
    moved = model.Engagement(**{**{f: getattr(billed, f) for f in billed.__dataclass_fields__}, "client": other})
    with pytest.raises(StoreError, match=f"has {n} invoices of its client: it cannot move"):
        store.put("engagements", moved)
    assert model.referrers(
        "clients", billed.client, lambda kind: [model.record_to_json(kind, r) for r in getattr(data, kind)]
    )
