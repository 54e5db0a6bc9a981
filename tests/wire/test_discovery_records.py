"""Issue 9, defect 4: one bad discovery record must not break a client.

Before the fix, an endpoint with port 70000 or -1 reached ``connect()``: every later call
of an ``AioClient`` raised ``OverflowError`` (and "Task exception was never retrieved").
Now bad records are dropped with a warning and the client keeps working.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
import uuid
from typing import Any

import pytest
from fake_node import read_frame, request_id_of, response
from test_eviction import handshake_ok

from ignite_wire import AioClient, Client

pytestmark = [pytest.mark.timeout(60), pytest.mark.hostile]

BAD_RECORDS = [(70000, "127.0.0.1"), (-1, "127.0.0.1"), (10800, "bad host\x00")]


def _endpoints() -> bytes:
    out = struct.pack("<qi", 1, len(BAD_RECORDS))
    for port, host in BAD_RECORDS:
        data = host.encode()
        out += uuid.uuid4().bytes + struct.pack("<ii", port, 1)
        out += b"\x09" + struct.pack("<i", len(data)) + data
    return out


def _discovering_node(conn: socket.socket, n: int) -> None:
    if read_frame(conn) is None:
        return
    conn.sendall(handshake_ok(2, 3))  # cluster states, node endpoints
    while (frame := read_frame(conn)) is not None:
        op = struct.unpack_from("<h", frame, 0)[0]
        payload = _endpoints() if op == 5102 else b"\x01"
        conn.sendall(response(request_id_of(frame), payload))


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_bad_discovery_records_are_dropped_with_a_warning(
    fake_server: Any, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    server = fake_server(_discovering_node)
    caplog.set_level(logging.WARNING, logger="ignite_wire")

    async def aio() -> None:
        client = AioClient(partition_aware=True, timeout=2)
        await client.connect("127.0.0.1", server.port)
        try:
            for _ in range(5):
                assert await client.get_cluster().get_state() == 1
                await asyncio.sleep(0.05)
            assert [a.port for a in client._pool.nodes] == [server.port]
        finally:
            await client.close()

    if kind == "async":
        asyncio.run(aio())
    else:
        client = Client(partition_aware=True, timeout=2)
        client.connect("127.0.0.1", server.port)
        try:
            for _ in range(5):
                assert client.get_cluster().get_state() == 1
            assert [a.port for a in client._pool.nodes] == [server.port]
        finally:
            client.close()
    dropped = [r.getMessage() for r in caplog.records if "dropped endpoint" in r.getMessage()]
    assert len(dropped) == len(BAD_RECORDS)
    assert any("port out of range" in m for m in dropped)
