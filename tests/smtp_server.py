"""A real SMTP server on 127.0.0.1 for the outbox's tests and benchmark (aiosmtpd), recording the Message-ID
of every message it accepts; it can refuse (451) for a while, or call a function on the n-th message."""

import socket
import threading
import time
from collections.abc import Callable
from email import message_from_bytes

from aiosmtpd.controller import Controller


class RecordingHandler:
    def __init__(self):
        self.message_ids: list[str] = []  # in the order accepted (a copy sent twice appears twice)
        self.refuse_for = 0.0  # seconds from the first recipient offered during which every one is refused (451)
        self._refuse_until: float | None = None
        self.refused = 0
        self.on_data: Callable[[int], bool] | None = None  # called with the n-th DATA; False: drop it
        self._data_seen = 0
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._lock:
            if self._refuse_until is None:
                self._refuse_until = time.monotonic() + self.refuse_for
            if time.monotonic() < self._refuse_until:
                self.refused += 1
                return "451 4.3.2 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self._data_seen += 1
            seen = self._data_seen
        if self.on_data is not None and not self.on_data(seen):
            return "451 4.3.0 Not accepted"
        message_id = message_from_bytes(envelope.content)["Message-ID"]
        with self._lock:
            self.message_ids.append(message_id)
        return "250 Message accepted for delivery"

    @property
    def accepted(self) -> int:
        with self._lock:
            return len(self.message_ids)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalSmtpServer:
    """with LocalSmtpServer() as smtp: … smtp.port, smtp.handler.message_ids"""

    def __init__(self):
        self.handler = RecordingHandler()
        self.port = _free_port()  # aiosmtpd's start-up check connects to the port it was given: not 0
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def mail_env(self) -> dict[str, str]:
        """The environment under which BreachWatch's settings send to this server."""
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.port), "EMAIL_USE_TLS": "false"}
