"""The committed world map (world.json, built by scripts/build_world_map.py from Natural Earth): SVG path data
per ISO 3166-1 alpha-2 code on an Equal Earth canvas whose size is VIEWBOX."""

import json
from functools import cache
from pathlib import Path

_FILE = Path(__file__).with_name("world.json")


@cache
def _world() -> dict:
    return json.loads(_FILE.read_text(encoding="utf-8"))


def country_paths() -> dict[str, str]:
    """Upper-case alpha-2 code -> SVG path data ("M..z") of every country large enough to draw as a shape."""
    return _world()["countries"]


@cache
def country_points() -> dict[str, tuple[int, int]]:
    """Upper-case alpha-2 code -> (x, y) for countries too small for a shape (Malta, Singapore...): draw a dot."""
    return {code: (x, y) for code, (x, y) in _world()["points"].items()}


def source() -> str:
    """Where the geometry comes from and under which licence, for a credit line."""
    return _world()["source"]


VIEWBOX: str = _world()["viewBox"]
