"""What one sync read brought in (``_transport/received.py``), with plain bytes.

The protocol state is a real :class:`ProtocolConnection` after a scripted handshake; the
frames are the fake node's.  Checked: every complete response comes out, a frame cut in
two waits for its rest, an end of stream is reported after the responses before it, and
a response whose request timed out is dropped instead of filed; and the reader's short cut
(``ProtocolConnection.receive_whole``, one whole response per read) gives exactly what
the general route gives on any bytes cut into any reads (hypothesis).
"""

from __future__ import annotations

import struct

import pytest
from fake_node import HANDSHAKE_OK, response
from hypothesis import given, settings
from hypothesis import strategies as st

from ignite_wire._protocol.connection import ProtocolConnection
from ignite_wire._protocol.handshake import HandshakeAccepted
from ignite_wire._protocol.messages import Response
from ignite_wire._transport.received import drain_events, file_responses, take_events
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


# -- ProtocolConnection.receive_whole: the sync reader's short cut ----------------------


def _general(protocol: ProtocolConnection, reads: list[bytes]) -> list[object]:
    """What the reads give through receive_data + next_event: events, or the error."""
    out: list[object] = []
    for data in reads:
        try:
            responses, notes, closed = take_events(protocol, data)
        except ProtocolError as exc:
            out.append(("error", type(exc), str(exc)))
            break
        out.extend([*responses, *notes, *(["closed"] if closed else [])])
    return out


def _short(protocol: ProtocolConnection, reads: list[bytes]) -> list[object]:
    """The same reads through receive_whole first, as the sync transport does."""
    out: list[object] = []
    for data in reads:
        try:
            if data:
                whole = protocol.receive_whole(data)
                if whole is not None:
                    out.append(whole)
                    continue
            else:
                protocol.receive_data(data)
            responses, notes, closed = drain_events(protocol)
        except ProtocolError as exc:
            out.append(("error", type(exc), str(exc)))
            break
        out.extend([*responses, *notes, *(["closed"] if closed else [])])
    return out


_frames = st.one_of(
    st.builds(response, st.integers(1, 2**63 - 1), st.binary(max_size=40)),
    # any flags (error, topology change, notification, unknown), any body after them
    st.builds(
        lambda rid, flags, body: struct.pack("<iqh", 10 + len(body), rid, flags) + body,
        st.integers(-(2**63), 2**63 - 1),
        st.one_of(st.sampled_from([0, 1, 2, 3, 4, 6]), st.integers(-(2**15), 2**15 - 1)),
        st.binary(max_size=40),
    ),
    # a topology change announced (the affinity version the state keeps)
    st.builds(
        lambda rid, major, minor, body: (
            struct.pack("<iqhqi", 22 + len(body), rid, 2, major, minor) + body
        ),
        st.integers(1, 2**63 - 1),
        st.integers(0, 2**63 - 1),
        st.integers(0, 2**31 - 1),
        st.binary(max_size=8),
    ),
    st.binary(max_size=24),  # garbage, bad lengths
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_frames, max_size=4), st.data())
def test_receive_whole_gives_what_the_general_route_gives(
    frames: list[bytes], data: st.DataObject
) -> None:
    """The same bytes, cut into the same reads, give the same responses, notifications,
    end of stream and errors (type and message) both ways, and leave the same state."""
    stream = b"".join(frames)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=4)))
    bounds = zip([0, *cuts], [*cuts, len(stream)], strict=True)
    reads = [stream[a:b] for a, b in bounds if b > a]  # an empty read is the end
    if data.draw(st.booleans()):
        reads.append(b"")  # end of stream
    general, short = ready(), ready()
    assert _short(short, reads) == _general(general, reads)
    assert short.state == general.state
    assert short.affinity_version == general.affinity_version
    assert short.has_partial_frame == general.has_partial_frame


def test_receive_whole_takes_one_whole_frame_without_buffering() -> None:
    protocol = ready()
    got = protocol.receive_whole(response(5, b"xyz"))
    assert got is not None
    assert (got.request_id, bytes(got.payload)) == (5, b"xyz")
    assert not protocol.has_partial_frame
    assert protocol.receive_whole(response(6)[:7]) is None  # part of a frame: buffered
    assert protocol.has_partial_frame
    assert protocol.receive_whole(response(6)[7:]) is None  # never while bytes wait
    assert [r.request_id for r in drain_events(protocol)[0]] == [6]
