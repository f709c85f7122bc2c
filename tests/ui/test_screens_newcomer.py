"""Forms and tables a newcomer gets right (issue 12, section 3), driven by key presses.

Esc on a changed form asks before discarding it (on an unchanged one it closes at once);
a refused save (a problem in the values, a teammate's conflicting change, a store error,
an error nobody expected) keeps everything typed in the form.
"""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Input, Label

from tui_advisor.store import Store
from tui_advisor.ui.screens.dialogs import ConflictScreen, DiscardScreen
from tui_advisor.ui.screens.form import FormScreen
from tui_advisor.workspace import StoreError

SIZE = (120, 40)


def plain(value: object) -> str:
    return getattr(value, "plain", None) or str(value)


def question(screen: object) -> str:
    return " ".join(plain(label.render()) for label in screen.query(Label))  # type: ignore[attr-defined]


async def edit_invoice(ui, key: str = "inv-0003") -> None:
    await ui.goto("invoices")
    ui.select_row("invoices", key)
    await ui.open_form("e")


# --------------------------------------------------------------------------- Esc on a form


async def test_esc_on_an_unchanged_form_closes_it_at_once(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await edit_invoice(ui)
        await pilot.press("escape")
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to close")
        assert not isinstance(ui.screen, DiscardScreen)
        await ui.open_form("a")  # a new record's form, untouched: the same
        await pilot.press("escape")
        await ui.wait_until(lambda: not ui.form_is_open(), "the new form to close")
        assert not isinstance(ui.screen, DiscardScreen)


async def test_esc_on_a_changed_form_asks_and_keeps_editing_or_discards(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = ui.file_bytes()
        await edit_invoice(ui)
        await ui.fill("amount", "9999")
        await pilot.press("escape")
        await ui.wait_until(lambda: isinstance(ui.screen, DiscardScreen), "the question")
        assert question(ui.screen) == "Discard your changes to this invoice?"
        await pilot.press("escape")  # esc again: keep editing, nothing lost
        await ui.wait_until(ui.form_is_open, "the form again")
        assert ui.widget("amount").value == "9999"
        await pilot.press(*"1")  # the cursor is back in the field it was in
        assert ui.widget("amount").value == "99991"
        await pilot.press("escape")
        await ui.wait_until(lambda: isinstance(ui.screen, DiscardScreen), "the question again")
        await pilot.press("d")
        await ui.wait_until(lambda: not ui.form_is_open() and not isinstance(ui.screen, DiscardScreen), "the close")
        assert ui.file_bytes() == before  # discarded: nothing was stored
        # typing a change back to what it was leaves the form unchanged: esc closes it at once
        await ui.open_form("e")
        await ui.fill("amount", "12")
        await ui.fill("amount", ui.form._opened_with["amount"])
        await pilot.press("escape")
        await ui.wait_until(lambda: not ui.form_is_open(), "the form to close")
        assert not isinstance(ui.screen, DiscardScreen)


async def test_a_new_record_with_a_picked_value_asks_too(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await ui.goto("engagements")
        await ui.open_form("a")
        await ui.pick("client", "Lumen")
        await pilot.press("escape")
        await ui.wait_until(lambda: isinstance(ui.screen, DiscardScreen), "the question")
        assert question(ui.screen) == "Discard your changes to this new engagement?"
        await pilot.press("k")
        await ui.wait_until(ui.form_is_open, "the form again")
        assert ui.widget("client").value == "c-lumen"


# --------------------------------------------------------------------------- a refused save keeps the input


def typed(ui) -> dict[str, object]:
    return {name: value for name, value in ui.form.typed().items()}


async def test_a_save_refused_for_its_values_keeps_what_was_typed(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = ui.file_bytes()
        await edit_invoice(ui)
        await ui.fill("amount", "4321")
        await ui.fill("paid", "2020-01-01")  # before the issue date: the core's rule refuses it
        shown = typed(ui)
        await ui.save()
        assert ui.form_is_open()
        assert "issue date" in ui.hint("paid")
        assert typed(ui) == shown
        assert ui.file_bytes() == before


async def test_a_save_refused_by_the_store_keeps_what_was_typed(demo_app, driver, monkeypatch) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = ui.file_bytes()
        store = ui.app.workspace.store

        def refuse(*args, **kwargs):
            raise StoreError(store.path, "the disk is full")

        monkeypatch.setattr(store, "put", refuse)
        await edit_invoice(ui)
        await ui.fill("amount", "4321")
        shown = typed(ui)
        await ui.save()
        await ui.changes_stored()
        assert ui.form_is_open()
        assert "the disk is full" in ui.form_errors() and "still here" in ui.form_errors()
        assert typed(ui) == shown
        assert ui.file_bytes() == before
        monkeypatch.undo()
        await ui.save_ok()  # ctrl+s again, now it can be stored: what was typed is stored
        assert next(i for i in ui.stored().invoices if i.id == "inv-0003").amount == 4321


async def test_an_unexpected_error_while_checking_keeps_what_was_typed(demo_app, driver, monkeypatch) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await edit_invoice(ui)
        await ui.fill("amount", "4321")
        shown = typed(ui)

        def broken(*args, **kwargs):
            raise KeyError("something nobody expected")

        monkeypatch.setattr(ui.form, "save_function", broken)
        await ui.save()
        assert ui.form_is_open() and ui.app.is_running
        assert "KeyError" in ui.form_errors()
        assert typed(ui) == shown


async def test_a_teammates_change_in_between_keeps_what_was_typed(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        await edit_invoice(ui)
        await ui.fill("amount", "4321")
        shown = typed(ui)
        teammate = Store(ui.app.workspace.store.path)
        old = next(i for i in teammate.load().invoices if i.id == "inv-0003")
        teammate.put("invoices", replace(old, amount=1111))
        await ui.save()
        await ui.wait_until(lambda: isinstance(ui.screen, ConflictScreen), "the conflict dialog")
        await pilot.press("escape")  # keep editing
        await ui.wait_until(ui.form_is_open, "the form again")
        assert typed(ui) == shown
        assert isinstance(ui.screen, FormScreen) and isinstance(ui.widget("amount"), Input)
