"""Timeout arithmetic of the transports: plain numbers in, plain numbers out.

A request's timeout becomes a deadline once, when it is sent; every wait after that
(the socket's own timeout during a handshake, ``poll`` while a response is read, a
condition variable while another thread reads) asks what remains of it.  ``None``
means "no timeout" throughout, and a wait is never given zero or a negative number
where the callee would read that as "do not wait" or "wait forever": a socket timeout
of 0 makes the socket non-blocking, so the floor is one millisecond.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "SOCKET_TIMEOUT_FLOOR",
    "deadline_after",
    "poll_milliseconds",
    "remaining",
    "socket_timeout",
]

#: The shortest socket timeout handed to ``settimeout``/``create_connection`` (seconds).
SOCKET_TIMEOUT_FLOOR: Final = 0.001


def deadline_after(timeout: float | None, now: float) -> float | None:
    """The instant ``timeout`` seconds after ``now`` (``None``: no deadline)."""
    return None if timeout is None else now + timeout


def remaining(deadline: float | None, now: float) -> float | None:
    """Seconds left until ``deadline`` (negative once passed; ``None``: no deadline)."""
    return None if deadline is None else deadline - now


def socket_timeout(seconds: float | None) -> float | None:
    """A socket timeout for a wait of ``seconds`` (at least :data:`SOCKET_TIMEOUT_FLOOR`)."""
    return None if seconds is None else max(seconds, SOCKET_TIMEOUT_FLOOR)


def poll_milliseconds(seconds: float | None) -> int | None:
    """``poll()``'s timeout for a wait of ``seconds``: whole ms, 0 when none is left."""
    return None if seconds is None else max(int(seconds * 1000), 0)
