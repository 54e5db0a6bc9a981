"""pytest plugin for pyignite's test suite: its nodes are the ones the runner started.

pyignite's fixtures start a node per index with ``tests.util.start_ignite_gen`` (Ignite's
``ignite.sh`` and a Spring XML file).  Here that function is replaced before the suite's
conftest imports it: the nodes are already up, started once by tools/pyignite_suite/run.py
with this project's harness and the configuration the suite assumes (thin-client ports
10801..10803, or 10800 for the examples, plus ``IGNITE_WIRE_PORT_OFFSET``; the
``SmallDataRegion`` data region), so that pyignite and ignite_wire run against the same
nodes.  Each "start" checks its node accepts connections and fails loudly if not.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import tests.util

PORT_OFFSET = int(os.environ.get("IGNITE_WIRE_PORT_OFFSET", "0"))


def _running_node(
    idx: int = 1, use_ssl: bool = False, use_auth: bool = False, use_persistence: bool = False
) -> Iterator[None]:
    if use_ssl or use_auth or use_persistence:
        raise RuntimeError("the runner starts plain nodes only (tests/common needs no other)")
    port = 10800 + PORT_OFFSET + idx
    try:
        socket.create_connection(("127.0.0.1", port), timeout=10).close()
    except OSError as e:
        raise RuntimeError(
            f"node {idx} (127.0.0.1:{port}) is not running: start it with the runner"
        ) from e
    if idx == 1:
        _destroy_all_caches(port)
    yield None


def _destroy_all_caches(port: int) -> None:
    from pyignite import Client

    client = Client()
    client.connect("127.0.0.1", port)
    try:
        for name in client.get_cache_names():
            client.get_cache(name).destroy()
    finally:
        client.close()


tests.util.start_ignite_gen = _running_node  # type: ignore[assignment]
