"""Frames after the handshake: building requests, parsing responses (protocol notes, section 2).

Layouts (all integers little-endian; ``Str`` is ``09 i32 byteLen utf8`` or ``65`` for null)::

    request              i32 len | i16 op | i64 reqId | payload
    response, ver>=1.4   i32 len | i64 reqId | i16 flags
                             | [flags & 2: i64 topVer, i32 minorTopVer]
                             | [flags & 1: i32 status, Str message]
                             | payload (success only)
    response, ver<1.4    i32 len | i64 reqId | i32 status | [status != 0: Str message] | payload
    notification         i32 len | i64 resourceId | i16 flags (4, |1 on error) | i16 op
                             | [flags & 1: i32 status, Str message] | payload

``len`` counts the bytes after itself.  The parsers here take the buffer and the body's
``[start, end)`` bounds (the connection already read ``len``), read the header with
``unpack_from`` at offsets, and copy only the payload, once, into a ``bytes`` object.

Invariants:

* Every read is bounds-checked against ``end`` before it happens, so malformed input
  raises :class:`~ignite_wire.exceptions.ParseError` (a ``ProtocolError``) with the offset
  inside the frame, never ``struct.error``, ``IndexError`` or ``UnicodeDecodeError``.
* Unknown flag bits are a protocol error: a flag could add header fields we would then
  misread as payload.  The server only sets the three below.
* Error messages are decoded with ``errors="replace"``: they are diagnostics, and a server
  may send a Java string with a lone surrogate; losing the whole error to a decode failure
  would be worse.

The tiny ``Str`` / byte-array / UUID readers at the bottom exist for the header and the
handshake only; the value codec proper lives in ``codec.py``.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Callable
from typing import NamedTuple

from ..exceptions import ParseError, ProtocolError

__all__ = [
    "FLAG_AFFINITY_TOPOLOGY_CHANGED",
    "FLAG_ERROR",
    "FLAG_NOTIFICATION",
    "LENGTH_PREFIX_SIZE",
    "MAX_REQUEST_SIZE",
    "MIN_BODY_SIZE_V1_0",
    "MIN_BODY_SIZE_V1_4",
    "REQUEST_HEADER_SIZE",
    "AffinityVersion",
    "Notification",
    "Response",
    "build_request",
    "pack_request_header",
    "pack_request_header_into",
    "parse_frame",
    "parse_message",
    "take_plain_responses",
]

FLAG_ERROR = 0x01
FLAG_AFFINITY_TOPOLOGY_CHANGED = 0x02
FLAG_NOTIFICATION = 0x04
_KNOWN_FLAGS = FLAG_ERROR | FLAG_AFFINITY_TOPOLOGY_CHANGED | FLAG_NOTIFICATION

LENGTH_PREFIX_SIZE = 4
#: ``i32 len | i16 op | i64 reqId``: reserve this many bytes at the start of a payload
#: buffer to have :func:`pack_request_header_into` fill them in place.
REQUEST_HEADER_SIZE = 14
#: Smallest legal body (bytes after ``len``): i64 reqId + i16 flags.
MIN_BODY_SIZE_V1_4 = 10
#: Smallest legal body before 1.4: i64 reqId + i32 status.
MIN_BODY_SIZE_V1_0 = 12

_REQUEST_HEADER = struct.Struct("<ihq")
_pack_request_header = _REQUEST_HEADER.pack
#: ``(size, op, request_id)`` -> a request frame's 14-byte header (``size``: the bytes
#: after the length prefix, at most :data:`MAX_REQUEST_SIZE`).
pack_request_header = _REQUEST_HEADER.pack
_pack_request_header_into = _REQUEST_HEADER.pack_into
_I32 = struct.Struct("<i")
_unpack_i32 = _I32.unpack_from
_ID_FLAGS = struct.Struct("<qh")  # reqId | flags  (also resourceId | flags)
_unpack_id_flags = _ID_FLAGS.unpack_from
_LEN_ID_FLAGS = struct.Struct("<iqh")  # len | reqId | flags: a 1.4+ frame's whole header
_unpack_len_id_flags = _LEN_ID_FLAGS.unpack_from
_ID_STATUS = struct.Struct("<qi")  # reqId | status  (pre-1.4)
_unpack_id_status = _ID_STATUS.unpack_from
_TOP_VER = struct.Struct("<qi")
_unpack_top_ver = _TOP_VER.unpack_from
_I16 = struct.Struct("<h")
_unpack_i16 = _I16.unpack_from
_UUID = struct.Struct("<qq")
_unpack_uuid = _UUID.unpack_from

_new_tuple = tuple.__new__

_MAX_I32 = 0x7FFFFFFF
#: Largest request body (after the length prefix) a frame can carry.
MAX_REQUEST_SIZE = _MAX_I32
_TYPE_STRING = 9
_TYPE_UUID = 10
_TYPE_BYTE_ARRAY = 12
_TYPE_NULL = 101

Buffer = bytes | bytearray | memoryview


class AffinityVersion(NamedTuple):
    """The cluster's affinity topology version: ``(topVer, minorTopVer)``, ordered."""

    major: int
    minor: int


class Response(NamedTuple):
    """The answer to one request.

    ``payload`` is the operation's result bytes (empty when ``status != 0``).  It is an
    immutable copy owned by this object: keep it as long as you like, slice it with a
    ``memoryview`` to decode without further copies.

    ``affinity_version`` is set when the server flagged a topology change (flag 2); the
    first response on every connection carries it.

    (A ``NamedTuple`` rather than a frozen dataclass: one is built per response, and tuple
    construction is several times cheaper.)
    """

    request_id: int
    status: int
    message: str | None
    payload: bytes
    flags: int = 0
    affinity_version: AffinityVersion | None = None

    @property
    def ok(self) -> bool:
        """True if the request succeeded (status 0)."""
        return self.status == 0


class Notification(NamedTuple):
    """A server-initiated message about a resource (continuous query, compute task).

    ``op`` is the event's op code (2007 or 6001), ``resource_id`` the id the server gave
    when the resource was created.  Same payload ownership rule as :class:`Response`.
    """

    resource_id: int
    op: int
    status: int
    message: str | None
    payload: bytes
    flags: int = FLAG_NOTIFICATION

    @property
    def ok(self) -> bool:
        """True unless the notification reports an error."""
        return self.status == 0


# -- requests --------------------------------------------------------------------------------


def build_request(op: int, request_id: int, payload: Buffer = b"") -> bytes:
    """The complete frame for one request: header and ``payload`` in one ``bytes``."""
    size = 10 + len(payload)
    if size > _MAX_I32:
        raise ProtocolError(f"request payload of {len(payload)} bytes cannot be framed")
    return _pack_request_header(size, op, request_id) + payload


def pack_request_header_into(buffer: bytearray, op: int, request_id: int) -> None:
    """Fill the first :data:`REQUEST_HEADER_SIZE` bytes of ``buffer`` in place.

    For encoders that write the payload into a ``bytearray`` after a reserved 14-byte
    gap: the frame is then ready to send without copying the payload again.
    """
    size = len(buffer) - LENGTH_PREFIX_SIZE
    if size < 10 or size > _MAX_I32:
        raise ProtocolError(f"request buffer of {len(buffer)} bytes cannot be framed")
    _pack_request_header_into(buffer, 0, size, op, request_id)


# -- responses -------------------------------------------------------------------------------


def parse_frame(
    buf: Buffer, start: int, end: int, *, partition_aware: bool
) -> Response | Notification:
    """Parse one response or notification whose body is ``buf[start:end]``.

    ``start`` is just after the length prefix.  ``partition_aware`` selects the header
    layout: true when the negotiated version is 1.4.0 or newer.
    """
    if not partition_aware:
        return _parse_v1_0(buf, start, end)
    if end - start < MIN_BODY_SIZE_V1_4:
        raise ParseError("response header is truncated", offset=LENGTH_PREFIX_SIZE)
    request_id, flags = _unpack_id_flags(buf, start)
    pos = start + 10
    if flags & ~_KNOWN_FLAGS:
        raise ParseError(f"unknown response flags 0x{flags & 0xFFFF:04x}", offset=12)
    if flags & FLAG_NOTIFICATION:
        return _parse_notification(buf, start, end, request_id, flags)
    affinity: AffinityVersion | None = None
    if flags & FLAG_AFFINITY_TOPOLOGY_CHANGED:
        if end - pos < 12:
            raise ParseError("affinity version is truncated", offset=_off(pos, start))
        affinity = AffinityVersion(*_unpack_top_ver(buf, pos))
        pos += 12
    if flags & FLAG_ERROR:
        status, message, pos = _read_error(buf, pos, start, end)
        return Response(request_id, status, message, bytes(buf[pos:end]), flags, affinity)
    # Every successful answer: the tuple built directly (a NamedTuple's __new__ is a
    # Python function; all six fields are given, so its defaults do not matter).
    return _new_tuple(Response, (request_id, 0, None, bytes(buf[pos:end]), flags, affinity))


def take_plain_responses(
    buf: bytearray, pos: int, max_body: int, append: Callable[[Response], object]
) -> int:
    """Parse the complete plain frames from ``buf[pos:]``; return where the first other
    one starts (``pos`` itself if there is none).

    A *plain* frame (1.4+ layout) is a successful response whose flags are all clear and
    whose body is 10 to ``max_body`` bytes: the whole header is one ``unpack_from`` and the
    :class:`Response` is what :func:`parse_frame` returns for it.  Anything else (an
    error, a notification, a topology change, a frame not fully received, a length the
    connection must refuse) ends the scan, and :func:`parse_frame` with the connection's
    checks takes it.  This is the asyncio wire's common read: dozens of answers at once,
    each parsed here without four calls of its own.
    """
    end_of_data = len(buf)
    while end_of_data - pos >= 14:
        length, request_id, flags = _unpack_len_id_flags(buf, pos)
        end = pos + 4 + length
        if flags or end > end_of_data or length < MIN_BODY_SIZE_V1_4 or length > max_body:
            break
        append(_new_tuple(Response, (request_id, 0, None, bytes(buf[pos + 14 : end]), 0, None)))
        pos = end
    return pos


def _parse_v1_0(buf: Buffer, start: int, end: int) -> Response:
    if end - start < MIN_BODY_SIZE_V1_0:
        raise ParseError("response header is truncated", offset=LENGTH_PREFIX_SIZE)
    request_id, status = _unpack_id_status(buf, start)
    pos = start + 12
    message: str | None = None
    if status != 0:
        message, pos = read_str(buf, pos, end, base=start)
    return Response(request_id, status, message, bytes(buf[pos:end]))


def _parse_notification(
    buf: Buffer, start: int, end: int, resource_id: int, flags: int
) -> Notification:
    pos = start + 10
    if end - pos < 2:
        raise ParseError("notification op code is truncated", offset=_off(pos, start))
    (op,) = _unpack_i16(buf, pos)
    pos += 2
    if flags & FLAG_AFFINITY_TOPOLOGY_CHANGED:
        # The server never combines these; accepting it would mean guessing a layout.
        raise ParseError("notification with affinity-change flag", offset=12)
    if flags & FLAG_ERROR:
        status, message, pos = _read_error(buf, pos, start, end)
        return Notification(resource_id, op & 0xFFFF, status, message, bytes(buf[pos:end]), flags)
    return Notification(resource_id, op & 0xFFFF, 0, None, bytes(buf[pos:end]), flags)


def _read_error(buf: Buffer, pos: int, start: int, end: int) -> tuple[int, str | None, int]:
    if end - pos < 4:
        raise ParseError("error status is truncated", offset=_off(pos, start))
    (status,) = _unpack_i32(buf, pos)
    if status == 0:
        raise ParseError("error flag set with status 0", offset=_off(pos, start))
    message, pos = read_str(buf, pos + 4, end, base=start)
    return status, message, pos


def parse_message(frame: Buffer, *, partition_aware: bool = True) -> Response | Notification:
    """Parse one complete frame, length prefix included (for tests and tools).

    The length prefix must match ``len(frame)`` exactly.
    """
    if len(frame) < LENGTH_PREFIX_SIZE:
        raise ParseError("frame is shorter than its length prefix", offset=0)
    (length,) = _unpack_i32(frame, 0)
    if length != len(frame) - LENGTH_PREFIX_SIZE:
        raise ParseError(
            f"length prefix {length} does not match {len(frame) - 4} body bytes", offset=0
        )
    return parse_frame(frame, LENGTH_PREFIX_SIZE, len(frame), partition_aware=partition_aware)


# -- the few typed values the header and the handshake need ---------------------------------


def _off(pos: int, start: int) -> int:
    """Offset of ``pos`` within the frame (length prefix included)."""
    return pos - start + LENGTH_PREFIX_SIZE


def read_str(buf: Buffer, pos: int, end: int, *, base: int) -> tuple[str | None, int]:
    """Read a typed string (or null) at ``pos``; returns the value and the next position."""
    if pos >= end:
        raise ParseError("string is truncated", offset=_off(pos, base))
    code = buf[pos]
    if code == _TYPE_NULL:
        return None, pos + 1
    if code != _TYPE_STRING:
        raise ParseError(f"expected a string, found type code {code}", offset=_off(pos, base))
    if end - pos < 5:
        raise ParseError("string length is truncated", offset=_off(pos, base))
    (length,) = _unpack_i32(buf, pos + 1)
    pos += 5
    if length < 0 or length > end - pos:
        raise ParseError(f"string length {length} is out of bounds", offset=_off(pos - 4, base))
    text = bytes(buf[pos : pos + length]).decode("utf-8", "replace")
    return text, pos + length


def read_byte_array(buf: Buffer, pos: int, end: int, *, base: int) -> tuple[bytes | None, int]:
    """Read a typed byte array (or null) at ``pos``."""
    if pos >= end:
        raise ParseError("byte array is truncated", offset=_off(pos, base))
    code = buf[pos]
    if code == _TYPE_NULL:
        return None, pos + 1
    if code != _TYPE_BYTE_ARRAY:
        raise ParseError(f"expected a byte array, found type code {code}", offset=_off(pos, base))
    if end - pos < 5:
        raise ParseError("byte array length is truncated", offset=_off(pos, base))
    (length,) = _unpack_i32(buf, pos + 1)
    pos += 5
    if length < 0 or length > end - pos:
        raise ParseError(f"byte array length {length} is out of bounds", offset=_off(pos - 4, base))
    return bytes(buf[pos : pos + length]), pos + length


def read_uuid(buf: Buffer, pos: int, end: int, *, base: int) -> tuple[uuid.UUID | None, int]:
    """Read a typed UUID (``0A``, msb i64 LE, lsb i64 LE) or null at ``pos``."""
    if pos >= end:
        raise ParseError("UUID is truncated", offset=_off(pos, base))
    code = buf[pos]
    if code == _TYPE_NULL:
        return None, pos + 1
    if code != _TYPE_UUID:
        raise ParseError(f"expected a UUID, found type code {code}", offset=_off(pos, base))
    if end - pos < 17:
        raise ParseError("UUID is truncated", offset=_off(pos, base))
    msb, lsb = _unpack_uuid(buf, pos + 1)
    value = ((msb & 0xFFFFFFFFFFFFFFFF) << 64) | (lsb & 0xFFFFFFFFFFFFFFFF)
    return uuid.UUID(int=value), pos + 17


def str_bytes(value: str | None) -> bytes:
    """A typed string: ``09``, the UTF-8 *byte* length, the bytes; ``65`` for ``None``."""
    if value is None:
        return b"\x65"
    data = value.encode("utf-8")
    return b"\x09" + _I32.pack(len(data)) + data


def byte_array_bytes(value: bytes) -> bytes:
    """A typed byte array: ``0C``, i32 length, the bytes."""
    return b"\x0c" + _I32.pack(len(value)) + value
