"""metrics.sales works out its median and mean without importing statistics (about 8 ms of every
advise): the same values, to the bit and of the same type, as statistics.median and statistics.mean
on what the sales metrics give them (whole days; amounts, whole or not, mixed)."""

from __future__ import annotations

import math
import statistics

from hypothesis import given, settings
from hypothesis import strategies as st

from tui_advisor.metrics.sales import _mean, _median

AMOUNTS = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1.0, max_value=1.0),  # tiny ones, and -0.0
)


def same(a: object, b: object) -> bool:
    return type(a) is type(b) and (a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.integers(min_value=-400, max_value=4000), min_size=1, max_size=60))
def test_the_median_of_days(days: list[int]) -> None:
    assert same(_median(days), statistics.median(days))


@settings(max_examples=1000, deadline=None)
@given(st.lists(AMOUNTS, min_size=1, max_size=60))
def test_the_mean_of_amounts(values: list[float]) -> None:
    assert same(_mean(values), statistics.mean(values))


def test_the_mean_at_the_edges() -> None:
    for values in ([3100, 3600], [3100, 3601], [0.1, 0.2, 0.3], [1e15, 1e-15, 3], [7], [2.5], [-0.0], [1, 2.0]):
        assert same(_mean(values), statistics.mean(values)), values
    assert math.isnan(_mean([math.inf, -math.inf]))  # not a finite amount: statistics.mean itself
