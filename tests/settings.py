"""Test settings: the real settings with PEACEKIT_TESTING on (fast hashing)."""

import os

os.environ.setdefault("PEACEKIT_TESTING", "1")

from peacekit.settings import *  # noqa: E402,F403
from peacekit.settings import DATA_DIR, DATABASES  # noqa: E402

# A file (not :memory:) so worker processes started by tests can open the same test database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-peacekit.sqlite3")}
