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

import copy
import gc
import os
import pickle
import subprocess
import sys
import weakref
from datetime import date, datetime, time, timezone
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Annotated, Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ConfigDict, PrivateAttr

from ignite_orm import Char, Float32, IgniteModel, Int32, Key, StoredValueError
from ignite_orm._fast_build import (
    ACCELERATED,
    _accel_spec,
    build_page,
    compile_loader,
    field_names,
    snapshot,
)
from ignite_wire._protocol.codec import CodecContext, decode_value, encode_value
from ignite_wire.binary import from_fields
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
    return _fast_only_pair(model, monkeypatch)[0]


def _fast_only_pair(model: type[IgniteModel], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The model's loader and page loader, compiled with a general path that fails the test."""

    def fell_back(key: Any, value: Any, validate: bool = False) -> Any:
        raise AssertionError(f"the fast path fell back for {key!r}: {value!r}")

    info = model.__ignite__
    monkeypatch.setattr(info, "_loader", None)
    monkeypatch.setattr(info, "_load_checked", fell_back)
    loaders = info.reader(False), info.rows_reader(False)
    monkeypatch.undo()  # the next use compiles the real loaders again
    info._loader = info._rows_loader = None
    return loaders


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


# -- the page loader: what the loader gives row by row, a page at a time ------------------


class FbExtra(IgniteModel, cache="orm_fast_extra"):
    model_config = ConfigDict(extra="allow")

    id: Annotated[int, Key]
    name: str
    qty: int | None = None


class FbFlat(IgniteModel, cache="orm_fast_flat"):
    """W7's shape: the compiled page loader takes it (no converted values)."""

    id: Annotated[int, Key]
    name: str
    qty: int
    price: float
    flag: bool = False
    raw: bytes = b""
    note: str | None = None


class FbTwins(IgniteModel, cache="orm_fast_twins"):
    """Fields of one type: only their names tell their values apart."""

    id: Annotated[int, Key]
    name: str
    other: str
    more: str | None = None


class FbPrivate(IgniteModel, cache="orm_fast_private"):
    id: Annotated[int, Key]
    name: str = "x"
    _seen: int = PrivateAttr(default=3)


class FbPostInit(IgniteModel, cache="orm_fast_post_init"):
    id: Annotated[int, Key]
    name: str
    upper: str = ""

    def model_post_init(self, context: Any) -> None:
        self.upper = self.name.upper()


def _odd_row(model: type[IgniteModel], draw: Any) -> list[Any]:
    """A row the loader does not take as it is: a null row, a value of another type, a
    missing or unknown field, a key of another type, or data the model cannot hold; or a
    good value it must still find its fields in: another field order, other name objects."""
    info = model.__ignite__
    kinds = ["null", "lax", "missing", "unknown", "key", "bad", "reordered", "copied names"]
    kind = draw(st.sampled_from(kinds))
    if kind == "null":
        return [None, None]
    good = {f.name: info.to_wire(f.name, getattr(_GOOD[model], f.name)) for f in info.value_fields}
    key = _GOOD[model].id
    if kind == "reordered":  # good, in another order than the schema's (another writer)
        good = dict(reversed(good.items()))
    elif kind == "copied names":  # good, under equal names that are other str objects
        good = {(name + ".")[:-1]: v for name, v in good.items()}
    elif kind == "lax":  # digits in a str field stay a str; an int in a float/str field
        good["name"] = 5
    elif kind == "missing":
        good.pop("name")
    elif kind == "unknown":
        good["other"] = 1
    elif kind == "key":
        key = str(key)
    else:
        good["name"] = [1, 2]  # a str field holding a list: StoredValueError
    value = from_fields(info.value_class, good)
    return [key, value]


_GOOD: dict[type[IgniteModel], Any] = {
    FbPair: None,  # composite: built per draw
    FbExtra: FbExtra(id=1, name="e", qty=3),
    FbFlat: FbFlat(id=4, name="f", qty=-1, price=2.5, flag=True, raw=b"\x00"),
    FbTwins: FbTwins(id=5, name="n", other="o", more="m"),
    FbPrivate: FbPrivate(id=2, name="p"),
    FbPostInit: FbPostInit(id=3, name="q"),
}


def _good_rows(model: type[IgniteModel], draw: Any) -> list[Any]:
    info = model.__ignite__
    if model is FbAll:
        obj: Any = draw(_all())
        key, value = info.to_entry(obj)
        return [key[0], _wire(value)]
    if model is FbPair:
        obj = FbPair(
            region=draw(_text),
            number=draw(_i64),
            name=draw(_text),
            price=draw(st.none() | st.floats(allow_nan=False)),
        )
        key, value = info.to_entry(obj)
        return [_wire(key), _wire(value)]
    obj = _GOOD[model].model_copy(update={"id": draw(_i64)})
    key, value = info.to_entry(obj)
    return [key[0], _wire(value)]


@st.composite
def _pages(draw: Any) -> tuple[type[IgniteModel], list[list[Any]]]:
    models = [FbAll, FbPair, FbExtra, FbFlat, FbTwins, FbPrivate, FbPostInit]
    model = draw(st.sampled_from(models))
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        odd = model not in (FbAll, FbPair) and draw(st.integers(0, 4)) == 0
        rows.append(_odd_row(model, draw) if odd else _good_rows(model, draw))
    return model, rows


def _outcome(load: Any) -> Any:
    try:
        return load()
    except StoredValueError as exc:
        return ("raised", exc.model, exc.key, exc.field, exc.problem)


def _state(obj: Any) -> Any:
    """Everything a model instance holds, in order, with the types of its values."""
    if obj is None or isinstance(obj, tuple):
        return obj
    return (
        type(obj),
        list(obj.__dict__.items()),
        [type(v) for v in obj.__dict__.values()],
        obj.__pydantic_fields_set__,
        obj.__pydantic_extra__,
        getattr(obj, "__pydantic_private__", None),
    )


@settings(max_examples=200, deadline=None)
@given(page=_pages())
def test_the_page_loader_gives_what_the_loader_gives_row_by_row(page: Any) -> None:
    model, rows = page
    info = model.__ignite__
    read = info.reader(False)
    by_row = _outcome(
        lambda: [None if r[1] is None and r[0] is None else read(r[0], r[1]) for r in rows]
    )
    pure, compiled = _page_loaders(model)
    for load_rows in (pure, compiled, info.rows_reader(False)):
        by_page = _outcome(lambda load_rows=load_rows: load_rows(rows))
        if isinstance(by_row, tuple):
            assert by_page == by_row  # the same error, naming the same model, key and field
            continue
        assert [_state(o) for o in by_page] == [_state(o) for o in by_row]
        built = [o for o in by_page if o is not None]
        for obj in built:  # fresh containers per instance, never shared between rows
            others = [o for o in built if o is not obj]
            assert all(obj.__pydantic_fields_set__ is not o.__pydantic_fields_set__ for o in others)
            assert all(obj.__dict__ is not o.__dict__ for o in others)
    assert _outcome(lambda: info.rows_reader(True)(rows)) == _outcome(
        lambda: [
            None if r[1] is None and r[0] is None else info.from_entry(r[0], r[1], validate=True)
            for r in rows
        ]
    )


def _page_loaders(model: type[IgniteModel]) -> list[Any]:
    """The model's pure page loader and the one that tries the compiled loader first."""
    info = model.__ignite__
    spec = info._specs
    keys = [spec[f.name] for f in info.key_fields] if info.is_table else []
    values = [spec[f.name] for f in info.value_fields]
    return [
        compile_loader(model, values, keys, info.composite, info._load_checked, accelerated=a)[1]
        for a in (False, True)
    ]


def test_the_compiled_page_loader_is_built_and_taken() -> None:
    """The test environment has a C compiler: the compiled path is the one under test, for
    the models it takes (one key field, no converted values); it leaves the others."""
    assert ACCELERATED
    for model in (FbFlat, FbExtra):
        info = model.__ignite__
        values = [info._specs[f.name] for f in info.value_fields]
        assert _accel_spec(model, values, [info._specs["id"]]) is not None
        rows = [_good_rows_fixed(model, i) for i in range(3)]
        assert build_page is not None
        built = build_page(_accel_spec(model, values, [info._specs["id"]]), rows)  # type: ignore[arg-type]
        assert built is not None
        assert [_state(m) for m in built] == [_state(info.from_entry(*r)) for r in rows]
        rows[1][1] = None  # a row the compiled loader does not take: the pure one decides
        assert build_page(_accel_spec(model, values, [info._specs["id"]]), rows) is None  # type: ignore[arg-type]
    every = FbAll.__ignite__
    values = [every._specs[f.name] for f in every.value_fields]
    assert _accel_spec(FbAll, values, [every._specs["id"]]) is None  # converted values
    pair = FbPair.__ignite__
    assert _accel_spec(FbPair, [], [pair._specs["region"], pair._specs["number"]]) is None


@pytest.mark.parametrize(("pure", "compiled"), [("1", "False"), ("0", "True"), ("", "True")])
def test_ignite_wire_pure_forces_the_pure_page_loader(pure: str, compiled: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from ignite_orm import _fast_build as f; print(f.ACCELERATED)"],
        env={**os.environ, "IGNITE_WIRE_PURE": pure},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == compiled, out.stderr


def test_extra_allow_models_get_a_dict_of_extras_each() -> None:
    rows = [_good_rows_fixed(FbExtra, i) for i in range(3)]
    for load_rows in _page_loaders(FbExtra):
        models = load_rows(rows)
        assert [m.__pydantic_extra__ for m in models] == [{}, {}, {}]
        models[0].__pydantic_extra__["x"] = 1
        assert models[1].__pydantic_extra__ == {}


def test_models_of_the_compiled_page_loader_behave_as_pydantics() -> None:
    """The compiled loader allocates instances without object.__new__'s attribute table
    and keeps their fields sets out of the collector: the models still act as pydantic's
    own, their fields sets are ordinary sets of their own, and a reference cycle through
    a model is still collected."""
    rows = [_good_rows_fixed(FbFlat, i) for i in range(3)]
    for load_rows in _page_loaders(FbFlat):
        models = load_rows(rows)
        made = [FbFlat.model_validate(m.model_dump()) for m in models]
        assert models == made
        assert [m.model_dump() for m in models] == [m.model_dump() for m in made]
        first = models[0]
        assert vars(first) is first.__dict__
        assert first.name == "f"
        first.name = "g"  # assignment: this instance's __dict__ and fields set only
        assert (first.__dict__["name"], models[1].name) == ("g", "f")
        first.model_fields_set.discard("note")
        first.note = "n"
        assert "note" in first.model_fields_set
        assert models[1].model_fields_set == set(FbFlat.model_fields)
        assert pickle.loads(pickle.dumps(first)) == first
        assert copy.deepcopy(first) == first
        assert first.model_copy() == first
        # a cycle through a model: the model is tracked and the cycle collected
        cyclic = load_rows(rows)[2]
        gone = weakref.ref(cyclic)
        cyclic.__dict__["raw"] = [cyclic]
        del cyclic
        gc.collect()
        assert gone() is None


def test_the_fields_set_template_is_copied_into_the_smallest_table() -> None:
    """``set(field_names(names))``, each loaded model's fields set, is the names in a
    table of the template's own size (so CPython copies the template's table whole), no
    larger than a copy of a frozenset built from the names, and never the template."""
    for n in range(1, 40):
        names = [f"f{i}" for i in range(n)]
        template = field_names(names)
        copied = set(template)
        assert copied == set(names)
        assert copied is not template
        assert sys.getsizeof(copied) == sys.getsizeof(template)
        assert sys.getsizeof(copied) <= sys.getsizeof(set(frozenset(names)))


def _good_rows_fixed(model: type[IgniteModel], i: int) -> list[Any]:
    key, value = model.__ignite__.to_entry(_GOOD[model].model_copy(update={"id": i}))
    return [key[0], _wire(value)]


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
    loader, rows_loader = _fast_only_pair(FbAll, monkeypatch)
    monkeypatch.setattr(FbAll.__ignite__, "_loader", loader)  # any fallback fails the test
    monkeypatch.setattr(FbAll.__ignite__, "_rows_loader", rows_loader)
    by_id = sorted(repo.scan(), key=lambda o: o.id)
    assert by_id == stored
    assert sorted(repo.select(), key=lambda o: o.id) == stored
    assert repo.get(3) == stored[3]
    assert db.query(_select_all()).all() == stored
    # iterating reads a page at a time through the page loader too (page_size 6: pages
    # of 6, 6, 6 and 2 models), in order, and the same models as all()
    each = list(db.query(_select_all().options(page_size=6)))
    assert [_state(o) for o in each] == [_state(o) for o in db.query(_select_all()).all()]


def test_iterating_yields_the_rows_before_a_bad_one_then_raises_its_error(
    db: Any, schema: Any
) -> None:
    """Iteration reads a page of models in one call; a page with a row that cannot be
    read is read row by row, so the good rows before it are yielded first, then its
    error, naming its key, as when every row was read by itself."""
    from ignite_orm.query import select

    schema(FbLoose)
    db.repository(FbLoose).put_many(
        [FbLoose(id=i, name=None if i == 4 else f"n{i}") for i in range(1, 7)]
    )
    stmt = select(FbStrict).order_by(FbStrict.id).options(page_size=2)  # [1, 2] [3, 4] ...
    for validate in (False, True):  # validated reads take the same path
        rows = iter(db.query(stmt.options(validate=validate)))
        assert [next(rows).id for _ in range(3)] == [1, 2, 3]
        with pytest.raises(StoredValueError, match="required") as err:
            next(rows)
        assert (err.value.model, err.value.key, err.value.field) == ("FbStrict", 4, "name")


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
