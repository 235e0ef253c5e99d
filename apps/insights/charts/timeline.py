"""Contacts per day, with the breach's dates marked."""

from datetime import date, timedelta

from django.utils.translation import gettext, ngettext

from apps.core import formats
from apps.insights.charts.svg import (
    COLOURS,
    Marker,
    _chart_id,
    _document,
    _esc,
    _fit,
    _fmt,
    _hidden_text,
    _hidden_word,
    _legend,
    _n,
    _nice_ticks,
    _no_data,
    _text,
    _width,
)


def _day_ticks(start: date, days: int, day_width: float) -> list[tuple[date, str, str]]:
    """(day, label, second line) for the x axis: days on short ranges, months on long ones."""
    if days <= 62:
        step = next((s for s in (1, 2, 7, 14) if s * day_width >= 46), 28)
        ticks = [start + timedelta(days=i) for i in range(0, days, step)]
        return [
            (d, formats.day_month(d), str(d.year) if i == 0 or d.month == 1 and d.day <= step else "")
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
    return [(d, formats.month_abbr(d), str(d.year) if i == 0 or d.month == 1 else "") for i, d in enumerate(ticks)]


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
                f'height="{_n(base - top)}" fill="{hatch}"><title>{_esc(formats.short_date(day))}: '
                f"{_esc(hidden_word)}</title></rect>"
            )
        for day, value in sorted(visible.items()):
            if value:
                height = value * scale
                out.append(
                    f'<rect x="{_n(x_of(day) + gap / 2)}" y="{_n(base - height)}" '
                    f'width="{_n(day_width - gap)}" height="{_n(height)}" fill="{COLOURS["bar"]}"><title>'
                    f"{_esc(formats.short_date(day))}: {_esc(_fmt(value))}</title></rect>"
                )
        return "".join(out)
    runs: list[list[date]] = []
    for day in hidden_days:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    for run in runs:
        when = formats.short_date(run[0]) + (f" – {formats.short_date(run[-1])}" if len(run) > 1 else "")
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
        when, label = formats.short_date(marker.day), _fit(marker.label, size * 1.1, width * 0.4)
        label_width = max(_width(label, size, bold=True), _width(when, size - 1)) + 6
        anchor, x0 = ("start", centre + 4) if centre + 4 + label_width <= width else ("end", centre - 4)
        span = (x0, x0 + label_width) if anchor == "start" else (x0 - label_width, x0)
        row = next((i for i, edge in enumerate(rows) if span[0] > edge + 8), len(rows))
        rows[row : row + 1] = [span[1]]
        placed.append((label, centre, anchor, x0, row, when, marker))
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

    for label, centre, anchor, x0, row, when, marker in placed:
        y = 26 + row * row_height
        colour = COLOURS["onset" if marker.kind == "onset" else "marker"]
        if marker.kind == "onset" and marker.low and marker.high:  # its 95% interval, a light band
            band_x = x_of(max(marker.low, start))
            band_w = (min(marker.high, end) - max(marker.low, start)).days * day_width + day_width
            out.append(
                f'<rect x="{_n(band_x)}" y="{_n(top)}" width="{_n(band_w)}" height="{_n(base - top)}" '
                f'fill="{COLOURS["onset_band"]}" fill-opacity="0.12"/>'
            )
        dash = "" if marker.kind == "onset" else ' stroke-dasharray="4 3"'
        out.append(f'<path d="M{_n(centre)} {_n(y)}V{_n(base)}" stroke="{colour}" stroke-width="1.5"{dash}/>')
        out.append(_text(x0, y + size, label, size=size, anchor=anchor, fill=colour, font_weight="600"))
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
            "start": formats.short_date(first),
            "end": formats.short_date(last),
        }
        if highest:
            peak = max(visible, key=lambda d: visible[d])
            description += " " + gettext("Highest: %(value)s on %(day)s.") % {
                "value": _fmt(highest),
                "day": formats.short_date(peak),
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
            description += f" {marker.label}: {formats.short_date(marker.day)}."
            if marker.kind == "onset" and marker.low and marker.high and marker.low != marker.high:
                description += " " + gettext("95%% interval: %(low)s – %(high)s.") % {
                    "low": formats.short_date(marker.low),
                    "high": formats.short_date(marker.high),
                }
    return _document(cid, width, height, title, description, "".join(out))
