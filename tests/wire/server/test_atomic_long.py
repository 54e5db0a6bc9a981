"""Atomic longs (ops 9000-9007) against a real node, with ``Client`` and ``AioClient``."""

from __future__ import annotations

from typing import Any

import pytest

from ignite_wire.exceptions import ParameterError, ServerError


@pytest.mark.parametrize("group", [None, "feat_atomics"])
def test_atomic_long_operations(any_client: Any, unique: Any, group: str | None) -> None:
    counter = any_client.atomic_long(unique("counter"), group)
    assert counter.exists() is False
    counter.create(5)
    counter.create(99)  # already there: keeps its value
    assert counter.exists() is True
    assert counter.get() == 5
    assert counter.add_and_get(3) == 8
    assert counter.increment_and_get() == 9
    assert counter.decrement_and_get() == 8
    assert counter.get_and_set(100) == 8
    assert counter.compare_and_set(100, 7) is True
    assert counter.compare_and_set(100, 8) is False
    assert counter.compare_and_set_and_get(7, 9) == 7
    assert counter.compare_and_set_and_get(7, 10) == 9
    assert counter.get() == 9
    assert counter.add_and_get(2**63 - 1) == -(2**63) + 8  # Java long arithmetic wraps
    counter.remove()
    assert counter.exists() is False
    with pytest.raises(ServerError, match="does not exist") as err:
        counter.get()
    assert err.value.status == 1011


def test_two_clients_see_one_value(any_client: Any, connect_any: Any, unique: Any) -> None:
    name = unique("shared")
    mine, theirs = any_client.atomic_long(name), connect_any().atomic_long(name)
    mine.create(0)
    for _ in range(20):
        mine.increment_and_get()
        theirs.increment_and_get()
    assert theirs.get() == mine.get() == 40
    mine.remove()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda a: a.add_and_get(2**63), "delta"),
        (lambda a: a.create(1.5), "initial"),
        (lambda a: a.compare_and_set(True, 1), "expected"),
    ],
)
def test_bad_arguments_are_refused(any_client: Any, call: Any, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        call(any_client.atomic_long("never_created"))
    with pytest.raises(ParameterError, match="name"):
        any_client.atomic_long("")


def test_a_grouped_atomic_long_lives_in_a_partitioned_cache(any_client: Any, unique: Any) -> None:
    # Ignite's AtomicConfiguration default is PARTITIONED; the 2.17 server reads the mode
    # with CacheMode.fromCode, where 1 is REPLICATED and 2 PARTITIONED.
    group = unique("grp")
    counter = any_client.atomic_long(unique("in_group"), group)
    counter.create(1)
    try:
        rows = list(
            any_client.sql(
                "SELECT CACHE_NAME, CACHE_MODE FROM SYS.CACHES WHERE CACHE_NAME LIKE ?",
                query_args=[f"%{group}"],
            )
        )
        assert [mode for _, mode in rows] == ["PARTITIONED"], rows
    finally:
        counter.remove()
