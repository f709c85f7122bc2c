"""The records' new fields in the app, driven by key presses (issue 12, "Forms a newcomer gets
right"): a client archived with x leaves the invoice form's picker and the key-client advice and
stays in the table; deleting a client still in use offers the archive; the payment term fills a new
invoice's due date; a note is saved and shown when the form opens again; a name over its limit is
refused with the limit; "From rule" is a picker of the rules in force; an engagement's name is
what the invoice form's picker and the engagements table show.
"""

from __future__ import annotations

from datetime import date, timedelta

from textual.widgets import OptionList, Select, Static

from tui_advisor.ui.screens.base import AdvisorFooter
from tui_advisor.ui.screens.dialogs import ConfirmScreen

from .conftest import AS_OF, plain

WIDE = (140, 40)


def footer_keys(app) -> list[str]:
    return [key.description for key in app.screen.query_one(AdvisorFooter).query("FooterKey")]


async def picker_options(ui, name: str) -> list[str]:
    """What a Select of the form offers, read from its open list (enter opens it, escape closes it)."""
    select = ui.widget(name)
    assert isinstance(select, Select)
    await ui.focus(name)
    await ui.pilot.press("enter")
    await ui.wait_until(lambda: select.expanded, f"the list of #f-{name} to open")
    options = select.query_one(OptionList)
    shown = [plain(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    await ui.pilot.press("escape")
    await ui.wait_until(lambda: not select.expanded, f"the list of #f-{name} to close")
    return shown


def key_client_titles(ui) -> list[str]:
    return [r.title for r in ui.app.workspace.advice.recommendations if r.pillar == "key_client"]


# ------------------------------------------------------------------ archived clients


async def test_an_archived_client_leaves_the_invoice_picker_and_the_key_client_advice(make_app, driver) -> None:
    app = make_app("one_client_70")
    async with app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        assert any(t.startswith("Polder Telecom is 86% of revenue") for t in key_client_titles(ui))
        await ui.goto("clients")
        assert "Archive" in footer_keys(ui.app)  # the clients table says its key
        ui.select_row("clients", "c-polder")
        await pilot.press("x")
        await ui.changes_stored()
        assert ui.stored().clients[0].archived == AS_OF  # archived as of the day the app runs on
        assert "Archived client Polder Telecom" in ui.notifications()[-1][1]
        # still in the table, shown as archived
        index = ui.row_keys().index(repr("c-polder"))
        row = ui.rows()[index]
        assert row[0] == "Polder Telecom" and AS_OF.isoformat() in row
        name = ui.table.get_row_at(index)[0]
        assert any(str(span.style) == "dim" for span in name.spans)  # dimmed
        other = ui.table.get_row_at(ui.row_keys().index(repr("c-kaasboer")))[0]
        assert not any(str(span.style) == "dim" for span in other.spans)
        # out of the advice ahead: the key-client risk is judged on the current clients
        titles = key_client_titles(ui)
        assert titles and not any("Polder" in t for t in titles), titles
        assert any(t.startswith("Kaasboer de Vries is") for t in titles), titles
        # out of the invoice form's client picker
        await ui.goto("invoices")
        await ui.open_form("a")
        clients = await picker_options(ui, "client")
        assert "Kaasboer de Vries" in clients and not any("Polder" in c for c in clients), clients
        engagements = await picker_options(ui, "engagement")
        assert not any("Polder" in e for e in engagements), engagements
        await ui.cancel()
        # x again brings it back
        await ui.goto("clients")
        ui.select_row("clients", "c-polder")
        await pilot.press("x")
        await ui.changes_stored()
        assert ui.stored().clients[0].archived is None, ui.notifications()[-2:]
        assert any(t.startswith("Polder Telecom is 86%") for t in key_client_titles(ui))


async def test_editing_an_invoice_of_an_archived_client_keeps_its_client(make_app, driver) -> None:
    app = make_app("one_client_70")
    async with app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        await ui.goto("clients")
        ui.select_row("clients", "c-polder")
        await pilot.press("x")
        await ui.changes_stored()
        await ui.goto("invoices")
        invoice = next(i for i in ui.app.workspace.data.invoices if i.client == "c-polder")
        ui.select_row("invoices", invoice.id)
        await ui.open_form("e")
        assert ui.widget("client").value == "c-polder"  # offered to the record that has it, marked
        assert "Polder Telecom (archived)" in await picker_options(ui, "client")
        await ui.fill("note", "paid in two parts")
        await ui.save_ok()
        stored = next(i for i in ui.stored().invoices if i.id == invoice.id)
        assert (stored.client, stored.note) == ("c-polder", "paid in two parts")


async def test_deleting_a_client_in_use_offers_to_archive_it(demo_app, driver) -> None:
    async with demo_app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        await ui.goto("clients")
        ui.select_row("clients", "c-harbor")
        await pilot.press("d")
        await ui.wait_until(lambda: isinstance(ui.screen, ConfirmScreen), "the question")
        question = plain(ui.screen.query_one(".dialog-text", Static).render())
        assert "Harbor & Lane Outfitters is still used by 2 engagements and" in question
        assert "cannot be deleted" in question and "Archive it instead?" in question
        await ui.confirm("y")
        harbor = next(c for c in ui.stored().clients if c.id == "c-harbor")
        assert harbor.archived == AS_OF
        assert repr("c-harbor") in ui.row_keys()  # archived, not deleted
        # deleting it again says it stays archived, and deletes nothing
        before = ui.file_bytes()
        ui.select_row("clients", "c-harbor")
        await pilot.press("d")
        await pilot.pause()
        title, message, _ = ui.notifications()[-1]
        assert title == "Archived already" and "still used by" in message
        assert ui.file_bytes() == before


# ------------------------------------------------------------------ the payment term


async def test_the_payment_term_fills_a_new_invoices_due_date(demo_app, driver) -> None:
    async with demo_app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        # the profile shows the term and takes a new one
        await ui.goto("profile")
        await ui.open_form("e")
        assert ui.widget("payment_term_days").value == "30"
        assert ui.hint("payment_term_days") == "days a client has to pay; fills an invoice's due date"
        await ui.fill("payment_term_days", "14")
        await ui.save_ok()
        assert ui.stored().agency.payment_term_days == 14
        await ui.goto("invoices")
        await ui.open_form("a")
        # the issue date starts at today, and the due date 14 days later, saying where it came from
        assert ui.widget("issued").value == AS_OF.isoformat()
        due = AS_OF + timedelta(days=14)
        assert ui.widget("due").value == due.isoformat()
        assert ui.hint("due").endswith("due filled from the payment term (14 days)")
        # a new issue date moves it along
        await ui.fill("issued", "01-12-2026")
        await ui.wait_until(lambda: ui.widget("due").value == "2026-12-15", "the due date to follow")
        assert "due filled from the payment term (14 days)" in ui.hint("due")
        # typed over, it is the user's: a new issue date leaves it alone
        await ui.fill("due", "2026-12-31")
        assert "payment term" not in ui.hint("due")
        await ui.fill("issued", "02-12-2026")
        await pilot.pause()
        assert ui.widget("due").value == "2026-12-31"
        await ui.pick("client", "ACME")
        await ui.fill("amount", "1200")
        await ui.save_ok()
        saved = [i for i in ui.stored().invoices if i.issued == date(2026, 12, 2)]
        assert [(i.client, i.due) for i in saved] == [("c-acme", date(2026, 12, 31))]


async def test_an_invoice_saved_with_the_filled_due_date_stores_it(demo_app, driver) -> None:
    async with demo_app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        await ui.goto("invoices")
        await ui.open_form("a")
        await ui.pick("client", "ACME")
        await ui.fill("amount", "800")
        await ui.save_ok()
        (saved,) = [i for i in ui.stored().invoices if i.amount == 800 and i.issued == AS_OF]
        assert saved.due == AS_OF + timedelta(days=30)  # the default term


# ------------------------------------------------------------------ notes, lengths, hints


async def test_a_note_is_saved_and_shown_when_the_form_opens_again(demo_app, driver) -> None:
    async with demo_app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        await ui.goto("clients")
        ui.select_row("clients", "c-maple")
        await ui.open_form("e")
        assert ui.widget("note").value == ""
        assert ui.hint("note") == "anything worth remembering about it"
        await ui.fill("note", "Owner is Ria; invoices to the shop address")
        await ui.save_ok()
        assert next(c for c in ui.stored().clients if c.id == "c-maple").note == (
            "Owner is Ria; invoices to the shop address"
        )
        assert not any("Owner is Ria" in cell for row in ui.rows() for cell in row)  # not in the table
        ui.select_row("clients", "c-maple")
        await ui.open_form("e")
        assert ui.widget("note").value == "Owner is Ria; invoices to the shop address"
        await ui.cancel()


async def test_a_name_over_its_limit_is_refused_with_the_limit(demo_app, driver) -> None:
    async with demo_app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        await ui.goto("clients")
        before = ui.file_bytes()
        await ui.open_form("a")
        await ui.fill("name", "N" * 121)
        assert ui.hint("name") == "Name is too long: at most 120 characters, got 121"
        await ui.save()
        assert ui.form_is_open() and "1 field to fix" in ui.form_errors()
        assert ui.file_bytes() == before
        await pilot.press("backspace")  # 120: fine
        await ui.wait_until(lambda: "too long" not in ui.hint("name"), "the hint to clear")
        await ui.save_ok()
        assert any(c.name == "N" * 120 for c in ui.stored().clients)


async def test_the_fields_a_newcomer_does_not_know_have_a_hint(demo_app, driver) -> None:
    async with demo_app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        await ui.goto("inquiries")
        await ui.open_form("a")
        assert "won, lost or declined" in ui.hint("decided")
        assert "budget" in ui.hint("budget_ok") and "not judged" in ui.hint("budget_ok")
        assert "1 (not at all) to 5" in ui.hint("industry_fit")
        assert "delivered" in ui.hint("deadline")
        await ui.cancel()
        await ui.goto("engagements")
        await ui.open_form("a")
        assert "End" in ui.hint("deadline") and "deadline" in ui.hint("end")
        await ui.cancel()


# ------------------------------------------------------------------ the rule picker


async def test_from_rule_is_a_picker_of_the_rules_in_force(demo_app, driver) -> None:
    async with demo_app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        await ui.goto("actions")
        await ui.open_form("a")
        assert isinstance(ui.widget("rule"), Select)  # no free text to mistype
        assert not ui.form.query("Input#f-rule")
        rules = await picker_options(ui, "rule")
        ids = {r.id for r in ui.app.workspace.rulebook.ruleset.rules}
        assert rules[0] == "(none)"  # empty is allowed
        assert {label.split()[0] for label in rules[1:]} == ids
        assert any(label.startswith("KEY001  … is … of revenue") for label in rules), rules[:5]
        await ui.fill("title", "Win two mid-sized clients")
        await ui.pick("rule", "KEY001")
        await ui.save_ok()
        (action,) = [a for a in ui.stored().actions if a.title == "Win two mid-sized clients"]
        assert action.rule == "KEY001"


# ------------------------------------------------------------------ engagement names


async def test_an_engagements_name_is_what_the_picker_and_the_table_show(demo_app, driver) -> None:
    async with demo_app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        await ui.goto("engagements")
        assert "Name" in [plain(c.label) for c in ui.table.columns.values()]
        ui.select_row("engagements", "e-acme-retainer")
        await ui.open_form("e")
        await ui.fill("name", "Website care")
        await ui.save_ok()
        row = ui.rows()[ui.row_keys().index(repr("e-acme-retainer"))]
        assert "Website care" in row
        await ui.goto("invoices")
        await ui.open_form("a")
        await ui.pick("client", "ACME")
        options = await picker_options(ui, "engagement")
        assert "ACME [Ltd]: Website care" in options and not any("e-acme-retainer" in o for o in options)
        await ui.cancel()


async def test_a_payment_term_over_ten_years_is_refused_with_the_limit(demo_app, driver) -> None:
    async with demo_app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        await ui.goto("profile")
        before = ui.file_bytes()
        await ui.open_form("e")
        await ui.fill("payment_term_days", "999999999999")
        assert ui.hint("payment_term_days") == "Payment term (days) must be at most 3.650"  # the EUR style
        await ui.save()
        assert ui.form_is_open() and ui.file_bytes() == before
        await ui.fill("payment_term_days", "3650")
        await pilot.press("ctrl+s")
        await pilot.pause()
        if ui.form_is_open():  # "is this right?" once: ctrl+s again saves it as typed
            await ui.save_ok()
        await ui.wait_until(lambda: ui.stored().agency.payment_term_days == 3650, "the term stored")
        await ui.goto("invoices")
        await ui.open_form("a")
        assert ui.widget("due").value == (AS_OF + timedelta(days=3650)).isoformat()
        await ui.cancel()
