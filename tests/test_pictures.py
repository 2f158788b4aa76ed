"""Pictures in the content texts (lisite.pictures): copied into each audience's site that shows them, addressed from
the page they stand on, and a picture that cannot be shown stops the build with a message naming it."""

from __future__ import annotations

import posixpath
import re
import zlib
from urllib.parse import unquote

import pytest

from lisite.build import build
from lisite.context import Content
from lisite.errors import LisiteError

TEXT_PLUGIN = '''
import lisite

@lisite.hookimpl
def lisite_pages(audience, ctx):
    return [lisite.Page("om/tekst.html", "Om området", [lisite.Markdown(source="om/tekst.md")], section="Om")]
'''


def png(red: int) -> bytes:
    """A 2×1 PNG (its colour tells two versions apart)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    rows = b"\x00" + bytes([red, 0, 0] * 2)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", (2).to_bytes(4, "big") + (1).to_bytes(4, "big") + bytes([8, 2, 0, 0, 0]))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def site_with(make_site, text: str):
    site = make_site({"plugins/tekst.py": TEXT_PLUGIN, "content/om/tekst.md": text})
    (site / "content" / "om" / "billeder").mkdir(parents=True, exist_ok=True)
    (site / "content" / "om" / "billeder" / "organisation.png").write_bytes(png(200))
    (site / "content" / "om" / "billeder" / "udkast.png").write_bytes(png(100))  # in content/, shown nowhere
    (site / "content" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', encoding="utf-8")
    return site


def test_a_picture_is_copied_into_each_site_that_shows_it_and_addressed_from_the_page(make_site):
    site = site_with(make_site, "# Om området\n\nSådan er vi organiseret:\n\n![Organisationen](billeder/organisation.png)\n\n"
                                "![Kommunens logo](/logo.svg) og ![en prik](data:image/gif;base64,R0lGODlhAQABAAAAACw=)\n\n"
                                "![Kortet](<billeder/kort over området.png>)\n")
    (site / "content" / "om" / "billeder" / "kort over området.png").write_bytes(png(50))
    report = build(site)
    assert set(report.pages) == {"udvalg", "ledere"}
    for audience in report.pages:
        folder = site / "_site" / audience
        page = (folder / "om" / "tekst.html").read_text(encoding="utf-8")
        sources = re.findall(r'<img src="([^"]+)"', page)
        assert sources[:2] == ["../assets/indhold/om/billeder/organisation.png", "../assets/indhold/logo.svg"]
        assert sources[2].startswith("data:image/gif")  # in the page itself: left as it is
        assert sources[3] == "../assets/indhold/om/billeder/kort%20over%20omr%C3%A5det.png"  # a space and an å, as an address
        for src in [*sources[:2], sources[3]]:  # each address leads to the copy, from the page's own folder
            assert (folder / posixpath.normpath(posixpath.join("om", unquote(src)))).is_file()
        assert (folder / "assets" / "indhold" / "om" / "billeder" / "organisation.png").read_bytes() == png(200)
        assert "lisite-indhold" not in page
        copied = sorted(p.relative_to(folder / "assets" / "indhold").as_posix() for p in (folder / "assets" / "indhold").rglob("*") if p.is_file())
        assert copied == ["logo.svg", "om/billeder/kort over området.png", "om/billeder/organisation.png"]  # what the pages show, not the rest of content/


@pytest.mark.parametrize(("src", "words"), [
    ("billeder/mangler.png", "Billedet content/om/billeder/mangler.png på siden 'om/tekst.html' findes ikke"),
    ("https://example.org/logo.png", "ligger på et andet site; sitet henter intet udefra"),
    ("../../hemmelig.png", "ligger uden for mappen content/"),
    ("billeder/noter.txt", "er ikke et billede, sitet kan vise"),
])
def test_a_picture_that_cannot_be_shown_stops_the_build_and_keeps_the_last_site(make_site, src, words):
    site = site_with(make_site, "Tekst.\n\n![Organisationen](billeder/organisation.png)\n")
    build(site)
    before = (site / "_site" / "udvalg" / "om" / "tekst.html").read_bytes()
    (site / "content" / "om" / "tekst.md").write_text(f"Tekst.\n\n![Et billede]({src})\n", encoding="utf-8")
    with pytest.raises(LisiteError, match=re.escape(words)):
        build(site)
    assert (site / "_site" / "udvalg" / "om" / "tekst.html").read_bytes() == before


def test_a_picture_saved_again_makes_what_read_it_again(tmp_path):
    """lisite serve keeps what a build made while the texts it read are the same: a picture is one of them, by its hash."""
    (tmp_path / "om").mkdir()
    picture = tmp_path / "om" / "kort.png"
    picture.write_bytes(png(10))
    content = Content([tmp_path], "da")
    content.reads = {}
    assert content.binary("om/kort.png") == png(10) and content.binary("om/ingen.png") is None
    reads, content.reads = content.reads, None
    assert content.unchanged(reads)
    picture.write_bytes(png(20))
    assert not content.unchanged(reads)
    picture.unlink()
    assert not content.unchanged(reads)


def test_a_picture_saved_again_reaches_the_next_lisite_build(make_site):
    """``lisite build`` reads back an audience whose texts are unchanged; a picture it showed is one of its texts."""
    site = site_with(make_site, "![Organisationen](billeder/organisation.png)\n")
    build(site)
    copied = site / "_site" / "udvalg" / "assets" / "indhold" / "om" / "billeder" / "organisation.png"
    assert copied.read_bytes() == png(200)
    (site / "content" / "om" / "billeder" / "udkast.png").write_bytes(png(50))  # shown nowhere: nothing to make
    build(site)
    assert copied.read_bytes() == png(200)
    (site / "content" / "om" / "billeder" / "organisation.png").write_bytes(png(60))
    build(site)
    assert copied.read_bytes() == png(60)
    assert (site / "_site" / "ledere" / "assets" / "indhold" / "om" / "billeder" / "organisation.png").read_bytes() == png(60)


def test_an_english_site_is_told_in_english(make_site):
    """The errors about texts and pictures come from the catalogue in the site's language."""
    from conftest import tiny_config

    english = tiny_config().replace('[site]\ntitle = "Testsite"', '[site]\ntitle = "Testsite"\nlanguage = "en"')
    site = make_site({"plugins/tekst.py": TEXT_PLUGIN, "content/en/om/tekst.md": "Text.\n\n![A map](kort.png)\n"}, config=english)
    with pytest.raises(LisiteError, match=re.escape("The picture content/om/kort.png on the page 'om/tekst.html' does not exist")):
        build(site)
    (site / "content" / "en" / "om" / "tekst.md").write_bytes(b"Text with \xe6 in Latin-1.\n")
    with pytest.raises(LisiteError, match=re.escape("content/om/tekst.md: the file is not saved as UTF-8 (the character 0xE6 on line 1)")):
        build(site)


def test_lisite_check_names_each_picture_that_cannot_be_shown_with_its_text_and_line(make_site):
    """lisite check lists every problem at once, before a build: a picture that is missing, lies on another site or
    outside content/ is an error naming the text and the line it is written on (after the front matter, too)."""
    from lisite.check import check

    site = site_with(make_site, "Tekst.\n\n![Organisationen](billeder/organisation.png)\n\n![Kortet](billeder/kort.png)\n")
    (site / "content" / "indikatorer").mkdir()
    (site / "content" / "indikatorer" / "tiny.antal.md").write_text(
        '+++\ntitle = "Antal"\n+++\nForbehold.\n\n![Logo](https://example.org/logo.png)\n', encoding="utf-8")
    found = [p for p in check(site) if "Billedet" in p.message]
    assert [(p.severity, p.file) for p in found] == [("error", "content/indikatorer/tiny.antal.md"), ("error", "content/om/tekst.md")]
    assert "Billedet 'https://example.org/logo.png' i linje 6 ligger på et andet site" in found[0].message
    assert str(found[1]).startswith("content/om/tekst.md: Billedet content/om/billeder/kort.png i linje 5 findes ikke")
    (site / "content" / "om" / "billeder" / "kort.png").symlink_to(site / "lisite.toml")  # leads outside content/
    found = [p for p in check(site) if "content/om/tekst.md" == p.file]
    assert len(found) == 1 and "i linje 5: Indholdsstien 'om/billeder/kort.png' peger uden for mappen content/" in found[0].message
    (site / "content" / "om" / "billeder" / "kort.png").unlink()
    (site / "content" / "om" / "billeder" / "kort.png").write_bytes(png(1))
    (site / "content" / "indikatorer" / "tiny.antal.md").write_text('+++\ntitle = "Antal"\n+++\nForbehold.\n', encoding="utf-8")
    assert [p for p in check(site) if "Billedet" in p.message] == []
