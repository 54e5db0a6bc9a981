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
* **A batch** (``put_all``, ``get_all``, the streamer) is split by the same route
  (:meth:`KeyRoute.split`): each partition's bucket is an index fixed with the route, an
  int key's partition is computed inline, so a key costs no Python call (issue 12, W4:
  0.6 -> 0.15 us per key; the per-key node lookup hashed a ``UUID`` in Python), and with
  the optional ``_rows_accel.c`` built the loop is compiled (about 0.03 us per key).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, Generic, Protocol, TypeVar

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

_accel_split: Callable[..., None] | None
try:
    from ._protocol._rows_accel import split_keys as _accel_split
except ImportError:  # not built (no C compiler at install), or IGNITE_WIRE_PURE=1
    _accel_split = None
#: Whether :meth:`KeyRoute.split` runs its loop compiled.
SPLIT_ACCELERATED: Final = _accel_split is not None

_M64: Final = 0xFFFFFFFFFFFFFFFF
_M32: Final = 0xFFFFFFFF


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

    __slots__ = ("affinity", "conns", "generation", "mask", "slots", "targets")

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
        #: The distinct connections of :attr:`conns`, and each partition's index among
        #: them (-1: "any"), for :meth:`split`.
        index: dict[C, int] = {}
        for conn in self.conns:
            if conn is not None and conn not in index:
                index[conn] = len(index)
        self.targets: tuple[C, ...] = tuple(index)
        self.slots: tuple[int, ...] = tuple(
            index[conn] if conn is not None else -1 for conn in self.conns
        )

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

    def _slot(self, key: Any, ctx: CodecContext) -> int:
        """The index in :attr:`targets` of ``key``'s node, -1 for "any" (the general rule
        of :func:`node_of_key`; never raises)."""
        try:
            h = key_hash(key, None, ctx=ctx, affinity_key_fields=self.affinity.key_fields)
        except IgniteError:
            ctx.depth = 0  # ``ctx`` serves the next key of the batch
            return -1  # the operation itself will report the bad key
        if h is None:
            return -1
        return self.slots[partition_of(h, len(self.slots))]

    def split(
        self,
        items: Iterable[T],
        ctx: CodecContext,
        *,
        pairs: bool,
        flat: bool = False,
        accelerated: bool = SPLIT_ACCELERATED,
    ) -> list[tuple[C | None, list[T]]]:
        """``items`` (keys, or ``(key, value)`` pairs when ``pairs``) by the open, healthy
        connection of their key's primary node, ``None`` ("any") for keys it cannot place
        or nodes it cannot reach; each part keeps the input order.  A key without a Java
        hash goes to "any" as in :func:`node_of_key` (the operation reports a bad one).
        ``flat`` (with ``pairs``): ``items`` is one list ``[key, value, key, value, ...]``
        and so is each part (put_all's batch: no tuple per entry).
        The loop runs compiled (``_rows_accel.split_keys``) for a list when built;
        ``accelerated=False`` takes the pure loop (tests compare both).
        """
        targets = self.targets
        anywhere: list[T] = []
        buckets = [[] if t.is_open and not t.suspect else anywhere for t in targets]
        buckets.append(anywhere)  # slot -1
        slots, slot = self.slots, self._slot
        mask = self.mask if slots else -1
        flat = flat and pairs
        if flat and (type(items) is not list or len(items) % 2):
            raise ValueError("split: flat pairs are a list of even length")
        if mask < 0:
            anywhere.extend(items)
        elif accelerated and _accel_split is not None and type(items) is list:
            shape = 2 if flat else 1 if pairs else 0
            _accel_split(items, shape, slots, mask, buckets, lambda key: slot(key, ctx))
        else:

            def index(key: Any) -> int:
                if type(key) is int and mask:
                    # Long.hashCode and the power-of-two partition inlined (conn_for's).
                    u = key & _M64
                    h = (u ^ (u >> 32)) & _M32
                    return slots[(h ^ (h >> 16)) & mask]
                return slot(key, ctx)

            if flat:
                rest: Iterator[Any] = iter(items)
                for key, value in zip(rest, rest, strict=True):
                    buckets[index(key)] += (key, value)
            else:
                for item in items:
                    buckets[index(item[0] if pairs else item)].append(item)  # type: ignore[index]
        parts: list[tuple[C | None, list[T]]] = [
            (t, b) for t, b in zip(targets, buckets, strict=False) if b and b is not anywhere
        ]
        if anywhere:
            parts.append((None, anywhere))
        return parts
