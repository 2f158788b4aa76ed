"""The leak check reads a long text in pieces, each kept by its own text: it finds exactly what reading it whole finds."""

from __future__ import annotations

import random

from test_leaks import leak, leak_text, one_by_one


def test_a_text_read_in_pieces_gives_what_it_gives_read_whole(monkeypatch):
    """Random texts (fixed seed) of words, CPR numbers and near misses with quotes next to any of them, whitespace
    at the cuts, empty pieces and free text across a quote: every text is read in pieces and compared."""
    monkeypatch.setattr(leak_text, "PIECEWISE", 0)  # every text in pieces
    rng = random.Random(1414)
    words = ["emma", "Emma", "bor", "på", "Canaryvej", "7", "S-101", "Anna", "Jensen", "ÆBLE", "straße", '"', '""', '\\"',
             '":"', "\n", " ", "\u00a0", "\t", "010203", "01.02.03", "4521", "CPR", "cpr:", "-nr.", "\u2013", "/", ".", "9",
             "12345678901", "[", "]", "010203-4521", "0102034521", "CPR-nr. 010203", "01.02.03-"]
    forbidden = {"S-101": "sager.sags_id", "Anna Jensen": "medarbejdere.navn", 'anna "jensen" bor': "a.fund (fritekst)",
                 'bor på " canaryvej': "b.fund (fritekst)", "emma": "d.fund (fritekst)", " Jensen": "f.navn", '"æble': "h.navn"}
    found = cprs = 0
    for _ in range(3000):
        text = "".join(rng.choice(words) + rng.choice(["", "", " ", '"', "\n"]) for _ in range(rng.randint(0, 14)))
        chosen = dict(rng.sample(sorted(forbidden.items()), rng.randint(0, len(forbidden))))
        tokens, flat, maybe, _ = leak_text.PIECES.facts(text)
        assert (tokens, flat, maybe) == (set(leak_text.TOKEN.findall(text)), leak_text.folded(text),
                                         leak_text.CPR_DIGITS.search(text) is not None), text
        expected = one_by_one(text, chosen)
        assert leak.scan_text(text, chosen) == expected, (text, chosen)
        found += bool(expected)
        cprs += any(origin == "et CPR-lignende nummer" for _, origin in expected)
    assert found >= 500 and cprs >= 25  # the texts hold forbidden values and CPR numbers often enough to compare


def test_a_text_read_by_its_parts_gives_what_it_gives_read_whole():
    """A workbook's text is scanned by its parts (each part's words and folded text kept by the part): random parts
    of words, CPR numbers and free text across the line between two parts give what the whole text gives."""
    rng = random.Random(2026)
    words = ["emma", "Emma", "bor", "på", "Canaryvej", "7", "S-101", "Anna", "Jensen", "straße", " ", "\t", "\u00a0", "010203-4521",
             "CPR", "cpr:", "0102034521", '"', "x"]
    forbidden = {"S-101": "sager.sags_id", "Anna Jensen": "medarbejdere.navn", "emma bor på canaryvej": "d.fund (fritekst)",
                 "jensen emma": "e.fund (fritekst)", "emma": "f.fund (fritekst)"}
    found = across = 0
    for _ in range(2000):
        parts = tuple(text for text in ("".join(rng.choice(words) + rng.choice(["", " ", "\n"]) for _ in range(rng.randint(1, 6)))
                                        for _ in range(rng.randint(1, 5))) if text.strip())
        if not parts:
            continue
        text = "\n".join(parts)
        chosen = dict(rng.sample(sorted(forbidden.items()), rng.randint(1, len(forbidden))))
        expected = one_by_one(text, chosen)
        assert leak.scan_text(text, chosen, parts=parts) == expected == leak.scan_text(text, chosen), (parts, chosen)
        found += bool(expected)
        across += any(" " in value and not any(value in leak_text.folded(part) for part in parts) for value, _ in expected)
    assert found >= 500 and across >= 10  # free text across two parts is among what is found


def test_the_pieces_of_a_text_are_kept_by_their_text_and_read_again_when_edited(monkeypatch):
    pieces = leak_text.Pieces()
    monkeypatch.setattr(leak_text, "PIECES", pieces)
    read = []
    findall = leak_text.TOKEN

    class Counting:
        def findall(self, text):
            read.append(text)
            return findall.findall(text)

    monkeypatch.setattr(leak_text, "TOKEN", Counting())
    index = "".join(f'["side-{n}.html","Overskrift {n}","Tekst om sag nummer {n} og dens forløb."],' for n in range(3000))
    forbidden = {"S-404": "sager.sags_id"}
    assert len(index) >= leak_text.PIECEWISE
    assert leak.scan_text(index, forbidden) == []
    first = len(read)
    assert first > 9000  # every piece read once (the ones that repeat, once)
    assert leak.scan_text(index, forbidden) == [] and len(read) == first  # the same text: nothing read again
    edited = index.replace("Tekst om sag nummer 17 ", "Tekst om sag S-404 ")
    assert leak.scan_text(edited, forbidden) == [("S-404", "sager.sags_id")]
    assert read[first:] == ["Tekst om sag S-404 og dens forløb."]  # only the edited piece


def test_old_pieces_go_after_two_generations():
    pieces = leak_text.Pieces(keep=2)  # characters in a generation
    for text in ("a", "b", "c", "d", "e"):
        pieces.piece(text)
    assert set(pieces.new) | set(pieces.old) <= {"c", "d", "e"}


def test_the_phrases_in_a_piece_are_kept_by_its_text_for_the_rules_they_were_found_with():
    forbidden = {"Anna Jensen bor": "a.fund (fritekst)", 'sagde "nej" tak': "b.fund (fritekst)"}
    rules = leak_text.Rules(forbidden)
    looked, phrases_in = [], rules.phrases_in
    rules.phrases_in = lambda flat: looked.append(flat) or phrases_in(flat)
    index = "".join(f'["side-{n}.html","Tekst om sag nummer {n}."],' for n in range(3000))
    assert len(index) >= leak_text.PIECEWISE
    assert leak.scan_text(index, forbidden, rules) == []
    first = len(looked)
    assert leak.scan_text(index, forbidden, rules) == [] and len(looked) == first  # every piece as it was
    edited = index.replace("Tekst om sag nummer 17.", "Her bor anna\n JENSEN BOR.")
    assert leak.scan_text(edited, forbidden, rules) == [("Anna Jensen bor", "a.fund (fritekst)")]
    assert looked[first:] == ["her bor anna jensen bor."]  # only the edited piece
    across = index.replace("Tekst om sag nummer 18.", 'Hun sagde "NEJ"  tak.')  # a phrase with quotes: across two cuts
    assert leak.scan_text(across, forbidden, rules) == one_by_one(across, forbidden) == [('sagde "nej" tak', "b.fund (fritekst)")]


def test_with_no_identifier_to_look_for_a_text_is_read_for_cpr_numbers_alone_and_finds_what_the_full_reading_finds(monkeypatch):
    """The finest audience may see every identifier: its texts are only searched for CPR-like numbers, short and long
    texts and a workbook's parts alike, and what is found is what one by one (and a rule that matches nothing) finds."""
    rng = random.Random(77)
    words = ["Emma", "S-101", "010203", "01.02.03", "4521", "CPR", "cpr:", "-nr.", "\u2013", "/", " ", "\n", '"', "0102034521",
             "010203-4521", "12345678901", "9", "x"]
    nothing = {"zzqq-ingen": "a.b"}  # a forbidden value no text holds: the full reading
    cprs = 0
    for piecewise in (1 << 16, 0):  # read whole, read in pieces
        monkeypatch.setattr(leak_text, "PIECEWISE", piecewise)
        for _ in range(1500):
            parts = tuple(text for text in ("".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
                                            for _ in range(rng.randint(1, 4))) if text.strip())
            text = "\n".join(parts)
            expected = one_by_one(text, {})
            assert leak.scan_text(text, {}) == expected == leak.scan_text(text, nothing), text
            if parts:
                assert leak.scan_text(text, {}, parts=parts) == expected, parts
            cut = text[: len(text) // 2]  # the CPR numbers of a download's text cells alone
            assert leak.scan_text(text, {}, cpr_text=cut) == leak.scan_text(text, nothing, cpr_text=cut), (text, cut)
            cprs += bool(expected)
    assert cprs >= 500


def test_a_person_level_columns_values_and_their_union_are_what_pandas_string_methods_and_a_loop_made():
    """column_values reads a column in plain Python passes and Forbidden joins the columns as sets: random columns (with
    empty cells, whitespace, short values, numbers, capitals and values in several columns) give the values, order,
    origins and digest that pandas' string methods and the value-by-value loop they replaced gave."""
    import hashlib
    import importlib
    from types import SimpleNamespace

    import pandas as pd

    passed = importlib.import_module(f"{leak.__name__}.passed")

    def t(key, column):
        return f"{column} (fritekst)"

    def pandas_values(name, cells, column):
        origin = t("leakcheck.free_text", column=f"{name}.{column.name}") if column.free_text else f"{name}.{column.name}"
        values = pd.Series(cells.dropna().astype(str).unique(), dtype=object).str.strip()
        values = values[values.str.len() >= leak.MIN_LENGTH]
        if column.free_text:
            values = values.str.split().str.join(" ").str.casefold()
        found = [(value, origin) for value in values.unique()]
        return found, hashlib.sha256(passed.joined(found)).hexdigest()

    rng = random.Random(5150)
    texts = ["S-101", " S-101 ", "S-101\t", "ab", " ab  ", "Anna  Jensen", "anna jensen", "ANNA\nJENSEN", "ÆBLE", "æble",
             "straße", "STRASSE", "  ", "", "x y", "abc", "Ib", "ib ", "S-102", "Åse Nørgaard"]
    others = [None, float("nan"), 12345, 12.5, 7]
    columns = []
    for _ in range(400):
        strings = rng.random() < 0.5
        pool = texts + ([None] if strings else others)
        cells = pd.Series([rng.choice(pool) for _ in range(rng.randint(0, 25))], dtype="string" if strings else object)
        column = SimpleNamespace(name=rng.choice(["sags_id", "navn", "notat"]), free_text=rng.random() < 0.5)
        values, origin, digest = leak.column_values("sager", cells, column, t)
        found, old_digest = pandas_values("sager", cells, column)
        assert ([(value, origin) for value in values], digest) == (found, old_digest), (list(cells), column)
        columns.append((values, origin))
    assert sum(bool(values) for values, _ in columns) > 300
    phrases = 0
    for _ in range(300):
        chosen = rng.sample(columns, rng.randint(0, 5))
        outside = {value: "udenfor" for value in rng.sample(texts, rng.randint(0, 3))}
        looped: dict[str, str] = {}
        for values, origin in chosen:
            looped.update([(value, origin) for value in values if value not in looped])  # the first origin stays
        looped.update(outside)
        fast = leak_text.Forbidden(chosen, outside)  # the mapping the check uses: as the loop makes it
        assert list(fast.items()) == list(looped.items()) and len(fast) == len(looped) and bool(fast) == bool(looped)
        assert all(value in fast and fast[value] == origin for value, origin in reversed(looped.items()))
        assert "ikke-forbudt" not in fast and fast.get("ikke-forbudt") is None
        rules, plain = leak_text.Rules(fast, "cpr"), leak_text.Rules(dict(looped), "cpr")
        assert (rules.words, rules.phrases, rules.rests) == (plain.words, plain.phrases, plain.rests)
        phrases += len(rules.phrases)
    assert phrases > 100
