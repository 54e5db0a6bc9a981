"""Opening a blocking connection: TCP, TLS, and the handshake with version fallback.

Split from :mod:`.sync` because it is a different life stage with different rules: the
whole of it is bounded by one deadline (``handshake_timeout``, pyignite's name for
``connect_timeout``) enforced through the socket's own timeout, whereas an open
connection bounds each read with ``poll`` and each send with the request timeout.  A
server that rejects the offered version closes the socket; the next offer goes on a new
one.  Every failure is typed and names the node and the stage (connect, TLS, handshake).
"""

from __future__ import annotations

import socket
import time

from .._protocol.connection import ConnectionClosed, ProtocolConnection
from .._protocol.handshake import HandshakeAccepted, HandshakeRejected
from ..exceptions import HandshakeError, ProtocolError, RequestTimeoutError, SocketError
from .deadline import deadline_after, remaining, socket_timeout
from .options import Address, ConnectOptions, handshake_hint

__all__ = ["RECV_SIZE", "open_handshaken"]

#: Bytes asked of ``recv`` at a time.
RECV_SIZE = 256 * 1024


def open_handshaken(
    address: Address, opts: ConnectOptions
) -> tuple[socket.socket, ProtocolConnection]:
    """A socket to ``address`` whose handshake the server accepted, and its protocol state.

    The socket's timeout is the request timeout on return (it bounds sends only).
    """
    deadline = deadline_after(opts.connect_timeout, time.monotonic())
    version = opts.protocol_version
    while True:
        protocol = ProtocolConnection(
            features=opts.features,
            credentials=opts.credentials,
            version=version,
            max_frame_size=opts.max_frame_size,
        )
        sock = _open_socket(address, opts, deadline)
        try:
            _send_handshake(address, opts, sock, protocol)
            event = _read_handshake(address, opts, sock, protocol, deadline)
        except BaseException:
            sock.close()
            raise
        if isinstance(event, HandshakeAccepted):
            sock.settimeout(opts.timeout)
            return sock, protocol
        sock.close()  # the server closes a rejected connection; retry on a new one
        if event.retry_version is None:
            raise event.error(str(address))
        version = event.retry_version


def _open_socket(address: Address, opts: ConnectOptions, deadline: float | None) -> socket.socket:
    try:
        sock = socket.create_connection(
            (address.host, address.port),
            timeout=socket_timeout(remaining(deadline, time.monotonic())),
        )
    except TimeoutError:
        raise _timed_out("connecting to", address, opts) from None
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
        raise _timed_out("TLS with", address, opts) from None
    except OSError as exc:
        sock.close()
        raise SocketError(f"TLS with {address} failed: {exc}", node=str(address)) from exc
    return sock


def _send_handshake(
    address: Address, opts: ConnectOptions, sock: socket.socket, protocol: ProtocolConnection
) -> None:
    try:
        sock.sendall(protocol.start_handshake())
    except OSError as exc:  # e.g. reset by the peer between connect and send
        failure = _handshake_failure(address, opts, exc)
        raise failure from failure.__cause__


def _handshake_failure(address: Address, opts: ConnectOptions, exc: OSError) -> SocketError:
    """The typed error of a socket error during the handshake (send or receive)."""
    if isinstance(exc, TimeoutError):
        return _timed_out("handshake with", address, opts)
    error = SocketError(f"handshake with {address} failed: {exc}", node=str(address))
    error.__cause__ = exc
    return error


def _read_handshake(
    address: Address,
    opts: ConnectOptions,
    sock: socket.socket,
    protocol: ProtocolConnection,
    deadline: float | None,
) -> HandshakeAccepted | HandshakeRejected:
    while True:
        try:
            event = protocol.next_event()
        except ProtocolError as exc:  # the same error, and words, as the asyncio client
            raise HandshakeError(
                f"malformed handshake answer from {address}: {exc.message}",
                node=str(address),
            ) from exc
        if isinstance(event, (HandshakeAccepted, HandshakeRejected)):
            return event
        if isinstance(event, ConnectionClosed):
            raise HandshakeError(
                f"{address} closed the connection during the handshake {handshake_hint(opts)}",
                node=str(address),
            )
        sock.settimeout(socket_timeout(remaining(deadline, time.monotonic())))
        try:
            data = sock.recv(RECV_SIZE)
        except OSError as exc:
            failure = _handshake_failure(address, opts, exc)
            raise failure from failure.__cause__
        protocol.receive_data(data)


def _timed_out(stage: str, address: Address, opts: ConnectOptions) -> RequestTimeoutError:
    """The error of a stage of opening that outlived ``handshake_timeout``."""
    return RequestTimeoutError(
        f"{stage} {address} timed out (handshake_timeout {opts.connect_timeout} s)",
        node=str(address),
        op="HANDSHAKE",
    )
