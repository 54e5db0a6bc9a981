"""Pieces every cache operation shares: the cache header, binary-type negotiation.

The cache header (reference section 2) is ``i32 cacheId | i8 flags | [expiry: 3 x i64]
| [txId: i32]``.  It depends on the cache handle (id, expiry policy) and on the
transaction active where the call is made, so the client builds it per call with
:func:`cache_header` and hands the bytes to the flow.

Binary types: the codec records in ``ctx.pending`` the types whose schema the cluster has
not seen; :func:`register_pending` registers them (op 3003) *before* the request that
carries the objects, because with compact footers the server cannot read an object whose
schema it does not have.  On the way back the codec raises ``NeedBinaryType``;
:func:`decode_with_types` fetches the type (op 3002) and decodes again, at most once per
type, so a server that keeps answering with unknown types cannot loop us forever.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any, TypeVar

from ...exceptions import BinaryTypeError, CacheDoesNotExistError
from ..binary_types import (
    NeedBinaryType,
    decode_get_binary_type_response,
    encode_binary_type,
    encode_get_binary_type_request,
)
from ..codec import write_value
from ..context import CodecContext
from ..flow import Flow, Request
from ..opcodes import OpCode

__all__ = [
    "FLAG_EXPIRY",
    "FLAG_KEEP_BINARY",
    "FLAG_TRANSACTIONAL",
    "cache_header",
    "cache_named",
    "decode_with_types",
    "encode_args",
    "naming_cache",
    "register_pending",
]

FLAG_KEEP_BINARY = 0x01
FLAG_TRANSACTIONAL = 0x02
FLAG_EXPIRY = 0x04

_HEADER = struct.Struct("<ib")
_TX_ID = struct.Struct("<i")

T = TypeVar("T")


def cache_header(
    cache_id: int,
    *,
    expiry: bytes = b"",
    tx_id: int | None = None,
    keep_binary: bool = False,
) -> bytearray:
    """The header of a cache request; ``expiry`` is the 24-byte policy or empty."""
    flags = 0
    if keep_binary:
        flags |= FLAG_KEEP_BINARY
    if expiry:
        flags |= FLAG_EXPIRY
    if tx_id is not None:
        flags |= FLAG_TRANSACTIONAL
    out = bytearray(_HEADER.pack(cache_id, flags))
    if expiry:
        out += expiry
    if tx_id is not None:
        out += _TX_ID.pack(tx_id)
    return out


def encode_args(out: bytearray, ctx: CodecContext, *values: tuple[Any, object]) -> None:
    """Append each ``(value, hint)`` to ``out`` as a typed value."""
    for value, hint in values:
        write_value(out, value, hint, ctx=ctx)


def register_pending(ctx: CodecContext) -> Flow[None]:
    """Register with the cluster every binary type the last encoding introduced."""
    for bt in ctx.take_pending():
        yield Request(OpCode.BINARY_TYPE_PUT, encode_binary_type(bt), BinaryTypeError)
        ctx.registry.add_type(bt)


def decode_with_types(ctx: CodecContext, decode: Callable[[], T]) -> Flow[T]:
    """Run ``decode``; whenever it needs a binary type, fetch the type and run it again."""
    fetched: set[int] = set()
    while True:
        try:
            return decode()
        except NeedBinaryType as need:
            if need.type_id in fetched:
                raise BinaryTypeError(
                    f"the cluster's metadata of binary type {need.type_id} does not "
                    f"describe schema {need.schema_id}"
                ) from None
            fetched.add(need.type_id)
            yield from fetch_binary_type(ctx, need.type_id)


def fetch_binary_type(ctx: CodecContext, type_id: int) -> Flow[None]:
    """Ask the cluster for one binary type (op 3002) and record the answer."""
    response = yield Request(
        OpCode.BINARY_TYPE_GET, encode_get_binary_type_request(type_id), BinaryTypeError
    )
    bt, _ = decode_get_binary_type_response(response.payload, 0)
    if bt is None:
        ctx.registry.mark_unavailable(type_id)
    else:
        ctx.registry.add_type(bt)


def naming_cache(flow: Flow[T], name: str) -> Flow[T]:
    """Run ``flow``; report a missing cache by ``name`` (the node names only its id)."""
    try:
        return (yield from flow)
    except CacheDoesNotExistError as exc:
        raise cache_named(exc, name) from None


def cache_named(exc: CacheDoesNotExistError, name: str) -> CacheDoesNotExistError:
    """``exc`` saying which cache by ``name`` (the node names only its id)."""
    return CacheDoesNotExistError(
        f"cache {name!r} does not exist ({exc.message})",
        op=exc.op,
        node=exc.node,
        status=exc.status,
    )
