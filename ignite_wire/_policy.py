"""Where a cache call goes and whether it is repeated: the decisions, without I/O.

A cache operation runs on the active transaction's connection if there is one (a
transaction lives on one connection), else on its key's primary node, else on any node;
a batch of keys is split by node only outside a transaction.  After a connection failure
a call is repeated only if it is not in a transaction, did not time out (the caller's
``timeout`` bounds the whole call), and the retry policy allows it for a read or write
(:mod:`ignite_wire.retry`).  The facades (``aio_cache.py`` and its generated twin) do
the sending, waiting and sleeping around these answers.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import TypeVar

from ._protocol.opcodes import OpCode
from .exceptions import RequestTimeoutError, SocketError

__all__ = [
    "READ_OPS",
    "Route",
    "is_write",
    "merge_found",
    "retryable",
    "route",
]

K = TypeVar("K")
V = TypeVar("V")

#: Cache operations that only read, repeated after a connection failure by default.
READ_OPS = frozenset(
    {
        OpCode.CACHE_GET,
        OpCode.CACHE_GET_ALL,
        OpCode.CACHE_CONTAINS_KEY,
        OpCode.CACHE_CONTAINS_KEYS,
        OpCode.CACHE_GET_SIZE,
    }
)


def is_write(op: int) -> bool:
    """Whether the cache operation ``op`` may change data (then retried only on request)."""
    return op not in READ_OPS


def retryable(exc: BaseException) -> bool:
    """Whether a failed call may be repeated at all: a lost connection, not a timeout."""
    return isinstance(exc, SocketError) and not isinstance(exc, RequestTimeoutError)


class Route(enum.Enum):
    """Which connection a cache call runs on."""

    #: The active transaction's connection; never repeated, never split.
    TRANSACTION = "transaction"
    #: The primary node of the call's key (when partition awareness knows it).
    KEY_NODE = "key node"
    #: Any open connection: the call has no key.
    ANY_NODE = "any node"


def route(*, in_transaction: bool, has_key: bool) -> Route:
    """The connection a call goes to; a transaction wins over a key."""
    if in_transaction:
        return Route.TRANSACTION
    return Route.KEY_NODE if has_key else Route.ANY_NODE


def merge_found(parts: Iterable[Mapping[K, V]]) -> dict[K, V]:
    """One ``get_all`` answer from the answers of the nodes the keys were split over."""
    result: dict[K, V] = {}
    for part in parts:
        result.update(part)
    return result
