"""The agency profile: name, currency, costs, capacity, lead time, credit line."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ... import model
from ...forms import PROFILE_FIELDS, in_style
from ...workspace import StoreError
from .base import AdvisorScreen, lit
from .form import FormScreen


class ProfileScreen(AdvisorScreen):
    TITLE = "Agency profile"
    BINDINGS = [
        Binding("e,enter", "edit", "Edit profile", id="profile_edit", tooltip="Edit the agency profile"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(Text("The numbers every piece of advice starts from. e edits them.", style="dim"), classes="info")
        table: DataTable = DataTable(id="profile", cursor_type="row", show_header=False)
        table.add_columns("Field", "Value", "What it is")
        yield table

    def refresh_data(self) -> None:
        agency = self.workspace.data.agency
        table = self.query_one("#profile", DataTable)
        table.clear()
        for f in in_style(PROFILE_FIELDS, agency):  # amounts as its forms read them: 34.000 in EUR
            value = getattr(agency, f.name)
            shown = f.show(value) if value is not None else "(not entered)"
            table.add_row(Text(f.label, style="bold"), lit(shown), Text(f.help, style="dim"), key=f.name)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        agency = self.workspace.data.agency
        values: dict[str, Any] = {f.name: getattr(agency, f.name) for f in PROFILE_FIELDS}

        def save(form: dict[str, Any], force: bool = False) -> Any:
            clean = {k: v for k, v in form.items()}
            if clean.get("normal_lead_time_days") is None:
                clean["normal_lead_time_days"] = 14
            if clean.get("credit_line") is None:
                clean["credit_line"] = 0
            if clean.get("payment_term_days") is None:
                clean["payment_term_days"] = 30
            try:
                return self.workspace.plan_set_agency(model.Agency(**clean))  # the form runs it
            except model.ValidationError as exc:
                return exc.items
            except StoreError as exc:
                return [exc.message]

        def done(saved: bool | None) -> None:
            if saved:
                self.changed()
                self.notify("Profile saved. The advice is updated.", timeout=3)

        form = FormScreen("Agency profile", PROFILE_FIELDS, values, {}, save, what="the agency profile", kind="agency")
        self.app.push_screen(form, done)
