import io
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.phones import sms
from apps.phones.sms import (
    ConsoleSmsBackend,
    HttpGatewaySmsBackend,
    MemorySmsBackend,
    SmsDeliveryError,
    SmsMessage,
    get_sms_backend,
    send_sms,
)


class RecordingBackend:
    """A backend named by dotted path, as a deployment with its own gateway class would configure."""

    sent = []

    def send(self, to_e164, text):
        self.sent.append((to_e164, text))


def test_send_sms_with_the_memory_backend_appends_to_the_outbox(sms_outbox):
    send_sms("+393331234567", "Codice 123456")
    assert sms_outbox == [SmsMessage("+393331234567", "Codice 123456")]
    assert sms_outbox is sms.outbox


def test_send_sms_with_the_console_backend_prints_the_message(settings, capsys):
    settings.SMS_BACKEND = "console"
    send_sms("+393331234567", "Codice 123456")
    assert "SMS to +393331234567: Codice 123456" in capsys.readouterr().out


def test_console_backend_writes_to_the_stream_it_is_given():
    stream = io.StringIO()
    ConsoleSmsBackend(stream).send("+393331234567", "ciao")
    assert stream.getvalue() == "SMS to +393331234567: ciao\n"


def test_send_sms_loads_a_backend_class_by_dotted_path(settings):
    settings.SMS_BACKEND = f"{__name__}.RecordingBackend"
    RecordingBackend.sent.clear()
    send_sms("+393331234567", "ciao")
    assert RecordingBackend.sent == [("+393331234567", "ciao")]


def test_an_unknown_backend_raises_improperly_configured_naming_the_setting(settings):
    settings.SMS_BACKEND = "no.such.Backend"
    with pytest.raises(ImproperlyConfigured, match="SMS_BACKEND"):
        send_sms("+393331234567", "ciao")


def test_get_sms_backend_follows_the_setting(settings):
    settings.SMS_BACKEND = "memory"
    assert isinstance(get_sms_backend(), MemorySmsBackend)
    settings.SMS_BACKEND = "console"
    assert isinstance(get_sms_backend(), ConsoleSmsBackend)


@pytest.mark.parametrize(("to", "text"), [("333 123 4567", "ciao"), ("", "ciao"), ("+393331234567", "")])
def test_send_sms_refuses_unnormalised_numbers_and_empty_texts(sms_outbox, to, text):
    with pytest.raises(ValueError):
        send_sms(to, text)
    assert sms_outbox == []


class Gateway:
    """A tiny HTTP gateway on 127.0.0.1: records requests, answers with `status` after `delay` seconds."""

    def __init__(self):
        self.requests = []
        self.status = 202
        self.delay = 0
        self.location = None
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                gateway.requests.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
                time.sleep(gateway.delay)
                self.send_response(gateway.status)
                if gateway.location:
                    self.send_header("Location", gateway.location)
                body = b'{"error": "quota exceeded"}' if gateway.status >= 400 else b"{}"
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/messages"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings, monkeypatch):
    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)  # the test gateway is local, never behind a proxy
    server = Gateway()
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = server.url
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    settings.SMS_SENDER = "BreachWatch"
    yield server
    server.close()


def test_http_backend_posts_json_with_a_bearer_token(gateway):
    send_sms("+393331234567", "Codice 123456")
    [(method, path, headers, body)] = gateway.requests
    assert (method, path) == ("POST", "/messages")
    assert headers["Authorization"] == "Bearer secret-token"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"to": "+393331234567", "text": "Codice 123456", "sender": "BreachWatch"}


@pytest.mark.parametrize("status", [400, 401, 500, 503])
def test_http_backend_raises_sms_delivery_error_on_an_error_status(gateway, status):
    gateway.status = status
    with pytest.raises(SmsDeliveryError, match=str(status)) as caught:
        send_sms("+393331234567", "Codice 123456")
    assert "secret-token" not in str(caught.value)
    assert "123456" not in str(caught.value)


def test_http_backend_treats_a_redirect_as_a_failure_not_a_delivery(gateway):
    gateway.status = 302
    gateway.location = gateway.url + "/elsewhere"
    with pytest.raises(SmsDeliveryError, match="302"):
        send_sms("+393331234567", "Codice 123456")
    assert len(gateway.requests) == 1  # not followed as a GET without the message


def test_http_backend_raises_sms_delivery_error_when_the_gateway_is_unreachable(gateway, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{closed_port}/messages"
    with pytest.raises(SmsDeliveryError, match="unreachable"):
        send_sms("+393331234567", "Codice 123456")


def test_http_backend_gives_up_after_its_timeout(gateway, monkeypatch):
    monkeypatch.setattr(HttpGatewaySmsBackend, "timeout", 0.2)
    gateway.delay = 1
    with pytest.raises(SmsDeliveryError):
        send_sms("+393331234567", "Codice 123456")


def test_http_backend_times_out_after_ten_seconds_by_default():
    assert HttpGatewaySmsBackend.timeout == 10


def test_http_backend_needs_a_gateway_url(settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = None
    with pytest.raises(ImproperlyConfigured, match="SMS_GATEWAY_URL"):
        send_sms("+393331234567", "Codice 123456")
