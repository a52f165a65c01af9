"""Settings for bench/load.py and bench/faults: production settings plus a bench URLconf.

Static files are served by the plain storage (no `collectstatic` manifest needed for a
throw-away data directory). Everything else (middleware, CSRF, rate limits, database options,
CONN_HEALTH_CHECKS) is the production configuration read from the environment.
"""

from peacekit.settings import *  # noqa: F403
from peacekit.settings import STORAGES

ROOT_URLCONF = "bench.load_urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
