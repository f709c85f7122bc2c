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

import functools
import marshal
import os
import re
import reprlib
import stat
import string
import sys
from collections.abc import Callable, Iterable
from dataclasses import field
from pathlib import Path
from typing import Any

from ..fastclass import dataclass
from ..metrics import FINDINGS, METRICS
from ..model import did_you_mean, suggestions
from ..numbers import english_in_style
from ..readfile import MAX_FILE_BYTES, FileRefused, read_text, size_text
from . import expr

PILLARS: dict[str, dict[str, Any]] = {
    # weight: the guide's order of urgency, used after severity (before the distance): a cash
    # shortage first, then key-client risk, then the rest in the guide's order (G2 busy, G4
    # recurring, G6 inquiries, G1/G7 deals, G8 journey, G9 execution); docs/rules.md "Priority"
    "cash": {"title": "Cash in the bank", "short": "Cash", "source": "G5", "weight": 8, "independence": True},
    "key_client": {
        "title": "Key-client risk",
        "short": "Key client",
        "source": "G3",
        "weight": 7,
        "independence": True,
    },
    "busy": {"title": "Busy already", "short": "Busy", "source": "G2", "weight": 6, "independence": True},
    "inquiries": {"title": "Many inquiries", "short": "Inquiries", "source": "G6", "weight": 4, "independence": True},
    "recurring": {
        "title": "Recurring revenue",
        "short": "Recurring",
        "source": "G4",
        "weight": 5,
        "independence": True,
    },
    "deals": {
        "title": "Deals: decline and rush fees",
        "short": "Deals",
        "source": "G1, G7",
        "weight": 3,
        "independence": False,
    },
    "execution": {"title": "Weekly steps", "short": "Execution", "source": "G9", "weight": 1, "independence": False},
    "journey": {"title": "Customer journey", "short": "Journey", "source": "G8", "weight": 2, "independence": False},
}
SEVERITIES = {"critical": 3, "warning": 2, "info": 1}
SOURCES = tuple(f"G{i}" for i in range(1, 10))
TEMPLATE_EXTRA = ("currency", "agency", "as_of")

_ID_RE = re.compile(r"^[A-Z]{2,8}[0-9]{3}$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_REQUIRED = ("id", "name", "source", "severity", "when", "title", "message", "rationale", "actions")
_ALLOWED = _REQUIRED + ("pillar", "group", "distance", "each", "params", "kind")
# kind: "problem" (the default) costs points of the pillar score; "confirmation" (info only) says a
# state is at or past the guide's ideal ("keep it there") and is free (docs/rules.md "Pillar scores")
KINDS = ("problem", "confirmation")

# Caps (docs/rules.md, "Limits"): a rule file in a folder the whole team writes to must not
# be able to hang or bloat anyone's advice.
MAX_WIDTH = 100  # the width in a format spec: {x:>100}
MAX_PRECISION = 20  # the precision in a format spec: {x:.20f}
MAX_TEXT = {"title": 300, "message": 3000, "rationale": 3000}  # characters, as written in the file
MAX_ACTION = 500  # characters of one action
MAX_ACTIONS = 20  # actions of one rule
MAX_RENDERED = {"title": 500, "message": 5000}  # characters, once the placeholders are filled
MAX_USER_FILES = 200  # user rule files read in one run (config paths and --rules together)
MAX_USER_BYTES = 4 * MAX_FILE_BYTES  # bytes of user rule files read in one run (1 MiB)
MAX_FILE_PROBLEMS = 50  # problems reported per file (the rest are counted)
MAX_PARAM = 1e15  # a parameter's magnitude (as the data's numbers: model.MAX_MAGNITUDE)
MAX_CACHE_BYTES = 16 * MAX_FILE_BYTES  # the parsed-rules cache file (4 MiB)

_REPR = reprlib.Repr()
_REPR.maxlevel = 2
_REPR.maxstring = 60
_REPR.maxother = 60
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 4


def show(value: Any) -> str:
    """A short repr of a value from a rule or config file, for a message: long texts and deep
    or long tables are cut (a 1 MiB key or a table nested 100,000 deep is still one short line)."""
    try:
        text = _REPR.repr(value)
    except Exception:  # noqa: BLE001 (a value we cannot describe is still a problem to report)
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."


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
    kind: str = "problem"
    file: str = ""
    line: int | None = None
    when_fn: Callable[..., Any] | None = field(default=None, repr=False)
    distance_fn: Callable[..., Any] | None = field(default=None, repr=False)
    names: frozenset[str] = frozenset()
    # each parameter compared in ``when``, with the comparison that fires, the parameter on the
    # right ("cash_months < min_months": min_months "<"): how "The numbers" say it (report.py)
    thresholds: dict[str, str] = field(default_factory=dict)

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
    if len(word) > 100:
        return ""
    return did_you_mean(suggestions(word, options, n))


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
            raise ValueError(f"placeholder {show(name)} must be a plain name (no dots, brackets or numbers)")
        if conversion is not None:
            raise ValueError(f"placeholder {{{name}!{show(conversion)}}}: conversions are not allowed")
        if spec and "{" in spec:
            raise ValueError(f"placeholder {{{name}:{show(spec)}}}: nested placeholders are not allowed")
        out.append((name, spec or ""))
    return out


# The standard format spec: [[fill]align][sign][z][#][0][width][grouping][.precision][type]
_SPEC_RE = re.compile(
    r"(?:(?P<fill>.)?(?P<align>[<>=^]))?[-+ ]?z?#?0?(?P<width>\d+)?[,_]?"
    r"(?:\.(?P<precision>\d+))?(?P<type>[bdeEfFgGnosxX%])?",
    re.S,
)


def _number(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 6 else 10**6  # never int() a 5,000-digit string


@functools.lru_cache(maxsize=512)
def spec_problem(spec: str) -> str | None:
    """What is wrong with a placeholder's format spec (None: nothing). The width and the
    precision are capped (MAX_WIDTH, MAX_PRECISION) before anything is formatted with it."""
    if not spec:
        return None
    m = _SPEC_RE.fullmatch(spec)
    if m is None:
        if spec.endswith("c"):
            return f"format spec {show(spec)}: the type 'c' (a character code) is not allowed"
        return f"format spec {show(spec)} is not valid (examples: .1f  .0%  ,.0f)"
    fill, width, precision = m.group("fill"), m.group("width"), m.group("precision")
    if fill is not None and not fill.isprintable():
        return f"format spec {show(spec)}: the fill character {fill!r} is not printable"
    if width is not None and _number(width) > MAX_WIDTH:
        return f"format spec {show(spec)}: the width is too large (at most {MAX_WIDTH})"
    if precision is not None and _number(precision) > MAX_PRECISION:
        return f"format spec {show(spec)}: the precision is too large (at most {MAX_PRECISION})"
    for sample in (1.5, 2, "text"):
        try:
            format(sample, spec)
            return None
        except (ValueError, TypeError):
            continue
    return f"format spec {show(spec)} is not valid (examples: .1f  .0%  ,.0f)"


def _plain(value: Any) -> str:
    try:
        return str(value)
    except Exception:  # noqa: BLE001 (an int of more than 4,300 digits, say)
        return "unknown"


# The key of the agency's decimal mark in the names a rule's texts are rendered with (evaluate puts
# it there): not a name, so no template can read or shadow it.
NUMBER_STYLE = "number style"


def render(template: str, env: Any, limit: int = MAX_RENDERED["message"], decimal: str = ".") -> str:
    """Fill a checked template; unknown values read 'unknown', odd specs fall back to str().

    Whatever the template (a rule that was not checked, say), the text is at most ``limit``
    characters (cut with '…') and no spec wider or more precise than the caps is applied.
    ``decimal``: the agency's decimal mark (numbers.style_for); with ',' a number written with
    grouping (the amounts: ``{cash_balance:,.0f}``) is written in its style, 136.000 not 136,000."""
    parts: list[str] = []
    total = 0
    for literal, name, spec, _ in string.Formatter().parse(template):
        parts.append(literal)
        total += len(literal)
        if name is not None and total <= limit:
            value = env.get(name)
            if value is None or value is expr.UNKNOWN:
                piece = "unknown"
            elif spec and spec_problem(spec) is not None:
                piece = _plain(value)
            else:
                try:
                    piece = format(value, spec or "")
                    if spec and "," in spec and type(value) in (int, float):  # 1,234.5 -> 1.234,5 with ','
                        piece = english_in_style(piece, decimal)
                except (ValueError, TypeError, OverflowError):
                    piece = _plain(value)
            parts.append(piece[: limit + 1])
            total += len(piece)
        if total > limit:
            break
    text = "".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_COMPARISON = re.compile(r"([A-Za-z_]\w*)?\s*(<=|>=|<|>)\s*([A-Za-z_]\w*)?")
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


def thresholds(when: str, params: Iterable[str]) -> dict[str, str]:
    """Each parameter compared in a condition, with the comparison that fires, written with the
    parameter on the right: 'x < alarm_days' and 'alarm_days > x' both give {'alarm_days': '<'}.
    The first comparison of a parameter counts."""
    names = set(params)
    out: dict[str, str] = {}
    for left, op, right in _COMPARISON.findall(when):
        if right in names:
            out.setdefault(right, op)
        elif left in names:
            out.setdefault(left, _FLIP[op])
    return out


def parse_rule(
    raw: Any, file: str, lines: dict[str, int], default_pillar: str | None
) -> tuple[Rule | None, list[RuleProblem]]:
    """One [[rule]] table; ``lines``: :func:`id_lines` of its file."""
    problems: list[RuleProblem] = []
    rid = raw.get("id") if isinstance(raw, dict) else None
    line = lines.get(rid) if isinstance(rid, str) else None
    who = (rid if _ID_RE.match(rid) else show(rid)) if isinstance(rid, str) else None

    def bad(msg: str) -> None:
        problems.append(RuleProblem(file, msg, who, line))

    if not isinstance(raw, dict):
        bad("each [[rule]] must be a table")
        return None, problems
    unknown = [key for key in raw if key not in _ALLOWED]
    for key in unknown[:MAX_FILE_PROBLEMS]:
        bad(f"unknown key {show(key)}{_suggest(key, _ALLOWED)}")
    if len(unknown) > MAX_FILE_PROBLEMS:
        bad(f"{len(unknown) - MAX_FILE_PROBLEMS:,} more unknown keys")
    for key in _REQUIRED:
        if key not in raw:
            bad(f"missing required key {key!r}")
    if problems:
        return None, problems
    if not isinstance(rid, str) or not _ID_RE.match(rid):
        bad(f"id {show(rid)} must be 2-8 capital letters then 3 digits, like 'CASH001'")
    name = raw["name"]
    if not isinstance(name, str) or not _NAME_RE.match(name):
        bad(f"name {show(name)} must be kebab-case, like 'cash-below-minimum'")
    pillar = raw.get("pillar", default_pillar)
    if not isinstance(pillar, str) or pillar not in PILLARS:
        bad(f"pillar {show(pillar)} is not one of {', '.join(PILLARS)}{_suggest(show(pillar), PILLARS)}")
    if raw["source"] not in SOURCES:
        bad(f"source {show(raw['source'])} must be a guide item G1 to G9")
    if not isinstance(raw["severity"], str) or raw["severity"] not in SEVERITIES:
        bad(
            f"severity {show(raw['severity'])} must be one of critical, warning, info"
            f"{_suggest(show(raw['severity']), SEVERITIES)}"
        )
    for key in ("when", "title", "message", "rationale"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            bad(f"{key} must be a non-empty string")
        elif key in MAX_TEXT and len(raw[key]) > MAX_TEXT[key]:
            bad(f"{key} is too long ({len(raw[key]):,} characters; at most {MAX_TEXT[key]:,})")
    actions = raw["actions"]
    if not isinstance(actions, list) or not actions or not all(isinstance(a, str) and a.strip() for a in actions):
        bad("actions must be a non-empty list of strings")
    elif len(actions) > MAX_ACTIONS:
        bad(f"too many actions ({len(actions)}; at most {MAX_ACTIONS})")
    elif any(len(a) > MAX_ACTION for a in actions):
        bad(f"an action is too long (at most {MAX_ACTION} characters each)")
    params = raw.get("params", {})
    if not isinstance(params, dict):
        bad("params must be a table of name = number")
        params = {}
    for pname, pval in params.items():
        if type(pval) not in (int, float):
            bad(f"parameter {show(pname)} must be a number, got {show(pval)}")
        elif not abs(pval) <= MAX_PARAM:  # also NaN; TOML has inf and nan
            bad(f"parameter {show(pname)} must be a number between -1e15 and 1e15, got {show(pval)}")
        if pname in METRICS:
            bad(f"parameter {show(pname)} has the name of a metric; choose another name")
    each = raw.get("each")
    item_fields: dict[str, str] = {}
    if each is not None:
        if not isinstance(each, str) or each not in FINDINGS:
            bad(f"each {show(each)} is not a finding; valid: {', '.join(FINDINGS)}{_suggest(show(each), FINDINGS)}")
        else:
            item_fields = FINDINGS[each].fields
    group = raw.get("group")
    if group is not None and not isinstance(group, str):
        bad("group must be a string")
    kind = raw.get("kind", "problem")
    if not isinstance(kind, str) or kind not in KINDS:
        bad(f"kind {show(kind)} must be one of {', '.join(KINDS)}{_suggest(show(kind), KINDS)}")
    elif kind == "confirmation" and raw["severity"] != "info":
        bad(
            f"kind 'confirmation' is for info rules (this one is {show(raw['severity'])}): "
            "a confirmation of a good state is never a warning"
        )
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
            bad(
                f"{key}: unknown name {n!r}{_suggest(n, valid_names, 3)}; valid names are the metrics "
                f"(`tui-advisor rules metrics`), the rule's params ({', '.join(params) or 'none'})"
                + (f" and the fields of {each} ({', '.join(item_fields)})" if each else "")
            )
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
            err = spec_problem(spec)
            if err:
                bad(f"{key}: {err}")
    if problems:
        return None, problems
    assert isinstance(rid, str) and isinstance(pillar, str)  # checked above: any other is a problem
    rule = Rule(
        id=rid,
        name=name,
        pillar=pillar,
        source=raw["source"],
        severity=raw["severity"],
        when=raw["when"],
        title=raw["title"],
        message=raw["message"].strip(),
        rationale=raw["rationale"].strip(),
        actions=list(actions),
        params={k: v for k, v in params.items()},
        group=group,
        distance=raw.get("distance"),
        each=each,
        kind=kind,
        file=file,
        line=line,
        when_fn=compiled.get("when"),
        distance_fn=compiled.get("distance"),
        names=frozenset(used),
        thresholds=thresholds(raw["when"], params),
    )
    return rule, problems


class TomlError(ValueError):
    """Not valid TOML (tomllib's message)."""


class TomlTooComplex(TomlError):
    """TOML the parser cannot read within Python's limits: nested too deeply, or too big."""


MAX_KEY_DOTS = 16  # dots between key parts on one line (`[rules.params.CASH001]` has 2)
# A dot between two parts of a key: bare parts, or strings (which _skeleton makes an 's').
_KEY_DOT = re.compile(r"[A-Za-z0-9_-][ \t]*\.(?=[ \t]*[A-Za-z0-9_-])")
_STRING_OR_COMMENT = re.compile(r"""[#"']""")
_STRING_REST = {  # the rest of a string after its opening quote(s), as TOML (and tomllib) read it
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""(?:""?)?', re.S),
    "'''": re.compile(r"(?:[^']|'(?!''))*'''(?:''?)?"),
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"'),
    "'": re.compile(r"[^'\n]*'"),
}


def _skeleton(text: str) -> str:
    """The text with its comments left out and each string made one 's' (keeping the line
    breaks in it), strings read as TOML reads them. It ends at a string that does not end,
    where tomllib stops too."""
    out: list[str] = []
    pos = 0
    while True:
        m = _STRING_OR_COMMENT.search(text, pos)
        if m is None:
            out.append(text[pos:])
            break
        i = m.start()
        out.append(text[pos:i])
        char = text[i]
        if char == "#":
            pos = text.find("\n", i)
            if pos < 0:
                break
            continue
        quote = char * 3 if text.startswith(char * 3, i) else char
        rest = _STRING_REST[quote].match(text, i + len(quote))
        if rest is None:
            break
        out.append("s" + "\n" * text.count("\n", i, rest.end()))
        pos = rest.end()
    return "".join(out)


def _long_dotted_key(text: str) -> int | None:
    """The first line with more than MAX_KEY_DOTS dots between key parts, if any.

    tomllib takes time and memory quadratic in the parts of a dotted key (8,000 parts: 1.6 s
    for one line; 100 parts on every line of a 256 KiB file: 4 s and 450 MiB). A key, a
    table header and an inline table each fit on one line, so a cap per line, outside
    strings and comments, bounds them all (at MAX_KEY_DOTS, about 1 s for 256 KiB)."""
    if text.count(".") <= MAX_KEY_DOTS:
        return None
    for number, line in enumerate(_skeleton(text).split("\n"), 1):
        if line.count(".") > MAX_KEY_DOTS and len(_KEY_DOT.findall(line)) > MAX_KEY_DOTS:
            return number
    return None


def parse_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads``; TomlError when the text is not TOML. (tomllib is imported on first
    use: a run that finds its rule files in the cache and has no config file needs no parser.)

    TOML bombs are TomlTooComplex: tomllib reads arrays and inline tables recursively
    (``a = [[[[...]]]]`` a few hundred levels deep raises RecursionError), runs out of
    memory (MemoryError), or takes minutes on keys of thousands of dotted parts (refused
    before parsing, see _long_dotted_key)."""
    import tomllib

    line = _long_dotted_key(text)
    if line is not None:
        raise TomlTooComplex(f"line {line} has more than {MAX_KEY_DOTS} dotted key parts (like a.b.c)")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlError(str(exc)) from None
    except RecursionError:
        raise TomlTooComplex("arrays or inline tables are nested too deeply to read") from None
    except ValueError as exc:  # int() of a number of more than 4,300 digits
        raise TomlTooComplex("a number has too many digits" if "digits" in str(exc) else str(exc)) from None
    except MemoryError:
        raise TomlTooComplex("too large to read into memory") from None


def _read_cache(path: Path) -> bytes | None:
    """The cache file's bytes, if it is a regular file of this user's that no one else can
    write, not a symlink and not too large; else None (and the rules are parsed)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if (
            not stat.S_ISREG(st.st_mode)
            or st.st_uid != os.geteuid()
            or st.st_mode & 0o022
            or st.st_size > MAX_CACHE_BYTES
        ):
            return None
        data = os.read(fd, MAX_CACHE_BYTES + 1)
        return data if len(data) <= MAX_CACHE_BYTES else None
    except OSError:
        return None
    finally:
        os.close(fd)


class ParsedToml:
    """Rule files parsed in earlier runs, by their exact text (like Python's cached bytecode).

    Python's TOML parser takes ~3 ms for the built-in rule files, more than everything else
    in reading the rules: a run that finds the same texts in the cache file (``path``, in
    the user's cache directory) reads them from there instead. The key is the whole text,
    so an edited file is always parsed again; only the texts read in the last run are kept.
    A missing, damaged or unwritable cache file only means parsing, never an error. The
    cache file is only read when it is the user's own regular file, writable by no one else,
    not a symlink (see _read_cache); it is written through a new temp file (O_EXCL, mode 0600)
    renamed over it, so a planted link is replaced, never written through.
    """

    TAG = ("tui-advisor parsed rule files", 1, tuple(sys.version_info[:2]))
    MAX_TEXT = 256 * 1024  # longer rule texts are parsed every time, not kept

    def __init__(self, path: Path | None):
        self.path = path
        self.known: dict[str, bytes] = {}
        self.used: dict[str, bytes] = {}
        data = _read_cache(path) if path is not None else None
        if data is not None:
            try:
                tag, known = marshal.loads(data)
                if tag == self.TAG and isinstance(known, dict):
                    self.known = {k: v for k, v in known.items() if type(k) is str and type(v) is bytes}
            except Exception:  # noqa: BLE001 (any damage to the cache only means parsing)
                pass

    def loads(self, text: str) -> dict[str, Any]:
        """``tomllib.loads(text)``, from the cache when it holds this text (a fresh copy each time)."""
        blob = self.known.get(text)
        if blob is not None:
            try:
                doc = marshal.loads(blob)
            except Exception:  # noqa: BLE001 (a damaged entry: parse the text instead)
                doc = None
            if type(doc) is dict:
                self.used[text] = blob
                return doc
        doc = parse_toml(text)
        if self.path is not None and len(text) <= self.MAX_TEXT:  # no cache file: nothing to keep
            try:
                self.used[text] = marshal.dumps(doc)  # before anyone holds the parsed rules
            except ValueError:
                pass  # a value marshal cannot keep (a TOML date, a table nested too deeply)
        return doc

    def save(self) -> None:
        if self.path is None or self.used == self.known:
            return
        try:
            data = marshal.dumps((self.TAG, self.used))
        except ValueError:
            return
        if len(data) > MAX_CACHE_BYTES:
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o600)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            try:
                tmp.unlink()
            except OSError:
                pass


def _keep(problems: list[RuleProblem], more: list[RuleProblem]) -> int:
    """Add ``more`` while the file has fewer than MAX_FILE_PROBLEMS; the number left out."""
    room = max(0, MAX_FILE_PROBLEMS - len(problems))
    problems.extend(more[:room])
    return max(0, len(more) - room)


def load_file(
    path: Path, label: str | None = None, parsed: ParsedToml | None = None
) -> tuple[list[Rule], list[RuleProblem]]:
    """The rules of one file, and its problems. Never raises for what is in the file: an
    unreadable, oversized or hostile file is one problem that names the file."""
    file = label or str(path)
    try:
        return _load_file(path, file, parsed)
    except RecursionError:
        return [], [RuleProblem(file, "nested too deeply to read (a TOML bomb?); its rules are not used")]
    except MemoryError:
        return [], [RuleProblem(file, "too large to read into memory; its rules are not used")]


def _load_file(path: Path, file: str, parsed: ParsedToml | None) -> tuple[list[Rule], list[RuleProblem]]:
    try:
        text = read_text(path)
    except FileNotFoundError:
        return [], [RuleProblem(file, "no such rule file or directory")]
    except FileRefused as exc:
        return [], [RuleProblem(file, str(exc), line=exc.line)]
    try:
        doc = parsed.loads(text) if parsed is not None else parse_toml(text)
    except TomlTooComplex as exc:
        m = re.match(r"line (\d+)", str(exc))
        return [], [
            RuleProblem(file, f"cannot be read: {exc}; its rules are not used", line=int(m.group(1)) if m else None)
        ]
    except TomlError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return [], [RuleProblem(file, f"not valid TOML: {exc}", line=int(m.group(1)) if m else None)]
    problems: list[RuleProblem] = []
    unknown = [key for key in doc if key not in ("rule", "pillar")]
    for key in unknown[:MAX_FILE_PROBLEMS]:
        problems.append(RuleProblem(file, f"unknown top-level key {show(key)}{_suggest(key, ('rule', 'pillar'))}"))
    if len(unknown) > MAX_FILE_PROBLEMS:
        problems.append(RuleProblem(file, f"{len(unknown) - MAX_FILE_PROBLEMS:,} more unknown top-level keys"))
    default_pillar = doc.get("pillar")
    raw_rules = doc.get("rule", [])
    if not isinstance(raw_rules, list):
        return [], problems + [RuleProblem(file, "rules must be written as [[rule]] tables")]
    rules: list[Rule] = []
    seen: set[str] = set()
    lines = id_lines(text)
    hidden = 0
    for raw in raw_rules:
        rule, probs = parse_rule(raw, file, lines, default_pillar)
        hidden += _keep(problems, probs)
        if rule is not None:
            if rule.id in seen:
                hidden += _keep(problems, [RuleProblem(file, "the id is used twice in this file", rule.id, rule.line)])
                continue
            seen.add(rule.id)
            rules.append(rule)
    if hidden:
        problems.append(RuleProblem(file, f"{hidden:,} more problems in this file are not shown"))
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


def _file_size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def load_rules(builtin_dir: Path | None, extra: Iterable[Path] = (), cache: Path | None = None) -> RuleSet:
    """Built-in rules, then user rule files; a user rule with a built-in's id replaces it.
    ``cache``: a file for the parsed rule files (see ParsedToml), or None to parse them.
    At most MAX_USER_FILES user files and MAX_USER_BYTES of them are read; the rest are
    reported, and no user file, however broken, keeps the others from loading."""
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
                    problems.append(
                        RuleProblem(
                            r.file, f"the id is also used in {rules[r.id].file}; this one is ignored", r.id, r.line
                        )
                    )
                    continue
                rules[r.id] = r
    builtin_ids = set(rules)
    files = rule_files(extra)
    if len(files) > MAX_USER_FILES:
        problems.append(
            RuleProblem(
                str(files[MAX_USER_FILES]),
                f"more than {MAX_USER_FILES} rule files: this one "
                f"and the {len(files) - MAX_USER_FILES - 1} after it are not read",
            )
        )
        files = files[:MAX_USER_FILES]
    budget = MAX_USER_BYTES
    for path in files:
        if not path.exists() and not path.is_symlink():
            problems.append(RuleProblem(str(path), "no such rule file or directory"))
            continue
        size = _file_size(path)
        if size <= MAX_FILE_BYTES and size > budget:
            problems.append(
                RuleProblem(
                    str(path),
                    f"not read: with the rule files before it, more than "
                    f"{size_text(MAX_USER_BYTES)} of rule files, the most read in one run",
                )
            )
            continue
        try:
            found, probs = load_file(path, parsed=parsed)
        except Exception as exc:  # noqa: BLE001 (a rule file must never take the other rules down)
            found, probs = (
                [],
                [RuleProblem(str(path), f"could not be read ({type(exc).__name__}); its rules are not used")],
            )
        if size <= MAX_FILE_BYTES:
            budget -= size
        problems.extend(probs)
        for r in found:
            if r.id in rules:
                if r.id in builtin_ids and r.id not in replaced:
                    replaced.append(r.id)
                else:
                    problems.append(
                        RuleProblem(
                            r.file, f"the id is also used in {rules[r.id].file}; the later file wins", r.id, r.line
                        )
                    )
            rules[r.id] = r
    parsed.save()
    return RuleSet(rules=list(rules.values()), problems=problems, replaced=replaced)


def matches(rule_id: str, selectors: Iterable[str]) -> bool:
    """True when an id is selected by an exact id or a prefix ('CASH', 'CASH00')."""
    return any(rule_id.startswith(s) for s in selectors)
