"""The cluster facade: cluster state, WAL, node selection."""

# unasync-skip-start
# The source of _sync_cluster.py: ``python tools/unasync.py`` generates it from this file.
# unasync-skip-end

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import _checks, _facade
from ._protocol.ops import cluster
from ._protocol.requirements import require
from .datatypes.cluster_state import ClusterState
from .exceptions import (
    ParameterError,
)

if TYPE_CHECKING:
    from .aio_client import AioClient  # unasync: from .client import Client

__all__ = ["AioCluster"]


class AioCluster:
    """Cluster-wide state."""

    def __init__(self, client: AioClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"

    async def get_state(self) -> ClusterState:
        """The cluster state (active, inactive, read-only)."""
        client = self._client
        return ClusterState(
            await client._retrying(lambda: client._run(cluster.get_state()), write=False)
        )

    async def set_state(self, state: int) -> None:
        """Change the cluster state."""
        value = _facade.enum_param(state, ClusterState, "set_state(): state")
        await self._client._run(cluster.set_state(value))

    async def disable_wal(self, cache: str) -> bool:
        """Turn off the WAL of ``cache`` (a persistent one); whether it changed."""
        return await self._client._run(
            cluster.change_wal_state(_facade.cache_name_of(cache), False)
        )

    async def enable_wal(self, cache: str) -> bool:
        """Turn the WAL of ``cache`` back on; whether it changed."""
        return await self._client._run(cluster.change_wal_state(_facade.cache_name_of(cache), True))

    async def node_ids(
        self, attributes: Mapping[str, Any] | None = None, *, servers: bool | None = None
    ) -> list[uuid.UUID]:
        """Ids of the nodes whose ``attributes`` equal the given values (all of them), and
        that are servers (``servers=True``) or clients (``False``); feature bit 4."""
        _checks.node_attributes(attributes, "node_ids(): attributes")
        client = self._client
        conn = await client._current()
        require(
            "cluster groups", conn.protocol.version, conn.protocol.features, node=str(conn.address)
        )
        pairs = list((attributes or {}).items())
        for name, _ in pairs:
            if not isinstance(name, str) or not name:
                raise ParameterError(f"node_ids(): attribute names must be str, got {name!r}")
        flow = cluster.group_node_ids(pairs, servers, client._context())
        return await client._run(flow, conn)

    async def nodes(
        self, attributes: Mapping[str, Any] | None = None, *, servers: bool | None = None
    ) -> list[cluster.NodeInfo]:
        """The selected nodes (as :meth:`node_ids`) with their attributes, addresses,
        order and version (op 5101)."""
        ids = await self.node_ids(attributes, servers=servers)
        if not ids:
            return []
        return await self._client._run(cluster.nodes_info(ids, self._client._context()))

    async def is_wal_enabled(self, cache: str) -> bool:
        return await self._client._run(cluster.get_wal_state(_facade.cache_name_of(cache)))
