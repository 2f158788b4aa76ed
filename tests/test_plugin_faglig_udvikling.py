"""The faglig_udvikling plugin: turnover, new hires, training and supervision of caseworkers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lisite import testing
from lisite.config import parse_config
from lisite.context import IndicatorContext
from lisite.model import Audience
from lisite.staging import stage

PLUGIN_FILE = testing.builtin_plugin("faglig_udvikling")
plugin = testing.load_plugin(PLUGIN_FILE)

CONFIG = parse_config({"municipality": {"code": 479, "name": "Svendborg"},
                       "period": {"current": "2026-09", "first": "2026-08"}}, Path("."))
T = pd.Timestamp
STAFF = pd.DataFrame(
    [  # team, role, hired, left, ics, sos, supervision hours
        ("A", "Sagsbehandler", T("2020-01-01"), pd.NaT, True, False, 10.0),
        ("A", "Sagsbehandler", T("2020-01-01"), T("2026-03-15"), True, True, 20.0),
        ("A", "Sagsbehandler", T("2026-02-01"), pd.NaT, False, False, 4.0),
        ("B", "Sagsbehandler", T("2019-05-01"), T("2025-09-15"), False, False, 8.0),
        ("B", "Sagsbehandler", T("2018-01-01"), pd.NaT, True, True, 12.0),
        ("B", "Leder", T("2015-01-01"), pd.NaT, True, True, 30.0),
        ("B", "Sagsbehandler", T("2026-09-10"), pd.NaT, False, False, 0.0),
    ],
    columns=["team", "rolle", "ansat", "fratraadt", "ics_uddannet", "sos_uddannet", "supervision_timer"],
)
CTX = IndicatorContext(config=CONFIG, data={"medarbejdere": STAFF})
TEAM = Audience("ledere", "Ledere", level="team", min_count=1)


def staged(name: str) -> pd.DataFrame:
    indicator = next(i for i in plugin.INDICATORS if i.id == f"faglig_udvikling.{name}")
    return stage(indicator, indicator.compute(CTX), TEAM).frame


def values(frame: pd.DataFrame, by: str = "") -> dict:
    rows = frame[frame["_by"] == by]
    return {(r["period"], r[by]) if by else r["period"]: r["value"] for _, r in rows.iterrows()}


def test_turnover_is_the_share_of_last_years_caseworkers_who_left():
    frame = staged("personaleomsaetning")
    assert values(frame) == {"2026-08": pytest.approx(50.0), "2026-09": pytest.approx(100 / 3)}
    assert values(frame, "team") == {("2026-08", "A"): 50.0, ("2026-08", "B"): 50.0,
                                     ("2026-09", "A"): 50.0, ("2026-09", "B"): 0.0}


def test_new_hires_count_the_last_twelve_months_and_ignore_leaders():
    frame = staged("nyansatte")
    assert values(frame) == {"2026-08": 1.0, "2026-09": 2.0}
    assert values(frame, "team")[("2026-09", "B")] == 1.0


def test_training_and_supervision_exist_for_the_current_month_only():
    assert values(staged("ics_uddannet")) == {"2026-09": 50.0}
    assert values(staged("sos_uddannet"), "team") == {("2026-09", "A"): 0.0, ("2026-09", "B"): 50.0}
    assert values(staged("supervision")) == {"2026-09": 6.5}
    assert values(staged("supervision"), "team") == {("2026-09", "A"): 7.0, ("2026-09", "B"): 6.0}


def test_page_shows_turnover_only_to_the_committee(demo_build):
    out = demo_build / "_site"
    udvalg = (out / "udvalg" / "elementer" / "faglig_udvikling.html").read_text(encoding="utf-8")
    assert "Personaleomsætning blandt sagsbehandlere" in udvalg
    assert "Signs of Safety</h2>" not in udvalg and "Supervision pr. sagsbehandler" not in udvalg
    for audience in ("direktion", "ledere"):
        html = (out / audience / "elementer" / "faglig_udvikling.html").read_text(encoding="utf-8")
        assert "<h1>Faglig udvikling</h1>" in html
        assert "Sagsbehandlere uddannet i ICS" in html and "Nyansatte sagsbehandlere" in html
    assert not (out / "sagsbehandlere" / "elementer" / "faglig_udvikling.html").exists()


def test_every_month_at_once_is_every_month_one_by_one():
    """Turnover and new hires for many months in one pass are the month-by-month definition, row for row
    (hired or leaving on a month end, a team that is empty in some months)."""
    config = parse_config({"municipality": {"code": 479, "name": "Svendborg"},
                           "period": {"current": "2026-09", "first": "2024-01"}}, Path("."))
    extra = pd.DataFrame([("C", "Sagsbehandler", T("2025-03-31"), T("2025-10-31"), False, False, 1.0),
                          ("C", "Sagsbehandler", T("2024-06-30"), T("2024-06-30"), False, False, 1.0)], columns=STAFF.columns)
    ctx = IndicatorContext(config=config, data={"medarbejdere": pd.concat([STAFF, extra], ignore_index=True)})
    staff, parts, hires = plugin.caseworkers(ctx), [], []
    for period in ctx.months():
        day, before = plugin.calc.month_end(period), plugin.year_before(period)
        cohort = staff[plugin.employed_on(staff, before)]
        left = (~plugin.employed_on(cohort, day)).astype(float)
        parts.append(plugin.by_team(cohort.assign(left=left), period, numerator=("left", "sum"), denominator=("left", "size")))
        hired = ((staff["ansat"] > before) & (staff["ansat"] <= day)).astype(float)
        hires.append(plugin.by_team(staff.assign(hired=hired), period, numerator=("hired", "sum")))
    found = plugin.turnover(ctx)
    assert set(found["team"]) == {"A", "B", "C"} and found["numerator"].sum() > 5
    pd.testing.assert_frame_equal(found, pd.concat(parts, ignore_index=True))
    pd.testing.assert_frame_equal(plugin.new_hires(ctx), pd.concat(hires, ignore_index=True))
