"""The command line's arguments: opening the app parses its options without building the
commands' parsers (a few ms of every start); anything else, mistakes included, goes to the
full parser, whose messages list the commands."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tui_advisor import cli as cli_mod


def test_the_apps_options_are_parsed_without_the_commands_parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_full_parser():
        raise AssertionError("the commands' parsers were built to open the app")

    monkeypatch.setattr(cli_mod, "build_parser", no_full_parser)
    args = cli_mod.parse_args(["--demo", "--as-of", "2026-01-31", "--rules", "a.toml", "--rules", "b"])
    assert args.demo is True and args.as_of == "2026-01-31" and args.rules == ["a.toml", "b"]
    assert getattr(args, "func", cli_mod.cmd_app) is cli_mod.cmd_app
    assert cli_mod.parse_args(["--data", "agency.json"]).data == "agency.json"
    assert cli_mod.parse_args([]).demo is False


@pytest.mark.parametrize(
    "argv, func",
    [
        (["advise", "--demo"], "cmd_advise"),
        (["--data", "x.json", "log", "--limit", "3"], "cmd_log"),
        (["rules", "explain", "CASH001"], "cmd_rules_explain"),
    ],
)
def test_a_command_gets_the_full_parser(argv: list[str], func: str) -> None:
    assert cli_mod.parse_args(argv).func is getattr(cli_mod, func)


@pytest.mark.parametrize(
    "argv, says",
    [
        (["advize"], ["invalid choice: 'advize'", "advise"]),
        (["--as-of"], ["--as-of", "expected one argument"]),
        (["--demo", "--bogus"], ["unrecognized arguments: --bogus"]),
    ],
)
def test_mistakes_are_reported_with_the_commands_in_the_usage(argv, says, run, cli) -> None:
    err = cli.usage_error(run(*argv))
    assert "COMMAND" in err  # the full parser's usage line
    for text in says:
        assert text in err


def test_help_and_version_list_what_the_full_parser_knows(run, cli) -> None:
    out = cli.ok(run("--help")).stdout
    for command in ("advise", "import", "export", "log", "restore", "rules", "--demo", "--as-of"):
        assert command in out
    assert cli.ok(run("--version")).stdout.startswith("tui-advisor ")


def test_a_bad_as_of_for_the_app_is_a_usage_error(run, cli) -> None:
    err = cli.usage_error(run("--demo", "--as-of", "2026-02-30"))
    assert "--as-of" in err and "2026-02-30" in err
    assert cli_mod._as_of("2026-11-26") == date(2026, 11, 26)


@pytest.mark.parametrize("kind, known_by", [("journey", "stage and activity"), ("dismissals", "rule and subject")])
def test_log_id_is_refused_for_a_kind_with_a_two_part_key(run, cli, demo_store: Path, kind: str, known_by: str) -> None:
    err = cli.usage_error(run("--data", demo_store, "log", "--kind", kind, "--id", "x"))
    assert f"--id does not apply to --kind {kind}" in err and known_by in err
    assert f"use --kind {kind} alone" in err


def test_log_id_of_a_client_still_finds_its_changes(run, cli, demo_store: Path) -> None:
    out = cli.ok(run("--data", demo_store, "log", "--kind", "clients", "--id", "no-such-client")).stdout
    assert "No changes recorded for that record." in out
