"""Hostile rule and config files: nothing in a file a teammate planted can hang or bloat
anyone's advice, and a broken file is one problem naming the file while the other rules run.

Rule files often live in a folder the whole team writes to. Each test here plants one
thing there (a format spec a gigabyte wide, a FIFO, a link to /dev/zero, a file too big,
TOML nested 100,000 deep, a key of thousands of dotted parts, a damaged parse cache) and
loads the rules the way the app and the command line do (``load_rules``, ``load_config``),
then checks the problem reported and that the built-in rules are all still there. The
command-line view of the same attacks is tests/cli/test_cli_rules_hostile.py.
"""

from __future__ import annotations

import json
import marshal
import os
import stat
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tui_advisor import paths
from tui_advisor.engine import rules as rules_mod
from tui_advisor.engine.advise import evaluate
from tui_advisor.engine.config import ConfigError, load_config
from tui_advisor.engine.rules import (
    MAX_ACTION,
    MAX_ACTIONS,
    MAX_FILE_PROBLEMS,
    MAX_KEY_DOTS,
    MAX_PRECISION,
    MAX_RENDERED,
    MAX_TEXT,
    MAX_USER_BYTES,
    MAX_USER_FILES,
    MAX_WIDTH,
    ParsedToml,
    load_rules,
    render,
    spec_problem,
)
from tui_advisor.metrics import compute
from tui_advisor.readfile import MAX_FILE_BYTES, FileRefused, read_text
from tui_advisor.workspace import load_input

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="FIFOs, /dev/zero and uids (Linux)")

AS_OF = date(2026, 11, 26)
BUILTIN = len(load_rules(paths.rules_dir()).rules)


def rule(rid: str = "TEAM001", **changes: Any) -> str:
    """One valid [[rule]] table (fires on the demo), with some keys changed."""
    fields: dict[str, Any] = {
        "id": rid,
        "name": "team-rule",
        "pillar": "cash",
        "source": "G5",
        "severity": "warning",
        "when": "cash_balance > 0",
        "title": "Cash is {cash_months:.1f} months",
        "message": "Balance {cash_balance:,.0f}.",
        "rationale": "Because.",
        "actions": ["Act."],
    }
    fields.update(changes)
    return "[[rule]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in fields.items())


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def load_user(*paths_: Path, cache: Path | None = None) -> rules_mod.RuleSet:
    """The built-in rules plus the user's, as the app loads them; all of them must be there."""
    ruleset = load_rules(paths.rules_dir(), list(paths_), cache=cache)
    builtin = [r for r in ruleset.rules if r.file.startswith("rules/")]
    assert len(builtin) == BUILTIN, "a user file stopped the built-in rules"
    return ruleset


def only_problem(ruleset: rules_mod.RuleSet, path: Path) -> rules_mod.RuleProblem:
    mine = [p for p in ruleset.problems if p.file == str(path)]
    assert len(mine) == 1, [str(p) for p in ruleset.problems]
    return mine[0]


def in_thread(fn: Any, timeout: float = 60) -> Any:
    """Run ``fn`` in a thread and fail (instead of hanging the suite) if it does not finish."""
    out: dict[str, Any] = {}

    def target() -> None:
        try:
            out["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            out["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), f"still running after {timeout} s: it hangs"
    if "error" in out:
        raise out["error"]
    return out["value"]


# --------------------------------------------------------------------------- format specs


@pytest.mark.parametrize(
    "spec, what",
    [
        (">999999999", "width"),
        ("0999999999", "width"),
        (f">{MAX_WIDTH + 1}", "width"),
        (">" + "9" * 250, "width"),
        (".999999999f", "precision"),
        (f".{MAX_PRECISION + 1}f", "precision"),
        ("." + "9" * 250, "precision"),
    ],
    ids=[
        "huge-width",
        "zero-padded",
        "width-over-cap",
        "250-digit-width",
        "huge-precision",
        "precision-over-cap",
        "250-digit-precision",
    ],
)
def test_a_format_spec_wider_or_more_precise_than_the_caps_is_a_rule_problem(
    tmp_path: Path, spec: str, what: str
) -> None:
    text = 'pillar = "cash"\n\n' + rule(title=f"Cash {{cash_months:{spec}}}")
    path = write(tmp_path / "team.toml", text)
    started = time.monotonic()
    ruleset = load_user(path)
    assert time.monotonic() - started < 10
    problem = only_problem(ruleset, path)
    assert (problem.rule, problem.line) == ("TEAM001", 4)
    assert problem.message.startswith("title: format spec") and f"the {what} is too large" in problem.message
    assert len(problem.message) < 200
    assert "TEAM001" not in ruleset.by_id()


def test_a_spec_of_more_digits_than_int_takes_is_a_problem_not_a_crash() -> None:
    assert "the width is too large" in spec_problem("9" * 5000)
    assert "the precision is too large" in spec_problem("." + "9" * 5000 + "f")


@pytest.mark.parametrize(
    "spec", [f">{MAX_WIDTH}", f".{MAX_PRECISION}f", f"*^{MAX_WIDTH},.{MAX_PRECISION}f", ".0%", ",.0f"]
)
def test_specs_within_the_caps_load_and_render(tmp_path: Path, spec: str) -> None:
    path = write(tmp_path / "team.toml", rule(title=f"{{cash_months:{spec}}}"))
    ruleset = load_user(path)
    assert not ruleset.problems and "TEAM001" in ruleset.by_id()
    assert render(f"{{x:{spec}}}", {"x": 1.5}) == format(1.5, spec)


@pytest.mark.parametrize(
    "spec, message", [("c", "the type 'c'"), ("\x1b>10", "is not printable"), ("\n^20", "is not printable")]
)
def test_specs_that_would_print_a_control_character_are_refused(spec: str, message: str) -> None:
    problem = spec_problem(spec)
    assert problem is not None and message in problem
    assert "\x1b" not in problem and "\n" not in problem


def test_render_applies_no_spec_over_the_caps_and_cuts_the_text() -> None:
    """Defence in depth: a template that was never checked still renders small."""
    started = time.monotonic()
    assert render("{x:>999999999}|{x:.999999999f}", {"x": 1.5}) == "1.5|1.5"
    assert time.monotonic() - started < 1
    long = render("{x:>100}" * 1000, {"x": 1}, limit=500)
    assert len(long) == 500 and long.endswith("…")
    assert render("{x}", {"x": "y" * 10**6}, limit=50) == "y" * 49 + "…"
    assert render("{x:,}", {"x": 10**5000}) == "unknown"  # too many digits to print: not a crash


def test_rendered_titles_and_messages_are_capped_in_the_advice(tmp_path: Path) -> None:
    title = "{agency:>100}" * (MAX_TEXT["title"] // len("{agency:>100}"))
    message = "{cash_balance:>100}" * (MAX_TEXT["message"] // len("{cash_balance:>100}"))
    path = write(tmp_path / "team.toml", rule(title=title, message=message))
    ruleset = load_user(path)
    assert not ruleset.problems
    data = load_input(paths.sample_file("demo"))
    advice = evaluate(compute(data, AS_OF), ruleset, agency=data.agency.name, currency=data.agency.currency)
    rec = next(r for r in advice.recommendations if r.rule == "TEAM001")
    assert len(rec.title) == MAX_RENDERED["title"] and rec.title.endswith("…")
    assert len(rec.message) == MAX_RENDERED["message"] and rec.message.endswith("…")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": "x" * (MAX_TEXT["title"] + 1)}, "title is too long"),
        ({"message": "x" * (MAX_TEXT["message"] + 1)}, "message is too long"),
        ({"rationale": "x" * (MAX_TEXT["rationale"] + 1)}, "rationale is too long"),
        ({"actions": ["x" * (MAX_ACTION + 1)]}, "an action is too long"),
        ({"actions": ["x"] * (MAX_ACTIONS + 1)}, "too many actions"),
    ],
)
def test_texts_longer_than_the_caps_are_rule_problems(tmp_path: Path, changes: dict[str, Any], message: str) -> None:
    path = write(tmp_path / "team.toml", rule(**changes))
    problem = only_problem(load_user(path), path)
    assert problem.rule == "TEAM001" and message in problem.message


def test_a_huge_value_in_a_message_is_shown_short(tmp_path: Path) -> None:
    """A 100 KB key or a table nested 100 levels is one short line in the problem."""
    path = write(
        tmp_path / "team.toml",
        rule(severity="x" * 100_000)
        + "[rule.params]\nlimit = "
        + "[" * 100
        + "]" * 100
        + "\n"
        + ("k" * 100_000)
        + " = 1\n",
    )
    problems = [p for p in load_user(path).problems if p.file == str(path)]
    assert problems and all(len(str(p)) < 400 for p in problems)


# --------------------------------------------------------------------------- what is read


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "team.toml")
    ruleset = in_thread(lambda: load_user(tmp_path))  # the folder: its *.toml files
    problem = only_problem(ruleset, tmp_path / "team.toml")
    assert "FIFO" in problem.message and "not a regular file" in problem.message


def test_a_link_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    (tmp_path / "zero.toml").symlink_to("/dev/zero")
    write(tmp_path / "good.toml", rule())
    ruleset = in_thread(lambda: load_user(tmp_path))
    assert "a character device, not a regular file" in only_problem(ruleset, tmp_path / "zero.toml").message
    assert "TEAM001" in ruleset.by_id()  # the good file beside it still counts


def test_a_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    target = write(tmp_path / "elsewhere.rules", rule())
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "linked.toml").symlink_to(target)
    ruleset = load_user(tmp_path / "dir")
    assert not ruleset.problems and "TEAM001" in ruleset.by_id()


def test_a_directory_named_like_a_rule_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "folder.toml").mkdir()
    assert "a directory" in only_problem(load_user(tmp_path), tmp_path / "folder.toml").message


def test_a_file_over_the_size_cap_is_not_read(tmp_path: Path) -> None:
    path = write(tmp_path / "big.toml", rule() + "# padding\n" * (2 * 1024 * 1024 // 10))
    problem = only_problem(load_user(path), path)
    assert "too large (2 MiB; at most 256 KiB)" in problem.message


def test_a_file_at_the_size_cap_is_read(tmp_path: Path) -> None:
    text = rule()
    path = write(tmp_path / "full.toml", text + "#" * (MAX_FILE_BYTES - len(text) - 1) + "\n")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert "TEAM001" in load_user(path).by_id()


def test_a_file_that_grows_after_the_check_is_read_no_further_than_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "grows.toml", "# small\n")
    real_fstat = os.fstat

    def fstat_then_grow(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        with open(path, "a", encoding="utf-8") as f:  # a teammate appends between the stat and the read
            f.write("#" * (2 * MAX_FILE_BYTES))
        return st

    monkeypatch.setattr(os, "fstat", fstat_then_grow)
    with pytest.raises(FileRefused, match="too large"):
        read_text(path)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(rule().encode() + b"# caf\xe9\n")
    problem = only_problem(load_user(path), path)
    assert problem.line == 12 and "not UTF-8 text (byte 0xe9 on line 12)" in problem.message


def test_too_many_user_files_are_reported_and_the_first_ones_read(tmp_path: Path) -> None:
    write(tmp_path / "r0000.toml", rule("TEAM000"))
    for i in range(1, MAX_USER_FILES + 5):
        write(tmp_path / f"r{i:04d}.toml", "# nothing\n")
    ruleset = load_user(tmp_path)
    skipped = only_problem(ruleset, tmp_path / f"r{MAX_USER_FILES:04d}.toml")
    assert f"more than {MAX_USER_FILES} rule files" in skipped.message and "the 4 after it" in skipped.message
    assert "TEAM000" in ruleset.by_id()


def test_user_files_past_the_total_budget_are_not_read(tmp_path: Path) -> None:
    pad = "#" * (MAX_FILE_BYTES - 1000) + "\n"
    count = MAX_USER_BYTES // MAX_FILE_BYTES + 1
    for i in range(count):
        write(tmp_path / f"r{i}.toml", rule(f"TEAM00{i}") + pad)
    ruleset = load_user(tmp_path)
    last = tmp_path / f"r{count - 1}.toml"
    assert "the most read in one run" in only_problem(ruleset, last).message
    assert {f"TEAM00{i}" for i in range(count - 1)} <= set(
        ruleset.by_id()
    ) and f"TEAM00{count - 1}" not in ruleset.by_id()


# --------------------------------------------------------------------------- TOML bombs


@pytest.mark.parametrize(
    "bomb",
    [
        "a = " + "[" * 100_000 + "]" * 100_000 + "\n",
        "a = " + "{b = " * 40_000 + "1" + "}" * 40_000 + "\n",
        "a = [" + "{b = [" * 20_000 + "]}" * 20_000 + "]\n",
    ],
    ids=["arrays", "inline-tables", "mixed"],
)
def test_deep_nesting_is_one_problem_and_the_other_rules_run(tmp_path: Path, bomb: str) -> None:
    path = write(tmp_path / "a-bomb.toml", bomb)
    write(tmp_path / "b-good.toml", rule())
    ruleset = in_thread(lambda: load_user(tmp_path))
    problem = only_problem(ruleset, path)
    assert "nested too deeply" in problem.message and "its rules are not used" in problem.message
    assert "TEAM001" in ruleset.by_id()


@pytest.mark.parametrize(
    "bomb",
    [
        "a" + ".a" * 100_000 + " = 1\n",
        "[" + "a." * 100_000 + "a]\n",
        "[[" + "a." * 100_000 + "a]]\n",
        "x = {" + ".".join(['"q"'] * 50_000) + " = 1}\n",
        "k = 1\n" + "a . " * 30_000 + "a = 2\n",
    ],
    ids=["dotted", "table", "array-of-tables", "quoted-in-inline", "spaced"],
)
def test_keys_of_thousands_of_dotted_parts_are_refused_before_parsing(tmp_path: Path, bomb: str) -> None:
    """tomllib is quadratic in the parts of a key: 100,000 parts would take hours."""
    path = write(tmp_path / "dots.toml", bomb[: MAX_FILE_BYTES - 10])
    started = time.monotonic()
    ruleset = in_thread(lambda: load_user(path))
    assert time.monotonic() - started < 20
    problem = only_problem(ruleset, path)
    assert (
        f"more than {MAX_KEY_DOTS} dotted key parts" in problem.message and problem.line == bomb.count("\n", 0, 10) + 1
    )


def test_dots_inside_strings_and_comments_are_not_keys(tmp_path: Path) -> None:
    prose = "Call them. " * 200  # 200 sentences: dots, in a string
    text = (
        "# "
        + "a." * 500
        + "\n"  # a comment
        + rule(message=prose.strip(), actions=["x." * 50], rationale="R")
        + "group = '"
        + "c." * 40
        + "'\n"  # a literal string
    ).replace('rationale = "R"', 'rationale = """\n' + ".".join("b" * 40) + '\n"""')  # a multi-line one
    assert text.count('"""') == 2  # the replace above took place
    path = write(tmp_path / "prose.toml", text)
    ruleset = load_user(path)
    assert rules_mod._long_dotted_key(text) is None
    assert not ruleset.problems and "TEAM001" in ruleset.by_id()


def test_a_dotted_key_right_after_a_multiline_string_is_still_seen() -> None:
    text = 'x = """a""""\n' + "k" + ".k" * (MAX_KEY_DOTS + 1) + " = 1\n"
    assert rules_mod._long_dotted_key(text) == 2
    text = "x = '''a'''''\n" + "k" + ".k" * (MAX_KEY_DOTS + 1) + " = 1\n"
    assert rules_mod._long_dotted_key(text) == 2


def test_memory_error_while_parsing_is_one_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tomllib

    real = tomllib.loads

    def loads(text: str, **kw: Any) -> Any:
        if "BOMB" in text:
            raise MemoryError
        return real(text, **kw)

    monkeypatch.setattr(tomllib, "loads", loads)
    path = write(tmp_path / "a.toml", "# BOMB\n")
    write(tmp_path / "b.toml", rule())
    ruleset = load_user(tmp_path)
    assert "too large to read into memory" in only_problem(ruleset, path).message
    assert "TEAM001" in ruleset.by_id()


@pytest.mark.parametrize("error", [RecursionError, TypeError, KeyError])
def test_any_error_in_one_user_file_leaves_the_others_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type
) -> None:
    real = rules_mod.parse_rule

    def parse_rule(raw: Any, *args: Any) -> Any:
        if raw.get("id") == "TEAM666":
            raise error("boom")
        return real(raw, *args)

    monkeypatch.setattr(rules_mod, "parse_rule", parse_rule)
    path = write(tmp_path / "a.toml", rule("TEAM666"))
    write(tmp_path / "b.toml", rule())
    ruleset = load_user(tmp_path)
    assert only_problem(ruleset, path).message
    assert "TEAM001" in ruleset.by_id() and "TEAM666" not in ruleset.by_id()


def test_values_of_the_wrong_kind_are_problems_not_crashes(tmp_path: Path) -> None:
    path = write(
        tmp_path / "team.toml",
        'pillar = {a = 1}\n[[rule]]\nid = "TEAM001"\nname = "x"\nsource = "G5"\n'
        'severity = [1]\nwhen = "1 == 1"\ntitle = "t"\nmessage = "m"\nrationale = "r"\nactions = ["a"]\n'
        "each = {b = 2}\n",
    )
    problems = [p.message for p in load_user(path).problems]
    assert any("pillar {'a': 1}" in m for m in problems) and any("severity [1]" in m for m in problems)
    assert any("each {'b': 2}" in m for m in problems)


def test_problems_per_file_are_capped(tmp_path: Path) -> None:
    junk = "".join(f"junk{i} = 1\n" for i in range(300))
    bad_rules = "".join(rule(f"TEAM{i:03d}", severity="nope") for i in range(300))
    path = write(tmp_path / "noisy.toml", junk + bad_rules)
    mine = [p for p in load_user(path).problems if p.file == str(path)]
    assert len(mine) == MAX_FILE_PROBLEMS + 2
    assert mine[MAX_FILE_PROBLEMS].message == "250 more unknown top-level keys"
    assert mine[-1].message == "300 more problems in this file are not shown"  # one for each bad rule


# --------------------------------------------------------------------------- the parse cache


def test_a_symlinked_cache_file_is_neither_read_nor_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "victim"
    elsewhere.write_bytes(b"keep me")
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    cache = cache_dir / "parsed.marshal"
    cache.symlink_to(elsewhere)
    load_user(cache=cache)
    assert elsewhere.read_bytes() == b"keep me"
    assert not cache.is_symlink() and stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert ParsedToml(cache).known  # the new cache file is the user's own, and read


def test_a_cache_file_others_can_write_or_do_not_own_is_not_read(tmp_path: Path) -> None:
    cache = tmp_path / "parsed.marshal"
    load_user(cache=cache)
    assert ParsedToml(cache).known
    os.chmod(cache, 0o664)  # a teammate could have written it
    assert ParsedToml(cache).known == {}
    if os.geteuid() == 0:
        os.chmod(cache, 0o600)
        os.chown(cache, 4242, -1)  # someone else's file
        assert ParsedToml(cache).known == {}


@pytest.mark.parametrize(
    "entry",
    [b"\x00garbage", marshal.dumps(["a list"]), marshal.dumps((lambda: 1).__code__), marshal.dumps({"rule": "x"})[:-3]],
)
def test_a_damaged_cache_entry_only_means_parsing(
    tmp_path: Path, entry: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = write(tmp_path / "team.toml", rule())
    cache = tmp_path / "parsed.marshal"
    expected = [(r.id, r.title) for r in load_user(user, cache=cache).rules]
    parsed = ParsedToml(cache)
    text = user.read_text(encoding="utf-8")
    assert text in parsed.known
    data = marshal.dumps((ParsedToml.TAG, {**parsed.known, text: entry}))
    cache.write_bytes(data)
    os.chmod(cache, 0o600)
    seen: list[str] = []
    real = rules_mod.parse_toml
    monkeypatch.setattr(rules_mod, "parse_toml", lambda t: seen.append(t) or real(t))
    assert [(r.id, r.title) for r in load_user(user, cache=cache).rules] == expected
    assert seen == [text]  # parsed again; the built-in files came from the cache


def test_a_huge_cache_file_is_not_read(tmp_path: Path) -> None:
    cache = tmp_path / "parsed.marshal"
    cache.write_bytes(b"\x00" * (rules_mod.MAX_CACHE_BYTES + 1))
    os.chmod(cache, 0o600)
    assert ParsedToml(cache).known == {}
    load_user(cache=cache)
    assert cache.stat().st_size < rules_mod.MAX_CACHE_BYTES


# --------------------------------------------------------------------------- the config file


def test_a_fifo_config_is_a_message_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "config.toml")
    with pytest.raises(ConfigError) as err:
        in_thread(lambda: load_config(tmp_path / "config.toml", required=True))
    assert "FIFO" in err.value.problems[0]


def test_a_config_linked_to_dev_zero_or_too_big_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "zero.toml").symlink_to("/dev/zero")
    with pytest.raises(ConfigError, match="character device"):
        in_thread(lambda: load_config(tmp_path / "zero.toml"))
    big = write(tmp_path / "big.toml", "# x\n" * MAX_FILE_BYTES)
    with pytest.raises(ConfigError, match="too large"):
        load_config(big)


def test_a_config_the_user_linked_to_a_regular_file_is_read(tmp_path: Path) -> None:
    real = write(tmp_path / "dotfiles-config.toml", '[rules]\ndisable = ["JRN"]\n')
    (tmp_path / "config.toml").symlink_to(real)
    assert load_config(tmp_path / "config.toml").disable == ["JRN"]


@pytest.mark.parametrize(
    "bomb, message",
    [
        ("[keys]\nquit = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
        ("[" + "a." * 10_000 + "a]\n", "dotted key parts"),
    ],
)
def test_a_config_bomb_is_a_message(tmp_path: Path, bomb: str, message: str) -> None:
    path = write(tmp_path / "config.toml", bomb)
    with pytest.raises(ConfigError) as err:
        in_thread(lambda: load_config(path))
    assert len(err.value.problems) == 1 and message in err.value.problems[0]


def test_a_config_with_thousands_of_problems_reports_a_few(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "".join(f"[junk{i}]\n" for i in range(5000)))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert len(err.value.problems) <= 51 and "more problems are not shown" in err.value.problems[-1]


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e300", "1_000_000_000_000_000_000"])
def test_a_parameter_beyond_1e15_or_not_finite_is_refused(tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "team.toml", rule() + f"[rule.params]\nlimit = {value}\n")
    problem = only_problem(load_user(path), path)
    assert problem.rule == "TEAM001" and "must be a number between -1e15 and 1e15" in problem.message
    config = write(tmp_path / "config.toml", f"[rules.params.CASH001]\nmin_months = {value}\n")
    with pytest.raises(ConfigError, match="must be a number between -1e15 and 1e15"):
        load_config(config)


def test_a_number_of_5000_digits_is_one_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "team.toml", rule() + "[rule.params]\nlimit = " + "9" * 5000 + "\n")
    assert "a number has too many digits" in only_problem(load_user(path), path).message
    config = write(tmp_path / "config.toml", "[metrics]\nfull_load = " + "9" * 5000 + "\n")
    with pytest.raises(ConfigError, match="a number has too many digits"):
        load_config(config)
