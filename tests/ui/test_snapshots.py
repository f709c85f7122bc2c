"""Snapshots of three screens, to catch changes in what the user sees.

Each snapshot is the app on a copy of the demo agency (conftest's ``demo_app``: the
date fixed, the data file in ``tmp_path``; its path is not shown on these screens),
the Input cursor frozen. Regenerate after a deliberate change with
``pytest tests/ui/test_snapshots.py --snapshot-update`` and look at the new SVGs in
``__snapshots__/`` before committing them.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Input

from tui_advisor.ui.app import AdvisorApp
from tui_advisor.ui.screens.advice import AdviceScreen
from tui_advisor.ui.screens.dashboard import DashboardScreen
from tui_advisor.ui.screens.form import FormScreen
from waiting import wait_until


def test_dashboard(snap_compare: Any, demo_app: AdvisorApp) -> None:
    async def run_before(pilot: Any) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, DashboardScreen), "the dashboard")
        # the trends come after the first frame (a month end's advice, in a thread): wait for them
        card = lambda: str(pilot.app.screen.query_one("#card-cash").render())  # noqa: E731
        await wait_until(pilot, lambda: "since Oct" in card(), "the trends", 15)
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=(120, 40), run_before=run_before)


def test_engagement_form_with_errors(snap_compare: Any, demo_app: AdvisorApp) -> None:
    """Add engagement, ctrl+s at once (no client picked), then a price that is no number (12500 euros: a
    currency code such as EUR is read, a word is not)."""

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await pilot.press("6")
        await wait_until(pilot, lambda: app.current_mode == "engagements", "the engagements screen")
        await pilot.press("a")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, FormScreen) and len(app.screen.query(".field-row")) == len(app.screen.fields)
            ),
            "the engagement form",
        )
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)  # not saved
        app.screen.query_one("#f-price", Input).focus()
        await pilot.pause()
        await pilot.press(*"12500 euros")
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=run_before)


def test_advice(snap_compare: Any, demo_app: AdvisorApp) -> None:
    """The advice screen with the third recommendation (a rush fee) selected."""

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen), "the advice screen")
        await pilot.press("down", "down")
        await wait_until(pilot, lambda: app.screen.query_one("#advice", DataTable).cursor_row == 2, "the cursor")
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=(120, 40), run_before=run_before)
