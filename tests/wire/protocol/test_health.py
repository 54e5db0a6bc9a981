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
    request_timeout_verdict,
)
from ignite_wire._protocol.opcodes import OpCode


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


def _verdict(op: int = OpCode.CACHE_GET, **state: bool) -> str:
    """A request sent at 10.0 on a connection silent since 9.0 (rule 1 says: probe)."""
    defaults = {"is_open": True, "suspect": False, "partial_frame": False, "can_probe": True}
    flags = {**defaults, **state}
    return request_timeout_verdict(op, sent_at=10.0, last_received=9.0, **flags)


def test_a_silent_connection_is_probed_once() -> None:
    assert _verdict() == PROBE
    assert _verdict(suspect=True) == KEEP  # a probe is under way: not a second one


def test_a_cut_frame_evicts_even_a_suspect_connection() -> None:
    assert _verdict(partial_frame=True) == EVICT
    assert _verdict(partial_frame=True, suspect=True) == EVICT
    assert _verdict(can_probe=False) == EVICT


def test_heartbeats_and_closed_connections_are_left_alone() -> None:
    # a heartbeat's own timeout is rule 3 (the pool) or the probe's business
    assert _verdict(OpCode.HEARTBEAT) == KEEP
    assert _verdict(OpCode.HEARTBEAT, partial_frame=True) == KEEP
    assert _verdict(is_open=False, partial_frame=True) == KEEP


def test_a_connection_that_answered_since_the_send_stays() -> None:
    verdict = request_timeout_verdict(
        OpCode.CACHE_GET,
        is_open=True,
        suspect=False,
        sent_at=10.0,
        last_received=10.2,
        partial_frame=False,
        can_probe=True,
    )
    assert verdict == KEEP
