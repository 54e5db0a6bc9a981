"""Helpers for tests written once for ``Client`` and ``AioClient`` in async style.

A test gets ``kind`` ("sync" or "async", the fixture in tests/wire/cluster/conftest.py),
makes its client with :func:`make_client`, and wraps every call in ``await do(...)``: a
coroutine is awaited, a sync result passes through.  Imported as ``client_kinds``
(pytest puts ``tests/`` on ``sys.path``; the test folders are not packages).
"""

from __future__ import annotations

import inspect
import socket
from typing import Any

from ignite_wire import AioClient, Client

__all__ = ["dead_port", "do", "make_client", "rows"]


def make_client(kind: str, **options: Any) -> Any:
    return Client(**options) if kind == "sync" else AioClient(**options)


async def do(value: Any) -> Any:
    """The result of a client call: awaited for ``AioClient``, as is for ``Client``."""
    if inspect.isawaitable(value):
        return await value
    return value


async def rows(cursor: Any) -> list[Any]:
    if hasattr(cursor, "__aiter__"):
        return [row async for row in cursor]
    return list(cursor)


def dead_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
