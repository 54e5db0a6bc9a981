"""Repositories: the typed key-value, scan and SQL API of one model.

Written once for asyncio; the sync twin is generated from it by ``tools/unasync.py``.
:class:`AioRepository` ``[M]`` reads through a trusted fast path (``model_construct``)
unless ``validate=True``.  Keys are checked by :mod:`._keys` before anything is sent;
what stays here is I/O: requests to the cache and SQL cursors.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ignite_wire import AioCache

from . import aio_load as _bulk  # repository.load (issue 14, item 3)
from ._keys import make_key, raw_key, split_key
from ._rows import is_entry_header
from ._rows import row_type as make_row_type
from ._sql_names import qualified_name
from ._types import sql_parameter
from ._versioned import as_stored, guarded_update, sql_writable
from ._where import append_condition
from .aio_watch import AioWatch  # unasync: from .watch import Watch
from .errors import InvalidKeyError, StoredValueError
from .index_queries import plan_index_query
from .mapping import Send, info_of
from .model import IgniteModel

if TYPE_CHECKING:
    from .aio_database import AioDatabase  # unasync: from .database import Database

__all__ = ["PUT_BATCH_SIZE", "AioRepository", "OnInvalid"]

M = TypeVar("M", bound=IgniteModel)
#: Entries per put_all request of put_many.  Measured on a three-node loopback cluster,
#: 10,000 small objects into a TRANSACTIONAL cache (backups=1): routed by partition, whole
#: 0.24-0.53 s, in batches of 1,000 0.38-0.42 s, of 500 0.44-0.50 s, of 100 0.72-1.83 s;
#: sent to one node (no partition map), whole 22-31 s, batches of 1,000 2.4 s, of 500
#: 2.5 s, of 100 3.2 s, of 2,000 3.8 s, of 5,000 11.5 s.  A node coordinating keys it is
#: not primary for slows down sharply with the batch; 1,000 keeps that bounded and costs
#: little otherwise.
PUT_BATCH_SIZE = 1000
#: Called with each stored object a scan or query cannot read; the object is skipped.
OnInvalid = Callable[[StoredValueError], object]


class AioRepository(Generic[M]):
    """Typed access to one model's cache; see the module docstring."""

    def __init__(self, db: AioDatabase, model: type[M]) -> None:
        self.db = db
        self.model = model
        self.info = info_of(model)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self.model.__name__} in {self.info.cache_name!r}>"

    async def _cache(self) -> AioCache:
        return await self.db.cache_of(self.info)

    # -- keys -------------------------------------------------------------------------------

    def key(self, key: Any = None, /, **fields: Any) -> Any:
        """The cache key for ``key`` (single-field keys) or ``field=value`` pairs.

        Checked before anything is sent: wrong fields or a value of the wrong type raise
        :class:`InvalidKeyError`.
        """
        return make_key(self.info, key, fields)

    def _check(self, obj: Any) -> M:
        if not isinstance(obj, self.model):
            raise TypeError(f"expected a {self.model.__name__}, got {type(obj).__name__}")
        return obj

    def _entry(self, obj: Any) -> tuple[Any, Any]:
        """``(key, value)`` of ``obj`` through the general writer (a ``TypeError`` for
        anything not a model instance): what the senders fall back to."""
        return self.info.to_entry(self._check(obj))

    def _load(self, key: Any, value: Any, validate: bool) -> M:
        return self.info.from_entry(key, value, validate=validate)

    def _load_or_skip(
        self, key: Any, value: Any, validate: bool, on_invalid: OnInvalid | None
    ) -> M | None:
        """The object, or ``None`` after reporting a bad one to ``on_invalid``."""
        try:
            return self._load(key, value, validate)
        except StoredValueError as exc:
            if on_invalid is None:
                raise
            on_invalid(exc)
            return None

    # -- key-value --------------------------------------------------------------------------

    async def get(self, key: Any = None, /, *, validate: bool = False, **fields: Any) -> M | None:
        """The object with this key, or ``None``."""
        info = self.info
        if type(key) is info.plain_key_type and not fields:
            # The common case (an int/str/UUID key of its field's exact type, as make_key
            # takes it as it is) without building and taking apart the (key, hint) pair.
            value = await (await self._cache()).get(key, info.key_fields[0].type.hint)
            if value is None:
                return None
            return info.from_entry(key, value, validate=validate)
        k = self.key(key, **fields)
        value = await (await self._cache()).get(*split_key(k))
        if value is None:
            return None
        return self._load(raw_key(k), value, validate)

    async def get_many(self, keys: Iterable[Any], *, validate: bool = False) -> list[M]:
        """The objects with these keys that exist (keys as for :meth:`key`)."""
        wire_keys = [self.key(**k) if isinstance(k, dict) else self.key(k) for k in keys]
        found = await (await self._cache()).get_all(wire_keys)
        return [self._load(k, v, validate) for k, v in found.items()]

    async def put(self, obj: M) -> None:
        """Store ``obj`` under the key its key fields make."""
        key, value = self.info.sender()[0](obj, self._entry)
        key, hint = split_key(key)  # as a raw put passes them: the key's fast path
        await (await self._cache()).put(key, value, hint)

    async def _put_in(self, cache: AioCache, send: Send, obj: M) -> None:
        """:meth:`put` into ``cache`` with ``send`` (``info.sender()[0]``): both looked
        up once by a commit that writes many."""
        key, value = send(obj, self._entry)
        if type(key) is tuple:  # (value, hint): split_key, inline
            await cache.put(key[0], value, key[1])
        else:
            await cache.put(key, value)

    async def put_many(
        self,
        objs: Iterable[M],
        *,
        batch_size: int = PUT_BATCH_SIZE,
        progress: Callable[[int, int], object] | None = None,
    ) -> None:
        """Store many objects, ``batch_size`` at a time; ``progress(done, total)`` after each.

        Every object is checked and converted before anything is sent (one bad object
        stores none); a model whose fields need no conversion is written straight from
        its ``__dict__`` (``ignite_wire.binary.write_as``) as its batch is encoded.
        Each batch is split by primary node and the parts go to their nodes concurrently;
        batches are sent one after another, so one request never holds more than
        ``batch_size`` entries (see :data:`PUT_BATCH_SIZE` for why).
        """
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"put_many(): batch_size must be an int >= 1, not {batch_size!r}")
        # (_entry raises for anything not a model instance)
        entries = self.info.sender()[1](objs, self._entry)
        cache = await self._cache()
        total = len(entries)
        for start in range(0, total, batch_size):
            await cache.put_all(entries[start : start + batch_size])
            if progress is not None:
                progress(min(start + batch_size, total), total)

    # -- bulk loading (issue 14, item 3; docs/bulk-loading.md) ----------------------------

    async def load(
        self,
        objs: Iterable[M],
        *,
        allow_overwrite: bool = False,
        batch_size: int = _bulk.DEFAULT_BATCH_SIZE,
        parallel: int = _bulk.DEFAULT_PARALLEL,
        progress: Callable[[int, int], object] | None = None,
    ) -> int:
        """Load many objects through the data streamer; the number stored.

        Faster than :meth:`put_many` and in bounded memory (``objs`` may be a generator).
        ``allow_overwrite=False`` keeps objects whose key is already stored;
        ``progress(loaded, failed)`` is called as batches finish; failed batches raise
        ``ignite_wire.streamer.DataStreamerError`` with their keys at the end.
        """
        return await _bulk.load(
            self,
            objs,
            allow_overwrite=allow_overwrite,
            batch_size=batch_size,
            parallel=parallel,
            progress=progress,
        )

    # -- end of bulk loading --------------------------------------------------------------

    async def insert(self, obj: M) -> bool:
        """Store ``obj`` only if its key is free; whether it was stored."""
        key, value = self.info.sender()[0](obj, self._entry)
        key, hint = split_key(key)  # as a raw put passes them: the key's fast path
        return await (await self._cache()).put_if_absent(key, value, hint)

    async def replace(self, obj: M) -> bool:
        """Store ``obj`` only if its key exists; whether it was stored."""
        key, value = self.info.sender()[0](obj, self._entry)
        key, hint = split_key(key)  # as a raw put passes them: the key's fast path
        return await (await self._cache()).replace(key, value, hint)

    async def replace_if(self, expected: M, new: M) -> bool:
        """Store ``new`` only if the stored object is still ``expected``; whether it was.

        With a ``Version`` field, "still" means the same version, however the row was
        written (SQL, another client, an older model): see :mod:`._versioned`.  Without
        one, the stored object must equal ``expected`` as the model reads it, and the
        server must confirm it byte for byte (in the layout the row was written with, for
        a row of an older version of the model).
        """
        key, old_value = self.info.to_entry(self._check(expected))
        new_key, new_value = self.info.to_entry(self._check(new))
        if raw_key(new_key) != raw_key(key):
            raise InvalidKeyError(f"{self.model.__name__}: replace_if cannot change the key")
        cache = await self._cache()
        if await cache.replace_if_equals(key, old_value, new_value):
            return True
        # Other bytes than ours: compare what the check means, then let the server compare.
        stored = await cache.get(*split_key(key))
        if stored is None:
            return False
        current = self._load(raw_key(key), stored, False)
        version = self.info.version_field
        if version is None and current != expected:
            return False
        if version is not None and getattr(current, version) != getattr(expected, version):
            return False
        layout = as_stored(stored)  # a row of an older model: its own bytes again
        if layout is not None and await cache.replace_if_equals(key, layout, new_value):
            return True
        if version is None or not sql_writable(self.info):
            return False
        query, args = guarded_update(self.info, raw_key(key), new_value, getattr(expected, version))
        async with self.db.client.sql(query, query_args=args) as cursor:
            counts = [row async for row in cursor]  # unasync: counts = list(cursor)
        return bool(counts and counts[0][0])

    async def _replace_locked(self, expected: M, new: M) -> bool:
        """In a pessimistic transaction: replace if the stored object is ``expected``.

        The read locks the key until the transaction ends, so compare-then-put is atomic;
        the stored object is compared as the model reads it (a row written by SQL or by
        an older model equals what was loaded from it), not as bytes.
        """
        key, _ = self.info.to_entry(self._check(expected))
        _, new_value = self.info.to_entry(self._check(new))
        cache = await self._cache()
        k, hint = split_key(key)
        stored = await cache.get(k, hint)
        if stored is None:
            return False
        if self._load(raw_key(key), stored, False) != expected:
            return False
        await cache.put(k, new_value, hint)
        return True

    async def delete(self, key: Any = None, /, **fields: Any) -> bool:
        """Remove the object with this key; whether it existed."""
        return await (await self._cache()).remove_key(*split_key(self.key(key, **fields)))

    async def delete_many(self, keys: Iterable[Any]) -> None:
        """Remove the objects with these keys."""
        wire_keys = [self.key(**k) if isinstance(k, dict) else self.key(k) for k in keys]
        await (await self._cache()).remove_keys(wire_keys)

    async def exists(self, key: Any = None, /, **fields: Any) -> bool:
        """Whether an object with this key exists."""
        return await (await self._cache()).contains_key(*split_key(self.key(key, **fields)))

    async def count(self) -> int:
        """The number of objects."""
        return await (await self._cache()).get_size()

    async def clear(self) -> None:
        """Remove every object."""
        await (await self._cache()).clear()

    # -- watching -----------------------------------------------------------------------------

    def watch(
        self,
        *,
        snapshot: bool = False,
        buffer_size: int = 1,
        time_interval: float = 0.0,
        validate: bool = False,
    ) -> AioWatch[M]:
        """This model's changes as they happen (:mod:`ignite_orm.changes`); with
        ``snapshot``, every existing object first.  Use ``async with`` to stop it."""
        options = {
            "initial_scan": snapshot,
            "buffer_size": buffer_size,
            "time_interval": time_interval,
        }
        return AioWatch(self, options, validate)

    # -- scans and SQL ------------------------------------------------------------------------

    async def scan(
        self,
        *,
        page_size: int = 1024,
        validate: bool = False,
        on_invalid: OnInvalid | None = None,
    ) -> AsyncIterator[M]:
        """Every object, streamed page by page from the server.

        A stored object the model cannot read raises :class:`StoredValueError` (ending the
        scan), or, given ``on_invalid``, is passed to it as that error and skipped.
        """
        cursor = (await self._cache()).scan(page_size=page_size)
        async with cursor:
            async for key, value in cursor:
                obj = self._load_or_skip(key, value, validate, on_invalid)
                if obj is not None:
                    yield obj

    async def index_query(
        self,
        *conditions: Any,
        index: str | None = None,
        limit: int = 0,
        page_size: int = 1024,
        validate: bool = False,
    ) -> AsyncIterator[M]:
        """The objects matching ``conditions`` on ``Indexed`` fields, read through the
        index (:mod:`ignite_orm.index_queries`); routed to one partition when an ``==`` on
        the affinity field fixes it."""
        plan = plan_index_query(self.info, conditions)
        cache = await self._cache()
        partition = -1
        if plan.affinity is not None:
            partition = await cache.partition_of(*plan.affinity)
        cursor = cache.index_query(
            self.info.type_name,
            plan.criteria,
            index_name=index,
            page_size=page_size,
            partition=partition,
            limit=limit,
        )
        async with cursor:
            async for key, value in cursor:
                yield self._load(key, value, validate)

    async def select(
        self,
        where: str = "",
        *args: Any,
        validate: bool = False,
        page_size: int = 1024,
        on_invalid: OnInvalid | None = None,
    ) -> list[M]:
        """Objects matching a SQL condition: ``select("age > ? ORDER BY name", 30)``.

        A condition starting with ``ORDER BY``, ``LIMIT`` or ``OFFSET`` gets no ``WHERE``.
        """
        info = self.info
        table = qualified_name(info.settings.sql_schema, info.table)
        query = append_condition(f"SELECT _KEY, _VAL FROM {table}", where)
        rows = self.sql(query, *args, validate=validate, page_size=page_size, on_invalid=on_invalid)
        return [m async for m in rows]  # unasync: return list(rows)

    async def sql(
        self,
        query: str,
        *args: Any,
        validate: bool = False,
        page_size: int = 1024,
        on_invalid: OnInvalid | None = None,
        **options: Any,
    ) -> AsyncIterator[Any]:
        """Run SQL: models when it selects ``_KEY, _VAL``, else typed rows (named tuples).

        Parameters are passed as the ORM stores values (an enum member as its value).
        """
        cursor = self.db.client.sql(
            query,
            query_args=[sql_parameter(a) for a in args],
            include_field_names=True,
            page_size=page_size,
            **options,
        )
        async with cursor:
            names: list[str] | None = None
            row_type: Any = None
            async for row in cursor:
                if names is None:
                    names = [str(n) for n in row]
                    if not is_entry_header(names):
                        row_type = make_row_type(names)
                    continue
                if row_type is None:
                    obj = self._load_or_skip(row[0], row[1], validate, on_invalid)
                    if obj is not None:
                        yield obj
                else:
                    yield row_type(*row)
