"""Regenerate apps/insights/geo/world.json, the world map that apps/insights/charts/world_map.py draws countries from.

A developer tool (standard library only), not a runtime dependency. The inputs come from the npm registry:

    cd /tmp && npm pack world-atlas@2.0.2 i18n-iso-countries@7.14.0
    mkdir -p world-atlas iso-countries
    tar xzf world-atlas-2.0.2.tgz -C world-atlas && tar xzf i18n-iso-countries-7.14.0.tgz -C iso-countries
    cd /work/main && python scripts/build_world_map.py /tmp/world-atlas/package /tmp/iso-countries/package

Sources and licences:
- Shapes: Natural Earth 1:50m admin-0 countries (public domain), as TopoJSON in the npm package `world-atlas`
  2.0.2 (ISC licence, Mike Bostock): countries-50m.json. A country too small to keep a shape on the canvas
  (Malta, Singapore, Hong Kong, Caribbean and Pacific islands...) is kept as one point, the centre of its
  largest piece, so a chart can still mark it with a dot.
- ISO 3166-1 numeric to alpha-2 codes: codes.json of the npm package `i18n-iso-countries` 7.14.0 (MIT).

What the script does: decodes the TopoJSON arcs, drops Antarctica, splits the few shapes that cross the
180th meridian (Russia, Fiji) into their two sides, projects with Equal Earth (an equal-area
projection that looks like a normal world map), simplifies each shared arc once (Douglas-Peucker, so
neighbouring borders stay identical), rounds to integers on a canvas WIDTH units wide and writes compact
relative SVG path data: {"source": ..., "viewBox": "0 0 W H", "countries": {"IT": "M..z", ...},
"points": {"MT": [x, y], ...}}. Kosovo (no ISO code in the data) is written as XK, the code phone numbering
uses; Northern Cyprus and Somaliland are drawn as part of CY and SO.
"""

import json
import math
import sys
from itertools import pairwise
from pathlib import Path

WIDTH = 1000  # canvas width in SVG units; charts scale it to the page
SHAPES = "countries-50m.json"
TOLERANCE = 0.45  # Douglas-Peucker tolerance in canvas units (below one rounding step)
MIN_RING_AREA = 1.5  # islands smaller than this many square units vanish (their country keeps its mainland)
OUT = Path(__file__).resolve().parent.parent / "apps" / "insights" / "geo" / "world.json"
SOURCE = (
    "Natural Earth 1:50m admin-0 countries (public domain) via the npm package world-atlas 2.0.2 "
    "(ISC); ISO codes from i18n-iso-countries 7.14.0 (MIT). Equal Earth projection, Antarctica dropped. "
    "Built by scripts/build_world_map.py."
)
# Features that carry no ISO numeric code in Natural Earth: where they go on our map.
UNCODED = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}
DROP = {"AQ"}  # Antarctica: a large white band that says nothing about phone calls

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth projection (Šavrič, Patterson, Jenny 2018) of degrees to unit coordinates, y pointing up."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Delta-decode the quantized arcs into lists of (longitude, latitude)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def polygons(geometry: dict) -> list[list[list[int]]]:
    """The polygons of a geometry as lists of rings, each ring a list of arc indices."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def ring_points(ring: list[int], arcs: list[list]) -> list:
    """Join a ring's arcs (a negative index ~i means arc i reversed), dropping each shared joint once."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[int]:
    """Douglas-Peucker, iterative: the indices of the points to keep, both ends always (arcs still meet)."""
    if len(points) < 3:
        return list(range(len(points)))
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, worst_at = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - x1, py - y1)
            else:
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            if distance > worst:
                worst, worst_at = distance, i
        if worst_at is not None and worst > tolerance:
            keep[worst_at] = True
            stack.extend([(first, worst_at), (worst_at, last)])
    return [i for i, k in enumerate(keep) if k]


def edges(ring: list) -> zip:
    """Each side of a closed ring as (start, end), the last one back to the first point."""
    return zip(ring, ring[1:] + ring[:1], strict=True)


def crosses_antimeridian(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) > 180


def simplify_arc(arc: list[tuple[float, float]], project, tolerance: float) -> list[tuple[float, float]]:
    """Simplify an arc in canvas space, treating each side of an antimeridian jump as its own piece."""
    pieces, start = [], 0
    for i in range(1, len(arc)):
        if crosses_antimeridian(arc[i - 1], arc[i]):
            pieces.append(arc[start:i])
            start = i
    pieces.append(arc[start:])
    out = []
    for piece in pieces:
        out.extend(piece[i] for i in simplify([project(p) for p in piece], tolerance))
    return out


def clip(ring: list[tuple[float, float]], keep) -> list[tuple[float, float]]:
    """Sutherland-Hodgman against the meridian keep() names: keep(lon) -> (inside, boundary lon)."""
    out = []
    for a, b in edges(ring):
        (a_in, edge), (b_in, _) = keep(a[0]), keep(b[0])
        if a_in:
            out.append(a)
        if a_in != b_in:
            t = (edge - a[0]) / (b[0] - a[0])
            out.append((edge, a[1] + t * (b[1] - a[1])))
    return out


def split_at_antimeridian(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that jumps across ±180° becomes its pieces on either side of the map (else the ring as it is)."""
    if not any(crosses_antimeridian(a, b) for a, b in edges(ring)):
        return [ring]
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        lon += 360 * round((unwrapped[-1][0] - lon) / 360)
        unwrapped.append((lon, lat))
    pieces = []
    for shift in (-360, 0, 360):
        piece = [(lon + shift, lat) for lon, lat in unwrapped]
        piece = clip(clip(piece, lambda lon: (lon <= 180, 180)), lambda lon: (lon >= -180, -180))
        if len(piece) >= 3 and area(piece) > 0:
            pieces.append(piece)
    return pieces


def area(points: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in edges(points))) / 2


def centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Area-weighted centre of a ring (vertex mean for degenerate rings)."""
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in edges(points):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(a) < 1e-9:
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    return cx / (3 * a), cy / (3 * a)


def path_data(rings: list[list[tuple[int, int]]]) -> str:
    """Compact SVG path: absolute move to each ring's start, then relative lines, 'z' to close."""
    parts = []
    for ring in rings:
        numbers = [n for (x1, y1), (x2, y2) in pairwise(ring) for n in (x2 - x1, y2 - y1)]
        text = f"M{ring[0][0]} {ring[0][1]}l{numbers[0]}"
        for n in numbers[1:]:  # a minus sign separates numbers by itself
            text += str(n) if n < 0 else f" {n}"
        parts.append(text + "z")
    return "".join(parts)


def main(atlas_dir: str, iso_dir: str) -> None:
    codes = {numeric: alpha2 for alpha2, _alpha3, numeric, *_ in json.loads(Path(iso_dir, "codes.json").read_text())}
    topology = json.loads(Path(atlas_dir, SHAPES).read_text())
    arcs = decode_arcs(topology)

    def code_of(geometry: dict) -> str | None:
        if "id" in geometry:
            return codes.get(geometry["id"])
        return UNCODED.get(geometry["properties"]["name"])

    kept = [(code_of(g), g) for g in topology["objects"]["countries"]["geometries"]]
    kept = [(code, g) for code, g in kept if code and code not in DROP]
    used = {i if i >= 0 else ~i for _, g in kept for poly in polygons(g) for ring in poly for i in ring}

    # Canvas: the projected extent of every kept country, WIDTH units wide, y pointing down.
    projected = [equal_earth(lon, lat) for i in used for lon, lat in arcs[i]]
    xs, ys = [x for x, _ in projected], [y for _, y in projected]
    scale = WIDTH / (max(xs) - min(xs))
    left, top = min(xs), max(ys)
    height = math.ceil((max(ys) - min(ys)) * scale)

    def to_canvas(lon: float, lat: float) -> tuple[float, float]:
        x, y = equal_earth(lon, lat)
        return (x - left) * scale, (top - y) * scale

    simplified = {i: simplify_arc(arcs[i], lambda p: to_canvas(*p), TOLERANCE) for i in used}
    shapes: dict[str, list] = {}
    largest: dict[str, tuple[float, list]] = {}  # the biggest piece of each country, for a dot if it has no shape
    for code, geometry in kept:
        for poly in polygons(geometry):
            for ring_index, ring in enumerate(poly):
                for piece in split_at_antimeridian(ring_points(ring, simplified)):
                    canvas = [to_canvas(lon, lat) for lon, lat in piece]
                    if ring_index == 0 and area(canvas) > largest.get(code, (-1, None))[0]:
                        largest[code] = (area(canvas), canvas)
                    rounded = [(round(x), round(y)) for x, y in canvas]
                    rounded = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
                    if rounded[-1] == rounded[0]:
                        rounded.pop()
                    # An island below MIN_RING_AREA vanishes, and so does a hole in a shape that small.
                    if len(rounded) >= 3 and area(rounded) >= MIN_RING_AREA:
                        shapes.setdefault(code, []).append(rounded)
    countries = {code: path_data(rings) for code, rings in sorted(shapes.items())}
    points = {code: [round(c) for c in centroid(ring)] for code, (_, ring) in largest.items() if code not in shapes}

    document = {
        "source": SOURCE,
        "viewBox": f"0 0 {WIDTH} {height}",
        "countries": countries,
        "points": dict(sorted(points.items())),
    }
    OUT.write_text(json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n")
    print(f"{OUT}: {len(countries)} countries, {len(points)} points, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
