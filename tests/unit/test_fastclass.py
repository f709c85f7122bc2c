"""fastclass.dataclass behaves as dataclasses.dataclass: the same class written with each
must compare, hash and print the same."""

from __future__ import annotations

import dataclasses
from dataclasses import field

import pytest

from tui_advisor import fastclass, model


def _pair(frozen: bool = False, slots: bool = False):
    made = []
    for decorate in (
        dataclasses.dataclass(frozen=frozen, slots=slots),
        fastclass.dataclass(frozen=frozen, slots=slots),
    ):

        @decorate
        class Point:
            x: int
            y: int = 0
            note: str = field(default="", compare=False)
            secret: str = field(default="s", repr=False)
            tags: tuple = ()

        made.append(Point)
    return made


@pytest.mark.parametrize("frozen", [False, True])
@pytest.mark.parametrize("slots", [False, True])
def test_same_equality_hash_and_repr_as_dataclasses(frozen, slots):
    reference, fast = _pair(frozen, slots)
    cases = [
        ((1,), (1,)),
        ((1, 2), (1, 3)),
        ((1, 2, "a"), (1, 2, "b")),
        ((1, 2, "", "p"), (1, 2, "", "q")),
        ((1, 2, "", "s", (1,)), (1, 2, "", "s", (1,))),
        ((1, 2, "", "s", (1,)), (1, 2, "", "s", (2,))),
    ]
    for a, b in cases:
        assert (reference(*a) == reference(*b)) == (fast(*a) == fast(*b)), (a, b)
        assert (reference(*a) != reference(*b)) == (fast(*a) != fast(*b)), (a, b)
        assert repr(fast(*a)) == repr(reference(*a)).replace(reference.__qualname__, fast.__qualname__)
    if frozen:
        assert hash(fast(1, 2, "x")) == hash(fast(1, 2, "y")) == hash(reference(1, 2, "z"))
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast(1).x = 2  # type: ignore[misc]
    else:
        with pytest.raises(TypeError, match="unhashable"):
            hash(fast(1))
    assert fast(1) != reference(1)  # another class: never equal
    assert fast(1).__eq__(object()) is NotImplemented
    assert dataclasses.is_dataclass(fast) and [f.name for f in dataclasses.fields(fast)] == [
        f.name for f in dataclasses.fields(reference)
    ]
    assert dataclasses.replace(fast(1, 2), y=5) == fast(1, 5)


def test_a_class_without_compared_fields_and_one_with_a_single_field():
    @fastclass.dataclass(frozen=True)
    class Nothing:
        pass

    @fastclass.dataclass(frozen=True)
    class One:
        v: int

    assert Nothing() == Nothing() and hash(Nothing()) == hash(())
    assert (
        One(1) == One(1) != One(2)
        and hash(One(1)) == hash((1,))
        and repr(One(1)) == "test_a_class_without_compared_fields_and_one_with_a_single_field.<locals>.One(v=1)"
    )


def test_a_class_that_writes_its_own_eq_is_refused():
    with pytest.raises(TypeError, match="defines __eq__"):

        @fastclass.dataclass
        class Own:
            x: int

            def __eq__(self, other):  # pragma: no cover - never called
                return True


def test_the_models_records_compare_by_value():
    a = model.Client(id="c1", name="ACME")
    b = model.Client(id="c1", name="ACME")
    assert a == b and a is not b and a != dataclasses.replace(a, name="Other")
    assert repr(a).startswith("Client(id='c1', name='ACME'")
    with pytest.raises(TypeError):
        hash(a)  # mutable records are not hashable, as with dataclasses
