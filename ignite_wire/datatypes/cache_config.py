"""Enumerations used in cache configurations (values are the protocol's codes).

They are ``IntEnum``s, so ``CacheMode.REPLICATED == 1`` as pyignite's documentation
promises, while reading a configuration back gives named members.  They are defined in the
sans-IO core (the configuration codec decodes into them) and re-exported here.
"""

from __future__ import annotations

from .._protocol.cache_props import (
    CacheAtomicityMode,
    CacheMode,
    IndexType,
    PartitionLossPolicy,
    RebalanceMode,
    WriteSynchronizationMode,
)

__all__ = [
    "CacheAtomicityMode",
    "CacheMode",
    "IndexType",
    "PartitionLossPolicy",
    "RebalanceMode",
    "WriteSynchronizationMode",
]
