"""Pilot tests of two (and three) teammates saving the same record: the field-level merge.

Sam and Ann (and Bob) each run the app on one data file (the helpers of test_teamwork.py:
real key presses, each app made the active one before its step). Both open the ACME
retainer's form before either saves:

* Sam changes the monthly fee, Ann the note; both save: both changes are stored, and Ann's
  app says it merged Sam's change;
* both change the fee (and the note): Ann's save shows the two fields side by side (theirs,
  yours, who), in the agency's number style; she keeps hers for the fee and Sam's for the
  note; the file holds that, her other change too, and the audit entry says whose change it
  replaced; Sam's app tells him so, once, and nobody else's;
* reload with typed changes says what is lost, and can keep them over the reloaded record.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from tui_advisor import paths
from tui_advisor.store import Store
from tui_advisor.ui.screens.dialogs import MergeScreen, ReloadScreen
from tui_advisor.ui.screens.form import FormScreen
from tui_advisor.ui.screens.help import HistoryScreen
from tui_advisor.ui.screens.records import RecordsScreen
from tui_advisor.workspace import read_document
from ui.test_teamwork import SIZE, Teammate, app_for, cursor_to, file_state, plain  # the two-sessions helpers

ENGAGEMENT = "e-acme-retainer"  # a retainer of 3.500 EUR a month, no note; the demo's style is 1.234,56


@pytest.fixture
def shared_file(tmp_path: Path) -> Path:
    """The demo agency in one data file (as test_teamwork's)."""
    path = tmp_path / "agency.json"
    Store(path).import_document(read_document(paths.sample_file("demo")), replace=True)
    return path


def stored(path: Path):
    return next(e for e in Store(path).load().engagements if e.id == ENGAGEMENT)


async def open_engagement(ui: Teammate) -> None:
    await ui.press("6")
    await ui.wait_until(lambda: ui.app.current_mode == "engagements" and isinstance(ui.screen, RecordsScreen), "6")
    await cursor_to(ui, ENGAGEMENT)
    await ui.open_form("e")


def toasts(ui: Teammate) -> list[str]:
    return [f"{title}: {message}" for title, message, _ in ui.notifications()]


def merge_rows(ui: Teammate) -> list[list[str]]:
    table = ui.screen.query_one("#merge-table", DataTable)
    return [[plain(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def screen_text(ui: Teammate) -> str:
    return " ".join(plain(w.render()) for w in ui.screen.query(Static))


async def save_into_clash(ui: Teammate) -> None:
    await ui.press("ctrl+s")
    await ui.wait_until(lambda: isinstance(ui.screen, MergeScreen), "the side-by-side dialog")


async def test_changes_to_different_fields_of_one_record_are_both_stored(shared_file: Path) -> None:
    a, b = app_for(shared_file, "sam"), app_for(shared_file, "ann")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        sam, ann = Teammate(pa), Teammate(pb)
        await open_engagement(sam)
        await open_engagement(ann)
        await sam.fill("monthly_fee", "3750")
        await ann.fill("note", "renewal talk in January")
        await sam.save_ok()
        assert stored(shared_file).monthly_fee == 3750
        await ann.wait_until(lambda: b.workspace.revision == Store(shared_file).revision(), "Ann's app to read it")
        assert ann.widget("note").value == "renewal talk in January"  # her form as typed

        await ann.save_ok()  # no question: it merges
        on_file = stored(shared_file)
        assert (on_file.monthly_fee, on_file.note) == (3750, "renewal talk in January")
        assert "Merged: Saved, merged with sam's change to Monthly fee." in toasts(ann)
        assert not any(isinstance(s, MergeScreen) for s in b.screen_stack)
        entry = Store(shared_file).last_entry()
        assert entry["by"] == "ann" and "overwrote" not in entry
        # and Sam's app shows Ann's note, his fee kept
        await sam.wait_until(
            lambda: (
                next(e for e in a.workspace.data.engagements if e.id == ENGAGEMENT).note == "renewal talk in January"
            ),
            "Sam's app to read Ann's merged save",
        )


async def test_the_same_field_shows_theirs_and_yours_and_the_teammate_is_told(shared_file: Path) -> None:
    a, b, c = app_for(shared_file, "sam"), app_for(shared_file, "ann"), app_for(shared_file, "bob")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb, c.run_test(size=SIZE) as pc:
        sam, ann, bob = Teammate(pa), Teammate(pb), Teammate(pc)
        await open_engagement(sam)
        await open_engagement(ann)
        await sam.fill("monthly_fee", "3750")
        await sam.fill("note", "sam: raise in Q1")
        await ann.fill("monthly_fee", "4250,50")
        await ann.fill("note", "ann: keep the fee")
        await ann.fill("hours_per_week", "9")  # hers only: kept whatever she chooses
        await sam.save_ok()
        before = file_state(shared_file)

        await save_into_clash(ann)
        assert file_state(shared_file) == before  # nothing written while she chooses
        rows = merge_rows(ann)
        assert [r[0] for r in rows] == ["Monthly fee", "Note"]
        assert rows[0][1:3] == ["3.750", "4.250,50"]  # theirs, yours: the agency's style, as the form shows it
        assert rows[1][1:3] == ["sam: raise in Q1", "ann: keep the fee"]
        assert all(r[3] == "t or y?" and r[4].startswith("sam, ") for r in rows)
        text = screen_text(ann)
        assert "sam changed this engagement" in text and "You both changed these 2 fields" in text
        assert "Kept either way: your change to Hours per week." in text

        await ann.press("ctrl+s")  # nothing chosen yet: says so, writes nothing
        await ann.wait_until(lambda: "Choose theirs (t) or yours (y) for Monthly fee, Note" in screen_text(ann), "ask")
        assert file_state(shared_file) == before

        await ann.press("y")  # the fee: hers (the cursor moves on to the note)
        await ann.press("t")  # the note: Sam's
        assert [r[3] for r in merge_rows(ann)] == ["yours", "theirs"]
        sam_read = a.workspace.revision
        await ann.press("ctrl+s")
        await ann.wait_until(lambda: not isinstance(ann.screen, (MergeScreen, FormScreen)), "the save")
        on_file = stored(shared_file)
        assert (on_file.monthly_fee, on_file.note, on_file.hours_per_week) == (4250.5, "sam: raise in Q1", 9)
        entry = Store(shared_file).last_entry()
        assert entry["by"] == "ann"
        assert entry["overwrote"] == [
            {"user": "sam", "kind": "engagements", "key": ENGAGEMENT, "fields": ["monthly_fee"]}
        ]

        # Sam is told, on his app's next poll, once; Bob (whose change it was not) and Ann are not
        told = "Your change was overwritten: ann overwrote your change to Monthly fee of engagement"
        await sam.wait_until(lambda: a.workspace.revision > sam_read, "Sam's app to read Ann's save")
        await sam.wait_until(lambda: any(t.startswith(told) for t in toasts(sam)), "Sam to be told")
        await pa.pause(0.5)  # more polls
        assert sum(t.startswith(told) for t in toasts(sam)) == 1
        await bob.wait_until(lambda: c.workspace.revision == a.workspace.revision, "Bob's app to read it")
        await pc.pause(0.3)
        assert not any("overwrote" in t for t in toasts(bob))
        assert not any("overwrote" in t for t in toasts(ann))

        # the record's history (l) says so too
        await cursor_to(ann, ENGAGEMENT)
        await ann.press("l")
        await ann.wait_until(lambda: isinstance(ann.screen, HistoryScreen), "the history")
        assert "overwrote sam's change to monthly_fee" in screen_text(ann)


async def test_reload_with_typed_changes_warns_and_can_keep_them(shared_file: Path) -> None:
    a, b = app_for(shared_file, "sam"), app_for(shared_file, "ann")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        sam, ann = Teammate(pa), Teammate(pb)
        await open_engagement(sam)
        await open_engagement(ann)
        await sam.fill("monthly_fee", "3750")
        await sam.fill("hours_per_week", "8")
        await ann.fill("monthly_fee", "4000")
        await ann.fill("note", "ann's note")
        await sam.save_ok()
        form = ann.form

        # r in the side-by-side dialog: first says what is lost; esc goes back to the form as typed
        await save_into_clash(ann)
        await ann.press("r")
        await ann.wait_until(lambda: isinstance(ann.screen, ReloadScreen), "the reload question")
        question = screen_text(ann) + " " + " ".join(plain(w.render()) for w in ann.screen.query("Label"))
        assert (
            "Reload sam's version of this engagement? Your changes to Monthly fee, Note will be lost, "
            "unless you keep them over it (k)."
        ) in question
        await ann.press("escape")
        await ann.wait_until(lambda: ann.screen is form, "back in the form")
        assert (ann.widget("monthly_fee").value, ann.widget("note").value) == ("4000", "ann's note")

        # k: keep them over Sam's version: his hours show, her fee and note stay typed
        await save_into_clash(ann)
        await ann.press("r")
        await ann.wait_until(lambda: isinstance(ann.screen, ReloadScreen), "the reload question")
        await ann.press("k")
        await ann.wait_until(lambda: ann.screen is form, "the form, reloaded under her changes")
        assert ann.widget("hours_per_week").value == "8"
        assert (ann.widget("monthly_fee").value, ann.widget("note").value) == ("4000", "ann's note")
        assert any(
            t.startswith("Reloaded: Reloaded sam's version; your changes to Monthly fee, Note") for t in toasts(ann)
        )
        await ann.save_ok()  # onto Sam's version: no question
        on_file = stored(shared_file)
        assert (on_file.monthly_fee, on_file.note, on_file.hours_per_week) == (4000, "ann's note", 8)
        assert Store(shared_file).last_entry()["overwrote"] == [
            {"user": "sam", "kind": "engagements", "key": ENGAGEMENT, "fields": ["monthly_fee"]}
        ]

        # d: discard them and reload: the form closes, the file keeps the teammate's value
        await open_engagement(ann)
        await open_engagement(sam)
        await ann.fill("monthly_fee", "5000")
        await sam.fill("monthly_fee", "3900")
        await sam.save_ok()
        await save_into_clash(ann)
        await ann.press("r")
        await ann.wait_until(lambda: isinstance(ann.screen, ReloadScreen), "the reload question")
        await ann.press("d")
        await ann.wait_until(lambda: isinstance(ann.screen, RecordsScreen), "the form to close")
        assert stored(shared_file).monthly_fee == 3900
        await ann.wait_until(
            lambda: next(e for e in b.workspace.data.engagements if e.id == ENGAGEMENT).monthly_fee == 3900,
            "Ann's app to show Sam's fee",
        )


async def test_changes_that_together_break_a_rule_are_chosen_between(shared_file: Path) -> None:
    """Sam moves the replatform's end forward, Ann its start back, past his end: each alone is
    fine, both together end it before it starts; the dialog shows both fields, each with the
    side that changed it, refuses to save them so, and saves once one gives way."""
    project = "e-harbor-replatform"  # 2026-02-02 to 2026-09-30
    a, b = app_for(shared_file, "sam"), app_for(shared_file, "ann")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        sam, ann = Teammate(pa), Teammate(pb)
        for ui in (sam, ann):
            await ui.press("6")
            await ui.wait_until(lambda ui=ui: isinstance(ui.screen, RecordsScreen), "the engagements")
            await cursor_to(ui, project)
            await ui.open_form("e")
        await sam.fill("end", "2026-05-29")
        await ann.fill("start", "2026-06-01")
        await sam.save_ok()
        before = file_state(shared_file)

        await save_into_clash(ann)
        text = screen_text(ann)
        assert "Your changes and theirs together break a rule: End" in text, text
        rows = merge_rows(ann)
        assert [r[:4] for r in rows] == [
            ["Start", "2026-02-02", "2026-06-01", "yours"],
            ["End", "2026-05-29", "2026-09-30", "theirs"],
        ]
        assert rows[0][4] == "you" and rows[1][4].startswith("sam, ")
        await ann.press("ctrl+s")  # as they are: still broken, nothing written
        await ann.wait_until(lambda: "start" in plain(ann.screen.query_one("#merge-error", Static).render()), "why")
        assert isinstance(ann.screen, MergeScreen) and file_state(shared_file) == before

        await ann.press("down", "y")  # the end: hers (as it was), so her start stands
        await ann.press("ctrl+s")
        await ann.wait_until(lambda: not isinstance(ann.screen, (MergeScreen, FormScreen)), "the save")
        on_file = next(e for e in Store(shared_file).load().engagements if e.id == project)
        assert (on_file.start.isoformat(), on_file.end.isoformat()) == ("2026-06-01", "2026-09-30")
        assert Store(shared_file).last_entry()["overwrote"] == [
            {"user": "sam", "kind": "engagements", "key": project, "fields": ["end"]}
        ]


async def test_a_step_ticked_while_a_teammate_changed_the_steps_shows_theirs(shared_file: Path) -> None:
    """The steps are one value: Ann ticks a step off while Sam added one; her tick is not saved
    over his new step, the steps screen shows them as stored, and her tick, done again, is."""
    from dataclasses import replace

    from tui_advisor import model
    from tui_advisor.ui.screens.steps import StepsScreen

    b = app_for(shared_file, "ann", poll_seconds=0)  # she has not seen Sam's step when she ticks
    async with b.run_test(size=SIZE) as pb:
        ann = Teammate(pb)
        action = next(x for x in b.workspace.data.actions if x.steps and x.steps[0].done is None)
        await ann.press("0")
        await ann.wait_until(lambda: isinstance(ann.screen, RecordsScreen), "the actions")
        await cursor_to(ann, action.id)
        await ann.press("t")
        await ann.wait_until(lambda: isinstance(ann.screen, StepsScreen), "the steps")
        added = model.Step("call the accountant", action.steps[-1].due)
        Store(shared_file, user="sam").put("actions", replace(action, steps=[*action.steps, added]))

        await ann.press("space")  # the first step: done
        await ann.wait_until(lambda: not b.writing and ann.screen.action_item.steps[-1] == added, "theirs shown")
        assert any(t.startswith("Not saved: sam changed this record") for t in toasts(ann))
        stored_steps = next(x for x in Store(shared_file).load().actions if x.id == action.id).steps
        assert stored_steps == [*action.steps, added]  # his step kept, her tick not written over it
        table = ann.screen.query_one("#steps-table", DataTable)
        assert table.row_count == len(action.steps) + 1

        await ann.press("space")  # again, on the steps as stored: saved
        await ann.wait_until(lambda: not b.writing and ann.screen.action_item.steps[0].done is not None, "the tick")
        stored_steps = next(x for x in Store(shared_file).load().actions if x.id == action.id).steps
        assert stored_steps[0].done is not None and stored_steps[-1] == added
