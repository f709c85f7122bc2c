"""Dashboard widgets: a pillar card and the clients' share bars."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

STATUS_WORD = {"good": "good", "watch": "watch", "act": "act now", "unknown": "unknown", "off": "off"}


class PillarCard(Static):
    """One pillar of independence: status colour, score, key number, one-line verdict."""

    def __init__(self, pillar: str, **kwargs: Any):
        super().__init__("", classes="card", **kwargs)
        self.pillar = pillar

    def show(self, title: str, source: str, score: int | None, status: str, key_number: str, verdict: str) -> None:
        for s in STATUS_WORD:
            self.remove_class(f"-{s}")
        self.add_class(f"-{status}")
        self.border_title = f"{title} ({source})"
        self.border_subtitle = STATUS_WORD.get(status, status) + ("" if score is None else f" {score}")
        text = Text()
        text.append(key_number, style="bold")
        text.append("\n")
        text.append(verdict)  # may hold a client's name: appended as plain text, never markup
        self.update(text)


class ShareBars(Static):
    """The largest clients' shares of revenue as bars."""

    def show(self, items: list[dict[str, Any]], width: int = 24, top: int = 5) -> None:
        text = Text()
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
