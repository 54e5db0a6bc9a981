"""Which connection of the node pool a key, a partition or a batch goes to.

The routing half of :class:`._aio_nodes.AioNodePool`, kept apart so that each half
stays readable: this mixin owns the partition maps (fetched on first use per cache,
refetched when a response says the topology changed) and each cache's
:class:`._routing.KeyRoute` (rebuilt when the map is replaced or a connection joins or
leaves the pool: ``_generation``).  What it decides is pure and lives in
:mod:`._routing`; here is only what needs the pool's I/O: fetching a map, discovering
a node that the map names and nobody told us about.

The asyncio twin of this module is the source; ``tools/unasync.py`` generates the sync
one.
"""

from __future__ import annotations

import asyncio  # unasync: import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from . import _routing
from ._protocol.affinity import AffinityTable, CacheAffinity
from ._protocol.context import CodecContext
from ._protocol.flow import Flow
from ._protocol.ops.affinity import cache_partitions
from ._transport.aio import AioConnection
from ._transport.options import Address
from .exceptions import IgniteError

__all__ = ["AioRoutes"]

T = TypeVar("T")


class AioRoutes:
    """Partition maps and key routes; the pool that inherits this provides the I/O."""

    # Provided by the pool (set in its __init__ / defined as its methods).
    partition_aware: bool
    discovery: bool
    _conns: dict[Address, AioConnection]
    _new_context: Callable[[], CodecContext]

    def __init__(self) -> None:
        self.affinity = AffinityTable()
        self._affinity_lock = asyncio.Lock()  # unasync: self._affinity_lock = threading.Lock()
        #: Bumped whenever the pooled connections change: the key routes are rebuilt.
        self._generation = 0
        self._routes: dict[int, _routing.KeyRoute[AioConnection]] = {}

    def open_connections(self) -> list[AioConnection]:
        return [c for c in self._conns.values() if c.is_open]

    def connection_of(self, node_id: uuid.UUID | None) -> AioConnection | None:
        return _routing.connection_of(self._conns.values(), node_id)

    async def run(self, flow: Flow[T], conn: AioConnection | None = None) -> T:
        raise NotImplementedError  # the pool's

    async def discover(self) -> None:
        raise NotImplementedError  # the pool's

    def _forget_routes(self) -> None:
        """The pool's connections changed wholesale (closed): drop every map and route."""
        self._generation += 1
        self._routes = {}
        self.affinity.clear()

    def _routing_pays(self) -> bool:
        return _routing.routing_pays(self.partition_aware, len(self.open_connections()))

    async def cache_affinity(self, cache_id: int) -> CacheAffinity | None:
        """The map of ``cache_id``, fetched or refreshed when needed (never raises)."""
        table = self.affinity
        if not table.missing([cache_id]):
            return table.get(cache_id)
        known = table.get(cache_id)
        if known is not None and self._affinity_lock.locked():
            return known  # another caller is refreshing it: route by the map we have
        # No map at all: wait for a fetch in progress rather than send a whole batch to
        # one node blind (a put_all of a fresh transactional cache is then many times
        # slower: the node coordinates every key it is not primary for).
        async with self._affinity_lock:  # unasync: with self._affinity_lock:
            missing = table.missing([cache_id])
            if missing:
                try:
                    snapshot = await self.run(cache_partitions(missing))
                except IgniteError:
                    return None  # e.g. the cache does not exist: the operation will say so
                table.update(snapshot)
                reached = {c.node_id for c in self.open_connections()}
                if self.discovery and _routing.unknown_primaries(table, reached):
                    await self.discover()  # a node joined that nobody told us about
        return table.get(cache_id)

    async def for_key(
        self, cache_id: int, key: Any, hint: object = None, ctx: CodecContext | None = None
    ) -> AioConnection | None:
        """The connection to the key's primary node, or ``None`` for "any".

        ``ctx`` is the call's codec context (hashing an object key encodes it).
        """
        route = await self._route(cache_id)
        if route is None:
            return None
        return route.conn_for(key, hint, ctx if ctx is not None else self._new_context())

    async def _route(self, cache_id: int) -> _routing.KeyRoute[AioConnection] | None:
        """The cache's key route, current (``None``: routing cannot pay or place keys)."""
        if not self.partition_aware or len(self._conns) < 2:
            return None
        route = self.ready_route(cache_id)
        if route is None:
            route = await self._key_route(cache_id, self._routes.get(cache_id))
        return route

    def ready_route(self, cache_id: int) -> _routing.KeyRoute[AioConnection] | None:
        """The cache's key route if it is current (its map and the pool unchanged since it
        was built), else ``None``: :meth:`for_key` then fetches or rebuilds it.

        A route exists only once routing paid (partition awareness, two connections or
        more), and the pool only gains connections until it is closed (which bumps
        ``_generation``): a current route needs none of :meth:`for_key`'s other checks.
        """
        route = self._routes.get(cache_id)
        if route is None or route.generation != self._generation:
            return None
        table = self.affinity
        if table.stale or table.get(cache_id) is not route.affinity:
            return None
        return route

    async def _key_route(
        self, cache_id: int, route: _routing.KeyRoute[AioConnection] | None
    ) -> _routing.KeyRoute[AioConnection] | None:
        """The cache's key route, rebuilt if its map or the pool changed (see for_key)."""
        if not self._routing_pays():
            return None
        affinity = await self.cache_affinity(cache_id)
        if affinity is None:
            return None
        generation = self._generation
        if route is None or route.affinity is not affinity or route.generation != generation:
            by_node = {
                c.node_id: c for c in self._conns.values() if c.is_open and c.node_id is not None
            }
            route = _routing.KeyRoute(affinity, by_node, generation)
            self._routes[cache_id] = route
        return route

    async def for_partition(self, cache_id: int, partition: int) -> AioConnection | None:
        """The connection to the partition's primary node, or ``None`` for "any"."""
        if not self._routing_pays() or partition < 0:
            return None
        affinity = await self.cache_affinity(cache_id)
        return self.connection_of(_routing.node_of_partition(affinity, partition))

    async def split(
        self,
        cache_id: int,
        items: Iterable[Any],
        *,
        pairs: bool,
        flat: bool = False,
        encoded: dict[int, tuple[object, bytes]] | None = None,
    ) -> list[tuple[AioConnection | None, list[Any]]]:
        """Group ``items`` (keys, or ``(key, value)`` pairs when ``pairs``; with ``flat``
        one list ``[key, value, ...]``) by the connection of their key's primary node
        (:meth:`._routing.KeyRoute.split`).

        ``encoded``: where the object keys encoded to hash them are kept for the parts
        (:attr:`.CodecContext.encoded`)."""
        items = items if isinstance(items, list) else list(items)
        route = await self._route(cache_id)
        if route is None:
            return [(None, items)]
        # One context for the batch (one per key cost more than the hash).
        ctx = self._new_context()
        ctx.encoded = encoded
        return route.split(items, ctx, pairs=pairs, flat=flat)
