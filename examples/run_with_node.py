"""Run example scripts against a local Ignite node started for the occasion.

Usage: ``python examples/run_with_node.py examples/quickstart.py [more.py ...]``

Starts one node on 127.0.0.1:10800 (the address the examples use), runs each script in
turn, and stops the node whatever happens.  ``nox -s demo`` calls this.
"""

from __future__ import annotations

import subprocess
import sys

from ignite_wire.testing import IgniteCluster


def main(scripts: list[str]) -> int:
    """Run ``scripts`` with a node up; return the first non-zero exit code, else 0."""
    if not scripts:
        print(__doc__)
        return 2
    with IgniteCluster(1, base_port=10800) as cluster:
        print(f"Ignite {cluster.version} node up at 127.0.0.1:10800", flush=True)
        for script in scripts:
            print(f"--- {script}", flush=True)
            code = subprocess.run([sys.executable, script], check=False).returncode
            if code != 0:
                return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
