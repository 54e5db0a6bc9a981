"""Query cursors: scan, SQL rows, SQL entries.

A cursor sends the page requests and waits for them, one page ahead; what it knows between
pages (buffer, cursor id, ``max_rows``) is a
:class:`~ignite_wire._cursor_state.CursorState`.

One page ahead (issue 12): when a page's answer is taken, its bytes say whether another
page follows, and the request for that one leaves at once, *before* this page is decoded,
so the node prepares page k+2 while the client decodes and hands out page k+1.  A page then
costs the longer of the node's time and the client's, where asking after the decode (or
once the page was used up) cost their sum: in W6 the node and the client each take about a
millisecond per page of 1024 objects.  The bound: the page being decoded or consumed, plus
one request in flight (or its answer waiting in the socket).  The consumer sends and takes
everything itself, on its own thread or task; a prefetch thread or task could send only
when the consumer blocked (the sync one holds the GIL through a page, under the 5 ms switch
interval; an ``async for`` over a page never yields to the loop), and decoding there took
the same GIL.
"""

# unasync-skip-start
# The source of _sync_cursors.py: ``python tools/unasync.py`` generates it from this file.
# unasync-skip-end

from __future__ import annotations

from collections.abc import Callable, Generator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from . import _facade
from ._aio_exchange import Begun
from ._arguments import value_type_of
from ._cursor_state import CursorState
from ._protocol.context import CodecContext
from ._protocol.flow import Flow
from ._protocol.messages import Response
from ._protocol.opcodes import OpCode
from ._protocol.ops import query
from ._protocol.ops.query import ScanPage, SqlPage
from ._transport.aio import AioConnection
from .exceptions import (
    SQLError,
)

# unasync: from itertools import chain
# unasync: from collections.abc import Iterator

if TYPE_CHECKING:
    from .aio_cache import AioCache  # unasync: from .cache import Cache
    from .aio_client import AioClient  # unasync: from .client import Client

__all__ = ["AioScanCursor", "AioSqlCursor", "AioSqlRowCursor"]

#: The page type of a cursor (entries or SQL rows).
T = TypeVar("T", ScanPage, SqlPage)
CursorT = TypeVar("CursorT", bound="_AioCursor[Any]")
#: What ``CursorState.pop_or`` answers when the current page is used up.
_NO_ITEM: Any = object()


class _AioCursor(Generic[T]):
    """A server cursor read page by page on the connection that opened it.

    The page flows are resumed on that connection; a cursor dropped before its last page
    is queued on the client and closed with its next request (never from ``__del__``,
    which may run inside a lock or on another thread).  The page bookkeeping is a
    :class:`~ignite_wire._cursor_state.CursorState`; this class does the I/O around it.
    """

    def __init__(
        self,
        client: AioClient,
        cache_id: int,
        first_page: Callable[[CodecContext, bytearray], Flow[T]],
        expiry: bytes = b"",
        partition: int = -1,
        state: CursorState | None = None,
    ) -> None:
        self._client = client
        self._cache_id = cache_id
        self._partition = partition
        self._first_page: Callable[[CodecContext, bytearray], Flow[T]] = first_page
        self._expiry = expiry
        self._conn: AioConnection | None = None
        self._state = state or CursorState()
        self._started = False
        self._closed = False
        #: The next page's request, sent, its answer not taken yet (one page ahead).
        self._next: Begun[T] | None = None

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open" if self._started else "not started"
        where = f" on {self._conn.address}" if self._conn is not None else ""
        return f"<{type(self).__name__} cache_id={self._cache_id} {state}{where}>"

    @property
    def _cursor_id(self) -> int | None:
        return self._state.cursor_id

    async def _start(self) -> None:
        if self._started:
            return
        self._started = True
        client = self._client
        header, txs = _facade.make_header(client, self._cache_id, self._expiry, AioConnection)
        conn: AioConnection | None
        if txs is not None:
            conn = txs.connection
        else:
            # A one-partition scan is answered by the partition's primary node directly.
            conn = await client._pool.for_partition(self._cache_id, self._partition)
        if conn is None:
            conn = await client._current()
        self._conn = conn
        page = await client._run(self._first_page(client._context(), header), conn)
        self._take(page)
        self._ahead()

    def _ahead(self) -> None:
        """Ask for the next page now, if one is wanted and none is asked for yet: after
        the first page, and after a page whose bytes could not say (see
        :meth:`_answered`)."""
        if self._next is None and self._state.wants_page:
            self._next = self._begin_next()

    def _answered(self, response: Response) -> None:
        """The next page's answer is in, not decoded yet: if the page after it will be
        wanted, ask for that one now, so the node prepares it meanwhile."""
        if self._state.wants_after(response.payload):
            self._next = self._begin_next()

    def _take(self, page: T) -> None:
        raise NotImplementedError

    def _begin_next(self) -> Begun[T]:
        """Send the request for the next page now; ``finish()`` takes its answer and
        decodes it (``_aio_exchange.Begun``)."""
        raise NotImplementedError

    async def _fill(self) -> bool:
        """Whether an item is there to hand out, fetching pages until one is (the next
        page is then already requested); ``False`` at the end or once closed."""
        if self._closed:
            return False
        if not self._started:
            await self._start()
        state = self._state
        while not state.has_item:
            if not state.wants_page:
                await self.close()
                return False
            begun, self._next = self._next or self._begin_next(), None
            self._take(await begun.finish(self._answered))
            self._ahead()
        return True

    async def _advance(self) -> Any:
        """The next item; ``StopAsyncIteration`` at the end or once closed."""
        if not await self._fill():
            raise StopAsyncIteration
        return self._state.pop()

    async def next_page(self) -> list[Any]:
        """The items of the current page not handed out yet, as a list, or those of the
        next page when it is used up (the page after is fetched meanwhile, as iterating
        does); an empty list at the end, and the cursor is then closed.

        The same items, in the same order, as iterating gives (the two can be mixed),
        in one call per page: for code that takes rows apart a page at a time (the ORM
        builds its models this way) the cursor's per-item step is gone.
        """
        if not await self._fill():
            return []
        return self._state.rest()

    async def close(self) -> None:
        """Free the server cursor if it is still open; further iteration ends."""
        if self._closed:
            return
        self._closed = True
        begun, self._next = self._next, None
        answer = None if begun is None else await begun.answer()
        cursor_id = self._state.closing(
            answer.payload if answer is not None and answer.status == 0 else None
        )
        if cursor_id is not None and self._conn is not None and self._conn.is_open:
            await self._client._run(query.close_cursor(cursor_id), self._conn)

    def __del__(self) -> None:
        cursor_id, conn = self._state.cursor_id, self._conn
        if not self._closed and self._state.open_on_server and cursor_id is not None and conn:
            self._client._pool.abandoned.append((conn, cursor_id))

    async def __aenter__(self: CursorT) -> CursorT:
        await self._start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # unasync: def __iter__(self) -> Iterator[Any]:
    # unasync:     """The items, through a C chain of each page's iterator: no Python call per
    # unasync:     item (a scan's loop, W6: 170 -> 12 ns per item).  ``next(cursor)`` and
    # unasync:     loops can be mixed: all take from the current page's one iterator."""
    # unasync:     return chain.from_iterable(self._pages())
    # unasync: def _pages(self) -> Iterator[Iterator[Any]]:
    # unasync:     """Each page's items not handed out yet, fetched as they are reached; the
    # unasync:     end (or close()) ends it."""
    # unasync:     while self._fill():
    # unasync:         yield self._state.items
    # unasync-skip-start
    def __aiter__(self: CursorT) -> CursorT:
        return self

    # unasync-skip-end

    async def __anext__(self) -> Any:
        # The usual item, one of the current page, without _advance's checks.
        item = _NO_ITEM if self._closed else self._state.pop_or(_NO_ITEM)
        if item is not _NO_ITEM:
            return item
        return await self._advance()


class AioScanCursor(_AioCursor[ScanPage]):
    """``(key, value)`` pairs of a scan; see :meth:`AioCache.scan`."""

    _PAGE_OP = OpCode.QUERY_SCAN_CURSOR_GET_PAGE

    def __init__(
        self,
        client: AioClient,
        cache_id: int,
        first_page: Callable[[CodecContext, bytearray], Flow[ScanPage]],
        expiry: bytes = b"",
        partition: int = -1,
    ) -> None:
        super().__init__(client, cache_id, first_page, expiry, partition)
        # unasync: self._start()

    def _take(self, page: ScanPage) -> None:
        self._state.take_entries(page)

    def _begin_next(self) -> Begun[ScanPage]:
        client, conn, cursor_id = self._client, self._conn, self._cursor_id
        assert cursor_id is not None
        assert conn is not None
        flow = query.next_entries_page(self._PAGE_OP, cursor_id, client._context())
        return client._pool.begin_on(conn, flow)


class AioSqlRowCursor(AioScanCursor):
    """``(key, value)`` entries of :meth:`AioCache.select_row` (op QUERY_SQL).

    The request names the cache's value type, read from its configuration when the
    cursor opens; then it pages like a scan.
    """

    _PAGE_OP = OpCode.QUERY_SQL_CURSOR_GET_PAGE

    def __init__(
        self, cache: AioCache, first_page: Callable[[CodecContext, bytearray, str], Flow[ScanPage]]
    ) -> None:
        self._cache = cache
        self._entries_page = first_page
        self._type_name: str | None = None
        super().__init__(cache.client, cache.cache_id, self._first_entries_page, cache._expiry)

    def _first_entries_page(self, ctx: CodecContext, header: bytearray) -> Flow[ScanPage]:
        assert self._type_name is not None
        return self._entries_page(ctx, header, self._type_name)

    async def _start(self) -> None:
        if not self._started and self._type_name is None:
            settings = await self._cache.settings()  # unasync: settings = self._cache.settings
            type_name = value_type_of(settings)
            if not type_name:
                raise SQLError(
                    f"select_row(): cache {self._cache.name!r} has no query entity, so its "
                    "value type is unknown"
                )
            self._type_name = type_name
        await super()._start()


class AioSqlCursor(_AioCursor[SqlPage]):
    """Rows of a SQL statement (lists); the field names first when asked."""

    def __init__(
        self,
        client: AioClient,
        cache_id: int,
        first_page: Callable[[CodecContext, bytearray], Flow[SqlPage]],
        include_field_names: bool,
        max_rows: int = -1,
    ) -> None:
        state = CursorState(max_rows=max_rows, include_field_names=include_field_names)
        super().__init__(client, cache_id, first_page, state=state)
        # unasync: self._start()

    @property
    def field_names(self) -> list[str] | None:
        """The column names (known once the first page is in)."""
        return self._state.field_names

    def _take(self, page: SqlPage) -> None:
        self._state.take_rows(page)

    def _begin_next(self) -> Begun[SqlPage]:
        client, conn, cursor_id = self._client, self._conn, self._cursor_id
        assert cursor_id is not None
        assert conn is not None
        flow = query.next_sql_page(cursor_id, self._state.columns, client._context())
        return client._pool.begin_on(conn, flow)

    # unasync-skip-start
    def __await__(self) -> Generator[Any, None, AioSqlCursor]:
        return self.__aenter__().__await__()

    # unasync-skip-end
