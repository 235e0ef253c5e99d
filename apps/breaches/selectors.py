"""Reads of the breach registry."""

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, QuerySet

from apps.breaches.models import Breach, ExposedIdentifier, IdentifierKind


def breach_ids_holding(*, phone_digests: Iterable[bytes] = (), email_digests: Iterable[bytes] = ()) -> QuerySet:
    """Ids of the breaches whose datasets hold any of these digests (a values_list QuerySet, no duplicates).

    One index-only scan of ExposedIdentifier's primary key (digest, kind, breach) per kind, so the time does
    not grow with the number of breaches or identifiers stored (bench/RESULTS.md has the plan). A UNION of
    one query per kind rather than one OR: PostgreSQL reads an OR through a bitmap and the table.
    """
    queries = [
        ExposedIdentifier.objects.filter(kind=kind, digest__in=digests).values_list("breach_id", flat=True)
        for kind, digests in ((IdentifierKind.PHONE, list(phone_digests)), (IdentifierKind.EMAIL, list(email_digests)))
        if digests
    ]
    if not queries:
        return ExposedIdentifier.objects.none().values_list("breach_id", flat=True)
    first, *others = queries
    return first.union(*others) if others else first.distinct()


def identifier_counts_by_kind(*, breach: Breach) -> dict[str, int]:
    """{"phone": n, "email": m}: how many distinct identifiers of each kind the breach's datasets held."""
    counts = dict.fromkeys(IdentifierKind.values, 0)
    rows = ExposedIdentifier.objects.filter(breach=breach).values("kind").annotate(n=Count("*"))
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts


def breaches_for_public_list() -> QuerySet:
    """Non-sensitive breaches with their organisation, newest first, for the public list and the API."""
    return Breach.objects.public().select_related("organisation").order_by_title("-occurred_on")


def exposures_for_person(person) -> list[dict]:
    """One entry per breach that holds `person`, with how it is known (matched and/or declared).

    A sensitive breach appears here, and only here: the person asking has verified the identifier, or
    declared it themselves (DESIGN §2.2)."""
    from apps.breaches.models import Exposure

    entries: dict[int, dict] = {}
    rows = Exposure.objects.of_person(person).select_related("breach__organisation").order_by("breach__occurred_on")
    for exposure in rows:
        entry = entries.setdefault(exposure.breach_id, {"breach": exposure.breach, "how": []})
        entry["how"].append(exposure.get_established_display())
        entry["matched"] = entry.get("matched", False) or exposure.established == "dataset_match"
        proven = exposure.established != Exposure.Established.SELF_DECLARED
        entry["proven"] = entry.get("proven", False) or proven
    for entry in entries.values():
        entry["pending"] = not entry["proven"]  # declared only: a case officer has yet to review it
    return list(entries.values())


def breach_count_for_person(person) -> int:
    """How many registered breaches hold `person` (matched, invited or declared; each breach once)."""
    from apps.breaches.models import Exposure

    return len(Exposure.objects.of_person(person).breach_ids())


def breaches_open_to_declaration(person) -> QuerySet:
    """Public breaches with no imported dataset that the person has not declared yet (nor had a declaration of
    rejected): for these a person can only say "I was in it" (e.g. after the controller's letter)."""
    from apps.breaches.models import DeclarationRejection, Exposure

    declared = Exposure.objects.of_person(person).values("breach_id")
    rejected = DeclarationRejection.objects.filter(person=person).values("breach_id")
    return (
        Breach.objects.public()
        .exclude(Exists(ExposedIdentifier.objects.filter(breach=OuterRef("pk"))))
        .exclude(pk__in=declared)
        .exclude(pk__in=rejected)  # an officer did not confirm it: declaring again would only ask again
        .select_related("organisation")
        .order_by_title()
    )
