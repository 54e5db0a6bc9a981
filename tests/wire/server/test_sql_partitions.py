"""SQL ``partitions`` and ``update_batch_size`` (feature bit 7) against a real node, with
``Client`` and ``AioClient``."""

from __future__ import annotations

from typing import Any

import pytest

from ignite_wire.datatypes import IntObject
from ignite_wire.exceptions import ParameterError


def test_partitions_limit_the_rows_to_those_partitions(any_client: Any, unique: Any) -> None:
    table = unique("SQLP").upper()
    any_client.sql(f'CREATE TABLE {table} (id INT PRIMARY KEY, v INT) WITH "CACHE_NAME={table}"')
    for i in range(40):
        any_client.sql(f"INSERT INTO {table} (id, v) VALUES (?, ?)", query_args=[i, i])
    cache = any_client.get_cache(table)
    where = {i: cache.partition_of(i, IntObject) for i in range(40)}
    chosen = sorted(set(where.values()))[:3]
    with any_client.sql(f"SELECT id FROM {table} ORDER BY id", partitions=chosen) as cursor:
        got = [row[0] for row in cursor]
    assert got == [i for i in range(40) if where[i] in chosen]
    assert 0 < len(got) < 40
    # an UPDATE with a batch size (its bytes: tests/wire/protocol); Ignite 2.17 applies
    # DML to the whole table whatever the partitions say
    with any_client.sql(f"UPDATE {table} SET v = -1", update_batch_size=7) as cursor:
        assert next(iter(cursor)) == [40]
    any_client.sql(f"DROP TABLE {table}")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"partitions": []}, "at least one"),
        ({"partitions": [70000]}, "0..65535"),
        ({"partitions": "12"}, "ints"),
        ({"update_batch_size": 0}, "update_batch_size"),
    ],
)
def test_bad_options_are_refused_before_sending(
    any_client: Any, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ParameterError, match=message):
        any_client.sql("SELECT 1", **options)
