"""``lisite fetch``: ask Danmarks Statistik's API and keep the answers in the site folder.

For each query of each DST source (:func:`lisite.dst.queries`): read the table's metadata
(``tableinfo``) and check that every variable the query names exists (a wrong code is named with the
table's real codes, instead of DST's terse error), ask ``data``, compare the answer with the stored
one and store it (atomically: a failed fetch leaves the stored answer whole). What changed is
reported per table: new periods, the number of changed figures, or "unchanged".

Only this module goes on the network; builds read the stored answers (:mod:`lisite.dst`).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from lisite import dst
from lisite.errors import LisiteError
from lisite.i18n import Translator

TIMEOUT = 60  # seconds; DST answers large BULK queries slowly


class FetchError(LisiteError):
    """The API could not be reached, or refused a query: the message says which and why."""


@dataclass
class Change:
    """What one fetch changed in one stored answer."""

    source: str
    table: str
    stem: str
    first: bool = False  # nothing was stored before
    new_periods: list[str] = field(default_factory=list)
    changed: int = 0  # figures present before and now, with another value
    unchanged: int = 0

    @property
    def same(self) -> bool:
        return not self.first and not self.new_periods and not self.changed


#: The language of the site being fetched for (its site.language): the words of an error.
_LANGUAGE: ContextVar[str] = ContextVar("fetch_language", default="da")


def _words() -> Translator:
    return Translator(_LANGUAGE.get())


def _error(message: str, /, **values: Any) -> FetchError:
    """A failed fetch, in the site's language (``dst.fetch_error.<message>`` in the catalogue)."""
    return FetchError(_words()(f"dst.fetch_error.{message}", **values))


def post(url: str, body: dict[str, Any], timeout: float = TIMEOUT) -> str:
    """POST ``body`` as JSON (UTF-8) and return the answer's text; :class:`FetchError` on any failure."""
    request = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                     headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.read().decode("utf-8-sig")
    except urllib.error.HTTPError as exc:  # DST says what is wrong with the query in the body
        said = exc.read().decode("utf-8", "replace").strip()
        try:  # a JSON error object: its message is what a person needs
            said = str(json.loads(said).get("message") or said)
        except (json.JSONDecodeError, AttributeError):
            pass
        raise _error("refused", url=url, code=exc.code, said=said[:300]) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _error("unreachable", url=url, reason=reason) from None


def table_info(api: str, table: str, lang: str = "da") -> dict[str, Any]:
    """The table's metadata from ``tableinfo``: id, text, unit, updated and variables."""
    text = post(f"{api}/tableinfo", {"table": table, "format": "JSON", "lang": lang})
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise _error("no_metadata", table=table, text=text[:200]) from None


def check_variables(query: dst.Query, info: dict[str, Any], source: str) -> None:
    """Every variable the query names must be one of the table's; else say which codes the table has."""
    known = {str(v.get("id", "")).upper(): v for v in info.get("variables", [])}
    wrong = [code for code, _ in query.select if code.upper() not in known]
    if wrong:
        raise _error("no_variable", source=source, table=query.table, wrong=", ".join(wrong),
                     known=", ".join(v.get("id", "") for v in info.get("variables", [])))


def changes(old: pd.DataFrame | None, new: pd.DataFrame) -> tuple[list[str], int, int]:
    """(new periods, changed figures, unchanged figures) between two answers to the same query."""
    if old is None:
        return [], 0, len(new)
    old, new = old.rename(columns=str.upper), new.rename(columns=str.upper)
    keys = [c for c in new.columns if c != dst.VALUE]
    periods_before = set(old["TID"]) if "TID" in old.columns else set()
    new_periods = sorted(set(new["TID"]) - periods_before) if "TID" in new.columns else []
    both = new.merge(old, on=keys, how="inner", suffixes=("", "_old"))
    differ = both[dst.VALUE].str.strip() != both[f"{dst.VALUE}_old"].str.strip()
    return new_periods, int(differ.sum()), int((~differ).sum())


def refresh(site_dir: Path, query: dst.Query, source: str, api: str = dst.API, now: datetime | None = None) -> Change:
    """Fetch one query, store its answer and sidecar, and say what changed."""
    info = table_info(api, query.table, query.lang)
    check_variables(query, info, source)
    text = post(f"{api}/data", query.body())
    try:
        fresh = dst.parse(text)
    except Exception as exc:  # an HTML error page or a truncated answer: keep the stored one
        raise _error("not_bulk", source=source, table=query.table, error=exc) from None
    if dst.VALUE not in [c.upper() for c in fresh.columns]:
        raise _error("no_value", source=source, table=query.table, column=dst.VALUE, text=text[:200])
    try:
        before = dst.read(site_dir, query, source).frame
    except dst.MissingResponse:
        before = None
    new_periods, changed, unchanged = changes(before, fresh)
    when = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = {"retrieved": when, "url": f"{api}/data",
            "info": {key: info.get(key, "") for key in ("id", "text", "unit", "updated")}}
    dst.save(site_dir, query, text, meta)
    return Change(source, query.table, query.stem, before is None, new_periods, changed, unchanged)


def fetch(config, name: str | None = None, api: str = dst.API, now: datetime | None = None) -> list[Change]:
    """Refresh every DST source of the site (or the one called ``name``); one :class:`Change` per query."""
    sources = {n: s for n, s in config.sources.items() if s.kind in ("dst", "dst-benchmark")}
    token = _LANGUAGE.set(config.language)
    try:
        if name is not None and name not in sources:
            raise _error("no_source", name=name, known=", ".join(sources) or _words()("dst.fetch_error.no_sources"))
        return _fetched(config, sources, name, api, now)
    finally:
        _LANGUAGE.reset(token)


def _fetched(config, sources: dict, name: str | None, api: str, now: datetime | None) -> list[Change]:
    found = []
    for source_name, source in sources.items():
        if name is None or source_name == name:
            found += [refresh(config.site_dir, query, source_name, api.rstrip("/"), now) for query in dst.queries(source)]
    return found
