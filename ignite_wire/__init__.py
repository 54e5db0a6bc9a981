"""ignite_wire: a fast, typed Apache Ignite 2.x thin client.

The client API (``Client``, ``AioClient``, ``GenericObjectMeta``) arrives with the protocol
core; see README.md for the state of the work.
"""

from __future__ import annotations

from ._version import __version__

__all__ = ["__version__"]
