"""The team review: a meeting over the agency's numbers, its decisions and its minutes.

A :class:`Reviews` is reached from an open :class:`~.workspace.Workspace` (``ws.review``). It
reads the reviews of the data file, builds a review's agenda (the scorecard, the last
review's actions, the issues, what changed since the last review) and makes every change as
a :class:`~.workspace.Write`, like the workspace's own ``plan_*`` methods.

Every change of a review is a read-modify-write of the stored review under the data file's
lock (``Store.update``): two teammates deciding different items never lose each other's
decision, and a teammate who decides an item someone decided meanwhile gets
:class:`DecisionClash` with the other decision, and nothing is written. An accepted item
makes its action item (owner, weekly steps, the review's id), a dismissed or snoozed one its
dismissal, in the same write.

Closing stores what the review showed and decided (the date, the metrics, the pillar scores
and the score, the items as shown, the decisions, attendees, notes, rating); from then on
the store refuses any change to it (the kind's ``Frozen`` rule: a save, an import, a delete).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import model
from ..engine.advise import Recommendation
from ..engine.rules import PILLARS
from ..fastclass import dataclass
from ..reviewdoc import OFF_TRACK as OFF_TRACK  # the statuses, re-exported for the screens
from ..reviewdoc import OFF_TRACK_BELOW as OFF_TRACK_BELOW
from ..reviewdoc import ON_TRACK as ON_TRACK
from ..reviewdoc import UNKNOWN as UNKNOWN
from ..reviewdoc import pillar_status
from ..safetext import visible
from ..store import StoreError
from ..store.files import NotRegular
from ..store.store import Removed, now_iso
from . import history

if TYPE_CHECKING:
    from .workspace import Workspace, Write

# off track below OFF_TRACK_BELOW (50: the guide's "act" band), unknown without a score (reviewdoc.py)
CRITICAL_BELOW = 25  # an off-track pillar's item is critical below this, else a warning
PILLAR_ITEM = "pillar:"
STEP_DAYS = 7  # a step a week (G9)


class DecisionClash(StoreError):
    """A teammate decided the item since this user saw it: nothing was written; ``theirs`` is
    their decision (show it, then decide again on top of it)."""

    def __init__(self, path: Path, theirs: model.Decision):
        self.theirs = theirs
        said = theirs.kind + (f" ({theirs.reason})" if theirs.reason else "")
        super().__init__(path, f"{theirs.by or 'someone'} decided this item meanwhile: {said}")


class ReviewError(StoreError):
    """A change a review cannot take (it is closed, it does not exist, a bad value), with a message."""


# ------------------------------------------------------------------ the agenda


@dataclass
class PillarLine:
    pillar: str
    label: str
    now: int | float | None
    last: int | float | None  # at the last closed review; None: not known (or no review yet)
    trend: int | float | None  # now - last, when both are known
    status: str  # "on track" | "off track" | "unknown"


@dataclass
class ActionLine:
    action: model.ActionItem
    done_steps: int
    steps: int
    done: bool  # every step done (an action without steps is not done)


@dataclass
class Change:
    """One record added, changed or deleted since the last review (from the audit log)."""

    kind: str
    key: Any
    what: str  # "added" | "changed" | "deleted"
    by: str
    at: str


@dataclass
class Delta:
    name: str
    then: Any
    now: Any
    delta: float | None  # now - then, when both are numbers


@dataclass
class Since:
    """What happened since the last closed review (``since``: its close time; None: no review yet)."""

    since: str | None
    review: str | None
    changes: list[Change]
    by: dict[str, int]  # who made how many of the changes
    deltas: list[Delta]  # the score, the pillars and the core metrics, then and now
    actions: list[ActionLine]  # the last review's actions and their steps now
    skipped: int = 0  # audit log lines that could not be read
    logged: bool = True  # there is an audit log (an interchange file has none: no changes are known)


@dataclass
class Agenda:
    review: model.Review
    scorecard: list[PillarLine]
    last_actions: list[ActionLine]
    completion: float | None  # the share of the last review's actions done; None: it made none
    issues: list[model.ReviewItem]
    since: Since


def item_key(rule: str, subject: str | None) -> str:
    """The key of a recommendation's item: its dismissal key, 'RULE001' or 'RULE001:subject'."""
    return f"{rule}:{subject}" if subject else rule


def _fit(text: str, limit: int) -> str:
    """A rule's or the data's text as one line the data format takes: its spacing (a rule file's line
    breaks, tabs) made single spaces, any other control character shown as an escape, cut to ``limit``."""
    text = visible(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _item_of(rec: Recommendation) -> model.ReviewItem:
    return model.ReviewItem(
        key=item_key(rec.rule, rec.subject),  # as the dismissal's key: rule ids and subjects are one-line texts
        title=_fit(rec.title, model.MAX_SENTENCE) or rec.rule,
        severity=rec.severity,
        pillar=rec.pillar,
        rule=rec.rule,
        subject=(rec.subject or "")[: model.MAX_NOTE],
        message=_fit(rec.message, model.MAX_NOTE),
    )


def _pillar_item(line: PillarLine) -> model.ReviewItem:
    score = line.now if line.now is not None else 0
    return model.ReviewItem(
        key=PILLAR_ITEM + line.pillar,
        title=_fit(f"{line.label} is off track ({line.now:g} of 100)", model.MAX_SENTENCE),
        severity="critical" if score < CRITICAL_BELOW else "warning",
        pillar=line.pillar,
        message=f"below {OFF_TRACK_BELOW}: the guide's 'act' band",
    )


def action_line(action: model.ActionItem) -> ActionLine:
    done = sum(1 for s in action.steps if s.done is not None)
    return ActionLine(action, done, len(action.steps), bool(action.steps) and done == len(action.steps))


# ------------------------------------------------------------------ the reviews of a workspace


class Reviews:
    """The reviews of one open agency (``ws.review``): reading, the agenda, and every change as a Write."""

    def __init__(self, ws: Workspace):
        self.ws = ws

    # -------------------------------------------------------------- reading

    def all(self) -> list[model.Review]:
        """Every review, by start."""
        return sorted(self.ws.data.reviews, key=lambda r: (r.started, r.id))

    def get(self, review_id: str) -> model.Review | None:
        return next((r for r in self.ws.data.reviews if r.id == review_id), None)

    def current(self) -> model.Review | None:
        """The review under way (not closed), if any (the newest, should there be two)."""
        open_ = [r for r in self.all() if r.closed is None]
        return open_[-1] if open_ else None

    def last_closed(self, before: model.Review | None = None) -> model.Review | None:
        """The review closed last (``before``: the last one closed before that review started)."""
        closed = [r for r in self.ws.data.reviews if r.closed is not None]
        if before is not None:
            closed = [r for r in closed if r.id != before.id and r.closed is not None and r.closed <= before.started]
        return max(closed, key=lambda r: (r.closed or "", r.id)) if closed else None

    # -------------------------------------------------------------- the agenda

    def scorecard(self, review: model.Review | None = None) -> list[PillarLine]:
        """Each pillar: its score now (a closed review: when it closed), at the last closed review
        before, the trend, and on track / off track / unknown."""
        last = self.last_closed(before=review) if review is not None else self.last_closed()
        if review is not None and review.closed is not None:
            now: dict[str, Any] = dict(review.pillars)
        else:
            advice = self._advice()
            now = {p: s.score for p, s in advice.pillars.items()} if advice is not None else {}
        lines = []
        for pillar in PILLARS:
            if pillar not in now:
                continue
            score = now[pillar]
            then = last.pillars.get(pillar) if last is not None else None
            trend = score - then if _number(score) and _number(then) else None
            label = str(PILLARS[pillar].get("title", pillar))
            lines.append(PillarLine(pillar, label, score, then, trend, pillar_status(score)))
        return lines

    def issues(self, review: model.Review | None = None) -> list[model.ReviewItem]:
        """The issues list: the off-track pillars (by the guide's order of urgency), then the
        recommendations in the advice's priority order; those this review decided stay on it
        (a dismissed one is hidden from the advice). A closed review: its items as shown."""
        if review is not None and review.closed is not None:
            return list(review.items)
        items = [_pillar_item(line) for line in self.scorecard(review) if line.status == OFF_TRACK]
        items.sort(key=lambda i: -int(PILLARS.get(i.pillar, {}).get("weight", 0)))
        advice = self._advice()
        if advice is None:
            return items
        decided = {d.item for d in review.decisions} if review is not None else set()
        recs = list(advice.recommendations)
        recs += [r for r in advice.hidden if item_key(r.rule, r.subject) in decided]
        recs.sort(key=Recommendation.sort_key)  # a decided one keeps its place: the list does not jump in the meeting
        seen = {i.key for i in items}
        for rec in recs:
            item = _item_of(rec)
            if item.key not in seen:
                seen.add(item.key)
                items.append(item)
        return items

    def last_actions(self, review: model.Review | None = None) -> list[ActionLine]:
        """The actions the last closed review made (and those it carried over), each done or not."""
        last = self.last_closed(before=review) if review is not None else self.last_closed()
        if last is None:
            return []
        ids = [d.action for d in last.decisions if d.action] + [a for a in last.carried if a]
        by_id = {a.id: a for a in self.ws.data.actions}
        out, seen = [], set()
        for action_id in ids:
            if action_id in by_id and action_id not in seen:
                seen.add(action_id)
                out.append(action_line(by_id[action_id]))
        return out

    def agenda(self, review: model.Review) -> Agenda:
        actions = self.last_actions(review)
        completion = sum(1 for a in actions if a.done) / len(actions) if actions else None
        return Agenda(review, self.scorecard(review), actions, completion, self.issues(review), self.since(review))

    def since(self, review: model.Review | None = None) -> Since:
        """What changed since the last closed review: the records added, changed and deleted (from
        the audit log, by whom), the score's, pillars' and core metrics' deltas, the actions' progress."""
        last = self.last_closed(before=review) if review is not None else self.last_closed()
        start = last.closed if last is not None else None
        try:
            found = self.ws.store.read_history()
            entries, skipped = found.entries, found.skipped
        except StoreError:
            entries, skipped = [], 0
        # the write that closed the last review (its revision: a time has whole seconds only, and a
        # teammate's change may come in the same second); else, by the time
        closing = next(
            (
                e["rev"]
                for e in entries
                for c in e.get("changes", [])
                if last is not None
                and c.get("kind") == "reviews"
                and c.get("key") == last.id
                and isinstance(c.get("after"), dict)
                and c["after"].get("closed") is not None
            ),
            None,
        )
        changes: list[Change] = []
        by: dict[str, int] = {}
        for e in entries:
            at = e.get("at", "")
            if closing is not None:
                if e["rev"] <= closing:
                    continue
            elif start is not None and not (isinstance(at, str) and at > start):
                continue
            for c in e.get("changes", []):
                kind = c.get("kind", "")
                if kind == "reviews":
                    continue
                what = "added" if c.get("before") is None else "deleted" if c.get("after") is None else "changed"
                changes.append(Change(str(kind), c.get("key"), what, str(e.get("by", "")), str(at)))
                by[str(e.get("by", ""))] = by.get(str(e.get("by", "")), 0) + 1
        deltas: list[Delta] = []
        if last is not None:
            point = self._point_now(review)
            if point is not None:
                deltas.append(_delta("score", last.score, point.score))
                for p, s in point.pillars.items():
                    deltas.append(_delta(p, last.pillars.get(p), s))
                for m, v in point.metrics.items():
                    deltas.append(_delta(m, last.metrics.get(m), v))
        logged = self.ws.store.log_path.exists()
        actions = self.last_actions(review)
        return Since(start, last.id if last else None, changes, by, deltas, actions, skipped, logged)

    # -------------------------------------------------------------- changing

    def plan_start(self) -> Write:
        """Start a review, or join the one under way (the user is added to its attendees); the
        Write's result is the review."""
        ws = self.ws
        ws._writable()
        user, as_of = ws.user, ws.as_of

        def change(stored: Any, read: Callable[[str], list[Any]]) -> Any:
            reviews = read("reviews")
            under_way = sorted((r for r in reviews if r.closed is None), key=lambda r: (r.started, r.id))
            if under_way:
                r = under_way[-1]
                if user in r.attendees:
                    return None, [], r
                joined = replace(r, attendees=[*r.attendees, user])
                return None, [("reviews", joined)], joined
            new_id = model.KINDS["reviews"].new_id({}, {r.id for r in reviews})
            started = model.Review(id=new_id, started=now_iso(), by=user, leader=user, as_of=as_of, attendees=[user])
            return None, [("reviews", started)], started

        return self._write(None, change)

    def plan_decide(self, review_id: str, decision: model.Decision, *, seen: model.Decision | None) -> Write:
        """Decide one item: accept (an action item with an owner and weekly steps), dismiss (with a
        reason), snooze (until a date) or park. ``seen``: the item's decision as this user saw it;
        when the stored one is another (a teammate decided meanwhile), DecisionClash, nothing written."""
        ws = self.ws
        ws._writable()
        problems = _decision_problems(decision)
        if not problems and decision.kind == "snooze" and decision.until is not None and decision.until <= ws.as_of:
            problems.append(
                model.Problem(
                    "decision",
                    "until",
                    f"{decision.until.isoformat()} is not after {ws.as_of.isoformat()}: a snooze until then hides nothing",
                )
            )
        if problems:
            raise model.ValidationError(problems)
        rec = self._recommendation(decision.item)
        as_of = ws.as_of

        def change(stored: Any, read: Callable[[str], list[Any]]) -> Any:
            review = self._open(stored, review_id)
            theirs = review.decision(decision.item)
            if theirs is not None and theirs != seen:
                raise DecisionClash(ws.store.path, theirs)
            mine = decision
            also: list[tuple[str, Any]] = []
            if decision.kind == "accept":
                owner = decision.owner or decision.by
                actions = read("actions")
                earlier = next((a for a in actions if theirs is not None and a.id == theirs.action), None)
                if earlier is not None:  # accepted before: the same action item (its steps, done or not), its owner
                    action = replace(earlier, owner=owner)
                else:
                    action = _action_for(review, decision.item, rec, owner, as_of, {a.id for a in actions})
                mine = replace(decision, owner=owner, action=action.id)
                also.append(("actions", action))
            elif decision.kind in ("dismiss", "snooze") and rec is not None:
                also.append(
                    (
                        "dismissals",
                        model.Dismissal(
                            rule=rec.rule,
                            subject=rec.subject or "",
                            reason=decision.reason,
                            until=decision.until if decision.kind == "snooze" else None,
                            severity=rec.severity,
                            distance=min(1.0, rec.distance),
                            by=decision.by,
                            on=as_of,
                        ),
                    )
                )
            also += _undone(theirs, decision, read, as_of)
            decisions = [d for d in review.decisions if d.item != decision.item] + [mine]
            return replace(review, decisions=decisions), also, mine

        return self._write(review_id, change)

    def plan_take_lead(self, review_id: str) -> Write:
        user = self.ws.user
        self.ws._writable()

        def change(stored: Any, read: Callable[[str], list[Any]]) -> Any:
            review = self._open(stored, review_id)
            updated = replace(review, leader=user)
            return updated, [], updated

        return self._write(review_id, change)

    def plan_attend(self, review_id: str, user: str) -> Write:
        self.ws._writable()
        problems = model.checks.check_names([user])[1]
        if problems:
            raise model.ValidationError([model.Problem("reviews", "attendees", problems)])

        def change(stored: Any, read: Callable[[str], list[Any]]) -> Any:
            review = self._open(stored, review_id)
            if user in review.attendees:
                return None, [], review
            updated = replace(review, attendees=[*review.attendees, user])
            return updated, [], updated

        return self._write(review_id, change)

    def plan_carry(self, review_id: str, action_id: str, carry: bool) -> Write:
        """Carry one of the last review's actions over into this review, or drop it (the action's
        ``dropped`` date is set to the review's date; carried over, it is emptied again)."""
        self.ws._writable()

        def change(stored: Any, read: Callable[[str], list[Any]]) -> Any:
            review = self._open(stored, review_id)
            carried = [a for a in review.carried if a != action_id]
            dropped = [a for a in review.dropped if a != action_id]
            (carried if carry else dropped).append(action_id)
            also: list[tuple[str, Any]] = []
            action = next((a for a in read("actions") if a.id == action_id), None)
            if action is None:
                raise ReviewError(self.ws.store.path, f"there is no action item {action_id!r}")
            mark = None if carry else review.as_of
            if action.dropped != mark:
                also.append(("actions", replace(action, dropped=mark)))
            updated = replace(review, carried=carried, dropped=dropped)
            return updated, also, updated

        return self._write(review_id, change)

    def plan_close(
        self,
        review_id: str,
        *,
        attendees: list[str] | None = None,
        rating: int | None = None,
        notes: str = "",
        minutes_dir: Path | None = None,
    ) -> Write:
        """Close a review: store the date, the metrics, the pillar scores and the score, the items
        as shown, the decisions, attendees, notes and rating; from then on it never changes. With
        ``minutes_dir``, the minutes are written there too (Markdown and JSON, new files only); the
        Write's result is the closed review and the paths written: ``(review, [paths])``."""
        ws = self.ws
        ws._writable()
        review = self.get(review_id)
        if review is None:
            raise ReviewError(ws.store.path, f"there is no review {review_id!r}")
        items = self.issues(review)
        point = self._point_now(review)
        made: list[model.ActionItem] = []  # the actions the minutes list, as stored when it closes
        problems = []
        if rating is not None:
            problems += [model.Problem("reviews", "rating", e) for e in [model.checks.check_rating(rating)[1]] if e]
        if attendees is not None:
            problems += [
                model.Problem("reviews", "attendees", e) for e in [model.checks.check_names(attendees)[1]] if e
            ]
        err = model.checks.at_most(model.checks.check_str, model.MAX_NOTE)(notes)[1]
        if err:
            problems.append(model.Problem("reviews", "notes", err))
        if problems:
            raise model.ValidationError(problems)
        agency = ws.data.agency

        def change(stored: Any, read: Callable[[str], list[Any]]) -> Any:
            current = self._open(stored, review_id)
            decided = {d.item for d in current.decisions}
            shown = list(items) + [
                model.ReviewItem(key=k, title=k, severity="info", pillar="")
                for k in sorted(decided)
                if k not in {i.key for i in items}
            ]
            people = list(attendees) if attendees is not None else list(current.attendees)
            closed = replace(
                current,
                closed=now_iso(),
                attendees=people,
                rating=rating,
                notes=notes,
                score=point.score if point is not None else None,
                pillars=dict(point.pillars) if point is not None else {},
                metrics=dict(point.metrics) if point is not None else {},
                items=shown,
            )
            listed = {review_id, *closed.carried, *closed.dropped}
            made[:] = [a for a in read("actions") if a.review in listed or a.id in listed]
            return closed, [], closed

        w = self._write(review_id, change)
        if minutes_dir is not None:
            run = w._run

            def run_and_write() -> Any:
                closed = run()
                return closed, write_minutes(closed, agency, Path(minutes_dir), made)

            w._run = run_and_write
        else:
            w.always = lambda value: (value, [])
        return w

    def minutes_dir(self) -> Path | None:
        """The folder the minutes of a closing review go into: ``<data file>.minutes/`` beside the data
        file when the team made it (making it turns the minutes on), else None. A link there is
        returned as it is: writing refuses it, saying so (it is never followed)."""
        folder = self.ws.store.path.with_name(self.ws.store.path.name + ".minutes")
        try:
            os.lstat(folder)
        except OSError:
            return None
        return folder

    # -------------------------------------------------------------- helpers

    def _advice(self) -> Any:
        return self.ws.advice

    def _point_now(self, review: model.Review | None) -> history.Point | None:
        """The score, pillar scores and core metrics as of the review's date, as ``history`` says."""
        ws = self.ws
        as_of = review.as_of if review is not None else ws.as_of
        try:
            if ws.advice is not None and ws.advice.as_of == as_of:  # the advice the workspace has: no new run
                return history.point_of(ws.advice, as_of)
            return history.point(ws.rulebook, ws.data, as_of)
        except Exception:  # noqa: BLE001 - a value no metric expected: the deltas are unknown, not a crash
            return None

    def _recommendation(self, key: str) -> Recommendation | None:
        advice = self.ws.advice
        if advice is None:
            return None
        for rec in [*advice.recommendations, *advice.hidden]:
            if item_key(rec.rule, rec.subject) == key:
                return rec
        return None

    def _open(self, stored: model.Review | None, review_id: str) -> model.Review:
        if stored is None:
            raise ReviewError(self.ws.store.path, f"there is no review {review_id!r} (was it removed?)")
        if stored.closed is not None:
            raise ReviewError(
                self.ws.store.path,
                f"the review {review_id} was closed at {stored.closed}: a closed review never changes",
            )
        return stored

    def _write(self, key: str | None, change: Callable[[Any, Callable[[str], list[Any]]], Any]) -> Write:
        from .workspace import Write

        store = self.ws.store
        return Write(self.ws, lambda: store.update("reviews", key, change, action="review"), None, always=lambda v: v)


def _undone(
    theirs: model.Decision | None, decision: model.Decision, read: Callable[[str], list[Any]], as_of: date
) -> list[tuple[str, Any]]:
    """What a changed decision takes back of the one it replaces, in the same write: a dismissal or
    snooze that is no longer one removes its dismissal (parked, the item is back in the advice); an
    accepted item that is no longer accepted drops its action item (kept, dated, out of the open steps)."""
    if theirs is None:
        return []
    undo: list[tuple[str, Any]] = []
    if theirs.kind in ("dismiss", "snooze") and decision.kind not in ("dismiss", "snooze"):
        for d in read("dismissals"):
            if item_key(d.rule, d.subject) == decision.item:
                undo.append(("dismissals", Removed((d.rule, d.subject))))
    if theirs.kind == "accept" and decision.kind != "accept" and theirs.action:
        for a in read("actions"):
            if a.id == theirs.action and a.dropped is None:
                undo.append(("actions", replace(a, dropped=as_of)))
    return undo


def _delta(name: str, then: Any, now: Any) -> Delta:
    return Delta(name, then, now, round(now - then, 6) if _number(then) and _number(now) else None)


def _decision_problems(d: model.Decision) -> list[model.Problem]:
    """What is wrong with a decision, each naming the field (as the data format's validator says)."""
    js = model.record_to_json("reviews", _probe(d))
    try:
        model.validate_document({"format": model.FORMAT, "version": model.VERSION, "reviews": [js]}, partial=True)
    except model.ValidationError as exc:  # 'reviews[0].decisions[0].until' -> the decision's 'until'
        return [model.Problem("decision", (p.field or "").removeprefix("decisions[0]."), p.message) for p in exc.items]
    return []


def _probe(d: model.Decision) -> model.Review:
    return model.Review(
        id="rv-check", started="2000-01-01T00:00:00Z", by="x", leader="", as_of=date(2000, 1, 1), decisions=[d]
    )


def _action_for(
    review: model.Review,
    item: str,
    rec: Recommendation | None,
    owner: str,
    as_of: date,
    existing: set[str],
) -> model.ActionItem:
    """The action item an accepted item makes: one step per suggested action, a week apart (G9),
    the owner, the review's id, due with its last step."""
    shown = next((i for i in review.items if i.key == item), None)
    title = rec.title if rec is not None else (shown.title if shown is not None else item)
    title = _fit(title, model.MAX_SENTENCE) or item
    actions = list(rec.actions) if rec is not None and rec.actions else [title]
    steps = [
        model.Step(title=_fit(a, model.MAX_SENTENCE), due=as_of + timedelta(days=STEP_DAYS * (i + 1)))
        for i, a in enumerate(actions)
    ]
    new_id = model.KINDS["actions"].new_id({"title": title}, existing)
    return model.ActionItem(
        id=new_id,
        title=title,
        rule=rec.rule if rec is not None else None,
        owner=owner,
        steps=steps,
        review=review.id,
        due=steps[-1].due if steps else None,
    )


# ------------------------------------------------------------------ minutes written into a folder


def write_minutes(
    review: model.Review, agency: model.Agency, folder: Path, actions: list[model.ActionItem] | None = None
) -> list[Path]:
    """The minutes of a closed review written into ``folder`` as ``<id>.md`` and ``<id>.json``:
    never through a link (the folder and the files are opened without following one), never over
    an existing file (a new name: ``rv-0001-2.md``), with the data file's sharing (group rw when
    the folder is group-writable). Raises StoreError naming the folder when it cannot."""
    from .. import reviewdoc
    from ..safetext import json_dumps

    texts = {
        ".md": reviewdoc.minutes_markdown(review, agency, actions),
        ".json": json_dumps(reviewdoc.minutes_json(review), indent=2) + "\n",
    }
    try:
        dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        raise StoreError(folder, "the minutes folder does not exist; make it first") from None
    except OSError as exc:
        what = "a symbolic link or not a folder" if exc.errno in (errno.ELOOP, errno.ENOTDIR) else exc.strerror
        raise StoreError(folder, f"cannot write the minutes there ({what})") from None
    written: list[Path] = []
    try:
        st = os.fstat(dfd)
        mode = 0o660 if st.st_mode & 0o020 else 0o600
        for ext, text in texts.items():
            name, fd = _new_file(dfd, folder, review.id, ext, mode)
            try:
                os.fchmod(fd, mode)  # the umask may have taken the group's bits
                os.write(fd, text.encode("utf-8"))
            finally:
                os.close(fd)
            written.append(folder / name)
    finally:
        os.close(dfd)
    return written


def _new_file(dfd: int, folder: Path, stem: str, ext: str, mode: int) -> tuple[str, int]:
    """A new file ``stem + ext`` in the folder, or ``stem-2 + ext``, ... when that name is taken (by
    anything: a file, a link, a folder): created exclusively, never through a link. The name is made of
    letters, digits, '-' and '_' only (a crafted review id cannot reach another folder)."""
    stem = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in stem)[:64] or "review"
    for n in range(1, 1000):
        name = f"{stem}{ext}" if n == 1 else f"{stem}-{n}{ext}"
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=dfd)
        except FileExistsError:
            continue
        except OSError as exc:
            raise StoreError(folder / name, f"cannot write the minutes ({exc.strerror})") from None
        return name, fd
    raise NotRegular(folder / (stem + ext), "taken under a thousand names")
