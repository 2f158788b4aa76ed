"""Small helpers for indicator plugins: months, active rows, counts per period.

Each returns a frame in the shape ``Indicator.compute`` must return
(``period`` plus breakdown columns plus ``numerator``/``denominator``), so a
plugin reads as the definition of its figure.

Missing is not zero: a period before a source's first date (the extract had not
begun) gets no row at all, and the engine shows it as "ingen data"; a covered
period in which nothing happened gets an explicit 0. :func:`covered_periods`
is the one rule, also used by :class:`lisite.Count`.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from lisite import remember, tracking


def month_end(period: str) -> pd.Timestamp:
    """The last day of a ``YYYY-MM`` month (or of a ``YYYY`` year)."""
    if len(period) == 4:
        return pd.Timestamp(f"{period}-12-31")
    return pd.Period(period, "M").end_time.normalize()


def month_start(period: str) -> pd.Timestamp:
    if len(period) == 4:
        return pd.Timestamp(f"{period}-01-01")
    return pd.Period(period, "M").start_time


def periods_of(dates: pd.Series, per: str = "month") -> pd.Series:
    """Each date's month (``YYYY-MM``) or year (``YYYY``, ``per="year"``) as text, missing where there is no date.

    The texts ``dates.dt.strftime("%Y-%m")`` (or ``"%Y"``) gives, made faster: each distinct month is written once,
    not each date (a 100,000-row source holds a few hundred months)::

        calc.periods_of(underretninger["modtaget"])  # 2025-03-14 → "2025-03"
    """
    form, unit = ("%Y-%m", "M") if per == "month" else ("%Y", "Y")
    values = dates.to_numpy()
    if values.dtype.kind != "M":  # dates with a time zone: as pandas writes them
        return dates.dt.strftime(form)
    codes, distinct = pd.factorize(values.astype(f"datetime64[{unit}]"))  # no date: code -1
    years = distinct.astype("datetime64[Y]").astype(np.int64) + 1970
    if ((years < 1000) | (years > 9999)).any():  # not four digits: as pandas writes them
        return dates.dt.strftime(form)
    texts = np.append(np.datetime_as_string(distinct, unit=unit).astype(object), None)  # None at -1
    return pd.Series(texts[codes], index=dates.index, name=dates.name, dtype="str")


def covered_periods(frame: pd.DataFrame, column: str, periods: Iterable[str | int]) -> list[str]:
    """The ``periods`` a source covers: those from the one holding the first date in ``column`` on.

    Periods are ``YYYY-MM`` months or ``YYYY`` years (ints are taken as years); the result is text.
    Earlier periods are before the extract begins, so a count there is not known (not zero); with no
    dates at all, no period is covered. For a stock (rows active between a start and an end), pass the
    start column::

        calc.covered_periods(ydelser, "startdato", ["2023", "2024", "2025"])  # extract from March 2024: ["2024", "2025"]
    """
    first = frame[column].min() if len(frame) else pd.NaT
    if pd.isna(first):
        return []
    first = pd.Timestamp(first)
    keys = {7: first.strftime("%Y-%m"), 4: first.strftime("%Y")}
    return [p for p in map(str, periods) if p >= keys.get(len(p), "")]


def active_on(frame: pd.DataFrame, start: str, end: str, day: pd.Timestamp) -> pd.Series:
    """Rows that had started by ``day`` and had not ended before it."""
    begun, ended = frame[start], frame[end]
    if _plain_dates(begun) and _plain_dates(ended) and isinstance(day, pd.Timestamp) and day.tz is None:
        # the same comparisons on the arrays (a missing date compares as False), without pandas' overhead per call
        when = day.to_datetime64()
        stop = ended.to_numpy()
        return pd.Series((begun.to_numpy() <= when) & (np.isnat(stop) | (stop >= when)), index=frame.index)
    return (begun <= day) & (ended.isna() | (ended >= day))


def active_each_month(frame: pd.DataFrame, start: str, end: str, periods: Sequence[str]) -> pd.DataFrame:
    """The rows :func:`active_on` the last day of each of ``periods`` (oldest first), period after period and in
    ``frame``'s order within one, each with its period in a column ``period`` (a new index from 0).

    The same frame as ``frame[active_on(frame, start, end, month_end(p))].assign(period=p)`` for each period,
    put together, made in one pass: a row runs from the first month end on or after its start to the last one
    on or before its end, so ``36`` months cost about what one does."""
    periods = [str(p) for p in periods]
    spans = _month_spans(frame, start, end, periods)
    if spans is None:
        parts = [frame[active_on(frame, start, end, month_end(p))].assign(period=p) for p in periods]
        return pd.concat(parts, ignore_index=True) if parts else frame.iloc[0:0].assign(period=pd.Series(dtype=object))
    rows = _rows_each_month(*spans, len(periods))
    text = pd.Series(periods).dtype  # the type pandas gives a column of these texts, also when no row is active
    period = pd.Series([p for p, found in zip(periods, rows) for _ in range(len(found))], dtype=text)
    return frame.iloc[np.concatenate(rows)].reset_index(drop=True).assign(period=period)


def _month_spans(frame: pd.DataFrame, start: str, end: str, periods: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
    """For each row, the first and the last of ``periods`` (their positions) on whose last day it runs (the first after
    the last: never); ``None`` unless the dates are plain and the periods oldest first."""
    begun, ended = frame[start], frame[end]
    days = pd.DatetimeIndex([month_end(p) for p in periods]).to_numpy()
    if not periods or not (_plain_dates(begun) and _plain_dates(ended)) or (days[1:] < days[:-1]).any():
        return None
    first = days.searchsorted(begun.to_numpy(), side="left")
    last = days.searchsorted(ended.to_numpy(), side="right") - 1
    first[np.isnat(begun.to_numpy())] = len(days)  # never started
    last[np.isnat(ended.to_numpy())] = len(days) - 1  # not ended
    return first, last


def _rows_each_month(first: np.ndarray, last: np.ndarray, months: int) -> list[np.ndarray]:
    """For each month, the positions of the rows that run on its last day (:func:`_month_spans`), in order."""
    return [((first <= month) & (month <= last)).nonzero()[0] for month in range(months)]


def active_sizes(frame: pd.DataFrame, start: str, end: str, periods: Sequence[str], by: Sequence[str] = (),
                 dropna: bool = False, once: Sequence[str] = (), where: pd.Series | None = None,
                 distinct: str | None = None) -> pd.Series:
    """How many rows run on the last day of each of ``periods`` (oldest first), for each value of ``by``: the Series
    ``active_each_month(frame, start, end, periods).groupby(["period", *by], dropna=dropna).size()``.

    ``distinct``: how many values of this column instead, ``....groupby(...)[distinct].nunique()`` (a missing value is
    none, and a group whose values are all missing counts 0); not with ``once`` or ``where``.

    ``once``: each value of these columns counted once in a period, by its last row in ``frame``'s order (the rows
    ``drop_duplicates(["period", *once], keep="last")`` keeps: one row per child, the latest measure). ``where``: a
    mask of ``frame``'s rows; only those are counted, chosen after ``once`` (the children whose latest measure is a
    placement).

    Made without the rows of every month where it can be: each row's group is worked out once, on ``frame``, and
    counted in every month it runs (92,886 cases over 33 months are 536,322 rows for :func:`active_each_month`, whose
    text columns pandas would hash again to group them)."""
    periods, once = [str(p) for p in periods], list(once)
    if distinct is not None:
        if once or where is not None:
            raise ValueError("active_sizes: distinct= counts each value once already; not with once= or where=")
        known = frame[distinct].notna()  # each value once in a group and month
        found = active_sizes(frame[known], start, end, periods, by, dropna, once=[distinct, *by])
        return found if known.all() else found.reindex(active_sizes(frame, start, end, periods, by, dropna).index, fill_value=0)
    spans = _month_spans(frame, start, end, periods) if periods == sorted(set(periods)) else None
    if spans is None or len(frame) == 0 or (once and frame[once].isna().any().any()):
        return _sizes_of_rows(frame, start, end, periods, by, dropna, once, where)
    first, last = spans
    grouped = frame.groupby(list(by), dropna=dropna) if by else None
    group = grouped.ngroup().fillna(-1).to_numpy(np.intp) if by else np.zeros(len(frame), dtype=np.intp)  # -1: left out
    keys = grouped.size().index if by else None  # one for each group, in the groups' numbers' order
    groups, months = len(keys) if by else 1, len(periods)
    if once:  # the rows of every month as positions: (month, row) in active_each_month's order
        rows = _rows_each_month(first, last, months)
        row, month = np.concatenate(rows), np.repeat(np.arange(months), [len(found) for found in rows])
        rest = [column for column in once if column not in by]
        if by and set(by) <= set(once):  # the groups are numbered already: only the other columns to number
            value = frame.groupby(rest).ngroup().to_numpy(np.intp) * groups + group if rest else group
        else:
            value = frame.groupby(once).ngroup().to_numpy(np.intp)
        latest = ~pd.Series(month * (value.max() + 1) + value[row]).duplicated(keep="last").to_numpy()
        row, month = row[latest], month[latest]
        if where is not None:
            chosen = where.to_numpy(dtype=bool)[row]
            row, month = row[chosen], month[chosen]
        row, month = row[group[row] >= 0], month[group[row] >= 0]
        counts = np.bincount(month * groups + group[row], minlength=months * groups).reshape(months, groups)
    else:  # each row from its first month to its last
        runs = (first <= last) & (group >= 0) & (where.to_numpy(dtype=bool) if where is not None else True)
        begins = np.bincount(first[runs] * groups + group[runs], minlength=(months + 1) * groups)
        stops = np.bincount((last[runs] + 1) * groups + group[runs], minlength=(months + 1) * groups)
        counts = (begins - stops).reshape(months + 1, groups)[:months].cumsum(axis=0)  # month by month, group by group
    month, found = counts.nonzero()  # by period, then by the groups' order: as the groupby sorts them
    if not len(month):
        return _sizes_of_rows(frame, start, end, periods, by, dropna, once, where)
    text = pd.Series(periods).dtype
    if not by:
        index = pd.Index(pd.Series(periods).take(month).to_numpy(), dtype=text, name="period")
    else:  # from the groups' own codes: their keys are not looked at again
        each = keys if isinstance(keys, pd.MultiIndex) else pd.MultiIndex.from_arrays([keys])
        index = pd.MultiIndex(levels=[pd.Index(periods, dtype=text), *each.levels],
                              codes=[month, *(codes.take(found) for codes in each.codes)], names=["period", *by],
                              verify_integrity=False)
    return pd.Series(counts[month, found].astype(np.int64), index=index)


def _sizes_of_rows(frame: pd.DataFrame, start: str, end: str, periods: list[str], by: Sequence[str], dropna: bool,
                   once: list[str], where: pd.Series | None) -> pd.Series:
    """:func:`active_sizes` by its definition: the rows of every month, grouped."""
    rows = active_each_month(frame.assign(_where=where.to_numpy(dtype=bool)) if where is not None else frame, start, end, periods)
    rows = rows.drop_duplicates(["period", *once], keep="last") if once else rows
    rows = rows[rows["_where"]] if where is not None else rows
    return rows.groupby(["period", *by], dropna=dropna).size()


def _plain_dates(column: pd.Series) -> bool:
    return isinstance(column.dtype, np.dtype) and column.dtype.kind == "M"


def active_counts(
    frame: pd.DataFrame,
    start: str,
    end: str,
    periods: Sequence[str],
    by: Sequence[str] = (),
    unique: str | None = None,
) -> pd.DataFrame:
    """Rows active at the end of each period, counted (``unique``: distinct values of a column).

    Periods before the first ``start`` date get no row (see :func:`covered_periods`).
    """
    periods = covered_periods(frame, start, periods)
    counted = [p for p in periods if month_end(p) <= pd.Timestamp.max - pd.Timedelta(days=1)]
    if not counted:
        return _fill(_empty(by), periods, by, frame)
    found = active_sizes(frame, start, end, counted, by, distinct=unique).rename("numerator").reset_index()
    return _fill(found, periods, by, frame)


def counts_in(
    frame: pd.DataFrame,
    date: str,
    periods: Sequence[str],
    by: Sequence[str] = (),
    where: pd.Series | None = None,
) -> pd.DataFrame:
    """Rows whose ``date`` falls in each period (months ``YYYY-MM`` or years ``YYYY``), counted.

    Periods before the first date in ``frame`` (all rows, not only ``where``) get no row: the source
    does not cover them (see :func:`covered_periods`). Covered periods without rows count 0.
    """
    periods = covered_periods(frame, date, periods)
    data = frame if where is None else frame[where]
    length = len(periods[0]) if periods else 7
    key = periods_of(data[date], "month" if length == 7 else "year")
    data = data.assign(period=key)
    data = data[data["period"].isin(list(periods))]
    counted = data.groupby(["period", *by], dropna=False).size().rename("numerator").reset_index()
    return _fill(counted, periods, by, frame)


def share_in(
    frame: pd.DataFrame,
    date: str,
    periods: Sequence[str],
    success: pd.Series,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """For rows dated in each period: ``numerator`` = rows where ``success``, ``denominator`` = all rows."""
    total = counts_in(frame, date, periods, by)
    hits = counts_in(frame, date, periods, by, where=success.fillna(False).astype(bool))
    merged = total.rename(columns={"numerator": "denominator"}).merge(hits, on=["period", *by], how="left")
    merged["numerator"] = merged["numerator"].fillna(0)
    return merged[["period", *by, "numerator", "denominator"]]


def per_children(frame: pd.DataFrame, children: pd.Series) -> pd.DataFrame:
    """Add ``denominator`` = children aged 0-17 in each period's year (latest known year if later).

    A year before the first known year has no denominator (NaN, shown as "ingen data"), not a guess.
    """
    def lookup(period: str) -> float:
        year = int(str(period)[:4])
        known = children[children.index <= year]
        return float(known.iloc[-1]) if len(known) else float("nan")

    if "period" not in frame.columns:  # no rows at all (e.g. no year covered): an empty frame of the right shape
        return pd.DataFrame({"period": pd.Series(dtype=str), "numerator": pd.Series(dtype=float), "denominator": pd.Series(dtype=float)})
    return frame.assign(denominator=frame["period"].map(lookup).astype(float))


def with_cases(frame: pd.DataFrame, cases: pd.DataFrame, columns: Sequence[str] = ("omraade", "team", "sagsbehandler_id"),
               unknown: str = "Ukendt") -> pd.DataFrame:
    """``frame`` with ``columns`` taken from each row's case (``sags_id`` in ``cases``); rows whose case is
    missing get ``unknown``, so they are counted and not dropped."""
    wanted = [c for c in columns if c in cases.columns]
    lookup = cases[["sags_id", *wanted]].drop_duplicates("sags_id")
    out = frame.drop(columns=[c for c in wanted if c in frame.columns]).merge(lookup, on="sags_id", how="left")
    out.index = frame.index
    out[wanted] = out[wanted].fillna(unknown)
    return out


def remembered(ctx, make: Callable[..., Any], reads: Mapping[str | Derived, Sequence[str] | None], *args: Any) -> Any:
    """``make(*frames, *args)``, worked out once for each content of what it is given.

    ``frames`` are the datasets ``reads`` names, in its order, each cut to the columns listed (``None``: all of
    them; a column the dataset lacks is left out). ``make`` sees nothing else of the data, so it is made again only
    when one of those columns or ``args`` changed: after an edit of the cases' gender, a figure of open cases by
    team is handed back as it was. Give every word and period it uses in ``args`` (``ctx.months()``,
    ``ctx.t("case_unknown")``, ``ctx.children()``): they are compared by value (frames cell by cell). ``make`` must
    be a function defined once (at module level, or made once, as the indicators are), not a new lambda each time::

        calc.remembered(ctx, open_by_team, {"sager": ["oprettet", "afsluttet", "team"]}, ctx.months())

    In place of a dataset ``reads`` may name a :class:`Derived` frame (its columns ``None``): what several figures
    are made from is then made once a build, and each is kept by what that frame was made from.
    """
    key, made = _remembering(ctx, make, reads, args)
    return made() if key is None else remember.remembered(key, made)


class Derived:
    """A frame made as :func:`remembered` makes one (``make(*frames, *args)``), to name in the ``reads`` of other
    remembered figures in place of a dataset: it is made once a build for each content of what it reads (and let go of
    once the build's figures are made), and the figures made from it are kept by the same (not by hashing it)::

        measures = calc.Derived(prepared, {"ydelser": None, "sager": ["sags_id", "team"]}, ctx.t("case_unknown"))
        calc.remembered(ctx, children_by_team, {measures: None}, ctx.months())
    """

    def __init__(self, make: Callable[..., Any], reads: Mapping[str, Sequence[str] | None], *args: Any) -> None:
        self.make, self.reads, self.args = make, reads, args

    def __repr__(self) -> str:
        return f"Derived({getattr(self.make, '__qualname__', self.make)!r}, {dict(self.reads)!r})"


def _remembering(ctx, make: Callable[..., Any], reads: Mapping, args: tuple) -> tuple[tuple | None, Callable[[], Any]]:
    """The key :func:`remembered` keeps ``make``'s result under (``None``: an argument is known only by its address, so
    the result is made every time) and how to make it."""
    parts, key = [], [make]
    for name, columns in reads.items():
        if isinstance(name, Derived):  # its key stands for its content; made (and kept) only when this is made
            inner, make_inner = _remembering(ctx, name.make, name.reads, name.args)
            parts.append(make_inner if inner is None else functools.partial(remember.derived, inner, make_inner))
            key.append(inner)
            continue
        frame = ctx.data[name]
        columns = list(frame.columns) if columns is None else [c for c in columns if c in frame.columns]
        parts.append(functools.partial(frame.__getitem__, columns))  # cut only when made
        key.append((name, tuple(columns), remember.column_hashes(frame, columns)))
    made = lambda: make(*(part() for part in parts), *args)  # noqa: E731
    found = content_key(*args)
    if found is None or None in key:  # an object known only by its address cannot be compared: made every time
        return None, made
    return (*key, found), made


def content_key(*values: Any) -> str | None:
    """A hash of ``values`` by their content: frames and series cell by cell (with their columns, types and index, not
    their ``attrs``), anything else by its ``repr``; ``None`` when one is known only by its address (its ``repr`` says
    ``at 0x…``). For the key of a page a plugin keeps while what it shows is the same
    (``ctx.kept((…, calc.content_key(own_cases, tasks)), make)``)."""
    parts = []
    for value in values:
        if isinstance(value, (pd.DataFrame, pd.Series)):
            frame = value.to_frame() if isinstance(value, pd.Series) else value
            parts.append(tracking.result_digest(frame, type(value).__name__, getattr(value, "name", None), attrs=False))
        else:
            text = repr(value)
            if " at 0x" in text:
                return None
            parts.append(text)
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def column_key(frame: pd.DataFrame, column: str) -> str:
    """A hash of one column of a dataset's frame (its type and cells, cell by cell as :func:`content_key` hashes them),
    worked out once for each frame: a dataset's frame is the same object for every audience of a build, and under
    ``lisite serve`` until its file changes. For the key of a value made from that column alone
    (``ctx.kept((name, calc.column_key(dataset.frame, "sags_id")), make)``): an edit of another column keeps it."""
    return remember.column_hashes(frame, [column])[1]


def years_between(earlier: pd.Series, later: pd.Series) -> pd.Series:
    return (later - earlier).dt.days / 365.25


def _empty(by: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=["period", *by, "numerator"])


def _fill(counted: pd.DataFrame, periods: Sequence[str], by: Sequence[str], source: pd.DataFrame) -> pd.DataFrame:
    """Add explicit zero rows for ``periods`` (the covered ones), so a month with no events shows 0 and not a gap."""
    months = pd.DataFrame({"period": pd.Series(list(periods), dtype=object)})  # text even when there are none
    grid = source[list(by)].drop_duplicates().dropna().merge(months, how="cross") if by else months
    out = grid.merge(counted.astype({"period": object}), on=["period", *by], how="left")
    out["numerator"] = out["numerator"].fillna(0).astype(float)
    return out[["period", *by, "numerator"]].sort_values(["period", *by]).reset_index(drop=True)
