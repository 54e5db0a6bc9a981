"""Timeout arithmetic of the transports: plain numbers in, plain numbers out.

A request's timeout becomes a deadline once, when it is sent; every wait after that
(the socket's own timeout during a handshake, the kernel's receive timeout or ``poll``
while a response is read, a condition variable while another thread reads) asks what
remains of it.  ``None`` means "no timeout" throughout, and a wait is never given zero
or a negative number where the callee would read that as "do not wait" or "wait
forever": a socket timeout of 0 makes the socket non-blocking, so the floor is one
millisecond.

The kernel's receive timeout (``SO_RCVTIMEO``, see :mod:`.sync_io`) takes a
``struct timeval`` in which zero means "for ever": :func:`timeval` encodes ``None`` as
that and any other wait as at least one microsecond.  It runs on the kernel's timer
wheel, which rounds an expiry up to its level's granularity, up to 1/8 of the wait (a
10 s timeout may fire at 11.25 s), where ``poll`` sleeps on a precise timer: so the
kernel is given :data:`KERNEL_SHARE` (8/9) of the wait, which fires by the end of the
wait at the latest, and a wait that fired early is repeated for what is left.
:func:`must_set_receive_timeout` decides when a read changes the socket's receive
timeout: only when the socket would wait noticeably longer than the read may
(:data:`RECEIVE_SLACK`), so that the usual read, whose remaining time is the request
timeout less a few microseconds, costs no system call of its own.
"""

from __future__ import annotations

import math
import struct
from typing import Final

__all__ = [
    "KERNEL_SHARE",
    "RECEIVE_SLACK",
    "SOCKET_TIMEOUT_FLOOR",
    "deadline_after",
    "must_set_receive_timeout",
    "poll_milliseconds",
    "receive_reset_below",
    "remaining",
    "socket_timeout",
    "timeval",
]

#: The shortest socket timeout handed to ``settimeout``/``create_connection`` (seconds).
SOCKET_TIMEOUT_FLOOR: Final = 0.001

#: How much longer than a read may wait (seconds) the socket's receive timeout may be
#: before the read lowers it: a read then ends at most this much plus one kernel tick
#: (which the kernel rounds socket timeouts up to: 1-10 ms) after its deadline.
RECEIVE_SLACK: Final = 0.002

#: The part of a wait handed to the kernel's timer wheel, which fires up to 1/8 late:
#: 8/9 of a wait, 1/8 late, is the whole wait.
KERNEL_SHARE: Final = 8 / 9

#: ``struct timeval``: two C longs (``time_t``, ``suseconds_t``) on Linux; on macOS the
#: second is an int padded to a long, which the same little-endian bytes encode.
_TIMEVAL: Final = struct.Struct("@ll")


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


def timeval(seconds: float | None) -> bytes:
    """``SO_RCVTIMEO``'s value for a wait that must end within ``seconds``
    (``None``: for ever): :data:`KERNEL_SHARE` of it, so it may end early, never late
    (but for a kernel tick).  Zero means "for ever" to the kernel, so a finite wait is
    at least 1 us."""
    if seconds is None:
        return _TIMEVAL.pack(0, 0)
    micros = max(1, math.ceil(seconds * KERNEL_SHARE * 1_000_000))
    return _TIMEVAL.pack(micros // 1_000_000, micros % 1_000_000)


def must_set_receive_timeout(current: float | None, wanted: float | None) -> bool:
    """Whether a read that may wait ``wanted`` s must first set the socket's receive
    timeout, now ``current`` s (``None``: for ever): only when the socket would wait more
    than :data:`RECEIVE_SLACK` longer.  A shorter timeout is kept: its read may end early,
    and the caller reads again with what is left of its deadline."""
    return wanted is not None and wanted < receive_reset_below(current)


def receive_reset_below(current: float | None) -> float:
    """The waits for which a socket whose receive timeout is ``current`` s must lower it
    first: those under this (:func:`must_set_receive_timeout`'s rule as one number, which
    the sync socket driver keeps per socket and compares inline on every read)."""
    return math.inf if current is None else current - RECEIVE_SLACK
