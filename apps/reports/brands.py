"""The curated brand list: how what a person typed as the impersonated brand maps to a curated brand, and how
case officers extend the list.

Anyone can type anything as the brand a caller claimed ("=HYPERLINK(…)", markup, a phishing address), so the
typed text is never published: it stays with the person and the officers. Each report also holds the curated
Brand its text maps to (none when no alias matches), and only that is counted in the statistics and named on
public pages, by its display name. When officers add a brand or an alias, the reports whose typed text the
change concerns are matched again and queued for the rollups with what they counted before, as a correction
is (signals.send_changed).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from apps.accounts.audit import audit
from apps.accounts.models import AuditEvent
from apps.reports.models import BRAND_MAX_LENGTH, Brand, BrandAlias, ContactReport
from apps.reports.signals import COUNTED_FIELDS, ReportChange, counted_facts, reports_changed
from apps.reports.validation import is_storable_text

MAX_ALIASES = 50


def brand_key(text: str) -> str:
    """What two spellings of one brand share: "Agenzia dell'Entrate", "agenzia  dell entrate" and
    "AGENZIA DELL’ENTRATE" give the same key (accents, case, spacing and punctuation ignored; dots join, so
    "S.p.A." is "SpA")."""
    decomposed = unicodedata.normalize("NFKD", text or "").replace(".", "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[^\W_]+", plain))[:BRAND_MAX_LENGTH]


def brand_slugs_by_key(keys=None) -> dict[str, str]:
    """{alias key: brand slug}, for the given keys (all when None)."""
    aliases = BrandAlias.objects.all() if keys is None else BrandAlias.objects.filter(key__in=set(keys))
    return dict(aliases.values_list("key", "brand_id"))


def brand_fields(text: str, *, slugs_by_key: dict[str, str] | None = None) -> dict:
    """The fields a report stores for its typed brand: its key and the curated brand it maps to (or None).
    `slugs_by_key` (brand_slugs_by_key()) saves the query when many reports are stored at once."""
    key = brand_key(text)
    if not key:
        return {"brand_key": "", "curated_brand_id": None}
    if slugs_by_key is None:
        slugs_by_key = brand_slugs_by_key([key])
    return {"brand_key": key, "curated_brand_id": slugs_by_key.get(key)}


def brands_attach(reports) -> None:
    """Set the brand fields of unsaved reports built directly (the demo's bulk insert), with one query."""
    slugs_by_key = brand_slugs_by_key()
    for report in reports:
        for name, value in brand_fields(report.impersonated_brand, slugs_by_key=slugs_by_key).items():
            setattr(report, name, value)


def brand_choices(brands=None) -> list[Brand]:
    """The curated brands (of the `brands` queryset, all by default), in the order of their names in the active
    language: what the report form offers and officers map to."""
    return sorted(Brand.objects.all() if brands is None else brands, key=lambda brand: brand_key(brand.name))


# --- Officers extend the list -------------------------------------------------------------------------------


def _clean_text(value: str, field: str, *, required: bool = True) -> str:
    value = " ".join((value or "").split())
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > BRAND_MAX_LENGTH:
        raise ValidationError({field: _("At most %(max)d characters.") % {"max": BRAND_MAX_LENGTH}})
    if not is_storable_text(value):
        raise ValidationError({field: _("This text contains characters that cannot be stored.")})
    return value


def _aliases_of(*, name_it: str, name_en: str, aliases) -> dict[str, str]:
    """{key: text} of a brand's aliases, its two names first (a brand always matches its own names)."""
    found: dict[str, str] = {}
    for text in (name_it, name_en, *aliases):
        text = _clean_text(text, "aliases", required=False)
        key = brand_key(text)
        if text and not key:
            raise ValidationError({"aliases": _("“%(text)s” has no letters or digits.") % {"text": text}})
        if key:
            found.setdefault(key, text)
    if len(found) > MAX_ALIASES:
        raise ValidationError({"aliases": _("At most %(max)d aliases.") % {"max": MAX_ALIASES}})
    return found


def _taken(keys, brand: Brand | None) -> None:
    """Raise when one of the keys is already an alias of another brand (a typed brand maps to one at most)."""
    others = BrandAlias.objects.filter(key__in=keys).select_related("brand")
    if brand is not None:
        others = others.exclude(brand=brand)
    clash = others.first()
    if clash is not None:
        raise ValidationError(
            {
                "aliases": _("“%(alias)s” is already an alias of %(brand)s.")
                % {"alias": clash.text, "brand": clash.brand}
            }
        )


@transaction.atomic
def brand_save(*, brand: Brand | None = None, name_it: str, name_en: str, aliases=(), slug: str = "", officer) -> Brand:
    """Add a curated brand (brand=None) or edit one: its names and aliases (its names are always aliases).
    The reports whose typed brand gained or lost a match are matched again and the statistics follow.
    Raises ValidationError ({field: [message]}) on a bad name, a bad alias, or one another brand has."""
    name_it = _clean_text(name_it, "name_it")
    name_en = _clean_text(name_en, "name_en")
    wanted = _aliases_of(name_it=name_it, name_en=name_en, aliases=aliases)
    _taken(wanted, brand)
    if brand is None:
        slug = slugify(slug or name_it)[:60]
        if not slug:
            raise ValidationError({"slug": _("Enter an identifier made of letters, digits and hyphens.")})
        if Brand.objects.filter(slug=slug).exists():
            raise ValidationError({"slug": _("Another brand already has this identifier.")})
        brand = Brand.objects.create(slug=slug, name_it=name_it, name_en=name_en, created_by=officer)
        had: set[str] = set()
    else:
        brand = Brand.objects.select_for_update().get(pk=brand.pk)
        brand.name_it, brand.name_en = name_it, name_en
        brand.save(update_fields=["name_it", "name_en"])  # a post_save tells insights its labels changed
        had = set(brand.aliases.values_list("key", flat=True))
    brand.aliases.exclude(key__in=wanted).delete()
    for key, text in wanted.items():  # at most MAX_ALIASES
        BrandAlias.objects.update_or_create(key=key, defaults={"brand": brand, "text": text})
    changed = brands_rematch(had ^ set(wanted))
    audit(actor=officer, action=AuditEvent.Action.BRAND_SAVED, target=f"brand {brand.slug}", reports_rematched=changed)
    return brand


@transaction.atomic
def brand_alias_add(*, brand: Brand, text: str, officer) -> int:
    """Map a typed brand to a curated one by adding it as an alias; returns how many reports now count it."""
    text = _clean_text(text, "text")
    key = brand_key(text)
    if not key:
        raise ValidationError({"text": _("“%(text)s” has no letters or digits.") % {"text": text}})
    _taken([key], brand)
    if len(set(brand.aliases.values_list("key", flat=True)) | {key}) > MAX_ALIASES:
        raise ValidationError({"text": _("At most %(max)d aliases.") % {"max": MAX_ALIASES}})
    BrandAlias.objects.get_or_create(brand=brand, key=key, defaults={"text": text})
    changed = brands_rematch({key})
    audit(actor=officer, action=AuditEvent.Action.BRAND_SAVED, target=f"brand {brand.slug}", reports_rematched=changed)
    return changed


def brands_rematch(keys) -> int:
    """Match again the reports whose typed brand has one of these keys, and queue for the rollups those whose
    curated brand changed, with what they counted before; returns how many changed. Inside a transaction."""
    keys = {key for key in keys if key}
    if not keys:
        return 0
    slugs = brand_slugs_by_key(keys)
    reports = (
        ContactReport.objects.select_for_update()
        .filter(brand_key__in=keys)
        .only("brand_key", "curated_brand", *COUNTED_FIELDS)
        .order_by("pk")
    )
    moved: dict[str | None, list[int]] = {}
    changes = []
    for report in reports:
        slug = slugs.get(report.brand_key)
        if report.curated_brand_id == slug:
            continue
        before = counted_facts(report)
        report.curated_brand_id = slug
        moved.setdefault(slug, []).append(report.pk)
        if before != counted_facts(report):  # a hidden report counts nowhere either way
            changes.append(ReportChange(contributor=report.contributor, report_id=report.pk, before=before))
    for slug, ids in moved.items():
        for start in range(0, len(ids), 1000):
            ContactReport.objects.filter(pk__in=ids[start : start + 1000]).update(curated_brand_id=slug)
    if changes:
        reports_changed.send(sender=ReportChange, changes=changes)
    return sum(len(ids) for ids in moved.values())


def typed_brands_unmatched(*, limit: int = 100) -> list[dict]:
    """For officers: what people typed that maps to no curated brand, most people first, one row per key
    ({"key", "text": one spelling, "reports", "people"})."""
    rows = (
        ContactReport.objects.visible()
        .filter(curated_brand__isnull=True)
        .exclude(brand_key="")
        .values("brand_key")
        .annotate(text=Max("impersonated_brand"), reports=Count("pk"), people=Count("contributor", distinct=True))
        .order_by("-people", "-reports", "brand_key")[:limit]
    )
    return [{"key": r["brand_key"], "text": r["text"], "reports": r["reports"], "people": r["people"]} for r in rows]
