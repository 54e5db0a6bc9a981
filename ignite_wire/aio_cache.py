"""``AioCache``, under the module name pyignite gives it (``pyignite.aio_cache``)."""

from __future__ import annotations

from .aio_client import AioCache

__all__ = ["AioCache"]
