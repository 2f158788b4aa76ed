"""Attack the suppression of municipalities' sample-data sites, as the tests attack the demo, the second municipality
and Læsø: build each site with the recorder of ``tests/disclosure.py`` and work out, by linear programming, what each
audience's sums and labels leave of every hidden cell. Prints one line per audience and every cell worked out exactly;
exits 1 when there is one.

    python scripts/disclosure_scan.py 665 336          # Lemvig and Stevns
    python scripts/disclosure_scan.py --smallest 30    # the 30 smallest municipalities
    python scripts/disclosure_scan.py --across 741     # Samsø's September report beside its June report
    python scripts/disclosure_scan.py --across --late 0.2 741  # ... June made before a fifth of its notifications were in
    python scripts/disclosure_scan.py --seed 7 --smallest 30   # other sample data than the tests' (seed 2026)
    python scripts/disclosure_scan.py --year --late 0.2 741    # Samsø's September report beside eleven monthly ones

``--across`` builds each site for June 2026 and then for September 2026, as a municipality's site holds its earlier
report in its archive, and attacks the September report with what the June report showed too (its cells, its labels
and the 12-month sums its pages show): the suppression across reports (``lisite.earlier``). ``--year`` builds it once
a month from October 2025 to September 2026, as a scheduled job does, and attacks the twelfth report with all eleven
earlier ones together; with ``--late``, that share of the notifications is registered one to three months after the
month it was received in, so the months the reports share have other figures in each.

Each site is made in ``--work`` (default: a new temporary folder) with ``lisite.buildall.prepare``, so its sample
data are the ones ``lisite build-all`` makes. It needs lisite with its test extras (``pip install -e ".[test]"``: the
attack's sums are written with scipy's sparse matrices and solved with HiGHS's own settings, not as the check itself
solves them) and the repository's ``tests/disclosure.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

# the year of monthly reports the benchmark builds too (scripts/benchmark.py, beside this script)
from benchmark import YEAR
from disclosure import (
    Recorder,
    attack_across,
    attack_changed,
    attack_parts,
    attack_reports,
    attack_seen,
    june_and_september,
    load,
    monthly_reports,
)

from lisite.build import build
from lisite.buildall import prepare
from lisite.sampledata.kommuner import KOMMUNER, find


def scan(code: int, work: Path, seed: int = 2026) -> list[str]:
    """The findings of every audience of one municipality's site, each line naming the audience: hidden cells (of
    indicators that count the same, attacked together: ``attack_seen``), and hidden numerators and rests of shares
    (``attack_parts``)."""
    kommune = find(code)
    site, recorded = work / str(code) / "site", work / str(code) / "disclosure"
    prepare(site, kommune, None, seed=seed)
    build(site, extra_plugins=[("disclosure_recorder", Recorder(recorded))])
    found = []
    for audience in sorted(path.stem for path in recorded.glob("*.pickle")):
        min_count, records = load(recorded, audience)
        problems = []
        for record in records:
            try:
                problems += attack_parts(record, min_count)
            except AssertionError as exc:  # the labels and sums contradict each other: a label is false
                problems.append(f"{record.indicator}: {exc}")
        try:
            problems += attack_seen(records, min_count)
        except AssertionError as exc:
            problems.append(f"{audience}: {exc}")
        hidden = sum(int(record.periods["suppressed"].sum()) for record in records)
        print(f"{code} {kommune.name} {audience}: {hidden} hidden, {len(problems)} worked out", flush=True)
        found += [f"{code} {kommune.name} {audience}: {problem}" for problem in problems]
    return found


def scan_across(code: int, work: Path, late: float = 0.0, seed: int = 2026) -> list[str]:
    """The findings of the September report beside the June report, each line naming the audience; with ``late``, June
    made before that share of its first half-year's notifications was registered (:func:`disclosure.attack_changed`)."""
    kommune = find(code)
    site = work / str(code) / "site"
    june_and_september(site, code, late, seed)
    attack = attack_changed if late else attack_across
    found = attack(site.parent / "september", site.parent / "june", site / "_site", "2026-06")
    print(f"{code} {kommune.name} across June and September: {len(found)} worked out", flush=True)
    return [f"{code} {kommune.name} {line}" for line in found]


def scan_year(code: int, work: Path, late: float = 0.0, seed: int = 2026) -> list[str]:
    """The findings of the twelfth monthly report beside the eleven before it, each line naming the audience."""
    kommune = find(code)
    site = work / str(code) / "site"
    monthly_reports(site, code, YEAR, late, seed)
    found = attack_reports(site.parent, YEAR)
    print(f"{code} {kommune.name} across {len(YEAR)} monthly reports: {len(found)} worked out", flush=True)
    return [f"{code} {kommune.name} {line}" for line in found]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("codes", nargs="*", type=int, help="municipality codes")
    parser.add_argument("--smallest", type=int, default=0, help="also the N municipalities with the fewest inhabitants")
    parser.add_argument("--work", type=Path, default=None, help="folder for the sites (default: a new temporary one)")
    parser.add_argument("--across", action="store_true", help="attack the September report beside the June report")
    parser.add_argument("--year", action="store_true", help="attack the last of twelve monthly reports beside the eleven before it")
    parser.add_argument("--late", type=float, default=0.0, metavar="SHARE",
                        help="with --across: June built before this share of January-June 2026's notifications was registered; "
                             "with --year: this share of the notifications registered one to three months late")
    parser.add_argument("--seed", type=int, default=2026, help="the sample data's seed, as lisite build-all --seed (default: 2026)")
    args = parser.parse_args()
    codes = list(dict.fromkeys([*args.codes, *(k.code for k in sorted(KOMMUNER, key=lambda k: k.inhabitants)[:args.smallest])]))
    if not codes:
        parser.error("give municipality codes or --smallest N")
    work = args.work or Path(tempfile.mkdtemp(prefix="lisite-disclosure-"))
    if args.across and args.year:
        parser.error("--across and --year are two different attacks: give one")
    attack = scan_year if args.year else scan_across if args.across else None
    found = [line for code in codes for line in (attack(code, work, args.late, args.seed) if attack else scan(code, work, args.seed))]
    for line in found:
        print(line)
    print(f"{len(codes)} municipalities, {len(found)} hidden cells worked out (sites in {work})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
