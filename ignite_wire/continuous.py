"""Continuous queries: a cache's changes, pushed by the server as they happen.

::

    with cache.continuous_query(initial_scan=True) as changes:
        for event in changes:                 # or: changes.get(timeout=1.0)
            match event:
                case InitialEntry(key, value): ...
                case CacheEntryEvent(EventType.UPDATED, key, old, new): ...
                case EventsMissed(): ...      # the serving node failed; re-read what matters

``AioCache.continuous_query`` returns an :class:`AioContinuousQuery` (``async for``).
Layouts and server behaviour: :mod:`ignite_wire._protocol.ops.continuous`.
"""

from __future__ import annotations

from ._aio_continuous import AioContinuousQuery, Event
from ._protocol.ops.continuous import CacheEntryEvent, EventsMissed, EventType, InitialEntry
from ._sync_continuous import ContinuousQuery

__all__ = [
    "AioContinuousQuery",
    "CacheEntryEvent",
    "ContinuousQuery",
    "Event",
    "EventType",
    "EventsMissed",
    "InitialEntry",
]
