"""ignite_wire: a fast, typed Apache Ignite 2.x thin client.

The API is pyignite's, as Ignite's documentation shows it::

    from ignite_wire import Client

    client = Client()
    client.connect("127.0.0.1", 10800)
    cache = client.get_or_create_cache("my cache")
    cache.put("my key", 42)

``AioClient`` offers the same methods as coroutines.  Type hints are in
:mod:`ignite_wire.datatypes`, cache properties in :mod:`ignite_wire.datatypes.prop_codes`,
errors in :mod:`ignite_wire.exceptions`.
"""

from __future__ import annotations

from ._version import __version__
from .aio_client import (
    AioCache,
    AioClient,
    AioCluster,
    AioScanCursor,
    AioSqlCursor,
    AioSqlRowCursor,
    AioTransaction,
)
from .binary import GenericObjectMeta
from .client import Cache, Client, Cluster, ScanCursor, SqlCursor, SqlRowCursor, Transaction

__all__ = [
    "AioCache",
    "AioClient",
    "AioCluster",
    "AioScanCursor",
    "AioSqlCursor",
    "AioSqlRowCursor",
    "AioTransaction",
    "Cache",
    "Client",
    "Cluster",
    "GenericObjectMeta",
    "ScanCursor",
    "SqlCursor",
    "SqlRowCursor",
    "Transaction",
    "__version__",
]
