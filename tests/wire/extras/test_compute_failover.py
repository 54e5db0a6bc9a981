"""A task whose connection dies: the waiting caller learns it at once, sync and asyncio.

The result of a task travels on the connection that started it; when that node dies the
result is lost, and ``result()`` must raise ``SocketError`` naming the node, promptly,
not wait out its time bound (and never hang).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from blocking import Blocking, Loop

from ignite_wire import AioClient, Client
from ignite_wire.exceptions import SocketError
from ignite_wire.testing import IgniteCluster
from ignite_wire.testing._extras import ECHO_TASK, SLEEP_TASK

pytestmark = pytest.mark.server


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_dead_node_fails_the_wait_for_its_task(
    ignite_cluster_factory: Callable[..., IgniteCluster], kind: str
) -> None:
    cluster = ignite_cluster_factory(2, extras=True)
    loop = Loop() if kind == "async" else None
    client: Any = Client(timeout=30) if loop is None else Blocking(AioClient(timeout=30), loop)
    try:
        client.connect(cluster.endpoints)
        task = client.compute().start(SLEEP_TASK, 20_000)
        port = int(task.node.rsplit(":", 1)[1])
        victim = next(n.index for n in cluster.nodes if n.endpoint[1] == port)
        cluster.kill(victim)
        started = time.monotonic()
        with pytest.raises(SocketError) as err:
            task.result()
        assert time.monotonic() - started < 10
        assert err.value.node == task.node or str(port) in str(err.value)
        # the client goes on with the node that is left
        assert client.compute().execute(ECHO_TASK, "still here") == "still here"
    finally:
        client.close()
        if loop is not None:
            loop.close()
