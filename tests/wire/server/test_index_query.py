"""Index queries against a real node, with ``Client`` and ``AioClient``: each criterion
returns the same entries as the equivalent SQL.

"Equivalent" includes one rule of Ignite's index queries: NULL sorts before every value,
so a range open at its lower end (``lt``, ``lte``) also returns NULLs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ignite_wire.datatypes import IntObject
from ignite_wire.exceptions import SQLError
from ignite_wire.index_query import between, eq, gt, gte, in_, lt, lte


@pytest.fixture
def people(any_client: Any, unique: Any) -> Iterator[tuple[Any, str, str]]:
    """A table of 60 people with an index on (org, age); ``(cache, table, value type)``."""
    table = unique("IQ").upper()
    value_type = f"IqPerson_{table}"
    any_client.sql(
        f"CREATE TABLE {table} (id INT PRIMARY KEY, org INT, age INT, name VARCHAR) "
        f'WITH "VALUE_TYPE={value_type},CACHE_NAME={table}"'
    )
    any_client.sql(f"CREATE INDEX {table}_ORG_AGE ON {table} (org, age)")
    for i in range(60):
        org = None if i % 11 == 0 else i % 5
        any_client.sql(
            f"INSERT INTO {table} (id, org, age, name) VALUES (?, ?, ?, ?)",
            query_args=[i, org, 20 + i % 30, f"p{i}"],
        )
    yield any_client.get_cache(table), table, value_type
    any_client.sql(f"DROP TABLE {table}")


def by_sql(client: Any, table: str, where: str, args: list[Any]) -> list[tuple[Any, ...]]:
    with client.sql(
        f"SELECT id, org, age, name FROM {table} WHERE {where}", query_args=args
    ) as cursor:
        return sorted(tuple(row) for row in cursor)


def by_index(cursor: Any) -> list[tuple[Any, ...]]:
    return sorted((k, v.ORG, v.AGE, v.NAME) for k, v in cursor)


@pytest.mark.parametrize(
    ("criteria", "where", "args"),
    [
        ([eq("ORG", 2)], "org = ?", [2]),
        ([eq("ORG", 2), between("AGE", 25, 40)], "org = ? AND age BETWEEN ? AND ?", [2, 25, 40]),
        # an index orders NULL first: an open lower end includes it (unlike SQL's <)
        ([lt("ORG", 2)], "org < ? OR org IS NULL", [2]),
        ([lte("ORG", 2)], "org <= ? OR org IS NULL", [2]),
        ([gt("ORG", 3)], "org > ?", [3]),
        ([gte("ORG", 3), gt("AGE", 45)], "org >= ? AND age > ?", [3, 45]),
        ([in_("ORG", [1, 4])], "org IN (?, ?)", [1, 4]),
        ([eq("ORG", None)], "org IS NULL", []),
    ],
)
def test_same_entries_as_sql(
    any_client: Any, people: tuple[Any, str, str], criteria: list[Any], where: str, args: list[Any]
) -> None:
    cache, table, value_type = people
    expected = by_sql(any_client, table, where, args)
    assert expected, "the case must select something"
    got = by_index(cache.index_query(value_type, criteria, page_size=3))
    assert got == expected


def test_index_name_limit_and_no_criteria(any_client: Any, people: tuple[Any, str, str]) -> None:
    cache, table, value_type = people
    named = cache.index_query(value_type, [gte("ORG", 4)], index_name=f"{table}_ORG_AGE")
    assert by_index(named) == by_sql(any_client, table, "org >= ?", [4])
    assert len(by_index(cache.index_query(value_type, [gte("ORG", 0)], limit=5))) == 5
    assert len(by_index(cache.index_query(value_type, index_name=f"{table}_ORG_AGE"))) == 60


def test_bad_field_is_a_server_error_naming_it(people: tuple[Any, str, str]) -> None:
    cache, _, value_type = people
    with pytest.raises(SQLError, match="NOPE"):
        list(cache.index_query(value_type, [eq("NOPE", 1)]))


def test_partition_restricts_the_search(any_client: Any, people: tuple[Any, str, str]) -> None:
    cache, table, value_type = people
    expected = by_sql(any_client, table, "org = ?", [2])
    by_partition: dict[int, list[tuple[Any, ...]]] = {}
    for row in expected:
        partition = cache.partition_of(row[0], IntObject)
        assert partition >= 0
        by_partition.setdefault(partition, []).append(row)
    assert len(by_partition) > 1
    for partition, rows in by_partition.items():
        got = cache.index_query(value_type, [eq("ORG", 2)], partition=partition)
        assert by_index(got) == rows
