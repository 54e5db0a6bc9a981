"""What ``connect()`` returns: pyignite's idiom ``with client.connect(...):``.

pyignite's README and examples write ``with client.connect(host, port):`` and
``async with client.connect(host, port):``; both close the client when the block ends.
The sync client connects at once (so a bare ``client.connect(...)`` still connects) and
returns :class:`Connecting`; the asyncio client returns :class:`AioConnecting`, which
connects when awaited (``await client.connect(...)``) or entered (``async with``).  Either
hands the client itself to ``as`` (pyignite hands its context-manager object, which has
no other use).
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable, Generator
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["AioConnecting", "Connecting"]


class _Closable(Protocol):
    def close(self) -> None: ...


class _AioClosable(Protocol):
    def close(self) -> Awaitable[None]: ...


C = TypeVar("C", bound=_Closable)
A = TypeVar("A", bound=_AioClosable)


class Connecting(Generic[C]):
    """A sync client, connected at once; as a context manager it closes it at the end.

    (The name pairs with :class:`AioConnecting`, so one source serves both clients.)
    """

    __slots__ = ("_client",)

    def __init__(self, client: C, connect: Callable[[], None]) -> None:
        connect()
        self._client = client

    def __enter__(self) -> C:
        return self._client

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._client.close()


class AioConnecting(Generic[A]):
    """An asyncio connection under way: await it, or use it with ``async with``.

    It connects once, whichever comes first; ``async with`` closes the client at the end.
    """

    __slots__ = ("_client", "_connect", "_connected")

    def __init__(self, client: A, connect: Callable[[], Awaitable[None]]) -> None:
        self._client = client
        self._connect = connect
        self._connected = False

    def __del__(self) -> None:
        # What an un-awaited coroutine would say: a forgotten ``await`` connects nothing.
        if not self._connected:
            warnings.warn(
                "AioClient.connect() was never awaited: the client did not connect",
                RuntimeWarning,
                stacklevel=2,
            )

    async def _connect_once(self) -> A:
        if not self._connected:
            self._connected = True
            await self._connect()
        return self._client

    def __await__(self) -> Generator[Any, None, A]:
        return self._connect_once().__await__()

    async def __aenter__(self) -> A:
        return await self._connect_once()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._client.close()
