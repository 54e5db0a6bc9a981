"""Where a connection's reader leaves a subscription's notifications for its consumer.

The reader (the asyncio protocol callback, or in the sync client whichever thread is
reading) calls ``put``; it only appends.  The consumer calls ``get``: the asyncio inbox
waits for an event, the sync one *pumps* the connection (reads on the caller's thread)
while nothing is queued, because the sync transport has no reader thread of its own.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque

from .._protocol.notifications import Delivery
from ..exceptions import IgniteError
from .aio import AioConnection
from .sync import SyncConnection

__all__ = ["AioInbox", "Inbox"]

#: Longest single pump of a sync connection (so a closed subscription is noticed soon).
_PUMP_SLICE = 0.25


class AioInbox:
    """Notifications of one subscription on one asyncio connection."""

    def __init__(self, conn: AioConnection) -> None:
        self.conn = conn
        self._items: deque[Delivery] = deque()
        self._ready = asyncio.Event()

    def put(self, item: Delivery) -> None:
        self._items.append(item)
        self._ready.set()

    async def get(self, timeout: float | None) -> Delivery | None:
        """The next delivery, or ``None`` after ``timeout`` seconds."""
        if not self._items:
            self._ready.clear()
            try:
                await asyncio.wait_for(self._ready.wait(), timeout)
            except TimeoutError:
                return None
        return self._items.popleft()


class Inbox:
    """Notifications of one subscription on one sync connection."""

    def __init__(self, conn: SyncConnection) -> None:
        self.conn = conn
        self._items: deque[Delivery] = deque()
        self._lock = threading.Lock()

    def put(self, item: Delivery) -> None:
        with self._lock:
            self._items.append(item)

    def get(self, timeout: float | None) -> Delivery | None:
        """The next delivery, or ``None`` after ``timeout`` seconds (reads meanwhile)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                if self._items:
                    return self._items.popleft()
            remaining = _PUMP_SLICE if deadline is None else deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                self.conn.pump(min(remaining, _PUMP_SLICE))
            except IgniteError as exc:
                # The router has delivered the failure already; if not, report it here.
                with self._lock:
                    if not self._items:
                        return exc
