"""The client's binary-type methods (pyignite's API): read, put, query and register types.

A base class of :class:`~ignite_wire.aio_client.AioClient`, kept apart so the client
module holds connecting, caches, SQL and transactions.  It needs from the client only
what the attributes and methods declared below give: the type registry, the value mode,
a codec context, and running a flow (with retries for reads).
"""

# unasync-skip-start
# The source of _sync_binary_types.py: ``python tools/unasync.py`` generates it.
# unasync-skip-end

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from . import _checks, _pyignite_mode
from ._protocol.binary_object import make_class
from ._protocol.binary_types import BinaryType, BinaryTypeRegistry
from ._protocol.context import CodecContext
from ._protocol.flow import Flow
from ._protocol.ops.common import fetch_binary_type, register_pending
from ._transport.aio import AioConnection
from .exceptions import ParameterError
from .utils import entity_id, schema_id

__all__ = ["AioBinaryTypes"]

T = TypeVar("T")


class AioBinaryTypes:
    """Binary types of the cluster, seen through one client's registry."""

    _registry: BinaryTypeRegistry
    _compat: str

    def _context(self) -> CodecContext:
        raise NotImplementedError

    async def _run(self, flow: Flow[T], conn: AioConnection | None = None) -> T:
        raise NotImplementedError

    async def _retrying(self, call: Callable[[], Awaitable[T]], *, write: bool) -> T:
        raise NotImplementedError

    async def get_binary_type(self, binary_type: str | int) -> Any:
        """The cluster's metadata of a binary type, by name or id: a ``BinaryType``, or
        ``None`` if it has none; in the pyignite value mode, pyignite's dict."""
        _checks.binary_type_ref(binary_type, "get_binary_type(): binary_type")
        bt = await self._binary_type(entity_id(binary_type))
        if self._compat == _pyignite_mode.PYIGNITE:
            return _pyignite_mode.binary_type_dict(bt)
        return bt

    async def _binary_type(self, type_id: int) -> BinaryType | None:
        ctx = self._context()
        await self._retrying(lambda: self._run(fetch_binary_type(ctx, type_id)), write=False)
        return self._registry.get_type(type_id)

    async def put_binary_type(
        self,
        type_name: str,
        affinity_key_field: str | None = None,
        is_enum: bool = False,
        schema: Mapping[str, Any] | None = None,
    ) -> dict[str, int]:
        """Register a binary type's metadata with the cluster (pyignite's method):
        ``schema`` maps field names to hints (an enum's: literals to ordinals).  No class
        is registered; returns ``{"type_id": ..., "schema_id": ...}``."""
        _checks.text(type_name, "put_binary_type(): type_name")
        _checks.optional_text(affinity_key_field, "put_binary_type(): affinity_key_field")
        if not is_enum:
            _checks.schema_ref(schema, "put_binary_type(): schema")
        bt, sid = _pyignite_mode.binary_type_from_pyignite(
            type_name, affinity_key_field, is_enum, schema
        )
        ctx = self._context()
        ctx.need_registration(bt, sid)
        await self._run(register_pending(ctx))
        return {"type_id": bt.type_id, "schema_id": sid}

    async def query_binary_type(
        self, binary_type: str | int, schema: int | Mapping[str, Any] | None = None
    ) -> dict[int, type] | type | None:
        """The class objects of a binary type are read as (pyignite's method).

        ``binary_type`` is a type name or id.  Without ``schema``: ``{schema_id: class}``
        for every schema the cluster knows (``None`` if it has no such type); with a
        schema (an id, or a field mapping): that schema's class, or ``None``.  A class
        registered or declared for the type answers for all its schemas; otherwise a
        class is made from the cluster's metadata for each schema.
        """
        _checks.binary_type_ref(binary_type, "query_binary_type(): binary_type")
        _checks.schema_ref(schema, "query_binary_type(): schema")
        bt = await self._binary_type(entity_id(binary_type))
        if bt is None:
            return None
        registered = self._registry.get_class(bt.type_id)
        classes = {sid: registered or make_class(bt, sid) for sid in bt.schemas}
        if schema is None:
            return classes
        return classes.get(schema_id(schema))

    async def register_binary_type(self, cls: type) -> None:
        """Register a ``GenericObjectMeta`` class's type with the cluster now; objects of
        the type are then read as instances of ``cls``.

        An ``enum.Enum`` class becomes a binary enum type named after the class, with its
        members' definition order as ordinals: its members can then be stored, and are
        read back as members.
        """
        _checks.binary_class(cls, "register_binary_type(): cls")
        ctx = self._context()
        if isinstance(cls, type) and issubclass(cls, enum.Enum):
            ctx.need_registration(self._registry.register_enum(cls), 0)
            await self._run(register_pending(ctx))
            return
        info = getattr(cls, "__ignite_info__", None)
        if info is None:
            raise ParameterError(f"{cls!r} is not a GenericObjectMeta class or an Enum")
        ctx.need_registration(info.binary_type, info.schema_id)
        await self._run(register_pending(ctx))
        self._registry.register_class(cls, info.type_id)
