"""Organisations: asking to join, HR's people page (requests and invitations), accepting an invitation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.audit import audit
from apps.accounts.decorators import second_factor_required
from apps.accounts.forms import InvitationUploadForm, InviteOneForm
from apps.accounts.models import AuditEvent, Invitation, InvitationBatch, Membership
from apps.accounts.roles import can_manage_people
from apps.accounts.selectors import INVITATION_STATES, invitation_state_counts, invitations_of
from apps.accounts.services.invitation_csv import InvitationCsvError, parse_invitation_csv
from apps.accounts.services.invitation_hr import InvitationRefused, invitation_invite_one, invitation_resend
from apps.accounts.services.invitations import (
    NOT_FOR_YOU,
    InvitationError,
    invitation_accept,
    invitation_batch_create,
    invitation_from_token,
    invitation_is_for,
)
from apps.accounts.services.memberships import MembershipError, membership_decide, membership_request
from apps.breaches.models import Organisation

PENDING_INVITATION_KEY = "pending_invitation"


def _managed_organisation(request, slug) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_manage_people(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
@require_POST
def join_request_view(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    try:
        membership_request(person=request.user, organisation=organisation)
    except MembershipError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, _("Request sent. HR of %(org)s will decide.") % {"org": organisation.name})
    return redirect("accounts:me")


INVITATIONS_PAGE_SIZE = 50


@second_factor_required
@require_http_methods(["GET", "POST"])
def people_view(request, slug):
    organisation = _managed_organisation(request, slug)
    form = InvitationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            parsed = parse_invitation_csv(form.cleaned_data["file"])
        except InvitationCsvError as exc:
            form.add_error("file", str(exc))
        else:
            batch = invitation_batch_create(
                organisation=organisation, uploaded_by=request.user, emails=parsed.emails, skipped=parsed.skipped
            )
            return redirect("accounts:invitation_batch", slug=slug, pk=batch.pk)
    if request.method == "GET":
        audit(actor=request.user, action=AuditEvent.Action.VIEWED, organisation=organisation, target="people page")
    return render(request, "accounts/organisation_people.html", _people_context(request, organisation, form=form))


def _people_context(request, organisation, *, form=None, one_form=None) -> dict:
    state = request.GET.get("state", "")
    state = state if state in INVITATION_STATES else ""
    invitations = Paginator(invitations_of(organisation, state=state), INVITATIONS_PAGE_SIZE)
    return {
        "organisation": organisation,
        "form": form or InvitationUploadForm(),
        "one_form": one_form or InviteOneForm(),
        "requests": organisation.memberships.filter(status=Membership.Status.REQUESTED).select_related("person"),
        "members": organisation.memberships.active().count(),
        "batches": organisation.invitation_batches.all()[:10],
        "invitations": invitations.get_page(request.GET.get("page")),
        "state": state,
        "state_counts": invitation_state_counts(organisation),
        "page_query": f"state={state}" if state else "",
    }


@second_factor_required
@require_POST
def invite_one_view(request, slug):
    """Invite a single address; a member of this organisation, or an address invited already, is told apart."""
    organisation = _managed_organisation(request, slug)
    form = InviteOneForm(request.POST)
    if form.is_valid():
        try:
            invitation_invite_one(organisation=organisation, invited_by=request.user, email=form.cleaned_data["email"])
        except InvitationRefused as refusal:
            form.add_error("email", refusal.message)
        else:
            messages.success(request, _("The invitation is on its way."))
            return redirect("accounts:people", slug=slug)
    context = _people_context(request, organisation, one_form=form)
    return render(request, "accounts/organisation_people.html", context, status=400)


@second_factor_required
@require_POST
def invitation_resend_view(request, slug, pk):
    organisation = _managed_organisation(request, slug)
    invitation = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    try:
        invitation_resend(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sent again with a new link; the link of the earlier e-mail no longer works."))
    return redirect(reverse("accounts:people", args=[slug]) + "#invitations")


@second_factor_required
def invitation_template_view(request, slug):
    """An empty CSV to fill in: the column header the upload looks for, with a BOM so Excel reads UTF-8."""
    _managed_organisation(request, slug)
    response = HttpResponse("\ufeffemail\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="breachwatch-invitations.csv"'
    return response


@second_factor_required
def invitation_batch_view(request, slug, pk):
    organisation = _managed_organisation(request, slug)
    batch = get_object_or_404(InvitationBatch, pk=pk, organisation=organisation)
    template = "accounts/invitation_batch.html"
    if request.headers.get("X-Partial") == "progress":  # polled by the page while sending
        template += "#progress"
    return TemplateResponse(request, template, {"organisation": organisation, "batch": batch})


@second_factor_required
@require_POST
def join_decide_view(request, slug, pk):
    organisation = _managed_organisation(request, slug)
    membership = get_object_or_404(Membership, pk=pk, organisation=organisation)
    approve = request.POST.get("decision") == "approve"
    try:
        membership_decide(membership=membership, approve=approve, decided_by=request.user)
    except MembershipError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, _("Request approved.") if approve else _("Request declined."))
    return redirect("accounts:people", slug=slug)


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    try:
        invitation = invitation_from_token(token)
    except InvitationError as exc:
        return render(request, "accounts/invitation_accept.html", {"error": exc.message}, status=410)
    if not request.user.is_authenticated:
        request.session[PENDING_INVITATION_KEY] = token
        return render(
            request,
            "accounts/invitation_accept.html",
            {
                "organisation": invitation.organisation,
                "signup_url": reverse("account_signup") + "?next=" + request.path,
                "login_url": reverse("account_login") + "?next=" + request.path,
            },
        )
    if not invitation_is_for(invitation, request.user):
        return render(request, "accounts/invitation_accept.html", {"error": NOT_FOR_YOU}, status=403)
    if request.method == "POST":
        try:
            invitation_accept(token=token, person=request.user)
        except InvitationError as exc:
            return render(request, "accounts/invitation_accept.html", {"error": exc.message}, status=410)
        request.session.pop(PENDING_INVITATION_KEY, None)
        messages.success(request, _("You joined %(org)s.") % {"org": invitation.organisation.name})
        return redirect("accounts:me")
    return render(
        request, "accounts/invitation_accept.html", {"organisation": invitation.organisation, "confirm": True}
    )
