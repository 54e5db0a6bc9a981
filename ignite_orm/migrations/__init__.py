"""Versioned migrations for what ``create_all`` does not do: drop a column, backfill a
new field, move rows to a new binary type when a field's type changes.

Scripts live in a folder (``ignite-orm create "message"`` writes the next one); the
cluster keeps the history and a lock, so two deployments never migrate at once::

    from ignite_orm.migrations import Migrator

    migrator = Migrator(db, "migrations")
    applied = migrator.upgrade()          # under the lock; [] when up to date
    for entry in migrator.history():
        print(entry.revision, entry.message, entry.applied_at)
"""

from __future__ import annotations

from ._errors import MigrationError, MigrationLockedError
from ._history import HISTORY_CACHE, AppliedMigration, MigrationLock
from ._operations import Operations, Progress
from ._runner import Migrator
from ._scripts import MigrationScript, create_script, load_scripts

__all__ = [
    "HISTORY_CACHE",
    "AppliedMigration",
    "MigrationError",
    "MigrationLock",
    "MigrationLockedError",
    "MigrationScript",
    "Migrator",
    "Operations",
    "Progress",
    "create_script",
    "load_scripts",
]
