"""Dashboard widgets: a pillar card, the clients' share bars and the trends.

Each is one widget that draws its whole panel (title included): the dashboard is the
first frame of the app, and every widget fewer is a little less to style and lay out.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text
from textual.renderables.sparkline import Sparkline
from textual.widget import Widget
from textual.widgets import Static

STATUS_WORD = {"good": "good", "watch": "watch", "act": "act now", "unknown": "unknown", "off": "off"}


class PillarCard(Static):
    """One pillar of independence: status colour, score, key number, one-line verdict."""

    def __init__(self, pillar: str, status: str | None = None, **kwargs: Any):
        # with the status known when the card is built, it is styled once, as it mounts
        super().__init__("", classes="card" if status is None else f"card -{status}", **kwargs)
        self.pillar = pillar

    def show(self, title: str, source: str, score: int | None, status: str, key_number: str, verdict: str) -> None:
        self.set_classes(["card", f"-{status}"])  # one restyle (none when unchanged), not one per class
        self.border_title = f"{title} ({source})"
        self.border_subtitle = STATUS_WORD.get(status, status) + ("" if score is None else f" {score}")
        text = Text()
        text.append(key_number, style="bold")
        text.append("\n")
        text.append(verdict)  # may hold a client's name: appended as plain text, never markup
        self.update(text)


class ShareBars(Static):
    """The largest clients' shares of revenue as bars, under a title line."""

    TITLE = "Largest clients, share of revenue"

    def show(self, items: list[dict[str, Any]], width: int = 24, top: int = 5) -> None:
        text = Text()
        text.append(self.TITLE, style="bold")
        text.append("\n")
        if not items:
            text.append("no revenue yet: enter invoices or engagements", style="dim")
        longest = max((min(len(str(i["name"])), 22) for i in items[:top]), default=0)
        for i, item in enumerate(items[:top]):
            name = str(item["name"])
            name = name if len(name) <= 22 else name[:21] + "…"
            share = float(item["share"])
            filled = round(share * width)
            if i:
                text.append("\n")
            text.append(name.ljust(longest))
            text.append("  ")
            text.append("█" * filled, style="bold")
            text.append("░" * (width - filled), style="dim")
            text.append(f" {share:5.1%}")
        self.update(text)


class _EndLine:
    """A renderable, then the end of its last line (a sparkline leaves it open)."""

    def __init__(self, inner: RenderableType):
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.inner
        yield Segment.line()


class Trends(Widget):
    """Titled sparklines (Textual's sparkline renderable), one under the other."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"trends--min-color", "trends--max-color"}
    DEFAULT_CSS = """
    Trends { height: auto; }
    Trends > .trends--max-color { color: $primary; }
    Trends > .trends--min-color { color: $primary 30%; }
    """
    BAR_HEIGHT = 2

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.rows: list[tuple[str, list[float]]] = []

    def show(self, rows: list[tuple[str, list[float]]]) -> None:
        """``(title, values)`` per trend; the title is shown as plain text."""
        self.rows = [(title, list(values)) for title, values in rows]
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        _, base = self.background_colors
        low = (base + self.get_component_styles("trends--min-color").color).rich_color
        high = (base + self.get_component_styles("trends--max-color").color).rich_color
        width = max(1, self.size.width)
        parts: list[RenderableType] = []
        for i, (title, values) in enumerate(self.rows):
            if i:
                parts.append(Text(""))
            parts.append(Text(title, style="bold"))
            parts.append(_EndLine(Sparkline(values, width=width, height=self.BAR_HEIGHT, min_color=low,
                                            max_color=high)))
        return Group(*parts)
