"""Reading the audit log for officers: events filtered by date and action, the people in them named by the
name they chose and their roles (never an e-mail address or a phone number), and the same rows as CSV."""

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import AuditEvent, Membership, UnionMandate, User
from apps.reports.blocklists import csv_cell


def audit_events(*, action: str = "", since=None, until=None) -> QuerySet:
    """Events newest first, with their actor and organisation; `since`/`until` are aware datetimes (until
    excluded). The (at) index serves the order and the date range."""
    events = AuditEvent.objects.select_related("actor", "organisation").only(
        "at", "action", "target", "details", "actor__id", "actor__display_name", "actor__is_staff",
        "organisation__name",
    )  # fmt: skip
    if action:
        events = events.filter(action=action)
    if since is not None:
        events = events.filter(at__gte=since)
    if until is not None:
        events = events.filter(at__lt=until)
    return events.order_by("-at", "-pk")


# A word of a name: letters, with an apostrophe or a hyphen inside ("D'Amico", "Anna-Maria"); digits and other
# marks separate words. Parenthesised asides are not part of the name: "Chiara (case officer, demo)".
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ASIDE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def short_name(display_name: str) -> str:
    """ "Maria R." from "Maria Rossi": the first word of the name and the initials of the others, enough to tell
    colleagues apart and no more than the log needs. Asides in brackets, dots and stray marks are dropped
    ("Chiara O." stays "Chiara O."); "" when nothing in it is a name."""
    text = display_name
    while _ASIDE.search(text):  # nested asides, innermost first
        text = _ASIDE.sub(" ", text)
    words = _NAME_WORD.findall(text.split("(")[0])  # an aside left open runs to the end
    if not words:
        return ""
    return " ".join([words[0], *(f"{word[0].upper()}." for word in words[1:])])


def roles_of(user_ids: Iterable[int]) -> dict[int, list[str]]:
    """The roles each of these people holds now, in words: "HR of Acme", "union representative (SLC)".
    Two queries for a whole page of events."""
    roles: dict[int, list[str]] = defaultdict(list)
    user_ids = set(user_ids)
    hr = Membership.objects.hr().filter(person_id__in=user_ids).values_list("person_id", "organisation__name")
    for person_id, organisation in hr.order_by("organisation__name"):
        roles[person_id].append(_("HR of %(organisation)s") % {"organisation": organisation})
    mandates = UnionMandate.objects.filter(representative_id__in=user_ids)
    mandates = mandates.values_list("representative_id", "union__name")
    for person_id, union in mandates.order_by("union__name"):
        roles[person_id].append(_("union representative (%(union)s)") % {"union": union})
    return roles


def actor_label(user: User | None, roles: list[str]) -> str:
    """How the log names who acted: "Maria R. (case officer)", "#12 (HR of Acme)", "member #40", "—"."""
    if user is None:
        return "—"
    roles = ([_("case officer")] if user.is_staff else []) + roles
    if not roles:
        # A member acting on their own account (a download, an erasure): their number only, not their name.
        return _("member #%(id)d") % {"id": user.pk}
    name = short_name(user.display_name) or f"#{user.pk}"
    return f"{name} ({', '.join(roles)})"


def labelled(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """The events with `actor_label` set, for a page of the log."""
    events = list(events)
    roles = roles_of(e.actor_id for e in events if e.actor_id)
    for event in events:
        event.actor_label = actor_label(event.actor, roles.get(event.actor_id, []))
    return events


CSV_CHUNK = 1000


def audit_csv_rows(events: QuerySet) -> Iterator[str]:
    """The log as CSV lines (a header, then one line per event), read in chunks so a long log streams.
    Every cell is made safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def line(cells) -> str:
        writer.writerow([csv_cell(cell) for cell in cells])
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    yield line([_("When"), _("Who"), _("Action"), _("What"), _("Organisation"), _("Details")])
    chunk = []
    for event in events.iterator(chunk_size=CSV_CHUNK):
        chunk.append(event)
        if len(chunk) == CSV_CHUNK:
            yield from _lines(chunk, line)
            chunk = []
    yield from _lines(chunk, line)


def _lines(chunk, line) -> Iterator[str]:
    for event in labelled(chunk):
        yield line(
            [
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
                event.actor_label,
                event.get_action_display(),
                event.target_display,
                event.organisation.name if event.organisation else "",
                json.dumps(event.details, ensure_ascii=False, sort_keys=True) if event.details else "",
            ]
        )
