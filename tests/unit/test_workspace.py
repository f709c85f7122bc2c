"""Workspace: the app's headless session on a data file holding the demo agency.

Every change goes to the file (checked by reading it back with a fresh Store) and
to the data in memory, and the advice is recomputed at once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from tui_advisor import model
from tui_advisor.forms import KINDS, build_record
from tui_advisor.paths import sample_file
from tui_advisor.store import Store, StoreError
from tui_advisor.workspace import Rulebook, Workspace, load_input, load_rulebook, read_document

AS_OF = date(2026, 11, 26)  # the date the demo describes


@pytest.fixture
def rulebook() -> Rulebook:
    return load_rulebook()  # tests/conftest.py points the config at an empty directory


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "data" / "agency.json")
    s.import_document(read_document(sample_file("demo")), replace=True)
    return s


@pytest.fixture
def ws(store: Store, rulebook: Rulebook) -> Workspace:
    w = Workspace(store, rulebook, as_of=AS_OF)
    w.load()
    return w


def stored(ws: Workspace) -> model.AgencyData:
    """What the data file holds now, read by a store of its own."""
    return Store(ws.store.path).load()


def rule_ids(ws: Workspace) -> list[str]:
    assert ws.advice is not None
    return [r.rule for r in ws.advice.recommendations]


def rec_of(ws: Workspace, rule: str):
    assert ws.advice is not None
    return next(r for r in ws.advice.recommendations if r.rule == rule)


def same_in_memory_and_file(ws: Workspace) -> None:
    on_disk = stored(ws)
    for kind in model.COLLECTIONS:
        assert ws.records(kind) == getattr(on_disk, kind), kind
    assert ws.data.agency == on_disk.agency


# --------------------------------------------------------------------------- loading


def test_load_reads_the_demo_and_advises(ws: Workspace) -> None:
    assert not ws.is_new
    assert ws.data.agency.name == "Northwind Studio"
    assert len(ws.records("clients")) == 12 and len(ws.records("invoices")) == 108
    assert ws.as_of == AS_OF
    assert ws.advice is not None and ws.advice.as_of == AS_OF
    assert "CASH002" in rule_ids(ws)
    assert ws.revision == ws.store.revision() >= 1
    assert ws.recompute_seconds > 0
    assert ws.client_names()["c-acme"] == "ACME [Ltd]"
    assert "c-harbor" in ws.ids("clients")
    same_in_memory_and_file(ws)


# --------------------------------------------------------------------------- save


def test_save_adds_a_record(ws: Workspace) -> None:
    before = len(ws.records("clients"))
    revision = ws.revision
    client = build_record(
        KINDS["clients"],
        {"name": "Globex", "industry": "Energy", "enjoy": 4, "industry_fit": None},
        None,
        ws.ids("clients"),
    )
    assert client.id == "c-globex"
    ws.save("clients", client)
    assert len(ws.records("clients")) == before + 1
    assert ws.records("clients")[-1] == client
    assert client in stored(ws).clients
    assert ws.revision == revision + 1 == ws.store.revision()
    same_in_memory_and_file(ws)


def test_save_with_original_replaces(ws: Workspace) -> None:
    original = next(c for c in ws.records("clients") if c.id == "c-acme")
    edited = replace(original, name="ACME International", enjoy=5)
    before = len(ws.records("clients"))
    ws.save("clients", edited, original=original)
    assert len(ws.records("clients")) == before
    assert next(c for c in ws.records("clients") if c.id == "c-acme") == edited
    assert next(c for c in stored(ws).clients if c.id == "c-acme") == edited
    assert ws.client_names()["c-acme"] == "ACME International"
    same_in_memory_and_file(ws)


def test_adding_a_record_whose_key_exists_is_refused_and_force_replaces(ws: Workspace) -> None:
    """A new record never silently replaces a stored one (a teammate may have added it)."""
    original = next(c for c in ws.records("clients") if c.id == "c-acme")
    before = len(ws.records("clients"))
    with pytest.raises(StoreError, match=r"there is already client 'ACME \[Ltd\]' \(c-acme\)"):
        ws.save("clients", replace(original, industry="Robotics"))
    assert [c.industry for c in ws.records("clients") if c.id == "c-acme"] == [original.industry]
    ws.save("clients", replace(original, industry="Robotics"), force=True)
    assert len(ws.records("clients")) == before
    assert [c.industry for c in ws.records("clients") if c.id == "c-acme"] == ["Robotics"]
    same_in_memory_and_file(ws)


def test_editing_a_cash_entrys_date_replaces_it(ws: Workspace) -> None:
    cash = ws.records("cash")
    before = len(cash)
    original = next(c for c in cash if c.date == date(2026, 11, 25))
    edited = replace(original, date=date(2026, 11, 26))
    ws.save("cash", edited, original=original)
    dates = [c.date for c in ws.records("cash")]
    assert len(dates) == before
    assert date(2026, 11, 25) not in dates
    assert dates.count(date(2026, 11, 26)) == 1
    on_disk = [c.date for c in stored(ws).cash]
    assert len(on_disk) == before
    assert date(2026, 11, 25) not in on_disk and on_disk.count(date(2026, 11, 26)) == 1
    same_in_memory_and_file(ws)
    assert ws.advice is not None and ws.advice.metrics.values["cash_date"] == "2026-11-26"


def test_editing_a_cash_date_onto_another_entry_is_refused_and_loses_nothing(ws: Workspace) -> None:
    before = list(ws.records("cash"))
    original = next(c for c in ws.records("cash") if c.date == date(2026, 11, 25))
    with pytest.raises(StoreError, match="there is already a cash balance for 2026-10-31"):
        ws.save("cash", replace(original, date=date(2026, 10, 31)), original=original)
    assert ws.records("cash") == before
    assert stored(ws).cash == before
    same_in_memory_and_file(ws)


def test_editing_a_journey_activitys_text_replaces_it(ws: Workspace) -> None:
    before = len(ws.records("journey"))
    original = ws.records("journey")[0]
    edited = replace(original, activity="Referrals from past clients, asked for at every project end")
    ws.save("journey", edited, original=original)
    assert len(ws.records("journey")) == before
    assert original not in ws.records("journey") and edited in ws.records("journey")
    same_in_memory_and_file(ws)


def test_changing_a_referenced_id_keeps_the_file_loadable(ws: Workspace) -> None:
    client = next(c for c in ws.records("clients") if c.id == "c-acme")
    before = ws.store.path.read_bytes()
    try:
        ws.save("clients", replace(client, id="c-acme-2"), original=client)
    except (StoreError, model.ValidationError):
        assert ws.store.path.read_bytes() == before  # refused: fine, if nothing changed
    Store(ws.store.path).load()  # fails: StoreError, the file holds invalid records


def test_invalid_save_changes_nothing(ws: Workspace) -> None:
    before_memory = list(ws.records("invoices"))
    before_file = ws.store.path.read_bytes()
    revision = ws.revision
    bad = model.Invoice(id="inv-new", client="c-nobody", issued=date(2026, 11, 1), amount=100)
    with pytest.raises(model.ValidationError, match="c-nobody"):
        ws.save("invoices", bad)
    assert ws.records("invoices") == before_memory
    assert ws.store.path.read_bytes() == before_file
    assert ws.revision == revision


# --------------------------------------------------------------------------- delete and undo


def test_delete_and_undo_delete(ws: Workspace) -> None:
    inquiry = next(q for q in ws.records("inquiries") if q.id == "q-0053")
    before = len(ws.records("inquiries"))
    assert "DEAL001" in rule_ids(ws)  # about q-0053 (Brightwave Telecom)
    ws.delete("inquiries", inquiry)
    assert "q-0053" not in ws.ids("inquiries")
    assert "q-0053" not in {q.id for q in stored(ws).inquiries}
    assert len(ws.records("inquiries")) == before - 1
    assert ws.last_deleted == ("inquiries", inquiry)
    assert not any(r.rule == "DEAL001" and "Brightwave Telecom" in (r.subject or "") for r in ws.advice.recommendations)

    assert ws.undo_delete() == ("inquiries", inquiry)
    assert ws.last_deleted is None
    assert inquiry in ws.records("inquiries") and inquiry in stored(ws).inquiries
    assert len(ws.records("inquiries")) == before
    assert any(r.rule == "DEAL001" and "Brightwave Telecom" in (r.subject or "") for r in ws.advice.recommendations)
    assert ws.undo_delete() is None  # nothing more to undo


def test_delete_of_a_cash_entry_reaches_the_file(ws: Workspace) -> None:
    entry = ws.records("cash")[-1]
    before = len(ws.records("cash"))
    ws.delete("cash", entry)
    assert entry not in ws.records("cash")  # passes: gone from memory
    assert entry not in stored(ws).cash  # fails: still in the file
    assert len(stored(ws).cash) == before - 1


def test_undo_delete_of_a_cash_entry(ws: Workspace) -> None:
    entry = ws.records("cash")[-1]
    ws.delete("cash", entry)
    assert entry not in ws.records("cash")
    assert ws.undo_delete() == ("cash", entry)
    assert entry in ws.records("cash") and entry in stored(ws).cash
    assert [c.date for c in ws.records("cash")].count(entry.date) == 1
    assert [c.date for c in stored(ws).cash].count(entry.date) == 1


def test_delete_of_a_journey_activity(ws: Workspace) -> None:
    activity = ws.records("journey")[0]
    ws.delete("journey", activity)
    assert activity not in ws.records("journey") and activity not in stored(ws).journey
    ws.undo_delete()
    assert activity in ws.records("journey") and activity in stored(ws).journey


def test_deleting_a_dismissal_shows_the_recommendation_again(ws: Workspace) -> None:
    ws.dismiss(rec_of(ws, "CASH002"), "later")
    assert "CASH002" not in rule_ids(ws)
    ws.delete("dismissals", ws.records("dismissals")[0])
    assert "CASH002" in rule_ids(ws)
    assert ws.records("dismissals") == [] and stored(ws).dismissals == []


def test_a_client_with_invoices_cannot_be_deleted(ws: Workspace) -> None:
    client = next(c for c in ws.records("clients") if c.id == "c-acme")
    before_clients = list(ws.records("clients"))
    before_file = ws.store.path.read_bytes()
    revision = ws.revision
    advice = ws.advice
    with pytest.raises(StoreError, match="still used by"):
        ws.delete("clients", client)
    assert ws.records("clients") == before_clients
    assert ws.store.path.read_bytes() == before_file
    assert ws.revision == revision
    assert ws.last_deleted is None
    assert ws.advice is advice  # not even recomputed
    assert ws.undo_delete() is None


def test_an_engagement_with_invoices_cannot_be_deleted(ws: Workspace) -> None:
    eng = next(e for e in ws.records("engagements") if e.id == "e-acme-retainer")
    with pytest.raises(StoreError, match="invoices"):
        ws.delete("engagements", eng)
    assert eng in ws.records("engagements") and eng in stored(ws).engagements


def test_a_new_client_can_be_deleted(ws: Workspace) -> None:
    client = model.Client(id="c-temp", name="Temp")
    ws.save("clients", client)
    ws.delete("clients", client)
    assert "c-temp" not in ws.ids("clients") and "c-temp" not in {c.id for c in stored(ws).clients}


# --------------------------------------------------------------------------- agency profile


def test_set_agency(ws: Workspace) -> None:
    months_before = ws.advice.metrics.values["cash_months"]
    agency = replace(ws.data.agency, name="Northwind Studio BV", monthly_operating_costs=17000)
    ws.set_agency(agency)
    assert ws.data.agency == agency
    assert stored(ws).agency == agency
    assert ws.advice.agency == "Northwind Studio BV"
    assert ws.advice.metrics.values["cash_months"] == pytest.approx(months_before * 2)
    assert "CASH002" not in rule_ids(ws)  # 8 months of costs now
    same_in_memory_and_file(ws)


def test_set_agency_rejects_an_invalid_profile(ws: Workspace) -> None:
    before = ws.data.agency
    with pytest.raises(model.ValidationError):
        ws.set_agency(replace(before, name=""))
    assert ws.data.agency == before and stored(ws).agency == before


# --------------------------------------------------------------------------- dismiss


def test_dismiss_hides_the_recommendation_and_stores_a_dismissal(ws: Workspace) -> None:
    rec = rec_of(ws, "CASH002")
    count = len(ws.advice.recommendations)
    ws.dismiss(rec, "we keep a credit line instead")
    assert "CASH002" not in rule_ids(ws)
    assert "CASH002" in [r.rule for r in ws.advice.hidden]
    assert len(ws.advice.recommendations) == count - 1
    assert [r.priority for r in ws.advice.recommendations] == list(range(1, count))
    expected = model.Dismissal(
        rule="CASH002",
        subject="",
        reason="we keep a credit line instead",
        until=None,
        severity=rec.severity,
        distance=min(1.0, rec.distance),
        by=ws.user,
        on=AS_OF,
    )
    assert ws.records("dismissals") == [expected]
    assert stored(ws).dismissals == [expected]


def test_dismiss_twice_keeps_one_dismissal(ws: Workspace) -> None:
    rec = rec_of(ws, "CASH002")
    ws.dismiss(rec, "first")
    hidden = next(r for r in ws.advice.hidden if r.rule == "CASH002")
    ws.dismiss(hidden, "second")
    assert [d.reason for d in ws.records("dismissals")] == ["second"]
    assert [d.reason for d in stored(ws).dismissals] == ["second"]


def test_snooze_a_per_item_recommendation(ws: Workspace) -> None:
    rec = rec_of(ws, "DEAL001")
    assert rec.subject
    until = AS_OF + timedelta(days=14)
    ws.dismiss(rec, "asked them", until=until)
    assert not any(r.rule == "DEAL001" and r.subject == rec.subject for r in ws.advice.recommendations)
    d = stored(ws).dismissals[0]
    assert (d.rule, d.subject, d.until) == ("DEAL001", rec.subject, until)


def test_a_snooze_ends(store: Store, rulebook: Rulebook) -> None:
    ws = Workspace(store, rulebook, as_of=AS_OF)
    ws.load()
    rec = rec_of(ws, "CASH002")
    ws.dismiss(rec, "later", until=AS_OF + timedelta(days=7))
    assert "CASH002" not in rule_ids(ws)
    later = Workspace(store, rulebook, as_of=AS_OF + timedelta(days=7))
    later.load()
    assert "CASH002" in rule_ids(later)


def test_a_dismissed_recommendation_shows_again_when_worse(ws: Workspace) -> None:
    ws.dismiss(rec_of(ws, "CASH002"), "fine for now")
    assert "CASH002" not in rule_ids(ws)
    # cash halves: the same rule fires further past its threshold (or more severely)
    latest = max(ws.records("cash"), key=lambda c: c.date)
    ws.save("cash", replace(latest, balance=latest.balance / 4), original=latest)
    assert "CASH001" in rule_ids(ws)  # one month of costs: the critical level of the same graded group


# --------------------------------------------------------------------------- action items


def test_action_from_a_recommendation(ws: Workspace) -> None:
    rec = rec_of(ws, "CASH002")
    assert len(rec.actions) >= 2
    before = ws.ids("actions")
    action = ws.action_from(rec, owner="Sam")
    assert action.id not in before and action.id.startswith("a-")
    assert action.title == rec.title and action.rule == "CASH002" and action.owner == "Sam"
    assert [s.title for s in action.steps] == rec.actions
    assert [s.due for s in action.steps] == [AS_OF + timedelta(days=7 * (i + 1)) for i in range(len(rec.actions))]
    assert all(s.done is None for s in action.steps)
    assert action in ws.records("actions") and action in stored(ws).actions

    second = ws.action_from(rec, title="Build the reserve")
    assert second.id != action.id and second.title == "Build the reserve"
    assert len(ws.ids("actions")) == len(before) + 2
    same_in_memory_and_file(ws)


def test_toggle_step(ws: Workspace) -> None:
    action = ws.action_from(rec_of(ws, "INQ002"))
    count = len(ws.records("actions"))
    done = ws.toggle_step(action, 1)
    assert done.steps[1].done == AS_OF
    assert done.steps[0].done is None and done.steps[0] == action.steps[0]
    assert action.steps[1].done is None  # the given action is not changed
    assert [a for a in ws.records("actions") if a.id == action.id] == [done]
    assert next(a for a in stored(ws).actions if a.id == action.id).steps[1].done == AS_OF
    assert len(ws.records("actions")) == count

    undone = ws.toggle_step(done, 1)
    assert undone.steps[1].done is None
    assert next(a for a in stored(ws).actions if a.id == action.id) == undone
    same_in_memory_and_file(ws)


def test_toggle_step_of_a_stored_action(ws: Workspace) -> None:
    action = next(a for a in ws.records("actions") if a.id == "a-01")
    i = next(i for i, s in enumerate(action.steps) if s.done is None)
    updated = ws.toggle_step(action, i)
    assert updated.steps[i].done == AS_OF
    assert next(a for a in stored(ws).actions if a.id == "a-01") == updated


# --------------------------------------------------------------------------- recompute


def test_raising_cash_removes_cash002(ws: Workspace) -> None:
    assert "CASH002" in rule_ids(ws)
    costs = ws.data.agency.monthly_operating_costs
    ws.save("cash", model.CashEntry(AS_OF, 7 * costs))
    assert ws.advice.metrics.values["cash_balance"] == 7 * costs
    assert ws.advice.metrics.values["cash_months"] == pytest.approx(7)
    assert "CASH002" not in rule_ids(ws)
    assert ws.advice.as_of == AS_OF


def test_recompute_follows_every_change(ws: Workspace) -> None:
    first = ws.advice
    ws.recompute()
    assert ws.advice is not first
    assert rule_ids(ws) == [r.rule for r in first.recommendations]
    # lowering the costs removes CASH002 too, through set_agency
    ws.set_agency(replace(ws.data.agency, monthly_operating_costs=10000))
    assert "CASH002" not in rule_ids(ws)


def test_reload_sees_changes_made_by_another_session(ws: Workspace, rulebook: Rulebook) -> None:
    other = Workspace(Store(ws.store.path), rulebook, as_of=AS_OF)
    other.load()
    other.save("cash", model.CashEntry(AS_OF, 500000))
    assert "CASH002" in rule_ids(ws)
    ws.load()
    assert "CASH002" not in rule_ids(ws)
    assert ws.revision == other.revision


def test_the_app_asks_the_workspace_who_changed_the_file_and_when_to_read_it_again(ws: Workspace) -> None:
    """What the app shows of the data file comes from the workspace, not from its store: the file's
    path, the lock's timeout, the newest audit entry, and after a read that failed, whether the
    file changed again since."""
    assert ws.path == ws.store.path and ws.lock_timeout == ws.store.lock_timeout
    teammate = Workspace(Store(ws.path, user="sam"), ws.rulebook, as_of=AS_OF)
    teammate.load()
    teammate.save("cash", model.CashEntry(AS_OF, 500000))
    change = ws.last_change()
    assert change is not None and change["by"] == "sam" and change["rev"] == teammate.revision

    good = ws.path.read_bytes()
    ws.path.write_text("{ not json", encoding="utf-8")
    assert ws.changed_on_disk()
    with pytest.raises(StoreError):
        ws.fetch()
    ws.skip_unreadable()
    assert not ws.changed_on_disk()  # nothing new to read until the file changes again
    assert ws.data.clients  # what was read before stays
    ws.path.write_bytes(good + b" ")
    assert ws.changed_on_disk()
    ws.load()
    assert ws.revision == teammate.revision


def test_a_change_that_waits_for_the_lock_says_so(ws: Workspace) -> None:
    """on_lock_wait: the callback hears who holds the lock, from the thread making the change."""
    from tui_advisor.store.files import exclusive_lock

    heard: list[str] = []
    ws.on_lock_wait(heard.append)
    ws.store.lock_timeout = 0.3
    with exclusive_lock(ws.path, 5.0, None), pytest.raises(StoreError):
        ws.save("cash", model.CashEntry(AS_OF, 1))
    assert len(heard) == 1


# --------------------------------------------------------------------------- a new data file


def test_start_from_demo_on_an_empty_file(tmp_path: Path, rulebook: Rulebook) -> None:
    store = Store(tmp_path / "new" / "agency.json")
    ws = Workspace(store, rulebook, as_of=AS_OF)
    ws.load()
    assert ws.is_new and not store.exists()
    assert ws.advice is not None and ws.revision == 0
    ws.start_from_demo()
    assert store.exists()
    assert not ws.is_new
    assert ws.data.agency.name == "Northwind Studio"
    demo = load_input(sample_file("demo"))
    for kind in model.COLLECTIONS:
        assert len(ws.records(kind)) == len(getattr(demo, kind)), kind
    assert "CASH002" in rule_ids(ws)
    assert ws.revision == store.revision() >= 1
    same_in_memory_and_file(ws)


def test_as_of_defaults_to_today(store: Store, rulebook: Rulebook) -> None:
    ws = Workspace(store, rulebook)
    assert ws.as_of == date.today()


# --------------------------------------------------------------------------- a change in two steps (the app's thread)


def _in_a_thread(write) -> None:
    """Run a Write's file step in another thread, as the app does; re-raise what it raised."""
    import threading

    failure: list[BaseException] = []

    def target() -> None:
        try:
            write.run()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            failure.append(exc)

    t = threading.Thread(target=target)
    t.start()
    t.join(30)
    if failure:
        raise failure[0]


def test_a_write_run_in_a_thread_changes_the_file_and_then_memory(ws: Workspace) -> None:
    client = model.Client(id="c-globex", name="Globex")
    before = list(ws.records("clients"))
    write = ws.plan_save("clients", client)
    _in_a_thread(write)
    assert client in stored(ws).clients
    assert ws.records("clients") == before  # nothing here changes in the thread
    write.finish()
    assert ws.records("clients")[-1] == client
    assert ws.revision == ws.store.revision() and ws.meta_of("clients", client).rev == ws.revision
    same_in_memory_and_file(ws)


def test_a_teammates_change_before_the_write_is_read_in_too(ws: Workspace, rulebook: Rulebook) -> None:
    """The write waited (for the lock, say) while a teammate wrote: the file is read again in the
    thread, and the workspace shows both changes."""
    write = ws.plan_save("clients", model.Client(id="c-globex", name="Globex"))
    Store(ws.store.path, user="ann").put("clients", model.Client(id="c-initech", name="Initech"))
    _in_a_thread(write)
    assert write.fresh is not None
    write.finish()
    assert {"c-globex", "c-initech"} <= ws.ids("clients")
    assert ws.revision == ws.store.revision()
    same_in_memory_and_file(ws)


def test_a_write_already_read_back_by_a_poll_is_not_put_in_twice(ws: Workspace) -> None:
    client = model.Client(id="c-globex", name="Globex")
    write = ws.plan_save("clients", client)
    _in_a_thread(write)
    ws.adopt(*ws.fetch())  # the app's poll read the file between the two steps
    write.finish()
    assert [c.id for c in ws.records("clients")].count("c-globex") == 1
    same_in_memory_and_file(ws)


def test_a_write_that_fails_in_the_thread_changes_nothing(ws: Workspace) -> None:
    from tui_advisor.store import Conflict

    original = next(c for c in ws.records("clients") if c.id == "c-acme")
    seen = ws.meta_of("clients", original).rev
    Store(ws.store.path, user="ann").put("clients", replace(original, industry="Robotics"), replace_key="c-acme")
    write = ws.plan_save("clients", replace(original, industry="Energy"), original=original, seen_rev=seen)
    before = ws.records("clients")[:]
    with pytest.raises(Conflict):
        _in_a_thread(write)
    assert ws.records("clients") == before
    assert next(c for c in stored(ws).clients if c.id == "c-acme").industry == "Robotics"


def test_undo_is_remembered_only_once_the_delete_is_done(ws: Workspace) -> None:
    inquiry = next(q for q in ws.records("inquiries") if q.id == "q-0053")
    write = ws.plan_delete("inquiries", inquiry)
    assert ws.plan_undo_delete() is None  # not deleted yet: nothing to undo
    _in_a_thread(write)
    write.finish()
    assert ws.last_deleted == ("inquiries", inquiry)
    undo = ws.plan_undo_delete()
    _in_a_thread(undo)
    assert undo.finish() == ("inquiries", inquiry)
    assert ws.last_deleted is None and inquiry in stored(ws).inquiries
    same_in_memory_and_file(ws)
