"""Renderings of an Advice: JSON (for scripts), text (for a terminal), markdown (for meeting notes).

Every text from the data or a rule file (names, titles, messages, actions, warnings) is
shown through :func:`safetext.visible`: a control character in it is written as an
escape (``\\x1b``), never raw; the JSON output writes them as ``\\uXXXX`` escapes.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Callable
from typing import Any

from .engine.advise import INDEPENDENCE, UNDATED_PILLARS, Advice, Recommendation, dismissal_of
from .engine.rules import PILLARS
from .metrics import METRICS
from .numbers import english_in_style, show_amount
from .safetext import json_dumps, visible

_SPACE = re.compile(r"[ \t\r\n]+")


def _t(text: Any) -> str:
    """A text of the data or a rule, for a line of output: runs of spaces, tabs and newlines
    (a rule's message is often written over several lines) as one space, and every other
    control character made visible."""
    return visible(_SPACE.sub(" ", text) if type(text) is str else text)


# The key number shown for each pillar: (metric, how to say it). {v} is the value.
KEY_NUMBERS: dict[str, tuple[str, str]] = {
    "busy": ("booked_summary", "{v}"),
    "key_client": ("top_client_share", "largest client {v:.0%} {basis}"),
    "recurring": ("recurring_share", "{v:.0%} of revenue recurring"),
    "cash": ("cash_months", "cash covers {v:.1f} months of costs"),
    "inquiries": ("inquiries_summary", "{v}"),
    "deals": ("open_inquiry_count", "open inquiries: {v:.0f}"),
    "journey": ("journey_stages_covered", "{v:.0f} of 3 journey stages mapped"),
    "execution": ("open_action_items", "open action items: {v:.0f}"),
}
UNKNOWN_NUMBER = {
    "busy": "bookings",
    "key_client": "client shares",
    "recurring": "recurring share",
    "cash": "cash",
    "inquiries": "proposals",
    "deals": "open inquiries",
}
SEVERITY_LABEL = {"critical": "CRITICAL", "warning": "WARNING", "info": "INFO"}


def share_basis(values: dict[str, Any]) -> str:
    """What a client's share is a share of, with its basis (the metric ``revenue_basis_text``):
    'of the work running today', 'of revenue, on 3 months of invoices'; 'of revenue' without one."""
    basis = values.get("revenue_basis")
    if basis == "engagements":
        return "of the work running today"
    text = values.get("revenue_basis_text")
    return f"of revenue, {text}" if basis == "invoices" and type(text) is str and text else "of revenue"


def score_line(advice: Advice) -> str:
    """The independence score with its basis, for a headline: "45/100 on 4 of 5 pillars"."""
    if advice.score is None:
        return "unknown"
    return f"{advice.score}/100 on {len(advice.score_basis)} of {len(INDEPENDENCE)} pillars"


def before_data(advice: Advice) -> bool:
    """Is the as-of date before the agency's data starts (its dated checks did not run)?"""
    days = advice.metrics.values.get("days_before_data")
    return isinstance(days, (int, float)) and not isinstance(days, bool) and days > 0


# "The numbers" of a recommendation, as a person reads them: each name as words with its unit.
# A metric's unit comes from the registry; a rule parameter's from the end of its name.
_UNIT_FORMAT = {
    "share": "{:.0%}",
    "ratio": "{:.0%}",
    "months": "{:.1f} months",
    "days": "{:.0f} days",
    "per_week": "{:.2f} a week",
    "hhi": "{:.0f} of 10000",
    "count": "{:,.4g}",
}
_PARAM_UNITS = (
    ("_share", "share"),
    ("_cover", "ratio"),
    ("_months", "months"),
    ("_days", "days"),
    ("_runway", "months"),
    ("per_week", "per_week"),
)


# A threshold reads as a threshold: the comparison that fires ("x < alarm_days") in words, or, for a
# goal (a target, a rate), the side that is met ("target at least 52"); minimum, maximum and ideal
# say it themselves.
_OP_WORDS = {"<": "under", "<=": "at most", ">": "over", ">=": "at least"}
_MET = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_ROLES = {
    "alarm": ("alarm", "fires"),
    "warn": ("warning", "fires"),
    "crit": ("critical", "fires"),
    "min": ("minimum", None),
    "max": ("maximum", None),
    "ideal": ("ideal", None),
    "target": ("target", "met"),
    "per": ("target", "met"),
    "surplus": ("surplus", None),
    "within": ("within", None),
}
_UNIT_WORDS = ("share", "months", "days")  # said after the value, so left out of the label


def _threshold_label(name: str, op: str) -> str:
    """'alarm_days' '<': 'alarm under'; 'target_share' '<': 'target at least'; 'min_months':
    'minimum'; 'per_year' '<': 'target at least' (the rate is said after the value);
    'thin_share' '<': 'thin under'; 'within_days': 'within'."""
    words = name.split("_")
    if words[-1] in _UNIT_WORDS and len(words) > 1:
        words = words[:-1]  # the unit is said after the value
    role = _ROLES.get(words[0])
    if role is None:
        return " ".join(words + [_OP_WORDS.get(op, op)])
    word, side = role
    rest = [] if words[0] == "per" else words[1:]
    if side == "fires" and op in ("<=", ">="):
        # 'runway_months >= alarm_months' is the other side of the alarm (CASH010): say the alarm's
        op = _MET[op]
    # a target is met from below ('x < target' fires short of it, 'x >= target' once it is met)
    met = "at least" if op in ("<", ">=") else "at most"
    phrase = {"fires": _OP_WORDS.get(op, op), "met": met, None: ""}[side]
    return " ".join(w for w in [word, *rest, phrase] if w)


def number_text(name: str, value: Any, currency: str = "", op: str | None = None, decimal: str = ".") -> str:
    """One of "the numbers": 'top client share 36%', 'months without largest 2.5 months',
    'cash balance 60,000 EUR'; unknown reads 'unknown'. ``op``: for a rule parameter, the
    comparison of the rule's condition that fires (Rule.thresholds), so that it reads as a
    threshold: 'alarm under 30 days', 'target at least 52 a year', 'minimum 3 months'."""
    if op in _OP_WORDS and not isinstance(value, bool) and isinstance(value, (int, float)):
        text = number_text(name, value, currency, decimal=decimal)  # the value with its unit, after the old label
        label = re.sub(r"(\d+)_(\d+)d\b", r"days \1-\2", name)
        label = re.sub(r"_(\d+)d\b", r"_next_\1_days", label)
        label = re.sub(r"_(\d+)w\b", r"_\1_weeks", label).replace("_", " ")
        shown = text[len(label) + 1 :]
        if name.startswith("per_") and not name.endswith("per_week"):
            shown += " " + name.replace("_", " ").replace("per ", "a ", 1)
        return f"{_threshold_label(name, op)} {shown}"
    label = re.sub(r"(\d+)_(\d+)d\b", r"days \1-\2", name)  # booked_share_31_60d
    label = re.sub(r"_(\d+)d\b", r"_next_\1_days", label)  # booked_share_30d
    label = re.sub(r"_(\d+)w\b", r"_\1_weeks", label).replace("_", " ")  # proposals_last_52w
    if value is None:
        return f"{label} unknown"
    spec = METRICS.get(name)
    unit = spec.unit if spec is not None else next((u for end, u in _PARAM_UNITS if name.endswith(end)), "")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{label} {value}"
    try:
        if unit == "money":
            return f"{label} {show_amount(value, decimal, 0)} {currency}".rstrip()
        if unit in _UNIT_FORMAT:
            text = _UNIT_FORMAT[unit].format(value)
            if "," in _UNIT_FORMAT[unit]:  # grouped (a count): in the agency's style
                text = english_in_style(text, decimal)
            return (
                f"{label} {text.replace('.0 months', ' months') if unit == 'months' and value == int(value) else text}"
            )
        return f"{label} {english_in_style(f'{value:,.4g}', decimal)}"
    except (ValueError, OverflowError):
        return f"{label} {value}"


def numbers_text(
    numbers: dict[str, Any], currency: str = "", thresholds: dict[str, str] | None = None, decimal: str = "."
) -> str:
    ops = thresholds or {}
    return ", ".join(number_text(k, v, currency, ops.get(k), decimal) for k, v in numbers.items())


def key_number(advice: Advice, pillar: str) -> str:
    if pillar not in UNDATED_PILLARS and before_data(advice):
        return f"before the data starts ({advice.metrics.values.get('data_starts')})"
    name, fmt = KEY_NUMBERS[pillar]
    value = advice.metrics.values.get(name)
    if value is None:
        return f"{UNKNOWN_NUMBER.get(pillar, name.replace('_', ' '))}: unknown"
    return fmt.format(v=value, basis=share_basis(advice.metrics.values))


def verdict(advice: Advice, pillar: str) -> str:
    """One line per pillar: the most urgent recommendation's title, or why all is well."""
    for rec in advice.recommendations:
        if rec.pillar == pillar and rec.rule != "DATA000":
            return rec.title
    status = advice.pillars[pillar].status
    if status == "off":
        return "not checked: its rules are disabled"
    if status == "unknown":
        notice = next((r for r in advice.recommendations if r.rule == "DATA001"), None)
        if notice is not None and pillar not in UNDATED_PILLARS:
            return notice.actions[0]
        metric = KEY_NUMBERS[pillar][0]
        data = [r for r in advice.recommendations if r.rule == "DATA000"]
        match = next((r for r in data if metric in (r.subject or "").split(", ")), None) or next(
            (r for r in data if r.pillar == pillar), None
        )
        return match.actions[0] if match else "Enter its data."
    return "in line with the guide"


def _clean(v: Any) -> Any:
    if isinstance(v, float):
        return round(v, 6)
    return v


def rec_to_json(rec: Recommendation) -> dict[str, Any]:
    return {
        "rule": rec.rule,
        "name": rec.name,
        "pillar": rec.pillar,
        "source": rec.source,
        "severity": rec.severity,
        "priority": rec.priority,
        "title": rec.title,
        "message": rec.message,
        "actions": rec.actions,
        "subject": rec.subject,
        "rationale": rec.rationale,
        "distance": _clean(rec.distance),
        "numbers": {k: _clean(v) for k, v in rec.numbers.items()},
        "more": rec.more,
    }


# ------------------------------------------------------------------ dismissed and snoozed


def dismissal_facts(advice: Advice, rec: Recommendation) -> dict[str, Any]:
    """What hides a dismissed or snoozed recommendation: ``status`` ("dismissed" or "snoozed"),
    ``reason``, ``by``, ``on`` and ``until`` (ISO dates; None when not known)."""
    d = dismissal_of(advice, rec)
    until = getattr(d, "until", None)
    on = getattr(d, "on", None)
    return {
        "status": "snoozed" if until is not None else "dismissed",
        "reason": getattr(d, "reason", "") or "",
        "by": getattr(d, "by", "") or "",
        "on": on.isoformat() if on is not None else None,
        "until": until.isoformat() if until is not None else None,
    }


def _dismissal_words(advice: Advice, rec: Recommendation, esc: Callable[[str], str]) -> tuple[str, str]:
    """('snoozed until 2026-12-15 by sam on 2026-12-01', the reason), each name and reason through
    ``esc`` (plain text or Markdown); the reason is empty when none was given."""
    f = dismissal_facts(advice, rec)
    words = [f["status"]]
    if f["until"]:
        words.append(f"until {f['until']}")
    if f["by"]:
        words.append(f"by {esc(f['by'])}")
    if f["on"]:
        words.append(f"on {f['on']}")
    return " ".join(words), esc(f["reason"]) if f["reason"] else ""


def dismissal_text(advice: Advice, rec: Recommendation) -> str:
    """'snoozed until 2026-12-15 by sam on 2026-12-01: waiting for the bank' (plain text, made
    visible; a missing reason is said, never left out)."""
    when, reason = _dismissal_words(advice, rec, _t)
    return f"{when}: {reason or '(no reason given)'}"


def dismissed_to_json(advice: Advice) -> list[dict[str, Any]]:
    return [rec_to_json(r) | dismissal_facts(advice, r) for r in advice.hidden]


def to_json(advice: Advice) -> dict[str, Any]:
    return {
        "as_of": advice.as_of.isoformat(),
        "agency": advice.agency,
        "currency": advice.currency,
        "metrics": {k: _clean(v) for k, v in advice.metrics.values.items()},
        "unknown": advice.metrics.unknown,
        "pillars": {
            p: {
                "score": s.score,
                "status": s.status,
                "title": PILLARS[p]["title"],
                "source": PILLARS[p]["source"],
                "key_number": key_number(advice, p),
                "why": s.why,
            }
            for p, s in advice.pillars.items()
        },
        "score": advice.score,
        "score_line": score_line(advice),
        "score_basis": {
            "pillars": advice.score_basis,
            "of": len(INDEPENDENCE),
            "critical": advice.score_capped_by,
            "cap": advice.score_cap,
        },
        "score_why": advice.score_why,
        "recommendations": [rec_to_json(r) for r in advice.recommendations],
        "dismissed": dismissed_to_json(advice),  # dismissed and snoozed, each with why, who and when
        "warnings": advice.warnings,
    }


def render_json(advice: Advice) -> str:
    return json_dumps(to_json(advice), indent=2) + "\n"


# ------------------------------------------------------------------ text

_ANSI = {
    "critical": "\033[1;31m",
    "warning": "\033[33m",
    "info": "\033[36m",
    "good": "\033[32m",
    "watch": "\033[33m",
    "act": "\033[1;31m",
    "unknown": "\033[2m",
    "off": "\033[2m",
    "bold": "\033[1m",
    "dim": "\033[2m",
}
_RESET = "\033[0m"


def use_color(stream: Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _bar(score: int | None, width: int = 10) -> str:
    if score is None:
        return "?" * width
    full = round(score / 100 * width)
    return "#" * full + "." * (width - full)


def render_text(advice: Advice, color: bool = False, width: int | None = None) -> str:
    if not width:
        import shutil  # only the text report asks the terminal (advise --format json imports no shutil)

        width = min(100, shutil.get_terminal_size((88, 24)).columns)

    def c(kind: str, text: str) -> str:
        return f"{_ANSI[kind]}{text}{_RESET}" if color else text

    wrap = textwrap.TextWrapper(width=width, initial_indent="     ", subsequent_indent="     ", break_on_hyphens=False)
    out = [c("bold", f"{_t(advice.agency or '(unnamed agency)')}: advice as of {advice.as_of.isoformat()}"), ""]
    out.append(c("bold", f"Independence score: {score_line(advice)}"))
    out.extend(textwrap.wrap(_t(advice.score_why), width=width, initial_indent="  ", subsequent_indent="  "))
    out.append("")
    for pillar, s in advice.pillars.items():
        sc = "  ?" if s.score is None else f"{s.score:3d}"
        title = PILLARS[pillar]["title"]
        out.append(
            f"  {title:<29} {_bar(s.score)} {sc}  {c(s.status, f'{s.status:<7}')} {_t(key_number(advice, pillar))}"
        )
    out.append("")
    if not advice.recommendations:
        out.append(_no_recommendations(advice))
    else:
        out.append(c("bold", f"Recommendations, most urgent first ({len(advice.recommendations)})"))
        out.append("")
    for rec in advice.recommendations:
        label = c(rec.severity, f"[{SEVERITY_LABEL[rec.severity]}]")
        out.append(f"{rec.priority:3d}. {label} {_t(rec.title)}")
        out.append(
            c("dim", f"     {_t(rec.rule)} {_t(rec.name)} | {PILLARS[rec.pillar]['title']} | guide {_t(rec.source)}")
        )
        out.extend(wrap.wrap(_t(rec.message)))
        if rec.rationale:  # the why, as markdown shows it (wrapped before the colour is added)
            why = wrap.wrap("Why: " + _t(rec.rationale))
            why[0] = why[0].replace("Why:", c("bold", "Why:"), 1)
            out.extend(why)
        for action in rec.actions:
            out.extend(textwrap.wrap(_t(action), width=width, initial_indent="     - ", subsequent_indent="       "))
        out.append("")
    if advice.hidden:
        if not advice.recommendations:
            out.append("")
        out.append(c("bold", f"Dismissed and snoozed ({len(advice.hidden)})"))
        out.append("")
        for rec in advice.hidden:
            label = c(rec.severity, f"[{SEVERITY_LABEL[rec.severity]}]")
            out.append(f"   - {label} {_t(rec.title)}")
            out.append(c("dim", f"     {_t(rec.rule)} {_t(rec.name)} | {PILLARS[rec.pillar]['title']}"))
            out.extend(wrap.wrap(dismissal_text(advice, rec)))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _no_recommendations(advice: Advice) -> str:
    if advice.hidden:
        return f"No recommendations shown: {len(advice.hidden)} dismissed or snoozed (listed below)."
    return "No recommendations: every check is in line with the guide."


# ------------------------------------------------------------------ markdown


def _md(text: str) -> str:
    """Escape user text for markdown (names may contain *, _, [, ], |, <); control
    characters made visible first (see :func:`_t`)."""
    out = []
    for ch in _t(text):
        if ch in "\\`*_[]<>|":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def render_markdown(advice: Advice) -> str:
    score = "unknown" if advice.score is None else f"{advice.score}/100"
    basis = "" if advice.score is None else f" on {len(advice.score_basis)} of {len(INDEPENDENCE)} pillars"
    out = [
        f"# {_md(advice.agency or '(unnamed agency)')}: advice as of {advice.as_of.isoformat()}",
        "",
        f"**Independence score: {score}**{basis} ({_md(advice.score_why)})",
        "",
        "| Pillar | Score | Status | Key number |",
        "|---|---:|---|---|",
    ]
    for pillar, s in advice.pillars.items():
        sc = "?" if s.score is None else str(s.score)
        out.append(
            f"| {PILLARS[pillar]['title']} ({PILLARS[pillar]['source']}) | {sc} | {s.status} | "
            f"{_md(key_number(advice, pillar))} |"
        )
    out.append("")
    out.append("## Recommendations, most urgent first")
    out.append("")
    if not advice.recommendations:
        out.append(_no_recommendations(advice))
    for rec in advice.recommendations:
        out.append(f"### {rec.priority}. {_md(rec.title)}")
        out.append("")
        out.append(
            f"*{rec.severity}* · `{_t(rec.rule)}` {_md(rec.name)} · {PILLARS[rec.pillar]['title']} · "
            f"guide {_md(rec.source)}"
        )
        out.append("")
        out.append(_md(rec.message))
        out.append("")
        out.append(f"Why: {_md(rec.rationale)}")
        out.append("")
        for action in rec.actions:
            out.append(f"- [ ] {_md(action)}")
        out.append("")
    if advice.hidden:
        out.append("## Dismissed and snoozed")
        out.append("")
        for rec in advice.hidden:
            when, reason = _dismissal_words(advice, rec, _md)
            out.append(
                f"- **{SEVERITY_LABEL[rec.severity]}** {_md(rec.title)} (`{_t(rec.rule)}` · "
                f"{PILLARS[rec.pillar]['title']}): {when}. Reason: {reason or '*(no reason given)*'}"
            )
        out.append("")
    if advice.warnings:
        out.append("## Warnings")
        out.append("")
        out.extend(f"- {_md(w)}" for w in advice.warnings)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
