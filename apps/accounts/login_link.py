"""The way in for an account's owner once the per-account ceiling on failed logins is reached.

The ceiling (ACCOUNT_RATE_LIMITS["login_failed"], "20/h/key") bounds guessing from many networks, but on its
own it also locked the owner out everywhere for an hour: twenty wrong passwords from ten addresses were
enough. Past the ceiling a login with the right password no longer opens a session; it e-mails the account a
one-time link, which opens one only in the browser that typed that password. Someone without the mailbox gains
nothing, and the answer is the same page, after the same work, whether the password was right or wrong and
whether the address has an account at all:

- every attempt goes through Django's authenticate() as a normal login does (the same password hashing for
  an unknown address, axes still counting failures per account and network);
- every attempt writes the same thing to the session (a random nonce, made once per session);
- every attempt queues the same task, which sends nothing when the password was wrong (after the response in
  the embedded default, so the time of the answer never depends on the mail).

A link is signed (django.core.signing), works for LINK_MAX_AGE, names the account and is bound to the
account's state (password, last login) and to the session's nonce: it stops working once used (the nonce is
dropped and the login moves last_login), once the password changes, after LINK_MAX_AGE, and in any other
browser. Logging in with it goes through allauth's login stages, so two-factor authentication is still asked.
"""

import secrets

from allauth.account import app_settings as account_settings
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import Login
from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac

from apps.accounts.two_factor import safe_next

LINK_SALT = "apps.accounts.login_link"
LINK_MAX_AGE = 15 * 60  # seconds
NONCE_SESSION_KEY = "login_link_nonce"
NEXT_SESSION_KEY = "login_link_next"


def _ip_rates() -> dict:
    """The per-network part of allauth's login_failed limits, as a config for allauth's rate limiter: the same
    rates give the same cache keys, so a dry run reads the very counters allauth's login check fills."""
    rates = account_settings.RATE_LIMITS.get("login_failed") or ""
    return {"login_failed": ",".join(part for part in rates.split(",") if part.strip().endswith("/ip"))}


def network_has_room(request) -> bool:
    """Whether this network is still below its own limit on failed logins (so a refusal is the account's)."""
    return bool(
        ratelimit.consume(request, app="allauth.account", action="login_failed", config=_ip_rates(), dry_run=True)
    )


def _nonce(request) -> str:
    nonce = request.session.get(NONCE_SESSION_KEY)
    if not nonce:
        nonce = request.session[NONCE_SESSION_KEY] = secrets.token_urlsafe(16)
    return nonce


def _state(user, nonce: str) -> str:
    # The signed payload is readable: the password hash and the nonce enter it only through an HMAC.
    value = f"{user.pk}|{user.password}|{user.last_login and user.last_login.isoformat()}|{nonce}"
    return salted_hmac(LINK_SALT, value, algorithm="sha256").hexdigest()


def link_token(user, nonce: str) -> str:
    return signing.dumps({"u": user.pk, "s": _state(user, nonce)}, salt=LINK_SALT)


def link_user(request, token: str):
    """The account `token` logs in from this session, or None (expired, used, altered, another browser)."""
    nonce = request.session.get(NONCE_SESSION_KEY)
    if not nonce:
        return None
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not constant_time_compare(data.get("s", ""), _state(user, nonce)):
        return None
    return user


def offer_link(request, credentials: dict) -> None:
    """Past the ceiling: check the password as a login would, and e-mail a link only when it was right. The
    caller shows the same answer whatever happens here."""
    from apps.accounts.tasks import send_login_link
    from apps.core.after_response import delay_after_response

    nonce = _nonce(request)
    request.session[NEXT_SESSION_KEY] = safe_next(request, request.POST.get("next")) or ""
    user = authenticate(request, **credentials)  # axes first: a locked (account, network) pair gets no further
    AuthenticationBackend.unstash_authenticated_user()  # an inactive account's right password opens nothing
    token = link_token(user, nonce) if user is not None else None
    delay_after_response(send_login_link, user.pk if user is not None else None, token)


def login_with_link(request, user):
    """Log in the account the link named: allauth's stages follow (two-factor authentication for those who
    have it), as after a password login. The link cannot be used again: this session's nonce is gone."""
    from allauth.account.internal.flows.login import perform_password_login

    request.session.pop(NONCE_SESSION_KEY, None)
    next_url = request.session.pop(NEXT_SESSION_KEY, "") or None
    request.session.set_expiry(0)  # not "remembered": the browser's session only
    login = Login(user=user, email=user.email, redirect_url=next_url)
    return perform_password_login(request, {"email": user.email}, login)


def link_url(token: str) -> str:
    from apps.accounts.adapters import site_link

    return site_link(reverse("accounts:login_link", args=[token]))


LINKS_PER_HOUR = 5  # per account, so that a thief who has the password cannot flood the owner's mailbox


def _within_hourly_cap(user) -> bool:
    key = f"login-link-sent:{user.pk}"
    cache.add(key, 0, timeout=3600)  # the hour starts with the first link
    try:
        return cache.incr(key) <= LINKS_PER_HOUR
    except ValueError:  # expired between add and incr: a new hour
        cache.set(key, 1, timeout=3600)
        return True


def send_link(*, user_id: int | None, token: str | None) -> None:
    """E-mail the link (the task's service), in the owner's language. Nothing when the password was wrong."""
    from allauth.account.adapter import get_adapter

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None or not token or not _within_hourly_cap(user):
        return
    context = {"login_link_url": link_url(token), "minutes": LINK_MAX_AGE // 60, "site_url": settings.SITE_URL}
    with translation.override(user.preferred_language or "it"):
        # render_mail, not send_mail: allauth's send_mail wants the request, and this runs in a worker.
        get_adapter().render_mail("account/email/login_link", user.email, context).send()
