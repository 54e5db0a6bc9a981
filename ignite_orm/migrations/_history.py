"""What the cluster remembers about migrations: the applied revisions and the lock.

Both live in one small REPLICATED cache (``ignite_orm_migrations``), as JSON strings, so
any client (Java, SQL tools, pyignite) can read them:

* ``revision:<id>`` -> ``{"revision", "message", "seq", "applied_at", "seconds", "by"}``
  for each applied revision; ``seq`` orders them.
* ``lock`` -> ``{"token", "by", "since"}`` while a process migrates.

The lock is a lease, not a flag: it is taken with ``put_if_absent`` (atomic on the
server) through an expiry policy, so the entry vanishes ``ttl`` seconds after it was last
written.  The holder renews it (``replace_if_equals`` with the same value resets the TTL)
during long steps; a holder that died frees it by expiry, with no clock shared between
machines.  Release is ``remove_if_equals`` of the holder's own value, so a process never
frees a lock that expired and was taken by another.
"""

from __future__ import annotations

import datetime
import json
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ignite_wire import Cache, Client
from ignite_wire.datatypes.cache_config import CacheMode
from ignite_wire.datatypes.prop_codes import PROP_CACHE_MODE, PROP_NAME

from ._errors import MigrationError, MigrationLockedError

__all__ = ["HISTORY_CACHE", "AppliedMigration", "History", "MigrationLock"]

HISTORY_CACHE = "ignite_orm_migrations"
_LOCK_KEY = "lock"
_PREFIX = "revision:"


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class AppliedMigration:
    """One applied revision as the cluster recorded it."""

    revision: str
    message: str
    seq: int
    applied_at: str
    seconds: float
    by: str


class History:
    """The applied revisions, read from and written to the history cache."""

    def __init__(self, client: Client, cache_name: str = HISTORY_CACHE) -> None:
        self.client = client
        self.cache: Cache = client.get_or_create_cache(
            {PROP_NAME: cache_name, PROP_CACHE_MODE: CacheMode.REPLICATED}
        )

    def __repr__(self) -> str:
        return f"<History cache={self.cache.name!r}>"

    def applied(self) -> list[AppliedMigration]:
        """Every applied revision, in the order they were applied."""
        found = []
        with self.cache.scan(page_size=256) as cursor:
            for key, value in cursor:
                if isinstance(key, str) and key.startswith(_PREFIX):
                    found.append(AppliedMigration(**json.loads(value)))
        return sorted(found, key=lambda a: a.seq)

    def record(self, revision: str, message: str, seconds: float) -> AppliedMigration:
        """Record ``revision`` as applied (called under the lock, after it succeeded)."""
        entry = AppliedMigration(
            revision=revision,
            message=message,
            seq=len(self.applied()) + 1,
            applied_at=_now(),
            seconds=round(seconds, 3),
            by=_me(),
        )
        if not self.cache.put_if_absent(_PREFIX + revision, json.dumps(entry.__dict__)):
            raise MigrationError(
                f"revision {revision} was recorded by another process meanwhile: the "
                "migration lock was lost (a step ran longer than the lease without progress)",
                revision=revision,
            )
        return entry

    def marker(self, name: str) -> Any:
        return self.cache.get(f"marker:{name}")

    def set_marker(self, name: str, value: Any) -> None:
        """A note that lets an interrupted step resume (see Operations.move_to_new_type)."""
        if value is None:
            self.cache.remove_key(f"marker:{name}")
        else:
            self.cache.put(f"marker:{name}", value)


class MigrationLock:
    """A lease on the migration lock; see the module docstring."""

    def __init__(self, history: History, ttl: float = 60.0) -> None:
        if ttl <= 0:
            raise ValueError("the lock's ttl must be > 0 seconds")
        self.ttl = ttl
        self._leased = history.cache.with_expire_policy(
            create=timedelta(seconds=ttl), update=timedelta(seconds=ttl)
        )
        self._plain = history.cache
        self._value = json.dumps({"token": uuid.uuid4().hex, "by": _me(), "since": _now()})
        self._renewed = 0.0
        self.held = False

    def __repr__(self) -> str:
        state = "held" if self.held else "free"
        return f"<MigrationLock {state} ttl={self.ttl}s by={json.loads(self._value)['by']}>"

    def holder(self) -> dict[str, Any] | None:
        raw = self._plain.get(_LOCK_KEY)
        return json.loads(raw) if isinstance(raw, str) else None

    def acquire(self, wait: float, on_wait: Callable[[dict[str, Any]], None] | None = None) -> None:
        """Take the lock, waiting up to ``wait`` seconds; :class:`MigrationLockedError`
        (naming the holder) when it stays taken."""
        deadline = time.monotonic() + max(wait, 0.0)
        told = False
        while True:
            if self._leased.put_if_absent(_LOCK_KEY, self._value):
                self.held = True
                self._renewed = time.monotonic()
                return
            holder = self.holder() or {}
            if time.monotonic() >= deadline:
                raise MigrationLockedError(
                    f"the migration lock is held by {holder.get('by', '?')} since "
                    f"{holder.get('since', '?')}",
                    holder=holder,
                )
            if on_wait is not None and not told and holder:
                on_wait(holder)
                told = True
            time.sleep(min(0.25, max(deadline - time.monotonic(), 0.0)))

    def renew(self, force: bool = False) -> None:
        """Extend the lease (at most every third of the ttl unless ``force``)."""
        if not self.held:
            return
        if not force and time.monotonic() - self._renewed < self.ttl / 3:
            return
        if not self._leased.replace_if_equals(_LOCK_KEY, self._value, self._value):
            self.held = False
            raise MigrationLockedError("the migration lock expired and was lost")
        self._renewed = time.monotonic()

    def release(self) -> None:
        if self.held:
            self.held = False
            self._plain.remove_if_equals(_LOCK_KEY, self._value)
