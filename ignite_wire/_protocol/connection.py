"""The sans-IO state machine of one thin-client connection.

A :class:`ProtocolConnection` turns what the caller wants into bytes to write, and bytes
the caller read into events.  It never touches a socket, a clock or an event loop; the sync
and asyncio transports drive it, h11-style::

    conn = ProtocolConnection(credentials=..., features=...)
    sock.sendall(conn.start_handshake())
    while (event := conn.next_event()) is NEED_DATA:
        conn.receive_data(sock.recv(65536))      # b"" means the peer closed
    # event is HandshakeAccepted, or HandshakeRejected (maybe with a retry_version)

    request_id, frame = conn.send_request(OpCode.CACHE_GET, payload)
    sock.sendall(frame)
    ... conn.receive_data(...); conn.next_event() -> Response | Notification | NEED_DATA

States: ``IDLE`` (nothing sent) -> ``HANDSHAKING`` -> ``READY``, or -> ``REJECTED`` (the
server refused; :meth:`start_handshake` may be called again with another version) ->
``CLOSED`` (the peer closed cleanly between frames) or ``ERROR``.  The events and the
states are defined in :mod:`.connection_events` (and re-exported here).

Invariants:

* **Rule 1: anything that changes how bytes are read lives here**: the negotiated version
  (which response layout), the maximum frame size, the end-of-stream flag.  Callers hold
  no framing state.
* **A protocol error is final.**  After a :class:`~ignite_wire.exceptions.ProtocolError`
  the framing can no longer be trusted, so the state becomes ``ERROR`` and every later call
  raises again, naming the original error.  The caller must close the socket.
* **The length prefix is checked before anything is buffered for it**: a negative length,
  one smaller than the smallest legal body, or one above ``max_frame_size`` raises as soon
  as its four bytes arrive, so a hostile peer cannot make us wait for (or allocate) 2 GiB.
* **No quadratic copying.**  Received bytes are appended to one ``bytearray``; frames are
  parsed in place at a read offset, and the consumed prefix is dropped only when everything
  was consumed or when it is both large and more than half the buffer.  Each frame's
  payload is copied into the ``bytes`` the event owns (once for large frames; lifetime:
  unlimited, the event never aliases the receive buffer).
* **Responses are handed out in arrival order.**  Many requests may be in flight
  (pipelining); matching a response to its request by ``request_id`` is the caller's job.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Iterable
from typing import Final, NoReturn

from ..exceptions import FrameTooLargeError, ParameterError, ProtocolError, SocketError
from .connection_events import NEED_DATA, ConnectionClosed, ConnectionState, Event, NeedData
from .features import (
    DEFAULT_FEATURES,
    LATEST_VERSION,
    MIN_SUPPORTED_VERSION,
    SUPPORTED_VERSIONS,
    Feature,
    ProtocolVersion,
    VersionFeature,
    version_supports,
)
from .handshake import (
    Credentials,
    HandshakeAccepted,
    HandshakeRejected,
    build_handshake_request,
    fallback_version,
    parse_handshake_response,
)
from .messages import (
    LENGTH_PREFIX_SIZE,
    MAX_REQUEST_SIZE,
    MIN_BODY_SIZE_V1_0,
    MIN_BODY_SIZE_V1_4,
    REQUEST_HEADER_SIZE,
    AffinityVersion,
    Buffer,
    Response,
    pack_request_header,
    pack_request_header_into,
    parse_frame,
    take_plain_responses,
)

__all__ = [
    "DEFAULT_MAX_FRAME_SIZE",
    "NEED_DATA",
    "ConnectionClosed",
    "ConnectionState",
    "Event",
    "NeedData",
    "ProtocolConnection",
]

#: Largest frame accepted by default (bytes after the length prefix): 256 MiB.
DEFAULT_MAX_FRAME_SIZE: Final = 256 * 1024 * 1024
_MAX_REQUEST_ID: Final = 0x7FFFFFFFFFFFFFFF
#: Drop the consumed prefix of the receive buffer once it is at least this large (and
#: more than half the buffer); below that, moving the tail costs more than it saves.
_COMPACT_THRESHOLD: Final = 64 * 1024
#: Frames up to this size are parsed straight from the bytearray (slicing it copies the
#: payload twice, which for small frames is cheaper than creating a memoryview); larger
#: ones through a memoryview, so the payload is copied exactly once.
_SMALL_FRAME: Final = 4096

_unpack_i32 = struct.Struct("<i").unpack_from
_unpack_id_flags = struct.Struct("<qh").unpack_from  # a 1.4+ response: reqId | flags
_new_tuple = tuple.__new__
#: ``ConnectionState.READY`` read once: an Enum class's attribute goes through
#: ``EnumType.__getattr__``'s slow lookup hook on Python 3.11 (about 0.1 us, and
#: :meth:`ProtocolConnection.send_request`, :meth:`~ProtocolConnection.receive_whole`
#: and the event readers ask on every request; issue 12).
_READY: Final = ConnectionState.READY


class ProtocolConnection:
    """One connection's protocol state; see the module docstring for the contract.

    Args:
        features: feature bits to offer (from 1.7.0); the negotiated subset is
            :attr:`features` once the handshake is accepted.
        credentials: user name and password, sent from protocol 1.1.0 on.
        version: the first version to offer.
        min_version: never fall back below this version.
        max_frame_size: largest incoming frame body accepted, in bytes.
    """

    __slots__ = (
        "_buf",
        "_credentials",
        "_eof",
        "_error",
        "_max_frame_size",
        "_min_body",
        "_min_version",
        "_next_request_id",
        "_offer_features",
        "_offered",
        "_partition_aware",
        "_pos",
        "affinity_version",
        "features",
        "node_id",
        "state",
        "version",
    )

    def __init__(
        self,
        *,
        features: Iterable[Feature] = DEFAULT_FEATURES,
        credentials: Credentials | None = None,
        version: ProtocolVersion = LATEST_VERSION,
        min_version: ProtocolVersion = MIN_SUPPORTED_VERSION,
        max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
    ) -> None:
        if version not in SUPPORTED_VERSIONS or min_version not in SUPPORTED_VERSIONS:
            raise ParameterError(f"unsupported protocol version {version} / {min_version}")
        if max_frame_size < MIN_BODY_SIZE_V1_0:
            raise ParameterError(f"max_frame_size {max_frame_size} is too small")
        self._offer_features = frozenset(features)
        self._credentials = credentials
        self._offered = version
        self._min_version = min_version
        self._max_frame_size = max_frame_size
        self._buf = bytearray()
        self._pos = 0
        self._eof = False
        self._error: ProtocolError | None = None
        self._next_request_id = 1
        self._partition_aware = False
        self._min_body = 1  # a handshake answer is at least its success byte
        #: Where the connection is; see :class:`ConnectionState`.
        self.state = ConnectionState.IDLE
        #: The negotiated version once the handshake is accepted, else ``None``.
        self.version: ProtocolVersion | None = None
        #: The negotiated feature set (empty until accepted, and before 1.7.0).
        self.features: frozenset[Feature] = frozenset()
        #: The server node's id (from 1.4.0), once accepted.
        self.node_id: uuid.UUID | None = None
        #: The newest affinity topology version any response has announced.
        self.affinity_version: AffinityVersion | None = None

    def __repr__(self) -> str:
        user = self._credentials.username if self._credentials else None
        return (
            f"<ProtocolConnection state={self.state.name} offered={self._offered} "
            f"version={self.version} user={user!r}>"
        )

    # -- handshake -----------------------------------------------------------------------

    @property
    def offered_version(self) -> ProtocolVersion:
        """The version offered by the last handshake (or to be offered first)."""
        return self._offered

    def start_handshake(self, version: ProtocolVersion | None = None) -> bytes:
        """The handshake bytes to send; ``version`` overrides the one to offer.

        Allowed in ``IDLE`` and, after a rejection, in ``REJECTED`` (pass the rejection's
        ``retry_version``).
        """
        self._check_not_failed()
        if self.state not in (ConnectionState.IDLE, ConnectionState.REJECTED):
            raise ParameterError(f"cannot start a handshake in state {self.state.name}")
        if version is not None:
            if version not in SUPPORTED_VERSIONS:
                raise ParameterError(f"unsupported protocol version {version}")
            self._offered = version
        data = build_handshake_request(
            self._offered, features=self._offer_features, credentials=self._credentials
        )
        self.state = ConnectionState.HANDSHAKING
        self._min_body = 1
        return data

    # -- requests ------------------------------------------------------------------------

    def next_request_id(self) -> int:
        """Reserve and return the next request id (positive, never repeats in practice)."""
        request_id = self._next_request_id
        self._next_request_id = 1 if request_id >= _MAX_REQUEST_ID else request_id + 1
        return request_id

    def send_request(self, op: int, payload: Buffer = b"") -> tuple[int, bytes]:
        """Frame one request: returns ``(request_id, bytes to send)``."""
        if self.state is not _READY or self._eof or self._error is not None:
            self._check_ready()  # raises
        request_id = self._next_request_id  # next_request_id(), inlined: every request
        self._next_request_id = 1 if request_id >= _MAX_REQUEST_ID else request_id + 1
        size = 10 + len(payload)  # build_request(), inlined: every request
        if size > MAX_REQUEST_SIZE:
            raise ProtocolError(f"request payload of {len(payload)} bytes cannot be framed")
        return request_id, pack_request_header(size, op, request_id) + payload

    def send_request_buffer(self, op: int, buffer: bytearray) -> int:
        """Frame a request in place; returns its id.

        ``buffer`` must start with :data:`~.messages.REQUEST_HEADER_SIZE` reserved bytes
        followed by the payload; the header is written over the reserved bytes.
        """
        self._check_ready()
        if len(buffer) < REQUEST_HEADER_SIZE:
            raise ParameterError("request buffer has no room for the header")
        request_id = self.next_request_id()
        pack_request_header_into(buffer, op, request_id)
        return request_id

    def supports(self, feature: Feature | VersionFeature) -> bool:
        """True if the negotiated connection has ``feature`` (a bit or a version feature)."""
        if self.version is None:
            return False
        if isinstance(feature, Feature):
            return feature in self.features
        return version_supports(self.version, feature)

    # -- receiving -----------------------------------------------------------------------

    @property
    def has_partial_frame(self) -> bool:
        """True when bytes are buffered that do not yet make a whole frame.

        Meaningful between calls to :meth:`next_event` that returned :data:`NEED_DATA`: a
        request that timed out then has its answer cut in half (see ``health.py``).
        """
        return self._pos < len(self._buf)

    def receive_data(self, data: Buffer) -> None:
        """Add bytes read from the peer; ``b""`` means the peer closed its side."""
        if self._error is not None:
            self._check_not_failed()
        if not data:
            self._eof = True
            return
        if self._eof:
            raise ParameterError("data received after end of stream")
        self._buf += data

    def receive_whole(self, data: Buffer) -> Response | None:
        """:meth:`receive_data`, with a short cut for the usual read of one request at a
        time: when nothing is buffered and ``data`` is exactly one complete response
        frame, that response (what :meth:`next_event` would return next, the state left
        as it would leave it); otherwise ``None``, and the caller takes the events with
        :meth:`next_event` as after :meth:`receive_data` (every check and error there).
        """
        size = len(data)
        if (
            self._pos != len(self._buf)
            or self.state is not _READY
            or self._error is not None
            or self._eof
            or size < LENGTH_PREFIX_SIZE
        ):
            self.receive_data(data)
            return None
        (length,) = _unpack_i32(data, 0)
        if (
            length + LENGTH_PREFIX_SIZE != size
            or length < self._min_body
            or length > self._max_frame_size
        ):
            self.receive_data(data)  # several frames, part of one, or a bad length
            return None
        if self._partition_aware:
            request_id, flags = _unpack_id_flags(data, LENGTH_PREFIX_SIZE)
            if not flags:  # a plain success, the usual answer: parse_frame's own last line
                payload = bytes(data[LENGTH_PREFIX_SIZE + 10 : size])
                return _new_tuple(Response, (request_id, 0, None, payload, 0, None))
        try:
            event = parse_frame(
                data, LENGTH_PREFIX_SIZE, size, partition_aware=self._partition_aware
            )
        except ProtocolError:
            event = None
        if type(event) is not Response:
            self.receive_data(data)  # a notification, or the error next_event reports
            return None
        if event.affinity_version is not None:
            current = self.affinity_version
            if current is None or event.affinity_version > current:
                self.affinity_version = event.affinity_version
        return event

    def next_event(self) -> Event | NeedData:
        """The next complete event, or :data:`NEED_DATA`.

        Raises:
            ProtocolError: the bytes break the protocol; the connection is now unusable.
        """
        if self._error is not None:
            self._check_not_failed()
        state = self.state
        if state is _READY:
            if len(self._buf) - self._pos < LENGTH_PREFIX_SIZE and not self._eof:
                return NEED_DATA  # the common end of a read: no call further down
        elif state is ConnectionState.HANDSHAKING:
            return self._next_handshake_event()
        elif state is ConnectionState.CLOSED:
            return ConnectionClosed()
        elif self._pos < len(self._buf):  # IDLE or REJECTED: the server must be silent
            return self._fail(ProtocolError(f"unexpected data in state {state.name}"))
        else:
            return self._need_data_or_closed()
        bounds = self._frame_bounds()
        if bounds is None:
            return self._need_data_or_closed()
        start, end = bounds
        try:
            if end - start <= _SMALL_FRAME:
                event = parse_frame(self._buf, start, end, partition_aware=self._partition_aware)
            else:
                with memoryview(self._buf) as view:
                    event = parse_frame(view, start, end, partition_aware=self._partition_aware)
        except ProtocolError as exc:
            return self._fail(exc)
        self._consume(end)
        if type(event) is Response and event.affinity_version is not None:
            current = self.affinity_version
            if current is None or event.affinity_version > current:
                self.affinity_version = event.affinity_version
        return event

    def next_events(self, out: list[Event]) -> None:
        """Append to ``out`` every event :meth:`next_event` would return before
        :data:`NEED_DATA`, in order (a :class:`ConnectionClosed` is the last).

        One call per read, however many frames it brought: plain answers are parsed in
        one loop (:func:`~.messages.take_plain_responses`), every other frame by
        :meth:`next_event`.  Raises what :meth:`next_event` raises; the events before
        the bad frame are then in ``out`` already, for the caller to hand out first.
        """
        append = out.append
        while True:
            if self.state is _READY and self._partition_aware:
                pos = self._pos
                end = take_plain_responses(
                    self._buf, pos, min(self._max_frame_size, _SMALL_FRAME), append
                )
                if end != pos:
                    self._consume(end)
                    if not self._buf and not self._eof:
                        return  # the read ended on a frame boundary, as reads usually do
            event = self.next_event()
            if event is NEED_DATA:
                return
            append(event)
            if type(event) is ConnectionClosed:
                return

    def _next_handshake_event(
        self,
    ) -> HandshakeAccepted | HandshakeRejected | ConnectionClosed | NeedData:
        bounds = self._frame_bounds()
        if bounds is None:
            return self._need_data_or_closed()
        start, end = bounds
        try:
            with memoryview(self._buf) as view:
                event = parse_handshake_response(view, start, end, self._offered)
        except ProtocolError as exc:
            return self._fail(exc)
        self._consume(end)
        if isinstance(event, HandshakeAccepted):
            self.state = ConnectionState.READY
            self.version = event.version
            self.features = event.features
            self.node_id = event.node_id
            self._partition_aware = version_supports(
                event.version, VersionFeature.PARTITION_AWARENESS
            )
            self._min_body = MIN_BODY_SIZE_V1_4 if self._partition_aware else MIN_BODY_SIZE_V1_0
            return event
        self.state = ConnectionState.REJECTED
        retry = fallback_version(
            event,
            min_version=self._min_version,
            with_credentials=self._credentials is not None,
        )
        if retry is None:
            return event
        return HandshakeRejected(
            event.offered, event.server_version, event.message, event.status, retry
        )

    def _frame_bounds(self) -> tuple[int, int] | None:
        """``(body start, body end)`` of the next complete frame, or ``None``."""
        pos = self._pos
        available = len(self._buf) - pos
        if available < LENGTH_PREFIX_SIZE:
            return None
        (length,) = _unpack_i32(self._buf, pos)
        if length < self._min_body:
            self._fail(
                ProtocolError(f"frame length {length} is below the minimum {self._min_body}")
            )
        if length > self._max_frame_size:
            self._fail(
                FrameTooLargeError(
                    f"frame of {length} bytes exceeds the maximum of {self._max_frame_size}"
                )
            )
        if available - LENGTH_PREFIX_SIZE < length:
            return None
        start = pos + LENGTH_PREFIX_SIZE
        return start, start + length

    def _consume(self, end: int) -> None:
        buf = self._buf
        if end == len(buf):
            buf.clear()
            self._pos = 0
        elif end >= _COMPACT_THRESHOLD and end * 2 > len(buf):
            del buf[:end]
            self._pos = 0
        else:
            self._pos = end

    def _need_data_or_closed(self) -> NeedData | ConnectionClosed:
        if not self._eof:
            return NEED_DATA
        if self._pos < len(self._buf):
            return self._fail(
                ProtocolError(
                    f"peer closed the connection inside a frame "
                    f"({len(self._buf) - self._pos} bytes unparsed)"
                )
            )
        self.state = ConnectionState.CLOSED
        return ConnectionClosed()

    # -- failure -------------------------------------------------------------------------

    def _fail(self, error: ProtocolError) -> NoReturn:
        self.state = ConnectionState.ERROR
        self._error = error
        self._buf = bytearray()
        self._pos = 0
        raise error

    def _check_not_failed(self) -> None:
        if self._error is not None:
            raise ProtocolError(
                f"connection is unusable after an earlier protocol error: {self._error}"
            ) from self._error

    def _check_ready(self) -> None:
        self._check_not_failed()
        if self._eof or self.state is ConnectionState.CLOSED:
            raise SocketError("connection closed by the peer")
        if self.state is ConnectionState.READY:
            return
        raise ParameterError(f"cannot send a request in state {self.state.name}")
