"""Dashboard widgets: a pillar card, the clients' share bars and the trends.

Each is one widget that draws its whole panel (title included): the dashboard is the
first frame of the app, and every widget fewer is a little less to style and lay out.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

STATUS_WORD = {"good": "good", "watch": "watch", "act": "act now", "unknown": "unknown", "off": "off"}


class PillarCard(Static):
    """One pillar of independence: status colour, score, key number, one-line verdict."""

    def __init__(self, pillar: str, status: str | None = None, **kwargs: Any):
        # with the status known when the card is built, it is styled once, as it mounts
        super().__init__("", classes="card" if status is None else f"card -{status}", **kwargs)
        self.pillar = pillar

    def show(
        self,
        title: str,
        source: str,
        score: int | None,
        status: str,
        key_number: str,
        verdict: str,
        trends: list[tuple[str, str]] | None = None,
    ) -> None:
        """``trends``: lines under the verdict, (text, style): '▲ +8 since Oct' (the dashboard's trends)."""
        self.set_classes(["card", f"-{status}"])  # one restyle (none when unchanged), not one per class
        self.border_title = f"{title} ({source})"
        self.border_subtitle = STATUS_WORD.get(status, status) + ("" if score is None else f" {score}")
        text = Text()
        text.append(key_number, style="bold")
        text.append("\n")
        text.append(verdict)  # may hold a client's name: appended as plain text, never markup
        for line, style in trends or ():
            text.append("\n")
            text.append(line, style=style)
        self.update(text)


class ShareBars(Widget):
    """The largest clients' shares of revenue as bars, under a title line.

    Laid out for the width it gets: the names first (a name too long for the room is cut
    with an ellipsis), the bars from 10 to 24 cells, so that a line never wraps.
    """

    DEFAULT_CSS = """
    ShareBars { height: auto; }
    """
    TITLE = "Largest clients, share of revenue"  # without a basis; with one: "..., share of the work running today"
    BAR_MAX, BAR_MIN = 24, 10

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.items: list[tuple[str, float]] = []
        self.title = self.TITLE

    def show(self, items: list[dict[str, Any]], top: int = 5, basis: str = "of revenue") -> None:
        """The ``{"name", "share"}`` findings, largest first; names are shown as plain text.
        ``basis``: what the shares are of (report.share_basis), for the title."""
        self.items = [(str(i["name"]), float(i["share"])) for i in items[:top]]
        self.title = f"Largest clients, share {basis}"
        self.refresh(layout=True)

    def render(self) -> Content:
        title = self.title
        if cell_len(title) > self.size.width:  # narrow: the basis matters more than the words before it
            title = "Share" + title.removeprefix("Largest clients, share")
        parts: list[str | tuple[str, str]] = [(title, "bold")]
        if not self.items:
            parts += ["\n", ("no revenue yet: enter invoices or engagements", "dim")]
        room = max(1, self.size.width) - 2 - 7  # two spaces, then " 100.0%"
        longest = max(cell_len(name) for name, _ in self.items) if self.items else 0
        bar_width = max(self.BAR_MIN, min(self.BAR_MAX, room - longest))
        name_width = max(1, min(longest, room - bar_width))
        for name, share in self.items:
            if cell_len(name) > name_width:
                name = set_cell_size(name, name_width - 1) + "…"
            filled = round(share * bar_width)
            parts += [
                "\n",
                set_cell_size(name, name_width),
                "  ",
                ("█" * filled, "bold"),
                ("░" * (bar_width - filled), "dim"),
                f" {share:5.1%}",
            ]
        return Content.assemble(*parts)


BARS = "▁▂▃▄▅▆▇█"
LOW_ALPHA, HIGH_ALPHA = 30, 100  # the smallest value's bar in $primary at 30%, the largest at 100%


def spark_rows(values: list[float], width: int, rows: int) -> list[list[tuple[str, int]]]:
    """A sparkline of ``values`` stretched or squeezed to ``width`` columns and ``rows`` lines:
    per line, top first, ``(bar, alpha)`` per column (``alpha``: the bar's colour, the value's
    place between the smallest and the largest, as a percentage of ``$primary``). As Textual's
    Sparkline draws it: a column shows the largest value of its share of ``values``."""
    if not values:
        return [[(" ", LOW_ALPHA)] * width for _ in range(rows - 1)] + [[("▁", LOW_ALPHA)] * width]
    if len(values) == 1:  # one value: full bars
        return [[("█", HIGH_ALPHA)] * width for _ in range(rows)]
    n = len(values)
    low, high = min(values), max(values)
    extent = (high - low) or 1
    steps = len(BARS) * rows - 1
    columns = []
    for c in range(width):
        start = c * n // width
        ratio = (max(values[start : max(start + 1, (c + 1) * n // width)]) - low) / extent
        columns.append((int(ratio * steps), round(LOW_ALPHA + (HIGH_ALPHA - LOW_ALPHA) * ratio)))
    lines = []
    for row in reversed(range(rows)):
        bottom, top = row * len(BARS), (row + 1) * len(BARS)
        lines.append(
            [(" " if bar < bottom else "█" if bar >= top else BARS[bar % len(BARS)], alpha) for bar, alpha in columns]
        )
    return lines


class Trends(Widget):
    """Titled sparklines, one under the other.

    Drawn as Textual content (text in theme colours). Textual's Sparkline renderable draws
    the same bars through Rich, with a colour object per bar: that cost ~10 ms of the
    dashboard's first frame, the most of any widget on it.
    """

    DEFAULT_CSS = """
    Trends { height: auto; }
    """
    BAR_HEIGHT = 2

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.rows: list[tuple[str, list[float]]] = []

    def show(self, rows: list[tuple[str, list[float]]]) -> None:
        """``(title, values)`` per trend; the title is shown as plain text."""
        self.rows = [(title, list(values)) for title, values in rows]
        self.refresh(layout=True)

    def render(self) -> Content:
        width = max(1, self.size.width)
        parts: list[str | tuple[str, str]] = []
        for i, (title, values) in enumerate(self.rows):
            parts.append("\n\n" if i else "")
            parts.append((title, "bold"))
            for line in spark_rows(values, width, self.BAR_HEIGHT):
                parts.append("\n")
                for (bar, alpha), run in groupby(line):  # one span per run of equal bars
                    parts.append((bar * len(list(run)), f"$primary {alpha}%" if bar != " " else ""))
        return Content.assemble(*parts)
