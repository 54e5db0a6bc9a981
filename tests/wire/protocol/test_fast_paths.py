"""The fast decoding paths give exactly what the straightforward ones gave (issue 12).

Each fast path is checked against a reference kept here: the code it replaced.
"""

from __future__ import annotations

import struct
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ignite_wire._protocol import readers
from ignite_wire._protocol.codec import CodecContext, decode_value, encode_value


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
    fast, end = readers._r_decimal(buf, 0, CodecContext())
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
