"""Event listeners: what the client did, on which node, how long it took.

pyignite's interface, so listeners written for it work here::

    from ignite_wire import Client, monitoring

    class QueryLogger(monitoring.QueryEventListener):
        def on_query_success(self, event):
            print(f"{event.op_name} on {event.host}:{event.port} ({event.node_uuid}) "
                  f"took {event.duration} ms")

    client = Client(event_listeners=[QueryLogger()])

Events are delivered synchronously, on the thread (or in the task) that made the request:
keep handlers fast.  An exception in a handler is logged and otherwise ignored; it never
breaks the operation.  Besides listeners, the client logs through the standard
``logging`` module under the ``ignite_wire`` logger (connections at INFO, requests at
DEBUG).  No event, log record or repr ever carries a password.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AuthenticationFailedEvent",
    "ConnectionClosedEvent",
    "ConnectionEventListener",
    "ConnectionLostEvent",
    "HandshakeFailedEvent",
    "HandshakeStartEvent",
    "HandshakeSuccessEvent",
    "QueryEventListener",
    "QueryFailEvent",
    "QueryStartEvent",
    "QuerySuccessEvent",
]

logger = logging.getLogger("ignite_wire")


@dataclass(frozen=True, slots=True)
class HandshakeStartEvent:
    """A connection to ``host:port`` is being opened."""

    host: str
    port: int
    protocol_version: tuple[int, int, int] | None = None


@dataclass(frozen=True, slots=True)
class HandshakeSuccessEvent:
    """The node ``node_uuid`` at ``host:port`` accepted the handshake."""

    host: str
    port: int
    protocol_version: tuple[int, int, int] | None
    node_uuid: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class HandshakeFailedEvent:
    """Connecting or the handshake failed; ``error_msg`` says why."""

    host: str
    port: int
    protocol_version: tuple[int, int, int] | None
    error_msg: str


@dataclass(frozen=True, slots=True)
class AuthenticationFailedEvent:
    """The node refused the credentials (the message never contains the password)."""

    host: str
    port: int
    protocol_version: tuple[int, int, int] | None
    error_msg: str


@dataclass(frozen=True, slots=True)
class ConnectionClosedEvent:
    """The client closed its connection to the node."""

    host: str
    port: int
    node_uuid: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class ConnectionLostEvent:
    """The connection broke (node down, network, protocol error)."""

    host: str
    port: int
    node_uuid: uuid.UUID | None
    error_msg: str


@dataclass(frozen=True, slots=True)
class QueryStartEvent:
    """A request was sent; ``query_id`` pairs it with its success or failure event."""

    host: str
    port: int
    node_uuid: uuid.UUID | None
    query_id: int
    op_code: int
    op_name: str


@dataclass(frozen=True, slots=True)
class QuerySuccessEvent:
    """A request succeeded after ``duration`` milliseconds."""

    host: str
    port: int
    node_uuid: uuid.UUID | None
    query_id: int
    op_code: int
    op_name: str
    duration: float


@dataclass(frozen=True, slots=True)
class QueryFailEvent:
    """A request failed after ``duration`` milliseconds with ``error_msg``."""

    host: str
    port: int
    node_uuid: uuid.UUID | None
    query_id: int
    op_code: int
    op_name: str
    duration: float
    error_msg: str


class ConnectionEventListener:
    """Override the methods for the events you want; the defaults do nothing."""

    def on_handshake_start(self, event: HandshakeStartEvent) -> None:
        pass

    def on_handshake_success(self, event: HandshakeSuccessEvent) -> None:
        pass

    def on_handshake_fail(self, event: HandshakeFailedEvent) -> None:
        pass

    def on_authentication_fail(self, event: AuthenticationFailedEvent) -> None:
        pass

    def on_connection_closed(self, event: ConnectionClosedEvent) -> None:
        pass

    def on_connection_lost(self, event: ConnectionLostEvent) -> None:
        pass


class QueryEventListener:
    """Override the methods for the events you want; the defaults do nothing."""

    def on_query_start(self, event: QueryStartEvent) -> None:
        pass

    def on_query_success(self, event: QuerySuccessEvent) -> None:
        pass

    def on_query_fail(self, event: QueryFailEvent) -> None:
        pass


class EventDispatcher:
    """Fans events out to the listeners of one client (internal)."""

    __slots__ = ("connection", "query")

    def __init__(self, listeners: Any = ()) -> None:
        listeners = list(listeners or ())
        for listener in listeners:
            if not isinstance(listener, (ConnectionEventListener, QueryEventListener)):
                from .exceptions import ParameterError

                raise ParameterError(
                    "event_listeners: each must be a ConnectionEventListener or a "
                    f"QueryEventListener, got {listener!r}"
                )
        self.connection = [x for x in listeners if isinstance(x, ConnectionEventListener)]
        self.query = [x for x in listeners if isinstance(x, QueryEventListener)]

    def publish(self, method: str, event: Any, *, queries: bool = False) -> None:
        for listener in self.query if queries else self.connection:
            try:
                getattr(listener, method)(event)
            except Exception:  # a listener must never break the client
                logger.exception("event listener %r failed in %s", listener, method)
