"""Three-way benchmark: ignite_wire, pyignite 0.6.1 and the Java thin client, W1-W8.

    python benchmarks/bench.py [--quick] [--repeat N] [--scale F] [--json FILE]

Starts three Ignite nodes in the harness's ``production`` profile (full JIT, default GC
and thread pools; the test profile's C1-only JIT inflates the server's cost for every
client), fills the tables the workloads read, and starts each client in its own
long-lived process: ``bench_worker.py`` for the two Python clients (their APIs are the
same) and ``IgniteWireBench.java`` (compiled here with javac against the jars the harness
fetched, so the Java client is the nodes' own version).  Each workload is run once per
client as warm-up (``--warmup N``: N rounds), then ``--repeat`` times with the clients
alternating (their order rotates every repetition).  Every run checks its results; a
wrong result fails the benchmark.  The table shows medians: ops/s, client CPU per op
(the worker's own process CPU time), node CPU per op (the three JVMs' CPU time, from
/proc, without their JIT compiler threads, whose CPU is shown apart: see
:func:`node_cpu`), the ratios ours/other by throughput, and ``~`` where a client's
repetitions spread more than 25% (max/min - 1).

W1 is the codec micro-benchmark ``bench_codec.py`` (no server; ours vs pyignite).  W7 is
``bench_orm_query.py`` (the ORM over raw ignite_wire: get, put, 10,000-row queries).  W8 is
ignite_wire's peak memory (max RSS growth) while iterating the whole SQL table, in a
fresh process.  ``--quick`` is the smoke run CI executes: small sizes, one repetition;
it checks that everything runs and answers correctly, not speed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ignite_wire import Client
from ignite_wire.testing import IgniteCluster
from ignite_wire.testing._artifacts import ServerArtifacts
from ignite_wire.testing._node import _JVM_OPTIONS

HERE = Path(__file__).resolve().parent
JAVA_SOURCE = HERE.parent / "ignite_wire" / "testing" / "java" / "IgniteWireBench.java"

#: Workload sizes (full run); ``--scale`` multiplies them, ``--quick`` uses QUICK.
SIZES = {
    "W2": 2_000,
    "W3": 20_000,
    "W4 put_all": 10_000,
    "W4 get_all": 10_000,
    "W5": 100_000,
    "W6": 100_000,
    "W8": 1_000_000,
}
QUICK = {w: max(64, n // 100) for w, n in SIZES.items()}
CLIENT_ORDER = ["ignite_wire", "pyignite", "java", "baseline"]


def baseline_env(checkout: str | None) -> dict[str, str] | None:
    """The environment of a process that imports ignite_wire (and ignite_orm) from another
    checkout of this repository (``--baseline``): the same workload code, older library
    code, so a change's effect is measured side by side in one run instead of across two
    runs on a machine whose load moves."""
    if checkout is None:
        return None
    root = str(Path(checkout).resolve())
    if not (Path(root) / "ignite_wire" / "__init__.py").is_file():
        raise SystemExit(f"--baseline {checkout}: no ignite_wire package there")
    return dict(os.environ, PYTHONPATH=root)


#: The JVM's JIT compiler threads ("C2 CompilerThread0", "C1 CompilerThread0"; Linux
#: shows a thread's name cut to 15 characters).
_JIT_THREAD = re.compile(r"C\d CompilerThre")


def node_cpu(pids: list[int]) -> dict[tuple[int, str], tuple[bool, int]]:
    """What each thread of the node JVMs has used so far, in clock ticks, and whether it
    is a JIT compiler thread.  :func:`node_cpu_between` makes a run's figures of two.

    The JIT's share is apart because it is not work per operation: the nodes' compilers
    run for minutes after start (the production profile's full C2 JIT), compiling at
    their own pace, and their CPU lands in whichever run is on at the time, in
    proportion to its wall time: a run that takes twice as long collects twice the
    compiling, whichever client it is.  Per thread (not the process's total, which the
    kernel rounds apart): both parts are then rounded alike and never below zero.
    """
    threads: dict[tuple[int, str], tuple[bool, int]] = {}
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                stat = (task / "stat").read_text()
            except OSError:  # the thread ended meanwhile
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            threads[(pid, task.name)] = (
                bool(_JIT_THREAD.match(name)),
                int(fields[11]) + int(fields[12]),
            )
    return threads


def node_cpu_between(
    before: dict[tuple[int, str], tuple[bool, int]],
    after: dict[tuple[int, str], tuple[bool, int]],
) -> tuple[float, float]:
    """CPU seconds the nodes used between two :func:`node_cpu` samples: (all but the JIT
    compilers, the JIT compilers).  A thread started meanwhile counts from zero; one
    that ended meanwhile is missing (the nodes' pools keep their threads; JDK 17 may
    retire an idle compiler thread)."""
    ticks = os.sysconf("SC_CLK_TCK")
    work = jit = 0
    for thread, (is_jit, used) in after.items():
        used -= before.get(thread, (is_jit, 0))[1]
        if is_jit:
            jit += used
        else:
            work += used
    return work / ticks, jit / ticks


def at_rest(pids: list[int], seconds: float = 3.0) -> float:
    """The nodes' CPU (JIT apart) per second while no client works: timers, discovery,
    metrics.  A run collects it in proportion to its wall time, so a slow client's node
    CPU per op carries more of it (pyignite's W6 run at 3,500 ops/s: about 10 us per op
    of its 14 were this); the table's footer says how much."""
    before = node_cpu(pids)
    time.sleep(seconds)
    return node_cpu_between(before, node_cpu(pids))[0] / seconds


class Proc:
    """One client process: one JSON command per line in, one JSON result per line out."""

    def __init__(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        self.name = name
        self.p = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1, env=env
        )
        ready = self._line()
        if "ready" not in ready:
            raise RuntimeError(f"{name} did not start: {ready}")

    def _line(self) -> dict[str, Any]:
        assert self.p.stdout is not None
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError(f"{self.name} exited (code {self.p.wait()})")
            if line.startswith("{"):
                return dict(json.loads(line))

    def run(self, workload: str, n: int) -> dict[str, Any]:
        assert self.p.stdin is not None
        self.p.stdin.write(json.dumps({"w": workload, "n": n}) + "\n")
        result = self._line()
        if not result.get("ok"):
            raise RuntimeError(
                f"{self.name} {workload} failed: {result.get('error')}\n{result.get('trace', '')}"
            )
        return result

    def close(self) -> None:
        if self.p.stdin is not None:
            self.p.stdin.close()
        try:
            self.p.wait(30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def compile_java(artifacts: ServerArtifacts, out: Path) -> list[str]:
    """javac the Java side against the nodes' jars; the command line that runs it."""
    javac = Path(artifacts.java).with_name("javac")
    subprocess.run(
        [
            str(javac),
            "-nowarn",
            "-cp",
            str(artifacts.lib_dir / "*"),
            "-d",
            str(out),
            str(JAVA_SOURCE),
        ],
        check=True,
    )
    classpath = os.pathsep.join([str(out), str(artifacts.lib_dir / "*")])
    # Ignite's client needs the same module openings as its server (GridUnsafe).
    opens = [o for o in _JVM_OPTIONS if o.startswith("--add-opens")]
    return [str(artifacts.java), "-Xmx1g", *opens, "-cp", classpath, "IgniteWireBench"]


def fill(addresses: list[tuple[str, int]], rows: int, scan: int) -> None:
    """The SQL table (W5, W8) and the scanned cache (W6), filled on the server side."""
    with Client() as client:
        client.connect(addresses)
        for table, n, extra in (
            ("bench_sql", rows, ""),
            ("bench_scan", scan, ",CACHE_NAME=bench_scan,VALUE_TYPE=BenchScanRow"),
        ):
            client.sql(f"DROP TABLE IF EXISTS {table}")
            client.sql(
                f"CREATE TABLE {table} (id BIGINT PRIMARY KEY, name VARCHAR, qty INT,"
                f' price DECIMAL(12, 2), ts TIMESTAMP) WITH "TEMPLATE=PARTITIONED{extra}"'
            )
            step = 50_000
            for low in range(1, n + 1, step):
                high = min(n, low + step - 1)
                client.sql(
                    f"INSERT INTO {table} (id, name, qty, price, ts) SELECT x, CONCAT('name-', x),"
                    " CAST(MOD(x, 1000) AS INT), CAST(x AS DECIMAL(12, 2)) + 0.25,"
                    " TIMESTAMP '2024-01-01 00:00:00' FROM SYSTEM_RANGE(?, ?)",
                    query_args=[low, high],
                )


def codec(quick: bool, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """W1: bench_codec.py's rows (ours vs pyignite, in one process, no server)."""
    args = ["--json", "--repeat", "1" if quick else "5", "--seconds", "0.02" if quick else "0.1"]
    out = subprocess.run(
        [sys.executable, str(HERE / "bench_codec.py"), *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return list(json.loads(out)["results"])


def orm_over_raw(address: tuple[str, int], base: dict[str, str] | None = None) -> list[str]:
    """W7: ``bench_orm_query.py`` (the ORM against raw ignite_wire on the same data; wall
    time, best of rounds), its result lines."""
    host, port = address
    env = dict(base or os.environ, IGNITE_WIRE_HOST=host, IGNITE_WIRE_PORT=str(port))
    out = subprocess.run(
        [sys.executable, str(HERE / "bench_orm_query.py")],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line for line in out.splitlines() if "x)" in line]


def summarize(
    samples: dict[str, list[dict[str, Any]]], node_cpu_s: dict[str, list[tuple[float, float]]]
) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for client, runs in samples.items():
        rates = [r["ops"] / r["wall"] for r in runs]
        nodes = list(zip(node_cpu_s[client], runs, strict=True))
        row[client] = {
            "ops_per_s": statistics.median(rates),
            "cpu_us_per_op": statistics.median(r["cpu"] / r["ops"] * 1e6 for r in runs),
            "node_cpu_us_per_op": statistics.median(c / r["ops"] * 1e6 for (c, _), r in nodes),
            "node_jit_us_per_op": statistics.median(j / r["ops"] * 1e6 for (_, j), r in nodes),
            "spread": max(rates) / min(rates) - 1,
            "runs": len(runs),
        }
    ours = row["ignite_wire"]["ops_per_s"]
    for other in ("pyignite", "java", "baseline"):
        if other in row:
            row[f"ours/{other}"] = ours / row[other]["ops_per_s"]
    return row


def print_table(results: dict[str, Any], repeat: int) -> None:
    warmup = results.get("warmup", 1)
    print(
        f"\nmedians of {repeat} alternating repetitions after {warmup} warm-up round(s);"
        " ~ = spread > 25%"
    )
    print(
        "node us/op: the nodes' CPU without their JIT compilers' (JIT: theirs, apart; it goes"
        " on for minutes after start, at its own pace, and lands in whichever run is on)"
    )
    if "nodes_at_rest_cores" in results:
        rest = results["nodes_at_rest_cores"]
        print(
            f"at rest the nodes use {rest:.3f} cores, in every run's node CPU: "
            f"{rest / 1e5 * 1e6:.2f} us/op at 100,000 ops/s, {rest / 1e4 * 1e6:.1f} at 10,000"
        )
    print(
        f"{'workload':<12}{'client':<13}{'ops/s':>11}{'CPU us/op':>11}"
        f"{'node us/op':>11}{'(JIT)':>7}{'ratio':>9}"
    )
    for workload, row in results["workloads"].items():
        for client in CLIENT_ORDER:
            if client not in row:
                continue
            r = row[client]
            ratio = row.get(f"ours/{client}")
            mark = "~" if r["spread"] > 0.25 else ""
            print(
                f"{workload:<12}{client:<13}{r['ops_per_s']:>10.0f}{mark:1}{r['cpu_us_per_op']:>11.1f}"
                f"{r['node_cpu_us_per_op']:>11.1f}{r['node_jit_us_per_op']:>7.1f}"
                f"{'' if ratio is None else f'{ratio:>8.2f}x'}"
            )
    for r in results["codec"]:
        print(
            f"W1 {r['operation']:<28} ours {r['ignite_wire_us']['median']:.2f} us, "
            f"pyignite {r['pyignite_us']['median']:.1f} us: {r['speedup']['median']:.1f}x"
        )
    for r in results.get("baseline_codec", []):
        print(
            f"W1 baseline {r['operation']:<19} {r['ignite_wire_us']['median']:.2f} us,"
            f" pyignite {r['pyignite_us']['median']:.1f} us: {r['speedup']['median']:.1f}x"
        )
    for line in results.get("W7", []):
        print(f"W7 {line}")
    for line in results.get("baseline_W7", []):
        print(f"W7 baseline {line}")
    if "W8" in results:
        w8 = results["W8"]
        print(f"W8 peak RSS growth over {w8['rows']} rows: {w8['rss_mb']:.1f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: small sizes, 1 repetition")
    parser.add_argument("--repeat", type=int, default=5, help="measured repetitions (default 5)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every workload size")
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="warm-up rounds per workload, every client once each (default 1); fresh nodes"
        " compile for minutes, so more rounds give steadier node and throughput figures",
    )
    parser.add_argument("--only", help="comma-separated workloads (e.g. W2,W5)")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--baseline",
        metavar="CHECKOUT",
        help="also run ignite_wire from this checkout (e.g. a git worktree of an older"
        " commit) as a fourth client, and W1/W7 from it; the ratio column then compares"
        " this checkout with that one in the same run",
    )
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else args.repeat
    sizes = (
        dict(QUICK) if args.quick else {w: max(64, int(n * args.scale)) for w, n in SIZES.items()}
    )
    wanted = set(args.only.split(",")) if args.only else None
    base_env = baseline_env(args.baseline)

    def chosen(w: str) -> bool:
        return wanted is None or w.split()[0] in wanted

    base = 10800 + int(os.environ.get("IGNITE_WIRE_PORT_OFFSET", "0")) + 50
    work = Path(tempfile.mkdtemp(prefix="ignite-wire-bench-"))
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load": os.getloadavg(),
            "platform": platform.platform(),
        },
        "repeat": repeat,
        "warmup": max(1, args.warmup),
        "sizes": sizes,
        "workloads": {},
        "codec": codec(args.quick) if chosen("W1") else [],
    }
    if base_env is not None:
        results["baseline"] = args.baseline
        results["baseline_codec"] = codec(args.quick, base_env) if chosen("W1") else []
    procs: dict[str, Proc] = {}
    try:
        with IgniteCluster(
            3, base_port=base, work_dir=work / "nodes", profile="production", heap_mb=1024
        ) as cluster:
            addresses = [node.endpoint for node in cluster.nodes]
            pids = [node.pid for node in cluster.nodes if node.pid is not None]
            results["ignite"] = cluster.version
            fill(addresses, max(sizes["W5"], sizes["W8"] if chosen("W8") else 0), sizes["W6"])
            spec = ",".join(f"{h}:{p}" for h, p in addresses)
            java = compile_java(cluster.artifacts, work / "java")
            commands = {
                "ignite_wire": [sys.executable, str(HERE / "bench_worker.py"), "ignite_wire", spec],
                "pyignite": [sys.executable, str(HERE / "bench_worker.py"), "pyignite", spec],
                "java": [*java, spec],
            }
            envs: dict[str, dict[str, str] | None] = {
                "ignite_wire": None,
                "pyignite": None,
                "java": None,
            }
            if base_env is not None:
                commands["baseline"] = commands["ignite_wire"]
                envs["baseline"] = base_env
            procs = {name: Proc(name, command, envs[name]) for name, command in commands.items()}
            results["nodes_at_rest_cores"] = at_rest(pids)
            order = [c for c in CLIENT_ORDER if c in commands]
            for workload, n in sizes.items():
                if workload == "W8" or not chosen(workload):
                    continue
                samples: dict[str, list[dict[str, Any]]] = {c: [] for c in order}
                cpu: dict[str, list[tuple[float, float]]] = {c: [] for c in order}
                for _ in range(max(1, args.warmup)):  # warm-up, not counted
                    for client in order:
                        procs[client].run(workload, n)
                for rep in range(repeat):
                    turn = order[rep % len(order) :] + order[: rep % len(order)]
                    for client in turn:
                        before = node_cpu(pids)
                        samples[client].append(procs[client].run(workload, n))
                        cpu[client].append(node_cpu_between(before, node_cpu(pids)))
                results["workloads"][workload] = summarize(samples, cpu)
                print(f"{workload}: done", file=sys.stderr, flush=True)
            for proc in procs.values():
                proc.close()
            procs = {}
            if chosen("W8"):
                fresh = Proc("ignite_wire", commands["ignite_wire"])
                w8 = fresh.run("W8", max(sizes["W5"], sizes["W8"]))
                fresh.close()
                results["W8"] = {"rows": w8["ops"], "rss_mb": w8["rss_mb"]}
            if chosen("W7"):
                results["W7"] = orm_over_raw(addresses[0])
                if base_env is not None:
                    try:
                        results["baseline_W7"] = orm_over_raw(addresses[0], base_env)
                    except subprocess.CalledProcessError as e:
                        # An older checkout may lack what today's W7 script uses: say so,
                        # keep the figures measured so far.
                        last = (e.stderr or "").strip().splitlines()[-1:] or ["no output"]
                        results["baseline_W7"] = [f"did not run on the baseline: {last[0]}"]
    finally:
        for proc in procs.values():
            proc.p.kill()
        shutil.rmtree(work, ignore_errors=True)
    print_table(results, repeat)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
