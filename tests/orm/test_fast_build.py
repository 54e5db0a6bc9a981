"""Reading models through the generated loader (ignite_orm/_fast_build.py), issue 12's W7.

The loader trusts a stored value only when it is exactly of its field's Python type and
hands anything else to the general path, which validates it.  The property tests run
entries through the real codec (no server: bytes in, objects out, as a node's answer is
read) and demand that the fast path gives the model validation gives, for every value of
every field type, without falling back; the live tests write odd rows with the raw
client and SQL and read them through the repository.
"""

# ruff: noqa: RUF012  (pydantic copies mutable defaults; ruff cannot see IgniteModel is one)

from __future__ import annotations

from datetime import date, datetime, time, timezone
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Annotated, Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ignite_orm import Char, Float32, IgniteModel, Int32, Key, StoredValueError
from ignite_orm._fast_build import snapshot
from ignite_wire._protocol.codec import CodecContext, decode_value, encode_value
from ignite_wire.datatypes import LongObject


class FbColor(str, Enum):
    RED = "red"
    BLUE = "blue"


class FbLevel(IntEnum):
    LOW = 1
    HIGH = 2


class FbInner(IgniteModel):
    a: int
    b: str | None = None


class FbAll(IgniteModel, cache="orm_fast_all"):
    id: Annotated[int, Key]
    flag: bool
    n: int
    x: float
    s: str
    raw: bytes
    dec: Decimal
    uid: UUID
    day: date
    at: time
    ts: datetime
    i32: Annotated[int, Int32]
    f32: Annotated[float, Float32]
    ch: Annotated[str, Char]
    color: FbColor
    level: FbLevel
    maybe: int | None = None
    ints: list[int] = []
    names: dict[str, int] = {}
    tags: set[str] = set()
    pair: tuple[int, ...] = ()
    inner: FbInner | None = None


class FbPair(IgniteModel, cache="orm_fast_pair"):
    region: Annotated[str, Key]
    number: Annotated[int, Key]
    name: str
    qty: int = 7
    price: float | None = None


class FbOne(IgniteModel, cache="orm_fast_one"):
    id: Annotated[int, Key]
    name: str
    sizes: list[int] = []
    prices: dict[str, float] = {}


class FbLoose(IgniteModel, cache="orm_fast_shared", type_name="FbShared", table="FbShared"):
    id: Annotated[int, Key]
    name: str | None = None
    qty: int | None = None


class FbStrict(IgniteModel, cache="orm_fast_shared", type_name="FbShared", table="FbShared"):
    """The same table read by a model whose ``name`` is required."""

    id: Annotated[int, Key]
    name: str
    qty: int = 7


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_i64 = st.integers(-(2**63), 2**63 - 1)
_utc = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _all() -> st.SearchStrategy[FbAll]:
    return st.builds(
        FbAll,
        id=_i64,
        flag=st.booleans(),
        n=_i64,
        x=st.floats(allow_nan=False),
        s=_text,
        raw=st.binary(max_size=20),
        dec=st.decimals(allow_nan=False, allow_infinity=False, places=4),
        uid=st.uuids(),
        day=st.dates(date(1900, 1, 1), date(2200, 1, 1)),
        at=st.times().map(lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000)),
        ts=st.datetimes(datetime(1900, 1, 1), datetime(2200, 1, 1)).map(
            lambda d: d.replace(tzinfo=timezone.utc)
        ),
        i32=st.integers(-(2**31), 2**31 - 1),
        f32=st.floats(width=32, allow_nan=False, allow_infinity=False),
        ch=st.characters(max_codepoint=0xFFFF, blacklist_categories=("Cs",)),
        color=st.sampled_from(FbColor),
        level=st.sampled_from(FbLevel),
        maybe=st.none() | _i64,
        ints=st.lists(_i64, max_size=5),
        names=st.dictionaries(_text, _i64, max_size=3),
        tags=st.sets(_text, max_size=3),
        pair=st.lists(_i64, max_size=3).map(tuple),
        inner=st.none() | st.builds(FbInner, a=_i64, b=st.none() | _text),
    )


def _wire(obj: Any) -> Any:
    """``obj`` encoded and decoded by the codec, as a node's answer is read."""
    ctx = CodecContext()
    data = encode_value(obj, ctx=ctx)
    for bt in ctx.take_pending():
        ctx.registry.add_type(bt)
    return decode_value(data, 0, CodecContext(ctx.registry))[0]


def _fast_only(model: type[IgniteModel], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The model's loader, compiled with a general path that fails the test."""

    def fell_back(key: Any, value: Any, validate: bool = False) -> Any:
        raise AssertionError(f"the fast path fell back for {key!r}: {value!r}")

    info = model.__ignite__
    monkeypatch.setattr(info, "_loader", None)
    monkeypatch.setattr(info, "_load_checked", fell_back)
    loader = info.reader(False)
    monkeypatch.undo()  # the next use compiles the real loader again
    info._loader = None
    return loader


@settings(max_examples=150, deadline=None)
@given(obj=_all())
def test_the_fast_path_gives_what_validation_gives_for_every_field_type(obj: FbAll) -> None:
    info = FbAll.__ignite__
    key, value = info.to_entry(obj)
    decoded = _wire(value)
    with pytest.MonkeyPatch.context() as mp:
        fast = _fast_only(FbAll, mp)(key[0], decoded)
    validated = info.from_entry(key[0], decoded, validate=True)
    assert fast == validated == obj
    assert fast.__dict__ == validated.__dict__
    assert [type(v) for v in fast.__dict__.values()] == [
        type(v) for v in validated.__dict__.values()
    ]
    assert fast.model_fields_set == validated.model_fields_set
    # what the loader builds is a normal model: assignments are still validated
    fast.n = 5
    with pytest.raises(ValueError, match="n"):
        fast.n = "not a number"  # type: ignore[assignment]


@settings(max_examples=100, deadline=None)
@given(obj=_all())
def test_a_snapshot_equals_a_deep_copy_and_shares_nothing_mutable(obj: FbAll) -> None:
    copied = snapshot(obj)
    assert copied == obj.model_copy(deep=True) == obj
    assert copied.model_fields_set == obj.model_fields_set
    obj.ints.append(1)
    obj.names["new"] = 1
    obj.tags.add("new")
    if obj.inner is not None:
        obj.inner.a = 0 if obj.inner.a else 1
    assert copied != obj


@settings(max_examples=100, deadline=None)
@given(
    region=_text,
    number=_i64,
    name=_text,
    qty=_i64,
    price=st.none() | st.floats(allow_nan=False),
)
def test_composite_keys_take_the_fast_path(
    region: str, number: int, name: str, qty: int, price: float | None
) -> None:
    obj = FbPair(region=region, number=number, name=name, qty=qty, price=price)
    info = FbPair.__ignite__
    key, value = info.to_entry(obj)
    with pytest.MonkeyPatch.context() as mp:
        fast = _fast_only(FbPair, mp)(_wire(key), _wire(value))
    assert fast == info.from_entry(_wire(key), _wire(value), validate=True) == obj


# -- what does not fit goes to the general path -----------------------------------------


def _pair_value(**fields: Any) -> Any:
    values = {"name": "a", "qty": 1, "price": 2.5, **fields}
    return FbPair.__ignite__.value_class(**values)


def _pair_key(region: Any = "eu", number: Any = 1) -> Any:
    key_class = FbPair.__ignite__.key_class
    assert key_class is not None
    return key_class(region=region, number=number)


def test_a_value_of_another_type_is_validated_not_trusted() -> None:
    info = FbPair.__ignite__
    # a Long in a float field, digits in an int field: pydantic's lax reading
    obj = info.from_entry(_pair_key(), _pair_value(qty="5", price=3))
    assert (obj.qty, obj.price) == (5, 3.0)
    assert type(obj.price) is float
    with pytest.raises(StoredValueError) as err:
        info.from_entry(_pair_key(), _pair_value(qty="five"))
    assert (err.value.model, err.value.field) == ("FbPair", "qty")
    assert err.value.key == {"region": "eu", "number": 1}
    with pytest.raises(StoredValueError) as err:
        info.from_entry(_pair_key(number="x"), _pair_value())
    assert err.value.field == "number"


def test_nulls_take_defaults_or_raise_for_required_fields() -> None:
    info = FbPair.__ignite__
    assert info.from_entry(_pair_key(), _pair_value(qty=None)).qty == 7
    assert info.from_entry(_pair_key(), _pair_value(price=None)).price is None
    with pytest.raises(StoredValueError, match="required") as err:
        info.from_entry(_pair_key(), _pair_value(name=None))
    assert (err.value.model, err.value.field) == ("FbPair", "name")


# -- on a live node ----------------------------------------------------------------------


def test_models_read_back_equal_what_was_stored(
    db: Any, schema: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema(FbAll)
    repo = db.repository(FbAll)
    stored = [
        FbAll(
            id=i,
            flag=bool(i % 2),
            n=-(2**63) + i,
            x=i / 7,
            s=f"s{i}\u00e9",
            raw=bytes([i, 0, 255]),
            dec=Decimal(f"{i}.0100"),
            uid=UUID(int=i),
            day=date(2000, 1, 1 + i),
            at=time(12, i, 5, 123000),
            ts=datetime(2020, 5, 6, 7, 8, 9, 654321, tzinfo=timezone.utc),
            i32=-(2**31) + i,
            f32=0.5 * i,
            ch="\u00e9",
            color=FbColor.BLUE if i % 2 else FbColor.RED,
            level=FbLevel.HIGH,
            maybe=None if i % 2 else i,
            ints=[i, -i],
            names={"k": i},
            tags={"a", f"t{i}"},
            pair=(i, i + 1),
            inner=FbInner(a=i, b=None) if i % 2 else None,
        )
        for i in range(20)
    ]
    repo.put_many(stored)
    loader = _fast_only(FbAll, monkeypatch)
    monkeypatch.setattr(FbAll.__ignite__, "_loader", loader)  # any fallback fails the test
    by_id = sorted(repo.scan(), key=lambda o: o.id)
    assert by_id == stored
    assert sorted(repo.select(), key=lambda o: o.id) == stored
    assert repo.get(3) == stored[3]
    assert db.query(_select_all()).all() == stored


def _select_all() -> Any:
    from ignite_orm.query import select

    return select(FbAll).order_by(FbAll.id)


@pytest.mark.parametrize("validate", [False, True])
def test_items_of_another_type_written_by_another_client_raise_a_typed_error(
    db: Any, schema: Any, validate: bool
) -> None:
    # Ignite refuses a key or scalar field of another type (binary metadata, the SQL
    # table's key class), but a collection holds any objects.
    schema(FbOne)
    repo = db.repository(FbOne)
    repo.put(FbOne(id=1, name="ok", sizes=[1, 2], prices={"a": 1.5}))
    raw = db.client.get_cache("orm_fast_one")
    value_class = FbOne.__ignite__.value_class
    raw.put(2, value_class(name="odd", sizes=[1, "big"], prices={}), LongObject)
    raw.put(3, value_class(name="digits", sizes=["3"], prices={"b": 2}), LongObject)
    with pytest.raises(StoredValueError) as err:
        repo.get(2, validate=validate)
    assert (err.value.model, err.value.key, err.value.field) == ("FbOne", 2, "sizes.1")
    three = repo.get(3, validate=validate)  # as pydantic reads input: "3" is 3, 2 is 2.0
    assert (three.sizes, three.prices) == ([3], {"b": 2.0})
    assert type(three.prices["b"]) is float
    skipped: list[StoredValueError] = []
    found = repo.select("ORDER BY id", validate=validate, on_invalid=skipped.append)
    assert [(o.id, o.sizes) for o in found] == [(1, [1, 2]), (3, [3])]
    assert [(e.key, e.field) for e in skipped] == [(2, "sizes.1")]


@pytest.mark.parametrize("validate", [False, True])
def test_a_null_in_a_required_field_written_by_another_client_raises_a_typed_error(
    db: Any, schema: Any, sql_rows: Any, validate: bool
) -> None:
    schema(FbLoose)  # the table allows nulls: another model (client) made it
    db.repository(FbLoose).put_many([FbLoose(id=1, name="a"), FbLoose(id=2, name=None)])
    sql_rows('INSERT INTO "PUBLIC"."FBSHARED" (id, name, qty) VALUES (3, NULL, 1)')
    sql_rows('INSERT INTO "PUBLIC"."FBSHARED" (id, name, qty) VALUES (4, \'d\', NULL)')
    repo = db.repository(FbStrict)
    for key in (2, 3):
        with pytest.raises(StoredValueError, match="required") as err:
            repo.get(key, validate=validate)
        assert (err.value.model, err.value.key, err.value.field) == ("FbStrict", key, "name")
    with pytest.raises(StoredValueError, match="name"):
        repo.select(validate=validate)
    # a null in a field with a default: the default, as before
    assert repo.get(4, validate=validate) == FbStrict(id=4, name="d", qty=7)
    skipped: list[StoredValueError] = []
    found = repo.select("ORDER BY id", validate=validate, on_invalid=skipped.append)
    assert [o.id for o in found] == [1, 4]
    assert [e.key for e in skipped] == [2, 3]
