"""The client's connections to the cluster and which one each request goes to.

The asyncio twin of this module is the source; ``tools/unasync.py`` generates the sync
one.  This module does the I/O (connect, send, wait, sleep, spawn); what it decides lives
in pure modules: :mod:`._routing` (which connection a request takes), :mod:`._membership`
(discovery, revival, the heartbeat interval), :mod:`._query_events` (what listeners are
told).  :mod:`._aio_exchange` drives one flow over the chosen connection and
:mod:`._aio_liveness` runs heartbeats and discovery.

* **Connecting.** With partition awareness the pool opens a connection to every listed
  node at once, so one dead node costs one connect timeout, not one per node; without
  it, one connection, to the first node that answers (pyignite's behaviour).
* **Failover.** A failed connection's error reaches the operation that met it; the next
  operation uses another open connection or reconnects; nodes that are down are retried
  in the background so they rejoin the pool.  A heartbeat that times out closes its
  connection (``_protocol/health.py``): a wedged node leaves the pool after one timeout.
* **Closing** stops the heartbeat loop at once (it sleeps on an event, not a timer).
* **Routing** is the :class:`._aio_routes.AioRoutes` half of the pool: partition maps,
  key routes, batches split per node (the parts are sent concurrently by the callers).
"""

from __future__ import annotations

import asyncio  # unasync: import threading
import contextlib
import functools
import itertools
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from . import _routing
from ._aio_exchange import Begun, exchange, request_once
from ._aio_liveness import discover_nodes, heartbeat_loop
from ._aio_routes import AioRoutes
from ._membership import (
    RevivalSchedule,
    forget_after_failed_revival,
)
from ._protocol.context import CodecContext
from ._protocol.flow import Flow
from ._protocol.messages import Buffer, Response
from ._protocol.ops import query
from ._transport.aio import AioConnection, connect_all, join, new_event, sleep, spawn
from ._transport.options import Address, ConnectOptions
from .exceptions import (
    AuthenticationError,
    IgniteError,
    ReconnectError,
    SocketError,
    SQLError,
)
from .retry import RetryPolicy

__all__ = ["AioNodePool"]

T = TypeVar("T")

#: Seconds close() waits for the heartbeat loop to end (it wakes at once; a heartbeat in
#: flight fails as soon as its connection is closed).
_STOP_WAIT = 2.0


class AioNodePool(AioRoutes):
    """Connections by node, the partition maps, and the retry policy of one client.

    Routing (maps, key routes, batches split per node) is the :class:`AioRoutes` half."""

    def __init__(
        self,
        options: ConnectOptions,
        *,
        partition_aware: bool,
        retry_policy: RetryPolicy,
        new_context: Callable[[], CodecContext],
        heartbeat_interval: float | None = 30.0,
        discovery: bool = True,
    ) -> None:
        self.options = options
        self.partition_aware = partition_aware
        self.heartbeat_interval = heartbeat_interval
        self.discovery = discovery
        self._heartbeats_running = False
        self._stop: Any = None  # an event, made in connect() (in its event loop)
        self._heartbeat_job: Any = None
        self._discovered_at: object = None
        self.retry_policy = retry_policy
        self._new_context = new_context
        self.nodes: list[Address] = []
        self.configured: list[Address] = []
        self._conns: dict[Address, AioConnection] = {}
        AioRoutes.__init__(self)
        self._current: Address | None = None
        self._rotation = itertools.count()
        self._revival = RevivalSchedule()
        self._lock = asyncio.Lock()  # unasync: self._lock = threading.Lock()
        self.abandoned: list[tuple[AioConnection, int]] = []
        self.closed = True
        self._query_ids = itertools.count(1)
        #: Send a one-request operation: ``request(conn, op, payload, error_class)`` is
        #: :func:`._aio_exchange.request_once` with this pool's partition-map table,
        #: listeners, query ids and loss report bound; a ``partial`` of positional
        #: arguments, so that the single-key short path pays no Python frame and no
        #: keyword dict for it (issue 12).
        self.request: Callable[
            [AioConnection, int, Buffer, type[IgniteError]],
            Awaitable[Response],  # unasync: Response,
        ] = functools.partial(
            request_once, self.affinity, options.events, self._query_ids, self.revive_missing
        )

    # -- state ---------------------------------------------------------------------------

    def describe(self) -> str:
        for each in list(self._conns.values()):
            each.probe()  # a killed node shows as down here, not at the next call
        conn = self._conns.get(self._current) if self._current is not None else None
        where = str(conn.address) if conn is not None and conn.is_open else "not connected"
        up = len(self.open_connections())
        return f"{where}, {up}/{len(self.nodes)} nodes connected"

    # -- connecting ----------------------------------------------------------------------

    async def connect(self, nodes: list[Address]) -> None:
        self.nodes = list(nodes)
        self.configured = list(nodes)
        self.closed = False
        self._revival.clear()
        await self._connect()
        if self.heartbeat_interval and not self._heartbeats_running:
            self._heartbeats_running = True
            self._stop = new_event()
            self._heartbeat_job = spawn(self._heartbeats, self._stop)
        if self.partition_aware and self.discovery:
            await self.discover()

    async def _connect(self) -> AioConnection:
        """Connect as configured; ``ReconnectError`` if no node can be reached."""
        if not self.nodes:
            raise ReconnectError("the client is not connected: call connect() first")
        if self.partition_aware and len(self.nodes) > 1:
            wanted = [a for a in self.nodes if not self._is_open(a)]
            errors = []
            last: IgniteError | None = None  # the cause of a ReconnectError, for its type
            results = await connect_all(wanted, self.options)
            refused = [r for r in results if isinstance(r, AuthenticationError)]
            if refused:
                # Credentials one node refuses are wrong: keep no connection opened with them.
                for result in results:
                    if isinstance(result, AioConnection):
                        await result.close()
                raise refused[0]
            for address, result in zip(wanted, results, strict=True):
                if isinstance(result, AioConnection):
                    surplus = self._add(result)
                    if surplus is not None:
                        await surplus.close()
                else:
                    errors.append(f"{address}: {result.message}")
                    last = result
            conn = self.pick()
            if conn is None:
                raise ReconnectError("cannot connect to any node: " + "; ".join(errors)) from last
            return conn
        return await self._connect_one()

    async def _connect_one(self) -> AioConnection:
        errors = []
        last: SocketError | None = None
        start = next(self._rotation)
        for i in range(len(self.nodes)):
            address = self.nodes[(start + i) % len(self.nodes)]
            conn = AioConnection(address, self.options)
            try:
                await conn.connect()
            except AuthenticationError:
                raise  # another node would refuse the same credentials
            except SocketError as exc:
                errors.append(f"{address}: {exc.message}")
                last = exc
                continue
            surplus = self._add(conn)
            if surplus is not None:
                await surplus.close()
            return self._conns[address]
        raise ReconnectError("cannot connect to any node: " + "; ".join(errors)) from last

    def _is_open(self, address: Address) -> bool:
        conn = self._conns.get(address)
        return conn is not None and conn.is_open

    def _add(self, conn: AioConnection) -> AioConnection | None:
        """Pool ``conn``; return a connection for the caller to close, if one is surplus.

        A call's reconnect and the background one may race for the same node: the one
        already pooled and open stays (requests may be using it), the newcomer goes.
        """
        pooled, surplus = _routing.admit(self._conns.get(conn.address), conn)
        if pooled is conn:
            self._conns[conn.address] = conn
            self._generation += 1
            if self._current is None or not self._is_open(self._current):
                self._current = conn.address
        return surplus

    def pick(self) -> AioConnection | None:
        """The current connection, or another open one; a suspect one only as a last resort."""
        self._current, conn = _routing.pick(self._conns, self._current)
        return conn

    async def current(self) -> AioConnection:
        """The connection for requests that may go anywhere; reconnects when none is open."""
        conn = self.pick()
        if conn is not None:
            if _routing.revival_wanted(self.partition_aware, self._conns, self.nodes):
                self.revive_missing()
            return conn
        if self.closed:
            raise SocketError("the client is closed")
        async with self._lock:  # unasync: with self._lock:
            conn = self.pick()
            if conn is not None:
                return conn
            return await self._connect()

    def revive_missing(self) -> None:
        """Reconnect, in the background, the listed nodes that are down."""
        if not self.partition_aware or self.closed:
            return
        for address in self._revival.due(self.nodes, self._is_open, time.monotonic()):
            spawn(self._revive, address)

    async def _revive(self, address: Address) -> None:
        conn = AioConnection(address, self.options)
        try:
            await conn.connect()
        except IgniteError:
            if forget_after_failed_revival(address, self.nodes, self.configured):
                # A discovered node that is gone: forget it; discovery finds it again if
                # it comes back and the partition maps name it.
                self.nodes.remove(address)
            return
        if self.closed:
            await conn.close()
            return
        surplus = self._add(conn)  # a caller may have reconnected it meanwhile
        if surplus is not None:
            await surplus.close()

    # -- liveness and discovery (the logic: _aio_liveness.py) -----------------------------

    async def _heartbeats(self, stop: Any) -> None:
        """Ping idle connections until close(), so a server's idle timeout never drops them."""
        try:
            await heartbeat_loop(self, stop)
        finally:
            self._heartbeats_running = False

    async def discover(self) -> None:
        """Learn the server nodes not yet listed (op 5102) and connect to them."""
        await discover_nodes(self)

    async def close(self) -> None:
        self.closed = True
        if self._stop is not None:
            self._stop.set()
        conns, self._conns = list(self._conns.values()), {}
        self._forget_routes()
        self._current = None
        for conn in conns:
            await conn.close()
        job, self._heartbeat_job = self._heartbeat_job, None
        if job is not None:
            await join(job, _STOP_WAIT)

    # -- running flows -------------------------------------------------------------------

    async def run(self, flow: Flow[T], conn: AioConnection | None = None) -> T:
        """Drive ``flow`` on ``conn`` (a key's node, a cursor's, a transaction's) or any."""
        if self.abandoned:
            await self._close_abandoned()
        target = conn if conn is not None else await self.current()
        return await self.run_on(target, flow)

    def begin_on(self, conn: AioConnection, flow: Flow[T]) -> Begun[T]:
        """Send ``flow``'s first request on ``conn`` now; ``finish()`` the result later
        (see :class:`._aio_exchange.Begun`)."""
        return Begun(
            conn,
            flow,
            affinity=self.affinity,
            events=self.options.events,
            query_ids=self._query_ids,
            on_lost=self.revive_missing,
        )

    async def run_on(
        self, conn: AioConnection, flow: Flow[T], *, timeout: float | None = None
    ) -> T:
        """Drive ``flow`` on ``conn`` (see :mod:`._aio_exchange`).

        ``timeout`` overrides the client's request timeout (heartbeats wait less).
        """
        return await exchange(
            conn,
            flow,
            timeout=timeout,
            affinity=self.affinity,
            events=self.options.events,
            query_ids=self._query_ids,
            on_lost=self.revive_missing,
        )

    async def key_connection(
        self, cache_id: int, key: Any, hint: object, ctx: CodecContext
    ) -> AioConnection:
        """Where a single-key request goes: its key's node, else any (as :meth:`run`)."""
        if self.abandoned:
            await self._close_abandoned()
        # ready_route(), inlined (every single-key call): the common case, a current
        # route, needs no coroutine of for_key's
        route = self._routes.get(cache_id)
        if (
            route is not None
            and route.generation == self._generation
            and self.affinity.current(cache_id) is route.affinity
        ):
            conn = route.conn_for(key, hint, ctx)
        else:
            conn = await self.for_key(cache_id, key, hint, ctx)
        return conn if conn is not None else await self.current()

    async def _close_abandoned(self) -> None:
        """Free server cursors whose Python objects were dropped before their last page."""
        abandoned, self.abandoned = self.abandoned, []
        for conn, cursor_id in abandoned:
            if conn.is_open:
                # Best effort: the server frees the cursor anyway when the connection ends.
                with contextlib.suppress(SocketError, SQLError):
                    await self.run_on(conn, query.close_cursor(cursor_id))

    async def retry_wait(self, attempt: int, *, write: bool) -> bool:
        """After a connection failure: wait and return True if the policy allows a retry."""
        delay = self.retry_policy.delay(attempt, write=write)
        if delay is None or self.closed:
            return False
        if delay:
            await sleep(delay)
        return True
