"""The fast decoding paths give exactly what the straightforward ones gave (issue 12).

Each fast path is checked against a reference kept here: the code it replaced.
"""

from __future__ import annotations

import struct
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import SCALARS

from ignite_wire._protocol import read_scalars
from ignite_wire._protocol.codec import (
    CodecContext,
    decode_rows,
    decode_value,
    decode_values,
    encode_value,
)
from ignite_wire.exceptions import ParseError


def reference_decimal(buf: bytes, pos: int) -> tuple[Decimal, int]:
    """The string round trip ``_r_decimal`` used before: slow, and obviously right."""
    scale = struct.unpack_from("<i", buf, pos)[0]
    n = struct.unpack_from("<i", buf, pos + 4)[0]
    mag = bytearray(buf[pos + 8 : pos + 8 + n])
    negative = bool(mag) and mag[0] & 0x80 != 0
    if negative:
        mag[0] &= 0x7F
    unscaled = int.from_bytes(mag, "big")
    return Decimal(f"{-unscaled if negative else unscaled}E{-scale}"), pos + 8 + n


@given(
    scale=st.integers(-(2**31), 2**31 - 1),
    magnitude=st.one_of(st.binary(max_size=40), st.binary(min_size=1600, max_size=1700)),
)
def test_decimal_decoding_matches_the_string_round_trip(scale: int, magnitude: bytes) -> None:
    """Any scale and any magnitude bytes (signs, leading zeros, -0): same digits, sign
    and exponent, not just an equal value."""
    buf = struct.pack("<ii", scale, len(magnitude)) + magnitude
    fast, end = read_scalars._r_decimal(buf, 0, CodecContext())
    slow, slow_end = reference_decimal(buf, 0)
    assert end == slow_end == len(buf)
    assert fast.as_tuple() == slow.as_tuple()


@given(
    st.decimals(allow_nan=False, allow_infinity=False).filter(
        lambda d: -(2**31) < d.as_tuple().exponent < 2**31  # type: ignore[operator]
    )
)
def test_decimal_round_trip_keeps_the_exact_form(value: Decimal) -> None:
    data = encode_value(value, ctx=CodecContext())
    decoded = decode_value(data, 0, CodecContext())[0]
    # -0 has no sign in Java's BigDecimal (a BigInteger magnitude).
    assert decoded.as_tuple() == (value.copy_abs() if value.is_zero() else value).as_tuple()


def reference_rows(buf: bytes, pos: int, rows: int, columns: int) -> list[list[Any]]:
    """Every value through the general path, row by row (what decode_rows did)."""
    if rows * columns > len(buf) - pos:
        raise ParseError(f"{rows}x{columns} values exceed the remaining bytes", offset=pos)
    ctx = CodecContext()
    out = []
    for _ in range(rows):
        row, pos = decode_values(buf, pos, columns, ctx)
        out.append(row)
    return out


@st.composite
def pages(draw: st.DrawFn) -> tuple[bytes, int, int]:
    """A SQL page body: a column signature drawn from every scalar type, then rows whose
    cells follow it, are NULL, or (rarely) are of another type than their column."""
    columns = draw(st.lists(st.sampled_from(SCALARS), min_size=1, max_size=6))
    rows = draw(st.integers(1, 6))
    ctx = CodecContext()
    body = bytearray()
    for _ in range(rows):
        for strategy, hint, _norm in columns:
            kind = draw(st.sampled_from(["value"] * 8 + ["null", "other"]))
            if kind == "null":
                body += encode_value(None, ctx=ctx)
            elif kind == "other":
                body += encode_value(draw(st.text(max_size=5) | st.integers(0, 9)), ctx=ctx)
            else:
                body += encode_value(draw(strategy), hint, ctx=ctx)
    return bytes(body), rows, len(columns)


@given(pages())
def test_generated_row_decoders_match_the_general_path(page: tuple[bytes, int, int]) -> None:
    body, rows, columns = page
    fast, end = decode_rows(body, 0, rows, columns, CodecContext())
    assert end == len(body)
    assert repr(fast) == repr(reference_rows(body, 0, rows, columns))


@given(pages(), st.data())
def test_generated_row_decoders_fail_as_the_general_path(
    page: tuple[bytes, int, int], data: st.DataObject
) -> None:
    """A truncated page: the same ParseError (message and offset) either way."""
    body, rows, columns = page
    cut = body[: data.draw(st.integers(0, len(body) - 1))]
    with pytest.raises(ParseError) as fast:
        decode_rows(cut, 0, rows, columns, CodecContext())
    with pytest.raises(ParseError) as general:
        reference_rows(cut, 0, rows, columns)
    assert (str(fast.value), fast.value.offset) == (str(general.value), general.value.offset)
