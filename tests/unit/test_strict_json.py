"""Duplicate keys in a JSON file are found, whatever the layout of the text (store/files.loads_strict)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_advisor.store.files import DuplicateKey, loads_strict

keys = st.text(alphabet=st.sampled_from('ab":\\ \t\n{}'), min_size=0, max_size=4)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), keys)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.lists(st.tuples(keys, inner), max_size=4)),
    max_leaves=12,
)


def _text(value, indent) -> str:
    """JSON text of a value in which a list of (key, value) pairs is an object, keys repeated as given."""
    if isinstance(value, list) and value and all(isinstance(p, tuple) for p in value):
        sep = " : " if indent else ":"
        return "{" + ",".join(json.dumps(k) + sep + _text(v, indent) for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + (",\n " if indent else ",").join(_text(v, indent) for v in value) + "]"
    return json.dumps(value)


def _has_duplicates(value) -> bool:
    if isinstance(value, list) and value and all(isinstance(p, tuple) for p in value):
        names = [k for k, _ in value]
        return len(set(names)) != len(names) or any(_has_duplicates(v) for _, v in value)
    if isinstance(value, list):
        return any(_has_duplicates(v) for v in value)
    return False


@settings(max_examples=400, deadline=None)
@given(values, st.booleans())
def test_a_duplicate_key_is_found_exactly_when_there_is_one(value, indent) -> None:
    text = _text(value, indent)
    if _has_duplicates(value):
        with pytest.raises(DuplicateKey):
            loads_strict(text)
    else:
        assert loads_strict(text) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',
        '{"a" :1,"a"\n:2}',
        '[{"x": {"id": "c", "n": 1, "n": 1}}]',
        '{"note": "he said \\"a\\": yes", "a": 1, "a": 1}',
    ],
)
def test_duplicates_in_any_layout(text) -> None:
    with pytest.raises(DuplicateKey):
        loads_strict(text)


def test_the_record_holding_the_duplicate_is_named() -> None:
    with pytest.raises(DuplicateKey) as info:
        loads_strict('{"clients": {"1": {"id": "c-acme", "name": "A", "name": "B"}}}')
    assert (info.value.key, info.value.record) == ("name", "c-acme")


@settings(max_examples=200, deadline=None)
@given(values, st.booleans())
def test_bytes_read_as_the_text_does(value, indent) -> None:
    text = _text(value, indent)
    if _has_duplicates(value):
        with pytest.raises(DuplicateKey):
            loads_strict(text.encode())
    else:
        assert loads_strict(text.encode()) == json.loads(text)


@pytest.mark.parametrize(
    "text", ['{"a:": 1, "a\\u003a": 2}', '{"a\\u003A": 1, "a\\u003a": 2}', '[{"x\\u003a": {"y": 1}, "x:": 2}]']
)
def test_a_colon_written_as_an_escape_does_not_hide_a_duplicate(text) -> None:
    with pytest.raises(DuplicateKey):
        loads_strict(text)


def test_an_escaped_colon_without_a_duplicate_reads() -> None:
    assert loads_strict('{"a\\u003a": "b\\u003Ac", "d": ":"}') == {"a:": "b:c", "d": ":"}


@pytest.mark.parametrize("text", ["[NaN, -Infinity]", "[1e400]", '["\\ud800"]', "[" + "9" * 4000 + "]"])
def test_what_only_pythons_json_reads_still_reads(text) -> None:
    """The fast decoder refuses these; the strict parser reads them as it always did (the
    validator then words what is wrong with the value)."""
    assert repr(loads_strict(text)) == repr(json.loads(text))


@pytest.mark.parametrize("text", ['{"a": 1,}', "[1] [2]", "\ufeff[1]", '["a\x01b"]', "[" + "9" * 5000 + "]"])
def test_what_pythons_json_refuses_is_refused_with_its_error(text) -> None:
    with pytest.raises(ValueError) as expected:
        json.loads(text)
    with pytest.raises(ValueError) as got:
        loads_strict(text)
    assert (type(got.value), str(got.value)) == (type(expected.value), str(expected.value))
