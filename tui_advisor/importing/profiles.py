"""Import profiles: how one accounting system writes its invoice export (a TOML file).

A profile says how to read the CSV (delimiter, encoding, decimal mark, date format) and
which column holds which field of an invoice. The built-in ones are data files next to
this module (``profiles/*.toml``); a user's own is a file of the same shape (README.md,
"Importing from your accounting system", and docs/data-format.md describe every key).
"""

from __future__ import annotations

import codecs
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import model
from ..readfile import FileRefused, read_text
from ..safetext import control_problem, visible

# The fields an export's columns fill, in the order a report names them.
FIELDS = (
    "invoice",
    "client",
    "issued",
    "due",
    "amount",
    "net",
    "tax",
    "paid",
    "open",
    "status",
    "type",
    "terms",
    "currency",
)
REQUIRED = ("invoice", "client", "issued", "amount")
FIELD_HELP = {
    "invoice": "the invoice number in the source system (it becomes the invoice's id)",
    "client": "the client's name",
    "issued": "the issue date",
    "due": "the due date (optional: without it, the agency's payment term gives one)",
    "amount": "the invoice's total (negative: a credit note)",
    "net": "the amount before tax (VAT, sales tax) (optional: when the file has it, it is the invoice's amount)",
    "tax": "the tax (VAT, sales tax) in the total (optional: without a net column, the amount is the total minus it)",
    "paid": "the date it was paid (optional: empty means open)",
    "open": "the amount still to be paid (optional: 0 means paid, for exports without a paid date)",
    "status": "the invoice's status (optional: see paid_status and skip_status)",
    "type": "the kind of document (optional: see credit_type)",
    "terms": "the payment term in days (optional: the due date when the export has none)",
    "currency": "the invoice's currency code (optional: a row in another currency than the agency's is refused)",
}
DELIMITERS = {";": ";", ",": ",", "tab": "\t", "\t": "\t", "|": "|"}
DECIMALS = (",", ".")
CSV_KEYS = (
    "delimiter",
    "encoding",
    "decimal",
    "date_format",
    "description",
    "paid_status",
    "skip_status",
    "credit_type",
    "sum_lines",
    "id_prefix",
)
SECTIONS = ("csv", "columns", "clients")
MAX_PROFILE_BYTES = 64 * 1024
PROFILE_DIR = Path(__file__).with_name("profiles")


class ProfileError(Exception):
    """A profile that cannot be used; the message names the file, and the line or key."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message)


@dataclass
class Profile:
    """How to read one system's invoice export.

    ``columns``: field -> the header of its column in the file (``FIELDS``; ``REQUIRED`` must
    be there); ``alternatives``: field -> further headers accepted for it (a system that
    wrote ``*InvoiceNumber`` in one version and ``InvoiceNumber`` in another); ``paid_status``
    and ``skip_status``: values of the status column meaning paid, and rows to leave out
    (drafts, voided invoices); ``clients``: a name in the export -> the client (name or id)
    it is; ``source``: the file it was read from (None: made in code)."""

    name: str
    delimiter: str = ","
    encoding: str = "utf-8"
    decimal: str = "."
    date_format: str = "%Y-%m-%d"
    columns: dict[str, str] = field(default_factory=dict)
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    description: str = ""
    paid_status: tuple[str, ...] = ()
    skip_status: tuple[str, ...] = ()
    credit_type: tuple[str, ...] = ()
    sum_lines: bool = False
    id_prefix: str = ""  # put before each invoice number to make its id (two systems that both count from 1)
    clients: dict[str, str] = field(default_factory=dict)
    source: str | None = None
    builtin: bool = False

    def headers_for(self, name: str) -> tuple[str, ...]:
        """Every header accepted for field ``name`` (empty: the profile does not map it)."""
        main = self.columns.get(name)
        if main is None:
            return ()
        return (main, *self.alternatives.get(name, ()))

    def to_toml(self) -> str:
        """The profile as a TOML file of the documented shape (``load_profile`` reads it back)."""
        lines = []
        if self.description:
            lines += [f"# {line}" for line in self.description.splitlines()]
        lines.append("[csv]")
        delim = "tab" if self.delimiter == "\t" else self.delimiter
        lines.append(f"delimiter = {_toml_str(delim)}")
        lines.append(f"encoding = {_toml_str(self.encoding)}")
        lines.append(f"decimal = {_toml_str(self.decimal)}")
        lines.append(f"date_format = {_toml_str(self.date_format)}")
        if self.description:
            lines.append(f"description = {_toml_str(self.description)}")
        if self.sum_lines:
            lines.append("sum_lines = true")
        if self.id_prefix:
            lines.append(f"id_prefix = {_toml_str(self.id_prefix)}")
        for key in ("paid_status", "skip_status", "credit_type"):
            values = getattr(self, key)
            if values:
                lines.append(f"{key} = [{', '.join(_toml_str(v) for v in values)}]")
        lines.append("")
        lines.append("[columns]")
        for name in FIELDS:
            headers = self.headers_for(name)
            if not headers:
                continue
            if len(headers) == 1:
                lines.append(f"{name} = {_toml_str(headers[0])}")
            else:
                lines.append(f"{name} = [{', '.join(_toml_str(h) for h in headers)}]")
        if self.clients:
            lines.append("")
            lines.append("[clients]")
            for alias, target in self.clients.items():
                lines.append(f"{_toml_str(alias)} = {_toml_str(target)}")
        return "\n".join(lines) + "\n"


def _toml_str(text: str) -> str:
    """A TOML basic string (every control character escaped)."""
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# ------------------------------------------------------------------ reading a profile


def builtin_profiles() -> dict[str, Profile]:
    """The profiles that come with the program, by name (``moneybird``, ``xero`` ...)."""
    found: dict[str, Profile] = {}
    for path in sorted(PROFILE_DIR.glob("*.toml")):
        profile = parse_profile(path.read_text(encoding="utf-8"), path.stem, label=f"built-in profile {path.stem}")
        profile.builtin = True
        found[path.stem] = profile
    return found


def load_profile(name_or_path: str | Path) -> Profile:
    """A built-in profile by name, or a user's profile file by path; ProfileError names the file
    and the line (or key) of what is wrong."""
    text = str(name_or_path)
    builtins = builtin_profiles()
    if text in builtins:  # a built-in's name always means it (a file planted as ./moneybird is ./moneybird)
        return builtins[text]
    looks_like_path = "/" in text or text.endswith(".toml") or Path(text).exists()
    if not looks_like_path:
        raise ProfileError(
            f"no profile named {visible(text)!s}{model.did_you_mean(model.suggest(text, builtins))}; "
            f"built-in profiles: {', '.join(builtins)} (or give the path of a profile file)"
        )
    path = Path(text).expanduser()
    label = visible(str(path))
    try:
        content = read_text(path, MAX_PROFILE_BYTES)
    except FileNotFoundError:
        raise ProfileError(f"{label}: no such profile file") from None
    except FileRefused as exc:
        where = f" line {exc.line}" if exc.line else ""
        raise ProfileError(f"{label}{where}: {exc}") from None
    return parse_profile(content, path.stem, label=label, source=str(path))


def _line_of(text: str, section: str | None, key: str) -> int | None:
    """The line (from 1) where ``key`` is set in ``[section]`` (None: not found)."""
    current: str | None = None
    pattern = re.compile(r"\s*(?:\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+))\s*=")
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        head = re.match(r"\[\s*([A-Za-z0-9_-]+)\s*\]", stripped)
        if head:
            current = head[1]
            continue
        m = pattern.match(line)
        if m and current == section and next(g for g in m.groups() if g is not None) == key:
            return n
    return None


def _section_line(text: str, section: str) -> int | None:
    for n, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*\[\s*{re.escape(section)}\s*\]", line):
            return n
    return None


def parse_profile(text: str, name: str, *, label: str, source: str | None = None) -> Profile:
    """A profile from the text of its TOML file (``label``: the file, as messages name it)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{label}: not a valid TOML file: {visible(str(exc))}") from None

    problems: list[str] = []

    def where(section: str | None, key: str | None = None) -> str:
        line = _line_of(text, section, key) if key is not None else _section_line(text, section or "")
        what = f"[{section}] {key}" if key is not None else f"[{section}]"
        return f"line {line}: {what}" if line else what

    for key in raw:
        if key not in SECTIONS:
            if isinstance(raw[key], dict):
                problems.append(
                    f"{where(key)}: unknown section{model.hint(key, SECTIONS)}; sections: [csv], [columns], [clients]"
                )
            else:
                problems.append(
                    f"line {_line_of(text, None, key) or '?'}: {visible(key)}: a key outside any section; put it under [csv] or [columns]"
                )
    csv_part = raw.get("csv", {})
    columns_part = raw.get("columns")
    if not isinstance(csv_part, dict):
        problems.append("csv: must be a section [csv]")
        csv_part = {}
    if not isinstance(columns_part, dict):
        problems.append("[columns] is missing: it maps each field (invoice, client, issued, amount ...) to its header")
        columns_part = {}

    profile = Profile(name=name, source=source)
    for key, value in csv_part.items():
        if key not in CSV_KEYS:
            problems.append(f"{where('csv', key)}: unknown key{model.hint(key, CSV_KEYS)}; keys: {', '.join(CSV_KEYS)}")
            continue
        if key == "sum_lines":
            if not isinstance(value, bool):
                problems.append(f"{where('csv', key)}: must be true or false (without quotes)")
            else:
                profile.sum_lines = value
            continue
        if key in ("paid_status", "skip_status", "credit_type"):
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                problems.append(f"{where('csv', key)}: must be a text or a list of texts")
                continue
            setattr(profile, key, tuple(v.strip() for v in values))
            continue
        if not isinstance(value, str):
            problems.append(f"{where('csv', key)}: must be a text in quotes, got {visible(repr(value))}")
            continue
        bad = control_problem(value) if key != "delimiter" else None
        if bad:
            problems.append(f"{where('csv', key)}: {bad}")
            continue
        if key == "delimiter":
            if value not in DELIMITERS:
                problems.append(
                    f'{where("csv", key)}: {visible(repr(value))} is not a delimiter; use ";", ",", "tab" (or "\\t") or "|"'
                )
            else:
                profile.delimiter = DELIMITERS[value]
        elif key == "encoding":
            try:
                codecs.lookup(value)
            except LookupError:
                problems.append(
                    f'{where("csv", key)}: {visible(repr(value))} is not an encoding this program knows (e.g. "utf-8", "cp1252", "latin-1")'
                )
            else:
                profile.encoding = value
        elif key == "decimal":
            if value not in DECIMALS and value != "auto":
                problems.append(
                    f'{where("csv", key)}: {visible(repr(value))} is not a decimal mark; use "," or "." (or "auto")'
                )
            else:
                profile.decimal = value
        elif key == "date_format":
            problem = date_format_problem(value)
            if problem:
                problems.append(f"{where('csv', key)}: {problem}")
            else:
                profile.date_format = value
        elif key == "description":
            profile.description = value
        elif key == "id_prefix":
            if len(value) > 20 or value != value.strip():
                problems.append(f"{where('csv', key)}: at most 20 characters, no spaces around it")
            else:
                profile.id_prefix = value

    for key, value in columns_part.items():
        if key not in FIELDS:
            problems.append(
                f"{where('columns', key)}: unknown field{model.hint(key, FIELDS)}; fields: {', '.join(FIELDS)}"
            )
            continue
        headers = [value] if isinstance(value, str) else value
        if not isinstance(headers, list) or not headers or not all(isinstance(h, str) for h in headers):
            problems.append(f"{where('columns', key)}: must be the column's header in quotes (or a list of them)")
            continue
        clean = [h.strip() for h in headers]
        if any(not h for h in clean):
            problems.append(f"{where('columns', key)}: a header may not be empty")
            continue
        bad = next((p for p in map(control_problem, clean) if p), None)
        if bad:
            problems.append(f"{where('columns', key)}: {bad}")
            continue
        profile.columns[key] = clean[0]
        if len(clean) > 1:
            profile.alternatives[key] = tuple(clean[1:])
    if isinstance(raw.get("columns"), dict):
        for need in REQUIRED:
            if need not in profile.columns:
                problems.append(f"[columns] {need} is missing: the header of {FIELD_HELP[need]}")

    clients_part = raw.get("clients", {})
    if not isinstance(clients_part, dict):
        problems.append('clients: must be a section [clients] of "name in the export" = "client name or id"')
        clients_part = {}
    for alias, target in clients_part.items():
        if not isinstance(target, str) or not target.strip():
            problems.append(f"{where('clients', alias)}: must be a client's name or id in quotes")
            continue
        bad = control_problem(alias) or control_problem(target)
        if bad:
            problems.append(f"{where('clients', alias)}: {bad}")
            continue
        profile.clients[alias] = target.strip()

    if problems:
        raise ProfileError(f"{label}: {len(problems)} problem(s); the profile cannot be used", problems)
    return profile


_SAMPLE_DATE = date(2026, 12, 31)


def date_format_problem(fmt: str) -> str | None:
    """Why ``fmt`` is not a usable date format (None: it is): it must name a day, a month and a year."""
    if not fmt.strip():
        return "may not be empty"
    try:
        shown = _SAMPLE_DATE.strftime(fmt)
        back = datetime.strptime(shown, fmt).date()
    except (ValueError, TypeError) as exc:
        return f'{visible(repr(fmt))} is not a date format ({exc}); e.g. "%d-%m-%Y" for 31-12-2026'
    if back != _SAMPLE_DATE:
        return f'{visible(repr(fmt))} does not name the day, the month and the year; e.g. "%d-%m-%Y" for 31-12-2026'
    return None


def describe_profile(profile: Profile) -> str:
    """One line about a profile: its delimiter, decimal mark, date format and headers."""
    delim = "tab" if profile.delimiter == "\t" else profile.delimiter
    cols = ", ".join(f"{f}={profile.columns[f]!r}" for f in FIELDS if f in profile.columns)
    return (
        f"delimiter {delim!r}, decimal {profile.decimal!r}, dates {profile.date_format} "
        f"(e.g. {_SAMPLE_DATE.strftime(profile.date_format)}), {profile.encoding}; columns: {cols}"
    )


def profile_from_dict(name: str, raw: dict[str, Any]) -> Profile:
    """A profile from the dict a TOML file would give (for code that builds one, e.g. the app)."""
    return parse_profile(_dict_to_toml(raw), name, label=f"profile {name}")


def _dict_to_toml(raw: dict[str, Any]) -> str:
    lines: list[str] = []
    for section, values in raw.items():
        lines.append(f"[{section}]")
        for k, v in values.items():
            if isinstance(v, list):
                lines.append(f"{_toml_str(k)} = [{', '.join(_toml_str(str(x)) for x in v)}]")
            else:
                lines.append(f"{_toml_str(k)} = {_toml_str(str(v))}")
    return "\n".join(lines) + "\n"
