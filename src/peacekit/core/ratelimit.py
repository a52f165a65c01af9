"""Rate limits for public endpoints (submissions, votes, token pages), backed by the cache.

`rate_limited(request, scope, limit, window)` counts hits per client (IP plus an optional
extra key such as a participant token) in a fixed window and says whether to refuse this one.
The count lives in Django's cache; configure a shared cache (database or Redis) when running
several web processes.

`PEACEKIT_RATE_LIMIT_SCALE` (setting or environment variable, default 1) multiplies every limit:
load benchmarks on one loopback address set it high; production leaves it at 1.
"""

from __future__ import annotations

import hashlib
import os
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest, extra: str = "") -> str:
    """A stable, non-reversible key for the client (the IP is hashed, never stored)."""
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{address}|{extra}".encode()).hexdigest()[:32]


def rate_limited(
    request: HttpRequest, *, scope: str, limit: int, window: int = 60, extra: str = ""
) -> bool:
    """Count this hit; True when the client has made more than `limit` hits in the window."""
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{client_key(request, extra)}:{bucket}"
    if cache.add(key, 1, timeout=window + 5):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return False
    return count > limit * limit_scale()


def limit_scale() -> float:
    """The factor applied to every limit (PEACEKIT_RATE_LIMIT_SCALE; default 1, never below 1)."""
    raw = getattr(settings, "PEACEKIT_RATE_LIMIT_SCALE", None)
    if raw is None:
        raw = os.environ.get("PEACEKIT_RATE_LIMIT_SCALE", "1")
    try:
        return max(1.0, float(raw))
    except (TypeError, ValueError):
        return 1.0
