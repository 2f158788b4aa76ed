"""Read a dataset from a database with SQLAlchemy: a whole table or the rows of a query, as text.

A loader plugin calls :func:`read` for a source that :func:`handles`; the built-in
``load_sql`` does. The address is a SQLAlchemy URL (``postgresql+psycopg://…``,
``mssql+pyodbc://…``, ``sqlite:///…``); an SQLite file in the site (``path``) is
read through the same path, read-only. The drivers are optional extras:
``pip install "lisite[postgres]"`` (psycopg), ``"lisite[mssql]"`` (pyodbc),
``"lisite[mysql]"`` (PyMySQL); a missing one is named in the error.

Values come back as text in one fixed form (ISO dates, a decimal point, ``true``/``false``,
NULL as empty), so the engine types them exactly as it types a CSV export's. Rows are
numbered by the source's ``row_number`` column when it has one, in that column's order; a
whole table without one is read in the order of its values, so the same rows give the same
site whatever order the database returns them in. Every message names the source and the
table or query, shows the address without its password, and passes through
:func:`lisite.credentials.scrub`.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from lisite import credentials
from lisite.dbsource import TODAY, is_database, is_sql
from lisite.errors import LisiteError
from lisite.fmt import words
from lisite.model import Lines

#: backend → (the extra that installs its driver, the driver's module)
EXTRAS = {"postgresql": ("postgres", "psycopg"), "mssql": ("mssql", "pyodbc"), "mysql": ("mysql", "pymysql"),
          "mariadb": ("mysql", "pymysql")}
#: a URL without a driver uses the one the extra installs (SQLAlchemy's own default may be another)
DEFAULT_DRIVERS = {"postgresql": "postgresql+psycopg", "mysql": "mysql+pymysql", "mariadb": "mariadb+pymysql"}
MAX_TABLES = 20  # tables listed when the one asked for is not there


class SourceError(LisiteError):
    """A database source could not be read. ``worded(t)`` says why in the site's language (``database.*`` keys).

    A :class:`LisiteError`, so it reaches the engine as it is (not as a plugin's failure) and can be worded there.
    """

    def __init__(self, key: str, source: Any, address: str = "", secrets: list[str] | None = None, **params: Any) -> None:
        self.key, self.secrets = key, list(secrets or [])
        self.params = {"source": f"sources.{source.name}", "address": address, **params}
        self.what = ("database.what_table", source.table) if source.table else ("database.what_query", " ".join(source.query.split()))
        super().__init__(self.worded(words("da")))

    def worded(self, t: Any) -> str:
        what = t(self.what[0], value=self.what[1])
        return credentials.scrub(t(self.key, what=what, **self.params), self.secrets)


def handles(source: Any) -> bool:
    """True for a source :func:`read` reads: a database (``url``/``url_env``) or an SQLite file with SQL."""
    return is_sql(source)


def read(source: Any, path: Path | None = None, environ: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The rows of ``source``'s table or query as a frame of text, numbered in ``attrs["lines"]``."""
    environ = os.environ if environ is None else environ
    secrets = credentials.secrets_of(source, environ)
    if not (source.table or source.query):
        raise SourceError("database.nothing_asked", source)
    sa = _sqlalchemy(source)
    url = address(source, path, environ, sa, secrets)
    shown = url.render_as_string(hide_password=True) if is_database(source) else source.path
    secrets = sorted({*secrets, *([url.password] if url.password else [])}, key=len, reverse=True)
    fail = lambda key, **params: SourceError(key, source, shown, secrets, **params)  # noqa: E731
    try:
        engine = sa.create_engine(url)
    except ImportError as exc:
        extra, module = EXTRAS.get(url.get_backend_name(), ("", exc.name or ""))
        raise fail("database.driver_missing" if extra else "database.driver_unknown", backend=url.get_backend_name(),
                   module=module or exc.name, extra=extra) from None
    except sa.exc.SQLAlchemyError as exc:
        raise fail("database.bad_url", error=_said(exc)) from None
    try:
        with engine.connect() as conn:  # never committed: rolled back when closed
            if url.get_backend_name() == "postgresql":  # and on PostgreSQL refused outright: lisite only reads
                conn = conn.execution_options(postgresql_readonly=True)
            columns, rows = _rows(sa, conn, source, fail)
    except SourceError:
        raise
    except sa.exc.DBAPIError as exc:
        key = "database.connect_failed" if exc.connection_invalidated or _at_connect(exc) else "database.query_failed"
        raise fail(key, error=_said(exc)) from None
    except sa.exc.SQLAlchemyError as exc:
        raise fail("database.query_failed", error=_said(exc)) from None
    finally:
        engine.dispose()
    if not rows:  # a failed or emptied extract, as an export with a header and nothing below it
        raise fail("database.empty")
    frame = _numbered(pd.DataFrame([[as_text(v) for v in row] for row in rows], columns=columns, dtype=object), source, fail)
    if source.extracted == TODAY:
        frame.attrs["extracted"] = dt.date.today().isoformat()
    return frame


def address(source: Any, path: Path | None, environ: Mapping[str, str], sa: Any, secrets: list[str]) -> Any:
    """The source's SQLAlchemy URL with the environment's values filled in (an SQLite file: read-only)."""
    if not is_database(source):
        return sa.engine.URL.create("sqlite", database=Path(path).resolve().as_uri(), query={"mode": "ro", "uri": "true"})
    try:
        text = environ[source.url_env] if source.url_env else credentials.expand(source.url, environ)
    except KeyError:
        raise SourceError("database.variable_missing", source, name=source.url_env, env_file=credentials.default_env_file(environ)) from None
    except credentials.MissingVariable as exc:
        raise SourceError("database.variable_missing", source, name=exc.name, env_file=credentials.default_env_file(environ)) from None
    try:
        url = sa.engine.make_url(text.strip())
    except (sa.exc.ArgumentError, ValueError):
        shown = credentials.scrub(credentials.without_password(text), secrets)
        raise SourceError("database.bad_url", source, shown, secrets, error="?") from None
    if url.drivername in DEFAULT_DRIVERS:
        url = url.set(drivername=DEFAULT_DRIVERS[url.drivername])
    return url


def _sqlalchemy(source: Any) -> Any:
    try:
        import sqlalchemy
    except ImportError:
        raise SourceError("database.no_sqlalchemy", source) from None
    return sqlalchemy


def _rows(sa: Any, conn: Any, source: Any, fail: Any) -> tuple[list[str], list[Any]]:
    """Column names and rows of the table (all its columns) or of the query."""
    if source.table:
        schema, _, name = source.table.rpartition(".")
        try:
            table = sa.Table(name, sa.MetaData(), schema=schema or None, autoload_with=conn)
        except sa.exc.NoSuchTableError:
            found = sa.inspect(conn).get_table_names(schema=schema or None)
            listing = ", ".join(sorted(found)[:MAX_TABLES]) + (" …" if len(found) > MAX_TABLES else "")
            raise fail("database.no_table", table=source.table, tables=listing or "-") from None
        # the driver's own values, without SQLAlchemy's conversions (which fail on what SQLite lets a column hold)
        result = conn.execute(sa.select(*(sa.column(col.name) for col in table.columns)).select_from(table))
    else:
        result = conn.execute(sa.text(source.query))
        if not result.returns_rows:
            raise fail("database.no_result")
    return list(result.keys()), result.fetchall()


def _numbered(frame: pd.DataFrame, source: Any, fail: Any) -> pd.DataFrame:
    """Order the rows and give each its number: the ``row_number`` column, else 1, 2, 3 …"""
    if source.row_number:
        found = [c for c in frame.columns if str(c).casefold() == source.row_number.casefold()]
        if not found:
            raise fail("database.row_number_missing", column=source.row_number, columns=", ".join(map(str, frame.columns)))
        numbers = pd.to_numeric(frame[found[0]], errors="coerce")
        if numbers.isna().any() or (numbers % 1 != 0).any():
            raise fail("database.row_number_not_whole", column=source.row_number)
        frame = frame.assign(**{found[0]: numbers.astype("int64")}).sort_values(found[0], kind="stable")
        lines = Lines(frame.pop(found[0]).tolist())
    else:
        if source.table and len(frame.columns):
            frame = frame.sort_values(list(frame.columns), kind="stable")
        lines = Lines(range(1, len(frame) + 1))
    frame = frame.reset_index(drop=True)
    frame.attrs["lines"] = lines
    return frame


def as_text(value: Any) -> str:
    """A database value as the text a CSV export would hold: ISO dates, a decimal point, empty for NULL."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, Decimal):
        return "" if value.is_nan() else format(value, "f")
    if isinstance(value, dt.datetime):
        value = value.replace(tzinfo=None)  # the wall-clock time the database gave, in its own time zone
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(" ", "microseconds" if value.microsecond else "seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def _said(exc: Exception) -> str:
    """What the database (driver) said, on one line, without SQLAlchemy's link to its documentation."""
    text = str(getattr(exc, "orig", None) or exc)
    return " ".join(text.split("(Background on this error")[0].split()).rstrip(". ") or type(exc).__name__


def _at_connect(exc: Exception) -> bool:
    """True for an error raised while connecting (before any statement was sent)."""
    return getattr(exc, "statement", None) is None
