"""ignite_wire and pyignite 0.6.1 read each other's values through the same node.

Each test writes with one client and reads with the other, in both directions, on the
session node; ignite_wire runs as both ``Client`` and ``AioClient`` (``any_client``), and
pyignite as its sync client.

pyignite's own behaviour that the tests work around (``pyignite-study.md``), never ours:

* it infers a plain ``list``/``dict`` wrongly (``[1, 'ab']`` is read as a ``(kind, items)``
  pair, a ``dict`` is written as an array of its keys), so its side always passes
  collections and maps as ``(kind, items)`` with ``CollectionObject``/``MapObject``, which
  is also the form it reads them back in;
* it turns Date and Timestamp into *naive local* datetimes (``fromtimestamp``), so its
  values are compared as instants after ``astimezone``;
* it writes ``Decimal`` normalised (``1.50`` becomes ``1.5``), so a Decimal it wrote is
  compared by value, and exact scale only in the ignite_wire -> pyignite direction;
* its Time is a ``timedelta``; its Timestamp a ``(datetime, nanoseconds in the ms)`` pair;
* its generated classes are unhashable, so it never reads a map of binary-object keys.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

import pyignite
import pyignite.datatypes as pd
import pytest

from ignite_wire import GenericObjectMeta
from ignite_wire._protocol.values import BinaryEnumValue, NanoDatetime
from ignite_wire.binary import fields_of, type_name_of
from ignite_wire.datatypes import (
    BinaryEnumObject,
    BoolArrayObject,
    ByteObject,
    CharObject,
    CollectionObject,
    DateObject,
    DecimalObject,
    DoubleArrayObject,
    FloatObject,
    IntArrayObject,
    IntObject,
    LongObject,
    MapObject,
    ObjectArrayObject,
    ShortObject,
    String,
    StringArrayObject,
    TimestampObject,
    UUIDArrayObject,
)
from ignite_wire.testing import IgniteCluster

UTC = timezone.utc


@pytest.fixture
def py(ignite_node: IgniteCluster) -> Iterator[Any]:
    """A pyignite client on the session node."""
    host, port = ignite_node.node(0).endpoint
    client = pyignite.Client()
    client.connect(host, port)
    yield client
    client.close()


@pytest.fixture
def py_cache(py: Any, cache: Any) -> Any:
    """The test's cache (created by ignite_wire), seen through pyignite."""
    return py.get_cache(cache.name)


def instant(value: datetime) -> datetime:
    """A datetime pyignite read (naive, local time) as an aware UTC instant."""
    assert value.tzinfo is None
    return value.astimezone(UTC)


def java_equals(cache: Any, key: Any, sample: Any, hint: Any = None) -> bool:
    """Whether the node's value under ``key`` ``equals()`` ``sample`` sent as ``hint``."""
    return bool(cache.replace_if_equals(key, sample, sample, sample_hint=hint, value_hint=hint))


# -- primitives, strings, UUIDs, decimals --------------------------------------------

# (value, ignite_wire hint, pyignite hint)
SCALARS = [
    pytest.param(-128, ByteObject, pd.ByteObject, id="byte"),
    pytest.param(-32768, ShortObject, pd.ShortObject, id="short"),
    pytest.param(2**31 - 1, IntObject, pd.IntObject, id="int"),
    pytest.param(-(2**63), LongObject, pd.LongObject, id="long"),
    pytest.param(2**40, None, None, id="long-default"),
    pytest.param(-2.5, FloatObject, pd.FloatObject, id="float"),
    pytest.param(0.1, None, None, id="double"),
    pytest.param("\u20ac", CharObject, pd.CharObject, id="char"),
    pytest.param(True, None, None, id="bool"),
    pytest.param("Grüße 中文 😀 𝄞", None, None, id="string"),
    pytest.param(UUID("00112233-4455-6677-8899-aabbccddeeff"), None, None, id="uuid"),
    pytest.param(b"\x00\x01\xfe\xff", None, None, id="bytes"),
]


@pytest.mark.parametrize(("value", "hint", "py_hint"), SCALARS)
def test_scalars_from_ignite_wire_to_pyignite(
    cache: Any, py_cache: Any, value: Any, hint: Any, py_hint: Any
) -> None:
    cache.put("k", value, value_hint=hint)
    got = py_cache.get("k")
    assert got == value
    assert type(got) is type(value)
    # and as keys: pyignite finds the key with the same Java type
    cache.put(value, "by key", key_hint=hint)
    assert py_cache.get(value, key_hint=py_hint) == "by key"


@pytest.mark.parametrize(("value", "hint", "py_hint"), SCALARS)
def test_scalars_from_pyignite_to_ignite_wire(
    cache: Any, py_cache: Any, value: Any, hint: Any, py_hint: Any
) -> None:
    py_cache.put("k", value, value_hint=py_hint)
    got = cache.get("k")
    assert got == value
    assert type(got) is type(value)
    assert java_equals(cache, "k", value, hint)  # the same Java type as ours
    py_cache.put(value, "by key", key_hint=py_hint)
    assert cache.get(value, key_hint=hint) == "by key"


def test_decimals_both_ways(cache: Any, py_cache: Any) -> None:
    # (pyignite decodes in a 28-digit context, so longer values are not tried)
    for text in ["1.50", "-0.001", "1234567890123456789012345.67", "0", "1E+3"]:
        value = Decimal(text)
        cache.put("wire", value)
        assert py_cache.get("wire") == value
        py_cache.put("py", value)
        got = cache.get("py")
        assert isinstance(got, Decimal)
        assert got == value  # pyignite sent it normalised: same number, maybe another scale
        assert got.as_tuple() == value.normalize().as_tuple()
    # pyignite's normalising is its own: what ignite_wire wrote keeps its exact scale on
    # the node, where pyignite's 1.5 is a different BigDecimal
    cache.put("exact", Decimal("1.50"))
    assert java_equals(cache, "exact", Decimal("1.50"))
    py_cache.put("normalised", Decimal("1.50"))
    assert not java_equals(cache, "normalised", Decimal("1.50"))
    assert java_equals(cache, "normalised", Decimal("1.5"))


# -- dates and times ---------------------------------------------------------------------


def test_dates_and_timestamps_from_ignite_wire_to_pyignite(cache: Any, py_cache: Any) -> None:
    moment = datetime(2022, 7, 1, 12, 30, 45, 678000, tzinfo=UTC)
    cache.put("date", moment, value_hint=DateObject)
    assert instant(py_cache.get("date")) == moment

    precise = NanoDatetime.from_datetime(datetime(2022, 7, 1, 12, 30, 45, 678901, tzinfo=UTC), 234)
    cache.put("ts", precise)
    when, nanos = py_cache.get("ts")
    assert instant(when) == moment  # pyignite: whole milliseconds...
    assert nanos == 901_234  # ...and the nanoseconds within the millisecond

    cache.put("time", time(13, 14, 15, 16000))
    assert py_cache.get("time") == timedelta(hours=13, minutes=14, seconds=15, milliseconds=16)


def test_dates_and_timestamps_from_pyignite_to_ignite_wire(cache: Any, py_cache: Any) -> None:
    moment = datetime(2022, 7, 1, 12, 30, 45, 678000, tzinfo=UTC)
    py_cache.put("date", moment, value_hint=pd.DateObject)
    assert cache.get("date") == moment
    assert java_equals(cache, "date", moment, DateObject)

    py_cache.put("ts", (moment, 901_234), value_hint=pd.TimestampObject)
    got = cache.get("ts")
    assert isinstance(got, NanoDatetime)
    assert got.to_datetime() == datetime(2022, 7, 1, 12, 30, 45, 678901, tzinfo=UTC)
    assert got.nanosecond == 678_901_234
    assert java_equals(cache, "ts", got, TimestampObject)

    py_cache.put("time", timedelta(hours=1, minutes=2, seconds=3), value_hint=pd.TimeObject)
    assert cache.get("time") == time(1, 2, 3)


# -- arrays, collections, maps, enums ------------------------------------------------------

ARRAYS = [
    pytest.param([1, -2, 2**31 - 1], IntArrayObject, pd.IntArrayObject, id="int"),
    pytest.param([0.5, -1e300], DoubleArrayObject, pd.DoubleArrayObject, id="double"),
    pytest.param([True, False], BoolArrayObject, pd.BoolArrayObject, id="bool"),
    pytest.param(["a", "😀", ""], StringArrayObject, pd.StringArrayObject, id="string"),
    pytest.param([UUID(int=1), UUID(int=2)], UUIDArrayObject, pd.UUIDArrayObject, id="uuid"),
]


@pytest.mark.parametrize(("value", "hint", "py_hint"), ARRAYS)
def test_typed_arrays_both_ways(
    cache: Any, py_cache: Any, value: list[Any], hint: Any, py_hint: Any
) -> None:
    cache.put("wire", value, value_hint=hint)
    assert list(py_cache.get("wire")) == value
    py_cache.put("py", value, value_hint=py_hint)
    assert cache.get("py") == value
    assert java_equals(cache, "py", value, hint)


def test_object_arrays_both_ways(cache: Any, py_cache: Any) -> None:
    cache.put("wire", [1, "two", None], value_hint=ObjectArrayObject)
    assert py_cache.get("wire") == (ObjectArrayObject.OBJECT, [1, "two", None])
    py_cache.put("py", (-1, [1, "two", None]), value_hint=pd.ObjectArrayObject)
    assert cache.get("py") == [1, "two", None]
    assert java_equals(cache, "py", [1, "two", None], ObjectArrayObject)


def test_collections_both_ways(cache: Any, py_cache: Any) -> None:
    cache.put("list", [1, "a", 2.5])
    assert py_cache.get("list") == (CollectionObject.ARR_LIST, [1, "a", 2.5])
    cache.put("set", {7})
    assert py_cache.get("set") == (CollectionObject.HASH_SET, [7])
    cache.put("linked", (CollectionObject.LINKED_LIST, [3, 2, 1]), value_hint=CollectionObject)
    assert py_cache.get("linked") == (CollectionObject.LINKED_LIST, [3, 2, 1])

    py_cache.put("py-list", (1, [1, "a", 2.5]), value_hint=pd.CollectionObject)
    assert cache.get("py-list") == [1, "a", 2.5]
    assert java_equals(cache, "py-list", [1, "a", 2.5])
    py_cache.put("py-set", (3, [1, 2]), value_hint=pd.CollectionObject)
    assert cache.get("py-set") == {1, 2}
    assert java_equals(cache, "py-set", {1, 2})


def test_maps_both_ways(cache: Any, py_cache: Any) -> None:
    cache.put("hash", {"a": 1, 2: "b"})
    assert py_cache.get("hash") == (MapObject.HASH_MAP, {"a": 1, 2: "b"})
    ordered = OrderedDict((f"k{i}", i) for i in range(20, 0, -1))
    cache.put("linked", ordered)
    kind, got = py_cache.get("linked")
    assert kind == MapObject.LINKED_HASH_MAP
    assert list(got.items()) == list(ordered.items())

    py_cache.put("py-hash", (1, {"a": 1, 2: "b"}), value_hint=pd.MapObject)
    assert cache.get("py-hash") == {"a": 1, 2: "b"}
    assert java_equals(cache, "py-hash", {"a": 1, 2: "b"})
    py_cache.put("py-linked", (2, ordered), value_hint=pd.MapObject)
    got = cache.get("py-linked")
    assert isinstance(got, OrderedDict)
    assert list(got.items()) == list(ordered.items())


def test_binary_enums_both_ways(cache: Any, py_cache: Any) -> None:
    cache.put("wire", BinaryEnumValue(0x1D, 3))
    assert py_cache.get("wire") == (0x1D, 3)
    py_cache.put("py", (0x1D, 2), value_hint=pd.BinaryEnumObject)
    assert cache.get("py") == BinaryEnumValue(0x1D, 2)
    assert java_equals(cache, "py", (0x1D, 2), BinaryEnumObject)


# -- complex objects ----------------------------------------------------------------------


class WireCity(
    metaclass=GenericObjectMeta,
    type_name="interop.City",
    schema=OrderedDict([("name", String), ("population", IntObject), ("area", DecimalObject)]),
):
    pass


class PyCity(
    metaclass=pyignite.GenericObjectMeta,
    type_name="interop.City",
    schema=OrderedDict(
        [("name", pd.String), ("population", pd.IntObject), ("area", pd.DecimalObject)]
    ),
):
    pass


class WireCountry(
    metaclass=GenericObjectMeta,
    type_name="interop.Country",
    schema=OrderedDict(
        [("code", String), ("capital", WireCity), ("cities", CollectionObject), ("id", LongObject)]
    ),
):
    pass


class PyCountry(
    metaclass=pyignite.GenericObjectMeta,
    type_name="interop.Country",
    schema=OrderedDict(
        [
            ("code", pd.String),
            ("capital", pd.BinaryObject),
            ("cities", pd.CollectionObject),
            ("id", pd.LongObject),
        ]
    ),
):
    pass


def same_city(py_city: Any, wire_city: WireCity) -> bool:
    return (
        isinstance(py_city, PyCity)
        and py_city.name == wire_city.name
        and py_city.population == wire_city.population
        and py_city.area == wire_city.area
    )


def test_objects_from_ignite_wire_to_pyignite(cache: Any, py: Any, py_cache: Any) -> None:
    paris = WireCity(name="Paris", population=2_100_000, area=Decimal("105.4"))
    lyon = WireCity(name="Lyon", population=520_000, area=Decimal("47.87"))
    cache.put("city", paris)
    # a class pyignite never saw: fields by name in a class it makes from the metadata
    got = py_cache.get("city")
    assert (got.name, got.population, got.area) == ("Paris", 2_100_000, Decimal("105.4"))
    # its declared classes, once registered
    py.register_binary_type(PyCity)
    py.register_binary_type(PyCountry)
    assert same_city(py_cache.get("city"), paris)

    country = WireCountry(code="FR", capital=paris, cities=[paris, lyon], id=33)
    cache.put("country", country)
    got = py_cache.get("country")
    assert isinstance(got, PyCountry)
    assert (got.code, got.id) == ("FR", 33)
    assert same_city(got.capital, paris)
    kind, cities = got.cities
    assert kind == CollectionObject.ARR_LIST
    assert [c.name for c in cities] == ["Paris", "Lyon"]
    assert same_city(cities[1], lyon)

    # an object key written here is found by pyignite's equal object
    cache.put(lyon, "by object key")
    assert py_cache.get(PyCity(name="Lyon", population=520_000, area=Decimal("47.87"))) == (
        "by object key"
    )


def test_objects_from_pyignite_to_ignite_wire(
    any_client: Any, cache: Any, py: Any, py_cache: Any
) -> None:
    paris = PyCity(name="Paris", population=2_100_000, area=Decimal("105.4"))
    py_cache.put("city", paris)
    got = cache.get("city")
    # a class this client never used: a class made from the cluster's metadata, equal
    assert got == WireCity(name="Paris", population=2_100_000, area=Decimal("105.4"))
    assert type(got) is not WireCity
    # once registered, our class
    any_client.register_binary_type(WireCity)
    got = cache.get("city")
    assert type(got) is WireCity
    assert got == WireCity(name="Paris", population=2_100_000, area=Decimal("105.4"))
    assert java_equals(cache, "city", got)  # byte-identical to our encoding

    lyon = PyCity(name="Lyon", population=520_000, area=Decimal("47.87"))
    py_cache.put(
        "country",
        PyCountry(
            code="FR", capital=paris, cities=(CollectionObject.ARR_LIST, [paris, lyon]), id=33
        ),
    )
    got = cache.get("country")
    assert type(got) is not WireCountry
    assert type(got.capital) is WireCity
    # writing with a class makes it the one objects of its type are read as
    cache.put("written", WireCountry(code="DE", capital=None, cities=[], id=49))
    got = cache.get("country")
    assert type(got) is WireCountry
    assert got == WireCountry(
        code="FR",
        capital=WireCity(name="Paris", population=2_100_000, area=Decimal("105.4")),
        cities=[
            WireCity(name="Paris", population=2_100_000, area=Decimal("105.4")),
            WireCity(name="Lyon", population=520_000, area=Decimal("47.87")),
        ],
        id=33,
    )

    py_cache.put(lyon, "by object key")
    assert cache.get(WireCity(name="Lyon", population=520_000, area=Decimal("47.87"))) == (
        "by object key"
    )
    assert dict(cache.scan()) == {
        "city": WireCity(name="Paris", population=2_100_000, area=Decimal("105.4")),
        "country": got,
        "written": WireCountry(code="DE", capital=None, cities=[], id=49),
        WireCity(name="Lyon", population=520_000, area=Decimal("47.87")): "by object key",
    }


class PyOnlyInvoice(
    metaclass=pyignite.GenericObjectMeta,
    type_name="interop.PyOnlyInvoice",
    schema=OrderedDict(
        [
            ("number", pd.LongObject),
            ("customer", pd.String),
            ("total", pd.DecimalObject),
            ("issued", pd.TimestampObject),
            ("lines", pd.StringArrayObject),
            ("paid", pd.BoolObject),
        ]
    ),
):
    pass


def test_type_only_pyignite_declared_is_read_as_a_generic_object(
    cache: Any, py: Any, py_cache: Any
) -> None:
    issued = datetime(2023, 3, 4, 5, 6, 7, tzinfo=UTC)
    invoice = PyOnlyInvoice(
        number=1001,
        customer="ACME",
        total=Decimal("99.95"),
        issued=(issued, 0),
        lines=["bolts", "nuts"],
        paid=False,
    )
    py_cache.put(1001, invoice)
    got = cache.get(1001)
    assert type_name_of(got) == "interop.PyOnlyInvoice"
    assert got.number == 1001
    assert got["customer"] == "ACME"
    assert got.total == Decimal("99.95")
    assert got.issued == issued
    assert got.lines == ["bolts", "nuts"]
    assert got.paid is False
    assert fields_of(got) == {
        "number": 1001,
        "customer": "ACME",
        "total": Decimal("99.95"),
        "issued": issued,
        "lines": ["bolts", "nuts"],
        "paid": False,
    }
    # the generic object is written back with the cluster's field types, and pyignite
    # reads it as its own class
    got.paid = True
    cache.put(1002, got)
    back = py_cache.get(1002)
    assert isinstance(back, PyOnlyInvoice)
    assert (back.number, back.customer, back.total, back.paid) == (
        1001,
        "ACME",
        Decimal("99.95"),
        True,
    )
    assert list(back.lines) == ["bolts", "nuts"]
    assert instant(back.issued[0]) == issued
