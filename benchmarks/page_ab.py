"""W6 and W5 paired, this checkout against another (issue 12): one node, fresh processes.

Starts one production-profile node, fills W6's cache and W5's table (50,000 each by
default), then runs rounds; each round runs a fresh process of the other checkout, then
one of this one, and each process reports the median of ``--reps`` scans / SELECTs
(objects or rows per second, client CPU per item).  Pairs in one round share the
machine's load, so on a shared machine the count of rounds won says more than the means.

    IGNITE_WIRE_PORT_OFFSET=200 python benchmarks/page_ab.py /work/base-main --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FILL = (
    "INSERT INTO {table} (id, name, qty, price, ts) SELECT x, CONCAT('name-', x),"
    " CAST(MOD(x, 1000) AS INT), CAST(x AS DECIMAL(12, 2)) + 0.25,"
    " TIMESTAMP '2024-01-01 00:00:00' FROM SYSTEM_RANGE(1, ?)"
)


def worker(port: int, reps: int) -> None:
    """One process's figures: {workload: [items/s, CPU us per item]} (medians)."""
    from ignite_wire import Client

    client = Client()
    client.connect("127.0.0.1", port)
    cache = client.get_cache("bench_scan")

    def w6() -> int:
        count = 0
        with cache.scan(page_size=1024) as cursor:
            for key, value in cursor:
                count += 1
                if key % 1000 != value.QTY:
                    raise SystemExit(f"W6 value {key}")
        return count

    def w5() -> int:
        count = 0
        sql = "SELECT id, name, qty, price, ts FROM bench_sql"
        with client.sql(sql, page_size=1024) as cursor:
            for _row in cursor:
                count += 1
        return count

    out: dict[str, tuple[float, float]] = {}
    for name, run in (("W6", w6), ("W5", w5)):
        run()
        run()  # warm
        walls, cpus = [], []
        for _ in range(reps):
            wall, cpu = time.perf_counter(), time.process_time()
            n = run()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        walls.sort()
        cpus.sort()
        out[name] = (n / walls[reps // 2], 1e6 * cpus[reps // 2] / n)
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("other", help="the checkout to compare with (its ignite_wire)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        worker(args.worker, args.reps)
        return
    from ignite_wire import Client
    from ignite_wire.testing import IgniteCluster
    from ignite_wire.testing.__main__ import default_base_port

    with tempfile.TemporaryDirectory() as work:
        cluster = IgniteCluster(
            1, base_port=default_base_port() + 80, work_dir=Path(work), profile="production"
        )
        cluster.start()
        try:
            host, port = cluster.node(0).endpoint
            with Client() as client:
                client.connect(host, port)
                for table, extra in (
                    ("bench_sql", ""),
                    ("bench_scan", ",CACHE_NAME=bench_scan,VALUE_TYPE=BenchScanRow"),
                ):
                    client.sql(
                        f"CREATE TABLE {table} (id BIGINT PRIMARY KEY, name VARCHAR, qty INT,"
                        f' price DECIMAL(12, 2), ts TIMESTAMP) WITH "TEMPLATE=PARTITIONED{extra}"'
                    )
                    client.sql(FILL.format(table=table), query_args=[args.items])
            results: dict[str, list[Any]] = {"other": [], "this": []}
            for round_ in range(args.rounds):
                for who, path in (("other", args.other), ("this", str(HERE.parent))):
                    env = dict(os.environ, PYTHONPATH=path)
                    command = [sys.executable, __file__, path, "--worker", str(port)]
                    command += ["--reps", str(args.reps)]
                    done = subprocess.run(
                        command, env=env, capture_output=True, text=True, cwd=work, timeout=900
                    )
                    if done.returncode:
                        raise SystemExit(done.stderr)
                    results[who].append(json.loads(done.stdout))
                    print(round_, who, results[who][-1], flush=True)
            for name in ("W6", "W5"):
                won = sum(
                    t[name][0] > o[name][0]
                    for t, o in zip(results["this"], results["other"], strict=True)
                )
                for who in ("other", "this"):
                    rates = sorted(r[name][0] for r in results[who])
                    cpus = sorted(r[name][1] for r in results[who])
                    print(
                        f"{name} {who:<5} median {rates[len(rates) // 2]:,.0f}/s, "
                        f"CPU {cpus[len(cpus) // 2]:.2f} us per item"
                    )
                print(f"{name}: this checkout ahead in {won} of {args.rounds} rounds")
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
