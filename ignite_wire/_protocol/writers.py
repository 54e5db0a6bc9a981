"""Encoding: Python values to typed Ignite values, appended to a ``bytearray``.

A writer is ``writer(out, value, ctx) -> None``; it appends the type code and payload.
Unhinted values are dispatched on their exact Python type through :data:`_BY_TYPE` (one
dict lookup); subclasses, enums and binary objects take a slower path once per call.  A
hint (a ``datatypes`` class with a ``type_code``, a type code, or a binary-object class)
selects a writer from :data:`_BY_CODE` that validates the value against the Ignite type.

Errors are :class:`~ignite_wire.exceptions.EncodeError` with the path of the failing
element (``[3]['price'].amount``): containers add their path segment as the error passes
through them, so the success path pays nothing for it.

Binary objects use a per-class encoder compiled once from the class's
:class:`~.binary_object.ObjectInfo` (field writers, header constants, footer packing).
For classes whose fields are all primitives, UUIDs, strings or byte arrays it is
generated source: straight-line code with precompiled ``struct`` formats, constant header
fields and field ids, offsets as running sums, one ``bytes.join``; values it does not
take as they are go to the general encoder (see :func:`_generate`).  When an encoded
object's (type, schema) is not known to be registered, the encoder adds the type to
``ctx.pending`` so the flow can send op 3003 first.

The header hash code (:func:`~.hashing.bytes_hash_u32`, about 10 ns a byte) is most of
the cost of string-heavy objects: there is no faster way to evaluate ``31*h + b`` over
the bytes with the standard library.
"""

from __future__ import annotations

import enum
import struct
import sys
from array import array
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, Final
from uuid import UUID

from ..exceptions import BinaryTypeError, EncodeError
from . import buffer as _b
from . import hashing as _hashing
from .binary_object import (
    HEADER,
    HEADER_SIZE,
    RAW_ATTR,
    BinaryObjectBase,
    ObjectInfo,
    compile_generated,
    hint_type_code_or_none,
)
from .context import MAX_DEPTH, CodecContext
from .hashing import bytes_hash
from .type_codes import (
    COMPACT_FOOTER,
    HAS_RAW_DATA,
    HAS_SCHEMA,
    OFFSET_ONE_BYTE,
    OFFSET_TWO_BYTES,
    USER_TYPE,
    CollectionKind,
    MapKind,
    TypeCode,
)
from .values import BinaryEnumValue, NanoDatetime, WrappedBinary

__all__ = ["hint_writer", "is_hint", "write_any", "write_hinted"]

Writer = Callable[[bytearray, Any, CodecContext], None]

_pack_i8 = _b.pack_i8
_pack_i16 = _b.pack_i16
_pack_u16 = _b.pack_u16
_pack_i32 = _b.pack_i32
_pack_i64 = _b.pack_i64
_pack_f32 = _b.pack_f32
_pack_f64 = _b.pack_f64
_pack_uuid = _b.pack_uuid
_CODE_I32: Final = struct.Struct("<bi")
_CODE_I64: Final = struct.Struct("<bq")
_CODE_F64: Final = struct.Struct("<bd")
_TS: Final = struct.Struct("<bqi")
_COL_HEAD: Final = struct.Struct("<bib")
_I32X2: Final = struct.Struct("<bii")
_BIG_ENDIAN: Final = sys.byteorder == "big"
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)
_NAIVE_EPOCH: Final = datetime(1970, 1, 1)
_LOW_LEVEL: Final = (TypeError, OverflowError, struct.error, UnicodeEncodeError, AttributeError)
_NULL: Final = int(TypeCode.NULL)


def _err(msg: str) -> EncodeError:
    return EncodeError(msg)


def _rewrap(exc: BaseException, segment: str) -> EncodeError:
    """An EncodeError for ``exc`` with ``segment`` prepended to its path."""
    if isinstance(exc, EncodeError):
        msg = exc.message
        if exc.path and msg.endswith(" at " + exc.path):
            msg = msg[: -len(" at " + exc.path)]
        return EncodeError(msg, path=segment + exc.path)
    return EncodeError(f"cannot encode: {exc}", path=segment)


def _enter(ctx: CodecContext) -> None:
    if ctx.depth >= MAX_DEPTH:
        raise _err(f"value nested deeper than {MAX_DEPTH} levels (or cyclic)")
    ctx.depth += 1


def _kind(v: Any) -> str:
    return type(v).__name__


def _show(v: Any) -> str:
    """A number for a message: ``str()`` of an int over 4,300 digits raises ValueError."""
    if isinstance(v, int) and v.bit_length() > 200:
        return f"an int of {v.bit_length()} bits"
    if isinstance(v, Decimal) and len(v.as_tuple().digits) > 60:
        return f"a Decimal of {len(v.as_tuple().digits)} digits"
    return str(v)


# -- scalars ------------------------------------------------------------------------------


def _int_writer(code: int, lo: int, hi: int, fmt: str) -> Writer:
    packer = struct.Struct("<b" + fmt).pack
    name = TypeCode(code).name.lower()

    def w(out: bytearray, v: Any, ctx: CodecContext) -> None:
        if not isinstance(v, int):
            raise _err(f"{_kind(v)} is not an integer ({name} expected)")
        if not lo <= v <= hi:
            raise _err(f"{_show(v)} does not fit in a Java {name} ({lo}..{hi})")
        out += packer(code, v)

    return w


_w_byte = _int_writer(TypeCode.BYTE, -(1 << 7), (1 << 7) - 1, "b")
_w_short = _int_writer(TypeCode.SHORT, -(1 << 15), (1 << 15) - 1, "h")
_w_int = _int_writer(TypeCode.INT, -(1 << 31), (1 << 31) - 1, "i")
_LONG_MIN: Final = -(1 << 63)
_LONG_MAX: Final = (1 << 63) - 1


def _w_long(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if _LONG_MIN <= v <= _LONG_MAX:
        out += _CODE_I64.pack(4, v)
    else:
        raise _err(f"{_show(v)} does not fit in a Java long; hint DecimalObject for big integers")


def _w_long_hinted(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if not isinstance(v, int):
        raise _err(f"{_kind(v)} is not an integer (long expected)")
    _w_long(out, v, ctx)


def _w_float(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if not isinstance(v, (float, int)):
        raise _err(f"{_kind(v)} is not a number (float expected)")
    out.append(TypeCode.FLOAT)
    out += _pack_f32(v)


def _w_double(out: bytearray, v: Any, ctx: CodecContext) -> None:
    out += _CODE_F64.pack(6, v)


def _w_double_hinted(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if not isinstance(v, (float, int)):
        raise _err(f"{_kind(v)} is not a number (double expected)")
    out += _CODE_F64.pack(6, v)


def _char_unit(v: Any) -> int:
    if isinstance(v, str) and len(v) == 1 and ord(v) < 0x10000:
        return ord(v)
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 0xFFFF:
        return v
    raise _err(f"{v!r} is not a Java char (one UTF-16 code unit)")


def _w_char(out: bytearray, v: Any, ctx: CodecContext) -> None:
    out.append(TypeCode.CHAR)
    out += _pack_u16(_char_unit(v))


def _w_bool(out: bytearray, v: Any, ctx: CodecContext) -> None:
    out.append(TypeCode.BOOL)
    out.append(1 if v else 0)


def _w_bool_hinted(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if not isinstance(v, bool):
        raise _err(f"{_kind(v)} is not a bool")
    _w_bool(out, v, ctx)


def _w_string(out: bytearray, v: Any, ctx: CodecContext) -> None:
    try:
        data = v.encode("utf-8")
    except UnicodeEncodeError:
        raise _err("string with a lone surrogate has no UTF-8 form") from None
    out += _CODE_I32.pack(9, len(data))
    out += data


def _w_string_hinted(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if not isinstance(v, str):
        raise _err(f"{_kind(v)} is not a str")
    _w_string(out, v, ctx)


def _w_uuid(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if not isinstance(v, UUID):
        raise _err(f"{_kind(v)} is not a UUID")
    out.append(TypeCode.UUID)
    out += _pack_uuid(v)


def _datetime_ms_nanos(v: datetime) -> tuple[int, int]:
    """Epoch ms (floor) and nanoseconds within the ms; naive means UTC."""
    delta = v - _NAIVE_EPOCH if v.tzinfo is None else v - _EPOCH
    us = delta.microseconds
    ms = (delta.days * 86_400 + delta.seconds) * 1000 + us // 1000
    nanos = (us % 1000) * 1000
    if type(v) is NanoDatetime:
        nanos += v.extra_nanos
    return ms, nanos


def _date_ms(v: Any) -> tuple[int, int]:
    if isinstance(v, datetime):
        return _datetime_ms_nanos(v)
    if isinstance(v, date):
        return (v.toordinal() - 719_163) * 86_400_000, 0
    raise _err(f"{_kind(v)} is not a datetime or date")


def _w_date(out: bytearray, v: Any, ctx: CodecContext) -> None:
    out += _CODE_I64.pack(TypeCode.DATE, _date_ms(v)[0])


def _w_timestamp(out: bytearray, v: Any, ctx: CodecContext) -> None:
    ms, nanos = _date_ms(v)
    out += _TS.pack(TypeCode.TIMESTAMP, ms, nanos)


def _w_timestamp_hinted(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if type(v) is tuple and len(v) == 2 and isinstance(v[1], int):
        # pyignite form: (datetime, nanoseconds within the millisecond)
        dt, nanos = v
        if not 0 <= nanos <= 999_999:
            raise _err(f"timestamp nanoseconds {nanos} outside 0..999999")
        ms = _date_ms(dt)[0]
        out += _TS.pack(TypeCode.TIMESTAMP, ms, nanos)
        return
    _w_timestamp(out, v, ctx)


def _time_ms(v: Any) -> int:
    if isinstance(v, time):
        if v.tzinfo is not None:
            raise _err("a time with tzinfo has no Ignite form; pass a naive time")
        return ((v.hour * 60 + v.minute) * 60 + v.second) * 1000 + v.microsecond // 1000
    if isinstance(v, timedelta):
        return (v.days * 86_400 + v.seconds) * 1000 + v.microseconds // 1000
    raise _err(f"{_kind(v)} is not a time or timedelta")


def _w_time(out: bytearray, v: Any, ctx: CodecContext) -> None:
    out += _CODE_I64.pack(TypeCode.TIME, _time_ms(v))


def _decimal_payload(v: Any) -> bytes:
    if isinstance(v, int) and not isinstance(v, bool):
        v = Decimal(v)
    if not isinstance(v, Decimal):
        raise _err(f"{_kind(v)} is not a Decimal")
    sign, digits, exp = v.as_tuple()
    if not isinstance(exp, int):
        raise _err(f"{_show(v)} has no Java BigDecimal form")
    scale = -exp
    if not -(1 << 31) <= scale < (1 << 31):
        raise _err(f"scale {_show(scale)} of {_show(v)} does not fit in an int")
    unscaled = int(Decimal((0, digits, 0)))
    mag = bytearray(unscaled.to_bytes(unscaled.bit_length() // 8 + 1, "big"))
    if sign and unscaled:
        mag[0] |= 0x80
    return _pack_i32(scale) + _pack_i32(len(mag)) + mag


def _w_decimal(out: bytearray, v: Any, ctx: CodecContext) -> None:
    out.append(TypeCode.DECIMAL)
    out += _decimal_payload(v)


def _w_null(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if v is not None:
        raise _err(f"{_kind(v)} given for a Null hint")
    out.append(_NULL)


# -- enums ------------------------------------------------------------------------------


def _enum_ids(v: Any, ctx: CodecContext) -> tuple[int, int]:
    if isinstance(v, enum.Enum):
        bt = ctx.registry.enum_type(type(v))
        if bt is None:
            raise _err(
                f"enum {type(v).__name__} is not registered as a binary enum type "
                "(register it, or pass (type_id, ordinal) with BinaryEnumObject)"
            )
        if ctx.registry.get_type(bt.type_id) is None:
            ctx.need_registration(bt, 0)
        ordinals = dict(bt.enum_values)
        return bt.type_id, ordinals[v.name]
    if isinstance(v, tuple) and len(v) == 2 and all(isinstance(x, int) for x in v):
        return int(v[0]), int(v[1])
    raise _err(f"{_kind(v)} is not an enum value")


def _enum_writer(code: int) -> Writer:
    def w(out: bytearray, v: Any, ctx: CodecContext) -> None:
        tid, ordinal = _enum_ids(v, ctx)
        out += _I32X2.pack(code, tid, ordinal)

    return w


_w_binary_enum = _enum_writer(TypeCode.BINARY_ENUM)


# -- arrays -----------------------------------------------------------------------------


def _is_sequence(v: Any) -> bool:
    return isinstance(v, (list, tuple, array, range))


def _w_byte_arr(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if isinstance(v, (bytes, bytearray, memoryview)):
        data = bytes(v)
    elif _is_sequence(v):
        try:
            data = array("b", v).tobytes()
        except (OverflowError, TypeError):
            # Unsigned values too (0..255, Python's bytes; pyignite takes them): each int
            # in -128..255 names exactly one byte.
            if not all(type(x) is int and -128 <= x <= 255 for x in v):
                raise _err("byte array elements must be ints in -128..255") from None
            data = bytes(x & 0xFF for x in v)
    else:
        raise _err(f"{_kind(v)} is not bytes or a sequence of ints")
    out += _CODE_I32.pack(TypeCode.BYTE_ARR, len(data))
    out += data


def _prim_array_writer(code: int, typecode: str) -> Writer:
    def w(out: bytearray, v: Any, ctx: CodecContext) -> None:
        if not _is_sequence(v):
            raise _err(f"{_kind(v)} is not a sequence ({TypeCode(code).name} expected)")
        try:
            if typecode == "f":
                data = struct.pack(f"<{len(v)}f", *v)
            else:
                a = array(typecode, v)
                if _BIG_ENDIAN:
                    a.byteswap()
                data = a.tobytes()
        except (OverflowError, TypeError, struct.error) as exc:
            raise _err(f"element does not fit in {TypeCode(code).name}: {exc}") from None
        out += _CODE_I32.pack(code, len(v))
        out += data

    return w


def _w_char_arr(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if not (isinstance(v, str) or _is_sequence(v)):
        raise _err(f"{_kind(v)} is not a str or a sequence of chars")
    a = array("H", [_char_unit(c) for c in v])
    if _BIG_ENDIAN:
        a.byteswap()
    out += _CODE_I32.pack(TypeCode.CHAR_ARR, len(a))
    out += a.tobytes()


def _w_bool_arr(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if not _is_sequence(v) or not all(isinstance(x, bool) for x in v):
        raise _err("bool array elements must be bools")
    out += _CODE_I32.pack(TypeCode.BOOL_ARR, len(v))
    out += bytes(1 if x else 0 for x in v)


def _typed_array_writer(code: int, elem: Writer) -> Writer:
    def w(out: bytearray, v: Any, ctx: CodecContext) -> None:
        if not _is_sequence(v):
            raise _err(f"{_kind(v)} is not a sequence ({TypeCode(code).name} expected)")
        out += _CODE_I32.pack(code, len(v))
        i = 0
        try:
            for i, x in enumerate(v):  # noqa: B007 - i is read by the handler
                if x is None:
                    out.append(_NULL)
                else:
                    elem(out, x, ctx)
        except (EncodeError, *_LOW_LEVEL) as exc:
            raise _rewrap(exc, f"[{i}]") from None

    return w


def _write_items(out: bytearray, items: Any, ctx: CodecContext) -> None:
    _enter(ctx)
    i = 0
    try:
        for i, x in enumerate(items):  # noqa: B007 - i is read by the handler
            write_any(out, x, ctx)
    except (EncodeError, *_LOW_LEVEL) as exc:
        raise _rewrap(exc, f"[{i}]") from None
    ctx.depth -= 1


def _pyignite_pair(v: Any, kinds: Any, payload: tuple[type, ...]) -> bool:
    return (
        type(v) is tuple
        and len(v) == 2
        and isinstance(v[0], int)
        and not isinstance(v[0], bool)
        and (kinds is None or v[0] in kinds)
        and isinstance(v[1], payload)
    )


_ITEMS: Final = (list, tuple, set, frozenset)


def _w_obj_arr(out: bytearray, v: Any, ctx: CodecContext) -> None:
    component = -1
    if _pyignite_pair(v, None, _ITEMS):
        component, v = v
    if not isinstance(v, _ITEMS):
        raise _err(f"{_kind(v)} is not a sequence (Object[] expected)")
    out += _I32X2.pack(TypeCode.OBJ_ARR, component, len(v))
    _write_items(out, v, ctx)


def _w_enum_arr(out: bytearray, v: Any, ctx: CodecContext) -> None:
    component = None
    if _pyignite_pair(v, None, _ITEMS):
        component, v = v
    if not isinstance(v, _ITEMS):
        raise _err(f"{_kind(v)} is not a sequence (enum array expected)")
    items = list(v)
    pairs = []
    for i, x in enumerate(items):
        try:
            pairs.append(None if x is None else _enum_ids(x, ctx))
        except EncodeError as exc:
            raise _rewrap(exc, f"[{i}]") from None
    if component is None:
        component = next((p[0] for p in pairs if p is not None), -1)
    out += _I32X2.pack(TypeCode.ENUM_ARR, component, len(items))
    for p in pairs:
        if p is None:
            out.append(_NULL)
        else:
            out += _I32X2.pack(TypeCode.BINARY_ENUM, p[0], p[1])


_COLLECTION_KINDS: Final = frozenset(int(k) for k in CollectionKind)
_MAP_KINDS: Final = frozenset(int(k) for k in MapKind)


def _write_collection(out: bytearray, kind: int, items: Any, ctx: CodecContext) -> None:
    out += _COL_HEAD.pack(TypeCode.COLLECTION, len(items), kind)
    _write_items(out, items, ctx)


def _w_list(out: bytearray, v: Any, ctx: CodecContext) -> None:
    _write_collection(out, CollectionKind.ARR_LIST, v, ctx)


def _w_set(out: bytearray, v: Any, ctx: CodecContext) -> None:
    _write_collection(out, CollectionKind.HASH_SET, v, ctx)


def _w_collection_hinted(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if _pyignite_pair(v, _COLLECTION_KINDS, _ITEMS):
        _write_collection(out, v[0], v[1], ctx)
    elif isinstance(v, (set, frozenset)):
        _w_set(out, v, ctx)
    elif isinstance(v, (list, tuple)):
        _w_list(out, v, ctx)
    else:
        raise _err(f"{_kind(v)} is not a collection (list, set or (kind, items))")


def _write_map(out: bytearray, kind: int, v: Mapping[Any, Any], ctx: CodecContext) -> None:
    out += _COL_HEAD.pack(TypeCode.MAP, len(v), kind)
    _enter(ctx)
    k: Any = None
    try:
        for k, x in v.items():
            write_any(out, k, ctx)
            write_any(out, x, ctx)
    except (EncodeError, *_LOW_LEVEL) as exc:
        raise _rewrap(exc, f"[{k!r}]") from None
    ctx.depth -= 1


def _w_dict(out: bytearray, v: Any, ctx: CodecContext) -> None:
    _write_map(out, MapKind.HASH_MAP, v, ctx)


def _w_ordered_dict(out: bytearray, v: Any, ctx: CodecContext) -> None:
    _write_map(out, MapKind.LINKED_HASH_MAP, v, ctx)


def _w_map_hinted(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if _pyignite_pair(v, _MAP_KINDS, (Mapping,)):
        _write_map(out, v[0], v[1], ctx)
    elif isinstance(v, OrderedDict):
        _w_ordered_dict(out, v, ctx)
    elif isinstance(v, Mapping):
        _w_dict(out, v, ctx)
    else:
        raise _err(f"{_kind(v)} is not a mapping (dict or (kind, dict) expected)")


# -- binary objects -------------------------------------------------------------------------

_ZERO_HEADER: Final = bytes(HEADER_SIZE)
_HEADER_U: Final = struct.Struct("<BBhiIiii")  # HEADER with the hash code unsigned


def _object_writer(cls: type) -> Writer:
    info: ObjectInfo = cls.__ignite_info__  # type: ignore[attr-defined]
    enc = info.encoder
    if enc is None:
        enc = info.encoder = _compile(cls, info)
    return enc  # type: ignore[no-any-return]


def _compile(cls: type, info: ObjectInfo, *, generate: bool = True) -> Writer:
    """Build the encoder of one binary-object class (runs once per class).

    The general encoder handles every schema and value; for classes whose fields all
    have an inline form (:data:`_INLINE_FIXED`, String, byte[]) a straight-line encoder
    is generated in front of it (``generate=False`` skips that, for tests).
    """
    checked: list[object] = [None]  # the registry known to have this type, schema, class
    tid = info.type_id
    sid = info.schema_id
    bt = info.binary_type
    n = len(info.names)

    def check_registry(ctx: CodecContext) -> None:
        registry = ctx.registry
        known = True
        if n:
            if not registry.is_schema_known(tid, sid):
                ctx.need_registration(bt, sid)
                known = False
            else:
                _check_field_types(cls, bt, registry.get_type(tid))
        elif registry.get_type(tid) is None:
            ctx.need_registration(bt, 0)
            known = False
        current = registry.get_class(tid)
        if current is None or (
            current is not cls and getattr(current, "__ignite_generated__", False)
        ):
            # objects of the type are read as the class written (not one generated from
            # metadata when such an object was read first)
            registry.register_class(cls, tid)
        if known:
            checked[0] = registry

    general = _general_encoder(info, checked, check_registry)
    if generate:
        fast = _generate(info, general, checked, check_registry)
        if fast is not None:
            return fast
    return general


def _check_field_types(cls: type, ours: Any, theirs: Any) -> None:
    """Refuse a class whose fields have the schema's ids but other types than the cluster's.

    The schema id covers field ids only, so a second class with the same type name and
    field names but another field type would pass as "known" and write values the cluster
    reads as the first type.  The server refuses such a class only when it is registered.
    """
    if theirs is None:
        return
    known = {f.name: f.type_code for f in theirs.fields}
    for field in ours.fields:
        code = known.get(field.name)
        if code is None or code == field.type_code:
            continue
        if TypeCode.COMPLEX_OBJ in (code, field.type_code):
            continue  # an untyped field ("any object") matches whatever it holds
        raise BinaryTypeError(
            f"class {cls.__name__} writes field {field.name!r} of binary type "
            f"{ours.type_name!r} as type code {field.type_code}, but the cluster has it as "
            f"type code {code}; a field's type cannot change"
        )


def _general_encoder(
    info: ObjectInfo, checked: list[object], check_registry: Callable[[CodecContext], None]
) -> Writer:
    """The encoder for any schema and any values (nested objects, nulls, raw data...)."""
    pairs = tuple(zip(info.names, (hint_writer(h) for h in info.hints), strict=True))
    tid = info.type_id
    sid = info.schema_id
    n = len(pairs)
    ids = info.field_ids
    compact_structs = {2: struct.Struct(f"<{n}H"), 4: struct.Struct(f"<{n}i")}
    full_structs = {
        w: struct.Struct("<" + ("i" + f) * n) for w, f in ((1, "B"), (2, "H"), (4, "i"))
    }
    null = _NULL

    def encode(out: bytearray, obj: Any, ctx: CodecContext) -> None:
        if ctx.registry is not checked[0]:
            check_registry(ctx)
        d = obj.__dict__
        _enter(ctx)
        start = len(out)
        out += _ZERO_HEADER
        offsets: list[int] = []
        add = offsets.append
        name = ""
        try:
            for name, w in pairs:
                add(len(out) - start)
                v = d.get(name)
                if v is None:
                    out.append(null)
                else:
                    w(out, v, ctx)
        except (EncodeError, *_LOW_LEVEL) as exc:
            raise _rewrap(exc, f".{name}") from None
        raw = d.get(RAW_ATTR)
        data_end = len(out) - start
        if raw:
            out += raw
        footer_start = len(out) - start
        h = bytes_hash(out, start + HEADER_SIZE, start + footer_start)
        flags = USER_TYPE
        if n:
            flags |= HAS_SCHEMA
            last = offsets[-1]
            width = 1 if last < 0x100 else 2 if last < 0x10000 else 4
            if width == 1:
                flags |= OFFSET_ONE_BYTE
            elif width == 2:
                flags |= OFFSET_TWO_BYTES
            if ctx.compact_footer:
                flags |= COMPACT_FOOTER
                if width == 1:
                    out += bytes(offsets)
                else:
                    out += compact_structs[width].pack(*offsets)
            else:
                flat = [x for pair in zip(ids, offsets, strict=True) for x in pair]
                out += full_structs[width].pack(*flat)
            schema_or_raw = footer_start
            if raw:
                flags |= HAS_RAW_DATA
                out += _pack_i32(data_end)
        elif raw:
            flags |= HAS_RAW_DATA
            schema_or_raw = data_end
        else:
            schema_or_raw = 0
        total = len(out) - start
        HEADER.pack_into(
            out,
            start,
            TypeCode.COMPLEX_OBJ,
            1,
            flags,
            tid,
            h,
            total,
            sid if n else 0,
            schema_or_raw,
        )
        ctx.depth -= 1

    return encode


# Field types the generated encoder writes inline: code -> (struct format, size, check,
# struct arguments).  Ranges are not checked here: ``struct`` raises for a value that
# does not fit, and the general encoder then reports it.
_INLINE_FIXED: Final[dict[int, tuple[str, int, str, str]]] = {
    TypeCode.BYTE: ("b", 1, "type({v}) is int", "{v}"),
    TypeCode.SHORT: ("h", 2, "type({v}) is int", "{v}"),
    TypeCode.INT: ("i", 4, "type({v}) is int", "{v}"),
    TypeCode.LONG: ("q", 8, "type({v}) is int", "{v}"),
    TypeCode.FLOAT: ("f", 4, "type({v}) is float", "{v}"),
    TypeCode.DOUBLE: ("d", 8, "type({v}) is float", "{v}"),
    TypeCode.BOOL: ("?", 1, "type({v}) is bool", "{v}"),
    # msb, lsb as unsigned halves: the same bytes as the signed Java longs
    TypeCode.UUID: ("QQ", 16, "type({v}) is _UUID", "{v}.int >> 64, {v}.int & 0xFFFFFFFFFFFFFFFF"),
}
# Variable-length fields: code -> check, expression giving the payload bytes.
_INLINE_VAR: Final[dict[int, tuple[str, str]]] = {
    TypeCode.STRING: ("type({v}) is str", "{v}.encode()"),
    TypeCode.BYTE_ARR: ("type({v}) is bytes", "{v}"),
}
_MAX_INLINE_FIELDS: Final = 200


def _generate(
    info: ObjectInfo,
    general: Writer,
    checked: list[object],
    check_registry: Callable[[CodecContext], None],
) -> Writer | None:
    """Generate a straight-line encoder for a class whose fields all have inline forms.

    It writes header, fields, footer and hash code with a few ``struct`` calls and one
    ``bytes.join``; any value it does not take as is (``None``, another type, out of
    range, a lone surrogate) and raw data send the object to ``general``, which writes
    it or raises the error with its path.  The bytes are the general encoder's, bit for
    bit (tested).
    """
    n = len(info.hints)
    if not 0 < n <= _MAX_INLINE_FIELDS:
        return None
    codes: list[int] = []
    for hint in info.hints:
        code = hint_type_code_or_none(hint)
        if code is None or (code not in _INLINE_FIXED and code not in _INLINE_VAR):
            return None
        codes.append(code)
    env: dict[str, Any] = {
        "_checked": checked,
        "_check": check_registry,
        "_general": general,
        "_RAW": RAW_ATTR,
        "_UUID": UUID,
        "_int": int,
        "_hash": _hashing.bytes_hash_u32,
        "_K": _hashing._FOLD_BASE,
        "_TR": _hashing._SIGNED_R,
        "_TQ": _hashing._SIGNED_Q,
        "_header": _HEADER_U.pack,
        "_struct_error": struct.error,
    }
    lines = [
        "def encode(out, obj, ctx):",
        "    if ctx.registry is not _checked[0]:",
        "        _check(ctx)",
        "    d = obj.__dict__",
        "    try:",
    ]
    lines += [f"        v{i} = d[{name!r}]" for i, name in enumerate(info.names)]
    checks = []
    for i, code in enumerate(codes):
        spec = _INLINE_FIXED.get(code)
        checks.append((spec[2] if spec else _INLINE_VAR[code][0]).format(v=f"v{i}"))
    lines.append(f"        if {' and '.join(checks)} and _RAW not in d:")
    body = []  # generated statements of the fast path, indented by 12
    parts: list[str] = []  # expressions joined into the object's field bytes
    fmt = ""  # struct format of the fixed bytes not yet emitted
    args: list[str] = []
    const = HEADER_SIZE  # offset of the next field: const + (the running length sum)
    running = ""  # name of the variable holding the variable lengths so far
    offsets = []

    def flush() -> None:
        nonlocal fmt, args
        if fmt:
            name = f"_p{len(parts)}"
            env[name] = struct.Struct("<" + fmt).pack
            parts.append(f"{name}({', '.join(args)})")
            fmt, args = "", []

    for i, code in enumerate(codes):
        offsets.append(f"{const} + {running}" if running else str(const))
        spec = _INLINE_FIXED.get(code)
        if spec is not None:
            fmt += "b" + spec[0]
            args += [str(code), spec[3].format(v=f"v{i}")]
            const += 1 + spec[1]
            continue
        body.append(f"e{i} = {_INLINE_VAR[code][1].format(v=f'v{i}')}")
        body.append(f"n{i} = len(e{i})")
        fmt += "bi"
        args += [str(code), f"n{i}"]
        flush()
        parts.append(f"e{i}")
        body.append(f"s{i} = {running} + n{i}" if running else f"s{i} = n{i}")
        running = f"s{i}"
        const += 5
    flush()
    fixed_size = const - HEADER_SIZE  # the field bytes when every variable part is empty
    if len(parts) == 1:
        body.append(f"data = {parts[0]}")
    else:
        body.append(f"data = b''.join(({', '.join(parts)},))")
    nb = f"{fixed_size} + {running}" if running else str(fixed_size)
    body.append(f"nb = {nb}")
    hash_small = (
        "h = (_K[nb] + _int(data.translate(_TR), 31) + 31 * _int(data.translate(_TQ), 31))"
        " & 0xFFFFFFFF"
    )
    if running:
        body += [
            f"if nb <= {_hashing._CHUNK}:",
            f"    {hash_small}",
            "else:",
            "    h = _hash(data)",
        ]
    elif fixed_size <= _hashing._CHUNK:
        body.append(hash_small)
    else:
        body.append("h = _hash(data)")
    body.append("end = nb + 24")
    last = offsets[-1]
    offs = ", ".join(offsets)
    full_args = ", ".join(f"{fid}, {o}" for fid, o in zip(info.field_ids, offsets, strict=True))

    def write(width: int, fmt_char: str, width_flag: int) -> list[str]:
        """Statements appending header, fields and footer with ``width``-byte offsets."""
        env[f"_c{width}"] = struct.Struct(f"<{n}{fmt_char}").pack
        env[f"_f{width}"] = struct.Struct("<" + ("i" + fmt_char) * n).pack
        flags = USER_TYPE | HAS_SCHEMA | width_flag
        tid, sid = info.type_id, info.schema_id
        return [
            "if ctx.compact_footer:",
            f"    out += _header(103, 1, {flags | COMPACT_FOOTER}, {tid}, h,"
            f" end + {n * width}, {sid}, end)",
            "    out += data",
            f"    out += _c{width}({offs})",
            "else:",
            f"    out += _header(103, 1, {flags}, {tid}, h, end + {n * (4 + width)}, {sid}, end)",
            "    out += data",
            f"    out += _f{width}({full_args})",
            "return",
        ]

    if not running:  # every field has a fixed size: so has the footer
        fixed_last = int(last)
        if fixed_last < 0x100:
            body += write(1, "B", OFFSET_ONE_BYTE)
        elif fixed_last < 0x10000:
            body += write(2, "H", OFFSET_TWO_BYTES)
        else:
            body += write(4, "i", 0)
    else:
        body += [f"if {last} < 256:", *("    " + x for x in write(1, "B", OFFSET_ONE_BYTE))]
        body += [f"if {last} < 65536:", *("    " + x for x in write(2, "H", OFFSET_TWO_BYTES))]
        body += write(4, "i", 0)
    lines += ["            " + b for b in body]
    lines += [
        "    except (KeyError, UnicodeEncodeError, OverflowError, _struct_error):",
        "        pass",
        "    _general(out, obj, ctx)",
    ]
    encode: Writer = compile_generated("\n".join(lines), f"encode {info.type_name}", env)
    return encode


def _w_object_hinted(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if not isinstance(v, BinaryObjectBase):
        raise _err(f"{_kind(v)} is not a binary object (a GenericObjectMeta class instance)")
    _object_writer(type(v))(out, v, ctx)


def _w_wrapped(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if isinstance(v, BinaryObjectBase):
        inner = bytearray()
        _object_writer(type(v))(inner, v, ctx)
        data, offset = bytes(inner), 0
    elif (
        isinstance(v, tuple)
        and len(v) == 2
        and isinstance(v[0], (bytes, bytearray, memoryview))
        and isinstance(v[1], int)
    ):
        data, offset = bytes(v[0]), int(v[1])
    else:
        raise _err(f"{_kind(v)} is not a binary object or (bytes, offset)")
    if not 0 <= offset < max(len(data), 1):
        raise _err(f"wrapped offset {offset} outside its {len(data)} bytes")
    out += _CODE_I32.pack(TypeCode.BINARY_OBJ, len(data))
    out += data
    out += _pack_i32(offset)


# -- dispatch -----------------------------------------------------------------------------


def _w_int_default(out: bytearray, v: Any, ctx: CodecContext) -> None:
    _w_long(out, v, ctx)


def _w_tuple(out: bytearray, v: Any, ctx: CodecContext) -> None:
    if len(v) == 2 and is_hint(v[1]):
        write_hinted(out, v[0], v[1], ctx)
        return
    # pyignite's form ``(CollectionObject.ARR_LIST, items)`` / ``(MapObject.HASH_MAP, d)``:
    # the kind is an enum member (those constants are), never a bare int, so the tuple
    # says what it is and nothing is guessed.
    if len(v) == 2 and isinstance(v[0], CollectionKind) and isinstance(v[1], _ITEMS):
        _write_collection(out, v[0], v[1], ctx)
        return
    if len(v) == 2 and isinstance(v[0], MapKind) and isinstance(v[1], Mapping):
        _write_map(out, v[0], v[1], ctx)
        return
    raise _err(
        "a tuple is ambiguous: pass a list (Collection), a (value, Hint) pair "
        "such as (items, ObjectArrayObject), or (CollectionObject.<KIND>, items)"
    )


def _w_none(out: bytearray, v: Any, ctx: CodecContext) -> None:
    out.append(_NULL)


_BY_TYPE: dict[type, Writer] = {
    type(None): _w_none,
    bool: _w_bool,
    int: _w_int_default,
    float: _w_double,
    str: _w_string,
    bytes: _w_byte_arr,
    bytearray: _w_byte_arr,
    memoryview: _w_byte_arr,
    Decimal: _w_decimal,
    UUID: _w_uuid,
    datetime: _w_timestamp,
    NanoDatetime: _w_timestamp,
    date: _w_date,
    time: _w_time,
    timedelta: _w_time,
    dict: _w_dict,
    OrderedDict: _w_ordered_dict,
    list: _w_list,
    set: _w_set,
    frozenset: _w_set,
    tuple: _w_tuple,
    BinaryEnumValue: _w_binary_enum,
    WrappedBinary: _w_wrapped,
}

# Subclass fallbacks, in order (bool before int; Enum before int and str).
_BY_BASE: tuple[tuple[type | tuple[type, ...], Writer], ...] = (
    (enum.Enum, _w_binary_enum),
    (bool, _w_bool),
    (int, _w_int_default),
    (float, _w_double),
    (str, _w_string),
    (OrderedDict, _w_ordered_dict),
    (dict, _w_dict),
    (list, _w_list),
    ((set, frozenset), _w_set),
    (datetime, _w_timestamp),
    (date, _w_date),
    (Decimal, _w_decimal),
    (UUID, _w_uuid),
    ((bytes, bytearray), _w_byte_arr),
)


def _slow_writer(v: Any) -> Writer:
    cls = type(v)
    if isinstance(getattr(cls, "__ignite_info__", None), ObjectInfo):
        w = _object_writer(cls)
        if len(_BY_TYPE) < 10_000:
            _BY_TYPE[cls] = w
        return w
    for base, w in _BY_BASE:
        if isinstance(v, base):
            return w
    raise _err(f"no Ignite type for a value of type {cls.__qualname__}")


def write_any(out: bytearray, value: Any, ctx: CodecContext) -> None:
    """Append ``value`` as a typed Ignite value chosen by its Python type."""
    w = ctx.writers.get(type(value))  # _BY_TYPE, or the pyignite value mode's table
    if w is None:
        w = _slow_writer(value)
    w(out, value, ctx)


_BY_CODE: dict[int, Writer] = {
    TypeCode.BYTE: _w_byte,
    TypeCode.SHORT: _w_short,
    TypeCode.INT: _w_int,
    TypeCode.LONG: _w_long_hinted,
    TypeCode.FLOAT: _w_float,
    TypeCode.DOUBLE: _w_double_hinted,
    TypeCode.CHAR: _w_char,
    TypeCode.BOOL: _w_bool_hinted,
    TypeCode.STRING: _w_string_hinted,
    TypeCode.UUID: _w_uuid,
    TypeCode.DATE: _w_date,
    TypeCode.TIMESTAMP: _w_timestamp_hinted,
    TypeCode.TIME: _w_time,
    TypeCode.DECIMAL: _w_decimal,
    TypeCode.BYTE_ARR: _w_byte_arr,
    TypeCode.SHORT_ARR: _prim_array_writer(TypeCode.SHORT_ARR, "h"),
    TypeCode.INT_ARR: _prim_array_writer(TypeCode.INT_ARR, "i"),
    TypeCode.LONG_ARR: _prim_array_writer(TypeCode.LONG_ARR, "q"),
    TypeCode.FLOAT_ARR: _prim_array_writer(TypeCode.FLOAT_ARR, "f"),
    TypeCode.DOUBLE_ARR: _prim_array_writer(TypeCode.DOUBLE_ARR, "d"),
    TypeCode.CHAR_ARR: _w_char_arr,
    TypeCode.BOOL_ARR: _w_bool_arr,
    TypeCode.STRING_ARR: _typed_array_writer(TypeCode.STRING_ARR, _w_string_hinted),
    TypeCode.UUID_ARR: _typed_array_writer(TypeCode.UUID_ARR, _w_uuid),
    TypeCode.DATE_ARR: _typed_array_writer(TypeCode.DATE_ARR, _w_date),
    TypeCode.TIMESTAMP_ARR: _typed_array_writer(TypeCode.TIMESTAMP_ARR, _w_timestamp_hinted),
    TypeCode.TIME_ARR: _typed_array_writer(TypeCode.TIME_ARR, _w_time),
    TypeCode.DECIMAL_ARR: _typed_array_writer(TypeCode.DECIMAL_ARR, _w_decimal),
    TypeCode.OBJ_ARR: _w_obj_arr,
    TypeCode.COLLECTION: _w_collection_hinted,
    TypeCode.MAP: _w_map_hinted,
    TypeCode.ENUM: _enum_writer(TypeCode.ENUM),
    TypeCode.ENUM_ARR: _w_enum_arr,
    TypeCode.BINARY_ENUM: _w_binary_enum,
    TypeCode.BINARY_OBJ: _w_wrapped,
    TypeCode.COMPLEX_OBJ: _w_object_hinted,
    TypeCode.NULL: _w_null,
}


def is_hint(h: object) -> bool:
    """Whether ``h`` is a type hint: a ``datatypes`` class or a binary-object class."""
    return isinstance(h, type) and (
        getattr(h, "__ignite_hint__", False)
        or isinstance(getattr(h, "__ignite_info__", None), ObjectInfo)
    )


_hint_cache: dict[object, Writer] = {}


def hint_writer(hint: object) -> Writer:
    """The writer a hint selects (``None`` and untyped hints infer from the value).

    The returned writer does not handle ``None``; :func:`write_hinted` does.
    """
    w = _hint_cache.get(hint)
    if w is not None:
        return w
    if hint is None:
        w = write_any
    elif isinstance(hint, int) and not isinstance(hint, bool):
        w = _BY_CODE.get(int(hint))
        if w is None:
            raise _err(f"no writer for type code {hint}")
    elif isinstance(hint, type) and isinstance(getattr(hint, "__ignite_info__", None), ObjectInfo):
        cls = hint

        def w(out: bytearray, v: Any, ctx: CodecContext) -> None:
            if not isinstance(v, cls):
                raise _err(f"{_kind(v)} given for a field of type {cls.__name__}")
            _object_writer(type(v))(out, v, ctx)

    else:
        code = getattr(hint, "type_code", None)
        if code is None and getattr(hint, "__ignite_hint__", False):
            w = write_any  # an untyped hint (AnyDataObject)
        elif isinstance(code, int):
            w = _BY_CODE.get(code)
            if w is None:
                raise _err(f"no writer for type code {code}")
        else:
            raise _err(f"{hint!r} is not a type hint")
    if isinstance(hint, type) or hint is None or isinstance(hint, int):
        _hint_cache[hint] = w
    return w


def write_hinted(out: bytearray, value: Any, hint: object, ctx: CodecContext) -> None:
    """Append ``value`` as the Ignite type ``hint`` names (``None`` is always null)."""
    if value is None:
        out.append(_NULL)
        return
    hint_writer(hint)(out, value, ctx)
