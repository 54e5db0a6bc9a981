"""The transports' timeout arithmetic (``_transport/deadline.py``), with plain numbers."""

from __future__ import annotations

import struct

import pytest

from ignite_wire._transport.deadline import (
    RECEIVE_SLACK,
    SOCKET_TIMEOUT_FLOOR,
    deadline_after,
    must_set_receive_timeout,
    poll_milliseconds,
    remaining,
    socket_timeout,
    timeval,
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


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (None, (0, 0)),  # the kernel's "for ever"
        (2.25, (2, 0)),  # 8/9 of the wait: the timer wheel may fire 1/8 late
        (9.0, (8, 0)),
        (0.0000001, (0, 1)),  # never 0: that would be "for ever"
        (0.0, (0, 1)),
        (1.0000004 * 9 / 8, (1, 1)),  # rounded up to the microsecond
        (86_400.0 * 9 / 8, (86_400, 0)),
    ],
)
def test_timeval_hands_the_kernel_a_wait_that_ends_in_time(
    seconds: float | None, expected: tuple[int, int]
) -> None:
    assert struct.unpack("@ll", timeval(seconds)) == expected


@pytest.mark.parametrize(
    ("current", "wanted", "expected"),
    [
        (None, None, False),  # both for ever
        (None, 5.0, True),  # the socket would wait for ever: bound it
        (10.0, 10.0 - 0.0001, False),  # the usual read: a few microseconds less, kept
        (10.0, 10.0 - RECEIVE_SLACK / 2, False),
        (10.0, 9.5, True),  # waited behind another thread: lower it
        (10.0, 0.05, True),
        (0.05, 10.0, False),  # shorter: kept, the read may end early and is repeated
        (0.05, None, False),
    ],
)
def test_a_read_lowers_the_receive_timeout_only_when_it_would_overshoot(
    current: float | None, wanted: float | None, expected: bool
) -> None:
    assert must_set_receive_timeout(current, wanted) is expected
