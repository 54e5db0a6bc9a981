"""``codec.write_pairs`` (the ``put_all`` body): the bytes and errors of ``write_value``
applied to each key and each value, in order -- with its compiled loop (``_rows_accel.c``,
when built) and without; every test runs both."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import typed_values

from ignite_wire import datatypes as dt
from ignite_wire._protocol.codec import PAIRS_ACCELERATED, CodecContext, write_pairs, write_value
from ignite_wire._protocol.writers import hint_writer
from ignite_wire.exceptions import EncodeError


class Count(int):
    """An int subclass: not the inlined int key (its writer is looked up by type)."""


KEYS = (
    st.integers(-(1 << 63), (1 << 63) - 1)
    | st.sampled_from([-(1 << 63), (1 << 63) - 1, 0, -1, True, False, Count(7)])
    | st.text(max_size=10)
    | st.uuids()
)
VALUES = typed_values().map(lambda t: t[0] if t[1] is None else (t[0], t[1]))
#: write_pairs with the compiled loop first (when built), and the pure loop alone.
KINDS = [True, False] if PAIRS_ACCELERATED else [False]


@pytest.mark.parametrize("accelerated", KINDS)
@given(st.lists(st.tuples(KEYS, VALUES), max_size=8))
def test_write_pairs_writes_what_write_value_writes(
    accelerated: bool, pairs: list[tuple[Any, Any]]
) -> None:
    one = bytearray(b"head")
    assert write_pairs(one, pairs, CodecContext(), accelerated=accelerated) == len(pairs)
    other = bytearray(b"head")
    ctx = CodecContext()
    for key, value in pairs:
        write_value(other, key, ctx=ctx)
        write_value(other, value, ctx=ctx)
    assert one == other


@pytest.mark.parametrize("accelerated", KINDS)
@given(st.lists(st.tuples(KEYS, VALUES), max_size=8))
def test_write_pairs_uses_the_contexts_own_int_writer(
    accelerated: bool, pairs: list[tuple[Any, Any]]
) -> None:
    """A context whose int writer is not the default one (a table of the caller's) gets
    its int keys from that writer, as write_value does, not from the inlined LONG."""
    tables = CodecContext()
    writers = {**tables.writers, int: hint_writer(dt.IntObject)}
    mine = CodecContext(readers=tables.readers, writers=writers)
    theirs = CodecContext(readers=tables.readers, writers=writers)
    small = [
        (k & 0x7FFF if type(k) is int else k, v & 0x7FFF if type(v) is int else v) for k, v in pairs
    ]
    one, other = bytearray(), bytearray()
    write_pairs(one, small, mine, accelerated=accelerated)
    for key, value in small:
        write_value(other, key, ctx=theirs)
        write_value(other, value, ctx=theirs)
    assert one == other


def _short(v: Any) -> Any:
    """An int cut to the range of the test's INT writer (other values as they are)."""
    return v & 0x7FFF if type(v) is int else v


def _write_each(pairs: list[tuple[Any, Any]]) -> None:
    ctx = CodecContext()
    for key, value in pairs:
        write_value(bytearray(), key, ctx=ctx)
        write_value(bytearray(), value, ctx=ctx)


@pytest.mark.parametrize("accelerated", KINDS)
def test_write_pairs_errors_are_write_values(accelerated: bool) -> None:
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
        [(1, 1), (1 << 63, 2)],  # an int key beyond a Java long: not the inlined path
        [(-(1 << 63) - 1, 2)],
    ):
        with pytest.raises(EncodeError) as mine:
            write_pairs(bytearray(), bad, CodecContext(), accelerated=accelerated)
        with pytest.raises(EncodeError) as theirs:
            _write_each(bad)
        assert str(mine.value) == str(theirs.value)
        assert mine.value.path == theirs.value.path
    with pytest.raises(EncodeError, match="cannot encode Weird: no bytes today"):
        write_pairs(bytearray(), [(1, Weird("b"))], CodecContext(), accelerated=accelerated)


_HOSTILE = st.sampled_from(["list item", "no writer", "raises", "interrupt", "bad length"])


@given(
    st.lists(st.tuples(KEYS, VALUES), max_size=6),
    _HOSTILE,
    st.lists(st.tuples(KEYS, VALUES), max_size=3),
)
def test_the_compiled_loop_hands_what_it_does_not_take_to_the_pure_one(
    before: list[tuple[Any, Any]], kind: str, after: list[tuple[Any, Any]]
) -> None:
    """Hostile items in a batch (a list instead of a tuple, a value of a type with no
    writer in the table, a writer that raises, a BaseException, a 3-tuple): the compiled
    loop and the pure one leave the same bytes and return or raise the same."""

    class Odd:
        pass

    class BoomError(Exception):
        pass

    class Stop(BaseException):
        pass

    class Raising:
        pass

    def boom(out: bytearray, v: Any, ctx: CodecContext) -> None:
        out += b"partial"  # written, then the error: nothing of it may stay
        raise (Stop if kind == "interrupt" else BoomError)("no")

    hostile: Any = {
        "list item": [1, "x"],
        "no writer": (2, Odd()),
        "raises": (3, Raising()),
        "interrupt": (4, Raising()),
        "bad length": (5, "x", "y"),
    }[kind]
    pairs = [*before, hostile, *after]

    def run(accelerated: bool) -> tuple[Any, bytes]:
        tables = CodecContext()
        writers = {**tables.writers, Raising: boom}
        out = bytearray(b"head")
        ctx = CodecContext(readers=tables.readers, writers=writers)
        try:
            result: Any = write_pairs(out, pairs, ctx, accelerated=accelerated)
        except BaseException as exc:
            result = (type(exc).__name__, str(exc))
        return result, bytes(out)

    for accelerated in KINDS:
        assert run(accelerated) == run(False)


def test_the_compiled_loop_leaves_a_bytearray_with_a_view_as_the_pure_one() -> None:
    out = bytearray(b"head")
    view = memoryview(out)
    for accelerated in KINDS:
        with pytest.raises(BufferError):
            write_pairs(out, [(1, 2)], CodecContext(), accelerated=accelerated)
        assert out == b"head"
    view.release()
