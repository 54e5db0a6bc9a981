"""Cache configurations: ``{PROP_*: value}`` dicts <-> the two wire forms.

Ignite uses two different layouts for the same settings (``ClientCacheConfigurationSerializer``,
reference section 4), and this module owns both:

* **Creating** (ops 1053/1054) sends ``i32 length | i16 count | (i16 code, value)*``.
  Only the properties the user set travel; the server keeps its defaults for the rest.
  The server skips the length, and pyignite sends garbage there; we send the byte count
  after the length field, which is what the server writes in the other direction.
* **Reading** (op 1055) answers with *every* property, in a fixed order and without
  codes, behind an ``i32 length``.  The length lets a client skip fields a newer server
  appends, so decoding stops at it rather than at the last field it knows.

The server's property reader ignores a code it does not know *without consuming its
value*, so every property after it would be misread.  That is why a property the
negotiated protocol cannot carry (the expiry policy before 1.6.0; query-field precision
and scale before 1.2.0) raises :class:`NotSupportedByClusterError` instead of being sent,
and why unknown codes are refused here rather than passed through.

Values follow pyignite: enums are their ``IntEnum`` or the plain int, booleans ``bool``
(or 0/1), ints are range-checked to the Java type, lists of query entities and key
configurations are lists of dicts (:mod:`.query_entity`).  Decoding gives back the same
shapes with named enum members and an :class:`ExpiryPolicy` (or ``None``), so that
what ``create_cache(cfg)`` set reads back equal.  Errors name the property with its
public constant, e.g. ``PROP_QUERY_ENTITIES[0]['query_fields'][2]['precision']``.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping
from enum import IntEnum
from typing import Any, Final

from ..exceptions import EncodeError, NotSupportedByClusterError, ParameterError, ParseError
from .buffer import (
    Buffer,
    pack_bool,
    pack_i16,
    pack_i32,
    pack_i64,
    read_bool,
    read_count,
    read_i32,
    read_i64,
    read_str,
)
from .cache_props import (
    CacheAtomicityMode,
    CacheMode,
    CacheProperty,
    PartitionLossPolicy,
    RebalanceMode,
    WriteSynchronizationMode,
)
from .context import CodecContext
from .expiry_policy import ExpiryPolicy, pack_expiry_policy
from .features import ProtocolVersion, VersionFeature, version_supports
from .query_entity import (
    decode_query_entities,
    encode_query_entities,
    enum_or_int,
    is_member,
    items,
    record,
    write_text,
)

__all__ = ["decode_cache_config", "encode_cache_config"]

P = CacheProperty

_Writer = Callable[[bytearray, Any, str, ProtocolVersion, CodecContext], None]
_Reader = Callable[[Buffer, int, ProtocolVersion, CodecContext], tuple[Any, int]]

_HEAD: Final = struct.Struct("<ih")
_I32: Final = (-(1 << 31), (1 << 31) - 1)
_I64: Final = (-(1 << 63), (1 << 63) - 1)


# -- one writer/reader pair per kind of value -----------------------------------------


def _text(*, required: bool = False) -> tuple[_Writer, _Reader]:
    def write(out: bytearray, v: Any, path: str, _: ProtocolVersion, __: CodecContext) -> None:
        write_text(out, v, path, required=required)

    def read(buf: Buffer, pos: int, _: ProtocolVersion, __: CodecContext) -> tuple[Any, int]:
        return read_str(buf, pos)

    return write, read


def _integer(bits: int, minimum: int | None = None) -> tuple[_Writer, _Reader]:
    lo, hi = _I32 if bits == 32 else _I64
    if minimum is not None:
        lo = minimum
    pack = pack_i32 if bits == 32 else pack_i64
    reader = read_i32 if bits == 32 else read_i64

    def write(out: bytearray, v: Any, path: str, _: ProtocolVersion, __: CodecContext) -> None:
        if isinstance(v, bool) or not isinstance(v, int):
            raise EncodeError(f"expected an int, not {type(v).__name__}", path=path)
        if not lo <= v <= hi:
            raise EncodeError(f"{v} is outside {lo}..{hi}", path=path)
        out += pack(int(v))

    def read(buf: Buffer, pos: int, _: ProtocolVersion, __: CodecContext) -> tuple[Any, int]:
        return reader(buf, pos)

    return write, read


def _flag() -> tuple[_Writer, _Reader]:
    def write(out: bytearray, v: Any, path: str, _: ProtocolVersion, __: CodecContext) -> None:
        if not (isinstance(v, bool) or (type(v) is int and v in (0, 1))):
            raise EncodeError(f"expected a bool, not {v!r}", path=path)
        out += pack_bool(bool(v))

    def read(buf: Buffer, pos: int, _: ProtocolVersion, __: CodecContext) -> tuple[Any, int]:
        return read_bool(buf, pos)

    return write, read


def _enum(cls: type[IntEnum]) -> tuple[_Writer, _Reader]:
    choices = ", ".join(f"{m.name}={m.value}" for m in cls)

    def write(out: bytearray, v: Any, path: str, _: ProtocolVersion, __: CodecContext) -> None:
        # A member of another enum is a mix-up (CacheAtomicityMode.ATOMIC == 1 is also
        # CacheMode.REPLICATED), so only the right class or a plain int is taken.
        if isinstance(v, IntEnum) and not isinstance(v, cls):
            raise EncodeError(f"{v!r} given where a {cls.__name__} is expected", path=path)
        if not is_member(cls, v):
            raise EncodeError(f"expected a {cls.__name__} ({choices}), not {v!r}", path=path)
        out += pack_i32(int(v))

    def read(buf: Buffer, pos: int, _: ProtocolVersion, __: CodecContext) -> tuple[Any, int]:
        value, pos = read_i32(buf, pos)
        return enum_or_int(cls, value), pos

    return write, read


def _write_key_configs(
    out: bytearray, value: Any, path: str, _: ProtocolVersion, __: CodecContext
) -> None:
    configs = items(value, path)
    out += pack_i32(len(configs))
    for i, config in enumerate(configs):
        p = f"{path}[{i}]"
        keys = ("type_name", "affinity_key_field_name")
        checked = record(config, p, frozenset(keys), ())
        for key in keys:
            write_text(out, checked.get(key), f"{p}[{key!r}]", required=True)


def _read_key_configs(
    buf: Buffer, pos: int, _: ProtocolVersion, __: CodecContext
) -> tuple[Any, int]:
    n, pos = read_count(buf, pos, "key configuration", 2)
    configs = []
    for _i in range(n):
        type_name, pos = read_str(buf, pos)
        field, pos = read_str(buf, pos)
        configs.append({"type_name": type_name, "affinity_key_field_name": field})
    return configs, pos


def _write_expiry(
    out: bytearray, value: Any, path: str, _: ProtocolVersion, __: CodecContext
) -> None:
    if value is None:
        out += pack_bool(False)
        return
    out += pack_bool(True)
    out += pack_expiry_policy(value, path)


def _read_expiry(buf: Buffer, pos: int, _: ProtocolVersion, __: CodecContext) -> tuple[Any, int]:
    start = pos
    present, pos = read_bool(buf, pos)
    if not present:
        return None, pos
    create, pos = read_i64(buf, pos)
    update, pos = read_i64(buf, pos)
    access, pos = read_i64(buf, pos)
    try:
        return ExpiryPolicy(create=create, update=update, access=access), pos
    except ParameterError as exc:
        raise ParseError(f"invalid expiry policy: {exc.message}", offset=start) from None


_KINDS: Final[dict[CacheProperty, tuple[_Writer, _Reader]]] = {
    P.NAME: _text(required=True),
    P.CACHE_MODE: _enum(CacheMode),
    P.CACHE_ATOMICITY_MODE: _enum(CacheAtomicityMode),
    P.BACKUPS_NUMBER: _integer(32, minimum=0),
    P.WRITE_SYNCHRONIZATION_MODE: _enum(WriteSynchronizationMode),
    P.COPY_ON_READ: _flag(),
    P.READ_FROM_BACKUP: _flag(),
    P.DATA_REGION_NAME: _text(),
    P.IS_ONHEAP_CACHE_ENABLED: _flag(),
    P.QUERY_ENTITIES: (encode_query_entities, decode_query_entities),
    P.QUERY_PARALLELISM: _integer(32),
    P.QUERY_DETAIL_METRIC_SIZE: _integer(32),
    P.SQL_SCHEMA: _text(),
    P.SQL_INDEX_INLINE_MAX_SIZE: _integer(32),
    P.SQL_ESCAPE_ALL: _flag(),
    P.MAX_QUERY_ITERATORS: _integer(32),
    P.REBALANCE_MODE: _enum(RebalanceMode),
    P.REBALANCE_DELAY: _integer(64),
    P.REBALANCE_TIMEOUT: _integer(64, minimum=0),  # pyignite refuses negative timeouts
    P.REBALANCE_BATCH_SIZE: _integer(32),
    P.REBALANCE_BATCHES_PREFETCH_COUNT: _integer(64),
    P.REBALANCE_ORDER: _integer(32),
    P.REBALANCE_THROTTLE: _integer(64),
    P.GROUP_NAME: _text(),
    P.CACHE_KEY_CONFIGURATION: (_write_key_configs, _read_key_configs),
    P.DEFAULT_LOCK_TIMEOUT: _integer(64, minimum=0),
    P.MAX_CONCURRENT_ASYNC_OPERATIONS: _integer(32),
    P.PARTITION_LOSS_POLICY: _enum(PartitionLossPolicy),
    P.EAGER_TTL: _flag(),
    P.STATISTICS_ENABLED: _flag(),
    P.EXPIRY_POLICY: (_write_expiry, _read_expiry),
}

#: The order of GET_CONFIGURATION's answer (the serializer's ``write``), expiry excluded.
_RESPONSE_ORDER: Final = (
    P.CACHE_ATOMICITY_MODE,
    P.BACKUPS_NUMBER,
    P.CACHE_MODE,
    P.COPY_ON_READ,
    P.DATA_REGION_NAME,
    P.EAGER_TTL,
    P.STATISTICS_ENABLED,
    P.GROUP_NAME,
    P.DEFAULT_LOCK_TIMEOUT,
    P.MAX_CONCURRENT_ASYNC_OPERATIONS,
    P.MAX_QUERY_ITERATORS,
    P.NAME,
    P.IS_ONHEAP_CACHE_ENABLED,
    P.PARTITION_LOSS_POLICY,
    P.QUERY_DETAIL_METRIC_SIZE,
    P.QUERY_PARALLELISM,
    P.READ_FROM_BACKUP,
    P.REBALANCE_BATCH_SIZE,
    P.REBALANCE_BATCHES_PREFETCH_COUNT,
    P.REBALANCE_DELAY,
    P.REBALANCE_MODE,
    P.REBALANCE_ORDER,
    P.REBALANCE_THROTTLE,
    P.REBALANCE_TIMEOUT,
    P.SQL_ESCAPE_ALL,
    P.SQL_INDEX_INLINE_MAX_SIZE,
    P.SQL_SCHEMA,
    P.WRITE_SYNCHRONIZATION_MODE,
    P.CACHE_KEY_CONFIGURATION,
    P.QUERY_ENTITIES,
)


def _property(key: object) -> CacheProperty:
    if isinstance(key, bool) or not isinstance(key, int):
        raise ParameterError(
            f"cache settings are keyed by PROP_* codes (ints), not {type(key).__name__} {key!r}"
        )
    try:
        return CacheProperty(key)
    except ValueError:
        raise ParameterError(f"unknown cache property code {key}") from None


def encode_cache_config(
    settings: Mapping[int, Any], version: ProtocolVersion, ctx: CodecContext
) -> bytes:
    """The body of CACHE_(GET_OR_)CREATE_WITH_CONFIGURATION for ``settings``.

    Raises :class:`ParameterError` (``EncodeError`` with a path for a bad value) and
    :class:`NotSupportedByClusterError` for what ``version`` cannot carry.  Nothing is
    partly encoded: the bytes are returned only when every property was valid.
    """
    if not isinstance(settings, Mapping):
        raise ParameterError(f"cache settings must be a dict, not {type(settings).__name__}")
    props = [(_property(key), value) for key, value in settings.items()]
    if P.NAME not in settings:
        raise ParameterError("cache settings need PROP_NAME")
    with_expiry = version_supports(version, VersionFeature.EXPIRY_POLICY)
    out = bytearray(_HEAD.size)
    count = 0
    for prop, value in props:
        if prop is P.EXPIRY_POLICY and not with_expiry:
            if value is None:
                continue  # "no policy" is what an old server has anyway
            raise NotSupportedByClusterError(
                f"PROP_EXPIRY_POLICY needs protocol 1.6.0 (Ignite 2.8), the connection "
                f"speaks {version}"
            )
        out += pack_i16(prop)
        _KINDS[prop][0](out, value, prop.prop_name, version, ctx)
        count += 1
    _HEAD.pack_into(out, 0, len(out) - 4, count)
    return bytes(out)


def decode_cache_config(
    buf: Buffer, pos: int, version: ProtocolVersion, ctx: CodecContext
) -> tuple[dict[int, Any], int]:
    """Parse a CACHE_GET_CONFIGURATION answer at ``pos``; return ``(settings, next_pos)``.

    ``settings`` has every property the answer carries, keyed by :class:`CacheProperty`
    (equal to the ``PROP_*`` ints) in code order.  Raises :class:`ParseError` for
    malformed bytes and ``NeedBinaryType`` when a query field's default value is an object
    of a type the registry does not know yet.
    """
    length, body = read_i32(buf, pos)
    end = body + length
    if length < 0 or end > len(buf):
        raise ParseError(
            f"cache configuration of {length} bytes, {len(buf) - body} remain", offset=pos
        )
    # Reading through a view that ends at ``end`` makes a field that runs past the
    # announced length fail where it starts, instead of reading the next message.
    view = memoryview(buf)[:end]
    found: dict[int, Any] = {}
    p = body
    for prop in _RESPONSE_ORDER:
        found[prop], p = _KINDS[prop][1](view, p, version, ctx)
    if version_supports(version, VersionFeature.EXPIRY_POLICY):
        found[P.EXPIRY_POLICY], p = _read_expiry(view, p, version, ctx)
    return dict(sorted(found.items())), end
