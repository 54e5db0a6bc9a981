"""W2's client-side work alone: ignite_wire's CPU per op without the kernel or the node.

    python benchmarks/bench_w2_offline.py HOST:PORT[,HOST:PORT...] [--profile]

Connects a real client (partition aware) to running nodes (``python -m
ignite_wire.testing up --nodes 3 --base-port P``), runs W2's four ops for 1,000 keys
recording every answer, then gives each connection's socket driver a fake socket that
answers every frame at once with the node's recorded answer.  W2's loop then runs through
everything a real call runs (cache handle, codec, routing, the exchange, the transport's
locks, framing and parsing) except the two system calls: its CPU time per op, best of
five, is the interpreter's own cost, steady on a loaded machine where the wall clock is
not.  ``--profile`` prints a cProfile of the loop instead.  Used for issue 12's W2 cuts
(docs/benchmarks.md, "W2's floor"); real calls cost about three times as much CPU, the
interpreter's code and data being cold after every wait for the node.
"""

from __future__ import annotations

import cProfile
import pstats
import struct
import sys
import time
from collections import OrderedDict
from typing import Any

from ignite_wire import Client, GenericObjectMeta
from ignite_wire._transport.sync import SyncConnection
from ignite_wire._transport.sync_io import KernelTimedIO
from ignite_wire.datatypes import DoubleObject, IntObject, LongObject, String

BLOB = bytes(range(256)) * 4
SMALL = GenericObjectMeta(
    "BenchSmall",
    (),
    {},
    type_name="BenchSmall",
    schema=OrderedDict(
        id=IntObject, name=String, age=IntObject, salary=DoubleObject, account=LongObject
    ),
)


class AnsweringSocket:
    """A socket whose every frame is answered at once from ``answers``: the connection's
    own socket driver (``sync_io.KernelTimedIO``) runs on it, only the two system calls
    are left out."""

    def __init__(self, answers: dict[bytes, bytes]) -> None:
        self.answers = answers
        self.frame = b""

    def settimeout(self, timeout: float | None) -> None:
        pass

    def setsockopt(self, level: int, option: int, value: bytes) -> None:
        pass

    def send(self, data: bytes, flags: int = 0) -> int:
        body = self.answers[bytes(data[14:])]
        (request_id,) = struct.unpack_from("<q", data, 6)
        self.frame = struct.pack("<iqh", 10 + len(body), request_id, 0) + body
        return len(data)

    def recv_into(self, buffer: bytearray, nbytes: int = 0, flags: int = 0) -> int:
        frame = self.frame
        buffer[: len(frame)] = frame
        return len(frame)


def main() -> int:
    spec = sys.argv[1]
    addresses = [(h, int(p)) for h, p in (a.rsplit(":", 1) for a in spec.split(","))]
    client = Client(partition_aware=True)
    client.connect(addresses)
    kv = client.get_or_create_cache("bench_kv_offline")
    obj = SMALL(id=7, name="name-7", age=7, salary=10.5, account=7 << 20)

    def loop(n: int) -> None:
        for i in range(n):
            k = i % 1000
            kv.put(k, BLOB)
            assert kv.get(k) == BLOB
            kv.put(k + 100_000, obj)
            assert kv.get(k + 100_000).account == obj.account

    loop(10)  # the binary type registered: not W2's requests
    answers: dict[bytes, bytes] = {}
    original = SyncConnection.request

    def recording(self: SyncConnection, op: int, payload: Any, timeout: Any = None) -> Any:
        response = original(self, op, payload, timeout)
        answers[bytes(payload)] = bytes(response.payload)
        return response

    SyncConnection.request = recording  # type: ignore[method-assign]
    try:
        loop(1000)
    finally:
        SyncConnection.request = original  # type: ignore[method-assign]
    for conn in client._pool._conns.values():
        fake: Any = AnsweringSocket(answers)
        conn._io = KernelTimedIO(fake, client._pool.options.timeout, 1 << 16)
    loop(1000)  # warm
    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        profile.enable()
        loop(2000)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(40)
    else:
        runs = []
        for _ in range(5):
            started = time.process_time()
            loop(2000)
            runs.append((time.process_time() - started) / 8000 * 1e6)
        print(f"client CPU per W2 op, no kernel, no node: best {min(runs):.2f} us", end="")
        print(" (runs: " + ", ".join(f"{r:.2f}" for r in runs) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
