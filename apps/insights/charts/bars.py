"""Ranked horizontal bars: countries, channels, scripts, brands, carriers, line types."""

from apps.insights.charts.svg import (
    COLOURS,
    _chart_id,
    _document,
    _esc,
    _fit,
    _fmt,
    _hidden_text,
    _hidden_word,
    _legend,
    _n,
    _no_data,
    _text,
    _width,
)


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
