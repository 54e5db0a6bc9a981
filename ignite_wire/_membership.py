"""Which nodes belong in the pool and when to look after them: decisions only, no I/O.

The node pool connects, pings and sleeps; the rules it follows live here, written once
for both clients and tested with plain numbers and addresses:

* **Discovery** (op 5102) is data from the network: an endpoint is taken only if its
  port is 1..65535 and its host parses, and, when every configured node is on loopback,
  only on loopback (a client told to stay on this machine never wanders to a node's
  other interfaces).  A node already connected or an address already listed is skipped.
* **Revival**: a listed node that is down is retried in the background at most once per
  :data:`REVIVE_INTERVAL` each; a *discovered* node that cannot be reached is forgotten
  (discovery finds it again if the partition maps name it), a configured one never is.
* **Heartbeats** follow Java's rule: a third of the server's idle timeout, never under
  half a second nor over the configured interval, and only to connections idle for
  (nearly) that long.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from ._protocol.ops.liveness import NodeEndpoints
from ._transport.options import Address, endpoint_problem, is_loopback

__all__ = [
    "DEFAULT_HEARTBEAT_INTERVAL",
    "REVIVE_INTERVAL",
    "Dropped",
    "RevivalSchedule",
    "choose_address",
    "discovered_addresses",
    "forget_after_failed_revival",
    "heartbeat_due",
    "heartbeat_interval",
]

#: Seconds between two background attempts to reconnect the same node.
REVIVE_INTERVAL = 1.0
#: Seconds between heartbeats when the client is given none (``heartbeat_interval=None``).
DEFAULT_HEARTBEAT_INTERVAL = 30.0
#: The shortest heartbeat interval an idle timeout can ask for (Java's floor).
_MIN_HEARTBEAT_INTERVAL = 0.5


class Dropped(NamedTuple):
    """A discovered endpoint address that was not taken, and why (worth a warning)."""

    node_id: uuid.UUID
    host: str
    port: int
    problem: str


def choose_address(
    endpoint: NodeEndpoints, configured: Iterable[Address]
) -> tuple[Address | None, list[Dropped]]:
    """An address of a discovered node reachable the way the configured ones are.

    Returns the address (``None`` if no host qualifies) and the hosts dropped for a
    reason worth a warning; a non-loopback host of a loopback-only client is the
    expected case and is dropped silently.
    """
    configured_hosts = {a.host for a in configured}
    loopback_only = all(is_loopback(h) for h in configured_hosts)
    candidates = [h.split("%")[0] for h in endpoint.hosts]
    dropped: list[Dropped] = []
    for host in sorted(candidates, key=lambda h: h not in configured_hosts):
        problem = endpoint_problem(host, endpoint.port, loopback_only=loopback_only)
        if problem is None:
            return Address(host, endpoint.port), dropped
        if not (loopback_only and problem == "not loopback"):
            dropped.append(Dropped(endpoint.node_id, host, endpoint.port, problem))
    return None, dropped


def discovered_addresses(
    endpoints: Iterable[NodeEndpoints],
    *,
    connected: set[uuid.UUID | None],
    listed: Sequence[Address],
    configured: Iterable[Address],
) -> tuple[list[Address], list[Dropped]]:
    """The addresses to add to ``listed`` (in order, no repeats) and the dropped hosts.

    ``connected`` holds the node ids that already have an open connection: those nodes
    are skipped whatever address they announce.
    """
    configured = list(configured)
    known = set(listed)
    added: list[Address] = []
    dropped: list[Dropped] = []
    for endpoint in endpoints:
        if endpoint.node_id in connected:
            continue
        address, rejected = choose_address(endpoint, configured)
        dropped += rejected
        if address is not None and address not in known:
            known.add(address)
            added.append(address)
    return added, dropped


class RevivalSchedule:
    """When each down node may next be reconnected in the background."""

    __slots__ = ("_after", "interval")

    def __init__(self, interval: float = REVIVE_INTERVAL) -> None:
        self.interval = interval
        self._after: dict[Address, float] = {}

    def clear(self) -> None:
        """Forget every attempt (a fresh connect())."""
        self._after.clear()

    def due(
        self, nodes: Iterable[Address], is_open: Callable[[Address], bool], now: float
    ) -> list[Address]:
        """The nodes to reconnect now; each is then not due again for :attr:`interval`."""
        due = []
        for address in nodes:
            if is_open(address) or self._after.get(address, 0.0) > now:
                continue
            self._after[address] = now + self.interval
            due.append(address)
        return due


def forget_after_failed_revival(
    address: Address, listed: Sequence[Address], configured: Sequence[Address]
) -> bool:
    """Whether a node that could not be reconnected leaves the list (discovered ones do)."""
    return address not in configured and address in listed


def heartbeat_interval(configured: float | None, idle_timeout: float | None) -> float:
    """Seconds between heartbeats on a connection whose server has ``idle_timeout``.

    ``idle_timeout`` in seconds, ``None`` when unknown and 0 or less when the server has
    none: then the configured interval applies.
    """
    interval = configured or DEFAULT_HEARTBEAT_INTERVAL
    if idle_timeout is not None and idle_timeout > 0:  # Java's rule: a third of it
        interval = min(interval, max(idle_timeout / 3, _MIN_HEARTBEAT_INTERVAL))
    return interval


def heartbeat_due(now: float, last_activity: float, interval: float) -> bool:
    """Whether a connection idle since ``last_activity`` needs a ping now.

    A little early (90 % of the interval), so that the loop's own sleep never lets the
    idle time reach the server's limit.
    """
    return now - last_activity >= interval * 0.9
