"""The JSON Schema of the interchange format, generated from the definition of the kinds.

``python -m tui_advisor.model.schema > tui_advisor/schema/agency.schema.json`` writes the
published schema; a test fails when that file is not what this module generates. The
schema holds what JSON Schema can say (types, required fields, defaults, enums, bounds,
date patterns, no unknown fields, no control characters); the validator checks the rest
(unique keys, references, date order, finite numbers), as the top-level description says.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from ..safetext import CONTROL
from .checks import MAX_DATE, MAX_LIST, MAX_MAGNITUDE, MAX_NAME, MAX_SENTENCE, MIN_DATE
from .kinds import KINDS, PROFILE, Field, Kind, NeededWhen
from .validate import FORMAT, SETTINGS_KEYS, VERSION

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
TOP = int(MAX_MAGNITUDE)
NOT_HERE = " Missing or null: not in this document (a merging import leaves the stored records as they are)."
DESCRIPTION = (
    f"One agency's data for tui-advisor (format {FORMAT!r}, version {VERSION}). See docs/data-format.md. Dates carry "
    "format 'date': enable format assertion (e.g. jsonschema's FormatChecker) to reject impossible dates such as "
    "2026-02-30, as the program does. The program's validator also checks what JSON Schema cannot: unique ids per "
    "collection and unique cash dates, references (engagement and invoice clients, invoice engagements and that "
    "they belong to the same client), finite numbers (no NaN or Infinity), and date order (end >= start, due/paid "
    ">= issued, proposal_sent/decided >= received)."
)


def _year_pattern() -> str:
    """'YYYY-MM-DD' with a year from MIN_DATE's to MAX_DATE's (1900-2199: 19xx, 20xx, 21xx)."""
    assert (MIN_DATE.year, MAX_DATE.year) == (1900, 2199), "update the year pattern with the date bounds"
    return r"^(19\d\d|2[01]\d\d)-\d{2}-\d{2}$"


def _line_pattern() -> str:
    """safetext's control characters as a JSON Schema pattern (\\uXXXX escapes; lone surrogates,
    which JSON text cannot hold as such, are left to the program)."""
    pattern = CONTROL.pattern.replace("\ud800-\udfff", "")
    return "".join(ch if ch.isprintable() and ord(ch) < 0x80 else f"\\u{ord(ch):04x}" for ch in pattern)


def _nullable(t: str, f: Field) -> str | list[str]:
    return [t, "null"] if f.nullable else t


def field_schema(f: Field, *, describe: bool = True) -> dict[str, Any]:
    """The JSON Schema of one field's value."""
    s: dict[str, Any]
    if f.type in ("name", "text"):
        s = {"type": _nullable("string", f), "$ref": "#/$defs/line"}
        if f.type == "name":
            s["pattern"] = r"\S"
        if f.max_length is not None:
            s["maxLength"] = f.max_length
    elif f.type == "date":
        s = {"type": _nullable("string", f), "format": "date", "pattern": _year_pattern()}
    elif f.type == "money":
        s = {"type": _nullable("number", f), "minimum": 0, "exclusiveMaximum": TOP}
    elif f.type == "number":
        s = {"type": _nullable("number", f), "exclusiveMinimum": -TOP, "exclusiveMaximum": TOP}
    elif f.type == "days":
        s = {"type": _nullable("integer", f), "minimum": 0, "exclusiveMaximum": TOP}
        if f.maximum is not None:
            del s["exclusiveMaximum"]
            s["maximum"] = f.maximum
    elif f.type == "score":
        s = {"type": _nullable("integer", f), "minimum": 1, "maximum": 5}
    elif f.type == "choice":
        s = {"type": _nullable("string", f), "enum": list(f.choices) + ([None] if f.nullable else [])}
    elif f.type == "bool":
        s = {"type": _nullable("boolean", f)}
    elif f.type == "rating":
        s = {"type": _nullable("integer", f), "minimum": 1, "maximum": 10}
    elif f.type == "time":
        s = {
            "type": _nullable("string", f),
            "format": "date-time",
            "pattern": r"^(19\d\d|2[01]\d\d)-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|\+00:00)$",
        }
    elif f.type == "names":
        s = {
            "type": "array",
            "maxItems": MAX_LIST,
            "items": {"type": "string", "pattern": r"\S", "maxLength": MAX_NAME, "$ref": "#/$defs/line"},
        }
    elif f.type in ("scores", "values"):
        number = {"type": "number", "exclusiveMinimum": -TOP, "exclusiveMaximum": TOP}
        text = {"type": "string", "maxLength": MAX_SENTENCE, "$ref": "#/$defs/line"}
        kinds = (
            [number, {"type": "null"}] if f.type == "scores" else [number, text, {"type": "boolean"}, {"type": "null"}]
        )
        s = {
            "type": "object",
            "maxProperties": MAX_LIST,
            "propertyNames": {"pattern": r"\S", "maxLength": MAX_NAME, "$ref": "#/$defs/line"},
            "additionalProperties": {"anyOf": kinds},
        }
    else:  # pragma: no cover - every type of kinds.TYPES is above
        raise ValueError(f.type)
    if describe:
        s["description"] = f.doc
        if not f.required:
            s["default"] = f.default
    return s


def record_schema(kind: Kind) -> dict[str, Any]:
    """The JSON Schema of one record of a kind: its fields, the required ones, nothing else."""
    props = {f.name: field_schema(f) for f in kind.fields}
    for name, nested in kind.nested.items():
        props[name] = {
            "type": ["array", "null"],
            "items": {"$ref": f"#/$defs/{nested.singular}"},
            "description": nested.collection_doc,
            "default": [],
        }
    s: dict[str, Any] = {
        "title": kind.record.__name__,
        "description": kind.doc,
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in kind.fields if f.required],
        "properties": props,
    }
    needed = [r for r in kind.rules if isinstance(r, NeededWhen) and r.strict]
    if needed:  # a retainer needs its monthly fee: not null when the kind is 'retainer'
        s["allOf"] = [
            {
                "if": {"properties": {r.when: {"const": r.value}}, "required": [r.when]},
                "then": {"required": [r.field], "properties": {r.field: _not_null(kind.by_name[r.field])}},
            }
            for r in needed
        ]
    return s


def _not_null(f: Field) -> dict[str, Any]:
    s = field_schema(f, describe=False)
    if isinstance(s["type"], list):
        s["type"] = s["type"][0]
    if f.type == "text":  # a text that is needed: not blank (a dismissal's reason)
        s["pattern"] = r"\S"
    return s


def _settings_schema() -> dict[str, Any]:
    assert SETTINGS_KEYS == ("disable", "params")
    return {
        "title": "Settings",
        "type": ["object", "null"],
        "additionalProperties": False,
        "description": "Per-agency rule settings, layered over the config file's. Missing or null: none.",
        "properties": {
            "disable": {
                "type": "array",
                "default": [],
                "items": {
                    "type": "string",
                    "minLength": 1,
                    "description": "A rule id ('DEAL002') or id prefix ('JRN', 'CASH00').",
                    "$ref": "#/$defs/line",
                },
                "description": "Rules not to run for this agency: ids or id prefixes.",
            },
            "params": {
                "type": "object",
                "default": {},
                "description": "Rule parameter overrides: rule id -> {parameter: number}. They win over the "
                "rule file and the config file.",
                "propertyNames": {"$ref": "#/$defs/line"},
                "additionalProperties": {
                    "type": "object",
                    "description": "Parameter name -> value for one rule.",
                    "propertyNames": {"$ref": "#/$defs/line"},
                    "additionalProperties": {
                        "type": "number",
                        "exclusiveMinimum": -TOP,
                        "exclusiveMaximum": TOP,
                        "description": "The parameter's value.",
                    },
                },
            },
        },
    }


def build_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a complete interchange document."""
    props: dict[str, Any] = {
        "format": {
            "const": FORMAT,
            "description": f"Always {FORMAT!r}: marks the file as a tui-advisor interchange document.",
        },
        "version": {
            "type": "integer",
            "const": VERSION,
            "description": f"Version of the format; this program reads version {VERSION}.",
        },
        "agency": {"$ref": f"#/$defs/{PROFILE.singular}", "description": PROFILE.collection_doc},
        "settings": {
            "$ref": "#/$defs/settings",
            "description": "Per-agency rule settings (disabled rules, parameter overrides).",
        },
    }
    defs: dict[str, Any] = {
        "line": {
            "title": "One line of text",
            "description": "Text without control characters: no C0 control (newline and tab included), DEL, C1 "
            "control, bidi control (U+061C, U+200E, U+200F, U+202A-202E, U+2066-2069) or "
            "line/paragraph separator (U+2028, U+2029); the program also refuses lone surrogates. A "
            "terminal would obey them instead of showing them.",
            "not": {"type": "string", "pattern": _line_pattern()},
        },
        PROFILE.singular: record_schema(PROFILE),
        "settings": _settings_schema(),
    }
    for kind in KINDS.values():
        props[kind.name] = {
            "type": ["array", "null"],
            "items": {"$ref": f"#/$defs/{kind.singular}"},
            "description": kind.collection_doc + NOT_HERE,
        }
        defs[kind.singular] = record_schema(kind)
        for nested in kind.nested.values():
            defs[nested.singular] = record_schema(nested)
    return {
        "$schema": SCHEMA_URI,
        "title": "tui-advisor agency interchange document",
        "description": DESCRIPTION,
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "version", "agency"],
        "properties": props,
        "$defs": defs,
    }


def schema_text() -> str:
    """The published file's text: the schema as indented JSON, ending with a newline."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    sys.stdout.write(schema_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
