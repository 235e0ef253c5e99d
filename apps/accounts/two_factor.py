"""Two-factor authentication bound to the session, not to the account.

An account having TOTP set up says nothing about a given session: a session opened with the password alone
before the owner enrolled (by someone who had guessed or bought the password) would otherwise reach the staff
pages the moment the owner enrolled elsewhere. So staff pages ask that *this* session passed TOTP, which
allauth records in the session's authentication records (method "mfa": at login, on re-authentication with
a code, and here on enrolling). Enrolling ends the account's other sessions (User.session_epoch), and a staff
role's first enrolment needs proof beyond the password: a one-time link sent to the account's address, opened
while logged in, marks the session that opened it as allowed to enrol.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.core import signing
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

from apps.accounts.roles import has_mfa, needs_mfa
from apps.core.mail import send_site_mail, site_link

PROOF_SESSION_KEY = "mfa_enrolment_proof"  # the user id whose e-mailed link this session opened
NEXT_SESSION_KEY = "mfa_enrolment_next"  # where to go once enrolled
PROOF_SALT = "apps.accounts.two_factor.enrolment"
PROOF_MAX_AGE = 30 * 60  # seconds a link works


def session_passed_mfa(request) -> bool:
    """Whether this session, for its current user, passed a second factor (not merely the account has one)."""
    records = get_authentication_records(request, request.user)
    return any(isinstance(record, dict) and record.get("method") == "mfa" for record in records)


def needs_enrolment_proof(request) -> bool:
    """A staff role's first TOTP enrolment needs the e-mailed link opened in this session."""
    user = request.user
    return needs_mfa(user) and not has_mfa(user) and request.session.get(PROOF_SESSION_KEY) != user.pk


def safe_next(request, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return None


def remember_next(request, url: str | None) -> None:
    url = safe_next(request, url)
    if url:
        request.session[NEXT_SESSION_KEY] = url


def _account_state(user) -> dict:
    # The link stops working once the password changes or a factor is enrolled (the epoch moves). The
    # signed payload is readable, so the password hash enters it only through an HMAC.
    password = salted_hmac(PROOF_SALT, user.password, algorithm="sha256").hexdigest()[:16]
    return {"u": user.pk, "e": user.session_epoch, "p": password}


def enrolment_proof_token(user) -> str:
    return signing.dumps(_account_state(user), salt=PROOF_SALT)


def enrolment_proof_is_valid(token: str, user) -> bool:
    """Whether `token` is a current enrolment link for `user`, opened within PROOF_MAX_AGE."""
    try:
        data = signing.loads(token, salt=PROOF_SALT, max_age=PROOF_MAX_AGE)
    except signing.BadSignature:
        return False
    return data == _account_state(user)


def send_enrolment_link(request) -> None:
    user = request.user
    link = site_link(reverse("accounts:mfa_enrol_confirm", args=[enrolment_proof_token(user)]))
    send_site_mail(
        to=user.email,
        language=user.preferred_language or translation.get_language(),
        template="accounts/email/mfa_enrolment",
        context={"link": link, "minutes": PROOF_MAX_AGE // 60},
    )


def accept_enrolment_proof(request) -> None:
    request.session[PROOF_SESSION_KEY] = request.user.pk


def after_enrolment(request, user) -> None:
    """This session has just shown a TOTP code from the new authenticator: it counts as having passed the
    second factor; every other session of the account ends."""
    get_user_model().objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    update_session_auth_hash(request, user)  # keeps this session, now under the new hash
    record_authentication(request, user, "mfa", type="totp", enrolled=True)
    request.session.pop(PROOF_SESSION_KEY, None)
