"""Search: each audience's index holds its own pages' words and nothing else, is leak-checked, and works from a folder."""

from __future__ import annotations

import html as htmllib
import json
import re
import time
from pathlib import Path

import pytest

from lisite import search
from lisite.build import build
from lisite.errors import BuildError
from lisite.testing import builtin_plugin, load_plugin

from conftest import TINY_DATA, tiny_config
from test_leaks import tilsyn_site

leak = load_plugin(builtin_plugin("leakcheck"))
AUDIENCES = ("udvalg", "direktion", "ledere", "sagsbehandlere")
WORD = re.compile(r"[0-9A-Za-zÆØÅæøåÄÖÜäöüé][0-9A-Za-zÆØÅæøåÄÖÜäöüé_\-]*")

# One word only each audience's pages say, and a case id only the caseworkers' site may show.
CANARIES = {"municipality": "Spurveudvalgsord", "team": "Mejselederord", "case": "Solsortsagsord"}
CASE_CANARY = "S-KANARI-42"
CANARY_PLUGIN = f'''
import lisite

WORDS = {CANARIES!r}

@lisite.hookimpl
def lisite_pages(audience, ctx):
    pages = [lisite.Page("kanari.html", "Kanarie", [lisite.Markdown(text="Her står " + WORDS[audience.level] + ".")])]
    if audience.level == "case":
        cases = ctx.data["tal"][["sags_id", "team"]]
        pages.append(lisite.Page("sager.html", "Sager", [lisite.Table(cases, caption="Sager", person_level=True)]))
    return pages
'''
CASEWORKERS = '\n[audiences.sagsbehandlere]\ntitle = "Sagsbehandlere"\nlevel = "case"\nmin_count = 1\npages = ["kanari.html", "sager.html"]\n'


def index_of(audience_dir: Path) -> dict:
    text = (audience_dir / search.INDEX_PATH).read_text(encoding="utf-8")
    assert text.startswith("window.lisiteSearchIndex=") and text.endswith(";\n")
    return json.loads(text[len("window.lisiteSearchIndex="):-2])


def index_text(audience_dir: Path) -> str:
    return (audience_dir / search.INDEX_PATH).read_text(encoding="utf-8")


def canary_site(make_site) -> Path:
    data = TINY_DATA + f"2026-09;A;1;{CASE_CANARY}\n"
    return make_site({"plugins/kanari.py": CANARY_PLUGIN, "data/tal.csv": data}, config=tiny_config(CASEWORKERS))


def test_each_index_holds_its_own_audiences_canary_and_no_other(make_site):
    site = canary_site(make_site)
    build(site)
    out = site / "_site"
    owner = {"udvalg": "municipality", "ledere": "team", "sagsbehandlere": "case"}
    for audience, level in owner.items():
        text = index_text(out / audience)
        assert CANARIES[level] in text
        for other in set(CANARIES.values()) - {CANARIES[level]}:
            assert other not in text, (audience, other)
    assert CASE_CANARY in index_text(out / "sagsbehandlere")
    for audience in ("udvalg", "ledere"):
        assert CASE_CANARY not in index_text(out / audience)
        assert not any(CASE_CANARY in p.read_text(encoding="utf-8") for p in (out / audience).rglob("*.*")
                       if p.suffix in (".html", ".js"))
    # each index lists exactly the audience's own pages
    for audience in owner:
        pages = sorted(p.relative_to(out / audience).as_posix() for p in (out / audience).rglob("*.html"))
        assert [page["u"] for page in index_of(out / audience)["pages"]] == pages


def test_the_index_is_the_same_for_the_same_input(make_site):
    site = canary_site(make_site)
    build(site)
    first = {a: (site / "_site" / a / search.INDEX_PATH).read_bytes() for a in ("udvalg", "ledere", "sagsbehandlere")}
    build(site)
    assert first == {a: (site / "_site" / a / search.INDEX_PATH).read_bytes() for a in first}


def test_a_free_text_split_by_emphasis_fails_the_build_in_the_page_and_the_index(make_site):
    """Emphasis splits the planted text with tags on the page; the index holds it whole: both are scanned
    as a reader sees them."""
    site = tilsyn_site(make_site, ("municipality",), shown="(lambda f: f.replace('Emma', '*Emma*'))")
    with pytest.raises(BuildError) as failed:
        build(site)
    message = str(failed.value)
    assert "udvalg/assets/search-index.js" in message and "tilsyn.fund (fritekst)" in message
    assert "udvalg/fund.html" in message  # the page is read with its inline tags joined


def test_a_free_text_with_quotes_is_found_in_the_index():
    """JSON writes a quote as \\" in the index: the leak check reads the script's strings unescaped."""
    forbidden = {'mor sagde "nej" til emma': "tilsyn.fund (fritekst)"}
    index = search.index_script({"a.html": '<main><p>Mor sagde "nej" til Emma</p></main>'.encode()}, {"a.html": "A"})
    assert b'\\"nej\\"' in index
    assert leak.scan({search.INDEX_PATH: index}, forbidden) == [(search.INDEX_PATH, 'mor sagde "nej" til emma', "tilsyn.fund (fritekst)")]


def test_the_index_leaves_out_charts_tables_and_code_and_keeps_sections():
    page = ('<header><p>Hoved</p></header><main id="indhold"><h1>Side</h1><p>Indledning med <b>fed</b>skrift</p>'
            '<section id="x-y"><h2>Afsnit <em>et</em></h2><p>Tekst &amp; mere</p>'
            '<div class="chart"><div class="chart-static"><svg><text>Akse</text></svg></div>'
            '<script type="application/json">{"data": "Spec"}</script></div>'
            '<details class="numbers"><summary>Tal</summary><table><tr><td>Tabelcelle</td></tr></table></details>'
            '<p class="visually-hidden">Beskrivelse</p></section></main><footer>Fod</footer>')
    assert search.page_sections(page.encode()) == [["", "Side", "Indledning med fedskrift"], ["x-y", "Afsnit et", "Tekst & mere"]]


def parsed(page: str) -> list[list[str]]:
    """The sections as the HTML parser reads them (what :func:`search.read_plainly` must match)."""
    parser = search.PageText()
    parser.feed(search.without_bulk(page))
    parser.close()
    return parser.result()


@pytest.mark.parametrize("page", [
    '<main><h1 id="a" class="x">Titel &amp; <em>mere</em></h1><p>Et<br/>to<br>tre &lt;fire&gt; &#39;fem&#39;</p></main>',
    "<main><h2 id='b'>Enkelt citat</h2><p data-x=\"a>b\" class=toc>væk</p><p CLASS=\"Visually-Hidden\">bliver</p></main>",
    '<main><section id="s"><h2>Uden id</h2><p>tekst<img src="a.png" alt="x">efter</p></section><p>løs</main>',
    '<main><h1>Ufærdig</h1><p>tabel</td></span><h2 id="indhold">Indhold</h2>tekst</main>',
    '<main><div class="self numbers"><h2>væk</h2></div><h2   id = "c" >Rum</h2 ><p>a&nbsp;b &unknown; c</p></main>',
    # what the plain reading leaves to the parser: a comment, a lone <, a style, an unclosed tag
    '<main><!-- note --><h1>Kommentar</h1></main>', '<main><p>a < b</p></main>', '<main><style>p{}</style><p>s</p></main>',
    '<main><h1>Ikke lukket<p class="x"</main>',
])
def test_the_plain_reading_of_a_page_is_the_html_parsers(page):
    assert search.page_sections(page.encode()) == parsed(page)


def random_markup(rng) -> str:
    """A page of random, often broken, markup from the parts the plain reading treats apart: headings, void, inline and
    skipped elements, skipped classes, ids (one the main's own), stray and missing end tags, self-closing tags, entities."""
    tags = ["main", "h1", "h2", "h3", "p", "div", "section", "em", "b", "span", "a", "br", "img", "hr", "td", "tr", "table",
            "svg", "button", "details", "summary", "li"]
    parts = []
    for _ in range(rng.randint(1, 40)):
        tag = rng.choice(tags)
        roll = rng.random()
        if roll < 0.35:
            parts.append(f"</{tag.upper() if rng.random() < 0.1 else tag}>")
            continue
        attrs = ""
        if rng.random() < 0.4:
            attrs += f' id="{rng.choice(["indhold", "a", "b-c", ""])}"'
        if rng.random() < 0.3:
            attrs += f" class='{rng.choice(['numbers', 'x toc', 'self', 'Visually-Hidden', 'prose'])}'"
        if rng.random() < 0.1:
            attrs += ' data-x="a>b" hidden'
        parts.append(f"<{tag}{attrs}{' /' if rng.random() < 0.1 else ''}>")
        if rng.random() < 0.7:
            parts.append(rng.choice(["Tekst", " ord ", "a &amp; b", "&lt;x&gt;", "\n  mere\n", "&nbsp;", "Æble"]))
    return "".join(parts)


def test_the_plain_reading_of_random_markup_is_the_html_parsers():
    """The plain reading does the parser's handlers' work itself, in one loop: on thousands of random pages (of the
    markup it reads; the rest goes to the parser) its sections are the parser's."""
    import random

    rng = random.Random(2026)
    read = 0
    for _ in range(3000):
        page = random_markup(rng)
        start, end = page.find("<main"), page.rfind("</main>")
        main = page[start:end + len("</main>")] if 0 <= start < end else page  # as page_sections cuts it
        if search.UNUSUAL.search(search.without_bulk(main)):
            continue
        read += 1
        assert search.page_sections(page.encode()) == parsed(main), page
    assert read > 1000


NUMBER_CLASS = ' class="num"'


def random_table(rng) -> str:
    """A table's body as lisite writes it (rows of text cells, a number column's class), or nearly: a cell with markup,
    another attribute, a missing or mismatched end tag, capitals, entities, a skipped or heading context around it."""
    texts = ["S-114788", "Team Handicap", "1.234,5", "a &amp; b", "&lt;x&gt;", "&nbsp;", "", " ord ", "Æble", "x > y", "&amp"]
    near = ['<td><em>fed</em></td>', '<td class="x">c</td>', '<td id="a">c</td>', "<td>c", "<td>c</th>", "<TD>c</TD>",
            "<td>a<br>b</td>", '<td class="num" >c</td>', "<tr><td>c</td>", "</tr>", "<th scope=\"row\">c</th>"]
    rows = []
    for _ in range(rng.randint(0, 6)):
        cells = [f"<{cell}{rng.choice(['', NUMBER_CLASS])}>{rng.choice(texts)}</{cell}>"
                 for cell in (rng.choice(["td", "td", "th"]) for _ in range(rng.randint(0, 4)))]
        if rng.random() < 0.15:
            cells.insert(rng.randint(0, len(cells)), rng.choice(near))
        rows.append(rng.choice(["", "\n", "  "]) + "<tr>" + rng.choice(["", " "]).join(cells) + rng.choice(["", "\n"]) + "</tr>")
    body = "".join(rows) + rng.choice(["", "\n  "])
    around = rng.choice([("", ""), ('<div class="visually-hidden">', "</div>"), ("<h2>", "</h2>"), ("<button>", "</button>")])
    end = rng.choice(["</tbody>"] * 8 + ["</TBODY>", ""])
    return (f"<main><h1>Side</h1>{around[0]}<table><caption>Tabel</caption><thead><tr><th>A</th></tr></thead>"
            f"<tbody>{body}{end}</table>{around[1]}<p>Efter</p></main>")


def test_a_tables_rows_read_at_once_are_read_as_the_html_parser_reads_them():
    """Plain rows (search.PLAIN_ROWS) are read at once, anything else in a body tag by tag: either way as the parser does."""
    import random

    rng = random.Random(5)
    at_once = 0
    for _ in range(3000):
        page = random_table(rng)
        if search.UNUSUAL.search(page):
            continue
        at_once += search.PLAIN_ROWS.match(page, page.index("<tbody>") + len("<tbody>")) is not None
        assert search.page_sections(page.encode()) == parsed(page), page
    assert 1000 < at_once < 2900  # both ways, often


def test_every_demo_page_is_read_plainly_as_the_html_parser_reads_it(demo_build):
    pages = sorted((demo_build / "_site").rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        text = path.read_text(encoding="utf-8")
        main = search.without_bulk(text[text.find("<main"):text.rfind("</main>") + len("</main>")])
        assert not search.UNUSUAL.search(main), path  # lisite's own pages are read plainly
        assert search.page_sections(path.read_bytes()) == parsed(main), path


def test_the_search_box_speaks_the_sites_language(make_site):
    site = make_site(config=tiny_config().replace('title = "Testsite"', 'title = "Testsite"\nlanguage = "en"'))
    build(site)
    page = (site / "_site" / "udvalg" / "tal" / "antal.html").read_text(encoding="utf-8")
    assert 'placeholder="Search"' in page and 'data-many="{n} pages found."' in page and "Search this site" in page
    assert 'src="../assets/search.js"' in page and 'data-root="../"' in page


def test_demo_indexes_hold_only_their_own_pages_words(demo_build, capsys):
    """Every word of an audience's index is on that audience's pages; the caseworkers' case ids are in no other index.
    Prints the time and size of the indexes once: what search adds to a build."""
    out = demo_build / "_site"
    case_ids = set(re.findall(r"^(S-\d+);", (demo_build / "sample_data" / "sager.csv").read_text(encoding="utf-8"), re.M))
    shown = {word for word in WORD.findall(index_text(out / "sagsbehandlere")) if word in case_ids}
    assert len(shown) >= 5  # the caseworkers' own cases are searchable
    seconds, sizes = 0.0, {}
    for audience in AUDIENCES:
        folder = out / audience
        files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.html"))}
        page_words: set[str] = set()
        for data in files.values():
            text = htmllib.unescape(data.decode("utf-8"))
            page_words |= set(WORD.findall(text)) | set(WORD.findall(re.sub(r"<[^>]+>", "", text)))
        index_words = set(WORD.findall(json.dumps(index_of(folder)["pages"], ensure_ascii=False)))
        assert index_words - {"s", "t", "u"} <= page_words, (audience, sorted(index_words - page_words)[:10])
        if audience != "sagsbehandlere":
            assert not shown & index_words, audience
        started = time.perf_counter()
        again = search.index_script(files, {page["u"]: page["t"] for page in index_of(folder)["pages"]})
        seconds += time.perf_counter() - started
        assert again == (folder / search.INDEX_PATH).read_bytes()  # made from these pages alone
        sizes[audience] = len(again)
        assert len(again) < sum(map(len, files.values())) / 2
    with capsys.disabled():
        kb = ", ".join(f"{a} {n // 1024} KB" for a, n in sizes.items())
        print(f"\nsearch index for the demo: {seconds:.2f} s to make ({kb})")


@pytest.mark.browser
def test_typing_a_word_shows_results_from_a_folder_on_a_tablet(browser, demo_build):
    from test_browser import open_page

    folder = demo_build / "_site" / "udvalg"
    page, seen = open_page(browser, (folder / "index.html").as_uri(), width=820)
    page.focus("#search-q")
    page.keyboard.type("anbringelse")
    page.wait_for_selector("#search-results:not([hidden]) li", timeout=5000)
    titles = page.locator(".search-title").all_inner_texts()
    pages = {p["t"] for p in index_of(folder)["pages"]}
    assert titles and set(titles) <= pages
    assert "anbringelse" in page.locator(".search-snippet mark").first.inner_text().lower()
    assert re.fullmatch(r"\d+ sider fundet\.( De 10 bedste vises\.)?", page.inner_text("#search-status"))
    box = page.locator("#search-results").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 820  # the list fits a tablet's width
    # keyboard: down into the results, Enter opens the first, and it lies in this audience's site
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.href")
    assert first.startswith(folder.as_uri())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == first
    assert seen["errors"] == []
    assert all(url.startswith(folder.as_uri()) for url in seen["requests"]), seen["requests"]
    page.close()


@pytest.mark.browser
def test_escape_closes_the_results_and_nothing_found_is_said(browser, make_site):
    from test_browser import open_page

    site = make_site()
    build(site)
    page, seen = open_page(browser, (site / "_site" / "ledere" / "tal" / "antal.html").as_uri(), width=820)
    page.focus("#search-q")
    page.keyboard.type("zzqxw")
    page.wait_for_selector("#search-results:not([hidden])", timeout=5000)
    assert page.inner_text("#search-status") == "Ingen sider passer til søgningen."
    page.keyboard.press("Escape")
    assert page.locator("#search-results").is_hidden()
    assert page.evaluate("document.activeElement.id") == "search-q"
    page.keyboard.press("Enter")  # nothing is submitted anywhere (the policy allows no form action)
    assert page.url.endswith("tal/antal.html") and seen["errors"] == []
    page.close()
