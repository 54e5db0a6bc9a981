"""The transports' timeout arithmetic (``_transport/deadline.py``), with plain numbers."""

from __future__ import annotations

import pytest

from ignite_wire._transport.deadline import (
    SOCKET_TIMEOUT_FLOOR,
    deadline_after,
    poll_milliseconds,
    remaining,
    socket_timeout,
)


def test_no_timeout_means_no_deadline_all_the_way_down() -> None:
    assert deadline_after(None, 100.0) is None
    assert remaining(None, 100.0) is None
    assert socket_timeout(None) is None
    assert poll_milliseconds(None) is None


def test_a_deadline_is_fixed_when_sent_and_runs_out() -> None:
    deadline = deadline_after(2.5, 100.0)
    assert deadline == 102.5
    assert remaining(deadline, 101.0) == pytest.approx(1.5)
    assert remaining(deadline, 103.0) == pytest.approx(-0.5)  # passed: negative, not clipped


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(2.0, 2.0), (0.0005, SOCKET_TIMEOUT_FLOOR), (0.0, SOCKET_TIMEOUT_FLOOR), (-3.0, 0.001)],
)
def test_a_socket_timeout_is_never_zero_or_negative(seconds: float, expected: float) -> None:
    # 0 would make the socket non-blocking, a negative number raises ValueError
    assert socket_timeout(seconds) == expected


@pytest.mark.parametrize(
    ("seconds", "ms"), [(1.0, 1000), (0.0019, 1), (0.0004, 0), (0.0, 0), (-1.0, 0)]
)
def test_poll_waits_whole_milliseconds_and_never_a_negative_time(seconds: float, ms: int) -> None:
    # poll() reads a negative timeout as "wait forever"
    assert poll_milliseconds(seconds) == ms
