"""Continuous queries without a server: event decoding, notification routing, and the
feature check each optional operation makes against a (fake) handshake."""

from __future__ import annotations

import struct
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ignite_wire._protocol.codec import write_value
from ignite_wire._protocol.connection import ProtocolConnection
from ignite_wire._protocol.context import CodecContext
from ignite_wire._protocol.features import V1_3_0, V1_7_0, Feature, ProtocolVersion
from ignite_wire._protocol.flow import Request
from ignite_wire._protocol.handshake import HandshakeAccepted
from ignite_wire._protocol.messages import Notification, Response
from ignite_wire._protocol.notifications import DROPPED, NotificationRouter
from ignite_wire._protocol.opcodes import OpCode
from ignite_wire._protocol.ops.continuous import (
    CacheEntryEvent,
    EventType,
    decode_events,
    start_continuous_query,
)
from ignite_wire._protocol.requirements import require
from ignite_wire.exceptions import NotSupportedByClusterError, ParseError, SocketError

# -- decoding 2007 ----------------------------------------------------------------------

values = st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1), st.text(max_size=20))


def encode(events: list[tuple[Any, Any, Any, int]]) -> bytes:
    ctx = CodecContext()
    out = bytearray(struct.pack("<i", len(events)))
    for key, old, new, kind in events:
        for v in (key, old, new):
            write_value(out, v, None, ctx=ctx)
        out.append(kind)
    return bytes(out)


def test_golden_event_bytes() -> None:
    # count 1 | key int 7 | old null | new string "a" | CREATED
    payload = bytes.fromhex("01000000 03 07000000 65 09 01000000 61 00".replace(" ", ""))
    assert decode_events(payload, CodecContext()) == [
        CacheEntryEvent(EventType.CREATED, 7, None, "a")
    ]


@given(st.lists(st.tuples(values, values, values, st.sampled_from(list(EventType))), max_size=8))
def test_events_round_trip(events: list[tuple[Any, Any, Any, EventType]]) -> None:
    payload = encode([(k, o, n, int(t)) for k, o, n, t in events])
    assert decode_events(payload, CodecContext()) == [
        CacheEntryEvent(t, k, o, n) for k, o, n, t in events
    ]


def test_every_truncation_is_a_parse_error() -> None:
    payload = encode([(1, "x", "y", 1), ("k", None, 2.5, 0)])
    for cut in range(len(payload)):
        with pytest.raises(ParseError):
            decode_events(payload[:cut], CodecContext())


@pytest.mark.parametrize(
    "payload",
    [
        bytes.fromhex("ffffffff"),  # negative count
        bytes.fromhex("ffffff7f"),  # count beyond the bytes
        encode([(1, None, 1, 4)]),  # unknown event type
        encode([(1, None, 1, 0)]) + b"\x00",  # trailing bytes
    ],
)
def test_hostile_payloads(payload: bytes) -> None:
    with pytest.raises(ParseError):
        decode_events(payload, CodecContext())


def test_start_request_layout() -> None:
    flow = start_continuous_query(
        bytearray(b"HDR"), buffer_size=5, time_interval_ms=1500, include_expired=True
    )
    request = next(flow)
    assert isinstance(request, Request)
    assert request.op == OpCode.QUERY_CONTINUOUS
    assert bytes(request.payload) == b"HDR" + struct.pack("<iq?", 5, 1500, True) + b"\x65"
    with pytest.raises(StopIteration) as done:
        flow.send(Response(1, 0, None, struct.pack("<q", 42)))
    assert done.value.value == 42


# -- routing ----------------------------------------------------------------------------


def note(resource_id: int, n: int) -> Notification:
    return Notification(
        resource_id, OpCode.QUERY_CONTINUOUS_EVENT_NOTIFICATION, 0, None, bytes([n])
    )


def test_a_late_subscriber_gets_what_came_first_in_order() -> None:
    router = NotificationRouter()
    got: list[Any] = []
    router.dispatch(note(7, 1))
    router.dispatch(note(8, 9))
    router.dispatch(note(7, 2))
    router.subscribe(7, got.append)
    router.dispatch(note(7, 3))
    assert [g.payload[0] for g in got] == [1, 2, 3]


def test_overflow_and_failure_are_reported_not_silent() -> None:
    router = NotificationRouter(max_unclaimed=2)
    for n in range(4):
        router.dispatch(note(5, n))
    got: list[Any] = []
    router.subscribe(5, got.append)
    assert got[0] is DROPPED
    assert [g.payload[0] for g in got[1:]] == [2, 3]
    error = SocketError("gone")
    router.fail(error)
    assert got[-1] is error
    late: list[Any] = []
    router.subscribe(6, late.append)
    assert late == [error]


def test_unsubscribed_notifications_are_dropped() -> None:
    router = NotificationRouter()
    got: list[Any] = []
    router.subscribe(3, got.append)
    router.unsubscribe(3)
    router.dispatch(note(3, 1))
    assert got == []


def test_an_ignored_last_notification_is_not_kept_for_nobody() -> None:
    router = NotificationRouter(max_unclaimed=1)
    router.subscribe(4, [].append)
    router.unsubscribe(4, ignore_next=True)  # a cancelled task's end is still due
    router.dispatch(note(4, 1))  # dropped on arrival...
    router.dispatch(note(9, 2))  # ...so it does not push out another's early notification
    got: list[Any] = []
    router.subscribe(9, got.append)
    assert [g.payload[0] for g in got] == [2]
    router.dispatch(note(4, 3))  # only the next one was ignored
    late: list[Any] = []
    router.subscribe(4, late.append)
    assert [g.payload[0] for g in late] == [3]


# -- feature negotiation against a fake handshake -----------------------------------------

NODE = uuid.UUID(int=1)


def accepted(version: ProtocolVersion, server_bits: set[Feature]) -> ProtocolConnection:
    """A connection that offered every feature and got ``server_bits`` back."""
    conn = ProtocolConnection(features=list(Feature), version=version)
    conn.start_handshake()
    mask = sum(1 << int(f) for f in server_bits)
    mask_bytes = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    if version >= (1, 7, 0):
        body = b"\x01\x0c" + struct.pack("<i", len(mask_bytes)) + mask_bytes
    else:
        body = b"\x01"
    if version >= (1, 4, 0):
        body += b"\x0a" + NODE.bytes[7::-1] + NODE.bytes[:7:-1]
    conn.receive_data(struct.pack("<i", len(body)) + body)
    assert isinstance(conn.next_event(), HandshakeAccepted)
    return conn


@pytest.mark.parametrize(
    ("operation", "bit"),
    [
        ("index query", Feature.INDEX_QUERY),
        ("SQL partitions", Feature.QRY_PARTITIONS_BATCH_SIZE),
        ("cluster groups", Feature.CLUSTER_GROUPS),
    ],
)
def test_a_missing_feature_bit_is_a_clear_typed_error(operation: str, bit: Feature) -> None:
    without = accepted(V1_7_0, {Feature.CLUSTER_STATES})
    with pytest.raises(NotSupportedByClusterError) as err:
        require(operation, without.version, without.features, node="n:1")
    assert "not supported by this server" in err.value.message
    assert bit.name in err.value.message
    assert err.value.node == "n:1"
    with_bit = accepted(V1_7_0, {Feature.CLUSTER_STATES, bit})
    require(operation, with_bit.version, with_bit.features)


def test_continuous_queries_need_notification_headers() -> None:
    old = accepted(V1_3_0, set())
    with pytest.raises(NotSupportedByClusterError, match="continuous query is not supported"):
        require("continuous query", old.version, old.features)
    new = accepted(V1_7_0, set())
    require("continuous query", new.version, new.features)
