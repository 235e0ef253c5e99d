"""Caller numbers (one row per number ever reported, with enrichment and derived counters), the reports people
make about them, and disputes about a number's reputation.

The counters on CallerNumber are derived data: services.caller_number_refresh() recomputes them for one
number from its reports, so the incremental path and a full rebuild give the same result.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.phones.enrich import LINE_TYPE_CHOICES

NOTES_MAX_LENGTH = 2000
BRAND_MAX_LENGTH = 100


class Channel(models.TextChoices):
    CALL = "call", _("Call")
    SILENT_CALL = "silent_call", _("Silent call")
    ROBOCALL = "robocall", _("Pre-recorded call")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    EMAIL = "email", _("E-mail")
    OTHER = "other", _("Other")


class Script(models.TextChoices):
    """What the contact was about: the scripts seen after the INPS Servizi leak and in the cases of DOMAIN.md."""

    FAKE_AMAZON_VOUCHER = "fake_amazon_voucher", _("Fake Amazon voucher")
    FAKE_TECH_SUPPORT = "fake_tech_support", _("Fake Microsoft or tech support")
    TRADING_CRYPTO = "trading_crypto", _("Trading or crypto investment")
    FAKE_INPS_MINISTRY_POLICE = "fake_inps_ministry_police", _("Fake INPS, ministry or police")
    FAKE_BANK_PARCEL = "fake_bank_parcel", _("Fake bank or parcel delivery")
    JOB_OFFER = "job_offer", _("Job offer")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    HUNG_UP = "hung_up", _("I hung up or did not answer")
    BLOCKED = "blocked", _("I blocked the number")
    GAVE_PERSONAL_DATA = "gave_personal_data", _("I gave personal data")
    GAVE_CARD_DATA = "gave_card_data", _("I gave card or bank details")
    LOST_MONEY = "lost_money", _("I lost money")


class Brand(models.Model):
    """A brand or body callers pretend to be, from the curated list case officers keep (apps.reports.brands).
    Published figures name only these, never what a person typed: that stays with the person and the officers."""

    # The slug is what reports and the rollups hold (ContactReport.curated_brand points at it), so it never
    # changes once created; the names can.
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name_it = models.CharField(_("name in Italian"), max_length=BRAND_MAX_LENGTH)
    name_en = models.CharField(_("name in English"), max_length=BRAND_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name_it"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Italian unless the page is in English)."""
        return self.name_en if (translation.get_language() or "it").startswith("en") else self.name_it


class BrandAlias(models.Model):
    """One way people write a curated brand ("Poste", "poste italiane", "PostePay"): a typed brand maps to the
    brand whose alias has the same key (brands.brand_key(): case, accents, spacing and punctuation ignored)."""

    brand = models.ForeignKey(Brand, to_field="slug", on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(_("alias"), max_length=BRAND_MAX_LENGTH)
    key = models.CharField(max_length=BRAND_MAX_LENGTH, unique=True)  # one key names one brand at most

    class Meta:
        verbose_name = _("brand alias")
        verbose_name_plural = _("brand aliases")
        ordering = ["text"]

    def __str__(self):
        return self.text


class CallerNumberQuerySet(models.QuerySet):
    def public(self):
        """Numbers shown to anyone and put in blocklists: enough distinct reporters, never allowlisted."""
        return self.filter(is_public=True)


class CallerNumber(models.Model):
    """A number that contacted someone: evidence, stored in clear with its enrichment (DESIGN §2.5)."""

    e164 = models.CharField(_("number"), max_length=16, unique=True)
    # Enrichment (apps.phones.enrich), done once when the number is first reported.
    country = models.CharField(_("country"), max_length=2, blank=True)
    country_name = models.CharField(_("country name"), max_length=64, blank=True)
    region = models.CharField(_("area"), max_length=120, blank=True)
    carrier = models.CharField(_("original carrier"), max_length=120, blank=True)
    line_type = models.CharField(_("line type"), max_length=16, choices=LINE_TYPE_CHOICES, blank=True)
    valid = models.BooleanField(_("valid"), default=False)
    possible = models.BooleanField(_("possible"), default=False)
    # Derived from the visible reports (and open disputes) by services.caller_number_refresh().
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    reports_count = models.PositiveIntegerField(_("reports"), default=0)
    reporters_count = models.PositiveIntegerField(_("distinct reporters"), default=0)
    evidence = models.FloatField(_("weighted evidence"), default=0.0)
    legitimate_evidence = models.FloatField(_("legitimate evidence"), default=0.0)
    spam_confidence = models.FloatField(_("spam confidence"), default=0.0)
    is_public = models.BooleanField(_("public"), default=False)
    # Moderation: an allowlisted number is never public and never in a blocklist, whatever the reports.
    is_allowlisted = models.BooleanField(_("marked legitimate"), default=False)
    allowlist_reason = models.CharField(_("why it is legitimate"), max_length=200, blank=True)
    allowlisted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    objects = CallerNumberQuerySet.as_manager()

    class Meta:
        verbose_name = _("caller number")
        verbose_name_plural = _("caller numbers")
        indexes = [
            # selectors.numbers_recently_public() and the blocklists read public numbers by recency.
            models.Index(fields=["last_seen"], condition=Q(is_public=True), name="reports_caller_public_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=~(Q(is_public=True) & Q(is_allowlisted=True)), name="allowlist_wins"),
        ]

    def __str__(self):
        return self.e164

    @property
    def spam_confidence_percent(self) -> int:
        return round(self.spam_confidence * 100)


class ContactReportQuerySet(models.QuerySet):
    def visible(self):
        """Reports that count: not hidden by a case officer."""
        return self.filter(hidden=False)

    def of_reporter(self, person):
        """The reports a person made (erased people's reports belong to nobody)."""
        return self.filter(reporter=person)


class ContactReport(models.Model):
    """One unwanted contact, as the person who received it reported it."""

    class Via(models.TextChoices):
        FORM = "form", _("report form")
        API = "api", _("API")
        BULK = "bulk", _("list or call log")
        DEMO = "demo", _("synthetic demo")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,  # erasure keeps the report as an anonymous contribution (privacy.py)
        null=True,
        related_name="contact_reports",
        db_index=False,  # the (reporter, created_at) index below starts with it
    )
    # The unit of evidence: the reporter's id, replaced on erasure by a random negative number shared by all
    # their reports, so distinct-reporter counts stay the same without keeping a link to the person.
    contributor = models.BigIntegerField()
    caller = models.ForeignKey(
        CallerNumber,
        on_delete=models.PROTECT,
        related_name="reports",
        db_index=False,  # the (caller, occurred_at) index below starts with it
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel)
    occurred_at = models.DateTimeField(_("when"))
    contacted_phone = models.ForeignKey(
        "accounts.PersonalPhone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("which of my numbers was contacted"),
    )
    script = models.CharField(_("what it was about"), max_length=32, choices=Script, blank=True)
    # What the person typed stays private (shown to them and to officers); figures count only the curated brand
    # it maps to, kept in step by apps.reports.brands whenever the text or the curated list changes.
    impersonated_brand = models.CharField(_("brand or body impersonated"), max_length=BRAND_MAX_LENGTH, blank=True)
    brand_key = models.CharField(max_length=BRAND_MAX_LENGTH, blank=True, editable=False)
    curated_brand = models.ForeignKey(
        Brand,
        to_field="slug",  # the rollups count the slug: no join to read it, and counted_facts() needs no query
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("curated brand"),
    )
    caller_knew = models.JSONField(_("what the caller knew"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome, blank=True)
    loss_eur = models.DecimalField(_("money lost (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=NOTES_MAX_LENGTH, blank=True)
    silent_seconds = models.PositiveIntegerField(_("silence lasted (seconds)"), null=True, blank=True)
    background_noise = models.BooleanField(_("background noise"), null=True, blank=True)
    low_weight = models.BooleanField(
        _("low weight"), default=False, help_text=_("The reporter had neither a verified phone nor an exposure.")
    )
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("why it is hidden"), max_length=200, blank=True)
    via = models.CharField(max_length=8, choices=Via, default=Via.FORM)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContactReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact report")
        verbose_name_plural = _("contact reports")
        indexes = [
            # services.caller_number_refresh() and the number pages read one number's reports.
            models.Index(fields=["caller", "occurred_at"], name="reports_by_caller"),
            # limits.report_limits_check() counts a reporter's last 24 hours; "my reports" lists them.
            models.Index(fields=["reporter", "created_at"], name="reports_by_reporter"),
            # apps.insights.rollups reads all the reports of the contributors whose reports changed.
            models.Index(fields=["contributor"], name="reports_by_contributor"),
            # selectors.reports_for_moderation(): the officers' moderation table, newest reports first (its
            # default order) or by the day of the contact, a page at a time (bench/moderation.py).
            models.Index(fields=["created_at", "id"], name="reports_by_created"),
            models.Index(fields=["occurred_at", "id"], name="reports_by_occurred"),
            # brands.brands_rematch() finds the reports whose typed brand an alias change concerns.
            models.Index(fields=["brand_key"], condition=~Q(brand_key=""), name="reports_by_brand_key"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(loss_eur__isnull=True) | Q(loss_eur__gte=0), name="loss_not_negative"),
            models.CheckConstraint(
                condition=Q(loss_eur__isnull=True) | Q(outcome="lost_money"), name="loss_only_when_money_lost"
            ),
            models.CheckConstraint(
                condition=(Q(silent_seconds__isnull=True) & Q(background_noise__isnull=True))
                | Q(channel="silent_call"),
                name="silence_only_for_silent_calls",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), NOTES_MAX_LENGTH), name="notes_max_length"
            ),
        ]

    def __str__(self):
        return f"report #{self.pk} about {self.caller_id}"


class NumberDispute(models.Model):
    """Someone says a number is legitimate (raised from its page, by anyone); a case officer decides. While
    open it lowers the number's spam confidence: one unit per signed-in claimant, one for all anonymous ones."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for a case officer")
        UPHELD = "upheld", _("upheld: marked legitimate")
        REJECTED = "rejected", _("rejected")

    caller = models.ForeignKey(CallerNumber, on_delete=models.CASCADE, related_name="disputes")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    who = models.CharField(_("who you are"), max_length=200)
    contact = models.CharField(_("how we can reach you"), max_length=200, blank=True)
    reason = models.TextField(_("why the number is legitimate"), max_length=NOTES_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    resolution_note = models.CharField(_("decision note"), max_length=200, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("number dispute")
        verbose_name_plural = _("number disputes")
        ordering = ["-created_at"]
        indexes = [
            # services.caller_number_refresh() counts a number's open disputes; officers list the open ones.
            models.Index(fields=["caller"], condition=Q(status="open"), name="reports_open_disputes"),
        ]

    def __str__(self):
        return f"dispute #{self.pk} about {self.caller_id} ({self.status})"
