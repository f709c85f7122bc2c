"""Pilot tests of a team sharing one data file: two app instances, two users, one file.

Sam (app A) and Ann (app B) open the same agency file, as two SSH sessions on the
team's server would. Each app polls the file's change token and re-reads it in a
thread when a teammate replaced it. These tests drive both apps with real key
presses and check what the *other* app shows, without a key press there:

* a teammate's edit appears in the table within 2 seconds, the cursor stays on the
  record it was on (also when the rows move), an open form keeps what was typed;
* an edit of the same field as a teammate's shows theirs and yours side by side
  ("sam changed this client ... after you opened it"; tests/ui/test_merge.py has the
  rest of the field-level merge), and reload (after saying the typed change is lost)
  and overwrite (all yours) do what they say; a record deleted while being edited can
  be added again or dropped (dropping says first that the typed change is lost);
* the dashboard follows a teammate's change; a read-only session shows the banner
  and writes nothing; the history of a record says who changed it.

Every change is also checked in the data file, read by a fresh Store. A conflict is
also caught when the editor's app has already polled the teammate's change (the usual
case: it polls every second): the form keeps the revision it was opened on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual._context import active_app
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Label, Static

from tui_advisor import model, paths
from tui_advisor.store import Store
from tui_advisor.ui.app import AdvisorApp
from tui_advisor.ui.screens.base import AdvisorScreen
from tui_advisor.ui.screens.dialogs import ConfirmScreen, ConflictScreen, DiscardScreen, MergeScreen, ReloadScreen
from tui_advisor.ui.screens.form import FormScreen
from tui_advisor.ui.screens.help import HistoryScreen
from tui_advisor.ui.screens.records import RecordsScreen
from tui_advisor.ui.widgets.cards import Trends
from tui_advisor.workspace import Workspace, load_rulebook, read_document

AS_OF = date(2026, 11, 26)  # the date the sample agencies describe
SIZE = (120, 40)
SHOWS_WITHIN = 2.0  # seconds: a teammate's change is on screen within this, no key pressed
INDUSTRY = 1  # the Industry column of the clients table

DELAYS: list[tuple[str, float]] = []  # (what, seconds): printed at the end of the module (pytest -s)


class Teammate:
    """One teammate at their terminal: real key presses on their app, and waits for what they cause.

    Self-contained (not the Driver of tests/ui/conftest.py) because of one thing two apps in
    one test need: Textual finds "the app" of a widget through a context variable
    (``active_app``) that ``run_test`` sets for the test's task, so the app entered last
    would answer for both (``screen.is_current``, ``widget.focus()``). Every step of a
    teammate makes their app the active one first.
    """

    def __init__(self, pilot: Pilot) -> None:
        self.pilot = pilot
        self.app: AdvisorApp = pilot.app  # type: ignore[assignment]

    def _active(self) -> None:
        active_app.set(self.app)

    async def wait_until(self, condition: Callable[[], object], what: str, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            self._active()
            if condition():
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await self.pilot.pause()

    async def press(self, *keys: str) -> None:
        self._active()
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        await self.press(*text)

    @property
    def screen(self) -> Any:
        return self.app.screen

    async def goto(self, mode: str) -> None:
        await self.press(MODE_KEYS[mode])
        await self.wait_until(
            lambda: self.app.current_mode == mode and isinstance(self.screen, AdvisorScreen) and self.screen.is_current,
            f"the {mode} screen",
        )

    @property
    def table(self) -> DataTable:
        return self.screen.query_one("#records", DataTable)

    @property
    def form(self) -> FormScreen:
        screen = self.screen
        assert isinstance(screen, FormScreen), f"expected the form, the screen is {type(screen).__name__}"
        return screen

    def form_is_open(self) -> bool:
        return isinstance(self.screen, FormScreen)

    async def open_form(self, key: str) -> None:
        await self.press(key)
        await self.wait_until(
            lambda: self.form_is_open() and self.app.focused is not None and self.app.focused.screen is self.screen,
            "the form, a field focused",
        )

    def widget(self, name: str) -> Input:
        return self.form.query_one(f"#f-{name}", Input)

    def form_errors(self) -> str:
        return plain(self.form.query_one("#form-errors", Static).render())

    async def fill(self, name: str, text: str) -> None:
        """Replace what an Input holds by typing: select all, delete, then the text key by key."""
        widget = self.widget(name)
        self._active()
        widget.focus()
        await self.wait_until(lambda: widget.has_focus, f"#f-{name} to have the focus")
        if widget.value:
            await self.press("ctrl+a", "ctrl+k")
        if text:
            await self.type(text)
        assert widget.value == text, f"#f-{name} holds {widget.value!r}, typed {text!r}"

    async def save(self) -> None:
        """ctrl+s; waits until the form closed (saved) or says what is wrong."""
        await self.press("ctrl+s")
        await self.wait_until(
            lambda: not self.form_is_open() or self.form_errors().strip(), "the form to save or complain"
        )

    async def save_ok(self) -> None:
        await self.save()
        assert not self.form_is_open(), f"the form did not save: {self.form_errors()!r}"

    async def confirm(self, answer: str) -> None:
        await self.wait_until(lambda: isinstance(self.screen, ConfirmScreen), "the confirmation dialog")
        await self.press(answer)
        await self.wait_until(lambda: not isinstance(self.screen, ConfirmScreen), "the dialog to close")
        await self.wait_until(lambda: not self.app.writing, "the change to be stored (in a thread) or refused")

    def notifications(self) -> list[tuple[str, str, str]]:
        return [(n.title, n.message, n.severity) for n in self.app._notifications]


MODE_KEYS = {"dashboard": "1", "cash": "4", "clients": "5"}


def plain(value: object) -> str:
    return getattr(value, "plain", None) or str(value)


# --------------------------------------------------------------------------- two sessions on one file


@pytest.fixture
def shared_file(tmp_path: Path) -> Path:
    """The demo agency in one data file, imported by whoever set the server up."""
    path = tmp_path / "agency.json"
    Store(path).import_document(read_document(paths.sample_file("demo")), replace=True)
    return path


def app_for(path: Path, user: str, *, poll_seconds: float = 0.1, writable: bool = True) -> AdvisorApp:
    """One teammate's session: their own Store (their user name) on the shared file."""
    store = Store(path, user=user)
    if not writable:  # like a teammate without group write permission on the file
        store.writable = lambda: False  # type: ignore[method-assign]
    ws = Workspace(store, load_rulebook(), as_of=AS_OF)
    ws.load()
    return AdvisorApp(ws, poll_seconds=poll_seconds)


def file_state(path: Path) -> tuple[bytes, bytes]:
    """The data file and its audit log, byte for byte."""
    log = path.with_name(path.name + ".audit.jsonl")
    return path.read_bytes(), (log.read_bytes() if log.exists() else b"")


def stored_client(path: Path, cid: str) -> model.Client | None:
    return next((c for c in Store(path).load().clients if c.id == cid), None)


def row_of(ui: Teammate, key: str) -> list[str]:
    """The cells of a record's row in the table of the app's clients screen (also under a form)."""
    table = records_screen(ui.app).query_one("#records")
    return [plain(c) for c in table.get_row(repr(key))]


def has_row(ui: Teammate, key: str) -> bool:
    return repr(key) in records_screen(ui.app)._rows


def records_screen(app: AdvisorApp) -> RecordsScreen:
    """The records screen of the current mode, also when a form or dialog is on top of it."""
    screen = next(s for s in reversed(app.screen_stack) if isinstance(s, RecordsScreen))
    return screen


def cursor_key(ui: Teammate) -> Any:
    screen = records_screen(ui.app)
    rec = screen.selected()
    return None if rec is None else rec.id


async def move_cursor(ui: Teammate, row_key: str) -> None:
    """Move the table's cursor onto a row with real key presses (up or down)."""
    steps = ui.table.get_row_index(row_key) - ui.table.cursor_row
    if steps:
        await ui.press(*["down" if steps > 0 else "up"] * abs(steps))


async def cursor_to(ui: Teammate, key: str) -> None:
    await move_cursor(ui, repr(key))
    await ui.wait_until(lambda: cursor_key(ui) == key, f"the cursor on {key}")


async def edit_field(ui: Teammate, key: str, name: str, text: str) -> None:
    """Open the edit form of a client and type into one field (not saved yet)."""
    await cursor_to(ui, key)
    await ui.open_form("e")
    await ui.fill(name, text)


def noticed(ui: Teammate, who: str) -> bool:
    return any(m.startswith(f"{who} changed the data") for _, m, _ in ui.notifications())


async def wait_timed(ui: Teammate, since: float, condition: Any, what: str) -> float:
    """Wait (pausing the app, pressing nothing) until the condition holds; the seconds since ``since``."""
    await ui.wait_until(condition, what, timeout=SHOWS_WITHIN + 3)
    delay = time.monotonic() - since
    DELAYS.append((what, delay))
    assert delay < SHOWS_WITHIN, f"{what} took {delay:.2f} s (more than {SHOWS_WITHIN} s)"
    return delay


def dialog_text(app: AdvisorApp) -> str:
    screen = app.screen
    assert isinstance(screen, ConflictScreen), f"expected the conflict dialog, the screen is {type(screen).__name__}"
    return " ".join(plain(w.render()) for w in screen.query(Static))


def buttons(app: AdvisorApp) -> list[str]:
    return [plain(b.label) for b in app.screen.query(Button)]


async def wait_for_conflict(ui: Teammate) -> None:
    await ui.wait_until(lambda: isinstance(ui.app.screen, ConflictScreen), "the conflict dialog")


async def answer_conflict(ui: Teammate, key: str) -> None:
    await ui.press(key)
    if key == "r":  # the form holds a typed change: it says it is lost first; d drops it
        await ui.wait_until(lambda: isinstance(ui.app.screen, ReloadScreen), "the question before reloading")
        assert "will be lost" in " ".join(plain(w.render()) for w in ui.app.screen.query(Label))
        await ui.press("d")
    await ui.wait_until(
        lambda: not isinstance(ui.app.screen, (ConflictScreen, MergeScreen, ReloadScreen, FormScreen)),
        "the dialog and the form to close",
    )
    await ui.pilot.pause()


async def wait_for_clash(ui: Teammate) -> None:
    await ui.wait_until(lambda: isinstance(ui.app.screen, MergeScreen), "theirs and yours side by side")


def clash_text(app: AdvisorApp) -> str:
    screen = app.screen
    assert isinstance(screen, MergeScreen), f"expected the side-by-side dialog, the screen is {type(screen).__name__}"
    return " ".join(plain(w.render()) for w in screen.query(Static))


def clash_rows(app: AdvisorApp) -> list[list[str]]:
    table = app.screen.query_one("#merge-table", DataTable)
    return [[plain(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


@pytest.fixture(scope="module", autouse=True)
def _report_delays():
    yield
    if DELAYS:
        print("\nteammate's change on screen after (s):")
        for what, delay in DELAYS:
            print(f"  {delay:5.2f}  {what}")


# --------------------------------------------------------------------------- a teammate's edit shows up


@pytest.mark.parametrize("poll_seconds", [0.1, 1.0], ids=["poll-0.1s", "poll-1s-default"])
async def test_a_teammates_edit_shows_without_a_key_press_and_the_cursor_stays(
    shared_file: Path, poll_seconds: float
) -> None:
    a = app_for(shared_file, "sam")
    b = app_for(shared_file, "ann", poll_seconds=poll_seconds)
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        sam, ann = Teammate(pa), Teammate(pb)
        await sam.goto("clients")
        await ann.goto("clients")
        await cursor_to(ann, "c-lumen")
        row_before = ann.table.cursor_row
        assert row_of(ann, "c-lumen")[INDUSTRY] == "Software"

        # Sam edits Lumen's industry through the form
        await edit_field(sam, "c-lumen", "industry", "Deep tech")
        started = time.monotonic()
        await sam.save_ok()
        await wait_timed(
            ann,
            started,
            lambda: row_of(ann, "c-lumen")[INDUSTRY] == "Deep tech",
            f"an edited cell in the other app (poll {poll_seconds}s)",
        )
        assert ann.screen is records_screen(b) and b.current_mode == "clients"
        assert cursor_key(ann) == "c-lumen" and ann.table.cursor_row == row_before
        assert noticed(ann, "sam")
        assert ann.app.workspace.revision == sam.app.workspace.revision

        # Sam renames ACME (sorted before Lumen) to sort last: Ann's rows move, her cursor follows Lumen
        await edit_field(sam, "c-acme", "name", "Zenith Works")
        started = time.monotonic()
        await sam.save_ok()
        await wait_timed(
            ann,
            started,
            lambda: has_row(ann, "c-acme") and row_of(ann, "c-acme")[0] == "Zenith Works",
            f"a renamed client in the other app (poll {poll_seconds}s)",
        )
        assert ann.table.get_row_index(repr("c-acme")) == ann.table.row_count - 1
        assert cursor_key(ann) == "c-lumen", "the cursor left the record it was on"
        assert ann.table.cursor_row == row_before - 1
        assert stored_client(shared_file, "c-acme").name == "Zenith Works"


async def test_an_open_form_keeps_what_was_typed_when_a_teammates_change_arrives(shared_file: Path) -> None:
    a, b = app_for(shared_file, "sam"), app_for(shared_file, "ann")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        sam, ann = Teammate(pa), Teammate(pb)
        await sam.goto("clients")
        await ann.goto("clients")
        await ann.open_form("a")
        form = ann.form
        await ann.fill("name", "Globex Partners")
        await ann.fill("industry", "Logi")

        await edit_field(sam, "c-lumen", "industry", "Deep tech")
        started = time.monotonic()
        await sam.save_ok()
        # the table under Ann's form shows Sam's change; the form is the same, untouched
        await wait_timed(
            ann, started, lambda: row_of(ann, "c-lumen")[INDUSTRY] == "Deep tech", "a change under an open form"
        )
        await pb.pause(0.3)  # a few more polls
        assert noticed(ann, "sam")
        assert ann.screen is form, "the refresh closed or replaced the open form"
        assert ann.widget("name").value == "Globex Partners"
        assert ann.widget("industry").value == "Logi"
        assert b.focused is ann.widget("industry"), "the refresh moved the focus"
        assert ann.widget("industry").cursor_position == len("Logi")
        assert not ann.form_errors().strip()

        # typing goes on where it was, and the save keeps both changes
        await ann.type("stics")
        assert ann.widget("industry").value == "Logistics"
        started = time.monotonic()
        await ann.save_ok()
        stored = Store(shared_file).load()
        assert any(c.name == "Globex Partners" and c.industry == "Logistics" for c in stored.clients)
        assert next(c for c in stored.clients if c.id == "c-lumen").industry == "Deep tech"
        # and Sam's app shows Ann's new client
        await wait_timed(sam, started, lambda: has_row(sam, "c-globex-partners"), "a new client in the other app")


# --------------------------------------------------------------------------- conflicting edits


async def test_a_conflicting_edit_asks_and_reload_or_overwrite_do_what_they_say(shared_file: Path) -> None:
    """Ann saves before her app has polled the file (poll off here: the race of a save within
    the poll interval); see the next test for a save after the poll."""
    a, b = app_for(shared_file, "sam"), app_for(shared_file, "ann", poll_seconds=0)
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        sam, ann = Teammate(pa), Teammate(pb)
        await sam.goto("clients")
        await ann.goto("clients")

        # 1. Ann edits Lumen; Sam changes and saves Lumen first; Ann saves: asked (theirs and yours of
        # the industry side by side); r says her typed change is lost, d reloads
        await edit_field(ann, "c-lumen", "industry", "Biotech")
        await edit_field(sam, "c-lumen", "industry", "Deep tech")
        await sam.save_ok()
        await ann.press("ctrl+s")
        await wait_for_clash(ann)
        text = clash_text(b)
        assert re.search(
            r"sam changed this client (just now|\d+ (second|minute|hour|day)s? ago), "
            r"after you opened it",
            text,
        ), text
        assert "You both changed this field: keep theirs or yours." in text
        assert [row[:4] for row in clash_rows(b)] == [["Industry", "Deep tech", "Biotech", "t or y?"]]
        assert clash_rows(b)[0][4].startswith("sam, ")
        assert buttons(b) == ["Save  ctrl+s", "All theirs  a", "All yours  o", "Back  esc"]
        assert stored_client(shared_file, "c-lumen").industry == "Deep tech"  # nothing written yet

        await answer_conflict(ann, "r")
        assert isinstance(ann.screen, RecordsScreen)
        assert row_of(ann, "c-lumen")[INDUSTRY] == "Deep tech", "reload did not show Sam's value"
        assert ann.app.workspace.revision == Store(shared_file).revision()
        assert stored_client(shared_file, "c-lumen").industry == "Deep tech"
        assert cursor_key(ann) == "c-lumen"

        # 2. the same again; this time o overwrites Sam's change with Ann's (all yours), and says so
        await edit_field(ann, "c-lumen", "industry", "Biotech")
        assert ann.form.values["industry"] == "Deep tech"  # the form opened on the reloaded record
        await edit_field(sam, "c-lumen", "industry", "Quantum")
        await sam.save_ok()
        await ann.press("ctrl+s")
        await wait_for_clash(ann)
        assert clash_rows(b)[0][1] == "Quantum"
        started = time.monotonic()
        await answer_conflict(ann, "o")
        assert isinstance(ann.screen, RecordsScreen)
        assert stored_client(shared_file, "c-lumen").industry == "Biotech"
        assert row_of(ann, "c-lumen")[INDUSTRY] == "Biotech"
        entry = Store(shared_file, user="x").last_entry()
        assert entry["by"] == "ann" and entry["changes"][0]["before"]["industry"] == "Quantum"
        assert entry["overwrote"] == [{"user": "sam", "kind": "clients", "key": "c-lumen", "fields": ["industry"]}]
        # and Sam's app shows Ann's value
        await wait_timed(
            sam, started, lambda: row_of(sam, "c-lumen")[INDUSTRY] == "Biotech", "an overwrite in the other app"
        )


async def test_escape_in_the_conflict_dialog_keeps_the_form_and_writes_nothing(shared_file: Path) -> None:
    a, b = app_for(shared_file, "sam"), app_for(shared_file, "ann", poll_seconds=0)
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        sam, ann = Teammate(pa), Teammate(pb)
        await sam.goto("clients")
        await ann.goto("clients")
        await edit_field(ann, "c-lumen", "industry", "Biotech")
        form = ann.form
        await edit_field(sam, "c-lumen", "industry", "Deep tech")
        await sam.save_ok()
        before = file_state(shared_file)
        await ann.press("ctrl+s")
        await wait_for_clash(ann)
        await ann.press("escape")
        await ann.wait_until(lambda: ann.screen is form, "back in the form")
        assert ann.widget("industry").value == "Biotech"
        assert file_state(shared_file) == before


async def test_a_conflict_is_detected_after_the_app_polled_the_teammates_change(shared_file: Path) -> None:
    a, b = app_for(shared_file, "sam"), app_for(shared_file, "ann")  # both poll every 0.1 s
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        sam, ann = Teammate(pa), Teammate(pb)
        await sam.goto("clients")
        await ann.goto("clients")
        await edit_field(ann, "c-lumen", "industry", "Biotech")
        await edit_field(sam, "c-lumen", "industry", "Deep tech")
        await sam.save_ok()
        await ann.wait_until(lambda: noticed(ann, "sam"), "Ann's app to notice Sam's change")
        assert ann.widget("industry").value == "Biotech"  # her form is still open, as typed

        await ann.press("ctrl+s")
        await ann.wait_until(lambda: not isinstance(ann.screen, FormScreen), "the form to save or ask")
        lost = stored_client(shared_file, "c-lumen").industry == "Biotech"
        assert isinstance(ann.screen, MergeScreen), "no conflict dialog: Ann's save " + (
            "overwrote Sam's 'Deep tech' without asking" if lost else "went on"
        )


@pytest.mark.parametrize("answer", ["o", "r"])
async def test_a_record_deleted_while_being_edited(shared_file: Path, answer: str) -> None:
    # a client nothing refers to (every demo client has invoices), added by Sam earlier
    Store(shared_file, user="sam").put("clients", model.Client(id="c-zephyr", name="Zephyr Design", industry="Design"))
    a, b = app_for(shared_file, "sam"), app_for(shared_file, "ann")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        sam, ann = Teammate(pa), Teammate(pb)
        await sam.goto("clients")
        await ann.goto("clients")
        await edit_field(ann, "c-zephyr", "industry", "Games")

        await cursor_to(sam, "c-zephyr")
        await sam.press("d")
        started = time.monotonic()
        await sam.confirm("y")
        assert stored_client(shared_file, "c-zephyr") is None
        # Ann's app notices: the row goes from the table under her form; the form stays as typed
        await wait_timed(ann, started, lambda: not has_row(ann, "c-zephyr"), "a deleted row in the other app")
        assert ann.widget("industry").value == "Games"

        await ann.press("ctrl+s")
        await wait_for_conflict(ann)
        text = dialog_text(b)
        assert re.search(
            r"sam deleted this record (just now|\d+ (second|minute|hour|day)s? ago)\. "
            r"Add it again with your changes \(o\), or drop your changes and reload \(r\)\?",
            text,
        ), text
        assert buttons(b)[0] == "Add it again  o"

        started = time.monotonic()
        await answer_conflict(ann, answer)
        stored = stored_client(shared_file, "c-zephyr")
        if answer == "o":
            assert stored == model.Client(id="c-zephyr", name="Zephyr Design", industry="Games")
            assert has_row(ann, "c-zephyr") and row_of(ann, "c-zephyr")[INDUSTRY] == "Games"
            await wait_timed(sam, started, lambda: has_row(sam, "c-zephyr"), "a record added again in the other app")
            assert row_of(sam, "c-zephyr")[INDUSTRY] == "Games"
        else:
            assert stored is None
            assert not has_row(ann, "c-zephyr")
            assert ann.app.workspace.revision == Store(shared_file).revision()


# --------------------------------------------------------------------------- the dashboard, read-only, history


async def test_the_dashboard_follows_a_teammates_change(shared_file: Path) -> None:
    a, b = app_for(shared_file, "sam"), app_for(shared_file, "ann")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        sam, ann = Teammate(pa), Teammate(pb)

        def card() -> str:
            return plain(b.screen.query_one("#card-cash", Static).render())

        def score() -> str:
            return plain(b.screen.query_one("#score", Static).render())

        await ann.wait_until(lambda: "Cash covers" in card(), "Ann's dashboard")
        assert "Cash covers 4.0 months of costs: build toward 6" in card()
        score_before = score()
        assert re.search(r"Independence score \d+/100", score_before)

        await sam.goto("cash")
        await cursor_to_cash(sam, date(2026, 11, 25))
        await sam.open_form("e")
        await sam.fill("balance", "400000")
        started = time.monotonic()
        await sam.save_ok()
        await wait_timed(ann, started, lambda: "11.8 months" in card(), "the dashboard of the other app")
        assert "Cash covers 11.8 months of costs: put the surplus to work" in card()
        assert "now 11.8 months of costs" in b.screen.query_one("#trends", Trends).rows[0][0]
        assert score() != score_before, "the score did not follow the teammate's change"
        shown = re.search(r"Independence score \d+/100", score())
        assert shown and shown[0] == score_of(a)  # the same score in both apps
        assert b.current_mode == "dashboard"


async def cursor_to_cash(ui: Teammate, day: date) -> None:
    await move_cursor(ui, repr(day))
    await ui.wait_until(lambda: records_screen(ui.app).selected().date == day, f"the cursor on {day}")


def score_of(app: AdvisorApp) -> str:
    return f"Independence score {app.workspace.advice.score}/100"


async def test_a_read_only_session_shows_the_banner_and_writes_nothing(shared_file: Path) -> None:
    a = app_for(shared_file, "sam")
    b = app_for(shared_file, "ann", writable=False)
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        sam, ann = Teammate(pa), Teammate(pb)
        await sam.goto("clients")

        def banner() -> Static:
            return ann.screen.query_one("#banner", Static)

        assert b.workspace.read_only and not a.workspace.read_only
        await ann.wait_until(lambda: banner().display, "the banner on the dashboard")
        assert plain(banner().render()).startswith("READ-ONLY: you may look but not change ")
        assert str(shared_file) in plain(banner().render())
        assert not sam.screen.query_one("#banner", Static).display, "the writable session shows the banner"

        await ann.goto("clients")
        assert banner().display
        before = file_state(shared_file)
        count = len(b.workspace.data.clients)

        # a, type, save: refused with an error, nothing written
        await ann.open_form("a")
        await ann.fill("name", "Globex")
        await ann.save()
        assert ann.form_is_open(), "the form closed as if saved"
        assert "read-only" in ann.form_errors()
        assert file_state(shared_file) == before
        assert len(b.workspace.data.clients) == count
        await ann.press("escape")  # the form holds changes: d to "Discard your changes ...?"
        await ann.wait_until(lambda: isinstance(ann.screen, DiscardScreen), "the question before discarding")
        await ann.press("d")
        await ann.wait_until(lambda: isinstance(ann.screen, RecordsScreen), "the form to close")

        # e, type, save: refused too
        await edit_field(ann, "c-lumen", "industry", "Deep tech")
        await ann.save()
        assert ann.form_is_open() and "read-only" in ann.form_errors()
        await ann.press("escape")  # the form holds changes: d to "Discard your changes ...?"
        await ann.wait_until(lambda: isinstance(ann.screen, DiscardScreen), "the question before discarding")
        await ann.press("d")
        await ann.wait_until(lambda: isinstance(ann.screen, RecordsScreen), "the form to close")

        # d, y: a client in use is archived instead of deleted, and that is refused too: "Not archived"
        await cursor_to(ann, "c-lumen")
        await ann.press("d")
        await ann.confirm("y")
        title, message, severity = ann.notifications()[-1]
        assert (title, severity) == ("Not archived", "error") and "read-only" in message
        assert file_state(shared_file) == before
        assert has_row(ann, "c-lumen")

        # a writable teammate's change still shows, and the banner stays
        await edit_field(sam, "c-lumen", "industry", "Deep tech")
        started = time.monotonic()
        await sam.save_ok()
        await wait_timed(
            ann, started, lambda: row_of(ann, "c-lumen")[INDUSTRY] == "Deep tech", "a change in a read-only session"
        )
        assert banner().display and b.workspace.read_only


async def test_history_lists_who_changed_a_record(shared_file: Path) -> None:
    a, b = app_for(shared_file, "sam"), app_for(shared_file, "ann")
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        sam, ann = Teammate(pa), Teammate(pb)
        await sam.goto("clients")
        await ann.goto("clients")

        await edit_field(sam, "c-acme", "industry", "Robotics")
        await sam.save_ok()
        await ann.wait_until(lambda: row_of(ann, "c-acme")[INDUSTRY] == "Robotics", "Sam's change in Ann's app")
        await edit_field(ann, "c-acme", "industry", "Aerospace")
        await ann.save_ok()
        await sam.wait_until(lambda: row_of(sam, "c-acme")[INDUSTRY] == "Aerospace", "Ann's change in Sam's app")

        for ui in (sam, ann):
            await cursor_to(ui, "c-acme")
            await ui.press("l")
            await ui.wait_until(lambda ui=ui: isinstance(ui.screen, HistoryScreen), "the history")
            text = "\n".join(plain(w.render()) for w in ui.screen.query(Static))
            assert "History of client ACME [Ltd]" in text
            lines = text.splitlines()
            # local time (timeshow.local_time: "2026-12-01 18:22 CET"), then who
            who = [line.split("  ")[1] for line in lines if re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d \S+  \S+  ", line)]
            assert who[:2] == ["ann", "sam"], f"newest first, ann then sam: {lines}"
            assert len(who) == 3  # and the import that added it
            assert "  industry: Robotics → Aerospace" in lines
            assert "  industry: Manufacturing → Robotics" in lines
            assert "  added" in lines
            await ui.press("escape")
            await ui.wait_until(lambda ui=ui: isinstance(ui.screen, RecordsScreen), "the history to close")
