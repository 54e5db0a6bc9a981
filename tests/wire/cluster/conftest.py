"""Fixtures shared by the cluster tests."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    """Which client a test makes with ``client_kinds.make_client``."""
    return str(request.param)
