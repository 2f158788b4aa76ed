"""What plugins receive: the context of an indicator computation and of a build."""

from __future__ import annotations

import hashlib
import re
import time
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping

import pandas as pd

from lisite import sharing, spc
from lisite.cache import BuildCache, BuildInputs, LimitedKey, MemoKey, StagedKey, digest, fingerprint
from lisite.config import Config
from lisite.earlier import RECORD, Shown, read_figures, read_record
from lisite.errors import BuildError
from lisite.explain import shown_periods
from lisite.i18n import LANGUAGES, Translator
from lisite.output import resolved_below
from lisite.fmt import Formatter
from lisite.model import LEVEL_COLUMNS, LEVELS, UNITS, Audience, Dataset, Indicator, IndicatorView, Page, Problem
from lisite.resources import cache_dir
from lisite.staging import Alike, Staged, Sums, stage_with_window, summed
from lisite import tracking
from lisite.tracking import Reads, Recorded, unrecorded

WINDOW = 12  # a year of months: the sum every monthly figure is suppressed together with
MONTH = re.compile(r"\d{4}-\d{2}")  # a monthly period, YYYY-MM


def monthly(frame: pd.DataFrame) -> bool:
    """Are a result's periods months (``YYYY-MM``)? Then its figures are suppressed together with their 12-month sum."""
    return bool(len(frame)) and all(MONTH.fullmatch(str(p)) for p in frame["period"].unique())


def sums_of(indicator: Indicator, frame: pd.DataFrame, parts: tuple[tuple[tuple[str, str], ...], ...]) -> dict[tuple, Any]:
    """The sums :meth:`BuildContext.staged` makes of a result for each part of the organisation in ``parts`` (the
    audiences' ``filter``), under the keys ``BuildContext.derived`` keeps them by. Made where the result is made (a
    worker computing indicators), the two workers that make the audiences' pages start with them instead of each
    making them (the leaders and the directors see the same municipality and are made at the same time). A result
    they cannot be made of gets none here: :meth:`BuildContext.staged` then makes them and says what is wrong."""
    joint = WINDOW if monthly(frame) else None
    try:
        return {("sums", limits, indicator.id, joint): summed(indicator, frame, limits, joint) for limits in parts}
    except Exception:  # noqa: BLE001 (see above)
        return {}


def _marks(staged: Staged | None) -> tuple[bytes, bytes] | None:
    """Which of the staged cells are hidden, and which of those labelled "under N"."""
    if staged is None:
        return None
    return staged.frame["suppressed"].to_numpy(bool).tobytes(), staged.frame["small"].to_numpy(bool).tobytes()


def _counted(indicator: Indicator) -> bool:
    """A count, or a share, an average or a price of a count (its denominators): its cells are protected with those of
    the others that count the same (:meth:`BuildContext._alike`)."""
    return _a_count(indicator) or UNITS[indicator.unit].n == "denominator"


def _a_count(indicator: Indicator) -> bool:
    """A count (``antal``) of children, cases or staff: its cells are protected with those of the counts that count the
    same (:meth:`BuildContext._alike`)."""
    return indicator.unit == "antal" and indicator.counts


def data_key(datasets: Mapping[str, Dataset]) -> tuple[tuple[str, str], ...]:
    """The identity of the input data: each dataset's name and file hash (and derived frame's hash)."""
    return tuple(sorted((name, ds.sha256 + ds.prepared) for name, ds in datasets.items()))


class Recorder(Mapping):
    """A read-only view of the data that remembers which datasets were read (for provenance)."""

    def __init__(self, data: Mapping[str, pd.DataFrame]) -> None:
        self._data = data
        self.used: set[str] = set()

    def __getitem__(self, name: str) -> pd.DataFrame:
        frame = self._data[name]
        self.used.add(name)
        return frame

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


@dataclass
class IndicatorContext:
    """Given to ``Indicator.compute``: the typed data, the reporting period and the site's words.

    ``t`` is the catalogue bound to the site's language, for the categories a computation derives
    (age bands, "not stated"): ``ctx.t("maalgrupper.not_given")``. Made from ``config`` when not given.
    """

    config: Config
    data: Mapping[str, pd.DataFrame]
    settings: dict[str, Any] = field(default_factory=dict)
    #: The periods handed out by months() and years(): the range the figure is shown over, so a period
    #: among them without a row is shown as "ingen data" (see :func:`lisite.explain.shown_periods`).
    asked: set[str] = field(default_factory=set, repr=False, compare=False)
    t: Translator | None = None

    def __post_init__(self) -> None:
        if self.t is None:
            self.t = Translator(self.config.language, [self.config.site_dir / "locales"])

    @property
    def period(self) -> str:
        """The last month of the reporting period, ``YYYY-MM``."""
        return self.config.period

    @property
    def end(self) -> pd.Timestamp:
        """The last day of the reporting period."""
        return pd.Period(self.config.period, "M").end_time.normalize()

    def months(self, count: int | None = None) -> list[str]:
        """Months up to the reporting period, oldest first (``first_period`` or 36 months back)."""
        last = pd.Period(self.config.period, "M")
        if count is None:
            first = pd.Period(self.config.first_period, "M") if self.config.first_period else last - 35
            count = (last - first).n + 1
        months = [str(last - i) for i in range(count - 1, -1, -1)]
        self.asked.update(months)
        return months

    def years(self, count: int = 5) -> list[int]:
        """Whole years before the reporting year plus the reporting year, oldest first."""
        years = list(range(self.config.year - count + 1, self.config.year + 1))
        self.asked.update(map(str, years))
        return years

    def children(self) -> pd.Series:
        """Children aged 0-17 in the municipality by year (from the benchmark dataset)."""
        bench = self.data.get("benchmark")
        if bench is None:
            raise KeyError("the benchmark dataset is needed for the number of children")
        own = bench[bench["kommunekode"] == self.config.municipality_code]
        series = own.set_index("aar")["boern_0_17"].astype(float).sort_index()
        return series


BINARY = "\0sha256:"  # how a file read as bytes (a picture) is recorded among the texts read: by its hash


def as_read(data: bytes | None) -> str | None:
    """How a file read as bytes is recorded among the texts read (:data:`BINARY` and its hash; ``None``: no file)."""
    return None if data is None else BINARY + hashlib.sha256(data).hexdigest()


class Content:
    """Markdown files under the site's ``content/``, falling back to lisite's built-in texts."""

    def __init__(self, folders: list[Path], lang: str) -> None:
        self.folders = [f.resolve() for f in folders if f.is_dir()]
        self.lang = lang
        self.reads: dict[str, str | None] | None = None  # while recording: name → text read

    @property
    def words(self) -> Translator:
        """lisite's catalogue in the texts' language: the words of an error in one of them."""
        return content_words(self.lang)

    def path(self, name: str) -> Path | None:
        for folder in self.folders:
            for candidate in ([folder / self.lang / name] if self.lang != "da" else []) + [folder / name]:
                resolved = resolved_below(folder, candidate)
                if not resolved.is_relative_to(folder):
                    raise BuildError(self.words("content.outside", name=name))
                if resolved.is_file():
                    return resolved
        return None

    def get(self, name: str) -> str | None:
        path = self.path(name)
        text = read_text(path, name, self.lang) if path else None
        if self.reads is not None:
            self.reads[name] = text
        return text

    def binary(self, name: str) -> bytes | None:
        """A file's bytes (a picture, see :mod:`lisite.pictures`), ``None`` when there is none; recorded by its hash."""
        path = self.path(name)
        data = path.read_bytes() if path else None
        if self.reads is not None:
            self.reads[name] = as_read(data)
        return data

    def front(self, name: str) -> dict[str, Any]:
        """The TOML front matter of a text file (between ``+++`` lines at its top); ``{}`` when it has none."""
        return split_front(self.get(name) or "", name, self.lang)[0]

    def body(self, name: str) -> str | None:
        """A text file without its front matter (``None`` when the file does not exist)."""
        text = self.get(name)
        return None if text is None else split_front(text, name, self.lang)[1]

    def unchanged(self, reads: dict[str, str | None], stamp: Callable[[str | None], str | None] | None = None) -> bool:
        """Do these files still read as recorded? (For caches that depend on content.) ``stamp``: how each text was
        recorded, when not as it read (:func:`lisite.reuse.text_stamp` keeps a hash; a picture is its hash either way)."""
        stamp = stamp or (lambda text: text)
        saved, self.reads = self.reads, None
        try:
            return all(stamp(as_read(self.binary(name)) if text is not None and text.startswith(BINARY) else self.get(name)) == text
                       for name, text in reads.items())
        finally:
            self.reads = saved


def staged_shared(key: tuple, indicator: Indicator, make: Callable[[], tuple[Staged, Staged | None]]) -> tuple[Staged, Staged | None]:
    """An indicator staged for an audience by another worker of the build under ``key`` (:func:`staged_between_workers`),
    or ``make()``, which is then left for the others: without the indicator (its compute function does not travel),
    which the staged figures get back here."""
    with sharing.claimed(key, wait=True):  # (one a worker is staging ahead now is waited for, then read)
        found = sharing.found(key)
        if found is not None:
            return tuple(None if parts is None else Staged.of(indicator, parts) for parts in found)
        return offer_staged(key, make)


def offer_staged(key: tuple, make: Callable[[], tuple[Staged, Staged | None]]) -> tuple[Staged, Staged | None]:
    """``make()``, left for the other workers under ``key`` without the indicator (:meth:`Staged.parts`)."""
    started = time.perf_counter()
    made = make()
    sharing.offer(key, tuple(None if staged is None else staged.parts() for staged in made), time.perf_counter() - started)
    return made


def _block_cells(found: Sums, column: str, in_window: bool) -> dict[tuple, float]:
    """The cells of one block of ``found`` by ``column`` ("": the periods' totals), in or out of the months' window, as
    (period, value) → count; empty when the sums have no such block."""
    block = found.blocks.get((column, in_window))
    if block is None:
        return {}
    frame = block[0]
    values = [frame["period"].astype(str).tolist()] + ([frame[column].astype(str).tolist()] if column else [])
    return dict(zip(zip(*values), frame["n"].to_numpy(dtype=float).tolist()))


def _shared(mine: dict[tuple, float], theirs: dict[tuple, float]) -> int | None:
    """How many cells both have, not 0 (``None``: one they both have differs)."""
    common = mine.keys() & theirs.keys()
    if any(mine[k] != theirs[k] and not (mine[k] != mine[k] and theirs[k] != theirs[k]) for k in common):
        return None
    return sum(1 for k in common if mine[k] > 0)


def staged_between_workers(audience: Audience, result_key: Any, declared: str, joint: int | None,
                           earlier: tuple[Shown, ...]) -> tuple | None:
    """The name an audience's staged indicator has between a build's workers (:mod:`lisite.sharing`): everything it
    is made from, its earlier reports' cells by the records they were read from (a hash each, where pickling the cells
    themselves would cost more than reading the value); ``None`` when one of them was not read from a record."""
    if any(not shown.record_id for shown in earlier):
        return None
    return ("staged", audience, result_key, declared, joint, tuple((shown.record_id, shown.figures_id) for shown in earlier))


@dataclass
class BuildContext:
    """Given to page and output hooks. ``audience`` is set while an audience is built."""

    config: Config
    t: Translator
    datasets: dict[str, Dataset]
    problems: list[Problem]
    all_indicators: dict[str, Indicator]
    results: dict[str, pd.DataFrame] = field(repr=False, default_factory=dict)
    content: Content | None = None
    audience: Audience | None = None
    staged_cache: dict[tuple[str, str], Staged] = field(default_factory=dict, repr=False)
    #: what is worked out from an audience's staged figures and data (periods shown, process, target), and the sums
    #: every audience stages from (lisite.staging.Sums), once a build
    derived: dict[tuple, Any] = field(default_factory=dict, repr=False)
    result_keys: dict[str, Any] = field(default_factory=dict, repr=False)
    cache: BuildCache = field(default_factory=BuildCache, repr=False)  # kept between builds by serve
    inputs: BuildInputs | None = field(default=None, repr=False)  # what this build's cached values depend on
    fmt: Formatter | None = None  # numbers, periods and hidden cells in the site's language
    pages: dict[str, Page] = field(default_factory=dict)  # the audience's pages by path, once every plugin made them
    archive: Any = field(default=None, repr=False)  # earlier periods' sites (lisite.archive.Archive): read with lisite.history
    #: the datasets and results each part of the build read (``datasets``, ``data``, ``results`` and ``staged`` note
    #: them), so a kept part is reused only while they are the same (:mod:`lisite.tracking`); shared by every audience
    reads: Reads = field(default_factory=Reads, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.fmt is None:
            self.fmt = Formatter(self.config.language, self.audience.min_count if self.audience else 1)
        if not isinstance(self.datasets, Recorded):
            self.datasets = Recorded(self.datasets, self.reads, "data")
        if not isinstance(self.results, Recorded):
            self.results = Recorded(self.results, self.reads, "result")
        if not self.reads.values:  # the datasets' hashes (a build adds the results', lisite.build)
            self.reads.values.update({("data", name): value for name, value in data_key(unrecorded(self.datasets))})
            self.reads.values.update({("about", name): digest(getattr(ds, "path", ""), getattr(ds, "extracted", ""), getattr(getattr(ds, "spec", None), "title", ""))
                                     for name, ds in unrecorded(self.datasets).items()})

    @property
    def data(self) -> Mapping[str, pd.DataFrame]:
        """The typed input data, limited to the audience's part of the organisation (see ``filter``).

        Person-level rows may only reach a page for a 'case' audience.
        """
        datasets = unrecorded(self.datasets)
        frames = {name: ds.frame for name, ds in datasets.items()}
        if self.audience is None or not self.audience.filter:
            return Recorded(frames, self.reads, "data")
        key = LimitedKey(self.audience.filter, data_key(datasets))
        limited = self.cache.get_or_make(key, lambda: limit(frames, datasets, self.audience.filter))
        return Recorded(limited, self.reads, "data", also=("sager",))  # a part is cut out by the cases of that part (limit)

    @property
    def person_columns(self) -> dict[str, str]:
        """Columns that identify a person or a case → the finest level allowed to see them.

        The one definition: the level columns of the data model plus every column a dataset spec marks
        ``person_level`` (where specs disagree, the strictest level wins).
        """
        found = {column: level for level, column in LEVEL_COLUMNS.items() if level in ("caseworker", "case")}
        for dataset in unrecorded(self.datasets).values():  # the specs: the same while the config and code are
            for column in dataset.spec.columns:
                if column.person_level:
                    known = found.get(column.name, column.level)
                    found[column.name] = max(known, column.level, key=LEVELS.index)
        return found

    @property
    def indicators(self) -> dict[str, Indicator]:
        """The indicators the current audience may see."""
        if self.audience is None:
            return dict(self.all_indicators)
        return self.visible_to(self.audience)

    def visible_to(self, audience: Audience) -> dict[str, Indicator]:
        """The indicators ``audience`` may see: those shown to its level (and, for an audience limited to part
        of the organisation, only those that can be split by the columns it is limited by)."""
        found = {}
        for key, indicator in self.all_indicators.items():
            if audience.level not in indicator.shown_to:
                continue
            if audience.filter and key in self.results:
                self.reads.read("columns", key)
                columns = unrecorded(self.results)[key].columns
                if not all(column in columns for column, _ in audience.filter):
                    continue
            found[key] = indicator
        return found

    def key_figures(self, audience: Audience | None = None) -> list[str]:
        """The ids of the figures on an audience's front page: ``[plugin.frontpage] <audience id> = [...]`` when
        set, else the indicators marked ``key_figure`` that the audience may see."""
        audience = audience or self.audience
        if audience is None:
            raise BuildError("key_figures() needs an audience")
        visible = self.visible_to(audience)
        chosen = self.settings("frontpage").get(audience.id)
        if chosen is None:
            return [key for key, indicator in visible.items() if indicator.key_figure]
        return [key for key in chosen if key in visible]

    def indicator_page(self, indicator_id: str) -> str | None:
        """The page of the current audience's site that shows the indicator, as ``path#section``, or ``None``.

        Its home is a page made by the indicator's own plugin (its theme or element page) before any other,
        then the first in menu order; a whole-municipality view before one split by a column; never the front
        page. Known once every plugin's pages exist (``ctx.pages``: in a :class:`lisite.Deferred` block or
        while rendering)."""
        indicator = self.all_indicators.get(indicator_id)
        found = []
        for page in self.pages.values():
            if page.path == "index.html":
                continue
            for block in page.blocks:
                if isinstance(block, IndicatorView) and block.indicator == indicator_id:
                    own = indicator is not None and page.plugin == indicator.plugin
                    found.append(((not own, bool(block.by), page.order, page.section, page.title, page.path),
                                  f"{page.path}#{indicator_id.replace('.', '-')}" + (f"-{block.by}" if block.by else "")))
        return min(found)[1] if found else None

    def for_audience(self, audience: Audience) -> BuildContext:
        return replace(self, audience=audience, fmt=Formatter(self.config.language, audience.min_count))

    def staged(self, indicator_id: str, window: int | None = None) -> Staged:
        """The indicator's figures as the current audience may see them.

        With ``window=12`` the last 12 periods are summed into one (its ``period`` is the last of them): for
        tables that add up a year of small monthly counts. Monthly figures are always suppressed together
        with that sum, so the monthly chart and the 12-month table can be shown side by side and no hidden
        month can be worked out from the two (:func:`lisite.staging.stage_with_window`).
        """
        if self.audience is None:
            raise BuildError("staged() needs an audience")
        if indicator_id not in self.indicators:
            raise BuildError(
                f"Siden for '{self.audience.id}' viser indikatoren '{indicator_id}', som ikke findes eller ikke er til denne modtagergruppe."
            )
        if window not in (None, WINDOW):
            raise BuildError(f"staged('{indicator_id}', window={window}): sums are over the last {WINDOW} periods (window={WINDOW}).")
        self.reads.read("result", indicator_id)
        if window is not None and self._result(indicator_id)[2] is None:
            raise BuildError(f"staged('{indicator_id}', window={window}): a sum over periods is for monthly figures (periods YYYY-MM).")
        if (self.audience.id, indicator_id) not in self.staged_cache:
            group = self._group(indicator_id)
            first: dict[str, tuple[Staged, Staged | None]] = {}
            for member in group:
                self._first(member, first)
            for member, (periods, summed_up) in (self._settled(group, first) if len(group) > 1 else first).items():
                self.staged_cache[(self.audience.id, member)] = periods
                if summed_up is not None:
                    self.staged_cache[(self.audience.id, member, WINDOW)] = summed_up
                for lead in (False, True):  # (read only while the group is staged: not held past it)
                    self.derived.pop(("alike of", self.audience.id, member, lead), None)
        return self.staged_cache[(self.audience.id, indicator_id) if window is None else (self.audience.id, indicator_id, window)]

    def _group(self, indicator_id: str) -> tuple[str, ...]:
        """The indicator and every one that counts the same as it, or as one of them (:meth:`_alike`), by id: staged
        together."""
        found, todo = {indicator_id}, [indicator_id]
        while todo:
            for other in self._alike(todo.pop(), staged_first=False):
                if other not in found:
                    found.add(other)
                    todo.append(other)
        return tuple(sorted(found))

    def _first(self, indicator_id: str, first: dict[str, tuple[Staged, Staged | None]]) -> tuple[Staged, Staged | None]:
        """The indicator staged (its periods and 12-month sums) with those that count the same staged before it
        (:meth:`_alike`), each of them first (into ``first``)."""
        if indicator_id in first:
            return first[indicator_id]
        indicator = self.all_indicators[indicator_id]
        result_key, frame, joint, earlier, shared = self._to_stage(indicator_id)
        others = self._alike(indicator_id)
        for other in others:  # staged first: what they show and hide is part of what this one may show
            self._first(other, first)
        theirs = [self._to_stage(other) for other in others]  # each one's result key, result, joint, earlier, name
        if others:
            shared = None if shared is None or any(found[4] is None for found in theirs) else (shared, tuple(f[4] for f in theirs))

        def make() -> tuple[Staged, Staged | None]:
            return self._stage(indicator_id, frame, joint, earlier, self._alikes(indicator_id, others, first))

        if result_key is None or any(found[0] is None for found in theirs):  # hand-made results (tests): nothing to reuse them by
            first[indicator_id] = make()
        else:
            staged_key = StagedKey(self.audience, result_key, self._declared(indicator_id), joint, earlier,
                                   tuple((other, self._declared(other), found[0], found[2], found[3]) for other, found in zip(others, theirs)))
            first[indicator_id] = self.cache.get_or_make(staged_key, (lambda: staged_shared(shared, indicator, make)) if shared else make)
        return first[indicator_id]

    def _alikes(self, indicator_id: str, others: tuple[str, ...], staged: dict[str, tuple[Staged, Staged | None]]) -> tuple[Alike, ...]:
        """``others`` as :func:`lisite.staging.with_alike` reads them beside the indicator, from their periods and
        12-month sums ``staged``: a count leads a share, an average or a price (what it shows is known there)."""
        count = _a_count(self.all_indicators[indicator_id])
        return tuple(self._alike_of(other, staged[other], lead=not count and _a_count(self.all_indicators[other])) for other in others)

    def _alike_of(self, indicator_id: str, staged: tuple[Staged, Staged | None], lead: bool = False) -> Alike:
        """:meth:`lisite.staging.Alike.of` the indicator's periods and 12-month sums ``staged``: made once for each staging
        of it, which every other of its group reads (settling a group of six, 30 times for six stagings): while the group
        is staged (:meth:`staged`)."""
        key = ("alike of", self.audience.id, indicator_id, lead)
        found = self.derived.get(key)
        if found is None or found[0] is not staged:
            found = self.derived[key] = (staged, Alike.of(*staged, self._summed(indicator_id)[1].months, lead=lead))
        return found[1]

    def _settled(self, group: tuple[str, ...], first: dict[str, tuple[Staged, Staged | None]]) -> dict[str, tuple[Staged, Staged | None]]:
        """Indicators that count the same (``group``), staged with each other until none hides more: each one again with
        every other that counts the same, before it or after (:func:`lisite.staging.with_alike`), and with what it hid
        before hidden still, until none hides a cell it did not. Staged one after the other (:meth:`_first`), the first
        chose what to show without the others: Fanø's December report showed November's active cases in all (56), which
        the count of them by age had hidden in November to protect its "18+ år" (1), whose other ages it had shown."""
        made = {member: self._to_stage(member) for member in group}
        if any(found[0] is None for found in made.values()):  # hand-made results (tests): nothing to keep them by
            return self._settle(group, first, made)
        key = MemoKey(None, ("settled", self.audience, tuple((member, self._declared(member), found[0], found[2], found[3])
                                                              for member, found in made.items())))
        return self.cache.get_or_make(key, lambda: self._settle(group, first, made))

    def _led_by(self, indicator_id: str) -> tuple[str, ...]:
        """Those that count the same as the indicator (:meth:`_alike`, before it or after) whose hidden cells it hides
        too: for a count, the other counts (a share of staff trained in ICS hides a team for its one untrained; the
        count of staff shows the team, which gives no one's training away); for a share, an average or a price, all."""
        others = self._alike(indicator_id, staged_first=False)
        if not _a_count(self.all_indicators[indicator_id]):
            return others
        return tuple(other for other in others if _a_count(self.all_indicators[other]))

    def _settle(self, group: tuple[str, ...], first: dict[str, tuple[Staged, Staged | None]],
                made: dict[str, tuple]) -> dict[str, tuple[Staged, Staged | None]]:
        """:meth:`_settled`; ``made``: what each member is staged from (:meth:`_to_stage`)."""
        latest = dict(first)
        version = dict.fromkeys(group, 0)
        read = {member: {other: 0 for other in self._alike(member)} for member in group}  # the others' versions each one read
        changed = True
        while changed:
            changed = False
            for member in group:
                others = self._led_by(member)
                if read[member] == {other: version[other] for other in others}:
                    continue
                read[member] = {other: version[other] for other in others}
                _, frame, joint, earlier, _ = made[member]
                before = latest[member]
                again = self._stage(member, frame, joint, earlier, self._alikes(member, others, latest), self._alike_of(member, latest[member]))
                if any(_marks(new) != _marks(old) for new, old in zip(again, before)):
                    latest[member], version[member], changed = again, version[member] + 1, True
        return latest

    def _to_stage(self, indicator_id: str) -> tuple[Any, pd.DataFrame, int | None, tuple[Shown, ...], tuple | None]:
        """What the indicator is staged from for the current audience: its result's key (``None``: hand-made results), the
        result, the periods summed with the months (:data:`WINDOW`; ``None`` for other periods), what its earlier reports
        showed, and its name between a build's workers (:func:`staged_between_workers`; ``None``: not shared)."""
        result_key, frame, joint = self._result(indicator_id)
        earlier = self.shown_before(indicator_id)
        shared = None if result_key is None else staged_between_workers(self.audience, result_key, self._declared(indicator_id),
                                                                        joint, earlier)
        return result_key, frame, joint, earlier, shared

    def _result(self, indicator_id: str) -> tuple[Any, pd.DataFrame, int | None]:
        """The indicator's result's key, the result, and the periods summed with the months (``None``: not months)."""
        result_key = self.result_keys.get(indicator_id)
        frame = unrecorded(self.results)[indicator_id]
        return result_key, frame, WINDOW if self._monthly(frame, result_key) else None

    def _stage(self, indicator_id: str, frame: pd.DataFrame, joint: int | None, earlier: tuple[Shown, ...],
               alike: tuple[Alike, ...] = (), before: Alike | None = None) -> tuple[Staged, Staged | None]:
        return stage_with_window(self.all_indicators[indicator_id], frame, self.audience, joint, self._sums(indicator_id, frame, joint),
                                 self.t, earlier, alike, before)

    def _summed(self, indicator_id: str) -> tuple[int | None, Sums]:
        """The periods the indicator's months are summed over (``None``: not months), and its sums (:meth:`_sums`)."""
        _, frame, joint = self._result(indicator_id)
        return joint, self._sums(indicator_id, frame, joint)

    def _sums(self, indicator_id: str, frame: pd.DataFrame, joint: int | None) -> Sums:
        # the sums are the same for every audience that sees the same part of the organisation: made once a build
        limits = self.audience.filter
        sums = self.derived.get(("sums", limits, indicator_id, joint))
        if sums is None:
            sums = self.derived[("sums", limits, indicator_id, joint)] = summed(self.all_indicators[indicator_id], frame, limits, joint)
        return sums

    def _alike(self, indicator_id: str, staged_first: bool = True) -> tuple[str, ...]:
        """The indicators the current audience sees whose counts count what this one's count: the same count in every
        period's total and in every cell of a breakdown both have, at least five not 0 (every placed child, beside the
        share of them in family care; the children with a measure by type, beside the price per child by type; the staff
        of a team, beside the shares of them trained in ICS and in signs of safety, which hide other cells for their small
        parts; the active cases by team and area, beside the children by age, by gender and by target group). A reader
        sees both, so the one is protected with those staged before it (:func:`lisite.staging.with_alike`): for a count
        (``antal``), the counts before it (by id); for a share, an average or a price, every such count and the shares,
        averages and prices before it. ``staged_first=False``: all of them, before it or after (what their earlier
        reports showed is known of its cells too, :meth:`shown_before`)."""
        indicator = self.all_indicators[indicator_id]
        if not _counted(indicator) or self.audience.min_count <= 1:
            return ()
        found = self._by_results(("alike", self.audience.id, indicator_id), ("alike", self.audience, indicator_id),
                                 tuple(sorted(self.indicators)), lambda: tuple(
                                     other for other in sorted(self.indicators) if other != indicator_id
                                     and _counted(self.all_indicators[other]) and self._count_the_same(indicator_id, other)))
        if not staged_first:
            return found
        mine = _a_count(indicator)  # a count before a share, an average or a price, and either before one of its kind by id
        return tuple(other for other in found if (theirs := _a_count(self.all_indicators[other])) and not mine
                     or (theirs == mine and other < indicator_id))

    def _count_the_same(self, indicator_id: str, other: str) -> bool:
        """Do the two count the same (:meth:`_alike`)? Worked out once for the pair and every audience that sees the same
        part of the organisation at the same levels, and kept by the two results: an edit under ``lisite serve`` compares
        again only the pairs with an indicator it changed."""
        pair = tuple(sorted((indicator_id, other)))
        return self._by_results(("the same", self.audience.id, *pair), ("the same", self.audience.filter, self.audience.level_columns),
                                pair, lambda: self._compared(*pair))

    def _by_results(self, key: tuple, kept_as: tuple, indicator_ids: tuple[str, ...], make: Callable[[], Any]) -> Any:
        """``make()`` once a build under ``key``, and kept between builds of ``lisite serve`` as ``kept_as`` with what the
        indicators' results are made from (each one's id, fingerprint and result's key): an edit makes it again only
        where it changed one of them. Made every time for a hand-made result (tests), which has nothing to keep it by.
        ``make`` reads those results alone, and nothing of the audience that ``kept_as`` does not name. What ``make``
        kept of its own (the pairs compared for the indicators that count the same as one) is kept with it: a content
        edit that finds the whole would else sweep them, and the next data edit compare every pair again."""
        found = self.derived.get(key)
        if found is None:
            results = tuple((name, self._declared(name), self.result_keys.get(name)) for name in indicator_ids)
            found = self.derived[key] = make() if any(result is None for _, _, result in results) else \
                tracking.with_parts(self.cache, MemoKey(None, (*kept_as, results)), make)
        return found

    def _compared(self, indicator_id: str, other: str) -> bool:
        (_, months, mine), (_, their_months, theirs) = self._totals(indicator_id), self._totals(other)
        halves = (False, True) if months and months == their_months else (False,)
        shared = 0
        for in_window in halves:  # the totals first: most counts differ there, or share no period
            found = _shared(mine[in_window], theirs[in_window])
            if found is None:
                return False
            shared += found
        if not shared:
            return False
        # a breakdown's cells, read only for the few pairs whose totals agree and many more of them, each time (all kept,
        # København-sized data's build held 491 → 545 MiB at once, medians of three; the totals alone, 472 → 484)
        (_, mine_summed), (_, theirs_summed) = self._summed(indicator_id), self._summed(other)
        shown = {*self.audience.level_columns, *self.all_indicators[indicator_id].dimensions, *self.all_indicators[other].dimensions}
        for column in (c for c in mine_summed.columns if c in theirs_summed.columns and c in shown):
            for in_window in halves:
                found = _shared(_block_cells(mine_summed, column, in_window), _block_cells(theirs_summed, column, in_window))
                if found is None:
                    return False
                shared += found
        return shared >= 5

    def _totals(self, indicator_id: str) -> tuple[int | None, tuple[str, ...], dict[bool, dict[tuple, float]]]:
        """The periods the indicator's months are summed over (``None``: not months), those months, and each period's
        total (period,) → count in and out of the months' window: what every comparison reads first, and most end at.
        Made once for every audience that sees the same part of the organisation, as the sums are, and kept by the
        result (an indicator is compared with every other for each share, average and price: in the demo 3,444 times)."""
        def make() -> tuple[int | None, tuple[str, ...], dict[bool, dict[tuple, float]]]:
            joint, sums = self._summed(indicator_id)
            return joint, tuple(sums.months), {in_window: _block_cells(sums, "", in_window) for in_window in (False, True)}

        return self._by_results(("totals", self.audience.filter, indicator_id), ("totals", self.audience.filter), (indicator_id,), make)

    def _declared(self, indicator_id: str) -> str:
        found = self.derived.get(("fingerprint", indicator_id))  # the same object for every audience of a build
        if found is None:
            found = self.derived[("fingerprint", indicator_id)] = fingerprint(self.all_indicators[indicator_id])
        return found

    def staged_ahead(self, indicator_id: str) -> bool:
        """Stage the indicator for the current audience here, in a worker that is through with its own audiences, for the
        worker that makes this one, which then reads it (:mod:`lisite.sharing`); not when a worker has staged it already
        (and left it), nor for hand-made results. Whether it was staged here."""
        if indicator_id not in self.indicators or (self.audience.id, indicator_id) in self.staged_cache or len(self._group(indicator_id)) > 1:
            return False
        _, frame, joint, earlier, shared = self._to_stage(indicator_id)
        if shared is None:
            return False
        with sharing.claimed(shared, wait=False) as held:  # not one the other worker (or a third) is staging now
            if not held or sharing.offered(shared):
                return False
            offer_staged(shared, lambda: self._stage(indicator_id, frame, joint, earlier))
        return True

    def shown_before(self, indicator_id: str) -> tuple[Shown, ...]:
        """What the current audience's earlier reports (``arkiv/``) showed of the indicator, oldest first: known to
        its reader, so its suppression accounts for it (:mod:`lisite.earlier`). For a count, in each report beside it
        what it showed of the other counts that count the same (:meth:`_alike`, before it or after): a cell one of them
        showed is known of this one's too (three counts of the leaders' active cases by team, each with its own
        breakdown, read together). Not for a share: a count it showed says nothing of how many of them are of a kind."""
        records = self._earlier_records()
        if not records:
            return ()
        others = [other for other in self._alike(indicator_id, staged_first=False) if _a_count(self.all_indicators[other])
                  and self._same_periods(indicator_id, other)] if _a_count(self.all_indicators[indicator_id]) else []
        columns = {other: frozenset(("", *self._summed(other)[1].columns)) for other in others}
        return tuple(shown for record in records for shown in ([record[indicator_id]] if indicator_id in record else [])
                     + [replace(record[other], columns=columns[other]) for other in others if other in record])

    def _same_periods(self, indicator_id: str, other: str) -> bool:
        """Do the two have the same periods and 12-month sums (what an earlier report showed of the one is then known of
        the other: not of a figure for the current month only, beside one with a figure for every month)?"""
        (joint, months, mine), (their_joint, their_months, theirs) = self._totals(indicator_id), self._totals(other)
        return joint == their_joint and months == their_months and mine[False].keys() == theirs[False].keys()

    def _earlier_records(self) -> tuple[dict[str, Shown], ...]:
        """Each of the current audience's earlier reports: what it showed of each indicator, oldest first."""
        if self.archive is None or self.audience is None:
            return ()
        key = ("earlier", self.audience.id)
        records = self.derived.get(key)
        if records is None:
            records = []
            kept = self.archive.figures.get(self.audience.id, {})
            same: dict = {}  # the cells every record names: held once
            for period, files in sorted(self.archive.sites.get(self.audience.id, {}).items()):  # by period
                record = read_record(files[RECORD], same) if RECORD in files else None
                if record is None:
                    continue
                read_from = hashlib.sha256(files[RECORD]).hexdigest()
                figures = read_figures(kept[period], same) if period in kept else None  # (its true figures, where kept)
                name = "" if figures is None else hashlib.sha256(kept[period]).hexdigest()
                records.append({indicator: replace(shown, record_id=read_from,
                                                   figures=None if figures is None else figures.get(indicator),
                                                   figures_id=name if figures is not None and indicator in figures else "")
                                for indicator, shown in record.items()})
            records = self.derived[key] = tuple(records)
        return records

    def _monthly(self, frame: pd.DataFrame, result_key: Any) -> bool:
        """Are the result's periods months (``YYYY-MM``)? Kept by the result's content key (``result_keys``): an edit under
        ``lisite serve`` asks it again for each indicator the audiences it makes again show."""
        return monthly(frame) if result_key is None else self.cache.get_or_make(MemoKey(None, ("monthly", result_key)),
                                                                                 lambda: monthly(frame))

    def shown_periods(self, indicator_id: str) -> list[str]:
        """The periods the indicator is shown over for the current audience, oldest first: from the first
        period its compute asked for to the reporting period (months) or its last figure (years). A period
        here whose total has no figure is "ingen data", never 0."""
        def make() -> list[str]:
            total = self.staged(indicator_id).total()
            return shown_periods(self.all_indicators[indicator_id].periods, list(total["period"].astype(str)), self.config.period)

        return list(self._derived("shown_periods", indicator_id, make))

    def last_12_months(self, indicator_id: str) -> pd.DataFrame | None:
        """The indicator's last 12 months added up, as the current audience may see them (:meth:`staged` with
        ``window=12``: one row for the total, its ``period`` the last month, with ``first``, the first), for a figure
        whose months add up (``Indicator.events``) and not per 1,000 children (the children are not 12 times as many).
        What a page, a tile and "Siden sidste møde" name when the latest month is hidden. ``None`` otherwise, also when
        the last 12 periods are not 12 months in a row."""
        indicator = self.all_indicators.get(indicator_id)
        if indicator is None or not indicator.events or indicator.unit == "pr_1000" or indicator_id not in self.indicators:
            return None
        found = self._derived("last_12_months", indicator_id, lambda: self._last_12_months(indicator_id))
        return None if found is None else found.copy(deep=False)  # a caller may change its copy, not the one kept

    def _last_12_months(self, indicator_id: str) -> pd.DataFrame | None:
        months = sorted(self.staged(indicator_id).total()["period"].astype(str).unique())[-WINDOW:]
        if len(months) < WINDOW or not all(MONTH.fullmatch(m) for m in months):
            return None
        if len(pd.period_range(months[0], months[-1], freq="M")) != WINDOW:
            return None
        return self.staged(indicator_id, window=WINDOW).total().assign(first=months[0])

    def process(self, indicator_id: str) -> spc.Process | None:
        """The indicator's monthly total for the current audience read as a process (an XmR chart over
        :meth:`shown_periods`, see :mod:`lisite.spc`), or ``None`` when it is not monthly, is year-to-date
        or has too few months. Hidden months count in nothing. The text under a chart and the chart use it."""
        return self._derived("process", indicator_id, lambda: spc.for_indicator(
            self.all_indicators[indicator_id], self.staged(indicator_id).total(), self.shown_periods(indicator_id)))

    def _derived(self, what: str, indicator_id: str, make: Any) -> Any:
        """``make()`` once per build for the current audience and indicator (the audience's data and figures
        do not change during a build; a new build has a new context). Kept between builds of ``lisite serve``
        with the datasets and results it read, and made again when one of them changed."""
        key = (what, self.audience.id if self.audience else None, indicator_id)
        if key not in self.derived:
            store = self.kept_derived()
            kept = store.get((what, indicator_id)) if store is not None else None
            if kept is not None and self.reads.same(kept[1]):  # under serve: the datasets and results it read are the same
                value, reads = kept
                if what != "target":
                    self.staged(indicator_id)  # as making it would have: the manifest lists what was staged
            else:
                with self.reads.recording() as reads:
                    value = make()
                reads = dict(reads)
                if store is not None:
                    store[(what, indicator_id)] = (value, reads)
            self.derived[key], self.derived[("reads", *key)] = value, reads
        self.reads.note(self.derived.get(("reads", *key), {}))  # a later caller depends on what it was worked out from, too
        return self.derived[key]

    def kept_derived(self) -> dict[tuple[str, str], tuple[Any, dict]] | None:
        """The current audience's worked-out figures (targets, periods shown, processes) as earlier builds left them,
        each with the datasets and results it read: one cache entry per audience, taken at the start of its build so
        that it is kept as long as the audience is built. ``None`` for a context made by hand."""
        if self.inputs is None or self.audience is None:
            return None
        key = ("kept", self.audience.id)
        if key not in self.derived:
            self.derived[key] = self.cache.get_or_make(MemoKey(self.inputs.without_data(), ("derived", self.audience)), dict)
        return self.derived[key]

    def kept(self, key: Any, make: Any, shared: bool = True) -> Any:
        """``make()``, kept between builds while the config, code and texts are the same and the datasets and results it
        read are too. Only for lisite's own parts that read the data through this context alone (a plugin's ``make`` may
        use a frame it read before: :meth:`memo` keys by every dataset).

        ``key`` may be a function that returns the key, or ``None`` for a value not to keep: it is called only when a
        later build may ask for the value (``lisite serve``), so a one-off build does not work out a key it cannot use
        (a hash of the rows a page shows, :func:`lisite.calc.content_key`).

        ``shared=False``: each worker of a build makes its own (:mod:`lisite.sharing`), for a value made of the data's
        own objects (a column's values, which hold its strings): read from another worker, it would be a copy of each of
        them (for a large municipality's ids, hundreds of thousands of new strings in each worker, some 40 MiB)."""
        if callable(key):
            key = key() if self.inputs is not None and self.cache.lasting else None
            if key is None:
                return make()
        return make() if self.inputs is None else tracking.kept(self.cache, self.reads, MemoKey(self.inputs.without_data(), key),
                                                                make, share=shared)

    def memo(self, key: Any, make: Any) -> Any:
        """``make()``, kept for the same ``key`` while the data, config, plugins and texts are unchanged.

        For work a plugin repeats in every build of ``lisite serve`` (the leak check's forbidden values).
        ``key`` must hold everything else the value depends on (the audience, a file's hash, ...).
        The datasets and results ``make`` read, and the cache entries it used (another ``memo`` inside it), are kept
        with the value: a part that uses it depends on them too, and a build that reuses it keeps them.
        """
        return tracking.memo(self.cache, self.reads, MemoKey(self.inputs, key), make)

    def cache_folder(self, name: str) -> Path:
        """A folder of its own in lisite's cache folder (``LISITE_CACHE``, else ``~/.cache/lisite``), made
        on first use, for what a plugin keeps between builds and processes and can always make again
        (the leak check's records of files that passed). Name what is kept by the hash of everything it
        was made from: the folder outlives the data, the config and the plugin's code."""
        if not name or not name.replace("_", "").replace("-", "").isalnum():
            raise ValueError(f"cache_folder: '{name}' is not a plain name (letters, digits, - and _)")
        folder = cache_dir() / "plugins" / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def target(self, indicator_id: str) -> float | None:
        """The current target for an indicator: from the goals data, else the indicator's default."""
        return self._derived("target", indicator_id, lambda: self._target(indicator_id))

    def _target(self, indicator_id: str) -> float | None:
        goals = self.data.get("maal")  # read for every target: each depends on the goals
        if goals is not None and len(goals):
            latest = self._latest_goals(goals)
            if indicator_id in latest:
                return latest[indicator_id]
        return self.all_indicators[indicator_id].target

    def _latest_goals(self, goals: pd.DataFrame) -> dict[Any, float]:
        """Each indicator's goal for the latest year up to the report's in ``goals``, worked out once for the frame
        (an audience asks for every indicator's target): the rows of one indicator as a filter would find them."""
        key = ("latest goals", id(goals))
        found = self.derived.get(key)
        if found is None or found[0] is not goals:
            upto = goals[goals["aar"] <= self.config.year]
            latest = {indicator: float(rows.sort_values("aar").iloc[-1]["maal"])
                      for indicator, rows in upto.groupby("indikator", sort=False)}
            found = self.derived[key] = (goals, latest)  # the frame kept with it: its id is not used again meanwhile
        return found[1]

    def settings(self, plugin: str) -> dict[str, Any]:
        return self.config.plugin_settings.get(plugin, {})


def content_words(lang: str) -> Translator:
    """lisite's catalogue in ``lang`` (Danish for a language it has not): the words of an error in a text."""
    return Translator(lang if lang in LANGUAGES else "da")


def read_text(path: Path, name: str, lang: str = "da") -> str:
    """A content file's text: UTF-8, with or without the byte order mark Windows' Notepad writes (which would hide
    the front matter's first +++ line); another encoding is an error naming the file."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BuildError(content_words(lang)("content.not_utf8", name=name, byte=f"{data[exc.start]:02X}", line=line)) from None


def split_front(text: str, name: str = "", lang: str = "da") -> tuple[dict[str, Any], str]:
    """(front matter, body) of a text: TOML between a first line ``+++`` and the next ``+++`` line."""
    if not text.startswith("+++"):
        return {}, text
    head, sep, body = text[3:].partition("\n+++")
    if not sep:
        raise BuildError(content_words(lang)("content.front_unclosed", name=name))
    try:
        front = tomllib.loads(head)
    except tomllib.TOMLDecodeError as exc:
        raise BuildError(content_words(lang)("content.front_toml", name=name, error=exc)) from None
    return front, body.lstrip("\n")



def limit(frames: dict[str, pd.DataFrame], datasets: Mapping[str, Dataset], limits: tuple[tuple[str, str], ...]) -> dict[str, pd.DataFrame]:
    """The datasets cut down to one part of the organisation (``limits``: level column → value).

    A frame with the limiting columns is filtered on them; one with ``sags_id`` keeps the cases of
    that part (from ``sager``); one with ``team`` keeps that part's teams. A frame with none of these
    keeps its rows only when it holds nothing about persons (e.g. the national benchmark); otherwise
    it is left empty, so nothing outside the audience's part can reach its pages.
    """
    cases = frames.get("sager")
    case_ids: set | None = None
    teams: set | None = None
    if cases is not None and all(column in cases.columns for column, _ in limits):
        inside = cases[_matches(cases, limits)]
        case_ids, teams = set(inside["sags_id"]), set(inside["team"]) if "team" in inside.columns else None
    out = {}
    for name, frame in frames.items():
        if all(column in frame.columns for column, _ in limits):
            out[name] = frame[_matches(frame, limits)]
        elif "sags_id" in frame.columns and case_ids is not None:
            out[name] = frame[frame["sags_id"].isin(case_ids)]
        elif "team" in frame.columns and teams is not None:
            out[name] = frame[frame["team"].isin(teams)]
        elif not any(column.person_level for column in datasets[name].spec.columns):
            out[name] = frame
        else:
            out[name] = frame.iloc[0:0]
    return out


def _matches(frame: pd.DataFrame, limits: tuple[tuple[str, str], ...]) -> pd.Series:
    hit = pd.Series(True, index=frame.index)
    for column, value in limits:
        hit &= frame[column].astype(str) == value
    return hit
