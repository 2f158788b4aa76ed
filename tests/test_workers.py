"""A one-off build reads its datasets, computes its indicators and makes its audiences in forked workers
(lisite.workers): the site is the same as one made in one process, and so are its problems and errors."""

from __future__ import annotations

import hashlib
import os
import sys

import pytest

from lisite import workers
from lisite.build import build
from lisite.errors import DataError, PluginError

forking = pytest.mark.skipif(os.cpu_count() < 2 or sys.platform == "win32", reason="workers need fork and two cores")

MANY = '''
import os
import lisite

PIDS = {pids!r}


@lisite.hookimpl
def lisite_datasets():
    columns = (lisite.Column("maaned", "str"), lisite.Column("team", "str"), lisite.Column("antal", "int"))
    return [lisite.DatasetSpec(name, name.title(), columns, required=False) for name in ("tal", "mere", "sidst")]


def counted(name, factor):
    def compute(ctx):
        with open(PIDS, "a", encoding="utf-8") as fh:
            fh.write(f"{{os.getpid()}}\\n")
        data = ctx.data[name]
        {fail}
        out = data.groupby(["maaned", "team"])["antal"].sum().reset_index()
        out["antal"] = out["antal"] * factor
        return out.rename(columns={{"maaned": "period", "antal": "numerator"}})
    return compute


@lisite.hookimpl
def lisite_indicators():
    return [lisite.Indicator(id=f"mange.{{name}}_{{factor}}", title=f"{{name}} gange {{factor}}", theme="administration",
                             element="administrativ_styring", unit="antal", compute=counted(name, factor), levels=("team",),
                             shown_to=("municipality", "team"))
            for name in ("tal", "mere") for factor in range(1, 6)]


@lisite.hookimpl
def lisite_pages(audience, ctx):
    blocks = [lisite.IndicatorView(f"mange.{{name}}_{{factor}}") for name in ("tal", "mere") for factor in range(1, 6)]
    return [lisite.Page("mange.html", "Mange", blocks, section="Tal")]
'''

SOURCES = '''
[sources.mere]
path = "data/mere.csv"
[sources.sidst]
path = "data/sidst.csv"
'''


def many_site(make_site, tmp_path, name: str, fail: str = "pass"):
    """Ten indicators over two datasets (and a third with a problem in it), so every step has work to share."""
    pids = tmp_path / f"{name}.pids"
    from conftest import TINY_DATA, tiny_config

    site = make_site({"plugins/many.py": MANY.format(pids=str(pids), fail=fail), "data/mere.csv": TINY_DATA.replace(";10;", ";7;"),
                      "data/sidst.csv": "maaned;team;antal;ekstra\n2026-09;A;3;x\n2026-09;B;4;y\n"}, config=tiny_config(SOURCES), name=name)
    return site, pids


def tree(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in (".lisite-build.json", ".lisite-site.json")}  # records of what each was made from


def double(x: int) -> tuple[int, int]:
    return x * 2, os.getpid()


def fail_on_three(x: int) -> int:
    if x == 3:
        raise DataError([__import__("lisite").Problem("tre er for mange", file="data/tal.csv")])
    if x == 4:
        raise KeyError("fire")
    return x


@forking
def test_each_gives_results_in_order_from_forked_workers(monkeypatch):
    monkeypatch.setenv("LISITE_WORKERS", "2")
    found = workers.each(double, list(range(12)))
    assert [value for value, _ in found] == [x * 2 for x in range(12)]
    assert os.getpid() not in {pid for _, pid in found}
    assert {pid for _, pid in workers.each(double, list(range(12)), parallel=False)} == {os.getpid()}
    monkeypatch.setenv("LISITE_WORKERS", "1")
    assert {pid for _, pid in workers.each(double, list(range(12)))} == {os.getpid()}


@forking
def test_the_first_error_in_order_comes_back_as_the_lisite_error_it_was(monkeypatch):
    monkeypatch.setenv("LISITE_WORKERS", "2")
    with pytest.raises(DataError) as err:
        workers.each(fail_on_three, list(range(8)))
    assert [p.message for p in err.value.problems] == ["tre er for mange"]
    assert "fail_on_three" in err.value.remote_traceback
    with pytest.raises(Exception) as err:
        workers.each(fail_on_three, [4, 3])
    assert "KeyError: 'fire'" in str(err.value)


@forking
def test_a_site_made_in_workers_is_the_site_made_in_one_process(make_site, tmp_path, monkeypatch):
    made = {}
    for count in ("1", "2"):
        monkeypatch.setenv("LISITE_WORKERS", count)
        monkeypatch.setenv("LISITE_CACHE", str(tmp_path / f"cache{count}"))  # nothing kept: every step does its work
        site, pids = many_site(make_site, tmp_path, f"site{count}")
        report = build(site)
        made[count] = tree(site / "_site"), [str(p) for p in report.warnings], set(pids.read_text().split())
    assert made["1"][0] == made["2"][0]
    assert made["1"][1] == made["2"][1] and any("sidst.csv" in w for w in made["1"][1])  # its unknown column, in its place
    assert made["1"][2] == {str(os.getpid())}
    assert len(made["2"][2]) == 2 and str(os.getpid()) not in made["2"][2]  # ten indicators, shared by two workers


@forking
def test_an_indicator_failing_in_a_worker_is_named_as_in_one_process(make_site, tmp_path, monkeypatch):
    messages = []
    for count in ("1", "2"):
        monkeypatch.setenv("LISITE_WORKERS", count)
        monkeypatch.setenv("LISITE_CACHE", str(tmp_path / f"cache{count}"))
        site, _ = many_site(make_site, tmp_path, f"site{count}", fail="if name == 'mere' and factor == 3: {}['kolonne']")
        with pytest.raises(PluginError) as err:
            build(site)
        messages.append(err.value.format_message())
    assert messages[0] == messages[1]
    assert messages[0].startswith("Indikatoren 'mange.mere_3' (plugin many) fejlede: KeyError: 'kolonne'")
    assert "data/mere.csv" in messages[0]  # the file it read, as in one process
