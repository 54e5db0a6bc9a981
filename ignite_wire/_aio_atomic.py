"""``client.atomic_long(name)``: a cluster-wide atomic counter (asyncio).

Layouts in :mod:`._protocol.ops.atomic_long`.  Every value is a Java ``long``: arguments
outside -2**63..2**63-1 raise ``ParameterError`` before anything is sent, and the server
wraps on overflow as Java does.
"""

# unasync-skip-start
# The source of _sync_atomic.py: ``python tools/unasync.py`` generates it from this file.
# unasync-skip-end

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from . import _checks
from ._protocol.flow import Flow
from ._protocol.ops import atomic_long as ops

if TYPE_CHECKING:
    # unasync-skip-start
    from .aio_client import AioClient

    # unasync-skip-end
    # unasync: from .client import Client

__all__ = ["AioAtomicLong"]

T = TypeVar("T")


def _long(value: Any, what: str) -> int:
    return _checks.integer(value, f"atomic long: {what}", *_checks.I64)


class AioAtomicLong:
    """A named ``long`` in the cluster; made by ``client.atomic_long(name, ...)``."""

    def __init__(self, client: AioClient, name: str, group: str | None = None) -> None:
        _checks.text(name, "atomic_long(): name")
        _checks.optional_text(group, "atomic_long(): group")
        self._client = client
        self.name = name
        self.group = group

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} group={self.group!r}>"

    async def _run(self, flow: Flow[T]) -> T:
        return await self._client._run(flow)

    async def create(self, initial: int = 0) -> None:
        """Create it with ``initial`` unless it exists (then its value is kept)."""
        await self._run(ops.create(self.name, self.group, _long(initial, "initial")))

    async def exists(self) -> bool:
        return await self._run(ops.exists(self.name, self.group))

    async def remove(self) -> None:
        await self._run(ops.remove(self.name, self.group))

    async def get(self) -> int:
        return await self._run(ops.get(self.name, self.group))

    async def add_and_get(self, delta: int) -> int:
        return await self._run(ops.add_and_get(self.name, self.group, _long(delta, "delta")))

    async def increment_and_get(self) -> int:
        return await self.add_and_get(1)

    async def decrement_and_get(self) -> int:
        return await self.add_and_get(-1)

    async def get_and_set(self, value: int) -> int:
        return await self._run(ops.get_and_set(self.name, self.group, _long(value, "value")))

    async def compare_and_set(self, expected: int, value: int) -> bool:
        """Set ``value`` if the current value is ``expected``; whether it was set."""
        flow = ops.compare_and_set(
            self.name, self.group, _long(expected, "expected"), _long(value, "value"), and_get=False
        )
        return bool(await self._run(flow))

    async def compare_and_set_and_get(self, expected: int, value: int) -> int:
        """Like :meth:`compare_and_set`, returning the value found (set if == expected)."""
        flow = ops.compare_and_set(
            self.name, self.group, _long(expected, "expected"), _long(value, "value"), and_get=True
        )
        return int(await self._run(flow))
