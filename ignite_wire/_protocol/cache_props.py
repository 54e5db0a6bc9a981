"""Cache-configuration property codes and the enumerations their values use.

These live in the sans-IO core because the configuration codec must name them and may not
import :mod:`ignite_wire.datatypes`; ``datatypes.prop_codes`` and
``datatypes.cache_config`` re-export them under pyignite's public names.

The property codes are the ones ``ClientCacheConfigurationSerializer`` switches on (ops
1053/1054), which is why they are sparse (reference section 4).  Member names are
pyignite's ``PROP_*`` names without the prefix, so ``PROP_NAME is CacheProperty.NAME``.

The enumerations are ``IntEnum``s: ``CacheMode.REPLICATED == 1`` as pyignite's
documentation promises, while a configuration read back gives named members.  Their
values are Java ordinals on the wire.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "CacheAtomicityMode",
    "CacheMode",
    "CacheProperty",
    "IndexType",
    "PartitionLossPolicy",
    "RebalanceMode",
    "WriteSynchronizationMode",
]


class CacheProperty(IntEnum):
    """The code of one cache-configuration property (ops 1053/1054)."""

    NAME = 0
    CACHE_MODE = 1
    CACHE_ATOMICITY_MODE = 2
    BACKUPS_NUMBER = 3
    WRITE_SYNCHRONIZATION_MODE = 4
    COPY_ON_READ = 5
    READ_FROM_BACKUP = 6

    DATA_REGION_NAME = 100
    IS_ONHEAP_CACHE_ENABLED = 101

    QUERY_ENTITIES = 200
    QUERY_PARALLELISM = 201
    QUERY_DETAIL_METRIC_SIZE = 202
    SQL_SCHEMA = 203
    SQL_INDEX_INLINE_MAX_SIZE = 204
    SQL_ESCAPE_ALL = 205
    MAX_QUERY_ITERATORS = 206

    REBALANCE_MODE = 300
    REBALANCE_DELAY = 301
    REBALANCE_TIMEOUT = 302
    REBALANCE_BATCH_SIZE = 303
    REBALANCE_BATCHES_PREFETCH_COUNT = 304
    REBALANCE_ORDER = 305
    REBALANCE_THROTTLE = 306

    GROUP_NAME = 400
    CACHE_KEY_CONFIGURATION = 401
    DEFAULT_LOCK_TIMEOUT = 402
    MAX_CONCURRENT_ASYNC_OPERATIONS = 403
    PARTITION_LOSS_POLICY = 404
    EAGER_TTL = 405
    STATISTICS_ENABLED = 406
    #: from protocol 1.6.0 only: older servers do not know the code and would misread
    #: every property after it
    EXPIRY_POLICY = 407

    @property
    def prop_name(self) -> str:
        """The public constant's name (``PROP_NAME``), which error messages use."""
        return f"PROP_{self.name}"


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
    """The kind of a query-entity index (one byte on the wire, unlike the others)."""

    SORTED = 0
    FULLTEXT = 1
    GEOSPATIAL = 2
