"""Test settings: the real settings with PEACEKIT_TESTING on (fast hashing)."""

import os
import tempfile

os.environ.setdefault("PEACEKIT_TESTING", "1")

from peacekit.settings import *  # noqa: E402,F403
from peacekit.settings import DATABASES  # noqa: E402

# A file (not :memory:) so worker processes started by tests can open the same test database;
# one per test run (pid), so several runs on one machine never share it.
if DATABASES["default"]["ENGINE"] == "peacekit.core.sqlite":
    _name = f"peacekit-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), _name)}
