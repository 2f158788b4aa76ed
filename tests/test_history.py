"""History: earlier periods' sites kept under <audience>/arkiv/<period>/, and the page "Siden sidste møde".

A small site is built for August 2026 and then for September 2026 (the data cut grows by a month):
the archive must hold August's pages, its links must work, and the page must state the true
figures of each build; and what was hidden stays hidden, also as a difference.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import IN_CI, tiny_config
from lisite.build import build
from lisite.config import for_period
from lisite.errors import ConfigError, LisiteError
from lisite.reuse import RECORD
from lisite.testing import builtin_plugin, load_plugin, page_context

# Two indicators: "antal" (target 35, better higher: not met in August at 34, met in September at 35)
# and "faa", a small count that is 7 in August (shown to the committee) and 3 in September (hidden).
PLUGIN = '''
import lisite

@lisite.hookimpl
def lisite_datasets():
    return [lisite.DatasetSpec("tal", "Tal", (
        lisite.Column("maaned", "str"), lisite.Column("team", "str"), lisite.Column("antal", "int"),
        lisite.Column("faa", "int"), lisite.Column("sags_id", "str", person_level=True),
    ))]

def count(column):
    def compute(ctx):
        data = ctx.data["tal"]
        out = data.groupby(["maaned", "team"])[column].sum().reset_index()
        return out.rename(columns={"maaned": "period", column: "numerator"})
    return compute

@lisite.hookimpl
def lisite_indicators():
    return [
        lisite.Indicator(id="tiny.antal", title="Antal i alt", theme="administration", element="administrativ_styring",
                         unit="antal", compute=count("antal"), levels=("team",), shown_to=("municipality", "team"),
                         better="higher", target=35),
        lisite.Indicator(id="tiny.faa", title="Få sager", theme="administration", element="administrativ_styring",
                         unit="antal", compute=count("faa"), levels=("team",), shown_to=("municipality", "team")),
    ]

@lisite.hookimpl
def lisite_pages(audience, ctx):
    canary = ctx.settings("tiny").get("canary", "") if audience.id == "udvalg" else ""
    blocks = [lisite.Markdown(text="Hej " + canary), lisite.IndicatorView("tiny.antal"), lisite.IndicatorView("tiny.faa")]
    return [lisite.Page("tal/antal.html", "Antal", blocks, section="Tal")]
'''

AUGUST = """maaned;team;antal;faa;sags_id
2026-07;A;10;2;S-1
2026-07;B;2;3;S-2
2026-07;C;12;2;S-3
2026-08;A;11;3;S-4
2026-08;B;9;2;S-5
2026-08;C;14;2;S-6
"""
SEPTEMBER = AUGUST + """2026-09;A;12;1;S-7
2026-09;B;3;1;S-8
2026-09;C;20;1;S-9
"""
OCTOBER = SEPTEMBER + """2026-10;A;12;2;S-10
2026-10;B;3;2;S-11
2026-10;C;21;2;S-12
"""
CANARY = "Kanariefugl-Udvalget-Alene"


def config(period: str, extra: str = "") -> str:
    text = tiny_config().replace('"historik", ', "").replace(', "historik"', "")
    return text.replace('current = "2026-09"', f'current = "{period}"') + extra


@pytest.fixture
def site(make_site):
    return make_site({"plugins/tiny.py": PLUGIN, "data/tal.csv": AUGUST}, config=config("2026-08"))


def rebuild(site: Path, period: str, data: str, extra: str = "", **kwargs):
    (site / "lisite.toml").write_text(config(period, extra), encoding="utf-8")
    (site / "data" / "tal.csv").write_text(data, encoding="utf-8")
    return build(site, **kwargs)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def page_text(path: Path) -> str:
    """The main text of a page, tags removed and whitespace joined."""
    html = path.read_text(encoding="utf-8")
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    main = re.sub(r"</?(?:strong|em|a)\b[^>]*>", "", main)  # inline tags: no word break
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def summary(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def broken_links(folder: Path) -> list[str]:
    """Every relative href/src in the HTML under ``folder`` that points to no file."""
    broken = []
    for page in folder.rglob("*.html"):
        for target in re.findall(r'(?:href|src)="([^"]*)"', page.read_text(encoding="utf-8")):
            if not target or target.startswith(("#", "http:", "https:", "mailto:", "data:", "javascript:")):
                continue
            path = target.split("#")[0].split("?")[0]
            if path and not (page.parent / path).resolve().is_file():
                broken.append(f"{page.relative_to(folder)} → {target}")
    return broken


def test_first_build_says_there_is_no_earlier_report(site):
    build(site)
    text = page_text(site / "_site" / "udvalg" / "siden-sidste-moede.html")
    assert "Der er endnu ingen tidligere rapport at sammenligne med." in text
    assert not (site / "_site" / "udvalg" / "arkiv").exists()
    assert summary(site / "_site" / "udvalg" / "historik.json")["period"] == "2026-08"


def test_an_audience_shown_no_figure_gets_no_page_saying_there_is_nothing_to_compare_and_no_archive(make_site):
    """The caseworkers see their own case lists and no indicator: a page "Siden sidste møde" in their menu only said
    that there are no figures to compare."""
    extra = '\n[audiences.omraade]\ntitle = "Områdeledere"\nlevel = "area"\nmin_count = 3\n'  # no indicator is shown_to "area"
    plugin = PLUGIN.replace("    canary = ", "    if audience.id == \"omraade\":\n        return []  # its own pages: none of these figures\n    canary = ")
    site = make_site({"plugins/tiny.py": plugin, "data/tal.csv": AUGUST}, config=config("2026-08", extra))
    build(site)
    rebuild(site, "2026-09", SEPTEMBER, extra)
    out = site / "_site"
    assert (out / "udvalg" / "siden-sidste-moede.html").is_file() and (out / "omraade" / "index.html").is_file()
    assert not (out / "omraade" / "siden-sidste-moede.html").exists()
    assert "siden-sidste-moede" not in (out / "omraade" / "index.html").read_text(encoding="utf-8")
    # nor is it archived: no report to look back on, and last month's own lists should not pile up unlinked
    assert (out / "udvalg" / "arkiv" / "2026-08" / "index.html").is_file() and not (out / "omraade" / "arkiv").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["audiences"]["udvalg"]["archive"] == ["2026-08"] and not manifest["audiences"]["omraade"].get("archive")


def test_a_new_period_keeps_the_earlier_site_and_says_what_changed(site):
    build(site)
    august = tree(site / "_site" / "udvalg")
    august.pop(RECORD)  # what the current site was made from: not part of an archived report
    rebuild(site, "2026-09", SEPTEMBER)
    out = site / "_site"
    for audience in ("udvalg", "ledere"):
        archived = out / audience / "arkiv" / "2026-08"
        assert (archived / "index.html").is_file() and (archived / "tal" / "antal.html").is_file()
        assert summary(archived / "historik.json")["period"] == "2026-08"
        assert summary(out / audience / "historik.json")["period"] == "2026-09"
    # the archived copy is August's site byte for byte (no page there links into an archive of its own)
    assert tree(out / "udvalg" / "arkiv" / "2026-08") == august
    text = page_text(out / "udvalg" / "siden-sidste-moede.html")
    assert "Antal i alt: 35 i september 2026 mod 34 i august 2026 (+1). Målet er nu nået." in text
    assert "Rapporten for august 2026" in text
    assert 'href="arkiv/2026-08/index.html"' in (out / "udvalg" / "siden-sidste-moede.html").read_text(encoding="utf-8")
    assert broken_links(out / "udvalg") == [] and broken_links(out / "ledere") == []
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["period"] == "2026-09" and manifest["audiences"]["udvalg"]["archive"] == ["2026-08"]


def test_archives_are_carried_forward_and_archived_links_still_work(site):
    build(site)
    rebuild(site, "2026-09", SEPTEMBER)
    rebuild(site, "2026-10", OCTOBER)
    out = site / "_site" / "udvalg"
    assert sorted(p.name for p in (out / "arkiv").iterdir()) == ["2026-08", "2026-09"]
    september_page = out / "arkiv" / "2026-09" / "siden-sidste-moede.html"
    assert 'href="../2026-08/index.html"' in september_page.read_text(encoding="utf-8")  # was arkiv/2026-08/…
    assert "35 i september 2026 mod 34 i august 2026 (+1)" in page_text(september_page)  # as it said then
    assert broken_links(out) == []
    text = page_text(out / "siden-sidste-moede.html")
    assert "Antal i alt: 36 i oktober 2026 mod 35 i september 2026 (+1)." in text  # the newest by default
    assert "Rapporten for september 2026" in text and "Rapporten for august 2026" in text


def test_the_earlier_reports_files_with_the_same_bytes_are_held_once(site):
    """Every process of a build holds the earlier reports it carries, and a site built every month has more of them each
    month (København's size beside eleven: 143 MB): a file with the same bytes as another (a hard link to it, or a
    copy) is held once, and each file is read as it is on disk."""
    from lisite.archive import Same, read_archive, read_tree
    from lisite.i18n import Translator

    build(site)
    rebuild(site, "2026-09", SEPTEMBER)
    rebuild(site, "2026-10", OCTOBER)
    out = site / "_site"
    archive = read_archive(out, "2026-11", ["udvalg", "ledere"], Translator("da"))
    files = [(audience, path, data) for audience in ("udvalg", "ledere") for path, data in archive.files(audience).items()]
    assert {path.split("/")[1] for _, path, _ in files} == {"2026-08", "2026-09", "2026-10"}  # October: the current site
    for audience, path, data in files:
        if not path.startswith("arkiv/2026-10/"):
            assert data == (out / audience / path).read_bytes(), path
    once: dict[bytes, bytes] = {}
    assert all(once.setdefault(data, data) is data for _, _, data in files)  # the same bytes: the same object
    assert len(once) < len(files) * 2 / 3  # (the assets and unchanged pages, in each report of each audience: 63 of 102)
    # a copy with the same bytes (no hard link: copied without them) and a hard link are read as one, a changed file not
    august = out / "udvalg" / "arkiv" / "2026-08"
    copy, link = august / "kopi.html", august / "link.html"
    copy.write_bytes((august / "index.html").read_bytes())
    link.hardlink_to(august / "index.html")
    (august / "tal" / "antal.html").write_bytes(b"<p>anden</p>")
    same = Same()
    read = read_tree(august, same=same)
    again = read_tree(out / "udvalg" / "arkiv" / "2026-09", same=same)
    assert read["kopi.html"] is read["link.html"] is read["index.html"] == copy.read_bytes()
    assert read["tal/antal.html"] == b"<p>anden</p>" != again["tal/antal.html"]
    (august / "index.html").write_bytes(b"<p>skrevet om</p>")  # the same file (and its links), written since
    assert read_tree(august, same=same)["link.html"] == b"<p>skrevet om</p>"


def test_a_build_into_a_new_folder_carries_the_history_of_the_sites_own(site, tmp_path, monkeypatch):
    """``lisite serve``'s preview, ``lisite pdf``'s meeting pack and a first ``--output`` write to a folder with no site
    yet: they carry the earlier reports from the site's own output folder, so "Siden sidste møde" compares with the
    last meeting as the site does (it said there was no earlier report); an audience unchanged since the site's own
    build is read from there, not made again. A build for a new period there archives the site's current report."""
    from lisite import build as building

    monkeypatch.setenv("LISITE_WORKERS", "1")  # every audience made in this process, where they are counted
    build(site)
    rebuild(site, "2026-09", SEPTEMBER)
    made = []
    make = building.build_audience
    monkeypatch.setattr(building, "build_audience", lambda audience, *args, **kwargs: (made.append(audience.id), make(audience, *args, **kwargs))[1])
    elsewhere = tmp_path / "andet"
    build(site, output_dir=elsewhere)
    assert made == []  # every audience as the site's own build left it
    assert tree(elsewhere / "udvalg") == tree(site / "_site" / "udvalg")  # its archive and its "Siden sidste møde" too
    assert "Antal i alt: 35 i september 2026 mod 34 i august 2026 (+1)." in page_text(elsewhere / "udvalg" / "siden-sidste-moede.html")

    (site / "lisite.toml").write_text(config("2026-10"), encoding="utf-8")  # the next month, not yet built in _site
    (site / "data" / "tal.csv").write_text(OCTOBER, encoding="utf-8")
    ahead = tmp_path / "oktober"
    build(site, output_dir=ahead)
    assert sorted(p.name for p in (ahead / "udvalg" / "arkiv").iterdir()) == ["2026-08", "2026-09"]
    assert "Antal i alt: 36 i oktober 2026 mod 35 i september 2026 (+1)." in page_text(ahead / "udvalg" / "siden-sidste-moede.html")
    assert summary(site / "_site" / "udvalg" / "historik.json")["period"] == "2026-09"  # the site's own folder as it was
    build(site, output_dir=ahead)  # that folder has a site now: its own history from here on
    assert sorted(p.name for p in (ahead / "udvalg" / "arkiv").iterdir()) == ["2026-08", "2026-09"]


def test_the_meeting_pack_compares_with_the_last_meeting_as_the_site_does(site, tmp_path):
    """The PDF meeting pack's "Siden sidste møde" (built in a folder of its own) holds what the site's page holds."""
    try:
        import pypdf
        import weasyprint  # noqa: F401

        from lisite.pdf import make_pdf
    except (ImportError, OSError) as exc:
        if IN_CI:
            raise
        pytest.skip(f'the PDF engine is missing (pip install "lisite[pdf]"): {exc}')
    build(site)
    rebuild(site, "2026-09", SEPTEMBER)
    path = make_pdf(site, "udvalg", tmp_path / "pakke.pdf", pages=["siden-sidste-moede"])
    text = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages)
    assert "35 i september 2026 mod 34 i august 2026 (+1)" in text
    assert "ingen tidligere rapport" not in text


def test_the_period_compared_with_can_be_chosen(site):
    build(site)
    rebuild(site, "2026-09", SEPTEMBER)
    rebuild(site, "2026-10", OCTOBER, '\n[plugin.historik]\ncompare_with = "2026-08"\n')
    text = page_text(site / "_site" / "udvalg" / "siden-sidste-moede.html")
    assert "Antal i alt: 36 i oktober 2026 mod 34 i august 2026 (+2). Målet er nu nået." in text
    rebuild(site, "2026-10", OCTOBER, '\n[plugin.historik]\ncompare_with = "2025-01"\n')
    text = page_text(site / "_site" / "udvalg" / "siden-sidste-moede.html")
    assert "Perioden 2025-01" in text and "findes ikke i arkivet" in text and "mod 35 i september 2026" in text


def test_rebuilding_the_same_period_makes_no_archive_and_keeps_the_one_there(site):
    build(site)
    rebuild(site, "2026-08", AUGUST)
    assert not (site / "_site" / "udvalg" / "arkiv").exists()
    rebuild(site, "2026-09", SEPTEMBER)
    archive = tree(site / "_site" / "udvalg" / "arkiv")
    rebuild(site, "2026-09", SEPTEMBER.replace("2026-09;C;20", "2026-09;C;22"))  # a corrected September
    assert tree(site / "_site" / "udvalg" / "arkiv") == archive
    assert "37 i september 2026 mod 34 i august 2026 (+3)" in page_text(site / "_site" / "udvalg" / "siden-sidste-moede.html")


def test_a_failed_build_leaves_the_site_and_its_archive(site):
    build(site)
    rebuild(site, "2026-09", SEPTEMBER)
    before = tree(site / "_site")
    with pytest.raises(LisiteError):
        rebuild(site, "2026-10", OCTOBER + "2026-10;A;tolv;1;S-13\n")  # not a number: the build fails
    assert tree(site / "_site") == before


def test_an_audience_archive_holds_only_its_own_pages(site):
    rebuild(site, "2026-08", AUGUST, f'\n[plugin.tiny]\ncanary = "{CANARY}"\n')
    assert CANARY in (site / "_site" / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")
    rebuild(site, "2026-09", SEPTEMBER)
    out = site / "_site"
    assert CANARY in (out / "udvalg" / "arkiv" / "2026-08" / "tal" / "antal.html").read_text(encoding="utf-8")
    holding = sorted(path for path, data in tree(out).items() if CANARY.encode() in data)
    assert holding and all(path.startswith("udvalg/arkiv/2026-08/") for path in holding), holding


def test_a_hidden_figure_is_in_no_summary_and_no_difference(site):
    build(site)
    august = summary(site / "_site" / "udvalg" / "historik.json")["figures"]["tiny.faa"]
    assert august["value"] == 7 and not august["hidden"]  # 3 + 2 + 2: shown to the committee
    rebuild(site, "2026-09", SEPTEMBER)
    out = site / "_site" / "udvalg"
    september = summary(out / "historik.json")["figures"]["tiny.faa"]
    assert september["hidden"] and september["value"] is None and september["target_met"] is None
    assert '"3' not in json.dumps(september)  # the true total, 1 + 1 + 1
    text = page_text(out / "siden-sidste-moede.html")
    assert "Få sager: tallet er skjult i september 2026" in text and "ændringen vises ikke" in text
    sentence = next(line for line in text.split("Få sager:")[1:])
    assert not re.search(r"\(\s*[+−-]\s*\d", sentence.split("Tidligere")[0])  # no difference stated
    assert "−4" not in text and "3 i september" not in text


def test_the_leak_check_scans_the_archived_pages_again(site):
    build(site)
    page = site / "_site" / "udvalg" / "tal" / "antal.html"
    page.write_text(page.read_text(encoding="utf-8") + "<p>S-4</p>", encoding="utf-8")  # a case id planted in August
    with pytest.raises(LisiteError) as failure:
        rebuild(site, "2026-09", SEPTEMBER)
    assert "udvalg/arkiv/2026-08/tal/antal.html" in str(failure.value) and "S-4" in str(failure.value)
    assert "S-4" in page.read_text(encoding="utf-8")  # nothing written


def test_an_archived_page_that_passed_is_checked_again_when_new_data_forbids_what_it_holds(site, tmp_path, monkeypatch):
    """A file that passed is not scanned again against the same forbidden values (its record is kept in the
    cache folder by its content hash), but a value the new data makes a case id is found in the archive."""
    monkeypatch.setenv("LISITE_CACHE", str(tmp_path / "cache"))
    build(site)
    page = site / "_site" / "udvalg" / "tal" / "antal.html"
    page.write_text(page.read_text(encoding="utf-8") + "<p>S-99</p>", encoding="utf-8")  # no case of the data: allowed
    rebuild(site, "2026-09", SEPTEMBER)
    archived = site / "_site" / "udvalg" / "arkiv" / "2026-08" / "tal" / "antal.html"
    records = "".join(path.read_text() for path in (tmp_path / "cache" / "plugins" / "leakcheck").glob("*.txt"))
    assert f"markup:{hashlib.sha256(archived.read_bytes()).hexdigest()}" in records
    rebuild(site, "2026-09", SEPTEMBER)  # the same data: the record holds
    with pytest.raises(LisiteError) as failure:
        rebuild(site, "2026-09", SEPTEMBER + "2026-09;A;1;0;S-99\n")  # S-99 is a case now
    assert "udvalg/arkiv/2026-08/tal/antal.html" in str(failure.value) and "'S-99' (tal.sags_id)" in str(failure.value)
    assert "S-99" in archived.read_text(encoding="utf-8")  # nothing written


STAFF_PLUGIN = PLUGIN.replace('lisite.Column("sags_id", "str", person_level=True),', 'lisite.Column("sags_id", "str", person_level=True), '
                              'lisite.Column("medarbejder", "str", person_level=True, level="team"),')
TEAM_A = '\n[audiences.team_a]\ntitle = "Team A"\nlevel = "team"\nmin_count = 3\nfilter = { team = "A" }\n'


def with_staff(data: str, staff: dict[str, str]) -> str:
    """The tiny data with a caseworker for each row: ``staff`` maps (month;team) or team to her."""
    header, *rows = data.splitlines()
    return "\n".join([header + ";medarbejder", *(f"{row};{staff.get(';'.join(row.split(';')[:2]), staff[row.split(';')[1]])}"
                                                 for row in rows)]) + "\n"


def test_a_caseworker_who_moved_to_another_team_does_not_stop_every_build_after(make_site):
    """The leader of team A saw caseworker M-1 in August's report. In September M-1 and her cases are in team B, so M-1
    is an identifier from outside team A now, and August's report (carried into every later site) named her: checked
    against today's organisation, no build would pass again. The archive is checked against the level's values (a case
    id in it is still found), the current report against the identifiers outside the team too."""
    staff = {"A": "M-1", "B": "M-2", "C": "M-3"}
    site = make_site({"plugins/tiny.py": STAFF_PLUGIN, "data/tal.csv": with_staff(AUGUST, staff)}, config=config("2026-08", TEAM_A))
    build(site)
    page = site / "_site" / "team_a" / "tal" / "antal.html"
    page.write_text(page.read_text(encoding="utf-8") + "<p>M-1</p>", encoding="utf-8")  # as if August's page named her
    moved = with_staff(SEPTEMBER.replace("-07;A;", "-07;B;").replace("-08;A;", "-08;B;"), {**staff, "2026-09;A": "M-4"})
    rebuild(site, "2026-09", moved, TEAM_A)
    archived = site / "_site" / "team_a" / "arkiv" / "2026-08" / "tal" / "antal.html"
    assert "M-1" in archived.read_text(encoding="utf-8")
    current = site / "_site" / "team_a" / "tal" / "antal.html"
    current.write_text(current.read_text(encoding="utf-8") + "<p>M-4</p>", encoding="utf-8")  # archived by the next build
    archived.write_text(archived.read_text(encoding="utf-8") + "<p>S-4</p>", encoding="utf-8")  # a case id: never allowed
    with pytest.raises(LisiteError) as failure:
        rebuild(site, "2026-10", with_staff(OCTOBER.replace("-07;A;", "-07;B;").replace("-08;A;", "-08;B;"),
                                            {**staff, "2026-09;A": "M-4", "2026-10;A": "M-4"}), TEAM_A)
    problems = str(failure.value)
    assert "team_a/arkiv/2026-08/tal/antal.html" in problems and "'S-4'" in problems and "'M-1'" not in problems
    assert "team_a/arkiv/2026-09" not in problems  # M-4 is in team A


def test_the_current_report_of_part_of_the_organisation_is_checked_against_the_identifiers_outside_it(make_site):
    staff = {"A": "M-1", "B": "M-2", "C": "M-3"}
    site = make_site({"plugins/tiny.py": STAFF_PLUGIN, "data/tal.csv": with_staff(AUGUST, staff)}, config=config("2026-08", TEAM_A))
    build(site)
    page = site / "_site" / "team_a" / "tal" / "antal.html"
    page.write_text(page.read_text(encoding="utf-8") + "<p>M-2</p>", encoding="utf-8")  # team B's caseworker, carried
    rebuild(site, "2026-09", with_staff(SEPTEMBER, staff), TEAM_A)  # in the archive: allowed
    plugin = site / "plugins" / "tiny.py"
    plugin.write_text(STAFF_PLUGIN.replace('blocks = [', 'blocks = [lisite.Markdown(text="M-2" if audience.id == "team_a" else ""), '), encoding="utf-8")
    with pytest.raises(LisiteError) as failure:
        rebuild(site, "2026-09", with_staff(SEPTEMBER, staff), TEAM_A)
    assert "team_a/tal/antal.html" in str(failure.value) and "'M-2'" in str(failure.value)


def test_a_partial_build_keeps_the_other_audiences_archive(site):
    build(site)
    rebuild(site, "2026-09", SEPTEMBER)
    ledere = tree(site / "_site" / "ledere" / "arkiv")
    rebuild(site, "2026-10", OCTOBER, audiences=["udvalg"])
    assert {p: d for p, d in tree(site / "_site" / "ledere" / "arkiv").items() if p.startswith("2026-08/")} == ledere
    assert (site / "_site" / "ledere" / "arkiv" / "2026-09" / "index.html").is_file()  # September kept, not dropped


def test_a_partial_build_of_the_same_period_keeps_the_other_audiences_sites(site):
    """``lisite build --audience udvalg`` replaces the output folder whole: the other audiences' sites of the same
    period stay as they were (their files, their place in the manifest and on the root page), not only their archives;
    one that was touched since it was made is not carried (it would be a site no build made)."""
    build(site)
    rebuild(site, "2026-09", SEPTEMBER)
    ledere = tree(site / "_site" / "ledere")
    report = rebuild(site, "2026-09", SEPTEMBER, '\n[plugin.tiny]\ncanary = "ny"\n', audiences=["udvalg"])
    assert list(report.pages) == ["udvalg"]  # built: only the committee
    assert tree(site / "_site" / "ledere") == ledere
    manifest = summary(site / "_site" / "manifest.json")
    assert sorted(manifest["audiences"]) == ["ledere", "udvalg"]
    assert 'href="ledere/index.html"' in (site / "_site" / "index.html").read_text(encoding="utf-8")
    assert "Hej ny" in page_text(site / "_site" / "udvalg" / "tal" / "antal.html")

    (site / "_site" / "ledere" / "tal" / "antal.html").write_text("rettet", encoding="utf-8")
    rebuild(site, "2026-09", SEPTEMBER, audiences=["udvalg"])
    assert not (site / "_site" / "ledere" / "tal").exists()
    assert (site / "_site" / "ledere" / "arkiv" / "2026-08" / "index.html").is_file()  # its history is kept still


def test_an_archive_of_an_audience_no_longer_configured_is_never_deleted(site):
    build(site)
    rebuild(site, "2026-09", SEPTEMBER)
    before = tree(site / "_site")
    text = config("2026-10").split("[audiences.ledere]")[0] + "[sources.tal]" + config("2026-10").split("[sources.tal]")[1]
    (site / "lisite.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="ledere"):
        build(site)
    assert tree(site / "_site") == before
    elsewhere = site.parent / "andet"  # a build elsewhere (the meeting pack's) reads the history and leaves it
    build(site, output_dir=elsewhere)
    assert (elsewhere / "udvalg" / "arkiv" / "2026-08").is_dir() and not (elsewhere / "ledere").exists()
    assert tree(site / "_site") == before


def test_a_site_without_a_summary_is_not_archived_with_a_warning(site):
    build(site)
    (site / "_site" / "udvalg" / "historik.json").unlink()  # as an older lisite left it
    report = rebuild(site, "2026-09", SEPTEMBER)
    assert any("historik.json" in str(w) and "udvalg" in str(w) for w in report.warnings)
    assert not (site / "_site" / "udvalg" / "arkiv").exists()
    assert (site / "_site" / "ledere" / "arkiv" / "2026-08").is_dir()


def figure(value, period="2026-09", hidden=False, target_met=None, verdict=None):
    return {"title": "Udførte opfølgninger", "unit": "antal", "period": period, "value": value, "hidden": hidden,
            "target": None, "target_met": target_met, "verdict": verdict}


def test_sentences_name_a_year_so_far_by_its_report_and_never_difference_a_hidden_figure(tmp_path):
    plugin = load_plugin(builtin_plugin("historik"))
    ctx = page_context([], {}, "udvalg", tmp_path)
    assert plugin.sentence(figure(541, "2026"), figure(826, "2026"), ctx, "2026-06") == (
        "**Udførte opfølgninger** (2026): 826 nu mod 541 i rapporten for juni 2026 (+285). "
        "2026 er ikke slut: tallet dækkede januar–juni i rapporten for juni 2026 og dækker nu januar–september.")
    assert plugin.sentence(figure(541, "2025"), figure(826, "2025"), ctx, "2025-06") == (  # a whole year: was revised
        "**Udførte opfølgninger** (2025): 826 nu mod 541 i rapporten for juni 2025 (+285).")
    december = SimpleNamespace(t=ctx.t, fmt=ctx.fmt, config=for_period(ctx.config, "2026-12"))  # the year is whole now
    assert plugin.sentence(figure(541, "2026"), figure(1050, "2026"), december, "2026-06") == (
        "**Udførte opfølgninger** (2026): 1.050 nu mod 541 i rapporten for juni 2026 (+509). "
        "Tallet dækkede januar–juni i rapporten for juni 2026 og dækker nu hele 2026.")
    assert plugin.sentence(figure(9, "2026-06", target_met=True, verdict="common"),
                           figure(7, target_met=False, verdict="special_worrying"), ctx, "2026-06") == (
        "**Udførte opfølgninger**: 7 i september 2026 mod 9 i juni 2026 (−2). Målet er ikke længere nået. "
        "Udviklingen er gået fra normale udsving til et særligt mønster, der tyder på forværring.")
    spent = {"title": "Forbrugsprocent", "unit": "pct", "target": 100.0, "target_met": None, "verdict": None, "hidden": False}
    assert plugin.sentence({**spent, "period": "2026-06", "value": 51.6}, {**spent, "period": "2026-09", "value": 76.7}, ctx,
                           "2026-06", cumulative=True) == (
        "**Forbrugsprocent**: 76,7\u00a0% i september 2026 mod 51,6\u00a0% i juni 2026 (+25,1\u00a0procentpoint). "
        "Tallet lægges sammen fra årets start, så de to tal dækker ikke lige mange måneder.")
    # figures whose sentences say the same (breakdowns of the same children) are named together, once
    said = [(name, plugin.sentence(figure(999, "2026-06"), figure(1014), ctx, "2026-06", title=plugin.HOLE))
            for name in ("Aktive sager", "Børn efter alder", "Børn efter køn")]
    said.insert(1, ("Anbragte børn", plugin.sentence(figure(146, "2026-06"), figure(142), ctx, "2026-06", title=plugin.HOLE)))
    assert plugin.merged(said, ctx) == [
        "**Aktive sager**, **Børn efter alder** og **Børn efter køn**: 1.014 i september 2026 mod 999 i juni 2026 (+15).",
        "**Anbragte børn**: 142 i september 2026 mod 146 i juni 2026 (−4)."]
    hidden_before = plugin.sentence(figure(None, "2026-06", hidden=True), figure(12), ctx, "2026-06")
    assert "skjult i juni 2026" in hidden_before and "12" not in hidden_before and "vises ikke" in hidden_before


EXTRA = '''
import lisite

def compute(ctx):
    data = ctx.data["tal"]
    return data.groupby("maaned")["antal"].sum().reset_index().rename(columns={"maaned": "period", "antal": "numerator"})

@lisite.hookimpl
def lisite_indicators():
    return [lisite.Indicator(id="extra.usynlig", title="Usynlig", theme="administration", element="administrativ_styring",
                             unit="antal", compute=compute, shown_to=("municipality", "team"))]
'''


def test_the_summary_holds_only_the_indicators_the_pages_show(make_site):
    site = make_site({"plugins/tiny.py": PLUGIN, "plugins/extra.py": EXTRA, "data/tal.csv": AUGUST},
                     config=tiny_config().replace('current = "2026-09"', 'current = "2026-08"'))  # "Siden sidste møde" off
    build(site)
    shown = summary(site / "_site" / "udvalg" / "historik.json")["figures"]
    assert sorted(shown) == ["tiny.antal", "tiny.faa"]  # extra.usynlig is on no page
    rebuild(site, "2026-09", SEPTEMBER)  # with the page, which compares only what August showed
    assert sorted(summary(site / "_site" / "udvalg" / "historik.json")["figures"]) == ["tiny.antal", "tiny.faa"]


def monthly(values: dict[str, int]) -> str:
    """tal.csv with one team's rows: ``faa`` as given for each month, ``antal`` 40."""
    return "maaned;team;antal;faa;sags_id\n" + "".join(f"{month};A;40;{n};S-{i}\n" for i, (month, n) in enumerate(values.items()))


def test_two_reports_never_give_a_hidden_month_away_between_them(make_site):
    """A small figure hidden in both reports, each naming its last 12 months added up under it, gave the month away
    between them: 88 for September 2025–August 2026 in August's report, 82 for October 2025–September 2026 in
    September's, and September 2025 (8) shown in both, so September 2026 was 82 − 88 + 8 = 2. The committee sees both
    reports (the earlier one under "Tidligere rapporter"), so September's report takes what August's showed as known
    (:mod:`lisite.earlier`) and hides its own 12-month sum, which only it would have added."""
    events = PLUGIN.replace('compute=count("faa"),', 'compute=count("faa"), events=True,')
    months = [f"{y}-{m:02d}" for y, m in [(2025, m) for m in range(6, 13)] + [(2026, m) for m in range(1, 10)]]
    faa = dict(zip(months, [8, 9, 7, 8, 9, 6, 8, 7, 9, 8, 6, 7, 9, 8, 3, 2]))  # August 2026: 3, September: 2
    august = {m: n for m, n in faa.items() if m <= "2026-08"}
    site = make_site({"plugins/tiny.py": events, "data/tal.csv": monthly(august)}, config=config("2026-08"))
    build(site)
    before = summary(site / "_site" / "udvalg" / "historik.json")["figures"]["tiny.faa"]
    assert before["hidden"] and before["value"] is None
    then = sum(n for m, n in august.items() if m >= "2025-09")  # September 2025 – August 2026, from the rows
    assert before["window"] == {"value": then, "first": "2025-09", "period": "2026-08"} and then == 88
    august_page = page_text(site / "_site" / "udvalg" / "tal" / "antal.html")
    assert "er tallet 88." in august_page and "september 2025 8" in august_page.lower().replace(";", " ")  # both shown
    rebuild(site, "2026-09", monthly(faa))
    record = json.loads((site / "_site" / "udvalg" / "arkiv" / "2026-08" / "celler.json").read_text(encoding="utf-8"))
    cells = record["indicators"]["tiny.faa"]  # what August hid and which 12-month sums it showed, carried along
    assert ["2026-08", "", ""] in cells["hidden"] and ["", ""] in cells["sums"] and cells["summed_to"] == "2026-08"
    assert "88" not in json.dumps(cells)  # no figure, only which cells
    now = summary(site / "_site" / "udvalg" / "historik.json")["figures"]["tiny.faa"]
    assert now["hidden"] and "window" not in now  # 82 would give September's 2 away beside August's 88
    page = page_text(site / "_site" / "udvalg" / "tal" / "antal.html")
    text = page_text(site / "_site" / "udvalg" / "siden-sidste-moede.html")
    assert " 82" not in page and " 82" not in text and "(−6)" not in text
    assert "Få sager: tallet er skjult i august 2026 og september 2026 for at beskytte oplysninger om få personer" in text
    # the same September report without August's beside it names its 12 months, as a report alone may
    alone = make_site({"plugins/tiny.py": events, "data/tal.csv": monthly(faa)}, config=config("2026-09"), name="alone")
    build(alone)
    assert summary(alone / "_site" / "udvalg" / "historik.json")["figures"]["tiny.faa"]["window"]["value"] == 82


def test_a_hidden_month_is_compared_by_12_months_only_when_both_reports_named_them(tmp_path):
    plugin = load_plugin(builtin_plugin("historik"))
    ctx = page_context([], {}, "udvalg", tmp_path)
    then = {**figure(None, "2026-06", hidden=True), "window": {"value": 64, "first": "2025-07", "period": "2026-06"}}
    now = {**figure(None, hidden=True), "window": {"value": 64, "first": "2025-10", "period": "2026-09"}}
    assert plugin.sentence(then, now, ctx, "2026-06") == (
        "**Udførte opfølgninger**: månedens tal er skjult i juni 2026 og september 2026 for at beskytte oplysninger om få "
        "personer. De seneste 12 måneder lagt sammen: 64 for oktober 2025–september 2026, det samme som for juli 2025–juni 2026.")
    shown_then = figure(12, "2026-06")  # the month was shown then: no sum was named in that report
    assert plugin.sentence(shown_then, now, ctx, "2026-06") == (
        "**Udførte opfølgninger**: tallet er skjult i september 2026 for at beskytte oplysninger om få personer, så ændringen vises ikke.")
    share = {"title": "Opfølgninger til tiden", "unit": "pct", "target": 100.0, "target_met": None, "verdict": None, "hidden": True}
    said = plugin.sentence({**share, "period": "2026-06", "value": None, "window": {"value": 82.4, "first": "2025-07", "period": "2026-06"}},
                           {**share, "period": "2026-09", "value": None, "window": {"value": 88.6, "first": "2025-10", "period": "2026-09"}},
                           ctx, "2026-06")
    assert said.endswith("88,6\u00a0% for oktober 2025–september 2026 mod 82,4\u00a0% for juli 2025–juni 2026 (+6,2\u00a0procentpoint).")


def test_an_earlier_report_without_its_record_of_hidden_cells_is_named_in_a_warning(site):
    """An archive from an older lisite says nothing of which cells it hid: the build cannot keep this report's hidden
    cells apart from it, and says so (the report is built, and carries the archive, as before)."""
    build(site)
    (site / "_site" / "udvalg" / "celler.json").unlink()  # as an older lisite left it
    report = rebuild(site, "2026-09", SEPTEMBER)
    [warning] = [w for w in report.warnings if "celler.json" in w.message]
    assert "'udvalg' (2026-08)" in warning.message and "ældre lisite" in warning.message
    assert (site / "_site" / "udvalg" / "arkiv" / "2026-08" / "index.html").exists()
    assert (site / "_site" / "udvalg" / "celler.json").exists()  # this report's own record
    fresh = rebuild(site, "2026-10", SEPTEMBER)  # September's report, archived now, has its record; August's still not
    assert [w.message for w in fresh.warnings if "celler.json" in w.message] == [warning.message]


def test_each_reports_true_figures_are_kept_outside_the_output_for_the_reports_after_it(site):
    """A case registered late changes a month an earlier report showed; the next report's suppression needs the earlier
    report's true figures, hidden ones included (lisite.earlier), which no reader may have: they are kept in the
    site's own folder (.lisite/tal), named by the hash of the report's public record, never in the output."""
    import gzip
    import os
    import time

    from lisite.earlier import FIGURES, figures_path, read_figures

    build(site)
    kept = figures_path(site, "ledere", (site / "_site" / "ledere" / "celler.json").read_bytes())
    assert kept.is_file() and (site / FIGURES) in kept.parents and (site / "_site") not in kept.parents
    figures = read_figures(kept.read_bytes())["tiny.faa"]
    assert figures.count(("2026-08", "team", "B")) == 2.0  # hidden on the leaders' pages ("under 5"), kept here
    assert not [p for p in (site / "_site").rglob("*") if p.suffix == ".gz" or ".lisite" in p.parts]
    assert b"2026-08" in gzip.decompress(kept.read_bytes())
    report = rebuild(site, "2026-09", SEPTEMBER)  # August's report in the archive: its figures read
    assert not [w for w in report.warnings if ".lisite" in w.message]
    assert figures_path(site, "ledere", (site / "_site" / "ledere" / "arkiv" / "2026-08" / "celler.json").read_bytes()) == kept
    # one not kept (built elsewhere, or by an older lisite) is named in a warning: its changed figures cannot be seen
    kept.unlink()
    report = rebuild(site, "2026-10", OCTOBER)
    [warning] = [w.message for w in report.warnings if "'ledere'" in w.message and ".lisite" in w.message]
    assert "(2026-08)" in warning and "ændret siden" in warning
    # a record no report in the output names, older than a month, is removed; a named one never is
    named = figures_path(site, "ledere", (site / "_site" / "ledere" / "arkiv" / "2026-09" / "celler.json").read_bytes())
    stray, fresh = named.with_name("0" * 64 + ".json.gz"), named.with_name("1" * 64 + ".json.gz")
    stray.write_bytes(b"old"), fresh.write_bytes(b"new")
    month_ago = time.time() - 40 * 86400
    for path in (stray, named):
        os.utime(path, (month_ago, month_ago))
    rebuild(site, "2026-10", OCTOBER.replace("2026-10;A;12;2", "2026-10;A;13;2"))
    assert named.is_file() and fresh.is_file() and not stray.exists()


def test_a_report_whose_figures_cannot_be_kept_is_built_with_a_warning(site):
    """The site's folder is not writable where the figures are kept (here: a file in the way): the site is built and in
    place, and a warning says the next report cannot account for figures of this one that change."""
    from lisite.earlier import FIGURES

    (site / FIGURES.parent).mkdir()
    (site / FIGURES).write_text("in the way", encoding="utf-8")
    report = build(site)
    [warning] = [w.message for w in report.warnings if "kunne ikke gemmes" in w.message]
    assert str(site / FIGURES) in warning
    assert (site / "_site" / "ledere" / "celler.json").is_file()


def test_an_earlier_report_is_read_without_following_a_link_or_taking_the_current_sites_record(tmp_path):
    """What is carried of an old output folder: its regular files, in folders, by their POSIX paths; never what a
    symbolic link (to a file or a folder) points to, nor the record of what the current site was made from, nor the
    archive when the current site is read."""
    from lisite.archive import read_tree

    folder, elsewhere = tmp_path / "ledere", tmp_path / "elsewhere"
    (folder / "data" / "dybt").mkdir(parents=True)
    (folder / "arkiv" / "2026-07").mkdir(parents=True)
    (elsewhere / "mappe").mkdir(parents=True)
    (elsewhere / "hemmelig.html").write_bytes(b"S-1")
    (elsewhere / "mappe" / "x.html").write_bytes(b"S-2")
    (folder / "index.html").write_bytes(b"<p>forside</p>")
    (folder / "data" / "dybt" / "tal.csv").write_bytes(b"1;2\n")
    (folder / "data" / RECORD).write_bytes(b"{}")  # a file of that name below the top is a file like any other
    (folder / RECORD).write_bytes(b"{}")
    (folder / "arkiv" / "2026-07" / "index.html").write_bytes(b"<p>juli</p>")
    (folder / "link.html").symlink_to(elsewhere / "hemmelig.html")
    (folder / "data" / "mappe").symlink_to(elsewhere / "mappe")
    assert read_tree(folder) == {"index.html": b"<p>forside</p>", "data/dybt/tal.csv": b"1;2\n", f"data/{RECORD}": b"{}",
                                 "arkiv/2026-07/index.html": b"<p>juli</p>"}
    assert read_tree(folder, skip="arkiv") == {"index.html": b"<p>forside</p>", "data/dybt/tal.csv": b"1;2\n",
                                               f"data/{RECORD}": b"{}"}
