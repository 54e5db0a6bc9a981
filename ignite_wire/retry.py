"""When the client repeats an operation after a connection failure.

The seed's rule stays the default for writes: the error of a failed connection propagates
to the caller (``SocketError``, an ``OSError``), and the client reconnects on the next
call.  Operations that only read are repeated on another connection, because repeating
them cannot change data: ``get``, ``get_all``, ``contains_key(s)``, ``get_size``,
``settings`` (configuration), ``get_cache_names``, ``get_state`` and binary-type lookups.
Writes are repeated only with ``retry_writes=True``: a write whose answer was lost may
have been applied, so repeating it is safe only for idempotent writes (``put``,
``put_all``, ``remove_key``, ``clear``...) in applications that accept that.  Nothing
inside a transaction is repeated (the transaction died with its connection), and cursor
pages are never repeated (the cursor lived on the lost node).  A request that timed out
(``RequestTimeoutError``) is not repeated either: the caller's ``timeout`` bounds the
whole call, as in the Java client.
"""

from __future__ import annotations

from dataclasses import dataclass

from .exceptions import ParameterError

__all__ = ["RetryPolicy"]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """``retries`` further attempts, ``backoff`` seconds doubling up to ``max_backoff``."""

    retries: int = 2
    backoff: float = 0.05
    max_backoff: float = 1.0
    retry_writes: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.retries, bool) or not isinstance(self.retries, int) or self.retries < 0:
            raise ParameterError(f"RetryPolicy: retries must be an int >= 0, got {self.retries!r}")
        if self.backoff < 0 or self.max_backoff < 0:
            raise ParameterError("RetryPolicy: backoff and max_backoff must be >= 0")

    def delay(self, attempt: int, *, write: bool) -> float | None:
        """Seconds to wait before retry number ``attempt`` (from 0), or ``None``: give up."""
        if attempt >= self.retries or (write and not self.retry_writes):
            return None
        return float(min(self.backoff * (2**attempt), self.max_backoff))


#: No retries at all: every connection failure reaches the caller.
NO_RETRY = RetryPolicy(retries=0)
