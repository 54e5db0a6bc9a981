"""When a connection stops being worth keeping: plain data in, a verdict out.

The transports and the node pool ask these questions at the moments that matter (a
request timed out, a send stalled, a heartbeat went unanswered) and act on the answer;
nothing here reads a clock or touches a socket, so every rule is tested with numbers.

Rule 1: a connection is evicted (closed, and reconnected in the background by the pool)
after a timeout that says the peer is silent or the stream is cut mid-frame: nothing
arrived since the timed-out request was sent, or a frame is half-read.  A connection that
keeps answering other requests only has a slow request: it stays (the late answer is
dropped by request id).  Keeping a silent connection would make every later call on it
time out too: a black-holed node would cost one full timeout per call.

Rule 2: a send that does not finish within the timeout leaves a frame half-written (sync)
or a peer that has stopped reading (asyncio): the connection is evicted.

Rule 3: a heartbeat that times out marks the node down: the connection is evicted.  A
heartbeat waits at most the request timeout, and never longer than its own interval, so a
wedged node is found within two intervals even when no request is made.
"""

from __future__ import annotations

__all__ = [
    "HEARTBEAT_FLOOR",
    "evict_after_send_timeout",
    "evict_after_timeout",
    "heartbeat_timeout",
]

#: The shortest heartbeat wait, in seconds: below it a busy machine makes false alarms.
HEARTBEAT_FLOOR = 0.5


def evict_after_timeout(*, sent_at: float, last_received: float, partial_frame: bool) -> bool:
    """True if the connection must be closed after a request sent at ``sent_at`` timed out.

    ``last_received`` is when bytes last arrived (same clock); ``partial_frame`` is true when
    the bytes buffered end inside a frame.
    """
    return partial_frame or last_received < sent_at


def evict_after_send_timeout() -> bool:
    """A send that timed out always evicts (rule 2): the stream may end mid-frame."""
    return True


def heartbeat_timeout(request_timeout: float | None, interval: float) -> float:
    """How long a heartbeat waits for its answer before the node counts as down."""
    wait = interval if request_timeout is None else min(request_timeout, interval)
    return max(wait, HEARTBEAT_FLOOR)
