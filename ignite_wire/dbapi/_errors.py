"""PEP 249's exception hierarchy, and the rule that maps ``ignite_wire`` errors onto it.

The mapping is pure (no I/O) so it is tested with plain data.  Ignite reports every SQL
failure with the generic status 1, but its message starts with the statement's SQLSTATE
(``"42000: Failed to parse query. ..."``) and, for errors raised by the H2 engine, ends
with H2's more precise state in brackets (``"[22012-197]"``: division by zero).  The
class of the most precise state picks the DB-API class:

=====  ======================================  =====================
class  meaning                                 raised as
=====  ======================================  =====================
22     data exception (conversion, overflow)   ``DataError``
23     integrity constraint (duplicate key,    ``IntegrityError``
       value too long, out of range)
42     syntax error, unknown table or column   ``ProgrammingError``
0A     feature not supported                   ``NotSupportedError``
08,40  connection, transaction rollback        ``OperationalError``
other  (50000: Ignite's "unknown")             ``DatabaseError``
=====  ======================================  =====================

Errors that are not the server's verdict on a statement map by their ``ignite_wire``
class: connection and timeout failures are ``OperationalError``, a value the codec cannot
encode is ``DataError``, a bad argument is ``ProgrammingError``, a transaction the cluster
refuses is ``OperationalError``.  Every DB-API error keeps the original as ``__cause__``
and copies its context (``op``, ``node``, ``status``) next to ``sqlstate``.
"""

from __future__ import annotations

import re

from ..exceptions import (
    EncodeError,
    IgniteError,
    NotSupportedByClusterError,
    ParameterError,
    ReconnectError,
    ServerError,
    SocketError,
    SQLError,
    TransactionError,
)
from ..exceptions import NotSupportedError as _WireNotSupported

__all__ = [
    "DataError",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "Warning",
    "from_ignite_error",
    "sqlstate_of",
]


class Warning(Exception):  # noqa: N818 (PEP 249 names it so)
    """Important warnings (PEP 249); this driver raises none today."""


class Error(Exception):
    """Base of every DB-API error.

    ``sqlstate`` is the five-character SQLSTATE when the server gave one; ``op``, ``node``
    and ``status`` come from the ``ignite_wire`` error that caused this one.
    """

    def __init__(
        self,
        message: str,
        *,
        sqlstate: str | None = None,
        op: str | None = None,
        node: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.op = op
        self.node = node
        self.status = status


class InterfaceError(Error):
    """The driver was misused (a closed cursor or connection)."""


class DatabaseError(Error):
    """An error the database reported."""


class DataError(DatabaseError):
    """A value could not be processed (conversion, division by zero, overflow)."""


class OperationalError(DatabaseError):
    """The database could not be reached or a transaction could not be carried out."""


class IntegrityError(DatabaseError):
    """A constraint failed (duplicate key, value too long or out of range)."""


class InternalError(DatabaseError):
    """The database's internal state is inconsistent (the server's own failure)."""


class ProgrammingError(DatabaseError):
    """The statement is wrong: syntax, unknown table or column, wrong parameters."""


class NotSupportedError(DatabaseError):
    """The database does not support what was asked (for example DML in a transaction)."""


_LEADING_STATE = re.compile(r"^\s*([0-9A-Z]{5}):")
_H2_STATE = re.compile(r"\[([0-9A-Z]{5})-\d+\]")

_BY_CLASS: dict[str, type[DatabaseError]] = {
    "22": DataError,
    "23": IntegrityError,
    "42": ProgrammingError,
    "0A": NotSupportedError,
    "08": OperationalError,
    "40": OperationalError,
}


def sqlstate_of(message: str) -> str | None:
    """The most precise SQLSTATE in an Ignite error message (H2's, else Ignite's)."""
    inner = _H2_STATE.search(message)
    if inner is not None:
        return inner.group(1)
    leading = _LEADING_STATE.match(message)
    return leading.group(1) if leading is not None else None


def _class_for(exc: IgniteError, sqlstate: str | None) -> type[Error]:
    if isinstance(exc, (SocketError, ReconnectError, TransactionError)):
        return OperationalError
    if isinstance(exc, EncodeError):
        return DataError
    if isinstance(exc, ParameterError):
        return ProgrammingError
    if isinstance(exc, (NotSupportedByClusterError, _WireNotSupported)):
        return NotSupportedError
    if sqlstate is not None:
        if "not allowed inside a transaction" in exc.message:
            return NotSupportedError
        return _BY_CLASS.get(sqlstate[:2], DatabaseError)
    if isinstance(exc, (SQLError, ServerError)):
        return DatabaseError
    return InternalError


def from_ignite_error(exc: IgniteError) -> Error:
    """The DB-API error for ``exc`` (raise it ``from exc``)."""
    sqlstate = sqlstate_of(exc.message)
    cls = _class_for(exc, sqlstate)
    return cls(str(exc), sqlstate=sqlstate, op=exc.op, node=exc.node, status=exc.status)
