"""Leaks (issue 9): connect/close cycles and abandoned cursors leave nothing behind.

File descriptors, threads, memory (traced Python allocations) and server cursors stay
flat across thousands of cycles: 10,000 each with ``IGNITE_WIRE_RELIABILITY_FULL=1``.
"""

from __future__ import annotations

import gc
import os
import threading
import time
import tracemalloc
from typing import Any

import pytest
from blocking import Blocking, Loop
from reliability_scale import scaled

from ignite_wire import AioClient, Client
from ignite_wire.testing import IgniteCluster


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _snapshot() -> tuple[int, int, int]:
    gc.collect()
    return _fds(), threading.active_count(), tracemalloc.get_traced_memory()[0]


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_connect_close_cycles(ignite_node: IgniteCluster, kind: str, figures: Any) -> None:
    host, port = ignite_node.node(0).endpoint
    cycles = scaled(500, 10_000)
    loop = Loop() if kind == "async" else None

    def cycle() -> None:
        client: Any = Client() if loop is None else Blocking(AioClient(), loop)
        client.connect(host, port)
        client.get_cluster().get_state()
        client.close()

    try:
        for _ in range(20):  # warm-up: lazily made pools, caches, the loop's own objects
            cycle()
        tracemalloc.start()
        before = _snapshot()
        started = time.monotonic()
        for _ in range(cycles):
            cycle()
        elapsed = time.monotonic() - started
        after = _snapshot()
    finally:
        tracemalloc.stop()
        if loop is not None:
            loop.close()
    grown_kb = (after[2] - before[2]) / 1024
    figures(
        f"leaks.connect_close.{kind}",
        cycles=cycles,
        seconds=elapsed,
        fds_before=before[0],
        fds_after=after[0],
        threads_before=before[1],
        threads_after=after[1],
        traced_growth_kb=grown_kb,
    )
    assert after[0] <= before[0] + 2
    assert after[1] <= before[1] + 1
    assert grown_kb < 2048  # flat: not proportional to the cycles (< 0.2 KB per cycle)


def _open_server_cursors(client: Any) -> int:
    rows = list(client.sql("select count(*) from SYS.SCAN_QUERIES"))
    return int(rows[0][0])


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_abandoned_cursors(ignite_node: IgniteCluster, kind: str, figures: Any) -> None:
    host, port = ignite_node.node(0).endpoint
    count = scaled(1_000, 10_000)
    loop = Loop() if kind == "async" else None
    client: Any = Client() if loop is None else Blocking(AioClient(), loop)
    client.connect(host, port)
    try:
        cache = client.get_or_create_cache(f"rel_cursors_{kind}")
        cache.put_all({i: i for i in range(20)})
        for _ in range(20):
            next(iter(cache.scan(page_size=1)))
        tracemalloc.start()
        before = _snapshot()
        peak_cursors = 0
        started = time.monotonic()
        for i in range(count):
            cursor = cache.scan(page_size=1)
            next(iter(cursor))  # one row read, the rest left on the server: abandoned
            del cursor
            if i % 500 == 499:
                peak_cursors = max(peak_cursors, _open_server_cursors(client))
        elapsed = time.monotonic() - started
        cache.get(1)  # the next call frees what the last ones abandoned
        after = _snapshot()
        server_cursors = _open_server_cursors(client)
        cache.destroy()
    finally:
        tracemalloc.stop()
        client.close()
        if loop is not None:
            loop.close()
    grown_kb = (after[2] - before[2]) / 1024
    figures(
        f"leaks.abandoned_cursors.{kind}",
        cursors=count,
        seconds=elapsed,
        fds_before=before[0],
        fds_after=after[0],
        threads_before=before[1],
        threads_after=after[1],
        traced_growth_kb=grown_kb,
        server_cursors_peak=peak_cursors,
        server_cursors_after=server_cursors,
    )
    assert after[0] <= before[0] + 2
    assert after[1] <= before[1] + 1
    assert grown_kb < 2048
    assert server_cursors <= 2
    assert peak_cursors <= 10
