"""The floor of W2 (sync single-key put/get) on this machine, side by side with the clients.

    python benchmarks/bench_floor.py [--repeat N] [--scale F] [--warmup N] [--baseline DIR]

One request at a time, each op is the client's CPU plus a round trip through the node.
How fast can ANY client be here?  This starts the same three nodes as ``bench.py``
(production profile) and runs, each in its own process, alternating as ``bench.py`` does:

* ``ignite_wire`` and ``pyignite`` (and ``baseline``, ``--baseline``): ``bench_worker.py``'s
  W2, unchanged;
* ``raw``: the exact frames ignite_wire sends for W2, captured once from a real
  ignite_wire client (the same key routing, hence the same node for each op) and replayed
  on that client's own handshaken sockets by the leanest Python loop there is (one
  ``send`` and ``recv_into`` per op, bound methods, pre-built frames; each response read
  whole and its length checked against the captured one).  No client can do less work in
  Python: this is the Python floor;
* ``c``: the same frames and sockets replayed by ``replay_floor.c`` (compiled here with
  ``cc``): the floor without an interpreter.

For each: wall, user and system CPU (``getrusage``) per op, the nodes' CPU per op, and
throughput against pyignite.  The last lines say how far ignite_wire is above the Python
floor and the best ratio to pyignite that floor allows.

    python benchmarks/bench_floor.py --worker raw|c HOST:PORT,...   (internal)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ORDER = ["ignite_wire", "pyignite", "raw", "c", "baseline"]


# -- the replaying worker (--worker raw|c) --------------------------------------------------


def _capture(addresses: list[tuple[str, int]]) -> tuple[Any, list[Any], list[tuple[int, bytes]]]:
    """Run W2's four ops for 1,000 keys with ignite_wire, recording every request frame and
    the connection it went to; returns (client, sockets, [(socket index, frame)])."""
    from bench_w2_offline import BLOB, SMALL

    from ignite_wire import Client
    from ignite_wire._protocol.messages import build_request
    from ignite_wire._transport.sync import SyncConnection

    blob = BLOB
    obj = SMALL(id=7, name="name-7", age=7, salary=10.5, account=7 << 20)
    client = Client(partition_aware=True)
    client.connect(addresses)
    kv = client.get_or_create_cache("bench_kv_raw")
    kv.put(100_000, obj)  # registers the type: those requests are not W2's
    kv.get(100_000)
    recorded: list[tuple[SyncConnection, int, bytes]] = []
    original = SyncConnection.request

    def recording(self: SyncConnection, op: int, payload: Any, timeout: Any = None) -> Any:
        recorded.append((self, op, bytes(payload)))
        return original(self, op, payload, timeout)

    SyncConnection.request = recording  # type: ignore[method-assign]
    try:
        for k in range(1000):
            kv.put(k, blob)
            assert kv.get(k) == blob
            kv.put(k + 100_000, obj)
            assert kv.get(k + 100_000).account == obj.account
    finally:
        SyncConnection.request = original  # type: ignore[method-assign]
    ops = {op for _, op, _ in recorded}
    if len(recorded) != 4000 or ops != {1000, 1001}:
        raise SystemExit(f"capture: {len(recorded)} requests, ops {sorted(ops)}")
    conns = list(dict.fromkeys(conn for conn, _, _ in recorded))
    socks = [conn._sock for conn in conns]
    frames = [
        (conns.index(conn), build_request(op, 1 + i, payload))
        for i, (conn, op, payload) in enumerate(recorded)
    ]
    return client, socks, frames


def _expected_lengths(socks: list[Any], frames: list[tuple[int, bytes]]) -> list[int]:
    """One replay of every frame: each response's whole length (a success, flags 0)."""
    buf = bytearray(1 << 16)
    lengths = []
    for index, frame in frames:
        sock = socks[index]
        sock.sendall(frame)
        got = sock.recv_into(buf)
        want = 4 + int.from_bytes(buf[:4], "little")
        while got < want:
            got += sock.recv_into(memoryview(buf)[got:])
        flags = int.from_bytes(buf[12:14], "little")
        if got != want or buf[4:12] != frame[6:14] or flags & 1:
            raise SystemExit(f"replay: bad answer (flags {flags}, {got}/{want} bytes)")
        lengths.append(want)
    return lengths


def _replay_python(plan: list[tuple[Any, Any, bytes, int]], count: int) -> int:
    """The leanest Python loop: send the frame, read the whole answer; wrong lengths."""
    buf = bytearray(1 << 16)
    view = memoryview(buf)
    bad = 0
    size = len(plan)
    for i in range(count):
        send, recv_into, frame, want = plan[i % size]
        send(frame)
        got = recv_into(buf)
        while got < want:
            got += recv_into(view[got:])
        if got != want:
            bad += 1
    return bad


def worker(kind: str, spec: str) -> int:
    addresses = [(h, int(p)) for h, p in (a.rsplit(":", 1) for a in spec.split(","))]
    client, socks, frames = _capture(addresses)
    lengths = _expected_lengths(socks, frames)
    plan = [
        (socks[i].send, socks[i].recv_into, frame, want)
        for (i, frame), want in zip(frames, lengths, strict=True)
    ]
    work = Path(tempfile.mkdtemp(prefix="ignite-wire-floor-"))
    try:
        binary = work / "replay_floor"
        if kind == "c":
            subprocess.run(
                ["cc", "-O2", "-o", str(binary), str(HERE / "replay_floor.c")], check=True
            )
            with open(work / "frames", "wb") as file:
                for (i, frame), want in zip(frames, lengths, strict=True):
                    file.write(struct.pack("<BI", i, len(frame)) + frame + struct.pack("<I", want))
        print(json.dumps({"ready": kind}), flush=True)
        for line in sys.stdin:
            command = json.loads(line)
            count = 4 * command["n"]  # bench_worker's w2(n) does 4 ops per n
            result: dict[str, Any] = {"w": command["w"], "client": kind, "ops": count}
            if kind == "c":
                fds = [s.fileno() for s in socks]
                out = subprocess.run(
                    [str(binary), str(work / "frames"), str(count), *map(str, fds)],
                    pass_fds=fds,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                result.update(json.loads(out))
            else:
                r0, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
                bad = _replay_python(plan, count)
                wall = time.perf_counter() - wall
                r1 = resource.getrusage(resource.RUSAGE_SELF)
                result.update(
                    wall=wall,
                    user=r1.ru_utime - r0.ru_utime,
                    sys=r1.ru_stime - r0.ru_stime,
                    bad=bad,
                )
            result["cpu"] = result["user"] + result["sys"]
            result["ok"] = result.pop("bad") == 0
            if not result["ok"]:
                result["error"] = "answers of an unexpected length"
            print(json.dumps(result), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        client.close()
    return 0


# -- the driver -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=float, default=0.5, help="bench.py's W2 size times F")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--baseline", metavar="CHECKOUT", help="also ignite_wire from there")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--worker", choices=["raw", "c"], help=argparse.SUPPRESS)
    parser.add_argument("spec", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker, args.spec)

    from bench import SIZES, Proc, at_rest, baseline_env, node_cpu, node_cpu_between

    from ignite_wire.testing import IgniteCluster

    n = max(64, int(SIZES["W2"] * args.scale))
    base_env = baseline_env(args.baseline)
    port = 10800 + int(os.environ.get("IGNITE_WIRE_PORT_OFFSET", "0")) + 50
    work = Path(tempfile.mkdtemp(prefix="ignite-wire-floor-"))
    samples: dict[str, list[dict[str, Any]]] = {}
    procs: dict[str, Proc] = {}
    try:
        with IgniteCluster(
            3, base_port=port, work_dir=work / "nodes", profile="production", heap_mb=1024
        ) as cluster:
            spec = ",".join(f"{h}:{p}" for h, p in (node.endpoint for node in cluster.nodes))
            pids = [node.pid for node in cluster.nodes if node.pid is not None]
            worker_py = [sys.executable, str(HERE / "bench_worker.py")]
            floor_py = [sys.executable, str(Path(__file__).resolve()), "--worker"]
            commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
                "ignite_wire": ([*worker_py, "ignite_wire", spec], None),
                "pyignite": ([*worker_py, "pyignite", spec], None),
                "raw": ([*floor_py, "raw", spec], None),
                "c": ([*floor_py, "c", spec], None),
            }
            if base_env is not None:
                commands["baseline"] = ([*worker_py, "ignite_wire", spec], base_env)
            procs = {name: Proc(name, cmd, env) for name, (cmd, env) in commands.items()}
            rest = at_rest(pids)
            order = [c for c in ORDER if c in procs]
            samples = {c: [] for c in order}
            for _ in range(max(1, args.warmup)):
                for client in order:
                    procs[client].run("W2", n)
            for rep in range(args.repeat):
                for client in order[rep % len(order) :] + order[: rep % len(order)]:
                    before = node_cpu(pids)
                    result = procs[client].run("W2", n)
                    result["node"] = node_cpu_between(before, node_cpu(pids))[0]
                    samples[client].append(result)
            for proc in procs.values():
                proc.close()
            procs = {}
    finally:
        for proc in procs.values():
            proc.p.kill()
        shutil.rmtree(work, ignore_errors=True)
    report(samples, rest, args)
    if args.json:
        Path(args.json).write_text(json.dumps(samples, indent=2))
    return 0


def report(samples: dict[str, list[dict[str, Any]]], rest: float, args: Any) -> None:
    def med(client: str, key: str) -> float:
        return float(statistics.median(r[key] / r["ops"] * 1e6 for r in samples[client]))

    print(
        f"\nW2 floor: medians of {args.repeat} alternating repetitions after {args.warmup}"
        f" warm-up round(s), {samples['raw'][0]['ops']} ops each; nodes at rest {rest:.3f} cores"
    )
    print(
        f"{'client':<13}{'wall us/op':>11}{'user':>8}{'sys':>8}{'CPU':>8}{'node':>8}"
        f"{'ops/s':>9}{'/pyignite':>10}{'spread':>8}"
    )
    py = med("pyignite", "wall")
    for client in samples:
        rates = [r["ops"] / r["wall"] for r in samples[client]]
        print(
            f"{client:<13}{med(client, 'wall'):>11.1f}{med(client, 'user'):>8.1f}"
            f"{med(client, 'sys'):>8.1f}{med(client, 'cpu'):>8.1f}{med(client, 'node'):>8.1f}"
            f"{1e6 / med(client, 'wall'):>9.0f}{py / med(client, 'wall'):>9.2f}x"
            f"{max(rates) / min(rates) - 1:>7.0%}"
        )

    def best(client: str) -> float:
        return float(min(r["wall"] / r["ops"] * 1e6 for r in samples[client]))

    print(
        "best repetition (least disturbed by the machine's other load), wall us/op: "
        + ", ".join(f"{c} {best(c):.1f} ({best('pyignite') / best(c):.2f}x)" for c in samples)
    )
    ours, raw, c = med("ignite_wire", "wall"), med("raw", "wall"), med("c", "wall")
    print(
        f"ignite_wire above the Python floor: {ours - raw:.1f} us/op wall"
        f" ({med('ignite_wire', 'cpu') - med('raw', 'cpu'):.1f} us CPU);"
        f" best ratio to pyignite in Python: {py / raw:.2f}x, in C: {py / c:.2f}x;"
        f" 2x pyignite needs {py / 2:.1f} us/op"
    )


if __name__ == "__main__":
    sys.exit(main())
