"""Pictures in the content texts: ``![Organisationen](billeder/organisation.png)`` in a text under ``content/``.

A picture's address is read as Markdown reads it, relative to the text that shows it (a text lisite or a
plugin writes itself, not from a file, from ``content/``), and the picture must be a PNG, JPEG, GIF, WebP or
SVG file inside ``content/`` (the site's, or lisite's own texts). Each audience's site whose pages show it gets
a copy under ``assets/indhold/`` with the picture's path in ``content/``: the site keeps working from a folder,
offline, and with the pages' Content-Security-Policy, which allows pictures from the site itself only. The
leak check reads a copied SVG picture like any page.

While Markdown becomes HTML the page it will stand on is not known, so a picture's address is written
``lisite-indhold:<path>`` (:data:`PREFIX`); :func:`placed` makes it the page's own relative address and
names the pictures to copy (``t``: the site's catalogue, for the words of an error). A picture that is not there, lies outside ``content/``, is of another kind, or
lies on another site (a page that fetches from elsewhere is not offline) stops the build with a message
naming it and the page, so no committee member sees a broken picture.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from lisite.errors import BuildError, LisiteError
from lisite.i18n import LANGUAGES
from lisite.model import Problem

PREFIX = "lisite-indhold:"
OUTSIDE = "lisite-udefra:"  # a picture on another site: named by placed()
FOLDER = "assets/indhold/"
KINDS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
FOUND = re.compile(r'src="(lisite-indhold|lisite-udefra):([^"]*)"')


def address(src: str, base: str) -> str:
    """The address a picture gets in the HTML (see the module's doc): ``data:`` pictures and addresses inside the
    page (``#...``) as they are, a relative one as its path in ``content/`` (from ``base``, the folder of the text)."""
    parts = urlsplit(src)
    if parts.scheme == "data" or src.startswith("#") or not src:
        return src
    if parts.scheme or parts.netloc:
        return OUTSIDE + src
    if src.startswith("/"):  # from content/ itself
        base = ""
    return PREFIX + posixpath.normpath(posixpath.join(base, unquote(parts.path.lstrip("/"))))


def fault(shown: str) -> str | None:
    """The catalogue key of what keeps a picture's address (as :func:`address` writes it) from being one lisite copies:
    on another site, outside ``content/``, or of another kind; ``None`` when only its file is left to find."""
    if shown.startswith(OUTSIDE):
        return "content.picture_outside_site"
    name = shown.removeprefix(PREFIX)
    if name.startswith("../") or name == "..":
        return "content.picture_outside"
    if not name.lower().endswith(KINDS):
        return "content.picture_kind"
    return None


def placed(page: bytes, root: str, path: str, content, t) -> tuple[bytes, dict[str, bytes]]:
    """The page's HTML with each picture's address relative to the page (``root``: the way up to the audience's
    folder), and the pictures it shows by their place in the site, read from ``content`` (:class:`lisite.context.Content`).
    An error names a picture that cannot be shown (``path``: the page's path)."""
    if b'src="lisite-' not in page:
        return page, {}
    text = page.decode("utf-8")
    files: dict[str, bytes] = {}

    def one(match: re.Match) -> str:
        shown = f"{match.group(1)}:{html.unescape(match.group(2))}"
        wrong = fault(shown)
        name = shown.split(":", 1)[1]
        data = None if wrong else content.binary(name) if content is not None else None
        if data is None:
            where = t("content.picture_on_page", page=path)
            raise BuildError(t(wrong or "content.picture_missing", src=name, where=where, kinds=", ".join(KINDS)))
        files[FOLDER + name] = data
        return f'src="{html.escape(root + FOLDER + quote(name), quote=True)}"'  # a space or an æ in the name too

    return FOUND.sub(one, text).encode("utf-8"), files


def problems(folder: Path, lang: str, t) -> list[Problem]:
    """Each picture a text in ``folder`` (the site's ``content/``, also its language folders) shows that cannot be shown,
    with the text's file and line: ``lisite check`` names them before a build would stop on one."""
    from lisite.context import Content, split_front
    from lisite.render import MD

    found = []
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        name = path.relative_to(folder).as_posix()
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        try:
            body = split_front(text, name, lang)[1]
        except LisiteError:
            continue  # named by the build, with the words for it
        skipped = text.count("\n", 0, len(text) - len(body))  # the front matter's lines
        language = name.split("/", 1)[0] if "/" in name and name.split("/", 1)[0] in LANGUAGES else ""
        base = posixpath.dirname(name.removeprefix(language + "/") if language else name)
        lines = body.splitlines()
        for token in MD.parse(body):
            for child in token.children or ():
                if child.type != "image":
                    continue
                src = child.attrGet("src") or ""
                shown = address(src, base)
                if not shown.startswith((PREFIX, OUTSIDE)):
                    continue  # in the page itself (data:, #...)
                where = t("content.picture_in_text", line=skipped + _line(lines, token.map, src))  # the problem names the text
                picture = shown.split(":", 1)[1]
                wrong = fault(shown)
                if wrong:  # outside: as it is written in the text
                    wrong = t(wrong, src=picture if wrong == "content.picture_kind" else src, where=where, kinds=", ".join(KINDS))
                else:
                    try:
                        if Content([folder], language or lang).path(picture) is None:
                            wrong = t("content.picture_missing", src=picture, where=where)
                    except LisiteError as exc:  # a link that leads outside content/
                        wrong = f"{where}: {exc.format_message()}"
                if wrong:
                    found.append(Problem(wrong, file=f"content/{name}"))
    return found


def _line(lines: list[str], block: list[int] | None, src: str) -> int:
    """The line (1-based) of the block that holds the picture's address, else the block's first."""
    start, end = block or (0, 0)
    for number in range(start, min(end, len(lines))):
        if src in lines[number] or quote(src, safe="/:#") in lines[number]:
            return number + 1
    return start + 1
