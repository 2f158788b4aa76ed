"""Faster ways of doing what lisite did row by row give the same values, so the site stays the same."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lisite import charts, staging


def row_by_row(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """``charts.records`` as it was: each row's values converted one by one."""
    return [{c: (None if isinstance(v, float) and math.isnan(v) else (v.item() if hasattr(v, "item") else v))
             for c, v in zip(columns, row)} for row in frame[columns].itertuples(index=False)]


def test_chart_records_are_the_row_by_row_values_of_every_kind_of_column():
    frame = pd.DataFrame({
        "int": [1, 2, 3], "float": [1.5, np.nan, 2.0], "text": ["x", None, "z"], "bool": [True, False, True],
        "nullable": pd.array([1, None, 3], dtype="Int64"), "date": pd.to_datetime(["2024-01-01", None, "2025-02-03"]),
        "mixed": pd.Series([np.int64(4), np.float64("nan"), "s"], dtype=object), "int32": np.array([1, 2, 3], dtype=np.int32),
        "string": pd.array(["a", None, "c"], dtype="string"), "category": pd.Categorical(["p", "q", "p"]),
        "infinite": [np.inf, -np.inf, 0.1], "float32": np.array([0.5, np.nan, 1.25], dtype=np.float32),
    }, index=[7, 3, 5])
    columns = list(frame.columns)
    made = charts.records(frame, columns)
    assert repr(made) == repr(row_by_row(frame, columns))  # the same values and the same types (3, not 3.0 or numpy's 3)
    assert [type(v) for v in made[0].values()] == [type(v) for v in row_by_row(frame, columns)[0].values()]
    assert made[1]["float"] is None and made[1]["mixed"] is None and made[1]["float32"] is None
    assert charts.records(frame.iloc[0:0], columns) == []
    assert charts.records(frame, ["text", "int"]) == [{"text": "x", "int": 1}, {"text": None, "int": 2}, {"text": "z", "int": 3}]


def every_kind_of_column() -> pd.DataFrame:
    return pd.DataFrame({
        "int": [1, 2, 3], "float": [1.5, np.nan, 2.0], "text": ["x", None, "z"], "bool": [True, False, True],
        "nullable": pd.array([1, None, 3], dtype="Int64"), "date": pd.to_datetime(["2024-01-01", None, "2025-02-03"]),
        "mixed": pd.Series([np.int64(4), np.float64("nan"), "s"], dtype=object), "int32": np.array([1, 2, 3], dtype=np.int32),
        "string": pd.array(["a", None, "c"], dtype="string"), "category": pd.Categorical(["p", "q", "p"]),
        "float64_nullable": pd.array([0.5, None, 1.0], dtype="Float64"), "boolean": pd.array([True, None, False], dtype="boolean"),
    }, index=[7, 3, 5])


def test_table_records_are_pandas_records_for_every_kind_of_column():
    """``staging.records`` (a table's rows on a page, an annual report's figure) is ``to_dict("records")``: the same
    values of the same types, a missing value of an extension type None, as pandas has it."""
    frame = every_kind_of_column()
    made, theirs = staging.records(frame), frame.to_dict("records")
    assert repr(made) == repr(theirs)
    assert [[type(v) for v in row.values()] for row in made] == [[type(v) for v in row.values()] for row in theirs]
    assert made[1]["nullable"] is None and made[1]["string"] is None and made[1]["boolean"] is None
    assert staging.records(frame.iloc[0:0]) == [] and staging.records(pd.DataFrame(index=[1, 2])) == [{}, {}]


def test_one_periods_total_is_the_first_total_row_of_that_period():
    frame = pd.DataFrame({"period": pd.array(["2024", "2025", "2025"], dtype="string"), "_total": True, "_by": "",
                          "value": [1.5, 2.5, 9.0], "suppressed": [False, True, False], "small": [True, False, True]})
    staged = staging.Staged(indicator=None, frame=frame, keys=(), suppressed=1)
    assert staged.total_in("2025") == {"period": "2025", "_by": "", "value": 2.5, "suppressed": True, "small": False}
    assert staged.total_in("2023") is None
    found = staged.total_in("2024")
    found["value"] = 0  # the caller's own copy
    assert staged.total_in("2024")["value"] == 1.5 and type(staged.total_in("2024")["suppressed"]) is bool


def test_openpyxl_is_imported_only_when_a_header_needs_a_column_letter():
    """Reading the Excel loader does not import openpyxl (a tenth of a second at every build); naming a column by
    its letter, when a header is repeated or merged across filled columns, still does it as Excel does."""
    import subprocess
    import sys

    from lisite.testing import builtin_plugin

    path = builtin_plugin("load_excel")
    probe = (f"import sys; from lisite.testing import load_plugin; m = load_plugin({str(path)!r}); "
             "before = 'openpyxl' in sys.modules; "
             "names = m.header_names([['Beløb', '', '']], 0, {0: [(0, 2)]}, [True, True, False]); "
             "print(before, names, m.get_column_letter(28), 'openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split("\n")[0]
    assert out == "False ['Beløb', 'Beløb B', ''] AB True"


def test_each_audiences_leak_rules_are_kept_between_builds_and_bounded(make_site, monkeypatch):
    """Under ``lisite serve`` the audiences' forbidden values are worked out and compiled once for each set of them,
    not again at every build because another audience's came between; a large municipality's are not piled up."""
    import sys

    from conftest import tiny_config

    from lisite.build import Session, build

    extra = '\n[audiences.teamleder_a]\ntitle = "Team A"\nlevel = "team"\nmin_count = 3\nfilter = { team = "A" }\n'
    site = make_site(config=tiny_config(extra))
    session = Session(live=True)
    build(site, session=session)
    leakcheck = next(module for name, module in sys.modules.items() if name.endswith(".leakcheck") and hasattr(module, "UNIONS"))
    compiled = []

    class Counted(leakcheck.Rules):
        def __init__(self, forbidden, cpr):
            compiled.append(len(forbidden))
            super().__init__(forbidden, cpr)

    monkeypatch.setattr(leakcheck, "Rules", Counted)
    leakcheck.UNIONS.clear()
    data = site / "data" / "tal.csv"
    original = data.read_text(encoding="utf-8")

    def edit(n: int) -> None:  # one figure edited: every audience is made again, the case ids are the same
        data.write_text(original.replace("2026-09;A;12;", f"2026-09;A;{20 + n};"), encoding="utf-8")
        build(site, session=session)

    for n in range(3):
        edit(n)
    assert compiled == [9, 9]  # the case ids, for the whole municipality and for team A (where those of B and C are outside)
    monkeypatch.setattr(leakcheck, "KEEP_VALUES", 10)  # room for one set: each audience's is made again at each build
    compiled.clear()
    leakcheck.UNIONS.clear()
    for n in range(3, 5):
        edit(n)
    assert compiled == [9, 9, 9, 9]


def table_row_by_row(frame: pd.DataFrame, formats: dict, lang: str = "da") -> list[list[str]]:
    """A plugin table's cells as :meth:`lisite.render.Views.table` wrote them, one row Series at a time."""
    from lisite import fmt

    rows = []
    for _, row in frame.iterrows():
        cells = []
        for col in frame.columns:
            value, unit = row[col], formats.get(col)
            if unit:
                cells.append(fmt.value(value, unit, lang, exact=True))
            elif isinstance(value, pd.Timestamp):
                cells.append(fmt.short_date(value, lang))
            elif value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
                cells.append("")
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cells.append(fmt.number(value, 0 if float(value).is_integer() else 1, lang))
            else:
                cells.append(str(value))
        rows.append(cells)
    return rows


def table_cells(frame: pd.DataFrame, formats: dict, lang: str = "da") -> list[list[str]]:
    from lisite.render import table_cells as column_cells

    columns = [column_cells(frame.iloc[:, i].tolist(), formats.get(col), lang) for i, col in enumerate(frame.columns)]
    return [list(row) for row in zip(*columns)]


def test_a_plugin_tables_cells_column_by_column_are_what_row_by_row_wrote():
    frame = pd.DataFrame({
        "team": ["Nord", "Syd", None], "antal": [1234, 5, 7], "andel": [12.345, np.nan, 0.0], "beløb": [1234567.0, -3.4, np.nan],
        "dato": pd.to_datetime(["2026-01-31", None, "2025-12-01"]), "ja": [True, False, True], "kode": ["0101", "x", "2025"],
        "stor": [2.5, 1e7, -0.04],
    })
    formats = {"andel": "pct", "beløb": "kr"}
    for lang in ("da", "en"):
        assert table_cells(frame, formats, lang) == table_row_by_row(frame, formats, lang)
    assert table_cells(frame, formats)[0][:4] == ["Nord", "1.234", "12,3\u00a0%", "1.234.567\u00a0kr."]


def test_a_table_of_whole_numbers_only_is_written_with_thousands_separators_and_a_missing_value_empty():
    """Row by row, a table of integers alone handed numpy's integers to the page as they print ("1234"), and a
    missing value of a nullable column as "<NA>"; column by column they read as every other table's numbers."""
    whole = pd.DataFrame({"a": [1234, 5], "b": [70000, 1]})
    assert table_row_by_row(whole, {}) == [["1234", "70000"], ["5", "1"]]  # how it was
    assert table_cells(whole, {}) == [["1.234", "70.000"], ["5", "1"]]
    assert table_cells(whole, {}, "en") == [["1,234", "70,000"], ["5", "1"]]
    nullable = pd.DataFrame({"a": [1234, 5], "b": pd.array([None, 70000], dtype="Int64")})
    assert table_row_by_row(nullable, {}) == [["1.234", "<NA>"], ["5", "70.000"]]  # how it was
    assert table_cells(nullable, {}) == [["1.234", ""], ["5", "70.000"]]
