"""Java-exact hashes: known Java values and independent reference implementations."""

from __future__ import annotations

import struct
from datetime import date, datetime, timezone
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ignite_wire import datatypes as dt
from ignite_wire._protocol import hashing as h
from ignite_wire._protocol.codec import CodecContext, key_hash


def ref_string_hash(s: str) -> int:
    data = s.encode("utf-16-le", "surrogatepass")
    acc = 0
    for i in range(0, len(data), 2):
        acc = (31 * acc + int.from_bytes(data[i : i + 2], "little")) & 0xFFFFFFFF
    return acc - (1 << 32) if acc >> 31 else acc


def test_known_java_values() -> None:
    assert h.string_hash("a") == 97
    assert h.string_hash("Hello") == 69609650
    assert h.string_hash("a\U0001f600") == 1866116
    assert h.string_hash("") == 0
    assert h.long_hash(1 << 32) == 1
    assert h.bool_hash(True) == 1231
    assert h.bool_hash(False) == 1237
    assert h.double_hash(1.0) == 1072693248
    assert h.float_hash(1.0) == 0x3F800000
    assert h.cache_id("myCache") == h.string_hash("myCache")  # not lower-cased


@settings(max_examples=200)
@given(st.text())
def test_string_hash_is_utf16_fold(s: str) -> None:
    assert h.string_hash(s) == ref_string_hash(s)


@settings(max_examples=200)
@given(st.binary(max_size=2000))
def test_bytes_hash_matches_reference(data: bytes) -> None:
    assert h.bytes_hash(data) == h.bytes_hash_reference(data)
    assert h.bytes_hash_of(data) == h.bytes_hash_reference(data)


def test_bytes_hash_long_and_offsets() -> None:
    data = bytes(range(256)) * 40
    assert h.bytes_hash(data) == h.bytes_hash_reference(data)
    assert h.bytes_hash(data, 10, 900) == h.bytes_hash_reference(data[10:900])
    assert h.bytes_hash(b"") == 1


@pytest.mark.parametrize("n", [1, 127, 128, 129, 255, 256, 257, 511, 512, 513, 514, 5000])
def test_bytes_hash_at_chunk_and_table_edges(n: int) -> None:
    data = bytes((i * 131 + 7) % 256 for i in range(n))
    expected = h.bytes_hash_reference(data)
    assert h.bytes_hash_of(data) == expected
    assert h.bytes_hash_u32(bytearray(data)) == expected & 0xFFFFFFFF


def test_ids_lower_case_per_java() -> None:
    assert h.type_id("PersonKey") == h.string_hash("personkey")
    assert h.field_id("companyId") == h.string_hash("companyid")
    # U+0130 lower-cases to "i" in Java (one unit); Python's lower() gives two characters.
    assert h.type_id("\u0130") == h.string_hash("i")
    # Final sigma: Java lower-cases each unit alone.
    assert h.java_lower("\u0391\u03a3") == "\u03b1\u03c3"
    # Non-BMP letters are two surrogate units that Java leaves unchanged.
    assert h.java_lower("\U00010400") == "\U00010400"


def test_schema_id_fnv1() -> None:
    assert h.schema_id([]) == 0
    ref = 0x811C9DC5
    for b in struct.pack("<ii", 1, -2):
        ref = ((ref ^ b) * 0x01000193) & 0xFFFFFFFF
    assert h.schema_id([1, -2]) == h.to_int32(ref)


def test_uuid_date_decimal_hashes() -> None:
    u = UUID("01234567-89ab-cdef-0123-456789abcdef")
    msb, lsb = 0x0123456789ABCDEF, 0x0123456789ABCDEF
    x = msb ^ lsb
    assert h.uuid_hash(u) == h.to_int32((x >> 32) ^ x) == 0
    u2 = UUID(int=(5 << 64) | 3)
    assert h.uuid_hash(u2) == 6
    assert h.date_hash(datetime(1970, 1, 1, 0, 0, 1, tzinfo=timezone.utc)) == 1000
    assert h.date_hash(date(1970, 1, 2)) == h.long_hash(86_400_000)
    # BigDecimal("1.50"): unscaled 150, scale 2 -> 31*150 + 2
    assert h.decimal_hash(Decimal("1.50")) == 4652
    assert h.decimal_hash(Decimal("-1.5")) == 31 * -15 + 1
    # Two 32-bit words: BigInteger.hashCode folds them, high word first.
    assert h.decimal_hash(Decimal((1 << 32) + 7)) == 31 * (31 * 1 + 7)


def test_key_hash_by_hint() -> None:
    ctx = CodecContext()
    assert key_hash(5, ctx=ctx) == h.long_hash(5)
    assert key_hash(5, dt.IntObject, ctx=ctx) == 5
    assert key_hash(-5, dt.IntObject, ctx=ctx) == -5  # an int's hash, not a long's (4)
    assert key_hash(-5, ctx=ctx) == h.long_hash(-5) == 4
    assert key_hash(1 << 40, ctx=ctx) == h.long_hash(1 << 40) == 256
    assert key_hash("a", dt.CharObject, ctx=ctx) == key_hash("a", ctx=ctx) == 97
    assert key_hash("ab", ctx=ctx) == h.string_hash("ab")
    assert key_hash((-5, dt.ShortObject), ctx=ctx) == -5
    assert key_hash("a", dt.CharObject, ctx=ctx) == 97
    assert key_hash("Hello", ctx=ctx) == 69609650
    assert key_hash(True, ctx=ctx) == 1231
    assert key_hash(1.0, ctx=ctx) == 1072693248
    assert key_hash([1], ctx=ctx) is None


@given(st.integers(-(1 << 63), (1 << 63) - 1) | st.text())
def test_key_hash_of_int_and_str_keys_is_javas(key: object) -> None:
    """The unhinted int/str short cut gives ``Long.hashCode`` / ``String.hashCode``."""
    expected = h.long_hash(key) if isinstance(key, int) else ref_string_hash(str(key))
    assert key_hash(key, ctx=CodecContext()) == expected
