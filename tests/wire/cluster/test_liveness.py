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


def test_a_discovered_node_that_leaves_is_forgotten(ignite_cluster: IgniteCluster) -> None:
    """Heartbeats find the dead connection; a discovered node that cannot be reconnected is
    dropped from the node list instead of being retried forever."""
    client = Client(partition_aware=True, heartbeat_interval=0.3)
    client.connect(*ignite_cluster.node(0).endpoint)
    gone = ignite_cluster.node(2).endpoint
    try:
        deadline = time.monotonic() + 10
        while len(client._pool.open_connections()) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gone in [(a.host, a.port) for a in client._pool.nodes]
        ignite_cluster.stop_node(2)
        cache = client.get_or_create_cache("discovery_leave")
        # Put once before looking: creating the cache can outlast the node's removal, and
        # a loop that never ran left nothing to read back (get(1) was None, a flaky test).
        cache.put(1, 1)
        deadline = time.monotonic() + 15
        while gone in [(a.host, a.port) for a in client._pool.nodes]:
            assert time.monotonic() < deadline, "the departed node is still listed"
            cache.put(1, 1)
            time.sleep(0.2)
        assert cache.get(1) == 1
    finally:
        client.close()


class Closed(monitoring.ConnectionEventListener):
    def __init__(self) -> None:
        self.ports: list[int] = []

    def on_connection_closed(self, event: monitoring.ConnectionClosedEvent) -> None:
        self.ports.append(event.port)


def test_refused_credentials_keep_no_connection_open(
    ignite_node: IgniteCluster, ignite_auth_node: IgniteCluster
) -> None:
    """One node refuses the password: the connection another node accepted is closed."""
    from ignite_wire.exceptions import AuthenticationError

    closed = Closed()
    plain = ignite_node.node(0).endpoint  # no authentication: it accepts any credentials
    client = Client(
        partition_aware=True,
        username="ignite",
        password="not-the-password",
        use_ssl=False,
        event_listeners=[closed],
    )
    try:
        client.connect([plain, ignite_auth_node.node(0).endpoint])
    except AuthenticationError:
        pass
    else:
        raise AssertionError("the authenticated node accepted a wrong password")
    assert closed.ports == [plain[1]]
    assert client._pool.open_connections() == []


def test_client_level_reads_are_retried_on_another_node(ignite_cluster: IgniteCluster) -> None:
    client = Client(partition_aware=True, cluster_discovery=False)
    client.connect([ignite_cluster.node(i).endpoint for i in range(3)])
    try:
        cache = client.get_or_create_cache("retried_reads")
        current = client._current().address.port
        index = next(i for i in range(3) if ignite_cluster.node(i).endpoint[1] == current)
        ignite_cluster.kill(index)
        # Each would meet the dead connection first; each is retried, none raises.
        assert "retried_reads" in client.get_cache_names()
        assert isinstance(cache.settings, dict)
        assert int(client.get_cluster().get_state()) == 1
    finally:
        client.close()


def test_requests_are_logged_at_debug(ignite_node: IgniteCluster, caplog: Any) -> None:
    import logging

    client = Client()
    client.connect(*ignite_node.node(0).endpoint)
    try:
        with caplog.at_level(logging.DEBUG, logger="ignite_wire"):
            client.get_or_create_cache("logged").put(1, 1)
    finally:
        client.close()
    port = ignite_node.node(0).endpoint[1]
    assert any(f"CACHE_PUT -> 127.0.0.1:{port}" in r.getMessage() for r in caplog.records)
