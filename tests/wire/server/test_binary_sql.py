"""Binary objects and SQL see the same rows, through a cache's query entity.

A cache is created from a ``{PROP_*: value}`` dict with ``PROP_QUERY_ENTITIES`` (pyignite's
dict format) and ``PROP_SQL_SCHEMA``; objects put with ``GenericObjectMeta`` classes whose
``type_name`` is the entity's ``value_type_name`` are rows of its table, and rows that SQL
inserts are binary objects that ``cache.get`` reads.  Runs on both clients.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from ignite_wire import GenericObjectMeta
from ignite_wire.binary import fields_of, type_name_of
from ignite_wire.datatypes import (
    BoolObject,
    DecimalObject,
    IntObject,
    LongObject,
    String,
    TimestampObject,
)
from ignite_wire.datatypes.prop_codes import PROP_NAME, PROP_QUERY_ENTITIES, PROP_SQL_SCHEMA
from ignite_wire.exceptions import CacheError, SQLError

UTC = timezone.utc


class Employee(
    metaclass=GenericObjectMeta,
    type_name="wire.sql.Employee",
    schema=OrderedDict(
        [
            ("name", String),
            ("age", IntObject),
            ("salary", DecimalObject),
            ("hired", TimestampObject),
            ("active", BoolObject),
        ]
    ),
):
    pass


class EmployeeKey(
    metaclass=GenericObjectMeta,
    type_name="wire.sql.EmployeeKey",
    schema=OrderedDict([("companyId", LongObject), ("employeeId", IntObject)]),
):
    pass


def employee_entity(table: str, key_type: str) -> dict[str, Any]:
    """The query entity of the EMPLOYEE table, keyed by ``key_type``."""
    if key_type == "java.lang.Long":
        key_fields: list[dict[str, Any]] = [
            {"name": "ID", "type_name": "java.lang.Long", "is_key_field": True}
        ]
    else:
        key_fields = [
            {
                "name": "companyId",
                "type_name": "java.lang.Long",
                "is_key_field": True,
                "is_notnull_constraint_field": True,
            },
            {
                "name": "employeeId",
                "type_name": "java.lang.Integer",
                "is_key_field": True,
                "is_notnull_constraint_field": True,
            },
        ]
    entity: dict[str, Any] = {
        "table_name": table,
        "key_type_name": key_type,
        "value_type_name": "wire.sql.Employee",
        "query_fields": [
            *key_fields,
            {
                "name": "name",
                "type_name": "java.lang.String",
                "is_key_field": False,
                "is_notnull_constraint_field": True,
            },
            {"name": "age", "type_name": "java.lang.Integer", "default_value": 18},
            {
                "name": "salary",
                "type_name": "java.math.BigDecimal",
                "precision": 8,
                "scale": 2,
            },
            {"name": "hired", "type_name": "java.sql.Timestamp"},
            {"name": "active", "type_name": "java.lang.Boolean"},
        ],
        "query_indexes": [
            {
                "index_name": f"{table}_AGE_IDX",
                "index_type": 0,
                "inline_size": -1,
                "fields": [{"name": "age", "is_descending": True}],
            }
        ],
    }
    if key_type == "java.lang.Long":
        entity["key_field_name"] = "ID"
    return entity


@pytest.fixture(params=["long-key", "object-key"])
def table(request: pytest.FixtureRequest, any_client: Any, unique: Any) -> Iterator[Any]:
    """A cache with an EMPLOYEE table in its own schema: ``(cache, 'SCHEMA.TABLE', key)``.

    ``key(i)`` is the cache key of employee ``i``: a ``long``, or an ``EmployeeKey``.
    """
    schema = unique("SQL_SCHEMA").upper()
    key_type = "java.lang.Long" if request.param == "long-key" else "wire.sql.EmployeeKey"
    cache = any_client.create_cache(
        {
            PROP_NAME: unique("sql_employees"),
            PROP_SQL_SCHEMA: schema,
            PROP_QUERY_ENTITIES: [employee_entity("EMPLOYEE", key_type)],
        }
    )

    def key(i: int) -> Any:
        if request.param == "long-key":
            return i
        return EmployeeKey(companyId=100 + i, employeeId=i)

    yield cache, f"{schema}.EMPLOYEE", key
    cache.destroy()


def key_columns(key: Any) -> tuple[str, list[Any]]:
    """The key's SQL columns and their values."""
    if isinstance(key, EmployeeKey):
        return "companyId, employeeId", [key.companyId, (key.employeeId, IntObject)]
    return "ID", [key]


HIRED = datetime(2019, 4, 1, 9, 30, tzinfo=UTC)


def test_objects_put_are_rows_of_the_table(any_client: Any, table: Any) -> None:
    cache, name, key = table
    cache.put_all(
        {
            key(1): Employee(
                name="Ann", age=41, salary=Decimal("5000.50"), hired=HIRED, active=True
            ),
            key(2): Employee(
                name="Bob", age=29, salary=Decimal("3100.00"), hired=None, active=False
            ),
            key(3): Employee(name="Cy", age=35, salary=None, hired=HIRED, active=True),
        }
    )
    rows = list(
        any_client.sql(
            f"SELECT name, age, salary, hired, active FROM {name} WHERE age > ? ORDER BY age",
            query_args=[(30, IntObject)],
            include_field_names=True,
        )
    )
    assert rows == [
        ["NAME", "AGE", "SALARY", "HIRED", "ACTIVE"],
        ["Cy", 35, None, HIRED, True],
        ["Ann", 41, Decimal("5000.50"), HIRED, True],
    ]
    assert rows[2][2].as_tuple() == Decimal("5000.50").as_tuple()
    # the key's fields are columns too
    columns, _ = key_columns(key(2))
    expected = [102, 2] if isinstance(key(2), EmployeeKey) else [2]
    assert list(any_client.sql(f"SELECT {columns} FROM {name} WHERE name = 'Bob'")) == [expected]
    assert list(any_client.sql(f"SELECT COUNT(*), SUM(salary) FROM {name} WHERE active")) == [
        [2, Decimal("5000.50")]
    ]
    # the query entity's index exists and the planner uses it
    plan = next(iter(any_client.sql(f"EXPLAIN SELECT name FROM {name} WHERE age > 30")))[0]
    assert "EMPLOYEE_AGE_IDX" in plan


def test_rows_inserted_by_sql_are_binary_objects(any_client: Any, table: Any) -> None:
    cache, name, key = table
    for i, person in enumerate(["Dee", "Eve"], start=1):
        columns, values = key_columns(key(i))
        list(
            any_client.sql(
                f"INSERT INTO {name} ({columns}, name, age, salary, hired, active)"
                " VALUES (?, ?, ?, ?, ?, ?" + ", ?" * (len(values) - 1) + ")",
                query_args=[*values, person, (30 + i, IntObject), Decimal("10.50"), HIRED, True],
            )
        )
    got = cache.get(key(1))
    assert type_name_of(got) == "wire.sql.Employee"
    assert got == Employee(name="Dee", age=31, salary=Decimal("10.50"), hired=HIRED, active=True)
    assert got.salary.as_tuple() == Decimal("10.50").as_tuple()  # the argument's exact scale
    assert cache.get_all([key(1), key(2)]) == {
        key(1): got,
        key(2): Employee(name="Eve", age=32, salary=Decimal("10.50"), hired=HIRED, active=True),
    }
    assert cache.get_size() == 2
    assert dict(cache.scan())[key(2)].name == "Eve"

    # a column left out takes the query field's default value
    columns, values = key_columns(key(3))
    placeholders = ", ".join("?" * len(values))
    list(
        any_client.sql(
            f"INSERT INTO {name} ({columns}, name) VALUES ({placeholders}, ?)",
            query_args=[*values, "Fay"],
        )
    )
    fay = cache.get(key(3))
    assert (fay.name, fay.age, fay.salary) == ("Fay", 18, None)

    # SQL updates show through key-value reads, and key-value writes through SQL
    list(any_client.sql(f"UPDATE {name} SET age = age + 1 WHERE name = ?", query_args=["Fay"]))
    assert cache.get(key(3)).age == 19
    cache.put(key(3), Employee(name="Fay", age=50, salary=None, hired=None, active=False))
    assert list(any_client.sql(f"SELECT age FROM {name} WHERE name = 'Fay'")) == [[50]]
    assert cache.remove_key(key(3))
    assert list(any_client.sql(f"SELECT COUNT(*) FROM {name}")) == [[2]]


def test_generic_objects_from_sql_rows(any_client: Any, table: Any, connect_any: Any) -> None:
    cache, name, key = table
    columns, values = key_columns(key(7))
    placeholders = ", ".join("?" * len(values))
    list(
        any_client.sql(
            f"INSERT INTO {name} ({columns}, name, age) VALUES ({placeholders}, ?, ?)",
            query_args=[*values, "Gus", (44, IntObject)],
        )
    )
    # a client that never declared Employee reads the row with its fields by name
    other = connect_any().get_cache(cache.name)
    if isinstance(key(7), EmployeeKey):
        row = dict(other.scan())
        (found_key, got), *_ = row.items()
        assert fields_of(found_key) == {"companyId": 107, "employeeId": 7}
    else:
        got = other.get(key(7))
    assert type(got) is not Employee
    assert type_name_of(got) == "wire.sql.Employee"
    assert got["name"] == "Gus"
    assert got.age == 44
    assert got.salary is None


def test_the_query_entity_constraints_hold_for_both_paths(any_client: Any, table: Any) -> None:
    cache, name, key = table
    columns, values = key_columns(key(1))
    placeholders = ", ".join("?" * len(values))
    # is_notnull_constraint_field
    with pytest.raises(SQLError, match="NAME"):
        list(
            any_client.sql(
                f"INSERT INTO {name} ({columns}, name) VALUES ({placeholders}, NULL)",
                query_args=values,
            )
        )
    with pytest.raises(CacheError, match="NAME"):
        cache.put(key(1), Employee(name=None, age=1))
    # precision 8: nine digits are too many, whichever way they come
    with pytest.raises(SQLError, match="SALARY"):
        list(
            any_client.sql(
                f"INSERT INTO {name} ({columns}, name, salary) VALUES ({placeholders}, ?, ?)",
                query_args=[*values, "Hal", Decimal("1234567.89")],
            )
        )
    with pytest.raises(CacheError, match="SALARY"):
        cache.put(key(1), Employee(name="Hal", salary=Decimal("1234567.89")))
    assert cache.get_size() == 0
    cache.put(key(1), Employee(name="Hal", salary=Decimal("123456.78")))
    assert list(any_client.sql(f"SELECT salary FROM {name}")) == [[Decimal("123456.78")]]


def test_query_entity_reads_back_from_the_cache_settings(table: Any) -> None:
    cache, _, _ = table
    entities = cache.settings[PROP_QUERY_ENTITIES]
    assert len(entities) == 1
    entity = entities[0]
    assert entity["table_name"] == "EMPLOYEE"
    assert entity["value_type_name"] == "wire.sql.Employee"
    fields = {f["name"]: f for f in entity["query_fields"]}
    assert fields["salary"]["precision"] == 8
    assert fields["salary"]["scale"] == 2
    assert fields["name"]["is_notnull_constraint_field"] is True
    assert fields["age"]["default_value"] == 18
    (index,) = entity["query_indexes"]
    assert index["index_name"] == "EMPLOYEE_AGE_IDX"
    assert index["fields"] == [{"name": "age", "is_descending": True}]
