"""The last guard between the app's widgets and the terminal: no control character of a
text reaches the terminal raw.

Textual writes the text of a widget to the terminal as it is: an ESC, a C1 control (CSI
U+009B) or a bidi override in a label, a table cell or a notification is obeyed by the
terminal (an OSC 0 sets the window title, OSC 52 writes the clipboard); only BEL is
taken out (checked on a pty with Textual 8.2.8). The screens show such text through
``safetext.visible`` (``lit`` in screens/base.py, the notifications in AdvisorApp.notify),
which writes each control as a visible escape (``\\x1b``). This guard catches whatever
still holds one, in the frame about to be written: the text of every segment loses its
control characters (they take no cell, so the layout stays as it was drawn).

Textual's escape sequences (colours, cursor moves, links) are not in the segments' text
but added when a strip is rendered, so they are untouched.

Private Textual API, kept here: the compositor's update classes (LayoutUpdate,
ChopsUpdate) and the order of their fields, as AdvisorApp._display receives them
(Textual is pinned: tests/ui/test_controls_pty.py checks the guard on a real pty).
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.strip import Strip

from ..safetext import CONTROL


def _clean_strip(strip: Strip) -> Strip:
    segments = []
    for segment in strip:
        text, style, control = segment
        if not control and CONTROL.search(text):
            segment = Segment(CONTROL.sub("", text), style)
        segments.append(segment)
    return Strip(segments)


def _dirty(strip: Strip | None) -> bool:
    return strip is not None and CONTROL.search(strip.text) is not None


def clean_update(renderable: Any) -> Any:
    """The update with no control character in the text of its strips (the same object when
    it holds none, the usual case: one search of each strip's text)."""
    if isinstance(renderable, LayoutUpdate):
        if any(_dirty(strip) for line in renderable.strips for strip in line):
            lines = [[_clean_strip(s) if _dirty(s) else s for s in line] for line in renderable.strips]
            return LayoutUpdate(lines, renderable.region)
    elif isinstance(renderable, ChopsUpdate):
        if any(_dirty(strip) for line in renderable.chops for strip in line.values()):
            chops = [{x: (_clean_strip(s) if _dirty(s) else s) for x, s in line.items()}
                     for line in renderable.chops]
            return ChopsUpdate(chops, renderable.spans, renderable.chop_ends)
    return renderable
