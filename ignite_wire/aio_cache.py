"""A cache handle: key-value operations, queries, configuration (pyignite's module path).

How each call reaches a connection is the business of the ``_cache_calls`` base class.
"""

# unasync-skip-start
# The source of cache.py: ``python tools/unasync.py`` generates it from this file.
# unasync-skip-end

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from . import _checks, _facade, _index_flow, _policy
from ._aio_cache_calls import _AioCacheCalls, answer_bool, answer_value
from ._aio_continuous import AioContinuousQuery
from ._aio_cursors import AioScanCursor, AioSqlRowCursor
from ._aio_streamer import AioDataStreamer  # bulk loading (issue 14, item 3)
from ._arguments import ScanQuery, SelectRowQuery
from ._facade_streamer import DEFAULT_BATCH_SIZE, DEFAULT_PARALLEL, StreamOptions
from ._protocol.affinity import partition_of
from ._protocol.codec import key_hash
from ._protocol.expiry_policy import ExpiryPolicy
from ._protocol.opcodes import OP
from ._protocol.ops import admin, cache
from ._protocol.ops.common import naming_cache
from ._protocol.ops.index_query import Criterion

if TYPE_CHECKING:
    pass  # unasync: from .client import Client

__all__ = ["AioCache"]


class AioCache(_AioCacheCalls):
    """A cache handle: key-value operations, scan, size, configuration."""

    def with_expire_policy(
        self,
        expiry_policy: object = None,
        create: int | timedelta | None = None,
        update: int | timedelta | None = None,
        access: int | timedelta | None = None,
    ) -> AioCache:
        """A handle on the same cache whose writes and reads apply this expiry policy.

        TTLs are milliseconds or ``timedelta``; ``None`` keeps the entry's TTL unchanged.
        """
        policy = expiry_policy
        if policy is None:
            policy = ExpiryPolicy(create=create, update=update, access=access)
        _facade.expiry_bytes(policy)  # validate now, not on first use
        return type(self)(self._client, self._name, policy)

    # unasync: @property
    async def settings(self) -> dict[int, Any]:
        """The cache configuration as ``{PROP_*: value}`` (read from the cluster)."""
        client = self._client

        async def read() -> dict[int, Any]:
            conn = await client._current()
            version = conn.protocol.version
            assert version is not None
            ctx = client._context()
            flow = admin.get_configuration(self._cache_id, version, ctx)
            return await client._run(naming_cache(flow, self._name), conn)

        return await client._retrying(read, write=False)

    async def destroy(self) -> None:
        """Destroy the cache and its data."""
        await self._client._run(naming_cache(admin.destroy(self._cache_id), self._name))

    # -- key-value -----------------------------------------------------------------------

    async def get(self, key: object, key_hint: object = None) -> Any:
        """The value of ``key``, or ``None``."""
        return await self._call(OP.CACHE_GET, [(key, key_hint)], answer_value)

    async def put(
        self, key: object, value: object, key_hint: object = None, value_hint: object = None
    ) -> None:
        """Store ``value`` under ``key``."""
        await self._call(OP.CACHE_PUT, [(key, key_hint), (value, value_hint)], None)

    async def get_all(self, keys: Iterable[object]) -> dict[Any, Any]:
        """The values of ``keys`` that exist, as a dict."""
        items = _facade.list_param(keys, "keys")
        try:
            parts = await self._batch(
                lambda h, ctx, part: cache.get_all(h, part, ctx),
                items,
                pairs=False,
                write=False,
            )
        except Exception as exc:
            _checks.raise_named_items(exc, OP.CACHE_GET_ALL, "keys", items)
            raise
        return _policy.merge_found(parts)

    async def put_all(self, pairs: Mapping[Any, Any] | Iterable[tuple[Any, Any]]) -> None:
        """Store every ``key: value`` of ``pairs``."""
        items = _facade.pairs_param(pairs, "put_all(): pairs")
        try:
            await self._batch(
                lambda h, ctx, part: cache.put_all(h, part, ctx),
                items,
                pairs=True,
                write=True,
            )
        except Exception as exc:
            _checks.raise_named_items(exc, OP.CACHE_PUT_ALL, "pairs", items, pairs=True)
            raise

    async def replace(
        self, key: object, value: object, key_hint: object = None, value_hint: object = None
    ) -> bool:
        """Store ``value`` only if ``key`` exists; whether it did."""
        return bool(
            await self._call(OP.CACHE_REPLACE, [(key, key_hint), (value, value_hint)], answer_bool)
        )

    async def replace_if_equals(
        self,
        key: object,
        sample: object,
        value: object,
        key_hint: object = None,
        sample_hint: object = None,
        value_hint: object = None,
    ) -> bool:
        """Store ``value`` only if the current value equals ``sample``; whether it did."""
        args = [(key, key_hint), (sample, sample_hint), (value, value_hint)]
        return bool(await self._call(OP.CACHE_REPLACE_IF_EQUALS, args, answer_bool))

    async def put_if_absent(
        self, key: object, value: object, key_hint: object = None, value_hint: object = None
    ) -> bool:
        """Store ``value`` only if ``key`` is absent; whether it did."""
        return bool(
            await self._call(
                OP.CACHE_PUT_IF_ABSENT, [(key, key_hint), (value, value_hint)], answer_bool
            )
        )

    async def get_and_put(
        self, key: object, value: object, key_hint: object = None, value_hint: object = None
    ) -> Any:
        """Store ``value``; return the previous value (or ``None``)."""
        return await self._call(
            OP.CACHE_GET_AND_PUT, [(key, key_hint), (value, value_hint)], answer_value
        )

    async def get_and_put_if_absent(
        self, key: object, value: object, key_hint: object = None, value_hint: object = None
    ) -> Any:
        """Store ``value`` if absent; return the current value (``None`` if it was stored)."""
        return await self._call(
            OP.CACHE_GET_AND_PUT_IF_ABSENT,
            [(key, key_hint), (value, value_hint)],
            answer_value,
        )

    async def get_and_replace(
        self, key: object, value: object, key_hint: object = None, value_hint: object = None
    ) -> Any:
        """Replace if present; return the previous value (or ``None``, nothing stored)."""
        return await self._call(
            OP.CACHE_GET_AND_REPLACE, [(key, key_hint), (value, value_hint)], answer_value
        )

    async def get_and_remove(self, key: object, key_hint: object = None) -> Any:
        """Remove ``key``; return its value (or ``None``)."""
        return await self._call(OP.CACHE_GET_AND_REMOVE, [(key, key_hint)], answer_value)

    async def remove_key(self, key: object, key_hint: object = None) -> bool:
        """Remove ``key``; whether it existed."""
        return bool(await self._call(OP.CACHE_REMOVE_KEY, [(key, key_hint)], answer_bool))

    async def remove_if_equals(
        self, key: object, sample: object, key_hint: object = None, sample_hint: object = None
    ) -> bool:
        """Remove ``key`` only if its value equals ``sample``; whether it did."""
        args = [(key, key_hint), (sample, sample_hint)]
        return bool(await self._call(OP.CACHE_REMOVE_IF_EQUALS, args, answer_bool))

    async def remove_keys(self, keys: Iterable[object]) -> None:
        """Remove every key of ``keys`` (``(key, hint)`` pairs allowed)."""
        await self._keys(OP.CACHE_REMOVE_KEYS, keys, None)

    async def remove_all(self) -> None:
        """Remove every entry, notifying listeners and write-through stores."""
        await self._whole(OP.CACHE_REMOVE_ALL)

    async def clear(self, keys: Iterable[object] | None = None) -> None:
        """Clear ``keys``, or the whole cache (no listeners, no stores)."""
        if keys is not None:
            await self.clear_keys(keys)
        else:
            await self._whole(OP.CACHE_CLEAR)

    async def clear_key(self, key: object, key_hint: object = None) -> None:
        """Clear one key (no listeners, no stores)."""
        await self._call(OP.CACHE_CLEAR_KEY, [(key, key_hint)], None)

    async def clear_keys(self, keys: Iterable[object]) -> None:
        """Clear the given keys (no listeners, no stores)."""
        await self._keys(OP.CACHE_CLEAR_KEYS, keys, None)

    async def contains_key(self, key: object, key_hint: object = None) -> bool:
        """Whether ``key`` is in the cache."""
        return bool(await self._call(OP.CACHE_CONTAINS_KEY, [(key, key_hint)], answer_bool))

    async def contains_keys(self, keys: Iterable[object]) -> bool:
        """Whether every key of ``keys`` is in the cache."""
        return all(await self._keys(OP.CACHE_CONTAINS_KEYS, keys, cache.read_bool))

    async def get_size(self, peek_modes: int | Iterable[int] | None = None) -> int:
        """The number of entries, counted as ``peek_modes`` say (default: all)."""
        _checks.peek_modes(peek_modes, "get_size(): peek_modes")
        modes = _facade.peek_mode_list(peek_modes)
        return await self._flow(lambda h, ctx: cache.get_size(h, modes, ctx), write=False)

    # -- bulk loading (issue 14, item 3; docs/bulk-loading.md) ------------------------------

    def streamer(
        self,
        *,
        allow_overwrite: bool = False,
        skip_store: bool = False,
        batch_size: int = DEFAULT_BATCH_SIZE,
        parallel: int = DEFAULT_PARALLEL,
        progress: Callable[[int, int], object] | None = None,
    ) -> AioDataStreamer:
        """A data streamer into this cache: the fastest way to load many entries.

        ``allow_overwrite=False`` (Ignite's default) keeps entries whose key exists;
        ``parallel`` bounds the batches in flight per node; ``progress(loaded, failed)``
        is called as batches finish.  Use it with ``async with``; see the guide.
        """
        options = StreamOptions(allow_overwrite, skip_store, batch_size, parallel, progress)
        return AioDataStreamer(self, options)

    # -- end of bulk loading ------------------------------------------------------------

    # -- queries -------------------------------------------------------------------------

    def scan(
        self, page_size: int = 1024, partitions: int = -1, local: bool = False
    ) -> AioScanCursor:
        """Iterate over ``(key, value)`` pairs, ``page_size`` per server round trip.

        The default is Java's 1024, not pyignite's 1 (one round trip per entry: about
        15 times the client CPU per object); see the migration notes.

        ``partitions`` restricts the scan to one partition (-1: all); ``local`` scans only
        the connected node's data.  Leaving the loop early frees the server cursor.
        """
        checked = ScanQuery.check(self._name, page_size, partitions, local)
        return AioScanCursor(
            self._client, self._cache_id, checked.first_page, self._expiry, partitions
        )

    def index_query(
        self,
        value_type: str,
        criteria: Sequence[Criterion] = (),
        *,
        index_name: str | None = None,
        page_size: int = 1024,
        partition: int = -1,
        local: bool = False,
        limit: int = 0,
    ) -> AioScanCursor:
        """Iterate over ``(key, value)`` pairs of ``value_type`` through a secondary index
        (:mod:`ignite_wire.index_query` builds ``criteria``; all must hold).

        ``partition`` (when the criteria fix it) sends the query to that partition's
        primary node and searches only there; ``limit`` caps the entries (0: none).
        ``NotSupportedByClusterError`` against a server without index queries.
        """
        _checks.text(value_type, "index_query(): value_type")
        _checks.criteria(criteria, "index_query(): criteria")
        _checks.optional_text(index_name, "index_query(): index_name")
        _facade.int_param(page_size, "index_query(): page_size", 1, 2**31 - 1)
        _facade.int_param(partition, "index_query(): partition", -1, 65535)
        _facade.int_param(limit, "index_query(): limit", 0, 2**31 - 1)
        first_page = _index_flow.first_page(
            self._client._pool.open_connections,
            self._name,
            value_type,
            criteria,
            index_name=index_name,
            page_size=page_size,
            partition=partition,
            local=local,
            limit=limit,
        )
        return AioScanCursor(self._client, self._cache_id, first_page, self._expiry, partition)

    async def partition_of(self, key: object, key_hint: object = None) -> int:
        """The partition ``key`` belongs to, or -1 if the cluster's map is not available
        to this client (a replicated cache, a custom affinity function)."""
        _checks.encodable(key, "partition_of(): key", key_hint)
        affinity = await self._client._pool.cache_affinity(self._cache_id)
        if affinity is None or not affinity.primaries:
            return -1
        h = key_hash(
            key,
            key_hint,
            ctx=self._client._context(),
            affinity_key_fields=affinity.key_fields,
        )
        return -1 if h is None else partition_of(h, len(affinity.primaries))

    async def continuous_query(
        self,
        *,
        buffer_size: int = 1,
        time_interval: float = 0.0,
        include_expired: bool = False,
        initial_scan: bool = False,
        page_size: int = 1024,
        restart_timeout: float = 30.0,
    ) -> AioContinuousQuery:
        """Start receiving this cache's changes (:mod:`ignite_wire.continuous`).

        The server batches up to ``buffer_size`` events, sending early after
        ``time_interval`` seconds (0: only when the batch is full).  ``initial_scan``
        first yields every entry present (``InitialEntry``), read ``page_size`` at a time
        from the first ``get``, after the listener is registered.  The server may drop
        the events of changes made in the first moments after the start: call
        ``confirm_live(marker_key)`` on the query when every change matters.  If the
        serving node fails, an ``EventsMissed`` is yielded and the query is started again
        on another node within ``restart_timeout`` seconds.  Close it (or use ``async
        with``) to stop it on the server.
        """
        cq = AioContinuousQuery(
            self,
            buffer_size=buffer_size,
            time_interval=time_interval,
            include_expired=include_expired,
            initial_scan=initial_scan,
            page_size=page_size,
            restart_timeout=restart_timeout,
        )
        await cq._start()
        return cq

    def select_row(
        self,
        query_str: str,
        page_size: int = 1,
        query_args: Sequence[Any] | None = None,
        distributed_joins: bool = False,
        replicated_only: bool = False,
        local: bool = False,
        timeout: int = 0,
    ) -> AioSqlRowCursor:
        """Whole ``(key, value)`` entries whose value matches ``query_str`` (pyignite's).

        The older SQL query (Java's ``SqlQuery``): ``query_str`` is what follows ``SELECT
        * FROM <table>``, such as ``"GRADE > ? ORDER BY ID"``, over the value type of the
        cache's first query entity.  For columns and joins use :meth:`AioClient.sql`.
        """
        _checks.text(query_str, "select_row(): query_str")
        _checks.encodable_items(query_args, "select_row(): query_args")
        checked = SelectRowQuery.check(
            self._name,
            query_str,
            page_size=page_size,
            query_args=query_args,
            timeout=timeout,
            distributed_joins=distributed_joins,
            replicated_only=replicated_only,
            local=local,
        )
        return AioSqlRowCursor(self, checked.first_page)
