"""When a connection stops being worth keeping: plain data in, a verdict out.

The transports and the node pool ask these questions at the moments that matter (a
request timed out, a send stalled, a heartbeat went unanswered) and act on the answer;
nothing here reads a clock or touches a socket, so every rule is tested with numbers.

Rule 1: after a request times out, a frame left half-read evicts the connection (closed,
and reconnected in the background by the pool).  A connection that answered anything
since the request was sent is alive and only had a slow request: it stays (the late
answer is dropped by request id).  A connection that stayed silent is *suspect*: key
routing avoids it at once, and a heartbeat probes it; no answer within the probe timeout
evicts it, an answer clears it.  The probe matters: a live node that forwards a request
to a frozen primary is silent too, and must not lose its connection for that.  Without
the heartbeat feature, a silent connection is evicted at once.  Keeping a dead
connection would make every later call on it time out too: a black-holed node would cost
one full timeout per call.

Rule 2: a send that does not finish within the timeout leaves a frame half-written (sync)
or a peer that has stopped reading (asyncio): the connection is evicted.

Rule 3: a heartbeat that times out marks the node down: the connection is evicted.  A
heartbeat waits at most the request timeout, and never longer than its own interval, so a
wedged node is found within two intervals even when no request is made.
"""

from __future__ import annotations

from typing import Protocol

from .features import Feature
from .opcodes import OpCode

__all__ = [
    "EVICT",
    "HEARTBEAT_FLOOR",
    "KEEP",
    "PROBE",
    "PROBE_CEILING",
    "after_timeout",
    "evict_after_send_timeout",
    "heartbeat_timeout",
    "probe_timeout",
    "request_timeout_verdict",
]

#: The shortest heartbeat wait, in seconds: below it a busy machine makes false alarms.
HEARTBEAT_FLOOR = 0.5


#: The verdicts of :func:`after_timeout`.
KEEP, PROBE, EVICT = "keep", "probe", "evict"
#: The longest a probe waits: a live node answers a heartbeat in milliseconds.
PROBE_CEILING = 2.0


def after_timeout(
    *, sent_at: float, last_received: float, partial_frame: bool, can_probe: bool
) -> str:
    """What to do with a connection after a request sent at ``sent_at`` timed out (rule 1).

    ``last_received`` is when bytes last arrived (same clock); ``partial_frame`` is true
    when the bytes buffered end inside a frame; ``can_probe``: the heartbeat feature.
    """
    if partial_frame:
        return EVICT
    if last_received >= sent_at:
        return KEEP
    return PROBE if can_probe else EVICT


def request_timeout_verdict(
    op: int,
    *,
    is_open: bool,
    suspect: bool,
    sent_at: float,
    last_received: float,
    partial_frame: bool,
    can_probe: bool,
) -> str:
    """Rule 1 as a transport applies it after request ``op`` timed out.

    A closed connection needs nothing, and neither does a heartbeat's own timeout (rule 3
    is the pool's business, and a probe that times out is handled by the probe); a
    connection already suspect is being probed and is not probed twice.
    """
    if not is_open or op == OpCode.HEARTBEAT:
        return KEEP
    verdict = after_timeout(
        sent_at=sent_at,
        last_received=last_received,
        partial_frame=partial_frame,
        can_probe=can_probe,
    )
    return KEEP if verdict == PROBE and suspect else verdict


class WatchedConnection(Protocol):
    """What :func:`timeout_verdict_of` reads of a transport's connection."""

    @property
    def is_open(self) -> bool: ...

    suspect: bool
    last_received: float


class FramingState(Protocol):
    """What :func:`timeout_verdict_of` reads of the connection's sans-IO protocol."""

    @property
    def has_partial_frame(self) -> bool: ...

    def supports(self, feature: Feature) -> bool: ...


def timeout_verdict_of(
    conn: WatchedConnection, protocol: FramingState, op: int, sent_at: float
) -> str:
    """:func:`request_timeout_verdict` for request ``op`` of ``conn`` (sent at
    ``sent_at``), read from the connection and its protocol: one place for what both
    transports (sync and asyncio) pass it."""
    return request_timeout_verdict(
        op,
        is_open=conn.is_open,
        suspect=conn.suspect,
        sent_at=sent_at,
        last_received=conn.last_received,
        partial_frame=protocol.has_partial_frame,
        can_probe=protocol.supports(Feature.HEARTBEAT),
    )


def probe_timeout(request_timeout: float | None) -> float:
    """How long the heartbeat that probes a suspect connection waits."""
    wait = PROBE_CEILING if request_timeout is None else request_timeout
    return min(max(wait, HEARTBEAT_FLOOR), PROBE_CEILING)


def evict_after_send_timeout() -> bool:
    """A send that timed out always evicts (rule 2): the stream may end mid-frame."""
    return True


def heartbeat_timeout(request_timeout: float | None, interval: float) -> float:
    """How long a heartbeat waits for its answer before the node counts as down."""
    wait = interval if request_timeout is None else min(request_timeout, interval)
    return max(wait, HEARTBEAT_FLOOR)
