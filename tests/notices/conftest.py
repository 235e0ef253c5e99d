"""Outbox fixtures: a mail backend that refuses on demand, and a clock the tests move by hand."""

import smtplib
from datetime import datetime, timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone


class RefusingBackend(EmailBackend):
    """Django's memory backend, but each send first takes the next error of `refusals` (if any) and raises it,
    as an SMTP server that answers 451 or drops the connection would."""

    refusals: list[Exception] = []

    def send_messages(self, messages):
        if RefusingBackend.refusals:
            raise RefusingBackend.refusals.pop(0)
        return super().send_messages(messages)


@pytest.fixture
def refusing_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notices.conftest.RefusingBackend"}}
    RefusingBackend.refusals = []
    yield RefusingBackend.refusals
    RefusingBackend.refusals = []


def try_again_later() -> smtplib.SMTPRecipientsRefused:
    return smtplib.SMTPRecipientsRefused({"a@example.org": (451, b"4.7.1 Try again later")})


class Clock:
    """The outbox's clock (apps.notices.outbox.clock), moved on by the test."""

    def __init__(self):
        self.now = timezone.now()

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr("apps.notices.outbox.clock", lambda: fake.now)
    return fake
