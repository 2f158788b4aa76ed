"""A line chart with several series labels each series at its last point, as pandas would find those points.

:func:`lisite.charts.series_chart` finds each series' last row and spreads the labels in plain Python (a chart is
drawn for every indicator of every page, and pandas' steps cost a millisecond each time). The way it did so with
pandas is written out here as the definition: the chart must place the same labels, in the same order, at the same
heights, for frames with ties in the dates (more than 16 rows, where numpy's sort is no longer stable), missing
values, rows without a series, categories in an order of their own and an index that is not 0, 1, 2 ….
"""

from __future__ import annotations

import math
import random

import pandas as pd
import pytest

from lisite import charts


def labels_as_pandas(frame: pd.DataFrame, color: str) -> list[dict]:
    """The label rows as the chart made them with pandas: the definition."""
    data = frame.copy()
    data["dato"] = data["period"].map(charts.period_date)
    last = data[data["value"].notna()].sort_values("dato").groupby(color, sort=True).tail(1)
    values, top = last["value"], data["value"].max()
    if len(values) and top and not math.isnan(top):
        gap = top * 13 / 260
        order = values.sort_values(ascending=False, kind="stable")
        placed: list[float] = []
        for value in order:
            placed.append(value if not placed else min(value, placed[-1] - gap))
        shortfall = -min(placed) if min(placed) < 0 else 0.0
        placed = [p + shortfall for p in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = max(placed[i], placed[i + 1] + gap)
        values = pd.Series(placed, index=order.index).reindex(values.index)
    last = last.assign(label_y=values).sort_values(color)
    return charts.records(last, ["dato", "period", "value", color, "label_y"])


def random_frame(rng: random.Random) -> pd.DataFrame:
    periods = rng.choice([[f"2024-{m:02d}" for m in range(1, 13)], [str(y) for y in range(2017, 2026)], [f"2025K{q}" for q in range(1, 5)]])
    teams = [f"Team {c}" for c in "ABCDEFGH"[:rng.randint(2, 8)]]
    rows = [(period, team if rng.random() > 0.05 else None,
             rng.choice([float(rng.randint(0, 12)), rng.random() * 50, float("nan"), 0.0, 12.0]))
            for period in rng.sample(periods, rng.randint(2, len(periods))) for team in teams if rng.random() < 0.9]
    rng.shuffle(rows)
    frame = pd.DataFrame(rows, columns=["period", "team", "value"], index=rng.sample(range(1000), len(rows)))
    if rng.random() < 0.3:  # categories in an order of their own: sorted by it, not by their names
        frame["team"] = pd.Categorical(frame["team"], categories=sorted(teams, reverse=True))
    return frame


@pytest.mark.parametrize("seed", range(4))
def test_the_labels_are_those_pandas_places(seed):
    rng = random.Random(seed)
    for _ in range(150):
        frame = random_frame(rng)
        if frame["period"].nunique() < 2:
            continue
        spec = charts.series_chart(frame, "antal", "Sager", color="team", kind="line")
        label_layer = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
        assert label_layer["data"]["values"] == labels_as_pandas(frame, "team")


def test_equal_values_keep_their_order_and_the_highest_label_stays_highest():
    assert charts.spread_labels([10.0, 10.0, 0.0], 10.0) == [10.0, 9.5, 0.0]  # gap 0.5: the first of two equals on top
    assert charts.spread_labels([3.0, 9.0], float("nan")) == [3.0, 9.0]  # no axis to place on: as they are
