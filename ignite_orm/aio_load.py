"""``repository.load(objects)``: bulk loading of model instances.

Written once for asyncio; the sync twin is generated from it by ``tools/unasync.py``.
A thin layer on ``ignite_wire``'s data streamer (``cache.streamer``; docs/bulk-loading.md):
each object is converted to its ``(key, value)`` entry as the input is consumed, so a
generator of millions of objects is loaded in bounded memory (at most ``parallel``
batches per node in flight, one batch per node being filled), unlike ``put_many``,
which converts every object before sending any.

Failures: a batch the cluster refuses is reported with its keys (the cache keys, as
``repository.key(...)`` makes them) in :class:`ignite_wire.streamer.DataStreamerError`
when the load ends; every other batch is stored.  An object of the wrong class raises
``TypeError`` at once (entries staged before it are still flushed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from ignite_wire.streamer import DEFAULT_BATCH_SIZE, DEFAULT_PARALLEL

if TYPE_CHECKING:
    from .aio_repository import AioRepository

__all__ = ["DEFAULT_BATCH_SIZE", "DEFAULT_PARALLEL", "load"]

M = TypeVar("M")


async def load(
    repository: AioRepository[Any],
    objs: Iterable[M],
    *,
    allow_overwrite: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    parallel: int = DEFAULT_PARALLEL,
    progress: Callable[[int, int], object] | None = None,
) -> int:
    """Stream ``objs`` into the repository's cache; the number of objects stored."""
    cache = await repository._cache()
    streamer = cache.streamer(
        allow_overwrite=allow_overwrite,
        batch_size=batch_size,
        parallel=parallel,
        progress=progress,
    )
    to_entry = repository.info.to_entry
    check = repository._check
    async with streamer:
        for obj in objs:
            key, value = to_entry(check(obj))
            await streamer.add(key, value)
    return streamer.loaded
