"""The e-mail backend of the embedded default: messages written to var/mail so that a person can open them.

Python's e-mail library wraps every body line longer than 78 characters with quoted-printable soft breaks
("=" at the end of a line), so a confirmation or reset link copied from the file was cut in two and did
not open. Here bodies are written as 8bit UTF-8 with lines up to 998 octets (the limit of RFC 5322), so
each link stays on one line exactly as in the message.
"""

import email.policy

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.mail.backends.filebased import EmailBackend

READABLE = email.policy.default.clone(max_line_length=998, cte_type="8bit")


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
