"""Databases, repositories and sessions over ``ignite_wire``.

Written once for asyncio; the sync twin is generated from it by ``tools/unasync.py``.
Only ``ignite_wire``'s public API is used.

* :class:`AioDatabase` owns a client; ``create_all`` and ``plan`` turn models into caches,
  tables and binary types (:mod:`.schema` decides, :mod:`._schema_live` reads the
  cluster's side).
* :class:`~ignite_orm.aio_repository.AioRepository` ``[M]`` is the typed key-value, scan
  and SQL API of one model.
* :class:`~ignite_orm.aio_session.AioSession` is a unit of work with an identity map.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any, TypeVar

from ignite_wire import AioCache, AioClient

from ._schema_entity import cache_config
from ._schema_live import (
    COLUMNS_SQL,
    INDEXES_SQL,
    KEY_ALIAS_SQL,
    binary_fields,
    live_table,
    missing_table,
    needs_key_alias,
    view_args,
)
from .aio_repository import PUT_BATCH_SIZE, AioRepository, OnInvalid
from .aio_session import AioSession
from .mapping import ModelInfo, info_of
from .model import IgniteModel
from .query import aio_results as _run  # unasync: from .query import results as _run
from .query.statements import Delete, Select, Update
from .schema import LiveTable, Plan, diff, merge

__all__ = ["PUT_BATCH_SIZE", "AioDatabase", "AioRepository", "AioSession", "OnInvalid"]

M = TypeVar("M", bound=IgniteModel)
R = TypeVar("R")
#: The old name of :func:`~ignite_orm.mapping.info_of` (tests import it from here).
_info = info_of


class AioDatabase:
    """A connected client plus the models' schema; see the module docstring."""

    def __init__(self, client: AioClient) -> None:
        if client.compat != "ignite_wire":
            raise TypeError(
                "ignite_orm needs a client that reads plain values: pass one made with "
                "compat='ignite_wire', not in the pyignite value mode"
            )
        self.client = client
        self._caches: dict[str, AioCache] = {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.client!r}>"

    @classmethod
    async def connect(cls, *nodes: Any, **client_options: Any) -> AioDatabase:
        """Connect a new client (any ``ignite_wire`` client option passes through)."""
        # plain values whatever the process default (ignite_wire.compat): models rely on them
        client = AioClient(**{**client_options, "compat": "ignite_wire"})
        await client.connect(*nodes)
        return cls(client)

    async def close(self) -> None:
        await self.client.close()

    async def __aenter__(self) -> AioDatabase:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def cache_of(self, info: ModelInfo[IgniteModel]) -> AioCache:
        name = info.cache_name
        assert name is not None
        cache = self._caches.get(name)
        if cache is None:
            cache = await self.client.get_cache(name)
            self._caches[name] = cache
        return cache

    # -- schema ----------------------------------------------------------------------------

    async def _rows(self, query: str, args: list[str]) -> list[tuple[Any, ...]]:
        async with self.client.sql(query, query_args=args) as cursor:
            return [tuple(row) async for row in cursor]

    async def _live(self, info: ModelInfo[IgniteModel]) -> LiveTable:
        """What the cluster holds for ``info``'s model (see :mod:`._schema_live`)."""
        binary = binary_fields(await self.client.get_binary_type(info.value_class.type_id))
        key_binary: dict[str, int] = {}
        if info.key_class is not None:
            key_binary = binary_fields(await self.client.get_binary_type(info.key_class.type_id))
        if info.cache_name not in await self.client.get_cache_names():
            return missing_table(binary, key_binary)
        args = view_args(info)
        columns = await self._rows(COLUMNS_SQL, args)
        aliases = await self._rows(KEY_ALIAS_SQL, args) if needs_key_alias(columns) else []
        indexes = await self._rows(INDEXES_SQL, args)
        rows = await (await self.cache_of(info)).get_size()
        return live_table(binary, key_binary, columns, aliases, indexes, rows)

    async def plan(self, *models: type[IgniteModel]) -> Plan:
        """What :meth:`create_all` would do (and what it would refuse), changing nothing."""
        return merge([diff(info_of(m), await self._live(info_of(m))) for m in models])

    async def create_all(self, *models: type[IgniteModel]) -> Plan:
        """Create caches, tables and binary types for ``models``; add new columns and indexes.

        Idempotent.  Refuses (:class:`~ignite_orm.schema.SchemaConflictError`) before
        writing anything if any model is incompatible with what the cluster holds.
        """
        plan = await self.plan(*models)
        plan.check()
        for model in models:
            info = info_of(model)
            await self.client.register_binary_type(info.value_class)
            if info.key_class is not None:
                await self.client.register_binary_type(info.key_class)
        for step in plan.steps:
            info = info_of(step.target)  # by identity: two models may share a class name
            if step.kind == "create_cache":
                # If-absent: a cache created meanwhile is fine, but any other refusal (a
                # table of that name in the schema, a bad setting) must not pass silently.
                await self.client.get_or_create_cache(cache_config(info))
            elif step.sql is not None:
                await self.client.sql(step.sql)  # runs the DDL (the cursor has no rows)
        return plan

    async def drop_all(self, *models: type[IgniteModel]) -> None:
        """Destroy the models' caches (and so their tables and data)."""
        names = await self.client.get_cache_names()
        for model in models:
            info = info_of(model)
            if info.cache_name in names:
                await (await self.cache_of(info)).destroy()
            self._caches.pop(info.cache_name or "", None)

    # -- access ----------------------------------------------------------------------------

    def repository(self, model: type[M]) -> AioRepository[M]:
        """The typed repository of ``model``."""
        return AioRepository(self, model)

    def session(self) -> AioSession:
        """A unit of work: ``async with db.session() as s: ...``; commits on success."""
        return AioSession(self)

    # -- typed queries (ignite_orm.query) ---------------------------------------------------

    def query(self, stmt: Select[R]) -> _run.AioResult[R]:
        """The rows of a typed ``select(...)`` (streamed; see :mod:`ignite_orm.query`)."""
        return _run.AioResult(self, stmt)

    async def execute(self, stmt: Update[Any] | Delete[Any]) -> int:
        """Run a typed ``update(...)`` or ``delete(...)``; the number of rows changed."""
        return await _run.execute_statement(self, stmt)

    async def load_references(
        self, objs: Sequence[IgniteModel], target: type[M], *, via: str | None = None
    ) -> list[M | None]:
        """Many-to-one: each object's ``target`` (``References(target)`` field), one request."""
        return await _run.load_references(self, objs, target, via)

    async def load_referrers(
        self, objs: Sequence[IgniteModel], source: type[M], *, via: str | None = None
    ) -> list[list[M]]:
        """One-to-many: each object's ``source`` objects referring to it, one SQL query."""
        return await _run.load_referrers(self, objs, source, via)
