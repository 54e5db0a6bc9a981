"""W4 put_all's work in the calling thread, without a server: CPU per entry.

    python benchmarks/bench_w4_offline.py [--entries 10000] [--rounds 30] [--once]
    PYTHONPATH=/work/base-main python benchmarks/bench_w4_offline.py   # main's code

What ``cache.put_all({i: small(i) for i in range(n)})`` does before it sends anything,
as ``_cache_calls._batch`` does it on three partition-aware connections: the objects
built (inside the timed call, as bench_worker.py builds them), the batch taken from the
dict (``_facade.pairs_param``), split by the keys' primary nodes (``KeyRoute.split``,
1024 partitions over three fake connections) and each node's part encoded into its
request (``ops.cache.put_all``).  Not included: the sends and the answers (the pool
threads' work).  It prints the best round's CPU time per entry, the objects' share
apart (``--build-only`` rounds).  ``--once`` runs one round of each, for
``valgrind --tool=callgrind`` (instructions per entry = total / entries; compare a run
with ``--once --build-only`` for the objects' share).  Works on this checkout's code and
on main's before the flat batch (it looks for ``KeyRoute.split``'s ``flat`` parameter).
"""

from __future__ import annotations

import argparse
import inspect
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import ignite_wire
from ignite_wire import _facade
from ignite_wire._protocol.affinity import CacheAffinity
from ignite_wire._protocol.binary_types import BinaryTypeRegistry
from ignite_wire._protocol.codec import CodecContext, write_value
from ignite_wire._protocol.ops import cache as ops
from ignite_wire._protocol.ops.common import cache_header
from ignite_wire._routing import KeyRoute
from ignite_wire._transport.options import Address
from ignite_wire.datatypes import DoubleObject, IntObject, LongObject, String

SMALL = ignite_wire.GenericObjectMeta(
    "BenchSmall",
    (),
    {},
    type_name="BenchSmall",
    schema=OrderedDict(
        id=IntObject, name=String, age=IntObject, salary=DoubleObject, account=LongObject
    ),
)


def small(i: int) -> Any:
    return SMALL(id=i, name=f"name-{i}", age=i % 90, salary=i * 1.5, account=i << 20)


@dataclass(eq=False)
class Conn:
    address: Address
    node_id: uuid.UUID
    is_open: bool = True
    suspect: bool = False


NODES = tuple(uuid.UUID(int=i + 1) for i in range(3))
ROUTE: KeyRoute[Conn] = KeyRoute(
    CacheAffinity(7, True, {}, tuple(NODES[p % 3] for p in range(1024))),
    {n: Conn(Address("127.0.0.1", 10800 + i), n) for i, n in enumerate(NODES)},
    0,
)
FLAT = "flat" in inspect.signature(KeyRoute.split).parameters


def known_registry() -> BinaryTypeRegistry:
    """A registry that has BenchSmall's type (as after the bench's warm-up)."""
    registry = BinaryTypeRegistry()
    ctx = CodecContext(registry)
    write_value(bytearray(), small(0), ctx=ctx)
    for bt in ctx.take_pending():
        registry.add_type(bt)
    return registry


def put_all(n: int, registry: BinaryTypeRegistry) -> list[bytearray]:
    """The calling thread's work for one put_all of n fresh objects: the requests."""
    items = _facade.pairs_param({i: small(i) for i in range(n)}, "pairs")
    encoded: dict[int, Any] = {}
    ctx = CodecContext(registry)
    ctx.encoded = encoded
    if FLAT:
        parts = ROUTE.split(items, ctx, pairs=True, flat=True)
    else:
        parts = ROUTE.split(list(items), ctx, pairs=True)
    requests = []
    for _, part in parts:
        header = cache_header(7, expiry=b"", tx_id=None, keep_binary=False)
        part_ctx = CodecContext(registry)
        part_ctx.encoded = encoded
        ops.put_all(header, part, part_ctx)
        requests.append(header)
    return requests


def build_only(n: int, registry: BinaryTypeRegistry) -> dict[int, Any]:
    return {i: small(i) for i in range(n)}


def best(fn: Any, n: int, rounds: int, registry: BinaryTypeRegistry) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        fn(n, registry)
        times.append(time.process_time() - start)
    return min(times) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--once", action="store_true", help="one round (for callgrind)")
    parser.add_argument("--build-only", action="store_true", help="with --once: objects only")
    args = parser.parse_args()
    registry = known_registry()
    put_all(100, registry)  # warm: the writers' tables and checks
    if args.once:
        (build_only if args.build_only else put_all)(args.entries, registry)
        return
    size = sum(len(r) for r in put_all(args.entries, registry))
    whole = best(put_all, args.entries, args.rounds, registry)
    objects = best(build_only, args.entries, args.rounds, registry)
    print(
        f"{ignite_wire.__file__} (flat batch: {FLAT}): {args.entries} entries, "
        f"{size} request bytes; CPU per entry, best of {args.rounds}: put_all "
        f"{whole:.3f} us, the objects alone {objects:.3f} us, the rest {whole - objects:.3f} us"
    )


if __name__ == "__main__":
    main()
