"""Danmarks Statistik sources (issue 13, point 1): answers kept in the site, ``lisite fetch`` against a
local stand-in for the StatBank API, offline builds, and the benchmark recipe's pitfalls.

The small answers in ``tests/fixtures/dst/`` are written by hand in the API's BULK format (value
codes, ``;``, decimal comma, ``..``); their figures are chosen so the expected rates can be worked out
on paper (see each test). The 98-municipality answers come from ``dst_api.made_up`` (deterministic).
"""

from __future__ import annotations

import json
import math
import re
import socket
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from dst_api import FakeStatBank, made_up
from lisite import dst, dst_benchmark
from lisite.cli import main
from lisite.config import load_config
from lisite.data import load_all
from lisite.dst_fetch import FetchError, fetch
from lisite.errors import ConfigError, DataError
from lisite.i18n import Translator
from lisite.plugins import make_plugin_manager

FIXTURES = Path(__file__).parent / "fixtures" / "dst"
NOW = datetime(2026, 11, 30, 7, 45, tzinfo=timezone.utc)
CONFIG = """[municipality]
code = 479
name = "Svendborg"
[period]
current = "2026-09"
[sources.benchmark]
kind = "dst-benchmark"
years = [2023, 2024]
"""


def make_site(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "lisite.toml").write_text(CONFIG + extra, encoding="utf-8")
    return tmp_path


def stored_fixtures(site: Path) -> None:
    """Keep the hand-made answers as if ``lisite fetch`` had fetched them on 30 November 2026."""
    for table, query in dst_benchmark.queries((2023, 2024)).items():
        dst.save(site, query, (FIXTURES / f"{table}.csv").read_text(encoding="utf-8"), {"retrieved": "2026-11-30T07:45:00Z"})


def recipe(site: Path) -> pd.DataFrame:
    source = load_config(site).sources["benchmark"]
    out = dst.benchmark(source, site)
    return out.assign(kommunekode=out["kommunekode"].astype(int), aar=out["aar"].astype(int)).set_index(["kommunekode", "aar"])


def number(text: str) -> float:
    return float(text) if text != "" else math.nan


# --- the API's format -------------------------------------------------------------------------


def test_withheld_and_decimal_comma():
    """'..' is missing (never 0) and '37,7' is 37.7."""
    values = dst.numbers(pd.Series(["37,7", "..", "", "1200"]))
    assert values[0] == 37.7 and values[3] == 1200
    assert values[1:3].isna().all()


def test_query_body_and_stored_name():
    query = dst.Query("UND1", (("ADMKOM", ("*",)), ("Tid", ("2024",))))
    assert query.body() == {"table": "UND1", "format": "BULK", "lang": "da", "valuePresentation": "Code",
                            "variables": [{"code": "ADMKOM", "values": ["*"]}, {"code": "Tid", "values": ["2024"]}]}
    other = dst.Query("UND1", (("ADMKOM", ("*",)), ("Tid", ("2023",))))
    assert re.fullmatch(r"UND1-[0-9a-f]{10}", query.stem) and query.stem != other.stem


# --- the recipe, from hand-made answers ---------------------------------------------------------


def test_recipe_rates_worked_out_by_hand(tmp_path):
    """Svendborg (479) 2023: 18 ages × 500 = 9.000 children; 640 notifications → 71,1 per 1.000;
    250 placed → 27,8 per 1.000; 5.28.20-25 = 20.000,5 + 40.000,25 + 30.000 + 25.000,25 + 1.000 + 3.500 =
    119.501 (1.000 kr.) → 13.277,9 kr. per child. København (101): ages 0-17 with 1.000 + age children
    = 18.153; 1.234 notifications → 68,0 per 1.000."""
    site = make_site(tmp_path)
    stored_fixtures(site)
    out = recipe(site)
    sv, kbh = out.loc[(479, 2023)], out.loc[(101, 2023)]
    children = number(sv["boern_0_17"])
    assert children == 9000
    assert round(number(sv["underretninger"]) / children * 1000, 1) == 71.1
    assert round(number(sv["anbragte"]) / children * 1000, 1) == 27.8
    assert number(sv["udgift_1000kr"]) == 119501
    assert round(number(sv["udgift_1000kr"]) * 1000 / children, 1) == 13277.9
    assert number(sv["udgift_forebyggende_1000kr"]) == 40000.25 and number(sv["udgift_indsatser_1000kr"]) == 115001
    assert number(sv["anbragte_uden_samtykke"]) / number(sv["anbragte"]) == 12 / 250
    assert number(sv["forebyggende"]) == 410 and number(sv["boern_med_underretning"]) == 420
    assert number(kbh["boern_0_17"]) == 18153 and round(1234 / 18153 * 1000, 1) == 68.0
    assert kbh["kommune"] == "København" and kbh["region"] == "Region Hovedstaden"


def test_recipe_keeps_only_the_98_municipalities_and_each_tables_total_codes(tmp_path):
    """The answers also hold the country (0/000), a region (084), unknown municipality (998), Christiansø
    (411), age 0 ('0' is not the total '00' in UND1), boys only, and kr. per inhabitant in REGK31: none
    of them may leak into a municipality's figure."""
    site = make_site(tmp_path)
    stored_fixtures(site)
    out = recipe(site)
    codes = {code for code, _ in out.index}
    assert len(codes) == 98 and not codes & {0, 411, 998, 84}
    assert number(out.loc[(101, 2023), "underretninger"]) == 1234  # not 1234 + 11 (age 0) + 22 (boys)
    assert number(out.loc[(479, 2023), "anbragte"]) == 250  # ALERAMS 0 (all), not 9917 (0-17)
    assert number(out.loc[(479, 2024), "udgift_1000kr"]) == 119501  # LOBM only, INDL left out
    assert pd.isna(number(out.loc[(151, 2023), "underretninger"]))  # not in the answer: missing, not 0


def test_recipe_family_care_across_the_2024_break(tmp_path):
    """2023: netværkspleje 20 + almindelig 60 + kommunal 15 = 95; 2024: 22 + almen 40 + forstærket 20 +
    specialiseret 10 + § 76 a 3 = 95, although the old types are '..' in 2024."""
    site = make_site(tmp_path)
    stored_fixtures(site)
    out = recipe(site)
    assert number(out.loc[(479, 2023), "anbragte_familiepleje"]) == 95
    assert number(out.loc[(479, 2024), "anbragte_familiepleje"]) == 95


def test_withheld_figure_stays_missing_through_loading(tmp_path):
    """'..' for Svendborg's notifications 2024 and for one age group: both figures are missing once the
    benchmark is loaded and typed, never 0 and never a sum of the other ages."""
    site = make_site(tmp_path)
    stored_fixtures(site)
    config = load_config(site)
    pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths)
    specs = [s for found in pm.hook.lisite_datasets(config=config) for s in found if s.name == "benchmark"]
    loaded = load_all(config, specs, pm.hook.lisite_load_source, t=Translator("da"))
    frame = loaded.datasets["benchmark"].frame.set_index(["kommunekode", "aar"])
    assert pd.isna(frame.loc[(479, 2024), "underretninger"]) and pd.isna(frame.loc[(479, 2024), "boern_0_17"])
    assert frame.loc[(479, 2023), "underretninger"] == 640
    assert loaded.datasets["benchmark"].extracted == "2026-11-30"
    assert frame.attrs["dst"]["underretninger"] == {"tables": ["UND1"], "retrieved": "2026-11-30"}


def test_a_benchmark_fetched_before_the_reporting_month_ended_is_no_early_export(tmp_path):
    """Danmarks Statistik's figures are whole years: a table fetched on 10 September is not a September export
    that misses the rest of the month (lisite check warns of those)."""
    site = make_site(tmp_path)
    for table, query in dst_benchmark.queries((2023, 2024)).items():
        dst.save(site, query, (FIXTURES / f"{table}.csv").read_text(encoding="utf-8"), {"retrieved": "2026-09-10T07:45:00Z"})
    loaded = load_benchmark(site)
    assert loaded.datasets["benchmark"].extracted == "2026-09-10"
    assert not [p for p in loaded.problems if "udtrukket" in p.message]


def load_benchmark(site: Path):
    config = load_config(site)
    pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths)
    specs = [s for found in pm.hook.lisite_datasets(config=config) for s in found if s.name == "benchmark"]
    return load_all(config, specs, pm.hook.lisite_load_source, t=Translator("da"))


def test_refreshed_answer_changes_the_datasets_hash(tmp_path):
    """Caches key on the dataset's hash: a refreshed answer must give another one."""
    site = make_site(tmp_path)
    stored_fixtures(site)
    before = load_benchmark(site).datasets["benchmark"].sha256
    data, _ = dst_benchmark.queries((2023, 2024))["UND1"].paths(site)
    data.write_text(data.read_text(encoding="utf-8").replace("479;0;00;0;2023;640", "479;0;00;0;2023;641"), encoding="utf-8")
    after = load_benchmark(site).datasets["benchmark"]
    assert after.sha256 != before and after.frame.set_index(["kommunekode", "aar"]).loc[(479, 2023), "underretninger"] == 641


def test_missing_stored_answer_names_source_and_fetch(tmp_path):
    site = make_site(tmp_path)
    config = load_config(site)
    pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths)
    specs = [s for found in pm.hook.lisite_datasets(config=config) for s in found if s.name == "benchmark"]
    loaded = load_all(config, specs, pm.hook.lisite_load_source, t=Translator("da"))
    [problem] = [p for p in loaded.problems if p.dataset == "benchmark"]
    assert "[sources.benchmark]" in problem.message and "lisite fetch" in problem.message and "UND1" in problem.message
    assert "benchmark" not in loaded.datasets


# --- lisite fetch against a local stand-in for the API --------------------------------------------


def test_fetch_stores_answer_and_sidecar_with_the_exact_query(tmp_path):
    site = make_site(tmp_path)
    with FakeStatBank() as api:
        changes = fetch(load_config(site), api=api.url, now=NOW)
        bodies = api.data_bodies()
    assert {c.table for c in changes} == set(dst_benchmark.queries((2023, 2024))) and all(c.first for c in changes)
    und1 = next(b for b in bodies if b["table"] == "UND1")
    assert und1["format"] == "BULK" and und1["lang"] == "da" and und1["valuePresentation"] == "Code"
    assert {"code": "ALDER1", "values": ["00"]} in und1["variables"]
    folk = next(b for b in bodies if b["table"] == "FOLK1A")
    assert {"code": "Tid", "values": ["2024K1", "2025K1"]} in folk["variables"]  # 1 January after each year
    query = dst_benchmark.queries((2023, 2024))["UND1"]
    data, side = query.paths(site)
    meta = json.loads(side.read_text(encoding="utf-8"))
    assert meta["query"] == und1 and meta["retrieved"] == "2026-11-30T07:45:00Z" and meta["info"]["id"] == "UND1"
    assert data.read_text(encoding="utf-8").startswith("ADMKOM;UNDERRETERE;ALDER1;KØN;TID;INDHOLD")


def test_second_fetch_unchanged_then_a_changed_value_and_a_new_period(tmp_path):
    site = make_site(tmp_path)
    runner = CliRunner()
    with FakeStatBank() as api:
        first = runner.invoke(main, ["fetch", "--site", str(site), "--api", api.url])
        again = runner.invoke(main, ["fetch", "--site", str(site), "--api", api.url])
        api.values = lambda table, cell: "999" if (table, cell.get("ADMKOM"), cell["TID"]) == ("UND1", "479", "2024") else made_up(table, cell)
        changed = fetch(load_config(site), api=api.url)
    assert first.exit_code == 0 and "hentet for første gang" in first.output
    assert again.exit_code == 0 and again.output.count("uændret") == 8, again.output
    by_table = {c.table: c for c in changed}
    assert by_table["UND1"].changed == 1 and by_table["UND1"].unchanged == 199
    assert all(c.same for t, c in by_table.items() if t != "UND1")
    site.joinpath("lisite.toml").write_text(CONFIG.replace("[2023, 2024]", "[2023, 2024, 2025]"), encoding="utf-8")
    with FakeStatBank() as api:  # another selection is another stored answer: first fetch for it
        wider = fetch(load_config(site), api=api.url)
    assert all(c.first for c in wider)


def test_new_periods_are_named(tmp_path):
    site = make_site(tmp_path, '[sources.folketal]\nkind = "dst"\ntable = "FOLK1A"\n'
                               '[sources.folketal.select]\n"OMRÅDE" = ["479"]\n"KØN" = ["TOT"]\nALDER = ["IALT"]\nCIVILSTAND = ["TOT"]\nTid = ["2025K1"]\n')
    with FakeStatBank() as api:
        fetch(load_config(site), "folketal", api=api.url)
        query = dst.queries(load_config(site).sources["folketal"])[0]
        data, _ = query.paths(site)
        data.write_text(data.read_text(encoding="utf-8").replace("2025K1", "2024K4"), encoding="utf-8")  # an older answer
        [change] = fetch(load_config(site), "folketal", api=api.url)
    assert change.new_periods == ["2025K1"] and not change.same


def test_network_failure_keeps_the_stored_answer(tmp_path):
    site = make_site(tmp_path)
    stored_fixtures(site)
    before = {p.name: p.read_bytes() for p in (site / dst.FOLDER).iterdir()}
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    with pytest.raises(FetchError, match="Kunne ikke hente"):
        fetch(load_config(site), api=closed)
    with FakeStatBank() as api:
        api.refuse = "UND1"
        with pytest.raises(FetchError, match=r"HTTP 400.*Ukendt værdi"):
            fetch(load_config(site), api=api.url)
    after = {p.name: p.read_bytes() for p in (site / dst.FOLDER).iterdir() if p.name.startswith("UND1")}
    assert after == {name: data for name, data in before.items() if name.startswith("UND1")}
    assert not [p for p in (site / dst.FOLDER).iterdir() if p.name.endswith(".tmp")]


def test_unknown_variable_is_named_with_the_tables_own(tmp_path):
    site = make_site(tmp_path, '[sources.folketal]\nkind = "dst"\ntable = "FOLK1A"\n[sources.folketal.select]\nOMRADE = ["*"]\nTid = ["2025K1"]\n')
    with FakeStatBank() as api, pytest.raises(FetchError) as caught:
        fetch(load_config(site), "folketal", api=api.url)
    assert "OMRADE" in str(caught.value) and "OMRÅDE" in str(caught.value) and "sources.folketal" in str(caught.value)


def test_an_english_sites_fetch_errors_are_english(tmp_path):
    """``lisite fetch`` for an English site words its errors in English: an unknown source, a refused query, no network."""
    site = make_site(tmp_path, '[sources.folketal]\nkind = "dst"\ntable = "FOLK1A"\n[sources.folketal.select]\nOMRADE = ["*"]\n')
    text = (site / "lisite.toml").read_text(encoding="utf-8")
    (site / "lisite.toml").write_text('[site]\nlanguage = "en"\n' + text, encoding="utf-8")
    config = load_config(site)
    assert config.language == "en"
    with pytest.raises(FetchError, match=r"There is no source from Statistics Denmark called 'nowhere'\. The sources are: .*folketal"):
        fetch(config, "nowhere")
    with FakeStatBank() as api, pytest.raises(FetchError, match=r"sources\.folketal: the table FOLK1A has no variable OMRADE; it has"):
        fetch(config, "folketal", api=api.url)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    with pytest.raises(FetchError, match="Could not fetch from .*Check the network"):
        fetch(config, "folketal", api=closed)


# --- a plain table as a dataset, and the configuration -----------------------------------------------


def test_plain_table_source_reads_the_stored_answer(tmp_path):
    site = make_site(tmp_path, '[sources.folketal]\nkind = "dst"\ntable = "UND1"\n[sources.folketal.select]\nADMKOM = ["*"]\n')
    source = load_config(site).sources["folketal"]
    query = dst.queries(source)[0]
    dst.save(site, query, (FIXTURES / "UND1.csv").read_text(encoding="utf-8"), {"retrieved": "2026-11-30T07:45:00Z"})
    frame = dst.read_source(source, site)
    assert list(frame.columns) == ["ADMKOM", "UNDERRETERE", "ALDER1", "KØN", "TID", "INDHOLD"]
    withheld = frame[(frame["ADMKOM"] == "479") & (frame["TID"] == "2024") & (frame["ALDER1"] == "00") & (frame["KØN"] == "0")]
    assert withheld["INDHOLD"].tolist() == [""] and frame.attrs["extracted"] == "2026-11-30"


@pytest.mark.parametrize("extra, key", [
    ('[sources.x]\nkind = "dts"\n', "sources.x.kind"),
    ('[sources.x]\nkind = "dst"\n', "sources.x.table"),
    ('[sources.x]\nkind = "dst"\ntable = "UND1"\n', "sources.x.select"),
    ('[sources.x]\nkind = "dst"\ntable = "UND1"\n[sources.x.select]\nADMKOM = "*"\n', "sources.x.select.ADMKOM"),
    ('[sources.x]\npath = "a.csv"\ntable = "UND1"\n', "sources.x.table"),
    ('[sources.x]\nkind = "dst-benchmark"\n', "sources.x.years"),
])
def test_config_errors_name_the_key(tmp_path, extra, key):
    site = tmp_path
    (site / "lisite.toml").write_text(CONFIG.split("[sources.benchmark]")[0] + extra, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(key)):
        load_config(site)


# --- a whole site, built offline from the stored answers ---------------------------------------------


def test_demo_builds_offline_from_dst_and_names_the_source(tmp_path):
    """The demo with its benchmark from the recipe: fetched once from the stand-in, then built with no
    server running. The comparison page shows the DST definition, the tables and the retrieval date."""
    from lisite.build import build
    from lisite.testing import demo_site

    site = demo_site(tmp_path / "site", audiences=["udvalg"])
    toml = site / "lisite.toml"
    text = re.sub(r"^benchmark = .*$", "", toml.read_text(encoding="utf-8"), flags=re.M)
    toml.write_text(text + '[sources.benchmark]\nkind = "dst-benchmark"\nyears = [2021, 2022, 2023, 2024, 2025]\n'
                           'socio_indeks = "data/socio_indeks.csv"\n', encoding="utf-8")
    socio = pd.read_csv(site / "sample_data" / "benchmark.csv", sep=";", dtype=str)[["kommunekode", "aar", "socio_indeks"]]
    (site / "data").mkdir()
    socio.to_csv(site / "data" / "socio_indeks.csv", sep=";", index=False)
    with pytest.raises(DataError, match="lisite fetch"):
        build(site)
    with FakeStatBank() as api:
        fetch(load_config(site), api=api.url, now=NOW)
    report = build(site)  # the stand-in is gone: only the stored answers are read
    figures = sorted((report.output_dir / "udvalg" / "rapporter" / "sammenligning").glob("*.html"))
    page = "".join(figure.read_text(encoding="utf-8") for figure in figures)  # one page per compared figure
    assert "Danmarks Statistik, Statistikbanken, tabel UND1 og FOLK1A, hentet 30. november 2026" in page
    assert "Opgjort efter den kommune, der har ansvaret for barnet" in page  # the recipe's own definition


def test_an_area_twice_is_refused_not_summed():
    """Groupings mixed in one answer (the same code on two levels) would double a figure: refused, named."""
    answer = dst.parse("ADMKOM;ALERAMS;TID;INDHOLD\r\n101;0;2023;900\r\n101;0;2023;900\r\n")
    spec = next(f for f in dst_benchmark.FIGURES if f.column == "anbragte")
    with pytest.raises(ValueError, match="kommune 101 står to gange for 2023"):
        dst_benchmark.figure(answer, spec)


def test_socio_economic_index_from_the_sites_own_file(tmp_path):
    site = make_site(tmp_path, 'socio_indeks = "data/socio.csv"\n')
    stored_fixtures(site)
    (site / "data" / "socio.csv").write_text("kommunekode;aar;socio_indeks\n479;2023;1,13\n101;2023;..\n", encoding="utf-8")
    out = recipe(site)
    assert number(out.loc[(479, 2023), "socio_indeks"]) == 1.13
    assert pd.isna(number(out.loc[(101, 2023), "socio_indeks"])) and pd.isna(number(out.loc[(479, 2024), "socio_indeks"]))


def test_serve_rebuilds_when_an_answer_is_refreshed(tmp_path):
    from lisite.serve import site_inputs

    site = make_site(tmp_path)
    stored_fixtures(site)
    data, _ = dst_benchmark.queries((2023, 2024))["UND1"].paths(site)
    assert site_inputs(load_config(site)).contains(data.resolve())
