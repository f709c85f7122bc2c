"""``dataclass``, minus two compiled methods per class: the core's records start faster.

On Python 3.11 ``dataclasses.dataclass`` writes the source of each method it adds
(``__init__``, ``__repr__``, ``__eq__``, for frozen classes ``__hash__`` too) and
compiles it with ``exec``: about 0.1 ms a method, ~10 ms for the classes imported
before the app's first frame. Here ``__repr__``, ``__eq__`` and ``__hash__`` are the
same three functions for every class, reading the class's fields (as ``dataclasses``
lists them) instead of code written per class; ``__init__`` (and a frozen class's
``__setattr__``) still come from ``dataclasses``. Same behaviour as ``@dataclass``:
equal when of the same class with equal compared fields, a frozen class hashes its
compared fields, a mutable one is unhashable, the repr shows the ``repr=True`` fields.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")


def _key(names: tuple[str, ...]) -> Callable[[Any], Any]:
    if not names:
        return lambda obj: ()
    getter = attrgetter(*names)
    return getter if len(names) > 1 else lambda obj: (getter(obj),)


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = self.__class__.__fc_key__
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__class__.__fc_key__(self))


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    cls = self.__class__
    return f"{cls.__qualname__}({', '.join(f'{name}={getattr(self, name)!r}' for name in cls.__fc_repr__)})"


@overload
def dataclass(cls: type[T], /) -> type[T]: ...


@overload
def dataclass(cls: None = None, /, *, frozen: bool = False, slots: bool = False) -> Callable[[type[T]], type[T]]: ...


# Type checkers see the records as the dataclasses they are (fields, __init__, frozen).
@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def dataclass(
    cls: type[T] | None = None, /, *, frozen: bool = False, slots: bool = False
) -> type[T] | Callable[[type[T]], type[T]]:
    """``@dataclass``, ``@dataclass(frozen=True, slots=True)``: as ``dataclasses.dataclass``."""

    def wrap(cls: type[T]) -> type[T]:
        for name in ("__repr__", "__eq__", "__hash__"):
            if name in cls.__dict__:
                raise TypeError(f"{cls.__qualname__} defines {name}: use dataclasses.dataclass")
        cls = dataclasses.dataclass(cls, repr=False, eq=False, frozen=frozen, slots=slots)
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        cls.__fc_key__ = staticmethod(_key(tuple(f.name for f in fields if f.compare)))  # type: ignore[attr-defined]
        cls.__fc_repr__ = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
        cls.__repr__ = _repr  # type: ignore[method-assign]
        cls.__eq__ = _eq  # type: ignore[method-assign]
        cls.__hash__ = _hash if frozen else None  # type: ignore[assignment,method-assign]
        return cls

    return wrap if cls is None else wrap(cls)
