"""Sessions: a unit of work over a database.

Written once for asyncio; the sync twin is generated from it by ``tools/unasync.py``.
:class:`AioSession` keeps an identity map; its commit runs in one Ignite transaction when
every cache involved is transactional.  The bookkeeping (identity map, dirty check, the
writes a commit performs) is :class:`~ignite_orm._unit_of_work.UnitOfWork`, which does no
I/O; what stays here is carrying those writes out.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from ignite_wire import AioCache

from ._keys import identity_key, raw_key
from ._unit_of_work import Commit, UnitOfWork
from .mapping import Send
from .model import IgniteModel
from .query import aio_results as _run  # unasync: from .query import results as _run
from .query.statements import Select

if TYPE_CHECKING:
    from .aio_database import AioDatabase  # unasync: from .database import Database
    from .aio_repository import AioRepository

__all__ = ["AioSession"]

M = TypeVar("M", bound=IgniteModel)
R = TypeVar("R")


class AioSession:
    """A unit of work; see the module docstring."""

    def __init__(self, db: AioDatabase) -> None:
        self.db = db
        self._work = UnitOfWork()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._work!r}>"

    async def __aenter__(self) -> AioSession:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            await self.commit()
        else:
            self.rollback()

    async def get(self, model: type[M], key: Any = None, /, **fields: Any) -> M | None:
        """The object, from the identity map or the cluster (then tracked)."""
        repo = self.db.repository(model)
        ident = (model, identity_key(repo.info, raw_key(repo.key(key, **fields))))
        if ident in self._work.deleted:
            return None
        found = self._work.find(model, ident)
        if found is not None:
            return found
        obj = await repo.get(key, **fields)
        if obj is not None:
            self._work.track(ident, obj)
        return obj

    def query(self, stmt: Select[R]) -> _run.AioResult[R]:
        """A typed ``select(...)`` whose objects join the session (changes written at commit)."""
        return _run.AioResult(self.db, stmt, attach=self._work.attach)

    def add(self, obj: IgniteModel) -> None:
        """Write ``obj`` at commit (insert or overwrite)."""
        self._work.add(obj)

    def delete(self, obj: IgniteModel) -> None:
        """Remove ``obj`` at commit."""
        self._work.delete(obj)

    def rollback(self) -> None:
        """Forget every pending change; nothing was written."""
        self._work.clear()

    async def commit(self) -> None:
        """Write the changes: in one transaction if every cache involved is transactional.

        Objects loaded with a ``Version`` field are replaced only if the stored object is
        still the one loaded (compare-and-replace); otherwise :class:`ConcurrentUpdateError`
        and, in a transaction, nothing is written.
        """
        commit = self._work.plan()
        if commit is None:
            return
        if commit.transactional:
            async with self.db.client.tx_start() as tx:
                await self._write(commit, in_tx=True)
                await tx.commit()
        else:
            await self._write(commit, in_tx=False)
        self._work.committed(commit)

    async def _write(self, commit: Commit, in_tx: bool) -> None:
        repos: dict[type, tuple[AioRepository[Any], AioCache, Send]] = {}
        for write in commit.writes:
            model = type(write.obj)
            target = repos.get(model)
            if target is None:
                repo = self.db.repository(model)
                target = repos[model] = (repo, await repo._cache(), repo.info.sender()[0])
            repo, cache, send = target
            if write.kind == "put":
                await repo._put_in(cache, send, write.obj)
            elif write.kind == "delete":
                await repo.delete(write.obj)
            else:
                assert write.expected is not None
                assert write.new is not None
                if in_tx:
                    replaced = await repo._replace_locked(write.expected, write.new)
                else:
                    replaced = await repo.replace_if(write.expected, write.new)
                if not replaced:
                    raise write.conflict()
                write.replaced()
