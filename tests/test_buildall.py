"""``lisite build-all``: a site per municipality in a pool of processes, each naming its own municipality;
shards that split the list exactly; a failing site reported by name while the others still build."""

from __future__ import annotations

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


def template(folder: Path) -> Path:
    disabled = sorted(name for name in builtin_plugin_paths() if name not in GENERIC_PLUGINS)
    (folder / "plugins").mkdir(parents=True)
    (folder / "plugins" / "sager.py").write_text(CASES_PLUGIN, encoding="utf-8")
    (folder / "lisite.toml").write_text(textwrap.dedent(f"""
        [site]
        title = "Sager"
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
    assert "fast omkostning pr. site" in result.output


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
    assert buildall.fixed_cost(results[:1]) is None


def test_the_processes_that_build_the_sites_collect_garbage_as_the_command_does():
    import gc

    from lisite.cli import YOUNG_OBJECTS

    with buildall.pool_of(1) as pool:
        young, *older = pool.submit(gc.get_threshold).result()
    assert young == YOUNG_OBJECTS != 700  # spawned: without the pool's own setting it would be Python's 700
    assert older == [10, 10]
