"""A person's own pages: profile, phones, data export and erasure."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.audit import audit
from apps.accounts.forms import EraseForm, PhoneAddForm, PhoneVerifyForm, ReportingSinceForm
from apps.accounts.models import AuditEvent, PersonalPhone
from apps.accounts.privacy import account_erase, personal_data_export
from apps.accounts.roles import dashboard_organisations, has_mfa, needs_mfa
from apps.accounts.services.invitations import InvitationError, invitation_from_token, invitation_is_for
from apps.accounts.services.phones import PhoneVerificationError, phone_add, phone_code_send, phone_remove, phone_verify
from apps.accounts.services.reporting import reporting_since_set
from apps.accounts.throttling import client_ip
from apps.accounts.views.organisations import PENDING_INVITATION_KEY
from apps.breaches.models import Organisation
from apps.breaches.selectors import breach_count_for_person
from apps.notices.forms import AlertPreferencesForm


def _own_phone(request, pk) -> PersonalPhone:
    return get_object_or_404(PersonalPhone, pk=pk, person=request.user)


@login_required
def me(request):
    return render(request, "accounts/me.html", _me_context(request))


@login_required
@require_POST
def reporting_since_view(request):
    form = ReportingSinceForm(request.POST)
    if form.is_valid():
        try:
            reporting_since_set(person=request.user, day=form.cleaned_data["reporting_since"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field, problems)
        else:
            messages.success(request, _("Saved: your contacts count from that day."))
            return redirect("accounts:me")
    return render(request, "accounts/me.html", _me_context(request, reporting_since_form=form))


def _me_context(request, *, reporting_since_form=None) -> dict:
    person = request.user
    memberships = person.memberships.select_related("organisation").order_by("organisation__name")
    joined = {m.organisation_id for m in memberships}
    token = request.session.get(PENDING_INVITATION_KEY)
    try:
        pending = invitation_from_token(token) if token else None
    except InvitationError:
        pending = None
    if token and (pending is None or not invitation_is_for(pending, person)):
        request.session.pop(PENDING_INVITATION_KEY, None)  # used, expired, or addressed to someone else
        pending = None
    return {
        "pending_invitation": pending,
        "pending_invitation_token": token,
        "phones": person.phones.order_by("created_at"),
        "memberships": memberships,
        "joinable": Organisation.objects.exclude(pk__in=joined).order_by("name"),
        "dashboards": dashboard_organisations(person),
        "needs_mfa": needs_mfa(person),
        "has_mfa": has_mfa(person),
        "phone_form": PhoneAddForm(),
        "breach_count": breach_count_for_person(person),
        "alert_form": AlertPreferencesForm(person=person),
        "reporting_since_form": reporting_since_form
        or ReportingSinceForm(initial={"reporting_since": person.observed_since}),
    }


@login_required
@require_http_methods(["GET", "POST"])
def phone_add_view(request):
    form = PhoneAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone = phone_add(
                person=request.user,
                raw_number=form.cleaned_data["number"],
                label=form.cleaned_data["label"],
                client_ip=client_ip(request),
            )
        except PhoneVerificationError as exc:
            form.add_error("number", exc.message)
        else:
            messages.success(request, _("We sent a code by SMS to %(number)s.") % {"number": phone.number})
            return redirect("accounts:phone_verify", pk=phone.pk)
    return render(request, "accounts/phone_add.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def phone_verify_view(request, pk):
    phone = _own_phone(request, pk)
    if phone.is_verified:
        return redirect("accounts:me")
    form = PhoneVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone_verify(phone=phone, code=form.cleaned_data["code"])
        except PhoneVerificationError as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(request, _("Number verified. We will tell you if it appears in a registered breach."))
            return redirect("accounts:me")
    return render(request, "accounts/phone_verify.html", {"phone": phone, "form": form})


@login_required
@require_POST
def phone_resend_view(request, pk):
    phone = _own_phone(request, pk)
    try:
        phone_code_send(phone=phone, client_ip=client_ip(request))
    except PhoneVerificationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("We sent a new code by SMS to %(number)s.") % {"number": phone.number})
    return redirect("accounts:phone_verify", pk=phone.pk)


@login_required
@require_POST
def phone_remove_view(request, pk):
    phone_remove(phone=_own_phone(request, pk))
    messages.success(request, _("Number removed."))
    return redirect("accounts:me")


@login_required
def export_view(request):
    data = personal_data_export(request.user)
    audit(actor=request.user, action=AuditEvent.Action.DATA_EXPORTED, target="own data")
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="breachwatch-my-data-{timezone.now():%Y-%m-%d}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase_view(request):
    form = EraseForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        person = request.user
        logout(request)
        account_erase(person=person)
        return redirect("accounts:erased")
    return render(request, "accounts/erase.html", {"form": form})


def erased_view(request):
    return render(request, "accounts/erased.html")
