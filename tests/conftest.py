"""Suite-wide settings: hypothesis profiles (``HYPOTHESIS_PROFILE=ci`` in nox)."""

from __future__ import annotations

import os

from fake_node import fake_server
from hypothesis import HealthCheck, settings

__all__ = ["fake_server"]  # a fixture for every test (tests/fake_node.py)

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
