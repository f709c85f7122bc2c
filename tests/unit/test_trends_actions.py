"""workspace/trends.py (the words of a change, the month end, the snapshot) and workspace/actions.py
(whose a step is, what is open and overdue) on records built here."""

from __future__ import annotations

from datetime import date

from tui_advisor import model
from tui_advisor.workspace import actions, trends


def test_the_words_of_a_change() -> None:
    assert trends.Change(62, 54).words("Oct") == "▲ +8 since Oct"
    assert trends.Change(40, 45).words("review") == "▼ −5 since review"
    assert trends.Change(50, 50).words("Oct") == "= 0 since Oct"
    assert trends.Change(None, 50).words("Oct") == "? since Oct"  # unknown now: no change, never 0
    assert trends.Change(50, None).words("Oct") == "? since Oct"  # unknown then
    assert trends.Change(None, None).delta is None


def test_a_reviews_float_scores_and_missing_pillars() -> None:
    got = trends.changes({"cash": 62, "busy": 70, "deals": None}, {"cash": 54.4, "busy": None, "x": 3, "deals": True})
    assert {p: (c.now, c.then) for p, c in got.items()} == {"cash": (62, 54), "busy": (70, None), "deals": (None, None)}


def test_the_last_month_end() -> None:
    assert trends.last_month_end(date(2026, 11, 26)) == date(2026, 10, 31)
    assert trends.last_month_end(date(2026, 12, 1)) == date(2026, 11, 30)
    assert trends.last_month_end(date(2026, 1, 15)) == date(2025, 12, 31)
    assert trends.last_month_end(date(2028, 3, 31)) == date(2028, 2, 29)
    assert trends.month_label(date(2026, 10, 31)) == "Oct"


def test_a_snapshot_does_not_change_with_the_data() -> None:
    data = model.AgencyData(clients=[model.Client(id="c-1", name="One")])
    copy = trends.snapshot(data)
    data.clients.append(model.Client(id="c-2", name="Two"))
    data.clients[0] = model.Client(id="c-1", name="Renamed")
    assert [c.name for c in copy.clients] == ["One"]
    assert copy.agency is data.agency


def _data() -> model.AgencyData:
    return model.AgencyData(
        actions=[
            model.ActionItem(
                id="a-1",
                title="Win clients",
                owner="Eva",
                steps=[
                    model.Step("done already", due=date(2026, 11, 1), done=date(2026, 11, 1)),
                    model.Step("late", due=date(2026, 11, 20)),
                    model.Step("given to sam", due=date(2026, 11, 21), owner="sam"),
                    model.Step("no date"),
                    model.Step("due today", due=date(2026, 12, 1)),
                ],
            ),
            model.ActionItem(id="a-2", title="Nobody's", steps=[model.Step("orphan", due=date(2026, 10, 1))]),
            model.ActionItem(
                id="a-3",
                title="Dropped",
                owner="Eva",
                dropped=date(2026, 11, 15),
                steps=[model.Step("never mind", due=date(2026, 11, 1))],
            ),
        ]
    )


def test_whose_a_step_is() -> None:
    today = date(2026, 12, 1)
    eva = actions.open_steps(_data(), today, user=" EVA ")
    assert [s.title for s in eva] == ["late", "due today", "no date"]  # by due date, undated last
    assert [s.own for s in eva] == [False, False, False]  # the action's owner's
    sam = actions.open_steps(_data(), today, user="sam")
    assert [(s.title, s.owner, s.own) for s in sam] == [("given to sam", "sam", True)]
    assert actions.open_steps(_data(), today, user="") == []  # an empty user owns nothing, not the orphans
    everyone = actions.open_steps(_data(), today)
    assert [s.title for s in everyone] == ["orphan", "late", "given to sam", "due today", "no date"]
    assert everyone[0].owner == ""  # unassigned
    assert "never mind" not in [s.title for s in everyone]  # the dropped action's


def test_overdue_is_before_today_and_not_done() -> None:
    today = date(2026, 12, 1)
    late = actions.overdue_steps(_data(), today)
    assert [(s.title, actions.days_late(s, today)) for s in late] == [
        ("orphan", 61),
        ("late", 11),
        ("given to sam", 10),
    ]
    assert actions.owners(_data()) == ["Eva", "sam"]


def test_the_text_fits_80_columns_and_escapes() -> None:
    data = _data()
    data.actions[0].steps[1] = model.Step("x" * 300 + "\x1b]0;t\x07", due=date(2026, 11, 20))
    text = actions.render_text(actions.open_steps(data, date(2026, 12, 1)), date(2026, 12, 1))
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "\x1b" not in text
