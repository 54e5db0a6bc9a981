"""Continuous queries on the three-node cluster: a killed node, and server-side batching.

When the node serving a continuous query dies, the watcher must *learn* that events may
be missing (an ``EventsMissed``), not just go quiet, and must keep receiving changes from
the node that took the query over.  ``kind`` runs each test with ``Client`` and
``AioClient`` (tests/wire/cluster/conftest.py).
"""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest
from client_kinds import do, make_client

from ignite_wire import Client
from ignite_wire.continuous import CacheEntryEvent, EventsMissed, EventType
from ignite_wire.datatypes.cache_config import WriteSynchronizationMode
from ignite_wire.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER,
    PROP_NAME,
    PROP_WRITE_SYNCHRONIZATION_MODE,
)
from ignite_wire.exceptions import SocketError
from ignite_wire.testing import IgniteCluster

pytestmark = [pytest.mark.cluster, pytest.mark.slow, pytest.mark.timeout(600)]

_names = itertools.count()
#: Seconds within which an event that must come comes.
MUST_COME = 30.0


def config() -> dict[int, Any]:
    return {
        PROP_NAME: f"cq_cluster_{next(_names)}",
        PROP_BACKUPS_NUMBER: 1,
        PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
    }


def put_retrying(cache: Any, key: Any, value: Any) -> None:
    """A write that survives the writer's own connection to the killed node."""
    deadline = time.monotonic() + MUST_COME
    while True:
        try:
            cache.put(key, value)
            return
        except SocketError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


async def confirm_live(cq: Any) -> None:
    """``confirm_live``, surviving the client's own connection to the killed node (its
    marker writes are ordinary puts).  Needed after every start and restart: Ignite drops
    the events of changes made in the first moments after one (docs/change-streams.md)."""
    deadline = time.monotonic() + MUST_COME
    while True:
        try:
            await do(cq.confirm_live("marker", timeout=MUST_COME))
            return
        except SocketError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


async def next_event(cq: Any) -> Any:
    event = await do(cq.get(timeout=MUST_COME))
    assert event is not None, "no event within the time limit"
    return event


async def test_killed_node_is_reported_as_a_gap_and_the_query_resumes(
    kind: str, ignite_cluster: IgniteCluster
) -> None:
    endpoints = [n.endpoint for n in ignite_cluster.nodes]
    client = make_client(kind, timeout=MUST_COME)
    writer = Client(timeout=MUST_COME)
    await do(client.connect(endpoints))
    writer.connect(endpoints)
    try:
        cache = await do(client.get_or_create_cache(config()))
        written = writer.get_cache(cache.name)
        cq = await do(cache.continuous_query(restart_timeout=MUST_COME))
        served_by = cq.node
        await confirm_live(cq)
        put_retrying(written, "k", "before")
        assert await next_event(cq) == CacheEntryEvent(EventType.CREATED, "k", None, "before")

        (victim,) = [
            n for n in ignite_cluster.nodes if f"{n.endpoint[0]}:{n.endpoint[1]}" == served_by
        ]
        ignite_cluster.kill(victim.index)

        gap = await next_event(cq)
        assert isinstance(gap, EventsMissed)
        assert gap.resumed
        assert gap.node == served_by
        assert cq.node not in (None, served_by)

        await confirm_live(cq)
        put_retrying(written, "k", "after")
        event = await next_event(cq)
        assert (event.type, event.key, event.value) == (EventType.UPDATED, "k", "after")
        await do(cq.close())
        assert cq.closed
    finally:
        writer.close()
        await do(client.close())


async def test_buffer_size_and_time_interval_reach_the_server(
    kind: str, ignite_cluster: IgniteCluster
) -> None:
    """Events of keys whose primary is another node wait in that node's buffer of 100
    until the 1 s interval flushes them; with a buffer of 1 they come at once."""
    endpoints = [n.endpoint for n in ignite_cluster.nodes]
    client = make_client(kind, timeout=MUST_COME)
    writer = Client(timeout=MUST_COME)
    await do(client.connect(endpoints))
    writer.connect(endpoints)
    try:
        cache = await do(client.get_or_create_cache(config()))
        written = writer.get_cache(cache.name)
        delays = {}
        for buffer_size, interval in ((100, 1.5), (1, 0.0)):
            # From before the query starts: the nodes' flush timers start when it is
            # registered, so a slow registration (a loaded machine) must not count as
            # an early flush (a CI run saw 0.66 s after a registration that took ~0.8 s).
            started = time.monotonic()
            cq = await do(cache.continuous_query(buffer_size=buffer_size, time_interval=interval))
            # the first events can fall into the start window; with buffer 100 the
            # marker's events may wait for a flush, still counted from before the start
            await confirm_live(cq)
            written.put_all(dict.fromkeys(range(30), buffer_size))
            for _ in range(30):
                event = await next_event(cq)
                assert event.value == buffer_size
            delays[buffer_size] = time.monotonic() - started
            await do(cq.close())
        assert delays[100] >= 1.2, delays
        assert delays[1] < delays[100], delays
    finally:
        writer.close()
        await do(client.close())
