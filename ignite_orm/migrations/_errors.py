"""The migration tool's errors (a leaf module)."""

from __future__ import annotations

__all__ = ["MigrationError", "MigrationLockedError"]


class MigrationError(Exception):
    """A migration script is wrong (cannot load, broken chain) or failed while running.

    When a script failed, ``revision`` names it; the revisions before it are applied and
    recorded, it and the ones after are not.
    """

    def __init__(self, message: str, *, revision: str | None = None) -> None:
        super().__init__(message)
        self.revision = revision


class MigrationLockedError(MigrationError):
    """Another process holds the migration lock; ``holder`` says who (host, pid, since)."""

    def __init__(self, message: str, *, holder: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.holder = holder or {}
