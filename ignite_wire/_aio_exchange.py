"""One flow's exchange with one node: send, note what the answers say, report, name the node.

The asyncio twin of this module is the source; ``tools/unasync.py`` generates the sync
one.  The node pool chooses the connection; this drives an operation's flow over it and does what
every request needs on the way: a debug line per request, the topology version an answer
announces noted in the partition-map table, a lost connection reported to the pool (so it
starts bringing the node back), the query events of :mod:`._query_events` published to
listeners, and the node named on every error (the server's verdicts are made without
knowing where they travelled).

:class:`Begun` is :func:`exchange` with the flow's first request sent at once, its
answer taken later (a cursor's next page, asked for before the current one is decoded).

:func:`request_once` is the same exchange for a request that is a whole operation (the
single-key short path of the cache calls): no flow to drive, the same debug line,
topology note, loss report, query events and node on errors.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from ._protocol.affinity import AffinityTable
from ._protocol.flow import Flow, Request, drive_async, error_for_response, start_flow
from ._protocol.messages import Buffer, Response
from ._protocol.opcodes import op_name
from ._query_events import query_finished, query_started
from ._transport.aio import Ahead, AioConnection
from .exceptions import IgniteError, SocketError
from .monitoring import EventDispatcher, logger

__all__ = ["Begun", "exchange", "request_once"]

T = TypeVar("T")

#: The logger's own cache of ``isEnabledFor`` answers by level (cleared in place by
#: ``logging`` whenever a level changes): ``False`` there is the answer without the
#: call, for :func:`request_once`'s every request (issue 12); anything else asks.
_LEVELS: dict[int, bool] = getattr(logger, "_cache", {})


async def _send(
    conn: AioConnection,
    request: Request,
    timeout: float | None,
    affinity: AffinityTable,
    on_lost: Callable[[], None],
    checked: bool = False,
) -> Response:
    """One request and its response; the topology version noted.

    ``checked``: a failed response raises its error, and every error names the node
    (what :func:`exchange` does around a flow; :func:`request_once` has no flow).
    """
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("%s -> %s (node %s)", op_name(request.op), conn.address, conn.node_id)
    try:
        response = await conn.request(request.op, request.payload, timeout)
    except IgniteError as exc:
        _failed(exc, conn, on_lost, checked)
        raise
    if response.affinity_version is not None:
        affinity.observe(response.affinity_version)
    if checked and response.status != 0 and request.raise_on_error:
        raise error_for_response(response, request, node=str(conn.address))
    return response


def _failed(
    exc: IgniteError, conn: AioConnection, on_lost: Callable[[], None], checked: bool
) -> None:
    """A request on ``conn`` raised ``exc``: a lost connection reported, the node named."""
    if isinstance(exc, SocketError):
        on_lost()  # a node just failed: start bringing it back
    if checked and exc.node is None:
        exc.node = str(conn.address)


async def _send_observed(
    conn: AioConnection,
    request: Request,
    timeout: float | None,
    affinity: AffinityTable,
    on_lost: Callable[[], None],
    events: EventDispatcher,
    query_ids: Iterator[int],
    checked: bool = False,
) -> Response:
    """:func:`_send`, with the query listeners told of its start and its outcome."""
    query_id = next(query_ids)
    started = time.perf_counter()
    address, node_id, op = conn.address, conn.node_id, request.op
    events.publish(*query_started(address, node_id, query_id, op), queries=True)
    outcome: Response | IgniteError
    try:
        outcome = await _send(conn, request, timeout, affinity, on_lost)
    except IgniteError as exc:
        outcome = exc
    elapsed = (time.perf_counter() - started) * 1000
    events.publish(*query_finished(address, node_id, query_id, op, elapsed, outcome), queries=True)
    if isinstance(outcome, IgniteError):
        if checked and outcome.node is None:
            outcome.node = str(address)
        raise outcome
    if checked and outcome.status != 0 and request.raise_on_error:
        raise error_for_response(outcome, request, node=str(address))
    return outcome


async def exchange(
    conn: AioConnection,
    flow: Flow[T],
    *,
    timeout: float | None,
    affinity: AffinityTable,
    events: EventDispatcher | None,
    query_ids: Iterator[int],
    on_lost: Callable[[], None],
) -> T:
    """Drive ``flow`` on ``conn``; ``timeout`` overrides the request timeout when given.

    ``on_lost`` is called when a request meets a broken connection; ``query_ids``
    numbers the requests that query listeners see.
    """

    async def send(request: Request) -> Response:
        return await _send(conn, request, timeout, affinity, on_lost)

    async def send_observed(request: Request) -> Response:
        assert events is not None
        return await _send_observed(conn, request, timeout, affinity, on_lost, events, query_ids)

    try:
        if events is not None and events.query:
            return await drive_async(flow, send_observed)
        return await drive_async(flow, send)
    except IgniteError as exc:
        if exc.node is None:
            exc.node = str(conn.address)
        raise


class Begun(Generic[T]):
    """A flow whose first request went out when this was made; :meth:`finish` takes its
    answer and drives the rest of the flow (a binary type to fetch, say) as
    :func:`exchange` does.

    Why (issue 12): a cursor's next page was fetched by a prefetch thread (an asyncio
    task), which could send the request only once it ran; the sync consumer holds the
    GIL while it iterates the current page, shorter than the interpreter's 5 ms switch
    interval, so the thread sent the request only when the consumer had used the page
    up and waited: measured in W6, the request left 0.02 ms *after* the consumer
    blocked, every page, and the node never worked while the client did.  Sent here,
    by the consumer itself, the node prepares the page meanwhile.

    Query listeners see the request start now and finish when its answer is taken.
    This holds no reference to the cursor: a cursor dropped with its next page in
    flight is freed at once (the transport then drops the answer).
    """

    __slots__ = ("_answer", "_conn", "_error", "_events", "_exchange", "_query", "_step")

    def __init__(
        self,
        conn: AioConnection,
        flow: Flow[T],
        *,
        affinity: AffinityTable,
        events: EventDispatcher | None,
        query_ids: Iterator[int],
        on_lost: Callable[[], None],
    ) -> None:
        self._conn = conn
        self._exchange = (flow, affinity, events, query_ids, on_lost)
        self._events = events if events is not None and events.query else None
        self._step = step = start_flow(flow)
        self._answer: Ahead | None = None
        self._error: IgniteError | None = None
        self._query: tuple[int, float] | None = None
        if not isinstance(step, Request):
            return
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s -> %s (node %s)", op_name(step.op), conn.address, conn.node_id)
        if self._events is not None:
            query_id = next(query_ids)
            self._query = (query_id, time.perf_counter())
            self._events.publish(
                *query_started(conn.address, conn.node_id, query_id, step.op), queries=True
            )
        try:
            self._answer = conn.request_ahead(step.op, step.payload)
        except IgniteError as exc:  # raised into the flow by finish(), as exchange() would
            self._error = exc

    async def _first(self, request: Request) -> Response:
        """The first request's answer (or its failure), noted as :func:`_send` notes it."""
        conn = self._conn
        _flow, affinity, _events, _ids, on_lost = self._exchange
        answer, self._answer = self._answer, None
        outcome: Response | IgniteError
        try:
            if self._error is not None:
                raise self._error
            assert answer is not None
            outcome = await answer  # unasync: outcome = answer.wait()
        except IgniteError as exc:
            _failed(exc, conn, on_lost, False)
            outcome = exc
        if self._events is not None and self._query is not None:
            query_id, started = self._query
            elapsed = (time.perf_counter() - started) * 1000
            self._events.publish(
                *query_finished(conn.address, conn.node_id, query_id, request.op, elapsed, outcome),
                queries=True,
            )
        if isinstance(outcome, IgniteError):
            raise outcome
        if outcome.affinity_version is not None:
            affinity.observe(outcome.affinity_version)
        return outcome

    async def answer(self) -> Response | None:
        """The first request's answer alone, the flow left unfinished; ``None`` if it
        failed.  For a cursor closed with its next page in flight: only the page's
        has-more flag matters then, and decoding the page would be wasted."""
        first = self._step
        if not isinstance(first, Request):
            return None
        try:
            return await self._first(first)
        except IgniteError:
            return None

    async def finish(self, answered: Callable[[Response], None] | None = None) -> T:
        """The flow's result (call once).  ``answered`` is called with the first
        request's successful answer before the flow reads it: a cursor asks for the page
        after this one there, so the node prepares it while this one is decoded and
        consumed (issue 12: a page then costs the longer of the node's time and the
        client's, not their sum)."""
        conn, first = self._conn, self._step
        flow, affinity, events, query_ids, on_lost = self._exchange

        async def send(request: Request) -> Response:
            if request is first:
                response = await self._first(request)
                if answered is not None and response.status == 0:
                    answered(response)
                return response
            if events is not None and events.query:
                return await _send_observed(
                    conn, request, None, affinity, on_lost, events, query_ids
                )
            return await _send(conn, request, None, affinity, on_lost)

        try:
            return await drive_async(flow, send, first)
        except IgniteError as exc:
            if exc.node is None:
                exc.node = str(conn.address)
            raise


async def request_once(
    affinity: AffinityTable,
    events: EventDispatcher | None,
    query_ids: Iterator[int],
    on_lost: Callable[[], None],
    conn: AioConnection,
    op: int,
    payload: Buffer,
    error_class: type[IgniteError],
) -> Response:
    """Send request ``op`` on ``conn``: its successful response, or its error (node named;
    ``error_class`` for a failure whose status means nothing more specific).

    The pool's own four arguments come first and positionally: the pool binds them with
    a ``functools.partial``, which calls through the vector protocol only when it holds
    no keywords (with keywords it builds and merges a dict on every call: 0.25 us more
    per request, issue 12).

    What :func:`exchange` does for a flow of this one request, without the flow, and
    without a :class:`Request` unless it is needed (a debug line, query listeners, an
    error): every call of the single-key short path comes through here (issue 12).
    """
    if (events is not None and events.query) or (
        _LEVELS.get(logging.DEBUG) is not False and logger.isEnabledFor(logging.DEBUG)
    ):
        request = Request(op, payload, error_class)
        if events is not None and events.query:
            return await _send_observed(
                conn, request, None, affinity, on_lost, events, query_ids, True
            )
        return await _send(conn, request, None, affinity, on_lost, True)
    try:
        response = await conn.request(op, payload, None)
    except IgniteError as exc:
        _failed(exc, conn, on_lost, True)
        raise
    if response.affinity_version is not None:
        affinity.observe(response.affinity_version)
    if response.status != 0:
        request = Request(op, payload, error_class)
        raise error_for_response(response, request, node=str(conn.address))
    return response
