"""put_all on three nodes, partition aware, both clients: every shape of batch it takes
(dicts, other mappings, lists of pairs, generators, mixed key types), one request per
node, and the rule that a batch with a value that cannot be encoded fails whole, with
nothing sent and nothing written, the client still usable (issue 12: the batch is
split and encoded as one flat list of keys and values, never a tuple per entry).
"""

from __future__ import annotations

import uuid
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import pytest
from client_kinds import do, make_client

from ignite_wire import datatypes as dt
from ignite_wire.binary import GenericObjectMeta
from ignite_wire.exceptions import EncodeError, ParameterError
from ignite_wire.monitoring import QueryEventListener, QueryStartEvent
from ignite_wire.testing import IgniteCluster

BatchKey = GenericObjectMeta(
    "PutAllBatchKey",
    (),
    {},
    type_name="PutAllBatchKey",
    schema=OrderedDict(id=dt.IntObject, tag=dt.String),
)
BatchValue = GenericObjectMeta(
    "PutAllBatchValue",
    (),
    {},
    type_name="PutAllBatchValue",
    schema=OrderedDict(
        id=dt.IntObject,
        name=dt.String,
        age=dt.IntObject,
        salary=dt.DoubleObject,
        account=dt.LongObject,
    ),
)


class Started(QueryEventListener):
    """The op name of every request that started (thread-safe: list.append)."""

    def __init__(self) -> None:
        self.ops: list[tuple[str, uuid.UUID | None]] = []

    def on_query_start(self, event: QueryStartEvent) -> None:
        self.ops.append((event.op_name, event.node_uuid))

    def put_alls(self) -> Counter[uuid.UUID | None]:
        return Counter(node for op, node in self.ops if op == "CACHE_PUT_ALL")


class Frozen(Mapping[Any, Any]):
    """A mapping that is not a dict."""

    def __init__(self, data: dict[Any, Any]) -> None:
        self._data = data

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def value(i: int) -> Any:
    return BatchValue(id=i, name=f"name-{i}", age=i % 90, salary=i * 1.5, account=i << 20)


def mixed_key(i: int) -> Any:
    """Keys of several types: long, str, UUID, a binary object, an int hinted as INT."""
    kind = i % 5
    if kind == 0:
        return i
    if kind == 1:
        return f"key-{i}"
    if kind == 2:
        return uuid.UUID(int=i)
    if kind == 3:
        return BatchKey(id=i, tag=f"t{i}")
    return (i, dt.IntObject)


def stored_key(key: Any) -> Any:
    """How get_all's answer names ``key`` (a hinted key comes back as its value)."""
    return key[0] if isinstance(key, tuple) else key


async def _connect(kind: str, cluster: IgniteCluster, listener: Started) -> Any:
    client = make_client(kind, partition_aware=True, event_listeners=[listener])
    await do(client.connect(cluster.endpoints))
    return client


async def test_put_all_takes_every_shape_of_batch(kind: str, ignite_cluster: IgniteCluster) -> None:
    started = Started()
    client = await _connect(kind, ignite_cluster, started)
    cache = await do(client.create_cache(f"put_all_shapes_{uuid.uuid4().hex[:8]}"))
    try:
        n = 3000
        keys = [mixed_key(i) for i in range(n)]
        # a dict of mixed keys and binary-object values: one request per node
        await do(cache.put_all({k: value(i) for i, k in enumerate(keys)}))
        assert sorted(started.put_alls().values()) == [1, 1, 1]
        got = await do(cache.get_all(keys))
        assert len(got) == n
        for i, k in enumerate(keys):
            assert got[stored_key(k)].account == i << 20, k
            assert got[stored_key(k)].name == f"name-{i}"

        # a list of pairs (tuples and lists), a generator, another mapping, an empty dict
        await do(cache.put_all([(i, f"a{i}") for i in range(0, 200, 2)]))
        await do(cache.put_all([[i, f"b{i}"] for i in range(1, 200, 2)]))
        await do(cache.put_all((f"g{i}", Decimal(i) / 4) for i in range(100)))
        await do(cache.put_all(Frozen({f"f{i}": [i, None, "x"] for i in range(50)})))
        await do(cache.put_all({}))
        await do(cache.put_all(iter(())))
        got = await do(cache.get_all(range(200)))
        assert got == {i: (f"a{i}" if i % 2 == 0 else f"b{i}") for i in range(200)}
        got = await do(cache.get_all([f"g{i}" for i in range(100)]))
        assert got == {f"g{i}": Decimal(i) / 4 for i in range(100)}
        got = await do(cache.get_all([f"f{i}" for i in range(50)]))
        assert got == {f"f{i}": [i, None, "x"] for i in range(50)}
        # the last write of a key in one batch wins, as in a dict
        await do(cache.put_all([(7, "first"), (7, "second")]))
        assert await do(cache.get(7)) == "second"
    finally:
        await do(cache.destroy())
        await do(client.close())


@pytest.mark.parametrize("where", ["value", "key"])
@pytest.mark.parametrize("shape", ["dict", "pairs", "generator"])
async def test_a_value_that_cannot_be_encoded_fails_the_whole_batch_unsent(
    kind: str, ignite_cluster: IgniteCluster, shape: str, where: str
) -> None:
    """One bad value (or key) in the middle of 3,000 entries for three nodes: the error
    names it, no put_all request leaves, the cache stays empty, and the same client then
    writes the good batch."""
    started = Started()
    client = await _connect(kind, ignite_cluster, started)
    cache = await do(client.create_cache(f"put_all_bad_{uuid.uuid4().hex[:8]}"))
    try:
        n, bad = 3000, 1717
        good = {i: value(i) for i in range(n)}
        entries: dict[Any, Any] = dict(good)
        if where == "value":
            entries[bad] = object()
        else:
            del entries[bad]
            entries = {**{k: entries[k] for k in range(bad)}, object(): "x"}
            entries.update({k: good[k] for k in range(bad + 1, n)})
        batch: Any = {
            "dict": lambda: entries,
            "pairs": lambda: list(entries.items()),
            "generator": lambda: ((k, v) for k, v in entries.items()),
        }[shape]()
        with pytest.raises(EncodeError, match=f"put_all\\(\\): pairs, {where} {bad}: "):
            await do(cache.put_all(batch))
        assert started.put_alls() == Counter()  # nothing sent to any node
        assert await do(cache.get_size()) == 0
        # the client and its connections are fine: the good batch goes through
        await do(cache.put_all(good))
        assert sorted(started.put_alls().values()) == [1, 1, 1]
        got = await do(cache.get_all(range(n)))
        assert len(got) == n
        assert all(got[i].account == i << 20 for i in range(n))
    finally:
        await do(cache.destroy())
        await do(client.close())


async def test_a_batch_that_is_not_pairs_is_refused_before_anything_is_sent(
    kind: str, ignite_cluster: IgniteCluster
) -> None:
    started = Started()
    client = await _connect(kind, ignite_cluster, started)
    cache = await do(client.create_cache(f"put_all_items_{uuid.uuid4().hex[:8]}"))
    try:
        items: list[Any] = [(i, i) for i in range(500)]
        for broken, where in (([*items, 5], "item 500"), ([*items, (1, 2, 3)], "item 500")):
            with pytest.raises(ParameterError, match=where):
                await do(cache.put_all(broken))
            with pytest.raises(ParameterError, match=where):
                await do(cache.put_all(iter(broken)))
        assert started.put_alls() == Counter()
        assert await do(cache.get_size()) == 0
    finally:
        await do(cache.destroy())
        await do(client.close())
