"""Cluster groups (ops 5100/5101, feature bit 4) on the three-node cluster, with ``Client`` and
``AioClient``: the nodes a projection selects, by node attributes and by role."""

from __future__ import annotations

import pytest
from client_kinds import do, make_client

from ignite_wire.exceptions import ParameterError
from ignite_wire.testing import IgniteCluster

pytestmark = [pytest.mark.cluster]


async def test_node_ids_by_attribute_and_role(kind: str, ignite_cluster: IgniteCluster) -> None:
    client = make_client(kind, timeout=30.0)
    await do(client.connect([n.endpoint for n in ignite_cluster.nodes]))
    try:
        connected = {c.node_id for c in client._pool.open_connections()}
        cluster = client.get_cluster()
        everyone = await do(cluster.node_ids())
        assert set(everyone) == connected
        assert len(everyone) == 3
        assert set(await do(cluster.node_ids(servers=True))) == connected
        assert await do(cluster.node_ids(servers=False)) == []
        build = {"org.apache.ignite.build.ver": "2.17.0"}
        assert set(await do(cluster.node_ids(build, servers=True))) == connected
        assert await do(cluster.node_ids({"org.apache.ignite.build.ver": "1.0.0"})) == []
        with pytest.raises(ParameterError, match="attribute names"):
            await do(cluster.node_ids({1: "x"}))
        # op 5101: the nodes' details
        nodes = await do(cluster.nodes(build))
        assert {n.node_id for n in nodes} == connected
        assert all(n.version[:3] == (2, 17, 0) and not n.is_client for n in nodes)
        assert all(n.attributes["org.apache.ignite.build.ver"] == "2.17.0" for n in nodes)
        assert len({n.order for n in nodes}) == 3
        assert all("127.0.0.1" in n.addresses for n in nodes)
        assert await do(cluster.nodes({"org.apache.ignite.build.ver": "1.0.0"})) == []
    finally:
        await do(client.close())
