"""Atomic longs (ops 9000-9007): a named ``long`` the cluster updates atomically.

Layouts, read from the bytecode of Ignite 2.17's ``ClientAtomicLong*Request`` classes::

    9000 CREATE     Str name | i64 initial | bool hasConfig
                        [| i32 backups | i8 cacheMode | i32 sequenceReserveSize | Str group]
    the others      Str name | Str groupName (null: the default atomics cache) | ...
    9001 REMOVE     -> nothing       9002 EXISTS          -> bool
    9003 GET        -> i64           9004 ADD_AND_GET     + i64 delta -> i64
    9005 GET_AND_SET + i64 -> i64    9006 COMPARE_AND_SET + i64 expected, i64 new -> bool
    9007 COMPARE_AND_SET_AND_GET + i64 expected, i64 new -> i64 (the value before)

CREATE names the group inside its configuration, so a long in a group other than the
default one is created with a configuration: backups 1, cache mode PARTITIONED, reserve
1000 (Ignite's ``AtomicConfiguration`` defaults).  The server reads the mode with
``CacheMode.fromCode``: 1 is REPLICATED, 2 PARTITIONED (pyignite's ``CacheMode`` codes).

An operation on an atomic long that does not exist fails with status 1011; it is raised
as :class:`~ignite_wire.exceptions.ServerError` naming the long (the status table would
call it a ``SQLError``, which it is not).
"""

from __future__ import annotations

import struct

from ...exceptions import ParseError, ServerError, SQLError
from ..buffer import write_str
from ..flow import Flow, Request
from ..opcodes import OpCode

__all__ = ["add_and_get", "compare_and_set", "create", "exists", "get", "get_and_set", "remove"]

_I64 = struct.Struct("<q")
_I64_PAIR = struct.Struct("<qq")


def _base(name: str, group: str | None) -> bytearray:
    out = bytearray()
    write_str(out, name)
    write_str(out, group)
    return out


def _request(op: int, payload: bytearray, name: str) -> Flow[bytes]:
    try:
        response = yield Request(op, payload, ServerError)
    except SQLError as exc:
        if exc.status != 1011:
            raise
        raise ServerError(
            f"atomic long {name!r} does not exist ({exc.message})", op=exc.op, status=exc.status
        ) from None
    return response.payload


def _long(payload: bytes) -> int:
    if len(payload) < 8:
        raise ParseError("atomic long answer ends before its value", offset=0)
    return int(_I64.unpack_from(payload, 0)[0])


def _bool(payload: bytes) -> bool:
    if len(payload) < 1:
        raise ParseError("atomic long answer ends before its flag", offset=0)
    return payload[0] != 0


_CONFIG = struct.Struct("<ibi")
#: ``CacheMode.PARTITIONED``'s code (``cache_props.CacheMode``; not imported: a layout constant).
_PARTITIONED = 2


def create(name: str, group: str | None, initial: int) -> Flow[None]:
    """CREATE (a no-op if it exists); a ``group`` travels in a default-like configuration."""
    out = bytearray()
    write_str(out, name)
    out += _I64.pack(initial)
    if group is None:
        out.append(0)
    else:
        out.append(1)
        out += _CONFIG.pack(1, _PARTITIONED, 1000)
        write_str(out, group)
    yield Request(OpCode.ATOMIC_LONG_CREATE, out, ServerError)


def remove(name: str, group: str | None) -> Flow[None]:
    yield from _request(OpCode.ATOMIC_LONG_REMOVE, _base(name, group), name)


def exists(name: str, group: str | None) -> Flow[bool]:
    return _bool((yield from _request(OpCode.ATOMIC_LONG_EXISTS, _base(name, group), name)))


def get(name: str, group: str | None) -> Flow[int]:
    return _long((yield from _request(OpCode.ATOMIC_LONG_VALUE_GET, _base(name, group), name)))


def add_and_get(name: str, group: str | None, delta: int) -> Flow[int]:
    out = _base(name, group) + _I64.pack(delta)
    return _long((yield from _request(OpCode.ATOMIC_LONG_VALUE_ADD_AND_GET, out, name)))


def get_and_set(name: str, group: str | None, value: int) -> Flow[int]:
    out = _base(name, group) + _I64.pack(value)
    return _long((yield from _request(OpCode.ATOMIC_LONG_VALUE_GET_AND_SET, out, name)))


def compare_and_set(
    name: str, group: str | None, expected: int, value: int, *, and_get: bool
) -> Flow[int | bool]:
    """9006 (-> whether it was set) or, with ``and_get``, 9007 (-> the value before)."""
    out = _base(name, group) + _I64_PAIR.pack(expected, value)
    op = (
        OpCode.ATOMIC_LONG_VALUE_COMPARE_AND_SET_AND_GET
        if and_get
        else OpCode.ATOMIC_LONG_VALUE_COMPARE_AND_SET
    )
    payload = yield from _request(op, out, name)
    return _long(payload) if and_get else _bool(payload)
