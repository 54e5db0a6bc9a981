"""buffer.read_count: the one guard on claimed counts and lengths (issue 11, item 2).

It replaced four guards (binary type metadata, query entities, the value readers, the
partition map); these tests pin its contract, the callers' own tests pin their use.
"""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_wire._protocol.binary_types import decode_binary_type
from ignite_wire._protocol.buffer import read_count
from ignite_wire._protocol.codec import CodecContext, decode_value
from ignite_wire.exceptions import ParseError


def test_a_count_the_bytes_can_hold_is_read() -> None:
    buf = b"\xaa" + struct.pack("<i", 3) + b"\x00" * 6
    assert read_count(buf, 1, "thing", 2) == (3, 5)
    assert read_count(memoryview(buf), 1, "thing", 2) == (3, 5)


@pytest.mark.parametrize(
    ("buf", "kwargs", "message"),
    [
        (struct.pack("<i", -1), {}, "negative thing count -1"),
        (struct.pack("<i", 3) + b"\x00" * 5, {"item_size": 2}, "thing count 3 exceeds the 5"),
        (struct.pack("<i", 2) + b"\x00" * 8, {"item_size": 4, "limit": 1}, "maximum 1"),
        (b"\x01\x00", {}, "thing count: need 4 bytes, 2 remain"),
    ],
)
def test_a_bad_count_names_what_and_where(buf: bytes, kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ParseError, match=message) as info:
        read_count(b"xy" + buf, 2, "thing", **kwargs)
    assert info.value.offset == 2


@given(st.binary(max_size=40), st.integers(0, 44), st.integers(1, 16))
def test_a_count_is_never_more_than_the_remaining_bytes_hold(
    buf: bytes, pos: int, item_size: int
) -> None:
    error: ParseError | None = None
    try:
        n, after = read_count(buf, pos, "thing", item_size)
    except ParseError as exc:
        error = exc
    if error is not None:
        assert error.offset == pos
    else:
        assert after == pos + 4
        assert 0 <= n * item_size <= len(buf) - after


def test_the_value_readers_use_it() -> None:
    # an int array (14) claiming 5 elements with 8 bytes after the count
    with pytest.raises(ParseError, match="int array element count 5 exceeds the 8") as info:
        decode_value(b"\x0e" + struct.pack("<i", 5) + b"\x00" * 8, 0, CodecContext())
    assert info.value.offset == 1


def test_binary_type_metadata_uses_it() -> None:
    # type id, null name, null affinity field, then a field count of 1000 with 0 bytes left
    buf = struct.pack("<i", 7) + b"\x65\x65" + struct.pack("<i", 1000)
    with pytest.raises(ParseError, match="binary type field count 1000") as info:
        decode_binary_type(buf, 0)
    assert info.value.offset == 6
