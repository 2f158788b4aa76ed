"""Suppression holds across an audience's reports: its earlier reports (in its archive) beside the new one.

The attack of tests/disclosure.py, given what the June report showed too (its cells, its "under N" labels and the
12-month sums its pages show), may work out nothing of the September report (lisite.earlier).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from conftest import monthly_reports, two_reports
from disclosure import (
    Record,
    alike_groups,
    attack,
    attack_across,
    attack_changed,
    attack_reports,
    attack_seen,
    load,
    together,
)

import lisite
from lisite.earlier import Shown
from lisite.model import Audience
from lisite.staging import Alike, stage_with_window


@pytest.mark.slow
def test_no_hidden_cell_can_be_worked_out_from_two_reports_together(tmp_path_factory, worker_id):
    """The committee, the directors and the leaders see the June report (under "Tidligere rapporter") beside the
    September report. Each report protected alone, a cell September hid to protect another that June showed protected
    nothing: Samsø's notifications assessed within 24 hours in May 2026, "under 5" in both, were 3 from the two
    together, and cells of Ærø, Fanø, Lemvig, Odder, Dragør and Allerød too. Odder's leaders were the hardest: in
    August 2026 two caseworkers' children with a measure (5 and 1) stayed pinned even when every cell an earlier report
    showed counted as known, for all the suppression would hide next was known too; beside an earlier report it now
    hides the cells next to them that neither report hides (`python scripts/disclosure_scan.py --across 727` found 10
    before that, and Samsø's, `--across 741`, 7 before lisite.earlier)."""
    folder = two_reports(tmp_path_factory, worker_id, 727)  # Odder
    assert attack_across(folder / "september", folder / "june", folder / "site" / "_site", "2026-06") == []


SAMSOE_REPORTS = ["2025-12", "2026-04", "2026-09"]  # Samsø's monthly reports, a fifth of its notifications registered late


@pytest.mark.slow
def test_no_hidden_cell_can_be_worked_out_when_cases_were_registered_late(tmp_path_factory, worker_id):
    """A report beside an earlier one made from other data for the same months. First found with Samsø's June report,
    made before a fifth of January–June's notifications were registered, beside September's with all of them: taking
    June's shown cells as September's and its 12-month sums as sums of September's months, six hidden cells were worked
    out (the notifications from the health service in June 2026: 4 then, 5 now). With an earlier report's true figures
    kept (lisite.earlier), its cells whose figure changed are unknowns of their own. Checked on the next test's reports
    (Samsø's December, April and September, a fifth of the notifications registered one to three months late),
    September's beside each earlier one alone: built without the earlier reports' true figures, December's gave the
    notifications from schools in November 2025 away (4) to the committee, the directors and the leaders."""
    folder = monthly_reports(tmp_path_factory, worker_id, 741, SAMSOE_REPORTS, late=0.2)
    last, output = SAMSOE_REPORTS[-1], folder / "site" / "_site"
    for earlier in SAMSOE_REPORTS[:-1]:
        assert attack_changed(folder / last, folder / earlier, output, earlier) == [], earlier


@pytest.mark.slow
def test_no_hidden_cell_can_be_worked_out_from_three_reports_with_figures_that_changed_between_them(tmp_path_factory, worker_id):
    """A site built month after month carries every earlier report, and each was made from the data as registered by
    then: Samsø's reports for December 2025, April 2026 and September 2026, a fifth of the notifications registered
    one to three months late, the last report attacked with both earlier ones together (each earlier report's cells
    unknowns of their own, equal to another report's where the figure is the same). Built without the earlier reports'
    true figures (deleted before each build), the notifications from schools in November 2025 (4 in December's report,
    5 later) were worked out for the committee, the directors and the leaders (3 cells; over a year of monthly reports,
    `python scripts/disclosure_scan.py --year --late 0.2 741`, 33). With them, nothing."""
    folder = monthly_reports(tmp_path_factory, worker_id, 741, SAMSOE_REPORTS, late=0.2)
    assert attack_reports(folder, SAMSOE_REPORTS) == []


@pytest.mark.slow
@pytest.mark.parametrize(("code", "late"), [(825, 0.0), (563, 0.2)])
def test_counts_of_the_same_children_each_with_its_own_breakdown_give_nothing_away_month_after_month(
        tmp_path_factory, worker_id, code, late):
    """The leaders' six counts of active cases (by team, area and caseworker; by age, gender and target group; cases per
    caseworker; changes of caseworker) count the same children, each with its own breakdown. Protected each alone, with
    October's and November's reports in Læsø's archive, December's hid team Modtagelsen's 12-month sum (71) beside a
    different other team in each, showed every other team's in one or another, and the total less the others gave it
    away. Protected one after the other (each hiding what those before it hid), Fanø's, a fifth of its notifications
    registered late, gave November's "18+ år" (1), boys (25) and target group Handicap (9) away: the first showed
    November's total, which the count by age needed hidden. Now they are staged again beside each other until none hides
    more (``BuildContext.staged``), and nothing can be worked out of December's report, alone or with the two before."""
    periods = ["2025-10", "2025-11", "2025-12"]
    folder = monthly_reports(tmp_path_factory, worker_id, code, periods, late=late)
    for audience in ("udvalg", "direktion", "ledere"):
        min_count, records = load(folder / periods[-1], audience)
        assert attack_seen(records, min_count) == [], audience
        if audience == "ledere":  # the six read together, and hiding cells (the attack had something to attack)
            group = max(alike_groups(records), key=len)
            assert len(group) >= 6 and sum(int(r.periods["suppressed"].sum()) for r in group) > 20
    assert attack_reports(folder, periods, ("ledere",)) == []


def test_a_cell_an_earlier_report_showed_is_never_hidden_to_protect_another():
    """A period's total 25 of A 3 (hidden: under 5), B 10 and C 12: the suppression hides the smallest other part, B,
    to protect A. When the reader knows B from an earlier report, hiding it protects nothing: C is hidden instead."""
    frame = pd.DataFrame({"period": ["2026-06"] * 4, "n": [25.0, 3.0, 10.0, 12.0], "_by": ["", "x", "x", "x"],
                          "x": [None, "A", "B", "C"], "_window": [False] * 4})
    from lisite.suppression import protect

    hidden, _ = protect(frame, 5, ["x"], [])
    assert hidden.tolist() == [False, True, True, False]
    hidden, _ = protect(frame, 5, ["x"], [], known=np.array([False, False, True, False]))
    assert hidden.tolist() == [False, True, False, True]
    # an earlier report's sum is one more sum: its total of A and B (13), known, pins A wherever B is shown
    with_sum = pd.concat([frame, pd.DataFrame({"period": ["~2026-03"], "n": [13.0], "_by": [""], "x": [None],
                                               "_window": [False]})], ignore_index=True)
    hidden, _ = protect(with_sum, 5, ["x"], [], known=np.array([False, False, False, False, True]),
                        extra=[(4, np.array([1, 2]), True)])
    assert hidden.tolist() == [False, True, True, False, False]  # B hidden: else A = 13 − 10; the earlier sum never


def test_a_small_count_is_protected_even_where_an_earlier_report_covered_its_period():
    """An earlier report that covered June and did not hide A may not have had A at all (a case registered late): A,
    small now, is protected as if no report had shown it."""
    frame = pd.DataFrame({"period": ["2026-06"] * 4, "n": [25.0, 3.0, 10.0, 12.0], "_by": ["", "x", "x", "x"],
                          "x": [None, "A", "B", "C"], "_window": [False] * 4})
    from lisite.suppression import protect

    hidden, _ = protect(frame, 5, ["x"], [], known=np.array([False, True, False, False]))
    assert hidden.tolist() == [False, True, True, False]  # B hidden for it, as without the earlier report


def test_the_cells_the_linear_programming_finds_beside_an_earlier_report_are_hidden_for_at_once():
    """Two hidden cells whose only sum is the same: the next part of it is hidden for each (its two smallest visible
    parts), where one a round would be hidden and the solver asked again for the other."""
    from lisite.bounds import FlatSums
    from lisite.suppression import Memberships, _for_each, _labels, _to_hide

    n = np.array([30.0, 3.0, 4.0, 6.0, 9.0, 8.0])  # row 0 = rows 1-5
    groups = [(0, np.array([1, 2, 3, 4, 5]), True)]
    hidden = np.array([False, True, True, False, False, False])
    sums = FlatSums(groups, n)
    low, high = _labels(n, hidden, n < 5, 5)
    args = (hidden.copy(), groups, Memberships(sums), sums.next_to_hide(hidden), low, high, n)
    assert _to_hide(*args[:-1], n) == {3}  # one a round
    assert _for_each(*args, sums, hidden) == {3, 5}  # 6, then 8: as many as cells chose the sum
    assert _for_each(np.array([False, True, False, False, False, False]), *args[1:], sums, hidden) == {3}


JUNE = pd.DataFrame({"period": ["2026-06"] * 4, "n": [21.0, 5.0, 6.0, 10.0], "_by": ["", "x", "x", "x"],
                     "x": [None, "X", "Y", "Z"], "_window": [False] * 4})


def june_report(figures=None):
    """An earlier report of June that hid X ("under 5": 4 then) and Y (6, to protect X), and showed Z (10) and the
    total (20); ``figures``: its true figures, kept (:func:`lisite.earlier.keep_figures`)."""
    from lisite.earlier import Figures, Shown

    cells = {("2026-06", "", ""): 20.0, ("2026-06", "x", "X"): 4.0, ("2026-06", "x", "Y"): 6.0, ("2026-06", "x", "Z"): 10.0}
    return Shown("2026-06", "2026-06", frozenset({("2026-06", "x", "X"), ("2026-06", "x", "Y")}), frozenset(), "",
                 frozenset({("2026-06", "x", "X")}), Figures.of(cells, {}) if figures else None, "kept" if figures else "")


def test_a_cell_hidden_then_is_protected_when_a_case_registered_late_changes_its_month():
    """A case of June registered late: X is 5 now, no small count, and June's cells are all shown (21 = 5 + 6 + 10). Beside
    the earlier report that hid X as "under 5" (20 = X + Y + 10) that gave it away: Y is 6 in both, so X was
    20 − 6 − 10 = 4. Assuming the figures had not changed, nothing was hidden. With the earlier report's figures kept,
    X's change is seen: its earlier X is a cell of its own, hidden for good, in its earlier total; June's Y and X are
    hidden to protect it, and the total too (else X − 1 = earlier X, and "skjult" X is 5 or more: 5 and 4)."""
    from lisite.earlier import knowledge
    from lisite.suppression import protect

    told = knowledge(JUNE, (june_report(),))
    hidden, _ = protect(told.frame, 5, ["x"], [], told.known, told.groups, told.bounded, told.earlier, told.fixed)
    assert not hidden.any()  # the leak, as it was
    told = knowledge(JUNE, (june_report(figures=True),))
    assert told.frame["n"].tolist()[4:] == [20.0, 4.0]  # the earlier total and X, as they were
    assert told.known.tolist() == [False, False, False, True, True, False]  # Z (the same), the earlier total
    assert told.fixed.tolist() == [False] * 5 + [True] and told.bounded.tolist() == [False] * 5 + [True]
    assert [(total, parts.tolist(), adds) for total, parts, adds in told.groups] == [(4, [5, 2, 3], True)]
    hidden, relabelled = protect(told.frame, 5, ["x"], [], told.known, told.groups, told.bounded, told.earlier, told.fixed)
    assert hidden.tolist() == [True, True, True, False, False, True] and not relabelled.any()


def test_a_month_whose_figures_did_not_change_is_known_from_an_earlier_report_as_before():
    """The kept figures the same as this report's: nothing is added, and what the reader knows is as without them."""
    from lisite.earlier import knowledge

    same = JUNE.assign(n=[20.0, 4.0, 6.0, 10.0])
    with_figures, without = knowledge(same, (june_report(figures=True),)), knowledge(same, (june_report(),))
    assert len(with_figures.frame) == 4 and with_figures.known.tolist() == without.known.tolist() == [True, False, False, True]
    assert with_figures.bounded.tolist() == without.bounded.tolist() and not with_figures.groups


def test_an_earlier_12_month_sum_is_added_with_its_own_figure_and_its_earlier_months():
    """June's report showed X's 12-month sum to June (30). June's X changed since (4 → 5): the sum is over the earlier
    X, with the figure June's report showed, not this report's months added up (31)."""
    from lisite.earlier import Figures, knowledge

    shown = june_report(figures=True)
    shown = type(shown)(shown.first, shown.last, shown.hidden, frozenset({("x", "X")}), "2026-06", shown.small,
                        Figures.of(dict(zip(shown.figures.cells(), shown.figures.n)), {("x", "X"): 30.0}), "kept")
    may = JUNE.assign(period="2026-05", n=[26.0, 26.0, 0.0, 0.0])  # (May: X 26, the rest of its months none)
    told = knowledge(pd.concat([may, JUNE], ignore_index=True), (shown,))
    sums = [(total, parts.tolist()) for total, parts, _ in told.groups if told.frame["_by"][total] == "x" and total >= 8
            and told.frame["n"][total] == 30.0]
    assert sums == [(10, [1, 9])]  # May's X (this report's: unchanged) and June's earlier X (row 9)
    assert told.frame["n"][9] == 4.0 and told.fixed[9] and told.known[10] and told.earlier[8:].all()


def test_an_earlier_figure_two_earlier_reports_had_alike_is_one_unknown():
    """June's X was 4 in two earlier reports (June's, then July's), 5 now: a reader who sees both knows the two are the
    same (their sums say as much), so X's earlier figure is one row, not one per report, and their June sums once."""
    from lisite.earlier import knowledge

    told = knowledge(JUNE, (june_report(figures=True), june_report(figures=True)))
    assert told.frame["n"].tolist()[4:] == [20.0, 4.0] and len(told.groups) == 1


def test_an_earlier_12_month_sum_over_months_this_report_does_not_show_is_over_its_own_cells_of_them():
    """This report shows June only; the earlier report's 12-month sum of X to June (30) is over May too, which this report
    has no row of. Its May cells are rows of their own, as it showed them (X 26), so the sum is May's 26 and June's
    earlier X: not an equation of June's X alone (which made the sum 4, or with its own figure 30, no solution)."""
    from lisite.earlier import Figures, knowledge

    shown = june_report(figures=True)
    cells = {**dict(zip(shown.figures.cells(), shown.figures.n)), ("2026-05", "", ""): 26.0, ("2026-05", "x", "X"): 26.0}
    shown = type(shown)("2026-05", shown.last, shown.hidden, frozenset({("x", "X")}), "2026-06", shown.small,
                        Figures.of(cells, {("x", "X"): 30.0}), "kept")
    told = knowledge(JUNE, (shown,))
    frame, n = told.frame, told.frame["n"].tolist()
    [(total, parts)] = [(total, parts.tolist()) for total, parts, _ in told.groups if n[total] == 30.0]
    assert sorted(n[part] for part in parts) == [4.0, 26.0] and told.known[total]
    may_x = next(part for part in parts if n[part] == 26.0)
    assert told.known[may_x] and not told.fixed[may_x] and frame["x"][may_x] == "X"
    june_x = next(part for part in parts if n[part] == 4.0)
    assert told.fixed[june_x] and told.bounded[june_x]
    for total, parts, adds in told.groups:  # every sum holds with the true figures
        assert not adds or sum(n[part] for part in parts) == n[total]


def test_a_cell_an_earlier_report_did_not_have_is_no_part_of_its_12_month_sum():
    """Team W's first case in June was registered late: this report has W in June (3), the earlier report did not, so
    its 12-month sum of W (over May, 26) has no June part; taken as one, the sum would not hold (26 against 29)."""
    from lisite.earlier import Figures, knowledge

    may = JUNE.assign(period="2026-05", n=[26.0, 26.0, 0.0, 0.0]).replace({"x": {"X": "W"}})
    june = JUNE.assign(n=[24.0, 3.0, 6.0, 15.0]).replace({"x": {"X": "W"}})  # (W 3, Y 6, Z 15: the earlier total 21)
    cells = {("2026-05", "", ""): 26.0, ("2026-05", "x", "W"): 26.0, ("2026-05", "x", "Y"): 0.0, ("2026-05", "x", "Z"): 0.0,
             ("2026-06", "", ""): 21.0, ("2026-06", "x", "Y"): 6.0, ("2026-06", "x", "Z"): 15.0}
    shown = june_report(figures=True)
    shown = type(shown)("2026-05", "2026-06", frozenset(), frozenset({("x", "W")}), "2026-06", frozenset(),
                        Figures.of(cells, {("x", "W"): 26.0}), "kept")
    told = knowledge(pd.concat([may, june], ignore_index=True), (shown,))
    n = told.frame["n"].tolist()
    for total, parts, adds in told.groups:  # every sum holds with the true figures
        assert not adds or sum(n[part] for part in parts) == n[total]
    assert not any(5 in parts for _, parts, _ in told.groups)  # June's W is in no sum of the earlier report's
    assert not told.known[5]  # ... nor known from it (its sum of W, May's alone and known, says nothing more)


def test_the_records_and_figures_of_earlier_reports_are_read_back_with_each_text_and_cell_once():
    """An earlier report's record read back holds its cells as they were written, and each text of them once however
    many cells repeat it (a large municipality's leaders' records repeat the same periods and names thousands of times);
    the records and true figures of a year of monthly reports, read together, hold each cell once."""
    import gzip
    import json

    from lisite import earlier

    cells = [[f"2026-0{month}", "team", name] for month in range(1, 7) for name in ("Team Nord", "Team Syd")]
    data = json.dumps({"version": earlier.VERSION, "indicators": {"a.b": {
        "first": "2026-01", "last": "2026-06", "hidden": cells[:8], "sums": cells[8:], "small": cells[:2]}}}).encode()
    shown = earlier.read_record(data)["a.b"]
    assert shown.hidden == {tuple(cell) for cell in cells[:8]} and shown.sums == {tuple(cell) for cell in cells[8:]}
    assert shown.small == {tuple(cell) for cell in cells[:2]}
    texts = [text for cell in (*shown.hidden, *shown.sums, *shown.small) for text in cell]
    assert len({id(text) for text in texts}) == len(set(texts))  # one object for each text
    # the next month's record names most of the same cells: read with the same texts and cells, each is held once
    same: dict = {}
    data_july = data.replace(b'"last": "2026-06"', b'"last": "2026-07"').replace(
        b'"sums": [', b'"sums": [["2026-07", "team", "Team Nord"], ')
    june, july = (earlier.read_record(record, same)["a.b"] for record in (data, data_july))
    assert july.last == "2026-07" and july.sums == june.sums | {("2026-07", "team", "Team Nord")} and july.hidden == june.hidden
    held = {id(cell) for cell in (*june.hidden, *june.sums, *june.small, *july.hidden, *july.sums, *july.small)}
    assert len(held) == len({*june.hidden, *june.sums, *june.small, *july.sums})  # one object for each cell
    # ... and the true figures kept of each report: each cell one object with the records' (and the next month's)
    def kept(months: range) -> bytes:
        listed = [cell for cell in cells if int(cell[0][-1]) in months]
        return gzip.compress(json.dumps({"version": earlier.VERSION, "indicators": {"a.b": {
            "period": [cell[0] for cell in listed], "by": [cell[1] for cell in listed], "value": [cell[2] for cell in listed],
            "n": list(range(len(listed)))}}}).encode())
    first, second = (earlier.read_figures(kept(months), same)["a.b"] for months in (range(1, 7), range(2, 7)))
    assert first.cells() == [tuple(cell) for cell in cells] and first.n.tolist() == list(range(12))
    assert second.cells() == [tuple(cell) for cell in cells[2:]] and second.n.tolist() == list(range(10))
    assert all(a is b for a, b in zip(first.cells()[2:], second.cells()))  # the next report's: the same objects
    assert {id(cell) for cell in first.cells()} <= held  # ... and the records'


def _counts(cells: list[tuple[str, str, float]], column: str) -> pd.DataFrame:
    return pd.DataFrame({"period": "2025-11", "team": [c[0] for c in cells], column: [c[1] for c in cells],
                         "numerator": [c[2] for c in cells]})


def test_counts_of_the_same_children_each_with_its_own_breakdown_hide_the_same_cells():
    """Fanø's December report: November's active cases (56) by age, an earlier report showed every age but "18+ år" (1)
    and hid the total and a team to protect it. The count of active cases by team and gender, protected first and alone, had
    nothing small to hide and showed the total; the count by age, which took what that one showed as known, had nothing
    left to hide, and the total less the other ages gave the 1 away. Now the count by age hides the total and a team
    though the other shows them, and the other, staged again beside it and with what it hid before (``before``), hides
    them too: together, nothing can be worked out."""
    leaders = Audience("ledere", "Ledere", level="team", min_count=5)
    by_age = lisite.Indicator(id="t.alder", theme="maalgrupper", element="politisk_styring", unit="antal", levels=("team",),
                              dimensions=("aldersgruppe",), compute=lambda ctx: None)
    by_gender = lisite.Indicator(id="t.koen", theme="maalgrupper", element="politisk_styring", unit="antal", levels=("team",),
                                 dimensions=("koen",), compute=lambda ctx: None)
    ages = _counts([("A", "0-5", 5), ("A", "6-11", 10), ("A", "12-14", 2), ("A", "15-17", 3),
                    ("B", "0-5", 4), ("B", "6-11", 8), ("B", "12-14", 5), ("B", "15-17", 8), ("B", "18+", 1),
                    ("C", "0-5", 2), ("C", "6-11", 4), ("C", "12-14", 2), ("C", "15-17", 2)], "aldersgruppe")
    genders = _counts([("A", "Dreng", 10), ("A", "Pige", 10), ("B", "Dreng", 13), ("B", "Pige", 13), ("C", "Dreng", 5),
                       ("C", "Pige", 5)], "koen")
    hid = frozenset({("2025-11", "", ""), ("2025-11", "team", "C")})
    november = {by_age.id: Shown("2025-11", "2025-11", hid | {("2025-11", "aldersgruppe", "18+")}, frozenset(), "",
                              small=frozenset({("2025-11", "aldersgruppe", "18+")})),
                by_gender.id: Shown("2025-11", "2025-11", hid | {("2025-11", "koen", "Pige")}, frozenset(), "")}

    def staged(indicator, frame, alike=(), before=None):
        return stage_with_window(indicator, frame, leaders, None, earlier=(november[indicator.id],), alike=alike, before=before)[0]

    def hidden(staged_):
        frame = staged_.frame
        return {(row["_by"], row["team"] if row["_by"] == "team" else row.get(row["_by"], "")) for _, row in frame[frame["suppressed"]].iterrows()}

    def record(indicator, frame, staged_):
        truth = stage_with_window(indicator, frame, replace(leaders, min_count=1), None)[0]
        return Record(indicator.id, staged_.keys, staged_.frame, None, truth.frame, None)

    alone = staged(by_gender, genders)
    assert not alone.frame["suppressed"].any()  # nothing small of its own: the total, the teams and genders shown
    led = staged(by_age, ages, (Alike.of(alone, None, [], lead=True),))  # what it shows taken as known: as before
    assert hidden(led) == {("aldersgruppe", "18+")}
    assert attack(together([record(by_gender, genders, alone), record(by_age, ages, led)]), 5)  # 56 less 55: 1

    beside = staged(by_age, ages, (Alike.of(alone, None, []),))
    assert {("", ""), ("aldersgruppe", "18+"), ("team", "C")} <= hidden(beside)
    again = staged(by_gender, genders, (Alike.of(beside, None, []),), before=Alike.of(alone, None, []))
    assert {("", ""), ("team", "C")} <= hidden(again)
    assert staged(by_age, ages, (Alike.of(again, None, []),), before=Alike.of(beside, None, [])).frame["suppressed"].equals(
        beside.frame["suppressed"])  # settled: staged again, the count by age hides nothing more
    assert attack(together([record(by_gender, genders, again), record(by_age, ages, beside)]), 5) == []
