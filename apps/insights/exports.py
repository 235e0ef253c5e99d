"""The statistics as CSV: every cell of every breakdown, suppressed exactly as on the page."""

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from apps.reports.blocklists import csv_cell

# The header row is in the reader's language, like the labels; sections and keys stay codes ("countries",
# "NG", "2024-11-15") and numbers stay bare digits, so a spreadsheet or a script reads them alike in both.
_COLUMN = "statistics CSV column"
COLUMNS = [
    pgettext_lazy(_COLUMN, "section"),
    pgettext_lazy(_COLUMN, "key"),
    pgettext_lazy(_COLUMN, "label"),
    pgettext_lazy(_COLUMN, "contacts"),
    pgettext_lazy(_COLUMN, "people"),
    pgettext_lazy(_COLUMN, "hidden"),
    pgettext_lazy(_COLUMN, "some months hidden"),
]


def statistics_csv(stats: dict) -> str:
    """One row per cell: section (totals, timeline, countries, …), key, label, contacts, people, hidden."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(column) for column in COLUMNS])
    yes = _("yes")

    def row(section, key, label, contacts, people=None, hidden=False, partial=False):
        writer.writerow(
            csv_cell(v) for v in (section, key, label, contacts, people, yes if hidden else "", yes if partial else "")
        )

    period = stats["period"]
    row("period", "from", period["from"] or _("all time"), None)
    row("period", "to", period["to"] or "", None)
    row("filter", "channel", stats["channel"], None)
    row("totals", "contacts", "", stats["totals"]["contacts"], stats["totals"]["people"])
    for key, value in stats["registered"].items():
        row("registered_people", key, "", None, value, hidden=value is None)
    for day in stats["timeline"]:
        if day["contacts"] or day["hidden"]:
            row("timeline", day["day"].isoformat(), "", day["contacts"], hidden=day["hidden"])
    for section in ("channels", "countries", "scripts", "line_types", "carriers"):
        for cell in stats[section]:
            row(section, cell["key"], cell["label"], cell["contacts"], cell["people"], cell["hidden"], cell["partial"])
    for cell in stats["brands"]["rows"]:
        row("brands", cell["key"], cell["label"], cell["contacts"], cell["people"], False, cell["partial"])
    if stats["brands"]["hidden"]:
        row("brands", "hidden_brands", "", None, None, hidden=True)
    for cell in stats["hours"]:
        if cell["contacts"] or cell["hidden"]:
            key = f"{cell['weekday']}-{cell['hour']:02d}"
            row("hours", key, "", cell["contacts"], None, cell["hidden"], cell["partial"])
    for number in stats["top_numbers"]:
        row("top_numbers", number["e164"], number["country_label"], number["contacts"], number["people"])
    trend = stats["trend"]
    row("trend", "current", f"{trend['current']['from']}/{trend['current']['to']}", trend["current"]["contacts"])
    row("trend", "previous", f"{trend['previous']['from']}/{trend['previous']['to']}", trend["previous"]["contacts"])
    return out.getvalue()
