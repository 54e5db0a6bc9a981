"""How big the reliability suite runs: CI counts, or full ones with an env var.

A module of its own (not the conftest): test modules import it by name, and pytest has
one ``conftest`` module name for many folders.
"""

from __future__ import annotations

import os

__all__ = ["FULL", "scaled"]

FULL = os.environ.get("IGNITE_WIRE_RELIABILITY_FULL") == "1"


def scaled(ci: int, full: int) -> int:
    """The count for this run: ``ci`` by default, ``full`` with the env var set."""
    return full if FULL else ci
