"""Golden bytes, written out by hand from the protocol reference (section 3)."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, time, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from ignite_wire import datatypes as dt
from ignite_wire._protocol import hashing as h
from ignite_wire._protocol.codec import CodecContext, decode_value, encode_value
from ignite_wire.binary import GenericObjectMeta

CASES: list[tuple[Any, Any, str]] = [
    (None, None, "65"),
    (True, None, "08 01"),
    (1, None, "04 0100000000000000"),
    (-2, dt.IntObject, "03 feffffff"),
    (7, dt.ShortObject, "02 0700"),
    (-1, dt.ByteObject, "01 ff"),
    ("A", dt.CharObject, "07 4100"),
    (1.0, dt.FloatObject, "05 0000803f"),
    (1.0, None, "06 000000000000f03f"),
    ("hé", None, "09 03000000 68c3a9"),
    (b"\x01\x02", None, "0c 02000000 0102"),
    (
        UUID("00010203-0405-0607-0809-0a0b0c0d0e0f"),
        None,
        "0a 0706050403020100 0f0e0d0c0b0a0908",
    ),
    (
        datetime(1970, 1, 1, 0, 0, 1, 2003, tzinfo=timezone.utc),
        None,
        "21 ea03000000000000 b80b0000",
    ),
    (datetime(1970, 1, 1, 0, 0, 1, tzinfo=timezone.utc), dt.DateObject, "0b e803000000000000"),
    (time(0, 0, 1), None, "24 e803000000000000"),
    # 150 = 0x96 has its top bit set: BigInteger.toByteArray() prepends a zero byte.
    (Decimal("1.50"), None, "1e 02000000 02000000 0096"),
    (Decimal("-1.50"), None, "1e 02000000 02000000 8096"),
    (Decimal("-1"), None, "1e 00000000 01000000 81"),
    (Decimal("128"), None, "1e 00000000 02000000 0080"),
    ([1], None, "18 01000000 01 04 0100000000000000"),
    ({2}, None, "18 01000000 03 04 0200000000000000"),
    ({1: None}, None, "19 01000000 01 04 0100000000000000 65"),
    ([1, 2], dt.IntArrayObject, "0e 02000000 01000000 02000000"),
    (["a", None], dt.StringArrayObject, "14 02000000 09 01000000 61 65"),
    ([1], dt.ObjectArrayObject, "17 ffffffff 01000000 04 0100000000000000"),
    ((9, 2), dt.BinaryEnumObject, "26 09000000 02000000"),
]


@pytest.mark.parametrize(("value", "hint", "hexbytes"), CASES)
def test_golden(value: Any, hint: Any, hexbytes: str) -> None:
    expected = bytes.fromhex(hexbytes.replace(" ", ""))
    ctx = CodecContext()
    assert encode_value(value, hint, ctx=ctx) == expected
    decode_value(expected, 0, ctx)  # decodable


def test_golden_complex_object() -> None:
    class Point(
        metaclass=GenericObjectMeta, type_name="Point", schema=OrderedDict([("x", dt.IntObject)])
    ):
        pass

    ctx = CodecContext()
    data = encode_value(Point(x=5), ctx=ctx)
    fields = bytes.fromhex("03 05000000".replace(" ", ""))
    header = (
        bytes([103, 1])
        + (0x01 | 0x02 | 0x08 | 0x20).to_bytes(2, "little")
        + h.type_id("Point").to_bytes(4, "little", signed=True)
        + h.bytes_hash_reference(fields).to_bytes(4, "little", signed=True)
        + (24 + 5 + 1).to_bytes(4, "little")
        + h.schema_id([h.field_id("x")]).to_bytes(4, "little", signed=True)
        + (24 + 5).to_bytes(4, "little")
    )
    assert data == header + fields + bytes([24])
    # hash from h=1 over 03 05 00 00 00
    assert h.bytes_hash_reference(fields) == ((31 + 3) * 31 + 5) * 31**3
    # full footer: field id + offset
    full = CodecContext(compact_footer=False)
    data = encode_value(Point(x=5), ctx=full)
    assert data[-5:] == h.field_id("x").to_bytes(4, "little", signed=True) + bytes([24])
    assert data[2] & 0x20 == 0
