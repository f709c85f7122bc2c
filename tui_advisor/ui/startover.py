"""The first run's demo as a temporary copy, leaving it, and starting over (the app's side).

"Start from the demo" opens a temporary copy of the demo agency (``Workspace.demo_copy``,
what ``tui-advisor --demo`` opens): the user's data file is never written, every screen
says it is the demo and how to enter one's own. "Start over" empties the data file after
keeping it as a backup (``Workspace.plan_start_over``), once the user confirmed a question
that says what goes and where the backup is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from ..safetext import visible
from ..workspace import describe_error

if TYPE_CHECKING:
    from .app import AdvisorApp

DEMO_BANNER = (
    "DEMO, a temporary copy: nothing is kept, your data file {path} is not touched. "
    "Your own agency: ctrl+p 'Enter my own agency' (or quit and start again)."
)


def demo_banner(app: AdvisorApp) -> str | None:
    if not getattr(app.workspace, "is_demo", False):
        return None
    return DEMO_BANNER.format(path=visible(app.own_workspace.path))


def open_demo(app: AdvisorApp) -> bool:
    """Show a temporary copy of the demo instead of the (empty) data file; False when it could
    not be made (said in a notification)."""
    try:
        demo = app.workspace.demo_copy()
    except Exception as exc:  # the sample data or the temporary folder: say so, stay on the welcome
        app.notify(describe_error(exc), title="The demo could not be opened", severity="error", markup=False)
        return False
    app.use_workspace(demo)
    app.notify(
        "This is a temporary copy of the demo: nothing you change here is kept. "
        "Your own agency: ctrl+p 'Enter my own agency'.",
        title="Demo",
        timeout=8,
    )
    return True


def leave_demo(app: AdvisorApp) -> None:
    """Back to the user's own data file: the welcome screen again when it is still empty."""
    if not getattr(app.workspace, "is_demo", False):
        return
    app.use_workspace(app.own_workspace)
    app.action_reload()
    if app.workspace.is_new:
        from .screens.welcome import WelcomeScreen

        app.push_screen(WelcomeScreen())


def _contents(data: model.AgencyData) -> str:
    counts = [f"{len(getattr(data, k))} {model.KINDS[k].plural.lower()}" for k in model.COLLECTIONS if getattr(data, k)]
    profile = f"the agency profile ({visible(data.agency.name)})" if data.agency.name else "no agency profile"
    return ", ".join([profile, *counts])


def start_over(app: AdvisorApp) -> None:
    """Ask, then empty the data file after a backup (in the background: it may wait for the lock)."""
    from .screens.dialogs import ConfirmScreen

    ws = app.workspace
    if getattr(ws, "is_demo", False):
        app.notify(
            "This is the temporary demo: nothing in it is kept anyway. Start over applies to your own data file.",
            title="Start over",
            timeout=6,
        )
        return
    path = visible(ws.path)
    backups = visible(ws.backup_dir)
    question = (
        f"Start over: empty the data file {path}?\n"
        f"It now holds {_contents(ws.data)}: all of it is removed, for everyone who uses this file.\n"
        f"A copy of the file as it is now is kept first, in {backups}; "
        f"`tui-advisor restore --data {path}` lists the backups and puts one back."
    )

    def done(backup: Any) -> None:
        app.data_changed()
        app.notify(
            f"Started over: {path} is empty. The data as it was is in {visible(backup)}; "
            f"`tui-advisor restore {visible(backup)} --data {path}` puts it back.",
            title="Started over",
            timeout=20,
            markup=False,
        )
        if app.workspace.is_new:
            from .screens.welcome import WelcomeScreen

            app.push_screen(WelcomeScreen())

    def failed(exc: Exception) -> None:
        app.notify(describe_error(exc), title="Not emptied", severity="error", markup=False)

    def answer(yes: bool | None) -> None:
        if yes:
            app.write(app.workspace.plan_start_over, done, failed)

    app.push_screen(ConfirmScreen(question, yes="Empty it"), answer)
