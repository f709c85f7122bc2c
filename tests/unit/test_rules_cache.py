"""Parsed rule files are kept between runs (ParsedToml): the same rules, parsed once, and
never an old parse of an edited file or an error from a bad cache file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui_advisor import paths
from tui_advisor.engine import rules as rules_mod
from tui_advisor.engine.rules import load_rules
from tui_advisor.workspace import load_rulebook


def described(ruleset) -> list[tuple]:
    return [(r.id, r.name, r.severity, r.pillar, r.params, r.message, r.file, r.line) for r in ruleset.rules]


@pytest.fixture
def toml_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the TOML parser was asked to parse."""
    seen: list[str] = []
    parse = rules_mod.parse_toml

    def counting(text: str):
        seen.append(text)
        return parse(text)

    monkeypatch.setattr(rules_mod, "parse_toml", counting)
    return seen


def test_a_second_load_parses_nothing_and_gives_the_same_rules(tmp_path: Path, toml_parses: list[str]) -> None:
    cache = tmp_path / "cache" / "parsed.marshal"
    first = load_rules(paths.rules_dir(), cache=cache)
    parsed_first = len(toml_parses)
    assert parsed_first == len(list(paths.rules_dir().glob("*.toml"))) and cache.exists()
    second = load_rules(paths.rules_dir(), cache=cache)
    assert len(toml_parses) == parsed_first  # all from the cache
    assert described(second) == described(first) and len(first.rules) >= 28
    assert described(load_rules(paths.rules_dir())) == described(first)  # the same as without a cache


def test_an_edited_rule_file_is_parsed_again(tmp_path: Path, toml_parses: list[str]) -> None:
    cache = tmp_path / "parsed.marshal"
    user = tmp_path / "mine.toml"
    user.write_text(
        '[[rule]]\nid = "CASH001"\nname = "mine"\npillar = "cash"\nseverity = "critical"\n'
        'source = "G5"\nwhen = "cash_months < 1"\ntitle = "t"\nmessage = "m"\nrationale = "r"\nactions = ["a"]\n',
        encoding="utf-8",
    )
    assert load_rules(paths.rules_dir(), [user], cache=cache).by_id()["CASH001"].name == "mine"
    user.write_text(user.read_text(encoding="utf-8").replace('"mine"', '"edited"'), encoding="utf-8")
    before = len(toml_parses)
    assert load_rules(paths.rules_dir(), [user], cache=cache).by_id()["CASH001"].name == "edited"
    assert toml_parses[before:] == [user.read_text(encoding="utf-8")]  # only the edited file
    user.write_text('[[rule]\nid = "X"\n', encoding="utf-8")  # broken: reported, cache or not
    problems = load_rules(paths.rules_dir(), [user], cache=cache).problems
    assert any("not valid TOML" in p.message and p.line == 1 for p in problems)


@pytest.mark.parametrize("content", [b"", b"garbage\x00\xff", b"\xe9" * 100])
def test_a_damaged_cache_file_only_means_parsing(tmp_path: Path, content: bytes, toml_parses: list[str]) -> None:
    cache = tmp_path / "parsed.marshal"
    cache.write_bytes(content)
    ruleset = load_rules(paths.rules_dir(), cache=cache)
    assert not ruleset.problems and len(toml_parses) == len(list(paths.rules_dir().glob("*.toml")))
    assert cache.read_bytes() != content  # written anew
    assert described(load_rules(paths.rules_dir(), cache=cache)) == described(ruleset)


def test_an_unwritable_cache_directory_is_no_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        blocked = tmp_path / "a-file"  # root may write anywhere: a file where the directory should be
        blocked.write_text("", encoding="utf-8")
        cache = blocked / "parsed.marshal"
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        cache = locked / "sub" / "parsed.marshal"
    ruleset = load_rules(paths.rules_dir(), cache=cache)
    assert not ruleset.problems and ruleset.rules and not cache.exists()
    assert not list(tmp_path.rglob("*.tmp"))


def test_the_app_keeps_its_cache_in_the_users_cache_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    load_rulebook()
    assert (tmp_path / "xdg" / "tui-advisor" / "parsed-rules.marshal").exists()
    monkeypatch.setenv("TUI_ADVISOR_CACHE", str(tmp_path / "elsewhere"))
    assert paths.rules_cache_file() == tmp_path / "elsewhere" / "parsed-rules.marshal"
    monkeypatch.setenv("TUI_ADVISOR_CACHE", "")
    assert paths.rules_cache_file() is None
