"""Command line: ``python -m lisite.sampledata --out sample_data [--seed 2026] [--kommune 479]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from lisite.sampledata import generate
from lisite.sampledata.kommuner import find


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lisite.sampledata",
        description="Write deterministic synthetic (fictional) sample data for lisite.",
    )
    parser.add_argument("--out", type=Path, default=Path("sample_data"), help="folder to write into (default: sample_data)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")
    parser.add_argument("--kommune", type=int, default=479, help="municipality code of the demo municipality (default: 479 Svendborg)")
    args = parser.parse_args(argv)
    try:
        find(args.kommune)
    except ValueError as exc:
        parser.error(str(exc))
    started = time.perf_counter()
    paths = generate(args.out, seed=args.seed, kommune=args.kommune)
    for path in paths:
        print(path)
    print(f"{len(paths)} files in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
