"""Schema evolution against a live node: additive changes are planned and applied,
incompatible ones refused before anything is written.

Acceptance: "Adding a field to a model with data already stored: the plan reports it,
applying it keeps the old rows readable (the new field takes its default) and the new
column is queryable.  Changing a field's type: the plan refuses it, and no data or
metadata changes."

Each version of the model is a separate class with the same binary type, cache and
table.  Names carry the flavour (``suffix``): binary metadata outlives caches, so the
sync and the asyncio run each evolve their own type from its first version.
"""

# ruff: noqa: RUF012  (pydantic copies mutable defaults; ruff cannot see IgniteModel is one)

from decimal import Decimal
from types import SimpleNamespace
from typing import Annotated, Any

import pytest

from ignite_orm import IgniteModel, Indexed, Int32, Key, Precision, SchemaConflictError
from ignite_wire.binary import fields_of


def item_models(suffix: str) -> SimpleNamespace:
    table = f"OrmItem_{suffix}"
    where = {"cache": f"orm_items_{suffix}", "type_name": table, "table": table}

    class ItemV1(IgniteModel, **where):
        id: Annotated[int, Key]
        name: str

    class ItemV2(IgniteModel, **where):
        """Three SQL columns, one collection (binary only) and an index added."""

        id: Annotated[int, Key]
        name: Annotated[str, Indexed]
        qty: Annotated[int, Int32] = 7
        note: str | None = None
        price: Annotated[Decimal, Precision(8, 2)] = Decimal("1.00")
        tags: list[str] = []

    class ItemV3(IgniteModel, **where):
        """V2 plus an index on qty."""

        id: Annotated[int, Key]
        name: Annotated[str, Indexed]
        qty: Annotated[int, Int32, Indexed(descending=True)] = 7
        note: str | None = None
        price: Annotated[Decimal, Precision(8, 2)] = Decimal("1.00")
        tags: list[str] = []

    class ItemRetyped(IgniteModel, **where):
        """name changes type (str -> int); an additive column and index come with it."""

        id: Annotated[int, Key]
        name: int
        extra: Annotated[int, Indexed] = 0

    class ItemLabelled(IgniteModel, **where):
        """V1 plus an Optional field whose default is not None."""

        id: Annotated[int, Key]
        name: str
        label: str | None = "unlabelled"

    class ItemStrKey(IgniteModel, **where):
        id: Annotated[str, Key]
        name: str

    class ItemWiderKey(IgniteModel, **where):
        id: Annotated[int, Key]
        name: Annotated[str, Key]

    return SimpleNamespace(
        table=table.upper(),
        cache=where["cache"],
        V1=ItemV1,
        V2=ItemV2,
        V3=ItemV3,
        Retyped=ItemRetyped,
        Labelled=ItemLabelled,
        StrKey=ItemStrKey,
        WiderKey=ItemWiderKey,
    )


@pytest.fixture
def items(db: Any, schema: Any, suffix: str) -> SimpleNamespace:
    """Version 1 created fresh, with three rows."""
    models = item_models(suffix)
    schema(models.V1)
    db.repository(models.V1).put_many([models.V1(id=i, name=f"old {i}") for i in range(1, 4)])
    return models


def columns(sql_rows: Any, table: str) -> dict[str, tuple[str, int, int]]:
    return {
        name: (kind, precision, scale)
        for name, kind, precision, scale in sql_rows(
            "SELECT COLUMN_NAME, TYPE, PRECISION, SCALE FROM SYS.TABLE_COLUMNS "
            "WHERE SCHEMA_NAME = 'PUBLIC' AND TABLE_NAME = ?",
            table,
        )
    }


def indexes(sql_rows: Any, table: str) -> dict[str, str]:
    return dict(
        sql_rows(
            "SELECT INDEX_NAME, COLUMNS FROM SYS.INDEXES "
            "WHERE SCHEMA_NAME = 'PUBLIC' AND TABLE_NAME = ?",
            table,
        )
    )


def snapshot(db: Any, sql_rows: Any, items: SimpleNamespace) -> dict[str, Any]:
    """What a refused change must leave as it was: metadata, SQL schema, data, caches."""
    value_type = db.client.get_binary_type(items.V1.__ignite__.value_class.type_id)
    cache = db.client.get_cache(items.cache) if items.cache in db.client.get_cache_names() else None
    data = None
    if cache is not None:
        with cache.scan() as cursor:
            data = sorted((key, fields_of(value)) for key, value in cursor)
    return {
        "binary fields": value_type.fields,
        "binary schemas": value_type.schemas,
        "columns": columns(sql_rows, items.table),
        "indexes": indexes(sql_rows, items.table),
        "caches": sorted(db.client.get_cache_names()),
        "data": data,
    }


def test_an_unchanged_model_plans_nothing(db: Any, items: SimpleNamespace) -> None:
    plan = db.plan(items.V1)
    assert plan.empty
    assert str(plan) == "nothing to do"
    assert db.create_all(items.V1).empty


def test_added_fields_are_planned_applied_and_old_rows_stay_readable(
    db: Any, items: SimpleNamespace, sql_rows: Any
) -> None:
    table = items.table
    before = columns(sql_rows, table)
    plan = db.plan(items.V2)
    assert [(s.model, s.kind, s.detail) for s in plan.steps] == [
        ("ItemV2", "add_column", "qty INT"),
        ("ItemV2", "add_column", "note VARCHAR"),
        ("ItemV2", "add_column", "price DECIMAL(8, 2)"),
        ("ItemV2", "create_index", f"{table}_name_idx".lower()),
    ]
    assert plan.conflicts == []
    assert columns(sql_rows, table) == before  # planning changes nothing

    applied = db.create_all(items.V2)
    assert applied.steps == plan.steps
    assert db.plan(items.V2).empty
    assert db.create_all(items.V2).empty  # idempotent

    # old rows read with the new model: each new field takes its default
    repo = db.repository(items.V2)
    for validate in (False, True):
        assert repo.get(2, validate=validate) == items.V2(id=2, name="old 2")
        assert sorted(repo.scan(validate=validate), key=lambda m: m.id) == [
            items.V2(id=i, name=f"old {i}", qty=7, note=None, price=Decimal("1.00"), tags=[])
            for i in range(1, 4)
        ]

    # the new columns exist with their types and are queryable
    after = columns(sql_rows, table)
    assert after["QTY"][0] == "java.lang.Integer"
    assert after["NOTE"][0] == "java.lang.String"
    assert after["PRICE"] == ("java.math.BigDecimal", 8, 2)
    assert f"{table}_NAME_IDX" in indexes(sql_rows, table)
    assert sql_rows(f"SELECT id, qty, note, price FROM {table} ORDER BY id") == [
        [i, None, None, None] for i in range(1, 4)
    ]
    new = items.V2(id=10, name="new", qty=3, note="n", price=Decimal("9.99"), tags=["t"])
    repo.put(new)
    assert sql_rows(f"SELECT id, note, price FROM {table} WHERE qty = ?", 3) == [
        [10, "n", Decimal("9.99")]
    ]
    assert repo.select("qty = ? AND note = ?", 3, "n") == [new]
    assert repo.select("name = ?", "old 1") == [items.V2(id=1, name="old 1")]

    # a row written by SQL through the new columns is a model; unset fields take defaults
    sql_rows(f"INSERT INTO {table} (id, name, qty, note) VALUES (11, 'by sql', 12, 'x')")
    assert repo.get(11, validate=True) == items.V2(id=11, name="by sql", qty=12, note="x")

    # the old model still reads what the new one wrote (it reads the fields it knows)
    old = db.repository(items.V1)
    assert old.get(10) == items.V1(id=10, name="new")
    assert old.get(10, validate=True) == items.V1(id=10, name="new")


def test_a_new_index_is_planned_and_created(db: Any, items: SimpleNamespace, sql_rows: Any) -> None:
    db.create_all(items.V2)
    repo = db.repository(items.V3)
    repo.put_many([items.V3(id=i, name=f"n{i}", qty=i % 5) for i in range(20)])
    name = f"{items.table}_qty_idx".lower()
    plan = db.plan(items.V3)
    assert [(s.kind, s.detail) for s in plan.steps] == [("create_index", name)]
    assert name.upper() not in indexes(sql_rows, items.table)
    db.create_all(items.V3)
    assert db.plan(items.V3).empty
    created = indexes(sql_rows, items.table)
    assert created[name.upper()].startswith('"QTY" DESC')
    explained = " ".join(
        str(row[0]) for row in sql_rows(f"EXPLAIN SELECT id FROM {items.table} WHERE qty = 3")
    )
    assert name.upper() in explained.upper()
    assert sorted(m.id for m in repo.select("qty = ?", 3)) == [3, 8, 13, 18]


def test_a_changed_field_type_is_refused_and_nothing_changes(
    db: Any, items: SimpleNamespace, sql_rows: Any
) -> None:
    before = snapshot(db, sql_rows, items)
    plan = db.plan(items.Retyped)
    assert [(s.kind, s.model) for s in plan.conflicts] == [("conflict", "ItemRetyped")]
    assert "'name'" in plan.conflicts[0].detail
    with pytest.raises(SchemaConflictError, match="'name'"):
        plan.check()
    with pytest.raises(SchemaConflictError, match="'name'"):
        db.create_all(items.Retyped)
    after = snapshot(db, sql_rows, items)
    assert after == before
    assert "extra" not in {f.name for f in after["binary fields"]}  # additive part not applied
    assert db.repository(items.V1).get(1) == items.V1(id=1, name="old 1")


@pytest.mark.parametrize("model", ["StrKey", "WiderKey"])
def test_a_changed_key_is_refused_and_nothing_changes(
    db: Any, items: SimpleNamespace, sql_rows: Any, model: str
) -> None:
    changed = getattr(items, model)
    before = snapshot(db, sql_rows, items)
    plan = db.plan(changed)
    assert len(plan.conflicts) == 1
    assert "key" in plan.conflicts[0].detail
    with pytest.raises(SchemaConflictError, match="key"):
        db.create_all(changed)
    assert snapshot(db, sql_rows, items) == before


def test_a_changed_field_type_is_refused_even_after_the_cache_is_dropped(
    db: Any, items: SimpleNamespace, sql_rows: Any
) -> None:
    """Binary metadata outlives the cache: the server would refuse the new type."""
    db.drop_all(items.V1)
    before = snapshot(db, sql_rows, items)
    plan = db.plan(items.Retyped)
    assert [s.kind for s in plan.steps] == ["conflict", "create_cache"]
    with pytest.raises(SchemaConflictError, match="'name'"):
        db.create_all(items.Retyped)
    after = snapshot(db, sql_rows, items)
    assert after == before
    assert items.cache not in after["caches"]


def test_an_added_optional_field_takes_its_default_in_old_rows_and_keeps_explicit_nulls(
    db: Any, items: SimpleNamespace
) -> None:
    """Objects written before the field existed lack it: default; a stored null stays None."""
    db.create_all(items.Labelled)
    repo = db.repository(items.Labelled)
    assert repo.get(1) == items.Labelled(id=1, name="old 1", label="unlabelled")
    repo.put(items.Labelled(id=20, name="null label", label=None))
    for validate in (False, True):
        stored = repo.get(20, validate=validate)
        assert stored == items.Labelled(id=20, name="null label", label=None)
        assert repo.get(2, validate=validate).label == "unlabelled"
