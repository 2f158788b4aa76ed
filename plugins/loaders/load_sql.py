"""Read a dataset from a database: a whole table or an SQL query, through SQLAlchemy.

An SQLite file in the site, read-only::

    [sources.sager]
    path = "data/fagsystem.sqlite"
    table = "sager"                      # or query = "SELECT ... FROM sager"

A database server (PostgreSQL, Microsoft SQL Server, ...; the driver is an optional
extra such as ``pip install "lisite[postgres]"``), its address kept out of the site::

    [sources.sager]
    url_env = "LISITE_FAGSYSTEM_URL"     # or url = "postgresql+psycopg://lisite:${PW}@db/fagsystem"
    table = "sager"

Columns are named as in the spec, or mapped with ``[sources.<name>.columns]`` like
any other source. The work is done by :mod:`lisite.database`.
"""

from __future__ import annotations

import lisite
from lisite.database import handles, read


@lisite.hookimpl
def lisite_load_source(source, path, spec):
    if not handles(source):
        return None
    return read(source, path)
