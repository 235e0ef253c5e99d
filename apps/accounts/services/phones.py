"""Personal phone numbers: add, send a one-time code, verify. The number is normalised and hashed by
apps.phones; here live the rules of proving it is yours (DESIGN §2.2)."""

import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.accounts.models import PersonalPhone, PhoneCode, User
from apps.accounts.signals import identifier_verified
from apps.phones.hashing import phone_digest
from apps.phones.normalise import normalise_phone
from apps.phones.sms import SmsDeliveryError, send_sms

logger = logging.getLogger(__name__)

CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
LIMIT_WINDOW = timedelta(days=1)  # the daily limits are over the last 24 hours (settings.SMS_CODES_PER_*)


class PhoneVerificationError(Exception):
    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message, self.code = message, code


SMS_FAILED = gettext_lazy("We could not send the SMS just now. Please try again in a few minutes.")
ALREADY_TAKEN = gettext_lazy(
    "This number is already verified by another account. If it is yours, write to the case officers."
)


def _code_digest(code: str) -> bytes:
    # Codes are stored keyed-hashed too: a database reader must not be able to verify someone else's phone.
    return hmac.digest(settings.IDENTIFIER_PEPPER.encode(), f"otp:{code}".encode(), "sha256")


def _ip_digest(ip: str) -> bytes | None:
    # The client's address is compared for the per-IP limit, never read back: a keyed hash is enough.
    if not ip:
        return None
    return hmac.digest(settings.IDENTIFIER_PEPPER.encode(), f"sms-ip:{ip}".encode(), "sha256")


def _verified_elsewhere(digest: bytes, person) -> bool:
    return PersonalPhone.objects.filter(digest=digest, verified_at__isnull=False).exclude(person=person).exists()


def phone_add(*, person, raw_number: str, label: str = "", client_ip: str = "") -> PersonalPhone:
    """Register a mobile number for `person` (any common format) and send it a code.
    Raises InvalidPhoneNumber for bad numbers and PhoneVerificationError when it cannot be added."""
    e164 = normalise_phone(raw_number, mobile_only=True)
    digest = phone_digest(e164)
    # A number another account has verified is added like any other (same answer, same page, one SMS sent):
    # refusing it would tell anyone which numbers are registered here. phone_code_send() texts its owner a
    # notice instead of a code, so it can never be verified by this account, and the owner keeps it.
    phone, created = PersonalPhone.objects.get_or_create(
        person=person, digest=digest, defaults={"number": e164, "label": label}
    )
    if not created and phone.is_verified:
        raise PhoneVerificationError(_("You have already verified this number."), "already_yours")
    try:
        phone_code_send(phone=phone, client_ip=client_ip)
    except PhoneVerificationError:
        if created:
            phone.delete()  # no code reached the number: the person simply tries again, as if never added
        raise
    return phone


def _daily_limit_error(*, digest: bytes, person, ip_digest: bytes | None) -> PhoneVerificationError | None:
    """Which daily limit a new code would exceed, if any. Per number *and account*: the codes someone else
    asked for a number never stop its owner from verifying it. Per account and per IP: nobody can send SMS
    to a list of numbers, from one account or from many accounts on one network."""
    since = timezone.now() - LIMIT_WINDOW
    recent = PhoneCode.objects.filter(created_at__gte=since)
    limit = settings.SMS_CODES_PER_NUMBER_PER_DAY
    if recent.filter(digest=digest, person=person).count() >= limit:
        message = ngettext(
            "We already sent %(limit)d code to this number today. Try again tomorrow.",
            "We already sent %(limit)d codes to this number today. Try again tomorrow.",
            limit,
        )
        return PhoneVerificationError(message % {"limit": limit}, "daily_limit")
    limit = settings.SMS_CODES_PER_ACCOUNT_PER_DAY
    if recent.filter(person=person).count() >= limit:
        message = ngettext(
            "You have asked for %(limit)d code today, the most we send to one account in a day. Try again tomorrow.",
            "You have asked for %(limit)d codes today, the most we send to one account in a day. Try again tomorrow.",
            limit,
        )
        return PhoneVerificationError(message % {"limit": limit}, "account_daily_limit")
    if ip_digest is not None and recent.filter(ip_digest=ip_digest).count() >= settings.SMS_CODES_PER_IP_PER_DAY:
        return PhoneVerificationError(
            _("Too many codes were asked for from this network today. Try again tomorrow."), "ip_daily_limit"
        )
    return None


def phone_code_send(*, phone: PersonalPhone, client_ip: str = "") -> None:
    """Send a fresh six-digit code; earlier codes for the phone stop working. Within the daily limits per
    (number, account), per account and per client IP (settings.SMS_CODES_PER_*).

    A code the SMS backend could not hand over (PhoneVerificationError "sms_failed") is forgotten: it does
    not count against the daily limits and the earlier code, if any, keeps working."""
    digest, ip_digest = bytes(phone.digest), _ip_digest(client_ip)
    with transaction.atomic():
        # One request at a time per account, so two concurrent requests cannot both pass the count below.
        list(User.objects.select_for_update().filter(pk=phone.person_id).values_list("pk", flat=True))
        error = _daily_limit_error(digest=digest, person=phone.person, ip_digest=ip_digest)
        if error is not None:
            raise error
        code = f"{secrets.randbelow(10**6):06d}"
        now = timezone.now()
        # Recorded before sending (so it is counted while the gateway is being called), committed before the
        # gateway is called: it may take seconds, and the lock must not wait on it.
        sent = PhoneCode.objects.create(
            phone=phone,
            digest=digest,
            person=phone.person,
            ip_digest=ip_digest,
            code_digest=_code_digest(code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
    try:
        send_sms(phone.number, _code_text(phone, code))
    except SmsDeliveryError as error:
        sent.delete()
        logger.warning("One-time code for phone #%s not sent: %s", phone.pk, error)
        raise PhoneVerificationError(SMS_FAILED, "sms_failed") from error
    PhoneCode.objects.filter(phone=phone, used_at__isnull=True).exclude(pk=sent.pk).update(used_at=now)


def _code_text(phone: PersonalPhone, code: str) -> str:
    """The SMS for a new code. When another account has verified the number, whoever asked cannot be its
    owner: the number gets a notice without the code (which is recorded all the same, so the asker sees the
    same flow and any code they type is wrong), in its owner's language."""
    owner_phone = (
        PersonalPhone.objects.filter(digest=phone.digest, verified_at__isnull=False)
        .exclude(person=phone.person)
        .select_related("person")
        .first()
    )
    if owner_phone is None:
        return _("BreachWatch code: %(code)s. It expires in 10 minutes. Never share it.") % {"code": code}
    with translation.override(owner_phone.person.preferred_language or "it"):
        return _(
            "BreachWatch: someone asked to add this number to an account, but it is already verified on another "
            "account, which keeps it. You don't need to do anything."
        )


def phone_verify(*, phone: PersonalPhone, code: str) -> PersonalPhone:
    """Check `code` against the phone's current code; on success the phone is verified and matching runs.
    A wrong code still counts as a try (the error is raised after the attempt is committed)."""
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        error = _check_code(phone, code)
        if error is None:
            phone.verified_at = timezone.now()
            try:
                with transaction.atomic():
                    phone.save(update_fields=["verified_at"])
            except IntegrityError:  # verified by someone else a moment ago
                phone.verified_at = None
                error = PhoneVerificationError(ALREADY_TAKEN, "taken")
    if error is not None:
        raise error
    transaction.on_commit(
        lambda: identifier_verified.send(
            sender=PersonalPhone, person=phone.person, kind="phone", digest=bytes(phone.digest)
        )
    )
    return phone


def _check_code(phone: PersonalPhone, code: str) -> PhoneVerificationError | None:
    """Consume one try of the phone's current code; the error to show, or None when the code is right."""
    current = (
        PhoneCode.objects.select_for_update().filter(phone=phone, used_at__isnull=True).order_by("-created_at").first()
    )
    if current is None:
        return PhoneVerificationError(_("This code has already been used. Ask for a new one."), "used")
    if current.expires_at <= timezone.now():
        return PhoneVerificationError(_("This code has expired. Ask for a new one."), "expired")
    if current.attempts >= MAX_ATTEMPTS:
        return PhoneVerificationError(_("Too many wrong codes. Ask for a new one."), "too_many_attempts")
    if not hmac.compare_digest(bytes(current.code_digest), _code_digest(code)):
        current.attempts += 1
        current.save(update_fields=["attempts"])
        left = MAX_ATTEMPTS - current.attempts
        if left == 0:
            return PhoneVerificationError(_("Too many wrong codes. Ask for a new one."), "too_many_attempts")
        wrong = ngettext("Wrong code. %(left)d try left.", "Wrong code. %(left)d tries left.", left)
        return PhoneVerificationError(wrong % {"left": left}, "wrong")
    if _verified_elsewhere(bytes(phone.digest), phone.person):
        return PhoneVerificationError(ALREADY_TAKEN, "taken")
    current.used_at = timezone.now()
    current.save(update_fields=["used_at"])
    return None


def phone_remove(*, phone: PersonalPhone) -> None:
    phone.delete()
