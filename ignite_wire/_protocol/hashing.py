"""Java-exact hash codes: strings, ids, schema ids, binary-object hashes, key hashes.

Everything here reproduces a Java computation bit for bit (protocol reference sections 3
and 5) and returns a *signed* int32, as Java would.

* ``String.hashCode`` folds UTF-16 code units: ``h = 31*h + unit`` from ``h = 0``.  A
  non-BMP character is two units (a surrogate pair), so ``"a\\U0001F600"`` hashes to
  1866116 as in Java; folding code points (pyignite) gives 131519.
* Type and field ids (``BinaryBasicIdMapper``, lower-case mode) lower-case each UTF-16
  unit with Java's ``Character.toLowerCase`` (simple case mapping, one unit in, one unit
  out; surrogates unchanged) and then hash.  Python's ``str.lower`` differs: it uses full
  case mapping ("İ" -> "i̇"), final-sigma context, and lower-cases non-BMP letters.
* A cache id is ``cacheName.hashCode()`` *without* lower-casing.
* A schema id is FNV-1 over the field ids, low byte first; 0 when there are no fields.
* A binary object's header hash is ``h = 31*h + signed byte`` from ``h = 1`` over the
  field and raw data (``BinaryArrayIdentityResolver``).

Speed: folding bytes one at a time in Python costs ~150 ns per byte.  The fold is a
polynomial evaluated at 31, so :func:`bytes_hash` writes each byte ``b ^ 0x80`` (the
signed value plus 128) as two base-31 digits ``q*31 + r`` via ``bytes.translate`` and
lets ``int(digits, 31)`` (C code) evaluate the polynomial, in chunks of 128 bytes to stay
linear and under ``sys.int_info.str_digits_check_threshold``.  The +128 offset is removed
with a precomputed geometric sum.  It is ~15x faster than the loop (about 10 ns a byte,
two digits of ~4 ns each; it dominates the encoding of string-heavy objects) and is
tested against the loop with hypothesis.  When the optional compiled module
(``_rows_accel.c``, built at install when a C compiler is present; ``IGNITE_WIRE_PURE=1``
ignores it) imports, :func:`bytes_hash` and :func:`bytes_hash_u32` *are* its functions
(no Python layer in between, well under 1 ns a byte); :func:`bytes_hash_pure` and
:func:`bytes_hash_u32_pure` stay the fallback and what the compiled ones are tested
against (tests/wire/protocol/test_hash_accel.py).
"""

from __future__ import annotations

import math
import struct
from array import array
from collections.abc import Iterable
from datetime import date, datetime, time, timezone
from decimal import Decimal
from operator import mul
from typing import Final
from uuid import UUID

__all__ = [
    "HASH_ACCELERATED",
    "bool_hash",
    "bytes_hash",
    "bytes_hash_of",
    "bytes_hash_pure",
    "bytes_hash_reference",
    "bytes_hash_u32",
    "bytes_hash_u32_pure",
    "cache_id",
    "date_hash",
    "decimal_hash",
    "double_hash",
    "enum_hash",
    "field_id",
    "float_hash",
    "java_lower",
    "long_hash",
    "schema_id",
    "string_hash",
    "timestamp_hash",
    "to_int32",
    "type_id",
    "uuid_hash",
]

_M32: Final = 0xFFFFFFFF
#: Digits per ``int(digits, 31)`` call: CPython's conversion from a non-power-of-two base
#: is quadratic, and about 128 digits is where a call costs least per digit.
_CHUNK: Final = 128
_DIGITS: Final = b"0123456789abcdefghijklmnopqrstu"
# Signed bytes: digits of (b ^ 0x80) = signed(b) + 128, split as q*31 + r.
_SIGNED_R: Final = bytes(_DIGITS[(b ^ 0x80) % 31] for b in range(256))
_SIGNED_Q: Final = bytes(_DIGITS[(b ^ 0x80) // 31] for b in range(256))
# Unsigned bytes (ASCII string units).
_UNSIGNED_R: Final = bytes(_DIGITS[b % 31] for b in range(256))
_UNSIGNED_Q: Final = bytes(_DIGITS[b // 31] for b in range(256))

_pow31: list[int] = [1]  # 31**k mod 2**32
_geo31: list[int] = [0]  # sum(31**j for j < k) mod 2**32


def _grow(n: int) -> None:
    pw, geo = _pow31, _geo31
    while len(pw) <= n:
        geo.append((geo[-1] + pw[-1]) & _M32)
        pw.append((pw[-1] * 31) & _M32)


_grow(4 * _CHUNK)
_POW_CHUNK: Final = _pow31[_CHUNK]
#: ``31**n - 128 * (31**(n-1) + ... + 1)`` mod 2**32: the start value ``h = 1`` carried
#: through ``n`` bytes, minus the +128 offset of every byte's digits (see the module doc).
_FOLD_BASE: Final = tuple((_pow31[n] - 128 * _geo31[n]) & _M32 for n in range(len(_pow31)))


#: What each further chunk adds besides its digits: minus its +128 offsets.
_CHUNK_BASE: Final = (-128 * _geo31[_CHUNK]) & _M32


def to_int32(v: int) -> int:
    """Wrap an int to a signed 32-bit value, as a Java ``(int)`` cast does."""
    v &= _M32
    return v - 0x100000000 if v & 0x80000000 else v


def _poly31(data: bytes | bytearray, tr: bytes, tq: bytes) -> int:
    """``sum(digit_i * 31**(n-1-i))`` mod 2**32 for the bytes mapped through tr/tq."""
    n = len(data)
    r = data.translate(tr)
    q = data.translate(tq)
    if n <= _CHUNK:
        return (int(r, 31) + 31 * int(q, 31)) & _M32 if n else 0
    # Horner over chunks of _CHUNK digits; the first chunk takes the remainder.
    s = n % _CHUNK or _CHUNK
    v = int(r[:s], 31) + 31 * int(q[:s], 31)
    pc = _POW_CHUNK
    for e in range(s + _CHUNK, n + 1, _CHUNK):
        v = (v * pc + int(r[s:e], 31) + 31 * int(q[s:e], 31)) & _M32
        s = e
    return v


def bytes_hash_u32_pure(data: bytes | bytearray) -> int:
    """:func:`bytes_hash` of all of ``data`` as an *unsigned* 32-bit value (no copy)."""
    n = len(data)
    if not n:
        return 1
    r = data.translate(_SIGNED_R)
    q = data.translate(_SIGNED_Q)
    if n <= _CHUNK:
        return (_FOLD_BASE[n] + int(r, 31) + 31 * int(q, 31)) & _M32
    # Horner over chunks of _CHUNK digits; the first chunk takes the remainder and the
    # start value h = 1.
    s = n % _CHUNK or _CHUNK
    v = _FOLD_BASE[s] + int(r[:s], 31) + 31 * int(q[:s], 31)
    pc, base = _POW_CHUNK, _CHUNK_BASE
    for e in range(s + _CHUNK, n + 1, _CHUNK):
        v = (v * pc + int(r[s:e], 31) + 31 * int(q[s:e], 31) + base) & _M32
        s = e
    return v & _M32


def bytes_hash_pure(
    data: bytes | bytearray | memoryview, start: int = 0, end: int | None = None
) -> int:
    """Java ``h = 31*h + b`` over signed bytes ``data[start:end]`` from ``h = 1``.

    This is the complex-object header hash (``BinaryArrayIdentityResolver``).
    """
    v = bytes_hash_u32_pure(bytes(data[start:end]))
    return v - ((v >> 31) << 32)


try:
    from ._rows_accel import bytes_hash, bytes_hash_u32
except ImportError:  # not built (no C compiler at install), or IGNITE_WIRE_PURE=1
    bytes_hash = bytes_hash_pure
    bytes_hash_u32 = bytes_hash_u32_pure

#: Whether :func:`bytes_hash` and :func:`bytes_hash_u32` are the compiled ones.
HASH_ACCELERATED: Final = bytes_hash is not bytes_hash_pure

#: :func:`bytes_hash` of a whole ``bytes`` object (kept as a name; it is the same call).
bytes_hash_of: Final = bytes_hash


def bytes_hash_reference(data: bytes | bytearray | memoryview) -> int:
    """The obvious byte-at-a-time fold, kept to test :func:`bytes_hash` against."""
    h = 1
    for b in bytes(data):
        h = (31 * h + (b - 256 if b > 127 else b)) & _M32
    return to_int32(h)


def string_hash(s: str) -> int:
    """Java ``String.hashCode()``: fold UTF-16 code units from ``h = 0``."""
    if s.isascii():
        return to_int32(_poly31(s.encode("ascii"), _UNSIGNED_R, _UNSIGNED_Q))
    units = array("H", s.encode("utf-16-le", "surrogatepass"))
    n = len(units)
    if n < 24:
        h = 0
        for u in units:
            h = (31 * h + u) & _M32
        return to_int32(h)
    if n >= len(_pow31):
        _grow(n)
    units.reverse()
    return to_int32(sum(map(mul, units, _pow31)))


_lower_table: dict[int, int] | None = None


def _lower_map() -> dict[int, int]:
    """Code unit -> Java ``Character.toLowerCase`` for the BMP units where it differs."""
    global _lower_table
    if _lower_table is None:
        table: dict[int, int] = {}
        for c in range(0x10000):
            if 0xD800 <= c <= 0xDFFF:
                continue  # surrogates are returned unchanged by Java
            low = chr(c).lower()
            # Java maps one unit to one unit (simple case mapping); Python's full mapping
            # only expands U+0130 ("İ" -> "i" + combining dot), whose simple form is "i".
            lc = ord(low[0])
            if lc != c and lc < 0x10000:
                table[c] = lc
        _lower_table = table
    return _lower_table


def java_lower(name: str) -> str:
    """Lower-case ``name`` one UTF-16 unit at a time, as Java ``Character.toLowerCase``."""
    if name.isascii():
        return name.lower()
    # Non-BMP characters are two surrogate units in Java, which it leaves unchanged;
    # translate() only touches the BMP keys of the table, so they pass through.
    return name.translate(_lower_map())


def type_id(type_name: str) -> int:
    """The binary type id of ``type_name`` (lower-cased Java hash)."""
    return string_hash(java_lower(type_name))


def field_id(field_name: str) -> int:
    """The binary field id of ``field_name`` (lower-cased Java hash)."""
    return string_hash(java_lower(field_name))


def cache_id(cache_name: str) -> int:
    """The cache id of ``cache_name``: its Java hash, *not* lower-cased."""
    return string_hash(cache_name)


def schema_id(field_ids: Iterable[int]) -> int:
    """FNV-1 over the field ids, each as 4 bytes low first; 0 when there are none."""
    h = 0x811C9DC5
    empty = True
    for fid in field_ids:
        empty = False
        fid &= _M32
        for shift in (0, 8, 16, 24):
            h = ((h ^ ((fid >> shift) & 0xFF)) * 0x01000193) & _M32
    return 0 if empty else to_int32(h)


# -- Java hashCode() of key values (partition awareness, reference section 5) ----------


def long_hash(v: int) -> int:
    """``Long.hashCode``: ``(int)(v ^ (v >>> 32))``."""
    u = v & 0xFFFFFFFFFFFFFFFF
    return to_int32(u ^ (u >> 32))


def bool_hash(v: bool) -> int:
    """``Boolean.hashCode``: 1231 for true, 1237 for false."""
    return 1231 if v else 1237


_F32: Final = struct.Struct("<f")
_I32: Final = struct.Struct("<i")
_F64: Final = struct.Struct("<d")
_I64: Final = struct.Struct("<q")


def float_hash(v: float) -> int:
    """``Float.hashCode``: ``floatToIntBits`` (NaN canonicalised to 0x7fc00000)."""
    if math.isnan(v):
        return 0x7FC00000
    return int(_I32.unpack(_F32.pack(v))[0])


def double_hash(v: float) -> int:
    """``Double.hashCode``: fold of ``doubleToLongBits`` (NaN canonicalised)."""
    if math.isnan(v):
        return long_hash(0x7FF8000000000000)
    return long_hash(_I64.unpack(_F64.pack(v))[0])


def uuid_hash(v: UUID) -> int:
    """``UUID.hashCode``: ``x = msb ^ lsb; (int)(x >> 32) ^ (int)x``."""
    x = (v.int >> 64) ^ (v.int & 0xFFFFFFFFFFFFFFFF)
    return to_int32((x >> 32) ^ x)


_EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)


def timestamp_hash(ms: int) -> int:
    """``java.util.Date.hashCode`` (also Timestamp, Time): the long hash of epoch ms."""
    return long_hash(ms)


def date_hash(v: date | datetime | time) -> int:
    """Hash of a date/datetime/time by the codec's time rules (UTC, ms precision)."""
    if isinstance(v, datetime):
        aware = v if v.tzinfo is not None else v.replace(tzinfo=timezone.utc)
        delta = aware - _EPOCH
        ms = (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000
        return long_hash(ms)
    if isinstance(v, date):
        return long_hash((v.toordinal() - 719_163) * 86_400_000)
    ms = ((v.hour * 60 + v.minute) * 60 + v.second) * 1000 + v.microsecond // 1000
    return long_hash(ms)


def _biginteger_hash(unscaled: int) -> int:
    """``BigInteger.hashCode``: fold the magnitude's 32-bit words (big-endian) by 31."""
    if unscaled == 0:
        return 0
    mag = -unscaled if unscaled < 0 else unscaled
    words = []
    while mag:
        words.append(mag & _M32)
        mag >>= 32
    h = 0
    for w in reversed(words):
        h = (31 * h + w) & _M32
    return to_int32(-h if unscaled < 0 else h)


def decimal_hash(v: Decimal) -> int:
    """``BigDecimal.hashCode``: ``31 * unscaledValue().hashCode() + scale``."""
    sign, digits, exp = v.as_tuple()
    if not isinstance(exp, int):
        raise ValueError(f"{v} has no Java BigDecimal equivalent")
    unscaled = int("".join(map(str, digits)) or "0")
    if sign:
        unscaled = -unscaled
    return to_int32(31 * _biginteger_hash(unscaled) - exp)


def enum_hash(type_id_: int, ordinal: int) -> int:
    """``BinaryEnumObjectImpl.hashCode``: ``31 * typeId + ordinal`` (reference: belief)."""
    return to_int32(31 * type_id_ + ordinal)
