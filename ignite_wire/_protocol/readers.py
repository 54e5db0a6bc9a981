"""Decoding: one reader per type code, dispatched through a 256-entry table.

A reader is ``reader(buf, pos, ctx) -> (value, next_pos)`` where ``pos`` is just past the
type code.  Readers index into the caller's buffer (``bytes``, ``bytearray`` or
``memoryview``) and never slice it except to build a value.

Failure rules (hostile bytes):

* a length or count is checked against the bytes that remain *before* anything is
  allocated (every element takes at least one byte);
* nesting deeper than :data:`~.context.MAX_DEPTH` is an error;
* a handle (102) must point backwards, inside the value being decoded; the object it
  points to is decoded once and shared (as Java shares it), cycles included;
* :func:`read_any` turns the low-level exceptions a truncated or garbled buffer can
  cause (``struct.error``, ``IndexError``, ``OverflowError``...) into
  :class:`~ignite_wire.exceptions.ParseError` with the offset of the value being read.

What values become (see :mod:`.codec` for the whole table): integers of every width ->
``int``; float/double -> ``float``; char -> 1-character ``str``; Date/Timestamp -> aware
UTC ``datetime`` (a :class:`~.values.NanoDatetime` when a Timestamp has sub-microsecond
nanoseconds); Time -> ``datetime.time`` (``timedelta`` outside 0..24 h); Decimal ->
exact ``Decimal``; byte array -> ``bytes``; other typed arrays and Object[] -> ``list``;
collections -> ``list`` or, for the set kinds, ``set`` (``list`` if an element is
unhashable); HASH_MAP -> ``dict``, LINKED_HASH_MAP -> ``OrderedDict``; enums -> the
registered Python enum member or :class:`~.values.BinaryEnumValue`; complex objects ->
instances of their class (declared, or generated from metadata).

A complex object written with its class's own schema in the usual layout (compact
footer, 1- or 2-byte offsets, no raw data) is read by a decoder generated once per class
(:func:`_compile_decoder`); anything else, and anything it finds wrong, goes through the
general reader, which gives the same objects and raises the same errors.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, time, timedelta, timezone
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from typing import Any, Final

from ..exceptions import ParseError
from . import buffer as _b
from .binary_object import (
    ABSENT_ATTR,
    HEADER,
    HEADER_SIZE,
    RAW_ATTR,
    ObjectInfo,
    compile_generated,
    hint_type_code_or_none,
    make_class,
)
from .binary_types import NeedBinaryType
from .context import MAX_DEPTH, CodecContext
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
from .values import BinaryEnumValue, NanoDatetime

__all__ = ["READERS", "read_any"]

Reader = Callable[[Any, int, CodecContext], tuple[Any, int]]

_i8 = _b.unpack_i8
_i16 = _b.unpack_i16
_u16 = _b.unpack_u16
_i32 = _b.unpack_i32
_i64 = _b.unpack_i64
_f32 = _b.unpack_f32
_f64 = _b.unpack_f64
_decode_utf8 = _b.decode_utf8
_unpack_uuid = _b.unpack_uuid

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)
_BIG_ENDIAN: Final = sys.byteorder == "big"
_LOW_LEVEL: Final = (
    struct.error,
    IndexError,
    OverflowError,
    ValueError,
    TypeError,
    KeyError,
    RecursionError,
)
_SET_KINDS: Final = frozenset(
    (CollectionKind.USER_SET, CollectionKind.HASH_SET, CollectionKind.LINKED_HASH_SET)
)


def _fail(msg: str, pos: int) -> ParseError:
    return ParseError(msg, offset=pos)


def _length(buf: Any, pos: int, item_size: int) -> int:
    """Read an i32 count at ``pos`` and check that ``count * item_size`` bytes remain."""
    n: int = _i32(buf, pos)[0]
    if n < 0 or pos + 4 + n * item_size > len(buf):
        raise _fail(f"length {n} exceeds the {len(buf) - pos - 4} bytes that remain", pos)
    return n


def read_any(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    """Decode the typed value at ``pos``; return ``(value, next_pos)``."""
    try:
        result: tuple[Any, int] = ctx.readers[buf[pos]](buf, pos + 1, ctx)
        return result
    except _LOW_LEVEL as exc:
        raise _fail(f"cannot decode value: {exc.__class__.__name__}: {exc}", pos) from None


def _enter(ctx: CodecContext, pos: int) -> None:
    if ctx.depth >= MAX_DEPTH:
        raise _fail(f"values nested deeper than {MAX_DEPTH}", pos)
    ctx.depth += 1


# -- scalars ---------------------------------------------------------------------------


def _r_byte(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    return _i8(buf, pos)[0], pos + 1


def _r_short(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    return _i16(buf, pos)[0], pos + 2


def _r_int(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    return _i32(buf, pos)[0], pos + 4


def _r_long(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    return _i64(buf, pos)[0], pos + 8


def _r_float(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    return _f32(buf, pos)[0], pos + 4


def _r_double(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    return _f64(buf, pos)[0], pos + 8


def _r_char(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    return chr(_u16(buf, pos)[0]), pos + 2


def _r_bool(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    return buf[pos] != 0, pos + 1


def _r_string(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    n = _i32(buf, pos)[0]
    start = pos + 4
    end = start + n
    if n < 0 or end > len(buf):
        raise _fail(f"string length {n} exceeds the remaining bytes", pos)
    try:
        return str(buf[start:end], "utf-8"), end
    except UnicodeDecodeError:
        return _decode_utf8(buf[start:end]), end


def _r_uuid(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    return _unpack_uuid(buf, pos), pos + 16


def _datetime(ms: int, nanos: int, pos: int) -> datetime:
    if not 0 <= nanos <= 999_999:
        raise _fail(f"timestamp nanoseconds {nanos} outside 0..999999", pos)
    sec, msr = divmod(ms, 1000)
    value = _EPOCH + timedelta(0, sec, msr * 1000 + nanos // 1000)
    extra = nanos % 1000
    if extra:
        return NanoDatetime.from_datetime(value, extra)
    return value


def _r_date(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    return _datetime(_i64(buf, pos)[0], 0, pos), pos + 8


_TS: Final = struct.Struct("<qi")


def _r_timestamp(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    ms, nanos = _TS.unpack_from(buf, pos)
    return _datetime(ms, nanos, pos), pos + 12


def _r_time(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    ms: int = _i64(buf, pos)[0]
    if 0 <= ms < 86_400_000:
        sec, msr = divmod(ms, 1000)
        mins, s = divmod(sec, 60)
        h, m = divmod(mins, 60)
        return time(h, m, s, msr * 1000), pos + 8
    return timedelta(milliseconds=ms), pos + 8


def _r_decimal(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    scale = _i32(buf, pos)[0]
    n = _length(buf, pos + 4, 1)
    start = pos + 8
    end = start + n
    # Sign and magnitude, big-endian: the top bit of the first byte is the sign.
    unscaled = int.from_bytes(buf[start:end], "big")
    if n and buf[start] & 0x80:
        unscaled = -(unscaled ^ (1 << (8 * n - 1)))
    if n > _DECIMAL_FAST_BYTES:
        # Past Python's int-to-str limit: the string form raises, as it always has (a
        # hostile length must not buy quadratic work).
        return Decimal(f"{unscaled}E{-scale}"), end
    # Exact without a string round trip: an int converts exactly, and scaleb under a
    # context of unbounded precision only sets the exponent ("150", -2 -> Decimal("1.50")).
    return Decimal(unscaled).scaleb(-scale, _EXACT), end


#: No rounding and no exponent limits a Java ``BigDecimal`` (32-bit scale) could reach.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
#: Magnitudes up to this many bytes (< 4300 decimal digits) take the fast path.
_DECIMAL_FAST_BYTES = 1700


# -- typed arrays --------------------------------------------------------------------


def _prim_array(typecode: str, size: int) -> Reader:
    def read(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
        n = _length(buf, pos, size)
        start = pos + 4
        end = start + n * size
        a = array(typecode)
        a.frombytes(buf[start:end])
        if _BIG_ENDIAN:
            a.byteswap()
        return a.tolist(), end

    return read


def _r_byte_arr(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    n = _length(buf, pos, 1)
    return bytes(buf[pos + 4 : pos + 4 + n]), pos + 4 + n


def _r_bool_arr(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    n = _length(buf, pos, 1)
    return [b != 0 for b in buf[pos + 4 : pos + 4 + n]], pos + 4 + n


def _r_char_arr(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    n = _length(buf, pos, 2)
    a = array("H")
    a.frombytes(buf[pos + 4 : pos + 4 + 2 * n])
    if _BIG_ENDIAN:
        a.byteswap()
    return list(map(chr, a)), pos + 4 + 2 * n


def _typed_array(code: int) -> Reader:
    """Arrays whose elements are typed values of one code (or null): 20-22, 31, 34, 37."""

    def read(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
        n = _length(buf, pos, 1)
        pos += 4
        out: list[Any] = []
        append = out.append
        elem = READERS[code]
        for _ in range(n):
            c = buf[pos]
            if c == code:
                v, pos = elem(buf, pos + 1, ctx)
            elif c == TypeCode.NULL:
                v, pos = None, pos + 1
            else:
                raise _fail(f"array of type {code} holds a value of type {c}", pos)
            append(v)
        return out, pos

    return read


def _read_elements(buf: Any, pos: int, n: int, ctx: CodecContext, out: list[Any]) -> int:
    append = out.append
    for _ in range(n):
        v, pos = read_any(buf, pos, ctx)
        append(v)
    return pos


def _r_obj_arr(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    start = pos - 1
    component = _i32(buf, pos)[0]
    pos += 4
    if component == 0:  # unregistered class: its name follows
        _, pos = _b.read_str(buf, pos)
    n = _length(buf, pos, 1)
    _enter(ctx, start)
    out: list[Any] = []
    ctx.refs[start] = out
    pos = _read_elements(buf, pos + 4, n, ctx, out)
    ctx.depth -= 1
    return out, pos


def _r_enum_arr(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    start = pos - 1
    pos += 4  # component type id; each element carries its own
    n = _length(buf, pos, 1)
    _enter(ctx, start)
    out: list[Any] = []
    pos = _read_elements(buf, pos + 4, n, ctx, out)
    ctx.depth -= 1
    return out, pos


def _r_collection(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    start = pos - 1
    n = _length(buf, pos, 1)
    kind = _i8(buf, pos + 4)[0]
    _enter(ctx, start)
    out: list[Any] = []
    if kind not in _SET_KINDS:
        ctx.refs[start] = out
    pos = _read_elements(buf, pos + 5, n, ctx, out)
    ctx.depth -= 1
    if kind in _SET_KINDS:
        try:
            return set(out), pos
        except TypeError:
            return out, pos  # unhashable elements: keep them, in order
    return out, pos


def _r_map(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    start = pos - 1
    n = _length(buf, pos, 2)
    kind = _i8(buf, pos + 4)[0]
    pos += 5
    _enter(ctx, start)
    out: dict[Any, Any] = OrderedDict() if kind == MapKind.LINKED_HASH_MAP else {}
    ctx.refs[start] = out
    for _ in range(n):
        kpos = pos
        k, pos = read_any(buf, pos, ctx)
        v, pos = read_any(buf, pos, ctx)
        try:
            out[k] = v
        except TypeError:
            raise _fail(f"map key of type {type(k).__name__} is not hashable", kpos) from None
    ctx.depth -= 1
    return out, pos


def _r_enum(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    tid = _i32(buf, pos)[0]
    ordinal = _i32(buf, pos + 4)[0]
    cls = ctx.registry.enum_class(tid)
    if cls is not None:
        members = list(cls)
        if 0 <= ordinal < len(members):
            return members[ordinal], pos + 8
    return BinaryEnumValue(tid, ordinal), pos + 8


def _r_null(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    return None, pos


def _r_handle(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    back = _i32(buf, pos)[0]
    target = pos - 1 - back
    if back <= 0 or target < ctx.base:
        raise _fail(f"handle offset {back} points outside the value", pos - 1)
    refs = ctx.refs
    if target in refs:
        return refs[target], pos + 4
    _enter(ctx, pos - 1)
    value, _ = read_any(buf, target, ctx)
    ctx.depth -= 1
    refs[target] = value
    return value, pos + 4


def _r_wrapped(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    n = _length(buf, pos, 1)
    data = pos + 4
    end = data + n
    offset = _i32(buf, end)[0]
    if not 0 <= offset < n:
        raise _fail(f"wrapped object offset {offset} outside its {n} bytes", pos - 1)
    base = ctx.base
    ctx.base = data
    _enter(ctx, pos - 1)
    value, _ = read_any(buf, data + offset, ctx)
    ctx.depth -= 1
    ctx.base = base
    return value, end + 4


# -- complex objects (103) ----------------------------------------------------------------

_footer_structs: dict[tuple[int, int, bool], struct.Struct] = {}


def _footer_struct(count: int, width: int, compact: bool) -> struct.Struct:
    key = (count, width, compact)
    s = _footer_structs.get(key)
    if s is None:
        off = "B" if width == 1 else "H" if width == 2 else "i"
        s = struct.Struct("<" + (off * count if compact else ("i" + off) * count))
        if len(_footer_structs) < 4096:
            _footer_structs[key] = s
    return s


# Field types the generated decoder reads inline: code -> expression of the value at
# ``p`` (the type code's position).  Other codes go through READERS.
_INLINE: Final[dict[int, str]] = {
    TypeCode.BYTE: "_i8(buf, p + 1)[0]",
    TypeCode.SHORT: "_i16(buf, p + 1)[0]",
    TypeCode.INT: "_i32(buf, p + 1)[0]",
    TypeCode.LONG: "_i64(buf, p + 1)[0]",
    TypeCode.FLOAT: "_f32(buf, p + 1)[0]",
    TypeCode.DOUBLE: "_f64(buf, p + 1)[0]",
    TypeCode.BOOL: "buf[p + 1] != 0",
    TypeCode.UUID: "_unpack_uuid(buf, p + 1)",
}
_MAX_INLINE_FIELDS: Final = 200
_ONE_BYTE_FLAGS: Final = USER_TYPE | HAS_SCHEMA | COMPACT_FOOTER | OFFSET_ONE_BYTE
_TWO_BYTE_FLAGS: Final = USER_TYPE | HAS_SCHEMA | COMPACT_FOOTER | OFFSET_TWO_BYTES


def generated_env() -> dict[str, Any]:
    """The names generated decoders read values with (READERS, the struct readers)."""
    return {
        "_READERS": READERS,
        "_i8": _i8,
        "_i16": _i16,
        "_i32": _i32,
        "_i64": _i64,
        "_f32": _f32,
        "_f64": _f64,
        "_unpack_uuid": _unpack_uuid,
        "_datetime": _datetime,
        "_TS": _TS.unpack_from,
    }


def inline_string(target: str, indent: str) -> list[str]:
    """Generated lines that read the String (9) at ``p`` into ``target`` and set ``q`` to
    its end.  A bad length or bad UTF-8 raises: the general reader reports or repairs it."""
    return [
        f"{indent}if c == 9:",
        f"{indent}    q = p + 5 + _i32(buf, p + 1)[0]",
        f"{indent}    if q < p + 5 or q > len(buf):",
        f"{indent}        raise IndexError",
        f"{indent}    {target} = str(buf[p + 5 : q], 'utf-8')",
    ]


def _no_decoder(buf: Any, start: int, flags: int, total: int, footer: int, ctx: Any) -> None:
    return None


def _compile_decoder(cls: type, info: ObjectInfo) -> Callable[..., tuple[Any, int] | None]:
    """Generate a straight-line decoder for objects written with the class's own schema.

    It takes the common layout only: compact footer with 1- or 2-byte offsets, no raw
    data, one footer entry per field, every offset inside the data.  It reads the
    fields of the schema's types inline (strings and primitives), dispatches any other
    type code through READERS, and returns ``None`` -- the general reader then decodes
    the object, or raises the error with its offset -- for anything else: another
    layout, a bad offset, a truncated or malformed value.
    """
    n = len(info.names)
    if not 0 < n <= _MAX_INLINE_FIELDS:
        return _no_decoder
    env: dict[str, Any] = {
        "_new": cls.__new__,
        "_cls": cls,
        "_extras": {k: None for k in info.defaults if k not in info.names},
        **generated_env(),
        "_LOW_LEVEL": _LOW_LEVEL,
        "_MAX_DEPTH": MAX_DEPTH,
        "_u16s": struct.Struct(f"<{n}H").unpack_from,
    }
    offs = ", ".join(f"o{i}" for i in range(n))
    in_range = " and ".join(f"24 <= o{i} < footer" for i in range(n))
    lines = [
        "def decode(buf, start, flags, total, footer, ctx):",
        "    fs = start + footer",
        f"    if flags == {_ONE_BYTE_FLAGS} and footer + {n} == total:",
        f"        {offs}, = buf[fs:fs + {n}]",
        f"    elif flags == {_TWO_BYTE_FLAGS} and footer + {2 * n} == total:",
        f"        {offs}, = _u16s(buf, fs)",
        "    else:",
        "        return None",
        f"    if not ({in_range}) or ctx.depth >= _MAX_DEPTH:",
        "        return None",
        "    obj = _new(_cls)",
        "    ctx.refs[start] = obj",
        "    ctx.depth += 1",
        "    try:",
    ]
    for i, hint in enumerate(info.hints):
        code = hint_type_code_or_none(hint)
        lines += [f"        p = start + o{i}", "        c = buf[p]"]
        if code == TypeCode.STRING:
            lines += inline_string(f"v{i}", "        ")
            lines.append("        elif c == 101:")
        elif code in _INLINE:
            lines += [
                f"        if c == {code}:",
                f"            v{i} = {_INLINE[code]}",
                "        elif c == 101:",
            ]
        else:
            lines.append("        if c == 101:")
        lines += [
            f"            v{i} = None",
            "        else:",
            f"            v{i} = ctx.readers[c](buf, p + 1, ctx)[0]",
        ]
    lines += [
        "    except _LOW_LEVEL:",
        "        ctx.depth -= 1",
        "        return None",
        "    ctx.depth -= 1",
        "    d = obj.__dict__",
    ]
    lines += [f"    d[{name!r}] = v{i}" for i, name in enumerate(info.names)]
    if env["_extras"]:
        lines.append("    d.update(_extras)")
    lines.append("    return obj, start + total")
    decode: Callable[..., tuple[Any, int] | None] = compile_generated(
        "\n".join(lines), f"decode {info.type_name}", env
    )
    return decode


def _object_class(ctx: CodecContext, tid: int, sid: int, compact: bool, pos: int) -> Any:
    """The class to build, and the names of the schema's fields when known."""
    registry = ctx.registry
    cls: Any = registry.get_class(tid)
    if cls is not None:
        info: ObjectInfo = cls.__ignite_info__
        if info.schema_id == sid:
            return cls, info.names
    bt = registry.get_type(tid)
    if bt is None:
        if not compact and cls is not None:
            return cls, None  # a full footer names its fields by id
        if registry.is_unavailable(tid):
            return None, None
        raise NeedBinaryType(tid, sid)
    if cls is None:
        cls = make_class(bt, sid)
        registry.register_class(cls, tid)
    ids = bt.schemas.get(sid)
    if ids is None:
        if compact:
            if registry.is_unavailable(tid):
                return cls, None
            raise NeedBinaryType(tid, sid)
        return cls, None
    names = bt.field_names()
    # Field ids are hashes of the lower-cased name, so the metadata can hold two names for
    # one field ("note" from the class, "NOTE" from SQL's ALTER TABLE ADD COLUMN): the
    # class's own name wins, as it does for a full footer.
    own = cls.__ignite_info__.ids_to_names
    try:
        return cls, tuple(own.get(i) or names[i] for i in ids)
    except KeyError:
        raise _fail("binary type metadata misses a field of its own schema", pos) from None


def _r_object(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    start = pos - 1
    _, _version, flags, tid, _hash, total, sid, schema_off = HEADER.unpack_from(buf, start)
    end = start + total
    if total < HEADER_SIZE or end > len(buf):
        raise _fail(f"object length {total} exceeds the remaining bytes", start)
    cls: Any = ctx.registry.get_class(tid)
    if cls is not None:
        known: ObjectInfo = cls.__ignite_info__
        if known.schema_id == sid:
            decode = known.decoder
            if decode is None:
                decode = known.decoder = _compile_decoder(cls, known)
            result: tuple[Any, int] | None = decode(buf, start, flags, total, schema_off, ctx)
            if result is not None:
                return result
    has_schema = flags & HAS_SCHEMA
    has_raw = flags & HAS_RAW_DATA
    footer_end = end - 4 if (has_schema and has_raw) else end
    if has_schema:
        footer_start = start + schema_off
        if not HEADER_SIZE <= schema_off <= footer_end - start:
            raise _fail(f"footer offset {schema_off} outside the object", start)
    else:
        footer_start = footer_end
    raw: bytes | None = None
    if has_raw:
        raw_off = _i32(buf, footer_end)[0] if has_schema else schema_off
        if not HEADER_SIZE <= raw_off <= footer_start - start:
            raise _fail(f"raw data offset {raw_off} outside the object", start)
        raw = bytes(buf[start + raw_off : footer_start])
    compact = bool(flags & COMPACT_FOOTER)
    cls, names = _object_class(ctx, tid, sid, compact, start)

    # Footer: field offsets (and ids unless compact).
    width = 1 if flags & OFFSET_ONE_BYTE else 2 if flags & OFFSET_TWO_BYTES else 4
    entry = width if compact else width + 4
    span = footer_end - footer_start
    if span % entry:
        raise _fail("footer size is not a whole number of entries", footer_start)
    count = span // entry
    if compact:
        if width == 1:
            offsets: Any = buf[footer_start:footer_end]
        else:
            offsets = _footer_struct(count, width, True).unpack_from(buf, footer_start)
        ids: Any = None
    else:
        flat = _footer_struct(count, width, False).unpack_from(buf, footer_start)
        ids = flat[0::2]
        offsets = flat[1::2]
    if names is None or len(names) != count:
        if ids is not None:
            by_id = cls.__ignite_info__.ids_to_names if cls is not None else {}
            names = tuple(by_id.get(i) or f"field_{i & 0xFFFFFFFF:08x}" for i in ids)
        else:
            names = tuple(f"field_{i}" for i in range(count))

    _enter(ctx, start)
    if cls is None:
        from .binary_types import BinaryType

        cls = make_class(BinaryType(tid, f"BinaryType_{tid & 0xFFFFFFFF:08x}"))
    info: ObjectInfo = cls.__ignite_info__
    obj = cls.__new__(cls)
    d = obj.__dict__
    d.update(info.defaults)
    ctx.refs[start] = obj
    limit = footer_start - start
    for name, off in zip(names, offsets, strict=True):
        if not HEADER_SIZE <= off < limit:
            raise _fail(f"field offset {off} outside the object's data", footer_start)
        d[name] = read_any(buf, start + off, ctx)[0]
    if raw is not None:
        d[RAW_ATTR] = raw
    if len(names) < len(info.names):
        d[ABSENT_ATTR] = frozenset(info.names).difference(names)
    ctx.depth -= 1
    return obj, end


def _unsupported(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    raise _fail(f"unsupported type code {buf[pos - 1]}", pos - 1)


def _r_optimized(buf: Any, pos: int, ctx: CodecContext) -> tuple[Any, int]:
    # Code -2: a Java object the node wrote with its optimized marshaller (Java
    # serialization), e.g. the class it turns a SINGLETON_LIST collection into.
    raise _fail(
        "type code -2: a Java object in optimized marshaller form, which only Java can "
        "read (a SINGLETON_LIST collection is stored that way: use ARR_LIST)",
        pos - 1,
    )


READERS: list[Reader] = [_unsupported] * 256
READERS[0xFE] = _r_optimized  # -2 as an unsigned byte
READERS[TypeCode.BYTE] = _r_byte
READERS[TypeCode.SHORT] = _r_short
READERS[TypeCode.INT] = _r_int
READERS[TypeCode.LONG] = _r_long
READERS[TypeCode.FLOAT] = _r_float
READERS[TypeCode.DOUBLE] = _r_double
READERS[TypeCode.CHAR] = _r_char
READERS[TypeCode.BOOL] = _r_bool
READERS[TypeCode.STRING] = _r_string
READERS[TypeCode.UUID] = _r_uuid
READERS[TypeCode.DATE] = _r_date
READERS[TypeCode.TIMESTAMP] = _r_timestamp
READERS[TypeCode.TIME] = _r_time
READERS[TypeCode.DECIMAL] = _r_decimal
READERS[TypeCode.BYTE_ARR] = _r_byte_arr
READERS[TypeCode.SHORT_ARR] = _prim_array("h", 2)
READERS[TypeCode.INT_ARR] = _prim_array("i", 4)
READERS[TypeCode.LONG_ARR] = _prim_array("q", 8)
READERS[TypeCode.FLOAT_ARR] = _prim_array("f", 4)
READERS[TypeCode.DOUBLE_ARR] = _prim_array("d", 8)
READERS[TypeCode.CHAR_ARR] = _r_char_arr
READERS[TypeCode.BOOL_ARR] = _r_bool_arr
READERS[TypeCode.STRING_ARR] = _typed_array(TypeCode.STRING)
READERS[TypeCode.UUID_ARR] = _typed_array(TypeCode.UUID)
READERS[TypeCode.DATE_ARR] = _typed_array(TypeCode.DATE)
READERS[TypeCode.TIMESTAMP_ARR] = _typed_array(TypeCode.TIMESTAMP)
READERS[TypeCode.TIME_ARR] = _typed_array(TypeCode.TIME)
READERS[TypeCode.DECIMAL_ARR] = _typed_array(TypeCode.DECIMAL)
READERS[TypeCode.OBJ_ARR] = _r_obj_arr
READERS[TypeCode.ENUM_ARR] = _r_enum_arr
READERS[TypeCode.COLLECTION] = _r_collection
READERS[TypeCode.MAP] = _r_map
READERS[TypeCode.ENUM] = _r_enum
READERS[TypeCode.BINARY_ENUM] = _r_enum
READERS[TypeCode.NULL] = _r_null
READERS[TypeCode.HANDLE] = _r_handle
READERS[TypeCode.BINARY_OBJ] = _r_wrapped
READERS[TypeCode.COMPLEX_OBJ] = _r_object
