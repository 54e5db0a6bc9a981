"""The data streamer (op 8000): one batch of entries loaded by a one-off server streamer.

Layout, read from the bytecode of Ignite 2.17's ``ClientDataStreamerStartRequest`` and
``ClientDataStreamerReader``::

    8000 DATA_STREAMER_START
        i32 cacheId | i8 flags | i32 perNodeBufferSize | i32 perThreadBufferSize
        | object receiver (null: the default updater) [| i8 platform, only if not null]
        | i32 n | (key object, value object (null: remove the key))*n
        -> i64 streamer id (0 when the CLOSE flag was given)

    flags: 0x01 ALLOW_OVERWRITE, 0x02 SKIP_STORE, 0x04 KEEP_BINARY, 0x08 FLUSH, 0x10 CLOSE

Why every batch is a *one-off* streamer (START with CLOSE, the shape .NET's thin
streamer uses, and the only one whose answer means something): the server's ADD_DATA
(8001) hands entries to a long-lived streamer and answers at once, before they are
written, so a failure would surface later, on some other request, with no way to tell
which entries it concerned.  With CLOSE the server creates a streamer, adds the batch,
closes it (which waits until every entry is written on its primary and backups) and only
then answers: a success means the whole batch is stored, a failure names this batch.
A negative ``perNodeBufferSize`` with CLOSE makes the server buffer the batch whole.

There is no feature bit for the streamer.  It came with Ignite 2.11, whose protocol is
1.7.0; an older 1.7.0 server (2.9, 2.10) answers status 2 (unknown op), which the status
table maps to :class:`~ignite_wire.exceptions.NotSupportedByClusterError`.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any

from ...exceptions import CacheError
from ..codec import write_value
from ..context import CodecContext
from ..flow import Flow, Request
from ..opcodes import OpCode
from .common import register_pending

__all__ = [
    "ALLOW_OVERWRITE",
    "CLOSE",
    "FLUSH",
    "KEEP_BINARY",
    "SKIP_STORE",
    "encode_batch",
    "flags_for",
    "send_batch",
]

ALLOW_OVERWRITE = 0x01
SKIP_STORE = 0x02
KEEP_BINARY = 0x04
FLUSH = 0x08
CLOSE = 0x10

_START = struct.Struct("<ibii")
_I32 = struct.Struct("<i")
_NULL = b"\x65"  # type code 101: the null object (no receiver; a removal's value)


def flags_for(*, allow_overwrite: bool, skip_store: bool) -> int:
    """The flags of a one-off batch: flushed and closed, values kept in binary form.

    KEEP_BINARY because the server has no Java classes for a Python client's objects:
    without it a custom receiver would try to deserialize them.
    """
    flags = KEEP_BINARY | FLUSH | CLOSE
    if allow_overwrite:
        flags |= ALLOW_OVERWRITE
    if skip_store:
        flags |= SKIP_STORE
    return flags


def encode_batch(
    cache_id: int,
    flags: int,
    entries: Sequence[tuple[Any, Any]],
    ctx: CodecContext,
) -> bytearray:
    """The START request of one batch; a ``None`` value removes its key.

    Encoded when called (in the caller's thread or task, before the batch is handed to
    the sender), so a value that cannot be encoded fails this batch before a byte of it
    is sent.  Keys and values may be ``(value, Hint)`` pairs, as everywhere else.
    """
    out = bytearray(_START.pack(cache_id, flags, -1, -1))
    out += _NULL
    out += _I32.pack(len(entries))
    for key, value in entries:
        write_value(out, key, None, ctx=ctx)
        if value is None:
            out += _NULL
        else:
            write_value(out, value, None, ctx=ctx)
    return out


def send_batch(payload: bytes | bytearray, ctx: CodecContext) -> Flow[None]:
    """Send an encoded batch (registering the binary types it introduced first)."""
    if ctx.pending:
        yield from register_pending(ctx)
    yield Request(OpCode.DATA_STREAMER_START, payload, CacheError)
