"""The dashboard: the five pillars of independence, the score, the top advice, the trends."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Static

from ...engine.advise import INDEPENDENCE
from ...engine.rules import PILLARS
from ...report import SEVERITY_LABEL, key_number, score_line, share_basis, verdict
from ...safetext import visible
from ..widgets.cards import PillarCard, ShareBars, Trends
from .base import SEVERITY_STYLE, AdvisorScreen, one_line


class DashboardScreen(AdvisorScreen):
    TITLE = "Dashboard"
    BINDINGS = [
        Binding(
            "N",
            "app.start_over",
            "Start over",
            id="start_over",
            show=False,
            tooltip="Start over: empty the data file (a backup is kept first; asks before)",
        ),
        Binding("r", "review", "Review", id="review", tooltip="Start the team review, or join the one under way"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(self) -> None:
        super().__init__()
        # the trends: the pillar scores of the last month end (one advice, computed after the first
        # frame in a thread), for the workspace, revision and date they were computed on
        self._trend_key: Any = None
        self._month_end: tuple[Any, Any] | None = None  # (key, (date, pillar -> score))
        self._later = False  # the refresh after the first frame is asked for
        # Start with the class for the terminal's width now. Textual sets it at the first resize,
        # after the first layout: below 110 columns the first frame showed the five cards in one
        # row, then jumped to two columns, and the whole screen was styled twice.
        self.add_class(self.breakpoint_class(self.app.size.width))

    @classmethod
    def breakpoint_class(cls, width: int) -> str:
        """The class of HORIZONTAL_BREAKPOINTS for ``width`` (Textual's rule: the widest that fits)."""
        return max((edge, name) for edge, name in cls.HORIZONTAL_BREAKPOINTS if width >= edge)[1]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="dashboard"):  # it has the focus: the keys scroll it
            yield Static(id="score")
            yield Static(id="top", classes="panel")
            overdue = Static(id="overdue", classes="panel")  # overdue steps, when there are any
            overdue.display = False
            overdue.styles.margin = (0, 0, 1, 0)  # a blank line before the cards, as after the advice
            yield overdue
            advice = self.workspace.advice
            with Grid(id="cards"):
                for pillar in INDEPENDENCE:
                    yield PillarCard(pillar, advice.pillars[pillar].status if advice else None, id=f"card-{pillar}")
            note = Static(id="trend-note")  # what the cards' trends compare with (once known)
            note.display = False
            yield note
            with Horizontal(id="charts"):
                yield ShareBars(id="shares", classes="chart")
                yield Trends(id="trends", classes="chart")

    def action_review(self) -> None:
        from .review import start_or_join  # the review's screens load when first opened

        start_or_join(self.app)

    def refresh_data(self) -> None:
        advice = self.workspace.advice
        if advice is None:
            return
        score = Text()
        score.append("Independence score ", style="bold")
        score.append(score_line(advice), style="bold")  # "45/100 on 4 of 5 pillars"
        score.append(f"   as of {advice.as_of.isoformat()}   ")
        score.append(visible(advice.agency) if advice.agency else "(no agency profile yet: press 3)")
        score.append("\n")
        critical = ", ".join(PILLARS[p]["short"].lower() for p in advice.score_capped_by)
        score.append(
            "the mean of the pillars below that are known, averaged with the weakest one"
            + (
                f"; at most {advice.score_cap} while {critical} "
                + ("are" if len(advice.score_capped_by) > 1 else "is")
                + " critical"
                if critical
                else ""
            ),
            style="dim",
        )
        self.query_one("#score", Static).update(score)
        # the trends and the overdue steps come after the first frame (their modules, the review's, the
        # month end's advice): the first frame shows the numbers of today at once
        started = getattr(self.advisor, "started", True)
        if not started and not self._later:
            self._later = True
            self.advisor.after_start(self.refresh_data)
        trends = self._trends(advice) if started else {}
        for pillar in INDEPENDENCE:
            ps = advice.pillars[pillar]
            self.query_one(f"#card-{pillar}", PillarCard).show(
                PILLARS[pillar]["short"],
                PILLARS[pillar]["source"],
                ps.score,
                ps.status,
                key_number(advice, pillar),
                one_line(verdict(advice, pillar)),
                trends.get(pillar),
            )
        if started:
            self._show_overdue()
        top = Text(no_wrap=True, overflow="ellipsis")
        top.append("Most urgent", style="bold")
        hidden = advice.hidden
        if hidden:  # a dismissed or snoozed one never vanishes without a trace (h on the advice lists them)
            hidden_critical = sum(r.severity == "critical" for r in hidden)
            top.append(f"   ({len(advice.recommendations)} recommendations: press 2; ", style="dim")
            top.append(f"{len(hidden)} dismissed or snoozed", style="bold red" if hidden_critical else "dim")
            top.append(f", {hidden_critical} critical" if hidden_critical else "", style="bold red")
            top.append(": h there)\n", style="dim")
        else:
            top.append(f"   ({len(advice.recommendations)} recommendations: press 2)\n", style="dim")
        for rec in advice.recommendations[:5]:
            top.append(f"{rec.priority:>2}. ")
            top.append(f"{SEVERITY_LABEL[rec.severity]:<8}", style=SEVERITY_STYLE[rec.severity])
            top.append(" ")
            top.append(one_line(rec.title))  # a rule file's text: its controls shown as escapes
            top.append("\n")
        if not advice.recommendations:
            top.append("Nothing to do: every check is in line with the guide.\n")
        top.rstrip()
        self.query_one("#top", Static).update(top)
        findings = advice.metrics.findings
        self.query_one("#shares", ShareBars).show(
            findings.get("client_shares", []), basis=share_basis(advice.metrics.values)
        )
        months = advice.metrics.values.get("cash_months")
        p13 = advice.metrics.values.get("proposals_per_week_13w")
        self.query_one("#trends", Trends).show(
            [
                (
                    "Cash, last 12 months" + ("" if months is None else f": now {months:.1f} months of costs"),
                    [float(i["balance"]) for i in findings.get("cash_history", [])],
                ),
                (
                    "Proposals per week, last 26 weeks" + ("" if p13 is None else f": {p13:.1f}/week lately"),
                    [float(i["count"]) for i in findings.get("proposals_by_week", [])],
                ),
            ]
        )

    # ------------------------------------------------------------------ overdue steps

    def _show_overdue(self) -> None:
        """The open steps due before today, oldest first: a line, hidden when there are none."""
        from ...workspace.actions import days_late, is_user, overdue_steps

        ws = self.workspace
        late = overdue_steps(ws.data, ws.as_of)
        panel = self.query_one("#overdue", Static)
        panel.display = bool(late)
        if not late:
            return
        mine = sum(is_user(s.owner, ws.user) for s in late)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"Overdue steps: {len(late)}", style="bold red")
        text.append(
            (f", {mine} of them yours" if mine else "") + "   (y on the Actions table, or ctrl+p My actions)\n",
            style="dim",
        )
        for s in late[:3]:
            days = days_late(s, ws.as_of)
            # who and how late first: a long title ends in an ellipsis at 80 columns
            text.append(f" {s.due.isoformat() if s.due else ''} ", style="red")
            text.append(
                f"{one_line(s.owner) or 'unassigned'}, {days} day{'s' if days != 1 else ''} late  ", style="dim"
            )
            text.append(one_line(s.title) + "\n")
        if len(late) > 3:
            text.append(f" and {len(late) - 3} more\n", style="dim")
        text.rstrip()
        panel.update(text)

    # ------------------------------------------------------------------ trends

    def _trends(self, advice: Any) -> dict[str, list[tuple[str, str]]]:
        """Per pillar, the lines of its card: the change since the last month end (when computed) and
        since the last closed review (when there is one). The month end is computed once per
        workspace, revision and date, after the first frame, in a thread."""
        from ...workspace import trends

        ws = self.workspace
        now = {p: s.score for p, s in advice.pillars.items()}
        out: dict[str, list[tuple[str, str]]] = {p: [] for p in now}
        key = (id(ws), ws.revision, ws.as_of, id(ws.rulebook))
        since = []
        if self._month_end is not None and self._month_end[0] == key:
            end, scores = self._month_end[1]
            for p, change in trends.changes(now, scores).items():
                out[p].append((change.words(trends.month_label(end)), _TREND_STYLE[change.arrow()]))
            since.append(f"the month end {end.isoformat()} ({trends.month_label(end)})")
        elif self._trend_key != key:
            self._trend_key = key
            # a moment after the frame: the first keys after start-up (or a quick quit) do not wait for it
            self.set_timer(0.25, lambda: self._start_month_end(key))
        review = self._last_review()
        if review is not None:
            for p, change in trends.changes(now, getattr(review, "pillars", None) or {}).items():
                out[p].append((change.words("review"), _TREND_STYLE[change.arrow()]))
            since.append(trends.review_label(review))
        note = self.query_one("#trend-note", Static)
        note.display = bool(since)
        if since:
            note.update(Text("Trends: the pillar scores now against " + " and ".join(since), style="dim"))
        return out

    def _last_review(self) -> Any:
        reviews = getattr(self.workspace, "review", None)  # workspace/review.py: ws.review.last_closed()
        try:
            return reviews.last_closed() if reviews is not None else None
        except Exception:  # the trends are only shown: never a reason to fail the dashboard
            return None

    def _start_month_end(self, key: Any) -> None:
        """The month end's scores, in a thread, on a snapshot of the data (a change saved meanwhile
        changes a newer key: the result of an older one is dropped)."""
        from ...workspace import trends

        ws = self.workspace
        if self._trend_key != key or not self.is_mounted:
            return
        data, rulebook, as_of = trends.snapshot(ws.data), ws.rulebook, ws.as_of

        def work() -> Any:
            return key, trends.month_end_scores(rulebook, data, as_of)

        self.run_worker(work, thread=True, group="trends", exclusive=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Any) -> None:
        worker = event.worker
        if worker.group != "trends" or not worker.is_finished:
            return
        result = worker.result
        if result is not None and result[0] == self._trend_key:
            self._month_end = result
            self.refresh_data()


_TREND_STYLE = {"▲": "green", "▼": "red", "=": "dim", "?": "dim"}
