"""A request sent ahead of its wait (``SyncConnection.request_ahead``, issue 12): a
cursor's next page goes out while the current one is consumed, and its answer is taken
later, from any thread.  Against a real node: the answer is the request's own, however
long the consumer took to come for it; one never waited for is dropped, not kept."""

from __future__ import annotations

import gc
import threading
import time

from ignite_wire._protocol.messages import Response
from ignite_wire._protocol.opcodes import OpCode
from ignite_wire._transport.options import Address, ConnectOptions
from ignite_wire._transport.sync import SyncConnection
from ignite_wire.testing import IgniteCluster


def _connection(cluster: IgniteCluster, timeout: float | None = 5.0) -> SyncConnection:
    host, port = cluster.node(0).endpoint
    conn = SyncConnection(Address(host, port), ConnectOptions(timeout=timeout))
    conn.connect()
    return conn


def test_an_answer_taken_after_the_request_timeout_is_still_its_own(
    ignite_node: IgniteCluster,
) -> None:
    """The consumer comes for the answer after longer than the request timeout: the
    node answered in time (the bytes wait in the socket), so the wait, its timeout
    counted from when it starts, gets the answer instead of a timeout."""
    conn = _connection(ignite_node, timeout=0.5)
    try:
        ahead = conn.request_ahead(OpCode.CACHE_GET_NAMES, b"")
        time.sleep(0.7)
        got: list[Response] = []
        waiter = threading.Thread(target=lambda: got.append(ahead.wait()))
        waiter.start()  # taken on another thread, as the sync prefetch does
        waiter.join(10)
        (response,) = got
        assert response.status == 0
        assert response.request_id == ahead._request_id
        assert not conn._responses
    finally:
        conn.close()


def test_an_answer_read_by_another_request_waits_for_its_own(
    ignite_node: IgniteCluster,
) -> None:
    conn = _connection(ignite_node, timeout=5.0)
    try:
        ahead = conn.request_ahead(OpCode.CACHE_GET_NAMES, b"")
        for _ in range(3):  # these read the early answer and file it
            assert conn.request(OpCode.HEARTBEAT, b"").status == 0
        response = ahead.wait()
        assert response.status == 0
        assert response.request_id == ahead._request_id
        assert not conn._responses
    finally:
        conn.close()


def test_an_answer_never_waited_for_is_dropped(ignite_node: IgniteCluster) -> None:
    conn = _connection(ignite_node)
    try:
        ahead = conn.request_ahead(OpCode.CACHE_GET_NAMES, b"")
        request_id = ahead._request_id
        del ahead  # its cursor was dropped: nobody will wait
        gc.collect()
        assert conn.request(OpCode.HEARTBEAT, b"").status == 0  # reads past the answer
        time.sleep(0.2)
        assert conn.request(OpCode.HEARTBEAT, b"").status == 0
        assert request_id not in conn._responses  # neither filed nor left waiting
        assert not conn._responses
    finally:
        conn.close()
