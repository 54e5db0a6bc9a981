"""One blocking connection to one node, safe to share between threads.

Requests are multiplexed: any thread may send while others wait, and responses are
matched to their requests by id.  Reading follows the leader/follower pattern: the first
waiting thread that finds no reader becomes the reader, reads until its own response is
in, files every other response it meets under its request id and wakes the waiters; a
waiter whose response arrived returns without touching the socket.  So a slow query does
not block a fast get issued later from another thread, and no thread is dedicated to
reading (nothing to leak, nothing to stop).

A request that times out is forgotten: its late response is dropped on arrival.  Whether
the connection is kept is :mod:`.._protocol.health`'s decision: a silent peer or a frame
left half-read closes it (every later call would time out too).  Sends are bounded by the
request timeout as well (the socket's own timeout, set once after the handshake; the
reader waits with ``poll`` instead, so the two never change a shared setting): a peer that
stops reading costs one timeout, then the connection is closed.  A socket error or a
protocol error closes the connection and fails every waiter with the same error.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from .._protocol.connection import ConnectionClosed, NeedData, ProtocolConnection
from .._protocol.features import Feature
from .._protocol.handshake import HandshakeAccepted, HandshakeRejected
from .._protocol.health import (
    EVICT,
    PROBE,
    after_timeout,
    evict_after_send_timeout,
    probe_timeout,
)
from .._protocol.messages import Buffer, Notification, Response
from .._protocol.notifications import NotificationRouter
from .._protocol.opcodes import OpCode, op_name
from ..exceptions import (
    HandshakeError,
    IgniteError,
    ProtocolError,
    RequestTimeoutError,
    SocketError,
)
from . import events
from .options import Address, ConnectOptions, handshake_hint

__all__ = [
    "SyncConnection",
    "connect_all",
    "gather",
    "join",
    "new_event",
    "sleep",
    "spawn",
    "wait_event",
]

T = TypeVar("T")
_RECV_SIZE = 256 * 1024
_ABANDONED = object()


def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    return deadline - time.monotonic()


class SyncConnection:
    """A handshaken connection to ``address``; see the module docstring for threading."""

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
        self._sock: socket.socket | None = None
        self._protocol: ProtocolConnection | None = None
        self._send_lock = threading.Lock()
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._reading = False
        self._responses: dict[int, Response | object] = {}
        self._error: IgniteError | None = None
        self._poll: select.poll | None = None
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
        return f"<SyncConnection {self.address} {state} node={self.node_id}>"

    # -- state ---------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._sock is not None and self._error is None

    @property
    def protocol(self) -> ProtocolConnection:
        if self._protocol is None:
            raise SocketError(f"connection to {self.address} is not open", node=str(self.address))
        return self._protocol

    @property
    def node_id(self) -> uuid.UUID | None:
        return self._protocol.node_id if self._protocol is not None else None

    # -- connecting ----------------------------------------------------------------------

    def connect(self) -> None:
        """Open the socket, wrap TLS, and handshake (falling back as the server asks)."""
        events.connecting(self._options, self.address)
        try:
            self._connect()
        except IgniteError as exc:
            events.connect_failed(self._options, self.address, exc)
            raise
        assert self._protocol is not None
        events.connected(self._options, self.address, self._protocol)

    def _connect(self) -> None:
        opts = self._options
        deadline = None if opts.connect_timeout is None else time.monotonic() + opts.connect_timeout
        version = opts.protocol_version
        while True:
            protocol = ProtocolConnection(
                features=opts.features,
                credentials=opts.credentials,
                version=version,
                max_frame_size=opts.max_frame_size,
            )
            sock = self._open_socket(deadline)
            try:
                self._send_handshake(sock, protocol)
                event = self._read_handshake(sock, protocol, deadline)
            except BaseException:
                sock.close()
                raise
            if isinstance(event, HandshakeAccepted):
                # From here the socket timeout bounds sends only (reads wait in poll).
                sock.settimeout(opts.timeout)
                if hasattr(select, "poll"):
                    self._poll = select.poll()
                    self._poll.register(sock.fileno(), select.POLLIN)
                self._sock, self._protocol, self._error = sock, protocol, None
                self.last_received = time.monotonic()
                return
            sock.close()  # the server closes a rejected connection; retry on a new one
            if event.retry_version is None:
                raise event.error(str(self.address))
            version = event.retry_version

    def _open_socket(self, deadline: float | None) -> socket.socket:
        address, opts = self.address, self._options
        try:
            sock = socket.create_connection(
                (address.host, address.port), timeout=_positive(_remaining(deadline))
            )
        except TimeoutError:
            raise RequestTimeoutError(
                f"connecting to {address} timed out (handshake_timeout {opts.connect_timeout} s)",
                node=str(address),
                op="HANDSHAKE",
            ) from None
        except OSError as exc:
            raise SocketError(f"cannot connect to {address}: {exc}", node=str(address)) from exc
        try:
            if opts.tcp_nodelay:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            if opts.ssl_context is not None:
                sock = opts.ssl_context.wrap_socket(
                    sock, server_hostname=opts.server_hostname or address.host
                )
        except TimeoutError:
            sock.close()
            raise RequestTimeoutError(
                f"TLS with {address} timed out (handshake_timeout {opts.connect_timeout} s)",
                node=str(address),
                op="HANDSHAKE",
            ) from None
        except OSError as exc:
            sock.close()
            raise SocketError(f"TLS with {address} failed: {exc}", node=str(address)) from exc
        return sock

    def _send_handshake(self, sock: socket.socket, protocol: ProtocolConnection) -> None:
        try:
            sock.sendall(protocol.start_handshake())
        except OSError as exc:  # e.g. reset by the peer between connect and send
            failure = self._handshake_failure(exc)
            raise failure from failure.__cause__

    def _handshake_failure(self, exc: OSError) -> SocketError:
        """The typed error of a socket error during the handshake (send or receive)."""
        if isinstance(exc, TimeoutError):
            return RequestTimeoutError(
                f"handshake with {self.address} timed out "
                f"(handshake_timeout {self._options.connect_timeout} s)",
                node=str(self.address),
                op="HANDSHAKE",
            )
        error = SocketError(f"handshake with {self.address} failed: {exc}", node=str(self.address))
        error.__cause__ = exc
        return error

    def _read_handshake(
        self, sock: socket.socket, protocol: ProtocolConnection, deadline: float | None
    ) -> HandshakeAccepted | HandshakeRejected:
        while True:
            try:
                event = protocol.next_event()
            except ProtocolError as exc:  # the same error, and words, as the asyncio client
                raise HandshakeError(
                    f"malformed handshake answer from {self.address}: {exc.message}",
                    node=str(self.address),
                ) from exc
            if isinstance(event, (HandshakeAccepted, HandshakeRejected)):
                return event
            if isinstance(event, ConnectionClosed):
                raise HandshakeError(
                    f"{self.address} closed the connection during the handshake "
                    f"{handshake_hint(self._options)}",
                    node=str(self.address),
                )
            sock.settimeout(_positive(_remaining(deadline)))
            try:
                data = sock.recv(_RECV_SIZE)
            except OSError as exc:
                failure = self._handshake_failure(exc)
                raise failure from failure.__cause__
            protocol.receive_data(data)

    # -- requests ------------------------------------------------------------------------

    def request(self, op: int, payload: Buffer, timeout: float | None = None) -> Response:
        """Send one request and wait for its response (``timeout`` overrides the default)."""
        if timeout is None:
            timeout = self._options.timeout
        sent_at = time.monotonic()
        deadline = None if timeout is None else sent_at + timeout
        self.last_activity = sent_at
        request_id = self._send(op, payload)
        return self._wait(request_id, deadline, op, sent_at)

    def _send(self, op: int, payload: Buffer) -> int:
        with self._send_lock:
            self._check_open()
            protocol = self.protocol
            request_id, data = protocol.send_request(op, payload)
            with self._lock:
                self._responses[request_id] = None  # registered: a reader files its answer
            sock = self._sock
            assert sock is not None
            try:
                sock.sendall(data)
            except TimeoutError:
                # The frame may be half-written: nothing else can follow it on this socket.
                message = (
                    f"sending to {self.address} did not finish within "
                    f"{self._options.timeout} s (op {op_name(op)}): the node stopped reading"
                )
                if evict_after_send_timeout():
                    self._fail(SocketError(message + "; connection closed"))
                raise RequestTimeoutError(message, node=str(self.address), op=op_name(op)) from None
            except OSError as exc:
                self._fail(SocketError(f"sending to {self.address} failed: {exc}"))
                raise self._error_for(exc) from exc
        return request_id

    def _wait(self, request_id: int, deadline: float | None, op: int, sent_at: float) -> Response:
        try:
            return self._wait_for(request_id, deadline, op)
        except RequestTimeoutError as exc:
            protocol = self._protocol
            if self.is_open and protocol is not None and op != OpCode.HEARTBEAT:
                verdict = after_timeout(
                    sent_at=sent_at,
                    last_received=self.last_received,
                    partial_frame=protocol.has_partial_frame,
                    can_probe=protocol.supports(Feature.HEARTBEAT),
                )
                if verdict == EVICT:  # every later call here would time out too
                    self._fail(SocketError(f"{exc.message}; connection closed"))
                elif verdict == PROBE and not self.suspect:
                    self.suspect = True
                    spawn(self._probe)
            raise

    def _probe(self) -> None:
        """Ping a suspect connection: an answer clears it, silence evicts it."""
        try:
            self.request(OpCode.HEARTBEAT, b"", probe_timeout(self._options.timeout))
        except RequestTimeoutError as exc:
            self._fail(SocketError(f"no answer to a heartbeat: {exc.message}; connection closed"))
        except IgniteError:
            pass  # the connection failed anyway
        self.suspect = False

    def _wait_for(self, request_id: int, deadline: float | None, op: int) -> Response:
        cond = self._cond
        with cond:
            while True:
                answer = self._responses.get(request_id)
                if isinstance(answer, Response):
                    del self._responses[request_id]
                    return answer
                if self._error is not None:
                    self._responses.pop(request_id, None)
                    raise self._error_for(None)
                remaining = _remaining(deadline)
                if remaining is not None and remaining <= 0:
                    self._responses[request_id] = _ABANDONED
                    raise RequestTimeoutError(
                        f"no answer from {self.address} within {self._options.timeout} s "
                        f"(op {op_name(op)})",
                        node=str(self.address),
                        op=op_name(op),
                    )
                if self._reading:
                    cond.wait(remaining)
                    continue
                self._reading = True
                cond.release()
                try:
                    self._read_once(remaining)
                finally:
                    cond.acquire()
                    self._reading = False
                    cond.notify_all()

    def _read_once(self, timeout: float | None) -> None:
        """Read what the socket has (up to ``timeout``) and file every complete response."""
        sock, protocol = self._sock, self._protocol
        if sock is None or protocol is None:
            return
        try:
            if not self._readable(sock, timeout):
                return
            data = sock.recv(_RECV_SIZE)
        except TimeoutError:
            return
        except (OSError, ValueError) as exc:  # ValueError: closed by another thread
            self._fail(SocketError(f"reading from {self.address} failed: {exc}"))
            return
        if data:
            self.last_received = time.monotonic()
        try:
            protocol.receive_data(data)
            events = []
            while True:
                event = protocol.next_event()
                if isinstance(event, NeedData):
                    break
                if isinstance(event, ConnectionClosed):
                    self._fail(SocketError(f"{self.address} closed the connection"))
                    break
                events.append(event)
        except ProtocolError as exc:
            self._fail(exc)
            return
        with self._lock:
            for event in events:
                if isinstance(event, Response):
                    waiting = self._responses.get(event.request_id, _ABANDONED)
                    if waiting is _ABANDONED:
                        self._responses.pop(event.request_id, None)
                    else:
                        self._responses[event.request_id] = event
        for event in events:
            if isinstance(event, Notification):
                self.notifications.dispatch(event)
                if self._on_notification is not None:
                    self._on_notification(event)

    def pump(self, timeout: float) -> None:
        """Read for up to ``timeout`` s while no request is waiting, so that notifications
        (continuous query events) arrive; returns early when another thread is reading."""
        cond = self._cond
        with cond:
            self._check_open()
            if self._reading:
                cond.wait(timeout)
                return
            self._reading = True
        try:
            self._read_once(timeout)
        finally:
            with cond:
                self._reading = False
                cond.notify_all()

    def _readable(self, sock: socket.socket, timeout: float | None) -> bool:
        """Wait up to ``timeout`` for bytes, without touching the socket's (send) timeout."""
        pending = getattr(sock, "pending", None)
        if pending is not None and pending():
            return True  # TLS bytes already decrypted: poll would not see them
        if self._poll is not None:
            ms = None if timeout is None else max(int(timeout * 1000), 0)
            return bool(self._poll.poll(ms))
        readable, _, _ = select.select([sock], [], [], timeout)
        return bool(readable)

    def probe(self) -> None:
        """Notice, without waiting, a peer that has closed (``repr`` shows the truth).

        Only when no other thread is reading: it then reads what is there (files any
        responses) and an end of stream closes the connection.
        """
        with self._lock:
            if self._reading or not self.is_open:
                return
            self._reading = True
        try:
            self._read_once(0.0)
        finally:
            with self._lock:
                self._reading = False
                self._cond.notify_all()

    # -- failure and closing -------------------------------------------------------------

    def _check_open(self) -> None:
        if self._error is not None:
            raise self._error_for(None)
        if self._sock is None:
            raise SocketError(f"connection to {self.address} is closed", node=str(self.address))

    def _error_for(self, cause: BaseException | None) -> IgniteError:
        error = self._error
        if error is None:
            return SocketError(f"connection to {self.address} failed: {cause}")
        if isinstance(error, SocketError):
            return SocketError(error.message, node=str(self.address))
        return error

    def _fail(self, error: IgniteError) -> None:
        """Close the socket after a fatal error; waiters see ``error``."""
        error.node = str(self.address)
        with self._lock:
            first = self._error is None
            if first:
                self._error = error
            self._cond.notify_all()
        if first:
            events.lost(self._options, self.address, self.node_id, error)
            self.notifications.fail(self._error_for(None))
        sock = self._sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()

    def close(self) -> None:
        """Close the socket; waiting requests fail with ``SocketError``."""
        sock, self._sock = self._sock, None
        with self._lock:
            was_open = self._error is None
            if was_open:
                self._error = SocketError(f"connection to {self.address} was closed")
            self._cond.notify_all()
        if was_open and sock is not None:
            events.closed(self._options, self.address, self.node_id)
        self.notifications.fail(self._error_for(None))
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def _positive(timeout: float | None) -> float | None:
    if timeout is None:
        return None
    return max(timeout, 0.001)


# -- helpers the client uses where sync and asyncio differ in kind, not in logic ----------

_POOL_LOCK = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    """One shared pool for fan-out (per-node batches, connecting to several nodes)."""
    global _pool
    with _POOL_LOCK:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="ignite-wire")
        return _pool


def connect_all(
    addresses: Sequence[Address], options: ConnectOptions
) -> list[SyncConnection | IgniteError]:
    """Open connections to all ``addresses`` at once; each slot is a connection or its error.

    Concurrency matters: a dead node must cost one connect timeout in all, not one each.
    """

    def one(address: Address) -> SyncConnection | IgniteError:
        conn = SyncConnection(address, options)
        try:
            conn.connect()
        except IgniteError as exc:
            return exc
        return conn

    if len(addresses) == 1:
        return [one(addresses[0])]
    return list(_executor().map(one, addresses))


def gather(thunks: Sequence[Callable[[], T]]) -> list[T]:
    """Run the calls concurrently; the first error propagates after all have finished."""
    if len(thunks) == 1:
        return [thunks[0]()]
    futures = [_executor().submit(t) for t in thunks]
    errors = [f.exception() for f in futures]
    for error in errors:
        if error is not None:
            raise error
    return [f.result() for f in futures]


def spawn(fn: Callable[..., object], *args: object) -> threading.Thread:
    """Run ``fn(*args)`` in the background (a daemon thread; its errors are its own)."""
    thread = threading.Thread(target=fn, args=args, daemon=True, name="ignite-wire-background")
    thread.start()
    return thread


def join(handle: threading.Thread, seconds: float) -> None:
    """Wait up to ``seconds`` for a background job (not from inside it) to end."""
    if handle is not threading.current_thread():
        handle.join(seconds)


def new_event() -> threading.Event:
    """An event a background loop sleeps on, so that close() wakes it at once."""
    return threading.Event()


def wait_event(event: threading.Event, seconds: float) -> bool:
    """Sleep up to ``seconds``; True as soon as ``event`` is set."""
    return event.wait(seconds)


def sleep(seconds: float) -> None:
    """Back off between retries."""
    time.sleep(seconds)
