"""What one sync read brought in (``_transport/received.py``), with plain bytes.

The protocol state is a real :class:`ProtocolConnection` after a scripted handshake; the
frames are the fake node's.  Checked: every complete response comes out, a frame cut in
two waits for its rest, an end of stream is reported after the responses before it, and
a response whose request timed out is dropped instead of filed.
"""

from __future__ import annotations

import pytest
from fake_node import HANDSHAKE_OK, response

from ignite_wire._protocol.connection import ProtocolConnection
from ignite_wire._protocol.handshake import HandshakeAccepted
from ignite_wire._protocol.messages import Response
from ignite_wire._transport.received import file_responses, take_events
from ignite_wire.exceptions import ProtocolError

ABANDONED = object()


def ready() -> ProtocolConnection:
    protocol = ProtocolConnection()
    protocol.start_handshake()
    protocol.receive_data(HANDSHAKE_OK)
    assert isinstance(protocol.next_event(), HandshakeAccepted)
    return protocol


def test_every_complete_response_of_a_read_comes_out() -> None:
    protocol = ready()
    data = response(1, b"\x01") + response(2, b"\x02")
    responses, notifications, closed = take_events(protocol, data)
    assert [(r.request_id, bytes(r.payload)) for r in responses] == [(1, b"\x01"), (2, b"\x02")]
    assert notifications == []
    assert not closed


def test_a_frame_cut_in_two_waits_for_its_rest() -> None:
    protocol = ready()
    frame = response(7, b"abc")
    assert take_events(protocol, frame[:5]) == ([], [], False)
    responses, _, closed = take_events(protocol, frame[5:])
    assert [r.request_id for r in responses] == [7]
    assert not closed


def test_an_end_of_stream_comes_after_the_responses_before_it() -> None:
    protocol = ready()
    responses, _, closed = take_events(protocol, response(3))
    assert [r.request_id for r in responses] == [3]
    assert not closed
    assert take_events(protocol, b"") == ([], [], True)


def test_garbage_is_a_protocol_error() -> None:
    protocol = ready()
    with pytest.raises(ProtocolError):
        take_events(protocol, b"\x01\x00\x00\x00\x00")  # a 1-byte frame: below the minimum


def test_responses_are_filed_only_for_waiting_requests() -> None:
    protocol = ready()
    responses, _, _ = take_events(protocol, response(1) + response(2) + response(3))
    waiting: dict[int, Response | object] = {1: None, 2: ABANDONED}
    file_responses(waiting, responses, ABANDONED)
    assert isinstance(waiting[1], Response)
    assert waiting[1].request_id == 1  # type: ignore[union-attr]
    assert 2 not in waiting  # timed out: its late answer is dropped
    assert 3 not in waiting  # never asked for
