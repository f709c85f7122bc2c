"""Pilot tests: the invoice form's optional "Total incl. tax" (after Amount, with its help),
read and shown in the agency's number style like the amount; a typed total is saved, an empty
one is none (the amount is what the client owes).

The demo agency (Northwind Studio) is in EUR with no number style set: 1.234,56."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.widgets import Label

AS_OF = date(2026, 11, 26)  # the date the apps of tests/ui/conftest.py run on
SIZE = (100, 40)


def _labels(ui: Any) -> list[str]:
    return [str(label.render()).strip() for label in ui.form.query(".field-label").results(Label)]


async def test_the_form_saves_a_typed_total_and_shows_it_in_the_style(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = {i.id for i in ui.stored().invoices}
        await ui.goto("invoices")
        await ui.open_form("a")
        labels = _labels(ui)
        assert labels.index("Total incl. tax") == labels.index("Amount *") + 1  # optional, after Amount
        assert ui.hint("total") == "what the client pays, VAT included; empty: the amount"
        await ui.set("client", "c-acme")
        await ui.fill("amount", "3.500")
        await ui.fill("total", "4.235,5")
        assert ui.hint("total") == "read as 4.235,50 EUR"
        await ui.save_ok()
        (new,) = [i for i in ui.stored().invoices if i.id not in before]
        assert (new.amount, new.total) == (3500, 4235.5)

        ui.select_row("invoices", new.id)
        await ui.open_form("e")
        assert ui.widget("amount").value == "3.500"
        assert ui.widget("total").value == "4.235,50"  # as the amount is shown: grouped, in the style
        await ui.fill("total", "")  # emptied: no total, the amount is owed
        await ui.save_ok()
        (edited,) = [i for i in ui.stored().invoices if i.id == new.id]
        assert (edited.amount, edited.total) == (3500, None)


async def test_a_total_of_the_other_style_is_refused_with_its_reading(demo_app, driver) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        ui = driver(pilot)
        before = {i.id for i in ui.stored().invoices}
        await ui.goto("invoices")
        await ui.open_form("a")
        await ui.set("client", "c-acme")
        await ui.fill("amount", "3.500")
        await ui.fill("total", "4,235.50")
        assert ui.hint("total").startswith("Total incl. tax: 4,235.50 is not a number in the style 1.234,56")
        await ui.save()
        assert ui.form_is_open()
        assert not [i for i in ui.stored().invoices if i.id not in before]
