"""Every key-value method and its documented result, on both clients, against the session node."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from ignite_wire.datatypes import CharObject, IntObject, ShortObject
from ignite_wire.datatypes.expiry_policy import ExpiryPolicy
from ignite_wire.datatypes.key_value import PeekModes
from ignite_wire.datatypes.prop_codes import PROP_IS_ONHEAP_CACHE_ENABLED, PROP_NAME
from ignite_wire.exceptions import (
    CacheCreationError,
    CacheDoesNotExistError,
    CacheError,
    ParameterError,
)


def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass; its last result."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_get_and_put(cache: Any) -> None:
    assert cache.get("k") is None
    assert cache.put("k", "v") is None
    assert cache.get("k") == "v"
    cache.put("k", "w")
    assert cache.get("k") == "w"


def test_get_all_and_put_all(cache: Any) -> None:
    assert cache.get_all([]) == {}
    assert cache.get_all(["a", "b"]) == {}
    cache.put_all({"a": 1, "b": 2, 3: "three"})
    assert cache.get_all(["a", "b", 3, "missing"]) == {"a": 1, "b": 2, 3: "three"}
    # pairs instead of a mapping, and an empty batch
    cache.put_all([("c", 3), ("a", 10)])
    cache.put_all({})
    assert cache.get_all(("a", "c")) == {"a": 10, "c": 3}
    # keys with hints
    cache.put_all({(1, IntObject): "int one", 1: "long one"})
    assert cache.get_all([(1, IntObject)]) == {1: "int one"}
    assert cache.get_all([1]) == {1: "long one"}
    assert cache.get_size() == 6


def test_replace(cache: Any) -> None:
    assert cache.replace("k", 1) is False
    assert cache.get("k") is None
    cache.put("k", 1)
    assert cache.replace("k", 2) is True
    assert cache.get("k") == 2
    assert cache.replace("k", 3, value_hint=ShortObject) is True
    assert cache.get("k") == 3
    assert cache.replace("k", 4, key_hint=CharObject) is False  # "k" as a char: absent


def test_replace_if_equals(cache: Any) -> None:
    assert cache.replace_if_equals("k", 1, 2) is False
    cache.put("k", 1)
    assert cache.replace_if_equals("k", 5, 2) is False
    assert cache.get("k") == 1
    assert cache.replace_if_equals("k", 1, 2) is True
    assert cache.get("k") == 2
    # the sample is compared as the Java type it is sent as
    assert cache.replace_if_equals("k", 2, 3, sample_hint=IntObject) is False
    cache.put("k", 2, value_hint=IntObject)
    assert cache.replace_if_equals("k", 2, 3, sample_hint=IntObject) is True
    assert cache.get("k") == 3


def test_put_if_absent(cache: Any) -> None:
    assert cache.put_if_absent("k", 1) is True
    assert cache.put_if_absent("k", 2) is False
    assert cache.get("k") == 1


def test_get_and_put_variants(cache: Any) -> None:
    assert cache.get_and_put("k", 1) is None
    assert cache.get_and_put("k", 2) == 1
    assert cache.get("k") == 2

    assert cache.get_and_put_if_absent("new", "first") is None
    assert cache.get("new") == "first"
    assert cache.get_and_put_if_absent("new", "second") == "first"
    assert cache.get("new") == "first"

    assert cache.get_and_replace("absent", 1) is None
    assert cache.contains_key("absent") is False
    assert cache.get_and_replace("k", 3) == 2
    assert cache.get("k") == 3

    assert cache.get_and_remove("k") == 3
    assert cache.get("k") is None
    assert cache.get_and_remove("k") is None


def test_remove_key_and_remove_if_equals(cache: Any) -> None:
    assert cache.remove_key("k") is False
    cache.put("k", 1)
    assert cache.remove_key("k") is True
    assert cache.contains_key("k") is False

    cache.put("k", 1)
    assert cache.remove_if_equals("k", 2) is False
    assert cache.get("k") == 1
    assert cache.remove_if_equals("k", 1, sample_hint=IntObject) is False  # Integer != Long
    assert cache.remove_if_equals("k", 1) is True
    assert cache.get("k") is None


def test_remove_keys_remove_all_and_clear(cache: Any) -> None:
    cache.put_all({i: i for i in range(10)})
    cache.put("a", "string key")
    cache.put("a", "char key", key_hint=CharObject)
    cache.remove_keys([0, 1, "absent", ("a", CharObject)])
    assert cache.get_size() == 9
    assert cache.get("a") == "string key"
    assert cache.get("a", key_hint=CharObject) is None
    cache.remove_keys([])
    cache.remove_all()
    assert cache.get_size() == 0

    cache.put_all({i: i for i in range(5)})
    cache.clear_key(0)
    cache.clear_key(1, key_hint=IntObject)  # a different key: nothing happens
    assert cache.get_size() == 4
    cache.clear_keys([1, 2, "absent"])
    assert cache.get_all(range(5)) == {3: 3, 4: 4}
    cache.clear(keys=[3])
    assert cache.get_all(range(5)) == {4: 4}
    cache.put_all({i: i for i in range(5)})
    cache.clear()
    assert cache.get_size() == 0
    assert cache.get(4) is None


def test_contains_key_and_keys(cache: Any) -> None:
    assert cache.contains_key("a") is False
    assert cache.contains_keys([]) is True  # every one of no keys is present
    cache.put_all({"a": 1, "b": 2})
    assert cache.contains_key("a") is True
    assert cache.contains_key("a", key_hint=CharObject) is False
    assert cache.contains_keys(["a", "b"]) is True
    assert cache.contains_keys(["a", "b", "c"]) is False
    cache.put(7, "int", key_hint=IntObject)
    assert cache.contains_keys([(7, IntObject), "a"]) is True
    assert cache.contains_keys([7]) is False


def test_get_size_with_peek_modes(any_client: Any, unique: Any) -> None:
    cache = any_client.create_cache({PROP_NAME: unique("peek"), PROP_IS_ONHEAP_CACHE_ENABLED: True})
    try:
        assert cache.get_size() == 0
        cache.put_all({i: str(i) for i in range(25)})
        cache.get_all(range(25))  # read through the on-heap layer
        assert cache.get_size() == 25
        assert cache.get_size(PeekModes.ALL) == 25
        assert cache.get_size(PeekModes.PRIMARY) == 25
        assert cache.get_size(PeekModes.BACKUP) == 0  # one node holds no backups
        assert cache.get_size(PeekModes.NEAR) == 0  # no near cache
        assert cache.get_size(PeekModes.OFFHEAP) == 25
        assert cache.get_size(PeekModes.ONHEAP) == 25
        assert cache.get_size([PeekModes.PRIMARY, PeekModes.BACKUP]) == 25
        assert cache.get_size([PeekModes.BACKUP, PeekModes.NEAR]) == 0
        cache.remove_keys(range(10))
        assert cache.get_size(PeekModes.PRIMARY) == 15
        with pytest.raises(ParameterError, match="peek mode"):
            cache.get_size(6)
    finally:
        cache.destroy()


def test_on_heap_peek_mode_counts_nothing_without_an_on_heap_cache(cache: Any) -> None:
    cache.put_all({i: i for i in range(5)})
    assert cache.get_size(PeekModes.OFFHEAP) == 5
    assert cache.get_size(PeekModes.ONHEAP) == 0


@pytest.mark.cluster
def test_backup_peek_mode_on_a_cluster(ignite_cluster: Any, unique: Any) -> None:
    from ignite_wire import Client
    from ignite_wire.datatypes.cache_config import WriteSynchronizationMode
    from ignite_wire.datatypes.prop_codes import (
        PROP_BACKUPS_NUMBER,
        PROP_WRITE_SYNCHRONIZATION_MODE,
    )

    client = Client()
    client.connect(ignite_cluster.endpoints)
    try:
        # FULL_SYNC: put_all returns once the backups are written too (the default,
        # PRIMARY_SYNC, writes them after; a count right away could miss some).
        cache = client.create_cache(
            {
                PROP_NAME: unique("backups"),
                PROP_BACKUPS_NUMBER: 1,
                PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
            }
        )
        try:
            cache.put_all({i: i for i in range(100)})
            assert cache.get_size() == 100
            assert cache.get_size(PeekModes.PRIMARY) == 100
            assert cache.get_size(PeekModes.BACKUP) == 100
            assert cache.get_size([PeekModes.PRIMARY, PeekModes.BACKUP]) == 200
        finally:
            cache.destroy()
    finally:
        client.close()


def test_expire_policy_on_create(cache: Any) -> None:
    short = cache.with_expire_policy(create=timedelta(milliseconds=1500))
    assert short.name == cache.name
    started = time.monotonic()
    short.put("short", 1)
    cache.put("eternal", 2)
    short.put_all({"a": 1, "b": 2})
    assert cache.get_all(["short", "a", "b"]) == {"short": 1, "a": 1, "b": 2}
    assert time.monotonic() - started < 1.5  # (else the check above proved nothing)
    assert eventually(lambda: cache.get("short") is None)
    assert eventually(lambda: cache.get_all(["a", "b"]) == {})
    assert not cache.contains_key("short")
    assert cache.get("eternal") == 2
    assert eventually(lambda: cache.get_size() == 1)  # expired entries are removed


def test_expire_policy_in_milliseconds_and_as_a_policy_object(cache: Any) -> None:
    cache.with_expire_policy(create=200).put("ms", 1)
    cache.with_expire_policy(ExpiryPolicy(create=timedelta(milliseconds=200))).put("obj", 1)
    assert eventually(lambda: cache.get_all(["ms", "obj"]) == {})


def test_expire_policy_on_update(cache: Any) -> None:
    cache.put("k", 1)
    updating = cache.with_expire_policy(update=timedelta(milliseconds=200))
    updating.put("new", 1)  # created: the update TTL does not apply
    updating.put("k", 2)  # updated: expires
    assert eventually(lambda: cache.get("k") is None)
    time.sleep(0.3)
    assert cache.get("new") == 1


def test_expire_policy_on_access(cache: Any) -> None:
    cache.put("k", 1)
    cache.put("untouched", 1)
    reading = cache.with_expire_policy(access=timedelta(milliseconds=200))
    assert reading.get("k") == 1  # the read sets the TTL
    assert eventually(lambda: cache.get("k") is None)
    assert cache.get("untouched") == 1


def test_expire_policy_arguments_are_checked(cache: Any) -> None:
    with pytest.raises(ParameterError):
        cache.with_expire_policy(create=timedelta(milliseconds=-5))
    with pytest.raises(ParameterError):
        cache.with_expire_policy(access=-3)
    with pytest.raises(ParameterError):
        cache.with_expire_policy(update="soon")


MISSING_CACHE_CALLS: list[tuple[str, Callable[[Any], Any]]] = [
    ("get", lambda c: c.get(1)),
    ("put", lambda c: c.put(1, 1)),
    ("get_all", lambda c: c.get_all([1, 2])),
    ("put_all", lambda c: c.put_all({1: 1})),
    ("replace", lambda c: c.replace(1, 1)),
    ("replace_if_equals", lambda c: c.replace_if_equals(1, 1, 2)),
    ("put_if_absent", lambda c: c.put_if_absent(1, 1)),
    ("get_and_put", lambda c: c.get_and_put(1, 1)),
    ("get_and_put_if_absent", lambda c: c.get_and_put_if_absent(1, 1)),
    ("get_and_replace", lambda c: c.get_and_replace(1, 1)),
    ("get_and_remove", lambda c: c.get_and_remove(1)),
    ("remove_key", lambda c: c.remove_key(1)),
    ("remove_keys", lambda c: c.remove_keys([1])),
    ("remove_all", lambda c: c.remove_all()),
    ("remove_if_equals", lambda c: c.remove_if_equals(1, 1)),
    ("clear", lambda c: c.clear()),
    ("clear_key", lambda c: c.clear_key(1)),
    ("clear_keys", lambda c: c.clear_keys([1])),
    ("contains_key", lambda c: c.contains_key(1)),
    ("contains_keys", lambda c: c.contains_keys([1])),
    ("get_size", lambda c: c.get_size()),
    ("scan", lambda c: list(c.scan())),
    ("settings", lambda c: c.settings),
    ("destroy", lambda c: c.destroy()),
]


@pytest.mark.parametrize(
    "call", [c for _, c in MISSING_CACHE_CALLS], ids=[n for n, _ in MISSING_CACHE_CALLS]
)
def test_operations_on_a_missing_cache(any_client: Any, unique: Any, call: Any) -> None:
    name = unique("never_created")
    missing = any_client.get_cache(name)
    with pytest.raises(CacheDoesNotExistError) as info:
        call(missing)
    assert isinstance(info.value, CacheError)
    message = str(info.value)
    assert "does not exist" in message
    assert repr(name) in message  # the name the caller used, not just the cache id
    # the client is fine afterwards
    assert name not in any_client.get_cache_names()


def test_creating_an_existing_cache(any_client: Any, cache: Any) -> None:
    with pytest.raises(CacheCreationError, match=cache.name):
        any_client.create_cache(cache.name)
    cache.put(1, 1)
    again = any_client.get_or_create_cache(cache.name)
    assert again.get(1) == 1
