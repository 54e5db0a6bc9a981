"""The asyncio protocol under an :class:`~.aio.AioConnection`: bytes in, events out.

asyncio calls it (``data_received``, ``eof_received``, ``connection_lost``, flow control);
it feeds the sans-IO :class:`~ignite_wire._protocol.connection.ProtocolConnection` and
hands each event to its owner: a response to the future of its request id, a
notification to the subscribers, the handshake's answer to :attr:`AioWire.handshake`.
One wire per socket; a handshake retried on another version gets a new wire, and a wire
its owner has replaced never fails the owner.  A malformed frame aborts the transport.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from typing import TYPE_CHECKING

from .._protocol.connection import ConnectionClosed, NeedData, ProtocolConnection
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
        self.handshake: asyncio.Future[HandshakeAccepted | HandshakeRejected] = (
            asyncio.get_running_loop().create_future()
        )
        self.can_write = asyncio.Event()
        self.can_write.set()
        #: Done once the transport is closed (a TLS one only after its close_notify).
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None and self.owner._options.tcp_nodelay:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        protocol = self.protocol
        self.owner.last_received = time.monotonic()
        try:
            protocol.receive_data(data)
            while True:
                event = protocol.next_event()
                if isinstance(event, NeedData):
                    return
                if isinstance(event, Response):
                    self.owner._deliver(event)
                elif isinstance(event, (HandshakeAccepted, HandshakeRejected)):
                    if not self.handshake.done():
                        self.handshake.set_result(event)
                elif isinstance(event, Notification):
                    self.owner._notify(event)
                elif isinstance(event, ConnectionClosed):
                    self._lost(SocketError(f"{self.owner.address} closed the connection"))
                    return
        except ProtocolError as exc:
            if not self.handshake.done():  # the same error, and words, as the sync client
                self.handshake.set_exception(
                    HandshakeError(
                        f"malformed handshake answer from {self.owner.address}: {exc.message}",
                        node=str(self.owner.address),
                    )
                )
            self._lost(exc)
            if self.transport is not None:
                self.transport.abort()

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
        self.can_write.set()
        if not self.closed.done():
            self.closed.set_result(None)

    def pause_writing(self) -> None:
        self.can_write.clear()

    def resume_writing(self) -> None:
        self.can_write.set()
