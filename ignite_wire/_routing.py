"""Which pooled connection a request goes to: decisions only, no I/O.

The node pool (``_aio_nodes.py`` and its generated twin) opens, sends and waits; every
choice it makes about *where* lives here, as functions of plain data, so that it is
written once for both clients and tested without a server (httpcore keeps its pool
bookkeeping pure in the same way).

* **The current connection** is kept while it is open and not suspect; otherwise the
  first healthy one takes its place; a suspect one (silent after a timeout, probe under
  way) is used only when nothing else is open.
* **Two connections to one node** (a caller's reconnect racing the background one): the
  pooled one stays while it is open, since requests may be using it; the newcomer goes.
* **Keys** go to the primary node of their partition when partition awareness is on,
  more than one connection is open and the cache's map applies; anything unknown
  (no map, a key without a Java hash, a node with no open connection) goes to "any"
  (``None``), where the current node forwards: routing affects speed, never results.
* **A cache's key route** (:class:`KeyRoute`) is that decision prepared once per cache
  map and pool state: the connection of each partition's primary node, so that a
  single-key call costs a hash, a partition and an index (the short path of issue 12).
  The pool rebuilds it when the cache's map is replaced or its connections change.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

from ._protocol.affinity import AffinityTable, CacheAffinity, partition_of
from ._protocol.codec import key_hash
from ._protocol.context import CodecContext
from ._transport.options import Address
from .exceptions import IgniteError

__all__ = [
    "KeyRoute",
    "PooledConnection",
    "admit",
    "connection_of",
    "group_by_node",
    "node_of_key",
    "node_of_partition",
    "pick",
    "revival_wanted",
    "routing_pays",
    "unknown_primaries",
]


class PooledConnection(Protocol):
    """What routing reads of a connection (both transports' connections have it)."""

    @property
    def address(self) -> Address: ...

    @property
    def is_open(self) -> bool: ...

    @property
    def suspect(self) -> bool: ...

    @property
    def node_id(self) -> uuid.UUID | None: ...


C = TypeVar("C", bound=PooledConnection)
T = TypeVar("T")


def pick(conns: Mapping[Address, C], current: Address | None) -> tuple[Address | None, C | None]:
    """``(new current address, connection to use)``; the connection is ``None`` if none is open.

    The current connection while healthy, else the first healthy one (which becomes
    current), else a suspect current one as a last resort.
    """
    conn = conns.get(current) if current is not None else None
    if conn is not None and conn.is_open and not conn.suspect:
        return current, conn
    for address, other in conns.items():
        if other.is_open and not other.suspect:
            return address, other
    return current, conn if conn is not None and conn.is_open else None


def admit(pooled: C | None, newcomer: C) -> tuple[C, C | None]:
    """``(connection to pool for the address, connection for the caller to close)``.

    ``pooled`` is what the pool holds for ``newcomer``'s address: an open one stays (the
    newcomer is surplus); a closed one is replaced and handed back to be closed.
    """
    if pooled is not None and pooled is not newcomer and pooled.is_open:
        return pooled, newcomer
    return newcomer, pooled if pooled is not None and pooled is not newcomer else None


def connection_of(conns: Iterable[C], node_id: uuid.UUID | None) -> C | None:
    """The healthy connection to node ``node_id``, if any (``None`` for ``None``)."""
    if node_id is None:
        return None
    for conn in conns:
        if conn.node_id == node_id and conn.is_open and not conn.suspect:
            return conn
    return None


def revival_wanted(
    partition_aware: bool, conns: Mapping[Address, PooledConnection], nodes: Sequence[Address]
) -> bool:
    """Whether some listed node may lack an open connection (so revival should run)."""
    if not partition_aware:
        return False
    return len(conns) < len(nodes) or any(not c.is_open for c in conns.values())


def routing_pays(partition_aware: bool, open_connections: int) -> bool:
    """Whether choosing a key's node can save anything (more than one node to choose)."""
    return partition_aware and open_connections > 1


def node_of_key(
    affinity: CacheAffinity, key: Any, hint: object, ctx: CodecContext
) -> uuid.UUID | None:
    """The primary node of ``key``'s partition, or ``None`` when it cannot be known."""
    if not affinity.applicable:
        return None
    try:
        h = key_hash(key, hint, ctx=ctx, affinity_key_fields=affinity.key_fields)
    except IgniteError:
        ctx.depth = 0  # ``ctx`` may serve the next key of a batch
        return None  # the operation itself will report the bad key
    return affinity.node_for(h) if h is not None else None


def node_of_partition(affinity: CacheAffinity | None, partition: int) -> uuid.UUID | None:
    """The primary node of ``partition``, or ``None`` (no map, or out of its range)."""
    if affinity is None or not affinity.applicable:
        return None
    if not 0 <= partition < len(affinity.primaries):
        return None
    return affinity.primaries[partition]


def group_by_node(
    items: Iterable[T],
    node_of: Callable[[T], uuid.UUID | None],
    reachable: Callable[[uuid.UUID], bool],
) -> dict[uuid.UUID | None, list[T]]:
    """``items`` by their node, in first-seen order; unreachable or unknown nodes -> ``None``.

    ``reachable`` is asked once per node (a batch of 10,000 keys has a handful of nodes).
    """
    groups: dict[uuid.UUID | None, list[T]] = {}
    seen: dict[uuid.UUID | None, list[T]] = {}  # node -> its group (None's if unreachable)
    for item in items:
        node = node_of(item)
        group = seen.get(node)
        if group is None:
            if node is not None and not reachable(node):
                group = groups.setdefault(None, [])
            else:
                group = groups.setdefault(node, [])
            seen[node] = group
        group.append(item)
    return groups


def unknown_primaries(table: AffinityTable, known: set[uuid.UUID | None]) -> bool:
    """Whether some partition map names a primary node no open connection reaches."""
    for cache_id in list(table.cache_ids()):
        affinity = table.get(cache_id)
        if affinity is not None and any(
            node is not None and node not in known for node in set(affinity.primaries)
        ):
            return True
    return False


class KeyRoute(Generic[C]):
    """One cache's routing, prepared: the healthy connection (or ``None``) of each
    partition's primary node, for the map ``affinity`` and the pool state ``generation``.

    Built from plain data (the map, the connections by node id), so it is tested
    without a server.  ``conn_for`` never raises: a key it cannot place goes to "any".
    """

    __slots__ = ("affinity", "conns", "generation", "mask")

    def __init__(
        self,
        affinity: CacheAffinity,
        conns_by_node: Mapping[uuid.UUID, C],
        generation: int,
    ) -> None:
        self.affinity = affinity
        self.generation = generation
        primaries = affinity.primaries if affinity.applicable else ()
        #: The connection of each partition's primary (``None``: unknown or not pooled).
        self.conns: tuple[C | None, ...] = tuple(
            conns_by_node.get(node) if node is not None else None for node in primaries
        )
        n = len(primaries)
        #: ``n - 1`` when the partition count is a power of two (the usual 1024), else 0.
        self.mask = n - 1 if n and n & (n - 1) == 0 else 0

    def conn_for(self, key: Any, hint: object, ctx: CodecContext) -> C | None:
        """The open, healthy connection of ``key``'s primary node, or ``None`` ("any")."""
        conns = self.conns
        if not conns:
            return None
        if hint is None and type(key) is int and self.mask:
            # Long.hashCode and the partition of a power-of-two count, inlined: the most
            # common key pays no call (same result as key_hash + partition_of).
            u = key & 0xFFFFFFFFFFFFFFFF
            h = (u ^ (u >> 32)) & 0xFFFFFFFF
            conn = conns[(h ^ (h >> 16)) & self.mask]
        else:
            try:
                h2 = key_hash(key, hint, ctx=ctx, affinity_key_fields=self.affinity.key_fields)
            except IgniteError:
                return None  # the operation itself will report the bad key
            if h2 is None:
                return None
            conn = conns[partition_of(h2, len(conns))]
        if conn is not None and conn.is_open and not conn.suspect:
            return conn
        return None
