"""A single-key operation's body and answer, the short ways (issue 12).

``cache.get``/``cache.put`` and the other single-key operations write one key (and one
value) after the cache header and read one typed value back: W2 of the benchmark does
nothing else.  The general functions (:func:`.codec.write_value`, :func:`.codec.decode_value`)
take four to ten Python calls for the usual key and answer; these take one, with the same
bytes, values and errors:

* :func:`write_key` writes an int key in a Java long's range itself (what the default int
  writer writes), anything else through :func:`.codec.write_value`; an object key's bytes
  are kept in :attr:`.CodecContext.encoded`, where :func:`.codec.key_hash` finds them to
  route the call (the hash is in them): the key is encoded once, as a batch's keys are;
* :func:`write_key_value` hands a put's key and value to the compiled ``write_pairs`` of
  ``_rows_accel.c`` when it is built (the put_all loop's, one pair), else writes the key
  as :func:`write_key` does and the value through :func:`.codec.write_value`;
* :func:`decode_answer` decodes a scalar, string, date/time, decimal or byte array with
  the compiled ``decode_answer`` of ``_rows_accel.c``, reads a wrapped binary object
  (what a get of an object answers) with the object reader called directly, and leaves
  everything else, bad bytes included, to :func:`.codec.decode_value`.

Only with the default value tables: the pyignite value mode's (:mod:`.pyignite_values`)
take the general path.  ``accelerated=False`` skips the compiled calls (IGNITE_WIRE_PURE=1
does the same for the whole process); tests/wire/protocol/test_answers.py runs both ways
and the general functions on the same values and bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .binary_object import BinaryObjectBase
from .buffer import Buffer, unpack_i32
from .codec import decode_value, write_value
from .context import CodecContext
from .object_decoder import read_object
from .reader_table import LOW_LEVEL, READERS, fail
from .type_codes import TypeCode
from .write_scalars import _CODE_I64, _LONG_MAX, _LONG_MIN
from .writers import _w_int_default

__all__ = ["ACCELERATED", "decode_answer", "write_key", "write_key_value"]

_accel_pairs: (
    Callable[[bytearray, list[Any], CodecContext, dict[type, Any], bool, None], int] | None
)
_accel_answer: Callable[[Buffer], Any] | None
try:
    from ._rows_accel import decode_answer as _accel_answer
    from ._rows_accel import write_pairs as _accel_pairs
except ImportError:  # not built (no C compiler at install), or IGNITE_WIRE_PURE=1
    _accel_pairs = _accel_answer = None

#: Whether the compiled calls are there (``_rows_accel.c`` built and not turned off).
ACCELERATED = _accel_answer is not None

_WRAPPED = int(TypeCode.BINARY_OBJ)
_OBJECT = int(TypeCode.COMPLEX_OBJ)
_pack_long = _CODE_I64.pack


def write_key(out: bytearray, key: Any, ctx: CodecContext) -> None:
    """Append ``key`` unhinted: ``write_value(out, key, ctx=ctx)``'s bytes and errors."""
    if (
        type(key) is int
        and _LONG_MIN <= key <= _LONG_MAX
        and ctx.writers.get(int) is _w_int_default
    ):
        out += _pack_long(4, key)  # TypeCode.LONG, as _w_long writes it
    else:
        start = len(out)
        write_value(out, key, ctx=ctx)
        if isinstance(key, BinaryObjectBase) and not ctx.pending:
            # Kept for key_hash (routing), as a batch keeps its keys.  Not while a type
            # waits for registration: the call then takes the general way (a flow with
            # a context of its own).
            kept = (key, bytes(out[start:]))
            if ctx.encoded is None:
                ctx.encoded = {id(key): kept}
            else:
                ctx.encoded[id(key)] = kept


def write_key_value(
    out: bytearray, key: Any, value: Any, ctx: CodecContext, *, accelerated: bool = True
) -> None:
    """Append ``key`` then ``value``, both unhinted: ``write_value`` twice, the same bytes
    and errors.  The compiled ``write_pairs`` writes the pair or, having written nothing
    (``out`` cut back), leaves it to the pure lines, which raise the error if any."""
    writers = ctx.writers
    longs = writers.get(int) is _w_int_default
    if type(key) is not int and isinstance(key, BinaryObjectBase):
        write_key(out, key, ctx)  # its bytes kept for routing (see write_key)
        write_value(out, value, ctx=ctx)
        return
    if (
        accelerated
        and _accel_pairs is not None
        and _accel_pairs(out, [(key, value)], ctx, writers, longs, None)
    ):
        return
    write_key(out, key, ctx)
    write_value(out, value, ctx=ctx)


def decode_answer(buf: Buffer, ctx: CodecContext, *, accelerated: bool = True) -> Any:
    """The typed value at ``buf[0]``: ``decode_value(buf, 0, ctx)[0]``, the same value,
    error and context afterwards (see the module docstring)."""
    if ctx.readers is READERS and buf:
        if accelerated and _accel_answer is not None:
            value = _accel_answer(buf)
            if value is not NotImplemented:
                return value
        size = len(buf)
        if buf[0] == _WRAPPED and size >= 9:
            # decode_value, read_any and _r_wrapped inlined, each check theirs: an
            # object that fits its wrapper goes to the object reader directly
            (n,) = unpack_i32(buf, 1)
            end = 5 + n
            if n >= 0 and end + 4 <= size:
                (offset,) = unpack_i32(buf, end)
                at = 5 + offset
                if 0 <= offset < n and buf[at] == _OBJECT:
                    ctx.depth = 1  # decode_value's 0, then one level into the wrapper
                    ctx.base = 5
                    if ctx.refs:
                        ctx.refs = {}
                    try:
                        value = read_object(buf, at + 1, ctx)[0]
                    except LOW_LEVEL as exc:
                        raise fail(
                            f"cannot decode value: {exc.__class__.__name__}: {exc}", at
                        ) from None
                    ctx.depth = 0
                    ctx.base = 0
                    return value
    return decode_value(buf, 0, ctx)[0]
