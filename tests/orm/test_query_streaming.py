"""Results stream: the first page of a 100,000-row result costs about one page on the
wire, and iterating the whole result keeps memory flat.

Bytes are counted by a loopback relay between the client and the real node (it forwards
every byte unchanged and counts what the node sends); requests by the client's
monitoring events.  Memory is traced with ``tracemalloc`` while iterating.
"""

from __future__ import annotations

import socket
import threading
import tracemalloc
from collections.abc import Iterator
from typing import Annotated, Any

import pytest

from ignite_orm import IgniteModel, Key
from ignite_orm.query import col, select

ROWS = 100_000


class QsBig(IgniteModel, cache="qs_big"):
    id: Annotated[int, Key]
    v: int
    name: str


class Relay:
    """Forwards one port to the node's, counting the bytes the node sends back."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.received = 0
        self.lock = threading.Lock()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.endpoint = self.server.getsockname()[:2]
        self.threads: list[threading.Thread] = []
        self.sockets: list[socket.socket] = [self.server]
        self._start(self._accept)

    def _start(self, target: Any, *args: Any) -> None:
        t = threading.Thread(target=target, args=args, daemon=True)
        t.start()
        self.threads.append(t)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target, timeout=30)
            self.sockets += [client, upstream]
            self._start(self._pump, client, upstream, False)
            self._start(self._pump, upstream, client, True)

    def _pump(self, src: socket.socket, dst: socket.socket, count: bool) -> None:
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                return
            if not data:
                return
            if count:
                with self.lock:
                    self.received += len(data)
            try:
                dst.sendall(data)
            except OSError:
                return

    def close(self) -> None:
        for s in self.sockets:
            s.close()


@pytest.fixture
def relay(node_endpoints: list[tuple[str, int]]) -> Iterator[Relay]:
    r = Relay(node_endpoints[0])
    yield r
    r.close()


@pytest.fixture
def big(db: Any, schema: Any) -> Any:
    schema(QsBig)
    db.client.sql(
        'INSERT INTO "PUBLIC"."QSBIG" ("ID", "V", "NAME") '
        "SELECT X, MOD(X, 97), CONCAT('row-', X) FROM SYSTEM_RANGE(1, ?)",
        query_args=[ROWS],
    )
    assert db.query(select(QsBig)).count() == ROWS
    return db


def test_the_first_page_transfers_about_one_page(
    big: Any, connect: Any, relay: Relay, request_log: Any
) -> None:
    db = connect([relay.endpoint], event_listeners=[request_log])
    stmt = select(QsBig).options(page_size=500)
    db.query(select(QsBig).limit(1)).all()  # connect; fetch the binary type once
    request_log.ops.clear()
    before = relay.received
    first_page = []
    rows = iter(db.query(stmt))
    try:
        for obj in rows:
            first_page.append(obj)
            if len(first_page) == 500:
                break
    finally:
        rows.close()  # (asyncio: aclose(), as contextlib.aclosing does)
    one_page = relay.received - before
    assert request_log.ops[0] == "QUERY_SQL_FIELDS"
    # the cursor fetches one page ahead while the first is consumed, never more
    assert request_log.ops.count("QUERY_SQL_FIELDS_CURSOR_GET_PAGE") <= 1
    assert set(request_log.ops[1:]) <= {"QUERY_SQL_FIELDS_CURSOR_GET_PAGE", "RESOURCE_CLOSE"}

    before = relay.received
    request_log.ops.clear()
    everything = sum(1 for _ in db.query(stmt))
    whole = relay.received - before
    assert everything == ROWS
    assert request_log.ops.count("QUERY_SQL_FIELDS_CURSOR_GET_PAGE") == ROWS // 500 - 1
    print(f"\nfirst page: {one_page} bytes; whole result: {whole} bytes")  # noqa: T201 (the figure)
    # one page of 500 rows is 1/200 of the result, two with the page fetched ahead;
    # allow for headers and metadata
    assert one_page < whole / 50


def test_iterating_the_whole_result_keeps_memory_flat(big: Any) -> None:
    stmt = select(QsBig, col(QsBig.name)).options(page_size=1000)
    tracemalloc.start()
    try:
        peaks = []
        for n, _ in enumerate(big.query(stmt), 1):
            if n % 20_000 == 0:
                peaks.append(tracemalloc.get_traced_memory()[1])
                tracemalloc.reset_peak()
    finally:
        tracemalloc.stop()
    assert n == ROWS
    print(f"\npeak traced memory per 20,000 rows: {[p // 1024 for p in peaks]} KiB")  # noqa: T201
    # every stretch of the iteration peaks at about the same (one page), not growing
    assert max(peaks) < 2 * min(peaks)
    assert max(peaks) < 16 * 1024 * 1024
