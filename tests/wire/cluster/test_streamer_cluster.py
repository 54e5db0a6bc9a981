"""The data streamer on the three-node cluster, with ``Client`` and ``AioClient``.

Each batch goes to the primary node of its keys (partition awareness, as ``put_all``),
so all three nodes receive batches; a node killed in the middle of a load costs nothing:
the batches meant for it are sent again to a live node (a batch is idempotent) and every
entry is stored (the cache keeps one backup, written synchronously). That holds with
``allow_overwrite=True`` (the cache's update path); with ``False`` Ignite's streamer may
lose entries of acknowledged batches when a node dies (12 of 6,000 seen; see
docs/bulk-loading.md), so the kill runs with overwrite on.
"""

from __future__ import annotations

from collections import Counter

import pytest
from client_kinds import do, make_client

from ignite_wire import monitoring
from ignite_wire.datatypes.cache_config import WriteSynchronizationMode
from ignite_wire.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER,
    PROP_NAME,
    PROP_WRITE_SYNCHRONIZATION_MODE,
)
from ignite_wire.testing import IgniteCluster

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(600)]


class Batches(monitoring.QueryEventListener):
    """The port of every DATA_STREAMER_START that succeeded, and how many failed."""

    def __init__(self) -> None:
        self.ports: list[int] = []
        self.failed = 0

    def on_query_success(self, event: monitoring.QuerySuccessEvent) -> None:
        if event.op_name == "DATA_STREAMER_START":
            self.ports.append(event.port)

    def on_query_fail(self, event: monitoring.QueryFailEvent) -> None:
        if event.op_name == "DATA_STREAMER_START":
            self.failed += 1


async def test_batches_go_to_every_node_and_survive_a_killed_one(
    kind: str, ignite_cluster: IgniteCluster
) -> None:
    batches = Batches()
    client = make_client(kind, event_listeners=[batches], timeout=30.0)
    await do(client.connect(ignite_cluster.endpoints))
    name = f"stream_cluster_{kind}"
    config = {
        PROP_NAME: name,
        PROP_BACKUPS_NUMBER: 1,
        PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
    }
    cache = await do(client.get_or_create_cache(config))
    try:
        await do(cache.clear())
        streamer = cache.streamer(batch_size=100, parallel=2, allow_overwrite=True)
        await do(streamer.add_all((i, f"v{i}") for i in range(3000)))
        await do(streamer.flush())
        per_node = Counter(batches.ports)
        assert set(per_node) == {node.port for node in ignite_cluster.nodes}
        assert streamer.loaded == 3000

        ignite_cluster.kill(1)
        await do(streamer.add_all((i, f"v{i}") for i in range(3000, 6000)))
        await do(streamer.close())
        assert (streamer.loaded, streamer.failed) == (6000, 0)
        after_kill = batches.ports[sum(per_node.values()) :]
        assert ignite_cluster.node(1).port not in after_kill
        assert await do(cache.get_size()) == 6000
        assert await do(cache.get_all([0, 2999, 3000, 5999])) == {
            0: "v0",
            2999: "v2999",
            3000: "v3000",
            5999: "v5999",
        }
    finally:
        await do(cache.destroy())
        await do(client.close())
