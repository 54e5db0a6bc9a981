"""A continuous query as the caller sees it: started, iterated, restarted, closed.

The server pushes events on the connection that started the query (op 2006,
notifications 2007; layouts in :mod:`._protocol.ops.continuous`).  The connection's
reader only files each notification in this query's inbox
(:mod:`._protocol.notifications`); :meth:`AioContinuousQuery.get` decodes them on the
caller's side, where a missing binary type can be fetched.

The first moments after a start: Ignite (2.17) drops the events of changes it processes
before the thread that wrote its answer to the start request has marked the query started
(its ``ClientCacheQueryContinuousHandle`` discards events while its id is unset; the id is
set in the write's completion callback, which a loaded machine can run after the client has
read the answer and made further changes).  The client cannot see that moment, and nothing
it sends on the connection orders it: the callback may run on whichever connector thread
answered.  Once one event has come through, every later change is reported, which is what
:meth:`AioContinuousQuery.confirm_live` waits for.

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
import uuid
from collections import deque
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeAlias

from . import _checks, _facade
from ._protocol.messages import Notification
from ._protocol.notifications import Dropped
from ._protocol.ops.common import cache_header, decode_with_types
from ._protocol.ops.continuous import (
    CacheEntryEvent,
    EventsMissed,
    EventType,
    InitialEntry,
    decode_events,
    start_continuous_query,
    stop_continuous_query,
)
from ._protocol.requirements import require
from ._transport.aio import AioConnection, sleep
from ._transport.inbox import AioInbox
from .exceptions import (
    EncodeError,
    IgniteError,
    ParameterError,
    RequestTimeoutError,
    SocketError,
)

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

#: ``confirm_live``: first wait for the marker's events, and the longest (it doubles).
_CONFIRM_FIRST_WAIT = 0.05
_CONFIRM_LONGEST_WAIT = 1.0
#: The marker value's prefix (a fresh token per attempt follows it).
_MARKER_PREFIX = "ignite_wire.confirm_live:"


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
        """Register the listener; the initial scan opens at the first ``get``.

        Not here: the sync scan cursor reads its first page when made, and a scan read
        after :meth:`confirm_live` sees every change the query did not report.
        """
        await self._subscribe()

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

    # -- confirming that events flow -----------------------------------------------------

    async def confirm_live(self, marker_key: Any, timeout: float = 10.0) -> None:
        """Return once the server is surely reporting this query's changes.

        Ignite drops the events of changes made in the first moments after it answered
        the start request (see the module docstring); a change made right after
        ``continuous_query()`` returned may therefore never be reported.  Once one event
        has come through, none is dropped that way again.  This writes a marker entry at
        ``marker_key`` and removes it, again (waiting longer each time) until the removal's
        event arrives.  The marker's events are not yielded, the cache is left as it was,
        and other events that came meanwhile stay queued in order.  ``marker_key`` must be
        a key nothing else uses (its entry is removed); other queries of the cache see
        the marker's changes like any others.  An ``initial_scan`` not read yet is read
        after this returns, so it sees every change the query did not report.  With a
        ``buffer_size`` above 1 the marker's events wait for a batch: give such a query a
        ``time_interval``, or the marker's events may not come within ``timeout``.

        Raises:
            RequestTimeoutError: no marker event came within ``timeout`` seconds.
        """
        _checks.seconds(timeout, "confirm_live(): timeout")
        deadline = time.monotonic() + timeout
        tokens: set[str] = set()
        wait = _CONFIRM_FIRST_WAIT
        while True:
            if self._closed:
                raise SocketError("confirm_live(): the continuous query is closed", node=self.node)
            token = _MARKER_PREFIX + uuid.uuid4().hex
            tokens.add(token)
            try:
                await self._cache.put(marker_key, token)
            except EncodeError as exc:  # named for the caller: it is confirm_live's argument
                detail = exc.message.removeprefix("put(): key: ")
                raise EncodeError(f"confirm_live(): marker_key: {detail}") from None
            await self._cache.remove_key(marker_key)
            if await self._marker_removed(marker_key, tokens, token, min(wait, timeout)):
                return
            if time.monotonic() >= deadline:
                raise RequestTimeoutError(
                    f"confirm_live(): no event of the marker key came within {timeout} s",
                    node=self.node,
                )
            wait = min(wait * 2, _CONFIRM_LONGEST_WAIT, max(0.0, deadline - time.monotonic()))

    async def _marker_removed(
        self, marker_key: Any, tokens: set[str], latest: str, wait: float
    ) -> bool:
        """Read for up to ``wait`` s, dropping marker events; True once ``latest`` is removed.

        Events of one key arrive in the order of its changes, so when the removal of the
        latest marker has come, no event of an earlier marker can follow it.
        """
        deadline = time.monotonic() + wait
        while True:
            inbox = self._inbox
            if inbox is None or self._closed:
                return False
            item = await inbox.get(max(0.0, deadline - time.monotonic()))
            if item is None:
                return False
            await self._take(item)
            removed = False
            kept: deque[Event] = deque()
            for event in self._ready:
                if _is_marker(event, marker_key, tokens):
                    assert isinstance(event, CacheEntryEvent)
                    removed = removed or (
                        event.type is EventType.REMOVED and event.old_value == latest
                    )
                    continue
                kept.append(event)
            self._ready = kept
            if removed:
                return True

    # -- reading -------------------------------------------------------------------------

    async def get(self, timeout: float | None = None) -> Event | None:
        """The next event, or ``None`` if none came within ``timeout`` s or it is closed."""
        _checks.optional_seconds(timeout, "get(): timeout")
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._ready:
            if self._closed:
                return None
            if self._initial_scan:
                self._initial_scan = False
                self._scan = self._cache.scan(page_size=self._page_size)
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


def _is_marker(event: Event, marker_key: Any, tokens: set[str]) -> bool:
    """An event of ``confirm_live``'s own marker writes (values may be unhashable)."""
    if not isinstance(event, CacheEntryEvent) or event.key != marker_key:
        return False
    return any(isinstance(v, str) and v in tokens for v in (event.value, event.old_value))
