"""The dashboard's sparklines: bars as Textual's Sparkline draws them, in text."""

from __future__ import annotations

import os

import pytest

from tui_advisor.ui.widgets.cards import HIGH_ALPHA, LOW_ALPHA, spark_rows


def text(rows) -> list[str]:
    return ["".join(bar for bar, _alpha in row) for row in rows]


def test_rising_values_stretched_over_the_width() -> None:
    rows = spark_rows([float(v) for v in range(1, 13)], 24, 2)
    assert text(rows) == ["            ▁▁▂▂▃▃▅▅▆▆██", "▁▁▂▂▃▃▅▅▆▆▇▇████████████"]
    alphas = [alpha for _bar, alpha in rows[1]]
    assert alphas[0] == LOW_ALPHA and alphas[-1] == HIGH_ALPHA and alphas == sorted(alphas)


def test_more_values_than_columns_show_each_columns_largest() -> None:
    values = [0.0] * 10 + [9.0] + [0.0] * 9  # 20 values on 4 columns: the peak falls in the third
    assert text(spark_rows(values, 4, 1)) == ["▁▁█▁"]


@pytest.mark.parametrize(
    "values, expected",
    [
        ([], ["    ", "▁▁▁▁"]),  # nothing yet: a flat line
        ([5.0], ["████", "████"]),  # one value: full
        ([3.0, 3.0, 3.0], ["    ", "▁▁▁▁"]),  # all the same: flat
    ],
)
def test_edge_cases(values, expected) -> None:
    assert text(spark_rows(values, 4, 2)) == expected


@pytest.mark.parametrize(
    "values, width, rows",
    [
        ([float(v) for v in range(1, 13)], 24, 2),
        ([float((v * 7) % 11) for v in range(26)], 58, 2),
        ([float((v * 5) % 13) for v in range(40)], 17, 2),
        ([0.0] * 10 + [9.0] + [0.0] * 9, 4, 1),
        ([2.0, 8.0, 3.0], 7, 3),
    ],
)
def test_the_same_bars_as_textuals_sparkline(values, width, rows) -> None:
    from rich.console import Console
    from textual.renderables.sparkline import Sparkline

    with open(os.devnull, "w") as devnull:
        console = Console(width=width, color_system=None, file=devnull)
        lines = console.render_lines(Sparkline(values, width=width, height=rows), pad=False)
    assert text(spark_rows(values, width, rows)) == ["".join(seg.text for seg in line) for line in lines]
