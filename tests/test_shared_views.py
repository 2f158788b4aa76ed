"""An indicator's chart, text and table are made once a build for every audience shown the same figures with the same
smallest count (:meth:`lisite.render.Views.figures_view`), and what each audience gets is what it got when each made its
own; a plugin's parts are still made for each audience."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

import lisite
from conftest import REPO, TINY_DATA, TINY_PLUGIN, tiny_config
from lisite import render, testing
from lisite.build import build
from lisite.render import Views

#: udvalg and chefer see the same totals with the same smallest count; ledere hide cells under 3, not 5
AUDIENCES = """
[audiences.chefer]
title = "Chefgruppen"
level = "team"
min_count = 5
"""

PARTS = '''
import os

@lisite.hookimpl
def lisite_indicator_view(indicator, staged, block, audience, ctx):
    with open(os.environ["SEEN_BY_PARTS"], "a", encoding="utf-8") as seen:
        seen.write(f"{audience.id};{block.by}\\n")
    return []
'''


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            and not p.name.startswith(".lisite")}  # the build records hash the code, not the pages


@pytest.fixture
def site(make_site, monkeypatch):
    monkeypatch.setenv("LISITE_WORKERS", "1")  # the audiences in this process, where the views are counted
    # June's total of 2 is hidden from all three: "under 5" to udvalg and chefer, "under 3" to ledere
    return make_site({"plugins/tiny.py": TINY_PLUGIN + PARTS, "data/tal.csv": TINY_DATA + "2026-06;A;2;S-10\n"}, tiny_config(AUDIENCES))


def made_views(monkeypatch) -> list[tuple[str, str]]:
    """(audience, by) of each figures view made, as the build makes them."""
    made = []
    original = Views.make_figures

    def counted(self, block, *args):
        made.append((self.ctx.audience.id, block.by))
        return original(self, block, *args)

    monkeypatch.setattr(Views, "make_figures", counted)
    return made


def test_audiences_shown_the_same_figures_share_one_view_and_each_gets_its_own_parts(site, tmp_path, monkeypatch):
    monkeypatch.setenv("SEEN_BY_PARTS", str(tmp_path / "seen.txt"))
    made = made_views(monkeypatch)
    build(site)
    assert sorted(made) == sorted([("udvalg", ""), ("ledere", ""), ("chefer", "team"), ("ledere", "team")])  # udvalg's for chefer
    seen = [tuple(line.split(";")) for line in (tmp_path / "seen.txt").read_text(encoding="utf-8").splitlines()]
    assert sorted(seen) == sorted([("udvalg", ""), ("chefer", ""), ("chefer", "team"), ("ledere", ""), ("ledere", "team")])


def test_a_shared_view_is_the_view_each_audience_made_for_itself(site, tmp_path, monkeypatch):
    monkeypatch.setenv("SEEN_BY_PARTS", str(tmp_path / "seen.txt"))
    build(site, output_dir=tmp_path / "shared")
    shared = files(tmp_path / "shared")
    made = made_views(monkeypatch)
    monkeypatch.setattr(Views, "figures_view", lambda self, block, staged, page: own_view(self, block, staged, page))
    build(site, output_dir=tmp_path / "own")
    assert sorted(made) == sorted([("udvalg", ""), ("chefer", ""), ("chefer", "team"), ("ledere", ""), ("ledere", "team")])
    assert files(tmp_path / "own") == shared
    page = shared["chefer/tal/antal.html"].decode()
    assert "Chefgruppen" in page and "Udvalget" not in page.split("<main", 1)[1]  # its own page around the shared view
    assert "under 5" in shared["udvalg/tal/antal.html"].decode() and "under 3" in shared["ledere/tal/antal.html"].decode()


def own_view(views, block, staged, page):
    """The figures view made for this audience alone, as before views were shared."""
    from lisite.render import PageView, without_empty_levels

    scratch = PageView(page)
    frame, total = staged.by(block.by) if block.by else staged.total(), staged.total()
    core = views.make_figures(block, staged, without_empty_levels(frame, block.by), without_empty_levels(total, ""), scratch)
    return core, scratch.charts


def test_a_tile_and_its_indicators_section_share_one_explanation_of_the_same_figures(monkeypatch):
    """The front page's tile and the indicator's own section explain the same figures once (they say the same); other
    figures (a cell changed), another smallest count or another target are explained anew."""
    months = [str(p) for p in pd.period_range("2025-10", "2026-09", freq="M")]
    indicator = lisite.Indicator(id="administration.sager", title="Sager", theme="administration", element="administrativ_styring",
                                 unit="antal", key_figure=True, plugin="administration")
    explained = []
    real = render.explain
    monkeypatch.setattr(render, "explain", lambda *args, **kwargs: explained.append(args[1]["numerator"].sum()) or real(*args, **kwargs))

    def sentences(counts, audience="udvalg", target=None):
        ctx = testing.page_context([indicator], {indicator.id: pd.DataFrame({"period": months, "numerator": counts})}, audience, REPO)
        if target is not None:
            monkeypatch.setattr(type(ctx), "target", lambda self, indicator_id: target)
        ctx.pages = {"index.html": lisite.Page("index.html", "Forside")}
        page = lisite.Page("index.html", "Forside", [lisite.KeyFigures((indicator.id,)), lisite.IndicatorView(indicator.id)])
        tiles, section = render.Views(ctx, None, None).page(page).blocks
        return tiles["tiles"][0]["sentences"], section["sentences"], ctx

    counts = [40.0 + i for i in range(len(months))]
    tile, section, ctx = sentences(counts)
    assert len(explained) == 1 and section and set(tile) <= set(section)
    views = render.Views(ctx, None, None)
    assert views.explained(indicator, ctx.staged(indicator.id).total(), None, ctx.shown_periods(indicator.id), ctx.process(indicator.id)) \
        is views.explained(indicator, ctx.staged(indicator.id).total().copy(), None, ctx.shown_periods(indicator.id), ctx.process(indicator.id))
    assert len(explained) == 1  # (the same cells in a new frame: the same explanation)
    sentences(counts[:-1] + [counts[-1] + 1])  # a new context: a new build
    assert len(explained) == 2
    total = ctx.staged(indicator.id).total()
    changed = total.assign(numerator=total["numerator"].where(total["period"] != months[-1], 99.0))
    views.explained(indicator, changed, None, ctx.shown_periods(indicator.id), ctx.process(indicator.id))
    views.explained(indicator, total, 10.0, ctx.shown_periods(indicator.id), ctx.process(indicator.id))
    other = render.Views(ctx.for_audience(replace(ctx.audience, min_count=3)), None, None)
    other.explained(indicator, total, None, ctx.shown_periods(indicator.id), ctx.process(indicator.id))
    assert len(explained) == 5


def test_a_breakdowns_table_has_the_municipalitys_total_last_in_each_of_its_periods():
    """Each period's rows as the breakdown has them (their order kept), then the total of that period labelled; a total of
    a period the breakdown does not show is left out; the columns are the breakdown's."""
    frame = pd.DataFrame({"period": ["2026-02", "2026-01", "2026-02", "2026-01"], "team": ["B", "A", "A", None],
                          "value": [1.0, 2.0, 3.0, 4.0]}).astype({"period": str, "team": str})
    total = pd.DataFrame({"period": ["2025-12", "2026-01", "2026-02"], "value": [9.0, 6.0, 4.0]}).astype({"period": str})
    table = render.with_total(frame, total, "team", "I alt")
    assert list(table.columns) == ["period", "team", "value"]
    assert table[["period", "team", "value"]].astype(object).where(table.notna(), None).values.tolist() == [
        ["2026-01", "A", 2.0], ["2026-01", None, 4.0], ["2026-01", "I alt", 6.0],
        ["2026-02", "B", 1.0], ["2026-02", "A", 3.0], ["2026-02", "I alt", 4.0]]
