"""Stored times shown in the local time zone.

The data file, the audit log and the reviews keep their times in UTC (``store.now_iso()``:
``2026-12-01T17:22:05Z``); people read them in their own zone. :func:`local_time` is the
one place that turns a stored time into what is shown: ``2026-12-01 18:22 CET`` on a
server whose zone (``TZ``, else the system's) is Europe/Amsterdam. The zone's short name
comes from the C library (``time.localtime``), so it follows daylight saving time
(``CEST`` in summer) and a change of ``TZ`` followed by ``time.tzset()``.

A stored time is data a teammate may have crafted (the audit log is group-writable): a
value that is not a time is shown as it is, escaped through :func:`safetext.visible`,
never raised. A time without an offset is taken as UTC (what the store writes).

Headless, stdlib only: the report, the command line and the app share it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tui_advisor.safetext import visible

__all__ = ["local_date", "local_datetime", "local_time"]


def _parse(iso: Any) -> datetime | None:
    """The aware datetime of a stored ISO timestamp, None for anything else."""
    if isinstance(iso, datetime):
        moment = iso
    elif isinstance(iso, str) and 10 <= len(iso) <= 64:
        text = iso.strip()
        if text[-1:] in ("Z", "z"):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        if len(text) <= 10:  # a date alone is not a time
            return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def local_datetime(iso: Any) -> datetime | None:
    """The stored time ``iso`` as an aware datetime in the local zone; None when it is not one."""
    moment = _parse(iso)
    if moment is None:
        return None
    try:
        return moment.astimezone()
    except (OverflowError, OSError, ValueError):  # a year at the edge of what the C library takes
        return None


def local_time(iso: Any, *, with_zone: bool = True) -> str:
    """``2026-12-01T17:22:05Z`` as ``2026-12-01 18:22 CET`` (``with_zone=False``: without the
    zone's name). A value that is not a time comes back as text, escaped (never raised)."""
    moment = local_datetime(iso)
    if moment is None:
        return visible("" if iso is None else iso)
    shown = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} {moment.hour:02d}:{moment.minute:02d}"
    if not with_zone:
        return shown
    zone = moment.tzname() or moment.strftime("%z")
    return f"{shown} {visible(zone)}" if zone else shown


def local_date(iso: Any) -> date:
    """The local calendar day of the stored time ``iso`` (17:22Z on 1 December is already
    2 December in Tokyo). Raises ValueError for a value that is not a time."""
    moment = local_datetime(iso)
    if moment is None:
        raise ValueError(f"not a time: {visible(iso)[:40]}")
    return moment.date()
