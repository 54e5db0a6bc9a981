"""Issue 9, defects 1, 2 and 7 (handshake): wedged connections leave the pool, sends end
within the timeout, and a malformed handshake answer is one error on both clients.

A real node never stays silent, never stops reading and never cuts a frame in half on
request; the scripted fake node of ``tests/fake_node.py`` does.  Each test here failed
before the fix it covers (noted per test).
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
import time
from typing import Any

import pytest
from fake_node import _HEADER, NODE_ID, accept_then, read_frame, request_id_of, response

from ignite_wire import AioClient, Client
from ignite_wire._transport.sync_io import KernelTimedIO
from ignite_wire.exceptions import IgniteError, ReconnectError, RequestTimeoutError, SocketError

pytestmark = [pytest.mark.timeout(60), pytest.mark.hostile]


def handshake_ok(*bits: int, mask_size: int = 0) -> bytes:
    """A 1.7 handshake acceptance with the feature ``bits`` set (mask padded to size)."""
    value = 0
    for bit in bits:
        value |= 1 << bit
    mask = value.to_bytes(max(mask_size, (value.bit_length() + 7) // 8), "little")
    body = b"\x01" + b"\x0c" + struct.pack("<i", len(mask)) + mask + NODE_ID
    return _HEADER.pack(len(body)) + body


def answers_then(mode: str, first: int = 1) -> Any:
    """Answer ``first`` requests per connection, then go silent or send half a frame."""

    def handler_factory() -> Any:
        seen = [0]

        def handler(conn: socket.socket, frame: bytes) -> bool:
            seen[0] += 1
            rid = request_id_of(frame)
            if seen[0] <= first:
                conn.sendall(response(rid, b"\x01"))
            elif mode == "half":
                conn.sendall(response(rid, b"\x01")[:7])
            return True  # "silent": read on, answer nothing

        return handler

    def script(conn: socket.socket, n: int) -> None:
        accept_then(handler_factory())(conn, n)

    return script


@pytest.mark.parametrize("mode", ["silent", "half"])
def test_a_silent_or_half_read_connection_is_evicted_sync(fake_server: Any, mode: str) -> None:
    """Before: the timed-out connection stayed; every later call timed out too."""
    server = fake_server(answers_then(mode))
    client = Client(timeout=1.0)
    client.connect("127.0.0.1", server.port)
    try:
        assert client.get_cluster().get_state() == 1
        (conn,) = client._pool.open_connections()
        with pytest.raises(RequestTimeoutError):
            client.get_cluster().get_state()
        assert not conn.is_open  # evicted at once (a background reconnect may follow)
        assert conn not in client._pool.open_connections()
        assert client.get_cluster().get_state() == 1  # a new connection answers
        assert server.accepted >= 2  # the call's reconnect (and maybe the background one)
    finally:
        client.close()


@pytest.mark.parametrize("mode", ["silent", "half"])
def test_a_silent_or_half_read_connection_is_evicted_aio(fake_server: Any, mode: str) -> None:
    server = fake_server(answers_then(mode))

    async def main() -> None:
        client = AioClient(timeout=1.0)
        await client.connect("127.0.0.1", server.port)
        try:
            assert await client.get_cluster().get_state() == 1
            (conn,) = client._pool.open_connections()
            with pytest.raises(RequestTimeoutError):
                await client.get_cluster().get_state()
            assert not conn.is_open
            assert conn not in client._pool.open_connections()
            assert await client.get_cluster().get_state() == 1
            assert server.accepted >= 2  # the call's reconnect (and maybe the background one)
        finally:
            await client.close()

    asyncio.run(main())


def test_a_connection_that_keeps_answering_survives_a_slow_request(fake_server: Any) -> None:
    """Rule 1's other half: bytes arrived after the send, so only the request was slow.

    Its late answer is dropped by request id, never taken for a later request's.
    """
    withheld: list[int] = []

    def handler(conn: socket.socket, frame: bytes) -> bool:
        rid = request_id_of(frame)
        if struct.unpack_from("<h", frame, 0)[0] != 5000:
            conn.sendall(response(rid, b"\x01"))
        elif not withheld:
            withheld.append(rid)  # CLUSTER_GET_STATE: the first one is answered late
        else:
            conn.sendall(response(withheld[0], b"\x00") + response(rid, b"\x02"))
        return True

    server = fake_server(accept_then(handler))
    client = Client(timeout=0.5)
    client.connect("127.0.0.1", server.port)
    try:
        conn = client._pool.open_connections()[0]
        done = threading.Event()

        def other_traffic() -> None:
            while not done.is_set():
                conn.request(1000, b"", 5)  # answered: bytes keep arriving
                time.sleep(0.02)

        worker = threading.Thread(target=other_traffic)
        worker.start()
        with pytest.raises(RequestTimeoutError):
            client.get_cluster().get_state()
        done.set()
        worker.join()
        assert conn.is_open
        assert client.get_cluster().get_state() == 2  # not the late 0
        assert server.accepted == 1
    finally:
        client.close()


def _heartbeat_capable(answer_ops: set[int]) -> Any:
    """Feature bit 11; answers the ``answer_ops`` (and GET_IDLE_TIMEOUT), nothing else."""

    def script(conn: socket.socket, n: int) -> None:
        if read_frame(conn) is None:
            return
        conn.sendall(handshake_ok(2, 11))
        while (frame := read_frame(conn)) is not None:
            op = struct.unpack_from("<h", frame, 0)[0]
            if op == 2:
                conn.sendall(response(request_id_of(frame), struct.pack("<q", 0)))
            elif op in answer_ops:
                conn.sendall(response(request_id_of(frame), b"\x01"))

    return script


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("beats", [True, False])
def test_a_silent_connection_is_probed_before_it_is_evicted(
    fake_server: Any, kind: str, beats: bool
) -> None:
    """A node forwarding to a frozen primary is silent too, but answers a heartbeat: it
    keeps its connection.  A node that answers nothing loses it after the probe."""
    server = fake_server(_heartbeat_capable({1} if beats else set()))

    async def body(client: Any, call: Any) -> None:
        conn = client._pool._conns[next(iter(client._pool._conns))]
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await call(client.get_cluster().get_state())
        assert time.monotonic() - started < 3
        deadline = time.monotonic() + 3
        while (conn.suspect and conn.is_open) and time.monotonic() < deadline:
            await call(asyncio.sleep(0.05)) if kind == "async" else time.sleep(0.05)
        assert conn.is_open is beats
        assert not conn.suspect

    async def same(value: Any) -> Any:
        return await value if asyncio.iscoroutine(value) else value

    if kind == "sync":
        client = Client(timeout=0.5, heartbeat_interval=None)
        client.connect("127.0.0.1", server.port)
        try:
            asyncio.run(body(client, same))
        finally:
            client.close()
        return

    async def main() -> None:
        client = AioClient(timeout=0.5, heartbeat_interval=None)
        await client.connect("127.0.0.1", server.port)
        try:
            await body(client, same)
        finally:
            await client.close()

    asyncio.run(main())


def _beat_then_silent(conn: socket.socket, n: int) -> None:
    """Feature bit 11 (heartbeat); answers GET_IDLE_TIMEOUT (0), never a heartbeat."""
    if read_frame(conn) is None:
        return
    conn.sendall(handshake_ok(2, 11))
    while (frame := read_frame(conn)) is not None:
        op = struct.unpack_from("<h", frame, 0)[0]
        if op == 2:
            conn.sendall(response(request_id_of(frame), struct.pack("<q", 0)))


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_heartbeat_that_times_out_marks_the_node_down(fake_server: Any, kind: str) -> None:
    """Before: the heartbeat waited forever (no timeout) and the node stayed "connected"."""
    server = fake_server(_beat_then_silent)

    def check(client: Any) -> None:
        assert len(client._pool.open_connections()) == 1

    if kind == "sync":
        client = Client(heartbeat_interval=0.2)
        client.connect("127.0.0.1", server.port)
        try:
            check(client)
            deadline = time.monotonic() + 3
            while client._pool.open_connections() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert client._pool.open_connections() == []
            assert "not connected" in repr(client)
        finally:
            client.close()
        return

    async def main() -> None:
        client = AioClient(heartbeat_interval=0.2)
        await client.connect("127.0.0.1", server.port)
        try:
            check(client)
            deadline = time.monotonic() + 3
            while client._pool.open_connections() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert client._pool.open_connections() == []
        finally:
            await client.close()

    asyncio.run(main())


def _answer_all(conn: socket.socket, frame: bytes) -> bool:
    conn.sendall(response(request_id_of(frame), b"\x01"))
    return True


def test_reads_move_to_another_node_at_once(fake_server: Any) -> None:
    """Two nodes, the first black-holed after its first answer: one timeout, then none.

    Before: the current connection stayed the black-holed one and every call timed out.
    """
    holed = fake_server(answers_then("silent", first=0))
    healthy = fake_server(accept_then(_answer_all))
    client = Client(timeout=1.0, partition_aware=True, cluster_discovery=False)
    client.connect([("127.0.0.1", holed.port), ("127.0.0.1", healthy.port)])
    try:
        (holed_address,) = [a for a in client._pool.nodes if a.port == holed.port]
        client._pool._current = holed_address
        timeouts = 0
        started = time.monotonic()
        for _ in range(30):
            try:
                assert client.get_cluster().get_state() == 1
            except RequestTimeoutError:
                timeouts += 1
        assert timeouts == 1
        assert time.monotonic() - started < 6
    finally:
        client.close()


def test_repr_shows_a_node_that_closed_without_a_call(fake_server: Any) -> None:
    """Before: ``repr`` said connected until a call met the closed socket."""
    gone = threading.Event()

    def script(conn: socket.socket, n: int) -> None:
        if read_frame(conn) is not None:
            conn.sendall(handshake_ok(2))
            gone.wait(0.2)  # then close, like a killed node's kernel does

    server = fake_server(script)
    client = Client()
    client.connect("127.0.0.1", server.port)
    try:
        time.sleep(0.5)
        assert "not connected" in repr(client)
        assert "0/1 nodes" in repr(client)
    finally:
        client.close()


def _never_reads(conn: socket.socket, n: int) -> None:
    if read_frame(conn) is None:
        return
    conn.sendall(handshake_ok(2))
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    time.sleep(20)  # a peer that stopped reading: the client's send buffer fills


def test_a_send_to_a_peer_that_stopped_reading_ends_within_the_timeout_sync(
    fake_server: Any,
) -> None:
    """Before: the socket had no timeout after the handshake; sendall blocked forever."""
    server = fake_server(_never_reads)
    client = Client(timeout=1.0)
    client.connect("127.0.0.1", server.port)
    outcome: list[BaseException | None] = []
    # The send is timed from the moment the frame goes to the socket to the moment the put
    # raises: building and encoding the 64 MiB value before it is not what the timeout
    # bounds (on a loaded 2-core machine the value alone took 0.7-1.4 s to build, the put
    # 3.0-4.0 s).
    conn = client._current()
    io = conn._io
    assert isinstance(io, KernelTimedIO)
    sending: list[float] = []

    class TimedSocket:
        def __init__(self, inner: socket.socket) -> None:
            self.inner = inner

        def send(self, data: Any, flags: int = 0) -> int:
            if not sending:
                sending.append(time.monotonic())
            return self.inner.send(data, flags)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

    io.sock = TimedSocket(io.sock)  # type: ignore[assignment]

    ended: list[float] = []

    def put() -> None:
        try:
            client.get_cache("c").put(1, b"x" * (64 << 20))
            outcome.append(None)
        except BaseException as exc:  # collected and asserted below
            outcome.append(exc)
        ended.append(time.monotonic())

    worker = threading.Thread(target=put, daemon=True)
    worker.start()
    worker.join(30)
    try:
        assert outcome, "the put was still blocked after 30 s"
        assert isinstance(outcome[0], RequestTimeoutError)
        assert "stopped reading" in str(outcome[0])
        assert sending
        assert ended[0] - sending[0] < 3  # the timeout (1 s) and a loaded machine's slack
        # A half-written frame: evicted (a background reconnect may already have opened a
        # fresh connection to the node, on a loaded machine before this line runs).
        assert not conn.is_open
        assert conn not in client._pool.open_connections()
    finally:
        client.close()


def test_a_send_to_a_peer_that_stopped_reading_ends_within_the_timeout_aio(
    fake_server: Any,
) -> None:
    """Before: after one large write, ``can_write.wait()`` had no timeout: later calls hung."""
    server = fake_server(_never_reads)

    async def main() -> None:
        client = AioClient(timeout=1.0)
        await client.connect("127.0.0.1", server.port)
        cache = await client.get_cache("c")
        try:
            big = asyncio.ensure_future(cache.put(1, b"x" * (64 << 20)))
            await asyncio.sleep(0.1)  # the big frame now fills the transport's buffer
            started = time.monotonic()
            small = asyncio.ensure_future(cache.get(2))
            results = await asyncio.wait_for(asyncio.gather(big, small, return_exceptions=True), 10)
            assert all(isinstance(r, (RequestTimeoutError, SocketError)) for r in results)
            assert time.monotonic() - started < 3
        finally:
            await client.close()

    asyncio.run(main())


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_malformed_handshake_answer_is_the_same_error_on_both(
    fake_server: Any, kind: str
) -> None:
    """Before: a bare ParseError on sync, "closed during the handshake" on asyncio."""

    def script(conn: socket.socket, n: int) -> None:
        if read_frame(conn) is not None:
            conn.sendall(_HEADER.pack(3) + b"\x07\x00\x00")  # result byte 7: neither 0 nor 1

    server = fake_server(script)

    async def connect_async() -> None:
        # connect() returns an awaitable that is also an async context manager (as in
        # pyignite), not a coroutine: asyncio.run() takes a coroutine.
        await AioClient().connect("127.0.0.1", server.port)

    def connect() -> None:
        if kind == "sync":
            Client().connect("127.0.0.1", server.port)
        else:
            asyncio.run(connect_async())

    with pytest.raises(ReconnectError, match="malformed handshake answer") as caught:
        connect()
    assert isinstance(caught.value, IgniteError)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_huge_feature_mask_decodes_within_the_handshake_timeout(
    fake_server: Any, kind: str
) -> None:
    """Before: a 32 KiB mask took 13.5 s to decode (quadratic), past handshake_timeout."""

    def script(conn: socket.socket, n: int) -> None:
        if read_frame(conn) is None:
            return
        mask = b"\xff" * (32 * 1024)
        body = b"\x01\x0c" + struct.pack("<i", len(mask)) + mask + NODE_ID
        conn.sendall(_HEADER.pack(len(body)) + body)
        while (frame := read_frame(conn)) is not None:
            conn.sendall(response(request_id_of(frame), b"\x01"))

    server = fake_server(script)
    # The decoding's cost is bounded in CPU time of the whole process (any thread the
    # client connects in, and the fake node's): a wall-time bound also counts the
    # scheduler's, and beside busy loops on a shared 2-core machine connect-and-close took
    # 0.64 and 0.89 s of wall time (2 failures in 40 runs).  The handshake timeout is
    # patient for the same reason; the quadratic decoder took 13.5 s, past both.
    started = time.process_time()
    if kind == "sync":
        client = Client(handshake_timeout=5.0, heartbeat_interval=None)
        client.connect("127.0.0.1", server.port)
        client.close()
    else:

        async def main() -> None:
            client = AioClient(handshake_timeout=5.0, heartbeat_interval=None)
            await client.connect("127.0.0.1", server.port)
            await client.close()

        asyncio.run(main())
    assert time.process_time() - started < 0.5


def test_decoding_follows_the_frame_size_not_the_timeout(fake_server: Any) -> None:
    """Issue 9, defect 7, the rule: the timeout bounds the wait for bytes (and sends);
    decoding starts once the whole frame is in, is linear in its size, and frames are
    bounded by ``max_frame_size``.  So a call ends within timeout + decode(max_frame_size),
    and a valid answer that arrived in time is not thrown away half-decoded.
    """
    from ignite_wire._protocol.codec import CodecContext, encode_value

    values = {n: encode_value(list(range(n)), ctx=CodecContext()) for n in (100_000, 400_000)}

    def handler(conn: socket.socket, frame: bytes) -> bool:
        n = 400_000 if frame[-8] == 1 else 100_000  # the key (a long) picks the size
        conn.sendall(response(request_id_of(frame), values[n]))
        return True

    server = fake_server(accept_then(handler))
    # 1 s: the fake server's 3.6 MB answer must arrive within the timeout even on a
    # loaded machine (a full CI run beside a benchmark missed 0.3 s once).
    client = Client(timeout=1.0, max_frame_size=8 << 20)
    client.connect("127.0.0.1", server.port)
    try:
        cache = client.get_cache("c")
        # Each size's least time over up to three rounds: on a loaded machine one get may
        # lose the CPU for a while (400,000 took 3.3 s against 0.25 s for 100,000, a ratio
        # of 13, once in five runs beside 4 busy loops); a quadratic decoder is slow in
        # every round.
        took = {100_000: float("inf"), 400_000: float("inf")}
        for _ in range(3):
            for key, n in ((0, 100_000), (1, 400_000)):
                started = time.perf_counter()
                assert cache.get(key, key_hint=None) == list(range(n))
                elapsed = time.perf_counter() - started
                assert elapsed < 1.0 + 10  # the stated bound, with a slow machine's margin
                took[n] = min(took[n], elapsed)
            if took[400_000] / took[100_000] < 10:
                break
        assert took[400_000] / took[100_000] < 10  # linear: 4x the bytes, ~4x the time
    finally:
        client.close()
