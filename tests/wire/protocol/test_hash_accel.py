"""The compiled header hash gives exactly what the pure-Python one gives (issue 12).

``_rows_accel.c`` also holds ``bytes_hash`` / ``bytes_hash_u32`` (Java's
``Arrays.hashCode`` fold over signed bytes from ``h = 1``), which :mod:`.hashing` exports
in place of the pure functions when the module imports.  These tests run both on the same
random bytes, slices and buffer kinds: the results must be identical (signed for
``bytes_hash``, unsigned for ``bytes_hash_u32``), and bad arguments must fail alike.
"""

from __future__ import annotations

import os
import subprocess
import sys
from array import array
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ignite_wire._protocol import _rows_accel, hashing
from ignite_wire._protocol.codec import CodecContext, encode_value
from ignite_wire.binary import GenericObjectMeta
from ignite_wire.datatypes import IntObject, String

#: The compiled functions, untyped: the tests pass what the stub's types leave out.
c_hash: Any = _rows_accel.bytes_hash
c_u32: Any = _rows_accel.bytes_hash_u32

#: Bounds as callers may pass them: None, inside, negative, far outside.
bounds = st.one_of(st.none(), st.integers(-6000, 6000), st.sampled_from([-(2**70), 2**70]))


def test_the_compiled_hash_is_what_hashing_exports() -> None:
    """Built here (a C compiler is present wherever the suite runs), so a broken build
    fails here; and the encoders reach the C functions with no Python layer between."""
    from ignite_wire._protocol import object_encoder

    assert hashing.HASH_ACCELERATED
    assert hashing.bytes_hash is _rows_accel.bytes_hash
    assert hashing.bytes_hash_u32 is _rows_accel.bytes_hash_u32
    assert getattr(object_encoder, "bytes_hash") is _rows_accel.bytes_hash  # noqa: B009


@settings(max_examples=300)
@given(st.binary(max_size=5000), bounds, bounds)
def test_slices_hash_alike(data: bytes, start: int | None, end: int | None) -> None:
    pure = hashing.bytes_hash_pure(data, start or 0, end)
    for kind in (bytes, bytearray, memoryview):
        buf: Any = kind(data)
        assert c_hash(buf, start or 0, end) == pure
        if start is None:  # None is accepted as Python slicing accepts it
            assert c_hash(buf, None, end) == pure
    assert -(2**31) <= pure < 2**31
    assert pure == hashing.bytes_hash_reference(data[start:end])


@settings(max_examples=300)
@given(st.binary(max_size=5000))
def test_whole_buffers_hash_alike(data: bytes) -> None:
    signed = hashing.bytes_hash_pure(data)
    unsigned = hashing.bytes_hash_u32_pure(data)
    assert unsigned == signed & 0xFFFFFFFF
    for buf in (data, bytearray(data), memoryview(data)):
        assert c_hash(buf) == signed
        assert c_u32(buf) == unsigned
    assert hashing.bytes_hash_u32_pure(bytearray(data)) == unsigned


@pytest.mark.parametrize("n", [0, 1, 3, 4, 5, 7, 8, 127, 128, 129, 1023, 1024, 1025, 5000])
def test_lengths_around_the_unrolled_steps(n: int) -> None:
    data = bytes((i * 131 + 7) % 256 for i in range(n))  # every byte value, signed too
    assert c_hash(data) == hashing.bytes_hash_reference(data)
    assert c_u32(data) == hashing.bytes_hash_u32_pure(data)
    assert c_hash(b"\xff" * n) == hashing.bytes_hash_reference(b"\xff" * n)


def test_other_buffers_take_the_pure_slicing() -> None:
    """Memoryviews that are strided or of wider items slice by element, as in Python."""
    data = bytes(range(256)) * 4
    strided = memoryview(data)[::3]
    assert c_hash(strided) == hashing.bytes_hash_pure(strided)
    assert c_hash(strided, 5, -5) == hashing.bytes_hash_pure(strided, 5, -5)
    ints = memoryview(array("i", range(100)))
    assert c_hash(ints, 3, 50) == hashing.bytes_hash_pure(ints, 3, 50)
    assert c_u32(ints) == hashing.bytes_hash_u32_pure(bytes(ints))


@pytest.mark.parametrize(
    "args",
    [("text",), (b"ab", 1.5), (b"ab", 0, "1"), (bytearray(b"ab"), None, 1.0), (12,), (None,)],
)
def test_bad_arguments_fail_alike(args: tuple[Any, ...]) -> None:
    with pytest.raises(TypeError):
        hashing.bytes_hash_pure(*args)
    with pytest.raises(TypeError):
        c_hash(*args)


def test_argument_count_and_non_buffers_are_refused() -> None:
    with pytest.raises(TypeError, match="1 to 3 arguments"):
        c_hash()
    with pytest.raises(TypeError, match="1 to 3 arguments"):
        c_hash(b"", 0, 1, 2)
    with pytest.raises(TypeError):
        c_u32("text")


Tagged: Any = GenericObjectMeta("Tagged", (), {}, schema={"id": IntObject, "name": String})


def test_ignite_wire_pure_forces_the_pure_hash() -> None:
    """Both paths write the same header hash; the pure one when IGNITE_WIRE_PURE=1."""
    code = (
        "from ignite_wire._protocol import hashing, codec;"
        "from ignite_wire.binary import GenericObjectMeta;"
        "from ignite_wire.datatypes import IntObject, String;"
        "T = GenericObjectMeta('Tagged', (), {}, schema={'id': IntObject, 'name': String});"
        "print(hashing.HASH_ACCELERATED, hashing.bytes_hash(b'\\xff\\x01', 0, None),"
        " codec.encode_value(T(id=7, name='x' * 300), ctx=codec.CodecContext())[8:12].hex())"
    )
    here = encode_value(Tagged(id=7, name="x" * 300), ctx=CodecContext())[8:12].hex()
    expected_hash = hashing.bytes_hash_reference(b"\xff\x01")
    for pure, flag in (("1", "False"), ("", "True")):
        env = {**os.environ, "IGNITE_WIRE_PURE": pure}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
        )
        assert out.stdout.split() == [flag, str(expected_hash), here], out.stderr
