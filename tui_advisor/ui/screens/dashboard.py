"""The dashboard: the five pillars of independence, the score, the top advice, the trends."""

from __future__ import annotations

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
        )
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(self) -> None:
        super().__init__()
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
            advice = self.workspace.advice
            with Grid(id="cards"):
                for pillar in INDEPENDENCE:
                    yield PillarCard(pillar, advice.pillars[pillar].status if advice else None, id=f"card-{pillar}")
            with Horizontal(id="charts"):
                yield ShareBars(id="shares", classes="chart")
                yield Trends(id="trends", classes="chart")

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
        for pillar in INDEPENDENCE:
            ps = advice.pillars[pillar]
            self.query_one(f"#card-{pillar}", PillarCard).show(
                PILLARS[pillar]["short"],
                PILLARS[pillar]["source"],
                ps.score,
                ps.status,
                key_number(advice, pillar),
                one_line(verdict(advice, pillar)),
            )
        top = Text(no_wrap=True, overflow="ellipsis")
        top.append("Most urgent", style="bold")
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
