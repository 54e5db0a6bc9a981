"""pyignite's public API as its own test suite uses it (issue 10), against a real node.

Each test covers one gap that pyignite's ``tests/common`` showed (``nox -s
pyignite_suite`` runs that suite itself): ``connect()`` as a context manager,
``protocol_context``, pyignite's module and type names, the ``version=`` class keyword,
object properties on instances, ``BinaryObject.hashcode``, ``ignite_wire.utils``,
unsigned byte arrays, pyignite's error texts, ``select_row``.
"""

from __future__ import annotations

import asyncio
import ctypes
from collections import OrderedDict
from typing import Any

import pytest

import ignite_wire
import ignite_wire.aio_cache
import ignite_wire.cache
import ignite_wire.transaction
from ignite_wire import AioClient, Client, GenericObjectMeta
from ignite_wire.datatypes import (
    BinaryEnumArrayObject,
    BinaryObject,
    ByteArrayObject,
    CollectionObject,
    EnumArrayObject,
    IntObject,
    LongObject,
    MapObject,
    String,
    TransactionConcurrency,
    TransactionIsolation,
)
from ignite_wire.datatypes.prop_codes import PROP_DATA_REGION_NAME, PROP_NAME
from ignite_wire.exceptions import (
    CacheDoesNotExistError,
    CacheError,
    ParameterError,
    QueryCacheDoesNotExistError,
    SQLError,
)
from ignite_wire.protocol_context import ProtocolContext
from ignite_wire.testing import IgniteCluster
from ignite_wire.utils import cache_id, entity_id, hashcode, schema_id, unsigned


def test_with_connect_closes_the_client_at_the_end(ignite_node: IgniteCluster) -> None:
    host, port = ignite_node.node(0).endpoint
    client = Client()
    with client.connect(host, port) as connected:
        assert connected is client
        assert client.get_cache_names() is not None
        assert client.protocol_context is not None
    assert client.protocol_context is None  # closed: no connection left
    # A bare connect() still connects at once, as before.
    client.connect(host, port)
    try:
        assert client.protocol_context is not None
    finally:
        client.close()


def test_async_with_connect_and_await_connect(ignite_node: IgniteCluster) -> None:
    host, port = ignite_node.node(0).endpoint

    async def main() -> None:
        client = AioClient()
        pending = client.connect(host, port)
        assert client.protocol_context is None  # nothing happens until awaited or entered
        async with pending as connected:
            assert connected is client
            assert isinstance(await client.get_cache_names(), list)
        assert client.protocol_context is None
        assert await client.connect(host, port) is client
        try:
            assert client.protocol_context is not None
        finally:
            await client.close()

    asyncio.run(main())


def test_protocol_context_reports_what_the_node_negotiated(client: Client) -> None:
    ctx = client.protocol_context
    assert isinstance(ctx, ProtocolContext)
    assert ctx.version == (1, 7, 0)
    assert ctx.is_feature_flags_supported()
    assert ctx.is_partition_awareness_supported()
    assert ctx.is_status_flags_supported()
    assert ctx.is_transactions_supported()
    assert ctx.is_expiry_policy_supported()
    assert ctx.is_cluster_api_supported()
    assert ctx == ProtocolContext(ctx.version, ctx.features)
    # An older version has no feature bits, and none of the newer capabilities.
    old = ProtocolContext((1, 2, 0), ctx.features)
    assert old.features is None
    assert not old.is_cluster_api_supported()
    assert not old.is_transactions_supported()
    assert not old.is_expiry_policy_supported()


def test_pyignite_module_and_type_names() -> None:
    assert ignite_wire.aio_cache.AioCache is ignite_wire.AioCache
    assert ignite_wire.cache.Cache is ignite_wire.Cache
    assert ignite_wire.transaction.Transaction is ignite_wire.Transaction
    assert ignite_wire.transaction.AioTransaction is ignite_wire.AioTransaction
    assert TransactionIsolation.REPEATABLE_READ == 1
    assert TransactionConcurrency.PESSIMISTIC == 1
    assert issubclass(BinaryEnumArrayObject, EnumArrayObject)


def test_binary_enum_array_round_trip(any_client: Any) -> None:
    cache = any_client.get_or_create_cache("pyignite_api_enums")
    try:
        cache.put(1, (-1, [(6001, 1), (6002, 2)]), value_hint=BinaryEnumArrayObject)
        got = cache.get(1)
        assert [(v.type_id, v.ordinal) for v in got] == [(6001, 1), (6002, 2)]
    finally:
        cache.destroy()


def test_version_class_keyword_is_accepted_and_objects_round_trip(any_client: Any) -> None:
    class Versioned(
        metaclass=GenericObjectMeta,
        type_name="PyigniteApiVersioned",
        schema=OrderedDict([("id", IntObject), ("name", String)]),
        version=2,
    ):
        pass

    cache = any_client.get_or_create_cache("pyignite_api_versioned")
    try:
        cache.put(1, Versioned(id=1, name="one"))
        assert cache.get(1) == Versioned(id=1, name="one")
    finally:
        cache.destroy()


def test_instances_answer_their_class_properties() -> None:
    class Named(
        metaclass=GenericObjectMeta,
        type_name="Non.Pythonic#name$",
        schema=OrderedDict([("id", IntObject)]),
    ):
        pass

    obj = Named(id=1)
    assert obj.type_name == "Non.Pythonic#name$" == Named.type_name
    assert obj.type_id == Named.type_id == entity_id("Non.Pythonic#name$")
    assert obj.schema_id == Named.schema_id == schema_id(Named.schema)
    assert obj.schema == Named.schema

    class HasTypeNameField(
        metaclass=GenericObjectMeta,
        type_name="PyigniteApiTypeNameField",
        schema=OrderedDict([("type_name", String)]),
    ):
        pass

    # A field of the same name wins on the instance; the class keeps its property.
    assert HasTypeNameField(type_name="a field").type_name == "a field"
    assert HasTypeNameField.type_name == "PyigniteApiTypeNameField"


def test_binary_object_hashcode_matches_pyignite(ignite_node: IgniteCluster) -> None:
    import pyignite
    from pyignite import datatypes as pyignite_types

    # (No Decimal field: pyignite normalises 1.50 to 1.5, so its bytes, and hash, differ.)
    schema = OrderedDict([("id", IntObject), ("name", String), ("big", LongObject)])
    py_schema = OrderedDict(
        [
            ("id", pyignite_types.IntObject),
            ("name", pyignite_types.String),
            ("big", pyignite_types.LongObject),
        ]
    )

    class Ours(metaclass=GenericObjectMeta, type_name="HashPeer", schema=schema):
        pass

    class Theirs(metaclass=pyignite.GenericObjectMeta, type_name="HashPeer", schema=py_schema):
        pass

    host, port = ignite_node.node(0).endpoint
    peer = pyignite.Client()
    peer.connect(host, port)
    try:
        for i, name in ((1, "a"), (2, "ü"), (-7, "")):
            ours = Ours(id=i, name=name, big=2**40 + i)
            theirs = Theirs(id=i, name=name, big=2**40 + i)
            expected = pyignite_types.BinaryObject.hashcode(theirs, client=peer)
            assert BinaryObject.hashcode(ours) == expected
            assert asyncio.run(BinaryObject.hashcode_async(ours)) == expected
    finally:
        peer.close()
    with pytest.raises(TypeError):
        BinaryObject.hashcode(42)  # type: ignore[arg-type]


def test_utils_ids_are_the_ones_the_cluster_uses(client: Client) -> None:
    cache = client.get_or_create_cache("PyigniteApi Ids")
    try:
        assert cache_id("PyigniteApi Ids") == cache.cache_id
        assert cache_id(123) == 123
    finally:
        cache.destroy()
    assert entity_id("MyType") == entity_id("mytype") == hashcode("mytype")
    assert hashcode(b"\x01\x02") == 31 * (31 + 1) + 2
    assert unsigned(-1) == 2**32 - 1
    assert unsigned(-1, ctypes.c_ubyte) == 255
    with pytest.raises(TypeError):
        hashcode(3)  # type: ignore[arg-type]


def test_byte_arrays_take_signed_and_unsigned_ints(cache: Any) -> None:
    cache.put(1, (-128, -1, 0, 1, 127, 255), value_hint=ByteArrayObject)
    assert bytes(cache.get(1)) == bytes([128, 255, 0, 1, 127, 255])
    for bad in ((256,), (-129,), ("x",)):
        with pytest.raises(ParameterError, match=r"-128\.\.255"):
            cache.put(2, bad, value_hint=ByteArrayObject)


def test_cache_settings_errors_keep_pyignite_words(any_client: Any) -> None:
    with pytest.raises(ParameterError, match="You should supply at least cache name"):
        any_client.create_cache(None)
    with pytest.raises(ParameterError, match="You should supply at least cache name"):
        any_client.get_or_create_cache({})


def test_query_on_a_missing_cache_is_both_sql_and_missing_cache_error(any_client: Any) -> None:
    with pytest.raises(QueryCacheDoesNotExistError, match="Cache does not exist") as info:
        any_client.sql("select 1", cache="PyigniteApiNoSuchCache")
    assert isinstance(info.value, SQLError)
    assert isinstance(info.value, CacheDoesNotExistError)
    # A key-value operation on a missing cache stays a plain CacheDoesNotExistError.
    with pytest.raises(CacheDoesNotExistError) as kv:
        any_client.get_cache("PyigniteApiNoSuchCache").put(1, 1)
    assert not isinstance(kv.value, SQLError)


def test_select_row_pages_whole_entries(any_client: Any, unique: Any) -> None:
    table = unique("select_row").upper()
    any_client.sql(f"CREATE TABLE {table} (id INT PRIMARY KEY, name VARCHAR, grade INT)")
    try:
        for i in range(5):
            any_client.sql(
                f"INSERT INTO {table} (id, name, grade) VALUES (?, ?, ?)",
                query_args=[i, f"n{i}", i % 2],
            )
        cache = any_client.get_cache(f"SQL_PUBLIC_{table}")
        with cache.select_row("ORDER BY id", page_size=2) as cursor:
            rows = list(cursor)
        assert [k for k, _ in rows] == [0, 1, 2, 3, 4]
        assert [(v.NAME, v.GRADE) for _, v in rows] == [(f"n{i}", i % 2) for i in range(5)]
        odd = list(cache.select_row("grade = ? ORDER BY id", page_size=1, query_args=[1]))
        assert [k for k, _ in odd] == [1, 3]
        with pytest.raises(SQLError):
            list(cache.select_row("no_such_column = 1"))
    finally:
        any_client.sql(f"DROP TABLE {table}")


def test_select_row_needs_a_query_entity(cache: Any) -> None:
    with pytest.raises(SQLError, match="no query entity"):
        list(cache.select_row("ORDER BY _key"))
    with pytest.raises(ParameterError):
        cache.select_row("")


def test_harness_named_data_regions(ignite_cluster_factory: Any) -> None:
    """pyignite's tests put a cache in ``SmallDataRegion``: the harness can create it."""
    regions = {"SmallDataRegion": 20, "Région, avec: ponctuation\t!": 12}
    cluster = ignite_cluster_factory(1, data_regions=regions)
    client = Client()
    with client.connect(cluster.endpoints):
        for region in regions:
            cache = client.create_cache({PROP_NAME: f"in {region}", PROP_DATA_REGION_NAME: region})
            cache.put(1, "stored")
            assert cache.get(1) == "stored"
            assert cache.settings[PROP_DATA_REGION_NAME] == region
            cache.destroy()
        with pytest.raises(CacheError):
            client.create_cache({PROP_NAME: "nowhere", PROP_DATA_REGION_NAME: "NoSuchRegion"})


@pytest.mark.parametrize(
    ("regions", "problem"),
    [
        ({"": 20}, "non-empty"),
        ({"a\nb": 20}, "one line"),
        ({"default": 20}, "exists"),
        ({"r": 5}, ">= 10"),
    ],
)
def test_harness_refuses_bad_data_regions(regions: dict[str, int], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        IgniteCluster(1, data_regions=regions)


def test_query_binary_type_gives_a_class_per_schema(
    any_client: Any, connect_any: Any, unique: Any
) -> None:
    type_name = unique("QbtPerson")

    class Person(
        metaclass=GenericObjectMeta,
        type_name=type_name,
        schema=OrderedDict([("id", IntObject), ("name", String)]),
    ):
        pass

    cache = any_client.get_or_create_cache(unique("qbt"))
    try:
        cache.put(1, Person(id=1, name="one"))
        assert any_client.query_binary_type(type_name) == {Person.schema_id: Person}
        assert any_client.query_binary_type(Person.type_id, Person.schema_id) is Person
        assert any_client.query_binary_type(type_name, Person.schema) is Person
        assert any_client.query_binary_type(type_name, 12345) is None
        assert any_client.query_binary_type(unique("NoSuchType")) is None
        # A client that never declared the class gets one made from the metadata.
        other = connect_any()
        (made,) = other.query_binary_type(type_name).values()
        assert made.type_name == type_name
        assert list(made.schema) == ["id", "name"]
        assert other.get_cache(cache.name).get(1) == made(id=1, name="one")
    finally:
        cache.destroy()


def test_pyignite_kind_tuples_are_written_as_their_kind(any_client: Any) -> None:
    cache = any_client.get_or_create_cache("pyignite_api_kinds")
    try:
        cache.put(1, (CollectionObject.LINKED_LIST, [1, "2", 3.0]))
        assert cache.get(1) == [1, "2", 3.0]
        cache.put(2, (CollectionObject.HASH_SET, [4, 4, "x"]))
        assert cache.get(2) == {4, "x"}
        cache.put(3, (MapObject.LINKED_HASH_MAP, {"b": 1, "a": 2}))
        got = cache.get(3)
        assert isinstance(got, OrderedDict)
        assert list(got.items()) == [("b", 1), ("a", 2)]
        cache.put(4, [(MapObject.HASH_MAP, {1: (CollectionObject.ARR_LIST, [5])})])
        assert cache.get(4) == [{1: [5]}]
        # A bare int is no kind: such tuples stay refused rather than guessed.
        for ambiguous in ((1, [2, 3]), (2, {"a": 1}), (CollectionObject.ARR_LIST, 5)):
            with pytest.raises(ParameterError, match="tuple is ambiguous"):
                cache.put(5, ambiguous)
    finally:
        cache.destroy()
