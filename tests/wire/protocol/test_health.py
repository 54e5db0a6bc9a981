"""The eviction and liveness rules of ``_protocol/health.py``, with plain numbers."""

from __future__ import annotations

import pytest

from ignite_wire._protocol.health import (
    EVICT,
    HEARTBEAT_FLOOR,
    KEEP,
    PROBE,
    PROBE_CEILING,
    after_timeout,
    evict_after_send_timeout,
    heartbeat_timeout,
    probe_timeout,
)


@pytest.mark.parametrize(
    ("sent_at", "last_received", "partial", "can_probe", "verdict"),
    [
        (10.0, 9.0, False, True, PROBE),  # nothing since the send: probe it
        (10.0, 9.0, False, False, EVICT),  # ... and without heartbeats, evict at once
        (10.0, 10.5, False, True, KEEP),  # other answers arrived: only this one is slow
        (10.0, 10.5, True, True, EVICT),  # bytes arrived but a frame is cut in half
        (10.0, 9.0, True, True, EVICT),
        (10.0, 10.0, False, False, KEEP),  # received at the same instant counts as alive
    ],
)
def test_after_timeout(
    sent_at: float, last_received: float, partial: bool, can_probe: bool, verdict: str
) -> None:
    assert (
        after_timeout(
            sent_at=sent_at,
            last_received=last_received,
            partial_frame=partial,
            can_probe=can_probe,
        )
        == verdict
    )


@pytest.mark.parametrize(
    ("request_timeout", "wait"),
    [(None, PROBE_CEILING), (0.1, HEARTBEAT_FLOOR), (1.0, 1.0), (30.0, PROBE_CEILING)],
)
def test_probe_timeout(request_timeout: float | None, wait: float) -> None:
    assert probe_timeout(request_timeout) == wait


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
