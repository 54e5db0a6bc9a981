"""Transaction concurrency and isolation (pyignite's ``pyignite.datatypes.transactions``)."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["TransactionConcurrency", "TransactionIsolation"]


class TransactionConcurrency(IntEnum):
    """When locks are taken: at first access (pessimistic) or at commit (optimistic)."""

    OPTIMISTIC = 0
    PESSIMISTIC = 1


class TransactionIsolation(IntEnum):
    """What a transaction sees of concurrent ones (Java's ``TransactionIsolation``)."""

    READ_COMMITTED = 0
    REPEATABLE_READ = 1
    SERIALIZABLE = 2
