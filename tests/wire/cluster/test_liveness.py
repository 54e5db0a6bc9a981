"""Cluster discovery and heartbeats, against a real three-node cluster."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from ignite_wire import AioClient, Client, monitoring
from ignite_wire.testing import IgniteCluster


class Ops(monitoring.QueryEventListener):
    def __init__(self) -> None:
        self.seen: list[tuple[str, int]] = []

    def on_query_success(self, event: monitoring.QuerySuccessEvent) -> None:
        self.seen.append((event.op_name, event.port))


def _ports(cluster: IgniteCluster) -> set[int]:
    return {cluster.node(i).endpoint[1] for i in range(3)}


def test_one_address_is_enough_to_reach_every_node(ignite_cluster: IgniteCluster) -> None:
    ops = Ops()
    client = Client(partition_aware=True, event_listeners=[ops])
    client.connect(*ignite_cluster.node(0).endpoint)
    try:
        deadline = time.monotonic() + 10
        while len(client._pool.open_connections()) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert {c.address.port for c in client._pool.open_connections()} == _ports(ignite_cluster)
        cache = client.get_or_create_cache("discovery_probe")
        for i in range(200):
            cache.put(i, i)
        assert {port for op, port in ops.seen if op == "CACHE_PUT"} == _ports(ignite_cluster)
    finally:
        client.close()


def test_discovery_can_be_turned_off(ignite_cluster: IgniteCluster) -> None:
    client = Client(partition_aware=True, cluster_discovery=False)
    client.connect(*ignite_cluster.node(0).endpoint)
    try:
        time.sleep(0.5)
        assert len(client._pool.open_connections()) == 1
    finally:
        client.close()


def test_idle_connections_get_heartbeats(ignite_cluster: IgniteCluster) -> None:
    ops = Ops()
    client = Client(partition_aware=True, heartbeat_interval=0.2, event_listeners=[ops])
    client.connect([ignite_cluster.node(i).endpoint for i in range(3)])
    try:
        time.sleep(1.5)
        beats = [port for op, port in ops.seen if op == "HEARTBEAT"]
        assert set(beats) == _ports(ignite_cluster)  # every idle connection pinged
        assert len(beats) >= 6
    finally:
        client.close()
    count = len(ops.seen)
    time.sleep(0.6)
    assert len(ops.seen) == count  # closing the client stops the pings


def test_async_client_discovers_and_pings(ignite_cluster: IgniteCluster) -> None:
    async def main() -> Any:
        ops = Ops()
        client = AioClient(partition_aware=True, heartbeat_interval=0.2, event_listeners=[ops])
        await client.connect(*ignite_cluster.node(1).endpoint)
        try:
            await asyncio.sleep(1.0)
            assert len(client._pool.open_connections()) == 3
            assert {p for op, p in ops.seen if op == "HEARTBEAT"} == _ports(ignite_cluster)
        finally:
            await client.close()

    asyncio.run(main())
