"""The asyncio protocol under an :class:`~.aio.AioConnection`: bytes in, events out.

asyncio calls it (``data_received``, ``eof_received``, ``connection_lost``, flow control);
it feeds the sans-IO :class:`~ignite_wire._protocol.connection.ProtocolConnection` and
hands each event to its owner: a response to the future of its request id, a
notification to the subscribers, the handshake's answer to :attr:`AioWire.handshake`.
One wire per socket; a handshake retried on another version gets a new wire, and a wire
its owner has replaced never fails the owner.  A malformed frame aborts the transport.

**Writes are coalesced.**  :meth:`AioWire.send` only queues a frame; the first frame
queued schedules one flush (``call_soon``), so every request made in one pass of the event
loop (64 tasks woken by one batch of responses, say) reaches the socket in one
``transport.write``, one ``send`` and usually one TCP segment.  Each write costs the node a
selector wake-up and a read, which is what made the nodes spend twice Java's CPU per op.
A queued frame is always written whole or not at all: the flush writes everything queued
at once, and drops it only when the transport is already closing, by which time the
connection has failed every pending request with a typed error.  Cancelling a task after
its frame was queued therefore never leaves half a frame on the stream.

**Reads are parsed in one call.**  ``data_received`` takes every event of a read from
:meth:`~ignite_wire._protocol.connection.ProtocolConnection.next_events` (dozens of
answers when 64 tasks wait) and resolves their futures in one loop, not four calls per
frame; the answers that came before a malformed frame are still handed out, then the
connection fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from typing import TYPE_CHECKING

from .._protocol.connection import ConnectionClosed, Event, ProtocolConnection
from .._protocol.handshake import HandshakeAccepted, HandshakeRejected
from .._protocol.messages import Notification, Response
from ..exceptions import HandshakeError, IgniteError, ProtocolError, SocketError
from .options import handshake_hint

if TYPE_CHECKING:
    from .aio import AioConnection

__all__ = ["AioWire"]


class AioWire(asyncio.Protocol):
    """The asyncio side: bytes in, events out to the owning :class:`AioConnection`."""

    def __init__(self, owner: AioConnection, protocol: ProtocolConnection) -> None:
        self.owner = owner
        self.protocol = protocol
        self.transport: asyncio.Transport | None = None
        #: The loop this wire runs on (requests take it from here: no lookup per call).
        self.loop = asyncio.get_running_loop()
        self.handshake: asyncio.Future[HandshakeAccepted | HandshakeRejected] = (
            self.loop.create_future()
        )
        self.can_write = asyncio.Event()
        self.can_write.set()
        #: ``can_write.is_set()``, as a plain attribute: every request reads it.
        self.writable = True
        #: Done once the transport is closed (a TLS one only after its close_notify).
        self.closed: asyncio.Future[None] = self.loop.create_future()
        #: Frames queued in this loop pass, written by :meth:`_flush` in one call.
        self._outgoing: list[bytes] = []
        #: How many writes the flushes made (how well requests are coalesced).
        self.writes = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None and self.owner._options.tcp_nodelay:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, frame: bytes) -> None:
        """Queue ``frame``; it is written, with every frame queued after it in this pass
        of the event loop, by one flush (the first frame queued schedules it)."""
        outgoing = self._outgoing
        outgoing.append(frame)
        if len(outgoing) == 1:
            self.loop.call_soon(self._flush)

    def flush_now(self) -> None:
        """Write what is queued now, not at the end of this loop pass: a request whose
        answer is wanted later, while the caller goes on without yielding (a cursor's
        next page: ``_aio_exchange.Begun``)."""
        if self._outgoing:
            self._flush()

    def _flush(self) -> None:
        outgoing, self._outgoing = self._outgoing, []
        if not outgoing:
            return  # flushed early by flush_now()
        transport = self.transport
        if transport is None or transport.is_closing():
            return  # failed or closed: the owner has failed every request queued here
        self.writes += 1
        transport.write(outgoing[0] if len(outgoing) == 1 else b"".join(outgoing))

    def data_received(self, data: bytes) -> None:
        protocol = self.protocol
        owner = self.owner
        owner.last_received = time.monotonic()
        events: list[Event] = []
        try:
            protocol.receive_data(data)
            protocol.next_events(events)  # every frame of this read, parsed in one call
        except ProtocolError as exc:
            self._dispatch(events)  # what arrived before the bad frame is still answered
            if not self.handshake.done():  # the same error, and words, as the sync client
                self.handshake.set_exception(
                    HandshakeError(
                        f"malformed handshake answer from {owner.address}: {exc.message}",
                        node=str(owner.address),
                    )
                )
            self._lost(exc)
            if self.transport is not None:
                self.transport.abort()
            return
        self._dispatch(events)

    def _dispatch(self, events: list[Event]) -> None:
        """Hand each event to its owner: a response to its request's future (a request
        that timed out or was cancelled is gone: its late answer is dropped)."""
        owner = self.owner
        pending = owner._pending
        for event in events:
            if type(event) is Response:
                future = pending.pop(event.request_id, None)
                if future is not None and not future.done():
                    future.set_result(event)
            elif isinstance(event, (HandshakeAccepted, HandshakeRejected)):
                if not self.handshake.done():
                    self.handshake.set_result(event)
            elif isinstance(event, Notification):
                owner._notify(event)
            elif isinstance(event, ConnectionClosed):
                self._lost(SocketError(f"{owner.address} closed the connection"))

    def _lost(self, error: IgniteError) -> None:
        # A wire replaced by a newer one (handshake fallback) must not fail its successor.
        if self.owner._wire is self:
            self.owner._fail(error)

    def eof_received(self) -> bool | None:
        self._lost(SocketError(f"{self.owner.address} closed the connection"))
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        reason = f": {exc}" if exc else ""
        self._lost(SocketError(f"connection to {self.owner.address} lost{reason}"))
        if not self.handshake.done():
            self.handshake.set_exception(
                HandshakeError(
                    f"{self.owner.address} closed the connection during the handshake "
                    f"{handshake_hint(self.owner._options)}",
                    node=str(self.owner.address),
                )
            )
        self.writable = True
        self.can_write.set()
        if not self.closed.done():
            self.closed.set_result(None)

    def pause_writing(self) -> None:
        self.writable = False
        self.can_write.clear()

    def resume_writing(self) -> None:
        self.writable = True
        self.can_write.set()
