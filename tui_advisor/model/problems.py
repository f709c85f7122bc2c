"""What is wrong with a document or a record, said once: structured problems and suggestions.

A :class:`Problem` names the kind of record (``engagements``), the record (its index in
the document, or its key), the field, what is wrong and, when a close match exists, the
suggestion; ``str(problem)`` is the line people read
(``engagements[3].client: no client with id 'acme' (did you mean 'acme-co'?)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def name_key(text: str) -> str:
    """A name (a client's, a column header, a filter typed) as two are matched: case and spacing
    ignored, ' ACME   ltd' -> 'acme ltd'."""
    return " ".join(text.split()).casefold()


def suggest(word: str, options: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The option closest to ``word`` (a typo of it), or None: the one suggestion function."""
    import difflib  # here, not at start-up: only a problem to word needs it (~2-5 ms of import)

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return close[0] if close else None


def suggestions(word: str, options: Iterable[str], n: int = 3, *, cutoff: float = 0.6) -> list[str]:
    """Up to ``n`` options close to ``word``, the closest first (for 'did you mean one of ...')."""
    import difflib

    return difflib.get_close_matches(word, list(options), n=n, cutoff=cutoff)


def did_you_mean(suggestion: str | Sequence[str] | None, *, quote: bool = True) -> str:
    """The wording of a suggestion after a message, made here only: `` (did you mean 'x'?)``,
    `` (did you mean 'x', 'y'?)`` for several (``quote=False``: ids as they are typed,
    `` (did you mean KEY001, KEY002?)``); empty without one."""
    if suggestion is None or (not isinstance(suggestion, str) and not suggestion):
        return ""
    items = [suggestion] if isinstance(suggestion, str) else list(suggestion)
    return f" (did you mean {', '.join(repr(s) if quote else s for s in items)}?)"


def hint(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the option closest to ``word``, or empty."""
    return did_you_mean(suggest(word, options))


class Problem:
    """One thing wrong: where (kind, index or key, field), what (message), and a suggestion.

    ``kind``: a kind of record (``"clients"``), or a part of the document (``"agency"``,
    ``"settings"``, ``"format"``, ``"document"``); empty when the message says it all.
    ``index``: the record's position in the document's list; ``key``: the record's key
    (for a record that is not in a document, e.g. one a form saves); ``field``: the field,
    ``None`` for the record as a whole (a nested one as ``steps[2].title``).
    """

    __slots__ = ("field", "index", "key", "kind", "message", "suggestion")

    def __init__(
        self,
        kind: str,
        field: str | None,
        message: str,
        *,
        index: int | None = None,
        key: Any = None,
        suggestion: str | None = None,
    ):
        self.kind = kind
        self.field = field
        self.message = message
        self.index = index
        self.key = key
        self.suggestion = suggestion

    @property
    def path(self) -> str:
        """``kind[index].field`` (``kind.field`` without an index; ``kind`` alone for a whole record)."""
        where = self.kind + (f"[{self.index}]" if self.index is not None else "")
        if self.field:
            where = f"{where}.{self.field}" if where else self.field
        return where

    def text(self) -> str:
        """The message with its suggestion, without the path (what a form shows by its field)."""
        return self.message + did_you_mean(self.suggestion)

    def __str__(self) -> str:
        path = self.path
        return f"{path}: {self.text()}" if path else self.text()

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Problem):
            return str(self) == str(other)
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))


class ValidationError(Exception):
    """Every problem found in a document: ``.items`` the :class:`Problem` s, ``.problems`` their
    text, each ``path: what is wrong``."""

    def __init__(self, problems: Iterable[Problem | str], source: str | None = None):
        self.items = [p if isinstance(p, Problem) else Problem("", None, p) for p in problems]
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + f"{len(self.items)} problem(s):\n" + "\n".join(f"  {p}" for p in self.items))

    @property
    def problems(self) -> list[str]:
        """The problems as people read them, one line each."""
        return [str(p) for p in self.items]
