"""A scriptable fake Ignite node on loopback, for what a real node will not do on request.

Shared by the transport-fault tests and the reliability suite: a real node never sends a
malformed frame, never stalls on purpose and never stops reading; this one does, on cue.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Callable, Iterator

import pytest

__all__ = [
    "HANDSHAKE_OK",
    "NODE_ID",
    "FakeServer",
    "Script",
    "accept_then",
    "fake_server",
    "read_frame",
    "reject",
    "request_id_of",
    "response",
]

NODE_ID = bytes.fromhex("0a" + "efcdab8967452301" + "1032547698badcfe")
HANDSHAKE_OK = struct.pack("<ib", 1 + 1 + 4 + len(NODE_ID), 1) + b"\x0c" + struct.pack("<i", 0)
HANDSHAKE_OK += NODE_ID
#: The size of a 1.7.0 handshake request with the default feature bits and no credentials.
_HEADER = struct.Struct("<i")


def reject(major: int, minor: int, patch: int) -> bytes:
    """A rejection naming the version the server speaks."""
    message = b"Unsupported version."
    body = b"\x00" + struct.pack("<hhh", major, minor, patch)
    body += b"\x09" + struct.pack("<i", len(message)) + message + struct.pack("<i", 1)
    return _HEADER.pack(len(body)) + body


def response(request_id: int, payload: bytes = b"") -> bytes:
    body = struct.pack("<qh", request_id, 0) + payload
    return _HEADER.pack(len(body)) + body


def read_frame(conn: socket.socket) -> bytes | None:
    head = _recv_exactly(conn, 4)
    if head is None:
        return None
    (size,) = _HEADER.unpack(head)
    return _recv_exactly(conn, size)


def _recv_exactly(conn: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def request_id_of(frame: bytes) -> int:
    return int(struct.unpack_from("<q", frame, 2)[0])


Script = Callable[[socket.socket, int], None]


class FakeServer:
    """Accepts connections on 127.0.0.1 and runs ``script(conn, n)`` for the n-th one."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            n = self.accepted
            self.accepted += 1
            threading.Thread(target=self._run, args=(conn, n), daemon=True).start()

    def _run(self, conn: socket.socket, n: int) -> None:
        with conn, contextlib.suppress(OSError):
            self.script(conn, n)

    def close(self) -> None:
        # shutdown() wakes the thread blocked in accept(); close() alone would leave the
        # port listening until that accept() returned.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()


@pytest.fixture
def fake_server() -> Iterator[Callable[[Script], FakeServer]]:
    servers: list[FakeServer] = []

    def start(script: Script) -> FakeServer:
        server = FakeServer(script)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def accept_then(handler: Callable[[socket.socket, bytes], bool]) -> Script:
    """Handshake OK, then ``handler(conn, frame)`` per request until it returns False."""

    def script(conn: socket.socket, n: int) -> None:
        if read_frame(conn) is None:
            return
        conn.sendall(HANDSHAKE_OK)
        while (frame := read_frame(conn)) is not None:
            if not handler(conn, frame):
                return

    return script
