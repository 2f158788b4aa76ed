"""The typed objects that pass between build stages and plugins.

Plugins build these and hand them to the engine through the hooks in
:mod:`lisite.hookspecs`. They are plain dataclasses: no behaviour that a
plugin author has to learn beyond the fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Literal

if TYPE_CHECKING:  # only named in annotations: a command that reads no data need not import pandas
    import pandas as pd

#: Column types a dataset spec may declare.
ColumnType = Literal["str", "int", "float", "date", "datetime", "bool", "period"]

#: Detail levels, coarsest first. An audience sees data aggregated to its level.
LEVELS: tuple[str, ...] = ("municipality", "area", "team", "caseworker", "case")

#: The levels of everyone who reads management figures: committee, directors and managers, not caseworkers.
READERS: tuple[str, ...] = ("municipality", "area", "team", "caseworker")

#: Managers: every level that sees figures per area, team or caseworker (not the committee, not caseworkers).
MANAGERS: tuple[str, ...] = ("area", "team", "caseworker")

#: The columns an indicator frame may carry for each level below municipality.
LEVEL_COLUMNS: dict[str, str] = {
    "area": "omraade",
    "team": "team",
    "caseworker": "sagsbehandler_id",
    "case": "sags_id",
}

#: The five indicator themes.
THEMES: dict[str, str] = {
    "administration": "Administration",
    "indsatser": "Indsatser",
    "maalgrupper": "Målgrupper",
    "resultater": "Resultater",
    "oekonomi": "Økonomi",
}

#: The eight core elements of the national model.
ELEMENTS: dict[str, str] = {
    "styringsgrundlag": "Politisk styringsgrundlag",
    "organisering": "Organisering og tværfagligt samarbejde",
    "faglig_udvikling": "Faglig udvikling",
    "tilrettelaeggelse": "Tilrettelæggelse af arbejdet",
    "opfoelgning": "Opfølgning",
    "politisk_styring": "Politisk prioritering og styring",
    "administrativ_styring": "Administrativ og faglig styring",
    "oekonomisk_styring": "Økonomisk styring og afrapportering",
}

@dataclass(frozen=True)
class Unit:
    """Everything lisite knows about a unit, in one place (its words are in the catalogue: ``unit.<name>``).

    ``scale``: value = numerator / denominator × scale (``None``: the value is the numerator);
    ``n``: what counts the children behind a cell by default (for suppression); ``digits``: decimals shown.
    """

    scale: float | None
    n: str | None
    digits: int

    @property
    def ratio(self) -> bool:
        """A share, rate or average: a value made from a numerator and a denominator."""
        return self.scale is not None

    @property
    def chart_format(self) -> str:
        """The d3 number format of the unit's values in charts."""
        return f",.{self.digits}f"


#: The units an indicator may have (``mio_kr`` is for showing money in millions, not for indicators).
UNITS: dict[str, Unit] = {
    "antal": Unit(None, "numerator", 0),
    "pct": Unit(100.0, "denominator", 1),
    "pr_1000": Unit(1000.0, "numerator", 1),
    "kr": Unit(None, None, 0),
    "kr_gns": Unit(1.0, "denominator", 0),
    "gns": Unit(1.0, "denominator", 1),
    "dage": Unit(1.0, "denominator", 0),
}
SHOWN_UNITS: dict[str, Unit] = {**UNITS, "mio_kr": Unit(None, None, 1)}


class Lines(tuple):
    """File line numbers of a frame's rows, kept in ``frame.attrs["lines"]``.

    Immutable and shared rather than copied: pandas deep-copies ``attrs`` on
    every operation, which for a plain list costs more than the operation.
    """

    def __deepcopy__(self, memo: dict) -> Lines:
        return self

    def __copy__(self) -> Lines:
        return self


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its name in the file, type and whether it may be empty.

    Every text column is one of three kinds: a category (the default: few values, shown in counts),
    ``person_level`` (an id or a name) or ``free_text`` (sentences people wrote, which may name a child:
    only case-level audiences see them, and the leak check searches every other audience's files for them).
    """

    name: str
    type: ColumnType = "str"
    required: bool = True
    description: str = ""
    choices: tuple[str, ...] = ()
    person_level: bool = False  # identifies a child, case or employee: see ``level``
    level: str = "case"  # the coarsest audience level allowed to see a person-level value
    unique: bool = False  # an id: each value may appear in one row only (a repeat is a warning)
    min: float | None = None  # the smallest allowed number (e.g. 0 for prices and counts)
    references: str = ""  # "dataset.column" whose values this column must be among (else a warning)
    planned: bool = False  # a planned date (deadline, agreed end): may lie after the reporting period
    free_text: bool = False  # written by people (findings, notes): may name anyone; case level only, never aggregated
    indicator: bool = False  # holds indicator ids (a goal's indicator): each must be a registered indicator (else a warning)
    #: a figure in the unit of the row's indicator (the column with ``indicator``): a goal, a baseline. One a share of
    #: children can never be (below 0 or above 100 %) is named in a warning
    indicator_value: bool = False

    def __post_init__(self) -> None:
        if self.free_text:
            if self.level != "case":
                raise ValueError(f"column {self.name!r}: free text is shown at case level only, not {self.level!r}")
            object.__setattr__(self, "person_level", True)  # limited, checked and leak-scanned like an id


@dataclass(frozen=True)
class DatasetSpec:
    """What a dataset must look like. Declared by plugins, checked by the engine."""

    name: str
    title: str
    columns: tuple[Column, ...]
    description: str = ""
    required: bool = True
    #: (start, end) column pairs: an end before its start is reported as a warning
    order: tuple[tuple[str, str], ...] = ()
    #: column combinations that name a row (a goal's year and indicator): one in more than one row is a warning
    unique: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        names = {col.name for col in self.columns}
        for pair in self.order:
            unknown = [name for name in pair if name not in names]
            if len(pair) != 2 or unknown:
                raise ValueError(f"dataset {self.name!r}: order needs (start, end) pairs of its own columns, not {pair!r}")
        for key in self.unique:
            if not key or any(name not in names for name in key):
                raise ValueError(f"dataset {self.name!r}: unique needs tuples of its own columns, not {key!r}")
        for col in self.columns:
            if col.references and col.references.count(".") != 1:
                raise ValueError(f"dataset {self.name!r}: column {col.name!r} references must be 'dataset.column', not {col.references!r}")

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


@dataclass
class Problem:
    """A data or configuration problem found by a check, in the user's words.

    ``message`` is in the site's language (a plugin words it with ``lisite.fmt.words(config.language)``);
    ``lang`` is the language ``str()`` writes where it is in: "data/x.csv, række 3, kolonne 'antal': …"
    ("row 3, column 'antal'" in English). The engine sets ``lang`` to the site's language on every
    problem it collects.
    """

    message: str
    file: str = ""
    row: int | None = None  # 1-based line number in the file, header counted
    column: str = ""
    severity: Literal["error", "warning"] = "error"
    dataset: str = ""
    header: str = ""  # the column's header in the file, when the source maps it to ``column``
    lang: str = field(default="da", compare=False, repr=False)

    def place(self) -> tuple[str, int, str]:
        """(file, row, column): the order problems are listed in, by ``lisite check`` and in a build's data error."""
        return self.file or "", self.row or 0, self.column or ""

    def where(self) -> str:
        """File, row and column, in ``lang``: ``data/x.csv, række 3, kolonne 'Sags-ID' (sags_id)``."""
        from lisite.fmt import words  # lisite.fmt imports this module

        t = words(self.lang)
        column = t("problems.column", column=self.column) if self.column else ""
        if self.column and self.header and self.header != self.column:
            column = t("problems.column_header", header=self.header, column=self.column)
        row = t("problems.row", row=self.row) if self.row else ""
        return ", ".join(p for p in (self.file, row, column) if p)

    def __str__(self) -> str:
        prefix = self.where()
        return f"{prefix}: {self.message}" if prefix else self.message


def in_language(problems: list[Problem], lang: str) -> list[Problem]:
    """Mark ``problems`` as written in ``lang`` (what ``str()`` words their place in); returns them."""
    for problem in problems:
        problem.lang = lang
    return problems


@dataclass
class Dataset:
    """A loaded, typed dataset and where it came from."""

    spec: DatasetSpec
    frame: pd.DataFrame
    path: str  # as given in config, relative to the site root
    sha256: str = ""
    extracted: str = ""  # extraction date as reported by the file or config
    rows: dict[int, int] = field(default_factory=dict)  # frame index -> line number in file
    prepared: str = ""  # hash of the frame a lisite_prepare hook put in place of the file's (empty: as loaded)


@dataclass(kw_only=True)
class Indicator:
    """A key figure (nøgletal).

    ``compute(ctx)`` returns a tidy frame with the columns ``period`` (str),
    any of ``dimensions``, any level columns (see :data:`LEVEL_COLUMNS`) it
    breaks down by, ``numerator`` and, for rates and shares, ``denominator``.
    It may add ``n``: the number of children or cases behind a cell, used
    for disclosure control; by default ``n`` follows the unit (see
    :data:`UNITS`). The engine aggregates the frame to each audience's level,
    computes ``value`` and suppresses small counts: plugins never do that.
    """

    id: str
    theme: str
    element: str
    unit: str
    compute: Callable[..., pd.DataFrame] | None = None
    count: Any = None  # a lisite.Count: how to count it, instead of ``compute``
    title: str = ""  # from the text file content/indikatorer/<id>.md (front matter), like the prose below
    better: Literal["higher", "lower", "neither"] = "neither"
    definition: str = ""
    source: str = ""
    collection: str = "Udtræk fra sagssystemet"
    shown_to: tuple[str, ...] = READERS  # the audience levels that see it (see :data:`LEVELS`)
    frequency: str = "måned"
    dimensions: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    chart: Callable[..., Any] | None = None
    key_figure: bool = False  # a candidate for the committee's front page
    numerator: str = ""
    denominator: str = ""
    base: str = ""  # what the denominator counts, as a plural noun after "af 37" ("undersøgelser"), from the text file
    benchmark: str = ""  # the benchmark figure with the same meaning: a name in content/sammenligninger/noegletal.toml
    target: float | None = None  # default target when no goal is set in the data
    datasets: tuple[str, ...] = ()  # filled in by the engine: the datasets compute() read
    periods: tuple[str, ...] = ()  # filled in by the engine: the periods compute() asked for (ctx.months(), ctx.years())
    cumulative: bool = False  # a year-to-date figure: compared with the same month last year
    #: each month's figure counts that month's events (notifications received, investigations finished), so months
    #: add up: a hidden month's page and tile then name the last 12 months together. Default: a ``Count`` with ``date=``
    events: bool | None = None
    counts: bool = True  # numerator and denominator count children or cases (False for money)
    #: a share (``pct``) of children or staff of a kind (in family care, placed without consent, left this year): its
    #: numerator and the rest count them as a breakdown would, so a month where either is 1 to min_count - 1 is hidden
    #: ("skjult"), as its "Tæller" and "Nævner" would give that small count away. False for a share of casework done in
    #: time or right (notifications assessed within 24 hours): the rest is the administration's, not a kind of child, and
    #: hiding each month with a few late would leave only the good months to see.
    parts: bool = True
    plugin: str = ""  # filled in by the engine

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"indicator {self.id!r}: unknown unit {self.unit!r}, allowed: {', '.join(UNITS)}")
        if self.theme not in THEMES:
            raise ValueError(f"indicator {self.id!r}: unknown theme {self.theme!r}, allowed: {', '.join(THEMES)}")
        if self.element not in ELEMENTS:
            raise ValueError(f"indicator {self.id!r}: unknown core element {self.element!r}, allowed: {', '.join(ELEMENTS)}")
        if self.better not in ("higher", "lower", "neither"):
            raise ValueError(f"indicator {self.id!r}: better must be higher, lower or neither")
        for level in self.levels:
            if level not in LEVEL_COLUMNS:
                raise ValueError(f"indicator {self.id!r}: unknown level {level!r}")
        if isinstance(self.shown_to, str):
            self.shown_to = (self.shown_to,)
        if self.events is None:
            self.events = bool(getattr(self.count, "date", ""))
        for level in self.shown_to:
            if level not in LEVELS:
                raise ValueError(f"indicator {self.id!r}: shown_to names {level!r}, which is not a level ({', '.join(LEVELS)})")


# --- Page content blocks --------------------------------------------------------


@dataclass
class Markdown:
    """Markdown text: inline ``text``, or a file under ``content/`` named by ``source``."""

    text: str = ""
    source: str = ""


@dataclass
class IndicatorView:
    """An indicator shown with chart, explanation and table, as staged for the audience."""

    indicator: str
    by: str = ""  # a dimension or level column to split by, if any
    kind: Literal["auto", "line", "bar", "stacked"] = "auto"
    last: int | None = None  # show only the last N periods
    caveat: str = ""  # content file with the authored caveat (default: indicators/<id>.md)


@dataclass
class KeyFigures:
    """Tiles with value, direction since last period and status against target.

    ``front=True`` makes the front page's short tiles: each links to the page that shows its
    indicator, draws its course as a small line, and carries the lines other plugins add
    (hook ``lisite_tile_lines``); the tiles plugins return from ``lisite_front_tiles`` follow.
    """

    indicators: tuple[str, ...]
    front: bool = False


@dataclass(frozen=True)
class Tile:
    """A front-page tile for a figure that is not an indicator (e.g. the year's expected result).

    ``link`` is a page path of the audience's site (``elementer/x.html`` or ``x.html#part``); the
    tile links to it only when the audience has that page. ``kind`` styles the stripe: ``""``
    (grey), ``"ok"`` or ``"off"``. Every text is in the site's language (``ctx.t``).
    """

    title: str
    value: str
    lines: tuple[str, ...] = ()
    link: str = ""
    kind: str = ""


@dataclass
class Table:
    """A table of prepared rows. Rows with person-level columns need ``person_level=True``.

    Name the columns that count people in ``counts``: the engine shows counts below the
    audience's ``min_count`` as "under N", with secondary suppression within each column.
    """

    frame: pd.DataFrame
    caption: str = ""
    person_level: bool = False
    formats: dict[str, str] = field(default_factory=dict)  # column -> unit for number formatting
    counts: tuple[str, ...] = ()  # columns counting children, cases or staff: the engine hides small ones


@dataclass
class ChartBlock:
    """A free-standing Altair chart with its text description.

    Give the chart's numbers as ``table`` (a :class:`Table`): the page shows it under the
    chart and readers can download it as CSV and Excel, like every other table.
    """

    chart: Any
    description: str
    title: str = ""
    caption: bool = True  # show the description under the chart (else only to screen readers)
    table: Table | None = None  # the chart's numbers, shown as a table and offered as files


@dataclass
class Deferred:
    """Blocks made once every plugin's pages for the audience exist: ``make(ctx)`` returns a list of blocks.

    Use it to link to other plugins' pages: ``ctx.pages`` then holds the audience's pages by path.
    """

    make: Callable[..., list[Any]]


Block = Markdown | IndicatorView | KeyFigures | Table | ChartBlock | Deferred


@dataclass
class Page:
    """One HTML page of an audience's site."""

    path: str  # relative to the audience's root, e.g. "oekonomi/index.html"
    title: str
    blocks: list[Any] = field(default_factory=list)
    section: str = ""  # navigation section title
    order: int = 100
    template: str = "page.html"
    intro: str = ""
    plugin: str = ""  # filled in by the engine
    extra: dict[str, Any] = field(default_factory=dict)
    nav: bool = True  # listed in the navigation (False for pages reached from an index page)


@dataclass(frozen=True)
class Audience:
    """A recipient group with its own site."""

    id: str
    title: str
    level: str = "municipality"
    min_count: int = 5
    pages: tuple[str, ...] = ("*",)
    description: str = ""
    filter: tuple[tuple[str, str], ...] = ()  # (level column, value): the part of the organisation it sees

    def sees(self, level: str) -> bool:
        """True when this audience sees figures at ``level`` (its own level or a coarser one)."""
        return LEVELS.index(level) <= LEVELS.index(self.level)

    @property
    def level_columns(self) -> tuple[str, ...]:
        """The level columns this audience may see, coarsest first."""
        allowed = LEVELS[1 : LEVELS.index(self.level) + 1]
        return tuple(LEVEL_COLUMNS[level] for level in allowed)
