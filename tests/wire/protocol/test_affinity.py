"""Partition maps without a server: the partition function, the map table, op-1101 answers.

The expected partitions below were computed by Ignite itself (2.17.0, Java 17)::

    int mask = RendezvousAffinityFunction.calculateMask(parts);
    RendezvousAffinityFunction.calculatePartition(h, mask, parts);  // h: an Integer key

An ``Integer`` key's ``hashCode()`` is its value, so each ``h`` is the key hash.  A few
are also worked by hand in :func:`test_partition_of_by_hand`.
"""

from __future__ import annotations

import contextlib
import struct
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_wire._protocol.affinity import (
    AffinitySnapshot,
    AffinityTable,
    CacheAffinity,
    partition_of,
)
from ignite_wire._protocol.messages import AffinityVersion
from ignite_wire._protocol.ops.affinity import decode_partitions
from ignite_wire.exceptions import ParseError

I32_MIN = -(2**31)
I32_MAX = 2**31 - 1

HASHES = (
    0, 1, -1, 7, -7, 65535, 65536, 65537, -65536, -65537, 123456789, -123456789,
    I32_MAX, I32_MIN, I32_MIN + 1, 1000, -1000, 999999, -999999, 0x12345678,
    0xCAFEBABE - 2**32,
)  # fmt: skip

#: parts -> calculatePartition(h, calculateMask(parts), parts) for each of HASHES, from Java.
JAVA_PARTITIONS = {
    1: [0] * 21,
    2: [0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0],
    16: [0, 1, 0, 7, 6, 15, 1, 0, 15, 1, 14, 15, 0, 0, 1, 8, 7, 0, 1, 12, 0],
    1024: [0, 1, 0, 7, 6, 1023, 1, 0, 1023, 1, 590, 591, 0, 0, 1, 1000, 999, 560, 561, 76, 64],
    32768: [
        0, 1, 0, 7, 6, 32767, 1, 0, 32767, 1, 19022, 19023, 0, 0, 1, 1000, 999, 16944,
        16945, 17484, 28736,
    ],
    3: [0, 1, 1, 1, 1, 0, 1, 2, 1, 2, 0, 0, 1, 2, 1, 1, 1, 0, 0, 0, 0],
    17: [0, 1, 1, 7, 7, 0, 1, 2, 1, 2, 1, 1, 8, 9, 8, 14, 14, 8, 8, 4, 2],
    1000: [
        0, 1, 1, 7, 7, 535, 536, 537, 536, 537, 789, 789, 647, 648, 647, 0, 0, 999, 999,
        896, 714,
    ],
    1023: [0, 1, 1, 7, 7, 63, 64, 65, 64, 65, 126, 126, 1, 2, 1, 1000, 1000, 528, 528, 177, 228],
    1025: [
        0, 1, 1, 7, 7, 960, 961, 962, 961, 962, 664, 664, 1022, 1023, 1022, 1000, 1000, 624,
        624, 646, 64,
    ],
    65000: [
        0, 1, 1, 7, 7, 535, 536, 537, 536, 537, 21789, 21789, 13647, 13648, 13647, 1000,
        1000, 24999, 24999, 49896, 10714,
    ],
}  # fmt: skip


# -- partition_of ------------------------------------------------------------------------


@pytest.mark.parametrize("parts", sorted(JAVA_PARTITIONS))
def test_partition_of_matches_java(parts: int) -> None:
    assert [partition_of(h, parts) for h in HASHES] == JAVA_PARTITIONS[parts]


@pytest.mark.parametrize("parts", sorted(JAVA_PARTITIONS))
def test_partition_of_takes_unsigned_hashes_too(parts: int) -> None:
    # A hash given as its unsigned 32-bit pattern places the key as the signed one does.
    assert [partition_of(h & 0xFFFFFFFF, parts) for h in HASHES] == JAVA_PARTITIONS[parts]


def test_partition_of_by_hand() -> None:
    # Power of two: (h ^ (h >>> 16)) & (parts - 1), with >>> on the 32-bit pattern.
    # h = -1 = 0xFFFFFFFF: h >>> 16 = 0x0000FFFF, xor = 0xFFFF0000, & 1023 = 0.
    assert partition_of(-1, 1024) == 0
    # h = 65536 = 0x00010000: xor with 0x1 = 0x00010001, & 1023 = 1.
    assert partition_of(65536, 1024) == 1
    # h = -7 = 0xFFFFFFF9: xor with 0xFFFF = 0xFFFF0006, & 15 = 6.
    assert partition_of(-7, 16) == 6
    # Otherwise Math.abs(h % parts) with Java's truncating %: -7 % 1000 = -7 -> 7
    # (floored division, Python's %, would give 993; pyignite's abs(h // parts) gives 0).
    assert partition_of(-7, 1000) == 7
    assert partition_of(-1001, 1000) == 1
    # Integer.MIN_VALUE % 1000 = -648 -> 648 (Math.abs(MIN_VALUE) itself would overflow).
    assert partition_of(I32_MIN, 1000) == 648
    assert partition_of(I32_MAX, 1000) == 647
    assert partition_of(123456789, 3) == 0


@given(st.integers(I32_MIN, I32_MAX), st.integers(1, 65000))
def test_partition_of_is_in_range_and_follows_the_java_rule(h: int, parts: int) -> None:
    p = partition_of(h, parts)
    assert 0 <= p < parts
    if parts & (parts - 1) == 0:
        u = h & 0xFFFFFFFF
        assert p == (u ^ (u >> 16)) & (parts - 1)
    else:
        java_rem = abs(h) % parts * (-1 if h < 0 else 1)  # Java's h % parts
        assert p == abs(java_rem)


# -- AffinityTable -----------------------------------------------------------------------

NODE_A = uuid.UUID(int=0xA)
NODE_B = uuid.UUID(int=0xB)


def _snapshot(
    major: int, minor: int, *cache_ids: int, owner: uuid.UUID = NODE_A
) -> AffinitySnapshot:
    primaries = (owner, NODE_B) * 2  # 4 partitions
    return AffinitySnapshot(
        AffinityVersion(major, minor),
        {c: CacheAffinity(c, True, {}, primaries) for c in cache_ids},
    )


def test_table_starts_empty() -> None:
    table = AffinityTable()
    assert table.version is None
    assert not table.stale
    assert table.missing([1, 2]) == [1, 2]
    assert table.get(1) is None
    assert table.node_for(1, 0) is None


def test_table_holds_maps_until_a_newer_version_is_announced() -> None:
    table = AffinityTable()
    table.update(_snapshot(5, 0, 1))
    assert table.version == AffinityVersion(5, 0)
    assert not table.stale
    assert table.missing([1]) == []
    assert table.missing([1, 2]) == [2]  # only the unknown cache
    assert table.node_for(1, 0) == NODE_A  # partition_of(0, 4) == 0
    assert table.node_for(1, 1) == NODE_B

    table.observe(None)  # a response without flag 2
    table.observe(AffinityVersion(4, 9))  # older than the maps
    table.observe(AffinityVersion(5, 0))  # the same
    assert not table.stale
    assert table.missing([1]) == []

    table.observe(AffinityVersion(5, 1))  # a minor change is a change
    assert table.stale
    # Stale: every held map is refetched with the asked one.
    assert table.missing([2]) == [1, 2]
    assert table.missing([]) == [1]
    # Stale maps still answer (routing by an old map costs a hop, never a result).
    assert table.node_for(1, 0) == NODE_A


def test_table_takes_a_newer_snapshot_and_drops_the_old_maps() -> None:
    table = AffinityTable()
    table.update(_snapshot(5, 0, 1, 2))
    table.observe(AffinityVersion(6, 0))
    table.update(_snapshot(6, 0, 1, owner=NODE_B))
    assert table.version == AffinityVersion(6, 0)
    assert not table.stale
    assert table.node_for(1, 0) == NODE_B
    assert table.get(2) is None  # a map of the old topology is not kept
    assert table.missing([1, 2]) == [2]


def test_table_merges_snapshots_of_the_same_version() -> None:
    table = AffinityTable()
    table.update(_snapshot(5, 0, 1))
    table.update(_snapshot(5, 0, 2, owner=NODE_B))
    assert table.get(1) is not None
    assert table.node_for(2, 0) == NODE_B
    assert table.missing([1, 2]) == []


def test_table_ignores_an_older_snapshot() -> None:
    table = AffinityTable()
    table.update(_snapshot(6, 0, 1))
    table.update(_snapshot(5, 3, 1, 2, owner=NODE_B))
    assert table.version == AffinityVersion(6, 0)
    assert table.node_for(1, 0) == NODE_A
    assert table.get(2) is None


def test_table_answered_by_a_lagging_node_stays_stale() -> None:
    # A response announced (4, 1) (a node became primary after rebalancing); the node
    # asked for the maps had not finished that exchange yet and answered with its ready
    # version, (4, 0), whose maps lack the new primary.  Those maps route meanwhile, but
    # they are not current: the next use asks again, until an answer is of (4, 1).
    table = AffinityTable()
    table.update(_snapshot(3, 2, 1))
    table.observe(AffinityVersion(4, 1))
    table.update(_snapshot(4, 0, 1, owner=NODE_B))
    assert table.version == AffinityVersion(4, 0)
    assert table.stale
    assert table.missing([1]) == [1]
    assert table.node_for(1, 0) == NODE_B  # the newest maps held
    table.update(_snapshot(4, 1, 1))
    assert table.version == AffinityVersion(4, 1)
    assert not table.stale
    assert table.missing([1]) == []
    assert table.node_for(1, 0) == NODE_A


def test_table_clear_forgets_the_maps() -> None:
    table = AffinityTable()
    table.update(_snapshot(5, 0, 1))
    table.observe(AffinityVersion(9, 0))
    table.clear()
    assert table.version is None
    assert table.get(1) is None
    assert table.missing([1]) == [1]
    # The versions seen are forgotten too: a restarted cluster counts from 1 again.
    assert not table.stale
    table.update(_snapshot(1, 0, 1))
    assert not table.stale
    assert table.missing([1]) == []


def test_cache_affinity_without_a_map_routes_nowhere() -> None:
    assert CacheAffinity(1, False).node_for(12345) is None
    assert CacheAffinity(1, True).node_for(12345) is None
    holes = CacheAffinity(1, True, {}, (NODE_A, None, NODE_B))
    assert holes.node_for(1) is None  # partition_of(1, 3) == 1: no known primary
    assert holes.node_for(2) == NODE_B


def test_cache_affinity_uses_the_non_power_of_two_rule() -> None:
    nodes = tuple(uuid.UUID(int=i) for i in range(1000))
    affinity = CacheAffinity(1, True, {}, nodes)
    assert affinity.node_for(-7) == nodes[7]
    assert affinity.node_for(I32_MIN) == nodes[648]


# -- decode_partitions -------------------------------------------------------------------


def _uuid(node: uuid.UUID | None) -> bytes:
    if node is None:
        return b"\x65"
    msb, lsb = node.int >> 64, node.int & (2**64 - 1)
    return b"\x0a" + struct.pack("<QQ", msb, lsb)


def _i32(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}i", *values)


def _answer() -> bytes:
    """Topology (7, 2); group 1: caches 11 and -12, 6 partitions on two nodes, cache 11
    with a key configuration; group 2: cache 13, not applicable (e.g. REPLICATED)."""
    return b"".join(
        [
            struct.pack("<qi", 7, 2),
            _i32(2),  # groups
            b"\x01",  # applicable
            _i32(2),  # caches
            _i32(11, 2, 1001, 2002, 1003, 2004),  # cache 11, 2 key configs
            _i32(-12, 0),  # cache -12, none
            _i32(2),  # nodes
            _uuid(NODE_A),
            _i32(3, 0, 2, 4),
            _uuid(NODE_B),
            _i32(3, 5, 3, 1),
            b"\x00",  # not applicable
            _i32(1, 13),  # one cache: 13 (no key configs, no nodes)
        ]
    )


def test_decode_partitions() -> None:
    snapshot = decode_partitions(_answer())
    assert snapshot.version == AffinityVersion(7, 2)
    assert set(snapshot.caches) == {11, -12, 13}
    a, b = NODE_A, NODE_B
    c11 = snapshot.caches[11]
    assert c11.applicable
    assert dict(c11.key_fields) == {1001: 2002, 1003: 2004}
    assert c11.primaries == (a, b, a, b, a, b)
    c12 = snapshot.caches[-12]
    assert c12.applicable
    assert dict(c12.key_fields) == {}
    assert c12.primaries == c11.primaries
    c13 = snapshot.caches[13]
    assert not c13.applicable
    assert c13.primaries == ()
    assert c13.node_for(5) is None
    # A memoryview decodes the same (responses are sliced without copies).
    assert decode_partitions(memoryview(_answer())) == snapshot


def test_decode_partitions_of_an_empty_answer() -> None:
    snapshot = decode_partitions(struct.pack("<qii", 1, 0, 0))
    assert snapshot.version == AffinityVersion(1, 0)
    assert snapshot.caches == {}


def test_decode_partitions_keeps_unknown_primaries_unknown() -> None:
    body = b"".join(
        [
            struct.pack("<qi", 3, 0),
            _i32(1),
            b"\x01",
            _i32(1, 42, 0),
            _i32(2),
            _uuid(None),  # a null node id
            _i32(1, 0),
            _uuid(NODE_B),
            _i32(1, 3),  # partitions 1 and 2 are nobody's
        ]
    )
    assert decode_partitions(body).caches[42].primaries == (None, None, None, NODE_B)


@pytest.mark.parametrize("cut", range(len(_answer())))
def test_decode_partitions_truncated_raises_parse_error(cut: int) -> None:
    data = _answer()[:cut]
    with pytest.raises(ParseError):
        decode_partitions(data)


def _one_group(count_field: bytes, tail: bytes = b"") -> bytes:
    return struct.pack("<qi", 1, 0) + _i32(1) + b"\x01" + count_field + tail


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(struct.pack("<qii", 1, 0, -1), id="negative group count"),
        pytest.param(struct.pack("<qii", 1, 0, 2**31 - 1), id="huge group count"),
        pytest.param(_one_group(_i32(-5)), id="negative cache count"),
        pytest.param(_one_group(_i32(1, 7, -1)), id="negative key config count"),
        pytest.param(_one_group(_i32(1, 7, 100000)), id="huge key config count"),
        pytest.param(_one_group(_i32(1, 7, 0, -3)), id="negative node count"),
        pytest.param(
            _one_group(_i32(1, 7, 0, 1), _uuid(NODE_A) + _i32(-1)), id="negative part count"
        ),
        pytest.param(
            _one_group(_i32(1, 7, 0, 1), _uuid(NODE_A) + _i32(65001)), id="too many parts"
        ),
        pytest.param(
            _one_group(_i32(1, 7, 0, 1), _uuid(NODE_A) + _i32(1, -1)), id="negative partition"
        ),
        pytest.param(
            _one_group(_i32(1, 7, 0, 1), _uuid(NODE_A) + _i32(1, 65000)),
            id="partition out of range",
        ),
        pytest.param(
            _one_group(_i32(1, 7, 0, 1), b"\x09" + _i32(0) + _i32(0)), id="node id not a UUID"
        ),
        pytest.param(_one_group(_i32(1, 7, 0, 1), b"\x0a" + b"\x00" * 15), id="short UUID"),
    ],
)
def test_decode_partitions_malformed_raises_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        decode_partitions(data)


@given(st.binary(max_size=300))
def test_decode_partitions_random_bytes_parse_or_raise_parse_error(data: bytes) -> None:
    with contextlib.suppress(ParseError):
        decode_partitions(data)


@given(st.data())
def test_decode_partitions_garbled_answer_parses_or_raises_parse_error(data: st.DataObject) -> None:
    body = bytearray(_answer())
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(body) - 1))
        body[i] = data.draw(st.integers(0, 255))
    with contextlib.suppress(ParseError):
        decode_partitions(bytes(body))


@pytest.mark.parametrize(
    ("data", "what", "offset"),
    [
        # 3 groups claimed, 1 byte left: the old guard took any count up to len(buf)
        pytest.param(struct.pack("<qii", 1, 0, 3) + b"\x00", "group count 3", 12, id="groups"),
        pytest.param(_one_group(_i32(3, 7)), "cache count 3", 17, id="caches"),
        pytest.param(_one_group(_i32(1, 7, 3, 1, 2)), "key configuration count 3", 25, id="keys"),
        pytest.param(
            _one_group(_i32(1, 7, 0, 5), _uuid(NODE_A) + _i32(0)), "node count 5", 29, id="nodes"
        ),
        pytest.param(
            _one_group(_i32(1, 7, 0, 1), _uuid(NODE_A) + _i32(3, 0)),
            "partition count 3",
            50,
            id="partitions",
        ),
    ],
)
def test_decode_partitions_refuses_a_count_the_remaining_bytes_cannot_hold(
    data: bytes, what: str, offset: int
) -> None:
    """A count is checked against the bytes after it, not the whole buffer, so the error
    names the count and points at it (not at a read that ran out of bytes later)."""
    with pytest.raises(ParseError, match=what) as info:
        decode_partitions(data)
    assert info.value.offset == offset
