"""The checks across datasets and against the configuration: dates after the reporting period, references to
other datasets, units not in ``[organisation]``, audience filters that name a unit the data does not have. Run by
:func:`lisite.data.load_all` once every dataset is loaded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from lisite import wording, workers
from lisite.cache import BuildCache, MemoKey
from lisite.config import CONFIG_FILE, Config
from lisite.disk import words_digest
from lisite.fmt import words
from lisite.i18n import Translator
from lisite.model import LEVEL_COLUMNS, Dataset, DatasetSpec, Problem
from lisite.remember import column_hashes

if TYPE_CHECKING:
    from lisite.data import LoadResult

UNIT_COLUMNS = ("omraade", "team")  # [organisation] lists; named in the user's words by problems.units.<column>


def cross_checks(config: Config, result: LoadResult, specs: dict[str, DatasetSpec], t: Translator | None = None,
                 cache: BuildCache | None = None, parallel: bool = False,
                 meanwhile: Callable[[], None] | None = None) -> list[Problem]:
    """Dates after the reporting period, references to other datasets, units not in ``[organisation]``,
    audience filters that name a unit the data does not have.

    With a ``cache`` (``lisite serve``) each check's problems are kept under the content hashes of the columns it
    reads (:func:`lisite.remember.column_hashes`, with the rows' line numbers and headers), the settings it reads and
    the words: an edit of one value checks again only what read the edited column, and a reference is checked again
    when either end of it changed.

    With ``parallel`` (a one-off build) each dataset's checks are made in forked workers (:mod:`lisite.workers`), the
    largest dataset's first, while this process does ``meanwhile`` (the build prepares the data then: on 16 times the
    demo's cases the checks and the preparation took 0.3 s each, one after the other); without workers, ``meanwhile``
    is done after the checks. The problems are the same either way, in the same order.
    """
    t = t if t is not None else words(config.language)
    complete = {name: result.datasets[name] for name in result.usable}
    said = words_digest(t)
    period = (config.period, config.year, config.month) if config.period else ()
    organisation = tuple((column, tuple(units)) for column, units in config.organisation.items())

    def checks_of(name: str | None) -> list[Problem]:  # one dataset's checks; None: the audiences' filters
        if name is None:
            return _kept(cache, lambda: ("audience_filters", said, *_filter_inputs(config, complete)),
                         lambda: _audience_filters(config, complete, t))
        ds = complete[name]
        own = (name, ds.spec, ds.path, said)
        dates = _happened(ds.spec) if period else []
        problems = _kept(cache, lambda: ("after_period", own, period, column_hashes(ds.frame, dates)),
                         lambda: _after_period(config, ds, t))
        problems += _kept(cache, lambda: ("extracted_early", own, period, config.period_auto, ds.extracted),
                          lambda: _extracted_early(config, ds, t))
        problems += _kept(cache, lambda: ("references", own, _reference_inputs(ds, complete, specs)),
                          lambda: _references(ds, complete, specs, t))
        units = [column for column in config.organisation if column in ds.frame.columns and column in LEVEL_COLUMNS.values()]
        problems += _kept(cache, lambda: ("organisation", own, organisation, column_hashes(ds.frame, units)),
                          lambda: _organisation(config, ds, t))
        return problems

    found = workers.each(checks_of, [*complete, None], parallel=parallel, meanwhile=meanwhile,
                         weight=lambda name: len(complete[name].frame) if name is not None else 0)
    return [problem for problems in found for problem in problems]


def _kept(cache: BuildCache | None, key: Any, check: Any) -> list[Problem]:
    """The problems ``check()`` finds, kept in ``cache`` under ``key()`` (everything the check reads; worked out only
    with a cache); each build gets copies (a build names headers and sets the language on the problems it collects)."""
    if cache is None:
        return check()
    found = cache.get_or_make(MemoKey(None, ("cross_checks", key())), lambda: tuple(check()))
    return [replace(problem) for problem in found]


def _filter_inputs(config: Config, complete: dict[str, Dataset]) -> tuple:
    """What :func:`_audience_filters` reads: each audience's filter, and each dataset's file and hash of a column
    filtered on."""
    filters = tuple((audience.id, tuple(map(tuple, getattr(audience, "filter", ())))) for audience in config.audiences.values())
    columns = sorted({column for _, found in filters for column, _ in found})
    return filters, tuple((name, ds.path, column, column_hashes(ds.frame, [column])) for name, ds in complete.items()
                          for column in columns if column in ds.frame.columns)


def _reference_inputs(ds: Dataset, complete: dict[str, Dataset], specs: dict[str, DatasetSpec]) -> tuple:
    """What :func:`_references` reads of ``ds``: each referencing column's hash, and of the dataset it refers to whether
    it declares the column, is loaded, its file and the hash of the column referred to."""
    found = []
    for col in ds.spec.columns:
        if not col.references:
            continue
        target, _, column = col.references.partition(".")
        declared = target in specs and column in [c.name for c in specs[target].columns]
        other = complete.get(target) if declared else None
        there = (other.path, column_hashes(other.frame, [column])) if other is not None else None
        found.append((col.name, col.references, declared, there, column_hashes(ds.frame, [col.name])))
    return tuple(found)


def _audience_filters(config: Config, complete: dict[str, Dataset], t: Translator) -> list[Problem]:
    """An audience limited to a unit that no dataset has would get a site without figures: an error."""
    problems = []
    for audience in config.audiences.values():
        for column, value in getattr(audience, "filter", ()):
            having = [ds for ds in complete.values() if column in ds.frame.columns]
            known = set().union(*(set(ds.frame[column].dropna()) for ds in having)) if having else set()
            if not having or value in known:
                continue
            close = wording.closest(value, sorted(map(str, known))) if column in UNIT_COLUMNS else ""
            maybe = t("problems.maybe_after", close=close) if close else "."
            files = ", ".join(sorted(ds.path for ds in having))
            problems.append(Problem(
                t("problems.audience_filter", audience=audience.id, column=column, value=value, files=files, maybe=maybe),
                file=CONFIG_FILE))
    return problems


def _happened(spec: DatasetSpec) -> list[str]:
    """The dataset's dates of what happened (a case opened, a measure ended), not the planned ones (an agreed end
    date may lie ahead)."""
    return [col.name for col in spec.columns if col.type in ("date", "datetime") and not col.planned]


def _month_end(config: Config) -> pd.Timestamp:
    """The last day of the reporting month."""
    return pd.Timestamp(config.year, config.month, 1) + pd.offsets.MonthEnd(0)


def _after_period(config: Config, ds: Dataset, t: Translator) -> list[Problem]:
    if not config.period:
        return []
    month_end = _month_end(config)
    limit = month_end + pd.Timedelta(days=1)
    frame, lines, headers = ds.frame, wording.file_lines(ds.frame), ds.frame.attrs.get("headers", {})
    problems = []
    for name in _happened(ds.spec):
        late = (frame[name] >= limit).fillna(False).astype(bool)
        if late.any():
            text = frame[name][late].map(wording.when)  # only the late rows are quoted
            what = t("problems.after_period", end=f"{month_end:%d-%m-%Y}", period=config.period, file=CONFIG_FILE)
            problems += wording.problems_at(ds.path, ds.spec.name, name, lines, late, text, what, t, "warning", headers.get(name, ""))
    return problems


def _extracted_early(config: Config, ds: Dataset, t: Translator) -> list[Problem]:
    """An export taken before the reporting month ended: its figures for that month cover part of it (new cases counted
    for half of October read as a fall). An export of the month's last day counts as the whole month. Not for a
    dataset from Danmarks Statistik (``kind``): its figures are whole years, fetched whenever.

    With ``[period] current = "auto"`` lisite chose the month, so such an export is an error: the build stops and the
    site stays the last one built, until the month's exports are there. So is an export taken before the month began,
    whatever the month: it says nothing of it, and a site built from it would show the cases open on the day of the
    export as the month's (Aktive sager for March 2027 from an export of September 2026). An export that does not say when it was
    taken is then named too (a warning: lisite cannot tell whether it reaches the month's end). Only exports of what
    happened when (a dataset with a date column that is not a planned date: cases, measures, notifications), not
    lists such as goals, staff or yearly results."""
    source = config.sources.get(ds.spec.name)
    if not config.period or source is None or source.kind or not _happened(ds.spec):
        return []
    if not ds.extracted:
        if not config.period_auto:
            return []
        return [Problem(t("problems.extracted_unknown", period=config.period, name=source.name, file=CONFIG_FILE),
                        file=ds.path, severity="warning", dataset=ds.spec.name)]
    month_end = _month_end(config)
    try:
        extracted = pd.Timestamp(ds.extracted[:10])
    except ValueError:
        return []
    if extracted >= month_end:
        return []
    # the last month the export reaches the end of: its own month when taken on the last day, else the month before
    covered = pd.Period(extracted, "M") - (0 if extracted == extracted + pd.offsets.MonthEnd(0) else 1)
    before = extracted < pd.Timestamp(config.year, config.month, 1)  # not a day of the month: every figure of it a guess
    key = "problems.extracted_early_auto" if config.period_auto else "problems.extracted_before" if before else "problems.extracted_early"
    what = t(key, date=wording.when(extracted), period=config.period, end=f"{month_end:%d-%m-%Y}", earlier=str(covered),
             file=CONFIG_FILE)
    return [Problem(what, file=ds.path, severity="error" if config.period_auto or before else "warning", dataset=ds.spec.name)]


def _references(ds: Dataset, complete: dict[str, Dataset], specs: dict[str, DatasetSpec], t: Translator) -> list[Problem]:
    problems = []
    frame, lines, headers = ds.frame, wording.file_lines(ds.frame), ds.frame.attrs.get("headers", {})
    for col in ds.spec.columns:
        if not col.references:
            continue
        target, column = col.references.split(".")
        if target not in specs or column not in [c.name for c in specs[target].columns]:
            problems.append(Problem(
                t("problems.bad_reference", column=col.name, dataset=ds.spec.name, reference=col.references),
                file=ds.path, column=col.name, dataset=ds.spec.name))
            continue
        if target not in complete:
            continue  # not loaded (or not readable): nothing to compare with
        known = complete[target].frame[column].dropna().unique()
        values = frame[col.name]
        unknown = values.notna() & ~values.isin(known)
        if not unknown.any():
            continue
        where = t("problems.reference_where", column=column, dataset=target, file=complete[target].path)
        message, first = wording.grouped(values[unknown], lines, t, "problems.unknown_reference_one", "problems.unknown_references",
                                         where=where)
        problems.append(Problem(message, file=ds.path, row=first, column=col.name, severity="warning", dataset=ds.spec.name,
                                header=headers.get(col.name, "")))
    return problems


def _organisation(config: Config, ds: Dataset, t: Translator) -> list[Problem]:
    problems = []
    frame, lines, headers = ds.frame, wording.file_lines(ds.frame), ds.frame.attrs.get("headers", {})
    for column, units in config.organisation.items():
        if column not in frame.columns or column not in LEVEL_COLUMNS.values():
            continue
        values = frame[column]
        unknown = values.notna() & ~values.isin(units)
        for value, rows in wording.rows_by_value(values[unknown], lines).items():
            close = wording.closest(str(value), units)
            maybe = t("problems.maybe_after", close=close) if close else ""
            message = t("problems.not_in_organisation", value=value, units=t.get(f"problems.units.{column}", column),
                        file=CONFIG_FILE, maybe=maybe, rows=wording.rows_text(rows, t))
            problems.append(Problem(message, file=ds.path, row=rows[0], column=column, severity="warning", dataset=ds.spec.name,
                                    header=headers.get(column, "")))
    return problems
