"""Routing and retry decisions of cache calls (ignite_wire/_policy.py)."""

from __future__ import annotations

import pytest

from ignite_wire._policy import Route, is_write, merge_found, retryable, route
from ignite_wire._protocol.opcodes import OpCode
from ignite_wire.exceptions import (
    CacheError,
    ReconnectError,
    RequestTimeoutError,
    SocketError,
)


@pytest.mark.parametrize(
    "op",
    [
        OpCode.CACHE_GET,
        OpCode.CACHE_GET_ALL,
        OpCode.CACHE_CONTAINS_KEY,
        OpCode.CACHE_CONTAINS_KEYS,
        OpCode.CACHE_GET_SIZE,
    ],
)
def test_reads_are_not_writes(op: int) -> None:
    assert not is_write(op)


@pytest.mark.parametrize(
    "op",
    [OpCode.CACHE_PUT, OpCode.CACHE_REMOVE_KEY, OpCode.CACHE_GET_AND_PUT, OpCode.CACHE_CLEAR],
)
def test_writes_and_read_writes_are_writes(op: int) -> None:
    assert is_write(op)


def test_only_a_lost_connection_is_retryable() -> None:
    assert retryable(SocketError("connection lost"))
    assert not retryable(RequestTimeoutError("no answer in 1 s"))
    assert not retryable(CacheError("server said no"))
    assert not retryable(ReconnectError("no node"))


def test_a_transaction_wins_over_a_key() -> None:
    assert route(in_transaction=True, has_key=True) is Route.TRANSACTION
    assert route(in_transaction=True, has_key=False) is Route.TRANSACTION
    assert route(in_transaction=False, has_key=True) is Route.KEY_NODE
    assert route(in_transaction=False, has_key=False) is Route.ANY_NODE


def test_merge_found_joins_the_nodes_answers() -> None:
    assert merge_found([{1: "a"}, {}, {2: "b", 3: None}]) == {1: "a", 2: "b", 3: None}
    assert merge_found([]) == {}
