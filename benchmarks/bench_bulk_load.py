"""Bulk loading: ``repository.load`` (data streamer) against ``put_many``, three nodes.

    python benchmarks/bench_bulk_load.py [--count N] [--modes load,put_many,aio_load]

Issue 14, item 3.  Starts three Ignite nodes (the harness's ``production`` profile, as
bench.py does), then runs each mode ONCE, each in a fresh Python process (so that one
mode's peak memory cannot hide in another's), against a freshly created cache:

* ``load``: ``Repository.load(generator)`` (sync client; data streamer, op 8000);
* ``put_many``: ``Repository.put_many(generator)`` (sync client; PUT_ALL by node);
* ``aio_load``: ``AioRepository.load(generator)`` (asyncio client).

The objects are a five-field model made by a generator as the load consumes them.  Each
child reports the wall time of the call, its peak RSS growth over the call (``ru_maxrss``
after minus RSS before, so imports and the connection are not counted) and checks that
the cache holds exactly N objects afterwards.  Not a timed test: the machine it runs on
is shared, the figures are what one run measured (docs/bulk-loading.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from ignite_orm import AioDatabase, Database, IgniteModel, Key
from ignite_wire.testing import IgniteCluster


class BulkRow(IgniteModel, cache="bench_bulk_rows"):
    id: Annotated[int, Key]
    name: str
    city: str
    quantity: int
    price: float


def rows(n: int) -> Iterator[BulkRow]:
    for i in range(n):
        yield BulkRow(id=i, name=f"name {i}", city=f"city {i % 97}", quantity=i % 1000, price=i / 7)


def rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def child(mode: str, spec: str, n: int) -> dict[str, object]:
    endpoints = [(h, int(p)) for h, p in (a.split(":") for a in spec.split(","))]
    if mode == "aio_load":
        import asyncio

        async def run() -> tuple[float, int, int]:
            db = await AioDatabase.connect(endpoints)
            await db.drop_all(BulkRow)
            await db.create_all(BulkRow)
            repo = db.repository(BulkRow)
            before = rss_kib()
            start = time.perf_counter()
            await repo.load(rows(n))
            elapsed = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
            count = await repo.count()
            await db.drop_all(BulkRow)
            await db.close()
            return elapsed, peak, count

        elapsed, peak, count = asyncio.run(run())
    else:
        db = Database.connect(endpoints)
        db.drop_all(BulkRow)
        db.create_all(BulkRow)
        repo = db.repository(BulkRow)
        before = rss_kib()
        start = time.perf_counter()
        if mode == "load":
            repo.load(rows(n))
        else:
            repo.put_many(rows(n))
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        count = repo.count()
        db.drop_all(BulkRow)
        db.close()
    if count != n:
        raise SystemExit(f"{mode}: the cache holds {count} objects, expected {n}")
    return {
        "mode": mode,
        "objects": n,
        "seconds": round(elapsed, 2),
        "objects_per_second": round(n / elapsed),
        "peak_rss_growth_mib": round(max(peak, 0) / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--modes", default="load,put_many")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "ENDPOINTS"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], args.count)))
        return
    offset = int(os.environ.get("IGNITE_WIRE_PORT_OFFSET", "0"))
    base = 10850 + offset  # as bench.py: clear of the test fixtures
    results = []
    with (
        tempfile.TemporaryDirectory() as work,
        IgniteCluster(
            3,
            base_port=base,
            work_dir=Path(work) / "nodes",
            profile="production",
            heap_mb=1024,
            region_mb=768,
        ) as cluster,
    ):
        spec = ",".join(f"{h}:{p}" for h, p in (node.endpoint for node in cluster.nodes))
        for mode in args.modes.split(","):
            command = [sys.executable, __file__, "--count", str(args.count), "--child", mode, spec]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode:
                raise SystemExit(f"{mode} failed:\n{done.stdout}\n{done.stderr}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            results.append(result)
            print(json.dumps(result), flush=True)
        print(json.dumps({"ignite": cluster.version, "load_average": os.getloadavg()}))


if __name__ == "__main__":
    main()
