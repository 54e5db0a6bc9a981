"""Writers of single values (numbers, chars, strings, UUIDs, dates, decimals, enums) and
the error helpers every writer shares.

A writer is ``writer(out, value, ctx) -> None``; it appends the type code and payload
(see :mod:`.writers` for the dispatch).  The ``*_hinted`` variants check the value
against the Ignite type a hint names; the others are chosen by the value's exact Python
type, so they skip the check.  Errors are :class:`~ignite_wire.exceptions.EncodeError`;
containers add their path segment with :func:`_rewrap` as the error passes through.
"""

from __future__ import annotations

import enum
import struct
import sys
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, Final
from uuid import UUID

from ..exceptions import EncodeError
from . import buffer as _b
from .context import MAX_DEPTH, CodecContext
from .type_codes import TypeCode
from .values import NanoDatetime

__all__ = ["Writer"]

Writer = Callable[[bytearray, Any, CodecContext], None]

_pack_u16 = _b.pack_u16
_pack_i32 = _b.pack_i32
_pack_f32 = _b.pack_f32
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
