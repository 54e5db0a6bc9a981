"""DB-API cursors: a statement's result read page by page from the server.

The first page is read by ``execute`` itself, so ``description`` can give each column's
type from its first non-null value; later pages come as the rows are fetched.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ..client import SqlCursor
from ..exceptions import IgniteError
from . import _arguments
from ._errors import InterfaceError, ProgrammingError, from_ignite_error
from ._types import returns_rows, type_code_of

if TYPE_CHECKING:
    from . import Connection

__all__ = ["Cursor", "Description"]

Description = tuple[str, Any, None, None, None, None, None]


class Cursor:
    """A DB-API cursor: rows are tuples, read page by page from the server."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.arraysize = 1
        self.description: list[Description] | None = None
        self.rowcount = -1
        self.lastrowid: None = None
        self._rows: Iterator[list[Any]] | None = None
        self._server_cursor: SqlCursor | None = None
        self._closed = False

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"rowcount={self.rowcount}"
        return f"<dbapi.Cursor {state}>"

    def _check_open(self) -> None:
        if self._closed:
            raise InterfaceError("the cursor is closed")
        self.connection._check_open()

    def _discard(self) -> None:
        if self._server_cursor is not None:
            server, self._server_cursor = self._server_cursor, None
            # The result is abandoned either way; the connection reports its failures.
            with contextlib.suppress(IgniteError):
                server.close()
        self._rows = None
        self.description, self.rowcount = None, -1

    def execute(self, operation: str, parameters: Sequence[Any] | None = None) -> Cursor:
        """Run one statement with ``?`` parameters; returns the cursor (an extension)."""
        self._check_open()
        operation = _arguments.statement(operation, "execute()")
        args = _arguments.parameter_list(parameters, "execute()")
        return self._run(operation, args)

    def _run(self, operation: str, args: list[Any]) -> Cursor:
        self._discard()
        conn = self.connection
        conn._begin_if_needed()
        try:
            server = conn.client.sql(
                operation,
                page_size=conn.page_size,
                query_args=args,
                schema=conn.schema,
                include_field_names=True,
            )
            names: list[str] = next(server)
            first = list(_take(server, conn.page_size))
        except IgniteError as exc:
            raise from_ignite_error(exc) from exc
        if not returns_rows(operation):
            server.close()
            count = first[0][0] if first and first[0] else -1
            self.rowcount = int(count) if isinstance(count, int) else -1
            return self
        self._server_cursor = server
        self.description = [
            (name, _column_type(first, i), None, None, None, None, None)
            for i, name in enumerate(names)
        ]
        self._rows = _chain(first, server)
        return self

    def executemany(self, operation: str, seq_of_parameters: Sequence[Sequence[Any]]) -> None:
        """Run a DML statement once per parameter set; ``rowcount`` is the total."""
        self._check_open()
        operation = _arguments.statement(operation, "executemany()")
        if returns_rows(operation):
            raise ProgrammingError("executemany(): a statement that returns rows")
        total = 0
        for args in _arguments.parameter_sets(seq_of_parameters, "executemany()"):
            self._run(operation, args)
            total += max(self.rowcount, 0)
        self.rowcount = total

    def _next(self) -> tuple[Any, ...] | None:
        self._check_open()
        if self._rows is None:
            raise ProgrammingError("no result set: execute a query first")
        try:
            return tuple(next(self._rows))
        except StopIteration:
            return None
        except IgniteError as exc:
            raise from_ignite_error(exc) from exc

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._next()

    def fetchmany(self, size: int | None = None) -> list[tuple[Any, ...]]:
        if size is None:
            count = _arguments.count(self.arraysize, "arraysize", "fetchmany()")
        else:
            count = _arguments.count(size, "size", "fetchmany()")
        rows = []
        for _ in range(count):
            row = self._next()
            if row is None:
                break
            rows.append(row)
        return rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows = []
        while (row := self._next()) is not None:
            rows.append(row)
        return rows

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        while (row := self._next()) is not None:
            yield row

    def setinputsizes(self, sizes: Any) -> None:
        """Accepted and ignored (PEP 249 allows it)."""

    def setoutputsize(self, size: Any, column: Any = None) -> None:
        """Accepted and ignored (PEP 249 allows it)."""

    def close(self) -> None:
        if not self._closed:
            self._discard()
            self._closed = True

    def __enter__(self) -> Cursor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _take(server: SqlCursor, count: int) -> Iterator[list[Any]]:
    """The first ``count`` rows (the first page: no second request)."""
    return itertools.islice(server, count)


def _chain(first: list[list[Any]], server: SqlCursor) -> Iterator[list[Any]]:
    yield from first
    yield from server


def _column_type(rows: list[list[Any]], index: int) -> Any:
    for row in rows:
        if row[index] is not None:
            return type_code_of(row[index])
    return None
