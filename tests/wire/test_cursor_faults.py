"""A cursor whose connection fails between pages (issue 12: the next page's request is
in flight while the current one is consumed).  A real node does not drop a connection on
cue; the scripted fake node of ``tests/fake_node.py`` answers the scan's first page and
hangs up when the next page is asked for.  The failure is reported at the right item:
after every item of the first page, as the read of the second, on either client."""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import Any

import pytest
from fake_node import accept_then, request_id_of, response

from ignite_wire import AioClient, Client
from ignite_wire.exceptions import SocketError

QUERY_SCAN, GET_PAGE = 2000, 2001
PAGE = 4


def _first_page() -> bytes:
    """Cursor 77, four (int, int) entries, more to come."""
    body = struct.pack("<qi", 77, PAGE)
    for i in range(PAGE):
        body += struct.pack("<bi", 3, i) + struct.pack("<bi", 3, i * 10)
    return body + b"\x01"


def _node(seen: list[int]) -> Any:
    def handle(conn: socket.socket, frame: bytes) -> bool:
        op = struct.unpack_from("<h", frame, 0)[0]
        seen.append(op)
        if op == QUERY_SCAN:
            conn.sendall(response(request_id_of(frame), _first_page()))
            return True
        return op != GET_PAGE  # the next page: hang up

    return accept_then(handle)


@pytest.mark.timeout(60)
def test_sync_scan_reports_a_connection_lost_between_pages(fake_server: Any) -> None:
    seen: list[int] = []
    server = fake_server(_node(seen))
    client = Client(timeout=5)
    client.connect("127.0.0.1", server.port)
    got: list[Any] = []
    cursor = client.get_cache("faulty").scan(page_size=PAGE)
    got.extend(next(cursor) for _ in range(PAGE))
    with pytest.raises(SocketError):
        next(cursor)
    assert got == [(i, i * 10) for i in range(PAGE)]
    assert seen[:2] == [QUERY_SCAN, GET_PAGE]
    client.close()


@pytest.mark.timeout(60)
def test_asyncio_scan_reports_a_connection_lost_between_pages(fake_server: Any) -> None:
    seen: list[int] = []
    server = fake_server(_node(seen))

    async def main() -> list[Any]:
        client = AioClient(timeout=5, heartbeat_interval=None)
        await client.connect("127.0.0.1", server.port)
        got: list[Any] = []
        try:
            cache = await client.get_cache("faulty")
            cursor = cache.scan(page_size=PAGE)
            got.extend([await anext(cursor) for _ in range(PAGE)])
            with pytest.raises(SocketError):
                await anext(cursor)
        finally:
            await client.close()
        return got

    assert asyncio.run(main()) == [(i, i * 10) for i in range(PAGE)]
    assert seen[:2] == [QUERY_SCAN, GET_PAGE]
