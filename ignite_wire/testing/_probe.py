"""A minimal thin-client handshake, used only to tell that a node accepts clients.

The harness must not depend on the client it is there to test, so this speaks the one
message it needs by hand: a protocol 1.7.0 handshake with no feature bits.  Any answer
with the success byte means the connector is up; a refusal raises ``OSError`` so the
caller retries until its deadline.
"""

from __future__ import annotations

import socket
import ssl
import struct

from ._tls import TlsFiles

__all__ = ["probe_thin_client"]


def _string(text: str) -> bytes:
    data = text.encode("utf-8")
    return b"\x09" + struct.pack("<i", len(data)) + data


def _handshake(username: str | None, password: str | None) -> bytes:
    body = struct.pack("<bhhhb", 1, 1, 7, 0, 2) + b"\x0c" + struct.pack("<i", 0)
    if username is not None and password is not None:
        body += _string(username) + _string(password)
    return struct.pack("<i", len(body)) + body


def _recv_exactly(sock: socket.socket, n: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < n:
        chunk = sock.recv(n - len(chunks))
        if not chunk:
            raise ConnectionResetError("the node closed the connection during the handshake")
        chunks += chunk
    return bytes(chunks)


def probe_thin_client(
    host: str,
    port: int,
    *,
    tls: TlsFiles | None = None,
    username: str | None = None,
    password: str | None = None,
    timeout: float = 5.0,
) -> None:
    """Do one handshake with the node; raise ``OSError`` unless it succeeds."""
    raw = socket.create_connection((host, port), timeout=timeout)
    sock: socket.socket = raw
    try:
        if tls is not None:
            context = ssl.create_default_context(cafile=str(tls.ca_cert))
            context.load_cert_chain(str(tls.client_cert), str(tls.client_key))
            sock = context.wrap_socket(raw, server_hostname=host)
        sock.sendall(_handshake(username, password))
        (length,) = struct.unpack("<i", _recv_exactly(sock, 4))
        if not 0 < length < 1 << 20:
            raise ConnectionError(f"implausible handshake answer length {length}")
        answer = _recv_exactly(sock, length)
        if answer[0] != 1:
            raise ConnectionRefusedError("the node refused the handshake")
    finally:
        sock.close()
