"""What query listeners are told about a request (``_query_events.py``), no server."""

from __future__ import annotations

import uuid

from ignite_wire._protocol.messages import Response
from ignite_wire._protocol.opcodes import OpCode
from ignite_wire._query_events import query_finished, query_started
from ignite_wire._transport.options import Address
from ignite_wire.exceptions import SocketError
from ignite_wire.monitoring import QueryFailEvent, QueryStartEvent, QuerySuccessEvent

WHERE = Address("127.0.0.1", 10800)
NODE = uuid.UUID(int=5)
OP = OpCode.CACHE_GET


def test_start_event_names_the_node_and_the_operation() -> None:
    method, event = query_started(WHERE, NODE, 3, OP)
    assert method == "on_query_start"
    assert event == QueryStartEvent("127.0.0.1", 10800, NODE, 3, OP, "CACHE_GET")


def test_a_status_zero_response_is_a_success() -> None:
    method, event = query_finished(WHERE, NODE, 3, OP, 1.5, Response(1, 0, None, b""))
    assert method == "on_query_success"
    assert event == QuerySuccessEvent("127.0.0.1", 10800, NODE, 3, OP, "CACHE_GET", 1.5)


def test_an_error_status_is_a_failure_with_the_servers_message() -> None:
    response = Response(1, 1000, "cache does not exist", b"")
    method, event = query_finished(WHERE, NODE, 4, OP, 2.0, response)
    assert method == "on_query_fail"
    assert event == QueryFailEvent(
        "127.0.0.1", 10800, NODE, 4, OP, "CACHE_GET", 2.0, "cache does not exist"
    )
    _, silent = query_finished(WHERE, None, 4, OP, 2.0, Response(1, 1, None, b""))
    assert isinstance(silent, QueryFailEvent)
    assert silent.error_msg == ""


def test_an_exception_is_a_failure_with_its_message() -> None:
    error = SocketError("connection to 127.0.0.1:10800 lost")
    method, event = query_finished(WHERE, NODE, 5, OP, 0.25, error)
    assert method == "on_query_fail"
    assert isinstance(event, QueryFailEvent)
    assert event.error_msg == "connection to 127.0.0.1:10800 lost"
    assert event.duration == 0.25
