"""The footer: the keys of the screen in front, rebuilt once however often the bindings change."""

from __future__ import annotations

from tui_advisor.ui.app import AdvisorApp
from tui_advisor.ui.screens.base import AdvisorFooter
from tui_advisor.ui.screens.dashboard import DashboardScreen
from tui_advisor.ui.screens.records import RecordsScreen

SIZE = (120, 40)


def footer_keys(app: AdvisorApp) -> list[str]:
    """The descriptions the footer of the screen in front shows, left to right."""
    footer = app.screen.query_one(AdvisorFooter)
    return [key.description for key in footer.query("FooterKey")]  # Textual's FooterKey widgets


async def test_the_footer_shows_the_keys_of_each_screen(demo_app: AdvisorApp, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app, ui = pilot.app, driver(pilot)
        await ui.wait_until(
            lambda: isinstance(app.screen, DashboardScreen) and footer_keys(app), "the dashboard's footer"
        )
        assert footer_keys(app)[:5] == ["Review", "Dashboard", "Advice", "Help", "Quit"]
        await pilot.press("5")
        await ui.wait_until(
            lambda: isinstance(app.screen, RecordsScreen) and "Add" in footer_keys(app), "the clients screen's footer"
        )
        assert {"Add", "Edit", "Delete", "Filter"} <= set(footer_keys(app))  # s sort, u undo: in the info line
        await pilot.press("1")
        await ui.wait_until(lambda: isinstance(app.screen, DashboardScreen), "the dashboard again")
        await ui.wait_until(lambda: "Add" not in footer_keys(app), "the dashboard's keys in its footer")
        assert footer_keys(app)[:5] == ["Review", "Dashboard", "Advice", "Help", "Quit"]


async def test_many_changes_of_the_bindings_rebuild_the_footer_once(demo_app: AdvisorApp, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app, ui = pilot.app, driver(pilot)
        await ui.wait_until(
            lambda: isinstance(app.screen, DashboardScreen) and footer_keys(app), "the dashboard's footer"
        )
        await pilot.pause()
        footer = app.screen.query_one(AdvisorFooter)
        rebuilds = 0
        recompose = footer.recompose

        async def counting_recompose() -> None:
            nonlocal rebuilds
            rebuilds += 1
            await recompose()

        footer.recompose = counting_recompose  # type: ignore[method-assign]
        for _ in range(3):
            app.screen.refresh_bindings()  # what a mount, a focus change and a keymap each do
        await ui.wait_until(lambda: rebuilds >= 1, "the footer's rebuild")
        await pilot.pause(0.2)
        assert rebuilds == 1
        assert footer_keys(app)[:5] == ["Review", "Dashboard", "Advice", "Help", "Quit"]
