"""Command line: the app by default, subcommands for scripts.

Exit codes: 0 done, 1 problems found (``rules check``) or an unexpected error,
2 bad input (a file, an option, a date), with a message and never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

SAMPLE_AS_OF = date(2026, 11, 26)  # the date the sample agencies describe


class UsageError(Exception):
    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message)


def _as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    from .model import parse_iso_date

    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise UsageError(f"--as-of {exc}") from None


def _common(suppress: bool) -> argparse.ArgumentParser:
    """Options every command accepts, before or after the subcommand."""
    default: Any = argparse.SUPPRESS if suppress else None
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--data",
        metavar="PATH",
        default=default,
        help="the agency data file (default: $TUI_ADVISOR_DATA or the user data directory)",
    )
    p.add_argument(
        "--config",
        metavar="PATH",
        default=default,
        help="the config file (default: $TUI_ADVISOR_CONFIG or the user config directory)",
    )
    p.add_argument(
        "--rules",
        metavar="PATH",
        action="append",
        default=default,
        help="an extra rule file or directory (repeatable); same ids replace built-in rules",
    )
    return p


class _NeedsFullParser(Exception):
    """The arguments are more than the app's options: a command, or a mistake to report."""


class _AppParser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # the full parser says it, with the commands in its usage
        raise _NeedsFullParser(message)


def _app_parser(cls: type[argparse.ArgumentParser] = argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The parser of ``tui-advisor [options]``, the app's own options (no commands yet)."""
    parser = cls(
        prog="tui-advisor",
        parents=[_common(False)],
        description="Check your agency's numbers against the Agency Success Guide and get prioritized advice. "
        "Without a command, opens the terminal app.",
    )
    parser.add_argument("--demo", action="store_true", help="open a temporary copy of the demo agency")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date the app advises on (default: today)")
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The arguments, parsed. Opening the app (the usual case) needs none of the commands'
    parsers, which take a few milliseconds to build: they are built only when the arguments
    name a command, ask for help or the version, or hold a mistake to report."""
    if not any(a in ("-h", "--help", "--version") for a in argv):
        try:
            return _app_parser(_AppParser).parse_args(argv)
        except _NeedsFullParser:
            pass
    return build_parser().parse_args(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = _app_parser()
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = _common(True)

    p = sub.add_parser(
        "advise",
        parents=[common],
        help="print the prioritized advice",
        description="Print the prioritized advice for the stored agency or an interchange file.",
    )
    _data_source(
        p,
        ("text", "json", "markdown"),
        demo="advise on the demo agency",
        as_of="the date to advise on (default: today)",
    )
    p.set_defaults(func=cmd_advise)

    p = sub.add_parser(
        "history",
        parents=[common],
        help="print the score and pillar scores at each month end",
        description="The score, the pillar scores and the core metrics at each of the last N month ends "
        "and at the as-of date, each as `advise --as-of` that date says.",
    )
    p.add_argument("--months", metavar="N", default="12", help="how many month ends (1 to 120, default 12)")
    _data_source(p, ("text", "json", "markdown"), as_of="the newest point's date (default: today)")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser(
        "actions",
        parents=[common],
        help="print the open steps of the action items (--mine: yours)",
        description="The open steps of the action items, by due date, with their owners (a step without "
        "owner is its action's owner's) and which are overdue.",
    )
    p.add_argument("--mine", action="store_true", help="only the steps of the current (OS) user")
    p.add_argument("--user", metavar="NAME", help="only the steps of this user (case and spacing ignored)")
    _data_source(p, ("text", "json", "markdown"), as_of="today, for what is overdue (default: today)")
    p.set_defaults(func=cmd_actions)

    p = sub.add_parser(
        "import",
        parents=[common],
        help="merge an interchange file, or an accounting system's CSV export, into the data file",
        description="Merge an interchange file into the data file: new ids are added, existing "
        "ids updated, collections the file leaves out untouched. A CSV file (FILE.csv, or --profile) "
        "is read as an accounting system's invoice export: invoices keyed by their number, clients "
        "matched by name (see README, 'Importing from your accounting system').",
    )
    p.add_argument(
        "file", metavar="FILE.json|FILE.csv", nargs="?", help="the interchange file ('-' reads stdin) or the CSV export"
    )
    p.add_argument("--replace", action="store_true", help="replace all stored data with the file (JSON only)")
    p.add_argument(
        "--profile",
        metavar="NAME|PATH",
        help="a CSV export's profile: a built-in name (--list-profiles) or a TOML file",
    )
    p.add_argument("--dry-run", action="store_true", help="CSV: report what would change; write nothing")
    p.add_argument("--skip-bad", action="store_true", help="CSV: import the good rows and list the rejected ones")
    p.add_argument("--list-profiles", action="store_true", help="list the built-in CSV profiles and exit")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="CSV: today's date (default: today)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "export",
        parents=[common],
        help="write the data file as interchange JSON",
        description="Write the stored agency as an interchange JSON document.",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "invoice-retainers",
        parents=[common],
        help="create this month's invoice of every running retainer",
        description="Create one invoice per retainer running in the month (monthly fee, due after the "
        "agency's payment term), once per month: a retainer invoiced for the month already is skipped. "
        "Lists what it creates and what it skips, and why.",
    )
    p.add_argument("--month", metavar="YYYY-MM", help="the month to invoice (default: the current month)")
    p.add_argument("--dry-run", action="store_true", help="list what would be created; write nothing")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="today's date (default: today)")
    p.set_defaults(func=cmd_invoice_retainers)

    p = sub.add_parser(
        "log",
        parents=[common],
        help="print the audit trail: who changed what, when",
        description="Print the audit trail of the data file: every change, who made it "
        "(the OS user), when, and the fields before and after.",
    )
    p.add_argument("--kind", choices=("agency", "settings") + _collections(), help="only this kind of record")
    p.add_argument("--id", metavar="KEY", help="only this record (an id; a date for cash)")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="the last N changes (default 50; 0: all)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_log)

    p = sub.add_parser(
        "restore",
        parents=[common],
        help="list the backups, or restore one",
        description="Without an argument, list the backups kept next to the data file, newest "
        "first. With a number from that list (or a backup's path), make it the "
        "current data; the current file is kept as a backup first.",
    )
    p.add_argument("backup", nargs="?", metavar="N|FILE", help="the backup to restore")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "who",
        parents=[common],
        help="list who has the data file open now",
        description="List the app sessions open on the data file now, by OS user: since when, "
        "in the review or leading it, read-only (from the files beside it, in DATAFILE.presence/).",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_who)

    review = sub.add_parser(
        "review",
        parents=[common],
        help="the team review: open it in the app, or list, show and compare the reviews",
        description="Without an action, opens the app on the team review (starts one, or joins the one under "
        "way). `review list`, `review show ID` and `review since` print the stored reviews.",
    )
    # bare `tui-advisor review`: the app, opened on the review (the app's own options, here too)
    review.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help="on a copy of the demo")
    review.add_argument("--as-of", metavar="YYYY-MM-DD", default=argparse.SUPPRESS, help="the date (default: today)")
    review.set_defaults(func=cmd_review_app)
    vsub = review.add_subparsers(dest="review_command", metavar="ACTION")
    p = vsub.add_parser("list", parents=[common], help="list the reviews, oldest first")
    _data_source(p, ("text", "json"))
    p.set_defaults(func=cmd_review_list)
    p = vsub.add_parser("show", parents=[common], help="show one review: what it showed and decided")
    p.add_argument("review_id", metavar="ID", help="the review's id (rv-0001)")
    _data_source(p, ("text", "markdown", "json"))
    p.set_defaults(func=cmd_review_show)
    p = vsub.add_parser(
        "since",
        parents=[common],
        help="what changed since the last closed review",
        description="The records added, changed and deleted since the last closed review (from the audit log, by "
        "whom), the score's, pillars' and core metrics' change, and the progress of its actions.",
    )
    _data_source(p, ("text", "json", "markdown"))
    p.set_defaults(func=cmd_review_since)

    rules = sub.add_parser(
        "rules",
        parents=[common],
        help="list, explain and check the rules",
        description="The advice rules: list them, explain one, check rule files.",
    )
    rsub = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    p = rsub.add_parser("list", parents=[common], help="list every rule")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_rules_list)
    p = rsub.add_parser("explain", parents=[common], help="explain one rule")
    p.add_argument("rule_id", metavar="ID")
    p.set_defaults(func=cmd_rules_explain)
    p = rsub.add_parser("check", parents=[common], help="validate rule files")
    p.add_argument(
        "paths",
        metavar="PATH",
        nargs="*",
        help="rule files or directories (default: the built-in rules and those of the config)",
    )
    p.set_defaults(func=cmd_rules_check)
    p = rsub.add_parser("metrics", parents=[common], help="list the metrics and findings rules can use")
    p.set_defaults(func=cmd_rules_metrics)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def _data_path_or_none(args: argparse.Namespace) -> Path | None:
    try:
        return _data_path(args)
    except Exception:
        return None


def _data_path(args: argparse.Namespace) -> Path:
    from . import paths

    return Path(args.data).expanduser() if args.data else paths.default_data_file()


def _store(args: argparse.Namespace, rulebook: Any = None) -> Any:
    """The data file of --data / $TUI_ADVISOR_DATA, with the backup policy of the config."""
    from .store import Store
    from .workspace import read_config

    if rulebook is not None:
        config = rulebook.config
    else:  # import, export, log, restore run no rules: read the config alone
        config = read_config(Path(args.config).expanduser() if args.config else None)
    return Store(_data_path(args), backups=config.backups, backup_minutes=config.backup_minutes)


def _rulebook(args: argparse.Namespace):
    from .workspace import load_rulebook

    config = Path(args.config).expanduser() if args.config else None
    return load_rulebook(config, [Path(p) for p in (args.rules or [])])


MAX_NOTES = 10  # an import's notes shown (the rest counted)


def _print_warnings(warnings: list[str]) -> None:
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)


# ------------------------------------------------------------------ commands


def cmd_advise(args: argparse.Namespace) -> int:
    import gc

    from . import report

    gc.disable()  # a one-shot process that makes many objects and no cycles worth collecting

    rulebook = _rulebook(args)
    data, as_of = _advised_data(args, rulebook, read="advise on a file")
    advice = rulebook.advise(data, as_of)
    if args.format == "json":
        out = report.render_json(advice)
    elif args.format == "markdown":
        out = report.render_markdown(advice)
    else:
        out = report.render_text(advice, color=report.use_color(sys.stdout))
    _raw_stdout().write(out)  # report escaped every text of the data and the rules itself
    _print_warnings(advice.warnings)
    if args.input:
        global _ONE_SHOT
        _ONE_SHOT = True  # nothing of the file's agency is needed any more (see main)
        _KEPT.extend((data, advice))  # held until os._exit: not freed one by one as this returns
    return 0


def _advised_data(args: argparse.Namespace, rulebook: Any, read: str = "read a file") -> tuple[Any, date]:
    """The data of --input / --demo / the data file, and the as-of date (the demo's own by default);
    ``read``: what the message about a missing data file offers --input for (advise, history)."""
    from .workspace import load_input

    as_of = _as_of(args.as_of)
    if args.input and args.demo:
        raise UsageError("choose one of --input and --demo")
    if args.demo:
        from . import paths

        return load_input(paths.sample_file("demo")), (SAMPLE_AS_OF if args.as_of is None else as_of)
    if args.input:  # what reading it made on the way is kept too (main: freed by os._exit)
        return load_input(args.input, keep=_KEPT), as_of
    store = _store(args, rulebook)
    if not store.exists():
        raise UsageError(
            f"{store.path}: no data file yet. Import one with `tui-advisor import FILE.json "
            f"--data {store.path}`, {read} with --input, or try --demo"
        )
    return store.load(), as_of


def cmd_history(args: argparse.Namespace) -> int:
    import gc

    from .workspace import history

    text = str(args.months).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 3) or not history.check_months_ok(int(text)):
        shown = text if len(text) <= 20 else text[:20] + "..."
        raise UsageError(f"--months must be a whole number from 1 to {history.MAX_MONTHS}, not {shown!r}")
    gc.disable()  # a one-shot process, as advise
    rulebook = _rulebook(args)
    data, as_of = _advised_data(args, rulebook)
    points = history.history(rulebook, data, as_of, int(text))
    agency = getattr(getattr(data, "agency", None), "name", "") or ""
    if args.format == "json":
        out = history.render_json(points)
    elif args.format == "markdown":
        out = history.render_markdown(points, agency)
    else:
        out = history.render_text(points, agency)
    sys.stdout.write(out)
    _print_warnings(rulebook.warnings)
    if args.input:
        global _ONE_SHOT
        _ONE_SHOT = True  # as advise: nothing of the file's agency is needed any more (see main)
        _KEPT.extend((data, points))  # as advise: held until os._exit
    return 0


def cmd_actions(args: argparse.Namespace) -> int:
    from .safetext import control_problem
    from .workspace import actions

    if args.mine and args.user is not None:
        raise UsageError("choose one of --mine and --user")
    user: str | None = None
    if args.user is not None:
        problem = control_problem(args.user)
        if problem or not args.user.strip() or len(args.user) > 120:
            raise UsageError(f"--user: {problem or 'give a user name of 1 to 120 characters'}")
        user = args.user
    data, today = _advised_data(args, None, read="list the actions of a file")
    if args.mine:
        user = actions.current_user()
    steps = actions.open_steps(data, today, user=user)
    if args.format == "json":
        out = actions.render_json(steps, today, user)
    elif args.format == "markdown":
        out = actions.render_markdown(steps, today, user)
    else:
        out = actions.render_text(steps, today, user)
    sys.stdout.write(out)
    return 0


def _data_source(
    p: argparse.ArgumentParser,
    formats: tuple[str, ...],
    *,
    demo: str = "the demo agency",
    as_of: str = "the date the numbers are taken as of (default: today)",
) -> None:
    """The options of a command that reads the advised data (advise, history, actions, review
    list|show|since; see _advised_data): --input, --demo, --as-of, and the output's --format."""
    p.add_argument("--input", metavar="FILE.json", help="read this interchange file instead of the data file")
    p.add_argument("--demo", action="store_true", help=demo)
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help=as_of)
    p.add_argument("--format", choices=formats, default="text")


def _reviews(args: argparse.Namespace, *, advise: bool = False) -> Any:
    """The open agency's Reviews (workspace/review.py) of --input / --demo / the data file; for an
    interchange file, with no audit log (a store on a path that does not exist: nothing is written).
    ``advise``: with the advice as of --as-of (what `since` compares with; list and show need none)."""
    import tempfile

    from .store import Store
    from .workspace import Workspace

    rulebook = _rulebook(args)
    data, as_of = _advised_data(args, rulebook, read="read the reviews of a file")
    if args.input or args.demo:
        store = Store(Path(tempfile.gettempdir()) / f"tui-advisor-no-file-{os.getpid()}" / "none.json")
    else:
        store = _store(args, rulebook)
    ws = Workspace(store, rulebook, as_of=as_of)
    ws.data = data
    if advise:
        ws.advice = rulebook.advise(data, as_of)
    _print_warnings(rulebook.warnings)
    if args.input:
        global _ONE_SHOT
        _ONE_SHOT = True  # as advise: nothing of the file's agency is needed once printed (see main)
        _KEPT.extend((data, ws))  # held until os._exit
    return ws.review


def cmd_review_list(args: argparse.Namespace) -> int:
    from . import reviewdoc
    from .safetext import json_dumps

    reviews = _reviews(args)
    found = reviews.all()
    if args.format == "json":
        sys.stdout.write(json_dumps(reviewdoc.list_json(found), indent=2) + "\n")
    else:
        sys.stdout.write(reviewdoc.list_text(found, reviews.ws.data.agency.name))
    return 0


def cmd_review_show(args: argparse.Namespace) -> int:
    from . import reviewdoc
    from .safetext import json_dumps, visible

    reviews = _reviews(args)
    review = reviews.get(args.review_id)
    if review is None:
        ids = [r.id for r in reviews.all()]
        there = f"the reviews there are: {', '.join(ids)}" if ids else "there are no reviews yet"
        raise UsageError(f"review show: no review {visible(args.review_id)!r}; {there}")
    if args.format == "json":
        sys.stdout.write(json_dumps(reviewdoc.minutes_json(review), indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(reviewdoc.minutes_markdown(review, reviews.ws.data.agency, reviews.ws.data.actions))
    else:
        sys.stdout.write(reviewdoc.show_text(review, reviews.ws.data.agency))
    return 0


def cmd_review_since(args: argparse.Namespace) -> int:
    from . import reviewdoc
    from .safetext import json_dumps

    since = _reviews(args, advise=True).since()
    if args.format == "json":
        sys.stdout.write(json_dumps(reviewdoc.since_json(since), indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(reviewdoc.since_markdown(since))
    else:
        sys.stdout.write(reviewdoc.since_text(since))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from . import model
    from .workspace import read_document

    if args.list_profiles:
        return cmd_import_profiles(args)
    if args.file is None:
        raise UsageError("import: give the file to import (FILE.json or FILE.csv), or --list-profiles")
    if args.profile is not None or args.file.lower().endswith(".csv"):
        return cmd_import_csv(args)
    if args.dry_run or args.skip_bad:
        raise UsageError("--dry-run and --skip-bad are for a CSV export (FILE.csv with --profile)")
    doc = read_document(args.file)
    store = _store(args)
    try:
        result = store.import_document(doc, replace=args.replace, consume=True)  # doc: not needed after
    except model.ValidationError as exc:
        label = "<stdin>" if args.file == "-" else args.file
        raise UsageError(f"{label}: {len(exc.problems)} problem(s); nothing was imported", exc.problems) from None
    verb = "Replaced the data in" if args.replace else "Imported into"
    print(f"{verb} {store.path}: {result.summary()}")
    shown = MAX_NOTES  # the rules the app's forms add (a won inquiry's date): imported, and said
    _print_warnings(
        [f"{n} (imported as it is; the app's form asks for it)" for n in result.notes[:shown]]
        + ([f"{len(result.notes) - shown} more like these"] if len(result.notes) > shown else [])
    )
    return 0


def cmd_import_profiles(args: argparse.Namespace) -> int:
    from .importing import builtin_profiles, describe_profile
    from .safetext import visible

    for name, profile in builtin_profiles().items():
        print(f"{name}: {visible(profile.description)}")
        print(f"  {visible(describe_profile(profile))}")
    print("A profile of your own: a TOML file, `--profile PATH` (see README, 'Importing from your accounting system').")
    return 0


def cmd_import_csv(args: argparse.Namespace) -> int:
    from . import importing
    from .safetext import visible

    if args.replace:
        raise UsageError("--replace is for an interchange JSON file; a CSV import merges its invoices")
    if args.profile is None:
        looks = importing.preview(args.file).looks_like
        hint = f" (its header fits: {', '.join('--profile ' + n for n in looks)})" if looks else ""
        raise UsageError(
            f"{visible(args.file)}: a CSV export needs --profile NAME|PATH{hint}; `tui-advisor import --list-profiles` "
            "lists the built-in ones"
        )
    try:
        profile = importing.load_profile(args.profile)
    except importing.ProfileError as exc:
        raise UsageError(str(exc), exc.problems) from None
    as_of = _as_of(args.as_of)
    store = _store(args)
    try:
        snap = store.snapshot()  # an empty agency when there is no data file yet
        plan = importing.plan_import(args.file, profile, snap.data, as_of, revision=snap.revision)
        from .numbers import show_amount, style_for

        decimal = style_for(snap.data.agency)

        def money(value: float) -> str:  # amounts shown in the agency's number style
            return show_amount(value, decimal)

        if not args.dry_run:
            if plan.rejected and not args.skip_bad:
                _print_plan(plan, store.path, dry_run=True, money=money)
                raise UsageError(
                    f"{visible(args.file)}: {len(plan.rejected)} row(s) cannot be imported; nothing was imported "
                    "(fix them, or --skip-bad imports the rest)"
                )
            plan = importing.apply_plan(store, plan, skip_bad=args.skip_bad)
    except importing.CsvFileError as exc:
        raise UsageError(str(exc), exc.problems) from None
    _print_plan(plan, store.path, dry_run=args.dry_run, money=money)
    if args.dry_run and plan.rejected and not args.skip_bad:
        print(
            f"error: {visible(args.file)}: {len(plan.rejected)} row(s) cannot be imported: the import would import "
            "nothing (fix them, or --skip-bad imports the rest)",
            file=sys.stderr,
        )
        return 2
    return 0


MAX_PLAN_LINES = 50  # rows listed per part of a CSV import's report (the rest counted)


def _print_plan(plan: Any, path: Path, *, dry_run: bool, money: Callable[[float], str]) -> None:
    from .safetext import visible

    def listing(title: str, items: list[str]) -> None:
        if not items:
            return
        print(f"{title}:")
        for item in items[:MAX_PLAN_LINES]:
            print(f"  {item}")
        if len(items) > MAX_PLAN_LINES:
            print(f"  ... and {len(items) - MAX_PLAN_LINES} more")

    src = visible(plan.path)
    if dry_run:
        print(f"Dry run, nothing written. {src} (profile {visible(plan.profile.name)}) into {path}: {plan.summary()}")
    elif plan.changes:
        print(f"Imported {src} (profile {visible(plan.profile.name)}) into {path}: {plan.summary()}")
    else:
        print(f"Nothing to import from {src} (profile {visible(plan.profile.name)}): {plan.summary()}")
    if plan.amounts:  # said once: before tax (which column), or the totals as they are (may include VAT)
        print(f"{'warning' if plan.amounts_warning else 'note'}: {visible(plan.amounts)}")
    names = plan.client_names
    listing(
        "New invoices" if dry_run else "Added invoices",
        [
            f"line {c.line}: {visible(c.invoice.id)} {visible(names.get(c.invoice.client, c.invoice.client))} "
            f"{c.invoice.issued} {money(c.invoice.amount)}"
            for c in plan.new
        ],
    )
    listing(
        "Updated invoices",
        [
            f"line {c.line}: {visible(c.invoice.id)}: "
            + ", ".join(
                f"{f} {_shown(getattr(c.before, f), money)} -> {_shown(getattr(c.invoice, f), money)}" for f in c.fields
            )
            for c in plan.updated
        ],
    )
    misses = dict(plan.close_misses)
    listing(
        "New clients" if dry_run else "Added clients",
        [
            f"{visible(c.name)} ({c.id})"
            + (
                f": close to the stored client {visible(misses[c.name])!r}; if it is that client, add "
                f"{visible(c.name)!r} = {visible(misses[c.name])!r} to the profile's [clients]"
                if c.name in misses
                else ""
            )
            for c in plan.new_clients
        ],
    )
    listing("Rejected rows" + (" (skipped)" if not dry_run else ""), [str(r) for r in plan.rejected])
    listing("Left out", [f"line {line}: {visible(why)}" for line, why in plan.skipped])
    for note in plan.notes:
        print(f"note: {visible(note)}")


def _shown(value: Any, money: Callable[[float], str]) -> str:
    from .safetext import visible

    if value is None:
        return "(none)"
    if isinstance(value, float):
        return money(value)
    return visible(str(value))


def cmd_export(args: argparse.Namespace) -> int:
    from .safetext import json_dumps

    store = _store(args)
    if not store.exists():
        raise UsageError(f"{store.path}: no data file yet; nothing to export")
    text = json_dumps(store.export_document(), indent=2) + "\n"
    if args.output:
        out = Path(args.output)
        if out.exists() and out.resolve() == store.path.resolve():
            raise UsageError(f"{out} is the data file itself; export to another file")
        from .store.files import StoreError, write_bytes_atomic

        try:  # through a new, unique temporary file beside it: never through a planted link
            write_bytes_atomic(out, text.encode("utf-8"))
        except StoreError as exc:
            raise UsageError(str(exc)) from None
        print(f"Exported {store.path} to {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_invoice_retainers(args: argparse.Namespace) -> int:
    from .safetext import visible
    from .workspace.retainers import (
        MonthError,
        check_month,
        month_text,
        parse_month,
        plan_retainer_invoices,
        write_retainer_invoices,
    )

    today = _as_of(args.as_of)
    try:
        month = parse_month(args.month) if args.month is not None else today.replace(day=1)
        check_month(month, today)
    except MonthError as exc:
        raise UsageError(f"--month {exc}") from None
    store = _store(args)
    if not store.exists():
        raise UsageError(f"{store.path}: no data file yet; no retainers to invoice")
    if args.dry_run:
        plan = plan_retainer_invoices(store.load(), month, today)
        print(f"Dry run, nothing written. {store.path}: would create {plan.summary()}")
    else:
        plan = write_retainer_invoices(store, month, today)
        if plan.create:
            print(f"{store.path}: created {plan.summary()}")
        else:
            print(f"{store.path}: nothing to invoice for {month_text(month)}: {plan.summary()}")
    for line in plan.lines():
        print(visible(line))
    return 0


def _collections() -> tuple[str, ...]:
    from .model import COLLECTIONS

    return COLLECTIONS


def _restore_hint(store: Any) -> str:
    """What to do about a damaged data file: the newest backup that can be read (the newest
    may be the damaged file itself, kept when an earlier restore replaced it)."""
    from .store import Store, StoreError

    backups = store.list_backups()
    if not backups:
        return "No backups were found next to it; nothing was changed."
    listing = f"`tui-advisor restore --data {store.path}` lists them"
    for n, backup in enumerate(backups, 1):
        try:
            Store(backup).snapshot()
        except StoreError:
            continue
        which = "the newest" if n == 1 else "the newest that can be read"
        return (
            f"Nothing was changed. {len(backups)} backup(s) are kept next to it; {listing} and "
            f"`tui-advisor restore {n} --data {store.path}` restores {which} ({backup.name})."
        )
    return f"Nothing was changed. None of the {len(backups)} backup(s) kept next to it can be read either; {listing}."


def cmd_log(args: argparse.Namespace) -> int:
    from . import model
    from .safetext import json_dumps, visible
    from .timeshow import local_time
    from .workspace.merge import overwrote_lines

    store = _store(args)
    if not store.exists():
        raise UsageError(f"{store.path}: no data file yet; no changes to show")
    key: Any = args.id
    kind = model.KINDS.get(args.kind) if args.kind else None
    if key is not None and kind is not None and len(kind.key) > 1:  # journey, dismissals: two-part keys
        raise UsageError(
            f"--id does not apply to --kind {args.kind} (a {kind.label} is known by {' and '.join(kind.key)}); "
            f"use --kind {args.kind} alone"
        )
    found = store.read_history(args.kind, key) if args.kind else store.read_history()
    entries = found.entries
    if args.limit:
        entries = entries[-args.limit :]
    if found.skipped:  # the log is shared: anyone in the group can write anything into it
        print(
            f"{visible(store.log_path)}: {found.skipped} line{'s' if found.skipped != 1 else ''} that "
            f"{'are' if found.skipped != 1 else 'is'} not an audit entry (torn by a crash, or written by "
            "hand) skipped",
            file=sys.stderr,
        )
    if args.format == "json":
        sys.stdout.write(json_dumps(entries, indent=2) + "\n")
        return 0
    if not entries:
        print("No changes recorded" + (" for that record." if args.kind else "."))
        return 0
    for e in entries:
        changes = e.get("changes", [])
        flag = (
            f"  [one of {e['duplicate']} entries claiming revision {e['rev']}: all but one were not written by a save]"
            if e.get("duplicate")
            else ""
        )
        print(
            f"r{visible(e['rev'])}  {local_time(e.get('at', ''))}  {visible(e.get('by', '?'))}  "
            f"{visible(e.get('action', ''))}  ({len(changes)} change{'s' if len(changes) != 1 else ''}){flag}"
        )
        for c in changes[:20]:
            print("    " + _describe_change(c))
        if len(changes) > 20:
            print(f"    ... and {len(changes) - 20} more")
        for line in overwrote_lines(e):  # a teammate's change the save replaced, as its author chose
            print(f"    ! {line}")
    return 0


def _describe_change(c: dict[str, Any]) -> str:
    from .safetext import visible

    kind, key, before, after = c.get("kind"), c.get("key"), c.get("before"), c.get("after")
    name = f"{visible(kind)} {visible(key)}" if key is not None else f"{visible(kind)}"
    if before is None:
        return f"+ added {name}"
    if after is None:
        return f"- deleted {name}"
    diffs = [f"{visible(k)}: {before.get(k)!r} -> {after.get(k)!r}" for k in after if before.get(k) != after.get(k)]
    return f"~ {name}: " + ("; ".join(diffs) if diffs else "no field changed")


def cmd_who(args: argparse.Namespace) -> int:
    """The live app sessions on the data file (workspace/presence.py), one a line or as JSON."""
    from .safetext import json_dumps, visible
    from .timeshow import local_time
    from .workspace.presence import presence_dir, read_sessions

    path = _data_path(args)
    seen = read_sessions(path)
    if seen.problem:
        raise UsageError(seen.problem)
    if seen.skipped:  # the folder is shared: anyone in the group can put anything into it
        print(
            f"{visible(presence_dir(path))}: {seen.skipped} file{'s' if seen.skipped != 1 else ''} that "
            f"{'are' if seen.skipped != 1 else 'is'} not a session (written by hand, or planted) skipped",
            file=sys.stderr,
        )
    if args.format == "json":
        fields = ("user", "session", "since", "seen", "review", "page", "item", "leading", "following", "read_only")
        doc = {
            "data": str(path),
            "sessions": [{f: getattr(h, f) for f in fields} for h in seen.sessions],
            "skipped": seen.skipped,
        }
        sys.stdout.write(json_dumps(doc, indent=2) + "\n")
        return 0
    if not seen.sessions:
        print(f"Nobody has {visible(path)} open.")
        return 0
    n = len(seen.sessions)
    print(f"{n} session{'s' if n != 1 else ''} on {visible(path)}:")
    width = max(len(h.user) for h in seen.sessions)
    for h in seen.sessions:
        doing = []
        if h.review:
            where = f" ({h.page})" if h.page else ""
            if h.leading:
                doing.append(f"leading the review {h.review}{where}")
            else:
                doing.append(f"in the review {h.review}{where}" + ("" if h.following else ", stepped out"))
        if h.read_only:
            doing.append("read-only")
        print(f"  {h.user:<{width}}  since {local_time(h.since)}" + (f"  {', '.join(doing)}" if doing else ""))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from datetime import datetime

    from .safetext import visible
    from .store import StoreError

    store = _store(args)
    backups = store.list_backups()
    if args.backup is None:
        if not backups:
            print(f"No backups next to {store.path} (in {store.backup_dir}).")
            return 0
        print(f"Backups of {store.path}, newest first:")
        for i, b in enumerate(backups, 1):
            try:
                when = datetime.fromtimestamp(b.lstat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
            except OSError:
                continue  # rotated away by a teammate's save meanwhile
            try:
                snap = store.backup_snapshot(b)
                what = f"revision {snap.revision}: {len(snap.data.clients)} clients, {len(snap.data.invoices)} invoices"
            except StoreError as exc:
                what = f"unreadable ({exc.message})"
            print(f"  {i:2d}. {when}  {visible(b.name)}  {what}")
        print(f"\nRestore one with `tui-advisor restore N --data {store.path}`.")
        return 0
    if args.backup.isdigit():
        n = int(args.backup)
        if not 1 <= n <= len(backups):
            raise UsageError(f"there is no backup {n}; `tui-advisor restore` lists {len(backups)}")
        chosen = backups[n - 1]
    else:
        chosen = Path(args.backup)
        if not chosen.is_file():
            raise UsageError(f"{chosen}: no such backup file")
    revision = store.restore(chosen)
    print(
        f"Restored {visible(chosen.name)} into {store.path} (now revision {revision}); "
        "the file it replaced is kept as a backup."
    )
    return 0


def _rule_status(rule, rulebook) -> str:
    from .engine.rules import matches

    return "disabled" if matches(rule.id, rulebook.config.disable) else "enabled"


def cmd_rules_list(args: argparse.Namespace) -> int:
    from .safetext import json_dumps, visible

    rulebook = _rulebook(args)
    rules = sorted(rulebook.ruleset.rules, key=lambda r: r.id)
    if args.format == "json":
        from .engine.advise import effective_params

        out = [
            {
                "id": r.id,
                "name": r.name,
                "pillar": r.pillar,
                "source": r.source,
                "severity": r.severity,
                "group": r.group,
                "each": r.each,
                "when": r.when.strip(),
                "title": r.title,
                "params": effective_params(r, rulebook.config.params),
                "defaults": r.params,
                "status": _rule_status(r, rulebook),
                "file": r.file,
            }
            for r in rules
        ]
        sys.stdout.write(json_dumps(out, indent=2) + "\n")
    else:
        print(f"{'ID':<8} {'SEVERITY':<9} {'PILLAR':<11} {'GUIDE':<6} {'STATUS':<9} NAME")
        for r in rules:
            print(
                f"{visible(r.id):<8} {r.severity:<9} {r.pillar:<11} {visible(r.source):<6} "
                f"{_rule_status(r, rulebook):<9} {visible(r.name)}"
            )
        print(f"\n{len(rules)} rules. `tui-advisor rules explain ID` explains one.")
    _print_warnings(rulebook.warnings + [str(p) for p in rulebook.ruleset.problems])
    return 0


def cmd_rules_explain(args: argparse.Namespace) -> int:
    import textwrap

    from .engine.advise import effective_params
    from .engine.rules import PILLARS
    from .model import did_you_mean, suggestions

    rulebook = _rulebook(args)
    by_id = rulebook.ruleset.by_id()
    by_name = {r.name: r for r in rulebook.ruleset.rules}
    wanted = args.rule_id
    rule = by_id.get(wanted) or by_id.get(wanted.upper()) or by_name.get(wanted)
    if rule is None:
        close = suggestions(wanted.upper(), by_id, 3) + suggestions(wanted, by_name, 2)
        hint = did_you_mean(close, quote=False)
        raise UsageError(f"no rule {wanted!r}{hint}; `tui-advisor rules list` shows them all")
    params = effective_params(rule, rulebook.config.params)
    w = textwrap.TextWrapper(width=88, initial_indent="  ", subsequent_indent="  ")
    lines = [
        f"{rule.id} {rule.name}",
        "",
        f"  pillar:    {PILLARS[rule.pillar]['title']} ({rule.pillar})",
        f"  guide:     {rule.source}",
        f"  severity:  {rule.severity}"
        + (f" (graded group {rule.group!r}: only the most severe level shows)" if rule.group else ""),
        f"  status:    {_rule_status(rule, rulebook)}",
        f"  file:      {rule.file}" + (f":{rule.line}" if rule.line else ""),
        "",
    ]
    if rule.each:
        lines.append(f"Runs once for every item of: {rule.each}")
    lines += ["Fires when:", "  " + " ".join(rule.when.split())]
    if rule.distance:
        lines += ["Distance past the threshold (for priority):", "  " + " ".join(rule.distance.split())]
    if params:
        lines.append("Parameters (override in the config file under [rules.params." + rule.id + "]):")
        for k, v in params.items():
            default = rule.params.get(k)
            lines.append(f"  {k} = {v}" + ("" if v == default else f"   (default {default})"))
    lines += [
        "",
        "Says:",
        *w.wrap(rule.title),
        *w.wrap(rule.message),
        "",
        "Why:",
        *w.wrap(rule.rationale),
        "",
        "What to do:",
    ]
    for a in rule.actions:
        lines += textwrap.wrap(a, width=88, initial_indent="  - ", subsequent_indent="    ")
    from .safetext import visible

    print("\n".join(map(visible, lines)))  # each line: this program's words around the rule file's texts
    return 0


def cmd_rules_check(args: argparse.Namespace) -> int:
    from . import paths
    from .engine.rules import load_rules

    key_problems: list[str] = []
    if args.paths:
        ruleset = load_rules(None, [Path(p) for p in args.paths])
        checked = ", ".join(args.paths)
    else:
        rulebook = _rulebook(args)
        ruleset = rulebook.ruleset
        extra = list(rulebook.config.rule_paths) + [Path(p) for p in (args.rules or [])]
        checked = f"{paths.rules_dir()}" + "".join(f", {p}" for p in extra)
        if rulebook.config.keys:  # the app's keys: the app applies only the entries that pass
            from .ui.keymap import check_keymap

            key_problems = [f"config {rulebook.config.path}: {p}" for p in check_keymap(rulebook.config.keys)[1]]
    for p in [*ruleset.problems, *key_problems]:
        print(p)
    n = len(ruleset.problems) + len(key_problems)
    if n:
        where = "the rule files" + (" and the config's [keys]" if key_problems else "")
        print(f"\n{n} problem(s) in {where}; {len(ruleset.rules)} rules are valid.", file=sys.stderr)
        return 1
    print(f"{len(ruleset.rules)} rules OK ({checked})")
    for rid in ruleset.replaced:
        print(f"note: {rid} replaces the built-in rule of that id")
    return 0


def cmd_rules_metrics(args: argparse.Namespace) -> int:
    from .metrics import FINDINGS, METRIC_PARAMS, METRICS

    print("Metrics (names usable in conditions and messages):")
    for m in METRICS.values():
        print(f"  {m.name:<34} {m.unit:<9} {m.doc}")
    print("\nFindings (for rules with `each`), with their item fields:")
    for f in FINDINGS.values():
        print(f"  {f.name}: {f.doc}")
        for k, v in f.fields.items():
            print(f"      {k:<22} {v}")
    print("\nMetric parameters (config file section [metrics]):")
    for k, (default, doc) in METRIC_PARAMS.items():
        print(f"  {k} = {default:<8} {doc}")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    """Open the terminal app on the data file, or on a temporary copy of the demo agency."""
    import gc
    import tempfile

    from . import paths
    from .store import Store
    from .workspace import StoreError, Workspace, read_document

    # Start-up builds many long-lived objects (Textual, the rules, the agency's records) and no
    # garbage worth collecting: pause the cyclic collector until the app's first frame (the app
    # resumes it then), instead of paying for several full collections on the way.
    collecting = gc.isenabled()
    gc.disable()
    # Textual writes every frame to the terminal from a thread of its own. With Python's
    # default switch interval (5 ms) that thread waits while the UI thread keeps computing
    # (the footer's keys, a recompute), and the frame reaches the terminal late: hand the
    # interpreter over sooner (1 ms; the other threads are idle nearly all the time).
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(min(switch_interval, 0.001))
    try:
        rulebook = _rulebook(args)
        as_of = _as_of(args.as_of) if args.as_of else None
        with tempfile.TemporaryDirectory(prefix="tui-advisor-demo-") as tmp:
            if args.demo:
                store = Store(Path(tmp) / "demo.json")
                store.import_document(read_document(paths.sample_file("demo")), replace=True)
                as_of = as_of or SAMPLE_AS_OF
                title = "demo (a temporary copy)"
            else:
                store = _store(args, rulebook)
                title = str(store.path)
            workspace = Workspace(store, rulebook, as_of=as_of)
            try:
                _load(workspace)
            except StoreError as exc:
                raise UsageError(f"{exc}\n{_restore_hint(store)}" if exc.damaged else str(exc)) from None
            _run_app(
                workspace,
                keymap=rulebook.config.keys,
                title=title,
                resume_gc=collecting,
                **({"review": True} if getattr(args, "open_review", False) else {}),
            )
    finally:
        if collecting:
            gc.enable()
        sys.setswitchinterval(switch_interval)
    return 0


def cmd_review_app(args: argparse.Namespace) -> int:
    """`tui-advisor review`: the app, straight on the team review (started, or the one under way joined)."""
    args.open_review = True
    return cmd_app(args)


def _load(workspace: Any) -> None:
    """Read the data file and its advice. A large file is read by a child process while this
    one imports the user interface (workspace/prefetch.py); a small one right here."""
    from .workspace import prefetch

    pending = prefetch.start(workspace)
    if pending is not None:
        import tui_advisor.ui.app  # noqa: F401  (the import the child's reading overlaps)

        try:
            snap, advice, workspace.recompute_seconds = pending.result()
        except prefetch.Unavailable:
            pass  # read it here, below
        else:
            workspace.adopt(snap, advice)
            return
    workspace.load()


def _run_app(workspace: Any, *, keymap: dict[str, str], title: str, resume_gc: bool, review: bool = False) -> None:
    """Run the app on the terminal until it quits (the start-up benchmark runs it headless here)."""
    from .ui.app import run_app

    run_app(workspace, keymap=keymap, title=title, resume_gc=resume_gc, review=review)


# ------------------------------------------------------------------ entry point


def _fail(message: str, problems: list[str] | tuple[str, ...] = ()) -> int:
    """Bad input: say what is wrong on stderr, every problem on its own line; exit code 2."""
    print(f"tui-advisor: {message}", file=sys.stderr)
    for p in problems:
        print(f"  {p}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    """The command line. Everything it prints (its messages, argparse's, the listings) goes
    through safetext.SafeStream: no control character from a name, a file name or an audit
    entry reaches the terminal raw (the values are also escaped one by one where they are
    printed; the advice's colours are written by report, which escapes its texts itself)."""
    from .safetext import safe_streams

    with safe_streams():
        code = _main(argv)
    if argv is None and _ONE_SHOT:
        _leave_now(code)
    _KEPT.clear()  # a caller of main() in the same process (the tests): freed as usual
    return code


# Set by a command that has printed everything and holds nothing to save or clean up (advise on
# a file): the process then ends without freeing the hundreds of thousands of records one by one
# (40-60 ms of CPU for the L agency). Only for the command line itself (argv None), never for a
# caller of main() in the same process (the tests). _KEPT: what such a command made (the agency,
# the advice, and what reading an --input file made on the way: load_input's keep), held here so
# that it is not freed when the command returns, before os._exit.
_ONE_SHOT = False
_KEPT: list[Any] = []


def _leave_now(code: int) -> None:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: the normal exit says so as it always has
        return
    os._exit(code)


def _raw_stdout() -> Any:
    """Standard output without the SafeStream (for report's coloured text, already safe)."""
    return getattr(sys.stdout, "stream", sys.stdout)


def _store_error() -> Any:
    """The store's error (imported when an exception is matched: advise --input imports no store)."""
    from .store import StoreError

    return StoreError


def _main(argv: list[str] | None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else list(argv))
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", cmd_app)
    from .engine.config import ConfigError
    from .model import ValidationError
    from .workspace import InputError

    try:
        return func(args)
    except (UsageError, InputError) as exc:
        return _fail(str(exc), exc.problems)
    except ConfigError as exc:
        return _fail(f"config file {exc.path}: {len(exc.problems)} problem(s)", exc.problems)
    except _store_error() as exc:  # looked up only when an exception gets here
        from .store import Store

        hint = [_restore_hint(Store(exc.path))] if exc.damaged and exc.path == _data_path_or_none(args) else []
        return _fail(str(exc), hint)
    except ValidationError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stdout now, open until the process exits
        except OSError:
            pass
        return 0
