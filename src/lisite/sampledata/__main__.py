"""Command line: ``python -m lisite.sampledata --out sample_data [--seed 2026] [--kommune 479] [--variant anden]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from lisite.sampledata import generate, second_site
from lisite.sampledata.kommuner import find
from lisite.sampledata.second import KOMMUNE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lisite.sampledata",
        description="Write deterministic synthetic (fictional) sample data for lisite.",
    )
    parser.add_argument("--out", type=Path, default=None,
                        help="folder to write into (default: sample_data; anden_kommune with --variant anden)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")
    parser.add_argument("--kommune", type=int, default=None,
                        help="municipality code (default: 479 Svendborg; 657 Herning with --variant anden)")
    parser.add_argument("--variant", choices=("demo", "anden"), default="demo",
                        help="demo: the demo's sample data; anden: a whole site for a second municipality shaped differently")
    args = parser.parse_args(argv)
    kommune = args.kommune or (KOMMUNE if args.variant == "anden" else 479)
    try:
        find(kommune)
    except ValueError as exc:
        parser.error(str(exc))
    started = time.perf_counter()
    if args.variant == "anden":
        paths = second_site(args.out or Path("anden_kommune"), seed=args.seed, kommune=kommune)
    else:
        paths = generate(args.out or Path("sample_data"), seed=args.seed, kommune=kommune)
    for path in paths:
        print(path)
    print(f"{len(paths)} files in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
