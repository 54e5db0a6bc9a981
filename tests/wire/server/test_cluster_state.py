"""Cluster state read and change, on a node of its own (changing it disturbs other tests)."""

from __future__ import annotations

from typing import Any

import pytest

from ignite_wire import Client
from ignite_wire.datatypes.cluster_state import ClusterState
from ignite_wire.exceptions import ParameterError, ServerError


def test_state_read_and_changed(ignite_cluster_factory: Any) -> None:
    cluster = ignite_cluster_factory(1)
    client = Client()
    client.connect(*cluster.node(0).endpoint)
    try:
        state = client.get_cluster()
        assert state.get_state() == ClusterState.ACTIVE
        cache = client.get_or_create_cache("state_probe")
        cache.put(1, 1)
        state.set_state(ClusterState.ACTIVE_READ_ONLY)
        assert state.get_state() == ClusterState.ACTIVE_READ_ONLY
        with pytest.raises(ServerError):
            cache.put(2, 2)  # writes are refused in read-only mode
        assert cache.get(1) == 1  # reads still work
        state.set_state(ClusterState.INACTIVE)
        assert state.get_state() == ClusterState.INACTIVE
        state.set_state(ClusterState.ACTIVE)
        assert state.get_state() == ClusterState.ACTIVE
        with pytest.raises(ParameterError, match="state"):
            state.set_state(9)
    finally:
        client.close()
