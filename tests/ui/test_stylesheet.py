"""The app parses its CSS once, and again only when a theme changes its variables.

Textual parsed ``app.tcss`` and every widget's default CSS three times while the
dashboard started (refresh_css empties the parse cache and re-parses from scratch),
~10 ms of the first frame; ``AdvisorStylesheet`` keeps what was parsed with the same
variables.
"""

from __future__ import annotations

from typing import Any

import pytest
import textual.css.stylesheet as stylesheet_mod
from textual.css.stylesheet import Stylesheet

from tui_advisor.ui.app import AdvisorApp, AdvisorStylesheet
from tui_advisor.ui.screens.dashboard import DashboardScreen

SIZE = (120, 40)


@pytest.fixture
def tcss_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times app.tcss was parsed (Textual's parse function, counted)."""
    parses: list[int] = []
    parse = stylesheet_mod.parse

    def counting(scope: str, css: str, read_from: Any, *args: Any, **kwargs: Any) -> Any:
        if str(read_from[0]).endswith("app.tcss"):
            parses.append(1)
        return parse(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(stylesheet_mod, "parse", counting)
    return parses


def background(app: AdvisorApp) -> str:
    return str(app.screen.styles.background)


async def test_starting_and_switching_screens_parse_the_css_once(demo_app: AdvisorApp, driver,
                                                                tcss_parses: list[int]) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app, ui = pilot.app, driver(pilot)
        await ui.wait_until(lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        assert isinstance(app.stylesheet, AdvisorStylesheet)
        for mode in ("advice", "clients", "profile", "dashboard"):
            await ui.goto(mode)
        assert len(tcss_parses) == 1


async def test_a_theme_change_still_restyles_every_screen(demo_app: AdvisorApp, driver,
                                                         tcss_parses: list[int]) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        app, ui = pilot.app, driver(pilot)
        await ui.wait_until(lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
        dark = background(app)
        app.theme = "textual-light"
        await ui.wait_until(lambda: background(app) != dark, "the light theme's background")
        assert len(tcss_parses) == 2  # the new variables: parsed again
        await ui.goto("clients")
        light = background(app)
        assert light != dark
        app.theme = "textual-dark"
        await ui.wait_until(lambda: background(app) == dark, "the dark background again")
        await ui.goto("dashboard")
        assert background(app) == dark


def test_textual_still_empties_its_parse_cache_when_the_variables_change() -> None:
    """AdvisorStylesheet relies on this: the cache only holds rules parsed with the current
    variables, so a re-parse with the same variables may use it (Textual is pinned exactly)."""
    sheet = Stylesheet(variables={"accent": "red"})
    sheet.add_source("Label { color: $accent; }", read_from=("test", "css"))
    sheet.parse()
    assert len(sheet._parse_cache) == 1
    sheet.set_variables({"accent": "blue"})
    assert len(sheet._parse_cache) == 0
    ours = AdvisorStylesheet(variables={"accent": "red"})
    ours.add_source("Label { color: $accent; }", read_from=("test", "css"))
    ours.reparse()
    red = ours.rules[0].styles.color
    ours.set_variables({"accent": "red"})  # the same: kept
    assert len(ours._parse_cache) == 1
    ours.set_variables({"accent": "blue"})
    ours.reparse()
    assert ours.rules[0].styles.color != red


def styles_of(screen: Any) -> dict[str, str]:
    """Every widget's styles from the CSS (its component styles too), by its place in the tree."""
    out: dict[str, str] = {}
    for i, node in enumerate(screen.walk_children(with_self=True)):
        key = f"{i}:{type(node).__name__}#{node.id}"
        out[key] = node._css_styles.css + "".join(
            f"\n[{name}] {styles.css}" for name, styles in sorted(node._component_styles.items()))
    return out


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_no_widget_is_left_with_stale_styles(demo_app: AdvisorApp, driver, size) -> None:
    """The app skips two of Textual's restyles (a screen's first resume, the inside of the
    dashboard when it takes the focus): every widget must still have the styles a full
    restyle gives it, on the first frame and after the screens change."""
    async with demo_app.run_test(size=size) as pilot:
        app, ui = pilot.app, driver(pilot)
        await ui.wait_until(lambda: isinstance(app.screen, DashboardScreen) and app.focused is not None,
                            "the dashboard, focused")
        for mode in ("dashboard", "clients", "advice", "dashboard"):
            await ui.goto(mode)
            await pilot.pause()
            before = styles_of(app.screen)
            app.stylesheet.update(app.screen, animate=False)  # restyle every widget from scratch
            assert styles_of(app.screen) == before, mode
        app.screen.query_one("#dashboard").blur()
        await pilot.pause()
        before = styles_of(app.screen)
        app.stylesheet.update(app.screen, animate=False)
        assert styles_of(app.screen) == before
