"""Missing is not zero: a period a source does not cover has no figure ("ingen data"), never 0, never a crash."""

from __future__ import annotations

import html
import re

import pandas as pd

import lisite
from lisite import calc, testing
from lisite.config import parse_config
from lisite.context import IndicatorContext
from lisite.count import compute_count
from lisite.explain import explain, shown_periods
from lisite.i18n import Translator

from conftest import REPO, tiny_config

DA = Translator("da")
CONFIG = parse_config({"municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2024-06", "first": "2024-01"}}, REPO)
MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]


def events() -> pd.DataFrame:
    """An export that begins in March 2024: nothing is known about January and February."""
    return pd.DataFrame({
        "dato": pd.to_datetime(["2024-03-04", "2024-03-20", "2024-05-02", "2024-06-30"]),
        "slut": pd.to_datetime(["2024-04-15", None, None, None]),
        "kilde": ["Skole", "Politi", "Skole", "Skole"],
        "ok": [True, False, True, True],
    })


# --- the counting helpers ---------------------------------------------------------------


def test_covered_periods_begin_with_the_first_date():
    assert calc.covered_periods(events(), "dato", MONTHS) == ["2024-03", "2024-04", "2024-05", "2024-06"]
    assert calc.covered_periods(events(), "dato", [2022, 2023, 2024, 2025]) == ["2024", "2025"]
    assert calc.covered_periods(events().iloc[0:0], "dato", MONTHS) == []  # no dates: nothing covered


def test_counts_in_has_no_row_before_the_extract_and_zero_after():
    frame = calc.counts_in(events(), "dato", MONTHS)
    assert frame.set_index("period")["numerator"].to_dict() == {"2024-03": 2.0, "2024-04": 0.0, "2024-05": 1.0, "2024-06": 1.0}
    by = calc.counts_in(events(), "dato", MONTHS, by=("kilde",))
    assert sorted(set(by["period"])) == ["2024-03", "2024-04", "2024-05", "2024-06"]
    # where= selects rows, not the coverage: April is covered and has no hits, so 0
    skole = calc.counts_in(events(), "dato", MONTHS, where=events()["kilde"] == "Politi")
    assert skole.set_index("period")["numerator"].to_dict() == {"2024-03": 1.0, "2024-04": 0.0, "2024-05": 0.0, "2024-06": 0.0}


def test_share_in_and_active_counts_start_with_the_extract():
    share = calc.share_in(events(), "dato", MONTHS, events()["ok"])
    assert list(share["period"]) == ["2024-03", "2024-04", "2024-05", "2024-06"]
    assert share.set_index("period").loc["2024-04"].tolist() == [0.0, 0.0]  # covered, nothing happened: 0 of 0
    active = calc.active_counts(events(), "dato", "slut", MONTHS)
    assert active.set_index("period")["numerator"].to_dict() == {"2024-03": 2.0, "2024-04": 1.0, "2024-05": 2.0, "2024-06": 3.0}


def test_per_children_guesses_no_denominator_before_the_known_years():
    children = pd.Series({2023: 1000.0, 2024: 1100.0})
    frame = calc.per_children(pd.DataFrame({"period": ["2022", "2023", "2025"], "numerator": [1.0, 2.0, 3.0]}), children)
    assert frame["denominator"].isna().tolist() == [True, False, False]
    assert frame["denominator"].tolist()[1:] == [1000.0, 1100.0]  # a later year uses the latest known
    empty = calc.per_children(pd.DataFrame([]), children)  # no year covered at all
    assert list(empty.columns) == ["period", "numerator", "denominator"] and empty.empty


def test_count_uses_the_same_rule_on_the_whole_source():
    ctx = IndicatorContext(config=CONFIG, data={"underretninger": events()})
    indicator = lisite.Indicator(id="t.x", theme="administration", element="organisering", unit="antal")
    count = lisite.Count(dataset="underretninger", date="dato", where="kilde == 'Skole'")
    frame = compute_count(count, indicator, ctx)
    assert frame.set_index("period")["numerator"].to_dict() == {"2024-03": 1.0, "2024-04": 0.0, "2024-05": 1.0, "2024-06": 1.0}
    # the source begins in March, the selected rows in May: March and April are covered, and none were selected
    later = compute_count(lisite.Count(dataset="underretninger", date="dato", where="dato >= '2024-05-01'"), indicator, ctx)
    assert later.set_index("period")["numerator"].to_dict() == {"2024-03": 0.0, "2024-04": 0.0, "2024-05": 1.0, "2024-06": 1.0}


def test_compute_asks_for_its_periods():
    ctx = IndicatorContext(config=CONFIG, data={})
    ctx.months()
    ctx.years(2)
    assert ctx.asked == {*MONTHS, "2023", "2024"}


def test_maalgrupper_per_1000_skips_years_before_the_extract():
    plugin = testing.load_plugin(testing.builtin_plugin("maalgrupper"))
    cases = pd.DataFrame({"sags_id": ["S1", "S2"], "foedselsaar": [2015, 2012], "oprettet": pd.to_datetime(["2023-05-01", "2024-02-01"]),
                          "afsluttet": pd.to_datetime([None, None]), "omraade": "A", "team": "T"})
    bench = pd.DataFrame({"kommunekode": 479, "aar": range(2017, 2024), "boern_0_17": 1000})
    config = parse_config({"municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2025-03"}}, REPO)
    frame = plugin.per_1000(IndicatorContext(config=config, data={"sager": cases, "benchmark": bench}))
    assert frame.set_index("period")["numerator"].to_dict() == {"2023": 1.0, "2024": 2.0}


# --- words: sentences and notes ---------------------------------------------------------------


def indicator(**kw) -> lisite.Indicator:
    return lisite.Indicator(**{"id": "t.x", "title": "Underretninger", "theme": "administration",
                               "element": "organisering", "unit": "antal", **kw})


def staged_total(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"period": list(values), "numerator": list(values.values()), "denominator": float("nan"),
                         "value": list(values.values()), "suppressed": False})


def test_shown_periods_run_from_what_was_asked_to_the_reporting_period():
    assert shown_periods(MONTHS, ["2024-03", "2024-05"], "2024-06") == MONTHS
    assert shown_periods((), ["2024-03", "2024-05"], "2024-06") == ["2024-03", "2024-04", "2024-05"]  # a gap inside
    # years: up to the last year with a row (a compute that asks for the current year may leave it out)
    assert shown_periods([str(y) for y in range(2019, 2027)], ["2024", "2025"], "2026-09") == [str(y) for y in range(2019, 2026)]
    assert shown_periods(MONTHS, [], "2024-06") == []


def test_months_before_the_extract_are_named_in_a_note():
    ex = explain(indicator(), staged_total({"2024-03": 12.0, "2024-04": 0.0, "2024-05": 9.0, "2024-06": 11.0}), DA, periods=MONTHS)
    assert ex.missing == ["2024-01", "2024-02"] and not ex.missing_latest
    assert ex.notes == ["Udtrækket begynder i marts 2024; tidligere måneder har ingen data."]
    assert ex.sentences[0] == "Underretninger var 11 i juni 2024."


def test_a_missing_latest_period_is_said_not_passed_over():
    total = staged_total({"2023": 5.0, "2025": 7.0})
    ex = explain(indicator(frequency="år"), total, DA, target=6.0, periods=["2022", "2023", "2024", "2025", "2026"])
    assert ex.missing_latest and ex.missing == ["2022", "2024", "2026"]
    assert ex.sentences[0] == "Der er ingen data for Underretninger i 2026. Det seneste tal er 7 i 2025."
    assert "Underretninger var 7 i 2025." not in ex.sentences
    assert ex.on_track is None and "Målet er 6." in ex.sentences  # no current figure to hold against the target
    assert ex.notes == ["Udtrækket begynder i 2023; tidligere år har ingen data.", "Der er ingen data for 2024."]
    english = explain(indicator(), staged_total({"2024-03": 4.0}), Translator("en"), periods=["2024-02", "2024-03", "2024-04"])
    assert english.sentences[0] == "There are no data for Underretninger in April 2024. The latest figure is 4 in March 2024."
    assert english.notes == ["The extract begins in March 2024; earlier months have no data."]


# --- a small site: tables, notes and tiles -------------------------------------------------------------

PLUGIN = '''
import lisite
from lisite import calc

@lisite.hookimpl
def lisite_datasets():
    return [lisite.DatasetSpec("tal", "Tal", (lisite.Column("dato", "date"), lisite.Column("team", "str")))]

def events(ctx):
    return calc.counts_in(ctx.data["tal"], "dato", ctx.months())

def late(ctx):
    """A figure whose reporting month is not in yet."""
    frame = calc.counts_in(ctx.data["tal"], "dato", ctx.months(), by=("team",))
    return frame[frame["period"] < ctx.period]

def share(ctx):
    data = ctx.data["tal"]
    return calc.share_in(data, "dato", ctx.months(), data["team"] == "A")

@lisite.hookimpl
def lisite_indicators():
    common = dict(theme="administration", element="administrativ_styring", unit="antal", key_figure=True)
    return [lisite.Indicator(id="tiny.events", title="Hændelser", compute=events, **common),
            lisite.Indicator(id="tiny.late", title="Sene tal", compute=late, dimensions=("team",), **common),
            lisite.Indicator(id="tiny.share", title="Andel", compute=share, **{**common, "unit": "pct"})]

@lisite.hookimpl
def lisite_pages(audience, ctx):
    blocks = [lisite.KeyFigures(("tiny.events", "tiny.late")), lisite.IndicatorView("tiny.events"), lisite.IndicatorView("tiny.late"),
              lisite.IndicatorView("tiny.late", by="team", last=2), lisite.IndicatorView("tiny.share")]
    return [lisite.Page("tal/antal.html", "Antal", blocks, section="Tal")]
'''
# the export begins in July; August has no events (a real 0); May and June are before the export
DATA = "dato;team\n" + "".join(f"{day:02d}-07-2026;A\n" for day in range(1, 7)) + "".join(f"{day:02d}-09-2026;A\n" for day in range(1, 8))


def text(fragment: str) -> str:
    fragment = re.sub(r"<script.*?</script>|<svg.*?</svg>", " ", fragment, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def rows(section: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", section, re.S).group(1)
    return [[text(c) for c in re.findall(r"<td>(.*?)</td>", r, re.S)] for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_site_shows_ingen_data_with_a_note_and_never_zero(make_site):
    config = tiny_config().replace('current = "2026-09"', 'current = "2026-09"\nfirst = "2026-05"')
    site = make_site({"plugins/tiny.py": PLUGIN, "data/tal.csv": DATA}, config=config)
    out = testing.build_site(site, audiences=["udvalg"])
    page = (out / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")
    events_section = page[page.index('id="tiny-events"'):page.index('id="tiny-late"')]
    assert rows(events_section) == [["maj 2026", "ingen data"], ["juni 2026", "ingen data"], ["juli 2026", "6"],
                                    ["august 2026", "0"], ["september 2026", "7"]]
    assert '<p class="note">Udtrækket begynder i juli 2026; tidligere måneder har ingen data.</p>' in events_section
    assert "Hændelser var 7 i september 2026." in text(events_section)
    late_section = page[page.index('id="tiny-late"'):page.index('id="tiny-late-team"')]
    assert rows(late_section)[-1] == ["september 2026", "ingen data"]
    # split by team, the last two months: the missing month is a row of the whole municipality
    # a share of nothing (August: 0 of 0) has no figure either, in one row with its counts
    assert rows(page[page.index('id="tiny-share"'):]) == [["maj 2026", "ingen data", "", ""], ["juni 2026", "ingen data", "", ""],
                                                         ["juli 2026", "100,0 %", "6", "6"], ["august 2026", "ingen data", "0", "0"],
                                                         ["september 2026", "100,0 %", "7", "7"]]
    assert rows(page[page.index('id="tiny-late-team"'):page.index('id="tiny-share"')]) == [["august 2026", "A", "0"], ["august 2026", "Hele kommunen", "0"],
                                                             ["september 2026", "Hele kommunen", "ingen data"]]
    said = text(late_section)
    assert "Der er ingen data for Sene tal i september 2026. Det seneste tal er 0 i august 2026." in said
    assert "Sene tal var 0 i august 2026." not in said  # an older month is not described as the current one
    tiles = re.findall(r'<li class="tile[^"]*">(.*?)</li>', page, re.S)
    assert [re.search(r'<p class="big">(.*?)</p>', tile).group(1) for tile in tiles] == ["7", "ingen data"]
    assert "Der er ingen data for Sene tal i september 2026." in text(tiles[1])


def test_a_year_so_far_is_not_compared_with_a_whole_year():
    """Issue #11: "826 i 2026. Det er et fald fra 1.050 i 2025, og det er større end de normale tilfældige udsving",
    where 2026 runs to September. A year so far is said as such and not held against a whole year or a yearly target."""
    import lisite
    from lisite.explain import explain
    from lisite.i18n import Translator

    indicator = lisite.Indicator(id="t.udfoert", title="Udførte opfølgninger", theme="administration",
                                 element="opfoelgning", unit="antal", better="higher", frequency="år", compute=lambda ctx: None)
    total = pd.DataFrame({"period": ["2024", "2025", "2026"], "numerator": [1010.0, 1050.0, 826.0],
                          "denominator": [float("nan")] * 3, "n": [1010.0, 1050.0, 826.0], "value": [1010.0, 1050.0, 826.0],
                          "suppressed": [False] * 3, "small": [False] * 3})
    ex = explain(indicator, total, Translator("da"), target=1000.0, periods=["2024", "2025", "2026"], reporting="2026-09")
    assert ex.sentences[0] == "Udførte opfølgninger var 826 i 2026 til og med september 2026."
    assert "Året er ikke slut, så tallet kan ikke sammenlignes med hele 2025 (1.050)." in ex.sentences
    assert not any("fald" in s or "tilfældige" in s for s in ex.sentences) and ex.on_track is None
    whole = explain(indicator, total, Translator("da"), target=1000.0, periods=["2024", "2025", "2026"], reporting="2026-12")
    assert whole.sentences[0] == "Udførte opfølgninger var 826 i 2026." and whole.change == "down"
    english = explain(indicator, total, Translator("en"), periods=["2024", "2025", "2026"], reporting="2026-09")
    assert english.sentences[0] == "Udførte opfølgninger was 826 in 2026 up to and including September 2026."
    assert (ex.period, ex.partial, whole.period, whole.partial) == ("2026", True, "2026", False)


def test_a_tile_with_a_yearly_figure_names_its_year(demo_build):
    """A tile showed "40,1 %" alone for the follow-ups of 2026 so far, under a header that names only September."""
    html = (demo_build / "_site" / "udvalg" / "elementer" / "opfoelgning.html").read_text(encoding="utf-8")

    def tile(title: str) -> str:
        return re.search(rf"<h2>{title}</h2>.*?</li>", html, re.S).group(0)

    assert '<p class="base">I 2026 til og med september 2026</p>' in tile("Opfølgninger, hvor målet blev nået")
    assert "I 20" not in tile("Opfølgninger udført til tiden")  # a monthly figure: the header's month


def test_active_on_is_the_comparison_of_the_dates():
    """Started by the day and not ended before it; a missing start never, a missing end always, on any index."""
    from lisite import calc

    day = pd.Timestamp("2026-03-31")
    frame = pd.DataFrame({"start": pd.to_datetime(["2026-03-31", "2026-04-01", None, "2025-01-01", "2025-01-01", "2025-01-01"]),
                          "end": pd.to_datetime([None, None, None, "2026-03-30", "2026-03-31", None])}, index=[5, 3, 9, 1, 2, 0])
    found = calc.active_on(frame, "start", "end", day)
    pd.testing.assert_series_equal(found, (frame["start"] <= day) & (frame["end"].isna() | (frame["end"] >= day)))
    assert list(found) == [True, False, False, False, True, True]


def test_active_each_month_is_active_on_month_by_month():
    """Rows starting or ending on a month end, without a start or an end, on an index that is not 0..n-1."""
    from lisite import calc

    frame = pd.DataFrame({"start": pd.to_datetime(["2026-01-31", "2026-02-01", None, "2025-01-01", "2025-12-15", "2026-02-28"]),
                          "end": pd.to_datetime([None, "2026-02-28", None, "2026-01-30", "2026-01-31", "2026-02-27"]),
                          "id": list("abcdef")}, index=[5, 3, 9, 1, 2, 0])
    periods = ["2025-12", "2026-01", "2026-02", "2026-03"]
    expected = pd.concat([frame[calc.active_on(frame, "start", "end", calc.month_end(p))].assign(period=p) for p in periods],
                         ignore_index=True)
    found = calc.active_each_month(frame, "start", "end", periods)
    pd.testing.assert_frame_equal(found, expected)
    assert list(found["id"] + found["period"].str[5:]) == ["d12", "e12", "a01", "e01", "a02", "b02", "a03"]
    pd.testing.assert_frame_equal(calc.active_each_month(frame, "start", "end", periods[::-1]),  # not oldest first: one by one
                                  pd.concat([frame[calc.active_on(frame, "start", "end", calc.month_end(p))].assign(period=p)
                                             for p in periods[::-1]], ignore_index=True))
