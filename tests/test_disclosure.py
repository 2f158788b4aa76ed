"""Suppression holds across everything an audience sees together: an attack on every demo audience.

For each audience of the demo and of the second municipality, every sum its pages are made from (a
period's total and its breakdowns, a cell's 12-month sum and its months) is written down and every
hidden cell's possible values are worked out by linear programming (see tests/disclosure.py). Nothing
may be worked out exactly, and no "under N" label may be false.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import lisite
from conftest import DISCLOSURE
from disclosure import Record, attack, attack_all, attack_parts, attack_together, load
from lisite.model import Audience
from lisite.staging import stage_with_window

DEMO_AUDIENCES = ("udvalg", "direktion", "ledere", "sagsbehandlere")


def _attack_all(folder, audience):
    min_count, records = load(folder, audience)
    assert records or min_count <= 1, f"nothing recorded for {audience}"
    return min_count, records, attack_all(records, min_count)


@pytest.mark.parametrize("audience", DEMO_AUDIENCES)
def test_no_hidden_cell_of_the_demo_can_be_worked_out(demo_build, audience):
    min_count, records, problems = _attack_all(demo_build.parent / DISCLOSURE, audience)
    assert problems == []
    if min_count > 1:  # the attack had something to attack
        assert sum(int(r.periods["suppressed"].sum()) for r in records) > 0


def test_no_hidden_cell_of_the_second_municipality_can_be_worked_out(second_build):
    folder = second_build.parent / DISCLOSURE
    audiences = sorted(p.stem for p in folder.glob("*.pickle"))
    assert len(audiences) >= 3
    for audience in audiences:
        assert _attack_all(folder, audience)[2] == [], audience


@pytest.mark.parametrize("fixture", ["smallest_build", "lemvig_build"])
def test_no_hidden_cell_of_a_small_municipality_can_be_worked_out(fixture, request):
    """Læsø: a thousand and more hidden cells per audience, where the demo has few; its spending by group once gave
    its placements away to the krone (see the test of spending beside a group with no children). Lemvig: 18 cells
    per audience once, by all its sums added up together (lisite.linear)."""
    folder = request.getfixturevalue(fixture).parent / DISCLOSURE
    audiences = sorted(p.stem for p in folder.glob("*.pickle"))
    assert len(audiences) >= 3
    hidden = 0
    for audience in audiences:
        _, records, problems = _attack_all(folder, audience)
        assert problems == [], audience
        hidden += sum(int(r.periods["suppressed"].sum()) for r in records)
    assert hidden > 1000  # the attack had much to attack


@pytest.mark.parametrize("audience", DEMO_AUDIENCES)
def test_no_demo_cell_labelled_under_n_holds_n_or_more(demo_build, audience):
    """Issue: "Eget værelse: under 5" on a cell of about 200 hidden to protect another. Only a cell whose
    own count is 1 to N-1 may say "under N"; every other hidden cell says "skjult"."""
    _no_false_under_n(demo_build.parent / DISCLOSURE, audience)


@pytest.mark.parametrize("fixture", ["smallest_build", "lemvig_build", "second_build"])
def test_no_cell_labelled_under_n_holds_n_or_more_in_other_municipalities(fixture, request):
    """The same for data shaped unlike the demo's: Læsø (a thousand and more hidden cells per audience), Lemvig and
    the second municipality (its own organisation and audiences)."""
    folder = request.getfixturevalue(fixture).parent / DISCLOSURE
    audiences = sorted(p.stem for p in folder.glob("*.pickle"))
    assert len(audiences) >= 3
    assert sum(_no_false_under_n(folder, audience) for audience in audiences) > 0


@pytest.mark.parametrize("fixture", ["demo_build", "smallest_build", "lemvig_build", "second_build"])
def test_indicators_that_count_the_same_children_give_nothing_away_together(fixture, request):
    """Læsø: underretninger vurderet inden for 24 timer (its denominator: every notification) beside the notifications
    by source gave a source's "under 5" away as 1 in 20 months; Lemvig: the share in family care beside the placements
    by kind gave an area's "skjult" away as 15. A share, an average or a price is protected with the counts that count
    its denominators (``BuildContext._alike``)."""
    folder = request.getfixturevalue(fixture).parent / DISCLOSURE
    for audience in sorted(p.stem for p in folder.glob("*.pickle")):
        min_count, records = load(folder, audience)
        assert attack_together(records, min_count) == [], audience


@pytest.mark.parametrize("fixture", ["demo_build", "smallest_build", "lemvig_build", "second_build"])
def test_no_share_of_children_of_a_kind_shows_or_gives_away_a_small_part(fixture, request):
    """Læsø's committee read "Anbragte børn i familiepleje: 85,7 %, Tæller 6, Nævner 7" for September 2026, where the
    breakdown by kind of placement said "Opholdssted: under 5": 1. A share (``parts``) shows no cell whose numerator or
    rest is 1 to N-1, and the shown numerators and rests, added up, give none of the hidden ones away."""
    folder = request.getfixturevalue(fixture).parent / DISCLOSURE
    shares = hidden_for_parts = 0
    for audience in sorted(p.stem for p in folder.glob("*.pickle")):
        min_count, records = load(folder, audience)
        for record in (r for r in records if r.parts and min_count > 1):
            shares += 1
            for shown, true in ((record.periods, record.true_periods), (record.window, record.true_window)):
                if shown is None:
                    continue
                rest = true["denominator"] - true["numerator"]
                small = ((true["numerator"] > 0) & (true["numerator"] < min_count)) | ((rest > 0) & (rest < min_count))
                assert shown.loc[small, "suppressed"].all(), (audience, record.indicator)
                hidden_for_parts += int((small & (true["n"] >= min_count)).sum())
            assert attack_parts(record, min_count) == [], (audience, record.indicator)
    assert shares >= 6
    if fixture == "smallest_build":
        assert hidden_for_parts > 100  # the attack had something to attack


def test_a_share_is_hidden_for_a_small_part_and_labelled_skjult_and_casework_in_time_is_not():
    """Læsø's placed children in September 2026: 6 of 7 in family care, the 1 elsewhere a count the breakdown by kind
    hides. The share is hidden as "skjult" (7 children: not "under 5"); a share of casework done in time
    (``parts=False``) shows it."""
    frame = pd.DataFrame({"period": ["2026-09"] * 3, "team": ["A", "B", "C"], "numerator": [5.0, 1.0, 12.0],
                          "denominator": [5.0, 2.0, 19.0]})  # all 18 of 26; A 5 of 5, B 1 of 2, C 12 of 19
    share = lisite.Indicator(id="t.familiepleje", theme="indsatser", element="politisk_styring", unit="pct",
                             levels=("team",), compute=lambda ctx: None)
    committee = Audience("udvalg", "Udvalget", level="municipality", min_count=5)
    leaders = Audience("ledere", "Ledere", level="team", min_count=5)
    for audience, rows in ((committee, frame.iloc[:2]), (leaders, frame)):
        periods, _ = stage_with_window(share, rows, audience, None)
        truth, _ = stage_with_window(share, rows, replace(audience, min_count=1), None)
        record = Record(share.id, periods.keys, periods.frame, None, truth.frame, None, parts=True)
        assert attack(record, 5) == [] and attack_parts(record, 5) == [], audience.id
        total = periods.frame[periods.frame["_by"] == ""].iloc[0]
        if audience is committee:  # 6 of 7: the total hidden for its rest of 1, as "skjult" (7 is no small count)
            assert (bool(total["suppressed"]), bool(total["small"])) == (True, False)
            in_time, _ = stage_with_window(replace(share, parts=False), rows, audience, None)
            assert in_time.frame["numerator"].tolist() == [6.0] and in_time.frame["denominator"].tolist() == [7.0]
        else:  # B (2 children, 1 in family care) hidden for its own count, and enough beside it that neither its count
            # nor its 1 can be worked out from the counts, numerators and rests shown (protect_parts)
            shown = periods.frame.set_index(periods.frame["team"].fillna("i alt"))
            assert shown.loc["B", "suppressed"] and shown.loc["B", "small"]
            assert shown["suppressed"].sum() >= 3 and not shown.loc[shown["suppressed"] & (shown.index != "B"), "small"].any()


def test_two_indicators_that_count_the_same_are_attacked_together():
    """Each indicator protected alone, but one shows what the other hid to protect its small cell: ``attack_together``
    reads them as one, as ``disclosure_scan.py`` (``attack_seen``) and the tests of whole sites above do."""
    def record(name: str, hidden: list[bool]) -> Record:  # August shown whole; September: x (2) hidden, and y or z
        truth = pd.DataFrame({"period": ["2026-08"] * 4 + ["2026-09"] * 4, "_by": ["", "kilde", "kilde", "kilde"] * 2,
                              "kilde": [None, "x", "y", "z"] * 2, "n": [30.0, 5.0, 10.0, 15.0, 32.0, 2.0, 10.0, 20.0],
                              "small": [False] * 5 + [True, False, False]})
        shown = truth.assign(suppressed=[False] * 4 + hidden, n=truth["n"].where(~pd.Series([False] * 4 + hidden)))
        return Record(name, ("kilde",), shown, None, truth.assign(suppressed=False), None)

    one, other = record("t.en", [False, True, True, False]), record("t.anden", [False, True, False, True])
    assert attack(one, 5) == [] and attack(other, 5) == []
    found = attack_together([one, other], 5)
    assert any("kilde=x: 'under 5' narrowed to 2–2" in line for line in found), found


def _no_false_under_n(folder, audience) -> int:
    """Assert that every cell of ``audience`` labelled "under N" holds 1 to N-1; the number of hidden cells looked at."""
    min_count, records = load(folder, audience)
    checked = 0
    for record in records:
        for shown, true in ((record.periods, record.true_periods), (record.window, record.true_window)):
            if shown is None:
                continue
            assert (shown.index == true.index).all() and (shown["_by"].values == true["_by"].values).all()
            small = shown["small"].astype(bool)
            assert ((true.loc[small, "n"] >= 1) & (true.loc[small, "n"] < min_count)).all(), record.indicator
            checked += int(shown["suppressed"].sum())
    if min_count > 1:
        assert checked > 0
    return checked


# --- the attacker itself can find what it looks for -----------------------------------------------

INDICATOR = lisite.Indicator(id="t.kilder", theme="administration", element="organisering", unit="antal",
                             dimensions=("kilde",), compute=lambda ctx: None)
COMMITTEE = Audience("udvalg", "Udvalget", level="municipality", min_count=5)


def _record(frame: pd.DataFrame, shown_hidden: dict[tuple[str, str], bool] | None = None, window: bool = True) -> Record:
    """A record of ``frame`` staged for the committee; ``shown_hidden`` overrides which monthly cells are hidden
    (to play a suppression that is too weak)."""
    periods, summed = stage_with_window(INDICATOR, frame, COMMITTEE, 12 if window else None)
    truth = stage_with_window(INDICATOR, frame, Audience("t", "T", level="municipality", min_count=1), 12 if window else None)
    shown = truth[0].frame.copy()
    if shown_hidden is not None:
        keys = list(zip(shown["period"], shown["kilde"].fillna("")))
        hide = pd.Series([shown_hidden.get(k, False) for k in keys], index=shown.index)
        shown["suppressed"] = hide
        shown["small"] = hide & (shown["n"] < 5)
        shown.loc[hide, ["numerator", "n", "value"]] = float("nan")
        summed_frame = truth[1].frame.assign(suppressed=False, small=False) if window else None
        return Record(INDICATOR.id, ("kilde",), shown, summed_frame, truth[0].frame, truth[1].frame if window else None)
    return Record(INDICATOR.id, ("kilde",), periods.frame, summed.frame if window else None, truth[0].frame,
                  truth[1].frame if window else None)


FRAME = pd.DataFrame({"period": ["2026-07", "2026-07", "2026-07", "2026-08", "2026-08", "2026-08"],
                      "kilde": ["Anonym", "Skole", "Politi"] * 2, "numerator": [3.0, 50.0, 20.0, 30.0, 60.0, 25.0]})


def test_the_attack_finds_a_lonely_hidden_cell():
    problems = attack(_record(FRAME, {("2026-07", "Anonym"): True}, window=False), 5)
    assert problems == ["t.kilder 2026-07 kilde=Anonym: 'under 5' narrowed to 3–3 (true 3)"]


def test_the_attack_finds_a_hidden_month_given_away_by_the_12_month_sum():
    """The issue's case: the 12-month table minus the visible months gives the hidden month."""
    hidden = {("2026-07", "Anonym"): True, ("2026-07", "Politi"): True}  # protected within July, not against the sum
    problems = attack(_record(FRAME, hidden), 5)
    assert "t.kilder 2026-07 kilde=Anonym: 'under 5' narrowed to 3–3 (true 3)" in problems


def test_the_attack_finds_a_skjult_cell_worked_out():
    """Two "skjult" cells (5 or more each) that add up to 10 can only be 5 and 5."""
    frame = pd.DataFrame({"period": ["2026-07"] * 3, "kilde": ["Anonym", "Skole", "Politi"], "numerator": [40.0, 5.0, 5.0]})
    problems = attack(_record(frame, {("2026-07", "Skole"): True, ("2026-07", "Politi"): True}, window=False), 5)
    assert problems == ["t.kilder 2026-07 kilde=Politi: 'skjult' narrowed to 5–5 (true 5)",
                        "t.kilder 2026-07 kilde=Skole: 'skjult' narrowed to 5–5 (true 5)"]


def test_the_engine_protects_what_the_attack_finds():
    for frame in (FRAME, FRAME.assign(numerator=[3.0, 5.0, 20.0, 1.0, 60.0, 25.0])):
        record = _record(frame)
        assert record.periods["suppressed"].any()
        assert attack(record, 5) == []


def test_a_small_sum_that_would_pin_its_months_says_skjult():
    """Four months of "under 5" (1 each) and a 12-month sum of 4: labelled "under 5" the sum would say every
    month is 1 (each is at least 1, and four of them make at most 4). It says "skjult" instead."""
    months = [f"2026-0{m}" for m in range(1, 10)]
    ones = {"2026-02", "2026-04", "2026-06", "2026-08"}
    frame = pd.DataFrame({"period": [m for m in months for _ in range(2)],
                          "kilde": ["Anonym", "Skole"] * len(months),
                          "numerator": [v for m in months for v in ((1.0 if m in ones else 0.0), 40.0)]})
    record = _record(frame)
    window = record.window.set_index("kilde")
    assert window.loc["Anonym", "suppressed"] and not window.loc["Anonym", "small"]
    monthly = record.periods[record.periods["kilde"] == "Anonym"]
    assert monthly["small"].sum() == 4  # the months themselves still say "under 5"
    assert attack(record, 5) == []


def test_a_small_sum_that_pins_its_months_is_not_protected_by_hiding_everything_else():
    """The same small 12-month sum among many larger values whose counts grow month by month (a caseworker
    table): its months are pinned by its own labels, which no other cell can change. It says "skjult" at once;
    it used to be labelled so only after every other value of those months and the months' totals were hidden."""
    months = [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01", "2026-02"]
    ones = {"2025-03", "2025-05", "2025-07", "2025-09"}
    values = [f"s{i:02d}" for i in range(40)]
    frame = pd.DataFrame([(month, value, float(10 + i + 3 * j)) for j, month in enumerate(months) for i, value in enumerate(values)]
                         + [(month, "lille", 1.0 if month in ones else 0.0) for month in months],
                         columns=["period", "kilde", "numerator"])
    record = _record(frame)
    assert attack(record, 5) == []
    window = record.window.set_index("kilde")
    assert window.loc["lille", "suppressed"] and not window.loc["lille", "small"]
    periods = record.periods
    assert not periods.loc[periods["_by"] == "", "suppressed"].any()  # every month's total is shown
    assert not window.loc[window["_by"] == "", "suppressed"].any()  # and the 12-month total
    assert periods["small"].sum() == 4
    # and one value beside each of them in its month, and beside the small sum among the 12-month sums: 10 of the
    # 630 cells (it was 210, the four months' totals among them)
    assert periods["suppressed"].sum() == 8
    assert window["suppressed"].sum() == 2


def test_records_attacked_together_give_what_each_gives_alone():
    """An audience's records are attacked as one linear program: the same findings, in the same order, as one
    record at a time, also beside a record whose hidden cells have no largest value."""
    skjult = pd.DataFrame({"period": ["2026-07"] * 3, "kilde": ["Anonym", "Skole", "Politi"], "numerator": [40.0, 5.0, 5.0]})
    records = [_record(FRAME, {("2026-07", "Anonym"): True}, window=False), _record(FRAME),
               _record(skjult, {("2026-07", "Skole"): True, ("2026-07", "Politi"): True}, window=False),
               _record(FRAME, {("2026-07", "Anonym"): True, ("2026-07", "Politi"): True}),
               _record(FRAME.assign(numerator=[3.0, 5.0, 20.0, 1.0, 60.0, 25.0]))]
    alone = [problem for record in records for problem in attack(record, 5)]
    assert len(alone) >= 4
    assert attack_all(records, 5) == alone
    assert attack_all(records[::-1], 5) == [problem for record in records[::-1] for problem in attack(record, 5)]


def test_spending_beside_a_group_with_no_children_cannot_be_worked_out():
    """Læsø's spending by group: placements of 4 children hidden ("under 5"), preventive measures of 10 children and
    'Øvrige' (spending on no child: no count) shown, and the month's total shown. The total minus the two shown amounts
    was the hidden amount to the krone: the engine took the sum with a part of no count for one that says nothing. A
    part without a count is shown, so it is a known part of the sum (of 0 children), and another part is hidden too."""
    spend = lisite.Indicator(id="t.forbrug", theme="oekonomi", element="oekonomisk_styring", unit="kr",
                             dimensions=("indsatsgruppe",), compute=lambda ctx: None)
    months = ["2026-07", "2026-08", "2026-09"]
    frame = pd.DataFrame({"period": [m for m in months for _ in range(3)],
                          "indsatsgruppe": ["Anbringelse", "Forebyggende", "Øvrige"] * 3,
                          "numerator": [253795.15, 133596.09, 33447.03, 250120.0, 140300.5, 31000.0, 248000.0, 139000.0, 35500.25],
                          "n": [4.0, 10.0, float("nan"), 3.0, 11.0, float("nan"), 4.0, 12.0, float("nan")]})
    periods, summed = stage_with_window(spend, frame, COMMITTEE, 12)
    truth = stage_with_window(spend, frame, Audience("t", "T", level="municipality", min_count=1), 12)
    record = Record(spend.id, ("indsatsgruppe",), periods.frame, summed.frame, truth[0].frame, truth[1].frame)
    assert attack(record, 5) == []
    shown = periods.frame
    for month in months:  # in krone: the total less the amounts shown leaves more than one hidden amount
        rows = shown[shown["period"] == month]
        parts = rows[rows["_by"] == "indsatsgruppe"]
        assert parts["suppressed"].sum() != 1 or rows.loc[rows["_by"] == "", "suppressed"].all(), month
        assert parts.loc[parts["indsatsgruppe"] == "Anbringelse", "suppressed"].all()
        assert not parts.loc[parts["indsatsgruppe"] == "Øvrige", "suppressed"].any()  # nothing of a child in it


def test_cells_pinned_through_sums_further_out_than_their_own_are_protected():
    """Kalundborg's leaders with the sample data of seed 7 (``scripts/disclosure_scan.py --seed 7 326``): caseworkers
    by team and month, the two small teams hidden in whole months (the totals too) and in their 12-month sums, but the
    12-month total and the other teams' 12-month sums shown. The two teams' 12-month sums added up to 117, nine months
    of theirs were 27, and the other nine months' 18 cells labelled "skjult" (5 or more) were 90: each of them 5. Every
    sum those cells are in was hidden whole, so there was nothing next to hide, and the suppression gave up with them
    pinned. It now hides the next part of a sum further out (here a 12-month sum of another team)."""
    staff = {"Modtagelsen": "888788888888877888888888888767777", "Team 0-6 år": "554455554555555555454455555555555",
             "Team 7-13 år": "776677777777766777777777777776677", "Team Handicap": "889989889999988999899999999999999",
             "Team Unge": "555555445555445555555555445555555"}
    months = [str(p) for p in pd.period_range("2024-01", "2026-09", freq="M")]
    frame = pd.DataFrame([(month, team, float(count)) for team, counts in staff.items() for month, count in zip(months, counts)],
                         columns=["period", "team", "numerator"])
    indicator = lisite.Indicator(id="t.medarbejdere", theme="administration", element="organisering", unit="antal",
                                 levels=("team",), compute=lambda ctx: None)
    leaders = Audience("ledere", "Ledere", level="caseworker", min_count=5)
    periods, window = stage_with_window(indicator, frame, leaders, 12)
    truth = stage_with_window(indicator, frame, Audience("t", "T", level="caseworker", min_count=1), 12)
    record = Record(indicator.id, ("team",), periods.frame, window.frame, truth[0].frame, truth[1].frame)
    assert attack(record, 5) == []
    assert periods.frame["suppressed"].sum() > 30  # (the attack had something to attack)


def test_a_total_labelled_skjult_is_not_pinned_through_another_breakdown():
    """Ærø's new measures in February 2024: four teams with one each ("under 5"), so the total of 4 was labelled
    "skjult" to free them; but by group the total was 0 placements (shown) and 4 preventive ("under 5"), so it was at
    most 4 after all and every team 1. Now the cells around them say "skjult" too, and nothing can be worked out."""
    measures = lisite.Indicator(id="t.nye", theme="indsatser", element="administrativ_styring", unit="antal",
                                dimensions=("indsatsgruppe", "team"), compute=lambda ctx: None)
    frame = pd.DataFrame({"period": ["2024-02"] * 8, "indsatsgruppe": ["Forebyggende"] * 4 + ["Anbringelse"] * 4,
                          "team": ["T1", "T2", "T3", "T4"] * 2, "numerator": [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]})
    periods, _ = stage_with_window(measures, frame, COMMITTEE, None)
    truth, _ = stage_with_window(measures, frame, Audience("t", "T", level="municipality", min_count=1), None)
    record = Record(measures.id, ("indsatsgruppe", "team"), periods.frame, None, truth.frame, None)
    assert attack(record, 5) == []
    shown = periods.frame
    assert shown.loc[shown["_by"] == "", "suppressed"].all()
    small = shown["small"].astype(bool)
    assert (truth.frame.loc[small, "n"].between(1, 4)).all()  # every "under 5" is true
    placements = shown[(shown["_by"] == "indsatsgruppe") & (shown["indsatsgruppe"] == "Anbringelse")]
    assert not placements["suppressed"].any() and placements["n"].tolist() == [0.0]  # zeros are still shown as 0


def test_the_suppression_adds_the_sums_up_together_where_one_at_a_time_says_nothing():
    """x + y = 5, x + z = 5, y + z = 6, each "under 5": any one sum leaves each cell 1 to 4, all three together
    give x = 2, y = 3, z = 3. The interval bounds see nothing; linear programming sees all three."""
    from lisite import linear
    from lisite.bounds import FlatSums, narrowest

    n = np.array([2.0, 3.0, 3.0, 5.0, 5.0, 6.0])  # x, y, z and the three sums, shown
    hidden = np.array([True, True, True, False, False, False])
    low, high = np.where(hidden, 1.0, n), np.where(hidden, 4.0, n)
    groups = [(3, np.array([0, 1]), True), (4, np.array([0, 2]), True), (5, np.array([1, 2]), True)]
    one_at_a_time = narrowest(low, high, hidden, FlatSums(groups, n), whole=True)
    assert (one_at_a_time[1][:3] - one_at_a_time[0][:3] >= 1).all()  # wide, sum by sum
    assert linear.pinned(hidden, low, high, groups).tolist() == [True, True, True, False, False, False]
    assert not linear.pinned(hidden, low, high, groups[:2]).any()  # two sums leave a line of solutions
