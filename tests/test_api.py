"""The plugin API's declarative parts: counts, words from text files, levels, filters, deferred blocks."""

from __future__ import annotations

import pandas as pd
import pytest

import lisite
from lisite.build import build
from lisite.config import parse_config
from lisite.context import IndicatorContext, limit
from lisite.count import compute_count
from lisite.errors import BuildError, ConfigError, PluginError
from lisite.model import Audience, Column, Dataset, DatasetSpec
from lisite.staging import stage

from conftest import REPO

CONFIG = parse_config({"municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-03", "first": "2025-11"}}, REPO)


def events() -> pd.DataFrame:
    return pd.DataFrame({
        "sags_id": ["S-1", "S-1", "S-2", "S-3", "S-4"],
        "modtaget": pd.to_datetime(["2025-12-03", "2026-01-05", "2026-01-09", "2026-03-01", "2026-03-30"]),
        "kilde": ["Skole", "Skole", "Politi", "Skole", "Anonym"],
        "hurtig": [True, False, True, True, False],
    })


def cases() -> pd.DataFrame:
    return pd.DataFrame({"sags_id": ["S-1", "S-2", "S-3", "S-4"], "omraade": ["Nord", "Nord", "Syd", "Syd"],
                         "team": ["A", "A", "B", "C"], "sagsbehandler_id": ["SB-1", "SB-1", "SB-2", "SB-3"],
                         "oprettet": pd.to_datetime(["2025-10-01"] * 4), "afsluttet": pd.to_datetime([None, "2026-01-31", None, None])})


def indicator(**kw) -> lisite.Indicator:
    return lisite.Indicator(**{"id": "t.x", "theme": "administration", "element": "organisering", "unit": "antal", **kw})


def test_count_events_per_month_from_the_first_month_with_data():
    ctx = IndicatorContext(config=CONFIG, data={"underretninger": events(), "sager": cases()})
    frame = compute_count(lisite.Count(dataset="underretninger", date="modtaget"), indicator(), ctx)
    # November 2025 is before the first notification: missing, not zero; February has none: zero
    assert frame.to_dict("records") == [{"period": "2025-12", "numerator": 1.0}, {"period": "2026-01", "numerator": 2.0},
                                        {"period": "2026-02", "numerator": 0.0}, {"period": "2026-03", "numerator": 2.0}]


def test_count_a_share_by_dimension_and_level_from_the_case():
    ctx = IndicatorContext(config=CONFIG, data={"underretninger": events(), "sager": cases()})
    count = lisite.Count(dataset="underretninger", date="modtaget", where="kilde == 'Skole'", numerator="hurtig")
    frame = compute_count(count, indicator(unit="pct", levels=("area",)), ctx)
    march = frame[frame["period"] == "2026-03"]
    assert march.to_dict("records") == [{"period": "2026-03", "omraade": "Nord", "numerator": 0.0, "denominator": 0.0},
                                        {"period": "2026-03", "omraade": "Syd", "numerator": 1.0, "denominator": 1.0}]
    january = frame[frame["period"] == "2026-01"]
    assert january.to_dict("records") == [{"period": "2026-01", "omraade": "Nord", "numerator": 0.0, "denominator": 1.0},
                                          {"period": "2026-01", "omraade": "Syd", "numerator": 0.0, "denominator": 0.0}]


def test_a_counts_where_and_numerator_are_read_by_pandas_own_evaluator_whatever_is_installed(monkeypatch):
    """Where numexpr is installed pandas evaluates with it by default, which cannot read text columns: it fell back with
    a RuntimeWarning on every build (and without numexpr, pandas told to use it fails). Here pandas is made to choose
    numexpr itself; a count asks for its own evaluator and gets the same figures, without a warning."""
    import warnings

    from pandas.core.computation import expressions

    from lisite.count import counted

    count = lisite.Count(dataset="underretninger", date="modtaget", where="kilde == 'Skole'", numerator="hurtig")
    periods = ["2025-12", "2026-01", "2026-02", "2026-03"]
    typed = events().astype({"hurtig": "boolean"})  # as lisite types a yes/no column
    plain = counted(typed, count, [], periods, True)  # counted itself: compute_count would keep the first result
    monkeypatch.setattr(expressions, "USE_NUMEXPR", True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chosen = counted(typed, count, [], periods, True)
    assert chosen.to_dict("records") == plain.to_dict("records")
    assert chosen["numerator"].tolist() == [1.0, 0.0, 0.0, 1.0] and chosen["denominator"].tolist() == [1.0, 1.0, 0.0, 1.0]


def test_count_a_stock_of_distinct_children():
    ctx = IndicatorContext(config=CONFIG, data={"sager": cases()})
    count = lisite.Count(dataset="sager", active=("oprettet", "afsluttet"), distinct="sags_id")
    frame = compute_count(count, indicator(), ctx)
    assert frame.set_index("period")["numerator"].to_dict() == {"2025-11": 4.0, "2025-12": 4.0, "2026-01": 4.0, "2026-02": 3.0, "2026-03": 3.0}


def test_count_needs_either_a_date_or_an_active_span():
    with pytest.raises(ValueError, match="either date"):
        lisite.Count(dataset="sager")


def test_shown_to_names_levels_only():
    with pytest.raises(ValueError, match="not a level"):
        indicator(shown_to=("udvalg",))


def test_audience_sees_its_level_and_coarser():
    area = Audience("chef", "Chef", level="area")
    assert area.sees("municipality") and area.sees("area") and not area.sees("team")


def test_filter_in_config_is_checked():
    raw = {"municipality": {"code": 479, "name": "X"}, "period": {"current": "2026-03"},
           "audiences": {"chef_handicap": {"title": "Chef", "level": "area", "filter": {"omraade": "Handicap"}}}}
    assert parse_config(raw, REPO).audiences["chef_handicap"].filter == (("omraade", "Handicap"),)
    raw["audiences"]["chef_handicap"]["filter"] = {"kommune": "X"}
    with pytest.raises(ConfigError, match="omraade, team"):
        parse_config(raw, REPO)


def test_staging_keeps_only_the_audiences_part_of_the_organisation():
    frame = pd.DataFrame({"period": ["2026-03"] * 3, "omraade": ["Nord", "Syd", "Syd"], "team": ["A", "B", "C"],
                          "numerator": [40.0, 7.0, 9.0]})
    staged = stage(indicator(levels=("area", "team")), frame, Audience("chef", "Chef", level="team", min_count=5,
                                                                   filter=(("omraade", "Syd"),)))
    assert staged.total()["numerator"].tolist() == [16.0]
    assert sorted(staged.by("team")["team"]) == ["B", "C"]


def test_limited_data_keeps_cases_teams_and_aggregates_of_the_part():
    spec = lambda name, person: DatasetSpec(name, name, (Column("x", person_level=person),))
    frames = {"sager": cases(), "underretninger": events(), "medarbejdere": pd.DataFrame({"team": ["A", "B"], "navn": ["Ib", "Bo"]}),
              "benchmark": pd.DataFrame({"kommunekode": [479]}), "noter": pd.DataFrame({"tekst": ["Ib ringede"]})}
    datasets = {name: Dataset(spec(name, name != "benchmark"), frame, name) for name, frame in frames.items()}
    limited = limit(frames, datasets, (("omraade", "Syd"),))
    assert list(limited["sager"]["sags_id"]) == ["S-3", "S-4"]
    assert list(limited["underretninger"]["sags_id"]) == ["S-3", "S-4"]
    assert list(limited["medarbejdere"]["navn"]) == ["Bo"]
    assert len(limited["benchmark"]) == 1  # nothing about persons: kept whole
    assert limited["noter"].empty  # about persons, and cannot be limited: left out


PLUGIN = '''
import pandas as pd
import lisite

def compute(ctx):
    data = ctx.data["tal"]
    return data.groupby(["maaned", "team"])["antal"].sum().reset_index().rename(columns={"maaned": "period", "antal": "numerator"})

def total(ctx):
    return ctx.data["tal"].groupby("maaned")["antal"].sum().reset_index().rename(columns={"maaned": "period", "antal": "numerator"})

@lisite.hookimpl
def lisite_indicators():
    return [lisite.Indicator(id="ord.antal", theme="administration", element="organisering", unit="antal",
                             compute=compute, levels=("team",), shown_to=("municipality", "team")),
            lisite.Indicator(id="ord.total", theme="administration", element="organisering", unit="antal",
                             compute=total, shown_to=("municipality", "team"))]

def links(ctx):
    return [lisite.Markdown(text="Findes: " + ", ".join(sorted(p for p in ctx.pages if p.startswith("tal/"))))]

@lisite.hookimpl
def lisite_pages(audience, ctx):
    shown = sorted(ctx.indicators)
    return [lisite.Page("ord.html", "Ord", [lisite.Markdown(text="Vist: " + ", ".join(shown)), lisite.Deferred(links),
                                             *[lisite.IndicatorView(i) for i in shown]])]
'''

TEXT = '+++\ntitle = "Antal i alt"\ndefinition = "Antal ting pr. måned."\n+++\nTallet er fiktivt.\n'


def test_words_come_from_the_text_file_and_pages_see_each_other(make_site):
    site = make_site({"plugins/ord.py": PLUGIN, "content/indikatorer/ord.antal.md": TEXT,
                      "content/indikatorer/ord.total.md": '+++\ntitle = "Total"\n+++\n'})
    out = build(site).output_dir
    html = (out / "udvalg" / "ord.html").read_text(encoding="utf-8")
    assert "Antal i alt" in html and "Antal ting pr. måned." in html and "Tallet er fiktivt." in html
    assert "+++" not in html and "definition =" not in html
    assert "Findes: tal/antal.html" in html  # the tiny plugin's page, seen through ctx.pages


def test_english_words_come_from_the_english_text_file(make_site):
    from conftest import tiny_config

    config = tiny_config().replace('title = "Testsite"', 'title = "Testsite"\nlanguage = "en"')
    site = make_site({"plugins/ord.py": PLUGIN, "content/indikatorer/ord.antal.md": TEXT,
                      "content/en/indikatorer/ord.antal.md": '+++\ntitle = "Things in all"\n+++\n',
                      "content/indikatorer/ord.total.md": '+++\ntitle = "Total"\n+++\n'}, config=config)
    html = (build(site).output_dir / "udvalg" / "ord.html").read_text(encoding="utf-8")
    assert "Things in all" in html and "Antal ting pr. måned" not in html


def test_an_indicator_without_a_title_names_the_file_to_write(make_site):
    site = make_site({"plugins/ord.py": PLUGIN, "content/indikatorer/ord.antal.md": TEXT})
    with pytest.raises(PluginError, match="content/indikatorer/ord.total.md"):
        build(site)


def test_unknown_front_matter_key_is_an_error(make_site):
    site = make_site({"plugins/ord.py": PLUGIN, "content/indikatorer/ord.antal.md": '+++\ntitel = "x"\n+++\n',
                      "content/indikatorer/ord.total.md": '+++\ntitle = "Total"\n+++\n'})
    with pytest.raises(BuildError, match="titel"):
        build(site)


def test_a_limited_audience_sees_only_its_part_and_only_figures_that_can_be_split(make_site):
    from conftest import tiny_config

    config = tiny_config() + '\n[audiences.teamleder_a]\ntitle = "Team A"\nlevel = "team"\nmin_count = 3\nfilter = { team = "A" }\n'
    site = make_site({"plugins/ord.py": PLUGIN, "content/indikatorer/ord.antal.md": TEXT,
                      "content/indikatorer/ord.total.md": '+++\ntitle = "Total"\n+++\n'}, config=config)
    out = build(site).output_dir
    html = (out / "teamleder_a" / "ord.html").read_text(encoding="utf-8")
    assert "Vist: ord.antal, tiny.antal" in html  # ord.total has no team column, so it cannot be limited
    assert "Vist: ord.antal, ord.total, tiny.antal" in (out / "ledere" / "ord.html").read_text(encoding="utf-8")
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"ord.total"' not in manifest.split('"teamleder_a"')[1].split("}")[0]


LEAKY = '''
import lisite

@lisite.hookimpl
def lisite_pages(audience, ctx):
    ids = ", ".join(sorted(ctx.datasets["tal"].frame["sags_id"]))  # every case, not only the audience's part
    return [lisite.Page("sager.html", "Sager", [lisite.Markdown(text=ids)])]
'''


def test_the_leak_check_keeps_a_limited_audience_to_its_part(make_site):
    from conftest import tiny_config

    config = tiny_config() + '\n[audiences.raadgiver_a]\ntitle = "Team A"\nlevel = "case"\nmin_count = 1\nfilter = { team = "A" }\n'
    from conftest import TINY_PLUGIN

    tiny = TINY_PLUGIN.replace("    blocks = [", "    if audience.level == 'case':\n        return []\n    blocks = [", 1)
    site = make_site({"plugins/laek.py": LEAKY, "plugins/tiny.py": tiny}, config=config)
    with pytest.raises(BuildError, match=r"'S-2'.*uden for") as found:
        build(site, audiences=["raadgiver_a"])
    assert "'S-1'" not in str(found.value)  # team A's own cases are the audience's to see
