"""The JSON Schema of the interchange format agrees with the program's validator.

``tui_advisor/schema/agency.schema.json`` is for other tools (editors, exporters,
CI of teams that generate files). It must not drift from ``tui_advisor.model``:

- every sample agency validates against it;
- its property names, required fields, defaults and enums are those of the
  validator's field tables (``SPECS``, ``AGENCY_FIELDS``, ``STEP_FIELDS``);
- field by field, a set of probe values is accepted or rejected by the schema
  exactly when ``validate_document`` accepts or rejects it;
- invalid documents are rejected by both;
- what JSON Schema cannot express (unique ids, references, date order, finite
  numbers) is rejected by the validator only, as docs/data-format.md says.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import tui_advisor
from tui_advisor import model, paths
from tui_advisor.safetext import CONTROL

SCHEMA_PATH = Path(tui_advisor.__file__).resolve().parent / "schema" / "agency.schema.json"
SAMPLES = sorted(paths.sample_data_dir().glob("*.json"))

# $defs entry of each collection's record
DEF_OF = {
    "cash": "cash",
    "clients": "client",
    "engagements": "engagement",
    "invoices": "invoice",
    "inquiries": "inquiry",
    "journey": "journey",
    "actions": "action",
    "dismissals": "dismissal",
    "reviews": "review",
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    # The program rejects impossible dates (2026-02-30): so does the schema's
    # format "date", when format assertion is on.
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def program_accepts(doc: Any) -> bool:
    try:
        model.validate_document(doc)
    except model.ValidationError:
        return False
    return True


def schema_problems(validator: Draft202012Validator, doc: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(document)'}: {e.message}" for e in validator.iter_errors(doc)]


# --------------------------------------------------------------------------- the schema itself


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_every_property_has_a_description(schema: dict[str, Any]) -> None:
    missing = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if "description" not in sub:
                    missing.append(f"{where}.{name}")
            for key, sub in node.items():
                walk(sub, f"{where}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}[{i}]")

    walk(schema, "schema")
    # the if/then helpers of engagement repeat property names without describing them again
    missing = [m for m in missing if ".allOf" not in m]
    assert not missing


# --------------------------------------------------------------------------- samples


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_validates_against_the_schema(path: Path, validator: Draft202012Validator) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert schema_problems(validator, doc) == []
    assert program_accepts(doc)


def test_there_are_samples() -> None:
    assert len(SAMPLES) >= 5


def test_export_of_a_sample_validates(validator: Draft202012Validator) -> None:
    """The canonical export (every field, defaults filled in) is schema-valid too."""
    doc = json.loads(paths.sample_file("demo").read_text(encoding="utf-8"))
    exported = model.to_document(model.from_document(doc))
    assert schema_problems(validator, exported) == []


# --------------------------------------------------------------------------- no drift: names, required, defaults, enums


def _record_schemas(schema: dict[str, Any]) -> dict[str, tuple[dict[str, Any], tuple[model.FieldSpec, ...]]]:
    defs = schema["$defs"]
    out = {"agency": (defs["agency"], model.AGENCY_FIELDS), "steps": (defs["step"], model.STEP_FIELDS)}
    for name in ("items", "decisions"):  # a review's
        nested = model.KINDS["reviews"].nested[name]
        out[name] = (defs[nested.singular], nested.fields)
    for coll in model.COLLECTIONS:
        out[coll] = (defs[DEF_OF[coll]], model.SPECS[coll])
    return out


def test_top_level_properties_are_the_validators(schema: dict[str, Any]) -> None:
    assert set(schema["properties"]) == set(model.TOP_LEVEL_KEYS)
    assert schema["additionalProperties"] is False
    assert schema["properties"]["format"]["const"] == model.FORMAT
    assert schema["properties"]["version"]["const"] == model.VERSION
    for coll in model.COLLECTIONS:
        assert schema["properties"][coll]["items"] == {"$ref": f"#/$defs/{DEF_OF[coll]}"}


def test_collections_are_the_validators() -> None:
    assert set(model.SPECS) == set(model.COLLECTIONS) == set(DEF_OF)


@pytest.mark.parametrize("part", ["agency", "steps", "items", "decisions", *model.COLLECTIONS])
def test_record_properties_are_the_validators(schema: dict[str, Any], part: str) -> None:
    sub, specs = _record_schemas(schema)[part]
    names = [s.name for s in specs] + (list(model.KINDS[part].nested) if part in model.KINDS else [])
    assert list(sub["properties"]) == names  # same fields, same order as the export
    assert sub["additionalProperties"] is False
    assert sorted(sub["required"]) == sorted(s.name for s in specs if s.required)
    for s in specs:
        prop = sub["properties"][s.name]
        if s.required:
            assert "default" not in prop, s.name
        else:
            assert prop["default"] == s.default, s.name


def test_settings_properties_are_the_validators(schema: dict[str, Any]) -> None:
    settings = schema["$defs"]["settings"]
    assert set(settings["properties"]) == set(model.settings_to_json(model.Settings()))
    assert settings["additionalProperties"] is False


def test_enums_are_the_validators(schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    assert defs["engagement"]["properties"]["kind"]["enum"] == list(model.ENGAGEMENT_KINDS)
    assert defs["engagement"]["properties"]["billing"]["enum"] == list(model.BILLING)
    assert defs["inquiry"]["properties"]["status"]["enum"] == list(model.INQUIRY_STATUSES)
    assert defs["journey"]["properties"]["stage"]["enum"] == list(model.JOURNEY_STAGES)


# --------------------------------------------------------------------------- no drift: values, field by field

# Values every field is probed with (and "missing"); the strings double as ids so references resolve.
PROBES: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    3,
    5,
    6,
    -1,
    2.5,
    -0.5,
    14.0,
    1e12,
    "",
    " ",
    "\t\n",
    "x",
    "2026-01-31",
    "2026-02-30",
    "2026-1-31",
    "2026-01-31\n",
    "31-01-2026",
    [],
    {},
    ["x"],
    {"x": 1},
    *model.ENGAGEMENT_KINDS,
    *model.BILLING,
    *model.INQUIRY_STATUSES,
    *model.JOURNEY_STAGES,
    "Retainer",
    "proposal sent",
    "N\x1b]0;title\x07",
    "a\tb",
    "\x7f",
    "x\x9b",
    "\u202eevil",
    "\u2066x",
    "ok\u200f",  # control characters
]
ID_PROBES = [p for p in PROBES if isinstance(p, str) and p.strip() and not CONTROL.search(p)]
EARLY = "2000-01-01"  # base records start early, so any probe date is in a valid order


def _base_doc(part: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A valid document, and the record in it whose fields are probed."""
    doc: dict[str, Any] = {"format": model.FORMAT, "version": model.VERSION, "agency": {"name": "Probe"}}
    helper_clients = [{"id": s, "name": "Helper"} for s in ID_PROBES]
    if part == "agency":
        return doc, doc["agency"]
    if part == "cash":
        rec = {"date": EARLY, "balance": 1}
    elif part == "clients":
        rec = {"id": "c-probe", "name": "Probe"}
    elif part == "engagements":
        doc["clients"] = helper_clients
        rec = {"id": "e-probe", "client": "x", "kind": "retainer", "start": EARLY, "monthly_fee": 1}
    elif part == "invoices":
        doc["clients"] = helper_clients
        doc["engagements"] = [
            {"id": s, "client": "x", "kind": "retainer", "start": EARLY, "monthly_fee": 1} for s in ID_PROBES
        ]
        rec = {"id": "i-probe", "client": "x", "issued": EARLY, "amount": 1}
    elif part == "inquiries":
        rec = {"id": "q-probe", "received": EARLY, "prospect": "Probe"}
    elif part == "journey":
        rec = {"stage": "discovery", "activity": "Probe"}
    elif part == "actions":
        rec = {"id": "a-probe", "title": "Probe"}
    elif part == "dismissals":
        rec = {"rule": "KEY003"}
    elif part == "steps":
        step = {"title": "Probe"}
        doc["actions"] = [{"id": "a-probe", "title": "Probe", "steps": [step]}]
        return doc, step
    elif part == "reviews":
        rec = {"id": "rv-probe", "started": "2026-12-01T10:00:00Z", "by": "sam", "as_of": EARLY}
    elif part in ("items", "decisions"):
        inner = (
            {"key": "CASH001", "title": "Probe", "severity": "warning"}
            if part == "items"
            else {"item": "CASH001", "kind": "park", "by": "sam", "at": "2026-12-01T10:00:00Z"}
        )
        review = {"id": "rv-probe", "started": "2026-12-01T10:00:00Z", "by": "sam", "as_of": EARLY, part: [inner]}
        doc["reviews"] = [review]
        return doc, inner
    else:  # pragma: no cover
        raise AssertionError(part)
    doc[part] = [rec]
    return doc, rec


FIELD_CASES = [
    (part, spec.name)
    for part, specs in [
        ("agency", model.AGENCY_FIELDS),
        ("steps", model.STEP_FIELDS),
        ("items", model.KINDS["reviews"].nested["items"].fields),
        ("decisions", model.KINDS["reviews"].nested["decisions"].fields),
        *((c, model.SPECS[c]) for c in model.COLLECTIONS),
    ]
    for spec in specs
] + [("actions", "steps"), ("reviews", "items"), ("reviews", "decisions")]


@pytest.mark.parametrize(("part", "name"), FIELD_CASES, ids=[f"{p}.{n}" for p, n in FIELD_CASES])
def test_schema_and_validator_agree_on_every_field(part: str, name: str, validator: Draft202012Validator) -> None:
    base, _ = _base_doc(part)
    assert program_accepts(base) and not schema_problems(validator, base), "the base document must be valid"
    disagree = []
    for value in [*PROBES, "missing"]:
        doc = copy.deepcopy(base)
        _, rec = _find_record(doc, part)
        if value == "missing":
            rec.pop(name, None)
        else:
            rec[name] = value
        by_program = program_accepts(doc)
        by_schema = not schema_problems(validator, doc)
        if by_program != by_schema:
            disagree.append(
                f"{value!r}: program {'accepts' if by_program else 'rejects'}, "
                f"schema {'accepts' if by_schema else 'rejects'}"
            )
    assert not disagree, f"{part}.{name}"


def _find_record(doc: dict[str, Any], part: str) -> tuple[str, dict[str, Any]]:
    if part == "agency":
        return part, doc["agency"]
    if part == "steps":
        return part, doc["actions"][0]["steps"][0]
    if part in ("items", "decisions"):
        return part, doc["reviews"][0][part][0]
    return part, doc[part][0]


@pytest.mark.parametrize("part", ["agency", "steps", "items", "decisions", *model.COLLECTIONS])
def test_unknown_fields_are_rejected_by_both(part: str, validator: Draft202012Validator) -> None:
    doc, _ = _base_doc(part)
    doc = copy.deepcopy(doc)
    _, rec = _find_record(doc, part)
    rec["colour"] = "red"
    assert not program_accepts(doc)
    assert schema_problems(validator, doc)


TOP_LEVEL_CASES: list[tuple[str, Any]] = [
    ("format", "tui-advisor/agency"),
    ("format", "tui-advisor/store"),
    ("format", None),
    ("format", "missing"),
    ("version", 1),
    ("version", 2),
    ("version", 0),
    ("version", "1"),
    ("version", True),
    ("version", "missing"),
    ("agency", "missing"),
    ("agency", None),
    ("agency", []),
    ("agency", {}),
    ("settings", None),
    ("settings", {}),
    ("settings", []),
    ("settings", {"disable": ["JRN", "CASH001"]}),
    ("settings", {"disable": [""]}),
    ("settings", {"disable": "JRN"}),
    ("settings", {"disable": [1]}),
    ("settings", {"disable": None}),
    ("settings", {"params": None}),
    ("settings", {"params": []}),
    ("settings", {"params": {"CASH001": {"min_months": 4, "x": 0.5}}}),
    ("settings", {"params": {"CASH001": {"min_months": "4"}}}),
    ("settings", {"params": {"CASH001": {"min_months": True}}}),
    ("settings", {"params": {"CASH001": 4}}),
    ("settings", {"colour": 1}),
    *((coll, v) for coll in model.COLLECTIONS for v in (None, [], {}, "x", [1])),
    ("agnecy", {}),
]


@pytest.mark.parametrize(("key", "value"), TOP_LEVEL_CASES, ids=[f"{k}={v!r}" for k, v in TOP_LEVEL_CASES])
def test_schema_and_validator_agree_on_the_document(key: str, value: Any, validator: Draft202012Validator) -> None:
    doc: dict[str, Any] = {"format": model.FORMAT, "version": model.VERSION, "agency": {"name": "Probe"}}
    if value == "missing":
        doc.pop(key)
    else:
        doc[key] = value
    assert program_accepts(doc) == (not schema_problems(validator, doc))


# --------------------------------------------------------------------------- invalid documents


def _valid() -> dict[str, Any]:
    return {
        "format": "tui-advisor/agency",
        "version": 1,
        "agency": {"name": "Acme Studio", "monthly_operating_costs": 30000, "weekly_capacity_hours": 120},
        "clients": [{"id": "c-acme", "name": "ACME", "enjoy": 4}],
        "engagements": [
            {
                "id": "e-1",
                "client": "c-acme",
                "kind": "retainer",
                "start": "2026-01-01",
                "monthly_fee": 8000,
                "hours_per_week": 30,
            }
        ],
        "invoices": [
            {
                "id": "2026-001",
                "client": "c-acme",
                "engagement": "e-1",
                "issued": "2026-02-01",
                "amount": 8000,
                "due": "2026-03-01",
                "paid": "2026-02-20",
            }
        ],
        "actions": [{"id": "a-1", "title": "Build the reserve", "steps": [{"title": "Open a savings account"}]}],
    }


def _with(change: Any) -> dict[str, Any]:
    doc = _valid()
    change(doc)
    return doc


INVALID: dict[str, dict[str, Any]] = {
    "not a tui-advisor file": _with(lambda d: d.update(format="something/else")),
    "newer version": _with(lambda d: d.update(version=2)),
    "no agency": _with(lambda d: d.pop("agency")),
    "agency without a name": _with(lambda d: d["agency"].pop("name")),
    "blank agency name": _with(lambda d: d["agency"].update(name="   ")),
    "negative costs": _with(lambda d: d["agency"].update(monthly_operating_costs=-1)),
    "lead time not whole": _with(lambda d: d["agency"].update(normal_lead_time_days=1.5)),
    "score above 5": _with(lambda d: d["clients"][0].update(enjoy=6)),
    "score 0": _with(lambda d: d["clients"][0].update(enjoy=0)),
    "date in the wrong form": _with(lambda d: d["engagements"][0].update(start="01-01-2026")),
    "impossible date": _with(lambda d: d["engagements"][0].update(start="2026-02-30")),
    "unknown kind": _with(lambda d: d["engagements"][0].update(kind="retainr")),
    "retainer without a fee": _with(lambda d: d["engagements"][0].pop("monthly_fee")),
    "retainer with a null fee": _with(lambda d: d["engagements"][0].update(monthly_fee=None)),
    "project without a price": _with(lambda d: d["engagements"][0].update(kind="project")),
    "negative rush fee": _with(lambda d: d["engagements"][0].update(rush_fee_pct=-5)),
    "amount as text": _with(lambda d: d["invoices"][0].update(amount="8000")),
    "money as a boolean": _with(lambda d: d["engagements"][0].update(hours_per_week=True)),
    "unknown field": _with(lambda d: d["invoices"][0].update(colour="red")),
    "unknown status": _with(
        lambda d: d.update(inquiries=[{"id": "q", "received": "2026-01-01", "prospect": "P", "status": "open"}])
    ),
    "budget_ok as a number": _with(
        lambda d: d.update(inquiries=[{"id": "q", "received": "2026-01-01", "prospect": "P", "budget_ok": 1}])
    ),
    "step without a title": _with(lambda d: d["actions"][0]["steps"][0].pop("title")),
    "steps not a list": _with(lambda d: d["actions"][0].update(steps={"title": "x"})),
    "unknown top-level key": _with(lambda d: d.update(client=[])),
    "collection not a list": _with(lambda d: d.update(clients={"c-acme": {"name": "ACME"}})),
    "empty rule id in settings": _with(lambda d: d.update(settings={"disable": [""]})),
    "parameter as text": _with(lambda d: d.update(settings={"params": {"CASH001": {"min_months": "4"}}})),
}


def test_the_valid_document_is_valid(validator: Draft202012Validator) -> None:
    assert program_accepts(_valid())
    assert schema_problems(validator, _valid()) == []


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_document_is_rejected_by_both(case: str, validator: Draft202012Validator) -> None:
    doc = INVALID[case]
    assert schema_problems(validator, doc), f"the schema accepts: {case}"
    with pytest.raises(model.ValidationError):
        model.validate_document(doc)


# Beyond JSON Schema: rejected by the program only (docs/data-format.md, "Validation").
BEYOND_SCHEMA: dict[str, dict[str, Any]] = {
    "duplicate id": _with(lambda d: d["clients"].append({"id": "c-acme", "name": "Other"})),
    "duplicate cash date": _with(
        lambda d: d.update(cash=[{"date": "2026-01-31", "balance": 1}, {"date": "2026-01-31", "balance": 2}])
    ),
    "dangling client reference": _with(lambda d: d["engagements"][0].update(client="acme")),
    "engagement of another client": _with(
        lambda d: (d["clients"].append({"id": "c-b", "name": "B"}), d["invoices"][0].update(client="c-b"))
    ),
    "end before start": _with(lambda d: d["engagements"][0].update(end="2025-12-31")),
    "paid before issued": _with(lambda d: d["invoices"][0].update(paid="2026-01-15")),
    "version as 1.0": _with(lambda d: d.update(version=1.0)),
    # infinity is past exclusiveMaximum (the bound of 1e15); NaN compares false with any bound
    "not a number": _with(lambda d: d["invoices"][0].update(amount=math.nan)),
}


@pytest.mark.parametrize("case", sorted(BEYOND_SCHEMA))
def test_what_json_schema_cannot_express_is_left_to_the_program(case: str, validator: Draft202012Validator) -> None:
    doc = BEYOND_SCHEMA[case]
    assert schema_problems(validator, doc) == []
    assert not program_accepts(doc)


def test_problems_name_the_record_and_field() -> None:
    with pytest.raises(model.ValidationError) as info:
        model.validate_document(_with(lambda d: d["engagements"][0].update(client="acme")))
    assert "engagements[0].client: no client with id 'acme'" in info.value.problems[0]


# --------------------------------------------------------------------------- generated from the kinds


def test_the_published_schema_is_the_one_generated_from_the_kinds() -> None:
    """The published file is what ``python -m tui_advisor.model.schema`` writes: a field, a kind or a bound
    changed in tui_advisor/model/kinds.py without regenerating the file fails here."""
    from tui_advisor.model import schema as generated

    assert SCHEMA_PATH.read_text(encoding="utf-8") == generated.schema_text(), (
        "tui_advisor/schema/agency.schema.json is stale: run "
        "`.venv/bin/python -m tui_advisor.model.schema > tui_advisor/schema/agency.schema.json`"
    )


def test_the_schema_command_writes_the_generated_schema() -> None:
    import subprocess
    import sys

    from tui_advisor.model import schema as generated

    out = subprocess.run(
        [sys.executable, "-m", "tui_advisor.model.schema"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=120,
    ).stdout
    assert out == generated.schema_text()
    assert json.loads(out)["$defs"]["engagement"]["properties"]["kind"]["enum"] == list(model.ENGAGEMENT_KINDS)


def test_a_changed_definition_changes_the_generated_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """The staleness test can fail: a new choice in the definition is in the generated schema, not the file."""
    from tui_advisor.model import schema as generated

    field = model.KINDS["engagements"].by_name["billing"]
    monkeypatch.setattr(field, "choices", (*field.choices, "weekly"))
    assert "weekly" in generated.build_schema()["$defs"]["engagement"]["properties"]["billing"]["enum"]
    assert SCHEMA_PATH.read_text(encoding="utf-8") != generated.schema_text()
