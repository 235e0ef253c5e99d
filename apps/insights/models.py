"""Rollups: the small tables every statistic, dashboard and notice reads instead of the raw reports.

A report counts in several *scopes* (everyone; each breach its author is in; each organisation they belong
to; each organisation × breach pair). For each scope the rollups hold, per period, how many reports fall in
a cell and how many distinct people made them. Distinct counts cannot be added up across periods or cells, so
every published cell is read from exactly one stored row: a day (the timeline), a calendar month, or all time
(`Grain`), and within a period the value "*" stands for "any" (a cube with its margins), so that "all channels"
has its own exact count of people.

The rollups are derived data. `ContributorScope` and the rollup rows are written only by apps.insights.rollups
(the incremental path, from the queue of `RollupChange` rows) and apps.insights.rebuild (from scratch); the
two give identical tables (tests/insights/test_rollups.py).
"""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ANY = "*"  # "any value" of a dimension: the margin of the cube
ALL_TIME = date(2000, 1, 1)  # the period of all-time rows (no report can be older: validation refuses them)


class Grain(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    ALL = "all", _("all time")


class Scope(models.Model):
    """Whose contacts a figure counts: everyone, a breach's people, an organisation's people, or both."""

    class Kind(models.TextChoices):
        ALL = "all", _("everyone")
        BREACH = "breach", _("the people of a breach")
        ORGANISATION = "organisation", _("the people of an organisation")
        ORGANISATION_BREACH = "organisation_breach", _("the people of an organisation in a breach")

    kind = models.CharField(max_length=20, choices=Kind)
    breach = models.ForeignKey("breaches.Breach", on_delete=models.CASCADE, null=True, related_name="+")
    organisation = models.ForeignKey("breaches.Organisation", on_delete=models.CASCADE, null=True, related_name="+")
    # The registered people behind the scope's figures (the living contributors ContributorScope lists in it:
    # proven people only) and the sum of their record keys modulo 2^32, kept by both writers of ContributorScope
    # (apps.insights.rollups, apps.insights.rebuild). selectors.registered_people() publishes them, where
    # computing one HMAC per person cost about 150 ms for everyone at 100,000 people (bench/RESULTS.md).
    people = models.PositiveIntegerField(default=0)
    people_ckey = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("statistics scope")
        verbose_name_plural = _("statistics scopes")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="all") & Q(breach__isnull=True) & Q(organisation__isnull=True))
                | (Q(kind="breach") & Q(breach__isnull=False) & Q(organisation__isnull=True))
                | (Q(kind="organisation") & Q(breach__isnull=True) & Q(organisation__isnull=False))
                | (Q(kind="organisation_breach") & Q(breach__isnull=False) & Q(organisation__isnull=False)),
                name="insights_scope_kind_matches_keys",
            ),
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="all"), name="insights_one_national_scope"),
            models.UniqueConstraint(fields=["breach"], condition=Q(kind="breach"), name="insights_one_breach_scope"),
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(kind="organisation"), name="insights_one_organisation_scope"
            ),
            models.UniqueConstraint(
                fields=["organisation", "breach"],
                condition=Q(kind="organisation_breach"),
                name="insights_one_organisation_breach_scope",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.breach_id or ''} {self.organisation_id or ''}".strip()


class ContributorScope(models.Model):
    """The scopes a contributor's reports are counted in, as the rollups hold them now ("applied").

    For a living person this follows their exposures and memberships (apps.insights.scopes); after an
    erasure the anonymous contributor keeps the scopes the person had, so their reports stay in the same
    figures without anything leading back to them.
    """

    contributor = models.BigIntegerField()
    scope = models.ForeignKey(Scope, on_delete=models.CASCADE, related_name="contributors")

    class Meta:
        verbose_name = _("contributor scope")
        verbose_name_plural = _("contributor scopes")
        constraints = [
            models.UniqueConstraint(fields=["contributor", "scope"], name="insights_contributor_scope_unique"),
        ]
        indexes = [
            # rebuild.py joins the facts of every report to its author's scopes.
            models.Index(fields=["scope", "contributor"], name="insights_scope_contributors"),
        ]

    def __str__(self):
        return f"{self.contributor} in {self.scope_id}"


class AnonymousRecordKey(models.Model):
    """The record key an anonymous contributor (an erased person's reports) kept from the person
    (apps.insights.keys); living people's keys are computed, not stored."""

    contributor = models.BigIntegerField(unique=True)
    key = models.BigIntegerField()

    class Meta:
        verbose_name = _("anonymous record key")
        verbose_name_plural = _("anonymous record keys")

    def __str__(self):
        return f"key of {self.contributor}"


class RollupChange(models.Model):
    """The queue of changes the rollups have not absorbed yet, written in the same transaction as the change.

    `report_id` set: that report's facts changed (new, hidden, unhidden, edited, deleted, or moved to another
    contributor by an erasure); `before` holds its facts as the rollups last counted them, or null when it
    did not count. `report_id` null: the contributor's scopes may have changed (an exposure or a membership).
    apps.insights.rollups.rollups_update() applies and deletes them.
    """

    contributor = models.BigIntegerField()
    report_id = models.BigIntegerField(null=True)
    before = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pending statistics change")
        verbose_name_plural = _("pending statistics changes")
        indexes = [
            # rollups_update() takes every pending change of the contributors it processes.
            models.Index(fields=["contributor", "id"], name="insights_changes_by_person"),
        ]

    def __str__(self):
        return f"change #{self.pk} of {self.contributor}"


class Rollup(models.Model):
    """One cell: `reports` in it and `reporters`, the distinct people who made them."""

    # No database constraint (nor on NumberRollup.caller): at 10 million reports a rebuild writes tens of
    # millions of rows, and PostgreSQL's per-row deferred check of each key more than doubled its time
    # (bench/RESULTS.md, issue 6). Both writers take the ids from rows they have just read under the rollups
    # lock, and Django still cascades deletions.
    scope = models.ForeignKey(Scope, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    grain = models.CharField(max_length=5, choices=Grain)
    period = models.DateField()  # the day, the first day of the month, or ALL_TIME
    channel = models.CharField(max_length=12)  # a Channel value, or ANY
    reports = models.PositiveIntegerField()
    reporters = models.PositiveIntegerField()
    # The cell key: the sum of the distinct reporters' record keys modulo 2^32 (apps.insights.perturbation),
    # from which the published counts get their consistent noise.
    ckey = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.scope_id} {self.grain} {self.period} {self.channel}: {self.reports}/{self.reporters}"


class ContactRollup(Rollup):
    """Day × scope (breach, organisation) × caller country × channel × script.

    Day rows hold only the channel margins (the timeline); month and all-time rows hold the whole cube."""

    country = models.CharField(max_length=2)  # ISO code of the caller number, "" unknown, or ANY
    script = models.CharField(max_length=32)  # a Script value, "" not said, or ANY

    class Meta:
        verbose_name = _("contacts rollup")
        verbose_name_plural = _("contacts rollups")
        constraints = [
            # Also the index of every read: selectors filter on scope, grain, channel and a period range.
            models.UniqueConstraint(
                fields=["scope", "grain", "channel", "period", "country", "script"], name="insights_contact_cell"
            ),
            models.CheckConstraint(condition=Q(reporters__lte=F("reports")), name="insights_contact_people_le_reports"),
        ]


class Facet(models.TextChoices):
    HOUR = "hour", _("hour of the week")  # value: ISO weekday × 100 + hour, e.g. "108" = Monday 08:00–08:59
    BRAND = "brand", _("impersonated brand or body")
    LINE_TYPE = "line_type", _("line type")
    CARRIER = "carrier", _("original carrier")  # value: "NG:MTN Nigeria"


class FacetRollup(Rollup):
    """Month and all-time cells of one more dimension each: hour of the week, brand, line type, carrier."""

    facet = models.CharField(max_length=10, choices=Facet)
    value = models.CharField(max_length=140)

    class Meta:
        verbose_name = _("facet rollup")
        verbose_name_plural = _("facet rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "grain", "facet", "channel", "period", "value"], name="insights_facet_cell"
            ),
            models.CheckConstraint(condition=Q(reporters__lte=F("reports")), name="insights_facet_people_le_reports"),
        ]


class NumberRollup(Rollup):
    """Per caller number: its daily activity (all channels) and its month and all-time cells per channel."""

    caller = models.ForeignKey(
        "reports.CallerNumber", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        verbose_name = _("caller number rollup")
        verbose_name_plural = _("caller number rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "grain", "channel", "period", "caller"], name="insights_number_cell"
            ),
            models.CheckConstraint(condition=Q(reporters__lte=F("reports")), name="insights_number_people_le_reports"),
        ]
        indexes = [
            # A number's own activity across scopes (its page, the attribution of a number to a breach).
            models.Index(fields=["caller", "grain", "scope"], name="insights_number_activity"),
            # selectors.top_numbers() ranks the cells of at least min_people() people (never fewer than 2): some
            # thousands of a big breach's year, among hundreds of thousands. Caller and reports are in the key
            # (not INCLUDE, which SQLite lacks) so the ranking is an index-only scan.
            models.Index(
                fields=["scope", "grain", "channel", "period", "reporters", "caller", "reports"],
                condition=Q(reporters__gte=2),
                name="insights_number_top",
            ),
        ]


class BreachEvidence(models.Model):
    """The stored evidence linking a surge to a breach (apps.insights.linkage.compute): the exact figures, for
    officers; pages read this row instead of computing. Rewritten by each recompute (nightly by beat and on an
    officer's demand), with the period and inputs it covers and the method's version."""

    breach = models.OneToOneField(
        "breaches.Breach", on_delete=models.CASCADE, related_name="evidence", verbose_name=_("breach")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    first_report = models.DateField(_("first report counted"), null=True, blank=True)
    last_report = models.DateField(_("last report counted"), null=True, blank=True)
    members = models.PositiveIntegerField(_("members observed"), default=0)
    controls = models.PositiveIntegerField(_("controls observed"), default=0)
    reports = models.PositiveIntegerField(_("reports read"), default=0)
    method_version = models.PositiveSmallIntegerField(_("method version"))
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    seconds = models.FloatField(_("computation time (s)"), default=0.0)
    result = models.JSONField(_("evidence"), default=dict)

    class Meta:
        verbose_name = _("breach evidence")
        verbose_name_plural = _("breach evidence")

    def __str__(self):
        return f"evidence of {self.breach_id} ({self.period_start}–{self.period_end})"

    @property
    def onset_day(self) -> date | None:
        """The day the surge began, when one was found."""
        onset = self.result.get("onset")
        return date.fromisoformat(onset["date"]) if onset else None


class SurgeSignal(models.Model):
    """A surge onset for which `surge_detected` was sent, so a recompute does not send it again
    (apps.insights.linkage.store)."""

    breach = models.ForeignKey("breaches.Breach", on_delete=models.CASCADE, related_name="+")
    onset = models.DateField(_("onset"))
    low = models.DateField()
    high = models.DateField()
    signalled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("surge signalled")
        verbose_name_plural = _("surges signalled")
        constraints = [models.UniqueConstraint(fields=["breach", "onset"], name="one_signal_per_onset")]

    def __str__(self):
        return f"surge of {self.breach_id} from {self.onset}"
