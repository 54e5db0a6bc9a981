"""One page fetched ahead while the cursor's current page is consumed.

A cursor that asks for its next page only when the current one is used up leaves the
server idle while the client decodes and the application iterates, and the client idle
while the server reads the next page: the profile of a 100,000-row SQL read spent 23%
of its time waiting.  A cursor holds one of these: after taking a page that has more, it
starts the next fetch; when the current page runs out it takes the fetched one.  At most
one fetch is pending, so memory stays bounded by two pages.

The fetch handed to :meth:`Prefetch.start` is a page flow whose request the consumer has
already sent (``_aio_exchange.Begun.finish``): the thread or task only takes the answer
and decodes it.  When the thread sent the request itself, it could do so only once the
consumer blocked at the end of its page (the consumer holds the GIL for less than the 5 ms
switch interval while it iterates a page), so the node never worked meanwhile.

:class:`AioPrefetch` runs the fetch as an asyncio task; :class:`Prefetch`, the sync
client's (``tools/unasync.py`` renames the class), on a daemon thread, which the sync
connections allow (their requests are multiplexed between threads).  The threads are
reused: a new thread per page cost more client CPU than decoding the page's objects (a
scan of 20,000 objects, page 1024, one local node: 1.70 -> 1.26 us per object, and the
wall time 4.0 -> 2.4 us; the new threads' stacks and malloc arenas were faulted in afresh
each time).  One worker waits :data:`_IDLE_SECONDS` for the next fetch, then ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
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

        _submit(run)
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


#: How long an idle prefetch thread waits for its next fetch before it ends.
_IDLE_SECONDS = 10.0
#: At most this many threads wait idle; others end after their fetch.  One serves a
#: cursor read to its end (its fetches come one after another); many cursors prefetching
#: at once start threads as before, and do not leave them all behind.
_MAX_IDLE = 1


class _Worker:
    """One reusable daemon thread: runs a fetch, then waits (idle) for the next."""

    __slots__ = ("job", "wake")

    def __init__(self, job: Callable[[], None]) -> None:
        self.job: Callable[[], None] | None = job
        self.wake = threading.Condition(_lock)

    def run(self) -> None:
        job = self.job
        while job is not None:
            job()  # never raises: it hands its outcome to a Future
            # Drop the finished job before waiting: it holds the future and its page.
            job = None
            with _lock:
                self.job = None
                if len(_idle) >= _MAX_IDLE:
                    return
                _idle.append(self)
                while self.job is None:
                    if not self.wake.wait(_IDLE_SECONDS) and self.job is None:
                        _idle.remove(self)
                        return
                job = self.job


#: Guards :data:`_idle` and every worker's ``job``.
_lock = threading.Lock()
#: Workers waiting for a fetch (a submitter pops one and hands it the job).
_idle: list[_Worker] = []


def _submit(job: Callable[[], None]) -> None:
    """Run ``job`` on an idle worker, or on a new one."""
    with _lock:
        if _idle:
            worker = _idle.pop()
            worker.job = job
            worker.wake.notify()
            return
    worker = _Worker(job)
    threading.Thread(target=worker.run, name="ignite_wire page prefetch", daemon=True).start()


def _after_fork() -> None:
    """A forked child has none of the parent's threads: forget their workers."""
    global _lock
    _lock = threading.Lock()
    _idle.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)
