"""The fast path (model.fastdecode) against the complete one (loads_strict + validate_document).

For every text: the fast path either declines (None) or returns exactly what the complete
path returns -- the same records, the same types of value (3 stays an int, 3.0 a float),
the same settings and notes -- and a text the complete path refuses is never taken by the
fast one. The valid files of the project (the samples, generated S and M agencies) must
take the fast path; hypothesis mutates valid documents (wrong types, bounds, unknown and
missing fields, keys twice, control characters, bad dates, floats for whole numbers, bad
references, texts with ':' and quotes) and writes them out in several JSON layouts.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typed_values import typed

from tui_advisor import model, paths
from tui_advisor.model.fastdecode import decode_document
from tui_advisor.store.files import loads_strict
from tui_advisor.workspace import InputError, load_input

SAMPLES = sorted(paths.sample_file("demo").parent.glob("*.json"))
DEMO_TEXT = paths.sample_file("demo").read_bytes()
DEMO: dict[str, Any] = json.loads(DEMO_TEXT)
MUTATIONS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def complete(raw: bytes) -> tuple[str, Any, list[str]]:
    """What the complete path makes of ``raw``: ('ok', parts, notes) or ('refused', what, [])."""
    notes: list[model.Problem] = []
    try:
        doc = loads_strict(raw.decode("utf-8"))
        parts = model.validate_document(doc, notes=notes)
    except model.ValidationError as exc:
        return "refused", [str(p) for p in exc.problems], []
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, DuplicateKey, a huge integer
        return "refused", type(exc).__name__, []
    return "ok", parts, [str(n) for n in notes]


def check(raw: bytes) -> bool:
    """The fast path agrees with the complete one on ``raw``; whether it took it."""
    notes: list[model.Problem] = []
    fast = decode_document(raw, notes=notes)
    verdict, parts, full_notes = complete(raw)
    if fast is None:
        return False
    assert verdict == "ok", f"the fast path took a text the complete path refuses: {parts}"
    assert typed(fast) == typed(parts)
    assert list(fast) == list(parts)  # the same parts, in the same order
    assert [str(n) for n in notes] == full_notes
    return True


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_takes_the_fast_path(path: Path) -> None:
    assert check(path.read_bytes())


@pytest.mark.parametrize("size", ["S", "M"])
def test_generated_agencies_take_the_fast_path(size: str, synthetic_agency: Any) -> None:
    doc = synthetic_agency(size)
    assert check(json.dumps(doc).encode())  # a compact layout...
    assert check(json.dumps(doc, indent=1, ensure_ascii=False).encode())  # ...and a pretty one


def test_the_won_inquiry_note_is_the_same() -> None:
    doc = copy.deepcopy(DEMO)
    inquiry = next(i for i in doc["inquiries"])
    inquiry["status"], inquiry["decided"] = "won", None
    raw = json.dumps(doc).encode()
    notes: list[model.Problem] = []
    assert decode_document(raw, notes=notes) is not None
    assert notes and [str(n) for n in notes] == complete(raw)[2]


def test_every_forms_rule_notes_the_same_records_in_the_same_order() -> None:
    """The forms' rules (not strict: notes) read over columns by the fast path: each one broken by
    two records of the demo, one with a null and one with a blank text, the notes as the complete
    path words and orders them."""
    doc = copy.deepcopy(DEMO)
    broken = 0
    for name, kind in model.KINDS.items():
        records = doc.get(name) or []
        rules = [r for r in kind.rules if not r.strict and isinstance(r, model.kinds.NeededWhen)]
        for n, rule in enumerate(rules):
            for k, empty in enumerate((None, "  ")):
                record = records[(2 * n + k) * 3 % len(records)]
                record[rule.when] = rule.value
                if empty is None or kind.by_name[rule.field].type in ("text", "name"):
                    record[rule.field] = empty
                    broken += 1
    assert broken >= 4
    raw = json.dumps(doc).encode()
    notes: list[model.Problem] = []
    assert decode_document(raw, notes=notes) is not None
    verdict, _, full_notes = complete(raw)
    assert verdict == "ok" and len(full_notes) >= 4
    assert [str(n) for n in notes] == full_notes


@pytest.mark.parametrize(
    "text, taken",
    [
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A", "name": "B"}}', False),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A: B"}}', True),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A:", "name": "B"}}', False),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name" : "A" , "name":"B"}}', False),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A", "credit_line": 3}}', True),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A", "credit_line": 3.0}}', True),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A\\u0007"}}', False),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A\xc2\x9b"}}', False),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A\xe2\x80\xae"}}', False),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A\x7f"}}', False),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "caf\\u00e9 \\"A\\" \\\\ B"}}', True),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A\\nB"}}', False),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A\\u202eB"}}', False),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A\\u003a", "name": "B:"}}', False),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"n\\u0061me": "A"}}', True),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "  "}}', False),
        (b'{"format": "tui-advisor/agency", "version": 2, "agency": {"name": "A"}}', False),
        (
            b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A"}, "settings": '
            b'{"disable": ["C1"], "params": {"G1": {"x": 1}, "G1": {"x": 2}}}}',
            False,
        ),
        (
            b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A"}, "settings": '
            b'{"disable": ["C1"], "params": {"G:1": {"x": 1}}}}',
            True,
        ),
        (
            b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A"}, '
            b'"cash": [{"date": "1899-12-31", "balance": 1}]}',
            False,
        ),
        (
            b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A"}, '
            b'"cash": [{"date": "2026-02-29", "balance": 1}]}',
            False,
        ),
        (
            b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A"}, '
            b'"cash": [{"date": "2026-01-01", "balance": 1e15}]}',
            False,
        ),
        (
            b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A"}, '
            b'"cash": [{"date": "2026-01-01", "balance": NaN}]}',
            False,
        ),
        (
            b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A"}, "actions": '
            b'[{"id": "a", "title": "T", "steps": [{"title": "s", "due": "2026-01-01", "due": "2026-01-02"}]}]}',
            False,
        ),
        (
            b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A"}, "actions": '
            b'[{"id": "a", "title": "T", "steps": [{"title": "s", "due": "2026-01-01"}]}, {"id": "b", "title": "U"}]}',
            True,
        ),
        (b'{"format": "tui-advisor/agency", "version": 1, "agency": {"name": "A"}, "clients": null}', True),
    ],
)
def test_texts_at_the_edges(text: bytes, taken: bool) -> None:
    assert check(text) is taken


# ------------------------------------------------------------------------- mutations of valid documents

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 7),
    st.integers(),
    st.floats(allow_nan=False),
    st.sampled_from([0, 1, 5, 6, 1.0, 3.0, 2.5, -0.0, -1, 1e15, 999999999999999.9, 10**20]),
    st.sampled_from(
        [
            "",
            " ",
            "x",
            "c-acme",
            "e-acme-retainer",
            "2026-01-01",
            "2026-02-30",
            "1899-12-31",
            "2200-01-01",
            "2026-1-01",
            "20260101",
            "retainer",
            "won",
            "monthly",
            "decision",
            "warning",
            "a: b",
            ":x",
            "x\u202ey",
            "x\x9by",
            "tab\there",
            'quote"d',
            "back\\slash",
            "caf\u00e9",
            "\u2028",
            "x\x7f",
        ]
    ),
    st.text(max_size=6),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.none(), max_size=1),
)
KEYS = st.one_of(
    st.sampled_from(sorted({f.name for k in model.KINDS.values() for f in k.fields} | {"steps", "zzz", "Name"})),
    st.text(max_size=5),
)


def _records(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The objects of a (mutated) document a mutation may change: records, steps, the agency."""
    found = [doc["agency"]] if type(doc.get("agency")) is dict else []
    for name in model.KINDS:
        raw = doc.get(name)
        for rec in raw if type(raw) is list else ():
            if type(rec) is dict:
                found.append(rec)
                steps = rec.get("steps")
                found.extend(s for s in (steps if type(steps) is list else ()) if type(s) is dict)
    return found or [doc]


@st.composite
def mutated(draw: Any) -> bytes:
    doc = copy.deepcopy(DEMO)
    for _ in range(draw(st.integers(0, 3))):
        records = _records(doc)
        rec = records[draw(st.integers(0, len(records) - 1))]
        action = draw(st.sampled_from(["set", "set", "set", "delete", "add", "collection", "top"]))
        if action == "set" and rec:
            rec[draw(st.sampled_from(sorted(rec)))] = draw(VALUES)
        elif action == "delete" and rec:
            del rec[draw(st.sampled_from(sorted(rec)))]
        elif action == "add":
            rec[draw(KEYS)] = draw(VALUES)
        elif action == "collection":
            doc[draw(st.sampled_from(list(model.KINDS)))] = draw(st.one_of(st.none(), VALUES, st.just([])))
        else:
            doc[draw(st.sampled_from(["format", "version", "settings", "agency", "extra"]))] = draw(VALUES)
    layout = draw(
        st.sampled_from(
            [
                {},
                {"indent": 2},
                {"ensure_ascii": False},
                {"separators": (",", ":")},
                {"separators": (" , ", " : "), "ensure_ascii": False},
            ]
        )
    )
    text = json.dumps(doc, **layout)
    if draw(st.booleans()):  # a key twice: a member repeated right after itself
        rng = random.Random(draw(st.integers(0, 2**32)))
        starts = [i for i in range(len(text)) if text.startswith('"', i) and text[i - 1] in "{ ,"]
        if starts:
            i = rng.choice(starts)
            end = text.find(",", i)
            if end > 0 and text[i:end].count('"') >= 2 and "{" not in text[i:end] and "[" not in text[i:end]:
                text = text[:end] + ", " + text[i:end] + text[end:]
    return text.encode()


@MUTATIONS
@given(mutated())
def test_mutations_fall_back_or_agree(raw: bytes) -> None:
    check(raw)


# ------------------------------------------------------------------------- wired: advise --input


def test_load_input_gives_the_same_agency_either_way(tmp_path: Path) -> None:
    for path in SAMPLES:
        assert typed(load_input(path)) == typed(model.build(complete(path.read_bytes())[1]))


def test_load_input_still_words_every_problem(tmp_path: Path) -> None:
    doc = copy.deepcopy(DEMO)
    doc["clients"][0]["enjoy"] = 9
    doc["invoices"][0]["issued"] = "2026-13-01"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    with pytest.raises(InputError) as caught:
        load_input(bad)
    assert caught.value.problems == complete(bad.read_bytes())[1]
    assert len(caught.value.problems) == 2


def test_dates_are_dates() -> None:
    parts = decode_document(DEMO_TEXT)
    assert parts is not None and all(type(i.issued) is date for i in parts["invoices"])


def test_a_valid_file_is_not_parsed_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    """load_input takes the fast path for a valid file: the complete validator is not called."""

    def refuse(doc: Any) -> Any:
        raise AssertionError("the complete path ran for a valid file")

    monkeypatch.setattr(model, "from_document", refuse)
    assert typed(load_input(paths.sample_file("demo"))) == typed(model.build(complete(DEMO_TEXT)[1]))


# ------------------------------------------------------------------------- what the column checks refuse


def _demo_with(change: Any) -> bytes:
    doc = copy.deepcopy(DEMO)
    change(doc)
    return json.dumps(doc).encode()


def _break_paid(doc: dict[str, Any]) -> None:
    doc["invoices"][5]["paid"] = "2000-01-01"  # paid before it was issued


def _break_due(doc: dict[str, Any]) -> None:
    doc["invoices"][-1]["due"] = "2001-02-03"


def _break_end(doc: dict[str, Any]) -> None:
    doc["engagements"][0]["end"] = "2001-01-01"  # ends before it starts


def _twice(doc: dict[str, Any]) -> None:
    doc["invoices"][7]["id"] = doc["invoices"][3]["id"]  # an invoice id twice


def _dangling(doc: dict[str, Any]) -> None:
    doc["invoices"][2]["client"] = "c-nobody"


def _other_client(doc: dict[str, Any]) -> None:
    inv = doc["invoices"][4]
    other = next(c["id"] for c in doc["clients"] if c["id"] != inv["client"])
    inv["client"] = other  # its engagement is another client's


def _dangling_engagement(doc: dict[str, Any]) -> None:
    doc["invoices"][9]["engagement"] = "e-gone"


@pytest.mark.parametrize(
    "change", [_break_paid, _break_due, _break_end, _twice, _dangling, _other_client, _dangling_engagement]
)
def test_a_broken_rule_or_reference_takes_the_complete_path(change: Any, tmp_path: Path) -> None:
    """The fast path's checks over whole columns (a date before its anchor, an id twice, a reference
    to nothing or to another client's record) decline, and load_input words every problem."""
    raw = _demo_with(change)
    assert decode_document(raw) is None
    assert complete(raw)[0] == "refused"
    bad = tmp_path / "bad.json"
    bad.write_bytes(raw)
    with pytest.raises(InputError) as caught:
        load_input(bad)
    assert caught.value.problems == complete(raw)[1]


def test_two_problems_of_different_kinds_are_both_reported(tmp_path: Path) -> None:
    def both(doc: dict[str, Any]) -> None:
        _break_paid(doc)
        _dangling(doc)

    bad = tmp_path / "bad.json"
    bad.write_bytes(_demo_with(both))
    with pytest.raises(InputError) as caught:
        load_input(bad)
    found = caught.value.problems
    assert any(p.startswith("invoices[5].paid: 2000-01-01 is before") for p in found)
    assert "invoices[2].client: no client with id 'c-nobody'" in found


def test_notes_in_some_records_agree() -> None:
    """A file of records mostly without notes (the field left out) and a few with one."""

    def notes(doc: dict[str, Any]) -> None:
        doc["invoices"][0]["note"] = "called: paid by transfer"
        doc["clients"][1]["note"] = "café owner"

    assert check(_demo_with(notes))
    assert check(DEMO_TEXT)  # no note anywhere: every note is the default


def _blank_client(doc: dict[str, Any]) -> None:
    doc["invoices"][2]["client"] = "  "


def _colon_ids(doc: dict[str, Any]) -> None:
    """A client id holding ':' (and every reference to it): the references' colons count too."""
    old = doc["clients"][0]["id"]
    new = "c:" + old
    doc["clients"][0]["id"] = new
    for kind in ("engagements", "invoices"):
        for rec in doc[kind]:
            if rec.get("client") == old:
                rec["client"] = new


def test_a_blank_reference_takes_the_complete_path() -> None:
    raw = _demo_with(_blank_client)
    assert decode_document(raw) is None and complete(raw)[0] == "refused"


def test_ids_with_colons_and_their_references() -> None:
    raw = _demo_with(_colon_ids)
    assert check(raw)
    text = raw.decode()
    i = text.index('"client": "c:')  # a reference holding ':' next to a key given twice
    twice = text[:i] + '"client": "c:x", ' + text[i:]
    assert not check(twice.encode())


def _colon_in_an_activity(doc: dict[str, Any]) -> None:
    doc["journey"][0]["activity"] = "Webinar: planning a relaunch"


def test_a_key_twice_beside_a_colon_in_another_text() -> None:
    """The ':' inside the strings are counted, the shortest columns first, only until they make
    up the text's ':' beyond one per member: a ':' in a journey activity neither sends the file
    to the complete path nor hides a key given twice in an invoice, its value with a ':' or not."""
    raw = _demo_with(_colon_in_an_activity)
    assert check(raw)
    text = raw.decode()
    i = text.index('"amount": ', text.index('"invoices": ['))
    for twice in ('"amount": 1, ', '"id": "inv:2", ', '"client": "c:x", '):
        doubled = (text[:i] + twice + text[i:]).encode()
        assert decode_document(doubled) is None
        assert complete(doubled)[:2] == ("refused", "DuplicateKey")


def _ascii(value: Any) -> Any:
    """``value`` with every text made ASCII ('café' -> 'caf?'): written out, a plain text."""
    if isinstance(value, str):
        return value.encode("ascii", "replace").decode()
    if isinstance(value, list):
        return [_ascii(v) for v in value]
    if isinstance(value, dict):
        return {k: _ascii(v) for k, v in value.items()}
    return value


# how the text is written: plain (ASCII, no escape: the only white space a name can hold is ' '),
# UTF-8 as it is, or with every non-ASCII character and control escaped
LAYOUTS = {
    "plain": lambda doc: json.dumps(_ascii(doc)).encode(),
    "utf-8": lambda doc: json.dumps(doc, ensure_ascii=False).encode(),
    "escaped": lambda doc: json.dumps(doc).encode(),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("blank", ["   ", "\u00a0", "\t \t", "\u3000"])
@pytest.mark.parametrize("kind", ["invoices", "inquiries", "clients"])
def test_a_blank_id_takes_the_complete_path(kind: str, blank: str, layout: str) -> None:
    """A name of white space only (spaces; a no-break or an ideographic space; tabs, escaped) is
    refused by both paths, however the text is written (in a plain text the fast path looks for
    a space in all the names at once); names with white space inside take the fast path."""
    write = LAYOUTS[layout]
    if layout == "plain" and not blank.isascii():
        blank = " "
    doc = copy.deepcopy(DEMO)
    doc[kind][1]["id"] = blank
    raw = write(doc)
    if layout == "plain":
        assert raw.isascii() and b"\\" not in raw or "\t" in blank
    assert decode_document(raw) is None and complete(raw)[0] == "refused"

    doc = copy.deepcopy(DEMO)
    doc["inquiries"][0]["prospect"] = "Nova  Energy"
    old = doc[kind][1]["id"]
    doc[kind][1]["id"] = new = old + " b"  # a space inside an id: valid, if unusual
    for other in ("invoices", "engagements"):  # and the references to a client follow it
        for rec in doc.get(other, []):
            if kind == "clients" and rec.get("client") == old:
                rec["client"] = new
    raw = write(doc)
    assert check(raw)
