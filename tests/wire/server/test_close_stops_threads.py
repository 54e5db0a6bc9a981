"""Issue 9, defect 6: ``close()`` of a sync client stops the threads it started, at once.

Before the fix the heartbeat thread slept up to ``heartbeat_interval`` (30 s) after
``close()``: 2,000 connect/close cycles left 2,000 threads (and 41 MB).
"""

from __future__ import annotations

import threading
import time

from ignite_wire import Client
from ignite_wire.testing import IgniteCluster


def test_connect_close_cycles_leave_no_thread(ignite_node: IgniteCluster) -> None:
    host, port = ignite_node.node(0).endpoint
    client = Client()
    client.connect(host, port)  # warm up the shared fan-out pool, if any
    client.close()
    before = threading.active_count()
    existing = set(threading.enumerate())  # other tests' background work may still run
    started = time.monotonic()
    for _ in range(50):
        client = Client(heartbeat_interval=30.0)
        client.connect(host, port)
        client.close()
    elapsed = time.monotonic() - started
    assert threading.active_count() <= before
    assert not [t for t in set(threading.enumerate()) - existing if t.name.startswith("ignite")]
    assert elapsed < 15  # close() does not wait for the heartbeat interval
