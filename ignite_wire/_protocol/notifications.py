"""Which subscriber a server notification belongs to (continuous queries, compute tasks).

A server sends notifications (op 2007, 6001) on the connection that created the
resource, tagged with the resource id the creating request returned.  Each connection
owns one :class:`NotificationRouter`; its reader calls :meth:`~NotificationRouter.dispatch`
for every notification and :meth:`~NotificationRouter.fail` once when the connection dies.

Invariants:

* **No notification is lost to a race with its subscriber.**  Ignite starts sending a
  continuous query's events as soon as the *response* carrying the resource id is on the
  wire, so the reader may meet the first event before the caller has read the id and
  subscribed.  Notifications for an id nobody has claimed yet wait in a bounded buffer
  and are handed over, in order, by :meth:`~NotificationRouter.subscribe`.
* **No silent gap.**  When that buffer overflows, the oldest waiting notifications are
  dropped and their ids remembered; the subscriber of such an id is told (a ``DROPPED``
  delivery) before anything else.  When the connection dies, every subscriber receives
  the error, and a later subscriber receives it at once.
* **Order per resource is arrival order.**  Deliveries happen under the router's lock;
  a deliver callback must only enqueue (it runs on the connection's reader).

No I/O, no waiting: ``threading.Lock`` only guards the dicts, because the sync client
reads from whichever thread is waiting.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Final

from ..exceptions import IgniteError
from .messages import Notification

__all__ = ["DROPPED", "Delivery", "Dropped", "NotificationRouter"]


class Dropped:
    """Marker delivery: notifications of this resource were dropped before it subscribed."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "DROPPED"


DROPPED: Final = Dropped()

#: What a subscriber receives: a notification, the dropped marker, or the connection's error.
Delivery = Notification | Dropped | IgniteError

#: Notifications kept, over all unclaimed resource ids, while their subscribers are late.
DEFAULT_MAX_UNCLAIMED: Final = 4096
_MAX_REMEMBERED_DROPS: Final = 1024


class NotificationRouter:
    """Routes one connection's notifications to subscribers by resource id."""

    __slots__ = (
        "_dropped",
        "_error",
        "_ignored",
        "_lock",
        "_max_unclaimed",
        "_subscribers",
        "_unclaimed",
    )

    def __init__(self, max_unclaimed: int = DEFAULT_MAX_UNCLAIMED) -> None:
        self._lock = Lock()
        self._subscribers: dict[int, Callable[[Delivery], None]] = {}
        self._unclaimed: OrderedDict[int, list[Notification]] = OrderedDict()
        self._max_unclaimed = max_unclaimed
        self._dropped: OrderedDict[int, None] = OrderedDict()
        self._ignored: OrderedDict[int, None] = OrderedDict()
        self._error: IgniteError | None = None

    def __repr__(self) -> str:
        return f"<NotificationRouter subscribers={len(self._subscribers)}>"

    def subscribe(self, resource_id: int, deliver: Callable[[Delivery], None]) -> None:
        """Deliver ``resource_id``'s notifications to ``deliver``, starting with any waiting."""
        with self._lock:
            if resource_id in self._dropped:
                del self._dropped[resource_id]
                deliver(DROPPED)
            for waiting in self._unclaimed.pop(resource_id, ()):
                deliver(waiting)
            if self._error is not None:
                deliver(self._error)
                return
            self._subscribers[resource_id] = deliver

    def unsubscribe(self, resource_id: int, *, ignore_next: bool = False) -> None:
        """Stop delivering ``resource_id``'s notifications.

        ``ignore_next``: one more is due and nobody wants it (a cancelled compute task
        still reports its end); it is dropped on arrival instead of waiting, unclaimed,
        for a subscriber that will never come.
        """
        with self._lock:
            self._subscribers.pop(resource_id, None)
            self._unclaimed.pop(resource_id, None)
            if ignore_next:
                self._ignored[resource_id] = None
                if len(self._ignored) > _MAX_REMEMBERED_DROPS:
                    self._ignored.popitem(last=False)

    def dispatch(self, notification: Notification) -> None:
        """Called by the reader for every notification, in arrival order."""
        with self._lock:
            deliver = self._subscribers.get(notification.resource_id)
            if deliver is not None:
                deliver(notification)
                return
            if self._ignored.pop(notification.resource_id, 0) is None:
                return
            self._unclaimed.setdefault(notification.resource_id, []).append(notification)
            self._trim()

    def fail(self, error: IgniteError) -> None:
        """The connection is gone: every subscriber, present and future, learns ``error``."""
        with self._lock:
            if self._error is not None:
                return
            self._error = error
            subscribers, self._subscribers = self._subscribers, {}
            for deliver in subscribers.values():
                deliver(error)

    def _trim(self) -> None:
        total = sum(len(v) for v in self._unclaimed.values())
        while total > self._max_unclaimed and self._unclaimed:
            resource_id, waiting = next(iter(self._unclaimed.items()))
            waiting.pop(0)
            total -= 1
            self._dropped[resource_id] = None
            if len(self._dropped) > _MAX_REMEMBERED_DROPS:
                self._dropped.popitem(last=False)
            if not waiting:
                del self._unclaimed[resource_id]
