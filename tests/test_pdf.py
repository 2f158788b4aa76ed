"""The PDF meeting pack (lisite pdf): made from a small site with tiles, charts, tables and caveats,
read back as text (pypdf) and as pictures (pypdfium2)."""

from __future__ import annotations

import datetime
import re
import textwrap

import pytest
from click.testing import CliRunner

from conftest import IN_CI, TINY_DATA, TINY_PLUGIN, tiny_config



@pytest.fixture(scope="module", autouse=True)
def pdf_engine():
    """WeasyPrint, imported when this module's tests run (every test process collects the module, few run it)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: the package is there, the Pango library is not
        if IN_CI:
            raise
        pytest.skip(f'the PDF engine is missing (pip install "lisite[pdf]", apt-get install libpango-1.0-0): {exc}')

pypdf = pytest.importorskip("pypdf")
pdfium = pytest.importorskip("pypdfium2")

from lisite.cli import main  # noqa: E402
from lisite.errors import ConfigError, LisiteError  # noqa: E402
from lisite.pdf import make_pdf, site_only_fetcher  # noqa: E402

LABEL = "Sammenligningskommunerne: 141,9"  # a comparison label at a chart's right edge, as on the comparison pages

# the tiny test plugin's dataset and indicator, with pages of its own: tiles, a chart, a comparison and a table
PLUGIN = TINY_PLUGIN[:TINY_PLUGIN.index("@lisite.hookimpl\ndef lisite_pages")] + textwrap.dedent('''
    from lisite import charts

    def comparison():
        rows = [{"period": p, "serie": s, "value": v} for p, base in (("2023", 120.0), ("2024", 131.0), ("2025", 141.9))
                for s, v in (("Svendborg", base - 8), ("%(label)s", base))]
        return charts.series_chart(pd.DataFrame(rows), "pr_1000", "Sammenligning", color="serie", kind="line")

    @lisite.hookimpl
    def lisite_pages(audience, ctx):
        tiles = [lisite.KeyFigures(("tiny.antal",) * 12)]
        front = lisite.Page("index.html", audience.title, [lisite.Markdown(text="Velkommen til *udvalget*."), *tiles],
                            order=0, template="front.html")
        theme = lisite.Page("tal/antal.html", "Antal", [lisite.IndicatorView("tiny.antal")], section="Tal", order=1)
        table = pd.DataFrame({"kommune": ["Svendborg", "Faaborg-Midtfyn"], "vaerdi": [128.04, 7654321.5]})
        compare = lisite.Page("tal/sammenligning.html", "Sammenligning", [
            lisite.ChartBlock(comparison(), "Svendborg og gruppen", title="Over tid"),
            lisite.Table(table, caption="Tabel over kommuner", formats={"vaerdi": "kr"})], section="Tal", order=2)
        return [front, theme, compare]
''') % {"label": LABEL}

CAVEAT = "+++\ntitle = \"Antal i alt\"\ndefinition = \"Antal sager i måneden, talt på den sidste dag\"\n+++\nTallet er talt om på en ny måde fra juli.\n"


def pack_site(site, config: str = ""):
    """A small site whose audience udvalg has three pages: index.html (twelve tiles linking to the next page),
    tal/antal.html (a chart, its table and caveat) and tal/sammenligning.html (a comparison chart and a table)."""
    files = {"lisite.toml": tiny_config(config), "plugins/tiny.py": PLUGIN, "data/tal.csv": TINY_DATA,
             "content/indikatorer/tiny.antal.md": CAVEAT}
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """The udvalg pack of a small site with tiles, a chart with a table and caveat, a comparison chart and a
    table, made once for this module: (path, text of each page)."""
    site = pack_site(tmp_path_factory.mktemp("pack") / "site")
    path = make_pdf(site, "udvalg", site / "mappe" / "udvalg.pdf", today=datetime.date(2026, 10, 14))
    reader = pypdf.PdfReader(path)
    return path, [page.extract_text() for page in reader.pages]


def squash(text: str) -> str:
    return " ".join(text.split())


def test_cover_contents_and_page_numbers(pack):
    path, pages = pack
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")
    cover = squash(pages[0])
    for words in ("Mødemateriale", "Svendborg Kommune", "Udvalget", "Tal til og med september 2026", "Lavet 14. oktober 2026"):
        assert words.lower() in cover.lower()  # the cover prints its kind in capitals
    contents = squash(pages[1])
    assert contents.startswith("Indhold")
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Side {number} af {total}" in squash(text), f"page {number} has no page number"
    # every page of the site, in menu order, with the page it starts on
    listed = re.findall(r"(Udvalget|Antal|Sammenligning)\s*\.*\s*(\d+)", pages[1])
    assert [title for title, _ in listed] == ["Udvalget", "Antal", "Sammenligning"]
    for title, number in listed:
        start = squash(pages[int(number) - 1])
        assert re.search(rf"\b{title}\b", start.split("Side")[0]), f"{title} is not on page {number}"
    assert int(listed[0][1]) < int(listed[1][1]) < int(listed[2][1])


def test_a_pack_of_chosen_pages(tmp_path):
    """[pdf] pages in lisite.toml chooses the pack's pages, --page (lisite pdf) overrides it; the cover says how many
    of the site's pages the pack holds."""
    site = pack_site(tmp_path / "site", '[pdf]\naudience = "udvalg"\npages = ["tal/*"]\n')
    chosen = make_pdf(site, today=datetime.date(2026, 10, 14))
    pages = [squash(page.extract_text()) for page in pypdf.PdfReader(chosen).pages]
    assert "2 af sitets 3 sider, i samme rækkefølge som i menuen." in pages[0]
    listed = re.findall(r"(Udvalget|Antal|Sammenligning) \.*\s*(\d+)", pages[1])  # the contents, with page numbers
    assert [title for title, _ in listed] == ["Antal", "Sammenligning"]
    assert "Velkommen til udvalget" not in " ".join(pages) and LABEL in " ".join(pages)

    result = CliRunner().invoke(main, ["pdf", "--site", str(site), "--page", "index", "--output", str(site / "forside.pdf")])
    assert result.exit_code == 0, result.output
    pages = [squash(page.extract_text()) for page in pypdf.PdfReader(site / "forside.pdf").pages]
    assert "1 af sitets 3 sider" in pages[0]
    text = " ".join(pages[2:])
    assert "Velkommen til udvalget" in text and text.count("Antal i alt") == 12  # the tiles, each with its title
    assert "Antal sager i måneden" not in text and LABEL not in text  # the pages left out


def test_a_page_the_audience_does_not_have_is_an_error_naming_those_it_has(tmp_path):
    site = pack_site(tmp_path / "site", '[pdf]\naudience = "udvalg"\n')
    (site / "udvalg.pdf").write_bytes(b"%PDF last month's pack")
    result = CliRunner().invoke(main, ["pdf", "--site", str(site), "--page", "index", "--page", "tal/årsrapport"])
    assert result.exit_code != 0
    assert 'Fejl: Ingen af siderne for Udvalget passer til "tal/årsrapport" (--page).' in result.output
    assert "Sitets sider: index.html, tal/antal.html, tal/sammenligning.html." in result.output
    assert (site / "udvalg.pdf").read_bytes() == b"%PDF last month's pack"


def test_a_link_to_a_page_outside_the_pack_keeps_only_its_text():
    from lisite.pdfpages import PackPage, for_print

    page = PackPage("rapporter/aarsrapport.html", "Årsrapport", "Rapporter", "side-2")
    anchors = {"index.html": "side-1", page.path: page.anchor}
    content = ('<p><a href="../index.html">Forsiden</a>, <a href="../temaer/oekonomi.html#forbrug"><strong>Forbrug</strong></a>, '
               '<a href="#mål">Mål</a>, <a href="https://www.dst.dk/">DST</a> og <a href="../data/tal.csv">CSV</a></p>')
    printed = for_print(content, page, anchors, draw=lambda spec: "")
    assert '<a href="#side-1">Forsiden</a>' in printed
    assert ", <strong>Forbrug</strong>," in printed and "oekonomi" not in printed
    assert '<a href="#side-2-mål">Mål</a>' in printed and '<a href="https://www.dst.dk/">DST</a>' in printed
    assert '<a href="data/tal.csv">CSV</a>' in printed  # a file of the site, not a page: as before


def structure(path) -> tuple[dict, list]:
    """A tagged PDF's catalogue and the (role, alternative text) of every element of its structure tree."""
    reader = pypdf.PdfReader(path)
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                found.append((str(node["/S"]), str(node.get("/Alt", ""))))
            if "/K" in node:
                walk(node["/K"])

    root = reader.trailer["/Root"]
    if "/StructTreeRoot" in root:
        walk(root["/StructTreeRoot"])
    return root, found


def test_the_pack_is_a_tagged_pdf_with_its_language_title_and_every_figures_text(pack):
    """Screen readers read the pack as a document (PDF/UA-1): marked, tagged headings, lists and tables, its
    language and title, and each figure (a chart, a tile's trend line) with its text as on the page."""
    path, _ = pack
    root, elements = structure(path)
    assert bool(root["/MarkInfo"]["/Marked"]) and root["/Lang"] == "da"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
    assert pypdf.PdfReader(path).metadata.title.startswith("Mødemateriale · Udvalget")
    roles = {role for role, _ in elements}
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/L", "/LI", "/Figure"} <= roles, roles
    figures = [alt for role, alt in elements if role == "/Figure"]
    assert figures and all(alt.strip() for alt in figures), figures  # none without its text
    assert any(alt.startswith("Diagram over") for alt in figures)  # a chart


def test_a_tiles_trend_line_is_a_figure_with_its_text_in_the_pack(demo_build):
    """The front page draws each tile's trend line in the page (an SVG with its text in aria-label); the pack makes
    it a picture with that text as alt, which the tagged PDF takes as the figure's alternative text."""
    from lisite.config import load_config
    from lisite.pdf import pack_html

    folder = demo_build / "_site" / "udvalg"
    page = (folder / "index.html").read_text(encoding="utf-8")
    labels = re.findall(r'<svg class="spark"[^>]*aria-label="([^"]*)"', page)
    assert len(labels) >= 5
    document = pack_html(load_config(demo_build), "udvalg", folder, datetime.date(2026, 10, 14), ["index"])
    assert "<svg" not in document.split('<article class="pdf-page"', 1)[1]
    for label in labels:
        assert '<img class="spark" src="data:image/svg+xml;base64,' in document and f'alt="{label}"' in document


def test_tables_and_caveats_are_printed_and_values_whole(pack):
    _, pages = pack
    text = squash(" ".join(pages))
    assert "Om tallene" in text and "Antal sager i måneden, talt på den sidste dag" in text  # <details> printed open
    assert "Tallet er talt om på en ny måde fra juli." in text  # the caveat
    assert "Periode" in text and "september 2026" in text
    assert "7.654.321,5 kr." in text or "7.654.322 kr." in text  # a table's number in Danish format, whole
    assert LABEL in text  # the comparison label, value and all
    assert "Vis tallene som tabel" not in text and "CSV" not in text  # what only works on a screen


def test_tiles_are_never_split_across_pages(pack):
    _, pages = pack
    theme = next(i for i, text in enumerate(pages) if i > 1 and squash(text).lower().startswith("tal antal"))
    front = [squash(text) for text in pages[2:theme]]
    assert len(front) >= 2, "twelve tiles fill more than one page, so a split could happen"
    # a tile starts with its title and ends with how the figure moved since the month before
    assert sum(text.count("Antal i alt") for text in front) == 12
    for text in front:
        assert text.count("Antal i alt") == text.count("siden august 2026"), f"a tile is split: {text[:300]}"


def test_charts_are_vector_and_nothing_runs_into_the_margin(pack):
    path, pages = pack
    doc = pdfium.PdfDocument(path)
    chart_page = next(i for i, text in enumerate(pages) if "Over tid" in text)
    page = pypdf.PdfReader(path).pages[chart_page]
    drawn = page.get_contents().get_data().decode("latin-1")
    operators = re.findall(r"(?m) ([a-zA-Z*]{1,3})$", drawn)
    assert operators.count("c") >= 12, "the chart's points are not drawn as curves"  # a table or a picture has none
    assert operators.count("l") >= 20, "the chart's lines and grid are not drawn as paths"
    assert images(page) == [], "a chart is printed as a picture"
    for index in range(len(doc)):
        image = doc[index].render(scale=1).to_pil().convert("L")
        width, height = image.size
        margin = int(width * 15 / 210)  # the page's right margin is 16 mm of 210
        strip = image.crop((width - margin, 0, width, height))
        assert strip.getextrema()[0] > 200, f"something is drawn in the right margin of page {index + 1} (a label running off a chart?)"


def images(page) -> list[str]:
    """The raster images a page draws, directly or inside the forms it draws."""
    found = []

    def walk(resources, depth=0):
        for name, xobject in ((resources or {}).get("/XObject") or {}).items():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                found.append(name)
            elif depth < 8:
                walk((xobject.get("/Resources") or {}), depth + 1)

    walk(page["/Resources"].get_object())
    return found


def test_no_network_requests(tmp_path):
    fetcher = site_only_fetcher(tmp_path)
    (tmp_path / "a.css").write_text("p {}", encoding="utf-8")
    assert fetcher.fetch((tmp_path / "a.css").as_uri()).read() == b"p {}"
    for url in ("https://fonts.example.org/font.woff2", "http://127.0.0.1:9/x.css", "ftp://example.org/x",
                (tmp_path.parent / "outside.css").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 4


def test_a_page_asking_for_the_network_stops_the_pack(make_site):
    site = make_site({"theme/templates/pdf.css": ".pdf-cover { background: url('https://fonts.example.org/x.png'); }\n"})
    with pytest.raises(LisiteError, match="fonts.example.org"):
        make_pdf(site, "udvalg", site / "x.pdf")
    assert not (site / "x.pdf").exists()


def test_cli_writes_the_pack_and_reads_the_default_audience(make_site):
    site = make_site(config=tiny_config('[pdf]\naudience = "ledere"\noutput = "moede/pakke.pdf"\n'))
    result = CliRunner().invoke(main, ["pdf", "--site", str(site)])
    assert result.exit_code == 0, result.output
    assert (site / "moede" / "pakke.pdf").is_file()
    cover = squash(pypdf.PdfReader(site / "moede" / "pakke.pdf").pages[0].extract_text())
    assert "Ledere" in cover
    out = site / "andet.pdf"
    result = CliRunner().invoke(main, ["pdf", "--site", str(site), "--audience", "udvalg", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "Udvalget" in squash(pypdf.PdfReader(out).pages[0].extract_text())


def test_unknown_or_missing_audience_is_an_error(make_site):
    site = make_site()
    result = CliRunner().invoke(main, ["pdf", "--site", str(site), "--audience", "byraadet"])
    assert result.exit_code == 1
    assert "Ukendt modtagergruppe: byraadet" in result.output and "udvalg" in result.output
    with pytest.raises(ConfigError, match="--audience"):
        make_pdf(site)


@pytest.mark.browser
def test_the_browsers_own_print_shows_tables_caveats_and_whole_labels(make_site, browser):
    """Ctrl+P in Chromium (lisite.css's print rules): "Om tallene" and the table print open, the menu and
    search do not, and a comparison label at a chart's edge prints whole."""
    from lisite.build import build

    site = make_site({"plugins/tiny.py": PLUGIN, "content/indikatorer/tiny.antal.md": CAVEAT})
    build(site)
    printed = {}
    for name in ("antal", "sammenligning"):
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto((site / "_site" / "udvalg" / "tal" / f"{name}.html").as_uri())
        page.wait_for_function("document.querySelectorAll('.chart.is-live').length === document.querySelectorAll('.chart').length",
                               timeout=15000)
        out = site / f"{name}.pdf"
        page.pdf(path=str(out), format="A4")
        printed[name] = squash(" ".join(pg.extract_text() for pg in pypdf.PdfReader(out).pages))
        page.close()
    assert "Antal sager i måneden, talt på den sidste dag" in printed["antal"]  # inside the closed "Om tallene"
    assert "september 2026 35" in printed["antal"]  # the table under the chart, closed on screen
    assert LABEL in printed["sammenligning"]
    assert "Søg" not in printed["antal"] and "Menu" not in printed["antal"]


def test_a_missing_pdf_engine_says_how_to_install_it(make_site, monkeypatch):
    import sys

    site = make_site()
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint now raises ImportError
    result = CliRunner().invoke(main, ["pdf", "--site", str(site), "--audience", "udvalg"])
    assert result.exit_code == 1
    assert 'pip install "lisite[pdf]"' in result.output and "libpango" in result.output
    assert not (site / "udvalg.pdf").exists() and not (site / "_site").exists()  # said before anything is built
    english = make_site(config=tiny_config().replace('title = "Testsite"', 'title = "Testsite"\nlanguage = "en"', 1), name="en")
    result = CliRunner().invoke(main, ["pdf", "--site", str(english), "--audience", "udvalg"])
    assert result.exit_code == 1
    assert "Error: The PDF needs WeasyPrint, which cannot be loaded" in result.output and "Install it with" in result.output


def test_an_english_site_gets_an_english_pack(make_site):
    site = make_site(config=tiny_config().replace('title = "Testsite"', 'title = "Testsite"\nlanguage = "en"', 1))
    path = make_pdf(site, "udvalg", today=datetime.date(2026, 10, 14))
    assert path == site / "udvalg.pdf"
    pages = [squash(page.extract_text()) for page in pypdf.PdfReader(path).pages]
    for words in ("Meeting pack", "Svendborg Municipality", "Figures up to September 2026", "Made 14 October 2026"):
        assert words.lower() in pages[0].lower()
    assert pages[1].startswith("Contents")
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))
    assert "Mødemateriale" not in " ".join(pages) and "Side 1" not in " ".join(pages)
    assert structure(path)[0]["/Lang"] == "en"


def test_the_map_is_drawn_in_the_pack_from_the_sites_own_boundaries(demo_build):
    """The map's spec leaves its boundaries to the browser (assets/sammenligning/kommuner.js); the pack reads
    them from the site, so the map is drawn on paper too: one shape per municipality."""
    from lisite import charts
    from lisite.pdf import with_site_data

    folder = demo_build / "_site" / "udvalg"
    specs = charts.page_specs(folder / "rapporter" / "sammenligning" / "indsatser-anbragte_pr_1000.html")
    maps = [spec for spec in specs if charts.browser_data(spec)]
    assert maps, "no map on the comparison page"
    filled = with_site_data(maps[0], folder)
    assert filled["datasets"]["kommuner"]["type"] == "Topology"
    svg = charts.SvgRenderer(demo_build.parent / "svg", "da").render(filled)
    assert svg.count("<path") >= 98
