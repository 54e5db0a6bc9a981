"""``ExpiryPolicy``: entry lifetimes for a cache (``PROP_EXPIRY_POLICY``) or one call.

Defined in the sans-IO core, which builds it when it decodes a cache configuration, and
re-exported here as the public name (pyignite has it at ``pyignite.datatypes``).
Needs protocol 1.6.0 (Ignite 2.8) or newer.
"""

from __future__ import annotations

from .._protocol.expiry_policy import ExpiryPolicy

__all__ = ["ExpiryPolicy"]
