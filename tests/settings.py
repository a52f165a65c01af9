"""Test settings: the real settings with PEACEKIT_TESTING on (fast hashing, in-process jobs)."""

import os

os.environ.setdefault("PEACEKIT_TESTING", "1")

from peacekit.settings import *  # noqa: E402,F403
