"""Rate limits on public endpoints, and the PEACEKIT_RATE_LIMIT_SCALE knob used by bench/load.py."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from peacekit.core.ratelimit import limit_scale, rate_limited


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _hits(n: int, address: str = "203.0.113.9") -> list[bool]:
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    return [rate_limited(request, scope="t", limit=3, window=60) for _ in range(n)]


def test_default_scale_refuses_after_the_limit(settings):
    settings.PEACEKIT_RATE_LIMIT_SCALE = 1
    assert _hits(5) == [False, False, False, True, True]


def test_scale_multiplies_every_limit(settings):
    settings.PEACEKIT_RATE_LIMIT_SCALE = 10
    assert _hits(31).count(True) == 1


@pytest.mark.parametrize("raw", ["0", "-5", "nonsense", "0.5"])
def test_scale_never_loosens_below_one_or_breaks_on_bad_values(settings, raw):
    settings.PEACEKIT_RATE_LIMIT_SCALE = raw
    assert limit_scale() == 1.0


def test_forwarded_for_header_is_not_trusted_by_the_limit(settings):
    settings.PEACEKIT_RATE_LIMIT_SCALE = 1
    factory = RequestFactory()
    results = [
        rate_limited(
            factory.post("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}"),
            scope="xff", limit=3, window=60,
        )
        for i in range(5)
    ]  # fmt: skip
    assert results[-1] is True


def test_public_survey_answers_are_rate_limited(client, org_a, admin_a, settings):
    pytest.importorskip("peacekit.surveys")
    from peacekit.surveys import views
    from peacekit.surveys.models import Response
    from tests.surveys.factories import make_survey, questions_by_code

    settings.PEACEKIT_RATE_LIMIT_SCALE = 1
    survey = make_survey(org_a, admin_a)
    wave = survey.waves.get(kind="pre")
    answer = {f"q{questions_by_code(survey)['safety'].pk}": "4"}
    statuses = [
        client.post(
            f"/surveys/r/{wave.token}/", {"submission_key": f"k{i:031d}", **answer}
        ).status_code
        for i in range(views.PUBLIC_POSTS_PER_WINDOW + 2)
    ]
    assert 429 not in statuses[: views.PUBLIC_POSTS_PER_WINDOW]
    assert statuses[-1] == 429
    # the refused posts saved nothing; each accepted one (one answer each) is one response
    assert Response.objects.filter(wave=wave).count() == views.PUBLIC_POSTS_PER_WINDOW


def test_listening_public_statements_are_rate_limited(client, org_a, admin_a):
    pytest.importorskip("peacekit.listening")
    from peacekit.listening.models import Initiative
    from peacekit.listening.views import RATE_LIMITS
    from tests.listening import factories

    initiative = factories.initiative(org_a, admin_a)
    Initiative.objects.filter(pk=initiative.pk).update(status=Initiative.Status.ACTIVE)
    limit = RATE_LIMITS["statement"][0]
    statuses = [
        client.post(
            f"/listening/p/{initiative.public_token}/",
            {"action": "statement", "text": "More patrols.", "consent": "on",
             "submission_key": f"s{i:031d}"},
        ).status_code
        for i in range(limit + 1)
    ]  # fmt: skip
    assert statuses[-1] == 429 and 429 not in statuses[:limit]
