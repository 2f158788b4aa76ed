"""Loading and counting read each distinct value once and count a stock in one pass (issue 14).

These shortcuts must give what the plain rules give: the same values, the same problems at the same
rows, the same counts. Each test sets the shortcut against the rule it stands for.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest

import lisite
from lisite import calc
from lisite.count import _stock, _tally
from lisite.data import ISO_FORMS, convert, dates, day_first_chars, iso_order
from lisite.model import Column, DatasetSpec
from lisite.plugins import builtin_plugin_paths
from lisite.totals import summary_rows


def _csv_loader():
    path = builtin_plugin_paths()["load_csv"]
    spec = importlib.util.spec_from_file_location("load_csv_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


load_csv = _csv_loader()


def test_a_value_repeated_on_many_rows_is_read_once_and_reported_on_every_row():
    spec = DatasetSpec("t", "T", (Column("dato", "date"), Column("beloeb", "float"), Column("team", choices=("A", "B"))))
    raw = pd.DataFrame({"dato": ["01-02-2026", "31-02-2026", " 01-02-2026 ", "31-02-2026", ""],
                        "beloeb": ["1.234", "1.234", "12,5", "x", "12,5"],
                        "team": ["A", "C", "A", "C", "B"]}, dtype=object)
    raw.attrs["lines"] = lisite.Lines([4, 5, 7, 8, 9])
    frame, problems = convert(raw, spec, "data/t.csv")
    assert frame["dato"].tolist()[0] == frame["dato"].tolist()[2] == pd.Timestamp("2026-02-01")
    assert frame["beloeb"].tolist()[:3] == [1234.0, 1234.0, 12.5]  # the column shows a decimal comma: 1.234 is 1234
    where = [(p.row, p.column) for p in problems if p.severity == "error"]
    assert where == [(9, "dato"), (5, "dato"), (8, "dato"), (8, "beloeb"), (5, "team"), (8, "team")]
    assert "31-02-2026" in str(problems[1]) and "'x'" in str(problems[3])


def test_an_integer_too_large_to_read_exactly_is_an_error_at_its_row():
    """A 20-digit number in an integer column was a crash (it does not fit 64 bits); one of 17 digits would have been
    read as another number (a float holds 15-16 digits exactly). Both are errors naming the row; 2**53 itself reads."""
    spec = DatasetSpec("t", "T", (Column("antal", "int", required=False),))
    raw = pd.DataFrame({"antal": ["99999999999999999999", "12345678901234567", "9007199254740992", "7"]}, dtype=object)
    raw.attrs["lines"] = lisite.Lines([2, 3, 4, 5])
    frame, problems = convert(raw, spec, "t.csv")
    assert [(p.row, p.severity) for p in problems] == [(2, "error"), (3, "error")]
    assert frame["antal"].tolist()[2:] == [2**53, 7]


def test_a_date_column_reads_a_date_written_at_midnight_and_refuses_another_time():
    """Systems that keep every date as a time write "03-01-2026 00:00" in a date column: that is the date. A time other
    than midnight is still an error at its row (the column holds days; which day a time belongs to is the export's)."""
    spec = DatasetSpec("t", "T", (Column("dato", "date"),))
    raw = pd.DataFrame({"dato": ["03-01-2026 00:00", "2026-01-04 00:00:00", "2026-01-05T00:00:00", "06-01-2026 00:00:00",
                                 "07-01-2026 10:30"]}, dtype=object)
    raw.attrs["lines"] = lisite.Lines([2, 3, 4, 5, 6])
    frame, problems = convert(raw, spec, "t.csv")
    assert [f"{d:%Y-%m-%d}" for d in frame["dato"][:4]] == ["2026-01-03", "2026-01-04", "2026-01-05", "2026-01-06"]
    assert [(p.row, "forventede en dato" in p.message) for p in problems] == [(6, True)]


def test_cells_that_are_not_text_are_read_as_their_text():
    spec = DatasetSpec("t", "T", (Column("antal", "int"), Column("navn")))
    frame, problems = convert(pd.DataFrame({"antal": [3, 4, 3], "navn": [" Bo", 7, None]}, dtype=object), spec, "t.csv")
    assert frame["antal"].tolist() == [3, 4, 3] and frame["navn"].tolist()[:2] == ["Bo", "7"]
    assert [(p.row, p.column) for p in problems] == [(4, "navn")]  # required and empty


@pytest.mark.parametrize("fmt", sorted(ISO_FORMS))
def test_day_first_dates_read_in_iso_order_read_as_strptime_reads_them(fmt):
    """dd-mm-yyyy (and a time) is read with its parts in ISO order, faster: every text reads as
    ``pd.to_datetime(format=...)`` reads it, the impossible ones (31-02, 29-02 in 2023, 24:00, 00-00-0000, letters,
    digits that are not ASCII, a 1-digit day, another shape) as NaT or by the slow path alike; a date before 1678
    or after 2261 (31-12-9999: "no end date") is no date, and said to be outside."""
    rng = np.random.default_rng(len(fmt))
    days, months = ["00", "01", "09", "28", "29", "30", "31", "32", "1a", "٠١"], ["00", "01", "02", "12", "13"]
    years, times = ["0000", "0001", "1677", "1678", "1970", "2023", "2024", "2261", "2262", "9999"], ["00:00", "23:59", "24:00", "12:60", "1:05"]
    texts = []
    for _ in range(600):
        text = f"{rng.choice(days)}-{rng.choice(months)}-{rng.choice(years)}"
        if "%H" in fmt:
            text += " " + str(rng.choice(times)) + (":" + str(rng.choice(["00", "59", "60"])) if "%S" in fmt else "")
        texts.append(text if rng.random() > 0.1 else str(rng.choice(["", "x", "1-2-2026", "2026-02-01", text + " ", text[1:]])))
    text = pd.Series(texts, index=range(5, 5 + len(texts)), dtype=object)
    strptime = [pd.to_datetime(one, format=fmt, errors="coerce") if one else pd.NaT for one in texts]  # one at a time: any year
    far = pd.Series([x is not pd.NaT and not 1678 <= x.year <= 2261 for x in strptime], index=text.index)
    expected = pd.Series([pd.NaT if x is pd.NaT or f else x for x, f in zip(strptime, far)], index=text.index, dtype="datetime64[ns]")
    for part in (text, text[text.str.len() == len(texts[0])]):  # with texts of other shapes, and only the one shape
        found, outside = dates(part, fmt)
        pd.testing.assert_series_equal(found, expected[part.index])
        pd.testing.assert_series_equal(outside, far[part.index])
    assert expected.notna().sum() > 20 and far.sum() > 10


@pytest.mark.parametrize("fmt", sorted(ISO_FORMS))
def test_the_texts_read_in_iso_order_are_those_the_pattern_matches_whole(fmt):
    """Which texts are written exactly dd-mm-yyyy (and a time), found a column of characters at a time: the texts the
    format's pattern matches whole (ASCII digits only, no year 0000, not a character more or less, no NUL), each
    turned into ISO order; anything that is not a text is not one of them."""
    rng = np.random.default_rng(len(fmt) + 1)
    pattern = ISO_FORMS[fmt][1]
    good = pd.Timestamp(2024, 2, 29, 13, 5, 59).strftime(fmt)
    odd = ["0", "9", "-", ":", " ", "a", "٣", "\x00", "\u00a0", "𝟘"]
    values = []
    for _ in range(2000):
        text = list(good)
        for _ in range(rng.integers(0, 3)):
            text[rng.integers(len(text))] = str(rng.choice(odd))
        text = "".join(text)
        values.append(rng.choice([text, text, text, text[:-1], text + "0", "00-00-0000" + text[10:], text.replace("2024", "0000")]))
    values += [None, float("nan"), 20240229, good.encode(), ""]
    values = np.array(values, dtype=object)
    places, chars = day_first_chars(values, fmt)
    iso = iso_order(chars)
    expected = [i for i, value in enumerate(values) if isinstance(value, str) and pattern.fullmatch(value)]
    assert places.tolist() == expected and 100 < len(expected) < len(values) - 100
    assert iso == [f"{v[6:10]}-{v[3:5]}-{v[:2]}{v[10:]}" for v in values[expected]]


def _stock_frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 400
    start = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    end = start + pd.to_timedelta(rng.integers(-40, 400, n), unit="D")  # some end before they start
    frame = pd.DataFrame({"sags_id": [f"S-{i}" for i in rng.integers(0, 150, n)], "team": rng.choice(["A", "B", "C"], n),
                          "start": start, "slut": end, "tvang": rng.random(n) < 0.3}, index=rng.permutation(n) + 1000)
    frame.loc[frame.index[:30], "slut"] = pd.NaT
    frame.loc[frame.index[30:35], "start"] = pd.NaT
    return frame


@pytest.mark.parametrize("distinct, by, share, per", [("", [], False, "month"), ("sags_id", ["team"], True, "month"),
                                                        ("sags_id", [], True, "year"), ("", ["team"], False, "year"),
                                                        ("", ["team"], True, "month")])
@pytest.mark.parametrize("missing", [False, True])
def test_a_stock_counted_in_one_pass_is_the_stock_counted_day_by_day(distinct, by, share, per, missing):
    frame = _stock_frame()
    if missing:  # a team whose rows have no value to count distinct: 0 there, as nunique counts
        frame.loc[frame["team"] == "C", "sags_id"] = None
    count = lisite.Count(dataset="x", active=("start", "slut"), distinct=distinct, per=per)
    periods = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)] if per == "month" else ["2024", "2025", "2026"]
    hit = frame["tvang"] if share else None
    parts = []  # the rule: the rows running on each period's last day, period by period
    for period in periods:
        running = calc.active_on(frame, "start", "slut", calc.month_end(period))
        parts.append(frame[running].assign(period=period, _hit=hit[running] if hit is not None else True))
    rows = pd.concat(parts, ignore_index=True)
    plain = _tally(rows, ["period", *by], rows["_hit"] if hit is not None else None, distinct, share)
    fast = _stock(frame, count, periods, by, hit, share)
    pd.testing.assert_frame_equal(fast, plain)
    assert fast["numerator"].sum() > 0


def _keyed_frame(rows: int, seed: int) -> pd.DataFrame:
    """Rows with text keys that may be missing, a number key, and starts and ends as in :func:`_stock_frame`."""
    rng = np.random.default_rng(seed)
    frame = _stock_frame().sample(rows, replace=True, random_state=seed)
    frame.index = rng.permutation(rows) + 17
    frame["team"] = rng.choice(["A", "B", "C", None], rows)
    frame["omraade"] = rng.choice(["Nord", "Syd", None], rows)
    frame["alder"] = rng.integers(0, 18, rows)
    return frame


@pytest.mark.parametrize("by", [(), ("team",), ("omraade", "team", "sags_id"), ("alder",), ("team", "alder")])
@pytest.mark.parametrize("dropna", [False, True])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_active_sizes_are_the_sizes_of_the_groups_of_every_months_rows(by, dropna, seed):
    """calc.active_sizes counts each row's group in every month it runs; the same Series, index and types as grouping
    the rows of every month (missing keys kept or left out as ``dropna`` says), months and years alike."""
    frame = _keyed_frame(300, seed)
    for periods in ([f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)], ["2024", "2025", "2026"]):
        rows = calc.active_each_month(frame, "start", "slut", periods)
        expected = rows.groupby(["period", *by], dropna=dropna).size()
        found = calc.active_sizes(frame, "start", "slut", periods, by, dropna=dropna)
        pd.testing.assert_series_equal(found, expected, check_exact=True, check_index_type=True)
        pd.testing.assert_frame_equal(found.rename("n").reset_index(), expected.rename("n").reset_index(), check_exact=True)
        assert found.sum() == len(rows) - (rows[list(by)].isna().any(axis=1).sum() if dropna and by else 0) > 0


@pytest.mark.parametrize("by", [(), ("team",), ("omraade", "team")])
@pytest.mark.parametrize("once, where", [(["sags_id"], False), (["sags_id"], True), ([], True), (["sags_id", "team"], False)])
@pytest.mark.parametrize("seed", [5, 6])
def test_active_sizes_once_and_where_are_the_latest_rows_of_every_month_counted(by, once, where, seed):
    """``once``: each value counted once a month, by its last row (as drop_duplicates keeps it); ``where``: only the
    rows it marks counted, chosen after that; the same Series as selecting those rows of every month and grouping them."""
    frame = _keyed_frame(300, seed)
    mask = frame["tvang"] if where else None
    periods = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
    rows = calc.active_each_month(frame, "start", "slut", periods)
    rows = rows.drop_duplicates(["period", *once], keep="last") if once else rows
    rows = rows[rows["tvang"]] if where else rows
    expected = rows.groupby(["period", *by], dropna=True).size()
    found = calc.active_sizes(frame, "start", "slut", periods, by, dropna=True, once=once, where=mask)
    pd.testing.assert_series_equal(found, expected, check_exact=True, check_index_type=True)
    assert 0 < found.sum() < len(calc.active_each_month(frame, "start", "slut", periods))
    unnamed = frame.assign(sags_id=frame["sags_id"].where(frame["team"] != "A"))  # a missing value: by the rows themselves
    rows = calc.active_each_month(unnamed, "start", "slut", periods)
    rows = rows.drop_duplicates(["period", *once], keep="last") if once else rows
    expected = (rows[rows["tvang"]] if where else rows).groupby(["period", *by], dropna=True).size()
    pd.testing.assert_series_equal(calc.active_sizes(unnamed, "start", "slut", periods, by, True, once, mask), expected)


@pytest.mark.parametrize("by", [(), ("team",), ("omraade", "team")])
@pytest.mark.parametrize("dropna", [False, True])
def test_active_sizes_distinct_is_nunique_of_every_months_rows(by, dropna):
    """``distinct``: the values of a column in each group and month, as nunique counts them (a missing value is none,
    a group with only missing values counts 0)."""
    frame = _keyed_frame(300, 8)
    frame.loc[frame["team"] == "C", "sags_id"] = None
    periods = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
    rows = calc.active_each_month(frame, "start", "slut", periods)
    expected = rows.groupby(["period", *by], dropna=dropna)["sags_id"].nunique()
    found = calc.active_sizes(frame, "start", "slut", periods, by, dropna=dropna, distinct="sags_id")
    pd.testing.assert_series_equal(found, expected, check_exact=True, check_names=False)
    assert (found == 0).any() == ("team" in by) and found.sum() > 0
    with pytest.raises(ValueError):
        calc.active_sizes(frame, "start", "slut", periods, by, distinct="sags_id", once=["sags_id"])


def test_active_sizes_of_no_rows_and_of_periods_not_oldest_first_are_the_groupbys():
    frame = _keyed_frame(200, 4)
    for rows, periods in ((frame.iloc[0:0], ["2024-01", "2024-02"]), (frame, ["2020-01", "2020-02"]),
                          (frame, ["2025-03", "2024-01", "2024-06"]), (frame, ["2024-01", "2024-01"])):
        expected = calc.active_each_month(rows, "start", "slut", periods).groupby(["period", "team"], dropna=False).size()
        pd.testing.assert_series_equal(calc.active_sizes(rows, "start", "slut", periods, ["team"]), expected)


@pytest.mark.parametrize("by, unique", [((), None), (("team",), None), (("team",), "sags_id"), ((), "sags_id")])
@pytest.mark.parametrize("missing", [False, True])
def test_active_counts_in_one_pass_are_the_counts_month_by_month(by, unique, missing):
    frame = _stock_frame()
    if missing:  # values to count distinct missing, all of one team's
        frame.loc[frame["team"] == "C", "sags_id"] = None
    periods = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)]
    parts = []  # the rule: the rows running on each month's last day, counted month by month
    for period in calc.covered_periods(frame, "start", periods):
        running = frame[calc.active_on(frame, "start", "slut", calc.month_end(period))]
        grouped = running.groupby(list(by), dropna=False) if by else None
        if by:
            counted = (grouped[unique].nunique() if unique else grouped.size()).rename("numerator").reset_index()
        else:
            counted = pd.DataFrame({"numerator": [running[unique].nunique() if unique else len(running)]})
        parts.append(counted.assign(period=period))
    plain = calc._fill(pd.concat(parts, ignore_index=True), calc.covered_periods(frame, "start", periods), by, frame)
    fast = calc.active_counts(frame, "start", "slut", periods, by=by, unique=unique)
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)
    assert fast["numerator"].sum() > 0


@pytest.mark.parametrize("unit", ["s", "us", "ns"])
def test_the_month_or_year_of_each_date_is_the_text_strftime_writes(unit):
    rng = np.random.default_rng(11)
    seconds = rng.integers(-9_000_000_000, 9_000_000_000, 2000)  # 1684 to 2255, and a run of days in one month
    dates = pd.Series(pd.to_datetime(np.concatenate([seconds, 1_700_000_000 + np.arange(40) * 3600]), unit="s").as_unit(unit),
                      index=rng.permutation(2040) + 5, name="modtaget")
    dates.iloc[::7] = pd.NaT
    for part in (dates, dates.iloc[:0], dates.iloc[::7], dates.iloc[1:2]):  # all, none, no date at all, one
        for per, form in (("month", "%Y-%m"), ("year", "%Y")):
            pd.testing.assert_series_equal(calc.periods_of(part, per), part.dt.strftime(form))
    assert calc.periods_of(dates).nunique() > 500 and calc.periods_of(dates).isna().sum() == 292
    early = pd.Series(pd.to_datetime(["0999-05-01", "2020-01-31"], format="%Y-%m-%d").as_unit("s"))  # a year of three digits
    pd.testing.assert_series_equal(calc.periods_of(early), early.dt.strftime("%Y-%m"))
    zoned = pd.Series(pd.to_datetime(["2025-12-31 23:30"]).tz_localize("Europe/Copenhagen"))
    assert calc.periods_of(zoned).tolist() == ["2025-12"]


def test_records_number_each_row_by_its_line_with_and_without_quotes():
    plain = "a;b\r\n1;2\n\n3;4\r5;6\n"
    quoted = 'a;b\r\n1;"2"\n\n3;4\r5;6\n'
    assert load_csv.records(plain, ";") == load_csv.records(quoted, ";") == [
        (1, ["a", "b"]), (2, ["1", "2"]), (3, []), (4, ["3", "4"]), (5, ["5", "6"])]
    assert [line for line, _ in load_csv.records('a;b\n"x\ny";2\n3;4\n', ";")] == [1, 2, 4]


def test_a_table_drops_blank_rows_and_empty_right_columns_and_keeps_short_rows():
    frame = load_csv.table(load_csv.records("id;navn;;\nS-1;Bo;;\n ; ;\nS-2\n;x\n", ";"), 0)
    assert frame.to_dict("list") == {"id": ["S-1", "S-2", ""], "navn": ["Bo", "", "x"]}
    assert tuple(frame.attrs["lines"]) == (2, 4, 5)


def _read_both(text: str, sep: str, header: int = 0):
    """(what the fast path reads, or None when it hands over; what table() reads from every record)"""
    rows = load_csv.records(load_csv.head(text), sep)
    fast = load_csv.fast_table(text, sep, rows, header)
    return fast, load_csv.table(load_csv.records(text, sep), header)


@pytest.mark.parametrize("seed", range(40))
def test_rows_below_the_header_read_at_once_are_those_read_record_by_record(seed):
    """A file without quotes has its rows below the header read by pandas' C parser: the same cells, columns and
    file lines as every record read with the csv module (blank rows, rows of only separators or spaces, short
    rows, every kind of line end, empty columns at the right, a last line with and without its end)."""
    rng = np.random.default_rng(seed)
    sep = str(rng.choice([";", "\t", "|", ","]))
    width = int(rng.integers(1, 6))
    ends = ["\n", "\r\n", "\r"]
    def cell():
        return str(rng.choice(["", " ", "x", "Bo Ås", "12,5", "2026-01-03", "  y "])).replace(sep, "")
    lines = [sep.join(f"k{i}" for i in range(width)) + sep * int(rng.integers(0, 3))]
    for _ in range(int(rng.integers(0, 90))):
        kind = rng.random()
        cells = width if kind < 0.7 else int(rng.integers(0, width + 1))
        lines.append("" if kind > 0.95 else sep.join(cell() for _ in range(cells)))
    title = ["Udtræk fra sagssystemet", ""] if seed % 3 == 0 else []
    text = "".join(line + str(rng.choice(ends)) for line in title + lines)
    if text.count("\r") not in (0, text.count("\r\n")):  # mixed line ends: the loader reads every record (test_exports)
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n" if seed % 4 == 0 else "\n")
    if seed % 2:
        text = text.rstrip("\r\n")
    fast, plain = _read_both(text, sep, len(title))
    if fast is None:  # handed over: the first row below the header is not the widest, or nothing is below it
        widths = [len(c) for _, c in load_csv.records(text, sep)[len(title) + 1:]]
        assert not widths or max(widths) > widths[0] or len(load_csv.records(load_csv.head(text), sep)) <= len(title) + 1
        return
    pd.testing.assert_frame_equal(fast, plain)
    assert tuple(fast.attrs["lines"]) == tuple(plain.attrs["lines"])


@pytest.mark.parametrize("seed", range(30))
def test_the_lines_the_separator_is_sniffed_from_are_the_first_lines_of_the_whole_text(seed):
    """The sniffer splits only the start of a large file into lines: the same lines as splitting all of it, with every
    line break Python knows (a CR LF cut in two where a piece ends), short and long lines, and files shorter than the
    lines asked for."""
    rng = np.random.default_rng(seed)
    breaks = ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
    lines = ["x" * int(rng.choice([0, 1, 7, 300, 5000, 20000])) for _ in range(int(rng.integers(0, 120)))]
    text = "".join(line + str(rng.choice(breaks)) for line in lines)
    if seed % 2:
        text += "tail without a break"
    for count in (0, 1, 2, 59, 60, 61, 200):
        assert load_csv.first_lines(text, count) == text.splitlines()[:count], count
    cut = "a" * 8191 + "\r\n" + "b\n" * 100  # the first piece ends between the CR and the LF
    assert load_csv.first_lines(cut, 60) == cut.splitlines()[:60]


def test_line_ends_alike_are_every_line_feed_alone_or_every_one_after_a_carriage_return():
    assert load_csv.ends_alike("a\nb\n") and load_csv.ends_alike("a\r\nb\r\n") and load_csv.ends_alike("")
    assert not load_csv.ends_alike("a\r\nb\rc") and not load_csv.ends_alike("a\rb")


def test_the_fast_path_is_taken_and_hands_over_a_row_wider_than_the_first():
    text = "id;navn\n" + "S-1;Bo\n" * 60
    fast, plain = _read_both(text, ";")
    assert fast is not None and len(fast) == 60 and tuple(fast.attrs["lines"])[-1] == 61
    wider = text + "S-2;Al;;y\n"
    assert load_csv.fast_table(wider, ";", load_csv.records(load_csv.head(wider), ";"), 0) is None  # table() names it (below)


def test_the_first_row_with_a_value_beyond_the_header_is_named():
    with pytest.raises(lisite.SourceError) as found:
        load_csv.table(load_csv.records("id;navn\nS-1;Bo;\n;;; \nS-2;Al;;y\n;;;x\n", ";"), 0)
    assert (found.value.row, found.value.values) == (4, {"found": 4, "expected": 2, "value": "y"})


def test_a_summary_row_is_found_by_its_first_filled_cell():
    spec = DatasetSpec("t", "T", (Column("id"), Column("status", choices=("Total", "Delvis"))))
    raw = pd.DataFrame({"id": ["S-1", "", " I alt ", "S-2", "  "], "status": ["Total", "Sum", "", "Total", "Total"]}, dtype=object)
    assert summary_rows(raw, spec) == [(1, "status", "Sum"), (2, "id", "I alt")]  # "Total" is an allowed status


def test_a_summary_label_begins_with_one_of_the_first_characters_looked_for():
    """``totals.FIRST`` passes over a cell whose first character no label begins with: every word of the expression begins
    with g, h, i, s or t, and FIRST holds each character the expression takes for one of them in any case (also the long s
    and the dotted and dotless i)."""
    import re

    from lisite import totals

    words = [part for part in re.split(r"[|()?:]+", totals.LABEL.pattern) if part[:1].isalpha()]
    assert {"i\\s*alt", "hovedtotal", "grand\\s+total", "samlet"} <= set(words) and {word[0] for word in words} <= set("ghist")
    letters = re.compile("[ghist]", re.IGNORECASE)
    assert totals.FIRST == {chr(code) for code in range(0x110000) if letters.match(chr(code))}
    spec = DatasetSpec("t", "T", (Column("id"),))
    raw = pd.DataFrame({"id": ["S-1", "\u017fum", "ſUM", "İ alt", "U-2", "Grand total", "2025-01-01 I alt"]}, dtype=object)
    assert summary_rows(raw, spec) == [(1, "id", "\u017fum"), (2, "id", "ſUM"), (3, "id", "İ alt"), (5, "id", "Grand total")]
