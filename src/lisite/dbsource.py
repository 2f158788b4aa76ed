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
from typing import Any

from lisite.credentials import ENV_FILE, default_env_file, literal_password, without_password
from lisite.errors import ConfigError

CONFIG_FILE = "lisite.toml"
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


def check(values: dict[str, Any], prefix: str) -> None:
    """Raise :class:`ConfigError` for a database source that cannot work or that holds a password."""
    url, url_env, table, query = values["url"], values["url_env"], values["table"], values["query"]
    if url and url_env:
        raise ConfigError(f"{CONFIG_FILE}: {prefix} har både url og url_env; brug én af dem.")
    if url_env and not ENV_NAME.match(url_env):
        raise ConfigError(f"{CONFIG_FILE}: {prefix}.url_env skal være navnet på en miljøvariabel (fx LISITE_FAGSYSTEM_URL), "
                          "ikke selve adressen.")
    if url and literal_password(url):
        raise ConfigError(
            f"{CONFIG_FILE}: {prefix}.url indeholder en adgangskode ({without_password(url)}). Adgangskoder må ikke stå i "
            f"{CONFIG_FILE}. Skriv den i en miljøvariabel eller i .env-filen uden for sitets mappe ({default_env_file()} "
            f"eller --env-file STI), og skriv ${{NAVN}} i stedet for den i url, eller giv hele adressen med "
            f"{prefix}.url_env = \"NAVN\"."
        )
    if url and "://" not in url:
        raise ConfigError(f"{CONFIG_FILE}: {prefix}.url skal være en SQLAlchemy-adresse som "
                          "\"postgresql+psycopg://bruger@vært/database\", ikke {url!r}.")
    if (url or url_env) and values["path"]:
        raise ConfigError(f"{CONFIG_FILE}: {prefix} har både path (en fil) og {'url' if url else 'url_env'} (en database); "
                          "brug én af dem.")
    if table and query:
        raise ConfigError(f"{CONFIG_FILE}: {prefix} har både table og query; brug én af dem.")
    if (url or url_env) and not (table or query):
        raise ConfigError(f"{CONFIG_FILE}: {prefix} skal sige, hvad der læses fra databasen: "
                          "table = \"tabelnavn\" eller query = \"SELECT ...\".")
    if table and not TABLE_NAME.match(table):
        raise ConfigError(f"{CONFIG_FILE}: {prefix}.table skal være et tabelnavn (fx \"sager\" eller \"dbo.sager\"), "
                          f"ikke {table!r}. Brug query til andet end en hel tabel.")
    if values["extracted"] == TODAY and not (url or url_env):
        raise ConfigError(f"{CONFIG_FILE}: {prefix}.extracted = \"{TODAY}\" gælder kun for en database-kilde (url eller url_env); "
                          "skriv ellers datoen som ÅÅÅÅ-MM-DD.")
    if values["row_number"] and not (url or url_env or table or query):
        raise ConfigError(f"{CONFIG_FILE}: {prefix}.row_number gælder kun for en database-kilde (table eller query).")


def check_site(sources: dict[str, Any], site_dir: Path) -> None:
    """A ``.env`` file in the site folder would be shared with the site: refused when the site reads a database."""
    found = Path(site_dir) / ENV_FILE
    if found.exists() and any(is_database(source) for source in sources.values()):
        raise ConfigError(
            f"Sitets mappe har en {ENV_FILE}-fil ({found}). Den deles og kopieres med sitet, så lisite læser den ikke. "
            f"Flyt den uden for sitets mappe, fx til {default_env_file()}, eller angiv den med --env-file STI."
        )
