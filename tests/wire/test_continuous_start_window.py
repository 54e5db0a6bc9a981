"""The start window of a continuous query, against a fake node that behaves as Ignite does.

Ignite 2.17 drops the events of changes made before the connector thread that wrote its
answer to the start request has marked the query started (``ClientCacheQueryContinuousHandle``
skips events while its id is unset).  On a loaded machine a real node does that now and
then (docs/change-streams.md has the measurements); a real node cannot be made to do it on
cue, this fake can: it answers the start, then drops the events of the next ``drop``
changes, exactly as the real window does, and reports the later ones.
``ContinuousQuery.confirm_live`` must get through such a window, hide its marker, keep
what others changed meanwhile, and give up within its timeout.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import time
from typing import Any

import pytest
from fake_node import accept_then, response

from ignite_wire import AioClient, Client
from ignite_wire._protocol.codec import decode_value, write_value
from ignite_wire._protocol.context import CodecContext
from ignite_wire._protocol.opcodes import OpCode
from ignite_wire.continuous import CacheEntryEvent, EventType
from ignite_wire.exceptions import RequestTimeoutError

RESOURCE_ID = 7
FLAG_NOTIFICATION = 4


class IgniteLikeNode:
    """Key-value node with one continuous query whose first ``drop`` events are lost.

    ``foreign``: an event of another client's change, reported just before the first event
    that gets through (a change made once the window had closed).
    """

    def __init__(self, drop: int, foreign: tuple[Any, Any] | None = None) -> None:
        self.drop = drop
        self.foreign = foreign
        self.entries: dict[Any, Any] = {}
        self.started = False
        self.dropped: list[tuple[EventType, Any]] = []
        self.ctx = CodecContext()

    def handle(self, conn: socket.socket, frame: bytes) -> bool:
        op, request_id = struct.unpack_from("<hq", frame, 0)
        payload = frame[10:]
        if op == OpCode.QUERY_CONTINUOUS:
            conn.sendall(response(request_id, struct.pack("<q", RESOURCE_ID)))
            self.started = True
        elif op == OpCode.CACHE_PUT:
            key, pos = decode_value(payload, 5, self.ctx)  # after cache id and flags
            value, _ = decode_value(payload, pos, self.ctx)
            old = self.entries.get(key)
            self.entries[key] = value
            kind = EventType.CREATED if old is None else EventType.UPDATED
            self._changed(conn, kind, key, old, value)
            conn.sendall(response(request_id))
        elif op == OpCode.CACHE_REMOVE_KEY:
            key, _ = decode_value(payload, 5, self.ctx)
            existed = key in self.entries
            old = self.entries.pop(key, None)
            if existed:
                self._changed(conn, EventType.REMOVED, key, old, None)
            conn.sendall(response(request_id, b"\x01" if existed else b"\x00"))
        else:  # RESOURCE_CLOSE of the query
            conn.sendall(response(request_id))
        return True

    def _changed(self, conn: socket.socket, kind: EventType, key: Any, old: Any, new: Any) -> None:
        if not self.started:
            return
        if self.drop > 0:
            self.drop -= 1
            self.dropped.append((kind, key))
            return
        if self.foreign is not None:
            fkey, fvalue = self.foreign
            self.foreign = None
            conn.sendall(self._notification(EventType.CREATED, fkey, None, fvalue))
        conn.sendall(self._notification(kind, key, old, new))

    def _notification(self, kind: EventType, key: Any, old: Any, new: Any) -> bytes:
        body = bytearray(struct.pack("<qhh", RESOURCE_ID, FLAG_NOTIFICATION, 2007))
        body += struct.pack("<i", 1)
        for value in (key, old, new):
            write_value(body, value, None, ctx=self.ctx)
        body.append(int(kind))
        return struct.pack("<i", len(body)) + bytes(body)


def sync_scenario(port: int, timeout: float = 10.0) -> list[Any]:
    client = Client(timeout=5)
    client.connect("127.0.0.1", port)
    try:
        cache = client.get_cache("watched")
        cq = cache.continuous_query()
        cq.confirm_live("marker", timeout=timeout)
        cache.put(1, "a")
        events = [cq.get(timeout=5), cq.get(timeout=5), cq.get(timeout=0.3)]
        cq.close()
        return events
    finally:
        client.close()


async def aio_scenario(port: int, timeout: float = 10.0) -> list[Any]:
    async with AioClient(timeout=5) as client:
        await client.connect("127.0.0.1", port)
        cache = await client.get_cache("watched")
        cq = await cache.continuous_query()
        await cq.confirm_live("marker", timeout=timeout)
        await cache.put(1, "a")
        events = [await cq.get(timeout=5), await cq.get(timeout=5), await cq.get(timeout=0.3)]
        await cq.close()
        return events


def run(kind: str, port: int, timeout: float = 10.0) -> list[Any]:
    if kind == "sync":
        return sync_scenario(port, timeout)
    return asyncio.run(aio_scenario(port, timeout))


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("drop", [0, 1, 2, 3, 5])
def test_confirm_live_gets_through_the_window(fake_server: Any, kind: str, drop: int) -> None:
    node = IgniteLikeNode(drop, foreign=(42, "theirs"))
    server = fake_server(accept_then(node.handle))
    events = run(kind, server.port)
    # what another client changed once the window had closed stays, in order; the
    # marker's own events never show; the cache is left without the marker
    assert events == [
        CacheEntryEvent(EventType.CREATED, 42, None, "theirs"),
        CacheEntryEvent(EventType.CREATED, 1, None, "a"),
        None,
    ]
    assert len(node.dropped) == drop
    assert "marker" not in node.entries


def test_without_confirm_live_the_first_change_is_lost(fake_server: Any) -> None:
    """What the fake models, seen without the remedy: the change right after the start is
    never reported (the failure the real node showed about once in 50 starts under load)."""
    node = IgniteLikeNode(drop=1)
    server = fake_server(accept_then(node.handle))
    client = Client(timeout=5)
    client.connect("127.0.0.1", server.port)
    try:
        cache = client.get_cache("watched")
        cq = cache.continuous_query()
        cache.put(1, "a")
        cache.put(2, "b")
        assert cq.get(timeout=1) == CacheEntryEvent(EventType.CREATED, 2, None, "b")
        assert cq.get(timeout=0.3) is None
    finally:
        client.close()


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_confirm_live_gives_up_within_its_timeout(fake_server: Any, kind: str) -> None:
    node = IgniteLikeNode(drop=10**9)  # a query whose events never come
    server = fake_server(accept_then(node.handle))
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError, match="no event of the marker key came within"):
        run(kind, server.port, timeout=0.5)
    assert time.monotonic() - started < 3.0
    assert "marker" not in node.entries
