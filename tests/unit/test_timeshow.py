"""timeshow: stored UTC times shown in the local zone (TZ respected), bad values escaped, never raised."""

from __future__ import annotations

from datetime import date

import pytest

from tui_advisor.timeshow import local_date, local_time


def test_amsterdam_winter_and_summer(local_zone) -> None:
    local_zone("Europe/Amsterdam")
    assert local_time("2026-12-01T17:22:05Z") == "2026-12-01 18:22 CET"
    assert local_time("2026-07-01T17:22:05+00:00") == "2026-07-01 19:22 CEST"
    assert local_time("2026-12-01T17:22:05Z", with_zone=False) == "2026-12-01 18:22"


def test_new_york_winter_and_summer(local_zone) -> None:
    local_zone("America/New_York")
    assert local_time("2026-12-01T17:22:05Z") == "2026-12-01 12:22 EST"
    assert local_time("2026-07-01T17:22:05Z") == "2026-07-01 13:22 EDT"


def test_the_same_time_in_two_zones_differs(local_zone) -> None:
    local_zone("Europe/Amsterdam")
    here = local_time("2026-12-01T17:22:05Z")
    local_zone("America/New_York")
    assert local_time("2026-12-01T17:22:05Z") != here


def test_dst_edges_amsterdam(local_zone) -> None:
    local_zone("Europe/Amsterdam")
    # 2026-03-29: clocks go from 02:00 CET to 03:00 CEST at 01:00 UTC
    assert local_time("2026-03-29T00:59:00Z") == "2026-03-29 01:59 CET"
    assert local_time("2026-03-29T01:00:00Z") == "2026-03-29 03:00 CEST"
    # 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET at 01:00 UTC: 02:30 happens twice
    assert local_time("2026-10-25T00:30:00Z") == "2026-10-25 02:30 CEST"
    assert local_time("2026-10-25T01:30:00Z") == "2026-10-25 02:30 CET"


def test_dst_edges_new_york(local_zone) -> None:
    local_zone("America/New_York")
    # 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00 UTC
    assert local_time("2026-03-08T06:59:00Z") == "2026-03-08 01:59 EST"
    assert local_time("2026-03-08T07:00:00Z") == "2026-03-08 03:00 EDT"
    # 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00 UTC
    assert local_time("2026-11-01T05:30:00Z") == "2026-11-01 01:30 EDT"
    assert local_time("2026-11-01T06:30:00Z") == "2026-11-01 01:30 EST"


def test_other_offsets_and_no_offset(local_zone) -> None:
    local_zone("Europe/Amsterdam")
    assert local_time("2026-12-01T19:22:05+02:00") == "2026-12-01 18:22 CET"
    assert local_time("2026-12-01T17:22:05") == "2026-12-01 18:22 CET"  # no offset: UTC, as the store writes


def test_local_date_crosses_midnight(local_zone) -> None:
    local_zone("America/New_York")
    assert local_date("2026-12-02T03:00:00Z") == date(2026, 12, 1)
    local_zone("Asia/Tokyo")
    assert local_date("2026-12-01T17:22:05Z") == date(2026, 12, 2)
    with pytest.raises(ValueError, match="not a time"):
        local_date("yesterday")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("yesterday", "yesterday"),
        ("2026-13-01T00:00:00Z", "2026-13-01T00:00:00Z"),
        ("2026-12-01", "2026-12-01"),  # a date alone is not a time
        ("\x1b]0;owned\x07", "\\x1b]0;owned\\x07"),
        ("2026-12-01T17:22:05Z\x1b[2J", "2026-12-01T17:22:05Z\\x1b[2J"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_a_bad_value_is_shown_escaped_never_raised(local_zone, value: object, shown: str) -> None:
    local_zone("Europe/Amsterdam")
    assert local_time(value) == shown


def test_the_edges_of_the_calendar_do_not_raise(local_zone) -> None:
    local_zone("America/New_York")
    assert local_time("9999-12-31T23:59:59Z") == "9999-12-31 18:59 EST"
    assert local_time("0001-01-01T00:00:00Z") == "0001-01-01T00:00:00Z"  # before year 1 locally: shown as stored
