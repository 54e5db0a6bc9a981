"""Partition awareness without I/O: the partition maps and the node a key belongs to.

The cluster tells a client, per cache, which node is primary for each partition (op 1101,
:mod:`.ops.affinity`), and stamps every response with a flag when the affinity topology
has changed since.  :class:`AffinityTable` keeps the maps of one client, learns of newer
topology versions from responses (:meth:`AffinityTable.observe`) and answers
:meth:`AffinityTable.node_for` from the maps it holds; the client refetches the maps of a
cache when the table says they are missing or stale.  A wrong or missing map never
breaks an operation: it only costs the server a hop to the right node.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .messages import AffinityVersion

__all__ = ["AffinitySnapshot", "AffinityTable", "CacheAffinity", "partition_of"]


def partition_of(key_hash: int, partitions: int) -> int:
    """The partition of a key whose Java ``hashCode()`` is ``key_hash``.

    ``RendezvousAffinityFunction.calculatePartition``: for a power-of-two count the hash
    is spread (``h ^ h >>> 16``) and masked; otherwise Java's ``Math.abs(h % parts)``,
    where ``%`` truncates toward zero (pyignite's ``h // parts`` is wrong here).
    """
    h = key_hash & 0xFFFFFFFF
    if partitions & (partitions - 1) == 0:
        return (h ^ (h >> 16)) & (partitions - 1)
    signed = h - (1 << 32) if h & 0x80000000 else h
    return abs(signed) % partitions


@dataclass(frozen=True, slots=True)
class CacheAffinity:
    """One cache's map: the primary node of each partition, and its key configuration.

    ``applicable`` is false when the cache cannot be routed by a client (replicated, a
    custom affinity function or node filter); ``primaries`` is then empty.
    """

    cache_id: int
    applicable: bool
    key_fields: Mapping[int, int] = field(default_factory=dict)
    primaries: tuple[uuid.UUID | None, ...] = ()

    def node_for(self, key_hash: int) -> uuid.UUID | None:
        if not self.primaries:
            return None
        return self.primaries[partition_of(key_hash, len(self.primaries))]


@dataclass(frozen=True, slots=True)
class AffinitySnapshot:
    """What one op-1101 answer said: the topology version and the caches' maps."""

    version: AffinityVersion
    caches: Mapping[int, CacheAffinity]


class AffinityTable:
    """A client's partition maps, and whether they still match the cluster."""

    __slots__ = ("_caches", "_latest", "_version")

    def __init__(self) -> None:
        self._caches: dict[int, CacheAffinity] = {}
        self._version: AffinityVersion | None = None  # of the maps held
        self._latest: AffinityVersion | None = None  # newest any response announced

    @property
    def version(self) -> AffinityVersion | None:
        return self._version

    def observe(self, version: AffinityVersion | None) -> None:
        """Note a topology version a response carried (flag 2)."""
        if version is not None and (self._latest is None or version > self._latest):
            self._latest = version

    @property
    def stale(self) -> bool:
        """True when a response announced a newer topology than the maps'."""
        return self._latest is not None and (self._version is None or self._latest > self._version)

    def missing(self, cache_ids: Iterable[int]) -> list[int]:
        """The caches to (re)fetch before routing: unknown ones, or all when stale."""
        if self.stale:
            return sorted(set(cache_ids) | set(self._caches))
        return [c for c in cache_ids if c not in self._caches]

    def update(self, snapshot: AffinitySnapshot) -> None:
        """Take the maps of ``snapshot``; older snapshots than the held maps are ignored."""
        if self._version is not None and snapshot.version < self._version:
            return
        if self._version is None or snapshot.version > self._version:
            self._caches = {}
        self.observe(snapshot.version)
        # The maps are of the answer's version, even when a response has announced a newer
        # one: each node reports its own ready version, so a node that is still finishing
        # an exchange answers with the old maps (e.g. without a node that just became
        # primary).  The table then stays stale and the next use asks again, as the Java
        # client does (a mapping is valid while its version >= the last one seen).
        self._version = snapshot.version
        self._caches.update(snapshot.caches)

    def get(self, cache_id: int) -> CacheAffinity | None:
        return self._caches.get(cache_id)

    def current(self, cache_id: int) -> CacheAffinity | None:
        """The cache's map when the table is not :attr:`stale`, else ``None``: a key
        route's validity in one call (every single-key request asks, issue 12)."""
        latest = self._latest
        if latest is not None and (self._version is None or latest > self._version):
            return None
        return self._caches.get(cache_id)

    def cache_ids(self) -> list[int]:
        return list(self._caches)

    def node_for(self, cache_id: int, key_hash: int) -> uuid.UUID | None:
        """The primary node of the key, or ``None`` when it is not known."""
        affinity = self._caches.get(cache_id)
        return affinity.node_for(key_hash) if affinity is not None else None

    def clear(self) -> None:
        """Forget the maps and the versions seen (a later cluster may count from 1)."""
        self._caches = {}
        self._version = None
        self._latest = None
