"""A database's password stays out of lisite.toml, the site folder and every message.

The server-side half (a real PostgreSQL build with a canary password, every output file grepped)
is in test_postgres.py; here what needs no server: the configuration refuses a written-out password
without echoing it, the .env file is read from outside the site only, and a failed connection or a
loader's own error shows the address with ``***`` for the password.
"""

from __future__ import annotations

import os
import sys

import pytest
from click.testing import CliRunner

from lisite.cli import main
from lisite.config import load_config
from lisite.credentials import expand, load_env_file, literal_password, parse_env_file, scrub, secrets_of, without_password
from lisite.config import SourceConfig
from lisite.errors import ConfigError
from conftest import tiny_config

CANARY = "Kanarie-9f3Qx!"


@pytest.fixture
def environ(monkeypatch):
    """A private copy of the environment, so variables read from .env files do not outlive the test."""
    copy = dict(os.environ)
    monkeypatch.setattr(os, "environ", copy)
    return copy


SAGER = '''
import lisite

@lisite.hookimpl
def lisite_datasets():
    return [lisite.DatasetSpec("sager", "Sager", (lisite.Column("sags_id", "str", person_level=True),), required=False)]
'''


def db_config(lines: str) -> str:
    return tiny_config(f"\n[sources.sager]\n{lines}\n")


@pytest.mark.parametrize("url", [
    f"postgresql+psycopg://lisite:{CANARY}@db.kommune.local/fagsystem",
    f"postgresql+psycopg://lisite@db.kommune.local/fagsystem?password={CANARY}",
    f"mssql+pyodbc:///?odbc_connect=DRIVER%3DODBC+Driver+18%3BSERVER%3Ddb%3BUID%3Dlisite%3BPWD%3D{CANARY}",
    f"postgresql+psycopg://lisite:${{FAGSYSTEM_BRUGER}}{CANARY}@db/fagsystem",  # half a placeholder is still a password
])
def test_a_password_in_lisite_toml_is_refused_without_being_repeated(make_site, url):
    site = make_site(config=db_config(f'url = "{url}"\ntable = "sager"'))
    with pytest.raises(ConfigError) as raised:
        load_config(site)
    message = str(raised.value)
    assert "sources.sager.url indeholder en adgangskode" in message
    assert "--env-file" in message and "url_env" in message and "${NAVN}" in message  # where to put it instead
    assert CANARY not in message and CANARY.replace("!", "%21") not in message


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://lisite:${LISITE_FAGSYSTEM_PASSWORD}@db.kommune.local/fagsystem",
    "postgresql+psycopg://lisite@db.kommune.local/fagsystem",
    "mssql+pyodbc://lisite:${PW}@fagsystem_dsn?driver=ODBC+Driver+18+for+SQL+Server",
])
def test_an_address_without_a_written_password_is_accepted(make_site, url):
    site = make_site(config=db_config(f'url = "{url}"\ntable = "sager"'))
    assert load_config(site).sources["sager"].url == url
    assert not literal_password(url)


@pytest.mark.parametrize("lines, expected", [
    ('url = "sqlite:///x.db"\nurl_env = "X"\ntable = "t"', "både url og url_env"),
    ('url_env = "X"\ntable = "t"\nquery = "SELECT 1"', "både table og query"),
    ('url_env = "X"', 'table = "tabelnavn" eller query = "SELECT ...".'),
    ('url_env = "X"\ntable = "sager; DROP TABLE sager"', "skal være et tabelnavn"),
    ('url_env = "postgresql://db/x"\ntable = "t"', "navnet på en miljøvariabel"),
    ('url_env = "X"\npath = "data/tal.csv"\ntable = "t"', "både path (en fil) og url_env"),
])
def test_a_database_source_that_cannot_work_is_a_config_error(make_site, lines, expected):
    site = make_site(config=db_config(lines))
    with pytest.raises(ConfigError, match="sources.sager") as raised:
        load_config(site)
    assert expected in str(raised.value)


def test_a_dotenv_file_inside_the_site_is_refused(make_site, environ, tmp_path):
    site = make_site(config=db_config('url_env = "LISITE_FAGSYSTEM_URL"\ntable = "sager"'))
    (site / ".env").write_text(f"LISITE_FAGSYSTEM_URL=postgresql://lisite:{CANARY}@db/x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"Sitets mappe har en \.env-fil") as raised:
        load_config(site)
    assert CANARY not in str(raised.value)
    with pytest.raises(ConfigError, match="ligger i sitets mappe"):
        load_env_file(site / ".env", site)
    assert "LISITE_FAGSYSTEM_URL" not in environ


def test_the_env_file_fills_in_what_the_environment_lacks(tmp_path, environ):
    site = tmp_path / "site"
    site.mkdir()
    env = tmp_path / "hemmeligt.env"
    env.write_text(f'# adgang til fagsystemet\nexport FAGSYSTEM_PW="{CANARY}"\nALLEREDE_SAT=fra-filen\n\n', encoding="utf-8")
    environ["ALLEREDE_SAT"] = "fra-miljøet"
    assert load_env_file(env, site) == env
    assert environ["FAGSYSTEM_PW"] == CANARY and environ["ALLEREDE_SAT"] == "fra-miljøet"
    assert expand("postgresql://lisite:${FAGSYSTEM_PW}@db/x") == f"postgresql://lisite:{CANARY}@db/x"
    with pytest.raises(ConfigError, match="fandt ingen fil"):
        load_env_file(tmp_path / "findes-ikke.env", site)
    environ["XDG_CONFIG_HOME"] = str(tmp_path / "ingen")
    assert load_env_file(None, site) is None  # no default file: nothing read, no error
    with pytest.raises(ConfigError) as raised:
        parse_env_file(f"FAGSYSTEM_PW {CANARY}")
    assert "linje 1" in str(raised.value) and CANARY not in str(raised.value)


def test_an_english_sites_env_file_errors_are_english(tmp_path, environ):
    """The errors about the file with credentials follow the site's language, and still never show a line of it."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "lisite.toml").write_text('[site]\nlanguage = "en"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="--env-file: found no file"):
        load_env_file(tmp_path / "missing.env", site)
    env = tmp_path / "secret.env"
    env.write_text(f"FAGSYSTEM_PW {CANARY}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_env_file(env, site)
    assert "line 1 of the .env file must be NAME=value." in str(raised.value) and CANARY not in str(raised.value)
    (site / ".env").write_text("A=b\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is in the site's folder, where it is shared"):
        load_env_file(site / ".env", site)


def test_secrets_are_found_and_scrubbed():
    source = SourceConfig("sager", url="postgresql://lisite:${PW}@db/x", table="sager")
    assert secrets_of(source, {"PW": CANARY}) == [CANARY]
    whole = SourceConfig("sager", url_env="URL", table="sager")
    assert CANARY in secrets_of(whole, {"URL": f"postgresql://lisite:{CANARY}@db/x"})
    assert scrub(f"failed for postgresql://lisite:{CANARY}@db/x", [CANARY]) == "failed for postgresql://lisite:***@db/x"
    assert without_password(f"postgresql://lisite:{CANARY}@db/x?sslmode=require") == "postgresql://lisite:***@db/x?sslmode=require"


def test_a_failed_connection_names_the_source_and_masks_the_password(make_site, tmp_path, environ):
    """Port 1 on this machine: nobody listens. Through the command, with the address in an env file."""
    site = make_site({"plugins/sager.py": SAGER}, config=db_config('url_env = "LISITE_FAGSYSTEM_URL"\ntable = "sager"'))
    env = tmp_path / "fagsystem.env"
    env.write_text(f"LISITE_FAGSYSTEM_URL=postgresql+psycopg://lisite:{CANARY}@127.0.0.1:1/fagsystem\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--site", str(site), "--env-file", str(env)])
    assert result.exit_code == 1
    assert CANARY not in result.output and CANARY.replace("!", "%21") not in result.output
    assert "sources.sager" in result.output
    try:
        import psycopg  # noqa: F401
    except ImportError:  # the driver is an optional extra: then the error says how to install it
        assert 'pip install "lisite[postgres]"' in result.output
    else:
        assert "kunne ikke forbinde til databasen postgresql+psycopg://lisite:***@127.0.0.1:1/fagsystem for at læse tabellen sager" in result.output


def test_a_missing_driver_names_the_extra_to_install(make_site, environ, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyodbc", None)  # as if not installed
    environ["FAGSYSTEM_PW"] = CANARY
    site = make_site({"plugins/sager.py": SAGER}, config=db_config('url = "mssql+pyodbc://lisite:${FAGSYSTEM_PW}@fagsystem_dsn"\ntable = "sager"'))
    result = CliRunner().invoke(main, ["check", "--site", str(site)])
    assert 'sources.sager: driveren til mssql (pyodbc) er ikke installeret. Installer den med: pip install "lisite[mssql]"' in result.output
    assert CANARY not in result.output


def test_a_missing_variable_is_named_with_where_to_set_it(make_site, environ):
    environ.pop("LISITE_FAGSYSTEM_URL", None)
    site = make_site({"plugins/sager.py": SAGER}, config=db_config('url_env = "LISITE_FAGSYSTEM_URL"\ntable = "sager"'))
    result = CliRunner().invoke(main, ["check", "--site", str(site)])
    assert "sources.sager: miljøvariablen LISITE_FAGSYSTEM_URL er ikke sat" in result.output
    assert "--env-file" in result.output


LEAKY_LOADER = '''
import os
import lisite

@lisite.hookimpl(tryfirst=True)
def lisite_load_source(source, path, spec):
    if source.name == "sager":
        raise RuntimeError("could not open " + os.environ["LISITE_FAGSYSTEM_URL"])
'''


def test_a_loader_plugins_own_error_is_scrubbed_too(make_site, environ):
    environ["LISITE_FAGSYSTEM_URL"] = f"postgresql://lisite:{CANARY}@db/x"
    site = make_site({"plugins/leaky.py": LEAKY_LOADER, "plugins/sager.py": SAGER}, config=db_config('url_env = "LISITE_FAGSYSTEM_URL"\ntable = "sager"'))
    result = CliRunner().invoke(main, ["check", "--site", str(site)])
    assert "could not open postgresql://lisite:***@db/x" in result.output
    assert CANARY not in result.output
