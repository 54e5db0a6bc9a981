"""Many threads share one ``Client``, many coroutines share one ``AioClient``.

Sixteen threads, and 256 coroutines, each run thousands of mixed operations (put, get,
replace, remove, get_all, contains, put_all, SQL) on the three-node cluster with partition
awareness.  Every worker owns its keys and rows, keeps a model of what they hold, and
checks *every* result against it: a response delivered to the wrong waiter, a lost
write or a mixed-up batch shows as a wrong value, not just as an exception.  At the end
the whole state is read back and compared, and each node must have served requests.

The throughput (``ops_per_s``) is recorded in the test's ``user_properties`` (written by
``--junitxml`` with ``-o junit_family=legacy``).
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from client_kinds import do, rows

from ignite_wire import AioClient, Client, monitoring
from ignite_wire.testing import IgniteCluster

pytestmark = [pytest.mark.cluster, pytest.mark.slow, pytest.mark.timeout(900)]

KEYS_PER_WORKER = 40
ROWS_PER_WORKER = 8


class PerPort(monitoring.QueryEventListener):
    """Successful requests per node port (thread-safe)."""

    def __init__(self) -> None:
        self.ports: Counter[int] = Counter()
        self._lock = threading.Lock()

    def on_query_success(self, event: monitoring.QuerySuccessEvent) -> None:
        with self._lock:
            self.ports[event.port] += 1


class Worker:
    """One thread's or coroutine's keys, rows and model; ``step`` runs one checked op.

    Written once with ``await do(...)``: a sync client's calls return values, which
    ``do`` passes through (the thread runs its steps with ``asyncio.run``).
    """

    def __init__(self, wid: int, client: Any, cache: Any, table: str) -> None:
        self.wid = wid
        self.client = client
        self.cache = cache
        self.table = table
        self.rng = random.Random(1000 + wid)
        self.keys = [f"w{wid}-k{i}" for i in range(KEYS_PER_WORKER)]
        self.model: dict[str, Any] = {}
        self.row_ids = [wid * 1000 + i for i in range(ROWS_PER_WORKER)]
        self.rows: dict[int, str] = {}
        self.ops: Counter[str] = Counter()
        ops: list[tuple[Callable[[], Any], int]] = [
            (self.put, 20),
            (self.get, 20),
            (self.replace, 10),
            (self.remove, 8),
            (self.get_all, 8),
            (self.contains, 8),
            (self.contains_all, 4),
            (self.put_all, 4),
            (self.sql_write, 3),
            (self.sql_read, 3),
        ]
        self._ops = [op for op, _ in ops]
        self._weights = [weight for _, weight in ops]

    def value(self) -> Any:
        choice = self.rng.randrange(4)
        n = self.rng.randrange(1_000_000)
        if choice == 0:
            return n
        if choice == 1:
            return f"{self.wid}:{n}:" + "x" * self.rng.randrange(200)
        if choice == 2:
            return n / 7
        return [self.wid, n, "list"]

    def key(self) -> str:
        return self.rng.choice(self.keys)

    def sample(self) -> list[str]:
        return self.rng.sample(self.keys, self.rng.randrange(1, 12))

    async def step(self) -> None:
        op = self.rng.choices(self._ops, self._weights)[0]
        self.ops[op.__name__] += 1
        await op()

    async def put(self) -> None:
        key, value = self.key(), self.value()
        assert await do(self.cache.put(key, value)) is None
        self.model[key] = value

    async def get(self) -> None:
        key = self.key()
        assert await do(self.cache.get(key)) == self.model.get(key), key

    async def replace(self) -> None:
        key, value = self.key(), self.value()
        replaced = await do(self.cache.replace(key, value))
        assert replaced is (key in self.model), key
        if replaced:
            self.model[key] = value

    async def remove(self) -> None:
        key = self.key()
        assert await do(self.cache.remove_key(key)) is (key in self.model), key
        self.model.pop(key, None)

    async def get_all(self) -> None:
        keys = self.sample()
        expected = {k: self.model[k] for k in keys if k in self.model}
        assert await do(self.cache.get_all(keys)) == expected

    async def contains(self) -> None:
        key = self.key()
        assert await do(self.cache.contains_key(key)) is (key in self.model), key

    async def contains_all(self) -> None:
        keys = self.sample()
        expected = all(k in self.model for k in keys)
        assert await do(self.cache.contains_keys(keys)) is expected, keys

    async def put_all(self) -> None:
        pairs = {k: self.value() for k in self.sample()}
        await do(self.cache.put_all(pairs))
        self.model.update(pairs)

    async def sql_write(self) -> None:
        row_id, text = self.rng.choice(self.row_ids), f"r{self.rng.randrange(10**9)}"
        merged = await rows(
            self.client.sql(
                f"MERGE INTO {self.table} (id, owner, v) VALUES (?, ?, ?)",
                query_args=[row_id, self.wid, text],
            )
        )
        assert merged == [[1]]
        self.rows[row_id] = text

    async def sql_read(self) -> None:
        row_id = self.rng.choice(self.row_ids)
        found = await rows(
            self.client.sql(f"SELECT v FROM {self.table} WHERE id = ?", query_args=[row_id])
        )
        assert found == ([[self.rows[row_id]]] if row_id in self.rows else []), row_id

    async def verify(self) -> None:
        """The whole state, read back at the end."""
        assert await do(self.cache.get_all(self.keys)) == self.model
        found = await rows(
            self.client.sql(
                f"SELECT id, v FROM {self.table} WHERE owner = ? ORDER BY id",
                query_args=[self.wid],
            )
        )
        assert found == [[row_id, self.rows[row_id]] for row_id in sorted(self.rows)]


async def setup(client: Any, name: str) -> tuple[Any, str]:
    cache = await do(client.get_or_create_cache(name))
    await do(cache.clear())
    table = f"{name}_rows"
    await rows(client.sql(f"DROP TABLE IF EXISTS {table}"))
    await rows(
        client.sql(
            f"CREATE TABLE {table} (id INT PRIMARY KEY, owner INT, v VARCHAR) "
            'WITH "template=partitioned"'
        )
    )
    return cache, table


async def teardown(client: Any, cache: Any, table: str) -> None:
    await rows(client.sql(f"DROP TABLE {table}"))
    await do(cache.destroy())


def test_sixteen_threads_share_one_client(
    ignite_cluster: IgniteCluster, request: pytest.FixtureRequest
) -> None:
    threads, ops_each = 16, 2000
    per_port = PerPort()
    client = Client(timeout=60.0, event_listeners=[per_port])
    client.connect(ignite_cluster.endpoints)
    try:
        cache, table = asyncio.run(setup(client, "conc_sync"))
        workers = [Worker(w, client, cache, table) for w in range(threads)]
        errors: list[BaseException] = []
        start = threading.Barrier(threads + 1)

        def run(worker: Worker) -> None:
            async def steps() -> None:
                for _ in range(ops_each):
                    await worker.step()

            start.wait()
            try:
                asyncio.run(steps())
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)

        pool = [threading.Thread(target=run, args=(w,)) for w in workers]
        for thread in pool:
            thread.start()
        start.wait()
        started = time.perf_counter()
        for thread in pool:
            thread.join()
        elapsed = time.perf_counter() - started
        assert not errors, errors[:3]
        for worker in workers:
            asyncio.run(worker.verify())
        total = sum(sum(w.ops.values()) for w in workers)
        assert total == threads * ops_each
        request.node.user_properties.append(("ops_per_s", round(total / elapsed)))
        request.node.user_properties.append(("requests_per_port", dict(per_port.ports)))
        assert set(per_port.ports) == {node.port for node in ignite_cluster.nodes}
        asyncio.run(teardown(client, cache, table))
    finally:
        client.close()


async def test_256_coroutines_share_one_aio_client(
    ignite_cluster: IgniteCluster, request: pytest.FixtureRequest
) -> None:
    coroutines, ops_each = 256, 2000
    per_port = PerPort()
    client = AioClient(timeout=60.0, event_listeners=[per_port])
    await client.connect(ignite_cluster.endpoints)
    try:
        cache, table = await setup(client, "conc_aio")
        workers = [Worker(w, client, cache, table) for w in range(coroutines)]

        async def run(worker: Worker) -> None:
            for _ in range(ops_each):
                await worker.step()

        started = time.perf_counter()
        await asyncio.gather(*(run(w) for w in workers))
        elapsed = time.perf_counter() - started
        for worker in workers:
            await worker.verify()
        total = sum(sum(w.ops.values()) for w in workers)
        assert total == coroutines * ops_each
        request.node.user_properties.append(("ops_per_s", round(total / elapsed)))
        request.node.user_properties.append(("requests_per_port", dict(per_port.ports)))
        assert set(per_port.ports) == {node.port for node in ignite_cluster.nodes}
        await teardown(client, cache, table)
    finally:
        await client.close()
