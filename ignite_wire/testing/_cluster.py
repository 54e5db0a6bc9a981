"""Real Ignite server nodes on loopback, started and stopped from Python.

An :class:`IgniteCluster` owns a set of JVM processes, one node each (:mod:`._node`: a
node's ports, command line and process).  Ports are derived from one number,
``base_port``, so that clusters started side by side never see each other (the rule is
in :mod:`._node`).

No JVM may outlive its owner.  Nodes started by a Python process (tests, the API) are
tied to it three ways: the launcher halts when its stdin pipe reaches end of file, which
the kernel guarantees when the owning process dies for any reason; :meth:`stop` runs at
interpreter exit; and the pytest plugin stops every cluster when the session ends.
Nodes started by ``python -m ignite_wire.testing up`` are *detached* on purpose (they must
outlive the command) and are recorded in a state file that ``down`` reads.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import tempfile
import threading
import time
import weakref
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType

from ._artifacts import ServerArtifacts, resolve_server
from ._errors import HarnessError
from ._node import MAX_NODES, PROFILES, IgniteNode, NodeInfo
from ._tls import TlsFiles

__all__ = ["MAX_NODES", "IgniteCluster", "IgniteNode", "NodeInfo"]

# Clusters alive in this process, stopped at exit even if nobody called stop().
_LIVE: weakref.WeakSet[IgniteCluster] = weakref.WeakSet()


@atexit.register
def _stop_all_at_exit() -> None:
    for cluster in list(_LIVE):
        with contextlib.suppress(Exception):
            cluster.stop()


class IgniteCluster:
    """A set of Ignite server nodes on loopback forming one topology.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.  ``start`` returns
    only when every node is in one topology and accepts thin-client handshakes; a node that
    cannot start raises :class:`HarnessError` with the tail of its log.

    Args:
        nodes: how many server nodes ``start`` brings up.
        base_port: thin-client port of node 0; the others follow (see the module docs).
        tls: certificates for an SSL-only thin-client connector (see :func:`make_tls_files`).
        ssl_client_auth: with ``tls``, whether the node demands a client certificate.
        auth: enable authentication (which Ignite allows only with persistence, so this
            turns persistence on; the launcher activates the cluster).  The default user
            is ``ignite`` / ``ignite``.
        users: extra users, name to password, created once the cluster is active.
        persistence: native persistence without authentication.
        partitions: partition count of the default cache template ``*``, which caches
            created by name and SQL tables take; a cache created with a thin-client
            configuration does not (the protocol has no affinity field): it has 1024.
        heap_mb / region_mb: JVM heap and data-region size per node.
        data_regions: extra named data regions, name to maximum size in MiB (in memory;
            persistent too when the cluster is), for caches that name one in their
            configuration (``PROP_DATA_REGION_NAME``); pyignite's own tests use
            ``{"SmallDataRegion": 20}``.
        work_dir: folder for node work directories and logs (a temporary one if omitted).
        version: Ignite version (see :func:`resolve_server`).
        detached: whether the nodes may outlive this Python process (the CLI's ``up``).
        profile: ``"test"`` (fast start-up: C1-only JIT, serial GC, small thread pools) or
            ``"production"`` (full JIT, default GC and pools; what benchmarks use).
    """

    def __init__(
        self,
        nodes: int = 1,
        *,
        base_port: int = 10800,
        name: str | None = None,
        tls: TlsFiles | None = None,
        ssl_client_auth: bool = True,
        auth: bool = False,
        users: Mapping[str, str] | None = None,
        persistence: bool = False,
        partitions: int | None = None,
        heap_mb: int = 512,
        region_mb: int = 256,
        data_regions: Mapping[str, int] | None = None,
        failure_detection_ms: int = 5000,
        work_dir: str | os.PathLike[str] | None = None,
        version: str | None = None,
        startup_timeout: float = 180.0,
        detached: bool = False,
        profile: str = "test",
    ) -> None:
        if not 1 <= nodes <= MAX_NODES:
            raise ValueError(f"nodes must be 1..{MAX_NODES}, got {nodes}")
        if not 1024 <= base_port <= 65535 - MAX_NODES:
            raise ValueError(f"base_port {base_port} is out of range")
        self.name = name or f"ignite-wire-{base_port}"
        self.initial_nodes = nodes
        self.base_port = base_port
        self.tls = tls
        self.ssl_client_auth = ssl_client_auth
        self.auth = auth
        self.users = dict(users or {})
        self.persistence = persistence or auth
        self.partitions = partitions
        self.heap_mb = heap_mb
        self.region_mb = region_mb
        self.data_regions = dict(data_regions or {})
        for region, size_mb in self.data_regions.items():
            if not region or "\n" in region or "\r" in region:
                raise ValueError(f"data region name {region!r} must be non-empty, one line")
            if region == "default":
                raise ValueError("the data region 'default' exists already (see region_mb)")
            if not isinstance(size_mb, int) or size_mb < 10:
                raise ValueError(f"data region {region!r}: size {size_mb!r} MiB must be >= 10")
        self.failure_detection_ms = failure_detection_ms
        self.startup_timeout = startup_timeout
        self.detached = detached
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {sorted(PROFILES)}, got {profile!r}")
        self.profile = profile
        self._version = version
        self._artifacts: ServerArtifacts | None = None
        self._owned_tmp: tempfile.TemporaryDirectory[str] | None = None
        if work_dir is None:
            self._owned_tmp = tempfile.TemporaryDirectory(prefix=f"{self.name}-")
            work_dir = self._owned_tmp.name
        self.work_dir = Path(work_dir).resolve()
        self.users_file: Path | None = None
        self.regions_file: Path | None = None
        self.nodes: list[IgniteNode] = []
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        running = sum(node.is_running() for node in self.nodes)
        return (
            f"<IgniteCluster {self.name} nodes={running}/{len(self.nodes)} "
            f"base_port={self.base_port}>"
        )

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def artifacts(self) -> ServerArtifacts:
        """The Ignite jars and launcher (fetched on first use)."""
        if self._artifacts is None:
            self._artifacts = resolve_server(self._version)
        return self._artifacts

    @property
    def version(self) -> str:
        """The Ignite version the nodes run."""
        return self.artifacts.version

    def start(self) -> IgniteCluster:
        """Start the configured nodes and wait until they form one topology."""
        with self._lock:
            if self.nodes:
                raise HarnessError(f"{self.name} was already started")
            if os.environ.get("IGNITE_WIRE_NO_SERVER"):
                raise HarnessError(
                    "IGNITE_WIRE_NO_SERVER is set (the unit session), yet a test started a "
                    "node: mark it `server` or use a node fixture"
                )
            _ = self.artifacts
            self.work_dir.mkdir(parents=True, exist_ok=True)
            self._write_users_file()
            self._write_regions_file()
            if not self.detached:
                _LIVE.add(self)
            try:
                self.nodes = [IgniteNode(self, i) for i in range(self.initial_nodes)]
                deadline = time.monotonic() + self.startup_timeout
                # The first node alone, then the others together: joining nodes wait on
                # the coordinator anyway, and parallel JVM start-up hides class loading.
                self.nodes[0]._launch(expect_servers=1)
                self.nodes[0]._await_ready(deadline)
                rest = self.nodes[1:]
                for node in rest:
                    node._launch(expect_servers=self.initial_nodes)
                for node in rest:
                    node._await_ready(deadline)
                self.await_topology(self.initial_nodes, deadline - time.monotonic())
            except BaseException:
                self.stop()
                raise
        return self

    def stop(self) -> None:
        """Stop every node (SIGTERM, then SIGKILL after a grace period) and wait for them."""
        with self._lock:
            for node in self.nodes:
                node._signal(signal.SIGTERM)
            for node in self.nodes:
                node._reap(timeout=15)
            _LIVE.discard(self)

    def close(self) -> None:
        """Stop the nodes and remove a temporary work folder this cluster created."""
        self.stop()
        if self._owned_tmp is not None:
            self._owned_tmp.cleanup()
            self._owned_tmp = None

    def __enter__(self) -> IgniteCluster:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- node operations -------------------------------------------------------------------

    def node(self, index: int) -> IgniteNode:
        """The node with this index."""
        return self.nodes[index]

    def kill(self, index: int) -> None:
        """SIGKILL one node, as a crash would, and wait until its process is gone."""
        node = self.nodes[index]
        node._signal(signal.SIGKILL)
        node._reap(timeout=10)

    def stop_node(self, index: int) -> None:
        """Stop one node gracefully."""
        node = self.nodes[index]
        node._signal(signal.SIGTERM)
        node._reap(timeout=15)

    def restart(self, index: int) -> IgniteNode:
        """Start a stopped or killed node again (same name, ports and work folder).

        Returns when it is back in the topology with every other running node.
        """
        with self._lock:
            node = self.nodes[index]
            if node.is_running():
                self.kill(index)
            expected = sum(n.is_running() for n in self.nodes) + 1
            deadline = time.monotonic() + self.startup_timeout
            node._launch(expect_servers=expected)
            node._await_ready(deadline)
            self.await_topology(expected, deadline - time.monotonic())
            return node

    def add_node(self) -> IgniteNode:
        """Start one more node and wait until it has joined."""
        with self._lock:
            if len(self.nodes) >= MAX_NODES:
                raise HarnessError(f"a cluster has at most {MAX_NODES} nodes")
            node = IgniteNode(self, len(self.nodes))
            self.nodes.append(node)
            expected = sum(n.is_running() for n in self.nodes) + 1
            deadline = time.monotonic() + self.startup_timeout
            node._launch(expect_servers=expected)
            node._await_ready(deadline)
            self.await_topology(expected, deadline - time.monotonic())
            return node

    def await_topology(self, servers: int, timeout: float = 60.0) -> None:
        """Wait until every running node's log reports a topology of ``servers`` servers.

        This reads the server side (Ignite's own "Topology snapshot" lines), not a client's
        opinion, so it is the ground truth the harness tests rely on.
        """
        deadline = time.monotonic() + max(timeout, 1.0)
        while True:
            running = self.running_nodes()
            if all(node.topology_servers() == servers for node in running):
                return
            if time.monotonic() > deadline:
                seen = {node.name: node.topology_servers() for node in running}
                raise HarnessError(f"topology did not settle at servers={servers}: {seen}")
            time.sleep(0.1)

    # -- inspection ------------------------------------------------------------------------

    def running_nodes(self) -> list[IgniteNode]:
        """The nodes whose JVM is alive."""
        return [node for node in self.nodes if node.is_running()]

    @property
    def endpoints(self) -> list[tuple[str, int]]:
        """``(host, port)`` of every running node, for ``Client.connect``."""
        return [node.endpoint for node in self.running_nodes()]

    def pids(self) -> list[int]:
        """Process ids of every running node."""
        return [node.pid for node in self.running_nodes() if node.pid is not None]

    def infos(self) -> list[NodeInfo]:
        """How to reach each running node."""
        return [node.info() for node in self.running_nodes()]

    def __iter__(self) -> Iterator[IgniteNode]:
        return iter(self.nodes)

    def _write_users_file(self) -> None:
        if not self.users:
            return
        if not self.auth:
            raise ValueError("users need auth=True")
        for user, password in self.users.items():
            if "\t" in user or "\n" in user or "\n" in password:
                raise ValueError("user names and passwords must not contain tabs or newlines")
        path = self.work_dir / "users.tsv"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.writelines(f"{user}\t{password}\n" for user, password in self.users.items())
        self.users_file = path

    def _write_regions_file(self) -> None:
        # A file, like the users', so a region's name never has to survive a command line.
        if not self.data_regions:
            return
        path = self.work_dir / "regions.tsv"
        with path.open("w", encoding="utf-8") as f:
            f.writelines(f"{size}\t{name}\n" for name, size in self.data_regions.items())
        self.regions_file = path


def endpoints_of(nodes: Sequence[NodeInfo]) -> list[tuple[str, int]]:
    """``(host, port)`` pairs of node infos."""
    return [(n.host, n.port) for n in nodes]
