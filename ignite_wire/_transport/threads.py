"""Background work for the sync client: a shared thread pool, daemon threads, events.

The sync node pool and client are generated from the asyncio ones, so where asyncio
spawns a task, gathers coroutines or sleeps on an event, the sync code calls the
function of the same name here (:mod:`.tasks` is the asyncio side).  Re-exported by
:mod:`.sync`, which the generated code imports.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["executor", "gather", "join", "new_event", "sleep", "spawn", "wait_event"]

T = TypeVar("T")

_POOL_LOCK = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def executor() -> ThreadPoolExecutor:
    """One shared pool for fan-out (per-node batches, connecting to several nodes)."""
    global _pool
    with _POOL_LOCK:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="ignite-wire")
        return _pool


def gather(thunks: Sequence[Callable[[], T]]) -> list[T]:
    """Run the calls concurrently; the first error propagates after all have finished."""
    if len(thunks) == 1:
        return [thunks[0]()]
    futures = [executor().submit(t) for t in thunks]
    errors = [f.exception() for f in futures]
    for error in errors:
        if error is not None:
            raise error
    return [f.result() for f in futures]


def spawn(fn: Callable[..., object], *args: object) -> threading.Thread:
    """Run ``fn(*args)`` in the background (a daemon thread; its errors are its own)."""
    thread = threading.Thread(target=fn, args=args, daemon=True, name="ignite-wire-background")
    thread.start()
    return thread


def join(handle: threading.Thread, seconds: float) -> None:
    """Wait up to ``seconds`` for a background job (not from inside it) to end."""
    if handle is not threading.current_thread():
        handle.join(seconds)


def new_event() -> threading.Event:
    """An event a background loop sleeps on, so that close() wakes it at once."""
    return threading.Event()


def wait_event(event: threading.Event, seconds: float) -> bool:
    """Sleep up to ``seconds``; True as soon as ``event`` is set."""
    return event.wait(seconds)


def sleep(seconds: float) -> None:
    """Back off between retries."""
    time.sleep(seconds)
