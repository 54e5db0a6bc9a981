"""The per-operation codec context.

One :class:`CodecContext` is made per request (or per response being decoded): it is
cheap (a few slots) and not thread-safe, while the :class:`~.binary_types.BinaryTypeRegistry`
it points to is long-lived and shared by a client's connections.

Encoding records in :attr:`CodecContext.pending` the binary types (and schemas) the
cluster must learn (op 3003) before it receives the encoded bytes.  Decoding keeps the
nesting depth and the objects already decoded at each position (for handles, code 102).
"""

from __future__ import annotations

from typing import Any

from .binary_types import BinaryType, BinaryTypeRegistry

__all__ = ["MAX_DEPTH", "CodecContext", "new_context"]

#: Deepest nesting of containers/objects accepted when decoding or encoding.
MAX_DEPTH = 100


class CodecContext:
    """State for one encode or decode run.

    Args:
        registry: the client's binary-type registry (a fresh one if omitted).
        compact_footer: write complex objects with compact footers (the server default;
            reference section 3).  Reading accepts both kinds regardless.
    """

    __slots__ = (
        "_pending_keys",
        "base",
        "compact_footer",
        "depth",
        "encoded",
        "pending",
        "readers",
        "refs",
        "registry",
        "writers",
    )

    def __init__(
        self,
        registry: BinaryTypeRegistry | None = None,
        *,
        compact_footer: bool = True,
        readers: list[Any] | None = None,
        writers: dict[type, Any] | None = None,
    ) -> None:
        self.registry = registry if registry is not None else BinaryTypeRegistry()
        self.compact_footer = compact_footer
        # -- value tables (hook of pyignite_values.py) ---------------------------------
        #: The reader per type code and the writer per Python type that decoding and
        #: unhinted encoding dispatch through: readers.READERS / writers' own table, or
        #: the pyignite value mode's tables (:mod:`.pyignite_values`).
        if readers is None or writers is None:
            default_readers, default_writers = _DEFAULTS or _default_tables()
            readers = default_readers if readers is None else readers
            writers = default_writers if writers is None else writers
        self.readers = readers
        self.writers = writers
        # -- end of hook ---------------------------------------------------------------
        #: Binary types to register with op 3003 before sending what was encoded.
        self.pending: list[BinaryType] = []
        self._pending_keys: set[tuple[int, int]] | None = None  # made when first needed
        self.depth = 0
        self.base = 0
        self.refs: dict[int, object] = {}
        #: A batch's keys already encoded by :func:`.codec.key_hash` to route them:
        #: ``id(key) -> (key, bytes)``, shared by the contexts of the batch's split and
        #: parts, so that the parts append those bytes instead of encoding each key
        #: again (``None``: no batch, nothing kept).  A single-key call keeps its
        #: object key's request bytes here the other way round, for routing to hash
        #: (:func:`.answers.write_key`).  See :func:`.codec.key_hash`.
        self.encoded: dict[int, tuple[object, bytes]] | None = None

    def need_registration(self, bt: BinaryType, schema_id: int) -> None:
        """Record that ``bt`` (with ``schema_id``) must be registered before sending."""
        key = (bt.type_id, schema_id)
        keys = self._pending_keys
        if keys is None:
            keys = self._pending_keys = set()
        if key not in keys:
            keys.add(key)
            self.pending.append(bt)

    def take_pending(self) -> list[BinaryType]:
        """Return and clear the types waiting to be registered."""
        pending, self.pending = self.pending, []
        self._pending_keys = None
        return pending


def new_context(
    registry: BinaryTypeRegistry,
    compact_footer: bool,
    readers: list[Any],
    writers: dict[type, Any],
) -> CodecContext:
    """``CodecContext(registry, compact_footer=..., readers=..., writers=...)``, every
    argument given: the single-key short path makes one per call, and this costs half of
    the class call (no keyword parsing, no ``__init__`` frame through ``type.__call__``;
    issue 12).  Keep it in step with :meth:`CodecContext.__init__`."""
    ctx = _new(CodecContext)
    ctx.registry = registry
    ctx.compact_footer = compact_footer
    ctx.readers = readers
    ctx.writers = writers
    ctx.pending = []
    ctx._pending_keys = None
    ctx.depth = 0
    ctx.base = 0
    ctx.refs = {}
    ctx.encoded = None
    return ctx


_new = object.__new__

_DEFAULTS: list[Any] = []


def _default_tables() -> tuple[list[Any], dict[type, Any]]:
    """readers.READERS and writers' table by Python type (imported on first use: both
    modules import this one)."""
    if not _DEFAULTS:
        from .readers import READERS
        from .writers import _BY_TYPE

        _DEFAULTS[:] = [READERS, _BY_TYPE]
    return _DEFAULTS[0], _DEFAULTS[1]
