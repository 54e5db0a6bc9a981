"""One page fetched ahead while the cursor's current page is consumed.

A cursor that asks for its next page only when the current one is used up leaves the
server idle while the client decodes and the application iterates, and the client idle
while the server reads the next page: the profile of a 100,000-row SQL read spent 23%
of its time waiting.  A cursor holds one of these: after taking a page that has more, it
starts the next fetch; when the current page runs out it takes the fetched one.  At most
one fetch is pending, so memory stays bounded by two pages.

:class:`AioPrefetch` runs the fetch as an asyncio task; :class:`Prefetch`, the sync
client's (``tools/unasync.py`` renames the class), on a short-lived daemon thread, which
the sync connections allow (their requests are multiplexed between threads).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any


class AioPrefetch:
    """At most one pending page fetch, as an asyncio task."""

    def __init__(self) -> None:
        self._task: asyncio.Future[Any] | None = None

    @property
    def pending(self) -> bool:
        return self._task is not None

    def start(self, fetch: Callable[[], Awaitable[Any]]) -> None:
        self._task = asyncio.ensure_future(fetch())

    async def take(self) -> Any:
        """The fetched page (or the fetch's exception)."""
        task, self._task = self._task, None
        assert task is not None
        return await task

    async def drain(self) -> Any:
        """Wait for a pending fetch and return its page; ``None`` if none or it failed."""
        if self._task is None:
            return None
        with contextlib.suppress(Exception):
            return await self.take()
        return None


class Prefetch:
    """At most one pending page fetch, on a daemon thread."""

    def __init__(self) -> None:
        self._future: Future[Any] | None = None

    @property
    def pending(self) -> bool:
        return self._future is not None

    def start(self, fetch: Callable[[], Any]) -> None:
        future: Future[Any] = Future()

        def run() -> None:
            try:
                future.set_result(fetch())
            except BaseException as e:  # handed to the consumer by take()
                future.set_exception(e)

        threading.Thread(target=run, name="ignite_wire page prefetch", daemon=True).start()
        self._future = future

    def take(self) -> Any:
        """The fetched page (or the fetch's exception); the fetch is bounded by the
        request timeout, so this wait is too."""
        future, self._future = self._future, None
        assert future is not None
        return future.result()

    def drain(self) -> Any:
        """Wait for a pending fetch and return its page; ``None`` if none or it failed."""
        if self._future is None:
            return None
        with contextlib.suppress(Exception):
            return self.take()
        return None
