"""The recommendations, most urgent first; the numbers, the guide and the actions behind one.

A recommendation can become an action item with weekly steps (G9), or be
dismissed or snoozed with a reason; it comes back when its numbers get worse.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from ... import model
from ...engine.advise import Recommendation
from ...engine.rules import PILLARS
from ...forms import FieldDef
from ...numbers import style_for
from ...report import SEVERITY_LABEL, dismissal_text, number_text
from ...workspace import StoreError, describe_error
from .base import SEVERITY_STYLE, AdvisorScreen, cursor_key, lit, one_line
from .dialogs import ReasonScreen
from .form import FormScreen

ACTION_FIELDS = (
    FieldDef("title", "Action", "text", required=True),
    FieldDef("owner", "Owner", "text", example="Sam"),
)


class AdviceScreen(AdvisorScreen):
    TITLE = "Advice"
    BINDINGS = [
        Binding("t", "to_action", "To action", id="advice_action", tooltip="Action item with weekly steps (G9)"),
        Binding("x", "dismiss_rec", "Dismiss", id="advice_dismiss", tooltip="Hide until the numbers get worse"),
        Binding("z", "snooze", "Snooze", id="advice_snooze", tooltip="Hide until a date"),
        Binding("h", "toggle_hidden", "Dismissed", id="advice_hidden", tooltip="Show the dismissed ones"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_hidden = False
        self._last_row = 0
        self._recs: dict[str, Recommendation] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(id="advice-info", classes="info")
        table: DataTable = DataTable(id="advice", cursor_type="row")
        table.add_column("#", key="priority")
        table.add_column("Severity", key="severity")
        table.add_column("Pillar", key="pillar")
        table.add_column("Recommendation", key="title")
        yield table
        with VerticalScroll(id="detail-box"):
            yield Static(id="detail")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("snooze", "to_action") and self.show_hidden:
            return None  # shown dimmed: not for dismissed recommendations
        return True

    def _list(self) -> list[Recommendation]:
        advice = self.workspace.advice
        if advice is None:
            return []
        return advice.hidden if self.show_hidden else advice.recommendations

    @staticmethod
    def _key(rec: Recommendation) -> str:
        return f"{rec.rule}|{rec.subject or ''}"

    def refresh_data(self) -> None:
        table = self.query_one("#advice", DataTable)
        selected = self.selected()
        keep = self._key(selected) if selected else None
        table.clear()
        self._recs = {}
        recs = self._list()
        for rec in recs:
            key = self._key(rec)
            self._recs[key] = rec
            table.add_row(
                Text(str(rec.priority), justify="right"),
                Text(SEVERITY_LABEL[rec.severity], style=SEVERITY_STYLE[rec.severity]),
                Text(PILLARS[rec.pillar]["short"]),
                lit(rec.title),
                key=key,
            )
        if keep in self._recs:
            table.move_cursor(row=table.get_row_index(keep))
        elif recs:  # the selected one left the list (dismissed): stay at its place
            table.move_cursor(row=min(self._last_row, len(recs) - 1))
        advice = self.workspace.advice
        info = Text()
        if self.show_hidden:
            info.append(f"Dismissed or snoozed: {len(recs)}", style="bold")
            info.append("   x shows one again · h back to the advice", style="dim")
        else:
            info.append(f"{len(recs)} recommendations, most urgent first", style="bold")
            hidden = len(advice.hidden) if advice else 0
            info.append(f"   t to action · x dismiss · z snooze · h dismissed ({hidden})", style="dim")
        self.query_one("#advice-info", Static).update(info)
        self.show_detail()

    def selected(self) -> Recommendation | None:
        return self._recs.get(cursor_key(self.query_one("#advice", DataTable)) or "")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._last_row = event.cursor_row
        self.show_detail()

    def show_detail(self) -> None:
        rec = self.selected()
        text = Text()
        if rec is None:
            text.append(
                "Nothing here." if self.show_hidden else "No recommendations: every check is in line with the guide.",
                style="dim",
            )
        else:
            # the texts of a rule file, one line each, their control characters shown as escapes
            text.append(one_line(rec.title), style="bold")
            text.append("\n")
            text.append(f"{SEVERITY_LABEL[rec.severity]}", style=SEVERITY_STYLE[rec.severity])
            text.append(
                f"  {one_line(rec.rule)} {one_line(rec.name)} · {PILLARS[rec.pillar]['title']} · "
                f"guide {one_line(rec.source)}",
                style="dim",
            )
            advice = self.workspace.advice
            if self.show_hidden and advice is not None:  # why it is hidden: the reason, who and when
                shown = dismissal_text(advice, rec)  # made visible there (one line)
                text.append("\n")
                text.append(shown[:1].upper() + shown[1:], style="bold yellow")
            text.append("\n\n")
            text.append(one_line(rec.message))
            if rec.numbers:
                text.append("\n\nThe numbers: ", style="bold")
                currency = getattr(self.workspace.advice, "currency", "") or ""
                mark = style_for(self.workspace.data.agency)  # amounts as the agency writes them
                text.append(
                    ", ".join(
                        one_line(number_text(k, v, currency, rec.thresholds.get(k), mark))
                        for k, v in rec.numbers.items()
                    )
                )
            text.append("\n\nWhy: ", style="bold")
            text.append(one_line(rec.rationale))
            text.append("\n\nWhat to do:", style="bold")
            for a in rec.actions:
                text.append(f"\n • {one_line(a)}")
        self.query_one("#detail", Static).update(text)

    # ------------------------------------------------------------------ actions

    def action_to_action(self) -> None:
        rec = self.selected()
        if rec is None:
            return

        def save(values: dict[str, Any], force: bool = False) -> Any:
            try:
                return self.workspace.plan_action_from(rec, owner=values.get("owner") or "", title=values["title"])
            except (StoreError, model.ValidationError) as exc:
                return exc.items if isinstance(exc, model.ValidationError) else [str(exc)]

        def done(saved: bool | None) -> None:
            if saved:
                self.changed()
                self.notify(f"Action item added with {len(rec.actions)} weekly steps (press 0 to see it).", timeout=4)

        self.app.push_screen(
            FormScreen(
                "Turn into an action item (one step a week)",
                ACTION_FIELDS,
                {"title": rec.title},
                {},
                save,
                what="this action item",
            ),
            done,
        )

    def action_dismiss_rec(self) -> None:
        rec = self.selected()
        if rec is None:
            return
        if self.show_hidden:
            self._undismiss(rec)
            return

        def answer(result: tuple[str, Any] | None) -> None:
            if result is None:
                return
            self._dismiss(rec, result[0], None)

        self.app.push_screen(
            ReasonScreen(f"Dismiss: {rec.title}\nWhy? It comes back when its numbers get worse."), answer
        )

    def action_snooze(self) -> None:
        rec = self.selected()
        if rec is None or self.show_hidden:
            return

        def answer(result: tuple[str, Any] | None) -> None:
            if result is None:
                return
            self._dismiss(rec, result[0], result[1])

        self.app.push_screen(
            ReasonScreen(
                f"Snooze: {rec.title}\nWhy, and until when?",
                until=self.workspace.as_of + timedelta(days=14),
                today=self.workspace.as_of,
            ),
            answer,
        )

    def _failed(self, exc: Exception) -> None:
        self.notify(describe_error(exc), title="Not saved", severity="error", markup=False)

    def _dismiss(self, rec: Recommendation, reason: str, until: Any) -> None:
        def done(_: Any) -> None:
            self.changed()
            self.notify("Snoozed." if until else "Dismissed: it comes back when its numbers get worse.", timeout=3)

        # in the background: it may wait for a teammate's lock
        self.advisor.write(lambda: self.workspace.plan_dismiss(rec, reason, until), done, self._failed)

    def _undismiss(self, rec: Recommendation) -> None:
        ws = self.workspace
        match = next((d for d in ws.data.dismissals if (d.rule, d.subject) == (rec.rule, rec.subject or "")), None)
        if match is None:
            return

        def done(_: Any) -> None:
            self.changed()
            self.notify("It shows again.", timeout=3)

        self.advisor.write(lambda: ws.plan_delete("dismissals", match), done, self._failed)

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        self.refresh_data()
        self.refresh_bindings()
