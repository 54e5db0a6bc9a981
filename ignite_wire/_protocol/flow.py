"""Flows: an operation written once, driven by the sync client and by the asyncio client.

A *flow* is a generator that yields the :class:`Request` it needs answered and is resumed
with the :class:`~.messages.Response`; its return value is the operation's result::

    def get_flow(cache_id: int, key: bytes) -> Flow[bytes | None]:
        response = yield Request(OpCode.CACHE_GET, header(cache_id) + key, CacheError)
        return decode(response.payload)

Paging a cursor, negotiating an unknown binary type, a transaction: each is one flow with
several yields.  The flow holds all protocol logic; the drivers below hold none, which is
what keeps the sync and async clients from drifting apart (psycopg 3's generators plus
waiters, httpx's auth flows).

Contract between a flow and its driver:

* The driver sends each yielded request and waits for *its* response (matching by request
  id, the choice of connection, retries: all the caller's business).
* **An error response is raised into the flow** at the ``yield``, as the exception its
  status maps to, with the request's ``error_class`` as default (see :mod:`.status`).  A
  flow that wants to handle it (fall back, retry after registering a type) catches it; one
  that does not lets it propagate out of the driver unchanged.  A request with
  ``raise_on_error=False`` instead receives the failed :class:`~.messages.Response`.
* **A transport failure is raised into the flow** the same way, so ``try/finally`` in a
  flow runs (e.g. to forget a cursor) whatever went wrong.
* The error carries ``op`` and ``status``; it has no ``node``, which only the driver's
  caller knows (``IgniteError.node`` is a plain attribute it may fill in).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Generic, TypeAlias, TypeVar

from ..exceptions import IgniteError, ServerError
from .messages import Buffer, Response
from .opcodes import op_name
from .status import make_status_error

__all__ = [
    "AsyncSendAndWait",
    "Flow",
    "Request",
    "SendAndWait",
    "drive_async",
    "drive_sync",
    "error_for_response",
    "raise_for_response",
    "start_flow",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Request:
    """One request a flow needs answered.

    ``error_class`` is the default exception for a failed response (status codes with a
    specific meaning override it).  A request says nothing of where it goes: the client
    routes by the connection it drives the flow on.
    """

    op: int
    payload: Buffer = b""
    error_class: type[IgniteError] = ServerError
    raise_on_error: bool = True


#: ``Flow[T]``: yields requests, receives responses, returns ``T``.
Flow: TypeAlias = Generator[Request, Response, T]
#: The sync driver's I/O: send one request, block until its response.
SendAndWait: TypeAlias = Callable[[Request], Response]
#: The async driver's I/O: send one request, await its response.
AsyncSendAndWait: TypeAlias = Callable[[Request], Awaitable[Response]]


def error_for_response(
    response: Response,
    request: Request | None = None,
    *,
    op: int | None = None,
    node: str | None = None,
) -> IgniteError:
    """The exception a failed ``response`` maps to (``request`` gives the default class)."""
    default = request.error_class if request is not None else ServerError
    code = op if op is not None else request.op if request is not None else None
    return make_status_error(
        response.status,
        response.message,
        default=default,
        op=op_name(code) if code is not None else None,
        node=node,
    )


def raise_for_response(response: Response, request: Request | None = None) -> Response:
    """Return ``response`` if it succeeded, else raise its mapped exception."""
    if response.status != 0:
        raise error_for_response(response, request)
    return response


class _Done(Generic[T]):
    """The flow returned ``value``."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value


def start_flow(flow: Flow[T]) -> Request | _Done[T]:
    """The flow's first request, or what it returned without asking anything: a driver
    that sends the first request early (``_aio_exchange.Begun``) starts the flow itself
    and hands this to :func:`drive_sync`/:func:`drive_async` as ``step``."""
    try:
        return next(flow)
    except StopIteration as stop:
        return _Done(stop.value)


def _resume(flow: Flow[T], request: Request, response: Response) -> Request | _Done[T]:
    try:
        if response.status != 0 and request.raise_on_error:
            return flow.throw(error_for_response(response, request))
        return flow.send(response)
    except StopIteration as stop:
        return _Done(stop.value)


def _throw(flow: Flow[T], error: BaseException) -> Request | _Done[T]:
    try:
        return flow.throw(error)
    except StopIteration as stop:
        return _Done(stop.value)


def drive_sync(
    flow: Flow[T], send_and_wait: SendAndWait, step: Request | _Done[T] | None = None
) -> T:
    """Run ``flow`` to completion, blocking in ``send_and_wait`` for each response;
    ``step``: the flow was started already (:func:`start_flow`), this is where it is."""
    if step is None:
        step = start_flow(flow)
    while not isinstance(step, _Done):
        try:
            response = send_and_wait(step)
        except BaseException as exc:
            step = _throw(flow, exc)
            continue
        step = _resume(flow, step, response)
    return step.value


async def drive_async(
    flow: Flow[T], send_and_wait: AsyncSendAndWait, step: Request | _Done[T] | None = None
) -> T:
    """Run ``flow`` to completion, awaiting ``send_and_wait`` for each response;
    ``step`` as in :func:`drive_sync`."""
    if step is None:
        step = start_flow(flow)
    while not isinstance(step, _Done):
        try:
            response = await send_and_wait(step)
        except BaseException as exc:
            step = _throw(flow, exc)
            continue
        step = _resume(flow, step, response)
    return step.value
