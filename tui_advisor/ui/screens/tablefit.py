"""A record table that fits the terminal, and the `/` filter over its rows.

The table's columns get widths that fit the width there is: dates and numbers keep theirs,
the long texts (a client's name, a title) give way first, the widest first, each down to
``MIN_TEXT`` characters or its header, and a cut text ends in an ellipsis (the form shows
it whole). When even that does not fit, the columns marked ``optional`` (an id) are left
out (the first to go first), and the info line says which. A filter keeps the rows whose shown
texts (a client's name for a client column) hold what was typed, in any case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from ... import model

PAD = 2  # a DataTable cell's padding: one column of space on either side
MIN_TEXT = 10  # a long text gives way down to this many columns (or its header's width)
SCROLLBAR = 2  # the vertical scrollbar's width, when the rows do not all fit


@dataclass(frozen=True)
class Layout:
    shown: tuple[int, ...]  # the indexes of the columns shown, in order
    widths: tuple[int, ...]  # the width of each shown column (without the padding)
    hidden: tuple[int, ...]  # optional columns left out for want of room


def fit(
    labels: Sequence[str],
    texts: Sequence[Sequence[str]],
    shrinkable: Sequence[bool],
    optional: Sequence[int],
    room: int,
) -> Layout:
    """The columns to show and their widths, for ``room`` columns of terminal.

    ``texts``: the rows' cell texts; ``shrinkable``: a column of texts (not dates or
    numbers) that may be cut; ``optional``: 0 for a column always shown, n for one that
    may be left out when nothing else makes the table fit (1 first, then 2...; of equal
    ones the rightmost first)."""
    n = len(labels)
    natural = [cell_len(label) for label in labels]
    for i in range(n):
        column = [row[i] for row in texts]
        if column:
            longest = max(map(len, column))  # characters: a wide character counts twice below
            if not all(map(str.isascii, column)):
                longest = max(cell_len(text) if len(text) < 400 else 2 * len(text) for text in column)
            natural[i] = max(natural[i], longest)

    def least(i: int) -> int:
        return max(cell_len(labels[i]), min(natural[i], MIN_TEXT)) if shrinkable[i] else natural[i]

    def need(columns: list[int]) -> int:
        return sum(least(i) + PAD for i in columns)

    shown = list(range(n))
    hidden: list[int] = []
    for i in sorted((i for i in range(n) if optional[i]), key=lambda i: (optional[i], -i)):
        if need(shown) <= room or len(shown) == 1:
            break
        shown.remove(i)
        hidden.append(i)
    hidden.sort()
    widths = {i: natural[i] for i in shown}
    space = room - PAD * len(shown)
    if sum(widths.values()) > space:
        # the widest texts give way first: the largest cap that fits, none below its least width
        def total(cap: int) -> int:
            return sum(max(min(natural[i], cap), least(i)) if shrinkable[i] else natural[i] for i in shown)

        low, high = 0, max(widths.values())
        while low < high:
            mid = (low + high + 1) // 2
            if total(mid) <= space:
                low = mid
            else:
                high = mid - 1
        widths = {i: (max(min(natural[i], low), least(i)) if shrinkable[i] else natural[i]) for i in shown}
    return Layout(tuple(shown), tuple(widths[i] for i in shown), tuple(hidden))


def matches(needle: str, texts: Sequence[str]) -> bool:
    """Does any of the texts hold ``needle`` (already folded: ``fold(typed)``)?"""
    return any(needle in text.casefold() for text in texts)


def fold(typed: str) -> str:
    return model.name_key(typed)
