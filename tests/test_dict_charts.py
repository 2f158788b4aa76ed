"""The built-in plugins' own charts, written as Vega-Lite dicts, are the specs their Altair versions made.

The charts were Altair objects until the plugins wrote them as dicts (an Altair chart costs a build the
import of Altair in every process and tens of milliseconds a chart to turn into a spec). A site must not change by
it, so each chart's spec (after :func:`lisite.charts.to_spec`, as a page's chart file holds it) is compared
with the one the Altair version made on the same figures: frames with missing values, several series,
an index that is not 0, 1, 2 ….

The Altair versions are not kept here (about a hundred lines of them): their specs are recorded in
``fixtures/dict_charts.json``, made by running this file as a script with a commit that still has them,
``python tests/test_dict_charts.py 599d26a``, which takes that commit's ``plugins/`` folder from git
and draws the cases below with it and today's lisite (so a changed word of the catalogue is recorded
again the same way).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

import pandas as pd
import pytest

from lisite import charts, testing

REPO = Path(__file__).resolve().parents[1]
RECORDED = Path(__file__).parent / "fixtures" / "dict_charts.json"
NAN = float("nan")


def cases(load: Callable[[str], Any]) -> dict[str, Callable[[], Any]]:
    """Each chart on hand-made figures, by name; ``load(name)`` imports the built-in plugin ``name``."""
    oekonomi, indsatser, maalgrupper = load("oekonomi"), load("indsatser"), load("maalgrupper")
    resultater, styring = load("resultater"), load("oekonomisk_styring")
    ctx = testing.page_context([], {}, "direktion", REPO)  # Danish, reporting month September 2026
    price = SimpleNamespace(id="oekonomi.enhedspris", title="Pris pr. indsats", unit="kr")
    spend = SimpleNamespace(id="oekonomi.forbrugsprocent", title="Forbrugsprocent", unit="pct")
    count = SimpleNamespace(id="x.antal", title="Aktive indsatser", unit="antal")
    months = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 10)]
    spent = pd.DataFrame({"period": months, "value": [m / 21 * 100 if m != 14 else NAN for m in range(1, 22)]})
    areas = pd.DataFrame({"period": ["2026-08", "2026-08", "2026-09", "2026-09", "2026-09"],
                          "omraade": ["A", "B", "A", "B", "C"], "value": [60.0, 70.0, 71.5, NAN, 102.25]})
    prices = pd.DataFrame({"period": "2026-09", "indsatstype": ["Plejefamilie", "Aflastning", "Døgninstitution", "Kontaktperson"],
                           "value": [41000.0, NAN, 98000.5, NAN], "suppressed": [False, True, False, True],
                           "small": [False, False, False, True], "n": [12, 2, 5, 1]}, index=[7, 3, 9, 4])
    types = pd.DataFrame({"period": "2026-09", "indsatstype": ["Aflastning", "Plejefamilie", "Kontaktperson"],
                          "value": [4.0, NAN, 7.0], "suppressed": [False, True, False]}, index=[2, 5, 11])
    ages = pd.DataFrame({"period": "2026-09", "aldersgruppe": ["18+ år", "0-5 år", "12-14 år", "6-11 år"],
                         "value": [9.0, 5.0, NAN, 3.0]}, index=[4, 1, 3, 2])
    attained = pd.DataFrame({"period": "2026", "maalopfyldelse": ["Delvist", "Helt", "Ikke vurderet", "Ikke nået"],
                             "value": [40.0, 35.5, NAN, 10.0]})
    budget = budget_frame()
    fc = styring.forecast(pd.Series([10e6] * 7 + [20e6, 30e6], index=[f"2026-{m:02d}" for m in range(1, 10)]), 2026, 9)
    return {
        "spend_percentage": lambda: oekonomi.spend_percentage_chart(spent, spend, 100.0, "", ctx),
        "spend_percentage_no_target": lambda: oekonomi.spend_percentage_chart(spent.tail(9), spend, None, "", ctx),
        "spend_percentage_bars": lambda: oekonomi.spend_percentage_chart(areas, spend, 100.0, "omraade", ctx),
        "unit_price": lambda: oekonomi.unit_price_chart(prices, price, None, "indsatstype", ctx),
        "unit_price_unhidden": lambda: oekonomi.unit_price_chart(prices.drop(columns="small"), price, None, "indsatstype", ctx),
        "measure_types": lambda: indsatser.type_chart(types, count, None, "indsatstype", ctx),
        "ages": lambda: maalgrupper.age_chart(ages, count, None, "aldersgruppe", ctx),
        "attainment_part_year": lambda: resultater.attainment_chart(attained, count, None, "maalopfyldelse", ctx),
        "attainment_year": lambda: resultater.attainment_chart(attained.assign(period="2025"), count, None, "maalopfyldelse", ctx),
        "prognosis": lambda: styring.prognosis_chart(ctx, budget, fc, 156e6, 2026, 9),
        "prognosis_december": lambda: styring.prognosis_chart(ctx, budget, styring.forecast(
            pd.Series([10e6] * 12, index=[f"2026-{m:02d}" for m in range(1, 13)]), 2026, 12), 130e6, 2026, 12),
        "outlook_over": lambda: styring.outlook_chart(ctx, fc, 156e6, 2026),
        "outlook_under": lambda: styring.outlook_chart(ctx, fc, 175e6, 2026),
    }


def budget_frame() -> pd.DataFrame:
    """2025 whole, 2026 January to September, in two areas (as test_plugin_oekonomisk_styring's)."""
    rows = [(2025, m, "A", "5.28.20", "Anbringelse", 12e6, 12e6, 15e6) for m in range(1, 13)]
    for month, spent in enumerate([10e6] * 7 + [20e6, 30e6], start=1):
        rows.append((2026, month, "A", "5.28.20", "Anbringelse", 12e6, 12e6 + 1e6 * (month >= 7), spent - 1e6))
        rows.append((2026, month, "B", "5.28.25", "Øvrige", 0.5e6, 0.5e6, 1e6))
    columns = ["aar", "maaned", "omraade", "budgetfunktion", "indsatsgruppe", "budget", "korrigeret_budget", "forbrug"]
    return pd.DataFrame(rows, columns=columns)


def specs(plugins: Path) -> dict[str, str]:
    """Every case's spec as a page's chart file holds it, drawn by the built-in plugins under ``plugins``."""
    root = builtin_root()

    def load(name: str) -> Any:
        return testing.load_plugin(plugins / testing.builtin_plugin(name).relative_to(root))
    return {name: charts.spec_json(charts.to_spec(make())) for name, make in cases(load).items()}


def builtin_root() -> Path:
    from lisite.resources import builtin_plugins_dir

    return builtin_plugins_dir()


@pytest.fixture(scope="module")
def drawn() -> dict[str, str]:
    return specs(builtin_root())


def without_tick_steps(node: Any) -> Any:
    """A spec without the axes' ``tickMinStep``, which :func:`lisite.charts.number_axis` has added since the Altair
    versions were recorded (no two tick labels alike); everything else is still theirs."""
    if isinstance(node, dict):
        return {key: without_tick_steps(value) for key, value in node.items() if key != "tickMinStep"}
    if isinstance(node, list):
        return [without_tick_steps(value) for value in node]
    return node


@pytest.mark.parametrize("name", sorted(json.loads(RECORDED.read_text(encoding="utf-8"))))
def test_chart_is_the_spec_its_altair_version_made(name, drawn):
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert without_tick_steps(json.loads(drawn[name])) == json.loads(recorded[name])


def test_every_axis_of_numbers_has_no_ticks_closer_than_its_labels_decimals(drawn):
    """A count from 9 to 10 was labelled "9, 9, 9, 10, 10" (ticks at 9,2, 9,4 … written without decimals)."""
    axes = []

    def walk(node):
        if isinstance(node, dict):
            axis = node.get("axis")
            if node.get("type") == "quantitative" and isinstance(axis, dict) and str(axis.get("format", "")).endswith("f"):
                axes.append(axis)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for spec in drawn.values():
        walk(json.loads(spec))
    assert len(axes) >= 10
    for axis in axes:
        decimals = int(axis["format"].rpartition(".")[2][:-1])
        assert axis["tickMinStep"] == 10.0 ** -decimals, axis


def test_the_recorded_charts_show_what_the_cases_hold():
    """The recorded specs are charts of the figures above (not empty or all alike): a missing value is null,
    a hidden price says so, and each case's spec is its own."""
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert len(set(recorded.values())) == len(recorded)
    ages = json.loads(recorded["ages"])
    assert [row["value"] for row in ages["datasets"][ages["data"]["name"]]] == [9.0, 5.0, None, 3.0]
    assert "Jævnt forbrug over året" in recorded["spend_percentage"] and "Korrigeret budget: 156,0\u00a0mio.\u00a0kr." in recorded["prognosis"]


def mixed_frame() -> pd.DataFrame:
    """A column of each kind a chart may get, each with a missing value, and an index that is not 0, 1, 2."""
    return pd.DataFrame({
        "text": ["a", None, "c"], "number": [1.5, NAN, float("inf")], "count": [1, 2, 3], "flag": [True, False, True],
        "group": pd.Categorical(["x", None, "y"]), "nullable": pd.array([1, None, 3], dtype="Int64"),
        "mixed": [1, "b", NAN], "when": pd.to_datetime(["2026-01-01", None, "2026-03-31"]),
    }, index=[7, 2, 9])


def test_frame_values_and_dataset_names_are_altairs():
    """What lisite writes for a frame is what Altair writes for it, for every kind of column, in a chart with its
    data on top and in one with data on each layer (where two layers with the same rows share one dataset)."""
    alt = pytest.importorskip("altair")
    frame = mixed_frame()
    bars = {"mark": {"type": "bar"}, "encoding": {"x": {"field": "count", "type": "quantitative"}}}
    top = alt.Chart(frame).mark_bar().encode(x="count:Q").properties(width="container", height=90)
    assert charts.spec_json(charts.to_spec(charts.with_datasets({"data": frame, **bars, "width": "container", "height": 90}))) \
        == charts.spec_json(charts.to_spec(top))
    layered = alt.layer(alt.Chart(frame).mark_bar().encode(x="count:Q"), alt.Chart(frame.head(1)).mark_point(),
                        alt.Chart(frame.head(1).copy()).mark_rule())
    mine = charts.with_datasets({"layer": [{"data": frame, **bars}, {"data": frame.head(1), "mark": {"type": "point"}},
                                           {"data": frame.head(1).copy(), "mark": {"type": "rule"}}]})
    assert charts.spec_json(charts.to_spec(mine)) == charts.spec_json(charts.to_spec(layered))
    assert len(mine["datasets"]) == 2
    assert charts.frame_values(frame)[1] == {"text": None, "number": None, "count": 2, "flag": False, "group": None,
                                             "nullable": None, "mixed": "b", "when": ""}


def altair_imports(root: Path) -> list[str]:
    """``file:line`` of every ``import altair`` / ``from altair …`` in the Python files under ``root``, at any depth
    of the code (an import inside a function runs at the first chart too)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(name.split(".")[0] == "altair" for name in names):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_neither_lisite_nor_a_built_in_plugin_imports_altair(tmp_path):
    """A build needs Altair only for a site's own plugin that hands over an Altair chart: no code of lisite's
    own imports it (importing it costs every build process a third of a second)."""
    assert altair_imports(REPO / "src" / "lisite") == []
    assert altair_imports(REPO / "plugins") == []
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "chart.py").write_text("def chart():\n    from altair import Chart\n    return Chart\n", encoding="utf-8")
    (tmp_path / "q.py").write_text("import pandas, altair.vegalite as v\n", encoding="utf-8")
    assert altair_imports(tmp_path) == ["p/chart.py:2", "q.py:1"]


def record(commit: str) -> None:
    """Record the specs the plugins of ``commit`` make (run as ``python tests/test_dict_charts.py <commit>``)."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "plugins"], check=True, capture_output=True).stdout
    for name in [name for name in sys.modules if name.startswith("plugin_under_test_")]:
        del sys.modules[name]  # a package's modules are found there: none of today's may stand in for the old ones
    with tempfile.TemporaryDirectory() as tmp:
        tarfile.open(fileobj=BytesIO(archive)).extractall(tmp, filter="data")
        recorded = specs(Path(tmp) / "plugins")
    RECORDED.write_text(json.dumps(recorded, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    record(sys.argv[1])
