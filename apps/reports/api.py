"""The API for phone apps: POST /api/v1/reports/, GET /api/v1/numbers/<e164>/ and the breach blocklists.

Views stay thin: serializers shape the JSON, report_submit() holds every rule. Every status a view can answer
is in its schema, so Schemathesis finds no undocumented one.
"""

import functools

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.authentication import TokenAuthentication
from apps.breaches.models import Breach, DataCategory
from apps.core import formats
from apps.phones.enrich import LINE_TYPE_CHOICES
from apps.phones.normalise import InvalidPhoneNumber, normalise_phone
from apps.reports.blocklists import blocklist_csv, blocklist_vcard
from apps.reports.limits import ReportRateLimited
from apps.reports.models import NOTES_MAX_LENGTH, Channel, ContactReport, Outcome, Script
from apps.reports.published import blocks_targeting_breach, numbers_targeting_breach
from apps.reports.selectors import caller_number_by_e164, number_reputation
from apps.reports.services import report_correct, report_submit, report_withdraw
from apps.reports.validation import MESSAGES
from apps.reports.verdict import Verdict, number_verdict

_ERROR = OpenApiResponse(response=OpenApiTypes.OBJECT, description='`{"detail": message}`')
# What writing a report (POST a new one, PUT a correction) may answer besides the report itself.
_WRITE_ERRORS = {
    400: OpenApiResponse(response=OpenApiTypes.OBJECT, description="A list of messages per field"),
    401: _ERROR,
    403: _ERROR,
    415: _ERROR,
    429: OpenApiResponse(response=OpenApiTypes.OBJECT, description="A daily limit; see Retry-After"),
}
_REPORT_ID = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="the report's id")


class CallerSerializer(serializers.Serializer):
    e164 = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166 alpha-2, empty when unknown")
    country_name = serializers.CharField()
    carrier = serializers.CharField(help_text="The carrier the range was allocated to; empty when unknown")
    line_type = serializers.ChoiceField(choices=LINE_TYPE_CHOICES)
    valid = serializers.BooleanField(help_text="False: the number is only possible (right length, range unassigned)")
    is_public = serializers.BooleanField(
        help_text="Whether the number's public page exists; how many people reported it is on that page only, "
        "released like every figure (a report's answer echoes no counter that a resubmission could poll)"
    )


class ContactTimeField(serializers.DateTimeField):
    """DRF's DateTimeField, with a field error instead of a 500 for a naive time in year 1 (or 9999), which
    Python cannot shift into Europe/Rome: those are outside the years a report may name anyway."""

    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            raise serializers.ValidationError(MESSAGES["too_old"]) from None


class OneChoiceField(serializers.ChoiceField):
    """A choice given as one value: a list ["sms"] is refused in words, not echoed as "['sms']"."""

    default_error_messages = {"not_one": _("Choose one value, not a list.")}

    def to_internal_value(self, data):
        if isinstance(data, list | dict):
            self.fail("not_one")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """true, false or null: DRF would also read "" and "null" as null, which the schema does not allow."""

    NULL_VALUES = frozenset()


class ReportInputSerializer(serializers.Serializer):
    caller_number = serializers.CharField(help_text='As typed: "+234 803 123 4567", "0039 06 1234567", "3331234567"')
    channel = OneChoiceField(choices=Channel.choices)
    occurred_at = ContactTimeField(help_text="ISO 8601; without an offset it is read as Europe/Rome time")
    region_hint = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        default="IT",
        max_length=2,
        error_messages={"invalid": MESSAGES["region_hint"]},
        help_text="ISO country for numbers typed without a prefix",
    )
    script = OneChoiceField(choices=Script.choices, allow_blank=True, default="", help_text='"": no subject chosen')
    impersonated_brand = serializers.CharField(
        max_length=100,
        allow_blank=True,
        default="",
        help_text="As the person would say it; stays private. A name or alias of a curated brand "
        "(GET /api/v1/brands/) counts as that brand in the statistics; any other text counts as none.",
    )
    caller_knew = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices), default=list, max_length=len(DataCategory.values)
    )
    outcome = OneChoiceField(choices=Outcome.choices, allow_blank=True, default="", help_text='"": not said')
    loss_eur = serializers.DecimalField(
        max_digits=11,
        decimal_places=2,
        min_value=0,
        allow_null=True,
        default=None,
        help_text="Euros lost; only when outcome is lost_money, else 400",
    )
    notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, allow_blank=True, default="")
    silent_seconds = serializers.IntegerField(
        min_value=0,
        max_value=3600,
        allow_null=True,
        default=None,
        help_text="Seconds of silence before the call dropped; only when channel is silent_call, else 400",
    )
    background_noise = StrictBooleanField(
        allow_null=True,
        default=None,
        help_text="Whether a call centre's noise was heard; only when channel is silent_call, else 400",
    )

    @property
    def fields(self):
        # DRF deep-copies every declared field for each serializer it makes, so that one instance may change
        # its fields: for these thirteen that cost 0.7 ms, more than the validation itself. Nothing changes
        # them and they keep no per-request state (no context, no request), so they are bound once per process
        # and language: some of their messages (min_value, max_length) are formatted once, then kept.
        return _bound_input_fields(translation.get_language())


@functools.cache
def _bound_input_fields(language: str | None):
    return serializers.Serializer.fields.func(ReportInputSerializer())


class ReportSerializer(serializers.ModelSerializer):
    caller = CallerSerializer()
    # Declared so the schema says "" is a possible value (nothing chosen).
    script = serializers.ChoiceField(choices=Script.choices, allow_blank=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True)
    brand = serializers.CharField(
        source="curated_brand_id", allow_null=True, help_text="The curated brand counted (its slug), or null"
    )

    class Meta:
        model = ContactReport
        fields = [
            "id",
            "caller",
            "channel",
            "occurred_at",
            "script",
            "impersonated_brand",
            "brand",
            "caller_knew",
            "outcome",
            "loss_eur",
            "notes",
            "silent_seconds",
            "background_noise",
            "low_weight",
            "created_at",
        ]
        read_only_fields = fields


_DATETIME = serializers.DateTimeField()
_LOSS = serializers.DecimalField(max_digits=12, decimal_places=2)


def report_json(report: ContactReport) -> dict:
    """What ReportSerializer documents, built directly (a test checks they agree): a ModelSerializer per
    answer cost more time than validating and storing the report (bench/report_api_load.py)."""
    caller = report.caller
    return {
        "id": report.pk,
        "caller": {
            "e164": caller.e164,
            "country": caller.country,
            "country_name": formats.country_name(caller.country),
            "carrier": caller.carrier,
            "line_type": caller.line_type,
            "valid": caller.valid,
            "is_public": caller.is_public,
        },
        "channel": report.channel,
        "occurred_at": _DATETIME.to_representation(report.occurred_at),
        "script": report.script,
        "impersonated_brand": report.impersonated_brand,
        "brand": report.curated_brand_id,
        "caller_knew": report.caller_knew,
        "outcome": report.outcome,
        "loss_eur": _LOSS.to_representation(report.loss_eur) if report.loss_eur is not None else None,
        "notes": report.notes,
        "silent_seconds": report.silent_seconds,
        "background_noise": report.background_noise,
        "low_weight": report.low_weight,
        "created_at": _DATETIME.to_representation(report.created_at),
    }


class VerdictSerializer(serializers.Serializer):
    """What a number's page says first, for every number the API answers about (apps/reports/verdict.py)."""

    e164 = serializers.CharField()
    display = serializers.CharField(
        help_text='As dialled from Italy: national format for Italian numbers ("06 1234 5678"), international '
        'with + for the others ("+234 803 123 4567")'
    )
    verdict = serializers.ChoiceField(
        choices=Verdict.choices,
        help_text="scam: public, mostly reported for a scam script; unwanted: public, for other or no script; "
        "disputed: public, with an open dispute; not_enough_evidence: fewer than 3 people's worth of reports, or "
        "never reported (the two are not told apart); legitimate: case officers marked it legitimate",
    )
    verdict_label = serializers.CharField(
        help_text='The verdict in words, in the request\'s language ("Probably a scam")'
    )
    verdict_reason = serializers.CharField(
        help_text='Why, in the request\'s language ("14 people reported it; most often: fake Amazon voucher.")'
    )


class NumberNotPublicSerializer(serializers.Serializer):
    """The 404 of a number with no public page: its verdict too, unless the path is not a number at all."""

    detail = serializers.CharField()
    e164 = serializers.CharField(required=False)
    display = serializers.CharField(required=False)
    verdict = serializers.ChoiceField(choices=[Verdict.NOT_ENOUGH_EVIDENCE, Verdict.LEGITIMATE], required=False)
    verdict_label = serializers.CharField(required=False)
    verdict_reason = serializers.CharField(required=False)


class ReputationSerializer(VerdictSerializer):
    country = serializers.CharField()
    country_name = serializers.CharField()
    region = serializers.CharField()
    carrier = serializers.CharField()
    line_type = serializers.ChoiceField(choices=LINE_TYPE_CHOICES)
    valid = serializers.BooleanField()
    reports = serializers.IntegerField(
        allow_null=True, help_text="Reports of proven people, perturbed (±INSIGHTS_NOISE_MAX); null below K people"
    )
    reporters = serializers.IntegerField(
        allow_null=True, help_text="Distinct proven people who reported it, perturbed; null below K people"
    )
    spam_confidence = serializers.FloatField(
        help_text="Wilson lower bound (95%) of the share of unwanted contacts, from the published reporters "
        "(3 while fewer than K proven people reported it) against open disputes; two decimals"
    )
    first_seen = serializers.DateTimeField()
    last_seen = serializers.DateTimeField()
    channels = serializers.ListField(child=serializers.DictField())
    scripts = serializers.ListField(child=serializers.DictField())
    impersonated_brands = serializers.ListField(child=serializers.DictField())
    breaches = serializers.ListField(child=serializers.DictField())


class ReportCreateView(APIView):
    # Token first: an anonymous request is answered 401 with WWW-Authenticate, not a bare 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Report a contact",
        request=ReportInputSerializer,
        responses={201: ReportSerializer, **_WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "A call",
                request_only=True,
                value={
                    "caller_number": "+234 803 123 4567",
                    "channel": "call",
                    "occurred_at": "2025-02-03T08:30:00+01:00",
                },
            )
        ],
    )
    def post(self, request):
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            report = report_submit(reporter=request.user, via=ContactReport.Via.API, **data.validated_data)
        except ValidationError as error:
            raise _field_errors(error) from None
        except ReportRateLimited as limited:
            return _too_many(limited)
        return Response(report_json(report), status=status.HTTP_201_CREATED)


class ReportDetailView(APIView):
    """One's own report: read it, correct it (the same body as a new report, the same rules), or delete it."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]
    not_found_detail = _("Report not found.")  # someone else's report is not found either

    def _own(self, request, pk: str) -> ContactReport:
        # The path takes anything so that a malformed id is the documented JSON 404, not the resolver's page.
        if not (pk.isascii() and pk.isdigit()) or int(pk) > 2**63 - 1:  # "²".isdigit(), but int("²") fails
            raise Http404
        return get_object_or_404(ContactReport.objects.select_related("caller"), pk=int(pk), reporter=request.user)

    @extend_schema(
        summary="One of my reports",
        parameters=[_REPORT_ID],
        responses={200: ReportSerializer, 401: _ERROR, 403: _ERROR, 404: _ERROR},
    )
    def get(self, request, pk):
        return Response(report_json(self._own(request, pk)))

    @extend_schema(
        summary="Correct one of my reports",
        description="The whole report again, as for a new one; a report hidden by a case officer cannot be "
        "corrected (404). Statistics and the numbers' counters follow.",
        parameters=[_REPORT_ID],
        request=ReportInputSerializer,
        responses={200: ReportSerializer, 404: _ERROR, **_WRITE_ERRORS},
    )
    def put(self, request, pk):
        report = self._own(request, pk)
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            report = report_correct(report=report, reporter=request.user, **data.validated_data)
        except ContactReport.DoesNotExist:  # hidden by an officer, or deleted meanwhile
            raise Http404 from None
        except ValidationError as error:
            raise _field_errors(error) from None
        except ReportRateLimited as limited:
            return _too_many(limited)
        return Response(report_json(ContactReport.objects.select_related("caller").get(pk=report.pk)))

    @extend_schema(
        summary="Delete one of my reports",
        parameters=[_REPORT_ID],
        responses={204: None, 401: _ERROR, 403: _ERROR, 404: _ERROR},
    )
    def delete(self, request, pk):
        try:
            report_withdraw(report=self._own(request, pk), reporter=request.user)
        except ContactReport.DoesNotExist:
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)


def _field_errors(error: ValidationError) -> serializers.ValidationError:
    """The service's field errors as DRF's 400 answer."""
    return serializers.ValidationError(
        {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    )


def _too_many(limited: ReportRateLimited) -> Response:
    return Response(
        {"detail": str(limited.message)},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(limited.retry_after)},
    )


class NumberReputationView(APIView):
    authentication_classes = []  # public, like the number's page
    permission_classes = [permissions.AllowAny]
    not_found_detail = _("This number has no public reputation.")

    @extend_schema(
        summary="Reputation of a caller number",
        description="Any format is accepted in the path. 404 while fewer than 3 distinct people reported it, "
        "or when case officers marked it legitimate; the 404 carries the number's verdict all the same.",
        responses={200: ReputationSerializer, 404: NumberNotPublicSerializer},
    )
    def get(self, request, e164):
        try:
            canonical = normalise_phone(e164, require_valid=False)
        except InvalidPhoneNumber:
            raise Http404 from None
        number = caller_number_by_e164(canonical)
        if number is None or not number.is_public:
            verdict = number_verdict(number, e164=canonical)
            body = {
                "detail": str(_("This number has no public page.")),
                "e164": canonical,
                "display": verdict["display"],
                "verdict": verdict["verdict"],
                "verdict_label": verdict["label"],
                "verdict_reason": verdict["reason"],
            }
            return Response(NumberNotPublicSerializer(body).data, status=status.HTTP_404_NOT_FOUND)
        return Response(ReputationSerializer(number_reputation(number)).data)


class _FileRenderer(BaseRenderer):
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict):  # an error such as 404 {"detail": ...}
            return str(data.get("detail", "")).encode(self.charset)
        return data.encode(self.charset) if isinstance(data, str) else data


class CSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class VCardRenderer(_FileRenderer):
    media_type = "text/vcard"
    format = "vcf"


class BreachBlocklistView(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    not_found_detail = _("Breach not found.")
    kind = "csv"

    def get(self, request, slug):
        breach = get_object_or_404(Breach.objects.public(), slug=slug)
        numbers = numbers_targeting_breach(breach)
        filename = f"breachwatch-{breach.slug}.{self.kind}"
        if self.kind == "csv":
            body = blocklist_csv(numbers, blocks_targeting_breach(breach))
        else:
            body = blocklist_vcard(
                numbers,
                name=f"BreachWatch – {breach.title}",
                uid=f"breachwatch-blocklist-{breach.slug}",
                note=str(_("Numbers that contacted people whose data leaked in this breach.")),
            )
        return Response(body, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@extend_schema(
    summary="Blocklist of a breach (CSV)",
    description="The public numbers that the breach's evidence links to it (they reached its people far more "
    "than chance would: /methods/#evidence), then, as rows whose `match` is `prefix`, the number blocks of its "
    "campaigns that own at least 2 such numbers: `number` is then the block (the E.164 number without its last 2 "
    "digits) and stands for every number that starts with it. Rows of single numbers have `match` `exact`. "
    "Allowlisted numbers never appear. Cells that a spreadsheet could run as formulas are neutralised.",
    responses={(200, "text/csv"): OpenApiTypes.STR, (404, "text/csv"): OpenApiTypes.STR},
)
class BreachBlocklistCSVView(BreachBlocklistView):
    renderer_classes = [CSVRenderer]
    kind = "csv"


@extend_schema(
    summary="Blocklist of a breach (vCard)",
    description="One vCard 3.0 contact, “BreachWatch – <breach>”, with a TEL line per number linked to the "
    "breach by its evidence (a vCard cannot hold a block of numbers): import it and block the contact.",
    responses={(200, "text/vcard"): OpenApiTypes.STR, (404, "text/vcard"): OpenApiTypes.STR},
)
class BreachBlocklistVCardView(BreachBlocklistView):
    renderer_classes = [VCardRenderer]
    kind = "vcf"
