"""Hour of the day by weekday."""

from django.utils.translation import gettext

from apps.insights.charts.svg import (
    COLOURS,
    _chart_id,
    _colour,
    _document,
    _esc,
    _fmt,
    _hidden_text,
    _hidden_word,
    _legend,
    _n,
    _scale,
    _text,
    _width,
)


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
