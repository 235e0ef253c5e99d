from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, URLValidator
from django.db import models, transaction
from django.db.models.functions import Coalesce, NullIf
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.phones.hashing import DIGEST_SIZE


class Organisation(models.Model):
    """A data controller whose people may be in a breach: the employer whose HR watches its dashboard."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DataCategory(models.TextChoices):
    """What a breach exposed (HIBP's "data classes"), also what a caller showed they knew (DESIGN §5)."""

    NAME = "name", _("name")
    BIRTH_DATE = "birth_date", _("date of birth")
    PHONE = "phone", _("phone number")
    EMAIL = "email", _("e-mail address")
    TAX_CODE = "tax_code", _("tax code")
    ADDRESS = "address", _("postal address")
    EDUCATION = "education", _("education")
    CONTEST_DETAILS = "contest_details", _("hiring contest details")
    EMPLOYMENT = "employment", _("employment details")
    ID_DOCUMENT = "id_document", _("identity document")
    BANK_DETAILS = "bank_details", _("bank details")
    PASSWORD = "password", _("password")
    OTHER = "other", _("other")


def _language_codes() -> list[str]:
    """The active language first, then the others of settings.LANGUAGES: the order a text falls back in."""
    active = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return [active, *(code for code, _name in settings.LANGUAGES if code != active)]


class BreachQuerySet(models.QuerySet):
    def public(self):
        """Breaches that may be listed to anyone: every breach except sensitive ones.

        A sensitive breach (HIBP's flag: membership alone would harm the person) is shown only to a verified
        owner of an identifier it holds, never in lists, search or public statistics.
        """
        return self.filter(is_sensitive=False)

    def order_by_title(self, *first):
        """Ordered by `first`, then by the title as the active language shows it (Breach.title's fallback)."""
        codes = _language_codes()
        shown = Coalesce(*(NullIf(models.F(f"title_{code}"), models.Value("")) for code in codes))
        return self.order_by(*first, shown)


class Breach(models.Model):
    """A registered leak of one data controller's records, with its dates and what it exposed."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,  # a controller with breaches on record is never deleted by accident
        related_name="breaches",
        verbose_name=_("organisation (data controller)"),
    )
    # Written in both languages the site speaks; `title` and `description` (below) give the active language's
    # text, or the other one's while a translation is missing. At least one title is required (clean()).
    title_it = models.CharField(_("title (Italian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    description_it = models.TextField(_("description (Italian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    occurred_on = models.DateField(_("occurred on"))
    discovered_on = models.DateField(_("discovered on"), null=True, blank=True)
    disclosed_on = models.DateField(
        _("disclosed on"), null=True, blank=True, help_text=_("When the affected people were told.")
    )
    data_categories = models.JSONField(_("data categories"), default=list, blank=True)
    approx_people = models.PositiveIntegerField(_("approximate number of people"), null=True, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True, help_text=_("Addresses of public sources."))
    is_verified = models.BooleanField(_("verified"), default=False)
    is_sensitive = models.BooleanField(
        _("sensitive"), default=False, help_text=_("Never listed publicly; shown only to verified owners.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = BreachQuerySet.as_manager()

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-occurred_on", "title_it", "title_en"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title_it="", title_en=""), name="breach_has_a_title_in_some_language"
            )
        ]

    def __str__(self):
        return self.title

    def _in_language(self, field: str) -> str:
        """The active language's text of `field`, else the first language of settings.LANGUAGES that has one."""
        for code in _language_codes():
            value = getattr(self, f"{field}_{code}", "")
            if value:
                return value
        return ""

    @property
    def title(self) -> str:
        return self._in_language("title")

    @title.setter
    def title(self, value: str) -> None:
        # Code that speaks of one title (older callers, tests) writes the site's own language, Italian.
        setattr(self, f"title_{settings.LANGUAGE_CODE}", value)

    @property
    def description(self) -> str:
        return self._in_language("description")

    @description.setter
    def description(self, value: str) -> None:
        setattr(self, f"description_{settings.LANGUAGE_CODE}", value)

    def clean(self):
        super().clean()
        errors = {}
        if not (self.title_it.strip() or self.title_en.strip()):
            errors["title_it"] = _("Give the title in Italian, in English or in both.")
        unknown = sorted(set(self.data_categories or []) - set(DataCategory.values))
        if not isinstance(self.data_categories, list) or unknown:
            errors["data_categories"] = _("Unknown data categories: %(codes)s. Accepted: %(accepted)s.") % {
                "codes": ", ".join(map(str, unknown)) or "?",
                "accepted": ", ".join(DataCategory.values),
            }
        try:
            for url in self.sources or []:
                URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["sources"] = _("Each source must be an http(s) address.")
        for field in ("discovered_on", "disclosed_on"):
            when = getattr(self, field)
            if when and self.occurred_on and when < self.occurred_on:
                errors[field] = _("This date cannot be earlier than the date the breach occurred.")
        if errors:
            raise ValidationError(errors)

    @property
    def data_category_labels(self) -> list[str]:
        """The exposed data categories in the active language, in the order DataCategory lists them."""
        chosen = set(self.data_categories or [])
        return [label for value, label in DataCategory.choices if value in chosen]


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("phone number")
    EMAIL = "email", _("e-mail address")


class ExposedIdentifier(models.Model):
    """One identifier found in a breach's dataset, kept only as HMAC-SHA256 (apps.phones.hashing).

    The table grows by millions of rows per import, so it carries exactly two indexes, both measured in
    bench/RESULTS.md. The primary key (digest, kind, breach) is the uniqueness that makes imports idempotent
    and also the index the "am I affected?" lookup needs: selectors.breach_ids_holding() reads a person's
    digests across all breaches as an index-only scan. The plain index on breach serves per-breach work
    (counts, deleting a breach), and costs little to grow because an import appends one breach's rows.
    """

    pk = models.CompositePrimaryKey("digest", "kind", "breach")
    digest = models.BinaryField(max_length=DIGEST_SIZE)
    kind = models.CharField(max_length=5, choices=IdentifierKind.choices)
    breach = models.ForeignKey(
        Breach,
        on_delete=models.CASCADE,  # one fast DELETE … WHERE breach_id: no signals, nothing refers to these rows
        related_name="exposed_identifiers",
        # No database constraint: its per-row trigger doubled the time of a million-row import. Integrity is
        # kept by the import, which locks the breach row against deletion until it commits, and by
        # _lock_breach_before_delete() below, which waits for a running import before the cascade.
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("exposed identifier")
        verbose_name_plural = _("exposed identifiers")

    def __str__(self):
        return f"{self.kind} {bytes(self.digest).hex()[:12]}… ({self.breach_id})"


@receiver(pre_delete, sender=Breach, dispatch_uid="breaches_lock_breach_before_delete")
def _lock_breach_before_delete(sender, instance, using, **kwargs):
    """Wait for an import into this breach to commit (it holds the row FOR KEY SHARE), so the cascade that
    follows deletes the identifiers it added too."""
    if transaction.get_connection(using).in_atomic_block:
        Breach.objects.using(using).select_for_update().filter(pk=instance.pk).exists()


class DatasetImport(models.Model):
    """One run of the dataset import pipeline: its options, progress and summary. Holds no leaked value."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    SKIPPED_ROWS_KEPT = 1000  # the list is capped; the counters are always complete

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="imports", verbose_name=_("breach"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    phones_stored = models.PositiveIntegerField(_("phone numbers stored"), default=0)
    emails_stored = models.PositiveIntegerField(_("e-mail addresses stored"), default=0)
    duplicates = models.PositiveIntegerField(
        _("duplicates"), default=0, help_text=_("Identifiers repeated in the file or already stored for this breach.")
    )
    skipped = models.PositiveIntegerField(
        _("rows skipped"), default=0, help_text=_("Rows from which nothing could be stored.")
    )
    invalid_values = models.PositiveIntegerField(
        _("invalid values"), default=0, help_text=_("Phone numbers and e-mail addresses that could not be read.")
    )
    problem_rows = models.PositiveIntegerField(
        _("rows with problems"), default=0, help_text=_("Rows skipped or holding an invalid value.")
    )
    skipped_rows = models.JSONField(
        _("rows with problems (first 1,000)"),
        default=list,
        blank=True,
        help_text=_("Line number and reason, never the value; the first 1,000 only."),
    )
    options = models.JSONField(_("options used"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dataset import")
        verbose_name_plural = _("dataset imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="breaches_import_progress_lte_100"),
        ]

    def __str__(self):
        return f"{self.original_name or self.pk} → {self.breach_id} ({self.get_status_display()})"


class SkipReason(models.TextChoices):
    """Why a row (or one value in it) was not stored; the raw value itself is never recorded."""

    INVALID_PHONE = "invalid_phone", _("invalid phone number")
    INVALID_EMAIL = "invalid_email", _("invalid e-mail address")
    INVALID_PHONE_AND_EMAIL = "invalid_phone_and_email", _("invalid phone number and e-mail address")
    NO_IDENTIFIER = "no_identifier", _("no phone number or e-mail address in the row")
    TOO_WIDE = "too_wide", _("row too wide (too many columns or characters)")


class ExposureQuerySet(models.QuerySet):
    def of_person(self, person):
        """The exposures of one person, however they were established."""
        return self.filter(person=person)

    def matched(self):
        """Exposures proven by a dataset match of a verified identifier (not merely declared)."""
        return self.filter(established=Exposure.Established.DATASET_MATCH)

    def proven(self):
        """Exposures someone other than the person vouches for: a dataset match, the organisation's invitation
        or a case officer's review. A declaration alone is one click away for anyone, so it gives reports no
        extra weight and counts in no figure until an officer confirms it."""
        return self.exclude(established=Exposure.Established.SELF_DECLARED)

    def declared(self):
        """Exposures the person declared themselves or accepted through an HR invitation."""
        return self.exclude(established=Exposure.Established.DATASET_MATCH)

    def breach_ids(self) -> set[int]:
        """The distinct breach ids of these exposures (a person matched and declared counts once)."""
        return set(self.values_list("breach_id", flat=True).distinct())


class Exposure(models.Model):
    """A registered person linked to a breach, and how we know: they are the "members" of DESIGN §5."""

    class Established(models.TextChoices):
        DATASET_MATCH = "dataset_match", _("a verified identifier is in the dataset")
        INVITATION = "invitation", _("invited by the organisation")
        SELF_DECLARED = "self_declared", _("declared by the person")
        # A declaration a case officer reviewed and accepted (apps.breaches.reviews): proven from then on.
        OFFICER_CONFIRMED = "confirmed", _("confirmed by a case officer")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exposures",
        verbose_name=_("person"),
        db_index=False,  # the unique constraint below starts with person
    )
    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="exposures", verbose_name=_("breach"))
    established = models.CharField(_("established by"), max_length=16, choices=Established.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ExposureQuerySet.as_manager()

    class Meta:
        verbose_name = _("exposure")
        verbose_name_plural = _("exposures")
        ordering = ["-created_at"]
        constraints = [
            # Declared and matched stay distinct rows: the analytics weigh proven membership differently.
            models.UniqueConstraint(fields=["person", "breach", "established"], name="breaches_exposure_unique"),
        ]
        indexes = [
            # apps.insights.selectors.registered_people() counts a breach's people (all, and matched) on every
            # breach page, stats API answer and dashboard: an index-only scan instead of a row per person
            # (bench/RESULTS.md, issue 6).
            models.Index(fields=["breach", "established", "person"], name="breaches_exposure_people"),
        ]

    def __str__(self):
        return f"{self.person_id} in {self.breach_id} ({self.established})"


class DeclarationRejection(models.Model):
    """A case officer did not confirm a person's declaration, which was deleted: the person is told so on
    "Am I affected?" (and nothing more), and cannot declare the same breach again."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique one
    )
    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="+")
    rejected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("declaration not confirmed")
        verbose_name_plural = _("declarations not confirmed")
        constraints = [models.UniqueConstraint(fields=["person", "breach"], name="breaches_one_rejection")]

    def __str__(self):
        return f"{self.person_id} not confirmed in {self.breach_id}"
