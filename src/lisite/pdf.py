"""The PDF meeting pack: one audience's whole site as one PDF to print or send with a meeting's papers.

``lisite pdf --audience udvalg`` builds the audience's site to a temporary folder (so the pack always
shows the current data, checked like the site), reads its pages in menu order (:mod:`lisite.pdfpages`)
and lays them out with WeasyPrint, which implements CSS for paged media: a cover, a contents page whose
page numbers WeasyPrint fills in (``target-counter``), page numbers on every page, and figures kept on
one page (``break-inside: avoid``). Charts are drawn from their Vega-Lite specs as SVG, which WeasyPrint
keeps as vector graphics. WeasyPrint was chosen over printing with Chromium because a browser's print
cannot number the contents; it is an optional dependency (``pip install "lisite[pdf]"``).

Offline: WeasyPrint may read only files inside the built audience folder and ``data:`` URLs
(:func:`site_only_fetcher`); any other address is refused and named in the error.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
from pathlib import Path
from typing import Any, Callable, Sequence

from lisite import charts, fmt, pdfpages
from lisite.i18n import Translator
from lisite.errors import BuildError, ConfigError, LisiteError

#: The pack's one font, for its text and its charts alike: Vega measures each label in the font it is
#: drawn in, so no label runs past a chart's edge ("Sammenligningskommunerne: 14" for 141,9).
FONT = "DejaVu Sans"
#: The pack is a tagged PDF/UA-1 document: its headings, lists, tables and figures (each chart with its text) are
#: marked for screen readers, with the document's language and title (the pack goes with a meeting's public agenda,
#: and the Danish accessibility act asks that what a municipality publishes be accessible).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class MissingEngine(LisiteError):
    """WeasyPrint (or the Pango library it draws text with) is not installed."""


def load_weasyprint(lang: str = "da") -> Any:
    """The ``weasyprint`` module, or a clear error (in ``lang``) saying how to install it."""
    try:
        import weasyprint
        logging.getLogger("weasyprint").addHandler(logging.NullHandler())  # its notes on CSS it skips are not for the reader
    except (ImportError, OSError) as exc:  # OSError: the package is there, the Pango library is not
        raise MissingEngine(Translator(lang)("pdf.no_engine", error=f"{type(exc).__name__}: {exc}")) from None
    return weasyprint


def pack_audience(config: Any, wanted: str | None) -> str:
    """The audience to pack: ``--audience``, else ``[pdf] audience`` in lisite.toml; it must exist."""
    audience = wanted or config.pdf_audience
    t = Translator(config.language)
    if not audience:
        raise ConfigError(t("pdf.choose_audience", known=", ".join(config.audiences)))
    if audience not in config.audiences:
        raise ConfigError(t("build.unknown_audience", unknown=audience, known=", ".join(config.audiences)))
    return audience


def make_pdf(site_dir: Path | str = ".", audience: str | None = None, output: Path | None = None,
             progress: Callable[[str], None] | None = None, today: datetime.date | None = None,
             pages: Sequence[str] = ()) -> Path:
    """Build ``audience``'s site and write its meeting pack; returns the PDF's path.

    ``output`` defaults to ``[pdf] output`` in lisite.toml, else ``<audience>.pdf`` in the site folder. ``pages``
    (patterns of the pages' paths, as an audience's ``pages``) chooses the pages the pack holds; without them,
    ``[pdf] pages`` in lisite.toml, and without those every page of the audience.
    """
    from lisite.build import build
    from lisite.config import load_config

    step = progress or (lambda name: None)
    config = load_config(site_dir)
    audience = pack_audience(config, audience)
    weasyprint = load_weasyprint(config.language)  # before the build: a missing engine is said at once
    target = Path(output) if output else config.site_dir / (config.pdf_output or f"{audience}.pdf")
    with tempfile.TemporaryDirectory(prefix="lisite-pdf-") as tmp:
        step("build")
        report = build(config.site_dir, audiences=[audience], output_dir=Path(tmp) / "site")
        folder = report.output_dir / audience
        step("pages")
        chosen, given_by = (pages, "--page") if pages else (config.pdf_pages, "[pdf] pages")
        document = pack_html(report.config, audience, folder, today or datetime.date.today(), chosen, given_by)
        step("pdf")
        fetcher = site_only_fetcher(folder)
        pdf = weasyprint.HTML(string=document, base_url=folder.as_uri() + "/", url_fetcher=fetcher).write_pdf(**PDF_OPTIONS)
        if fetcher.refused:
            raise BuildError(Translator(config.language)("pdf.refused", urls=", ".join(fetcher.refused)))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)
    return target


def pack_html(config: Any, audience: str, folder: Path, today: datetime.date, chosen: Sequence[str] = (),
              given_by: str = "[pdf] pages") -> str:
    """The whole pack as one HTML document: cover, contents, then the site's pages in menu order: those the patterns
    ``chosen`` match (every page when there are none; a pattern no page matches is an error naming ``given_by``)."""
    from lisite.plugins import make_plugin_manager
    from lisite.render import make_env
    from lisite.resources import cache_dir

    pm = make_plugin_manager(config.site_dir, config.disabled_plugins, config.plugin_paths, lang=config.language)
    t = Translator(config.language, [*pm.folders("locales"), config.site_dir / "locales"])
    renderer = charts.SvgRenderer(cache_dir() / "svg", config.language)
    every = pdfpages.site_menu(folder)
    unmatched = [pattern for pattern in chosen if not any(pdfpages.matches(page, pattern) for page in every)]
    if unmatched:
        raise ConfigError(t("pdf.no_such_page", patterns=", ".join(f'"{p}"' for p in unmatched), given_by=given_by,
                            audience=config.audiences[audience].title, known=", ".join(page.path for page in every)))
    pages = pdfpages.read_pages(folder, [page for page in every if pdfpages.chosen(page, chosen)])
    anchors = {page.path: page.anchor for page, _ in pages}

    def draw(spec: dict[str, Any]) -> str:
        spec = with_site_data(spec, folder)
        return renderer.render({**spec, "config": {**spec.get("config", {}), "font": FONT}})

    bodies = [(page, pdfpages.for_print(content, page, anchors, draw)) for page, content in pages]
    lang = config.language
    variables = {
        "t": t,
        "lang": lang,
        "site": {"title": config.title, "municipality": config.municipality_name, "synthetic": config.synthetic},
        "audience": config.audiences[audience],
        "period": fmt.period(config.period, lang),
        "made": fmt.date(today.isoformat(), lang),
        "pages": bodies,
        "site_pages": len(every),
        "sections": sections([page for page, _ in bodies]),
        "css_words": {key: css_string(t(f"pdf.{key}")) for key in ("page", "of")},
        "font": css_string(FONT),
        "running": css_string(f"{t('municipality_name', name=config.municipality_name)} · {config.audiences[audience].title}"),
    }
    env = make_env(config, pm.folders("templates"))
    return env.get_template("pdf.html").render(variables)


def with_site_data(spec: dict[str, Any], folder: Path) -> dict[str, Any]:
    """``spec`` with the datasets it leaves to the browser (:func:`lisite.charts.browser_data`, e.g. the map's
    boundaries) read from the site's own script, ``window.lisiteData.<name> = {...};``, so it can be drawn here."""
    needed = charts.browser_data(spec)
    if not needed:
        return spec
    datasets = dict(spec.get("datasets") or {})
    for name, path in needed.items():
        datasets[name] = charts.browser_dataset((folder / "assets" / path).read_text(encoding="utf-8"), name)
    return {**spec, "datasets": datasets}


def sections(pages: list[pdfpages.PackPage]) -> list[dict[str, Any]]:
    """The pack's pages grouped under their menu headings, in order (for the contents)."""
    grouped: list[dict[str, Any]] = []
    for page in pages:
        if not grouped or grouped[-1]["title"] != page.section:
            grouped.append({"title": page.section, "pages": []})
        grouped[-1]["pages"].append(page)
    return grouped


def css_string(words: str) -> Any:
    """``words`` as a quoted CSS string, safe inside a ``<style>`` element."""
    from markupsafe import Markup

    escaped = words.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")
    return Markup(f'"{escaped}"')


def site_only_fetcher(root: Path) -> Any:
    """A WeasyPrint URL fetcher that reads files inside ``root`` and ``data:`` URLs, and refuses anything else."""
    weasyprint = load_weasyprint()  # loaded already (make_pdf), so no error to word
    base = weasyprint.urls.URLFetcher
    root = root.resolve()

    class Fetcher(base):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?")[0].split("#")[0].removeprefix("file:"))).resolve()
                if path.is_relative_to(root) and path.is_file():
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"lisite's PDF reads only files inside the site, not {url}")

    return Fetcher()
