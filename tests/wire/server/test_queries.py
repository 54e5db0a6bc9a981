"""Scan and SQL cursors against a real node: paging, options, and freeing server cursors."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from ignite_wire import Client
from ignite_wire._protocol.ops import query
from ignite_wire.exceptions import SQLError


def _resource_is_open(client: Client, cursor_id: int) -> bool:
    """Ask the server to close ``cursor_id``: it refuses when the cursor is already gone."""
    conn = client._current()
    try:
        client._run_on(conn, query.close_cursor(cursor_id))
    except SQLError:
        return False
    return True


def test_scan_pages_and_partitions(cache: Any) -> None:
    data = {i: f"v{i}" for i in range(300)}
    cache.put_all(data)
    assert dict(cache.scan(page_size=7)) == data
    by_partition: dict[Any, Any] = {}
    for partition in range(1024):
        for key, value in cache.scan(page_size=100, partitions=partition):
            assert key not in by_partition
            by_partition[key] = value
    assert by_partition == data


def test_scan_local_flag_on_one_node_sees_everything(cache: Any) -> None:
    cache.put_all({i: i for i in range(50)})
    assert dict(cache.scan(page_size=10, local=True)) == {i: i for i in range(50)}


def test_scan_left_early_frees_the_server_cursor(client: Client, unique: Any) -> None:
    cache = client.create_cache(unique("scan_early"))
    try:
        cache.put_all({i: i for i in range(100)})
        cursor = cache.scan(page_size=5)
        first = next(cursor)
        assert first[0] in range(100)
        cursor_id = cursor._cursor_id
        assert cursor_id is not None
        # Page 2's request is in flight (one page ahead): the dropped cursor drops it
        # too, and the connection drops its answer when it comes.
        assert cursor._next is not None
        del cursor
        gc.collect()
        assert client._pool.abandoned  # queued, not sent from the finalizer
        assert cache.get(0) == 0  # the next request closes it first
        assert not client._pool.abandoned
        assert not _resource_is_open(client, cursor_id)
    finally:
        cache.destroy()


def test_scan_with_block_closes_the_cursor(client: Client, unique: Any) -> None:
    cache = client.create_cache(unique("scan_with"))
    try:
        cache.put_all({i: i for i in range(40)})
        with cache.scan(page_size=4) as cursor:
            next(cursor)
            cursor_id = cursor._cursor_id
        assert cursor_id is not None
        assert not _resource_is_open(client, cursor_id)
        assert list(cursor) == []
    finally:
        cache.destroy()


@pytest.fixture
def numbers_table(any_client: Any, unique: Any) -> Any:
    table = unique("Numbers")
    any_client.sql(f"CREATE TABLE {table} (id INT PRIMARY KEY, name VARCHAR, half DECIMAL(10,1))")
    for i in range(250):
        any_client.sql(
            f"INSERT INTO {table} (id, name, half) VALUES (?, ?, ?)",
            query_args=[i, f"n{i}", i / 2],
        )
    yield table
    any_client.sql(f"DROP TABLE {table}")


def test_sql_pages_through_all_rows(any_client: Any, numbers_table: str) -> None:
    rows = list(any_client.sql(f"SELECT id, name FROM {numbers_table} ORDER BY id", page_size=16))
    assert rows == [[i, f"n{i}"] for i in range(250)]


def test_sql_next_page_gives_the_rows_a_page_at_a_time(any_client: Any, numbers_table: str) -> None:
    # The same rows as iterating, in the same order: the rest of the current page when
    # items were handed out one by one before, then whole pages, then [] (closed).
    query = f"SELECT id, name FROM {numbers_table} ORDER BY id"
    cursor = any_client.sql(query, page_size=16, include_field_names=True)
    assert next(cursor) == ["ID", "NAME"]
    assert next(cursor) == [0, "n0"]
    pages = [cursor.next_page()]
    assert pages[0] == [[i, f"n{i}"] for i in range(1, 16)]
    while pages[-1]:
        pages.append(cursor.next_page())
    assert [len(p) for p in pages] == [15] + [16] * 14 + [10, 0]
    assert [row for page in pages for row in page] == [[i, f"n{i}"] for i in range(1, 250)]
    assert cursor.next_page() == []
    assert list(cursor) == []
    # max_rows holds for pages as for items; a scan's pairs come the same way
    capped = any_client.sql(query, page_size=16, max_rows=20)
    assert capped.next_page() == [[i, f"n{i}"] for i in range(16)]
    assert capped.next_page() == [[i, f"n{i}"] for i in range(16, 20)]
    assert capped.next_page() == []


def test_scan_next_page_gives_the_pairs_of_iterating(any_client: Any, unique: Any) -> None:
    cache = any_client.create_cache(unique("scan_pages"))
    try:
        cache.put_all({i: f"v{i}" for i in range(50)})
        with cache.scan(page_size=8) as cursor:
            pairs = []
            while page := cursor.next_page():
                assert 0 < len(page) <= 8
                pairs += page
        assert sorted(pairs) == [(i, f"v{i}") for i in range(50)]
    finally:
        cache.destroy()


def test_sql_field_names_come_first(any_client: Any, numbers_table: str) -> None:
    cursor = any_client.sql(
        f"SELECT id, name AS label FROM {numbers_table} WHERE id < ? ORDER BY id",
        query_args=[3],
        include_field_names=True,
    )
    assert next(cursor) == ["ID", "LABEL"]
    assert list(cursor) == [[0, "n0"], [1, "n1"], [2, "n2"]]


def test_sql_max_rows_and_statement_type(any_client: Any, numbers_table: str) -> None:
    rows = list(any_client.sql(f"SELECT id FROM {numbers_table} ORDER BY id", max_rows=10))
    assert rows == [[i] for i in range(10)]
    with pytest.raises(SQLError):
        list(any_client.sql(f"SELECT id FROM {numbers_table}", statement_type=2))


def test_sql_options_are_accepted(any_client: Any, numbers_table: str) -> None:
    rows = list(
        any_client.sql(
            f"SELECT COUNT(*) FROM {numbers_table}",
            distributed_joins=True,
            replicated_only=False,
            enforce_join_order=True,
            collocated=True,
            lazy=True,
            timeout=10_000,
            schema="PUBLIC",
        )
    )
    assert rows == [[250]]


def test_sql_error_is_typed_and_connection_survives(any_client: Any) -> None:
    with pytest.raises(SQLError, match=r"(?i)table.*not.*found"):
        list(any_client.sql("SELECT * FROM no_such_table_here"))
    assert list(any_client.sql("SELECT 1")) == [[1]]


def test_sql_left_early_frees_the_server_cursor(client: Client, numbers_table: str) -> None:
    cursor = client.sql(f"SELECT id FROM {numbers_table}", page_size=10)
    next(cursor)
    cursor_id = cursor._cursor_id
    assert cursor_id is not None
    cursor.close()
    assert not _resource_is_open(client, cursor_id)


def test_sql_through_a_cache_uses_its_schema(any_client: Any, unique: Any) -> None:
    table = unique("ByCache")
    any_client.sql(f'CREATE TABLE {table} (id INT PRIMARY KEY, v INT) WITH "CACHE_NAME={table}"')
    try:
        any_client.sql(f"INSERT INTO {table} (id, v) VALUES (1, 10)")
        cache = any_client.get_cache(table)
        assert list(any_client.sql(f"SELECT v FROM {table}", cache=cache)) == [[10]]
    finally:
        any_client.sql(f"DROP TABLE {table}")
