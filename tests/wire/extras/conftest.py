"""A two-node cluster that carries the tests' compute tasks and service (``extras=True``).

The classes are in ``ignite_wire/testing/java/IgniteWireExtras.java``, compiled at test
time against the nodes' jars; the nodes let thin clients run compute tasks and deploy
the service ``ignite-wire.calc`` (one instance per node) from their configuration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from blocking import Blocking, Loop

from ignite_wire import AioClient, Client
from ignite_wire.testing import IgniteCluster
from ignite_wire.testing.pytest_plugin import PORT_OFFSET

#: Module-scoped, so that these nodes are gone before the next module's test starts its
#: own: 10870 is otherwise a slot of ``ignite_cluster_factory``'s fourth cluster.
EXTRAS_BASE_PORT = 10870 + PORT_OFFSET


@pytest.fixture(scope="module")
def extras_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IgniteCluster]:
    cluster = IgniteCluster(
        2,
        base_port=EXTRAS_BASE_PORT,
        extras=True,
        work_dir=tmp_path_factory.mktemp("ignite-extras"),
    )
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    yield cluster
    cluster.stop()


@pytest.fixture
def connect(
    request: pytest.FixtureRequest, extras_cluster: IgniteCluster, kind: str
) -> Iterator[Callable[..., Any]]:
    """``connect(**options)`` -> a ``Client``, or an ``AioClient`` seen through ``Blocking``."""
    made: list[Any] = []
    loop = Loop() if kind == "async" else None

    def make(**options: Any) -> Any:
        options.setdefault("timeout", 20.0)
        client: Any = Client(**options) if loop is None else Blocking(AioClient(**options), loop)
        client.connect(extras_cluster.endpoints)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
    if loop is not None:
        loop.close()


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(connect: Callable[..., Any]) -> Any:
    """A client of the extras cluster (sync, then asyncio)."""
    return connect()
