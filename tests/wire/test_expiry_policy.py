"""``ExpiryPolicy``: normalised on construction, immutable, and its 24 wire bytes."""

from __future__ import annotations

import dataclasses
import pickle
import struct
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_wire._protocol.expiry_policy import duration_ms, pack_expiry_policy
from ignite_wire.datatypes.expiry_policy import ExpiryPolicy
from ignite_wire.exceptions import EncodeError, ParameterError


def test_defaults_leave_every_ttl_unchanged() -> None:
    policy = ExpiryPolicy()
    assert (policy.create, policy.update, policy.access) == (None, None, None)
    assert pack_expiry_policy(policy) == struct.pack("<qqq", -2, -2, -2)


def test_values_are_normalised_so_read_back_policies_compare_equal() -> None:
    policy = ExpiryPolicy(
        create=timedelta(seconds=1, microseconds=1999),
        update=ExpiryPolicy.ETERNAL,
        access=ExpiryPolicy.UNCHANGED,
    )
    assert (policy.create, policy.update, policy.access) == (1001, -1, None)
    assert policy == ExpiryPolicy(create=1001, update=-1)
    assert hash(policy) == hash(ExpiryPolicy(create=1001, update=-1))
    assert policy != ExpiryPolicy(create=1001, update=-1, access=0)
    assert repr(policy) == "ExpiryPolicy(create=1001, update=-1, access=None)"


def test_golden_bytes() -> None:
    policy = ExpiryPolicy(create=timedelta(minutes=1), update=0, access=-1)
    assert pack_expiry_policy(policy).hex() == ("60ea0000000000000000000000000000ffffffffffffffff")


def test_immutable_and_picklable() -> None:
    policy = ExpiryPolicy(create=5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.create = 6  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(policy)) == policy
    assert dataclasses.replace(policy, access=timedelta(seconds=2)) == ExpiryPolicy(
        create=5, access=2000
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"create": -3},
        {"update": timedelta(seconds=-1)},
        {"access": 1.5},
        {"access": "1s"},
        {"create": True},
        {"create": 1 << 63},
    ],
)
def test_invalid_durations(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ParameterError) as info:
        ExpiryPolicy(**kwargs)
    assert next(iter(kwargs)) in str(info.value)


def test_durations_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        ExpiryPolicy(1000)  # type: ignore[misc]


def test_duck_typed_policies_encode_by_their_attributes() -> None:
    pyignite_like = SimpleNamespace(create=-2, update=timedelta(milliseconds=1500), access=-1)
    assert pack_expiry_policy(pyignite_like) == struct.pack("<qqq", -2, 1500, -1)
    with pytest.raises(EncodeError) as info:
        pack_expiry_policy(SimpleNamespace(create=1, update=1), "policy")
    assert "'access'" in str(info.value)
    assert info.value.path == "policy"


@given(st.integers(-2, (1 << 63) - 1) | st.none() | st.timedeltas(min_value=timedelta(0)))
def test_duration_ms_matches_the_normalised_field(value: Any) -> None:
    ms = duration_ms(value)
    assert -2 <= ms < 1 << 63
    stored = ExpiryPolicy(create=value).create
    assert stored == (None if ms == -2 else ms)
