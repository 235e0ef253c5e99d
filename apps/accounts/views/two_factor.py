"""Enrolling in two-factor authentication: the e-mailed proof a staff role's first enrolment needs, and
allauth's activation page wrapped so that it asks for that proof and then returns to the page asked for."""

from allauth.mfa.totp.views import activate_totp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.roles import has_mfa
from apps.accounts.two_factor import (
    NEXT_SESSION_KEY,
    PROOF_MAX_AGE,
    accept_enrolment_proof,
    after_enrolment,
    enrolment_proof_is_valid,
    needs_enrolment_proof,
    remember_next,
    send_enrolment_link,
)

LINK_COOLDOWN = 60  # seconds between two links for one account, so the page cannot be used to flood a mailbox


def _page(request, *, sent=False, invalid=False) -> dict:
    return {"sent": sent, "invalid": invalid, "email": request.user.email, "minutes": PROOF_MAX_AGE // 60}


@login_required
@require_http_methods(["GET", "POST"])
def enrol_view(request):
    """Where staff pages send an account without TOTP: straight to the activation page, or first to the
    e-mailed link when this is a staff role's first enrolment."""
    remember_next(request, request.GET.get("next"))
    if not needs_enrolment_proof(request):
        return redirect("mfa_activate_totp")
    sent = False
    if request.method == "POST":
        if cache.add(f"mfa-enrolment-link:{request.user.pk}", 1, LINK_COOLDOWN):
            send_enrolment_link(request)
        sent = True
    return render(request, "accounts/mfa_enrol.html", _page(request, sent=sent))


@login_required
def enrol_confirm_view(request, token):
    """The link from the e-mail: opened by the account (logged in), it lets this session enrol."""
    if not enrolment_proof_is_valid(token, request.user):
        return render(request, "accounts/mfa_enrol.html", _page(request, invalid=True), status=410)
    accept_enrolment_proof(request)
    messages.success(request, _("Thank you: your address is confirmed. Now set up the authenticator app."))
    return redirect("mfa_activate_totp")


def activate_view(request, *args, **kwargs):
    """allauth's TOTP activation, behind the e-mailed proof for staff roles; once enrolled, back to the page
    that was asked for (allauth would show the recovery codes, which stay on the two-factor page)."""
    if request.user.is_authenticated and needs_enrolment_proof(request):
        return redirect("accounts:mfa_enrol")
    had_totp = request.user.is_authenticated and has_mfa(request.user)
    response = activate_totp(request, *args, **kwargs)
    if had_totp or request.method != "POST" or not has_mfa(request.user):
        return response
    # Called here, in the request, rather than from allauth's authenticator_added signal: that one is sent
    # after the commit, which may come after this session has been saved.
    after_enrolment(request, request.user)
    if response.status_code == 302:
        next_url = request.session.pop(NEXT_SESSION_KEY, None)
        if next_url:
            messages.info(
                request,
                _(
                    "Keep your recovery codes somewhere safe: they let you in if you lose your phone. You find "
                    "them under Two-factor authentication on your page."
                ),
            )
            return redirect(next_url)
    return response
