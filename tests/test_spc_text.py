"""Monthly figures read as a process in words, on tiles and charts; a share of few cases names its base;
every change names the period it compares with."""

from __future__ import annotations

import json
import re
import textwrap

import pandas as pd
import pytest

import lisite
from lisite import charts, fmt, spc
from lisite.build import build
from lisite.explain import explain
from lisite.i18n import Translator
from lisite.model import Audience
from lisite.staging import stage, stage_with_window

DA, EN = Translator("da"), Translator("en")
COMMITTEE = Audience("udvalg", "Udvalget", level="municipality", min_count=5)
ZIGZAG = [50, 56] * 9  # 18 months around 53


def months(n: int, first: str = "2024-10") -> list[str]:
    return [str(p) for p in pd.period_range(first, periods=n, freq="M")]


def indicator(**fields) -> lisite.Indicator:
    values = {"id": "t.x", "title": "Nye sager", "theme": "administration", "element": "opfoelgning", "unit": "antal", **fields}
    return lisite.Indicator(**values)


def staged_total(ind, numerators, denominators=None):
    """The committee's staged total of a hand-made monthly series (small counts hidden as on a site)."""
    frame = pd.DataFrame({"period": months(len(numerators)), "numerator": [float(v) for v in numerators]})
    if denominators is not None:
        frame["denominator"] = [float(v) for v in denominators]
    return stage(ind, frame, COMMITTEE).total()


def said(ind, numerators, denominators=None, target=None, t=DA, periods=None):
    total = staged_total(ind, numerators, denominators)
    return explain(ind, total, t, target, COMMITTEE.min_count, periods or months(len(numerators)))


RISING = [*ZIGZAG, 44, 47, 50, 53, 56, 59]  # 24 months, rising month by month from April 2026


# --- the first sentence under a monthly chart ---------------------------------------------------


def test_a_monthly_figure_opens_with_its_process_verdict():
    ex = said(indicator(better="lower"), [*ZIGZAG, 50, 56, 50, 56, 50, 56])
    assert ex.sentences[0] == "Tallet svinger inden for det normale."
    assert ex.sentences[1] == ("Tallet ligger normalt mellem 37 og 69 fra måned til måned og var i gennemsnit 53 "
                               "fra oktober 2024 til september 2026.")  # 53 ± 2,66 × 6
    assert ex.sentences[2] == "Nye sager var 56 i september 2026."
    # the change is told, not tested and judged again: the process verdict above judges the month
    assert ex.sentences[3] == "Det er en stigning fra 50 i august 2026."
    assert ex.variation.kind == "common" and ex.process.points == 24


@pytest.mark.parametrize("better, judgement", [("lower", " Det er et tegn på forværring, som bør undersøges."),
                                               ("higher", " Det er et tegn på forbedring."), ("neither", "")])
def test_a_special_pattern_is_named_and_judged_by_the_better_direction(better, judgement):
    ex = said(indicator(better=better), RISING)
    assert ex.sentences[0] == "Et særligt mønster: tallet er steget måned for måned fra april 2026 til september 2026." + judgement
    assert ex.variation.kind == {"lower": "worrying", "higher": "improving", "neither": "neutral"}[better]


def test_a_normal_month_after_a_pattern_names_the_latest_pattern_the_chart_still_marks():
    """The chart colours every month of a pattern; "svinger inden for det normale" alone left a reader wondering
    what the coloured months of May and June were."""
    values = [50, 56] * 10 + [120, 125, 50, 56, 50, 53]  # 26 months to November 2026
    ex = said(indicator(better="lower"), values)
    assert ex.sentences[:2] == ["Tallet svinger inden for det normale.",
                                "Det seneste særlige mønster var fra juni 2026 til juli 2026, hvor tallet lå over de normale udsving."]
    assert said(indicator(better="lower"), values, t=EN).sentences[1] == (
        "The latest special pattern was from June 2026 to July 2026, when the figure lay above its normal variation.")
    trend = said(indicator(), [*ZIGZAG, 44, 47, 50, 53, 56, 59, 50, 56])
    assert trend.sentences[1] == ("Det seneste særlige mønster var fra april 2026 til september 2026, "
                                  "hvor tallet steg måned for måned.")
    single = said(indicator(), [50, 56] * 10 + [120, 56, 50, 53])
    assert single.sentences[1] == "Det seneste særlige mønster var i juni 2026, hvor tallet lå over de normale udsving."
    assert said(indicator(better="lower"), [*ZIGZAG, 50, 56, 50, 56, 50, 56]).variation.earlier == ""  # none to name
    assert not said(indicator(better="lower"), RISING).variation.earlier  # a pattern now: the headline names it


def test_two_of_three_months_near_a_limit_are_told_in_words():
    ex = said(indicator(better="higher"), [10, 12] * 12 + [16, 11, 16])
    assert ex.sentences[0] == ("Et særligt mønster: tallet har ligget usædvanligt højt i to af de seneste tre måneder. "
                               "Det er et tegn på forbedring.")


def test_the_verdict_in_english_comes_from_the_catalogue():
    ex = said(indicator(better="lower"), RISING, t=EN)
    assert ex.sentences[0] == ("A special pattern: the figure has risen month by month from April 2026 to September 2026. "
                               "That is a sign of deterioration and should be looked into.")


def test_too_few_months_keep_the_old_text_and_say_why():
    ex = said(indicator(), [50, 56, 50, 56, 50, 53])
    assert ex.process is None and ex.sentences[0] == "Nye sager var 53 i marts 2025."
    assert ("Der er kun tal for 6 måneder. Det er for få til at skelne normale udsving fra et særligt mønster "
            "(det kræver mindst 12 måneder).") in ex.sentences
    single = said(indicator(), [50])  # one month: no change to qualify, so nothing to say about variation
    assert single.sentences == ["Nye sager var 50 i oktober 2024."]


def test_yearly_and_year_to_date_figures_are_not_read_as_a_process():
    yearly = indicator(frequency="år")
    total = pd.DataFrame({"period": [str(y) for y in range(2010, 2026)], "numerator": [50.0, 56.0] * 8})
    ex = explain(yearly, stage(yearly, total, COMMITTEE).total(), DA, periods=[str(y) for y in range(2010, 2026)])
    assert ex.process is None and ex.sentences[0] == "Nye sager var 56 i 2025."
    assert not any("måneder" in s or "normale" in s for s in ex.sentences)
    ytd = said(indicator(cumulative=True), RISING)
    assert ytd.process is None and ytd.sentences[0] == "Nye sager var 59 i september 2026."
    assert ytd.compared == "2025-09" and "september 2025" in ytd.sentences[1]  # compared with the same month last year


@pytest.mark.parametrize("target, sentence", [
    (30.0, "Med de normale udsving bliver målet på 30 nået hver måned."),  # the normal range is 37 to 69
    (75.0, "Med de normale udsving bliver målet på 75 ikke nået, medmindre noget ændres."),
    (52.0, "Målet på 52 ligger inden for de normale udsving, så det bliver nået nogle måneder og ikke andre, alene af tilfældige årsager."),
])
def test_the_target_is_held_against_the_normal_range(target, sentence):
    ex = said(indicator(better="higher"), [*ZIGZAG, 50, 56, 50, 56, 50, 56], target=target)
    assert ex.sentences[-1] == sentence and ex.sentences[0] == "Tallet svinger inden for det normale."


def test_after_a_special_pattern_the_normal_range_promises_nothing_about_the_target():
    ex = said(indicator(better="lower"), RISING, target=70.0)
    assert ex.sentences[-1] == "Tallet viser et særligt mønster, så de hidtidige udsving siger ikke, om målet på 70 bliver nået fremover."


def test_a_hidden_latest_month_gets_no_verdict():
    ex = said(indicator(better="lower"), [*RISING[:-1], 3])
    assert ex.suppressed and ex.variation.headline == "" and not ex.variation.assurance
    assert ex.sentences == ["Nye sager for september 2026 vises ikke, fordi tallet bygger på under 5 børn eller sager.",
                            "Det seneste tal, der kan vises, er 56 i august 2026."]  # shown in its chart and table too
    hidden_too = said(indicator(better="lower"), [*RISING[:-3], 3, 2, 3])  # the months before hidden as well
    assert hidden_too.sentences[1] == "Det seneste tal, der kan vises, er 50 i juni 2026."
    assert said(indicator(), [3] * 14).sentences == [  # no month to show at all
        "Nye sager for november 2025 vises ikke, fordi tallet bygger på under 5 børn eller sager."]


def hidden_with_window(ind, numerators, denominators=None, target=None):
    """The committee's explanation of a monthly series with the last 12 months added up, as a page makes it."""
    frame = pd.DataFrame({"period": months(len(numerators)), "numerator": [float(v) for v in numerators]})
    if denominators is not None:
        frame["denominator"] = [float(v) for v in denominators]
    periods, window = stage_with_window(ind, frame, COMMITTEE, 12)
    total = window.total().assign(first=months(len(numerators))[-12])
    return explain(ind, periods.total(), DA, target, COMMITTEE.min_count, months(len(numerators)), window=total), total


def test_a_hidden_month_of_events_names_the_last_12_months_added_up():
    """Læsø: a month of 3 notifications is hidden; 12 months of them are not few, and the sum is protected with them."""
    ind = indicator(unit="pct", title="Underretninger vurderet inden for 24 timer", base="underretninger", events=True,
                    better="higher")
    denominators = [6, 7, 5, 8, 6, 9, 6, 5, 7, 6, 8, 6, 7, 3]
    numerators = [5, 7, 4, 8, 5, 8, 6, 4, 7, 5, 7, 5, 6, 2]
    ex, window = hidden_with_window(ind, numerators, denominators)
    assert ex.suppressed and not window["suppressed"].iloc[0]
    share = sum(numerators[-12:]) / sum(denominators[-12:]) * 100  # 67 of 76, worked out here from the rows themselves
    assert f"{share:.1f}".replace(".", ",") == "88,2" and sum(denominators[-12:]) == 76
    assert ex.sentences[-1] == ("Lagt sammen for de seneste 12 måneder, december 2024–november 2025, er tallet "
                                "88,2\u00a0% af 76 underretninger.")
    assert ex.window == ("88,2\u00a0% af 76 underretninger", "december 2024", "november 2025")
    assert ex.sentences[0].startswith("Underretninger vurderet inden for 24 timer for november 2025 vises ikke")
    assert ex.on_track is None and not ex.window_target  # no target given
    # a target for a share holds for 12 months added up as for one: judged on the sum, and said so
    met, _ = hidden_with_window(ind, numerators, denominators, target=85.0)
    assert met.on_track is True and met.window_target
    assert met.sentences[-1] == "Målet er 85,0\u00a0%, og de 12 måneder lagt sammen når det."
    missed, _ = hidden_with_window(ind, numerators, denominators, target=95.0)
    assert missed.on_track is False and missed.sentences[-1] == (
        "Målet er 95,0\u00a0%. For de 12 måneder lagt sammen mangler der 6,8\u00a0procentpoint, før det er nået.")  # 95 − 88,2
    # a count: the sum as it is, and a monthly target is not one for 12 months
    count, _ = hidden_with_window(indicator(events=True, better="higher"), [9, 8, 7, 6, 9, 8, 7, 6, 9, 8, 7, 6, 8, 3], target=5.0)
    assert count.on_track is None and not count.window_target and not any("Målet" in s for s in count.sentences)
    assert count.window_sentence == "Lagt sammen for de seneste 12 måneder, december 2024–november 2025, er tallet 84."


def test_no_12_months_are_named_when_their_sum_is_hidden_too_or_ends_before_the_latest_month():
    ind = indicator(events=True)
    small, window = hidden_with_window(ind, [0] * 13 + [3])  # 12 months of 3 in all: hidden as well
    assert small.suppressed and window["suppressed"].iloc[0] and small.window == () and small.window_sentence == ""
    assert not any("12 måneder" in s for s in small.sentences)
    _, window = hidden_with_window(ind, [9, 8, 7, 6, 9, 8, 7, 6, 9, 8, 7, 6, 8, 3])
    older = window.assign(period="2025-10")  # a sum that is not up to the hidden month says nothing about it
    total = staged_total(ind, [9, 8, 7, 6, 9, 8, 7, 6, 9, 8, 7, 6, 8, 3])
    assert explain(ind, total, DA, None, 5, months(14), window=older).window == ()
    assert explain(ind, total, DA, None, 5, months(14)).window == ()  # no sum given: as before
    shown = said(ind, [9, 8, 7, 6, 9, 8, 7, 6, 9, 8, 7, 6, 8, 7])  # the latest month shown: no sum needed
    assert shown.window == ()


def test_an_indicator_counts_events_when_it_says_so_or_counts_rows_by_a_date():
    def declared(**fields):
        return lisite.Indicator(id="t.x", theme="administration", element="opfoelgning", unit="antal", **fields)

    assert declared(count=lisite.Count(dataset="sager", date="oprettet")).events is True
    assert declared(count=lisite.Count(dataset="sager", active=("oprettet", "afsluttet"))).events is False
    assert declared(compute=lambda ctx: None).events is False  # a plugin's own compute: only when it says so
    assert declared(compute=lambda ctx: None, events=True).events is True
    assert declared(count=lisite.Count(dataset="sager", date="oprettet"), events=False).events is False


# --- the base of a share, and the period a change compares with --------------------------------


def share(**fields):
    return indicator(id="t.andel", title="Undersøgelser til tiden", unit="pct", better="higher", **fields)


def test_a_share_of_few_cases_names_them_at_both_ends_of_the_change():
    numerators, denominators = [30] * 10 + [33, 32], [40] * 10 + [38, 37]  # each part 5 or more: shown
    ex = said(share(base="undersøgelser"), numerators, denominators)
    assert ex.level == "Undersøgelser til tiden var 86,5\u00a0% af 37 undersøgelser i september 2025."
    assert ex.change_sentence == "Det er et fald fra 86,8\u00a0% af 38 undersøgelser i august 2025."
    assert ex.base == "af 37 undersøgelser" and ex.compared == "2025-08"
    plain = said(share(), numerators, denominators)
    assert plain.level == "Undersøgelser til tiden var 86,5\u00a0% af i alt 37 i september 2025."
    english = said(share(base="investigations"), numerators, denominators, t=EN)
    assert "86.5% of 37 investigations" in english.level


def test_a_share_of_many_cases_does_not_name_them():
    ex = said(share(base="undersøgelser"), [360] * 11 + [320], [400] * 11 + [370])
    assert ex.level == "Undersøgelser til tiden var 86,5\u00a0% i september 2025." and ex.base == ""
    assert not re.search(r"\baf (i alt )?\d", ex.change_sentence)


def test_a_hidden_month_is_skipped_and_its_base_never_named():
    # August has 3 cases (hidden for the committee); September is compared with July and says so
    ex = said(share(base="undersøgelser"), [30] * 10 + [2, 32], [40] * 10 + [3, 37])
    assert ex.compared == "2025-07" and ex.change_sentence.startswith("I juli 2025 var tallet 75,0\u00a0% af 40 undersøgelser.")
    assert not any(re.search(r"\baf 3 ", s) for s in ex.sentences)
    # August's 36 of 38 in time leave 2 late: its share, "Tæller" and "Nævner" would give the 2 away, so it is hidden too
    ex = said(share(base="undersøgelser"), [30] * 10 + [36, 32], [40] * 10 + [38, 37])
    assert ex.compared == "2025-07" and ex.change_sentence.startswith("I juli 2025 var tallet 75,0\u00a0% af 40 undersøgelser.")
    assert not any("94,7" in s or re.search(r"\baf 38 ", s) for s in ex.sentences)


# --- a small site: the tile's first line, the change's period, the chart's layers ---------------

PLUGIN = '''
import pandas as pd
import lisite

@lisite.hookimpl
def lisite_datasets():
    return [lisite.DatasetSpec("proces", "Proces", (lisite.Column("maaned", "str"), lisite.Column("nye", "int"),
            lisite.Column("frist", "int"), lisite.Column("i_tide", "int")))]

def frame(ctx, column, denominator=None):
    ctx.months()
    data = ctx.data["proces"]
    out = pd.DataFrame({"period": data["maaned"], "numerator": data[column].astype(float)})
    if denominator:
        out["denominator"] = data[denominator].astype(float)
    return out

def year_to_date(ctx):
    out = frame(ctx, "nye")
    out["numerator"] = out.groupby(out["period"].str[:4])["numerator"].cumsum()
    return out

def declare(name, compute, **fields):
    return lisite.Indicator(id=f"proces.{name}", theme="administration", element="opfoelgning", key_figure=True,
                            compute=compute, **fields)

@lisite.hookimpl
def lisite_indicators():
    return [declare("nye", lambda ctx: frame(ctx, "nye"), unit="antal", better="lower"),
            declare("rettidig", lambda ctx: frame(ctx, "i_tide", "frist"), unit="pct", better="higher", target=90.0),
            declare("aaret", year_to_date, unit="antal", cumulative=True)]

@lisite.hookimpl
def lisite_pages(audience, ctx):
    views = [lisite.IndicatorView(i) for i in ("proces.nye", "proces.rettidig")]
    return [lisite.Page("proces.html", "Proces", views, section="Tal")]
'''

TEXTS = {
    "nye": ('title = "Nye sager"', 'title = "New cases"'),
    "rettidig": ('title = "Undersøgelser til tiden"\nbase = "undersøgelser"', 'title = "Investigations on time"\nbase = "investigations"'),
    "aaret": ('title = "Nye sager i året"', 'title = "New cases this year"'),
}


def process_site(make_site, language="da"):
    rows = ["maaned;nye;frist;i_tide"]
    frist = [80] * 22 + [76, 74]
    i_tide = [68, 74] * 11 + [70, 64]  # 85 % and 92,5 % by turns, then 92,1 % and 86,5 % (each part 5 or more: shown)
    for period, nye, f, i in zip(months(24), RISING, frist, i_tide):
        rows.append(f"{period};{nye};{f};{i}")
    config = textwrap.dedent(f"""
        [site]
        title = "Proces"
        language = "{language}"
        [municipality]
        code = 479
        name = "Svendborg"
        [period]
        current = "2026-09"
        first = "2024-10"
        [audiences.udvalg]
        title = "Udvalget"
        level = "municipality"
        min_count = 5
        [sources.proces]
        path = "data/proces.csv"
        [plugins]
        disabled = {sorted(n for n in builtin() if n not in {"load_csv", "leakcheck", "frontpage"})!r}
        """).replace("'", '"')
    files = {"plugins/proces.py": PLUGIN, "data/proces.csv": "\n".join(rows) + "\n", "plugins/tiny.py": "", "data/tal.csv": ""}
    for name, (da, en) in TEXTS.items():
        files[f"content/indikatorer/proces.{name}.md"] = f"+++\n{da}\n+++\n"
        files[f"content/en/indikatorer/proces.{name}.md"] = f"+++\n{en}\n+++\n"
    site = make_site(files, config=config)
    build(site)
    return site / "_site" / "udvalg"


def builtin():
    from lisite.plugins import builtin_plugin_paths

    return builtin_plugin_paths()


def tiles(page: str) -> dict[str, list[tuple[str, str]]]:
    """Each tile's title → its paragraphs as (class, text), in order."""
    found = {}
    for tile in re.findall(r'<li class="tile[^"]*">(.*?)</li>', page, re.S):
        title = re.sub(r"<[^>]+>", "", re.search(r"<h2>(.*?)</h2>", tile).group(1))
        found[title] = [(cls, re.sub(r"\s+", " ", text).strip()) for cls, text in re.findall(r'<p(?: class="([^"]*)")?>(.*?)</p>', tile, re.S)]
    return found


def test_the_front_tile_says_the_process_verdict_first_and_its_page_the_whole_sentence(make_site):
    out = process_site(make_site)
    front = (out / "index.html").read_text(encoding="utf-8")
    shown = tiles(front)
    new = shown["Nye sager"]
    # the verdict in a few words; the months of the pattern and the change since August are on the figure's page
    assert new[0][0] == "big" and new[1] == ("variation worrying", "Særligt mønster: tegn på forværring")
    assert not [cls for cls, _ in new if cls == "change"]
    assert '<a href="proces.html#proces-nye">Nye sager</a>' in front
    page = (out / "proces.html").read_text(encoding="utf-8")
    assert ("Et særligt mønster: tallet er steget måned for måned fra april 2026 til september 2026. "
            "Det er et tegn på forværring, som bør undersøges.") in page
    on_time = shown["Undersøgelser til tiden"]
    assert on_time[:3] == [("big", "86,5 %"), ("base", "af 74 undersøgelser"), ("variation common", "Svinger inden for det normale")]
    year = shown["Nye sager i året"]
    assert not [cls for cls, _ in year if cls.startswith("variation")]  # year-to-date: no process
    [change] = [text for cls, text in year if cls == "change"]
    assert "siden september 2025" in change  # without a process verdict the tile names the period it compares with


def test_the_chart_draws_the_normal_range_the_mean_and_the_special_months(make_site):
    out = process_site(make_site)
    page = (out / "proces.html").read_text(encoding="utf-8")
    first = re.search(r'<div class="explain">\s*<p>(.*?)</p>', page, re.S).group(1)
    assert first.startswith("Et særligt mønster: tallet er steget måned for måned")
    spec = lisite.charts.page_specs(out / "proces.html")[0]
    process = spc.analyse(months(24), RISING, "lower", floor=0.0)
    layers = spec["layer"]
    [band] = [layer for layer in layers if layer["mark"]["type"] == "area"]
    assert len(band["data"]["values"]) == 24
    for row in band["data"]["values"]:
        assert (row["lower"], row["upper"]) == (pytest.approx(process.lower), pytest.approx(process.upper))
    means = [layer for layer in layers if layer["mark"]["type"] == "rule" and layer["encoding"]["y"]["field"] == "mean"]
    assert means and means[0]["data"]["values"][0]["mean"] == pytest.approx(process.mean)
    [marked] = [layer for layer in layers if layer["mark"]["type"] == "point"]
    assert [v["period"] for v in marked["data"]["values"]] == months(24)[-6:]
    assert {v["kind"] for v in marked["data"]["values"]} == {"Særligt mønster: forværring"}
    assert layers.index(band) < [i for i, layer in enumerate(layers) if layer["mark"]["type"] == "line"][0] < layers.index(marked)
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page  # the chart works offline


def test_a_figure_the_same_every_month_is_not_said_to_lie_between_itself_and_itself():
    """Læsø's placements without consent: 0 of 8 every month read "normalt mellem 0,0 % og 0,0 %"."""
    share = indicator(title="Anbringelser uden samtykke", unit="pct", counts=True)
    ex = said(share, [0] * 24, [8] * 24)
    assert ex.variation.normal_range == "Tallet har været 0,0\u00a0% hver måned fra oktober 2024 til september 2026."
    assert "mellem" not in " ".join(ex.sentences)
    english = said(share, [0] * 24, [8] * 24, t=EN)
    assert english.variation.normal_range == "The figure was 0.0% every month from October 2024 to September 2026."
    assert said(indicator(), [7] * 24).variation.normal_range == (
        "Tallet har været 7 hver måned fra oktober 2024 til september 2026.")
    # a month that differs, or one hidden in between (its value is not known), gives the range as before
    assert said(indicator(), [7] * 23 + [8]).variation.normal_range.startswith("Tallet ligger normalt mellem")
    hidden = said(indicator(), [7] * 10 + [2] + [7] * 13)  # 2 cases in August 2025: hidden from the committee
    assert hidden.variation.normal_range.startswith("Tallet ligger normalt mellem")


SAMSOE_STAFF = [10] * 4 + [9, 9] + [10] * 24 + [9, 9, 10]  # Samsø's caseworkers, 33 months


def test_a_narrow_normal_range_is_written_with_the_decimals_that_tell_its_ends_apart():
    """Samsø's 9 or 10 caseworkers read "normalt mellem 10 og 10": true to the rounding, but it says that 9 is not
    normal; the limits are written with as many more decimals (at most two) as it takes to tell them apart."""
    ex = said(indicator(title="Ansatte sagsbehandlere"), SAMSOE_STAFF)
    process = ex.process
    assert fmt.value(process.lower, "antal") == fmt.value(process.upper, "antal")  # the case in point
    lower, upper = fmt.apart(process.lower, process.upper, "antal")
    assert lower != upper and lower == fmt.number(process.lower, 1) and upper == fmt.number(process.upper, 1)
    assert ex.variation.normal_range.startswith(f"Tallet ligger normalt mellem {lower} og {upper} fra måned til måned")
    frame = pd.DataFrame({"period": months(len(SAMSOE_STAFF)), "value": [float(v) for v in SAMSOE_STAFF]})
    spec = json.loads(charts.spec_json(charts.series_chart(frame, "antal", "Ansatte", process=process)))
    assert f"Normale udsving: {lower}–{upper}" in json.dumps(spec, ensure_ascii=False)
    y_axes = [layer["encoding"]["y"]["axis"] for layer in spec["layer"] if "axis" in layer.get("encoding", {}).get("y", {})]
    # no "9, 9, 9, 10, 10" down the axis: its ticks are the whole numbers the chart spans, and it spans just them
    assert y_axes and all(axis["tickMinStep"] == 1.0 and axis["values"] == [9.0, 10.0, 11.0] for axis in y_axes)
    [scale] = [layer["encoding"]["y"]["scale"] for layer in spec["layer"] if "axis" in layer.get("encoding", {}).get("y", {})]
    assert scale == {"zero": False, "domain": [9.0, 11.0], "nice": False}
    wide = said(indicator(), [*ZIGZAG, 50, 56, 50, 56, 50, 56])  # limits 37–69: the axis finds its own ticks
    frame = pd.DataFrame({"period": months(24), "value": [float(v) for v in [*ZIGZAG, 50, 56, 50, 56, 50, 56]]})
    spec = json.loads(charts.spec_json(charts.series_chart(frame, "antal", "Nye sager", process=wide.process)))
    assert "values" not in json.dumps([layer["encoding"]["y"] for layer in spec["layer"] if "encoding" in layer])
    assert charts.narrow_axis({"axis": {"tickMinStep": 0.1}}, [0.62, 0.64])["axis"]["values"] == [0.6, 0.7]
    assert charts.narrow_axis({"axis": {"tickMinStep": 1.0}}, [7.0, 7.0])["axis"]["values"] == [6.0, 7.0, 8.0]
    # limits that the unit's own decimals tell apart are written with them, as before
    assert fmt.apart(37.4, 68.6, "antal") == ("37", "69")
    assert fmt.apart(0.62, 0.64, "gns") == ("0,62", "0,64") and fmt.apart(5.0, 5.0, "gns") == ("5,0", "5,0")
    assert fmt.apart(0.6201, 0.6202, "gns") == ("0,620", "0,620")  # two more decimals at the most
