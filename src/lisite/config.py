"""Read and check ``lisite.toml``.

Every key is declared below with its type and default. An unknown key or a
value of the wrong type gives one :class:`ConfigError` that names the key and
says what is allowed.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lisite import dbsource  # a database source's own keys and checks
from lisite.errors import ConfigError
from lisite.i18n import LANGUAGES, Translator
from lisite.model import LEVEL_COLUMNS, LEVELS, Audience

CONFIG_FILE = "lisite.toml"

DEFAULT_AUDIENCES: dict[str, dict[str, Any]] = {
    "udvalg": {
        "title": "Udvalget",
        "level": "municipality",
        "min_count": 5,
        "description": "Det politiske fagudvalg: kommunens samlede tal, mål og sammenligninger.",
    },
    "direktion": {
        "title": "Direktionen",
        "level": "area",
        "min_count": 5,
        "description": "Direktør og børne- og ungechef: tal for hele kommunen og pr. område, økonomi.",
    },
    "ledere": {
        "title": "Ledere",
        "level": "caseworker",
        "min_count": 5,
        "description": "Afdelings- og teamledere: tal pr. team og sagsbehandler.",
    },
    "sagsbehandlere": {
        "title": "Sagsbehandlere",
        "level": "case",
        "min_count": 1,
        "description": "Sagsbehandlere: egne sager med frister (kun pseudonyme sagsnumre).",
    },
}

# section -> key -> (type or tuple of types, default). "..." marks a required key.
SCHEMA: dict[str, dict[str, tuple[Any, Any]]] = {
    "site": {
        "title": (str, "Ledelsesinformation om børn og unge med særlige behov"),
        "language": (str, "da"),
        "theme": (str, "default"),
        "synthetic": (bool, False),
        "output": (str, "_site"),
        "content": (str, "content"),
    },
    "municipality": {"code": (int, ...), "name": (str, ...)},
    "period": {"current": (str, ...), "first": (str, "")},
    "comparison": {
        "municipalities": (list, []),
        "k": (int, 7),
        "variables": (list, ["socio_indeks", "boern_0_17"]),
        "national": (str, "weighted"),
    },
    "plugins": {"disabled": (list, []), "paths": (list, ["plugins"])},
    "measures": {"catalogue": (str, "")},
    # the units a site expects in its data; a value not listed is a warning (a typo). Empty: anything goes
    "organisation": {"omraade": (list, []), "team": (list, [])},
    # the PDF meeting pack (lisite pdf): the audience it packs when --audience is not given, where it is written,
    # and which of the audience's pages it holds (patterns of their paths, as an audience's pages; empty = every page)
    "pdf": {"audience": (str, ""), "output": (str, ""), "pages": (list, [])},
}
AUDIENCE_KEYS: dict[str, tuple[Any, Any]] = {
    "title": (str, ...),
    "level": (str, "municipality"),
    "min_count": (int, 5),
    "pages": (list, ["*"]),
    "description": (str, ""),
    "filter": (dict, {}),
}
SOURCE_KEYS: dict[str, tuple[Any, Any]] = {
    "path": (str, ""),
    "outside": (bool, False),  # true: path may point outside the site folder (said on purpose, per source)
    "format": (str, ""),
    "sep": (str, ""),  # "": found from the file (; tab | ,)
    "decimal": (str, ""),  # "": found from each column's numbers (see lisite.numbers)
    "encoding": (str, ""),  # "": found from the file (BOM, UTF-8, else Windows-1252)
    "header_row": (int, 0),
    "sheet": (str, ""),
    "query": (str, ""),
    "extracted": (str, ""),
    "columns": (dict, {}),  # model column -> the export's header
    "values": (dict, {}),  # model column -> {the export's value -> the model's value}
    # Danmarks Statistik (see lisite.dst): kind = "dst" reads one StatBank table, "dst-benchmark" the benchmark recipe
    "kind": (str, ""),
    "table": (str, ""),
    "select": (dict, {}),  # variable code -> list of value codes ("*" = all)
    "years": (list, []),
    "socio_indeks": (str, ""),  # dst-benchmark: a CSV in the site with kommunekode;aar;socio_indeks (not in StatBank)
    # a database source (see lisite.dbsource): where, what, and how it is named and numbered
    "url": (str, ""),
    "url_env": (str, ""),
    "row_number": (str, ""),
    "label": (str, ""),
}
SOURCE_KINDS = ("", "dst", "dst-benchmark")
PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class SourceConfig:
    """One ``[sources.<name>]`` table: where a dataset comes from and how to read it."""

    name: str
    path: str = ""
    outside: bool = False  # the path may lie outside the site folder
    format: str = ""
    sep: str = ""
    decimal: str = ""
    encoding: str = ""
    header_row: int = 0  # 1-based line of the header; 0 = find it
    sheet: str = ""
    query: str = ""
    extracted: str = ""
    columns: tuple[tuple[str, str], ...] = ()  # (model column, header in the file)
    values: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (model column, ((file value, model value), ...))
    kind: str = ""  # "" a file or SQL query; "dst" a StatBank table; "dst-benchmark" the benchmark recipe
    table: str = ""
    select: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (variable code, (value codes, ...))
    years: tuple[int, ...] = ()
    socio_indeks: str = ""
    url: str = ""  # a database's SQLAlchemy address, with ${NAME} for what the environment holds
    url_env: str = ""  # or: the environment variable that holds the whole address
    row_number: str = ""  # the column that numbers the rows in messages (not loaded as data)
    label: str = ""  # how pages and messages name the source (default: the path, or the table)

    @property
    def described(self) -> str:
        """How pages and messages name the source: ``label``, else the file, the table or ``sources.<name>``."""
        return self.label or self.path or self.table or f"sources.{self.name}"

    @property
    def column_map(self) -> dict[str, str]:
        """Model column → the export's header, from ``[sources.<name>.columns]``."""
        return dict(self.columns)

    @property
    def value_map(self) -> dict[str, dict[str, str]]:
        """Model column → {the export's value → the model's value}, from ``[sources.<name>.values.<column>]``."""
        return {column: dict(pairs) for column, pairs in self.values}

    def header_of(self, column: str) -> str:
        """The header the export uses for a model column (the column's own name unless mapped)."""
        return self.column_map.get(column, column)

    def header_index(self, rows: list[list[Any]], spec: Any) -> int:
        """The 0-based index of the header among ``rows`` (cells of the file's first lines).

        The header is the row that names most of the dataset's columns (as mapped, case and
        surrounding spaces ignored), so title lines above it are skipped. When no row names
        any, the first of the fullest rows (a title line has one cell; the header has them all),
        so the problem about missing columns lists the file's real headers.
        """
        wanted = {header_key(self.header_of(col.name)) for col in spec.columns}
        cells = [[header_key(str(cell).strip().strip('"')) for cell in row] for row in rows[:20]]
        best, best_count = 0, 0
        for i, row in enumerate(cells):
            count = len(wanted & set(row))
            if count > best_count:
                best, best_count = i, count
        if best_count == 0 and cells:
            filled = [sum(1 for cell in row if cell) for row in cells]
            best = filled.index(max(filled))
        return best


def header_key(text: str) -> str:
    """A header as compared with the expected one: case and surrounding spaces ignored."""
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class Config:
    """The whole site configuration, checked."""

    site_dir: Path
    title: str
    language: str
    theme: str
    synthetic: bool
    output: str
    content: str
    municipality_code: int
    municipality_name: str
    period: str  # "YYYY-MM": the last month of the reporting period
    first_period: str
    audiences: dict[str, Audience]
    sources: dict[str, SourceConfig]
    comparison_municipalities: tuple[int, ...] = ()
    comparison_k: int = 7
    comparison_variables: tuple[str, ...] = ("socio_indeks", "boern_0_17")
    comparison_national: str = "weighted"
    disabled_plugins: tuple[str, ...] = ()
    plugin_paths: tuple[str, ...] = ("plugins",)
    plugin_settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    measures_catalogue: str = ""  # the site's own measure catalogue (CSV), relative to site_dir
    organisation: dict[str, tuple[str, ...]] = field(default_factory=dict)  # level column -> expected units
    pdf_audience: str = ""  # [pdf] audience: what ``lisite pdf`` packs without --audience
    pdf_output: str = ""  # [pdf] output: the PDF's path, relative to site_dir ("" = <audience>.pdf)
    pdf_pages: tuple[str, ...] = ()  # [pdf] pages: the pages the pack holds, as patterns of their paths (() = all)
    period_auto: bool = False  # [period] current = "auto": ``period`` is the month before the build's (see AUTO)

    @property
    def output_dir(self) -> Path:
        return (self.site_dir / self.output).resolve()

    @property
    def content_dir(self) -> Path:
        return (self.site_dir / self.content).resolve()

    @property
    def year(self) -> int:
        return int(self.period[:4])

    @property
    def month(self) -> int:
        return int(self.period[5:7])


#: ``[period] current = "auto"``: the month before the one lisite runs in, so a nightly build moves on to a new month
#: by itself. An export that does not reach that month's end then stops the build, and the site stays as it was
#: until the new exports are there (:mod:`lisite.crosschecks`): no page says "data to October" over September's data.
AUTO = "auto"


def today() -> datetime.date:
    """The day lisite runs (one function, so a test can set it)."""
    return datetime.date.today()


def month_before(day: datetime.date) -> str:
    """``YYYY-MM`` of the month before ``day``'s: 2026-12-03 → 2026-11, 2027-01-01 → 2026-12."""
    return f"{day.replace(day=1) - datetime.timedelta(days=1):%Y-%m}"


def for_period(config: Config, period: str) -> Config:
    """``config`` for another reporting month than ``[period] current`` (``lisite demo``'s report for the last
    meeting), checked as that setting is."""
    token = _LANGUAGE.set(config.language)
    try:
        _check_periods(config.first_period, period)
    finally:
        _LANGUAGE.reset(token)
    return replace(config, period=period, period_auto=False)


def load_config(site_dir: Path | str) -> Config:
    """Read ``lisite.toml`` in ``site_dir`` and return a checked :class:`Config`."""
    site_dir = Path(site_dir).resolve()
    path = site_dir / CONFIG_FILE
    if not path.is_file():
        raise ConfigError(_words()("config.missing_file", file=CONFIG_FILE, folder=site_dir))
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _error("not_toml", error=exc) from None
    return parse_config(raw, site_dir)


#: The language of the site whose lisite.toml is read (its site.language; Danish until that is known): its errors' words.
_LANGUAGE: ContextVar[str] = ContextVar("config_language", default="da")


def _words() -> Translator:
    return Translator(_LANGUAGE.get())


def _error(message: str, /, **values: Any) -> ConfigError:
    """An error in lisite.toml, in the site's language (``config.<message>`` in the catalogue)."""
    return ConfigError(f"{CONFIG_FILE}: " + _words()(f"config.{message}", **values))


def _plain_error(message: str, /, **values: Any) -> ConfigError:
    """:func:`_error` without the file's name in front: an error about the site's folder."""
    return ConfigError(_words()(f"config.{message}", **values))


def _type_name(typ: type) -> str:
    """What a value of ``typ`` is called in an error: "heltal", "a whole number"."""
    return _words()(f"config.type_{typ.__name__}")


def language_of(raw: dict[str, Any]) -> str:
    """The language a parsed lisite.toml asks for (``site.language``), Danish when it names none lisite has."""
    site = raw.get("site")
    language = site.get("language") if isinstance(site, dict) else None
    return language if language in LANGUAGES else "da"


def site_language(site_dir: Path | str) -> str:
    """The language of the site in ``site_dir`` as its lisite.toml says, also when the rest of it is wrong (the
    words around an error in it); Danish when it cannot be read."""
    try:
        return language_of(tomllib.loads((Path(site_dir) / CONFIG_FILE).read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "da"


def parse_config(raw: dict[str, Any], site_dir: Path) -> Config:
    """Check a parsed TOML document and build a :class:`Config`; an error is worded in the site's language."""
    token = _LANGUAGE.set(language_of(raw))
    try:
        return _parsed(raw, site_dir)
    finally:
        _LANGUAGE.reset(token)


def _check_periods(first: str, current: str) -> None:
    """``[period] current`` and ``first`` are months written YYYY-MM (``first`` may be empty), the first not after
    the current."""
    for key, value in (("current", current), ("first", first)):
        if value and not PERIOD_RE.match(value):
            raise _error("period_current" if key == "current" else "period", key=key, value=repr(value))
    if first and first > current:  # (ÅÅÅÅ-MM: in order as text)
        raise _error("period_order", first=repr(first), current=repr(current))


def _parsed(raw: dict[str, Any], site_dir: Path) -> Config:
    allowed = [*SCHEMA, "audiences", "sources", "plugin"]
    for key in raw:
        if key not in allowed:
            _unknown(key, allowed)
    values = {section: _section(raw.get(section, {}), keys, section) for section, keys in SCHEMA.items()}
    site, plugins, comparison = values["site"], values["plugins"], values["comparison"]
    if site["language"] not in LANGUAGES:
        raise _error("language", languages=", ".join(LANGUAGES), value=repr(site["language"]))
    automatic = values["period"]["current"] == AUTO
    current = month_before(today()) if automatic else values["period"]["current"]
    _check_periods(values["period"]["first"], current)
    if comparison["national"] not in ("weighted", "mean", "median"):
        raise _error("national")
    _list_of(comparison["municipalities"], int, "comparison.municipalities", "municipalities")
    _list_of(comparison["variables"], str, "comparison.variables", "variables")
    _list_of(plugins["disabled"], str, "plugins.disabled", "plugins")
    _list_of(plugins["paths"], str, "plugins.paths", "folders")
    for key, units in values["organisation"].items():
        _list_of(units, str, f"organisation.{key}", "names")
    _list_of(values["pdf"]["pages"], str, "pdf.pages", "pages")
    plugin_settings = raw.get("plugin", {})
    if not isinstance(plugin_settings, dict) or not all(isinstance(v, dict) for v in plugin_settings.values()):
        raise _error("plugin_tables")
    return Config(
        site_dir=site_dir,
        title=site["title"],
        language=site["language"],
        theme=site["theme"],
        synthetic=site["synthetic"],
        output=site["output"],
        content=site["content"],
        municipality_code=values["municipality"]["code"],
        municipality_name=values["municipality"]["name"],
        period=current,
        period_auto=automatic,
        first_period=values["period"]["first"],
        audiences=_audiences(raw.get("audiences")),
        sources=_sources(raw.get("sources", {}), site_dir),
        comparison_municipalities=tuple(comparison["municipalities"]),
        comparison_k=comparison["k"],
        comparison_variables=tuple(comparison["variables"]),
        comparison_national=comparison["national"],
        disabled_plugins=tuple(plugins["disabled"]),
        plugin_paths=tuple(plugins["paths"]),
        plugin_settings=plugin_settings,
        measures_catalogue=values["measures"]["catalogue"],
        organisation={key: tuple(units) for key, units in values["organisation"].items() if units},
        pdf_audience=values["pdf"]["audience"],
        pdf_output=values["pdf"]["output"],
        pdf_pages=tuple(values["pdf"]["pages"]),
    )


def _section(table: Any, keys: dict[str, tuple[Any, Any]], prefix: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise _error("table", prefix=prefix)
    for key in table:
        if key not in keys:
            _unknown(f"{prefix}.{key}", [f"{prefix}.{k}" for k in keys])
    out = {}
    for key, (typ, default) in keys.items():
        if key not in table:
            if default is ...:
                raise _error("missing_key", key=f"{prefix}.{key}", type=_type_name(typ))
            out[key] = list(default) if isinstance(default, list) else default
            continue
        value = table[key]
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            raise _error("wrong_type", key=f"{prefix}.{key}", type=_type_name(typ), got=type(value).__name__, value=repr(value))
        out[key] = value
    return out


def _unknown(key: str, allowed: list[str]) -> None:
    raise _error("unknown_key", key=key, allowed=", ".join(allowed))


def _list_of(values: list, typ: type, key: str, what: str) -> None:
    """Every value of a list setting is ``typ``; ``what`` names what the list holds (``config.list_<what>``)."""
    for value in values:
        if not isinstance(value, typ) or isinstance(value, bool) and typ is not bool:
            raise _error("list_of", key=key, what=_words()(f"config.list_{what}"), value=repr(value))


def _audiences(table: Any) -> dict[str, Audience]:
    table = DEFAULT_AUDIENCES if table is None else table
    if not isinstance(table, dict) or not table:
        raise _error("no_audiences")
    audiences = {}
    for name, spec in table.items():
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
            raise _error("audience_name", name=repr(name))
        spec = {**DEFAULT_AUDIENCES.get(name, {}), **spec} if isinstance(spec, dict) else spec
        values = _section(spec, AUDIENCE_KEYS, f"audiences.{name}")
        if values["level"] not in LEVELS:
            raise _error("audience_level", name=name, levels=", ".join(LEVELS), value=repr(values["level"]))
        if values["min_count"] < 1:
            raise _error("min_count", name=name)
        _list_of(values["pages"], str, f"audiences.{name}.pages", "pages")
        limits = _filter(values["filter"], name)
        audiences[name] = Audience(
            id=name,
            title=values["title"],
            level=values["level"],
            min_count=values["min_count"],
            pages=tuple(values["pages"]),
            description=values["description"],
            filter=limits,
        )
    return audiences


def _filter(table: dict[str, Any], name: str) -> tuple[tuple[str, str], ...]:
    """``filter = { omraade = "Handicap" }``: the part of the organisation an audience is limited to."""
    allowed = [LEVEL_COLUMNS[level] for level in LEVELS[1:-1]]
    limits = []
    for column, value in table.items():
        if column not in allowed:
            raise _error("filter_column", name=name, allowed=", ".join(allowed), column=column)
        if not isinstance(value, str) or not value:
            raise _error("filter_value", name=name, column=column, value=repr(value))
        limits.append((column, value))
    return tuple(sorted(limits))


def _sources(table: Any, site_dir: Path) -> dict[str, SourceConfig]:
    if not isinstance(table, dict):
        raise _error("sources_table")
    sources = {}
    for name, spec in table.items():
        if isinstance(spec, str):
            spec = {"path": spec}
        values = _section(spec, SOURCE_KEYS, f"sources.{name}")
        _dst_source(values, site_dir, f"sources.{name}")
        dbsource.check(values, f"sources.{name}", _error)
        if not values["kind"] and not values["path"] and not values["query"] and not (values["url"] or values["url_env"]):
            raise _error("source_empty", name=name)
        if values["path"] and not values["outside"]:
            _inside_site(values["path"], site_dir, f"sources.{name}")
        values["columns"] = _column_map(values["columns"], f"sources.{name}.columns")
        values["values"] = _value_map(values["values"], f"sources.{name}.values")
        if values["decimal"] not in ("", ",", "."):
            raise _error("decimal", name=name, value=values["decimal"])
        sources[name] = SourceConfig(name=name, **values)
    dbsource.check_site(sources, site_dir, _plain_error)
    return sources


def _dst_source(values: dict[str, Any], site_dir: Path, prefix: str) -> None:
    """Check a Danmarks Statistik source (``kind = "dst"`` or ``"dst-benchmark"``) and make its lists tuples."""
    kind = values["kind"]
    if not kind:
        text_file = Path(values["path"]).suffix.lower() in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
        if values["table"] and text_file and not (values["url"] or values["url_env"]):
            raise _error("table_not_file", prefix=prefix, path=values["path"])
        for key in ("select", "years", "socio_indeks"):  # table also names a database's table (lisite.dbsource)
            if values[key]:
                raise _error("dst_only", prefix=prefix, key=key)
        values["select"], values["years"] = (), ()
        return
    if kind not in SOURCE_KINDS:
        raise _error("kind", prefix=prefix, value=repr(kind))
    if values["path"] or values["query"]:
        raise _error("kind_path", prefix=prefix, kind=repr(kind))
    if kind == "dst":
        if not re.fullmatch(r"[A-Za-z0-9]+", values["table"]):
            raise _error("dst_table", prefix=prefix)
        if not values["select"]:
            raise _error("dst_select", prefix=prefix)
        for code, chosen in values["select"].items():
            if not isinstance(chosen, list) or not chosen or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in chosen):
                raise _error("dst_select_codes", prefix=prefix, code=code)
    elif values["table"] or values["select"]:
        raise _error("benchmark_tables", prefix=prefix)
    if kind == "dst-benchmark" and not values["years"]:
        raise _error("benchmark_years", prefix=prefix)
    _list_of(values["years"], int, f"{prefix}.years", "years")
    if values["socio_indeks"] and not (site_dir / values["socio_indeks"]).resolve().is_relative_to(Path(site_dir).resolve()):
        raise _error("socio_outside", prefix=prefix, value=repr(values["socio_indeks"]))
    values["select"] = tuple((str(code), tuple(str(v) for v in chosen)) for code, chosen in values["select"].items())
    values["years"] = tuple(values["years"])


def _inside_site(path: str, site_dir: Path, prefix: str) -> None:
    """Refuse a source path that leads outside the site folder (symlinks followed) unless ``outside = true``."""
    site = Path(site_dir).resolve()
    if not (site / path).resolve().is_relative_to(site):
        raise _error("path_outside", prefix=prefix, path=repr(path), site=site)


def _column_map(table: dict[str, Any], prefix: str) -> tuple[tuple[str, str], ...]:
    """``[sources.x.columns]``: each model column names the export's header for it, as text."""
    for column, header in table.items():
        if not isinstance(header, str) or not header.strip():
            raise _error("column_header", prefix=prefix, column=column, value=repr(header))
    return tuple(table.items())


def _value_map(table: dict[str, Any], prefix: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """``[sources.x.values.<column>]``: for one model column, the export's values and the model's."""
    out = []
    for column, pairs in table.items():
        if not isinstance(pairs, dict):
            raise _error("value_table", prefix=prefix, column=column)
        for value, meant in pairs.items():
            if not isinstance(meant, str):
                raise _error("value_text", prefix=prefix, column=column, value=value, meant=repr(meant))
        out.append((column, tuple((str(value).strip(), meant) for value, meant in pairs.items())))
    return tuple(out)
