"""``codec.write_pairs`` (the ``put_all`` body): the bytes and errors of ``write_value``
applied to each key and each value, in order."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import typed_values

from ignite_wire import datatypes as dt
from ignite_wire._protocol.codec import CodecContext, write_pairs, write_value
from ignite_wire.exceptions import EncodeError

KEYS = st.integers(-(1 << 63), (1 << 63) - 1) | st.text(max_size=10) | st.uuids()
VALUES = typed_values().map(lambda t: t[0] if t[1] is None else (t[0], t[1]))


@given(st.lists(st.tuples(KEYS, VALUES), max_size=8))
def test_write_pairs_writes_what_write_value_writes(pairs: list[tuple[Any, Any]]) -> None:
    one = bytearray(b"head")
    assert write_pairs(one, pairs, CodecContext()) == len(pairs)
    other = bytearray(b"head")
    ctx = CodecContext()
    for key, value in pairs:
        write_value(other, key, ctx=ctx)
        write_value(other, value, ctx=ctx)
    assert one == other


def _write_each(pairs: list[tuple[Any, Any]]) -> None:
    ctx = CodecContext()
    for key, value in pairs:
        write_value(bytearray(), key, ctx=ctx)
        write_value(bytearray(), value, ctx=ctx)


def test_write_pairs_errors_are_write_values() -> None:
    class Odd:
        pass

    class Weird(str):  # a low-level error inside a writer (TypeError)
        def encode(self, *args: Any) -> bytes:
            raise TypeError("no bytes today")

    for bad in (
        [(1, Odd())],
        [(1, 2), (Odd(), 3)],
        [(1, (1 << 40, dt.IntObject))],
        [(1, "a"), (2, Weird("b"))],
        [(Weird("k"), 1)],
    ):
        with pytest.raises(EncodeError) as mine:
            write_pairs(bytearray(), bad, CodecContext())
        with pytest.raises(EncodeError) as theirs:
            _write_each(bad)
        assert str(mine.value) == str(theirs.value)
        assert mine.value.path == theirs.value.path
    with pytest.raises(EncodeError, match="cannot encode Weird: no bytes today"):
        write_pairs(bytearray(), [(1, Weird("b"))], CodecContext())
