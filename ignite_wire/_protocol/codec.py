"""The binary codec: Python values <-> Ignite binary values (protocol reference section 3).

Module map (all sans-IO, standard library only):

* :mod:`.type_codes` -- ``TypeCode``, collection/map kinds, complex-object flags.
* :mod:`.buffer` -- pre-bound ``struct`` methods; checked helpers for typed strings, byte
  arrays and UUIDs that the op flows use for request/response fields.
* :mod:`.hashing` -- Java-exact hashes: ``String.hashCode`` (UTF-16 units), type/field
  ids, cache ids, schema ids, the complex-object byte hash, key hash codes.
* :mod:`.values` -- ``BinaryEnumValue``, ``NanoDatetime``, ``WrappedBinary``.
* :mod:`.binary_types` -- binary-type metadata (``BinaryType``), its 3002/3003 layout,
  the shared ``BinaryTypeRegistry`` and the ``NeedBinaryType`` signal.
* :mod:`.binary_object` -- complex-object layout and the classes (``BinaryObjectMeta`` is
  the public ``GenericObjectMeta``); :mod:`.context` -- the per-operation ``CodecContext``.
* :mod:`.readers` / :mod:`.writers` -- one reader per type code in a 256-entry table;
  writers dispatched on the exact Python type or on a hint's type code.
* this module -- the public entry points below.

Type mapping when encoding without a hint (never guesses from contents, never wraps):

=====================================  ==============================================
Python                                 Ignite
=====================================  ==============================================
``None``                               null (101)
``bool`` (checked before ``int``)      bool (8)
``int``                                long (4); outside the long range: EncodeError
``float``                              double (6)
``str``                                String (9); lone surrogates: EncodeError
``bytes``/``bytearray``/``memoryview`` byte[] (12)
``Decimal``                            Decimal (30), exact scale ("1.50" stays 1.50);
                                       NaN/Infinity: EncodeError; -0 becomes 0
``UUID``                               UUID (10)
``datetime``                           Timestamp (33): naive = UTC, aware converted to
                                       UTC; microseconds kept (``NanoDatetime`` keeps ns)
``date``                               Date (11) at midnight UTC
``time`` (naive) / ``timedelta``       Time (36), ms since midnight (sub-ms dropped)
``dict`` / ``OrderedDict``             Map (25) HASH_MAP / LINKED_HASH_MAP
``list``                               Collection (24) ARR_LIST, each element by its rule
``set`` / ``frozenset``                Collection (24) HASH_SET
``tuple``                              EncodeError, except ``(value, Hint)`` pairs
binary-object instance                 complex object (103)
``enum.Enum`` member                   binary enum (38) if its class is registered
``BinaryEnumValue``                    binary enum (38)
=====================================  ==============================================

A hint (``IntObject``, ``ShortArrayObject``, ``MapObject``... or a type code) forces the
Ignite type and validates the value (``ShortObject`` with 70000 is an EncodeError).  The
Collection/Map/Object[] hints also take pyignite's ``(kind_or_type_id, payload)`` tuples;
``TimestampObject`` takes pyignite's ``(datetime, nanos_within_ms)``; enum hints take
``(type_id, ordinal)``.  ``(value, Hint)`` pairs work at any depth.

Decoding: see :mod:`.readers`.  Round-trip normalisations: every integer width decodes to
``int``, char to a 1-character ``str``, Date to an aware UTC ``datetime``, typed arrays
and Object[] to ``list``, enum values without a registered class to ``BinaryEnumValue``.
Decimals whose unscaled value has more than 4300 digits are not decodable (Python's
int-to-str limit): ParseError.

Binary types: encoding a binary object whose (type, schema) the registry does not know
records the type in ``ctx.pending``: register those (op 3003, then
``registry.add_type``) before sending the bytes.  Decoding an object whose metadata is
missing raises :class:`NeedBinaryType`: fetch it (op 3002) and decode again.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from ..exceptions import EncodeError, ParseError
from . import hashing as _h
from .binary_object import BinaryObjectBase, BinaryObjectMeta, ObjectInfo, make_class
from .binary_types import (
    BinaryField,
    BinaryType,
    BinaryTypeRegistry,
    NeedBinaryType,
    decode_binary_type,
    decode_get_binary_type_response,
    encode_binary_type,
    encode_get_binary_type_request,
)
from .buffer import (
    Buffer,
    read_byte_array,
    read_str,
    read_uuid,
    write_byte_array,
    write_str,
    write_uuid,
)
from .context import CodecContext
from .readers import READERS, read_any
from .rows import decode_rows_fast
from .type_codes import TypeCode
from .values import BinaryEnumValue, NanoDatetime, WrappedBinary
from .write_arrays import _w_byte_arr
from .write_scalars import _CODE_I64, _LONG_MAX, _LONG_MIN
from .writers import _slow_writer, _w_int_default, hint_writer, is_hint, write_any, write_hinted

__all__ = [
    "BinaryEnumValue",
    "BinaryField",
    "BinaryObjectBase",
    "BinaryObjectMeta",
    "BinaryType",
    "BinaryTypeRegistry",
    "CodecContext",
    "NanoDatetime",
    "NeedBinaryType",
    "TypeCode",
    "WrappedBinary",
    "decode_binary_type",
    "decode_get_binary_type_response",
    "decode_rows",
    "decode_value",
    "decode_values",
    "encode_binary_type",
    "encode_get_binary_type_request",
    "encode_value",
    "key_hash",
    "make_class",
    "read_byte_array",
    "read_str",
    "read_uuid",
    "write_byte_array",
    "write_keys",
    "write_pairs",
    "write_str",
    "write_uuid",
    "write_value",
]

_accel_pairs: (
    Callable[
        [bytearray, list[Any], CodecContext, dict[type, Any], bool, dict[int, Any] | None, bool],
        int,
    ]
    | None
)
try:
    from ._rows_accel import set_bytes_writer as _accel_bytes_writer
    from ._rows_accel import write_pairs as _accel_pairs
except ImportError:  # not built (no C compiler at install), or IGNITE_WIRE_PURE=1
    _accel_pairs = None
else:
    # The compiled loop writes a bytes value itself when its writer is this one.
    _accel_bytes_writer(_w_byte_arr)
#: Whether :func:`write_pairs` runs its loop compiled (``_rows_accel.c``) first.
PAIRS_ACCELERATED = _accel_pairs is not None

_LOW_LEVEL = (TypeError, OverflowError, struct.error, UnicodeEncodeError, RecursionError)


def write_value(out: bytearray, value: Any, hint: object = None, *, ctx: CodecContext) -> None:
    """Append ``value`` (as ``hint`` says, or by its Python type) to ``out``.

    This is the fast form: op flows append every field of a request to one bytearray.
    Raises :class:`EncodeError` (with ``path``) for values that have no Ignite form.
    """
    ctx.depth = 0
    try:
        if hint is None:
            # write_any, inlined: this is every request's hot path
            w = ctx.writers.get(type(value))
            if w is None:
                w = _slow_writer(value)
            w(out, value, ctx)
        else:
            write_hinted(out, value, hint, ctx)
    except EncodeError:
        raise
    except _LOW_LEVEL as exc:
        raise EncodeError(f"cannot encode {type(value).__name__}: {exc}") from None


def write_pairs(
    out: bytearray,
    pairs: Iterable[Any],
    ctx: CodecContext,
    *,
    flat: bool = False,
    accelerated: bool = PAIRS_ACCELERATED,
) -> int:
    """Append every ``(key, value)`` of ``pairs`` as two unhinted values; return how many.

    ``flat``: ``pairs`` is one list ``[key, value, key, value, ...]`` (put_all's batch,
    see ``_facade.pairs_param``: no tuple per entry) instead of ``(key, value)`` items.

    The bytes and errors are :func:`write_value`'s for each key and each value; a key
    that :func:`key_hash` encoded to route it (``ctx.encoded``) is not encoded again,
    its bytes are appended.  This is its loop inlined, for batches (``put_all`` of
    10,000 entries calls it once).  An int key in a Java long's range is written here
    when the context's int writer is the default one (a LONG, as ``_w_long`` writes
    it): the usual key costs no call.  With
    the optional ``_rows_accel.c`` built, a list of pairs is written by its
    ``write_pairs`` (the same loop in C) up to the first pair it leaves to this one
    (``accelerated=False``: this loop only; tests compare both).
    """
    writers = ctx.writers
    longs = writers.get(int) is _w_int_default
    encoded = ctx.encoded or None  # an empty memo costs nothing per key
    n = 0
    if flat:
        if type(pairs) is not list or len(pairs) % 2:
            raise ValueError("write_pairs: flat pairs are a list of even length")
        if accelerated and _accel_pairs is not None:
            n = _accel_pairs(out, pairs, ctx, writers, longs, encoded, True)
            if 2 * n == len(pairs):
                return n
        rest = iter(pairs[2 * n :])
        pairs = zip(rest, rest, strict=True)
    elif accelerated and _accel_pairs is not None and type(pairs) is list:
        n = _accel_pairs(out, pairs, ctx, writers, longs, encoded, False)
        if n == len(pairs):
            return n
        pairs = pairs[n:]
    pack_long, low, high, writer_of = _CODE_I64.pack, _LONG_MIN, _LONG_MAX, writers.get
    v: Any = None  # the value being written, for the error message
    try:
        for key, value in pairs:
            if longs and type(key) is int and low <= key <= high:
                out += pack_long(4, key)  # TypeCode.LONG
            else:
                v = key
                _write_key(out, key, ctx, encoded)
            v = value
            ctx.depth = 0
            w = writer_of(type(value))
            if w is None:
                w = _slow_writer(value)
            w(out, value, ctx)
            n += 1
    except EncodeError:
        raise
    except _LOW_LEVEL as exc:
        raise EncodeError(f"cannot encode {type(v).__name__}: {exc}") from None
    return n


def _write_key(out: bytearray, key: Any, ctx: CodecContext, encoded: dict[int, Any] | None) -> None:
    """A batch's key other than an inlined int: the bytes :func:`key_hash` kept when it
    encoded the key to route it, else the key's writer (as write_value, unhinted)."""
    if encoded is not None and (hit := encoded.get(id(key))) and hit[0] is key:
        out += hit[1]
        return
    ctx.depth = 0
    w = ctx.writers.get(type(key))
    if w is None:
        w = _slow_writer(key)
    w(out, key, ctx)


def write_keys(out: bytearray, keys: Iterable[Any], ctx: CodecContext) -> int:
    """Append every key of ``keys`` as an unhinted value; return how many.

    :func:`write_pairs`' rules for keys (get_all, contains_keys...): the bytes and errors
    are :func:`write_value`'s; an int key in a Java long's range is written inline when
    the context's int writer is the default one, a key :func:`key_hash` encoded to route
    it (``ctx.encoded``) is appended as those bytes.
    """
    longs = ctx.writers.get(int) is _w_int_default
    encoded = ctx.encoded or None
    pack_long, low, high = _CODE_I64.pack, _LONG_MIN, _LONG_MAX
    n = 0
    key: Any = None
    try:
        for key in keys:
            if longs and type(key) is int and low <= key <= high:
                out += pack_long(4, key)  # TypeCode.LONG
            else:
                _write_key(out, key, ctx, encoded)
            n += 1
    except EncodeError:
        raise
    except _LOW_LEVEL as exc:
        raise EncodeError(f"cannot encode {type(key).__name__}: {exc}") from None
    return n


def encode_value(value: Any, hint: object = None, *, ctx: CodecContext) -> bytes:
    """Return ``value`` encoded as one typed Ignite value (see :func:`write_value`)."""
    out = bytearray()
    w = ctx.writers.get(type(value)) if hint is None else None
    if w is None:
        write_value(out, value, hint, ctx=ctx)
        return bytes(out)
    # write_value's unhinted path, inlined: a binary object's put encodes through here
    ctx.depth = 0
    try:
        w(out, value, ctx)
    except EncodeError:
        raise
    except _LOW_LEVEL as exc:
        raise EncodeError(f"cannot encode {type(value).__name__}: {exc}") from None
    return bytes(out)


def decode_value(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    """Decode the typed value at ``buf[pos]``; return ``(value, next_pos)``.

    Raises :class:`ParseError` (with ``offset``) for bytes that are not a valid value,
    and :class:`NeedBinaryType` when a complex object's metadata must be fetched first.
    """
    ctx.depth = 0
    ctx.base = pos
    if ctx.refs:
        ctx.refs = {}
    if pos < 0 or pos >= len(buf):
        raise ParseError("no value: end of buffer", offset=pos)
    return read_any(buf, pos, ctx)


def decode_values(buf: Buffer, pos: int, count: int, ctx: CodecContext) -> tuple[list[Any], int]:
    """Decode ``count`` consecutive typed values (each decoded independently)."""
    if count < 0 or count > len(buf) - pos:
        raise ParseError(f"count {count} exceeds the remaining bytes", offset=pos)
    out: list[Any] = []
    append = out.append
    readers = ctx.readers
    n = len(buf)
    for _ in range(count):
        ctx.depth = 0
        ctx.base = pos
        if ctx.refs:
            ctx.refs = {}
        if pos >= n:
            raise ParseError("no value: end of buffer", offset=pos)
        try:
            v, pos = readers[buf[pos]](buf, pos + 1, ctx)
        except (ParseError, NeedBinaryType):
            raise
        except Exception:
            v, pos = read_any(buf, pos, ctx)  # re-read to get the ParseError and offset
        append(v)
    return out, pos


def decode_rows(
    buf: Buffer, pos: int, rows: int, columns: int, ctx: CodecContext
) -> tuple[list[list[Any]], int]:
    """Decode a SQL page body: ``rows`` rows of ``columns`` typed values each."""
    # Each value takes at least one byte; a row of no columns is still counted as one, so
    # the work (and the list built) is bounded by the bytes received, not by the claim.
    if rows < 0 or columns < 0 or rows * max(columns, 1) > len(buf) - pos:
        raise ParseError(f"{rows}x{columns} values exceed the remaining bytes", offset=pos)
    if ctx.readers is not READERS:  # the pyignite value mode: no generated row decoders
        out: list[list[Any]] = []
        for _ in range(rows):
            row, pos = decode_values(buf, pos, columns, ctx)
            out.append(row)
        return out, pos
    return decode_rows_fast(buf, pos, rows, columns, ctx, decode_values)


# -- key hash codes for partition awareness ---------------------------------------------


def _infer_code(value: Any) -> int | None:
    if isinstance(value, bool):
        return TypeCode.BOOL
    if isinstance(value, (Enum, BinaryEnumValue)):
        return TypeCode.BINARY_ENUM
    if isinstance(value, int):
        return TypeCode.LONG
    if isinstance(value, float):
        return TypeCode.DOUBLE
    if isinstance(value, str):
        return TypeCode.STRING
    if isinstance(value, UUID):
        return TypeCode.UUID
    if isinstance(value, datetime):
        return TypeCode.TIMESTAMP
    if isinstance(value, date):
        return TypeCode.DATE
    if isinstance(value, (time, timedelta)):
        return TypeCode.TIME
    if isinstance(value, Decimal):
        return TypeCode.DECIMAL
    return None


def _hint_code(hint: object) -> int | None:
    if isinstance(hint, int):
        return int(hint)
    code = getattr(hint, "type_code", None)
    return int(code) if isinstance(code, int) else None


def key_hash(
    value: Any,
    hint: object = None,
    *,
    ctx: CodecContext,
    affinity_key_fields: Mapping[int, int] | None = None,
) -> int | None:
    """The Java ``hashCode()`` the cluster uses to place ``value`` as a cache key.

    ``affinity_key_fields`` maps key type id -> affinity field id (the cache's key
    configuration, from op 1101); a binary-object key of such a type, or of a class
    declared with ``affinity_key_field``, is placed by the hash of that field's value.
    Returns ``None`` for keys whose Java hash is not known (arrays, collections, maps):
    route those to any node.
    """
    cls = type(value)
    if hint is None:  # the common keys first, as _infer_code and _hash_by_code hash them
        if cls is int:
            u: int = value & 0xFFFFFFFFFFFFFFFF  # _h.long_hash, inlined
            x = (u ^ (u >> 32)) & 0xFFFFFFFF
            return x - 0x100000000 if x & 0x80000000 else x
        if cls is str:
            return _h.string_hash(value)
    if cls is tuple and len(value) == 2 and is_hint(value[1]):
        value, hint = value
    if value is None:
        return None
    if isinstance(value, BinaryObjectBase):
        info: ObjectInfo = type(value).__ignite_info__
        field = None
        if affinity_key_fields and info.type_id in affinity_key_fields:
            field = info.ids_to_names.get(affinity_key_fields[info.type_id])
        elif info.affinity_key_field:
            field = info.affinity_key_field
        if field is not None and field in value.__dict__:
            return key_hash(value.__dict__[field], info.schema.get(field), ctx=ctx)
        encoded = ctx.encoded
        if encoded is not None and (hit := encoded.get(id(value))) and hit[0] is value:
            # A single-key call's key, written for its request (answers.write_key), or
            # a batch's key met twice: its bytes hold its hash.
            return int(_h.to_int32(int.from_bytes(hit[1][8:12], "little")))
        out = bytearray()
        write_any(out, value, ctx)
        if encoded is not None and not ctx.pending:
            # A batch's key: its part appends these bytes (write_pairs, write_keys).
            # Not once a type waits for registration: a part's context must see it.
            encoded[id(value)] = (value, bytes(out))
        return int(_h.to_int32(int.from_bytes(out[8:12], "little")))
    code = _hint_code(hint) if hint is not None else None
    if code is None:
        code = _infer_code(value)
    if code is None:
        return None
    return _hash_by_code(value, code, ctx)


def _hash_by_code(value: Any, code: int, ctx: CodecContext) -> int | None:
    try:
        if code in (TypeCode.BYTE, TypeCode.SHORT, TypeCode.INT):
            return _h.to_int32(int(value))
        if code == TypeCode.LONG:
            return _h.long_hash(int(value))
        if code == TypeCode.FLOAT:
            return _h.float_hash(float(value))
        if code == TypeCode.DOUBLE:
            return _h.double_hash(float(value))
        if code == TypeCode.CHAR:
            return ord(value) if isinstance(value, str) else int(value)
        if code == TypeCode.BOOL:
            return _h.bool_hash(bool(value))
        if code == TypeCode.STRING:
            return _h.string_hash(value)
        if code == TypeCode.UUID:
            return _h.uuid_hash(value)
        if code in (TypeCode.DATE, TypeCode.TIMESTAMP, TypeCode.TIME):
            if isinstance(value, tuple):  # (datetime, nanos): nanos do not count
                value = value[0]
            if isinstance(value, timedelta):
                return _h.long_hash(
                    (value.days * 86_400 + value.seconds) * 1000 + value.microseconds // 1000
                )
            return _h.date_hash(value)
        if code == TypeCode.DECIMAL:
            return _h.decimal_hash(Decimal(value) if isinstance(value, int) else value)
        if code in (TypeCode.ENUM, TypeCode.BINARY_ENUM):
            out = bytearray()
            hint_writer(code)(out, value, ctx)
            tid, ordinal = struct.unpack_from("<ii", out, 1)
            return _h.enum_hash(tid, ordinal)
    except (TypeError, ValueError, AttributeError) as exc:
        raise EncodeError(f"cannot hash {type(value).__name__} as type {code}: {exc}") from None
    return None
