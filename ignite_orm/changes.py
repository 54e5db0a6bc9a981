"""Typed change events of a model's cache, as :meth:`Repository.watch` yields them.

Pure conversion from ``ignite_wire.continuous`` events to model instances: a change
carries the object before (``old``) and after (``new``) it, built from the cache entry
the same way a ``get`` builds it.  A possible gap (the serving node failed) passes
through as :class:`~ignite_wire.continuous.EventsMissed`, re-exported here as
:data:`EventsMissed`: a watcher must handle it, typically by re-reading what it caches.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ignite_wire.continuous import CacheEntryEvent, EventsMissed, EventType, InitialEntry

from .mapping import ModelInfo
from .model import IgniteModel

__all__ = ["Change", "ChangeType", "EventsMissed", "to_change"]

M = TypeVar("M", bound=IgniteModel)


class ChangeType(enum.Enum):
    """What happened; ``SNAPSHOT`` marks an object that existed when the watch began."""

    SNAPSHOT = "snapshot"
    CREATED = "created"
    UPDATED = "updated"
    REMOVED = "removed"
    EXPIRED = "expired"


_TYPES = {
    EventType.CREATED: ChangeType.CREATED,
    EventType.UPDATED: ChangeType.UPDATED,
    EventType.REMOVED: ChangeType.REMOVED,
    EventType.EXPIRED: ChangeType.EXPIRED,
}


@dataclass(frozen=True, slots=True)
class Change(Generic[M]):
    """One change of one object: ``new`` is ``None`` once removed, ``old`` when created."""

    type: ChangeType
    key: Any
    old: M | None
    new: M | None


def to_change(
    info: ModelInfo[IgniteModel],
    event: CacheEntryEvent | InitialEntry | EventsMissed,
    *,
    validate: bool,
) -> Change[Any] | EventsMissed:
    """The model-level form of one continuous query event."""
    if isinstance(event, EventsMissed):
        return event

    def load(value: Any) -> Any:
        if value is None:
            return None
        return info.from_entry(event.key, value, validate=validate)

    if isinstance(event, InitialEntry):
        return Change(ChangeType.SNAPSHOT, event.key, None, load(event.value))
    return Change(_TYPES[event.type], event.key, load(event.old_value), load(event.value))
