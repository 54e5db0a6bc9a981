"""The transports against a fake server, for what a real node will not do on request.

A real Ignite node never sends a malformed frame, never stays silent on purpose and never
rejects a version it speaks; these tests script a loopback server that does, and check
that both clients raise the project's typed errors, close cleanly and recover.
"""

from __future__ import annotations

import asyncio
import select
import socket
import struct
import threading
from collections.abc import Callable
from typing import Any

import pytest
from fake_node import (
    _HEADER,
    NODE_ID,
    Script,
    accept_then,
    read_frame,
    reject,
    request_id_of,
    response,
)

from ignite_wire import AioClient, Client
from ignite_wire._protocol.opcodes import OpCode
from ignite_wire.exceptions import (
    FrameTooLargeError,
    HandshakeError,
    ProtocolError,
    ReconnectError,
    RequestTimeoutError,
    SocketError,
)

pytestmark = pytest.mark.timeout(60)


def cluster_state_answer(conn: socket.socket, frame: bytes) -> bool:
    conn.sendall(response(request_id_of(frame), b"\x01"))
    return True


def run_both(fn: Callable[[Any], None], aio_fn: Callable[[Any], Any]) -> None:
    fn(Client)
    asyncio.run(aio_fn(AioClient))


def test_a_huge_length_prefix_is_refused_without_allocating(fake_server: Any) -> None:
    def hostile(conn: socket.socket, frame: bytes) -> bool:
        conn.sendall(_HEADER.pack(2**31 - 1) + b"\0" * 16)
        return True

    server = fake_server(accept_then(hostile))
    client = Client(max_frame_size=1 << 20)
    client.connect("127.0.0.1", server.port)
    with pytest.raises(FrameTooLargeError):
        client.get_cluster().get_state()
    # The connection was closed cleanly; the next call reconnects (and fails the same way).
    with pytest.raises(ProtocolError):
        client.get_cluster().get_state()
    assert server.accepted == 2
    client.close()


def test_garbage_response_is_a_protocol_error_and_closes(fake_server: Any) -> None:
    def garbage(conn: socket.socket, frame: bytes) -> bool:
        conn.sendall(_HEADER.pack(3) + b"\x01\x02\x03")  # shorter than any response header
        return True

    server = fake_server(accept_then(garbage))

    def sync(cls: Any) -> None:
        client = cls()
        client.connect("127.0.0.1", server.port)
        with pytest.raises(ProtocolError):
            client.get_cluster().get_state()
        client.close()

    async def aio(cls: Any) -> None:
        client = cls()
        await client.connect("127.0.0.1", server.port)
        with pytest.raises(ProtocolError):
            await client.get_cluster().get_state()
        await client.close()

    run_both(sync, aio)


def _withhold_first_on_first_connection() -> Script:
    """Connection 0 never answers its first request; later connections answer 2."""

    def script(conn: socket.socket, n: int) -> None:
        def handler(conn: socket.socket, frame: bytes) -> bool:
            rid = request_id_of(frame)
            if n == 0 and rid == 1:
                return True
            conn.sendall(response(rid, b"\x02"))
            return True

        accept_then(handler)(conn, n)

    return script


def test_timeout_on_a_silent_connection_evicts_it(fake_server: Any) -> None:
    """The peer sent nothing since the request: the connection is closed (issue 9)."""
    server = fake_server(_withhold_first_on_first_connection())
    client = Client(timeout=0.3)
    client.connect("127.0.0.1", server.port)
    with pytest.raises(RequestTimeoutError, match="no answer"):
        client.get_cluster().get_state()
    assert client.get_cluster().get_state() == 2
    assert server.accepted >= 2
    client.close()


def test_async_timeout_on_a_silent_connection_evicts_it(fake_server: Any) -> None:
    server = fake_server(_withhold_first_on_first_connection())

    async def main() -> None:
        client = AioClient(timeout=0.3)
        await client.connect("127.0.0.1", server.port)
        with pytest.raises(RequestTimeoutError):
            await client.get_cluster().get_state()
        assert await client.get_cluster().get_state() == 2
        assert server.accepted >= 2
        await client.close()

    asyncio.run(main())


def test_version_fallback_reconnects_with_the_offered_version(fake_server: Any) -> None:
    offered: list[bytes] = []

    def script(conn: socket.socket, n: int) -> None:
        frame = read_frame(conn)
        assert frame is not None
        offered.append(frame[1:7])
        if n == 0:
            conn.sendall(reject(1, 6, 0))
            return
        conn.sendall(_HEADER.pack(1 + 16 + 1) + b"\x01" + NODE_ID)  # 1.4+ success, no features
        while (req := read_frame(conn)) is not None:
            conn.sendall(response(request_id_of(req), b"\x01"))

    server = fake_server(script)
    client = Client()
    client.connect("127.0.0.1", server.port)
    assert offered == [struct.pack("<hhh", 1, 7, 0), struct.pack("<hhh", 1, 6, 0)]
    assert client.get_cluster().get_state() == 1
    client.close()


def test_final_rejection_is_a_handshake_error(fake_server: Any) -> None:
    def script(conn: socket.socket, n: int) -> None:
        if read_frame(conn) is not None:
            conn.sendall(reject(0, 9, 0))

    server = fake_server(script)
    client = Client()
    with pytest.raises(ReconnectError, match=r"0\.9\.0"):
        client.connect("127.0.0.1", server.port)


def test_silent_handshake_times_out(fake_server: Any) -> None:
    def script(conn: socket.socket, n: int) -> None:
        read_frame(conn)
        threading.Event().wait(5)

    server = fake_server(script)
    client = Client(handshake_timeout=0.3)
    with pytest.raises(ReconnectError, match="timed out"):
        client.connect("127.0.0.1", server.port)


def test_server_gone_mid_request_then_reconnect_error(fake_server: Any) -> None:
    def hang_up(conn: socket.socket, frame: bytes) -> bool:
        return False  # close without answering

    server = fake_server(accept_then(hang_up))
    client = Client(timeout=5)
    client.connect("127.0.0.1", server.port)
    with pytest.raises(SocketError) as caught:
        client.get_cluster().get_state()
    assert isinstance(caught.value, OSError)  # the seed catches (OSError, SocketError)
    server.close()
    with pytest.raises(ReconnectError):
        client.get_cluster().get_state()


def test_handshake_error_names_a_non_ignite_peer(fake_server: Any) -> None:
    def script(conn: socket.socket, n: int) -> None:
        read_frame(conn)  # then close: not an Ignite thin-client port

    server = fake_server(script)
    with pytest.raises(ReconnectError, match="closed the connection during the handshake"):
        Client().connect("127.0.0.1", server.port)
    assert issubclass(ReconnectError, Exception)
    assert issubclass(HandshakeError, SocketError)


def test_many_threads_share_one_connection(fake_server: Any) -> None:
    """Answers arrive out of order; each thread must get its own."""
    pending: list[tuple[int, bytes]] = []
    max_batch = [0]
    lock = threading.Lock()

    def shuffle(conn: socket.socket, frame: bytes) -> bool:
        rid = request_id_of(frame)
        with lock:
            pending.append((rid, struct.pack("<b", rid % 3)))
            readable, _, _ = select.select([conn], [], [], 0.005)
            if not readable:  # nothing else queued: answer what we hold, newest first
                batch = pending[::-1]
                max_batch[0] = max(max_batch[0], len(batch))
                pending.clear()
                conn.sendall(b"".join(response(r, p) for r, p in batch))
        return True

    server = fake_server(accept_then(shuffle))
    client = Client(timeout=10)
    client.connect("127.0.0.1", server.port)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(25):
                conn = client._current()
                answer = conn.request(OpCode.CLUSTER_GET_STATE, b"")
                assert answer.payload[0] == answer.request_id % 3
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert max_batch[0] > 1  # answers really did arrive out of order
    client.close()
