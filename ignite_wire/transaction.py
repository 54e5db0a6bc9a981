"""``Transaction`` and ``AioTransaction``, where pyignite has them (``pyignite.transaction``).

Start one with ``client.tx_start(...)``; the classes are here for ``isinstance`` checks and
annotations.
"""

from __future__ import annotations

from .aio_client import AioTransaction
from .client import Transaction

__all__ = ["AioTransaction", "Transaction"]
