"""Transactions against a real node: commit, rollback, isolation from other clients."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ignite_wire import Client
from ignite_wire.datatypes.cache_config import CacheAtomicityMode
from ignite_wire.datatypes.prop_codes import PROP_CACHE_ATOMICITY_MODE, PROP_NAME
from ignite_wire.datatypes.transactions import TransactionConcurrency, TransactionIsolation
from ignite_wire.exceptions import ParameterError, TransactionError


@pytest.fixture
def tx_cache(any_client: Any, unique: Any) -> Iterator[Any]:
    cache = any_client.create_cache(
        {PROP_NAME: unique("tx"), PROP_CACHE_ATOMICITY_MODE: CacheAtomicityMode.TRANSACTIONAL}
    )
    yield cache
    cache.destroy()


@pytest.fixture
def observer(client: Client, tx_cache: Any) -> Any:
    """The same cache seen through another client (another connection)."""
    return client.get_cache(tx_cache.name)


def test_commit_makes_writes_visible(any_client: Any, tx_cache: Any, observer: Any) -> None:
    with any_client.tx_start() as tx:
        tx_cache.put(1, "one")
        tx_cache.put_all({2: "two", 3: "three"})
        assert tx_cache.get(1) == "one"  # the transaction sees its own write
        assert observer.get(1) is None  # nobody else does yet
        tx.commit()
    assert observer.get_all([1, 2, 3]) == {1: "one", 2: "two", 3: "three"}


def test_exception_rolls_back(any_client: Any, tx_cache: Any, observer: Any) -> None:
    tx_cache.put(1, "before")

    def fail_halfway() -> None:
        with any_client.tx_start():
            tx_cache.put(1, "inside")
            tx_cache.put(2, "inside")
            raise RuntimeError("halfway")

    with pytest.raises(RuntimeError, match="halfway"):
        fail_halfway()
    assert observer.get(1) == "before"
    assert observer.get(2) is None
    tx_cache.put(3, "after")  # the cache is usable outside a transaction again
    assert observer.get(3) == "after"


def test_leaving_without_commit_rolls_back(any_client: Any, tx_cache: Any) -> None:
    with any_client.tx_start(
        concurrency=TransactionConcurrency.OPTIMISTIC,
        isolation=TransactionIsolation.SERIALIZABLE,
        timeout=5_000,
        label="wire-test",
    ):
        tx_cache.put(1, 1)
    assert tx_cache.get(1) is None


def test_explicit_rollback_and_closed_transaction(any_client: Any, tx_cache: Any) -> None:
    with any_client.tx_start() as tx:
        tx_cache.put(1, 1)
        tx.rollback()
        with pytest.raises(TransactionError, match="closed"):
            tx.commit()
    assert tx_cache.get(1) is None


def test_bad_arguments_are_rejected_before_sending(any_client: Any) -> None:
    with pytest.raises(ParameterError, match="concurrency"):
        any_client.tx_start(concurrency=7)
    with pytest.raises(ParameterError, match="timeout"):
        any_client.tx_start(timeout=-1)


def test_transactions_are_per_thread(client: Client, tx_cache: Any) -> None:
    import threading

    cache = client.get_cache(tx_cache.name)
    seen: list[Any] = []
    with client.tx_start() as tx:
        cache.put(1, "tx")
        # Another thread using the same client is not inside this transaction.
        worker = threading.Thread(target=lambda: seen.append(cache.get(1)))
        worker.start()
        worker.join()
        tx.commit()
    assert seen == [None]
    assert cache.get(1) == "tx"
