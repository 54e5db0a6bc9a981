"""Failover on the three-node cluster: nodes killed, restarted, frozen, or never there.

What the seed promises ("Client Failover"), checked with ``Client`` and ``AioClient``
(``kind``): the error of a failed connection propagates (``SocketError``, an
``OSError``) and the next call works on another node; reads are repeated transparently
(:class:`~ignite_wire.retry.RetryPolicy`); ``ReconnectError`` when no node can be reached
(it is *not* an ``OSError``, so it escapes the seed's ``except (OSError, SocketError)``
loop); a node that comes back gets its requests again.  Timeouts: a frozen node (its JVM
stopped with SIGSTOP) makes a call raise ``RequestTimeoutError`` within the timeout, and
the client keeps working with the other nodes.

``ignite_cluster`` restarts killed nodes after each test.  Which node serves a request is
read from query events (``event.port``), the public way to observe routing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from client_kinds import dead_port, do, make_client

from ignite_wire import monitoring
from ignite_wire.datatypes.cache_config import CacheMode, WriteSynchronizationMode
from ignite_wire.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER,
    PROP_CACHE_MODE,
    PROP_NAME,
    PROP_WRITE_SYNCHRONIZATION_MODE,
)
from ignite_wire.exceptions import (
    ReconnectError,
    RequestTimeoutError,
    SocketError,
)
from ignite_wire.retry import RetryPolicy
from ignite_wire.testing import IgniteCluster

pytestmark = [pytest.mark.cluster, pytest.mark.slow, pytest.mark.timeout(600)]

#: Request timeout of the clients that must not depend on it (a hang fails the test).
SLOW = 30.0
#: What "at once" means for a refused connection (it takes milliseconds; the machine may
#: be busy).
QUICK = 3.0
#: A call that hits a timeout must end within this many timeouts (Java's test: [T, 2T)).
WITHIN_TIMEOUTS = 1.8
#: Keys spread over the three nodes.
KEYS = range(120)


class Requests(monitoring.QueryEventListener):
    """``(port, op_name, ok)`` of every request, in order."""

    def __init__(self) -> None:
        self.log: list[tuple[int, str, bool]] = []

    def on_query_success(self, event: monitoring.QuerySuccessEvent) -> None:
        self.log.append((event.port, event.op_name, True))

    def on_query_fail(self, event: monitoring.QueryFailEvent) -> None:
        self.log.append((event.port, event.op_name, False))

    def last_port(self, op: str) -> int:
        return next(port for port, name, ok in reversed(self.log) if name == op and ok)


@pytest.fixture
async def clients() -> AsyncIterator[Callable[..., Any]]:
    """``clients(kind, **options)`` -> a client with a :class:`Requests` as ``.requests``;
    every client made is closed after the test."""
    made: list[Any] = []

    def make(kind: str, **options: Any) -> Any:
        requests = Requests()
        options.setdefault("timeout", SLOW)
        client = make_client(kind, event_listeners=[requests], **options)
        client.requests = requests
        made.append(client)
        return client

    yield make
    for client in made:
        await do(client.close())


def backed_up(name: str) -> dict[int, Any]:
    """A partitioned cache with one backup written synchronously: killing one node loses
    no acknowledged write (with the default PRIMARY_SYNC, a node killed right after a put
    may take the only copy with it)."""
    return {
        PROP_NAME: name,
        PROP_BACKUPS_NUMBER: 1,
        PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
    }


async def key_on(client: Any, cache: Any, port: int) -> int:
    """A key of ``KEYS`` whose primary node listens on ``port`` (by routed gets)."""
    for key in KEYS:
        assert await do(cache.get(key)) == key
        if client.requests.last_port("CACHE_GET") == port:
            return key
    raise AssertionError(f"no key of {KEYS} has its primary on port {port}")


async def populated(client: Any, name: str, config: dict[int, Any] | None = None) -> Any:
    cache = await do(client.get_or_create_cache(config or backed_up(name)))
    await do(cache.put_all({key: key for key in KEYS}))
    return cache


# -- a killed node -----------------------------------------------------------------------


@pytest.mark.parametrize("retry_writes", [False, True], ids=["default-policy", "retry-writes"])
async def test_write_to_a_killed_node(
    kind: str, retry_writes: bool, ignite_cluster: IgniteCluster, clients: Any
) -> None:
    """The default policy: the put raises ``SocketError`` naming the node, the next call
    works elsewhere; with ``retry_writes`` the put is repeated on another node."""
    policy = RetryPolicy(retry_writes=retry_writes)
    client = clients(kind, retry_policy=policy)
    await do(client.connect(ignite_cluster.endpoints))
    victim = ignite_cluster.node(1)
    cache = await populated(client, f"fo_write_{kind}_{retry_writes}")
    key = await key_on(client, cache, victim.port)

    ignite_cluster.kill(1)
    if retry_writes:
        await do(cache.put(key, "written"))  # repeated on a live node, no error
    else:
        failure: SocketError | None = None
        try:
            await do(cache.put(key, "written"))
        except SocketError as caught:
            failure = caught
        if failure is not None:
            # Sent to the victim before the client learned it had died: not repeated.
            assert isinstance(failure, OSError)  # the seed's except clause
            assert failure.node == f"{victim.host}:{victim.port}"
            assert await do(cache.get(key)) == key  # the seed's "Last value": not written
            await do(cache.put(key, "written"))  # "repeat last command"
        else:
            # The client saw the connection close first (the asyncio transport often
            # does, at once) and so never sent the put to the dead node: a live node
            # took it, and no request failed.
            port, op, ok = client.requests.log[-1]
            assert (op, ok) == ("CACHE_PUT", True)
            assert port != victim.port
    assert client.requests.log[-1][1:] in {("CACHE_PUT", True), ("CACHE_GET", True)}
    assert await do(cache.get(key)) == "written"

    # Everything else works on the two remaining nodes, without a single error.
    fails_before = sum(not ok for _, _, ok in client.requests.log)
    for k in KEYS:
        await do(cache.put(k, -k))
        assert await do(cache.get(k)) == -k
    assert await do(cache.get_all(list(KEYS))) == {k: -k for k in KEYS}
    assert sum(not ok for _, _, ok in client.requests.log) == fails_before
    served = {port for port, _, _ in client.requests.log[-len(KEYS) :]}
    assert victim.port not in served
    assert len(served) == 2  # still partition-aware over the survivors
    await do(cache.destroy())


@pytest.mark.parametrize("retries", [2, 0], ids=["default-policy", "no-retries"])
async def test_read_from_a_killed_node(
    kind: str, retries: int, ignite_cluster: IgniteCluster, clients: Any
) -> None:
    """A get that meets the dead node is repeated on another with the default policy and
    raises with ``retries=0``; a get sent after the client noticed the death (the asyncio
    transport or a heartbeat may see the close first) goes to a live node. A get to the
    dead node that succeeds, or a success after a failed attempt without retries, is wrong.
    """
    client = clients(kind, retry_policy=RetryPolicy(retries=retries))
    await do(client.connect(ignite_cluster.endpoints))
    victim = ignite_cluster.node(2)
    cache = await populated(client, f"fo_read_{kind}_{retries}")
    key = await key_on(client, cache, victim.port)
    mark = len(client.requests.log)

    ignite_cluster.kill(2)
    try:
        value = await do(cache.get(key))
    except SocketError:
        assert not retries, "the default policy must repeat a read"
        assert await do(cache.get(key)) == key  # the next call works
    else:
        assert value == key
        first, *rest = client.requests.log[mark:]
        last = rest[-1] if rest else first
        assert last[1:] == ("CACHE_GET", True)
        assert last[0] != victim.port  # answered by a live node
        if first[0] == victim.port:  # it met the dead node first ...
            assert retries, "without retries a failed attempt must raise"
            assert first[1:] == ("CACHE_GET", False)  # ... and was repeated elsewhere
    assert await do(cache.get_all(list(KEYS))) == {k: k for k in KEYS}
    assert await do(cache.contains_keys(list(KEYS)))
    await do(cache.destroy())


@pytest.mark.parametrize("partition_aware", [True, False], ids=["pa", "no-pa"])
async def test_seed_failover_example(
    kind: str, partition_aware: bool, ignite_cluster: IgniteCluster, clients: Any
) -> None:
    """The seed's loop, with the node that serves it killed midway.

    Exactly one iteration fails (its put, with an ``OSError``); its "Last value" read
    and every later iteration work, so the counter ends one short of the iterations.
    """
    nodes = ignite_cluster.endpoints
    client = clients(kind, timeout=40.0, partition_aware=partition_aware)
    await do(client.connect(nodes))
    assert "3/3 nodes" in repr(client) if partition_aware else "1/3 nodes" in repr(client)
    my_cache = await do(
        client.get_or_create_cache(
            {
                PROP_NAME: f"my_cache_{kind}_{partition_aware}",
                PROP_CACHE_MODE: CacheMode.REPLICATED,
                PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
            }
        )
    )
    await do(my_cache.put("test_key", 0))

    iterations, kill_at = 60, 30
    errors: list[BaseException] = []
    last_values: list[int] = []
    killed = None
    for i in range(iterations):
        try:
            test_value = await do(my_cache.get("test_key"))
            if i == kill_at:  # the node that answered the get dies before the put
                killed = client.requests.last_port("CACHE_GET")
                ignite_cluster.kill(killed - ignite_cluster.base_port)
            await do(my_cache.put("test_key", test_value + 1))
        except (OSError, SocketError) as e:
            errors.append(e)
            last_values.append(await do(my_cache.get("test_key")))
            reconnected = repr(client)
    assert [type(e) for e in errors] == [SocketError]
    assert errors[0].node == f"127.0.0.1:{killed}"  # type: ignore[attr-defined]
    assert last_values == [kill_at]
    assert f"127.0.0.1:{killed}," not in reconnected.split(" nodes=")[0]
    assert await do(my_cache.get("test_key")) == iterations - 1
    await do(my_cache.destroy())


async def test_no_reachable_node_raises_reconnect_error(
    kind: str, ignite_cluster: IgniteCluster, clients: Any
) -> None:
    """Dead ports at connect; later the only known node dies, then comes back."""
    dead = [("127.0.0.1", dead_port()) for _ in range(3)]
    client = clients(kind, handshake_timeout=SLOW)
    started = time.monotonic()
    with pytest.raises(ReconnectError) as caught:
        await do(client.connect(dead))
    assert time.monotonic() - started < QUICK
    assert all(f"127.0.0.1:{port}" in str(caught.value) for _, port in dead)
    assert isinstance(caught.value.__cause__, SocketError)
    assert not isinstance(caught.value, OSError)  # it escapes the seed's except clause

    # One known node (no partition awareness: no other node is learnt).
    node = ignite_cluster.node(0)
    client = clients(kind, partition_aware=False)
    await do(client.connect(*node.endpoint))
    cache = await do(client.get_or_create_cache(backed_up(f"fo_none_{kind}")))
    await do(cache.put(1, 1))
    ignite_cluster.kill(0)
    with pytest.raises(SocketError):
        await do(cache.put(1, 2))  # the failed connection's own error first
    started = time.monotonic()
    with pytest.raises(ReconnectError, match=f"127.0.0.1:{node.port}"):
        await do(cache.put(1, 2))  # then: nothing to reconnect to
    assert time.monotonic() - started < QUICK
    with pytest.raises(ReconnectError):
        await do(cache.get(1))  # a read too, retries or not

    ignite_cluster.restart(0)
    assert await do(cache.get(1)) == 1  # reconnected on the next call
    await do(cache.put(1, 2))
    assert await do(cache.get(1)) == 2
    await do(cache.destroy())


async def test_whole_cluster_down_then_back(ignite_cluster: IgniteCluster, clients: Any) -> None:
    """Both clients, all nodes killed: errors, then ``ReconnectError``; then recovery."""
    sync_client, aio_client = clients("sync"), clients("async")
    sync_client.connect(ignite_cluster.endpoints)
    await aio_client.connect(ignite_cluster.endpoints)
    caches = [
        sync_client.get_or_create_cache(backed_up("fo_all_down")),
        await aio_client.get_cache("fo_all_down"),
    ]
    for cache in caches:
        await do(cache.put("k", "v"))
    for i in range(3):
        ignite_cluster.kill(i)
    for cache in caches:
        outcomes: list[type[BaseException]] = []
        for _ in range(5):
            try:
                await do(cache.put("k", "w"))
                outcomes.append(type(None))  # type: ignore[arg-type]
            except (OSError, SocketError) as e:
                outcomes.append(type(e))
            except ReconnectError:
                outcomes.append(ReconnectError)
                break
        # At most one SocketError per connection, then "no node can be reached".
        assert outcomes[-1] is ReconnectError, outcomes
        assert set(outcomes[:-1]) <= {SocketError}, outcomes
        assert len(outcomes) <= 4, outcomes
    ignite_cluster.restart(0)  # a new cluster: the cache died with the old one
    for client in (sync_client, aio_client):
        assert await do(client.get_cache_names()) is not None  # reconnected on this call
        cache = await do(client.get_or_create_cache(backed_up("fo_all_down")))
        await do(cache.put("k", "back"))
        assert await do(cache.get("k")) == "back"
        assert "1/3 nodes" in repr(client)


async def test_node_that_comes_back_gets_its_requests_again(
    kind: str, ignite_cluster: IgniteCluster, clients: Any
) -> None:
    client = clients(kind)
    await do(client.connect(ignite_cluster.endpoints))
    victim = ignite_cluster.node(1)
    cache = await populated(client, f"fo_back_{kind}")
    await key_on(client, cache, victim.port)

    ignite_cluster.kill(1)
    for key in KEYS:
        assert await do(cache.get(key)) == key
    mark = len(client.requests.log)
    for key in KEYS:
        assert await do(cache.get(key)) == key
    assert victim.port not in {port for port, _, _ in client.requests.log[mark:]}

    ignite_cluster.restart(1)
    restarted = time.monotonic()
    deadline = restarted + 60
    while True:
        mark = len(client.requests.log)
        for key in KEYS:
            await do(cache.put(key, key + 1))
            assert await do(cache.get(key)) == key + 1
        served = [(port, op) for port, op, ok in client.requests.log[mark:] if ok]
        if (victim.port, "CACHE_GET") in served and (victim.port, "CACHE_PUT") in served:
            break
        assert time.monotonic() < deadline, "the restarted node never got a request again"
        await asyncio.sleep(0.2)
    assert "3/3 nodes" in repr(client)
    assert not [entry for entry in client.requests.log[mark:] if not entry[2]]
    await do(cache.destroy())


@pytest.mark.parametrize("partition_aware", [True, False], ids=["pa", "no-pa"])
async def test_connect_with_two_dead_addresses_is_fast(
    kind: str, partition_aware: bool, ignite_cluster: IgniteCluster, clients: Any
) -> None:
    nodes = [("127.0.0.1", dead_port()), ignite_cluster.node(2).endpoint]
    nodes.append(("127.0.0.1", dead_port()))
    client = clients(kind, partition_aware=partition_aware, handshake_timeout=SLOW)
    started = time.monotonic()
    await do(client.connect(nodes))
    assert time.monotonic() - started < QUICK  # not 2 x the handshake timeout, nor 1
    cache = await do(client.get_or_create_cache(f"fo_dead_{kind}_{partition_aware}"))
    await do(cache.put("k", "v"))
    assert await do(cache.get("k")) == "v"
    await do(cache.destroy())


# -- a frozen node -----------------------------------------------------------------------


@contextlib.contextmanager
def frozen(cluster: IgniteCluster, index: int) -> Iterator[None]:
    """The node's JVM stopped (SIGSTOP): it accepts TCP connections and answers nothing."""
    pid = cluster.node(index).pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


@pytest.fixture
def two_nodes(ignite_cluster_factory: Callable[..., IgniteCluster]) -> IgniteCluster:
    """Two nodes that wait a minute before declaring a silent node dead, so that a frozen
    node stays in the topology for the whole test (Ignite would otherwise drop it after
    a few seconds, and the other node's operations would wait on that)."""
    return ignite_cluster_factory(2, failure_detection_ms=60_000)


async def test_frozen_node_request_and_handshake_timeouts(
    two_nodes: IgniteCluster, clients: Any
) -> None:
    timeout = 1.0
    endpoints = two_nodes.endpoints
    live, cold = two_nodes.node(0), two_nodes.node(1)
    setup = clients("sync")
    setup.connect(endpoints)
    cache = setup.get_or_create_cache({PROP_NAME: "frozen", PROP_BACKUPS_NUMBER: 0})
    cache.put_all({key: key for key in KEYS})
    cold_key = await key_on(setup, cache, cold.port)
    live_key = await key_on(setup, cache, live.port)

    both = [clients("sync", timeout=timeout), clients("async", timeout=timeout)]
    handles = []
    for client in both:
        await do(client.connect(endpoints))
        handle = await do(client.get_cache("frozen"))
        assert await do(handle.get(cold_key)) == cold_key  # affinity known, both connected
        handles.append(handle)

    with frozen(two_nodes, 1):
        for client, handle in zip(both, handles, strict=True):
            for call, args in ((handle.get, (cold_key,)), (handle.put, (cold_key, "late"))):
                started = time.monotonic()
                try:
                    answer = await do(call(*args))
                except RequestTimeoutError as exc:
                    error = exc
                else:  # says which call, and what it got
                    pytest.fail(
                        f"{type(client).__name__}.{call.__name__}{args} answered {answer!r}"
                        f" after {time.monotonic() - started:.3f} s with node 1 frozen"
                    )
                elapsed = time.monotonic() - started
                # Not repeated: a read is retried after a lost connection, not after a
                # timeout (a retry would take 2 timeouts and a backoff, or more).
                assert timeout <= elapsed < WITHIN_TIMEOUTS * timeout, elapsed
                # The first call meets the frozen node; its silent connection is then
                # suspect and probed (issue 9), so the next call for its key goes to the
                # live node, which forwards it to the frozen primary and times out too.
                nodes = {f"{cold.host}:{cold.port}", f"{live.host}:{live.port}"}
                assert error.node in nodes
                assert isinstance(error, (SocketError, TimeoutError))
            # The other node serves its keys, SQL and cluster calls at once.
            started = time.monotonic()
            await do(handle.put(live_key, "live"))
            assert await do(handle.get(live_key)) == "live"
            assert await do(client.get_cluster().get_state()) == 1
            assert time.monotonic() - started < timeout

        # Handshakes time out too: alone, and next to a live node (one timeout in all).
        for kind in ("sync", "async"):
            lonely = clients(kind, handshake_timeout=timeout)
            started = time.monotonic()
            with pytest.raises(ReconnectError, match="timed out") as refused:
                await do(lonely.connect(*cold.endpoint))
            assert time.monotonic() - started < WITHIN_TIMEOUTS * timeout
            assert isinstance(refused.value.__cause__, RequestTimeoutError)
            mixed = clients(kind, handshake_timeout=timeout, timeout=timeout)
            started = time.monotonic()
            await do(mixed.connect([cold.endpoint, live.endpoint]))
            assert time.monotonic() - started < 2 * timeout + 0.5
            mixed_cache = await do(mixed.get_cache("frozen"))
            assert await do(mixed_cache.get(live_key)) == "live"

    # Thawed: the late answers are dropped, and the same connections serve the node again.
    # (The timed-out puts are applied now: why a timed-out write is never repeated.)
    # The other client's late put travels on another connection and may land after ours:
    # that, and only that, may overwrite a thawed value.
    for i, handle in enumerate(handles):
        assert await do(handle.get(cold_key)) in {cold_key, "late", "thawed-0"}
        deadline = time.monotonic() + 10
        while True:
            await do(handle.put(cold_key, f"thawed-{i}"))
            value = await do(handle.get(cold_key))
            if value == f"thawed-{i}":
                break
            assert value == "late", value
            assert time.monotonic() < deadline


# -- the single-key routes follow the topology (issue 12's short path) --------------------


async def test_key_routes_follow_a_node_joining_and_leaving(
    kind: str, ignite_cluster: IgniteCluster, clients: Any
) -> None:
    """Single-key calls route through a per-cache route prepared once per partition map
    and pool state: when a node joins, the map is replaced and the new connection pooled,
    so the new node gets its keys' requests; when it leaves, nothing goes to it any more.
    Every value is checked throughout."""
    client = clients(kind)
    await do(client.connect(ignite_cluster.endpoints))
    cache = await populated(client, f"fo_routes_{kind}")
    original = {node.port for node in ignite_cluster.running_nodes()}

    async def round_trip(value_of: Callable[[int], int]) -> set[int]:
        """put then get every key (a put that meets the leaving node is repeated)."""
        mark = len(client.requests.log)
        for key in KEYS:
            for attempt in range(5):
                try:
                    await do(cache.put(key, value_of(key)))
                    break
                except SocketError:  # the default policy does not repeat writes
                    assert attempt < 4
            assert await do(cache.get(key)) == value_of(key)
        return {port for port, op, ok in client.requests.log[mark:] if ok and op == "CACHE_GET"}

    assert await round_trip(lambda k: k) == original  # routed over all three nodes

    new = ignite_cluster.add_node()
    deadline = time.monotonic() + 60
    while new.port not in await round_trip(lambda k: k + 1):
        assert time.monotonic() < deadline, "no single-key request reached the new node"
        await asyncio.sleep(0.2)

    ignite_cluster.stop_node(new.index)
    ignite_cluster.await_topology(3)
    deadline = time.monotonic() + 60
    while (served := await round_trip(lambda k: k + 2)) != original:
        assert time.monotonic() < deadline, f"served by {served}, not {original}"
        await asyncio.sleep(0.2)
    await do(cache.destroy())
