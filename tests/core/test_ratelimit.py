"""Public endpoints refuse a client that sends too much, and only that client."""

from django.core.cache import cache
from django.test import RequestFactory

from peacekit.core.ratelimit import rate_limited


def test_rate_limit_refuses_after_the_limit_for_that_client_only():
    cache.clear()
    factory = RequestFactory()
    one = factory.post("/", REMOTE_ADDR="10.0.0.1")
    other = factory.post("/", REMOTE_ADDR="10.0.0.2")
    results = [rate_limited(one, scope="t", limit=3) for _ in range(5)]
    assert results == [False, False, False, True, True]
    assert rate_limited(other, scope="t", limit=3) is False
