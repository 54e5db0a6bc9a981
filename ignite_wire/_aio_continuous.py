"""A continuous query as the caller sees it: started, iterated, restarted, closed.

The server pushes events on the connection that started the query (op 2006,
notifications 2007; layouts in :mod:`._protocol.ops.continuous`).  The connection's
reader only files each notification in this query's inbox
(:mod:`._protocol.notifications`); :meth:`AioContinuousQuery.get` decodes them on the
caller's side, where a missing binary type can be fetched.

Failover: when that connection dies the server forgets the query, and events between the
failure and a restart are lost.  That is reported, never hidden: the next item is an
:class:`EventsMissed`, after which the query runs again on another node (or the iteration
ends, if no node takes it within ``restart_timeout``).  Closing the query, or the client,
stops it on the server (RESOURCE_CLOSE, or the connection's end).
"""

# unasync-skip-start
# The source of _sync_continuous.py: ``python tools/unasync.py`` generates it from this file.
# unasync-skip-end

from __future__ import annotations

import contextlib
import time
from collections import deque
from types import TracebackType
from typing import TYPE_CHECKING, TypeAlias

from . import _checks, _facade
from ._protocol.messages import Notification
from ._protocol.notifications import Dropped
from ._protocol.ops.common import cache_header, decode_with_types
from ._protocol.ops.continuous import (
    CacheEntryEvent,
    EventsMissed,
    InitialEntry,
    decode_events,
    start_continuous_query,
    stop_continuous_query,
)
from ._protocol.requirements import require
from ._transport.aio import AioConnection, sleep
from ._transport.inbox import AioInbox
from .exceptions import IgniteError, ParameterError, SocketError

if TYPE_CHECKING:
    # unasync-skip-start
    from .aio_client import AioCache, AioScanCursor

    # unasync-skip-end
    # unasync: from .client import Cache, ScanCursor

__all__ = ["AioContinuousQuery", "Event"]

#: What iterating a continuous query yields.
Event: TypeAlias = CacheEntryEvent | InitialEntry | EventsMissed

#: Seconds between two attempts to restart a query after its node failed.
_RESTART_PAUSE = 0.2


class AioContinuousQuery:
    """Changes of one cache, pushed by the server; iterate it, then close it.

    Made by ``cache.continuous_query(...)``; see that method for the options.
    """

    def __init__(
        self,
        cache: AioCache,
        *,
        buffer_size: int,
        time_interval: float,
        include_expired: bool,
        initial_scan: bool,
        page_size: int,
        restart_timeout: float,
    ) -> None:
        self._cache = cache
        self._buffer_size = _facade.int_param(
            buffer_size, "continuous_query(): buffer_size", 1, 2**31 - 1
        )
        _checks.seconds(time_interval, "continuous_query(): time_interval")
        if time_interval >= 2**53 / 1000:  # ms, exact in a float, as a Java long
            raise ParameterError(
                f"continuous_query(): time_interval must be under 2**53 ms, got {time_interval!r}"
            )
        self._interval_ms = round(time_interval * 1000)
        self._include_expired = bool(include_expired)
        self._initial_scan = initial_scan
        self._page_size = _checks.integer(page_size, "continuous_query(): page_size", 1, 2**31 - 1)
        self._restart_timeout = _checks.seconds(
            restart_timeout, "continuous_query(): restart_timeout"
        )
        self._inbox: AioInbox | None = None
        self._resource_id: int | None = None
        self._scan: AioScanCursor | None = None
        self._ready: deque[Event] = deque()
        self._closed = False

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"on {self.node}"
        return f"<{type(self).__name__} cache={self._cache.name!r} {state}>"

    @property
    def node(self) -> str | None:
        """``host:port`` of the node serving the query now (``None`` before start)."""
        return str(self._inbox.conn.address) if self._inbox is not None else None

    @property
    def closed(self) -> bool:
        return self._closed

    # -- starting ------------------------------------------------------------------------

    async def _start(self) -> None:
        """Register the listener, then (first time only) open the initial scan."""
        await self._subscribe()
        if self._initial_scan:
            self._initial_scan = False
            self._scan = self._cache.scan(page_size=self._page_size)

    async def _subscribe(self) -> None:
        pool = self._cache.client._pool
        conn = await pool.current()
        protocol = conn.protocol
        require("continuous query", protocol.version, protocol.features, node=str(conn.address))
        flow = start_continuous_query(
            cache_header(self._cache.cache_id),
            buffer_size=self._buffer_size,
            time_interval_ms=self._interval_ms,
            include_expired=self._include_expired,
        )
        resource_id = await pool.run_on(conn, flow)
        inbox = AioInbox(conn)
        conn.notifications.subscribe(resource_id, inbox.put)
        self._inbox, self._resource_id = inbox, resource_id

    async def _restart(self, error: IgniteError) -> EventsMissed:
        """The serving connection failed: start again elsewhere, and say what was lost."""
        old = self.node
        reason = f"the connection serving the continuous query failed: {error.message}"
        deadline = time.monotonic() + self._restart_timeout
        while not self._cache.client._pool.closed:
            try:
                await self._subscribe()
                return EventsMissed(reason, old, resumed=True)
            except SocketError as exc:
                if time.monotonic() >= deadline:
                    reason += f"; restarting failed: {exc.message}"
                    break
                await sleep(_RESTART_PAUSE)
        self._closed = True
        return EventsMissed(reason, old, resumed=False)

    # -- reading -------------------------------------------------------------------------

    async def get(self, timeout: float | None = None) -> Event | None:
        """The next event, or ``None`` if none came within ``timeout`` s or it is closed."""
        _checks.optional_seconds(timeout, "get(): timeout")
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._ready:
            if self._closed:
                return None
            if self._scan is not None:
                try:
                    key, value = await self._scan.__anext__()
                except StopAsyncIteration:
                    self._scan = None
                    continue
                return InitialEntry(key, value)
            inbox = self._inbox
            assert inbox is not None
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            item = await inbox.get(remaining)
            if item is None:
                return None
            await self._take(item)
        return self._ready.popleft()

    async def _take(self, item: Notification | Dropped | IgniteError) -> None:
        if isinstance(item, Notification):
            if not item.ok:
                self._ready.append(
                    EventsMissed(f"the server reported: {item.message}", self.node, resumed=True)
                )
                return
            client = self._cache.client
            ctx = client._context()
            payload = item.payload
            events = await client._run(decode_with_types(ctx, lambda: decode_events(payload, ctx)))
            self._ready.extend(events)
        elif isinstance(item, Dropped):
            self._ready.append(
                EventsMissed(
                    "events arrived faster than they were read and some were dropped",
                    self.node,
                    resumed=True,
                )
            )
        elif self._closed or self._cache.client._pool.closed:
            self._closed = True
        else:
            self._ready.append(await self._restart(item))

    def __aiter__(self) -> AioContinuousQuery:
        return self

    async def __anext__(self) -> Event:
        event = await self.get()
        if event is None:
            raise StopAsyncIteration
        return event

    # -- closing -------------------------------------------------------------------------

    async def close(self) -> None:
        """Stop the query on the server; iteration ends.  Idempotent."""
        if self._closed and self._inbox is None:
            return
        self._closed = True
        inbox, resource_id = self._inbox, self._resource_id
        self._inbox = None
        if self._scan is not None:
            await self._scan.close()
            self._scan = None
        if inbox is None or resource_id is None:
            return
        conn: AioConnection = inbox.conn
        conn.notifications.unsubscribe(resource_id)
        if conn.is_open:
            # The server forgets the query with the connection anyway: best effort.
            with contextlib.suppress(IgniteError):
                await self._cache.client._pool.run_on(conn, stop_continuous_query(resource_id))

    async def __aenter__(self) -> AioContinuousQuery:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
