"""The data streamer (``cache.streamer``, op 8000) on a real node, sync and asyncio.

Issue 14, item 3: every entry stored, progress reported, ``allow_overwrite`` with Ignite's
meaning, a refused batch reported with exactly its keys while the others are stored,
back-pressure (never more than ``parallel`` batches in flight per node), and a clear
"not supported" error on a connection whose protocol cannot have the streamer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import pytest

from ignite_wire import GenericObjectMeta
from ignite_wire.datatypes import IntObject, String
from ignite_wire.exceptions import (
    BinaryTypeError,
    EncodeError,
    NotSupportedByClusterError,
    ParameterError,
)
from ignite_wire.monitoring import QueryEventListener
from ignite_wire.streamer import DataStreamerError


def test_every_entry_is_stored_and_progress_is_reported(any_client: Any, unique: Any) -> None:
    cache = any_client.create_cache(unique("stream"))
    seen: list[tuple[int, int]] = []
    threads: set[int] = set()

    def progress(loaded: int, failed: int) -> None:
        seen.append((loaded, failed))
        threads.add(threading.get_ident())

    try:
        with cache.streamer(batch_size=300, progress=progress) as streamer:
            streamer.add_all((i, f"value {i}") for i in range(2000))
            streamer.add_all({5000: "five thousand"})
        assert streamer.loaded == 2001
        assert streamer.failed == 0
        assert cache.get_size() == 2001
        assert cache.get_all([0, 999, 1999, 5000]) == {
            0: "value 0",
            999: "value 999",
            1999: "value 1999",
            5000: "five thousand",
        }
        # progress: counts only grow, and the last call reports everything
        assert seen == sorted(seen)
        assert seen[-1] == (2001, 0)
        assert len(seen) >= 2
        assert threads == {threading.get_ident()}  # the caller's thread, never a worker's
    finally:
        cache.destroy()


def test_allow_overwrite_false_keeps_stored_entries(any_client: Any, unique: Any) -> None:
    cache = any_client.create_cache(unique("stream"))
    try:
        cache.put_all({1: "old 1", 2: "old 2"})
        with cache.streamer() as streamer:  # Ignite's default: allow_overwrite=False
            streamer.add_all([(1, "new 1"), (2, "new 2"), (3, "new 3")])
        assert cache.get_all([1, 2, 3]) == {1: "old 1", 2: "old 2", 3: "new 3"}

        with cache.streamer(allow_overwrite=True) as streamer:
            streamer.add(1, "new 1")
            streamer.remove(2)
        assert cache.get_all([1, 2, 3]) == {1: "new 1", 3: "new 3"}
    finally:
        cache.destroy()


def test_removal_and_none_values_need_allow_overwrite(any_client: Any, unique: Any) -> None:
    cache = any_client.create_cache(unique("stream"))
    try:
        streamer = cache.streamer()
        with pytest.raises(ParameterError, match="allow_overwrite=True"):
            streamer.remove(1)
        with pytest.raises(ParameterError, match="use remove"):
            streamer.add(1, None)
        streamer.close()
        with pytest.raises(ParameterError, match="closed"):
            streamer.add(1, "late")
        assert cache.get_size() == 0
    finally:
        cache.destroy()


@pytest.mark.parametrize(
    "options",
    [{"batch_size": 0}, {"parallel": 0}, {"batch_size": True}, {"allow_overwrite": 1}],
)
def test_bad_options_are_refused_before_anything_is_sent(any_client: Any, options: Any) -> None:
    cache = any_client.get_cache("never_made")
    with pytest.raises(ParameterError, match=r"streamer\(\)"):
        cache.streamer(**options)


def _conflicting_type() -> tuple[type, type]:
    class Registered(
        metaclass=GenericObjectMeta,
        type_name="StreamConflictProbe",
        schema=OrderedDict([("n", IntObject)]),
    ):
        pass

    class Conflicting(
        metaclass=GenericObjectMeta,
        type_name="StreamConflictProbe",
        schema=OrderedDict([("n", String)]),
    ):
        pass

    return Registered, Conflicting


def test_a_refused_batch_is_reported_with_its_keys_and_the_rest_is_stored(
    any_client: Any, connect_any: Any, unique: Any
) -> None:
    registered, conflicting = _conflicting_type()
    cache = any_client.create_cache(unique("stream"))
    # The cluster learns the type with an int field; a second client (its own registry,
    # so nothing is caught before sending) streams an object whose field is a string.
    cache.put(-1, registered(n=1))
    other = connect_any().get_cache(cache.name)
    try:
        streamer = other.streamer(batch_size=10, parallel=1)
        streamer.add_all((i, f"v{i}") for i in range(10))
        streamer.add_all((i, conflicting(n="x") if i == 15 else f"v{i}") for i in range(10, 20))
        streamer.add_all((i, f"v{i}") for i in range(20, 30))
        with pytest.raises(DataStreamerError) as err:
            streamer.close()
        error = err.value
        assert len(error.failures) == 1
        failure = error.failures[0]
        assert failure.keys == tuple(range(10, 20))
        assert isinstance(failure.error, BinaryTypeError)
        assert failure.node is not None
        assert (error.loaded, error.failed) == (20, 10)
        assert streamer.loaded == 20
        stored = cache.get_all(range(30))
        assert sorted(stored) == [*range(10), *range(20, 30)]
    finally:
        cache.destroy()


def test_a_value_that_cannot_be_encoded_fails_only_its_batch(any_client: Any, unique: Any) -> None:
    cache = any_client.create_cache(unique("stream"))
    try:
        streamer = cache.streamer(batch_size=5)
        streamer.add_all((i, i) for i in range(5))
        streamer.add_all((i, object() if i == 7 else i) for i in range(5, 10))
        with pytest.raises(DataStreamerError) as err:
            streamer.flush()
        (failure,) = err.value.failures
        assert failure.keys == (5, 6, 7, 8, 9)
        assert isinstance(failure.error, EncodeError)
        # the failure is raised once; the streamer goes on
        streamer.add(10, 10)
        streamer.close()
        assert sorted(cache.get_all(range(11))) == [0, 1, 2, 3, 4, 10]
        assert (streamer.loaded, streamer.failed) == (6, 5)
    finally:
        cache.destroy()


class InFlight(QueryEventListener):
    """The most DATA_STREAMER_START requests outstanding at once, per node."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now: dict[Any, int] = {}
        self.most: dict[Any, int] = {}
        self.sent = 0

    def on_query_start(self, event: Any) -> None:
        if event.op_name == "DATA_STREAMER_START":
            with self._lock:
                self.sent += 1
                n = self.now[event.node_uuid] = self.now.get(event.node_uuid, 0) + 1
                self.most[event.node_uuid] = max(n, self.most.get(event.node_uuid, 0))

    def _end(self, event: Any) -> None:
        if event.op_name == "DATA_STREAMER_START":
            with self._lock:
                self.now[event.node_uuid] -= 1

    on_query_success = _end
    on_query_fail = _end


def test_batches_in_flight_per_node_are_bounded(connect_any: Any, unique: Any) -> None:
    watch = InFlight()
    client = connect_any(event_listeners=[watch])
    cache = client.create_cache(unique("stream"))
    try:
        with cache.streamer(batch_size=50, parallel=2) as streamer:
            streamer.add_all((i, "x" * 100) for i in range(3000))
        assert streamer.loaded == 3000
        assert watch.sent == 60
        assert max(watch.most.values()) <= 2
        assert all(n == 0 for n in watch.now.values())
    finally:
        cache.destroy()


def test_a_protocol_without_the_streamer_is_refused_before_sending(
    connect_any: Any, unique: Any
) -> None:
    old = connect_any(protocol_version=(1, 6, 0))
    cache = old.create_cache(unique("stream"))
    try:
        streamer = cache.streamer()
        streamer.add(1, "one")
        with pytest.raises(NotSupportedByClusterError, match="data streamer is not supported"):
            streamer.flush()
        assert cache.get_size() == 0
    finally:
        cache.destroy()
