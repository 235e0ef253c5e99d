"""BreachWatch's own e-mails (send_site_mail: a text part and an HTML alternative, in the recipient's language),
and the e-mail backend of the embedded default: messages written to var/mail so that a person can open them.

Python's e-mail library wraps every body line longer than 78 characters with quoted-printable soft breaks
("=" at the end of a line), so a confirmation or reset link copied from the file was cut in two and did
not open. Here bodies are written as 8bit UTF-8 with lines up to 998 octets (the limit of RFC 5322), so
each link stays on one line exactly as in the message.
"""

import email.policy
from dataclasses import dataclass

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.filebased import EmailBackend
from django.template.loader import render_to_string
from django.utils import translation

READABLE = email.policy.default.clone(max_line_length=998, cte_type="8bit")


def site_link(path: str) -> str:
    """An absolute link for an e-mail: from SITE_URL, never from the Host header of the request that sent it."""
    return settings.SITE_URL + path


@dataclass(frozen=True)
class SiteMail:
    """One rendered message: the subject (with the site's prefix), the text part and the HTML alternative."""

    subject: str
    text: str
    html: str


def render_site_mail(*, language: str | None, template: str, context: dict) -> SiteMail:
    """Render `template` (`<template>_subject.txt`, `<template>.txt`, `<template>.html`, the last two extending
    core/email/base.*) in `language` (Italian when the person never chose one). An `unsubscribe_link` in the
    context puts a one-click unsubscribe line in the layout's footer (alerts: apps/notices/alerts.py)."""
    context = {"unsubscribe_link": "", **context, "site_url": settings.SITE_URL}
    with translation.override(language or "it"):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return SiteMail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, text, html)


def send_site_mail(*, to: str, language: str | None, template: str, context: dict) -> None:
    """Render the message (render_site_mail) and send it to one address now, outside the outbox: for the mails that
    answer someone's action on the site (an invitation, an enrolment link), not for alerts.

    Mail clients that show HTML show the alternative; the text part carries the same words and each link
    alone on its line, whole, so that it can be copied even from a client that shows only text.
    """
    mail = render_site_mail(language=language, template=template, context=context)
    message = EmailMultiAlternatives(mail.subject, mail.text, None, [to])
    message.attach_alternative(mail.html, "text/html")
    message.send()


class ReadableFileBackend(EmailBackend):
    def write_message(self, message):
        self.stream.write(message.message(policy=READABLE).as_bytes() + b"\n")
        self.stream.write(b"-" * 79)
        self.stream.write(b"\n")


@register(Tags.mail, deploy=True)
def check_readable_file_backend_is_not_deployed(app_configs, **kwargs):
    """Django's own deploy check names its file backend only; this one is a file backend too."""
    backend = settings.MAILERS.get("default", {}).get("BACKEND")
    if backend != f"{__name__}.ReadableFileBackend":
        return []
    return [
        Error(
            f"Your MAILERS setting uses a development-only email backend in the 'default' entry ({backend}).",
            hint="Set EMAIL_HOST (see .env.example): otherwise e-mail is written to files and never sent.",
            id="breachwatch.E001",
        )
    ]
