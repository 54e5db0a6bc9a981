"""DB-API 2.0 (PEP 249) over the sync :class:`~ignite_wire.Client`: SQL for tools that
speak the standard interface (``pandas.read_sql``, report writers, notebooks)::

    from ignite_wire import dbapi

    with dbapi.connect("127.0.0.1", 10800) as conn:
        cur = conn.cursor()
        cur.execute("SELECT name, population FROM City WHERE population > ?", [1_000_000])
        for name, population in cur.fetchall():
            ...

Parameters use ``paramstyle = "qmark"`` (``?``), the server's own.

Transactions.  Ignite's SQL engine (H2) runs each statement on its own: it does not
take part in key-value transactions, and the cluster refuses DML inside one.  So
connections are in **autocommit** mode unless ``autocommit=False`` is given; then the
connection opens an Ignite transaction (pessimistic, repeatable read) at its first
statement and ``commit()``/``rollback()`` end it.  Reads inside it run in the
transaction, DML is refused by the cluster and raised as :class:`NotSupportedError`, so
no statement ever appears to be transactional when it is not.  The transaction belongs
to the thread that opened it, hence ``threadsafety = 1``: threads may share the module,
not connections.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from ..client import Client, Transaction
from ..datatypes.transactions import TransactionConcurrency, TransactionIsolation
from ..exceptions import IgniteError
from . import _arguments
from ._cursor import Cursor
from ._errors import (
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    Warning,
    from_ignite_error,
)
from ._types import (
    BINARY,
    DATETIME,
    NUMBER,
    ROWID,
    STRING,
    Binary,
    Date,
    DateFromTicks,
    Time,
    TimeFromTicks,
    Timestamp,
    TimestampFromTicks,
)

__all__ = [
    "BINARY",
    "DATETIME",
    "NUMBER",
    "ROWID",
    "STRING",
    "Binary",
    "Connection",
    "Cursor",
    "DataError",
    "DatabaseError",
    "Date",
    "DateFromTicks",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "Time",
    "TimeFromTicks",
    "Timestamp",
    "TimestampFromTicks",
    "Warning",
    "apilevel",
    "connect",
    "paramstyle",
    "threadsafety",
]

apilevel = "2.0"
#: Threads may share the module, not connections (a transaction belongs to one thread).
threadsafety = 1
paramstyle = "qmark"


def connect(
    *address: Any,
    client: Client | None = None,
    schema: str = "PUBLIC",
    autocommit: bool = True,
    page_size: int = 1024,
    **client_options: Any,
) -> Connection:
    """Connect and return a :class:`Connection`.

    ``address`` is what :meth:`Client.connect` takes: nothing (127.0.0.1:10800),
    ``host, port``, or a list of ``(host, port)``.  ``client_options`` go to
    :class:`~ignite_wire.Client` (``use_ssl``, ``username``, ``password``, ``timeout``,
    ...).  With ``client=`` an already connected client is used (and not closed by
    :meth:`Connection.close`).  ``schema`` is the SQL schema of unqualified names.
    """
    schema = _arguments.schema(schema)
    page_size = _arguments.page_size(page_size)
    if client is not None:
        if not isinstance(client, Client):
            raise InterfaceError(
                f"connect(): client= must be an ignite_wire.Client, got {type(client).__name__}"
            )
        if address or client_options:
            raise InterfaceError("connect(): give either client= or an address and options")
        return Connection(
            client, owned=False, schema=schema, autocommit=autocommit, page_size=page_size
        )
    try:
        # DB-API's types are plain values, whatever the process default (ignite_wire.compat)
        new = Client(**{**client_options, "compat": "ignite_wire"})
        new.connect(*address)
    except IgniteError as exc:
        raise from_ignite_error(exc) from exc
    return Connection(new, owned=True, schema=schema, autocommit=autocommit, page_size=page_size)


class Connection:
    """A DB-API connection; see the module docstring for its transactions."""

    Error = Error
    Warning = Warning
    InterfaceError = InterfaceError
    DatabaseError = DatabaseError
    DataError = DataError
    OperationalError = OperationalError
    IntegrityError = IntegrityError
    InternalError = InternalError
    ProgrammingError = ProgrammingError
    NotSupportedError = NotSupportedError

    def __init__(
        self,
        client: Client,
        *,
        owned: bool,
        schema: str = "PUBLIC",
        autocommit: bool = True,
        page_size: int = 1024,
    ) -> None:
        self.client = client
        self.schema = schema
        self.page_size = page_size
        self._owned = owned
        self._autocommit = bool(autocommit)
        self._tx: Transaction | None = None
        self._closed = False

    def __repr__(self) -> str:
        state = "closed" if self._closed else ("autocommit" if self._autocommit else "manual")
        return f"<dbapi.Connection {state} schema={self.schema!r} client={self.client!r}>"

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def autocommit(self) -> bool:
        return self._autocommit

    @autocommit.setter
    def autocommit(self, value: bool) -> None:
        """Switching to autocommit commits an open transaction (as sqlite3 does)."""
        self._check_open()
        if value and self._tx is not None:
            self.commit()
        self._autocommit = bool(value)

    def _check_open(self) -> None:
        if self._closed:
            raise InterfaceError("the connection is closed")

    def _begin_if_needed(self) -> None:
        if self._autocommit or self._tx is not None:
            return
        tx = self.client.tx_start(
            TransactionConcurrency.PESSIMISTIC, TransactionIsolation.REPEATABLE_READ
        )
        try:
            tx.__enter__()
        except IgniteError as exc:
            raise from_ignite_error(exc) from exc
        self._tx = tx

    def _end(self, commit: bool) -> None:
        tx, self._tx = self._tx, None
        if tx is None:
            return
        try:
            if commit:
                tx.commit()
            else:
                tx.rollback()
        except IgniteError as exc:
            raise from_ignite_error(exc) from exc

    def commit(self) -> None:
        """Commit the open transaction (nothing to do in autocommit mode)."""
        self._check_open()
        self._end(True)

    def rollback(self) -> None:
        """Roll the open transaction back (nothing to undo in autocommit mode)."""
        self._check_open()
        self._end(False)

    def cursor(self) -> Cursor:
        self._check_open()
        return Cursor(self)

    def close(self) -> None:
        """Roll back an open transaction and close the client if ``connect`` made it."""
        if self._closed:
            return
        try:
            self._end(False)
        finally:
            self._closed = True
            if self._owned:
                self.client.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Commit on success, roll back on an exception, then close."""
        try:
            if not self._closed and exc_type is None:
                self.commit()
        finally:
            self.close()
