"""The demo built from a real PostgreSQL database is the demo built from its files, byte for byte.

``.ci/run`` starts a PostgreSQL server and sets ``LISITE_TEST_DATABASE_URL`` (with a password made for
the run). Here the demo's files are read and typed by lisite, written to typed tables
(``scripts/load_demo_db.py``: BIGINT, NUMERIC, DATE, TIMESTAMP, BOOLEAN, NULL), and a copy of the
demo without its data files is built with ``lisite build --env-file`` from those tables. Every page,
download, chart and search index must be the same bytes. The manifest differs in one field only, by
design: ``sha256`` is the hash of what was read (a file's bytes, so anyone can check the file with
``sha256sum``; a database's rows), while ``content``, the hash of the typed data, is the same.

And the password: nowhere in the site, the site folder, the chart cache or what the build printed,
and masked when a connection fails.

Without ``LISITE_TEST_DATABASE_URL`` the tests skip locally and fail under CI=true.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lisite.reuse import RECORD

from conftest import IN_CI, REPO

URL_VAR = "LISITE_TEST_DATABASE_URL"

pytestmark = pytest.mark.slow


def database_url() -> str:
    url = os.environ.get(URL_VAR, "")
    if not url:
        if IN_CI:
            pytest.fail(f"{URL_VAR} is not set: .ci/run must start PostgreSQL and export it")
        pytest.skip(f"{URL_VAR} is not set: no PostgreSQL to build the demo from (.ci/run starts one; "
                    "locally start your own and export the SQLAlchemy address)")
    return url


def loader():
    spec = importlib.util.spec_from_file_location("load_demo_db", REPO / "scripts" / "load_demo_db.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def lisite(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lisite", *args], env=env, capture_output=True, text=True, timeout=1800)


def clean_env(work: Path) -> dict[str, str]:
    """The environment without the address (it comes from the env file) and with a chart cache of our own."""
    env = {k: v for k, v in os.environ.items() if k != URL_VAR}
    env["LISITE_CACHE"] = str(work / "cache")
    env["XDG_CONFIG_HOME"] = str(work / "config")  # no default env file of the machine's
    return env


@pytest.fixture(scope="module")
def pg_build(request, tmp_path_factory):
    """The demo's data loaded into PostgreSQL, and a copy of the demo built from there through the command."""
    import sqlalchemy as sa

    from lisite.scaffold import init_site

    url = database_url()  # before the demo is built: without a database there is nothing to compare
    demo_build = request.getfixturevalue("demo_build")
    work = tmp_path_factory.mktemp("postgres")
    load = loader()
    datasets = load.typed_frames(demo_build)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for name, dataset in datasets.items():
                load.write_table(conn, name, dataset)
    finally:
        engine.dispose()
    site = init_site(work / "site")
    config = site / "lisite.toml"
    text = re.sub(r"^\[sources\]\n(?:(?!\[).*\n?)*", "", config.read_text(encoding="utf-8"), flags=re.M)
    config.write_text(text + "\n" + load.sources_block(datasets, URL_VAR), encoding="utf-8")
    shutil.rmtree(site / "sample_data")  # nothing to read but the database
    env_file = work / "fagsystem.env"
    env_file.write_text(f"{URL_VAR}={url}\n", encoding="utf-8")
    built = lisite("build", "--site", str(site), "--env-file", str(env_file), env=clean_env(work))
    assert built.returncode == 0, built.stdout + built.stderr
    return {"site": site, "work": work, "url": url, "output": built.stdout + built.stderr, "datasets": datasets,
            "demo": demo_build}


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_demo_from_postgresql_is_the_demo_from_its_files(pg_build):
    from_files, from_db = files(pg_build["demo"] / "_site"), files(pg_build["site"] / "_site")
    assert json.loads(from_db.pop("status.json"))["last_attempt"]["failed"] is False  # the command's, not the API's
    for audience in ("udvalg", "direktion", "ledere", "sagsbehandlere"):
        assert from_db.pop(f"{audience}/{RECORD}")  # the shared demo build has a plugin object and keeps no record
    assert len(from_files) > 500 and sorted(from_files) == sorted(from_db)
    different = [path for path in from_files if path != "manifest.json" and from_files[path] != from_db[path]]
    assert different == []
    files_manifest, db_manifest = (json.loads(m["manifest.json"]) for m in (from_files, from_db))
    assert files_manifest["audiences"] == db_manifest["audiences"]
    inputs = files_manifest["inputs"]
    assert sorted(inputs) == sorted(db_manifest["inputs"]) == sorted(pg_build["datasets"])
    for name, entry in inputs.items():
        read = db_manifest["inputs"][name]
        assert (read["file"], read["rows"], read["content"]) == (entry["file"], entry["rows"], entry["content"])
        assert read["sha256"] != entry["sha256"]  # the rows' hash, not the file's: the file was never read
    assert {k: v for k, v in files_manifest.items() if k not in ("inputs",)} == \
        {k: v for k, v in db_manifest.items() if k not in ("inputs",)}


def test_the_password_is_nowhere_the_build_leaves_anything(pg_build):
    from sqlalchemy.engine import make_url

    password = make_url(pg_build["url"]).password or ""
    assert len(password) >= 6, f"{URL_VAR} needs a password of some length to look for"
    assert password not in pg_build["output"]
    searched = 0
    for folder in (pg_build["site"], pg_build["work"] / "cache"):  # the site folder holds _site and the manifest
        for path in folder.rglob("*"):
            if path.is_file():
                searched += 1
                assert password.encode() not in path.read_bytes(), path
    assert searched > 500


def test_a_refused_login_names_the_source_and_masks_the_password(pg_build):
    from sqlalchemy.engine import make_url

    url = make_url(pg_build["url"])
    wrong = "Forkert-" + (url.password or "x")[::-1]
    env_file = pg_build["work"] / "forkert.env"
    env_file.write_text(f"{URL_VAR}={url.set(password=wrong).render_as_string(hide_password=False)}\n", encoding="utf-8")
    checked = lisite("check", "--site", str(pg_build["site"]), "--env-file", str(env_file), env=clean_env(pg_build["work"]))
    said = checked.stdout + checked.stderr
    assert checked.returncode == 1
    assert "sources.sager: kunne ikke forbinde til databasen" in said and ":***@" in said
    assert wrong not in said and (url.password or "") not in said


def test_lisite_only_reads_the_database():
    """A query that would write is refused by the server (a read-only transaction), and nothing is written."""
    import sqlalchemy as sa

    from lisite.config import SourceConfig
    from lisite.database import SourceError, read

    url = database_url()
    writing = SourceConfig("skriv", url_env=URL_VAR, query="CREATE TABLE lisite_skrivetest AS SELECT 1 AS x")
    with pytest.raises(SourceError, match="read-only transaction") as raised:
        read(writing, environ={URL_VAR: url})
    assert "sources.skriv" in str(raised.value) and "CREATE TABLE lisite_skrivetest" in str(raised.value)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert not sa.inspect(conn).has_table("lisite_skrivetest")
    finally:
        engine.dispose()


def test_a_site_naming_dst_tables_and_postgresql_builds_offline(pg_build, tmp_path):
    """The issue's whole case: the case data from the municipality's PostgreSQL, the benchmark for the 98
    municipalities from Danmarks Statistik's tables (answers fetched once from a stand-in of the API, then
    read from the site). The build runs with no API: the comparison names the StatBank tables it used."""
    import pandas as pd
    from dst_api import FakeStatBank

    from lisite.config import load_config
    from lisite.dst_fetch import fetch

    site = tmp_path / "site"
    shutil.copytree(pg_build["site"], site, ignore=shutil.ignore_patterns("_site"))
    config = site / "lisite.toml"
    text = re.sub(r"^\[sources\.benchmark\]\n(?:(?!\[).*\n?)*", "", config.read_text(encoding="utf-8"), flags=re.M)
    config.write_text(text + '\n[sources.benchmark]\nkind = "dst-benchmark"\nyears = [2021, 2022, 2023, 2024, 2025]\n'
                             'socio_indeks = "data/socio_indeks.csv"\n', encoding="utf-8")
    bench = pd.read_csv(pg_build["demo"] / "sample_data" / "benchmark.csv", sep=";", dtype=str)
    (site / "data").mkdir(exist_ok=True)
    bench[["kommunekode", "aar", "socio_indeks"]].to_csv(site / "data" / "socio_indeks.csv", sep=";", index=False)
    with FakeStatBank() as api:
        fetch(load_config(site), api=api.url)
    assert sorted(p.name.split("-")[0] for p in (site / "data" / "dst").glob("*.csv"))  # the stored answers
    env_file = pg_build["work"] / "fagsystem.env"
    env = clean_env(tmp_path)
    env["LISITE_CACHE"] = os.environ["LISITE_CACHE"]  # the run's (tests/conftest.py): what only this build reads is made anew
    built = lisite("build", "--site", str(site), "--audience", "udvalg", "--env-file", str(env_file), env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    figures = sorted((site / "_site" / "udvalg" / "rapporter" / "sammenligning").glob("*.html"))
    page = "".join(figure.read_text(encoding="utf-8") for figure in figures)  # one page per compared figure
    assert figures and "Danmarks Statistik, Statistikbanken, tabel UND1 og FOLK1A, hentet" in page
    front = (site / "_site" / "udvalg" / "index.html").read_text(encoding="utf-8")
    assert "1.014" in front  # the active cases, read from the database
    assert pg_build["url"].split("@")[0].split(":")[-1] not in built.stdout + built.stderr + page  # no password
