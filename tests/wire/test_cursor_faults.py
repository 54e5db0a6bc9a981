"""A cursor whose next page fails (issue 12: the next page's request is in flight while
the current one is consumed).  A real node does not drop a connection or fail a page on
cue; the scripted fake node of ``tests/fake_node.py`` answers the scan's first page and
hangs up, or answers with an error, when the next page is asked for.  The failure is
reported at the right item: after every item of the first page, as the read of the
second, on either client."""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import Any

import pytest
from fake_node import accept_then, request_id_of, response

from ignite_wire import AioClient, Client
from ignite_wire.exceptions import SocketError, SQLError

QUERY_SCAN, GET_PAGE = 2000, 2001
PAGE = 4


def _first_page() -> bytes:
    """Cursor 77, four (int, int) entries, more to come."""
    body = struct.pack("<qi", 77, PAGE)
    for i in range(PAGE):
        body += struct.pack("<bi", 3, i) + struct.pack("<bi", 3, i * 10)
    return body + b"\x01"


def _error(request_id: int, message: bytes) -> bytes:
    """A failed answer: the error flag, status 1, the message."""
    body = struct.pack("<qhi", request_id, 1, 1) + struct.pack("<bi", 9, len(message)) + message
    return struct.pack("<i", len(body)) + body


def _node(seen: list[int], hang_up: bool = True) -> Any:
    def handle(conn: socket.socket, frame: bytes) -> bool:
        op = struct.unpack_from("<h", frame, 0)[0]
        seen.append(op)
        if op == QUERY_SCAN:
            conn.sendall(response(request_id_of(frame), _first_page()))
            return True
        if op == GET_PAGE and hang_up:
            return False
        if op == GET_PAGE:
            conn.sendall(_error(request_id_of(frame), b"no such cursor"))
        else:  # closing the cursor
            conn.sendall(response(request_id_of(frame)))
        return True

    return accept_then(handle)


@pytest.mark.timeout(60)
def test_a_failed_next_page_raises_its_error_after_the_first_pages_items(
    fake_server: Any,
) -> None:
    seen: list[int] = []
    server = fake_server(_node(seen, hang_up=False))
    client = Client(timeout=5)
    client.connect("127.0.0.1", server.port)
    cursor = client.get_cache("faulty").scan(page_size=PAGE)
    got = [next(cursor) for _ in range(PAGE)]
    with pytest.raises(SQLError, match="no such cursor"):
        next(cursor)
    assert got == [(i, i * 10) for i in range(PAGE)]
    cursor.close()
    assert seen.count(GET_PAGE) == 1  # no page asked for after the failed one
    client.close()


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
