"""The published evidence (published.published_evidence(), public audience) as the API documents it: the
shape of GET /api/v1/breaches/<slug>/evidence/ for drf-spectacular. Every count here is already released
(perturbed, null below min_people); these serializers only describe it."""

from rest_framework import serializers

from apps.breaches.models import DataCategory


class EvidencePeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    days = serializers.IntegerField()


class EvidenceDatesSerializer(serializers.Serializer):
    occurred = serializers.DateField()
    discovered = serializers.DateField(allow_null=True)
    disclosed = serializers.DateField(allow_null=True)


class EvidenceReasonSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[
            "breach_in_future", "empty_period", "no_dataset", "few_members", "no_window", "few_controls",
            "no_reports", "no_time_before", "not_disclosed", "no_time_after", "not_computed",
        ]
    )  # fmt: skip
    message = serializers.CharField(help_text="the reason in the request's language (Accept-Language)")


class RateRatioSerializer(serializers.Serializer):
    estimate = serializers.FloatField(
        allow_null=True, help_text="rate of the first group over the second's, one decimal; null: infinite"
    )
    low = serializers.FloatField(allow_null=True, help_text="exact 95% interval (conditional binomial)")
    high = serializers.FloatField(allow_null=True)
    contacts = serializers.ListField(
        child=serializers.IntegerField(), min_length=2, max_length=2, help_text="released contacts of each side"
    )
    per_person_month = serializers.ListField(
        child=serializers.FloatField(allow_null=True), min_length=2, max_length=2,
        help_text="contacts per person per 30 days on each side",
    )  # fmt: skip


class DifferenceInDifferencesSerializer(serializers.Serializer):
    estimate = serializers.FloatField(allow_null=True, help_text="ratio of the two rate ratios")
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    difference = serializers.FloatField(allow_null=True, help_text="contacts per person-day, after minus before")
    difference_low = serializers.FloatField(allow_null=True)
    difference_high = serializers.FloatField(allow_null=True)


class OnsetSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="the day the surge began")
    low = serializers.DateField()
    high = serializers.DateField()
    p_value = serializers.CharField(allow_null=True, help_text='a bound, e.g. "≤ 0.001", never the exact value')
    lag_from_occurred_days = serializers.IntegerField(allow_null=True)
    lag_from_discovered_days = serializers.IntegerField(allow_null=True)
    lag_from_disclosed_days = serializers.IntegerField(allow_null=True)


class LinkedNumberSerializer(serializers.Serializer):
    e164 = serializers.CharField(help_text="a public number only (enough reporters, never allowlisted)")
    country = serializers.CharField(allow_blank=True)
    targets = serializers.IntegerField(allow_null=True, help_text="people it reached, released")
    member_targets = serializers.IntegerField(allow_null=True, help_text="members of the breach among them")
    member_percent = serializers.IntegerField(allow_null=True)
    lift = serializers.FloatField(allow_null=True, help_text="members' share of its targets over their share")
    p_value = serializers.CharField(allow_null=True, help_text="Holm-adjusted binomial tail, as a bound")
    explained_by = serializers.ChoiceField(
        choices=["this", "other", "undecided"], help_text="which breach's exclusive people explain its targets"
    )


class ConductSerializer(serializers.Serializer):
    contacts = serializers.IntegerField(allow_null=True)
    calls = serializers.IntegerField(allow_null=True)
    silent_calls = serializers.IntegerField(allow_null=True)
    silent_without_noise = serializers.IntegerField(allow_null=True)
    not_dropped_within_3s = serializers.IntegerField(allow_null=True)
    called_again_within_5_days = serializers.IntegerField(allow_null=True)
    people_called_again = serializers.IntegerField(allow_null=True)
    silent_per_100_calls = serializers.FloatField(allow_null=True)
    over_3_per_100 = serializers.BooleanField()


class TotalConductSerializer(serializers.Serializer):
    total = ConductSerializer(allow_null=True)
    order = serializers.CharField(help_text="the Garante's general order on silent calls, 20 February 2014")


class CampaignSerializer(serializers.Serializer):
    block = serializers.CharField(help_text="the numbers' E.164 form without the last 2 digits")
    numbers = serializers.ListField(child=serializers.CharField(), help_text="its public numbers only")
    targets = serializers.IntegerField(allow_null=True)
    scripts = serializers.ListField(child=serializers.CharField())
    countries = serializers.ListField(child=serializers.CharField())
    carriers = serializers.ListField(child=serializers.CharField())
    line_types = serializers.ListField(child=serializers.CharField())
    channels = serializers.ListField(child=serializers.CharField())
    first_seen = serializers.DateField()
    last_seen = serializers.DateField()
    conduct = ConductSerializer(allow_null=True)


class KnownCategorySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=DataCategory.values)
    count = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)
    exposed = serializers.BooleanField(help_text="the breach exposed this category")


class CallerKnowledgeSerializer(serializers.Serializer):
    contacts = serializers.IntegerField(allow_null=True)
    with_knowledge = serializers.IntegerField(allow_null=True)
    with_knowledge_percent = serializers.IntegerField(allow_null=True)
    within_exposed = serializers.IntegerField(allow_null=True)
    within_exposed_percent = serializers.IntegerField(allow_null=True)
    categories = KnownCategorySerializer(many=True)


class EvidenceSerializer(serializers.Serializer):
    breach = serializers.CharField()
    shown = serializers.BooleanField(help_text="false: not enough data; not_enough_data says why and no figure")
    min_people = serializers.IntegerField()
    method_version = serializers.IntegerField(allow_null=True)
    computed_at = serializers.DateTimeField(allow_null=True, help_text="null: never computed")
    period = EvidencePeriodSerializer(allow_null=True)
    dates = EvidenceDatesSerializer(allow_null=True)
    not_enough_data = EvidenceReasonSerializer(many=True)
    members = serializers.IntegerField(allow_null=True, help_text="proven members observed, released")
    controls = serializers.IntegerField(allow_null=True, help_text="proven people outside the breach, released")
    rate_ratio_vs_controls = RateRatioSerializer(allow_null=True)
    rate_ratio_vs_before = RateRatioSerializer(allow_null=True)
    rate_ratio_vs_before_disclosed = RateRatioSerializer(allow_null=True)
    did = DifferenceInDifferencesSerializer(allow_null=True)
    onset = OnsetSerializer(allow_null=True, help_text="null: no surge found (or not shown)")
    linked_numbers = LinkedNumberSerializer(many=True)
    other_linked_numbers = serializers.IntegerField(
        allow_null=True, help_text="linked numbers not public yet (a released count; null: some)"
    )
    campaigns = CampaignSerializer(many=True)
    campaigns_not_described = serializers.IntegerField(help_text="campaigns with no public number")
    caller_knowledge = CallerKnowledgeSerializer(allow_null=True)
    conduct = TotalConductSerializer(allow_null=True)
