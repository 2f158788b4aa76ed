"""Statistical neighbours: which municipalities are most alike on a few structural variables.

Used through :mod:`lisite.compare` (``standardise``, ``size_columns``, ``nearest``, ``far_limit``).

Why not plain z-scores? A z-score divides by the standard deviation over all
municipalities, and one outlier sets that spread: København has eleven times
the children of a typical municipality, so on the child count every other
municipality looks alike and København's "nearest" are several standard
deviations away, while Læsø (a few hundred children) is grouped with towns
of several thousand. So the scaling here is robust, in two steps:

1. **Size variables on a log scale.** A count of people is compared by ratio,
   not by difference: 400 against 1,200 children is as different as 40,000
   against 120,000. A column is taken to measure size when every value is
   above zero and it is strongly right-skewed (sample skewness above
   :data:`SKEWED`, the usual mark of a "highly skewed" distribution). That
   holds for children, inhabitants or spend in kroner in any municipality's
   benchmark file, and not for an index or a rate around 1; a caller can
   also name the size columns itself.
2. **Median and MAD instead of mean and standard deviation.** Each value
   becomes ``(value - median) / (1.4826 * MAD)``, where MAD is the median
   absolute deviation; the factor makes 1 equal to one standard deviation
   when the data are normal. The median and the MAD move by at most one
   position when a single municipality is added or made extreme, so an
   outlier cannot stretch or shrink the scale for everyone else.

The distance is Euclidean on that scale, and each variable's share of it is
returned too (``part.<column>``: the absolute difference on the scale), so a
reader can see what a distance is made of.

How far is too far? :func:`far_limit` looks at every municipality's distance
to its ``k``-th nearest and takes the upper fence of that distribution
(third quartile plus 1.5 times the interquartile range, Tukey's rule for an
unusual value). A neighbour beyond it is further away than the k nearest are
for nearly every municipality. :func:`nearest` can drop such neighbours,
keeping at least ``least``; when even those are beyond the limit, the
municipality has no close neighbours, and the text must say so.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

SKEWED = 1.0  # sample skewness above this: a strongly right-skewed (size) variable
MAD_TO_SD = 1.4826  # MAD times this estimates the standard deviation of normal data
MEAN_ABS_TO_SD = 1.2533  # sqrt(pi / 2): the same for the mean absolute deviation
TIE_DIGITS = 9
PART = "part."  # prefix of the columns holding each variable's part of the distance


def skewness(values: Iterable[float]) -> float:
    """The sample skewness (Fisher-Pearson, the third standardised moment); 0 when there is no spread."""
    x = np.asarray(list(values), dtype=float)
    spread = x.std()
    return 0.0 if spread == 0 else float(((x - x.mean()) ** 3).mean() / spread**3)


def size_columns(frame: pd.DataFrame, columns: Iterable[str]) -> list[str]:
    """The columns that measure size: every value above zero and strongly right-skewed (skewness > SKEWED)."""
    out = []
    for column in columns:
        values = frame[column].dropna().astype(float)
        if len(values) > 2 and (values > 0).all() and skewness(values) > SKEWED:
            out.append(column)
    return out


def _robust_scale(values: pd.Series) -> float:
    """1.4826 * MAD; when more than half the values are equal (MAD 0), the mean absolute deviation from the median."""
    deviation = (values - values.median()).abs()
    mad = deviation.median()
    return float(mad * MAD_TO_SD) if mad > 0 else float(deviation.mean() * MEAN_ABS_TO_SD)


def standardise(frame: pd.DataFrame, columns: Iterable[str], size: Iterable[str] | None = None) -> pd.DataFrame:
    """Each column on a robust common scale: size columns logged, then (value - median) / (1.4826 * MAD).

    ``size`` names the columns to log; ``None`` detects them (:func:`size_columns`).
    A column with no spread at all becomes all zeros, so it cannot decide anything.
    """
    columns = list(columns)
    logged = set(size_columns(frame, columns) if size is None else size)
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        values = frame[column].astype(float)
        if column in logged:
            values = np.log(values)
        scale = _robust_scale(values)
        out[column] = (values - values.median()) / scale if scale > 0 else 0.0
    return out


def _complete(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame.dropna(subset=columns).reset_index(drop=True)


def _distances(z: np.ndarray) -> np.ndarray:
    return np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2))


def far_limit(frame: pd.DataFrame, columns: Iterable[str], k: int, size: Iterable[str] | None = None) -> float:
    """The distance beyond which a neighbour is unusually far: Tukey's upper fence (Q3 + 1.5 IQR) of every
    row's distance to its ``k``-th nearest other row. Rows with a missing value are left out."""
    columns = list(columns)
    data = _complete(frame, columns)
    if len(data) < 2:
        return float("inf")
    dist = _distances(standardise(data, columns, size).to_numpy())
    np.fill_diagonal(dist, np.inf)
    kth = np.sort(dist, axis=1)[:, min(k, len(data) - 1) - 1]
    q1, q3 = np.percentile(kth, [25, 75])
    return float(q3 + 1.5 * (q3 - q1))


def nearest(frame: pd.DataFrame, code: int, columns: Iterable[str], k: int, key: str = "kommunekode",
            size: Iterable[str] | None = None, limit: float | None = None, least: int = 3) -> pd.DataFrame:
    """The ``k`` rows nearest to ``code`` on the robustly scaled ``columns`` (see :func:`standardise`).

    ``frame`` has one row per municipality (``key`` plus the columns). Rows
    with a missing value in any column are left out before scaling. Returns
    the neighbours' rows, nearest first, with ``distance`` and, per column,
    ``part.<column>`` (the absolute difference on the common scale; the
    distance is the square root of the sum of their squares). Distances equal
    to ``TIE_DIGITS`` decimals are ties, broken by the lower code. With
    ``limit``, neighbours further away than ``limit`` are dropped, but the
    nearest ``least`` are always kept.
    """
    columns = list(columns)
    data = _complete(frame, columns)
    if code not in set(data[key]):
        raise KeyError(f"municipality {code} has no complete row for {', '.join(columns)}")
    z = standardise(data, columns, size)
    own = z.loc[data.index[data[key] == code][0]]
    parts = (z - own).abs()
    data = data.assign(distance=np.sqrt((parts**2).sum(axis=1)), **{PART + c: parts[c] for c in columns})
    data["_tie"] = data["distance"].round(TIE_DIGITS)  # equal up to float noise counts as a tie
    others = data[data[key] != code].sort_values(["_tie", key], kind="stable").head(k)
    if limit is not None:
        others = others[(others["distance"] <= limit) | (np.arange(len(others)) < least)]
    return others.drop(columns="_tie").reset_index(drop=True)
