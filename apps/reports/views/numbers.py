""" "Who called me?": the search box and the public page of a caller number, and disputes raised from it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.insights.release import min_people
from apps.phones.normalise import InvalidPhoneNumber, normalise_phone
from apps.reports.forms import DisputeForm, NumberSearchForm
from apps.reports.moderation import DisputeRefused, dispute_raise
from apps.reports.published import number_breakdown, with_published_reporters
from apps.reports.scoring import PUBLIC_THRESHOLD
from apps.reports.selectors import caller_number_by_e164, numbers_recently_public
from apps.reports.verdict import number_verdict
from apps.reports.views.report import add_service_errors


def _canonical(raw: str) -> str | None:
    try:
        return normalise_phone(raw, require_valid=False)
    except InvalidPhoneNumber:
        return None


def number_search_view(request):
    """/numbers/?q=<any format>: redirect to the number's page, or say why the text is not a number."""
    form = NumberSearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        try:
            e164 = normalise_phone(form.cleaned_data["q"], require_valid=False)
        except InvalidPhoneNumber as error:
            form.add_error("q", error.message)
        else:
            return redirect("reports:number", e164=e164)
    return render(
        request,
        "reports/number_search.html",
        {
            "form": form,
            "recent": with_published_reporters(numbers_recently_public()),
            "threshold": PUBLIC_THRESHOLD,
            "min_people": min_people(),
        },
    )


def number_detail_view(request, e164):
    """The public page of a number with enough distinct reporters; a friendly 404 page otherwise."""
    canonical = _canonical(e164)
    if canonical and canonical != e164:
        return redirect("reports:number", e164=canonical, permanent=True)
    number = caller_number_by_e164(e164) if canonical else None
    if number is None or not number.is_public:
        context = {
            "e164": canonical or e164,
            "number": number,
            "verdict": number_verdict(number, e164=canonical or e164),
            "threshold": PUBLIC_THRESHOLD,
        }
        return render(request, "reports/number_not_public.html", {**context, "form": NumberSearchForm()}, status=404)
    breakdown = number_breakdown(number)
    return render(
        request,
        "reports/number_detail.html",
        {
            "number": number,
            "breakdown": breakdown,
            "verdict": number_verdict(number, breakdown),
            "threshold": PUBLIC_THRESHOLD,
            "min_people": min_people(),
            "form": NumberSearchForm(),
            "dispute_form": DisputeForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def dispute_view(request, e164):
    """Anyone may say a public number is legitimate; a case officer decides."""
    number = caller_number_by_e164(e164)
    if number is None or not number.is_public:
        return number_detail_view(request, e164)
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dispute_raise(number=number, raised_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except DisputeRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Thank you. A case officer will look at your request."))
            return redirect("reports:number", e164=number.e164)
    return render(request, "reports/number_dispute.html", {"number": number, "dispute_form": form})
