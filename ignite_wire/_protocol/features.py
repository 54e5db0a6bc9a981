"""Protocol versions and feature bits: what a connection may use (protocol notes, section 1).

Ignite negotiates capabilities in two ways, and this module holds both:

* **Versions** 1.0.0 to 1.7.0.  Each minor version up to 1.7.0 changed some layout (response
  header flags from 1.4.0, the tx flag from 1.5.0, ...).  :class:`VersionFeature` names those
  changes and :func:`version_supports` answers "does the negotiated version have it?".  The
  server accepts exactly these seven versions; there is no 1.7.x patch release.
* **Feature bits** from 1.7.0 on.  The client sends the bits it implements, the server
  answers with the intersection.  Setting a bit changes request layouts (bit 7 adds fields
  to SQL requests, bit 2 turns the cluster state from a bool into a byte, ...), so the
  client must only offer bits whose layouts it writes: the set is a parameter of the
  handshake, never "everything in this enum".  Decide per connection from the returned
  set, never from the server's product version.

Bitmask encoding follows Java's ``BitSet.toByteArray``: bit *n* lives in byte ``n // 8``,
bit ``n % 8``; trailing zero bytes are dropped.  Unknown bits in a received mask are
ignored (a newer server can only return bits we offered, so they never matter).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import NamedTuple

__all__ = [
    "DEFAULT_FEATURES",
    "LATEST_VERSION",
    "MIN_SUPPORTED_VERSION",
    "SUPPORTED_VERSIONS",
    "V1_0_0",
    "V1_1_0",
    "V1_2_0",
    "V1_3_0",
    "V1_4_0",
    "V1_5_0",
    "V1_6_0",
    "V1_7_0",
    "Feature",
    "ProtocolVersion",
    "VersionFeature",
    "bitmask_to_features",
    "features_to_bitmask",
    "version_supports",
]


class ProtocolVersion(NamedTuple):
    """A thin-client protocol version; tuples order the way versions do."""

    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


V1_0_0 = ProtocolVersion(1, 0, 0)
V1_1_0 = ProtocolVersion(1, 1, 0)
V1_2_0 = ProtocolVersion(1, 2, 0)
V1_3_0 = ProtocolVersion(1, 3, 0)
V1_4_0 = ProtocolVersion(1, 4, 0)
V1_5_0 = ProtocolVersion(1, 5, 0)
V1_6_0 = ProtocolVersion(1, 6, 0)
V1_7_0 = ProtocolVersion(1, 7, 0)

#: Every version this client can speak, newest first (the order fallback walks).
SUPPORTED_VERSIONS: tuple[ProtocolVersion, ...] = (
    V1_7_0,
    V1_6_0,
    V1_5_0,
    V1_4_0,
    V1_3_0,
    V1_2_0,
    V1_1_0,
    V1_0_0,
)
LATEST_VERSION = V1_7_0
#: The oldest version the handshake will fall back to unless told otherwise.
MIN_SUPPORTED_VERSION = V1_0_0


class VersionFeature(IntEnum):
    """Capabilities that came with a protocol version; the value is not on the wire."""

    #: user name and password in the handshake; i32 status in a handshake failure
    AUTHORIZATION = 1
    #: precision and scale of QueryEntity fields; encryption in cache configuration
    QUERY_ENTITY_PRECISION_AND_SCALE = 2
    #: idle/handshake timeouts; op 1101 replaces op 1100
    CACHE_PARTITIONS = 3
    #: response flags and affinity topology version; node id in the handshake
    PARTITION_AWARENESS = 4
    #: OP_TX_* and the transactional flag in the cache header
    TRANSACTIONS = 5
    #: expiry policy in cache configuration and per-operation flag 0x04
    EXPIRY_POLICY = 6
    #: feature bitmask (and user attributes) in the handshake
    BITMAP_FEATURES = 7


_VERSION_OF: dict[VersionFeature, ProtocolVersion] = {
    VersionFeature.AUTHORIZATION: V1_1_0,
    VersionFeature.QUERY_ENTITY_PRECISION_AND_SCALE: V1_2_0,
    VersionFeature.CACHE_PARTITIONS: V1_3_0,
    VersionFeature.PARTITION_AWARENESS: V1_4_0,
    VersionFeature.TRANSACTIONS: V1_5_0,
    VersionFeature.EXPIRY_POLICY: V1_6_0,
    VersionFeature.BITMAP_FEATURES: V1_7_0,
}


def version_supports(version: ProtocolVersion, feature: VersionFeature) -> bool:
    """True if ``version`` has ``feature`` (it came with that version or an earlier one)."""
    return version >= _VERSION_OF[feature]


class Feature(IntEnum):
    """Feature bits (``ClientBitmaskFeature``); the value is the bit index."""

    USER_ATTRIBUTES = 0
    EXECUTE_TASK_BY_NAME = 1
    CLUSTER_STATES = 2
    CLUSTER_GROUP_GET_NODES_ENDPOINTS = 3
    CLUSTER_GROUPS = 4
    SERVICE_INVOKE = 5
    DEFAULT_QRY_TIMEOUT = 6
    QRY_PARTITIONS_BATCH_SIZE = 7
    BINARY_CONFIGURATION = 8
    GET_SERVICE_DESCRIPTORS = 9
    SERVICE_INVOKE_CALLCTX = 10
    HEARTBEAT = 11
    DATA_REPLICATION_OPERATIONS = 12
    ALL_AFFINITY_MAPPINGS = 13
    INDEX_QUERY = 14
    INDEX_QUERY_LIMIT = 15
    SERVICE_TOPOLOGY = 16
    CACHE_INVOKE = 17
    TX_AWARE_QUERIES = 18


#: What the handshake offers unless the caller says otherwise: only the bits whose request
#: layouts this client writes today.  (pyignite offers the same single bit.)
DEFAULT_FEATURES: frozenset[Feature] = frozenset({Feature.CLUSTER_STATES})

_KNOWN_BITS: dict[int, Feature] = {f.value: f for f in Feature}


def features_to_bitmask(features: Iterable[Feature]) -> bytes:
    """The bitmask bytes for ``features``, as Java's ``BitSet.toByteArray`` writes them."""
    value = 0
    for feature in features:
        value |= 1 << int(feature)
    return value.to_bytes((value.bit_length() + 7) // 8, "little")


#: Bytes of a mask that can hold a bit this client knows; the rest is never looked at.
_KNOWN_BYTES = max(_KNOWN_BITS) // 8 + 1


def bitmask_to_features(mask: bytes | bytearray | memoryview) -> frozenset[Feature]:
    """The known features set in ``mask``; bits this client has no name for are ignored.

    Only the first few bytes can hold a known bit, so the cost does not grow with the
    mask: a hostile handshake with a 32 KiB mask decodes as fast as a real one.
    """
    value = int.from_bytes(bytes(mask[:_KNOWN_BYTES]), "little")
    return frozenset(f for bit, f in _KNOWN_BITS.items() if value >> bit & 1)
