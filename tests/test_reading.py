"""What a committee member reads: no "kr..", no "from September to September", no "udtrukket ikke oplyst",
page titles that name each part once, large amounts in millions, and charts that show what their texts say."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from lisite import charts, fmt, testing
from lisite.alttext import describe
from lisite.i18n import Translator, fill
from lisite.model import Indicator
from lisite.render import frequency_label
from lisite.render import markdown as render_markdown

REPO = Path(__file__).resolve().parents[1]
LABEL = re.compile(r'<div class="chart" id="[^"]*" data-chart="[^"]*" role="img" aria-label="([^"]*)">')
DOUBLE_STOP = re.compile(r"(?<![.])\.\.(?![./])")  # "kr.." but neither "..." nor "../"


def pages(demo_build: Path) -> list[Path]:
    found = sorted((demo_build / "_site").rglob("*.html"))
    assert len(found) > 50
    return found


def strings(node) -> list[str]:
    """Every text in a chart spec: titles, labels, legend names, data values that are text."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return []


def chart_texts(page: Path) -> list[str]:
    return [s for spec in charts.page_specs(page) for s in strings(spec)]


# --- a sentence ending in an abbreviation gets one full stop ---------------------------------------------


def test_a_value_ending_a_sentence_takes_its_full_stop():
    assert fill("senest {value}.", {"value": "14.310 kr."}) == "senest 14.310 kr."
    assert fill("senest {value}.", {"value": "534"}) == "senest 534."
    assert fill("{a}, {b}. Og {n:.1f}.", {"a": "ca.", "b": "kr.", "n": 2.25}) == "ca., kr. Og 2.2."
    t = Translator("da")
    said = t("txt_latest", title="Udgift pr. barn", value="14.310 kr.", period="2025")
    assert said == "Udgift pr. barn var 14.310 kr. i 2025."
    assert t("oekonomisk_styring.chart_result", kind="et merforbrug", deviation="3,5 mio. kr.") == "Det er et merforbrug på 3,5 mio. kr."


@pytest.mark.slow
def test_no_generated_text_has_two_full_stops(demo_build):
    """Every text of every page: what is read (text, alt texts, titles) and what the charts write."""
    found = []
    for page in pages(demo_build):
        html = page.read_text(encoding="utf-8")
        for text in [*testing.visible_text(html).splitlines(), *chart_texts(page)]:
            if DOUBLE_STOP.search(text):
                found.append(f"{page.relative_to(demo_build)}: {text[:120]}")
    assert found == []


# --- a chart of one period is described as the bars it shows -----------------------------------------


def indicator(unit: str = "antal") -> Indicator:
    return Indicator(id="x.aktive", title="Aktive indsatser", theme="indsatser", element="politisk_styring", unit=unit)


def test_one_period_by_category_names_the_highest_and_lowest_shown_bar_and_no_hidden_figure():
    frame = pd.DataFrame({"period": ["2026-09"] * 4, "indsatstype": ["Aflastning", "Familiebehandling", "Eget værelse", "Netværkspleje"],
                          "value": [70.0, 112.0, float("nan"), 13.0], "suppressed": [False, False, True, False]})
    said = describe(indicator(), frame, "indsatstype", "over time", Translator("da"), "indsatstype")
    assert said == ("Søjlediagram over Aktive indsatser (antal) fordelt på indsatstype i september 2026 med 4 søjler. "
                    "Den højeste er Familiebehandling med 112, den laveste Netværkspleje med 13. "
                    "Én af søjlerne vises ikke, så ingen enkeltpersoner kan genkendes.")
    assert "Eget værelse" not in said


def test_bars_shown_all_alike_are_not_called_the_highest_and_the_lowest():
    """Ærø's children with a handicap: two of four types shown, 8 each, read "Den højeste er Autisme med 8, den
    laveste Fysisk med 8"."""
    frame = pd.DataFrame({"period": ["2026-09"] * 4, "handicaptype": ["Autisme", "Fysisk", "ADHD", "Andet"],
                          "value": [8.0, 8.0, float("nan"), float("nan")], "suppressed": [False, False, True, True]})
    said = describe(indicator(), frame, "handicaptype", "over time", Translator("da"), "handicaptype")
    assert said == ("Søjlediagram over Aktive indsatser (antal) fordelt på handicaptype i september 2026 med 4 søjler. "
                    "De 2 viste søjler er alle 8. 2 af søjlerne vises ikke, så ingen enkeltpersoner kan genkendes.")
    english = describe(indicator(), frame, "handicaptype", "over time", Translator("en"), "handicaptype")
    assert "The 2 bars shown are all 8." in english and "highest" not in english
    shares = frame.assign(value=[33.34, 33.31, float("nan"), float("nan")])  # alike as written: 33,3 %
    assert "De 2 viste søjler er alle 33,3" in describe(indicator("pct"), shares, "handicaptype", "", Translator("da"), "handicaptype")


def test_one_period_total_is_one_bar_and_a_course_over_time_keeps_its_description():
    one = pd.DataFrame({"period": ["2026-09"], "value": [534.0], "suppressed": [False]})
    assert describe(indicator(), one, "", "over time", Translator("da")) == "Søjle for Aktive indsatser (antal) i september 2026: 534."
    two = pd.DataFrame({"period": ["2026-08", "2026-09"], "value": [520.0, 534.0], "suppressed": [False, False]})
    assert describe(indicator(), two, "", "over time", Translator("da")) == "over time"


@pytest.mark.slow
def test_no_chart_is_described_from_a_period_to_itself(demo_build):
    same = re.compile(r"fra (\w+ \d{4}|\d{4}) til \1\b|mellem (\S+(?: %| kr\.)?) og \2[;.]")
    found = []
    for page in pages(demo_build):
        html = page.read_text(encoding="utf-8")
        for label in [unescape(x) for x in LABEL.findall(html)] + testing.visible_text(html).splitlines():
            if same.search(label):
                found.append(f"{page.relative_to(demo_build)}: {label[:120]}")
    assert found == []
    html = (demo_build / "_site" / "udvalg" / "temaer" / "indsatser.html").read_text(encoding="utf-8")
    section = html[html.index('id="indsatser-indsatser_efter_type-indsatstype"'):]
    section = section[:section.index("</section>")]
    label = unescape(LABEL.search(section).group(1))
    rows = re.findall(r"<tr><td>september 2026</td><td>([^<]*)</td><td>([\d.]+)</td></tr>", section)
    highest = max((row for row in rows if row[0] != "Hele kommunen"), key=lambda row: int(row[1].replace(".", "")))
    assert label.startswith("Søjlediagram over Aktive indsatser") and f"Den højeste er {highest[0]} med {highest[1]}" in label


# --- where the data come from, and how often -------------------------------------------------------------


@pytest.mark.slow
def test_a_file_without_an_extraction_date_says_so_in_words(demo_build):
    html = (demo_build / "_site" / "udvalg" / "temaer" / "oekonomi.html").read_text(encoding="utf-8")
    text = testing.visible_text(html)
    assert "udtrukket ikke oplyst" not in text
    assert "Budgetopfølgning (sample_data/budget.xlsx), udtræksdato ikke oplyst" in text
    assert "Indsatser (ydelser) (sample_data/ydelser.csv), udtrukket 30. september 2026" in text
    for page in pages(demo_build):
        assert "udtrukket ikke oplyst" not in page.read_text(encoding="utf-8"), page


def test_frequency_reads_as_how_often():
    t = Translator("da")
    assert frequency_label("måned", t) == "hver måned" and frequency_label(" Måned", t) == "hver måned"
    assert frequency_label("år", t) == "hvert år"


@pytest.mark.slow
def test_updated_is_followed_by_how_often(demo_build):
    every = {Translator("da")(f"every.{key}") for key in ("day", "week", "month", "quarter", "year")}
    seen = 0
    for page in pages(demo_build):
        for said in re.findall(r"<dt>Opdateres</dt><dd>([^<]*)</dd>", page.read_text(encoding="utf-8")):
            assert said in every, f"{page}: 'Opdateres {said}'"
            seen += 1
    assert seen > 100


# --- page titles ------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_page_titles_name_each_part_once(demo_build):
    for page in pages(demo_build):
        title = unescape(re.search(r"<title>([^<]*)</title>", page.read_text(encoding="utf-8")).group(1))
        parts = title.split(" · ")
        assert len(parts) == len(set(parts)), f"{page}: {title}"
    front = (demo_build / "_site" / "udvalg" / "index.html").read_text(encoding="utf-8")
    assert "<title>Børne- og Ungeudvalget · Svendborg</title>" in front
    theme = (demo_build / "_site" / "udvalg" / "temaer" / "oekonomi.html").read_text(encoding="utf-8")
    assert "<title>Økonomi · Børne- og Ungeudvalget · Svendborg</title>" in theme


# --- large amounts ----------------------------------------------------------------------------------------


def test_a_million_kroner_or_more_reads_in_millions_in_text_and_every_krone_in_a_table():
    assert fmt.value(14_398_637, "kr") == "14,4\u00a0mio.\u00a0kr."
    assert fmt.value(-2_060_000, "kr") == "-2,1\u00a0mio.\u00a0kr."
    assert fmt.value(999_949, "kr") == "999.949\u00a0kr."
    assert fmt.value(14_398_637, "kr", exact=True) == "14.398.637\u00a0kr."
    assert fmt.value(14_398_637, "kr", "en") == "DKK\u00a014.4\u00a0million"
    assert fmt.Formatter("da").cell({"value": 14_398_637.0, "suppressed": False}, "value", "kr") == "14.398.637\u00a0kr."


@pytest.mark.slow
def test_no_sentence_names_millions_of_kroner_in_full(demo_build):
    """A full amount of a million kroner or more stands only alone, in a table cell; sentences and tiles say mio. kr."""
    full = re.compile(r"\d{1,3}(?:\.\d{3}){2,} kr\.")
    seen_millions = 0
    for page in pages(demo_build):
        html = page.read_text(encoding="utf-8")
        for line in testing.visible_text(html).splitlines() + [unescape(x) for x in LABEL.findall(html)]:
            if full.search(line):
                assert full.fullmatch(line), f"{page}: {line[:120]}"
            seen_millions += "mio. kr." in line
    assert seen_millions > 20


# --- a number keeps its unit on its line -----------------------------------------------------------------

UNIT_BREAK = re.compile(r"\d\s+(?:%|kr\.|mio\.|procentpoint)|\bmio\.\s+kr\.|\bDKK\s+\d")  # run on text with "~" for "\u00a0"
CODE = re.compile(r"<(script|style)\b.*?</\1>", re.S)


def test_a_number_and_its_unit_are_joined_by_a_no_break_space():
    for lang in ("da", "en"):
        for unit in ("pct", "kr", "mio_kr", "kr_gns"):
            assert not UNIT_BREAK.search(fmt.value(1234.5, unit, lang).replace("\u00a0", "~")), (lang, unit)
    written = "Brugt 75 % af 14,4 mio. kr., 2,5 procentpoint mere; DKK 1,234 for 10 teams i 2026."
    assert fmt.glued(written) == ("Brugt 75\u00a0% af 14,4\u00a0mio.\u00a0kr., 2,5\u00a0procentpoint mere; DKK\u00a01,234 "
                                  "for 10 teams i 2026.")
    # a site's own text in Markdown is glued the same way, but not what it writes as code
    assert render_markdown("Højst **100 %** i `100 %`") == "<p>Højst <strong>100\u00a0%</strong> i <code>100 %</code></p>\n"


@pytest.mark.slow
def test_no_page_can_break_a_line_between_a_number_and_its_unit(demo_build):
    """On a tablet "92,3 %" must not end one line with 92,3 and start the next with %: every page's text, what
    lisite writes and what the site's content says."""
    found = []
    for page in pages(demo_build):
        text = CODE.sub("", page.read_text(encoding="utf-8"))
        found += [f"{page.relative_to(demo_build)}: {text[max(0, m.start() - 40):m.end()]!r}"
                  for m in UNIT_BREAK.finditer(text.replace("\u00a0", "~"))]
    assert found == []


# --- charts show what their texts say ---------------------------------------------------------------------


def layer_specs(spec: dict) -> list[dict]:
    return [spec, *[s for layer in spec.get("layer", []) for s in layer_specs(layer)]]


@pytest.mark.slow
def test_a_shaded_area_in_a_text_is_drawn_wide_enough_to_see(demo_build):
    """The prognosis' texts speak of a shaded area only under the chart that draws it, a fifth of its width or more."""
    for audience in ("udvalg", "direktion", "ledere"):
        page = demo_build / "_site" / audience / "elementer" / "oekonomisk_styring.html"
        labels = re.findall(r'<div class="chart" id="[^"]*" data-chart="[^"]*" role="img" aria-label="([^"]*)">', page.read_text(encoding="utf-8"))
        shaded = [(unescape(label), spec) for label, spec in zip(labels, charts.page_specs(page), strict=True) if "skravere" in unescape(label)]
        assert len(shaded) == 1, audience
        spec = shaded[0][1]
        rects = [s for s in layer_specs(spec) if (s.get("mark") or {}).get("type") == "rect"]
        assert rects and rects[0]["encoding"]["x2"]["field"] == "high"
        row = spec["data"]["values"][0] if "values" in spec.get("data", {}) else next(iter(spec["datasets"].values()))[0]
        low, high = rects[0]["encoding"]["x"]["scale"]["domain"]
        assert (row["high"] - row["low"]) / (high - low) >= 0.2
        assert low <= row["budget"] <= high  # the budget it is held against is on the axis too


@pytest.mark.slow
def test_a_score_from_1_to_5_is_drawn_from_1_to_5(demo_build):
    specs = charts.page_specs(demo_build / "_site" / "udvalg" / "temaer" / "resultater.html")
    wellbeing = [s for s in specs if "Trivsel" in json.dumps(s.get("title", ""), ensure_ascii=False)]
    assert wellbeing
    for spec in wellbeing:
        scales = [s["encoding"]["y"].get("scale") for s in layer_specs(spec) if "y" in s.get("encoding", {})
                  and s["encoding"]["y"].get("field") == "value"]
        assert scales and all(scale == {"domain": [1.0, 5.0], "zero": False, "nice": False} for scale in scales)
