"""GET /api/v1/breaches/<slug>/stats/ and /evidence/: a breach's figures and the evidence linking its surge to it,
as JSON, released exactly as on its page."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.breaches.models import Breach
from apps.core.api_params import single_value_errors
from apps.insights.linkage.published import PUBLIC, published_evidence
from apps.insights.linkage.serializers import EvidenceSerializer
from apps.insights.models import ANY, BreachEvidence
from apps.insights.periods import period_from_params
from apps.insights.release import SelectionTooNarrow, min_people
from apps.insights.selectors import statistics
from apps.reports.models import Channel

FILTERS = ("from", "to", "period", "channel")


class CellSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    contacts = serializers.IntegerField(allow_null=True, help_text="null when hidden")
    people = serializers.IntegerField(allow_null=True, help_text="distinct people; null when hidden or not additive")
    hidden = serializers.BooleanField(help_text="fewer than min_people people (or hidden to protect such a cell)")
    partial = serializers.BooleanField(help_text="a sum over months, some of which were hidden")


class DaySerializer(serializers.Serializer):
    day = serializers.DateField()
    contacts = serializers.IntegerField(allow_null=True)
    hidden = serializers.BooleanField()


class HourSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="ISO weekday, 1 = Monday")
    hour = serializers.IntegerField(help_text="0–23, Italian time")
    contacts = serializers.IntegerField(allow_null=True)
    hidden = serializers.BooleanField()
    partial = serializers.BooleanField()


class NumberSerializer(serializers.Serializer):
    e164 = serializers.CharField()
    country = serializers.CharField()
    country_label = serializers.CharField()
    carrier = serializers.CharField()
    line_type = serializers.CharField()
    contacts = serializers.IntegerField()
    people = serializers.IntegerField(allow_null=True)


class BrandsSerializer(serializers.Serializer):
    rows = CellSerializer(many=True)
    hidden = serializers.IntegerField(help_text="brands hidden (free text is not named below min_people people)")


class PeriodSerializer(serializers.Serializer):
    all_time = serializers.BooleanField()
    to = serializers.DateField(allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(allow_null=True)
        return fields


class TrendPointSerializer(PeriodSerializer):
    contacts = serializers.IntegerField(allow_null=True)


class TrendSerializer(serializers.Serializer):
    current = TrendPointSerializer()
    previous = TrendPointSerializer()
    change_percent = serializers.IntegerField(allow_null=True)


class StatisticsSerializer(serializers.Serializer):
    breach = serializers.CharField()
    enough_people = serializers.BooleanField(help_text="false: fewer than min_people people reported; no figures")
    min_people = serializers.IntegerField()
    period = PeriodSerializer()
    channel = serializers.CharField()
    registered = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    totals = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    timeline = DaySerializer(many=True)
    channels = CellSerializer(many=True)
    countries = CellSerializer(many=True)
    scripts = CellSerializer(many=True)
    brands = BrandsSerializer()
    line_types = CellSerializer(many=True)
    carriers = CellSerializer(many=True)
    hours = HourSerializer(many=True)
    top_numbers = NumberSerializer(many=True)
    trend = TrendSerializer()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(required=False)


class BreachStatisticsView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []  # public figures; no session, so no CSRF either
    not_found_detail = gettext_lazy("Breach not found.")

    @extend_schema(
        summary="Figures of a breach's people",
        description=(
            "Contacts per day, countries, channels, scripts, impersonated brands, line types, carriers, hour of "
            "the week, top public numbers and the trend, for the people registered in a non-sensitive breach. "
            "Every cell counted from fewer than `min_people` distinct people is hidden (null), with one more "
            "hidden where a single hidden cell could be worked out from the total. Periods are whole months: "
            "`from` and `to` take YYYY-MM (a date is widened to its month); without them, all time. A filter "
            "that would cover fewer than `min_people` people is refused with 400, as is a parameter given twice "
            "or empty."
        ),
        parameters=[
            OpenApiParameter("from", str, description="first month, YYYY-MM or YYYY-MM-DD"),
            OpenApiParameter("to", str, description="last month, YYYY-MM or YYYY-MM-DD (default: this month)"),
            OpenApiParameter("period", str, enum=["all", "12m", "3m", "since-breach"], description="preset period"),
            OpenApiParameter("channel", str, enum=list(Channel.values), description="only this channel"),
        ],
        responses={
            200: StatisticsSerializer,
            400: OpenApiResponse(ErrorSerializer, description="unreadable filter (a message per field) or too narrow"),
            404: OpenApiResponse(ErrorSerializer, description="no such public breach"),
        },
    )
    def get(self, request, slug):
        breach = get_object_or_404(Breach.objects.public(), slug=slug)
        errors = single_value_errors(request.query_params, FILTERS)
        if errors:
            return Response(errors, status=400)
        channel = request.query_params.get("channel") or ANY
        if channel != ANY and channel not in Channel.values:
            errors["channel"] = [_("Choose one of: %(list)s.") % {"list": ", ".join(Channel.values)}]
        try:
            period = period_from_params(request.query_params, breach=breach)
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            return Response(errors, status=400)
        filtered = any(request.query_params.get(name) for name in FILTERS)
        try:
            stats = statistics(breach=breach, period=period, channel=channel)
        except SelectionTooNarrow as refusal:
            if filtered:
                return Response({"detail": str(refusal.message)}, status=400)
            return Response(_empty(breach, period, channel))
        return Response({"breach": breach.slug, "enough_people": True, **stats})


def _empty(breach, period, channel) -> dict:
    return {
        "breach": breach.slug,
        "enough_people": False,
        "min_people": min_people(),
        "period": period.as_dict(),
        "channel": channel,
        "registered": {},
        "totals": {"contacts": None, "people": None},
        "timeline": [],
        "channels": [],
        "countries": [],
        "scripts": [],
        "brands": {"rows": [], "hidden": 0},
        "line_types": [],
        "carriers": [],
        "hours": [],
        "top_numbers": [],
        "trend": {
            "current": {"all_time": True, "from": None, "to": None, "contacts": None},
            "previous": {"all_time": True, "from": None, "to": None, "contacts": None},
            "change_percent": None,
        },
    }


class BreachEvidenceView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []  # public figures, as the stats endpoint
    not_found_detail = gettext_lazy("Breach not found.")

    @extend_schema(
        summary="Is the surge linked to the breach?",
        description=(
            "The stored evidence linking the contacts of a non-sensitive breach's people to the breach, as its "
            "page shows it: rate ratios against the people outside the breach and against the time before it "
            "(exact 95% intervals), the difference in differences, the day the surge began, the public numbers "
            "linked to the breach, its campaigns, what the callers knew and the silent-call rules they broke. "
            "Every count is released (consistently perturbed; null when fewer than `min_people` people are "
            "behind it); ratios are recomputed from the released counts and rounded; p-values are bounds. "
            "`shown` is false, with the reasons in `not_enough_data`, when members or controls are fewer than "
            "`min_people` proven people or nothing has been computed yet. Read from stored results (see "
            "`computed_at`), never computed per request. How each figure is computed: /methods/#evidence."
        ),
        responses={
            200: EvidenceSerializer,
            404: OpenApiResponse(ErrorSerializer, description="no such public breach"),
        },
    )
    def get(self, request, slug):
        breach = get_object_or_404(Breach.objects.public(), slug=slug)
        stored = BreachEvidence.objects.filter(breach=breach).first()
        return Response({**published_evidence(stored, PUBLIC), "breach": breach.slug})
