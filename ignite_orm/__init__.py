"""ignite_orm: pydantic models as Ignite binary types, SQL tables and caches (in progress)."""

from __future__ import annotations

from ignite_wire import __version__

__all__ = ["__version__"]
