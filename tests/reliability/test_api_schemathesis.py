"""Schemathesis against /api/openapi.json: no operation answers with a server error.

Every operation is called in-process (WSGI) with generated path, query and body values, signed
in with an API token of an agency administrator who owns a little data. Needs `schemathesis`
(the `dev` extra); skipped when it is not installed.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from peacekit.wsgi import application  # noqa: E402


@pytest.fixture
def api_schema():
    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Django's test client does this too: a request must not close the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(org_a, admin_a):
    from peacekit.core.services import api_token_create

    _token, raw = api_token_create(user=admin_a, name="schemathesis")
    return raw


@pytest.mark.slow
@pytest.mark.django_db
def test_api_never_answers_with_a_server_error(api_schema, api_token):
    """Each operation with generated input (schemathesis strategies driven by hypothesis)."""
    from hypothesis import given

    headers = {"Authorization": f"Bearer {api_token}"}
    checked = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def call(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        call()
        checked.append(operation.label)
    assert checked, "the spec lists no operations"
