"""From suppressed statistics to what a page shows: each chart with its plain explanation and its table.

The same statistics dict (selectors.statistics) feeds the pages, the CSV export and the API, so a chart and
its table can never disagree.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.core import formats
from apps.insights import charts
from apps.insights.release import min_people


@dataclass
class Figure:
    """One chart: title, one-line explanation, the SVG, and the rows of its table alternative."""

    slug: str
    title: str
    explanation: str
    svg: str
    rows: list[dict]
    columns: tuple[str, ...] = ("label", "contacts", "people")


def _bars(rows: list[dict]) -> list[tuple[str, int | None]]:
    return [(r["label"] + (" *" if r.get("partial") else ""), r["contacts"]) for r in rows]


def figures_for(stats: dict, *, markers: list[charts.Marker] = (), prefix: str = "chart") -> list[Figure]:
    """The charts of one statistics dict, in page order. Charts with nothing to show are left out."""
    k = min_people()
    contacts = _("contacts")
    figures = [
        Figure(
            "timeline",
            _("Contacts per day"),
            _(
                "Unwanted calls, messages and e-mails the people reported, day by day; vertical lines mark when "
                "the breach happened, was discovered and was disclosed."
            ),
            charts.timeline_svg(
                [(d["day"], d["contacts"]) for d in stats["timeline"]],
                title=_("Contacts per day"),
                markers=markers,
                value_label=contacts,
                min_people=k,
                chart_id=f"{prefix}-timeline",
            ),
            [
                {"label": d["day"].isoformat(), "contacts": d["contacts"], "hidden": d["hidden"]}
                for d in stats["timeline"]
                if d["contacts"] or d["hidden"]
            ],
            ("label", "contacts"),
        ),  # fmt: skip
    ]
    countries = stats["countries"]
    if countries:
        figures.append(
            Figure(
                "map",
                _("Where the contacts come from"),
                _("Country of the numbers that made contact, as the number itself says (numbers can be faked)."),
                charts.world_map_svg(
                    {r["key"]: r["contacts"] for r in countries if r["key"]},
                    title=_("Where the contacts come from"),
                    min_people=k,
                    chart_id=f"{prefix}-map",
                    country_names={r["key"]: r["label"] for r in countries},
                ),
                countries,
            )
        )
        figures.append(
            _bar_figure("countries", _("Contacts by country"), _("The same countries, ranked."), countries, prefix)
        )
    for slug, title, explanation in (
        ("channels", _("How they made contact"), _("Calls, silent calls, pre-recorded calls, SMS, WhatsApp…")),
        ("scripts", _("What the contacts were about"), _("The pretext, as the people who reported it chose it.")),
        ("line_types", _("Kind of line"), _("Mobile, landline or internet (VoIP) numbers, from the number itself.")),
        (
            "carriers",
            _("Original carrier"),
            _("The operator each number range was given to; a number may have moved to another one since."),
        ),
    ):
        if stats[slug]:
            figures.append(_bar_figure(slug, title, explanation, stats[slug], prefix))
    brands = stats["brands"]["rows"]
    if brands:
        figures.append(
            _bar_figure(
                "brands",
                _("Who they pretended to be"),
                _("Brands and bodies the callers claimed to be, from the list the case officers keep."),
                brands,
                prefix,
            )
        )
    if any(h["contacts"] or h["hidden"] for h in stats["hours"]):
        weekdays = formats.weekday_abbrs()
        figures.append(
            Figure(
                "hours",
                _("When the contacts arrive"),
                _("Hour of the day and day of the week, Italian time; darker means more contacts."),
                charts.heatmap_svg(
                    {(h["weekday"], h["hour"]): h["contacts"] for h in stats["hours"] if h["contacts"] or h["hidden"]},
                    title=_("When the contacts arrive"),
                    weekday_labels=weekdays,
                    min_people=k,
                    chart_id=f"{prefix}-hours",
                ),
                [
                    {
                        "label": f"{weekdays[h['weekday'] - 1]} {h['hour']:02d}:00",
                        "contacts": h["contacts"],
                        "hidden": h["hidden"],
                    }
                    for h in stats["hours"]
                    if h["contacts"] or h["hidden"]
                ],
                ("label", "contacts"),
            )
        )
    return figures


def _bar_figure(slug: str, title: str, explanation: str, rows: list[dict], prefix: str) -> Figure:
    return Figure(
        slug,
        title,
        explanation,
        charts.bar_chart_svg(
            _bars(rows), title=title, value_label=_("contacts"), min_people=min_people(), chart_id=f"{prefix}-{slug}"
        ),
        rows,
    )


def breach_markers(breach) -> list[charts.Marker]:
    if breach is None:
        return []
    dates = (
        (breach.occurred_on, _("Breach")),
        (breach.discovered_on, _("Discovered")),
        (breach.disclosed_on, _("People told")),
    )
    return [charts.Marker(day=day, label=label) for day, label in dates if day]
