"""PEACEKIT_CACHE_URL: one cache shared by every web process, so rate limits count once.

Finding F1: the default cache is per-process memory, so N web processes let a client through
N times the limit. `peacekit.settings.cache_from_url` reads a database or Redis cache from the
environment.
"""

from __future__ import annotations

import socket
import uuid

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from peacekit.settings import cache_from_url


def test_cache_url_default_is_memory_of_one_process():
    for url in ("", "  ", "locmem://"):
        assert cache_from_url(url)["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_cache_url_database_and_redis():
    assert cache_from_url("db://rate_cache") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rate_cache",
        "KEY_PREFIX": "peacekit",
    }
    assert cache_from_url("db://")["LOCATION"] == "peacekit_cache"
    redis = cache_from_url("redis://:s3cret@cache.internal:6379/2")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://:s3cret@cache.internal:6379/2"
    assert cache_from_url("rediss://cache.internal:6380/0")["LOCATION"].startswith("rediss://")


@pytest.mark.parametrize(
    "url", ["memcached://x:11211", "redis://:s3cret@/0", "db://drop table;", "cache.internal"]
)
def test_cache_url_refuses_what_it_cannot_use_without_echoing_it(url):
    with pytest.raises(ImproperlyConfigured) as error:
        cache_from_url(url)
    assert "s3cret" not in str(error.value) and "PEACEKIT_CACHE_URL" in str(error.value)


def _hit(request) -> bool:
    from peacekit.core import ratelimit

    return ratelimit.rate_limited(request, scope="shared-cache-test", limit=2, window=60)


@pytest.mark.django_db
def test_database_cache_is_one_counter_for_every_process():
    """Two cache objects on the same table stand for two web processes: a client that spends
    its limit on one is refused on the other."""
    config = cache_from_url("db://peacekit_cache_test")
    with override_settings(CACHES={"default": config}):
        call_command("createcachetable", verbosity=0)
        first = DatabaseCache(config["LOCATION"], {"KEY_PREFIX": "peacekit"})
        second = DatabaseCache(config["LOCATION"], {"KEY_PREFIX": "peacekit"})
        key = f"shared-{uuid.uuid4().hex}"
        assert first.add(key, 1, timeout=60)
        assert second.incr(key) == 2 and first.get(key) == 2

        request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
        assert [_hit(request) for _ in range(3)] == [False, False, True]


def _redis_reachable() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        return False
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no redis package or no Redis on :6379")
def test_redis_cache_is_one_counter_for_every_process():
    from django.core.cache.backends.redis import RedisCache

    config = cache_from_url("redis://127.0.0.1:6379/0")
    prefix = f"peacekit-test-{uuid.uuid4().hex}"
    first = RedisCache(config["LOCATION"], {"KEY_PREFIX": prefix})
    second = RedisCache(config["LOCATION"], {"KEY_PREFIX": prefix})
    try:
        assert first.add("count", 1, timeout=60)
        assert second.incr("count") == 2 and first.get("count") == 2
        with override_settings(CACHES={"default": {**config, "KEY_PREFIX": prefix}}):
            request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.10")
            assert [_hit(request) for _ in range(3)] == [False, False, True]
    finally:
        first.delete("count")  # the rate-limit key expires with its window; never FLUSHDB
