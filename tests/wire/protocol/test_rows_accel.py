"""The compiled SQL page decoder gives exactly what the pure-Python one gives (issue 12).

``_rows_accel.c`` decodes the happy path of the common scalar types and hands everything
else to the pure path's ``decode_values``.  These tests run both decoders on the same
bytes: well-formed pages of every scalar type, pages with hostile cells (random lengths,
nanoseconds, magnitudes, bytes that are not UTF-8), truncated pages and random bytes.
Values must be identical, types included; errors must be the same type, message and
offset; nothing may crash.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import SCALARS

from ignite_wire._protocol import rows
from ignite_wire._protocol.codec import CodecContext, decode_values, encode_value
from ignite_wire.exceptions import ParseError

I32 = struct.Struct("<i")


def outcome(decode: Any, body: bytes, count: int, columns: int) -> tuple[Any, ...]:
    """What one decoder makes of a page: its rows (each value with its exact type, and a
    UUID's is_safe) and end, or its error."""
    try:
        result, end = decode(body, 0, count, columns, CodecContext(), decode_values)
    except Exception as e:
        return ("error", type(e), str(e), getattr(e, "offset", None))
    return (
        "rows",
        [
            [(type(v), repr(v), v.is_safe if isinstance(v, UUID) else None) for v in row]
            for row in result
        ],
        end,
    )


def assert_same(body: bytes, count: int, columns: int) -> tuple[Any, ...]:
    # decode_rows checks the claimed size first, for both paths.
    if count * max(columns, 1) > len(body):
        return ()
    compiled = outcome(rows.decode_rows_fast, body, count, columns)
    pure = outcome(rows.decode_rows_pure, body, count, columns)
    assert compiled == pure
    return compiled


# -- cells -----------------------------------------------------------------------------------


def _raw(code: int, payload: bytes) -> bytes:
    return bytes([code]) + payload


#: Cells built by hand: the edges the encoder never writes.
HOSTILE = st.one_of(
    # Timestamps with any milliseconds and nanoseconds (sub-microsecond, negative, huge).
    st.builds(
        lambda ms, ns: _raw(33, struct.pack("<qi", ms, ns)),
        st.integers(-(2**63), 2**63 - 1) | st.integers(-(10**14), 3 * 10**14),
        st.integers(-(2**31), 2**31 - 1) | st.integers(0, 999_999),
    ),
    st.builds(
        lambda ms: _raw(11, struct.pack("<q", ms)),
        st.integers(-(2**63), 2**63 - 1) | st.integers(-(10**14), 3 * 10**14),
    ),
    # Times in and out of one day (a timedelta outside).
    st.builds(
        lambda ms: _raw(36, struct.pack("<q", ms)),
        st.integers(-(2**63), 2**63 - 1) | st.integers(-1, 86_400_000),
    ),
    # Decimals with any scale, magnitudes of 0..12 bytes, sometimes a lying length.
    st.builds(
        lambda scale, mag, lie: _raw(30, struct.pack("<ii", scale, lie or len(mag)) + mag),
        st.integers(-(2**31), 2**31 - 1),
        st.binary(max_size=12),
        st.sampled_from([None] * 6 + [-1, 9, 2**31 - 1]),
    ),
    # Strings of any bytes (bad UTF-8 is repaired by the pure path) or a lying length.
    st.builds(
        lambda raw, lie: _raw(9, I32.pack(len(raw) if lie is None else lie) + raw),
        st.binary(max_size=12),
        st.sampled_from([None] * 6 + [-1, 13, 2**31 - 1]),
    ),
    # Any type code followed by a few bytes (arrays, objects, codes that do not exist).
    st.builds(_raw, st.integers(0, 255), st.binary(max_size=20)),
)


@st.composite
def cells(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["scalar"] * 6 + ["null", "hostile"]))
    if kind == "null":
        return bytes([101])
    if kind == "hostile":
        return draw(HOSTILE)
    strategy, hint, _norm = draw(st.sampled_from(SCALARS))
    return encode_value(draw(strategy), hint, ctx=CodecContext())


@st.composite
def pages(draw: st.DrawFn, hostile: bool) -> tuple[bytes, int, int]:
    """A page of rows x columns: each column keeps its type (the common case) and, when
    ``hostile``, any cell may instead be NULL or a hand-built edge."""
    columns = draw(st.integers(0 if hostile else 1, 6))
    count = draw(st.integers(0, 6))
    types = [draw(st.sampled_from(SCALARS)) for _ in range(columns)]
    body = bytearray()
    for _ in range(count):
        for strategy, hint, _norm in types:
            if hostile and draw(st.booleans()):
                body += draw(cells())
            else:
                body += encode_value(draw(strategy), hint, ctx=CodecContext())
    return bytes(body), count, columns


# -- the tests -------------------------------------------------------------------------------


def test_the_accelerator_is_built_and_used() -> None:
    """The package is installed with it here (a C compiler is present on every machine
    the suite runs on), so a broken build fails here instead of going unnoticed.  (The
    pure path needs no run of its own under IGNITE_WIRE_PURE=1: every test below calls
    it directly, beside the compiled one.)"""
    assert rows.ACCELERATED
    assert rows.accel_rows is not None


def test_ignite_wire_pure_forces_the_pure_path() -> None:
    code = (
        "from ignite_wire._protocol import rows, codec;"
        "print(rows.ACCELERATED, codec.decode_rows(b'\\x03\\x07\\0\\0\\0', 0, 1, 1,"
        " codec.CodecContext()))"
    )
    for pure, expected in (("1", "False ([[7]], 5)"), ("", "True ([[7]], 5)")):
        env = {**os.environ, "IGNITE_WIRE_PURE": pure}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
        )
        assert out.stdout.strip() == expected, out.stderr


@given(pages(hostile=False))
def test_pages_decode_to_the_same_values(page: tuple[bytes, int, int]) -> None:
    body, count, columns = page
    assert assert_same(body, count, columns)[:1] == ("rows",)


@given(pages(hostile=True))
def test_pages_with_hostile_cells_give_the_same_values_or_error(
    page: tuple[bytes, int, int],
) -> None:
    assert_same(*page)


@given(pages(hostile=True), st.data())
def test_truncated_pages_fail_alike(page: tuple[bytes, int, int], data: st.DataObject) -> None:
    body, count, columns = page
    cut = body[: data.draw(st.integers(0, max(len(body) - 1, 0)))]
    assert_same(cut, count, columns)


@given(st.binary(max_size=200), st.integers(0, 40), st.integers(0, 8))
def test_random_bytes_fail_alike(body: bytes, count: int, columns: int) -> None:
    assert_same(body, count, columns)


def test_a_page_in_a_memoryview_and_a_bytearray() -> None:
    body = encode_value(7, ctx=CodecContext()) + encode_value("é", ctx=CodecContext())
    for buf in (bytearray(body), memoryview(body)):
        assert rows.decode_rows_fast(buf, 0, 1, 2, CodecContext(), decode_values) == (
            [[7, "é"]],
            len(body),
        )


def test_the_compiled_decoder_checks_its_own_bounds() -> None:
    """Called directly with claims the bytes cannot hold: a typed error, no crash."""
    accel = rows.accel_rows
    assert accel is not None
    for pos, count, columns in ((-1, 1, 1), (9, 1, 1), (0, 2, 3), (0, -1, 1), (0, 1, -1)):
        with pytest.raises(ValueError, match="exceed"):
            accel(b"\x65" * 5, pos, count, columns, lambda b, p, n: ([None] * n, p + n))


def test_the_general_decoders_answer_is_checked() -> None:
    """A fallback that returns nonsense is an error, not a read out of bounds."""
    accel = rows.accel_rows
    assert accel is not None
    for answer in (None, ([1], 0), ([1], 99), ([1, 2], 2), ((1,), 2)):
        with pytest.raises(SystemError, match="general decoder"):
            accel(b"\x7f\x7f", 0, 1, 1, lambda b, p, n, a=answer: a)


def test_errors_name_the_offset() -> None:
    """The error of a bad cell in the middle of a page is the pure path's, offset too."""
    good = encode_value(1, ctx=CodecContext())
    bad = bytes([33]) + struct.pack("<qi", 0, -5)  # negative nanoseconds
    outcome_ = assert_same(good * 3 + bad, 2, 2)
    assert outcome_[:2] == ("error", ParseError)
    assert outcome_[3] == 3 * len(good) + 1
