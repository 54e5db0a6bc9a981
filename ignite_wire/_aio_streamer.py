"""``cache.streamer(...)``: bulk loading through the server's data streamer.

Written once for asyncio; the sync twin is generated from it by ``tools/unasync.py``.  The
wire layout and why each batch is a one-off server streamer: :mod:`._protocol.ops.streamer`;
the bookkeeping: :mod:`._facade_streamer`; the guide: docs/bulk-loading.md.

How a load flows:

* ``add`` stages entries; every ``batch_size * nodes`` of them are split by their key's
  primary node (partition awareness, as ``put_all`` does) into per-node buffers, and
  every full buffer becomes a batch, encoded here, in the caller's task or thread.
* A batch is sent by a worker (a task; a thread in the sync twin) once its node has a
  free slot: at most ``parallel`` batches are in flight per node, and ``add`` waits for
  a slot (back-pressure: memory stays bounded however fast the input is).
* A batch that fails is recorded with its keys and the load goes on; a connection that
  fails mid-batch sends the batch again to another node (a batch is idempotent: the same
  entries, written again, leave the same state).  ``flush`` sends what is buffered, waits
  for every batch, and raises :class:`~._facade_streamer.DataStreamerError` for the failures
  no earlier flush raised; ``close`` (or leaving the ``with`` block) flushes once more.

A streamer writes outside transactions and ignores the cache handle's expiry policy,
as Ignite's own streamer does.
"""

from __future__ import annotations

import asyncio  # unasync: import threading
import contextlib
from asyncio import Semaphore  # unasync: from threading import Semaphore
from collections.abc import Callable, Coroutine, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from . import _facade
from ._facade_streamer import FailedBatch, StreamOptions, Tally
from ._protocol.ops import streamer as ops
from ._protocol.ops.common import naming_cache
from ._protocol.requirements import require
from .exceptions import IgniteError, ParameterError

if TYPE_CHECKING:
    from ._protocol.context import CodecContext
    from ._transport.aio import AioConnection
    from .aio_cache import AioCache

__all__ = ["AioDataStreamer"]


# A worker per batch: a task here, a daemon thread in the sync twin.
# unasync-skip-start
Worker = asyncio.Task[None]


def _start(work: Callable[..., Coroutine[Any, Any, None]], *args: Any) -> Worker:
    return asyncio.ensure_future(work(*args))


def _alive(worker: Worker) -> bool:
    return not worker.done()


async def _finish(worker: Worker) -> None:
    await worker


# unasync-skip-end
# unasync: Worker = threading.Thread
# unasync: def _start(work: Callable[..., None], *args: Any) -> Worker:
# unasync:     worker = threading.Thread(target=work, args=args, daemon=True)
# unasync:     worker.start()
# unasync:     return worker
# unasync: def _alive(worker: Worker) -> bool:
# unasync:     return worker.is_alive()
# unasync: def _finish(worker: Worker) -> None:
# unasync:     worker.join()


class AioDataStreamer:
    """Loads entries into one cache in batches; made by ``cache.streamer(...)``.

    Use it as a context manager (``async with``): leaving the block flushes and closes it.
    """

    def __init__(self, cache: AioCache, options: StreamOptions) -> None:
        self._cache = cache
        self._client = cache.client
        self._options = options
        self._flags = ops.flags_for(
            allow_overwrite=options.allow_overwrite, skip_store=options.skip_store
        )
        self._staging: list[tuple[object, object]] = []
        self._buffers: dict[AioConnection | None, list[tuple[object, object]]] = {}
        self._slots: dict[AioConnection | None, Semaphore] = {}
        self._running: list[tuple[Worker, tuple[Any, ...], list[IgniteError | None]]] = []
        self._tally = Tally(options.progress)
        self._checked = False
        self._closed = False

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} on {self._cache.name!r} loaded={self.loaded} "
            f"failed={self.failed}{' closed' if self._closed else ''}>"
        )

    @property
    def options(self) -> StreamOptions:
        return self._options

    @property
    def loaded(self) -> int:
        """Entries the cluster has confirmed stored so far."""
        return self._tally.loaded

    @property
    def failed(self) -> int:
        """Entries in batches that failed so far."""
        return self._tally.failed

    @property
    def failures(self) -> list[FailedBatch]:
        """Every failed batch so far (``FailedBatch``: keys, error, node)."""
        return list(self._tally.failures)

    @property
    def closed(self) -> bool:
        return self._closed

    # -- adding --------------------------------------------------------------------------

    async def add(self, key: object, value: object) -> None:
        """Stage one entry; may wait while the key's node has ``parallel`` batches out."""
        if value is None:
            raise ParameterError("streamer.add(): value is None (use remove(key) to remove)")
        await self._stage(key, value)

    async def add_all(self, pairs: Mapping[Any, Any] | Iterable[tuple[object, object]]) -> None:
        """Stage every ``key: value`` of ``pairs`` (consumed lazily, never listed whole)."""
        items = pairs.items() if isinstance(pairs, Mapping) else pairs
        for pair in items:
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise ParameterError(
                    f"streamer.add_all(): expected (key, value) pairs, got {_facade.shown(pair)}"
                )
            await self.add(pair[0], pair[1])

    async def remove(self, key: object) -> None:
        """Stage the removal of ``key`` (needs ``allow_overwrite=True``, as in Ignite)."""
        if not self._options.allow_overwrite:
            raise ParameterError("streamer.remove() needs allow_overwrite=True")
        await self._stage(key, None)

    async def _stage(self, key: object, value: object) -> None:
        if self._closed:
            raise ParameterError(f"streamer on {self._cache.name!r} is closed")
        self._tally.check_fatal()
        staging = self._staging
        staging.append((key, value))
        if len(staging) >= self._stage_size():
            await self._route()
            self._tally.report()

    def _stage_size(self) -> int:
        nodes = len(self._client._pool.open_connections())
        return self._options.batch_size * max(1, nodes)

    # -- sending -------------------------------------------------------------------------

    async def _check_supported(self) -> None:
        if self._checked:
            return
        conn = await self._client._current()
        protocol = conn.protocol
        require("data streamer", protocol.version, protocol.features, node=str(conn.address))
        self._checked = True

    async def _route(self) -> None:
        """Split the staged entries by node; send every full buffer."""
        staged, self._staging = self._staging, []
        if not staged:
            return
        await self._check_supported()
        size = self._options.batch_size
        parts = await self._client._pool.split(self._cache.cache_id, staged, pairs=True)
        for conn, part in parts:
            buffer = self._buffers.setdefault(conn, [])
            buffer += part
            while len(buffer) >= size:
                batch = buffer[:size]
                del buffer[:size]
                await self._send(conn, batch)

    async def _send(self, conn: AioConnection | None, batch: list[tuple[object, object]]) -> None:
        """Encode ``batch`` here, then hand it to a worker once ``conn`` has a free slot."""
        keys = tuple(key for key, _ in batch)
        ctx = self._client._context()
        try:
            payload = ops.encode_batch(self._cache.cache_id, self._flags, batch, ctx)
        except IgniteError as exc:
            self._tally.record(keys, exc)
            return
        slot = self._slots.get(conn)
        if slot is None:
            slot = self._slots[conn] = Semaphore(self._options.parallel)
        await slot.acquire()
        await self._collect(wait=False)
        outcome: list[IgniteError | None] = []
        worker = _start(self._deliver, conn, slot, payload, ctx, outcome)
        self._running.append((worker, keys, outcome))

    async def _deliver(
        self,
        conn: AioConnection | None,
        slot: Semaphore,
        payload: bytearray,
        ctx: CodecContext,
        outcome: list[IgniteError | None],
    ) -> None:
        """A worker: send one batch (again, elsewhere, after a connection failure) and
        leave its outcome in ``outcome`` for the caller to record."""
        client = self._client
        targets = [conn]

        async def attempt() -> None:
            target = targets.pop() if targets else None  # a retry goes to any live node
            flow = naming_cache(ops.send_batch(payload, ctx), self._cache.name)
            await client._pool.run(flow, target)

        error: IgniteError | None = None
        try:
            await client._retrying(attempt, write=False)
        except IgniteError as exc:
            error = exc
        except Exception as exc:  # a worker must not lose a batch silently, whatever failed
            error = IgniteError(f"data streamer: a batch failed: {exc!r}", op="DATA_STREAMER_START")
            error.__cause__ = exc
        finally:
            outcome.append(error)
            slot.release()

    async def _collect(self, *, wait: bool) -> None:
        """Record the outcome of every finished worker (of every worker, if ``wait``)."""
        running: list[tuple[Worker, tuple[Any, ...], list[IgniteError | None]]] = []
        for worker, keys, outcome in self._running:
            if wait:
                await _finish(worker)
            elif _alive(worker):
                running.append((worker, keys, outcome))
                continue
            self._tally.record(keys, outcome[0])
            self._tally.report()
        self._running = running

    # -- finishing -----------------------------------------------------------------------

    async def flush(self) -> None:
        """Send everything buffered and wait for every batch in flight.

        Raises :class:`~ignite_wire.streamer.DataStreamerError` listing the batches that
        failed since the last flush (each with its keys); the others are stored.
        """
        await self._route()
        for conn, buffer in list(self._buffers.items()):
            if buffer:
                self._buffers[conn] = []
                await self._send(conn, buffer)
        await self._collect(wait=True)
        self._tally.report()
        self._tally.raise_new_failures()

    async def close(self) -> None:
        """Flush, then refuse further entries (closing twice is harmless)."""
        if self._closed:
            return
        try:
            await self.flush()
        finally:
            self._closed = True

    async def __aenter__(self) -> AioDataStreamer:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            await self.close()
            return
        # The block failed: still wait for what is in flight (no orphan workers), but
        # let the block's own error through rather than a flush error.
        with contextlib.suppress(IgniteError):
            await self.close()
