"""Countries of the calling numbers on a world map."""

from django.utils.translation import gettext, ngettext

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
    _scale,
)
from apps.insights.geo import VIEWBOX as MAP_VIEWBOX
from apps.insights.geo import country_paths, country_points


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
