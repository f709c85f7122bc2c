"""Frames Textual drops while a batch of updates is open reach the terminal when it closes.

Textual renders the dashboard's first frame during its start-up batch and drops it,
while its compositor counts it as shown; the app keeps such frames (the last whole
frame and the partial updates after it) and writes them when the batch closes. On a
terminal only: the pty tests in tests/cli/test_cli_terminal.py run the real thing;
here the bookkeeping is checked with Textual's writing replaced by a list.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual._compositor import LayoutUpdate
from textual.app import App
from textual.geometry import Region

from tui_advisor.ui.app import AdvisorApp


class Frame:
    """A partial update (stands in for Textual's ChopsUpdate)."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch, demo_app: AdvisorApp) -> tuple[AdvisorApp, list[Any], Any]:
    """The app as on a terminal, its current screen, and what Textual writes (not what it drops)."""
    out: list[Any] = []

    def textual_display(self: App, screen: Any, renderable: Any) -> None:  # Textual's rule: nothing in a batch
        if renderable is not None and not self._batch_count:
            out.append(renderable)

    current = object()
    monkeypatch.setattr(App, "_display", textual_display)
    monkeypatch.setattr(AdvisorApp, "is_headless", property(lambda self: False))
    monkeypatch.setattr(AdvisorApp, "screen", property(lambda self: current))
    return demo_app, out, current


def whole() -> LayoutUpdate:
    return LayoutUpdate([], Region(0, 0, 120, 40))


def test_the_last_whole_frame_and_what_follows_are_written_when_the_batch_closes(written) -> None:
    app, out, screen = written
    first, full, after, elsewhere = Frame("first"), whole(), Frame("after"), Frame("elsewhere")
    app._begin_batch()
    app._display(screen, first)
    app._display(screen, full)  # covers "first"
    app._display(screen, after)
    app._display(object(), elsewhere)  # a screen no longer in front
    assert out == []  # nothing while the batch is open
    app._end_batch()
    assert out == [full, after]
    app._display(screen, Frame("later"))  # outside a batch: written at once, nothing held
    assert [str(f) for f in out[2:]] == ["later"]
    assert app._held_frames == []


def test_nested_batches_write_when_the_outer_one_closes(written) -> None:
    app, out, screen = written
    full = whole()
    app._begin_batch()
    app._begin_batch()
    app._display(screen, full)
    app._end_batch()
    assert out == []
    app._end_batch()
    assert out == [full]
