"""Suppression holds across an audience's reports: its earlier reports (in its archive) beside the new one.

The attack of tests/disclosure.py, given what the June report showed too (its cells, its "under N" labels and the
12-month sums its pages show), may work out nothing of the September report (lisite.earlier).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import two_reports
from disclosure import attack_across


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
