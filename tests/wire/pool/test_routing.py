"""The node pool's routing decisions (``_routing.py``), with plain data and no server."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_wire import datatypes as dt
from ignite_wire._protocol.affinity import (
    AffinitySnapshot,
    AffinityTable,
    CacheAffinity,
    partition_of,
)
from ignite_wire._protocol.context import CodecContext
from ignite_wire._protocol.hashing import string_hash
from ignite_wire._protocol.messages import AffinityVersion
from ignite_wire._routing import (
    SPLIT_ACCELERATED,
    KeyRoute,
    admit,
    connection_of,
    node_of_key,
    node_of_partition,
    pick,
    revival_wanted,
    routing_pays,
    unknown_primaries,
)
from ignite_wire._transport.options import Address
from ignite_wire.binary import GenericObjectMeta

A, B, C = Address("127.0.0.1", 10800), Address("127.0.0.1", 10801), Address("127.0.0.1", 10802)
N1, N2, N3 = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)


@dataclass(eq=False)
class Conn:
    """A connection as routing sees it: an address, a node, open or not, suspect or not."""

    address: Address
    node_id: uuid.UUID | None = None
    is_open: bool = True
    suspect: bool = False
    tag: str = field(default="")


def test_pick_keeps_a_healthy_current_connection() -> None:
    conns = {A: Conn(A), B: Conn(B)}
    assert pick(conns, B) == (B, conns[B])


def test_pick_moves_off_a_closed_or_suspect_current_connection() -> None:
    conns = {A: Conn(A, is_open=False), B: Conn(B, suspect=True), C: Conn(C)}
    assert pick(conns, A) == (C, conns[C])
    assert pick(conns, B) == (C, conns[C])


def test_pick_uses_a_suspect_current_connection_only_as_a_last_resort() -> None:
    conns = {A: Conn(A, is_open=False), B: Conn(B, suspect=True)}
    assert pick(conns, B) == (B, conns[B])
    # a suspect one that is not current is not taken: nothing healthy, nothing current
    assert pick(conns, A) == (A, None)


def test_pick_with_nothing_pooled_or_nothing_current() -> None:
    assert pick({}, None) == (None, None)
    conns = {A: Conn(A)}
    assert pick(conns, None) == (A, conns[A])


def test_admit_keeps_the_open_pooled_connection_and_returns_the_newcomer() -> None:
    pooled, newcomer = Conn(A, tag="old"), Conn(A, tag="new")
    assert admit(pooled, newcomer) == (pooled, newcomer)


def test_admit_replaces_a_closed_connection_and_hands_it_back() -> None:
    pooled, newcomer = Conn(A, is_open=False), Conn(A)
    assert admit(pooled, newcomer) == (newcomer, pooled)


def test_admit_with_nothing_pooled_or_the_same_connection() -> None:
    conn = Conn(A)
    assert admit(None, conn) == (conn, None)
    assert admit(conn, conn) == (conn, None)


def test_connection_of_skips_closed_and_suspect_connections() -> None:
    conns = [Conn(A, N1, is_open=False), Conn(B, N1, suspect=True), Conn(C, N2)]
    assert connection_of(conns, N1) is None
    assert connection_of(conns, N2) is conns[2]
    assert connection_of(conns, None) is None
    assert connection_of([*conns, Conn(A, N1)], N1) is not None


def test_revival_is_wanted_for_missing_or_closed_nodes_only_when_partition_aware() -> None:
    nodes = [A, B]
    assert revival_wanted(True, {A: Conn(A)}, nodes)  # B never connected
    assert revival_wanted(True, {A: Conn(A), B: Conn(B, is_open=False)}, nodes)
    assert not revival_wanted(True, {A: Conn(A), B: Conn(B)}, nodes)
    assert not revival_wanted(False, {A: Conn(A)}, nodes)


def test_routing_pays_only_with_a_choice_of_nodes() -> None:
    assert routing_pays(True, 2)
    assert not routing_pays(True, 1)
    assert not routing_pays(False, 3)


def _affinity(primaries: tuple[uuid.UUID | None, ...], applicable: bool = True) -> CacheAffinity:
    return CacheAffinity(cache_id=7, applicable=applicable, primaries=primaries)


def test_node_of_key_is_the_primary_of_the_keys_partition() -> None:
    affinity = _affinity((N1, N2, N3, N1))
    ctx = CodecContext()
    for key in ("a", "b", "key-42", 17, -3):
        java_hash = string_hash(key) if isinstance(key, str) else key
        assert (
            node_of_key(affinity, key, None, ctx) == affinity.primaries[partition_of(java_hash, 4)]
        )


def test_node_of_key_is_unknown_for_an_inapplicable_map_or_an_unhashable_key() -> None:
    ctx = CodecContext()
    assert node_of_key(_affinity((), applicable=False), "a", None, ctx) is None
    assert node_of_key(_affinity((N1, N2)), [1, 2], None, ctx) is None  # no Java hash known


@given(
    st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.text(max_size=8),
    st.sampled_from([1, 2, 3, 7, 16, 1024]),
)
def test_key_route_sends_a_key_where_node_of_key_says(key: int | str, partitions: int) -> None:
    """The prepared route (an int key's hash and partition inlined) agrees with the
    general rule, for power-of-two partition counts and others."""
    nodes = (N1, N2, N3)
    affinity = _affinity(tuple(nodes[i % 3] for i in range(partitions)))
    conns = {node: Conn(A, node_id=node, tag=str(node)) for node in nodes}
    route = KeyRoute(affinity, conns, generation=0)
    ctx = CodecContext()
    assert route.conn_for(key, None, ctx) is conns[node_of_key(affinity, key, None, ctx)]


def test_key_route_sends_to_any_what_it_cannot_place_or_reach() -> None:
    ctx = CodecContext()
    closed, suspect = Conn(A, node_id=N1, is_open=False), Conn(B, node_id=N2, suspect=True)
    route = KeyRoute(_affinity((N1, N2, N3, None)), {N1: closed, N2: suspect}, generation=3)
    assert route.generation == 3
    assert [route.conn_for(k, None, ctx) for k in range(4)] == [None] * 4  # N3: not pooled
    assert route.conn_for([1, 2], None, ctx) is None  # no Java hash: any node
    assert KeyRoute(_affinity((), applicable=False), {}, 0).conn_for(1, None, ctx) is None


def test_node_of_partition_bounds() -> None:
    affinity = _affinity((N1, N2))
    assert node_of_partition(affinity, 0) == N1
    assert node_of_partition(affinity, 1) == N2
    assert node_of_partition(affinity, 2) is None
    assert node_of_partition(affinity, -1) is None
    assert node_of_partition(None, 0) is None
    assert node_of_partition(_affinity((), applicable=False), 0) is None


def test_split_sends_unreachable_and_unplaceable_keys_to_any() -> None:
    """A closed, suspect or unpooled primary, a partition without one, and a key with no
    Java hash all go to "any" (``None``), in input order; the reachable parts first."""
    ctx = CodecContext()
    up, closed, suspect = Conn(A, N1), Conn(B, N2, is_open=False), Conn(C, N3, suspect=True)
    # partitions: 0 -> N1, 1 -> N2 (closed), 2 -> N3 (suspect), 3 -> nobody
    route = KeyRoute(_affinity((N1, N2, N3, None)), {N1: up, N2: closed, N3: suspect}, 0)
    keys: list[object] = [0, 1, 2, 3, 4, [1, 2], 8]
    assert route.split(keys, ctx, pairs=False) == [(up, [0, 4, 8]), (None, [1, 2, 3, [1, 2]])]
    pairs = [(k, str(k)) for k in keys]
    assert route.split(pairs, ctx, pairs=True) == [
        (up, [(0, "0"), (4, "4"), (8, "8")]),
        (None, [(1, "1"), (2, "2"), (3, "3"), ([1, 2], "[1, 2]")]),
    ]
    inapplicable = KeyRoute(_affinity((), applicable=False), {}, 0)
    assert inapplicable.split([1, 2], ctx, pairs=False) == [(None, [1, 2])]
    assert route.split([], ctx, pairs=False) == []


_KEYS = (
    st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.integers()  # beyond a Java long: no hash, "any"
    | st.text(max_size=8)
    | st.booleans()
    | st.floats(allow_nan=False)
    | st.lists(st.integers(), max_size=2)  # no Java hash
)


#: KeyRoute.split with its compiled loop (when built), and the pure loop alone.
KINDS = [True, False] if SPLIT_ACCELERATED else [False]


@pytest.mark.parametrize("accelerated", KINDS)
@given(
    st.lists(_KEYS, max_size=40),
    st.sampled_from([1, 2, 3, 7, 16, 1024]),
    st.sets(st.sampled_from([N1, N2, N3])),
    st.booleans(),
)
def test_split_puts_every_item_where_conn_for_sends_its_key(
    accelerated: bool, keys: list[object], partitions: int, down: set[uuid.UUID], pairs: bool
) -> None:
    """Nothing lost, nothing invented, order kept within a part, and each item in the
    part of the connection the single-key route picks for its key (the general rule,
    node_of_key, for power-of-two partition counts and others)."""
    nodes = (N1, N2, N3, None)
    affinity = _affinity(tuple(nodes[i % 4] for i in range(partitions)))
    conns = {node: Conn(A, node_id=node, is_open=node not in down) for node in nodes[:3]}
    route = KeyRoute(affinity, conns, generation=0)
    ctx = CodecContext()
    items: list[object] = [(k, i) for i, k in enumerate(keys)] if pairs else keys
    parts = route.split(items, ctx, pairs=pairs, accelerated=accelerated)
    targets = [conn for conn, _ in parts]
    assert len(set(map(id, targets))) == len(targets)  # one part per connection
    for conn, part in parts:
        assert part
        assert [x for x in items if any(x is y for y in part)] == part  # input order
        for item in part:
            key = item[0] if pairs else item  # type: ignore[index]
            assert route.conn_for(key, None, ctx) is conn
    assert sorted(id(x) for _, part in parts for x in part) == sorted(map(id, items))


@given(
    st.lists(_KEYS | st.tuples(st.integers(), st.integers()) | st.none(), max_size=30),
    st.sampled_from([1, 4, 7, 1024]),
    st.booleans(),
)
def test_the_compiled_split_is_the_pure_one(
    keys: list[object], partitions: int, pairs: bool
) -> None:
    """The same parts, item for item (identity and order), for the same batch; hostile
    items included: keys that are tuples, None, lists, huge ints, bools, floats."""
    nodes = (N1, N2, N3, None)
    affinity = _affinity(tuple(nodes[i % 4] for i in range(partitions)))
    conns = {node: Conn(A, node_id=node) for node in nodes[:3]}
    route = KeyRoute(affinity, conns, generation=0)
    items: list[object] = [(k, i) for i, k in enumerate(keys)] if pairs else keys

    def shape(parts: list[tuple[Any, list[object]]]) -> list[tuple[int, list[int]]]:
        return [(id(conn), [id(x) for x in part]) for conn, part in parts]

    ctx = CodecContext()
    for accelerated in KINDS:
        fast = route.split(items, ctx, pairs=pairs, accelerated=accelerated)
        assert shape(fast) == shape(route.split(items, ctx, pairs=pairs, accelerated=False))


@pytest.mark.parametrize("accelerated", KINDS)
@given(
    st.lists(st.tuples(_KEYS | st.none(), st.integers()), max_size=30),
    st.sampled_from([1, 4, 7, 1024]),
    st.sets(st.sampled_from([N1, N2, N3])),
)
def test_a_flat_split_is_the_split_of_the_pairs_flattened(
    accelerated: bool, pairs: list[tuple[object, int]], partitions: int, down: set[uuid.UUID]
) -> None:
    """put_all's batch, one list [key, value, ...]: the same parts, for the same
    connections, as the (key, value) tuples give, each part flat (its keys and values
    the very objects, in order) -- compiled and pure loops alike."""
    nodes = (N1, N2, N3, None)
    affinity = _affinity(tuple(nodes[i % 4] for i in range(partitions)))
    conns = {node: Conn(A, node_id=node, is_open=node not in down) for node in nodes[:3]}
    route = KeyRoute(affinity, conns, generation=0)
    ctx = CodecContext()
    flat = [x for pair in pairs for x in pair]
    by_pairs = route.split(pairs, ctx, pairs=True, accelerated=False)
    got = route.split(flat, ctx, pairs=True, flat=True, accelerated=accelerated)
    assert [conn for conn, _ in got] == [conn for conn, _ in by_pairs]
    for (_, part), (_, tuples) in zip(got, by_pairs, strict=True):
        assert [id(x) for x in part] == [id(x) for pair in tuples for x in pair]


@pytest.mark.parametrize("accelerated", KINDS)
def test_a_flat_split_of_an_odd_list_fails(accelerated: bool) -> None:
    """A key without its value is refused, not dropped (both loops)."""
    route = KeyRoute(_affinity((N1, N2)), {N1: Conn(A, N1), N2: Conn(B, N2)}, 0)
    with pytest.raises(ValueError, match=r"odd length|even length"):
        route.split([1, 2, 3], CodecContext(), pairs=True, flat=True, accelerated=accelerated)


def test_the_split_of_pairs_that_are_not_pairs_fails_alike() -> None:
    """An item with no first element: the same error from both loops."""
    route = KeyRoute(_affinity((N1, N2)), {N1: Conn(A, N1), N2: Conn(B, N2)}, 0)
    for accelerated in KINDS:
        with pytest.raises(TypeError):
            route.split([(1, 2), 5], CodecContext(), pairs=True, accelerated=accelerated)


def test_split_shares_a_context_across_the_batch() -> None:
    """A key that cannot be encoded (routed to any node) leaves nothing behind in the
    batch's context that changes the next key's node."""
    cls = GenericObjectMeta("SplitKey", (), {}, schema=OrderedDict(id=dt.IntObject, tag=dt.String))
    conns = {node: Conn(A, node_id=node) for node in (N1, N2, N3)}
    route = KeyRoute(_affinity((N1, N2, N3, N1, N2, N3, N1)), conns, 0)
    good = cls(5, None)  # a null field: the general encoder, which counts nesting depth
    expected = route.conn_for(good, None, CodecContext())
    assert expected is not None
    parts = route.split([cls(1 << 40, None)] * 150 + [good], CodecContext(), pairs=False)
    assert parts[0] == (expected, [good])
    assert parts[1][0] is None
    assert len(parts[1][1]) == 150


def test_unknown_primaries() -> None:
    table = AffinityTable()
    assert not unknown_primaries(table, set())
    table.update(
        AffinitySnapshot(
            AffinityVersion(1, 0),
            {7: _affinity((N1, N2, None)), 8: _affinity((), applicable=False)},
        )
    )
    assert not unknown_primaries(table, {N1, N2})
    assert unknown_primaries(table, {N1})


def test_node_of_key_shares_a_context_across_a_batch_of_keys() -> None:
    """A batch hashes its keys on one context: a key that cannot be encoded (routed to
    any node) leaves nothing behind that changes the next key's node."""
    cls = GenericObjectMeta("RoutedKey", (), {}, schema=OrderedDict(id=dt.IntObject, tag=dt.String))
    affinity = _affinity((N1, N2, N3, N1, N2, N3, N1))
    good = cls(5, None)  # a null field: the general encoder, which counts nesting depth
    expected = node_of_key(affinity, good, None, CodecContext())
    assert expected is not None
    ctx = CodecContext()
    for _ in range(150):
        assert node_of_key(affinity, cls(1 << 40, None), None, ctx) is None  # no Java int
    assert node_of_key(affinity, good, None, ctx) == expected
