"""W4 put_all's ceiling on this machine: what a client with no CPU of its own would reach.

    python benchmarks/bench_w4_bound.py [--entries 5000] [--warmup 60] [--seconds 20]

Issue 12 asks W4 put_all for 20x pyignite.  On a machine whose cores the client and the
three nodes share, the ratio is bounded by the nodes' own CPU per entry; this measures
that bound instead of guessing it.  It starts three nodes in bench.py's production profile
(full JIT, 1 GiB heaps, base port 10850 + ``IGNITE_WIRE_PORT_OFFSET``), then:

1. **warm-up**: W4's put_all (``put_all({i: small(i) for i in range(n)})``, the objects
   built inside the timed call, as bench_worker.py does) for ``--warmup`` seconds, so
   that the nodes' JIT has compiled the put path (its threads' CPU is shown apart);
2. **at rest**: the nodes' CPU per second with no client working (timers, discovery);
3. **client**: W4's put_all for ``--seconds``: entries/s, the client's CPU per entry, the
   nodes' CPU per entry (JIT apart);
4. **replay**: the same put_all requests, split by node and encoded ONCE, then sent
   again and again (one per node at a time, concurrently, as put_all sends them): the
   nodes do exactly W4's work, the client almost none (a send and a receive per node
   per batch).  Its entries/s is the ceiling for any client here;
5. **pyignite**: its put_all of the same objects (after a quarter of the warm-up of its
   own), for the ratio, in this same process.

The node CPU is read per thread from /proc (bench.node_cpu), so it needs Linux.  Every
phase checks the cache holds the entries.  The figures are one run's: on a shared machine
compare phases of the same run, not runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench import at_rest, node_cpu, node_cpu_between

import ignite_wire
from ignite_wire._protocol.codec import write_pairs
from ignite_wire._protocol.flow import Request
from ignite_wire._protocol.opcodes import OpCode
from ignite_wire._protocol.ops.common import cache_header
from ignite_wire._transport.threads import gather
from ignite_wire.exceptions import CacheError
from ignite_wire.testing import IgniteCluster


def small_of(lib: Any) -> Callable[[int], Any]:
    """bench_worker.py's ``small`` for ``lib`` (ignite_wire or pyignite)."""
    types = lib.datatypes
    cls = lib.GenericObjectMeta(
        "BenchSmall",
        (),
        {},
        type_name="BenchSmall",
        schema=OrderedDict(
            id=types.IntObject,
            name=types.String,
            age=types.IntObject,
            salary=types.DoubleObject,
            account=types.LongObject,
        ),
    )

    def small(i: int) -> Any:
        return cls(id=i, name=f"name-{i}", age=i % 90, salary=i * 1.5, account=i << 20)

    return small


def phase(
    pids: list[int], seconds: float, entries: int, put: Callable[[], None]
) -> dict[str, float]:
    """Run ``put`` (one batch of ``entries``) for about ``seconds``: rates per entry."""
    batches = 0
    before = node_cpu(pids)
    wall, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall < seconds:
        put()
        batches += 1
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    work, jit = node_cpu_between(before, node_cpu(pids))
    n = batches * entries
    return {
        "entries_per_s": n / wall,
        "client_us": cpu / n * 1e6,
        "node_us": work / n * 1e6,
        "jit_us": jit / n * 1e6,
        "wall_us": wall / n * 1e6,
    }


def show(name: str, r: dict[str, float]) -> None:
    print(
        f"{name:<10} {r['entries_per_s']:>10,.0f} entries/s  wall {r['wall_us']:5.2f} us/entry"
        f"  client CPU {r['client_us']:5.2f}  nodes {r['node_us']:5.2f} (+JIT {r['jit_us']:.2f})",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000, help="entries per put_all")
    parser.add_argument("--warmup", type=float, default=60.0, help="warm-up seconds")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per phase")
    args = parser.parse_args()
    n = args.entries
    base = 10800 + int(os.environ.get("IGNITE_WIRE_PORT_OFFSET", "0")) + 50
    work = Path(tempfile.mkdtemp(prefix="ignite-wire-bound-"))
    with IgniteCluster(3, base_port=base, work_dir=work, profile="production", heap_mb=1024) as c:
        pids = [node.pid for node in c.nodes if node.pid is not None]
        addresses = [node.endpoint for node in c.nodes]
        client = ignite_wire.Client(partition_aware=True)
        client.connect(addresses)
        cache = client.get_or_create_cache("bench_w4_bound")
        small = small_of(ignite_wire)

        def put() -> None:
            cache.put_all({i: small(i) for i in range(n)})

        show("warm-up", phase(pids, args.warmup, n, put))
        rest = at_rest(pids, 5.0)
        print(f"at rest    the nodes use {rest:.3f} cores", flush=True)
        ours = phase(pids, args.seconds, n, put)
        show("client", ours)

        # The same requests, encoded once: the nodes' work, no client work.
        pool = client._pool
        pairs = list({i: small(i) for i in range(n)}.items())
        parts = pool.split(cache.cache_id, pairs, pairs=True)
        requests = []
        for conn, part in parts:
            payload = cache_header(cache.cache_id)
            count_at = len(payload)
            payload += b"\0\0\0\0"
            ctx = client._context()
            payload[count_at : count_at + 4] = write_pairs(payload, part, ctx).to_bytes(4, "little")
            assert not ctx.pending, "the type is registered by the warm-up"
            requests.append(
                (
                    conn if conn is not None else pool.current(),
                    Request(OpCode.CACHE_PUT_ALL, payload, CacheError),
                )
            )
        print(
            f"replay     {len(requests)} requests per batch ({[len(p) for _, p in parts]} entries)"
        )

        def replay() -> None:
            gather([lambda c=conn, r=req: pool.request(c, r) for conn, req in requests])

        show("replay", phase(pids, args.seconds, n, replay))
        show("client", phase(pids, args.seconds, n, put))
        if cache.get_size() != n or cache.get(n - 1).account != (n - 1) << 20:
            raise AssertionError("the cache does not hold the batch")
        client.close()

        import pyignite  # the bench extra's pyignite 0.6.1

        theirs = pyignite.Client(partition_aware=True)
        theirs.connect(addresses)
        their_cache = theirs.get_or_create_cache("bench_w4_bound_pyignite")
        their_small = small_of(pyignite)

        def their_put() -> None:
            their_cache.put_all({i: their_small(i) for i in range(n)})

        phase(pids, args.warmup / 4, n, their_put)  # the nodes compile pyignite's path too
        show("pyignite", phase(pids, args.seconds, n, their_put))
        theirs.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
