"""``lisite build-all``: a site per municipality in a pool of processes, each naming its own municipality;
shards that split the list exactly; a failing site reported by name while the others still build."""

from __future__ import annotations

import hashlib
import json
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import GENERIC_PLUGINS
from lisite import buildall
from lisite.cli import main
from lisite.config import load_config
from lisite.plugins import builtin_plugin_paths
from lisite.resources import demo_dir
from lisite.sampledata.kommuner import KOMMUNER, find

# A template that reads the case rows build-all writes (sample_data/sager.csv) and shows one indicator:
# small enough that two municipalities build in seconds.
CASES_PLUGIN = '''
import lisite

@lisite.hookimpl
def lisite_datasets():
    return [lisite.DatasetSpec("sager", "Sager", (
        lisite.Column("sags_id", "str", person_level=True),
        lisite.Column("oprettet", "date"),
    ))]

def compute(ctx):
    cases = ctx.data["sager"]
    months = cases.assign(period=cases["oprettet"].dt.strftime("%Y-%m"))
    out = months.groupby("period").size().rename("numerator").reset_index()
    return out[out["period"] >= "2026-01"]

@lisite.hookimpl
def lisite_indicators():
    return [lisite.Indicator(id="sager.nye", title="Nye sager", theme="administration", element="administrativ_styring",
        unit="antal", compute=compute, levels=(), shown_to=("municipality",))]

@lisite.hookimpl
def lisite_pages(audience, ctx):
    return [lisite.Page("sager.html", "Nye sager", [lisite.IndicatorView("sager.nye")], section="Sager")]
'''


def template(folder: Path, language: str = "da") -> Path:
    disabled = sorted(name for name in builtin_plugin_paths() if name not in GENERIC_PLUGINS)
    (folder / "plugins").mkdir(parents=True)
    (folder / "plugins" / "sager.py").write_text(CASES_PLUGIN, encoding="utf-8")
    (folder / "lisite.toml").write_text(textwrap.dedent(f"""
        [site]
        title = "Sager"
        language = "{language}"
        [municipality]
        code = 479
        name = "Svendborg"
        [period]
        current = "2026-09"
        [audiences.udvalg]
        title = "Udvalget"
        level = "municipality"
        min_count = 5
        [sources.sager]
        path = "sample_data/sager.csv"
        [plugins]
        disabled = {disabled!r}
        """).replace("'", '"'), encoding="utf-8")
    return folder


def test_two_municipalities_build_side_by_side_and_a_broken_one_is_named(tmp_path):
    out = tmp_path / "kommuner"
    (out / "492").mkdir(parents=True)
    (out / "492" / "lisite.toml").write_text("[site\n", encoding="utf-8")  # an existing folder is built as it stands
    args = ["build-all", "--kommuner", "825,563,492", "--workers", "2", "--output", str(out),
            "--template", str(template(tmp_path / "skabelon"))]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "FEJL 492 Ærø" in result.output
    for code, name, other in ((825, "Læsø", "Fanø"), (563, "Fanø", "Læsø")):
        front = (out / str(code) / "_site" / "index.html").read_text(encoding="utf-8")
        assert f"{name} Kommune" in front and other not in front
        assert f"{code} {name}: data " in result.output  # its own line with the time of each step
        assert (out / str(code) / "_site" / "udvalg" / "sager.html").is_file()
    assert not (out / "492" / "_site").exists()
    assert "2 af 3 sites bygget" in result.output and "sites pr. minut" in result.output
    # the cost per site: split into a fixed part and a part per case row, or, where two small sites' times cannot
    # be split by a line (the larger built faster), their median
    assert re.search(r"^(fast omkostning pr. site: \d+,\d\d s|byggetid pr. site: \d+,\d\d s \(medianen af 2)",
                     result.output, re.MULTILINE)


def test_a_second_run_keeps_the_unchanged_sites_and_builds_the_changed_one(tmp_path):
    """Run again, build-all writes nothing for a municipality whose data, configuration and lisite are as at its last
    build (as ``lisite build`` finds it) and builds the one whose data changed; the kept one is no measurement."""
    out = tmp_path / "kommuner"
    args = ["build-all", "--kommuner", "825,563", "--workers", "1", "--output", str(out),
            "--template", str(template(tmp_path / "skabelon"))]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "uændret" not in first.output and "2 af 2 sites bygget" in first.output
    sites = {code: out / code / "_site" for code in ("825", "563")}  # a build puts a new folder in place of the old
    before = {code: (path.stat().st_ino, (path / "udvalg" / "sager.html").stat().st_mtime_ns) for code, path in sites.items()}
    cases = out / "825" / "sample_data" / "sager.csv"
    cases.write_text(cases.read_text(encoding="utf-8").replace("FIKTIVE DATA", "FIKTIVE DATA, rettet", 1), encoding="utf-8")

    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0, second.output
    assert "563 Fanø: uændret siden sidste bygning, intet skrevet" in second.output
    assert "825 Læsø: data genbrugt, bygget på" in second.output
    assert "1 af 2 sites bygget" in second.output and "1 af 2 sites var uændrede" in second.output
    assert "fast omkostning" not in second.output  # one site built: no line through one point
    assert "(medianen af 1;" in second.output  # its time alone: the kept one is no build
    assert (sites["563"].stat().st_ino, (sites["563"] / "udvalg" / "sager.html").stat().st_mtime_ns) == before["563"]
    assert sites["825"].stat().st_ino != before["825"][0]  # built again: a new folder in its place
    results = [buildall.SiteResult(1, "", Path(), 100, 0.0, 2.0), buildall.SiteResult(2, "", Path(), 300, 0.0, 4.0),
               buildall.SiteResult(3, "", Path(), 900, 0.0, 0.01, pages=5, kept=True)]
    assert buildall.fixed_cost(results) == pytest.approx((1.0, 0.01))  # the kept site's 0.01 s is left out


def test_a_second_run_brings_the_template_in_and_keeps_what_was_edited_in_the_folder(tmp_path):
    """The files a municipality's folder got from its template follow the template at the next run (changed, added,
    gone), its sample data stay; a file edited or deleted in the folder is left as it is and named, and a file of the
    folder's own is never touched."""
    skabelon = template(tmp_path / "skabelon")
    (skabelon / "content").mkdir()
    for name in ("gammel.md", "slettet.md"):
        (skabelon / "content" / name).write_text("Fra skabelonen.\n", encoding="utf-8")
    out = tmp_path / "kommuner"
    args = ["build-all", "--kommuner", "825", "--workers", "1", "--output", str(out), "--template", str(skabelon)]
    assert CliRunner().invoke(main, args).exit_code == 0
    site = out / "825"
    cases = (site / "sample_data" / "sager.csv").stat()

    plugin = skabelon / "plugins" / "sager.py"
    plugin.write_text(plugin.read_text(encoding="utf-8").replace('"Nye sager", [', '"Nye sager i måneden", ['), encoding="utf-8")
    (skabelon / "content" / "gammel.md").unlink()
    (skabelon / "content" / "slettet.md").unlink()
    (skabelon / "content" / "ny.md").write_text("Ny i skabelonen.\n", encoding="utf-8")
    config = (skabelon / "lisite.toml").read_text(encoding="utf-8")
    (skabelon / "lisite.toml").write_text(config.replace('title = "Sager"', 'title = "Sager fra skabelonen"'), encoding="utf-8")
    own = site / "lisite.toml"  # edited in the folder: its own title
    own.write_text(own.read_text(encoding="utf-8").replace('title = "Sager"', 'title = "Sager på Læsø"'), encoding="utf-8")
    (site / "content" / "slettet.md").write_text("Rettet i mappen.\n", encoding="utf-8")
    (site / "content" / "egen.md").write_text("Mappens egen.\n", encoding="utf-8")

    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0, second.output
    line = next(line for line in second.output.splitlines() if line.startswith("825 Læsø"))
    assert "bygget på" in line and "3 filer fornyet fra skabelonen" in line  # the plugin, gammel.md gone, ny.md new
    assert line.endswith("rettet eller slettet i mappen, ikke fornyet fra skabelonen: content/slettet.md, lisite.toml")
    assert (site / "plugins" / "sager.py").read_text(encoding="utf-8") == plugin.read_text(encoding="utf-8")
    assert "Nye sager i måneden" in (site / "_site" / "udvalg" / "sager.html").read_text(encoding="utf-8")
    assert not (site / "content" / "gammel.md").exists() and (site / "content" / "ny.md").is_file()
    assert (site / "content" / "slettet.md").read_text(encoding="utf-8") == "Rettet i mappen.\n"
    assert (site / "content" / "egen.md").read_text(encoding="utf-8") == "Mappens egen.\n"
    assert 'title = "Sager på Læsø"' in own.read_text(encoding="utf-8")
    assert (site / "sample_data" / "sager.csv").stat().st_mtime_ns == cases.st_mtime_ns  # the same sample data

    # nothing changed: kept, and the edited file the template still has named again (slettet.md is the folder's own now)
    third = CliRunner().invoke(main, args)
    assert "825 Læsø: uændret siden sidste bygning" in third.output and "filer fornyet" not in third.output
    assert third.output.splitlines()[0].endswith("ikke fornyet fra skabelonen: lisite.toml")
    (site / "content" / "ny.md").unlink()  # deleted in the folder: not given again
    assert buildall.refresh(site, find(825), skabelon) == (0, ["content/ny.md", "lisite.toml"])
    assert not (site / "content" / "ny.md").exists()
    # a record naming files outside what a template gives (its data, another folder) does not reach them
    outside = tmp_path / "udenfor.txt"
    outside.write_text("x", encoding="utf-8")
    record = json.loads((site / buildall.TEMPLATE_RECORD).read_text(encoding="utf-8"))
    digest = hashlib.sha256(b"x").hexdigest()
    record["files"].update({"../../udenfor.txt": digest, str(outside): digest, "C:/udenfor.txt": digest, "sample_data/sager.csv":
                            hashlib.sha256((site / "sample_data" / "sager.csv").read_bytes()).hexdigest()})
    (site / buildall.TEMPLATE_RECORD).write_text(json.dumps(record), encoding="utf-8")
    buildall.refresh(site, find(825), skabelon)
    assert outside.is_file() and (site / "sample_data" / "sager.csv").is_file()
    (site / buildall.TEMPLATE_RECORD).unlink()  # a folder with no record of what it got: built as it stands
    assert buildall.refresh(site, find(825), skabelon) == (0, [])


def test_a_text_changed_in_the_template_makes_again_only_the_audience_that_reads_it(tmp_path, monkeypatch):
    """A second run after an edit of one audience's text in the template makes that audience's site again in each
    municipality's folder and reads the other back (the folder's record of what it got from the template is no input)."""
    log = tmp_path / "sider.log"
    monkeypatch.setenv("LISITE_TEST_PAGES_LOG", str(log))  # the spawned processes that build the sites inherit it
    skabelon = template(tmp_path / "skabelon")
    plugin = skabelon / "plugins" / "sager.py"
    plugin.write_text(plugin.read_text(encoding="utf-8").replace('''def lisite_pages(audience, ctx):
    return [''', '''def lisite_pages(audience, ctx):
    import os
    with open(os.environ["LISITE_TEST_PAGES_LOG"], "a", encoding="utf-8") as fh:
        fh.write(audience.id + "\\n")
    return [lisite.Page("om.html", "Om", [lisite.Markdown(source=f"tekster/{audience.id}.md")], section="Om"),
            '''), encoding="utf-8")
    config = skabelon / "lisite.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[sources.sager]", '''[audiences.direktion]
title = "Direktionen"
level = "municipality"
min_count = 5
[sources.sager]'''), encoding="utf-8")
    (skabelon / "content" / "tekster").mkdir(parents=True)
    for audience in ("udvalg", "direktion"):
        (skabelon / "content" / "tekster" / f"{audience}.md").write_text(f"Til {audience}.\n", encoding="utf-8")
    out = tmp_path / "kommuner"
    args = ["build-all", "--kommuner", "825,563", "--workers", "1", "--output", str(out), "--template", str(skabelon)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert sorted(log.read_text(encoding="utf-8").split()) == ["direktion", "direktion", "udvalg", "udvalg"]
    log.unlink()

    (skabelon / "content" / "tekster" / "udvalg.md").write_text("Til udvalget, ny udgave.\n", encoding="utf-8")
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0, second.output
    assert log.read_text(encoding="utf-8").split() == ["udvalg", "udvalg"]  # one for each municipality
    lines = second.output.splitlines()
    assert sum(line.endswith("; 1 fil fornyet fra skabelonen; uændret og læst tilbage fra sidste bygning: direktion")
               for line in lines) == 2
    assert not any(line.startswith("fast omkostning") for line in lines)  # no site was built whole: nothing to fit
    for code in ("825", "563"):
        assert "ny udgave" in (out / code / "_site" / "udvalg" / "om.html").read_text(encoding="utf-8")
        assert "Til direktion." in (out / code / "_site" / "direktion" / "om.html").read_text(encoding="utf-8")


def test_build_all_speaks_the_language_of_the_sites_it_builds_with_its_numbers(tmp_path):
    """The lines of build-all are worded in the template's language (the demo's Danish by default), numbers as that
    language writes them, and a code that names no municipality is a usage error saying so."""
    out = tmp_path / "kommuner"
    args = ["build-all", "--kommuner", "825,563", "--workers", "2", "--output", str(out),
            "--template", str(template(tmp_path / "skabelon", language="en"))]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert re.search(r"^825 Læsø: data \d+\.\d s, built in \d+\.\d s \(\d+ case rows, \d+ pages\)$", result.output, re.MULTILINE)
    assert re.search(r"^2 of 2 sites built in \d+\.\d s in all \(\d+\.\d sites a minute\)$", result.output, re.MULTILINE)
    # two small municipalities: a line through their times splits them into a fixed part and a part per row, or,
    # as their times go up and down, it cannot, and the median is given: never a negative cost
    assert re.search(r"^(fixed cost per site: \d+\.\d\d s; per 1,000 case rows: \d+\.\d\d s"
                     r"|build time per site: \d+\.\d\d s \(the median of 2; too few sites)", result.output, re.MULTILINE)
    assert not re.search(r": -\d", result.output)
    assert "bygget" not in result.output and "sagsrækker" not in result.output
    danish = buildall.summary([buildall.SiteResult(1, "", Path(), 1200, 1234.5, 2.25),
                               buildall.SiteResult(2, "", Path(), 3400, 0.0, 3.5)], 61.25)
    assert danish[0] == "2 af 2 sites bygget på 61,2 s i alt (2,0 sites pr. minut)"
    assert danish[1] == "eksempeldata: 1.234,5 s, bygninger: 5,8 s (summen over processerne)"
    assert danish[2].startswith("fast omkostning pr. site: 1,57 s; pr. 1.000 sagsrækker: 0,57 s")
    unknown = CliRunner().invoke(main, ["build-all", "--kommuner", "825,999", "--output", str(out)])
    assert unknown.exit_code == 2 and "999 er ingen kommunes kode" in unknown.output
    (tmp_path / "tom").mkdir()
    empty = CliRunner().invoke(main, ["build-all", "--kommuner", "825", "--output", str(out), "--template", str(tmp_path / "tom")])
    assert empty.exit_code == 2 and "har ingen lisite.toml" in empty.output


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_shards_cover_every_municipality_exactly_once(count):
    shards = [buildall.select(None, (index, count)) for index in range(1, count + 1)]
    codes = [k.code for shard in shards for k in shard]
    assert sorted(codes) == sorted(k.code for k in KOMMUNER) and len(codes) == 98
    assert max(map(len, shards)) - min(map(len, shards)) <= 1


def test_the_shard_option_splits_a_list_and_refuses_nonsense():
    chosen = [101, 147, 825, 563, 492]
    assert buildall.select(chosen, buildall.parse_shard("1/2")) == [find(101), find(492), find(825)]
    assert buildall.select(chosen, buildall.parse_shard(" 2 / 2 ")) == [find(147), find(563)]
    for bad in ("0/2", "3/2", "2", "a/b"):
        with pytest.raises(ValueError):
            buildall.parse_shard(bad)
    result = CliRunner().invoke(main, ["build-all", "--all", "--shard", "3/2"])
    assert result.exit_code == 2 and "I/N" in result.output
    result = CliRunner().invoke(main, ["build-all"])  # neither --kommuner nor --all: nothing is built by accident
    assert result.exit_code == 2 and "--all" in result.output


def test_the_demo_config_gets_the_municipality_and_keeps_the_rest(tmp_path):
    text = (demo_dir() / "lisite.toml").read_text(encoding="utf-8")
    (tmp_path / "lisite.toml").write_text(buildall.set_municipality(text, find(825)), encoding="utf-8")
    config, demo = load_config(tmp_path), load_config(demo_dir())
    assert (config.municipality_code, config.municipality_name) == (825, "Læsø")
    assert config.audiences.keys() == demo.audiences.keys() and config.sources.keys() == demo.sources.keys()
    assert buildall.set_municipality("[site]\ntitle = 'x'\n", find(563)).endswith('[municipality]\ncode = 563\nname = "Fanø"\n')


def test_the_fixed_cost_is_the_intercept_of_time_against_case_rows():
    results = [buildall.SiteResult(k, "", Path(), rows, 0.0, 2.0 + 0.01 * rows) for k, rows in ((1, 100), (2, 300), (3, 900))]
    fixed, per_row = buildall.fixed_cost(results)
    assert fixed == pytest.approx(2.0) and per_row == pytest.approx(0.01)
    failed = buildall.SiteResult(4, "", Path(), 5000, 0.0, 1.0, error="x")  # a failed site is no measurement
    assert buildall.fixed_cost(results + [failed]) == pytest.approx((2.0, 0.01))
    partial = buildall.SiteResult(5, "", Path(), 5000, 0.0, 1.0, reused=("udvalg",))  # audiences read back: no measure either
    assert buildall.fixed_cost(results + [partial]) == pytest.approx((2.0, 0.01))
    assert buildall.fixed_cost(results[:1]) is None


def test_a_line_that_says_more_rows_take_less_time_is_no_fixed_cost():
    """Two sites of nearly the same size, the larger built a little faster (the machine's ups and downs): the fit
    would say -4.40 s per 1,000 case rows and a fixed cost above both builds. No such line is given; the median is."""
    alike = [buildall.SiteResult(825, "", Path(), 199, 0.1, 3.7), buildall.SiteResult(563, "", Path(), 310, 0.1, 3.2)]
    assert buildall.fixed_cost(alike) is None
    assert buildall.median_build(alike) == pytest.approx(3.45)
    lines = buildall.summary(alike, 4.4)
    assert lines[-1] == ("byggetid pr. site: 3,45 s (medianen af 2; for få sites eller for ens i størrelse til at dele "
                         "tiden i en fast del og en del pr. sagsrække)")
    assert not any("fast omkostning" in line for line in lines)
    english = buildall.summary(alike[:1], 4.4, lang="en")
    assert english[-1].startswith("build time per site: 3.70 s (the median of 1;")
    below_zero = [buildall.SiteResult(k, "", Path(), rows, 0.0, seconds) for k, rows, seconds in ((1, 100, 0.1), (2, 900, 9.0))]
    assert buildall.fixed_cost(below_zero) is None  # a site without rows would take -1.0 s
    assert buildall.median_build([]) is None and buildall.summary([], 1.0)[-1].startswith("eksempeldata")


def test_the_processes_that_build_the_sites_collect_garbage_as_the_command_does():
    import gc

    from lisite.cli import YOUNG_OBJECTS

    with buildall.pool_of(1) as pool:
        young, *older = pool.submit(gc.get_threshold).result()
    assert young == YOUNG_OBJECTS != 700  # spawned: without the pool's own setting it would be Python's 700
    assert older == [10, 10]
