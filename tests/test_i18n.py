"""One catalogue for every word a reader sees: the mechanism, both languages complete, and an English demo without Danish.

The English demo check (:func:`test_english_demo_has_no_danish`) reads the
visible text of every page: text nodes plus ``alt``, ``aria-label``,
``title`` and ``placeholder`` attributes, without scripts, styles, SVG and
JSON. A word is Danish when it contains æ, ø or å or is one of
:data:`DANISH_WORDS`. Allowed are the municipality's own data (whole string
values of the input datasets, e.g. team, area and municipality names, and their file names) and,
while a plugin is listed in :data:`PLUGINS_NOT_YET_TRANSLATED`, the words
that plugin still writes in Danish (its pages, indicator texts, dataset titles).

Pages made by a plugin in that list are checked only outside ``<main>``
(header, navigation, footer); the rest of such a page is reported, not
asserted. Every other page is checked whole. When a plugin takes its words
from the catalogue, remove it from the list; when the list is empty,
:func:`test_english_demo_all_pages` checks every page whole.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import lisite
from lisite import fmt
from lisite.build import build
from lisite.errors import ConfigError
from lisite.i18n import LANGUAGES, LOCALE_DIR, Translator, catalogue, localise_config, placeholders, read_folder
from lisite.render import markdown
from lisite.resources import builtin_plugins_dir, data_root
from lisite.testing import demo_site

#: Plugins whose reader-facing words are still Danish literals in Python (other helpers convert them).
#: Their pages are checked only outside <main>, and their indicator and page texts are tolerated elsewhere.
#: Remove a plugin when it takes its words from the catalogue; the lead empties the list.
PLUGINS_NOT_YET_TRANSLATED: tuple[str, ...] = ()

#: Plugins whose pages show other plugins' indicator views, charts included (the annual report, the element pages for
#: political and financial steering): the words drawn in those charts are the other plugins', so their charts are
#: checked only once every plugin is translated.
SHOWS_OTHER_PLUGINS_CHARTS: tuple[str, ...] = ("aarsrapport", "oekonomisk_styring", "politisk_styring")

#: Frequent Danish words that are not also English words ("for", "over", "under", "at", "men", "I" are both,
#: so they cannot tell the languages apart), and words of lisite's domain.
DANISH_WORDS = frozenset("""
og er med af til ikke det der som har en et den de fra eller ved hvor hvordan hvad hvilke hvis kan skal vil
blev bliver være været efter om også kun alle mere mindre flere samme ingen når denne dette disse sin sit sine
vores deres jeres jeg vi du dig dine egne egen uden inden mellem samt mod nu her sig ses vises viser ligger lige
gælder betyder altså derfor siden sidst hele landet vis tabel kilde periode værdi tæller nævner
barn børn sag sager sagen indsats indsatser indsatsen måned måneder år udvalg udvalget tal tallet tallene
kommune kommuner kommunen kommunens antal andel nøgletal anbragte anbringelse anbringelser underretning
underretninger undersøgelse undersøgelser sagsbehandler sagsbehandlere leder ledere direktion direktionen
forebyggende mål målet fordelt opdateres udtrukket endelige foreløbige gennemsnit procent kr mio pr kvt dage
uge uger steget faldet uændret nået forside indhold udskriv rapport rapporter temaer tema kerneelementer
kerneelement sammenligning økonomi udgift udgifter forbrug frist frister rettidige opfølgning område områder
målgruppe målgrupper resultater hver dagligt fiktive syntetiske rigtige lavet
""".split())
DANISH_LETTERS = re.compile("[æøåÆØÅ]")
WORD = re.compile(r"[^\W\d_]+")

#: Columns lisite derives from the data (lisite_prepare): their values are lisite's words, not the municipality's.
DERIVED_COLUMNS = frozenset({"indsatsgruppe", "anbringelsessted", "familiepleje"})

#: The pages lisite makes whatever the plugins: the root page, each audience's front page and the comparison report
#: with its page for each compared figure.
OWNED_PAGES = ("index.html", "*/index.html", "*/rapporter/sammenligning.html", "*/rapporter/sammenligning/*.html")

VISIBLE_ATTRIBUTES = ("alt", "aria-label", "title", "placeholder")
HIDDEN_ELEMENTS = {"script", "style", "svg", "template", "noscript"}


# --- the catalogue --------------------------------------------------------------------------------------


def locale_roots() -> list[Path]:
    """lisite's own catalogue, each built-in package plugin's, and the demo site's."""
    roots = [LOCALE_DIR]
    roots += sorted(p / "locales" for p in builtin_plugins_dir().rglob("*") if (p / "locales").is_dir())
    return roots


@pytest.mark.parametrize("root", locale_roots(), ids=lambda p: str(p.relative_to(data_root())) if p.is_relative_to(data_root()) else "lisite")
def test_every_key_is_in_both_languages_with_the_same_placeholders(root):
    found = {lang: read_folder(root / lang) for lang in LANGUAGES}
    da, en = found["da"], found["en"]
    assert da, f"{root}/da has no strings"
    assert sorted(set(da) - set(en)) == [], f"keys in {root}/da missing from en"
    assert sorted(set(en) - set(da)) == [], f"keys in {root}/en missing from da"
    differ = {key: (sorted(placeholders(da[key])), sorted(placeholders(en[key]))) for key in da
              if placeholders(da[key]) != placeholders(en[key])}
    assert differ == {}, f"placeholders differ between da and en: {differ}"


def test_a_plugins_catalogue_file_holds_only_its_own_keys():
    """``locales/<lang>/<plugin>.toml`` keys all start with ``<plugin>.``, so two plugins never share a key."""
    from lisite.i18n import read_file

    for lang in LANGUAGES:
        for path in sorted((LOCALE_DIR / lang).glob("*.toml")):
            if path.stem == "engine":
                continue
            strays = [key for key in read_file(path) if not key.startswith(path.stem + ".")]
            assert strays == [], f"{path}: keys without the prefix '{path.stem}.'"


def test_english_texts_have_no_danish():
    """The English catalogue itself is English (names of places aside)."""
    english = catalogue("en")
    found = {key: words for key, text in english.items() if (words := danish_words(text))}
    assert found == {}


def test_nested_tables_flatten_to_dotted_keys_and_folders_merge(tmp_path):
    site = tmp_path / "locales"
    (site / "en").mkdir(parents=True)
    (site / "en" / "site.toml").write_text('[indsatser]\npage_title = "Measures"\n[indsatser.columns]\nalder = "Age {n}"\n',
                                          encoding="utf-8")
    (site / "en" / "override.toml").write_text('menu = "Site menu"\n', encoding="utf-8")
    t = Translator("en", extra_dirs=[site])
    assert t("indsatser.page_title") == "Measures"
    assert t("indsatser.columns.alder", n=3) == "Age 3"
    assert t("menu") == "Site menu"  # the site overrides lisite's own word
    assert t("skip_to_content") == "Skip to content"  # and keeps every other
    assert Translator("en", extra_dirs=[site / "en"])("indsatser.page_title") == "Measures"  # the language folder itself
    assert "indsatser.page_title" not in Translator("da", extra_dirs=[site])  # Danish has no such folder here


def test_an_edited_catalogue_file_is_read_again(tmp_path):
    """``lisite serve`` builds with a new Translator each time: an edited site catalogue shows its new words."""
    words = tmp_path / "locales" / "en" / "site.toml"
    words.parent.mkdir(parents=True)
    words.write_text('menu = "Menu one"\n', encoding="utf-8")
    first = Translator("en", [tmp_path / "locales"])
    words.write_text('menu = "Menu two"\n', encoding="utf-8")
    os.utime(words, ns=(words.stat().st_mtime_ns + 10**9,) * 2)
    second = Translator("en", [tmp_path / "locales"])
    assert (first("menu"), second("menu")) == ("Menu one", "Menu two")
    assert first.fingerprint != second.fingerprint


def test_missing_key_names_the_key_and_the_language():
    with pytest.raises(KeyError) as info:
        Translator("en")("no_such.key")
    assert "no_such.key" in str(info.value) and "'en'" in str(info.value)
    with pytest.raises(KeyError) as info:
        Translator("da")("txt_latest", title="x")
    assert "txt_latest" in str(info.value)


def test_a_key_defined_twice_in_lisites_own_catalogue_is_an_error(tmp_path, monkeypatch):
    own = tmp_path / "da"
    own.mkdir()
    (own / "engine.toml").write_text('menu = "Menu"\n', encoding="utf-8")
    (own / "plugin.toml").write_text('menu = "Også menu"\n', encoding="utf-8")
    monkeypatch.setattr("lisite.i18n.LOCALE_DIR", tmp_path)
    with pytest.raises(ConfigError, match="'menu'.*engine.toml.*plugin.toml"):
        catalogue("da")


def test_unsupported_language_is_a_config_error():
    with pytest.raises(ConfigError, match="'fr'"):
        Translator("fr")


def test_numbers_follow_the_language():
    assert fmt.value(1234.5, "gns", "en") == "1,234.5" and fmt.value(1234.5, "gns", "da") == "1.234,5"
    assert fmt.value(12.34, "pct", "en") == "12.3%" and fmt.value(12.34, "pct", "da") == "12,3\u00a0%"
    assert fmt.value(12087, "kr", "en") == "DKK\u00a012,087" and fmt.value(12087, "kr", "da") == "12.087\u00a0kr."
    assert fmt.value(177_500_000, "mio_kr", "en") == "DKK\u00a0177.5\u00a0million"
    assert fmt.difference(2.5, "pct", "en") == "2.5\u00a0percentage\u00a0points"
    assert fmt.period("2026-09", "en") == "September 2026" and fmt.period("2026K3", "en") == "Q3 2026"
    assert fmt.period("2026K3", "da") == "3. kvt. 2026"
    assert fmt.join(["Aby", "Bby", "Cby"], "en") == "Aby, Bby and Cby" and fmt.join(["Aby", "Bby"], "da") == "Aby og Bby"
    assert fmt.unit_label("pr_1000", "en") == "per 1,000 children"


def test_dataset_words_come_from_the_catalogue(tmp_path):
    """Titles, descriptions and column descriptions of datasets in the site's language; without a key the spec's own."""
    from lisite.i18n import localise_datasets
    from lisite.model import Dataset

    spec = lisite.DatasetSpec("ydelser", "Indsatser (ydelser)", (lisite.Column("lovhjemmel", "str", description="Fx BL § 32"),
                                                                 lisite.Column("egen", "str", description="Sitets egen kolonne")))
    own = lisite.DatasetSpec("mine", "Mine tal", (lisite.Column("x", "str"),), description="Sitets eget datasæt")
    loaded = {"ydelser": Dataset(spec, pd.DataFrame(), "data/ydelser.csv"), "mine": Dataset(own, pd.DataFrame(), "data/mine.csv")}
    english = localise_datasets(loaded, Translator("en"))
    assert english["ydelser"].spec.title == "Measures (services)"
    assert [c.description for c in english["ydelser"].spec.columns] == ["E.g. BL § 32, stk. 1, nr. 3 or SEL § 52, stk. 3, nr. 7",
                                                                        "Sitets egen kolonne"]
    assert (english["mine"].spec.title, english["mine"].spec.description) == ("Mine tal", "Sitets eget datasæt")
    assert localise_datasets(loaded, Translator("da"))["ydelser"].spec.title == "Indsatser (ydelser)"
    assert loaded["ydelser"].spec is spec and english["ydelser"].frame is loaded["ydelser"].frame  # the loaded data unchanged
    site = tmp_path / "locales" / "en"
    site.mkdir(parents=True)
    (site / "site.toml").write_text('[datasets.title]\nmine = "My figures"\n', encoding="utf-8")
    assert localise_datasets(loaded, Translator("en", [tmp_path / "locales"]))["mine"].spec.title == "My figures"


def test_site_titles_come_from_the_sites_catalogue(tmp_path):
    from lisite.config import parse_config

    config = parse_config({"site": {"language": "en"}, "municipality": {"code": 479, "name": "Svendborg"},
                           "period": {"current": "2026-09"}, "audiences": {"udvalg": {"title": "Børne- og Ungeudvalget"}}}, tmp_path)
    (tmp_path / "locales" / "en").mkdir(parents=True)
    (tmp_path / "locales" / "en" / "site.toml").write_text('[audiences.udvalg]\ntitle = "The committee"\n', encoding="utf-8")
    local = localise_config(config, Translator("en", [tmp_path / "locales"]))
    assert local.audiences["udvalg"].title == "The committee"
    assert local.title == Translator("en")("site_title_default")  # the site kept lisite's default title
    assert localise_config(config, Translator("da")).audiences["udvalg"].title == "Børne- og Ungeudvalget"


# --- visible text -------------------------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """Text a reader sees or hears, each piece marked as inside ``<main>`` or not."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[bool, str]] = []
        self.hidden = 0
        self.main = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS:
            self.hidden += 1
            return
        if tag == "main":
            self.main += 1
        if not self.hidden:
            for name, value in attrs:
                if name in VISIBLE_ATTRIBUTES and value:
                    self.pieces.append((self.main > 0, value))

    def handle_startendtag(self, tag, attrs):
        if tag not in HIDDEN_ELEMENTS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "main":
            self.main = max(0, self.main - 1)

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.pieces.append((self.main > 0, data))


def visible_text(html: str, main: bool | None = None) -> list[str]:
    """Visible text pieces of a page; ``main=False`` only outside ``<main>``, ``True`` only inside."""
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return [text for inside, text in parser.pieces if main is None or inside == main]


def danish_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if DANISH_LETTERS.search(w) or w.lower() in DANISH_WORDS]


class Allowed:
    """Whole strings that may stay Danish: the municipality's own data, texts of plugins not yet translated."""

    def __init__(self, fragments) -> None:
        unique = {f.strip() for f in fragments if f and f.strip() and danish_words(f)}
        self.fragments = sorted(unique, key=len, reverse=True)
        self.lowered = [f.lower() for f in self.fragments]
        self.removed: dict[str, str] = {}  # the header, menu and footer of every page say the same: looked at once

    def remove(self, text: str) -> str:
        if text not in self.removed:
            self.removed[text] = self._remove(text)
        return self.removed[text]

    def _remove(self, text: str) -> str:
        low = text.lower()
        present = [re.escape(f) for f, lf in zip(self.fragments, self.lowered) if lf in low]
        if not present:
            return text
        return re.sub(r"(?<!\w)(?:" + "|".join(present) + r")(?!\w)", " ", text, flags=re.IGNORECASE)


def markdown_text(source: str | None) -> list[str]:
    """The visible pieces of a Markdown text (front matter between ``+++`` lines dropped)."""
    if not source:
        return []
    if source.startswith("+++"):
        source = source.split("+++", 2)[-1]
    return visible_text(markdown(source))


# --- the English demo ---------------------------------------------------------------------------------------


class Probe:
    """A plugin that records what the build shows, to tell the municipality's words and other plugins' from lisite's."""

    def __init__(self) -> None:
        self.data: dict[str, pd.DataFrame] = {}
        self.pages: dict[str, lisite.Page] = {}
        self.ctx = None

    @lisite.hookimpl
    def lisite_validate(self, data, config):
        self.data = dict(data)
        return []

    @lisite.hookimpl
    def lisite_template_context(self, page, audience, ctx):
        self.pages[f"{audience.id}/{page.path}"] = page
        return {}

    @lisite.hookimpl
    def lisite_build_finish(self, config, output_dir, ctx):
        self.ctx = ctx


@dataclass
class EnglishDemo:
    out: Path
    probe: Probe
    data_values: list[str] = field(default_factory=list)
    parsed: dict[str, list[tuple[bool, str]]] = field(default_factory=dict)

    def pieces(self, rel: str, main: bool | None) -> list[str]:
        """The visible text of a page (parsed once); ``main`` as in :func:`visible_text`."""
        if rel not in self.parsed:
            parser = VisibleText()
            parser.feed((self.out / rel).read_text(encoding="utf-8"))
            parser.close()
            self.parsed[rel] = parser.pieces
        return [text for inside, text in self.parsed[rel] if main is None or inside == main]

    def paths(self) -> list[str]:
        return sorted(p.relative_to(self.out).as_posix() for p in self.out.rglob("*.html"))


@pytest.fixture(scope="module")
def english_demo(tmp_path_factory) -> EnglishDemo:
    site = demo_site(tmp_path_factory.mktemp("english") / "site")
    config = site / "lisite.toml"
    config.write_text(re.sub(r'^language = "da"', 'language = "en"', config.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    assert 'language = "en"' in config.read_text(encoding="utf-8")
    probe = Probe()
    saved = os.environ.get("LISITE_WORKERS")
    os.environ["LISITE_WORKERS"] = "1"  # the probe must see every page, so no worker processes
    try:
        report = build(site, extra_plugins=[("i18n_probe", probe)])
    finally:
        if saved is None:
            os.environ.pop("LISITE_WORKERS", None)
        else:
            os.environ["LISITE_WORKERS"] = saved
    values = []
    for name, frame in probe.data.items():
        for column in frame.columns:
            if column in DERIVED_COLUMNS or not (frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])):
                continue
            values += [v for v in frame[column].dropna().unique() if isinstance(v, str)]
    values += [dataset.path for dataset in probe.ctx.datasets.values()]  # the site's own file names, e.g. resultater.csv
    values += [Path(dataset.path).name for dataset in probe.ctx.datasets.values()]  # also written without their folder
    values += [column.name for dataset in probe.ctx.datasets.values() for column in dataset.spec.columns]  # column ids
    return EnglishDemo(report.output_dir, probe, values)


def not_yet_translated(demo: EnglishDemo, plugins: tuple[str, ...]) -> list[str]:
    """The words plugins not yet translated put on pages: their page and indicator texts, dataset titles."""
    found: list[str] = []
    for page in demo.probe.pages.values():
        if page.plugin in plugins:
            found += [page.title, page.section, *markdown_text(page.intro)]
    ctx = demo.probe.ctx
    for ind in ctx.indicators.values():
        if ind.plugin in plugins:
            found += [ind.title, ind.definition, ind.source, ind.numerator, ind.denominator, getattr(ind, "collection", "")]
            found += markdown_text(ctx.content.get(f"indikatorer/{ind.id}.md"))
    if "datasets" in plugins:
        for dataset in ctx.datasets.values():
            found += [dataset.spec.title, dataset.spec.description]
    for theme in lisite.THEMES:
        if theme in plugins:  # a theme plugin's own text (content/temaer), which the annual report quotes too
            found += markdown_text(ctx.content.get(f"temaer/{theme}.md"))
    return found


def owned(path: str, demo: EnglishDemo, plugins: tuple[str, ...]) -> bool:
    """Is the whole page checked? Yes unless a plugin not yet translated made it."""
    page = demo.probe.pages.get(path)
    return page is None or page.plugin not in plugins


def danish_by_page(demo: EnglishDemo, plugins: tuple[str, ...] = PLUGINS_NOT_YET_TRANSLATED, whole: bool = False,
                   only: str | None = None) -> dict[str, list[str]]:
    """Danish words left per page (path under the output folder), after the allowed strings are taken out.

    A page made by one of ``plugins`` is checked outside ``<main>`` only, unless ``whole``.
    ``only``: just the pages that plugin made.
    """
    allowed = Allowed([*demo.data_values, *not_yet_translated(demo, plugins)])
    found = {}
    for rel in demo.paths():
        if only is not None and plugin_of(rel, demo) != only:
            continue
        main = None if whole or owned(rel, demo, plugins) else False
        words = [w for piece in demo.pieces(rel, main) for w in danish_words(allowed.remove(piece))]
        if words:
            found[rel] = words
    return found


def summary(found: dict[str, list[str]]) -> str:
    lines = []
    for page, words in found.items():
        counts = pd.Series(words).value_counts()
        lines.append(f"{page}: {len(words)} Danish words: " + ", ".join(f"{w} ({n})" for w, n in counts.head(15).items()))
    return "\n".join(lines)


def test_english_demo_has_no_danish(english_demo):
    """The root page, front pages, comparison report, navigation, header and footer of every page are English."""
    found = danish_by_page(english_demo)
    assert found == {}, "Danish in the English demo:\n" + summary(found)
    pages = {p.relative_to(english_demo.out).as_posix() for p in english_demo.out.rglob("*.html")}
    assert {"index.html", "udvalg/index.html", "udvalg/rapporter/sammenligning.html"} <= pages
    assert "Compared with other municipalities" in (english_demo.out / "udvalg/rapporter/sammenligning/indsatser-anbragte_pr_1000.html").read_text(encoding="utf-8")
    charted = (english_demo.out / "udvalg/temaer/administration.html").read_text(encoding="utf-8")
    assert '"decimal":"."' in charted and '"September"' in charted  # the live charts' Vega locale is English too


def plugin_of(path: str, demo: EnglishDemo) -> str:
    page = demo.probe.pages.get(path)
    return page.plugin if page is not None else "lisite"


def per_plugin(demo: EnglishDemo) -> dict[str, tuple[int, int, dict[str, list[str]]]]:
    """Per plugin not yet translated: (its pages with Danish, Danish words on them, the words per page).

    Each plugin's own pages are read whole; the words of the other plugins not yet translated are excused,
    so every count is that plugin's own.
    """
    out = {}
    for plugin in PLUGINS_NOT_YET_TRANSLATED:
        others = tuple(p for p in PLUGINS_NOT_YET_TRANSLATED if p != plugin)
        found = danish_by_page(demo, plugins=others, whole=True, only=plugin)
        out[plugin] = (len(found), sum(len(w) for w in found.values()), found)
    return out


def test_english_demo_report_of_pages_not_yet_translated(english_demo, capsys):
    """Prints what remains Danish in the English demo, per plugin not yet translated and per page.

    Asserts only that every plugin named in PLUGINS_NOT_YET_TRANSLATED exists, so the list cannot excuse a typo.
    """
    known = {p.stem for p in builtin_plugins_dir().rglob("*.py") if p.stem != "__init__"}
    known |= {p.parent.name for p in builtin_plugins_dir().rglob("__init__.py")}
    assert sorted(set(PLUGINS_NOT_YET_TRANSLATED) - known) == []
    report = per_plugin(english_demo)
    with capsys.disabled():
        print("\nDanish words remaining in the English demo, per plugin not yet translated (its own pages):")
        for plugin, (pages, count, _) in report.items():
            print(f"  {plugin}: {count} words on {pages} pages")
        for plugin, (_, _, found) in report.items():
            if found:
                print(summary(found))


@functools.cache
def english_renderer():
    """One renderer for every page (it keeps what it drew): a chart that several pages show is drawn once."""
    from lisite import charts

    return charts.SvgRenderer(None, "en")


def chart_text(html: str, audience_dir: Path) -> list[str]:
    """The words drawn in a page's charts (SVG ``<text>``): each spec drawn as the PDF pack draws it
    (the page holds no drawing; the browser draws the same spec with the same Vega-Lite)."""
    import html as html_module

    from lisite import charts
    from lisite.pdf import with_site_data

    renderer = english_renderer()
    svgs = [renderer.render(with_site_data(spec, audience_dir)) for spec in charts.specs_in(html, audience_dir)]
    return [html_module.unescape(t) for svg in svgs for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]


def test_english_charts_on_lisites_own_pages_have_no_danish(english_demo):
    """Axis titles, labels and chart titles on the pages checked whole are English too."""
    allowed = Allowed([*english_demo.data_values, *not_yet_translated(english_demo, PLUGINS_NOT_YET_TRANSLATED)])
    found = {}
    for rel in english_demo.paths():
        quotes_others = plugin_of(rel, english_demo) in SHOWS_OTHER_PLUGINS_CHARTS and PLUGINS_NOT_YET_TRANSLATED
        if owned(rel, english_demo, PLUGINS_NOT_YET_TRANSLATED) and not quotes_others:
            words = [w for text in chart_text((english_demo.out / rel).read_text(encoding="utf-8"), english_demo.out / rel.split("/")[0])
                     for w in danish_words(allowed.remove(text))]
            if words:
                found[rel] = words
    assert found == {}, "Danish in the charts of the English demo:\n" + summary(found)
    page = (english_demo.out / "udvalg/rapporter/sammenligning/indsatser-anbragte_pr_1000.html").read_text(encoding="utf-8")
    assert "Whole country" in " ".join(chart_text(page, english_demo.out / "udvalg"))


@pytest.mark.xfail(bool(PLUGINS_NOT_YET_TRANSLATED), strict=True,
                   reason="plugins in PLUGINS_NOT_YET_TRANSLATED still write Danish; empty the list when they are converted")
def test_english_demo_all_pages(english_demo):
    """Every page whole, with no plugin excused: passes once PLUGINS_NOT_YET_TRANSLATED is empty."""
    found = danish_by_page(english_demo, plugins=(), whole=True)
    assert found == {}, "Danish in the English demo:\n" + summary(found)
