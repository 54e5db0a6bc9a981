"""The public names of bulk loading (guide: docs/bulk-loading.md).

``cache.streamer(...)`` returns a :class:`DataStreamer` (sync client) or an
:class:`AioDataStreamer` (asyncio client).  A flush or close that finds failed batches
raises :class:`DataStreamerError`, whose ``failures`` are :class:`FailedBatch` records:
the batch's keys, the error, the node.
"""

from ._aio_streamer import AioDataStreamer
from ._facade_streamer import DEFAULT_BATCH_SIZE, DEFAULT_PARALLEL, DataStreamerError, FailedBatch
from ._sync_streamer import DataStreamer

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_PARALLEL",
    "AioDataStreamer",
    "DataStreamer",
    "DataStreamerError",
    "FailedBatch",
]
