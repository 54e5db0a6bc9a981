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
from typing import Any, NamedTuple

from ...exceptions import ClusterError, ParseError
from ..buffer import write_str
from ..codec import decode_value, write_value
from ..context import CodecContext
from ..flow import Flow, Request
from ..opcodes import OpCode
from .common import decode_with_types

__all__ = [
    "JavaObject",
    "NodeInfo",
    "change_wal_state",
    "get_state",
    "get_wal_state",
    "group_node_ids",
    "nodes_info",
    "set_state",
    "uuid_halves",
]

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


class JavaObject(NamedTuple):
    """A node attribute only Java can read (optimized-marshaller form, type code -2):
    its serialized bytes, kept so that the other attributes can still be read."""

    data: bytes


def _attribute(payload: bytes, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    if pos < len(payload) and payload[pos] == 0xFE:  # -2: i32 length, Java serialization
        if pos + 5 > len(payload):
            raise ParseError("node attribute ends before its length", offset=pos)
        (size,) = _I32.unpack_from(payload, pos + 1)
        end = pos + 5 + size
        if size < 0 or end > len(payload):
            raise ParseError(f"node attribute of {size} bytes does not fit", offset=pos)
        return JavaObject(bytes(payload[pos + 5 : end])), end
    return decode_value(payload, pos, ctx)


class NodeInfo(NamedTuple):
    """One node as CLUSTER_GROUP_GET_NODE_INFO describes it."""

    node_id: uuid.UUID
    attributes: dict[str, Any]
    addresses: list[str]
    host_names: list[str]
    order: int
    is_local: bool
    is_daemon: bool
    is_client: bool
    consistent_id: Any
    version: tuple[int, int, int, str, int, bytes]


def nodes_info(node_ids: Sequence[uuid.UUID], ctx: CodecContext) -> Flow[list[NodeInfo]]:
    """CLUSTER_GROUP_GET_NODE_INFO: attributes, addresses, order and version of nodes.

    Layout (2.17's ``ClientClusterGroupGetNodesDetails*``): request ``i32 n | (i64 msb,
    i64 lsb) * n``; answer ``i32 n | node * n``, a node being ``UUID id | i32 m | (Str
    name, object value) * m | collection addresses | collection hostNames | i64 order |
    bool local | bool daemon | bool client | object consistentId | i8 major | i8 minor
    | i8 maintenance | Str stage | i64 revisionTimestamp | byte[] revisionHash``.
    """
    out = bytearray(_I32.pack(len(node_ids)))
    for node_id in node_ids:
        out += struct.pack("<qq", *uuid_halves(node_id))
    response = yield Request(OpCode.CLUSTER_GROUP_GET_NODE_INFO, out, ClusterError)
    payload = response.payload

    def decode() -> list[NodeInfo]:
        if len(payload) < 4:
            raise ParseError("CLUSTER_GROUP_GET_NODE_INFO answer is truncated", offset=0)
        (count,) = _I32.unpack_from(payload, 0)
        pos = 4
        nodes = []
        for _ in range(count):
            node_id, pos = decode_value(payload, pos, ctx)
            (m,) = _I32.unpack_from(payload, pos)
            pos += 4
            attributes = {}
            for _ in range(m):
                name, pos = decode_value(payload, pos, ctx)
                attributes[name], pos = _attribute(payload, pos, ctx)
            addresses, pos = decode_value(payload, pos, ctx)
            host_names, pos = decode_value(payload, pos, ctx)
            (order,) = _I64.unpack_from(payload, pos)
            local, daemon, client = (payload[pos + 8 + i] != 0 for i in range(3))
            consistent_id, pos = _attribute(payload, pos + 11, ctx)
            major, minor, maintenance = payload[pos], payload[pos + 1], payload[pos + 2]
            stage, pos = decode_value(payload, pos + 3, ctx)
            (rev_ts,) = _I64.unpack_from(payload, pos)
            rev_hash, pos = decode_value(payload, pos + 8, ctx)
            version = (major, minor, maintenance, stage or "", rev_ts, bytes(rev_hash or b""))
            nodes.append(
                NodeInfo(
                    node_id,
                    attributes,
                    list(addresses or []),
                    list(host_names or []),
                    order,
                    local,
                    daemon,
                    client,
                    consistent_id,
                    version,
                )
            )
        if pos != len(payload):
            raise ParseError(f"{len(payload) - pos} bytes after the last node", offset=pos)
        return nodes

    return (yield from decode_with_types(ctx, decode))


def uuid_halves(node_id: uuid.UUID) -> tuple[int, int]:
    value = node_id.int
    msb, lsb = value >> 64, value & (2**64 - 1)
    return msb - (1 << 64) if msb >> 63 else msb, lsb - (1 << 64) if lsb >> 63 else lsb
