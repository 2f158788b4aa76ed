"""The sums staging starts from are made once a build per indicator and part of the organisation, and shared.

Audiences that see the same part of the organisation (the same ``filter``) differ only in the columns they may
see and in ``min_count``; each still gets its own suppression. A new build (new data) makes the sums anew.
"""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import lisite
from lisite import staging, testing
from lisite.staging import stage_with_window

MONTHS = [str(p) for p in pd.period_range("2025-04", "2026-09", freq="M")]
CASES = lisite.Indicator(id="administration.sager", title="Sager", theme="administration", element="administrativ_styring",
                         unit="antal", compute=None, dimensions=("kilde",), levels=("area",))


def results(extra: float = 0.0) -> dict[str, pd.DataFrame]:
    rows = [(month, kilde, area, number) for month in MONTHS
            for kilde, area, number in (("a", "Nord", 30.0), ("b", "Nord", 2.0), ("a", "Syd", 1.0), ("b", "Syd", 2.0))]
    frame = pd.DataFrame(rows, columns=["period", "kilde", "omraade", "numerator"])
    frame.loc[frame["period"] == MONTHS[-1], "numerator"] += extra
    return {CASES.id: frame}


def context(tmp_path, extra: float = 0.0, result_key: str = "v1"):
    ctx = testing.page_context([CASES], results(extra), "udvalg", tmp_path)
    ctx.result_keys[CASES.id] = result_key  # as a build sets it: the hash of what the result was made from
    return ctx


def counting(monkeypatch) -> list:
    made = []
    real = staging.summed

    def summed(indicator, frame, limits, window):
        made.append(limits)
        return real(indicator, frame, limits, window)

    monkeypatch.setattr("lisite.context.summed", summed)
    return made


def test_audiences_that_see_the_same_part_share_the_sums_and_stage_as_on_their_own(tmp_path, monkeypatch):
    made = counting(monkeypatch)
    ctx = context(tmp_path)
    direktion = ctx.for_audience(ctx.config.audiences["direktion"])
    north = ctx.for_audience(replace(ctx.config.audiences["direktion"], id="nord", filter=(("omraade", "Nord"),)))
    shown = {c.audience.id: (c.staged(CASES.id), c.staged(CASES.id, window=12)) for c in (ctx, direktion, north)}
    assert made == [(), (("omraade", "Nord"),)]  # once for the whole municipality (two audiences), once for the part
    for c in (ctx, direktion, north):
        alone = stage_with_window(CASES, results()[CASES.id], c.audience, 12)  # made from scratch
        for got, expected in zip(shown[c.audience.id], alone):
            pd.testing.assert_frame_equal(got.frame, expected.frame)
            assert got.keys == expected.keys and got.suppressed == expected.suppressed
    assert shown["udvalg"][0].keys == ("kilde",) and shown["direktion"][0].keys == ("kilde", "omraade")
    # the same sums, suppressed for each: source "b" (4) for all; Syd (3) only where the areas are shown
    assert shown["udvalg"][0].suppressed > 0
    assert shown["direktion"][0].suppressed > shown["udvalg"][0].suppressed
    assert shown["nord"][0].total()["numerator"].iloc[0] == 32.0


def test_a_new_build_with_new_data_makes_the_sums_anew(tmp_path, monkeypatch):
    made = counting(monkeypatch)
    ctx = context(tmp_path)
    assert ctx.staged(CASES.id).total()["numerator"].iloc[-1] == 35.0
    edited = context(tmp_path, extra=10.0, result_key="v2")
    edited.cache = ctx.cache  # the cache serve keeps between builds
    assert edited.staged(CASES.id).total()["numerator"].iloc[-1] == 75.0
    direktion = edited.for_audience(edited.config.audiences["direktion"])
    assert direktion.staged(CASES.id).total()["numerator"].iloc[-1] == 75.0
    assert len(made) == 2  # one for each build, shared by its audiences


def concat_columns(frames: list[pd.DataFrame]) -> dict:
    joined = pd.concat(frames, ignore_index=True)
    return {name: joined[name].array for name in joined.columns}


@pytest.mark.parametrize("text", ["str", "string", "object", "int"])
@pytest.mark.parametrize("empty", [False, True])
def test_the_blocks_are_joined_as_pandas_joins_them(text, empty):
    """A block of sums: the period, at most one breakdown column and the value columns (integers or floats). Joined from
    the blocks' arrays (text columns of one text type) or by ``pd.concat`` (other types, no rows): the same
    columns, in the same order and of the same type, with the same cells; the value columns as floats where there are
    rows (from the arrays; staging makes them floats either way)."""
    def block(column, values, numerators):
        cells = {"period": pd.array(["2026-01", "2026-02"][:len(values)], dtype=str if text == "str" else "string" if text == "string" else object)}
        if column:
            cells[column] = pd.array(values, dtype=text if text != "int" else "int64") if text in ("str", "string", "int") else pd.array(values, dtype=object)
        cells.update(numerator=numerators, denominator=[float("nan")] * len(values), n=pd.array(numerators, dtype="int64"))
        frame = pd.DataFrame(cells)
        return frame.astype({name: object for name in ("period", column) if name}) if text == "object" else frame

    values = {"str": ["a", "b"], "string": ["a", "b"], "object": ["a", "b"], "int": [1, 2]}[text]
    frames = {("", False): block("", values[:1], [3]), ("kilde", False): block("kilde", values, [1, 2]),
              ("omraade", False): block("omraade", values[::-1], [2, 1]), ("", True): block("", values[:1], [30])}
    if empty:
        frames = {key: frame.iloc[:0] for key, frame in frames.items()}
    sums = staging.Sums([], {key: (frame, np.arange(len(frame))) for key, frame in frames.items()}, ("kilde", "omraade"))
    sizes = [len(frame) for frame in frames.values()]
    got, expected = staging._joined(sums, list(frames), sizes), concat_columns(list(frames.values()))
    assert list(got) == list(expected) == ["period", "numerator", "denominator", "n", "kilde", "omraade"]
    fast = text in ("str", "string") and not empty
    assert text != "object" or expected["period"].dtype.numpy_dtype == object
    for name, values in expected.items():
        found = got[name]
        if name in staging.VALUE_COLUMNS and not empty:
            assert isinstance(found, np.ndarray) == fast
            found, values = np.asarray(found, dtype=float), values.to_numpy(dtype=float)
        else:
            assert found.dtype == values.dtype, name
        pd.testing.assert_series_equal(pd.Series(found), pd.Series(values), check_names=False)
    assert staging._joined(sums, list(frames), sizes) is not got  # (each audience gets its own arrays)
