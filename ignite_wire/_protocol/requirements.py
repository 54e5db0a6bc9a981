"""What each optional operation needs from the server, checked before anything is sent.

The protocol's intent (protocol notes, section 1): a client decides what it may use from
the negotiated version and feature bits of *each connection*, never from the product
version.  Sending an op the server lacks gets status 2 ("invalid op code") at best, and
a request whose layout depends on a bit the server did not accept is misread.  So every
optional operation names its need here, and :func:`require` raises
:class:`~ignite_wire.exceptions.NotSupportedByClusterError` naming the operation, the
missing capability and the server's version, before a byte is written.
"""

from __future__ import annotations

from ..exceptions import NotSupportedByClusterError
from .features import Feature, ProtocolVersion, VersionFeature, version_supports

__all__ = ["NEEDS", "require", "supports"]

#: Operation name -> the capability it needs.  Continuous query events are notifications,
#: whose header (flags) exists from 1.4.0 on; index queries have their own feature bit;
#: SQL ``partitions``/``update_batch_size`` are fields only bit 7 adds to the request.
NEEDS: dict[str, Feature | VersionFeature] = {
    "continuous query": VersionFeature.PARTITION_AWARENESS,
    "index query": Feature.INDEX_QUERY,
    "index query limit": Feature.INDEX_QUERY_LIMIT,
    "SQL partitions": Feature.QRY_PARTITIONS_BATCH_SIZE,
    "SQL update batch size": Feature.QRY_PARTITIONS_BATCH_SIZE,
    "cluster groups": Feature.CLUSTER_GROUPS,
    "compute": Feature.EXECUTE_TASK_BY_NAME,
    "services": Feature.SERVICE_INVOKE,
    "service call context": Feature.SERVICE_INVOKE_CALLCTX,
    "service descriptors": Feature.GET_SERVICE_DESCRIPTORS,
    "service topology": Feature.SERVICE_TOPOLOGY,
    # No bit: the streamer came with 2.11, whose protocol is 1.7.0 (ops/streamer.py).
    "data streamer": VersionFeature.BITMAP_FEATURES,
}


def supports(operation: str, version: ProtocolVersion | None, features: frozenset[Feature]) -> bool:
    """Whether the connection can do ``operation`` (for layouts that depend on it)."""
    need = NEEDS[operation]
    if version is None:
        return False
    if isinstance(need, Feature):
        return need in features
    return version_supports(version, need)


def require(
    operation: str,
    version: ProtocolVersion | None,
    features: frozenset[Feature],
    *,
    node: str | None = None,
) -> None:
    """Raise ``NotSupportedByClusterError`` unless the connection can do ``operation``."""
    if supports(operation, version, features):
        return
    need = NEEDS[operation]
    if isinstance(need, Feature):
        what = f"feature bit {need.name} ({int(need)})"
    else:
        what = f"protocol {need.name.lower().replace('_', ' ')} (a newer protocol version)"
    raise NotSupportedByClusterError(
        f"{operation} is not supported by this server: it needs {what}, and the "
        f"connection negotiated protocol {version} with features "
        f"{sorted(f.name for f in features) or 'none'}",
        op=operation,
        node=node,
    )
