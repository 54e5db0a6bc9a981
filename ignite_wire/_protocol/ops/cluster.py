"""Cluster state (ops 5000/5001).

With feature bit 2 (CLUSTER_STATES) the state is a byte: INACTIVE 0, ACTIVE 1,
ACTIVE_READ_ONLY 2; without it the old protocol speaks a boolean "active".
"""

from __future__ import annotations

import struct

from ...exceptions import ClusterError, ParseError
from ..flow import Flow, Request
from ..opcodes import OpCode

__all__ = ["get_state", "set_state"]

_STATE_CHANGE = struct.Struct("<b")


def get_state() -> Flow[int]:
    """CLUSTER_GET_STATE: the state code."""
    response = yield Request(OpCode.CLUSTER_GET_STATE, b"", ClusterError)
    if len(response.payload) < 1:
        raise ParseError("CLUSTER_GET_STATE answered without a state", offset=0)
    state = int(response.payload[0])
    if state > 2:
        raise ParseError(f"CLUSTER_GET_STATE answered an unknown state {state}", offset=0)
    return state


def set_state(state: int) -> Flow[None]:
    """CLUSTER_CHANGE_STATE to ``state``."""
    yield Request(OpCode.CLUSTER_CHANGE_STATE, _STATE_CHANGE.pack(state), ClusterError)
