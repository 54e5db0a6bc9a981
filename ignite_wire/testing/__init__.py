"""Real Apache Ignite nodes on loopback, for tests, benchmarks, examples and development.

From the shell::

    python -m ignite_wire.testing up --nodes 3      # returns when the topology is formed
    python -m ignite_wire.testing status
    python -m ignite_wire.testing down

From Python::

    with IgniteCluster(3) as cluster:
        client.connect(cluster.endpoints)
        cluster.kill(1)
        cluster.restart(1)

From pytest: the fixtures of :mod:`ignite_wire.testing.pytest_plugin` (registered
automatically when the package is installed).

The server comes from Maven Central (see :func:`resolve_server`); a JDK and Maven are
needed, nothing else.  This subpackage is development tooling: the client never imports
it.
"""

from __future__ import annotations

from ._artifacts import PREFERRED_VERSIONS, ServerArtifacts, cache_home, resolve_server
from ._cluster import IgniteCluster
from ._errors import HarnessError
from ._node import MAX_NODES, IgniteNode, NodeInfo
from ._probe import probe_thin_client
from ._tls import TlsFiles, make_tls_files

__all__ = [
    "MAX_NODES",
    "PREFERRED_VERSIONS",
    "HarnessError",
    "IgniteCluster",
    "IgniteNode",
    "NodeInfo",
    "ServerArtifacts",
    "TlsFiles",
    "cache_home",
    "make_tls_files",
    "probe_thin_client",
    "resolve_server",
]
