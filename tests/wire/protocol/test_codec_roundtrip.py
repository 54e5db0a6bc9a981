"""decode(encode(x)) == x for every Ignite type, with the documented normalisations."""

from __future__ import annotations

import math
from collections import OrderedDict
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import I32, NESTED, typed_values

from ignite_wire import datatypes as dt
from ignite_wire._protocol.codec import (
    BinaryEnumValue,
    CodecContext,
    NanoDatetime,
    decode_rows,
    decode_value,
    decode_values,
    encode_value,
)
from ignite_wire.exceptions import EncodeError


def roundtrip(value: Any, hint: Any = None) -> Any:
    ctx = CodecContext()
    data = encode_value(value, hint, ctx=ctx)
    decoded, end = decode_value(data, 0, ctx)
    assert end == len(data)
    # Trailing bytes do not change the value, and the offset may be anywhere.
    again, end2 = decode_value(b"\x00\x01" + data + b"\xff", 2, CodecContext())
    assert end2 == len(data) + 2
    assert same(again, decoded)
    return decoded


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return (bool(a == b) and type(a) is type(b)) or (a == b and isinstance(a, type(b)))


@settings(max_examples=200)
@given(typed_values())
def test_typed_roundtrip(case: tuple[Any, Any, Any]) -> None:
    value, hint, expected = case
    decoded = roundtrip(value, hint)
    if hint is dt.CharArrayObject:
        assert decoded == list(expected)
    else:
        assert decoded == expected
    if isinstance(expected, Decimal):
        assert decoded.as_tuple() == expected.as_tuple()  # exact scale, not just equal


@settings(max_examples=150)
@given(NESTED)
def test_nested_default_rules_roundtrip(value: Any) -> None:
    decoded = roundtrip(value)
    assert decoded == value
    assert type(decoded) is type(value)


def test_decimal_scale_is_exact() -> None:
    for text in ["1.50", "-1.50", "0.000", "1E+3", "-12345678901234567890.0000001", "128", "-128"]:
        decoded = roundtrip(Decimal(text))
        assert decoded.as_tuple() == Decimal(text).as_tuple()
    assert str(roundtrip(Decimal("-0.00"))) == "0.00"


def test_timestamp_nanoseconds_roundtrip() -> None:
    base = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)
    ts = NanoDatetime.from_datetime(base, 789)
    decoded = roundtrip(ts)
    assert isinstance(decoded, NanoDatetime)
    assert decoded.nanosecond == 123_456_789
    # pyignite's (datetime, nanos within ms) form
    decoded = roundtrip((datetime(2024, 1, 1, 0, 0, 0, 5000), 999_999), dt.TimestampObject)
    assert decoded.microsecond == 5999
    assert decoded.extra_nanos == 999


def test_naive_and_aware_datetimes() -> None:
    naive = datetime(2024, 1, 1, 12, 0)
    assert roundtrip(naive) == naive.replace(tzinfo=timezone.utc)
    from datetime import timedelta

    plus2 = timezone(timedelta(hours=2))
    aware = datetime(2024, 1, 1, 14, 0, tzinfo=plus2)
    assert roundtrip(aware) == naive.replace(tzinfo=timezone.utc)
    assert roundtrip(aware).tzinfo == timezone.utc


@pytest.mark.parametrize(
    ("value", "hint", "expected"),
    [
        ((1, [1, 2]), dt.CollectionObject, [1, 2]),
        ((3, [1, 2]), dt.CollectionObject, {1, 2}),
        ([1, "a"], dt.CollectionObject, [1, "a"]),
        ((1, {1: "a"}), dt.MapObject, {1: "a"}),
        ((2, {1: "a"}), dt.MapObject, OrderedDict([(1, "a")])),
        ((-1, [1, "x"]), dt.ObjectArrayObject, [1, "x"]),
        ([1, None], dt.ObjectArrayObject, [1, None]),
        ((123, 4), dt.BinaryEnumObject, BinaryEnumValue(123, 4)),
        ((123, 4), dt.EnumObject, BinaryEnumValue(123, 4)),
        ([(5, 1), (5, 2)], dt.EnumArrayObject, [BinaryEnumValue(5, 1), BinaryEnumValue(5, 2)]),
        (None, dt.IntObject, None),
        (None, dt.Null, None),
    ],
)
def test_pyignite_forms(value: Any, hint: Any, expected: Any) -> None:
    decoded = roundtrip(value, hint)
    assert decoded == expected
    assert type(decoded) is type(expected)


def test_hint_pairs_anywhere() -> None:
    ctx = CodecContext()
    data = encode_value({"a": [(1, dt.ShortObject), (2, dt.IntObject)]}, ctx=ctx)
    # the short and the int keep their widths on the wire
    assert bytes([2, 1, 0]) in data
    assert bytes([3, 2, 0, 0, 0]) in data
    assert decode_value(data, 0, ctx)[0] == {"a": [1, 2]}


@given(st.lists(I32, min_size=1, max_size=30))
def test_decode_values_and_rows(values: list[int]) -> None:
    ctx = CodecContext()
    data = b"".join(encode_value(v, dt.IntObject, ctx=ctx) for v in values)
    assert decode_values(data, 0, len(values), ctx) == (values, len(data))
    rows, end = decode_rows(data, 0, len(values), 1, ctx)
    assert rows == [[v] for v in values]
    assert end == len(data)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (1 << 63, None),
        (-(1 << 63) - 1, None),
        (70000, dt.ShortObject),
        (128, dt.ByteObject),
        (1 << 31, dt.IntObject),
        ("ab", dt.CharObject),
        ("\U0001f600", dt.CharObject),
        (1.0, dt.IntObject),
        (1e300, dt.FloatObject),
        ((1, 2), None),
        ((1, 2, 3), None),
        (object(), None),
        ("\ud800", None),
        (Decimal("NaN"), None),
        ([1, [2, 1 << 64]], None),
        ([70000], dt.ShortArrayObject),
        ([1.5], dt.IntArrayObject),
        ([1, "x"], dt.BoolArrayObject),
        ("x", dt.MapObject),
        (5, dt.BinaryObject),
    ],
)
def test_unencodable_values(value: Any, hint: Any) -> None:
    with pytest.raises(EncodeError):
        encode_value(value, hint, ctx=CodecContext())


def test_error_path() -> None:
    with pytest.raises(EncodeError) as info:
        encode_value({"k": [1, 2, (70000, dt.ShortObject)]}, ctx=CodecContext())
    assert info.value.path == "['k'][2]"


def test_cyclic_value_is_an_error() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(EncodeError):
        encode_value(loop, ctx=CodecContext())


def test_registered_python_enum() -> None:
    import enum

    class Color(enum.Enum):
        RED = "r"
        GREEN = "g"

    ctx = CodecContext()
    with pytest.raises(EncodeError):
        encode_value(Color.GREEN, ctx=ctx)
    bt = ctx.registry.register_enum(Color)
    data = encode_value(Color.GREEN, ctx=ctx)
    assert ctx.take_pending() == [bt]
    assert data[0] == 38
    assert decode_value(data, 0, ctx)[0] is Color.GREEN
