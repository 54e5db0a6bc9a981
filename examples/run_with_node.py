"""Run example scripts against local Ignite nodes started for the occasion.

Usage::

    python examples/run_with_node.py examples/quickstart.py [more.py ...]
    python examples/run_with_node.py --nodes 3 examples/failover.py
    python examples/run_with_node.py --ssl examples/ssl_tls.py
    python examples/run_with_node.py --auth examples/auth.py
    python examples/run_with_node.py --ssl --auth examples/auth.py

Starts the nodes with the test harness (:class:`ignite_wire.testing.IgniteCluster`) on
127.0.0.1, thin-client ports from ``--base-port`` (default 10800, or the
``IGNITE_WIRE_DEMO_BASE_PORT`` environment variable), runs each script in turn with the
nodes' addresses in its environment, and stops the nodes whatever happens: a failing
script, Ctrl-C or SIGTERM.  ``nox -s demo`` calls this.

The environment each script gets (the examples read it):

``IGNITE_WIRE_HOST``, ``IGNITE_WIRE_PORT``   node 0's address
``IGNITE_WIRE_NODES``                        every node, ``host:port,host:port,...``
``IGNITE_WIRE_SSL_KEYFILE``, ``IGNITE_WIRE_SSL_CERTFILE``, ``IGNITE_WIRE_SSL_CA_CERTFILE``
                                             with ``--ssl``: fresh client key, client
                                             certificate and CA (``--ssl`` needs the
                                             ``cryptography`` package)
``IGNITE_WIRE_USERNAME``, ``IGNITE_WIRE_PASSWORD``
                                             with ``--auth``: the harness's ``ignite`` user
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from types import FrameType

from ignite_wire.testing import HarnessError, IgniteCluster, make_tls_files

DEFAULT_BASE_PORT = 10800


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM/SIGHUP: unwind like Ctrl-C, so that the nodes are stopped on the way out."""
    raise KeyboardInterrupt


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python examples/run_with_node.py",
        description="Start local Ignite nodes, run example scripts against them, stop them.",
    )
    parser.add_argument("scripts", nargs="+", help="Python scripts to run, in order")
    parser.add_argument("--nodes", type=int, default=1, help="server nodes (default 1)")
    parser.add_argument(
        "--base-port",
        type=int,
        default=int(os.environ.get("IGNITE_WIRE_DEMO_BASE_PORT", DEFAULT_BASE_PORT)),
        help="thin-client port of node 0 (default 10800, or $IGNITE_WIRE_DEMO_BASE_PORT)",
    )
    parser.add_argument("--ssl", action="store_true", help="SSL-only nodes, fresh certificates")
    parser.add_argument("--auth", action="store_true", help="authentication (ignite/ignite)")
    return parser.parse_args(argv)


def run(args: argparse.Namespace, work_dir: Path) -> int:
    """Start the nodes, run the scripts; the first non-zero exit code, else 0."""
    tls = make_tls_files(work_dir / "tls") if args.ssl else None
    cluster = IgniteCluster(
        args.nodes, base_port=args.base_port, tls=tls, auth=args.auth, work_dir=work_dir
    )
    try:
        print(f"Starting {args.nodes} Ignite node(s) on 127.0.0.1 ...", flush=True)
        cluster.start()
        host, port = cluster.node(0).endpoint
        pids = ", ".join(str(pid) for pid in cluster.pids())
        print(f"Ignite {cluster.version} up at {host}:{port} (pid {pids})", flush=True)
        env = dict(os.environ)
        env["IGNITE_WIRE_HOST"] = host
        env["IGNITE_WIRE_PORT"] = str(port)
        env["IGNITE_WIRE_NODES"] = ",".join(f"{h}:{p}" for h, p in cluster.endpoints)
        if tls is not None:
            env["IGNITE_WIRE_SSL_KEYFILE"] = str(tls.client_key)
            env["IGNITE_WIRE_SSL_CERTFILE"] = str(tls.client_cert)
            env["IGNITE_WIRE_SSL_CA_CERTFILE"] = str(tls.ca_cert)
        if args.auth:
            env["IGNITE_WIRE_USERNAME"] = "ignite"
            env["IGNITE_WIRE_PASSWORD"] = "ignite"
        for script in args.scripts:
            print(f"--- {script}", flush=True)
            code = subprocess.run([sys.executable, script], env=env, check=False).returncode
            if code != 0:
                print(f"--- {script} exited with {code}", flush=True)
                return code
        return 0
    finally:
        # A second Ctrl-C must not cut the shutdown short.
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        cluster.stop()
        print("Ignite node(s) stopped", flush=True)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    for script in args.scripts:
        if not Path(script).is_file():
            print(f"error: no such script: {script}", file=sys.stderr)
            return 2
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    try:
        with tempfile.TemporaryDirectory(prefix="ignite-wire-demo-") as work:
            return run(args, Path(work))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr, flush=True)
        return 130
    except HarnessError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
