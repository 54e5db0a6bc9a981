"""Pre-bound little-endian ``struct`` methods and small checked read helpers.

Every multi-byte number on the Ignite wire is little-endian.  The hot paths of the codec
call these bound methods directly (``pack_i32(v)``, ``unpack_i32(buf, pos)``) so that no
format string is parsed and no attribute is looked up per value.  Readers work on
``bytes``/``bytearray``/``memoryview`` plus an offset and never slice the input except to
produce a value (a string's bytes, a byte array).

``unpack_from`` raises :class:`struct.error` on a short buffer; the codec turns that into
:class:`~ignite_wire.exceptions.ParseError` at the value that was being read.  The
``read_*`` helpers below check bounds themselves and raise ``ParseError`` with the offset.
"""

from __future__ import annotations

import struct
from typing import Final
from uuid import UUID

from ..exceptions import ParseError

__all__ = [
    "Buffer",
    "check_len",
    "decode_utf8",
    "pack_bool",
    "pack_f32",
    "pack_f64",
    "pack_i8",
    "pack_i16",
    "pack_i32",
    "pack_i64",
    "pack_u16",
    "pack_uuid",
    "read_bool",
    "read_byte_array",
    "read_count",
    "read_i8",
    "read_i16",
    "read_i32",
    "read_i64",
    "read_str",
    "read_uuid",
    "unpack_f32",
    "unpack_f64",
    "unpack_i8",
    "unpack_i16",
    "unpack_i32",
    "unpack_i64",
    "unpack_u16",
    "unpack_uuid",
    "write_byte_array",
    "write_str",
    "write_uuid",
]

#: What the readers accept.  ``memoryview`` must be a 1-D view of unsigned bytes.
Buffer = bytes | bytearray | memoryview

_I8: Final = struct.Struct("<b")
_U8: Final = struct.Struct("<B")
_I16: Final = struct.Struct("<h")
_U16: Final = struct.Struct("<H")
_I32: Final = struct.Struct("<i")
_I64: Final = struct.Struct("<q")
_F32: Final = struct.Struct("<f")
_F64: Final = struct.Struct("<d")
_BOOL: Final = struct.Struct("<?")

pack_i8: Final = _I8.pack
pack_i16: Final = _I16.pack
pack_u16: Final = _U16.pack
pack_i32: Final = _I32.pack
pack_i64: Final = _I64.pack
pack_f32: Final = _F32.pack
pack_f64: Final = _F64.pack
pack_bool: Final = _BOOL.pack

unpack_i8: Final = _I8.unpack_from
unpack_i16: Final = _I16.unpack_from
unpack_u16: Final = _U16.unpack_from
unpack_i32: Final = _I32.unpack_from
unpack_i64: Final = _I64.unpack_from
unpack_f32: Final = _F32.unpack_from
unpack_f64: Final = _F64.unpack_from


def check_len(buf: Buffer, pos: int, size: int) -> None:
    """Raise ``ParseError`` unless ``size`` bytes are available at ``pos``."""
    if size < 0 or pos < 0 or pos + size > len(buf):
        raise ParseError(f"need {size} bytes, {max(len(buf) - pos, 0)} remain", offset=pos)


def read_i8(buf: Buffer, pos: int) -> tuple[int, int]:
    """Read a signed byte; return ``(value, next_pos)``."""
    check_len(buf, pos, 1)
    return _I8.unpack_from(buf, pos)[0], pos + 1


def read_bool(buf: Buffer, pos: int) -> tuple[bool, int]:
    """Read a one-byte boolean (any non-zero byte is true, as in Java)."""
    check_len(buf, pos, 1)
    return buf[pos] != 0, pos + 1


def read_i16(buf: Buffer, pos: int) -> tuple[int, int]:
    """Read a little-endian i16; return ``(value, next_pos)``."""
    check_len(buf, pos, 2)
    return _I16.unpack_from(buf, pos)[0], pos + 2


def read_i32(buf: Buffer, pos: int) -> tuple[int, int]:
    """Read a little-endian i32; return ``(value, next_pos)``."""
    check_len(buf, pos, 4)
    return _I32.unpack_from(buf, pos)[0], pos + 4


def read_i64(buf: Buffer, pos: int) -> tuple[int, int]:
    """Read a little-endian i64; return ``(value, next_pos)``."""
    check_len(buf, pos, 8)
    return _I64.unpack_from(buf, pos)[0], pos + 8


#: No cap on a count beyond the bytes that remain.
NO_LIMIT: Final = 1 << 31


def read_count(
    buf: Buffer, pos: int, what: str, item_size: int = 1, limit: int = NO_LIMIT
) -> tuple[int, int]:
    """Read the i32 count of ``what`` at ``pos``; return ``(count, next_pos)``.

    The one guard for every claimed count or length on the wire.  Each item takes at
    least ``item_size`` bytes, so a count that the bytes *after it* cannot hold is
    refused here, before anything is allocated or looped over: work stays proportional to
    the bytes received, never to what a hostile or garbled message claims.  ``limit``
    caps the count further where the protocol has a maximum (partitions).  The
    ``ParseError`` names what was counted and the offset of its count.
    """
    if pos < 0 or pos + 4 > len(buf):
        raise ParseError(f"{what} count: need 4 bytes, {max(len(buf) - pos, 0)} remain", offset=pos)
    n: int = _I32.unpack_from(buf, pos)[0]
    after = pos + 4
    if n < 0:
        raise ParseError(f"negative {what} count {n}", offset=pos)
    if n * item_size > len(buf) - after:
        raise ParseError(
            f"{what} count {n} exceeds the {len(buf) - after} bytes that remain"
            + (f" ({item_size} or more bytes each)" if item_size > 1 else ""),
            offset=pos,
        )
    if n > limit:
        raise ParseError(f"{what} count {n} exceeds the maximum {limit}", offset=pos)
    return n, after


# -- typed helpers the op flows use for request/response fields ------------------------

_CODE_STRING: Final = 9
_CODE_UUID: Final = 10
_CODE_BYTE_ARR: Final = 12
_CODE_NULL: Final = 101
_UUID_HALVES: Final = struct.Struct("<qq")
_STR_HEAD: Final = struct.Struct("<bi")


def decode_utf8(raw: bytes | bytearray | memoryview) -> str:
    """Decode UTF-8 like Java's decoder: malformed sequences become U+FFFD."""
    try:
        return str(raw, "utf-8")
    except UnicodeDecodeError:
        return str(raw, "utf-8", "replace")


def write_str(out: bytearray, value: str | None) -> None:
    """Append a typed string (``09 i32 len UTF-8``) or ``101`` for ``None``.

    Raises ``UnicodeEncodeError`` for strings with lone surrogates (no UTF-8 form); the
    value codec turns that into ``EncodeError``.
    """
    if value is None:
        out.append(_CODE_NULL)
        return
    data = value.encode("utf-8")
    out += _STR_HEAD.pack(_CODE_STRING, len(data))
    out += data


def read_str(buf: Buffer, pos: int) -> tuple[str | None, int]:
    """Read a typed string or null; return ``(value, next_pos)``."""
    check_len(buf, pos, 1)
    code = buf[pos]
    if code == _CODE_NULL:
        return None, pos + 1
    if code != _CODE_STRING:
        raise ParseError(f"expected a string (type code 9), got type code {code}", offset=pos)
    check_len(buf, pos + 1, 4)
    n = _I32.unpack_from(buf, pos + 1)[0]
    start = pos + 5
    check_len(buf, start, n)
    return decode_utf8(buf[start : start + n]), start + n


def write_byte_array(out: bytearray, value: bytes | bytearray | memoryview | None) -> None:
    """Append a typed byte array (``0C i32 len bytes``) or ``101`` for ``None``."""
    if value is None:
        out.append(_CODE_NULL)
        return
    out += _STR_HEAD.pack(_CODE_BYTE_ARR, len(value))
    out += value


def read_byte_array(buf: Buffer, pos: int) -> tuple[bytes | None, int]:
    """Read a typed byte array or null; return ``(value, next_pos)``."""
    check_len(buf, pos, 1)
    code = buf[pos]
    if code == _CODE_NULL:
        return None, pos + 1
    if code != _CODE_BYTE_ARR:
        raise ParseError(f"expected a byte array (type code 12), got type code {code}", offset=pos)
    check_len(buf, pos + 1, 4)
    n = _I32.unpack_from(buf, pos + 1)[0]
    start = pos + 5
    check_len(buf, start, n)
    return bytes(buf[start : start + n]), start + n


def pack_uuid(value: UUID) -> bytes:
    """The 16 payload bytes of a UUID: msb then lsb, each a little-endian i64 (Java order)."""
    i = value.int
    msb = i >> 64
    lsb = i & 0xFFFFFFFFFFFFFFFF
    return _UUID_HALVES.pack(
        msb - (1 << 64) if msb >> 63 else msb, lsb - (1 << 64) if lsb >> 63 else lsb
    )


def unpack_uuid(buf: Buffer, pos: int) -> UUID:
    """Read the 16 payload bytes of a UUID at ``pos`` (no type code)."""
    check_len(buf, pos, 16)
    msb, lsb = _UUID_HALVES.unpack_from(buf, pos)
    return UUID(int=((msb & 0xFFFFFFFFFFFFFFFF) << 64) | (lsb & 0xFFFFFFFFFFFFFFFF))


def write_uuid(out: bytearray, value: UUID | None) -> None:
    """Append a typed UUID (``0A`` + msb + lsb) or ``101`` for ``None``."""
    if value is None:
        out.append(_CODE_NULL)
        return
    out.append(_CODE_UUID)
    out += pack_uuid(value)


def read_uuid(buf: Buffer, pos: int) -> tuple[UUID | None, int]:
    """Read a typed UUID or null; return ``(value, next_pos)``."""
    check_len(buf, pos, 1)
    code = buf[pos]
    if code == _CODE_NULL:
        return None, pos + 1
    if code != _CODE_UUID:
        raise ParseError(f"expected a UUID (type code 10), got type code {code}", offset=pos)
    return unpack_uuid(buf, pos + 1), pos + 17
