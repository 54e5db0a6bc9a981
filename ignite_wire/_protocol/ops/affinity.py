"""CACHE_PARTITIONS (op 1101): the partition maps partition awareness routes by.

Request: ``i32 n | i32 cacheId*`` (feature bit 13, custom mappings, is not offered, so no
leading flag).  Answer (reference section 5): the affinity topology version, then groups
of caches that share a map; an "applicable" group lists each cache's key configuration
(key type id -> affinity field id) and, per node, the partitions it is primary for.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Sequence

from ...exceptions import CacheError, ParseError
from ..affinity import AffinitySnapshot, CacheAffinity
from ..buffer import Buffer, read_bool, read_count, read_i32, read_i64, read_uuid
from ..flow import Flow, Request
from ..messages import AffinityVersion
from ..opcodes import OpCode

__all__ = ["cache_partitions", "decode_partitions"]

_I32 = struct.Struct("<i")
#: Ignite's largest partition count (RendezvousAffinityFunction.MAX_PARTITIONS).
MAX_PARTITIONS = 65000


def cache_partitions(cache_ids: Sequence[int]) -> Flow[AffinitySnapshot]:
    """Ask for the maps of ``cache_ids`` (the answer may add caches sharing a group)."""
    payload = _I32.pack(len(cache_ids)) + b"".join(_I32.pack(c) for c in cache_ids)
    response = yield Request(OpCode.CACHE_PARTITIONS, payload, CacheError)
    return decode_partitions(response.payload)


def decode_partitions(buf: Buffer) -> AffinitySnapshot:
    """Parse an op-1101 answer; malformed bytes raise ``ParseError``.

    Each count is checked against the bytes after it at its least size per item: a group
    is at least a flag and a cache count (5), a node a null id and a partition count (5).
    """
    major, pos = read_i64(buf, 0)
    minor, pos = read_i32(buf, pos)
    groups, pos = read_count(buf, pos, "group", 5)
    caches: dict[int, CacheAffinity] = {}
    for _ in range(groups):
        applicable, pos = read_bool(buf, pos)
        n_caches, pos = read_count(buf, pos, "cache", 4)
        entries: list[tuple[int, dict[int, int]]] = []
        for _ in range(n_caches):
            cache_id, pos = read_i32(buf, pos)
            key_fields: dict[int, int] = {}
            if applicable:
                n_keys, pos = read_count(buf, pos, "key configuration", 8)
                for _ in range(n_keys):
                    type_id, pos = read_i32(buf, pos)
                    field_id, pos = read_i32(buf, pos)
                    key_fields[type_id] = field_id
            entries.append((cache_id, key_fields))
        primaries: tuple[uuid.UUID | None, ...] = ()
        if applicable:
            owner: dict[int, uuid.UUID | None] = {}
            n_nodes, pos = read_count(buf, pos, "node", 5)
            for _ in range(n_nodes):
                node_id, pos = read_uuid(buf, pos)
                n_parts, pos = read_count(buf, pos, "partition", 4, MAX_PARTITIONS)
                for _ in range(n_parts):
                    part, next_pos = read_i32(buf, pos)
                    if not 0 <= part < MAX_PARTITIONS:
                        raise ParseError(f"partition {part} out of range", offset=pos)
                    owner[part] = node_id
                    pos = next_pos
            size = max(owner) + 1 if owner else 0
            primaries = tuple(owner.get(p) for p in range(size))
        for cache_id, key_fields in entries:
            caches[cache_id] = CacheAffinity(cache_id, applicable, key_fields, primaries)
    return AffinitySnapshot(AffinityVersion(major, minor), caches)
