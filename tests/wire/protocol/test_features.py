"""Protocol versions and the feature bitmask (protocol notes, section 1)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ignite_wire._protocol.features import (
    DEFAULT_FEATURES,
    LATEST_VERSION,
    MIN_SUPPORTED_VERSION,
    SUPPORTED_VERSIONS,
    V1_0_0,
    V1_1_0,
    V1_3_0,
    V1_4_0,
    V1_5_0,
    V1_6_0,
    V1_7_0,
    Feature,
    ProtocolVersion,
    VersionFeature,
    bitmask_to_features,
    features_to_bitmask,
    version_supports,
)

# (features, bytes as Java's BitSet.toByteArray writes them), written by hand.
BITMASK_CASES = [
    (set(), b""),
    ({Feature.USER_ATTRIBUTES}, b"\x01"),
    ({Feature.CLUSTER_STATES}, b"\x04"),
    ({Feature.QRY_PARTITIONS_BATCH_SIZE}, b"\x80"),
    ({Feature.BINARY_CONFIGURATION}, b"\x00\x01"),
    ({Feature.USER_ATTRIBUTES, Feature.HEARTBEAT}, b"\x01\x08"),
    ({Feature.CLUSTER_STATES, Feature.TX_AWARE_QUERIES}, b"\x04\x00\x04"),
    (set(Feature), b"\xff\xff\x07"),
]


@pytest.mark.parametrize(("features", "mask"), BITMASK_CASES)
def test_bitmask_golden(features: set[Feature], mask: bytes) -> None:
    assert features_to_bitmask(features) == mask
    assert bitmask_to_features(mask) == frozenset(features)


def test_bitmask_ignores_unknown_bits_and_trailing_zeros() -> None:
    assert bitmask_to_features(b"\x04\x00\x00\x00") == {Feature.CLUSTER_STATES}
    assert bitmask_to_features(b"\x00\x00\xf8\xff\x01") == frozenset()
    assert bitmask_to_features(bytearray(b"\x04")) == {Feature.CLUSTER_STATES}
    assert bitmask_to_features(memoryview(b"\x04")) == {Feature.CLUSTER_STATES}


@settings(max_examples=60)
@given(st.sets(st.sampled_from(list(Feature))))
def test_bitmask_round_trip(features: set[Feature]) -> None:
    mask = features_to_bitmask(features)
    assert bitmask_to_features(mask) == features
    assert not mask or mask[-1] != 0  # no trailing zero byte, like BitSet.toByteArray


def test_feature_bits_match_the_server_numbering() -> None:
    assert [f.value for f in Feature] == list(range(19))
    assert Feature.CLUSTER_STATES.value == 2
    assert Feature.HEARTBEAT.value == 11
    assert Feature.ALL_AFFINITY_MAPPINGS.value == 13
    assert Feature.TX_AWARE_QUERIES.value == 18


def test_default_offer_is_cluster_states_only() -> None:
    assert {Feature.CLUSTER_STATES} == DEFAULT_FEATURES


def test_supported_versions_are_exactly_1_0_to_1_7() -> None:
    assert [str(v) for v in SUPPORTED_VERSIONS] == [f"1.{n}.0" for n in range(7, -1, -1)]
    assert ProtocolVersion(1, 7, 1) not in SUPPORTED_VERSIONS
    assert LATEST_VERSION == V1_7_0
    assert MIN_SUPPORTED_VERSION == V1_0_0


def test_versions_order_like_tuples() -> None:
    assert V1_0_0 < V1_1_0 < V1_4_0 < V1_7_0
    assert ProtocolVersion(1, 7, 0) == (1, 7, 0)
    assert str(ProtocolVersion(1, 4, 0)) == "1.4.0"


@pytest.mark.parametrize(
    ("feature", "first"),
    [
        (VersionFeature.AUTHORIZATION, V1_1_0),
        (VersionFeature.CACHE_PARTITIONS, V1_3_0),
        (VersionFeature.PARTITION_AWARENESS, V1_4_0),
        (VersionFeature.TRANSACTIONS, V1_5_0),
        (VersionFeature.EXPIRY_POLICY, V1_6_0),
        (VersionFeature.BITMAP_FEATURES, V1_7_0),
    ],
)
def test_version_features(feature: VersionFeature, first: ProtocolVersion) -> None:
    for version in SUPPORTED_VERSIONS:
        assert version_supports(version, feature) == (version >= first)
