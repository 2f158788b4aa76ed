"""A one-value edit of the demo's cases under ``lisite serve``: the figures and pages that read the edited value are made
again, the rest kept (:func:`lisite.calc.remembered`, :func:`lisite.calc.content_key`), and the served site is, file by
file, what a fresh build of the edited site writes."""

from __future__ import annotations

from pathlib import Path

import pytest

import lisite.unchanged
from lisite import tracking
from lisite.build import Session, build
from lisite.testing import demo_site

AUDIENCES = ["ledere", "sagsbehandlere"]  # a manager's figures by team and caseworker, and the caseworkers' own pages


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fresh_build(site: Path, folder: Path, monkeypatch) -> dict[str, bytes]:
    """What a fresh ``lisite build`` of the site writes: an empty cache folder, and nothing remembered in this process."""
    tracking.forget()
    with monkeypatch.context() as patch:
        patch.setenv("LISITE_CACHE", str(folder / "cache"))
        build(site, output_dir=folder / "out")
    found = files(folder / "out")
    found.pop(lisite.unchanged.RECORD)  # what a later lisite build compares with; a session's build is not recorded
    return found


def same_as_fresh(site: Path, live: Path, folder: Path, monkeypatch) -> dict[str, bytes]:
    made, expected = files(live), fresh_build(site, folder, monkeypatch)
    assert sorted(made) == sorted(expected)
    assert [path for path in expected if made[path] != expected[path]] == []
    return made


def cases(site: Path) -> tuple[Path, list[str]]:
    path = site / "sample_data" / "sager.csv"
    return path, path.read_text(encoding="utf-8").splitlines()


def caseworker_page(caseworker: str) -> str:
    return f"sagsbehandlere/sager/{caseworker}.html"


def test_a_live_session_after_data_edits_writes_what_a_fresh_build_writes(tmp_path, monkeypatch):
    monkeypatch.setenv("LISITE_CACHE", str(tmp_path / "cache"))
    site, live = demo_site(tmp_path / "site", AUDIENCES), tmp_path / "live"
    session = Session(live=True)
    build(site, output_dir=live, session=session)
    before = same_as_fresh(site, live, tmp_path / "fresh0", monkeypatch)

    # the benchmark's edit: the last case's gender. The figures by gender change; no caseworker's page shows it
    path, lines = cases(site)
    swapped = lines[-1].replace(";Dreng;", ";Pige;") if ";Dreng;" in lines[-1] else lines[-1].replace(";Pige;", ";Dreng;")
    assert swapped != lines[-1]
    path.write_text("\n".join([*lines[:-1], swapped]) + "\n", encoding="utf-8")
    build(site, output_dir=live, session=session)
    after = same_as_fresh(site, live, tmp_path / "fresh1", monkeypatch)
    assert after["ledere/temaer/maalgrupper.html"] != before["ledere/temaer/maalgrupper.html"]
    assert [p for p in after if p.startswith("sagsbehandlere/sager/") and after[p] != before[p]] == []

    # one open case moved to another caseworker: both their pages and the index change, no other caseworker's page
    header = lines[1].split(";")
    column, closed = header.index("sagsbehandler_id"), header.index("afsluttet")
    number = next(i for i in range(len(lines) - 1, 1, -1) if lines[i].split(";")[closed] == "")
    row = lines[number].split(";")
    old = row[column]
    new = next(line.split(";")[column] for line in lines[2:] if line.split(";")[column] not in ("", old))
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number] = ";".join([*row[:column], new, *row[column + 1:]])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    build(site, output_dir=live, session=session)
    moved = same_as_fresh(site, live, tmp_path / "fresh2", monkeypatch)
    changed = sorted(p for p in moved if p.startswith("sagsbehandlere/sager/") and moved[p] != after.get(p))
    assert changed == sorted([caseworker_page(old), caseworker_page(new), "sagsbehandlere/sager/index.html"])
    assert row[0].encode() in moved[caseworker_page(new)] and row[0].encode() not in moved[caseworker_page(old)]


@pytest.fixture(autouse=True)
def nothing_remembered():
    tracking.forget()
    yield
    tracking.forget()
