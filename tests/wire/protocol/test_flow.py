"""Flows: one generator per operation, run identically by the sync and the async driver."""

from __future__ import annotations

import asyncio
import struct
import uuid
from collections.abc import Callable, Iterator

import pytest

from ignite_wire._protocol.connection import NEED_DATA, ProtocolConnection
from ignite_wire._protocol.flow import (
    Flow,
    Request,
    drive_async,
    drive_sync,
    error_for_response,
    raise_for_response,
)
from ignite_wire._protocol.handshake import HandshakeAccepted
from ignite_wire._protocol.messages import Response
from ignite_wire._protocol.opcodes import OpCode
from ignite_wire.exceptions import (
    CacheDoesNotExistError,
    CacheError,
    ServerError,
    SocketError,
    SQLError,
)

Responder = Callable[[Request], Response]


def run(driver: str, flow: Flow[object], responder: Responder) -> object:
    """Drive ``flow`` with the named driver; ``responder`` plays the server."""
    if driver == "sync":
        return drive_sync(flow, responder)

    async def send_and_wait(request: Request) -> Response:
        await asyncio.sleep(0)
        return responder(request)

    return asyncio.run(drive_async(flow, send_and_wait))


drivers = pytest.mark.parametrize("driver", ["sync", "async"])


def ok(payload: bytes = b"", request_id: int = 1) -> Response:
    return Response(request_id, 0, None, payload)


def failed(status: int, message: str = "boom") -> Response:
    return Response(1, status, message, b"", 1)


# -- flows used by the tests -----------------------------------------------------------------


def get_flow(key: bytes) -> Flow[bytes]:
    response = yield Request(OpCode.CACHE_GET, key, CacheError)
    return response.payload


def constant_flow() -> Flow[int]:
    return 42
    yield  # pragma: no cover - makes this a generator


def paging_flow() -> Flow[list[int]]:
    """SQL-like paging: the first byte of each page says whether more pages follow."""
    rows: list[int] = []
    response = yield Request(OpCode.QUERY_SQL_FIELDS, b"select", SQLError)
    while True:
        rows.extend(response.payload[1:])
        if not response.payload[0]:
            return rows
        response = yield Request(OpCode.QUERY_SQL_FIELDS_CURSOR_GET_PAGE, b"cursor", SQLError)


def create_on_missing_flow() -> Flow[str]:
    try:
        yield Request(OpCode.CACHE_GET, b"k", CacheError)
    except CacheDoesNotExistError:
        yield Request(OpCode.CACHE_CREATE_WITH_NAME, b"c", CacheError)
        yield Request(OpCode.CACHE_GET, b"k", CacheError)
        return "created"
    return "existed"


# -- tests -----------------------------------------------------------------------------------


@drivers
def test_single_request(driver: str) -> None:
    seen: list[Request] = []

    def responder(request: Request) -> Response:
        seen.append(request)
        return ok(b"value")

    assert run(driver, get_flow(b"key"), responder) == b"value"
    assert seen == [Request(OpCode.CACHE_GET, b"key", CacheError)]


@drivers
def test_flow_without_requests(driver: str) -> None:
    def responder(request: Request) -> Response:
        raise AssertionError("no request expected")

    assert run(driver, constant_flow(), responder) == 42


@drivers
def test_paging(driver: str) -> None:
    pages = iter([b"\x01\x01\x02", b"\x01\x03", b"\x00\x04\x05"])
    ops: list[int] = []

    def responder(request: Request) -> Response:
        ops.append(request.op)
        return ok(next(pages))

    assert run(driver, paging_flow(), responder) == [1, 2, 3, 4, 5]
    assert ops == [2004, 2005, 2005]


@drivers
def test_error_response_raises_the_operation_default(driver: str) -> None:
    with pytest.raises(SQLError) as info:
        run(driver, paging_flow(), lambda request: failed(1, "Table FOO not found"))
    assert type(info.value) is SQLError
    assert info.value.status == 1
    assert info.value.op == "QUERY_SQL_FIELDS"
    assert info.value.message == "Table FOO not found"


@drivers
def test_specific_status_wins(driver: str) -> None:
    with pytest.raises(CacheDoesNotExistError) as info:
        run(driver, paging_flow(), lambda request: failed(1000))
    assert info.value.op == "QUERY_SQL_FIELDS"


@drivers
def test_flow_can_handle_an_error(driver: str) -> None:
    answers = iter([failed(1000), ok(), ok(b"v")])
    assert run(driver, create_on_missing_flow(), lambda request: next(answers)) == "created"
    assert run(driver, create_on_missing_flow(), lambda request: ok()) == "existed"


@drivers
def test_raise_on_error_false_hands_over_the_response(driver: str) -> None:
    def flow() -> Flow[int]:
        response = yield Request(OpCode.RESOURCE_CLOSE, b"", raise_on_error=False)
        return response.status

    assert run(driver, flow(), lambda request: failed(1011)) == 1011


@drivers
def test_transport_error_is_raised_into_the_flow(driver: str) -> None:
    cleaned: list[bool] = []

    def flow() -> Flow[bytes]:
        try:
            response = yield Request(OpCode.CACHE_GET)
            return response.payload
        finally:
            cleaned.append(True)

    def broken(request: Request) -> Response:
        raise SocketError("connection reset")

    with pytest.raises(SocketError, match="connection reset"):
        run(driver, flow(), broken)
    assert cleaned == [True]


@drivers
def test_flow_can_retry_after_a_transport_error(driver: str) -> None:
    def flow() -> Flow[bytes]:
        for _attempt in range(3):
            try:
                response = yield Request(OpCode.CACHE_GET)
            except SocketError:
                continue
            return response.payload
        raise AssertionError("unreachable")

    attempts: Iterator[Response | SocketError] = iter(
        [SocketError("down"), SocketError("down"), ok(b"third time")]
    )

    def flaky(request: Request) -> Response:
        outcome = next(attempts)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    assert run(driver, flow(), flaky) == b"third time"


def test_async_cancellation_reaches_the_flow() -> None:
    cleaned: list[bool] = []

    def flow() -> Flow[bytes]:
        try:
            response = yield Request(OpCode.CACHE_GET)
            return response.payload
        finally:
            cleaned.append(True)

    async def hang(request: Request) -> Response:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    async def main() -> None:
        task = asyncio.ensure_future(drive_async(flow(), hang))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert cleaned == [True]


def test_error_helpers() -> None:
    request = Request(OpCode.TX_END, b"", CacheError)
    error = error_for_response(failed(1021, "no tx"), request, node="n:1")
    assert type(error).__name__ == "TransactionError"
    assert (error.op, error.status, error.node) == ("TX_END", 1021, "n:1")
    assert type(error_for_response(failed(1))) is ServerError
    assert error_for_response(failed(1), op=OpCode.CACHE_PUT).op == "CACHE_PUT"
    response = ok(b"x")
    assert raise_for_response(response) is response
    with pytest.raises(CacheError):
        raise_for_response(failed(1), request)


# -- end to end through a ProtocolConnection ---------------------------------------------------

_REQUEST = struct.Struct("<ihq")


class FakeServer:
    """Answers every request frame with its payload reversed, through a real connection."""

    def __init__(self) -> None:
        self.conn = ProtocolConnection()
        self.conn.start_handshake()
        node = uuid.UUID(int=1)
        msb, lsb = divmod(node.int, 1 << 64)
        answer = b"\x01" + b"\x0c\x01\x00\x00\x00\x04" + b"\x0a" + struct.pack("<qq", msb, lsb)
        self.conn.receive_data(struct.pack("<i", len(answer)) + answer)
        assert isinstance(self.conn.next_event(), HandshakeAccepted)

    def send_and_wait(self, request: Request) -> Response:
        request_id, frame = self.conn.send_request(request.op, request.payload)
        length, op, sent_id = _REQUEST.unpack_from(frame)
        assert (length, op, sent_id) == (len(frame) - 4, request.op, request_id)
        body = struct.pack("<qh", sent_id, 0) + frame[14:][::-1]
        # deliver in two pieces to exercise NEED_DATA on the way
        self.conn.receive_data(struct.pack("<i", len(body)) + body[:3])
        assert self.conn.next_event() is NEED_DATA
        self.conn.receive_data(body[3:])
        event = self.conn.next_event()
        assert isinstance(event, Response)
        assert event.request_id == request_id
        return event


@drivers
def test_end_to_end(driver: str) -> None:
    server = FakeServer()
    assert run(driver, get_flow(b"abc"), server.send_and_wait) == b"cba"
    assert run(driver, get_flow(b"xyz"), server.send_and_wait) == b"zyx"
    assert server.conn.next_request_id() == 3
