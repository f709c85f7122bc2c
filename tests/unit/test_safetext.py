"""safetext: control characters are shown, never obeyed; the validator and the forms refuse
them at entry, naming the field."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_advisor import model
from tui_advisor.forms import KINDS, FieldError
from tui_advisor.safetext import (
    CONTROL,
    SafeStream,
    control_problem,
    describe,
    json_dumps,
    safe_streams,
    visible,
    visible_lines,
)

CONTROLS = [
    "\x00",
    "\x07",
    "\x08",
    "\t",
    "\n",
    "\r",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x80",
    "\x85",
    "\x9b",
    "\x9f",
    "\u061c",
    "\u200e",
    "\u200f",
    "\u2028",
    "\u2029",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\ud800",
]
FINE = ["", "Acme", "Müller & Söhne", "東京", "a\u00a0b", "emoji 👩\u200d💻", "x\u200by", "C:\\Temp", "[b]x[/b]"]


def decode(shown: str) -> str:
    """The reading the module's docstring gives: \\\\ is a backslash, \\xHH and \\uHHHH are
    controls, any other backslash is itself."""
    out, i = [], 0
    while i < len(shown):
        ch = shown[i]
        if ch == "\\" and shown[i + 1 : i + 2] == "\\":
            out.append("\\")
            i += 2
        elif ch == "\\" and shown[i + 1 : i + 2] == "x":
            out.append(chr(int(shown[i + 2 : i + 4], 16)))
            i += 4
        elif ch == "\\" and shown[i + 1 : i + 2] == "u":
            out.append(chr(int(shown[i + 2 : i + 6], 16)))
            i += 6
        else:
            out.append(ch)
            i += 1
    return "".join(out)


# --------------------------------------------------------------------------- showing


@pytest.mark.parametrize("ch", CONTROLS)
def test_every_control_is_shown_as_its_escape(ch: str) -> None:
    shown = visible(f"a{ch}b")
    assert CONTROL.search(shown) is None
    assert shown == "a" + (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}") + "b"


@pytest.mark.parametrize("text", FINE)
def test_text_without_controls_is_shown_unchanged(text: str) -> None:
    assert visible(text) == text


def test_a_typed_escape_cannot_pass_for_a_control() -> None:
    assert visible("\\x1b]0;title") == "\\\\x1b]0;title"  # four characters typed: the backslash doubled
    assert visible("\x1b]0;title") == "\\x1b]0;title"  # the control itself
    assert visible("ends with \\") == "ends with \\\\"  # could run into the next text
    assert visible("\\\x1b") == "\\\\\\x1b"
    assert visible(None) == "None" and visible(12) == "12"


@given(st.text())
def test_what_is_shown_holds_no_control_and_reads_back_as_the_text(text: str) -> None:
    shown = visible(text)
    assert CONTROL.search(shown) is None
    assert decode(shown) == text


def test_a_message_keeps_its_lines_and_its_escapes() -> None:
    message = "line one\n\tline two " + visible("N\x1b]0;x\x07") + " raw \x1b[2J\r"
    assert visible_lines(message) == "line one\n\tline two N\\x1b]0;x\\x07 raw \\x1b[2J\\x0d"
    assert visible_lines(visible_lines(message)) == visible_lines(message)


def test_controls_are_named() -> None:
    assert describe("\x1b") == "U+001B ESC"
    assert describe("\x07") == "U+0007 BEL"
    assert describe("\x9b") == "U+009B CSI"
    assert describe("\x9d") == "U+009D OSC"
    assert describe("\x7f") == "U+007F DEL"
    assert describe("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert describe("\u2066") == "U+2066 LEFT-TO-RIGHT ISOLATE"
    assert describe("\ud800") == "U+D800 LONE SURROGATE"
    assert control_problem("Acme\x1b]0;x") == "holds a control character (U+001B ESC) at position 5"
    assert control_problem("\ud83d") == "holds an invalid character (U+D83D LONE SURROGATE) at position 1"
    assert control_problem("Müller 👩\u200d💻") is None


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=20,
    )
)
def test_json_holds_no_raw_control_and_reads_back_the_same(value: Any) -> None:
    text = json_dumps(value, indent=2)
    assert not [c for c in text if CONTROL.match(c) and c != "\n"]  # the indentation's newlines only
    assert json.loads(text) == value


def test_a_safe_stream_escapes_whatever_is_written() -> None:
    buffer = io.StringIO()
    stream = SafeStream(buffer)
    stream.write("title \x1b]0;x\x07 and \x9b2J\n")
    stream.writelines(["\u202eabc\n"])
    assert buffer.getvalue() == "title \\x1b]0;x\\x07 and \\x9b2J\n\\u202eabc\n"
    assert stream.getvalue() == buffer.getvalue()  # everything else: the stream's own


def test_safe_streams_wraps_and_puts_back(capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    before = sys.stdout
    with safe_streams():
        print("a\x1bb")
        print("c\x07", file=sys.stderr)
    assert sys.stdout is before
    out, err = capsys.readouterr()
    assert out == "a\\x1bb\n" and err == "c\\x07\n"


# --------------------------------------------------------------------------- refused at entry

ESC_AT_5 = "Acme\x1b]0;title\x07"
PROBLEM = "holds a control character (U+001B ESC) at position 5"


def _minimal(coll: str, i: int) -> dict[str, Any]:
    return {
        "cash": {"date": f"2026-01-{i + 1:02d}", "balance": 1},
        "clients": {"id": f"c{i}", "name": "Client"},
        "engagements": {"id": f"e{i}", "client": "c0", "kind": "retainer", "start": "2026-01-01", "monthly_fee": 1},
        "invoices": {"id": f"i{i}", "client": "c0", "issued": "2026-01-01", "amount": 1},
        "inquiries": {"id": f"q{i}", "received": "2026-01-01", "prospect": "Prospect"},
        "journey": {"stage": "discovery", "activity": f"Activity {i}"},
        "actions": {"id": f"a{i}", "title": "Title", "steps": [{"title": "Step"}]},
        "dismissals": {"rule": f"R{i}"},
        "reviews": {"id": f"rv{i}", "started": "2026-01-01T10:00:00Z", "by": "sam", "as_of": "2026-01-01"},
    }[coll]


def _document(full: bool) -> dict[str, Any]:
    """Three records of every collection (with every field when ``full``: the validator's
    column-at-once path), all valid."""
    doc: dict[str, Any] = {"format": model.FORMAT, "version": model.VERSION, "agency": {"name": "Agency"}}
    for coll in model.COLLECTIONS:
        doc[coll] = [_minimal(coll, i) for i in range(3)]
    doc["engagements"][0]["client"] = "c1"
    if full:
        data = model.build(model.validate_document(doc))
        doc = model.to_document(data)
    return doc


TEXT_FIELDS = (
    [(kind, spec.name) for kind in model.COLLECTIONS for spec in model.SPECS[kind] if spec.type in ("text", "name")]
    + [("agency", s.name) for s in model.AGENCY_FIELDS if s.type in ("text", "name")]
    + [("steps", "title")]
)


def test_every_text_field_of_the_format_is_checked() -> None:
    assert ("clients", "name") in TEXT_FIELDS and ("invoices", "engagement") in TEXT_FIELDS
    assert ("engagements", "name") in TEXT_FIELDS
    assert ("invoices", "note") in TEXT_FIELDS and ("clients", "note") in TEXT_FIELDS
    # 24, the note of each of the 7 kinds a person edits, an action's review, and a review's id, by,
    # leader and notes
    assert len(TEXT_FIELDS) == 36


@pytest.mark.parametrize("full", [False, True], ids=["minimal records", "every field"])
@pytest.mark.parametrize(("coll", "name"), TEXT_FIELDS, ids=[f"{c}.{n}" for c, n in TEXT_FIELDS])
def test_every_text_field_refuses_control_characters_naming_the_field(coll: str, name: str, full: bool) -> None:
    doc = _document(full)
    if coll == "agency":
        doc["agency"][name] = ESC_AT_5
        path = f"agency.{name}"
    elif coll == "steps":
        doc["actions"][1]["steps"][0]["title"] = ESC_AT_5
        path = "actions[1].steps[0].title"
    else:
        doc[coll][1][name] = ESC_AT_5
        path = f"{coll}[1].{name}"
    with pytest.raises(model.ValidationError) as caught:
        model.validate_document(doc)
    assert f"{path}: {PROBLEM}" in caught.value.problems


@pytest.mark.parametrize("ch", CONTROLS)
def test_a_name_refuses_each_control(ch: str) -> None:
    doc = _document(False)
    doc["clients"][2]["name"] = f"ab{ch}"
    with pytest.raises(model.ValidationError) as caught:
        model.validate_document(doc)
    assert [
        p
        for p in caught.value.problems
        if p.startswith("clients[2].name: holds ") and f"(U+{ord(ch):04X}" in p and p.endswith("at position 3")
    ]


def test_settings_refuse_control_characters_in_rule_ids_and_parameter_names() -> None:
    doc = _document(False)
    doc["settings"] = {"disable": ["KEY", "CASH\x1b"], "params": {"R\u202e": {"x": 1}, "CASH001": {"p\x9b": 2}}}
    with pytest.raises(model.ValidationError) as caught:
        model.validate_document(doc)
    problems = caught.value.problems
    assert "settings.disable: entry 2 holds a control character (U+001B ESC) at position 5" in problems
    assert (
        "settings.params.R\\u202e: holds a control character (U+202E RIGHT-TO-LEFT OVERRIDE) at position 2" in problems
    )
    assert (
        "settings.params.CASH001: parameter 'p\\x9b' holds a control character (U+009B CSI) at position 2" in problems
    )
    assert all(CONTROL.search(p) is None for p in problems)  # the messages themselves hold none


def test_a_valid_document_still_validates() -> None:
    for full in (False, True):
        model.validate_document(_document(full))
    doc = _document(False)
    doc["clients"][0]["name"] = "Müller\u00a0& Söhne 👩\u200d💻 C:\\Temp"
    model.validate_document(doc)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_text_field_of_every_form_refuses_control_characters(kind: str) -> None:
    fields = [f for f in KINDS[kind].fields if f.type == "text"]
    for f in fields:
        with pytest.raises(FieldError, match=re.escape(f"{f.label} {PROBLEM}")):
            f.parse(ESC_AT_5)
        assert f.parse("  Acme  ") == "Acme"
