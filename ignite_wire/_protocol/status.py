"""Status codes of responses, and which exception each one becomes (protocol notes, section 2).

A response whose status is not 0 carries a message and no payload.  The status alone does
not say *what kind* of operation failed: most failures arrive as the generic 1 (FAILED),
whether a SQL statement had a syntax error or a transaction deadlocked.  So the caller
passes a *default* exception class for the operation (``SQLError`` for queries,
``TransactionError`` for tx ops, ``CacheError`` for key-value ops), and only codes that
name a specific condition override it:

======================  ===============================  =====================================
status                  meaning                          raised as
======================  ===============================  =====================================
1000                    cache does not exist             ``CacheDoesNotExistError``
                        (by a query: SQLError default)   ``QueryCacheDoesNotExistError``
1001                    cache exists                     ``CacheCreationError``
1010, 1011              too many cursors / no resource   ``SQLError``
1020, 1021              tx limit / tx not found          ``TransactionError``
2000                    authentication failed            ``AuthenticationError``
2, 100                  op unknown / feature disabled    ``NotSupportedByClusterError``
anything else           (1, 1012, 1030, unknown codes)   the operation's default class
======================  ===============================  =====================================

Codes 10 and 11 (INVALID_NODE_STATE, NODE_IN_RECOVERY_MODE) are from a third-party client
and recent Ignite master; they are listed so logs can name them, and map to the default.
"""

from __future__ import annotations

from enum import IntEnum

from ..exceptions import (
    AuthenticationError,
    CacheCreationError,
    CacheDoesNotExistError,
    HandshakeError,
    IgniteError,
    NotSupportedByClusterError,
    QueryCacheDoesNotExistError,
    ServerError,
    SQLError,
    TransactionError,
)

__all__ = ["StatusCode", "error_class_for_status", "make_status_error", "status_name"]


class StatusCode(IntEnum):
    """``ClientStatus`` codes."""

    SUCCESS = 0
    FAILED = 1
    INVALID_OP_CODE = 2
    INVALID_NODE_STATE = 10  # unverified: recent master / third-party client
    NODE_IN_RECOVERY_MODE = 11  # unverified: recent master / third-party client
    FUNCTIONALITY_DISABLED = 100
    CACHE_DOES_NOT_EXIST = 1000
    CACHE_EXISTS = 1001
    TOO_MANY_CURSORS = 1010
    RESOURCE_DOES_NOT_EXIST = 1011
    SECURITY_VIOLATION = 1012
    TX_LIMIT_EXCEEDED = 1020
    TX_NOT_FOUND = 1021
    TOO_MANY_COMPUTE_TASKS = 1030
    AUTH_FAILED = 2000


_SPECIFIC: dict[int, type[IgniteError]] = {
    StatusCode.INVALID_OP_CODE: NotSupportedByClusterError,
    StatusCode.FUNCTIONALITY_DISABLED: NotSupportedByClusterError,
    StatusCode.CACHE_DOES_NOT_EXIST: CacheDoesNotExistError,
    StatusCode.CACHE_EXISTS: CacheCreationError,
    StatusCode.TOO_MANY_CURSORS: SQLError,
    StatusCode.RESOURCE_DOES_NOT_EXIST: SQLError,
    StatusCode.TX_LIMIT_EXCEEDED: TransactionError,
    StatusCode.TX_NOT_FOUND: TransactionError,
    StatusCode.AUTH_FAILED: AuthenticationError,
}

_STATUS_NAMES: dict[int, str] = {code.value: code.name for code in StatusCode}


def status_name(status: int) -> str:
    """The name of ``status``, or ``"STATUS_<n>"`` for a code this client does not know."""
    name = _STATUS_NAMES.get(status)
    return name if name is not None else f"STATUS_{status}"


def error_class_for_status(
    status: int, default: type[IgniteError] = ServerError
) -> type[IgniteError]:
    """The exception class for a failed response with ``status``.

    A specific code wins over ``default``, unless ``default`` is already a subclass of the
    specific class (an operation that knows better, e.g. a ``CacheCreationError`` subclass
    for status 1001, keeps its own class).
    """
    specific = _SPECIFIC.get(status)
    if specific is None or issubclass(default, specific):
        return default
    if specific is CacheDoesNotExistError and issubclass(default, SQLError):
        return QueryCacheDoesNotExistError  # both: pyignite code catches SQLError
    return specific


def make_status_error(
    status: int,
    message: str | None,
    *,
    default: type[IgniteError] = ServerError,
    op: str | None = None,
    node: str | None = None,
) -> IgniteError:
    """Build (not raise) the exception for a response that failed with ``status``.

    ``message`` is the server's text; when it sent none, the status name stands in.
    """
    cls = error_class_for_status(status, default)
    text = message if message else f"request failed with {status_name(status)}"
    if issubclass(cls, HandshakeError):
        # HandshakeError's constructor fixes op to "HANDSHAKE"; status 2000 can still
        # arrive on a regular response (a session whose credentials were revoked).
        error: IgniteError = cls(text, node=node, status=status)
        if op is not None:
            error.op = op
        return error
    return cls(text, op=op, node=node, status=status)
