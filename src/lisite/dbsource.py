"""The keys of a database source in ``lisite.toml``, checked when the configuration is read.

::

    [sources.sager]
    url_env = "LISITE_FAGSYSTEM_URL"       # or url = "postgresql+psycopg://lisite:${PW}@db/fagsystem"
    table = "sager"                        # or query = "SELECT ... FROM sager WHERE ..."
    row_number = "linje"                   # optional: the column that numbers rows in messages
    label = "Fagsystemet, tabel sager"     # optional: how pages name the source
    extracted = "2026-09-30"               # optional: the extraction date pages show; "today" = the day read

An SQLite file is a database source too: ``path = "data/fagsystem.sqlite"`` with a
``table`` or a ``query``. Kept apart from ``config.py`` so the file sources' keys
stay as they were.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from lisite.credentials import ENV_FILE, default_env_file, literal_password, without_password
from lisite.errors import ConfigError

#: ``name`` or ``schema.name``; letters (Danish too), digits, _ and $
TABLE_NAME = re.compile(r"^[^\W\d]\w*(\.[^\W\d]\w*)?$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
TODAY = "today"  # extracted = "today": a live database's rows are as of the day they are read


def is_database(source: Any) -> bool:
    """A source read over a database connection (``url`` or ``url_env``), not from a file in the site."""
    return bool(getattr(source, "url", "") or getattr(source, "url_env", ""))


def is_sql(source: Any) -> bool:
    """A source read with SQL: a database, or an SQLite file with a ``table`` or a ``query``."""
    return is_database(source) or bool(getattr(source, "table", "") or getattr(source, "query", "")) \
        or getattr(source, "format", "") in ("sql", "sqlite")


def check(values: dict[str, Any], prefix: str, error: Callable[..., ConfigError]) -> None:
    """Raise a :class:`ConfigError` for a database source that cannot work or that holds a password; ``error(key,
    **values)`` words it (``config.<key>`` in the site's language, see :mod:`lisite.config`)."""
    url, url_env, table, query = values["url"], values["url_env"], values["table"], values["query"]
    if url and url_env:
        raise error("db_url_twice", prefix=prefix)
    if url_env and not ENV_NAME.match(url_env):
        raise error("db_url_env", prefix=prefix)
    if url and literal_password(url):
        raise error("db_password", prefix=prefix, url=without_password(url), env_file=default_env_file())
    if url and "://" not in url:
        raise error("db_url", prefix=prefix, url=repr(url))
    if (url or url_env) and values["path"]:
        raise error("db_path", prefix=prefix, key="url" if url else "url_env")
    if table and query:
        raise error("db_table_query", prefix=prefix)
    if (url or url_env) and not (table or query):
        raise error("db_what", prefix=prefix)
    if table and not TABLE_NAME.match(table):
        raise error("db_table", prefix=prefix, table=repr(table))
    if values["extracted"] == TODAY and not (url or url_env):
        raise error("db_today", prefix=prefix, today=TODAY)
    if values["row_number"] and not (url or url_env or table or query):
        raise error("db_row_number", prefix=prefix)


def check_site(sources: dict[str, Any], site_dir: Path, error: Callable[..., ConfigError]) -> None:
    """A ``.env`` file in the site folder would be shared with the site: refused when the site reads a database."""
    found = Path(site_dir) / ENV_FILE
    if found.exists() and any(is_database(source) for source in sources.values()):
        raise error("db_env_in_site", file=ENV_FILE, path=found, env_file=default_env_file())