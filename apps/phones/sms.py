"""Sending text messages (one-time codes) through the backend named by settings.SMS_BACKEND.

"console" prints (development), "memory" appends to `outbox` (tests), "http" posts to a gateway, and any
other value is the dotted path of a class with a `send(to_e164, text)` method.
"""

import http.client
import json
import logging
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from apps.phones.normalise import E164_RE

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str


# Messages "sent" by MemorySmsBackend, oldest first; cleared in place, never rebound, so imports stay valid.
outbox: list[SmsMessage] = []


class SmsDeliveryError(Exception):
    """The message was not accepted by the gateway; the caller decides whether to retry."""


class BaseSmsBackend:
    def send(self, to_e164: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Prints each message, so developers can read their one-time codes in the server's terminal."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, to_e164: str, text: str) -> None:
        self.stream.write(f"SMS to {to_e164}: {text}\n")
        self.stream.flush()


class MemorySmsBackend(BaseSmsBackend):
    """Keeps messages in apps.phones.sms.outbox, like django.core.mail.outbox."""

    def send(self, to_e164: str, text: str) -> None:
        outbox.append(SmsMessage(to_e164, text))


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would turn a redirected POST into a GET without the body, and the GET's 200 would look like a
    # delivered message; a gateway that redirects is misconfigured, so the 3xx is reported as a failure.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpGatewaySmsBackend(BaseSmsBackend):
    """POSTs {"to", "text", "sender"} as JSON to SMS_GATEWAY_URL with a bearer token; 2xx means accepted."""

    timeout = 10  # seconds; a stuck gateway must not hold a web worker or a sending task for long

    def __init__(self):
        self.url = settings.SMS_GATEWAY_URL
        if not self.url or not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be an http(s) URL when SMS_BACKEND is http.")
        self.token = settings.SMS_GATEWAY_TOKEN
        self.sender = settings.SMS_SENDER

    def send(self, to_e164: str, text: str) -> None:
        body = json.dumps({"to": to_e164, "text": text, "sender": self.sender}).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        # The scheme was checked in __init__, so S310's file:// concern does not apply.
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310
        opener = urllib.request.build_opener(_RefuseRedirects)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            # The status and the start of the gateway's answer, for diagnosis; never our token or the text.
            detail = error.read(200).decode("utf-8", "replace").strip()
            raise SmsDeliveryError(f"SMS gateway answered {error.code}: {detail}") from error
        except (OSError, http.client.HTTPException) as error:
            raise SmsDeliveryError(f"SMS gateway unreachable: {error}") from error
        if not 200 <= status < 300:
            raise SmsDeliveryError(f"SMS gateway answered {status}.")


_ALIASES = {
    "console": ConsoleSmsBackend,
    "memory": MemorySmsBackend,
    "http": HttpGatewaySmsBackend,
}


def get_sms_backend() -> BaseSmsBackend:
    """A fresh backend for settings.SMS_BACKEND (read per call, so tests can switch it)."""
    name = settings.SMS_BACKEND
    backend_class = _ALIASES.get(name)
    if backend_class is None:
        try:
            backend_class = import_string(name)
        except ImportError as error:
            raise ImproperlyConfigured(
                f"SMS_BACKEND must be console, memory, http or a dotted path to a class; cannot import {name!r}."
            ) from error
    return backend_class()


def send_sms(to_e164: str, text: str) -> None:
    """Send `text` to an E.164 number; SmsDeliveryError if the backend could not hand it over."""
    if not isinstance(to_e164, str) or not E164_RE.match(to_e164):
        raise ValueError("send_sms() needs an E.164 number; call normalise_phone() first.")
    if not text:
        raise ValueError("send_sms() needs a non-empty text.")
    get_sms_backend().send(to_e164, text)
    # The number's last digits only: logs are kept longer than the numbers' owners would expect.
    logger.info("SMS sent to …%s via %s", to_e164[-3:], settings.SMS_BACKEND)
