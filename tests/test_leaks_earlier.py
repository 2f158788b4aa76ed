"""The leak check of earlier reports from what it read of them before (the leak check's ``earlier`` module): the same
outcome as reading them again, for every way a file is read; nothing read again that need not be; a pack that cannot
be read is made again."""

from __future__ import annotations

import importlib
import json
import random

from lisite.i18n import Translator
from lisite.spreadsheet import Grid, reader, to_csv, to_xlsx
from lisite.testing import builtin_plugin, load_plugin

leak = load_plugin(builtin_plugin("leakcheck"))
earlier = importlib.import_module(f"{leak.__name__}.earlier")
text = importlib.import_module(f"{leak.__name__}.text")

WORDS = ["emma", "Emma", "bor", "på", "Canaryvej", "7", "S-101", "s-101", "Anna", "Jensen", "ÆBLE", "æble", "straße", "x",
         "&amp;", "&#39;", "<em>", "</em>", "<td>", "\n", "\u00a0", "%20", "%C3%86", "\\u00e6", "\\n", '"', "010203", "-4521",
         "01.02.03", "4521", "CPR", "cpr:", "1234567890", "9", "010203-4521", "cpr: 0102034521"]
FORBIDDEN = {"S-101": "sager.sags_id", "Anna Jensen": "medarbejdere.navn", "anna jensen bor": "a.fund (fritekst)",
             "emma": "d.fund (fritekst)", "Æble": "e.navn", "æble strasse": "h.fund (fritekst)", "7 x": "j.navn",
             "emma's mor": "k.fund (fritekst)", "Canaryvej": "l.navn"}
DA = reader(Translator("da"))


def a_file(rng: random.Random) -> tuple[str, bytes]:
    """A random file of an earlier report, of each way the check reads files."""
    words = "".join(rng.choice(WORDS) + rng.choice(["", "", " ", "\n"]) for _ in range(rng.randint(0, 14)))
    kind = rng.choice(["html", "js", "txt", "csv", "xlsx"])
    if kind in ("csv", "xlsx"):
        cells = [words[i:i + 9] for i in range(0, len(words), 9)] or [""]
        grid = Grid("Tal", ("Periode", "Værdi"), tuple((cell, rng.choice(["12", "1.234", cell])) for cell in cells))
        data = to_csv(grid, DA) if kind == "csv" else to_xlsx(grid, DA, "Tal")
        return f"arkiv/2026-08/data/tal.{kind}", data
    if kind == "html":
        return "arkiv/2026-08/side.html", f"<p>{words}</p>".encode()
    if kind == "js":
        return "arkiv/2026-08/assets/x.js", f'var x = "{words}";'.encode()
    return "arkiv/2026-08/note.txt", words.encode()


def test_what_is_kept_of_a_file_passes_exactly_the_rules_a_scan_passes():
    """For pages, scripts, texts and downloads (CSV and workbooks) of random words, entities, escapes and CPR-like
    numbers, and random rules: kept is ``None`` exactly where a scan finds a CPR-like number whatever the rules, and
    otherwise passes exactly the rules a scan finds nothing of."""
    rng = random.Random(8)
    kinds, cprs, hits, passes = set(), 0, 0, 0
    for _ in range(1500):
        path, data = a_file(rng)
        kinds.add(path.rsplit(".", 1)[1])
        kept = earlier.read(path, data)
        cpr = any(origin == "et CPR-lignende nummer" for _, origin in leak.scan_file(path, data, text.Rules({})))
        assert (kept is None) == cpr, (path, data)
        cprs += cpr
        if kept is None:
            continue
        chosen = dict(rng.sample(sorted(FORBIDDEN.items()), rng.randint(0, len(FORBIDDEN))))
        rules = text.Rules(chosen)
        found = leak.scan_file(path, data, rules)
        assert earlier.passes(kept, rules) == (not found), (path, data, chosen, found)
        hits += bool(found)
        passes += not found
    assert kinds == {"html", "js", "txt", "csv", "xlsx"} and cprs >= 100 and hits >= 100 and passes >= 500, (cprs, hits, passes)



def test_the_rules_pass_a_reports_pack_exactly_when_they_pass_each_file_in_it():
    """Random reports of random files (none with a CPR-like number) and random rules: what is kept of a report (its
    files' words and folded texts together, as written and read back) passes exactly the rules each of its files
    passes, and a phrase is never found across two files' texts."""
    rng = random.Random(11)
    passing = failing = 0
    for _ in range(400):
        pack, reads = earlier.Pack(), []
        while len(reads) < rng.randint(1, 6):
            path, data = a_file(rng)
            found = earlier.read(path, data)
            if found is not None:
                pack.add(f"{len(reads)}", found)
                reads.append(found)
        rules = text.Rules(dict(rng.sample(sorted(FORBIDDEN.items()), rng.randint(1, len(FORBIDDEN)))))
        each = all(earlier.passes(found, rules) for found in reads)
        assert pack.passes(rules) == each == earlier.Pack.of(json.loads(json.dumps(pack.json()))).passes(rules)
        passing += each
        failing += not each
    across = earlier.Pack()
    across.add("a", earlier.read("arkiv/2026-08/a.txt", b"Hun hedder Anna"))
    across.add("b", earlier.read("arkiv/2026-08/b.txt", b"Jensen bor her"))
    assert across.passes(text.Rules({"Anna Jensen": "medarbejdere.navn"}))  # one file ends, the next begins: no phrase
    assert passing >= 50 and failing >= 50, (passing, failing)

def counting(monkeypatch) -> list[str]:
    """Every file the check reads (its texts made from its bytes), by its path."""
    read = []
    for module in (leak, earlier):
        original = module.readings
        monkeypatch.setattr(module, "readings", lambda path, data, original=original: read.append(path) or original(path, data))
    return read


def check(tmp_path, files, forbidden):
    passed = leak.Passed(tmp_path, leak.rules_digest(forbidden))
    hits = leak.scan(files, forbidden, passed, kept_in=tmp_path / "earlier")
    passed.save()
    return hits


FILES = {
    "arkiv/2026-08/side.html": "<p>Sidste måned: S-77 og Emma&#39;s mor</p>".encode(),
    "arkiv/2026-08/data/tal.csv": to_csv(Grid("Tal", ("Periode", "Team"), (("august 2026", "Team Nord"),)), DA),
    "arkiv/2026-08/data/tal.xlsx": to_xlsx(Grid("Tal", ("Periode", "Team"), (("august 2026", "Team Nord"),)), DA, "Tal"),
    "arkiv/2026-07/side.html": b"<p>Juli</p>",
    "side.html": b"<p>September</p>",
}


def test_an_earlier_reports_files_are_read_once_and_checked_from_what_was_kept(tmp_path, monkeypatch):
    read = counting(monkeypatch)
    assert check(tmp_path, FILES, {"S-1": "sager.sags_id"}) == []
    assert sorted(read) == sorted(FILES)  # each read once: the earlier reports' files kept as they were read
    assert len(list((tmp_path / "earlier").glob("*.json.z"))) == 2  # one pack for each earlier report
    read.clear()
    new_data = {"S-1": "sager.sags_id", "S-2": "sager.sags_id"}  # new rules: no record of a pass covers them
    assert check(tmp_path, FILES, new_data) == [] and read == ["side.html"]  # only the current report's file read
    read.clear()
    case_now = {"S-77": "sager.sags_id", "Team Nord": "medarbejdere.navn", "emma's mor": "t.fund (fritekst)"}
    expected = leak.scan(FILES, case_now)  # (a scan without records: every file read)
    assert expected == [("arkiv/2026-08/data/tal.csv", "Team Nord", "medarbejdere.navn"),
                        ("arkiv/2026-08/data/tal.xlsx", "Team Nord", "medarbejdere.navn"),
                        ("arkiv/2026-08/side.html", "S-77", "sager.sags_id"),
                        ("arkiv/2026-08/side.html", "emma's mor", "t.fund (fritekst)")]
    read.clear()
    assert check(tmp_path, FILES, case_now) == expected
    assert sorted(read) == sorted(["arkiv/2026-08/data/tal.csv", "arkiv/2026-08/data/tal.xlsx", "arkiv/2026-08/side.html",
                                   "side.html"])  # what something was found in is read again, to report it as a scan does



def test_when_something_is_found_in_what_is_kept_of_a_report_its_files_are_read_again_and_only_the_hits_reported(
        tmp_path, monkeypatch):
    read = counting(monkeypatch)
    files = {"arkiv/2026-08/side.html": b"<p>Sagen S-77</p>", "arkiv/2026-08/andet.html": b"<p>Intet her</p>",
             "arkiv/2026-07/side.html": b"<p>Juli</p>"}
    assert check(tmp_path, files, {"S-1": "sager.sags_id"}) == []
    read.clear()
    assert check(tmp_path, files, {"S-77": "sager.sags_id"}) == [("arkiv/2026-08/side.html", "S-77", "sager.sags_id")]
    assert sorted(read) == ["arkiv/2026-08/andet.html", "arkiv/2026-08/side.html"]  # July's pack passes: not read

def test_a_file_with_a_cpr_like_number_is_never_kept_and_always_found(tmp_path, monkeypatch):
    files = {"arkiv/2026-08/side.html": b"<p>010203-4521</p>"}
    for rules in ({"S-1": "sager.sags_id"}, {"S-2": "sager.sags_id"}):
        assert check(tmp_path, files, rules) == [("arkiv/2026-08/side.html", "010203-4521", "et CPR-lignende nummer")]
    assert not list((tmp_path / "earlier").glob("*.json.z"))


def test_a_pack_that_cannot_be_read_is_made_again(tmp_path, monkeypatch):
    read = counting(monkeypatch)
    check(tmp_path, FILES, {"S-1": "sager.sags_id"})
    for pack in (tmp_path / "earlier").glob("*.json.z"):
        pack.write_bytes(b"not a pack")
    read.clear()
    assert check(tmp_path, FILES, {"S-2": "sager.sags_id"}) == [] and sorted(read) == sorted(FILES)
    read.clear()
    assert check(tmp_path, FILES, {"S-3": "sager.sags_id"}) == [] and read == ["side.html"]


def test_the_oldest_packs_go_first_and_never_those_in_use(tmp_path, monkeypatch):
    monkeypatch.setattr(earlier, "KEEP_BYTES", 1)
    check(tmp_path, FILES, {"S-1": "sager.sags_id"})
    kept = sorted((tmp_path / "earlier").glob("*.json.z"))
    assert len(kept) == 2  # both in use
    other = {"arkiv/2026-06/side.html": b"<p>Juni</p>", "side.html": b"<p>Oktober</p>"}
    check(tmp_path, other, {"S-1": "sager.sags_id"})
    assert [path.name for path in (tmp_path / "earlier").glob("*.json.z")] == [
        earlier.Kept(tmp_path / "earlier", {"arkiv/2026-06/side.html": leak.record("markup", other["arkiv/2026-06/side.html"])})
        .path("arkiv/2026-06/").name]
