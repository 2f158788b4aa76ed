"""The opfoelgning plugin: follow-ups on time, management audits, legality and audit findings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import lisite
from lisite import testing
from lisite.config import parse_config
from lisite.context import BuildContext, IndicatorContext
from lisite.count import compute_count
from lisite.i18n import Translator
from lisite.model import Audience, Dataset, DatasetSpec
from lisite.staging import hide_small, stage

PLUGIN_FILE = testing.builtin_plugin("opfoelgning")
plugin = testing.load_plugin(PLUGIN_FILE)

CONFIG = parse_config({"municipality": {"code": 479, "name": "Svendborg"},
                       "period": {"current": "2026-09", "first": "2026-08"}}, Path("."))
T = pd.Timestamp
CASES = pd.DataFrame(
    [("S1", "Fam", "A", "M1"), ("S2", "Fam", "B", "M2"), ("S3", "Unge", "C", "M3")],
    columns=["sags_id", "omraade", "team", "sagsbehandler_id"],
)
FOLLOW_UPS = pd.DataFrame(
    [  # case, due, done
        ("S1", T("2026-08-10"), T("2026-08-10")),  # on the due day: on time
        ("S1", T("2026-09-10"), T("2026-09-11")),  # a day late
        ("S2", T("2026-09-15"), pd.NaT),  # not done
        ("S2", T("2026-09-20"), T("2026-09-01")),  # early
        ("S9", T("2026-09-25"), T("2026-09-25")),  # unknown case: counted under "Ukendt"
        ("S3", T("2026-10-05"), pd.NaT),  # not due yet
    ],
    columns=["sags_id", "frist", "udfoert"],
)
AUDITS = pd.DataFrame(
    [  # date, team, lawful, finding
        (T("2026-08-05"), "A", True, None),
        (T("2026-09-02"), "A", False, "Mangler børnesamtale"),
        (T("2026-09-12"), "B", True, "Mangler opfølgning"),
        (T("2026-09-30"), "B", False, "Mangler børnesamtale"),
        (T("2025-09-30"), "B", False, "Mangler handleplan"),  # more than 12 months ago
    ],
    columns=["dato", "team", "lovmedholdelig", "fund"],
)
CTX = IndicatorContext(config=CONFIG, data={"sager": CASES, "opfoelgninger": FOLLOW_UPS, "ledelsestilsyn": AUDITS})
AUDIENCE = Audience("ledere", "Ledere", level="caseworker", min_count=1)


def staged(indicator_id: str) -> pd.DataFrame:
    indicator = next(i for i in plugin.INDICATORS if i.id == indicator_id)
    frame = indicator.compute(CTX) if indicator.compute else compute_count(indicator.count, indicator, CTX)
    return stage(indicator, frame, AUDIENCE).frame


def values(frame: pd.DataFrame, by: str = "") -> dict:
    rows = frame[(frame["_by"] == by) & frame["value"].notna()]
    return {(r["period"], r[by]) if by else r["period"]: r["value"] for _, r in rows.iterrows()}


def test_follow_ups_on_time_by_due_month_with_levels_from_the_case():
    frame = staged(plugin.ON_TIME)
    assert values(frame) == {"2026-08": 100.0, "2026-09": 50.0}
    assert values(frame, "team") == {("2026-08", "A"): 100.0, ("2026-09", "A"): 0.0, ("2026-09", "B"): 50.0,
                                     ("2026-09", "Ukendt"): 100.0}
    assert values(frame, "sagsbehandler_id")[("2026-09", "M2")] == 50.0


def test_audits_and_legality_per_month_and_team():
    assert values(staged(plugin.AUDITS)) == {"2026-08": 1.0, "2026-09": 3.0}
    legality = staged(plugin.LEGALITY)
    assert values(legality) == {"2026-08": 100.0, "2026-09": pytest.approx(100 / 3)}
    assert values(legality, "team") == {("2026-08", "A"): 100.0, ("2026-09", "A"): 0.0, ("2026-09", "B"): 50.0}


def test_findings_of_the_last_twelve_months_counted_with_and_without():
    # 2026-08-05 had no finding; three in September; 2025-09-30 is more than 12 months before the end
    assert plugin.findings(AUDITS, T("2026-09-30")) == {"with": 3, "without": 1}


def test_findings_below_the_minimum_count_are_hidden():
    # the plugin's own hand suppression moved to the engine (lisite.staging.hide_small, used for Table(counts=...))
    counts = pd.Series({"Mangler børnesamtale": 14, "Mangler handleplan": 6, "Mangler opfølgning": 2})
    assert hide_small(counts, 5) == ["14", "skjult", "under 5"]  # 6 is hidden to protect 2, and is not under 5
    assert hide_small(counts, 1) == ["14", "6", "2"]


def findings_context(min_count: int) -> BuildContext:
    audits = Dataset(DatasetSpec("ledelsestilsyn", "Ledelsestilsyn", ()), AUDITS, "ledelsestilsyn.csv")
    return BuildContext(config=CONFIG, t=Translator("da"), datasets={"ledelsestilsyn": audits}, problems=[],
                        all_indicators={}, audience=Audience("x", "X", min_count=min_count))


def test_findings_table_with_a_total_and_counts_for_the_engine_to_hide():
    intro, table = plugin.findings_blocks(findings_context(min_count=1))
    assert "viser kun, hvor mange" in intro.text
    assert table.frame.values.tolist() == [["Med fund", 3], ["Uden fund", 1], ["I alt", 4]]
    assert table.counts == ("Antal sager",)  # the engine hides small counts, for every audience's min_count


@pytest.mark.parametrize("min_count", [1, 5])
def test_findings_free_text_never_reaches_the_page(min_count):
    blocks = plugin.findings_blocks(findings_context(min_count=min_count))
    shown = " ".join(b.text if isinstance(b, lisite.Markdown) else b.frame.to_string() + b.caption for b in blocks)
    for finding in AUDITS["fund"].dropna():
        assert finding not in shown and finding.lower() not in shown.lower()


def test_page_for_the_right_audiences(demo_build):
    out = demo_build / "_site"
    for audience in ("udvalg", "direktion", "ledere"):
        html = (out / audience / "elementer" / "opfoelgning.html").read_text(encoding="utf-8")
        assert "<h1>Opfølgning</h1>" in html and "Opfølgninger udført til tiden" in html
        assert "Sager vurderet lovmedholdelige ved ledelsestilsyn" in html
    assert "Ledelsestilsyn pr. måned" not in (out / "udvalg" / "elementer" / "opfoelgning.html").read_text(encoding="utf-8")
    assert not (out / "sagsbehandlere" / "elementer" / "opfoelgning.html").exists()


def test_audit_findings_are_free_text_not_shown_to_aggregate_audiences(demo_build):
    out = demo_build / "_site"
    findings = pd.read_csv(demo_build / "sample_data" / "ledelsestilsyn.csv", sep=";", skiprows=1)["fund"].dropna().unique()
    assert len(findings)
    for audience in ("udvalg", "direktion", "ledere"):
        html = (out / audience / "elementer" / "opfoelgning.html").read_text(encoding="utf-8")
        assert "Hvad fandt ledelsestilsynet?" in html
        assert not [f for f in findings if f in html]
