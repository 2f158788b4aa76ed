"""A second municipality that nothing in lisite assumes: it builds end to end with no change to any built-in
plugin, each audience gets the pages its level implies, the area-limited director sees only that area, and
the canaries reach only the audiences that may see them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SECOND_CANARY_CASE, SECOND_CANARY_TEXT, SECOND_CANARY_WORKER

pytestmark = pytest.mark.slow
OTHER_AREAS = ("Børn og Familie", "Ungeområdet")
OTHER_TEAMS = ("Familieteam Nord", "Familieteam Syd", "Rådgivning og Modtagelse", "Team Småbørn", "Ungeteam Øst", "Ungeteam Vest")


def pages(out: Path, audience: str) -> set[str]:
    return {p.relative_to(out / audience).as_posix() for p in (out / audience).rglob("*.html")}


def text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.suffix in (".html", ".json", ".js", ".svg"))


def test_every_audience_gets_the_pages_its_level_implies(second_build):
    out = second_build / "_site"
    committee, school, director = pages(out, "boerneudvalg"), pages(out, "skoleudvalg"), pages(out, "chef_handicap")
    managers, caseworkers = pages(out, "teamledere"), pages(out, "raadgivere")
    themes = {f"temaer/{t}.html" for t in ("administration", "indsatser", "maalgrupper", "resultater", "oekonomi")}
    assert themes <= committee and themes <= managers
    # figures that cannot be split by area are not shown to the area-limited director (resultater has none)
    assert themes - {"temaer/resultater.html"} <= director
    assert "rapporter/aarsrapport.html" in committee  # the yearly report is the committee's (level municipality)
    assert "rapporter/aarsrapport.html" not in director | managers
    assert school == {"index.html", "temaer/resultater.html", "temaer/maalgrupper.html", "rapporter/fokusomraader.html"} | {
        p for p in committee if p.startswith("om/")}  # its `pages` patterns, nothing else
    assert "elementer/tilrettelaeggelse.html" in managers and "elementer/tilrettelaeggelse.html" not in committee
    assert any(p.startswith("sager/") for p in caseworkers) and not any(p.startswith("sager/") for p in managers)


def test_the_area_limited_director_sees_only_that_area(second_build):
    out = second_build / "_site"
    seen = text(out / "chef_handicap")
    assert "Specialområdet" in seen
    for name in OTHER_AREAS + OTHER_TEAMS:
        assert name not in seen, name
    # the director's count of children with a measure is the area's, smaller than the municipality's
    def children(audience: str) -> int:
        html = (out / audience / "temaer" / "indsatser.html").read_text(encoding="utf-8")
        return int(re.search(r"Børn med en indsats var ([\d.]+)", html).group(1).replace(".", ""))
    assert 0 < children("chef_handicap") < children("boerneudvalg")


def test_canaries_reach_only_the_audiences_that_may_see_them(second_build):
    out = second_build / "_site"
    texts = {audience.name: text(audience) for audience in sorted(out.iterdir()) if audience.is_dir()}
    assert SECOND_CANARY_CASE in texts["raadgivere"]  # it really flowed through the build
    for audience in ("boerneudvalg", "skoleudvalg", "chef_handicap", "teamledere"):
        assert SECOND_CANARY_CASE not in texts[audience], audience
    for audience in ("boerneudvalg", "skoleudvalg", "chef_handicap"):
        assert SECOND_CANARY_WORKER not in texts[audience], audience
    everything = "\n".join(texts.values()) + (out / "index.html").read_text(encoding="utf-8")
    assert SECOND_CANARY_TEXT.casefold() not in everything.casefold()  # free text reaches no page
    assert "010203" not in everything
