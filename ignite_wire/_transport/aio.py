"""One asyncio connection to one node, pipelining any number of requests.

An :class:`asyncio.Protocol` feeds received bytes to the sans-IO
:class:`~ignite_wire._protocol.connection.ProtocolConnection` and resolves one future per
request id, so hundreds of coroutines can have requests in flight on one socket.  The
writer respects the transport's flow control (``pause_writing``): a coroutine that sends
while the socket's buffer is full waits instead of growing memory without bound.  Frames
are not written one by one: the requests of one event-loop pass go out in one write
(see :mod:`.aio_wire`), as the Java client packs several requests into one segment.

A request without a timeout awaits its own future, answered by the wire.  With a timeout,
one timer per connection expires the requests whose deadline passed, oldest first
(:mod:`.deadline_queue`), not a timer per request.  A request that times out or whose
task is cancelled is forgotten; its late response is dropped (a cancelled request without
a timeout stays filed until that response or the connection's end).  Whether the
connection is kept after a timeout is :mod:`.._protocol.health`'s decision (a silent peer
or a half-read frame closes it).  The wait for a full send buffer to drain is bounded by
the request timeout too: a peer that stops reading costs one timeout, then the connection
is closed.  A lost connection fails every pending future with ``SocketError``.  The
:class:`asyncio.Protocol` itself is :mod:`.aio_wire`; background
tasks are :mod:`.tasks`.
"""

from __future__ import annotations

import asyncio
import ssl
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import TypeAlias

from .._protocol.connection import ProtocolConnection
from .._protocol.handshake import HandshakeAccepted
from .._protocol.health import (
    EVICT,
    PROBE,
    evict_after_send_timeout,
    probe_timeout,
    timeout_verdict_of,
)
from .._protocol.messages import Buffer, Notification, Response
from .._protocol.notifications import NotificationRouter
from .._protocol.opcodes import OpCode, op_name
from ..exceptions import (
    IgniteError,
    RequestTimeoutError,
    SocketError,
)
from . import events
from .aio_wire import AioWire
from .deadline_queue import DeadlineQueue
from .options import Address, ConnectOptions
from .tasks import OnAwait, gather, join, new_event, observed, sleep, spawn, wait_event

__all__ = [
    "Ahead",
    "AioConnection",
    "connect_all",
    "gather",
    "join",
    "new_event",
    "sleep",
    "spawn",
    "wait_event",
]

#: A request sent by :meth:`AioConnection.request_ahead`: await it for the response (the
#: sync transport's ``Ahead`` has ``wait()``).
Ahead: TypeAlias = Awaitable[Response]


_Future = asyncio.Future

#: Seconds :meth:`AioConnection.close` waits for a TLS shutdown before aborting.
_CLOSE_TIMEOUT = 1.0


class AioConnection:
    """A handshaken asyncio connection to ``address``."""

    def __init__(
        self,
        address: Address,
        options: ConnectOptions,
        *,
        on_notification: Callable[[Notification], None] | None = None,
    ) -> None:
        self.address = address
        self._options = options
        self._on_notification = on_notification
        self._wire: AioWire | None = None
        self._pending: dict[int, asyncio.Future[Response]] = {}
        #: The deadlines of the requests in flight, and the one timer that expires them.
        self._deadlines = DeadlineQueue()
        self._sweep_timer: asyncio.TimerHandle | None = None
        self._error: IgniteError | None = None
        #: When the last request was sent (heartbeats go only to idle connections).
        self.last_activity = time.monotonic()
        #: When bytes last arrived (a timeout with nothing received since evicts).
        self.last_received = time.monotonic()
        #: Silent after a timeout, a heartbeat probe under way: key routing avoids it.
        self.suspect = False
        #: The server's idle timeout in seconds once asked (``None``: not asked yet).
        self.idle_timeout: float | None = None
        #: Server notifications (continuous query events) by resource id.
        self.notifications = NotificationRouter()

    def __repr__(self) -> str:
        state = "open" if self.is_open else "closed"
        return f"<AioConnection {self.address} {state} node={self.node_id}>"

    @property
    def is_open(self) -> bool:
        return self._wire is not None and self._error is None

    def probe(self) -> None:
        """Nothing to do: the event loop reports a closed peer as soon as it runs."""

    @property
    def protocol(self) -> ProtocolConnection:
        if self._wire is None:
            raise SocketError(f"connection to {self.address} is not open", node=str(self.address))
        return self._wire.protocol

    @property
    def node_id(self) -> uuid.UUID | None:
        return self._wire.protocol.node_id if self._wire is not None else None

    async def connect(self) -> None:
        """Open, wrap TLS and handshake, within ``connect_timeout``."""
        events.connecting(self._options, self.address)
        try:
            await asyncio.wait_for(self._connect(), self._options.connect_timeout)
        except TimeoutError:
            error = RequestTimeoutError(
                f"connecting to {self.address} timed out "
                f"(handshake_timeout {self._options.connect_timeout} s)",
                node=str(self.address),
                op="HANDSHAKE",
            )
            events.connect_failed(self._options, self.address, error)
            raise error from None
        except IgniteError as exc:
            events.connect_failed(self._options, self.address, exc)
            raise
        events.connected(self._options, self.address, self.protocol)

    async def _connect(self) -> None:
        opts = self._options
        version = opts.protocol_version
        loop = asyncio.get_running_loop()
        while True:
            protocol = ProtocolConnection(
                features=opts.features,
                credentials=opts.credentials,
                version=version,
                max_frame_size=opts.max_frame_size,
            )
            try:
                _, wire = await loop.create_connection(
                    lambda p=protocol: AioWire(self, p),
                    self.address.host,
                    self.address.port,
                    ssl=opts.ssl_context,
                    server_hostname=(opts.server_hostname or self.address.host)
                    if opts.ssl_context is not None
                    else None,
                )
            except OSError as exc:
                raise SocketError(
                    _connect_failure(self.address, exc, tls=opts.ssl_context is not None),
                    node=str(self.address),
                ) from exc
            assert isinstance(wire, AioWire)
            assert wire.transport is not None
            wire.transport.write(protocol.start_handshake())
            try:
                event = await wire.handshake
            except BaseException:
                wire.transport.abort()
                raise
            if isinstance(event, HandshakeAccepted):
                self._wire = wire
                self._error = None
                return
            wire.transport.abort()
            if event.retry_version is None:
                raise event.error(str(self.address))
            version = event.retry_version

    def request(
        self, op: int, payload: Buffer, timeout: float | None = None
    ) -> Awaitable[Response]:
        """Send one request; awaiting the result gives its response (``timeout``
        overrides the default).

        Not a coroutine: without a timeout and with room to write, the awaitable is the
        request's own future, answered by the wire (a coroutine frame per request less:
        W3 sends tens of thousands a second).  Cancelling the wait cancels the future; its
        late answer is then dropped.  A timeout, or a full send buffer, takes
        :meth:`_request`, which bounds the wait.
        """
        if self._error is not None:
            raise self._error_copy()
        wire = self._wire
        if wire is None or wire.transport is None:
            raise SocketError(f"connection to {self.address} is closed", node=str(self.address))
        if timeout is None:
            timeout = self._options.timeout
        if timeout is not None or not wire.writable:
            return self._request(wire, op, payload, timeout)
        self.last_activity = time.monotonic()
        request_id, data = wire.protocol.send_request(op, payload)
        # asyncio.Future itself, not loop.create_future(): a Python call less per request,
        # and a plain future works with any event loop.
        future: asyncio.Future[Response] = _Future(loop=wire.loop)
        self._pending[request_id] = future
        wire.send(data)  # queued: written whole with this loop pass's other requests
        return future

    def request_ahead(self, op: int, payload: Buffer) -> Ahead:
        """:meth:`request`, its frame written at once instead of with this loop pass's
        other requests: the caller awaits the answer later and may not yield meanwhile
        (a cursor's next page, asked for before the current one is decoded).  With a
        request timeout, the wait is bounded by it counted from when the answer is
        awaited, as the sync ``Ahead.wait`` counts: how long the consumer took to come
        for it is not the node's delay.  (When the socket's buffer is full, the request
        goes out in a task of its own, as :meth:`request`'s bounded path sends it.)  A
        caller may drop the answer without awaiting it (a cursor dropped with its next
        page in flight): it then ends unobserved, without a warning."""
        timeout = self._options.timeout
        wire = self._wire
        if (
            timeout is None
            or self._error is not None
            or wire is None
            or wire.transport is None
            or not wire.writable
        ):
            answer = self.request(op, payload)
            if self._wire is not None:
                self._wire.flush_now()
            ahead = answer if isinstance(answer, asyncio.Future) else asyncio.ensure_future(answer)
            ahead.add_done_callback(observed)
            return ahead
        self.last_activity = time.monotonic()
        request_id, data = wire.protocol.send_request(op, payload)
        future: asyncio.Future[Response] = _Future(loop=wire.loop)
        future.add_done_callback(observed)
        self._pending[request_id] = future
        wire.send(data)
        wire.flush_now()
        return OnAwait(partial(self._await_ahead, wire, future, request_id, op, timeout))

    async def _await_ahead(
        self,
        wire: AioWire,
        future: asyncio.Future[Response],
        request_id: int,
        op: int,
        timeout: float,
    ) -> Response:
        """The answer of a request sent by :meth:`request_ahead`, within ``timeout`` from
        now (``asyncio.wait_for`` is fine here: one call per page, not per request)."""
        started = time.monotonic()
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise self._timeout_error(wire, op, timeout, started) from None
        finally:
            self._pending.pop(request_id, None)

    async def _request(
        self, wire: AioWire, op: int, payload: Buffer, timeout: float | None
    ) -> Response:
        """:meth:`request` with its wait bounded by ``timeout``, and after a wait for room
        to write when the socket's buffer is full (also bounded)."""
        sent_at = time.monotonic()
        if not wire.writable:
            try:
                await asyncio.wait_for(wire.can_write.wait(), timeout)
            except TimeoutError:
                message = (
                    f"sending to {self.address} did not finish within {timeout} s "
                    f"(op {op_name(op)}): the node stopped reading"
                )
                if evict_after_send_timeout():
                    self._evict(message)
                raise RequestTimeoutError(message, node=str(self.address), op=op_name(op)) from None
            if self._error is not None:
                raise self._error_copy()
        self.last_activity = sent_at
        request_id, data = wire.protocol.send_request(op, payload)
        loop = wire.loop
        future: asyncio.Future[Response] = _Future(loop=loop)
        self._pending[request_id] = future
        wire.send(data)  # queued: written whole with this loop pass's other requests
        # The connection's one deadline timer expires the future (see deadline_queue.py);
        # a deadline out of send order gets a timer of its own.  asyncio.wait_for would
        # add a second future, a done callback and a coroutine frame to every request.
        timer = None
        if timeout is not None:
            deadline = loop.time() + timeout
            if not self._deadlines.add(request_id, deadline):
                timer = loop.call_at(deadline, _expire, future)
            elif self._sweep_timer is None:
                self._sweep_timer = loop.call_at(deadline, self._sweep)
        try:
            return await future
        except _ExpiredError:
            raise self._timeout_error(wire, op, timeout, sent_at) from None
        finally:
            if timer is not None:
                timer.cancel()
            elif timeout is not None:
                self._deadlines.discard(request_id)
            self._pending.pop(request_id, None)

    def _timeout_error(
        self, wire: AioWire, op: int, timeout: float | None, sent_at: float
    ) -> RequestTimeoutError:
        """A request timed out: keep, probe or evict the connection (health.py); the
        error to raise."""
        message = f"no answer from {self.address} within {timeout} s (op {op_name(op)})"
        verdict = timeout_verdict_of(self, wire.protocol, op, sent_at)
        if verdict == EVICT:  # every later call here would time out too
            self._evict(message)
        elif verdict == PROBE:
            self.suspect = True
            spawn(self._probe)
        return RequestTimeoutError(message, node=str(self.address), op=op_name(op))

    def _sweep(self) -> None:
        """The deadline timer: expire every request whose deadline has passed (each
        raises its own timeout in its own task), then wait for the next deadline."""
        self._sweep_timer = None
        wire = self._wire
        if wire is None:
            return
        loop = wire.loop
        expired, following = self._deadlines.due(loop.time())
        pending = self._pending
        for request_id in expired:
            future = pending.get(request_id)
            if future is not None:
                _expire(future)
        if following is not None:
            self._sweep_timer = loop.call_at(following, self._sweep)

    async def _probe(self) -> None:
        """Ping a suspect connection: an answer clears it, silence evicts it."""
        try:
            await self.request(OpCode.HEARTBEAT, b"", probe_timeout(self._options.timeout))
        except RequestTimeoutError as exc:
            self._evict(f"no answer to a heartbeat: {exc.message}")
        except IgniteError:
            pass  # the connection failed anyway
        self.suspect = False

    def _evict(self, reason: str) -> None:
        """Close a connection that cannot be trusted any more (see ``health.py``)."""
        wire = self._wire
        self._fail(SocketError(f"{reason}; connection closed"))
        if wire is not None and wire.transport is not None:
            wire.transport.abort()

    def _notify(self, notification: Notification) -> None:
        self.notifications.dispatch(notification)
        if self._on_notification is not None:
            self._on_notification(notification)

    def _error_copy(self) -> IgniteError:
        error = self._error
        assert error is not None
        if isinstance(error, SocketError):
            return SocketError(error.message, node=str(self.address))
        return error

    def _fail(self, error: IgniteError) -> None:
        error.node = str(self.address)
        if self._error is None:
            self._error = error
            if self._wire is not None:
                events.lost(self._options, self.address, self.node_id, error)
        pending, self._pending = self._pending, {}
        if self._sweep_timer is not None:  # every request here fails now: no deadline left
            self._sweep_timer.cancel()
            self._sweep_timer = None
        for future in pending.values():
            if not future.done():
                future.set_exception(self._error_copy())
        self.notifications.fail(self._error_copy())

    async def close(self) -> None:
        """Close the transport; pending requests fail with ``SocketError``."""
        node_id = self.node_id
        wire, self._wire = self._wire, None
        if self._error is None:
            self._fail(SocketError(f"connection to {self.address} was closed"))
            if wire is not None:
                events.closed(self._options, self.address, node_id)
        if wire is not None and wire.transport is not None:
            wire.transport.close()
            # A TLS transport closes only after its close_notify exchange (milliseconds):
            # wait for it, so that no socket outlives close() or the event loop.
            try:
                await asyncio.wait_for(asyncio.shield(wire.closed), _CLOSE_TIMEOUT)
            except TimeoutError:
                wire.transport.abort()


class _ExpiredError(Exception):
    """A request's timer went off before its response arrived (never leaves this module)."""


def _expire(future: asyncio.Future[Response]) -> None:
    if not future.done():
        future.set_exception(_ExpiredError())


def _connect_failure(address: Address, exc: OSError, *, tls: bool) -> str:
    """The message of a failed ``create_connection`` (TCP connect and TLS handshake)."""
    if tls and isinstance(exc, ssl.SSLError):
        return f"TLS with {address} failed: {exc}"
    if tls and isinstance(exc, ConnectionResetError):
        # What asyncio raises, without a message, when the peer hangs up mid-handshake.
        return (
            f"TLS with {address} failed: the node closed the connection during the TLS "
            "handshake (is it a plaintext port?)"
        )
    return f"cannot connect to {address}: {exc or type(exc).__name__}"


# -- helpers the client uses where sync and asyncio differ in kind, not in logic ----------


async def connect_all(
    addresses: Sequence[Address], options: ConnectOptions
) -> list[AioConnection | IgniteError]:
    """Open connections to all ``addresses`` at once; each slot is a connection or its error.

    Concurrency matters: a dead node must cost one connect timeout in all, not one each.
    """

    async def one(address: Address) -> AioConnection | IgniteError:
        conn = AioConnection(address, options)
        try:
            await conn.connect()
        except IgniteError as exc:
            return exc
        return conn

    return list(await asyncio.gather(*(one(a) for a in addresses)))
