"""Rules as data: loading and checking ``rules/*.toml``.

A rule file holds ``[[rule]]`` tables (and may set a file-wide ``pillar``)::

    [[rule]]
    id = "CASH001"                 # stable code: letters then digits
    name = "cash-below-minimum"    # kebab-case
    pillar = "cash"
    source = "G5"                  # the GUIDE.md item it encodes
    severity = "critical"          # critical | warning | info
    group = "cash-reserve"         # graded levels of one risk: only the most severe shows
    when = "cash_months < min_months"
    distance = "(min_months - cash_months) / min_months"   # how far past the threshold, 0..1+
    each = "open_inquiries"        # optional: run once per item of a finding
    title = "Cash covers {cash_months:.1f} months of costs: act now"
    message = "..."                # templates: {name} or {name:format-spec}, names only
    rationale = "..."
    actions = ["...", "..."]
    [rule.params]
    min_months = 3

Every problem is collected (file, line, rule id, what is wrong, valid names) and
a broken file never stops the other files' rules from running.
"""

from __future__ import annotations

import difflib
import marshal
import os
import re
import string
import sys
from dataclasses import field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..fastclass import dataclass
from ..metrics import FINDINGS, METRICS
from . import expr

PILLARS: dict[str, dict[str, Any]] = {
    # weight: the guide's order of urgency, used after severity and distance
    "cash": {"title": "Cash in the bank", "short": "Cash", "source": "G5", "weight": 8, "independence": True},
    "key_client": {"title": "Key-client risk", "short": "Key client", "source": "G3", "weight": 7,
                   "independence": True},
    "busy": {"title": "Busy already", "short": "Busy", "source": "G2", "weight": 6, "independence": True},
    "inquiries": {"title": "Many inquiries", "short": "Inquiries", "source": "G6", "weight": 5, "independence": True},
    "recurring": {"title": "Recurring revenue", "short": "Recurring", "source": "G4", "weight": 4,
                  "independence": True},
    "deals": {"title": "Deals: decline and rush fees", "short": "Deals", "source": "G1, G7", "weight": 3,
              "independence": False},
    "execution": {"title": "Weekly steps", "short": "Execution", "source": "G9", "weight": 2, "independence": False},
    "journey": {"title": "Customer journey", "short": "Journey", "source": "G8", "weight": 1, "independence": False},
}
SEVERITIES = {"critical": 3, "warning": 2, "info": 1}
SOURCES = tuple(f"G{i}" for i in range(1, 10))
TEMPLATE_EXTRA = ("currency", "agency", "as_of")

_ID_RE = re.compile(r"^[A-Z]{2,8}[0-9]{3}$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_REQUIRED = ("id", "name", "source", "severity", "when", "title", "message", "rationale", "actions")
_ALLOWED = _REQUIRED + ("pillar", "group", "distance", "each", "params")


@dataclass
class RuleProblem:
    """A problem in a rule file, with its file, line and rule id."""

    file: str
    message: str
    rule: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        who = f" rule {self.rule}:" if self.rule else ""
        return f"{where}:{who} {self.message}"


@dataclass
class Rule:
    """One rule of the guide, parsed and compiled from its TOML table."""

    id: str
    name: str
    pillar: str
    source: str
    severity: str
    when: str
    title: str
    message: str
    rationale: str
    actions: list[str]
    params: dict[str, float] = field(default_factory=dict)
    group: str | None = None
    distance: str | None = None
    each: str | None = None
    file: str = ""
    line: int | None = None
    when_fn: Callable[..., Any] | None = field(default=None, repr=False)
    distance_fn: Callable[..., Any] | None = field(default=None, repr=False)
    names: frozenset[str] = frozenset()

    @property
    def rank(self) -> int:
        return SEVERITIES[self.severity]


@dataclass
class RuleSet:
    """The rules in force, and the problems found loading them."""

    rules: list[Rule]
    problems: list[RuleProblem]
    replaced: list[str] = field(default_factory=list)

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}


def _suggest(word: str, options: Iterable[str], n: int = 1) -> str:
    close = difflib.get_close_matches(word, list(options), n=n, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


_ID_LINE = re.compile(r"""^[ \t]*id[ \t]*=[ \t]*(["'])(.*?)\1""", re.M)


def id_lines(text: str) -> dict[str, int]:
    """The line of each ``id = "..."`` in a rule file (the first, when an id is used twice)."""
    lines: dict[str, int] = {}
    line, pos = 1, 0
    for m in _ID_LINE.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        lines.setdefault(m.group(2), line)
    return lines


def template_fields(template: str) -> list[tuple[str, str]]:
    """The ``(name, format_spec)`` pairs of a message template; ValueError if unsafe."""
    out = []
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(f"placeholder {{{name}}} must be a plain name (no dots, brackets or numbers)")
        if conversion is not None:
            raise ValueError(f"placeholder {{{name}!{conversion}}}: conversions are not allowed")
        if spec and "{" in spec:
            raise ValueError(f"placeholder {{{name}:{spec}}}: nested placeholders are not allowed")
        out.append((name, spec or ""))
    return out


def render(template: str, env: Any) -> str:
    """Fill a checked template; unknown values read 'unknown', odd specs fall back to str()."""
    parts = []
    for literal, name, spec, _ in string.Formatter().parse(template):
        parts.append(literal)
        if name is None:
            continue
        value = env.get(name)
        if value is None or value is expr.UNKNOWN:
            parts.append("unknown")
            continue
        try:
            parts.append(format(value, spec or ""))
        except (ValueError, TypeError):
            parts.append(str(value))
    return "".join(parts)


def _check_spec(spec: str) -> str | None:
    if not spec:
        return None
    for sample in (1.5, 2, "text"):
        try:
            format(sample, spec)
            return None
        except (ValueError, TypeError):
            continue
    return f"format spec {spec!r} is not valid (examples: .1f  .0%  ,.0f)"


def parse_rule(raw: Any, file: str, lines: dict[str, int], default_pillar: str | None
               ) -> tuple[Rule | None, list[RuleProblem]]:
    """One [[rule]] table; ``lines``: :func:`id_lines` of its file."""
    problems: list[RuleProblem] = []
    rid = raw.get("id") if isinstance(raw, dict) else None
    line = lines.get(rid) if isinstance(rid, str) else None

    def bad(msg: str) -> None:
        problems.append(RuleProblem(file, msg, rid if isinstance(rid, str) else None, line))

    if not isinstance(raw, dict):
        bad("each [[rule]] must be a table")
        return None, problems
    for key in raw:
        if key not in _ALLOWED:
            bad(f"unknown key {key!r}{_suggest(key, _ALLOWED)}")
    for key in _REQUIRED:
        if key not in raw:
            bad(f"missing required key {key!r}")
    if problems:
        return None, problems
    if not isinstance(rid, str) or not _ID_RE.match(rid):
        bad(f"id {rid!r} must be 2-8 capital letters then 3 digits, like 'CASH001'")
    name = raw["name"]
    if not isinstance(name, str) or not _NAME_RE.match(name):
        bad(f"name {name!r} must be kebab-case, like 'cash-below-minimum'")
    pillar = raw.get("pillar", default_pillar)
    if pillar not in PILLARS:
        bad(f"pillar {pillar!r} is not one of {', '.join(PILLARS)}{_suggest(str(pillar), PILLARS)}")
    if raw["source"] not in SOURCES:
        bad(f"source {raw['source']!r} must be a guide item G1 to G9")
    if raw["severity"] not in SEVERITIES:
        bad(f"severity {raw['severity']!r} must be one of critical, warning, info"
            f"{_suggest(str(raw['severity']), SEVERITIES)}")
    for key in ("when", "title", "message", "rationale"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            bad(f"{key} must be a non-empty string")
    actions = raw["actions"]
    if not isinstance(actions, list) or not actions or not all(isinstance(a, str) and a.strip() for a in actions):
        bad("actions must be a non-empty list of strings")
    params = raw.get("params", {})
    if not isinstance(params, dict):
        bad("params must be a table of name = number")
        params = {}
    for pname, pval in params.items():
        if type(pval) not in (int, float):
            bad(f"parameter {pname!r} must be a number, got {pval!r}")
        if pname in METRICS:
            bad(f"parameter {pname!r} has the name of a metric; choose another name")
    each = raw.get("each")
    item_fields: dict[str, str] = {}
    if each is not None:
        if each not in FINDINGS:
            bad(f"each {each!r} is not a finding; valid: {', '.join(FINDINGS)}{_suggest(str(each), FINDINGS)}")
        else:
            item_fields = FINDINGS[each].fields
    group = raw.get("group")
    if group is not None and not isinstance(group, str):
        bad("group must be a string")
    if problems:
        return None, problems

    valid_names = set(METRICS) | set(params) | set(item_fields)
    compiled: dict[str, Any] = {}
    used: set[str] = set()
    for key in ("when", "distance"):
        source = raw.get(key)
        if source is None:
            continue
        if not isinstance(source, str):
            bad(f"{key} must be a string expression")
            continue
        try:
            fn, names = expr.parse(source)
        except expr.ExprError as exc:
            bad(f"{key}: {exc}")
            continue
        for n in sorted(names - valid_names):
            bad(f"{key}: unknown name {n!r}{_suggest(n, valid_names, 3)}; valid names are the metrics "
                f"(`tui-advisor rules metrics`), the rule's params ({', '.join(params) or 'none'})"
                + (f" and the fields of {each} ({', '.join(item_fields)})" if each else ""))
        compiled[key] = fn
        used |= names
    template_names = valid_names | set(TEMPLATE_EXTRA)
    for key in ("title", "message"):
        try:
            fields = template_fields(raw[key])
        except ValueError as exc:
            bad(f"{key}: {exc}")
            continue
        for fname, spec in fields:
            if fname not in template_names:
                bad(f"{key}: unknown placeholder {{{fname}}}{_suggest(fname, template_names)}")
            err = _check_spec(spec)
            if err:
                bad(f"{key}: {err}")
    if problems:
        return None, problems
    rule = Rule(
        id=rid, name=name, pillar=pillar, source=raw["source"], severity=raw["severity"], when=raw["when"],
        title=raw["title"], message=raw["message"].strip(), rationale=raw["rationale"].strip(),
        actions=list(actions), params={k: v for k, v in params.items()}, group=group,
        distance=raw.get("distance"), each=each, file=file, line=line,
        when_fn=compiled.get("when"), distance_fn=compiled.get("distance"), names=frozenset(used),
    )
    return rule, problems


class TomlError(ValueError):
    """Not valid TOML (tomllib's message)."""


def parse_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads``; TomlError when the text is not TOML. (tomllib is imported on first
    use: a run that finds its rule files in the cache and has no config file needs no parser.)"""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlError(str(exc)) from None


class ParsedToml:
    """Rule files parsed in earlier runs, by their exact text (like Python's cached bytecode).

    Python's TOML parser takes ~3 ms for the built-in rule files, more than everything else
    in reading the rules: a run that finds the same texts in the cache file (``path``, in
    the user's cache directory) reads them from there instead. The key is the whole text,
    so an edited file is always parsed again; only the texts read in the last run are kept.
    A missing, damaged or unwritable cache file only means parsing, never an error.
    """

    TAG = ("tui-advisor parsed rule files", 1, tuple(sys.version_info[:2]))

    def __init__(self, path: Path | None):
        self.path = path
        self.known: dict[str, bytes] = {}
        self.used: dict[str, bytes] = {}
        if path is not None:
            try:
                tag, known = marshal.loads(path.read_bytes())
                if tag == self.TAG and isinstance(known, dict):
                    self.known = known
            except (OSError, ValueError, EOFError, TypeError):
                pass

    def loads(self, text: str) -> dict[str, Any]:
        """``tomllib.loads(text)``, from the cache when it holds this text (a fresh copy each time)."""
        blob = self.known.get(text)
        if blob is not None:
            try:
                doc = marshal.loads(blob)
            except (ValueError, EOFError, TypeError):
                doc = None
            if isinstance(doc, dict):
                self.used[text] = blob
                return doc
        doc = parse_toml(text)
        if self.path is not None:  # no cache file: nothing to keep
            try:
                self.used[text] = marshal.dumps(doc)  # before anyone holds the parsed rules
            except ValueError:
                pass  # a value marshal cannot keep (a TOML date): parsed every time
        return doc

    def save(self) -> None:
        if self.path is None or self.used == self.known:
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(marshal.dumps((self.TAG, self.used)))
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            try:
                tmp.unlink()
            except OSError:
                pass


def load_file(path: Path, label: str | None = None, parsed: ParsedToml | None = None
              ) -> tuple[list[Rule], list[RuleProblem]]:
    file = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [RuleProblem(file, f"cannot read the file: {exc}")]
    try:
        doc = parsed.loads(text) if parsed is not None else parse_toml(text)
    except TomlError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return [], [RuleProblem(file, f"not valid TOML: {exc}", line=int(m.group(1)) if m else None)]
    problems: list[RuleProblem] = []
    for key in doc:
        if key not in ("rule", "pillar"):
            problems.append(RuleProblem(file, f"unknown top-level key {key!r}{_suggest(key, ('rule', 'pillar'))}"))
    default_pillar = doc.get("pillar")
    raw_rules = doc.get("rule", [])
    if not isinstance(raw_rules, list):
        return [], problems + [RuleProblem(file, "rules must be written as [[rule]] tables")]
    rules: list[Rule] = []
    seen: set[str] = set()
    lines = id_lines(text)
    for raw in raw_rules:
        rule, probs = parse_rule(raw, file, lines, default_pillar)
        problems.extend(probs)
        if rule is not None:
            if rule.id in seen:
                problems.append(RuleProblem(file, "the id is used twice in this file", rule.id, rule.line))
                continue
            seen.add(rule.id)
            rules.append(rule)
    return rules, problems


def rule_files(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        p = Path(p).expanduser()
        if p.is_dir():
            out.extend(sorted(p.glob("*.toml")))
        else:
            out.append(p)
    return out


def load_rules(builtin_dir: Path | None, extra: Iterable[Path] = (), cache: Path | None = None) -> RuleSet:
    """Built-in rules, then user rule files; a user rule with a built-in's id replaces it.
    ``cache``: a file for the parsed rule files (see ParsedToml), or None to parse them."""
    parsed = ParsedToml(cache)
    rules: dict[str, Rule] = {}
    problems: list[RuleProblem] = []
    replaced: list[str] = []
    if builtin_dir is not None:
        for path in sorted(builtin_dir.glob("*.toml")):
            found, probs = load_file(path, f"rules/{path.name}", parsed)
            problems.extend(probs)
            for r in found:
                if r.id in rules:
                    problems.append(RuleProblem(r.file, f"the id is also used in {rules[r.id].file}; "
                                                "this one is ignored", r.id, r.line))
                    continue
                rules[r.id] = r
    builtin_ids = set(rules)
    for path in rule_files(extra):
        if not path.exists():
            problems.append(RuleProblem(str(path), "no such rule file or directory"))
            continue
        found, probs = load_file(path, parsed=parsed)
        problems.extend(probs)
        for r in found:
            if r.id in rules:
                if r.id in builtin_ids and r.id not in replaced:
                    replaced.append(r.id)
                else:
                    problems.append(RuleProblem(r.file, f"the id is also used in {rules[r.id].file}; "
                                                "the later file wins", r.id, r.line))
            rules[r.id] = r
    parsed.save()
    return RuleSet(rules=list(rules.values()), problems=problems, replaced=replaced)


def matches(rule_id: str, selectors: Iterable[str]) -> bool:
    """True when an id is selected by an exact id or a prefix ('CASH', 'CASH00')."""
    return any(rule_id.startswith(s) for s in selectors)
