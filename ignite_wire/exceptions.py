"""Every error ``ignite_wire`` raises, under one base class.

This is a leaf module: it imports nothing from the package, so every layer (the sans-IO
core, the codecs, the transports and the clients) can raise these without import cycles.

The names that pyignite's documentation uses (``SocketError``, ``ReconnectError``,
``CacheError``, ``AuthenticationError``, ``ParameterError``, ...) exist here with the same
meaning, so code written against those docs catches the same things.  Two deliberate
refinements:

* ``SocketError`` is also an :class:`OSError`, so ``except OSError`` (the seed's failover
  loop) catches connection failures of ours and of the standard library alike.
* ``ReconnectError`` is *not* a ``SocketError``: the failover loop in the documentation
  catches ``(OSError, SocketError)`` and keeps going, and "no node can be reached" must
  escape that loop.

Errors carry context as attributes (``op``, ``node``, ``status``, ``offset``) so that a
log line or a retry policy can inspect them without parsing the message.  Messages never
contain secrets: credentials are not passed to any constructor here.
"""

from __future__ import annotations

__all__ = [
    "AuthenticationError",
    "BinaryTypeError",
    "CacheCreationError",
    "CacheDoesNotExistError",
    "CacheError",
    "ClusterError",
    "EncodeError",
    "FrameTooLargeError",
    "HandshakeError",
    "IgniteError",
    "NotSupportedByClusterError",
    "NotSupportedError",
    "ParameterError",
    "ParameterTypeError",
    "ParseError",
    "ProtocolError",
    "QueryCacheDoesNotExistError",
    "ReconnectError",
    "RequestTimeoutError",
    "SQLError",
    "ServerError",
    "SocketError",
    "TransactionError",
    "connection_errors",
]


class IgniteError(Exception):
    """Base class of every error raised by ``ignite_wire``.

    ``op`` is the operation being performed (an op-code name such as ``"CACHE_GET"``, or a
    client-level name), ``node`` the ``host:port`` of the node involved, ``status`` the
    server's status code when the server reported the failure.
    """

    def __init__(
        self,
        message: str,
        *,
        op: str | None = None,
        node: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.op = op
        self.node = node
        self.status = status

    def __str__(self) -> str:
        context = []
        if self.op is not None:
            context.append(f"op={self.op}")
        if self.node is not None:
            context.append(f"node={self.node}")
        if self.status is not None:
            context.append(f"status={self.status}")
        if not context:
            return self.message
        return f"{self.message} [{', '.join(context)}]"


# -- talking to a node ----------------------------------------------------------------------


class SocketError(IgniteError, OSError):
    """A connection to a node failed, was closed, or could not be established."""


class RequestTimeoutError(SocketError, TimeoutError):
    """A connect, handshake or request did not complete within its timeout.

    A timed-out request is not repeated by the retry policy (its time bound is spent).  The
    connection stays open: requests carry ids, so a late response is recognised and
    dropped, never taken for the answer to a later request.
    """


class HandshakeError(SocketError):
    """The node refused the handshake.

    ``server_version`` is the protocol version the node said it speaks, when it said one.
    """

    def __init__(
        self,
        message: str,
        *,
        server_version: tuple[int, int, int] | None = None,
        node: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, op="HANDSHAKE", node=node, status=status)
        self.server_version = server_version


class AuthenticationError(HandshakeError):
    """The node rejected the user name or password (the password is never in the text)."""


class ReconnectError(IgniteError):
    """No node of the cluster could be reached."""


# -- bytes that make no sense --------------------------------------------------------------


class ProtocolError(IgniteError):
    """The bytes received do not follow the thin-client protocol.

    The connection that produced them is closed, since its framing can no longer be
    trusted.  ``offset`` is the position in the message where decoding failed, if known.
    """

    def __init__(
        self,
        message: str,
        *,
        offset: int | None = None,
        op: str | None = None,
        node: str | None = None,
    ) -> None:
        super().__init__(message, op=op, node=node)
        self.offset = offset

    def __str__(self) -> str:
        text = super().__str__()
        if self.offset is None:
            return text
        return f"{text} (at byte {self.offset})"


class ParseError(ProtocolError):
    """A value in a message could not be decoded."""


class FrameTooLargeError(ProtocolError):
    """A length prefix announced a message larger than the configured maximum."""


# -- bad input from the caller --------------------------------------------------------------


class ParameterError(IgniteError, ValueError):
    """An argument is invalid; nothing was sent."""


class ParameterTypeError(ParameterError, TypeError):
    """An argument has the wrong type (a ``str`` where an int is needed, ...).

    Also a ``TypeError``, which is what Python's own functions raise for such a call, so
    ``except TypeError`` written for them keeps working; and a ``ParameterError``.
    """


class EncodeError(ParameterError):
    """A value cannot be represented as the Ignite type it must become.

    ``path`` says where inside the value the problem is, for example ``"[3]['price']"``.
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(f"{message} at {path}" if path else message)
        self.path = path


# -- the server said no ----------------------------------------------------------------------


class ServerError(IgniteError):
    """The node answered a request with an error status."""


class CacheError(ServerError):
    """A cache operation failed on the server."""


class CacheDoesNotExistError(CacheError):
    """The cache named in the request does not exist (status 1000)."""


class CacheCreationError(CacheError):
    """A cache could not be created, for example because it exists (status 1001)."""


class BinaryTypeError(CacheError):
    """A binary type could not be read, registered or matched."""


class SQLError(CacheError):
    """A SQL or scan query failed, or its cursor is gone."""


class QueryCacheDoesNotExistError(CacheDoesNotExistError, SQLError):
    """A SQL or scan query named a cache that does not exist (status 1000).

    Both what happened (``CacheDoesNotExistError``) and what failed (``SQLError``, which
    pyignite raises for every failed query), so handlers of either kind catch it.
    """


class TransactionError(CacheError):
    """A transaction could not be started, used or ended."""


class ClusterError(ServerError):
    """A cluster-level operation (such as a state change) failed."""


class NotSupportedByClusterError(IgniteError):
    """The connected nodes do not support the requested feature."""


class NotSupportedError(IgniteError):
    """The requested feature is not supported by this client."""


#: The errors after which a connection is considered lost (pyignite's name).
connection_errors: tuple[type[BaseException], ...] = (SocketError, OSError, ConnectionError)
