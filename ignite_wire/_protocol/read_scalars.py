"""Readers of single values and of primitive arrays: nothing here recurses.

Each reader is ``reader(buf, pos, ctx) -> (value, next_pos)`` with ``pos`` just past the
type code (see :mod:`.reader_table`).  A length or count is checked by
:func:`.buffer.read_count` against the bytes that remain before anything is allocated.
What the values become is listed in :mod:`.readers`.
"""

from __future__ import annotations

import struct
import sys
from array import array
from datetime import datetime, time, timedelta, timezone
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from typing import Any, Final, NoReturn
from uuid import UUID

from . import buffer as _b
from .buffer import Buffer
from .context import CodecContext
from .reader_table import Reader, fail
from .values import NanoDatetime

__all__ = [
    "DECIMAL_FAST_BYTES",
    "DEC_HEAD",
    "EPOCH",
    "EXACT",
    "TS",
    "datetime_of",
    "decimal_of",
    "prim_array",
]

_i8 = _b.unpack_i8
_i16 = _b.unpack_i16
_u16 = _b.unpack_u16
_i32 = _b.unpack_i32
_i64 = _b.unpack_i64
_f32 = _b.unpack_f32
_f64 = _b.unpack_f64
_decode_utf8 = _b.decode_utf8
_unpack_uuid = _b.unpack_uuid
_read_count = _b.read_count

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)
#: The epoch of Date and Timestamp (for the generated decoders).
EPOCH: Final = _EPOCH
_BIG_ENDIAN: Final = sys.byteorder == "big"
#: A Timestamp's payload: epoch milliseconds, nanoseconds within the millisecond.
TS: Final = struct.Struct("<qi")


def _r_byte(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[int, int]:
    return _i8(buf, pos)[0], pos + 1


def _r_short(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[int, int]:
    return _i16(buf, pos)[0], pos + 2


def _r_int(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[int, int]:
    return _i32(buf, pos)[0], pos + 4


def _r_long(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[int, int]:
    return _i64(buf, pos)[0], pos + 8


def _r_float(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[float, int]:
    return _f32(buf, pos)[0], pos + 4


def _r_double(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[float, int]:
    return _f64(buf, pos)[0], pos + 8


def _r_char(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[str, int]:
    return chr(_u16(buf, pos)[0]), pos + 2


def _r_bool(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[bool, int]:
    return buf[pos] != 0, pos + 1


def _r_string(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[str, int]:
    n = _i32(buf, pos)[0]
    start = pos + 4
    end = start + n
    if n < 0 or end > len(buf):
        raise fail(f"string length {n} exceeds the remaining bytes", pos)
    try:
        return str(buf[start:end], "utf-8"), end
    except UnicodeDecodeError:
        return _decode_utf8(buf[start:end]), end


def _r_uuid(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[UUID, int]:
    return _unpack_uuid(buf, pos), pos + 16


def datetime_of(ms: int, nanos: int, pos: int) -> datetime:
    """The aware UTC datetime of a Date/Timestamp (a NanoDatetime below the microsecond)."""
    if not 0 <= nanos <= 999_999:
        raise fail(f"timestamp nanoseconds {nanos} outside 0..999999", pos)
    sec, msr = divmod(ms, 1000)
    value = _EPOCH + timedelta(0, sec, msr * 1000 + nanos // 1000)
    extra = nanos % 1000
    if extra:
        return NanoDatetime.from_datetime(value, extra)
    return value


def _r_date(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[datetime, int]:
    return datetime_of(_i64(buf, pos)[0], 0, pos), pos + 8


def _r_timestamp(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[datetime, int]:
    ms, nanos = TS.unpack_from(buf, pos)
    return datetime_of(ms, nanos, pos), pos + 12


def _r_time(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[time | timedelta, int]:
    ms: int = _i64(buf, pos)[0]
    if 0 <= ms < 86_400_000:
        sec, msr = divmod(ms, 1000)
        mins, s = divmod(sec, 60)
        h, m = divmod(mins, 60)
        return time(h, m, s, msr * 1000), pos + 8
    return timedelta(milliseconds=ms), pos + 8


#: No rounding and no exponent limits a Java ``BigDecimal`` (32-bit scale) could reach.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
EXACT: Final = _EXACT
#: Magnitudes up to this many bytes (< 4300 decimal digits) take the fast path.
_DECIMAL_FAST_BYTES = 1700
DECIMAL_FAST_BYTES: Final = _DECIMAL_FAST_BYTES


#: A Decimal's payload head: the scale, then the magnitude's byte count.
DEC_HEAD: Final = struct.Struct("<ii")


def decimal_of(buf: Buffer, pos: int, scale: int, n: int) -> Decimal:
    """The Decimal whose payload starts at ``pos`` (its head, ``scale`` and ``n``, read).

    For the generated decoders, which check nothing themselves: a length outside the
    buffer, or past the fast path, raises ``IndexError`` and the general reader
    (:func:`_r_decimal`) then reports or reads the value.
    """
    start = pos + 8
    end = start + n
    if n < 0 or end > len(buf) or n > _DECIMAL_FAST_BYTES:
        raise IndexError("decimal magnitude outside the buffer or the fast path")
    # Sign and magnitude, big-endian: the top bit of the first byte is the sign.
    unscaled = int.from_bytes(buf[start:end], "big")
    if n and buf[start] & 0x80:
        unscaled = -(unscaled ^ (1 << (8 * n - 1)))
    # Exact without a string round trip: an int converts exactly, and scaleb under a
    # context of unbounded precision only sets the exponent ("150", -2 -> Decimal("1.50")).
    return Decimal(unscaled).scaleb(-scale, _EXACT)


def _r_decimal(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[Decimal, int]:
    scale = _i32(buf, pos)[0]
    n, start = _read_count(buf, pos + 4, "decimal magnitude byte")
    end = start + n
    if n > _DECIMAL_FAST_BYTES:
        # Past Python's int-to-str limit: the string form raises, as it always has (a
        # hostile length must not buy quadratic work).
        unscaled = int.from_bytes(buf[start:end], "big")
        if buf[start] & 0x80:
            unscaled = -(unscaled ^ (1 << (8 * n - 1)))
        return Decimal(f"{unscaled}E{-scale}"), end
    return decimal_of(buf, pos, scale, n), end


# -- primitive arrays -------------------------------------------------------------------


def prim_array(typecode: str, size: int, what: str) -> Reader:
    """The reader of an array of ``size``-byte numbers (``array`` typecode ``typecode``)."""

    def read(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[Any, int]:
        n, start = _read_count(buf, pos, what, size)
        end = start + n * size
        a = array(typecode)
        a.frombytes(buf[start:end])
        if _BIG_ENDIAN:
            a.byteswap()
        return a.tolist(), end

    return read


def _r_byte_arr(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[bytes, int]:
    n, start = _read_count(buf, pos, "byte array element")
    return bytes(buf[start : start + n]), start + n


def _r_bool_arr(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[list[bool], int]:
    n, start = _read_count(buf, pos, "bool array element")
    return [b != 0 for b in buf[start : start + n]], start + n


def _r_char_arr(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[list[str], int]:
    n, start = _read_count(buf, pos, "char array element", 2)
    a = array("H")
    a.frombytes(buf[start : start + 2 * n])
    if _BIG_ENDIAN:
        a.byteswap()
    return list(map(chr, a)), start + 2 * n


def _r_null(buf: Buffer, pos: int, ctx: CodecContext) -> tuple[None, int]:
    return None, pos


def _r_optimized(buf: Buffer, pos: int, ctx: CodecContext) -> NoReturn:
    # Code -2: a Java object the node wrote with its optimized marshaller (Java
    # serialization), e.g. the class it turns a SINGLETON_LIST collection into.
    raise fail(
        "type code -2: a Java object in optimized marshaller form, which only Java can "
        "read (a SINGLETON_LIST collection is stored that way: use ARR_LIST)",
        pos - 1,
    )
