"""The asyncio connection's request deadlines: one timer per connection, and every call
still ends within its own timeout (``_transport/deadline_queue.py``).

The queue itself is tested with plain numbers.  A real node answers everything, so the
timing is checked on the scripted fake node of ``tests/fake_node.py``, which withholds
the answers of one op while it answers the others (so the connection stays trusted).
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from fake_node import accept_then, request_id_of, response
from hypothesis import given
from hypothesis import strategies as st

from ignite_wire import AioClient
from ignite_wire._transport.aio import AioConnection
from ignite_wire._transport.deadline_queue import DeadlineQueue
from ignite_wire.exceptions import RequestTimeoutError

#: The op the fake node never answers (CLUSTER_GET_STATE); every other op is answered.
WITHHELD = 5000
#: How late a timeout may fire on a loaded machine (it must never fire early).
SLACK = 0.4


def test_deadlines_expire_in_send_order_and_name_the_next_one() -> None:
    queue = DeadlineQueue()
    assert queue.add(1, 10.0)
    assert queue.add(2, 10.0)
    assert queue.add(3, 12.5)
    assert queue.due(9.9) == ([], 10.0)
    assert queue.due(10.0) == ([1, 2], 12.5)
    assert queue.due(20.0) == ([3], None)
    assert queue.due(30.0) == ([], None)
    assert len(queue) == 0


def test_an_answered_request_leaves_the_queue_at_once() -> None:
    queue = DeadlineQueue()
    for request_id in range(1, 6):
        queue.add(request_id, 10.0 + request_id)
    queue.discard(1)
    queue.discard(3)
    queue.discard(99)  # unknown: nothing happens
    assert len(queue) == 3
    assert queue.due(100.0) == ([2, 4, 5], None)


def test_a_deadline_out_of_send_order_is_refused_until_the_queue_is_empty() -> None:
    queue = DeadlineQueue()
    assert queue.add(1, 10.0)
    assert not queue.add(2, 9.0)  # a shorter timeout: it needs a timer of its own
    assert len(queue) == 1
    assert queue.due(10.0) == ([1], None)
    assert queue.add(3, 5.0)  # empty again: any deadline starts the order afresh


@given(st.lists(st.tuples(st.floats(0, 100), st.booleans()), max_size=40), st.floats(0, 120))
def test_due_returns_exactly_the_queued_deadlines_that_passed(
    steps: list[tuple[float, bool]], now: float
) -> None:
    """Whatever is added and discarded, the queue stays in deadline order, and ``due``
    hands out every queued request whose deadline passed (in send order) and names the
    earliest deadline left."""
    queue = DeadlineQueue()
    queued: dict[int, float] = {}
    last = 0.0  # the latest deadline accepted since the queue was last empty
    for request_id, (deadline, answered) in enumerate(steps):
        if queue.add(request_id, deadline):
            assert not queued or deadline >= last
            queued[request_id] = deadline
            last = deadline
        else:  # refused only behind a later one, while something is queued
            assert queued
            assert deadline < last
        if answered:
            queue.discard(request_id)
            queued.pop(request_id, None)
    expired, following = queue.due(now)
    assert expired == [r for r, d in queued.items() if d <= now]
    left = [d for d in queued.values() if d > now]
    assert following == (min(left) if left else None)
    assert len(queue) == len(left)


def _withholding_node(conn: socket.socket, frame: bytes) -> bool:
    if struct.unpack_from("<h", frame, 0)[0] != WITHHELD:
        conn.sendall(response(request_id_of(frame), b"\x01"))
    return True


def _on_withholding_node(
    fake_server: Any, timeout: float, check: Callable[[AioConnection], Awaitable[None]]
) -> None:
    """Run ``check`` on the one connection of a client (``timeout``) to a fake node that
    withholds the answers of :data:`WITHHELD`; close the client."""
    server = fake_server(accept_then(_withholding_node))

    async def main() -> None:
        client = AioClient(timeout=timeout, heartbeat_interval=None)
        await client.connect("127.0.0.1", server.port)
        try:
            (conn,) = client._pool.open_connections()
            await check(conn)
        finally:
            await client.close()

    asyncio.run(main())


@pytest.mark.timeout(60)
def test_every_request_times_out_on_its_own_deadline(fake_server: Any) -> None:
    """Withheld requests sent at different moments, with the client's timeout and with
    shorter ones of their own, each end within their own timeout (never early), while
    the answered traffic around them goes on and the connection stays open."""

    async def check(conn: AioConnection) -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()

        async def traffic() -> int:
            answered = 0
            while not stop.is_set():
                response_ = await conn.request(1000, b"")
                assert response_.payload == b"\x01"
                answered += 1
                await asyncio.sleep(0.01)
            return answered

        async def withheld(delay: float, timeout: float | None) -> float:
            await asyncio.sleep(delay)
            started = loop.time()
            with pytest.raises(RequestTimeoutError):
                await conn.request(WITHHELD, b"", timeout)
            return loop.time() - started

        background = asyncio.ensure_future(traffic())
        waits = [(0.0, None), (0.1, None), (0.25, None), (0.3, 0.2), (0.35, 1.0)]
        took = await asyncio.gather(*(withheld(d, t) for d, t in waits))
        stop.set()
        assert await background > 10
        for (_, timeout), elapsed in zip(waits, took, strict=True):
            limit = 0.6 if timeout is None else timeout
            assert limit - 0.01 <= elapsed <= limit + SLACK, (timeout, elapsed)
        assert conn.is_open  # answers kept arriving: only the requests were slow
        assert len(conn._deadlines) == 0
        assert not conn._pending

    _on_withholding_node(fake_server, 0.6, check)


@pytest.mark.timeout(60)
def test_a_cancelled_request_leaves_no_deadline_and_the_connection_usable(
    fake_server: Any,
) -> None:

    async def check(conn: AioConnection) -> None:
        task = asyncio.ensure_future(conn.request(WITHHELD, b""))
        await asyncio.sleep(0.05)
        assert len(conn._deadlines) == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert len(conn._deadlines) == 0
        assert not conn._pending
        assert (await conn.request(1000, b"")).payload == b"\x01"
        assert conn.is_open

    _on_withholding_node(fake_server, 5.0, check)


@pytest.mark.timeout(60)
def test_a_request_sent_ahead_leaves_at_once_and_its_wait_is_bounded_from_the_await(
    fake_server: Any,
) -> None:
    """With a request timeout, ``request_ahead`` (a cursor's next page) writes the frame
    at once, without the loop running (the cursor's consumer does not yield while it
    decodes a page), and the wait for its answer ends within the timeout counted from
    when it starts, as the sync ``Ahead.wait``: an answer the node gave in time is the
    request's own however late the consumer comes for it; a withheld one times out."""
    arrived: dict[int, threading.Event] = {WITHHELD: threading.Event(), 1000: threading.Event()}

    def node(conn: socket.socket, frame: bytes) -> bool:
        op = struct.unpack_from("<h", frame, 0)[0]
        if op in arrived:
            arrived[op].set()
        return _withholding_node(conn, frame)

    server = fake_server(accept_then(node))

    async def main() -> None:
        client = AioClient(timeout=0.5, heartbeat_interval=None)
        await client.connect("127.0.0.1", server.port)
        try:
            (conn,) = client._pool.open_connections()
            loop = asyncio.get_running_loop()
            answered = conn.request_ahead(1000, b"")
            assert arrived[1000].wait(5)  # the loop never ran: written at once
            time.sleep(0.7)  # longer than the timeout, the loop still blocked
            assert (await answered).payload == b"\x01"
            dropped = conn.request_ahead(1000, b"")  # never awaited: no warning
            del dropped
            assert (await conn.request(1000, b"")).payload == b"\x01"
            withheld = conn.request_ahead(WITHHELD, b"")
            assert arrived[WITHHELD].wait(5)
            await asyncio.sleep(0.3)
            started = loop.time()
            with pytest.raises(RequestTimeoutError):
                await withheld
            elapsed = loop.time() - started
            assert 0.5 - 0.01 <= elapsed <= 0.5 + SLACK, elapsed
            assert not conn._pending
        finally:
            await client.close()

    asyncio.run(main())
