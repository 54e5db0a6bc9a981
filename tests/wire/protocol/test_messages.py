"""Request frames, response headers and notifications (protocol notes, section 2).

The golden tables are written by hand from the layouts in the protocol notes, field by
field (spaces separate fields), not produced by the code under test.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ignite_wire._protocol.messages import (
    FLAG_AFFINITY_TOPOLOGY_CHANGED,
    FLAG_ERROR,
    FLAG_NOTIFICATION,
    REQUEST_HEADER_SIZE,
    AffinityVersion,
    Notification,
    Response,
    build_request,
    pack_request_header_into,
    parse_frame,
    parse_message,
)
from ignite_wire._protocol.opcodes import NOTIFICATION_OPS, OpCode, op_name
from ignite_wire.exceptions import ParseError, ProtocolError


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


# -- requests --------------------------------------------------------------------------------

REQUEST_CASES = [
    # (op, request id, payload, frame)
    (OpCode.CACHE_GET, 1, h("aa bb"), h("0c000000 e803 0100000000000000 aabb")),
    (
        OpCode.RESOURCE_CLOSE,
        2,
        h("0700000000000000"),
        h("12000000 0000 0200000000000000 0700000000000000"),
    ),
    (OpCode.HEARTBEAT, 0x0102030405060708, b"", h("0a000000 0100 0807060504030201")),
    (OpCode.SET_ITERATOR_GET_PAGE, 3, b"", h("0a000000 3f23 0300000000000000")),
]


@pytest.mark.parametrize(("op", "request_id", "payload", "frame"), REQUEST_CASES)
def test_build_request_golden(op: int, request_id: int, payload: bytes, frame: bytes) -> None:
    assert build_request(op, request_id, payload) == frame
    assert build_request(op, request_id, bytearray(payload)) == frame
    assert build_request(op, request_id, memoryview(payload)) == frame


@pytest.mark.parametrize(("op", "request_id", "payload", "frame"), REQUEST_CASES)
def test_pack_request_header_into(op: int, request_id: int, payload: bytes, frame: bytes) -> None:
    buffer = bytearray(REQUEST_HEADER_SIZE) + payload
    pack_request_header_into(buffer, op, request_id)
    assert buffer == frame


def test_pack_request_header_into_needs_room() -> None:
    with pytest.raises(ProtocolError):
        pack_request_header_into(bytearray(5), OpCode.CACHE_GET, 1)


# -- responses, protocol >= 1.4 --------------------------------------------------------------

V14_CASES: list[tuple[bytes, Response | Notification]] = [
    # success, no payload
    (h("0a000000 0100000000000000 0000"), Response(1, 0, None, b"")),
    # success with a payload (typed int 42)
    (h("0f000000 0200000000000000 0000 032a000000"), Response(2, 0, None, h("032a000000"))),
    # affinity topology changed: topVer 5, minor 1; payload bool true
    (
        h("17000000 0300000000000000 0200 0500000000000000 01000000 01"),
        Response(3, 0, None, b"\x01", FLAG_AFFINITY_TOPOLOGY_CHANGED, AffinityVersion(5, 1)),
    ),
    # error 1000 with message "no"
    (
        h("15000000 0400000000000000 0100 e8030000 09 02000000 6e6f"),
        Response(4, 1000, "no", b"", FLAG_ERROR),
    ),
    # error and affinity change together: topVer 7.0, status 1, null message
    (
        h("1b000000 0500000000000000 0300 0700000000000000 00000000 01000000 65"),
        Response(
            5, 1, None, b"", FLAG_ERROR | FLAG_AFFINITY_TOPOLOGY_CHANGED, AffinityVersion(7, 0)
        ),
    ),
    # error with a non-ASCII message: the Str length counts UTF-8 bytes
    (
        h("1f000000 0600000000000000 0100 01000000 09 0c000000 d0bed188d0b8d0b1d0bad0b0"),
        Response(6, 1, "ошибка", b"", FLAG_ERROR),
    ),
    # negative request id is passed through as the server sent it
    (h("0a000000 ffffffffffffffff 0000"), Response(-1, 0, None, b"")),
    # continuous-query event notification, resource 9, payload 01
    (
        h("0d000000 0900000000000000 0400 d707 01"),
        Notification(9, OpCode.QUERY_CONTINUOUS_EVENT_NOTIFICATION, 0, None, b"\x01"),
    ),
    # compute-task-finished notification carrying an error "x"
    (
        h("16000000 0900000000000000 0500 7117 01000000 09 01000000 78"),
        Notification(9, OpCode.COMPUTE_TASK_FINISHED, 1, "x", b"", FLAG_NOTIFICATION | FLAG_ERROR),
    ),
]

# -- responses, protocol < 1.4 ---------------------------------------------------------------

V10_CASES: list[tuple[bytes, Response | Notification]] = [
    (h("0d000000 0100000000000000 00000000 65"), Response(1, 0, None, b"\x65")),
    (h("0c000000 0700000000000000 00000000"), Response(7, 0, None, b"")),
    (
        h("14000000 0200000000000000 01000000 09 03000000 626164"),
        Response(2, 1, "bad", b""),
    ),
    (
        h("10000000 0300000000000000 f3030000 65 0a0b0c"),
        Response(3, 1011, None, b"\x0a\x0b\x0c"),
    ),
]


@pytest.mark.parametrize(("frame", "event"), V14_CASES)
def test_parse_v1_4_golden(frame: bytes, event: Response | Notification) -> None:
    for data in (frame, bytearray(frame), memoryview(frame)):
        parsed = parse_message(data, partition_aware=True)
        assert parsed == event
        assert type(parsed.payload) is bytes


@pytest.mark.parametrize(("frame", "event"), V10_CASES)
def test_parse_v1_0_golden(frame: bytes, event: Response) -> None:
    assert parse_message(frame, partition_aware=False) == event


def test_parse_frame_at_an_offset() -> None:
    frame, event = V14_CASES[2]
    buf = b"junk" + frame + b"more"
    assert parse_frame(buf, 8, 8 + len(frame) - 4, partition_aware=True) == event


def test_response_ok() -> None:
    assert Response(1, 0, None, b"").ok
    assert not Response(1, 1, "x", b"").ok
    assert Notification(1, 2007, 0, None, b"").ok


MALFORMED = [
    # (frame, partition_aware, offset the error names)
    (h("0a000000 0100000000000000 0800"), True, 12),  # unknown flag 8
    (h("0a000000 0100000000000000 0080"), True, 12),  # unknown high flag
    (h("0f000000 0100000000000000 0100 00000000 65"), True, 14),  # error flag, status 0
    (h("0e000000 0100000000000000 0200 05000000"), True, 14),  # truncated affinity version
    (h("0c000000 0100000000000000 0100 0100"), True, 14),  # truncated status
    (h("13000000 0100000000000000 0100 01000000 09 ff000000"), True, 19),  # Str too long
    (h("13000000 0100000000000000 0100 01000000 09 ffffffff"), True, 19),  # negative Str length
    (h("0f000000 0100000000000000 0100 01000000 03"), True, 18),  # not a string
    (h("0e000000 0100000000000000 0100 01000000"), True, 18),  # message missing
    (h("0b000000 0100000000000000 0400 d7"), True, 14),  # truncated notification op
    (h("0c000000 0100000000000000 0600 d707"), True, 12),  # notification + affinity flag
    (h("09000000 0100000000000000 00"), True, 4),  # body shorter than the header
    (h("0b000000 0100000000000000 000000"), False, 4),  # pre-1.4 header truncated
    (h("11000000 0100000000000000 01000000 0904000000"), False, 17),  # truncated Str
]


@pytest.mark.parametrize(("frame", "partition_aware", "offset"), MALFORMED)
def test_malformed_headers(frame: bytes, partition_aware: bool, offset: int) -> None:
    with pytest.raises(ParseError) as info:
        parse_message(frame, partition_aware=partition_aware)
    assert info.value.offset == offset


def test_invalid_utf8_in_a_message_is_replaced_not_raised() -> None:
    frame = h("14000000 0100000000000000 0100 01000000 09 01000000 ff")
    event = parse_message(frame)
    assert isinstance(event, Response)
    assert event.message == "\ufffd"


def test_length_prefix_must_match() -> None:
    with pytest.raises(ParseError):
        parse_message(h("0b000000 0100000000000000 0000"))
    with pytest.raises(ParseError):
        parse_message(h("0a00"))


@settings(max_examples=300)
@given(st.binary(max_size=64), st.booleans())
def test_random_bodies_raise_only_protocol_errors(body: bytes, partition_aware: bool) -> None:
    frame = len(body).to_bytes(4, "little") + body
    with contextlib.suppress(ProtocolError):
        parse_message(frame, partition_aware=partition_aware)


@settings(max_examples=200)
@given(
    st.sampled_from([frame for frame, _ in V14_CASES]),
    st.integers(min_value=0, max_value=40),
    st.binary(min_size=1, max_size=4),
)
def test_mutated_golden_frames_raise_only_protocol_errors(
    frame: bytes, position: int, patch: bytes
) -> None:
    body = bytearray(frame[4:])
    position %= len(body)
    body[position : position + len(patch)] = patch
    with contextlib.suppress(ProtocolError):
        parse_message(len(body).to_bytes(4, "little") + bytes(body))


# -- op codes --------------------------------------------------------------------------------


def test_op_codes_from_the_reference() -> None:
    expected = {
        0: "RESOURCE_CLOSE", 1: "HEARTBEAT", 2: "GET_IDLE_TIMEOUT",
        1000: "CACHE_GET", 1019: "CACHE_REMOVE_ALL", 1025: "CACHE_INVOKE_ALL",
        1050: "CACHE_GET_NAMES", 1056: "CACHE_DESTROY",
        1100: "CACHE_NODE_PARTITIONS", 1101: "CACHE_PARTITIONS",
        2004: "QUERY_SQL_FIELDS", 2009: "QUERY_INDEX_CURSOR_GET_PAGE",
        3002: "BINARY_TYPE_GET", 3004: "BINARY_CONFIGURATION_GET",
        4000: "TX_START", 4001: "TX_END",
        5001: "CLUSTER_CHANGE_STATE", 5102: "CLUSTER_GROUP_GET_NODE_ENDPOINTS",
        6001: "COMPUTE_TASK_FINISHED", 7003: "SERVICE_GET_TOPOLOGY",
        8001: "DATA_STREAMER_ADD_DATA",
        9007: "ATOMIC_LONG_VALUE_COMPARE_AND_SET_AND_GET",
        9010: "SET_GET_OR_CREATE", 9023: "SET_ITERATOR_GET_PAGE",
    }  # fmt: skip
    for code, name in expected.items():
        assert OpCode(code).name == name
    assert len(OpCode) == 3 + 26 + 7 + 2 + 10 + 5 + 2 + 7 + 2 + 4 + 2 + 8 + 14
    assert [op for op in OpCode if 1000 <= op <= 1025] == list(range(1000, 1026))
    assert {2007, 6001} == NOTIFICATION_OPS


def test_op_name() -> None:
    assert op_name(1000) == "CACHE_GET"
    assert op_name(12345) == "OP_12345"
