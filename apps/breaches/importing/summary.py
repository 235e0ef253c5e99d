"""The summary of a DatasetImport in words, for the command's output (and any page that shows one)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.breaches.models import DatasetImport, SkipReason
from apps.core.formats import number


def summary_lines(dataset_import: DatasetImport, *, problems_shown: int = 20) -> list[str]:
    """Counts, the columns used, then up to `problems_shown` rows with problems and "N more"."""
    options = dataset_import.options or {}
    lines = [
        _("Rows read: %(n)s") % {"n": number(dataset_import.rows_read)},
        _("Phone numbers stored (new): %(n)s") % {"n": number(dataset_import.phones_stored)},
        _("E-mail addresses stored (new): %(n)s") % {"n": number(dataset_import.emails_stored)},
        _("Duplicates (repeated in the file or already stored): %(n)s") % {"n": number(dataset_import.duplicates)},
        _("Rows skipped (nothing stored): %(n)s") % {"n": number(dataset_import.skipped)},
        _("Invalid values: %(n)s") % {"n": number(dataset_import.invalid_values)},
        _("Phone columns: %(columns)s; e-mail columns: %(columns2)s; encoding %(encoding)s, delimiter %(delimiter)s")
        % {
            "columns": ", ".join(options.get("phone_columns") or []) or "-",
            "columns2": ", ".join(options.get("email_columns") or []) or "-",
            "encoding": options.get("encoding", "?"),
            "delimiter": repr(options.get("delimiter", "?")),
        },
    ]
    problems = dataset_import.skipped_rows or []
    for problem in problems[:problems_shown]:
        reason = SkipReason(problem["reason"]).label if problem["reason"] in SkipReason.values else problem["reason"]
        if problem.get("kept"):
            reason = _("%(reason)s (its other identifiers were stored)") % {"reason": reason}
        lines.append("  " + _("line %(line)s: %(reason)s") % {"line": problem["line"], "reason": reason})
    rest = dataset_import.problem_rows - min(len(problems), problems_shown)  # the stored list is capped
    if rest > 0:
        more = ngettext("… and %(n)s more row with problems", "… and %(n)s more rows with problems", rest)
        lines.append("  " + more % {"n": number(rest)})
    return lines
