"""A transaction, on one connection (pyignite's module path is ``transaction``)."""

# unasync-skip-start
# The source of _sync_tx.py: ``python tools/unasync.py`` generates it from this file.
# unasync-skip-end

from __future__ import annotations

import contextvars
from types import TracebackType
from typing import TYPE_CHECKING

from . import _facade
from ._protocol.ops import tx
from ._transport.aio import AioConnection
from .datatypes.transactions import TransactionConcurrency, TransactionIsolation
from .exceptions import (
    TransactionError,
)

if TYPE_CHECKING:
    from .aio_client import AioClient  # unasync: from .client import Client

__all__ = ["AioTransaction"]


class AioTransaction:
    """A transaction on one connection; see :meth:`AioClient.tx_start`."""

    def __init__(
        self, client: AioClient, concurrency: int, isolation: int, timeout: int, label: str | None
    ) -> None:
        self._client = client
        self._args = (concurrency, isolation, timeout, label)
        self._state: _facade.TxState[AioConnection] | None = None
        self._token: contextvars.Token[_facade.TxState[object] | None] | None = None

    def __repr__(self) -> str:
        concurrency, isolation, timeout, label = self._args
        state = self._state
        status = (
            "not started"
            if state is None
            else f"tx_id={state.tx_id} {'closed' if state.closed else 'open'}"
        )
        return (
            f"<{type(self).__name__} {TransactionConcurrency(concurrency).name} "
            f"{TransactionIsolation(isolation).name} timeout={timeout}ms label={label!r} {status}>"
        )

    async def _begin(self) -> None:
        if self._state is not None:
            raise TransactionError("the transaction was already started")
        client = self._client
        conn = await client._current()
        tx_id = await client._run(tx.tx_start(*self._args), conn)
        self._state = _facade.TxState(client, tx_id, conn)
        self._token = _facade.enter_tx(self._state)

    async def commit(self) -> None:
        """Commit; the transaction is then closed."""
        await self._end(True)

    async def rollback(self) -> None:
        """Roll back; the transaction is then closed."""
        await self._end(False)

    async def close(self) -> None:
        """Roll back unless already committed or rolled back."""
        if self._state is not None and not self._state.closed:
            await self._end(False)

    async def _end(self, commit: bool) -> None:
        state = self._state
        if state is None:
            raise TransactionError("the transaction was not started (use it in a with block)")
        if state.closed:
            raise TransactionError("the transaction is already closed")
        state.closed = True
        if self._token is not None:
            _facade.leave_tx(self._token)
            self._token = None
        await self._client._run(tx.tx_end(state.tx_id, commit), state.connection)

    async def __aenter__(self) -> AioTransaction:
        await self._begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
