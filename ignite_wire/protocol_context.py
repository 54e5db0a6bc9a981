"""``client.protocol_context``: what the connection to the cluster negotiated.

pyignite exposes the negotiated protocol version and feature bits as
``client.protocol_context`` (``ProtocolContext``), and user code asks it, for example,
``is_expiry_policy_supported()`` before sending an expiry policy.  This is the same
object, read from a live connection: ``None`` while the client has none.
"""

from __future__ import annotations

from ._protocol.features import Feature, ProtocolVersion, VersionFeature, version_supports

__all__ = ["ProtocolContext"]


class ProtocolContext:
    """The protocol version and feature bits one connection negotiated (immutable)."""

    __slots__ = ("_features", "_version")

    def __init__(
        self, version: tuple[int, int, int], features: frozenset[Feature] | None = None
    ) -> None:
        self._version = ProtocolVersion(*version)
        # Feature bits exist from 1.7.0 on; before that there are none to ask about.
        supported = version_supports(self._version, VersionFeature.BITMAP_FEATURES)
        self._features = frozenset(features or ()) if supported else None

    @property
    def version(self) -> ProtocolVersion:
        """The negotiated version, a ``(major, minor, patch)`` tuple."""
        return self._version

    @property
    def features(self) -> frozenset[Feature] | None:
        """The feature bits both sides support (``None`` before protocol 1.7.0)."""
        return self._features

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProtocolContext):
            return NotImplemented
        return self._version == other._version and self._features == other._features

    def __hash__(self) -> int:
        return hash((self._version, self._features))

    def __repr__(self) -> str:
        names = None if self._features is None else sorted(f.name for f in self._features)
        return f"ProtocolContext(version={tuple(self._version)}, features={names})"

    def _has(self, feature: VersionFeature) -> bool:
        return version_supports(self._version, feature)

    def is_partition_awareness_supported(self) -> bool:
        """Responses carry the affinity topology version (1.4.0)."""
        return self._has(VersionFeature.PARTITION_AWARENESS)

    def is_status_flags_supported(self) -> bool:
        """Responses carry flags instead of a bare status (1.4.0)."""
        return self._has(VersionFeature.PARTITION_AWARENESS)

    def is_transactions_supported(self) -> bool:
        """Thin-client transactions (1.5.0)."""
        return self._has(VersionFeature.TRANSACTIONS)

    def is_expiry_policy_supported(self) -> bool:
        """Expiry policies on caches and per operation (1.6.0)."""
        return self._has(VersionFeature.EXPIRY_POLICY)

    def is_feature_flags_supported(self) -> bool:
        """Feature bits in the handshake (1.7.0)."""
        return self._has(VersionFeature.BITMAP_FEATURES)

    def is_cluster_api_supported(self) -> bool:
        """Cluster state read and change (feature bit ``CLUSTER_STATES``)."""
        return self._features is not None and Feature.CLUSTER_STATES in self._features
