"""Continuous queries: op 2006 starts one, notifications 2007 carry its events.

Layouts, checked against the bytecode of Ignite 2.17's ``ClientCacheQueryContinuousRequest``,
``ClientCacheQueryContinuousResponse`` and ``ClientCacheEntryEventNotification``::

    request (2006)   cache header | i32 pageSize | i64 timeIntervalMs | bool includeExpired
                         | filter object (65 = null) [| i8 filter platform, if not null]
    response         i64 resourceId
    event (2007)     i32 count | (key | oldValue | value | i8 eventType) * count

The server has **no initial query** in this request (the Java thin client runs its
initial query as a separate scan, after the listener is registered, and so do we: an
entry changed in between may be seen twice, never missed).  ``pageSize`` is the
server-side buffer: events are batched until it fills or ``timeInterval`` passes (0:
only when it fills; 1 means each event is sent at once).  Closing is RESOURCE_CLOSE
with the resource id; a dropped connection ends the query on the server too.

Decoding an event batch may need binary types the client has not seen: the batch is
decoded by the consumer with :func:`~.common.decode_with_types`, never on the reader.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass
from typing import Any

from ...exceptions import ParseError, SQLError
from ..buffer import Buffer
from ..codec import decode_value
from ..context import CodecContext
from ..flow import Flow, Request
from ..opcodes import OpCode

__all__ = [
    "CacheEntryEvent",
    "EventType",
    "EventsMissed",
    "InitialEntry",
    "decode_events",
    "start_continuous_query",
    "stop_continuous_query",
]

_START = struct.Struct("<iq?")
_I32 = struct.Struct("<i")
_I64 = struct.Struct("<q")
_NULL = 0x65


class EventType(enum.IntEnum):
    """What happened to an entry (JCache's ``EventType``; the value is the wire byte)."""

    CREATED = 0
    UPDATED = 1
    REMOVED = 2
    EXPIRED = 3


@dataclass(frozen=True, slots=True)
class CacheEntryEvent:
    """One change: ``value`` is ``None`` for REMOVED and EXPIRED, ``old_value`` for CREATED."""

    type: EventType
    key: Any
    old_value: Any
    value: Any


@dataclass(frozen=True, slots=True)
class InitialEntry:
    """An entry that existed when the query started (from the initial scan)."""

    key: Any
    value: Any


@dataclass(frozen=True, slots=True)
class EventsMissed:
    """Events may have been lost here: the subscription's node or connection failed.

    The query was started again on another node (``resumed`` is True), or could not be
    (``resumed`` is False and the iteration ends after this event).  Changes made between
    the failure and the restart are not reported; re-read what matters.
    """

    reason: str
    node: str | None
    resumed: bool


def start_continuous_query(
    header: bytearray,
    *,
    buffer_size: int,
    time_interval_ms: int,
    include_expired: bool,
) -> Flow[int]:
    """QUERY_CONTINUOUS: register a listener; returns the resource id of its events."""
    header += _START.pack(buffer_size, time_interval_ms, include_expired)
    header.append(_NULL)  # no remote filter (a Java class the server would need)
    response = yield Request(OpCode.QUERY_CONTINUOUS, header, SQLError)
    payload = response.payload
    if len(payload) < 8:
        raise ParseError("continuous query answer ends before its resource id", offset=0)
    (resource_id,) = _I64.unpack_from(payload, 0)
    return int(resource_id)


def stop_continuous_query(resource_id: int) -> Flow[None]:
    """RESOURCE_CLOSE: stop the query on the server."""
    yield Request(OpCode.RESOURCE_CLOSE, _I64.pack(resource_id), SQLError)


def decode_events(payload: Buffer, ctx: CodecContext) -> list[CacheEntryEvent]:
    """The events of one 2007 notification (raises ``NeedBinaryType`` for unknown types)."""
    if len(payload) < 4:
        raise ParseError("continuous query event ends before its count", offset=0)
    (count,) = _I32.unpack_from(payload, 0)
    pos = 4
    if count < 0 or 4 * count > len(payload) - pos:
        raise ParseError(f"{count} events exceed the notification's bytes", offset=0)
    events: list[CacheEntryEvent] = []
    for _ in range(count):
        key, pos = decode_value(payload, pos, ctx)
        old, pos = decode_value(payload, pos, ctx)
        new, pos = decode_value(payload, pos, ctx)
        if pos >= len(payload):
            raise ParseError("continuous query event ends before its type", offset=pos)
        code = payload[pos]
        try:
            kind = EventType(code)
        except ValueError:
            raise ParseError(f"unknown cache event type {code}", offset=pos) from None
        pos += 1
        events.append(CacheEntryEvent(kind, key, old, new))
    if pos != len(payload):
        raise ParseError(f"{len(payload) - pos} bytes after the last event", offset=pos)
    return events
