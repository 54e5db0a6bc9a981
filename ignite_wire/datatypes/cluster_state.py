"""Cluster states (pyignite's ``pyignite.datatypes.cluster_state``)."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ClusterState"]


class ClusterState(IntEnum):
    """The cluster's activation state; read-only needs protocol feature CLUSTER_STATES."""

    INACTIVE = 0
    ACTIVE = 1
    ACTIVE_READ_ONLY = 2
