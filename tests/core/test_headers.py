"""Security headers (issue 9): a Content-Security-Policy with a nonce per answer, on every inline <script> and
<style>; a Permissions-Policy; and no copy kept by any cache of what is shown to someone signed in."""

import re
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
INLINE = re.compile(r"<(script|style)\b([^>]*)>", re.I)


def nonce_of(response) -> str | None:
    """The nonce the policy allows; Django adds it only to answers whose page used it."""
    match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return match.group(1) if match else None


@pytest.mark.parametrize("path", ["/", "/breaches/", "/methods/", "/accounts/login/", "/api/docs/"])
def test_pages_carry_a_strict_policy_and_their_inline_code_its_nonce(client, path):
    response = client.get(path)

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonce = nonce_of(response)
    inline = [attributes for _tag, attributes in INLINE.findall(response.content.decode()) if "src=" not in attributes]
    for attributes in inline:
        assert nonce and f'nonce="{nonce}"' in attributes, attributes
    if inline:
        assert nonce != nonce_of(client.get(path))  # a new one per answer


def test_the_api_docs_inline_code_runs_only_by_its_nonce(client):
    response = client.get("/api/docs/")

    assert nonce_of(response) and response.content.decode().count(f'nonce="{nonce_of(response)}"') == 2


def test_no_template_has_inline_code_without_the_nonce():
    """Pages that need data to render (officers' progress pages…) are checked in their templates."""
    offending = []
    for template in ROOT.glob("apps/*/templates/**/*.html"):
        if "email" in template.parts:  # e-mails are read in mail clients, where no CSP applies and CSS is inline
            continue
        text = template.read_text()
        for match in INLINE.finditer(text):
            if "src=" not in match.group(2) and "csp_nonce" not in match.group(2):
                offending.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
        offending += [f"{template.relative_to(ROOT)}: {m}" for m in re.findall(r"\s(?:style|on[a-z]+)=\"", text)]
    assert offending == []


def test_every_answer_denies_the_browser_features_no_page_uses(client):
    policy = client.get("/")["Permissions-Policy"]

    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_what_a_signed_in_person_sees_is_never_stored_by_a_cache(client, make_person):
    client.force_login(make_person("someone@example.org"))

    for path in ("/me/", "/me/reports/", "/me/export/", "/report/", "/"):
        cache_control = client.get(path)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, (path, cache_control)


def test_api_answers_to_a_token_are_never_stored(client, make_person):
    token = Token.objects.create(user=make_person("app@example.org")).key

    answer = client.get("/api/v1/breaches/", HTTP_AUTHORIZATION=f"Token {token}")

    assert "no-store" in answer["Cache-Control"]


def test_public_pages_for_anonymous_visitors_may_be_cached(client):
    assert "no-store" not in client.get("/breaches/").get("Cache-Control", "")
