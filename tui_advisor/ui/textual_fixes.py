"""Workarounds for Textual bugs: the only module of the app that touches Textual's private API.

Textual is pinned exactly (pyproject.toml). Each workaround here is for a real bug of
Textual 8.2.8, has a write-up with a bare reproduction under ``docs/upstream/`` (ready to
report to Textualize/textual) and canary tests that fail when Textual changes what it
relies on (a private name goes or changes shape) or fixes the bug (then it can go):

1. **Control characters in a widget's text reach the terminal**
   (docs/upstream/control-characters-in-widget-text-reach-the-terminal.md). The screens
   show text through ``safetext.visible``; ``clean_update`` is the last guard, in the
   frame about to be written: the text of every segment loses its control characters
   (they take no cell, so the layout stays as it was drawn). Textual's own escape
   sequences (colours, cursor moves, links) are added when a strip is rendered, not kept
   in the segments' text, so they are untouched. Private: ``App._display`` (overridden)
   and the compositor's update classes ``LayoutUpdate`` and ``ChopsUpdate`` (their
   fields). Canaries: tests/ui/test_textual_fixes.py, tests/ui/test_controls_pty.py.
2. **Keys that follow a tab in one terminal read go to the widget that had the focus**
   (docs/upstream/keys-after-tab-go-to-the-old-widget.md). The fix is ui/keyburst.py
   (public API), but for one question Textual has no public answer to: has a message
   pump messages waiting? ``pump_has_messages`` reads ``MessagePump._message_queue``
   (Textual's ``textual._queue.Queue``). Canaries: tests/ui/test_textual_fixes.py,
   tests/ui/test_key_burst.py, tests/cli/test_cli_key_burst.py.

Nothing else of the app reads or overrides a private name of Textual (tests/ui/
test_textual_fixes.py checks that too).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeGuard

from rich.segment import Segment
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.message_pump import MessagePump
from textual.strip import Strip

from ..safetext import CONTROL

# ---------------------------------------------------------------------------- 1. control characters


def _clean_strip(strip: Strip) -> Strip:
    segments = []
    for segment in strip:
        text, style, control = segment
        if not control and CONTROL.search(text):
            segment = Segment(CONTROL.sub("", text), style)
        segments.append(segment)
    return Strip(segments)


def _dirty(strip: Strip | None) -> TypeGuard[Strip]:
    return strip is not None and CONTROL.search(strip.text) is not None


def clean_update(renderable: Any) -> Any:
    """The update with no control character in the text of its strips (the same object when
    it holds none, the usual case: one search of each strip's text)."""
    if isinstance(renderable, LayoutUpdate):
        if any(_dirty(strip) for line in renderable.strips for strip in line):
            lines: list[Iterable[Strip]] = [
                [_clean_strip(s) if _dirty(s) else s for s in line] for line in renderable.strips
            ]
            return LayoutUpdate(lines, renderable.region)
    elif isinstance(renderable, ChopsUpdate) and any(
        _dirty(strip) for line in renderable.chops for strip in line.values()
    ):
        chops = [{x: (_clean_strip(s) if _dirty(s) else s) for x, s in line.items()} for line in renderable.chops]
        return ChopsUpdate(chops, renderable.spans, renderable.chop_ends)
    return renderable


# ---------------------------------------------------------------------------- 2. the key burst's question


def pump_has_messages(pump: MessagePump) -> bool:
    """Are messages waiting in the pump's queue (not yet taken to be handled)?"""
    return not pump._message_queue.empty()  # noqa: SLF001 - workaround 2 (module docstring)


# ---------------------------------------------------------------------------- 1: the App


class TextualFixes:
    """Mixin for the App (before ``App`` in the bases): workaround 1 of the module docstring."""

    def _display(self, screen: Any, renderable: Any) -> None:
        super()._display(screen, clean_update(renderable))  # type: ignore[misc]
