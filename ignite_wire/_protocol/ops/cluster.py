"""Cluster state (ops 5000/5001) and a cache's write-ahead log (ops 5002/5003).

With feature bit 2 (CLUSTER_STATES) the state is a byte: INACTIVE 0, ACTIVE 1,
ACTIVE_READ_ONLY 2; without it the old protocol speaks a boolean "active".

WAL (2.17's ``ClientClusterWal*Request``): ``Str cacheName | bool enable`` -> bool
(whether the mode changed), and ``Str cacheName`` -> bool (enabled).  Only caches of a
persistent data region have a WAL; for others the server answers with an error.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Sequence
from typing import Any

from ...exceptions import ClusterError, ParseError
from ..buffer import write_str
from ..codec import write_value
from ..context import CodecContext
from ..flow import Flow, Request
from ..opcodes import OpCode

__all__ = ["change_wal_state", "get_state", "get_wal_state", "group_node_ids", "set_state"]

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


# -- cluster groups (feature bit 4) ---------------------------------------------------------

_I16 = struct.Struct("<h")
_I32 = struct.Struct("<i")
_I64 = struct.Struct("<q")


def group_node_ids(
    attributes: Sequence[tuple[str, Any]], servers: bool | None, ctx: CodecContext
) -> Flow[list[uuid.UUID]]:
    """CLUSTER_GROUP_GET_NODE_IDS: the ids of the nodes the projection selects.

    Layout (2.17's ``ClientClusterGroupGetNodeIdsRequest`` / ``ClientClusterGroupProjection``):
    ``i64 knownTopologyVersion | i32 n (0: every node) | item * n``, an item being
    ``i16 1 | Str name | object value`` (an attribute equals the value) or ``i16 2 | bool``
    (servers, or clients).  Answer: ``bool changed [| i64 topVer | i32 n | (i64 msb,
    i64 lsb) * n]``; we send version -1, so it always changed.
    """
    out = bytearray(_I64.pack(-1))
    items = len(attributes) + (servers is not None)
    out += _I32.pack(items)
    for name, value in attributes:
        out += _I16.pack(1)
        write_str(out, name)
        write_value(out, value, None, ctx=ctx)
    if servers is not None:
        out += _I16.pack(2)
        out.append(1 if servers else 0)
    response = yield Request(OpCode.CLUSTER_GROUP_GET_NODE_IDS, out, ClusterError)
    payload = response.payload
    if len(payload) < 1:
        raise ParseError("CLUSTER_GROUP_GET_NODE_IDS answered nothing", offset=0)
    if not payload[0]:
        raise ParseError("CLUSTER_GROUP_GET_NODE_IDS: no topology for version -1", offset=0)
    if len(payload) < 13:
        raise ParseError("CLUSTER_GROUP_GET_NODE_IDS answer is truncated", offset=1)
    (count,) = _I32.unpack_from(payload, 9)
    if count < 0 or len(payload) != 13 + 16 * count:
        raise ParseError(f"CLUSTER_GROUP_GET_NODE_IDS: {count} ids do not fit", offset=9)
    ids = []
    for i in range(count):
        msb, lsb = struct.unpack_from("<qq", payload, 13 + 16 * i)
        ids.append(uuid.UUID(int=((msb & (2**64 - 1)) << 64) | (lsb & (2**64 - 1))))
    return ids
