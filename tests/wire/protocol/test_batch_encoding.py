"""``codec.write_pairs`` (the ``put_all`` body): the bytes and errors of ``write_value``
applied to each key and each value, in order -- with its compiled loop (``_rows_accel.c``,
when built) and without; every test runs both."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import typed_values

from ignite_wire import _facade
from ignite_wire import datatypes as dt
from ignite_wire._protocol.affinity import CacheAffinity
from ignite_wire._protocol.binary_types import BinaryType, BinaryTypeRegistry
from ignite_wire._protocol.codec import (
    PAIRS_ACCELERATED,
    CodecContext,
    write_keys,
    write_pairs,
    write_value,
)
from ignite_wire._protocol.writers import _object_writer, hint_writer
from ignite_wire._routing import KeyRoute
from ignite_wire._transport.options import Address
from ignite_wire.binary import GenericObjectMeta
from ignite_wire.exceptions import EncodeError, ParameterError


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


def _flat(pairs: list[Any]) -> list[Any]:
    """``pairs`` as put_all holds them (``_facade.pairs_param``): [key, value, ...]."""
    return [x for pair in pairs for x in pair]


def _write(
    out: bytearray, pairs: list[Any], ctx: CodecContext, *, flat: bool, accelerated: bool
) -> int:
    """write_pairs of ``pairs`` (tuples), handed over flat when ``flat``."""
    items = _flat(pairs) if flat else pairs
    return write_pairs(out, items, ctx, flat=flat, accelerated=accelerated)


@pytest.mark.parametrize("flat", [False, True])
@pytest.mark.parametrize("accelerated", KINDS)
@given(st.lists(st.tuples(KEYS, VALUES), max_size=8))
def test_write_pairs_writes_what_write_value_writes(
    accelerated: bool, flat: bool, pairs: list[tuple[Any, Any]]
) -> None:
    _assert_written_as_write_value(pairs, accelerated, flat)


def _assert_written_as_write_value(
    pairs: list[tuple[Any, Any]], accelerated: bool, flat: bool
) -> None:
    one = bytearray(b"head")
    ctx = CodecContext()
    assert _write(one, pairs, ctx, flat=flat, accelerated=accelerated) == len(pairs)
    other = bytearray(b"head")
    ctx = CodecContext()
    for key, value in pairs:
        write_value(other, key, ctx=ctx)
        write_value(other, value, ctx=ctx)
    assert one == other


@pytest.mark.parametrize("flat", [False, True])
@pytest.mark.parametrize("accelerated", KINDS)
@given(st.lists(st.tuples(KEYS, VALUES), max_size=8))
def test_write_pairs_uses_the_contexts_own_int_writer(
    accelerated: bool, flat: bool, pairs: list[tuple[Any, Any]]
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
    _write(one, small, mine, flat=flat, accelerated=accelerated)
    for key, value in small:
        write_value(other, key, ctx=theirs)
        write_value(other, value, ctx=theirs)
    assert one == other


@pytest.mark.parametrize("flat", [False, True])
@pytest.mark.parametrize("accelerated", KINDS)
@given(st.lists(st.tuples(KEYS, st.binary(max_size=3000)), max_size=6))
def test_write_pairs_writes_bytes_values_as_their_writer(
    accelerated: bool, flat: bool, pairs: list[tuple[Any, bytes]]
) -> None:
    """The compiled loop writes a bytes value itself (no call of its writer, issue 12):
    the bytes write_value writes, the empty value and values over 255 bytes included."""
    _assert_written_as_write_value(list(pairs), accelerated, flat)


@pytest.mark.parametrize("accelerated", KINDS)
def test_write_pairs_calls_a_tables_own_bytes_writer(accelerated: bool) -> None:
    """A table that maps bytes to a writer of its own (pyignite's value mode does) has
    that writer called for every bytes value, compiled loop or not."""
    tables = CodecContext()
    seen: list[bytes] = []

    def writer(out: bytearray, value: Any, ctx: CodecContext) -> None:
        seen.append(value)
        out += b"<" + value + b">"

    writers = {**tables.writers, bytes: writer}
    out = bytearray()
    pairs = [(1, b"a"), (2, b""), (3, bytes(300))]
    ctx = CodecContext(readers=tables.readers, writers=writers)
    assert write_pairs(out, pairs, ctx, accelerated=accelerated) == 3
    assert seen == [b"a", b"", bytes(300)]
    assert out.count(b"<") == 3


def _short(v: Any) -> Any:
    """An int cut to the range of the test's INT writer (other values as they are)."""
    return v & 0x7FFF if type(v) is int else v


def _write_each(pairs: list[tuple[Any, Any]]) -> None:
    ctx = CodecContext()
    for key, value in pairs:
        write_value(bytearray(), key, ctx=ctx)
        write_value(bytearray(), value, ctx=ctx)


@pytest.mark.parametrize("flat", [False, True])
@pytest.mark.parametrize("accelerated", KINDS)
def test_write_pairs_errors_are_write_values(accelerated: bool, flat: bool) -> None:
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
            _write(bytearray(), bad, CodecContext(), flat=flat, accelerated=accelerated)
        with pytest.raises(EncodeError) as theirs:
            _write_each(bad)
        assert str(mine.value) == str(theirs.value)
        assert mine.value.path == theirs.value.path
    with pytest.raises(EncodeError, match="cannot encode Weird: no bytes today"):
        _write(bytearray(), [(1, Weird("b"))], CodecContext(), flat=flat, accelerated=accelerated)


@pytest.mark.parametrize("accelerated", KINDS)
def test_flat_pairs_are_a_list_of_even_length(accelerated: bool) -> None:
    """A flat batch with a key and no value is a caller's bug, not a short batch."""
    for bad in ([1, 2, 3], (1, 2)):
        with pytest.raises(ValueError, match="even length"):
            write_pairs(bytearray(), bad, CodecContext(), flat=True, accelerated=accelerated)


_HOSTILE = st.sampled_from(["list item", "no writer", "raises", "interrupt", "bad length"])


@given(
    st.lists(st.tuples(KEYS, VALUES), max_size=6),
    _HOSTILE,
    st.lists(st.tuples(KEYS, VALUES), max_size=3),
    st.booleans(),
)
def test_the_compiled_loop_hands_what_it_does_not_take_to_the_pure_one(
    before: list[tuple[Any, Any]], kind: str, after: list[tuple[Any, Any]], flat: bool
) -> None:
    """Hostile items in a batch (a list instead of a tuple, a value of a type with no
    writer in the table, a writer that raises, a BaseException, a 3-tuple): the compiled
    loop and the pure one leave the same bytes and return or raise the same.  Flat
    batches (no items to be malformed) meet the hostile keys and values."""
    if flat and kind in ("list item", "bad length"):
        kind = "no writer"

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
            result: Any = _write(out, pairs, ctx, flat=flat, accelerated=accelerated)
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


# -- put_all's batch as one flat list (_facade.pairs_param) -----------------------------


@given(st.dictionaries(KEYS, st.integers() | st.text(max_size=3) | st.none(), max_size=20))
def test_a_dict_is_flattened_alike_compiled_and_pure(d: dict[Any, Any]) -> None:
    """Keys and values in the dict's order, the very objects, by the compiled
    flat_items (when built) and by the pure form; a mapping that is not a dict, pairs
    and a generator of pairs give the same list."""
    expected = [x for pair in d.items() for x in pair]
    got = _facade.pairs_param(d, "pairs")
    assert [id(x) for x in got] == [id(x) for x in expected]
    assert [id(x) for x in _facade._flat_items_pure(d)] == [id(x) for x in expected]
    assert _facade.pairs_param(MappingProxyType(d), "pairs") == expected
    assert _facade.pairs_param(list(d.items()), "pairs") == expected
    assert _facade.pairs_param([list(p) for p in d.items()], "pairs") == expected
    assert _facade.pairs_param((p for p in d.items()), "pairs") == expected


def test_the_compiled_flattener_is_used_when_built() -> None:
    assert (_facade._flat_items is not _facade._flat_items_pure) == PAIRS_ACCELERATED


def test_what_is_not_pairs_is_refused_naming_the_item() -> None:
    for bad, where in (([(1, 2), 3], "item 1"), ([(1, 2, 3)], "item 0"), ([[1]], "item 0")):
        with pytest.raises(ParameterError, match=where):
            _facade.pairs_param(bad, "put_all(): pairs")
        with pytest.raises(ParameterError, match=where):
            _facade.pairs_param(iter(bad), "put_all(): pairs")
    for bad in (None, 5, "ab", b"ab"):
        with pytest.raises(ParameterError, match="mapping or"):
            _facade.pairs_param(bad, "put_all(): pairs")


# -- a batch's object keys are encoded once (routing, then the request) ------------------

MemoKey = GenericObjectMeta(
    "MemoKey", (), {}, type_name="MemoKey", schema=OrderedDict(id=dt.IntObject, tag=dt.String)
)
N1, N2, N3 = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)


@dataclass(eq=False)
class _Conn:
    address: Address
    node_id: uuid.UUID
    is_open: bool = True
    suspect: bool = False


def _counting(registry: BinaryTypeRegistry) -> tuple[dict[type, Any], list[Any]]:
    """A writers table whose MemoKey writer records each object it encodes."""
    written: list[Any] = []
    inner = _object_writer(MemoKey)

    def writer(out: bytearray, value: Any, ctx: CodecContext) -> None:
        written.append(value)
        inner(out, value, ctx)

    return {**CodecContext(registry).writers, MemoKey: writer}, written


def _known_registry() -> BinaryTypeRegistry:
    """A registry that already has MemoKey's type (as after the first put of one)."""
    registry = BinaryTypeRegistry()
    ctx = CodecContext(registry)
    write_value(bytearray(), MemoKey(id=0, tag=""), ctx=ctx)
    for bt in ctx.take_pending():
        registry.add_type(bt)
    return registry


def _route() -> KeyRoute[_Conn]:
    """Three nodes, 1,026 partitions (not a power of two: every key is hashed by call)."""
    conns = {n: _Conn(Address("127.0.0.1", 10800 + i), n) for i, n in enumerate((N1, N2, N3))}
    return KeyRoute(CacheAffinity(7, True, {}, (N1, N2, N3) * 342), conns, 0)


def _batch(
    items: list[Any],
    registry: BinaryTypeRegistry,
    writers: dict[type, Any],
    *,
    pairs: bool,
    flat: bool = False,
    accelerated: bool = PAIRS_ACCELERATED,
) -> tuple[list[bytes], list[list[BinaryType]]]:
    """What _AioCacheCalls._batch does: split on one context, each part encoded on its
    own context, the memo shared; the parts' bytes and pending types.  ``flat``: the
    pairs (tuples in ``items``) go through as put_all's flat list."""
    encoded: dict[int, Any] = {}
    ctx = CodecContext(registry, writers=writers)
    ctx.encoded = encoded
    out, pending = [], []
    if flat:
        items = _flat(items)
    route = _route()
    for _, part in route.split(items, ctx, pairs=pairs, flat=flat, accelerated=accelerated):
        part_ctx = CodecContext(registry, writers=writers)
        part_ctx.encoded = encoded
        buf = bytearray()
        if pairs:
            write_pairs(buf, part, part_ctx, flat=flat, accelerated=accelerated)
        else:
            write_keys(buf, part, part_ctx)
        out.append(bytes(buf))
        pending.append(part_ctx.take_pending())
    return out, pending


@pytest.mark.parametrize("accelerated", KINDS)
@pytest.mark.parametrize(("pairs", "flat"), [(True, False), (True, True), (False, False)])
def test_a_batchs_object_keys_are_encoded_once(accelerated: bool, pairs: bool, flat: bool) -> None:
    """Routing encodes an object key to hash it; the part appends those bytes instead of
    encoding it again: one encode per key, and the bytes of a batch encoded without the
    memo (two encodes per key before, issue 12)."""
    registry = _known_registry()
    keys = [MemoKey(id=i, tag=f"t{i}") for i in range(300)]
    items: list[Any] = [(k, i) for i, k in enumerate(keys)] if pairs else keys
    writers, written = _counting(registry)
    parts, pending = _batch(
        items, registry, writers, pairs=pairs, flat=flat, accelerated=accelerated
    )
    assert len(parts) == 3
    assert sorted(map(id, written)) == sorted(map(id, keys))  # each key once
    assert pending == [[], [], []]
    # The same parts encoded by the plain loops, no memo: the same bytes.
    plain: list[bytes] = []
    for _, part in _route().split(items, CodecContext(registry), pairs=pairs):
        buf = bytearray()
        ctx = CodecContext(registry)
        for item in part:
            for x in item if pairs else (item,):
                write_value(buf, x, ctx=ctx)
        plain.append(bytes(buf))
    assert parts == plain


@pytest.mark.parametrize(("pairs", "flat"), [(True, False), (True, True), (False, False)])
def test_a_key_of_a_type_to_register_is_encoded_by_its_part(pairs: bool, flat: bool) -> None:
    """While a type waits for registration, routing keeps no bytes: each part encodes its
    keys itself, so that its context records the type to register before sending."""
    registry = BinaryTypeRegistry()  # MemoKey unknown: the first put of one
    keys = [MemoKey(id=i, tag="x") for i in range(30)]
    items: list[Any] = [(k, None) for k in keys] if pairs else keys
    writers, written = _counting(registry)
    parts, pending = _batch(items, registry, writers, pairs=pairs, flat=flat)
    assert len(parts) == 3
    assert [[bt.type_name for bt in p] for p in pending] == [["MemoKey"]] * 3
    assert len(written) == 2 * len(keys)  # hashed, then encoded by the part
