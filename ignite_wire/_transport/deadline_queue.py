"""The request deadlines of one asyncio connection, so that one timer serves them all.

A timer per request (``loop.call_later``, then ``cancel()`` when the answer comes) cost
the asyncio client about 4 us of CPU per request: a ``TimerHandle`` made and pushed on the
loop's heap, cancelled, then popped or the heap rebuilt.  Requests on one connection
nearly always share one timeout, so their deadlines arrive in the order they are sent:
a queue in send order, and one timer per connection armed at the oldest deadline, expire
them all.  When the timer fires, the requests whose deadline has passed are expired and
the timer is armed again at the next deadline in the queue; an answered request leaves
the queue at once (a dict keeps send order and removes any entry in O(1)), so the queue
holds exactly the requests in flight.

A deadline earlier than one already queued (a call with a shorter timeout of its own: a
heartbeat probe) would break the order; :meth:`DeadlineQueue.add` refuses it, and the
caller gives that request a timer of its own.  This module decides only; it has no
clock and no loop: the connection passes the time in (:mod:`.aio`).
"""

from __future__ import annotations

__all__ = ["DeadlineQueue"]


class DeadlineQueue:
    """Deadlines by request id, in send order and never decreasing along it."""

    __slots__ = ("_deadlines", "_last")

    def __init__(self) -> None:
        self._deadlines: dict[int, float] = {}
        #: The latest deadline queued since the queue was last empty.
        self._last = float("-inf")

    def __len__(self) -> int:
        return len(self._deadlines)

    def add(self, request_id: int, deadline: float) -> bool:
        """Queue ``deadline`` for ``request_id``; ``False`` (nothing queued) when it is
        earlier than one already queued: that request needs a timer of its own."""
        deadlines = self._deadlines
        if deadline < self._last and deadlines:
            return False
        self._last = deadline
        deadlines[request_id] = deadline
        return True

    def discard(self, request_id: int) -> None:
        """Forget ``request_id`` (answered, failed or cancelled; unknown ids are fine)."""
        self._deadlines.pop(request_id, None)

    def due(self, now: float) -> tuple[list[int], float | None]:
        """Remove and return the ids whose deadline is ``now`` or earlier, oldest first,
        and the next deadline still queued (``None``: the queue is empty)."""
        deadlines = self._deadlines
        expired: list[int] = []
        following: float | None = None
        for request_id, deadline in deadlines.items():
            if deadline > now:
                following = deadline
                break
            expired.append(request_id)
        for request_id in expired:
            del deadlines[request_id]
        return expired, following
