"""What every chart shares: colours, the font and its width for layout, escaping, number and coordinate
formats, the standalone <svg> document with its hatch pattern, the legend, and the empty chart.

Names with an underscore are this package's internals, shared by its chart modules; pages use the charts.
"""

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from apps.core import formats

# Colour-blind-safe sequential blues (ColorBrewer "Blues", light to dark) plus the neutrals around them;
# templates use the same values for HTML legends and tables.
COLOURS = {
    "ink": "#373c44",
    "muted": "#5b6370",  # 5.9:1 on white
    "grid": "#e3e8ee",
    "axis": "#8a939e",
    "bar": "#2f6fae",
    "marker": "#b4501a",  # orange against the blues: tells apart for every common colour vision
    "onset": "#6a2c91",  # purple: the surge's onset, apart from the breach's own dates (orange)
    "onset_band": "#6a2c91",
    "hidden": "#9aa4b0",  # hatch lines of a suppressed value
    "hidden_bg": "#f2f4f6",
    "empty": "#eef1f5",  # a heat-map hour with nobody
    "no_data": "#dde2e8",  # a country with no figure
    "border": "#ffffff",
    "scale": ("#c6dbef", "#9ecae1", "#6baed6", "#3787c0", "#1a64a6", "#0b3f7a"),
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif"
CHAR = 0.6  # average glyph width of FONT in ems (wide fonts such as DejaVu Sans included), for layout


@dataclass(frozen=True)
class Marker:
    """A dated event drawn as a labelled vertical line on the time axis."""

    day: date
    label: str  # e.g. "Breach occurred"
    kind: str = "event"  # "onset": the day a surge began, drawn apart with its interval (low to high) shaded
    low: date | None = None
    high: date | None = None


# --- helpers --------------------------------------------------------------------------------------------------


def _esc(value: object) -> str:
    return str(escape(str(value)))


def _fmt(value: int) -> str:
    return formats.number(value)


def _width(text: str, size: float, *, bold: bool = False) -> float:
    return len(text) * size * CHAR * (1.1 if bold else 1)


def _n(value: float) -> str:
    """A coordinate: one decimal at most, no trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _fit(text: str, size: float, width: float) -> str:
    """The text, cut short with an ellipsis where it would run wider than `width`."""
    while _width(text, size) > width and len(text) > 4:
        text = text[:-2].rstrip() + "…"
    return text


def _chart_id(chart_id: str, *parts: object) -> str:
    """The prefix of the chart's ids (ID-title, ID-desc, ID-hatch): the caller's chart_id made XML-safe, or a
    stable one derived from the chart's content."""
    if not chart_id:
        chart_id = "chart-" + hashlib.blake2s(repr(parts).encode(), digest_size=5).hexdigest()
    chart_id = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id)
    return chart_id if chart_id[0].isalpha() else f"c{chart_id}"


def _text(x: float, y: float, text: str, *, size: float = 12, anchor: str = "start", **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{_esc(value)}"' for name, value in attributes.items())
    anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}"{anchor_attr}{extra}>{_esc(text)}</text>'


def _hidden_word() -> str:
    """What a suppressed figure shows instead of its number."""
    return pgettext("suppressed figure", "hidden")


def _hidden_text(min_people: int) -> str:
    return gettext("Hidden: fewer than %(count)s people") % {"count": _fmt(min_people)}


def _colour(t: float) -> str:
    """The sequential scale at t in [0, 1], interpolated between its steps."""
    stops = COLOURS["scale"]
    position = max(0.0, min(1.0, t)) * (len(stops) - 1)
    i = min(int(position), len(stops) - 2)
    f = position - i
    a, b = (tuple(int(s[k : k + 2], 16) for k in (1, 3, 5)) for s in (stops[i], stops[i + 1]))
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))


def _scale(values: list[int], *, log: bool) -> tuple:
    """(lowest, highest, value -> t in [0, 1]): linear from zero, or with `log` and figures spanning more than
    twenty-fold, logarithmic from the lowest."""
    low, high = min(values), max(values)
    if not log:
        return low, high, lambda v: v / high
    if high == low:
        return low, high, lambda v: 1.0
    if high / low >= 20:
        span = math.log(high / low)
        return low, high, lambda v: math.log(v / low) / span
    return low, high, lambda v: (v - low) / (high - low)


def _nice_ticks(highest: int, count: int = 4) -> list[int]:
    """Round y-axis ticks from 0 to at least `highest`."""
    if highest <= 0:
        return [0]
    raw = highest / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    top = math.ceil(highest / step) * step
    return list(range(0, top + 1, step))


def _document(cid: str, width: float, height: float, title: str, desc: str, body: str, hatch: float = 6) -> str:
    size = _n(hatch)
    defs = (
        f'<defs><pattern id="{cid}-hatch" width="{size}" height="{size}" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="{size}" height="{size}" fill="{COLOURS["hidden_bg"]}"/>'
        f'<path d="M0 0V{size}" stroke="{COLOURS["hidden"]}" stroke-width="{_n(hatch * 0.4)}"/></pattern></defs>'
    )
    # Safe to mark: every text in `body` went through _text() or _esc() (labels, brands and tooltips typed by
    # people included: tests/insights/test_charts.py), and everything else is numbers formatted by _n(),
    # colours from COLOURS, ids made XML-safe by _chart_id() and the static map's paths.
    return mark_safe(  # noqa: S308
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="{FONT}" fill="{COLOURS["ink"]}">'
        f'<title id="{cid}-title">{_esc(title)}</title><desc id="{cid}-desc">{_esc(desc)}</desc>'
        f"{defs}{body}</svg>"
    )


def _no_data(cid: str, title: str, description: str, width: float = 400) -> str:
    message = gettext("No data to show")
    body = (
        f'<rect x="0.5" y="0.5" width="{_n(width - 1)}" height="79" rx="6" fill="none" stroke="{COLOURS["grid"]}"/>'
        + _text(width / 2, 45, message, size=15, anchor="middle", fill=COLOURS["muted"])
    )
    return _document(cid, width, 80, title, description or message, body)


def _legend(
    items: list[tuple], *, x: float, y: float, width: float, size: float, hatch_id: str, ink: str = COLOURS["muted"]
) -> tuple[str, float]:
    """Lay legend items out left to right, wrapping within `width`; returns (svg, height used).

    Items: ("swatch", fill, text), ("hatch", text) or ("ramp", low_text, high_text)."""
    box, gap, line = size * 1.1, size * 1.4, size * 1.7
    out, cx, cy = [], x, y
    for item in items:
        if item[0] == "ramp":
            low, high = item[1], item[2]
            item_width = _width(low, size) + 5 * box + _width(high, size) + size
        else:
            item_width = box + size * 0.4 + _width(item[-1], size)
        if cx > x and cx + item_width > x + width:
            cx, cy = x, cy + line
        top = cy - box * 0.82
        if item[0] == "ramp":
            out.append(_text(cx, cy, item[1], size=size, fill=ink))
            sx = cx + _width(item[1], size) + size * 0.5
            for i in range(5):
                out.append(
                    f'<rect x="{_n(sx + i * box)}" y="{_n(top)}" width="{_n(box)}" height="{_n(box)}" '
                    f'fill="{_colour(i / 4)}"/>'
                )
            out.append(_text(sx + 5 * box + size * 0.5, cy, item[2], size=size, fill=ink))
        else:
            fill = f"url(#{hatch_id})" if item[0] == "hatch" else item[1]
            out.append(
                f'<rect x="{_n(cx)}" y="{_n(top)}" width="{_n(box)}" height="{_n(box)}" fill="{fill}" '
                f'stroke="{COLOURS["axis"]}" stroke-width="{_n(size / 24)}"/>'
            )
            out.append(_text(cx + box + size * 0.4, cy, item[-1], size=size, fill=ink))
        cx += item_width + gap
    return "".join(out), cy - y + line
