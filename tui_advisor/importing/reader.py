"""Reading an export file: its bytes (never through anything but a regular file), its text in
the profile's encoding (a BOM skipped), its rows by the csv module (quoted fields, delimiters
and line breaks inside quotes, CRLF), each with the line it starts on."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import model
from ..readfile import FileRefused, read_bytes
from ..safetext import visible
from .profiles import FIELD_HELP, FIELDS, REQUIRED, Profile

HEADER_SCAN = 30  # lines searched for the header (a report export puts its title and period above it)
MAX_CSV_BYTES = 512 * 1024 * 1024  # far more than any agency's invoices; a bigger "file" is not an export
csv.field_size_limit(16 * 1024 * 1024)


class CsvFileError(Exception):
    """A file that cannot be imported at all (unreadable, not text, a header missing); the
    message names the file (and its line)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message)


@dataclass
class Preview:
    """The first rows of a file as read: its headers, rows (with the line each starts on), the
    delimiter and encoding used, and whether they were the profile's or detected."""

    path: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    delimiter: str
    encoding: str
    detected: bool
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index (with a profile)
    missing: list[str] = field(default_factory=list)  # problems matching the profile's headers
    looks_like: list[str] = field(default_factory=list)  # built-in profiles whose headers all fit
    header_line: int = 1  # the line of the header (below a report's title lines, when it has them)


def label_of(path: str | Path) -> str:
    return visible(str(path))


def read_text_of(path: str | Path, encoding: str) -> str:
    """The file's text in ``encoding`` (a leading BOM dropped); CsvFileError names the file, the
    line and the byte that does not fit."""
    label = label_of(path)
    try:
        data = read_bytes(path, MAX_CSV_BYTES)
    except FileNotFoundError:
        raise CsvFileError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise CsvFileError(f"{label}: is a directory") from None
    except FileRefused as exc:
        raise CsvFileError(f"{label}: {exc}") from None
    except OSError as exc:
        raise CsvFileError(f"{label}: cannot read: {exc.strerror}") from None
    codec = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CsvFileError(
            f"{label}: line {line}: byte 0x{data[exc.start]:02x} is not {encoding} text "
            '(set the profile\'s [csv] encoding, e.g. "cp1252" for an export from Windows)'
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def rows_of(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each record of the CSV text with the line it starts on (blank lines skipped)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    start = 1
    try:
        for row in reader:
            line = start
            start = reader.line_num + 1
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            yield line, row
    except csv.Error as exc:
        raise CsvFileError(f"line {reader.line_num}: {exc}") from None


def norm_header(text: str) -> str:
    """A header as matched: trimmed, case-folded, inner spaces collapsed."""
    return model.name_key(text)


def match_columns(headers: list[str], profile: Profile) -> tuple[dict[str, int], list[str]]:
    """Field -> index of its column, and the problems: a required column missing (with the close
    headers the file has). An optional column the file lacks is left out of the mapping."""
    index: dict[str, int] = {}
    for i, h in enumerate(headers):
        index.setdefault(norm_header(h), i)
    found: dict[str, int] = {}
    problems: list[str] = []
    shown = [visible(h.strip()) for h in headers if h.strip()]
    for name in FIELDS:
        wanted = profile.headers_for(name)
        if not wanted:
            continue
        hit = next((index[norm_header(w)] for w in wanted if norm_header(w) in index), None)
        if hit is not None:
            found[name] = hit
            continue
        if name not in REQUIRED:
            continue  # an optional column the file does not have: not used (the plan says so)
        close = model.suggestions(norm_header(wanted[0]), [norm_header(h) for h in headers], n=3)
        originals = [next(visible(h.strip()) for h in headers if norm_header(h) == c) for c in close]
        problems.append(
            f"no column {visible(wanted[0])!r} for {name} ({FIELD_HELP[name]}; required)"
            + model.did_you_mean(originals)
            + f"; the file's columns: {', '.join(repr(s) for s in shown[:20])}{' ...' if len(shown) > 20 else ''}"
        )
    return found, problems


def detect_decimal(values: list[str]) -> tuple[str | None, str]:
    """The decimal mark the amounts ``values`` are written with, only where they tell it: some
    fit only the ``,`` style (``12,50``, ``1.234,56``) and none only the ``.`` style, or the other
    way round. Returns the mark (None: it cannot be told) and why, in words with an example."""
    from ..numbers import NumberError, read_amount

    only: dict[str, str] = {}
    for v in dict.fromkeys(x.strip() for x in values if x.strip()):
        fits = []
        for mark in (",", "."):
            try:
                read_amount(v, mark)
            except NumberError:
                continue
            fits.append(mark)
        if len(fits) == 1:
            only.setdefault(fits[0], v)
        if len(only) == 2:
            break
    if len(only) == 1:
        mark, example = next(iter(only.items()))
        return mark, f"{visible(example)!r} is written in the style {'1.234,56' if mark == ',' else '1,234.56'}"
    if len(only) == 2:
        return None, (
            f"the amounts mix the two styles ({visible(only[','])!r} fits only 1.234,56, {visible(only['.'])!r} "
            "only 1,234.56)"
        )
    return None, "every amount reads the same in both styles, or none is a number (e.g. 1.234 or 100)"


def detect_delimiter(text: str) -> str | None:
    """The delimiter of the first line that has one, when only one candidate splits it (None:
    ambiguous); a report's title lines above its header have none."""
    lines = itertools.islice(io.StringIO(text), HEADER_SCAN)
    first = next((line for line in lines if any(d in line for d in ";,\t|")), "")
    counts = {d: first.count(d) for d in (";", ",", "\t", "|")}
    used = [d for d, n in counts.items() if n]
    if len(used) == 1:
        return used[0]
    if len(used) > 1:
        best = max(used, key=lambda d: counts[d])
        if sum(1 for d in used if counts[d] == counts[best]) == 1 and counts[best] >= 2 * max(
            counts[d] for d in used if d != best
        ):
            return best
    return None


def preview(path: str | Path, profile: Profile | None = None, rows: int = 5) -> Preview:
    """The headers and first ``rows`` rows of a file. With a profile: read as it says, and its
    columns matched; without: UTF-8 (else cp1252) and the delimiter detected where unambiguous."""
    from .profiles import builtin_profiles

    detected = profile is None
    if profile is not None:
        encoding, delimiter = profile.encoding, profile.delimiter
        text = read_text_of(path, encoding)
    else:
        try:
            encoding, text = "utf-8", read_text_of(path, "utf-8")
        except CsvFileError as exc:
            if "is not utf-8 text" not in str(exc):
                raise
            encoding, text = "cp1252", read_text_of(path, "cp1252")
        delimiter = detect_delimiter(text) or ","
    head: list[tuple[int, list[str]]] = []
    for item in rows_of(text, delimiter):  # enough lines to find a header below a report's title lines
        head.append(item)
        if len(head) >= HEADER_SCAN + rows + 1:
            break
    builtins = builtin_profiles()

    def fits(cells: list[str], p: Profile) -> bool:
        keys = {norm_header(h) for h in cells}
        return all(any(norm_header(h) in keys for h in p.headers_for(f)) for f in REQUIRED)

    at = 0
    for i, (_, cells) in enumerate(head[:HEADER_SCAN]):
        if (profile is not None and fits(cells, profile)) or (
            profile is None and any(fits(cells, p) for p in builtins.values())
        ):
            at = i
            break
    header_line, headers = head[at] if head else (1, [])
    out = Preview(str(path), headers, head[at + 1 : at + 1 + rows], delimiter, encoding, detected)
    out.header_line = header_line
    if profile is not None:
        out.columns, out.missing = match_columns(headers, profile)
    out.looks_like = [name for name, p in builtins.items() if fits(headers, p)]
    return out
