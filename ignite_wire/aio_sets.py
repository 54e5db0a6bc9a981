"""``client.get_or_create_set(name)``: a distributed set of values (asyncio).

Layouts in :mod:`._protocol.ops.sets`.

Values are compared in their binary form on the server: ``1`` (a Java ``long``) and
``1.0`` (a ``double``) are different elements, as they are different keys of a cache.
Iterating pages through the set on one connection (the iterator is that connection's
resource); an iteration left early frees the server's iterator.
"""

# unasync-skip-start
# The source of sets.py: ``python tools/unasync.py`` generates it from this file.
# unasync-skip-end

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from . import _facade
from ._checks import text
from ._protocol.flow import Flow
from ._protocol.opcodes import OpCode
from ._protocol.ops import sets as ops
from .exceptions import IgniteError, ParameterError, ParseError

if TYPE_CHECKING:
    # unasync-skip-start
    from .aio_client import AioClient

    # unasync-skip-end
    # unasync: from .client import Client

__all__ = ["DEFAULT_PAGE_SIZE", "AioIgniteSet"]

T = TypeVar("T")

#: Values fetched per page while iterating (Java's default page size).
DEFAULT_PAGE_SIZE = 1024


def _name(name: Any) -> str:
    return text(name, "set: name")


async def open_set(
    client: AioClient, name: str, config: ops.SetConfig | None
) -> AioIgniteSet | None:
    """The set ``name``; made with ``config`` if given and it does not exist."""
    handle = await client._run(ops.get_or_create(_name(name), config))
    return None if handle is None else AioIgniteSet(client, handle)


class AioIgniteSet:
    """A set in the cluster: ``add``, ``contains``, ``async for value in s``, ..."""

    def __init__(
        self, client: AioClient, handle: ops.SetHandle, page_size: int = DEFAULT_PAGE_SIZE
    ) -> None:
        self._client = client
        self._handle = handle
        self.page_size = _facade.int_param(page_size, "set: page_size", 1, 2**31 - 1)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} collocated={self.collocated}>"

    @property
    def name(self) -> str:
        return self._handle.name

    @property
    def collocated(self) -> bool:
        """Whether all values live on one node (chosen when the set was made)."""
        return self._handle.collocated

    async def _run(self, flow: Flow[T]) -> T:
        return await self._client._run(flow)

    async def _one(self, op: OpCode, value: Any) -> bool:
        return await self._run(ops.value_op(op, self._handle, value, self._ctx()))

    async def _many(self, op: OpCode, values: Iterable[Any]) -> bool:
        if isinstance(values, (str, bytes)):
            raise ParameterError(f"set: {op.name} takes an iterable of values, not {values!r}")
        items = list(values)
        return await self._run(ops.keys_op(op, self._handle, items, self._ctx()))

    def _ctx(self) -> Any:
        return self._client._context()

    async def add(self, value: Any) -> bool:
        """Add ``value``; whether it was not there before."""
        return await self._one(OpCode.SET_VALUE_ADD, value)

    async def add_all(self, values: Iterable[Any]) -> bool:
        """Add every value; whether the set changed."""
        return await self._many(OpCode.SET_VALUE_ADD_ALL, values)

    async def remove(self, value: Any) -> bool:
        """Remove ``value``; whether it was there."""
        return await self._one(OpCode.SET_VALUE_REMOVE, value)

    async def remove_all(self, values: Iterable[Any]) -> bool:
        """Remove every value; whether the set changed."""
        return await self._many(OpCode.SET_VALUE_REMOVE_ALL, values)

    async def contains(self, value: Any) -> bool:
        return await self._one(OpCode.SET_VALUE_CONTAINS, value)

    async def contains_all(self, values: Iterable[Any]) -> bool:
        return await self._many(OpCode.SET_VALUE_CONTAINS_ALL, values)

    async def retain_all(self, values: Iterable[Any]) -> bool:
        """Keep only the given values; whether the set changed."""
        return await self._many(OpCode.SET_VALUE_RETAIN_ALL, values)

    async def size(self) -> int:
        payload = await self._run(ops.no_value_op(OpCode.SET_SIZE, self._handle))
        if len(payload) < 4:
            raise ParseError("SET_SIZE answered without a size", offset=0)
        return int.from_bytes(payload[:4], "little", signed=True)

    async def clear(self) -> None:
        """Remove every value (the set stays)."""
        await self._run(ops.no_value_op(OpCode.SET_CLEAR, self._handle))

    async def exists(self) -> bool:
        """Whether the set is still in the cluster (``close()`` removes it)."""
        payload = await self._run(ops.no_value_op(OpCode.SET_EXISTS, self._handle))
        return bool(payload) and payload[0] != 0

    async def close(self) -> None:
        """Remove the set from the cluster, as Java's ``IgniteSet.close()`` does."""
        await self._run(ops.no_value_op(OpCode.SET_CLOSE, self._handle))

    async def __aiter__(self) -> AsyncIterator[Any]:
        """Every value, fetched ``page_size`` at a time on one connection."""
        client = self._client
        conn = await client._current()
        ctx = self._ctx()
        page = await client._run_on(conn, ops.iterator_start(self._handle, self.page_size, ctx))
        resource_id = page.resource_id
        try:
            while True:
                # unasync-skip-start
                for value in page.values:
                    yield value
                # unasync-skip-end
                # unasync: yield from page.values
                if resource_id is None:
                    return
                page = await client._run_on(
                    conn, ops.iterator_next(resource_id, self.page_size, ctx)
                )
                resource_id = page.resource_id
        finally:
            if resource_id is not None and conn.is_open:
                with contextlib.suppress(IgniteError):
                    await client._run_on(conn, ops.close_iterator(resource_id))

    async def values(self) -> list[Any]:
        """Every value, as a list."""
        return [value async for value in self]  # unasync: return list(self)
