"""Keeping idle connections alive, and finding nodes the client was not told about.

HEARTBEAT (op 1) and GET_IDLE_TIMEOUT (op 2) need feature bit 11: a server with an idle
timeout drops connections that send nothing, so an idle client pings at a third of it.
GET_NODE_ENDPOINTS (op 5102, bit 3) lists every server node's id, thin-client port and
addresses, so a client given one address can connect to all (partition awareness).
"""

from __future__ import annotations

import struct
import uuid
from typing import NamedTuple

from ...exceptions import ClusterError, ParseError, ServerError
from ..buffer import Buffer, read_i32, read_i64, read_str
from ..flow import Flow, Request
from ..opcodes import OpCode

__all__ = ["NodeEndpoints", "decode_endpoints", "get_idle_timeout", "heartbeat", "node_endpoints"]

_LATEST = struct.Struct("<qq").pack(-1, -1)  # from the earliest to the latest topology


def heartbeat() -> Flow[None]:
    """HEARTBEAT: an empty request that resets the server's idle clock."""
    yield Request(OpCode.HEARTBEAT, b"", ServerError)


def get_idle_timeout() -> Flow[int]:
    """GET_IDLE_TIMEOUT: the server's idle timeout in ms (0: none)."""
    response = yield Request(OpCode.GET_IDLE_TIMEOUT, b"", ServerError)
    value, _ = read_i64(response.payload, 0)
    return value


class NodeEndpoints(NamedTuple):
    """One server node: its id, thin-client port, and addresses then host names."""

    node_id: uuid.UUID
    port: int
    hosts: tuple[str, ...]


def node_endpoints() -> Flow[list[NodeEndpoints]]:
    """GET_NODE_ENDPOINTS for the whole current topology."""
    response = yield Request(OpCode.CLUSTER_GROUP_GET_NODE_ENDPOINTS, _LATEST, ClusterError)
    return decode_endpoints(response.payload)


def decode_endpoints(buf: Buffer) -> list[NodeEndpoints]:
    """``i64 topVer | i32 n | (i64 msb, i64 lsb, i32 port, i32 k, String*k)* | ...``."""
    _, pos = read_i64(buf, 0)
    count, pos = read_i32(buf, pos)
    if count < 0 or count * 24 > len(buf):
        raise ParseError(f"implausible node count {count}", offset=pos - 4)
    nodes = []
    for _ in range(count):
        msb, pos = read_i64(buf, pos)
        lsb, pos = read_i64(buf, pos)
        port, pos = read_i32(buf, pos)
        n_hosts, pos = read_i32(buf, pos)
        if n_hosts < 0 or n_hosts > len(buf):
            raise ParseError(f"implausible address count {n_hosts}", offset=pos - 4)
        hosts = []
        for _ in range(n_hosts):
            host, pos = read_str(buf, pos)
            if host:
                hosts.append(host)
        node_id = uuid.UUID(int=((msb & 0xFFFFFFFFFFFFFFFF) << 64) | (lsb & 0xFFFFFFFFFFFFFFFF))
        nodes.append(NodeEndpoints(node_id, port, tuple(hosts)))
    return nodes
