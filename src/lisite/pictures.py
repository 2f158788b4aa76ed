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
from urllib.parse import quote, unquote, urlsplit

from lisite.errors import BuildError

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


def placed(page: bytes, root: str, path: str, content, t) -> tuple[bytes, dict[str, bytes]]:
    """The page's HTML with each picture's address relative to the page (``root``: the way up to the audience's
    folder), and the pictures it shows by their place in the site, read from ``content`` (:class:`lisite.context.Content`).
    An error names a picture that cannot be shown (``path``: the page's path)."""
    if b'src="lisite-' not in page:
        return page, {}
    text = page.decode("utf-8")
    files: dict[str, bytes] = {}

    def one(match: re.Match) -> str:
        name = html.unescape(match.group(2))
        if match.group(1) == "lisite-udefra":
            raise BuildError(t("content.picture_outside_site", src=name, page=path))
        if name.startswith("../") or name == "..":
            raise BuildError(t("content.picture_outside", src=name, page=path))
        if not name.lower().endswith(KINDS):
            raise BuildError(t("content.picture_kind", src=name, page=path, kinds=", ".join(KINDS)))
        data = content.binary(name) if content is not None else None
        if data is None:
            raise BuildError(t("content.picture_missing", src=name, page=path))
        files[FOLDER + name] = data
        return f'src="{html.escape(root + FOLDER + quote(name), quote=True)}"'  # a space or an æ in the name too

    return FOUND.sub(one, text).encode("utf-8"), files
