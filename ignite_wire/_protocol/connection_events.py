"""What a :class:`~.connection.ProtocolConnection` hands out, and the states it is in.

Kept apart from the state machine (as h11 keeps ``_events.py`` and ``_state.py``) so
that transports and tests can name the events without reading the machine: the
:data:`NEED_DATA` sentinel, :class:`ConnectionClosed`, the :data:`Event` union
(handshake answers, responses, notifications, a clean close) and
:class:`ConnectionState`.  :mod:`.connection` re-exports every name.
"""

from __future__ import annotations

import enum
from typing import Final

from .handshake import HandshakeAccepted, HandshakeRejected
from .messages import Notification, Response

__all__ = ["NEED_DATA", "ConnectionClosed", "ConnectionState", "Event", "NeedData"]


class NeedData(enum.Enum):
    """Type of the :data:`NEED_DATA` sentinel."""

    NEED_DATA = "NEED_DATA"

    def __repr__(self) -> str:
        return "NEED_DATA"


#: Returned by :meth:`ProtocolConnection.next_event` when no complete frame is buffered.
NEED_DATA: Final = NeedData.NEED_DATA


class ConnectionClosed:
    """The peer closed the stream cleanly, between frames."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ConnectionClosed()"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ConnectionClosed)

    def __hash__(self) -> int:
        return hash(ConnectionClosed)


Event = HandshakeAccepted | HandshakeRejected | Response | Notification | ConnectionClosed


class ConnectionState(enum.Enum):
    """Where a :class:`ProtocolConnection` is in its life."""

    IDLE = "IDLE"
    HANDSHAKING = "HANDSHAKING"
    REJECTED = "REJECTED"
    READY = "READY"
    CLOSED = "CLOSED"
    ERROR = "ERROR"
