"""``ProtocolConnection.next_events``: every event of a read in one call, the very events
(and errors) that calling ``next_event`` until ``NEED_DATA`` gives.

The asyncio wire takes its events this way; plain answers go through a loop of their
own (``messages.take_plain_responses``), so these tests mix them with every other kind
of frame and cut the stream anywhere.
"""

from __future__ import annotations

import struct

import pytest
from fake_node import HANDSHAKE_OK
from hypothesis import given, settings
from hypothesis import strategies as st

from ignite_wire._protocol.connection import (
    NEED_DATA,
    ConnectionClosed,
    Event,
    ProtocolConnection,
)
from ignite_wire._protocol.features import V1_3_0, V1_7_0, ProtocolVersion
from ignite_wire._protocol.handshake import HandshakeAccepted
from ignite_wire._protocol.messages import Response
from ignite_wire.exceptions import FrameTooLargeError, ProtocolError

_OK_1_3 = bytes.fromhex("0100000001")


def _ready(version: ProtocolVersion, max_frame_size: int | None = None) -> ProtocolConnection:
    kwargs = {} if max_frame_size is None else {"max_frame_size": max_frame_size}
    conn = ProtocolConnection(version=version, **kwargs)
    conn.start_handshake()
    conn.receive_data(HANDSHAKE_OK if version == V1_7_0 else _OK_1_3)
    assert isinstance(conn.next_event(), HandshakeAccepted)
    return conn


def _frame(version: ProtocolVersion, request_id: int, payload: bytes, kind: int) -> bytes:
    """A response; ``kind`` 0 plain, 1 an error, 2 a topology change, 3 a notification."""
    if version != V1_7_0:
        body = struct.pack("<qi", request_id, 1 if kind == 1 else 0)
        body += b"\x09\x01\x00\x00\x00e" if kind == 1 else payload
    elif kind == 1:
        body = struct.pack("<qhi", request_id, 1, 7) + b"\x09\x01\x00\x00\x00e"
    elif kind == 2:
        body = struct.pack("<qhqi", request_id, 2, 5, 1) + payload
    elif kind == 3:
        body = struct.pack("<qhh", request_id, 4, 2007) + payload
    else:
        body = struct.pack("<qh", request_id, 0) + payload
    return struct.pack("<i", len(body)) + body


def _one_by_one(conn: ProtocolConnection, events: list[Event]) -> None:
    while (event := conn.next_event()) is not NEED_DATA:
        assert not isinstance(event, type(NEED_DATA))
        events.append(event)
        if isinstance(event, ConnectionClosed):
            break


def _outcome(conn: ProtocolConnection, chunks: list[bytes], batch: bool) -> tuple[list[Event], str]:
    """The events and the error (its text, ``""`` for none) after feeding ``chunks``."""
    events: list[Event] = []
    try:
        for chunk in chunks:
            conn.receive_data(chunk)
            if batch:
                conn.next_events(events)
            else:
                _one_by_one(conn, events)
    except ProtocolError as exc:
        return events, f"{type(exc).__name__}: {exc}"
    return events, ""


frames = st.tuples(
    st.integers(-(2**63), 2**63 - 1),
    st.one_of(st.binary(max_size=40), st.binary(min_size=4090, max_size=4110)),
    st.sampled_from([0, 0, 0, 1, 2, 3]),
)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([V1_7_0, V1_3_0]),
    st.lists(frames, max_size=8),
    st.data(),
    st.booleans(),
    st.binary(max_size=6),
)
def test_the_batch_gives_what_next_event_gives_for_any_cut(
    version: ProtocolVersion,
    specs: list[tuple[int, bytes, int]],
    data: st.DataObject,
    closed: bool,
    tail: bytes,
) -> None:
    """Frames of every kind, cut anywhere, then maybe garbage and an end of stream: the
    same events, in the same order, and the same error, either way."""
    stream = b"".join(_frame(version, *spec) for spec in specs) + tail
    cuts = sorted(set(data.draw(st.lists(st.integers(1, max(len(stream) - 1, 1)), max_size=8))))
    chunks = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
    chunks = [c for c in chunks if c] + ([b""] if closed else [])
    batch = _outcome(_ready(version), chunks, batch=True)
    assert batch == _outcome(_ready(version), chunks, batch=False)
    if not tail and not batch[1]:
        assert [e.request_id for e in batch[0] if isinstance(e, Response)] == [
            s[0] for s in specs if version != V1_7_0 or s[2] != 3
        ]


def test_answers_before_a_bad_frame_are_handed_out_with_the_error() -> None:
    conn = _ready(V1_7_0)
    conn.receive_data(_frame(V1_7_0, 1, b"a", 0) + _frame(V1_7_0, 2, b"b", 0) + b"\xff" * 8)
    events: list[Event] = []
    with pytest.raises(ProtocolError):
        conn.next_events(events)
    assert [e.request_id for e in events if isinstance(e, Response)] == [1, 2]


def test_the_configured_frame_limit_holds_for_plain_answers() -> None:
    conn = _ready(V1_7_0, max_frame_size=64)
    conn.receive_data(_frame(V1_7_0, 1, b"x" * 40, 0) + _frame(V1_7_0, 2, b"y" * 100, 0))
    events: list[Event] = []
    with pytest.raises(FrameTooLargeError):
        conn.next_events(events)
    assert [e.request_id for e in events if isinstance(e, Response)] == [1]
