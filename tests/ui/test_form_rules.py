"""Pilot tests: the form asks the core's domain rules, and says what the import says.

A won inquiry without its decision date: the form refuses it with the message of the
core's rule (model.record_problems), next to the field, word for word what an import
of such a file notes (tests/unit/test_kinds.py, tests/cli/test_cli_import_notes.py).
"""

from __future__ import annotations

from datetime import date

from tui_advisor import model

WIDE = (120, 40)


def _rule_message(status: str) -> str:
    record = model.Inquiry(id="q-x", received=date(2026, 11, 20), prospect="Initech", status=status)
    [problem] = model.record_problems("inquiries", record)
    return problem.message


async def test_the_form_shows_the_core_s_message_by_the_field(demo_app, driver) -> None:
    async with demo_app.run_test(size=WIDE) as pilot:
        ui = driver(pilot)
        await ui.goto("inquiries")
        stored = ui.file_bytes()
        await ui.open_form("a")
        await ui.fill("prospect", "Initech")
        await ui.pick("status", "won")
        await ui.save()
        assert ui.form_is_open() and ui.file_bytes() == stored
        assert ui.hint("decided") == f"Decided {_rule_message('won')}"
        assert ui.form_errors() == "Not saved: see the fields marked in red"
        await ui.pick("status", "declined")
        await ui.save()
        assert ui.hint("decided") == f"Decided {_rule_message('declined')}"
        await ui.fill("decided", "2026-11-26")
        await ui.save_ok()
        added = next(q for q in ui.stored().inquiries if q.prospect == "Initech")
        assert (added.status, added.decided) == ("declined", date(2026, 11, 26))
