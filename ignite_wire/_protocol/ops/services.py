"""Services: call a method of a service deployed on the cluster (ops 7000-7003).

Layouts, read from the bytecode of Ignite 2.17's ``ClientServiceInvokeRequest``,
``ClientServiceDescriptor(s)Response``, ``ClientServiceTopologyRequest`` and
``ClientServiceMappingsResponse``::

    7000 INVOKE          Str name | i8 flags | i64 timeoutMs | i32 n | (i64 msb, i64 lsb) * n
                             | Str method | i32 argc | ([i32 typeId] object) * argc
                             [| map callContext, with feature bit 10]
                         -> object (the method's result)
    7001 GET_DESCRIPTORS -> i32 n | descriptor * n
    7002 GET_DESCRIPTOR  Str name -> descriptor
    7003 GET_TOPOLOGY    Str name -> i32 n | (i64 msb, i64 lsb) * n (nodes with an instance)
    descriptor           Str name | Str serviceClass | i32 totalCount | i32 maxPerNodeCount
                             | Str cacheName | UUID originNodeId (typed) | i8 platform
                             (0 Java, 1 .NET)

Flags: 0x01 keep binary (the server passes arguments to the method as binary
objects), 0x02 "parameter type ids present".  We send neither: the server deserializes
the arguments and picks the method by name, argument count and the arguments' classes,
so a Python ``int`` (a Java ``long``) calls ``m(long)``.  ``n = 0`` calls an instance on
any server node.  ``timeoutMs`` (0: none) bounds the server's wait for a service
instance and the call.

Feature bits: 5 (invoke), 9 (descriptors), 10 (the call-context map, always written
when the bit was agreed: empty means none), 16 (topology; in 2.17 it changes no other
layout).  An unknown service fails with status 1 and "Service not found: <name>"; it is
raised as :class:`~ignite_wire.exceptions.ServiceError` naming the service.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...exceptions import ParseError, ServiceError
from ..buffer import Buffer, write_str
from ..codec import decode_value, write_value
from ..context import CodecContext
from ..flow import Flow, Request
from ..opcodes import OpCode
from .cluster import uuid_halves
from .common import decode_with_types, register_pending

__all__ = [
    "ServiceDescriptor",
    "get_descriptor",
    "get_descriptors",
    "get_topology",
    "invoke",
]

_I32 = struct.Struct("<i")
_UUID = struct.Struct("<qq")
_FLAGS_TIMEOUT = struct.Struct("<bq")


@dataclass(frozen=True, slots=True)
class ServiceDescriptor:
    """A deployed service as the cluster describes it (op 7001/7002)."""

    name: str
    service_class: str
    total_count: int
    max_per_node_count: int
    cache_name: str | None
    origin_node_id: uuid.UUID | None
    platform: str  # "java" or "dotnet"


def _named(flow: Flow[Any], name: str, method: str | None = None) -> Flow[Any]:
    """Run ``flow``; a failure names the service and method (the server's text may not)."""
    try:
        return (yield from flow)
    except ServiceError as exc:
        what = f"service {name!r}" + ("" if method is None else f", method {method!r}")
        raise ServiceError(
            f"{what}: {exc.message}", op=exc.op, node=exc.node, status=exc.status
        ) from None


def invoke(
    name: str,
    method: str,
    args: Sequence[Any],
    node_ids: Sequence[uuid.UUID],
    timeout_ms: int,
    call_context: Mapping[str, str] | None,
    *,
    with_call_context: bool,
    ctx: CodecContext,
) -> Flow[Any]:
    """SERVICE_INVOKE: the method's result."""
    out = bytearray()
    write_str(out, name)
    out += _FLAGS_TIMEOUT.pack(0, timeout_ms)
    out += _I32.pack(len(node_ids))
    for node_id in node_ids:
        out += _UUID.pack(*uuid_halves(node_id))
    write_str(out, method)
    out += _I32.pack(len(args))
    for arg in args:
        write_value(out, arg, None, ctx=ctx)
    if with_call_context:
        write_value(out, dict(call_context) if call_context else None, None, ctx=ctx)
    yield from register_pending(ctx)

    def request() -> Flow[Any]:
        response = yield Request(OpCode.SERVICE_INVOKE, out, ServiceError)
        payload = response.payload
        return (yield from decode_with_types(ctx, lambda: _one_value(payload, ctx)))

    return (yield from _named(request(), name, method))


def _one_value(payload: Buffer, ctx: CodecContext) -> Any:
    value, pos = decode_value(payload, 0, ctx)
    if pos != len(payload):
        raise ParseError(f"{len(payload) - pos} bytes after the service's result", offset=pos)
    return value


def _descriptor(payload: Buffer, pos: int, ctx: CodecContext) -> tuple[ServiceDescriptor, int]:
    name, pos = decode_value(payload, pos, ctx)
    cls, pos = decode_value(payload, pos, ctx)
    if pos + 8 > len(payload):
        raise ParseError("service descriptor ends before its counts", offset=pos)
    total, per_node = struct.unpack_from("<ii", payload, pos)
    cache, pos = decode_value(payload, pos + 8, ctx)
    origin, pos = decode_value(payload, pos, ctx)
    if pos >= len(payload):
        raise ParseError("service descriptor ends before its platform", offset=pos)
    platform = "dotnet" if payload[pos] == 1 else "java"
    return ServiceDescriptor(name, cls, total, per_node, cache, origin, platform), pos + 1


def get_descriptors(ctx: CodecContext) -> Flow[list[ServiceDescriptor]]:
    """SERVICE_GET_DESCRIPTORS: every deployed service."""
    response = yield Request(OpCode.SERVICE_GET_DESCRIPTORS, b"", ServiceError)
    payload = response.payload
    if len(payload) < 4:
        raise ParseError("SERVICE_GET_DESCRIPTORS answer ends before its count", offset=0)
    (count,) = _I32.unpack_from(payload, 0)
    pos, found = 4, []
    for _ in range(max(count, 0)):
        descriptor, pos = _descriptor(payload, pos, ctx)
        found.append(descriptor)
    if pos != len(payload):
        raise ParseError(f"{len(payload) - pos} bytes after the last descriptor", offset=pos)
    return found


def get_descriptor(name: str, ctx: CodecContext) -> Flow[ServiceDescriptor]:
    """SERVICE_GET_DESCRIPTOR: one service, by name."""
    out = bytearray()
    write_str(out, name)

    def request() -> Flow[ServiceDescriptor]:
        response = yield Request(OpCode.SERVICE_GET_DESCRIPTOR, out, ServiceError)
        descriptor, pos = _descriptor(response.payload, 0, ctx)
        if pos != len(response.payload):
            raise ParseError("bytes after the service descriptor", offset=pos)
        return descriptor

    result: ServiceDescriptor = yield from _named(request(), name)
    return result


def get_topology(name: str) -> Flow[list[uuid.UUID]]:
    """SERVICE_GET_TOPOLOGY: the ids of the nodes that run an instance of ``name``."""
    out = bytearray()
    write_str(out, name)

    def request() -> Flow[list[uuid.UUID]]:
        response = yield Request(OpCode.SERVICE_GET_TOPOLOGY, out, ServiceError)
        payload = response.payload
        if len(payload) < 4:
            raise ParseError("SERVICE_GET_TOPOLOGY answer ends before its count", offset=0)
        (count,) = _I32.unpack_from(payload, 0)
        if count < 0:
            return []
        if len(payload) != 4 + 16 * count:
            raise ParseError(f"SERVICE_GET_TOPOLOGY: {count} ids do not fit", offset=0)
        ids = []
        for i in range(count):
            msb, lsb = _UUID.unpack_from(payload, 4 + 16 * i)
            ids.append(uuid.UUID(int=((msb & (2**64 - 1)) << 64) | (lsb & (2**64 - 1))))
        return ids

    result: list[uuid.UUID] = yield from _named(request(), name)
    return result
