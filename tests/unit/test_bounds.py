"""The bounds of the data: every value the validator accepts computes, and every value
beyond the bounds is refused by name.

Numbers are strictly between -1e15 and 1e15 (``model.MAX_MAGNITUDE``, which the forms use
too), dates run from 1900-01-01 to 2199-12-31 (``model.MIN_DATE``, ``model.MAX_DATE``); an
end or deadline of 9999-12-31 ("no end") is refused with a hint to leave it empty. The
metrics runner turns arithmetic trouble (an overflow, a division by zero, a date off the
calendar, an infinite or NaN result) into "unknown" with a reason, never an exception.
"""

from __future__ import annotations

import copy
import math
from datetime import date
from typing import Any

import pytest

from tui_advisor import forms, metrics, model, paths, report
from tui_advisor.engine import advise as advise_mod
from tui_advisor.forms import KINDS, FieldError, parse_number
from tui_advisor.store import Store
from tui_advisor.workspace import Workspace, load_input, load_rulebook

AS_OF = date(2026, 11, 26)
BIGGEST_FLOAT = math.nextafter(1e15, 0)  # the largest float below the bound
BIGGEST_INT = 10**15 - 1


def base_doc() -> dict[str, Any]:
    """A small valid document with one record of each kind whose fields the tests change."""
    return {
        "format": model.FORMAT,
        "version": 1,
        "agency": {
            "name": "A",
            "monthly_operating_costs": 1000,
            "weekly_capacity_hours": 40,
            "normal_lead_time_days": 14,
            "credit_line": 0,
        },
        "settings": {"disable": [], "params": {"CASH002": {"ideal_months": 5}}},
        "cash": [{"date": "2026-11-01", "balance": 5000}],
        "clients": [{"id": "c", "name": "C"}],
        "engagements": [
            {
                "id": "e",
                "client": "c",
                "kind": "project",
                "start": "2026-01-01",
                "price": 9000,
                "end": None,
                "deadline": None,
                "hours_per_week": 10,
                "rush_fee_pct": 0,
            }
        ],
        "invoices": [{"id": "i", "client": "c", "issued": "2026-10-01", "amount": 100, "due": "2026-10-31"}],
        "inquiries": [{"id": "q", "received": "2026-11-01", "prospect": "P", "deadline": None}],
        "actions": [{"id": "a", "title": "T", "steps": [{"title": "s", "due": "2026-12-01"}]}],
        "dismissals": [{"rule": "CASH001", "until": None, "distance": 0}],
    }


def set_field(doc: dict[str, Any], where: str, value: Any) -> dict[str, Any]:
    """``set_field(doc, "engagements[0].end", v)``, also ``agency.x``, ``actions[0].steps[0].due``
    and ``settings.params.CASH002.ideal_months``."""
    doc = copy.deepcopy(doc)
    target: Any = doc
    parts = where.replace("]", "").replace("[", ".").split(".")
    for p in parts[:-1]:
        target = target[int(p)] if p.isdigit() else target[p]
    target[parts[-1]] = value
    return doc


def problems_of(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(model.ValidationError) as info:
        model.validate_document(doc)
    return info.value.problems


NUMBER_FIELDS = [  # (path, signed)
    ("agency.monthly_operating_costs", False),
    ("agency.weekly_capacity_hours", False),
    ("agency.credit_line", False),
    ("agency.normal_lead_time_days", False),
    ("cash[0].balance", True),
    ("engagements[0].price", False),
    ("engagements[0].hours_per_week", False),
    ("engagements[0].rush_fee_pct", False),
    ("invoices[0].amount", True),
    ("inquiries[0].estimated_value", False),
    ("dismissals[0].distance", False),
    ("settings.params.CASH002.ideal_months", True),
]
DATE_FIELDS = [
    "cash[0].date",
    "engagements[0].start",
    "engagements[0].end",
    "engagements[0].deadline",
    "invoices[0].issued",
    "invoices[0].due",
    "inquiries[0].received",
    "inquiries[0].deadline",
    "actions[0].steps[0].due",
    "dismissals[0].until",
]
END_FIELDS = {"engagements[0].end", "engagements[0].deadline", "inquiries[0].deadline"}


@pytest.mark.parametrize(("where", "signed"), NUMBER_FIELDS)
@pytest.mark.parametrize("value", [BIGGEST_INT, BIGGEST_FLOAT, 0, 0.0])
def test_numbers_up_to_the_bound_are_accepted(where: str, signed: bool, value: Any) -> None:
    if where.endswith("normal_lead_time_days") and isinstance(value, float) and not value.is_integer():
        value = BIGGEST_INT
    model.validate_document(set_field(base_doc(), where, value))
    if signed:
        model.validate_document(set_field(base_doc(), where, -value))


@pytest.mark.parametrize(("where", "signed"), NUMBER_FIELDS)
@pytest.mark.parametrize("value", [10**15, 1e15, 1e300, 10**400, 2**1023 * 1.999])
def test_numbers_at_or_past_the_bound_are_refused_by_name(where: str, signed: bool, value: Any) -> None:
    (problem,) = problems_of(set_field(base_doc(), where, value))
    assert problem.startswith(f"{where}: is too large: must be between -1e15 and 1e15, got "), problem
    assert len(problem) < 150, problem  # a 400-digit number is said by its size
    if signed:
        (problem,) = problems_of(set_field(base_doc(), where, -value))
        assert problem.startswith(f"{where}: is too large"), problem


def test_a_huge_integer_is_said_by_its_number_of_digits() -> None:
    (problem,) = problems_of(set_field(base_doc(), "cash[0].balance", 10**400))
    assert problem == "cash[0].balance: is too large: must be between -1e15 and 1e15, got a number of 401 digits"
    (problem,) = problems_of(set_field(base_doc(), "invoices[0].amount", -(10**4100)))
    assert problem.endswith("got a number of over 4000 digits")
    (problem,) = problems_of(set_field(base_doc(), "engagements[0].price", -1e16))
    assert problem == "engagements[0].price: must not be negative, got -1e+16"


def test_the_bound_holds_in_the_column_wise_fast_path_of_a_large_collection() -> None:
    doc = base_doc()
    doc["invoices"] = [
        {
            "id": f"i{k}",
            "client": "c",
            "engagement": None,
            "issued": "2026-10-01",
            "amount": 100,
            "due": None,
            "paid": None,
        }
        for k in range(1000)
    ]
    doc["invoices"][500]["amount"] = 10**400
    doc["invoices"][501]["amount"] = -1e300
    doc["invoices"][502]["issued"] = "9999-12-31"
    doc["invoices"][503]["amount"] = BIGGEST_FLOAT
    problems = problems_of(doc)
    assert problems == [
        "invoices[500].amount: is too large: must be between -1e15 and 1e15, got a number of 401 digits",
        "invoices[501].amount: is too large: must be between -1e15 and 1e15, got -1e+300",
        "invoices[502].issued: 9999-12-31 is out of range: use a date from 1900-01-01 to 2199-12-31",
    ]


@pytest.mark.parametrize("day", [model.MIN_DATE, model.MAX_DATE])
def test_the_first_and_last_allowed_dates_are_accepted_in_every_date_field(day: date) -> None:
    doc = base_doc()
    for where in DATE_FIELDS:  # all on one day: every date order holds
        doc = set_field(doc, where, day.isoformat())
    parts = model.validate_document(doc)
    assert parts["engagements"][0].end == parts["actions"][0].steps[0].due == parts["cash"][0].date == day


@pytest.mark.parametrize("where", DATE_FIELDS)
@pytest.mark.parametrize("day", ["9999-12-31", "2200-01-01", "1899-12-31", "0001-01-01"])
def test_dates_out_of_range_are_refused_by_name_with_what_to_do(where: str, day: str) -> None:
    problems = problems_of(set_field(base_doc(), where, day))
    mine = [p for p in problems if p.startswith(f"{where}: ")]
    assert mine == [p for p in problems if "out of range" in p] and len(mine) == 1, problems
    problem = mine[0]
    assert problem.startswith(f"{where}: {day} is out of range: use a date from 1900-01-01 to 2199-12-31"), problem
    if where in END_FIELDS:
        assert problem.endswith("(leave it empty for no end)")
    elif where == "dismissals[0].until":
        assert problem.endswith("(leave it empty to dismiss it for good)")
    else:
        assert problem.endswith("2199-12-31")


def test_a_date_out_of_range_is_not_remembered_as_valid() -> None:
    """The checker caches parsed dates: one refused once is refused again (the fast path reads the cache)."""
    for _ in range(2):
        assert model.check_date("2200-01-01")[1] is not None
        assert model.check_date("2199-12-31") == (date(2199, 12, 31), None)


def test_the_forms_and_the_validator_share_one_bound() -> None:
    assert parse_number("999,999,999,999,999", "Price") == BIGGEST_INT
    assert parse_number("-999 999 999 999 999.9", "Balance") == -999999999999999.9
    for text in ("1,000,000,000,000,000", "-1000000000000000", "9" * 400):
        with pytest.raises(FieldError, match=r"^Price is too large: it must be below 1,000,000,000,000,000$"):
            parse_number(text, "Price")
    # a number the forms give is one the validator takes, and the other way round
    for value in (BIGGEST_INT, -BIGGEST_INT, 10**15, -(10**15), BIGGEST_FLOAT):
        try:
            typed = parse_number(str(value), "x")
        except FieldError:
            typed = None
        accepted, err = model.check_number(value)
        assert (typed is None) == (err is not None), value


def test_a_form_save_with_an_end_of_9999_12_31_is_refused_naming_the_field(tmp_path) -> None:
    """The form reads 9999-12-31 as a date (a real one); the save is refused with the hint, and
    the file holds what it did."""
    store = Store(tmp_path / "agency.json")
    store.import_document(base_doc(), replace=True)
    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    kind = KINDS["engagements"]
    original = ws.records("engagements")[0]
    values = {f.name: getattr(original, f.name) for f in kind.fields}
    values["end"] = next(f for f in kind.fields if f.name == "end").parse("31-12-9999")
    record = forms.build_record(kind, values, original, ws.ids("engagements"))
    before = (tmp_path / "agency.json").read_bytes()
    with pytest.raises(model.ValidationError) as info:
        ws.save("engagements", record, original=original)
    assert any(
        p.endswith(
            ".end: 9999-12-31 is out of range: use a date from 1900-01-01 to 2199-12-31 (leave it empty for no end)"
        )
        and p.startswith("engagements[")
        for p in info.value.problems
    ), info.value.problems
    assert (tmp_path / "agency.json").read_bytes() == before


# --------------------------------------------------------------------------- the metrics runner


def demo() -> model.AgencyData:
    return load_input(paths.sample_file("demo"))


def unknown_reasons(result: metrics.MetricResult, names: list[str]) -> set[str]:
    assert all(result.values[n] is None for n in names), {n: result.values[n] for n in names}
    return {result.unknown[n] for n in names}


BUSY = ["booked_share_30d", "booked_share_31_60d", "booked_days", "booked_load_now"]


def test_a_date_overflow_in_a_metric_makes_it_unknown_with_the_reason() -> None:
    """A horizon of a trillion days: timedelta overflows in booked_days."""
    result = metrics.compute(demo(), AS_OF, {"horizon_days": 1e12})
    (reason,) = unknown_reasons(result, ["booked_days"])
    assert reason.startswith("could not be computed from the data as it is (OverflowError: ")
    assert "[metrics] parameter" in reason
    assert result.values["cash_months"] == pytest.approx(136000 / 34000)  # other modules ran
    assert result.values["booked_share_30d"] is not None  # set before the trouble: it stands


def test_a_division_by_zero_in_a_metric_makes_its_module_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    """No valid document divides by zero today (each divisor is checked first); a module that
    does (a new metric, a changed formula) makes the metrics it had not set unknown, and its
    findings empty, while every other module's metrics stand."""
    from tui_advisor.metrics import sales

    def compute(ctx: Any, out: dict[str, Any]) -> dict[str, Any]:
        out["proposals_last_52w"] = 7
        return {"proposals_by_week": [{"subject": "x", "count": 1 / len(ctx.data.journey)}]}

    monkeypatch.setattr(sales, "compute", compute)
    data = model.from_document(base_doc())  # no journey activities
    result = metrics.compute(data, AS_OF)
    assert result.values["proposals_last_52w"] == 7
    assert result.values["win_rate"] is None
    assert result.unknown["win_rate"].startswith(
        "could not be computed from the data as it is (ZeroDivisionError: division by zero)"
    )
    assert result.findings["proposals_by_week"] == []  # empty, not missing
    assert set(result.findings) == set(metrics.FINDINGS)
    assert result.values["cash_balance"] == 5000 and result.values["journey_activities"] == 0
    advice = advise_mod.evaluate(result, load_rulebook().ruleset)
    assert any("ZeroDivisionError" in " ".join(r.actions) for r in advice.recommendations if r.rule == "DATA000")


def test_an_infinite_result_is_unknown_and_every_output_renders() -> None:
    """Operating costs of 5e-324 (accepted: not negative, not too large) make the months of cash
    and revenue / costs infinite: both unknown, and every rendering of the advice works."""
    doc = set_field(base_doc(), "agency.monthly_operating_costs", 5e-324)
    doc = set_field(doc, "cash[0].balance", BIGGEST_FLOAT)
    data = model.from_document(doc)
    result = metrics.compute(data, AS_OF)
    for name in ("cash_months", "revenue_vs_costs"):
        assert result.values[name] is None, name
        assert result.unknown[name] == metrics.TOO_LARGE
    assert result.values["cash_balance"] == BIGGEST_FLOAT and result.values["revenue_without_largest_vs_costs"] == 0
    for name, value in result.values.items():
        assert value is None or not isinstance(value, float) or math.isfinite(value), name
    advice = load_rulebook().advise(data, AS_OF)
    for render in (report.render_json, report.render_text, report.render_markdown):
        assert render(advice)
    assert "Infinity" not in report.render_json(advice) and "NaN" not in report.render_json(advice)


def test_an_infinite_or_nan_value_in_a_finding_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui_advisor.metrics import revenue

    real = revenue.compute

    def compute(ctx: Any, out: dict[str, Any]) -> dict[str, Any]:
        found = real(ctx, out)
        found["client_shares"] = [dict(item, share=math.nan, revenue=math.inf) for item in found["client_shares"]]
        return found

    monkeypatch.setattr(revenue, "compute", compute)
    result = metrics.compute(model.from_document(base_doc()), AS_OF)
    (share,) = result.findings["client_shares"]
    assert share["share"] is None and share["revenue"] is None and share["client"] == "c"


def test_every_metric_is_known_or_unknown_with_a_reason_on_the_demo() -> None:
    result = metrics.compute(demo(), AS_OF)
    assert set(result.values) == set(metrics.METRICS)
    assert {n for n, v in result.values.items() if v is None} == set(result.unknown)


def test_a_rule_expression_that_overflows_to_infinity_is_unknown() -> None:
    """Float / and * overflow to inf without an exception; docs/rules.md promises 'unknown'."""
    from tui_advisor.engine import expr

    for text in (
        "a / b",
        "a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a * a",
        "-(a / b)",
        "a / b > 1",
    ):
        assert expr.evaluate(expr.parse(text)[0], {"a": 1e15, "b": 5e-324}) is expr.UNKNOWN, text
    assert expr.evaluate(expr.parse("a / 1e15")[0], {"a": 1e15}) == 1.0


def test_the_json_schema_holds_the_same_bounds() -> None:
    """agency.schema.json (for other tools) accepts and refuses the values at and past the bounds
    exactly as the validator does, field by field."""
    import json
    from pathlib import Path

    from jsonschema import Draft202012Validator

    import tui_advisor

    schema = json.loads((Path(tui_advisor.__file__).parent / "schema" / "agency.schema.json").read_text())
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def both(doc: dict[str, Any]) -> tuple[bool, bool]:
        try:
            model.validate_document(doc)
            program = True
        except model.ValidationError:
            program = False
        return program, not list(validator.iter_errors(doc))

    assert both(base_doc()) == (True, True)
    cases = [
        (where, v)
        for where, signed in NUMBER_FIELDS
        for v in (BIGGEST_INT, BIGGEST_FLOAT, 10**15, 1e15, 1e300, 10**400, math.inf)
        + ((-BIGGEST_INT, -BIGGEST_FLOAT, -(10**15), -1e300) if signed else ())
    ]
    cases += [(where, day) for where in DATE_FIELDS for day in ("2200-01-01", "9999-12-31", "1899-12-31", "0001-01-01")]
    for day in ("1900-01-01", "2199-12-31"):  # every date on one day: the order holds
        doc = base_doc()
        for where in DATE_FIELDS:
            doc = set_field(doc, where, day)
        assert both(doc) == (True, True), day
    disagree = []
    for where, value in cases:
        doc = set_field(base_doc(), where, value)
        if where.endswith("normal_lead_time_days") and value == BIGGEST_FLOAT:
            continue  # a whole number of days: the schema says 'integer', 999999999999999.9 is not
        program, schema_ok = both(doc)
        if program != schema_ok:
            disagree.append(f"{where}={value!r}: program {program}, schema {schema_ok}")
    assert not disagree, disagree


def test_a_huge_version_is_said_by_its_size() -> None:
    doc = base_doc()
    doc["version"] = 10**400
    assert problems_of(doc) == [
        "version: a number of 401 digits is newer than this program understands (1); upgrade tui-advisor"
    ]
