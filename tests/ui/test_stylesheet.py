"""A theme change restyles every screen, the one in front and those opened before."""

from __future__ import annotations

from tui_advisor.ui.app import AdvisorApp
from tui_advisor.ui.screens.dashboard import DashboardScreen

SIZE = (120, 40)


def background(app: AdvisorApp) -> str:
    return str(app.screen.styles.background)


async def test_a_theme_change_restyles_every_screen(demo_app: AdvisorApp, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app, ui = pilot.app, driver(pilot)
        await ui.wait_until(lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        dark = background(app)
        app.theme = "textual-light"
        await ui.wait_until(lambda: background(app) != dark, "the light theme's background")
        await ui.goto("clients")
        light = background(app)
        assert light != dark
        app.theme = "textual-dark"
        await ui.wait_until(lambda: background(app) == dark, "the dark background again")
        await ui.goto("dashboard")
        assert background(app) == dark
