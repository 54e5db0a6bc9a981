"""pytest fixtures that give tests real Ignite nodes (registered through an entry point).

Every node fixture starts real JVMs on loopback the first time a test asks for it and
stops them when the session ends; a test that never asks starts nothing, so the unit
suite runs without Java.  A node that cannot start makes the fixture *raise* with the
tail of the node's log: these fixtures never skip, because a quietly skipped integration
test is a test that lies.

Fixtures (ports are fixed so that the documentation's snippets, which connect to
``127.0.0.1:10800``, run as written):

``ignite_node``         one node, thin-client port 10800 (session)
``ignite_cluster``      three nodes, ports 10810-10812; after each test that used it,
                        killed nodes are restarted and added nodes stopped, so every
                        test starts from three healthy nodes
``ignite_tls``          certificates made for this session (CA, server, client)
``ignite_ssl_node``     one SSL-only node with client authentication, port 10820
``ignite_auth_node``    one node with authentication, port 10830; users ``ignite``
                        (password ``ignite``) and those in :data:`AUTH_USERS`
``ignite_cluster_factory``  builds clusters of any shape, stopped at the end of the test
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ._cluster import IgniteCluster
from ._tls import TlsFiles, make_tls_files

__all__ = ["AUTH_USERS", "CLUSTER_BASE_PORT", "NODE_BASE_PORT"]

#: ``IGNITE_WIRE_PORT_OFFSET`` shifts every port below (and so the discovery and
#: communication ports derived from them), so that two test runs on one machine do not
#: collide; it is 0 in CI and in the README's command.
PORT_OFFSET = int(os.environ.get("IGNITE_WIRE_PORT_OFFSET", "0"))
NODE_BASE_PORT = 10800 + PORT_OFFSET
CLUSTER_BASE_PORT = 10810 + PORT_OFFSET
SSL_BASE_PORT = 10820 + PORT_OFFSET
AUTH_BASE_PORT = 10830 + PORT_OFFSET
FACTORY_BASE_PORT = 10840 + PORT_OFFSET
#: The data region of the session-wide nodes, in MiB.  Every cache takes pages per
#: partition even when nearly empty, and a full region halts an Ignite node (its failure
#: handler): the session node, shared by hundreds of tests that each create caches, died
#: near the end of full runs with the default 256 (about 30 one-entry caches fill it on
#: a node that has run a while).  The region is allocated lazily, so the size is a cap.
SESSION_REGION_MB = 2048

#: Extra users of the authenticated node (test credentials, not real secrets); one has
#: non-ASCII characters in both its name and its password.
AUTH_USERS = {"wire_user": "wire-password-1", "jürgen": "pässwörd-ü€"}


_NODE_FIXTURES = frozenset(
    {
        "ignite_node",
        "ignite_cluster",
        "ignite_ssl_node",
        "ignite_auth_node",
        "ignite_cluster_factory",
    }
)


def pytest_configure(config: pytest.Config) -> None:
    """Declare the ``server`` marker (selection only; nothing is ever skipped)."""
    config.addinivalue_line("markers", "server: talks to real Ignite nodes")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a node fixture ``server``, so ``-m "not server"`` works."""
    for item in items:
        if _NODE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.server)


def _start(cluster: IgniteCluster) -> IgniteCluster:
    try:
        return cluster.start()
    except BaseException:
        cluster.stop()
        raise


@pytest.fixture(scope="session")
def ignite_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IgniteCluster]:
    """A one-node cluster on 127.0.0.1:10800."""
    cluster = IgniteCluster(
        1,
        base_port=NODE_BASE_PORT,
        work_dir=tmp_path_factory.mktemp("ignite-node"),
        region_mb=SESSION_REGION_MB,
    )
    yield _start(cluster)
    cluster.stop()


@pytest.fixture(scope="session")
def _ignite_cluster_session(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[IgniteCluster]:
    cluster = IgniteCluster(
        3,
        base_port=CLUSTER_BASE_PORT,
        work_dir=tmp_path_factory.mktemp("ignite-cluster"),
        region_mb=SESSION_REGION_MB,
    )
    yield _start(cluster)
    cluster.stop()


@pytest.fixture
def ignite_cluster(_ignite_cluster_session: IgniteCluster) -> Iterator[IgniteCluster]:
    """The three-node cluster, healed after the test if the test killed or added nodes."""
    cluster = _ignite_cluster_session
    yield cluster
    _heal(cluster, 3)


def _heal(cluster: IgniteCluster, size: int) -> None:
    for node in cluster.nodes[size:]:
        if node.is_running():
            cluster.stop_node(node.index)
    del cluster.nodes[size:]
    for node in cluster.nodes:
        if not node.is_running():
            cluster.restart(node.index)
    cluster.await_topology(size)


@pytest.fixture(scope="session")
def ignite_tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """Fresh certificates for this session: no private key lives in the repository."""
    return make_tls_files(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def ignite_ssl_node(
    ignite_tls: TlsFiles, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IgniteCluster]:
    """One node whose thin-client connector speaks TLS only and demands a client cert."""
    cluster = IgniteCluster(
        1,
        base_port=SSL_BASE_PORT,
        tls=ignite_tls,
        ssl_client_auth=True,
        work_dir=tmp_path_factory.mktemp("ignite-ssl"),
    )
    yield _start(cluster)
    cluster.stop()


@pytest.fixture(scope="session")
def ignite_auth_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IgniteCluster]:
    """One persistent node with authentication enabled and the users of AUTH_USERS."""
    cluster = IgniteCluster(
        1,
        base_port=AUTH_BASE_PORT,
        auth=True,
        users=AUTH_USERS,
        work_dir=tmp_path_factory.mktemp("ignite-auth"),
    )
    yield _start(cluster)
    cluster.stop()


@pytest.fixture
def ignite_cluster_factory(
    tmp_path: Path,
) -> Iterator[Callable[..., IgniteCluster]]:
    """Start clusters of any shape (base ports from 10840 up); all stop after the test."""
    clusters: list[IgniteCluster] = []

    def make(nodes: int = 1, **options: Any) -> IgniteCluster:
        options.setdefault("base_port", FACTORY_BASE_PORT + 10 * len(clusters))
        options.setdefault("work_dir", tmp_path / f"cluster-{len(clusters)}")
        cluster = IgniteCluster(nodes, **options)
        clusters.append(cluster)
        return _start(cluster)

    yield make
    for cluster in clusters:
        cluster.stop()
