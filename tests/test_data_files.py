"""Every data problem is named (issue 10, point 4): empty, header-only and one-row files in every
source of the demo, a folder or a FIFO where a file should be, an unreadable file.

Each source is loaded on its own (fast); one-row files are also built, and a header-only
``sager.csv`` through ``lisite check`` and a build, which used to end in an IndexError.
"""

from __future__ import annotations

import os
import pathlib
import tomllib

import openpyxl
import pytest

from lisite.build import build
from lisite.check import check
from lisite.config import CONFIG_FILE, load_config
from lisite.data import load_all
from lisite.errors import DataError
from lisite.i18n import Translator
from lisite.plugins import make_plugin_manager
from lisite.testing import demo_site

SOURCES = sorted(tomllib.loads((pathlib.Path(__file__).parents[1] / "lisite.toml").read_text(encoding="utf-8"))["sources"])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return demo_site(tmp_path_factory.mktemp("files") / "site", audiences=["udvalg"])


@pytest.fixture(scope="module")
def specs(site):
    config = load_config(site)
    pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths)
    return {spec.name: spec for specs in pm.hook.lisite_datasets(config=config) for spec in specs}, pm


def load_one(site, specs, name):
    """The problems of loading source ``name`` alone (no word about the other sources)."""
    by_name, pm = specs
    config = load_config(site)
    loaded = load_all(config, [by_name[name]], pm.hook.lisite_load_source, t=Translator(config.language))
    return [p for p in loaded.problems if p.file != CONFIG_FILE], loaded


def source_path(site, name):
    return site / tomllib.loads((site / "lisite.toml").read_text(encoding="utf-8"))["sources"][name]["path"]


def cut(path, rows):
    """Keep the title lines, the header and the first ``rows`` rows of a CSV or Excel source."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        header = next(r for r in range(1, 21) if sum(c.value is not None for c in sheet[r]) >= 3)
        sheet.delete_rows(header + rows + 1, sheet.max_row)
        book.save(path)
        return
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if line.count(";") >= 2 or line.count(",") >= 2)
    path.write_text("".join(lines[:header + 1 + rows]), encoding="utf-8")


@pytest.fixture
def restore(site):
    saved = {p: p.read_bytes() for p in (site / "sample_data").iterdir() if p.is_file()}
    yield
    for p in (site / "sample_data").iterdir():
        if p.is_dir():
            p.rmdir()
        elif p not in saved:
            p.unlink()
    for p, data in saved.items():
        p.unlink(missing_ok=True)
        p.write_bytes(data)


def named_error(problems, site, name):
    rel = source_path(site, name).relative_to(site).as_posix()
    errors = [p for p in problems if p.severity == "error"]
    assert errors, f"{name}: no error"
    assert all(p.file == rel for p in errors), [str(p) for p in errors]
    return " ".join(str(p) for p in errors)


def test_the_demo_has_every_source_checked():
    assert len(SOURCES) >= 13 and "budget" in SOURCES


@pytest.mark.parametrize("name", SOURCES)
def test_empty_header_only_and_one_row(site, specs, restore, name):
    path = source_path(site, name)
    original = path.read_bytes()
    path.write_bytes(b"")
    assert "tom (0 bytes)" in named_error(load_one(site, specs, name)[0], site, name)
    path.write_bytes(original)
    cut(path, 0)
    assert "ingen rækker" in named_error(load_one(site, specs, name)[0], site, name)
    path.write_bytes(original)
    cut(path, 1)
    problems, loaded = load_one(site, specs, name)  # one row: loaded, or every problem names the file
    rel = path.relative_to(site).as_posix()
    assert name in loaded.datasets or problems
    assert all(p.file == rel for p in problems), [str(p) for p in problems]


def test_folder_fifo_and_unreadable(site, specs, restore, monkeypatch):
    path = source_path(site, "sager")
    path.unlink()
    path.mkdir()
    assert "er en mappe" in named_error(load_one(site, specs, "sager")[0], site, "sager")
    path.rmdir()
    os.mkfifo(path)  # reading it would block forever: refused before it is opened
    assert "ikke en almindelig fil" in named_error(load_one(site, specs, "sager")[0], site, "sager")
    path.unlink()
    path.write_text("sags_id;foedselsaar\nS-1;2010\n", encoding="utf-8")
    # we may run as root, for whom chmod 000 changes nothing: refuse the read itself
    real_open = pathlib.Path.open

    def no_access(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", no_access)
    assert "Permission denied" in named_error(load_one(site, specs, "sager")[0], site, "sager")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file; the monkeypatched case above covers it")
def test_chmod_000(site, specs, restore):
    path = source_path(site, "sager")
    path.chmod(0)
    try:
        named_error(load_one(site, specs, "sager")[0], site, "sager")
    finally:
        path.chmod(0o644)


def test_header_only_sager_is_named_by_check_and_build(site, restore):
    cut(source_path(site, "sager"), 0)
    assert any(p.file == "sample_data/sager.csv" and "ingen rækker" in str(p) for p in check(site))
    with pytest.raises(DataError, match="sager.csv"):
        build(site)


def test_one_row_cases_and_payments_build(site, restore):
    """The sources the issue named (an IndexError in the economy plugin) with one row each."""
    cut(source_path(site, "sager"), 1)
    cut(source_path(site, "ydelser"), 1)
    try:
        report = build(site)
    except DataError as exc:  # acceptable only as named problems
        assert all(p.file for p in exc.problems), str(exc)
    else:
        assert (report.output_dir / "udvalg" / "index.html").is_file()



def test_a_failing_computation_names_the_files_it_read(make_site):
    """A crash on odd data (not a named problem) still says which files the indicator read."""
    from conftest import TINY_PLUGIN
    from lisite.errors import PluginError

    broken = TINY_PLUGIN.replace("    data = ctx.data[\"tal\"]\n", "    data = ctx.data[\"tal\"]\n    data.iloc[99]\n")
    assert broken != TINY_PLUGIN
    site = make_site({"plugins/tiny.py": broken})
    with pytest.raises(PluginError, match=r"IndexError.*Den læste: data/tal\.csv \(\d+ rækker\)"):
        build(site)
