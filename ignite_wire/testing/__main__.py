"""``python -m ignite_wire.testing``: start, inspect and stop local Ignite nodes.

``up`` starts nodes that outlive the command (they are *detached*) and records them in a
state file under the harness's cache folder; ``down`` reads that file and stops the
cluster on its base port (``--all``: every cluster it lists); ``status`` says which of
them still run.  The default base port is 10800 + ``IGNITE_WIRE_PORT_OFFSET``, the same
shift the test fixtures use: on a machine several people share, each picks an offset, and
a bare ``down`` then stops only its own nodes, never a neighbour's.  The last line ``up`` prints is
one JSON object, so scripts can read the endpoints without parsing prose.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time

from ._artifacts import resolve_server
from ._cluster import IgniteCluster
from ._errors import HarnessError
from ._state import forget, is_our_node, load_state, remember, run_home, stop_recorded
from ._tls import make_tls_files


def default_base_port() -> int:
    """10800 shifted by ``IGNITE_WIRE_PORT_OFFSET`` (as in the pytest fixtures)."""
    return 10800 + int(os.environ.get("IGNITE_WIRE_PORT_OFFSET", "0") or 0)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m ignite_wire.testing",
        description="Local Apache Ignite nodes on 127.0.0.1 for development and tests.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="start nodes and wait until they form one topology")
    up.add_argument("--nodes", type=int, default=1, help="number of server nodes (default 1)")
    up.add_argument(
        "--base-port",
        type=int,
        default=default_base_port(),
        help="thin-client port of node 0 (default 10800 + IGNITE_WIRE_PORT_OFFSET)",
    )
    up.add_argument("--ssl", action="store_true", help="SSL-only connector, fresh certificates")
    up.add_argument("--auth", action="store_true", help="authentication (user ignite/ignite)")
    up.add_argument("--partitions", type=int, help="partition count of the default template")
    up.add_argument("--heap-mb", type=int, default=512, help="JVM heap per node (default 512)")
    up.add_argument("--version", help="Ignite version (default: newest that resolves)")

    down = commands.add_parser("down", help="stop the nodes that `up` started")
    which = down.add_mutually_exclusive_group()
    which.add_argument(
        "--base-port",
        type=int,
        default=default_base_port(),
        help="the cluster with this base port (default 10800 + IGNITE_WIRE_PORT_OFFSET)",
    )
    which.add_argument("--all", action="store_true", help="every recorded cluster")

    commands.add_parser("status", help="list the nodes that `up` started")
    commands.add_parser("fetch", help="only fetch the Ignite jars and compile the launcher")

    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            return _up(args)
        if args.command == "down":
            return _down(None if args.all else args.base_port)
        if args.command == "status":
            return _status()
        artifacts = resolve_server()
        print(json.dumps({"version": artifacts.version, "lib": str(artifacts.lib_dir)}))
        return 0
    except HarnessError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


def _up(args: argparse.Namespace) -> int:
    key = str(args.base_port)
    if key in load_state():
        print(
            f"error: a cluster on base port {args.base_port} is already recorded; run `down` first",
            file=sys.stderr,
        )
        return 1
    work = run_home() / key
    shutil.rmtree(work, ignore_errors=True)
    tls = make_tls_files(work / "tls") if args.ssl else None
    started = time.monotonic()
    cluster = IgniteCluster(
        args.nodes,
        base_port=args.base_port,
        tls=tls,
        auth=args.auth,
        partitions=args.partitions,
        heap_mb=args.heap_mb,
        work_dir=work,
        version=args.version,
        detached=True,
    )
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    nodes = [info.as_dict() for info in cluster.infos()]
    summary: dict[str, object] = {
        "version": cluster.version,
        "base_port": args.base_port,
        "startup_seconds": round(time.monotonic() - started, 2),
        "nodes": nodes,
    }
    if tls is not None:
        summary["tls"] = {
            "ca_cert": str(tls.ca_cert),
            "client_cert": str(tls.client_cert),
            "client_key": str(tls.client_key),
        }
    if args.auth:
        summary["user"] = "ignite"
    remember(key, {"work_dir": str(work), "nodes": nodes})
    for node in nodes:
        print(f"node {node['index']}: {node['host']}:{node['port']} pid {node['pid']}")
    print(json.dumps(summary))
    return 0


def _down(base_port: int | None) -> int:
    state = load_state()
    keys = [str(base_port)] if base_port is not None else list(state)
    if base_port is not None and str(base_port) not in state and state:
        others = ", ".join(sorted(state))
        print(
            f"nothing recorded on base port {base_port}; recorded: {others}"
            " (use --base-port PORT, or --all)",
            file=sys.stderr,
        )
    stopped = 0
    for key in keys:
        entry = state.get(key)
        if entry is None:
            continue
        stopped += stop_recorded(entry)
        forget(key)
    print(json.dumps({"stopped": stopped}))
    return 0


def _status() -> int:
    state = load_state()
    clusters = []
    for key, entry in state.items():
        nodes = [dict(node, running=is_our_node(node)) for node in entry["nodes"]]
        clusters.append({"base_port": int(key), "nodes": nodes})
        for node in nodes:
            status = "running" if node["running"] else "gone"
            print(f"{node['host']}:{node['port']} pid {node['pid']} {status}")
    print(json.dumps({"clusters": clusters}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
