"""Schemathesis against the OpenAPI schema, in-process: no endpoint of /api/v1/ (reports, numbers, breaches,
blocklists, statistics) ever answers 5xx, and every status, content type and body it answers is the one its
schema documents."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Schemathesis's WSGI client asks for gzip like a browser but does not decompress what GZipMiddleware sends.
PLAIN = {"Accept-Encoding": "identity"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
pytestmark = pytest.mark.usefixtures("wsgi_calls_keep_the_test_connection")


@pytest.fixture
def api_token(reporter):
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=reporter).key


def _load_schema():
    """The schema as the site serves it, read through the WSGI app (no database involved)."""
    from breachwatch.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    return schema.include(path_regex=r"^/api/v1/")


# Loaded at collection rather than through schemathesis.pytest.from_fixture(), whose lazy loader reads a
# private attribute pytest 9 no longer has.
schema = _load_schema()


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_the_reports_api_answers_only_documented_statuses_and_never_5xx(case, api_token):
    case.call_and_validate(headers={"Authorization": f"Token {api_token}", **PLAIN}, checks=CHECKS)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_the_reports_api_answers_anonymous_clients_only_with_documented_statuses(case):
    case.call_and_validate(headers=PLAIN, checks=CHECKS)
