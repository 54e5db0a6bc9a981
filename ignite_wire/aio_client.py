"""The client: connecting, caches, SQL, transactions, binary types (pyignite's API).

The client's other classes live in their own modules and are re-exported here (cache,
cursors, transaction, cluster).  Every operation is a flow from
:mod:`ignite_wire._protocol.ops`, driven on a connection of the node pool.  Failover
follows the seed: a failed connection's error propagates (``SocketError``, an
``OSError``), the next call reconnects to a listed node, and ``ReconnectError`` says no
node could be reached.
"""

# unasync-skip-start
# The source of client.py: ``python tools/unasync.py`` generates it from this file.
# unasync-skip-end

from __future__ import annotations

import ssl
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, NoReturn, TypeVar

from . import _checks, _facade, _policy, _pyignite_mode
from ._aio_atomic import AioAtomicLong
from ._aio_binary_types import AioBinaryTypes
from ._aio_cluster import AioCluster
from ._aio_cursors import AioScanCursor, AioSqlCursor, AioSqlRowCursor
from ._aio_grid import AioGridMixin
from ._aio_nodes import AioNodePool
from ._aio_tx import AioTransaction
from ._arguments import SqlQuery
from ._connecting import AioConnecting
from ._options import ClientOptions, EventListener, settle
from ._protocol.binary_types import BinaryTypeRegistry
from ._protocol.context import CodecContext
from ._protocol.flow import Flow
from ._protocol.ops import admin
from ._transport.aio import AioConnection
from ._transport.options import parse_addresses
from .aio_cache import AioCache
from .compat import Compat
from .datatypes.transactions import TransactionConcurrency, TransactionIsolation
from .exceptions import (
    SocketError,
)
from .protocol_context import ProtocolContext
from .retry import RetryPolicy

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


class AioClient(AioBinaryTypes, AioGridMixin):  # compute(), services(), sets: _aio_grid.py
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
        protocol_version: the newest protocol version to offer (default: 1.7.0).
        max_frame_size: the largest answer accepted, in bytes.
        retry_policy: what is repeated after a connection failure (:mod:`ignite_wire.retry`;
            default: reads, twice).
        heartbeat_interval: seconds between pings of idle connections (at most a third of
            the server's idle timeout); ``None`` turns heartbeats off.
        cluster_discovery: with partition awareness, also connect to server nodes that
            were not listed (learned from the cluster; on by default).
        compat: ``"pyignite"`` reads and writes pyignite's value representations,
            ``"ignite_wire"`` plain values; default: the process default
            (:func:`ignite_wire.compat.use_pyignite_values`), plain values unless set.

    Any other keyword is a ``ParameterError`` naming it (type checkers reject it too).
    """

    def __init__(
        self,
        compact_footer: bool | None = None,
        partition_aware: bool = True,
        event_listeners: Iterable[EventListener] | None = None,
        *,
        timeout: float | None = None,
        handshake_timeout: float | None = 10.0,
        use_ssl: bool | None = None,
        ssl_context: ssl.SSLContext | None = None,
        ssl_version: int | None = None,
        ssl_ciphers: str | None = None,
        ssl_cert_reqs: int | None = None,
        ssl_keyfile: str | None = None,
        ssl_keyfile_password: str | None = None,
        ssl_certfile: str | None = None,
        ssl_ca_certfile: str | None = None,
        username: str | None = None,
        password: str | None = None,
        protocol_version: tuple[int, int, int] | None = None,
        max_frame_size: int | None = None,
        retry_policy: RetryPolicy | None = None,
        heartbeat_interval: float | None = 30.0,
        cluster_discovery: bool = True,
        compat: Compat | None = None,
        **unknown: NoReturn,
    ) -> None:
        self._compact_footer = True if compact_footer is None else bool(compact_footer)
        # the value mode (ignite_wire/compat.py): plain values, or pyignite's
        self._compat = _pyignite_mode.resolve(compat)
        self._readers, self._writers = _pyignite_mode.value_tables(self._compat)
        self._partition_aware = partition_aware
        settings = settle(
            event_listeners,
            ClientOptions(
                timeout=timeout,
                handshake_timeout=handshake_timeout,
                use_ssl=use_ssl,
                ssl_context=ssl_context,
                ssl_version=ssl_version,
                ssl_ciphers=ssl_ciphers,
                ssl_cert_reqs=ssl_cert_reqs,
                ssl_keyfile=ssl_keyfile,
                ssl_keyfile_password=ssl_keyfile_password,
                ssl_certfile=ssl_certfile,
                ssl_ca_certfile=ssl_ca_certfile,
                username=username,
                password=password,
                protocol_version=protocol_version,
                max_frame_size=max_frame_size,
                retry_policy=retry_policy,
                heartbeat_interval=heartbeat_interval,
                cluster_discovery=cluster_discovery,
            ),
            unknown,
        )
        self._options = settings.connect
        self._registry = BinaryTypeRegistry()
        self._pool = AioNodePool(
            self._options,
            partition_aware=bool(partition_aware),
            retry_policy=settings.retry_policy,
            new_context=self._context,
            heartbeat_interval=settings.heartbeat_interval,
            discovery=settings.discovery,
        )

    def __repr__(self) -> str:
        nodes = ", ".join(str(n) for n in self._pool.nodes)
        return f"<{type(self).__name__} {self._pool.describe()} nodes=[{nodes}]>"

    @property
    def partition_aware(self) -> bool:
        return self._pool.partition_aware

    # -- connecting ----------------------------------------------------------------------

    def connect(self, *args: object) -> AioConnecting[AioClient]:
        """Connect: ``()``, ``(host, port)``, or ``([(host, port), ...])``.

        With partition awareness every listed node is connected at once; otherwise the
        first node that answers.  ``ReconnectError`` if none can be reached.  The result is
        a context manager, pyignite's idiom: ``with client.connect(...):`` (asyncio:
        ``async with``) closes the client when the block ends.  The asyncio client
        connects when the result is awaited or entered, the sync one at once.
        """
        _checks.endpoint_args(args)
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

    def _context(self) -> CodecContext:
        """A codec context for one operation, on this client's type registry."""
        return _facade.new_context(
            self._registry, self._compact_footer, self._readers, self._writers
        )

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
            except SocketError as exc:
                if not _policy.retryable(exc):
                    raise
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
            if self._compat == _pyignite_mode.PYIGNITE:
                _pyignite_mode.fill_settings_defaults(settings)  # pyignite's side effect
            conn = await self._current()
            ctx = self._context()
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
        _checks.encodable_items(query_args, "sql(): query_args")
        _checks.cache_ref(cache, "sql(): cache")
        checked = SqlQuery.check(
            query_str,
            page_size=page_size,
            query_args=query_args,
            schema=schema,
            statement_type=statement_type,
            max_rows=max_rows,
            timeout=timeout,
            cache=cache.cache_id if isinstance(cache, AioCache) else cache,
            include_field_names=include_field_names,
            partitions=partitions,
            update_batch_size=update_batch_size,
            distributed_joins=distributed_joins,
            local=local,
            replicated_only=replicated_only,
            enforce_join_order=enforce_join_order,
            collocated=collocated,
            lazy=lazy,
        )
        first_page = checked.first_page(self._pool.open_connections)
        return AioSqlCursor(self, checked.cache_id, first_page, include_field_names, max_rows)

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
        _checks.optional_text(label, "tx_start(): label")
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

    @property
    def compat(self) -> str:
        """The value mode: ``"ignite_wire"`` (plain values) or ``"pyignite"``."""
        return self._compat
