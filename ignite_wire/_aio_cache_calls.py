"""How an operation of a cache handle reaches a connection.

Every cache operation builds its cache header (expiry policy, active transaction) here,
goes to the connection :mod:`ignite_wire._policy` picks (the transaction's, the key's
primary node's, any), is split over the nodes that own its keys when it has many, and is
repeated after a connection failure as the retry policy allows.  The cache class adds the
public operations on top.
"""

# unasync-skip-start
# The source of _sync_cache_calls.py: ``python tools/unasync.py`` generates it from this file.
# unasync-skip-end

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeVar

from . import _checks, _facade, _policy
from ._policy import Route
from ._protocol.buffer import Buffer
from ._protocol.context import CodecContext
from ._protocol.flow import Flow
from ._protocol.ops import cache
from ._protocol.ops.common import naming_cache
from ._transport.aio import AioConnection, gather

if TYPE_CHECKING:
    from .aio_client import AioClient  # unasync: from .client import Client

__all__ = ["_AioCacheCalls"]

T = TypeVar("T")
#: A batch item: a key, or a ``(key, value)`` pair.
ItemT = TypeVar("ItemT")


#: ``key=`` default of :meth:`AioCache._flow`: the operation has no key to route by.
_ANY_NODE: Final = object()


class _AioCacheCalls:
    """A cache handle's plumbing: its name, id and expiry header, and how one of its
    operations reaches a connection (see the module docstring)."""

    def __init__(self, client: AioClient, name: str, expiry_policy: object = None) -> None:
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

    # -- plumbing ------------------------------------------------------------------------

    async def _flow(
        self,
        build: Callable[[bytearray, CodecContext], Flow[T]],
        *,
        write: bool,
        key: object = _ANY_NODE,
        hint: object = None,
    ) -> T:
        """Run the flow ``build(header, ctx)`` makes, on the key's node, in the active
        transaction if there is one, else repeated after failures as the policy allows."""
        client = self._client
        pool = client._pool

        async def attempt() -> T:
            header, txs = _facade.make_header(client, self._cache_id, self._expiry, AioConnection)
            conn: AioConnection | None = None
            way = _policy.route(in_transaction=txs is not None, has_key=key is not _ANY_NODE)
            if way is Route.TRANSACTION:
                assert txs is not None
                conn = txs.connection
            elif way is Route.KEY_NODE:
                conn = await pool.for_key(self._cache_id, key, hint)
            flow = build(header, client._context())
            return await pool.run(naming_cache(flow, self._name), conn)

        if _facade.active_tx(client, AioConnection) is not None:
            return await attempt()
        return await client._retrying(attempt, write=write)

    async def _batch(
        self,
        build: Callable[[bytearray, CodecContext, list[ItemT]], Flow[T]],
        items: Iterable[ItemT],
        key_of: Callable[[ItemT], object],
        *,
        write: bool,
    ) -> list[T]:
        """Split ``items`` by their key's primary node and send the parts concurrently."""
        client = self._client
        pool = client._pool
        items = list(items)
        if _facade.active_tx(client, AioConnection) is not None:
            return [await self._flow(lambda h, ctx: build(h, ctx, items), write=write)]

        def part_call(conn: AioConnection | None, part: list[ItemT]) -> Callable[[], Awaitable[T]]:
            header, _ = _facade.make_header(client, self._cache_id, self._expiry, AioConnection)
            flow = naming_cache(build(header, client._context(), part), self._name)
            return lambda: pool.run(flow, conn)

        async def attempt() -> list[T]:
            parts = await pool.split(self._cache_id, items, key_of)
            return await gather([part_call(conn, part) for conn, part in parts])

        return await client._retrying(attempt, write=write)

    async def _call(
        self, op: int, args: Sequence[tuple[object, object]], decode: Callable[[Buffer], T] | None
    ) -> T | None:
        key, hint = args[0]
        try:
            return await self._flow(
                lambda h, ctx: cache.single(op, h, ctx, args, decode),
                write=_policy.is_write(op),
                key=key,
                hint=hint,
            )
        except Exception as exc:
            _checks.raise_named_value(exc, op, args)  # a codec error, with its argument
            raise

    async def _keys(
        self, op: int, keys: Iterable[object], decode: Callable[[Buffer], T] | None
    ) -> list[T | None]:
        items = _facade.list_param(keys, "keys")
        try:
            return await self._batch(
                lambda h, ctx, part: cache.keys_op(op, h, part, ctx, decode),
                items,
                _policy.key_itself,
                write=_policy.is_write(op),
            )
        except Exception as exc:
            _checks.raise_named_items(exc, op, "keys", items)
            raise

    def _value(self) -> Callable[[Buffer], Any]:
        return cache.read_value(self._client._context())

    async def _whole(self, op: int) -> None:
        await self._flow(lambda h, ctx: cache.clear(op, h, ctx), write=True)
