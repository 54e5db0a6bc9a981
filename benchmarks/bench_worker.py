"""One Python client in its own long-lived process, driven by ``benchmarks/bench.py``.

    python benchmarks/bench_worker.py ignite_wire|pyignite HOST:PORT[,HOST:PORT...]

The same code runs both clients: ignite_wire's API is pyignite's, so only the imports
differ.  The worker reads one JSON command per line on stdin (``{"w": "W2", "n": 1000}``)
and answers with one JSON line: operations done, wall and process CPU seconds, and
``ok`` (every result was checked: a wrong answer is reported, never timed as a success).
The first command of each kind is the warm-up; the driver discards it.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import resource
import sys
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

KIND = sys.argv[1] if len(sys.argv) > 1 else "ignite_wire"
ADDRESSES = [
    (host, int(port))
    for host, port in (
        a.rsplit(":", 1) for a in (sys.argv[2] if len(sys.argv) > 2 else "").split(",")
    )
    if host
]
lib = importlib.import_module(KIND)
dt = importlib.import_module(f"{KIND}.datatypes")
aio = importlib.import_module(f"{KIND}.aio_client" if KIND == "ignite_wire" else KIND)

BLOB = bytes(range(256)) * 4  # 1 KB
SMALL = lib.GenericObjectMeta(
    "BenchSmall",
    (),
    {},
    type_name="BenchSmall",
    schema=OrderedDict(
        id=dt.IntObject,
        name=dt.String,
        age=dt.IntObject,
        salary=dt.DoubleObject,
        account=dt.LongObject,
    ),
)


def small(i: int) -> Any:
    return SMALL(id=i, name=f"name-{i}", age=i % 90, salary=i * 1.5, account=i << 20)


def same(a: Any, b: Any) -> bool:
    """Objects compare by fields (pyignite's objects have no ``__eq__`` over fields)."""
    if isinstance(a, SMALL) or hasattr(b, "account"):
        return all(
            getattr(a, f) == getattr(b, f) for f in ("id", "name", "age", "salary", "account")
        )
    return bool(a == b)


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)


class Worker:
    def __init__(self) -> None:
        self.client = lib.Client(partition_aware=True)
        self.client.connect(ADDRESSES)
        self.kv = self.client.get_or_create_cache(f"bench_kv_{KIND}")

    # -- the workloads: each returns the number of operations it did -------------------

    def w2(self, n: int) -> int:
        """Sync single-key put/get: a 1 KB byte array and a 5-field object."""
        kv = self.kv
        obj = small(7)
        for i in range(n):
            k = i % 1000
            kv.put(k, BLOB)
            check(kv.get(k) == BLOB, "W2 get 1 KB")
            kv.put(k + 100_000, obj)
            check(same(kv.get(k + 100_000), obj), "W2 get object")
        return 4 * n

    def w3(self, n: int) -> int:
        """asyncio, 64 tasks at once, each put then get of 1 KB."""

        async def run() -> None:
            client = aio.AioClient(partition_aware=True)
            await client.connect(ADDRESSES)
            try:
                cache = await client.get_or_create_cache(f"bench_kv_{KIND}")

                async def task(t: int) -> None:
                    for i in range(t, n, 64):
                        await cache.put(i, BLOB)
                        check(await cache.get(i) == BLOB, "W3 get")

                await asyncio.gather(*(task(t) for t in range(64)))
            finally:
                await client.close()

        asyncio.run(run())
        return 2 * n

    def w4_put(self, n: int) -> int:
        self.kv.put_all({i: small(i) for i in range(n)})
        return n

    def w4_get(self, n: int) -> int:
        got = self.kv.get_all(list(range(n)))
        check(len(got) == n, "W4 get_all count")
        check(all(v.account == k << 20 for k, v in got.items()), "W4 get_all values")
        return n

    def w5(self, n: int) -> int:
        """SQL: n rows of 5 columns (long, varchar, int, decimal, timestamp), page 1024."""
        total = count = 0
        with self.client.sql(
            "SELECT id, name, qty, price, ts FROM bench_sql WHERE id <= ?",
            page_size=1024,
            query_args=[n],
        ) as cursor:
            for row in cursor:
                count += 1
                total += row[0]
                if row[0] == 1:
                    check(row[1] == "name-1" and row[2] == 1, f"W5 row {row}")
                    check(Decimal(row[3]) == Decimal("1.25"), f"W5 decimal {row[3]!r}")
        check(count == n and total == n * (n + 1) // 2, f"W5 rows {count}/{n}")
        return n

    def w6(self, n: int) -> int:
        """Scan of the n-object cache ``bench_scan``, page 1024 for every client."""
        cache = self.client.get_cache("bench_scan")
        total = count = 0
        with cache.scan(page_size=1024) as cursor:
            for key, value in cursor:
                count += 1
                total += key
                check(key % 1000 == value.QTY, "W6 value")
        check(count == n and total == n * (n + 1) // 2, f"W6 objects {count}/{n}")
        return n

    def w8(self, n: int) -> int:
        """Peak memory (max RSS growth, reported in ``rss_mb``) over an n-row SQL result."""
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        count = 0
        with self.client.sql("SELECT id, name, qty, price, ts FROM bench_sql", page_size=1024) as c:
            for _row in c:
                count += 1
        check(count == n, f"W8 rows {count}/{n}")
        self.rss_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        return n


def main() -> int:
    worker = Worker()
    table: dict[str, Callable[[int], int]] = {
        "W2": worker.w2,
        "W3": worker.w3,
        "W4 put_all": worker.w4_put,
        "W4 get_all": worker.w4_get,
        "W5": worker.w5,
        "W6": worker.w6,
        "W8": worker.w8,
    }
    print(json.dumps({"ready": KIND}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        wall, cpu = time.perf_counter(), time.process_time()
        result: dict[str, Any] = {"w": command["w"], "client": KIND}
        try:
            ops = table[command["w"]](command["n"])
            result.update(
                ops=ops,
                wall=time.perf_counter() - wall,
                cpu=time.process_time() - cpu,
                ok=True,
            )
            after = resource.getrusage(resource.RUSAGE_SELF)  # user and kernel apart
            result.update(user=after.ru_utime - usage.ru_utime, sys=after.ru_stime - usage.ru_stime)
            if command["w"] == "W8":
                result["rss_mb"] = worker.rss_mb
        except Exception as e:  # reported to the driver, which fails the run
            result.update(ok=False, error=f"{type(e).__name__}: {e}", trace=traceback.format_exc())
        print(json.dumps(result), flush=True)
    worker.client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
