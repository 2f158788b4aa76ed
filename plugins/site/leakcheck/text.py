"""What the leak check looks for in one text: forbidden identifiers, free text and CPR-like numbers.

:class:`Rules` compiles an audience's forbidden values once, so that a text that holds none of
them (nearly every file) passes with a few passes in C over it: its words are one set, tested
against the forbidden set at once, the phrases (values with a space in them) are found by one
regular expression that starts only at a space, and CPR numbers are looked for only in a text with
the digits of one. Only when one of these tests says "maybe" are the values looked at one by one,
exactly as before, so what is found, in what order, never depends on the shortcut.

A long text (the search index, which changes with every edited page) is read in pieces: cut at each
double quote, a piece's words, its folded text and whether it may hold a CPR number are kept by the
piece's own text (:class:`Pieces`), so the next version of the text is read only where it changed.
Nothing is lost at a cut: a quote is not part of a word, and no CPR number holds one (the patterns
match digits, dots, dashes, slashes and spaces, and a quote next to a match looks to them like any
other character that is not one of those); the folded pieces are joined as the whole text is folded,
and phrases and CPR numbers are then looked for in the whole text, as before.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

DATE6 = r"(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}"  # ddmmyy with a real day and month
DOTTED = r"(?:0[1-9]|[12]\d|3[01])\.(?:0[1-9]|1[0-2])\.\d{2}"  # dd.mm.yy
DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen, non-breaking hyphen, en and em dash, minus sign
SEP = f"[{DASHES}/ \u00a0]"  # between date and serial number: any dash, a slash or a space
CPR = re.compile(
    # ddmmyy-xxxx (any dash, slash or space) anywhere but inside a longer run of digits
    rf"(?<![\d{DASHES}]){DATE6}{SEP}\d{{4}}(?![\d{DASHES}])"
    # dd.mm.yy-xxxx, dd.mm.yyxxxx
    rf"|(?<![\d.]){DOTTED}[{DASHES}/]?\d{{4}}(?![\d{DASHES}])"
    # "cpr: 0102034521", "CPR-nr. 010203-4521": a prefix names it whatever the spelling
    rf"|(?<![A-Za-z])(?i:cpr)(?:[{DASHES}. ]*(?i:nr))?\.?\s*[:.]?\s*(?:{DATE6}|{DOTTED}){SEP}?\d{{4}}(?!\d)"
    # ddmmyyxxxx only as a word of its own in text (not a number in JSON or SVG data)
    rf"|(?<![\w.,:\[{DASHES}]){DATE6}\d{{4}}(?![\w.,\]}}{DASHES}])"
)
# The same matches, found faster: a match starts only where a day (0-3) or "cpr" starts, and holds the
# digits of a date and a serial number, which this finds without the rest (six digits, a separator and
# four; a dotted date and four; or ten digits in a row, no more): a text without them holds no match.
CPR_START = re.compile(r"(?=[0-3]|(?i:c))(?:" + CPR.pattern + ")")
CPR_DIGITS = re.compile(rf"\d(?:\d{{5}}{SEP}\d{{4}}|\d\.\d\d\.\d\d{SEP}?\d{{4}}|\d{{9}}(?!\d)(?<!\d{{11}}))")
TOKEN = re.compile(r"[0-9A-Za-zÆØÅæøåÄÖÜäöüé][0-9A-Za-zÆØÅæøåÄÖÜäöüé_\-]*")


def folded(text: str) -> str:
    """A text with any capitals and runs of whitespace made alike: how free text is compared."""
    return " ".join(text.split()).casefold()


class Forbidden(Mapping):
    """Each value of some columns (values, origin) with the origin of the first column that has it, in the order they
    come, then the values of ``outside`` with theirs (theirs wins), without one dict of every value. A large
    municipality's audience may not see half a million of them: their set is made in C here, and the origin of a
    value is looked up only for a value found (a hit) and for the phrases (:class:`Rules`)."""

    def __init__(self, columns: list[tuple[list[str], str]], outside: Mapping[str, str]) -> None:
        self.columns = columns
        self.outside = outside
        self.all = frozenset().union(*(values for values, _ in columns), outside)
        self.by_column: list[tuple[frozenset[str], str]] | None = None  # each column's values as a set: made for a hit

    def __contains__(self, value: object) -> bool:
        return value in self.all

    def __getitem__(self, value: str) -> str:
        if value in self.outside:
            return self.outside[value]
        if self.by_column is None:
            self.by_column = [(frozenset(values), origin) for values, origin in self.columns]
        for values, origin in self.by_column:
            if value in values:
                return origin
        raise KeyError(value)

    def __len__(self) -> int:
        return len(self.all)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([value for values, _ in self.columns for value in values] + list(self.outside)))

    def phrases(self) -> list[tuple[str, str]]:
        """(value, origin) of each value with a space in it, in the mapping's order."""
        found: dict[str, str] = {}
        for values, origin in self.columns:
            for value in [value for value in values if " " in value]:
                found.setdefault(value, origin)
        found.update((value, origin) for value, origin in self.outside.items() if " " in value)  # theirs wins, in place
        return list(found.items())


class Rules:
    """An audience's forbidden values (value → where it comes from), compiled for :func:`scan_text`.

    A value is found as a word (a token of the text, as written or with other capitals), and a value
    with a space in it also as a phrase anywhere in the folded text (:func:`folded`).
    """

    def __init__(self, forbidden: Mapping[str, str], cpr: str = "et CPR-lignende nummer") -> None:
        self.forbidden = forbidden
        self.cpr = cpr  # the origin a CPR-like number is reported with (the site's words)
        fast = isinstance(forbidden, Forbidden)
        self.words = forbidden.all if fast else frozenset(forbidden)
        self.phrases = [(phrase, origin, folded(phrase))
                        for phrase, origin in (forbidden.phrases() if fast else forbidden.items()) if " " in phrase]
        # the part of each phrase from its first space on: a phrase is in a text only where that part is
        rests = sorted({needle[needle.index(" "):] for _, _, needle in self.phrases if " " in needle})
        self.starts = starts(rests) if rests else None
        self.rests = rests
        self.spaceless = [needle for _, _, needle in self.phrases if " " not in needle]  # " x" or "x\ty": no space left
        self.quoted = [i for i, (_, _, needle) in enumerate(self.phrases) if CUT in needle]  # never inside one piece
        self.pieces = Kept()  # a piece's folded text → the phrases in it

    def word_hits(self, text: str, tokens: set[str] | frozenset[str] | None = None) -> list[tuple[str, str]]:
        tokens = set(TOKEN.findall(text)) if tokens is None else tokens
        if self.words.isdisjoint(tokens) and self.words.isdisjoint(map(str.casefold, tokens)):
            return []
        hits = []
        for token in sorted(tokens):
            if token in self.forbidden:
                hits.append((token, self.forbidden[token]))
            elif token.casefold() in self.forbidden:  # a one-word free text, with other capitals
                hits.append((token, self.forbidden[token.casefold()]))
        return hits

    def phrase_hits(self, text: str, flat: str | None = None, pieces: list[str] | None = None) -> list[tuple[str, str]]:
        """The phrases in the folded text; with ``pieces`` (the folded text's pieces, :meth:`Pieces.facts`) a phrase
        without a quote is looked for in each piece (kept by the piece's text), one with a quote in the whole text."""
        if not self.phrases:
            return []
        flat = folded(text) if flat is None else flat  # free text may be quoted with other capitals or line breaks
        if pieces is None:
            found = self.phrases_in(flat)
        else:
            found = {i for i in self.quoted if self.phrases[i][2] in flat}
            for piece in pieces:
                found |= self.pieces.get(piece, self.phrases_in)
        return [(phrase, origin) for i, (phrase, origin, _) in enumerate(self.phrases) if i in found]

    def phrases_in(self, flat: str) -> frozenset[int]:
        """The phrases (their places in ``self.phrases``) in a folded text."""
        spaces = [match.start() for match in self.starts.finditer(flat)] if self.starts else []
        begun = {rest for at in spaces for rest in self.rests if flat.startswith(rest, at)}
        maybe = begun or any(needle in flat for needle in self.spaceless)
        if not maybe:
            return frozenset()
        return frozenset(i for i, (_, _, needle) in enumerate(self.phrases)
                         if (" " not in needle or needle[needle.index(" "):] in begun) and needle in flat)


def starts(rests: list[str]) -> re.Pattern:
    """A pattern that matches each space where one of ``rests`` (each a space and what follows) begins."""
    try:
        return re.compile(" (?=" + alternatives([rest[1:] for rest in rests]) + ")")
    except (RecursionError, re.error, OverflowError):  # values nested too deep to compile: every space is a start
        return re.compile(" ")


def alternatives(needles: list[str]) -> str:
    """A regular expression that matches where any of ``needles`` begins (as a trie: one branch per
    letter, not one try per needle). A needle that another one begins with stands for both."""
    trie: dict = {}
    for needle in needles:
        node = trie
        for char in needle:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        if "" in node:
            return ""  # a needle ends here: any longer one is found where this one is
        parts = []
        for char, child in sorted(node.items()):
            run = re.escape(char)
            while len(child) == 1 and "" not in child:
                (char, child), = child.items()
                run += re.escape(char)
            parts.append(run + pattern(child))
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    return pattern(trie)


def scan_text(text: str, forbidden: dict[str, str], rules: Rules | None = None,
              cpr_text: str | None = None, parts: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """(value, origin) for each forbidden value or CPR-like number in one text.

    ``cpr_text``: the part of the text to look for CPR numbers in, when not all of it (a download's
    text cells, without the cells that are numbers: see :mod:`.reading`). ``parts``: the text is these, one a
    line (a workbook's parts): the words and the folded text of each part are kept by the part's text, as a long
    text's pieces are, and the phrases are looked for in the whole folded text, so what is found is the same.
    """
    rules = rules or Rules(forbidden)
    if not rules.forbidden:  # no identifier to look for (an audience that may see them all): CPR-like numbers alone
        hits, maybe = [], None
    elif len(text) >= PIECEWISE:
        tokens, flat, maybe, pieces = PIECES.facts(text)
        hits = rules.word_hits(text, tokens) + rules.phrase_hits(text, flat, pieces)
    elif parts is not None:  # no word spans a line, and the folded text is the parts' folded texts, a space apart
        facts = [PIECES.piece(part) for part in parts]
        tokens = set().union(*(words for words, *_ in facts))
        flat = " ".join(part_flat for _, part_flat, *_ in facts if part_flat)
        hits, maybe = rules.word_hits(text, tokens) + rules.phrase_hits(text, flat), None
    else:
        hits, maybe = rules.word_hits(text) + rules.phrase_hits(text), None
    cpr_text = text if cpr_text is None else cpr_text
    if (maybe if maybe is not None and cpr_text is text else CPR_DIGITS.search(cpr_text)):
        hits += [(match.group(0), rules.cpr) for match in CPR_START.finditer(cpr_text)]
    return hits


PIECEWISE = 1 << 16  # a text this long is read in pieces (a short one is read faster at once)
CUT = '"'


class Kept:
    """Values made from a text, kept by the text. Two generations of texts of at most ``keep`` characters in all:
    a text used in this one or the last one is found, older ones go (a build of a large site reads far more
    than an edit reads again)."""

    def __init__(self, keep: int = 1_000_000) -> None:
        self.keep = keep
        self.size = 0  # the characters of the texts in this generation
        self.new: dict[str, Any] = {}
        self.old: dict[str, Any] = {}

    def get(self, text: str, make: Callable[[str], Any]) -> Any:
        found = self.new.get(text)
        if found is None:
            found = self.old.get(text)
            if found is None:
                found = make(text)
            if self.size >= self.keep:
                self.old, self.new, self.size = self.new, {}, 0
            self.new[text] = found
            self.size += len(text)
        return found


class Pieces(Kept):
    """What :func:`scan_text` needs of a long text, from its pieces (see the module's docstring), each piece's part kept by its text."""

    def piece(self, text: str) -> tuple[tuple[str, ...], str, bool, bool, bool]:
        """(its words, its folded text without the whitespace at its ends, whitespace at its start, at its end, a possible CPR number)."""
        return self.get(text, lambda text: (tuple(map(sys.intern, set(TOKEN.findall(text)))), folded(text), text[:1].isspace(),
                                            text[-1:].isspace(), CPR_DIGITS.search(text) is not None))  # words shared: less memory

    def facts(self, text: str) -> tuple[set[str], str, bool, list[str]]:
        """(``set(TOKEN.findall(text))``, ``folded(text)``, whether ``CPR_DIGITS`` finds anything in ``text``, the
        folded pieces that are not empty: ``folded(text)`` is made of them, quotes and spaces)."""
        tokens: set[str] = set()
        parts: list[str] = []
        pieces: list[str] = []
        space = maybe = False  # space: whitespace since the last part, to become one space before the next
        for i, piece in enumerate(text.split(CUT)):
            if i:
                if space and parts:
                    parts.append(" ")
                parts.append(CUT)
                space = False
            words, flat, lead, trail, cpr = self.piece(piece)
            tokens.update(words)
            maybe = maybe or cpr
            space = space or lead
            if flat:
                if space and parts:
                    parts.append(" ")
                parts.append(flat)
                pieces.append(flat)
                space = trail
        return tokens, "".join(parts), maybe, pieces


PIECES = Pieces()
