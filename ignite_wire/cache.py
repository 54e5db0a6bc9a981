"""``Cache``, under the module name pyignite gives it (``pyignite.cache``)."""

from __future__ import annotations

from .client import Cache

__all__ = ["Cache"]
