"""Every supported field type round-trips through the repository and reads right in SQL.

Acceptance: "Every supported field type round-trips through the repository and is
correct when read through plain SQL."  Each object is put and read back through every
read path (get, get with validation, get_many, scan, select, sql ``_KEY, _VAL``) and must
be *identical*: equal values of the exact same types (``==`` alone would take ``"red"``
for ``Color.RED``, ``1`` for ``True`` and a set for a frozenset).

Through plain SQL (``db.client.sql``) each column must hold the field's value in
Ignite's representation: dates as TIMESTAMP at midnight UTC, enums as their values,
tuples and lists as lists, sets and frozensets as sets, maps as dicts, and nested models
as binary objects with the same fields (compared field by field, recursively).  So
collections and nested objects are compared by content too, not only as non-null.
"""

# ruff: noqa: RUF012  (pydantic copies mutable defaults; ruff cannot see IgniteModel is one)

import enum
from datetime import date, datetime, time, timezone
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import pytest
from pydantic import BaseModel

from ignite_orm import (
    Char,
    Float32,
    IgniteModel,
    Int8,
    Int16,
    Int32,
    Key,
    Precision,
)
from ignite_wire import GenericObjectMeta
from ignite_wire.binary import fields_of

UTC = timezone.utc


class Color(str, enum.Enum):
    RED = "red"
    GREEN = "green"


class Size(enum.Enum):
    SMALL = "S"
    LARGE = "L"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 5


class Rank(enum.Enum):
    FIRST = 1
    SECOND = 2


class OrmGeo(IgniteModel):
    lat: float
    lon: float


class OrmAddress(IgniteModel):
    street: str
    zip: Annotated[int, Int32]
    since: date
    kind: Color = Color.RED
    geo: OrmGeo | None = None


class OrmAllTypes(IgniteModel, cache="orm_all_types"):
    id: Annotated[int, Key]
    flag: bool
    big: int
    tiny: Annotated[int, Int8]
    small: Annotated[int, Int16]
    medium: Annotated[int, Int32]
    ratio: float
    ratio32: Annotated[float, Float32]
    text: str
    initial: Annotated[str, Char]
    blob: bytes
    amount: Annotated[Decimal, Precision(12, 2)]
    uid: UUID
    day: date
    clock: time
    moment: datetime
    color: Color
    size: Size
    level: Level
    rank: Rank
    maybe_int: Annotated[int, Int32] | None = None
    maybe_text: str | None = None
    maybe_day: date | None = None
    maybe_address: OrmAddress | None = None
    numbers: list[int] = []
    names: set[str] = set()
    frozen: frozenset[int] = frozenset()
    days: list[date] = []
    pair: tuple[str, int] = ("", 0)
    levels: tuple[Level, ...] = ()
    colors: set[Color] = set()
    scores: dict[str, float] = {}
    by_color: dict[str, Color] = {}
    matrix: list[list[int]] = []
    address: OrmAddress
    addresses: list[OrmAddress] = []


def full() -> OrmAllTypes:
    home = OrmAddress(
        street="1 Main St", zip=12345, since=date(2001, 2, 3), kind=Color.GREEN,
        geo=OrmGeo(lat=48.85, lon=2.35),
    )  # fmt: skip
    return OrmAllTypes(
        id=1,
        flag=True,
        big=2**40 + 7,
        tiny=-5,
        small=300,
        medium=70_000,
        ratio=1.5,
        ratio32=0.25,
        text="héllo, wörld",
        initial="Ω",
        blob=b"\x00\x01\xfe\xff",
        amount=Decimal("1234.50"),
        uid=UUID("12345678-1234-5678-1234-567812345678"),
        day=date(2020, 2, 29),
        clock=time(12, 34, 56, 789000),
        moment=datetime(2021, 5, 6, 7, 8, 9, 123456, tzinfo=UTC),
        color=Color.GREEN,
        size=Size.LARGE,
        level=Level.HIGH,
        rank=Rank.SECOND,
        maybe_int=42,
        maybe_text="present",
        maybe_day=date(1999, 12, 31),
        maybe_address=OrmAddress(street="PO Box", zip=1, since=date(2010, 1, 1)),
        numbers=[3, 1, 2],
        names={"a", "b"},
        frozen=frozenset({7, 8}),
        days=[date(2000, 1, 1), date(1970, 1, 1)],
        pair=("x", 9),
        levels=(Level.LOW, Level.HIGH),
        colors={Color.RED, Color.GREEN},
        scores={"math": 9.5, "art": 7.0},
        by_color={"sky": Color.GREEN},
        matrix=[[1, 2], [], [3]],
        address=home,
        addresses=[home, OrmAddress(street="2nd St", zip=2, since=date(1969, 7, 20))],
    )


def lows() -> OrmAllTypes:
    """Lower bounds, empty values and None everywhere None is allowed."""
    return OrmAllTypes(
        id=2,
        flag=False,
        big=-(2**63),
        tiny=-128,
        small=-32768,
        medium=-(2**31),
        ratio=-1e308,
        ratio32=-3.4028234663852886e38,  # the most negative float32
        text="",
        initial="\x00",
        blob=b"",
        amount=Decimal("-9999999999.99"),
        uid=UUID(int=0),
        day=date(1900, 1, 1),
        clock=time(0, 0),
        # before the epoch, with a sub-millisecond part: negative millis + nanos
        moment=datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        color=Color.RED,
        size=Size.SMALL,
        level=Level.LOW,
        rank=Rank.FIRST,
        address=OrmAddress(street="", zip=-(2**31), since=date(1900, 1, 1)),
    )


def highs() -> OrmAllTypes:
    """Upper bounds and characters outside ASCII and the BMP."""
    return OrmAllTypes(
        id=3,
        flag=True,
        big=2**63 - 1,
        tiny=127,
        small=32767,
        medium=2**31 - 1,
        ratio=1e308,
        ratio32=3.4028234663852886e38,
        text="naïve 🚀 日本語 " * 50,
        initial="\uffff",
        blob=bytes(range(256)) * 10,
        amount=Decimal("9999999999.99"),
        uid=UUID(int=2**128 - 1),
        day=date(9999, 12, 31),
        clock=time(23, 59, 59, 999000),
        moment=datetime(2100, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
        color=Color.GREEN,
        size=Size.LARGE,
        level=Level.HIGH,
        rank=Rank.SECOND,
        maybe_int=2**31 - 1,
        numbers=[-(2**63), 2**63 - 1],
        days=[date(9999, 12, 31)],
        scores={"": -0.5},
        address=OrmAddress(street="🏠", zip=2**31 - 1, since=date(9999, 12, 31)),
    )


OBJECTS = [full, lows, highs]


def assert_identical(got: Any, expected: Any, path: str = "") -> None:
    """Equal values of exactly the same types, recursively."""
    assert type(got) is type(expected), f"{path or 'value'}: {type(got)} != {type(expected)}"
    if isinstance(expected, BaseModel):
        assert set(got.__dict__) == set(expected.__dict__), path
        for name, value in expected.__dict__.items():
            assert_identical(got.__dict__[name], value, f"{path}.{name}")
    elif isinstance(expected, (list, tuple)):
        assert len(got) == len(expected), path
        for i, (a, b) in enumerate(zip(got, expected, strict=True)):
            assert_identical(a, b, f"{path}[{i}]")
    elif isinstance(expected, dict):
        assert list(got) == list(expected), path
        for k in expected:
            assert type(next(x for x in got if x == k)) is type(k), f"{path} key {k!r}"
            assert_identical(got[k], expected[k], f"{path}[{k!r}]")
    elif isinstance(expected, (set, frozenset)):
        assert got == expected, path
        assert {type(x) for x in got} == {type(x) for x in expected}, path
    else:
        assert got == expected, f"{path}: {got!r} != {expected!r}"


def as_sql(value: Any) -> Any:
    """A model value as Ignite shows it to SQL (see the module docstring)."""
    if isinstance(value, BaseModel):
        return {name: as_sql(v) for name, v in value.__dict__.items()}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, (list, tuple)):
        return [as_sql(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {as_sql(v) for v in value}
    if isinstance(value, dict):
        return {as_sql(k): as_sql(v) for k, v in value.items()}
    return value


def from_sql(value: Any) -> Any:
    """A SQL result value with binary objects turned into dicts of their fields."""
    if isinstance(type(value), GenericObjectMeta):
        return {name: from_sql(v) for name, v in fields_of(value).items()}
    if isinstance(value, list):
        return [from_sql(v) for v in value]
    if isinstance(value, dict):
        return {k: from_sql(v) for k, v in value.items()}
    return value


COLUMNS = list(OrmAllTypes.model_fields)


@pytest.fixture
def stored(db: Any, schema: Any) -> list[OrmAllTypes]:
    schema(OrmAllTypes)
    objects = [make() for make in OBJECTS]
    repo = db.repository(OrmAllTypes)
    for obj in objects:
        repo.put(obj)
    return objects


def test_every_type_round_trips_through_every_read_path(db: Any, stored: list[OrmAllTypes]) -> None:
    # every type maps back to itself: the live schema matches the model
    assert db.plan(OrmAllTypes).empty
    repo = db.repository(OrmAllTypes)
    for obj in stored:
        assert_identical(repo.get(obj.id), obj)
        assert_identical(repo.get(obj.id, validate=True), obj)
        assert_identical(repo.get(id=obj.id), obj)
    by_id = {o.id: o for o in stored}
    for validate in (False, True):
        many = repo.get_many([o.id for o in stored], validate=validate)
        assert sorted(m.id for m in many) == sorted(by_id)
        for got in many:
            assert_identical(got, by_id[got.id])
        scanned = list(repo.scan(validate=validate))
        assert sorted(m.id for m in scanned) == sorted(by_id)
        for got in scanned:
            assert_identical(got, by_id[got.id])
        selected = repo.select("ORDER BY id", validate=validate)
        assert [m.id for m in selected] == sorted(by_id)
        for got in selected:
            assert_identical(got, by_id[got.id])
        via_sql = list(repo.sql("SELECT _KEY, _VAL FROM OrmAllTypes WHERE id = ?", 1))
        assert len(via_sql) == 1
        assert_identical(via_sql[0], by_id[1])


def test_every_column_reads_right_through_plain_sql(
    stored: list[OrmAllTypes], sql_rows: Any
) -> None:
    for obj in stored:
        rows = sql_rows(f"SELECT {', '.join(COLUMNS)} FROM OrmAllTypes WHERE id = ?", obj.id)
        assert len(rows) == 1
        for name, value in zip(COLUMNS, rows[0], strict=True):
            expected = as_sql(getattr(obj, name))
            assert from_sql(value) == expected, name
            if expected is not None:
                # exact SQL-side types: a TIMESTAMP for a date, a str for an enum...
                assert type(from_sql(value)) is type(expected), name


def test_sql_columns_have_the_declared_types(stored: list[OrmAllTypes], sql_rows: Any) -> None:
    columns = {
        name: (kind, precision, scale)
        for name, kind, precision, scale in sql_rows(
            "SELECT COLUMN_NAME, TYPE, PRECISION, SCALE FROM SYS.TABLE_COLUMNS "
            "WHERE SCHEMA_NAME = 'PUBLIC' AND TABLE_NAME = 'ORMALLTYPES'"
        )
    }
    expected = {
        "FLAG": "java.lang.Boolean",
        "BIG": "java.lang.Long",
        "TINY": "java.lang.Byte",
        "SMALL": "java.lang.Short",
        "MEDIUM": "java.lang.Integer",
        "RATIO": "java.lang.Double",
        "RATIO32": "java.lang.Float",
        "TEXT": "java.lang.String",
        "INITIAL": "java.lang.String",  # Ignite SQL has no Character type
        "BLOB": "[B",
        "AMOUNT": "java.math.BigDecimal",
        "UID": "java.util.UUID",
        "DAY": "java.util.Date",
        "CLOCK": "java.sql.Time",
        "MOMENT": "java.sql.Timestamp",
        "COLOR": "java.lang.String",
        "SIZE": "java.lang.String",
        "LEVEL": "java.lang.Long",
        "RANK": "java.lang.Long",
        "MAYBE_INT": "java.lang.Integer",
        "NUMBERS": "java.lang.Object",
        "ADDRESS": "java.lang.Object",
    }
    for column, kind in expected.items():
        assert columns[column][0] == kind, column
    assert columns["AMOUNT"][1:] == (12, 2)
    assert set(columns) >= {c.upper() for c in COLUMNS}


def test_typed_columns_filter_in_sql(stored: list[OrmAllTypes], sql_rows: Any) -> None:
    rows = sql_rows(
        "SELECT id FROM OrmAllTypes WHERE medium = ? AND color = ? AND level = ? "
        "AND amount = ? AND uid = ? AND day = ? AND flag ORDER BY id",
        70_000,
        "green",
        5,
        Decimal("1234.50"),
        UUID("12345678-1234-5678-1234-567812345678"),
        datetime(2020, 2, 29, tzinfo=UTC),
    )
    assert rows == [[1]]
    assert sql_rows("SELECT id FROM OrmAllTypes WHERE maybe_text IS NULL ORDER BY id") == [
        [2],
        [3],
    ]
    assert sql_rows("SELECT id FROM OrmAllTypes WHERE initial = 'Ω'") == [[1]]


def test_naive_datetimes_are_stored_as_utc(db: Any, schema: Any) -> None:
    schema(OrmAllTypes)
    repo = db.repository(OrmAllTypes)
    obj = full().model_copy(update={"id": 9, "moment": datetime(2022, 1, 2, 3, 4, 5, 6)})
    repo.put(obj)
    got = repo.get(9)
    assert got is not None
    assert got.moment == datetime(2022, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
