"""Keeping the pool's connections alive and its node list complete: heartbeats, discovery.

The asyncio twin of this module is the source; ``tools/unasync.py`` generates the sync
one.  The rules (interval, when a ping is due, which discovered addresses to take) are
in :mod:`._membership`; this module does the I/O they call for, on behalf of a node pool:

* **Heartbeats.** A background loop wakes every interval, asks the pool to revive nodes
  that are down (also when all traffic is routed to live nodes), and pings each open
  connection that has been idle, so that a server's idle timeout never drops it.  A ping
  that is not answered within its interval evicts the connection at once, so reads go
  elsewhere, and revival brings it back.
* **Discovery** (op 5102) adds the server nodes nobody listed, then revival connects them.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ._membership import (
    DEFAULT_HEARTBEAT_INTERVAL,
    discovered_addresses,
    heartbeat_due,
    heartbeat_interval,
)
from ._protocol.features import Feature
from ._protocol.health import heartbeat_timeout
from ._protocol.ops.liveness import get_idle_timeout, heartbeat, node_endpoints
from ._transport.aio import AioConnection, wait_event
from .exceptions import IgniteError, RequestTimeoutError
from .monitoring import logger

if TYPE_CHECKING:
    from ._aio_nodes import AioNodePool

__all__ = ["discover_nodes", "heartbeat_loop", "ping_if_idle"]


async def heartbeat_loop(pool: AioNodePool, stop: Any) -> None:
    """Ping idle connections until the pool closes or ``stop`` (an event) is set."""
    while not pool.closed:
        pool.revive_missing()
        interval = pool.heartbeat_interval or DEFAULT_HEARTBEAT_INTERVAL
        for conn in pool.open_connections():
            conn.probe()
            if conn.is_open:
                interval = min(interval, await ping_if_idle(pool, conn))
        if await wait_event(stop, interval):
            return  # close() woke us


async def ping_if_idle(pool: AioNodePool, conn: AioConnection) -> float:
    """Ping ``conn`` if it has been idle; return the interval it needs."""
    configured = heartbeat_interval(pool.heartbeat_interval, None)
    if not conn.protocol.supports(Feature.HEARTBEAT):
        return configured
    try:
        if conn.idle_timeout is None:
            conn.idle_timeout = await pool.run_on(conn, get_idle_timeout()) / 1000
        interval = heartbeat_interval(pool.heartbeat_interval, conn.idle_timeout)
        if heartbeat_due(time.monotonic(), conn.last_activity, interval):
            wait = heartbeat_timeout(pool.options.timeout, interval)
            await pool.run_on(conn, heartbeat(), timeout=wait)
    except RequestTimeoutError:
        # A node that does not answer a ping within its interval is down: evict it
        # now, so that reads go elsewhere, and bring it back in the background.
        await conn.close()
        pool.revive_missing()
        return configured
    except IgniteError:
        return configured  # a broken connection is found and replaced by callers
    return interval


async def discover_nodes(pool: AioNodePool) -> None:
    """Learn the server nodes not yet listed (op 5102) and list them for revival."""
    conn = pool.pick()
    if conn is None or not conn.protocol.supports(Feature.CLUSTER_GROUP_GET_NODES_ENDPOINTS):
        return
    try:
        endpoints = await pool.run_on(conn, node_endpoints())
    except IgniteError:
        return
    added, dropped = discovered_addresses(
        endpoints,
        connected={c.node_id for c in pool.open_connections()},
        listed=pool.nodes,
        configured=pool.configured,
    )
    for each in dropped:
        logger.warning(
            "discovery: dropped endpoint %r port %r of node %s: %s",
            each.host,
            each.port,
            each.node_id,
            each.problem,
        )
    pool.nodes.extend(added)
    pool.revive_missing()
