"""Charts as self-contained SVG documents, drawn on the server: the same string goes into a page or a PDF.

Pure functions of chart-ready data (no database). Each returns one standalone `<svg>` with a <title> and a
<desc> for screen readers, inline presentation attributes only (no stylesheet, font, script or link outside
it), ids prefixed by the chart's id so several charts can share a page, every text escaped, and numbers
grouped for the active language. A value of None means the privacy rule hid it (fewer than `min_people`
people): it is drawn hatched and never as a number or as zero.
"""

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from apps.insights.geo import VIEWBOX as MAP_VIEWBOX
from apps.insights.geo import country_paths, country_points

# Colour-blind-safe sequential blues (ColorBrewer "Blues", light to dark) plus the neutrals around them;
# templates use the same values for HTML legends and tables.
COLOURS = {
    "ink": "#373c44",
    "muted": "#5b6370",  # 5.9:1 on white
    "grid": "#e3e8ee",
    "axis": "#8a939e",
    "bar": "#2f6fae",
    "marker": "#b4501a",  # orange against the blues: tells apart for every common colour vision
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


# --- helpers --------------------------------------------------------------------------------------------------


def _esc(value: object) -> str:
    return str(escape(str(value)))


def _fmt(value: int) -> str:
    return number_format(value, force_grouping=True)


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
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
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
    return mark_safe(  # noqa: S308 - every text inside went through _esc
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


# --- timeline -------------------------------------------------------------------------------------------------


def _day_ticks(start: date, days: int, day_width: float) -> list[tuple[date, str, str]]:
    """(day, label, second line) for the x axis: days on short ranges, months on long ones."""
    if days <= 62:
        step = next((s for s in (1, 2, 7, 14) if s * day_width >= 46), 28)
        ticks = [start + timedelta(days=i) for i in range(0, days, step)]
        return [
            (d, date_format(d, "j M"), str(d.year) if i == 0 or d.month == 1 and d.day <= step else "")
            for i, d in enumerate(ticks)
        ]
    step = next((s for s in (1, 2, 3, 6) if s * 30.44 * day_width >= 40), 12)
    end = start + timedelta(days=days - 1)
    month = date(start.year, start.month, 1)
    ticks = []
    while month <= end:
        if month >= start and (month.month - 1) % step == 0:
            ticks.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return [(d, date_format(d, "M"), str(d.year) if i == 0 or d.month == 1 else "") for i, d in enumerate(ticks)]


def _day_bars(
    visible: dict,
    hidden_days: list[date],
    first: date,
    last: date,
    *,
    x_of,
    day_width: float,
    top: float,
    base: float,
    scale: float,
    hatch: str,
) -> str:
    """One bar per day with a tooltip; when bars get thinner than 3 units, one solid stepped area instead (thin
    anti-aliased bars would look washed out) and hidden days merged into runs."""
    hidden_word = _hidden_word()
    out = []
    if day_width >= 3:
        gap = day_width * 0.18
        for day in hidden_days:
            out.append(
                f'<rect x="{_n(x_of(day) + gap / 2)}" y="{_n(top)}" width="{_n(day_width - gap)}" '
                f'height="{_n(base - top)}" fill="{hatch}"><title>{_esc(date_format(day, "j M Y"))}: '
                f"{_esc(hidden_word)}</title></rect>"
            )
        for day, value in sorted(visible.items()):
            if value:
                height = value * scale
                out.append(
                    f'<rect x="{_n(x_of(day) + gap / 2)}" y="{_n(base - height)}" '
                    f'width="{_n(day_width - gap)}" height="{_n(height)}" fill="{COLOURS["bar"]}"><title>'
                    f"{_esc(date_format(day, 'j M Y'))}: {_esc(_fmt(value))}</title></rect>"
                )
        return "".join(out)
    runs: list[list[date]] = []
    for day in hidden_days:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    for run in runs:
        when = date_format(run[0], "j M Y") + (f" – {date_format(run[-1], 'j M Y')}" if len(run) > 1 else "")
        out.append(
            f'<rect x="{_n(x_of(run[0]))}" y="{_n(top)}" width="{_n(len(run) * day_width)}" '
            f'height="{_n(base - top)}" fill="{hatch}"><title>{_esc(when)}: {_esc(hidden_word)}</title></rect>'
        )
    steps, level = [f"M{_n(x_of(first))} {_n(base)}"], base
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        y = base - (visible.get(day) or 0) * scale
        if y != level:
            steps.append(f"H{_n(x_of(day))}V{_n(y)}")
            level = y
    steps.append(f"H{_n(x_of(last) + day_width)}V{_n(base)}Z")
    out.append(f'<path d="{"".join(steps)}" fill="{COLOURS["bar"]}"/>')
    return "".join(out)


def timeline_svg(
    points: list[tuple[date, int | None]],
    *,
    title: str,
    description: str = "",
    markers: list[Marker] = (),
    value_label: str = "contacts",
    min_people: int = 10,
    chart_id: str = "",
) -> str:
    """Contacts per day as bars (days missing between the first and last point are zero, None is hatched),
    with markers as labelled vertical lines; the axis stretches to include markers outside the data.
    720 units wide: put it in a `.chart-scroll` container so phones scroll it rather than shrink it."""
    cid = _chart_id(chart_id, "timeline", title, points, markers)
    values = dict(points)
    if not values:
        return _no_data(cid, title, description)
    first, last = min(values), max(values)
    start = min([first, *(m.day for m in markers)])
    end = max([last, *(m.day for m in markers)])
    days = (end - start).days + 1
    visible = {d: v for d, v in values.items() if v is not None}
    hidden_days = sorted(d for d, v in values.items() if v is None)
    highest = max(visible.values(), default=0)

    width, size, plot_height = 720, 12.5, 190
    ticks = _nice_ticks(highest)
    left = max(_width(_fmt(t), size) for t in ticks) + 12
    right = 14
    day_width = (width - left - right) / days

    def x_of(day: date) -> float:
        return left + (day - start).days * day_width

    # Marker labels (name, then date) stack in rows so that neighbouring events never overlap.
    rows: list[float] = []  # right edge of the last label in each row
    placed = []
    for marker in sorted(markers, key=lambda m: m.day):
        centre = x_of(marker.day) + day_width / 2
        when, label = date_format(marker.day, "j M Y"), _fit(marker.label, size * 1.1, width * 0.4)
        label_width = max(_width(label, size, bold=True), _width(when, size - 1)) + 6
        anchor, x0 = ("start", centre + 4) if centre + 4 + label_width <= width else ("end", centre - 4)
        span = (x0, x0 + label_width) if anchor == "start" else (x0 - label_width, x0)
        row = next((i for i, edge in enumerate(rows) if span[0] > edge + 8), len(rows))
        rows[row : row + 1] = [span[1]]
        placed.append((label, centre, anchor, x0, row, when))
    row_height = 2 * size + 8
    top = 26 + len(rows) * row_height
    base = top + plot_height
    scale = plot_height / (ticks[-1] or 1)

    out = [_text(0, 14, value_label, size=size, fill=COLOURS["muted"])]
    for t in ticks:
        y = base - t * scale
        colour = COLOURS["axis"] if t == 0 else COLOURS["grid"]
        out.append(f'<path d="M{_n(left)} {_n(y)}H{_n(width - right)}" stroke="{colour}"/>')
        out.append(_text(left - 8, y + size * 0.35, _fmt(t), size=size, anchor="end", fill=COLOURS["muted"]))

    out.append(
        _day_bars(
            visible,
            hidden_days,
            first,
            last,
            x_of=x_of,
            day_width=day_width,
            top=top,
            base=base,
            scale=scale,
            hatch=f"url(#{cid}-hatch)",
        )
    )

    for day, label, year in _day_ticks(start, days, day_width):
        x = x_of(day) + (day_width / 2 if days <= 62 else 0)
        out.append(f'<path d="M{_n(x)} {_n(base)}v5" stroke="{COLOURS["axis"]}"/>')
        out.append(_text(x, base + 19, label, size=size, anchor="middle", fill=COLOURS["muted"]))
        if year:
            out.append(_text(x, base + 19 + size + 3, year, size=size, anchor="middle", fill=COLOURS["muted"]))

    for label, centre, anchor, x0, row, when in placed:
        y = 26 + row * row_height
        out.append(
            f'<path d="M{_n(centre)} {_n(y)}V{_n(base)}" stroke="{COLOURS["marker"]}" stroke-width="1.5" '
            f'stroke-dasharray="4 3"/>'
        )
        out.append(_text(x0, y + size, label, size=size, anchor=anchor, fill=COLOURS["marker"], font_weight="600"))
        out.append(_text(x0, y + 2 * size + 3, when, size=size - 1, anchor=anchor, fill=COLOURS["muted"]))

    height = base + 19 + 2 * size + 8
    if hidden_days:
        legend, used = _legend(
            [("hatch", _hidden_text(min_people))],
            x=left,
            y=height + 4,
            width=width - left,
            size=size,
            hatch_id=f"{cid}-hatch",
        )
        out.append(legend)
        height += used
    if not description:
        description = gettext("%(label)s per day from %(start)s to %(end)s.") % {
            "label": value_label,
            "start": date_format(first, "j M Y"),
            "end": date_format(last, "j M Y"),
        }
        if highest:
            peak = max(visible, key=lambda d: visible[d])
            description += " " + gettext("Highest: %(value)s on %(day)s.") % {
                "value": _fmt(highest),
                "day": date_format(peak, "j M Y"),
            }
        if hidden_days:
            description += " " + ngettext(
                "%(count)s day hidden (fewer than %(k)s people).",
                "%(count)s days hidden (fewer than %(k)s people).",
                len(hidden_days),
            ) % {
                "count": _fmt(len(hidden_days)),
                "k": _fmt(min_people),
            }
        for marker in markers:
            description += f" {marker.label}: {date_format(marker.day, 'j M Y')}."
    return _document(cid, width, height, title, description, "".join(out))


# --- ranked bars ----------------------------------------------------------------------------------------------


def bar_chart_svg(
    rows: list[tuple[str, int | None]],
    *,
    title: str,
    description: str = "",
    value_label: str = "contacts",
    min_people: int = 10,
    chart_id: str = "",
    max_rows: int = 12,
) -> str:
    """Horizontal bars in the order given, each label above its bar and the value at its end; None rows get a
    short hatched stub and the word 'hidden'. 400 units wide, legible on a phone."""
    rows = list(rows)[:max_rows]
    cid = _chart_id(chart_id, "bars", title, rows)
    if not rows:
        return _no_data(cid, title, description)
    width, size, bar_height, row_height = 400, 14, 16, 46
    hidden = _hidden_word()
    texts = [_fmt(v) if v is not None else hidden for _, v in rows]
    value_space = max(_width(t, size, bold=True) for t in texts) + 10
    longest = max((v for _, v in rows if v), default=0)
    span = width - value_space
    out = [_text(width, 14, value_label, size=size - 1, anchor="end", fill=COLOURS["muted"])]
    y = 26
    for (label, value), text in zip(rows, texts, strict=True):
        shown = _fit(label, size, width)
        tip = f"<title>{_esc(label)}: {_esc(text)}</title>"
        out.append(f"<g>{tip}" + _text(0, y + size, shown, size=size))
        bar_top = y + size + 6
        if value is None:
            length, fill = 34, f"url(#{cid}-hatch)"
        else:
            length, fill = (value / longest * span if longest else 0), COLOURS["bar"]
        if length:
            out.append(
                f'<rect x="0" y="{bar_top}" width="{_n(max(length, 2))}" height="{bar_height}" rx="2" fill="{fill}"/>'
            )
        style = {"fill": COLOURS["muted"], "font_style": "italic"} if value is None else {"font_weight": "600"}
        out.append(_text(max(length, 2) + 6, bar_top + bar_height - 3, text, size=size, **style) + "</g>")
        y += row_height
    height = y + 2
    if any(v is None for _, v in rows):
        legend, used = _legend(
            [("hatch", _hidden_text(min_people))], x=0, y=y + 12, width=width, size=size - 1, hatch_id=f"{cid}-hatch"
        )
        out.append(legend)
        height = y + 8 + used
    if not description:
        description = f"{value_label}: " + "; ".join(
            f"{label} {text}" for (label, _), text in zip(rows, texts, strict=True)
        )
    return _document(cid, width, height, title, description, "".join(out))


# --- hour x weekday heat map ----------------------------------------------------------------------------------


def heatmap_svg(
    cells: dict[tuple[int, int], int | None],
    *,
    title: str,
    description: str = "",
    weekday_labels: list[str],
    min_people: int = 10,
    chart_id: str = "",
) -> str:
    """Hours 0-23 as columns by ISO weekdays 1 (Monday) to 7 as rows; `cells` maps (iso_weekday, hour) to a
    value, a missing key counting as zero (an empty cell) and None as hidden (hatched). Shades are linear
    from zero to the busiest hour."""
    if len(weekday_labels) != 7:
        raise ValueError("heatmap_svg needs 7 weekday labels, Monday first")
    for weekday, hour in cells:
        if not (1 <= weekday <= 7 and 0 <= hour <= 23):
            raise ValueError(f"heatmap_svg cell keys are (iso_weekday 1-7, hour 0-23), got {(weekday, hour)}")
    cid = _chart_id(chart_id, "heatmap", title, sorted(cells.items()), weekday_labels)
    width, size = 420, 12.5
    left = max(_width(label, size) for label in weekday_labels) + 8
    cell = (width - left) / 24
    top = 22
    visible = [v for v in cells.values() if v]
    low, high, position = _scale(visible, log=False) if visible else (0, 0, None)

    out = []
    for hour in range(0, 24, 3):
        out.append(_text(left + (hour + 0.5) * cell, 14, str(hour), size=size, anchor="middle", fill=COLOURS["muted"]))
    for row, label in enumerate(weekday_labels):
        y = top + row * cell
        out.append(_text(0, y + cell / 2 + size * 0.35, label, size=size, fill=COLOURS["muted"]))
        for hour in range(24):
            value = cells.get((row + 1, hour), 0)
            if value is None:
                fill, text = f"url(#{cid}-hatch)", _hidden_word()
            else:
                fill, text = (_colour(position(value)) if value else COLOURS["empty"]), _fmt(value)
            tip = f"{label} {hour:02d}:00–{hour:02d}:59: {text}"
            out.append(
                f'<rect x="{_n(left + hour * cell)}" y="{_n(y)}" width="{_n(cell)}" height="{_n(cell)}" '
                f'fill="{fill}"><title>{_esc(tip)}</title></rect>'
            )
    grid_bottom = top + 7 * cell
    # White gridlines drawn over the cells keep empty and hatched cells apart at any zoom.
    lines = "".join(f"M{_n(left + i * cell)} {top}V{_n(grid_bottom)}" for i in range(25))
    lines += "".join(f"M{_n(left)} {_n(top + i * cell)}H{width}" for i in range(8))
    out.append(f'<path d="{lines}" stroke="{COLOURS["border"]}" stroke-width="1.5"/>')

    items: list[tuple] = []
    if visible:
        items.append(("ramp", _fmt(low), _fmt(high)))
    if any(cells.get((d, h), 0) == 0 for d in range(1, 8) for h in range(24)):
        items.append(("swatch", COLOURS["empty"], "0"))
    if any(v is None for v in cells.values()):
        items.append(("hatch", _hidden_text(min_people)))
    if not cells:
        items = [("swatch", COLOURS["empty"], gettext("No data to show"))]
    legend, used = _legend(items, x=0, y=grid_bottom + 24, width=width, size=size, hatch_id=f"{cid}-hatch")
    out.append(legend)
    if not description:
        description = gettext("No data to show")
        if visible:
            (weekday, hour), value = max(((k, v) for k, v in cells.items() if v), key=lambda kv: kv[1])
            description = gettext("Busiest hour: %(day)s %(hour)s:00, %(value)s.") % {
                "day": weekday_labels[weekday - 1],
                "hour": f"{hour:02d}",
                "value": _fmt(value),
            }
    return _document(cid, width, grid_bottom + 10 + used, title, description, "".join(out))


# --- world map ------------------------------------------------------------------------------------------------


def world_map_svg(
    values: dict[str, int | None],
    *,
    title: str,
    description: str = "",
    min_people: int = 10,
    chart_id: str = "",
    country_names: dict[str, str] | None = None,
    legend_size: float = 32,
) -> str:
    """Choropleth of ISO 3166-1 alpha-2 codes: blues by value (logarithmic when figures span more than
    twenty-fold), light grey without a figure, hatched when hidden; countries too small for a shape (Malta,
    Singapore...) get a dot. Each country with a figure carries a tooltip "Name: value". The map is 1000 units
    wide: legend_size 32 reads at 11.5 px on a phone, where the map spans the screen; about 20 suits a map
    printed across an A4 page."""
    values = {code.upper(): value for code, value in values.items()}
    names = {code.upper(): name for code, name in (country_names or {}).items()}
    cid = _chart_id(chart_id, "map", title, sorted(values.items()))
    _, _, width, map_height = (float(n) for n in MAP_VIEWBOX.split())
    size = legend_size
    visible = [v for v in values.values() if v]
    low, high, position = _scale(visible, log=True) if visible else (0, 0, None)

    def paint(code: str) -> tuple[str, str]:
        value = values[code]
        name = names.get(code, code)
        if value is None:
            return f"url(#{cid}-hatch)", f"{name}: {_hidden_word()}"
        return (_colour(position(value)) if value else COLOURS["no_data"]), f"{name}: {_fmt(value)}"

    shapes, dots = [], []
    for code, path in country_paths().items():
        if code in values:
            fill, tip = paint(code)
            shapes.append(f'<path d="{path}" fill="{fill}"><title>{_esc(tip)}</title></path>')
        else:
            shapes.append(f'<path d="{path}"/>')
    points = country_points()
    for code in sorted(values):
        if code in points and values[code] != 0:
            fill, tip = paint(code)
            x, y = points[code]
            dots.append(
                f'<circle cx="{x}" cy="{y}" r="7" fill="{fill}" stroke="{COLOURS["ink"]}" '
                f'stroke-width="1.5"><title>{_esc(tip)}</title></circle>'
            )
    out = [
        f'<g fill="{COLOURS["no_data"]}" stroke="{COLOURS["border"]}" stroke-width="0.7" stroke-linejoin="round">'
        f"{''.join(shapes)}</g>",
        "".join(dots),
    ]
    items: list[tuple] = []
    if visible:
        items.append(("ramp", _fmt(low), _fmt(high)))
    if any(v is None for v in values.values()):
        items.append(("hatch", _hidden_text(min_people)))
    items.append(("swatch", COLOURS["no_data"], gettext("No data") if values else gettext("No data to show")))
    legend, used = _legend(
        items, x=0, y=map_height + 16 + size, width=width, size=size, hatch_id=f"{cid}-hatch", ink=COLOURS["ink"]
    )
    out.append(legend)
    if not description:
        description = gettext("No data to show")
        if visible:
            leader = max((c for c in values if values[c]), key=lambda c: values[c])
            description = ngettext(
                "%(count)s country. Highest: %(name)s, %(value)s.",
                "%(count)s countries. Highest: %(name)s, %(value)s.",
                len(values),
            ) % {
                "count": _fmt(len(values)),
                "name": names.get(leader, leader),
                "value": _fmt(values[leader]),
            }
    return _document(cid, width, map_height + 16 + used, title, description, "".join(out), hatch=12)
