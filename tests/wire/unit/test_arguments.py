"""Argument checks of sql(), scan() and select_row() (ignite_wire/_arguments.py)."""

from __future__ import annotations

from typing import Any

import pytest

from ignite_wire._arguments import (
    ScanQuery,
    SelectRowQuery,
    SqlQuery,
    sql_cache_id,
    value_type_of,
)
from ignite_wire._facade import cache_id_of
from ignite_wire.datatypes.prop_codes import PROP_QUERY_ENTITIES
from ignite_wire.exceptions import ParameterError

FLAGS = {
    "distributed_joins": False,
    "local": False,
    "replicated_only": False,
    "enforce_join_order": False,
    "collocated": False,
    "lazy": True,
}


def sql(query: object = "SELECT ?", **changes: Any) -> SqlQuery:
    args: dict[str, Any] = {
        "page_size": 1024,
        "query_args": [1],
        "schema": "PUBLIC",
        "statement_type": 0,
        "max_rows": -1,
        "timeout": 0,
        "cache": None,
        "include_field_names": False,
        "partitions": None,
        "update_batch_size": 1,
        **FLAGS,
    }
    args.update(changes)
    return SqlQuery.check(query, **args)


def test_a_good_call_is_kept_as_given() -> None:
    q = sql(max_rows=5, partitions=[3, 1])
    assert (q.query, q.args, q.schema, q.cache_id) == ("SELECT ?", [1], "PUBLIC", 0)
    assert (q.max_rows, q.partitions, q.lazy) == (5, (3, 1), True)


def test_a_cache_replaces_the_schema() -> None:
    assert sql(cache="Person").schema is None
    assert sql(cache="Person").cache_id == cache_id_of("Person")
    assert sql(cache=42).cache_id == 42


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"query": ""}, "query_str must be a non-empty str"),
        ({"query": 5}, "query_str must be a non-empty str"),
        ({"query": "SELECT '\ud800'"}, "lone surrogate"),
        ({"page_size": 0}, "page_size"),
        ({"max_rows": -2}, "max_rows"),
        ({"timeout": -1}, "timeout"),
        ({"statement_type": 3}, "statement_type"),
        ({"query_args": [1, 2]}, "2 query_args for 1"),
        ({"partitions": []}, "at least one partition"),
        ({"update_batch_size": 0}, "update_batch_size"),
        ({"cache": 1.5}, "cache must be a cache, name or id"),
        ({"cache": True}, "cache must be a cache, name or id"),
    ],
)
def test_a_bad_argument_is_named(changes: dict[str, Any], words: str) -> None:
    query = changes.pop("query", "SELECT ?")
    with pytest.raises(ParameterError, match=words.replace("(", r"\(")):
        sql(query, **changes)


def test_sql_cache_id() -> None:
    assert sql_cache_id(None) == 0
    assert sql_cache_id("a") == cache_id_of("a")
    with pytest.raises(ParameterError):
        sql_cache_id(object())


def test_scan_checks_page_size_and_partition() -> None:
    assert ScanQuery.check("c", 10, -1, False).partition == -1
    with pytest.raises(ParameterError, match="scan\\(\\): page_size"):
        ScanQuery.check("c", 0, -1, False)
    with pytest.raises(ParameterError, match="scan\\(\\): partitions"):
        ScanQuery.check("c", 1, 65536, False)


def test_select_row_checks_its_arguments() -> None:
    def check(query: object, **changes: Any) -> SelectRowQuery:
        args: dict[str, Any] = {
            "page_size": 1,
            "query_args": None,
            "timeout": 0,
            "distributed_joins": False,
            "replicated_only": False,
            "local": False,
            **changes,
        }
        return SelectRowQuery.check("c", query, **args)

    assert check("ID > ?", query_args=(1,)).args == [1]
    with pytest.raises(ParameterError, match="select_row\\(\\): query_str"):
        check("  ")
    with pytest.raises(ParameterError, match="select_row\\(\\): page_size"):
        check("ID > 1", page_size=0)


def test_value_type_of_reads_the_first_query_entity() -> None:
    assert value_type_of({}) is None
    assert value_type_of({PROP_QUERY_ENTITIES: []}) is None
    entity = {"value_type_name": "Person"}
    assert value_type_of({PROP_QUERY_ENTITIES: [entity, {"value_type_name": "X"}]}) == "Person"
    assert value_type_of({PROP_QUERY_ENTITIES: [{"value_type_name": ""}]}) is None
