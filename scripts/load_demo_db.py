"""Load a site's data files into a database, one typed table per source, and print the sources that read them.

    python scripts/load_demo_db.py SITE --url-env LISITE_TEST_DATABASE_URL > sources.toml

Each source (CSV, Excel) is read and typed by lisite itself, then written to a table of the
same name with real column types: whole numbers as BIGINT, decimals as NUMERIC (written
exactly as the file had them), dates as DATE, dates with a time as TIMESTAMP, yes/no as
BOOLEAN, text as TEXT and empty fields as NULL. The column ``linje`` keeps each row's line
in the file, so a problem found in the database names the same row as one found in the file.

Printed is the ``[sources]`` block of a ``lisite.toml`` that reads the tables instead of the
files, naming each as the file it came from (``label``) with the file's extraction date; a
site built with it is the same site, byte for byte. The database's address comes from the
environment variable named by ``--url-env``, never from a file in the site.
"""

from __future__ import annotations

import argparse
import os
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from lisite.config import load_config
from lisite.data import load_all
from lisite.plugins import make_plugin_manager

LINE = "linje"
TYPES = {"int": sa.BigInteger, "float": sa.Numeric, "date": sa.Date, "datetime": sa.DateTime, "bool": sa.Boolean, "str": sa.Text}


def typed_frames(site: Path) -> dict:
    """The site's datasets as lisite types them (before any plugin derives columns), by source name."""
    config = load_config(site)
    pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths)
    specs = [spec for found in pm.hook.lisite_datasets(config=config) for spec in found]
    loaded = load_all(config, specs, pm.hook.lisite_load_source)
    errors = [str(p) for p in loaded.problems if p.severity == "error"]
    if errors:
        raise SystemExit("The files have errors; fix them first:\n" + "\n".join(errors))
    return {name: loaded.datasets[name] for name in config.sources if name in loaded.datasets}


def cell(value, typ: str):
    """A typed value as the database driver takes it: NULL for missing, decimals exact."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if typ == "float":
        return Decimal(repr(float(value)))  # the shortest text that gives the same number back
    if typ == "int":
        return int(value)
    if typ == "date":
        return value.date()
    if typ == "datetime":
        return value.to_pydatetime()
    if typ == "bool":
        return bool(value)
    return str(value)


def write_table(conn, name: str, dataset) -> None:
    frame, spec = dataset.frame, dataset.spec
    kinds = {col.name: col.type for col in spec.columns}
    columns = [sa.Column(LINE, sa.BigInteger, nullable=False)]
    columns += [sa.Column(str(c), TYPES[kinds.get(c, "str")]) for c in frame.columns]
    table = sa.Table(name, sa.MetaData(), *columns)
    table.drop(conn, checkfirst=True)
    table.create(conn)
    lines = list(frame.attrs["lines"])
    rows = [{LINE: int(line), **{str(c): cell(v, kinds.get(c, "str")) for c, v in zip(frame.columns, values)}}
            for line, values in zip(lines, frame.itertuples(index=False, name=None))]
    for start in range(0, len(rows), 2000):
        conn.execute(table.insert(), rows[start:start + 2000])


def sources_block(datasets: dict, url_env: str) -> str:
    out = []
    for name, dataset in datasets.items():
        out += [f"[sources.{name}]", f'url_env = "{url_env}"', f'table = "{name}"', f'row_number = "{LINE}"',
                f'label = "{dataset.path}"']
        if dataset.extracted:
            out.append(f'extracted = "{dataset.extracted}"')
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--url-env", default="LISITE_TEST_DATABASE_URL", help="the variable holding the database's address")
    args = parser.parse_args(argv)
    url = os.environ.get(args.url_env)
    if not url:
        raise SystemExit(f"Set {args.url_env} to the database's SQLAlchemy address.")
    datasets = typed_frames(args.site)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for name, dataset in datasets.items():
                write_table(conn, name, dataset)
    finally:
        engine.dispose()
    sys.stdout.write(sources_block(datasets, args.url_env))
    return 0


if __name__ == "__main__":
    sys.exit(main())
