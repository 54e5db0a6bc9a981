"""The pyignite value mode (ignite_wire/compat.py), sync and asyncio, against a real node.

A client made with ``compat="pyignite"`` (or after ``use_pyignite_values()``) reads and
writes pyignite's representations; a default client on the same node reads the same
entries as plain values.  docs/migrating-from-pyignite.md has the table these tests
check row by row.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

import ignite_wire.compat
from ignite_wire import AioClient, Client, GenericObjectMeta
from ignite_wire.datatypes import (
    BinaryEnumArrayObject,
    BinaryEnumObject,
    BoolObject,
    CollectionObject,
    DecimalObject,
    IntObject,
    LongObject,
    MapObject,
    ObjectArrayObject,
    String,
    TimestampArrayObject,
    TimestampObject,
)
from ignite_wire.datatypes.prop_codes import PROP_NAME, PROP_QUERY_ENTITIES
from ignite_wire.exceptions import EncodeError, ParameterError


class Item(metaclass=GenericObjectMeta, type_name="PyigniteModeItem", schema={"id": IntObject}):
    pass


D1 = datetime(1998, 4, 6, 18, 30)
D2 = datetime(2010, 12, 31)

#: (written, hint, what the pyignite mode reads, what the default mode reads)
CASES = [
    (D1, None, D1, D1.replace(tzinfo=timezone.utc)),
    ((D1, 1000), TimestampObject, (D1, 1000), None),
    (timedelta(minutes=30), None, timedelta(minutes=30), time(0, 30)),
    ([D1, D2], None, [D1, D2], [d.replace(tzinfo=timezone.utc) for d in (D1, D2)]),
    ([timedelta(hours=2)], None, [timedelta(hours=2)], [time(2)]),
    ([(D1, 5), (D2, 0)], TimestampArrayObject, [(D1, 5), (D2, 0)], None),
    ((5, 6), BinaryEnumObject, (5, 6), None),
    ((-1, [(6001, 1), (6002, 2)]), BinaryEnumArrayObject, (-1, [(6001, 1), (6002, 2)]), None),
    ((ObjectArrayObject.OBJECT, [1, "a"]), ObjectArrayObject, (-1, [1, "a"]), [1, "a"]),
    ((CollectionObject.LINKED_LIST, [1, 2]), None, (2, [1, 2]), [1, 2]),
    ((1, [1, "x"]), None, (1, [1, "x"]), [1, "x"]),  # a bare int kind, as pyignite takes it
    ((MapObject.HASH_MAP, {"k": 4}), None, (1, {"k": 4}), {"k": 4}),
    (
        (MapObject.LINKED_HASH_MAP, OrderedDict([("b", 1), ("a", 2)])),
        None,
        (2, OrderedDict([("b", 1), ("a", 2)])),
        OrderedDict([("b", 1), ("a", 2)]),
    ),
    (["s", None], None, ["s", None], ["s", None]),  # String[]
    ([1, 2, 3], None, [1, 2, 3], [1, 2, 3]),  # long[]
    ([Decimal("1.5"), None], None, [Decimal("1.5"), None], [Decimal("1.5"), None]),
    ([Item(id=1), 2], None, (1, [Item(id=1), 2]), [Item(id=1), 2]),  # pyignite: TypeError
]


@pytest.fixture
def pair(any_client: Any, connect_any: Callable[..., Any], unique: Any) -> Iterator[Any]:
    """(cache of a pyignite-mode client, the same cache of the default client)."""
    name = unique("pyvalues")
    plain = any_client.create_cache(name)
    py = connect_any(compat="pyignite").get_cache(name)
    yield py, plain
    plain.destroy()


@pytest.mark.parametrize(("value", "hint", "as_pyignite", "as_plain"), CASES)
def test_reads_pyignite_forms_and_the_default_client_reads_plain_values(
    pair: Any, value: Any, hint: Any, as_pyignite: Any, as_plain: Any
) -> None:
    py, plain = pair
    py.put("k", value, value_hint=hint)
    assert py.get("k") == as_pyignite
    if as_plain is not None:
        assert plain.get("k") == as_plain


def test_nested_values_in_objects_read_in_pyignite_forms(pair: Any) -> None:
    class Box(
        metaclass=GenericObjectMeta,
        type_name="PyigniteModeBox",
        schema={"items": CollectionObject, "map": MapObject, "when": TimestampObject},
    ):
        pass

    py, plain = pair
    box = Box(items=(CollectionObject.ARR_LIST, [Item(id=1)]), map=(1, {1: [D1]}), when=(D1, 7))
    py.put(1, box)
    read = py.get(1)
    assert read.items == (1, [Item(id=1)])
    assert read.map == (1, {1: [D1]})
    assert read.when == (D1, 7)
    assert read == box
    assert plain.get(1).items == [Item(id=1)]


def test_fields_the_written_schema_lacks_are_absent(pair: Any) -> None:
    class V1(
        metaclass=GenericObjectMeta,
        type_name="PyigniteModeVersioned",
        schema={"a": String, "b": BoolObject},
    ):
        pass

    class V2(
        metaclass=GenericObjectMeta,
        type_name="PyigniteModeVersioned",
        schema={"a": String, "c": DecimalObject},
    ):
        pass

    py, plain = pair
    py.put(1, V1(a="x", b=True))
    py.put(2, V2(a="y", c=Decimal("2.34")))
    first, second = py.get(1), py.get(2)
    assert (first.a, first.b) == ("x", True)
    assert (second.a, second.c) == ("y", Decimal("2.34"))
    assert not hasattr(second, "b")
    assert not hasattr(first, "c")
    # the default mode reads the field a schema lacks as None
    assert plain.get(1).c is None
    assert plain.get(2).b is None


def test_sql_timestamps_read_as_pyignite_tuples(
    any_client: Any, connect_any: Callable[..., Any]
) -> None:
    py = connect_any(compat="pyignite")
    sql = "SELECT CAST('2020-01-02 03:04:05.006' AS TIMESTAMP), CAST(1 AS BIGINT)"
    with py.sql(sql) as cursor:
        assert list(cursor) == [[(datetime(2020, 1, 2, 3, 4, 5, 6000), 0), 1]]
    with any_client.sql(sql) as cursor:
        assert list(cursor) == [[datetime(2020, 1, 2, 3, 4, 5, 6000, tzinfo=timezone.utc), 1]]


def test_a_tuple_of_no_pyignite_form_is_refused(pair: Any) -> None:
    py, _ = pair
    with pytest.raises(EncodeError, match="tuple"):
        py.put("k", (1, "a", 2.5))


def test_get_binary_type_returns_pyignite_dict_and_put_binary_type_registers(
    any_client: Any, connect_any: Callable[..., Any], unique: Any
) -> None:
    py = connect_any(compat="pyignite")
    name = unique("PyigniteModeType")
    schemas = [
        OrderedDict([("A", BoolObject), ("B", String)]),
        OrderedDict([("A", BoolObject), ("B", String), ("C", LongObject)]),
    ]
    for schema in schemas:
        answer = py.put_binary_type(name, schema=schema)
        assert answer["type_id"] == ignite_wire.utils.entity_id(name)
        assert answer["schema_id"] == ignite_wire.utils.schema_id(schema)
    info = py.get_binary_type(name)
    assert info["type_exists"] is True
    assert info["type_name"] == name
    assert info["is_enum"] is False
    assert sorted(map(list, info["schemas"])) == [["A", "B"], ["A", "B", "C"]]
    assert dict(info["schemas"][0])["A"] is BoolObject
    assert py.get_binary_type("PyigniteModeNoSuchType") == {"type_exists": False}
    # the default mode: a typed BinaryType, by name or id
    bt = any_client.get_binary_type(name)
    assert bt.type_name == name
    assert len(bt.schemas) == 2


def test_settings_get_pyignite_defaults_only_in_the_mode(
    any_client: Any, connect_any: Callable[..., Any], unique: Any
) -> None:
    def settings(name: str) -> dict[int, Any]:
        return {
            PROP_NAME: name,
            PROP_QUERY_ENTITIES: [
                {
                    "table_name": name + "_t",
                    "key_field_name": "K",
                    "key_type_name": "java.lang.Long",
                    "value_field_name": "V",
                    "value_type_name": "java.lang.String",
                    "query_fields": [
                        {"name": "K", "type_name": "java.lang.Long"},
                        {"name": "V", "type_name": "java.lang.String"},
                    ],
                    "query_indexes": [],
                }
            ],
        }

    py = connect_any(compat="pyignite")
    mine = settings(unique("pysettings"))
    cache = py.get_or_create_cache(mine)
    try:
        field = mine[PROP_QUERY_ENTITIES][0]["query_fields"][0]
        assert field["precision"] == -1
        assert field["is_key_field"] is False
        # so the caller's dict compares equal to what the cluster reports, as in pyignite
        read = cache.settings[PROP_QUERY_ENTITIES][0]["query_fields"]
        assert read == mine[PROP_QUERY_ENTITIES][0]["query_fields"]
    finally:
        cache.destroy()
    theirs = settings(unique("plainsettings"))
    cache = any_client.get_or_create_cache(theirs)
    try:
        assert "precision" not in theirs[PROP_QUERY_ENTITIES][0]["query_fields"][0]
    finally:
        cache.destroy()


@pytest.mark.parametrize("kind", [Client, AioClient])
def test_the_process_default_and_the_client_option(kind: type) -> None:
    assert kind().compat == "ignite_wire"
    ignite_wire.compat.use_pyignite_values()
    try:
        assert ignite_wire.compat.pyignite_values_enabled()
        assert kind().compat == "pyignite"
        assert kind(compat="ignite_wire").compat == "ignite_wire"
    finally:
        ignite_wire.compat.use_pyignite_values(False)
    assert kind().compat == "ignite_wire"
    assert kind(compat="pyignite").compat == "pyignite"
    with pytest.raises(ParameterError, match="compat"):
        kind(compat="pyignite2")


def test_orm_refuses_a_pyignite_mode_client_and_pins_its_own(ignite_node: Any) -> None:
    from ignite_orm import Database

    with pytest.raises(TypeError, match="plain values"):
        Database(Client(compat="pyignite"))
    host, port = ignite_node.node(0).endpoint
    ignite_wire.compat.use_pyignite_values()
    try:
        db = Database.connect(host, port)
    finally:
        ignite_wire.compat.use_pyignite_values(False)
    try:
        assert db.client.compat == "ignite_wire"
    finally:
        db.close()
