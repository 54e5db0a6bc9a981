"""Cache management (ops 1050-1056): names, creation, configuration, destruction.

Creating by name (1051/1052) uses the server's templates (a name matching a template such
as ``*`` gets its settings); creating with a configuration (1053/1054) sends every
property, encoded by :mod:`..cache_config`.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from typing import Any

from ...exceptions import CacheCreationError, CacheError, ParseError
from ..buffer import read_str, write_str
from ..cache_config import decode_cache_config, encode_cache_config
from ..context import CodecContext
from ..features import ProtocolVersion
from ..flow import Flow, Request
from ..opcodes import OpCode
from .common import cache_header, decode_with_types, register_pending

__all__ = [
    "create_with_config",
    "create_with_name",
    "destroy",
    "get_cache_names",
    "get_configuration",
]

_I32 = struct.Struct("<i")


def get_cache_names() -> Flow[list[str]]:
    """CACHE_GET_NAMES."""
    response = yield Request(OpCode.CACHE_GET_NAMES, b"", CacheError)
    payload = response.payload
    if len(payload) < 4:
        raise ParseError("CACHE_GET_NAMES answered without a count", offset=0)
    (count,) = _I32.unpack_from(payload, 0)
    if count < 0 or count > len(payload):
        raise ParseError(f"implausible cache count {count}", offset=0)
    names: list[str] = []
    pos = 4
    for _ in range(count):
        name, pos = read_str(payload, pos)
        if name is not None:
            names.append(name)
    return names


def create_with_name(name: str, *, if_absent: bool) -> Flow[None]:
    """CACHE_CREATE_WITH_NAME, or CACHE_GET_OR_CREATE_WITH_NAME with ``if_absent``."""
    out = bytearray()
    write_str(out, name)
    op = OpCode.CACHE_GET_OR_CREATE_WITH_NAME if if_absent else OpCode.CACHE_CREATE_WITH_NAME
    yield Request(op, out, CacheCreationError)


def create_with_config(
    settings: Mapping[int, Any], version: ProtocolVersion, ctx: CodecContext, *, if_absent: bool
) -> Flow[None]:
    """CACHE_(GET_OR_)CREATE_WITH_CONFIGURATION."""
    payload = encode_cache_config(settings, version, ctx)
    if ctx.pending:  # a query field's default value may be a binary object
        yield from register_pending(ctx)
    op = (
        OpCode.CACHE_GET_OR_CREATE_WITH_CONFIGURATION
        if if_absent
        else OpCode.CACHE_CREATE_WITH_CONFIGURATION
    )
    yield Request(op, payload, CacheCreationError)


def get_configuration(
    cache_id: int, version: ProtocolVersion, ctx: CodecContext
) -> Flow[dict[int, Any]]:
    """CACHE_GET_CONFIGURATION: the settings as ``{PROP_*: value}``."""
    response = yield Request(OpCode.CACHE_GET_CONFIGURATION, cache_header(cache_id), CacheError)
    payload = response.payload
    return (
        yield from decode_with_types(ctx, lambda: decode_cache_config(payload, 0, version, ctx)[0])
    )


def destroy(cache_id: int) -> Flow[None]:
    """CACHE_DESTROY (the body is the cache id alone, no flags byte)."""
    yield Request(OpCode.CACHE_DESTROY, _I32.pack(cache_id), CacheError)
