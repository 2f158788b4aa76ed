"""The tilrettelaeggelse plugin: caseworker changes per case and the spread of caseloads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lisite import testing
from lisite.config import parse_config
from lisite.context import IndicatorContext
from lisite.i18n import Translator
from lisite.model import Audience
from lisite.staging import stage

PLUGIN_FILE = testing.builtin_plugin("tilrettelaeggelse")
plugin = testing.load_plugin(PLUGIN_FILE)

CONFIG = parse_config({"municipality": {"code": 479, "name": "Svendborg"},
                       "period": {"current": "2026-09", "first": "2026-08"}}, Path("."))
T = pd.Timestamp
CASES = pd.DataFrame(
    [  # case, area, team, caseworker, opened, closed
        ("S1", "Fam", "A", "M1", T("2024-01-01"), pd.NaT),
        ("S2", "Fam", "A", "M1", T("2025-06-01"), pd.NaT),
        ("S3", "Fam", "B", "M2", T("2026-09-05"), pd.NaT),
        ("S4", "Fam", "B", "M2", T("2024-01-01"), T("2026-09-20")),
    ],
    columns=["sags_id", "omraade", "team", "sagsbehandler_id", "oprettet", "afsluttet"],
)
CHANGES = pd.DataFrame(
    [  # the first assignment of a case has no "from"
        ("S1", T("2024-01-01"), None, "M9"),
        ("S1", T("2025-09-15"), "M9", "M8"),  # a change, in the 12 months up to August only
        ("S1", T("2026-02-01"), "M8", "M1"),
        ("S2", T("2025-06-01"), None, "M1"),
        ("S3", T("2026-09-05"), None, "M2"),
        ("S4", T("2026-01-10"), "M7", "M2"),  # on a case closed during September
    ],
    columns=["sags_id", "dato", "fra_sagsbehandler_id", "til_sagsbehandler_id"],
)
AUDIENCE = Audience("ledere", "Ledere", level="team", min_count=1)


def values(frame: pd.DataFrame, by: str = "") -> dict:
    rows = frame[frame["_by"] == by]
    return {(r["period"], r[by]) if by else r["period"]: r["value"] for _, r in rows.iterrows()}


def test_changes_per_active_case_in_the_last_twelve_months():
    ctx = IndicatorContext(config=CONFIG, data={"sager": CASES, "sagsbehandlerskift": CHANGES})
    frame = stage(plugin.INDICATORS[0], plugin.caseworker_changes(ctx), AUDIENCE).frame
    # August: S1 (2 changes), S2 (0), S4 (1) are open -> 3 / 3. September: S1 (1), S2 (0), S3 (0) -> 1 / 3.
    assert values(frame) == {"2026-08": 1.0, "2026-09": 1 / 3}
    assert values(frame, "team") == {("2026-08", "A"): 1.0, ("2026-08", "B"): 1.0,
                                     ("2026-09", "A"): 0.5, ("2026-09", "B"): 0.0}


def test_a_row_from_a_caseworker_to_the_same_caseworker_is_no_change():
    """A case registered again with the caseworker it has (a row "M1 → M1") stays with them: the child did not get a new
    caseworker, and the committee's figure would say it did."""
    again = pd.DataFrame([("S2", T("2026-03-01"), "M1", "M1"), ("S1", T("2026-04-01"), "M1", "M1")], columns=CHANGES.columns)
    ctx = IndicatorContext(config=CONFIG, data={"sager": CASES, "sagsbehandlerskift": pd.concat([CHANGES, again], ignore_index=True)})
    frame = stage(plugin.INDICATORS[0], plugin.caseworker_changes(ctx), AUDIENCE).frame
    assert values(frame) == {"2026-08": 1.0, "2026-09": 1 / 3}  # as without the two rows
    pd.testing.assert_frame_equal(plugin.caseworker_changes(ctx), month_by_month(ctx))


def test_without_the_dataset_the_indicator_is_empty_and_stages():
    ctx = IndicatorContext(config=CONFIG, data={"sager": CASES})
    frame = plugin.caseworker_changes(ctx)
    assert frame.empty and list(frame.columns) == ["period", "omraade", "team", "numerator", "denominator"]
    staged = stage(plugin.INDICATORS[0], frame, AUDIENCE)
    assert staged.total()["value"].notna().sum() == 0


def test_caseload_bands_count_caseworkers_not_cases():
    cases = pd.DataFrame({
        "sagsbehandler_id": ["M1"] * 14 + ["M2"] * 15 + ["M3"] * 40 + ["M4"] * 2,
        "oprettet": T("2026-01-01"), "afsluttet": pd.NaT,
    })
    cases.loc[cases.index[-1], "afsluttet"] = T("2026-03-01")  # closed: M4 has one open case
    counts = plugin.caseload_bands(cases, T("2026-09-30"), Translator("da"))
    assert counts.to_dict() == {"Under 15 sager": 2, "15-24 sager": 1, "25-34 sager": 0, "35 sager og derover": 1}


def test_page_for_managers_and_management_only(demo_build):
    out = demo_build / "_site"
    ledere = (out / "ledere" / "elementer" / "tilrettelaeggelse.html").read_text(encoding="utf-8")
    assert "<h1>Tilrettelæggelse af arbejdet</h1>" in ledere
    assert "Hvordan er sagerne fordelt?" in ledere and "35 sager og derover" in ledere
    assert "Skift af sagsbehandler" in ledere
    direktion = (out / "direktion" / "elementer" / "tilrettelaeggelse.html").read_text(encoding="utf-8")
    assert "Sager pr. sagsbehandler" in direktion and "35 sager og derover" not in direktion
    for audience in ("udvalg", "sagsbehandlere"):
        assert not (out / audience / "elementer" / "tilrettelaeggelse.html").exists()


def month_by_month(ctx) -> pd.DataFrame:
    """The definition, one month at a time: the changes in the 12 months up to each month end, per active case."""
    changes = ctx.data["sagsbehandlerskift"]
    changes = changes[changes["fra_sagsbehandler_id"].notna() & (changes["fra_sagsbehandler_id"] != "")]
    changes = changes[[fra != til for fra, til in zip(changes["fra_sagsbehandler_id"], changes["til_sagsbehandler_id"])]]
    cases, parts = ctx.data["sager"], []
    for period in ctx.months():
        day, start = pd.Period(period, "M").end_time.normalize(), (pd.Period(period, "M") - 12).end_time.normalize()
        active = cases[(cases["oprettet"] <= day) & (cases["afsluttet"].isna() | (cases["afsluttet"] >= day))]
        recent = changes[(changes["dato"] > start) & (changes["dato"] <= day)]
        per_case = active["sags_id"].map(recent.groupby("sags_id").size()).fillna(0.0)
        part = active.assign(skift=per_case).groupby(["omraade", "team"]).agg(numerator=("skift", "sum"), denominator=("skift", "size"))
        parts.append(part.reset_index().assign(period=period))
    return pd.concat(parts, ignore_index=True)[["period", "omraade", "team", "numerator", "denominator"]]


def test_changes_in_one_pass_are_the_changes_month_by_month():
    """Cases opened or closed on a month end, changes on a month end and a year before it, a case never opened."""
    config = parse_config({"municipality": {"code": 479, "name": "Svendborg"},
                           "period": {"current": "2026-09", "first": "2024-11"}}, Path("."))
    cases = pd.concat([CASES, pd.DataFrame([("S5", "Han", "C", "M3", T("2025-01-31"), T("2025-09-30")),
                                            ("S6", "Han", "C", "M3", pd.NaT, pd.NaT)], columns=CASES.columns)], ignore_index=True)
    changes = pd.concat([CHANGES, pd.DataFrame([("S5", T("2025-03-31"), "M1", "M3"), ("S5", T("2024-09-30"), "M2", "M1"),
                                                ("S1", pd.NaT, "M1", "M2"), ("S1", T("2025-09-30"), "", "M1")],
                                               columns=CHANGES.columns)], ignore_index=True)
    ctx = IndicatorContext(config=config, data={"sager": cases, "sagsbehandlerskift": changes})
    found = plugin.caseworker_changes(ctx)
    assert len(found) > 30 and found["numerator"].sum() > 10
    pd.testing.assert_frame_equal(found, month_by_month(ctx))


def test_cases_and_changes_without_an_id_a_shared_id_or_no_team_count_as_the_definition_counts_them():
    """Counted by case number rather than by id text, the rows a join on the id treats specially still come out as the
    definition has them: a case or a change without an id matches nothing, two cases with one id both get its changes,
    a change of a case not in ``sager`` counts nowhere, a case without an area or a team is in no group."""
    config = parse_config({"municipality": {"code": 479, "name": "Svendborg"},
                           "period": {"current": "2026-09", "first": "2025-12"}}, Path("."))
    cases = pd.concat([CASES, pd.DataFrame([(None, "Fam", "A", "M1", T("2025-01-01"), pd.NaT),
                                            ("S1", "Han", "C", "M3", T("2025-05-01"), pd.NaT),
                                            ("S7", "Han", None, "M3", T("2025-05-01"), pd.NaT),
                                            ("S8", None, "C", "M3", T("2025-05-01"), pd.NaT)], columns=CASES.columns)],
                      ignore_index=True)
    changes = pd.concat([CHANGES, pd.DataFrame([(None, T("2026-03-01"), "M1", "M2"), ("S99", T("2026-03-01"), "M1", "M2"),
                                                ("S7", T("2026-03-01"), "M1", "M2"), ("S8", T("2026-04-01"), "M1", "M2")],
                                               columns=CHANGES.columns)], ignore_index=True)
    ctx = IndicatorContext(config=config, data={"sager": cases, "sagsbehandlerskift": changes})
    found = plugin.caseworker_changes(ctx)
    expected = month_by_month(ctx)
    assert set(expected["team"]) == {"A", "B", "C"} and set(expected["omraade"]) == {"Fam", "Han"}
    assert expected.loc[expected["team"] == "C", "numerator"].sum() > 0  # the second case S1 got the first one's changes
    pd.testing.assert_frame_equal(found, expected)
