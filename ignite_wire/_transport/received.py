"""What one read of the sync transport brought in, sorted (no socket, no lock).

The reading thread of a :class:`.sync.SyncConnection` hands the bytes of one read to
:func:`take_events`, which feeds them to the protocol state and returns every complete
event: the responses, to be filed under their request ids by :func:`file_responses`
(under the connection's lock, so that waiting threads find them), and the notifications,
dispatched afterwards outside the lock (a listener may take its time).  An end of stream
is reported, not raised: the caller closes the connection with its own words.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from .._protocol.connection import ConnectionClosed, NeedData, ProtocolConnection
from .._protocol.messages import Buffer, Notification, Response

__all__ = ["drain_events", "file_responses", "take_events"]


def take_events(
    protocol: ProtocolConnection, data: Buffer
) -> tuple[list[Response], list[Notification], bool]:
    """``(responses, notifications, closed)`` after ``data``; ``closed``: the peer ended
    the stream (at a frame boundary).

    Raises:
        ProtocolError: the bytes break the protocol (the protocol state is now failed).
    """
    protocol.receive_data(data)
    return drain_events(protocol)


def drain_events(protocol: ProtocolConnection) -> tuple[list[Response], list[Notification], bool]:
    """:func:`take_events` for bytes already given to ``protocol``."""
    responses: list[Response] = []
    notifications: list[Notification] = []
    while True:
        event = protocol.next_event()
        if type(event) is Response:
            responses.append(event)
        elif isinstance(event, Notification):
            notifications.append(event)
        elif isinstance(event, NeedData):
            return responses, notifications, False
        elif isinstance(event, ConnectionClosed):
            return responses, notifications, True


def file_responses(
    waiting: MutableMapping[int, Response | object], responses: list[Response], abandoned: object
) -> None:
    """File each response under its request id in ``waiting``; a response whose request
    is not waiting (marked ``abandoned`` when it timed out, or unknown) is dropped."""
    for response in responses:
        request_id = response.request_id
        if waiting.get(request_id, abandoned) is abandoned:
            waiting.pop(request_id, None)
        else:
            waiting[request_id] = response
