"""The leak check: no audience's site may hold an identifier it must not see.

After each audience is rendered, and before anything is published, every
text file of its site, and the text of every Excel workbook in it (the
downloads: an XLSX file is a zip of XML parts), is scanned for the values of the person-level columns
of the input (case ids, caseworker ids, names: see ``Column.person_level``
and ``Column.level``) and of its free-text columns (``Column.free_text``:
case level only, matched with any capitals and whitespace) that the
audience's level does not allow, and for
anything shaped like a CPR number, which no audience may ever see. A text with %-escapes (an address:
``%C3%85se%20N%C3%B8rgaard.png``) is read as the address reads too, and the files' own names are scanned
like a text (a picture or a page named after a child). A hit fails
the build, so the previous site stays in place.

The archived reports of earlier periods (``arkiv/<period>/``, see ``lisite.history``) are part of
the audience's files and are checked again in every build, against the current data: they were
checked when first built, and a value that only the new data marks as person-level is still caught.
For an audience limited to part of the organisation they are checked against its level's values, not against the
identifiers that occur only outside its part now: a report of an earlier month was checked against the organisation
as it was then, and a caseworker who has moved to another team since was one of the team's when its leader saw her
(else every build after the move fails on last month's report, which can never be built again).
A file is scanned once for each set of rules: a file that passed the same forbidden values with the
same code before (the same style sheet, script or archived page for another audience or in an
earlier build) is known by its content hash and not scanned again (:mod:`.passed`), nor is a file that passed rules
forbidding these values and more (the committee's, for the leaders: :func:`wider_rules`). A file of an earlier report
that new rules must be checked against is checked from what was read of its report before, without reading it
again (:mod:`.earlier`). In a build's workers, a worker through with its own audiences checks the earlier reports of
the audiences the other worker makes ahead (``lisite_check_ahead``), and records the files that pass for their own
checks. What one scan looks for, and how it does so quickly, is in :mod:`.text`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import unquote

import lisite
from lisite import calc

from .earlier import Kept, passes, read, report_of
from .passed import CODE, Passed, joined_with, record, rules_digest
from .reading import reading, readings
from .text import Forbidden, Rules, scan_text

MIN_LENGTH = 3
NAMES = "(names)"  # where a hit in the files' names is reported (worded in the site's language: leakcheck.names)


def forbidden_rules(audience, ctx, archived: bool = False) -> tuple[dict[str, str], str, Rules]:
    """What this audience may not see: each identifier with a description of where it comes from; a digest of
    them with the check's code, which names the records of files that passed them (:mod:`.passed`); and the
    rules compiled for :func:`scan`. ``archived``: in its earlier reports (its level's values only; see above).

    Each person-level column's values are kept with the dataset they were read from: after an edit of one data
    file under ``lisite serve`` only its columns are read again. The digest is made from the columns' digests."""
    rank = lisite.LEVELS.index(audience.level)
    t = ctx.t  # the origins are worded in the site's language
    columns = []
    for name, dataset in sorted(ctx.datasets.items()):
        for column in dataset.spec.columns:
            if column.person_level and lisite.LEVELS.index(column.level) > rank and column.name in dataset.frame.columns:
                frame = dataset.frame  # kept by the column's own content: an edit of another column keeps it
                columns.append(ctx.kept(("leakcheck.column", t.lang, name, column.name, column.free_text, calc.column_key(frame, column.name)),
                                        lambda name=name, column=column, frame=frame: column_values(name, frame[column.name], column, t),
                                        shared=False))  # (made of the column's own strings: each worker makes its own)
    outside = {}
    if audience.filter and not archived:
        outside = ctx.kept(("leakcheck.outside", t.lang, audience.filter), lambda: outside_values(audience, ctx), shared=False)
    cpr = t("leakcheck.cpr")
    digest = hashlib.sha256(CODE.encode())
    digest.update(cpr.encode())
    for _, _, column_digest in columns:
        digest.update(column_digest.encode())
    digest.update(rules_digest(outside).encode())
    key = digest.hexdigest()
    if key not in UNIONS:
        found = Forbidden([(values, origin) for values, origin, _ in columns], outside)
        while UNIONS and (len(UNIONS) >= KEEP_RULES or sum(len(kept) for kept, _ in UNIONS.values()) + len(found) > KEEP_VALUES):
            del UNIONS[next(iter(UNIONS))]
        UNIONS[key] = (found, Rules(found, cpr))
    UNIONS[key] = UNIONS.pop(key)  # the most recently used last
    return UNIONS[key][0], key, UNIONS[key][1]


#: The rules last worked out, compiled, by their digest: one for each level and part of the organisation a site's
#: audiences have, so that the next build of ``lisite serve`` reuses each audience's rules while its values are the same.
#: At most ``KEEP_RULES`` of them and ``KEEP_VALUES`` values in all (tens of megabytes): a large municipality's build
#: keeps one at a time and so uses no more memory than before.
UNIONS: dict[str, tuple[Forbidden, Rules]] = {}
KEEP_RULES = 8
KEEP_VALUES = 200_000


def column_values(name, cells, column, t) -> tuple[list[str], str, str]:
    """A person-level column's values as searched for (free text folded, see scan_text), each once in the order they
    first occur; their origin (in ``t``'s language); and a digest of both: worked out once, for every audience whose
    level may not see the column. (A column of a large municipality holds a hundred thousand values: each step is one
    pass in Python over plain strings, not a pandas string method, which makes a Series at each step.)"""
    origin = t("leakcheck.free_text", column=f"{name}.{column.name}") if column.free_text else f"{name}.{column.name}"
    distinct = cells.dropna().astype(str).unique().tolist()
    stripped = [text.strip() for text in distinct]
    texts = [text for text in stripped if len(text) >= MIN_LENGTH]
    if column.free_text:  # any capitals and runs of whitespace alike
        texts = [" ".join(text.split()).casefold() for text in texts]
    values = list(dict.fromkeys(texts)) if column.free_text or stripped != distinct else texts  # (else distinct already)
    return values, origin, hashlib.sha256(joined_with(values, origin)).hexdigest()


def outside_values(audience, ctx) -> dict[str, str]:
    """For an audience limited to part of the organisation: every identifier that occurs only outside it."""
    inside: set[str] = set()
    outside: dict[str, str] = {}
    limited = ctx.data  # the engine's limited view of the data for this audience
    for name, dataset in sorted(ctx.datasets.items()):
        for column in dataset.spec.columns:
            if not column.person_level or column.name not in dataset.frame.columns:
                continue
            shown = limited.get(name)
            if shown is not None and column.name in shown.columns:
                inside |= set(shown[column.name].dropna().astype(str).str.strip())
            for value in dataset.frame[column.name].dropna().astype(str).str.strip().unique():
                if len(value) >= MIN_LENGTH:
                    outside.setdefault(value, ctx.t("leakcheck.outside", column=f"{name}.{column.name}", part=dict(audience.filter)))
    return {value: origin for value, origin in outside.items() if value not in inside}


def scan_file(path: str, data: bytes, rules: Rules) -> list[tuple[str, str]]:
    """(value, origin) for each hit in one file: in each text it reads as (:func:`.reading.readings`: as written and
    as a reader or a script sees it)."""
    found: list[tuple[str, str]] = []
    for i, (text, cpr_text, parts) in enumerate(readings(path, data)):
        hits = scan_text(text, rules.forbidden, rules, cpr_text=cpr_text, parts=parts)
        found += [hit for hit in hits if hit not in found] if i else hits
    return found


def wider_rules(digest: str) -> list[str]:
    """The digests of the other rules worked out in this process (:data:`UNIONS`) that forbid every value the rules
    ``digest`` forbid, and more, with the same words for a CPR number: the committee's forbid the caseworkers' names,
    which the leaders may see, and everything the leaders' forbid. A file that passed one of them holds none of these
    values and no CPR number, so it passes these too, and is not scanned again for an audience of a finer level."""
    found, rules = UNIONS[digest]
    return [other for other, (wider, kept) in UNIONS.items()
            if other != digest and kept.cpr == rules.cpr and len(wider) >= len(found) and found.all <= wider.all]


def scan(files: dict[str, bytes], forbidden: dict[str, str], passed: Passed | None = None,
         rules: Rules | None = None, wider: list[Passed] = (), backwards: bool = False,
         kept_in: Path | None = None) -> list[tuple[str, str, str]]:
    """(file, value, origin) for each forbidden value or CPR-like number found, in the order of the files' paths.

    With ``passed`` (the records of files that passed these rules before), a file with a content and
    a way of reading it that passed is not scanned again, and each file that passes now is added. A file among
    the records of ``wider`` (rules that forbid these values and more, :func:`wider_rules`) passed too.
    ``backwards``: the files are read from the last path to the first (what is found is the same).
    ``kept_in`` (with ``passed``): the folder of what was read of earlier reports' files (:mod:`.earlier`): a file
    of an earlier report is checked from what is kept of its report, and read only when nothing is kept of it or
    something is found in what is kept of its report.
    """
    rules = rules if rules is not None else Rules(forbidden)
    names = "\n".join(sorted(files))  # the files' own names too: a picture or a page named after a child
    hits = [(NAMES, value, origin) for value, origin in scan_text(unquote(names), rules.forbidden, rules)]
    keys = {path: record(how, data) for path, data in files.items() if (how := reading(path)) is not None} \
        if passed is not None else {}
    kept = Kept(kept_in, keys) if kept_in is not None and passed is not None else None
    found_in: dict[str, list[tuple[str, str, str]]] = {}
    for path in sorted(files, reverse=backwards):
        if reading(path) is None:
            continue
        key = keys.get(path)
        if key is not None and key in passed:
            continue
        if key is not None and any(key in records for records in wider):  # it holds none of the wider rules' values
            passed.add(key)
            continue
        if kept is not None and report_of(path) is not None:  # an earlier report's file: from what was read of it
            verdict = kept.passes(path, rules)
            if verdict is None and (earlier := read(path, files[path])) is not None:  # nothing kept of it: read now
                kept.add(path, earlier)
                verdict = passes(earlier, rules)
            if verdict:
                passed.add(key)
                continue
        found = scan_file(path, files[path], rules)
        if key is not None and not found:
            passed.add(key)
        found_in[path] = [(path, value, origin) for value, origin in found]
    if kept is not None:
        kept.save()
    return hits + [hit for path in sorted(found_in) for hit in found_in[path]]


@lisite.hookimpl
def lisite_check_output(audience, files, ctx):
    folder = cache_folder(ctx)
    earlier = {path: data for path, data in files.items() if path.startswith(lisite.history.ARCHIVE + "/")}
    parts = [(files, False)] if not (audience.filter and earlier) else [
        ({path: data for path, data in files.items() if path not in earlier}, False), (earlier, True)]
    hits = []
    for part, archived in parts:
        # the committee's and the directors' checks have the same rules and often run at once, in two workers: one
        # reads its files from the first, the other from the last, each skipping what the other has passed so far
        hits += checked(audience, part, ctx, folder, archived, backwards=lisite.LEVELS.index(audience.level) % 2 == 1)
    return [
        lisite.Problem(
            ctx.t("leakcheck.forbidden", value=value, origin=origin, audience=audience.id, level=audience.level),
            file=f"{audience.id}/{ctx.t('leakcheck.names') if path == NAMES else path}",
        )
        for path, value, origin in hits
    ]


@lisite.hookimpl
def lisite_check_ahead(audience, files, ctx):
    """The audience's earlier reports, checked in a worker that is through with its own audiences while another
    worker makes this one: the files that pass are recorded (:mod:`.passed`), under the rules its own check has for
    them (an audience limited to part of the organisation: its level's, see the module's doc), and that check skips
    them. What is found here is left to that check to find and report. Read from the last path to the first where
    its own check reads from the first, and the other way round: when both run at once, they meet in the middle."""
    folder = cache_folder(ctx)
    if folder is not None:
        checked(audience, files, ctx, folder, archived=bool(audience.filter),
                backwards=lisite.LEVELS.index(audience.level) % 2 == 0)


def cache_folder(ctx) -> Path | None:
    try:
        return ctx.cache_folder("leakcheck")
    except OSError:
        return None  # no cache folder to write: every file is scanned


def checked(audience, files, ctx, folder: Path | None, archived: bool, backwards: bool) -> list[tuple[str, str, str]]:
    """:func:`scan` of ``files`` with the audience's rules (``archived``: those for its earlier reports), with the
    records of the files that passed them before, which this adds to."""
    forbidden, digest, rules = forbidden_rules(audience, ctx, archived)
    passed = Passed(folder, digest)
    wider = [Passed(folder, other) for other in wider_rules(digest)] if folder is not None else []
    hits = scan(files, forbidden, passed, rules, wider, backwards=backwards, kept_in=folder / "earlier" if folder is not None else None)
    passed.save()  # the files that passed (never one with a hit)
    return hits
