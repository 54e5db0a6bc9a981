"""One blocking connection to one node, safe to share between threads.

Requests are multiplexed: any thread may send while others wait, and responses are
matched to their requests by id.  Reading follows the leader/follower pattern: the first
waiting thread that finds no reader becomes the reader, reads until its own response is
in, files every other response it meets (:mod:`.received`) and wakes the waiters.  So a
slow query does not block a fast get issued later from another thread, and no thread is
dedicated to reading (nothing to leak, nothing to stop).  Writes are coalesced the same
way: a thread queues its frame, then takes the send lock and writes *everything* queued
by then in one send; a thread whose frame another thread has already written finds the
queue empty.  So threads that send at once share one system call, and ``_send`` returns
only once its frame is written (or the connection failed).

A request that times out is forgotten: its late response is dropped on arrival.  Whether
the connection is kept is :mod:`.._protocol.health`'s decision: a silent peer or a frame
left half-read closes it (every later call would time out too).  Sends are bounded by the
request timeout as well (:mod:`.sync_io`, the socket calls): a peer that stops reading
costs one timeout, then the connection is closed, failing every frame queued with it.  A
socket or protocol error closes the connection and fails every waiter with that error.
Opening (TCP, TLS, handshake) is :mod:`.sync_connect`; background threads, :mod:`.threads`.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import NoReturn

from .._protocol.connection import ProtocolConnection
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
from ..exceptions import IgniteError, ProtocolError, RequestTimeoutError, SocketError
from . import events
from .options import Address, ConnectOptions
from .received import drain_events, file_responses
from .sync_connect import open_handshaken
from .sync_io import SocketIO, socket_io
from .threads import executor, gather, join, new_event, sleep, spawn, wait_event

__all__ = [
    "Ahead",
    "SyncConnection",
    "connect_all",
    "gather",
    "join",
    "new_event",
    "sleep",
    "spawn",
    "wait_event",
]

_ABANDONED = object()


#: The reusable read buffer of each connection.  64 KiB: a bigger one costs the kernel
#: more per ``recv_into`` (256 KiB measured 4-5x slower per small answer), and a client
#: that connects and fails many times (a hostile or flapping node) holds one per
#: connection object until the garbage collector takes it.
_READ_BUFFER = 64 * 1024


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
        self._io: SocketIO | None = None
        #: Frames queued under ``_lock``, written by whichever thread holds the send lock.
        self._outgoing: list[bytes] = []
        self._protocol: ProtocolConnection | None = None
        self._send_lock = threading.Lock()
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._reading = False
        #: Threads waiting on ``_cond`` for the reader (no waiter: no ``notify_all``).
        self._followers = 0
        self._responses: dict[int, Response | object] = {}
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
        sock, protocol = open_handshaken(self.address, self._options)
        self._io = socket_io(sock, self._options.timeout, _READ_BUFFER)
        self._sock, self._protocol, self._error = sock, protocol, None
        self.last_received = time.monotonic()

    # -- requests ------------------------------------------------------------------------

    def request(self, op: int, payload: Buffer, timeout: float | None = None) -> Response:
        """Send one request and wait for its response (``timeout`` overrides the default).

        The usual call finds the connection idle (no thread reading, no frame queued): it
        then registers its request and becomes the reader at once, under the lock, sends
        under the send lock and reads its own answer, all in this one frame (the
        single-key short path's every call, issue 12).  The locks, their order and every
        outcome are those of the general way (:meth:`_send` then :meth:`_wait_for`), which
        anything else takes, and which this one joins when the read brought anything but
        exactly its own answer: a thread that comes meanwhile finds a reader and follows.
        """
        if timeout is None:
            timeout = self._options.timeout
        lock = self._lock
        lock.acquire()
        protocol = self._protocol
        if (
            self._reading
            or self._outgoing
            or protocol is None
            or self._error is not None
            or self._sock is None
        ):
            lock.release()
            return self._request(op, payload, timeout)
        try:
            sent_at = self.last_activity = time.monotonic()
            request_id, data = protocol.send_request(op, payload)
            self._responses[request_id] = None  # registered: a reader files its answer
            self._reading = True  # the reader: a thread that comes meanwhile follows
        finally:
            lock.release()
        deadline = None if timeout is None else sent_at + timeout
        mine: Response | None = None
        # The locks by acquire/release, not ``with``: a ``with`` makes two bound methods
        # (__enter__, __exit__) each time, an explicit call none (issue 12).
        send_lock = self._send_lock
        try:
            send_lock.acquire()
            try:
                io = self._io
                if self._error is not None or io is None:
                    raise self._error_for(None)  # failed while we waited: nothing to write
                try:
                    io.send_all(data)
                except (OSError, ValueError) as exc:  # TimeoutError is an OSError
                    self._send_failed(exc, op)
            finally:
                send_lock.release()
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is None or remaining > 0:
                mine = self._read_once(remaining, request_id)
        finally:
            lock.acquire()
            try:
                self._reading = False
                if self._followers:
                    self._cond.notify_all()
                if mine is not None:  # our answer alone, handed over without filing
                    del self._responses[request_id]
            finally:
                lock.release()
        if mine is not None:
            return mine
        try:
            return self._wait_for(request_id, deadline, op)
        except RequestTimeoutError as exc:
            self._timed_out(exc, op, sent_at)
            raise

    def _request(self, op: int, payload: Buffer, timeout: float | None) -> Response:
        """:meth:`request` the general way: the frame queued, written by whichever thread
        holds the send lock, the answer awaited as the reader or a follower."""
        sent_at = self.last_activity = time.monotonic()
        request_id = self._send(op, payload)
        try:
            return self._wait_for(request_id, None if timeout is None else sent_at + timeout, op)
        except RequestTimeoutError as exc:
            self._timed_out(exc, op, sent_at)
            raise

    def request_ahead(self, op: int, payload: Buffer) -> Ahead:
        """Send one request now; :meth:`Ahead.wait` gives its response later, from any
        thread (a cursor's next page, sent by the consumer while it reads the current
        one: see ``_aio_exchange.Begun``)."""
        self.last_activity = time.monotonic()
        return Ahead(self, self._send(op, payload), op)

    def _abandon(self, request_id: int) -> None:
        """Nobody will wait for ``request_id``: drop its response (now or when it comes).

        Without the lock, since it may run from a finalizer on a thread that holds it:
        a reader filing the response between the two steps drops it (its slot is gone).
        """
        if self._responses.pop(request_id, _ABANDONED) is None:
            self._responses[request_id] = _ABANDONED

    def _send(self, op: int, payload: Buffer) -> int:
        with self._lock:
            protocol = self._protocol
            if protocol is None or self._error is not None or self._sock is None:
                self._check_open()
                protocol = self.protocol
            request_id, data = protocol.send_request(op, payload)
            self._responses[request_id] = None  # registered: a reader files its answer
            self._outgoing.append(data)
        with self._send_lock:
            with self._lock:
                batch, self._outgoing = self._outgoing, []
            if not batch:
                return request_id  # written by the thread that held the lock before us
            io = self._io
            if self._error is not None or io is None:
                raise self._error_for(None)  # failed while we waited: nothing to write
            try:
                io.send_all(batch[0] if len(batch) == 1 else b"".join(batch))
            except (OSError, ValueError) as exc:  # TimeoutError is an OSError
                self._send_failed(exc, op)
        return request_id

    def _send_failed(self, exc: OSError | ValueError, op: int) -> NoReturn:
        """A write failed (the send lock held): close the connection or not as
        :mod:`.._protocol.health` says, and raise the request's error."""
        if isinstance(exc, TimeoutError):
            # The frame may be half-written: nothing else can follow it on this socket.
            message = (
                f"sending to {self.address} did not finish within "
                f"{self._options.timeout} s (op {op_name(op)}): the node stopped reading"
            )
            if evict_after_send_timeout():
                self._fail(SocketError(message + "; connection closed"))
            raise RequestTimeoutError(message, node=str(self.address), op=op_name(op)) from None
        # ValueError: closed by another thread
        self._fail(SocketError(f"sending to {self.address} failed: {exc}"))
        raise self._error_for(exc) from exc

    def _timed_out(self, exc: RequestTimeoutError, op: int, sent_at: float) -> None:
        """After a request timed out: keep, probe or evict the connection (health.py)."""
        protocol = self._protocol
        if protocol is None:
            return
        verdict = timeout_verdict_of(self, protocol, op, sent_at)
        if verdict == EVICT:  # every later call here would time out too
            self._fail(SocketError(f"{exc.message}; connection closed"))
        elif verdict == PROBE:
            self.suspect = True
            spawn(self._probe)

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
        with self._lock:  # the condition's own lock, without a Python-level __enter__
            while True:
                answer = self._responses.get(request_id)
                if isinstance(answer, Response):
                    del self._responses[request_id]
                    return answer
                if self._error is not None:
                    self._responses.pop(request_id, None)
                    raise self._error_for(None)
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    self._responses[request_id] = _ABANDONED
                    raise RequestTimeoutError(
                        f"no answer from {self.address} within {self._options.timeout} s "
                        f"(op {op_name(op)})",
                        node=str(self.address),
                        op=op_name(op),
                    )
                if self._reading:
                    self._follow(remaining)
                    continue
                self._reading = True
                cond.release()
                try:
                    mine = self._read_once(remaining, request_id)
                finally:
                    cond.acquire()
                    self._reading = False
                    if self._followers:
                        cond.notify_all()
                if mine is not None:  # our answer alone, handed over without filing
                    del self._responses[request_id]
                    return mine

    def _follow(self, timeout: float | None) -> None:
        """Wait (``_cond`` held) until the reading thread has read, up to ``timeout``."""
        self._followers += 1
        try:
            self._cond.wait(timeout)
        finally:
            self._followers -= 1

    def _read_once(self, timeout: float | None, own: int = -1) -> Response | None:
        """Read what the socket has (up to ``timeout``) and file every complete response.

        When the read brought exactly one response and it answers request ``own`` (the
        reader's own request, one at a time: the usual case), it is returned instead of
        filed (``ProtocolConnection.receive_whole``: no buffering, no event loop).
        """
        protocol, io = self._protocol, self._io
        if protocol is None or io is None:
            return None
        try:
            data = io.receive(timeout)
            if data is None:
                return None
        except TimeoutError:
            return None
        except (OSError, ValueError) as exc:  # ValueError: closed by another thread
            self._fail(SocketError(f"reading from {self.address} failed: {exc}"))
            return None
        try:
            if data:
                self.last_received = time.monotonic()
                whole = protocol.receive_whole(data)
                if whole is not None:
                    if whole.request_id == own:
                        return whole
                    with self._lock:
                        file_responses(self._responses, [whole], _ABANDONED)
                    return None
            else:
                protocol.receive_data(data)  # the end of the stream
            responses, notifications, closed = drain_events(protocol)
        except ProtocolError as exc:
            self._fail(exc)
            return None
        if responses:
            with self._lock:
                file_responses(self._responses, responses, _ABANDONED)
        if closed:
            self._fail(SocketError(f"{self.address} closed the connection"))
        for note in notifications:
            self.notifications.dispatch(note)
            if self._on_notification is not None:
                self._on_notification(note)
        return None

    def pump(self, timeout: float) -> None:
        """Read for up to ``timeout`` s while no request is waiting, so that notifications
        (continuous query events) arrive; returns early when another thread is reading."""
        cond = self._cond
        with cond:
            self._check_open()
            if self._reading:
                self._follow(timeout)
                return
            self._reading = True
        self._read_then_step_down(timeout)

    def probe(self) -> None:
        """Notice, without waiting, a peer that has closed (``repr`` shows the truth).

        Only when no other thread is reading: it then reads what is there (files any
        responses) and an end of stream closes the connection.
        """
        with self._lock:
            if self._reading or not self.is_open:
                return
            self._reading = True
        self._read_then_step_down(0.0)

    def _read_then_step_down(self, timeout: float) -> None:
        """Read once as the reader (``_reading`` set by the caller), then stop being it."""
        try:
            self._read_once(timeout)
        finally:
            with self._cond:
                self._reading = False
                if self._followers:
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
        self._io = None  # its read buffer goes with the connection, not with the object
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()

    def close(self) -> None:
        """Close the socket; waiting requests fail with ``SocketError``."""
        sock, self._sock = self._sock, None
        self._io = None
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


# -- helpers the client uses where sync and asyncio differ in kind, not in logic ----------


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
    return list(executor().map(one, addresses))


class Ahead:
    """A request sent by :meth:`SyncConnection.request_ahead`, its response not yet taken."""

    __slots__ = ("_conn", "_op", "_request_id")

    def __init__(self, conn: SyncConnection, request_id: int, op: int) -> None:
        self._conn: SyncConnection | None = conn
        self._request_id = request_id
        self._op = op

    def wait(self) -> Response:
        """The response, within the request timeout counted from now: the request went
        out early, and how long its consumer took to come for the answer is not the
        node's delay."""
        conn, self._conn = self._conn, None
        assert conn is not None, "Ahead.wait() called twice"
        timeout = conn._options.timeout
        started = time.monotonic()
        try:
            return conn._wait_for(
                self._request_id, None if timeout is None else started + timeout, self._op
            )
        except RequestTimeoutError as exc:
            conn._timed_out(exc, self._op, started)
            raise

    def __del__(self) -> None:
        conn = self._conn
        if conn is not None:  # never waited for (its cursor was dropped)
            conn._abandon(self._request_id)
