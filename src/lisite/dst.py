"""Danmarks Statistik's StatBank: queries, the responses kept in the site folder, and reading them.

A build never goes on the network. ``lisite fetch`` (:mod:`lisite.dst_fetch`) asks the API and keeps
each answer in the site folder, ``data/dst/<TABLE>-<hash>.csv``, exactly as received, with a sidecar
``<TABLE>-<hash>.json`` holding the exact query, the retrieval time (UTC) and the table's title, unit
and last update. The hash is of the query, so a changed selection is a new file and an old answer is
never read for a new question. A build reads only these files, so it is offline and reproducible.

The API, as Danmarks Statistik documents it (https://www.dst.dk/da/Statistik/hjaelp-til-statistikbanken/api):

- Base address ``https://api.statbank.dk/v1``; the functions used here are ``tableinfo`` (a table's
  metadata) and ``data``. Parameters are POSTed as one JSON object, UTF-8.
- ``data`` body: ``{"table": "FOLK1A", "format": "BULK", "lang": "da", "valuePresentation": "Code",
  "variables": [{"code": "OMRÅDE", "values": ["101", "147"]}, {"code": "Tid", "values": ["2025K1"]}]}``.
  ``"*"`` selects every value of a variable. BULK (streamed, no row limit) needs a selection for every
  variable of the table; CSV allows leaving some out (they are then summed away by DST).
- The BULK and CSV answers are text: a header line naming the variables in upper case (``OMRÅDE;KØN;
  ALDER;TID``) and ``INDHOLD`` for the figure, fields separated by ``;``, one line per cell. With
  ``lang = "da"`` decimals are written with a comma (``37,7``). ``valuePresentation = "Code"`` gives the
  value codes (``101``, ``TOT``, ``2025K1``) instead of their texts (``København``, ``I alt``): codes are
  stable across languages and years, so joins use them.
- ``..`` in INDHOLD marks a figure that is not available or withheld for discretion. It is kept as
  missing here (never 0), so a sum that needs it is missing too.
- ``tableinfo`` body ``{"table": "UND1", "format": "JSON", "lang": "da"}`` answers with ``id``, ``text``,
  ``unit``, ``updated`` and ``variables`` (each with ``id``, ``text``, ``time`` and ``values`` of ``id``
  and ``text``): the variable codes a query may use.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lisite.model import Lines
from lisite.output import write_atomic

API = "https://api.statbank.dk/v1"
FOLDER = "data/dst"
VALUE = "INDHOLD"  # the figure's column in a BULK/CSV answer
MISSING = ".."  # DST's mark for a figure that is not available or withheld


@dataclass(frozen=True)
class Query:
    """One question to the ``data`` function: a table and the value codes chosen for each variable."""

    table: str
    select: tuple[tuple[str, tuple[str, ...]], ...]
    lang: str = "da"

    def body(self) -> dict[str, Any]:
        """The JSON object POSTed to ``/data`` (and kept in the sidecar)."""
        return {
            "table": self.table,
            "format": "BULK",
            "lang": self.lang,
            "valuePresentation": "Code",
            "variables": [{"code": code, "values": list(values)} for code, values in self.select],
        }

    @property
    def key(self) -> str:
        """A short hash of the exact query: the stored answer's name depends on what was asked."""
        text = json.dumps(self.body(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]

    @property
    def stem(self) -> str:
        return f"{self.table.upper()}-{self.key}"

    def paths(self, site_dir: Path) -> tuple[Path, Path]:
        """(the stored answer, its sidecar) in the site folder."""
        folder = Path(site_dir) / FOLDER
        return folder / f"{self.stem}.csv", folder / f"{self.stem}.json"


@dataclass(frozen=True)
class Stored:
    """A stored answer: its rows (text, as DST wrote them) and its sidecar."""

    frame: pd.DataFrame
    meta: dict[str, Any]

    @property
    def retrieved(self) -> str:
        """The retrieval date, ``YYYY-MM-DD`` (UTC)."""
        return str(self.meta.get("retrieved", ""))[:10]


class MissingResponse(LookupError):
    """A source names a query whose answer has not been fetched into the site folder."""

    def __init__(self, source: str, query: Query, path: Path):
        self.source, self.query, self.path = source, query, path
        super().__init__(f"sources.{source}: {query.table} ({path.name})")


def parse(text: str) -> pd.DataFrame:
    """A BULK or CSV answer as a frame of text: one column per variable and ``INDHOLD``."""
    text = text.lstrip("\ufeff")
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def numbers(values: pd.Series) -> pd.Series:
    """INDHOLD as numbers: a decimal comma is read as the decimal point; ``..`` and empty are missing (NaN)."""
    text = values.astype(str).str.strip()
    text = text.where(~text.isin([MISSING, ""]), None)
    return pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")


def read(site_dir: Path, query: Query, source: str) -> Stored:
    """The stored answer to ``query``; :class:`MissingResponse` when ``lisite fetch`` has not stored it."""
    data, side = query.paths(site_dir)
    if not data.is_file() or not side.is_file():
        raise MissingResponse(source, query, data)
    meta = json.loads(side.read_text(encoding="utf-8"))
    return Stored(parse(data.read_text(encoding="utf-8")), meta)


def missing(site_dir: Path, queries: list[Query]) -> list[Query]:
    """The queries whose answers are not in the site folder."""
    return [q for q in queries if not all(p.is_file() for p in q.paths(site_dir))]


def digest(site_dir: Path, queries: list[Query], extra: list[Path] = ()) -> str:
    """A hash of the stored answers (and ``extra`` files): a build's cache sees a refreshed answer."""
    h = hashlib.sha256()
    for path in [p for q in queries for p in q.paths(site_dir)] + list(extra):
        h.update(str(path.name).encode())
        h.update(path.read_bytes() if path.is_file() else b"\0missing")
    return h.hexdigest()


def save(site_dir: Path, query: Query, text: str, meta: dict[str, Any]) -> None:
    """Keep an answer and its sidecar. Each file is written beside itself and renamed into place, so an
    interrupted fetch leaves the old answer whole."""
    data, side = query.paths(site_dir)
    data.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(data, text)
    _write_atomic(side, json.dumps({**meta, "table": query.table, "query": query.body()}, ensure_ascii=False, indent=2) + "\n")


def _write_atomic(path: Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8"))


def queries(source: Any) -> list[Query]:
    """The queries a ``[sources.<name>]`` of kind ``dst`` or ``dst-benchmark`` needs answered."""
    if source.kind == "dst":
        return [Query(source.table.upper(), source.select)]
    if source.kind == "dst-benchmark":
        from lisite import dst_benchmark

        return list(dst_benchmark.queries(source.years).values())
    return []


def read_source(source: Any, site_dir: Path) -> pd.DataFrame:
    """A ``kind = "dst"`` source as a dataset: the stored answer's columns, INDHOLD with ``..`` made empty
    (missing), and the retrieval date as the extraction date."""
    [query] = queries(source)
    stored = read(site_dir, query, source.name)
    frame = stored.frame.copy()
    frame[VALUE] = frame[VALUE].where(frame[VALUE].str.strip() != MISSING, "")
    frame.attrs["extracted"] = stored.retrieved
    frame.attrs["lines"] = Lines(range(2, len(frame) + 2))
    return frame


def benchmark(source: Any, site_dir: Path) -> pd.DataFrame:
    """The ``kind = "dst-benchmark"`` recipe: the benchmark for the 98 municipalities (see :mod:`lisite.dst_benchmark`)."""
    from lisite import dst_benchmark

    return dst_benchmark.build(source, Path(site_dir))
