"""Peek modes of ``get_size`` (pyignite's ``pyignite.datatypes.key_value``)."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["PeekModes"]


class PeekModes(IntEnum):
    """Which copies of the entries ``get_size`` counts (Java's ``CachePeekMode``)."""

    ALL = 0
    NEAR = 1
    PRIMARY = 2
    BACKUP = 3
    ONHEAP = 4
    OFFHEAP = 5
