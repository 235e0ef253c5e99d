"""Server-side SVG charts: valid standalone documents, privacy-safe, escaped, localised, and good on a screen."""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import translation

from apps.insights import charts
from apps.insights.charts import Marker, bar_chart_svg, heatmap_svg, timeline_svg, world_map_svg
from apps.insights.geo import VIEWBOX, country_paths, country_points

SVG = "{http://www.w3.org/2000/svg}"
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
ROOT = Path(__file__).resolve().parents[2]
# Countries the site's figures name most: callers' origins and where the people called live.
SITE_COUNTRIES = ["NG", "BD", "PK", "IN", "IT", "ID", "US", "GB", "DE", "FR", "ES", "RO", "AL", "MA", "TN"]
SITE_COUNTRIES += ["EG", "CN", "BR", "RU", "UA"]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, the very thing under test


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in parse(svg).iter(f"{SVG}text")]


def hatched(svg: str) -> list[ET.Element]:
    """Data marks painted with the chart's hatch pattern (directly or by their group) and carrying a tooltip
    (their own, or their row's): the legend's swatch is not one."""
    marks = []
    for parent in parse(svg).iter():
        for shape in parent:
            fill = shape.get("fill") or parent.get("fill") or ""
            tooltip = shape.find(f"{SVG}title") if shape.find(f"{SVG}title") is not None else parent.find(f"{SVG}title")
            if fill.endswith("-hatch)") and tooltip is not None and parent.tag != f"{SVG}svg":
                marks.append(shape)
    return marks


def lightness(colour: str) -> int:
    return sum(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def tooltips(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in parse(svg).iter(f"{SVG}title")][1:]  # the first is the chart's


def sample_charts(*, chart_id: str = "") -> dict[str, str]:
    start = date(2025, 1, 6)
    days = [(start + timedelta(days=i), (i * 37) % 180 + 12) for i in range(0, 160)]
    days[20] = (days[20][0], None)
    days[21] = (days[21][0], None)
    markers = [
        Marker(date(2024, 12, 20), "Breach occurred"),
        Marker(date(2025, 1, 2), "Discovered"),
        Marker(date(2025, 3, 1), "Disclosed to the public"),
    ]
    cells = {(d, h): (d * 13 + h * 29) % 140 for d in range(1, 8) for h in range(24)}
    cells.update({(7, 3): None, (6, 4): None, (1, 2): 0})
    return {
        "timeline": timeline_svg(days, title="Contacts per day", markers=markers, chart_id=f"{chart_id}t"),
        "bars": bar_chart_svg(
            [
                ("Nigeria", 12345),
                ("Italy", 4321),
                ("Bangladesh", 987),
                ("Democratic Republic of the Congo and a very long name", 140),
                ("Malta", None),
                ("Other", 66),
            ],
            title="Calling countries",
            chart_id=f"{chart_id}b",
        ),
        "heatmap": heatmap_svg(cells, title="When they call", weekday_labels=WEEKDAYS, chart_id=f"{chart_id}h"),
        "map": world_map_svg(
            {"NG": 12345, "IT": 4321, "BD": 987, "CD": 140, "MT": None, "US": 25, "GB": 0, "SG": 300},
            title="Where calls come from",
            country_names={"NG": "Nigeria", "IT": "Italy", "MT": "Malta", "SG": "Singapore"},
            chart_id=f"{chart_id}m",
        ),
    }


def test_every_chart_is_a_standalone_svg_with_role_img_title_and_description():
    for name, svg in sample_charts().items():
        root = parse(svg)
        assert root.tag == f"{SVG}svg", name
        assert root.get("role") == "img"
        assert root.get("viewBox")
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and desc.text, name
        assert set(root.get("aria-labelledby").split()) == {title.get("id"), desc.get("id")}


def test_charts_reference_nothing_outside_themselves():
    for name, svg in sample_charts().items():
        body = svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "href" not in body and "http" not in body and "<script" not in body and "class=" not in body, name
        ids = {e.get("id") for e in parse(svg).iter() if e.get("id")}
        for target in re.findall(r"url\(([^)]*)\)", body):
            assert target.startswith("#") and target[1:] in ids, (name, target)


def test_ids_are_prefixed_by_the_chart_id_so_two_charts_share_a_page():
    first, second = sample_charts(chart_id="first-"), sample_charts(chart_id="second-")
    first_ids = {e.get("id") for svg in first.values() for e in parse(svg).iter() if e.get("id")}
    second_ids = {e.get("id") for svg in second.values() for e in parse(svg).iter() if e.get("id")}
    assert first_ids and not first_ids & second_ids
    assert all(i.startswith("first-") for i in first_ids)


def test_charts_without_an_id_get_different_ids_for_different_content():
    one = bar_chart_svg([("A", 10)], title="One")
    two = bar_chart_svg([("A", 11)], title="One")
    assert parse(one).find(f"{SVG}title").get("id") != parse(two).find(f"{SVG}title").get("id")


def test_an_unsafe_chart_id_is_made_a_valid_xml_id():
    svg = bar_chart_svg([("A", 10)], title="T", chart_id='9 "x"<y>')
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*-title", parse(svg).find(f"{SVG}title").get("id"))


def test_labels_with_markup_and_ampersands_are_escaped():
    evil = "<script>alert(1)</script> & Co"
    svgs = [
        bar_chart_svg([(evil, 10)], title=evil, description=evil, value_label=evil),
        timeline_svg([(date(2025, 1, 1), 5)], title=evil, markers=[Marker(date(2025, 1, 3), evil)], value_label=evil),
        timeline_svg(  # the surge's onset, drawn apart with its interval
            [(date(2025, 1, 1), 5), (date(2025, 1, 9), 7)],
            title="T",
            markers=[Marker(date(2025, 1, 5), evil, kind="onset", low=date(2025, 1, 4), high=date(2025, 1, 6))],
        ),
        heatmap_svg({(1, 1): 3}, title=evil, weekday_labels=[evil] * 7),
        world_map_svg({"IT": 3}, title=evil, country_names={"IT": evil}),
    ]
    for svg in svgs:
        assert "<script" not in svg and "& Co" not in svg and "&amp; Co" in svg
        assert evil in "".join(parse(svg).itertext())  # still reads as the text it was


def test_bar_chart_draws_a_hidden_row_hatched_without_any_number():
    svg = bar_chart_svg([("Nigeria", 1234), ("Malta", None)], title="Countries", min_people=10)
    malta = next(g for g in parse(svg).iter(f"{SVG}g") if "Malta" in "".join(g.itertext()))
    words = "".join(malta.itertext())
    assert "hidden" in words and not re.search(r"\d", words)
    assert hatched(svg)
    assert "Hidden: fewer than 10 people" in texts(svg)


def test_bar_chart_keeps_at_most_max_rows_in_the_given_order():
    rows = [(f"Country {i:02d}", 100 - i) for i in range(20)]
    labels = [t for t in texts(bar_chart_svg(rows, title="T", max_rows=5)) if t.startswith("Country")]
    assert labels == ["Country 00", "Country 01", "Country 02", "Country 03", "Country 04"]


def test_bar_lengths_follow_the_values():
    svg = bar_chart_svg([("A", 1000), ("B", 500), ("C", 0)], title="T")
    widths = [float(r.get("width")) for r in parse(svg).iter(f"{SVG}rect") if r.get("fill") == charts.COLOURS["bar"]]
    assert len(widths) == 2 and widths[0] == pytest.approx(2 * widths[1], rel=0.01)


def test_numbers_are_grouped_the_way_each_language_writes_them():
    with translation.override("it"):
        italian = texts(bar_chart_svg([("Nigeria", 1234)], title="T"))
    with translation.override("en"):
        english = texts(bar_chart_svg([("Nigeria", 1234)], title="T"))
    assert "1.234" in italian and "1,234" in english


def test_timeline_month_labels_follow_the_language():
    points = [(date(2025, 1, 1) + timedelta(days=i), 20) for i in range(150)]
    with translation.override("it"):
        italian = texts(timeline_svg(points, title="T"))
    with translation.override("en"):
        english = texts(timeline_svg(points, title="T"))
    assert "mag" in italian and "May" in english  # Italian writes month names in lower case


def test_timeline_extends_its_axis_to_a_marker_outside_the_data_and_labels_it():
    points = [(date(2025, 3, 1) + timedelta(days=i), 30) for i in range(10)]
    inside = timeline_svg(points, title="T")
    outside = timeline_svg(points, title="T", markers=[Marker(date(2025, 1, 15), "Breach occurred")])
    assert "Breach occurred" in texts(outside) and "15 Jan 2025" in texts(outside)
    assert "Jan" in " ".join(texts(outside)) and "Jan" not in " ".join(texts(inside))
    bars = [r for r in parse(outside).iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 10
    marker_x = float(re.search(r'<path d="M([\d.]+) [\d.]+V[\d.]+" stroke="#b4501a"', outside).group(1))
    assert marker_x < min(float(b.get("x")) for b in bars)


def test_timeline_fills_missing_days_with_zero_and_hatches_hidden_days():
    points = [(date(2025, 1, 1), 40), (date(2025, 1, 2), None), (date(2025, 1, 10), 12)]
    svg = timeline_svg(points, title="T", min_people=10)
    assert tooltips(svg) == ["2 Jan 2025: hidden", "1 Jan 2025: 40", "10 Jan 2025: 12"]
    assert ["".join(e.itertext()) for e in hatched(svg)] == ["2 Jan 2025: hidden"]
    assert "Hidden: fewer than 10 people" in texts(svg)
    assert "fewer than 10 people" in parse(svg).find(f"{SVG}desc").text


def test_timeline_handles_a_week_and_two_years():
    week = timeline_svg([(date(2025, 5, 1) + timedelta(days=i), i * 3) for i in range(7)], title="Week")
    years = timeline_svg([(date(2024, 1, 1) + timedelta(days=i), i % 50) for i in range(800)], title="Years")
    assert "1 May" in texts(week)
    year_labels = [t for t in texts(years) if t in {"2024", "2025", "2026"}]
    assert year_labels == ["2024", "2025", "2026"]


def test_heat_map_has_168_cells_with_hidden_ones_hatched():
    cells = {(d, h): 20 + h for d in range(1, 8) for h in range(24)}
    cells[(3, 14)] = None
    svg = heatmap_svg(cells, title="T", weekday_labels=WEEKDAYS, min_people=10)
    rects = [r for r in parse(svg).iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(rects) == 168
    hidden = [r for r in rects if r.get("fill").endswith("-hatch)")]
    assert len(hidden) == 1 and "".join(hidden[0].itertext()) == "Wed 14:00–14:59: hidden"
    assert "Hidden: fewer than 10 people" in texts(svg)


def test_heat_map_shades_by_value_and_leaves_zero_hours_empty():
    svg = heatmap_svg({(1, 9): 5, (1, 10): 500}, title="T", weekday_labels=WEEKDAYS)
    fills = {"".join(r.itertext()): r.get("fill") for r in parse(svg).iter(f"{SVG}rect") if len(r)}
    assert fills["Mon 10:00–10:59: 500"] == charts.COLOURS["scale"][-1]
    quiet = fills["Mon 09:00–09:59: 5"]
    assert quiet not in (charts.COLOURS["empty"], charts.COLOURS["scale"][-1])
    assert lightness(quiet) > lightness(charts.COLOURS["scale"][2])  # a shade near the light end
    assert fills["Tue 10:00–10:59: 0"] == charts.COLOURS["empty"]
    assert "5" in texts(svg) and "500" in texts(svg)  # the legend's ends


def test_heat_map_refuses_hour_weekday_keys_the_wrong_way_round():
    with pytest.raises(ValueError, match="iso_weekday"):
        heatmap_svg({(14, 3): 5}, title="T", weekday_labels=WEEKDAYS)


def test_world_map_colours_countries_with_figures_and_names_them_in_tooltips():
    svg = world_map_svg({"NG": 1234, "it": 20}, title="T", country_names={"NG": "Nigeria"})
    shapes = {"".join(p.itertext()): p.get("fill") for p in parse(svg).iter(f"{SVG}path") if len(p)}
    assert shapes["Nigeria: 1,234"] != charts.COLOURS["no_data"]
    assert shapes["IT: 20"] not in (charts.COLOURS["no_data"], shapes["Nigeria: 1,234"])
    plain = [p for p in parse(svg).iter(f"{SVG}path") if not len(p) and p.get("d", "").startswith("M")]
    assert len(plain) > 150 and all(p.get("fill") is None for p in plain)  # the group's light grey
    group = next(g for g in parse(svg).iter(f"{SVG}g") if g.get("stroke") == charts.COLOURS["border"])
    assert group.get("fill") == charts.COLOURS["no_data"]


def test_world_map_hatches_a_hidden_country_without_a_number():
    svg = world_map_svg({"NG": 1234, "PK": None}, title="T", country_names={"PK": "Pakistan"})
    pakistan = next(p for p in parse(svg).iter(f"{SVG}path") if "Pakistan" in "".join(p.itertext()))
    assert pakistan.get("fill").endswith("-hatch)") and "".join(pakistan.itertext()) == "Pakistan: hidden"


def test_world_map_marks_small_countries_with_a_dot():
    svg = world_map_svg({"MT": 55, "SG": None}, title="T", country_names={"MT": "Malta"})
    dots = {"".join(c.itertext()): c.get("fill") for c in parse(svg).iter(f"{SVG}circle")}
    assert set(dots) == {"Malta: 55", "SG: hidden"} and dots["SG: hidden"].endswith("-hatch)")


def test_world_map_numbers_follow_the_language():
    with translation.override("it"):
        svg = world_map_svg({"NG": 1234}, title="T", country_names={"NG": "Nigeria"})
    assert "Nigeria: 1.234" in "".join(parse(svg).itertext())


def test_world_geometry_has_the_countries_the_site_talks_about():
    paths = country_paths()
    for code in SITE_COUNTRIES:
        assert paths[code].startswith("M") and paths[code].endswith("z"), code
    assert "AQ" not in paths and "MT" in country_points()
    _, _, width, height = (float(n) for n in VIEWBOX.split())
    assert 900 <= width <= 1100 and 350 <= height <= 600


@pytest.mark.parametrize(
    "svg",
    [
        lambda: timeline_svg([], title="T"),
        lambda: bar_chart_svg([], title="T"),
        lambda: heatmap_svg({}, title="T", weekday_labels=WEEKDAYS),
        lambda: world_map_svg({}, title="T"),
    ],
    ids=["timeline", "bars", "heatmap", "map"],
)
def test_empty_data_gives_a_valid_chart_that_says_there_is_no_data(svg):
    document = svg()
    assert parse(document).get("role") == "img"
    assert "No data to show" in texts(document)


def test_data_that_is_all_hidden_shows_no_number_but_the_threshold():
    svgs = [
        bar_chart_svg([("A", None), ("B", None)], title="T"),
        heatmap_svg({(d, h): None for d in range(1, 8) for h in range(24)}, title="T", weekday_labels=WEEKDAYS),
        world_map_svg({"NG": None}, title="T"),
    ]
    hours = {str(h) for h in range(0, 24, 3)}  # the heat map's column labels
    for svg in svgs:
        numbers = [t for t in texts(svg) if re.search(r"\d", t) and t not in hours]
        assert numbers == ["Hidden: fewer than 10 people"], numbers
        assert hatched(svg) and {tip.rpartition(": ")[2] for tip in tooltips(svg)} == {"hidden"}


def test_a_timeline_that_is_all_hidden_has_no_scale_and_hatched_days():
    svg = timeline_svg([(date(2025, 1, 1), None), (date(2025, 1, 2), None)], title="T")
    y_ticks = [t.text for t in parse(svg).iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert y_ticks == ["0"]
    assert tooltips(svg) == ["1 Jan 2025: hidden", "2 Jan 2025: hidden"] and len(hatched(svg)) == 2


# The HTML around a chart that charts.css styles: a legend and the table alternative.
TABLE = (
    '<ul class="chart-legend"><li><span class="chart-swatch chart-hidden"></span>Hidden: fewer than 10 people</li>'
    '<li><span class="chart-swatch" style="background:#dde2e8"></span>No data</li></ul>'
    '<details class="chart-table" open><summary>Show as a table</summary><table><thead><tr><th>Country</th>'
    '<th class="num">Contacts</th></tr></thead><tbody><tr><td>Nigeria</td><td class="num">12,345</td></tr>'
    '<tr><td>Malta</td><td class="num chart-hidden-value"><span class="chart-swatch chart-hidden"></span> hidden'
    "</td></tr></tbody></table></details>"
)


def page_with_charts() -> str:
    css = "".join(
        f'<link rel="stylesheet" href="file://{ROOT / path}">'
        for path in (
            "apps/core/static/vendor/pico/pico.min.css",
            "apps/core/static/core/site.css",
            "apps/insights/static/insights/charts.css",
        )
    )
    with translation.override("it"):
        it = sample_charts(chart_id="it-")
    with translation.override("en"):
        en = sample_charts(chart_id="en-")
    sections = []
    for lang, charts_ in (("it", it), ("en", en)):
        sections.append(
            f'<section lang="{lang}"><h2>Timeline ({lang})</h2>'
            f'<div class="chart chart-scroll" tabindex="0">{charts_["timeline"]}</div>'
            f'<div class="chart-grid"><figure class="chart chart-narrow"><h3>Bars</h3>{charts_["bars"]}</figure>'
            f'<figure class="chart chart-narrow"><h3>Heat map</h3>{charts_["heatmap"]}</figure></div>'
            f'<figure class="chart chart-map"><h3>Map</h3>{charts_["map"]}{TABLE}</figure></section>'
        )
    head = f'<!doctype html><html><head><meta charset="utf-8">{css}</head>'
    return f'{head}<body><main class="container">{"".join(sections)}</main></body></html>'


@pytest.mark.browser
def test_charts_render_legibly_on_a_phone_and_a_desktop(new_page, screenshot, tmp_path):
    html = tmp_path / "charts.html"
    html.write_text(page_with_charts(), encoding="utf-8")
    for width, name in ((390, "charts-phone"), (1280, "charts-desktop")):
        page = new_page(width=width)
        page.goto(f"file://{html}")
        sizes = page.locator("svg[role=img]").evaluate_all(
            "els => els.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])"
        )
        assert len(sizes) == 8 and all(w > 100 and h > 50 for w, h in sizes), sizes
        # Only the timeline's own container scrolls sideways; the page itself fits the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, name)
