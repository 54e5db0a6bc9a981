"""A cache's write-ahead log switched off and on (ops 5002/5003), with ``Client`` and
``AioClient``, on a persistent node (only persistent caches have a WAL)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from blocking import Blocking, Loop

from ignite_wire import AioClient, Client
from ignite_wire.exceptions import ClusterError


@pytest.fixture(params=["sync", "async"])
def wal_client(request: pytest.FixtureRequest, ignite_cluster_factory: Any) -> Iterator[Any]:
    cluster = ignite_cluster_factory(1, persistence=True)
    endpoint = cluster.node(0).endpoint
    if request.param == "sync":
        client: Any = Client()
        client.connect(*endpoint)
        yield client
        client.close()
        return
    loop = Loop()
    try:
        client = Blocking(AioClient(), loop)
        client.connect(*endpoint)
        yield client
        client.close()
    finally:
        loop.close()


def test_wal_disabled_and_enabled(wal_client: Any) -> None:
    cache = wal_client.get_or_create_cache("wal_probe")
    cache.put(1, 1)
    cluster = wal_client.get_cluster()
    assert cluster.is_wal_enabled("wal_probe") is True
    assert cluster.disable_wal("wal_probe") is True
    assert cluster.is_wal_enabled("wal_probe") is False
    assert cluster.disable_wal("wal_probe") is False  # already off: nothing changed
    cache.put(2, 2)  # a bulk load would run here
    assert cluster.enable_wal("wal_probe") is True
    assert cluster.is_wal_enabled("wal_probe") is True
    assert cache.get(2) == 2
    with pytest.raises(ClusterError, match="nope"):
        cluster.is_wal_enabled("nope")
