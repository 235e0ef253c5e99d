"""Charts as self-contained SVG documents, drawn on the server: the same string goes into a page or a PDF.

Pure functions of chart-ready data (no database). Each returns one standalone `<svg>` with a <title> and a
<desc> for screen readers, inline presentation attributes only (no stylesheet, font, script or link outside
it), ids prefixed by the chart's id so several charts can share a page, every text escaped, and numbers
grouped for the active language. A value of None means the privacy rule hid it (fewer than `min_people`
people): it is drawn hatched and never as a number or as zero.
"""

from apps.insights.charts.bars import bar_chart_svg
from apps.insights.charts.heatmap import heatmap_svg
from apps.insights.charts.svg import COLOURS, Marker
from apps.insights.charts.timeline import timeline_svg
from apps.insights.charts.world_map import world_map_svg

__all__ = ["COLOURS", "Marker", "bar_chart_svg", "heatmap_svg", "timeline_svg", "world_map_svg"]
