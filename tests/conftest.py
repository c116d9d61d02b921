"""pytest set-up: hypothesis profiles. Helpers live in helpers.py (`from helpers import run_cli, write`)."""

from __future__ import annotations

import os

from helpers import EXAMPLES, FIXTURES, ROOT, SRC, Result, run_cli, run_subprocess, write  # noqa: F401 (re-exported)
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
