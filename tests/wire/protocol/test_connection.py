"""The sans-IO connection: handshake, framing, events, limits and failure.

As in h11's tests, every golden case is fed whole, one byte at a time, and followed by the
start of another frame, and must give the same events each way.
"""

from __future__ import annotations

import tracemalloc
import uuid
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ignite_wire._protocol.connection import (
    DEFAULT_MAX_FRAME_SIZE,
    NEED_DATA,
    ConnectionClosed,
    ConnectionState,
    Event,
    ProtocolConnection,
)
from ignite_wire._protocol.features import (
    V1_3_0,
    V1_4_0,
    V1_7_0,
    Feature,
    ProtocolVersion,
    VersionFeature,
)
from ignite_wire._protocol.handshake import Credentials, HandshakeAccepted, HandshakeRejected
from ignite_wire._protocol.messages import (
    REQUEST_HEADER_SIZE,
    AffinityVersion,
    Notification,
    Response,
)
from ignite_wire._protocol.opcodes import OpCode
from ignite_wire.exceptions import (
    FrameTooLargeError,
    ParameterError,
    ProtocolError,
    SocketError,
)

NODE_ID = uuid.UUID("01234567-89ab-cdef-fedc-ba9876543210")
CLUSTER_STATES_ONLY = frozenset({Feature.CLUSTER_STATES})
NODE_ID_BYTES = "0a efcdab8967452301 1032547698badcfe"
HANDSHAKE_OK_1_7 = f"18000000 01 0c 01000000 04 {NODE_ID_BYTES}"
HANDSHAKE_OK_1_4 = f"12000000 01 {NODE_ID_BYTES}"
HANDSHAKE_OK_1_3 = "01000000 01"
# server speaks 1.4.0 and refuses what we offered; "Unsupported version." is 20 bytes
HANDSHAKE_REJECT_1_4 = (
    "24000000 00 0100 0400 0000 09 14000000 556e737570706f727465642076657273696f6e2e 01000000"
)


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


def i32(value: int) -> bytes:
    return value.to_bytes(4, "little", signed=True)


def i64(value: int) -> bytes:
    return value.to_bytes(8, "little", signed=True)


def typed_str(text: str | None) -> bytes:
    if text is None:
        return b"\x65"
    data = text.encode()
    return b"\x09" + i32(len(data)) + data


def response_frame(
    request_id: int,
    payload: bytes = b"",
    *,
    status: int = 0,
    message: str | None = None,
    affinity: tuple[int, int] | None = None,
) -> bytes:
    """A >= 1.4 response, built field by field from the protocol notes."""
    flags = (1 if status else 0) | (2 if affinity else 0)
    body = i64(request_id) + flags.to_bytes(2, "little")
    if affinity:
        body += i64(affinity[0]) + i32(affinity[1])
    if status:
        body += i32(status) + typed_str(message)
    else:
        body += payload
    return i32(len(body)) + body


def old_response_frame(request_id: int, payload: bytes = b"", *, status: int = 0) -> bytes:
    """A < 1.4 response."""
    body = i64(request_id) + i32(status) + (typed_str("err") if status else payload)
    return i32(len(body)) + body


def handshaking(version: ProtocolVersion = V1_7_0, **kwargs: object) -> ProtocolConnection:
    conn = ProtocolConnection(version=version, **kwargs)  # type: ignore[arg-type]
    conn.start_handshake()
    return conn


def ready(version: ProtocolVersion = V1_7_0, **kwargs: object) -> ProtocolConnection:
    conn = handshaking(version, **kwargs)
    answer = {V1_7_0: HANDSHAKE_OK_1_7, V1_4_0: HANDSHAKE_OK_1_4, V1_3_0: HANDSHAKE_OK_1_3}
    conn.receive_data(h(answer[version]))
    assert isinstance(conn.next_event(), HandshakeAccepted)
    return conn


def drain(conn: ProtocolConnection) -> list[Event]:
    events: list[Event] = []
    while True:
        event = conn.next_event()
        if event is NEED_DATA:
            return events
        assert not isinstance(event, type(NEED_DATA))
        events.append(event)
        if isinstance(event, ConnectionClosed):
            return events


def tr(
    make: Callable[[], ProtocolConnection],
    data: bytes,
    expected: list[Event],
    *,
    trailing: bool = True,
) -> None:
    """Feed ``data`` whole, byte by byte, and with trailing bytes; expect ``expected``."""
    conn = make()
    conn.receive_data(data)
    assert drain(conn) == expected

    conn = make()
    events: list[Event] = []
    for i in range(len(data)):
        conn.receive_data(data[i : i + 1])
        events += drain(conn)
    assert events == expected

    if trailing:
        conn = make()
        conn.receive_data(data + response_frame(99, b"xyz")[:9])
        assert drain(conn) == expected
        assert conn.next_event() is NEED_DATA

    conn = make()
    conn.receive_data(data)
    conn.receive_data(b"")
    assert drain(conn) == [*expected, ConnectionClosed()]


# -- handshake -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "answer", "event"),
    [
        (V1_7_0, HANDSHAKE_OK_1_7, HandshakeAccepted(V1_7_0, CLUSTER_STATES_ONLY, NODE_ID)),
        (V1_4_0, HANDSHAKE_OK_1_4, HandshakeAccepted(V1_4_0, frozenset(), NODE_ID)),
        (V1_3_0, HANDSHAKE_OK_1_3, HandshakeAccepted(V1_3_0, frozenset(), None)),
    ],
)  # fmt: skip
def test_handshake_accepted(
    version: ProtocolVersion, answer: str, event: HandshakeAccepted
) -> None:
    tr(lambda: handshaking(version), h(answer), [event])
    conn = ready(version)
    assert conn.state is ConnectionState.READY
    assert conn.version == version
    assert conn.features == event.features
    assert conn.node_id == event.node_id


def test_handshake_request_bytes() -> None:
    conn = ProtocolConnection()
    assert conn.state.name == "IDLE"
    assert conn.start_handshake() == h("0e000000 01 0100 0700 0000 02 0c 01000000 04")
    assert conn.state is ConnectionState.HANDSHAKING
    conn = ProtocolConnection(features=[Feature.CLUSTER_STATES, Feature.HEARTBEAT])
    assert conn.start_handshake() == h("0f000000 01 0100 0700 0000 02 0c 02000000 0408")


def test_handshake_fallback_on_the_same_connection() -> None:
    conn = handshaking()
    conn.receive_data(h(HANDSHAKE_REJECT_1_4))
    event = conn.next_event()
    assert event == HandshakeRejected(V1_7_0, V1_4_0, "Unsupported version.", 1, V1_4_0)
    assert conn.state is ConnectionState.REJECTED
    assert isinstance(event, HandshakeRejected)
    assert event.retry_version is not None
    assert conn.start_handshake(event.retry_version) == h("08000000 01 0100 0400 0000 02")
    conn.receive_data(h(HANDSHAKE_OK_1_4))
    assert conn.next_event() == HandshakeAccepted(V1_4_0, frozenset(), NODE_ID)
    assert conn.version == V1_4_0
    assert conn.supports(VersionFeature.PARTITION_AWARENESS)
    assert not conn.supports(VersionFeature.TRANSACTIONS)
    assert not conn.supports(Feature.CLUSTER_STATES)
    conn.receive_data(response_frame(1, b"\x01", affinity=(3, 0)))
    assert conn.next_event() == Response(1, 0, None, b"\x01", 2, AffinityVersion(3, 0))


def test_handshake_final_rejection() -> None:
    conn = handshaking(min_version=V1_7_0)
    tr(
        lambda: handshaking(min_version=V1_7_0),
        h(HANDSHAKE_REJECT_1_4),
        [HandshakeRejected(V1_7_0, V1_4_0, "Unsupported version.", 1, None)],
        trailing=False,
    )
    conn.receive_data(h(HANDSHAKE_REJECT_1_4))
    event = conn.next_event()
    assert isinstance(event, HandshakeRejected)
    assert event.retry_version is None
    with pytest.raises(ParameterError):
        conn.send_request(OpCode.CACHE_GET)


def test_no_fallback_below_1_1_with_credentials() -> None:
    conn = handshaking(credentials=Credentials("u", "p"))
    conn.receive_data(h("10000000 00 0100 0000 0000 09 02000000 6e6f 01000000"))
    event = conn.next_event()
    assert isinstance(event, HandshakeRejected)
    assert event.server_version == (1, 0, 0)
    assert event.retry_version is None


def test_data_before_the_handshake_is_a_protocol_error() -> None:
    conn = ProtocolConnection()
    assert conn.next_event() is NEED_DATA
    conn.receive_data(b"\x01")
    with pytest.raises(ProtocolError):
        conn.next_event()


def test_handshake_cannot_restart_when_ready() -> None:
    conn = ready()
    with pytest.raises(ParameterError):
        conn.start_handshake()


def test_invalid_configuration() -> None:
    with pytest.raises(ParameterError):
        ProtocolConnection(version=ProtocolVersion(1, 8, 0))
    with pytest.raises(ParameterError):
        ProtocolConnection(max_frame_size=3)
    with pytest.raises(ParameterError):
        ProtocolConnection().start_handshake(ProtocolVersion(1, 7, 1))


# -- requests --------------------------------------------------------------------------------


def test_request_ids_and_frames() -> None:
    conn = ready()
    assert conn.send_request(OpCode.CACHE_GET, h("aa")) == (
        1,
        h("0b000000 e803 0100000000000000 aa"),
    )
    assert conn.send_request(OpCode.CACHE_GET_NAMES) == (2, h("0a000000 1a04 0200000000000000"))
    buffer = bytearray(REQUEST_HEADER_SIZE) + h("0700000000000000")
    assert conn.send_request_buffer(OpCode.RESOURCE_CLOSE, buffer) == 3
    assert buffer == h("12000000 0000 0300000000000000 0700000000000000")
    assert conn.next_request_id() == 4
    with pytest.raises(ParameterError):
        conn.send_request_buffer(OpCode.RESOURCE_CLOSE, bytearray(3))


def test_no_requests_before_the_handshake_is_accepted() -> None:
    with pytest.raises(ParameterError):
        ProtocolConnection().send_request(OpCode.CACHE_GET)
    with pytest.raises(ParameterError):
        handshaking().send_request(OpCode.CACHE_GET)


def test_no_requests_after_the_peer_closed() -> None:
    conn = ready()
    conn.receive_data(b"")
    with pytest.raises(SocketError):
        conn.send_request(OpCode.CACHE_GET)
    assert conn.next_event() == ConnectionClosed()
    assert conn.state is ConnectionState.CLOSED
    assert conn.next_event() == ConnectionClosed()
    with pytest.raises(SocketError):
        conn.send_request(OpCode.CACHE_GET)


def test_no_data_after_end_of_stream() -> None:
    conn = ready()
    conn.receive_data(b"")
    with pytest.raises(ParameterError):
        conn.receive_data(b"\x00")


# -- responses -------------------------------------------------------------------------------

READY_CASES = [
    (V1_7_0, response_frame(1), [Response(1, 0, None, b"")]),
    (
        V1_7_0,
        response_frame(1, b"\x65", affinity=(5, 2)) + response_frame(2, b"\x01\x02"),
        [
            Response(1, 0, None, b"\x65", 2, AffinityVersion(5, 2)),
            Response(2, 0, None, b"\x01\x02"),
        ],
    ),
    (
        V1_7_0,
        response_frame(7, status=1000, message="Cache does not exist"),
        [Response(7, 1000, "Cache does not exist", b"", 1)],
    ),
    (
        V1_7_0,
        h("0d000000 0900000000000000 0400 d707 01") + response_frame(3),
        [Notification(9, 2007, 0, None, b"\x01"), Response(3, 0, None, b"")],
    ),
    (V1_4_0, response_frame(4, b"\x03\x2a\x00\x00\x00"), [Response(4, 0, None, h("032a000000"))]),
    (
        V1_3_0,
        old_response_frame(1, b"\x65") + old_response_frame(2, status=1),
        [Response(1, 0, None, b"\x65"), Response(2, 1, "err", b"")],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("version", "data", "events"), READY_CASES)
def test_ready_golden(version: ProtocolVersion, data: bytes, events: list[Event]) -> None:
    tr(lambda: ready(version), data, events)


def test_affinity_version_tracks_the_newest() -> None:
    conn = ready()
    assert conn.affinity_version is None
    for request_id, affinity, expected in [
        (1, (5, 0), (5, 0)),
        (2, None, (5, 0)),
        (3, (4, 9), (5, 0)),
        (4, (5, 1), (5, 1)),
        (5, (6, 0), (6, 0)),
    ]:
        conn.receive_data(response_frame(request_id, affinity=affinity))
        event = conn.next_event()
        assert isinstance(event, Response)
        assert event.affinity_version == (AffinityVersion(*affinity) if affinity else None)
        assert conn.affinity_version == expected


def test_payload_outlives_the_receive_buffer() -> None:
    conn = ready()
    conn.receive_data(response_frame(1, b"first") + response_frame(2, b"second"))
    first = conn.next_event()
    conn.receive_data(response_frame(3, b"third"))
    drain(conn)
    assert isinstance(first, Response)
    assert first.payload == b"first"
    assert type(first.payload) is bytes


def test_many_small_frames_in_one_chunk() -> None:
    count = 20_000
    conn = ready()
    conn.receive_data(b"".join(response_frame(i, b"\x01") for i in range(1, count + 1)))
    events = drain(conn)
    assert len(events) == count
    assert events[-1] == Response(count, 0, None, b"\x01")
    assert conn.next_event() is NEED_DATA


def test_buffer_is_compacted_while_streaming() -> None:
    conn = ready()
    big = response_frame(1, b"\x00" * 100_000)
    small = response_frame(2)
    # each chunk: a big frame and the first half of a small one, so the buffer is never
    # fully consumed and must be compacted to stay bounded
    conn.receive_data(big + small[:5])
    assert len(drain(conn)) == 1
    for _ in range(50):
        conn.receive_data(small[5:] + big + small[:5])
        assert len(drain(conn)) == 2
        assert len(conn._buf) < 2 * len(big)


# -- framing limits and failure --------------------------------------------------------------


@settings(max_examples=50)
@given(st.integers(min_value=DEFAULT_MAX_FRAME_SIZE + 1, max_value=2**31 - 1))
def test_hostile_length_prefix(length: int) -> None:
    conn = ready()
    conn.receive_data(i32(length)[:3])
    assert conn.next_event() is NEED_DATA
    conn.receive_data(i32(length)[3:])
    with pytest.raises(FrameTooLargeError):
        conn.next_event()


def test_hostile_length_prefix_allocates_nothing() -> None:
    conn = ready()
    tracemalloc.start()
    try:
        conn.receive_data(i32(2**31 - 1) + b"\x00" * 16)
        with pytest.raises(FrameTooLargeError):
            conn.next_event()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20


def test_configured_max_frame_size() -> None:
    conn = ready(max_frame_size=64)
    conn.receive_data(response_frame(1, b"\x00" * 54))  # body of exactly 64 bytes
    assert isinstance(conn.next_event(), Response)
    conn.receive_data(i32(65))
    with pytest.raises(FrameTooLargeError):
        conn.next_event()
    conn = handshaking(max_frame_size=64)
    conn.receive_data(i32(1000))
    with pytest.raises(FrameTooLargeError):
        conn.next_event()


@pytest.mark.parametrize(
    ("version", "length"),
    [(V1_7_0, -1), (V1_7_0, -(2**31)), (V1_7_0, 0), (V1_7_0, 9), (V1_3_0, 11), (V1_3_0, -7)],
)
def test_bad_length_prefix(version: ProtocolVersion, length: int) -> None:
    conn = ready(version)
    conn.receive_data(i32(length) + b"\x00" * 16)
    with pytest.raises(ProtocolError) as info:
        conn.next_event()
    assert not isinstance(info.value, FrameTooLargeError)


def test_bad_handshake_length_prefix() -> None:
    for length in (0, -1):
        conn = handshaking()
        conn.receive_data(i32(length))
        with pytest.raises(ProtocolError):
            conn.next_event()


def test_protocol_error_is_final() -> None:
    conn = ready()
    conn.receive_data(h("0a000000 0100000000000000 0800"))  # unknown flag
    with pytest.raises(ProtocolError) as first:
        conn.next_event()
    assert conn.state is ConnectionState.ERROR
    for call in (
        conn.next_event,
        lambda: conn.receive_data(b"\x00"),
        lambda: conn.send_request(OpCode.CACHE_GET),
    ):
        with pytest.raises(ProtocolError, match="unusable") as later:
            call()
        assert later.value.__cause__ is first.value


def test_close_inside_a_frame_is_a_protocol_error() -> None:
    frame = response_frame(1, b"abc")
    for cut in range(1, len(frame)):
        conn = ready()
        conn.receive_data(frame[:cut])
        assert conn.next_event() is NEED_DATA
        conn.receive_data(b"")
        with pytest.raises(ProtocolError):
            conn.next_event()
        assert conn.state is ConnectionState.ERROR


def test_close_during_the_handshake() -> None:
    conn = handshaking()
    conn.receive_data(b"")
    assert conn.next_event() == ConnectionClosed()


# -- properties ------------------------------------------------------------------------------

responses = st.builds(
    lambda rid, payload, status, affinity: (rid, payload, status, affinity),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.binary(max_size=24),
    st.sampled_from([0, 0, 1, 1000, 2000]),
    st.none() | st.tuples(st.integers(0, 2**40), st.integers(0, 2**20)),
)


def _frame_and_event(spec: tuple[int, bytes, int, tuple[int, int] | None]) -> tuple[bytes, Event]:
    rid, payload, status, affinity = spec
    frame = response_frame(rid, payload, status=status, message="m", affinity=affinity)
    flags = (1 if status else 0) | (2 if affinity else 0)
    event = Response(
        rid,
        status,
        "m" if status else None,
        b"" if status else payload,
        flags,
        AffinityVersion(*affinity) if affinity else None,
    )
    return frame, event


@settings(max_examples=80)
@given(responses)
def test_every_strict_prefix_needs_data(
    spec: tuple[int, bytes, int, tuple[int, int] | None],
) -> None:
    frame, event = _frame_and_event(spec)
    for cut in range(1, len(frame)):
        conn = ready()
        conn.receive_data(frame[:cut])
        assert conn.next_event() is NEED_DATA
    conn = ready()
    conn.receive_data(frame)
    assert conn.next_event() == event


@settings(max_examples=60)
@given(st.lists(responses, min_size=1, max_size=6), st.data())
def test_any_chunking_gives_the_same_events(
    specs: list[tuple[int, bytes, int, tuple[int, int] | None]], data: st.DataObject
) -> None:
    pairs = [_frame_and_event(spec) for spec in specs]
    stream = b"".join(frame for frame, _ in pairs)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    conn = ready()
    events: list[Event] = []
    previous = 0
    for cut in [*cuts, len(stream)]:
        if cut > previous:  # an empty chunk would mean end of stream
            conn.receive_data(stream[previous:cut])
        events += drain(conn)
        previous = cut
    assert events == [event for _, event in pairs]


@settings(max_examples=200)
@given(st.binary(max_size=80), st.sampled_from([V1_7_0, V1_3_0, None]))
def test_random_bytes_raise_only_protocol_errors(
    data: bytes, version: ProtocolVersion | None
) -> None:
    conn = handshaking() if version is None else ready(version)
    conn.receive_data(data)
    conn.receive_data(b"")
    try:
        for _ in range(100):
            if isinstance(conn.next_event(), ConnectionClosed):
                break
    except ProtocolError:
        assert conn.state is ConnectionState.ERROR


@settings(max_examples=100)
@given(st.binary(min_size=4, max_size=40))
def test_random_length_prefixed_bodies(body: bytes) -> None:
    conn = ready()
    conn.receive_data(i32(len(body)) + body)
    try:
        event = conn.next_event()
    except ProtocolError:
        return
    assert isinstance(event, Response | Notification)


# -- secrets ---------------------------------------------------------------------------------


def test_password_never_in_repr_or_errors() -> None:
    secret = "hunter2-ü-secret"
    conn = handshaking(credentials=Credentials("admin", secret))
    assert secret not in repr(conn)
    assert "admin" in repr(conn)
    assert not hasattr(conn, "__dict__")
    conn.receive_data(h("16000000 00 0000 0000 0000 09 06000000 64656e696564 d0070000"))
    event = conn.next_event()
    assert isinstance(event, HandshakeRejected)
    assert event.is_auth_failure
    assert event.retry_version is None
    for text in (repr(event), str(event.error()), repr(event.error()), repr(conn)):
        assert secret not in text
    conn.receive_data(b"\x01")
    with pytest.raises(ProtocolError) as info:
        conn.next_event()
    assert secret not in str(info.value)
    assert secret not in repr(conn)
