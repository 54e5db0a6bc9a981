"""The asyncio client: ``AioClient`` and its caches, cursors, transactions and cluster.

This file is the source of the sync client too: ``tools/unasync.py`` turns it into
:mod:`ignite_wire.client` (``await`` dropped, ``Aio`` prefixes removed, lines marked
``# unasync:`` replaced).  Edit here, then run ``python tools/unasync.py``; the lint
session fails when the two have drifted.

Every operation is a flow from :mod:`ignite_wire._protocol.ops`; this layer only picks the
connection, builds the cache header (expiry policy, active transaction) and drives the
flow.  Failover follows the seed: a failed connection's error propagates
(``SocketError``, an ``OSError``), the next call reconnects to a listed node, and
``ReconnectError`` says no node could be reached.
"""

from __future__ import annotations

import dataclasses
import enum
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar

from . import _facade, _index_flow, _sql_partitions
from ._aio_atomic import AioAtomicLong
from ._aio_continuous import AioContinuousQuery
from ._aio_nodes import AioNodePool
from ._aio_streamer import AioDataStreamer  # bulk loading (issue 14, item 3)
from ._connecting import AioConnecting
from ._facade_streamer import DEFAULT_BATCH_SIZE, DEFAULT_PARALLEL, StreamOptions
from ._prefetch import AioPrefetch
from ._protocol.affinity import partition_of
from ._protocol.binary_object import make_class
from ._protocol.binary_types import BinaryTypeRegistry
from ._protocol.codec import key_hash
from ._protocol.context import CodecContext
from ._protocol.expiry_policy import ExpiryPolicy
from ._protocol.flow import Flow
from ._protocol.opcodes import OpCode
from ._protocol.ops import admin, cache, cluster, query, tx
from ._protocol.ops.common import fetch_binary_type, naming_cache, register_pending
from ._protocol.requirements import require
from ._transport.aio import AioConnection, gather
from ._transport.options import parse_addresses
from .datatypes.cluster_state import ClusterState
from .datatypes.prop_codes import PROP_QUERY_ENTITIES
from .datatypes.transactions import TransactionConcurrency, TransactionIsolation
from .exceptions import (
    ParameterError,
    RequestTimeoutError,
    SocketError,
    SQLError,
    TransactionError,
)
from .monitoring import EventDispatcher
from .protocol_context import ProtocolContext
from .retry import RetryPolicy
from .utils import entity_id, schema_id

__all__ = [
    "AioCache",
    "AioClient",
    "AioCluster",
    "AioScanCursor",
    "AioSqlCursor",
    "AioSqlRowCursor",
    "AioTransaction",
]

T = TypeVar("T")


class AioClient:
    """A thin client of an Ignite cluster (pyignite's constructor arguments).

    Args:
        compact_footer: write complex objects with compact footers (default: yes, as the
            server does).
        partition_aware: route key operations to the key's primary node (cluster issue).
        event_listeners: :mod:`ignite_wire.monitoring` listeners (connections, requests).
        timeout: seconds to wait for each answer (``None``: no limit).
        handshake_timeout: seconds for connect, TLS and handshake.
        use_ssl, ssl_*: TLS, as in the seed's table; ``ssl_context`` for a ready context.
        username, password: credentials (they turn TLS on unless ``use_ssl=False``).
        retry_policy: what is repeated after a connection failure (:mod:`ignite_wire.retry`;
            default: reads, twice).
        heartbeat_interval: seconds between pings of idle connections (at most a third of
            the server's idle timeout); ``None`` turns heartbeats off.
        cluster_discovery: with partition awareness, also connect to server nodes that
            were not listed (learned from the cluster; on by default).
    """

    def __init__(
        self,
        compact_footer: bool | None = None,
        partition_aware: bool = True,
        event_listeners: Iterable[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self._compact_footer = True if compact_footer is None else bool(compact_footer)
        self._partition_aware = partition_aware
        events = EventDispatcher(event_listeners)
        retry_policy = kwargs.pop("retry_policy", None) or RetryPolicy()
        heartbeat_interval = kwargs.pop("heartbeat_interval", 30.0)
        discovery = bool(kwargs.pop("cluster_discovery", True))
        if heartbeat_interval is not None and not _facade.is_seconds(heartbeat_interval):
            raise ParameterError("Client(): heartbeat_interval must be > 0 seconds or None")
        if not isinstance(retry_policy, RetryPolicy):
            raise ParameterError(
                f"Client(): retry_policy must be a RetryPolicy, got {retry_policy!r}"
            )
        try:
            options = _facade.client_options(**kwargs)
        except TypeError as exc:
            raise ParameterError(f"Client(): {exc}") from None
        has_listeners = bool(events.connection or events.query)
        self._options = dataclasses.replace(options, events=events if has_listeners else None)
        self._registry = BinaryTypeRegistry()
        self._pool = AioNodePool(
            self._options,
            partition_aware=bool(partition_aware),
            retry_policy=retry_policy,
            new_context=lambda: _facade.new_context(self),
            heartbeat_interval=heartbeat_interval,
            discovery=discovery,
        )

    def __repr__(self) -> str:
        nodes = ", ".join(str(n) for n in self._pool.nodes)
        return f"<{type(self).__name__} {self._pool.describe()} nodes=[{nodes}]>"

    @property
    def partition_aware(self) -> bool:
        return self._pool.partition_aware

    # -- connecting ----------------------------------------------------------------------

    def connect(self, *args: Any) -> AioConnecting[AioClient]:
        """Connect: ``()``, ``(host, port)``, or ``([(host, port), ...])``.

        With partition awareness every listed node is connected at once; otherwise the
        first node that answers.  ``ReconnectError`` if none can be reached.  The result is
        a context manager, pyignite's idiom: ``with client.connect(...):`` (asyncio:
        ``async with``) closes the client when the block ends.  The asyncio client
        connects when the result is awaited or entered, the sync one at once.
        """
        nodes = parse_addresses(*args)
        return AioConnecting(self, lambda: self._pool.connect(nodes))

    @property
    def protocol_context(self) -> ProtocolContext | None:
        """The protocol version and features negotiated with the cluster (pyignite's).

        ``None`` while no connection is open.  Nodes of one cluster run one version, so
        any open connection answers.
        """
        for conn in self._pool.open_connections():
            proto = conn.protocol
            if proto.version is not None:
                return ProtocolContext(proto.version, proto.features)
        return None

    async def close(self) -> None:
        """Close every connection; the client can :meth:`connect` again."""
        await self._pool.close()

    async def __aenter__(self) -> AioClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _current(self) -> AioConnection:
        return await self._pool.current()

    async def _run(self, flow: Flow[T], conn: AioConnection | None = None) -> T:
        """Drive ``flow`` on ``conn`` (a key's node, a cursor's, a transaction's) or any."""
        return await self._pool.run(flow, conn)

    async def _run_on(self, conn: AioConnection, flow: Flow[T]) -> T:
        return await self._pool.run_on(conn, flow)

    async def _retrying(self, call: Callable[[], Awaitable[T]], *, write: bool) -> T:
        """Run ``call``; after a connection failure repeat it as the retry policy allows."""
        attempt = 0
        while True:
            try:
                return await call()
            except RequestTimeoutError:
                raise  # the caller's time bound is spent: a retry would multiply it
            except SocketError:
                if not await self._pool.retry_wait(attempt, write=write):
                    raise
                attempt += 1

    # -- caches --------------------------------------------------------------------------

    async def create_cache(self, settings: str | Mapping[int, Any]) -> AioCache:
        """Create a cache; ``CacheCreationError`` if it exists."""
        return await self._create(settings, if_absent=False)

    async def get_or_create_cache(self, settings: str | Mapping[int, Any]) -> AioCache:
        """Return the cache, creating it with ``settings`` if it does not exist."""
        return await self._create(settings, if_absent=True)

    async def _create(self, settings: str | Mapping[int, Any], *, if_absent: bool) -> AioCache:
        name = _facade.cache_name_of(settings)
        if isinstance(settings, str):
            await self._run(admin.create_with_name(name, if_absent=if_absent))
        else:
            conn = await self._current()
            ctx = _facade.new_context(self)
            version = conn.protocol.version
            assert version is not None
            await self._run(
                admin.create_with_config(settings, version, ctx, if_absent=if_absent), conn
            )
        return AioCache(self, name)

    async def get_cache(self, settings: str | Mapping[int, Any]) -> AioCache:
        """A handle on an existing cache (not checked until first used, as in pyignite)."""
        return AioCache(self, _facade.cache_name_of(settings))

    async def get_cache_names(self) -> list[str]:
        """The names of every cache in the cluster."""
        return await self._retrying(lambda: self._run(admin.get_cache_names()), write=False)

    # -- SQL -----------------------------------------------------------------------------

    def sql(
        self,
        query_str: str,
        page_size: int = 1024,
        query_args: Sequence[Any] | None = None,
        schema: str | None = "PUBLIC",
        statement_type: int = 0,
        distributed_joins: bool = False,
        local: bool = False,
        replicated_only: bool = False,
        enforce_join_order: bool = False,
        collocated: bool = False,
        lazy: bool = False,
        include_field_names: bool = False,
        max_rows: int = -1,
        timeout: int = 0,
        cache: str | int | AioCache | None = None,
        partitions: Iterable[int] | None = None,
        update_batch_size: int = 1,
    ) -> AioSqlCursor:
        """Run a SQL statement; iterate the result for its rows (lists of column values).

        With ``include_field_names`` the first item is the list of column names.  The
        statement runs when the cursor is opened (``async with``, ``await`` or the first
        ``async for`` step); the sync client runs it at once, as pyignite does.
        ``partitions`` limits the query to those partitions, ``update_batch_size`` groups
        the rows of an UPDATE/MERGE (both need a server with feature bit 7).
        """
        if not isinstance(query_str, str) or not query_str.strip():
            raise ParameterError("sql(): query_str must be a non-empty str")
        _facade.text_param(query_str, "sql(): query_str")
        if schema is not None:
            _facade.text_param(schema, "sql(): schema")
        _facade.int_param(page_size, "sql(): page_size", 1, 2**31 - 1)
        _facade.int_param(max_rows, "sql(): max_rows", -1, 2**31 - 1)
        _facade.int_param(timeout, "sql(): timeout (ms)", 0, 2**63 - 1)
        _facade.int_param(statement_type, "sql(): statement_type", 0, 2)
        args = _facade.sql_args(query_str, query_args)
        parts, batch = _sql_partitions.check(partitions, update_batch_size)
        if isinstance(cache, AioCache):
            cache_id = cache.cache_id
        elif isinstance(cache, str):
            cache_id = _facade.cache_id_of(cache)
        elif isinstance(cache, int) and not isinstance(cache, bool):
            cache_id = cache
        elif cache is None:
            cache_id = 0
        else:
            raise ParameterError(f"sql(): cache must be a cache, name or id, got {cache!r}")
        if cache_id:
            schema = None

        def first_page(ctx: Any, header: bytearray) -> Flow[query.SqlPage]:
            return query.sql_fields(
                header,
                ctx,
                query=query_str,
                args=args,
                schema=schema,
                page_size=page_size,
                max_rows=max_rows,
                statement_type=statement_type,
                distributed_joins=distributed_joins,
                local=local,
                replicated_only=replicated_only,
                enforce_join_order=enforce_join_order,
                collocated=collocated,
                lazy=lazy,
                timeout_ms=timeout,
                include_field_names=include_field_names,
                **_sql_partitions.request_fields(self._pool.open_connections, parts, batch),
            )

        return AioSqlCursor(self, cache_id, first_page, include_field_names, max_rows)

    # -- transactions, cluster, binary types ---------------------------------------------

    def tx_start(
        self,
        concurrency: int = TransactionConcurrency.PESSIMISTIC,
        isolation: int = TransactionIsolation.REPEATABLE_READ,
        timeout: int = 0,
        label: str | None = None,
    ) -> AioTransaction:
        """A transaction; use it as a context manager and call ``commit()`` inside.

        Leaving the block without ``commit()`` (or with an exception) rolls back.  Cache
        operations in the block, in this thread or task, belong to the transaction.
        """
        return AioTransaction(
            self,
            _facade.enum_param(concurrency, TransactionConcurrency, "tx_start(): concurrency"),
            _facade.enum_param(isolation, TransactionIsolation, "tx_start(): isolation"),
            _facade.int_param(timeout, "tx_start(): timeout (ms)", 0, 2**63 - 1),
            label,
        )

    def atomic_long(self, name: str, group: str | None = None) -> AioAtomicLong:
        """A handle on the cluster-wide atomic long ``name`` (call ``create()`` first);
        ``group`` is the cache group that holds it (``None``: the default)."""
        return AioAtomicLong(self, name, group)

    def get_cluster(self) -> AioCluster:
        """The cluster facade (state)."""
        return AioCluster(self)

    async def get_binary_type(self, type_id: int) -> Any:
        """The cluster's metadata of a binary type (``None`` if it has none)."""
        ctx = _facade.new_context(self)
        await self._retrying(lambda: self._run(fetch_binary_type(ctx, type_id)), write=False)
        return self._registry.get_type(type_id)

    async def query_binary_type(
        self, binary_type: str | int, schema: int | Mapping[str, Any] | None = None
    ) -> Any:
        """The class objects of a binary type are read as (pyignite's method).

        ``binary_type`` is a type name or id.  Without ``schema``: ``{schema_id: class}``
        for every schema the cluster knows (``None`` if it has no such type); with a
        schema (an id, or a field mapping): that schema's class, or ``None``.  A class
        registered or declared for the type answers for all its schemas; otherwise a
        class is made from the cluster's metadata for each schema.
        """
        bt = await self.get_binary_type(entity_id(binary_type))
        if bt is None:
            return None
        registered = self._registry.get_class(bt.type_id)
        classes = {sid: registered or make_class(bt, sid) for sid in bt.schemas}
        if schema is None:
            return classes
        return classes.get(schema_id(schema))

    async def register_binary_type(self, cls: type) -> None:
        """Register a ``GenericObjectMeta`` class's type with the cluster now; objects of
        the type are then read as instances of ``cls``.

        An ``enum.Enum`` class becomes a binary enum type named after the class, with its
        members' definition order as ordinals: its members can then be stored, and are
        read back as members.
        """
        ctx = _facade.new_context(self)
        if isinstance(cls, type) and issubclass(cls, enum.Enum):
            ctx.need_registration(self._registry.register_enum(cls), 0)
            await self._run(register_pending(ctx))
            return
        info = getattr(cls, "__ignite_info__", None)
        if info is None:
            raise ParameterError(f"{cls!r} is not a GenericObjectMeta class or an Enum")
        ctx.need_registration(info.binary_type, info.schema_id)
        await self._run(register_pending(ctx))
        self._registry.register_class(cls, info.type_id)


#: Cache operations that only read, repeated after a connection failure by default.
_READ_OPS = frozenset(
    {
        OpCode.CACHE_GET,
        OpCode.CACHE_GET_ALL,
        OpCode.CACHE_CONTAINS_KEY,
        OpCode.CACHE_CONTAINS_KEYS,
        OpCode.CACHE_GET_SIZE,
    }
)
#: ``key=`` default of :meth:`AioCache._flow`: the operation has no key to route by.
_ANY_NODE: Any = object()


def _same(key: Any) -> Any:
    return key


def _first(pair: Any) -> Any:
    return pair[0]


class AioCache:
    """A cache handle: key-value operations, scan, size, configuration."""

    def __init__(self, client: AioClient, name: str, expiry_policy: Any = None) -> None:
        self._client = client
        self._name = name
        self._cache_id = _facade.cache_id_of(name)
        self._expiry_policy = expiry_policy
        self._expiry = _facade.expiry_bytes(expiry_policy) if expiry_policy is not None else b""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._name!r} id={self._cache_id}>"

    @property
    def name(self) -> str:
        return self._name

    @property
    def cache_id(self) -> int:
        return self._cache_id

    @property
    def client(self) -> AioClient:
        return self._client

    def with_expire_policy(
        self,
        expiry_policy: Any = None,
        create: Any = None,
        update: Any = None,
        access: Any = None,
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
            ctx = _facade.new_context(client)
            flow = admin.get_configuration(self._cache_id, version, ctx)
            return await client._run(naming_cache(flow, self._name), conn)

        return await client._retrying(read, write=False)

    async def destroy(self) -> None:
        """Destroy the cache and its data."""
        await self._client._run(naming_cache(admin.destroy(self._cache_id), self._name))

    # -- plumbing ------------------------------------------------------------------------

    async def _flow(
        self,
        build: Callable[[bytearray, CodecContext], Flow[T]],
        *,
        write: bool,
        key: Any = _ANY_NODE,
        hint: object = None,
    ) -> T:
        """Run the flow ``build(header, ctx)`` makes, on the key's node, in the active
        transaction if there is one, else repeated after failures as the policy allows."""
        client = self._client
        pool = client._pool

        async def attempt() -> T:
            header, txs = _facade.make_header(client, self._cache_id, self._expiry)
            conn: AioConnection | None
            if txs is not None:
                conn = txs.connection  # type: ignore[assignment]
            elif key is _ANY_NODE:
                conn = None
            else:
                conn = await pool.for_key(self._cache_id, key, hint)
            flow = build(header, _facade.new_context(client))
            return await pool.run(naming_cache(flow, self._name), conn)

        if _facade.active_tx(client) is not None:
            return await attempt()
        return await client._retrying(attempt, write=write)

    async def _batch(
        self,
        build: Callable[[bytearray, CodecContext, list[Any]], Flow[T]],
        items: Iterable[Any],
        key_of: Callable[[Any], Any],
        *,
        write: bool,
    ) -> list[T]:
        """Split ``items`` by their key's primary node and send the parts concurrently."""
        client = self._client
        pool = client._pool
        items = list(items)
        if _facade.active_tx(client) is not None:
            return [await self._flow(lambda h, ctx: build(h, ctx, items), write=write)]

        def part_call(conn: AioConnection | None, part: list[Any]) -> Callable[[], Awaitable[T]]:
            header, _ = _facade.make_header(client, self._cache_id, self._expiry)
            flow = naming_cache(build(header, _facade.new_context(client), part), self._name)
            return lambda: pool.run(flow, conn)

        async def attempt() -> list[T]:
            parts = await pool.split(self._cache_id, items, key_of)
            return await gather([part_call(conn, part) for conn, part in parts])

        return await client._retrying(attempt, write=write)

    async def _call(self, op: int, args: Sequence[tuple[Any, object]], decode: Any) -> Any:
        key, hint = args[0]
        return await self._flow(
            lambda h, ctx: cache.single(op, h, ctx, args, decode),
            write=op not in _READ_OPS,
            key=key,
            hint=hint,
        )

    async def _keys(self, op: int, keys: Iterable[Any], decode: Any) -> list[Any]:
        return await self._batch(
            lambda h, ctx, part: cache.keys_op(op, h, part, ctx, decode),
            _facade.list_param(keys, "keys"),
            _same,
            write=op not in _READ_OPS,
        )

    def _value(self) -> Any:
        return cache.read_value(_facade.new_context(self._client))

    # -- key-value -----------------------------------------------------------------------

    async def get(self, key: Any, key_hint: object = None) -> Any:
        """The value of ``key``, or ``None``."""
        return await self._call(OpCode.CACHE_GET, [(key, key_hint)], self._value())

    async def put(
        self, key: Any, value: Any, key_hint: object = None, value_hint: object = None
    ) -> None:
        """Store ``value`` under ``key``."""
        await self._call(OpCode.CACHE_PUT, [(key, key_hint), (value, value_hint)], None)

    async def get_all(self, keys: Iterable[Any]) -> dict[Any, Any]:
        """The values of ``keys`` that exist, as a dict."""
        parts = await self._batch(
            lambda h, ctx, part: cache.get_all(h, part, ctx),
            _facade.list_param(keys, "keys"),
            _same,
            write=False,
        )
        result: dict[Any, Any] = {}
        for part in parts:
            result.update(part)
        return result

    async def put_all(self, pairs: Mapping[Any, Any] | Iterable[tuple[Any, Any]]) -> None:
        """Store every ``key: value`` of ``pairs``."""
        items = _facade.pairs_param(pairs, "put_all(): pairs")
        await self._batch(
            lambda h, ctx, part: cache.put_all(h, part, ctx), items, _first, write=True
        )

    async def replace(
        self, key: Any, value: Any, key_hint: object = None, value_hint: object = None
    ) -> bool:
        """Store ``value`` only if ``key`` exists; whether it did."""
        return bool(
            await self._call(
                OpCode.CACHE_REPLACE, [(key, key_hint), (value, value_hint)], cache.read_bool
            )
        )

    async def replace_if_equals(
        self,
        key: Any,
        sample: Any,
        value: Any,
        key_hint: object = None,
        sample_hint: object = None,
        value_hint: object = None,
    ) -> bool:
        """Store ``value`` only if the current value equals ``sample``; whether it did."""
        args = [(key, key_hint), (sample, sample_hint), (value, value_hint)]
        return bool(await self._call(OpCode.CACHE_REPLACE_IF_EQUALS, args, cache.read_bool))

    async def put_if_absent(
        self, key: Any, value: Any, key_hint: object = None, value_hint: object = None
    ) -> bool:
        """Store ``value`` only if ``key`` is absent; whether it did."""
        return bool(
            await self._call(
                OpCode.CACHE_PUT_IF_ABSENT, [(key, key_hint), (value, value_hint)], cache.read_bool
            )
        )

    async def get_and_put(
        self, key: Any, value: Any, key_hint: object = None, value_hint: object = None
    ) -> Any:
        """Store ``value``; return the previous value (or ``None``)."""
        return await self._call(
            OpCode.CACHE_GET_AND_PUT, [(key, key_hint), (value, value_hint)], self._value()
        )

    async def get_and_put_if_absent(
        self, key: Any, value: Any, key_hint: object = None, value_hint: object = None
    ) -> Any:
        """Store ``value`` if absent; return the current value (``None`` if it was stored)."""
        return await self._call(
            OpCode.CACHE_GET_AND_PUT_IF_ABSENT,
            [(key, key_hint), (value, value_hint)],
            self._value(),
        )

    async def get_and_replace(
        self, key: Any, value: Any, key_hint: object = None, value_hint: object = None
    ) -> Any:
        """Replace if present; return the previous value (or ``None``, nothing stored)."""
        return await self._call(
            OpCode.CACHE_GET_AND_REPLACE, [(key, key_hint), (value, value_hint)], self._value()
        )

    async def get_and_remove(self, key: Any, key_hint: object = None) -> Any:
        """Remove ``key``; return its value (or ``None``)."""
        return await self._call(OpCode.CACHE_GET_AND_REMOVE, [(key, key_hint)], self._value())

    async def remove_key(self, key: Any, key_hint: object = None) -> bool:
        """Remove ``key``; whether it existed."""
        return bool(await self._call(OpCode.CACHE_REMOVE_KEY, [(key, key_hint)], cache.read_bool))

    async def remove_if_equals(
        self, key: Any, sample: Any, key_hint: object = None, sample_hint: object = None
    ) -> bool:
        """Remove ``key`` only if its value equals ``sample``; whether it did."""
        args = [(key, key_hint), (sample, sample_hint)]
        return bool(await self._call(OpCode.CACHE_REMOVE_IF_EQUALS, args, cache.read_bool))

    async def remove_keys(self, keys: Iterable[Any]) -> None:
        """Remove every key of ``keys`` (``(key, hint)`` pairs allowed)."""
        await self._keys(OpCode.CACHE_REMOVE_KEYS, keys, None)

    async def remove_all(self) -> None:
        """Remove every entry, notifying listeners and write-through stores."""
        await self._whole(OpCode.CACHE_REMOVE_ALL)

    async def clear(self, keys: Iterable[Any] | None = None) -> None:
        """Clear ``keys``, or the whole cache (no listeners, no stores)."""
        if keys is not None:
            await self.clear_keys(keys)
        else:
            await self._whole(OpCode.CACHE_CLEAR)

    async def clear_key(self, key: Any, key_hint: object = None) -> None:
        """Clear one key (no listeners, no stores)."""
        await self._call(OpCode.CACHE_CLEAR_KEY, [(key, key_hint)], None)

    async def clear_keys(self, keys: Iterable[Any]) -> None:
        """Clear the given keys (no listeners, no stores)."""
        await self._keys(OpCode.CACHE_CLEAR_KEYS, keys, None)

    async def contains_key(self, key: Any, key_hint: object = None) -> bool:
        """Whether ``key`` is in the cache."""
        return bool(await self._call(OpCode.CACHE_CONTAINS_KEY, [(key, key_hint)], cache.read_bool))

    async def contains_keys(self, keys: Iterable[Any]) -> bool:
        """Whether every key of ``keys`` is in the cache."""
        return all(await self._keys(OpCode.CACHE_CONTAINS_KEYS, keys, cache.read_bool))

    async def get_size(self, peek_modes: int | Iterable[int] | None = None) -> int:
        """The number of entries, counted as ``peek_modes`` say (default: all)."""
        modes = _facade.peek_mode_list(peek_modes)
        return await self._flow(lambda h, ctx: cache.get_size(h, modes, ctx), write=False)

    async def _whole(self, op: int) -> None:
        await self._flow(lambda h, ctx: cache.clear(op, h, ctx), write=True)

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
        _facade.int_param(page_size, "scan(): page_size", 1, 2**31 - 1)
        _facade.int_param(partitions, "scan(): partitions", -1, 65535)

        def first_page(ctx: Any, header: bytearray) -> Flow[query.ScanPage]:
            flow = query.scan(header, ctx, page_size=page_size, partition=partitions, local=local)
            return naming_cache(flow, self._name)

        return AioScanCursor(self._client, self._cache_id, first_page, self._expiry, partitions)

    def index_query(
        self,
        value_type: str,
        criteria: Sequence[Any] = (),
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

    async def partition_of(self, key: Any, key_hint: object = None) -> int:
        """The partition ``key`` belongs to, or -1 if the cluster's map is not available
        to this client (a replicated cache, a custom affinity function)."""
        affinity = await self._client._pool.cache_affinity(self._cache_id)
        if affinity is None or not affinity.primaries:
            return -1
        h = key_hash(
            key,
            key_hint,
            ctx=_facade.new_context(self._client),
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
        after the listener is registered, so nothing changed meanwhile is missed.  If the
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
        if not isinstance(query_str, str) or not query_str.strip():
            raise ParameterError("select_row(): query_str must be a non-empty str")
        _facade.int_param(page_size, "select_row(): page_size", 1, 2**31 - 1)
        _facade.int_param(timeout, "select_row(): timeout (ms)", 0, 2**63 - 1)
        args = list(query_args) if query_args is not None else []

        def first_page(ctx: Any, header: bytearray, type_name: str) -> Flow[query.ScanPage]:
            flow = query.sql_entries(
                header,
                ctx,
                type_name=type_name,
                query=query_str,
                args=args,
                distributed_joins=distributed_joins,
                local=local,
                replicated_only=replicated_only,
                page_size=page_size,
                timeout_ms=timeout,
            )
            return naming_cache(flow, self._name)

        return AioSqlRowCursor(self, first_page)


class _AioCursor:
    """A server cursor read page by page on the connection that opened it.

    The page flows are resumed on that connection; a cursor dropped before its last page
    is queued on the client and closed with its next request (never from ``__del__``,
    which may run inside a lock or on another thread).
    """

    def __init__(
        self,
        client: AioClient,
        cache_id: int,
        first_page: Any,
        expiry: bytes = b"",
        partition: int = -1,
    ) -> None:
        self._client = client
        self._cache_id = cache_id
        self._partition = partition
        self._first_page = first_page
        self._expiry = expiry
        self._conn: AioConnection | None = None
        self._cursor_id: int | None = None
        self._buffer: list[Any] = []
        self._index = 0
        self._more = False
        self._started = False
        self._closed = False
        self._at_limit = False
        # The next page is requested while this one is consumed (one page ahead).
        self._prefetch = AioPrefetch()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open" if self._started else "not started"
        where = f" on {self._conn.address}" if self._conn is not None else ""
        return f"<{type(self).__name__} cache_id={self._cache_id} {state}{where}>"

    async def _start(self) -> None:
        if self._started:
            return
        self._started = True
        client = self._client
        header, txs = _facade.make_header(client, self._cache_id, self._expiry)
        conn: AioConnection | None
        if txs is not None:
            conn = txs.connection  # type: ignore[assignment]
        else:
            # A one-partition scan is answered by the partition's primary node directly.
            conn = await client._pool.for_partition(self._cache_id, self._partition)
        if conn is None:
            conn = await client._current()
        self._conn = conn
        page = await client._run(self._first_page(_facade.new_context(client), header), conn)
        self._take(page)
        self._ahead()

    def _ahead(self) -> None:
        """Start fetching the next page, if there is one (at most one at a time)."""
        if self._more and not self._at_limit and not self._prefetch.pending:
            self._prefetch.start(self._fetch_next())

    def _take(self, page: Any) -> None:
        raise NotImplementedError

    def _fetch_next(self) -> Any:
        """A call that fetches the next page; it holds no reference to the cursor, so a
        cursor dropped while its next page is in flight is still freed at once."""
        raise NotImplementedError

    async def _advance(self) -> Any:
        """The next item; ``StopAsyncIteration`` at the end or once closed."""
        if self._closed:
            raise StopAsyncIteration
        if not self._started:
            await self._start()
        while self._index >= len(self._buffer):
            if not self._more or self._at_limit:
                await self.close()
                raise StopAsyncIteration
            fetch = self._prefetch.take if self._prefetch.pending else self._fetch_next()
            self._take(await fetch())
            self._ahead()
        item = self._buffer[self._index]
        self._index += 1
        return item

    async def close(self) -> None:
        """Free the server cursor if it is still open; further iteration ends."""
        if self._closed:
            return
        self._closed = True
        fetched = await self._prefetch.drain()
        if fetched is not None:
            self._more = fetched.has_more  # the server closes a cursor at its last page
        if self._more and self._cursor_id is not None and self._conn is not None:
            self._more = False
            if self._conn.is_open:
                await self._client._run(query.close_cursor(self._cursor_id), self._conn)

    def __del__(self) -> None:
        if not self._closed and self._more and self._cursor_id is not None and self._conn:
            self._client._pool.abandoned.append((self._conn, self._cursor_id))

    async def __aenter__(self) -> Any:
        await self._start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __aiter__(self) -> Any:
        return self

    async def __anext__(self) -> Any:
        return await self._advance()


class AioScanCursor(_AioCursor):
    """``(key, value)`` pairs of a scan; see :meth:`AioCache.scan`."""

    _PAGE_OP = OpCode.QUERY_SCAN_CURSOR_GET_PAGE

    def __init__(
        self,
        client: AioClient,
        cache_id: int,
        first_page: Any,
        expiry: bytes = b"",
        partition: int = -1,
    ) -> None:
        super().__init__(client, cache_id, first_page, expiry, partition)
        # unasync: self._start()

    def _take(self, page: Any) -> None:
        self._cursor_id = page.cursor_id
        self._buffer, self._index, self._more = page.items, 0, page.has_more

    def _fetch_next(self) -> Any:
        client, conn, cursor_id, op = self._client, self._conn, self._cursor_id, self._PAGE_OP
        assert cursor_id is not None

        async def fetch() -> Any:
            ctx = _facade.new_context(client)
            return await client._run(query.next_entries_page(op, cursor_id, ctx), conn)

        return fetch


class AioSqlRowCursor(AioScanCursor):
    """``(key, value)`` entries of :meth:`AioCache.select_row` (op QUERY_SQL).

    The request names the cache's value type, read from its configuration when the
    cursor opens; then it pages like a scan.
    """

    _PAGE_OP = OpCode.QUERY_SQL_CURSOR_GET_PAGE

    def __init__(self, cache: AioCache, first_page: Any) -> None:
        self._cache = cache
        self._entries_page = first_page
        self._type_name: str | None = None
        super().__init__(cache.client, cache.cache_id, self._first_entries_page, cache._expiry)

    def _first_entries_page(self, ctx: Any, header: bytearray) -> Any:
        assert self._type_name is not None
        return self._entries_page(ctx, header, self._type_name)

    async def _start(self) -> None:
        if not self._started and self._type_name is None:
            settings = await self._cache.settings()  # unasync: settings = self._cache.settings
            entities = settings.get(PROP_QUERY_ENTITIES) or []
            type_name = entities[0].get("value_type_name") if entities else None
            if not type_name:
                raise SQLError(
                    f"select_row(): cache {self._cache.name!r} has no query entity, so its "
                    "value type is unknown"
                )
            self._type_name = type_name
        await super()._start()


class AioSqlCursor(_AioCursor):
    """Rows of a SQL statement (lists); the field names first when asked."""

    def __init__(
        self,
        client: AioClient,
        cache_id: int,
        first_page: Any,
        include_field_names: bool,
        max_rows: int = -1,
    ) -> None:
        super().__init__(client, cache_id, first_page)
        self._include_field_names = include_field_names
        # The server may ignore max_rows (Ignite 2.17's H2 engine does for plain SELECTs);
        # the cursor enforces it too, and frees the server cursor when it is reached.
        self._rows_left = max_rows if max_rows >= 0 else None
        self._columns = 0
        self.field_names: list[str] | None = None
        # unasync: self._start()

    def _take(self, page: Any) -> None:
        self._cursor_id = page.cursor_id
        self._columns = page.columns
        rows = page.rows
        if self._rows_left is not None:
            rows = rows[: self._rows_left]
            self._rows_left -= len(rows)
            self._at_limit = self._rows_left == 0
        if page.field_names is not None:
            self.field_names = page.field_names
            if self._include_field_names:
                rows = [page.field_names, *rows]
        self._buffer, self._index, self._more = rows, 0, page.has_more

    def _fetch_next(self) -> Any:
        client, conn, cursor_id, columns = self._client, self._conn, self._cursor_id, self._columns
        assert cursor_id is not None

        async def fetch() -> Any:
            ctx = _facade.new_context(client)
            return await client._run(query.next_sql_page(cursor_id, columns, ctx), conn)

        return fetch

    # unasync-skip-start
    def __await__(self) -> Any:
        return self.__aenter__().__await__()

    # unasync-skip-end


class AioTransaction:
    """A transaction on one connection; see :meth:`AioClient.tx_start`."""

    def __init__(
        self, client: AioClient, concurrency: int, isolation: int, timeout: int, label: str | None
    ) -> None:
        self._client = client
        self._args = (concurrency, isolation, timeout, label)
        self._state: _facade.TxState | None = None
        self._token: Any = None

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
        await self._client._run(tx.tx_end(state.tx_id, commit), state.connection)  # type: ignore[arg-type]

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


class AioCluster:
    """Cluster-wide state."""

    def __init__(self, client: AioClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"

    async def get_state(self) -> ClusterState:
        """The cluster state (active, inactive, read-only)."""
        client = self._client
        return ClusterState(
            await client._retrying(lambda: client._run(cluster.get_state()), write=False)
        )

    async def set_state(self, state: int) -> None:
        """Change the cluster state."""
        value = _facade.enum_param(state, ClusterState, "set_state(): state")
        await self._client._run(cluster.set_state(value))

    async def disable_wal(self, cache: str) -> bool:
        """Turn off the WAL of ``cache`` (a persistent one); whether it changed."""
        return await self._client._run(
            cluster.change_wal_state(_facade.cache_name_of(cache), False)
        )

    async def enable_wal(self, cache: str) -> bool:
        """Turn the WAL of ``cache`` back on; whether it changed."""
        return await self._client._run(cluster.change_wal_state(_facade.cache_name_of(cache), True))

    async def node_ids(
        self, attributes: Mapping[str, Any] | None = None, *, servers: bool | None = None
    ) -> list[uuid.UUID]:
        """Ids of the nodes whose ``attributes`` equal the given values (all of them), and
        that are servers (``servers=True``) or clients (``False``); feature bit 4."""
        client = self._client
        conn = await client._current()
        require(
            "cluster groups", conn.protocol.version, conn.protocol.features, node=str(conn.address)
        )
        pairs = list((attributes or {}).items())
        for name, _ in pairs:
            if not isinstance(name, str) or not name:
                raise ParameterError(f"node_ids(): attribute names must be str, got {name!r}")
        flow = cluster.group_node_ids(pairs, servers, _facade.new_context(client))
        return await client._run(flow, conn)

    async def nodes(
        self, attributes: Mapping[str, Any] | None = None, *, servers: bool | None = None
    ) -> list[cluster.NodeInfo]:
        """The selected nodes (as :meth:`node_ids`) with their attributes, addresses,
        order and version (op 5101)."""
        ids = await self.node_ids(attributes, servers=servers)
        if not ids:
            return []
        return await self._client._run(cluster.nodes_info(ids, _facade.new_context(self._client)))

    async def is_wal_enabled(self, cache: str) -> bool:
        return await self._client._run(cluster.get_wal_state(_facade.cache_name_of(cache)))
