"""Canaries of tui_advisor/ui/textual_fixes.py: the app's only uses of Textual's private API.

Each test here fails when Textual changes what a workaround relies on (a private name
goes or changes shape), or when Textual fixes the bug a workaround is for (an
``xfail(strict=True)`` that starts to pass: the workaround can go), or when another
module of the app starts to use Textual's private API.
"""

from __future__ import annotations

import ast
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.segment import Segment
from textual import events
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.geometry import Region
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, Select, Static

import tui_advisor
from tui_advisor.ui import textual_fixes
from tui_advisor.ui.app import AdvisorApp
from upstream import upstream_script

PACKAGE = Path(tui_advisor.__file__).resolve().parent
REPO = PACKAGE.parent
UPSTREAM = REPO / "docs" / "upstream"
CONTROLS_UPSTREAM = UPSTREAM / "control-characters-in-widget-text-reach-the-terminal.md"


# --------------------------------------------------------------------------- the private names still there


def test_textual_still_has_what_the_control_guard_overrides_and_reads() -> None:
    """Workaround 1 overrides ``App._display(screen, renderable)`` and rebuilds the
    compositor's ``LayoutUpdate(strips, region)`` and ``ChopsUpdate(chops, spans, chop_ends)``."""
    from textual._compositor import ChopsUpdate, LayoutUpdate

    assert list(inspect.signature(App._display).parameters) == ["self", "screen", "renderable"]
    assert AdvisorApp._display is textual_fixes.TextualFixes._display  # the guard is on the app's path
    strip = Strip([Segment("x")])
    layout = LayoutUpdate([[strip]], Region(0, 0, 1, 1))
    assert layout.strips == [[strip]] and layout.region == Region(0, 0, 1, 1)
    chops = ChopsUpdate([{0: strip}], [(0, 0, 1)], [[1]])
    assert (chops.chops, chops.spans, chops.chop_ends) == ([{0: strip}], [(0, 0, 1)], [[1]])


async def test_textual_still_has_the_message_queue_the_key_burst_reads() -> None:
    """Workaround 2 asks ``MessagePump._message_queue.empty()``: false while a message waits."""

    class Bare(App[None]):
        def compose(self):
            yield Input(id="field")

    app = Bare()
    async with app.run_test() as pilot:
        field = app.query_one("#field", Input)
        await pilot.pause()
        assert not textual_fixes.pump_has_messages(field)
        field.post_message(events.Key("x", "x"))
        assert textual_fixes.pump_has_messages(field)
        await pilot.pause()
        assert not textual_fixes.pump_has_messages(field) and field.value == "x"
    assert isinstance(field, MessagePump)


# --------------------------------------------------------------------------- the bugs still there


def test_the_controls_write_up_is_short_and_runs_bare_textual(tmp_path: Path) -> None:
    text = upstream_script(CONTROLS_UPSTREAM, tmp_path).read_text(encoding="utf-8")
    assert "tui_advisor" not in text and "from textual" in text  # nothing of ours: a report for Textual
    assert len(text.splitlines()) <= 45
    doc = CONTROLS_UPSTREAM.read_text(encoding="utf-8")
    for part in ("Summary", "Reproduction", "Cause", "Workaround", "textual_fixes.py", "Textualize/textual"):
        assert part in doc, part


@pytest.mark.xfail(
    strict=True,
    reason="Textual 8.2.8 writes a label's control characters to the terminal raw "
    "(docs/upstream/control-characters-in-widget-text-reach-the-terminal.md). If this passes, "
    "Textual fixed it: textual_fixes.clean_update can go (safetext stays).",
)
def test_bare_textual_keeps_a_labels_control_characters_off_the_terminal(tmp_path: Path) -> None:
    script = upstream_script(CONTROLS_UPSTREAM, tmp_path)
    env = dict(os.environ, TERM="xterm-256color")
    proc = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if "reaches the terminal raw:" in line]
    assert len(lines) == 4, proc.stdout
    assert all(line.endswith("False") for line in lines), proc.stdout


# --------------------------------------------------------------------------- nothing else of the app


def _private(names) -> set[str]:
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def _textual_private_names(cls: type = object) -> set[str]:
    """The private names (one leading underscore) of Textual's classes in ``cls``'s bases,
    or, by default, of the Textual classes the app builds on, their instances' too."""
    bases = [k for k in cls.__mro__ if k.__module__.startswith("textual.")]
    if cls is object:
        bases = [
            k
            for c in (App, Screen, Widget, MessagePump, Footer, DataTable, Input, Select, Static, Stylesheet)
            for k in c.__mro__
            if k.__module__.startswith("textual.")
        ]
    names = set().union(*(_private(vars(k)) for k in bases)) if bases else set()
    if any(issubclass(k, App) for k in bases) or cls is object:
        names |= _private(vars(App()))
    if any(issubclass(k, Widget) for k in bases) or cls is object:
        names |= _private(vars(Widget())) | _private(vars(Input()))
    if any(issubclass(k, Stylesheet) for k in bases) or cls is object:
        names |= _private(vars(Stylesheet()))
    return names


def _set_on_self(cls_node: ast.ClassDef) -> set[str]:
    """What a class of ours defines: its body's names and the ``self._x = ...`` of its methods."""
    names = {n.name for n in cls_node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in ast.walk(cls_node):
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, (ast.AnnAssign, ast.AugAssign))
            else []
        )
        for t in targets:
            if isinstance(t, ast.Name) and node in cls_node.body:
                names.add(t.id)
            elif isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
                names.add(t.attr)
    return _private(names)


def test_no_other_module_of_the_app_uses_textuals_private_api() -> None:
    """Of the UI, only ui/textual_fixes.py imports a private module of Textual (``textual._x``),
    overrides or sets a private name of a Textual base class (``_display``, ``_bindings_ready``,
    ``_on_screen_resume``) or reads one (``_screen_stacks``, ``_get_breakpoint_classes``)."""
    import importlib

    private = _textual_private_names()
    assert {"_display", "_screen_stacks", "_message_queue", "_bindings_ready", "_batch_count", "_variables"} <= private
    found, ours = [], set()
    modules = []
    for path in sorted((PACKAGE / "ui").rglob("*.py")):  # the core never imports Textual (import-linter)
        if path.name != "textual_fixes.py":
            modules.append((path, ast.parse(path.read_text(encoding="utf-8"))))
    for path, tree in modules:
        where = path.relative_to(REPO)
        name = ".".join(path.relative_to(REPO).with_suffix("").parts)
        module = importlib.import_module(name)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                ours.add(node.name)
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("textual"):
                if any(part.startswith("_") for part in node.module.split(".")):
                    found.append(f"{where}:{node.lineno}: from {node.module} import")
            elif isinstance(node, ast.Import):
                found += [
                    f"{where}:{node.lineno}: import {a.name}"
                    for a in node.names
                    if a.name.startswith("textual") and any(p.startswith("_") for p in a.name.split("."))
                ]
            elif isinstance(node, ast.ClassDef) and isinstance(getattr(module, node.name, None), type):
                defined = _set_on_self(node)
                ours |= defined
                shadowed = defined & _textual_private_names(getattr(module, node.name))
                found += [f"{where}:{node.lineno}: {node.name}.{n} (Textual's)" for n in sorted(shadowed)]
    for path, tree in modules:
        where = path.relative_to(REPO)
        found += [
            f"{where}:{node.lineno}: .{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in private - ours
        ]
    assert found == [], "\n".join(found)
