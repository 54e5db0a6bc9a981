"""Node failure under load (issue 9): no acknowledged write is lost.

Three nodes, a cache with one backup and FULL_SYNC writes.  Puts go through the
partition-aware client from a sync loop, an asyncio loop and 16 threads sharing one
client, while a node is SIGKILLed mid-way; then nodes are restarted one by one under a
read/write loop.  Every put that returned (acknowledged) is read back afterwards.
Figures: puts, acknowledged, acknowledged-lost (must be 0), errors, worst stall.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from typing import Any

import pytest
from reliability_scale import scaled

from ignite_wire import AioClient, Client
from ignite_wire.datatypes.cache_config import CacheMode, WriteSynchronizationMode
from ignite_wire.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER,
    PROP_CACHE_MODE,
    PROP_NAME,
    PROP_WRITE_SYNCHRONIZATION_MODE,
)
from ignite_wire.exceptions import IgniteError
from ignite_wire.testing import IgniteCluster

pytestmark = [pytest.mark.cluster, pytest.mark.slow, pytest.mark.timeout(1200)]

TIMEOUT = 5.0


def _settings(name: str) -> dict[int, Any]:
    return {
        PROP_NAME: name,
        PROP_CACHE_MODE: CacheMode.PARTITIONED,
        PROP_BACKUPS_NUMBER: 1,
        PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
    }


class Tally:
    """Acknowledged keys, errors by type and the worst stall, from many threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.acked: dict[int, int] = {}
        self.errors: Counter[str] = Counter()
        self.worst = 0.0
        self.attempts = 0

    def put(self, cache: Any, key: int) -> None:
        started = time.monotonic()
        try:
            cache.put(key, key * 3)
        except IgniteError as exc:
            self.note(key, started, exc)
            return
        self.note(key, started, None)

    def note(self, key: int, started: float, error: IgniteError | None) -> None:
        """One put's outcome: acknowledged (``error`` is None) or the error's type."""
        with self.lock:
            self.worst = max(self.worst, time.monotonic() - started)
            self.attempts += 1
            if error is None:
                self.acked[key] = key * 3
            else:
                self.errors[type(error).__name__] += 1


def _lost(cache: Any, acked: dict[int, int]) -> int:
    keys = list(acked)
    found: dict[Any, Any] = {}
    for i in range(0, len(keys), 500):
        found.update(cache.get_all(keys[i : i + 500]))
    return sum(1 for k, v in acked.items() if found.get(k) != v)


def test_a_node_killed_under_load_loses_no_acknowledged_write(
    ignite_cluster: IgniteCluster, figures: Any
) -> None:
    total = scaled(3_000, 20_000)
    addresses = ignite_cluster.endpoints
    client = Client(partition_aware=True, timeout=TIMEOUT)
    client.connect(addresses)
    cache = client.get_or_create_cache(_settings("rel_kill"))
    tally = Tally()
    third = total // 3
    kill_at = threading.Event()

    def sync_part() -> None:
        for key in range(third):
            if key == third // 2:
                kill_at.set()
            tally.put(cache, key)

    async def aio_part() -> None:
        aio = AioClient(partition_aware=True, timeout=TIMEOUT)
        await aio.connect(addresses)
        aio_cache = await aio.get_cache("rel_kill")

        async def one(key: int) -> None:
            started = time.monotonic()
            try:
                await aio_cache.put(key, key * 3)
            except IgniteError as exc:
                tally.note(key, started, exc)
                return
            tally.note(key, started, None)

        keys = list(range(third, 2 * third))
        for i in range(0, len(keys), 50):  # 50 in flight at a time
            await asyncio.gather(*(one(k) for k in keys[i : i + 50]))
        await aio.close()

    def threaded_part() -> None:
        keys = list(range(2 * third, total))

        def writer(mine: list[int]) -> None:
            for key in mine:
                tally.put(cache, key)

        threads = [threading.Thread(target=writer, args=(keys[i::16],)) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def killer() -> None:
        kill_at.wait(120)
        ignite_cluster.kill(2)

    started = time.monotonic()
    kill_thread = threading.Thread(target=killer)
    kill_thread.start()
    workers = [
        threading.Thread(target=sync_part),
        threading.Thread(target=lambda: asyncio.run(aio_part())),
        threading.Thread(target=threaded_part),
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    kill_thread.join()
    elapsed = time.monotonic() - started
    lost = _lost(cache, tally.acked)
    figures(
        "node_failure.kill_under_load",
        puts=total,
        acknowledged=len(tally.acked),
        acknowledged_lost=lost,
        errors=dict(tally.errors),
        worst_stall_s=tally.worst,
        seconds=elapsed,
    )
    client.close()
    assert lost == 0
    assert len(tally.acked) >= total * 0.9  # the client kept working on the other nodes
    assert tally.worst <= TIMEOUT * 2 + 1


def test_rolling_restart_under_a_read_write_loop(
    ignite_cluster: IgniteCluster, figures: Any
) -> None:
    nodes = scaled(1, 3)
    client = Client(partition_aware=True, timeout=TIMEOUT)
    client.connect(ignite_cluster.endpoints)
    cache = client.get_or_create_cache(_settings("rel_rolling"))
    tally = Tally()
    reads: Counter[str] = Counter()
    stop = threading.Event()

    def loop() -> None:
        key = 0
        while not stop.is_set():
            tally.put(cache, key)
            try:
                cache.get(max(key - 1, 0))
                reads["ok"] += 1
            except IgniteError as exc:
                reads[type(exc).__name__] += 1
            key += 1

    worker = threading.Thread(target=loop)
    started = time.monotonic()
    worker.start()
    try:
        for index in range(nodes):
            time.sleep(2)
            ignite_cluster.restart(index)  # a kill, then a start: no graceful leave
            time.sleep(3)  # rebalancing of a few thousand keys to the fresh node
    finally:
        stop.set()
        worker.join()
    elapsed = time.monotonic() - started
    lost = _lost(cache, tally.acked)
    figures(
        "node_failure.rolling_restart",
        nodes_restarted=nodes,
        puts=tally.attempts,
        acknowledged=len(tally.acked),
        acknowledged_lost=lost,
        errors=dict(tally.errors),
        read_errors={k: v for k, v in reads.items() if k != "ok"},
        reads_ok=reads["ok"],
        worst_stall_s=tally.worst,
        seconds=elapsed,
    )
    client.close()
    assert lost == 0
    assert tally.worst <= TIMEOUT * 2 + 1
