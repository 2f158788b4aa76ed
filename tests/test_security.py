"""Disclosure control and the leak check: person-level data never reaches an audience that may not see it."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lisite.build import build
from lisite.errors import BuildError
from lisite.model import Audience, Indicator
from lisite.staging import stage

from test_engine import tree_hashes

LEAKY = (
    "import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n"
    "    first = ctx.data['tal']['sags_id'].iloc[-1]\n"
    "    return [lisite.Page('laek.html', 'Læk', [lisite.Markdown(text='Sagen ' + first)])]\n"
)


def indicator(**kw):
    return Indicator(id="t.x", title="X", theme="administration", element="administrativ_styring", unit="antal",
                     compute=lambda ctx: None, **kw)


def test_small_counts_are_suppressed_with_secondary_suppression():
    frame = pd.DataFrame({"period": ["2026-09"] * 3, "team": ["A", "B", "C"], "numerator": [10.0, 2.0, 12.0]})
    staged = stage(indicator(levels=("team",)), frame, Audience("ledere", "Ledere", level="team", min_count=3))
    by_team = staged.by("team").set_index("team")
    assert by_team.loc["B", "suppressed"] and pd.isna(by_team.loc["B", "value"])
    # B alone hidden would be 24 - 10 - 12: A (the smallest other) is hidden too
    assert by_team.loc["A", "suppressed"] and not by_team.loc["C", "suppressed"]
    assert staged.total()["value"].tolist() == [24.0]
    assert staged.suppressed == 2


def test_finer_levels_never_leave_staging():
    frame = pd.DataFrame({"period": ["2026-09"] * 2, "team": ["A", "B"], "sagsbehandler_id": ["SB-1", "SB-2"],
                          "numerator": [6.0, 7.0]})
    ind = indicator(levels=("team", "caseworker"))
    for audience, allowed in [(Audience("u", "U", level="municipality"), set()),
                              (Audience("d", "D", level="team"), {"team"}),
                              (Audience("l", "L", level="caseworker"), {"team", "sagsbehandler_id"})]:
        staged = stage(ind, frame, audience)
        present = {c for c in ("team", "sagsbehandler_id") if c in staged.frame.columns}
        assert present == allowed
        assert "SB-1" not in staged.frame.to_csv()  or "sagsbehandler_id" in allowed


def test_zero_is_not_suppressed_and_shown_as_zero():
    frame = pd.DataFrame({"period": ["2026-09"] * 3, "team": ["A", "B", "C"], "numerator": [0.0, 9.0, 12.0]})
    staged = stage(indicator(levels=("team",)), frame, Audience("l", "L", level="team", min_count=5))
    assert staged.suppressed == 0
    assert staged.by("team").set_index("team").loc["A", "value"] == 0


def test_suppressed_cell_is_shown_as_under_n_not_zero(make_site):
    site = make_site()
    build(site)
    page = (site / "_site" / "ledere" / "tal" / "antal.html").read_text(encoding="utf-8")
    assert "<td>under 3</td>" in page
    assert "Tal under 3 vises ikke" in page


def test_leak_check_fails_the_build_and_keeps_previous_site(make_site):
    site = make_site()
    build(site)
    before = tree_hashes(site / "_site")
    (site / "plugins" / "laek.py").write_text(LEAKY, encoding="utf-8")
    with pytest.raises(BuildError, match="'S-9' \\(tal.sags_id\\) må ikke stå i sitet for 'udvalg'"):
        build(site)
    assert tree_hashes(site / "_site") == before


def test_an_english_sites_leak_check_says_so_in_english(make_site):
    """The leak check's verdict, and where each value comes from, are worded in the site's language."""
    from conftest import tiny_config

    config = tiny_config().replace('[site]\ntitle = "Testsite"', '[site]\ntitle = "Testsite"\nlanguage = "en"')
    site = make_site({"plugins/laek.py": LEAKY}, config=config)
    with pytest.raises(BuildError) as caught:
        build(site)
    message = str(caught.value)
    assert "The check of the site for 'udvalg' found" in message
    assert "'S-9' (tal.sags_id) must not be in the site for 'udvalg' (level of detail municipality)." in message
    assert "må ikke" not in message and "Kontrollen" not in message


def test_cpr_like_number_fails_every_audience(make_site):
    plugin = ("import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n"
              "    return [lisite.Page('cpr.html', 'CPR', [lisite.Markdown(text='Barn 010203-1234')])]\n")
    site = make_site({"plugins/cpr.py": plugin})
    with pytest.raises(BuildError, match="CPR"):
        build(site)


def test_person_level_table_refused_for_committee(make_site):
    plugin = ("import lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n"
              "    return [lisite.Page('t.html', 'T', [lisite.Table(ctx.data['tal'][['sags_id', 'antal']], 'Sager', person_level=True)])]\n")
    site = make_site({"plugins/tabel.py": plugin})
    with pytest.raises(BuildError, match="personhenførbare kolonner \\(sags_id\\)"):
        build(site)


def test_leak_check_cannot_be_disabled(make_site):
    from lisite.errors import PluginError

    from conftest import tiny_config

    site = make_site(config=tiny_config().replace('disabled = ["', 'disabled = ["leakcheck", "'))
    with pytest.raises(PluginError, match="kan ikke slås fra"):
        build(site)


def test_engine_hides_small_counts_in_plugin_tables(make_site):
    plugin = ("import pandas as pd\nimport lisite\n@lisite.hookimpl\ndef lisite_pages(audience, ctx):\n"
              "    frame = pd.DataFrame({'Gruppe': ['a', 'b', 'c', 'd'], 'Antal': [12, 2, 0, 7]})\n"
              "    return [lisite.Page('t.html', 'T', [lisite.Table(frame, 'Grupper', counts=('Antal',))])]\n")
    site = make_site({"plugins/tabel.py": plugin})
    build(site)
    udvalg = (site / "_site" / "udvalg" / "t.html").read_text(encoding="utf-8")
    cells = re.findall(r'<td class="num">([^<]*)</td>', udvalg)
    # 2 is below 5; 7 is hidden too, or 2 could be worked out from a total, and says so (7 is not under 5); 0 is 0
    assert cells == ["12", "under 5", "0", "skjult"]
    ledere = (site / "_site" / "ledere" / "t.html").read_text(encoding="utf-8")
    assert re.findall(r'<td class="num">([^<]*)</td>', ledere) == ["12", "under 3", "0", "skjult"]


def test_hide_small_hides_counts_below_the_minimum_and_one_more():
    from lisite.staging import hide_small

    counts = pd.Series({"a": 12, "b": 2, "c": 0, "d": 7})
    assert hide_small(counts, 3) == ["12", "under 3", "0", "skjult"]  # 7 hidden to protect 2: not "under 3"
    assert hide_small(pd.Series({"a": 1, "b": 2, "c": 9}), 3) == ["under 3", "under 3", "9"]
    assert hide_small(pd.Series({"a": 4, "b": 9}), 3) == ["4", "9"]


def test_free_text_is_found_whatever_its_capitals_and_line_breaks():
    from lisite.testing import builtin_plugin, load_plugin

    leak = load_plugin(builtin_plugin("leakcheck"))
    forbidden = {"Barnet Emma bor på Canaryvej 7": "ledelsestilsyn.fund"}
    page = "<p>Fundene handlede om: barnet emma bor\n  på canaryvej 7.</p>"
    assert leak.scan_text(page, forbidden) == [("Barnet Emma bor på Canaryvej 7", "ledelsestilsyn.fund")]
    assert leak.scan_text("<p>Emma</p>", forbidden) == []


def test_a_sum_over_months_and_the_months_are_suppressed_together():
    """Anonym is 3 in July (hidden on the monthly chart) and 30 + 40 in the other months: a 12-month table
    showing Anonym = 73 would give July away as 73 - 70. The months and the sum are one set of figures: the
    sum stays, and a second month of Anonym is hidden with July (and Skole in both months, or the months'
    totals would give them away), so July can still be anything from 1 to 4."""
    import lisite
    from lisite.config import parse_config
    from lisite.context import BuildContext, Content
    from lisite.i18n import Translator

    from conftest import REPO

    config = parse_config({"municipality": {"code": 479, "name": "Svendborg"}, "period": {"current": "2026-09"}}, REPO)
    indicator = lisite.Indicator(id="t.kilder", theme="administration", element="organisering", unit="antal",
                                 dimensions=("kilde",), compute=lambda ctx: None)
    frame = pd.DataFrame({"period": ["2026-07", "2026-07", "2026-08", "2026-08", "2026-09", "2026-09"],
                          "kilde": ["Anonym", "Skole"] * 3, "numerator": [3.0, 50.0, 30.0, 60.0, 40.0, 70.0]})
    ctx = BuildContext(config, Translator("da"), {}, [], {indicator.id: indicator}, {indicator.id: frame},
                       Content([REPO / "content"], "da")).for_audience(config.audiences["udvalg"])
    monthly = ctx.staged(indicator.id).by("kilde")
    assert monthly[monthly["suppressed"]][["period", "kilde"]].values.tolist() == [
        ["2026-07", "Anonym"], ["2026-08", "Anonym"], ["2026-07", "Skole"], ["2026-08", "Skole"]]
    window = ctx.staged(indicator.id, window=12)
    sources = window.by("kilde").set_index("kilde")
    assert sources["numerator"].tolist() == [73.0, 180.0] and not window.frame["suppressed"].any()
    # July's Anonym: 73 - 40 (September) = 33 for July and August together, so July is 1 to 4 as its label says
    labels = {(row["period"], row["kilde"]): ctx.fmt.cell(row, "numerator", "antal") for _, row in monthly.iterrows()}
    assert labels[("2026-07", "Anonym")] == "under 5" and labels[("2026-08", "Anonym")] == "skjult"
    assert labels[("2026-09", "Anonym")] == "40"
    with pytest.raises(lisite.errors.BuildError, match="window=12"):
        ctx.staged(indicator.id, window=3)