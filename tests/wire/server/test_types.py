"""Every Ignite type stored on the session node and read back, on both clients.

Reading a value back equal only shows that the codec is symmetric; it does not show that
the *server* saw the intended Java type.  So most tests also ask the server: the
``*_if_equals`` operations compare with Java's ``equals`` (an ``Integer`` is never equal
to a ``Long``, a ``BigDecimal`` "1.50" never to "1.5", a ``Timestamp`` compares its
nanoseconds), keys are found only with the exact Java type and value they were stored
with, and SQL functions show what the node decoded (string length in UTF-16 units, a
UUID's text, a timestamp's nanoseconds).

Round-trip normalisations are the codec's documented ones (``ignite_wire/_protocol/codec.py``):
Date and Timestamp read as aware UTC ``datetime`` (``NanoDatetime`` when sub-microsecond
nanoseconds are set), char as a one-character ``str``, typed arrays as ``list`` (``bytes``
for ``byte[]``), set kinds as ``set``.
"""

from __future__ import annotations

import enum
import math
import struct
from collections import OrderedDict
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from ignite_wire import GenericObjectMeta
from ignite_wire._protocol.connection import ProtocolConnection
from ignite_wire._protocol.hashing import type_id
from ignite_wire._protocol.opcodes import OpCode
from ignite_wire._protocol.values import BinaryEnumValue, NanoDatetime
from ignite_wire.binary import fields_of, type_name_of
from ignite_wire.datatypes import (
    BinaryEnumObject,
    BoolArrayObject,
    BoolObject,
    ByteArrayObject,
    ByteObject,
    CharArrayObject,
    CharObject,
    CollectionObject,
    DateArrayObject,
    DateObject,
    DecimalArrayObject,
    DecimalObject,
    DoubleArrayObject,
    DoubleObject,
    EnumArrayObject,
    EnumObject,
    FloatArrayObject,
    FloatObject,
    IntArrayObject,
    IntObject,
    LongArrayObject,
    LongObject,
    MapObject,
    ObjectArrayObject,
    ShortArrayObject,
    ShortObject,
    String,
    StringArrayObject,
    TimeArrayObject,
    TimeObject,
    TimestampArrayObject,
    TimestampObject,
    UUIDArrayObject,
    UUIDObject,
)
from ignite_wire.exceptions import CacheError, EncodeError, ParameterError, ParseError

UTC = timezone.utc


@pytest.fixture
def sent_ops(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The op code of every request any connection frames during the test, in order."""
    ops: list[int] = []
    original = ProtocolConnection.send_request

    def recording(self: ProtocolConnection, op: int, payload: Any = b"") -> tuple[int, bytes]:
        ops.append(op)
        return original(self, op, payload)

    monkeypatch.setattr(ProtocolConnection, "send_request", recording)
    return ops


def java_equals(cache: Any, key: Any, sample: Any, hint: Any = None) -> bool:
    """Whether the server's value under ``key`` ``equals()`` ``sample`` (as ``hint`` types it).

    ``replace_if_equals`` with the sample as the new value leaves an equal value in place.
    """
    return bool(cache.replace_if_equals(key, sample, sample, sample_hint=hint, value_hint=hint))


def same(a: Any, b: Any) -> bool:
    """Equal and of the same Python type; floats compared bit for bit (-0.0, NaN)."""
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack("<d", a) == struct.pack("<d", b)
    return type(a) is type(b) and a == b


def sql_one(client: Any, query: str, *args: Any) -> Any:
    """The single value of a one-row, one-column statement."""
    rows = list(client.sql(query, query_args=list(args)))
    assert len(rows) == 1
    assert len(rows[0]) == 1
    return rows[0][0]


F32_MAX = struct.unpack("<f", b"\xff\xff\x7f\x7f")[0]

# (value, hint, whether the server's value differs from the same value sent without it)
HINTED_SCALARS = [
    pytest.param(-128, ByteObject, True, id="byte-min"),
    pytest.param(127, ByteObject, True, id="byte-max"),
    pytest.param(-32768, ShortObject, True, id="short-min"),
    pytest.param(32767, ShortObject, True, id="short-max"),
    pytest.param(-(2**31), IntObject, True, id="int-min"),
    pytest.param(2**31 - 1, IntObject, True, id="int-max"),
    pytest.param(-(2**63), LongObject, False, id="long-min"),
    pytest.param(2**63 - 1, LongObject, False, id="long-max"),
    pytest.param(1.5, FloatObject, True, id="float"),
    pytest.param(-F32_MAX, FloatObject, True, id="float-min"),
    pytest.param(float("inf"), FloatObject, True, id="float-inf"),
    pytest.param(float("nan"), FloatObject, True, id="float-nan"),
    pytest.param(math.pi, DoubleObject, False, id="double"),
    pytest.param(5e-324, DoubleObject, False, id="double-denormal"),
    pytest.param(-0.0, DoubleObject, False, id="double-negative-zero"),
    pytest.param("a", CharObject, True, id="char"),
    pytest.param("\u20ac", CharObject, True, id="char-euro"),
    pytest.param("\uffff", CharObject, True, id="char-max"),
    pytest.param(True, BoolObject, False, id="bool-true"),
    pytest.param(False, BoolObject, False, id="bool-false"),
]


@pytest.mark.parametrize(("value", "hint", "differs"), HINTED_SCALARS)
def test_hinted_scalar_value(cache: Any, value: Any, hint: Any, differs: bool) -> None:
    cache.put("k", value, value_hint=hint)
    assert same(cache.get("k"), value)
    assert java_equals(cache, "k", value, hint)
    if differs:
        # a Short is not equal to the Long (Float to the Double, Character to the
        # String) that the same Python value becomes without the hint
        assert not java_equals(cache, "k", value)


def test_float_hint_rounds_to_the_nearest_java_float(cache: Any) -> None:
    cache.put("k", 0.1, value_hint=FloatObject)
    assert cache.get("k") == struct.unpack("<f", struct.pack("<f", 0.1))[0] != 0.1


def test_negative_zero_is_not_zero_in_java(cache: Any) -> None:
    cache.put("k", -0.0)
    assert not java_equals(cache, "k", 0.0)  # Double.equals compares bits
    assert java_equals(cache, "k", -0.0)


@pytest.mark.parametrize(
    ("value", "hint", "differs"),
    [p for p in HINTED_SCALARS if p.id not in ("float-nan", "double-negative-zero")],
)
def test_hinted_scalar_key(cache: Any, value: Any, hint: Any, differs: bool) -> None:
    cache.put(value, "typed", key_hint=hint)
    assert cache.get(value, key_hint=hint) == "typed"
    assert cache.contains_key(value, key_hint=hint)
    assert cache.contains_keys([(value, hint)])
    assert cache.get_all([(value, hint)]) == {value: "typed"}
    if differs:
        assert cache.get(value) is None
        assert not cache.contains_key(value)
        cache.put(value, "default")
        assert cache.get(value) == "default"
        assert cache.get(value, key_hint=hint) == "typed"
        assert cache.get_size() == 2


def test_hint_pairs_inside_lists_and_maps(cache: Any) -> None:
    typed_list = [
        (1, ByteObject),
        (2, ShortObject),
        (3, IntObject),
        (4, LongObject),
        (5.5, FloatObject),
        ("c", CharObject),
    ]
    cache.put("list", typed_list)
    assert cache.get("list") == [1, 2, 3, 4, 5.5, "c"]
    assert java_equals(cache, "list", typed_list)
    assert not java_equals(cache, "list", [1, 2, 3, 4, 5.5, "c"])
    # (a Java array inside a List compares by identity, so only its round trip is checked)
    cache.put("array-in-list", [([1, 2], IntArrayObject), ([3], ShortArrayObject)])
    assert cache.get("array-in-list") == [[1, 2], [3]]

    typed_map = {(1, IntObject): (2, ShortObject), "nested": [(3, ByteObject)]}
    cache.put("map", typed_map)
    assert cache.get("map") == {1: 2, "nested": [3]}
    assert java_equals(cache, "map", typed_map)
    assert not java_equals(cache, "map", {1: 2, "nested": [3]})

    # a pair may also be the whole value, and carries its hint into put_all/get_all
    cache.put_all({(7, IntObject): (8, ShortObject)})
    assert cache.get_all([(7, IntObject)]) == {7: 8}
    assert cache.get_all([7]) == {}
    assert java_equals(cache, (7, IntObject), (8, ShortObject))


STRINGS = [
    pytest.param("", id="empty"),
    pytest.param("plain ascii", id="ascii"),
    pytest.param("Grüße, 中文, ελληνικά", id="bmp"),
    pytest.param("😀 𝄞 \U0010ffff", id="non-bmp"),
    pytest.param("a\x00b", id="nul"),
    pytest.param("ж😀" * 50_000, id="long"),
]


@pytest.mark.parametrize("text", STRINGS)
def test_string(any_client: Any, cache: Any, text: str) -> None:
    cache.put("k", text)
    assert cache.get("k") == text
    cache.put(text, "by string key")
    assert cache.get(text) == "by string key"
    # The node decoded the same characters: its length counts UTF-16 code units.
    assert sql_one(any_client, "SELECT LENGTH(?)", text) == len(text.encode("utf-16-le")) // 2
    assert sql_one(any_client, "SELECT ?", text) == text


def test_string_with_a_lone_surrogate_is_refused_before_sending(
    cache: Any, sent_ops: list[int]
) -> None:
    sent_ops.clear()
    with pytest.raises(EncodeError):
        cache.put("k", "bad \udc00 surrogate")
    assert sent_ops == []
    assert cache.get("k") is None
    assert OpCode.CACHE_GET in sent_ops  # (the recorder does see requests)


@pytest.mark.parametrize(
    "value",
    [
        UUID("00112233-4455-6677-8899-aabbccddeeff"),
        UUID(int=0),
        UUID(int=2**128 - 1),
        uuid4(),
    ],
    ids=["pattern", "zero", "max", "random"],
)
def test_uuid(any_client: Any, cache: Any, value: UUID) -> None:
    cache.put("k", value)
    assert same(cache.get("k"), value)
    cache.put(value, "by uuid key")
    assert cache.get(value) == "by uuid key"
    assert cache.get(value, key_hint=UUIDObject) == "by uuid key"
    assert cache.get(str(value)) is None
    # Java's UUID.toString of what the node decoded: the byte order matches Java's
    assert sql_one(any_client, "SELECT CAST(? AS VARCHAR)", value) == str(value)


def test_date(cache: Any) -> None:
    moment = datetime(2021, 3, 4, 5, 6, 7, 890000, tzinfo=UTC)
    cache.put("aware", moment, value_hint=DateObject)
    assert cache.get("aware") == moment
    assert cache.get("aware").tzinfo is not None
    # naive datetimes are UTC; a date is midnight UTC
    cache.put("naive", datetime(2021, 3, 4, 5, 6, 7, 890000), value_hint=DateObject)
    assert cache.get("naive") == moment
    cache.put("date", date(1969, 7, 20))
    assert cache.get("date") == datetime(1969, 7, 20, tzinfo=UTC)
    # Dates have millisecond precision
    cache.put("sub-ms", datetime(2021, 1, 1, 0, 0, 0, 999, tzinfo=UTC), value_hint=DateObject)
    assert cache.get("sub-ms") == datetime(2021, 1, 1, tzinfo=UTC)
    cache.put(date(2000, 1, 1), "by date key")
    assert cache.get(date(2000, 1, 1)) == "by date key"
    assert cache.get(datetime(2000, 1, 1, tzinfo=UTC), key_hint=DateObject) == "by date key"


def test_timestamp_keeps_nanoseconds(any_client: Any, cache: Any) -> None:
    base = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    value = NanoDatetime.from_datetime(base, 789)
    cache.put("k", value)
    got = cache.get("k")
    assert isinstance(got, NanoDatetime)
    assert got == base
    assert got.nanosecond == 123_456_789
    assert sql_one(any_client, "SELECT EXTRACT(NANOSECOND FROM ?)", value) == 123_456_789
    # java.sql.Timestamp.equals compares the nanoseconds
    assert java_equals(cache, "k", value)
    assert not java_equals(cache, "k", NanoDatetime.from_datetime(base, 788))
    assert not java_equals(cache, "k", base)

    # keys that differ only below the microsecond are different keys
    cache.put(value, "789")
    cache.put(NanoDatetime.from_datetime(base, 1), "1")
    cache.put(base, "0")
    assert cache.get(NanoDatetime.from_datetime(base, 789)) == "789"
    assert cache.get(NanoDatetime.from_datetime(base, 1)) == "1"
    assert cache.get(base) == "0"


def test_timestamp_forms(any_client: Any, cache: Any) -> None:
    base = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    # microseconds only: a plain datetime comes back
    cache.put("plain", base)
    got = cache.get("plain")
    assert same(got, base)
    # pyignite's (datetime, nanoseconds within the millisecond) with the hint
    pair = (datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC), 456_789)
    cache.put("pair", pair, value_hint=TimestampObject)
    got = cache.get("pair")
    assert isinstance(got, NanoDatetime)
    assert got.nanosecond == 123_456_789
    # an aware datetime in another zone is the same instant, read back in UTC
    cest = timezone(timedelta(hours=2))
    cache.put("zoned", datetime(2024, 5, 6, 9, 8, 9, 123456, tzinfo=cest))
    got = cache.get("zoned")
    assert got == base
    assert got.utcoffset() == timedelta(0)
    # before the epoch: the millisecond is floored, the nanoseconds count up from it
    for old in [
        datetime(1900, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
        NanoDatetime.from_datetime(datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), 7),
    ]:
        cache.put("old", old)
        got = cache.get("old")
        assert same(got, old)
        assert getattr(got, "extra_nanos", 0) == getattr(old, "extra_nanos", 0)
        nanos = old.microsecond * 1000 + getattr(old, "extra_nanos", 0)
        assert sql_one(any_client, "SELECT EXTRACT(NANOSECOND FROM ?)", old) == nanos


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (time(0, 0), time(0, 0)),
        (time(12, 34, 56, 789000), time(12, 34, 56, 789000)),
        (time(23, 59, 59, 999000), time(23, 59, 59, 999000)),
        (time(1, 2, 3, 4567), time(1, 2, 3, 4000)),  # sub-millisecond part dropped
        (timedelta(hours=5, minutes=6, milliseconds=7), time(5, 6, 0, 7000)),
    ],
    ids=["midnight", "afternoon", "last-ms", "sub-ms", "timedelta"],
)
def test_time(cache: Any, value: Any, expected: time) -> None:
    cache.put("k", value)
    assert same(cache.get("k"), expected)
    assert java_equals(cache, "k", expected, TimeObject)
    cache.put(value, "by time key")
    assert cache.get(expected) == "by time key"


DECIMALS = [
    "1.50",
    "-1.50",
    "0",
    "0.000",
    "1E+3",
    "-0.000001",
    "12345678901234567890123456789012345678901234567890.0123456789",
    "-98765432109876543210",
    "127",
    "128",
    "-128",
    "255",
    "1E-30",
]


@pytest.mark.parametrize("text", DECIMALS)
def test_decimal_keeps_exact_scale(any_client: Any, cache: Any, text: str) -> None:
    value = Decimal(text)
    cache.put("k", value)
    got = cache.get("k")
    assert isinstance(got, Decimal)
    assert got.as_tuple() == value.as_tuple()
    # BigDecimal.toPlainString of what the node decoded: same digits, same scale
    assert sql_one(any_client, "SELECT CAST(? AS VARCHAR)", value) == format(value, "f")
    assert java_equals(cache, "k", value)


def test_decimal_scale_makes_distinct_keys(cache: Any) -> None:
    cache.put(Decimal("1.50"), "two places")
    cache.put(Decimal("1.5"), "one place")
    assert cache.get(Decimal("1.50")) == "two places"
    assert cache.get(Decimal("1.5")) == "one place"
    assert cache.get(Decimal("1.500")) is None
    # BigDecimal.equals is scale-sensitive too
    cache.put("v", Decimal("1.50"))
    assert not java_equals(cache, "v", Decimal("1.5"))
    # ints become exact decimals with the hint
    cache.put("i", 10**30, value_hint=DecimalObject)
    assert cache.get("i") == Decimal(10**30)
    assert cache.get("i").as_tuple().exponent == 0


def test_decimal_negative_zero_becomes_zero(cache: Any) -> None:
    cache.put("k", Decimal("-0.00"))
    assert str(cache.get("k")) == "0.00"


TYPED_ARRAYS = [
    pytest.param(ByteArrayObject, [-128, 0, 127], bytes([128, 0, 127]), id="byte"),
    pytest.param(ShortArrayObject, [-32768, 0, 32767], None, id="short"),
    pytest.param(IntArrayObject, [-(2**31), 0, 2**31 - 1], None, id="int"),
    pytest.param(LongArrayObject, [-(2**63), 0, 2**63 - 1], None, id="long"),
    pytest.param(FloatArrayObject, [-1.5, 0.0, F32_MAX], None, id="float"),
    pytest.param(DoubleArrayObject, [-1.5, math.pi, 5e-324], None, id="double"),
    pytest.param(CharArrayObject, ["a", "\u20ac", "\uffff"], None, id="char"),
    pytest.param(BoolArrayObject, [True, False, True], None, id="bool"),
    pytest.param(StringArrayObject, ["a", None, "😀", ""], None, id="string"),
    pytest.param(UUIDArrayObject, [UUID(int=1), None, UUID(int=2**128 - 1)], None, id="uuid"),
    pytest.param(
        DateArrayObject,
        [datetime(2020, 1, 1, tzinfo=UTC), None, datetime(1960, 2, 3, 4, 5, tzinfo=UTC)],
        None,
        id="date",
    ),
    pytest.param(
        TimestampArrayObject,
        [
            NanoDatetime.from_datetime(datetime(2020, 1, 1, 0, 0, 0, 1, tzinfo=UTC), 999),
            None,
            datetime(2020, 1, 1, tzinfo=UTC),
        ],
        None,
        id="timestamp",
    ),
    pytest.param(TimeArrayObject, [time(1, 2, 3), None, time(23, 59, 59, 999000)], None, id="time"),
    pytest.param(DecimalArrayObject, [Decimal("1.50"), None, Decimal("-1E+5")], None, id="decimal"),
]


@pytest.mark.parametrize(("hint", "value", "expected"), TYPED_ARRAYS)
def test_typed_array(cache: Any, hint: Any, value: list[Any], expected: Any) -> None:
    expected = value if expected is None else expected
    cache.put("k", value, value_hint=hint)
    got = cache.get("k")
    assert got == expected
    assert all(same(g, e) for g, e in zip(got, expected, strict=True))
    if hint is TimestampArrayObject:
        assert got[0].nanosecond == 1999
    if hint is DecimalArrayObject:
        assert [d.as_tuple() for d in got if d is not None] == [
            d.as_tuple() for d in value if d is not None
        ]
    # the node holds an array of exactly this element type
    assert java_equals(cache, "k", value, hint)
    cache.put("empty", [], value_hint=hint)
    assert cache.get("empty") == (b"" if hint is ByteArrayObject else [])


def test_array_element_types_are_distinct_on_the_server(cache: Any) -> None:
    cache.put("k", [1, 2], value_hint=IntArrayObject)
    assert java_equals(cache, "k", [1, 2], IntArrayObject)
    assert not java_equals(cache, "k", [1, 2], LongArrayObject)
    assert not java_equals(cache, "k", [1, 2], ShortArrayObject)
    # bytes need no hint
    cache.put("b", b"\x00\xff")
    assert cache.get("b") == b"\x00\xff"
    assert java_equals(cache, "b", [0, -1], ByteArrayObject)


def test_object_array(cache: Any) -> None:
    mixed = [1, "two", None, 3.5, [4, 5], {"six": 6}, UUID(int=7)]
    cache.put("k", mixed, value_hint=ObjectArrayObject)
    assert cache.get("k") == mixed
    assert java_equals(cache, "k", mixed, ObjectArrayObject)
    assert not java_equals(cache, "k", mixed)  # a List is not an Object[]
    # pyignite's (component type id, items) form
    cache.put("typed", (ObjectArrayObject.OBJECT, ["a", "b"]), value_hint=ObjectArrayObject)
    assert cache.get("typed") == ["a", "b"]
    # Object[] inside Object[], and hinted elements
    nested = [(["x", (1, IntObject)], ObjectArrayObject), []]
    cache.put("nested", nested, value_hint=ObjectArrayObject)
    assert cache.get("nested") == [["x", 1], []]
    assert java_equals(cache, "nested", nested, ObjectArrayObject)


@pytest.mark.parametrize(
    ("kind", "is_set"),
    [
        (CollectionObject.USER_SET, True),
        (CollectionObject.USER_COL, False),
        (CollectionObject.ARR_LIST, False),
        (CollectionObject.LINKED_LIST, False),
        (CollectionObject.HASH_SET, True),
        (CollectionObject.LINKED_HASH_SET, True),
    ],
    ids=["user-set", "user-col", "arr-list", "linked-list", "hash-set", "linked-hash-set"],
)
def test_collection_kind(cache: Any, kind: int, is_set: bool) -> None:
    items = [3, "b", None, 1.5, (2, IntObject)]
    plain = [3, "b", None, 1.5, 2]
    cache.put("k", (kind, items), value_hint=CollectionObject)
    got = cache.get("k")
    if is_set:
        assert got == set(plain)
    else:
        assert got == plain
    # Java: a List never equals a Set; the Integer element stays an Integer
    assert java_equals(cache, "k", (CollectionObject.HASH_SET, items), CollectionObject) is is_set
    assert java_equals(cache, "k", (CollectionObject.ARR_LIST, items), CollectionObject) is (
        not is_set
    )
    assert not java_equals(cache, "k", (kind, plain), CollectionObject)


def test_singleton_list_is_stored_but_unreadable_by_thin_clients(cache: Any) -> None:
    # The node turns a SINGLETON_LIST into its own class and answers reads with that class in
    # Java serialization (type code -2), which no thin client can decode (pyignite fails
    # the same way).  The value is stored correctly, and the failed read is a clean error.
    cache.put("k", (CollectionObject.SINGLETON_LIST, ["only"]), value_hint=CollectionObject)
    with pytest.raises(ParseError, match="optimized marshaller"):
        cache.get("k")
    assert cache.get("missing") is None  # the connection is still in step
    assert java_equals(cache, "k", ["only"])  # (now replaced by an ArrayList)
    cache.put("other", ["only"])
    assert cache.get("other") == ["only"]


def test_default_collections(cache: Any) -> None:
    cache.put("list", [1, "a", [2, ["deep"]], None])
    assert cache.get("list") == [1, "a", [2, ["deep"]], None]
    cache.put("set", {1, "a", 2.5})
    assert cache.get("set") == {1, "a", 2.5}
    cache.put("frozenset", frozenset({UUID(int=1)}))
    assert cache.get("frozenset") == {UUID(int=1)}
    cache.put("tuple-as-list", ((1, 2), CollectionObject))
    assert cache.get("tuple-as-list") == [1, 2]
    cache.put("empty", [])
    assert cache.get("empty") == []


def test_maps(cache: Any) -> None:
    plain = {1: "one", "two": 2, 3.5: [3], UUID(int=4): {"nested": None}}
    cache.put("hash", plain)
    got = cache.get("hash")
    assert got == plain
    assert type(got) is dict

    # a LinkedHashMap keeps its order through the node (descending, so hash order differs)
    ordered = OrderedDict((f"key{i:03}", i) for i in range(200, 0, -1))
    cache.put("linked", ordered)
    got = cache.get("linked")
    assert isinstance(got, OrderedDict)
    assert list(got.items()) == list(ordered.items())

    cache.put("pair", (MapObject.LINKED_HASH_MAP, {"b": 1, "a": 2}), value_hint=MapObject)
    got = cache.get("pair")
    assert isinstance(got, OrderedDict)
    assert list(got) == ["b", "a"]
    cache.put("hinted", {"x": 1}, value_hint=MapObject)
    assert cache.get("hinted") == {"x": 1}
    cache.put("empty", {})
    assert cache.get("empty") == {}
    # maps as keys
    cache.put({"a": 1}, "by map key")
    assert cache.get({"a": 1}) == "by map key"
    assert cache.get({"a": 2}) is None


class WireTypesColor(enum.Enum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


def test_binary_enum_pairs(any_client: Any, cache: Any) -> None:
    type_id = 0x5EED
    cache.put("k", (type_id, 2), value_hint=BinaryEnumObject)
    got = cache.get("k")
    assert got == BinaryEnumValue(type_id, 2)
    assert (got.type_id, got.ordinal) == (type_id, 2)
    assert java_equals(cache, "k", BinaryEnumValue(type_id, 2))
    assert not java_equals(cache, "k", BinaryEnumValue(type_id, 1))
    cache.put((type_id, 1), "by enum key", key_hint=BinaryEnumObject)
    assert cache.get(BinaryEnumValue(type_id, 1)) == "by enum key"
    # code 28 (a Java enum by type id) reads back the same way
    cache.put("java-enum", (type_id, 0), value_hint=EnumObject)
    assert cache.get("java-enum") == BinaryEnumValue(type_id, 0)
    cache.put("array", [(type_id, 1), None, (type_id, 0)], value_hint=EnumArrayObject)
    assert cache.get("array") == [BinaryEnumValue(type_id, 1), None, BinaryEnumValue(type_id, 0)]


def test_registered_python_enum(any_client: Any, cache: Any, connect_any: Any) -> None:
    color = WireTypesColor
    with pytest.raises(EncodeError, match="not registered"):
        cache.put("k", color.GREEN)
    any_client.register_binary_type(color)
    cache.put("k", color.GREEN)
    assert cache.get("k") is color.GREEN
    cache.put(color.BLUE, "by enum key")
    assert cache.get(color.BLUE) == "by enum key"
    assert cache.get(BinaryEnumValue(type_id(color.__name__), 2)) == "by enum key"
    cache.put("list", [color.RED, None, color.BLUE])
    assert cache.get("list") == [color.RED, None, color.BLUE]
    # the node knows the enum's names, in definition order: a client without the class
    # reads the metadata and the (type id, ordinal) values
    other = connect_any()
    bt = other.get_binary_type(type_id(color.__name__))
    assert bt is not None
    assert bt.is_enum
    assert dict(bt.enum_values) == {"RED": 0, "GREEN": 1, "BLUE": 2}
    assert other.get_cache(cache.name).get("k") == BinaryEnumValue(type_id(color.__name__), 1)


class Address(
    metaclass=GenericObjectMeta,
    type_name="wire.types.Address",
    schema=OrderedDict([("street", String), ("zip", IntObject)]),
):
    pass


class Everything(
    metaclass=GenericObjectMeta,
    type_name="wire.types.Everything",
    schema=OrderedDict(
        [
            ("b", ByteObject),
            ("s", ShortObject),
            ("i", IntObject),
            ("l", LongObject),
            ("f", FloatObject),
            ("d", DoubleObject),
            ("c", CharObject),
            ("z", BoolObject),
            ("str", String),
            ("uuid", UUIDObject),
            ("date", DateObject),
            ("ts", TimestampObject),
            ("time", TimeObject),
            ("dec", DecimalObject),
            ("bytes", ByteArrayObject),
            ("ints", IntArrayObject),
            ("strings", StringArrayObject),
            ("objects", ObjectArrayObject),
            ("col", CollectionObject),
            ("map", MapObject),
            ("enum", BinaryEnumObject),
            ("address", Address),
            ("anything", None),
        ]
    ),
):
    pass


class PersonKey(
    metaclass=GenericObjectMeta,
    type_name="wire.types.PersonKey",
    schema=OrderedDict([("personId", IntObject), ("companyId", LongObject)]),
):
    pass


class NoFields(metaclass=GenericObjectMeta, type_name="wire.types.NoFields", schema={}):
    pass


def everything(**changes: Any) -> Everything:
    values: dict[str, Any] = {
        "b": -1,
        "s": 2,
        "i": -3,
        "l": 2**62,
        "f": 0.5,
        "d": 0.1,
        "c": "\u20ac",
        "z": True,
        "str": "😀 text",
        "uuid": UUID(int=42),
        "date": datetime(2020, 2, 29, 12, 0, tzinfo=UTC),
        "ts": NanoDatetime.from_datetime(datetime(2020, 2, 29, 12, 0, 0, 1, tzinfo=UTC), 2),
        "time": time(13, 14, 15),
        "dec": Decimal("-3.140"),
        "bytes": b"\x00\x01",
        "ints": [1, 2, 3],
        "strings": ["x", None],
        "objects": [1, "y"],
        "col": [1, [2]],
        "map": {"k": [1]},
        "enum": BinaryEnumValue(0x5EED, 1),
        "address": Address(street="Main St", zip=12345),
        "anything": Address(street="Side St", zip=1),
    }
    values.update(changes)
    return Everything(**values)


def test_binary_object_with_every_field_type(cache: Any) -> None:
    obj = everything()
    cache.put("k", obj)
    got = cache.get("k")
    assert got == obj
    assert type(got) is Everything
    assert got.ts.nanosecond == 1002
    assert got.dec.as_tuple() == Decimal("-3.140").as_tuple()
    assert type_name_of(got) == "wire.types.Everything"
    assert java_equals(cache, "k", obj)
    assert not java_equals(cache, "k", everything(i=-4))


def test_binary_object_null_fields_and_no_fields(cache: Any) -> None:
    sparse = Everything(i=7)
    cache.put("sparse", sparse)
    got = cache.get("sparse")
    assert got == sparse
    assert got.i == 7
    assert all(v is None for k, v in fields_of(got).items() if k != "i")
    cache.put("empty", NoFields())
    assert cache.get("empty") == NoFields()


def test_binary_objects_nested_in_containers(cache: Any) -> None:
    a, b = Address(street="A", zip=1), Address(street="B", zip=2)
    value = {"list": [a, b, None], "map": {a: b}}
    cache.put("k", value)
    got = cache.get("k")
    assert got == value
    assert got["map"][a] == b
    assert java_equals(cache, "k", value)
    assert not java_equals(cache, "k", {"list": [a, b, None], "map": {b: a}})
    cache.put("array", [a, (2, IntObject)], value_hint=ObjectArrayObject)
    assert cache.get("array") == [a, 2]
    # the same object twice in one value
    cache.put("twice", [a, a])
    assert cache.get("twice") == [a, a]


def test_binary_objects_as_keys(cache: Any) -> None:
    keys = [PersonKey(personId=i, companyId=i % 3) for i in range(10)]
    cache.put_all({k: f"person {k.personId}" for k in keys})
    assert cache.get(PersonKey(personId=4, companyId=1)) == "person 4"
    assert cache.get(PersonKey(personId=4, companyId=2)) is None
    assert cache.contains_key(PersonKey(personId=9, companyId=0))
    assert cache.get_all(keys[:3]) == {k: f"person {k.personId}" for k in keys[:3]}
    assert dict(cache.scan(page_size=4)) == {k: f"person {k.personId}" for k in keys}
    assert cache.remove_key(keys[0])
    assert cache.get(keys[0]) is None
    # a whole object (with a nested object) as a key
    cache.put(everything(), "by object key")
    assert cache.get(everything()) == "by object key"
    assert cache.get(everything(str="other")) is None


def test_full_footer_objects(connect_any: Any, unique: Any) -> None:
    full = connect_any(compact_footer=False)
    compact = connect_any()
    cache = full.create_cache(unique("full_footer"))
    try:
        key = PersonKey(personId=1, companyId=2)
        cache.put(key, everything())
        assert cache.get(key) == everything()
        assert dict(cache.scan()) == {key: everything()}
        # The node reads full footers too.  (It finds keys by their serialized bytes, so a
        # key is only found again in the footer form it was written in.)
        cache.put("k", everything())
        other = compact.get_cache(cache.name)
        assert other.get("k") == everything()
        assert dict(other.scan()) == {key: everything(), "k": everything()}
        # To Java, the two forms of an object are equal (the footer is not part of equals;
        # a nested object's footer is part of its parent's data, so only flat ones are).
        cache.put("flat", key)
        assert java_equals(other, "flat", key)
        assert java_equals(cache, "flat", key)
    finally:
        cache.destroy()


def test_null_inside_values(cache: Any) -> None:
    cache.put("list", [None])
    assert cache.get("list") == [None]
    cache.put("map", {"k": None})
    assert cache.get("map") == {"k": None}
    cache.put("objects", [None, None], value_hint=ObjectArrayObject)
    assert cache.get("objects") == [None, None]
    cache.put("strings", [None], value_hint=StringArrayObject)
    assert cache.get("strings") == [None]
    cache.put("field", Address(street=None, zip=None))
    assert cache.get("field") == Address()


def test_null_value_or_key_is_refused_by_the_node(cache: Any) -> None:
    # Ignite caches hold no null values and no null keys: the node refuses the request
    with pytest.raises(CacheError, match="null"):
        cache.put("k", None)
    with pytest.raises(CacheError, match="null"):
        cache.put(None, 1)
    cache.put("k", 1)
    assert cache.get("k") == 1


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (bytes(range(256)) * 4096, None),
        ("é😀" * (1 << 18), None),
        (list(range(100_000)), None),
        (list(range(200_000)), LongArrayObject),
        ({i: str(i) for i in range(20_000)}, None),
        ([everything(i=i) for i in range(500)], None),
    ],
    ids=["1MiB-bytes", "1.5MiB-string", "100k-list", "200k-long-array", "20k-map", "500-objects"],
)
def test_large_values(cache: Any, value: Any, hint: Any) -> None:
    cache.put("k", value, value_hint=hint)
    assert cache.get("k") == value
    cache.put_all({"a": value, "b": value})
    assert cache.get_all(["a", "b"]) == {"a": value, "b": value}


OUT_OF_RANGE = [
    pytest.param(2**63, None, id="long-over"),
    pytest.param(-(2**63) - 1, None, id="long-under"),
    pytest.param(2**31, IntObject, id="int-over"),
    pytest.param(-129, ByteObject, id="byte-under"),
    pytest.param(70000, ShortObject, id="short-over"),
    pytest.param(2**64, LongObject, id="long-hint-over"),
    pytest.param(1e39, FloatObject, id="float-over"),
    pytest.param("ab", CharObject, id="char-two"),
    pytest.param("😀", CharObject, id="char-non-bmp"),
    pytest.param([1, {"deep": 2**63}], None, id="nested"),
    pytest.param([1, 2**40], IntArrayObject, id="int-array-element"),
    pytest.param(PersonKey(personId=2**31, companyId=1), None, id="object-field"),
    pytest.param(Decimal("NaN"), None, id="decimal-nan"),
]


@pytest.mark.parametrize(("value", "hint"), OUT_OF_RANGE)
def test_unrepresentable_value_raises_before_sending(
    cache: Any, sent_ops: list[int], value: Any, hint: Any
) -> None:
    sent_ops.clear()
    with pytest.raises(EncodeError) as info:
        cache.put("k", value, value_hint=hint)
    assert isinstance(info.value, ParameterError)
    with pytest.raises(EncodeError):
        cache.put(value, "v", key_hint=hint)
    with pytest.raises(EncodeError):
        cache.put_all({"fine": 1, "bad": (value, hint) if hint else value})
    with pytest.raises(EncodeError):
        cache.get((value, hint) if hint else value)
    assert sent_ops == []
    # nothing half-sent: the connection is still in step and nothing was stored
    cache.put("k", 1)
    assert cache.get("k") == 1
    assert cache.get_size() == 1
    assert [op for op in sent_ops if op != OpCode.CACHE_PARTITIONS] == [
        OpCode.CACHE_PUT,
        OpCode.CACHE_GET,
        OpCode.CACHE_GET_SIZE,
    ]


def test_encode_error_names_where_the_value_is(cache: Any) -> None:
    with pytest.raises(EncodeError) as info:
        cache.put("k", [0, 1, {"price": 2**63}])
    assert "[2]['price']" in str(info.value)
    with pytest.raises(EncodeError) as info:
        cache.put("k", PersonKey(personId=1, companyId=2**64))
    assert "companyId" in str(info.value)


@pytest.mark.cluster
def test_unrepresentable_value_in_a_batch_sends_no_part_of_it(
    ignite_cluster: Any, unique: Any, sent_ops: list[int]
) -> None:
    # A partition-aware client splits batches by primary node: every part must be encoded
    # before any is sent, or the parts for other nodes would be stored.
    from ignite_wire import Client

    client = Client(partition_aware=True)
    client.connect(ignite_cluster.endpoints)
    try:
        cache = client.create_cache(unique("batch"))
        try:
            cache.put_all({i: i for i in range(100)})  # learns the partition map
            cache.clear()
            sent_ops.clear()
            pairs: dict[Any, Any] = {i: i for i in range(100)}
            pairs[100] = 2**63
            with pytest.raises(EncodeError):
                cache.put_all(pairs)
            with pytest.raises(EncodeError):
                cache.remove_keys([*range(100), 2**63])
            assert sent_ops == []
            assert cache.get_size() == 0
            assert OpCode.CACHE_GET_SIZE in sent_ops  # (the recorder does see requests)
        finally:
            cache.destroy()
    finally:
        client.close()
