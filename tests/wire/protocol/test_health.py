"""The eviction and liveness rules of ``_protocol/health.py``, with plain numbers."""

from __future__ import annotations

import pytest

from ignite_wire._protocol.health import (
    HEARTBEAT_FLOOR,
    evict_after_send_timeout,
    evict_after_timeout,
    heartbeat_timeout,
)


@pytest.mark.parametrize(
    ("sent_at", "last_received", "partial", "evict"),
    [
        (10.0, 9.0, False, True),  # nothing since the send: a silent peer
        (10.0, 10.5, False, False),  # other answers arrived: only this request is slow
        (10.0, 10.5, True, True),  # bytes arrived but a frame is cut in half
        (10.0, 9.0, True, True),
        (10.0, 10.0, False, False),  # received at the same instant counts as alive
    ],
)
def test_evict_after_timeout(
    sent_at: float, last_received: float, partial: bool, evict: bool
) -> None:
    assert (
        evict_after_timeout(sent_at=sent_at, last_received=last_received, partial_frame=partial)
        is evict
    )


def test_a_send_timeout_always_evicts() -> None:
    assert evict_after_send_timeout() is True


@pytest.mark.parametrize(
    ("request_timeout", "interval", "wait"),
    [
        (None, 30.0, 30.0),  # no request timeout: the interval bounds the ping
        (2.0, 30.0, 2.0),
        (60.0, 10.0, 10.0),
        (None, 0.1, HEARTBEAT_FLOOR),  # never below the floor: no false alarms
        (0.01, 5.0, HEARTBEAT_FLOOR),
    ],
)
def test_heartbeat_timeout(request_timeout: float | None, interval: float, wait: float) -> None:
    assert heartbeat_timeout(request_timeout, interval) == wait
