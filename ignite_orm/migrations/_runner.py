"""The migrator: pending scripts run in order, under the lock, each recorded when done.

``upgrade`` takes the lock, reads the history *after* taking it (a process that waited
for another's migration then finds nothing left to do), runs each pending script and
records it at once, so a failure leaves the history exactly at the last success.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..database import Database
from ._errors import MigrationError
from ._history import HISTORY_CACHE, AppliedMigration, History, MigrationLock
from ._operations import Operations, Progress
from ._scripts import MigrationScript, load_scripts

__all__ = ["Migrator"]


class Migrator:
    """Migrations of one folder against one database.

    Args:
        db: the connected :class:`~ignite_orm.Database`.
        directory: the folder of ``NNNN_*.py`` scripts.
        lock_ttl: seconds the lock lives without renewal (renewed during long steps).
        lock_wait: seconds to wait for another process's migration to finish.
        progress: ``progress(step, done, total)`` for long steps.
        on_wait: called once with the holder when the lock is taken by another process.
        history_cache: the cache of the history and the lock; applications that share a
            cluster but migrate apart each name their own.
    """

    def __init__(
        self,
        db: Database,
        directory: str | Path,
        *,
        lock_ttl: float = 60.0,
        lock_wait: float = 600.0,
        progress: Progress | None = None,
        on_wait: Callable[[dict[str, Any]], None] | None = None,
        history_cache: str = HISTORY_CACHE,
    ) -> None:
        self.db = db
        self.directory = Path(directory)
        self.lock_ttl = lock_ttl
        self.lock_wait = lock_wait
        self.progress = progress
        self.on_wait = on_wait
        self.history_cache = history_cache
        self._history: History | None = None

    def __repr__(self) -> str:
        return f"<Migrator {str(self.directory)!r} db={self.db!r}>"

    @property
    def history_store(self) -> History:
        if self._history is None:
            self._history = History(self.db.client, self.history_cache)
        return self._history

    def scripts(self) -> list[MigrationScript]:
        """The scripts of the folder, in chain order."""
        return load_scripts(self.directory)

    def history(self) -> list[AppliedMigration]:
        """The revisions the cluster recorded as applied, in order."""
        return self.history_store.applied()

    def pending(self) -> list[MigrationScript]:
        """The scripts not applied yet (refuses a history that the scripts contradict)."""
        scripts = self.scripts()
        applied = [a.revision for a in self.history()]
        known = [s.revision for s in scripts]
        if applied != known[: len(applied)]:
            raise MigrationError(
                f"the cluster's history ({', '.join(applied) or 'empty'}) does not match the "
                f"scripts' order ({', '.join(known) or 'none'})"
            )
        return scripts[len(applied) :]

    @contextlib.contextmanager
    def locked(self) -> Iterator[MigrationLock]:
        """Hold the migration lock for the block (``apply`` runs create_all in it too)."""
        lock = MigrationLock(self.history_store, ttl=self.lock_ttl)
        lock.acquire(self.lock_wait, self.on_wait)
        try:
            yield lock
        finally:
            lock.release()

    def upgrade(self, lock: MigrationLock | None = None) -> list[AppliedMigration]:
        """Run the pending scripts; returns what this call applied (empty: up to date)."""
        if lock is None:
            with self.locked() as held:
                return self.upgrade(held)
        done: list[AppliedMigration] = []
        for script in self.pending():
            ops = Operations(
                self.db, self.history_store, progress=self.progress, heartbeat=lock.renew
            )
            started = time.monotonic()
            try:
                script.upgrade(ops)
            except Exception as exc:
                raise MigrationError(
                    f"migration {script.revision} ({script.message}) failed: "
                    f"{type(exc).__name__}: {exc}",
                    revision=script.revision,
                ) from exc
            lock.renew(force=True)  # still ours: recording is safe
            done.append(
                self.history_store.record(
                    script.revision, script.message, time.monotonic() - started
                )
            )
        return done
