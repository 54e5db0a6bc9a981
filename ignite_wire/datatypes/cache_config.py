"""Enumerations used in cache configurations (values are the protocol's codes).

They are ``IntEnum``s, so ``CacheMode.REPLICATED == 1`` as pyignite's documentation
promises, while reading a configuration back gives named members.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "CacheAtomicityMode",
    "CacheMode",
    "IndexType",
    "PartitionLossPolicy",
    "RebalanceMode",
    "WriteSynchronizationMode",
]


class CacheMode(IntEnum):
    """How a cache spreads its data.  ``LOCAL`` was removed from Ignite in 2.15."""

    LOCAL = 0
    REPLICATED = 1
    PARTITIONED = 2


class CacheAtomicityMode(IntEnum):
    """Whether a cache takes part in transactions."""

    TRANSACTIONAL = 0
    ATOMIC = 1


class WriteSynchronizationMode(IntEnum):
    """When a write counts as done: after all copies, no copies, or the primary."""

    FULL_SYNC = 0
    FULL_ASYNC = 1
    PRIMARY_SYNC = 2


class RebalanceMode(IntEnum):
    """How a node that joins receives its partitions."""

    SYNC = 0
    ASYNC = 1
    NONE = 2


class PartitionLossPolicy(IntEnum):
    """What a cache allows once a partition has lost every copy."""

    READ_ONLY_SAFE = 0
    READ_ONLY_ALL = 1
    READ_WRITE_SAFE = 2
    READ_WRITE_ALL = 3
    IGNORE = 4


class IndexType(IntEnum):
    """The kind of a query-entity index."""

    SORTED = 0
    FULLTEXT = 1
    GEOSPATIAL = 2
