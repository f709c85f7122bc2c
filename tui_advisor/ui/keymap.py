"""The config file's ``[keys]``, checked before the app uses them.

Textual's keymap (``App.set_keymap``) gives a binding, by its id, other keys. Textual does
not check what it is given: a key it does not know is silently a key that never comes,
and a key that is already bound in the same place silently takes that place (the other
binding is dropped: ``go_advice = "q"`` took ``q`` from quit, and nothing said so).

:func:`check_keymap` checks every entry first, against the app's bindings and those of
every screen and dialog (Textual's own too: ctrl+q, ctrl+c, ctrl+p, tab):

- an id that is not a binding's id is reported, with the nearest id;
- a key that is not a Textual key name (``ctrl+q``, ``f2``, ``question_mark`` or ``?``,
  ``A``, ``shift+tab``...) is reported, and the entry is not used;
- a key that another binding has in the same place (the screen, with the app's keys under
  it; a dialog, with the app's priority keys) is reported, and the entry is not used, so
  the other binding keeps its key: quit keeps ``q`` unless quit itself was moved.

The app applies only the entries that passed and shows the problems when it starts;
``tui-advisor rules check`` prints them too. Only public Textual names are used
(``Binding.make_bindings`` normalizes keys the way the keymap does: ``?`` is
``question_mark``). The keys of the widgets inside a screen (a table's arrows) are not
considered: those widgets come first only while they have the focus.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from textual.app import App
from textual.binding import Binding, BindingError, InvalidBinding
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

from ..engine.rules import show
from ..model import did_you_mean, suggest

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_NAMED = {k.value.rsplit("+", 1)[-1] for k in Keys if not k.value.startswith("<")}  # escape, f2, up, space...
_NAMED |= set(KEY_NAME_REPLACEMENTS.values())  # slash, minus, plus...


def _bindings(cls: type) -> list[Binding]:
    """Every binding a class declares, its bases' first (a "e,enter" binding is two)."""
    out: list[Binding] = []
    for klass in reversed(cls.__mro__):
        declared = klass.__dict__.get("BINDINGS")
        if declared:
            out.extend(Binding.make_bindings(declared))
    return out


def _contexts() -> list[tuple[str, list[Binding]]]:
    """The places a key is looked up in, each with the bindings that apply there."""
    from .app import AdvisorApp
    from .screens.advice import AdviceScreen
    from .screens.dashboard import DashboardScreen
    from .screens.dialogs import ConfirmScreen, ConflictScreen, DiscardScreen, ReasonScreen
    from .screens.form import FormScreen
    from .screens.help import HelpScreen, HistoryScreen, RuleScreen
    from .screens.importing import ImportScreen, SaveProfileScreen
    from .screens.my_actions import MyActionsScreen
    from .screens.profile import ProfileScreen
    from .screens.records import RecordsScreen
    from .screens.retainers import RetainersScreen
    from .screens.review import ReviewScreen
    from .screens.review_dialogs import ClashScreen, FieldsDialog
    from .screens.steps import StepsScreen
    from .screens.welcome import WelcomeScreen

    app = _bindings(AdvisorApp)
    if AdvisorApp.ENABLE_COMMAND_PALETTE:
        app.append(Binding(App.COMMAND_PALETTE_BINDING, "command_palette", "Command palette", priority=True))
    priority = [b for b in app if b.priority]
    screens = [
        ("the dashboard", DashboardScreen),
        ("the advice screen", AdviceScreen),
        ("the agency profile", ProfileScreen),
        ("the record screens", RecordsScreen),
        ("the import screen", ImportScreen),
        ("the review", ReviewScreen),
    ]
    dialogs = [
        ("the record form", FormScreen),
        ("the steps dialog", StepsScreen),
        ("my actions", MyActionsScreen),
        ("the help screen", HelpScreen),
        ("the history dialog", HistoryScreen),
        ("the rule explanation", RuleScreen),
        ("the welcome screen", WelcomeScreen),
        ("the confirmation dialog", ConfirmScreen),
        ("the conflict dialog", ConflictScreen),
        ("the discard dialog", DiscardScreen),
        ("the reason dialog", ReasonScreen),
        ("the retainers dialog", RetainersScreen),
        ("the save-profile dialog", SaveProfileScreen),
        ("the review's dialogs", FieldsDialog),
        ("the review's clash dialog", ClashScreen),
    ]
    return [(name, _bindings(cls) + app) for name, cls in screens] + [
        (name, _bindings(cls) + priority) for name, cls in dialogs
    ]


def key_problem(key: str) -> str | None:
    """Why ``key`` (one key, as the keymap normalizes it) is not a Textual key, or None."""
    *mods, base = key.split("+")
    where = f" in {show(key)}" if mods else ""
    bad_mods = [m for m in mods if m not in MODIFIERS]
    if bad_mods:
        return f"{show(bad_mods[0])}{where} is not a modifier ({', '.join(MODIFIERS)})"
    if len(set(mods)) < len(mods):
        return f"{show(key)} gives a modifier twice"
    if len(base) == 1 and mods and not base.isalnum() and base.isprintable() and not base.isspace():
        # Textual names a character key after a modifier: ctrl+question_mark, not ctrl+?
        name = unicodedata.name(base, "").lower().replace(" ", "_").replace("-", "_")
        name = KEY_NAME_REPLACEMENTS.get(name, name)
        return f"{show(key)} is not a key name: after a modifier, write the character's name" + (
            f" ({'+'.join(mods)}+{name})" if name else ""
        )
    if base in _NAMED or (len(base) == 1 and base.isprintable() and not base.isspace()):
        return None
    if len(base) > 1 and base.isascii() and key_to_character(base) is not None:  # question_mark, full_stop
        return None
    return f"{show(base)}{where} is not a key name (key names: ctrl+q, f2, escape, question_mark or ?, A...)"


def _keys(spec: str) -> list[str]:
    """The keys of a keymap value, normalized as Textual's keymap does; ValueError if empty."""
    try:
        return [b.key for b in Binding.make_bindings([Binding(spec, "noop")])]
    except (BindingError, InvalidBinding):
        raise ValueError("a key is empty") from None


def _label(b: Binding) -> str:
    what = b.description or b.action
    return f"{what} ({b.id})" if b.id else what


def check_keymap(
    keymap: Mapping[str, str], contexts: Iterable[tuple[str, list[Binding]]] | None = None
) -> tuple[dict[str, str], list[str]]:
    """The entries of ``keymap`` (binding id -> keys) that are safe to apply, and a problem
    for each one that is not (see the module's docstring)."""
    places = list(_contexts() if contexts is None else contexts)
    ids = {b.id for _, bindings in places for b in bindings if b.id}
    problems: list[str] = []
    entries: dict[str, list[str]] = {}
    for bid, spec in keymap.items():
        shown = f"[keys] {bid if bid.isidentifier() and len(bid) <= 40 else show(bid)} = {show(spec)}"
        if bid not in ids:
            close = suggest(bid, sorted(ids)) if len(bid) < 100 else None
            problems.append(
                f"{shown}: no binding has this id{did_you_mean(close)}" + "; the help screen (?) lists the ids"
            )
            continue
        try:
            keys = _keys(spec)
        except ValueError as exc:
            problems.append(f"{shown}: {exc}; this entry is not used")
            continue
        bad = [(k, key_problem(k)) for k in keys]
        bad = [(k, why) for k, why in bad if why]
        if bad:
            key, why = bad[0]
            hint = key.lower() if key != key.lower() and key_problem(key.lower()) is None else None
            problems.append(f"{shown}: {why}{did_you_mean(hint)}" + "; this entry is not used")
            continue
        entries[bid] = keys
    # Refuse the entries that put a key where another binding has it, until none is left:
    # refusing one gives its binding back its own key, which a later entry may want.
    while True:
        clash = _first_clash(entries, places)
        if clash is None:
            break
        bid, key, other, place = clash
        problems.append(
            f"[keys] {bid} = {show(','.join(entries[bid]))}: {key} is already {_label(other)} on {place}; "
            f"this entry is not used: {key} stays {other.description or other.action}"
        )
        del entries[bid]
    return {bid: ",".join(keys) for bid, keys in entries.items()}, problems


def _first_clash(
    entries: Mapping[str, list[str]], places: list[tuple[str, list[Binding]]]
) -> tuple[str, str, Binding, str] | None:
    """The first entry that gives a key another binding has in the same place: (the entry's
    id, the key, the other binding, the place). When both bindings were moved there, the
    later entry is the one that clashes."""
    order = {bid: i for i, bid in enumerate(entries)}
    for place, bindings in places:
        by_key: dict[str, list[Binding]] = {}
        for b in bindings:
            for key in entries[b.id] if b.id is not None and b.id in entries else [b.key]:
                by_key.setdefault(key, []).append(b)
        for key, there in by_key.items():
            actions = {b.action.removeprefix("app.") for b in there}
            moved = [b for b in there if b.id in entries]
            if len(actions) < 2 or not moved:
                continue
            moved.sort(key=lambda b: order[b.id or ""])
            culprit = moved[-1]
            other = next(
                b
                for b in there
                if b is not culprit and b.action.removeprefix("app.") != culprit.action.removeprefix("app.")
            )
            return culprit.id or "", key, other, place
    return None
