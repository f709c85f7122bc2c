"""``typed(value)``: a value with the type of every part in it, so that two readings of the same
data can be compared exactly (3 and 3.0, True and 1, a date and its text are told apart)."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any


def typed(value: Any) -> Any:
    """``value`` with the type of every part in it: 3 and 3.0, True and 1 are told apart."""
    if is_dataclass(value):
        return (type(value), tuple((f.name, typed(getattr(value, f.name))) for f in fields(value)))
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, dict):
        return ("dict", [(k, typed(v)) for k, v in value.items()])
    return (type(value), value)
