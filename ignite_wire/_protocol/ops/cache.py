"""Key-value flows (ops 1000-1020), each a thin shape over one request and one answer.

Every flow takes the cache header (see :func:`.common.cache_header`), the arguments as
``(value, hint)`` pairs, and a :class:`~..context.CodecContext`.  The answer is decoded
by one of four small decoders (a value, a bool, a count, key/value pairs).  Keys and
values may themselves be ``(value, Hint)`` pairs, as in pyignite; the codec unpacks them.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from ...exceptions import CacheError, ParseError
from ..buffer import Buffer
from ..codec import decode_value, write_keys, write_pairs, write_value
from ..context import CodecContext
from ..flow import Flow, Request
from ..opcodes import OpCode
from ..read_pages import decode_pairs
from .common import decode_with_types, register_pending

__all__ = [
    "call",
    "clear",
    "get_all",
    "get_size",
    "keys_op",
    "put_all",
    "read_bool",
    "read_long",
    "read_value",
]

T = TypeVar("T")

_I32 = struct.Struct("<i")
_I64 = struct.Struct("<q")


def read_value(ctx: CodecContext) -> Callable[[Buffer], Any]:
    """Decoder of an answer that is one typed value (``None`` for null)."""

    def decode(payload: Buffer) -> Any:
        return decode_value(payload, 0, ctx)[0]

    return decode


def read_bool(payload: Buffer) -> bool:
    """Decoder of a one-byte boolean answer."""
    if len(payload) < 1:
        raise ParseError("a boolean answer is empty", offset=0)
    return payload[0] != 0


def read_long(payload: Buffer) -> int:
    """Decoder of an i64 answer."""
    if len(payload) < 8:
        raise ParseError("a long answer is shorter than 8 bytes", offset=0)
    return int(_I64.unpack_from(payload, 0)[0])


def call(
    op: int,
    out: bytearray,
    ctx: CodecContext,
    decode: Callable[[Buffer], T] | None,
) -> Flow[T | None]:
    """Send ``out`` (already holding header and arguments) and decode the answer."""
    if ctx.pending:
        yield from register_pending(ctx)
    response = yield Request(op, out, CacheError)
    if decode is None:
        return None
    payload = response.payload
    return (yield from decode_with_types(ctx, lambda: decode(payload)))


def single(
    op: int,
    header: bytearray,
    ctx: CodecContext,
    args: Iterable[tuple[Any, object]],
    decode: Callable[[Buffer], T] | None,
) -> Flow[T | None]:
    """A one-key operation: header, then each ``(value, hint)`` argument."""
    for value, hint in args:
        write_value(header, value, hint, ctx=ctx)
    return (yield from call(op, header, ctx, decode))


def _write_keys(out: bytearray, keys: Iterable[Any], ctx: CodecContext) -> None:
    count_at = len(out)
    out += b"\0\0\0\0"
    _I32.pack_into(out, count_at, write_keys(out, keys, ctx))


def keys_op(
    op: int,
    header: bytearray,
    keys: Iterable[Any],
    ctx: CodecContext,
    decode: Callable[[Buffer], T] | None,
) -> Flow[T | None]:
    """contains_keys, clear_keys, remove_keys: ``i32 n`` then the keys.

    Like :func:`get_all` and :func:`put_all`, this encodes when called, not when the flow
    first runs: a batch split by node builds every part's flow before sending any, so a
    value that cannot be encoded fails the whole batch and none of it is sent.
    """
    _write_keys(header, keys, ctx)
    return call(op, header, ctx, decode)


def _read_pairs(ctx: CodecContext) -> Callable[[Buffer], dict[Any, Any]]:
    def decode(payload: Buffer) -> dict[Any, Any]:
        if len(payload) < 4:
            raise ParseError("a key/value answer has no count", offset=0)
        (n,) = _I32.unpack_from(payload, 0)
        if n < 0 or n * 2 > len(payload) - 4:
            raise ParseError(f"{n} pairs exceed the answer's bytes", offset=0)
        items, _ = decode_pairs(payload, 4, n, ctx)
        try:
            return dict(items)
        except TypeError:  # a list or dict as a key: no real cache answers that
            pass
        pos = 4  # again, value by value, for the offset of the first unhashable key
        for _ in range(n):
            key, pos = decode_value(payload, pos, ctx)
            _, pos = decode_value(payload, pos, ctx)
            try:
                hash(key)
            except TypeError:
                raise ParseError(
                    f"a key of type {type(key).__name__} is not hashable", offset=pos
                ) from None
        raise AssertionError("dict() refused keys that all hash")  # pragma: no cover

    return decode


def get_all(
    header: bytearray,
    keys: Iterable[Any],
    ctx: CodecContext,
) -> Flow[dict[Any, Any]]:
    """GET_ALL: the found keys and their values (missing keys are absent)."""
    _write_keys(header, keys, ctx)  # now (see keys_op)
    return _or_empty(call(OpCode.CACHE_GET_ALL, header, ctx, _read_pairs(ctx)))


def _or_empty(flow: Flow[dict[Any, Any] | None]) -> Flow[dict[Any, Any]]:
    result = yield from flow
    return result if result is not None else {}


def put_all(header: bytearray, flat: list[Any], ctx: CodecContext) -> Flow[None]:
    """PUT_ALL: ``i32 n`` then key, value, key, value... (encoded now, see keys_op).

    ``flat`` is the batch as one list ``[key, value, key, value, ...]`` (as
    ``_facade.pairs_param`` makes it: no tuple per entry)."""
    count_at = len(header)
    header += b"\0\0\0\0"
    _I32.pack_into(header, count_at, write_pairs(header, flat, ctx, flat=True))
    return call(OpCode.CACHE_PUT_ALL, header, ctx, None)


def get_size(header: bytearray, peek_modes: Iterable[int], ctx: CodecContext) -> Flow[int]:
    """GET_SIZE: ``i32 n`` then one byte per peek mode."""
    modes = bytes(peek_modes)
    header += _I32.pack(len(modes)) + modes
    size = yield from call(OpCode.CACHE_GET_SIZE, header, ctx, read_long)
    assert size is not None
    return size


def clear(op: int, header: bytearray, ctx: CodecContext) -> Flow[None]:
    """CLEAR and REMOVE_ALL: just the header."""
    yield from call(op, header, ctx, None)
