"""The leak check finds CPR numbers however they are written, and free text on any audience below case level."""

from __future__ import annotations

import importlib

import pytest

from lisite.build import build
from lisite.errors import BuildError
from lisite.model import Column
from lisite.testing import builtin_plugin, load_plugin

from conftest import tiny_config

leak = load_plugin(builtin_plugin("leakcheck"))
leak_text = importlib.import_module(f"{leak.__name__}.text")  # not leak.text: a second load of the package does not bind it


def cprs(text: str) -> list[str]:
    return [value for value, origin in leak.scan_text(text, {}) if origin == "et CPR-lignende nummer"]


@pytest.mark.parametrize("number", [
    "010203-4521",  # hyphen
    "010203\u20134521",  # en dash
    "010203\u20114521",  # non-breaking hyphen
    "010203\u22124521",  # minus sign
    "010203 4521",  # space
    "010203\u00a04521",  # non-breaking space
    "01.02.03-4521",  # dots
    "010203/4521",  # slash
    "0102034521",  # none, as a word of its own
    "cpr:0102034521",
    "CPR: 010203-4521",
    "CPR-nr. 010203-4521",
    "cpr-nr.0102034521",
    "CPR nr. 01.02.03-4521",
    "311299-1234",  # the last day and month
])
def test_cpr_numbers_in_every_spelling(number):
    text = f"<p>Barnet har {number} som nummer.</p>"
    found = cprs(text)
    assert len(found) == 1 and found[0].endswith("4521" if "4521" in number else "1234")


@pytest.mark.parametrize("text", [
    "Ring på 12345678 eller 12 34 56 78",  # phone numbers
    "i alt 1.020.304 kr.", "1.020.304.521 kr.",  # amounts
    "opgjort 2026-09-30 og 30-09-2026",  # dates
    "sag S-101731, ydelse LT-0102034521, id X0102034521",  # ids
    "320203-4521 og 011303-4521 og 000203-4521",  # no such day or month
    "10102034521 og 0102034521123",  # inside a longer run of digits
    '{"values": [0102034521, 1203041234], "n": 1203041234}',  # numbers in JSON data
    '<path d="M0102034521,12.5L0102034521,3"/>',  # and in SVG
])
def test_other_numbers_are_not_taken_for_cpr_numbers(text):
    assert cprs(text) == []


FREE_TEXT = "Barnet Emma Canarysen bor på Canaryvej 7"

TILSYN = '''
import lisite

@lisite.hookimpl
def lisite_datasets():
    return [lisite.DatasetSpec("tilsyn", "Tilsyn", (
        lisite.Column("tilsyn_id", "str"),
        lisite.Column("fund", "str", required=False, free_text=True),
    ))]

@lisite.hookimpl
def lisite_pages(audience, ctx):
    if audience.level not in LEVELS:
        return []
    found = [f for f in ctx.data["tilsyn"]["fund"].dropna() if f]
    return [lisite.Page("fund.html", "Fund", [lisite.Markdown(text="Fundene handlede om: " + SHOWN(found[0]))])]
'''

SOURCE = '\n[sources.tilsyn]\npath = "data/tilsyn.csv"\n'
CASEWORKERS = '\n[audiences.sagsbehandlere]\ntitle = "Sagsbehandlere"\nlevel = "case"\nmin_count = 1\npages = ["fund.html"]\n'


def tilsyn_site(make_site, levels: tuple[str, ...], shown: str = "str", extra: str = ""):
    plugin = TILSYN.replace("LEVELS", repr(levels)).replace("SHOWN", shown)
    data = f"tilsyn_id;fund\nT-1;{FREE_TEXT}\nT-2;\n"
    return make_site({"plugins/tilsyn.py": plugin, "data/tilsyn.csv": data}, config=tiny_config(SOURCE + extra))


def test_free_text_on_a_municipality_page_fails_the_build_naming_the_column(make_site):
    site = tilsyn_site(make_site, ("municipality",))
    with pytest.raises(BuildError, match=r"\(tilsyn\.fund \(fritekst\)\) må ikke stå i sitet for 'udvalg'"):
        build(site)


def test_free_text_is_found_in_other_capitals_and_line_breaks(make_site):
    site = tilsyn_site(make_site, ("team",), shown="(lambda f: f.upper().replace(' ', chr(10) + '  '))")
    with pytest.raises(BuildError, match=r"tilsyn\.fund \(fritekst\).*'ledere'"):
        build(site)


def test_free_text_may_be_shown_at_case_level(make_site):
    site = tilsyn_site(make_site, ("case",), extra=CASEWORKERS)
    build(site)
    assert FREE_TEXT in (site / "_site" / "sagsbehandlere" / "fund.html").read_text(encoding="utf-8")


def test_a_one_word_free_text_is_found_whatever_its_capitals():
    forbidden = {"partshøringsfejl": "tilsyn.fund (fritekst)"}
    assert leak.scan_text("<p>PARTSHØRINGSFEJL</p>", forbidden) == [("PARTSHØRINGSFEJL", "tilsyn.fund (fritekst)")]


def test_free_text_is_case_level_and_treated_as_person_level():
    column = Column("fund", free_text=True)
    assert column.person_level and column.level == "case"
    with pytest.raises(ValueError, match="case level only"):
        Column("fund", free_text=True, level="team")


def test_the_data_model_marks_audit_findings_as_free_text():
    datasets = load_plugin(builtin_plugin("datasets"))
    specs = {spec.name: spec for spec in datasets.lisite_datasets()}
    assert specs["ledelsestilsyn"].column("fund").free_text


def test_free_text_cannot_hide_behind_markup_or_entities():
    """A free text with an apostrophe, a quote or an ampersand is written as an entity in a page, and one
    split by emphasis is two pieces of text: both are still found."""
    from lisite.testing import builtin_plugin, load_plugin

    leak = load_plugin(builtin_plugin("leakcheck"))
    forbidden = {"Emma's mor & far bor på Canaryvej 7": "ledelsestilsyn.fund"}
    for page in ("<p>Emma&#39;s mor &amp; far bor på Canaryvej 7</p>",
                 "<p>Emma&#x27;s mor &amp; far bor på <em>Canaryvej</em> 7</p>"):
        hits = leak.scan({"udvalg/side.html": page.encode()}, forbidden)
        assert hits == [("udvalg/side.html", "Emma's mor & far bor på Canaryvej 7", "ledelsestilsyn.fund")], page
    # block tags still separate words: no false find across table cells
    assert leak.scan({"udvalg/t.html": b"<td>010203</td><td>4521</td>"}, {}) == []


def one_by_one(text: str, forbidden: dict[str, str]) -> list[tuple[str, str]]:
    """The plain search the leak check must equal: every word and every phrase looked up on its own."""
    hits = []
    for token in sorted(set(leak_text.TOKEN.findall(text))):
        if token in forbidden:
            hits.append((token, forbidden[token]))
        elif token.casefold() in forbidden:
            hits.append((token, forbidden[token.casefold()]))
    folded = " ".join(text.split()).casefold()
    hits += [(phrase, origin) for phrase, origin in forbidden.items()
             if " " in phrase and " ".join(phrase.split()).casefold() in folded]
    return hits + [(m.group(0), "et CPR-lignende nummer") for m in leak_text.CPR.finditer(text)]


def test_the_compiled_search_finds_exactly_what_a_one_by_one_search_finds():
    """Phrases that overlap, begin or end one another, differ only in capitals or spacing, or lose their
    space when folded; words in other capitals; CPR numbers and near misses; texts with none of them
    (random, fixed seed)."""
    import random

    rng = random.Random(14)
    words = ["emma", "Emma", "bor", "på", "Canaryvej", "7", "S-101", "s-101", "Anna", "Jensen", "ÆBLE", "æble", "STRASSE",
             "straße", "x", "&amp;", "<em>", "\n", "\u00a0",  # and what a CPR number is made of:
             "010203", "01.02.03", "311299", "4521", "1234", "CPR", "cpr:", "-nr.", "\u2013", "/", ".", "[", "9",
             "0.12345678901", "12345678901"]
    forbidden = {"S-101": "sager.sags_id", "Anna Jensen": "medarbejdere.navn", "anna jensen bor": "a.fund (fritekst)",
                 "jensen bor på": "b.fund (fritekst)", "bor på canaryvej 7": "c.fund (fritekst)", "emma": "d.fund (fritekst)",
                 "nna jens": "e.navn", " Jensen": "f.navn", "Jensen\t": "g.navn", "æble strasse": "h.fund (fritekst)",
                 "straße  emma": "i.navn", "7 x": "j.navn"}
    cprs = 0
    for _ in range(3000):
        text = "".join(rng.choice(words) + rng.choice(["", "", " ", "\n"]) for _ in range(rng.randint(0, 12)))
        chosen = dict(rng.sample(sorted(forbidden.items()), rng.randint(0, len(forbidden))))
        assert leak.scan_text(text, chosen) == one_by_one(text, chosen), (text, chosen)
        cprs += any(origin == "et CPR-lignende nummer" for _, origin in one_by_one(text, chosen))
    assert cprs >= 25  # the texts hold CPR numbers often enough to compare the two searches for them
    assert leak.scan_text("Anna\n  JENSEN bor på Canaryvej 7", forbidden) == one_by_one("Anna\n  JENSEN bor på Canaryvej 7", forbidden)
    assert len(one_by_one("Anna\n  JENSEN bor på Canaryvej 7", forbidden)) == 6  # the comparison itself finds things


def test_a_file_is_scanned_once_for_the_same_rules_and_again_when_they_change(tmp_path, monkeypatch):
    scanned = []
    scan_file = leak.scan_file
    monkeypatch.setattr(leak, "scan_file", lambda path, data, rules: scanned.append(path) or scan_file(path, data, rules))
    page = b"<p>Emma&#39;s mor er S-77</p>"
    files = {"side.html": page, "arkiv/2026-08/side.html": page, "side.txt": page, "data/x.css": b"p { color: red }"}
    forbidden = {"S-101": "sager.sags_id"}

    def check(forbidden):
        passed = leak.Passed(tmp_path, leak.rules_digest(forbidden))
        hits = leak.scan(files, forbidden, passed)
        passed.save()
        return hits

    assert check(forbidden) == []
    assert scanned == ["arkiv/2026-08/side.html", "data/x.css", "side.txt"]  # side.html: the same page, read the same way
    scanned.clear()
    assert check(forbidden) == [] and scanned == []  # records kept on disk: nothing scanned again
    more = {**forbidden, "S-77": "sager.sags_id"}  # new data: S-77 is a case id now
    assert check(more) == [("arkiv/2026-08/side.html", "S-77", "sager.sags_id"), ("side.html", "S-77", "sager.sags_id"),
                           ("side.txt", "S-77", "sager.sags_id")]
    scanned.clear()
    assert len(check(more)) == 3 and scanned == ["arkiv/2026-08/side.html", "side.html", "side.txt"]  # a hit is never recorded
    free_text = {"emma's mor": "tilsyn.fund (fritekst)"}  # found in the page as a reader sees it, not in the .txt file
    assert check(free_text) == [("arkiv/2026-08/side.html", "emma's mor", "tilsyn.fund (fritekst)"),
                                ("side.html", "emma's mor", "tilsyn.fund (fritekst)")]


def test_a_check_of_the_same_rules_at_the_same_time_uses_the_passes_the_other_has_saved(tmp_path, monkeypatch):
    """Two audiences with the same rules checked at once (two workers): the one that started first saves its passes; the
    other, which read the records before that, scans no file among them afterwards. Other rules' passes count for nothing."""
    scanned = []
    scan_file = leak.scan_file
    monkeypatch.setattr(leak, "scan_file", lambda path, data, rules: scanned.append(path) or scan_file(path, data, rules))
    forbidden = {"S-101": "sager.sags_id"}
    files = {f"side{i}.html": f"<p>Side {i}</p>".encode() for i in range(4)}
    first, second = leak.Passed(tmp_path, leak.rules_digest(forbidden)), leak.Passed(tmp_path, leak.rules_digest(forbidden))
    other = leak.Passed(tmp_path, leak.rules_digest({"S-202": "sager.sags_id"}))
    assert leak.scan(dict(list(files.items())[:3]), forbidden, first) == [] and len(scanned) == 3
    first.save()
    scanned.clear()
    assert leak.scan(files, forbidden, second) == [] and scanned == ["side3.html"]
    scanned.clear()
    assert leak.scan(files, {"S-202": "sager.sags_id"}, other) == [] and len(scanned) == 4


def test_a_check_saves_its_passes_as_it_goes_for_a_check_of_the_same_rules_at_once(tmp_path, monkeypatch):
    """The passes are saved now and then while a check goes on (``SAVE_EVERY``), not only at its end: the directors' and
    the committee's checks run at the same time in two workers, and the one behind skips what the other has passed so
    far. A file with a hit is never among them."""
    passed_module = importlib.import_module(f"{leak.__name__}.passed")
    monkeypatch.setattr(passed_module, "SAVE_EVERY", 0.0)  # saved after each pass
    forbidden = {"S-101": "sager.sags_id"}
    files = {"a.html": b"<p>Side a</p>", "b.html": b"<p>Sag S-101</p>", "c.html": b"<p>Side c</p>"}
    digest = leak.rules_digest(forbidden)
    seen = {}
    scan_file = leak.scan_file

    def scanning(path, data, rules):  # what a check of the same rules, begun now in another worker, finds saved
        seen[path] = sorted(name for name in files if leak.record("markup", files[name]) in leak.Passed(tmp_path, digest))
        return scan_file(path, data, rules)

    monkeypatch.setattr(leak, "scan_file", scanning)
    hits = leak.scan(files, forbidden, leak.Passed(tmp_path, digest))
    assert hits == [("b.html", "S-101", "sager.sags_id")]
    assert seen == {"a.html": [], "b.html": ["a.html"], "c.html": ["a.html"]}  # a's pass saved before c is scanned; b never


def test_a_check_read_backwards_finds_the_same_in_the_same_order(tmp_path, monkeypatch):
    """The committee's and the directors' checks (the same rules, often at once in two workers) read their files from
    opposite ends, each skipping what the other has passed so far: what a check finds, and the order it is reported
    in (the files' paths), are the same either way."""
    read = []
    scan_file = leak.scan_file
    monkeypatch.setattr(leak, "scan_file", lambda path, data, rules: read.append(path) or scan_file(path, data, rules))
    forbidden = {"S-101": "sager.sags_id"}
    files = {"a.html": b"<p>S-101</p>", "b.html": b"<p>Side b</p>", "c.csv": b"Sag;S-101\n", "d.html": b"<p>S-101 010203-4521</p>"}
    forwards = leak.scan(files, forbidden)
    assert read == ["a.html", "b.html", "c.csv", "d.html"]
    read.clear()
    assert leak.scan(files, forbidden, backwards=True) == forwards and read == ["d.html", "c.csv", "b.html", "a.html"]
    assert [path for path, _, _ in forwards] == ["a.html", "c.csv", "d.html", "d.html"]


def test_a_file_that_passed_wider_rules_passes_narrower_ones_and_not_the_other_way(tmp_path, monkeypatch):
    """The committee's rules forbid the caseworkers' ids and everything the leaders' forbid: a file the committee's check
    passed is not scanned for the leaders, while a file that passed the leaders' is scanned for the committee, where a
    caseworker's id in it is found. Rules with other words for a CPR number, or not wider, count for nothing."""
    scanned = []
    scan_file = leak.scan_file
    monkeypatch.setattr(leak, "scan_file", lambda path, data, rules: scanned.append(path) or scan_file(path, data, rules))
    monkeypatch.setattr(leak, "UNIONS", {})

    def rules(values: dict[str, str], cpr: str = "et CPR-lignende nummer") -> str:
        origins = sorted(set(values.values()))
        forbidden = leak_text.Forbidden([([v for v, o in values.items() if o == origin], origin) for origin in origins], {})
        digest = leak.rules_digest({**values, "": cpr})
        leak.UNIONS[digest] = (forbidden, leak_text.Rules(forbidden, cpr))
        return digest

    committee = rules({"S-101": "sager.sags_id", "SB-7": "sager.sagsbehandler"})
    leaders = rules({"S-101": "sager.sags_id"})
    other_words = rules({"S-101": "sager.sags_id", "SB-7": "sager.sagsbehandler", "S-9": "sager.sags_id"}, cpr="a CPR-like number")
    assert leak.wider_rules(leaders) == [committee] and leak.wider_rules(committee) == []
    assert leak.wider_rules(other_words) == []

    def check(digest: str, files: dict[str, bytes]) -> list:
        forbidden, compiled = leak.UNIONS[digest]
        passed = leak.Passed(tmp_path, digest)
        hits = leak.scan(files, forbidden, passed, compiled, [leak.Passed(tmp_path, d) for d in leak.wider_rules(digest)])
        passed.save()
        return hits

    shared = {"side.html": b"<p>Alle tal</p>", "data/t.csv": b"Team;Antal\nA;12\n"}
    assert check(committee, shared) == [] and len(scanned) == 2
    scanned.clear()
    assert check(leaders, {**shared, "egen.html": b"<p>SB-7 har 4 sager</p>"}) == [] and scanned == ["egen.html"]
    scanned.clear()
    assert check(leaders, {"egen.html": b"<p>SB-7 har 4 sager</p>"}) == [] and scanned == []  # now its own record
    assert check(committee, {"egen.html": b"<p>SB-7 har 4 sager</p>"}) == [("egen.html", "SB-7", "sager.sagsbehandler")]
    assert scanned == ["egen.html"]


def test_values_nested_too_deep_for_one_pattern_are_still_found():
    forbidden = {"x " * n + "y": "t.navn" for n in range(1, 1500)}  # each begins the next: a trie 3000 levels deep
    text = "<p>" + "X " * 700 + "Y</p>"
    assert leak.scan_text(text, forbidden) == one_by_one(text, forbidden) == [("x " * n + "y", "t.navn") for n in range(1, 701)]
def test_free_text_in_a_charts_data_only_is_caught_in_the_charts_file(make_site):
    """A chart's spec is a file of the site (``charts/<key>.js``), not part of the page: the leak check scans it
    like a page, so a free text planted only in a chart's data (not its table or words) fails the build."""
    chart = ('lisite.ChartBlock(chart={"mark": "bar", "data": {"values": [{"fund": SHOWN(found[0]), "n": 5}]},'
             ' "encoding": {"x": {"field": "n", "type": "quantitative"}}}, description="Fund")')
    plugin = TILSYN.replace("LEVELS", repr(("municipality",))).replace("SHOWN", "str").replace(
        '[lisite.Markdown(text="Fundene handlede om: " + str(found[0]))]', f"[{chart}]").replace("SHOWN", "str")
    assert "ChartBlock" in plugin
    data = f"tilsyn_id;fund\nT-1;{FREE_TEXT}\nT-2;\n"
    site = make_site({"plugins/tilsyn.py": plugin, "data/tilsyn.csv": data}, config=tiny_config(SOURCE))
    with pytest.raises(BuildError, match=r"udvalg/charts/[0-9a-f]{16}\.js.*\(tilsyn\.fund \(fritekst\)\) må ikke stå i sitet for 'udvalg'") as caught:
        build(site)
    assert "fund.html" not in str(caught.value)  # the page itself holds only the chart's name, not its data


def test_a_name_in_an_address_or_a_files_name_is_found():
    """A person-level value with a space or an æ is written with %-escapes in an address ("%C3%85se%20N%C3%B8rgaard"),
    and a picture or a page may be named after it: both are found (the escapes read as the address reads)."""
    forbidden = {"Åse Nørgaard": "sager.barn", "BU-7731": "sager.sags_id"}
    page = b'<p><img src="assets/indhold/%C3%85se%20N%C3%B8rgaard.png" alt="Et billede"></p>'
    assert leak.scan({"udvalg/om.html": page}, forbidden) == [("udvalg/om.html", "Åse Nørgaard", "sager.barn")]
    named = {"om/BU-7731.html": b"<p>Intet her.</p>", "assets/indhold/%C3%85se N%C3%B8rgaard.png": b"\x89PNG"}
    assert sorted(leak.scan(named, forbidden)) == [(leak.NAMES, "BU-7731", "sager.sags_id"),
                                                   (leak.NAMES, "Åse Nørgaard", "sager.barn")]
    assert leak.scan({"udvalg/tal.html": b"<p>12,3 % af 40 %-point</p>"}, forbidden) == []
