"""Every built-in indicator says in plain Danish what it counts (Tæller) and what it counts out of (Nævner)."""

from __future__ import annotations

import html
import re

import pytest

from lisite.build import collect_indicators, with_texts
from lisite.config import load_config
from lisite.context import Content
from lisite.plugins import make_plugin_manager
from lisite.resources import demo_dir

WITHOUT_DENOMINATOR = ("antal", "kr")  # a count or an amount: nothing to divide by


@pytest.fixture(scope="module")
def builtin_indicators():
    """The built-in plugins' indicators, loaded the way the engine loads them for the demo site."""
    config = load_config(demo_dir())
    pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths)
    indicators = with_texts(collect_indicators(pm, config), Content([config.content_dir], config.language))  # words from the texts
    builtin = {i.id: i for i in indicators.values() if pm.infos[i.plugin].origin == "builtin"}
    assert len(builtin) >= 30, sorted(builtin)
    return builtin


def test_every_indicator_states_its_numerator(builtin_indicators):
    missing = [i.id for i in builtin_indicators.values() if not i.numerator.strip()]
    assert not missing, f"indicators without a numerator text: {missing}"


def test_every_rate_states_its_denominator(builtin_indicators):
    missing = [i.id for i in builtin_indicators.values()
               if i.unit not in WITHOUT_DENOMINATOR and not i.denominator.strip()]
    assert not missing, f"indicators without a denominator text: {missing}"


def test_per_1000_is_out_of_the_children_in_the_municipality(builtin_indicators):
    for indicator in builtin_indicators.values():
        if indicator.unit == "pr_1000":
            assert "0-17 år" in indicator.denominator, indicator.id


def section(page: str, section_id: str) -> str:
    match = re.search(rf'<section class="indicator" id="{re.escape(section_id)}">(.*?)</section>', page, re.S)
    assert match, f"no indicator section {section_id!r}"
    return html.unescape(match.group(1))


def test_the_committee_sees_numerator_and_denominator(demo_build, builtin_indicators):
    page = (demo_build / "_site" / "udvalg" / "temaer" / "administration.html").read_text(encoding="utf-8")
    indicator = builtin_indicators["administration.underretninger_24t"]
    about = section(page, "administration-underretninger_24t")
    assert f"<dt>Tæller</dt><dd>{indicator.numerator}</dd>" in about
    assert f"<dt>Nævner</dt><dd>{indicator.denominator}</dd>" in about
    counted = section(page, "administration-aktive_sager")
    assert f"<dt>Tæller</dt><dd>{builtin_indicators['administration.aktive_sager'].numerator}</dd>" in counted
    assert "<dt>Nævner</dt>" not in counted  # a count has nothing to divide by
