"""How an operation of a cache handle reaches a connection.

Every cache operation builds its cache header (expiry policy, active transaction) here,
goes to the connection :mod:`ignite_wire._policy` picks (the transaction's, the key's
primary node's, any), is split over the nodes that own its keys when it has many, and is
repeated after a connection failure as the retry policy allows.  The cache class adds the
public operations on top.

Single-key operations (get, put, replace, contains_key...) take a short path (issue 12):
one codec context serves the routing hash, the encoding and the decoding; the request is
the cache's prepared header plus the arguments, encoded once into one ``bytearray`` and
sent as is on every attempt; the answer is decoded straight from the response.  No flow
generator is driven unless the call needs more than its one request: binary types to
register first, or a transaction; those take :meth:`_flow`, the general path.  A binary
type the answer needs is fetched by a flow on the same connection, then decoded again.
"""

# unasync-skip-start
# The source of _sync_cache_calls.py: ``python tools/unasync.py`` generates it from this file.
# unasync-skip-end

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeVar

from . import _checks, _facade, _policy
from ._facade import ACTIVE_TX
from ._policy import Route
from ._protocol.answers import decode_answer, write_key, write_key_value
from ._protocol.binary_types import NeedBinaryType
from ._protocol.buffer import Buffer
from ._protocol.codec import write_value
from ._protocol.context import CodecContext, new_context
from ._protocol.flow import Flow
from ._protocol.ops import cache
from ._protocol.ops.common import cache_header, cache_named, decode_with_types, naming_cache
from ._transport.aio import AioConnection, gather
from .exceptions import CacheDoesNotExistError, CacheError, IgniteError, SocketError

if TYPE_CHECKING:
    from .aio_client import AioClient  # unasync: from .client import Client

__all__ = ["_AioCacheCalls", "answer_bool", "answer_value"]

T = TypeVar("T")
#: A batch item: a key, or a ``(key, value)`` pair.
ItemT = TypeVar("ItemT")


#: ``key=`` default of :meth:`AioCache._flow`: the operation has no key to route by.
_ANY_NODE: Final = object()

#: How a single-key call reads its answer: ``(payload, the call's codec context)``.
Answer = Callable[[Buffer, CodecContext], T]


#: An answer that is one typed value (``None`` for null): ``decode_value(payload, 0,
#: ctx)[0]``, compiled for the usual values (:func:`.codec.decode_answer` itself: no
#: frame of its own on every get, issue 12).
answer_value: Final = decode_answer


def answer_bool(payload: Buffer, ctx: CodecContext) -> bool:
    """A one-byte boolean answer."""
    return cache.read_bool(payload)


def _bound(answer: Answer[T] | None, ctx: CodecContext) -> Callable[[Buffer], T] | None:
    """``answer`` with the call's context, as the general path's flows take it."""
    if answer is None:
        return None
    return lambda payload: answer(payload, ctx)


class _AioCacheCalls:
    """A cache handle's plumbing: its name, id and expiry header, and how one of its
    operations reaches a connection (see the module docstring)."""

    def __init__(self, client: AioClient, name: str, expiry_policy: object = None) -> None:
        self._client = client
        self._name = name
        self._cache_id = _facade.cache_id_of(name)
        self._expiry_policy = expiry_policy
        self._expiry = _facade.expiry_bytes(expiry_policy) if expiry_policy is not None else b""
        #: The cache header outside a transaction (id, flags, expiry): the short path's
        #: request starts as a copy of it (``copy()``: half the cost of ``bytearray(b)``,
        #: which parses its arguments).  Never written to.
        self._head = bytearray(cache_header(self._cache_id, expiry=self._expiry))
        # What each short-path call's codec context is made of (the client's registry and
        # value tables, fixed when it was constructed): one constructor call per request.
        template = client._context()
        self._registry = template.registry
        self._compact_footer = template.compact_footer
        self._readers, self._writers = template.readers, template.writers

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
        *,
        pairs: bool,
        write: bool,
    ) -> list[T]:
        """Split ``items`` (keys, or when ``pairs`` a flat list ``[key, value, ...]`` as
        ``_facade.pairs_param`` makes it) by their key's primary node and send the parts
        concurrently, every part encoded before any is sent (a value that cannot be
        encoded fails the whole batch, nothing written)."""
        client = self._client
        pool = client._pool
        items = items if type(items) is list else list(items)
        if _facade.active_tx(client, AioConnection) is not None:
            return [await self._flow(lambda h, ctx: build(h, ctx, items), write=write)]

        def part_call(
            conn: AioConnection | None, part: list[ItemT], encoded: dict[int, Any]
        ) -> Callable[[], Awaitable[T]]:
            header, _ = _facade.make_header(client, self._cache_id, self._expiry, AioConnection)
            ctx = client._context()
            ctx.encoded = encoded
            flow = naming_cache(build(header, ctx, part), self._name)
            return lambda: pool.run(flow, conn)

        async def attempt() -> list[T]:
            # Object keys encoded to route them are kept here and appended by the parts
            # (CodecContext.encoded): a key is encoded once per attempt.
            encoded: dict[int, Any] = {}
            parts = await pool.split(
                self._cache_id, items, pairs=pairs, flat=pairs, encoded=encoded
            )
            return await gather([part_call(conn, part, encoded) for conn, part in parts])

        return await client._retrying(attempt, write=write)

    async def _call(
        self, op: int, args: Sequence[tuple[object, object]], answer: Answer[T] | None
    ) -> T | None:
        """A single-key operation: ``args`` are ``(value, hint)``, the key first."""
        client = self._client
        pool = client._pool
        ctx = new_context(self._registry, self._compact_footer, self._readers, self._writers)
        key, hint = args[0]
        try:
            # active_tx() called only when a transaction was ever opened in this context
            tx = ACTIVE_TX.get()
            if tx is not None and _facade.active_tx(client, AioConnection) is not None:
                return await self._general(op, args, answer)
            out = self._head.copy()
            n = len(args)
            if n == 1 and hint is None:  # get, contains_key, remove_key...
                write_key(out, key, ctx)
            elif n == 2 and hint is None and args[1][1] is None:  # put, replace...
                write_key_value(out, key, args[1][0], ctx)
            else:
                for value, value_hint in args:
                    write_value(out, value, value_hint, ctx=ctx)
            if ctx.pending:  # types to register first: a flow of several requests
                return await self._general(op, args, answer)
            attempt = 0
            while True:
                try:
                    conn = await pool.key_connection(self._cache_id, key, hint, ctx)
                    payload = (await pool.request(conn, op, out, CacheError)).payload
                    if answer is None:
                        return None
                    try:
                        return answer(payload, ctx)
                    except NeedBinaryType:
                        return await self._fetch_and_read(conn, answer, payload, ctx)
                    except IgniteError as exc:  # a bad answer: which node sent it
                        if exc.node is None:
                            exc.node = str(conn.address)
                        raise
                except SocketError as exc:
                    if not _policy.retryable(exc):
                        raise
                    if not await pool.retry_wait(attempt, write=op not in _policy.READ_OPS):
                        raise
                    attempt += 1
        except CacheDoesNotExistError as exc:
            raise cache_named(exc, self._name) from None
        except Exception as exc:
            _checks.raise_named_value(exc, op, args)  # a codec error, with its argument
            raise

    async def _fetch_and_read(
        self, conn: AioConnection, answer: Answer[T], payload: bytes, ctx: CodecContext
    ) -> T:
        """An answer that needs a binary type: fetch it on ``conn`` (a flow), decode again."""
        flow = decode_with_types(ctx, lambda: answer(payload, ctx))
        return await self._client._pool.run_on(conn, flow)

    async def _general(
        self, op: int, args: Sequence[tuple[object, object]], answer: Answer[T] | None
    ) -> T | None:
        """A single-key operation as a flow (see the module docstring)."""
        key, hint = args[0]
        return await self._flow(
            lambda h, c: cache.single(op, h, c, args, _bound(answer, c)),
            write=_policy.is_write(op),
            key=key,
            hint=hint,
        )

    async def _keys(
        self, op: int, keys: Iterable[object], decode: Callable[[Buffer], T] | None
    ) -> list[T | None]:
        items = _facade.list_param(keys, "keys")
        try:
            return await self._batch(
                lambda h, ctx, part: cache.keys_op(op, h, part, ctx, decode),
                items,
                pairs=False,
                write=_policy.is_write(op),
            )
        except Exception as exc:
            _checks.raise_named_items(exc, op, "keys", items)
            raise

    async def _whole(self, op: int) -> None:
        await self._flow(lambda h, ctx: cache.clear(op, h, ctx), write=True)
