"""Make the small map of the 98 municipalities that the comparison pages draw.

    python scripts/make_map.py [path to ../shared/data [output file]]

Reads the DAGI municipal boundaries (``original/neogeografen_dagi_kommuner.topojson``,
2014, see ``../shared/data/README.txt``) and the DST names (``derived/kommuner_98.csv``)
and writes ``plugins/reports/sammenligning/static/kommuner.js``: a TopoJSON of the 98
municipalities keyed by kommunekode (int), Christiansø dropped, set as
``window.lisiteData.kommuner`` so a page opened from ``file://`` has it without a fetch.

Why TopoJSON: neighbouring municipalities share their border as one arc, so simplifying
each arc once (Douglas-Peucker, endpoints kept) simplifies both sides identically and
leaves no gaps or slivers. Islands under ``MIN_ISLAND_KM2`` that share no border are
dropped (a municipality keeps its largest piece whatever its size). The output is
deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "plugins" / "reports" / "sammenligning" / "static" / "kommuner.js"
SOURCE = "original/neogeografen_dagi_kommuner.topojson"
NAMES = "derived/kommuner_98.csv"
DROPPED = {411}  # Christiansø is not a municipality
TOLERANCE_M = 350.0  # the largest distance a simplified border may lie from the original
MIN_ISLAND_KM2 = 2.0
GRID = 4000  # output quantisation: about 2 x 90 m cells over Denmark's extent
HEADER = ("/* Kommunegrænser, forenklet. Indeholder data fra Styrelsen for Dataforsyning og Infrastruktur, DAGI "
          "(kommuneinddeling 2014-02-13). Lavet af lisite scripts/make_map.py. */\n")


def decode_arcs(topo: dict) -> list[list[tuple[int, int]]]:
    """The arcs as absolute quantised points (TopoJSON stores them as deltas)."""
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x, y))
        arcs.append(points)
    return arcs


def metres(topo: dict):
    """A function from quantised (x, y) to metres on a local plane (good enough for tolerances and areas)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    lat0 = math.radians(56.0)
    kx, ky = sx * 111_320 * math.cos(lat0), sy * 110_540
    return lambda p: (p[0] * kx, p[1] * ky)


def simplify(points: list[tuple[int, int]], to_m, tolerance: float) -> list[tuple[int, int]]:
    """Douglas-Peucker on one arc, keeping its ends; a closed ring keeps at least four points."""
    if len(points) <= 2:
        return list(points)
    if points[0] == points[-1]:  # a ring: split at the point farthest from the start, keep both halves
        start = to_m(points[0])
        far = max(range(1, len(points) - 1), key=lambda i: _dist2(to_m(points[i]), start))
        first = simplify(points[: far + 1], to_m, tolerance)
        second = simplify(points[far:], to_m, tolerance)
        ring = first + second[1:]
        if len(ring) < 4:  # a triangle at least: keep the middle points of each half
            ring = [points[0], points[far // 2], points[far], points[(far + len(points) - 1) // 2], points[-1]]
        return ring
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    projected = [to_m(p) for p in points]
    while stack:
        a, b = stack.pop()
        worst, at = -1.0, -1
        for i in range(a + 1, b):
            d = _segment_distance(projected[i], projected[a], projected[b])
            if d > worst:
                worst, at = d, i
        if at > 0 and worst > tolerance:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(points, keep) if k]


def _dist2(p, q) -> float:
    return (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2


def _segment_distance(p, a, b) -> float:
    length2 = _dist2(a, b)
    if length2 == 0:
        return math.sqrt(_dist2(p, a))
    t = max(0.0, min(1.0, ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / length2))
    return math.sqrt(_dist2(p, (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))))


def ring_points(ring: list[int], arcs) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        out += arc if not out else arc[1:]
    return out


def area_km2(points, to_m) -> float:
    xy = [to_m(p) for p in points]
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(xy, xy[1:] + xy[:1]))) / 2 / 1e6


def pieces_by_code(topo: dict, arcs, to_m) -> dict[int, list[list[list[int]]]]:
    """Each municipality's polygons (lists of rings of arc indexes), small unshared islands dropped."""
    geometries = topo["objects"]["stdin"]["geometries"]
    use: dict[int, int] = {}
    for g in geometries:
        for ring in g["arcs"]:
            for index in ring:
                use[index if index >= 0 else ~index] = use.get(index if index >= 0 else ~index, 0) + 1
    found: dict[int, list] = {}
    for g in geometries:
        code = int(g["properties"]["KOMKODE"])
        if code in DROPPED:
            continue
        area = area_km2(ring_points(g["arcs"][0], arcs), to_m)
        shared = any(use[i if i >= 0 else ~i] > 1 for ring in g["arcs"] for i in ring)
        found.setdefault(code, []).append((area, shared, g["arcs"]))
    out = {}
    for code, pieces in found.items():
        largest = max(a for a, _, _ in pieces)
        out[code] = [rings for a, shared, rings in pieces if shared or a >= MIN_ISLAND_KM2 or a == largest]
    return out


def encode(topo: dict, names: dict[int, str]) -> dict:
    """The simplified, re-quantised TopoJSON of the 98 municipalities."""
    arcs = decode_arcs(topo)
    to_m = metres(topo)
    pieces = pieces_by_code(topo, arcs, to_m)
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    used = sorted({i if i >= 0 else ~i for polygons in pieces.values() for rings in polygons for ring in rings for i in ring})
    simple = {i: simplify(arcs[i], to_m, TOLERANCE_M) for i in used}
    xs = [p[0] for i in used for p in simple[i]]
    ys = [p[1] for i in used for p in simple[i]]
    x0, y0 = min(xs), min(ys)
    step = max(max(xs) - x0, max(ys) - y0) / (GRID - 1)
    renumber, out_arcs = {}, []
    for i in used:
        points = []
        for x, y in simple[i]:
            q = (round((x - x0) / step), round((y - y0) / step))
            if not points or q != points[-1]:
                points.append(q)
        if len(points) == 1:
            points.append(points[0])
        renumber[i] = len(out_arcs)
        out_arcs.append([list(points[0])] + [[b[0] - a[0], b[1] - a[1]] for a, b in zip(points, points[1:])])

    def ring(indexes):
        return [renumber[i] if i >= 0 else ~renumber[~i] for i in indexes]

    geometries = [{"type": "MultiPolygon", "id": code, "properties": {"navn": names[code]},
                   "arcs": [[ring(r) for r in rings] for rings in pieces[code]]} for code in sorted(pieces)]
    scale = [round(sx * step, 10), round(sy * step, 10)]
    translate = [round(tx + sx * x0, 8), round(ty + sy * y0, 8)]
    return {"type": "Topology", "transform": {"scale": scale, "translate": translate},
            "objects": {"kommuner": {"type": "GeometryCollection", "geometries": geometries}}, "arcs": out_arcs}


def main(shared: Path, out: Path = OUT) -> Path:
    topo = json.loads((shared / SOURCE).read_text(encoding="utf-8"))
    with (shared / NAMES).open(encoding="utf-8", newline="") as f:
        names = {int(row["kommunekode"]): row["kommunenavn"] for row in csv.DictReader(f)}
    result = encode(topo, names)
    codes = [g["id"] for g in result["objects"]["kommuner"]["geometries"]]
    if sorted(codes) != sorted(names):
        raise SystemExit(f"the boundaries and the names disagree: {sorted(set(codes) ^ set(names))}")
    text = json.dumps(result, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(HEADER + "window.lisiteData = window.lisiteData || {};\nwindow.lisiteData.kommuner = " + text + ";\n",
                   encoding="utf-8", newline="\n")
    print(f"{out}: {len(codes)} municipalities, {len(result['arcs'])} arcs, {out.stat().st_size:,} bytes")
    return out


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data", *(Path(a) for a in sys.argv[2:3]))
