"""Settings for the test suite: the real settings in `test` mode (throwaway keys)."""

import os

os.environ.setdefault("SAFETYDESK_ENV", "test")

from safetydesk.settings import *  # noqa: F403
