"""Cluster state (ops 5000/5001) and a cache's write-ahead log (ops 5002/5003).

With feature bit 2 (CLUSTER_STATES) the state is a byte: INACTIVE 0, ACTIVE 1,
ACTIVE_READ_ONLY 2; without it the old protocol speaks a boolean "active".

WAL (2.17's ``ClientClusterWal*Request``): ``Str cacheName | bool enable`` -> bool
(whether the mode changed), and ``Str cacheName`` -> bool (enabled).  Only caches of a
persistent data region have a WAL; for others the server answers with an error.
"""

from __future__ import annotations

import struct

from ...exceptions import ClusterError, ParseError
from ..buffer import write_str
from ..flow import Flow, Request
from ..opcodes import OpCode

__all__ = ["change_wal_state", "get_state", "get_wal_state", "set_state"]

_STATE_CHANGE = struct.Struct("<b")


def get_state() -> Flow[int]:
    """CLUSTER_GET_STATE: the state code."""
    response = yield Request(OpCode.CLUSTER_GET_STATE, b"", ClusterError)
    if len(response.payload) < 1:
        raise ParseError("CLUSTER_GET_STATE answered without a state", offset=0)
    return int(response.payload[0])


def set_state(state: int) -> Flow[None]:
    """CLUSTER_CHANGE_STATE to ``state``."""
    yield Request(OpCode.CLUSTER_CHANGE_STATE, _STATE_CHANGE.pack(state), ClusterError)


def _flag(payload: bytes, op: str) -> bool:
    if len(payload) < 1:
        raise ParseError(f"{op} answered without its flag", offset=0)
    return payload[0] != 0


def change_wal_state(cache_name: str, enable: bool) -> Flow[bool]:
    """CLUSTER_CHANGE_WAL_STATE: whether the cache's WAL mode changed."""
    out = bytearray()
    write_str(out, cache_name)
    out.append(1 if enable else 0)
    response = yield Request(OpCode.CLUSTER_CHANGE_WAL_STATE, out, ClusterError)
    return _flag(response.payload, "CLUSTER_CHANGE_WAL_STATE")


def get_wal_state(cache_name: str) -> Flow[bool]:
    """CLUSTER_GET_WAL_STATE: whether the cache's WAL is enabled."""
    out = bytearray()
    write_str(out, cache_name)
    response = yield Request(OpCode.CLUSTER_GET_WAL_STATE, out, ClusterError)
    return _flag(response.payload, "CLUSTER_GET_WAL_STATE")
