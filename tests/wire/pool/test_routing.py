"""The node pool's routing decisions (``_routing.py``), with plain data and no server."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

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
    KeyRoute,
    admit,
    connection_of,
    group_by_node,
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


def test_group_by_node_sends_unreachable_and_unknown_nodes_to_any() -> None:
    owner = {"a": N1, "b": N2, "c": N3, "d": None, "e": N1}
    groups = group_by_node("abcde", owner.__getitem__, lambda node: node != N3)
    assert groups == {N1: ["a", "e"], N2: ["b"], None: ["c", "d"]}
    assert list(groups) == [N1, N2, None]  # first-seen order


@given(st.lists(st.tuples(st.integers(0, 3), st.integers())), st.sets(st.integers(1, 3)))
def test_group_by_node_loses_and_invents_nothing(
    items: list[tuple[int, int]], reachable: set[int]
) -> None:
    nodes = {0: None, 1: N1, 2: N2, 3: N3}
    up = {nodes[i] for i in reachable}
    groups = group_by_node(items, lambda item: nodes[item[0]], lambda node: node in up)
    assert sorted(x for part in groups.values() for x in part) == sorted(items)
    for node, part in groups.items():
        assert part
        assert node is None or node in up
        for item in part:
            assert nodes[item[0]] == node or (node is None and nodes[item[0]] not in up)


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


def test_group_by_node_asks_once_per_node_whether_it_is_reachable() -> None:
    asked: list[uuid.UUID] = []

    def reachable(node: uuid.UUID) -> bool:
        asked.append(node)
        return node != N3

    items = [(i, (N1, N2, N3, None)[i % 4]) for i in range(1000)]
    groups = group_by_node(items, lambda item: item[1], reachable)
    assert sorted(asked) == [N1, N2, N3]
    assert [len(part) for part in groups.values()] == [250, 250, 500]


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
