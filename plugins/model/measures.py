"""Measures classified by law: ``indsatsgruppe``, ``anbringelsessted`` and ``familiepleje`` on ``ydelser``.

Which measures are preventive (Forebyggende), which are placements (Anbringelse) and which are
neither (Øvrige), and where a placed child lives, comes from the measure catalogue
``foranstaltninger.csv`` beside this file: one row per legal basis (``slags = lovhjemmel``, e.g.
``BL § 32, stk. 1, nr. 3`` or ``SEL § 52, stk. 3, nr. 7``) or measure name (``slags = navn``). A site
adds or overrides rows in a file of its own (``[measures] catalogue = "foranstaltninger.csv"``);
its rows win. The group comes from the legal basis (the most specific key: ``BL § 32`` covers every
``BL § 32, stk. 1, nr. N``), else from the name; the placement kind from the name, else from a
placement paragraph (``SEL § 66, stk. 1, nr. N``). A measure the catalogue does not know counts as
"Øvrige" (neither preventive nor placement) and is listed in one warning; the export's own
``indsatsgruppe``, if any, is overruled by the catalogue, and a disagreement is a warning too.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

import lisite
from lisite import calc

SHIPPED = Path(__file__).resolve().parent / "foranstaltninger.csv"
COLUMNS = ("noegle", "slags", "indsatsgruppe", "anbringelsessted", "forklaring")
GROUPS = ("Forebyggende", "Anbringelse", "Øvrige")
PLACES = ("plejefamilie", "netvaerkspleje", "opholdssted", "doegninstitution", "eget_vaerelse")
FAMILY_CARE = ("plejefamilie", "netvaerkspleje")
PLACEMENT, OTHER = "Anbringelse", "Øvrige"
LAWS = {"bl": "BL", "barnets lov": "BL", "barnets lovs": "BL", "sel": "SEL", "serviceloven": "SEL",
        "servicelovens": "SEL", "lov om social service": "SEL"}
REFERENCE = re.compile(
    r"\b(?P<law>barnets lovs?|bl|servicelovens?|sel|lov om social service)\b"
    r"|§+ ?(?P<par>\d+)(?: ?(?P<letter>[a-z])(?![a-zæøå]))?"
    r"(?:\.(?P<dstk>\d+)(?:\.(?P<dnr>\d+))?)?"
    r"(?: ?[.,]? ?stk\.? ?(?P<stk>\d+))?(?: ?[.,]? ?nr\.? ?(?P<nr>\d+))?"
)
SHOWN = 10  # distinct unknown measures named in the warning


def references(text) -> list[tuple[str, str, str, str]]:
    """Every paragraph in a legal basis as (law, paragraph, stk, nr): 'Servicelovens §52 stk.3 nr.7, jf. § 66'
    gives ('SEL', '52', '3', '7') and ('SEL', '66', '', ''). A paragraph before any law name is skipped."""
    law, found = "", []
    for m in REFERENCE.finditer(" ".join(str(text or "").lower().split())):
        if m["law"]:
            law = LAWS[m["law"]]
        elif law:
            found.append((law, m["par"] + (m["letter"] or ""), m["stk"] or m["dstk"] or "", m["nr"] or m["dnr"] or ""))
    return found


def name_key(text) -> str:
    return " ".join(re.sub(r"[^\w§]+", " ", str(text or "").lower()).split())


def read(path: Path, label: str, laws: dict, names: dict) -> list:
    """Add the rows of one catalogue file to ``laws`` and ``names``; return what is wrong with it, as (file, row, column,
    words, their values, severity): :func:`lisite_validate` words them in the site's language (``measures.*``)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")  # saved by an older Excel
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if not set(COLUMNS[:3]) <= set(header):
        return [(label, 1, "", "columns_missing", {"columns": ";".join(COLUMNS)}, "error")]
    found, first = [], {}
    for line, cells in enumerate(rows[1:], start=2):
        row = {**dict.fromkeys(header, ""), **dict(zip(header, (cell.strip() for cell in cells)))}
        if not any(row.values()) or row["noegle"].startswith("#"):
            continue
        key, kind, group, place = row["noegle"], row["slags"].lower(), row["indsatsgruppe"], row.get("anbringelsessted", "").lower()
        wrong = (("slags", "bad_kind", {"value": row["slags"]}) if kind not in ("lovhjemmel", "navn") else
                 ("indsatsgruppe", "bad_group", {"value": group, "groups": ", ".join(GROUPS)}) if group not in GROUPS else
                 ("anbringelsessted", "bad_place", {"value": place, "places": ", ".join(PLACES)}) if place and place not in PLACES else
                 ("noegle", "bad_basis", {"value": key}) if kind == "lovhjemmel" and len(references(key)) != 1 else None)
        if wrong:
            found.append((label, line, wrong[0], wrong[1], wrong[2], "error"))
            continue
        known = (kind, references(key)[0] if kind == "lovhjemmel" else name_key(key))
        if known in first:  # the same key twice in one file: the later row wins, which is likely a mistake
            found.append((label, line, "noegle", "repeated", {"value": key, "first": first[known]}, "warning"))
        first[known] = line
        if kind == "lovhjemmel":
            laws[known[1]] = (group, place)
        else:
            names[known[1]] = (group, place)
    return found


def catalogue(config) -> tuple[dict, dict, list]:
    """(legal bases, names, what is wrong: see :func:`read`): the shipped catalogue, then the site's own file over it."""
    laws, names = {}, {}
    found = read(SHIPPED, "plugins/model/foranstaltninger.csv", laws, names)
    own = getattr(config, "measures_catalogue", "")
    if own:
        path = Path(config.site_dir) / own
        if path.is_file():
            found += read(path, own, laws, names)
        else:
            found.append((own, None, "", "missing_file", {"path": str(path)}, "error"))
    return laws, names, found


def classify(basis, name, laws: dict, names: dict) -> tuple[str, str, bool]:
    """(indsatsgruppe, anbringelsessted, known) for one measure."""
    group, law_place = "", ""
    for law, par, stk, nr in references(basis):
        keys = ((law, par, stk, nr), (law, par, stk, ""), (law, par, "", ""))
        hit = next((laws[k] for k in keys if k in laws), None)
        if hit:
            group = group or hit[0]  # the first paragraph named decides; "jf. § 66" ones add the place
            law_place = law_place or hit[1]
    by_name = names.get(name_key(name))
    group = group or (by_name[0] if by_name else "")
    if not group:
        return OTHER, "", False
    place = (by_name[1] if by_name and by_name[1] else law_place) if group == PLACEMENT else ""
    return group, place, True


@lisite.hookimpl
def lisite_prepare(data, config):
    """``ydelser`` with each measure's group, placement kind and family care. The classification reads three columns
    and the catalogue only: under ``lisite serve`` it is kept while those are the same (``calc.remembered``), so an
    edit of the cases, or of another column of the measures, does not classify every measure again."""
    measures = data.get("ydelser")
    if measures is None or not {"lovhjemmel", "indsatstype"} <= set(measures.columns):
        return None
    laws, names, _ = catalogue(config)
    reads = {"ydelser": ["lovhjemmel", "indsatstype", "indsatsgruppe"]}  # indsatsgruppe: the export's own, if any
    found = calc.remembered(SimpleNamespace(data=data), classified, reads, laws, names)
    out = measures.copy()
    for column in ("indsatsgruppe", "anbringelsessted", "familiepleje"):
        out[column] = found[column].to_numpy()
    out.attrs["measures"] = found.attrs["measures"]
    return {"ydelser": out}


def classified(measures, laws: dict, names: dict):
    """The derived columns of ``ydelser`` (row by row), and in ``attrs["measures"]`` the unknown measures and the
    disagreements with the export's own group, most frequent first."""
    pairs = list(zip(measures["lovhjemmel"].fillna("").astype(str).tolist(),  # lists: read in C, not cell by cell
                     measures["indsatstype"].fillna("").astype(str).tolist()))
    found = {pair: classify(*pair, laws, names) for pair in set(pairs)}
    out = pd.DataFrame(index=measures.index)
    out["indsatsgruppe"] = [found[pair][0] for pair in pairs]
    out["anbringelsessted"] = [found[pair][1] for pair in pairs]
    out["familiepleje"] = out["anbringelsessted"].isin(FAMILY_CARE).astype(bool)
    unknown = Counter(pair for pair in pairs if not found[pair][2])
    disagree = Counter()
    if "indsatsgruppe" in measures.columns:
        given = measures["indsatsgruppe"].fillna("").astype(str).str.strip()
        differs = (given != "") & (given != out["indsatsgruppe"])
        disagree = Counter(zip(given[differs], out["indsatsgruppe"][differs]))
    out.attrs = {"measures": {"unknown": unknown.most_common(), "disagree": disagree.most_common()}}
    return out


def listed(items, what, t) -> str:
    shown = [what(item, count) for item, count in items[:SHOWN]]
    more = t("measures.and_more", n=len(items) - SHOWN) if len(items) > SHOWN else ""
    return "; ".join(shown) + more


@lisite.hookimpl
def lisite_validate(data, config, t):
    """The catalogue's errors; unknown measures and disagreements with the export, one warning each, in the site's
    language (``measures.*`` in the catalogue)."""
    problems = [lisite.Problem(t(f"measures.{words}", **values), file=file, row=row, column=column, severity=severity)
                for file, row, column, words, values, severity in catalogue(config)[2]]
    measures = data.get("ydelser")
    summary = measures.attrs.get("measures") if measures is not None else None
    if not summary:
        return problems
    where = dict(file=measures.attrs.get("file", ""), severity="warning", dataset="ydelser")
    rows = lambda n: t("measures.row_one" if n == 1 else "measures.rows", n=n)  # noqa: E731
    own = getattr(config, "measures_catalogue", "")
    unknown = summary["unknown"]
    if unknown:
        names = listed(unknown, lambda pair, n: t("measures.unknown_item", basis=pair[0] or t("measures.no_basis"),
                                                  name=pair[1] or t("measures.no_name"), rows=rows(n)), t)
        target = t("measures.classify_own", file=own) if own else t("measures.classify_new")
        problems.append(lisite.Problem(t("measures.unknown", kinds=len(unknown), rows=rows(sum(n for _, n in unknown)),
                                         names=names, target=target), column="lovhjemmel", **where))
    disagree = summary["disagree"]
    if disagree:
        pairs = listed(disagree, lambda pair, n: t("measures.disagree_item", exported=pair[0], catalogue=pair[1], rows=rows(n)), t)
        problems.append(lisite.Problem(t("measures.disagree", rows=rows(sum(n for _, n in disagree)), pairs=pairs),
                                       column="indsatsgruppe", **where))
    return problems
