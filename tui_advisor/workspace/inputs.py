"""The files a user hands over: an interchange JSON document, read and validated.

``advise --input``, ``import`` and the demo agency come in here; a problem with such
a file is an :class:`InputError` whose message names the file (and its line).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .. import model


class InputError(Exception):
    """A problem with a file the user gave us; the message names the file."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message)


_FREEZE_AFTER = 200_000  # objects made by a load (L: ~265,000; the M file: ~27,000)
MAX_INPUT_BYTES = 1 << 30  # 1 GiB: far more than any agency's data; a bigger "file" is not one


def read_document(path: Path | str) -> Any:
    """Parse an interchange JSON file ('-' is stdin); InputError names the file and line."""
    content, label = _read(path)
    return _parse(_text(content, label), label)


def _read(path: Path | str) -> tuple[bytes | str, str]:
    """The bytes of the file (stdin's text for '-') and its name for messages; InputError if unread."""
    if str(path) == "-":
        return sys.stdin.read(), "<stdin>"
    p = Path(path)
    label = str(p)
    from ..readfile import FileRefused, read_bytes

    try:  # a FIFO or a device (/dev/zero) is refused at once instead of hanging or filling the memory
        return read_bytes(p, MAX_INPUT_BYTES), label
    except FileRefused as exc:
        raise InputError(f"{label}: {exc}") from None
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{label}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot read: {exc.strerror}") from None


def _text(content: bytes | str, label: str) -> str:
    """The file's UTF-8 text; InputError says which byte is not."""
    if isinstance(content, str):
        return content
    from ..readfile import FileRefused, utf8_text

    try:
        return utf8_text(content)
    except FileRefused as exc:
        raise InputError(f"{label}: {exc}") from None


def _parse(text: str, label: str) -> Any:
    """The JSON value of a file's text; InputError names the file and line."""
    from ..store.files import DuplicateKey, loads_strict

    try:
        return loads_strict(text)
    except DuplicateKey as exc:
        where = f" in the record {exc.record!r}" if exc.record else ""
        raise InputError(
            f"{label}: the key {exc.key!r} appears twice{where}: which one is meant cannot be told; remove one"
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{label}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except ValueError:  # an integer of more digits than Python converts (sys.get_int_max_str_digits)
        raise InputError(
            f"{label}{_huge_number_at(text)}: a number is too large (numbers must be {model.NUMBER_RANGE})"
        ) from None
    except RecursionError:
        raise InputError(f"{label}: not valid JSON: nested too deeply") from None


def _huge_number_at(text: str) -> str:
    """':LINE:COL' of the first integer too long to convert in a JSON text ('' if not found)."""
    import re

    limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
    m = re.search(rf"(?<=[\[:,])\s*(-?\d{{{limit + 1},}})", text)
    if m is None:
        return ""
    start = m.start(1)
    line = text.count("\n", 0, start) + 1
    return f":{line}:{start - (text.rfind(chr(10), 0, start) + 1) + 1}"


def load_input(path: Path | str, *, keep: list[Any] | None = None) -> model.AgencyData:
    """Read and validate an interchange file: its agency, or InputError listing every problem.
    ``keep``: a list that takes what reading a valid file made on the way instead of freeing it
    (see ``fastdecode.decode_document``), for a command that ends with ``os._exit``."""
    from ..readfile import no_gc  # not the store's package: advise --input imports no store (nor TinyDB)

    # Parsing and validating builds hundreds of thousands of objects and no cycles: the
    # cyclic garbage collector would only rescan them again and again (a third of the time);
    # the records of a big load live as long as the agency is open: frozen after it.
    with no_gc(freeze_after=_FREEZE_AFTER):
        content, label = _read(path)
        if isinstance(content, bytes):  # a valid file is decoded once, straight into its records
            from ..model.fastdecode import decode_document

            parts = decode_document(content, keep=keep)
            if parts is not None:
                return model.build(parts)
        text = _text(content, label)  # else the complete path, which words every problem
        del content
        doc = _parse(text, label)
        del text
        try:
            return model.from_document(doc)
        except model.ValidationError as exc:
            raise InputError(f"{path}: {len(exc.problems)} problem(s), nothing was read", exc.problems) from None
