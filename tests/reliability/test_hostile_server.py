"""A hostile node: generated answers against both clients (issue 9).

Every answer is valid, mutated, truncated, or lies about a count or a length; a call may
end in a typed ``IgniteError`` and nothing else, within its timeout (plus the bound below
for calls that need several round trips), and memory follows the bytes received, not the
lengths claimed.  100,000 frames and more with ``IGNITE_WIRE_RELIABILITY_FULL=1``.
"""

from __future__ import annotations

import contextlib
import random
import resource
import socket
import struct
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from blocking import Blocking, Loop
from fake_node import FakeServer, read_frame
from hostile_frames import handshake, response_for
from reliability_scale import scaled

from ignite_wire import AioClient, Client
from ignite_wire.exceptions import IgniteError

pytestmark = [pytest.mark.hostile, pytest.mark.timeout(900)]

TIMEOUT = 0.5
#: A call may take a reconnect (handshake_timeout), its request, a binary-type fetch and
#: a next page, each bounded by TIMEOUT: four round trips at most.
CALL_BOUND = 4 * TIMEOUT + 0.5


class HostileNode:
    """Answers every request with a generated frame; counts frames and bytes sent."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.lock = threading.Lock()
        self.frames = 0
        self.bytes = 0
        self.server = FakeServer(self._run)
        self.port = self.server.port

    def _send(self, conn: socket.socket, frame: bytes) -> None:
        with self.lock:
            self.frames += 1
            self.bytes += len(frame)
        conn.sendall(frame)

    def _run(self, conn: socket.socket, n: int) -> None:
        if read_frame(conn) is None:
            return
        with self.lock:
            answer = handshake(self.rnd)
        self._send(conn, answer)
        while (frame := read_frame(conn)) is not None:
            op, rid = struct.unpack_from("<hq", frame, 0)
            with self.lock:
                answer = response_for(self.rnd, rid, op)
                hang_up = self.rnd.random() < 0.01
            self._send(conn, answer)
            if hang_up:
                return

    def close(self) -> None:
        self.server.close()


def _calls(client: Any) -> list[Callable[[], Any]]:
    cache = client.get_cache("hostile")
    return [
        lambda: client.get_cluster().get_state(),
        lambda: cache.get(1),
        lambda: cache.get_all([1, 2, 3]),
        lambda: client.get_cache_names(),
        lambda: list(client.sql("select 1")),
        lambda: list(cache.scan()),
    ]


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("partition_aware", [False, True])
def test_hostile_frames(kind: str, partition_aware: bool, figures: Any) -> None:
    target = scaled(2_500, 26_000)  # frames per run; four runs (>= 100,000 when full)
    node = HostileNode(seed=hash((kind, partition_aware)) & 0xFFFF)
    loop = Loop() if kind == "async" else None
    options = {
        "timeout": TIMEOUT,
        "handshake_timeout": TIMEOUT,
        "partition_aware": partition_aware,
        "heartbeat_interval": None,
        "max_frame_size": 1 << 20,
    }
    client: Any = Client(**options) if loop is None else Blocking(AioClient(**options), loop)
    errors: Counter[str] = Counter()
    untyped: list[BaseException] = []
    worst = 0.0
    calls = 0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    traced = min(target, 2_500)  # the first frames run under tracemalloc (it is slow)
    traced_peak = 0
    tracemalloc.start()
    started = time.monotonic()
    rnd = random.Random(1)
    try:
        with contextlib.suppress(IgniteError):
            client.connect("127.0.0.1", node.port)
        ops = _calls(client)
        while node.frames < target:
            calls += 1
            begun = time.monotonic()
            try:
                if not _connected(client):
                    client.connect("127.0.0.1", node.port)
                rnd.choice(ops)()
            except IgniteError as exc:
                errors[type(exc).__name__] += 1
            except Exception as exc:  # the defect this suite exists to catch
                untyped.append(exc)
            worst = max(worst, time.monotonic() - begun)
            assert len(untyped) < 5, untyped
            if tracemalloc.is_tracing() and node.frames >= traced:
                traced_peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
    finally:
        if tracemalloc.is_tracing():
            traced_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        with contextlib.suppress(IgniteError):
            client.close()
        if loop is not None:
            loop.close()
        node.close()
    elapsed = time.monotonic() - started
    rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    figures(
        f"hostile.{kind}.{'partition_aware' if partition_aware else 'one_connection'}",
        frames=node.frames,
        bytes_received=node.bytes,
        calls=calls,
        typed_errors=sum(errors.values()),
        untyped_errors=len(untyped),
        worst_call_s=worst,
        seconds=elapsed,
        max_rss_growth_mb=rss_growth_mb,
        traced_frames=traced,
        traced_peak_mb=traced_peak / (1 << 20),
        errors=dict(errors.most_common(6)),
    )
    assert untyped == []
    assert worst <= CALL_BOUND, worst
    # Memory follows the bytes received (a few MB here), not the lengths claimed (GBs).
    assert rss_growth_mb < 100 + node.bytes / (1 << 20) * 4
    assert traced_peak < 32 << 20  # frames claim up to 2 GiB; the biggest is 1 MiB


def _connected(client: Any) -> bool:
    pool = (
        object.__getattribute__(client, "_target")._pool
        if isinstance(client, Blocking)
        else client._pool
    )
    return not pool.closed and bool(pool.nodes)
