"""IgniteSet (ops 9010-9023): a distributed set of values, stored in a cache of its own.

Layouts, read from the bytecode of Ignite 2.17's ``ClientIgniteSet*Request`` classes::

    9010 GET_OR_CREATE  Str name | bool hasConfig [| i8 atomicityMode | i8 cacheMode
                            | i32 backups | Str groupName | bool collocated]
                        -> bool exists [| bool collocated | i32 cacheId]
    the others          Str name | i32 cacheId | bool collocated | ...  (the set's handle)
    9011 CLOSE (removes the set)  9012 EXISTS -> bool   9020 SIZE -> i32   9021 CLEAR
    9013 ADD, 9015 REMOVE, 9017 CONTAINS     + bool keepBinary | object -> bool
    9014 ADD_ALL, 9016 REMOVE_ALL, 9018 CONTAINS_ALL, 9019 RETAIN_ALL
                        + bool keepBinary | i32 n | object * n -> bool
    9022 ITERATOR_START + i32 pageSize -> page [| i64 resourceId, if hasNext]
    9023 ITERATOR_GET_PAGE  i64 resourceId | i32 pageSize -> page
    page                i32 n | object * n | bool hasNext

Without a configuration GET_OR_CREATE only finds an existing set (``exists`` false: no
such set).  Modes use the codes of :class:`~.cache_props.CacheMode` (``fromCode``:
REPLICATED 1, PARTITIONED 2) and :class:`~.cache_props.CacheAtomicityMode` (ordinal).
We always send ``keepBinary`` true: the server keeps values in binary form and need not
have their classes.  An operation on a set that was removed fails with status 1011
("IgniteSet with name '...' does not exist."), raised as ``ServerError`` naming the set.
The server frees an iterator after its last page; one left early is closed with
RESOURCE_CLOSE.  No feature bit guards these ops (servers before 2.14 answer status 2).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any, NamedTuple

from ...exceptions import ParseError, ServerError, SQLError
from ..buffer import Buffer, write_str
from ..codec import decode_value, write_value
from ..context import CodecContext
from ..flow import Flow, Request
from ..opcodes import OpCode
from .common import decode_with_types, register_pending

__all__ = [
    "SetConfig",
    "SetHandle",
    "SetPage",
    "close_iterator",
    "get_or_create",
    "iterator_next",
    "iterator_start",
    "keys_op",
    "no_value_op",
    "value_op",
]

_I32 = struct.Struct("<i")
_I64 = struct.Struct("<q")
_CONFIG = struct.Struct("<bbi")


class SetConfig(NamedTuple):
    """How a new set's cache is made (Ignite's ``CollectionConfiguration``)."""

    atomicity: int
    cache_mode: int
    backups: int
    group: str | None
    collocated: bool


class SetHandle(NamedTuple):
    """What every operation on an existing set sends."""

    name: str
    cache_id: int
    collocated: bool


class SetPage(NamedTuple):
    values: list[Any]
    resource_id: int | None  # None: this was the last page


def _handle(handle: SetHandle) -> bytearray:
    out = bytearray()
    write_str(out, handle.name)
    out += _I32.pack(handle.cache_id)
    out.append(1 if handle.collocated else 0)
    return out


def _request(op: int, payload: bytearray, name: str) -> Flow[bytes]:
    try:
        response = yield Request(op, payload, ServerError)
    except SQLError as exc:  # status 1011 maps to SQLError in the status table
        if exc.status != 1011:
            raise
        raise ServerError(
            f"set {name!r} does not exist ({exc.message})", op=exc.op, status=exc.status
        ) from None
    return response.payload


def _bool(payload: bytes, op: str) -> bool:
    if len(payload) < 1:
        raise ParseError(f"{op} answered without its flag", offset=0)
    return payload[0] != 0


def get_or_create(name: str, config: SetConfig | None) -> Flow[SetHandle | None]:
    """SET_GET_OR_CREATE: the set's handle (``None``: no such set and no ``config``)."""
    out = bytearray()
    write_str(out, name)
    if config is None:
        out.append(0)
    else:
        out.append(1)
        out += _CONFIG.pack(config.atomicity, config.cache_mode, config.backups)
        write_str(out, config.group)
        out.append(1 if config.collocated else 0)
    response = yield Request(OpCode.SET_GET_OR_CREATE, out, ServerError)
    payload = response.payload
    if not _bool(payload, "SET_GET_OR_CREATE"):
        return None
    if len(payload) < 6:
        raise ParseError("SET_GET_OR_CREATE answer ends before the cache id", offset=1)
    return SetHandle(name, int(_I32.unpack_from(payload, 2)[0]), payload[1] != 0)


def no_value_op(op: OpCode, handle: SetHandle) -> Flow[bytes]:
    """CLOSE, EXISTS, SIZE, CLEAR: the raw answer (decoded by the caller)."""
    return (yield from _request(op, _handle(handle), handle.name))


def value_op(op: OpCode, handle: SetHandle, value: Any, ctx: CodecContext) -> Flow[bool]:
    """ADD, REMOVE, CONTAINS of one value."""
    out = _handle(handle)
    out.append(1)  # keep binary
    write_value(out, value, None, ctx=ctx)
    yield from register_pending(ctx)
    return _bool((yield from _request(op, out, handle.name)), op.name)


def keys_op(op: OpCode, handle: SetHandle, values: Sequence[Any], ctx: CodecContext) -> Flow[bool]:
    """ADD_ALL, REMOVE_ALL, CONTAINS_ALL, RETAIN_ALL."""
    out = _handle(handle)
    out.append(1)  # keep binary
    out += _I32.pack(len(values))
    for value in values:
        write_value(out, value, None, ctx=ctx)
    yield from register_pending(ctx)
    return _bool((yield from _request(op, out, handle.name)), op.name)


def _page(payload: Buffer, ctx: CodecContext, *, first: bool) -> SetPage:
    if len(payload) < 4:
        raise ParseError("set page ends before its count", offset=0)
    (count,) = _I32.unpack_from(payload, 0)
    if count < 0 or count > len(payload) - 4:
        raise ParseError(f"set page of {count} values does not fit", offset=0)
    pos, values = 4, []
    for _ in range(count):
        value, pos = decode_value(payload, pos, ctx)
        values.append(value)
    if pos >= len(payload):
        raise ParseError("set page ends before its has-next flag", offset=pos)
    has_next = payload[pos] != 0
    pos += 1
    resource_id = None
    if has_next and first:
        if pos + 8 > len(payload):
            raise ParseError("set page ends before its iterator id", offset=pos)
        resource_id = int(_I64.unpack_from(payload, pos)[0])
        pos += 8
    elif has_next:
        resource_id = -1  # the caller keeps the id it had
    if pos != len(payload):
        raise ParseError(f"{len(payload) - pos} bytes after the set page", offset=pos)
    return SetPage(values, resource_id)


def iterator_start(handle: SetHandle, page_size: int, ctx: CodecContext) -> Flow[SetPage]:
    """SET_ITERATOR_START: the first page, and the iterator's id if more follow."""
    out = _handle(handle) + _I32.pack(page_size)
    payload = yield from _request(OpCode.SET_ITERATOR_START, out, handle.name)
    return (yield from decode_with_types(ctx, lambda: _page(payload, ctx, first=True)))


def iterator_next(resource_id: int, page_size: int, ctx: CodecContext) -> Flow[SetPage]:
    """SET_ITERATOR_GET_PAGE: the next page (``resource_id`` None after the last)."""
    out = bytearray(_I64.pack(resource_id) + _I32.pack(page_size))
    response = yield Request(OpCode.SET_ITERATOR_GET_PAGE, out, ServerError)
    payload = response.payload
    page = yield from decode_with_types(ctx, lambda: _page(payload, ctx, first=False))
    return SetPage(page.values, resource_id if page.resource_id is not None else None)


def close_iterator(resource_id: int) -> Flow[None]:
    """RESOURCE_CLOSE: free an iterator left before its last page."""
    yield Request(OpCode.RESOURCE_CLOSE, _I64.pack(resource_id), ServerError)
