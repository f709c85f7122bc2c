"""The team review: the agenda one page at a time, the team's decisions, lead and follow.

``r`` on the dashboard (or ``tui-advisor review``, or ctrl+p "Start or join the review")
starts a review, or joins the one under way (``workspace.review``). Four pages, keyboard
first (1-4, tab and shift+tab; j/k or the arrows in a list):

1. **Scorecard**: each pillar now, at the last review, the trend, on or off track (an
   off-track pillar is on the issues list by itself);
2. **Last review's actions**: done or not, the completion rate; ``c`` carries one over,
   ``d`` drops it;
3. **Issues**: in priority order; ``a`` accept (owner, first step due), ``x`` dismiss (a
   reason), ``z`` snooze (until a date), ``p`` park, ``n`` a note; each shows who decided
   what and when;
4. **Conclude**: the new actions, who attended, a rating; ``C`` closes the review.

Together: the leader's app tells its page and item through the presence files beside the
data file (``workspace.presence``), never through the data file; the others' apps follow
it unless their user steps out (a page of their own, or ``f``). ``L`` takes the lead. A
decision anyone makes is in the data file, so every app shows it at its next poll (a
second). Two people deciding one item: the second is asked, seeing the first's decision
(``DecisionClash``), never overwritten silently. A read-only member follows and reads;
every key that would decide says why it cannot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import ContentSwitcher, DataTable, Static

from ...engine.rules import PILLARS
from ...report import SEVERITY_LABEL
from ...safetext import visible
from ...timeshow import local_time
from ...workspace import ago, describe_error
from .base import SEVERITY_STYLE, AdvisorScreen, cursor_key, one_line
from .review_dialogs import VERB, ClashScreen, Field, FieldsDialog, decision_fields, describe_decision
from .tablefit import SCROLLBAR, fit

PAGES = ("scorecard", "actions", "issues", "conclude")
PAGE_TITLES = {
    "scorecard": "Scorecard",
    "actions": "Last review's actions",
    "issues": "Issues",
    "conclude": "Conclude",
}
PAGE_OF_ACTION = {"carry": "actions", "decide": "issues", "note": "issues", "close_review": "conclude"}
STATUS_STYLE = {"on track": "green", "off track": "bold red", "unknown": "dim"}
READ_ONLY = (
    "This session is read-only (no write permission on the data file): you can follow and read "
    "the review, but not {what}. Ask for group write access to decide."
)


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _score(value: Any) -> str:
    if value is None:
        return "unknown"
    try:
        return f"{float(value):.0f}"
    except (TypeError, ValueError):
        return visible(value)


def _trend(value: Any) -> Text:
    if value is None:
        return Text("-", style="dim")
    if isinstance(value, (int, float)):
        if value > 0:
            return Text(f"▲ +{value:.0f}", style="green")
        if value < 0:
            return Text(f"▼ {value:.0f}", style="red")
        return Text("= 0")
    return Text(one_line(value))


@dataclass
class _Since:
    review_of: str  # the review it was computed for
    since: Any  # workspace.review.Since


@dataclass
class Agenda:
    """The review's pages as shown (workspace.review's Agenda, its "since" computed apart)."""

    scorecard: list[Any]
    last_actions: list[Any]
    completion: float | None
    issues: list[Any]
    since: _Since | None = None


def start_or_join(app: Any) -> None:
    """``r``, ctrl+p or ``tui-advisor review``: open the review under way, or start one.

    Joining changes the data file (the attendee is noted) for a member who can write; a
    read-only member only opens the one under way, or is told that none is."""
    from .dashboard import DashboardScreen

    if app.current_mode != "dashboard":
        app.switch_mode("dashboard")
    top = app.screen
    if isinstance(top, ReviewScreen):
        return
    ws = app.workspace
    reviews = ws.review

    def show(review: Any) -> None:
        if review is None or isinstance(app.screen, ReviewScreen):
            return
        if app.current_mode == "dashboard" and isinstance(app.screen_stack[0], DashboardScreen):
            app.push_screen(ReviewScreen(review.id))
        else:  # the user went on elsewhere while the review was being started (a teammate's lock)
            app.notify(
                f"The review {visible(review.id)} is under way: r on the dashboard joins it.",
                title="Review",
                markup=False,
                timeout=6,
            )

    if ws.read_only:
        review = reviews.current()
        if review is None:
            app.notify(
                "No review is under way. This session is read-only: you can follow a review a teammate "
                "started, not start one.",
                title="Review",
                severity="warning",
                markup=False,
                timeout=8,
            )
            return
        show(review)
        return

    def failed(exc: Exception) -> None:
        app.notify(describe_error(exc), title="The review could not be started", severity="error", markup=False)

    def done(review: Any) -> None:
        app.data_changed()
        show(review if review is not None else reviews.current())

    app.write(reviews.plan_start, done, failed)


class ReviewScreen(AdvisorScreen):
    TITLE = "Team review"
    BINDINGS = [
        *[
            Binding(str(i + 1), f"page('{page}')", PAGE_TITLES[page], id=f"review_page_{i + 1}", show=False)
            for i, page in enumerate(PAGES)
        ],
        Binding("tab", "page_step(1)", "Next page", id="review_next", tooltip="The next page of the agenda"),
        Binding(
            "shift+tab", "page_step(-1)", "Previous", id="review_previous", show=False, tooltip="The previous page"
        ),
        Binding("j", "cursor(1)", "Down", id="review_down", show=False),
        Binding("k", "cursor(-1)", "Up", id="review_up", show=False),
        Binding("a", "decide('accept')", "Accept", id="review_accept", tooltip="An action item with an owner"),
        Binding("x", "decide('dismiss')", "Dismiss", id="review_dismiss", tooltip="Dismiss it, with a reason"),
        Binding("z", "decide('snooze')", "Snooze", id="review_snooze", tooltip="Hide it until a date"),
        Binding("p", "decide('park')", "Park", id="review_park", tooltip="Park it: no decision now"),
        Binding("n", "note", "Note", id="review_note", tooltip="A note on the item, for the minutes"),
        Binding("c", "carry(True)", "Carry over", id="review_carry", tooltip="Carry the action over"),
        Binding("d", "carry(False)", "Drop", id="review_drop", tooltip="Drop the action"),
        Binding("C", "close_review", "Close review", id="review_close", tooltip="Close the review (asks first)"),
        # (f and L are named on the review's own line, "following ann · f step out · L take the lead")
        Binding(
            "f", "follow", "Follow", id="review_follow", show=False, tooltip="Follow the leader's page, or step out"
        ),
        Binding("L", "take_lead", "Lead", id="review_lead", show=False, tooltip="Take the lead: the others follow you"),
        Binding("escape", "leave", "Leave", id="review_leave", tooltip="Back to the dashboard (the review goes on)"),
    ]

    def __init__(self, review_id: str) -> None:
        super().__init__()
        self.review_id = review_id
        self.review: Any = None
        self.agenda: Any = None
        self.page = "scorecard"
        self.following = True
        self.closed_note: str | None = None  # after this app closed the review: the minutes, the hint
        self._leader_seen: tuple[str, str, str] | None = None  # (user, page, item) last followed
        self._announced: tuple[Any, ...] | None = None
        self._others: list[Any] = []
        self._rows: dict[str, dict[str, Any]] = {page: {} for page in PAGES}  # page -> row key -> item
        self._since_key: Any = None  # the data "since the last review" was asked for (workspace, revision, review)
        self._since: _Since | None = None

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        yield Static(id="review-head", classes="info")
        yield Static(id="review-pages", classes="info")
        with ContentSwitcher(initial="page-scorecard", id="review-body"):
            for page in PAGES:
                with Vertical(id=f"page-{page}", classes="review-page"):
                    yield Static(id=f"info-{page}", classes="info")
                    yield DataTable(id=f"t-{page}", cursor_type="row", classes="review-table")
                    if page in ("issues", "conclude", "actions"):
                        with VerticalScroll(id=f"box-{page}", classes="review-detail"):
                            yield Static(id=f"detail-{page}")

    def on_mount(self) -> None:
        super().on_mount()
        seconds = getattr(self.advisor, "poll_seconds", 1.0) or 1.0
        self.set_interval(min(1.0, seconds), self.tick)
        self._focus_table()
        self.tick()

    def on_resize(self) -> None:
        if self.is_mounted:
            self._fill_all()  # the columns fit the new width

    # ------------------------------------------------------------------ the data

    @property
    def closed(self) -> bool:
        return self.review is not None and bool(self.review.closed)

    @property
    def leading(self) -> bool:
        return self.review is not None and not self.closed and self.review.leader == self.workspace.user

    def _find_review(self) -> Any:
        reviews = self.workspace.review
        return next((r for r in reviews.all() if r.id == self.review_id), None)

    def refresh_data(self) -> None:
        before = self.review
        self.review = self._find_review()
        if self.review is None:
            self.agenda = None
        else:
            try:
                self.agenda = self._agenda(self.review)
            except Exception as exc:  # a value the agenda cannot take: say so, keep the screen
                self.agenda = None
                self.notify(describe_error(exc), title="The agenda", severity="error", markup=False)
        if before is not None and self.review is not None and before.leader != self.review.leader:
            self._leader_seen = None
            if self.leading:
                self.notify("You lead the review now: the others follow your page.", title="Review", timeout=4)
        self._fill_all()
        self.show_head()
        self.refresh_bindings()
        self._announce()
        self._want_since()

    def _agenda(self, review: Any) -> Agenda:
        """The agenda's pages, from the data as read (quick: no file read, no advice computed).
        "Since the last review" reads the whole audit log and computes the advice as of then
        (most of a second on a large agency): it is computed in a thread, once per revision of
        the data, and shown on the scorecard when it is there (``_since_done``)."""
        reviews = self.workspace.review
        actions = reviews.last_actions(review)
        completion = sum(1 for a in actions if a.done) / len(actions) if actions else None
        since = self._since if self._since is not None and self._since.review_of == review.id else None
        return Agenda(reviews.scorecard(review), actions, completion, reviews.issues(review), since)

    def _want_since(self) -> None:
        """Compute what changed since the last review, when the scorecard shows it and the data
        changed since it was computed (not while the team is on another page: it competes for
        the CPU with reading a teammate's change)."""
        review = self.review
        if review is None or self.page != "scorecard":
            return
        key = (id(self.workspace), self.workspace.revision, review.id)
        if self._since_key == key:
            return
        self._since_key = key
        self.run_worker(
            partial(self._since_thread, key, self.workspace, review),
            thread=True,
            group="review-since",
            exit_on_error=False,
        )

    def _since_thread(self, key: Any, ws: Any, review: Any) -> None:
        try:
            since = ws.review.since(review)
        except Exception:  # what changed since is a courtesy of the scorecard: never a reason to fail
            return
        try:
            self.app.call_from_thread(self._since_done, key, review.id, since)
        except Exception:  # the app has ended meanwhile
            pass

    def _since_done(self, key: Any, review_id: str, since: Any) -> None:
        if key != self._since_key or not self.is_mounted:
            return  # the data changed meanwhile: a newer one is on its way
        self._since = _Since(review_id, since)
        if self.agenda is not None:
            self.agenda.since = self._since
            try:
                self._fill_scorecard()
            except NoMatches:
                pass

    def decisions(self) -> dict[str, Any]:
        """item key -> its decision (the last one stored)."""
        out: dict[str, Any] = {}
        for d in getattr(self.review, "decisions", []) or []:
            out[d.item] = d
        return out

    def _width(self) -> int:
        return max(40, (self.size.width or self.app.size.width) - SCROLLBAR)

    def _fill(
        self,
        page: str,
        labels: Sequence[str],
        rows: list[tuple[str, list[Text], Any]],
        shrinkable: Sequence[bool],
    ) -> None:
        """Fill a page's table, its columns fit to the width (long texts cut with an ellipsis),
        the cursor kept on the row it was on (by key)."""
        table = self.query_one(f"#t-{page}", DataTable)
        keep = cursor_key(table)
        row_at = table.cursor_row
        layout = fit(
            labels, [[c.plain for c in cells] for _, cells, _ in rows], shrinkable, [0] * len(labels), self._width()
        )
        table.clear(columns=True)
        for i, width in zip(layout.shown, layout.widths, strict=True):
            table.add_column(labels[i], width=width, key=str(i))
        self._rows[page] = {}
        for key, cells, item in rows:
            shown = []
            for i, width in zip(layout.shown, layout.widths, strict=True):
                cell = cells[i].copy()
                if cell.cell_len > width:
                    cell.truncate(width, overflow="ellipsis")
                shown.append(cell)
            table.add_row(*shown, key=key)
            self._rows[page][key] = item
        if keep in self._rows[page]:
            table.move_cursor(row=table.get_row_index(keep))
        elif rows:
            table.move_cursor(row=min(max(row_at, 0), len(rows) - 1))

    def _fill_all(self) -> None:
        self._fill_scorecard()
        self._fill_actions()
        self._fill_issues()
        self._fill_conclude()
        self.show_detail()

    def _info(self, page: str, text: Text) -> None:
        self.query_one(f"#info-{page}", Static).update(text)

    def _fill_scorecard(self) -> None:
        lines = list(getattr(self.agenda, "scorecard", []) or [])
        last = self._last_closed()
        first = last is None  # no last review: nothing to compare with, not an unknown score
        rows = []
        off = 0
        for line in lines:
            status = str(line.status)
            mark = Text(status, style=STATUS_STYLE.get(status, ""))
            if status == "off track":
                off += 1
                mark.append(" → issues", style="red")
            label = line.label or PILLARS.get(line.pillar, {}).get("title", line.pillar)
            rows.append(
                (
                    str(line.pillar),
                    [
                        Text(one_line(label)),
                        Text(_score(line.now)),
                        Text("-", style="dim") if first else Text(_score(line.last)),
                        _trend(line.trend),
                        mark,
                    ],
                    line,
                )
            )
        self._fill(
            "scorecard", ["Pillar", "Now", "Last review", "Trend", "Status"], rows, [True, False, False, False, True]
        )
        info = Text("Scorecard", style="bold")
        info.append(
            "   now, and at the last review "
            + (
                f"({visible(last.id)}, {local_time(last.closed)})" if last is not None and last.closed else "(none yet)"
            ),
            style="dim",
        )
        if off:
            info.append(f"\n{off} off track: on the issues list (page 3)", style="red")
        elif lines:
            info.append("\nNothing off track.", style="green")
        since = self._since_line()
        if since:
            info.append("\n")
            info.append(since, style="dim")
        self._info("scorecard", info)

    def _since_line(self) -> str:
        """'Since rv-0001 closed 2026-11-16 10:30 CET: 23 changes (ann 15, bob 8); score 45 → 50 (+5)'."""
        wrapped = getattr(self.agenda, "since", None)
        since = getattr(wrapped, "since", None)
        if since is None or not getattr(since, "review", None):
            return ""
        text = f"Since {visible(since.review)} closed {local_time(since.since) if since.since else ''}: "
        if not getattr(since, "logged", True):
            text += "no changes known (no audit log)"
        else:
            n = len(since.changes)
            who = sorted(since.by.items(), key=lambda kv: -kv[1])[:4]
            text += f"{n} change{'s' if n != 1 else ''}" + (
                " (" + ", ".join(f"{visible(u) or 'someone'} {c}" for u, c in who) + ")" if who else ""
            )
        score = next((d for d in since.deltas if d.name == "score"), None)
        if score is not None and score.then is not None and score.now is not None:
            change = f" ({score.delta:+.0f})" if score.delta is not None else ""
            text += f"; score {_score(score.then)} → {_score(score.now)}{change}"
        return text + " · tui-advisor review since"

    def _last_closed(self) -> Any:
        try:
            last = self.workspace.review.last_closed()
        except Exception:
            return None
        if last is not None and self.review is not None and last.id == self.review.id:
            return None
        return last

    def _fill_actions(self) -> None:
        lines = list(getattr(self.agenda, "last_actions", []) or [])
        carried = set(getattr(self.review, "carried", []) or [])
        dropped = set(getattr(self.review, "dropped", []) or [])
        rows = []
        for line in lines:
            action = line.action
            aid = action.id
            if aid in carried:
                then = Text("carried over", style="cyan")
            elif aid in dropped:
                then = Text("dropped", style="dim")
            else:
                then = Text("-", style="dim")
            done = Text("done", style="green") if line.done else Text("not done", style="yellow")
            rows.append(
                (
                    aid,
                    [
                        Text(one_line(action.title)),
                        Text(one_line(action.owner) or "-"),
                        Text(f"{line.done_steps}/{line.steps}"),
                        done,
                        then,
                    ],
                    line,
                )
            )
        self._fill("actions", ["Action", "Owner", "Steps", "Done", "Next"], rows, [True, True, False, False, False])
        info = Text("Last review's actions", style="bold")
        completion = getattr(self.agenda, "completion", None)
        if not lines:
            info.append(
                "   none: "
                + ("the last review made no actions" if self._last_closed() else "this is the first review"),
                style="dim",
            )
        else:
            done_count = sum(1 for line in lines if line.done)
            info.append(
                f"   completion {completion * 100:.0f}% ({done_count} of {len(lines)} done)"
                if completion is not None
                else "   completion unknown",
            )
            info.append("\nc carry over · d drop", style="dim")
        self._info("actions", info)

    def _fill_issues(self) -> None:
        items = list(getattr(self.agenda, "issues", []) or [])
        decided = self.decisions()
        rows = []
        for n, item in enumerate(items, 1):
            d = decided.get(item.key)
            decision = Text(self._short_decision(d), style="green" if d is not None else "dim")
            severity = str(item.severity)
            rows.append(
                (
                    item.key,
                    [
                        Text(str(n), justify="right"),
                        Text(SEVERITY_LABEL.get(severity, visible(severity)), style=SEVERITY_STYLE.get(severity, "")),
                        Text(one_line(item.title)),
                        decision,
                    ],
                    item,
                )
            )
        self._fill("issues", ["#", "Severity", "Issue", "Decision"], rows, [False, False, True, True])
        info = Text("Issues", style="bold")
        open_count = sum(1 for item in items if item.key not in decided)
        info.append(f"   {len(items)} in priority order, {open_count} open")
        info.append("\na accept · x dismiss · z snooze · p park · n note", style="dim")
        self._info("issues", info)

    def _short_decision(self, d: Any) -> str:
        if d is None:
            return "open"
        who = visible(d.by) or "someone"
        if d.kind == "accept":
            owner = visible(getattr(d, "owner", "") or "")
            return f"accepted ({owner})" if owner else "accepted"
        if d.kind == "snooze" and d.until:
            return f"snoozed to {d.until.isoformat()}"
        return f"{VERB.get(d.kind, visible(d.kind))} by {who}"

    def _new_actions(self) -> list[tuple[Any, Any]]:
        """(decision, its action item or None) of every accepted item, in the issues' order."""
        actions = {a.id: a for a in self.workspace.data.actions}
        out = []
        for d in self.decisions().values():
            if d.kind == "accept":
                out.append((d, actions.get(getattr(d, "action", "") or "")))
        return out

    def _fill_conclude(self) -> None:
        rows = []
        for d, action in self._new_actions():
            title = action.title if action is not None else d.item
            owner = (action.owner if action is not None else "") or getattr(d, "owner", "")
            due = self._due(action)
            rows.append(
                (
                    d.item,
                    [Text(one_line(title)), Text(one_line(owner) or "-"), Text(due)],
                    (d, action),
                )
            )
        self._fill("conclude", ["New action", "Owner", "Due"], rows, [True, True, False])
        info = Text("Conclude", style="bold")
        items = list(getattr(self.agenda, "issues", []) or [])
        decided = self.decisions()
        counts: dict[str, int] = {}
        for d in decided.values():
            counts[d.kind] = counts.get(d.kind, 0) + 1
        summary = ", ".join(f"{n} {VERB.get(k, k)}" for k, n in counts.items())
        open_count = sum(1 for item in items if item.key not in decided)
        info.append(f"   {len(decided)} decided" + (f" ({summary})" if summary else "") + f", {open_count} open")
        if not self.closed:
            info.append("\nC close the review (asks first)", style="dim")
        self._info("conclude", info)

    @staticmethod
    def _due(action: Any) -> str:
        if action is None:
            return "-"
        due = getattr(action, "due", None)
        if due is None:
            steps = [s.due for s in getattr(action, "steps", []) if s.due is not None]
            due = min(steps) if steps else None
        return due.isoformat() if due is not None else "-"

    def attendees(self) -> list[str]:
        """Who is in the review: the attendees noted, the teammates in it now, and this user."""
        names = list(getattr(self.review, "attendees", []) or [])
        if not self.closed:  # a closed review's attendees are those it stored
            names += [h.user for h in self._others if getattr(h, "review", "") == self.review_id]
            names.append(self.workspace.user)
        return list(dict.fromkeys(visible(n) for n in names if n))

    # ------------------------------------------------------------------ what is shown

    def show_head(self) -> None:
        head = Text()
        review = self.review
        if review is None:
            head.append("This review is not in the data file (deleted, or the file was replaced).", style="bold red")
            self.query_one("#review-head", Static).update(head)
            return
        head.append(f"Review {visible(review.id)}", style="bold")
        head.append(f"  started {local_time(review.started)} by {visible(review.by)}", style="dim")
        head.append("\n")
        if self.closed:
            head.append(f"Closed {local_time(review.closed)}. ", style="bold")
            head.append(self.closed_note or f"It is kept as it is: tui-advisor review show {visible(review.id)}")
        elif self.leading:
            head.append("You lead", style="bold green")
            head.append(": the others follow your page")
        else:
            leader = visible(review.leader) or "nobody"
            here = self._leader_here()
            if here is None:
                head.append(f"{leader} leads, not in the review now", style="yellow")
                head.append(" · L take the lead")
            elif self.following:
                head.append(f"following {leader}", style="bold cyan")
                head.append(" · f step out · L take the lead", style="dim")
            else:
                head.append("not following: f to follow", style="bold yellow")
                head.append(f" {leader} (on {PAGE_TITLES.get(here.page, visible(here.page))})", style="dim")
                head.append(" · L take the lead", style="dim")
        if self.workspace.read_only:
            head.append("  READ-ONLY: follow and read", style="bold yellow")
        self.query_one("#review-head", Static).update(head)
        pages = Text()
        for i, page in enumerate(PAGES, 1):
            label = f" {i} {PAGE_TITLES[page]} "
            pages.append(label, style="reverse bold" if page == self.page else "")
            pages.append(" ")
        pages.append(" tab/shift+tab", style="dim")
        self.query_one("#review-pages", Static).update(pages)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == f"t-{self.page}":
            self.show_detail()
            self._announce()

    def selected(self, page: str | None = None) -> Any:
        page = page or self.page
        table = self.query_one(f"#t-{page}", DataTable)
        return self._rows[page].get(cursor_key(table) or "")

    def selected_key(self) -> str:
        return cursor_key(self.query_one(f"#t-{self.page}", DataTable)) or ""

    def show_detail(self) -> None:
        self._detail_issue()
        self._detail_action()
        self._detail_conclude()

    def _detail_issue(self) -> None:
        item = self.selected("issues")
        text = Text()
        if item is None:
            text.append("No issues: nothing is off track and no recommendation is open.", style="dim")
        else:
            text.append(one_line(item.title), style="bold")
            text.append("\n")
            severity = str(item.severity)
            text.append(SEVERITY_LABEL.get(severity, visible(severity)), style=SEVERITY_STYLE.get(severity, ""))
            pillar = PILLARS.get(item.pillar, {}).get("title", item.pillar)
            text.append(f"  {one_line(item.rule or 'scorecard')} · {one_line(pillar)}", style="dim")
            if item.message:
                text.append("\n")
                text.append(one_line(item.message))
            d = self.decisions().get(item.key)
            text.append("\n\nDecision: ", style="bold")
            if d is None:
                text.append("open", style="dim")
            else:
                text.append(describe_decision(d, local_time(d.at)))
                if d.kind == "accept" and getattr(d, "action", ""):
                    action = next((a for a in self.workspace.data.actions if a.id == d.action), None)
                    text.append(f"\nAction {visible(d.action)}", style="dim")
                    if action is not None and action.steps:
                        first = action.steps[0].due
                        text.append(
                            f": {len(action.steps)} weekly step{'s' if len(action.steps) != 1 else ''}"
                            + (f", the first due {first.isoformat()}" if first else "")
                            + f", done by {self._due(action)}",
                            style="dim",
                        )
                if d.note:
                    text.append("\nNote: ", style="bold")
                    text.append(visible(d.note))
        self.query_one("#detail-issues", Static).update(text)

    def _detail_action(self) -> None:
        line = self.selected("actions")
        text = Text()
        if line is not None:
            action = line.action
            text.append(one_line(action.title), style="bold")
            for s in getattr(action, "steps", []):
                mark = "✓" if s.done else "·"
                text.append(f"\n {mark} {s.due.isoformat() if s.due else '          '}  {one_line(s.title)}")
                if getattr(s, "owner", ""):
                    text.append(f" ({visible(s.owner)})", style="dim")
        self.query_one("#detail-actions", Static).update(text)

    def _detail_conclude(self) -> None:
        text = Text()
        text.append("Attendees: ", style="bold")
        text.append(", ".join(self.attendees()) or "-")
        review = self.review
        if review is not None and self.closed:
            rating = getattr(review, "rating", None)
            text.append("\nRating: ", style="bold")
            text.append("-" if rating is None else f"{rating}/10")
            if getattr(review, "notes", ""):
                text.append("\nNotes: ", style="bold")
                text.append(visible(review.notes))
            text.append("\n\n")
            text.append(self.closed_note or f"tui-advisor review show {visible(review.id)}", style="bold")
        self.query_one("#detail-conclude", Static).update(text)

    # ------------------------------------------------------------------ together

    def _announce(self, *, force: bool = False) -> None:
        """Tell the others where this session is in the review (the app's presence file,
        written at once): the page, the item under the cursor, leading or following."""
        if not self.is_mounted or self.review is None:
            return
        state = ("" if self.closed else self.review_id, self.page, self.selected_key(), self.leading, self.following)
        if state == self._announced and not force:
            return
        self._announced = state
        announce = getattr(self.app, "announce", None)
        if announce is None:
            return
        try:
            review, page, item, leading, following = state
            announce(review=review, page=page, item=item, leading=leading, following=following)
        except Exception:  # the presence files are a courtesy: never a reason to fail
            pass

    def _leader_here(self) -> Any:
        review = self.review
        if review is None:
            return None
        leading = [h for h in self._others if h.leading and getattr(h, "review", "") == self.review_id]
        return next((h for h in leading if h.user == review.leader), None)

    def presence_changed(self, here: list[Any]) -> None:
        """The app read the presence folder and someone moved (AdvisorApp.refresh_presence)."""
        self._others = list(here)
        if self.is_mounted:
            try:
                self.follow_leader()
                self.show_head()
                self._detail_conclude()
            except NoMatches:  # the screen is being taken down (the app quits)
                pass

    def tick(self) -> None:
        """Every second: the times shown; the presence read here when the app does not poll."""
        if not self.is_mounted:
            return
        app: Any = self.app
        if not getattr(app, "poll_seconds", 1) and hasattr(app, "refresh_presence"):
            app.refresh_presence()  # (it calls presence_changed when someone moved)
        self._others = list(getattr(app, "here", []) or [])
        try:
            self.follow_leader()
            self.show_head()
        except NoMatches:  # the screen is being taken down (the app quits)
            pass

    def follow_leader(self) -> None:
        if self.review is None or self.closed or self.leading or not self.following:
            return
        here = self._leader_here()
        if here is None:
            return
        seen = (here.user, here.page, here.item)
        if seen == self._leader_seen:
            return
        self._leader_seen = seen
        if here.page in PAGES and here.page != self.page:
            self._show_page(here.page)
        if here.item:
            table = self.query_one(f"#t-{self.page}", DataTable)
            if here.item in self._rows[self.page]:
                table.move_cursor(row=table.get_row_index(here.item))

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        page = PAGE_OF_ACTION.get(action)
        if page is not None and (page != self.page or self.closed):
            return False  # the keys of the page shown, only while the review is open
        return not (action in ("take_lead", "follow") and (self.leading or self.closed))

    def _show_page(self, page: str) -> None:
        self.page = page
        self.query_one("#review-body", ContentSwitcher).current = f"page-{page}"
        self._want_since()
        self._focus_table()
        self.show_head()
        self.show_detail()
        self.refresh_bindings()
        self._announce()

    def _focus_table(self) -> None:
        self.query_one(f"#t-{self.page}", DataTable).focus()

    def _step_out(self) -> None:
        if self.following and not self.leading and self._leader_here() is not None:
            self.following = False

    def action_page(self, page: str) -> None:
        if page != self.page:
            self._step_out()
            self._show_page(page)

    def action_page_step(self, step: int) -> None:
        at = PAGES.index(self.page)
        self.action_page(PAGES[(at + step) % len(PAGES)])

    def action_cursor(self, step: int) -> None:
        table = self.query_one(f"#t-{self.page}", DataTable)
        if step > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def action_follow(self) -> None:
        self.following = not self.following
        self._leader_seen = None
        if self.following:
            self.follow_leader()
        self.show_head()
        self._announce()

    def action_leave(self) -> None:
        announce = getattr(self.app, "announce", None)
        if announce is not None:
            try:
                announce(review="")  # out of the review (the app is still open)
            except Exception:
                pass
        self.app.pop_screen()

    def _refuse_read_only(self, what: str) -> bool:
        if self.workspace.read_only:
            self.notify(READ_ONLY.format(what=what), title="Read-only", severity="warning", markup=False, timeout=6)
            return True
        return False

    def _failed(self, exc: Exception) -> None:
        self.notify(describe_error(exc), title="Not saved", severity="error", markup=False)

    def _write(self, plan: Callable[[], Any], done: Callable[[Any], Any] | None = None) -> None:
        def finished(result: Any) -> None:
            self.changed()
            if done is not None:
                done(result)

        self.advisor.write(plan, finished, self._failed)

    def action_take_lead(self) -> None:
        if self.review is None or self._refuse_read_only("take the lead"):
            return
        self._write(
            lambda: self.workspace.review.plan_take_lead(self.review_id),
            lambda _: self.notify("You lead the review: the others follow your page.", title="Review", timeout=4),
        )

    def action_carry(self, carry: bool) -> None:
        line = self.selected("actions")
        if self._refuse_read_only("carry over or drop an action") or line is None:
            return
        aid = line.action.id
        self._write(lambda: self.workspace.review.plan_carry(self.review_id, aid, carry))

    # ------------------------------------------------------------------ decisions

    def action_decide(self, kind: str) -> None:
        item = self.selected("issues")
        if self._refuse_read_only("decide") or item is None:
            return
        seen = self.decisions().get(item.key)  # what this user sees now: a teammate's later one clashes
        question = {
            "accept": f"Accept: {one_line(item.title)}\nAn action item with weekly steps (G9).",
            "dismiss": f"Dismiss: {one_line(item.title)}\nWhy? It comes back when its numbers get worse.",
            "snooze": f"Snooze: {one_line(item.title)}\nUntil when?",
            "park": f"Park: {one_line(item.title)}\nNo decision now; it stays on the list.",
        }[kind]
        if seen is not None:
            question += f"\nNow: {describe_decision(seen, ago(seen.at))}"
        fields = decision_fields(
            kind, user=self.workspace.user, today=self.workspace.as_of, note=seen.note if seen else ""
        )

        def answer(values: dict[str, Any] | None) -> None:
            if values is not None:
                self._decide(item, self._decision(item, kind, values), seen, first_due=values.get("due"))

        self.app.push_screen(FieldsDialog(question, fields, self.workspace.as_of, ok=kind.capitalize()), answer)

    def action_note(self) -> None:
        item = self.selected("issues")
        if self._refuse_read_only("write a note") or item is None:
            return
        seen = self.decisions().get(item.key)
        if seen is None:
            self.notify(
                "Decide the item first (a accept, x dismiss, z snooze, p park): its note goes with the decision.",
                title="Note",
                markup=False,
                timeout=6,
            )
            return
        fields = [Field("note", "Note (for the minutes)", seen.note, placeholder="empty: no note", limit=2000)]

        first_due = None
        if seen.kind == "accept":  # deciding again remakes its action item: keep its first step's date
            action = next((a for a in self.workspace.data.actions if a.id == seen.action), None)
            first_due = action.steps[0].due if action is not None and action.steps else None

        def answer(values: dict[str, Any] | None) -> None:
            if values is not None:
                self._decide(item, replace(seen, note=values["note"] or ""), seen, first_due=first_due)

        self.app.push_screen(
            FieldsDialog(f"Note on: {one_line(item.title)}\n{describe_decision(seen)}", fields, self.workspace.as_of),
            answer,
        )

    def _decision(self, item: Any, kind: str, values: dict[str, Any]) -> Any:
        from ... import model

        return model.Decision(
            item=item.key,
            kind=kind,
            by=self.workspace.user,
            at=_now_iso(),
            note=values.get("note") or "",
            reason=values.get("reason") or "",
            until=values.get("until") if kind == "snooze" else None,
            owner=values.get("owner") or "",
        )

    def _decide(self, item: Any, decision: Any, seen: Any, *, first_due: date | None = None) -> None:
        """Store the decision (in the background: it may wait for the lock). A teammate's decision
        stored meanwhile is a clash: asked, never overwritten. An accepted item's action item has
        its steps a week apart from the first step's due date asked for."""
        from ...workspace.review import DecisionClash

        def failed(exc: Exception) -> None:
            if isinstance(exc, DecisionClash):
                self._clash(item, decision, exc.theirs, first_due)
            else:
                self._failed(exc)

        table = self.query_one("#t-issues", DataTable)
        row = table.cursor_row

        def done(mine: Any) -> None:
            self.changed()
            # a dismissed or snoozed item leaves the advice and goes to the end of the list: the cursor
            # stays where it was, on the next item, rather than going with it
            if self.is_mounted and cursor_key(table) == item.key and table.cursor_row != row and table.row_count:
                table.move_cursor(row=min(row, table.row_count - 1))
            self.notify(f"{describe_decision(decision)}.", title=one_line(item.title)[:60], timeout=3, markup=False)
            if decision.kind == "accept" and first_due is not None:
                self._first_step_due(getattr(mine, "action", "") or "", first_due)

        review_id = self.review_id
        self.advisor.write(lambda: self.workspace.review.plan_decide(review_id, decision, seen=seen), done, failed)

    def _first_step_due(self, action_id: str, due: date) -> None:
        """Move the steps of the action item an accept made so that the first is due on ``due``
        (the core makes them a week apart from today), a week apart as before."""
        ws = self.workspace
        action = next((a for a in ws.data.actions if a.id == action_id), None)
        if action is None or not action.steps or action.steps[0].due in (None, due):
            return
        shift = due - action.steps[0].due
        steps = [replace(s, due=s.due + shift if s.due is not None else None) for s in action.steps]
        moved = replace(action, steps=steps, due=action.due + shift if action.due is not None else None)

        def done(_: Any) -> None:
            self.changed()

        self.advisor.write(lambda: ws.plan_save("actions", moved, original=action), done, self._failed)

    def _clash(self, item: Any, mine: Any, theirs: Any, first_due: date | None = None) -> None:
        # (theirs is in the data file: the app's next poll, within a second, shows it behind the dialog)
        who = visible(theirs.by) or "someone"
        verb = VERB.get(theirs.kind, visible(theirs.kind))
        text = f"{who} {verb} it {ago(theirs.at)}"
        if theirs.kind == "snooze" and theirs.until:
            text += f" (until {theirs.until.isoformat()})"
        if theirs.kind == "accept" and theirs.owner:
            text += f" (owner {visible(theirs.owner)})"
        if theirs.reason:
            text += f": '{visible(theirs.reason)}'"
        text += f"\n{one_line(item.title)}"
        if theirs.note:
            text += f"\nTheir note: {visible(theirs.note)}"

        def answer(choice: str | None) -> None:
            if choice == "replace":
                self._decide(item, replace(mine, at=_now_iso()), theirs, first_due=first_due)
            else:
                self.notify(f"Kept {who}'s decision.", title="Review", timeout=3, markup=False)

        self.app.push_screen(ClashScreen(text, describe_decision(mine)), answer)

    # ------------------------------------------------------------------ closing

    def action_close_review(self) -> None:
        if self.review is None or self.closed or self._refuse_read_only("close the review"):
            return
        decided = self.decisions()
        items = list(getattr(self.agenda, "issues", []) or [])
        open_count = sum(1 for item in items if item.key not in decided)
        fields = [
            Field("attendees", "Attendees (comma-separated)", ", ".join(self.attendees()), required=True, kind="names"),
            Field("rating", "Rating 1-10 (optional)", "", kind="rating", placeholder="how was this meeting?"),
            Field("notes", "Notes (for the minutes)", getattr(self.review, "notes", "") or "", limit=2000),
        ]
        question = f"Close review {visible(self.review_id)}"
        if open_count:
            question += f"\n{open_count} issue(s) are still open: they stay open in the advice."
        question += "\nOnce closed, the review is kept as it is and never changes."

        def answer(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            from .dialogs import ConfirmScreen

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._close(values)

            self.app.push_screen(
                ConfirmScreen(
                    f"Close review {visible(self.review_id)} with {len(values['attendees'])} attendee(s)? "
                    "It cannot be changed afterwards.",
                    yes="Close it",
                ),
                confirmed,
            )

        self.app.push_screen(FieldsDialog(question, fields, self.workspace.as_of, ok="Close"), answer)

    def _close(self, values: dict[str, Any]) -> None:
        review_id = self.review_id

        def done(result: Any) -> None:
            self.changed()
            _closed, written = result if isinstance(result, tuple) else (result, [])
            paths = [str(p) for p in written or []]
            note = "Minutes: " + ", ".join(visible(p) for p in paths) + ". " if paths else ""
            self.closed_note = note + f"See it with: tui-advisor review show {visible(review_id)}"
            self.refresh_data()
            self._show_page("conclude")
            self.notify(self.closed_note, title=f"Review {review_id} closed", timeout=10, markup=False)

        minutes = getattr(self.workspace.review, "minutes_dir", None)
        folder = minutes() if callable(minutes) else minutes  # DATAFILE.minutes/, when the team made it

        def failed(exc: Exception) -> None:
            where = getattr(exc, "path", None)
            if folder is None or where is None or not str(where).startswith(str(folder)):
                self._failed(exc)
                return
            # the review is closed in the data file; only the minutes' files could not be written
            self.closed_note = (
                f"The minutes were not written: {describe_error(exc)}. "
                f"See it with: tui-advisor review show {visible(review_id)}"
            )
            self.notify(self.closed_note, title=f"Review {review_id} closed", severity="warning", markup=False)

        self.advisor.write(
            lambda: self.workspace.review.plan_close(
                review_id,
                attendees=values["attendees"],
                rating=values["rating"],
                notes=values["notes"] or "",
                minutes_dir=folder,
            ),
            done,
            failed,
        )
