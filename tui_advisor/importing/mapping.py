"""What the app's import screen needs around the CSV core: a file path checked before anything
reads it, a mapping guessed from a file's headers, how each sample value is read ("read as"),
and a profile saved as a TOML file the command line accepts (``--profile PATH``).

Headless (no Textual): the screen (ui/screens/importing.py) shows what these return.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import paths
from ..numbers import NumberError, read_amount, show_amount
from ..readfile import kind as file_kind
from ..safetext import control_problem, visible
from .plan import norm_name
from .profiles import FIELDS, Profile, builtin_profiles, load_profile
from .reader import norm_header

DATE_FIELDS = ("issued", "due", "paid")
AMOUNT_FIELDS = ("amount", "net", "tax", "open")
# date formats tried, in this order, when a file comes without a profile
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%y", "%d/%m/%y", "%Y/%m/%d")
# words a header holds for each field, English and Dutch (after the built-in profiles' own headers)
_WORDS: dict[str, tuple[str, ...]] = {
    "due": ("due", "verval", "expir"),
    "paid": ("paid", "betaald", "payment date", "betaaldatum"),
    "open": ("open", "outstanding", "balance", "openstaand", "saldo"),
    "issued": ("invoice date", "factuurdatum", "issue", "date", "datum"),
    "invoice": ("invoice", "factuur", "number", "nummer", "no.", "nr", "#", "reference", "document"),
    "client": ("client", "customer", "klant", "relatie", "contact", "debiteur", "company", "bedrijf", "name", "naam"),
    "net": ("excl", "subtotal", "net amount", "netto", "before tax"),
    "amount": ("total", "totaal", "amount", "bedrag", "gross"),
    "tax": ("btw-bedrag", "btw bedrag", "vat amount", "tax amount", "taxtotal", "tax total", "sales tax"),
    "status": ("status", "state"),
}


class PathProblem(ValueError):
    """A path the import screen does not read (the message says why, naming the file)."""


# ------------------------------------------------------------------ the file


def check_path(text: str) -> Path:
    """The file a user typed, checked before anything opens it: it exists, is a regular file
    (never a FIFO, a device or a directory), and no part of the path is a symbolic link someone
    else made (a teammate's link in a shared folder could point anywhere). PathProblem otherwise."""
    raw = text.strip()
    if not raw:
        raise PathProblem("type the path of the CSV file to import")
    bad = control_problem(raw)
    if bad:
        raise PathProblem(f"the path {visible(raw)}: {bad}")
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    shown = visible(str(path))
    uid = os.getuid()
    current = Path(path.anchor)
    for part in path.parts[1:]:
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            raise PathProblem(
                f"{shown}: no such file" + ("" if current == path else f" ({visible(str(current))})")
            ) from None
        except OSError as exc:
            raise PathProblem(f"{shown}: cannot be read ({exc.strerror})") from None
        if stat.S_ISLNK(st.st_mode) and st.st_uid not in (uid, 0):
            raise PathProblem(
                f"{shown}: {visible(str(current))} is a symbolic link made by another user (uid {st.st_uid}); "
                "it is not followed: import the file from its real place"
            )
    try:
        st = os.stat(path)
    except OSError as exc:
        raise PathProblem(f"{shown}: cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise PathProblem(f"{shown}: is a directory; type the name of a CSV file in it")
    if not stat.S_ISREG(st.st_mode):
        raise PathProblem(f"{shown}: is {file_kind(st.st_mode)}, not a file: nothing was read")
    return path


def complete_path(text: str, limit: int = 2000) -> str | None:
    """The typed path completed with the first name in its folder that starts with what was typed
    (a folder gets a '/'), or None. Names holding control characters are never offered."""
    if not text or control_problem(text):
        return None
    expanded = os.path.expanduser(text)
    folder, start = os.path.split(expanded)
    try:
        with os.scandir(folder or ".") as it:
            names = []
            for n, entry in enumerate(it):
                if n >= limit:
                    break
                if entry.name.startswith(start) and entry.name != start and not control_problem(entry.name):
                    if not start.startswith(".") and entry.name.startswith("."):
                        continue
                    names.append((entry.name, entry.is_dir(follow_symlinks=False)))
    except OSError:
        return None
    if not names:
        return None
    name, is_dir = min(names)
    return text + name[len(start) :] + ("/" if is_dir else "")


# ------------------------------------------------------------------ guessing a mapping


def guess_columns(headers: list[str]) -> dict[str, str]:
    """Field -> the header that most likely holds it: a header one of the built-in profiles uses
    for that field first, then one holding a word for it (English or Dutch); each header once."""
    by_norm: dict[str, str] = {}
    for h in headers:
        if h.strip():
            by_norm.setdefault(norm_header(h), h)
    taken: set[str] = set()
    out: dict[str, str] = {}
    known: dict[str, list[str]] = {f: [] for f in FIELDS}
    for profile in builtin_profiles().values():
        for f in FIELDS:
            known[f] += [norm_header(h) for h in profile.headers_for(f)]
    for f in FIELDS:
        hit = next((by_norm[n] for n in known[f] if n in by_norm and by_norm[n] not in taken), None)
        if hit is not None:
            out[f] = hit
            taken.add(hit)
    for f in _WORDS:  # the specific fields first: a 'due date' is not the issue date
        if f in out:
            continue
        for word in _WORDS[f]:
            hit = next((h for n, h in by_norm.items() if word in n and h not in taken), None)
            if hit is not None:
                out[f] = hit
                taken.add(hit)
                break
    return out


def guess_date_format(samples: list[str]) -> str | None:
    """The first of DATE_FORMATS that reads every (non-empty) sample, or None."""
    values = [s.strip() for s in samples if s.strip()]
    if not values:
        return None
    for fmt in DATE_FORMATS:
        try:
            for v in values:
                datetime.strptime(v, fmt)
        except ValueError:
            continue
        return fmt
    return None


def guess_decimal(samples: list[str], default: str) -> str:
    """The decimal mark every sample amount reads in, when only one of the two does; else ``default``."""
    values = [s for s in samples if s.strip()]
    fits = []
    for mark in (",", "."):
        try:
            for v in values:
                read_amount(v, mark)
        except NumberError:
            continue
        fits.append(mark)
    return fits[0] if len(fits) == 1 else default


def samples_of(rows: list[tuple[int, list[str]]], index: int, n: int = 3) -> list[str]:
    """The first ``n`` non-empty values of a column in the sample rows."""
    out = []
    for _line, row in rows:
        if index < len(row) and row[index].strip():
            out.append(row[index].strip())
            if len(out) >= n:
                break
    return out


def column_label(header: str, sample: str | None, width: int = 22) -> str:
    """How a column is offered in a picker: 'Factuurdatum  e.g. 03-11-2026' (texts made visible)."""
    head = visible(header.strip()) or "(no header)"
    if sample is None:
        return f"{head}  (empty in the first rows)"
    shown = visible(sample)
    if len(shown) > width:
        shown = shown[: width - 1] + "…"
    return f"{head}  e.g. {shown}"


# ------------------------------------------------------------------ read as


def read_as(
    field: str, value: str, profile: Profile, data: Any = None, *, decimal: str = ".", currency: str = ""
) -> tuple[str, bool]:
    """How one value of a field's column is read with ``profile``: (what it is read as, ok).
    Dates as YYYY-MM-DD; amounts in the number style whose decimal mark is ``decimal`` (the
    agency's, as its forms show a reading), with ``currency`` (an amount in another currency's
    sign is refused, as the import refuses it); a client matched to a stored one
    or new; a value that cannot be read: (what was expected, False)."""
    text = value.strip()
    if field in DATE_FIELDS:
        if not text:
            empty = {
                "issued": ("empty: an issue date is required", False),
                "due": ("empty: due after the payment term", True),
                "paid": ("empty: open", True),
            }
            return empty[field]
        try:
            return datetime.strptime(text, profile.date_format).date().isoformat(), True
        except ValueError:
            example = datetime(2026, 12, 31).strftime(profile.date_format)
            return f"not a date like {example} ({profile.date_format})", False
    if field in AMOUNT_FIELDS:
        if not text:
            if field in ("amount", "net"):
                return ("empty: an amount is required", False)
            return ("empty: a tax amount is required (0 when none)", False) if field == "tax" else ("empty", True)
        try:
            amount = read_amount(text, profile.decimal, currency=currency or None)  # as the import reads it
        except NumberError as exc:
            return visible(str(exc)), False
        return show_amount(amount, decimal) + (f" {currency}" if currency else ""), True
    if field == "client":
        name = " ".join(text.split())
        if not name:
            return "empty: a client's name is required", False
        bad = control_problem(name)
        if bad:
            return bad, False
        target = profile.clients.get(name) or next(
            (t for alias, t in profile.clients.items() if norm_name(alias) == norm_name(name)), None
        )
        if data is not None:
            wanted = norm_name(target or name)
            for c in data.clients:
                if c.id == target or norm_name(c.name) == wanted:
                    return f"{visible(c.name)} (a stored client)", True
            return f"{visible(target or name)} (a new client)", True
        return visible(target or name), True
    if field == "invoice":
        if not text:
            return "empty: an invoice number is required", False
        bad = control_problem(text)
        if bad:
            return bad, False
        if data is not None and any(inv.id == text for inv in data.invoices):
            return f"{visible(text)} (stored: updated if it changed)", True
        return visible(text), True
    if field == "status":
        key = norm_header(text)
        if key in {norm_header(s) for s in profile.skip_status}:
            return f"{visible(text)}: left out", True
        if key in {norm_header(s) for s in profile.paid_status}:
            return f"{visible(text)}: paid", True
        return visible(text) or "(empty)", True
    if field == "type":
        if norm_header(text) in {norm_header(s) for s in getattr(profile, "credit_type", ())}:
            return f"{visible(text)}: a credit note (its amount made negative)", True
        return visible(text) or "(empty)", True
    if field == "terms":
        if not text:
            return "empty", True
        if text.isdigit() and int(text) <= 3650:
            return f"{int(text)} days", True
        return "not a payment term in days (0 to 3650)", False
    return visible(text), True


# ------------------------------------------------------------------ profiles of one's own


def make_profile(
    base: Profile | None,
    *,
    name: str,
    columns: dict[str, str],
    delimiter: str,
    decimal: str,
    date_format: str,
    encoding: str,
) -> Profile:
    """The profile the screen's choices make: ``base`` (a built-in profile, or None for one's own)
    with the columns, delimiter, decimal mark, date format and encoding chosen. Where a column is
    the base's own header for that field, its alternatives, statuses and aliases are kept."""
    if base is None:
        return Profile(
            name=name,
            delimiter=delimiter,
            encoding=encoding,
            decimal=decimal,
            date_format=date_format,
            columns=dict(columns),
        )
    alternatives = {
        f: alts
        for f, alts in base.alternatives.items()
        if f in columns and norm_header(columns[f]) in {norm_header(h) for h in base.headers_for(f)}
    }
    return replace(
        base,
        name=name,
        delimiter=delimiter,
        encoding=encoding,
        decimal=decimal,
        date_format=date_format,
        columns=dict(columns),
        alternatives=alternatives,
        builtin=False,
        source=None,
    )


def profiles_dir() -> Path:
    """Where the app saves a user's import profiles by default: ``profiles/`` in the config directory."""
    return paths.default_config_file().parent / "profiles"


def default_profile_path(name: str) -> Path:
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "my-profile"
    return profiles_dir() / f"{stem}.toml"


class ProfileExists(Exception):
    """The profile file is there already: ask before overwriting it."""


def save_profile(profile: Profile, path: Path | str, *, overwrite: bool = False) -> Path:
    """Write ``profile`` as TOML to ``path`` (a new, unique temporary file renamed over it: never
    written through a link). A symbolic link at ``path`` is refused, and so is anything but a
    regular file; an existing file raises ProfileExists unless ``overwrite``. The file is read back
    with ``load_profile`` (what ``--profile PATH`` does) before this returns; PathProblem otherwise."""
    from ..store.files import StoreError, write_bytes_atomic

    raw = str(path).strip()
    if not raw:
        raise PathProblem("type the path of the profile file to write")
    bad = control_problem(raw)
    if bad:
        raise PathProblem(f"the path {visible(raw)}: {bad}")
    target = Path(raw).expanduser()
    if target.suffix != ".toml":
        raise PathProblem(f"{visible(str(target))}: a profile file's name ends in .toml")
    shown = visible(str(target))
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise PathProblem(f"{shown}: {exc.strerror}") from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise PathProblem(
                f"{shown}: is a symbolic link; a profile is never written through one (choose another name)"
            )
        if not stat.S_ISREG(st.st_mode):
            raise PathProblem(f"{shown}: is {file_kind(st.st_mode)}; choose another name")
        if not overwrite:
            raise ProfileExists(shown)
    folder = target.parent
    if not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PathProblem(f"{visible(str(folder))}: cannot be made ({exc.strerror})") from None
    try:
        write_bytes_atomic(target, profile.to_toml().encode("utf-8"))
    except StoreError as exc:
        raise PathProblem(str(exc)) from None
    load_profile(str(target))  # what --profile PATH reads: a ProfileError here is this module's bug
    return target
