"""Each pledges test starts in English: a Spanish page must not leave its language behind."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    from django.core.cache import cache

    cache.clear()  # the public forms' rate limit counts per address
    translation.activate("en")
    yield
    translation.activate("en")
