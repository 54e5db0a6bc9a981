"""What a query cursor knows between pages, without I/O.

A server cursor answers in pages; the client hands out one item at a time, asks for the
next page only while the server says there is more, and stops at ``max_rows`` itself
(the server may ignore it: Ignite 2.17's H2 engine does for plain SELECTs).  This object
holds that bookkeeping: the current page, the position in it, the server cursor's id,
and whether more pages exist or may be asked for (read from a next-page answer's bytes
before it is decoded, so the page after can be asked for first).  The cursors of both
clients (``_aio_cursors.py`` and its generated twin) only send and wait around it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from functools import partial
from operator import length_hint
from typing import Any

from ._protocol.messages import Buffer
from ._protocol.object_decoder import hand_out
from ._protocol.ops.query import ScanPage, SqlPage, next_page_outline

__all__ = ["CursorState"]


class CursorState:
    """The pages of one server cursor, consumed item by item.

    ``max_rows`` (-1: no limit) caps the rows of a SQL cursor; ``include_field_names``
    puts the column names before the first row.
    """

    __slots__ = (
        "_include_field_names",
        "_items",
        "_rows_left",
        "at_limit",
        "columns",
        "cursor_id",
        "field_names",
        "more",
        "pop_or",
    )

    def __init__(self, *, max_rows: int = -1, include_field_names: bool = False) -> None:
        self.cursor_id: int | None = None
        #: Columns of a SQL cursor's rows (the next-page request repeats it).
        self.columns = 0
        self.field_names: list[str] | None = None
        #: The server has pages after the one taken last.
        self.more = False
        #: ``max_rows`` is reached: no more pages are wanted.
        self.at_limit = False
        self._items: Iterator[Any] = iter(())
        self.pop_or: Callable[[Any], Any]
        self._page_items(iter(()))
        self._rows_left = max_rows if max_rows >= 0 else None
        self._include_field_names = include_field_names

    def take_entries(self, page: ScanPage) -> None:
        """A page of ``(key, value)`` pairs (scan, index and SQL-entries queries), handed
        out through :func:`.object_decoder.hand_out` (which gives the pairs the page held
        out of the garbage collector back to it)."""
        self.cursor_id = page.cursor_id
        self._page_items(hand_out(page.items))
        self.more = page.has_more

    def take_rows(self, page: SqlPage) -> None:
        """A page of SQL rows, cut at ``max_rows``; the first page brings the names."""
        self.cursor_id = page.cursor_id
        self.columns = page.columns
        rows: list[Any] = page.rows
        if self._rows_left is not None:
            rows = rows[: self._rows_left]
            self._rows_left -= len(rows)
            self.at_limit = self._rows_left == 0
        if page.field_names is not None:
            self.field_names = page.field_names
            if self._include_field_names:
                rows = [page.field_names, *rows]
        self._page_items(iter(rows))
        self.more = page.has_more

    @property
    def wants_page(self) -> bool:
        """Another page should be fetched (the server has one and the limit allows it)."""
        return self.more and not self.at_limit

    def wants_after(self, payload: Buffer) -> bool:
        """Whether the page after the next-page answer ``payload``, taken but not decoded
        yet, will be wanted: the answer says the server has more and its rows leave the
        ``max_rows`` limit unreached (what :attr:`wants_page` will say once the page is
        taken).  ``False`` when unsure: :attr:`wants_page` decides after the decode."""
        outline = next_page_outline(payload)
        if outline is None:
            return False
        count, more = outline
        return more and (self._rows_left is None or self._rows_left > count)

    @property
    def items(self) -> Iterator[Any]:
        """The current page's items not handed out yet, as one iterator that
        :meth:`pop`, :meth:`rest` and the sync cursors' ``__iter__`` (a C chain of these,
        no Python call per item) all take from, so they can be mixed."""
        return self._items

    @property
    def has_item(self) -> bool:
        """An item of the current page is left."""
        return length_hint(self._items) > 0

    def pop(self) -> Any:
        """The next item of the current page (check :attr:`has_item` first)."""
        return next(self._items)

    def rest(self) -> list[Any]:
        """The items of the current page not handed out yet, all at once (the page is
        then used up): what a cursor's ``next_page()`` returns."""
        items = list(self._items)
        self._page_items(iter(()))
        return items

    def _page_items(self, items: Iterator[Any]) -> None:
        """The current page's items not handed out yet, and :attr:`pop_or` over them:
        ``pop_or(missing)`` is the next item, or ``missing`` when none is left, the
        cursors' per-item path (one call where ``has_item`` and ``pop`` are two; a
        ``partial`` of ``next``, so no Python frame per item)."""
        self._items = items
        self.pop_or = partial(next, items)

    def closing(self, next_answer: Buffer | None = None) -> int | None:
        """The cursor is being closed: the id to free on the server, or ``None``.

        ``next_answer`` is the answer to the next-page request in flight, if any: the
        server closes a cursor by itself at its last page, which the answer's has-more
        flag says.  After this no page is wanted.
        """
        # The page's items left are dropped: an iteration that holds their iterator
        # (a sync cursor's __iter__) ends with the cursor, as item-by-item reads do.
        deque(self._items, maxlen=0)
        self._page_items(iter(()))
        outline = None if next_answer is None else next_page_outline(next_answer)
        if outline is not None:
            self.more = outline[1]
        open_on_server = self.more and self.cursor_id is not None
        self.more = False
        return self.cursor_id if open_on_server else None

    @property
    def open_on_server(self) -> bool:
        """The server still holds the cursor (it frees it itself after the last page)."""
        return self.more and self.cursor_id is not None
