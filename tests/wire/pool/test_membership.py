"""The node pool's membership rules (``_membership.py``): discovery, revival, heartbeats."""

from __future__ import annotations

import uuid

import pytest

from ignite_wire._membership import (
    DEFAULT_HEARTBEAT_INTERVAL,
    REVIVE_INTERVAL,
    Dropped,
    RevivalSchedule,
    choose_address,
    discovered_addresses,
    forget_after_failed_revival,
    heartbeat_due,
    heartbeat_interval,
)
from ignite_wire._protocol.ops.liveness import NodeEndpoints
from ignite_wire._transport.options import Address

N1, N2, N3 = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)
LOCAL = [Address("127.0.0.1", 10800)]
REMOTE = [Address("10.0.0.5", 10800)]


def test_a_loopback_client_takes_only_loopback_addresses_silently() -> None:
    endpoint = NodeEndpoints(N1, 10801, ("10.0.0.7", "192.168.1.2", "127.0.0.1"))
    assert choose_address(endpoint, LOCAL) == (Address("127.0.0.1", 10801), [])
    assert choose_address(NodeEndpoints(N1, 10801, ("10.0.0.7",)), LOCAL) == (None, [])


def test_configured_hosts_come_first_and_scope_ids_are_cut() -> None:
    endpoint = NodeEndpoints(N1, 10801, ("10.0.0.9", "fe80::1%eth0", "10.0.0.5"))
    assert choose_address(endpoint, REMOTE)[0] == Address("10.0.0.5", 10801)
    ipv6 = NodeEndpoints(N1, 10801, ("fe80::1%eth0",))
    assert choose_address(ipv6, REMOTE)[0] == Address("fe80::1", 10801)


@pytest.mark.parametrize(
    ("hosts", "port", "problem"),
    [
        (("127.0.0.1",), 0, "port out of range"),
        (("127.0.0.1",), 70000, "port out of range"),
        (("",), 10801, "empty or overlong host"),
        (("bad host!",), 10801, "not an IP address or host name"),
    ],
)
def test_bad_endpoints_are_dropped_with_a_reason(
    hosts: tuple[str, ...], port: int, problem: str
) -> None:
    address, dropped = choose_address(NodeEndpoints(N2, port, hosts), REMOTE)
    assert address is None
    assert dropped == [Dropped(N2, hosts[0], port, problem)]


def test_a_bad_host_before_a_good_one_is_reported_and_the_good_one_taken() -> None:
    endpoint = NodeEndpoints(N2, 10801, ("-bad-", "10.0.0.8"))
    address, dropped = choose_address(endpoint, REMOTE)
    assert address == Address("10.0.0.8", 10801)
    assert [d.host for d in dropped] == ["-bad-"]


def test_discovery_skips_connected_nodes_and_listed_addresses_and_repeats() -> None:
    endpoints = [
        NodeEndpoints(N1, 10800, ("127.0.0.1",)),  # connected already
        NodeEndpoints(N2, 10800, ("127.0.0.1",)),  # a new node at a listed address
        NodeEndpoints(N2, 10801, ("127.0.0.1",)),
        NodeEndpoints(N3, 10801, ("127.0.0.1",)),  # the same address twice: once
        NodeEndpoints(N3, 99999, ("127.0.0.1",)),
    ]
    added, dropped = discovered_addresses(endpoints, connected={N1}, listed=LOCAL, configured=LOCAL)
    assert added == [Address("127.0.0.1", 10801)]
    assert dropped == [Dropped(N3, "127.0.0.1", 99999, "port out of range")]


def test_revival_is_scheduled_once_per_interval_for_down_nodes() -> None:
    a, b = Address("127.0.0.1", 1), Address("127.0.0.1", 2)
    schedule = RevivalSchedule()
    up = {a}
    assert schedule.due([a, b], up.__contains__, now=100.0) == [b]
    assert schedule.due([a, b], up.__contains__, now=100.0 + REVIVE_INTERVAL / 2) == []
    assert schedule.due([a, b], up.__contains__, now=100.0 + REVIVE_INTERVAL) == [b]
    up.clear()
    assert schedule.due([a, b], up.__contains__, now=100.0 + REVIVE_INTERVAL) == [a]
    schedule.clear()
    assert schedule.due([a, b], up.__contains__, now=100.0 + REVIVE_INTERVAL) == [a, b]


def test_only_discovered_nodes_are_forgotten_after_a_failed_revival() -> None:
    configured, discovered = Address("h", 1), Address("h", 2)
    listed = [configured, discovered]
    assert forget_after_failed_revival(discovered, listed, [configured])
    assert not forget_after_failed_revival(configured, listed, [configured])
    assert not forget_after_failed_revival(discovered, [configured], [configured])  # gone


@pytest.mark.parametrize(
    ("configured", "idle_timeout", "interval"),
    [
        (None, None, DEFAULT_HEARTBEAT_INTERVAL),
        (None, 0.0, DEFAULT_HEARTBEAT_INTERVAL),  # the server has no idle timeout
        (None, -1.0, DEFAULT_HEARTBEAT_INTERVAL),
        (30.0, 9.0, 3.0),  # a third of the idle timeout
        (2.0, 9.0, 2.0),  # never over the configured interval
        (30.0, 0.9, 0.5),  # never under half a second
        (0.0, None, DEFAULT_HEARTBEAT_INTERVAL),  # 0 means "not given"
    ],
)
def test_heartbeat_interval(
    configured: float | None, idle_timeout: float | None, interval: float
) -> None:
    assert heartbeat_interval(configured, idle_timeout) == pytest.approx(interval)


def test_heartbeat_is_due_a_little_before_the_interval() -> None:
    assert not heartbeat_due(now=108.9, last_activity=100.0, interval=10.0)
    assert heartbeat_due(now=109.0, last_activity=100.0, interval=10.0)
    assert heartbeat_due(now=200.0, last_activity=100.0, interval=10.0)
