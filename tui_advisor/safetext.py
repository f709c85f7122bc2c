"""Text that is safe to put on a terminal: control characters are shown, never obeyed.

Names, ids, rule texts, audit entries and file names can hold characters a terminal
obeys instead of showing: ESC and the C1 controls start escape sequences (set the
window title, clear the screen, write the clipboard with OSC 52), BEL, BS and CR move
or hide what is shown, and the bidi controls reorder it. The validator refuses them at
entry (:func:`control_problem`: the data file's texts, the forms); everything shown
also goes through :func:`visible`, because what is not data can still hold them:
audit-log lines (a file every member of the group can write), backup and data file
names, rule files, the messages that quote them.

**How a control is shown.** Every character of :data:`CONTROL` becomes a backslash
escape of its code point: ``\\x`` and two hex digits below U+0100 (ESC is ``\\x1b``,
CSI ``\\x9b``, a newline ``\\x0a``), ``\\u`` and four hex digits above (RIGHT-TO-LEFT
OVERRIDE is ``\\u202e``). So that a text typed as ``\\x1b`` (four characters) cannot
pass for an ESC, a backslash of the text is itself doubled (``\\\\``) where it would
otherwise be read as the start of an escape: before ``\\``, ``x``, ``u``, a control, or
at the end of the text. Any other backslash (``C:\\Temp``) is shown as it is. Read back:
``\\\\`` is one backslash, ``\\xHH`` and ``\\uHHHH`` are controls, any other backslash is
itself; text without controls or backslashes is shown unchanged.

The refused characters (:data:`CONTROL`): C0 (U+0000-001F, newline and tab included),
DEL (U+007F), C1 (U+0080-009F), the bidi controls U+061C, U+200E, U+200F,
U+202A-202E, U+2066-2069, the line and paragraph separators U+2028 and U+2029, and
lone surrogates (U+D800-DFFF, which a JSON file can hold and no terminal can print).

Headless: the core (report, command line) and the app's widgets share it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

_OTHERS = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_CLASS = "\x00-\x1f" + _OTHERS
CONTROL = re.compile(f"[{_CLASS}]")
"""Every character that is never shown raw (see the module's docstring)."""

_VISIBLE = re.compile(f"\\\\(?=[\\\\xu{_CLASS}]|\\Z)|[{_CLASS}]")  # a backslash to double, or a control
_LINES = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")  # newline and tab stay
_JSON = re.compile(f"[{_OTHERS}]")  # json.dumps escapes the C0 controls itself

_C0 = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()
_C1 = (
    "PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 "
    "DCS PU1 PU2 STS CCH MW SPA EPA SOS SGCI SCI CSI ST OSC PM APC"
).split()
_NAMES = {
    0x7F: "DEL",
    0x061C: "ARABIC LETTER MARK",
    0x200E: "LEFT-TO-RIGHT MARK",
    0x200F: "RIGHT-TO-LEFT MARK",
    0x2028: "LINE SEPARATOR",
    0x2029: "PARAGRAPH SEPARATOR",
    0x202A: "LEFT-TO-RIGHT EMBEDDING",
    0x202B: "RIGHT-TO-LEFT EMBEDDING",
    0x202C: "POP DIRECTIONAL FORMATTING",
    0x202D: "LEFT-TO-RIGHT OVERRIDE",
    0x202E: "RIGHT-TO-LEFT OVERRIDE",
    0x2066: "LEFT-TO-RIGHT ISOLATE",
    0x2067: "RIGHT-TO-LEFT ISOLATE",
    0x2068: "FIRST STRONG ISOLATE",
    0x2069: "POP DIRECTIONAL ISOLATE",
}


def _printable(text: str, keep: str) -> bool:
    """A quick (C speed) "holds no control outside ``keep``": str.isprintable is False for
    every character of CONTROL (and a few more, such as NBSP: then the caller searches)."""
    for ch in keep:
        text = text.replace(ch, " ")
    return text.isprintable()


def _escape(ch: str) -> str:
    cp = ord(ch)
    return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}"


def _token(match: re.Match[str]) -> str:
    ch = match[0]
    return "\\\\" if ch == "\\" else _escape(ch)


def visible(value: Any) -> str:
    """``value`` as text a terminal shows and never obeys: every control character as a
    backslash escape (``\\x1b``, ``\\u202e``), a backslash that could pass for one doubled.
    Text without either comes back unchanged (the same object)."""
    text = value if type(value) is str else str(value)
    if "\\" not in text and CONTROL.search(text) is None:
        return text
    return _VISIBLE.sub(_token, text)


def visible_lines(text: str) -> str:
    """A whole message (lines of this program's own text around values already made
    :func:`visible`): the controls escaped as :func:`visible` does, except newline and
    tab, which stay; backslashes are left alone (the values' escapes stay as they are)."""
    if _printable(text, "\n\t") or _LINES.search(text) is None:
        return text
    return _LINES.sub(lambda m: _escape(m[0]), text)


def describe(ch: str) -> str:
    """``U+001B ESC``, ``U+202E RIGHT-TO-LEFT OVERRIDE``: a control character, named."""
    cp = ord(ch)
    if cp < 0x20:
        name = _C0[cp]
    elif 0x80 <= cp < 0xA0:
        name = _C1[cp - 0x80]
    elif 0xD800 <= cp < 0xE000:
        name = "LONE SURROGATE"
    else:
        name = _NAMES.get(cp, "")
    return f"U+{cp:04X} {name}".rstrip()


def control_problem(text: str, first: int = 1) -> str | None:
    """Why a text may not be stored, or None: ``holds a control character (U+001B ESC) at
    position 5`` (positions count characters from 1; ``first``: the position of the text's
    first character, when it is part of a longer one)."""
    found = CONTROL.search(text)
    if found is None:
        return None
    ch = found[0]
    what = "an invalid character" if 0xD800 <= ord(ch) < 0xE000 else "a control character"
    return f"holds {what} ({describe(ch)}) at position {found.start() + first}"


def json_dumps(obj: Any, **kw: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, **kw)`` with DEL, C1, bidi controls, line
    separators and lone surrogates written as ``\\uXXXX`` escapes (json.dumps escapes the
    C0 controls itself and writes the others raw). The same JSON: it reads back to the
    same values."""
    text = json.dumps(obj, ensure_ascii=False, **kw)
    if (text.isascii() and "\x7f" not in text) or _printable(text, "\n") or _JSON.search(text) is None:
        return text
    return _JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


class SafeStream:
    """A text stream that writes every text through :func:`visible_lines`: the last guard of
    the command line's output (``print``, argparse's messages), whatever a message holds."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(visible_lines(text))

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding, buffer, fileno...
        return getattr(self.stream, name)


@contextmanager
def safe_streams() -> Iterator[None]:
    """``sys.stdout`` and ``sys.stderr`` wrapped in :class:`SafeStream` while the block runs
    (put back afterwards, unless the block replaced them itself)."""
    import sys

    out, err = sys.stdout, sys.stderr
    wrapped_out = SafeStream(out) if out is not None else None
    wrapped_err = SafeStream(err) if err is not None else None
    sys.stdout, sys.stderr = wrapped_out, wrapped_err
    try:
        yield
    finally:
        if sys.stdout is wrapped_out:
            sys.stdout = out
        if sys.stderr is wrapped_err:
            sys.stderr = err
