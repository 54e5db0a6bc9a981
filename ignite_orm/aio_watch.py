"""``repository.watch()``: a model's changes as they happen.

Written once for asyncio; the sync twin is generated from it by ``tools/unasync.py``.
A thin layer over ``AioCache.continuous_query`` (ignite_wire's public API):
the query starts on first use (``async with``, ``async for`` or :meth:`AioWatch.get`),
each event becomes a :class:`~ignite_orm.changes.Change` of model instances, and a
failed serving node shows up as an :class:`~ignite_orm.changes.EventsMissed` (the watch
goes on, started again on another node).
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ignite_wire.continuous import AioContinuousQuery

from .changes import Change, EventsMissed, to_change
from .model import IgniteModel

if TYPE_CHECKING:
    # unasync-skip-start
    from .aio_database import AioRepository

    # unasync-skip-end
    # unasync: from .database import Repository

__all__ = ["AioWatch"]

M = TypeVar("M", bound=IgniteModel)


class AioWatch(Generic[M]):
    """Changes of one model's objects; made by ``repository.watch()``."""

    def __init__(
        self, repository: AioRepository[M], options: dict[str, Any], validate: bool
    ) -> None:
        self._repository = repository
        self._options = options
        self._validate = validate
        self._query: AioContinuousQuery | None = None
        self._closed = False

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._repository.model.__name__}>"

    async def _started(self) -> AioContinuousQuery:
        if self._query is None:
            cache = await self._repository._cache()
            self._query = await cache.continuous_query(**self._options)
        return self._query

    async def confirm_live(self, marker_key: Any, timeout: float = 10.0) -> None:
        """Return once every later change is surely reported (``ContinuousQuery.confirm_live``).

        The server may drop the changes made in the first moments after a watch starts;
        this writes and removes a marker entry at ``marker_key`` (a plain key nothing uses,
        such as a string) until its event comes.  A snapshot not read yet is read after.
        """
        await (await self._started()).confirm_live(marker_key, timeout)

    async def get(self, timeout: float | None = None) -> Change[M] | EventsMissed | None:
        """The next change, or ``None`` if none came within ``timeout`` s (or closed)."""
        if self._closed:
            return None
        event = await (await self._started()).get(timeout)
        if event is None:
            return None
        return to_change(self._repository.info, event, validate=self._validate)

    def __aiter__(self) -> AioWatch[M]:
        return self

    async def __anext__(self) -> Change[M] | EventsMissed:
        change = await self.get()
        if change is None:
            raise StopAsyncIteration
        return change

    async def close(self) -> None:
        """Stop watching (the server forgets the query).  Idempotent."""
        self._closed = True
        if self._query is not None:
            await self._query.close()

    async def __aenter__(self) -> AioWatch[M]:
        await self._started()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
