"""Schema introspection (ignite_orm._schema_live): rows of the SQL system views, as Ignite
fills them, turned into a LiveTable.  Plain rows, no server; tests/orm/test_orm_schema.py
checks the same rules against real nodes."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Annotated

from ignite_orm import IgniteModel, Key
from ignite_orm._schema_live import (
    COLUMNS_SQL,
    INDEXES_SQL,
    KEY_ALIAS_SQL,
    binary_fields,
    live_table,
    missing_table,
    needs_key_alias,
    view_args,
)
from ignite_orm.mapping import info_of


class LivePerson(IgniteModel, cache="live_person", table="Person", sql_schema="Shop"):
    id: Annotated[int, Key]


def test_the_views_are_asked_for_the_names_as_stored() -> None:
    assert view_args(info_of(LivePerson)) == ["SHOP", "PERSON"]
    for sql, view in [
        (COLUMNS_SQL, "SYS.TABLE_COLUMNS"),
        (KEY_ALIAS_SQL, "SYS.TABLES"),
        (INDEXES_SQL, "SYS.INDEXES"),
    ]:
        assert view in sql
        assert sql.endswith("WHERE SCHEMA_NAME = ? AND TABLE_NAME = ?")


def test_a_single_key_is_named_by_the_key_alias() -> None:
    columns = [("_KEY", "java.lang.Long", True), ("_VAL", "Obj", False), ("NAME", "S", False)]
    assert needs_key_alias(columns)
    live = live_table({"name": 9}, {}, columns, [("ID",)], [("IDX",)], 3)
    assert live.cache_exists
    assert live.columns == {"NAME": "S"}
    assert live.key_columns == frozenset({"ID"})
    assert live.indexes == frozenset({"IDX"})
    assert live.binary_fields == {"name": 9}
    assert live.rows == 3


def test_a_single_key_without_alias_stays_key() -> None:
    columns = [("_KEY", "java.lang.Long", True), ("_VAL", "Obj", False)]
    live = live_table({}, {}, columns, [(None,)], [], 0)
    assert live.key_columns == frozenset({"_KEY"})


def test_a_composite_key_is_its_flagged_field_columns() -> None:
    columns = [
        ("_KEY", "Obj", True),
        ("_VAL", "Obj", False),
        ("REGION", "java.lang.String", True),
        ("NUMBER", "java.lang.Integer", True),
        ("TOTAL", "java.lang.Double", False),
    ]
    assert not needs_key_alias(columns)
    live = live_table({}, {"region": 9}, columns, [], [], 0)
    assert live.key_columns == frozenset({"REGION", "NUMBER"})
    assert set(live.columns) == {"REGION", "NUMBER", "TOTAL"}
    assert live.key_binary_fields == {"region": 9}


def test_a_missing_cache_keeps_the_binary_metadata() -> None:
    live = missing_table({"a": 3}, {"k": 9})
    assert not live.cache_exists
    assert live.binary_fields == {"a": 3}
    assert live.key_binary_fields == {"k": 9}
    assert live.columns == {}


def test_binary_fields_reads_name_and_type_code() -> None:
    fields = [SimpleNamespace(name="a", type_code=3), SimpleNamespace(name="b", type_code=9)]
    assert binary_fields(SimpleNamespace(fields=fields)) == {"a": 3, "b": 9}
    assert binary_fields(None) == {}
